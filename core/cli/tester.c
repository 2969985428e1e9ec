/* SPDX-License-Identifier: MIT */
/* whk test's requests: signed samples, forgeries, and diagnosis probes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "judge.h"
#include "tester.h"

/* Keeps this much of a failing response's body for the report. */
#define MAX_KEPT_BODY 2048

static void check_clear(struct whkp_check *check)
{
    free(check->name);
    free(check->url);
    free(check->summary);
    for (size_t i = 0; i < check->problem_count; i++)
        free(check->problems[i]);
    free(check->cause);
    free(check->body);
}

void whkp_tester_clear(struct whkp_tester *t)
{
    for (size_t i = 0; i < t->check_count; i++)
        check_clear(&t->checks[i]);
    free(t->checks);
    free(t->target);
    free(t->public_url);
    whkp_secret_clear(&t->secret);
    whkp_http_handle_free(t->curl);
    memset(t, 0, sizeof(*t));
}

int whkp_test_failed(const struct whkp_tester *t)
{
    for (size_t i = 0; i < t->check_count; i++) {
        if (!t->checks[i].passed)
            return 1;
    }
    return 0;
}

struct whkp_check *whkp_tester_add_check(struct whkp_tester *t,
                                         const char *name, int probe,
                                         const char *url)
{
    struct whkp_check *grown =
        realloc(t->checks, (t->check_count + 1) * sizeof(*grown));
    struct whkp_check *check;

    if (grown == NULL)
        return NULL;
    t->checks = grown;
    check = &grown[t->check_count++];
    memset(check, 0, sizeof(*check));
    check->name = strdup(name);
    check->probe = probe;
    check->url = strdup(url);
    return check;
}

void whkp_check_add_problem(struct whkp_check *check, char *text)
{
    if (text == NULL)
        return;
    if (check->problem_count == WHKP_MAX_CHECK_PROBLEMS) {
        free(text);
        return;
    }
    check->problems[check->problem_count++] = text;
}

void whkp_tester_use_fix(const struct whkp_tester *t, struct whkp_check *check,
                         enum whk_reason reason)
{
    const struct whk_failure *failure = whkp_failure_for(t->descriptor, reason);

    if (check->fix == NULL && failure != NULL)
        check->fix = failure->fix;
}

/* Adds the tunnel's Host and X-Forwarded-Proto for the public URL. */
static int add_tunnel_headers(const struct whkp_tester *t,
                              struct whk_request *req)
{
    struct whk_url_parts parts;
    char *host, *scheme;
    int ok;

    if (!t->behind_tunnel)
        return 1;
    if (whk_url_split(t->public_url, &parts, NULL) != WHK_OK)
        return 0;
    host = strndup(parts.host.ptr, (size_t)(parts.path.ptr - parts.host.ptr));
    scheme = strndup(parts.scheme.ptr, parts.scheme.len);
    ok = host && scheme &&
         whk_request_set_header(req, "Host", host) == WHK_OK &&
         whk_request_set_header(req, "X-Forwarded-Proto", scheme) == WHK_OK;
    free(host);
    free(scheme);
    return ok;
}

int whkp_tester_build_sample(const struct whkp_tester *t,
                             const struct whk_sample *sample,
                             struct whk_request **req, char **local)
{
    struct whkp_request_options opts = {.sample = sample->name,
                                        .url = t->public_url};
    char *target = NULL;

    *local = NULL;
    if (whkp_build_request(&opts, t->descriptor, req, &target) != WHKP_EXIT_OK)
        return 0;
    free(target);
    *local = sample->path_suffix
                 ? whkp_append_path(t->target, sample->path_suffix)
                 : strdup(t->target);
    if (*local == NULL || !add_tunnel_headers(t, *req)) {
        whk_request_free(*req);
        free(*local);
        whkp_error("cannot build sample %s for %s", sample->name, t->target);
        return 0;
    }
    return 1;
}

int whkp_tester_sign(const struct whkp_tester *t, struct whk_request *req,
                     struct whk_span secret, int64_t age, struct whk_error *err)
{
    struct whk_context *ctx = whk_context_new();
    enum whk_status status = WHK_ERR_NO_MEMORY;

    if (ctx != NULL) {
        whk_context_set_time(ctx, whk_context_time(ctx) - age);
        status = whk_provider_sign(t->provider, ctx, req, secret, err);
    }
    whk_context_free(ctx);
    return status == WHK_OK;
}

enum whkp_send_result whkp_tester_send(struct whkp_tester *t, const char *url,
                                       const struct whk_request *req,
                                       struct whkp_response *response,
                                       struct whkp_check *check)
{
    char error[512];
    enum whkp_send_result result =
        whkp_http_send(t->curl, url, req, t->request_timeout_ms, response,
                       error, sizeof(error));
    const struct whk_descriptor *d = t->descriptor;
    char *text = NULL;

    if (result == WHKP_SEND_UNREACHABLE) {
        t->unreachable = 1;
        snprintf(t->error, sizeof(t->error), "%s", error);
    } else if (result != WHKP_SEND_OK && check != NULL) {
        if (result == WHKP_SEND_TIMEOUT && t->timeout_ms > 0) {
            char *limit = whkp_describe_timeout(d, t->timeout_ms);

            text =
                limit ? whkp_sprintf("%s, longer than %s", error, limit) : NULL;
            free(limit);
        }
        whkp_check_add_problem(check, text ? text : strdup(error));
        if (result == WHKP_SEND_TIMEOUT)
            whkp_tester_use_fix(t, check, WHK_REASON_TIMEOUT);
    }
    return result;
}

int whkp_tester_mark_probe(struct whk_request *req)
{
    return whk_request_set_header(req, WHKP_TEST_HEADER, WHKP_TEST_PROBE) ==
           WHK_OK;
}

/* Returns the value of the response's header name, or NULL. */
static const char *response_header(const struct whkp_response *response,
                                   const char *name)
{
    for (size_t i = 0; i < response->header_count; i++) {
        if (strcasecmp(response->headers[i].name, name) == 0)
            return response->headers[i].value;
    }
    return NULL;
}

char *whkp_route_cause(const struct whkp_response *response, const char *method)
{
    const char *location = response_header(response, "Location");
    const char *allow = response_header(response, "Allow");

    if (response->status == 404 || response->status == 405)
        return whkp_sprintf(
            "nothing answers %s at this path (%ld %s%s%s); check the app's "
            "route, --target or whk.json's path",
            method, response->status,
            response->status == 404 ? "Not Found" : "Method Not Allowed",
            allow ? ", allowed: " : "", allow ? allow : "");
    if (response->status < 300 || response->status > 399)
        return NULL;
    /* NOTE: no descriptor field says whether a provider follows them. */
    return whkp_sprintf(
        "the endpoint redirects (%ld) %s%s; most providers do not follow "
        "redirects, so their deliveries fail there; use the URL that "
        "answers without a redirect in the provider's dashboard, --target "
        "and whk.json",
        response->status, location ? "to " : "without a Location header",
        location ? location : "");
}

void whkp_check_keep_body(struct whkp_check *check,
                          const struct whkp_response *response)
{
    size_t len =
        response->body_len < MAX_KEPT_BODY ? response->body_len : MAX_KEPT_BODY;

    check->body = malloc(len + 1);
    if (check->body == NULL)
        return;
    memcpy(check->body, response->body, len);
    check->body[len] = '\0';
    check->body_len = len;
}

/* Sends req to url and returns 1 for a 2xx response. */
static int accepted(struct whkp_tester *t, const char *url,
                    const struct whk_request *req)
{
    struct whkp_response response;
    int ok = whkp_tester_send(t, url, req, &response, NULL) == WHKP_SEND_OK &&
             response.status >= 200 && response.status <= 299;

    whkp_response_clear(&response);
    return ok;
}

/* Copies the signature headers of signed_req into req. */
static void copy_signature(const struct whkp_tester *t,
                           const struct whk_request *signed_req,
                           struct whk_request *req)
{
    const char *const *name = t->descriptor->signature_headers;

    for (; name != NULL && *name != NULL; name++) {
        const char *value = whk_request_header(signed_req, *name);

        if (value != NULL)
            whk_request_set_header(req, *name, value);
    }
}

/*
 * Is the sample accepted with the signature headers of a copy whose body
 * is body[0..len)? A match shows which body the endpoint validates.
 */
static int accepted_signed_over(struct whkp_tester *t,
                                const struct whk_request *req, const char *url,
                                const char *body, size_t len)
{
    struct whk_request *other = whk_request_copy(req);
    struct whk_request *probe = whk_request_copy(req);
    int found = 0;

    if (other != NULL && probe != NULL && whkp_tester_mark_probe(probe) &&
        whk_request_set_body(other, body, len) == WHK_OK &&
        whkp_tester_sign(t, other, whkp_secret_span(&t->secret), 0, NULL)) {
        copy_signature(t, other, probe);
        found = accepted(t, url, probe);
    }
    whk_request_free(other);
    whk_request_free(probe);
    return found;
}

/*
 * Is a JSON sample accepted once signed over its body as JSON.stringify()
 * writes it? Then the endpoint verifies a parsed and re-serialized body.
 * NOTE: the other layouts that whk verify's diagnosis tries are not sent.
 */
static int reserialized(struct whkp_tester *t, const struct whk_request *req,
                        const char *url)
{
    const struct whkp_json_form compact = {0};
    size_t len, compact_len;
    const char *body = whk_request_body(req, &len);
    char *text = whkp_json_reformat(body, len, &compact, &compact_len);
    int found = 0;

    if (text != NULL && (compact_len != len || memcmp(text, body, len) != 0))
        found = accepted_signed_over(t, req, url, text, compact_len);
    free(text);
    return found;
}

/* Is the sample accepted once signed for another URL? */
static int accepted_for(struct whkp_tester *t, const struct whk_request *req,
                        const char *url, const char *signed_url)
{
    struct whk_request *probe = whk_request_copy(req);
    int found = 0;

    if (probe != NULL && whkp_tester_mark_probe(probe) &&
        whk_request_set_url(probe, signed_url) == WHK_OK &&
        whkp_tester_sign(t, probe, whkp_secret_span(&t->secret), 0, NULL))
        found = accepted(t, url, probe);
    whk_request_free(probe);
    return found;
}

/* Returns url with http and https swapped, or NULL. */
static char *other_scheme(const char *url)
{
    char *swapped;

    if (strncmp(url, "https://", 8) == 0)
        return asprintf(&swapped, "http://%s", url + 8) < 0 ? NULL : swapped;
    if (strncmp(url, "http://", 7) == 0)
        return asprintf(&swapped, "https://%s", url + 7) < 0 ? NULL : swapped;
    return NULL;
}

static char *wrong_url(struct whkp_tester *t, const struct whk_request *req,
                       const char *local)
{
    const char *signed_url = whk_request_url(req);
    char *alternatives[2] = {strdup(local), other_scheme(signed_url)};
    char *cause = NULL;

    for (int i = 0; i < 2 && cause == NULL && !t->unreachable; i++) {
        if (alternatives[i] == NULL ||
            strcmp(alternatives[i], signed_url) == 0 ||
            !accepted_for(t, req, local, alternatives[i]))
            continue;
        if (asprintf(&cause,
                     "the endpoint accepted the sample once it was signed "
                     "for %s, so it validates against that URL instead of "
                     "%s, the one the provider requests",
                     alternatives[i], signed_url) < 0)
            cause = NULL;
    }
    free(alternatives[0]);
    free(alternatives[1]);
    return cause;
}

/* The cause when no variant is accepted: the endpoint's secret differs. */
static char *unexplained(const struct whkp_tester *t,
                         const struct whk_request *req)
{
    const struct whk_descriptor *d = t->descriptor;
    char *cause;
    int written;

    if (d->flags & WHK_SIGNS_URL)
        written = asprintf(&cause,
                           "the endpoint rejects a request signed with the "
                           "secret from %s for %s; its secret or URL differs",
                           t->secret.source, whk_request_url(req));
    else if (d->secret.kind == WHK_SECRET_PUBLIC_KEY)
        written = asprintf(&cause,
                           "the endpoint rejects a request signed with the "
                           "private key from %s; it verifies with the public "
                           "key of another key pair, or over other bytes "
                           "than the raw body",
                           t->secret.source);
    else
        written = asprintf(&cause,
                           "the endpoint rejects a request signed with the "
                           "secret from %s; its secret differs, or it "
                           "verifies other bytes than the raw body",
                           t->secret.source);
    return written < 0 ? NULL : cause;
}

/* Finds out why a correctly signed sample got a 4xx response. */
static void diagnose_rejection(struct whkp_tester *t, size_t index,
                               const struct whk_request *req, const char *local)
{
    unsigned int flags = t->descriptor->flags;
    char *cause = NULL;
    enum whk_reason reason = WHK_REASON_MISMATCH;

    if ((flags & WHK_SIGNS_PARAMS) && whk_request_param_count(req) > 0 &&
        accepted_signed_over(t, req, local, "", 0)) {
        cause = strdup("the endpoint accepted the sample once it was signed "
                       "without its form fields, so it does not read the "
                       "form-encoded body and validates an empty parameter "
                       "list");
        reason = WHK_REASON_FIELDS_UNREAD;
    }
    if (cause == NULL && (flags & WHK_SIGNS_URL) && !t->unreachable)
        cause = wrong_url(t, req, local);
    if (cause == NULL && (flags & WHK_SIGNS_BODY) && !t->unreachable &&
        reserialized(t, req, local))
        cause = strdup("the endpoint accepted the sample once it was "
                       "signed over its JSON body re-serialized as "
                       "JSON.stringify() writes it, so it verifies a parsed "
                       "copy of the body instead of the raw bytes");
    if (cause == NULL)
        cause = unexplained(t, req);
    t->checks[index].cause = cause;
    whkp_tester_use_fix(t, &t->checks[index], reason);
}

static void judge(struct whkp_tester *t, struct whkp_check *check,
                  const struct whkp_response *response)
{
    struct whkp_judgement judgement;

    whkp_judge_response(t->descriptor, response, t->timeout_ms, &judgement);
    check->status = response->status;
    check->seconds = response->seconds;
    check->passed = judgement.problem_count == 0;
    for (size_t i = 0; i < judgement.problem_count; i++) {
        whkp_check_add_problem(check, judgement.problems[i]);
        judgement.problems[i] = NULL;
    }
    judgement.problem_count = 0;
    check->summary = judgement.summary;
    judgement.summary = NULL;
    if (judgement.reason != WHK_REASON_NONE)
        whkp_tester_use_fix(t, check, judgement.reason);
    if (judgement.slow)
        whkp_tester_use_fix(t, check, WHK_REASON_TIMEOUT);
    if (!check->passed)
        whkp_check_keep_body(check, response);
    whkp_judgement_clear(&judgement);
}

int whkp_test_sample(struct whkp_tester *t, const struct whk_sample *sample)
{
    struct whk_request *req = NULL;
    struct whkp_response response;
    struct whk_error err = {0};
    char *local = NULL;
    size_t index = t->check_count;
    int ok = 0;

    if (!whkp_tester_build_sample(t, sample, &req, &local))
        return 0;
    if (!whkp_tester_sign(t, req, whkp_secret_span(&t->secret), 0, &err)) {
        whkp_error("cannot sign sample %s: %s", sample->name, err.text);
        goto out;
    }
    if (whkp_tester_add_check(t, sample->name, 0, local) == NULL)
        goto out;
    if (whkp_tester_send(t, local, req, &response, &t->checks[index]) !=
        WHKP_SEND_OK) {
        ok = !t->unreachable;
        goto out;
    }
    judge(t, &t->checks[index], &response);
    /* A wrong route or a redirect needs no signature variants tried. */
    t->checks[index].cause =
        whkp_route_cause(&response, whk_request_method(req));
    whkp_response_clear(&response);
    if (t->checks[index].cause == NULL && t->checks[index].status >= 400 &&
        t->checks[index].status <= 499)
        diagnose_rejection(t, index, req, local);
    ok = !t->unreachable;

out:
    whk_request_free(req);
    free(local);
    return ok;
}

int whkp_tester_add_tunnel_headers(const struct whkp_tester *t,
                                   struct whk_request *req)
{
    return add_tunnel_headers(t, req);
}
