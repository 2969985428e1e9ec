/* SPDX-License-Identifier: MIT */
/* Mailgun plugin: the signature fields in a body, and declaration tables. */
#ifndef WHK_MAILGUN_H
#define WHK_MAILGUN_H

#include <whk/plugin.h>

#define MAILGUN_HIDDEN __attribute__((visibility("hidden")))

/* The signature fields, in the order Mailgun writes them. */
enum mailgun_field {
    MAILGUN_TOKEN,
    MAILGUN_TIMESTAMP,
    MAILGUN_SIGNATURE,
    MAILGUN_PARENT_SIGNATURE, /* subaccounts: the primary account's */
    MAILGUN_FIELD_COUNT
};

/*
 * The signature fields of a delivery: members of the JSON body's
 * "signature" object, or fields of a form-encoded body. Each value is a
 * NUL-terminated copy that may contain NUL bytes; absent ones are NULL.
 */
struct mailgun_fields {
    char *value[MAILGUN_FIELD_COUNT];
    size_t len[MAILGUN_FIELD_COUNT];
    int json; /* 1: from a JSON body */
};

/*
 * Reads the signature fields of req's body, chosen by its Content-Type:
 * JSON, or application/x-www-form-urlencoded. Returns WHK_ERR_NOT_FOUND
 * when a field is missing, WHK_ERR_INVALID when the body or a field is
 * malformed, and WHK_ERR_UNSUPPORTED for another media type. err names the
 * field or the fault. Release f with mailgun_fields_clear().
 */
MAILGUN_HIDDEN enum whk_status
mailgun_fields_read(const struct whk_request *req, struct mailgun_fields *f,
                    struct whk_error *err);

MAILGUN_HIDDEN void mailgun_fields_clear(struct mailgun_fields *f);

/* Returns a field's name as the body spells it: "signature.token". */
MAILGUN_HIDDEN const char *mailgun_field_name(int json,
                                              enum mailgun_field field);

/*
 * Writes timestamp, token and signature into req's body: as the JSON
 * body's "signature" object, which replaces any earlier one, or as the
 * last three fields of a form body, replacing earlier ones. The rest of
 * the body is kept byte for byte.
 */
MAILGUN_HIDDEN enum whk_status mailgun_fields_write(struct whk_request *req,
                                                    const char *timestamp,
                                                    const char *token,
                                                    const char *signature,
                                                    struct whk_error *err);

MAILGUN_HIDDEN extern const struct whk_field mailgun_fields[];
MAILGUN_HIDDEN extern const struct whk_sample mailgun_samples[];
MAILGUN_HIDDEN extern const struct whk_key mailgun_keys[];
MAILGUN_HIDDEN extern const struct whk_failure mailgun_failures[];

#endif
