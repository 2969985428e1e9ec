/* SPDX-License-Identifier: MIT */
/* Standard Webhooks and Svix: fields, sample messages, keys and failures. */
#include "standardwebhooks.h"

const struct whk_field standardwebhooks_fields[] = {
    {
        .section = "The sender's dashboard > Webhooks > Add endpoint",
        .name = "Endpoint URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "senders that follow Standard Webhooks (Svix, Resend, "
                "Clerk, Replicate and others) post JSON here",
    },
    {
        .section = "The sender's dashboard > Webhooks > Add endpoint",
        .name = "Message types",
        .value = "the event types the app handles",
        .optional = 1,
    },
    {
        .section = "Your app's environment",
        .name = "Signing secret variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the endpoint's signing secret (whsec_...) whole; "
                "the key is the base64 after whsec_",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/* The ids are made up, and the bodies follow Svix's example event types. */
const struct whk_sample standardwebhooks_samples[] = {
    {
        .name = "user-created",
        .description = "a user.created event",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"type\":\"user.created\",\"timestamp\":"
                "\"2024-08-14T10:15:32.123Z\",\"data\":{\"id\":"
                "\"user_2kWPBgLlAfxdpx2AI54pPJ85f4W\",\"email\":"
                "\"zo\\u00eb@example.com\",\"name\":\"Zo\\u00eb "
                "Mart\\u00ednez\"}}",
        .headers = no_headers,
    },
    {
        .name = "invoice-paid",
        .description = "an invoice.paid event",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"type\":\"invoice.paid\",\"timestamp\":"
                "\"2024-08-14T10:20:01.456Z\",\"data\":{\"id\":"
                "\"inv_01J5A3C9X4M2N7P8Q9R0S1T2V3\",\"amount\":4900,"
                "\"currency\":\"EUR\",\"customer\":\"cus_8f2Kq1\","
                "\"lines\":[{\"description\":\"Pro plan \\u2013 August\","
                "\"amount\":4900}]}}",
        .headers = no_headers,
    },
    {0},
};

/* Every retry of one message keeps its webhook-id. */
const struct whk_key standardwebhooks_keys[] = {
    {WHK_KEY_HEADER, "webhook-id"},
    {0},
};

const struct whk_failure standardwebhooks_failures[] = {
    {
        .symptom = "'No matching signature found'",
        .cause = "the app verified a re-serialized body, or keyed the HMAC "
                 "with the secret text instead of the base64-decoded bytes "
                 "after whsec_, or used another endpoint's secret",
        .fix = "pass the raw body and the whole whsec_ secret to the "
               "standardwebhooks or svix library, which decodes it",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "'Message timestamp too old'",
        .cause = "the message was replayed or queued for more than 300 s, "
                 "or the clock is off",
        .fix = "verify on arrival and sync the clock with NTP",
        .reason = WHK_REASON_TIMESTAMP_OLD,
    },
    {
        .symptom = "'Message timestamp too new'",
        .cause = "the server's clock is behind the sender's by more than "
                 "300 s",
        .fix = "sync the clock with NTP, or pass --tolerance SECONDS",
        .reason = WHK_REASON_TIMESTAMP_FUTURE,
    },
    {
        .symptom = "'Missing required headers'",
        .cause = "a proxy dropped the webhook-* headers, or the sender uses "
                 "the svix-* names and the app reads only webhook-*",
        .fix = "pass all three headers through and accept both namings (the "
               "svix library does)",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "the secret is rejected before verification",
        .cause = "the base64 after whsec_ is cut short or has a typo, a "
                 "'v1,' signature was pasted in place of the secret, or the "
                 "value has a trailing newline",
        .fix = "copy the endpoint's signing secret again, whole",
        .reason = WHK_REASON_SECRET,
    },
    {0},
};

static const char *const svix_headers[] = {"svix-id", "svix-timestamp",
                                           "svix-signature", NULL};

static const struct whk_field svix_fields[] = {
    {
        .section = "Svix App Portal > Endpoints > Add Endpoint",
        .name = "Endpoint URL",
        .value = "{{WEBHOOK_URL}}",
    },
    {
        .section = "Svix App Portal > Endpoints > Add Endpoint",
        .name = "Subscribe to events",
        .value = "the event types the app handles",
        .optional = 1,
    },
    {
        .section = "Your app's environment",
        .name = "Signing secret variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the endpoint's Signing Secret (whsec_...) from its "
                "page in the App Portal",
    },
    {0},
};

static const struct whk_key svix_keys[] = {
    {WHK_KEY_HEADER, "svix-id"},
    {0},
};

/* Declarations for a providers.d entry with "header_prefix": "svix". */
const struct whk_descriptor svix_declarations = {
    .name = "svix",
    .title = "Svix",
    .summary = "Svix webhooks signed with svix-signature",
    .docs_url = "https://docs.svix.com/receiving/verifying-payloads/how-"
                "manual",
    .algorithm = "\"v1,\" + base64 HMAC-SHA256 of \"ID.TIMESTAMP.BODY\" "
                 "keyed with the base64-decoded secret after whsec_; any "
                 "signature in the space-separated list may match",
    .signature_headers = svix_headers,
    .flags = WHK_SIGNS_BODY,
    .secret =
        {
            .kind = WHK_SECRET_SHARED,
            .env = "SVIX_WEBHOOK_SECRET",
            .form = "'whsec_' followed by base64 of 24 random bytes",
            .where = "Svix App Portal > Endpoints > (your endpoint) > "
                     "Signing Secret",
        },
    .fields = svix_fields,
    .samples = standardwebhooks_samples,
    .idempotency_keys = svix_keys,
    .response = {.status = 0},
    .timeout_ms = 15000,
    .timeout_error = "the attempt counts as failed and is retried",
    .retries = "Svix retries a failed message after 5 s, 5 min, 30 min, "
               "2 h, 5 h, 10 h and 10 h, then marks it failed; an endpoint "
               "that keeps failing for 5 days is disabled",
    .tolerance_seconds = 300,
    .failures = standardwebhooks_failures,
};
