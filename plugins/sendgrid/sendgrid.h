/* SPDX-License-Identifier: MIT */
/* SendGrid plugin: declaration tables shared between its source files. */
#ifndef WHK_SENDGRID_H
#define WHK_SENDGRID_H

#include <whk/plugin.h>

#define SENDGRID_HIDDEN __attribute__((visibility("hidden")))

SENDGRID_HIDDEN extern const struct whk_field sendgrid_fields[];
SENDGRID_HIDDEN extern const struct whk_sample sendgrid_samples[];
SENDGRID_HIDDEN extern const struct whk_key sendgrid_keys[];
SENDGRID_HIDDEN extern const struct whk_failure sendgrid_failures[];

#endif
