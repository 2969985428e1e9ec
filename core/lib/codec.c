/* SPDX-License-Identifier: MIT */
/* Strict base64 and hexadecimal encoding and decoding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"

char *whk_base64_encode(const void *data, size_t len, int flags)
{
    size_t size = 4 * ((len + 2) / 3) + 1;
    char *text;
    int n;

    if (len > (size_t)INT32_MAX / 2)
        return NULL;
    text = malloc(size);
    if (text == NULL)
        return NULL;

    n = EVP_EncodeBlock((unsigned char *)text, data, (int)len);
    if (flags & WHK_BASE64_URL) {
        for (int i = 0; i < n; i++) {
            if (text[i] == '+')
                text[i] = '-';
            else if (text[i] == '/')
                text[i] = '_';
        }
    }
    if (flags & WHK_BASE64_NOPAD) {
        while (n > 0 && text[n - 1] == '=')
            text[--n] = '\0';
    }
    return text;
}

static int base64_value(char c, int flags)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == ((flags & WHK_BASE64_URL) ? '-' : '+'))
        return 62;
    if (c == ((flags & WHK_BASE64_URL) ? '_' : '/'))
        return 63;
    return -1;
}

/* Validates text and counts its padding; returns 0 or an error status. */
static enum whk_status base64_check(const char *text, size_t len, int flags,
                                    size_t *padding, struct whk_error *err)
{
    size_t data_len = len;

    *padding = 0;
    while (data_len > 0 && text[data_len - 1] == '=' && *padding < 2) {
        data_len--;
        (*padding)++;
    }
    for (size_t i = 0; i < data_len; i++) {
        if (base64_value(text[i], flags) < 0)
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "invalid base64: character 0x%02x at "
                                 "offset %zu is not in the %s alphabet",
                                 (unsigned char)text[i], i,
                                 (flags & WHK_BASE64_URL) ? "URL-safe"
                                                          : "standard");
    }
    if (data_len % 4 == 1)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "invalid base64: %zu characters cannot encode "
                             "whole bytes",
                             data_len);
    if (*padding > 0 && len % 4 != 0)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "invalid base64: wrong padding at the end");
    if (*padding == 0 && len % 4 != 0 && !(flags & WHK_BASE64_NOPAD))
        return whk_error_set(err, WHK_ERR_INVALID,
                             "invalid base64: length %zu is not a multiple "
                             "of 4 and the '=' padding is missing",
                             len);
    return WHK_OK;
}

enum whk_status whk_base64_decode(const char *text, size_t len, int flags,
                                  unsigned char **out, size_t *out_len,
                                  struct whk_error *err)
{
    size_t padding, data_len, padded_len;
    unsigned char *bytes = NULL;
    char *work = NULL;
    enum whk_status status;
    int n;

    status = base64_check(text, len, flags, &padding, err);
    if (status != WHK_OK)
        return status;
    if (len > (size_t)INT32_MAX / 2)
        return whk_error_set(err, WHK_ERR_INVALID, "base64 text too long");

    /* EVP_DecodeBlock wants the standard alphabet, padded. */
    data_len = len - padding;
    padded_len = (data_len + 3) / 4 * 4;
    work = malloc(padded_len + 1);
    bytes = malloc(padded_len / 4 * 3 + 1);
    if (work == NULL || bytes == NULL) {
        status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < data_len; i++) {
        char c = text[i];
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        work[i] = c;
    }
    memset(work + data_len, '=', padded_len - data_len);

    n = EVP_DecodeBlock(bytes, (unsigned char *)work, (int)padded_len);
    if (n < 0) {
        status = whk_error_set(err, WHK_ERR_INVALID, "invalid base64");
        goto out;
    }
    *out_len = (size_t)n - (padded_len - data_len);
    bytes[*out_len] = '\0';
    *out = bytes;
    bytes = NULL;

out:
    free(work);
    free(bytes);
    return status;
}

char *whk_hex_encode(const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *bytes = data;
    char *text = malloc(2 * len + 1);

    if (text == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        text[2 * i] = digits[bytes[i] >> 4];
        text[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    text[2 * len] = '\0';
    return text;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum whk_status whk_hex_decode(const char *text, size_t len,
                               unsigned char **out, size_t *out_len,
                               struct whk_error *err)
{
    unsigned char *bytes;

    if (len % 2 != 0)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "invalid hex: odd length %zu", len);
    for (size_t i = 0; i < len; i++) {
        if (hex_value(text[i]) < 0)
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "invalid hex: character 0x%02x at offset "
                                 "%zu is not a hex digit",
                                 (unsigned char)text[i], i);
    }

    bytes = malloc(len / 2 + 1);
    if (bytes == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    for (size_t i = 0; i < len / 2; i++)
        bytes[i] = (unsigned char)(hex_value(text[2 * i]) << 4 |
                                   hex_value(text[2 * i + 1]));
    bytes[len / 2] = '\0';
    *out = bytes;
    *out_len = len / 2;
    return WHK_OK;
}
