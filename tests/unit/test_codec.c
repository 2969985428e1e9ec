/* SPDX-License-Identifier: MIT */
/* Check suite for base64 and hex (core/lib/codec.c). */
#include <string.h>

#include <whk/whk.h>

#include "harness.h"

/* RFC 4648, section 10. */
static const struct {
    const char *data;
    const char *base64;
    const char *hex;
} vectors[] = {
    {"", "", ""},
    {"f", "Zg==", "66"},
    {"fo", "Zm8=", "666f"},
    {"foo", "Zm9v", "666f6f"},
    {"foob", "Zm9vYg==", "666f6f62"},
    {"fooba", "Zm9vYmE=", "666f6f6261"},
    {"foobar", "Zm9vYmFy", "666f6f626172"},
};

START_TEST(base64_encode_rfc4648)
{
    char *text = whk_base64_encode(vectors[_i].data,
                                   strlen(vectors[_i].data), 0);

    ck_assert_str_eq(text, vectors[_i].base64);
    whk_free(text);
}
END_TEST

START_TEST(base64_decode_rfc4648)
{
    unsigned char *bytes = NULL;
    size_t len = 99;
    const char *text = vectors[_i].base64;

    ck_assert_int_eq(whk_base64_decode(text, strlen(text), 0, &bytes, &len,
                                       NULL),
                     WHK_OK);
    ck_assert_uint_eq(len, strlen(vectors[_i].data));
    ck_assert_mem_eq(bytes, vectors[_i].data, len);
    whk_free(bytes);
}
END_TEST

START_TEST(hex_round_trip_rfc4648)
{
    char *text = whk_hex_encode(vectors[_i].data, strlen(vectors[_i].data));
    unsigned char *bytes = NULL;
    size_t len = 99;

    ck_assert_str_eq(text, vectors[_i].hex);
    ck_assert_int_eq(whk_hex_decode(text, strlen(text), &bytes, &len, NULL),
                     WHK_OK);
    ck_assert_uint_eq(len, strlen(vectors[_i].data));
    ck_assert_mem_eq(bytes, vectors[_i].data, len);
    whk_free(text);
    whk_free(bytes);
}
END_TEST

START_TEST(base64_url_alphabet)
{
    const unsigned char data[] = {0xfb, 0xff, 0xbf};
    unsigned char *bytes = NULL;
    size_t len = 0;
    char *standard = whk_base64_encode(data, 3, WHK_BASE64_STANDARD);
    char *url = whk_base64_encode(data, 3, WHK_BASE64_URL);

    ck_assert_str_eq(standard, "+/+/");
    ck_assert_str_eq(url, "-_-_");
    ck_assert_int_eq(whk_base64_decode("-_-_", 4, WHK_BASE64_URL, &bytes,
                                       &len, NULL),
                     WHK_OK);
    ck_assert_mem_eq(bytes, data, 3);
    ck_assert_int_eq(whk_base64_decode("-_-_", 4, 0, &bytes, &len, NULL),
                     WHK_ERR_INVALID);
    whk_free(standard);
    whk_free(url);
    whk_free(bytes);
}
END_TEST

START_TEST(base64_nopad)
{
    unsigned char *bytes = NULL;
    size_t len = 0;
    char *text = whk_base64_encode("f", 1, WHK_BASE64_NOPAD);

    ck_assert_str_eq(text, "Zg");
    ck_assert_int_eq(whk_base64_decode("Zg", 2, WHK_BASE64_NOPAD, &bytes,
                                       &len, NULL),
                     WHK_OK);
    ck_assert_uint_eq(len, 1);
    ck_assert_int_eq(bytes[0], 'f');
    whk_free(bytes);
    bytes = NULL;
    ck_assert_int_eq(whk_base64_decode("Zg==", 4, WHK_BASE64_NOPAD, &bytes,
                                       &len, NULL),
                     WHK_OK);
    whk_free(bytes);
    whk_free(text);
}
END_TEST

static const char *const invalid_base64[] = {
    "Zg",       /* padding missing */
    "Zg=",      /* padding incomplete */
    "Z===",     /* too much padding */
    "Zm9v\n",   /* whitespace */
    "Zm 9v",    /* space inside */
    "Zm9v!A==", /* not in the alphabet */
    "Z",        /* one character cannot encode a byte */
    "=Zg=",     /* padding first */
};

START_TEST(base64_rejects_malformed)
{
    struct whk_error err = {0};
    unsigned char *bytes = NULL;
    size_t len = 0;
    const char *text = invalid_base64[_i];

    ck_assert_int_eq(whk_base64_decode(text, strlen(text), 0, &bytes, &len,
                                       &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_null(bytes);
    ck_assert_msg(strstr(err.text, "base64") != NULL,
                  "error text '%s' does not name base64", err.text);
}
END_TEST

START_TEST(hex_rejects_malformed)
{
    struct whk_error err = {0};
    unsigned char *bytes = NULL;
    size_t len = 0;

    ck_assert_int_eq(whk_hex_decode("abc", 3, &bytes, &len, &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "odd length"));
    ck_assert_int_eq(whk_hex_decode("zz", 2, &bytes, &len, &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "offset 0"));
    ck_assert_ptr_null(bytes);
}
END_TEST

START_TEST(hex_accepts_uppercase)
{
    unsigned char *bytes = NULL;
    size_t len = 0;

    ck_assert_int_eq(whk_hex_decode("DEADbeef", 8, &bytes, &len, NULL),
                     WHK_OK);
    ck_assert_uint_eq(len, 4);
    ck_assert_int_eq(bytes[0], 0xde);
    ck_assert_int_eq(bytes[3], 0xef);
    whk_free(bytes);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("codec");
    TCase *tc = tcase_create("codec");
    int vector_count = (int)(sizeof(vectors) / sizeof(vectors[0]));
    int invalid_count = (int)(sizeof(invalid_base64) / sizeof(char *));

    tcase_add_loop_test(tc, base64_encode_rfc4648, 0, vector_count);
    tcase_add_loop_test(tc, base64_decode_rfc4648, 0, vector_count);
    tcase_add_loop_test(tc, hex_round_trip_rfc4648, 0, vector_count);
    tcase_add_test(tc, base64_url_alphabet);
    tcase_add_test(tc, base64_nopad);
    tcase_add_loop_test(tc, base64_rejects_malformed, 0, invalid_count);
    tcase_add_test(tc, hex_rejects_malformed);
    tcase_add_test(tc, hex_accepts_uppercase);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
