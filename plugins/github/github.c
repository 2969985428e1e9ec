/* SPDX-License-Identifier: MIT */
/* GitHub's X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the body. */
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "github.h"

#define SHA256_HEADER "X-Hub-Signature-256"
#define SHA1_HEADER   "X-Hub-Signature"

/* One of the two headers GitHub signs with. */
struct scheme {
    const char *header;
    const char *prefix; /* "sha256=" */
    enum whk_hash hash;
};

static const struct scheme schemes[] = {
    {SHA256_HEADER, "sha256=", WHK_SHA256},
    {SHA1_HEADER, "sha1=", WHK_SHA1},
};

static enum whk_status github_check_secret(void *state, struct whk_span secret,
                                           int for_signing,
                                           struct whk_error *err)
{
    static const char *const tokens[] = {"ghp_", "gho_", "ghs_", "github_pat_"};

    (void)state;
    (void)for_signing;
    for (size_t i = 0; i < sizeof(tokens) / sizeof(*tokens); i++) {
        size_t len = strlen(tokens[i]);

        if (secret.len > len && memcmp(secret.ptr, tokens[i], len) == 0)
            return whk_error_set(err, WHK_ERR_SECRET,
                                 "the secret starts with '%s', the prefix of "
                                 "a GitHub access token; webhooks are signed "
                                 "with the text typed into the webhook's "
                                 "Secret field",
                                 tokens[i]);
    }
    return whk_secret_check_pasted(secret, err);
}

/* Computes the hex HMAC of the body with the scheme's hash. */
static enum whk_status compute(const struct scheme *scheme,
                               struct whk_span secret,
                               const struct whk_request *req, char **hex,
                               struct whk_error *err)
{
    struct whk_span body;

    body.ptr = whk_request_body(req, &body.len);
    return whk_hmac_encoded(scheme->hash, secret.ptr, secret.len, &body, 1,
                            WHK_ENCODING_HEX, hex, err);
}

/* Sets both headers, as GitHub does for every delivery. */
static enum whk_status github_sign(void *state, const struct whk_context *ctx,
                                   struct whk_request *req,
                                   struct whk_span secret,
                                   struct whk_error *err)
{
    enum whk_status status = WHK_OK;

    (void)state;
    (void)ctx;
    for (size_t i = 0; i < 2 && status == WHK_OK; i++) {
        char *hex = NULL, line[160];

        status = compute(&schemes[i], secret, req, &hex, err);
        if (status != WHK_OK)
            break;
        snprintf(line, sizeof(line), "%s%s", schemes[i].prefix, hex);
        whk_free(hex);
        status = whk_request_set_header(req, schemes[i].header, line);
    }
    return status;
}

/* Checks the "PREFIX" + hex form, or sets the verdict and returns 0. */
static int check_form(const struct scheme *scheme, const char *value,
                      struct whk_verdict *verdict)
{
    size_t prefix_len = strlen(scheme->prefix);
    struct whk_error err = {0};

    if (strncmp(value, scheme->prefix, prefix_len) != 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s does not start with '%s'", scheme->header,
                        scheme->prefix);
        return 0;
    }
    value += prefix_len;
    if (whk_signature_check_form(value, strlen(value), WHK_ENCODING_HEX,
                                 whk_hash_size(scheme->hash), &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is not '%s' and a hex HMAC-%s: %s", scheme->header,
                        scheme->prefix, whk_hash_name(scheme->hash), err.text);
        return 0;
    }
    return 1;
}

/* Picks X-Hub-Signature-256, or the legacy header when only it is sent. */
static const struct scheme *pick(const struct whk_request *req,
                                 const char **value)
{
    for (size_t i = 0; i < 2; i++) {
        *value = whk_request_header(req, schemes[i].header);
        if (*value != NULL)
            return &schemes[i];
    }
    return NULL;
}

static void github_verify(void *state, const struct whk_context *ctx,
                          const struct whk_request *req, struct whk_span secret,
                          struct whk_verdict *verdict)
{
    struct whk_error err = {0};
    const struct scheme *scheme;
    const char *value;
    char *expected = NULL;
    size_t body_len;

    (void)state;
    (void)ctx;
    scheme = pick(req, &value);
    if (scheme == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header", SHA256_HEADER);
        return;
    }
    if (github_check_secret(NULL, secret, 0, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return;
    }
    if (!check_form(scheme, value, verdict))
        return;
    whk_request_body(req, &body_len);
    if (body_len == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "the body is empty, but GitHub always sends a JSON "
                        "or form payload: the body was read before "
                        "verification");
        return;
    }
    if (compute(scheme, secret, req, &expected, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED, "%s",
                        err.text);
        return;
    }

    value += strlen(scheme->prefix);
    if (whk_equal_ct(value, strlen(value), expected, strlen(expected)))
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s matches the HMAC-%s of the %zu-byte body",
                        scheme->header, whk_hash_name(scheme->hash), body_len);
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s does not match the HMAC-%s of the %zu-byte body",
                        scheme->header, whk_hash_name(scheme->hash), body_len);
    if (scheme->hash == WHK_SHA1)
        whk_verdict_add_note(verdict,
                             "only the legacy %s (HMAC-SHA1) is present; "
                             "GitHub sends %s with every delivery, so a "
                             "proxy may have dropped it",
                             SHA1_HEADER, SHA256_HEADER);
    whk_free(expected);
}

static const char *const github_headers[] = {SHA256_HEADER, SHA1_HEADER, NULL};

WHK_DESCRIPTOR(github) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "github",
    .title = "GitHub",
    .summary = "Repository, organization and app webhooks signed with "
               "X-Hub-Signature-256",
    .docs_url = "https://docs.github.com/en/webhooks/using-webhooks/"
                "validating-webhook-deliveries",
    .algorithm = "\"sha256=\" + hex HMAC-SHA256 of the body (legacy "
                 "X-Hub-Signature: \"sha1=\" + HMAC-SHA1)",
    .signature_headers = github_headers,
    .flags = WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "GITHUB_WEBHOOK_SECRET",
            .form = "any text chosen when the webhook was created, used as "
                    "bytes",
            .where = "Settings > Webhooks > (your webhook) > Secret (GitHub "
                     "never shows it again: set a new one if it is lost)",
        },
    .fields = github_fields,
    .samples = github_samples,
    .idempotency_keys = github_keys,
    .response =
        {
            .status = 0,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    .timeout_ms = 10000,
    .timeout_error = "the delivery is recorded as failed ('timed out') under "
                     "Recent Deliveries",
    .retries = "GitHub does not redeliver failed deliveries automatically; "
               "redeliver them from Recent Deliveries or through the REST "
               "API",
    .tolerance_seconds = 0,
    .failures = github_failures,
    .check_secret = github_check_secret,
    .sign = github_sign,
    .verify = github_verify,
};
