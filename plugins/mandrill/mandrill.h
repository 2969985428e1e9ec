/* SPDX-License-Identifier: MIT */
/* Mandrill plugin: declaration tables shared between its source files. */
#ifndef WHK_MANDRILL_H
#define WHK_MANDRILL_H

#include <whk/plugin.h>

#define MANDRILL_HIDDEN __attribute__((visibility("hidden")))

MANDRILL_HIDDEN extern const struct whk_field mandrill_fields[];
MANDRILL_HIDDEN extern const struct whk_sample mandrill_samples[];
MANDRILL_HIDDEN extern const struct whk_key mandrill_keys[];
MANDRILL_HIDDEN extern const struct whk_failure mandrill_failures[];
MANDRILL_HIDDEN extern const struct whk_challenge mandrill_challenges[];

#endif
