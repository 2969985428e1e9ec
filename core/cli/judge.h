/* SPDX-License-Identifier: MIT */
/* Judging an endpoint's response against what the provider expects. */
#ifndef WHK_JUDGE_H
#define WHK_JUDGE_H

#include "cli.h"

#define WHKP_MAX_PROBLEMS 4

/* The problems of one response, in sentences a person can act on. */
struct whkp_judgement {
    char *problems[WHKP_MAX_PROBLEMS];
    size_t problem_count;
    enum whk_reason reason; /* category of the first problem */
    int slow;               /* the response came after the timeout */
    char *summary;          /* what was right, for a passing response */
};

void whkp_judgement_clear(struct whkp_judgement *judgement);

/*
 * Checks response against the provider's declaration: a 2xx status, the
 * declared media type, a well-formed body of the declared format (XML
 * with the root element of the declared body), and a response within
 * timeout_ms.
 */
void whkp_judge_response(const struct whk_descriptor *descriptor,
                         const struct whkp_response *response, long timeout_ms,
                         struct whkp_judgement *judgement);

/*
 * Describes the latency limit timeout_ms for a message that continues
 * "longer than ...": "Stripe's declared timeout of 10 s; past that
 * timeout, " and the provider's timeout_error, or "the --timeout-ms limit
 * of 2 s" when timeout_ms is not the provider's. Returns NULL when memory
 * runs out; released with free().
 */
char *whkp_describe_timeout(const struct whk_descriptor *descriptor,
                            long timeout_ms);

/*
 * Parses body as XML with expat. Returns 1 when it is well-formed and
 * stores the root element's name in root; otherwise stores "line L,
 * column C: reason" in error and returns 0.
 */
int whkp_check_xml(const char *body, size_t len, char *root, size_t root_size,
                   char *error, size_t error_size);

/* Stores the lowercase media type of a Content-Type value, no parameters. */
void whkp_media_type(const char *content_type, char *out, size_t size);

#endif
