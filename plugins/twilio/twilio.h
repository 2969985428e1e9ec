/* SPDX-License-Identifier: MIT */
/* Twilio plugin: declaration tables shared between its source files. */
#ifndef WHK_TWILIO_H
#define WHK_TWILIO_H

#include <whk/plugin.h>

#define TWILIO_HIDDEN __attribute__((visibility("hidden")))

TWILIO_HIDDEN extern const struct whk_field twilio_fields[];
TWILIO_HIDDEN extern const struct whk_sample twilio_samples[];
TWILIO_HIDDEN extern const struct whk_key twilio_keys[];
TWILIO_HIDDEN extern const struct whk_failure twilio_failures[];

#endif
