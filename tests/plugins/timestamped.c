/* SPDX-License-Identifier: MIT */
/*
 * A conforming timestamped HMAC-SHA256 plugin, and the defects that
 * whk plugin check must catch in it, one per build: MODULE names the
 * module, and at most one of CRASHING_SIGN, CRASHING_REJECTION,
 * LOOPING_VERIFY, LEAKING_VERDICT and IGNORED_TOLERANCE is defined.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <whk/whk.h>

#define SIGNATURE_HEADER "X-Check-Signature"
#define TOLERANCE        300

/* What init keeps for sign and verify. */
struct settings {
    enum whk_hash hash;
};

static enum whk_status init(const char *entry_json, void **state,
                            const struct whk_descriptor **declarations,
                            struct whk_error *err)
{
    struct settings *settings = malloc(sizeof(*settings));

    (void)entry_json;
    (void)declarations;
    if (settings == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    settings->hash = WHK_SHA256;
    *state = settings;
    return WHK_OK;
}

static void fini(void *state)
{
    free(state);
}

/* Writes "t=TIMESTAMP,v1=HEX" for body signed at timestamp into out. */
static enum whk_status signature(enum whk_hash hash, struct whk_span secret,
                                 int64_t timestamp,
                                 const struct whk_request *req, char *out,
                                 size_t size, struct whk_error *err)
{
    unsigned char mac[WHK_DIGEST_MAX_SIZE];
    char stamp[24];
    size_t mac_len, body_len;
    const char *body = whk_request_body(req, &body_len);
    struct whk_span parts[3];
    char *hex;

    snprintf(stamp, sizeof(stamp), "%" PRId64, timestamp);
    parts[0] = (struct whk_span){stamp, strlen(stamp)};
    parts[1] = (struct whk_span){".", 1};
    parts[2] = (struct whk_span){body, body_len};
    if (whk_hmac(hash, secret.ptr, secret.len, parts, 3, mac, &mac_len, err) !=
        WHK_OK)
        return err ? err->status : WHK_ERR_INVALID;
    hex = whk_hex_encode(mac, mac_len);
    if (hex == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    snprintf(out, size, "t=%s,v1=%s", stamp, hex);
    whk_free(hex);
    return WHK_OK;
}

static enum whk_status sign(void *state, const struct whk_context *ctx,
                            struct whk_request *req, struct whk_span secret,
                            struct whk_error *err)
{
    const struct settings *settings = state;
    char value[160];
    enum whk_status status;

#ifdef CRASHING_SIGN
    /* The defect: reads a header the request may lack, through NULL. */
    if (whk_request_header(req, "X-Delivery-Id")[0] == '\0')
        return whk_error_set(err, WHK_ERR_INVALID, "empty delivery id");
#endif
    status = signature(settings->hash, secret, whk_context_time(ctx), req,
                       value, sizeof(value), err);
    if (status != WHK_OK)
        return status;
    return whk_request_set_header(req, SIGNATURE_HEADER, value);
}

/* Reads the timestamp of a "t=TIMESTAMP,v1=HEX" value. */
static int timestamp_of(const char *value, int64_t *timestamp)
{
    const char *comma = strchr(value, ',');

    return strncmp(value, "t=", 2) == 0 && comma != NULL &&
           whk_parse_int64(value + 2, (size_t)(comma - value - 2), timestamp);
}

/* Sets verdict invalid with reason and text. */
static void reject(const struct whk_request *req, struct whk_verdict *verdict,
                   enum whk_reason reason, const char *text)
{
#ifdef CRASHING_REJECTION
    /* The defect: logs the delivery id of every rejected request, through
     * NULL when the request has none. */
    fprintf(stderr, "rejected delivery %c\n",
            whk_request_header(req, "X-Delivery-Id")[0]);
#else
    (void)req;
#endif
    whk_verdict_set(verdict, WHK_INVALID, reason, "%s", text);
}

static void verify(void *state, const struct whk_context *ctx,
                   const struct whk_request *req, struct whk_span secret,
                   struct whk_verdict *verdict)
{
    const struct settings *settings = state;
    const char *value = whk_request_header(req, SIGNATURE_HEADER);
    char expected[160];
    int64_t timestamp;

    (void)ctx;
#ifdef LOOPING_VERIFY
    /* The defect: waits for something that never happens. */
    for (;;)
        sleep(1);
#endif
    if (value == NULL || !timestamp_of(value, &timestamp)) {
        reject(req, verdict, WHK_REASON_MISSING_HEADER,
               "no " SIGNATURE_HEADER " header of the form t=...,v1=...");
        return;
    }
#ifndef IGNORED_TOLERANCE
    if (!whk_timestamp_check(ctx, timestamp, TOLERANCE, verdict)) {
        reject(req, verdict, whk_verdict_reason(verdict), "out of tolerance");
        return;
    }
#endif
    if (signature(settings->hash, secret, timestamp, req, expected,
                  sizeof(expected), NULL) != WHK_OK) {
        reject(req, verdict, WHK_REASON_SECRET,
               "the secret cannot be used as an HMAC key");
        return;
    }
    if (whk_equal_ct(value, strlen(value), expected, strlen(expected)))
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "the v1 signature matches");
#ifdef LEAKING_VERDICT
    /* The defect: copies the secret into the reason whk prints. */
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "the v1 signature does not match the one computed "
                        "with secret '%.*s'",
                        (int)secret.len, secret.ptr);
#else
    else
        reject(req, verdict, WHK_REASON_MISMATCH,
               "the v1 signature does not match");
#endif
}

static const char *const headers[] = {SIGNATURE_HEADER, NULL};

static const struct whk_field fields[] = {
    {.section = "Settings", .name = "Webhook URL", .value = "{{WEBHOOK_URL}}"},
    {0},
};

static const struct whk_sample samples[] = {
    {
        .name = "ping",
        .description = "a ping event",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"type\":\"ping\",\"id\":\"evt_1\"}",
    },
    {0},
};

/* Expands MODULE before WHK_DESCRIPTOR pastes it into the symbol name. */
#define DESCRIPTOR(module) WHK_DESCRIPTOR(module)

DESCRIPTOR(MODULE) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "timestamped",
    .title = "Timestamped",
    .summary = "a test provider that signs a timestamp and the body",
    .algorithm = "hex HMAC-SHA256 of timestamp.body",
    .signature_headers = headers,
    .secret = {.kind = WHK_SECRET_SHARED,
               .env = "TIMESTAMPED_SECRET",
               .form = "any text"},
    .fields = fields,
    .samples = samples,
    .timeout_ms = 3000,
    .tolerance_seconds = TOLERANCE,
    .init = init,
    .fini = fini,
    .sign = sign,
    .verify = verify,
};
