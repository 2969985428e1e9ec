/* SPDX-License-Identifier: MIT */
/* An entry's "challenges": the endpoint checks a provider sends. */
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

/* Checks "query:NAME", "header:NAME" or "json:/POINTER" (and "=VALUE"). */
static enum whk_status check_location(const char *text, int value_allowed,
                                      const struct path *at,
                                      struct whk_error *err)
{
    static const char *const kinds[] = {"query:", "header:", "json:/"};
    const char *equals = strchr(text, '=');

    for (size_t i = 0; i < 3; i++) {
        size_t len = strlen(kinds[i]);

        if (strncmp(text, kinds[i], len) != 0)
            continue;
        if (equals != NULL && !value_allowed)
            break;
        if (text[len] == '\0' || text + len == equals)
            break;
        return WHK_OK;
    }
    return entry_error(err, at,
                       "is \"%s\"; write \"query:NAME\", "
                       "\"header:NAME\" or \"json:/POINTER\"%s",
                       text, value_allowed ? ", optionally with =VALUE" : "");
}

static enum whk_status get_location(json_t *object, const struct path *at,
                                    const char *key, const char **value,
                                    struct whk_error *err)
{
    enum whk_status status = get_string(object, at, key, 0, value, err);
    struct path child;

    if (status != WHK_OK || *value == NULL)
        return status;
    path_child(&child, at, key);
    return check_location(*value, 0, &child, err);
}

/* Reads a string, or any other JSON value serialized compactly. */
static enum whk_status get_text(json_t *object, const char *key,
                                struct arena *arena, const char **text,
                                struct whk_error *err)
{
    json_t *member = json_object_get(object, key);
    char *dumped;

    *text = NULL;
    if (member == NULL)
        return WHK_OK;
    if (json_is_string(member)) {
        *text = json_string_value(member);
        return WHK_OK;
    }
    dumped = json_dumps(member, JSON_COMPACT | JSON_ENCODE_ANY);
    if (dumped != NULL) {
        *text = arena_strdup(arena, dumped);
        free(dumped);
    }
    return *text ? WHK_OK
                 : whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
}

/* Reads an array of strings into a NULL-terminated list. */
static enum whk_status get_list(json_t *object, const struct path *at,
                                const char *key, int locations,
                                struct arena *arena, const char *const **list,
                                struct whk_error *err)
{
    json_t *array = json_object_get(object, key), *value;
    struct path child, item;
    const char **items;
    size_t i;

    *list = NULL;
    if (array == NULL)
        return WHK_OK;
    path_child(&child, at, key);
    if (!json_is_array(array))
        return entry_error(err, &child, "must be an array of strings");
    items = arena_alloc(arena, (json_array_size(array) + 1) * sizeof(*items));
    if (items == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    json_array_foreach(array, i, value)
    {
        path_index(&item, &child, i);
        if (!json_is_string(value) || json_string_length(value) == 0)
            return entry_error(err, &item, "must be a non-empty string");
        items[i] = json_string_value(value);
        if (locations && check_location(items[i], 1, &item, err) != WHK_OK)
            return WHK_ERR_CONFIG;
        if (!locations && strchr(items[i], ':') == NULL)
            return entry_error(err, &item,
                               "is \"%s\"; write \"Name: "
                               "value\"",
                               items[i]);
    }
    *list = items;
    return WHK_OK;
}

static enum whk_status parse_hmac(json_t *object, const struct path *at,
                                  struct whk_challenge *c,
                                  struct whk_error *err)
{
    static const char *const keys[] = {"hash", "encoding", NULL};
    json_t *hmac = json_object_get(object, "hmac");
    const char *hash, *encoding;
    struct path child;
    enum whk_status status;

    if (hmac == NULL)
        return WHK_OK;
    path_child(&child, at, "hmac");
    if (!json_is_object(hmac))
        return entry_error(err, &child, "must be an object");
    status = check_keys(hmac, &child, keys, err);
    if (status == WHK_OK)
        status = get_string(hmac, &child, "hash", 1, &hash, err);
    if (status == WHK_OK)
        status = get_string(hmac, &child, "encoding", 1, &encoding, err);
    if (status != WHK_OK)
        return status;
    c->hmac_hash = strcmp(hash, "sha1") == 0     ? WHK_SHA1
                   : strcmp(hash, "sha256") == 0 ? WHK_SHA256
                   : strcmp(hash, "sha512") == 0 ? WHK_SHA512
                                                 : 0;
    c->hmac_encoding = strcmp(encoding, "hex") == 0      ? WHK_ENCODING_HEX
                       : strcmp(encoding, "base64") == 0 ? WHK_ENCODING_BASE64
                                                         : 0;
    if (c->hmac_hash == 0 || c->hmac_encoding == 0)
        return entry_error(err, &child,
                           "has hash \"%s\" and encoding "
                           "\"%s\"; use sha1, sha256 or sha512 "
                           "with hex or base64",
                           hash, encoding);
    return WHK_OK;
}

static enum whk_status parse_answer(json_t *object, const struct path *at,
                                    struct arena *arena,
                                    struct whk_challenge *c,
                                    struct whk_error *err)
{
    static const char *const keys[] = {"status", "content_type", "body",
                                       "headers", NULL};
    json_t *response = json_object_get(object, "response");
    int64_t status_code = 200;
    struct path child;
    enum whk_status status;

    path_child(&child, at, "response");
    if (!json_is_object(response))
        return entry_error(err, &child, "is missing or not an object");
    status = check_keys(response, &child, keys, err);
    if (status == WHK_OK)
        status =
            get_integer(response, &child, "status", 0, 599, &status_code, err);
    if (status == WHK_OK)
        status = get_string(response, &child, "content_type", 0,
                            &c->response_content_type, err);
    if (status == WHK_OK)
        status = get_text(response, "body", arena, &c->response_body, err);
    if (status == WHK_OK)
        status = get_list(response, &child, "headers", 0, arena,
                          &c->response_headers, err);
    c->status = (int)status_code;
    return status;
}

static enum whk_status parse_request(json_t *object, const struct path *at,
                                     struct arena *arena,
                                     struct whk_challenge *c,
                                     struct whk_error *err)
{
    enum whk_status status;

    status = get_string(object, at, "method", 1, &c->method, err);
    if (status == WHK_OK)
        status = get_string(object, at, "query", 0, &c->query, err);
    if (status == WHK_OK)
        status =
            get_string(object, at, "content_type", 0, &c->content_type, err);
    if (status == WHK_OK)
        status = get_text(object, "body", arena, &c->body, err);
    if (status == WHK_OK)
        status = get_list(object, at, "headers", 0, arena, &c->headers, err);
    if (status == WHK_OK)
        status = get_boolean(object, at, "signed", &c->is_signed, err);
    if (status == WHK_OK)
        status = get_list(object, at, "match", 1, arena, &c->match, err);
    if (status == WHK_OK)
        status = get_location(object, at, "token", &c->token, err);
    if (status == WHK_OK)
        status =
            get_location(object, at, "verify_token", &c->verify_token, err);
    if (status == WHK_OK)
        status = get_string(object, at, "verify_token_env",
                            c->verify_token ? 1 : 0, &c->verify_token_env, err);
    return status;
}

static enum whk_status parse_challenge(json_t *object, const struct path *at,
                                       struct arena *arena,
                                       struct whk_challenge *c,
                                       struct whk_error *err)
{
    static const char *const keys[] = {
        "name",         "description", "method",         "query",
        "content_type", "body",        "headers",        "signed",
        "match",        "token",       "verify_token",   "verify_token_env",
        "response",     "hmac",        "invalid_status", NULL};
    int64_t invalid_status = 0;
    enum whk_status status;

    if (!json_is_object(object))
        return entry_error(err, at, "must be an object");
    status = check_keys(object, at, keys, err);
    if (status == WHK_OK)
        status = get_string(object, at, "name", 1, &c->name, err);
    if (status == WHK_OK)
        status = get_string(object, at, "description", 1, &c->description, err);
    if (status == WHK_OK)
        status = parse_request(object, at, arena, c, err);
    if (status == WHK_OK)
        status = parse_answer(object, at, arena, c, err);
    if (status == WHK_OK)
        status = parse_hmac(object, at, c, err);
    if (status == WHK_OK)
        status = get_integer(object, at, "invalid_status", 400, 499,
                             &invalid_status, err);
    c->invalid_status = (int)invalid_status;
    if (status == WHK_OK && c->response_body != NULL &&
        strstr(c->response_body, "{hmac}") != NULL && c->hmac_hash == 0)
        return entry_error(err, at, "uses {hmac} without an \"hmac\" object");
    if (status == WHK_OK && c->invalid_status != 0 && !c->is_signed)
        return entry_error(err, at,
                           "sets invalid_status, but the challenge "
                           "is not signed");
    return status;
}

enum whk_status challenges_parse(json_t *array, const struct path *at,
                                 struct arena *arena,
                                 const struct whk_challenge **out,
                                 struct whk_error *err)
{
    struct whk_challenge *table;
    struct path item;
    enum whk_status status;
    json_t *value;
    size_t i;

    *out = NULL;
    if (array == NULL)
        return WHK_OK;
    if (!json_is_array(array) || json_array_size(array) == 0)
        return entry_error(err, at, "must be a non-empty array of objects");
    table = arena_alloc(arena, (json_array_size(array) + 1) * sizeof(*table));
    if (table == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    json_array_foreach(array, i, value)
    {
        path_index(&item, at, i);
        status = parse_challenge(value, &item, arena, &table[i], err);
        if (status != WHK_OK)
            return status;
    }
    *out = table;
    return WHK_OK;
}
