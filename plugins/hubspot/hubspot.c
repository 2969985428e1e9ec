/* SPDX-License-Identifier: MIT */
/* HubSpot's v3 signature: base64 HMAC-SHA256 of method, URI, body, time. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whk/whk.h>

#include "hubspot.h"

#define SIGNATURE_HEADER "X-HubSpot-Signature-v3"
#define TIMESTAMP_HEADER "X-HubSpot-Request-Timestamp"
#define MAC_SIZE         32
/* HubSpot rejects requests whose timestamp is older than 5 minutes. */
#define TOLERANCE 300

/* The characters HubSpot's documentation decodes in the URI before signing. */
static const char decoded_set[] = ":/?@!$'()*,;";

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Returns a copy of url with "%XX" decoded where XX stands for a character
 * of decoded_set, and every other escape kept as it is ("%20", "%3D").
 * NOTE: HubSpot's table lists uppercase escapes; lowercase ones ("%3a")
 * are decoded too, because RFC 3986 makes the two the same character.
 * Returns NULL when memory runs out.
 */
static char *signed_uri(const char *url)
{
    size_t len = strlen(url), out = 0;
    char *uri = malloc(len + 1);

    if (uri == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        int high = i + 2 < len ? hex_value(url[i + 1]) : -1;
        int low = i + 2 < len ? hex_value(url[i + 2]) : -1;
        char c = (char)(high * 16 + low);

        if (url[i] == '%' && high >= 0 && low >= 0 && c != '\0' &&
            strchr(decoded_set, c) != NULL) {
            uri[out++] = c;
            i += 2;
        } else {
            uri[out++] = url[i];
        }
    }
    uri[out] = '\0';
    return uri;
}

/* Computes base64(HMAC-SHA256(secret, METHOD URI BODY TIMESTAMP)). */
static enum whk_status compute(struct whk_span secret,
                               const struct whk_request *req, const char *uri,
                               const char *timestamp, char **out,
                               struct whk_error *err)
{
    const char *method = whk_request_method(req);
    struct whk_span parts[4] = {
        {method, strlen(method)},
        {uri, strlen(uri)},
        {NULL, 0},
        {timestamp, strlen(timestamp)},
    };

    parts[2].ptr = whk_request_body(req, &parts[2].len);
    return whk_hmac_encoded(WHK_SHA256, secret.ptr, secret.len, parts, 4,
                            WHK_ENCODING_BASE64, out, err);
}

static enum whk_status hubspot_check_secret(void *state, struct whk_span secret,
                                            int for_signing,
                                            struct whk_error *err)
{
    (void)state;
    (void)for_signing;
    if (secret.len > 4 && memcmp(secret.ptr, "pat-", 4) == 0)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret is a private app access token "
                             "(pat-...); HubSpot signs requests with the "
                             "app's client secret, shown beside its client "
                             "ID under Auth");
    return whk_secret_check_pasted(secret, err);
}

/* HubSpot's timestamps are milliseconds, and whk_context_time() seconds. */
static enum whk_status hubspot_sign(void *state, const struct whk_context *ctx,
                                    struct whk_request *req,
                                    struct whk_span secret,
                                    struct whk_error *err)
{
    const char *url = whk_request_url(req);
    char timestamp[32], *uri, *signature = NULL;
    enum whk_status status;

    (void)state;
    if (url == NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "HubSpot signs the request URL; pass --url with "
                             "the public URL HubSpot calls");
    uri = signed_uri(url);
    if (uri == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    snprintf(timestamp, sizeof(timestamp), "%lld",
             (long long)whk_context_time(ctx) * 1000);

    status = compute(secret, req, uri, timestamp, &signature, err);
    if (status == WHK_OK)
        status = whk_request_set_header(req, TIMESTAMP_HEADER, timestamp);
    if (status == WHK_OK)
        status = whk_request_set_header(req, SIGNATURE_HEADER, signature);
    whk_free(signature);
    free(uri);
    return status;
}

/*
 * Reads the headers, or sets the verdict and returns 0. *seconds is the
 * timestamp rounded down to whole seconds, which the tolerance check then
 * treats exactly as a millisecond comparison with a whole-second clock.
 */
static int read_headers(const struct whk_request *req, const char **signature,
                        const char **timestamp, int64_t *seconds,
                        struct whk_verdict *verdict)
{
    struct whk_error err = {0};
    int64_t ms;

    *signature = whk_request_header(req, SIGNATURE_HEADER);
    *timestamp = whk_request_header(req, TIMESTAMP_HEADER);
    if (*signature == NULL || *timestamp == NULL) {
        whk_verdict_set(
            verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
            "the request has no %s header%s",
            *signature == NULL ? SIGNATURE_HEADER : TIMESTAMP_HEADER,
            *signature == NULL && whk_request_header(req, "X-HubSpot-Signature")
                ? "; its X-HubSpot-Signature is a v1 or v2 "
                  "signature, which whk does not check"
                : "");
        return 0;
    }
    if (!whk_parse_int64(*timestamp, strlen(*timestamp), &ms) || ms < 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s '%s' is not a whole number of milliseconds",
                        TIMESTAMP_HEADER, *timestamp);
        return 0;
    }
    *seconds = ms / 1000;
    if (whk_signature_check_form(*signature, strlen(*signature),
                                 WHK_ENCODING_BASE64, MAC_SIZE,
                                 &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is not a base64 HMAC-SHA256: %s", SIGNATURE_HEADER,
                        err.text);
        return 0;
    }
    return 1;
}

/* Returns 1 when the signature matches HMAC over uri. */
static int matches(struct whk_span secret, const struct whk_request *req,
                   const char *uri, const char *timestamp,
                   const char *signature)
{
    char *expected = NULL;
    int equal;

    if (compute(secret, req, uri, timestamp, &expected, NULL) != WHK_OK)
        return 0;
    equal =
        whk_equal_ct(expected, strlen(expected), signature, strlen(signature));
    whk_free(expected);
    return equal;
}

/* Notes a URL that the signature would match, so the fix is plain. */
static void note_other_urls(struct whk_span secret,
                            const struct whk_request *req, const char *url,
                            const char *timestamp, const char *signature,
                            struct whk_verdict *verdict)
{
    char *other = NULL;

    if (strcmp(url, whk_request_url(req)) != 0 &&
        matches(secret, req, whk_request_url(req), timestamp, signature))
        whk_verdict_add_note(verdict,
                             "the signature matches the URL with its "
                             "%%-escapes left encoded: the sender did not "
                             "decode the characters HubSpot decodes");
    if (strncmp(url, "http://", 7) == 0 &&
        asprintf(&other, "https://%s", url + 7) < 0)
        other = NULL;
    else if (strncmp(url, "https://", 8) == 0 &&
             asprintf(&other, "http://%s", url + 8) < 0)
        other = NULL;
    if (other != NULL && matches(secret, req, other, timestamp, signature))
        whk_verdict_add_note(verdict,
                             "the signature matches %s: pass that as --url, "
                             "or set X-Forwarded-Proto at the proxy",
                             other);
    free(other);
}

static void hubspot_verify(void *state, const struct whk_context *ctx,
                           const struct whk_request *req,
                           struct whk_span secret, struct whk_verdict *verdict)
{
    const char *signature, *timestamp;
    struct whk_error err = {0};
    size_t body_len;
    char *uri = NULL;
    int64_t seconds;

    (void)state;
    if (!read_headers(req, &signature, &timestamp, &seconds, verdict))
        return;
    if (hubspot_check_secret(NULL, secret, 0, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return;
    }
    if (whk_request_url(req) == NULL) {
        whk_verdict_set(verdict, WHK_NOT_APPLICABLE, WHK_REASON_NONE,
                        "HubSpot signs the request URL; pass --url with the "
                        "public URL HubSpot calls");
        return;
    }
    if (!whk_timestamp_check(ctx, seconds, TOLERANCE, verdict))
        return;
    uri = signed_uri(whk_request_url(req));
    if (uri == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED,
                        "out of memory");
        return;
    }

    whk_request_body(req, &body_len);
    if (matches(secret, req, uri, timestamp, signature)) {
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s matches the HMAC-SHA256 of %s, %s, the %zu-byte "
                        "body and %s",
                        SIGNATURE_HEADER, whk_request_method(req), uri,
                        body_len, timestamp);
    } else {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s does not match the HMAC-SHA256 of %s, %s, the "
                        "%zu-byte body and %s",
                        SIGNATURE_HEADER, whk_request_method(req), uri,
                        body_len, timestamp);
        note_other_urls(secret, req, uri, timestamp, signature, verdict);
    }
    free(uri);
}

static const char *const hubspot_headers[] = {SIGNATURE_HEADER,
                                              TIMESTAMP_HEADER, NULL};

WHK_DESCRIPTOR(hubspot) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "hubspot",
    .title = "HubSpot",
    .summary = "HubSpot app webhooks signed with X-HubSpot-Signature-v3",
    .docs_url = "https://developers.hubspot.com/docs/apps/legacy-apps/"
                "authentication/validating-requests",
    .algorithm = "base64 HMAC-SHA256 of METHOD, URI (with :/?@!$'()*,; "
                 "%-escapes decoded), BODY and the millisecond TIMESTAMP",
    .signature_headers = hubspot_headers,
    .flags = WHK_SIGNS_URL | WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "HUBSPOT_CLIENT_SECRET",
            .form = "the app's client secret, a UUID such as "
                    "'1a2b3c4d-...', used as bytes",
            .where = "HubSpot developer account > Apps > (your app) > Auth "
                     "> Client secret",
        },
    .fields = hubspot_fields,
    .samples = hubspot_samples,
    .idempotency_keys = hubspot_keys,
    .response =
        {
            .status = 0,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    /*
     * NOTE: 5 s is an estimate, because HubSpot's current webhooks guide
     * was not opened. Older versions quoted on HubSpot's community forum
     * give 1 s and 2 s.
     */
    .timeout_ms = 5000,
    .timeout_error = "the delivery counts as failed and is retried",
    .retries = "HubSpot retries a failed batch up to 10 times with "
               "exponential backoff; it does not retry after 400, 401, 403, "
               "404 or 405, and honours Retry-After on 429",
    .tolerance_seconds = TOLERANCE,
    .failures = hubspot_failures,
    .check_secret = hubspot_check_secret,
    .sign = hubspot_sign,
    .verify = hubspot_verify,
};
