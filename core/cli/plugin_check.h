/* SPDX-License-Identifier: MIT */
/* whk plugin check: the report and the checks its source files share. */
#ifndef WHK_PLUGIN_CHECK_H
#define WHK_PLUGIN_CHECK_H

#include <jansson.h>

#include "cli.h"

enum whkp_check_status {
    WHKP_CHECK_PASS = 0,
    WHKP_CHECK_FAIL = 1,
    WHKP_CHECK_SKIP = 2 /* could not run because an earlier check failed */
};

/* The checks run so far, in order, and how many ended each way. */
struct whkp_check_report {
    json_t *rows; /* [{"check": ID, "status": "pass", "message": TEXT}] */
    size_t counts[3];
};

/* Appends one check's outcome with a printf-style message. */
void whkp_check_add(struct whkp_check_report *report, const char *check,
                    enum whkp_check_status status, const char *format, ...)
    WHK_PRINTF(4, 5);

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
 * changed signature and a wrong secret, which must be rejected: one row
 * each. A secret given by the user (len > 0) is used for a shared-secret
 * scheme; otherwise test secrets and keys are generated.
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
