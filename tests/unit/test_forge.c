/* SPDX-License-Identifier: MIT */
/* Check suite for the forged secrets and keys of whk test's probe. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <whk/whk.h>

#include "harness.h"
#include "tester.h"

static struct whk_provider *load(const char *name)
{
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};

    ck_assert_int_eq(whk_registry_open(&registry, WHK_BUILD_PROVIDERS_DIR,
                                       WHK_BUILD_PLUGIN_DIR, &err),
                     WHK_OK);
    if (whk_provider_load(registry, name, &provider, &err) != WHK_OK)
        ck_abort_msg("cannot load %s: %s", name, err.text);
    whk_registry_free(registry);
    return provider;
}

static struct whk_request *sample_request(void)
{
    static const char body[] = "{\"id\":\"evt_1\",\"type\":\"ping\"}";
    struct whk_request *req = whk_request_new();

    ck_assert_ptr_nonnull(req);
    ck_assert_int_eq(whk_request_set_url(req, "https://hooks.example.com/w"),
                     WHK_OK);
    ck_assert_int_eq(
        whk_request_set_header(req, "Content-Type", "application/json"),
        WHK_OK);
    ck_assert_int_eq(whk_request_set_body(req, body, strlen(body)), WHK_OK);
    return req;
}

/*
 * Signs a sample with forged and verifies it with secret: the verdict
 * must be a mismatch, neither valid nor a malformed header or key.
 */
static void expect_mismatch(const struct whk_provider *provider,
                            struct whk_span secret, struct whk_span forged)
{
    struct whk_request *req = sample_request();
    struct whk_context *ctx = whk_context_new();
    struct whk_verdict *verdict = whk_verdict_new();
    struct whk_error err = {0};

    ck_assert_int_eq(whk_provider_sign(provider, ctx, req, forged, &err),
                     WHK_OK);
    whk_provider_verify(provider, ctx, req, secret, verdict);
    ck_assert_msg(whk_verdict_status(verdict) == WHK_INVALID,
                  "%s: the forgery verifies: %s", whk_provider_name(provider),
                  whk_verdict_text(verdict));
    ck_assert_msg(whk_verdict_reason(verdict) == WHK_REASON_MISMATCH,
                  "%s: %s", whk_provider_name(provider),
                  whk_verdict_text(verdict));
    whk_verdict_free(verdict);
    whk_context_free(ctx);
    whk_request_free(req);
}

static const struct {
    const char *provider;
    const char *secret;
} shared[] = {
    {"twilio", "0123456789abcdef0123456789abcdef"},
    {"stripe", "whsec_abcdefghijklmnopqrstuvwxyz012345"},
    {"github", "It's a Secret to Everybody"},
    {"slack", "8f742231b10e8888abcd99yyyzzz85a5"},
    {"shopify", "shpss_0123456789abcdef0123456789abcdef"},
    /* 32 bytes: the last base64 digit before "=" has unused bits. */
    {"standardwebhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYo="},
    {"svix", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
    {"paddle", "pdl_ntfset_01abcdefghijklmnopqrstuvwx_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"},
};

START_TEST(shared_secret_forgery)
{
    struct whk_provider *provider = load(shared[_i].provider);
    struct whkp_secret secret = {.data = strdup(shared[_i].secret)};
    struct whk_request *req = sample_request();
    size_t len, changed = 0;
    char *forged;

    secret.len = strlen(secret.data);
    forged = whkp_forge_secret(provider, &secret, req, &len);
    ck_assert_ptr_nonnull(forged);
    ck_assert_uint_eq(len, secret.len);
    for (size_t i = 0; i < len; i++)
        changed += forged[i] != secret.data[i];
    ck_assert_uint_eq(changed, 1);
    ck_assert_int_eq(whk_provider_check_secret(provider,
                                               (struct whk_span){forged, len},
                                               1, NULL),
                     WHK_OK);
    expect_mismatch(provider, whkp_secret_span(&secret),
                    (struct whk_span){forged, len});
    free(forged);
    free(secret.data);
    whk_request_free(req);
    whk_provider_free(provider);
}
END_TEST

START_TEST(hex_secret_keeps_last_digit_rule)
{
    struct whk_provider *provider = load("twilio");
    struct whkp_secret secret = {.data = strdup("0123456789ABCDEF"),
                                 .len = 16};
    struct whk_request *req = sample_request();
    size_t len;
    char *forged = whkp_forge_secret(provider, &secret, req, &len);

    ck_assert_ptr_nonnull(forged);
    ck_assert_str_eq(forged, "0123456789ABCDE0");
    free(forged);
    free(secret.data);
    whk_request_free(req);
    whk_provider_free(provider);
}
END_TEST

START_TEST(no_forgery_without_letters_or_digits)
{
    struct whk_provider *provider = load("github");
    struct whkp_secret secret = {.data = strdup("!#$%&()*+"), .len = 9};
    struct whk_request *req = sample_request();
    size_t len;

    ck_assert_ptr_null(whkp_forge_secret(provider, &secret, req, &len));
    free(secret.data);
    whk_request_free(req);
    whk_provider_free(provider);
}
END_TEST

/* Returns a new private key of the named type in PEM, released with free. */
static char *new_key_pem(const char *type, size_t *len)
{
    EVP_PKEY *key = strcmp(type, "EC") == 0
                        ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")
                        : EVP_PKEY_Q_keygen(NULL, NULL, type);
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *pem;
    long size;

    ck_assert_ptr_nonnull(key);
    ck_assert_int_eq(
        PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL), 1);
    size = BIO_get_mem_data(bio, &data);
    pem = strndup(data, (size_t)size);
    *len = (size_t)size;
    BIO_free(bio);
    EVP_PKEY_free(key);
    return pem;
}

static const struct {
    const char *provider;
    const char *key_type;
    enum whk_pkey_type pkey_type;
} key_pairs[] = {
    {"discord", "ED25519", WHK_PKEY_ED25519},
    {"sendgrid", "EC", WHK_PKEY_P256},
};

START_TEST(key_pair_forgery)
{
    struct whk_provider *provider = load(key_pairs[_i].provider);
    struct whkp_secret secret = {0};
    struct whk_request *req = sample_request();
    struct whk_pkey *key = NULL;
    size_t len;
    char *forged;

    secret.data = new_key_pem(key_pairs[_i].key_type, &secret.len);
    forged = whkp_forge_secret(provider, &secret, req, &len);
    ck_assert_ptr_nonnull(forged);
    ck_assert_int_eq(whk_pkey_load_private(key_pairs[_i].pkey_type, forged,
                                           len, &key, NULL),
                     WHK_OK);
    ck_assert_msg(len != secret.len || memcmp(forged, secret.data, len) != 0,
                  "the forged key is the genuine one");
    expect_mismatch(provider, whkp_secret_span(&secret),
                    (struct whk_span){forged, len});
    whk_pkey_free(key);
    free(forged);
    free(secret.data);
    whk_request_free(req);
    whk_provider_free(provider);
}
END_TEST

static Suite *forge_suite(void)
{
    Suite *suite = suite_create("forge");
    TCase *tc = tcase_create("forge");

    tcase_add_loop_test(tc, shared_secret_forgery, 0,
                        sizeof(shared) / sizeof(*shared));
    tcase_add_test(tc, hex_secret_keeps_last_digit_rule);
    tcase_add_test(tc, no_forgery_without_letters_or_digits);
    tcase_add_loop_test(tc, key_pair_forgery, 0,
                        sizeof(key_pairs) / sizeof(*key_pairs));
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    return whkt_run(forge_suite());
}
