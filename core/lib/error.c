/* SPDX-License-Identifier: MIT */
/* Status texts, error recording and small string helpers. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *whk_strerror(enum whk_status status)
{
    switch (status) {
    case WHK_OK:
        return "success";
    case WHK_ERR_INVALID:
        return "invalid input";
    case WHK_ERR_NO_MEMORY:
        return "out of memory";
    case WHK_ERR_CRYPTO:
        return "cryptographic operation failed";
    case WHK_ERR_IO:
        return "input/output error";
    case WHK_ERR_NOT_FOUND:
        return "not found";
    case WHK_ERR_PLUGIN:
        return "plugin rejected";
    case WHK_ERR_SECRET:
        return "unusable secret";
    case WHK_ERR_UNSUPPORTED:
        return "not supported";
    case WHK_ERR_CONFIG:
        return "invalid provider configuration";
    }
    return "unknown status";
}

enum whk_status whk_error_set(struct whk_error *err, enum whk_status status,
                              const char *format, ...)
{
    va_list args;

    if (err == NULL)
        return status;

    err->status = status;
    va_start(args, format);
    vsnprintf(err->text, sizeof(err->text), format, args);
    va_end(args);
    return status;
}

void whk_free(void *memory)
{
    free(memory);
}

char *whkp_strndup(const char *s, size_t len)
{
    char *copy = malloc(len + 1);

    if (copy == NULL)
        return NULL;
    if (len > 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

int whkp_strcaseeq(const char *a, const char *b)
{
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
    return *a == *b;
}

char *whkp_vformat(const char *format, va_list args)
{
    va_list copy;
    int len;
    char *text;

    va_copy(copy, args);
    len = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    if (len < 0)
        return NULL;

    text = malloc((size_t)len + 1);
    if (text != NULL)
        vsnprintf(text, (size_t)len + 1, format, args);
    return text;
}

char *whkp_format(const char *format, ...)
{
    va_list args;
    char *text;

    va_start(args, format);
    text = whkp_vformat(format, args);
    va_end(args);
    return text;
}
