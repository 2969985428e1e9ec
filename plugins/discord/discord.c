/* SPDX-License-Identifier: MIT */
/* Discord's interactions endpoint: Ed25519 over "TIMESTAMP" + "BODY". */
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "discord.h"

#define SIGNATURE_HEADER "X-Signature-Ed25519"
#define TIMESTAMP_HEADER "X-Signature-Timestamp"

/* Loads the private key to sign with, or the public key to verify with. */
static enum whk_status load_key(struct whk_span secret, int for_signing,
                                struct whk_pkey **key, struct whk_error *err)
{
    if (for_signing)
        return whk_pkey_load_private(WHK_PKEY_ED25519, secret.ptr, secret.len,
                                     key, err);
    return whk_pkey_load_public(WHK_PKEY_ED25519, secret.ptr, secret.len, key,
                                err);
}

static enum whk_status discord_check_secret(void *state, struct whk_span secret,
                                            int for_signing,
                                            struct whk_error *err)
{
    struct whk_pkey *key = NULL;
    enum whk_status status = load_key(secret, for_signing, &key, err);

    (void)state;
    whk_pkey_free(key);
    return status;
}

static enum whk_status discord_sign(void *state, const struct whk_context *ctx,
                                    struct whk_request *req,
                                    struct whk_span secret,
                                    struct whk_error *err)
{
    char timestamp[24], *hex = NULL;
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
    if (status == WHK_OK && (hex = whk_hex_encode(sig, sig_len)) == NULL)
        status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    if (status == WHK_OK)
        status = whk_request_set_header(req, TIMESTAMP_HEADER, timestamp);
    if (status == WHK_OK)
        status = whk_request_set_header(req, SIGNATURE_HEADER, hex);
    whk_free(hex);
    whk_free(sig);
    whk_pkey_free(key);
    return status;
}

/*
 * discord-interactions checks no timestamp age, so whk checks one only when
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

/* Decodes the 128 hex digits, or sets the verdict and returns 0. */
static int decode_signature(const char *value, unsigned char **sig,
                            size_t *sig_len, struct whk_verdict *verdict)
{
    struct whk_error err = {0};

    if (whk_signature_check_form(value, strlen(value), WHK_ENCODING_HEX, 64,
                                 &err) != WHK_OK ||
        whk_hex_decode(value, strlen(value), sig, sig_len, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is not a hex Ed25519 signature: %s",
                        SIGNATURE_HEADER, err.text);
        return 0;
    }
    return 1;
}

static void discord_verify(void *state, const struct whk_context *ctx,
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
                        "%s is a valid Ed25519 signature of '%s' and the "
                        "%zu-byte body",
                        SIGNATURE_HEADER, timestamp, parts[1].len);
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s is not a valid signature of '%s' and the "
                        "%zu-byte body under this public key: %s",
                        SIGNATURE_HEADER, timestamp, parts[1].len, err.text);

out:
    whk_free(sig);
    whk_pkey_free(key);
}

static const char *const discord_headers[] = {SIGNATURE_HEADER,
                                              TIMESTAMP_HEADER, NULL};

WHK_DESCRIPTOR(discord) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "discord",
    .title = "Discord",
    .summary = "Interactions endpoint requests signed with Ed25519 "
               "(X-Signature-Ed25519)",
    .docs_url = "https://discord.com/developers/docs/interactions/"
                "overview#setting-up-an-endpoint-validating-security-"
                "request-headers",
    .algorithm = "hex Ed25519 signature of TIMESTAMP followed by the body",
    .signature_headers = discord_headers,
    .flags = WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_PUBLIC_KEY,
            .env = "DISCORD_PUBLIC_KEY",
            .form = "64 hexadecimal characters (the application's Ed25519 "
                    "public key)",
            .where = "Discord Developer Portal > Applications > (your app) "
                     "> General Information > Public Key",
        },
    .fields = discord_fields,
    .samples = discord_samples,
    .idempotency_keys = discord_keys,
    .response =
        {
            .status = 200,
            .content_type = "application/json",
            .body = "{\"type\":1}",
            .format = "json",
        },
    .timeout_ms = 3000,
    .timeout_error = "the user sees 'The application did not respond' and "
                     "the interaction token can no longer answer",
    .retries = "Discord does not retry interactions; it also sends requests "
               "with invalid signatures and removes the endpoint URL if "
               "they are accepted",
    .tolerance_seconds = 0,
    .failures = discord_failures,
    .check_secret = discord_check_secret,
    .sign = discord_sign,
    .verify = discord_verify,
    .challenges = discord_challenges,
};
