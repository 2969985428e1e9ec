/* SPDX-License-Identifier: MIT */
/* GitLab plugin: declaration tables shared between its source files. */
#ifndef WHK_GITLAB_H
#define WHK_GITLAB_H

#include <whk/plugin.h>

#define GITLAB_HIDDEN __attribute__((visibility("hidden")))

GITLAB_HIDDEN extern const struct whk_field gitlab_fields[];
GITLAB_HIDDEN extern const struct whk_sample gitlab_samples[];
GITLAB_HIDDEN extern const struct whk_key gitlab_keys[];
GITLAB_HIDDEN extern const struct whk_failure gitlab_failures[];

#endif
