/* SPDX-License-Identifier: MIT */
/* Paddle Billing's Paddle-Signature: "ts=T;h1=HEX", HMAC-SHA256 of "T:BODY". */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "paddle.h"

#define SIGNATURE_HEADER "Paddle-Signature"
#define MAC_SIZE         32
/* Paddle's Node.js SDK 3.x rejects events older than 5 s. */
#define TOLERANCE 5

static enum whk_status paddle_check_secret(void *state, struct whk_span secret,
                                           int for_signing,
                                           struct whk_error *err)
{
    (void)state;
    (void)for_signing;
    if (secret.len > 9 && memcmp(secret.ptr, "pdl_", 4) == 0 &&
        memmem(secret.ptr, secret.len, "_apikey_", 8) != NULL)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret is a Paddle API key; webhooks are "
                             "signed with the notification destination's "
                             "secret key (pdl_ntfset_...)");
    return whk_secret_check_pasted(secret, err);
}

static enum whk_status compute(struct whk_span secret, struct whk_span ts,
                               const struct whk_request *req, char **hex,
                               struct whk_error *err)
{
    struct whk_span parts[3] = {ts, {":", 1}};

    parts[2].ptr = whk_request_body(req, &parts[2].len);
    return whk_hmac_encoded(WHK_SHA256, secret.ptr, secret.len, parts, 3,
                            WHK_ENCODING_HEX, hex, err);
}

static enum whk_status paddle_sign(void *state, const struct whk_context *ctx,
                                   struct whk_request *req,
                                   struct whk_span secret,
                                   struct whk_error *err)
{
    char timestamp[24], line[128], *hex = NULL;
    struct whk_span ts = {timestamp, 0};
    enum whk_status status;

    (void)state;
    ts.len = (size_t)snprintf(timestamp, sizeof(timestamp), "%lld",
                              (long long)whk_context_time(ctx));
    status = compute(secret, ts, req, &hex, err);
    if (status != WHK_OK)
        return status;
    snprintf(line, sizeof(line), "ts=%s;h1=%s", timestamp, hex);
    whk_free(hex);
    return whk_request_set_header(req, SIGNATURE_HEADER, line);
}

/* Parses "ts=..;h1=..", or sets the verdict and returns 0 if malformed. */
static int parse_header(const char *header, struct whk_header_item *items,
                        size_t *count, const struct whk_header_item **ts,
                        int64_t *seconds, struct whk_verdict *verdict)
{
    struct whk_error err = {0};
    size_t ts_count;

    if (whk_header_items_parse(header, ';', '=', items, WHK_HEADER_MAX_ITEMS,
                               count, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is malformed: %s", SIGNATURE_HEADER, err.text);
        return 0;
    }
    ts_count = whk_header_items_count(items, *count, "ts");
    *ts = whk_header_items_find(items, *count, "ts");
    if (ts_count != 1) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        ts_count == 0 ? "%s has no ts= timestamp"
                                      : "%s has %zu ts= timestamps; Paddle "
                                        "sends exactly one",
                        SIGNATURE_HEADER, ts_count);
        return 0;
    }
    if (!whk_parse_int64((*ts)->value.ptr, (*ts)->value.len, seconds)) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "the ts= timestamp '%.*s' in %s is not a whole "
                        "number of seconds",
                        (int)(*ts)->value.len, (*ts)->value.ptr,
                        SIGNATURE_HEADER);
        return 0;
    }
    if (whk_header_items_count(items, *count, "h1") == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s has no h1= signature", SIGNATURE_HEADER);
        return 0;
    }
    return 1;
}

/* Returns the 1-based index of the matching h1 value, or 0. */
static size_t find_match(const struct whk_header_item *items, size_t count,
                         const char *expected, struct whk_verdict *verdict)
{
    struct whk_error err = {0};
    size_t h1 = 0, malformed = 0, match = 0;

    for (size_t i = 0; i < count; i++) {
        const struct whk_span *v = &items[i].value;

        if (items[i].key.len != 2 || memcmp(items[i].key.ptr, "h1", 2) != 0)
            continue;
        h1++;
        if (whk_signature_check_form(v->ptr, v->len, WHK_ENCODING_HEX, MAC_SIZE,
                                     &err) != WHK_OK) {
            malformed++;
            whk_verdict_add_note(verdict,
                                 "h1 signature %zu is not a hex "
                                 "HMAC-SHA256: %s",
                                 h1, err.text);
            continue;
        }
        if (match == 0 && whk_equal_ct(v->ptr, v->len, expected, 64))
            match = h1;
    }
    if (match == 0 && malformed == h1)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "no h1= value in %s is a hex HMAC-SHA256 signature",
                        SIGNATURE_HEADER);
    return match;
}

static void paddle_verify(void *state, const struct whk_context *ctx,
                          const struct whk_request *req, struct whk_span secret,
                          struct whk_verdict *verdict)
{
    const char *header = whk_request_header(req, SIGNATURE_HEADER);
    struct whk_header_item items[WHK_HEADER_MAX_ITEMS];
    const struct whk_header_item *ts;
    struct whk_error err = {0};
    size_t count, match, body_len;
    char *expected = NULL;
    int64_t seconds;

    (void)state;
    if (header == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header", SIGNATURE_HEADER);
        return;
    }
    if (paddle_check_secret(NULL, secret, 0, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return;
    }
    if (!parse_header(header, items, &count, &ts, &seconds, verdict) ||
        !whk_timestamp_check(ctx, seconds, TOLERANCE, verdict))
        return;
    if (compute(secret, ts->value, req, &expected, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED, "%s",
                        err.text);
        return;
    }

    whk_request_body(req, &body_len);
    match = find_match(items, count, expected, verdict);
    whk_free(expected);
    if (match > 0)
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "h1 signature %zu in %s matches the HMAC-SHA256 of "
                        "'%lld:' and the %zu-byte body",
                        match, SIGNATURE_HEADER, (long long)seconds, body_len);
    else if (whk_verdict_status(verdict) != WHK_INVALID)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "no h1 signature in %s matches the HMAC-SHA256 of "
                        "'%lld:' and the %zu-byte body",
                        SIGNATURE_HEADER, (long long)seconds, body_len);
}

static const char *const paddle_headers[] = {SIGNATURE_HEADER, NULL};

WHK_DESCRIPTOR(paddle) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "paddle",
    .title = "Paddle Billing",
    .summary = "Paddle Billing notifications signed with Paddle-Signature",
    .docs_url = "https://developer.paddle.com/webhooks/signature-"
                "verification",
    .algorithm = "hex HMAC-SHA256 of \"TIMESTAMP:BODY\" in h1=, with "
                 "TIMESTAMP from ts=",
    .signature_headers = paddle_headers,
    .flags = WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "PADDLE_WEBHOOK_SECRET",
            .form = "the destination's secret key, 'pdl_ntfset_' followed "
                    "by an id and a random part, used as bytes",
            .where = "Paddle > Developer tools > Notifications > (your "
                     "destination) > Edit destination > Secret key",
        },
    .fields = paddle_fields,
    .samples = paddle_samples,
    .idempotency_keys = paddle_keys,
    .response =
        {
            .status = 200,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    .timeout_ms = 5000,
    .timeout_error = "the notification is marked failed and retried",
    .retries = "in live accounts Paddle retries a failed notification up to "
               "60 times over 3 days with exponential backoff; sandbox "
               "retries fewer times",
    .tolerance_seconds = TOLERANCE,
    .failures = paddle_failures,
    .check_secret = paddle_check_secret,
    .sign = paddle_sign,
    .verify = paddle_verify,
};
