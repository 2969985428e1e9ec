/* SPDX-License-Identifier: MIT */
/* whk test's endpoint challenges: send each one and judge the response. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "challenge.h"
#include "tester.h"

/* Appends "?query" or "&query" to url; NULL when memory runs out. */
static char *with_query(const char *url, const char *query)
{
    char *joined;

    if (query == NULL || *query == '\0')
        return strdup(url);
    if (asprintf(&joined, "%s%c%s", url, strchr(url, '?') ? '&' : '?', query) <
        0)
        return NULL;
    return joined;
}

/* The parts of a challenge request that depend on the token. */
struct sent {
    char token[40];
    const char *verify_token;
    char *local; /* where it is sent */
    struct whk_request *req;
};

static void sent_clear(struct sent *s)
{
    free(s->local);
    whk_request_free(s->req);
}

static int add_lines(const struct whk_challenge *c, struct sent *s,
                     struct whk_span secret)
{
    for (const char *const *h = c->headers; h && *h; h++) {
        const char *colon = strchr(*h, ':');
        char *name = strndup(*h, (size_t)(colon - *h));
        char *value =
            whkp_challenge_expand(c, colon + 1 + strspn(colon + 1, " \t"),
                                  s->token, s->verify_token, secret, 0);
        int ok = name && value &&
                 whk_request_set_header(s->req, name, value) == WHK_OK;

        free(name);
        free(value);
        if (!ok)
            return 0;
    }
    return 1;
}

/* Builds the challenge request for the public URL, signed with secret. */
static int build(const struct whkp_tester *t, const struct whk_challenge *c,
                 struct sent *s, struct whk_span secret)
{
    char *query = c->query ? whkp_challenge_expand(c, c->query, s->token,
                                                   s->verify_token, secret, 1)
                           : strdup("");
    char *body = c->body ? whkp_challenge_expand(c, c->body, s->token,
                                                 s->verify_token, secret, 0)
                         : strdup("");
    char *url = query ? with_query(t->public_url, query) : NULL;
    int ok;

    s->req = whk_request_new();
    s->local = query ? with_query(t->target, query) : NULL;
    ok = s->req && s->local && url && body &&
         whk_request_set_method(s->req, c->method) == WHK_OK &&
         whk_request_set_url(s->req, url) == WHK_OK &&
         (c->content_type == NULL ||
          whk_request_set_header(s->req, "Content-Type", c->content_type) ==
              WHK_OK) &&
         whk_request_set_body(s->req, body, strlen(body)) == WHK_OK &&
         add_lines(c, s, secret) && whkp_tester_add_tunnel_headers(t, s->req);
    if (ok && c->is_signed)
        ok = whkp_tester_sign(t, s->req, secret, 0, NULL);
    free(query);
    free(body);
    free(url);
    return ok;
}

/* Returns 1 when the response body is what the challenge expects. */
static int body_matches(const struct whk_challenge *c, const char *expected,
                        const struct whkp_response *response)
{
    json_t *want, *got;
    int equal;

    if (c->response_content_type == NULL ||
        strstr(c->response_content_type, "json") == NULL)
        return response->body_len == strlen(expected) &&
               memcmp(response->body, expected, response->body_len) == 0;
    want = json_loads(expected, 0, NULL);
    got = json_loadb(response->body, response->body_len, 0, NULL);
    equal = want != NULL && got != NULL && json_equal(want, got);
    json_decref(want);
    json_decref(got);
    return equal;
}

static int status_matches(int expected, long got)
{
    return expected != 0 ? got == expected : got >= 200 && got <= 299;
}

/* Checks the response headers the challenge requires, such as Asana's. */
static void check_headers(const struct whkp_tester *t,
                          const struct whk_challenge *c, const struct sent *s,
                          const struct whkp_response *response,
                          struct whkp_check *check)
{
    for (const char *const *h = c->response_headers; h && *h; h++) {
        const char *colon = strchr(*h, ':');
        size_t name_len = (size_t)(colon - *h);
        char *want = whkp_challenge_expand(
            c, colon + 1 + strspn(colon + 1, " \t"), s->token, s->verify_token,
            whkp_secret_span(&t->secret), 0);
        const char *got = NULL;
        char *text = NULL;

        for (size_t i = 0; i < response->header_count; i++) {
            if (strlen(response->headers[i].name) == name_len &&
                strncasecmp(response->headers[i].name, *h, name_len) == 0)
                got = response->headers[i].value;
        }
        /* Dropbox's nosniff is advice, so only token headers are due. */
        if (want != NULL && strstr(*h, "{token}") != NULL &&
            (got == NULL || strcmp(got, want) != 0) &&
            asprintf(&text, "answered without the header %.*s: %s",
                     (int)name_len, *h, want) >= 0)
            whkp_check_add_problem(check, text);
        free(want);
    }
}

static void judge_answer(const struct whkp_tester *t,
                         const struct whk_challenge *c, const struct sent *s,
                         const struct whkp_response *response,
                         struct whkp_check *check)
{
    char *expected = c->response_body
                         ? whkp_challenge_expand(
                               c, c->response_body, s->token, s->verify_token,
                               whkp_secret_span(&t->secret), 0)
                         : NULL;
    char *text = NULL;

    check->status = response->status;
    check->seconds = response->seconds;
    if (!status_matches(c->status, response->status) &&
        asprintf(&text,
                 "answered %ld; the provider expects %s to the '%s' "
                 "challenge (%s)",
                 response->status, c->status ? "another status" : "a 2xx",
                 c->name, c->description) >= 0)
        whkp_check_add_problem(check, text);
    check_headers(t, c, s, response, check);
    if (expected != NULL && !body_matches(c, expected, response) &&
        asprintf(&text,
                 "answered the body '%.*s'; the provider expects "
                 "'%s'",
                 (int)(response->body_len > 200 ? 200 : response->body_len),
                 response->body, expected) >= 0)
        whkp_check_add_problem(check, text);
    if (c->response_content_type != NULL &&
        (response->content_type == NULL ||
         strncasecmp(response->content_type, c->response_content_type,
                     strlen(c->response_content_type)) != 0) &&
        asprintf(&text,
                 "answered Content-Type '%s'; the provider expects "
                 "%s",
                 response->content_type ? response->content_type : "(none)",
                 c->response_content_type) >= 0)
        whkp_check_add_problem(check, text);
    check->passed = check->problem_count == 0;
    if (check->passed)
        check->summary = strdup("answered as the provider expects");
    free(expected);
}

/* Sends s and judges the response; returns 0 when the endpoint is down. */
static int send_and_judge(struct whkp_tester *t, const struct whk_challenge *c,
                          struct sent *s, const char *name, int invalid)
{
    struct whkp_check *check =
        whkp_tester_add_check(t, name, invalid, s->local);
    struct whkp_response response;
    char *text = NULL;

    if (check == NULL)
        return 0;
    check->challenge = 1;
    if (whkp_tester_send(t, s->local, s->req, &response, check) != WHKP_SEND_OK)
        return !t->unreachable;
    if (!invalid) {
        judge_answer(t, c, s, &response, check);
    } else {
        check->status = response.status;
        check->seconds = response.seconds;
        check->passed = response.status == c->invalid_status;
        if (check->passed)
            check->summary = strdup("rejected with the expected status");
        else if (asprintf(&text,
                          "answered %ld to a forged '%s' request; "
                          "the provider requires %d",
                          response.status, c->name, c->invalid_status) >= 0)
            whkp_check_add_problem(check, text);
    }
    if (!check->passed) {
        check->cause = whkp_route_cause(&response, c->method);
        whkp_check_keep_body(check, &response);
    }
    whkp_response_clear(&response);
    return 1;
}

/* Sends the challenge signed with a forged secret: invalid_status due. */
static int send_forged(struct whkp_tester *t, const struct whk_challenge *c,
                       struct sent *s, const char *name)
{
    size_t len = 0;
    char *forged = whkp_forge_secret(t->provider, &t->secret, s->req, &len);
    struct whk_span span = {forged, forged ? len : 0};
    struct sent copy = *s;
    int ok = 1;

    copy.req = NULL;
    copy.local = NULL;
    if (forged != NULL && build(t, c, &copy, span) &&
        whkp_tester_mark_probe(copy.req))
        ok = send_and_judge(t, c, &copy, name, 1);
    if (forged != NULL) {
        OPENSSL_cleanse(forged, len);
        free(forged);
    }
    sent_clear(&copy);
    return ok;
}

/* Adds a passed check saying why a challenge was not sent. */
static void skip(struct whkp_tester *t, const char *name, char *reason)
{
    struct whkp_check *check = whkp_tester_add_check(t, name, 0, t->target);

    if (check != NULL) {
        check->challenge = 1;
        check->passed = 1;
        check->summary = reason;
    } else {
        free(reason);
    }
}

static int test_one(struct whkp_tester *t, const struct whk_challenge *c)
{
    struct sent s = {0};
    unsigned char random[12];
    char name[96], *hex, *reason = NULL;
    int ok = 1;

    snprintf(name, sizeof(name), "challenge %s", c->name);
    if (c->verify_token_env != NULL) {
        s.verify_token = getenv(c->verify_token_env);
        if (s.verify_token == NULL &&
            asprintf(&reason, "skipped: set %s to the app's verify token",
                     c->verify_token_env) >= 0) {
            skip(t, name, reason);
            return 1;
        }
    }
    if (whk_random_bytes(random, sizeof(random), NULL) != WHK_OK ||
        (hex = whk_hex_encode(random, sizeof(random))) == NULL)
        return 0;
    snprintf(s.token, sizeof(s.token), "whk%s", hex);
    whk_free(hex);

    if (!build(t, c, &s, whkp_secret_span(&t->secret))) {
        whkp_error("cannot build the '%s' challenge for %s", c->name,
                   t->target);
        sent_clear(&s);
        return 0;
    }
    ok = send_and_judge(t, c, &s, name, 0);
    if (ok && c->invalid_status != 0) {
        snprintf(name, sizeof(name), "challenge %s, forged", c->name);
        ok = send_forged(t, c, &s, name);
    }
    sent_clear(&s);
    return ok;
}

int whkp_test_challenges(struct whkp_tester *t)
{
    for (const struct whk_challenge *c = t->descriptor->challenges;
         c && c->name; c++) {
        if (!test_one(t, c))
            return 0;
    }
    return 1;
}
