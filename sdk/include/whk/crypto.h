/* SPDX-License-Identifier: MIT */
/* Hashes, HMAC, constant-time comparison, base64 and hex for plugins. */
#ifndef WHK_CRYPTO_H
#define WHK_CRYPTO_H

#include <whk/common.h>

#ifdef __cplusplus
extern "C" {
#endif

enum whk_hash { WHK_SHA1 = 1, WHK_SHA256 = 2, WHK_SHA512 = 3 };

/* Size in bytes of the largest digest whk_digest() and whk_hmac() write. */
#define WHK_DIGEST_MAX_SIZE 64

/* Returns the digest size of hash in bytes, or 0 for an unknown hash. */
WHK_API size_t whk_hash_size(enum whk_hash hash);

/* Returns the hash's standard name ("SHA-256"), or "unknown". */
WHK_API const char *whk_hash_name(enum whk_hash hash);

/*
 * Computes the digest of the concatenation of parts[0..count) into out,
 * which must hold WHK_DIGEST_MAX_SIZE bytes, and stores its size in
 * *out_len. Parts avoid copying a body to prepend a timestamp.
 */
WHK_API enum whk_status whk_digest(enum whk_hash hash,
                                   const struct whk_span *parts, size_t count,
                                   unsigned char *out, size_t *out_len,
                                   struct whk_error *err);

/*
 * Computes the HMAC of the concatenation of parts[0..count) keyed with
 * key[0..key_len) into out (WHK_DIGEST_MAX_SIZE bytes) and stores its size
 * in *out_len. An empty key is allowed by HMAC; callers that must reject
 * one check it themselves.
 */
WHK_API enum whk_status whk_hmac(enum whk_hash hash, const void *key,
                                 size_t key_len, const struct whk_span *parts,
                                 size_t count, unsigned char *out,
                                 size_t *out_len, struct whk_error *err);

/*
 * Compares a[0..a_len) with b[0..b_len) in time that depends only on the
 * lengths, so that a forger learns nothing from how long a mismatch takes.
 * Returns 1 when equal, 0 otherwise.
 */
WHK_API int whk_equal_ct(const void *a, size_t a_len, const void *b,
                         size_t b_len);

/* Alphabet flags for the base64 functions. */
#define WHK_BASE64_STANDARD 0
#define WHK_BASE64_URL      1 /* "-" and "_" in place of "+" and "/" */
#define WHK_BASE64_NOPAD    2 /* encode without "=", decode without it */

/*
 * Encodes data[0..len) as base64 with the alphabet chosen by flags.
 * Returns a NUL-terminated string that the caller releases with whk_free(),
 * or NULL when memory runs out.
 */
WHK_API char *whk_base64_encode(const void *data, size_t len, int flags);

/*
 * Decodes base64 text[0..len) strictly: characters outside the alphabet,
 * whitespace, and wrong padding are errors naming the offset. With
 * WHK_BASE64_NOPAD, padding is optional. On success *out (NUL-terminated,
 * released with whk_free()) and *out_len hold the bytes.
 */
WHK_API enum whk_status whk_base64_decode(const char *text, size_t len,
                                          int flags, unsigned char **out,
                                          size_t *out_len,
                                          struct whk_error *err);

/*
 * Encodes data[0..len) as lowercase hexadecimal. Returns a NUL-terminated
 * string released with whk_free(), or NULL when memory runs out.
 */
WHK_API char *whk_hex_encode(const void *data, size_t len);

/*
 * Decodes hexadecimal text[0..len) in either case. An odd length or a
 * non-hex character is an error naming the offset. On success *out
 * (NUL-terminated, released with whk_free()) and *out_len hold the bytes.
 */
WHK_API enum whk_status whk_hex_decode(const char *text, size_t len,
                                       unsigned char **out, size_t *out_len,
                                       struct whk_error *err);

#ifdef __cplusplus
}
#endif

#endif
