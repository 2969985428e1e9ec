/* SPDX-License-Identifier: MIT */
/* The request model that plugins sign and verify, with form and URL helpers. */
#ifndef WHK_REQUEST_H
#define WHK_REQUEST_H

#include <whk/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One decoded form parameter. Keys and values may contain NUL bytes, so
 * their lengths are explicit; each is also NUL-terminated for convenience.
 */
struct whk_param {
    const char *key;
    size_t key_len;
    const char *value;
    size_t value_len;
};

/*
 * Decodes an application/x-www-form-urlencoded body: pairs split on "&",
 * key and value on the first "=", "+" as space and "%XX" as a byte. A "%"
 * not followed by two hex digits stays literal, as in Node's querystring.
 * Empty pairs are skipped; a pair without "=" has an empty value. Repeated
 * keys are kept in order. On success *params is one allocation holding the
 * array and its strings, released with whk_free().
 */
WHK_API enum whk_status whk_form_decode(const char *body, size_t len,
                                        struct whk_param **params,
                                        size_t *count, struct whk_error *err);

/*
 * Encodes bytes for a form body or query string: unreserved characters
 * (A-Z a-z 0-9 - . _ ~) stay, space becomes "+", every other byte "%XX".
 * Returns a string released with whk_free(), or NULL when memory runs out.
 */
WHK_API char *whk_form_encode(const char *data, size_t len);

/*
 * Copies params[0..count) as text and sorts the copies, for schemes that
 * sign sorted parameters the way a Node.js SDK computes them. Each key and
 * value is decoded as UTF-8 by the WHATWG Encoding Standard's decoder,
 * which Node.js uses, so every invalid sequence becomes U+FFFD. The copies
 * are sorted by key, then by value, in UTF-16 code unit order, which is
 * how JavaScript's Array.prototype.sort() compares strings. That order
 * differs from byte order only where a character above U+FFFF meets one in
 * U+E000..U+FFFF. Repeated pairs are kept, next to each other. On success
 * *sorted is one allocation containing the count parameters and their
 * NUL-terminated strings, released with whk_free().
 */
WHK_API enum whk_status whk_params_sorted_text(const struct whk_param *params,
                                               size_t count,
                                               struct whk_param **sorted,
                                               struct whk_error *err);

/*
 * Parts of a URL as spans into the original string: nothing is decoded or
 * re-encoded, because providers sign the exact characters of the URL.
 * Absent parts have ptr NULL. port excludes the ":", query the "?" and
 * fragment the "#". A URL with "?" and nothing after has an empty, non-NULL
 * query.
 */
struct whk_url_parts {
    struct whk_span scheme;
    struct whk_span userinfo;
    struct whk_span host; /* an IPv6 literal keeps its brackets */
    struct whk_span port;
    struct whk_span path;
    struct whk_span query;
    struct whk_span fragment;
};

/*
 * Splits an absolute URL ("scheme://authority/path?query#fragment") into
 * parts. A URL without "scheme://", with an empty host, or with a
 * non-numeric port is an error.
 */
WHK_API enum whk_status whk_url_split(const char *url,
                                      struct whk_url_parts *parts,
                                      struct whk_error *err);

/*
 * Returns a copy of url without its explicit port ("https://h:8443/p" to
 * "https://h/p"), or an unchanged copy when it has none. Released with
 * whk_free(); NULL when url is not absolute or memory runs out.
 */
WHK_API char *whk_url_without_port(const char *url);

/*
 * Returns a copy of url with the scheme's default port made explicit (443
 * for https, 80 for any other scheme), or an unchanged copy when it has a
 * port. Released with whk_free(); NULL when url is not absolute or memory
 * runs out.
 */
WHK_API char *whk_url_with_default_port(const char *url);

/*
 * Finds the first query parameter of url whose decoded key equals name and
 * stores its decoded value in *value (released with whk_free()). Returns
 * WHK_ERR_NOT_FOUND when the URL has no such parameter.
 */
WHK_API enum whk_status whk_url_query_get(const char *url, const char *name,
                                          char **value, struct whk_error *err);

/*
 * An HTTP request as a provider sent it: method, the public URL the
 * provider signed (not the local one the request arrived at), headers in
 * wire order with repeated names kept, the raw body bytes, and the body's
 * form parameters when its Content-Type is
 * application/x-www-form-urlencoded. Opaque so that fields can be added
 * without breaking plugins.
 */
struct whk_request;

/* Creates an empty request: method "POST", no URL, headers or body. */
WHK_API struct whk_request *whk_request_new(void);

/* Returns a deep copy of request, or NULL when memory runs out. */
WHK_API struct whk_request *whk_request_copy(const struct whk_request *req);

/* Releases a request and everything it owns. Accepts NULL. */
WHK_API void whk_request_free(struct whk_request *req);

WHK_API const char *whk_request_method(const struct whk_request *req);

/* Sets the method; WHK_ERR_INVALID unless it is an HTTP token ("POST"). */
WHK_API enum whk_status whk_request_set_method(struct whk_request *req,
                                               const char *method);

/* The public URL the provider signed, or NULL when none is set. */
WHK_API const char *whk_request_url(const struct whk_request *req);
WHK_API enum whk_status whk_request_set_url(struct whk_request *req,
                                            const char *url);

/* Returns the number of header lines, repeated names counted each time. */
WHK_API size_t whk_request_header_count(const struct whk_request *req);

/*
 * Stores the name and value of header line index (wire order) in *name
 * and *value. Returns WHK_ERR_NOT_FOUND past the last line.
 */
WHK_API enum whk_status whk_request_header_at(const struct whk_request *req,
                                              size_t index, const char **name,
                                              const char **value);

/*
 * Returns the value of the nth (from 0) header line named name, compared
 * case-insensitively, or NULL when there are fewer lines with that name.
 */
WHK_API const char *whk_request_header_nth(const struct whk_request *req,
                                           const char *name, size_t nth);

/* Returns the first value of header name, or NULL when it is absent. */
WHK_API const char *whk_request_header(const struct whk_request *req,
                                       const char *name);

/*
 * Appends a header line, keeping any earlier lines with the same name.
 * WHK_ERR_INVALID when the name is not an HTTP token or the value contains
 * CR or LF. whk_request_set_header() checks the same.
 */
WHK_API enum whk_status whk_request_add_header(struct whk_request *req,
                                               const char *name,
                                               const char *value);

/*
 * Replaces the first line named name with value and removes later lines of
 * that name, or appends the line when the name is absent.
 */
WHK_API enum whk_status whk_request_set_header(struct whk_request *req,
                                               const char *name,
                                               const char *value);

/* Removes every line named name; returns how many were removed. */
WHK_API size_t whk_request_remove_header(struct whk_request *req,
                                         const char *name);

/*
 * The raw body: *len receives its size. The bytes are NUL-terminated after
 * len for convenience but may contain NUL bytes themselves.
 */
WHK_API const char *whk_request_body(const struct whk_request *req,
                                     size_t *len);

/* Replaces the body with a copy of body[0..len). */
WHK_API enum whk_status whk_request_set_body(struct whk_request *req,
                                             const char *body, size_t len);

/*
 * Returns the media type of Content-Type, lowercased and without
 * parameters ("application/json"), in buf of size buf_size, or "" when the
 * header is absent.
 */
WHK_API const char *whk_request_media_type(const struct whk_request *req,
                                           char *buf, size_t buf_size);

/*
 * Returns the number of form parameters, which are decoded from the body
 * whenever the body or Content-Type changes and the media type is
 * application/x-www-form-urlencoded; 0 otherwise.
 */
WHK_API size_t whk_request_param_count(const struct whk_request *req);

/* Returns form parameter index in body order, or NULL past the last one. */
WHK_API const struct whk_param *
whk_request_param_at(const struct whk_request *req, size_t index);

#ifdef __cplusplus
}
#endif

#endif
