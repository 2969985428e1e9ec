/* SPDX-License-Identifier: MIT */
/* The checks whk test runs against an endpoint, and their results. */
#ifndef WHK_TESTER_H
#define WHK_TESTER_H

#include "cli.h"

#define WHKP_MAX_CHECK_PROBLEMS 4

/* One request sent and what came of it. */
struct whkp_check {
    char *name;        /* sample name, or the probe's */
    int probe;         /* 1 for a forged or unsigned request */
    int passed;
    long status;       /* 0 when there was no response */
    double seconds;
    char *url;         /* where it was sent */
    char *summary;     /* what was right, when passed */
    char *problems[WHKP_MAX_CHECK_PROBLEMS];
    size_t problem_count;
    char *cause;       /* what the diagnosis found, or NULL */
    const char *fix;   /* the provider's fix for the symptom, or NULL */
    char *body;        /* the response body, kept on failure */
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

/* Sends sample with a forged signature, then with none. */
int whkp_test_probes(struct whkp_tester *t, const struct whk_sample *sample);

/* Returns 1 when any check failed. */
int whkp_test_failed(const struct whkp_tester *t);

void whkp_test_print_table(const struct whkp_tester *t);
void whkp_test_print_json(const struct whkp_tester *t);
void whkp_tester_clear(struct whkp_tester *t);

#endif
