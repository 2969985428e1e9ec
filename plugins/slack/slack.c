/* SPDX-License-Identifier: MIT */
/* Slack's X-Slack-Signature: "v0=" + hex HMAC-SHA256 of "v0:TS:BODY". */
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "slack.h"

#define SIGNATURE_HEADER "X-Slack-Signature"
#define TIMESTAMP_HEADER "X-Slack-Request-Timestamp"
#define VERSION          "v0"
#define TOLERANCE        300
#define MAC_SIZE         32

static enum whk_status slack_check_secret(void *state, struct whk_span secret,
                                          int for_signing,
                                          struct whk_error *err)
{
    (void)state;
    (void)for_signing;
    if (secret.len > 5 && memcmp(secret.ptr, "xox", 3) == 0)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret starts with '%.5s', the prefix of "
                             "a Slack token; requests are signed with the "
                             "app's Signing Secret (Basic Information > App "
                             "Credentials)",
                             secret.ptr);
    if (secret.len > 5 && memcmp(secret.ptr, "xapp-", 5) == 0)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret is an app-level token (xapp-); "
                             "requests are signed with the app's Signing "
                             "Secret");
    return whk_secret_check_pasted(secret, err);
}

/* Computes the hex HMAC-SHA256 of "v0:TIMESTAMP:BODY". */
static enum whk_status compute(struct whk_span secret, const char *timestamp,
                               const struct whk_request *req, char **hex,
                               struct whk_error *err)
{
    struct whk_span parts[4] = {
        {VERSION ":", 3}, {timestamp, strlen(timestamp)}, {":", 1}};

    parts[3].ptr = whk_request_body(req, &parts[3].len);
    return whk_hmac_encoded(WHK_SHA256, secret.ptr, secret.len, parts, 4,
                            WHK_ENCODING_HEX, hex, err);
}

static enum whk_status slack_sign(void *state, const struct whk_context *ctx,
                                  struct whk_request *req,
                                  struct whk_span secret, struct whk_error *err)
{
    char timestamp[24], line[80], *hex = NULL;
    enum whk_status status;

    (void)state;
    snprintf(timestamp, sizeof(timestamp), "%lld",
             (long long)whk_context_time(ctx));
    status = compute(secret, timestamp, req, &hex, err);
    if (status != WHK_OK)
        return status;
    snprintf(line, sizeof(line), VERSION "=%s", hex);
    whk_free(hex);
    status = whk_request_set_header(req, TIMESTAMP_HEADER, timestamp);
    if (status == WHK_OK)
        status = whk_request_set_header(req, SIGNATURE_HEADER, line);
    return status;
}

/* Reads both headers, or sets the verdict and returns 0 if one is unusable. */
static int read_headers(const struct whk_request *req, const char **value,
                        const char **timestamp, int64_t *seconds,
                        struct whk_verdict *verdict)
{
    struct whk_error err = {0};

    *value = whk_request_header(req, SIGNATURE_HEADER);
    *timestamp = whk_request_header(req, TIMESTAMP_HEADER);
    if (*value == NULL || *timestamp == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header",
                        *value == NULL ? SIGNATURE_HEADER : TIMESTAMP_HEADER);
        return 0;
    }
    if (!whk_parse_int64(*timestamp, strlen(*timestamp), seconds)) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s '%s' is not a whole number of seconds",
                        TIMESTAMP_HEADER, *timestamp);
        return 0;
    }
    if (strncmp(*value, VERSION "=", 3) != 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s does not start with 'v0=', the only version "
                        "Slack uses",
                        SIGNATURE_HEADER);
        return 0;
    }
    if (whk_signature_check_form(*value + 3, strlen(*value + 3),
                                 WHK_ENCODING_HEX, MAC_SIZE, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is not 'v0=' and a hex HMAC-SHA256: %s",
                        SIGNATURE_HEADER, err.text);
        return 0;
    }
    return 1;
}

static void slack_verify(void *state, const struct whk_context *ctx,
                         const struct whk_request *req, struct whk_span secret,
                         struct whk_verdict *verdict)
{
    struct whk_error err = {0};
    const char *value, *timestamp;
    char *expected = NULL;
    int64_t seconds;
    size_t body_len;

    (void)state;
    if (!read_headers(req, &value, &timestamp, &seconds, verdict))
        return;
    if (slack_check_secret(NULL, secret, 0, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return;
    }
    if (!whk_timestamp_check(ctx, seconds, TOLERANCE, verdict))
        return;
    if (compute(secret, timestamp, req, &expected, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED, "%s",
                        err.text);
        return;
    }

    whk_request_body(req, &body_len);
    value += 3;
    if (whk_equal_ct(value, strlen(value), expected, strlen(expected)))
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s matches the HMAC-SHA256 of 'v0:%s:' and the "
                        "%zu-byte body",
                        SIGNATURE_HEADER, timestamp, body_len);
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s does not match the HMAC-SHA256 of 'v0:%s:' and "
                        "the %zu-byte body",
                        SIGNATURE_HEADER, timestamp, body_len);
    whk_free(expected);
}

static const char *const slack_headers[] = {SIGNATURE_HEADER, TIMESTAMP_HEADER,
                                            NULL};

WHK_DESCRIPTOR(slack) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "slack",
    .title = "Slack",
    .summary = "Events API, slash command and interactivity requests signed "
               "with X-Slack-Signature",
    .docs_url = "https://api.slack.com/authentication/verifying-requests-"
                "from-slack",
    .algorithm = "\"v0=\" + hex HMAC-SHA256 of \"v0:TIMESTAMP:BODY\", with "
                 "TIMESTAMP from X-Slack-Request-Timestamp",
    .signature_headers = slack_headers,
    .flags = WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "SLACK_SIGNING_SECRET",
            .form = "32 hexadecimal characters, used as bytes",
            .where = "api.slack.com/apps > (your app) > Basic Information > "
                     "App Credentials > Signing Secret",
        },
    .fields = slack_fields,
    .samples = slack_samples,
    .idempotency_keys = slack_keys,
    .response =
        {
            .status = 200,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    .timeout_ms = 3000,
    .timeout_error = "http_timeout: the Events API retries, and a slash "
                     "command shows 'operation_timeout' to the user",
    .retries = "the Events API retries a failed delivery 3 times (at once, "
               "after 1 minute, after 5 minutes) with X-Slack-Retry-Num "
               "and X-Slack-Retry-Reason; slash commands are not retried",
    .tolerance_seconds = TOLERANCE,
    .failures = slack_failures,
    .check_secret = slack_check_secret,
    .sign = slack_sign,
    .verify = slack_verify,
    .challenges = slack_challenges,
};
