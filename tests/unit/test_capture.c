/* SPDX-License-Identifier: MIT */
/* Check suite for capture records (core/cli/capture.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "harness.h"

/* Builds a record, dumps it and reads it back. */
static void round_trip(const char *body, size_t len, const char *expect_key)
{
    struct whkp_record record = {0}, back;
    struct whk_error err = {0};
    size_t back_len;
    const char *back_body;
    char *line;

    record.id = strdup("0001");
    record.provider = strdup("twilio");
    record.received_at = strdup("2026-12-04T15:29:05Z");
    record.target = strdup("/sms?a=1");
    record.url = strdup("https://x.example/sms?a=1");
    record.request = whk_request_new();
    whk_request_add_header(record.request, "Host", "x.example");
    whk_request_add_header(record.request, "X-Dup", "1");
    whk_request_add_header(record.request, "X-Dup", "2");
    whk_request_set_body(record.request, body, len);

    line = whkp_record_dump(&record);
    ck_assert_ptr_nonnull(line);
    ck_assert_ptr_null(strchr(line, '\n'));
    ck_assert_msg(strstr(line, expect_key) != NULL, "%s lacks %s", line,
                  expect_key);
    ck_assert_int_eq(whkp_record_read(line, strlen(line), NULL, &back, &err),
                     WHK_OK);

    ck_assert_str_eq(back.id, "0001");
    ck_assert_str_eq(back.target, "/sms?a=1");
    ck_assert_str_eq(whk_request_url(back.request), record.url);
    ck_assert_uint_eq(whk_request_header_count(back.request), 3);
    ck_assert_str_eq(whk_request_header_nth(back.request, "x-dup", 1), "2");
    back_body = whk_request_body(back.request, &back_len);
    ck_assert_uint_eq(back_len, len);
    ck_assert_mem_eq(back_body, body, len);

    free(line);
    whkp_record_clear(&record);
    whkp_record_clear(&back);
}

START_TEST(capture_utf8_body_stays_text)
{
    const char body[] = "Body=%F0%9F%91%8B&x=\xd0\x9f\xd1\x80 \"q\"\\";
    round_trip(body, sizeof(body) - 1, "\"body\":");
}
END_TEST

START_TEST(capture_binary_body_base64)
{
    const char body[] = "\xff\xfe\x00\x01 not utf-8";
    round_trip(body, sizeof(body) - 1, "\"body_base64\":");
}
END_TEST

START_TEST(capture_nul_in_text_body)
{
    const char body[] = "a\0b";
    round_trip(body, sizeof(body) - 1, "\\u0000");
}
END_TEST

static const char log_text[] =
    "{\"id\":\"a\",\"method\":\"POST\",\"target\":\"/1\",\"headers\":[],"
    "\"body\":\"one\"}\n"
    "\n"
    "{\"id\":\"b\",\"method\":\"PUT\",\"target\":\"/2\",\"headers\":"
    "[[\"H\",\"v\"]],\"body_base64\":\"dHdv\"}\n";

START_TEST(capture_selects_by_id_or_last)
{
    struct whkp_record record;
    size_t len;

    ck_assert_int_eq(whkp_record_read(log_text, strlen(log_text), "a",
                                      &record, NULL),
                     WHK_OK);
    ck_assert_str_eq(record.target, "/1");
    ck_assert_str_eq(whk_request_body(record.request, &len), "one");
    whkp_record_clear(&record);

    ck_assert_int_eq(whkp_record_read(log_text, strlen(log_text), NULL,
                                      &record, NULL),
                     WHK_OK);
    ck_assert_str_eq(record.id, "b");
    ck_assert_str_eq(whk_request_method(record.request), "PUT");
    ck_assert_str_eq(whk_request_body(record.request, &len), "two");
    ck_assert_ptr_null(record.url);
    whkp_record_clear(&record);
}
END_TEST

static const struct {
    const char *text;
    const char *id;
    const char *error;
} bad_logs[] = {
    {"{\"id\":\"a\",\"method\":\"POST\",\"target\":\"/\"}\n{oops\n", NULL,
     "line 2, column"},
    {"[1]\n", NULL, "expected a JSON object"},
    {"", NULL, "has no records"},
    {"{\"id\":\"a\",\"method\":\"POST\",\"target\":\"/\"}\n", "zz",
     "no capture record has id 'zz'"},
    {"{\"id\":\"a\",\"target\":\"/\"}\n", NULL, "needs 'method' and 'target'"},
    {"{\"method\":\"POST\",\"target\":\"/\",\"headers\":{}}\n", NULL,
     "'headers' must be an array"},
    {"{\"method\":\"POST\",\"target\":\"/\",\"headers\":[[\"a\"]]}\n", NULL,
     "header 0 must be a [name, value] pair"},
    {"{\"method\":\"POST\",\"target\":\"/\",\"headers\":[[\"Bad Name\",\"v\"]]}"
     "\n",
     NULL, "header 0 ('Bad Name') needs a name made of HTTP token"},
    {"{\"method\":\"PO ST\",\"target\":\"/\"}\n", NULL,
     "'method' is 'PO ST'; it must be an HTTP method token"},
    {"{\"method\":\"POST\",\"target\":\"/\",\"body_base64\":\"!!\"}\n", NULL,
     "invalid base64"},
    {"{\"method\":\"POST\",\"target\":\"/\",\"body\":5}\n", NULL,
     "must be strings"},
    {"{\"method\":\"POST\",\"target\":\"/\",\"body\":\"a\","
     "\"body_base64\":\"YQ==\"}\n",
     NULL, "not both"},
    {"{\"method\":\"POST\",\"method\":\"PUT\",\"target\":\"/\"}\n", NULL,
     "duplicate object key"},
};

START_TEST(capture_rejects_malformed)
{
    struct whkp_record record;
    struct whk_error err = {0};

    ck_assert_int_ne(whkp_record_read(bad_logs[_i].text,
                                      strlen(bad_logs[_i].text),
                                      bad_logs[_i].id, &record, &err),
                     WHK_OK);
    ck_assert_ptr_null(record.request);
    ck_assert_msg(strstr(err.text, bad_logs[_i].error) != NULL,
                  "error '%s' lacks '%s'", err.text, bad_logs[_i].error);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("capture");
    TCase *tc = tcase_create("capture");

    tcase_add_test(tc, capture_utf8_body_stays_text);
    tcase_add_test(tc, capture_binary_body_base64);
    tcase_add_test(tc, capture_nul_in_text_body);
    tcase_add_test(tc, capture_selects_by_id_or_last);
    tcase_add_loop_test(tc, capture_rejects_malformed, 0,
                        (int)(sizeof(bad_logs) / sizeof(bad_logs[0])));
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
