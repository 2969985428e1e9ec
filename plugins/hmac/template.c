/* SPDX-License-Identifier: MIT */
/* Templates of signed bytes and header values: parsing and expansion. */
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

static const struct {
    const char *name;
    enum part_kind kind;
} placeholders[] = {
    {"body", PART_BODY},
    {"timestamp", PART_TIMESTAMP},
    {"id", PART_ID},
    {"url", PART_URL},
    {"path", PART_PATH},
    {"method", PART_METHOD},
    {"signature", PART_SIGNATURE},
};

#define HEADER_PREFIX "header:"

static struct part *add_part(struct template *t, enum part_kind kind,
                             const char *text, size_t len)
{
    struct part *part = &t->parts[t->count++];

    part->kind = kind;
    part->text = text;
    part->len = len;
    return part;
}

/* Classifies the placeholder name[0..len); returns 0 when unknown. */
static int classify(const char *name, size_t len, int signature_allowed,
                    enum part_kind *kind)
{
    size_t prefix_len = strlen(HEADER_PREFIX);

    if (len > prefix_len && memcmp(name, HEADER_PREFIX, prefix_len) == 0) {
        *kind = PART_HEADER;
        return 1;
    }
    for (size_t i = 0; i < sizeof(placeholders) / sizeof(*placeholders); i++) {
        if (strlen(placeholders[i].name) == len &&
            memcmp(placeholders[i].name, name, len) == 0) {
            *kind = placeholders[i].kind;
            return *kind != PART_SIGNATURE || signature_allowed;
        }
    }
    return 0;
}

enum whk_status template_parse(const char *text, const struct path *at,
                               int signature_allowed, struct arena *arena,
                               struct template *template, struct whk_error *err)
{
    size_t len = strlen(text), start = 0;

    template->count = 0;
    /* At most one literal and one placeholder per '{', plus a tail. */
    template->parts =
        arena_alloc(arena, (2 * len + 2) * sizeof(*template->parts));
    if (template->parts == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");

    for (size_t i = 0; i < len; i++) {
        const char *close;
        enum part_kind kind;

        if (text[i] != '{')
            continue;
        close = strchr(text + i, '}');
        if (close == NULL ||
            !classify(text + i + 1, (size_t)(close - text) - i - 1,
                      signature_allowed, &kind))
            return entry_error(err, at,
                               "has '%.*s' at offset %zu, which is not a "
                               "placeholder; use {body}, {timestamp}, {id}, "
                               "{url}, {path}, {method}, {header:NAME}%s",
                               close ? (int)(close - text - i + 1) : 1,
                               text + i, i,
                               signature_allowed ? " or {signature}" : "");
        if (i > start)
            add_part(template, PART_LITERAL, text + start, i - start);
        if (kind == PART_HEADER) {
            size_t name_len =
                (size_t)(close - text) - i - 1 - strlen(HEADER_PREFIX);
            char *name = arena_alloc(arena, name_len + 1);

            if (name == NULL)
                return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
            memcpy(name, text + i + 1 + strlen(HEADER_PREFIX), name_len);
            add_part(template, kind, name, name_len);
        } else
            add_part(template, kind, NULL, 0);
        i = (size_t)(close - text);
        start = i + 1;
    }
    if (start < len)
        add_part(template, PART_LITERAL, text + start, len - start);
    return WHK_OK;
}

int template_uses(const struct template *template, enum part_kind kind)
{
    for (size_t i = 0; i < template->count; i++) {
        if (template->parts[i].kind == kind)
            return 1;
    }
    return 0;
}

/* The URL's path and query: what follows the authority. */
static struct whk_span url_path(const char *url)
{
    struct whk_url_parts parts;
    struct whk_span span = {"", 0};

    if (url == NULL || whk_url_split(url, &parts, NULL) != WHK_OK)
        return span;
    span.ptr = parts.path.ptr ? parts.path.ptr : url + strlen(url);
    span.len = strlen(span.ptr);
    if (parts.fragment.ptr != NULL)
        span.len = (size_t)(parts.fragment.ptr - 1 - span.ptr);
    return span;
}

const char *template_spans(const struct template *template,
                           const struct expansion *values,
                           struct whk_span *parts)
{
    const char *url = whk_request_url(values->req);

    for (size_t i = 0; i < template->count; i++) {
        const struct part *p = &template->parts[i];
        const char *value;

        switch (p->kind) {
        case PART_LITERAL:
            parts[i] = (struct whk_span){p->text, p->len};
            break;
        case PART_BODY:
            parts[i].ptr = whk_request_body(values->req, &parts[i].len);
            break;
        case PART_TIMESTAMP:
            parts[i] = values->timestamp;
            break;
        case PART_ID:
            parts[i] = values->id;
            break;
        case PART_SIGNATURE:
            parts[i] = values->signature;
            break;
        case PART_URL:
            parts[i] = (struct whk_span){url ? url : "", url ? strlen(url) : 0};
            break;
        case PART_PATH:
            parts[i] = url_path(url);
            break;
        case PART_METHOD:
            value = whk_request_method(values->req);
            parts[i] = (struct whk_span){value, strlen(value)};
            break;
        case PART_HEADER:
            value = whk_request_header(values->req, p->text);
            if (value == NULL)
                return p->text;
            parts[i] = (struct whk_span){value, strlen(value)};
            break;
        }
    }
    return NULL;
}

char *template_join(const struct template *template,
                    const struct expansion *values)
{
    struct whk_span *parts = calloc(template->count + 1, sizeof(*parts));
    size_t total = 0;
    char *text = NULL, *at;

    if (parts == NULL || template_spans(template, values, parts) != NULL)
        goto out;
    for (size_t i = 0; i < template->count; i++)
        total += parts[i].len;
    text = malloc(total + 1);
    if (text == NULL)
        goto out;
    at = text;
    for (size_t i = 0; i < template->count; i++) {
        if (parts[i].len > 0)
            memcpy(at, parts[i].ptr, parts[i].len);
        at += parts[i].len;
    }
    *at = '\0';

out:
    free(parts);
    return text;
}
