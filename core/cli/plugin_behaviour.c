/* SPDX-License-Identifier: MIT */
/* whk plugin check: samples sign and verify back; forgeries are rejected. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_check.h"

const char *const whkp_behaviour_checks[] = {
    "round-trip", "tampered-body", "tampered-signature", "wrong-secret", NULL,
};

/* The public URL samples are signed for; never contacted. */
#define CHECK_URL "https://webhooks.example.com/whk/check"

/* Stands in for samples when a plugin declares none. */
static const struct whk_sample fallback_samples[] = {
    {
        .name = "whk-check",
        .description = "a JSON event made up by whk plugin check",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"id\":\"evt_0123456789\",\"type\":\"check\"}",
    },
    {0},
};

/* One check's tally over the samples, and its first failure. */
struct tally {
    size_t judged;
    char failure[400];
};

static void fail(struct tally *t, const char *format, ...) WHK_PRINTF(2, 3);

static void fail(struct tally *t, const char *format, ...)
{
    va_list args;

    if (t->failure[0] != '\0')
        return;
    va_start(args, format);
    vsnprintf(t->failure, sizeof(t->failure), format, args);
    va_end(args);
}

struct run {
    const struct whk_provider *provider;
    const struct whk_descriptor *d;
    const struct whk_sample *samples;
    struct whk_context *ctx;
    struct whk_verdict *verdict;
    struct whkp_test_secret secret;
};

static struct whk_span span_of(const char *text)
{
    struct whk_span span = {text, strlen(text)};
    return span;
}

/* Builds the sample's request, unsigned; NULL when it makes none. */
static struct whk_request *build_sample(struct run *run,
                                        const struct whk_sample *s)
{
    struct whkp_request_options opts = {.url = CHECK_URL, .sample = s->name};
    struct whk_descriptor d = *run->d;
    struct whk_request *req = NULL;
    char *target = NULL;

    d.samples = run->samples;
    if (whkp_build_request(&opts, &d, &req, &target) != WHKP_EXIT_OK)
        return NULL;
    free(target);
    return req;
}

/* Builds the sample's request and signs it; NULL with t's failure set. */
static struct whk_request *
sign_sample(struct run *run, const struct whk_sample *s, struct tally *t)
{
    struct whk_request *req = build_sample(run, s);
    struct whk_error err = {0};

    if (req == NULL) {
        fail(t, "sample '%s' does not make a request", s->name);
        return NULL;
    }
    if (whk_provider_sign(run->provider, run->ctx, req,
                          span_of(run->secret.sign), &err) != WHK_OK) {
        fail(t, "sample '%s': sign failed: %s", s->name,
             err.text[0] ? err.text : "no reason given");
        whk_request_free(req);
        return NULL;
    }
    return req;
}

static enum whk_verdict_status
verify(struct run *run, const struct whk_request *req, const char *secret)
{
    whk_provider_verify(run->provider, run->ctx, req, span_of(secret),
                        run->verdict);
    return whk_verdict_status(run->verdict);
}

/* Checks that verify rejects req, a forgery that what describes. */
static void expect_invalid(struct run *run, const struct whk_request *req,
                           const char *secret, const struct whk_sample *s,
                           const char *what, struct tally *t)
{
    enum whk_verdict_status status = verify(run, req, secret);

    t->judged++;
    if (status == WHK_VALID)
        fail(t, "sample '%s': %s still verifies as valid (%s)", s->name, what,
             whk_verdict_text(run->verdict));
    else if (status != WHK_INVALID)
        fail(t,
             "sample '%s': verify has no opinion on %s; a forged "
             "request must be invalid, with a reason",
             s->name, what);
}

static void tamper_body(struct run *run, const struct whk_request *req,
                        const struct whk_sample *s, struct tally *t)
{
    struct whk_request *copy = whk_request_copy(req);
    size_t len;
    const char *body = copy ? whk_request_body(copy, &len) : NULL;
    char *changed = body ? malloc(len + 1) : NULL;

    if (changed != NULL && len > 0) {
        memcpy(changed, body, len + 1);
        if (whkp_flip_run(changed, len) &&
            whk_request_set_body(copy, changed, len) == WHK_OK)
            expect_invalid(run, copy, run->secret.verify, s,
                           "a request with one byte of the body changed", t);
    }
    free(changed);
    whk_request_free(copy);
}

/*
 * Changes one character of what sign wrote into the body. The span is
 * from the first to the last byte that differ from the unsigned sample's
 * body, and the character is in its longest run of letters and digits,
 * which is the signature when that is the longest value written there.
 */
static void tamper_body_signature(struct run *run,
                                  const struct whk_request *req,
                                  const struct whk_sample *s, struct tally *t)
{
    struct whk_request *plain = build_sample(run, s);
    struct whk_request *copy = whk_request_copy(req);
    size_t plain_len = 0, len, start = 0, end, tail = 0;
    const char *before = plain ? whk_request_body(plain, &plain_len) : "";
    const char *after = whk_request_body(req, &len);
    char *changed = malloc(len + 1);

    if (plain == NULL || copy == NULL || changed == NULL)
        goto out;
    while (start < len && start < plain_len && after[start] == before[start])
        start++;
    while (len - tail > start && plain_len - tail > start &&
           after[len - tail - 1] == before[plain_len - tail - 1])
        tail++;
    end = len - tail;
    memcpy(changed, after, len + 1);
    if (end == start || !whkp_flip_run(changed + start, end - start)) {
        t->judged++;
        fail(t,
             "sample '%s': sign wrote no signature into the body, though "
             "the flag WHK_SIGNATURE_IN_BODY says it does",
             s->name);
    } else if (whk_request_set_body(copy, changed, len) == WHK_OK) {
        expect_invalid(run, copy, run->secret.verify, s,
                       "a request with one character of the signature in "
                       "its body changed",
                       t);
    }

out:
    free(changed);
    whk_request_free(copy);
    whk_request_free(plain);
}

static void tamper_signature(struct run *run, const struct whk_request *req,
                             const struct whk_sample *s, struct tally *t)
{
    const char *const *h = run->d->signature_headers;
    const char *value = NULL;
    struct whk_request *copy;
    char *changed;

    if (run->d->flags & WHK_SIGNATURE_IN_BODY) {
        tamper_body_signature(run, req, s, t);
        return;
    }
    for (; h && *h && value == NULL; h++)
        value = whk_request_header(req, *h);
    if (value == NULL) {
        t->judged++;
        fail(t,
             "sample '%s': sign set none of the declared "
             "signature_headers",
             s->name);
        return;
    }
    copy = whk_request_copy(req);
    changed = strdup(value);
    if (copy != NULL && changed != NULL &&
        whkp_flip_run(changed, strlen(changed)) &&
        whk_request_set_header(copy, h[-1], changed) == WHK_OK)
        expect_invalid(run, copy, run->secret.verify, s,
                       "a request with one character of the signature "
                       "changed",
                       t);
    free(changed);
    whk_request_free(copy);
}

static void add_row(struct whkp_check_report *r, const char *check,
                    const struct tally *t, const char *passed)
{
    if (t->failure[0] != '\0')
        whkp_check_add(r, check, WHKP_CHECK_FAIL, "%s", t->failure);
    else if (t->judged == 0)
        whkp_check_add(r, check, WHKP_CHECK_SKIP,
                       "no sample signed and verified back");
    else
        whkp_check_add(r, check, WHKP_CHECK_PASS, "%s for %zu sample%s", passed,
                       t->judged, t->judged == 1 ? "" : "s");
}

static void run_samples(struct whkp_check_report *r, struct run *run)
{
    struct tally trip = {0}, body = {0}, sig = {0}, wrong = {0};
    /*
     * A signature in the body may cover none of the rest (Mailgun signs a
     * timestamp and a token), and then a changed event still verifies.
     */
    unsigned int flags = run->d->flags;
    int signs_body = !(flags & WHK_SIGNATURE_IN_BODY) ||
                     (flags & (WHK_SIGNS_BODY | WHK_SIGNS_PARAMS));

    for (const struct whk_sample *s = run->samples; s->name; s++) {
        struct whk_request *req = sign_sample(run, s, &trip);

        if (req == NULL)
            continue;
        trip.judged++;
        if (verify(run, req, run->secret.verify) != WHK_VALID) {
            fail(&trip,
                 "sample '%s': the signed request does not verify: "
                 "%s",
                 s->name, whk_verdict_text(run->verdict));
        } else {
            if (signs_body)
                tamper_body(run, req, s, &body);
            tamper_signature(run, req, s, &sig);
            expect_invalid(run, req, run->secret.wrong, s,
                           "verifying with another secret", &wrong);
        }
        whk_request_free(req);
    }
    if (trip.failure[0] == '\0')
        whkp_check_add(r, "round-trip", WHKP_CHECK_PASS,
                       "%zu sample%s sign%s and verif%s back (test "
                       "secret: %s)",
                       trip.judged, trip.judged == 1 ? "" : "s",
                       trip.judged == 1 ? "s" : "",
                       trip.judged == 1 ? "ies" : "y", run->secret.form);
    else
        add_row(r, "round-trip", &trip, "");
    if (signs_body)
        add_row(r, "tampered-body", &body, "a changed body is rejected");
    else
        whkp_check_add(r, "tampered-body", WHKP_CHECK_SKIP,
                       "the signature is in the body and covers neither "
                       "the rest of it nor its form fields "
                       "(WHK_SIGNATURE_IN_BODY without WHK_SIGNS_BODY or "
                       "WHK_SIGNS_PARAMS)");
    add_row(r, "tampered-signature", &sig, "a changed signature is rejected");
    add_row(r, "wrong-secret", &wrong, "another secret is rejected");
}

static int accepted(const struct run *run, const struct whkp_test_secret *s)
{
    return whk_provider_check_secret(run->provider, span_of(s->sign), 1,
                                     NULL) == WHK_OK &&
           whk_provider_check_secret(run->provider, span_of(s->verify), 0,
                                     NULL) == WHK_OK &&
           whk_provider_check_secret(run->provider, span_of(s->wrong), 0,
                                     NULL) == WHK_OK;
}

/* Returns 1 when the first sample signs and verifies back with s. */
static int round_trips(struct run *run)
{
    struct tally t = {0};
    struct whk_request *req = sign_sample(run, run->samples, &t);
    int ok = req != NULL && verify(run, req, run->secret.verify) == WHK_VALID;

    whk_request_free(req);
    return ok;
}

/*
 * Picks the first generated secret that check_secret accepts and that
 * round-trips the first sample, else the first it accepts. Returns 0 when
 * it accepts none.
 */
static int choose_secret(struct run *run)
{
    struct whkp_test_secret first = {0}, candidate;

    for (size_t i = 0;
         whkp_test_secret_make(run->d->secret.kind, i, &candidate); i++) {
        if (!accepted(run, &candidate)) {
            whkp_test_secret_clear(&candidate);
            continue;
        }
        run->secret = candidate;
        if (round_trips(run)) {
            whkp_test_secret_clear(&first);
            return 1;
        }
        if (first.sign == NULL)
            first = candidate;
        else
            whkp_test_secret_clear(&candidate);
    }
    run->secret = first;
    return first.sign != NULL;
}

void whkp_check_behaviour(struct whkp_check_report *report,
                          const struct whk_provider *provider,
                          struct whk_span given_secret)
{
    struct run run = {.provider = provider};
    int have_secret;

    run.d = whk_provider_descriptor(provider);
    run.samples = run.d->samples && run.d->samples->name ? run.d->samples
                                                         : fallback_samples;
    run.ctx = whk_context_new();
    run.verdict = whk_verdict_new();
    if (run.ctx == NULL || run.verdict == NULL) {
        whkp_check_skip_all(report, whkp_behaviour_checks, "out of memory");
        goto out;
    }

    if (given_secret.len > 0)
        have_secret = whkp_test_secret_given(given_secret, &run.secret) &&
                      accepted(&run, &run.secret);
    else
        have_secret = choose_secret(&run);
    if (!have_secret) {
        whkp_check_add(report, "round-trip", WHKP_CHECK_FAIL,
                       "check_secret rejected %s; pass a secret of the "
                       "provider's form (%s) with --secret-env or "
                       "--secret-file",
                       given_secret.len ? "the secret given"
                                        : "every generated test secret",
                       run.d->secret.form ? run.d->secret.form : "?");
        whkp_check_skip_all(report, whkp_behaviour_checks + 1,
                            "no usable test secret");
        goto out;
    }
    run_samples(report, &run);

out:
    whkp_test_secret_clear(&run.secret);
    whk_verdict_free(run.verdict);
    whk_context_free(run.ctx);
}
