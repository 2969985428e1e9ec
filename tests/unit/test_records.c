/* SPDX-License-Identifier: MIT */
/* Check suite for choosing the capture record to read (records.c). */
#include <string.h>

#include "cli.h"
#include "harness.h"

/* A log whose last records are whk test's probes and diagnoses. */
static const char mixed_log[] =
    "{\"id\":\"a\",\"method\":\"POST\",\"target\":\"/a\"}\n"
    "{\"id\":\"b\",\"method\":\"POST\",\"target\":\"/b\","
    "\"headers\":[[\"X-Whk-Test\",\"probe\"]]}\n"
    "{\"id\":\"c\",\"method\":\"POST\",\"target\":\"/c\","
    "\"headers\":[[\"Host\",\"h\"]],\"body\":\"x=1\"}\n"
    "\n"
    "{\"id\":\"d\",\"method\":\"POST\",\"target\":\"/d\","
    "\"headers\":[[\"Host\",\"h\"],[\"x-whk-test\",\"probe\"]]}\n"
    "{\"id\":\"e\",\"method\":\"POST\",\"target\":\"/e\","
    "\"headers\":[[\"X-WHK-TEST\",\"probe\"]]}\n";

START_TEST(last_delivery_skips_probes)
{
    struct whkp_record record;
    struct whk_error err = {0};
    size_t skipped = 99, len;
    const char *body;

    ck_assert_int_eq(whkp_record_read_delivery(mixed_log, strlen(mixed_log),
                                               NULL, &record, &skipped, &err),
                     WHK_OK);
    ck_assert_str_eq(record.id, "c");
    ck_assert_str_eq(record.target, "/c");
    body = whk_request_body(record.request, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(body, "x=1", 3);
    ck_assert_uint_eq(skipped, 2);
    whkp_record_clear(&record);
}
END_TEST

START_TEST(last_record_when_unmarked)
{
    static const char log[] =
        "{\"id\":\"a\",\"method\":\"POST\",\"target\":\"/a\","
        "\"headers\":[[\"X-Whk-Test\",\"probe\"]]}\n"
        "{\"id\":\"b\",\"method\":\"POST\",\"target\":\"/b\"}";
    struct whkp_record record;
    size_t skipped = 99;

    ck_assert_int_eq(whkp_record_read_delivery(log, strlen(log), NULL, &record,
                                               &skipped, NULL),
                     WHK_OK);
    ck_assert_str_eq(record.id, "b");
    ck_assert_uint_eq(skipped, 0);
    whkp_record_clear(&record);
}
END_TEST

START_TEST(id_selects_marked_record)
{
    struct whkp_record record;

    ck_assert_int_eq(whkp_record_read_delivery(mixed_log, strlen(mixed_log),
                                               "e", &record, NULL, NULL),
                     WHK_OK);
    ck_assert_str_eq(record.id, "e");
    ck_assert_str_eq(whk_request_header(record.request, "X-Whk-Test"), "probe");
    whkp_record_clear(&record);
}
END_TEST

START_TEST(only_probes_is_not_found)
{
    static const char log[] =
        "{\"id\":\"a\",\"method\":\"POST\",\"target\":\"/a\","
        "\"headers\":[[\"X-Whk-Test\",\"probe\"]]}\n";
    struct whkp_record record;
    struct whk_error err = {0};

    ck_assert_int_eq(
        whkp_record_read_delivery(log, strlen(log), NULL, &record, NULL, &err),
        WHK_ERR_NOT_FOUND);
    ck_assert_msg(strstr(err.text, "only requests that whk test sent as "
                                   "probes") != NULL,
                  "message: %s", err.text);
    ck_assert_msg(strstr(err.text, "X-Whk-Test") != NULL, "message: %s",
                  err.text);
    ck_assert_ptr_null(record.request);
}
END_TEST

START_TEST(empty_log_is_not_found)
{
    struct whkp_record record;
    struct whk_error err = {0};

    ck_assert_int_eq(
        whkp_record_read_delivery("\n \n", 3, NULL, &record, NULL, &err),
        WHK_ERR_NOT_FOUND);
    ck_assert_str_eq(err.text, "the capture log has no records");
}
END_TEST

/* A line that is not a JSON object fails the read, named by number. */
START_TEST(malformed_line_named)
{
    static const char log[] =
        "{\"id\":\"a\",\"method\":\"POST\",\"target\":\"/a\"}\n"
        "[1]\n"
        "{\"id\":\"b\",\"method\":\"POST\",\"target\":\"/b\"}\n"
        "{nope\n";
    struct whkp_record record;
    struct whk_error err = {0};

    ck_assert_int_eq(
        whkp_record_read_delivery(log, strlen(log), NULL, &record, NULL, &err),
        WHK_ERR_INVALID);
    ck_assert_msg(strstr(err.text, "line 2, column 1: not a capture record: "
                                   "expected a JSON object") != NULL,
                  "message: %s", err.text);
}
END_TEST

/* A record chosen without the mark still needs method and target. */
START_TEST(chosen_record_checked)
{
    static const char log[] = "{\"id\":\"a\",\"target\":\"/a\"}\n";
    struct whkp_record record;
    struct whk_error err = {0};

    ck_assert_int_eq(
        whkp_record_read_delivery(log, strlen(log), NULL, &record, NULL, &err),
        WHK_ERR_INVALID);
    ck_assert_msg(strstr(err.text, "'method' and 'target'") != NULL,
                  "message: %s", err.text);
    ck_assert_ptr_null(record.id);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("records");
    TCase *tc = tcase_create("records");

    tcase_add_test(tc, last_delivery_skips_probes);
    tcase_add_test(tc, last_record_when_unmarked);
    tcase_add_test(tc, id_selects_marked_record);
    tcase_add_test(tc, only_probes_is_not_found);
    tcase_add_test(tc, empty_log_is_not_found);
    tcase_add_test(tc, malformed_line_named);
    tcase_add_test(tc, chosen_record_checked);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
