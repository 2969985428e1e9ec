/* SPDX-License-Identifier: MIT */
/* The versioned descriptor that every provider plugin exports. */
#ifndef WHK_PLUGIN_H
#define WHK_PLUGIN_H

#include <whk/common.h>
#include <whk/request.h>
#include <whk/signature.h>
#include <whk/verify.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Version of the descriptor layout. The host rejects a plugin whose
 * abi_version differs. Within one version, fields are only appended to
 * struct whk_descriptor: a plugin with a smaller size gets the newer fields
 * as zero, and a larger one has its extra fields ignored. Any change to the
 * table structures below (fields, samples, keys, failures) raises the
 * version.
 */
#define WHK_ABI_VERSION 1

/* Kind of key a provider signs with. */
enum whk_secret_kind {
    WHK_SECRET_SHARED = 0,    /* the same secret signs and verifies */
    WHK_SECRET_PUBLIC_KEY = 1 /* verify with a public key, sign with a
                                 private key in PEM */
};

struct whk_secret_decl {
    enum whk_secret_kind kind;
    const char *env;   /* usual variable name: "TWILIO_AUTH_TOKEN" */
    const char *form;  /* "32 hexadecimal characters" */
    const char *where; /* where the dashboard shows it */
};

/*
 * One row of the table a user fills in the provider's dashboard. value is
 * a template; the host replaces {{WEBHOOK_URL}}, {{STATUS_CALLBACK_URL}},
 * {{PUBLIC_URL}} and {{SECRET_ENV}}. A table ends with a row whose name is
 * NULL.
 */
struct whk_field {
    const char *section; /* page or panel: "Messaging Configuration" */
    const char *name;    /* label on the page: "A message comes in" */
    const char *value;   /* "{{WEBHOOK_URL}}" or literal "HTTP POST" */
    const char *note;
    int optional;
};

/*
 * A request the provider really sends. The host posts it to the webhook
 * URL, with path_suffix appended to the URL's path when set. headers has
 * extra "Name: value" lines, NULL-terminated, or is NULL. A table ends with
 * a sample whose name is NULL.
 */
struct whk_sample {
    const char *name; /* "inbound-sms", used on the command line */
    const char *description;
    const char *method;
    const char *path_suffix;
    const char *content_type;
    const char *body;
    const char *const *headers;
};

/* Location of an idempotency key in a delivery. */
enum whk_key_source {
    WHK_KEY_PARAM = 1,  /* a form parameter */
    WHK_KEY_HEADER = 2, /* a header */
    WHK_KEY_JSON = 3    /* a JSON body member, as a JSON Pointer "/id" */
};

/* A table of keys ends with an entry whose name is NULL. */
struct whk_key {
    enum whk_key_source source;
    const char *name;
};

/* The response the provider expects from the endpoint. */
struct whk_response_decl {
    int status;               /* 200; 0 accepts any 2xx */
    const char *content_type; /* media type, or NULL for any */
    const char *body;         /* body a stand-in receiver sends */
    const char *format;       /* "xml", "json", "text" or NULL for any */
};

/* A common failure. A table ends with an entry whose symptom is NULL. */
struct whk_failure {
    const char *symptom; /* "403 Forbidden from your app" */
    const char *cause;
    const char *fix;
    enum whk_reason reason; /* verdicts this failure explains, or NONE */
};

/*
 * A request a provider sends to check an endpoint, before deliveries or
 * besides them: Twitter's CRC, Dropbox's challenge, Meta's hub.challenge.
 * Locations are written "query:NAME", "header:NAME", "json:/POINTER"
 * (an RFC 6901 JSON Pointer into the body) or "method" (the request
 * method, added within ABI 1). Templates contain {token}, the
 * value at the token location; {verify_token}, the app's own token; and
 * {hmac}, the HMAC of the token keyed with the secret's bytes as given,
 * with hmac_hash and hmac_encoding. Other text, braces included, is
 * literal. A table ends with an entry whose name is NULL.
 */
struct whk_challenge {
    const char *name;             /* "crc", for messages */
    const char *description;      /* one sentence */
    const char *method;           /* how the provider sends it: "GET" */
    const char *query;            /* template of the query string, or NULL */
    const char *content_type;     /* of the body, or NULL */
    const char *body;             /* template of the body, or NULL */
    const char *const *headers;   /* "Name: template" lines, NULL-terminated,
                                     or NULL */
    int is_signed;                /* signed like a delivery, so an answer is
                                     due only when the signature is valid */
    const char *const *match;     /* "LOCATION" (present) or "LOCATION=VALUE"
                                     conditions that all hold for this
                                     request, NULL-terminated, or NULL */
    const char *token;            /* LOCATION of the token, or NULL */
    const char *verify_token;     /* LOCATION of a token the app compares
                                     with its own, or NULL */
    const char *verify_token_env; /* usual variable with the app's token */
    int status;                   /* the status the provider expects; 0 for
                                     any 2xx */
    const char *response_content_type;   /* media type, or NULL for any */
    const char *response_body;           /* template, or NULL for any body */
    const char *const *response_headers; /* "Name: template" lines that a
                                            stand-in sends, or NULL */
    enum whk_hash hmac_hash;             /* for {hmac}; 0 when unused */
    enum whk_encoding hmac_encoding;
    int invalid_status; /* the status the provider requires for an
                           invalid signature (Xero: 401), or 0 */
};

/* Descriptor flags. */
#define WHK_SIGNS_URL    0x1u /* the signature covers the request URL */
#define WHK_SIGNS_PARAMS 0x2u /* it covers decoded form parameters */
#define WHK_SIGNS_BODY   0x4u /* it covers the raw body bytes */
/*
 * The provider documents no delivery timeout, so timeout_ms is 0 on
 * purpose and whk judges no latency against it. Added within ABI 1.
 */
#define WHK_NO_TIMEOUT 0x8u
/*
 * The provider signs nothing: it sends the secret itself as the value of
 * signature_headers[0] (GitLab's X-Gitlab-Token), and verifying is a
 * constant-time comparison. Such a request shows the secret, so 'whk sign'
 * rejects the provider, 'whk listen' writes WHK_REDACTED in place of the
 * value in its capture log, and 'whk plugin check' expects no WHK_SIGNS_*
 * flag and a shared secret. Added within ABI 1.
 */
#define WHK_SENDS_SECRET 0x10u

/*
 * The value that replaces a secret sent as-is in a capture record. A
 * plugin that verifies a WHK_SENDS_SECRET header can name it in a verdict.
 */
#define WHK_REDACTED "[redacted by whk]"

/*
 * The signature travels inside the body rather than in a header (Mailgun's
 * "signature" object): sign writes it into the body, and signature_headers
 * may be empty. Added within ABI 1.
 */
#define WHK_SIGNATURE_IN_BODY 0x20u

/*
 * A provider plugin. Export exactly one, const, with WHK_DESCRIPTOR().
 * Tables and strings must stay valid while the plugin is loaded.
 */
struct whk_descriptor {
    unsigned int abi_version; /* WHK_ABI_VERSION */
    unsigned int size;        /* sizeof(struct whk_descriptor) */

    const char *name;      /* default provider name: "twilio" */
    const char *title;     /* "Twilio" */
    const char *summary;   /* one line */
    const char *docs_url;  /* the provider's signature documentation */
    const char *algorithm; /* one line: "HMAC-SHA1 of URL + params" */
    const char *const *signature_headers; /* NULL-terminated; may be
                                             empty only with
                                             WHK_SIGNATURE_IN_BODY */
    unsigned int flags; /* WHK_SIGNS_*, WHK_NO_TIMEOUT, WHK_SENDS_SECRET,
                           WHK_SIGNATURE_IN_BODY */
    struct whk_secret_decl secret;
    const struct whk_field *fields;
    const struct whk_sample *samples;
    const struct whk_key *idempotency_keys;
    struct whk_response_decl response;
    unsigned int timeout_ms;   /* the provider gives up after this */
    const char *timeout_error; /* what the provider reports then */
    const char *retries;       /* retry behaviour, one sentence */
    int tolerance_seconds;     /* default timestamp tolerance; 0: none */
    const struct whk_failure *failures;

    /*
     * Optional. Called once after loading with the provider's providers.d
     * entry as JSON text. It may store per-provider state in *state and
     * point *declarations at a descriptor whose declaration fields (name
     * through failures, and challenges) replace this one's, for modules
     * that serve several providers from data. Returns WHK_OK or an error
     * in err; WHK_ERR_CONFIG means the entry is malformed, and err then
     * names the key and what is wrong, to which the host adds the entry's
     * file.
     */
    enum whk_status (*init)(const char *entry_json, void **state,
                            const struct whk_descriptor **declarations,
                            struct whk_error *err);

    /* Optional. Releases what init allocated. */
    void (*fini)(void *state);

    /*
     * Optional. Checks a secret's form before use (signing when
     * for_signing is 1). Returns WHK_OK, or WHK_ERR_SECRET with a message
     * naming what is wrong and the fix. Must not copy the secret into err.
     */
    enum whk_status (*check_secret)(void *state, struct whk_span secret,
                                    int for_signing, struct whk_error *err);

    /*
     * Signs req in place: sets the signature header(s) and anything else
     * the provider adds (a timestamp header, a query parameter). The URL
     * to sign is whk_request_url(req).
     */
    enum whk_status (*sign)(void *state, const struct whk_context *ctx,
                            struct whk_request *req, struct whk_span secret,
                            struct whk_error *err);

    /* Verifies req and fills verdict; must not modify anything else. */
    void (*verify)(void *state, const struct whk_context *ctx,
                   const struct whk_request *req, struct whk_span secret,
                   struct whk_verdict *verdict);

    /*
     * Fields appended within ABI 1. A plugin built before a field existed
     * has it read as zero. Declaration fields here are replaced by init's
     * declarations too, as name through failures are.
     */

    /* Endpoint checks the provider sends, or NULL. */
    const struct whk_challenge *challenges;
};

/*
 * Reads the string member name of the top-level object in json, such as a
 * providers.d entry handed to init. On success *value holds a copy,
 * released with whk_free(). Returns WHK_ERR_NOT_FOUND when the member is
 * absent, and WHK_ERR_CONFIG when json is not an object or the member is
 * not a string; err names the member.
 */
WHK_API enum whk_status whk_json_member_string(const char *json,
                                               const char *name, char **value,
                                               struct whk_error *err);

/*
 * Defines the descriptor symbol under libltdl's naming convention,
 * MODULE_LTX_whk_descriptor, so the same source also links statically as a
 * preloaded module. Use it once per plugin:
 *     WHK_DESCRIPTOR(twilio) = { .abi_version = WHK_ABI_VERSION, ... };
 */
#define WHK_DESCRIPTOR(module)                                                 \
    WHK_API extern const struct whk_descriptor module##_LTX_whk_descriptor;    \
    const struct whk_descriptor module##_LTX_whk_descriptor

#ifdef __cplusplus
}
#endif

#endif
