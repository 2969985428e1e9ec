/* SPDX-License-Identifier: MIT */
/* Check suite for the providers.d registry (core/lib/registry.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <whk/whk.h>

#include "harness.h"

static char first[64], second[64], plugins[64];

static void setup(void)
{
    strcpy(first, whkt_temp_dir());
    strcpy(second, whkt_temp_dir());
    strcpy(plugins, whkt_temp_dir());
}

static char *path_list(void)
{
    static char list[200];

    snprintf(list, sizeof(list), "%s:%s", first, second);
    return list;
}

static struct whk_registry *open_registry(void)
{
    struct whk_registry *reg = NULL;

    ck_assert_int_eq(whk_registry_open(&reg, path_list(), plugins, NULL),
                     WHK_OK);
    return reg;
}

/* Returns the first problem that contains text, or NULL. */
static const char *problem_with(const struct whk_registry *reg,
                                const char *text)
{
    const char *p;

    for (size_t i = 0; (p = whk_registry_problem_at(reg, i)) != NULL; i++) {
        if (strstr(p, text) != NULL)
            return p;
    }
    return NULL;
}

START_TEST(registry_reads_entries_sorted)
{
    struct whk_registry *reg;
    const struct whk_entry *e;

    whkt_write_file(first, "zeta.json",
                    "{\"name\":\"zeta\",\"module\":\"zmod\"}");
    whkt_write_file(first, "alpha.json",
                    "{\"name\":\"alpha\",\"title\":\"Alpha\",\"summary\":"
                    "\"first\",\"module\":\"amod\",\"extra\":{\"k\":1}}");
    whkt_write_file(first, "README", "not an entry");
    whkt_write_file(plugins, "amod.so", "");
    reg = open_registry();

    ck_assert_uint_eq(whk_registry_count(reg), 2);
    e = whk_registry_at(reg, 0);
    ck_assert_str_eq(whk_entry_name(e), "alpha");
    ck_assert_str_eq(whk_entry_title(e), "Alpha");
    ck_assert_str_eq(whk_entry_summary(e), "first");
    ck_assert_str_eq(whk_entry_module(e), "amod");
    ck_assert_ptr_nonnull(strstr(whk_entry_module_path(e), "/amod.so"));
    ck_assert_ptr_nonnull(strstr(whk_entry_json(e), "\"extra\""));
    e = whk_registry_find(reg, "zeta");
    ck_assert_str_eq(whk_entry_title(e), "zeta");
    ck_assert_ptr_null(whk_entry_module_path(e));
    ck_assert_ptr_null(whk_registry_find(reg, "nope"));
    ck_assert_uint_eq(whk_registry_problem_count(reg), 0);
    whk_registry_free(reg);
}
END_TEST

START_TEST(registry_first_folder_wins)
{
    struct whk_registry *reg;

    whkt_write_file(first, "p.json", "{\"name\":\"p\",\"module\":\"one\"}");
    whkt_write_file(second, "p.json", "{\"name\":\"p\",\"module\":\"two\"}");
    reg = open_registry();

    ck_assert_uint_eq(whk_registry_count(reg), 1);
    ck_assert_str_eq(whk_entry_module(whk_registry_find(reg, "p")), "one");
    ck_assert_ptr_nonnull(problem_with(reg, "already defined"));
    whk_registry_free(reg);
}
END_TEST

static const struct {
    const char *json;
    const char *problem;
} bad_entries[] = {
    {"{\"name\": \"x\",\n \"module\": }", "bad.json:2:"},
    {"[1, 2]", "must be a JSON object"},
    {"{\"module\":\"m\"}", "key 'name' is missing"},
    {"{\"name\":\"Bad Name\",\"module\":\"m\"}", "key 'name' is 'Bad Name'"},
    {"{\"name\":\"x\"}", "key 'module' is missing"},
    {"{\"name\":\"x\",\"module\":\"\"}", "key 'module' is missing"},
    {"{\"name\":\"x\",\"module\":\"a/b\"}", "bare module name"},
    {"{\"name\":\"x\",\"module\":\"m\",\"title\":3}", "'title' must be"},
    {"{\"name\":\"x\",\"name\":\"y\",\"module\":\"m\"}", "duplicate"},
};

START_TEST(registry_reports_malformed_entries)
{
    struct whk_registry *reg;
    const char *p;

    whkt_write_file(first, "bad.json", bad_entries[_i].json);
    whkt_write_file(first, "good.json", "{\"name\":\"good\",\"module\":\"g\"}");
    reg = open_registry();

    ck_assert_uint_eq(whk_registry_count(reg), 1);
    ck_assert_str_eq(whk_entry_name(whk_registry_at(reg, 0)), "good");
    ck_assert_uint_eq(whk_registry_problem_count(reg), 1);
    p = whk_registry_problem_at(reg, 0);
    ck_assert_msg(strstr(p, bad_entries[_i].problem) != NULL,
                  "problem '%s' lacks '%s'", p, bad_entries[_i].problem);
    ck_assert_ptr_nonnull(strstr(p, "bad.json"));
    whk_registry_free(reg);
}
END_TEST

START_TEST(registry_missing_folder_is_empty)
{
    struct whk_registry *reg = NULL;

    ck_assert_int_eq(whk_registry_open(&reg, "/nonexistent/whk", plugins,
                                       NULL),
                     WHK_OK);
    ck_assert_uint_eq(whk_registry_count(reg), 0);
    ck_assert_str_eq(whk_registry_providers_path(reg), "/nonexistent/whk");
    ck_assert_str_eq(whk_registry_plugin_path(reg), plugins);
    whk_registry_free(reg);
}
END_TEST

START_TEST(registry_file_as_folder)
{
    struct whk_registry *reg = NULL;
    const char *file = whkt_write_file(first, "notes.txt", "x");

    ck_assert_int_eq(whk_registry_open(&reg, file, plugins, NULL), WHK_OK);
    ck_assert_uint_eq(whk_registry_count(reg), 0);
    ck_assert_ptr_nonnull(problem_with(reg, "not a folder"));
    whk_registry_free(reg);
}
END_TEST

START_TEST(registry_environment_override)
{
    struct whk_registry *reg = NULL;

    whkt_write_file(second, "e.json", "{\"name\":\"e\",\"module\":\"m\"}");
    setenv("WHK_PROVIDERS_PATH", second, 1);
    setenv("WHK_PLUGIN_PATH", plugins, 1);
    ck_assert_int_eq(whk_registry_open(&reg, NULL, NULL, NULL), WHK_OK);
    ck_assert_str_eq(whk_registry_providers_path(reg), second);
    ck_assert_str_eq(whk_registry_plugin_path(reg), plugins);
    ck_assert_ptr_nonnull(whk_registry_find(reg, "e"));
    whk_registry_free(reg);
}
END_TEST

START_TEST(registry_default_finds_build_tree)
{
    struct whk_registry *reg = NULL;

    unsetenv("WHK_PROVIDERS_PATH");
    unsetenv("WHK_PLUGIN_PATH");
    ck_assert_int_eq(whk_registry_open(&reg, NULL, NULL, NULL), WHK_OK);
    ck_assert_msg(whk_registry_find(reg, "twilio") != NULL,
                  "twilio not found in %s",
                  whk_registry_providers_path(reg));
    ck_assert_ptr_nonnull(
        whk_entry_module_path(whk_registry_find(reg, "twilio")));
    whk_registry_free(reg);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("registry");
    TCase *tc = tcase_create("registry");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, registry_reads_entries_sorted);
    tcase_add_test(tc, registry_first_folder_wins);
    tcase_add_loop_test(tc, registry_reports_malformed_entries, 0,
                        (int)(sizeof(bad_entries) / sizeof(bad_entries[0])));
    tcase_add_test(tc, registry_missing_folder_is_empty);
    tcase_add_test(tc, registry_file_as_folder);
    tcase_add_test(tc, registry_environment_override);
    tcase_add_test(tc, registry_default_finds_build_tree);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
