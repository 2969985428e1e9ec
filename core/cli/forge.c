/* SPDX-License-Identifier: MIT */
/* Secrets and keys of the right form that sign differently, for forgeries. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "tester.h"

/* Positions tried, from the end, before giving up on a forged secret. */
#define MAX_FORGE_ATTEMPTS 64

/* The message id both signatures use, so that only the secret differs. */
#define COMPARISON_ID "msg_whk_forgery_check"

/*
 * Returns the character that replaces c in a forged secret, or 0 when c
 * is neither a letter nor a digit. A hex digit becomes the next hex digit
 * in the same case, so that a hex secret stays hex. Another letter
 * becomes the next letter.
 */
static char substitute(char c)
{
    static const char hex[] = "0123456789abcdef0";
    const char *position = strchr(hex, tolower((unsigned char)c));

    if (c != '\0' && position != NULL)
        return isupper((unsigned char)c)
                   ? (char)toupper((unsigned char)position[1])
                   : position[1];
    if (c >= 'g' && c <= 'z')
        return c == 'z' ? 'g' : (char)(c + 1);
    if (c >= 'G' && c <= 'Z')
        return c == 'Z' ? 'G' : (char)(c + 1);
    return 0;
}

/* Signs a copy of sample with secret in ctx; NULL when that fails. */
static struct whk_request *sign_copy(const struct whk_provider *provider,
                                     const struct whk_context *ctx,
                                     const struct whk_request *sample,
                                     struct whk_span secret)
{
    struct whk_request *req = whk_request_copy(sample);

    if (req != NULL &&
        whk_provider_sign(provider, ctx, req, secret, NULL) != WHK_OK) {
        whk_request_free(req);
        req = NULL;
    }
    return req;
}

/*
 * Returns 1 when a signature header differs between a and b, or, for a
 * signature in the body, the bodies differ.
 */
static int signatures_differ(const struct whk_descriptor *d,
                             const struct whk_request *a,
                             const struct whk_request *b)
{
    size_t a_len, b_len;
    const char *a_body = whk_request_body(a, &a_len);
    const char *b_body = whk_request_body(b, &b_len);

    if ((d->flags & WHK_SIGNATURE_IN_BODY) &&
        (a_len != b_len || memcmp(a_body, b_body, a_len) != 0))
        return 1;
    for (const char *const *h = d->signature_headers; h && *h; h++) {
        const char *x = whk_request_header(a, *h);
        const char *y = whk_request_header(b, *h);

        if ((x == NULL) != (y == NULL) || (x != NULL && strcmp(x, y) != 0))
            return 1;
    }
    return 0;
}

/*
 * Returns 1 when forged passes the provider's form check and signs sample
 * with a signature that differs from the one secret gives, at the same
 * time and message id. A decoder that ignores a base64 digit's unused
 * bits would otherwise turn a changed character into the same key, and
 * the forgery into a valid request.
 */
static int signs_differently(const struct whk_provider *provider,
                             const struct whk_request *sample,
                             struct whk_span secret, struct whk_span forged)
{
    struct whk_context *ctx = whk_context_new();
    struct whk_request *genuine = NULL, *fake = NULL;
    int differs = 0;

    if (ctx == NULL || whk_context_set_id(ctx, COMPARISON_ID) != WHK_OK ||
        whk_provider_check_secret(provider, forged, 1, NULL) != WHK_OK)
        goto out;
    genuine = sign_copy(provider, ctx, sample, secret);
    fake = sign_copy(provider, ctx, sample, forged);
    differs =
        genuine != NULL && fake != NULL &&
        signatures_differ(whk_provider_descriptor(provider), genuine, fake);

out:
    whk_request_free(genuine);
    whk_request_free(fake);
    whk_context_free(ctx);
    return differs;
}

static char *forge_shared(const struct whk_provider *provider,
                          const struct whkp_secret *secret,
                          const struct whk_request *sample)
{
    struct whk_span genuine = whkp_secret_span(secret);
    struct whk_span span;
    char *forged = malloc(secret->len + 1);
    size_t tried = 0;

    if (forged == NULL)
        return NULL;
    span.ptr = forged;
    span.len = secret->len;
    for (size_t i = secret->len; i > 0 && tried < MAX_FORGE_ATTEMPTS; i--) {
        char replacement = substitute(secret->data[i - 1]);

        if (replacement == 0)
            continue;
        tried++;
        memcpy(forged, secret->data, secret->len);
        forged[secret->len] = '\0';
        forged[i - 1] = replacement;
        if (signs_differently(provider, sample, genuine, span))
            return forged;
    }
    OPENSSL_cleanse(forged, secret->len);
    free(forged);
    return NULL;
}

/* Copies the contents of a memory BIO into a NUL-terminated string. */
static char *bio_text(BIO *bio, size_t *len)
{
    char *data;
    long size = BIO_get_mem_data(bio, &data);
    char *text;

    if (size <= 0 || (text = malloc((size_t)size + 1)) == NULL)
        return NULL;
    memcpy(text, data, (size_t)size);
    text[size] = '\0';
    *len = (size_t)size;
    return text;
}

/*
 * Returns a new private key in PEM of the same type (and curve) as the PEM
 * private key in secret: a key pair the endpoint does not trust.
 */
static char *forge_key(const struct whkp_secret *secret, size_t *len)
{
    BIO *in = NULL, *out = NULL;
    EVP_PKEY *key = NULL, *decoy = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    char *text = NULL;

    if (secret->len > (size_t)INT32_MAX)
        return NULL;
    in = BIO_new_mem_buf(secret->data, (int)secret->len);
    if (in != NULL)
        key = PEM_read_bio_PrivateKey(in, NULL, NULL, (void *)"");
    if (key != NULL)
        ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    /* A context made from a key generates keys with its parameters. */
    if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
        EVP_PKEY_generate(ctx, &decoy) <= 0)
        goto out;
    out = BIO_new(BIO_s_mem());
    if (out != NULL &&
        PEM_write_bio_PrivateKey(out, decoy, NULL, NULL, 0, NULL, NULL) == 1)
        text = bio_text(out, len);

out:
    BIO_free(in);
    BIO_free(out);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    EVP_PKEY_free(decoy);
    return text;
}

/*
 * Makes a random token of the secret's length from letters and digits,
 * for a provider that sends its secret as-is: a copy of the secret with
 * one character changed would put the rest of it in the endpoint's logs.
 */
static char *forge_unrelated(const struct whkp_secret *secret)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char *random = malloc(secret->len);
    char *forged = malloc(secret->len + 1);

    if (random == NULL || forged == NULL ||
        whk_random_bytes(random, secret->len, NULL) != WHK_OK) {
        free(random);
        free(forged);
        return NULL;
    }
    for (size_t i = 0; i < secret->len; i++)
        forged[i] = alphabet[random[i] % (sizeof(alphabet) - 1)];
    forged[secret->len] = '\0';
    free(random);
    /* A random token equal to the secret is not a forgery. */
    if (memcmp(forged, secret->data, secret->len) == 0) {
        free(forged);
        return NULL;
    }
    return forged;
}

char *whkp_forge_secret(const struct whk_provider *provider,
                        const struct whkp_secret *secret,
                        const struct whk_request *sample, size_t *len)
{
    const struct whk_descriptor *d = whk_provider_descriptor(provider);

    *len = secret->len;
    if (secret->len == 0)
        return NULL;
    if (d->secret.kind == WHK_SECRET_PUBLIC_KEY)
        return forge_key(secret, len);
    if (d->flags & WHK_SENDS_SECRET)
        return forge_unrelated(secret);
    return forge_shared(provider, secret, sample);
}
