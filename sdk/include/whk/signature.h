/* SPDX-License-Identifier: MIT */
/* Signature header parsing, encoded HMAC signatures and secret forms. */
#ifndef WHK_SIGNATURE_H
#define WHK_SIGNATURE_H

#include <whk/common.h>
#include <whk/crypto.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One item of a signature header made of key/value items, such as
 * "t=1700000000" in Stripe's "t=1700000000,v1=5257a8..." or "v1,K5oZ..." in
 * Standard Webhooks' list. Both spans point into the parsed header.
 */
struct whk_header_item {
    struct whk_span key;
    struct whk_span value;
    size_t position; /* 1 for the header's first item */
};

/* Largest number of items whk_header_items_parse() accepts. */
#define WHK_HEADER_MAX_ITEMS 32

/*
 * Splits header into items separated by item_separator (',' for Stripe,
 * ';' for Paddle, ' ' for Standard Webhooks) and splits each item into key
 * and value at its first key_separator ('=' or ','). Spaces and tabs
 * around an item are skipped, and empty items are ignored. An item without
 * key_separator, an item with an empty key, and more than max items are
 * errors whose message quotes the item and its position. On success
 * items[0..*count) hold the items in header order.
 */
WHK_API enum whk_status
whk_header_items_parse(const char *header, char item_separator,
                       char key_separator, struct whk_header_item *items,
                       size_t max, size_t *count, struct whk_error *err);

/* Returns the number of items whose key equals key (case-sensitive). */
WHK_API size_t whk_header_items_count(const struct whk_header_item *items,
                                      size_t count, const char *key);

/* Returns the first item whose key equals key, or NULL. */
WHK_API const struct whk_header_item *
whk_header_items_find(const struct whk_header_item *items, size_t count,
                      const char *key);

/* Text encodings of a binary signature. */
enum whk_encoding {
    WHK_ENCODING_HEX = 1,   /* lowercase hexadecimal */
    WHK_ENCODING_BASE64 = 2 /* standard alphabet with "=" padding */
};

/*
 * Computes the HMAC of the concatenation of parts[0..count) keyed with
 * key[0..key_len) and stores it encoded, NUL-terminated, in *out, which
 * the caller releases with whk_free().
 */
WHK_API enum whk_status
whk_hmac_encoded(enum whk_hash hash, const void *key, size_t key_len,
                 const struct whk_span *parts, size_t count,
                 enum whk_encoding encoding, char **out, struct whk_error *err);

/*
 * Checks that text[0..len) has the form of an encoded signature of
 * size bytes: 2 * size hexadecimal digits, or strict base64 of size bytes.
 * Returns WHK_OK, or WHK_ERR_INVALID with a message saying what is wrong
 * ("character 'g' at offset 5 is not a hex digit", "63 hex digits, but an
 * HMAC-SHA-256 signature has 64").
 */
WHK_API enum whk_status whk_signature_check_form(const char *text, size_t len,
                                                 enum whk_encoding encoding,
                                                 size_t size,
                                                 struct whk_error *err);

/*
 * Checks the common mistakes in a pasted secret: surrounding whitespace (a
 * newline from echo), surrounding quotes, and a NUL byte. Returns WHK_OK,
 * or WHK_ERR_SECRET with a message naming the mistake and the fix; the
 * message never contains the secret.
 */
WHK_API enum whk_status whk_secret_check_pasted(struct whk_span secret,
                                                struct whk_error *err);

/*
 * Decodes a secret of the form prefix + base64, such as Standard Webhooks'
 * "whsec_MfKQ9r8G...". Runs whk_secret_check_pasted() first, then rejects
 * a signature pasted in place of the secret ("v1,..."), a missing prefix
 * when prefix_required is 1, base64 that is invalid in the standard
 * alphabet, and an empty decoded key. With prefix_required 0 the prefix is
 * removed when present. On success *key (released with whk_free()) and
 * *key_len hold the decoded bytes. Errors are WHK_ERR_SECRET.
 */
WHK_API enum whk_status
whk_secret_decode_base64(struct whk_span secret, const char *prefix,
                         int prefix_required, unsigned char **key,
                         size_t *key_len, struct whk_error *err);

/*
 * Fills buf[0..len) with bytes from a cryptographically secure generator,
 * for message ids and nonces. Returns WHK_OK or WHK_ERR_CRYPTO.
 */
WHK_API enum whk_status whk_random_bytes(void *buf, size_t len,
                                         struct whk_error *err);

#ifdef __cplusplus
}
#endif

#endif
