/* SPDX-License-Identifier: MIT */
/* whk test's report: a table with details for failures, or JSON. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tester.h"

/* Returns the index of the nth check to report: samples, then probes. */
static size_t report_index(const struct whkp_tester *t, size_t n)
{
    for (int probe = 0; probe < 2; probe++) {
        for (size_t i = 0; i < t->check_count; i++) {
            if (t->checks[i].probe == probe && n-- == 0)
                return i;
        }
    }
    return 0;
}

/* Prints a response body indented, as text, or its size when binary. */
static void print_body(const struct whkp_check *check)
{
    const char *line = check->body;

    if (check->body == NULL)
        return;
    if (check->body_len == 0) {
        whkp_printf("    response body: (empty)\n");
        return;
    }
    if (memchr(check->body, '\0', check->body_len) != NULL) {
        whkp_printf("    response body: %zu bytes of binary data\n",
                    check->body_len);
        return;
    }
    whkp_printf("    response body:\n");
    while (line != NULL && *line != '\0') {
        size_t len = strcspn(line, "\n");

        whkp_printf("      %.*s\n", (int)len, line);
        line = line[len] ? line + len + 1 : NULL;
    }
}

static void print_failure(const struct whkp_check *check)
{
    whkp_printf("\n%s: failed (%s)\n", check->name, check->url);
    for (size_t i = 0; i < check->problem_count; i++)
        whkp_printf("    problem: %s\n", check->problems[i]);
    if (check->cause != NULL)
        whkp_printf("    cause: %s\n", check->cause);
    if (check->fix != NULL)
        whkp_printf("    fix: %s\n", check->fix);
    print_body(check);
}

/* The width of the CHECK column: 20, or the longest check name. */
static int name_width(const struct whkp_tester *t)
{
    size_t width = 20;

    for (size_t i = 0; i < t->check_count; i++) {
        size_t len = strlen(t->checks[i].name);

        if (len > width && len < 80)
            width = len;
    }
    return (int)width;
}

void whkp_test_print_table(const struct whkp_tester *t)
{
    size_t failed = 0;
    int width = name_width(t);

    whkp_printf("testing %s, signed for %s\n\n", t->target, t->public_url);
    whkp_printf("%-*s %-6s %-4s %10s  %s\n", width, "CHECK", "RESULT", "HTTP",
                "TIME", "DETAIL");
    for (size_t n = 0; n < t->check_count; n++) {
        const struct whkp_check *c = &t->checks[report_index(t, n)];
        char status[24] = "-", time[24] = "-";

        if (c->status > 0)
            snprintf(status, sizeof(status), "%ld", c->status);
        if (c->seconds > 0)
            snprintf(time, sizeof(time), "%.1f ms", c->seconds * 1000);
        whkp_printf("%-*s %-6s %-4s %10s  %s\n", width, c->name,
                    c->passed ? "pass" : "FAIL", status, time,
                    c->passed ? (c->summary ? c->summary : "")
                              : (c->problem_count ? c->problems[0] : ""));
        failed += !c->passed;
    }
    for (size_t n = 0; n < t->check_count; n++) {
        const struct whkp_check *c = &t->checks[report_index(t, n)];

        if (!c->passed)
            print_failure(c);
    }
    if (failed == 0 && t->check_count == 1)
        whkp_printf("\nresult: 1 check passed\n");
    else if (failed == 0)
        whkp_printf("\nresult: all %zu checks passed\n", t->check_count);
    else
        whkp_printf("\nresult: %zu of %zu %s failed\n", failed, t->check_count,
                    whkp_plural(t->check_count, "check", "checks"));
}

static json_t *check_json(const struct whkp_check *c)
{
    json_t *problems = json_array();

    for (size_t i = 0; i < c->problem_count; i++)
        json_array_append_new(problems, json_string(c->problems[i]));
    return json_pack("{s:s, s:s, s:b, s:s, s:i, s:f, s:s?, s:o, s:s?, "
                     "s:s?, s:s%}",
                     "name", c->name, "kind",
                     c->challenge ? "challenge"
                     : c->probe   ? "probe"
                                  : "sample",
                     "passed", c->passed, "url", c->url, "status",
                     (int)c->status, "latency_ms", c->seconds * 1000, "summary",
                     c->summary, "problems", problems, "cause", c->cause, "fix",
                     c->fix, "body", c->body ? c->body : "",
                     c->body ? c->body_len : 0);
}

void whkp_test_print_json(const struct whkp_tester *t)
{
    json_t *checks = json_array(), *root;
    size_t failed = 0;
    char *text;

    for (size_t n = 0; n < t->check_count; n++) {
        const struct whkp_check *c = &t->checks[report_index(t, n)];

        json_array_append_new(checks, check_json(c));
        failed += !c->passed;
    }
    root =
        json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:o}", "provider",
                  whk_provider_name(t->provider), "target", t->target,
                  "public_url", t->public_url, "timeout_ms", (int)t->timeout_ms,
                  "passed", (int)(t->check_count - failed), "failed",
                  (int)failed, "checks", checks);
    /* Nine digits print 0.727 rather than 0.72699999999999998. */
    text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(9));
    if (text != NULL)
        puts(text);
    free(text);
    json_decref(root);
}
