/* SPDX-License-Identifier: MIT */
/* Check suite for the request model (core/lib/request.c). */
#include <string.h>

#include <whk/whk.h>

#include "harness.h"

static struct whk_request *req;

static void setup(void)
{
    req = whk_request_new();
    ck_assert_ptr_nonnull(req);
}

static void teardown(void)
{
    whk_request_free(req);
}

START_TEST(request_defaults)
{
    size_t len = 9;

    ck_assert_str_eq(whk_request_method(req), "POST");
    ck_assert_ptr_null(whk_request_url(req));
    ck_assert_uint_eq(whk_request_header_count(req), 0);
    ck_assert_str_eq(whk_request_body(req, &len), "");
    ck_assert_uint_eq(len, 0);
    ck_assert_uint_eq(whk_request_param_count(req), 0);
    ck_assert_ptr_null(whk_request_param_at(req, 0));
}
END_TEST

START_TEST(request_headers_keep_wire_order)
{
    const char *name, *value;

    whk_request_add_header(req, "Host", "a.com");
    whk_request_add_header(req, "X-Dup", "1");
    whk_request_add_header(req, "Accept", "*/*");
    whk_request_add_header(req, "x-dup", "2");

    ck_assert_uint_eq(whk_request_header_count(req), 4);
    ck_assert_int_eq(whk_request_header_at(req, 3, &name, &value), WHK_OK);
    ck_assert_str_eq(name, "x-dup");
    ck_assert_str_eq(value, "2");
    ck_assert_int_eq(whk_request_header_at(req, 4, &name, &value),
                     WHK_ERR_NOT_FOUND);
    ck_assert_str_eq(whk_request_header(req, "X-DUP"), "1");
    ck_assert_str_eq(whk_request_header_nth(req, "x-dup", 1), "2");
    ck_assert_ptr_null(whk_request_header_nth(req, "x-dup", 2));
    ck_assert_ptr_null(whk_request_header(req, "Missing"));
}
END_TEST

START_TEST(request_set_header_replaces_all)
{
    const char *name, *value;

    whk_request_add_header(req, "A", "1");
    whk_request_add_header(req, "Sig", "old1");
    whk_request_add_header(req, "B", "2");
    whk_request_add_header(req, "sig", "old2");
    ck_assert_int_eq(whk_request_set_header(req, "SIG", "new"), WHK_OK);

    ck_assert_uint_eq(whk_request_header_count(req), 3);
    whk_request_header_at(req, 1, &name, &value);
    ck_assert_str_eq(name, "Sig");
    ck_assert_str_eq(value, "new");
    ck_assert_ptr_null(whk_request_header_nth(req, "sig", 1));

    ck_assert_int_eq(whk_request_set_header(req, "New", "v"), WHK_OK);
    whk_request_header_at(req, 3, &name, &value);
    ck_assert_str_eq(name, "New");
    ck_assert_uint_eq(whk_request_remove_header(req, "a"), 1);
    ck_assert_uint_eq(whk_request_remove_header(req, "a"), 0);
    ck_assert_int_eq(whk_request_add_header(req, "", "v"), WHK_ERR_INVALID);
}
END_TEST

START_TEST(request_params_follow_content_type)
{
    const struct whk_param *param;

    whk_request_set_body(req, "a=1&b=2", 7);
    ck_assert_uint_eq(whk_request_param_count(req), 0);

    whk_request_add_header(req, "Content-Type",
                           "Application/X-WWW-Form-Urlencoded; charset=UTF-8");
    ck_assert_uint_eq(whk_request_param_count(req), 2);
    param = whk_request_param_at(req, 1);
    ck_assert_str_eq(param->key, "b");

    whk_request_set_body(req, "x=9", 3);
    ck_assert_uint_eq(whk_request_param_count(req), 1);
    ck_assert_str_eq(whk_request_param_at(req, 0)->value, "9");

    whk_request_set_header(req, "content-type", "application/json");
    ck_assert_uint_eq(whk_request_param_count(req), 0);
    whk_request_set_header(req, "content-type",
                           "application/x-www-form-urlencoded");
    ck_assert_uint_eq(whk_request_param_count(req), 1);
    whk_request_remove_header(req, "Content-Type");
    ck_assert_uint_eq(whk_request_param_count(req), 0);
}
END_TEST

START_TEST(request_media_type)
{
    char media[32];

    ck_assert_str_eq(whk_request_media_type(req, media, sizeof(media)), "");
    whk_request_add_header(req, "Content-Type",
                           "  Application/JSON ; charset=utf-8");
    ck_assert_str_eq(whk_request_media_type(req, media, sizeof(media)),
                     "application/json");
    ck_assert_str_eq(whk_request_media_type(req, media, 5), "appl");
}
END_TEST

START_TEST(request_body_with_nul)
{
    size_t len;
    const char *body;

    whk_request_set_body(req, "a\0b", 3);
    body = whk_request_body(req, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(body, "a\0b", 4);
}
END_TEST

START_TEST(request_copy_is_deep)
{
    struct whk_request *copy;
    size_t len;

    whk_request_set_method(req, "PUT");
    whk_request_set_url(req, "https://a.com/x");
    whk_request_add_header(req, "Content-Type",
                           "application/x-www-form-urlencoded");
    whk_request_set_body(req, "k=v", 3);
    copy = whk_request_copy(req);
    whk_request_set_body(req, "changed=1", 9);
    whk_request_set_url(req, "https://b.com/");

    ck_assert_str_eq(whk_request_method(copy), "PUT");
    ck_assert_str_eq(whk_request_url(copy), "https://a.com/x");
    ck_assert_str_eq(whk_request_body(copy, &len), "k=v");
    ck_assert_uint_eq(whk_request_param_count(copy), 1);
    ck_assert_str_eq(whk_request_param_at(copy, 0)->key, "k");
    whk_request_free(copy);
}
END_TEST

START_TEST(request_rejects_empty_method)
{
    ck_assert_int_eq(whk_request_set_method(req, ""), WHK_ERR_INVALID);
    ck_assert_int_eq(whk_request_set_method(req, NULL), WHK_ERR_INVALID);
    ck_assert_str_eq(whk_request_method(req), "POST");
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("request");
    TCase *tc = tcase_create("request");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, request_defaults);
    tcase_add_test(tc, request_headers_keep_wire_order);
    tcase_add_test(tc, request_set_header_replaces_all);
    tcase_add_test(tc, request_params_follow_content_type);
    tcase_add_test(tc, request_media_type);
    tcase_add_test(tc, request_body_with_nul);
    tcase_add_test(tc, request_copy_is_deep);
    tcase_add_test(tc, request_rejects_empty_method);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
