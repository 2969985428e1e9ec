/* SPDX-License-Identifier: MIT */
/* Helpers shared by the Check suites. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int whkt_run(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    int failed;

    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#define MAX_TEMP_DIRS 16

static char temp_dirs[MAX_TEMP_DIRS][64];
static int temp_dir_count;

static int remove_entry(const char *path, const struct stat *st, int type,
                        struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

static void remove_temp_dirs(void)
{
    for (int i = 0; i < temp_dir_count; i++)
        nftw(temp_dirs[i], remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

const char *whkt_temp_dir(void)
{
    char *path;

    if (temp_dir_count == MAX_TEMP_DIRS) {
        fputs("whkt_temp_dir: too many folders\n", stderr);
        abort();
    }
    if (temp_dir_count == 0)
        atexit(remove_temp_dirs);
    path = temp_dirs[temp_dir_count++];
    strcpy(path, "/tmp/whk-test-XXXXXX");
    if (mkdtemp(path) == NULL) {
        perror("mkdtemp");
        abort();
    }
    return path;
}

const char *whkt_write_file(const char *dir, const char *name,
                            const char *text)
{
    static char path[512];
    FILE *file;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    file = fopen(path, "wb");
    if (file == NULL) {
        perror(path);
        abort();
    }
    fputs(text, file);
    fclose(file);
    return path;
}
