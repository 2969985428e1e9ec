/* SPDX-License-Identifier: MIT */
/* HubSpot plugin: declaration tables shared between its source files. */
#ifndef WHK_HUBSPOT_H
#define WHK_HUBSPOT_H

#include <whk/plugin.h>

#define HUBSPOT_HIDDEN __attribute__((visibility("hidden")))

HUBSPOT_HIDDEN extern const struct whk_field hubspot_fields[];
HUBSPOT_HIDDEN extern const struct whk_sample hubspot_samples[];
HUBSPOT_HIDDEN extern const struct whk_key hubspot_keys[];
HUBSPOT_HIDDEN extern const struct whk_failure hubspot_failures[];

#endif
