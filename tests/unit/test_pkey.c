/* SPDX-License-Identifier: MIT */
/* Check suite for ECDSA P-256, Ed25519 and RSA keys (core/lib/pkey.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <whk/whk.h>

#include "harness.h"

/* RFC 8032, section 7.1, tests 1 to 3: secret key, public key, message. */
static const struct {
    const char *secret;
    const char *public;
    const char *message;
    const char *signature;
} rfc8032[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
     "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

static unsigned char *unhex(const char *hex, size_t *len)
{
    unsigned char *bytes = NULL;

    ck_assert_int_eq(whk_hex_decode(hex, strlen(hex), &bytes, len, NULL),
                     WHK_OK);
    return bytes;
}

/* Wraps a 32-byte Ed25519 seed in a PKCS#8 PEM block. */
static char *ed25519_pem(const char *seed_hex)
{
    static const unsigned char prefix[] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30,
                                           0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                           0x04, 0x22, 0x04, 0x20};
    unsigned char der[48];
    size_t len;
    unsigned char *seed = unhex(seed_hex, &len);
    char *b64, *pem;

    memcpy(der, prefix, sizeof(prefix));
    memcpy(der + sizeof(prefix), seed, 32);
    b64 = whk_base64_encode(der, sizeof(der), 0);
    pem = malloc(strlen(b64) + 64);
    sprintf(pem, "-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n",
            b64);
    whk_free(seed);
    whk_free(b64);
    return pem;
}

START_TEST(ed25519_rfc8032_sign)
{
    char *pem = ed25519_pem(rfc8032[_i].secret);
    struct whk_pkey *key = NULL;
    size_t msg_len, sig_len;
    unsigned char *msg = unhex(rfc8032[_i].message, &msg_len), *sig = NULL;
    struct whk_span part = {(const char *)msg, msg_len};
    char *hex, *public;

    ck_assert_int_eq(whk_pkey_load_private(WHK_PKEY_ED25519, pem,
                                           strlen(pem), &key, NULL),
                     WHK_OK);
    ck_assert(whk_pkey_can_sign(key));
    public = whk_pkey_public_text(key);
    ck_assert_str_eq(public, rfc8032[_i].public);
    ck_assert_int_eq(whk_pkey_sign(key, &part, 1, &sig, &sig_len, NULL),
                     WHK_OK);
    hex = whk_hex_encode(sig, sig_len);
    ck_assert_str_eq(hex, rfc8032[_i].signature);
    whk_free(hex);
    whk_free(sig);
    whk_free(public);
    whk_free(msg);
    whk_pkey_free(key);
    free(pem);
}
END_TEST

START_TEST(ed25519_rfc8032_verify)
{
    struct whk_pkey *key = NULL;
    size_t msg_len, sig_len;
    unsigned char *msg = unhex(rfc8032[_i].message, &msg_len);
    unsigned char *sig = unhex(rfc8032[_i].signature, &sig_len);
    struct whk_span part = {(const char *)msg, msg_len};
    struct whk_span other = {"x", 1};
    struct whk_error err = {0};

    ck_assert_int_eq(whk_pkey_load_public(WHK_PKEY_ED25519,
                                          rfc8032[_i].public, 64, &key,
                                          NULL),
                     WHK_OK);
    ck_assert(!whk_pkey_can_sign(key));
    ck_assert_int_eq(whk_pkey_verify(key, &part, 1, sig, sig_len, NULL),
                     WHK_OK);
    ck_assert_int_eq(whk_pkey_verify(key, &other, 1, sig, sig_len, &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "does not match"));
    ck_assert_int_eq(whk_pkey_verify(key, &part, 1, sig, 63, &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "63 bytes"));
    whk_free(msg);
    whk_free(sig);
    whk_pkey_free(key);
}
END_TEST

/* A P-256 key pair generated now: a test key that belongs to no account. */
static char *p256_private_pem(void)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *pem;
    long len;

    PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
    len = BIO_get_mem_data(bio, &data);
    pem = strndup(data, (size_t)len);
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    return pem;
}

START_TEST(p256_sign_and_verify)
{
    char *pem = p256_private_pem(), *public;
    struct whk_pkey *private_key = NULL, *public_key = NULL;
    struct whk_span parts[2] = {{"1723630532", 10}, {"[{\"a\":1}]", 9}};
    unsigned char *sig = NULL;
    size_t sig_len;

    ck_assert_int_eq(whk_pkey_load_private(WHK_PKEY_P256, pem, strlen(pem),
                                           &private_key, NULL),
                     WHK_OK);
    public = whk_pkey_public_text(private_key);
    ck_assert_int_eq(strncmp(public, "MFkw", 4), 0);
    ck_assert_int_eq(whk_pkey_load_public(WHK_PKEY_P256, public,
                                          strlen(public), &public_key, NULL),
                     WHK_OK);
    ck_assert_int_eq(whk_pkey_sign(private_key, parts, 2, &sig, &sig_len,
                                   NULL),
                     WHK_OK);
    ck_assert_int_eq(sig[0], 0x30); /* a DER SEQUENCE */
    ck_assert_int_eq(whk_pkey_verify(public_key, parts, 2, sig, sig_len,
                                     NULL),
                     WHK_OK);
    sig[sig_len - 1] ^= 1;
    ck_assert_int_eq(whk_pkey_verify(public_key, parts, 2, sig, sig_len,
                                     NULL),
                     WHK_ERR_INVALID);
    /* The PEM private key also verifies, through its public half. */
    whk_pkey_free(public_key);
    ck_assert_int_eq(whk_pkey_load_public(WHK_PKEY_P256, pem, strlen(pem),
                                          &public_key, NULL),
                     WHK_OK);
    whk_free(sig);
    whk_free(public);
    whk_pkey_free(private_key);
    whk_pkey_free(public_key);
    free(pem);
}
END_TEST

static char *pem_of(EVP_PKEY *pkey, int private)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *pem;
    long len;

    if (private)
        PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
    else
        PEM_write_bio_PUBKEY(bio, pkey);
    len = BIO_get_mem_data(bio, &data);
    pem = strndup(data, (size_t)len);
    BIO_free(bio);
    return pem;
}

START_TEST(wrong_keys_rejected)
{
    EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    char *p384_pem = pem_of(p384, 1), *ed_public_pem = pem_of(ed, 0);
    struct whk_pkey *key = NULL;
    struct whk_error err = {0};

    ck_assert_int_eq(whk_pkey_load_private(WHK_PKEY_P256, p384_pem,
                                           strlen(p384_pem), &key, &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, "secp384r1"), "%s", err.text);
    ck_assert_int_eq(whk_pkey_load_private(WHK_PKEY_ED25519, ed_public_pem,
                                           strlen(ed_public_pem), &key, &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, "public key"), "%s", err.text);
    ck_assert_int_eq(whk_pkey_load_public(WHK_PKEY_P256, ed_public_pem,
                                          strlen(ed_public_pem), &key, &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, "Ed25519"), "%s", err.text);
    ck_assert_int_eq(whk_pkey_load_private(WHK_PKEY_P256, "MFkwEwYH", 8, &key,
                                           &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, "PEM"), "%s", err.text);
    ck_assert_ptr_null(key);
    free(p384_pem);
    free(ed_public_pem);
    EVP_PKEY_free(p384);
    EVP_PKEY_free(ed);
}
END_TEST

/* Checks sig over message with OpenSSL directly, independently of whk. */
static int openssl_verifies(EVP_PKEY *pkey, const EVP_MD *md,
                            const char *message, const unsigned char *sig,
                            size_t sig_len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = EVP_DigestVerifyInit(ctx, NULL, md, NULL, pkey) == 1 &&
             EVP_DigestVerify(ctx, sig, sig_len,
                              (const unsigned char *)message,
                              strlen(message)) == 1;

    EVP_MD_CTX_free(ctx);
    return ok;
}

START_TEST(rsa_sign_each_hash)
{
    EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    char *private_pem = pem_of(rsa, 1), *public_pem = pem_of(rsa, 0);
    struct whk_span part = {"Message\nhello\n", 14};
    struct whk_pkey *key = NULL, *public_key = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;

    ck_assert_int_eq(whk_pkey_load_private(WHK_PKEY_RSA, private_pem,
                                           strlen(private_pem), &key, NULL),
                     WHK_OK);
    ck_assert_int_eq(whk_pkey_load_public(WHK_PKEY_RSA, public_pem,
                                          strlen(public_pem), &public_key,
                                          NULL),
                     WHK_OK);
    ck_assert_int_eq(whk_pkey_sign(key, &part, 1, &sig, &sig_len, NULL),
                     WHK_OK);
    ck_assert_uint_eq(sig_len, 256);
    ck_assert(openssl_verifies(rsa, EVP_sha256(), part.ptr, sig, sig_len));
    whk_free(sig);

    ck_assert_int_eq(whk_pkey_set_hash(key, WHK_SHA1, NULL), WHK_OK);
    ck_assert_int_eq(whk_pkey_sign(key, &part, 1, &sig, &sig_len, NULL),
                     WHK_OK);
    ck_assert(openssl_verifies(rsa, EVP_sha1(), part.ptr, sig, sig_len));
    ck_assert(!openssl_verifies(rsa, EVP_sha256(), part.ptr, sig, sig_len));
    ck_assert_int_eq(whk_pkey_verify(public_key, &part, 1, sig, sig_len,
                                     NULL),
                     WHK_ERR_INVALID);
    ck_assert_int_eq(whk_pkey_set_hash(public_key, WHK_SHA1, NULL), WHK_OK);
    ck_assert_int_eq(whk_pkey_verify(public_key, &part, 1, sig, sig_len,
                                     NULL),
                     WHK_OK);
    whk_free(sig);
    whk_pkey_free(key);
    whk_pkey_free(public_key);
    free(private_pem);
    free(public_pem);
    EVP_PKEY_free(rsa);
}
END_TEST

START_TEST(fixed_hashes_rejected)
{
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    char *pem = pem_of(ed, 1);
    struct whk_pkey *key = NULL;
    struct whk_error err = {0};

    ck_assert_int_eq(whk_pkey_load_private(WHK_PKEY_ED25519, pem,
                                           strlen(pem), &key, NULL),
                     WHK_OK);
    ck_assert_int_eq(whk_pkey_set_hash(key, WHK_SHA1, &err),
                     WHK_ERR_UNSUPPORTED);
    ck_assert_msg(strstr(err.text, "Ed25519"), "%s", err.text);
    whk_pkey_free(key);
    ck_assert_int_eq(whk_pkey_load_private(WHK_PKEY_RSA, pem, strlen(pem),
                                           &key, &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, "needs an RSA key"), "%s", err.text);
    ck_assert_ptr_null(key);
    free(pem);
    EVP_PKEY_free(ed);
}
END_TEST

static const struct {
    enum whk_pkey_type type;
    const char *text;
    const char *phrase;
} bad_public[] = {
    {WHK_PKEY_ED25519, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af02",
     "52 hex digits"},
    {WHK_PKEY_ED25519,
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\n",
     "newline"},
    {WHK_PKEY_ED25519, "not a key at all", "neither"},
    {WHK_PKEY_P256,
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
     "Ed25519"},
    {WHK_PKEY_P256, "AAAz", "not a DER public key"},
    {WHK_PKEY_P256, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END "
                    "CERTIFICATE-----\n",
     "CERTIFICATE"},
    {WHK_PKEY_P256, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC "
                    "KEY-----\n",
     "cannot be decoded"},
    {WHK_PKEY_P256, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END "
                    "ENCRYPTED PRIVATE KEY-----\n",
     "encrypted"},
};

START_TEST(bad_public_keys_rejected)
{
    struct whk_pkey *key = NULL;
    struct whk_error err = {0};

    ck_assert_int_eq(whk_pkey_load_public(bad_public[_i].type,
                                          bad_public[_i].text,
                                          strlen(bad_public[_i].text), &key,
                                          &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, bad_public[_i].phrase), "%s", err.text);
    ck_assert_ptr_null(key);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("pkey");
    TCase *tc = tcase_create("pkey");
    int vectors = (int)(sizeof(rfc8032) / sizeof(*rfc8032));

    tcase_add_loop_test(tc, ed25519_rfc8032_sign, 0, vectors);
    tcase_add_loop_test(tc, ed25519_rfc8032_verify, 0, vectors);
    tcase_add_test(tc, p256_sign_and_verify);
    tcase_add_test(tc, wrong_keys_rejected);
    tcase_add_test(tc, rsa_sign_each_hash);
    tcase_add_test(tc, fixed_hashes_rejected);
    tcase_add_loop_test(tc, bad_public_keys_rejected, 0,
                        (int)(sizeof(bad_public) / sizeof(*bad_public)));
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
