/* SPDX-License-Identifier: MIT */
/* Check suite for whk.json reading, merging and URL joining (config.c). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "harness.h"

static const char project_json[] =
    "{\n"
    "  \"providers\": {\n"
    "    \"twilio\": {\n"
    "      \"port\": 3000,\n"
    "      \"path\": \"/webhooks/twilio/sms\",\n"
    "      \"public_url\": \"https://twilio-dev.example.com\",\n"
    "      \"secret_env\": \"MY_TOKEN\",\n"
    "      \"editor_note\": \"kept\"\n"
    "    },\n"
    "    \"other\": {\"port\": 5000, \"path\": \"/hooks\"}\n"
    "  },\n"
    "  \"comment\": \"whk keeps keys it does not know\"\n"
    "}\n";

START_TEST(config_missing_file_is_empty)
{
    const char *dir = whkt_temp_dir();
    char path[600];
    struct whkp_config config;
    struct whkp_project project;

    snprintf(path, sizeof(path), "%s/whk.json", dir);
    ck_assert_int_eq(whkp_config_read(path, &config, NULL), WHK_OK);
    ck_assert_int_eq(config.exists, 0);
    ck_assert_ptr_null(whkp_config_single_provider(&config));
    ck_assert_int_eq(whkp_config_project(&config, "twilio", &project, NULL),
                     WHK_ERR_NOT_FOUND);
    whkp_project_clear(&project);
    whkp_config_clear(&config);
}
END_TEST

START_TEST(config_reads_entry)
{
    const char *path = whkt_write_file(whkt_temp_dir(), "whk.json",
                                       project_json);
    struct whkp_config config;
    struct whkp_project project;

    ck_assert_int_eq(whkp_config_read(path, &config, NULL), WHK_OK);
    ck_assert_int_eq(config.exists, 1);
    ck_assert_int_eq(whkp_config_project(&config, "twilio", &project, NULL),
                     WHK_OK);
    ck_assert_int_eq(project.port, 3000);
    ck_assert_str_eq(project.path, "/webhooks/twilio/sms");
    ck_assert_str_eq(project.public_url, "https://twilio-dev.example.com");
    ck_assert_str_eq(project.secret_env, "MY_TOKEN");
    ck_assert_ptr_null(project.tunnel);
    ck_assert_ptr_null(whkp_config_single_provider(&config));
    whkp_project_clear(&project);
    whkp_config_clear(&config);
}
END_TEST

START_TEST(config_malformed_names_line_and_column)
{
    const char *path = whkt_write_file(whkt_temp_dir(), "whk.json",
                                       "{\n  \"providers\": {\n"
                                       "    \"twilio\": {\"port\": 3000,}\n"
                                       "  }\n}\n");
    struct whkp_config config;
    struct whk_error err = {0};
    char expected[700];

    ck_assert_int_eq(whkp_config_read(path, &config, &err), WHK_ERR_CONFIG);
    /* Line 3, column 29: the "}" after the trailing comma. */
    snprintf(expected, sizeof(expected), "%s:3:29:", path);
    ck_assert_msg(strncmp(err.text, expected, strlen(expected)) == 0,
                  "error '%s' does not start with '%s'", err.text, expected);
}
END_TEST

START_TEST(config_rejects_bad_values)
{
    static const char *const files[] = {
        "{\"providers\": {\"twilio\": {\"port\": \"3000\"}}}",
        "{\"providers\": {\"twilio\": {\"port\": 70000}}}",
        "{\"providers\": {\"twilio\": {\"path\": \"hooks\"}}}",
        "{\"providers\": {\"twilio\": {\"public_url\": \"example.com\"}}}",
        "{\"providers\": {\"twilio\": {\"secret_env\": 5}}}",
    };
    static const char *const keys[] = {"port", "port", "path", "public_url",
                                       "secret_env"};
    const char *path = whkt_write_file(whkt_temp_dir(), "whk.json",
                                       files[_i]);
    struct whkp_config config;
    struct whkp_project project;
    struct whk_error err = {0};
    char key[64];

    ck_assert_int_eq(whkp_config_read(path, &config, NULL), WHK_OK);
    ck_assert_int_eq(whkp_config_project(&config, "twilio", &project, &err),
                     WHK_ERR_CONFIG);
    snprintf(key, sizeof(key), "providers.twilio.%s", keys[_i]);
    ck_assert_msg(strstr(err.text, key) != NULL, "'%s' lacks '%s'",
                  err.text, key);
    whkp_project_clear(&project);
    whkp_config_clear(&config);
}
END_TEST

START_TEST(config_rejects_wrong_shape)
{
    static const char *const files[] = {"[]", "{\"providers\": []}",
                                        "{\"providers\": {\"twilio\": 1}}",
                                        "{\"providers\": {}, \"providers\": {}}"};
    const char *path = whkt_write_file(whkt_temp_dir(), "whk.json",
                                       files[_i]);
    struct whkp_config config;
    struct whk_error err = {0};

    ck_assert_int_eq(whkp_config_read(path, &config, &err), WHK_ERR_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.text, path));
}
END_TEST

START_TEST(config_update_keeps_others)
{
    const char *path = whkt_write_file(whkt_temp_dir(), "whk.json",
                                       project_json);
    struct whkp_config config, again;
    struct whkp_project change = {.provider = "twilio",
                                  .public_url = "https://new.example.com",
                                  .tunnel = "ngrok"};
    struct whkp_project project, other;
    json_t *twilio;

    ck_assert_int_eq(whkp_config_read(path, &config, NULL), WHK_OK);
    ck_assert_int_eq(whkp_config_update(&config, &change, NULL), WHK_OK);
    ck_assert_int_eq(whkp_config_write(&config, NULL), WHK_OK);
    ck_assert_int_eq(whkp_config_read(path, &again, NULL), WHK_OK);

    ck_assert_int_eq(whkp_config_project(&again, "twilio", &project, NULL),
                     WHK_OK);
    ck_assert_int_eq(project.port, 3000);
    ck_assert_str_eq(project.public_url, "https://new.example.com");
    ck_assert_str_eq(project.tunnel, "ngrok");
    ck_assert_int_eq(whkp_config_project(&again, "other", &other, NULL),
                     WHK_OK);
    ck_assert_int_eq(other.port, 5000);
    twilio = json_object_get(json_object_get(again.root, "providers"),
                             "twilio");
    ck_assert_str_eq(json_string_value(json_object_get(twilio,
                                                       "editor_note")),
                     "kept");
    ck_assert_str_eq(json_string_value(json_object_get(again.root,
                                                       "comment")),
                     "whk keeps keys it does not know");
    whkp_project_clear(&project);
    whkp_project_clear(&other);
    whkp_config_clear(&config);
    whkp_config_clear(&again);
}
END_TEST

START_TEST(config_update_creates_entry)
{
    const char *dir = whkt_temp_dir();
    char path[600];
    struct whkp_config config, again;
    struct whkp_project entry = {.provider = "twilio", .port = 8080,
                                 .path = "/sms"};
    struct whkp_project project;

    snprintf(path, sizeof(path), "%s/whk.json", dir);
    ck_assert_int_eq(whkp_config_read(path, &config, NULL), WHK_OK);
    ck_assert_int_eq(whkp_config_update(&config, &entry, NULL), WHK_OK);
    ck_assert_int_eq(whkp_config_write(&config, NULL), WHK_OK);
    ck_assert_int_eq(whkp_config_read(path, &again, NULL), WHK_OK);
    ck_assert_str_eq(whkp_config_single_provider(&again), "twilio");
    ck_assert_int_eq(whkp_config_project(&again, "twilio", &project, NULL),
                     WHK_OK);
    ck_assert_int_eq(project.port, 8080);
    ck_assert_str_eq(project.path, "/sms");
    whkp_project_clear(&project);
    whkp_config_clear(&config);
    whkp_config_clear(&again);
}
END_TEST

static const struct {
    const char *base;
    const char *target;
    const char *url;
} joins[] = {
    {"https://h.example.com", "/hooks?a=1", "https://h.example.com/hooks?a=1"},
    {"https://h.example.com/", "/hooks", "https://h.example.com/hooks"},
    {"https://h.example.com/app", "/hooks", "https://h.example.com/app/hooks"},
    {"https://h.example.com/hooks", "/hooks", "https://h.example.com/hooks"},
    {"https://h.example.com/hooks", "/hooks/status",
     "https://h.example.com/hooks/status"},
    {"https://h.example.com/hooks", "/hooksx", "https://h.example.com/hooks/hooksx"},
    {"http://[::1]:8443/", "/a%2Fb", "http://[::1]:8443/a%2Fb"},
};

START_TEST(public_url_joins_base_and_target)
{
    char *url = whkp_public_url(joins[_i].base, joins[_i].target);

    ck_assert_str_eq(url, joins[_i].url);
    free(url);
}
END_TEST

START_TEST(public_url_rejects_relative)
{
    ck_assert_ptr_null(whkp_public_url("example.com", "/x"));
    ck_assert_ptr_null(whkp_public_url("https://example.com", "x"));
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("config");
    TCase *tc = tcase_create("whk.json");

    tcase_add_test(tc, config_missing_file_is_empty);
    tcase_add_test(tc, config_reads_entry);
    tcase_add_test(tc, config_malformed_names_line_and_column);
    tcase_add_loop_test(tc, config_rejects_bad_values, 0, 5);
    tcase_add_loop_test(tc, config_rejects_wrong_shape, 0, 4);
    tcase_add_test(tc, config_update_keeps_others);
    tcase_add_test(tc, config_update_creates_entry);
    tcase_add_loop_test(tc, public_url_joins_base_and_target, 0,
                        sizeof(joins) / sizeof(joins[0]));
    tcase_add_test(tc, public_url_rejects_relative);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
