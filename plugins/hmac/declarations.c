/* SPDX-License-Identifier: MIT */
/* An entry's declarations: fields, samples, keys, response and failures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

/* Reads the array member key, which must have at least min items. */
static enum whk_status get_array(json_t *object, const struct path *at,
                                 const char *key, size_t min, json_t **array,
                                 struct whk_error *err)
{
    struct path child;

    *array = json_object_get(object, key);
    path_child(&child, at, key);
    if (*array == NULL && min == 0)
        return WHK_OK;
    if (!json_is_array(*array))
        return entry_error(err, &child, "is missing or not an array");
    if (json_array_size(*array) < min)
        return entry_error(err, &child,
                           "has %zu items; it needs at least "
                           "%zu",
                           json_array_size(*array), min);
    return WHK_OK;
}

/*
 * Reads a body member: a string as it is, or any other JSON value
 * serialized compactly, as JSON.stringify() writes it.
 */
static enum whk_status get_body(json_t *object, const struct path *at,
                                const char *key, struct arena *arena,
                                const char **body, struct whk_error *err)
{
    json_t *member = json_object_get(object, key);
    char *text;

    *body = NULL;
    if (member == NULL || json_is_string(member))
        return member ? (*body = json_string_value(member), WHK_OK) : WHK_OK;
    text = json_dumps(member, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text != NULL) {
        *body = arena_strdup(arena, text);
        free(text);
    }
    if (*body == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    (void)at;
    return WHK_OK;
}

/* Reads an array of strings into a NULL-terminated list. */
static enum whk_status get_lines(json_t *object, const struct path *at,
                                 const char *key, struct arena *arena,
                                 const char *const **lines,
                                 struct whk_error *err)
{
    json_t *array, *value;
    const char **list;
    struct path child, item;
    enum whk_status status = get_array(object, at, key, 0, &array, err);
    size_t i;

    *lines = NULL;
    if (status != WHK_OK || array == NULL)
        return status;
    list = arena_alloc(arena, (json_array_size(array) + 1) * sizeof(*list));
    if (list == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    path_child(&child, at, key);
    json_array_foreach(array, i, value)
    {
        path_index(&item, &child, i);
        if (!json_is_string(value) || json_string_length(value) == 0)
            return entry_error(err, &item, "must be a non-empty string");
        list[i] = json_string_value(value);
    }
    *lines = list;
    return WHK_OK;
}

static enum whk_status parse_field(json_t *value, const struct path *at,
                                   struct arena *arena, void *item,
                                   struct whk_error *err)
{
    struct whk_field *field = item;
    static const char *const keys[] = {"section", "name",     "value",
                                       "note",    "optional", NULL};
    enum whk_status status;

    (void)arena;
    if (!json_is_object(value))
        return entry_error(err, at, "must be an object");
    status = check_keys(value, at, keys, err);
    if (status == WHK_OK)
        status = get_string(value, at, "section", 1, &field->section, err);
    if (status == WHK_OK)
        status = get_string(value, at, "name", 1, &field->name, err);
    if (status == WHK_OK)
        status = get_string(value, at, "value", 1, &field->value, err);
    if (status == WHK_OK)
        status = get_string(value, at, "note", 0, &field->note, err);
    if (status == WHK_OK)
        status = get_boolean(value, at, "optional", &field->optional, err);
    return status;
}

static enum whk_status parse_sample(json_t *value, const struct path *at,
                                    struct arena *arena, void *item,
                                    struct whk_error *err)
{
    struct whk_sample *sample = item;
    static const char *const keys[] = {
        "name",         "description", "method",  "path_suffix",
        "content_type", "body",        "headers", NULL};
    enum whk_status status;

    if (!json_is_object(value))
        return entry_error(err, at, "must be an object");
    status = check_keys(value, at, keys, err);
    if (status == WHK_OK)
        status = get_string(value, at, "name", 1, &sample->name, err);
    if (status == WHK_OK)
        status =
            get_string(value, at, "description", 1, &sample->description, err);
    if (status == WHK_OK)
        status = get_string(value, at, "method", 0, &sample->method, err);
    if (status == WHK_OK)
        status =
            get_string(value, at, "path_suffix", 0, &sample->path_suffix, err);
    if (status == WHK_OK)
        status = get_string(value, at, "content_type", 0, &sample->content_type,
                            err);
    if (status == WHK_OK && json_object_get(value, "body") == NULL) {
        struct path child;

        path_child(&child, at, "body");
        return entry_error(err, &child, "is missing");
    }
    if (status == WHK_OK)
        status = get_body(value, at, "body", arena, &sample->body, err);
    if (status == WHK_OK)
        status = get_lines(value, at, "headers", arena, &sample->headers, err);
    if (sample->method == NULL)
        sample->method = "POST";
    return status;
}

static enum whk_status parse_key(json_t *value, const struct path *at,
                                 struct arena *arena, void *item,
                                 struct whk_error *err)
{
    struct whk_key *key = item;
    static const char *const keys[] = {"header", "json", "param", NULL};
    static const enum whk_key_source sources[] = {WHK_KEY_HEADER, WHK_KEY_JSON,
                                                  WHK_KEY_PARAM};
    enum whk_status status;

    (void)arena;
    if (!json_is_object(value) || json_object_size(value) != 1)
        return entry_error(err, at,
                           "must be an object with one member: "
                           "\"header\", \"json\" or \"param\"");
    status = check_keys(value, at, keys, err);
    for (int i = 0; status == WHK_OK && i < 3; i++) {
        status = get_string(value, at, keys[i], 0, &key->name, err);
        if (key->name != NULL) {
            key->source = sources[i];
            break;
        }
    }
    if (status == WHK_OK && key->source == WHK_KEY_JSON && key->name[0] != '/')
        return entry_error(err, at,
                           "has \"json\": \"%s\"; give a JSON "
                           "Pointer such as \"/id\"",
                           key->name);
    return status;
}

/* Finds the reason whose whk_reason_name() is name. */
static int reason_from_name(const char *name, enum whk_reason *reason)
{
    for (int r = WHK_REASON_NONE; r < 64; r++) {
        const char *known = whk_reason_name((enum whk_reason)r);

        if (strcmp(known, "unknown") == 0)
            break;
        if (strcmp(known, name) == 0) {
            *reason = (enum whk_reason)r;
            return 1;
        }
    }
    return 0;
}

static enum whk_status parse_failure(json_t *value, const struct path *at,
                                     struct arena *arena, void *item,
                                     struct whk_error *err)
{
    struct whk_failure *failure = item;
    static const char *const keys[] = {"symptom", "cause", "fix", "reason",
                                       NULL};
    const char *reason = NULL;
    enum whk_status status;
    struct path child;

    (void)arena;
    if (!json_is_object(value))
        return entry_error(err, at, "must be an object");
    status = check_keys(value, at, keys, err);
    if (status == WHK_OK)
        status = get_string(value, at, "symptom", 1, &failure->symptom, err);
    if (status == WHK_OK)
        status = get_string(value, at, "cause", 1, &failure->cause, err);
    if (status == WHK_OK)
        status = get_string(value, at, "fix", 1, &failure->fix, err);
    if (status == WHK_OK)
        status = get_string(value, at, "reason", 0, &reason, err);
    path_child(&child, at, "reason");
    if (status == WHK_OK && reason != NULL &&
        !reason_from_name(reason, &failure->reason))
        return entry_error(err, &child,
                           "is \"%s\", which is not a verdict "
                           "reason such as \"mismatch\" or "
                           "\"timeout\"",
                           reason);
    return status;
}

/* Reads one item of a table into item; arena owns what it allocates. */
typedef enum whk_status (*parse_item)(json_t *value, const struct path *at,
                                      struct arena *arena, void *item,
                                      struct whk_error *err);

/*
 * Reads the array member key of root, with at least min objects, into a
 * table of items of size bytes ending with a zeroed item.
 */
static enum whk_status parse_table(json_t *root, const char *key, size_t min,
                                   size_t size, parse_item parse,
                                   struct arena *arena, const void **table,
                                   struct whk_error *err)
{
    struct path top = {""}, at, item_at;
    json_t *array, *value;
    enum whk_status status = get_array(root, &top, key, min, &array, err);
    char *items;
    size_t i;

    if (status != WHK_OK)
        return status;
    items = arena_alloc(arena, (json_array_size(array) + 1) * size);
    if (items == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    path_child(&at, &top, key);
    json_array_foreach(array, i, value)
    {
        path_index(&item_at, &at, i);
        status = parse(value, &item_at, arena, items + i * size, err);
        if (status != WHK_OK)
            return status;
    }
    *table = items;
    return WHK_OK;
}

static enum whk_status parse_secret_decl(json_t *root, const struct path *top,
                                         struct whk_secret_decl *secret,
                                         struct whk_error *err)
{
    static const char *const keys[] = {"env", "form", "where", NULL};
    json_t *object = json_object_get(root, "secret");
    struct path at;
    enum whk_status status;

    path_child(&at, top, "secret");
    if (!json_is_object(object))
        return entry_error(err, &at,
                           "is missing or not an object with "
                           "env, form and where");
    secret->kind = WHK_SECRET_SHARED;
    status = check_keys(object, &at, keys, err);
    if (status == WHK_OK)
        status = get_string(object, &at, "env", 1, &secret->env, err);
    if (status == WHK_OK)
        status = get_string(object, &at, "form", 1, &secret->form, err);
    if (status == WHK_OK)
        status = get_string(object, &at, "where", 1, &secret->where, err);
    for (const char *c = secret->env; status == WHK_OK && *c; c++) {
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_'))
            return entry_error(err, &at,
                               "has env \"%s\"; use capitals, "
                               "digits and '_'",
                               secret->env);
    }
    return status;
}

static enum whk_status parse_response(json_t *root, const struct path *top,
                                      struct arena *arena,
                                      struct whk_response_decl *response,
                                      struct whk_error *err)
{
    static const char *const keys[] = {"status", "content_type", "body",
                                       "format", NULL};
    json_t *object = json_object_get(root, "response");
    int64_t status_code = 0;
    struct path at;
    enum whk_status status;

    path_child(&at, top, "response");
    if (!json_is_object(object))
        return entry_error(err, &at, "is missing or not an object");
    status = check_keys(object, &at, keys, err);
    if (status == WHK_OK)
        status = get_integer(object, &at, "status", 0, 599, &status_code, err);
    if (status == WHK_OK)
        status = get_string(object, &at, "content_type", 0,
                            &response->content_type, err);
    if (status == WHK_OK)
        status = get_body(object, &at, "body", arena, &response->body, err);
    if (status == WHK_OK)
        status = get_string(object, &at, "format", 0, &response->format, err);
    response->status = (int)status_code;
    if (response->body == NULL)
        response->body = "";
    return status;
}

/* The declarations besides the scheme that an entry may have. */
static enum whk_status parse_delivery(json_t *root, const struct path *top,
                                      struct whk_descriptor *d,
                                      struct whk_error *err)
{
    int64_t timeout_ms = 0;
    enum whk_status status;
    struct path at;

    /*
     * Required, so that an entry says whether the provider documents a
     * timeout: 0 means its documentation names none.
     */
    if (json_object_get(root, "timeout_ms") == NULL) {
        path_child(&at, top, "timeout_ms");
        return entry_error(err, &at,
                           "is missing; give how long the provider waits "
                           "for the endpoint, in milliseconds, or 0 when "
                           "its documentation names no timeout");
    }
    status = get_integer(root, top, "timeout_ms", 0, 3600000, &timeout_ms, err);
    d->timeout_ms = (unsigned int)timeout_ms;
    if (timeout_ms == 0)
        d->flags |= WHK_NO_TIMEOUT;
    if (status == WHK_OK)
        status = get_string(root, top, "timeout_error", timeout_ms > 0,
                            &d->timeout_error, err);
    if (status == WHK_OK)
        status = get_string(root, top, "retries", 1, &d->retries, err);
    return status;
}

enum whk_status declarations_parse(json_t *root, const struct scheme *scheme,
                                   struct arena *arena,
                                   struct whk_descriptor *d,
                                   struct whk_error *err)
{
    struct path top = {""};
    const char *signed_text, *source;
    enum whk_status status;

    status = get_string(root, &top, "name", 1, &d->name, err);
    if (status == WHK_OK)
        status = get_string(root, &top, "title", 1, &d->title, err);
    if (status == WHK_OK)
        status = get_string(root, &top, "summary", 1, &d->summary, err);
    if (status == WHK_OK)
        status = get_string(root, &top, "source", 1, &source, err);
    if (status == WHK_OK)
        status = get_string(root, &top, "docs_url", 0, &d->docs_url, err);
    if (status == WHK_OK)
        status = get_string(root, &top, "algorithm", 0, &d->algorithm, err);
    if (status == WHK_OK)
        status = parse_secret_decl(root, &top, &d->secret, err);
    if (status == WHK_OK)
        status = parse_response(root, &top, arena, &d->response, err);
    if (status == WHK_OK)
        status = parse_delivery(root, &top, d, err);
    if (status != WHK_OK)
        return status;

    status = parse_table(root, "fields", 1, sizeof(struct whk_field),
                         parse_field, arena, (const void **)&d->fields, err);
    if (status == WHK_OK)
        status =
            parse_table(root, "samples", 1, sizeof(struct whk_sample),
                        parse_sample, arena, (const void **)&d->samples, err);
    if (status == WHK_OK)
        status = parse_table(root, "idempotency_keys", 1,
                             sizeof(struct whk_key), parse_key, arena,
                             (const void **)&d->idempotency_keys, err);
    if (status == WHK_OK)
        status =
            parse_table(root, "failures", 1, sizeof(struct whk_failure),
                        parse_failure, arena, (const void **)&d->failures, err);
    if (status != WHK_OK)
        return status;

    if (d->docs_url == NULL)
        d->docs_url = source;
    signed_text = json_string_value(
        json_object_get(json_object_get(root, "scheme"), "signed"));
    if (d->algorithm == NULL)
        d->algorithm = scheme_describe(scheme, signed_text, arena);
    d->signature_headers = (const char *const *)scheme->headers;
    d->flags |= WHK_SIGNS_BODY;
    if (template_uses(&scheme->signed_bytes, PART_URL) ||
        template_uses(&scheme->signed_bytes, PART_PATH))
        d->flags |= WHK_SIGNS_URL;
    d->tolerance_seconds = (int)scheme->tolerance;
    return d->algorithm
               ? WHK_OK
               : whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
}
