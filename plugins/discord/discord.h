/* SPDX-License-Identifier: MIT */
/* Discord plugin: declaration tables shared between its source files. */
#ifndef WHK_DISCORD_H
#define WHK_DISCORD_H

#include <whk/plugin.h>

#define DISCORD_HIDDEN __attribute__((visibility("hidden")))

DISCORD_HIDDEN extern const struct whk_field discord_fields[];
DISCORD_HIDDEN extern const struct whk_sample discord_samples[];
DISCORD_HIDDEN extern const struct whk_key discord_keys[];
DISCORD_HIDDEN extern const struct whk_failure discord_failures[];
DISCORD_HIDDEN extern const struct whk_challenge discord_challenges[];

#endif
