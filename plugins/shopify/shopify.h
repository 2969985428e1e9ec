/* SPDX-License-Identifier: MIT */
/* Shopify plugin: declaration tables shared between its source files. */
#ifndef WHK_SHOPIFY_H
#define WHK_SHOPIFY_H

#include <whk/plugin.h>

#define SHOPIFY_HIDDEN __attribute__((visibility("hidden")))

SHOPIFY_HIDDEN extern const struct whk_field shopify_fields[];
SHOPIFY_HIDDEN extern const struct whk_sample shopify_samples[];
SHOPIFY_HIDDEN extern const struct whk_key shopify_keys[];
SHOPIFY_HIDDEN extern const struct whk_failure shopify_failures[];

#endif
