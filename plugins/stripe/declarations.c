/* SPDX-License-Identifier: MIT */
/* Stripe's dashboard fields, sample events, keys and common failures. */
#include "stripe.h"

const struct whk_field stripe_fields[] = {
    {
        .section = "Developers > Webhooks > Add endpoint",
        .name = "Endpoint URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "Stripe posts every event here as JSON; for local work "
                "'stripe listen --forward-to' prints a secret of its own",
    },
    {
        .section = "Developers > Webhooks > Add endpoint",
        .name = "Select events to listen to",
        .value = "checkout.session.completed, payment_intent.succeeded",
        .note = "choose only the events the app handles; each endpoint "
                "gets its own signing secret",
    },
    {
        .section = "Developers > Webhooks > (your endpoint)",
        .name = "API version",
        .value = "the account's default",
        .note = "event objects are rendered with this version",
        .optional = 1,
    },
    {
        .section = "Your app's environment",
        .name = "Signing secret variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the endpoint's Signing secret (whsec_...) under "
                "this name; it is not the API key",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/* Stripe sends events pretty-printed with two-space indentation. */
const struct whk_sample stripe_samples[] = {
    {
        .name = "payment-intent-succeeded",
        .description = "a payment completed (payment_intent.succeeded)",
        .method = "POST",
        .content_type = "application/json; charset=utf-8",
        .body = "{\n"
                "  \"id\": \"evt_3QkR2vL8d9xYz01A1bC2dE3f\",\n"
                "  \"object\": \"event\",\n"
                "  \"api_version\": \"2024-06-20\",\n"
                "  \"created\": 1718000000,\n"
                "  \"data\": {\n"
                "    \"object\": {\n"
                "      \"id\": \"pi_3QkR2vL8d9xYz01A1aB2cD3e\",\n"
                "      \"object\": \"payment_intent\",\n"
                "      \"amount\": 2000,\n"
                "      \"amount_received\": 2000,\n"
                "      \"currency\": \"usd\",\n"
                "      \"customer\": \"cus_Q1w2e3r4t5y6u7\",\n"
                "      \"description\": \"Order #1042 \\u2013 caf\\u00e9 "
                "beans\",\n"
                "      \"livemode\": false,\n"
                "      \"metadata\": {\n"
                "        \"order_id\": \"1042\"\n"
                "      },\n"
                "      \"status\": \"succeeded\"\n"
                "    }\n"
                "  },\n"
                "  \"livemode\": false,\n"
                "  \"pending_webhooks\": 1,\n"
                "  \"request\": {\n"
                "    \"id\": \"req_a1B2c3D4e5F6g7\",\n"
                "    \"idempotency_key\": "
                "\"5f1a8c9e-0b7d-4e2a-9c3f-6d8e1a2b3c4d\"\n"
                "  },\n"
                "  \"type\": \"payment_intent.succeeded\"\n"
                "}",
        .headers = no_headers,
    },
    {
        .name = "checkout-session-completed",
        .description = "a Checkout session was paid "
                       "(checkout.session.completed)",
        .method = "POST",
        .content_type = "application/json; charset=utf-8",
        .body = "{\n"
                "  \"id\": \"evt_1QkS7mL8d9xYz01AxY9zW8vU\",\n"
                "  \"object\": \"event\",\n"
                "  \"api_version\": \"2024-06-20\",\n"
                "  \"created\": 1718000300,\n"
                "  \"data\": {\n"
                "    \"object\": {\n"
                "      \"id\": \"cs_test_a1b2C3d4E5f6G7h8I9j0\",\n"
                "      \"object\": \"checkout.session\",\n"
                "      \"amount_total\": 4900,\n"
                "      \"currency\": \"eur\",\n"
                "      \"customer_details\": {\n"
                "        \"email\": \"jenny.rosen@example.com\",\n"
                "        \"name\": \"Jenny Rosen\"\n"
                "      },\n"
                "      \"mode\": \"payment\",\n"
                "      \"payment_status\": \"paid\",\n"
                "      \"status\": \"complete\"\n"
                "    }\n"
                "  },\n"
                "  \"livemode\": false,\n"
                "  \"pending_webhooks\": 2,\n"
                "  \"request\": {\n"
                "    \"id\": null,\n"
                "    \"idempotency_key\": null\n"
                "  },\n"
                "  \"type\": \"checkout.session.completed\"\n"
                "}",
        .headers = no_headers,
    },
    {0},
};

/* A retried delivery repeats the event id. */
const struct whk_key stripe_keys[] = {
    {WHK_KEY_JSON, "/id"},
    {0},
};

const struct whk_failure stripe_failures[] = {
    {
        .symptom = "constructEvent throws 'No signatures found matching the "
                   "expected signature for payload'",
        .cause = "the app verified a re-serialized body (express.json() ran "
                 "first and the app passed JSON.stringify(req.body)), or used "
                 "another endpoint's secret (each endpoint, and each "
                 "'stripe listen' session, has its own whsec_ secret)",
        .fix = "pass the raw body bytes (express.raw({type: "
               "'application/json'}) on the webhook route, request.data in "
               "Flask) and the signing secret of this endpoint",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "'Timestamp outside the tolerance zone'",
        .cause = "the event was signed more than 300 s before it was "
                 "verified: a replayed or queued request, or a server clock "
                 "that is off",
        .fix = "verify on arrival, before queueing; sync the clock with NTP; "
               "resend the event from the Dashboard instead of replaying an "
               "old capture",
        .reason = WHK_REASON_TIMESTAMP_OLD,
    },
    {
        .symptom = "the timestamp is ahead of the server's clock",
        .cause = "the server's clock is behind; Stripe's libraries accept "
                 "future timestamps, whk rejects them beyond the tolerance",
        .fix = "sync the clock with NTP, or pass --tolerance SECONDS",
        .reason = WHK_REASON_TIMESTAMP_FUTURE,
    },
    {
        .symptom = "the request has no Stripe-Signature header",
        .cause = "the request did not come from Stripe (a hand-made curl) or "
                 "a proxy removed the header",
        .fix = "send test events with 'stripe trigger' or 'whk sign --curl', "
               "and let the proxy pass Stripe-Signature through",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "the secret is rejected before verification",
        .cause = "an API key (sk_..., rk_...) or a secret with a trailing "
                 "newline was configured in place of the signing secret",
        .fix = "copy the endpoint's Signing secret (whsec_...) exactly",
        .reason = WHK_REASON_SECRET,
    },
    {
        .symptom = "deliveries show 'Timed out' and are retried",
        .cause = "the app answered after Stripe's delivery timeout, because "
                 "it did the work before answering",
        .fix = "answer 2xx at once and process the event in a background "
               "job, deduplicated by the event id",
        .reason = WHK_REASON_TIMEOUT,
    },
    {0},
};
