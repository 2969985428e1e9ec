/* SPDX-License-Identifier: MIT */
/* Re-serializing JSON text the ways common frameworks and languages do. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Deeper nesting is left undiagnosed rather than risking the stack. */
#define MAX_DEPTH 256

enum kind { NODE_LITERAL, NODE_STRING, NODE_ARRAY, NODE_OBJECT };

/*
 * A parsed value. Numbers and literals keep their exact text, so that
 * re-serializing never changes 1.0 into 1 or 1e2 into 100. Strings hold
 * their decoded bytes, with a lone surrogate escape kept as its three
 * WTF-8 bytes.
 */
struct node {
    enum kind kind;
    char *text; /* literal text or decoded string */
    size_t len;
    struct node *children; /* array items, or object keys and values */
    size_t count;          /* children; an object has 2 per member */
};

struct parser {
    const char *p, *end;
    int depth;
};

static void node_clear(struct node *node)
{
    for (size_t i = 0; i < node->count; i++)
        node_clear(&node->children[i]);
    free(node->children);
    free(node->text);
}

static void skip_space(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
                               *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int parse_value(struct parser *ps, struct node *node);

static int hex4(const char *s, unsigned *value)
{
    *value = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned digit = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                         : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                                : 16;
        if (digit > 15)
            return 0;
        *value = *value << 4 | digit;
    }
    return 1;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Decodes a \uXXXX escape (and its low surrogate) at ps->p, after "\u". */
static int parse_unicode(struct parser *ps, char *out, size_t *n)
{
    unsigned cp, low;

    if (ps->end - ps->p < 4 || !hex4(ps->p, &cp))
        return 0;
    ps->p += 4;
    if (cp >= 0xd800 && cp < 0xdc00 && ps->end - ps->p >= 6 &&
        ps->p[0] == '\\' && ps->p[1] == 'u' && hex4(ps->p + 2, &low) &&
        low >= 0xdc00 && low < 0xe000) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        ps->p += 6;
    }
    *n += put_utf8(out + *n, cp);
    return 1;
}

static int parse_string(struct parser *ps, struct node *node)
{
    const char *start = ++ps->p;
    size_t n = 0;
    char *out;

    /* Decoding never lengthens text: \uXXXX (6) gives at most 4 bytes. */
    while (ps->p < ps->end && *ps->p != '"')
        ps->p += *ps->p == '\\' && ps->p + 1 < ps->end ? 2 : 1;
    if (ps->p >= ps->end)
        return 0;
    out = malloc((size_t)(ps->p - start) + 1);
    if (out == NULL)
        return 0;
    node->kind = NODE_STRING;
    node->text = out;
    for (ps->p = start; *ps->p != '"';) {
        char c = *ps->p++;
        const char *escapes = "\"\"\\\\//b\bf\fn\nr\rt\t", *e;

        if ((unsigned char)c < 0x20)
            return 0;
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        c = *ps->p++;
        if (c == 'u') {
            if (!parse_unicode(ps, out, &n))
                return 0;
            continue;
        }
        for (e = escapes; *e && *e != c; e += 2)
            ;
        if (*e == '\0')
            return 0;
        out[n++] = e[1];
    }
    ps->p++;
    node->len = n;
    return 1;
}

static int add_child(struct node *node, struct node **child)
{
    struct node *grown =
        realloc(node->children, (node->count + 1) * sizeof(*grown));

    if (grown == NULL)
        return 0;
    node->children = grown;
    *child = &grown[node->count++];
    memset(*child, 0, sizeof(**child));
    return 1;
}

/* Parses an array or object; ps->p is at its opening bracket. */
static int parse_container(struct parser *ps, struct node *node)
{
    int object = *ps->p == '{';
    char close = object ? '}' : ']';
    struct node *child;

    node->kind = object ? NODE_OBJECT : NODE_ARRAY;
    if (++ps->depth > MAX_DEPTH)
        return 0;
    ps->p++;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        ps->depth--;
        return 1;
    }
    for (;;) {
        skip_space(ps);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"' || !add_child(node, &child) ||
                !parse_string(ps, child))
                return 0;
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p++ != ':')
                return 0;
        }
        if (!add_child(node, &child) || !parse_value(ps, child))
            return 0;
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p++ == close)
            break;
        return 0;
    }
    ps->depth--;
    return 1;
}

static int parse_literal(struct parser *ps, struct node *node)
{
    const char *start = ps->p;

    while (ps->p < ps->end && strchr("+-.0123456789eEtruefalsn", *ps->p) &&
           *ps->p != '\0')
        ps->p++;
    if (ps->p == start)
        return 0;
    node->kind = NODE_LITERAL;
    node->len = (size_t)(ps->p - start);
    node->text = strndup(start, node->len);
    return node->text != NULL;
}

static int parse_value(struct parser *ps, struct node *node)
{
    skip_space(ps);
    if (ps->p >= ps->end)
        return 0;
    if (*ps->p == '{' || *ps->p == '[')
        return parse_container(ps, node);
    if (*ps->p == '"')
        return parse_string(ps, node);
    return parse_literal(ps, node);
}

/* Decodes one UTF-8 sequence at s; returns its length, or 0 if invalid. */
static size_t get_utf8(const unsigned char *s, size_t len, unsigned *cp)
{
    size_t n = 0;

    if (s[0] >= 0xf0)
        n = 4;
    else if (s[0] >= 0xe0)
        n = 3;
    else if (s[0] >= 0xc0)
        n = 2;
    if (n == 0 || n > len)
        return 0;
    *cp = s[0] & (0x3f >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3f);
    }
    return n;
}

static void write_escaped_cp(FILE *out, unsigned cp)
{
    if (cp >= 0x10000) {
        cp -= 0x10000;
        fprintf(out, "\\u%04x\\u%04x", 0xd800 + (cp >> 10),
                0xdc00 + (cp & 0x3ff));
    } else {
        fprintf(out, "\\u%04x", cp);
    }
}

static void write_string(FILE *out, const struct node *node,
                         const struct whkp_json_form *form)
{
    const unsigned char *s = (const unsigned char *)node->text;
    static const char shorts[] = "\b"
                                 "b"
                                 "\f"
                                 "f"
                                 "\n"
                                 "n"
                                 "\r"
                                 "r"
                                 "\t"
                                 "t";

    fputc('"', out);
    for (size_t i = 0; i < node->len; i++) {
        const char *e = memchr(shorts, s[i], sizeof(shorts) - 1);
        unsigned cp;
        size_t n;

        if (s[i] == '"' || s[i] == '\\' || (s[i] == '/' && form->slash)) {
            fprintf(out, "\\%c", s[i]);
        } else if (s[i] != 0 && e != NULL && (e - shorts) % 2 == 0) {
            fprintf(out, "\\%c", e[1]);
        } else if (s[i] < 0x20 || (s[i] == 0x7f && form->ascii) ||
                   (form->html && strchr("<>&", s[i]) && s[i] != 0)) {
            fprintf(out, "\\u%04x", s[i]);
        } else if (s[i] < 0x80) {
            fputc(s[i], out);
        } else if ((n = get_utf8(s + i, node->len - i, &cp)) == 0) {
            fputc(s[i], out);
        } else {
            /* Lone surrogates are always escaped, as JSON.stringify does. */
            if (form->ascii || (cp >= 0xd800 && cp < 0xe000) ||
                (form->html && (cp == 0x2028 || cp == 0x2029)))
                write_escaped_cp(out, cp);
            else
                fwrite(s + i, 1, n, out);
            i += n - 1;
        }
    }
    fputc('"', out);
}

static int compare_keys(const void *a, const void *b)
{
    const struct node *x = *(const struct node *const *)a;
    const struct node *y = *(const struct node *const *)b;
    int c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);

    return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

static void write_value(FILE *out, const struct node *node,
                        const struct whkp_json_form *form, int level);

static void newline(FILE *out, const struct whkp_json_form *form, int level)
{
    if (form->indent == 0)
        return;
    fputc('\n', out);
    for (int i = 0; i < form->indent * level; i++)
        fputc(' ', out);
}

static void write_container(FILE *out, const struct node *node,
                            const struct whkp_json_form *form, int level)
{
    int object = node->kind == NODE_OBJECT;
    size_t step = object ? 2 : 1, items = node->count / step;
    const struct node **order = malloc((items ? items : 1) * sizeof(*order));

    if (order == NULL)
        return;
    for (size_t i = 0; i < items; i++)
        order[i] = &node->children[i * step];
    if (object && form->sort_keys)
        qsort(order, items, sizeof(*order), compare_keys);

    fputc(object ? '{' : '[', out);
    for (size_t i = 0; i < items; i++) {
        if (i > 0)
            fputs(form->indent == 0 && form->spaced ? ", " : ",", out);
        newline(out, form, level + 1);
        if (object) {
            write_string(out, order[i], form);
            fputs(form->indent > 0 || form->spaced ? ": " : ":", out);
            write_value(out, order[i] + 1, form, level + 1);
        } else {
            write_value(out, order[i], form, level + 1);
        }
    }
    if (items > 0)
        newline(out, form, level);
    fputc(object ? '}' : ']', out);
    free(order);
}

static void write_value(FILE *out, const struct node *node,
                        const struct whkp_json_form *form, int level)
{
    if (node->kind == NODE_LITERAL)
        fwrite(node->text, 1, node->len, out);
    else if (node->kind == NODE_STRING)
        write_string(out, node, form);
    else
        write_container(out, node, form, level);
}

char *whkp_json_reformat(const char *text, size_t len,
                         const struct whkp_json_form *form, size_t *out_len)
{
    struct parser ps = {text, text + len, 0};
    struct node root = {0};
    char *result = NULL;
    FILE *out;

    if (!parse_value(&ps, &root))
        goto out;
    skip_space(&ps);
    if (ps.p != ps.end)
        goto out;
    out = open_memstream(&result, out_len);
    if (out == NULL)
        goto out;
    write_value(out, &root, form, 0);
    fclose(out);

out:
    node_clear(&root);
    return result;
}
