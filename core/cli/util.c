/* SPDX-License-Identifier: MIT */
/* Messages, file reading, shell quoting and template expansion. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Returns the length of the valid UTF-8 character at text, or 0. */
static size_t utf8_length(const unsigned char *text)
{
    size_t len = text[0] >= 0xf0   ? 4
                 : text[0] >= 0xe0 ? 3
                 : text[0] >= 0xc2 ? 2
                                   : 0;

    if (text[0] > 0xf4)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((text[i] & 0xc0) != 0x80)
            return 0;
    }
    /* C1 controls (U+0080..U+009F) act on terminals like C0 ones. */
    if (len == 2 && text[0] == 0xc2 && text[1] < 0xa0)
        return 0;
    return len;
}

/*
 * Writes text with control characters (newlines included), C1 controls
 * and bytes that are not UTF-8 as \xNN, so that request data cannot move
 * the cursor, recolour or retitle the terminal, or forge an output line.
 */
static void write_escaped(FILE *out, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p) {
        size_t n = *p >= 0x80 ? utf8_length(p) : 1;

        if (n > 1) {
            fwrite(p, 1, n, out);
            p += n;
            continue;
        }
        if (*p < 0x20 ? *p != '\t' : *p >= 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
        p++;
    }
}

/* One conversion of a printf format: "%-*.*lld" and its parts. */
struct conversion {
    char spec[32];
    int width_star;
    int precision_star;
    char length[3];
    char letter;
};

/* Parses the conversion at format (after '%'); returns the text after it. */
static const char *parse_conversion(const char *format, struct conversion *c)
{
    const char *p = format;
    size_t n = 0;

    memset(c, 0, sizeof(*c));
    while (*p && strchr("-+ #0", *p))
        p++;
    if (*p == '*') {
        c->width_star = 1;
        p++;
    }
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '.') {
        p++;
        if (*p == '*') {
            c->precision_star = 1;
            p++;
        }
        while (isdigit((unsigned char)*p))
            p++;
    }
    while (*p && strchr("hlzjt", *p) && n < 2)
        c->length[n++] = *p++;
    c->letter = *p ? *p++ : '\0';
    snprintf(c->spec, sizeof(c->spec), "%%%.*s", (int)(p - format), format);
    return p;
}

/*
 * Formats one conversion, taking its arguments from args. The spec comes
 * from parse_conversion(), which keeps only flags, width, precision, a
 * length and the letter, so it is safe to use as a format.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static char *format_conversion(const struct conversion *c, va_list *args)
{
    int width = c->width_star ? va_arg(*args, int) : 0;
    int precision = c->precision_star ? va_arg(*args, int) : 0;
    int stars = c->width_star + c->precision_star;
    char *text = NULL;
    int ok = -1;

#define FORMAT_WITH(value)                                                     \
    (stars == 2 ? asprintf(&text, c->spec, width, precision, value)            \
     : stars == 1                                                              \
         ? asprintf(&text, c->spec, c->width_star ? width : precision, value)  \
         : asprintf(&text, c->spec, value))

    switch (c->letter) {
    case 'd':
    case 'i':
        if (strcmp(c->length, "ll") == 0)
            ok = FORMAT_WITH(va_arg(*args, long long));
        else if (c->length[0] == 'l' || c->length[0] == 'z' ||
                 c->length[0] == 'j' || c->length[0] == 't')
            ok = FORMAT_WITH(va_arg(*args, long));
        else
            ok = FORMAT_WITH(va_arg(*args, int));
        break;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        if (strcmp(c->length, "ll") == 0)
            ok = FORMAT_WITH(va_arg(*args, unsigned long long));
        else if (c->length[0] == 'l' || c->length[0] == 'z' ||
                 c->length[0] == 'j' || c->length[0] == 't')
            ok = FORMAT_WITH(va_arg(*args, unsigned long));
        else
            ok = FORMAT_WITH(va_arg(*args, unsigned int));
        break;
    case 'e':
    case 'f':
    case 'g':
        ok = FORMAT_WITH(va_arg(*args, double));
        break;
    case 'c':
        ok = FORMAT_WITH(va_arg(*args, int));
        break;
    case 's':
        ok = FORMAT_WITH(va_arg(*args, const char *));
        break;
    case 'p':
        ok = FORMAT_WITH(va_arg(*args, void *));
        break;
    }
#undef FORMAT_WITH
    return ok < 0 ? NULL : text;
}
#pragma GCC diagnostic pop

/*
 * printf with each argument escaped by write_escaped(): the format's own
 * text, newlines included, is written as it is. On x86-64 Linux, long,
 * size_t, intmax_t and ptrdiff_t share a size, so 'z', 'j' and 't' are
 * read as long.
 */
void whkp_vprint(FILE *out, const char *format, va_list args)
{
    va_list copy;

    va_copy(copy, args);
    while (*format) {
        struct conversion c;
        char *text;

        if (*format != '%') {
            fputc(*format++, out);
            continue;
        }
        if (format[1] == '%') {
            fputc('%', out);
            format += 2;
            continue;
        }
        format = parse_conversion(format + 1, &c);
        text = format_conversion(&c, &copy);
        if (text == NULL)
            break;
        write_escaped(out, text);
        free(text);
    }
    va_end(copy);
}

void whkp_printf(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    whkp_vprint(stdout, format, args);
    va_end(args);
}

void whkp_fprintf(FILE *out, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    whkp_vprint(out, format, args);
    va_end(args);
}

/*
 * Prints one message line. The lock keeps the line whole when several
 * threads (whk listen's connections) print at once.
 */
static void message(const char *kind, const char *format, va_list args)
{
    flockfile(stderr);
    fprintf(stderr, "whk: %s: ", kind);
    whkp_vprint(stderr, format, args);
    fputc('\n', stderr);
    funlockfile(stderr);
}

void whkp_error(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    message("error", format, args);
    va_end(args);
}

void whkp_warning(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    message("warning", format, args);
    va_end(args);
}

void whkp_note(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    message("note", format, args);
    va_end(args);
}

enum whk_status whkp_read_file(const char *path, size_t max_size, char **data,
                               size_t *len, struct whk_error *err)
{
    FILE *file = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    const char *name = file == stdin ? "standard input" : path;
    size_t size = 0, capacity = 0;
    char *buffer = NULL;
    enum whk_status status = WHK_OK;
    struct stat info;

    if (file == NULL)
        return whk_error_set(err, WHK_ERR_IO, "cannot open %s: %s", path,
                             strerror(errno));
    /* A regular file over the limit is refused before it is read. */
    if (fstat(fileno(file), &info) == 0 && S_ISREG(info.st_mode) &&
        (uintmax_t)info.st_size > max_size) {
        if (file != stdin)
            fclose(file);
        return whk_error_set(err, WHK_ERR_INVALID,
                             "%s is larger than the limit of %zu bytes", name,
                             max_size);
    }
    for (;;) {
        size_t got;

        if (size == capacity) {
            char *grown;

            capacity = capacity ? 2 * capacity : 65536;
            grown = realloc(buffer, capacity + 1);
            if (grown == NULL) {
                status = whk_error_set(err, WHK_ERR_NO_MEMORY,
                                       "out of memory reading %s", name);
                break;
            }
            buffer = grown;
        }
        got = fread(buffer + size, 1, capacity - size, file);
        size += got;
        if (size > max_size) {
            status = whk_error_set(err, WHK_ERR_INVALID,
                                   "%s is larger than the limit of %zu bytes",
                                   name, max_size);
            break;
        }
        if (got == 0) {
            if (ferror(file))
                status = whk_error_set(err, WHK_ERR_IO, "cannot read %s: %s",
                                       name, strerror(errno));
            break;
        }
    }
    if (file != stdin)
        fclose(file);

    if (status != WHK_OK) {
        free(buffer);
        return status;
    }
    buffer[size] = '\0';
    *data = buffer;
    *len = size;
    return WHK_OK;
}

char *whkp_sprintf(const char *format, ...)
{
    va_list args;
    char *text;

    va_start(args, format);
    if (vasprintf(&text, format, args) < 0)
        text = NULL;
    va_end(args);
    return text;
}

const char *whkp_plural(size_t count, const char *singular, const char *plural)
{
    return count == 1 ? singular : plural;
}

char *whkp_shell_quote(const char *text, size_t len)
{
    char *quoted = malloc(4 * len + 3), *out = quoted;

    if (quoted == NULL)
        return NULL;
    *out++ = '\'';
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\'') {
            memcpy(out, "'\\''", 4);
            out += 4;
        } else {
            *out++ = text[i];
        }
    }
    *out++ = '\'';
    *out = '\0';
    return quoted;
}

char *whkp_expand_template(const char *template, const char *webhook_url,
                           const char *status_url, const char *secret_env)
{
    static const char *const names[] = {"{{WEBHOOK_URL}}", "{{PUBLIC_URL}}",
                                        "{{STATUS_CALLBACK_URL}}",
                                        "{{SECRET_ENV}}"};
    const char *values[] = {webhook_url, webhook_url, status_url, secret_env};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);

    if (out == NULL)
        return NULL;
    while (*template) {
        size_t i;

        for (i = 0; i < 4; i++) {
            size_t name_len = strlen(names[i]);

            if (strncmp(template, names[i], name_len) == 0) {
                /* An unknown value keeps its placeholder visible. */
                fputs(values[i] ? values[i] : names[i], out);
                template += name_len;
                break;
            }
        }
        if (i == 4)
            fputc(*template ++, out);
    }
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

const struct whk_failure *
whkp_failure_for(const struct whk_descriptor *descriptor,
                 enum whk_reason reason)
{
    if (descriptor->failures == NULL || reason == WHK_REASON_NONE)
        return NULL;
    for (const struct whk_failure *f = descriptor->failures; f->symptom; f++) {
        if (f->reason == reason)
            return f;
    }
    return NULL;
}

/* Returns 1 when arg is "--NAME=..." for a known long option. */
static int known_long_option(const char *arg, const struct option *long_options)
{
    size_t len;

    if (strncmp(arg, "--", 2) != 0 || strchr(arg, '=') == NULL)
        return 0;
    len = (size_t)(strchr(arg, '=') - arg) - 2;
    for (const struct option *o = long_options; o->name; o++) {
        if (strlen(o->name) == len && strncmp(o->name, arg + 2, len) == 0)
            return 1;
    }
    return 0;
}

int whkp_getopt(int argc, char **argv, const char *short_options,
                const struct option *long_options, const char *command)
{
    char colon_options[64];
    int opt;

    /* A leading ':' makes getopt return ':' for a missing value. */
    snprintf(colon_options, sizeof(colon_options), ":%s", short_options);
    opterr = 0;
    opt = getopt_long(argc, argv, colon_options, long_options, NULL);
    if (opt != '?' && opt != ':')
        return opt;

    if (opt == ':')
        whkp_error("option '%s' needs a value", argv[optind - 1]);
    else if (known_long_option(argv[optind - 1], long_options))
        whkp_error("option '%.*s' takes no value",
                   (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
    else if (strncmp(argv[optind - 1], "--", 2) == 0)
        whkp_error("unrecognized option '%s'", argv[optind - 1]);
    else
        whkp_error("unrecognized option '-%c'", optopt);
    fprintf(stderr, "Try 'whk %s --help'.\n", command);
    return '?';
}
