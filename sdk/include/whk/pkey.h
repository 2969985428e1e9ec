/* SPDX-License-Identifier: MIT */
/* Public-key signatures for asymmetric schemes: ECDSA, Ed25519 and RSA. */
#ifndef WHK_PKEY_H
#define WHK_PKEY_H

#include <whk/common.h>
#include <whk/crypto.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The key types of asymmetric webhook schemes. */
enum whk_pkey_type {
    WHK_PKEY_P256 = 1,    /* ECDSA on NIST P-256 with SHA-256 */
    WHK_PKEY_ED25519 = 2, /* Ed25519 (RFC 8032), pure, no prehash */
    WHK_PKEY_RSA = 3      /* RSASSA-PKCS1-v1_5, SHA-256 unless
                             whk_pkey_set_hash() chose another hash;
                             added within ABI 1 */
};

/* A loaded public or private key. Opaque. */
struct whk_pkey;

/* Returns the type's standard name ("ECDSA P-256", "Ed25519", "RSA"). */
WHK_API const char *whk_pkey_type_name(enum whk_pkey_type type);

/*
 * Loads the public key that verifies signatures of type from text[0..len)
 * in the form a dashboard shows it: for P-256, base64 of the DER
 * SubjectPublicKeyInfo (SendGrid's verification key); for Ed25519, 64
 * hexadecimal digits (Discord's public key); for RSA, base64 of the DER
 * SubjectPublicKeyInfo. A PEM "PUBLIC KEY" block, a PEM "CERTIFICATE"
 * (X.509, whose public key is taken without checking the certificate), or
 * a PEM private key whose public half is taken, is accepted too. A key of
 * another type or curve, a key in another type's form, whitespace around
 * the text, and malformed encodings are WHK_ERR_SECRET with a message
 * naming what was found and what is expected. *key is released with
 * whk_pkey_free().
 */
WHK_API enum whk_status whk_pkey_load_public(enum whk_pkey_type type,
                                             const char *text, size_t len,
                                             struct whk_pkey **key,
                                             struct whk_error *err);

/*
 * Loads the private key that signs with type from PEM text[0..len):
 * PKCS#8 "PRIVATE KEY", SEC 1 "EC PRIVATE KEY" for P-256, or PKCS#1 "RSA
 * PRIVATE KEY" for RSA. A public key, a certificate,
 * a key of another type or curve, an encrypted key and text that is not PEM
 * are WHK_ERR_SECRET with a message naming what was found. *key is
 * released with whk_pkey_free().
 */
WHK_API enum whk_status whk_pkey_load_private(enum whk_pkey_type type,
                                              const char *text, size_t len,
                                              struct whk_pkey **key,
                                              struct whk_error *err);

/* Releases a key. Accepts NULL. */
WHK_API void whk_pkey_free(struct whk_pkey *key);

/* Returns the key's type. */
WHK_API enum whk_pkey_type whk_pkey_type(const struct whk_pkey *key);

/* Returns 1 when key holds a private key and can sign. */
WHK_API int whk_pkey_can_sign(const struct whk_pkey *key);

/*
 * Chooses the hash that an RSA key signs and verifies with (SHA-256 by
 * default), such as SHA-1 for Amazon SNS's SignatureVersion 1. Other key
 * types have a fixed hash: any hash but SHA-256 for P-256, and any hash
 * for Ed25519, is WHK_ERR_UNSUPPORTED. Added within ABI 1.
 */
WHK_API enum whk_status whk_pkey_set_hash(struct whk_pkey *key,
                                          enum whk_hash hash,
                                          struct whk_error *err);

/*
 * Signs the concatenation of parts[0..count) with a private key. P-256
 * signatures are DER-encoded ECDSA signatures of the SHA-256 digest;
 * Ed25519 signatures are the 64 raw bytes; RSA signatures are PKCS#1 v1.5
 * of the chosen hash, as long as the modulus. *sig (released with
 * whk_free()) and *sig_len hold the signature.
 */
WHK_API enum whk_status whk_pkey_sign(const struct whk_pkey *key,
                                      const struct whk_span *parts,
                                      size_t count, unsigned char **sig,
                                      size_t *sig_len, struct whk_error *err);

/*
 * Verifies sig[0..sig_len) over the concatenation of parts[0..count) with
 * key (public or private). Returns WHK_OK when the signature is valid,
 * WHK_ERR_INVALID when it is well-formed but does not match or cannot be
 * decoded (a message says which), and another status when OpenSSL fails.
 */
WHK_API enum whk_status whk_pkey_verify(const struct whk_pkey *key,
                                        const struct whk_span *parts,
                                        size_t count, const unsigned char *sig,
                                        size_t sig_len, struct whk_error *err);

/*
 * Returns the key's public half in its dashboard form (base64 DER
 * SubjectPublicKeyInfo for P-256 and RSA, 64 lowercase hex digits for
 * Ed25519),
 * released with whk_free(), or NULL when memory runs out.
 */
WHK_API char *whk_pkey_public_text(const struct whk_pkey *key);

#ifdef __cplusplus
}
#endif

#endif
