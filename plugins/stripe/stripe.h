/* SPDX-License-Identifier: MIT */
/* Stripe plugin: declaration tables shared between its source files. */
#ifndef WHK_STRIPE_H
#define WHK_STRIPE_H

#include <whk/plugin.h>

#define STRIPE_HIDDEN __attribute__((visibility("hidden")))

STRIPE_HIDDEN extern const struct whk_field stripe_fields[];
STRIPE_HIDDEN extern const struct whk_sample stripe_samples[];
STRIPE_HIDDEN extern const struct whk_key stripe_keys[];
STRIPE_HIDDEN extern const struct whk_failure stripe_failures[];

#endif
