/* SPDX-License-Identifier: MIT */
/* Secrets from an environment variable or a file; never printed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "cli.h"

/* Secrets and PEM keys are short; a larger file is the wrong file. */
#define MAX_SECRET_FILE_SIZE (64 * 1024)

static int load_env(const char *name, struct whkp_secret *secret)
{
    const char *value = getenv(name);

    snprintf(secret->source, sizeof(secret->source), "environment variable %s",
             name);
    if (value == NULL) {
        whkp_error("environment variable %s is not set; export it with the "
                   "provider's secret, or pass --secret-file FILE",
                   name);
        return WHKP_EXIT_ENV;
    }
    if (*value == '\0') {
        whkp_error("environment variable %s is empty; set it to the "
                   "provider's secret",
                   name);
        return WHKP_EXIT_ENV;
    }
    secret->len = strlen(value);
    secret->data = malloc(secret->len + 1);
    if (secret->data == NULL) {
        whkp_error("out of memory");
        return WHKP_EXIT_ENV;
    }
    memcpy(secret->data, value, secret->len + 1);
    return WHKP_EXIT_OK;
}

/*
 * Reads the file into one buffer of the maximum size, so that no copy of
 * the secret is left behind in memory freed by a growing buffer.
 */
static int load_file(const char *path, struct whkp_secret *secret)
{
    FILE *file = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    int failed;

    snprintf(secret->source, sizeof(secret->source), "file %s", path);
    if (file == NULL) {
        whkp_error("cannot open secret file %s: %s", path, strerror(errno));
        return WHKP_EXIT_ENV;
    }
    secret->data = malloc(MAX_SECRET_FILE_SIZE + 2);
    if (secret->data != NULL)
        secret->len = fread(secret->data, 1, MAX_SECRET_FILE_SIZE + 1, file);
    failed = secret->data == NULL || ferror(file);
    if (file != stdin)
        fclose(file);

    if (failed) {
        whkp_error("cannot read secret file %s", path);
        return WHKP_EXIT_ENV;
    }
    secret->data[secret->len] = '\0';
    if (secret->len > MAX_SECRET_FILE_SIZE) {
        whkp_error("secret file %s is larger than %d bytes; name the file "
                   "that holds only the secret or key",
                   path, MAX_SECRET_FILE_SIZE);
        return WHKP_EXIT_ENV;
    }
    if (secret->len == 0) {
        whkp_error("secret file %s is empty; write the provider's secret "
                   "into it",
                   path);
        return WHKP_EXIT_ENV;
    }
    return WHKP_EXIT_OK;
}

int whkp_secret_load(const char *env, const char *file, const char *default_env,
                     struct whkp_secret *secret)
{
    memset(secret, 0, sizeof(*secret));
    if (env != NULL && file != NULL) {
        whkp_error("give either --secret-env or --secret-file, not both");
        return WHKP_EXIT_USAGE;
    }
    if (file != NULL)
        return load_file(file, secret);
    if (env == NULL && default_env == NULL) {
        whkp_error("this provider declares no secret variable; pass "
                   "--secret-env VAR or --secret-file FILE");
        return WHKP_EXIT_USAGE;
    }
    return load_env(env ? env : default_env, secret);
}

/* Reads a PEM key file given with --key-file into secret. */
static int load_key_file(const char *path, struct whkp_secret *secret)
{
    struct whk_error err = {0};

    snprintf(secret->source, sizeof(secret->source), "key file %s", path);
    if (whkp_read_file(path, MAX_SECRET_FILE_SIZE, &secret->data, &secret->len,
                       &err) != WHK_OK) {
        whkp_error("cannot read the key: %s", err.text);
        return WHKP_EXIT_ENV;
    }
    if (secret->len == 0) {
        whkp_error("key file %s is empty; write a PEM key into it", path);
        return WHKP_EXIT_ENV;
    }
    return WHKP_EXIT_OK;
}

/* A key type that openssl genpkey makes, for the missing-key message. */
struct key_type {
    const char *name;      /* "Ed25519" */
    const char *algorithm; /* OpenSSL's key type */
    const char *curve;     /* for EC, or NULL */
    size_t bits;           /* for RSA, or 0 */
    const char *command;   /* the openssl command that makes a key */
    const char *public;    /* how to get the public half, or NULL for
                              SECRETS in whk(1) */
};

static const struct key_type key_types[] = {
    {"Ed25519", "ED25519", NULL, 0,
     "openssl genpkey -algorithm ed25519 -out key.pem", NULL},
    {"ECDSA P-256", "EC", "P-256", 0,
     "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "
     "key.pem",
     NULL},
    {"RSA", "RSA", NULL, 2048,
     "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "
     "key.pem",
     "'openssl req -x509 -key key.pem -subj /CN=test -days 30 -out "
     "cert.pem' makes a certificate of it"},
};

/* Returns 1 when the provider accepts a new PEM key of type for signing. */
static int accepts_type(const struct whk_provider *provider,
                        const struct key_type *type)
{
    EVP_PKEY *key =
        type->curve
            ? EVP_PKEY_Q_keygen(NULL, NULL, type->algorithm, type->curve)
        : type->bits
            ? EVP_PKEY_Q_keygen(NULL, NULL, type->algorithm, type->bits)
            : EVP_PKEY_Q_keygen(NULL, NULL, type->algorithm);
    BIO *out = BIO_new(BIO_s_mem());
    struct whk_span pem = {NULL, 0};
    char *data;
    long len;
    int accepted = 0;

    if (key != NULL && out != NULL &&
        PEM_write_bio_PrivateKey(out, key, NULL, NULL, 0, NULL, NULL) == 1 &&
        (len = BIO_get_mem_data(out, &data)) > 0) {
        pem.ptr = data;
        pem.len = (size_t)len;
        accepted = whk_provider_check_secret(provider, pem, 1, NULL) == WHK_OK;
    }
    BIO_free(out);
    EVP_PKEY_free(key);
    return accepted;
}

/*
 * Explains how to sign for a provider whose private key only it holds,
 * with the command that makes a key of the type its plugin accepts.
 */
static void explain_missing_key(const struct whk_descriptor *d,
                                const struct whkp_secret_options *opts)
{
    const char *title = d->title ? d->title : d->name;
    const struct key_type *type = NULL;
    const char *check = opts->app_verifies
                            ? "configure the app under test with its "
                              "public half"
                            : "verify the signed requests with 'whk verify "
                              "--key-file key.pem', or with an app "
                              "configured with its public half";

    for (size_t i = 0; opts->provider && type == NULL &&
                       i < sizeof(key_types) / sizeof(key_types[0]);
         i++) {
        if (accepts_type(opts->provider, &key_types[i]))
            type = &key_types[i];
    }
    if (type == NULL) {
        whkp_error("provider %s signs with a private key that only %s "
                   "holds; sign test requests with a key pair of your own, "
                   "of the type its algorithm names (%s): pass --key-file "
                   "FILE with the PEM private key, and %s",
                   d->name, title, d->algorithm ? d->algorithm : "unknown",
                   check);
        return;
    }
    if (type->public != NULL)
        whkp_error("provider %s signs with a private key that only %s "
                   "holds; sign test requests with an %s key pair of your "
                   "own: make one with '%s', pass --key-file key.pem, and %s "
                   "(%s)",
                   d->name, title, type->name, type->command, check,
                   type->public);
    else
        whkp_error("provider %s signs with a private key that only %s "
                   "holds; sign test requests with an %s key pair of your "
                   "own: make one with '%s', pass --key-file key.pem, and %s "
                   "(SECRETS in whk(1) shows how to print it in %s's form)",
                   d->name, title, type->name, type->command, check, title);
}

int whkp_secret_load_for(const struct whk_descriptor *d,
                         const struct whkp_secret_options *opts,
                         int for_signing, struct whkp_secret *secret)
{
    int asymmetric = d->secret.kind == WHK_SECRET_PUBLIC_KEY;

    memset(secret, 0, sizeof(*secret));
    if (opts->key_file != NULL && !asymmetric) {
        whkp_error("provider %s signs with a shared secret, not a key pair; "
                   "pass the secret with --secret-env or --secret-file",
                   d->name);
        return WHKP_EXIT_USAGE;
    }
    if (opts->key_file != NULL && (opts->env || opts->file)) {
        whkp_error("give one of --key-file, --secret-env and --secret-file");
        return WHKP_EXIT_USAGE;
    }
    if (opts->key_file != NULL)
        return load_key_file(opts->key_file, secret);
    if (asymmetric && for_signing && !opts->env && !opts->file) {
        explain_missing_key(d, opts);
        return WHKP_EXIT_USAGE;
    }
    return whkp_secret_load(
        opts->env, opts->file,
        opts->default_env ? opts->default_env : d->secret.env, secret);
}

/* Rejects a secret with surrounding whitespace, almost always a mistake. */
static int check_whitespace(const struct whkp_secret *secret)
{
    const char *data = secret->data;
    size_t len = secret->len;
    const char *where;

    if (len > 0 && data[len - 1] == '\n')
        where = "ends with a newline";
    else if (len > 0 && strchr(" \t\r", data[len - 1]))
        where = "ends with whitespace";
    else if (len > 0 && strchr(" \t\r\n", data[0]))
        where = "starts with whitespace";
    else
        return WHKP_EXIT_OK;
    whkp_error("the secret from %s %s; providers sign with the secret "
               "alone, so remove the whitespace (write files with printf "
               "'%%s', not echo)",
               secret->source, where);
    return WHKP_EXIT_ENV;
}

int whkp_secret_check(const struct whk_provider *provider,
                      const struct whkp_secret *secret, int for_signing)
{
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    int asymmetric = d->secret.kind == WHK_SECRET_PUBLIC_KEY;
    struct whk_error err = {0};

    /* A PEM key ends with a newline; key-pair plugins check their keys. */
    if (for_signing && !asymmetric && check_whitespace(secret) != 0)
        return WHKP_EXIT_ENV;
    if (whk_provider_check_secret(provider, whkp_secret_span(secret),
                                  for_signing, &err) == WHK_OK)
        return WHKP_EXIT_OK;
    whkp_error("the %s from %s: %s", asymmetric ? "key" : "secret",
               secret->source, err.text);
    return WHKP_EXIT_ENV;
}

void whkp_secret_clear(struct whkp_secret *secret)
{
    if (secret->data != NULL) {
        OPENSSL_cleanse(secret->data, secret->len);
        free(secret->data);
    }
    memset(secret, 0, sizeof(*secret));
}

struct whk_span whkp_secret_span(const struct whkp_secret *secret)
{
    struct whk_span span = {secret->data, secret->len};
    return span;
}
