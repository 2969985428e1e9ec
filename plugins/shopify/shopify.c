/* SPDX-License-Identifier: MIT */
/* Shopify's X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the body. */
#include <string.h>

#include <whk/whk.h>

#include "shopify.h"

#define SIGNATURE_HEADER "X-Shopify-Hmac-Sha256"
/* Shopify's event deliveries name the same signature without "X-". */
#define EVENTS_HEADER "Shopify-Hmac-Sha256"
#define MAC_SIZE      32

static enum whk_status shopify_check_secret(void *state, struct whk_span secret,
                                            int for_signing,
                                            struct whk_error *err)
{
    static const char *const tokens[] = {"shpat_", "shpca_", "shppa_",
                                         "shpua_"};

    (void)state;
    (void)for_signing;
    for (size_t i = 0; i < sizeof(tokens) / sizeof(*tokens); i++) {
        if (secret.len > 6 && memcmp(secret.ptr, tokens[i], 6) == 0)
            return whk_error_set(err, WHK_ERR_SECRET,
                                 "the secret starts with '%s', the prefix of "
                                 "an access token; webhooks are signed with "
                                 "the app's client secret (API secret key)",
                                 tokens[i]);
    }
    return whk_secret_check_pasted(secret, err);
}

static enum whk_status compute(struct whk_span secret,
                               const struct whk_request *req, char **base64,
                               struct whk_error *err)
{
    struct whk_span body;

    body.ptr = whk_request_body(req, &body.len);
    return whk_hmac_encoded(WHK_SHA256, secret.ptr, secret.len, &body, 1,
                            WHK_ENCODING_BASE64, base64, err);
}

static enum whk_status shopify_sign(void *state, const struct whk_context *ctx,
                                    struct whk_request *req,
                                    struct whk_span secret,
                                    struct whk_error *err)
{
    char *base64 = NULL;
    enum whk_status status;

    (void)state;
    (void)ctx;
    status = compute(secret, req, &base64, err);
    if (status != WHK_OK)
        return status;
    status = whk_request_set_header(req, SIGNATURE_HEADER, base64);
    whk_free(base64);
    return status;
}

static void shopify_verify(void *state, const struct whk_context *ctx,
                           const struct whk_request *req,
                           struct whk_span secret, struct whk_verdict *verdict)
{
    const char *name = SIGNATURE_HEADER;
    const char *value = whk_request_header(req, name);
    struct whk_error err = {0};
    char *expected = NULL;
    size_t body_len;

    (void)state;
    (void)ctx;
    if (value == NULL && (value = whk_request_header(req, EVENTS_HEADER)))
        name = EVENTS_HEADER;
    if (value == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header", SIGNATURE_HEADER);
        return;
    }
    if (shopify_check_secret(NULL, secret, 0, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return;
    }
    if (whk_signature_check_form(value, strlen(value), WHK_ENCODING_BASE64,
                                 MAC_SIZE, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is not a base64 HMAC-SHA256: %s", name, err.text);
        return;
    }
    whk_request_body(req, &body_len);
    if (body_len == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "the body is empty, but Shopify always sends a JSON "
                        "payload: the body was read before verification");
        return;
    }
    if (compute(secret, req, &expected, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED, "%s",
                        err.text);
        return;
    }

    if (whk_equal_ct(value, strlen(value), expected, strlen(expected)))
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s matches the HMAC-SHA256 of the %zu-byte body", name,
                        body_len);
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s does not match the HMAC-SHA256 of the %zu-byte "
                        "body",
                        name, body_len);
    whk_free(expected);
}

static const char *const shopify_headers[] = {SIGNATURE_HEADER, NULL};

WHK_DESCRIPTOR(shopify) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "shopify",
    .title = "Shopify",
    .summary = "App webhooks signed with X-Shopify-Hmac-Sha256",
    .docs_url = "https://shopify.dev/docs/apps/build/webhooks/"
                "verify-deliveries",
    .algorithm = "base64 HMAC-SHA256 of the body, keyed with the app's "
                 "client secret",
    .signature_headers = shopify_headers,
    .flags = WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "SHOPIFY_API_SECRET",
            .form = "the app's client secret, often 'shpss_' and 32 hex "
                    "digits, used as bytes",
            .where = "Partner Dashboard or Dev Dashboard > Apps > (your app) "
                     "> Settings > Client credentials > Secret",
        },
    .fields = shopify_fields,
    .samples = shopify_samples,
    .idempotency_keys = shopify_keys,
    .response =
        {
            .status = 200,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    .timeout_ms = 5000,
    .timeout_error = "the delivery counts as failed (1 s to connect, 5 s in "
                     "all) and is retried",
    .retries = "Shopify retries a failed delivery 8 times over 4 hours with "
               "exponential backoff, then may delete a subscription made "
               "through the Admin API",
    .tolerance_seconds = 0,
    .failures = shopify_failures,
    .check_secret = shopify_check_secret,
    .sign = shopify_sign,
    .verify = shopify_verify,
};
