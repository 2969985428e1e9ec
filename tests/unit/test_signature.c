/* SPDX-License-Identifier: MIT */
/* Check suite for signature headers, encoded HMACs and secret forms. */
#include <string.h>

#include <whk/whk.h>

#include "harness.h"

static int span_is(struct whk_span span, const char *text)
{
    return span.len == strlen(text) && memcmp(span.ptr, text, span.len) == 0;
}

START_TEST(items_stripe_form)
{
    struct whk_header_item items[8];
    size_t count = 0;

    ck_assert_int_eq(whk_header_items_parse("t=1492774577, v1=5257a8,v1=ab=c",
                                            ',', '=', items, 8, &count, NULL),
                     WHK_OK);
    ck_assert_uint_eq(count, 3);
    ck_assert(span_is(items[0].key, "t"));
    ck_assert(span_is(items[0].value, "1492774577"));
    ck_assert(span_is(items[1].key, "v1"));
    ck_assert(span_is(items[1].value, "5257a8"));
    ck_assert(span_is(items[2].value, "ab=c"));
    ck_assert_uint_eq(items[2].position, 3);
    ck_assert_uint_eq(whk_header_items_count(items, count, "v1"), 2);
    ck_assert_ptr_eq(whk_header_items_find(items, count, "t"), &items[0]);
    ck_assert_ptr_null(whk_header_items_find(items, count, "v0"));
}
END_TEST

START_TEST(items_paddle_and_list_forms)
{
    struct whk_header_item items[8];
    size_t count = 0;

    ck_assert_int_eq(whk_header_items_parse("ts=1671552777;h1=eb4d", ';', '=',
                                            items, 8, &count, NULL),
                     WHK_OK);
    ck_assert_uint_eq(count, 2);
    ck_assert(span_is(items[1].key, "h1"));

    ck_assert_int_eq(whk_header_items_parse("v1,K5o= v1a,hnO3  v1,Zm9=", ' ',
                                            ',', items, 8, &count, NULL),
                     WHK_OK);
    ck_assert_uint_eq(count, 3);
    ck_assert(span_is(items[0].value, "K5o="));
    ck_assert(span_is(items[1].key, "v1a"));
    ck_assert(span_is(items[2].value, "Zm9="));
}
END_TEST

START_TEST(items_reject_malformed)
{
    struct whk_header_item items[2];
    struct whk_error err = {0};
    size_t count = 0;

    ck_assert_int_eq(whk_header_items_parse("t=1,junk", ',', '=', items, 2,
                                            &count, &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "item 2 'junk'"));
    ck_assert_int_eq(whk_header_items_parse("=1", ',', '=', items, 2, &count,
                                            &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "empty key"));
    ck_assert_int_eq(whk_header_items_parse("a=1,b=2,c=3", ',', '=', items, 2,
                                            &count, &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "more than 2 items"));
    ck_assert_int_eq(whk_header_items_parse(" , ,", ',', '=', items, 2,
                                            &count, &err),
                     WHK_OK);
    ck_assert_uint_eq(count, 0);
}
END_TEST

/* GitHub's published vector, and base64 of the same MAC as hex. */
START_TEST(hmac_encoded_hex_and_base64)
{
    const char *github_key = "It's a Secret to Everybody";
    struct whk_span body = {"Hello, World!", 13};
    char *out = NULL;

    ck_assert_int_eq(whk_hmac_encoded(WHK_SHA256, github_key,
                                      strlen(github_key), &body, 1,
                                      WHK_ENCODING_HEX, &out, NULL),
                     WHK_OK);
    ck_assert_str_eq(out, "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46"
                          "f4379c8b043e17");
    whk_free(out);
    ck_assert_int_eq(whk_hmac_encoded(WHK_SHA256, github_key,
                                      strlen(github_key), &body, 1,
                                      WHK_ENCODING_BASE64, &out, NULL),
                     WHK_OK);
    ck_assert_str_eq(out, "dXEH6g6yUJ/CESIczphLijdXC211hsIsRvQ3nIsEPhc=");
    whk_free(out);
}
END_TEST

START_TEST(standard_webhooks_vector)
{
    struct whk_span secret = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 38};
    const char *content =
        "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}";
    struct whk_span parts[1] = {{content, strlen(content)}};
    unsigned char *key = NULL;
    size_t key_len = 0;
    char *out = NULL;

    ck_assert_int_eq(whk_secret_decode_base64(secret, "whsec_", 1, &key,
                                              &key_len, NULL),
                     WHK_OK);
    ck_assert_uint_eq(key_len, 24);
    ck_assert_int_eq(whk_hmac_encoded(WHK_SHA256, key, key_len, parts, 1,
                                      WHK_ENCODING_BASE64, &out, NULL),
                     WHK_OK);
    ck_assert_str_eq(out, "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    whk_free(out);
    whk_free(key);
}
END_TEST

START_TEST(signature_forms)
{
    struct whk_error err = {0};
    const char *hex64 = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4"
                        "379c8b043e17";

    ck_assert_int_eq(whk_signature_check_form(hex64, 64, WHK_ENCODING_HEX, 32,
                                              &err),
                     WHK_OK);
    ck_assert_int_eq(whk_signature_check_form(hex64, 62, WHK_ENCODING_HEX, 32,
                                              &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "62 hex digits"));
    ck_assert_int_eq(whk_signature_check_form("zz", 2, WHK_ENCODING_HEX, 1,
                                              &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "not a hex digit"));
    ck_assert_int_eq(whk_signature_check_form(
                         "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", 44,
                         WHK_ENCODING_BASE64, 32, &err),
                     WHK_OK);
    ck_assert_int_eq(whk_signature_check_form("AAAA", 4, WHK_ENCODING_BASE64,
                                              32, &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "decodes to 3 bytes"));
}
END_TEST

static const struct {
    const char *secret;
    const char *phrase;
} pasted[] = {
    {"abc\n", "newline"},        {"abc ", "ends with whitespace"},
    {"\tabc", "starts with"},    {"\"abc\"", "quotes"},
    {"'abc'", "quotes"},         {"", "empty"},
};

START_TEST(secret_pasted_mistakes)
{
    struct whk_span secret = {pasted[_i].secret, strlen(pasted[_i].secret)};
    struct whk_error err = {0};

    ck_assert_int_eq(whk_secret_check_pasted(secret, &err), WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, pasted[_i].phrase), "%s", err.text);
}
END_TEST

START_TEST(secret_pasted_accepts)
{
    struct whk_span secret = {"whsec_abc\"def", 13};

    ck_assert_int_eq(whk_secret_check_pasted(secret, NULL), WHK_OK);
}
END_TEST

START_TEST(secret_nul_byte)
{
    struct whk_span secret = {"ab\0cd", 5};
    struct whk_error err = {0};

    ck_assert_int_eq(whk_secret_check_pasted(secret, &err), WHK_ERR_SECRET);
    ck_assert_ptr_nonnull(strstr(err.text, "NUL"));
}
END_TEST

static const struct {
    const char *secret;
    int prefix_required;
    const char *phrase;
} bad_base64[] = {
    {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa$w", 0, "not valid base64"},
    {"whsec_MfKQ9", 0, "not valid base64"},
    {"whsec_", 0, "empty"},
    {"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", 0, "'v1,'"},
    {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 1, "does not start with 'whsec_'"},
    {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", 0, "newline"},
};

START_TEST(secret_base64_rejected)
{
    struct whk_span secret = {bad_base64[_i].secret,
                              strlen(bad_base64[_i].secret)};
    unsigned char *key = (unsigned char *)"untouched";
    size_t key_len = 0;
    struct whk_error err = {0};

    ck_assert_int_eq(whk_secret_decode_base64(secret, "whsec_",
                                              bad_base64[_i].prefix_required,
                                              &key, &key_len, &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, bad_base64[_i].phrase), "%s", err.text);
}
END_TEST

START_TEST(secret_base64_prefix_optional)
{
    struct whk_span secret = {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 32};
    unsigned char *key = NULL;
    size_t key_len = 0;

    ck_assert_int_eq(whk_secret_decode_base64(secret, "whsec_", 0, &key,
                                              &key_len, NULL),
                     WHK_OK);
    ck_assert_uint_eq(key_len, 24);
    whk_free(key);
}
END_TEST

START_TEST(random_bytes_differ)
{
    unsigned char a[16] = {0}, b[16] = {0};

    ck_assert_int_eq(whk_random_bytes(a, sizeof(a), NULL), WHK_OK);
    ck_assert_int_eq(whk_random_bytes(b, sizeof(b), NULL), WHK_OK);
    ck_assert(memcmp(a, b, sizeof(a)) != 0);
}
END_TEST

START_TEST(json_member_string_reads)
{
    char *value = NULL;
    struct whk_error err = {0};

    ck_assert_int_eq(whk_json_member_string("{\"header_prefix\": \"svix\"}",
                                            "header_prefix", &value, &err),
                     WHK_OK);
    ck_assert_str_eq(value, "svix");
    whk_free(value);
    ck_assert_int_eq(whk_json_member_string("{}", "header_prefix", &value,
                                            &err),
                     WHK_ERR_NOT_FOUND);
    ck_assert_int_eq(whk_json_member_string("{\"header_prefix\": 1}",
                                            "header_prefix", &value, &err),
                     WHK_ERR_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, "not a string"));
    ck_assert_int_eq(whk_json_member_string("[", "x", &value, &err),
                     WHK_ERR_CONFIG);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("signature");
    TCase *tc = tcase_create("signature");

    tcase_add_test(tc, items_stripe_form);
    tcase_add_test(tc, items_paddle_and_list_forms);
    tcase_add_test(tc, items_reject_malformed);
    tcase_add_test(tc, hmac_encoded_hex_and_base64);
    tcase_add_test(tc, standard_webhooks_vector);
    tcase_add_test(tc, signature_forms);
    tcase_add_loop_test(tc, secret_pasted_mistakes, 0,
                        (int)(sizeof(pasted) / sizeof(*pasted)));
    tcase_add_test(tc, secret_pasted_accepts);
    tcase_add_test(tc, secret_nul_byte);
    tcase_add_loop_test(tc, secret_base64_rejected, 0,
                        (int)(sizeof(bad_base64) / sizeof(*bad_base64)));
    tcase_add_test(tc, secret_base64_prefix_optional);
    tcase_add_test(tc, random_bytes_differ);
    tcase_add_test(tc, json_member_string_reads);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
