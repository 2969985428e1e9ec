/* SPDX-License-Identifier: MIT */
/* Splitting URLs without normalizing them, and port variants. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static struct whk_span span(const char *ptr, size_t len)
{
    struct whk_span s = {ptr, len};
    return s;
}

static enum whk_status split_authority(const char *url, const char *start,
                                       size_t len, struct whk_url_parts *parts,
                                       struct whk_error *err)
{
    const char *end = start + len, *host = start, *colon = NULL;

    for (const char *p = start; p < end; p++) {
        if (*p == '@') {
            parts->userinfo = span(start, (size_t)(p - start));
            host = p + 1;
        }
    }

    if (host < end && *host == '[') {
        const char *close = memchr(host, ']', (size_t)(end - host));
        if (close == NULL)
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "invalid URL '%s': '[' without ']'", url);
        colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
        if (colon == NULL && close + 1 != end)
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "invalid URL '%s': text after ']'", url);
    } else {
        colon = memchr(host, ':', (size_t)(end - host));
    }

    parts->host = span(host, (size_t)((colon ? colon : end) - host));
    if (parts->host.len == 0)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "invalid URL '%s': the host is empty", url);
    for (size_t i = 0; host[0] != '[' && i < parts->host.len; i++) {
        unsigned char c = (unsigned char)host[i];

        /* RFC 3986 reg-name characters; UTF-8 for internationalized names. */
        if (!isalnum(c) && c < 0x80 && !strchr("-._~%!$&'()*+,;=", c))
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "invalid URL '%s': the host contains "
                                 "'%c'",
                                 url, c);
    }
    if (colon == NULL)
        return WHK_OK;

    parts->port = span(colon + 1, (size_t)(end - colon - 1));
    if (parts->port.len == 0 || parts->port.len > 5)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "invalid URL '%s': the port must be 1 to 5 "
                             "digits",
                             url);
    for (size_t i = 0; i < parts->port.len; i++) {
        if (!isdigit((unsigned char)parts->port.ptr[i]))
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "invalid URL '%s': the port is not a "
                                 "number",
                                 url);
    }
    if (strtol(parts->port.ptr, NULL, 10) > 65535 ||
        strtol(parts->port.ptr, NULL, 10) == 0)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "invalid URL '%s': the port must be 1 to 65535",
                             url);
    return WHK_OK;
}

enum whk_status whk_url_split(const char *url, struct whk_url_parts *parts,
                              struct whk_error *err)
{
    const char *p = url, *authority, *rest, *hash, *question;
    size_t rest_len;

    memset(parts, 0, sizeof(*parts));
    for (const char *c = url; *c; c++) {
        if ((unsigned char)*c <= 0x20 || *c == 0x7f)
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "invalid URL '%s': it contains a space or "
                                 "control character (0x%02x) at offset %zu; "
                                 "percent-encode it",
                                 url, (unsigned char)*c, (size_t)(c - url));
    }
    if (!isalpha((unsigned char)*p))
        goto not_absolute;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (strncmp(p, "://", 3) != 0)
        goto not_absolute;
    parts->scheme = span(url, (size_t)(p - url));

    authority = p + 3;
    rest = authority + strcspn(authority, "/?#");
    if (split_authority(url, authority, (size_t)(rest - authority), parts,
                        err) != WHK_OK)
        return err ? err->status : WHK_ERR_INVALID;

    rest_len = strlen(rest);
    hash = memchr(rest, '#', rest_len);
    if (hash != NULL) {
        parts->fragment = span(hash + 1, strlen(hash + 1));
        rest_len = (size_t)(hash - rest);
    }
    question = memchr(rest, '?', rest_len);
    if (question != NULL) {
        parts->query =
            span(question + 1, rest_len - (size_t)(question - rest) - 1);
        rest_len = (size_t)(question - rest);
    }
    parts->path = span(rest, rest_len);
    return WHK_OK;

not_absolute:
    return whk_error_set(err, WHK_ERR_INVALID,
                         "invalid URL '%s': expected an absolute URL such as "
                         "https://example.com/path",
                         url);
}

/* Joins url[0..cut) + insert + url[resume..]. */
static char *splice(const char *url, size_t cut, const char *insert,
                    size_t resume)
{
    size_t tail = strlen(url) - resume, insert_len = strlen(insert);
    char *out = malloc(cut + insert_len + tail + 1);

    if (out == NULL)
        return NULL;
    memcpy(out, url, cut);
    memcpy(out + cut, insert, insert_len);
    memcpy(out + cut + insert_len, url + resume, tail + 1);
    return out;
}

char *whk_url_without_port(const char *url)
{
    struct whk_url_parts parts;
    size_t port_start;

    if (whk_url_split(url, &parts, NULL) != WHK_OK)
        return NULL;
    if (parts.port.ptr == NULL)
        return whkp_strndup(url, strlen(url));

    port_start = (size_t)(parts.port.ptr - url) - 1;
    return splice(url, port_start, "", port_start + 1 + parts.port.len);
}

char *whk_url_with_default_port(const char *url)
{
    struct whk_url_parts parts;
    size_t host_end;
    int https;

    if (whk_url_split(url, &parts, NULL) != WHK_OK)
        return NULL;
    if (parts.port.ptr != NULL)
        return whkp_strndup(url, strlen(url));

    https = parts.scheme.len == 5 && strncasecmp(url, "https", 5) == 0;
    host_end = (size_t)(parts.host.ptr - url) + parts.host.len;
    return splice(url, host_end, https ? ":443" : ":80", host_end);
}

enum whk_status whk_url_query_get(const char *url, const char *name,
                                  char **value, struct whk_error *err)
{
    struct whk_url_parts parts;
    struct whk_param *params = NULL;
    size_t count = 0;
    enum whk_status status;

    status = whk_url_split(url, &parts, err);
    if (status != WHK_OK)
        return status;
    if (parts.query.ptr == NULL)
        return whk_error_set(err, WHK_ERR_NOT_FOUND,
                             "the URL has no query string");

    status =
        whk_form_decode(parts.query.ptr, parts.query.len, &params, &count, err);
    if (status != WHK_OK)
        return status;

    status = WHK_ERR_NOT_FOUND;
    for (size_t i = 0; i < count; i++) {
        if (params[i].key_len == strlen(name) &&
            memcmp(params[i].key, name, params[i].key_len) == 0) {
            *value = whkp_strndup(params[i].value, params[i].value_len);
            status = *value ? WHK_OK : WHK_ERR_NO_MEMORY;
            break;
        }
    }
    whk_free(params);
    if (status == WHK_ERR_NOT_FOUND)
        whk_error_set(err, status, "the URL has no query parameter '%s'", name);
    return status;
}
