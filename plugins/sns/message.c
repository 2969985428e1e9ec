/* SPDX-License-Identifier: MIT */
/* Amazon SNS messages: parsing, the string to sign and in-place edits. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <whk/whk.h>

#include "sns.h"

/*
 * The members signed for each Type, in the order of AWS's "Verifying the
 * signatures of Amazon SNS messages". Subject is signed only when present.
 */
static const char *const notification_members[] = {
    "Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type", NULL,
};
static const char *const confirmation_members[] = {
    "Message", "MessageId", "SubscribeURL", "Timestamp",
    "Token",   "TopicArn",  "Type",         NULL,
};

json_t *sns_parse(const char *body, size_t len, struct whk_error *err)
{
    json_error_t parse_error;
    json_t *root = json_loadb(body, len, 0, &parse_error);
    const char *type;

    if (root == NULL) {
        whk_error_set(err, WHK_ERR_INVALID,
                      "the body is not JSON (%s at line %d); SNS posts a "
                      "JSON document",
                      parse_error.text, parse_error.line);
        return NULL;
    }
    type = json_string_value(json_object_get(root, "Type"));
    if (!json_is_object(root) || type == NULL) {
        whk_error_set(err, WHK_ERR_INVALID,
                      "the body has no string member Type; SNS posts a JSON "
                      "object with Type Notification, "
                      "SubscriptionConfirmation or UnsubscribeConfirmation");
    } else if (strcmp(type, "Notification") != 0 &&
               strcmp(type, "SubscriptionConfirmation") != 0 &&
               strcmp(type, "UnsubscribeConfirmation") != 0) {
        whk_error_set(err, WHK_ERR_INVALID,
                      "Type '%s' is not one SNS sends (Notification, "
                      "SubscriptionConfirmation, UnsubscribeConfirmation)",
                      type);
    } else {
        return root;
    }
    json_decref(root);
    return NULL;
}

/* Appends "name\nvalue\n" to the stream; 0 when value is not a string. */
static int append_member(FILE *out, json_t *message, const char *name)
{
    json_t *value = json_object_get(message, name);

    if (!json_is_string(value))
        return 0;
    fprintf(out, "%s\n", name);
    fwrite(json_string_value(value), 1, json_string_length(value), out);
    fputc('\n', out);
    return 1;
}

/* Appends name to the comma-separated list in names. */
static void list_name(char *names, size_t size, const char *name)
{
    size_t used = strlen(names);

    if (used + strlen(name) + 3 < size)
        snprintf(names + used, size - used, "%s%s", used ? ", " : "", name);
}

char *sns_string_to_sign(json_t *message, size_t *len, char *names,
                         size_t names_size, struct whk_error *err)
{
    const char *type = json_string_value(json_object_get(message, "Type"));
    int notification = type != NULL && strcmp(type, "Notification") == 0;
    const char *const *member =
        notification ? notification_members : confirmation_members;
    char *text = NULL;
    FILE *out = open_memstream(&text, len);

    if (out == NULL) {
        whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
        return NULL;
    }
    for (; *member != NULL; member++) {
        json_t *value = json_object_get(message, *member);
        int optional = strcmp(*member, "Subject") == 0;

        if (optional && (value == NULL || json_is_null(value)))
            continue;
        if (!append_member(out, message, *member)) {
            whk_error_set(err, WHK_ERR_INVALID,
                          value ? "the %s's %s is not a string"
                                : "the %s has no %s, which SNS signs",
                          type ? type : "message", *member);
            fclose(out);
            free(text);
            return NULL;
        }
        if (names != NULL)
            list_name(names, names_size, *member);
    }
    fclose(out);
    return text;
}

/* Returns the index after the string that starts at text[i] ('"'). */
static size_t skip_string(const char *text, size_t len, size_t i)
{
    for (i++; i < len && text[i] != '"'; i++) {
        if (text[i] == '\\')
            i++;
    }
    return i + 1;
}

/* Returns the index after the JSON value that starts at text[i]. */
static size_t skip_value(const char *text, size_t len, size_t i)
{
    int depth = 0;

    if (text[i] == '"')
        return skip_string(text, len, i);
    while (i < len) {
        char c = text[i];

        if (c == '"') {
            i = skip_string(text, len, i);
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (depth == 0)
                return i;
            if (--depth == 0)
                return i + 1;
        } else if (depth == 0 && strchr(", \t\r\n", c) != NULL)
            return i;
        i++;
    }
    return i;
}

static size_t skip_space(const char *text, size_t len, size_t i)
{
    while (i < len && strchr(" \t\r\n", text[i]) != NULL && text[i] != '\0')
        i++;
    return i;
}

/*
 * Finds top-level member name (written without escapes) in the JSON
 * object text, which jansson has parsed. Stores its value's span in
 * [*start, *end) and returns 1, or returns 0 with *end at the end of the
 * last value (or after the opening brace of an empty object).
 */
static int find_member(const char *text, size_t len, const char *name,
                       size_t *start, size_t *end)
{
    size_t i = skip_space(text, len, 0) + 1, key, key_end;

    *end = i;
    for (;;) {
        i = skip_space(text, len, i);
        if (i >= len || text[i] != '"')
            return 0;
        key = i + 1;
        key_end = skip_string(text, len, i) - 1;
        /* Past the closing quote, the spaces and the colon. */
        i = skip_space(text, len, key_end + 1) + 1;
        *start = skip_space(text, len, i);
        *end = skip_value(text, len, *start);
        if (key_end - key == strlen(name) &&
            memcmp(text + key, name, key_end - key) == 0)
            return 1;
        i = skip_space(text, len, *end);
        if (i >= len || text[i] != ',')
            return 0;
        i++;
    }
}

char *sns_body_set(const char *body, size_t len, const char *name,
                   const char *value, size_t *out_len)
{
    json_t *string = json_string(value);
    char *encoded = string ? json_dumps(string, JSON_ENCODE_ANY) : NULL;
    char *joined = NULL;
    size_t start = 0, end = 0;
    int written;

    if (encoded == NULL)
        goto out;
    if (find_member(body, len, name, &start, &end))
        written = asprintf(&joined, "%.*s%s%.*s", (int)start, body, encoded,
                           (int)(len - end), body + end);
    else
        written = asprintf(&joined, "%.*s%s%s\"%s\"%s%s%.*s", (int)end, body,
                           body[end - 1] == '{' ? "" : ",",
                           memchr(body, '\n', len) ? "\n  " : "", name,
                           memchr(body, '\n', len) ? " : " : ":", encoded,
                           (int)(len - end), body + end);
    if (written < 0)
        joined = NULL;
    else
        *out_len = (size_t)written;

out:
    free(encoded);
    json_decref(string);
    return joined;
}

/* Returns 1 when host is sns.REGION.amazonaws.com or ...amazonaws.com.cn. */
static int is_sns_host(const char *host, size_t len)
{
    static const char *const suffixes[] = {".amazonaws.com",
                                           ".amazonaws.com.cn", NULL};
    size_t region;

    if (len < 4 || strncasecmp(host, "sns.", 4) != 0)
        return 0;
    for (const char *const *suffix = suffixes; *suffix; suffix++) {
        size_t suffix_len = strlen(*suffix);

        if (len < 4 + suffix_len ||
            strncasecmp(host + len - suffix_len, *suffix, suffix_len) != 0)
            continue;
        region = len - 4 - suffix_len;
        if (region < 3 || strspn(host + 4, "abcdefghijklmnopqrstuvwxyz"
                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789-") < region)
            continue;
        return 1;
    }
    return 0;
}

int sns_certificate_url_ok(const char *url, char *why, size_t why_size)
{
    struct whk_url_parts parts;
    const struct whk_span *path = &parts.path;

    if (whk_url_split(url, &parts, NULL) != WHK_OK)
        snprintf(why, why_size, "is not an absolute URL");
    else if (parts.scheme.len != 5 ||
             strncasecmp(parts.scheme.ptr, "https", 5) != 0)
        snprintf(why, why_size, "is not an https:// URL");
    else if (!is_sns_host(parts.host.ptr, parts.host.len) ||
             parts.port.ptr != NULL || parts.userinfo.ptr != NULL)
        snprintf(why, why_size,
                 "is not on an SNS host (sns.REGION.amazonaws.com or "
                 "sns.REGION.amazonaws.com.cn, no port)");
    else if (path->len < 4 || memcmp(path->ptr + path->len - 4, ".pem", 4) ||
             parts.query.ptr != NULL || parts.fragment.ptr != NULL)
        snprintf(why, why_size,
                 "does not name a .pem file (a path ending in '.pem', no "
                 "query)");
    else
        return 1;
    return 0;
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int sns_parse_time(const char *text, int64_t *seconds)
{
    int year, month, day, hour, minute, second, used = 0;
    const char *rest;

    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour,
               &minute, &second, &used) != 6 ||
        used != 19)
        return 0;
    rest = text + used;
    if (*rest == '.') {
        rest++;
        if (strspn(rest, "0123456789") == 0)
            return 0;
        rest += strspn(rest, "0123456789");
    }
    if (strcmp(rest, "Z") != 0 || month < 1 || month > 12 || day < 1 ||
        day > 31 || hour > 23 || minute > 59 || second > 60)
        return 0;
    *seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 +
               minute * 60 + second;
    return 1;
}

void sns_format_time(int64_t seconds, char *buf, size_t size)
{
    time_t t = (time_t)seconds;
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL ||
        strftime(buf, size, "%Y-%m-%dT%H:%M:%S.000Z", &tm) == 0)
        snprintf(buf, size, "1970-01-01T00:00:00.000Z");
}
