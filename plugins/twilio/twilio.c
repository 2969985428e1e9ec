/* SPDX-License-Identifier: MIT */
/* Twilio's X-Twilio-Signature: HMAC of the URL and sorted POST parameters. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <whk/whk.h>

#include "twilio.h"

#define SIGNATURE_HEADER "X-Twilio-Signature"
#define SETTINGS_HEADER  "X-Twilio-Webhooks-Signature-Settings"

/*
 * Picks the hash from the SharedKey settings header
 * ("key=...,algorithm=HMAC_SHA256"). No header, or one without a non-empty
 * algorithm, means the auth token's HMAC-SHA1, as in twilio-node 6.2.
 * Returns 0 and stores the algorithm's name when it is not supported.
 */
static int pick_hash(const struct whk_request *req, enum whk_hash *hash,
                     char *name, size_t name_size)
{
    const char *settings = whk_request_header(req, SETTINGS_HEADER);
    const char *part = settings;

    *hash = WHK_SHA1;
    snprintf(name, name_size, "HMAC_SHA1");
    while (part != NULL && *part != '\0') {
        size_t len = strcspn(part, ",");
        const char *equals = memchr(part, '=', len);

        if (equals != NULL) {
            const char *key = part, *value = equals + 1;
            const char *key_end = equals, *value_end = part + len;

            while (key < key_end && isspace((unsigned char)*key))
                key++;
            while (key_end > key && isspace((unsigned char)key_end[-1]))
                key_end--;
            while (value < value_end && isspace((unsigned char)*value))
                value++;
            while (value_end > value && isspace((unsigned char)value_end[-1]))
                value_end--;
            if (key_end - key == 9 && memcmp(key, "algorithm", 9) == 0 &&
                value_end > value) {
                snprintf(name, name_size, "%.*s", (int)(value_end - value),
                         value);
            }
        }
        part = part[len] ? part + len + 1 : NULL;
    }

    if (strcasecmp(name, "HMAC_SHA1") == 0)
        return 1;
    if (strcasecmp(name, "HMAC_SHA256") == 0) {
        *hash = WHK_SHA256;
        return 1;
    }
    return 0;
}

/* Returns 1 when a and b have identical keys and values. */
static int same_pair(const struct whk_param *a, const struct whk_param *b)
{
    return a->key_len == b->key_len && a->value_len == b->value_len &&
           memcmp(a->key, b->key, a->key_len) == 0 &&
           memcmp(a->value, b->value, a->value_len) == 0;
}

/*
 * Computes base64(HMAC(secret, url + key1 + value1 + key2 + ...)) with
 * keys sorted as twilio-node 6.x sorts them (by UTF-16 code units, like
 * twilio-java), over the text that Express decodes from the form. A
 * repeated key contributes each distinct value once, values sorted, which
 * is what twilio-node 6.x does with the arrays that Express builds for
 * repeated keys.
 */
static enum whk_status compute(enum whk_hash hash, struct whk_span secret,
                               const char *url, const struct whk_request *req,
                               int with_params, char **signature,
                               struct whk_error *err)
{
    size_t count = with_params ? whk_request_param_count(req) : 0;
    struct whk_param *params = NULL, *sorted = NULL;
    struct whk_span *parts = NULL;
    unsigned char mac[WHK_DIGEST_MAX_SIZE];
    size_t mac_len, n = 0;
    enum whk_status status = WHK_ERR_NO_MEMORY;

    params = malloc((count ? count : 1) * sizeof(*params));
    parts = malloc((1 + 2 * count) * sizeof(*parts));
    if (params == NULL || parts == NULL)
        goto out;
    for (size_t i = 0; i < count; i++)
        params[i] = *whk_request_param_at(req, i);
    status = whk_params_sorted_text(params, count, &sorted, err);
    if (status != WHK_OK)
        goto out;

    parts[n++] = (struct whk_span){url, strlen(url)};
    for (size_t i = 0; i < count; i++) {
        if (i > 0 && same_pair(&sorted[i - 1], &sorted[i]))
            continue;
        parts[n++] = (struct whk_span){sorted[i].key, sorted[i].key_len};
        parts[n++] = (struct whk_span){sorted[i].value, sorted[i].value_len};
    }

    status =
        whk_hmac(hash, secret.ptr, secret.len, parts, n, mac, &mac_len, err);
    if (status != WHK_OK)
        goto out;
    *signature = whk_base64_encode(mac, mac_len, WHK_BASE64_STANDARD);
    if (*signature == NULL)
        status = WHK_ERR_NO_MEMORY;

out:
    if (status == WHK_ERR_NO_MEMORY)
        whk_error_set(err, status, "out of memory signing a Twilio request");
    free(params);
    whk_free(sorted);
    free(parts);
    return status;
}

/* Returns the lowercase hex SHA-256 of the body, or NULL. */
static char *body_sha256(const struct whk_request *req)
{
    struct whk_span body;
    unsigned char digest[WHK_DIGEST_MAX_SIZE];
    size_t len;

    body.ptr = whk_request_body(req, &body.len);
    if (whk_digest(WHK_SHA256, &body, 1, digest, &len, NULL) != WHK_OK)
        return NULL;
    return whk_hex_encode(digest, len);
}

static int is_json(const struct whk_request *req)
{
    char media[64];
    size_t len;

    whk_request_media_type(req, media, sizeof(media));
    len = strlen(media);
    return strcmp(media, "application/json") == 0 ||
           (len > 5 && strcmp(media + len - 5, "+json") == 0);
}

/* Appends "bodySHA256=HEX" to the query of the request's URL. */
static enum whk_status add_body_hash(struct whk_request *req, const char *hex,
                                     struct whk_error *err)
{
    const char *url = whk_request_url(req);
    struct whk_url_parts parts;
    char *signed_url;
    size_t end;
    enum whk_status status;

    if (whk_url_split(url, &parts, err) != WHK_OK)
        return WHK_ERR_INVALID;
    if (parts.fragment.ptr != NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "the URL '%s' has a fragment; remove the '#...' "
                             "part, which HTTP never sends",
                             url);

    end = strlen(url);
    signed_url = malloc(end + sizeof("&bodySHA256=") + strlen(hex));
    if (signed_url == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    sprintf(signed_url, "%s%sbodySHA256=%s", url,
            parts.query.ptr == NULL ? "?"
            : parts.query.len == 0  ? ""
                                    : "&",
            hex);
    status = whk_request_set_url(req, signed_url);
    free(signed_url);
    return status;
}

/*
 * For a JSON body, Twilio adds the body's SHA-256 to the URL as bodySHA256
 * and signs the URL alone. Returns WHK_OK and sets *url_only when the
 * request is signed that way.
 */
static enum whk_status prepare_json(struct whk_request *req, int *url_only,
                                    struct whk_error *err)
{
    char *present = NULL, *hex = NULL;
    enum whk_status status = WHK_OK;

    *url_only = 0;
    if (whk_url_query_get(whk_request_url(req), "bodySHA256", &present, NULL) !=
            WHK_OK &&
        !is_json(req))
        return WHK_OK;

    *url_only = 1;
    hex = body_sha256(req);
    if (hex == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    if (present == NULL)
        status = add_body_hash(req, hex, err);
    else if (strcmp(present, hex) != 0)
        status = whk_error_set(err, WHK_ERR_INVALID,
                               "the URL's bodySHA256 is '%s', but the body's "
                               "SHA-256 is '%s'; remove bodySHA256 from the "
                               "URL and whk adds the right one",
                               present, hex);
    whk_free(present);
    whk_free(hex);
    return status;
}

static enum whk_status twilio_sign(void *state, const struct whk_context *ctx,
                                   struct whk_request *req,
                                   struct whk_span secret,
                                   struct whk_error *err)
{
    enum whk_hash hash;
    char algorithm[64], *signature = NULL;
    int url_only;
    enum whk_status status;

    (void)state;
    (void)ctx;
    if (whk_request_url(req) == NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "Twilio signs the public URL; give it with "
                             "--url");
    if (!pick_hash(req, &hash, algorithm, sizeof(algorithm)))
        return whk_error_set(err, WHK_ERR_UNSUPPORTED,
                             "%s names algorithm '%s'; Twilio uses "
                             "HMAC_SHA1 or HMAC_SHA256",
                             SETTINGS_HEADER, algorithm);

    status = prepare_json(req, &url_only, err);
    if (status != WHK_OK)
        return status;
    status = compute(hash, secret, whk_request_url(req), req, !url_only,
                     &signature, err);
    if (status == WHK_OK)
        status = whk_request_set_header(req, SIGNATURE_HEADER, signature);
    whk_free(signature);
    return status;
}

/* Names what the signature covers besides the URL, for verdicts. */
static const char *params_phrase(const struct whk_request *req, int url_only)
{
    if (url_only)
        return " (with bodySHA256)";
    return whk_request_param_count(req) > 0 ? " and the POST parameters"
                                            : " (no POST parameters)";
}

/* Adds notes that explain a mismatch Twilio users commonly meet. */
static void explain_mismatch(const struct whk_request *req,
                             struct whk_span secret, int url_only,
                             struct whk_verdict *verdict)
{
    int hex = secret.len == 32;

    for (size_t i = 0; hex && i < secret.len; i++)
        hex = strchr("0123456789abcdefABCDEF", secret.ptr[i]) != NULL;

    if (is_json(req) && !url_only)
        whk_verdict_add_note(verdict,
                             "the body is JSON but the URL has no bodySHA256 "
                             "parameter; Twilio signs a JSON body by adding "
                             "bodySHA256=<SHA-256 of the body> to the URL, "
                             "so verify with that URL");
    if (whk_request_header(req, SETTINGS_HEADER) != NULL)
        whk_verdict_add_note(verdict,
                             "the request carries %s, so Twilio signed it "
                             "with a SharedKey secret, not the auth token",
                             SETTINGS_HEADER);
    else if (!hex && secret.len >= 2 && memcmp(secret.ptr, "AC", 2) == 0)
        whk_verdict_add_note(verdict,
                             "the secret starts with 'AC' like an Account "
                             "SID; Twilio signs with the auth token");
    else if (!hex)
        whk_verdict_add_note(verdict,
                             "the secret is not 32 hexadecimal characters, "
                             "the form of a Twilio auth token");
}

/* Checks the body against bodySHA256 after the URL's signature matched. */
static void check_body_hash(const struct whk_request *req, const char *url,
                            struct whk_verdict *verdict)
{
    char *expected = NULL, *actual = body_sha256(req);

    whk_url_query_get(url, "bodySHA256", &expected, NULL);
    if (actual == NULL || expected == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_BODY_HASH,
                        "could not compute the body's SHA-256");
    } else if (!whk_equal_ct(actual, strlen(actual), expected,
                             strlen(expected))) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_BODY_HASH,
                        "the signature matches the URL, but the body's "
                        "SHA-256 is %s while the URL's bodySHA256 is %s: the "
                        "body changed after Twilio sent it (re-serialized "
                        "JSON?); hash the raw body bytes",
                        actual, expected);
    }
    whk_free(expected);
    whk_free(actual);
}

/*
 * Returns 1 when the signature matches url, computed as the official SDKs
 * do: over the URL as given, then over its port variant. Stores in
 * *matched the URL that matched (released with whk_free()).
 */
static int match_url(const struct whk_request *req, enum whk_hash hash,
                     struct whk_span secret, const char *url,
                     const struct whk_url_parts *parts, int url_only,
                     char **matched)
{
    const char *received = whk_request_header(req, SIGNATURE_HEADER);
    char *candidates[2];
    int found = -1;

    candidates[0] = strdup(url);
    candidates[1] = parts->port.ptr ? whk_url_without_port(url)
                                    : whk_url_with_default_port(url);
    for (int i = 0; i < 2 && found < 0; i++) {
        char *expected = NULL;

        if (candidates[i] == NULL ||
            compute(hash, secret, candidates[i], req, !url_only, &expected,
                    NULL) != WHK_OK)
            continue;
        if (whk_equal_ct(received, strlen(received), expected,
                         strlen(expected)))
            found = i;
        whk_free(expected);
    }

    *matched = found >= 0 ? candidates[found] : NULL;
    for (int i = 0; i < 2; i++) {
        if (i != found)
            whk_free(candidates[i]);
    }
    return found >= 0;
}

/*
 * Checks that the signature header is base64 of a digest of the right
 * size, and notes a repeated header, which frameworks join with ", ".
 */
static int well_formed(const struct whk_request *req, enum whk_hash hash,
                       struct whk_verdict *verdict)
{
    const char *received = whk_request_header(req, SIGNATURE_HEADER);
    unsigned char *bytes = NULL;
    size_t len = 0;
    int ok = whk_base64_decode(received, strlen(received), WHK_BASE64_STANDARD,
                               &bytes, &len, NULL) == WHK_OK &&
             len == whk_hash_size(hash);

    whk_free(bytes);
    if (!ok) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s '%.60s' is not the base64 of an HMAC-%s value "
                        "(%zu characters ending in '=')",
                        SIGNATURE_HEADER, received, whk_hash_name(hash),
                        (whk_hash_size(hash) + 2) / 3 * 4);
        return 0;
    }
    if (whk_request_header_nth(req, SIGNATURE_HEADER, 1) != NULL)
        whk_verdict_add_note(verdict,
                             "the request has more than one %s header; whk "
                             "checks the first, but most frameworks join "
                             "repeated headers with \", \", which then "
                             "fails",
                             SIGNATURE_HEADER);
    return 1;
}

static void twilio_verify(void *state, const struct whk_context *ctx,
                          const struct whk_request *req, struct whk_span secret,
                          struct whk_verdict *verdict)
{
    const char *url = whk_request_url(req);
    char algorithm[64], *present = NULL, *matched = NULL;
    enum whk_hash hash;
    int url_only;
    struct whk_url_parts parts;

    (void)state;
    (void)ctx;
    if (whk_request_header(req, SIGNATURE_HEADER) == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header", SIGNATURE_HEADER);
        return;
    }
    if (url == NULL || whk_url_split(url, &parts, NULL) != WHK_OK) {
        whk_verdict_set(verdict, WHK_NOT_APPLICABLE, WHK_REASON_NONE,
                        "no absolute public URL to verify against");
        return;
    }
    if (!pick_hash(req, &hash, algorithm, sizeof(algorithm))) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED,
                        "%s names algorithm '%s'; whk knows HMAC_SHA1 and "
                        "HMAC_SHA256",
                        SETTINGS_HEADER, algorithm);
        return;
    }
    if (!well_formed(req, hash, verdict))
        return;
    url_only = whk_url_query_get(url, "bodySHA256", &present, NULL) == WHK_OK;
    whk_free(present);

    if (!match_url(req, hash, secret, url, &parts, url_only, &matched)) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                        "%s does not match the HMAC-%s signature of %s%s, "
                        "nor of the URL with its port %s",
                        SIGNATURE_HEADER, whk_hash_name(hash), url,
                        params_phrase(req, url_only),
                        parts.port.ptr ? "removed" : "made explicit");
        explain_mismatch(req, secret, url_only, verdict);
        return;
    }

    whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                    "%s matches the HMAC-%s signature of %s%s",
                    SIGNATURE_HEADER, whk_hash_name(hash), matched,
                    params_phrase(req, url_only));
    if (strcmp(matched, url) != 0)
        whk_verdict_add_note(verdict, "matched with the port %s",
                             parts.port.ptr ? "removed" : "added");
    if (url_only)
        check_body_hash(req, matched, verdict);
    whk_free(matched);
}

static const char *const twilio_headers[] = {SIGNATURE_HEADER, NULL};

WHK_DESCRIPTOR(twilio) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "twilio",
    .title = "Twilio",
    .summary = "Messaging and Voice webhooks signed with X-Twilio-Signature",
    .docs_url = "https://www.twilio.com/docs/usage/webhooks/webhooks-security",
    .algorithm = "base64 HMAC-SHA1 (HMAC-SHA256 with a SharedKey) of the URL "
                 "followed by the sorted POST parameters",
    .signature_headers = twilio_headers,
    .flags = WHK_SIGNS_URL | WHK_SIGNS_PARAMS,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "TWILIO_AUTH_TOKEN",
            .form = "32 hexadecimal characters (the auth token)",
            .where = "Twilio Console > Account Info > Auth Token",
        },
    .fields = twilio_fields,
    .samples = twilio_samples,
    .idempotency_keys = twilio_keys,
    .response =
        {
            .status = 200,
            .content_type = "text/xml",
            .body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    "<Response></Response>",
            .format = "xml",
        },
    .timeout_ms = 15000,
    .timeout_error = "error 11200 (HTTP retrieval failure)",
    .retries = "Twilio does not retry by default; connection overrides on "
               "the URL (such as #rc=3) ask for retries, and a failed "
               "request goes to the fallback URL when one is set",
    .tolerance_seconds = 0,
    .failures = twilio_failures,
    .sign = twilio_sign,
    .verify = twilio_verify,
};
