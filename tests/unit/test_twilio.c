/* SPDX-License-Identifier: MIT */
/* Check suite for the Twilio plugin against tests/vectors/twilio.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <whk/whk.h>

#include "harness.h"

static json_t *cases;
static struct whk_registry *registry;
static struct whk_provider *twilio;

static void load_vectors(void)
{
    json_error_t error;
    json_t *root = json_load_file(WHK_TEST_SOURCE_DIR "/vectors/twilio.json",
                                  0, &error);

    if (root == NULL) {
        fprintf(stderr, "twilio.json:%d:%d: %s\n", error.line, error.column,
                error.text);
        abort();
    }
    cases = json_incref(json_object_get(root, "cases"));
    json_decref(root);
}

static void setup(void)
{
    ck_assert_int_eq(whk_registry_open(&registry, NULL, NULL, NULL), WHK_OK);
    ck_assert_int_eq(whk_provider_load(registry, "twilio", &twilio, NULL),
                     WHK_OK);
}

static void teardown(void)
{
    whk_provider_free(twilio);
    whk_registry_free(registry);
}

/* Form-encodes a case's [key, value] pairs in their order. */
static char *form_body(json_t *params)
{
    char *text = NULL;
    size_t size = 0, i;
    FILE *out = open_memstream(&text, &size);
    json_t *pair;

    json_array_foreach(params, i, pair)
    {
        json_t *key = json_array_get(pair, 0), *value = json_array_get(pair, 1);
        char *k = whk_form_encode(json_string_value(key),
                                  json_string_length(key));
        char *v = whk_form_encode(json_string_value(value),
                                  json_string_length(value));

        fprintf(out, "%s%s=%s", i ? "&" : "", k, v);
        whk_free(k);
        whk_free(v);
    }
    fclose(out);
    return text;
}

/* Builds the request of case index, without a signature header. */
static struct whk_request *case_request(size_t index)
{
    json_t *c = json_array_get(cases, index);
    json_t *params = json_object_get(c, "params");
    struct whk_request *req = whk_request_new();
    char *body;

    whk_request_set_method(req, json_string_value(json_object_get(c,
                                                                  "method")));
    whk_request_set_url(req, json_string_value(json_object_get(c, "url")));
    whk_request_add_header(
        req, "Content-Type",
        json_string_value(json_object_get(c, "content_type")));
    body = params ? form_body(params)
                  : strdup(json_string_value(json_object_get(c, "body")));
    whk_request_set_body(req, body, strlen(body));
    free(body);
    return req;
}

static struct whk_span case_token(size_t index)
{
    json_t *token = json_object_get(json_array_get(cases, index), "token");
    struct whk_span span = {json_string_value(token),
                            json_string_length(token)};
    return span;
}

static const char *case_signature(size_t index)
{
    return json_string_value(
        json_object_get(json_array_get(cases, index), "signature"));
}

static enum whk_verdict_status verify(struct whk_request *req,
                                      struct whk_span token)
{
    struct whk_context *ctx = whk_context_new();
    struct whk_verdict *verdict = whk_verdict_new();
    enum whk_verdict_status status;

    whk_provider_verify(twilio, ctx, req, token, verdict);
    status = whk_verdict_status(verdict);
    whk_verdict_free(verdict);
    whk_context_free(ctx);
    return status;
}

START_TEST(twilio_sign_matches_vector)
{
    struct whk_request *req = case_request((size_t)_i);
    struct whk_context *ctx = whk_context_new();
    struct whk_error err = {0};

    ck_assert_msg(whk_provider_sign(twilio, ctx, req, case_token((size_t)_i),
                                    &err) == WHK_OK,
                  "sign failed: %s", err.text);
    ck_assert_str_eq(whk_request_header(req, "X-Twilio-Signature"),
                     case_signature((size_t)_i));
    whk_context_free(ctx);
    whk_request_free(req);
}
END_TEST

START_TEST(twilio_verify_accepts_vector)
{
    struct whk_request *req = case_request((size_t)_i);

    whk_request_add_header(req, "X-Twilio-Signature",
                           case_signature((size_t)_i));
    ck_assert_int_eq(verify(req, case_token((size_t)_i)), WHK_VALID);
    whk_request_free(req);
}
END_TEST

START_TEST(twilio_verify_rejects_tampering)
{
    struct whk_request *req = case_request((size_t)_i);
    struct whk_span token = case_token((size_t)_i);
    struct whk_span wrong = {"not the token", 13};
    size_t len;
    char *body;

    whk_request_add_header(req, "X-Twilio-Signature",
                           case_signature((size_t)_i));
    ck_assert_int_eq(verify(req, wrong), WHK_INVALID);

    /* The first byte: an invalid byte in a value could change into
     * another that decodes to U+FFFD as well. */
    body = strdup(whk_request_body(req, &len));
    body[0] ^= 1;
    whk_request_set_body(req, body, len);
    ck_assert_int_eq(verify(req, token), WHK_INVALID);
    free(body);
    whk_request_free(req);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("twilio");
    TCase *tc = tcase_create("twilio");
    int count;

    load_vectors();
    count = (int)json_array_size(cases);
    if (count == 0) {
        fputs("tests/vectors/twilio.json has no cases\n", stderr);
        return EXIT_FAILURE;
    }
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, twilio_sign_matches_vector, 0, count);
    tcase_add_loop_test(tc, twilio_verify_accepts_vector, 0, count);
    tcase_add_loop_test(tc, twilio_verify_rejects_tampering, 0, count);
    suite_add_tcase(suite, tc);
    count = whkt_run(suite);
    json_decref(cases);
    return count;
}
