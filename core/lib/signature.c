/* SPDX-License-Identifier: MIT */
/* Signature header items, encoded HMAC signatures and secret form checks. */
#include <string.h>

#include <openssl/rand.h>

#include "internal.h"

/* Longest part of an item quoted in an error message. */
#define QUOTE_MAX 40

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Trims spaces and tabs, except the separator itself, from both ends. */
static struct whk_span trim(const char *ptr, size_t len, char separator)
{
    while (len > 0 && is_blank(*ptr) && *ptr != separator) {
        ptr++;
        len--;
    }
    while (len > 0 && is_blank(ptr[len - 1]) && ptr[len - 1] != separator)
        len--;
    return (struct whk_span){ptr, len};
}

static enum whk_status add_item(struct whk_span item, char key_separator,
                                size_t position, struct whk_header_item *out,
                                struct whk_error *err)
{
    const char *split = memchr(item.ptr, key_separator, item.len);
    int quoted = item.len > QUOTE_MAX ? QUOTE_MAX : (int)item.len;

    if (split == NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "item %zu '%.*s%s' has no '%c' between a key "
                             "and a value",
                             position, quoted, item.ptr,
                             item.len > QUOTE_MAX ? "..." : "", key_separator);
    if (split == item.ptr)
        return whk_error_set(
            err, WHK_ERR_INVALID, "item %zu '%.*s%s' has an empty key",
            position, quoted, item.ptr, item.len > QUOTE_MAX ? "..." : "");
    out->key = (struct whk_span){item.ptr, (size_t)(split - item.ptr)};
    out->value = (struct whk_span){split + 1, item.len - out->key.len - 1};
    out->position = position;
    return WHK_OK;
}

enum whk_status whk_header_items_parse(const char *header, char item_separator,
                                       char key_separator,
                                       struct whk_header_item *items,
                                       size_t max, size_t *count,
                                       struct whk_error *err)
{
    size_t len = strlen(header), start = 0, position = 0;
    enum whk_status status;

    *count = 0;
    for (size_t i = 0; i <= len; i++) {
        struct whk_span item;

        if (i < len && header[i] != item_separator)
            continue;
        item = trim(header + start, i - start, item_separator);
        start = i + 1;
        if (item.len == 0)
            continue;
        position++;
        if (*count == max)
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "the header has more than %zu items", max);
        status = add_item(item, key_separator, position, &items[*count], err);
        if (status != WHK_OK)
            return status;
        (*count)++;
    }
    return WHK_OK;
}

static int key_is(const struct whk_header_item *item, const char *key)
{
    size_t len = strlen(key);

    return item->key.len == len && memcmp(item->key.ptr, key, len) == 0;
}

size_t whk_header_items_count(const struct whk_header_item *items, size_t count,
                              const char *key)
{
    size_t n = 0;

    for (size_t i = 0; i < count; i++)
        n += key_is(&items[i], key);
    return n;
}

const struct whk_header_item *
whk_header_items_find(const struct whk_header_item *items, size_t count,
                      const char *key)
{
    for (size_t i = 0; i < count; i++) {
        if (key_is(&items[i], key))
            return &items[i];
    }
    return NULL;
}

enum whk_status whk_hmac_encoded(enum whk_hash hash, const void *key,
                                 size_t key_len, const struct whk_span *parts,
                                 size_t count, enum whk_encoding encoding,
                                 char **out, struct whk_error *err)
{
    unsigned char mac[WHK_DIGEST_MAX_SIZE];
    size_t mac_len;
    enum whk_status status;

    status = whk_hmac(hash, key, key_len, parts, count, mac, &mac_len, err);
    if (status != WHK_OK)
        return status;
    *out = encoding == WHK_ENCODING_HEX
               ? whk_hex_encode(mac, mac_len)
               : whk_base64_encode(mac, mac_len, WHK_BASE64_STANDARD);
    if (*out == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    return WHK_OK;
}

static enum whk_status check_hex(const char *text, size_t len, size_t size,
                                 struct whk_error *err)
{
    for (size_t i = 0; i < len; i++) {
        char c = text[i];

        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
              (c >= 'A' && c <= 'F')))
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "character 0x%02x at offset %zu is not a "
                                 "hex digit",
                                 (unsigned char)c, i);
    }
    if (len != 2 * size)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "it has %zu hex digits, but the signature has "
                             "%zu",
                             len, 2 * size);
    return WHK_OK;
}

enum whk_status whk_signature_check_form(const char *text, size_t len,
                                         enum whk_encoding encoding,
                                         size_t size, struct whk_error *err)
{
    unsigned char *bytes = NULL;
    size_t bytes_len = 0;
    enum whk_status status;

    if (encoding == WHK_ENCODING_HEX)
        return check_hex(text, len, size, err);

    status = whk_base64_decode(text, len, WHK_BASE64_STANDARD, &bytes,
                               &bytes_len, err);
    whk_free(bytes);
    if (status != WHK_OK)
        return status;
    if (bytes_len != size)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "it decodes to %zu bytes, but the signature has "
                             "%zu (%zu base64 characters)",
                             bytes_len, size, 4 * ((size + 2) / 3));
    return WHK_OK;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum whk_status whk_secret_check_pasted(struct whk_span secret,
                                        struct whk_error *err)
{
    const char *s = secret.ptr;
    size_t len = secret.len;

    if (len == 0)
        return whk_error_set(err, WHK_ERR_SECRET, "the secret is empty");
    if (s[len - 1] == '\n')
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret ends with a newline; remove it "
                             "(write secret files with printf '%%s', not "
                             "echo)");
    if (is_space(s[len - 1]) || is_space(s[0]))
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret %s with whitespace; remove it, "
                             "because the provider signs with the secret "
                             "alone",
                             is_space(s[0]) ? "starts" : "ends");
    if (len >= 2 && ((s[0] == '"' && s[len - 1] == '"') ||
                     (s[0] == '\'' && s[len - 1] == '\'')))
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret is wrapped in quotes; remove them "
                             "(a quoted value in a .env file keeps its "
                             "quotes only in some loaders)");
    if (memchr(s, '\0', len) != NULL)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret contains a NUL byte; check that "
                             "the file holds the secret as text");
    return WHK_OK;
}

/* Rejects a Standard Webhooks signature pasted in place of the secret. */
static enum whk_status check_not_signature(struct whk_span secret,
                                           struct whk_error *err)
{
    if (secret.len >= 3 && secret.ptr[0] == 'v' &&
        (secret.ptr[1] == '1' || secret.ptr[1] == '0') &&
        (secret.ptr[2] == ',' || secret.ptr[2] == '='))
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret starts with '%.3s', the prefix of a "
                             "signature header value; paste the signing "
                             "secret from the dashboard instead",
                             secret.ptr);
    return WHK_OK;
}

enum whk_status whk_secret_decode_base64(struct whk_span secret,
                                         const char *prefix,
                                         int prefix_required,
                                         unsigned char **key, size_t *key_len,
                                         struct whk_error *err)
{
    size_t prefix_len = prefix ? strlen(prefix) : 0;
    struct whk_error detail = {0};
    struct whk_span text = secret;
    enum whk_status status;

    status = whk_secret_check_pasted(secret, err);
    if (status == WHK_OK)
        status = check_not_signature(secret, err);
    if (status != WHK_OK)
        return status;

    if (prefix_len > 0 && text.len >= prefix_len &&
        memcmp(text.ptr, prefix, prefix_len) == 0) {
        text.ptr += prefix_len;
        text.len -= prefix_len;
    } else if (prefix_len > 0 && prefix_required) {
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret does not start with '%s'; copy the "
                             "whole signing secret from the dashboard",
                             prefix);
    }

    if (whk_base64_decode(text.ptr, text.len, WHK_BASE64_STANDARD, key, key_len,
                          &detail) != WHK_OK)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret after '%s' is not valid base64 "
                             "(%s); copy the whole secret again",
                             prefix ? prefix : "", detail.text);
    if (*key_len == 0) {
        whk_free(*key);
        *key = NULL;
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret's key is empty: nothing follows "
                             "'%s'; copy the whole secret",
                             prefix ? prefix : "");
    }
    return WHK_OK;
}

enum whk_status whk_random_bytes(void *buf, size_t len, struct whk_error *err)
{
    if (len > 0x7fffffff || RAND_bytes(buf, (int)len) != 1)
        return whk_error_set(err, WHK_ERR_CRYPTO,
                             "the random generator failed in OpenSSL");
    return WHK_OK;
}
