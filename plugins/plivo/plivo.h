/* SPDX-License-Identifier: MIT */
/* Plivo plugin: declaration tables shared between its source files. */
#ifndef WHK_PLIVO_H
#define WHK_PLIVO_H

#include <whk/plugin.h>

#define PLIVO_HIDDEN __attribute__((visibility("hidden")))

PLIVO_HIDDEN extern const struct whk_field plivo_fields[];
PLIVO_HIDDEN extern const struct whk_sample plivo_samples[];
PLIVO_HIDDEN extern const struct whk_key plivo_keys[];
PLIVO_HIDDEN extern const struct whk_failure plivo_failures[];

#endif
