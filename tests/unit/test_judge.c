/* SPDX-License-Identifier: MIT */
/* Check suite for judging an endpoint's response (judge.c). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "judge.h"

static const struct whk_descriptor twiml = {
    .name = "twiml",
    .title = "TwiML provider",
    .response = {.status = 200, .content_type = "text/xml",
                 .body = "<?xml version=\"1.0\"?><Response></Response>",
                 .format = "xml"},
    .timeout_ms = 15000,
    .timeout_error = "error 11200",
};

static struct whkp_response response(long status, const char *type,
                                     const char *body, double seconds)
{
    struct whkp_response r = {.status = status, .seconds = seconds};

    r.content_type = (char *)type;
    r.body = (char *)body;
    r.body_len = strlen(body);
    return r;
}

static const struct {
    long status;
    const char *type;
    const char *body;
    double seconds;
    enum whk_reason reason; /* WHK_REASON_MATCH: no problem expected */
    const char *text;
} cases[] = {
    {200, "text/xml", "<Response/>", 0.01, WHK_REASON_MATCH, NULL},
    {200, "text/xml; charset=utf-8",
     "<?xml version=\"1.0\"?>\n<Response>"
     "<Message>hi</Message></Response>",
     0.01, WHK_REASON_MATCH, NULL},
    {204, "TEXT/XML", "<Response></Response>", 0.01, WHK_REASON_MATCH, NULL},
    {403, "text/plain", "forbidden", 0.01, WHK_REASON_NONE, "answered 403"},
    {500, "text/xml", "<Response/>", 0.01, WHK_REASON_NONE, "answered 500"},
    {200, "application/json", "{}", 0.01, WHK_REASON_RESPONSE,
     "the Content-Type is application/json; the provider expects text/xml"},
    {200, NULL, "<Response/>", 0.01, WHK_REASON_RESPONSE, "no Content-Type"},
    {200, "text/xml", "", 0.01, WHK_REASON_RESPONSE, "the body is empty"},
    {200, "text/xml", "<Response>", 0.01, WHK_REASON_RESPONSE,
     "not well-formed XML: line 1, column 11"},
    {200, "text/xml", "<Response></Respons>", 0.01, WHK_REASON_RESPONSE,
     "mismatched tag"},
    {200, "text/xml", "<Reply/>", 0.01, WHK_REASON_RESPONSE,
     "root element is <Reply>; the provider expects <Response>"},
    {200, "text/xml", "<Response/>", 16.0, WHK_REASON_TIMEOUT,
     "the answer took 16.00 s, longer than TwiML provider's declared "
     "timeout of 15 s; past that timeout, error 11200"},
};

START_TEST(judge_cases)
{
    struct whkp_response r = response(cases[_i].status, cases[_i].type,
                                      cases[_i].body, cases[_i].seconds);
    struct whkp_judgement j;

    whkp_judge_response(&twiml, &r, 15000, &j);
    if (cases[_i].reason == WHK_REASON_MATCH) {
        ck_assert_msg(j.problem_count == 0, "case %d: unexpected '%s'", _i,
                      j.problem_count ? j.problems[0] : "");
        ck_assert_ptr_nonnull(j.summary);
    } else {
        ck_assert_uint_ge(j.problem_count, 1);
        ck_assert_int_eq(j.reason, cases[_i].reason);
        ck_assert_msg(strstr(j.problems[0], cases[_i].text) != NULL,
                      "case %d: '%s' lacks '%s'", _i, j.problems[0],
                      cases[_i].text);
    }
    whkp_judgement_clear(&j);
}
END_TEST

START_TEST(xml_reports_root_and_errors)
{
    char root[32], error[128];

    ck_assert_int_eq(whkp_check_xml("<a><b/></a>", 11, root, sizeof(root),
                                    error, sizeof(error)),
                     1);
    ck_assert_str_eq(root, "a");
    ck_assert_int_eq(whkp_check_xml("<a>\n<b></a>", 11, root, sizeof(root),
                                    error, sizeof(error)),
                     0);
    ck_assert_ptr_nonnull(strstr(error, "line 2"));
    ck_assert_int_eq(whkp_check_xml("<a/><b/>", 8, root, sizeof(root), error,
                                    sizeof(error)),
                     0);
    ck_assert_ptr_nonnull(strstr(error, "junk after document element"));
}
END_TEST

START_TEST(media_type_lowercase_without_parameters)
{
    char media[32];

    whkp_media_type(" Text/XML ; charset=UTF-8", media, sizeof(media));
    ck_assert_str_eq(media, "text/xml");
    whkp_media_type(NULL, media, sizeof(media));
    ck_assert_str_eq(media, "");
}
END_TEST

/* Discord's declaration: 200, application/json, a JSON body. */
static const struct whk_descriptor interactions = {
    .name = "interactions",
    .title = "JSON provider",
    .response = {.status = 200, .content_type = "application/json",
                 .body = "{\"type\":1}", .format = "json"},
    .timeout_ms = 3000,
    .timeout_error = "'The application did not respond'",
};

/* Stripe's and GitHub's declaration: any 2xx, any body. */
static const struct whk_descriptor status_only = {
    .name = "status-only",
    .title = "Status provider",
    .response = {.status = 0},
    .timeout_ms = 10000,
};

static const struct {
    const struct whk_descriptor *descriptor;
    long status;
    const char *type;
    const char *body;
    double seconds;
    const char *text; /* NULL: no problem expected */
} declared_cases[] = {
    {&interactions, 200, "application/json; charset=utf-8", "{\"type\":1}",
     0.01, NULL},
    {&interactions, 200, "application/json", "{\"type\":4,\"data\":{}}", 0.01,
     NULL},
    {&interactions, 200, "text/html", "{\"type\":1}", 0.01,
     "the Content-Type is text/html; the provider expects application/json"},
    {&interactions, 200, "application/json", "{type:1}", 0.01,
     "the body is not valid JSON: line 1"},
    {&interactions, 200, "application/json", "{}", 3.5,
     "took 3.50 s, longer "
     "than JSON provider's declared timeout of 3 s; past that timeout, 'The "
     "application did not respond'"},
    {&interactions, 401, "text/plain", "invalid", 0.01, "answered 401"},
    {&status_only, 200, "text/plain", "OK", 0.01, NULL},
    {&status_only, 202, NULL, "", 0.01, NULL},
    {&status_only, 204, "application/json", "", 0.01, NULL},
    {&status_only, 301, "text/html", "moved", 0.01,
     "answered 301; Status provider expects a 2xx status"},
    {&status_only, 200, NULL, "", 11.0,
     "the answer took 11.00 s, longer than "
     "Status provider's declared timeout of 10 s"},
};

START_TEST(judge_declared_responses)
{
    struct whkp_response r =
        response(declared_cases[_i].status, declared_cases[_i].type,
                 declared_cases[_i].body, declared_cases[_i].seconds);
    const struct whk_descriptor *d = declared_cases[_i].descriptor;
    struct whkp_judgement j;

    whkp_judge_response(d, &r, (long)d->timeout_ms, &j);
    if (declared_cases[_i].text == NULL) {
        ck_assert_msg(j.problem_count == 0, "case %d: unexpected '%s'", _i,
                      j.problem_count ? j.problems[0] : "");
    } else {
        ck_assert_uint_ge(j.problem_count, 1);
        ck_assert_msg(strstr(j.problems[0], declared_cases[_i].text) != NULL,
                      "case %d: '%s' lacks '%s'", _i, j.problems[0],
                      declared_cases[_i].text);
    }
    whkp_judgement_clear(&j);
}
END_TEST

/* A timeout some plugins estimate is worded as declared, never as fact. */
START_TEST(timeout_described_as_declared)
{
    static const struct whk_descriptor stripe_like = {
        .name = "stripe-like",
        .title = "Stripe",
        .timeout_ms = 10000,
        .timeout_error = "the delivery is marked failed",
    };
    char *text = whkp_describe_timeout(&stripe_like, 10000);

    ck_assert_str_eq(text, "Stripe's declared timeout of 10 s; past that "
                           "timeout, the delivery is marked failed");
    free(text);
    text = whkp_describe_timeout(&stripe_like, 2500);
    ck_assert_str_eq(text, "the --timeout-ms limit of 2.5 s");
    free(text);
    text = whkp_describe_timeout(&status_only, 10000);
    ck_assert_str_eq(text, "Status provider's declared timeout of 10 s");
    free(text);
}
END_TEST

/* A slow response is flagged even when its status is the first problem. */
START_TEST(slow_flagged_after_status_problem)
{
    struct whkp_response r = response(500, "text/plain", "boom", 12.0);
    struct whkp_judgement j;

    whkp_judge_response(&status_only, &r, 10000, &j);
    ck_assert_uint_eq(j.problem_count, 2);
    ck_assert_int_eq(j.reason, WHK_REASON_NONE);
    ck_assert_int_eq(j.slow, 1);
    ck_assert_ptr_nonnull(strstr(j.problems[1], "took 12.00 s"));
    whkp_judgement_clear(&j);

    r = response(200, "text/plain", "ok", 0.5);
    whkp_judge_response(&status_only, &r, 10000, &j);
    ck_assert_int_eq(j.slow, 0);
    whkp_judgement_clear(&j);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("judge");
    TCase *tc = tcase_create("judge");

    tcase_add_loop_test(tc, judge_cases, 0, sizeof(cases) / sizeof(cases[0]));
    tcase_add_loop_test(tc, judge_declared_responses, 0,
                        sizeof(declared_cases) / sizeof(declared_cases[0]));
    tcase_add_test(tc, xml_reports_root_and_errors);
    tcase_add_test(tc, media_type_lowercase_without_parameters);
    tcase_add_test(tc, timeout_described_as_declared);
    tcase_add_test(tc, slow_flagged_after_status_problem);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
