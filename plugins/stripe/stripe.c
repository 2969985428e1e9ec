/* SPDX-License-Identifier: MIT */
/* Stripe's Stripe-Signature: HMAC-SHA256 of "TIMESTAMP.BODY", hex, in v1=. */
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "stripe.h"

#define SIGNATURE_HEADER "Stripe-Signature"
#define SECRET_PREFIX    "whsec_"
#define TOLERANCE        300
#define MAC_SIZE         32

static enum whk_status stripe_check_secret(void *state, struct whk_span secret,
                                           int for_signing,
                                           struct whk_error *err)
{
    static const char *const api_keys[] = {"sk_", "rk_", "pk_"};
    enum whk_status status = whk_secret_check_pasted(secret, err);

    (void)state;
    (void)for_signing;
    if (status != WHK_OK)
        return status;
    for (size_t i = 0; i < sizeof(api_keys) / sizeof(*api_keys); i++) {
        if (secret.len > 3 && memcmp(secret.ptr, api_keys[i], 3) == 0)
            return whk_error_set(err, WHK_ERR_SECRET,
                                 "the secret starts with '%s', the prefix of "
                                 "an API key; webhooks are signed with the "
                                 "endpoint's signing secret (whsec_...)",
                                 api_keys[i]);
    }
    if (secret.len <= strlen(SECRET_PREFIX) ||
        memcmp(secret.ptr, SECRET_PREFIX, strlen(SECRET_PREFIX)) != 0)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret does not start with 'whsec_'; copy "
                             "the endpoint's signing secret from Developers "
                             "> Webhooks, or the one 'stripe listen' prints");
    return WHK_OK;
}

/* Computes the hex HMAC-SHA256 of "TIMESTAMP.BODY" keyed with the secret. */
static enum whk_status compute(struct whk_span secret, const char *timestamp,
                               size_t timestamp_len,
                               const struct whk_request *req, char **hex,
                               struct whk_error *err)
{
    struct whk_span parts[3] = {{timestamp, timestamp_len}, {".", 1}};

    parts[2].ptr = whk_request_body(req, &parts[2].len);
    return whk_hmac_encoded(WHK_SHA256, secret.ptr, secret.len, parts, 3,
                            WHK_ENCODING_HEX, hex, err);
}

static enum whk_status stripe_sign(void *state, const struct whk_context *ctx,
                                   struct whk_request *req,
                                   struct whk_span secret,
                                   struct whk_error *err)
{
    char timestamp[24], line[128], *hex = NULL;
    enum whk_status status;
    int len;

    (void)state;
    len = snprintf(timestamp, sizeof(timestamp), "%lld",
                   (long long)whk_context_time(ctx));
    status = compute(secret, timestamp, (size_t)len, req, &hex, err);
    if (status != WHK_OK)
        return status;
    snprintf(line, sizeof(line), "t=%s,v1=%s", timestamp, hex);
    whk_free(hex);
    return whk_request_set_header(req, SIGNATURE_HEADER, line);
}

/* Parses the timestamp and v1 items, or sets the verdict and returns 0. */
static int parse_header(const char *header, struct whk_header_item *items,
                        size_t *count, int64_t *timestamp,
                        const struct whk_header_item **t,
                        struct whk_verdict *verdict)
{
    struct whk_error err = {0};
    size_t t_count;

    if (whk_header_items_parse(header, ',', '=', items, WHK_HEADER_MAX_ITEMS,
                               count, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is malformed: %s", SIGNATURE_HEADER, err.text);
        return 0;
    }
    t_count = whk_header_items_count(items, *count, "t");
    *t = whk_header_items_find(items, *count, "t");
    if (t_count != 1) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        t_count == 0 ? "%s has no t= timestamp"
                                     : "%s has %zu t= timestamps; Stripe "
                                       "sends exactly one",
                        SIGNATURE_HEADER, t_count);
        return 0;
    }
    if (!whk_parse_int64((*t)->value.ptr, (*t)->value.len, timestamp)) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "the t= timestamp '%.*s' in %s is not a whole number "
                        "of seconds",
                        (int)(*t)->value.len, (*t)->value.ptr,
                        SIGNATURE_HEADER);
        return 0;
    }
    if (whk_header_items_count(items, *count, "v1") == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s has no v1= signature%s", SIGNATURE_HEADER,
                        whk_header_items_find(items, *count, "v0")
                            ? " (only v0=, a scheme Stripe uses for test "
                              "events that whk does not verify)"
                            : "");
        return 0;
    }
    return 1;
}

/* Returns the 1-based index of the v1 item equal to expected, or -1. */
static int find_match(const struct whk_header_item *items, size_t count,
                      const char *expected, size_t *v1_count,
                      struct whk_verdict *verdict)
{
    struct whk_error err = {0};
    size_t malformed = 0;
    int match = -1;

    *v1_count = 0;
    for (size_t i = 0; i < count; i++) {
        const struct whk_span *v = &items[i].value;

        if (items[i].key.len != 2 || memcmp(items[i].key.ptr, "v1", 2) != 0)
            continue;
        (*v1_count)++;
        if (whk_signature_check_form(v->ptr, v->len, WHK_ENCODING_HEX, MAC_SIZE,
                                     &err) != WHK_OK) {
            if (malformed++ == 0)
                whk_verdict_add_note(verdict,
                                     "v1 signature %zu is not an HMAC-SHA256 "
                                     "in hex: %s",
                                     *v1_count, err.text);
            continue;
        }
        if (match < 0 && whk_equal_ct(v->ptr, v->len, expected, 64))
            match = (int)*v1_count;
    }
    if (match < 0 && malformed == *v1_count)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "no v1= value in %s is a hex HMAC-SHA256 signature",
                        SIGNATURE_HEADER);
    return match;
}

static int usable_secret(struct whk_span secret, struct whk_verdict *verdict)
{
    struct whk_error err = {0};

    if (stripe_check_secret(NULL, secret, 0, &err) == WHK_OK)
        return 1;
    whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s", err.text);
    return 0;
}

static void stripe_verify(void *state, const struct whk_context *ctx,
                          const struct whk_request *req, struct whk_span secret,
                          struct whk_verdict *verdict)
{
    const char *header = whk_request_header(req, SIGNATURE_HEADER);
    struct whk_header_item items[WHK_HEADER_MAX_ITEMS];
    const struct whk_header_item *t;
    size_t count, v1_count, body_len;
    int64_t timestamp;
    char *expected = NULL;
    int match;

    (void)state;
    if (header == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header", SIGNATURE_HEADER);
        return;
    }
    if (!usable_secret(secret, verdict) ||
        !parse_header(header, items, &count, &timestamp, &t, verdict))
        return;
    whk_request_body(req, &body_len);
    if (body_len == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "the body is empty, but Stripe always sends the "
                        "event as JSON: the body was read before "
                        "verification (by a JSON body parser?)");
        return;
    }
    if (compute(secret, t->value.ptr, t->value.len, req, &expected, NULL) !=
        WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED,
                        "HMAC-SHA256 failed in OpenSSL");
        return;
    }

    match = find_match(items, count, expected, &v1_count, verdict);
    whk_free(expected);
    if (match < 0) {
        if (whk_verdict_status(verdict) != WHK_INVALID)
            whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                            "none of the %zu v1 signatures in %s matches "
                            "the HMAC-SHA256 of the timestamp and the "
                            "%zu-byte body",
                            v1_count, SIGNATURE_HEADER, body_len);
        return;
    }
    if (!whk_timestamp_check(ctx, timestamp, TOLERANCE, verdict))
        return;
    whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                    "v1 signature %d of %zu in %s matches the HMAC-SHA256 of "
                    "t=%lld and the %zu-byte body",
                    match, v1_count, SIGNATURE_HEADER, (long long)timestamp,
                    body_len);
}

static const char *const stripe_headers[] = {SIGNATURE_HEADER, NULL};

WHK_DESCRIPTOR(stripe) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "stripe",
    .title = "Stripe",
    .summary = "Event webhooks signed with Stripe-Signature",
    .docs_url = "https://docs.stripe.com/webhooks#verify-manually",
    .algorithm = "hex HMAC-SHA256 of \"TIMESTAMP.BODY\" keyed with the whole "
                 "whsec_ secret; any v1= value may match",
    .signature_headers = stripe_headers,
    .flags = WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "STRIPE_WEBHOOK_SECRET",
            .form = "'whsec_' followed by 32 or more characters, used as "
                    "bytes",
            .where = "Stripe Dashboard > Developers > Webhooks > (your "
                     "endpoint) > Signing secret > Reveal",
        },
    .fields = stripe_fields,
    .samples = stripe_samples,
    .idempotency_keys = stripe_keys,
    /* Stripe reads only the status: any 2xx acknowledges the event. */
    .response =
        {
            .status = 0,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    /* NOTE: Stripe publishes no exact timeout, so 10 s is an estimate. */
    .timeout_ms = 10000,
    .timeout_error = "the delivery is marked failed ('Timed out') in the "
                     "endpoint's event deliveries",
    .retries = "in live mode Stripe retries a failed delivery with "
               "exponential backoff for up to three days, and disables an "
               "endpoint that keeps failing",
    .tolerance_seconds = TOLERANCE,
    .failures = stripe_failures,
    .check_secret = stripe_check_secret,
    .sign = stripe_sign,
    .verify = stripe_verify,
};
