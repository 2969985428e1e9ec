/* SPDX-License-Identifier: MIT */
/* The generic HMAC module: a scheme and declarations read from data. */
#ifndef WHK_HMAC_H
#define WHK_HMAC_H

#include <stdint.h>

#include <jansson.h>
#include <whk/whk.h>

#define HMAC_HIDDEN __attribute__((visibility("hidden")))

/* What a placeholder of a template stands for. */
enum part_kind {
    PART_LITERAL,
    PART_BODY,      /* {body}: the raw body bytes */
    PART_TIMESTAMP, /* {timestamp}: the timestamp as sent */
    PART_ID,        /* {id}: the message id as sent */
    PART_URL,       /* {url}: the public URL */
    PART_PATH,      /* {path}: the URL's path and query */
    PART_METHOD,    /* {method} */
    PART_HEADER,    /* {header:NAME}: a header's value */
    PART_SIGNATURE  /* {signature}: only in a signature header's format */
};

struct part {
    enum part_kind kind;
    const char *text; /* the literal, or the header's name */
    size_t len;
};

/* A template split into literal text and placeholders. */
struct template
{
    struct part *parts;
    size_t count;
};

enum timestamp_source {
    TIMESTAMP_NONE,
    TIMESTAMP_HEADER, /* a header of its own */
    TIMESTAMP_FIELD,  /* a field of the signature header */
    TIMESTAMP_JSON    /* a member of the JSON body */
};

enum timestamp_unit { UNIT_SECONDS, UNIT_MILLISECONDS, UNIT_ISO8601 };

enum secret_encoding {
    SECRET_TEXT,  /* the secret's bytes as given */
    SECRET_HEX,   /* hexadecimal, decoded */
    SECRET_BASE64 /* base64, decoded */
};

enum signature_encoding {
    SIGNATURE_HEX,
    SIGNATURE_BASE64,
    SIGNATURE_BASE64URL /* URL alphabet, padding optional */
};

enum id_format {
    ID_UUID, /* 8-4-4-4-12 hexadecimal digits */
    ID_MSG   /* "msg_" and 32 hexadecimal digits */
};

/* A prefix that marks a credential pasted in place of the secret. */
struct rejected_prefix {
    const char *prefix;
    const char *what; /* "a Stripe API key" */
};

/* A parameterized HMAC scheme, as a providers.d entry's "scheme" gives it. */
struct scheme {
    const char **headers; /* candidates; signing sets the first */
    size_t header_count;
    enum whk_hash hash;
    enum signature_encoding encoding;
    const char *prefix; /* before the signature, or NULL */

    int has_fields; /* the header is a list of key/value fields */
    char separator; /* between fields: ',' */
    char pair;      /* between key and value: '=' */
    const char *signature_key;
    struct template format; /* the header's value when signing */

    struct template signed_bytes;

    enum timestamp_source timestamp_source;
    const char *timestamp_name; /* header, field key or JSON Pointer */
    enum timestamp_unit timestamp_unit;
    int64_t tolerance; /* seconds; 0 checks only on request */

    const char *id_header; /* for {id}, or NULL */
    enum id_format id_format;

    enum secret_encoding secret_encoding;
    const char *secret_prefix; /* or NULL */
    int prefix_required;
    int strip_prefix; /* the key excludes the prefix */
    struct rejected_prefix *rejected;
    size_t rejected_count;
    int64_t min_length; /* characters after the prefix; 0 for no limit */
    int64_t max_length;

    int body_required; /* an empty body is a sign of misuse */
};

/*
 * Allocations that live as long as the provider: one list, released at
 * once.
 */
struct arena {
    void **blocks;
    size_t count;
};

HMAC_HIDDEN void *arena_alloc(struct arena *arena, size_t size);
HMAC_HIDDEN char *arena_strdup(struct arena *arena, const char *text);
HMAC_HIDDEN void arena_free(struct arena *arena);

/* Per-provider state: the scheme, the declarations and their storage. */
struct hmac_state {
    json_t *root; /* the entry; strings point into it */
    struct arena arena;
    struct scheme scheme;
    struct whk_descriptor declarations;
};

/*
 * The location of a value in the entry, for messages: "scheme.hash",
 * "samples[2].body".
 */
struct path {
    char text[160];
};

HMAC_HIDDEN void path_child(struct path *child, const struct path *parent,
                            const char *key);
HMAC_HIDDEN void path_index(struct path *child, const struct path *parent,
                            size_t index);

/* Sets a WHK_ERR_CONFIG error "key 'PATH' ...". */
HMAC_HIDDEN enum whk_status entry_error(struct whk_error *err,
                                        const struct path *path,
                                        const char *format, ...)
    WHK_PRINTF(3, 4);

/*
 * Rejects members of object other than the NULL-terminated allowed list,
 * naming the first unknown one.
 */
HMAC_HIDDEN enum whk_status check_keys(json_t *object, const struct path *at,
                                       const char *const *allowed,
                                       struct whk_error *err);

/*
 * Reads string member key of object: *value is NULL when it is absent and
 * not required. Empty strings are rejected.
 */
HMAC_HIDDEN enum whk_status get_string(json_t *object, const struct path *at,
                                       const char *key, int required,
                                       const char **value,
                                       struct whk_error *err);

/* Reads an integer member within [min, max]; absent leaves *value. */
HMAC_HIDDEN enum whk_status get_integer(json_t *object, const struct path *at,
                                        const char *key, int64_t min,
                                        int64_t max, int64_t *value,
                                        struct whk_error *err);

/* Reads a boolean member; absent leaves *value. */
HMAC_HIDDEN enum whk_status get_boolean(json_t *object, const struct path *at,
                                        const char *key, int *value,
                                        struct whk_error *err);

/* Reads the "scheme" object into scheme. */
HMAC_HIDDEN enum whk_status scheme_parse(json_t *object, const struct path *at,
                                         struct arena *arena,
                                         struct scheme *scheme,
                                         struct whk_error *err);

/* Reads the declarations of the entry root into d. */
HMAC_HIDDEN enum whk_status declarations_parse(json_t *root,
                                               const struct scheme *scheme,
                                               struct arena *arena,
                                               struct whk_descriptor *d,
                                               struct whk_error *err);

/* Reads the "challenges" array into a table ending with a NULL name. */
HMAC_HIDDEN enum whk_status
challenges_parse(json_t *array, const struct path *at, struct arena *arena,
                 const struct whk_challenge **out, struct whk_error *err);

/*
 * Splits text into a template. With signature_allowed, {signature} is
 * accepted (a header format). An unknown placeholder is an error.
 */
HMAC_HIDDEN enum whk_status
template_parse(const char *text, const struct path *at, int signature_allowed,
               struct arena *arena, struct template *template,
               struct whk_error *err);

/* Returns 1 when the template has a placeholder of kind. */
HMAC_HIDDEN int template_uses(const struct template *template,
                              enum part_kind kind);

/* Values that placeholders stand for while a template is expanded. */
struct expansion {
    const struct whk_request *req;
    struct whk_span timestamp;
    struct whk_span id;
    struct whk_span signature;
};

/*
 * Expands template into spans (parts[0..count) must hold one per part)
 * pointing into the request and the expansion's values. Returns the name
 * of a header the request lacks, or NULL on success.
 */
HMAC_HIDDEN const char *template_spans(const struct template *template,
                                       const struct expansion *values,
                                       struct whk_span *parts);

/* Returns the template's text with placeholders expanded, or NULL. */
HMAC_HIDDEN char *template_join(const struct template *template,
                                const struct expansion *values);

/*
 * Converts a timestamp as sent into seconds since the epoch. Returns 0
 * with a message in reason (size bytes) when it has not the unit's form.
 */
HMAC_HIDDEN int timestamp_parse(enum timestamp_unit unit, const char *text,
                                size_t len, int64_t *seconds, char *reason,
                                size_t size);

/* Writes seconds in the unit's form, as signing sends it. */
HMAC_HIDDEN void timestamp_format(enum timestamp_unit unit, int64_t seconds,
                                  char *out, size_t size);

HMAC_HIDDEN const char *timestamp_unit_name(enum timestamp_unit unit);

/* An HMAC key: the secret's own bytes, or decoded bytes it owns. */
struct key {
    const unsigned char *ptr;
    size_t len;
    unsigned char *owned; /* released with whk_free() */
};

/*
 * Derives the key from a secret: rejects pasting mistakes and credentials
 * of another kind, strips or requires the prefix, decodes hex or base64.
 * Errors are WHK_ERR_SECRET and never quote the secret.
 */
HMAC_HIDDEN enum whk_status key_from_secret(const struct hmac_state *st,
                                            struct whk_span secret,
                                            struct key *key,
                                            struct whk_error *err);
HMAC_HIDDEN void key_clear(struct key *key);

/*
 * Finds the value at an RFC 6901 JSON Pointer in the body and writes it,
 * when it is a string or an integer, as text into out. Returns 0 when the
 * body is not JSON or holds no such value.
 */
HMAC_HIDDEN int json_pointer_text(const char *body, size_t len,
                                  const char *pointer, char *out, size_t size);

/*
 * Writes stamp, the time of signing in the scheme's unit, as the value of
 * the body's timestamp when the scheme reads it from a top-level member of
 * a JSON body, as the provider does when it sends. Other bodies are left
 * as they are.
 */
HMAC_HIDDEN enum whk_status restamp_body(const struct scheme *s,
                                         struct whk_request *req,
                                         const char *stamp,
                                         struct whk_error *err);

/*
 * Computes the HMAC of the signed bytes into mac (WHK_DIGEST_MAX_SIZE
 * bytes). When the template names a header the request lacks, *missing
 * is its name and the status WHK_ERR_INVALID.
 */
HMAC_HIDDEN enum whk_status
hmac_compute(const struct hmac_state *st, const struct key *key,
             const struct expansion *values, unsigned char *mac,
             size_t *mac_len, const char **missing, struct whk_error *err);

/* The descriptor's verify callback. */
HMAC_HIDDEN void hmac_verify(void *state, const struct whk_context *ctx,
                             const struct whk_request *req,
                             struct whk_span secret,
                             struct whk_verdict *verdict);

/* Describes the scheme in one line for the descriptor's algorithm. */
HMAC_HIDDEN char *scheme_describe(const struct scheme *scheme,
                                  const char *signed_text, struct arena *arena);

#endif
