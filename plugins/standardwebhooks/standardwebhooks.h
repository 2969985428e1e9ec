/* SPDX-License-Identifier: MIT */
/* Standard Webhooks plugin: tables shared between its source files. */
#ifndef WHK_STANDARDWEBHOOKS_H
#define WHK_STANDARDWEBHOOKS_H

#include <whk/plugin.h>

#define SW_HIDDEN __attribute__((visibility("hidden")))

SW_HIDDEN extern const struct whk_field standardwebhooks_fields[];
SW_HIDDEN extern const struct whk_sample standardwebhooks_samples[];
SW_HIDDEN extern const struct whk_key standardwebhooks_keys[];
SW_HIDDEN extern const struct whk_failure standardwebhooks_failures[];

/* The declarations that replace the defaults for a "svix" entry. */
SW_HIDDEN extern const struct whk_descriptor svix_declarations;

#endif
