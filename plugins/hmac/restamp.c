/* SPDX-License-Identifier: MIT */
/*
 * Signing for a scheme whose timestamp is in the body (Linear's
 * webhookTimestamp): the provider writes the time of sending there, so
 * signing does too, replacing the value's text and leaving the rest of the
 * body byte for byte as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

/* Skips JSON whitespace from at; returns the first other position. */
static size_t skip_space(const char *text, size_t len, size_t at)
{
    while (at < len && strchr(" \t\r\n", text[at]) != NULL && text[at])
        at++;
    return at;
}

/* Skips a string that starts at at (a '"'); returns the position after. */
static size_t skip_string(const char *text, size_t len, size_t at)
{
    for (at++; at < len; at++) {
        if (text[at] == '\\')
            at++;
        else if (text[at] == '"')
            return at + 1;
    }
    return 0;
}

/* Skips one value that starts at at; returns the position after, or 0. */
static size_t skip_value(const char *text, size_t len, size_t at)
{
    size_t depth = 0;

    if (at >= len)
        return 0;
    if (text[at] == '"')
        return skip_string(text, len, at);
    if (text[at] != '{' && text[at] != '[') {
        while (at < len && strchr(",}] \t\r\n", text[at]) == NULL && text[at])
            at++;
        return at;
    }
    for (; at < len; at++) {
        if (text[at] == '"') {
            at = skip_string(text, len, at);
            if (at == 0)
                return 0;
            at--;
        } else if (text[at] == '{' || text[at] == '[') {
            depth++;
        } else if (text[at] == '}' || text[at] == ']') {
            if (--depth == 0)
                return at + 1;
        }
    }
    return 0;
}

/*
 * Finds the value of top-level member name in a JSON object: *start and
 * *end delimit its text. Returns 0 when the body is not such an object.
 */
static int find_member(const char *text, size_t len, const char *name,
                       size_t *start, size_t *end)
{
    size_t at = skip_space(text, len, 0), name_len = strlen(name);

    if (at >= len || text[at] != '{')
        return 0;
    at = skip_space(text, len, at + 1);
    while (at < len && text[at] == '"') {
        size_t key = at + 1, key_end = skip_string(text, len, at);

        if (key_end == 0)
            return 0;
        at = skip_space(text, len, key_end);
        if (at >= len || text[at] != ':')
            return 0;
        at = skip_space(text, len, at + 1);
        *start = at;
        *end = skip_value(text, len, at);
        if (*end == 0)
            return 0;
        if (key_end - 1 - key == name_len &&
            memcmp(text + key, name, name_len) == 0)
            return 1;
        at = skip_space(text, len, *end);
        if (at < len && text[at] == ',')
            at = skip_space(text, len, at + 1);
    }
    return 0;
}

enum whk_status restamp_body(const struct scheme *s, struct whk_request *req,
                             const char *stamp, struct whk_error *err)
{
    const char *pointer = s->timestamp_name, *body;
    size_t len, start, end, stamp_len = strlen(stamp), out_len;
    int quoted;
    char *out, *at;
    enum whk_status status;

    /* Only a member of the top-level object is rewritten. */
    if (s->timestamp_source != TIMESTAMP_JSON || pointer[0] != '/' ||
        strchr(pointer + 1, '/') != NULL || strchr(pointer, '~') != NULL)
        return WHK_OK;
    body = whk_request_body(req, &len);
    if (body == NULL || !find_member(body, len, pointer + 1, &start, &end))
        return WHK_OK;
    /* The value keeps its JSON type: a string stays a string. */
    quoted = body[start] == '"';
    out_len = len - (end - start) + stamp_len + (quoted ? 2 : 0);
    out = malloc(out_len + 1);
    if (out == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    memcpy(out, body, start);
    at = out + start;
    if (quoted)
        *at++ = '"';
    memcpy(at, stamp, stamp_len);
    at += stamp_len;
    if (quoted)
        *at++ = '"';
    memcpy(at, body + end, len - end);
    out[out_len] = '\0';
    status = whk_request_set_body(req, out, out_len);
    free(out);
    return status == WHK_OK ? WHK_OK
                            : whk_error_set(err, status, "cannot set the body");
}
