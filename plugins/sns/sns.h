/* SPDX-License-Identifier: MIT */
/* Amazon SNS plugin: message parsing and declarations shared by its files. */
#ifndef WHK_SNS_H
#define WHK_SNS_H

#include <stdint.h>

#include <jansson.h>
#include <whk/plugin.h>

#define SNS_HIDDEN __attribute__((visibility("hidden")))

SNS_HIDDEN extern const struct whk_field sns_fields[];
SNS_HIDDEN extern const struct whk_sample sns_samples[];
SNS_HIDDEN extern const struct whk_key sns_keys[];
SNS_HIDDEN extern const struct whk_failure sns_failures[];
SNS_HIDDEN extern const struct whk_challenge sns_challenges[];

/*
 * Parses body as the JSON object SNS posts and checks Type. Returns the
 * object (released with json_decref()), or NULL with err naming the fault.
 */
SNS_HIDDEN json_t *sns_parse(const char *body, size_t len,
                             struct whk_error *err);

/*
 * Builds the string to sign of message: "Name\nvalue\n" for each signed
 * member of its Type, in AWS's fixed order. Returns it (released with
 * free()) and its length, or NULL with err naming a missing member. When
 * names is not NULL it receives the members used, comma-separated.
 */
SNS_HIDDEN char *sns_string_to_sign(json_t *message, size_t *len, char *names,
                                    size_t names_size, struct whk_error *err);

/*
 * Returns a copy of the JSON object text body[0..len) with top-level
 * member name set to the string value: its value replaced in place, or
 * the member appended. Other bytes stay as they are. NULL when memory
 * runs out.
 */
SNS_HIDDEN char *sns_body_set(const char *body, size_t len, const char *name,
                              const char *value, size_t *out_len);

/*
 * Returns 1 when url is where SNS keeps its signing certificates: https,
 * host sns.REGION.amazonaws.com or .amazonaws.com.cn, no port, a path
 * ending in ".pem", no query. Otherwise writes the fault into why.
 */
SNS_HIDDEN int sns_certificate_url_ok(const char *url, char *why,
                                      size_t why_size);

/* Parses "2012-04-26T20:45:04.751Z" into seconds; returns 0 if malformed. */
SNS_HIDDEN int sns_parse_time(const char *text, int64_t *seconds);

/* Writes seconds as SNS writes Timestamp, with ".000Z". */
SNS_HIDDEN void sns_format_time(int64_t seconds, char *buf, size_t size);

#endif
