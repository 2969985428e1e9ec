/* SPDX-License-Identifier: MIT */
/* SendGrid's signed Event Webhook: ECDSA P-256 over "TIMESTAMP" + "BODY". */
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "sendgrid.h"

#define SIGNATURE_HEADER "X-Twilio-Email-Event-Webhook-Signature"
#define TIMESTAMP_HEADER "X-Twilio-Email-Event-Webhook-Timestamp"

/* Loads the private key to sign with, or the public key to verify with. */
static enum whk_status load_key(struct whk_span secret, int for_signing,
                                struct whk_pkey **key, struct whk_error *err)
{
    if (for_signing)
        return whk_pkey_load_private(WHK_PKEY_P256, secret.ptr, secret.len, key,
                                     err);
    return whk_pkey_load_public(WHK_PKEY_P256, secret.ptr, secret.len, key,
                                err);
}

static enum whk_status sendgrid_check_secret(void *state,
                                             struct whk_span secret,
                                             int for_signing,
                                             struct whk_error *err)
{
    struct whk_pkey *key = NULL;
    enum whk_status status = load_key(secret, for_signing, &key, err);

    (void)state;
    whk_pkey_free(key);
    return status;
}

static enum whk_status sendgrid_sign(void *state, const struct whk_context *ctx,
                                     struct whk_request *req,
                                     struct whk_span secret,
                                     struct whk_error *err)
{
    char timestamp[24], *encoded = NULL;
    struct whk_span parts[2] = {{timestamp, 0}};
    struct whk_pkey *key = NULL;
    unsigned char *sig = NULL;
    size_t sig_len;
    enum whk_status status;

    (void)state;
    parts[0].len = (size_t)snprintf(timestamp, sizeof(timestamp), "%lld",
                                    (long long)whk_context_time(ctx));
    parts[1].ptr = whk_request_body(req, &parts[1].len);
    status = load_key(secret, 1, &key, err);
    if (status == WHK_OK)
        status = whk_pkey_sign(key, parts, 2, &sig, &sig_len, err);
    if (status == WHK_OK &&
        (encoded = whk_base64_encode(sig, sig_len, 0)) == NULL)
        status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    if (status == WHK_OK)
        status = whk_request_set_header(req, TIMESTAMP_HEADER, timestamp);
    if (status == WHK_OK)
        status = whk_request_set_header(req, SIGNATURE_HEADER, encoded);
    whk_free(encoded);
    whk_free(sig);
    whk_pkey_free(key);
    return status;
}

/*
 * SendGrid's libraries check no timestamp age, so whk checks one only when
 * the user sets --tolerance. Returns 0 and sets the verdict when too far.
 */
static int check_timestamp(const struct whk_context *ctx, const char *timestamp,
                           struct whk_verdict *verdict)
{
    int64_t seconds;

    if (whk_context_tolerance(ctx) < 0)
        return 1;
    if (!whk_parse_int64(timestamp, strlen(timestamp), &seconds)) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s '%s' is not a whole number of seconds",
                        TIMESTAMP_HEADER, timestamp);
        return 0;
    }
    return whk_timestamp_check(ctx, seconds, 0, verdict);
}

/* Decodes the base64 signature, or sets the verdict and returns 0. */
static int decode_signature(const char *value, unsigned char **sig,
                            size_t *sig_len, struct whk_verdict *verdict)
{
    struct whk_error err = {0};

    if (whk_base64_decode(value, strlen(value), WHK_BASE64_STANDARD, sig,
                          sig_len, &err) == WHK_OK)
        return 1;
    whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                    "%s is not base64: %s", SIGNATURE_HEADER, err.text);
    return 0;
}

static void sendgrid_verify(void *state, const struct whk_context *ctx,
                            const struct whk_request *req,
                            struct whk_span secret, struct whk_verdict *verdict)
{
    const char *value = whk_request_header(req, SIGNATURE_HEADER);
    const char *timestamp = whk_request_header(req, TIMESTAMP_HEADER);
    struct whk_span parts[2] = {{timestamp, 0}};
    struct whk_pkey *key = NULL;
    struct whk_error err = {0};
    unsigned char *sig = NULL;
    size_t sig_len;

    (void)state;
    if (value == NULL || timestamp == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header",
                        value == NULL ? SIGNATURE_HEADER : TIMESTAMP_HEADER);
        return;
    }
    if (load_key(secret, 0, &key, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return;
    }
    if (!check_timestamp(ctx, timestamp, verdict) ||
        !decode_signature(value, &sig, &sig_len, verdict))
        goto out;

    parts[0].len = strlen(timestamp);
    parts[1].ptr = whk_request_body(req, &parts[1].len);
    if (whk_pkey_verify(key, parts, 2, sig, sig_len, &err) == WHK_OK)
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s is a valid ECDSA P-256 signature of '%s' and "
                        "the %zu-byte body",
                        SIGNATURE_HEADER, timestamp, parts[1].len);
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s is not a valid signature of '%s' and the "
                        "%zu-byte body under this verification key: %s",
                        SIGNATURE_HEADER, timestamp, parts[1].len, err.text);

out:
    whk_free(sig);
    whk_pkey_free(key);
}

static const char *const sendgrid_headers[] = {SIGNATURE_HEADER,
                                               TIMESTAMP_HEADER, NULL};

WHK_DESCRIPTOR(sendgrid) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "sendgrid",
    .title = "SendGrid",
    .summary = "Event Webhook signed with ECDSA P-256 "
               "(X-Twilio-Email-Event-Webhook-Signature)",
    .docs_url = "https://www.twilio.com/docs/sendgrid/for-developers/"
                "tracking-events/getting-started-event-webhook-security-"
                "features",
    .algorithm = "base64 DER ECDSA P-256 signature with SHA-256 of "
                 "TIMESTAMP followed by the body",
    .signature_headers = sendgrid_headers,
    .flags = WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_PUBLIC_KEY,
            .env = "SENDGRID_WEBHOOK_VERIFICATION_KEY",
            .form = "base64 of the DER public key (SubjectPublicKeyInfo), "
                    "starting with 'MFkw'",
            .where = "Settings > Mail Settings > Event Webhooks > (your "
                     "webhook) > Signature Verification > Verification Key",
        },
    .fields = sendgrid_fields,
    .samples = sendgrid_samples,
    .idempotency_keys = sendgrid_keys,
    .response =
        {
            .status = 0,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    /* NOTE: SendGrid publishes no delivery timeout, so 3 s is an estimate. */
    .timeout_ms = 3000,
    .timeout_error = "the POST counts as failed and is retried",
    .retries = "SendGrid retries a failed POST at increasing intervals for "
               "up to 24 hours, then drops the events",
    .tolerance_seconds = 0,
    .failures = sendgrid_failures,
    .check_secret = sendgrid_check_secret,
    .sign = sendgrid_sign,
    .verify = sendgrid_verify,
};
