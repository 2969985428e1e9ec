/* SPDX-License-Identifier: MIT */
/* A plugin that loads but breaks every declaration rule and accepts forgeries.
 */
#include <whk/whk.h>

/* Exported by mistake: plugins export their descriptor only. */
__attribute__((visibility("default"))) int nonconforming_debug_level = 1;

static enum whk_status sign(void *state, const struct whk_context *ctx,
                            struct whk_request *req, struct whk_span secret,
                            struct whk_error *err)
{
    (void)state;
    (void)ctx;
    (void)secret;
    (void)err;
    return whk_request_set_header(req, "X-Signature", "v1=0123456789abcdef");
}

/* Accepts every request that carries the header, whatever its value. */
static void verify(void *state, const struct whk_context *ctx,
                   const struct whk_request *req, struct whk_span secret,
                   struct whk_verdict *verdict)
{
    (void)state;
    (void)ctx;
    (void)secret;
    if (whk_request_header(req, "X-Signature") != NULL)
        whk_verdict_set(verdict, WHK_VALID, WHK_REASON_MATCH, "present");
    else
        whk_verdict_set(verdict, WHK_INVALID, WHK_REASON_MISSING_HEADER,
                        "absent");
}

/* The second name is not a valid header name. */
static const char *const headers[] = {"X-Signature", "X Signature", NULL};

static const struct whk_field fields[] = {
    {.section = "Settings", .name = "Endpoint", .value = "{{ENDPOINT}}"},
    {0},
};

static const struct whk_sample samples[] = {
    {
        .name = "order-created",
        .description = "an order event",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"id\": \"ord_1\",}",
    },
    {0},
};

static const struct whk_key keys[] = {
    {WHK_KEY_JSON, "id"},
    {0},
};

static const struct whk_failure failures[] = {
    {.symptom = "signature mismatch", .cause = "a wrong secret"},
    {0},
};

WHK_DESCRIPTOR(nonconforming) = {
    .abi_version = WHK_ABI_VERSION,
    .size = sizeof(struct whk_descriptor),
    .name = "Non Conforming",
    .title = "Nonconforming",
    .summary = "a plugin that breaks every rule whk plugin check knows",
    .algorithm = "none",
    .signature_headers = headers,
    .secret = {.env = "nonconforming-secret", .form = "anything"},
    .fields = fields,
    .samples = samples,
    .idempotency_keys = keys,
    .response = {.status = 42, .format = "yaml"},
    .timeout_ms = 0,
    .failures = failures,
    .sign = sign,
    .verify = verify,
};
