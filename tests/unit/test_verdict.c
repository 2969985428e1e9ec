/* SPDX-License-Identifier: MIT */
/* Check suite for verdicts, contexts and timestamp checks. */
#include <stdint.h>
#include <string.h>

#include <whk/whk.h>

#include "harness.h"

START_TEST(verdict_set_and_notes)
{
    struct whk_verdict *v = whk_verdict_new();

    ck_assert_int_eq(whk_verdict_status(v), WHK_NOT_APPLICABLE);
    ck_assert_str_eq(whk_verdict_text(v), "");
    whk_verdict_set(v, WHK_INVALID, WHK_REASON_MISMATCH, "sig %d", 7);
    for (int i = 0; i < WHK_VERDICT_MAX_NOTES + 3; i++)
        whk_verdict_add_note(v, "note %d", i);

    ck_assert_int_eq(whk_verdict_status(v), WHK_INVALID);
    ck_assert_int_eq(whk_verdict_reason(v), WHK_REASON_MISMATCH);
    ck_assert_str_eq(whk_verdict_text(v), "sig 7");
    ck_assert_uint_eq(whk_verdict_note_count(v), WHK_VERDICT_MAX_NOTES);
    ck_assert_str_eq(whk_verdict_note_at(v, 1), "note 1");
    ck_assert_ptr_null(whk_verdict_note_at(v, WHK_VERDICT_MAX_NOTES));

    whk_verdict_reset(v);
    ck_assert_int_eq(whk_verdict_status(v), WHK_NOT_APPLICABLE);
    ck_assert_uint_eq(whk_verdict_note_count(v), 0);
    whk_verdict_free(v);
}
END_TEST

START_TEST(reason_names)
{
    ck_assert_str_eq(whk_reason_name(WHK_REASON_MISSING_HEADER),
                     "missing_header");
    ck_assert_str_eq(whk_reason_name(WHK_REASON_TIMESTAMP_OLD),
                     "timestamp_too_old");
    ck_assert_str_eq(whk_reason_name((enum whk_reason)99), "unknown");
}
END_TEST

START_TEST(parse_int64_cases)
{
    int64_t v = 0;

    ck_assert_int_eq(whk_parse_int64("1614265330", 10, &v), 1);
    ck_assert_int_eq(v, 1614265330);
    ck_assert_int_eq(whk_parse_int64("-5", 2, &v), 1);
    ck_assert_int_eq(v, -5);
    ck_assert_int_eq(whk_parse_int64("9223372036854775807", 19, &v), 1);
    ck_assert_int_eq(v, INT64_MAX);
    ck_assert_int_eq(whk_parse_int64("-9223372036854775808", 20, &v), 1);
    ck_assert_int_eq(v, INT64_MIN);
    ck_assert_int_eq(whk_parse_int64("9223372036854775808", 19, &v), 0);
    ck_assert_int_eq(whk_parse_int64("", 0, &v), 0);
    ck_assert_int_eq(whk_parse_int64("-", 1, &v), 0);
    ck_assert_int_eq(whk_parse_int64("12a", 3, &v), 0);
    ck_assert_int_eq(whk_parse_int64(" 1", 2, &v), 0);
    ck_assert_int_eq(whk_parse_int64("+1", 2, &v), 0);
}
END_TEST

START_TEST(timestamp_both_directions)
{
    struct whk_context *ctx = whk_context_new();
    struct whk_verdict *v = whk_verdict_new();

    whk_context_set_time(ctx, 1000000);
    ck_assert_int_eq(whk_timestamp_check(ctx, 1000000 - 300, 300, v), 1);
    ck_assert_int_eq(whk_timestamp_check(ctx, 1000000 + 300, 300, v), 1);

    ck_assert_int_eq(whk_timestamp_check(ctx, 1000000 - 301, 300, v), 0);
    ck_assert_int_eq(whk_verdict_reason(v), WHK_REASON_TIMESTAMP_OLD);
    ck_assert_ptr_nonnull(strstr(whk_verdict_text(v), "301 s in the past"));

    ck_assert_int_eq(whk_timestamp_check(ctx, 1000000 + 301, 300, v), 0);
    ck_assert_int_eq(whk_verdict_reason(v), WHK_REASON_TIMESTAMP_FUTURE);
    ck_assert_ptr_nonnull(strstr(whk_verdict_text(v), "301 s in the future"));

    /* The user's tolerance replaces the scheme's default. */
    whk_context_set_tolerance(ctx, 600);
    ck_assert_int_eq(whk_timestamp_check(ctx, 1000000 - 500, 300, v), 1);
    ck_assert_int_eq(whk_context_tolerance(ctx), 600);
    whk_context_free(ctx);
    whk_verdict_free(v);
}
END_TEST

START_TEST(timestamp_extremes_do_not_overflow)
{
    struct whk_context *ctx = whk_context_new();
    struct whk_verdict *v = whk_verdict_new();

    whk_context_set_time(ctx, INT64_MAX);
    ck_assert_int_eq(whk_timestamp_check(ctx, INT64_MIN, 300, v), 0);
    ck_assert_int_eq(whk_verdict_reason(v), WHK_REASON_TIMESTAMP_OLD);
    whk_context_set_time(ctx, INT64_MIN);
    ck_assert_int_eq(whk_timestamp_check(ctx, INT64_MAX, 300, v), 0);
    ck_assert_int_eq(whk_verdict_reason(v), WHK_REASON_TIMESTAMP_FUTURE);
    whk_context_free(ctx);
    whk_verdict_free(v);
}
END_TEST

START_TEST(context_id)
{
    struct whk_context *ctx = whk_context_new();

    ck_assert_ptr_null(whk_context_id(ctx));
    ck_assert_int_eq(whk_context_tolerance(ctx), -1);
    whk_context_set_id(ctx, "msg_1");
    ck_assert_str_eq(whk_context_id(ctx), "msg_1");
    whk_context_set_id(ctx, NULL);
    ck_assert_ptr_null(whk_context_id(ctx));
    whk_context_free(ctx);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("verdict");
    TCase *tc = tcase_create("verdict");

    tcase_add_test(tc, verdict_set_and_notes);
    tcase_add_test(tc, reason_names);
    tcase_add_test(tc, parse_int64_cases);
    tcase_add_test(tc, timestamp_both_directions);
    tcase_add_test(tc, timestamp_extremes_do_not_overflow);
    tcase_add_test(tc, context_id);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
