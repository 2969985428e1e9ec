/* SPDX-License-Identifier: MIT */
/* Helpers shared by the Check suites. */
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

const char *whkt_temp_dir(void)
{
    static char path[64];

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
