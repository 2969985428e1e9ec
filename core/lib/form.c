/* SPDX-License-Identifier: MIT */
/* application/x-www-form-urlencoded decoding and encoding. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes src[0..len) into dst, which has room for len bytes. */
static size_t percent_decode(const char *src, size_t len, char *dst)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        int high = i + 2 < len ? hex_digit(src[i + 1]) : -1;
        int low = i + 2 < len ? hex_digit(src[i + 2]) : -1;

        if (src[i] == '+') {
            dst[n++] = ' ';
        } else if (src[i] == '%' && high >= 0 && low >= 0) {
            dst[n++] = (char)(high << 4 | low);
            i += 2;
        } else {
            dst[n++] = src[i];
        }
    }
    return n;
}

/* Counts the non-empty "&"-separated pairs of body. */
static size_t count_pairs(const char *body, size_t len)
{
    size_t count = 0, start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i == len || body[i] == '&') {
            if (i > start)
                count++;
            start = i + 1;
        }
    }
    return count;
}

enum whk_status whk_form_decode(const char *body, size_t len,
                                struct whk_param **params, size_t *count,
                                struct whk_error *err)
{
    size_t pairs = count_pairs(body, len);
    size_t n = 0, start = 0;
    struct whk_param *array;
    char *strings;

    /*
     * One block: the array, then every key and value with a NUL each.
     * Decoding never lengthens text, so len + 2 bytes per pair suffice.
     */
    array = malloc(pairs * sizeof(*array) + len + 2 * pairs + 1);
    if (array == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY,
                             "out of memory decoding a %zu-byte form", len);
    strings = (char *)(array + pairs);

    for (size_t i = 0; i <= len; i++) {
        const char *pair = body + start, *equals;
        size_t pair_len = i - start, key_len;

        if (i < len && body[i] != '&')
            continue;
        start = i + 1;
        if (pair_len == 0)
            continue;

        equals = memchr(pair, '=', pair_len);
        key_len = equals ? (size_t)(equals - pair) : pair_len;

        array[n].key = strings;
        array[n].key_len = percent_decode(pair, key_len, strings);
        strings += array[n].key_len;
        *strings++ = '\0';

        array[n].value = strings;
        array[n].value_len =
            equals ? percent_decode(equals + 1, pair_len - key_len - 1, strings)
                   : 0;
        strings += array[n].value_len;
        *strings++ = '\0';
        n++;
    }

    *params = array;
    *count = n;
    return WHK_OK;
}

char *whk_form_encode(const char *data, size_t len)
{
    static const char digits[] = "0123456789ABCDEF";
    char *text = malloc(3 * len + 1);
    size_t n = 0;

    if (text == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)data[i];

        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            text[n++] = (char)c;
        } else if (c == ' ') {
            text[n++] = '+';
        } else {
            text[n++] = '%';
            text[n++] = digits[c >> 4];
            text[n++] = digits[c & 0xf];
        }
    }
    text[n] = '\0';
    return text;
}
