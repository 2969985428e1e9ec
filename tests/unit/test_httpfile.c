/* SPDX-License-Identifier: MIT */
/* Check suite for raw HTTP request files (core/cli/httpfile.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "harness.h"

static struct whk_request *parse_ok(const char *text, char **target)
{
    struct whk_request *req = NULL;
    struct whk_error err = {0};

    ck_assert_msg(whkp_parse_http(text, strlen(text), &req, target, &err) ==
                      WHK_OK,
                  "parse failed: %s", err.text);
    return req;
}

static void assert_body(const struct whk_request *req, const char *body)
{
    size_t len;
    const char *got = whk_request_body(req, &len);

    ck_assert_uint_eq(len, strlen(body));
    ck_assert_mem_eq(got, body, len);
}

START_TEST(http_crlf_with_length)
{
    char *target = NULL;
    struct whk_request *req = parse_ok(
        "POST /sms?x=1 HTTP/1.1\r\nHost: a.com\r\nX-Twilio-Signature:  "
        "abc= \r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 7\r\n\r\nA=1&B=2",
        &target);

    ck_assert_str_eq(target, "/sms?x=1");
    ck_assert_str_eq(whk_request_method(req), "POST");
    ck_assert_str_eq(whk_request_header(req, "x-twilio-signature"), "abc=");
    ck_assert_uint_eq(whk_request_header_count(req), 4);
    assert_body(req, "A=1&B=2");
    ck_assert_uint_eq(whk_request_param_count(req), 2);
    whk_request_free(req);
    free(target);
}
END_TEST

START_TEST(http_bare_lf_without_length)
{
    char *target = NULL;
    struct whk_request *req =
        parse_ok("\nGET /x HTTP/1.0\nHost: a\n\nrest\r\nof body", &target);

    ck_assert_str_eq(whk_request_method(req), "GET");
    assert_body(req, "rest\r\nof body");
    whk_request_free(req);
    free(target);
}
END_TEST

START_TEST(http_chunked_body)
{
    char *target = NULL;
    struct whk_request *req = parse_ok(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        "4\r\nWiki\r\n6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n"
        "0\r\nTrailer: x\r\n\r\n",
        &target);

    assert_body(req, "Wikipedia in \r\n\r\nchunks.");
    whk_request_free(req);
    free(target);
}
END_TEST

START_TEST(http_extra_bytes_ignored)
{
    char *target = NULL;
    struct whk_request *req = parse_ok(
        "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc\n", &target);

    assert_body(req, "abc");
    whk_request_free(req);
    free(target);
}
END_TEST

static const struct {
    const char *text;
    const char *error;
} malformed[] = {
    {"", "the request is empty"},
    {"\r\n\r\n", "the request is empty"},
    {"POST /x\r\n\r\n", "line 1: expected a request line"},
    {"POST  HTTP/1.1\r\n\r\n", "line 1: expected a request line"},
    {"POST /x HTTP/2\r\n\r\n", "line 1: expected a request line"},
    {"PO(ST /x HTTP/1.1\r\n\r\n", "invalid character in the method"},
    {"POST /x HTTP/1.1\r\nHost a.com\r\n\r\n",
     "line 2: header line without a colon: 'Host a.com'"},
    {"POST /x HTTP/1.1\r\nA: 1\r\n  folded\r\n\r\n", "line 3: a folded"},
    {"POST /x HTTP/1.1\r\nBad Name: 1\r\n\r\n", "invalid header name"},
    {"POST /x HTTP/1.1\r\n: v\r\n\r\n", "empty header name"},
    {"POST /x HTTP/1.1\r\nHost: a", "ends inside its headers"},
    {"POST /x HTTP/1.1\r\nHost: a\r\n", "ends inside its headers"},
    {"POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
     "Content-Length is 10 bytes, but only 3 bytes"},
    {"POST /x HTTP/1.1\r\nContent-Length: ten\r\n\r\n",
     "Content-Length 'ten' is not a byte count"},
    {"POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "not a byte count"},
    {"POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
     "two different Content-Length"},
    {"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
     "chunked body ends before"},
    {"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
     "chunked body is malformed"},
    {"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
     "ffffffffffffffffffffff\r\nab\r\n0\r\n\r\n",
     "chunked body is malformed"},
    {"POST /x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n",
     "Transfer-Encoding 'gzip, chunked' is not supported"},
    {"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n",
     "chunked body is malformed"},
};

START_TEST(http_rejects_malformed)
{
    struct whk_request *req = NULL;
    struct whk_error err = {0};
    char *target = (char *)"unchanged";
    const char *text = malformed[_i].text;

    ck_assert_int_eq(whkp_parse_http(text, strlen(text), &req, &target, &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_null(req);
    ck_assert_ptr_null(target);
    ck_assert_msg(strstr(err.text, malformed[_i].error) != NULL,
                  "error '%s' lacks '%s'", err.text, malformed[_i].error);
}
END_TEST

START_TEST(http_write_round_trip)
{
    char *target = NULL, *again_target = NULL, *text = NULL;
    size_t size = 0;
    struct whk_request *req, *again;
    FILE *out = open_memstream(&text, &size);

    static const char raw[] = "PUT /a%20b?q HTTP/1.1\r\nX: 1\r\nX: 2\r\n"
                              "Content-Length: 4\r\n\r\na\0bc";
    size_t len;

    ck_assert_int_eq(whkp_parse_http(raw, sizeof(raw) - 1, &req, &target,
                                     NULL),
                     WHK_OK);
    whkp_write_http(out, req, target);
    fclose(out);
    ck_assert_int_eq(whkp_parse_http(text, size, &again, &again_target, NULL),
                     WHK_OK);
    ck_assert_str_eq(again_target, "/a%20b?q");
    ck_assert_str_eq(whk_request_method(again), "PUT");
    ck_assert_str_eq(whk_request_header_nth(again, "x", 1), "2");
    ck_assert_mem_eq(whk_request_body(again, &len), "a\0bc", 4);
    ck_assert_uint_eq(len, 4);
    whk_request_free(req);
    whk_request_free(again);
    free(target);
    free(again_target);
    free(text);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("httpfile");
    TCase *tc = tcase_create("httpfile");

    tcase_add_test(tc, http_crlf_with_length);
    tcase_add_test(tc, http_bare_lf_without_length);
    tcase_add_test(tc, http_chunked_body);
    tcase_add_test(tc, http_extra_bytes_ignored);
    tcase_add_loop_test(tc, http_rejects_malformed, 0,
                        (int)(sizeof(malformed) / sizeof(malformed[0])));
    tcase_add_test(tc, http_write_round_trip);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
