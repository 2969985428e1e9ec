/* SPDX-License-Identifier: MIT */
/* whk plugin check: samples sign and verify back; forgeries are rejected. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_check.h"

const char *const whkp_behaviour_checks[] = {
    "round-trip",   "tampered-body",   "tampered-signature",
    "wrong-secret", "secret-exposure", "tolerance",
    NULL,
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
    struct whkp_check_report *report;
    const char *check; /* the check the next call into the plugin is for */
    const struct whk_provider *provider;
    const struct whk_descriptor *d;
    const struct whk_sample *samples;
    struct whk_context *ctx;
    struct whk_verdict *verdict;
    struct whkp_test_secret secret;
    struct whkp_secret_forms forms; /* searched for in every text returned */
    size_t texts;                   /* texts searched */
    char exposure[300];             /* where a secret form first appeared */
};

static struct whk_span span_of(const char *text)
{
    struct whk_span span = {text, strlen(text)};
    return span;
}

static void search_text(struct run *run, const char *text, const char *where,
                        ...) WHK_PRINTF(3, 4);

/* Records where text, returned by the plugin, first shows the secret. */
static void search_text(struct run *run, const char *text, const char *where,
                        ...)
{
    const char *form;
    char place[200];
    va_list args;

    if (text == NULL || text[0] == '\0')
        return;
    run->texts++;
    form = whkp_secret_forms_find(&run->forms, text);
    if (form == NULL || run->exposure[0] != '\0')
        return;
    va_start(args, where);
    vsnprintf(place, sizeof(place), where, args);
    va_end(args);
    snprintf(run->exposure, sizeof(run->exposure), "%s contains the %s", place,
             form);
}

/* Returns text, or a placeholder when it contains the secret. */
static const char *shown(const struct run *run, const char *text)
{
    if (text != NULL && whkp_secret_forms_find(&run->forms, text) != NULL)
        return "(withheld: the text contains the test secret)";
    return text;
}

static void search_verdict(struct run *run, const struct whk_sample *s)
{
    const struct whk_verdict *v = run->verdict;

    search_text(run, whk_verdict_text(v), "verify's verdict for sample '%s'",
                s->name);
    for (size_t i = 0; i < whk_verdict_note_count(v); i++)
        search_text(run, whk_verdict_note_at(v, i),
                    "a note of verify's verdict for sample '%s'", s->name);
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
    enum whk_status status;

    if (req == NULL) {
        fail(t, "sample '%s' does not make a request", s->name);
        return NULL;
    }
    whkp_check_calling(run->report, run->check, "sign (sample '%s')", s->name);
    status = whk_provider_sign(run->provider, run->ctx, req,
                               span_of(run->secret.sign), &err);
    search_text(run, err.text, "sign's error for sample '%s'", s->name);
    if (status != WHK_OK) {
        fail(t, "sample '%s': sign failed: %s", s->name,
             err.text[0] ? shown(run, err.text) : "no reason given");
        whk_request_free(req);
        return NULL;
    }
    return req;
}

static enum whk_verdict_status verify(struct run *run,
                                      const struct whk_request *req,
                                      const char *secret,
                                      const struct whk_sample *s)
{
    whkp_check_calling(run->report, run->check, "verify (sample '%s')",
                       s->name);
    whk_provider_verify(run->provider, run->ctx, req, span_of(secret),
                        run->verdict);
    search_verdict(run, s);
    return whk_verdict_status(run->verdict);
}

/* Checks that verify rejects req, a forgery that what describes. */
static void expect_invalid(struct run *run, const struct whk_request *req,
                           const char *secret, const struct whk_sample *s,
                           const char *what, struct tally *t)
{
    enum whk_verdict_status status = verify(run, req, secret, s);

    t->judged++;
    if (status == WHK_VALID)
        fail(t, "sample '%s': %s still verifies as valid (%s)", s->name, what,
             shown(run, whk_verdict_text(run->verdict)));
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
 * Changes one character of what sign wrote into the body. That span runs
 * from the first to the last byte that differs from the unsigned sample's
 * body. The changed character is in the span's longest run of letters and
 * digits, which is the signature when it is the longest value written.
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
     * A secret sent as-is covers no byte of the body, and a signature in
     * the body may cover none of the rest (Mailgun signs a timestamp and a
     * token), so a changed event still verifies.
     */
    unsigned int flags = run->d->flags;
    int unsigned_body = (flags & WHK_SENDS_SECRET) ||
                        ((flags & WHK_SIGNATURE_IN_BODY) &&
                         !(flags & (WHK_SIGNS_BODY | WHK_SIGNS_PARAMS)));

    for (const struct whk_sample *s = run->samples; s->name; s++) {
        struct whk_request *req;

        run->check = "round-trip";
        req = sign_sample(run, s, &trip);
        if (req == NULL)
            continue;
        trip.judged++;
        if (verify(run, req, run->secret.verify, s) != WHK_VALID) {
            fail(&trip,
                 "sample '%s': the signed request does not verify: "
                 "%s",
                 s->name, shown(run, whk_verdict_text(run->verdict)));
        } else {
            /* A check that crashed in an earlier child is not run again. */
            run->check = "tampered-body";
            if (!unsigned_body && whkp_check_pending(r, run->check))
                tamper_body(run, req, s, &body);
            run->check = "tampered-signature";
            if (whkp_check_pending(r, run->check))
                tamper_signature(run, req, s, &sig);
            run->check = "wrong-secret";
            if (whkp_check_pending(r, run->check))
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
    if (unsigned_body)
        whkp_check_add(r, "tampered-body", WHKP_CHECK_SKIP,
                       (flags & WHK_SENDS_SECRET)
                           ? "the provider sends its secret as-is "
                             "(WHK_SENDS_SECRET), which covers no body"
                           : "the signature is in the body and covers "
                             "neither the rest of it nor its form fields "
                             "(WHK_SIGNATURE_IN_BODY without WHK_SIGNS_BODY "
                             "or WHK_SIGNS_PARAMS)");
    else
        add_row(r, "tampered-body", &body, "a changed body is rejected");
    add_row(r, "tampered-signature", &sig, "a changed signature is rejected");
    add_row(r, "wrong-secret", &wrong, "another secret is rejected");
}

/* Runs check_secret on secret, searching its error for the secret. */
static int secret_ok(struct run *run, const char *secret, int for_signing,
                     const char *which)
{
    struct whk_error err = {0};
    enum whk_status status;

    whkp_check_calling(run->report, run->check, "check_secret (%s)", which);
    status = whk_provider_check_secret(run->provider, span_of(secret),
                                       for_signing, &err);
    search_text(run, err.text, "check_secret's error for %s", which);
    return status == WHK_OK;
}

static int accepted(struct run *run, const struct whkp_test_secret *s)
{
    return secret_ok(run, s->sign, 1, "the signing secret") &&
           secret_ok(run, s->verify, 0, "the verifying secret") &&
           secret_ok(run, s->wrong, 0, "another secret");
}

/*
 * Hands the plugin the test secret with "!" appended, a malformed secret
 * whose error messages must not echo it either.
 */
static void probe_malformed(struct run *run)
{
    char *sign = whkp_sprintf("%s!", run->secret.sign);
    char *verify_secret = whkp_sprintf("%s!", run->secret.verify);
    char *kept = run->secret.sign;
    struct whk_request *req;
    struct tally t = {0};

    if (sign == NULL || verify_secret == NULL)
        goto out;
    secret_ok(run, sign, 1, "a malformed signing secret");
    secret_ok(run, verify_secret, 0, "a malformed verifying secret");
    run->secret.sign = sign;
    req = sign_sample(run, run->samples, &t);
    run->secret.sign = kept;
    whk_request_free(req);
    req = sign_sample(run, run->samples, &t);
    if (req != NULL)
        verify(run, req, verify_secret, run->samples);
    whk_request_free(req);

out:
    free(sign);
    free(verify_secret);
}

static void check_exposure(struct whkp_check_report *r, struct run *run)
{
    run->check = "secret-exposure";
    if (!whkp_check_pending(r, run->check))
        return;
    probe_malformed(run);
    if (run->exposure[0] != '\0')
        whkp_check_add(r, run->check, WHKP_CHECK_FAIL,
                       "%s; whk prints verdicts and errors, so name the "
                       "expected form instead of copying the secret",
                       run->exposure);
    else
        whkp_check_add(r, run->check, WHKP_CHECK_PASS,
                       "none of the %zu verdicts, notes and errors the "
                       "plugin returned contains the test secret",
                       run->texts);
}

static int same_headers(const struct whk_request *a,
                        const struct whk_request *b)
{
    size_t count = whk_request_header_count(a);

    if (count != whk_request_header_count(b))
        return 0;
    for (size_t i = 0; i < count; i++) {
        const char *name_a, *value_a, *name_b, *value_b;

        if (whk_request_header_at(a, i, &name_a, &value_a) != WHK_OK ||
            whk_request_header_at(b, i, &name_b, &value_b) != WHK_OK ||
            strcmp(name_a, name_b) != 0 || strcmp(value_a, value_b) != 0)
            return 0;
    }
    return 1;
}

static int same_request(const struct whk_request *a,
                        const struct whk_request *b)
{
    size_t len_a, len_b;
    const char *body_a = whk_request_body(a, &len_a);
    const char *body_b = whk_request_body(b, &len_b);
    const char *url_a = whk_request_url(a), *url_b = whk_request_url(b);

    return same_headers(a, b) && len_a == len_b &&
           (len_a == 0 || memcmp(body_a, body_b, len_a) == 0) &&
           strcmp(url_a ? url_a : "", url_b ? url_b : "") == 0;
}

/* Signs s at offset seconds from now, with a fixed message id. */
static struct whk_request *sign_at(struct run *run, const struct whk_sample *s,
                                   int64_t offset)
{
    struct whk_context *now = run->ctx, *at = whk_context_new();
    struct whk_request *req = NULL;
    struct tally t = {0};

    if (at != NULL &&
        whk_context_set_id(at, "msg_whk_tolerance_check") == WHK_OK) {
        whk_context_set_time(at, whk_context_time(now) + offset);
        run->ctx = at;
        req = sign_sample(run, s, &t);
        run->ctx = now;
    }
    whk_context_free(at);
    return req;
}

/* Checks that verify, now, rejects req, signed offset seconds from now. */
static void expect_stale(struct run *run, const struct whk_request *req,
                         const struct whk_sample *s, int64_t offset,
                         struct tally *t)
{
    char what[200];

    snprintf(what, sizeof(what),
             "a request signed %lld s %s now, outside the declared "
             "tolerance_seconds of %d,",
             (long long)(offset < 0 ? -offset : offset),
             offset < 0 ? "before" : "after", run->d->tolerance_seconds);
    expect_invalid(run, req, run->secret.verify, s, what, t);
}

/*
 * Signs the first sample now, a day plus the tolerance ago, and as far
 * ahead, and checks that verify rejects the last two. Skipped when the
 * descriptor declares no tolerance, or when the scheme signs no timestamp:
 * then signing at different times gives the same request.
 */
static void check_tolerance(struct whkp_check_report *r, struct run *run)
{
    const struct whk_sample *s = run->samples;
    int64_t offset = (int64_t)run->d->tolerance_seconds + 86400;
    struct whk_request *now = NULL, *past = NULL, *future = NULL;
    struct tally t = {0};

    run->check = "tolerance";
    if (!whkp_check_pending(r, run->check))
        return;
    if (run->d->tolerance_seconds <= 0) {
        whkp_check_add(r, run->check, WHKP_CHECK_SKIP,
                       "the descriptor declares no tolerance_seconds");
        return;
    }
    now = sign_at(run, s, 0);
    past = sign_at(run, s, -offset);
    future = sign_at(run, s, offset);
    if (now == NULL || past == NULL || future == NULL ||
        verify(run, now, run->secret.verify, s) != WHK_VALID) {
        whkp_check_add(r, run->check, WHKP_CHECK_SKIP,
                       "sample '%s' does not sign and verify back", s->name);
        goto out;
    }
    if (same_request(now, past) && same_request(now, future)) {
        whkp_check_add(r, run->check, WHKP_CHECK_SKIP,
                       "the scheme signs no timestamp: sample '%s' signed "
                       "at times %lld s apart gives the same request",
                       s->name, (long long)offset);
        goto out;
    }
    expect_stale(run, past, s, -offset, &t);
    expect_stale(run, future, s, offset, &t);
    if (t.failure[0] != '\0')
        whkp_check_add(r, run->check, WHKP_CHECK_FAIL,
                       "%s; check the signed timestamp with "
                       "whk_timestamp_check()",
                       t.failure);
    else
        whkp_check_add(r, run->check, WHKP_CHECK_PASS,
                       "requests signed %lld s before and after now are "
                       "rejected (tolerance_seconds: %d)",
                       (long long)offset, run->d->tolerance_seconds);

out:
    whk_request_free(now);
    whk_request_free(past);
    whk_request_free(future);
}

/* Returns 1 when the first sample signs and verifies back with s. */
static int round_trips(struct run *run)
{
    struct tally t = {0};
    struct whk_request *req = sign_sample(run, run->samples, &t);
    int ok = req != NULL &&
             verify(run, req, run->secret.verify, run->samples) == WHK_VALID;

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
    struct run run = {.report = report, .provider = provider};
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

    run.check = "round-trip";
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
    whkp_secret_forms_make(
        &run.secret, run.d->secret.kind == WHK_SECRET_PUBLIC_KEY, &run.forms);
    run_samples(report, &run);
    check_exposure(report, &run);
    check_tolerance(report, &run);

out:
    whkp_secret_forms_clear(&run.forms);
    whkp_test_secret_clear(&run.secret);
    whk_verdict_free(run.verdict);
    whk_context_free(run.ctx);
}
