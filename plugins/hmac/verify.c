/* SPDX-License-Identifier: MIT */
/* Verification of a request against a data-driven HMAC scheme. */
#include <stdio.h>
#include <string.h>

#include "hmac.h"

/* The signatures, timestamp and id read for one signature header. */
struct received {
    const char *header;
    struct whk_span signatures[WHK_HEADER_MAX_ITEMS];
    size_t count;
    struct whk_span timestamp; /* as sent */
    char timestamp_text[64];   /* a timestamp read from the body */
    int64_t seconds;
    struct whk_span id;
};

static const char *signed_text(const struct hmac_state *st)
{
    return json_string_value(
        json_object_get(json_object_get(st->root, "scheme"), "signed"));
}

/*
 * Collects the signature fields and the timestamp field of a list.
 * NOTE: a header of several complete sets ("t=1,v1=a t=1,v1=b", Persona's
 * rotation form) is split on the item separator alone, so a signature in
 * a set before the last one is read with the next set's key attached.
 */
static int read_fields(const struct scheme *s, const char *value,
                       struct received *r, struct whk_verdict *verdict)
{
    struct whk_header_item items[WHK_HEADER_MAX_ITEMS];
    struct whk_error err = {0};
    size_t count, stamps = 0;

    if (whk_header_items_parse(value, s->separator, s->pair, items,
                               WHK_HEADER_MAX_ITEMS, &count, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is malformed: %s", r->header, err.text);
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        if (items[i].key.len == strlen(s->signature_key) &&
            memcmp(items[i].key.ptr, s->signature_key, items[i].key.len) == 0)
            r->signatures[r->count++] = items[i].value;
    }
    if (s->timestamp_source == TIMESTAMP_FIELD) {
        const struct whk_header_item *t =
            whk_header_items_find(items, count, s->timestamp_name);

        stamps = whk_header_items_count(items, count, s->timestamp_name);
        if (t != NULL)
            r->timestamp = t->value;
    }
    if (s->timestamp_source == TIMESTAMP_FIELD && stamps == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s has no %s%c timestamp", r->header,
                        s->timestamp_name, s->pair);
        return 0;
    }
    if (s->timestamp_source == TIMESTAMP_FIELD && stamps > 1) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s has %zu %s%c timestamps, but one is sent",
                        r->header, stamps, s->timestamp_name, s->pair);
        return 0;
    }
    if (r->count == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s has no %s%c signature", r->header, s->signature_key,
                        s->pair);
        return 0;
    }
    return 1;
}

static int read_signatures(const struct scheme *s, const char *value,
                           struct received *r, struct whk_verdict *verdict)
{
    size_t prefix_len = s->prefix ? strlen(s->prefix) : 0;

    if (s->has_fields)
        return read_fields(s, value, r, verdict);
    if (prefix_len > 0 && strncmp(value, s->prefix, prefix_len) != 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s does not start with '%s'", r->header, s->prefix);
        return 0;
    }
    r->signatures[0] =
        (struct whk_span){value + prefix_len, strlen(value) - prefix_len};
    r->count = 1;
    return 1;
}

/* Decodes a signature into bytes, checking its form first. */
static enum whk_status decode_signature(const struct scheme *s,
                                        struct whk_span text,
                                        unsigned char **bytes, size_t *len,
                                        struct whk_error *err)
{
    size_t size = whk_hash_size(s->hash);

    *bytes = NULL;
    if (s->encoding == SIGNATURE_HEX) {
        if (whk_signature_check_form(text.ptr, text.len, WHK_ENCODING_HEX, size,
                                     err) != WHK_OK)
            return WHK_ERR_INVALID;
        return whk_hex_decode(text.ptr, text.len, bytes, len, err);
    }
    if (s->encoding == SIGNATURE_BASE64 &&
        whk_signature_check_form(text.ptr, text.len, WHK_ENCODING_BASE64, size,
                                 err) != WHK_OK)
        return WHK_ERR_INVALID;
    if (whk_base64_decode(text.ptr, text.len,
                          s->encoding == SIGNATURE_BASE64
                              ? WHK_BASE64_STANDARD
                              : WHK_BASE64_URL | WHK_BASE64_NOPAD,
                          bytes, len, err) != WHK_OK)
        return WHK_ERR_INVALID;
    if (*len != size) {
        whk_free(*bytes);
        *bytes = NULL;
        return whk_error_set(err, WHK_ERR_INVALID,
                             "it decodes to %zu bytes, but the signature "
                             "has %zu",
                             *len, size);
    }
    return WHK_OK;
}

/* Reads the timestamp from its header or the body and converts it. */
static int read_timestamp(const struct scheme *s, const struct whk_request *req,
                          struct received *r, struct whk_verdict *verdict)
{
    const char *value;
    char reason[96];
    size_t body_len;
    const char *body;

    switch (s->timestamp_source) {
    case TIMESTAMP_NONE:
        return 1;
    case TIMESTAMP_HEADER:
        value = whk_request_header(req, s->timestamp_name);
        if (value == NULL) {
            whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                            "the request has no %s header", s->timestamp_name);
            return 0;
        }
        r->timestamp = (struct whk_span){value, strlen(value)};
        break;
    case TIMESTAMP_FIELD:
        break;
    case TIMESTAMP_JSON:
        body = whk_request_body(req, &body_len);
        if (!json_pointer_text(body, body_len, s->timestamp_name,
                               r->timestamp_text, sizeof(r->timestamp_text))) {
            whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                            "the body is not JSON with a timestamp at %s",
                            s->timestamp_name);
            return 0;
        }
        r->timestamp =
            (struct whk_span){r->timestamp_text, strlen(r->timestamp_text)};
        break;
    }
    if (timestamp_parse(s->timestamp_unit, r->timestamp.ptr, r->timestamp.len,
                        &r->seconds, reason, sizeof(reason)))
        return 1;
    whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                    "the timestamp '%.*s' %s",
                    (int)(r->timestamp.len > 64 ? 64 : r->timestamp.len),
                    r->timestamp.ptr, reason);
    return 0;
}

static int read_id(const struct scheme *s, const struct whk_request *req,
                   struct received *r, struct whk_verdict *verdict)
{
    const char *id;

    if (s->id_header == NULL)
        return 1;
    id = whk_request_header(req, s->id_header);
    if (id == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header", s->id_header);
        return 0;
    }
    r->id = (struct whk_span){id, strlen(id)};
    return 1;
}

/* Returns the 1-based position of the matching signature, or 0. */
static size_t find_match(const struct hmac_state *st, const struct received *r,
                         const unsigned char *mac, size_t mac_len,
                         struct whk_verdict *verdict)
{
    const struct scheme *s = &st->scheme;
    struct whk_error err = {0};
    size_t malformed = 0, match = 0;

    for (size_t i = 0; i < r->count; i++) {
        unsigned char *bytes = NULL;
        size_t len = 0;

        if (decode_signature(s, r->signatures[i], &bytes, &len, &err) !=
            WHK_OK) {
            if (malformed++ == 0)
                whk_verdict_add_note(verdict,
                                     "signature %zu in %s is not a %s "
                                     "HMAC-SHA%s: %s",
                                     i + 1, r->header,
                                     s->encoding == SIGNATURE_HEX ? "hex"
                                                                  : "base64",
                                     whk_hash_name(s->hash) + 4, err.text);
            continue;
        }
        /* Constant time, so a forger learns nothing from the timing. */
        if (match == 0 && whk_equal_ct(bytes, len, mac, mac_len))
            match = i + 1;
        whk_free(bytes);
    }
    if (match == 0 && malformed == r->count) {
        const char *note = whk_verdict_note_at(verdict, 0);
        const char *detail = note ? strstr(note, ": ") : NULL;

        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is not %s%s%sa %s HMAC-SHA%s: %s", r->header,
                        s->prefix ? "'" : "", s->prefix ? s->prefix : "",
                        s->prefix ? "' and " : "",
                        s->encoding == SIGNATURE_HEX ? "hex" : "base64",
                        whk_hash_name(s->hash) + 4,
                        detail ? detail + 2 : "malformed");
    }
    return match;
}

static void set_result(const struct hmac_state *st, const struct received *r,
                       size_t match, size_t body_len,
                       struct whk_verdict *verdict)
{
    const char *hash = whk_hash_name(st->scheme.hash) + 4;
    char which[160];

    snprintf(which, sizeof(which), "signature %zu of %zu in %s", match,
             r->count, r->header);
    if (match > 0)
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s matches the HMAC-SHA%s of \"%s\" over the "
                        "%zu-byte body",
                        r->count > 1 ? which : r->header, hash, signed_text(st),
                        body_len);
    else if (r->count > 1)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "none of the %zu signatures in %s matches the "
                        "HMAC-SHA%s of \"%s\" over the %zu-byte body",
                        r->count, r->header, hash, signed_text(st), body_len);
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s does not match the HMAC-SHA%s of \"%s\" over "
                        "the %zu-byte body",
                        r->header, hash, signed_text(st), body_len);
}

/* Verifies one signature header; returns 1 when it is valid. */
static int verify_header(const struct hmac_state *st,
                         const struct whk_context *ctx,
                         const struct whk_request *req, const struct key *key,
                         const char *name, const char *value,
                         struct whk_verdict *verdict)
{
    const struct scheme *s = &st->scheme;
    struct received r = {.header = name};
    struct expansion values = {.req = req};
    unsigned char mac[WHK_DIGEST_MAX_SIZE];
    struct whk_error err = {0};
    const char *missing;
    size_t mac_len, match, body_len;

    if (!read_signatures(s, value, &r, verdict) ||
        !read_timestamp(s, req, &r, verdict) || !read_id(s, req, &r, verdict))
        return 0;
    values.timestamp = r.timestamp;
    values.id = r.id;
    if (hmac_compute(st, key, &values, mac, &mac_len, &missing, &err) !=
        WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID,
                        missing ? WHK_REASON_MISSING_HEADER
                                : WHK_REASON_UNSUPPORTED,
                        "%s", err.text);
        return 0;
    }
    whk_request_body(req, &body_len);
    match = find_match(st, &r, mac, mac_len, verdict);
    if (match == 0 && whk_verdict_status(verdict) == WHK_INVALID)
        return 0;
    if (match > 0 && s->timestamp_source != TIMESTAMP_NONE &&
        (s->tolerance > 0 || whk_context_tolerance(ctx) >= 0) &&
        !whk_timestamp_check(ctx, r.seconds, s->tolerance, verdict))
        return 0;
    set_result(st, &r, match, body_len, verdict);
    return match > 0;
}

/* Checks what comes before the signature: the secret and the body. */
static int usable(const struct hmac_state *st, const struct whk_request *req,
                  struct whk_span secret, struct key *key,
                  struct whk_verdict *verdict)
{
    struct whk_error err = {0};
    size_t body_len;

    if (key_from_secret(st, secret, key, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return 0;
    }
    whk_request_body(req, &body_len);
    if (st->scheme.body_required && body_len == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "the body is empty, but %s always sends a body: "
                        "the body was read before verification",
                        st->declarations.title);
        return 0;
    }
    return 1;
}

void hmac_verify(void *state, const struct whk_context *ctx,
                 const struct whk_request *req, struct whk_span secret,
                 struct whk_verdict *verdict)
{
    const struct hmac_state *st = state;
    const struct scheme *s = &st->scheme;
    struct whk_verdict *other = NULL;
    struct key key = {0};
    size_t present = 0;

    for (size_t i = 0; i < s->header_count; i++) {
        const char *value = whk_request_header(req, s->headers[i]);
        struct whk_verdict *target = present == 0 ? verdict : other;

        if (value == NULL)
            continue;
        if (present++ == 0 && !usable(st, req, secret, &key, verdict))
            break;
        if (target == NULL && (target = other = whk_verdict_new()) == NULL)
            break;
        whk_verdict_reset(target);
        if (verify_header(st, ctx, req, &key, s->headers[i], value, target)) {
            if (target != verdict)
                whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH, "%s",
                                whk_verdict_text(target));
            break;
        }
    }
    if (present == 0)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header%s", s->headers[0],
                        s->header_count > 1 ? " (nor an alternative one)" : "");
    whk_verdict_free(other);
    key_clear(&key);
}
