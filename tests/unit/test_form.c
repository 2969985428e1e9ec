/* SPDX-License-Identifier: MIT */
/* Check suite for form decoding and encoding (core/lib/form.c). */
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "harness.h"

static struct whk_param *decode(const char *body, size_t *count)
{
    struct whk_param *params = NULL;

    ck_assert_int_eq(whk_form_decode(body, strlen(body), &params, count,
                                     NULL),
                     WHK_OK);
    return params;
}

static void assert_param(const struct whk_param *p, const char *key,
                         const char *value)
{
    ck_assert_uint_eq(p->key_len, strlen(key));
    ck_assert_mem_eq(p->key, key, p->key_len);
    ck_assert_uint_eq(p->value_len, strlen(value));
    ck_assert_mem_eq(p->value, value, p->value_len);
}

START_TEST(form_decodes_like_querystring)
{
    /* Node's querystring.parse gives { a: '1', b: '', '': 'x',
     * c: '%zzA %' } for this body. */
    size_t count = 0;
    struct whk_param *params = decode("&a=1&&b&=x&c=%zz%41+%", &count);

    ck_assert_uint_eq(count, 4);
    assert_param(&params[0], "a", "1");
    assert_param(&params[1], "b", "");
    assert_param(&params[2], "", "x");
    assert_param(&params[3], "c", "%zzA %");
    whk_free(params);
}
END_TEST

START_TEST(form_keeps_repeats_in_order)
{
    size_t count = 0;
    struct whk_param *params = decode("Digits=5678&Sid=CA123&Digits=1234",
                                      &count);

    ck_assert_uint_eq(count, 3);
    assert_param(&params[0], "Digits", "5678");
    assert_param(&params[1], "Sid", "CA123");
    assert_param(&params[2], "Digits", "1234");
    whk_free(params);
}
END_TEST

START_TEST(form_decodes_utf8_and_nul)
{
    size_t count = 0;
    struct whk_param *params = decode("Body=%D0%9F%D1%80%F0%9F%91%8B&z=a%00b",
                                      &count);

    ck_assert_uint_eq(count, 2);
    assert_param(&params[0], "Body", "Пр👋");
    ck_assert_uint_eq(params[1].value_len, 3);
    ck_assert_mem_eq(params[1].value, "a\0b", 3);
    whk_free(params);
}
END_TEST

START_TEST(form_value_with_equals)
{
    size_t count = 0;
    struct whk_param *params = decode("a=b=c&d==", &count);

    ck_assert_uint_eq(count, 2);
    assert_param(&params[0], "a", "b=c");
    assert_param(&params[1], "d", "=");
    whk_free(params);
}
END_TEST

START_TEST(form_empty_body)
{
    size_t count = 7;
    struct whk_param *params = decode("", &count);

    ck_assert_uint_eq(count, 0);
    whk_free(params);
}
END_TEST

START_TEST(form_encode_round_trip)
{
    const char raw[] = "a b+c&d=e/é~_.-";
    char *encoded = whk_form_encode(raw, strlen(raw));
    size_t count = 0;
    char body[128];
    struct whk_param *params;

    ck_assert_str_eq(encoded, "a+b%2Bc%26d%3De%2F%C3%A9~_.-");
    snprintf(body, sizeof(body), "k=%s", encoded);
    params = decode(body, &count);
    ck_assert_uint_eq(count, 1);
    assert_param(&params[0], "k", raw);
    whk_free(params);
    whk_free(encoded);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("form");
    TCase *tc = tcase_create("form");

    tcase_add_test(tc, form_decodes_like_querystring);
    tcase_add_test(tc, form_keeps_repeats_in_order);
    tcase_add_test(tc, form_decodes_utf8_and_nul);
    tcase_add_test(tc, form_value_with_equals);
    tcase_add_test(tc, form_empty_body);
    tcase_add_test(tc, form_encode_round_trip);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
