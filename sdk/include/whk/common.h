/* SPDX-License-Identifier: MIT */
/* Status codes, the error structure and memory release shared by libwhk. */
#ifndef WHK_COMMON_H
#define WHK_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WHK_API               __attribute__((visibility("default")))
#define WHK_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WHK_API
#define WHK_PRINTF(fmt, args)
#endif

/* Result of every fallible libwhk function; 0 is success. */
enum whk_status {
    WHK_OK = 0,
    WHK_ERR_INVALID,     /* an argument or input value is malformed */
    WHK_ERR_NO_MEMORY,   /* an allocation failed */
    WHK_ERR_CRYPTO,      /* OpenSSL reported a failure */
    WHK_ERR_IO,          /* a file could not be read or written */
    WHK_ERR_NOT_FOUND,   /* a named provider, file or value does not exist */
    WHK_ERR_PLUGIN,      /* a plugin could not be loaded or was rejected */
    WHK_ERR_SECRET,      /* a secret or key is missing or has the wrong form */
    WHK_ERR_UNSUPPORTED, /* the request uses a feature the scheme lacks */
    WHK_ERR_CONFIG       /* a providers.d entry is malformed */
};

/* Maximum length of an error text, terminating NUL included. */
#define WHK_ERROR_TEXT_SIZE 512

/*
 * Details of a failure, filled by the function that failed. The caller owns
 * the structure; functions accept NULL when the caller wants no details.
 */
struct whk_error {
    enum whk_status status;
    char text[WHK_ERROR_TEXT_SIZE];
};

/* Returns a static, lowercase description of a status code. */
WHK_API const char *whk_strerror(enum whk_status status);

/*
 * Records a status and a printf-style message in err, which may be NULL.
 * Returns status, so a failing function can end with
 * "return whk_error_set(err, WHK_ERR_INVALID, ...)".
 */
WHK_API enum whk_status whk_error_set(struct whk_error *err,
                                      enum whk_status status,
                                      const char *format, ...) WHK_PRINTF(3, 4);

/*
 * Releases memory that a libwhk function returned (encoded strings, decoded
 * bytes, parameter arrays). Accepts NULL.
 */
WHK_API void whk_free(void *memory);

/* A run of bytes that the span does not own, such as part of a request. */
struct whk_span {
    const char *ptr;
    size_t len;
};

#ifdef __cplusplus
}
#endif

#endif
