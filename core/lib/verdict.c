/* SPDX-License-Identifier: MIT */
/* Verdicts, the sign and verify context, and timestamp checks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

struct whk_verdict {
    enum whk_verdict_status status;
    enum whk_reason reason;
    char *text;
    char *notes[WHK_VERDICT_MAX_NOTES];
    size_t note_count;
};

struct whk_verdict *whk_verdict_new(void)
{
    struct whk_verdict *verdict = calloc(1, sizeof(*verdict));

    if (verdict != NULL)
        verdict->status = WHK_NOT_APPLICABLE;
    return verdict;
}

void whk_verdict_reset(struct whk_verdict *verdict)
{
    free(verdict->text);
    for (size_t i = 0; i < verdict->note_count; i++)
        free(verdict->notes[i]);
    memset(verdict, 0, sizeof(*verdict));
    verdict->status = WHK_NOT_APPLICABLE;
}

void whk_verdict_free(struct whk_verdict *verdict)
{
    if (verdict == NULL)
        return;
    whk_verdict_reset(verdict);
    free(verdict);
}

void whk_verdict_set(struct whk_verdict *verdict,
                     enum whk_verdict_status status, enum whk_reason reason,
                     const char *format, ...)
{
    va_list args;

    va_start(args, format);
    free(verdict->text);
    verdict->text = whkp_vformat(format, args);
    va_end(args);
    verdict->status = status;
    verdict->reason = reason;
}

void whk_verdict_add_note(struct whk_verdict *verdict, const char *format, ...)
{
    va_list args;
    char *note;

    if (verdict->note_count == WHK_VERDICT_MAX_NOTES)
        return;
    va_start(args, format);
    note = whkp_vformat(format, args);
    va_end(args);
    if (note != NULL)
        verdict->notes[verdict->note_count++] = note;
}

enum whk_verdict_status whk_verdict_status(const struct whk_verdict *verdict)
{
    return verdict->status;
}

enum whk_reason whk_verdict_reason(const struct whk_verdict *verdict)
{
    return verdict->reason;
}

const char *whk_verdict_text(const struct whk_verdict *verdict)
{
    return verdict->text ? verdict->text : "";
}

size_t whk_verdict_note_count(const struct whk_verdict *verdict)
{
    return verdict->note_count;
}

const char *whk_verdict_note_at(const struct whk_verdict *verdict, size_t index)
{
    return index < verdict->note_count ? verdict->notes[index] : NULL;
}

const char *whk_reason_name(enum whk_reason reason)
{
    switch (reason) {
    case WHK_REASON_NONE:
        return "none";
    case WHK_REASON_MATCH:
        return "match";
    case WHK_REASON_MISSING_HEADER:
        return "missing_header";
    case WHK_REASON_MALFORMED_HEADER:
        return "malformed_header";
    case WHK_REASON_MISMATCH:
        return "mismatch";
    case WHK_REASON_TIMESTAMP_OLD:
        return "timestamp_too_old";
    case WHK_REASON_TIMESTAMP_FUTURE:
        return "timestamp_in_future";
    case WHK_REASON_BODY_HASH:
        return "body_hash_mismatch";
    case WHK_REASON_UNSUPPORTED:
        return "unsupported";
    case WHK_REASON_SECRET:
        return "secret";
    case WHK_REASON_FORGERY_ACCEPTED:
        return "forgery_accepted";
    case WHK_REASON_FIELDS_UNREAD:
        return "fields_unread";
    case WHK_REASON_RESPONSE:
        return "response";
    case WHK_REASON_TIMEOUT:
        return "timeout";
    }
    return "unknown";
}

struct whk_context {
    int64_t time;
    int64_t tolerance;
    char *id;
};

struct whk_context *whk_context_new(void)
{
    struct whk_context *ctx = calloc(1, sizeof(*ctx));

    if (ctx == NULL)
        return NULL;
    ctx->time = (int64_t)time(NULL);
    ctx->tolerance = -1;
    return ctx;
}

void whk_context_free(struct whk_context *ctx)
{
    if (ctx == NULL)
        return;
    free(ctx->id);
    free(ctx);
}

int64_t whk_context_time(const struct whk_context *ctx)
{
    return ctx->time;
}

void whk_context_set_time(struct whk_context *ctx, int64_t seconds)
{
    ctx->time = seconds;
}

int64_t whk_context_tolerance(const struct whk_context *ctx)
{
    return ctx->tolerance;
}

void whk_context_set_tolerance(struct whk_context *ctx, int64_t seconds)
{
    ctx->tolerance = seconds < 0 ? -1 : seconds;
}

const char *whk_context_id(const struct whk_context *ctx)
{
    return ctx->id;
}

enum whk_status whk_context_set_id(struct whk_context *ctx, const char *id)
{
    char *copy = NULL;

    if (id != NULL && (copy = whkp_strndup(id, strlen(id))) == NULL)
        return WHK_ERR_NO_MEMORY;
    free(ctx->id);
    ctx->id = copy;
    return WHK_OK;
}

int whk_parse_int64(const char *text, size_t len, int64_t *value)
{
    int negative = len > 0 && text[0] == '-';
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
    uint64_t result = 0;
    size_t i = negative ? 1 : 0;

    if (i == len)
        return 0;
    for (; i < len; i++) {
        unsigned digit = (unsigned char)text[i] - '0';

        if (digit > 9 || result > (limit - digit) / 10)
            return 0;
        result = result * 10 + digit;
    }
    *value = negative ? (int64_t)(0 - result) : (int64_t)result;
    return 1;
}

int whk_timestamp_check(const struct whk_context *ctx, int64_t timestamp,
                        int64_t default_tolerance, struct whk_verdict *verdict)
{
    int64_t tolerance =
        ctx->tolerance >= 0 ? ctx->tolerance : default_tolerance;
    int64_t now = ctx->time;
    /* Unsigned differences cannot overflow: timestamps come from requests. */
    uint64_t behind = (uint64_t)now - (uint64_t)timestamp;
    uint64_t ahead = (uint64_t)timestamp - (uint64_t)now;

    if (tolerance < 0)
        tolerance = 0;
    if (timestamp < now && behind > (uint64_t)tolerance) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_TIMESTAMP_OLD,
                        "the timestamp %lld is %llu s in the past, beyond the "
                        "tolerance of %lld s",
                        (long long)timestamp, (unsigned long long)behind,
                        (long long)tolerance);
        return 0;
    }
    if (timestamp > now && ahead > (uint64_t)tolerance) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_TIMESTAMP_FUTURE,
                        "the timestamp %lld is %llu s in the future, beyond "
                        "the tolerance of %lld s",
                        (long long)timestamp, (unsigned long long)ahead,
                        (long long)tolerance);
        return 0;
    }
    return 1;
}
