/* SPDX-License-Identifier: MIT */
/* Includes the whole public API of libwhk. */
#ifndef WHK_WHK_H
#define WHK_WHK_H

#include <whk/common.h>
#include <whk/crypto.h>
#include <whk/signature.h>
#include <whk/pkey.h>
#include <whk/request.h>
#include <whk/verify.h>
#include <whk/plugin.h>
#include <whk/host.h>

#endif
