/* SPDX-License-Identifier: MIT */
/* Paddle Billing's destination fields, sample events, keys and failures. */
#include "paddle.h"

const struct whk_field paddle_fields[] = {
    {
        .section = "Developer tools > Notifications > New destination",
        .name = "Type",
        .value = "Webhook",
    },
    {
        .section = "Developer tools > Notifications > New destination",
        .name = "URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "Paddle posts each event as JSON",
    },
    {
        .section = "Developer tools > Notifications > New destination",
        .name = "Events",
        .value = "transaction.completed, subscription.created, "
                 "subscription.canceled",
        .note = "the simulator (Developer tools > Simulations) sends "
                "signed test events to the same destination",
    },
    {
        .section = "Your app's environment",
        .name = "Secret key variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the destination's Secret key (pdl_ntfset_...); "
                "each destination has its own",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/* Ids follow Paddle's formats but are made up. */
const struct whk_sample paddle_samples[] = {
    {
        .name = "transaction-completed",
        .description = "a paid transaction (transaction.completed)",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"event_id\":\"evt_01j5a3c9x4m2n7p8q9r0s1t2v3\","
                "\"event_type\":\"transaction.completed\",\"occurred_at\":"
                "\"2024-08-14T10:15:32.981023Z\",\"notification_id\":"
                "\"ntf_01j5a3ca1b2c3d4e5f6g7h8j9k\",\"data\":{\"id\":"
                "\"txn_01j5a3b8z9y8x7w6v5t4s3r2q1\",\"status\":"
                "\"completed\",\"customer_id\":"
                "\"ctm_01j5a2q4w5e6r7t8y9u0i1o2p3\",\"currency_code\":"
                "\"EUR\",\"origin\":\"web\",\"items\":[{\"price_id\":"
                "\"pri_01j4zz3m6n7b8v9c0x1z2a3s4d\",\"quantity\":1}],"
                "\"details\":{\"totals\":{\"subtotal\":\"2500\",\"tax\":"
                "\"475\",\"total\":\"2975\"}},\"custom_data\":{\"note\":"
                "\"caf\\u00e9 plan\"}}}",
        .headers = no_headers,
    },
    {
        .name = "subscription-canceled",
        .description = "a subscription ended (subscription.canceled)",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"event_id\":\"evt_01j5b7k2m3n4p5q6r7s8t9v0w1\","
                "\"event_type\":\"subscription.canceled\",\"occurred_at\":"
                "\"2024-09-14T00:00:05.123456Z\",\"notification_id\":"
                "\"ntf_01j5b7k3a4s5d6f7g8h9j0k1l2\",\"data\":{\"id\":"
                "\"sub_01j5a3cb2n3m4b5v6c7x8z9a0s\",\"status\":\"canceled\","
                "\"customer_id\":\"ctm_01j5a2q4w5e6r7t8y9u0i1o2p3\","
                "\"canceled_at\":\"2024-09-14T00:00:04.000000Z\","
                "\"scheduled_change\":null}}",
        .headers = no_headers,
    },
    {0},
};

const struct whk_key paddle_keys[] = {
    {WHK_KEY_JSON, "/event_id"},
    {WHK_KEY_JSON, "/notification_id"},
    {0},
};

const struct whk_failure paddle_failures[] = {
    {
        .symptom = "unmarshal throws '[Paddle] Webhook signature "
                   "verification failed'",
        .cause = "the body was parsed and re-serialized before "
                 "verification, or the secret key belongs to another "
                 "destination or to the other environment (sandbox and "
                 "live differ)",
        .fix = "pass the raw body as text (express.raw()) and this "
               "destination's secret key",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "valid notifications are rejected as old",
        .cause = "Paddle's SDK allows only 5 s between ts= and the time of "
                 "verification: the event was queued or replayed, or the "
                 "clock is off",
        .fix = "verify on arrival, sync the clock with NTP, and replay old "
               "events through Paddle's replay API rather than a capture",
        .reason = WHK_REASON_TIMESTAMP_OLD,
    },
    {
        .symptom = "the timestamp is ahead of the server's clock",
        .cause = "the server's clock is behind",
        .fix = "sync the clock with NTP, or pass --tolerance SECONDS",
        .reason = WHK_REASON_TIMESTAMP_FUTURE,
    },
    {
        .symptom = "Paddle-Signature is missing or malformed",
        .cause = "the request did not come from Paddle, or a proxy changed "
                 "the header",
        .fix = "send test events with the simulator or 'whk sign --curl'",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "notifications show as failed and are retried",
        .cause = "the app answered after 5 s or with a non-2xx status",
        .fix = "answer 200 at once, process later, and skip duplicates by "
               "event_id",
    },
    {0},
};
