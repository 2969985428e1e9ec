/* SPDX-License-Identifier: MIT */
/* A plugin that claims a future ABI version. */
#include <whk/whk.h>

static const char *const headers[] = {"X-Test", NULL};

WHK_DESCRIPTOR(abi_mismatch) = {
    .abi_version = WHK_ABI_VERSION + 98,
    .size = sizeof(struct whk_descriptor),
    .name = "abi-mismatch",
    .signature_headers = headers,
};
