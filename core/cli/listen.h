/* SPDX-License-Identifier: MIT */
/* whk listen's state and callbacks: verify, capture, respond, log. */
#ifndef WHK_LISTEN_H
#define WHK_LISTEN_H

#include <pthread.h>

#include "server.h"

/* Counts for the summary printed when the listener stops. */
struct whkp_listen_counts {
    size_t deliveries;
    size_t valid;
    size_t invalid;
    size_t not_applicable;
    size_t rejected; /* rejected with 403, not forwarded */
    size_t duplicates;
    size_t forwarded;
    size_t upstream_errors; /* 502 or 504 */
    size_t cancelled;       /* forwards cut short by the shutdown */
    size_t slow;            /* slower than the provider's timeout */
    size_t too_large;       /* answered 413 */
    size_t malformed;       /* rejected with 400 before the handler */
    size_t capture_errors;
};

struct whkp_listener {
    const struct whk_provider *provider;
    const struct whk_descriptor *descriptor;
    struct whkp_secret secret;
    const char *public_base; /* NULL: rebuilt from Host per request */
    const char *forward;     /* the app's base URL, or NULL */
    char *forward_redacted;  /* forward with its password redacted */
    int enforce;             /* reject invalid signatures with 403 */
    int quiet;               /* no line per delivery */
    int64_t tolerance;       /* --tolerance, or -1 for the provider's */
    long upstream_timeout_ms;
    struct whkp_capture *capture;
    struct whkp_seen *seen;
    char run_id[32]; /* prefix of this run's record ids */
    size_t next_id;
    pthread_mutex_t lock; /* counts, next_id and the output */
    struct whkp_listen_counts counts;
};

/* The server callbacks, with a struct whkp_listener as data. */
void whkp_listen_handle(void *data, void **connection,
                        const struct whkp_incoming *in,
                        struct whkp_reply *reply);
void whkp_listen_rejected(void *data, const char *method, const char *target,
                          int status, const char *reason);
void whkp_listen_connection_closed(void *data, void *connection);

#endif
