/* SPDX-License-Identifier: MIT */
/* Check suite for URL splitting and port variants (core/lib/url.c). */
#include <string.h>

#include <whk/whk.h>

#include "harness.h"

static void assert_span(struct whk_span span, const char *expected)
{
    if (expected == NULL) {
        ck_assert_ptr_null(span.ptr);
        return;
    }
    ck_assert_ptr_nonnull(span.ptr);
    ck_assert_uint_eq(span.len, strlen(expected));
    ck_assert_mem_eq(span.ptr, expected, span.len);
}

START_TEST(url_split_full)
{
    struct whk_url_parts parts;

    ck_assert_int_eq(whk_url_split("https://user:pw@example.com:8443/a/b?x=1"
                                   "&y=%27#frag",
                                   &parts, NULL),
                     WHK_OK);
    assert_span(parts.scheme, "https");
    assert_span(parts.userinfo, "user:pw");
    assert_span(parts.host, "example.com");
    assert_span(parts.port, "8443");
    assert_span(parts.path, "/a/b");
    assert_span(parts.query, "x=1&y=%27");
    assert_span(parts.fragment, "frag");
}
END_TEST

START_TEST(url_split_minimal)
{
    struct whk_url_parts parts;

    ck_assert_int_eq(whk_url_split("http://h", &parts, NULL), WHK_OK);
    assert_span(parts.host, "h");
    assert_span(parts.port, NULL);
    ck_assert_uint_eq(parts.path.len, 0);
    assert_span(parts.query, NULL);
    ck_assert_int_eq(whk_url_split("http://h?", &parts, NULL), WHK_OK);
    assert_span(parts.query, "");
}
END_TEST

START_TEST(url_split_ipv6)
{
    struct whk_url_parts parts;

    ck_assert_int_eq(whk_url_split("http://[::1]:3000/hook", &parts, NULL),
                     WHK_OK);
    assert_span(parts.host, "[::1]");
    assert_span(parts.port, "3000");
    assert_span(parts.path, "/hook");
}
END_TEST

static const char *const invalid_urls[] = {
    "example.com/path", "/path", "https:/x", "https://", "https://:80/",
    "https://h:port/", "https://h:/", "https://h:123456/", "http://[::1/",
    "https://h:65536/", "https://h:0/", "https://a b.com/", "https://a/b c",
    "https://a/\x1b[1m", "https://a<b>.com/",
};

START_TEST(url_split_rejects)
{
    struct whk_url_parts parts;
    struct whk_error err = {0};

    ck_assert_int_eq(whk_url_split(invalid_urls[_i], &parts, &err),
                     WHK_ERR_INVALID);
    ck_assert_msg(strstr(err.text, invalid_urls[_i]) != NULL,
                  "error '%s' does not name the URL", err.text);
}
END_TEST

START_TEST(url_port_variants)
{
    static const struct {
        const char *url, *without, *with;
    } cases[] = {
        {"https://a.com/p?q=1", "https://a.com/p?q=1",
         "https://a.com:443/p?q=1"},
        {"http://a.com/p", "http://a.com/p", "http://a.com:80/p"},
        {"HTTPS://a.com", "HTTPS://a.com", "HTTPS://a.com:443"},
        {"https://a.com:443/p", "https://a.com/p", "https://a.com:443/p"},
        {"https://u@a.com:8443/p", "https://u@a.com/p",
         "https://u@a.com:8443/p"},
        {"http://[::1]:80/x", "http://[::1]/x", "http://[::1]:80/x"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *without = whk_url_without_port(cases[i].url);
        char *with = whk_url_with_default_port(cases[i].url);

        ck_assert_str_eq(without, cases[i].without);
        ck_assert_str_eq(with, cases[i].with);
        whk_free(without);
        whk_free(with);
    }
    ck_assert_ptr_null(whk_url_without_port("not a url"));
}
END_TEST

START_TEST(url_query_get_decodes)
{
    char *value = NULL;
    struct whk_error err = {0};
    const char *url = "https://a.com/p?a=1&bodySHA256=ab%63&x+y=z+w";

    ck_assert_int_eq(whk_url_query_get(url, "bodySHA256", &value, NULL),
                     WHK_OK);
    ck_assert_str_eq(value, "abc");
    whk_free(value);
    ck_assert_int_eq(whk_url_query_get(url, "x y", &value, NULL), WHK_OK);
    ck_assert_str_eq(value, "z w");
    whk_free(value);
    ck_assert_int_eq(whk_url_query_get(url, "missing", &value, &err),
                     WHK_ERR_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err.text, "missing"));
    ck_assert_int_eq(whk_url_query_get("https://a.com/p", "a", &value, NULL),
                     WHK_ERR_NOT_FOUND);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("url");
    TCase *tc = tcase_create("url");

    tcase_add_test(tc, url_split_full);
    tcase_add_test(tc, url_split_minimal);
    tcase_add_test(tc, url_split_ipv6);
    tcase_add_loop_test(tc, url_split_rejects, 0,
                        (int)(sizeof(invalid_urls) / sizeof(char *)));
    tcase_add_test(tc, url_port_variants);
    tcase_add_test(tc, url_query_get_decodes);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
