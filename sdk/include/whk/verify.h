/* SPDX-License-Identifier: MIT */
/* Verdicts of a verification and the context a sign or verify call runs in. */
#ifndef WHK_VERIFY_H
#define WHK_VERIFY_H

#include <stdint.h>
#include <whk/common.h>

#ifdef __cplusplus
extern "C" {
#endif

enum whk_verdict_status {
    WHK_VALID = 0,
    WHK_INVALID = 1,
    /* The scheme has no opinion, e.g. the request is not one it signs. */
    WHK_NOT_APPLICABLE = 2
};

/* Category of a verdict, so the host can pick fixes and diagnoses. */
enum whk_reason {
    WHK_REASON_NONE = 0,
    WHK_REASON_MATCH,            /* valid: a signature matched */
    WHK_REASON_MISSING_HEADER,   /* a signature or timestamp header absent */
    WHK_REASON_MALFORMED_HEADER, /* header present but unparseable */
    WHK_REASON_MISMATCH,         /* well-formed signature, wrong value */
    WHK_REASON_TIMESTAMP_OLD,    /* older than the tolerance allows */
    WHK_REASON_TIMESTAMP_FUTURE, /* further ahead than the tolerance */
    WHK_REASON_BODY_HASH,        /* a signed hash of the body differs */
    WHK_REASON_UNSUPPORTED,      /* algorithm or version not supported */
    WHK_REASON_SECRET,           /* the secret or key cannot be used */
    /*
     * Categories of what 'whk test' finds at an endpoint rather than in a
     * signature. Providers tag their failures with them so that the host
     * can print the fix for the symptom.
     */
    WHK_REASON_FORGERY_ACCEPTED, /* a forged or unsigned request got 2xx */
    WHK_REASON_FIELDS_UNREAD,    /* the endpoint ignored the signed fields */
    WHK_REASON_RESPONSE,         /* wrong status, media type or body */
    WHK_REASON_TIMEOUT           /* answered after the provider gives up */
};

/*
 * The outcome of a verification: status, reason category, a sentence a
 * person can act on, and up to WHK_VERDICT_MAX_NOTES notes (what matched,
 * warnings). Opaque; the host creates it and the plugin fills it.
 */
struct whk_verdict;

#define WHK_VERDICT_MAX_NOTES 8

/*
 * Sets the verdict's status, reason and text (printf-style), replacing any
 * earlier ones. Notes are kept.
 */
WHK_API void whk_verdict_set(struct whk_verdict *verdict,
                             enum whk_verdict_status status,
                             enum whk_reason reason, const char *format, ...)
    WHK_PRINTF(4, 5);

/* Appends a note; notes past WHK_VERDICT_MAX_NOTES are dropped. */
WHK_API void whk_verdict_add_note(struct whk_verdict *verdict,
                                  const char *format, ...) WHK_PRINTF(2, 3);

WHK_API struct whk_verdict *whk_verdict_new(void);
WHK_API void whk_verdict_free(struct whk_verdict *verdict);

/* Clears status to WHK_NOT_APPLICABLE, reason, text and notes. */
WHK_API void whk_verdict_reset(struct whk_verdict *verdict);

WHK_API enum whk_verdict_status
whk_verdict_status(const struct whk_verdict *verdict);
WHK_API enum whk_reason whk_verdict_reason(const struct whk_verdict *verdict);
WHK_API const char *whk_verdict_text(const struct whk_verdict *verdict);
WHK_API size_t whk_verdict_note_count(const struct whk_verdict *verdict);
WHK_API const char *whk_verdict_note_at(const struct whk_verdict *verdict,
                                        size_t index);

/* Returns the reason's identifier ("mismatch", "missing_header", ...). */
WHK_API const char *whk_reason_name(enum whk_reason reason);

/*
 * Inputs of a sign or verify call besides the request and secret: the
 * current time (or the time to sign with), the timestamp tolerance the
 * user chose, and a message id for schemes that sign one. Opaque.
 */
struct whk_context;

/* Creates a context with the current time and no tolerance or id set. */
WHK_API struct whk_context *whk_context_new(void);
WHK_API void whk_context_free(struct whk_context *ctx);

/* Seconds since the Unix epoch: now, unless the user gave --timestamp. */
WHK_API int64_t whk_context_time(const struct whk_context *ctx);
WHK_API void whk_context_set_time(struct whk_context *ctx, int64_t seconds);

/* Tolerance in seconds the user chose, or -1 for the scheme's default. */
WHK_API int64_t whk_context_tolerance(const struct whk_context *ctx);
WHK_API void whk_context_set_tolerance(struct whk_context *ctx,
                                       int64_t seconds);

/* Message id to sign with, or NULL to let the scheme choose one. */
WHK_API const char *whk_context_id(const struct whk_context *ctx);
WHK_API enum whk_status whk_context_set_id(struct whk_context *ctx,
                                           const char *id);

/*
 * Parses a decimal integer in text[0..len): an optional "-" and digits,
 * nothing else, no overflow. Returns 1 and stores it in *value on success.
 */
WHK_API int whk_parse_int64(const char *text, size_t len, int64_t *value);

/*
 * Checks a signed timestamp (seconds since the epoch) against the
 * context's time in both directions. The tolerance is the context's, or
 * default_tolerance when the user chose none. Returns 1 when within it;
 * otherwise sets the verdict invalid with WHK_REASON_TIMESTAMP_OLD or
 * WHK_REASON_TIMESTAMP_FUTURE and text saying how far off the timestamp
 * is, and returns 0.
 */
WHK_API int whk_timestamp_check(const struct whk_context *ctx,
                                int64_t timestamp, int64_t default_tolerance,
                                struct whk_verdict *verdict);

#ifdef __cplusplus
}
#endif

#endif
