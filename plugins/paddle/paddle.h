/* SPDX-License-Identifier: MIT */
/* Paddle plugin: declaration tables shared between its source files. */
#ifndef WHK_PADDLE_H
#define WHK_PADDLE_H

#include <whk/plugin.h>

#define PADDLE_HIDDEN __attribute__((visibility("hidden")))

PADDLE_HIDDEN extern const struct whk_field paddle_fields[];
PADDLE_HIDDEN extern const struct whk_sample paddle_samples[];
PADDLE_HIDDEN extern const struct whk_key paddle_keys[];
PADDLE_HIDDEN extern const struct whk_failure paddle_failures[];

#endif
