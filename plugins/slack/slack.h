/* SPDX-License-Identifier: MIT */
/* Slack plugin: declaration tables shared between its source files. */
#ifndef WHK_SLACK_H
#define WHK_SLACK_H

#include <whk/plugin.h>

#define SLACK_HIDDEN __attribute__((visibility("hidden")))

SLACK_HIDDEN extern const struct whk_field slack_fields[];
SLACK_HIDDEN extern const struct whk_sample slack_samples[];
SLACK_HIDDEN extern const struct whk_key slack_keys[];
SLACK_HIDDEN extern const struct whk_failure slack_failures[];
SLACK_HIDDEN extern const struct whk_challenge slack_challenges[];

#endif
