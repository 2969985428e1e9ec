/* SPDX-License-Identifier: MIT */
/* A plugin that calls a function no library defines, linked lazily. */
#include <whk/whk.h>

void whk_function_that_does_not_exist(void);

static enum whk_status sign(void *state, const struct whk_context *ctx,
                            struct whk_request *req, struct whk_span secret,
                            struct whk_error *err)
{
    (void)state;
    (void)ctx;
    (void)req;
    (void)secret;
    (void)err;
    whk_function_that_does_not_exist();
    return WHK_OK;
}

static void verify(void *state, const struct whk_context *ctx,
                   const struct whk_request *req, struct whk_span secret,
                   struct whk_verdict *verdict)
{
    (void)state;
    (void)ctx;
    (void)req;
    (void)secret;
    (void)verdict;
    whk_function_that_does_not_exist();
}

static const char *const headers[] = {"X-Test", NULL};

WHK_DESCRIPTOR(undefined_symbol) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "undefined-symbol",
    .signature_headers = headers,
    .sign = sign,
    .verify = verify,
};
