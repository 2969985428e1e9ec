/* SPDX-License-Identifier: MIT */
/* A working plugin with the fewest declarations the loader accepts. */
#include <string.h>

#include <whk/whk.h>

static enum whk_status sign(void *state, const struct whk_context *ctx,
                            struct whk_request *req, struct whk_span secret,
                            struct whk_error *err)
{
    (void)state;
    (void)ctx;
    (void)err;
    return whk_request_set_header(req, "X-Minimal", secret.len ? "ok" : "");
}

static void verify(void *state, const struct whk_context *ctx,
                   const struct whk_request *req, struct whk_span secret,
                   struct whk_verdict *verdict)
{
    const char *value = whk_request_header(req, "X-Minimal");

    (void)state;
    (void)ctx;
    (void)secret;
    if (value != NULL && strcmp(value, "ok") == 0)
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH, "ok");
}

static const char *const headers[] = {"X-Minimal", NULL};

WHK_DESCRIPTOR(minimal) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "minimal",
    .signature_headers = headers,
    .sign = sign,
    .verify = verify,
};
