/* SPDX-License-Identifier: MIT */
/* Mandrill's X-Mandrill-Signature: HMAC-SHA1 of the URL and sorted params. */
#include <stdlib.h>
#include <string.h>

#include <whk/whk.h>

#include "mandrill.h"

#define SIGNATURE_HEADER "X-Mandrill-Signature"
#define EVENTS_PARAM     "mandrill_events"
#define MAC_SIZE         20

static enum whk_status mandrill_check_secret(void *state,
                                             struct whk_span secret,
                                             int for_signing,
                                             struct whk_error *err)
{
    (void)state;
    (void)for_signing;
    /* Mailchimp Transactional API keys start with "md-". */
    if (secret.len > 3 && memcmp(secret.ptr, "md-", 3) == 0)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret starts with 'md-' like a Mailchimp "
                             "Transactional API key; Mandrill signs webhooks "
                             "with the webhook's own key (Settings > "
                             "Webhooks, Key column)");
    return whk_secret_check_pasted(secret, err);
}

/*
 * Computes base64(HMAC-SHA1(key, url + key1 + value1 + key2 + ...)) with
 * the POST parameters sorted by key, as Mandrill's documentation describes. The
 * parameters are compared as the text a Node.js receiver decodes.
 * NOTE: a repeated key contributes every value, sorted; Mandrill sends
 * only mandrill_events, and receivers differ here (PHP keeps the last
 * value, Express joins them with commas).
 */
static enum whk_status compute(struct whk_span secret, const char *url,
                               const struct whk_request *req, char **signature,
                               struct whk_error *err)
{
    size_t count = whk_request_param_count(req), n = 0;
    struct whk_param *params = NULL, *sorted = NULL;
    struct whk_span *parts = NULL;
    enum whk_status status = WHK_ERR_NO_MEMORY;

    params = malloc((count ? count : 1) * sizeof(*params));
    parts = malloc((1 + 2 * count) * sizeof(*parts));
    if (params == NULL || parts == NULL) {
        whk_error_set(err, status, "out of memory signing a Mandrill request");
        goto out;
    }
    for (size_t i = 0; i < count; i++)
        params[i] = *whk_request_param_at(req, i);
    status = whk_params_sorted_text(params, count, &sorted, err);
    if (status != WHK_OK)
        goto out;

    parts[n++] = (struct whk_span){url, strlen(url)};
    for (size_t i = 0; i < count; i++) {
        parts[n++] = (struct whk_span){sorted[i].key, sorted[i].key_len};
        parts[n++] = (struct whk_span){sorted[i].value, sorted[i].value_len};
    }
    status = whk_hmac_encoded(WHK_SHA1, secret.ptr, secret.len, parts, n,
                              WHK_ENCODING_BASE64, signature, err);

out:
    free(params);
    whk_free(sorted);
    free(parts);
    return status;
}

static enum whk_status mandrill_sign(void *state, const struct whk_context *ctx,
                                     struct whk_request *req,
                                     struct whk_span secret,
                                     struct whk_error *err)
{
    char *signature = NULL;
    enum whk_status status;

    (void)state;
    (void)ctx;
    if (whk_request_url(req) == NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "Mandrill signs the webhook URL exactly as "
                             "entered in its settings; give it with --url");
    status = compute(secret, whk_request_url(req), req, &signature, err);
    if (status == WHK_OK)
        status = whk_request_set_header(req, SIGNATURE_HEADER, signature);
    whk_free(signature);
    return status;
}

/* Returns 1 when the signature header equals the signature of url. */
static int matches(const struct whk_request *req, struct whk_span secret,
                   const char *url)
{
    const char *received = whk_request_header(req, SIGNATURE_HEADER);
    char *expected = NULL;
    int equal;

    if (compute(secret, url, req, &expected, NULL) != WHK_OK)
        return 0;
    /* Constant time, so that a forger learns nothing from the timing. */
    equal =
        whk_equal_ct(received, strlen(received), expected, strlen(expected));
    whk_free(expected);
    return equal;
}

/* Notes a body without mandrill_events, which Mandrill always posts. */
static void explain_mismatch(const struct whk_request *req,
                             struct whk_verdict *verdict)
{
    for (size_t i = 0; i < whk_request_param_count(req); i++) {
        if (strcmp(whk_request_param_at(req, i)->key, EVENTS_PARAM) == 0)
            return;
    }
    whk_verdict_add_note(verdict,
                         "the body has no %s form parameter; Mandrill posts "
                         "its events as application/x-www-form-urlencoded "
                         "%s=JSON",
                         EVENTS_PARAM, EVENTS_PARAM);
}

/* Checks that the header is base64 of 20 bytes, or sets the verdict. */
static int well_formed(const char *received, struct whk_verdict *verdict)
{
    struct whk_error err = {0};

    if (whk_signature_check_form(received, strlen(received),
                                 WHK_ENCODING_BASE64, MAC_SIZE, &err) == WHK_OK)
        return 1;
    whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                    "%s '%.60s' is not a base64 HMAC-SHA1 signature (28 "
                    "characters ending in '='): %s",
                    SIGNATURE_HEADER, received, err.text);
    return 0;
}

static void mandrill_verify(void *state, const struct whk_context *ctx,
                            const struct whk_request *req,
                            struct whk_span secret, struct whk_verdict *verdict)
{
    const char *url = whk_request_url(req);
    const char *received = whk_request_header(req, SIGNATURE_HEADER);
    struct whk_url_parts parts;
    struct whk_error err = {0};
    size_t count = whk_request_param_count(req);

    (void)state;
    (void)ctx;
    if (received == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header", SIGNATURE_HEADER);
        return;
    }
    if (url == NULL || whk_url_split(url, &parts, NULL) != WHK_OK) {
        whk_verdict_set(verdict, WHK_NOT_APPLICABLE, WHK_REASON_NONE,
                        "no absolute public URL to verify against");
        return;
    }
    if (mandrill_check_secret(NULL, secret, 0, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return;
    }
    if (!well_formed(received, verdict))
        return;

    if (matches(req, secret, url)) {
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s matches the HMAC-SHA1 of %s and the %zu sorted "
                        "POST parameter(s)",
                        SIGNATURE_HEADER, url, count);
        return;
    }
    whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                    "%s does not match the HMAC-SHA1 of %s and the %zu "
                    "sorted POST parameter(s)",
                    SIGNATURE_HEADER, url, count);
    explain_mismatch(req, verdict);
}

static const char *const mandrill_headers[] = {SIGNATURE_HEADER, NULL};

WHK_DESCRIPTOR(mandrill) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "mandrill",
    .title = "Mandrill (Mailchimp Transactional)",
    .summary = "Mailchimp Transactional (Mandrill) event webhooks signed "
               "with X-Mandrill-Signature",
    .docs_url = "https://mandrill.zendesk.com/hc/en-us/articles/"
                "360039232513-How-to-Authenticate-Webhook-Requests",
    .algorithm = "base64 HMAC-SHA1 of the webhook URL followed by each POST "
                 "parameter's key and value, sorted by key",
    .signature_headers = mandrill_headers,
    .flags = WHK_SIGNS_URL | WHK_SIGNS_PARAMS | WHK_NO_TIMEOUT,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "MANDRILL_WEBHOOK_KEY",
            .form = "the webhook's authentication key, a random string "
                    "generated when the webhook is added, used as bytes "
                    "(not the API key)",
            .where = "Mailchimp Transactional > Settings > Webhooks > (your "
                     "webhook) > Key column",
        },
    .fields = mandrill_fields,
    .samples = mandrill_samples,
    .idempotency_keys = mandrill_keys,
    .response =
        {
            .status = 200,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    .timeout_ms = 0,
    .timeout_error = NULL,
    .retries = "Mandrill retries a batch that fails automatically and shows "
               "it on the Webhooks page, where 'give up' stops the retries",
    .tolerance_seconds = 0,
    .failures = mandrill_failures,
    .check_secret = mandrill_check_secret,
    .sign = mandrill_sign,
    .verify = mandrill_verify,
    .challenges = mandrill_challenges,
};
