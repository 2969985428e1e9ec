/* SPDX-License-Identifier: MIT */
/* Acme Parcels plugin: declaration tables shared between its files. */
#ifndef ACME_H
#define ACME_H

#include <whk/plugin.h>

/* Shared between this plugin's files, never exported from acme.so. */
#define ACME_HIDDEN __attribute__((visibility("hidden")))

ACME_HIDDEN extern const struct whk_field acme_fields[];
ACME_HIDDEN extern const struct whk_sample acme_samples[];
ACME_HIDDEN extern const struct whk_key acme_keys[];
ACME_HIDDEN extern const struct whk_failure acme_failures[];

#endif
