/* SPDX-License-Identifier: MIT */
/* The checks whk test runs against an endpoint, and their results. */
#ifndef WHK_TESTER_H
#define WHK_TESTER_H

#include "cli.h"

#define WHKP_MAX_CHECK_PROBLEMS 4

/* One request sent and what came of it. */
struct whkp_check {
    char *name;    /* sample name, or the probe's */
    int probe;     /* 1 for a forged or unsigned request */
    int challenge; /* 1 for an endpoint challenge, forged or not */
    int passed;
    long status; /* 0 when there was no response */
    double seconds;
    char *url;     /* where it was sent */
    char *summary; /* what was right, when passed */
    char *problems[WHKP_MAX_CHECK_PROBLEMS];
    size_t problem_count;
    char *cause;     /* what the diagnosis found, or NULL */
    const char *fix; /* the provider's fix for the symptom, or NULL */
    char *body;      /* the response body, kept on failure */
    size_t body_len;
};

struct whkp_tester {
    const struct whk_provider *provider;
    const struct whk_descriptor *descriptor;
    struct whkp_secret secret;
    char *target;      /* local endpoint URL */
    char *public_url;  /* the URL the provider would request */
    int behind_tunnel; /* send Host and X-Forwarded-Proto of public_url */
    long timeout_ms;   /* the provider's timeout, or --timeout-ms */
    int64_t tolerance; /* --tolerance, or -1 for the provider's */
    long request_timeout_ms;
    void *curl;
    struct whkp_check *checks;
    size_t check_count;
    int unreachable;
    char error[512];
};

/*
 * Sends sample signed for the public URL and judges the response; a
 * rejection is diagnosed with extra requests. Returns 0 when the run must
 * stop: the endpoint is unreachable (t->unreachable) or the sample cannot
 * be built.
 */
int whkp_test_sample(struct whkp_tester *t, const struct whk_sample *sample);

/*
 * Sends sample with a forged signature, then with none, then, for a
 * scheme with a timestamp tolerance, signed with a timestamp beyond it.
 * Returns 0 when the run must stop, as whkp_test_sample() does.
 */
int whkp_test_probes(struct whkp_tester *t, const struct whk_sample *sample);

/* Returns 1 when any check failed. */
int whkp_test_failed(const struct whkp_tester *t);

/*
 * Helpers shared by the sample checks (tester.c) and the probes
 * (probes.c).
 */

/* Appends a check; the pointer is valid until the next one is added. */
struct whkp_check *whkp_tester_add_check(struct whkp_tester *t,
                                         const char *name, int probe,
                                         const char *url);

/* Takes text as a problem of check; NULL (out of memory) is ignored. */
void whkp_check_add_problem(struct whkp_check *check, char *text);

/* Keeps the start of a failing response's body for the report. */
void whkp_check_keep_body(struct whkp_check *check,
                          const struct whkp_response *response);

/* Sets the provider's fix for reason as the check's, unless it has one. */
void whkp_tester_use_fix(const struct whkp_tester *t, struct whkp_check *check,
                         enum whk_reason reason);

/* Adds Host and X-Forwarded-Proto of the public URL behind a tunnel. */
int whkp_tester_add_tunnel_headers(const struct whkp_tester *t,
                                   struct whk_request *req);

/* Builds sample addressed to the public URL; *local is where it goes. */
int whkp_tester_build_sample(const struct whkp_tester *t,
                             const struct whk_sample *sample,
                             struct whk_request **req, char **local);

/* Signs req with secret at the current time minus age seconds. */
int whkp_tester_sign(const struct whkp_tester *t, struct whk_request *req,
                     struct whk_span secret, int64_t age,
                     struct whk_error *err);

/*
 * Sends req to url. An unreachable endpoint stops the run; a timeout or
 * transfer failure becomes a problem of check (which may be NULL).
 */
enum whkp_send_result whkp_tester_send(struct whkp_tester *t, const char *url,
                                       const struct whk_request *req,
                                       struct whkp_response *response,
                                       struct whkp_check *check);

/*
 * Adds the X-Whk-Test: probe header, which marks a request sent to probe
 * the endpoint or to diagnose a rejection, so that 'whk verify' and 'whk
 * replay' pass over its capture record by default. Returns 0 when memory
 * runs out.
 */
int whkp_tester_mark_probe(struct whk_request *req);

/*
 * Returns the cause of a response that the webhook's handler did not
 * give: 404 or 405, where no route answers method at the path, or a
 * redirect (3xx), which most providers do not follow. NULL for another
 * status or when memory runs out. Released with free().
 */
char *whkp_route_cause(const struct whkp_response *response,
                       const char *method);

/*
 * Returns a secret of the same form as secret that signs sample
 * differently, for the forged-signature probe, and its length in *len.
 * For a key pair it is a new PEM private key of the same type. For a
 * shared secret it is the secret with one character changed, chosen so
 * that the provider's form check accepts it. Returns NULL when none is
 * found or memory runs out. The caller clears and frees the result.
 */
char *whkp_forge_secret(const struct whk_provider *provider,
                        const struct whkp_secret *secret,
                        const struct whk_request *sample, size_t *len);

void whkp_test_print_table(const struct whkp_tester *t);
void whkp_test_print_json(const struct whkp_tester *t);
void whkp_tester_clear(struct whkp_tester *t);

#endif
