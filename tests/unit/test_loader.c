/* SPDX-License-Identifier: MIT */
/* Check suite for the plugin loader (core/lib/provider.c). */
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "harness.h"

#define PLUGINS WHK_TEST_BINARY_DIR "/plugins"

static const struct {
    const char *file;
    const char *cause;
} rejected[] = {
    {"abi_mismatch.so", "built for whk plugin ABI 99"},
    {"short_descriptor.so", "descriptor of 16 bytes"},
    {"no_descriptor.so", "exports no whk_descriptor symbol"},
    {"init_fails.so", "key 'scheme' is missing"},
    {"undefined_symbol.so", "whk_function_that_does_not_exist"},
    {"not_elf.so", "is not a shared object"},
    {"does_not_exist.so", "No such file"},
    {"oversized_claim.so", "of 8 bytes that claims 100000 bytes"},
};

START_TEST(loader_rejects_broken_plugin)
{
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", PLUGINS, rejected[_i].file);
    ck_assert_int_eq(whk_provider_load_file(path, NULL, &provider, &err),
                     WHK_ERR_PLUGIN);
    ck_assert_ptr_null(provider);
    ck_assert_msg(strstr(err.text, rejected[_i].cause) != NULL,
                  "error '%s' lacks '%s'", err.text, rejected[_i].cause);
    ck_assert_msg(strstr(err.text, rejected[_i].file) != NULL,
                  "error '%s' does not name the file", err.text);
}
END_TEST

START_TEST(loader_loads_minimal)
{
    struct whk_provider *provider = NULL;
    struct whk_request *req = whk_request_new();
    struct whk_verdict *verdict = whk_verdict_new();
    struct whk_context *ctx = whk_context_new();
    struct whk_span secret = {"s", 1};
    const struct whk_descriptor *d;

    ck_assert_int_eq(whk_provider_load_file(PLUGINS "/minimal.so", NULL,
                                            &provider, NULL),
                     WHK_OK);
    d = whk_provider_descriptor(provider);
    ck_assert_str_eq(whk_provider_name(provider), "minimal");
    ck_assert_uint_eq(d->size, sizeof(struct whk_descriptor));
    ck_assert_ptr_null(d->fields);

    whk_provider_verify(provider, ctx, req, secret, verdict);
    ck_assert_int_eq(whk_verdict_status(verdict), WHK_NOT_APPLICABLE);
    ck_assert_int_eq(whk_provider_sign(provider, ctx, req, secret, NULL),
                     WHK_OK);
    whk_provider_verify(provider, ctx, req, secret, verdict);
    ck_assert_int_eq(whk_verdict_status(verdict), WHK_VALID);

    whk_provider_free(provider);
    whk_request_free(req);
    whk_verdict_free(verdict);
    whk_context_free(ctx);
}
END_TEST

START_TEST(loader_names_provider_from_entry)
{
    struct whk_registry *reg = NULL;
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};

    ck_assert_int_eq(whk_registry_open(&reg, PLUGINS "/providers.d", PLUGINS,
                                       NULL),
                     WHK_OK);
    ck_assert_int_eq(whk_provider_load(reg, "minimal", &provider, NULL),
                     WHK_OK);
    ck_assert_str_eq(whk_provider_name(provider), "minimal");
    whk_provider_free(provider);

    ck_assert_int_eq(whk_provider_load(reg, "missing-module", &provider,
                                       &err),
                     WHK_ERR_PLUGIN);
    ck_assert_ptr_nonnull(strstr(err.text, "missing_module.so"));
    ck_assert_ptr_nonnull(strstr(err.text, "missing-module.json"));
    ck_assert_int_eq(whk_provider_load(reg, "unknown", &provider, &err),
                     WHK_ERR_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err.text, "unknown provider 'unknown'"));
    whk_registry_free(reg);
}
END_TEST

START_TEST(loader_loads_twilio_twice)
{
    struct whk_registry *reg = NULL;
    struct whk_provider *a = NULL, *b = NULL;

    ck_assert_int_eq(whk_registry_open(&reg, NULL, NULL, NULL), WHK_OK);
    ck_assert_int_eq(whk_provider_load(reg, "twilio", &a, NULL), WHK_OK);
    ck_assert_int_eq(whk_provider_load(reg, "twilio", &b, NULL), WHK_OK);
    ck_assert_str_eq(whk_provider_descriptor(a)->title, "Twilio");
    whk_provider_free(a);
    ck_assert_str_eq(whk_provider_descriptor(b)->secret.env,
                     "TWILIO_AUTH_TOKEN");
    whk_provider_free(b);
    whk_registry_free(reg);
}
END_TEST

START_TEST(loader_check_secret_default)
{
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};
    struct whk_span empty = {"", 0}, some = {"x", 1};

    ck_assert_int_eq(whk_provider_load_file(PLUGINS "/minimal.so", NULL,
                                            &provider, NULL),
                     WHK_OK);
    ck_assert_int_eq(whk_provider_check_secret(provider, empty, 0, &err),
                     WHK_ERR_SECRET);
    ck_assert_int_eq(whk_provider_check_secret(provider, some, 1, NULL),
                     WHK_OK);
    whk_provider_free(provider);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("loader");
    TCase *tc = tcase_create("loader");

    tcase_add_loop_test(tc, loader_rejects_broken_plugin, 0,
                        (int)(sizeof(rejected) / sizeof(rejected[0])));
    tcase_add_test(tc, loader_loads_minimal);
    tcase_add_test(tc, loader_names_provider_from_entry);
    tcase_add_test(tc, loader_loads_twilio_twice);
    tcase_add_test(tc, loader_check_secret_default);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
