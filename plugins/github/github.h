/* SPDX-License-Identifier: MIT */
/* GitHub plugin: declaration tables shared between its source files. */
#ifndef WHK_GITHUB_H
#define WHK_GITHUB_H

#include <whk/plugin.h>

#define GITHUB_HIDDEN __attribute__((visibility("hidden")))

GITHUB_HIDDEN extern const struct whk_field github_fields[];
GITHUB_HIDDEN extern const struct whk_sample github_samples[];
GITHUB_HIDDEN extern const struct whk_key github_keys[];
GITHUB_HIDDEN extern const struct whk_failure github_failures[];

#endif
