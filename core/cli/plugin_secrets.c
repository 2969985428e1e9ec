/* SPDX-License-Identifier: MIT */
/* whk plugin check: test secrets and key pairs in the forms providers use. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "plugin_check.h"

static const char *const shared_forms[] = {
    "whsec_ and base64",
    "32 hexadecimal characters",
    "64 hexadecimal characters",
    "40 letters and digits",
};
#define SHARED_FORMS (sizeof(shared_forms) / sizeof(shared_forms[0]))

/* Fixed bytes per seed, so that every run checks the same secrets. */
static void seed_bytes(unsigned char *out, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (unsigned char)(seed * 151u + i * 37u + (i >> 3) * 11u);
}

static char *shared_secret(size_t form, unsigned seed)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                "qrstuvwxyz0123456789";
    unsigned char bytes[40];
    char *text, *encoded;

    seed_bytes(bytes, sizeof(bytes), seed);
    switch (form) {
    case 0:
        encoded = whk_base64_encode(bytes, 24, WHK_BASE64_STANDARD);
        text = encoded ? malloc(strlen(encoded) + 7) : NULL;
        if (text != NULL)
            sprintf(text, "whsec_%s", encoded);
        whk_free(encoded);
        return text;
    case 1:
    case 2:
        encoded = whk_hex_encode(bytes, form == 1 ? 16 : 32);
        text = encoded ? strdup(encoded) : NULL;
        whk_free(encoded);
        return text;
    default:
        text = malloc(41);
        for (size_t i = 0; text && i < 40; i++)
            text[i] = alnum[bytes[i] % (sizeof(alnum) - 1)];
        if (text != NULL)
            text[40] = '\0';
        return text;
    }
}

static char *pem(EVP_PKEY *key, int private)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *text = NULL;
    long len;
    int ok;

    if (bio == NULL)
        return NULL;
    ok = private ? PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)
                 : PEM_write_bio_PUBKEY(bio, key);
    len = BIO_get_mem_data(bio, &data);
    if (ok && len > 0)
        text = strndup(data, (size_t)len);
    BIO_free(bio);
    return text;
}

/* The raw public key: 32 bytes for Ed25519, the 65-byte point for EC. */
static int raw_public(EVP_PKEY *key, unsigned char *out, size_t *len)
{
    if (EVP_PKEY_get_raw_public_key(key, out, len) == 1)
        return 1;
    return EVP_PKEY_get_octet_string_param(
               key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out, *len, len) == 1;
}

/* Encodes key's public half: 0 PEM, 1 base64 DER, 2 hex raw, 3 base64 raw. */
static char *public_text(EVP_PKEY *key, size_t encoding)
{
    unsigned char raw[256], *der = NULL;
    size_t len = sizeof(raw);
    char *text = NULL, *encoded = NULL;
    int der_len;

    if (encoding == 0)
        return pem(key, 0);
    if (encoding == 1) {
        der_len = i2d_PUBKEY(key, &der);
        if (der_len > 0)
            encoded = whk_base64_encode(der, (size_t)der_len, 0);
        OPENSSL_free(der);
    } else if (raw_public(key, raw, &len)) {
        encoded = encoding == 2 ? whk_hex_encode(raw, len)
                                : whk_base64_encode(raw, len, 0);
    }
    if (encoded != NULL)
        text = strdup(encoded);
    whk_free(encoded);
    return text;
}

static EVP_PKEY *generate(size_t type)
{
    if (type == 2)
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    return type == 0 ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")
                     : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/* Returns a self-signed PEM certificate for key, valid for a day. */
static char *certificate(EVP_PKEY *key)
{
    X509 *cert = X509_new();
    X509_NAME *name = cert ? X509_get_subject_name(cert) : NULL;
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *text = NULL;
    long len;

    if (cert != NULL && name != NULL && bio != NULL &&
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) == 1 &&
        X509_gmtime_adj(X509_getm_notBefore(cert), 0) != NULL &&
        X509_gmtime_adj(X509_getm_notAfter(cert), 86400) != NULL &&
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   (const unsigned char *)"whk plugin check",
                                   -1, -1, 0) == 1 &&
        X509_set_issuer_name(cert, name) == 1 &&
        X509_set_pubkey(cert, key) == 1 &&
        X509_sign(cert, key, EVP_sha256()) > 0 &&
        PEM_write_bio_X509(bio, cert) == 1 &&
        (len = BIO_get_mem_data(bio, &data)) > 0)
        text = strndup(data, (size_t)len);
    BIO_free(bio);
    X509_free(cert);
    return text;
}

/*
 * RSA keys come last, because generating them takes longest, and in two
 * forms only: a PEM public key and a certificate (Amazon SNS's form).
 */
static int key_pair(size_t index, struct whkp_test_secret *secret)
{
    static const char *const forms[] = {
        "Ed25519 key, public key in PEM",
        "Ed25519 key, public key as base64 DER",
        "Ed25519 key, public key as hex",
        "Ed25519 key, public key as base64",
        "P-256 key, public key in PEM",
        "P-256 key, public key as base64 DER",
        "P-256 key, public key as hex",
        "P-256 key, public key as base64",
        "RSA 2048 key, public key in PEM",
        "RSA 2048 key, public key in a self-signed PEM certificate",
    };
    EVP_PKEY *key, *other;
    int ok, as_certificate = index == 9;

    if (index >= sizeof(forms) / sizeof(forms[0]))
        return 0;
    key = generate(index / 4);
    other = generate(index / 4);
    secret->form = forms[index];
    if (key != NULL && other != NULL) {
        secret->sign = pem(key, 1);
        secret->verify =
            as_certificate ? certificate(key) : public_text(key, index % 4);
        secret->wrong =
            as_certificate ? certificate(other) : public_text(other, index % 4);
    }
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
    ok = secret->sign && secret->verify && secret->wrong;
    if (!ok)
        whkp_test_secret_clear(secret);
    return ok;
}

int whkp_test_secret_make(enum whk_secret_kind kind, size_t index,
                          struct whkp_test_secret *secret)
{
    memset(secret, 0, sizeof(*secret));
    if (kind == WHK_SECRET_PUBLIC_KEY)
        return key_pair(index, secret);
    if (index >= SHARED_FORMS)
        return 0;
    secret->form = shared_forms[index];
    secret->sign = shared_secret(index, 1);
    secret->verify = shared_secret(index, 1);
    secret->wrong = shared_secret(index, 2);
    if (!secret->sign || !secret->verify || !secret->wrong) {
        whkp_test_secret_clear(secret);
        return 0;
    }
    return 1;
}

int whkp_test_secret_given(struct whk_span given,
                           struct whkp_test_secret *secret)
{
    memset(secret, 0, sizeof(*secret));
    secret->form = "the secret given";
    secret->sign = strndup(given.ptr, given.len);
    secret->verify = strndup(given.ptr, given.len);
    secret->wrong = strndup(given.ptr, given.len);
    if (!secret->sign || !secret->verify || !secret->wrong ||
        !whkp_flip_run(secret->wrong, given.len)) {
        whkp_test_secret_clear(secret);
        return 0;
    }
    return 1;
}

static void clear_text(char **text)
{
    if (*text != NULL) {
        OPENSSL_cleanse(*text, strlen(*text));
        free(*text);
    }
    *text = NULL;
}

void whkp_test_secret_clear(struct whkp_test_secret *secret)
{
    clear_text(&secret->sign);
    clear_text(&secret->verify);
    clear_text(&secret->wrong);
}

static void flip(char *c)
{
    if (*c == '9')
        *c = '0';
    else if (*c == 'z')
        *c = 'a';
    else if (*c == 'Z')
        *c = 'A';
    else
        (*c)++;
}

int whkp_flip_run(char *text, size_t len)
{
    size_t best = 0, best_len = 0;

    for (size_t i = 0; i < len;) {
        size_t j = i;

        while (j < len && isalnum((unsigned char)text[j]))
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j + 1;
    }
    if (best_len == 0)
        return 0;
    flip(&text[best + best_len / 2]);
    return 1;
}

/* Adds a copy of text[0..len) to forms, named name. */
static void add_form(struct whkp_secret_forms *forms, const char *text,
                     size_t len, const char *name)
{
    size_t max = sizeof(forms->text) / sizeof(forms->text[0]);

    if (text == NULL || len == 0 || forms->count == max)
        return;
    forms->text[forms->count] = strndup(text, len);
    if (forms->text[forms->count] != NULL)
        forms->name[forms->count++] = name;
}

/* Adds the hex and base64 encodings of data[0..len). */
static void add_encodings(struct whkp_secret_forms *forms, const void *data,
                          size_t len, const char *hex_name,
                          const char *base64_name)
{
    char *hex = whk_hex_encode(data, len);
    char *base64 = whk_base64_encode(data, len, WHK_BASE64_STANDARD);

    if (hex != NULL)
        add_form(forms, hex, strlen(hex), hex_name);
    if (base64 != NULL)
        add_form(forms, base64, strlen(base64), base64_name);
    whk_free(hex);
    whk_free(base64);
}

/*
 * Adds the forms of a shared secret: the text, its encodings, and the
 * encodings of the key bytes it decodes to as hex or as base64 after an
 * optional prefix ending in "_" (whsec_).
 */
static void add_shared(struct whkp_secret_forms *forms, const char *secret)
{
    const char *prefix_end = strrchr(secret, '_');
    const char *encoded = prefix_end ? prefix_end + 1 : secret;
    unsigned char *bytes = NULL;
    size_t len;

    add_form(forms, secret, strlen(secret), "test secret");
    add_encodings(forms, secret, strlen(secret), "test secret as hex",
                  "test secret as base64");
    if (whk_hex_decode(secret, strlen(secret), &bytes, &len, NULL) == WHK_OK)
        add_encodings(forms, bytes, len, "test secret",
                      "test secret's key bytes as base64");
    whk_free(bytes);
    bytes = NULL;
    if (whk_base64_decode(encoded, strlen(encoded), WHK_BASE64_NOPAD, &bytes,
                          &len, NULL) == WHK_OK)
        add_encodings(forms, bytes, len, "test secret's key bytes as hex",
                      "test secret's key bytes as base64");
    whk_free(bytes);
}

/* Adds each line of a PEM key's base64 body, the part that is secret. */
static void add_pem_lines(struct whkp_secret_forms *forms, const char *pem)
{
    for (const char *line = pem; *line;) {
        size_t len = strcspn(line, "\n");

        if (len > 0 && line[0] != '-')
            add_form(forms, line, len, "test private key");
        line += len + (line[len] == '\n');
    }
}

void whkp_secret_forms_make(const struct whkp_test_secret *secret,
                            int public_key, struct whkp_secret_forms *forms)
{
    memset(forms, 0, sizeof(*forms));
    if (public_key) {
        /* Only the private key is secret: whk prints public keys. */
        add_pem_lines(forms, secret->sign);
        return;
    }
    add_shared(forms, secret->sign);
    if (strcmp(secret->verify, secret->sign) != 0)
        add_shared(forms, secret->verify);
    add_shared(forms, secret->wrong);
}

void whkp_secret_forms_clear(struct whkp_secret_forms *forms)
{
    for (size_t i = 0; i < forms->count; i++)
        clear_text(&forms->text[i]);
    forms->count = 0;
}

/* Returns 1 when text contains form[0..len), ignoring case. */
static int contains(const char *text, const char *form, size_t len)
{
    for (; *text; text++) {
        if (strncasecmp(text, form, len) == 0)
            return 1;
    }
    return 0;
}

const char *whkp_secret_forms_find(const struct whkp_secret_forms *forms,
                                   const char *text)
{
    enum { RUN = 16, SHORTEST = 8 };

    for (size_t i = 0; i < forms->count; i++) {
        const char *form = forms->text[i];
        size_t len = strlen(form);
        size_t run = len < RUN ? len : RUN;

        for (size_t start = 0; len >= SHORTEST && start + run <= len; start++) {
            if (contains(text, form + start, run))
                return forms->name[i];
        }
    }
    return NULL;
}
