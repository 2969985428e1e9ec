/* SPDX-License-Identifier: MIT */
/* Form parameters as text sorted the way JavaScript sorts strings. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Decodes the UTF-8 character at text[*pos] and advances *pos. The text
 * is valid UTF-8 (see to_utf8()); a stray byte still decodes as U+FFFD.
 */
static unsigned long next_char(const unsigned char *text, size_t len,
                               size_t *pos)
{
    unsigned char lead = text[*pos];
    size_t extra = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
    unsigned long c = extra == 3   ? lead & 0x07u
                      : extra == 2 ? lead & 0x0fu
                      : extra == 1 ? lead & 0x1fu
                                   : lead;

    if ((lead >= 0x80 && extra == 0) || lead >= 0xf8 ||
        (extra > 0 && *pos + extra >= len))
        goto invalid;
    for (size_t i = 1; i <= extra; i++) {
        if ((text[*pos + i] & 0xc0) != 0x80)
            goto invalid;
        c = c << 6 | (text[*pos + i] & 0x3fu);
    }
    *pos += extra + 1;
    return c;

invalid:
    (*pos)++;
    return 0xfffd;
}

/* Returns the UTF-16 code unit that starts character c. */
static unsigned long first_unit(unsigned long c)
{
    return c < 0x10000 ? c : 0xd800 + ((c - 0x10000) >> 10);
}

/*
 * Orders UTF-8 strings as JavaScript orders strings, by UTF-16 code units.
 * This differs from bytewise
 * order only where a character above U+FFFF meets one in U+E000..U+FFFF.
 * Strings that compare equal this way but differ in bytes are ordered
 * bytewise, so that only identical strings are equal.
 */
static int compare_text(const char *a, size_t a_len, const char *b,
                        size_t b_len)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;
    size_t i = 0, j = 0;
    int c;

    while (i < a_len && j < b_len) {
        unsigned long p = next_char(x, a_len, &i), q = next_char(y, b_len, &j);

        if (p == q)
            continue;
        if (first_unit(p) != first_unit(q))
            return first_unit(p) < first_unit(q) ? -1 : 1;
        return p < q ? -1 : 1; /* same high surrogate: low ones decide */
    }
    if (i < a_len || j < b_len)
        return i < a_len ? 1 : -1;

    c = memcmp(a, b, a_len < b_len ? a_len : b_len);
    if (c != 0)
        return c;
    return a_len < b_len ? -1 : a_len > b_len;
}

static int compare_params(const void *x, const void *y)
{
    const struct whk_param *a = x, *b = y;
    int c = compare_text(a->key, a->key_len, b->key, b->key_len);

    return c != 0
               ? c
               : compare_text(a->value, a->value_len, b->value, b->value_len);
}

static void put_char(char *out, size_t *n, unsigned long c)
{
    if (c < 0x80) {
        out[(*n)++] = (char)c;
    } else if (c < 0x800) {
        out[(*n)++] = (char)(0xc0 | c >> 6);
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out[(*n)++] = (char)(0xe0 | c >> 12);
        out[(*n)++] = (char)(0x80 | (c >> 6 & 0x3f));
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    } else {
        out[(*n)++] = (char)(0xf0 | c >> 18);
        out[(*n)++] = (char)(0x80 | (c >> 12 & 0x3f));
        out[(*n)++] = (char)(0x80 | (c >> 6 & 0x3f));
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    }
}

/*
 * Copies text with each invalid UTF-8 sequence replaced by U+FFFD, by the
 * WHATWG Encoding Standard's decoder, which Node.js uses to turn request
 * bytes into strings. out has room for 3 * len bytes. Returns the output
 * length.
 */
static size_t to_utf8(const unsigned char *text, size_t len, char *out)
{
    unsigned long c = 0;
    size_t needed = 0, seen = 0, n = 0;
    unsigned char lower = 0x80, upper = 0xbf;

    for (size_t i = 0; i < len; i++) {
        unsigned char b = text[i];

        if (needed == 0) {
            if (b < 0x80) {
                out[n++] = (char)b;
            } else if (b >= 0xc2 && b <= 0xdf) {
                needed = 1;
                c = b & 0x1fu;
            } else if (b >= 0xe0 && b <= 0xef) {
                lower = b == 0xe0 ? 0xa0 : 0x80;
                upper = b == 0xed ? 0x9f : 0xbf;
                needed = 2;
                c = b & 0x0fu;
            } else if (b >= 0xf0 && b <= 0xf4) {
                lower = b == 0xf0 ? 0x90 : 0x80;
                upper = b == 0xf4 ? 0x8f : 0xbf;
                needed = 3;
                c = b & 0x07u;
            } else {
                put_char(out, &n, 0xfffd);
            }
            continue;
        }
        if (b < lower || b > upper) {
            /* The sequence ends early; b starts over. */
            put_char(out, &n, 0xfffd);
            needed = seen = 0;
            lower = 0x80;
            upper = 0xbf;
            i--;
            continue;
        }
        lower = 0x80;
        upper = 0xbf;
        c = c << 6 | (b & 0x3fu);
        if (++seen == needed) {
            put_char(out, &n, c);
            needed = seen = 0;
        }
    }
    if (needed != 0)
        put_char(out, &n, 0xfffd);
    return n;
}

/* Copies text[0..len) through to_utf8() to out + *n, NUL-terminated. */
static const char *copy_text(const char *text, size_t len, char *out, size_t *n,
                             size_t *out_len)
{
    const char *start = out + *n;

    *out_len = to_utf8((const unsigned char *)text, len, out + *n);
    *n += *out_len;
    out[(*n)++] = '\0';
    return start;
}

enum whk_status whk_params_sorted_text(const struct whk_param *params,
                                       size_t count, struct whk_param **sorted,
                                       struct whk_error *err)
{
    size_t size = count * sizeof(struct whk_param), n = 0;
    struct whk_param *copy;
    char *text;

    for (size_t i = 0; i < count; i++)
        size += 3 * (params[i].key_len + params[i].value_len) + 2;
    copy = malloc(size ? size : 1);
    if (copy == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY,
                             "out of memory sorting %zu form parameters",
                             count);

    text = (char *)(copy + count);
    for (size_t i = 0; i < count; i++) {
        copy[i].key = copy_text(params[i].key, params[i].key_len, text, &n,
                                &copy[i].key_len);
        copy[i].value = copy_text(params[i].value, params[i].value_len, text,
                                  &n, &copy[i].value_len);
    }
    qsort(copy, count, sizeof(*copy), compare_params);
    *sorted = copy;
    return WHK_OK;
}
