/* SPDX-License-Identifier: MIT */
/* Check suite for JSON re-serialization (core/cli/jsonform.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "harness.h"

static const struct whkp_json_form compact = {0};
static const struct whkp_json_form indent2 = {.indent = 2};
static const struct whkp_json_form python = {.spaced = 1, .ascii = 1};
static const struct whkp_json_form sorted = {.sort_keys = 1};
static const struct whkp_json_form php = {.ascii = 1, .slash = 1};
static const struct whkp_json_form go = {.sort_keys = 1, .html = 1};

/* Input, form, and the output JSON.stringify, json.dumps, ... give. */
static const struct {
    const char *input;
    const struct whkp_json_form *form;
    const char *output;
} cases[] = {
    {"{ \"b\" : 1 ,\n \"a\" : [ 1.50, 2e3, true, null ] }", &compact,
     "{\"b\":1,\"a\":[1.50,2e3,true,null]}"},
    {"{\"b\":1,\"a\":[1,{}],\"c\":{}}", &indent2,
     "{\n  \"b\": 1,\n  \"a\": [\n    1,\n    {}\n  ],\n  \"c\": {}\n}"},
    {"{\"b\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\",\"a\":[1,2]}", &python,
     "{\"b\": \"caf\\u00e9 \\ud83d\\ude00\", \"a\": [1, 2]}"},
    {"{\"b\":1,\"a\":{\"d\":2,\"c\":3}}", &sorted,
     "{\"a\":{\"c\":3,\"d\":2},\"b\":1}"},
    {"{\"u\":\"https://x/\\u00e9\"}", &php, "{\"u\":\"https:\\/\\/x\\/\\u00e9\"}"},
    {"{\"h\":\"<a>&\"}", &go, "{\"h\":\"\\u003ca\\u003e\\u0026\"}"},
    {"\"tab\\tnl\\n\\u0001\\/q\\\"\"", &compact, "\"tab\\tnl\\n\\u0001/q\\\"\""},
    {"\"\\ud83d\\ude00 \\u00e9\"", &compact, "\"\xf0\x9f\x98\x80 \xc3\xa9\""},
    {"\"lone \\udc00\"", &compact, "\"lone \\udc00\""},
    {"[]", &indent2, "[]"},
    {"  {\"a\":\"\x7f\"}  ", &python, "{\"a\": \"\\u007f\"}"},
};

START_TEST(reformat_matches_languages)
{
    size_t len = 0;
    char *out = whkp_json_reformat(cases[_i].input, strlen(cases[_i].input),
                                   cases[_i].form, &len);

    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(out, cases[_i].output);
    ck_assert_uint_eq(len, strlen(cases[_i].output));
    free(out);
}
END_TEST

static const char *const not_json[] = {
    "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "\"unterminated", "{} extra",
    "\"bad \\x escape\"", "\"ctrl \x01 char\"", "",
};

START_TEST(reformat_rejects_invalid)
{
    size_t len = 0;

    ck_assert_ptr_null(whkp_json_reformat(not_json[_i], strlen(not_json[_i]),
                                          &compact, &len));
}
END_TEST

/* Nesting deeper than the parser follows is left alone, not crashed on. */
START_TEST(reformat_deep_nesting)
{
    size_t depth = 100000, len = 0;
    char *text = malloc(2 * depth + 1);

    memset(text, '[', depth);
    memset(text + depth, ']', depth);
    text[2 * depth] = '\0';
    ck_assert_ptr_null(whkp_json_reformat(text, 2 * depth, &compact, &len));
    free(text);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("jsonform");
    TCase *tc = tcase_create("jsonform");

    tcase_add_loop_test(tc, reformat_matches_languages, 0,
                        (int)(sizeof(cases) / sizeof(*cases)));
    tcase_add_loop_test(tc, reformat_rejects_invalid, 0,
                        (int)(sizeof(not_json) / sizeof(*not_json)));
    tcase_add_test(tc, reformat_deep_nesting);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
