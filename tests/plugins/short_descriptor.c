/* SPDX-License-Identifier: MIT */
/* A plugin whose descriptor size is smaller than any ABI 1 descriptor. */
#include <whk/whk.h>

WHK_DESCRIPTOR(short_descriptor) = {
    .abi_version = WHK_ABI_VERSION,
    .size = 16,
    .name = "short-descriptor",
};
