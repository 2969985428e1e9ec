/* SPDX-License-Identifier: MIT */
/* Amazon SNS: RSA signatures over named members of the JSON message. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whk/whk.h>

#include "sns.h"

/* SNS's own headers, set from the message and checked against it. */
#define TYPE_HEADER  "x-amz-sns-message-type"
#define ID_HEADER    "x-amz-sns-message-id"
#define TOPIC_HEADER "x-amz-sns-topic-arn"

/* Loads the private key to sign with, or the certificate to verify with. */
static enum whk_status load_key(struct whk_span secret, int for_signing,
                                struct whk_pkey **key, struct whk_error *err)
{
    if (for_signing)
        return whk_pkey_load_private(WHK_PKEY_RSA, secret.ptr, secret.len, key,
                                     err);
    return whk_pkey_load_public(WHK_PKEY_RSA, secret.ptr, secret.len, key, err);
}

static enum whk_status sns_check_secret(void *state, struct whk_span secret,
                                        int for_signing, struct whk_error *err)
{
    struct whk_pkey *key = NULL;
    enum whk_status status = load_key(secret, for_signing, &key, err);

    (void)state;
    whk_pkey_free(key);
    return status;
}

/* Returns the hash of SignatureVersion "1" or "2", or 0 for another. */
static enum whk_hash version_hash(const char *version)
{
    if (version != NULL && strcmp(version, "1") == 0)
        return WHK_SHA1;
    if (version != NULL && strcmp(version, "2") == 0)
        return WHK_SHA256;
    return 0;
}

/* A member's string value, or NULL. */
static const char *member(json_t *message, const char *name)
{
    return json_string_value(json_object_get(message, name));
}

/*
 * Returns the certificate URL to sign with: the message's own, else one on
 * the SNS host of the topic's region, with a made-up file name.
 */
static char *certificate_url(json_t *message)
{
    const char *url = member(message, "SigningCertURL");
    const char *arn = member(message, "TopicArn");
    char region[64] = "us-east-1", *made = NULL;

    if (url != NULL)
        return strdup(url);
    /* arn:PARTITION:sns:REGION:ACCOUNT:TOPIC */
    if (arn == NULL || sscanf(arn, "arn:%*[^:]:sns:%63[a-z0-9-]:", region) != 1)
        snprintf(region, sizeof(region), "us-east-1");
    if (asprintf(&made,
                 "https://sns.%s.amazonaws.com%s/"
                 "SimpleNotificationService-whk-test-certificate.pem",
                 region, strncmp(region, "cn-", 3) == 0 ? ".cn" : "") < 0)
        return NULL;
    return made;
}

/* A body being edited, and the parsed message kept in step with it. */
struct edit {
    char *body;
    size_t len;
    json_t *message;
};

/* Sets string member name in the body text and the parsed message. */
static enum whk_status set_member(struct edit *e, const char *name,
                                  const char *value, struct whk_error *err)
{
    size_t len = 0;
    char *body = sns_body_set(e->body, e->len, name, value, &len);

    if (body == NULL ||
        json_object_set_new(e->message, name, json_string(value)) != 0) {
        free(body);
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    free(e->body);
    e->body = body;
    e->len = len;
    return WHK_OK;
}

/* Writes the time of sending, the version and the certificate URL. */
static enum whk_status prepare(struct edit *e, const struct whk_context *ctx,
                               enum whk_hash *hash, struct whk_error *err)
{
    const char *version = member(e->message, "SignatureVersion");
    char timestamp[32], *url = NULL;
    enum whk_status status;

    *hash = version_hash(version ? version : "1");
    if (*hash == 0)
        return whk_error_set(err, WHK_ERR_UNSUPPORTED,
                             "SignatureVersion '%s' is neither 1 (RSA "
                             "SHA-1) nor 2 (RSA SHA-256)",
                             version);
    sns_format_time(whk_context_time(ctx), timestamp, sizeof(timestamp));
    status = set_member(e, "Timestamp", timestamp, err);
    if (status == WHK_OK && version == NULL)
        status = set_member(e, "SignatureVersion", "1", err);
    if (status == WHK_OK && member(e->message, "SigningCertURL") == NULL) {
        url = certificate_url(e->message);
        status = url ? set_member(e, "SigningCertURL", url, err)
                     : whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    free(url);
    return status;
}

/* Signs the string to sign with the PEM private key in secret. */
static enum whk_status sign_text(struct whk_span secret, enum whk_hash hash,
                                 const char *text, size_t len, char **encoded,
                                 struct whk_error *err)
{
    struct whk_span part = {text, len};
    struct whk_pkey *key = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    enum whk_status status = load_key(secret, 1, &key, err);

    if (status == WHK_OK)
        status = whk_pkey_set_hash(key, hash, err);
    if (status == WHK_OK)
        status = whk_pkey_sign(key, &part, 1, &sig, &sig_len, err);
    if (status == WHK_OK &&
        (*encoded = whk_base64_encode(sig, sig_len, 0)) == NULL)
        status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    whk_free(sig);
    whk_pkey_free(key);
    return status;
}

/* Sets SNS's headers from the message, as SNS sends them. */
static enum whk_status set_headers(struct whk_request *req, json_t *message)
{
    static const char *const pairs[][2] = {
        {TYPE_HEADER, "Type"},
        {ID_HEADER, "MessageId"},
        {TOPIC_HEADER, "TopicArn"},
    };
    enum whk_status status = WHK_OK;

    for (size_t i = 0; i < 3 && status == WHK_OK; i++) {
        const char *value = member(message, pairs[i][1]);

        if (value != NULL)
            status = whk_request_set_header(req, pairs[i][0], value);
    }
    return status;
}

/*
 * Signs the message in the body: stamps Timestamp with the time of
 * sending, fills SignatureVersion ("1") and SigningCertURL when absent,
 * and writes Signature, each in place in the body's text.
 */
static enum whk_status sns_sign(void *state, const struct whk_context *ctx,
                                struct whk_request *req, struct whk_span secret,
                                struct whk_error *err)
{
    struct edit e = {NULL, 0, NULL};
    const char *body = whk_request_body(req, &e.len);
    char *text = NULL, *signature = NULL;
    size_t text_len = 0;
    enum whk_hash hash;
    enum whk_status status;

    (void)state;
    e.message = sns_parse(body, e.len, err);
    if (e.message == NULL)
        return WHK_ERR_INVALID;
    e.body = malloc(e.len + 1);
    if (e.body == NULL) {
        status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
        goto out;
    }
    memcpy(e.body, body, e.len + 1);

    status = prepare(&e, ctx, &hash, err);
    if (status == WHK_OK &&
        (text = sns_string_to_sign(e.message, &text_len, NULL, 0, err)) == NULL)
        status = WHK_ERR_INVALID;
    if (status == WHK_OK)
        status = sign_text(secret, hash, text, text_len, &signature, err);
    if (status == WHK_OK)
        status = set_member(&e, "Signature", signature, err);
    if (status == WHK_OK)
        status = whk_request_set_body(req, e.body, e.len);
    if (status == WHK_OK)
        status = set_headers(req, e.message);

out:
    whk_free(signature);
    free(text);
    free(e.body);
    json_decref(e.message);
    return status;
}

/* Checks that SNS's headers, when present, name the signed message. */
static int check_headers(const struct whk_request *req, json_t *message,
                         struct whk_verdict *verdict)
{
    static const char *const pairs[][2] = {
        {TYPE_HEADER, "Type"},
        {ID_HEADER, "MessageId"},
        {TOPIC_HEADER, "TopicArn"},
    };

    for (size_t i = 0; i < 3; i++) {
        const char *header = whk_request_header(req, pairs[i][0]);
        const char *value = member(message, pairs[i][1]);

        if (header == NULL || (value != NULL && strcmp(header, value) == 0))
            continue;
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s '%s' differs from the message's %s '%s'; SNS "
                        "sends the same value in both, and the header is "
                        "not signed",
                        pairs[i][0], header, pairs[i][1],
                        value ? value : "(none)");
        return 0;
    }
    return 1;
}

/*
 * Checks Signature, SignatureVersion and SigningCertURL before the
 * signature itself. Returns the hash, or 0 with the verdict set.
 */
static enum whk_hash check_envelope(json_t *message,
                                    struct whk_verdict *verdict)
{
    const char *version = member(message, "SignatureVersion");
    const char *url = member(message, "SigningCertURL");
    char why[160];

    if (member(message, "Signature") == NULL || version == NULL ||
        url == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the message has no string member %s; SNS signs "
                        "every message it posts",
                        member(message, "Signature") == NULL ? "Signature"
                        : version == NULL ? "SignatureVersion"
                                          : "SigningCertURL");
        return 0;
    }
    if (version_hash(version) == 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED,
                        "SignatureVersion '%s' is neither 1 (RSA SHA-1) nor "
                        "2 (RSA SHA-256)",
                        version);
        return 0;
    }
    if (!sns_certificate_url_ok(url, why, sizeof(why))) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "SigningCertURL '%s' %s, so the certificate is not "
                        "SNS's: anyone can sign with a certificate of their "
                        "own",
                        url, why);
        return 0;
    }
    return version_hash(version);
}

/* SNS's libraries check no age, so whk does only with --tolerance. */
static int check_timestamp(const struct whk_context *ctx, json_t *message,
                           struct whk_verdict *verdict)
{
    const char *timestamp = member(message, "Timestamp");
    int64_t seconds;

    if (whk_context_tolerance(ctx) < 0)
        return 1;
    if (!sns_parse_time(timestamp, &seconds)) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "Timestamp '%s' is not an ISO 8601 UTC time such as "
                        "2024-10-02T07:20:11.123Z",
                        timestamp);
        return 0;
    }
    return whk_timestamp_check(ctx, seconds, 0, verdict);
}

/* Verifies the base64 Signature over text with the key in secret. */
static void check_signature(json_t *message, enum whk_hash hash,
                            struct whk_span secret, const char *text,
                            size_t len, const char *names,
                            struct whk_verdict *verdict)
{
    const char *encoded = member(message, "Signature");
    struct whk_span part = {text, len};
    struct whk_pkey *key = NULL;
    struct whk_error err = {0};
    unsigned char *sig = NULL;
    size_t sig_len = 0;

    if (whk_base64_decode(encoded, strlen(encoded), WHK_BASE64_STANDARD, &sig,
                          &sig_len, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "Signature is not base64: %s", err.text);
        return;
    }
    if (load_key(secret, 0, &key, &err) != WHK_OK ||
        whk_pkey_set_hash(key, hash, &err) != WHK_OK)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
    else if (whk_pkey_verify(key, &part, 1, sig, sig_len, &err) == WHK_OK)
        whk_verdict_set(
            verdict, WHK_VALID, WHK_REASON_MATCH,
            "Signature is a valid RSA %s signature (SignatureVersion "
            "%s) of the %s's %s under this certificate",
            whk_hash_name(hash), member(message, "SignatureVersion"),
            member(message, "Type"), names);
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "Signature is not a valid RSA %s signature of the "
                        "%s's %s under this certificate: %s",
                        whk_hash_name(hash), member(message, "Type"), names,
                        err.text);
    whk_free(sig);
    whk_pkey_free(key);
}

static void sns_verify(void *state, const struct whk_context *ctx,
                       const struct whk_request *req, struct whk_span secret,
                       struct whk_verdict *verdict)
{
    size_t len, text_len = 0;
    const char *body = whk_request_body(req, &len);
    struct whk_error err = {0};
    json_t *message = sns_parse(body, len, &err);
    char names[128] = "", *text = NULL;
    enum whk_hash hash;

    (void)state;
    if (message == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER, "%s",
                        err.text);
        return;
    }
    hash = check_envelope(message, verdict);
    if (hash == 0 || !check_headers(req, message, verdict))
        goto out;
    text = sns_string_to_sign(message, &text_len, names, sizeof(names), &err);
    if (text == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER, "%s",
                        err.text);
        goto out;
    }
    if (check_timestamp(ctx, message, verdict))
        check_signature(message, hash, secret, text, text_len, names, verdict);
    if (whk_verdict_status(verdict) == WHK_VALID &&
        strcmp(member(message, "Type"), "SubscriptionConfirmation") == 0)
        whk_verdict_add_note(verdict,
                             "to confirm the subscription, the app visits "
                             "SubscribeURL (an HTTPS GET to SNS) or calls "
                             "ConfirmSubscription with Token; whk visits "
                             "nothing");

out:
    free(text);
    json_decref(message);
}

static const char *const sns_headers[] = {TYPE_HEADER, ID_HEADER, TOPIC_HEADER,
                                          NULL};

WHK_DESCRIPTOR(sns) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "sns",
    .title = "Amazon SNS",
    .summary = "Amazon SNS HTTP(S) messages signed with RSA and a "
               "certificate from SigningCertURL",
    .docs_url = "https://docs.aws.amazon.com/sns/latest/dg/"
                "sns-verify-signature-of-message.html",
    .algorithm = "base64 RSA PKCS#1 v1.5 signature in the body's Signature, "
                 "SHA-1 (SignatureVersion 1) or SHA-256 (2), of "
                 "\"NAME\\nVALUE\\n\" for the members AWS lists per Type",
    .signature_headers = sns_headers,
    /*
     * The signature covers decoded member values, not the body's bytes, so
     * no WHK_SIGNS_* flag applies: a re-serialized body stays valid.
     */
    .flags = 0,
    .secret =
        {
            .kind = WHK_SECRET_PUBLIC_KEY,
            .env = "SNS_SIGNING_CERTIFICATE",
            .form = "the PEM certificate downloaded from the message's "
                    "SigningCertURL ('-----BEGIN CERTIFICATE-----')",
            .where = "the SigningCertURL of a message SNS sent "
                     "(https://sns.REGION.amazonaws.com/"
                     "SimpleNotificationService-....pem)",
        },
    .fields = sns_fields,
    .samples = sns_samples,
    .idempotency_keys = sns_keys,
    .response =
        {
            .status = 0,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    /* NOTE: no AWS page read for this plugin names the timeout: 15 s is
     * an estimate. */
    .timeout_ms = 15000,
    .timeout_error = "the delivery attempt counts as failed and is retried "
                     "under the subscription's delivery policy",
    .retries = "the default HTTP(S) delivery policy retries 3 times, 20 s "
               "apart, then drops the message (or sends it to the "
               "subscription's dead-letter queue); a delivery policy can "
               "change that, within an hour of retries in total",
    .tolerance_seconds = 0,
    .failures = sns_failures,
    .check_secret = sns_check_secret,
    .sign = sns_sign,
    .verify = sns_verify,
    .challenges = sns_challenges,
};
