/* SPDX-License-Identifier: MIT */
/* Declarations shared by the whk command-line tool's source files. */
#ifndef WHK_CLI_H
#define WHK_CLI_H

#include <stdio.h>
#include <whk/whk.h>

/* Exit statuses; scripts depend on these values. */
enum whkp_exit {
    WHKP_EXIT_OK = 0,      /* valid, or every check passed */
    WHKP_EXIT_INVALID = 1, /* a signature is invalid or a check failed */
    WHKP_EXIT_USAGE = 2,   /* bad flag, unreadable or malformed input */
    WHKP_EXIT_ENV = 3      /* secret unset, plugin missing, unreachable */
};

/* Prints "whk: error: ..." to stderr. */
void whkp_error(const char *format, ...) WHK_PRINTF(1, 2);
void whkp_warning(const char *format, ...) WHK_PRINTF(1, 2);
void whkp_note(const char *format, ...) WHK_PRINTF(1, 2);

/* Reads a whole file ("-" for stdin) into a NUL-terminated buffer. */
enum whk_status whkp_read_file(const char *path, size_t max_size,
                               char **data, size_t *len,
                               struct whk_error *err);

/* Parses a raw HTTP/1.x request ("what nc -l captures"). */
enum whk_status whkp_parse_http(const char *data, size_t len,
                                struct whk_request **request,
                                char **target, struct whk_error *err);

/* Writes req as raw HTTP/1.1 with the given request target. */
void whkp_write_http(FILE *out, const struct whk_request *req,
                     const char *target);

/* A delivery as stored in the capture log, one JSON object per line. */
struct whkp_record {
    char *id;
    char *provider;
    char *received_at;
    char *target;  /* raw request target as received */
    char *url;     /* public URL it was verified against, or NULL */
    struct whk_request *request;
};

void whkp_record_clear(struct whkp_record *record);

/*
 * Reads the record with the given id, or the last one when id is NULL,
 * from a capture log (JSON lines).
 */
enum whk_status whkp_record_read(const char *data, size_t len,
                                 const char *id, struct whkp_record *record,
                                 struct whk_error *err);

/* Serializes a record as one compact JSON line (no newline), or NULL. */
char *whkp_record_dump(const struct whkp_record *record);

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
int whkp_secret_load(const char *env, const char *file,
                     const char *default_env, struct whkp_secret *secret);
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
    const char **headers;  /* "Name: value" strings */
    size_t header_count;
    const char *data;      /* literal, "@FILE" or "@-" */
    const char *url;       /* public URL */
    const char *sample;    /* sample name */
};

/* Records a --header value; returns 0 on failure. */
int whkp_request_options_add_header(struct whkp_request_options *opts,
                                    const char *line);
void whkp_request_options_clear(struct whkp_request_options *opts);

/*
 * Builds the request from the options. *url_source tells where the URL
 * came from, for messages. Prints errors and returns an exit status.
 */
int whkp_build_request(const struct whkp_request_options *opts,
                       const struct whk_descriptor *descriptor,
                       struct whk_request **request, char **target);

/* Parses a timestamp or tolerance option; prints an error on failure. */
int whkp_parse_seconds(const char *option, const char *text,
                       int64_t *value);

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
                   const struct whk_context *ctx,
                   const struct whk_request *req, const char *target,
                   const struct whkp_secret *secret,
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

/* Quotes text for a POSIX shell with single quotes. */
char *whkp_shell_quote(const char *text, size_t len);

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
int whkp_cmd_plugin(int argc, char **argv);

#endif
