/* SPDX-License-Identifier: MIT */
/* Reading a providers.d entry: typed members, paths and storage. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

void *arena_alloc(struct arena *arena, size_t size)
{
    void **grown;
    void *block;

    grown = realloc(arena->blocks, (arena->count + 1) * sizeof(*grown));
    if (grown == NULL)
        return NULL;
    arena->blocks = grown;
    block = calloc(1, size ? size : 1);
    if (block != NULL)
        arena->blocks[arena->count++] = block;
    return block;
}

char *arena_strdup(struct arena *arena, const char *text)
{
    size_t len = strlen(text);
    char *copy = arena_alloc(arena, len + 1);

    if (copy != NULL)
        memcpy(copy, text, len + 1);
    return copy;
}

void arena_free(struct arena *arena)
{
    for (size_t i = 0; i < arena->count; i++)
        free(arena->blocks[i]);
    free(arena->blocks);
    arena->blocks = NULL;
    arena->count = 0;
}

void path_child(struct path *child, const struct path *parent, const char *key)
{
    int len;

    if (parent == NULL || parent->text[0] == '\0')
        len = snprintf(child->text, sizeof(child->text), "%s", key);
    else
        len = snprintf(child->text, sizeof(child->text), "%s.%s", parent->text,
                       key);
    /* A path too long for messages is cut; it names a nested key. */
    if (len < 0 || (size_t)len >= sizeof(child->text))
        child->text[sizeof(child->text) - 1] = '\0';
}

void path_index(struct path *child, const struct path *parent, size_t index)
{
    int len = snprintf(child->text, sizeof(child->text), "%s[%zu]",
                       parent->text, index);

    if (len < 0 || (size_t)len >= sizeof(child->text))
        child->text[sizeof(child->text) - 1] = '\0';
}

enum whk_status entry_error(struct whk_error *err, const struct path *path,
                            const char *format, ...)
{
    char message[WHK_ERROR_TEXT_SIZE];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    return whk_error_set(err, WHK_ERR_CONFIG, "key '%s' %s", path->text,
                         message);
}

static const char *type_name(json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        break;
    }
    return "null";
}

enum whk_status check_keys(json_t *object, const struct path *at,
                           const char *const *allowed, struct whk_error *err)
{
    const char *key;
    json_t *value;

    json_object_foreach(object, key, value)
    {
        char known[320] = "";
        size_t i = 0, used = 0;
        struct path child;

        while (allowed[i] != NULL && strcmp(allowed[i], key) != 0)
            i++;
        if (allowed[i] != NULL)
            continue;
        for (i = 0; allowed[i] != NULL && used < sizeof(known); i++)
            used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s",
                                     i ? ", " : "", allowed[i]);
        path_child(&child, at, key);
        return entry_error(err, &child,
                           "is not a known member; check its spelling "
                           "(known: %s)",
                           known);
    }
    return WHK_OK;
}

enum whk_status get_string(json_t *object, const struct path *at,
                           const char *key, int required, const char **value,
                           struct whk_error *err)
{
    json_t *member = json_object_get(object, key);
    struct path child;

    path_child(&child, at, key);
    *value = NULL;
    if (member == NULL) {
        if (required)
            return entry_error(err, &child, "is missing");
        return WHK_OK;
    }
    if (!json_is_string(member))
        return entry_error(err, &child, "is %s; it must be a string",
                           type_name(member));
    if (json_string_length(member) == 0)
        return entry_error(err, &child, "is empty");
    if (strlen(json_string_value(member)) != json_string_length(member))
        return entry_error(err, &child, "contains a NUL character");
    *value = json_string_value(member);
    return WHK_OK;
}

enum whk_status get_integer(json_t *object, const struct path *at,
                            const char *key, int64_t min, int64_t max,
                            int64_t *value, struct whk_error *err)
{
    json_t *member = json_object_get(object, key);
    struct path child;
    json_int_t number;

    if (member == NULL)
        return WHK_OK;
    path_child(&child, at, key);
    if (!json_is_integer(member))
        return entry_error(err, &child, "is %s; it must be an integer",
                           type_name(member));
    number = json_integer_value(member);
    if (number < min || number > max)
        return entry_error(err, &child,
                           "is %lld; it must be from %lld to "
                           "%lld",
                           (long long)number, (long long)min, (long long)max);
    *value = (int64_t)number;
    return WHK_OK;
}

enum whk_status get_boolean(json_t *object, const struct path *at,
                            const char *key, int *value, struct whk_error *err)
{
    json_t *member = json_object_get(object, key);
    struct path child;

    if (member == NULL)
        return WHK_OK;
    path_child(&child, at, key);
    if (!json_is_boolean(member))
        return entry_error(err, &child, "is %s; it must be true or false",
                           type_name(member));
    *value = json_is_true(member);
    return WHK_OK;
}

/* Follows one reference token, unescaping "~1" to '/' and "~0" to '~'. */
static json_t *pointer_step(json_t *value, const char *token, size_t len)
{
    char name[256];
    size_t used = 0;
    char *end;
    unsigned long index;

    for (size_t i = 0; i < len && used + 1 < sizeof(name); i++) {
        if (token[i] == '~' && i + 1 < len &&
            (token[i + 1] == '0' || token[i + 1] == '1'))
            name[used++] = token[++i] == '1' ? '/' : '~';
        else
            name[used++] = token[i];
    }
    name[used] = '\0';
    if (json_is_object(value))
        return json_object_get(value, name);
    if (!json_is_array(value) || used == 0)
        return NULL;
    index = strtoul(name, &end, 10);
    return *end == '\0' ? json_array_get(value, index) : NULL;
}

int json_pointer_text(const char *body, size_t len, const char *pointer,
                      char *out, size_t size)
{
    json_t *root = json_loadb(body, len, 0, NULL);
    json_t *value = root;
    const char *at = pointer;
    int found = 0;

    while (value != NULL && *at == '/') {
        size_t token_len = strcspn(at + 1, "/");

        value = pointer_step(value, at + 1, token_len);
        at += 1 + token_len;
    }
    if (json_is_string(value)) {
        snprintf(out, size, "%s", json_string_value(value));
        found = 1;
    } else if (json_is_integer(value)) {
        snprintf(out, size, "%lld", (long long)json_integer_value(value));
        found = 1;
    }
    json_decref(root);
    return found;
}
