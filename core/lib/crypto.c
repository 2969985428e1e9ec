/* SPDX-License-Identifier: MIT */
/* Digests, HMAC and constant-time comparison on OpenSSL 3. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "internal.h"

static const char *openssl_name(enum whk_hash hash)
{
    switch (hash) {
    case WHK_SHA1:
        return "SHA1";
    case WHK_SHA256:
        return "SHA256";
    case WHK_SHA512:
        return "SHA512";
    }
    return NULL;
}

size_t whk_hash_size(enum whk_hash hash)
{
    switch (hash) {
    case WHK_SHA1:
        return 20;
    case WHK_SHA256:
        return 32;
    case WHK_SHA512:
        return 64;
    }
    return 0;
}

const char *whk_hash_name(enum whk_hash hash)
{
    switch (hash) {
    case WHK_SHA1:
        return "SHA-1";
    case WHK_SHA256:
        return "SHA-256";
    case WHK_SHA512:
        return "SHA-512";
    }
    return "unknown";
}

enum whk_status whk_digest(enum whk_hash hash, const struct whk_span *parts,
                           size_t count, unsigned char *out, size_t *out_len,
                           struct whk_error *err)
{
    const char *name = openssl_name(hash);
    EVP_MD_CTX *ctx = NULL;
    EVP_MD *md = NULL;
    unsigned int len = 0;
    enum whk_status status = WHK_ERR_CRYPTO;

    if (name == NULL)
        return whk_error_set(err, WHK_ERR_INVALID, "unknown hash %d", hash);

    md = EVP_MD_fetch(NULL, name, NULL);
    ctx = EVP_MD_CTX_new();
    if (md == NULL || ctx == NULL || !EVP_DigestInit_ex(ctx, md, NULL))
        goto out;
    for (size_t i = 0; i < count; i++) {
        if (parts[i].len > 0 &&
            !EVP_DigestUpdate(ctx, parts[i].ptr, parts[i].len))
            goto out;
    }
    if (!EVP_DigestFinal_ex(ctx, out, &len))
        goto out;

    *out_len = len;
    status = WHK_OK;

out:
    if (status != WHK_OK)
        whk_error_set(err, status, "%s digest failed in OpenSSL", name);
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    return status;
}

enum whk_status whk_hmac(enum whk_hash hash, const void *key, size_t key_len,
                         const struct whk_span *parts, size_t count,
                         unsigned char *out, size_t *out_len,
                         struct whk_error *err)
{
    const char *name = openssl_name(hash);
    static const unsigned char empty_key[1];
    EVP_MAC *mac = NULL;
    EVP_MAC_CTX *ctx = NULL;
    OSSL_PARAM params[2];
    enum whk_status status = WHK_ERR_CRYPTO;

    if (name == NULL)
        return whk_error_set(err, WHK_ERR_INVALID, "unknown hash %d", hash);

    /* OpenSSL rejects a NULL key pointer even when the length is 0. */
    if (key_len == 0)
        key = empty_key;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                 (char *)name, 0);
    params[1] = OSSL_PARAM_construct_end();

    mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL || (ctx = EVP_MAC_CTX_new(mac)) == NULL)
        goto out;
    if (!EVP_MAC_init(ctx, key, key_len, params))
        goto out;
    for (size_t i = 0; i < count; i++) {
        if (parts[i].len > 0 &&
            !EVP_MAC_update(ctx, (const unsigned char *)parts[i].ptr,
                            parts[i].len))
            goto out;
    }
    if (!EVP_MAC_final(ctx, out, out_len, WHK_DIGEST_MAX_SIZE))
        goto out;
    status = WHK_OK;

out:
    if (status != WHK_OK)
        whk_error_set(err, status, "HMAC-%s failed in OpenSSL", name);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return status;
}

int whk_equal_ct(const void *a, size_t a_len, const void *b, size_t b_len)
{
    /*
     * Lengths of signatures are public (fixed by the algorithm), so an
     * early return on a length difference leaks nothing secret.
     */
    if (a_len != b_len)
        return 0;
    if (a_len == 0)
        return 1;
    return CRYPTO_memcmp(a, b, a_len) == 0;
}
