/* SPDX-License-Identifier: MIT */
/* Declarations shared by the whk command-line tool's source files. */
#ifndef WHK_CLI_H
#define WHK_CLI_H

#include <stdarg.h>
#include <stdio.h>
#include <whk/whk.h>

/* Exit statuses; scripts depend on these values. */
enum whkp_exit {
    WHKP_EXIT_OK = 0,      /* valid, or every check passed */
    WHKP_EXIT_INVALID = 1, /* a signature is invalid or a check failed */
    WHKP_EXIT_USAGE = 2,   /* bad flag, unreadable or malformed input */
    WHKP_EXIT_ENV = 3      /* secret unset, plugin missing, unreachable */
};

/*
 * printf for text that may hold request data: control characters and
 * bytes that are not UTF-8 come out as \xNN (see util.c).
 */
void whkp_printf(const char *format, ...) WHK_PRINTF(1, 2);
void whkp_fprintf(FILE *out, const char *format, ...) WHK_PRINTF(2, 3);
void whkp_vprint(FILE *out, const char *format, va_list args);

struct option;

/*
 * getopt_long() with errors in whk's form ("whk: error: unrecognized
 * option '--x'") and a pointer to the command's --help; returns '?' then.
 */
int whkp_getopt(int argc, char **argv, const char *short_options,
                const struct option *long_options, const char *command);

/* Prints "whk: error: ..." to stderr. */
void whkp_error(const char *format, ...) WHK_PRINTF(1, 2);
void whkp_warning(const char *format, ...) WHK_PRINTF(1, 2);
void whkp_note(const char *format, ...) WHK_PRINTF(1, 2);

/* Reads a whole file ("-" for stdin) into a NUL-terminated buffer. */
enum whk_status whkp_read_file(const char *path, size_t max_size, char **data,
                               size_t *len, struct whk_error *err);

/* Parses a raw HTTP/1.x request ("what nc -l captures"). */
enum whk_status whkp_parse_http(const char *data, size_t len,
                                struct whk_request **request, char **target,
                                struct whk_error *err);

/* Writes req as raw HTTP/1.1 with the given request target. */
void whkp_write_http(FILE *out, const struct whk_request *req,
                     const char *target);

/* A delivery as stored in the capture log, one JSON object per line. */
struct whkp_record {
    char *id;
    char *provider;
    char *received_at;
    char *target; /* raw request target as received */
    char *url;    /* public URL it was verified against, or NULL */
    struct whk_request *request;
    /* What 'whk listen' found on arrival; NULL or 0 when not recorded. */
    char *verdict;   /* "valid", "invalid" or "not applicable" */
    char *reason;    /* whk_reason_name() of the verdict */
    char *key;       /* idempotency key value */
    int duplicate;   /* an earlier delivery had the same key and body */
    char *challenge; /* name of the unsigned endpoint challenge, or NULL */
};

void whkp_record_clear(struct whkp_record *record);

/*
 * Reads the record with the given id, or the last one when id is NULL,
 * from a capture log (JSON lines).
 */
enum whk_status whkp_record_read(const char *data, size_t len, const char *id,
                                 struct whkp_record *record,
                                 struct whk_error *err);

/*
 * Reads the record with the given id, as whkp_record_read() does. When id
 * is NULL, reads the last record that is neither marked as whk test's
 * probe (WHKP_TEST_HEADER) nor an unsigned challenge ("challenge" set),
 * and stores in *skipped, unless it is NULL, the number of such records
 * after it. A log of such records only is WHK_ERR_NOT_FOUND, with a
 * message naming the header. In records.c.
 */
enum whk_status whkp_record_read_delivery(const char *data, size_t len,
                                          const char *id,
                                          struct whkp_record *record,
                                          size_t *skipped,
                                          struct whk_error *err);

/* Serializes a record as one compact JSON line (no newline), or NULL. */
char *whkp_record_dump(const struct whkp_record *record);

/*
 * The header and value that whk test adds to each request it sends to
 * probe an endpoint or to diagnose a rejection, but not to its samples.
 */
#define WHKP_TEST_HEADER "X-Whk-Test"
#define WHKP_TEST_PROBE  "probe"

/* The default capture log, relative to the current directory. */
#define WHKP_CAPTURE_FILE ".whk/captures.jsonl"

/* A capture log open for appending from several threads. */
struct whkp_capture;

/*
 * Opens path for appending, creating it and its parent folder. With sync,
 * each record is flushed to disk (fdatasync) before the append returns.
 */
enum whk_status whkp_capture_open(const char *path, int sync,
                                  struct whkp_capture **capture,
                                  struct whk_error *err);

/* Appends record as one line; safe to call from several threads. */
enum whk_status whkp_capture_append(struct whkp_capture *capture,
                                    const struct whkp_record *record,
                                    struct whk_error *err);

/* Returns the number of records appended since the log was opened. */
size_t whkp_capture_count(struct whkp_capture *capture);
void whkp_capture_close(struct whkp_capture *capture);

/* A secret read from the environment or a file, never printed. */
struct whkp_secret {
    char *data;
    size_t len;
    char source[300]; /* "environment variable X" or "file Y", for messages */
};

/*
 * Loads the secret from --secret-env or --secret-file, or from the
 * provider's usual variable when neither is given. Prints an error and
 * returns WHKP_EXIT_ENV when it is unset, empty or unreadable.
 */
int whkp_secret_load(const char *env, const char *file, const char *default_env,
                     struct whkp_secret *secret);
/* Sources of the secret or key that a command's options name. */
struct whkp_secret_options {
    const char *env;         /* --secret-env */
    const char *file;        /* --secret-file */
    const char *key_file;    /* --key-file: a PEM key, for key-pair schemes */
    const char *default_env; /* whk.json's variable, or NULL for the
                                provider's usual one */
    /*
     * Fields for the error when a key-pair provider has no key to sign
     * with. The provider, or NULL, names the key type its plugin accepts.
     * app_verifies is 1 when an app under test verifies what is signed
     * (whk test, whk replay) and 0 when 'whk verify' may.
     */
    const struct whk_provider *provider;
    int app_verifies;
};

/*
 * Loads the secret for signing (for_signing 1) or verifying with provider
 * d. --key-file is accepted only for providers whose secret kind is
 * WHK_SECRET_PUBLIC_KEY, and is then the only source needed: a PEM
 * private key signs, and verifies through its public half. Signing for
 * such a provider without any source is an error that explains how to
 * make a key pair. Prints errors and returns an exit status.
 */
int whkp_secret_load_for(const struct whk_descriptor *d,
                         const struct whkp_secret_options *opts,
                         int for_signing, struct whkp_secret *secret);

/*
 * Checks the secret's form before use with the provider's check_secret,
 * and for signing with a shared secret also rejects surrounding
 * whitespace. Prints an error naming the secret's source (never the
 * secret) and returns WHKP_EXIT_ENV, or WHKP_EXIT_OK.
 */
int whkp_secret_check(const struct whk_provider *provider,
                      const struct whkp_secret *secret, int for_signing);
void whkp_secret_clear(struct whkp_secret *secret);
struct whk_span whkp_secret_span(const struct whkp_secret *secret);

/* Opens the registry and loads a provider, printing errors. */
int whkp_load_provider(const char *name, struct whk_registry **registry,
                       struct whk_provider **provider);

/* Options shared by commands that build a request. */
struct whkp_request_options {
    const char *provider;  /* for checking a capture record's provider */
    const char *file;      /* raw HTTP request or capture log, "-" stdin */
    const char *record_id; /* record in a capture log */
    const char *method;
    const char **headers; /* "Name: value" strings */
    size_t header_count;
    const char *data;   /* literal, "@FILE" or "@-" */
    const char *url;    /* public URL */
    const char *sample; /* sample name */
    int samples;        /* the command offers --sample */
    /*
     * Public base URL (--public-url or whk.json) for a request read from
     * a file without a URL of its own: the URL is the base followed by
     * the request target.
     */
    const char *public_base;
};

/*
 * Rejects reading both the request and the secret from standard input,
 * where the secret's bytes would be parsed, and echoed, as a request.
 */
int whkp_check_stdin(const struct whkp_request_options *opts,
                     const char *secret_file);

/* Records a --header value; returns 0 on failure. */
int whkp_request_options_add_header(struct whkp_request_options *opts,
                                    const char *line);
void whkp_request_options_clear(struct whkp_request_options *opts);

/*
 * Builds the request from the options, with the public URL chosen as
 * resolve_url() in input.c describes. Prints errors and returns an exit
 * status.
 */
int whkp_build_request(const struct whkp_request_options *opts,
                       const struct whk_descriptor *descriptor,
                       struct whk_request **request, char **target);

/* Parses a timestamp or tolerance option; prints an error on failure. */
int whkp_parse_seconds(const char *option, const char *text, int64_t *value);

/* A way to serialize JSON, as a language or framework writes it. */
struct whkp_json_form {
    int indent;    /* spaces per level; 0 writes one line */
    int spaced;    /* one line with ", " and ": " (Python's default) */
    int sort_keys; /* members in bytewise key order */
    int ascii;     /* non-ASCII and DEL as \uXXXX (Python's ensure_ascii) */
    int slash;     /* "/" as "\/" (PHP's default) */
    int html;      /* <, >, & as \u003c... (Go's default) */
};

/*
 * Parses text[0..len) as JSON and serializes it again in form, keeping
 * numbers and literals as written. Returns the text (released with free())
 * and its length in *out_len, or NULL when text is not JSON.
 */
char *whkp_json_reformat(const char *text, size_t len,
                         const struct whkp_json_form *form, size_t *out_len);

#define WHKP_MAX_HINTS 4

/*
 * Findings about a verification: for an invalid request, the variant that
 * matched instead (cause, fix, and the URL when a URL variant matched);
 * for a valid one, hints about what would break an app's own check.
 */
struct whkp_diagnosis {
    char *cause;
    char *fix;
    char *url;
    char *hints[WHKP_MAX_HINTS];
    size_t hint_count;
};

/* Tries the variants a user gets wrong and fills diagnosis. */
void whkp_diagnose(const struct whk_provider *provider,
                   const struct whk_context *ctx, const struct whk_request *req,
                   const char *target, const struct whkp_secret *secret,
                   const struct whk_verdict *verdict,
                   struct whkp_diagnosis *diagnosis);
void whkp_diagnosis_clear(struct whkp_diagnosis *diagnosis);

/* Returns the provider's fix for a verdict reason, or NULL. */
const struct whk_failure *
whkp_failure_for(const struct whk_descriptor *descriptor,
                 enum whk_reason reason);

/* Replaces {{WEBHOOK_URL}} and friends in a field template. */
char *whkp_expand_template(const char *template, const char *webhook_url,
                           const char *status_url, const char *secret_env);

/* Formats into a new string released with free(); NULL on failure. */
char *whkp_sprintf(const char *format, ...) WHK_PRINTF(1, 2);

/* Returns singular for a count of 1 and plural for any other count. */
const char *whkp_plural(size_t count, const char *singular, const char *plural);

/* Quotes text for a POSIX shell with single quotes. */
char *whkp_shell_quote(const char *text, size_t len);

/* The project file that 'whk init' writes in the current directory. */
#define WHKP_CONFIG_FILE "whk.json"

struct json_t;

/*
 * A whk.json document as read: kept whole, so that a rewrite preserves
 * providers and keys that whk does not know.
 */
struct whkp_config {
    char *path;
    struct json_t *root;
    int exists; /* 0 when the file was absent */
};

/* One provider's entry in whk.json. Strings are owned; absent is NULL. */
struct whkp_project {
    char *provider;
    int port;         /* the app's local port, 0 when unset */
    char *path;       /* the webhook's local path, "/..." */
    char *public_url; /* public base URL the provider requests */
    char *secret_env; /* variable that contains the secret */
    char *tunnel;     /* tunnel tool: "ngrok", "cloudflared", ... */
    char *subdomain;
};

/*
 * Reads path into config. An absent file gives an empty document; a file
 * that is not JSON fails with WHK_ERR_CONFIG and "PATH:LINE:COLUMN: ...".
 */
enum whk_status whkp_config_read(const char *path, struct whkp_config *config,
                                 struct whk_error *err);

/*
 * Prints an error listing whk.json's providers when it has several, for
 * a command run without --provider. Returns 1 when it printed one.
 */
int whkp_config_list_providers(const struct whkp_config *config);

/*
 * Fills project from the entry for provider. WHK_ERR_NOT_FOUND when the
 * file has none; WHK_ERR_CONFIG naming the key when a value has the wrong
 * type or form.
 */
enum whk_status whkp_config_project(const struct whkp_config *config,
                                    const char *provider,
                                    struct whkp_project *project,
                                    struct whk_error *err);

/* Returns the only provider's name when the file has exactly one. */
const char *whkp_config_single_provider(const struct whkp_config *config);

/*
 * Sets the values of project that are present (non-NULL, port > 0) in its
 * provider's entry, creating the entry; other keys and entries stay.
 */
enum whk_status whkp_config_update(struct whkp_config *config,
                                   const struct whkp_project *project,
                                   struct whk_error *err);

/* Writes config to its path through a temporary file and a rename. */
enum whk_status whkp_config_write(const struct whkp_config *config,
                                  struct whk_error *err);

void whkp_config_clear(struct whkp_config *config);
void whkp_project_clear(struct whkp_project *project);

/*
 * Loads the entry for provider (or the only entry when provider is NULL)
 * from whk.json in the current directory into project. An absent file or
 * entry leaves project empty, with provider set to the name given. Prints
 * errors and returns an exit status.
 */
int whkp_project_load(const char *provider, struct whkp_project *project);

/*
 * Fills the URL options of a request from --public-url (public_url) or
 * whk.json: the public base for a request read from a file, and, when
 * --url is absent, the webhook URL (base and the project's path) for
 * --data and --sample, stored in *webhook_url for the caller to free.
 * Returns an exit status.
 */
int whkp_apply_project(const struct whkp_project *project,
                       const char *public_url,
                       struct whkp_request_options *opts, char **webhook_url);

/*
 * Returns the public URL of a request to target: the base's scheme and
 * host, its path prefix unless target already starts with it, and target.
 * NULL when base is not an absolute URL. Released with free().
 */
char *whkp_public_url(const char *base, const char *target);

/* Returns the URL for samples with path_suffix, as whk test sends them. */
char *whkp_append_path(const char *url, const char *suffix);

/*
 * Returns the value of the first idempotency key the provider declares
 * that the request carries, and its name in *name; NULL when none.
 */
char *whkp_idempotency_key(const struct whk_descriptor *descriptor,
                           const struct whk_request *req, const char **name);

/*
 * The deliveries seen so far, to flag redeliveries: same idempotency key
 * and same body. Safe to use from several threads.
 */
struct whkp_seen;

struct whkp_seen *whkp_seen_new(void);
void whkp_seen_free(struct whkp_seen *seen);

/*
 * Records key with the body's SHA-256. Returns 1 when the pair was seen
 * before, 0 when it is new, -1 when memory runs out.
 */
int whkp_seen_add(struct whkp_seen *seen, const char *key, const char *body,
                  size_t body_len);

/* A header line of a response. */
struct whkp_header {
    char *name;
    char *value;
};

/* An HTTP response received with libcurl. */
struct whkp_response {
    long status;
    char *content_type; /* NULL when absent */
    char *body;         /* NUL-terminated after body_len */
    size_t body_len;
    struct whkp_header *headers; /* of the final response, wire order */
    size_t header_count;
    double seconds; /* from the start of sending to the last byte */
};

enum whkp_send_result {
    WHKP_SEND_OK = 0,
    WHKP_SEND_UNREACHABLE, /* refused, no route, host not found */
    WHKP_SEND_TIMEOUT,     /* no complete response within the timeout */
    WHKP_SEND_ABORTED,     /* whkp_http_abort() was called */
    WHKP_SEND_CLOSED,      /* closed or reset before any response */
    WHKP_SEND_INCOMPLETE,  /* closed before the whole response arrived */
    WHKP_SEND_INVALID,     /* the response is not HTTP */
    WHKP_SEND_TOO_LARGE,   /* its body is over WHKP_MAX_RESPONSE_BODY */
    WHKP_SEND_FAILED       /* any other transfer error */
};

/* The largest response body that whk reads into memory: 16 MiB. */
#define WHKP_MAX_RESPONSE_BODY (16u * 1024 * 1024)

/* Initializes libcurl once, before any thread starts; 0 on failure. */
int whkp_http_init(void);
void whkp_http_cleanup(void);

/* Makes every transfer in progress, and later ones, end as aborted. */
void whkp_http_abort(void);

/*
 * A reusable transfer handle: one per thread, kept to reuse its
 * connections. NULL when memory runs out.
 */
void *whkp_http_handle_new(void);
void whkp_http_handle_free(void *handle);

/*
 * Sends req's method, headers and body byte-exact to url, the request
 * target included, and stores the response. Hop-by-hop headers
 * (Connection, Transfer-Encoding, ...) and Content-Length are not copied:
 * libcurl frames the body itself. On failure, error receives a sentence
 * naming the cause and the URL, with any password in it redacted.
 */
enum whkp_send_result whkp_http_send(void *handle, const char *url,
                                     const struct whk_request *req,
                                     long timeout_ms,
                                     struct whkp_response *response,
                                     char *error, size_t error_size);
void whkp_response_clear(struct whkp_response *response);

/*
 * Returns a copy of url with the password of its user information
 * replaced by "***" ("http://user:***@host/"), for messages; NULL when
 * memory runs out. Released with free().
 */
char *whkp_url_redact(const char *url);

/*
 * Checks that the URL given with option is an absolute http:// or https://
 * URL without a fragment, and without a query unless allow_query is 1.
 * Prints an error naming the option and the URL (its password hidden)
 * and returns 0 when it is not. In client.c.
 */
int whkp_check_http_url(const char *option, const char *url, int allow_query);

/* Returns 1 for a header that applies to one connection only. */
int whkp_is_hop_header(const char *name);

/*
 * Registers the providers linked into whk (WHK_STATIC_PROVIDERS) with
 * libltdl; call it before anything loads a plugin. Generated by CMake.
 */
void whkp_preload_providers(void);

/* Commands. */
int whkp_cmd_providers(int argc, char **argv);
int whkp_cmd_show(int argc, char **argv);
int whkp_cmd_verify(int argc, char **argv);
int whkp_cmd_sign(int argc, char **argv);
int whkp_cmd_init(int argc, char **argv);
int whkp_cmd_listen(int argc, char **argv);
int whkp_cmd_test(int argc, char **argv);
int whkp_cmd_replay(int argc, char **argv);

int whkp_cmd_plugin(int argc, char **argv);

#endif
