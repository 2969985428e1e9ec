/* SPDX-License-Identifier: MIT */
/* The HMAC key from a secret: checks of its form, prefix and decoding. */
#include <string.h>

#include "hmac.h"

static int has_prefix(struct whk_span secret, const char *prefix)
{
    size_t len = strlen(prefix);

    return secret.len >= len && memcmp(secret.ptr, prefix, len) == 0;
}

/* Rejects a credential of another kind pasted in place of the secret. */
static enum whk_status check_rejected(const struct hmac_state *st,
                                      struct whk_span secret,
                                      struct whk_error *err)
{
    const struct scheme *s = &st->scheme;

    for (size_t i = 0; i < s->rejected_count; i++) {
        if (has_prefix(secret, s->rejected[i].prefix) &&
            secret.len > strlen(s->rejected[i].prefix))
            return whk_error_set(err, WHK_ERR_SECRET,
                                 "the secret starts with '%s', the prefix "
                                 "of %s; webhooks are signed with the "
                                 "secret from %s",
                                 s->rejected[i].prefix, s->rejected[i].what,
                                 st->declarations.secret.where);
    }
    return WHK_OK;
}

/* Removes the scheme's prefix, or rejects its absence when required. */
static enum whk_status strip(const struct hmac_state *st,
                             struct whk_span *secret, struct whk_error *err)
{
    const struct scheme *s = &st->scheme;

    if (s->secret_prefix == NULL)
        return WHK_OK;
    if (has_prefix(*secret, s->secret_prefix)) {
        if (s->strip_prefix) {
            secret->ptr += strlen(s->secret_prefix);
            secret->len -= strlen(s->secret_prefix);
        }
        return WHK_OK;
    }
    if (s->prefix_required)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret does not start with '%s'; copy it "
                             "whole from %s",
                             s->secret_prefix, st->declarations.secret.where);
    return WHK_OK;
}

/* Checks the secret's length against the range the provider documents. */
static enum whk_status check_length(const struct hmac_state *st,
                                    struct whk_span secret,
                                    struct whk_error *err)
{
    const struct scheme *s = &st->scheme;

    if ((s->min_length == 0 || (int64_t)secret.len >= s->min_length) &&
        (s->max_length == 0 || (int64_t)secret.len <= s->max_length))
        return WHK_OK;
    if (s->min_length == s->max_length)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret has %zu characters, but %s's has "
                             "%lld; copy it again from %s",
                             secret.len, st->declarations.title,
                             (long long)s->min_length,
                             st->declarations.secret.where);
    return whk_error_set(err, WHK_ERR_SECRET,
                         "the secret has %zu characters, but %s's has %lld "
                         "to %lld; copy it again from %s",
                         secret.len, st->declarations.title,
                         (long long)(s->min_length ? s->min_length : 1),
                         (long long)(s->max_length ? s->max_length : 4096),
                         st->declarations.secret.where);
}

static enum whk_status decode_hex(struct whk_span text, struct key *key,
                                  struct whk_error *err)
{
    size_t len = 0;

    if (whk_hex_decode(text.ptr, text.len, &key->owned, &len, NULL) != WHK_OK)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret is not hexadecimal%s, but this "
                             "provider's secret is; copy it again, whole",
                             text.len % 2 ? " (its length is odd)" : "");
    key->ptr = key->owned;
    key->len = len;
    return WHK_OK;
}

enum whk_status key_from_secret(const struct hmac_state *st,
                                struct whk_span secret, struct key *key,
                                struct whk_error *err)
{
    const struct scheme *s = &st->scheme;
    enum whk_status status;
    size_t len = 0;

    memset(key, 0, sizeof(*key));
    status = whk_secret_check_pasted(secret, err);
    if (status == WHK_OK)
        status = check_rejected(st, secret, err);
    if (status != WHK_OK)
        return status;
    if (s->secret_encoding == SECRET_BASE64) {
        status = whk_secret_decode_base64(secret, s->secret_prefix,
                                          s->prefix_required, &key->owned, &len,
                                          err);
        key->ptr = key->owned;
        key->len = len;
        return status;
    }

    status = strip(st, &secret, err);
    if (status != WHK_OK)
        return status;
    if (secret.len == 0)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the secret is empty after '%s'; copy it "
                             "whole from %s",
                             s->secret_prefix ? s->secret_prefix : "",
                             st->declarations.secret.where);
    status = check_length(st, secret, err);
    if (status != WHK_OK)
        return status;
    if (s->secret_encoding == SECRET_HEX)
        return decode_hex(secret, key, err);
    key->ptr = (const unsigned char *)secret.ptr;
    key->len = secret.len;
    return WHK_OK;
}

void key_clear(struct key *key)
{
    whk_free(key->owned);
    memset(key, 0, sizeof(*key));
}
