/* SPDX-License-Identifier: MIT */
/* whk test's probes: requests that a validating endpoint must reject. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "tester.h"

/* How far beyond the tolerance the stale-timestamp probe is signed. */
#define STALE_MARGIN_SECONDS 3600

/* The fix for an accepted forgery when the provider declares none. */
static const char forgery_fix[] =
    "verify the signature of every request with the provider's library "
    "before acting on it, and answer 4xx (401 or 403) when it fails";

/* The fix for an endpoint that accepts a stale timestamp. */
static const char stale_fix[] =
    "reject a request whose signed timestamp is further from the clock "
    "than the tolerance, as the provider's library does unless its "
    "tolerance check is turned off, so that a captured request cannot be "
    "sent again later";

/* The name of a probe, what it sends, and its problem when accepted. */
struct probe_text {
    const char *name;     /* the check's name */
    const char *accepted; /* the problem's start when it gets 2xx */
    const char *request;  /* "with no signature header" */
    const char *fix;      /* NULL: the provider's fix for a forgery, or
                             forgery_fix */
};

/*
 * Fails check as inconclusive when the response came from no handler of
 * the webhook (404, 405, a redirect), because such a response rejects no
 * signature. Returns 1 when it did.
 */
static int inconclusive(struct whkp_check *check, const struct probe_text *text,
                        const struct whk_request *req,
                        const struct whkp_response *response)
{
    char *cause = whkp_route_cause(response, whk_request_method(req));

    if (cause == NULL)
        return 0;
    check->passed = 0;
    check->cause = cause;
    whkp_check_add_problem(
        check, whkp_sprintf("inconclusive: it answered %ld to a request %s, "
                            "which shows nothing about its signature check",
                            response->status, text->request));
    whkp_check_keep_body(check, response);
    return 1;
}

/*
 * Sends a request that the endpoint must reject with 4xx. A 2xx response
 * fails the check with the problem "ACCEPTED: it answered STATUS to a
 * request REQUEST", and so do, as inconclusive, a response from no handler
 * of the webhook, and a 5xx.
 */
static int probe(struct whkp_tester *t, const struct probe_text *text,
                 const struct whk_request *req, const char *local)
{
    struct whkp_response response;
    struct whkp_check *check = whkp_tester_add_check(t, text->name, 1, local);
    char *problem;

    if (check == NULL)
        return 0;
    if (whkp_tester_send(t, local, req, &response, check) != WHKP_SEND_OK)
        return !t->unreachable;
    check->status = response.status;
    check->seconds = response.seconds;
    check->passed = response.status < 200 || response.status > 299;
    if (inconclusive(check, text, req, &response)) {
        /* The problem and the cause explain why. */
    } else if (response.status >= 500) {
        /* A crash on every request would otherwise pass as a rejection. */
        check->passed = 0;
        whkp_check_add_problem(
            check, whkp_sprintf("it answered %ld to a request %s; reject it "
                                "with 4xx (401 or 403), because a 5xx makes "
                                "the provider retry and shows nothing about "
                                "the signature check",
                                response.status, text->request));
        whkp_check_keep_body(check, &response);
    } else if (check->passed) {
        check->summary = strdup("rejected");
    } else {
        if (asprintf(&problem, "%s: it answered %ld to a request %s",
                     text->accepted, response.status, text->request) < 0)
            problem = NULL;
        whkp_check_add_problem(check, problem);
        check->fix = text->fix;
        whkp_tester_use_fix(t, check, WHK_REASON_FORGERY_ACCEPTED);
        if (check->fix == NULL)
            check->fix = forgery_fix;
        whkp_check_keep_body(check, &response);
    }
    whkp_response_clear(&response);
    return 1;
}

/* Adds a passing check whose summary gives the reason a probe was not sent. */
static int skip(struct whkp_tester *t, const char *name, const char *local,
                const char *why)
{
    struct whkp_check *check = whkp_tester_add_check(t, name, 1, local);

    if (check == NULL)
        return 0;
    check->passed = 1;
    check->summary = strdup(why);
    return 1;
}

/* Sends req signed with a secret of the right form that is not the one. */
static int probe_forged(struct whkp_tester *t, struct whk_request *req,
                        const char *local)
{
    int key_pair = t->descriptor->secret.kind == WHK_SECRET_PUBLIC_KEY;
    const struct probe_text text = {
        "forged signature", "the endpoint accepted a forged request",
        key_pair ? "with a signature made with another private key"
                 : "with a signature made with another secret",
        NULL};
    size_t len;
    char *forged = whkp_forge_secret(t->provider, &t->secret, req, &len);
    struct whk_span span = {forged, forged ? len : 0};
    int ok;

    if (forged == NULL || !whkp_tester_sign(t, req, span, 0, NULL))
        ok = skip(t, "forged signature", local,
                  key_pair ? "skipped: no other key pair could be made"
                           : "skipped: the altered secret cannot sign");
    else
        ok = probe(t, &text, req, local);
    if (forged != NULL) {
        OPENSSL_cleanse(forged, len);
        free(forged);
    }
    return ok;
}

/* The tolerance the stale probe goes beyond, or 0 for none. */
static int64_t tolerance(const struct whkp_tester *t)
{
    return t->tolerance >= 0 ? t->tolerance
                             : (int64_t)t->descriptor->tolerance_seconds;
}

/* Returns 1 when a and b have the same URL, headers and body. */
static int same_request(const struct whk_request *a,
                        const struct whk_request *b)
{
    size_t count = whk_request_header_count(a), a_len, b_len;
    const char *a_body = whk_request_body(a, &a_len);
    const char *b_body = whk_request_body(b, &b_len);
    const char *a_url = whk_request_url(a), *b_url = whk_request_url(b);

    if (count != whk_request_header_count(b) || a_len != b_len ||
        memcmp(a_body, b_body, a_len) != 0 ||
        (a_url == NULL) != (b_url == NULL) ||
        (a_url != NULL && strcmp(a_url, b_url) != 0))
        return 0;
    for (size_t i = 0; i < count; i++) {
        const char *a_name, *a_value, *b_name, *b_value;

        whk_request_header_at(a, i, &a_name, &a_value);
        whk_request_header_at(b, i, &b_name, &b_value);
        if (strcmp(a_name, b_name) != 0 || strcmp(a_value, b_value) != 0)
            return 0;
    }
    return 1;
}

/*
 * Returns 1 when the scheme signs a timestamp: signing a copy of req now
 * and another an hour ago gives different requests.
 */
static int signs_timestamp(struct whkp_tester *t, const struct whk_request *req)
{
    struct whk_request *now = whk_request_copy(req);
    struct whk_request *earlier = whk_request_copy(req);
    int different = 1;

    if (now != NULL && earlier != NULL &&
        whkp_tester_sign(t, now, whkp_secret_span(&t->secret), 0, NULL) &&
        whkp_tester_sign(t, earlier, whkp_secret_span(&t->secret), 3600, NULL))
        different = !same_request(now, earlier);
    whk_request_free(now);
    whk_request_free(earlier);
    return different;
}

/*
 * Sends req signed with a timestamp older than the tolerance allows.
 * NOTE: no probe is signed ahead of the clock, because Stripe's, Slack's
 * and Paddle's libraries accept future timestamps.
 */
static int probe_stale(struct whkp_tester *t, struct whk_request *req,
                       const char *local)
{
    int64_t limit = tolerance(t), age = limit + STALE_MARGIN_SECONDS;
    struct probe_text text = {"stale timestamp",
                              "the endpoint accepts replayed requests", NULL,
                              stale_fix};
    char *request, *reason;
    int ok;

    if (!signs_timestamp(t, req)) {
        if (asprintf(&reason,
                     "skipped: %s signs no timestamp, so a replayed request "
                     "is identical to a fresh one",
                     t->descriptor->title) < 0)
            return 0;
        ok = skip(t, "stale timestamp", local, reason);
        free(reason);
        return ok;
    }
    if (!whkp_tester_sign(t, req, whkp_secret_span(&t->secret), age, NULL))
        return skip(t, "stale timestamp", local,
                    "skipped: the provider's plugin cannot sign it");
    if (asprintf(&request,
                 "signed %lld s ago, %d s beyond the tolerance of "
                 "%lld s",
                 (long long)age, STALE_MARGIN_SECONDS, (long long)limit) < 0)
        return 0;
    text.request = request;
    ok = probe(t, &text, req, local);
    free(request);
    return ok;
}

int whkp_test_probes(struct whkp_tester *t, const struct whk_sample *sample)
{
    static const struct probe_text missing = {
        "missing signature", "the endpoint accepted a forged request",
        "with no signature header", NULL};
    static const struct probe_text missing_in_body = {
        "missing signature", "the endpoint accepted a forged request",
        "with no signature in its body", NULL};
    struct whk_request *req = NULL, *unsigned_req = NULL;
    char *local = NULL;
    int ok = 0;

    if (!whkp_tester_build_sample(t, sample, &req, &local))
        return 0;
    if (!whkp_tester_mark_probe(req))
        goto out;
    unsigned_req = whk_request_copy(req);
    if (unsigned_req == NULL || !probe_forged(t, req, local) || t->unreachable)
        goto out;

    /* A signature in the body is missing from the unsigned sample. */
    if (t->descriptor->flags & WHK_SIGNATURE_IN_BODY) {
        ok = probe(t, &missing_in_body, unsigned_req, local);
    } else {
        for (const char *const *h = t->descriptor->signature_headers; h && *h;
             h++)
            whk_request_remove_header(req, *h);
        ok = probe(t, &missing, req, local);
    }
    if (ok && !t->unreachable && tolerance(t) > 0)
        ok = probe_stale(t, unsigned_req, local);

out:
    whk_request_free(req);
    whk_request_free(unsigned_req);
    free(local);
    return ok;
}
