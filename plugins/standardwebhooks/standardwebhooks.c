/* SPDX-License-Identifier: MIT */
/* Standard Webhooks (and Svix): "v1," + base64 HMAC-SHA256 of "ID.TS.BODY". */
#include <stdio.h>
#include <string.h>

#include <whk/whk.h>

#include "standardwebhooks.h"

#define SECRET_PREFIX "whsec_"
#define TOLERANCE     300
#define MAC_SIZE      32
#define ID_BYTES      16

/* The three headers, under one of the two naming conventions. */
struct names {
    const char *id;
    const char *timestamp;
    const char *signature;
};

static const struct names webhook_names = {"webhook-id", "webhook-timestamp",
                                           "webhook-signature"};
static const struct names svix_names = {"svix-id", "svix-timestamp",
                                        "svix-signature"};

static enum whk_status
standardwebhooks_init(const char *entry_json, void **state,
                      const struct whk_descriptor **declarations,
                      struct whk_error *err)
{
    char *prefix = NULL;
    enum whk_status status;

    *state = (void *)&webhook_names;
    status = whk_json_member_string(entry_json, "header_prefix", &prefix, err);
    if (status == WHK_ERR_NOT_FOUND)
        return WHK_OK;
    if (status != WHK_OK)
        return status;
    if (strcmp(prefix, "svix") == 0) {
        *state = (void *)&svix_names;
        *declarations = &svix_declarations;
    } else if (strcmp(prefix, "webhook") != 0) {
        status = whk_error_set(err, WHK_ERR_CONFIG,
                               "\"header_prefix\" is \"%s\"; use \"webhook\" "
                               "or \"svix\"",
                               prefix);
    }
    whk_free(prefix);
    return status;
}

static enum whk_status decode_secret(struct whk_span secret,
                                     unsigned char **key, size_t *key_len,
                                     struct whk_error *err)
{
    return whk_secret_decode_base64(secret, SECRET_PREFIX, 0, key, key_len,
                                    err);
}

static enum whk_status check_secret(void *state, struct whk_span secret,
                                    int for_signing, struct whk_error *err)
{
    unsigned char *key = NULL;
    size_t key_len;
    enum whk_status status = decode_secret(secret, &key, &key_len, err);

    (void)state;
    (void)for_signing;
    whk_free(key);
    return status;
}

/* Computes base64 HMAC-SHA256 of "ID.TIMESTAMP.BODY" with the decoded key. */
static enum whk_status compute(struct whk_span secret, const char *id,
                               int64_t timestamp, const struct whk_request *req,
                               char **base64, struct whk_error *err)
{
    char ts[24];
    struct whk_span parts[5] = {{id, strlen(id)}, {".", 1}, {ts, 0}, {".", 1}};
    unsigned char *key = NULL;
    size_t key_len;
    enum whk_status status;

    status = decode_secret(secret, &key, &key_len, err);
    if (status != WHK_OK)
        return status;
    parts[2].len =
        (size_t)snprintf(ts, sizeof(ts), "%lld", (long long)timestamp);
    parts[4].ptr = whk_request_body(req, &parts[4].len);
    status = whk_hmac_encoded(WHK_SHA256, key, key_len, parts, 5,
                              WHK_ENCODING_BASE64, base64, err);
    whk_free(key);
    return status;
}

/* Stores a new message id "msg_" + 32 hex digits in id. */
static enum whk_status new_id(char *id, size_t size, struct whk_error *err)
{
    unsigned char bytes[ID_BYTES];
    char *hex;

    if (whk_random_bytes(bytes, sizeof(bytes), err) != WHK_OK)
        return WHK_ERR_CRYPTO;
    hex = whk_hex_encode(bytes, sizeof(bytes));
    if (hex == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    snprintf(id, size, "msg_%s", hex);
    whk_free(hex);
    return WHK_OK;
}

static enum whk_status sign(void *state, const struct whk_context *ctx,
                            struct whk_request *req, struct whk_span secret,
                            struct whk_error *err)
{
    const struct names *names = state;
    const char *id = whk_context_id(ctx);
    char generated[48], ts[24], value[64], *mac = NULL;
    int64_t now = whk_context_time(ctx);
    enum whk_status status;

    if (id == NULL) {
        status = new_id(generated, sizeof(generated), err);
        if (status != WHK_OK)
            return status;
        id = generated;
    }
    status = compute(secret, id, now, req, &mac, err);
    if (status != WHK_OK)
        return status;
    snprintf(ts, sizeof(ts), "%lld", (long long)now);
    snprintf(value, sizeof(value), "v1,%s", mac);
    whk_free(mac);

    status = whk_request_set_header(req, names->id, id);
    if (status == WHK_OK)
        status = whk_request_set_header(req, names->timestamp, ts);
    if (status == WHK_OK)
        status = whk_request_set_header(req, names->signature, value);
    return status;
}

/*
 * Picks the naming convention the request uses: the provider's own when
 * its signature header is present, else the other one.
 */
static const struct names *pick_names(const struct names *own,
                                      const struct whk_request *req)
{
    const struct names *other =
        own == &svix_names ? &webhook_names : &svix_names;

    if (whk_request_header(req, own->signature) == NULL &&
        whk_request_header(req, other->signature) != NULL)
        return other;
    return own;
}

/* Reads the three headers, or sets the verdict and returns 0. */
static int read_headers(const struct names *names,
                        const struct whk_request *req, const char **id,
                        int64_t *timestamp, const char **signature,
                        struct whk_verdict *verdict)
{
    const char *ts = whk_request_header(req, names->timestamp);
    const char *missing = NULL;

    *id = whk_request_header(req, names->id);
    *signature = whk_request_header(req, names->signature);
    if (*signature == NULL)
        missing = names->signature;
    else if (*id == NULL)
        missing = names->id;
    else if (ts == NULL)
        missing = names->timestamp;
    if (missing != NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header", missing);
        return 0;
    }
    if (!whk_parse_int64(ts, strlen(ts), timestamp)) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s '%s' is not a whole number of seconds",
                        names->timestamp, ts);
        return 0;
    }
    return 1;
}

/* Returns the 1-based position of the matching v1 signature, or 0. */
static size_t find_match(const char *header_name, const char *signature,
                         const char *expected, struct whk_verdict *verdict)
{
    struct whk_header_item items[WHK_HEADER_MAX_ITEMS];
    struct whk_error err = {0};
    size_t count, v1 = 0, malformed = 0;

    if (whk_header_items_parse(signature, ' ', ',', items, WHK_HEADER_MAX_ITEMS,
                               &count, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s is not a list of 'v1,BASE64' signatures: %s",
                        header_name, err.text);
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        const struct whk_span *v = &items[i].value;

        if (items[i].key.len != 2 || memcmp(items[i].key.ptr, "v1", 2) != 0)
            continue;
        v1++;
        if (whk_signature_check_form(v->ptr, v->len, WHK_ENCODING_BASE64,
                                     MAC_SIZE, &err) != WHK_OK) {
            malformed++;
            whk_verdict_add_note(verdict,
                                 "signature %zu in %s is not a base64 "
                                 "HMAC-SHA256: %s",
                                 items[i].position, header_name, err.text);
            continue;
        }
        if (whk_equal_ct(v->ptr, v->len, expected, strlen(expected)))
            return items[i].position;
    }
    if (v1 == 0 || malformed == v1)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        v1 == 0 ? "%s has no 'v1,' signature (other "
                                  "versions, such as v1a, are not verified)"
                                : "no 'v1,' value in %s is a base64 "
                                  "HMAC-SHA256",
                        header_name);
    return 0;
}

static void verify(void *state, const struct whk_context *ctx,
                   const struct whk_request *req, struct whk_span secret,
                   struct whk_verdict *verdict)
{
    const struct names *names = pick_names(state, req);
    const char *id, *signature;
    struct whk_error err = {0};
    char *expected = NULL;
    int64_t timestamp;
    size_t match, body_len;

    if (!read_headers(names, req, &id, &timestamp, &signature, verdict))
        return;
    if (compute(secret, id, timestamp, req, &expected, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID,
                        err.status == WHK_ERR_SECRET ? WHK_REASON_SECRET
                                                     : WHK_REASON_UNSUPPORTED,
                        "%s", err.text);
        return;
    }
    if (!whk_timestamp_check(ctx, timestamp, TOLERANCE, verdict)) {
        whk_free(expected);
        return;
    }

    whk_request_body(req, &body_len);
    match = find_match(names->signature, signature, expected, verdict);
    whk_free(expected);
    if (match > 0)
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "signature %zu in %s matches the HMAC-SHA256 of "
                        "'%s.%lld.' and the %zu-byte body",
                        match, names->signature, id, (long long)timestamp,
                        body_len);
    else if (whk_verdict_status(verdict) != WHK_INVALID)
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "no v1 signature in %s matches the HMAC-SHA256 of "
                        "'%s.%lld.' and the %zu-byte body",
                        names->signature, id, (long long)timestamp, body_len);
}

static const char *const headers[] = {"webhook-id", "webhook-timestamp",
                                      "webhook-signature", NULL};

WHK_DESCRIPTOR(standardwebhooks) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "standardwebhooks",
    .title = "Standard Webhooks",
    .summary = "webhook-id/-timestamp/-signature (and svix-*) signed "
               "webhooks",
    .docs_url = "https://github.com/standard-webhooks/standard-webhooks/"
                "blob/main/spec/standard-webhooks.md",
    .algorithm = "\"v1,\" + base64 HMAC-SHA256 of \"ID.TIMESTAMP.BODY\" "
                 "keyed with the base64-decoded secret after whsec_; any "
                 "signature in the space-separated list may match",
    .signature_headers = headers,
    .flags = WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "WEBHOOK_SECRET",
            .form = "'whsec_' followed by base64 of 24 to 64 random bytes",
            .where = "the sender's dashboard, on the endpoint's page "
                     "(Signing Secret)",
        },
    .fields = standardwebhooks_fields,
    .samples = standardwebhooks_samples,
    .idempotency_keys = standardwebhooks_keys,
    .response =
        {
            .status = 0,
            .content_type = NULL,
            .body = "",
            .format = NULL,
        },
    .timeout_ms = 15000,
    .timeout_error = "the attempt counts as failed and is retried",
    .retries = "the sender retries failed attempts with exponential "
               "backoff, keeping webhook-id and re-signing each attempt "
               "with a new timestamp",
    .tolerance_seconds = TOLERANCE,
    .failures = standardwebhooks_failures,
    .init = standardwebhooks_init,
    .check_secret = check_secret,
    .sign = sign,
    .verify = verify,
};
