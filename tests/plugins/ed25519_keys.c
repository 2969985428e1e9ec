/* SPDX-License-Identifier: MIT */
/* A conforming public-key plugin: Ed25519 over the body, hex public key. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <whk/whk.h>

#define SIGNATURE_HEADER "X-Ed25519-Signature"

static EVP_PKEY *private_key(struct whk_span secret)
{
    BIO *bio = BIO_new_mem_buf(secret.ptr, (int)secret.len);
    EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;

    BIO_free(bio);
    if (key != NULL && EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    return key;
}

static EVP_PKEY *public_key(struct whk_span secret)
{
    unsigned char *raw = NULL;
    size_t len = 0;
    EVP_PKEY *key = NULL;

    if (whk_hex_decode(secret.ptr, secret.len, &raw, &len, NULL) == WHK_OK &&
        len == 32)
        key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, len);
    whk_free(raw);
    return key;
}

static enum whk_status check_secret(void *state, struct whk_span secret,
                                    int for_signing, struct whk_error *err)
{
    EVP_PKEY *key = for_signing ? private_key(secret) : public_key(secret);

    (void)state;
    EVP_PKEY_free(key);
    if (key != NULL)
        return WHK_OK;
    return whk_error_set(err, WHK_ERR_SECRET,
                         for_signing ? "the key is not an Ed25519 private "
                                       "key in PEM"
                                     : "the key is not 64 hexadecimal "
                                       "characters");
}

static enum whk_status sign(void *state, const struct whk_context *ctx,
                            struct whk_request *req, struct whk_span secret,
                            struct whk_error *err)
{
    EVP_PKEY *key = private_key(secret);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char signature[64];
    size_t len = sizeof(signature), body_len;
    const char *body = whk_request_body(req, &body_len);
    enum whk_status status = WHK_ERR_CRYPTO;
    char *hex = NULL;

    (void)state;
    (void)ctx;
    if (key != NULL && md != NULL &&
        EVP_DigestSignInit(md, NULL, NULL, NULL, key) == 1 &&
        EVP_DigestSign(md, signature, &len, (const unsigned char *)body,
                       body_len) == 1 &&
        (hex = whk_hex_encode(signature, len)) != NULL)
        status = whk_request_set_header(req, SIGNATURE_HEADER, hex);
    whk_free(hex);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    if (status != WHK_OK)
        return whk_error_set(err, status, "signing failed");
    return WHK_OK;
}

static void verify(void *state, const struct whk_context *ctx,
                   const struct whk_request *req, struct whk_span secret,
                   struct whk_verdict *verdict)
{
    const char *given = whk_request_header(req, SIGNATURE_HEADER);
    EVP_PKEY *key = public_key(secret);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *signature = NULL;
    size_t len = 0, body_len;
    const char *body = whk_request_body(req, &body_len);
    int valid = 0;

    (void)state;
    (void)ctx;
    if (given != NULL && key != NULL && md != NULL &&
        whk_hex_decode(given, strlen(given), &signature, &len, NULL) ==
            WHK_OK &&
        EVP_DigestVerifyInit(md, NULL, NULL, NULL, key) == 1)
        valid = EVP_DigestVerify(md, signature, len,
                                 (const unsigned char *)body, body_len) == 1;
    if (valid)
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH,
                        "the Ed25519 signature matches");
    else
        whk_verdict_set(verdict, WHK_INVALID,
                        given ? WHK_REASON_MISMATCH : WHK_REASON_MISSING_HEADER,
                        "no valid Ed25519 signature");
    whk_free(signature);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
}

static const char *const headers[] = {SIGNATURE_HEADER, NULL};

static const struct whk_field fields[] = {
    {.section = "Settings", .name = "Webhook URL", .value = "{{WEBHOOK_URL}}"},
    {0},
};

static const struct whk_sample samples[] = {
    {
        .name = "ping",
        .description = "a ping event",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"type\":\"ping\",\"id\":\"evt_1\"}",
    },
    {0},
};

WHK_DESCRIPTOR(ed25519_keys) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "ed25519-keys",
    .title = "Ed25519 keys",
    .summary = "a test provider that signs bodies with Ed25519",
    .algorithm = "hex Ed25519 signature of the body",
    .signature_headers = headers,
    .secret = {.kind = WHK_SECRET_PUBLIC_KEY,
               .env = "ED25519_PUBLIC_KEY",
               .form = "64 hexadecimal characters"},
    .fields = fields,
    .samples = samples,
    .timeout_ms = 3000,
    .check_secret = check_secret,
    .sign = sign,
    .verify = verify,
};
