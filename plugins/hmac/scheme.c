/* SPDX-License-Identifier: MIT */
/* The "scheme" object of an entry: read, checked, and described. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

/* The maximum tolerance accepted: a week, far beyond any provider's window. */
#define MAX_TOLERANCE (7 * 86400)

/* Looks up text in a NULL-terminated list of names; -1 when absent. */
static int lookup(const char *text, const char *const *names)
{
    for (int i = 0; names[i] != NULL; i++) {
        if (strcmp(text, names[i]) == 0)
            return i;
    }
    return -1;
}

/* Writes names as "\"a\", \"b\" or \"c\"" into list. */
static const char *choices(const char *const *names, char *list, size_t size)
{
    size_t used = 0;

    list[0] = '\0';
    for (int i = 0; names[i] != NULL && used < size; i++)
        used += (size_t)snprintf(list + used, size - used, "%s\"%s\"",
                                 i == 0                 ? ""
                                 : names[i + 1] == NULL ? " or "
                                                        : ", ",
                                 names[i]);
    return list;
}

/* Reads a string member that must be one of names into *index. */
static enum whk_status get_choice(json_t *object, const struct path *at,
                                  const char *key, int required,
                                  const char *const *names, int *index,
                                  struct whk_error *err)
{
    const char *text;
    enum whk_status status = get_string(object, at, key, required, &text, err);
    struct path child;
    char list[160];
    int found;

    if (status != WHK_OK || text == NULL)
        return status;
    found = lookup(text, names);
    if (found >= 0) {
        *index = found;
        return WHK_OK;
    }
    path_child(&child, at, key);
    return entry_error(err, &child, "is \"%s\"; use %s", text,
                       choices(names, list, sizeof(list)));
}

static int is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static enum whk_status parse_headers(json_t *scheme, const struct path *at,
                                     struct arena *arena, struct scheme *s,
                                     struct whk_error *err)
{
    json_t *array = json_object_get(scheme, "headers");
    struct path child, item;
    size_t i;
    json_t *value;

    path_child(&child, at, "headers");
    if (!json_is_array(array) || json_array_size(array) == 0)
        return entry_error(err, &child,
                           "is missing or not a non-empty "
                           "array of header names");
    s->header_count = json_array_size(array);
    s->headers =
        arena_alloc(arena, (s->header_count + 1) * sizeof(*s->headers));
    if (s->headers == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    json_array_foreach(array, i, value)
    {
        const char *name = json_string_value(value);

        path_index(&item, &child, i);
        if (name == NULL || *name == '\0')
            return entry_error(err, &item, "must be a header name");
        for (const char *c = name; *c; c++) {
            if (!is_token_char(*c))
                return entry_error(err, &item,
                                   "is \"%s\", which is not a header name "
                                   "(character '%c')",
                                   name, *c);
        }
        s->headers[i] = name;
    }
    return WHK_OK;
}

/* Reads a one-character string member into *c. */
static enum whk_status get_char(json_t *object, const struct path *at,
                                const char *key, char *c, struct whk_error *err)
{
    const char *text;
    enum whk_status status = get_string(object, at, key, 1, &text, err);
    struct path child;

    if (status != WHK_OK)
        return status;
    if (strlen(text) != 1) {
        path_child(&child, at, key);
        return entry_error(err, &child,
                           "is \"%s\"; it must be one "
                           "character",
                           text);
    }
    *c = text[0];
    return WHK_OK;
}

static enum whk_status parse_fields(json_t *scheme, const struct path *at,
                                    struct arena *arena, struct scheme *s,
                                    struct whk_error *err)
{
    static const char *const keys[] = {"separator", "pair", "signature",
                                       "format", NULL};
    json_t *fields = json_object_get(scheme, "fields");
    const char *format;
    struct path child, format_path;
    enum whk_status status;

    if (fields == NULL)
        return WHK_OK;
    path_child(&child, at, "fields");
    if (!json_is_object(fields))
        return entry_error(err, &child, "must be an object");
    s->has_fields = 1;
    status = check_keys(fields, &child, keys, err);
    if (status == WHK_OK)
        status = get_char(fields, &child, "separator", &s->separator, err);
    if (status == WHK_OK)
        status = get_char(fields, &child, "pair", &s->pair, err);
    if (status == WHK_OK)
        status =
            get_string(fields, &child, "signature", 1, &s->signature_key, err);
    if (status == WHK_OK)
        status = get_string(fields, &child, "format", 1, &format, err);
    if (status != WHK_OK)
        return status;
    if (s->separator == s->pair)
        return entry_error(err, &child,
                           "has the same character '%c' as "
                           "separator and pair",
                           s->pair);
    path_child(&format_path, &child, "format");
    status = template_parse(format, &format_path, 1, arena, &s->format, err);
    if (status == WHK_OK && !template_uses(&s->format, PART_SIGNATURE))
        return entry_error(err, &format_path, "has no {signature}");
    return status;
}

static enum whk_status parse_timestamp(json_t *scheme, const struct path *at,
                                       struct scheme *s, struct whk_error *err)
{
    static const char *const keys[] = {"header", "field",     "json",
                                       "unit",   "tolerance", NULL};
    static const char *const units[] = {"seconds", "milliseconds", "iso8601",
                                        NULL};
    static const char *const sources[] = {"header", "field", "json"};
    json_t *object = json_object_get(scheme, "timestamp");
    struct path child;
    enum whk_status status;
    int unit = UNIT_SECONDS, found = 0;

    if (object == NULL)
        return WHK_OK;
    path_child(&child, at, "timestamp");
    if (!json_is_object(object))
        return entry_error(err, &child, "must be an object");
    status = check_keys(object, &child, keys, err);
    for (int i = 0; status == WHK_OK && i < 3; i++) {
        const char *name;

        status = get_string(object, &child, sources[i], 0, &name, err);
        if (status == WHK_OK && name != NULL) {
            found++;
            s->timestamp_source = (enum timestamp_source)(TIMESTAMP_HEADER + i);
            s->timestamp_name = name;
        }
    }
    if (status == WHK_OK && found != 1)
        return entry_error(err, &child,
                           "must name exactly one source: "
                           "\"header\", \"field\" or \"json\"");
    if (status == WHK_OK)
        status = get_choice(object, &child, "unit", 0, units, &unit, err);
    if (status == WHK_OK)
        status = get_integer(object, &child, "tolerance", 0, MAX_TOLERANCE,
                             &s->tolerance, err);
    s->timestamp_unit = (enum timestamp_unit)unit;
    if (status == WHK_OK && s->timestamp_source == TIMESTAMP_JSON &&
        s->timestamp_name[0] != '/')
        return entry_error(err, &child,
                           "has \"json\": \"%s\"; give a JSON "
                           "Pointer such as \"/timestamp\"",
                           s->timestamp_name);
    return status;
}

static enum whk_status parse_id(json_t *scheme, const struct path *at,
                                struct scheme *s, struct whk_error *err)
{
    static const char *const keys[] = {"header", "format", NULL};
    static const char *const formats[] = {"uuid", "msg", NULL};
    json_t *object = json_object_get(scheme, "id");
    struct path child;
    enum whk_status status;
    int format = ID_UUID;

    if (object == NULL)
        return WHK_OK;
    path_child(&child, at, "id");
    if (!json_is_object(object))
        return entry_error(err, &child, "must be an object");
    status = check_keys(object, &child, keys, err);
    if (status == WHK_OK)
        status = get_string(object, &child, "header", 1, &s->id_header, err);
    if (status == WHK_OK)
        status = get_choice(object, &child, "format", 0, formats, &format, err);
    s->id_format = (enum id_format)format;
    return status;
}

static enum whk_status parse_rejected(json_t *secret, const struct path *at,
                                      struct arena *arena, struct scheme *s,
                                      struct whk_error *err)
{
    static const char *const keys[] = {"prefix", "is", NULL};
    json_t *array = json_object_get(secret, "rejected_prefixes");
    struct path child, item;
    enum whk_status status = WHK_OK;
    json_t *value;
    size_t i;

    if (array == NULL)
        return WHK_OK;
    path_child(&child, at, "rejected_prefixes");
    if (!json_is_array(array))
        return entry_error(err, &child, "must be an array of objects");
    s->rejected_count = json_array_size(array);
    s->rejected =
        arena_alloc(arena, (s->rejected_count + 1) * sizeof(*s->rejected));
    if (s->rejected == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    json_array_foreach(array, i, value)
    {
        path_index(&item, &child, i);
        if (!json_is_object(value))
            return entry_error(err, &item, "must be an object");
        status = check_keys(value, &item, keys, err);
        if (status == WHK_OK)
            status = get_string(value, &item, "prefix", 1,
                                &s->rejected[i].prefix, err);
        if (status == WHK_OK)
            status =
                get_string(value, &item, "is", 1, &s->rejected[i].what, err);
        if (status != WHK_OK)
            return status;
    }
    return WHK_OK;
}

static enum whk_status parse_secret(json_t *scheme, const struct path *at,
                                    struct arena *arena, struct scheme *s,
                                    struct whk_error *err)
{
    static const char *const keys[] = {
        "encoding",          "prefix",     "prefix_required", "strip_prefix",
        "rejected_prefixes", "min_length", "max_length",      NULL};
    static const char *const encodings[] = {"text", "hex", "base64", NULL};
    json_t *object = json_object_get(scheme, "secret");
    struct path child;
    enum whk_status status;
    int encoding = SECRET_TEXT;

    if (object == NULL)
        return WHK_OK;
    path_child(&child, at, "secret");
    if (!json_is_object(object))
        return entry_error(err, &child, "must be an object");
    status = check_keys(object, &child, keys, err);
    if (status == WHK_OK)
        status = get_choice(object, &child, "encoding", 0, encodings, &encoding,
                            err);
    if (status == WHK_OK)
        status =
            get_string(object, &child, "prefix", 0, &s->secret_prefix, err);
    s->secret_encoding = (enum secret_encoding)encoding;
    s->strip_prefix = encoding != SECRET_TEXT;
    if (status == WHK_OK)
        status = get_boolean(object, &child, "prefix_required",
                             &s->prefix_required, err);
    if (status == WHK_OK)
        status =
            get_boolean(object, &child, "strip_prefix", &s->strip_prefix, err);
    if (status == WHK_OK)
        status = parse_rejected(object, &child, arena, s, err);
    if (status == WHK_OK)
        status = get_integer(object, &child, "min_length", 1, 4096,
                             &s->min_length, err);
    if (status == WHK_OK)
        status = get_integer(object, &child, "max_length", 1, 4096,
                             &s->max_length, err);
    if (status == WHK_OK && s->max_length != 0 && s->max_length < s->min_length)
        return entry_error(err, &child, "has max_length below min_length");
    if (status == WHK_OK && s->secret_prefix == NULL &&
        (s->prefix_required || json_object_get(object, "strip_prefix")))
        return entry_error(err, &child,
                           "sets prefix_required or "
                           "strip_prefix without a prefix");
    return status;
}

/* Checks that placeholders and the values they need agree. */
static enum whk_status check_consistency(const struct scheme *s,
                                         const struct path *at,
                                         struct whk_error *err)
{
    int signs_timestamp = template_uses(&s->signed_bytes, PART_TIMESTAMP);
    struct path child;

    path_child(&child, at, "signed");
    if (!template_uses(&s->signed_bytes, PART_BODY))
        return entry_error(err, &child,
                           "has no {body}, so the signature "
                           "would not cover the payload");
    if (signs_timestamp && s->timestamp_source == TIMESTAMP_NONE)
        return entry_error(err, &child,
                           "uses {timestamp}, but the scheme "
                           "has no \"timestamp\" object");
    if (template_uses(&s->signed_bytes, PART_ID) && s->id_header == NULL)
        return entry_error(err, &child,
                           "uses {id}, but the scheme has no "
                           "\"id\" object");
    path_child(&child, at, "timestamp");
    if (!signs_timestamp && (s->timestamp_source == TIMESTAMP_HEADER ||
                             s->timestamp_source == TIMESTAMP_FIELD))
        return entry_error(err, &child,
                           "names a timestamp that "
                           "\"signed\" does not use, so it is "
                           "not signed");
    if (s->timestamp_source == TIMESTAMP_FIELD && !s->has_fields)
        return entry_error(err, &child,
                           "reads a field, but the scheme has "
                           "no \"fields\" object");
    if (s->timestamp_source == TIMESTAMP_FIELD &&
        !template_uses(&s->format, PART_TIMESTAMP))
        return entry_error(err, &child,
                           "reads a field that fields.format "
                           "does not write ({timestamp})");
    path_child(&child, at, "prefix");
    if (s->prefix != NULL && s->has_fields)
        return entry_error(err, &child,
                           "and \"fields\" exclude each other; "
                           "write the prefix in fields.format");
    return WHK_OK;
}

enum whk_status scheme_parse(json_t *object, const struct path *at,
                             struct arena *arena, struct scheme *s,
                             struct whk_error *err)
{
    static const char *const keys[] = {
        "headers",   "hash", "encoding", "prefix",        "fields", "signed",
        "timestamp", "id",   "secret",   "body_required", NULL};
    static const char *const hashes[] = {"sha1", "sha256", "sha512", NULL};
    static const char *const encodings[] = {"hex", "base64", "base64url", NULL};
    const char *signed_text;
    struct path child;
    enum whk_status status;
    int hash = 0, encoding = 0;

    if (!json_is_object(object))
        return entry_error(err, at, "is missing or not an object");
    status = check_keys(object, at, keys, err);
    if (status == WHK_OK)
        status = parse_headers(object, at, arena, s, err);
    if (status == WHK_OK)
        status = get_choice(object, at, "hash", 1, hashes, &hash, err);
    if (status == WHK_OK)
        status =
            get_choice(object, at, "encoding", 1, encodings, &encoding, err);
    s->hash = (enum whk_hash)(WHK_SHA1 + hash);
    s->encoding = (enum signature_encoding)encoding;
    if (status == WHK_OK)
        status = get_string(object, at, "prefix", 0, &s->prefix, err);
    if (status == WHK_OK)
        status = parse_fields(object, at, arena, s, err);
    if (status == WHK_OK)
        status = get_string(object, at, "signed", 1, &signed_text, err);
    path_child(&child, at, "signed");
    if (status == WHK_OK)
        status = template_parse(signed_text, &child, 0, arena, &s->signed_bytes,
                                err);
    if (status == WHK_OK)
        status = parse_timestamp(object, at, s, err);
    if (status == WHK_OK)
        status = parse_id(object, at, s, err);
    if (status == WHK_OK)
        status = parse_secret(object, at, arena, s, err);
    if (status == WHK_OK)
        status =
            get_boolean(object, at, "body_required", &s->body_required, err);
    if (status == WHK_OK)
        status = check_consistency(s, at, err);
    return status;
}

static const char *encoding_name(enum signature_encoding encoding)
{
    switch (encoding) {
    case SIGNATURE_HEX:
        return "hex";
    case SIGNATURE_BASE64:
        return "base64";
    case SIGNATURE_BASE64URL:
        break;
    }
    return "base64url";
}

static const char *key_description(const struct scheme *s)
{
    switch (s->secret_encoding) {
    case SECRET_TEXT:
        return s->secret_prefix && !s->strip_prefix
                   ? "keyed with the whole secret as text"
                   : "keyed with the secret as text";
    case SECRET_HEX:
        return "keyed with the hex-decoded secret";
    case SECRET_BASE64:
        break;
    }
    return "keyed with the base64-decoded secret";
}

char *scheme_describe(const struct scheme *s, const char *signed_text,
                      struct arena *arena)
{
    char text[512];

    snprintf(text, sizeof(text), "%s HMAC-SHA%s of \"%s\" %s%s%s%s%s%s",
             encoding_name(s->encoding), whk_hash_name(s->hash) + 4,
             signed_text, key_description(s),
             s->secret_prefix && s->strip_prefix ? " after " : "",
             s->secret_prefix && s->strip_prefix ? s->secret_prefix : "",
             s->prefix ? ", sent as \"" : "", s->prefix ? s->prefix : "",
             s->prefix ? "\" + signature" : "");
    if (s->has_fields)
        snprintf(text + strlen(text), sizeof(text) - strlen(text),
                 "; any %s%c value in the header may match", s->signature_key,
                 s->pair);
    return arena_strdup(arena, text);
}
