/* SPDX-License-Identifier: MIT */
/* Reading and writing requests as raw HTTP/1.x, as "nc -l" captures them. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* A cursor over the file's lines, accepting CRLF or bare LF endings. */
struct lines {
    const char *data;
    size_t len;
    size_t pos;
    int number;
};

/* Stores the next line (without its ending); returns 0 at end of data. */
static int next_line(struct lines *in, const char **line, size_t *len,
                     int *terminated)
{
    const char *start = in->data + in->pos, *newline;

    if (in->pos >= in->len)
        return 0;
    newline = memchr(start, '\n', in->len - in->pos);
    *terminated = newline != NULL;
    *len = newline ? (size_t)(newline - start) : in->len - in->pos;
    in->pos += *len + (newline ? 1 : 0);
    if (*len > 0 && start[*len - 1] == '\r')
        (*len)--;
    *line = start;
    in->number++;
    return 1;
}

static int is_token_char(char c)
{
    return isalnum((unsigned char)c) || strchr("!#$%&'*+-.^_`|~", c);
}

static enum whk_status parse_request_line(struct lines *in,
                                          struct whk_request *req,
                                          char **target, struct whk_error *err)
{
    const char *line, *sp1, *sp2;
    size_t len;
    int terminated;
    char *method;
    enum whk_status status;

    /* Tolerate blank lines before the request line (RFC 9112, 2.2). */
    do {
        if (!next_line(in, &line, &len, &terminated))
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "the request is empty: expected a request "
                                 "line such as 'POST /path HTTP/1.1'");
    } while (len == 0);

    sp1 = memchr(line, ' ', len);
    sp2 = sp1 ? memchr(sp1 + 1, ' ', len - (size_t)(sp1 + 1 - line)) : NULL;
    if (sp1 == NULL || sp2 == NULL || sp1 == line || sp2 == sp1 + 1 ||
        (size_t)(line + len - sp2 - 1) < 8 ||
        strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "line %d: expected a request line such as "
                             "'POST /path HTTP/1.1', found '%.*s'",
                             in->number, (int)(len > 80 ? 80 : len), line);
    for (const char *p = line; p < sp1; p++) {
        if (!is_token_char(*p))
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "line %d: invalid character in the method "
                                 "'%.*s'",
                                 in->number, (int)(sp1 - line), line);
    }

    method = strndup(line, (size_t)(sp1 - line));
    *target = strndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
    if (method == NULL || *target == NULL) {
        free(method);
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    status = whk_request_set_method(req, method);
    free(method);
    return status;
}

static enum whk_status parse_header_line(struct lines *in, const char *line,
                                         size_t len, struct whk_request *req,
                                         struct whk_error *err)
{
    const char *colon = memchr(line, ':', len), *value, *end = line + len;
    char *name_copy, *value_copy;
    enum whk_status status;

    if (line[0] == ' ' || line[0] == '\t')
        return whk_error_set(err, WHK_ERR_INVALID,
                             "line %d: a folded header line (continuation "
                             "of the previous one) is obsolete in HTTP/1.1; "
                             "join it to the line above",
                             in->number);
    if (colon == NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "line %d: header line without a colon: '%.*s'; "
                             "write headers as 'Name: value'",
                             in->number, (int)(len > 80 ? 80 : len), line);
    for (const char *p = line; p < colon; p++) {
        if (!is_token_char(*p))
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "line %d: invalid header name '%.*s'",
                                 in->number, (int)(colon - line), line);
    }
    if (colon == line)
        return whk_error_set(err, WHK_ERR_INVALID, "line %d: empty header name",
                             in->number);

    /* Optional whitespace around the value is not part of it. */
    value = colon + 1;
    while (value < end && (*value == ' ' || *value == '\t'))
        value++;
    while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
        end--;

    name_copy = strndup(line, (size_t)(colon - line));
    value_copy = strndup(value, (size_t)(end - value));
    status = name_copy && value_copy
                 ? whk_request_add_header(req, name_copy, value_copy)
                 : WHK_ERR_NO_MEMORY;
    free(name_copy);
    free(value_copy);
    if (status != WHK_OK)
        return whk_error_set(err, status, "line %d: %s", in->number,
                             whk_strerror(status));
    return WHK_OK;
}

static enum whk_status parse_headers(struct lines *in, struct whk_request *req,
                                     struct whk_error *err)
{
    const char *line;
    size_t len;
    int terminated;

    while (next_line(in, &line, &len, &terminated)) {
        if (len == 0)
            return WHK_OK;
        if (!terminated)
            break;
        if (parse_header_line(in, line, len, req, err) != WHK_OK)
            return err->status;
    }
    return whk_error_set(err, WHK_ERR_INVALID,
                         "the request is truncated: it ends inside its "
                         "headers, before the blank line that ends them");
}

/* Decodes a chunked body (RFC 9112, 7.1); trailers are skipped. */
static enum whk_status dechunk(const char *data, size_t len, char **body,
                               size_t *body_len, struct whk_error *err)
{
    char *out = malloc(len + 1);
    size_t pos = 0, n = 0;

    if (out == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    for (;;) {
        const char *line = data + pos;
        const char *newline = memchr(line, '\n', len - pos);
        char *end;
        unsigned long long size;

        if (newline == NULL)
            goto truncated;
        if (!isxdigit((unsigned char)*line))
            goto malformed;
        size = strtoull(line, &end, 16);
        /* More than 16 hex digits cannot be a size that fits in memory. */
        if (end - line > 16 || (*end != '\r' && *end != '\n' && *end != ';'))
            goto malformed;
        pos = (size_t)(newline - data) + 1;
        if (size == 0)
            break;
        if (size > len - pos)
            goto truncated;
        memcpy(out + n, data + pos, size);
        n += size;
        pos += size;
        if (pos < len && data[pos] == '\r')
            pos++;
        if (pos >= len || data[pos] != '\n')
            goto malformed;
        pos++;
    }
    out[n] = '\0';
    *body = out;
    *body_len = n;
    return WHK_OK;

truncated:
    free(out);
    return whk_error_set(err, WHK_ERR_INVALID,
                         "the request is truncated: its chunked body ends "
                         "before the final 0-size chunk");
malformed:
    free(out);
    return whk_error_set(err, WHK_ERR_INVALID,
                         "the chunked body is malformed at byte %zu after the "
                         "headers",
                         pos);
}

/* Reads the body per Transfer-Encoding or Content-Length. */
static enum whk_status parse_body(const char *data, size_t len,
                                  struct whk_request *req,
                                  struct whk_error *err)
{
    const char *encoding = whk_request_header(req, "Transfer-Encoding");
    const char *length = whk_request_header(req, "Content-Length");
    const char *other = whk_request_header_nth(req, "Content-Length", 1);
    int64_t declared;
    enum whk_status status;

    if (encoding != NULL && strcasecmp(encoding, "chunked") != 0)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "Transfer-Encoding '%s' is not supported; "
                             "only 'chunked' is, so save the request with "
                             "its body decoded",
                             encoding);
    if (encoding != NULL) {
        char *body = NULL;
        size_t body_len = 0;

        status = dechunk(data, len, &body, &body_len, err);
        if (status != WHK_OK)
            return status;
        status = whk_request_set_body(req, body, body_len);
        free(body);
        return status;
    }
    if (length == NULL)
        return whk_request_set_body(req, data, len);

    if (other != NULL && strcmp(other, length) != 0)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "the request has two different Content-Length "
                             "headers ('%s' and '%s')",
                             length, other);
    if (!whk_parse_int64(length, strlen(length), &declared) || declared < 0)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "Content-Length '%s' is not a byte count", length);
    if ((uint64_t)declared > len)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "the request is truncated: Content-Length is "
                             "%lld bytes, but only %zu bytes follow the "
                             "headers",
                             (long long)declared, len);
    if ((uint64_t)declared < len)
        whkp_warning("ignoring %zu byte(s) after the body, which "
                     "Content-Length says is %lld bytes",
                     len - (size_t)declared, (long long)declared);
    return whk_request_set_body(req, data, (size_t)declared);
}

enum whk_status whkp_parse_http(const char *data, size_t len,
                                struct whk_request **request, char **target,
                                struct whk_error *err)
{
    struct lines in = {data, len, 0, 0};
    struct whk_request *req = whk_request_new();
    enum whk_status status;

    *target = NULL;
    if (req == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    status = parse_request_line(&in, req, target, err);
    if (status == WHK_OK)
        status = parse_headers(&in, req, err);
    if (status == WHK_OK)
        status = parse_body(data + in.pos, len - in.pos, req, err);

    if (status != WHK_OK) {
        whk_request_free(req);
        free(*target);
        *target = NULL;
        return status;
    }
    *request = req;
    return WHK_OK;
}

void whkp_write_http(FILE *out, const struct whk_request *req,
                     const char *target)
{
    size_t body_len, count = whk_request_header_count(req);
    const char *body = whk_request_body(req, &body_len);

    fprintf(out, "%s %s HTTP/1.1\r\n", whk_request_method(req), target);
    for (size_t i = 0; i < count; i++) {
        const char *name, *value;

        whk_request_header_at(req, i, &name, &value);
        fprintf(out, "%s: %s\r\n", name, value);
    }
    fputs("\r\n", out);
    fwrite(body, 1, body_len, out);
}
