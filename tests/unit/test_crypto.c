/* SPDX-License-Identifier: MIT */
/* Check suite for digests, HMAC and constant-time comparison. */
#include <string.h>

#include <whk/whk.h>

#include "harness.h"

static char *hex_of(const unsigned char *bytes, size_t len)
{
    return whk_hex_encode(bytes, len);
}

/* RFC 2202 (HMAC-SHA-1) and RFC 4231 (HMAC-SHA-256/512), test cases 1-2. */
static const struct {
    enum whk_hash hash;
    const char *key;
    size_t key_len;
    const char *data;
    const char *mac;
} hmac_vectors[] = {
    {WHK_SHA1, "\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b"
               "\x0b\x0b\x0b\x0b\x0b",
     20, "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
    {WHK_SHA1, "Jefe", 4, "what do ya want for nothing?",
     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
    {WHK_SHA256,
     "\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b"
     "\x0b\x0b\x0b",
     20, "Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {WHK_SHA256, "Jefe", 4, "what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {WHK_SHA512,
     "\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b"
     "\x0b\x0b\x0b",
     20, "Hi There",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {WHK_SHA512, "Jefe", 4, "what do ya want for nothing?",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
};

START_TEST(hmac_published_vectors)
{
    unsigned char mac[WHK_DIGEST_MAX_SIZE];
    size_t len = 0;
    struct whk_span part = {hmac_vectors[_i].data,
                            strlen(hmac_vectors[_i].data)};
    char *hex;

    ck_assert_int_eq(whk_hmac(hmac_vectors[_i].hash, hmac_vectors[_i].key,
                              hmac_vectors[_i].key_len, &part, 1, mac, &len,
                              NULL),
                     WHK_OK);
    ck_assert_uint_eq(len, whk_hash_size(hmac_vectors[_i].hash));
    hex = hex_of(mac, len);
    ck_assert_str_eq(hex, hmac_vectors[_i].mac);
    whk_free(hex);
}
END_TEST

START_TEST(hmac_parts_equal_whole)
{
    struct whk_span whole = {"what do ya want for nothing?", 28};
    struct whk_span parts[] = {{"what do ya", 10}, {"", 0},
                               {" want for nothing?", 18}};
    unsigned char a[WHK_DIGEST_MAX_SIZE], b[WHK_DIGEST_MAX_SIZE];
    size_t a_len, b_len;

    ck_assert_int_eq(whk_hmac(WHK_SHA256, "Jefe", 4, &whole, 1, a, &a_len,
                              NULL),
                     WHK_OK);
    ck_assert_int_eq(whk_hmac(WHK_SHA256, "Jefe", 4, parts, 3, b, &b_len,
                              NULL),
                     WHK_OK);
    ck_assert_uint_eq(a_len, b_len);
    ck_assert_mem_eq(a, b, a_len);
}
END_TEST

START_TEST(hmac_empty_key)
{
    /* HMAC-SHA256 with an empty key and empty message, per OpenSSL. */
    unsigned char mac[WHK_DIGEST_MAX_SIZE];
    size_t len;
    char *hex;

    ck_assert_int_eq(whk_hmac(WHK_SHA256, NULL, 0, NULL, 0, mac, &len, NULL),
                     WHK_OK);
    hex = hex_of(mac, len);
    ck_assert_str_eq(
        hex, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    whk_free(hex);
}
END_TEST

START_TEST(hmac_unknown_hash)
{
    struct whk_error err = {0};
    unsigned char mac[WHK_DIGEST_MAX_SIZE];
    size_t len;

    ck_assert_int_eq(whk_hmac((enum whk_hash)42, "k", 1, NULL, 0, mac, &len,
                              &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "unknown hash"));
    ck_assert_uint_eq(whk_hash_size((enum whk_hash)42), 0);
    ck_assert_str_eq(whk_hash_name((enum whk_hash)42), "unknown");
}
END_TEST

START_TEST(digest_sha256_abc)
{
    struct whk_span abc = {"abc", 3};
    unsigned char digest[WHK_DIGEST_MAX_SIZE];
    size_t len;
    char *hex;

    ck_assert_int_eq(whk_digest(WHK_SHA256, &abc, 1, digest, &len, NULL),
                     WHK_OK);
    hex = hex_of(digest, len);
    ck_assert_str_eq(
        hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    whk_free(hex);
    ck_assert_int_eq(whk_digest(WHK_SHA1, &abc, 1, digest, &len, NULL),
                     WHK_OK);
    hex = hex_of(digest, len);
    ck_assert_str_eq(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    whk_free(hex);
}
END_TEST

START_TEST(equal_ct_cases)
{
    ck_assert_int_eq(whk_equal_ct("abc", 3, "abc", 3), 1);
    ck_assert_int_eq(whk_equal_ct("abc", 3, "abd", 3), 0);
    ck_assert_int_eq(whk_equal_ct("abc", 3, "abcd", 4), 0);
    ck_assert_int_eq(whk_equal_ct("", 0, "", 0), 1);
    ck_assert_int_eq(whk_equal_ct("a\0b", 3, "a\0c", 3), 0);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("crypto");
    TCase *tc = tcase_create("crypto");

    tcase_add_loop_test(tc, hmac_published_vectors, 0,
                        (int)(sizeof(hmac_vectors) / sizeof(hmac_vectors[0])));
    tcase_add_test(tc, hmac_parts_equal_whole);
    tcase_add_test(tc, hmac_empty_key);
    tcase_add_test(tc, hmac_unknown_hash);
    tcase_add_test(tc, digest_sha256_abc);
    tcase_add_test(tc, equal_ct_cases);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
