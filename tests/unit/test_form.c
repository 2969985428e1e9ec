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

/* Sorts a decoded body with whk_params_sorted_text(). */
static struct whk_param *sort_body(const char *body, size_t *count)
{
    struct whk_param *params = decode(body, count), *sorted = NULL;

    ck_assert_int_eq(whk_params_sorted_text(params, *count, &sorted, NULL),
                     WHK_OK);
    whk_free(params);
    return sorted;
}

START_TEST(sorted_text_orders_keys_then_values)
{
    size_t count = 0;
    struct whk_param *sorted = sort_body("b=2&a=z&a=y&B=1&a=y", &count);

    ck_assert_uint_eq(count, 5);
    assert_param(&sorted[0], "B", "1");
    assert_param(&sorted[1], "a", "y");
    assert_param(&sorted[2], "a", "y");
    assert_param(&sorted[3], "a", "z");
    assert_param(&sorted[4], "b", "2");
    whk_free(sorted);
}
END_TEST

/*
 * U+1F600 (UTF-8 F0 9F 98 80, UTF-16 D83D DE00) sorts before U+E000
 * (EE 80 80) by UTF-16 code units, as JavaScript sorts, but after it by
 * bytes.
 */
START_TEST(sorted_text_uses_utf16_order)
{
    size_t count = 0;
    struct whk_param *sorted =
        sort_body("%EE%80%80=private&%F0%9F%98%80=emoji&z=ascii", &count);

    ck_assert_uint_eq(count, 3);
    assert_param(&sorted[0], "z", "ascii");
    assert_param(&sorted[1], "\xf0\x9f\x98\x80", "emoji");
    assert_param(&sorted[2], "\xee\x80\x80", "private");
    whk_free(sorted);
}
END_TEST

/* Each invalid sequence becomes U+FFFD, as Node.js decodes text. */
START_TEST(sorted_text_replaces_invalid_utf8)
{
    size_t count = 0;
    struct whk_param *sorted = sort_body("k=%E2%82x%FF&%C3=v", &count);

    ck_assert_uint_eq(count, 2);
    assert_param(&sorted[0], "k", "\xef\xbf\xbdx\xef\xbf\xbd");
    assert_param(&sorted[1], "\xef\xbf\xbd", "v");
    whk_free(sorted);
}
END_TEST

START_TEST(sorted_text_of_no_params)
{
    struct whk_param *sorted = NULL;

    ck_assert_int_eq(whk_params_sorted_text(NULL, 0, &sorted, NULL), WHK_OK);
    ck_assert_ptr_nonnull(sorted);
    whk_free(sorted);
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
    tcase_add_test(tc, sorted_text_orders_keys_then_values);
    tcase_add_test(tc, sorted_text_uses_utf16_order);
    tcase_add_test(tc, sorted_text_replaces_invalid_utf8);
    tcase_add_test(tc, sorted_text_of_no_params);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
