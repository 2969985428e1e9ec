/* SPDX-License-Identifier: MIT */
/* Plivo's X-Plivo-Signature-V3: HMAC-SHA256 of URL, params and a nonce. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <whk/whk.h>

#include "plivo.h"

#define SIGNATURE_HEADER      "X-Plivo-Signature-V3"
#define MAIN_SIGNATURE_HEADER "X-Plivo-Signature-Ma-V3"
#define NONCE_HEADER          "X-Plivo-Signature-V3-Nonce"
#define MAC_SIZE              32
#define NONCE_DIGITS          20

/* A growing string for the signed text. */
struct text {
    char *ptr;
    size_t len, size;
    int failed;
};

static void append(struct text *t, const char *data, size_t len)
{
    if (t->failed)
        return;
    if (t->len + len + 1 > t->size) {
        size_t size = (t->len + len + 1) * 2;
        char *grown = realloc(t->ptr, size);

        if (grown == NULL) {
            t->failed = 1;
            return;
        }
        t->ptr = grown;
        t->size = size;
    }
    memcpy(t->ptr + t->len, data, len);
    t->len += len;
    t->ptr[t->len] = '\0';
}

/* Returns the offset of the first byte outside printable ASCII, or -1. */
static long first_non_ascii(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)text[i] < 0x21 || (unsigned char)text[i] > 0x7e)
            return (long)i;
    }
    return -1;
}

static enum whk_status plivo_check_secret(void *state, struct whk_span secret,
                                          int for_signing,
                                          struct whk_error *err)
{
    int upper = secret.len == 20;
    long offset = first_non_ascii(secret.ptr, secret.len);

    (void)state;
    (void)for_signing;
    for (size_t i = 0; upper && i < secret.len; i++)
        upper = (secret.ptr[i] >= 'A' && secret.ptr[i] <= 'Z') ||
                (secret.ptr[i] >= '0' && secret.ptr[i] <= '9');
    if (upper &&
        (memcmp(secret.ptr, "MA", 2) == 0 || memcmp(secret.ptr, "SA", 2) == 0))
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret looks like a Plivo Auth ID (20 "
                             "characters starting with MA or SA); Plivo "
                             "signs with the Auth Token shown beside it");
    if (whk_secret_check_pasted(secret, err) != WHK_OK)
        return WHK_ERR_SECRET;
    if (offset >= 0)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret has a byte outside printable ASCII "
                             "at offset %ld; a Plivo Auth Token is ASCII "
                             "letters and digits, so copy it again from the "
                             "console",
                             offset);
    return WHK_OK;
}

/* Appends "k1=v1&k2=v2" (or "k1v1k2v2") of the sorted text parameters. */
static enum whk_status append_params(struct text *t,
                                     const struct whk_param *params,
                                     size_t count, int as_query,
                                     struct whk_error *err)
{
    struct whk_param *sorted = NULL;
    enum whk_status status;

    status = whk_params_sorted_text(params, count, &sorted, err);
    if (status != WHK_OK)
        return status;
    for (size_t i = 0; i < count; i++) {
        if (as_query && i > 0)
            append(t, "&", 1);
        append(t, sorted[i].key, sorted[i].key_len);
        if (as_query)
            append(t, "=", 1);
        append(t, sorted[i].value, sorted[i].value_len);
    }
    whk_free(sorted);
    return WHK_OK;
}

/*
 * Appends the URL without user info and fragment, query sorted, decoded.
 * NOTE: plivo-node's URL parser cuts an IPv6 literal host at its first
 * ':', so it signs another text for such URLs than whk does here.
 */
static enum whk_status append_url(struct text *t,
                                  const struct whk_url_parts *url,
                                  int has_params, struct whk_error *err)
{
    struct whk_param *query = NULL;
    size_t count = 0;
    enum whk_status status;

    append(t, url->scheme.ptr, url->scheme.len);
    append(t, "://", 3);
    append(t, url->host.ptr, url->host.len);
    if (url->port.len > 0) {
        append(t, ":", 1);
        append(t, url->port.ptr, url->port.len);
    }
    append(t, url->path.ptr, url->path.len);

    if (url->query.ptr != NULL) {
        status = whk_form_decode(url->query.ptr, url->query.len, &query, &count,
                                 err);
        if (status != WHK_OK)
            return status;
    }
    if (count > 0 || has_params)
        append(t, "?", 1);
    status = append_params(t, query, count, 1, err);
    if (count > 0 && has_params)
        append(t, ".", 1);
    whk_free(query);
    return status;
}

/*
 * Builds the text that plivo-node 4.x's validateV3Signature signs: the
 * URL with its query parameters decoded and sorted ("?k=v&k=v"), then for
 * POST a "." and the sorted form parameters as keys and values with no
 * separator, then "." and the nonce. A GET signs no body parameters.
 */
static enum whk_status signed_text(const struct whk_request *req,
                                   const struct whk_url_parts *url,
                                   const char *nonce, struct text *t,
                                   struct whk_error *err)
{
    int post = strcmp(whk_request_method(req), "POST") == 0;
    size_t count = post ? whk_request_param_count(req) : 0;
    struct whk_param *params = malloc((count ? count : 1) * sizeof(*params));
    enum whk_status status = WHK_ERR_NO_MEMORY;

    if (params == NULL)
        goto out;
    for (size_t i = 0; i < count; i++)
        params[i] = *whk_request_param_at(req, i);

    status = append_url(t, url, count > 0, err);
    if (status == WHK_OK)
        status = append_params(t, params, count, 0, err);
    append(t, ".", 1);
    append(t, nonce, strlen(nonce));
    if (status == WHK_OK && t->failed)
        status = WHK_ERR_NO_MEMORY;

out:
    if (status == WHK_ERR_NO_MEMORY)
        whk_error_set(err, status, "out of memory signing a Plivo request");
    free(params);
    return status;
}

/*
 * Rejects what the scheme cannot sign: a method other than GET or POST,
 * which plivo-node rejects too, and a URL with bytes outside ASCII.
 * NOTE: plivo-node encodes such a URL (and nonce) as UTF-8 twice, so whk
 * requires the percent-encoded form that HTTP sends instead.
 * Returns WHK_OK or WHK_ERR_UNSUPPORTED.
 */
static enum whk_status check_request(const struct whk_request *req,
                                     const char *url, struct whk_error *err)
{
    const char *method = whk_request_method(req);

    if (strcmp(method, "POST") != 0 && strcmp(method, "GET") != 0)
        return whk_error_set(err, WHK_ERR_UNSUPPORTED,
                             "the method is %s, but Plivo calls back with "
                             "GET or POST only",
                             method);
    for (size_t i = 0; url[i] != '\0'; i++) {
        if ((unsigned char)url[i] >= 0x80)
            return whk_error_set(err, WHK_ERR_UNSUPPORTED,
                                 "the URL '%s' has a non-ASCII byte at "
                                 "offset %zu; give it percent-encoded, as "
                                 "HTTP sends it",
                                 url, i);
    }
    return WHK_OK;
}

/* Computes the base64 HMAC-SHA256 signature for nonce. */
static enum whk_status compute(const struct whk_request *req,
                               struct whk_span secret, const char *nonce,
                               char **signature, struct whk_error *err)
{
    const char *url = whk_request_url(req);
    struct whk_url_parts parts;
    struct text t = {0};
    struct whk_span whole;
    enum whk_status status;

    status = check_request(req, url, err);
    if (status == WHK_OK)
        status = whk_url_split(url, &parts, err);
    if (status == WHK_OK)
        status = signed_text(req, &parts, nonce, &t, err);
    if (status == WHK_OK) {
        whole = (struct whk_span){t.ptr, t.len};
        status = whk_hmac_encoded(WHK_SHA256, secret.ptr, secret.len, &whole, 1,
                                  WHK_ENCODING_BASE64, signature, err);
    }
    free(t.ptr);
    return status;
}

/* Stores the message id the user chose, or 20 random digits, in nonce. */
static enum whk_status make_nonce(const struct whk_context *ctx, char *nonce,
                                  size_t size, struct whk_error *err)
{
    const char *id = whk_context_id(ctx);
    unsigned char random[NONCE_DIGITS];

    if (id != NULL) {
        if (first_non_ascii(id, strlen(id)) >= 0 || *id == '\0' ||
            strlen(id) >= size)
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "the nonce '%s' from --id is not 1 to %zu "
                                 "printable ASCII characters",
                                 id, size - 1);
        snprintf(nonce, size, "%s", id);
        return WHK_OK;
    }
    if (whk_random_bytes(random, sizeof(random), err) != WHK_OK)
        return WHK_ERR_CRYPTO;
    for (size_t i = 0; i < NONCE_DIGITS; i++)
        nonce[i] = (char)('0' + random[i] % 10);
    nonce[NONCE_DIGITS] = '\0';
    return WHK_OK;
}

static enum whk_status plivo_sign(void *state, const struct whk_context *ctx,
                                  struct whk_request *req,
                                  struct whk_span secret, struct whk_error *err)
{
    char nonce[128], *signature = NULL;
    enum whk_status status;

    (void)state;
    if (whk_request_url(req) == NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "Plivo signs the callback URL; give it with "
                             "--url");
    status = make_nonce(ctx, nonce, sizeof(nonce), err);
    if (status == WHK_OK)
        status = compute(req, secret, nonce, &signature, err);
    if (status == WHK_OK)
        status = whk_request_set_header(req, NONCE_HEADER, nonce);
    /*
     * Plivo also sends X-Plivo-Signature-Ma-V3, signed with the main
     * account's token, which whk does not have. Verify accepts either.
     */
    if (status == WHK_OK)
        status = whk_request_set_header(req, SIGNATURE_HEADER, signature);
    whk_free(signature);
    return status;
}

/*
 * Returns the 1-based position of expected among the comma-separated
 * signatures in header, compared exactly as plivo-node does, or 0. Adds
 * the number of signatures and of malformed ones to *total and *malformed.
 */
static size_t find_signature(const char *name, const char *header,
                             const char *expected, size_t *total,
                             size_t *malformed, struct whk_verdict *verdict)
{
    size_t position = 0, match = 0;
    const char *piece = header;

    for (;;) {
        size_t len = strcspn(piece, ",");
        struct whk_error err = {0};

        position++;
        (*total)++;
        if (whk_signature_check_form(piece, len, WHK_ENCODING_BASE64, MAC_SIZE,
                                     &err) != WHK_OK) {
            (*malformed)++;
            whk_verdict_add_note(verdict,
                                 "signature %zu in %s is not a base64 "
                                 "HMAC-SHA256: %s",
                                 position, name, err.text);
        } else if (match == 0 &&
                   whk_equal_ct(piece, len, expected, strlen(expected))) {
            match = position;
        }
        if (piece[len] == '\0')
            break;
        piece += len + 1;
    }
    return match;
}

/* Checks the headers and the nonce's form, or sets the verdict. */
static int headers_present(const struct whk_request *req,
                           struct whk_verdict *verdict)
{
    const char *nonce = whk_request_header(req, NONCE_HEADER);

    if (whk_request_header(req, SIGNATURE_HEADER) == NULL &&
        whk_request_header(req, MAIN_SIGNATURE_HEADER) == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header (nor %s)",
                        SIGNATURE_HEADER, MAIN_SIGNATURE_HEADER);
        return 0;
    }
    if (nonce == NULL) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "the request has no %s header, which the signature "
                        "covers",
                        NONCE_HEADER);
        return 0;
    }
    if (*nonce == '\0' || first_non_ascii(nonce, strlen(nonce)) >= 0) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "%s '%.60s' is empty or has characters outside "
                        "printable ASCII; Plivo sends a string of digits",
                        NONCE_HEADER, nonce);
        return 0;
    }
    return 1;
}

/* Adds notes that explain a mismatch Plivo users commonly meet. */
static void explain_mismatch(const struct whk_request *req,
                             struct whk_verdict *verdict)
{
    char media[64];

    whk_request_media_type(req, media, sizeof(media));
    if (strcmp(whk_request_method(req), "POST") == 0 &&
        whk_request_param_count(req) == 0 && *media != '\0' &&
        strcmp(media, "application/x-www-form-urlencoded") != 0)
        whk_verdict_add_note(verdict,
                             "the body is %s, so no POST parameters were "
                             "signed; Plivo posts "
                             "application/x-www-form-urlencoded",
                             media);
    if (whk_request_header(req, MAIN_SIGNATURE_HEADER) != NULL)
        whk_verdict_add_note(verdict,
                             "%s is signed with the account's Auth Token "
                             "and %s with the main account's; a subaccount "
                             "has its own Auth Token",
                             SIGNATURE_HEADER, MAIN_SIGNATURE_HEADER);
}

/* Sets the verdict from the signatures in both headers. */
static void judge(const struct whk_request *req, const char *expected,
                  struct whk_verdict *verdict)
{
    static const char *const names[] = {SIGNATURE_HEADER,
                                        MAIN_SIGNATURE_HEADER};
    const char *url = whk_request_url(req);
    const char *nonce = whk_request_header(req, NONCE_HEADER);
    size_t total = 0, malformed = 0;
    size_t count = strcmp(whk_request_method(req), "POST") == 0
                       ? whk_request_param_count(req)
                       : 0;

    for (size_t i = 0; i < 2; i++) {
        const char *header = whk_request_header(req, names[i]);
        size_t match;

        if (header == NULL)
            continue;
        match = find_signature(names[i], header, expected, &total, &malformed,
                               verdict);
        if (match > 0) {
            whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                            "signature %zu in %s matches the HMAC-SHA256 of "
                            "%s with sorted query, %zu sorted POST "
                            "parameter(s) and nonce %s",
                            match, names[i], url, count, nonce);
            return;
        }
    }
    if (malformed == total) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MALFORMED_HEADER,
                        "no signature in %s is a base64 HMAC-SHA256 value "
                        "(44 characters ending in '=')",
                        SIGNATURE_HEADER);
        return;
    }
    whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISMATCH,
                    "no signature matches the HMAC-SHA256 of %s %s with "
                    "sorted query, %zu sorted POST parameter(s) and nonce %s",
                    whk_request_method(req), url, count, nonce);
    explain_mismatch(req, verdict);
}

static void plivo_verify(void *state, const struct whk_context *ctx,
                         const struct whk_request *req, struct whk_span secret,
                         struct whk_verdict *verdict)
{
    const char *url = whk_request_url(req);
    struct whk_url_parts parts;
    struct whk_error err = {0};
    char *expected = NULL;

    (void)state;
    (void)ctx;
    if (!headers_present(req, verdict))
        return;
    if (url == NULL || whk_url_split(url, &parts, NULL) != WHK_OK) {
        whk_verdict_set(verdict, WHK_NOT_APPLICABLE, WHK_REASON_NONE,
                        "no absolute public URL to verify against");
        return;
    }
    if (plivo_check_secret(NULL, secret, 0, &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_SECRET, "%s",
                        err.text);
        return;
    }
    if (compute(req, secret, whk_request_header(req, NONCE_HEADER), &expected,
                &err) != WHK_OK) {
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_UNSUPPORTED, "%s",
                        err.text);
        return;
    }
    judge(req, expected, verdict);
    whk_free(expected);
}

static const char *const plivo_headers[] = {
    SIGNATURE_HEADER, MAIN_SIGNATURE_HEADER, NONCE_HEADER, NULL};

WHK_DESCRIPTOR(plivo) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "plivo",
    .title = "Plivo",
    .summary = "Plivo Voice and Messaging callbacks signed with "
               "X-Plivo-Signature-V3",
    .docs_url = "https://www.plivo.com/docs/voice/xml/request/validation",
    .algorithm = "base64 HMAC-SHA256 of the URL with sorted query, \".\" "
                 "and the sorted POST parameters, then \".\" and "
                 "X-Plivo-Signature-V3-Nonce",
    .signature_headers = plivo_headers,
    .flags = WHK_SIGNS_URL | WHK_SIGNS_PARAMS | WHK_NO_TIMEOUT,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "PLIVO_AUTH_TOKEN",
            .form = "the account's Auth Token, 40 ASCII letters and digits, "
                    "used as bytes",
            .where = "Plivo console > Overview > Account > Auth Token",
        },
    .fields = plivo_fields,
    .samples = plivo_samples,
    .idempotency_keys = plivo_keys,
    .response =
        {
            .status = 200,
            .content_type = "application/xml",
            .body = "<Response></Response>",
            .format = "xml",
        },
    .timeout_ms = 0,
    .timeout_error = NULL,
    .retries = "for a call, Plivo requests the application's Fallback "
               "Answer URL when the Answer URL fails, if one is set",
    .tolerance_seconds = 0,
    .failures = plivo_failures,
    .check_secret = plivo_check_secret,
    .sign = plivo_sign,
    .verify = plivo_verify,
};
