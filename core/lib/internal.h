/* SPDX-License-Identifier: MIT */
/* Declarations shared between libwhk's source files and not exported. */
#ifndef WHK_INTERNAL_H
#define WHK_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <whk/whk.h>

#define WHKP_HIDDEN __attribute__((visibility("hidden")))

/* Copies s[0..len) into a new NUL-terminated string, or returns NULL. */
WHKP_HIDDEN char *whkp_strndup(const char *s, size_t len);

/* Lowercase ASCII comparison of two NUL-terminated strings. */
WHKP_HIDDEN int whkp_strcaseeq(const char *a, const char *b);

/* Formats into a newly allocated string, or returns NULL. */
WHKP_HIDDEN char *whkp_vformat(const char *format, va_list args);
WHKP_HIDDEN char *whkp_format(const char *format, ...) WHK_PRINTF(1, 2);

#endif
