/* SPDX-License-Identifier: MIT */
/* whk plugin check: the report and the checks its source files share. */
#ifndef WHK_PLUGIN_CHECK_H
#define WHK_PLUGIN_CHECK_H

#include <jansson.h>

#include "cli.h"

enum whkp_check_status {
    WHKP_CHECK_PASS = 0,
    WHKP_CHECK_FAIL = 1,
    WHKP_CHECK_SKIP = 2 /* does not apply, or an earlier check failed */
};

struct whkp_progress;

/* The checks run so far, in order, and how many ended each way. */
struct whkp_check_report {
    json_t *rows; /* [{"check": ID, "status": "pass", "message": TEXT}] */
    size_t counts[3];
    int print;      /* print each row to stdout as it is added, and flush */
    char *provider; /* the name whk loads the plugin as, once init passes */

    /* Set only in a checking child process (see whkp_check_isolated). */
    int child_fd; /* rows are sent here as JSON lines */
    json_t *done; /* checks an earlier child reported: {ID: status} */
    struct whkp_progress *progress; /* shared with the parent */
};

/* Appends one check's outcome with a printf-style message. */
void whkp_check_add(struct whkp_check_report *report, const char *check,
                    enum whkp_check_status status, const char *format, ...)
    WHK_PRINTF(4, 5);

/* Stores the provider's name; a checking child sends it to its parent. */
void whkp_check_set_provider(struct whkp_check_report *report,
                             const char *name);

/*
 * Returns 1 unless an earlier child process already reported check, so
 * that a restarted child neither repeats a row nor the call that crashed.
 */
int whkp_check_pending(const struct whkp_check_report *report,
                       const char *check);

/*
 * Records, for the parent to name if the child dies or hangs, that check
 * is about to call into the plugin: call is "sign (sample 'x')". Does
 * nothing outside a checking child.
 */
void whkp_check_calling(struct whkp_check_report *report, const char *check,
                        const char *format, ...) WHK_PRINTF(3, 4);

/* Seconds each call into the plugin may take in whk plugin check. */
#define WHKP_CALL_TIME_LIMIT 5

/* The work of a checking child: adds rows to report. */
typedef void (*whkp_isolated_fn)(struct whkp_check_report *report, void *data);

/*
 * Runs run(report, data) in a child process that sends back the rows for
 * checks, the NULL-terminated list of checks it reports in order. When
 * the child crashes, exits early or spends WHKP_CALL_TIME_LIMIT seconds in
 * one call, adds a failing row for the check it was in, naming the call
 * and what happened, and starts a new child for the checks left. When
 * the first of checks fails that way, the others are skipped, as they
 * depend on it. Returns 0, or -1 when no child process can be started
 * (the checks are then skipped with the cause).
 */
int whkp_check_isolated(struct whkp_check_report *report,
                        const char *const *checks, whkp_isolated_fn run,
                        void *data);

/* Adds a skipped row for each of the given checks, with one reason. */
void whkp_check_skip_all(struct whkp_check_report *report,
                         const char *const *checks, const char *reason);

/* The declaration checks, in report order, NULL-terminated. */
extern const char *const whkp_declaration_checks[];

/* Checks each declaration of d (name through failures): one row each. */
void whkp_check_declarations(struct whkp_check_report *report,
                             const struct whk_descriptor *d);

/* The behaviour checks, in report order, NULL-terminated. */
extern const char *const whkp_behaviour_checks[];

/*
 * Signs every sample and verifies it back, then verifies a changed body, a
 * changed signature and a wrong secret, which must be rejected. Checks
 * that no text the plugin returned contains the secret, and that requests
 * signed far outside the declared tolerance are rejected. Adds one row
 * per check. A secret given by the user (len > 0) is used for a
 * shared-secret scheme; otherwise test secrets and keys are generated.
 * Calls into the plugin, so it runs in a checking child.
 */
void whkp_check_behaviour(struct whkp_check_report *report,
                          const struct whk_provider *provider,
                          struct whk_span given_secret);

/*
 * Test secrets for the behaviour checks: sign receives sign, verify
 * receives verify, and wrong is another verify secret of the same form,
 * which must not verify what sign signed.
 */
struct whkp_test_secret {
    char *sign;
    char *verify;
    char *wrong;
    const char *form; /* "32 hexadecimal characters", for messages */
};

/*
 * Fills secret with generated candidate number index for the given kind
 * of secret: shared secrets in common forms, or key pairs (Ed25519,
 * P-256) with the public key in common encodings. Returns 0 past the last
 * candidate or when generating fails.
 */
int whkp_test_secret_make(enum whk_secret_kind kind, size_t index,
                          struct whkp_test_secret *secret);

/* Fills secret from a secret the user gave, with a wrong one derived. */
int whkp_test_secret_given(struct whk_span given,
                           struct whkp_test_secret *secret);

void whkp_test_secret_clear(struct whkp_test_secret *secret);

/*
 * Forms of a secret to search the plugin's output for. They are each
 * secret text (for a PEM key, each line of its base64 body), its hex and
 * base64 encodings, and the encodings of the bytes that a hex or base64
 * secret decodes to.
 */
struct whkp_secret_forms {
    char *text[24];
    const char *name[24]; /* "test secret as hex", for messages */
    size_t count;
};

/* Fills forms from the secrets that must stay hidden in secret. */
void whkp_secret_forms_make(const struct whkp_test_secret *secret,
                            int public_key, struct whkp_secret_forms *forms);
void whkp_secret_forms_clear(struct whkp_secret_forms *forms);

/*
 * Returns the name of the first form that text contains a run of 16
 * characters of (all of it when shorter), compared case-insensitively, or
 * NULL. Forms shorter than 8 characters are not searched for, because
 * they would match ordinary words.
 */
const char *whkp_secret_forms_find(const struct whkp_secret_forms *forms,
                                   const char *text);

/*
 * Changes the middle letter or digit of the longest run of them in
 * text[0..len) to another of its class, so that hex, base64 and decimal
 * stay well-formed. Returns 0 when text has no letter or digit.
 */
int whkp_flip_run(char *text, size_t len);

/*
 * Lists the symbols an ELF shared object exports: defined, global or
 * weak, with default or protected visibility, except AddressSanitizer's
 * __odr_asan indicators. *names is released with whkp_free_names().
 */
enum whk_status whkp_elf_exports(const char *path, char ***names, size_t *count,
                                 struct whk_error *err);
void whkp_free_names(char **names, size_t count);

#endif
