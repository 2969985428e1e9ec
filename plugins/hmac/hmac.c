/* SPDX-License-Identifier: MIT */
/* The generic HMAC module: one plugin, a provider per providers.d entry. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

/* The members an entry of this module may have. */
static const char *const entry_keys[] = {"name",          "title",
                                         "module",        "summary",
                                         "source",        "docs_url",
                                         "notes",         "algorithm",
                                         "scheme",        "challenges",
                                         "secret",        "fields",
                                         "samples",       "idempotency_keys",
                                         "response",      "timeout_ms",
                                         "timeout_error", "retries",
                                         "failures",      NULL};

static void hmac_fini(void *state)
{
    struct hmac_state *st = state;

    if (st == NULL)
        return;
    arena_free(&st->arena);
    json_decref(st->root);
    free(st);
}

static enum whk_status parse_entry(struct hmac_state *st, struct whk_error *err)
{
    struct path top = {""}, at;
    enum whk_status status;

    status = check_keys(st->root, &top, entry_keys, err);
    path_child(&at, &top, "scheme");
    if (status == WHK_OK)
        status = scheme_parse(json_object_get(st->root, "scheme"), &at,
                              &st->arena, &st->scheme, err);
    if (status == WHK_OK)
        status = declarations_parse(st->root, &st->scheme, &st->arena,
                                    &st->declarations, err);
    path_child(&at, &top, "challenges");
    if (status == WHK_OK)
        status =
            challenges_parse(json_object_get(st->root, "challenges"), &at,
                             &st->arena, &st->declarations.challenges, err);
    return status;
}

static enum whk_status hmac_init(const char *entry_json, void **state,
                                 const struct whk_descriptor **declarations,
                                 struct whk_error *err)
{
    struct hmac_state *st = calloc(1, sizeof(*st));
    json_error_t detail;
    enum whk_status status;

    if (st == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    st->root = json_loads(entry_json, JSON_REJECT_DUPLICATES, &detail);
    if (!json_is_object(st->root)) {
        status = whk_error_set(err, WHK_ERR_CONFIG,
                               "the entry is not a JSON object: %s",
                               st->root ? "another JSON type" : detail.text);
        goto out;
    }
    status = parse_entry(st, err);

out:
    if (status != WHK_OK) {
        hmac_fini(st);
        return status;
    }
    *state = st;
    *declarations = &st->declarations;
    return WHK_OK;
}

static enum whk_status hmac_check_secret(void *state, struct whk_span secret,
                                         int for_signing, struct whk_error *err)
{
    struct key key;
    enum whk_status status = key_from_secret(state, secret, &key, err);

    (void)for_signing;
    key_clear(&key);
    return status;
}

/* Encodes mac as the scheme sends it; NULL when memory runs out. */
static char *encode_mac(const struct scheme *s, const unsigned char *mac,
                        size_t len)
{
    switch (s->encoding) {
    case SIGNATURE_HEX:
        return whk_hex_encode(mac, len);
    case SIGNATURE_BASE64:
        return whk_base64_encode(mac, len, WHK_BASE64_STANDARD);
    case SIGNATURE_BASE64URL:
        break;
    }
    return whk_base64_encode(mac, len, WHK_BASE64_URL | WHK_BASE64_NOPAD);
}

enum whk_status hmac_compute(const struct hmac_state *st, const struct key *key,
                             const struct expansion *values, unsigned char *mac,
                             size_t *mac_len, const char **missing,
                             struct whk_error *err)
{
    const struct template *t = &st->scheme.signed_bytes;
    struct whk_span *parts = calloc(t->count + 1, sizeof(*parts));
    enum whk_status status;

    if (parts == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    *missing = template_spans(t, values, parts);
    if (*missing != NULL)
        status = whk_error_set(err, WHK_ERR_INVALID,
                               "the request has no %s header, which the "
                               "signature covers",
                               *missing);
    else
        status = whk_hmac(st->scheme.hash, key->ptr, key->len, parts, t->count,
                          mac, mac_len, err);
    free(parts);
    return status;
}

/* Writes a new message id in the scheme's format. */
static enum whk_status new_id(enum id_format format, char *id, size_t size,
                              struct whk_error *err)
{
    unsigned char bytes[16];
    char *hex;

    if (whk_random_bytes(bytes, sizeof(bytes), err) != WHK_OK)
        return WHK_ERR_CRYPTO;
    hex = whk_hex_encode(bytes, sizeof(bytes));
    if (hex == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    if (format == ID_MSG)
        snprintf(id, size, "msg_%s", hex);
    else
        snprintf(id, size, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
                 hex + 16, hex + 20);
    whk_free(hex);
    return WHK_OK;
}

/* Sets the id and timestamp headers that the signature covers. */
static enum whk_status
sign_inputs(const struct scheme *s, const struct whk_context *ctx,
            struct whk_request *req, struct expansion *values, char *id,
            size_t id_size, char *ts, size_t ts_size, struct whk_error *err)
{
    enum whk_status status = WHK_OK;

    timestamp_format(s->timestamp_unit, whk_context_time(ctx), ts, ts_size);
    values->timestamp = (struct whk_span){ts, strlen(ts)};
    if (s->id_header != NULL) {
        if (whk_context_id(ctx) != NULL)
            snprintf(id, id_size, "%s", whk_context_id(ctx));
        else
            status = new_id(s->id_format, id, id_size, err);
        if (status == WHK_OK)
            status = whk_request_set_header(req, s->id_header, id);
        values->id = (struct whk_span){id, strlen(id)};
    }
    if (status == WHK_OK && s->timestamp_source == TIMESTAMP_HEADER)
        status = whk_request_set_header(req, s->timestamp_name, ts);
    if (status == WHK_OK && s->timestamp_source == TIMESTAMP_JSON)
        status = restamp_body(s, req, ts, err);
    return status;
}

static enum whk_status hmac_sign(void *state, const struct whk_context *ctx,
                                 struct whk_request *req,
                                 struct whk_span secret, struct whk_error *err)
{
    const struct hmac_state *st = state;
    const struct scheme *s = &st->scheme;
    struct expansion values = {.req = req};
    unsigned char mac[WHK_DIGEST_MAX_SIZE];
    char id[96] = "", ts[48], *encoded = NULL, *value = NULL;
    const char *missing;
    size_t mac_len;
    struct key key;
    enum whk_status status = key_from_secret(st, secret, &key, err);

    if (status == WHK_OK)
        status = sign_inputs(s, ctx, req, &values, id, sizeof(id), ts,
                             sizeof(ts), err);
    if (status == WHK_OK)
        status = hmac_compute(st, &key, &values, mac, &mac_len, &missing, err);
    if (status == WHK_OK && (encoded = encode_mac(s, mac, mac_len)) == NULL)
        status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    if (status == WHK_OK) {
        values.signature = (struct whk_span){encoded, strlen(encoded)};
        if (s->has_fields)
            value = template_join(&s->format, &values);
        else if (asprintf(&value, "%s%s", s->prefix ? s->prefix : "", encoded) <
                 0)
            value = NULL;
        status = value ? whk_request_set_header(req, s->headers[0], value)
                       : whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    free(value);
    whk_free(encoded);
    key_clear(&key);
    return status;
}

WHK_DESCRIPTOR(hmac) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "hmac",
    .title = "Generic HMAC",
    .summary = "any parameterized HMAC scheme, described by the provider's "
               "providers.d entry",
    .signature_headers = (const char *const[]){"X-Signature", NULL},
    .flags = WHK_SIGNS_BODY,
    .init = hmac_init,
    .fini = hmac_fini,
    .check_secret = hmac_check_secret,
    .sign = hmac_sign,
    .verify = hmac_verify,
};
