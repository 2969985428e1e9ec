/* SPDX-License-Identifier: MIT */
/* ECDSA P-256 and Ed25519 keys, signatures and verification on OpenSSL 3. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "internal.h"

struct whk_pkey {
    enum whk_pkey_type type;
    EVP_PKEY *pkey;
    int is_private;
};

/* Raw Ed25519 public keys are 32 bytes, written as 64 hex digits. */
#define ED25519_KEY_SIZE 32

const char *whk_pkey_type_name(enum whk_pkey_type type)
{
    switch (type) {
    case WHK_PKEY_P256:
        return "ECDSA P-256";
    case WHK_PKEY_ED25519:
        return "Ed25519";
    }
    return "unknown";
}

/* The dashboard form of each type's public key, for messages. */
static const char *public_form(enum whk_pkey_type type)
{
    return type == WHK_PKEY_P256
               ? "base64 of the DER public key (SubjectPublicKeyInfo), "
                 "starting with 'MFkw'"
               : "64 hexadecimal digits";
}

/* Describes what pkey is: "Ed25519", "RSA", "ECDSA secp384r1". */
static void describe(EVP_PKEY *pkey, char *buf, size_t size)
{
    char group[64] = "";

    if (EVP_PKEY_is_a(pkey, "EC")) {
        if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
                                            group, sizeof(group), NULL))
            snprintf(group, sizeof(group), "unknown curve");
        snprintf(buf, size, "ECDSA %s",
                 strcmp(group, "prime256v1") == 0 ? "P-256" : group);
    } else if (EVP_PKEY_is_a(pkey, "ED25519")) {
        snprintf(buf, size, "Ed25519");
    } else {
        const char *name = EVP_PKEY_get0_type_name(pkey);

        snprintf(buf, size, "%s", name ? name : "unknown");
    }
}

/* Wraps pkey when it has type; frees it and fails otherwise. */
static enum whk_status adopt(enum whk_pkey_type type, EVP_PKEY *pkey,
                             int is_private, struct whk_pkey **key,
                             struct whk_error *err)
{
    char found[80];

    describe(pkey, found, sizeof(found));
    if (strcmp(found, whk_pkey_type_name(type)) != 0) {
        EVP_PKEY_free(pkey);
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the key is an %s key, but this scheme needs an "
                             "%s key",
                             found, whk_pkey_type_name(type));
    }
    *key = calloc(1, sizeof(**key));
    if (*key == NULL) {
        EVP_PKEY_free(pkey);
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    (*key)->type = type;
    (*key)->pkey = pkey;
    (*key)->is_private = is_private;
    return WHK_OK;
}

/* Copies the label of the first PEM block ("PUBLIC KEY") into label. */
static int pem_label(const char *text, size_t len, char *label, size_t size)
{
    static const char begin[] = "-----BEGIN ";
    const char *start, *end;
    char *copy = whkp_strndup(text, len);
    int found = 0;

    if (copy == NULL)
        return 0;
    start = strstr(copy, begin);
    if (start != NULL) {
        start += sizeof(begin) - 1;
        end = strstr(start, "-----");
        if (end != NULL && (size_t)(end - start) < size) {
            memcpy(label, start, (size_t)(end - start));
            label[end - start] = '\0';
            found = 1;
        }
    }
    free(copy);
    return found;
}

/* Password callback that declines, so OpenSSL never prompts on a tty. */
static int no_password(char *buf, int size, int rwflag, void *data)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)data;
    return -1;
}

/* Reads the PEM block in text; *is_private tells which kind it was. */
static enum whk_status read_pem(const char *text, size_t len, EVP_PKEY **pkey,
                                int *is_private, struct whk_error *err)
{
    char label[64];
    BIO *bio;

    if (!pem_label(text, len, label, sizeof(label)))
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the key file has no '-----BEGIN ...-----' "
                             "line; give a PEM key");
    if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0 ||
        memmem(text, len, "ENCRYPTED", 9) != NULL)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the PEM private key is encrypted; decrypt it "
                             "with 'openssl pkey -in KEY -out PLAIN'");
    *is_private = strstr(label, "PRIVATE KEY") != NULL;
    if (!*is_private && strcmp(label, "PUBLIC KEY") != 0)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the PEM block is '%s', not a key whk reads; "
                             "give a 'PRIVATE KEY', 'EC PRIVATE KEY' or "
                             "'PUBLIC KEY' block",
                             label);

    bio = BIO_new_mem_buf(text, (int)len);
    if (bio == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    *pkey = *is_private ? PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL)
                        : PEM_read_bio_PUBKEY(bio, NULL, no_password, NULL);
    BIO_free(bio);
    ERR_clear_error();
    if (*pkey == NULL)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the PEM '%s' block cannot be decoded; check "
                             "that the file is complete",
                             label);
    return WHK_OK;
}

static int is_hex_text(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (strchr("0123456789abcdefABCDEF", text[i]) == NULL ||
            text[i] == '\0')
            return 0;
    }
    return len > 0;
}

/* Decodes base64 DER SubjectPublicKeyInfo. */
static enum whk_status read_spki(enum whk_pkey_type type, const char *text,
                                 size_t len, EVP_PKEY **pkey,
                                 struct whk_error *err)
{
    unsigned char *der = NULL;
    const unsigned char *p;
    size_t der_len = 0;
    struct whk_error detail = {0};

    if (whk_base64_decode(text, len, WHK_BASE64_STANDARD, &der, &der_len,
                          &detail) != WHK_OK)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the public key is neither %s nor PEM (%s)",
                             public_form(type), detail.text);
    p = der;
    *pkey = d2i_PUBKEY(NULL, &p, (long)der_len);
    if (*pkey != NULL && p != der + der_len) {
        EVP_PKEY_free(*pkey);
        *pkey = NULL;
    }
    whk_free(der);
    ERR_clear_error();
    if (*pkey == NULL)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the public key is valid base64 but not a DER "
                             "public key; copy the whole key from the "
                             "dashboard");
    return WHK_OK;
}

/* Reads a public key in the dashboard form of type. */
static enum whk_status read_dashboard_form(enum whk_pkey_type type,
                                           const char *text, size_t len,
                                           EVP_PKEY **pkey,
                                           struct whk_error *err)
{
    unsigned char *raw = NULL;
    size_t raw_len = 0;

    if (type == WHK_PKEY_P256 && is_hex_text(text, len))
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the key is %zu hex digits, the form of an "
                             "Ed25519 key such as Discord's; an ECDSA P-256 "
                             "key is %s",
                             len, public_form(type));
    if (type == WHK_PKEY_ED25519 && len == 2 * ED25519_KEY_SIZE &&
        !is_hex_text(text, len)) {
        size_t hex_len = strspn(text, "0123456789abcdefABCDEF");

        return whk_error_set(err, WHK_ERR_SECRET,
                             "the key has %d characters, as an Ed25519 "
                             "public key in hex has, but character %zu is "
                             "not a hex digit; copy the key again from the "
                             "dashboard",
                             2 * ED25519_KEY_SIZE, hex_len + 1);
    }
    if (type == WHK_PKEY_P256 || !is_hex_text(text, len))
        return read_spki(type, text, len, pkey, err);

    if (len != 2 * ED25519_KEY_SIZE)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the key has %zu hex digits, but an Ed25519 "
                             "public key has %d",
                             len, 2 * ED25519_KEY_SIZE);
    if (whk_hex_decode(text, len, &raw, &raw_len, err) != WHK_OK)
        return WHK_ERR_SECRET;
    *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, raw_len);
    whk_free(raw);
    ERR_clear_error();
    if (*pkey == NULL)
        return whk_error_set(err, WHK_ERR_SECRET,
                             "OpenSSL rejected the Ed25519 public key");
    return WHK_OK;
}

static int starts_with_pem(const char *text, size_t len)
{
    return memmem(text, len, "-----BEGIN ", 11) != NULL;
}

enum whk_status whk_pkey_load_public(enum whk_pkey_type type, const char *text,
                                     size_t len, struct whk_pkey **key,
                                     struct whk_error *err)
{
    EVP_PKEY *pkey = NULL;
    int is_private = 0;
    enum whk_status status;

    *key = NULL;
    if (starts_with_pem(text, len)) {
        status = read_pem(text, len, &pkey, &is_private, err);
    } else if (len > 1 && memchr(text, '\n', len - 1) != NULL) {
        /* Several lines without a PEM header mean some other file. */
        status = whk_error_set(err, WHK_ERR_SECRET,
                               "the key has several lines but no PEM header "
                               "('-----BEGIN PUBLIC KEY-----'); give the "
                               "public key as PEM or as %s",
                               public_form(type));
    } else {
        status = whk_secret_check_pasted((struct whk_span){text, len}, err);
        if (status == WHK_OK)
            status = read_dashboard_form(type, text, len, &pkey, err);
    }
    if (status != WHK_OK)
        return status;
    return adopt(type, pkey, is_private, key, err);
}

enum whk_status whk_pkey_load_private(enum whk_pkey_type type, const char *text,
                                      size_t len, struct whk_pkey **key,
                                      struct whk_error *err)
{
    EVP_PKEY *pkey = NULL;
    int is_private = 0;
    enum whk_status status;

    *key = NULL;
    if (!starts_with_pem(text, len))
        return whk_error_set(err, WHK_ERR_SECRET,
                             "signing needs the %s private key in PEM "
                             "('-----BEGIN PRIVATE KEY-----'); this looks "
                             "like a public key or a secret in another form",
                             whk_pkey_type_name(type));
    status = read_pem(text, len, &pkey, &is_private, err);
    if (status != WHK_OK)
        return status;
    if (!is_private) {
        EVP_PKEY_free(pkey);
        return whk_error_set(err, WHK_ERR_SECRET,
                             "the PEM block is a public key; signing needs "
                             "the private key");
    }
    return adopt(type, pkey, 1, key, err);
}

void whk_pkey_free(struct whk_pkey *key)
{
    if (key == NULL)
        return;
    EVP_PKEY_free(key->pkey);
    free(key);
}

enum whk_pkey_type whk_pkey_type(const struct whk_pkey *key)
{
    return key->type;
}

int whk_pkey_can_sign(const struct whk_pkey *key)
{
    return key->is_private;
}

/* Joins parts for Ed25519, which signs the whole message in one call. */
static unsigned char *join(const struct whk_span *parts, size_t count,
                           size_t *len)
{
    unsigned char *message;
    size_t total = 0, at = 0;

    for (size_t i = 0; i < count; i++)
        total += parts[i].len;
    message = malloc(total ? total : 1);
    if (message == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        if (parts[i].len > 0)
            memcpy(message + at, parts[i].ptr, parts[i].len);
        at += parts[i].len;
    }
    *len = total;
    return message;
}

/* Initializes ctx for signing or verifying with key. */
static int init_ctx(EVP_MD_CTX *ctx, const struct whk_pkey *key, int sign)
{
    const EVP_MD *md = key->type == WHK_PKEY_P256 ? EVP_sha256() : NULL;

    return sign ? EVP_DigestSignInit(ctx, NULL, md, NULL, key->pkey) == 1
                : EVP_DigestVerifyInit(ctx, NULL, md, NULL, key->pkey) == 1;
}

enum whk_status whk_pkey_sign(const struct whk_pkey *key,
                              const struct whk_span *parts, size_t count,
                              unsigned char **sig, size_t *sig_len,
                              struct whk_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *message = NULL;
    size_t message_len = 0;
    enum whk_status status = WHK_ERR_CRYPTO;

    *sig = NULL;
    if (!key->is_private) {
        EVP_MD_CTX_free(ctx);
        return whk_error_set(err, WHK_ERR_SECRET,
                             "signing needs the private key, not the "
                             "public key");
    }
    message = join(parts, count, &message_len);
    if (ctx == NULL || message == NULL || !init_ctx(ctx, key, 1) ||
        EVP_DigestSign(ctx, NULL, sig_len, message, message_len) != 1)
        goto out;
    *sig = malloc(*sig_len);
    if (*sig == NULL ||
        EVP_DigestSign(ctx, *sig, sig_len, message, message_len) != 1)
        goto out;
    status = WHK_OK;

out:
    if (status != WHK_OK) {
        free(*sig);
        *sig = NULL;
        whk_error_set(err, status, "%s signing failed in OpenSSL",
                      whk_pkey_type_name(key->type));
    }
    ERR_clear_error();
    free(message);
    EVP_MD_CTX_free(ctx);
    return status;
}

enum whk_status whk_pkey_verify(const struct whk_pkey *key,
                                const struct whk_span *parts, size_t count,
                                const unsigned char *sig, size_t sig_len,
                                struct whk_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char *message = NULL;
    size_t message_len = 0;
    enum whk_status status = WHK_ERR_CRYPTO;
    int result;

    message = join(parts, count, &message_len);
    if (ctx == NULL || message == NULL || !init_ctx(ctx, key, 0)) {
        whk_error_set(err, status, "%s verification failed in OpenSSL",
                      whk_pkey_type_name(key->type));
        goto out;
    }
    /* OpenSSL returns 0 for a mismatch and -1 for an undecodable one. */
    result = EVP_DigestVerify(ctx, sig, sig_len, message, message_len);
    if (result == 1)
        status = WHK_OK;
    else if (key->type == WHK_PKEY_ED25519 && sig_len != 64)
        status = whk_error_set(err, WHK_ERR_INVALID,
                               "the signature has %zu bytes, but an Ed25519 "
                               "signature has 64",
                               sig_len);
    else
        status = whk_error_set(err, WHK_ERR_INVALID,
                               result == 0 ? "the %s signature does not "
                                             "match"
                                           : "the %s signature is not a "
                                             "valid encoding",
                               whk_pkey_type_name(key->type));

out:
    ERR_clear_error();
    free(message);
    EVP_MD_CTX_free(ctx);
    return status;
}

char *whk_pkey_public_text(const struct whk_pkey *key)
{
    unsigned char raw[ED25519_KEY_SIZE], *der = NULL;
    size_t raw_len = sizeof(raw);
    char *text = NULL;
    int der_len;

    if (key->type == WHK_PKEY_ED25519) {
        if (EVP_PKEY_get_raw_public_key(key->pkey, raw, &raw_len) == 1)
            text = whk_hex_encode(raw, raw_len);
    } else {
        der_len = i2d_PUBKEY(key->pkey, &der);
        if (der_len > 0)
            text = whk_base64_encode(der, (size_t)der_len, WHK_BASE64_STANDARD);
        OPENSSL_free(der);
    }
    ERR_clear_error();
    return text;
}
