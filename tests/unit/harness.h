/* SPDX-License-Identifier: MIT */
/* Helpers shared by the Check suites. */
#ifndef WHK_TEST_HARNESS_H
#define WHK_TEST_HARNESS_H

#include <check.h>

/* Runs a suite in fork mode and returns the process exit status. */
int whkt_run(Suite *suite);

/* Writes text to a new file under dir and returns its path (static). */
const char *whkt_write_file(const char *dir, const char *name,
                            const char *text);

/* Creates a temporary folder, removed at exit, and returns its path. */
const char *whkt_temp_dir(void);

#endif
