/* SPDX-License-Identifier: MIT */
/* GitLab's X-Gitlab-Token: the webhook's secret token itself, unsigned. */
#include <stdlib.h>
#include <string.h>

#include <whk/whk.h>

#include "gitlab.h"

#define TOKEN_HEADER "X-Gitlab-Token"

/*
 * GitLab sends the token as a header value, which cannot hold control
 * characters, so a secret with one never matches.
 */
static enum whk_status gitlab_check_secret(void *state, struct whk_span secret,
                                           int for_signing,
                                           struct whk_error *err)
{
    enum whk_status status = whk_secret_check_pasted(secret, err);

    (void)state;
    (void)for_signing;
    if (status != WHK_OK)
        return status;
    for (size_t i = 0; i < secret.len; i++) {
        unsigned char c = (unsigned char)secret.ptr[i];

        if (c < 0x20 || c == 0x7f)
            return whk_error_set(err, WHK_ERR_SECRET,
                                 "the secret token contains a control "
                                 "character at offset %zu, which an HTTP "
                                 "header cannot carry; use the token as "
                                 "typed in GitLab's Secret token field",
                                 i);
    }
    return WHK_OK;
}

/* Adds the token itself, as GitLab does: there is nothing to compute. */
static enum whk_status gitlab_sign(void *state, const struct whk_context *ctx,
                                   struct whk_request *req,
                                   struct whk_span secret,
                                   struct whk_error *err)
{
    enum whk_status status = gitlab_check_secret(state, secret, 1, err);
    char *token;

    (void)ctx;
    if (status != WHK_OK)
        return status;
    token = strndup(secret.ptr, secret.len);
    if (token == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    status = whk_request_set_header(req, TOKEN_HEADER, token);
    free(token);
    if (status != WHK_OK)
        return whk_error_set(err, status, "cannot set %s", TOKEN_HEADER);
    return WHK_OK;
}

/* Returns 0, with the verdict set, for a token absent, repeated or redacted. */
static int check_header(const struct whk_request *req,
                        struct whk_verdict *verdict)
{
    const char *token = whk_request_header(req, TOKEN_HEADER);

    if (token == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header; GitLab sends it "
                        "only when the webhook's Secret token field is set",
                        TOKEN_HEADER);
        return 0;
    }
    if (whk_request_header_nth(req, TOKEN_HEADER, 1) != NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "the request has more than one %s header; GitLab "
                        "sends exactly one",
                        TOKEN_HEADER);
        return 0;
    }
    if (strcmp(token, WHK_REDACTED) == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s reads '%s': whk listen keeps no secret in its "
                        "capture log, so this record's token cannot be "
                        "checked again; its verdict on arrival is in the "
                        "record, and 'whk replay --resign' sends it with "
                        "the secret",
                        TOKEN_HEADER, WHK_REDACTED);
        return 0;
    }
    return 1;
}

static void gitlab_verify(void *state, const struct whk_context *ctx,
                          const struct whk_request *req, struct whk_span secret,
                          struct whk_verdict *verdict)
{
    const char *token = whk_request_header(req, TOKEN_HEADER);
    struct whk_error err = {0};

    (void)state;
    (void)ctx;
    if (!check_header(req, verdict))
        return;
    if (gitlab_check_secret(NULL, secret, 0, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return;
    }
    /* Timing must not tell a forger how much of a guess was right. */
    if (whk_equal_ct(token, strlen(token), secret.ptr, secret.len))
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s equals the secret token (compared in constant "
                        "time); GitLab signs nothing, so the body is not "
                        "covered",
                        TOKEN_HEADER);
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s differs from the secret token; GitLab sends "
                        "the Secret token field's value as-is",
                        TOKEN_HEADER);
}

static const char *const gitlab_headers[] = {TOKEN_HEADER, NULL};

WHK_DESCRIPTOR(gitlab) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "gitlab",
    .title = "GitLab",
    .summary = "GitLab webhooks with the secret token in X-Gitlab-Token",
    .docs_url = "https://docs.gitlab.com/user/project/integrations/webhooks/",
    .algorithm = "no signature: X-Gitlab-Token carries the secret token "
                 "itself, compared in constant time",
    .signature_headers = gitlab_headers,
    .flags = WHK_SENDS_SECRET,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "GITLAB_WEBHOOK_SECRET",
            .form = "any text you choose, such as 32 random hexadecimal "
                    "characters; GitLab sends it unchanged",
            .where = "Settings > Webhooks > (your webhook) > Secret token "
                     "(in the project or group)",
        },
    .fields = gitlab_fields,
    .samples = gitlab_samples,
    .idempotency_keys = gitlab_keys,
    .response =
        {
            .status = 0,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    .timeout_ms = 10000,
    .timeout_error = "Recent events shows an internal error "
                     "(Net::ReadTimeout) and the webhook is disabled for a "
                     "while",
    .retries = "GitLab documents no retry schedule but warns of duplicates "
               "after a timeout; 4 consecutive failures disable the "
               "webhook, for 1 minute up to 24 hours after 5xx answers and "
               "timeouts, and until it is re-enabled after 4xx answers; "
               "Resend Request in Recent events sends a delivery again with "
               "the same Idempotency-Key",
    .tolerance_seconds = 0,
    .failures = gitlab_failures,
    .check_secret = gitlab_check_secret,
    .sign = gitlab_sign,
    .verify = gitlab_verify,
};
