/* SPDX-License-Identifier: MIT */
/* Check suite for reading a plugin's exports (core/cli/elf_exports.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "plugin_check.h"

#define PLUGINS WHK_TEST_BINARY_DIR "/plugins"

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *file = fopen(path, "rb");
    unsigned char *data = malloc(4 << 20);

    ck_assert_ptr_nonnull(file);
    ck_assert_ptr_nonnull(data);
    *len = fread(data, 1, 4 << 20, file);
    fclose(file);
    return data;
}

static const char *write_bytes(const char *dir, const char *name,
                               const unsigned char *data, size_t len)
{
    static char path[512];
    FILE *file;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    file = fopen(path, "wb");
    ck_assert_ptr_nonnull(file);
    ck_assert_uint_eq(fwrite(data, 1, len, file), len);
    fclose(file);
    return path;
}

START_TEST(exports_descriptor_only)
{
    char **names = NULL;
    size_t count = 0;

    ck_assert_int_eq(
        whkp_elf_exports(PLUGINS "/minimal.so", &names, &count, NULL), WHK_OK);
    ck_assert_uint_eq(count, 1);
    ck_assert_str_eq(names[0], "minimal_LTX_whk_descriptor");
    whkp_free_names(names, count);
}
END_TEST

START_TEST(exports_stray_symbol)
{
    char **names = NULL;
    size_t count = 0;

    ck_assert_int_eq(
        whkp_elf_exports(PLUGINS "/no_descriptor.so", &names, &count, NULL),
        WHK_OK);
    ck_assert_uint_eq(count, 1);
    ck_assert_str_eq(names[0], "no_descriptor_value");
    whkp_free_names(names, count);
}
END_TEST

START_TEST(rejects_text_file)
{
    struct whk_error err = {0};
    char **names = NULL;
    size_t count = 7;

    ck_assert_int_eq(
        whkp_elf_exports(PLUGINS "/not_elf.so", &names, &count, &err),
        WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "is not an ELF file"));
    ck_assert_ptr_null(names);
    ck_assert_uint_eq(count, 0);
}
END_TEST

START_TEST(rejects_missing_and_empty)
{
    const char *dir = whkt_temp_dir();
    struct whk_error err = {0};
    char **names = NULL;
    size_t count;

    ck_assert_int_eq(
        whkp_elf_exports("/nonexistent/x.so", &names, &count, &err),
        WHK_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.text, "/nonexistent/x.so"));
    ck_assert_int_eq(whkp_elf_exports(whkt_write_file(dir, "empty.so", ""),
                                      &names, &count, &err),
                     WHK_ERR_INVALID);
    ck_assert_ptr_nonnull(strstr(err.text, "is empty"));
}
END_TEST

START_TEST(rejects_truncated)
{
    const char *dir = whkt_temp_dir();
    struct whk_error err = {0};
    size_t len, sizes[] = {4, 63, 64, 500, 0};
    unsigned char *data = read_all(PLUGINS "/minimal.so", &len);
    char **names = NULL;
    size_t count;

    sizes[4] = len / 2;
    for (size_t i = 0; i < 5; i++) {
        const char *path = write_bytes(dir, "cut.so", data, sizes[i]);

        ck_assert_int_eq(whkp_elf_exports(path, &names, &count, &err),
                         WHK_ERR_INVALID);
        ck_assert_ptr_null(names);
    }
    free(data);
}
END_TEST

/*
 * Changes each byte of the ELF header and 2000 bytes spread over the
 * rest, one at a time. Every result must be an error or a list, never a
 * crash or an out-of-bounds read, which the ASan build would report.
 */
START_TEST(survives_corruption)
{
    const char *dir = whkt_temp_dir();
    size_t len;
    unsigned char *data = read_all(PLUGINS "/minimal.so", &len);
    unsigned char *copy = malloc(len);
    size_t positions = 0;

    ck_assert_ptr_nonnull(copy);
    for (size_t i = 0; i < len; i += i < 64 ? 1 : len / 2000 + 1) {
        const char *path;
        char **names = NULL;
        size_t count = 0;

        memcpy(copy, data, len);
        copy[i] ^= 0xa5;
        path = write_bytes(dir, "bent.so", copy, len);
        if (whkp_elf_exports(path, &names, &count, NULL) == WHK_OK)
            whkp_free_names(names, count);
        positions++;
    }
    ck_assert_uint_gt(positions, 1000);
    free(copy);
    free(data);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("elf_exports");
    TCase *tc = tcase_create("elf_exports");

    tcase_add_test(tc, exports_descriptor_only);
    tcase_add_test(tc, exports_stray_symbol);
    tcase_add_test(tc, rejects_text_file);
    tcase_add_test(tc, rejects_missing_and_empty);
    tcase_add_test(tc, rejects_truncated);
    tcase_add_test(tc, survives_corruption);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
