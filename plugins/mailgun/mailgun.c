/* SPDX-License-Identifier: MIT */
/* Mailgun's signature in the body: hex HMAC-SHA256 of timestamp and token. */
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "mailgun.h"

#define MAC_SIZE 32
/* Mailgun's tokens are 50 characters; whk writes 25 random bytes in hex. */
#define TOKEN_BYTES 25

static enum whk_status mailgun_check_secret(void *state, struct whk_span secret,
                                            int for_signing,
                                            struct whk_error *err)
{
    (void)state;
    (void)for_signing;
    if (secret.len > 7 && memcmp(secret.ptr, "pubkey-", 7) == 0)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret is Mailgun's public validation key "
                             "(pubkey-...); webhooks are signed with the "
                             "HTTP webhook signing key");
    return whk_secret_check_pasted(secret, err);
}

/* Computes hex(HMAC-SHA256(secret, TIMESTAMP TOKEN)). */
static enum whk_status compute(struct whk_span secret, struct whk_span ts,
                               struct whk_span token, char **hex,
                               struct whk_error *err)
{
    struct whk_span parts[2] = {ts, token};

    return whk_hmac_encoded(WHK_SHA256, secret.ptr, secret.len, parts, 2,
                            WHK_ENCODING_HEX, hex, err);
}

/* The token is the context's message id, else 50 random hex digits. */
static enum whk_status mailgun_sign(void *state, const struct whk_context *ctx,
                                    struct whk_request *req,
                                    struct whk_span secret,
                                    struct whk_error *err)
{
    unsigned char random[TOKEN_BYTES];
    char timestamp[24], *random_hex = NULL, *hex = NULL;
    const char *token = whk_context_id(ctx);
    enum whk_status status = WHK_OK;

    (void)state;
    if (token == NULL) {
        status = whk_random_bytes(random, sizeof(random), err);
        if (status == WHK_OK &&
            (random_hex = whk_hex_encode(random, sizeof(random))) == NULL)
            status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
        token = random_hex;
    }
    snprintf(timestamp, sizeof(timestamp), "%lld",
             (long long)whk_context_time(ctx));

    if (status == WHK_OK)
        status =
            compute(secret, (struct whk_span){timestamp, strlen(timestamp)},
                    (struct whk_span){token, strlen(token)}, &hex, err);
    if (status == WHK_OK)
        status = mailgun_fields_write(req, timestamp, token, hex, err);
    whk_free(hex);
    whk_free(random_hex);
    return status;
}

/* Sets the verdict for fields that cannot be read. */
static void unreadable(enum whk_status status, const struct whk_error *err,
                       struct whk_verdict *verdict)
{
    enum whk_reason reason = WHK_REASON_MALFORMED_HEADER;

    if (status == WHK_ERR_NOT_FOUND)
        reason = WHK_REASON_MISSING_HEADER;
    else if (status == WHK_ERR_UNSUPPORTED)
        reason = WHK_REASON_UNSUPPORTED;
    whk_verdict_set(verdict, WHK_INVALID, reason, "%s%s", err->text,
                    status == WHK_ERR_NOT_FOUND
                        ? "; Mailgun signs every webhook in its body"
                        : "");
}

/*
 * Checks the timestamp and the signature's form, or sets the verdict and
 * returns 0. Mailgun documents no tolerance, so the age is checked only
 * when the user chose one with --tolerance.
 */
static int well_formed(const struct whk_context *ctx,
                       const struct mailgun_fields *f,
                       struct whk_verdict *verdict)
{
    const char *ts_name = mailgun_field_name(f->json, MAILGUN_TIMESTAMP);
    const char *sig_name = mailgun_field_name(f->json, MAILGUN_SIGNATURE);
    struct whk_error err = {0};
    int64_t seconds;

    if (!whk_parse_int64(f->value[MAILGUN_TIMESTAMP], f->len[MAILGUN_TIMESTAMP],
                         &seconds)) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s '%s' is not a whole number of seconds", ts_name,
                        f->value[MAILGUN_TIMESTAMP]);
        return 0;
    }
    if (whk_context_tolerance(ctx) > 0 &&
        !whk_timestamp_check(ctx, seconds, 0, verdict))
        return 0;
    if (whk_signature_check_form(f->value[MAILGUN_SIGNATURE],
                                 f->len[MAILGUN_SIGNATURE], WHK_ENCODING_HEX,
                                 MAC_SIZE, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is not a hex HMAC-SHA256: %s", sig_name, err.text);
        return 0;
    }
    return 1;
}

/* Compares the expected hex digits with field, which may be absent. */
static int matches(const struct mailgun_fields *f, enum mailgun_field field,
                   const char *expected)
{
    return f->value[field] != NULL &&
           whk_equal_ct(f->value[field], f->len[field], expected, 2 * MAC_SIZE);
}

static void judge(const struct mailgun_fields *f, const char *expected,
                  struct whk_verdict *verdict)
{
    const char *sig_name = mailgun_field_name(f->json, MAILGUN_SIGNATURE);
    const char *ts = f->value[MAILGUN_TIMESTAMP];
    size_t token_len = f->len[MAILGUN_TOKEN];

    if (matches(f, MAILGUN_SIGNATURE, expected)) {
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s matches the HMAC-SHA256 of the timestamp %s and "
                        "the %zu-character token",
                        sig_name, ts, token_len);
    } else if (matches(f, MAILGUN_PARENT_SIGNATURE, expected)) {
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "%s matches the HMAC-SHA256 of the timestamp %s and "
                        "the %zu-character token: the key is the primary "
                        "account's",
                        mailgun_field_name(1, MAILGUN_PARENT_SIGNATURE), ts,
                        token_len);
    } else {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s does not match the HMAC-SHA256 of the timestamp "
                        "%s and the %zu-character token",
                        sig_name, ts, token_len);
        return;
    }
    whk_verdict_add_note(verdict,
                         "the signature covers the timestamp and token "
                         "only, not the event data; reject a token seen "
                         "before to stop replays");
}

static void mailgun_verify(void *state, const struct whk_context *ctx,
                           const struct whk_request *req,
                           struct whk_span secret, struct whk_verdict *verdict)
{
    struct mailgun_fields f;
    struct whk_error err = {0};
    enum whk_status status;
    char *expected = NULL;

    (void)state;
    status = mailgun_fields_read(req, &f, &err);
    if (status != WHK_OK) {
        unreadable(status, &err, verdict);
        return;
    }
    if (mailgun_check_secret(NULL, secret, 0, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        goto out;
    }
    if (!well_formed(ctx, &f, verdict))
        goto out;

    status = compute(
        secret,
        (struct whk_span){f.value[MAILGUN_TIMESTAMP], f.len[MAILGUN_TIMESTAMP]},
        (struct whk_span){f.value[MAILGUN_TOKEN], f.len[MAILGUN_TOKEN]},
        &expected, &err);
    if (status != WHK_OK)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED, "%s",
                        err.text);
    else
        judge(&f, expected, verdict);

out:
    whk_free(expected);
    mailgun_fields_clear(&f);
}

static const char *const mailgun_headers[] = {NULL};

WHK_DESCRIPTOR(mailgun) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "mailgun",
    .title = "Mailgun",
    .summary = "Mailgun event webhooks signed inside the body",
    .docs_url = "https://documentation.mailgun.com/docs/mailgun/user-manual/"
                "webhooks/securing-webhooks",
    .algorithm = "hex HMAC-SHA256 of TIMESTAMP followed by TOKEN, all three "
                 "in the body's signature object (or form fields)",
    .signature_headers = mailgun_headers,
    .flags = WHK_SIGNATURE_IN_BODY | WHK_NO_TIMEOUT,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "MAILGUN_WEBHOOK_SIGNING_KEY",
            .form = "the HTTP webhook signing key as shown, used as bytes",
            .where = "Mailgun > Send > Sending > Domain settings > Webhook "
                     "signing key",
        },
    .fields = mailgun_fields,
    .samples = mailgun_samples,
    .idempotency_keys = mailgun_keys,
    .response =
        {
            .status = 200,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    .timeout_ms = 0,
    .timeout_error = NULL,
    .retries = "any status but 200 and 406 is retried for 8 hours, after 5, "
               "10 and 15 minutes and 1, 2 and 4 hours; 406 rejects the "
               "webhook for good; delivered events are not retried",
    .tolerance_seconds = 0,
    .failures = mailgun_failures,
    .check_secret = mailgun_check_secret,
    .sign = mailgun_sign,
    .verify = mailgun_verify,
};
