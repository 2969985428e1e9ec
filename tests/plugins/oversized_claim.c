/* SPDX-License-Identifier: MIT */
/* A descriptor symbol of 8 bytes that claims to be much larger. */
#include <whk/whk.h>

struct header_only {
    unsigned int abi_version;
    unsigned int size;
};

WHK_API const struct header_only oversized_claim_LTX_whk_descriptor = {
    WHK_ABI_VERSION, 100000};
