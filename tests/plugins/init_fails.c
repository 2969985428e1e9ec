/* SPDX-License-Identifier: MIT */
/* A plugin whose init rejects its providers.d entry. */
#include <whk/whk.h>

static enum whk_status init(const char *entry_json, void **state,
                            const struct whk_descriptor **declarations,
                            struct whk_error *err)
{
    (void)entry_json;
    (void)state;
    (void)declarations;
    return whk_error_set(err, WHK_ERR_CONFIG,
                         "key 'scheme' is missing from the entry");
}

static enum whk_status sign(void *state, const struct whk_context *ctx,
                            struct whk_request *req, struct whk_span secret,
                            struct whk_error *err)
{
    (void)state;
    (void)ctx;
    (void)req;
    (void)secret;
    return whk_error_set(err, WHK_ERR_UNSUPPORTED, "not reached");
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
}

static const char *const headers[] = {"X-Test", NULL};

WHK_DESCRIPTOR(init_fails) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "init-fails",
    .signature_headers = headers,
    .init = init,
    .sign = sign,
    .verify = verify,
};
