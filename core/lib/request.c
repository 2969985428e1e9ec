/* SPDX-License-Identifier: MIT */
/* The request model: method, signed URL, headers, body and form params. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct header {
    char *name;
    char *value;
};

struct whk_request {
    char *method;
    char *url;
    struct header *headers;
    size_t header_count;
    size_t header_capacity;
    char *body;
    size_t body_len;
    struct whk_param *params;
    size_t param_count;
};

struct whk_request *whk_request_new(void)
{
    struct whk_request *req = calloc(1, sizeof(*req));

    if (req == NULL)
        return NULL;
    req->method = whkp_strndup("POST", 4);
    req->body = calloc(1, 1);
    if (req->method == NULL || req->body == NULL) {
        whk_request_free(req);
        return NULL;
    }
    return req;
}

void whk_request_free(struct whk_request *req)
{
    if (req == NULL)
        return;
    for (size_t i = 0; i < req->header_count; i++) {
        free(req->headers[i].name);
        free(req->headers[i].value);
    }
    free(req->headers);
    free(req->method);
    free(req->url);
    free(req->body);
    free(req->params);
    free(req);
}

struct whk_request *whk_request_copy(const struct whk_request *req)
{
    struct whk_request *copy = whk_request_new();

    if (copy == NULL)
        return NULL;
    if (whk_request_set_method(copy, req->method) != WHK_OK ||
        (req->url && whk_request_set_url(copy, req->url) != WHK_OK) ||
        whk_request_set_body(copy, req->body, req->body_len) != WHK_OK)
        goto fail;
    for (size_t i = 0; i < req->header_count; i++) {
        if (whk_request_add_header(copy, req->headers[i].name,
                                   req->headers[i].value) != WHK_OK)
            goto fail;
    }
    return copy;

fail:
    whk_request_free(copy);
    return NULL;
}

static enum whk_status replace_string(char **field, const char *value)
{
    char *copy = NULL;

    if (value != NULL) {
        copy = whkp_strndup(value, strlen(value));
        if (copy == NULL)
            return WHK_ERR_NO_MEMORY;
    }
    free(*field);
    *field = copy;
    return WHK_OK;
}

const char *whk_request_method(const struct whk_request *req)
{
    return req->method;
}

enum whk_status whk_request_set_method(struct whk_request *req,
                                       const char *method)
{
    if (method == NULL || *method == '\0')
        return WHK_ERR_INVALID;
    /* A method is an HTTP token (RFC 9110, 5.6.2). */
    for (const char *p = method; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("!#$%&'*+-.^_`|~", *p))
            return WHK_ERR_INVALID;
    }
    return replace_string(&req->method, method);
}

const char *whk_request_url(const struct whk_request *req)
{
    return req->url;
}

enum whk_status whk_request_set_url(struct whk_request *req, const char *url)
{
    return replace_string(&req->url, url);
}

const char *whk_request_media_type(const struct whk_request *req, char *buf,
                                   size_t buf_size)
{
    const char *value = whk_request_header(req, "Content-Type");
    size_t n = 0;

    if (buf_size == 0)
        return buf;
    if (value != NULL) {
        while (*value == ' ' || *value == '\t')
            value++;
        while (value[n] && value[n] != ';' && value[n] != ' ' &&
               value[n] != '\t' && n + 1 < buf_size) {
            buf[n] = (char)tolower((unsigned char)value[n]);
            n++;
        }
    }
    buf[n] = '\0';
    return buf;
}

/* Decodes the body into params when it is a form; clears them otherwise. */
static enum whk_status refresh_params(struct whk_request *req)
{
    char media[64];
    struct whk_param *params = NULL;
    size_t count = 0;
    enum whk_status status;

    whk_request_media_type(req, media, sizeof(media));
    if (strcmp(media, "application/x-www-form-urlencoded") == 0) {
        status =
            whk_form_decode(req->body, req->body_len, &params, &count, NULL);
        if (status != WHK_OK)
            return status;
    }
    free(req->params);
    req->params = params;
    req->param_count = count;
    return WHK_OK;
}

size_t whk_request_header_count(const struct whk_request *req)
{
    return req->header_count;
}

enum whk_status whk_request_header_at(const struct whk_request *req,
                                      size_t index, const char **name,
                                      const char **value)
{
    if (index >= req->header_count)
        return WHK_ERR_NOT_FOUND;
    *name = req->headers[index].name;
    *value = req->headers[index].value;
    return WHK_OK;
}

const char *whk_request_header_nth(const struct whk_request *req,
                                   const char *name, size_t nth)
{
    for (size_t i = 0; i < req->header_count; i++) {
        if (whkp_strcaseeq(req->headers[i].name, name) && nth-- == 0)
            return req->headers[i].value;
    }
    return NULL;
}

const char *whk_request_header(const struct whk_request *req, const char *name)
{
    return whk_request_header_nth(req, name, 0);
}

static int is_content_type(const char *name)
{
    return whkp_strcaseeq(name, "Content-Type");
}

/* A header name is an HTTP token; a value contains no CR or LF. */
static int valid_header(const char *name, const char *value)
{
    if (name == NULL || *name == '\0' || value == NULL)
        return 0;
    for (const char *p = name; *p; p++) {
        if (!isalnum((unsigned char)*p) && !strchr("!#$%&'*+-.^_`|~", *p))
            return 0;
    }
    return strpbrk(value, "\r\n") == NULL;
}

enum whk_status whk_request_add_header(struct whk_request *req,
                                       const char *name, const char *value)
{
    struct header *line;

    if (!valid_header(name, value))
        return WHK_ERR_INVALID;
    if (req->header_count == req->header_capacity) {
        size_t capacity = req->header_capacity ? 2 * req->header_capacity : 8;
        struct header *grown = realloc(req->headers, capacity * sizeof(*grown));
        if (grown == NULL)
            return WHK_ERR_NO_MEMORY;
        req->headers = grown;
        req->header_capacity = capacity;
    }

    line = &req->headers[req->header_count];
    line->name = whkp_strndup(name, strlen(name));
    line->value = whkp_strndup(value, strlen(value));
    if (line->name == NULL || line->value == NULL) {
        free(line->name);
        free(line->value);
        return WHK_ERR_NO_MEMORY;
    }
    req->header_count++;
    return is_content_type(name) ? refresh_params(req) : WHK_OK;
}

static void remove_line(struct whk_request *req, size_t index)
{
    free(req->headers[index].name);
    free(req->headers[index].value);
    memmove(&req->headers[index], &req->headers[index + 1],
            (req->header_count - index - 1) * sizeof(*req->headers));
    req->header_count--;
}

enum whk_status whk_request_set_header(struct whk_request *req,
                                       const char *name, const char *value)
{
    size_t first = req->header_count;
    char *copy;

    if (!valid_header(name, value))
        return WHK_ERR_INVALID;
    for (size_t i = 0; i < req->header_count; i++) {
        if (!whkp_strcaseeq(req->headers[i].name, name))
            continue;
        if (first == req->header_count) {
            first = i;
        } else {
            remove_line(req, i);
            i--;
        }
    }
    if (first == req->header_count)
        return whk_request_add_header(req, name, value);

    copy = whkp_strndup(value, strlen(value));
    if (copy == NULL)
        return WHK_ERR_NO_MEMORY;
    free(req->headers[first].value);
    req->headers[first].value = copy;
    return is_content_type(name) ? refresh_params(req) : WHK_OK;
}

size_t whk_request_remove_header(struct whk_request *req, const char *name)
{
    size_t removed = 0;

    for (size_t i = 0; i < req->header_count;) {
        if (whkp_strcaseeq(req->headers[i].name, name)) {
            remove_line(req, i);
            removed++;
        } else {
            i++;
        }
    }
    if (removed > 0 && is_content_type(name))
        refresh_params(req);
    return removed;
}

const char *whk_request_body(const struct whk_request *req, size_t *len)
{
    if (len != NULL)
        *len = req->body_len;
    return req->body;
}

enum whk_status whk_request_set_body(struct whk_request *req, const char *body,
                                     size_t len)
{
    char *copy = whkp_strndup(body ? body : "", body ? len : 0);

    if (copy == NULL)
        return WHK_ERR_NO_MEMORY;
    free(req->body);
    req->body = copy;
    req->body_len = body ? len : 0;
    return refresh_params(req);
}

size_t whk_request_param_count(const struct whk_request *req)
{
    return req->param_count;
}

const struct whk_param *whk_request_param_at(const struct whk_request *req,
                                             size_t index)
{
    return index < req->param_count ? &req->params[index] : NULL;
}
