/* SPDX-License-Identifier: MIT */
/*
 * Mailgun's signature fields in a JSON or form-encoded body: reading them
 * for verify, and writing them for sign while leaving the rest of the body
 * byte for byte as it was.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mailgun.h"

enum body_kind { BODY_JSON, BODY_FORM };

static const char *const json_names[] = {
    "signature.token", "signature.timestamp", "signature.signature",
    "signature.parent-signature"};
static const char *const form_names[] = {"token", "timestamp", "signature",
                                         "parent-signature"};

const char *mailgun_field_name(int json, enum mailgun_field field)
{
    return json ? json_names[field] : form_names[field];
}

void mailgun_fields_clear(struct mailgun_fields *f)
{
    for (int i = 0; i < MAILGUN_FIELD_COUNT; i++)
        free(f->value[i]);
    memset(f, 0, sizeof(*f));
}

static int starts_like_json(const char *body, size_t len)
{
    size_t i = 0;

    while (i < len && strchr(" \t\r\n", body[i]) != NULL && body[i] != '\0')
        i++;
    return i < len && body[i] == '{';
}

/* Chooses how the body carries the fields, from its Content-Type. */
static enum whk_status body_kind(const struct whk_request *req,
                                 enum body_kind *kind, struct whk_error *err)
{
    char media[128];
    size_t len;
    const char *body = whk_request_body(req, &len);

    whk_request_media_type(req, media, sizeof(media));
    if (strcmp(media, "application/json") == 0 ||
        (media[0] == '\0' && starts_like_json(body, len)))
        *kind = BODY_JSON;
    else if (strcmp(media, "application/x-www-form-urlencoded") == 0)
        *kind = BODY_FORM;
    else if (strcmp(media, "multipart/form-data") == 0)
        return whk_error_set(err, WHK_ERR_UNSUPPORTED,
                             "the body is multipart/form-data, which whk "
                             "does not parse; it reads the signature from "
                             "JSON and form-encoded bodies only");
    else
        return whk_error_set(err, WHK_ERR_UNSUPPORTED,
                             "the Content-Type '%s' is neither "
                             "application/json nor "
                             "application/x-www-form-urlencoded, the bodies "
                             "Mailgun signs",
                             media[0] ? media : "(none)");
    return WHK_OK;
}

static enum whk_status keep(struct mailgun_fields *f, enum mailgun_field field,
                            const char *text, size_t len, struct whk_error *err)
{
    f->value[field] = malloc(len + 1);
    if (f->value[field] == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    memcpy(f->value[field], text, len);
    f->value[field][len] = '\0';
    f->len[field] = len;
    return WHK_OK;
}

/*
 * Copies one member of the "signature" object: a string, or an integer
 * timestamp, whose decimal text is then what the signature covers.
 */
static enum whk_status read_member(json_t *signature, struct mailgun_fields *f,
                                   enum mailgun_field field,
                                   struct whk_error *err)
{
    json_t *value = json_object_get(signature, form_names[field]);
    char number[32];

    if (value == NULL)
        return field == MAILGUN_PARENT_SIGNATURE
                   ? WHK_OK
                   : whk_error_set(err, WHK_ERR_NOT_FOUND, "the body has no %s",
                                   json_names[field]);
    if (json_is_string(value))
        return keep(f, field, json_string_value(value),
                    json_string_length(value), err);
    if (json_is_integer(value) && field == MAILGUN_TIMESTAMP) {
        snprintf(number, sizeof(number), "%" JSON_INTEGER_FORMAT,
                 json_integer_value(value));
        return keep(f, field, number, strlen(number), err);
    }
    return whk_error_set(err, WHK_ERR_INVALID,
                         "%s is not a string; Mailgun sends one",
                         json_names[field]);
}

static enum whk_status read_json(const char *body, size_t len,
                                 struct mailgun_fields *f,
                                 struct whk_error *err)
{
    json_error_t error;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &error);
    json_t *signature = json_object_get(root, "signature");
    enum whk_status status = WHK_OK;

    f->json = 1;
    if (root == NULL)
        status = whk_error_set(err, WHK_ERR_INVALID,
                               "the JSON body is invalid at line %d, column "
                               "%d: %s",
                               error.line, error.column, error.text);
    else if (!json_is_object(root))
        status = whk_error_set(err, WHK_ERR_INVALID,
                               "the JSON body is not an object; Mailgun "
                               "sends {\"signature\": ..., \"event-data\": "
                               "...}");
    else if (signature == NULL)
        status = whk_error_set(err, WHK_ERR_NOT_FOUND,
                               "the JSON body has no \"signature\" object");
    else if (!json_is_object(signature))
        status = whk_error_set(err, WHK_ERR_INVALID,
                               "\"signature\" in the JSON body is not an "
                               "object with token, timestamp and signature");
    for (int i = 0; status == WHK_OK && i < MAILGUN_FIELD_COUNT; i++)
        status = read_member(signature, f, (enum mailgun_field)i, err);
    json_decref(root);
    return status;
}

static enum whk_status read_form(const struct whk_request *req,
                                 struct mailgun_fields *f,
                                 struct whk_error *err)
{
    size_t count = whk_request_param_count(req);

    for (int field = 0; field < MAILGUN_FIELD_COUNT; field++) {
        const char *name = form_names[field];
        enum whk_status status;

        for (size_t i = 0; i < count; i++) {
            const struct whk_param *p = whk_request_param_at(req, i);

            if (strcmp(p->key, name) != 0 || p->key_len != strlen(name))
                continue;
            if (f->value[field] != NULL)
                return whk_error_set(err, WHK_ERR_INVALID,
                                     "the form has more than one '%s' "
                                     "field; Mailgun sends one",
                                     name);
            status =
                keep(f, (enum mailgun_field)field, p->value, p->value_len, err);
            if (status != WHK_OK)
                return status;
        }
        if (f->value[field] == NULL && field != MAILGUN_PARENT_SIGNATURE)
            return whk_error_set(err, WHK_ERR_NOT_FOUND,
                                 "the form has no '%s' field", name);
    }
    return WHK_OK;
}

enum whk_status mailgun_fields_read(const struct whk_request *req,
                                    struct mailgun_fields *f,
                                    struct whk_error *err)
{
    enum body_kind kind;
    size_t len;
    const char *body = whk_request_body(req, &len);
    enum whk_status status = body_kind(req, &kind, err);

    memset(f, 0, sizeof(*f));
    if (status != WHK_OK)
        return status;
    status = kind == BODY_JSON ? read_json(body, len, f, err)
                               : read_form(req, f, err);
    if (status != WHK_OK)
        mailgun_fields_clear(f);
    return status;
}

/* Returns the position after the JSON string that starts at at (a '"'). */
static size_t skip_string(const char *text, size_t len, size_t at)
{
    for (at++; at < len; at++) {
        if (text[at] == '\\')
            at++;
        else if (text[at] == '"')
            return at + 1;
    }
    return len;
}

static size_t skip_space(const char *text, size_t len, size_t at)
{
    while (at < len && strchr(" \t\r\n", text[at]) != NULL && text[at])
        at++;
    return at;
}

/* Returns the position after the value that starts at at. */
static size_t skip_value(const char *text, size_t len, size_t at)
{
    size_t depth = 0;

    if (text[at] == '"')
        return skip_string(text, len, at);
    for (; at < len; at++) {
        if (text[at] == '"') {
            at = skip_string(text, len, at) - 1;
        } else if (text[at] == '{' || text[at] == '[') {
            depth++;
        } else if (text[at] == '}' || text[at] == ']') {
            if (depth == 0)
                return at;
            if (--depth == 0)
                return at + 1;
        } else if (depth == 0 && strchr(", \t\r\n", text[at]) != NULL) {
            return at;
        }
    }
    return len;
}

/*
 * Finds the value of the top-level member "signature" in a JSON object
 * that jansson has accepted, so that the scan needs no error handling.
 * Returns 1 and its span in *start and *end, or 0 when it is absent.
 */
static int find_signature(const char *text, size_t len, size_t *start,
                          size_t *end)
{
    static const char name[] = "\"signature\"";
    size_t at = skip_space(text, len, 0) + 1;

    for (;;) {
        size_t key;

        at = skip_space(text, len, at);
        if (at >= len || text[at] != '"')
            return 0;
        key = at;
        at = skip_string(text, len, at);
        *start = skip_space(text, len, skip_space(text, len, at) + 1);
        *end = skip_value(text, len, *start);
        if (at - key == sizeof(name) - 1 &&
            memcmp(text + key, name, sizeof(name) - 1) == 0)
            return 1;
        at = skip_space(text, len, *end) + 1;
    }
}

/* Replaces body[start..end) with insert, or inserts it at start. */
static enum whk_status splice(struct whk_request *req, size_t start, size_t end,
                              const char *insert, struct whk_error *err)
{
    size_t len, insert_len = strlen(insert), out_len;
    const char *body = whk_request_body(req, &len);
    char *out;
    enum whk_status status;

    out_len = len - (end - start) + insert_len;
    out = malloc(out_len + 1);
    if (out == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    memcpy(out, body, start);
    memcpy(out + start, insert, insert_len);
    memcpy(out + start + insert_len, body + end, len - end);
    out[out_len] = '\0';
    status = whk_request_set_body(req, out, out_len);
    free(out);
    return status == WHK_OK ? WHK_OK
                            : whk_error_set(err, status, "cannot set the body");
}

/* The "signature" object's text, compact, members in Mailgun's order. */
static char *signature_object(const char *timestamp, const char *token,
                              const char *signature)
{
    json_t *object = json_object();
    char *text;

    if (object == NULL ||
        json_object_set_new(object, "token", json_string(token)) != 0 ||
        json_object_set_new(object, "timestamp", json_string(timestamp)) ||
        json_object_set_new(object, "signature", json_string(signature))) {
        json_decref(object);
        return NULL;
    }
    text = json_dumps(object, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(object);
    return text;
}

static enum whk_status write_json(struct whk_request *req,
                                  const char *timestamp, const char *token,
                                  const char *signature, struct whk_error *err)
{
    size_t len, start, end;
    const char *body = whk_request_body(req, &len);
    json_error_t error;
    json_t *root = NULL;
    char *object = NULL, *member = NULL;
    enum whk_status status = WHK_ERR_NO_MEMORY;

    if (len > 0) {
        root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &error);
        if (!json_is_object(root)) {
            status = whk_error_set(err, WHK_ERR_INVALID,
                                   "Mailgun signs a JSON object, and the body "
                                   "is %s",
                                   root ? "another JSON value" : error.text);
            goto out;
        }
    }
    object = signature_object(timestamp, token, signature);
    if (object == NULL) {
        status = whk_error_set(err, WHK_ERR_INVALID,
                               "the token '%s' is not UTF-8 text", token);
        goto out;
    }

    if (root != NULL && find_signature(body, len, &start, &end)) {
        status = splice(req, start, end, object, err);
    } else if (asprintf(&member, "%s\"signature\":%s%s", len ? "" : "{", object,
                        len == 0                     ? "}"
                        : json_object_size(root) > 0 ? ","
                                                     : "") < 0) {
        status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    } else {
        start = len ? skip_space(body, len, 0) + 1 : 0;
        status = splice(req, start, start, member, err);
    }

out:
    free(member);
    free(object);
    json_decref(root);
    return status;
}

/* Returns 1 when the form pair text[0..len) is one of the signed fields. */
static int is_signature_pair(const char *text, size_t len)
{
    const char *equals = memchr(text, '=', len);
    size_t key_len = equals ? (size_t)(equals - text) : len;

    for (int i = 0; i < MAILGUN_FIELD_COUNT; i++) {
        if (key_len == strlen(form_names[i]) &&
            memcmp(text, form_names[i], key_len) == 0)
            return 1;
    }
    return 0;
}

static enum whk_status write_form(struct whk_request *req,
                                  const char *timestamp, const char *token,
                                  const char *signature, struct whk_error *err)
{
    size_t len, out_len = 0;
    const char *body = whk_request_body(req, &len);
    char *encoded = whk_form_encode(token, strlen(token));
    char *out = encoded ? malloc(len + strlen(encoded) + 128) : NULL;
    enum whk_status status;

    if (out == NULL) {
        whk_free(encoded);
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    /* Keep every other pair, in order, and append the signed fields. */
    for (size_t at = 0; at < len;) {
        const char *amp = memchr(body + at, '&', len - at);
        size_t pair = amp ? (size_t)(amp - (body + at)) : len - at;

        if (pair > 0 && !is_signature_pair(body + at, pair)) {
            memcpy(out + out_len, body + at, pair);
            out_len += pair;
            out[out_len++] = '&';
        }
        at += pair + 1;
    }
    out_len +=
        (size_t)sprintf(out + out_len, "timestamp=%s&token=%s&signature=%s",
                        timestamp, encoded, signature);
    status = whk_request_set_body(req, out, out_len);
    whk_free(encoded);
    free(out);
    return status == WHK_OK ? WHK_OK
                            : whk_error_set(err, status, "cannot set the body");
}

enum whk_status mailgun_fields_write(struct whk_request *req,
                                     const char *timestamp, const char *token,
                                     const char *signature,
                                     struct whk_error *err)
{
    enum body_kind kind;
    enum whk_status status = body_kind(req, &kind, err);

    if (status != WHK_OK)
        return status;
    return kind == BODY_JSON
               ? write_json(req, timestamp, token, signature, err)
               : write_form(req, timestamp, token, signature, err);
}
