/* SPDX-License-Identifier: MIT */
/* Acme Parcels, a fictitious provider: HMAC-SHA256 of "v1:TIMESTAMP:BODY". */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "acme.h"

#define TIMESTAMP_HEADER  "Acme-Timestamp"
#define SIGNATURE_HEADER  "Acme-Signature"
#define TOLERANCE_SECONDS 300
#define MIN_SECRET_LENGTH 24

/* Computes the lowercase hex HMAC-SHA256 of "v1:" timestamp ":" body. */
static enum whk_status compute(struct whk_span secret, const char *timestamp,
                               const struct whk_request *req, char **hex,
                               struct whk_error *err)
{
    struct whk_span parts[4] = {
        {"v1:", 3}, {timestamp, strlen(timestamp)}, {":", 1}, {NULL, 0}};
    unsigned char mac[WHK_DIGEST_MAX_SIZE];
    size_t mac_len;
    enum whk_status status;

    parts[3].ptr = whk_request_body(req, &parts[3].len);
    status = whk_hmac(WHK_SHA256, secret.ptr, secret.len, parts, 4, mac,
                      &mac_len, err);
    if (status != WHK_OK)
        return status;
    *hex = whk_hex_encode(mac, mac_len);
    if (*hex == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    return WHK_OK;
}

/* Acme's signing secrets are long random strings without whitespace. */
static enum whk_status acme_check_secret(void *state, struct whk_span secret,
                                         int for_signing, struct whk_error *err)
{
    (void)state;
    (void)for_signing;
    if (secret.len < MIN_SECRET_LENGTH)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret has %zu characters, but Acme signing "
                             "secrets have at least %d; copy the whole "
                             "secret from Developers > Webhooks",
                             secret.len, MIN_SECRET_LENGTH);
    for (size_t i = 0; i < secret.len; i++) {
        if (isspace((unsigned char)secret.ptr[i]))
            return whk_error_set(err, WHK_ERR_SECRET,
                                 "the secret contains whitespace at offset "
                                 "%zu; Acme signing secrets have none",
                                 i);
    }
    return WHK_OK;
}

static enum whk_status acme_sign(void *state, const struct whk_context *ctx,
                                 struct whk_request *req,
                                 struct whk_span secret, struct whk_error *err)
{
    char timestamp[24], header[80], *hex = NULL;
    enum whk_status status;

    (void)state;
    snprintf(timestamp, sizeof(timestamp), "%lld",
             (long long)whk_context_time(ctx));
    status = compute(secret, timestamp, req, &hex, err);
    if (status != WHK_OK)
        return status;
    snprintf(header, sizeof(header), "v1=%s", hex);
    whk_free(hex);

    status = whk_request_set_header(req, TIMESTAMP_HEADER, timestamp);
    if (status == WHK_OK)
        status = whk_request_set_header(req, SIGNATURE_HEADER, header);
    return status;
}

/*
 * Returns 1 when one of the space-separated "v1=HEX" entries of header
 * equals expected. *entries counts the v1 entries seen.
 */
static int match_entry(const char *header, const char *expected, int *entries)
{
    size_t expected_len = strlen(expected);
    int matched = 0;

    *entries = 0;
    for (const char *p = header; *p;) {
        size_t len = strcspn(p, " ");

        if (len > 3 && strncmp(p, "v1=", 3) == 0) {
            (*entries)++;
            /* Every entry is compared, so timing shows no match position. */
            matched |= whk_equal_ct(p + 3, len - 3, expected, expected_len);
        }
        p += len;
        p += strspn(p, " ");
    }
    return matched;
}

static void acme_verify(void *state, const struct whk_context *ctx,
                        const struct whk_request *req, struct whk_span secret,
                        struct whk_verdict *verdict)
{
    const char *timestamp = whk_request_header(req, TIMESTAMP_HEADER);
    const char *signature = whk_request_header(req, SIGNATURE_HEADER);
    char *expected = NULL;
    int64_t seconds;
    int entries;

    (void)state;
    if (timestamp == NULL || signature == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header",
                        timestamp ? SIGNATURE_HEADER : TIMESTAMP_HEADER);
        return;
    }
    if (!whk_parse_int64(timestamp, strlen(timestamp), &seconds)) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s '%s' is not a Unix time in seconds",
                        TIMESTAMP_HEADER, timestamp);
        return;
    }
    if (!whk_timestamp_check(ctx, seconds, TOLERANCE_SECONDS, verdict))
        return;
    if (compute(secret, timestamp, req, &expected, NULL) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET,
                        "the HMAC could not be computed with this secret");
        return;
    }

    if (match_entry(signature, expected, &entries))
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s matches the HMAC-SHA256 of v1:%s:<body>",
                        SIGNATURE_HEADER, timestamp);
    else if (entries == 0)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s has no v1= entry; Acme sends 'v1=HEX', several "
                        "separated by spaces while a secret rotates",
                        SIGNATURE_HEADER);
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "none of the %d v1 signatures in %s matches the "
                        "HMAC-SHA256 of v1:%s:<body> with this secret",
                        entries, SIGNATURE_HEADER, timestamp);
    whk_free(expected);
}

static const char *const acme_headers[] = {SIGNATURE_HEADER, TIMESTAMP_HEADER,
                                           NULL};

WHK_DESCRIPTOR(acme) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "acme",
    .title = "Acme Parcels",
    .summary = "Parcel tracking events signed with Acme-Signature",
    .docs_url = "https://developers.acme-parcels.example/webhooks",
    .algorithm = "hex HMAC-SHA256 of v1:TIMESTAMP:BODY",
    .signature_headers = acme_headers,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "ACME_WEBHOOK_SECRET",
            .form = "at least 24 characters without whitespace",
            .where = "Acme dashboard > Developers > Webhooks > Signing secret",
        },
    .fields = acme_fields,
    .samples = acme_samples,
    .idempotency_keys = acme_keys,
    .response =
        {
            .status = 200,
            .content_type = "application/json",
            .body = "{\"received\": true}",
            .format = "json",
        },
    .timeout_ms = 10000,
    .timeout_error = "the delivery is marked failed",
    .retries = "up to 8 retries with exponential backoff over 24 hours",
    .tolerance_seconds = TOLERANCE_SECONDS,
    .failures = acme_failures,
    .check_secret = acme_check_secret,
    .sign = acme_sign,
    .verify = acme_verify,
};
