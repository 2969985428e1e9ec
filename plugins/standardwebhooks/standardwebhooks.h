/* SPDX-License-Identifier: MIT */
/* Standard Webhooks plugin: declaration tables shared between its source files. */
#ifndef WHK_STANDARDWEBHOOKS_H
#define WHK_STANDARDWEBHOOKS_H

#include <whk/plugin.h>

#define STANDARDWEBHOOKS_HIDDEN __attribute__((visibility("hidden")))

STANDARDWEBHOOKS_HIDDEN extern const struct whk_field standardwebhooks_fields[];
STANDARDWEBHOOKS_HIDDEN extern const struct whk_sample standardwebhooks_samples[];
STANDARDWEBHOOKS_HIDDEN extern const struct whk_key standardwebhooks_keys[];
STANDARDWEBHOOKS_HIDDEN extern const struct whk_failure standardwebhooks_failures[];

/* The declarations that replace the defaults for a "svix" entry. */
STANDARDWEBHOOKS_HIDDEN extern const struct whk_descriptor svix_declarations;

#endif
