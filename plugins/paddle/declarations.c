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

/*
 * Ids follow Paddle's formats but are made up. Paddle sends the whole
 * entity in data, and the official Node.js SDK's unmarshal() reads its
 * items, payments, line items and billing cycle, so the samples have them.
 */
const struct whk_sample paddle_samples[] = {
    {
        .name = "transaction-completed",
        .description = "a paid transaction (transaction.completed)",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"event_id\":\"evt_01j5a3c9x4m2n7p8q9r0s1t2v3\",\"event_type"
                "\":\"transaction.completed\",\"occurred_at\":\"2024-08-14T10:"
                "15:32.981023Z\",\"notification_id\":\"ntf_01j5a3ca1b2c3d4e5f6"
                "g7h8j9k\",\"data\":{\"id\":\"txn_01j5a3b8z9y8x7w6v5t4s3r2q1\""
                ",\"status\":\"completed\",\"customer_id\":\"ctm_01j5a2q4w5e6r"
                "7t8y9u0i1o2p3\",\"address_id\":\"add_01j5a2q5r6t7y8u9i0o1p2a3"
                "s4\",\"business_id\":null,\"custom_data\":{\"note\":\"caf\\u0"
                "0e9 plan\"},\"currency_code\":\"EUR\",\"origin\":\"web\",\"su"
                "bscription_id\":\"sub_01j5a3cb2n3m4b5v6c7x8z9a0s\",\"invoice_"
                "id\":\"inv_01j5a3cd4f5g6h7j8k9l0z1x2c\",\"invoice_number\":\""
                "325-10042\",\"collection_mode\":\"automatic\",\"discount_id\""
                ":null,\"billing_details\":null,\"billing_period\":{\"starts_a"
                "t\":\"2024-08-14T10:15:30.000000Z\",\"ends_at\":\"2024-09-14T"
                "10:15:30.000000Z\"},\"items\":[{\"price_id\":\"pri_01j4zz3m6n"
                "7b8v9c0x1z2a3s4d\",\"price\":{\"id\":\"pri_01j4zz3m6n7b8v9c0x"
                "1z2a3s4d\",\"product_id\":\"pro_01j4zz2k5l6m7n8b9v0c1x2z3a\","
                "\"type\":\"standard\",\"description\":\"Pro plan, billed mont"
                "hly\",\"name\":\"Monthly\",\"billing_cycle\":{\"interval\":\""
                "month\",\"frequency\":1},\"trial_period\":null,\"tax_mode\":"
                "\"account_setting\",\"unit_price\":{\"amount\":\"2500\",\"cur"
                "rency_code\":\"EUR\"},\"unit_price_overrides\":[],\"quantity"
                "\":{\"minimum\":1,\"maximum\":1},\"status\":\"active\",\"cust"
                "om_data\":null,\"import_meta\":null,\"created_at\":\"2024-08-"
                "01T09:00:00.000000Z\",\"updated_at\":\"2024-08-01T09:00:00.00"
                "0000Z\"},\"quantity\":1,\"proration\":null}],\"details\":{\"t"
                "ax_rates_used\":[{\"tax_rate\":\"0.19\",\"totals\":{\"subtota"
                "l\":\"2500\",\"discount\":\"0\",\"tax\":\"475\",\"total\":\"2"
                "975\"}}],\"totals\":{\"subtotal\":\"2500\",\"tax\":\"475\",\""
                "discount\":\"0\",\"total\":\"2975\",\"credit\":\"0\",\"credit"
                "_to_balance\":\"0\",\"balance\":\"0\",\"grand_total\":\"2975"
                "\",\"fee\":\"199\",\"earnings\":\"2301\",\"currency_code\":\""
                "EUR\"},\"adjusted_totals\":{\"subtotal\":\"2500\",\"tax\":\"4"
                "75\",\"total\":\"2975\",\"grand_total\":\"2975\",\"fee\":\"19"
                "9\",\"earnings\":\"2301\",\"currency_code\":\"EUR\"},\"payout"
                "_totals\":{\"subtotal\":\"2500\",\"tax\":\"475\",\"discount\""
                ":\"0\",\"total\":\"2975\",\"credit\":\"0\",\"credit_to_balanc"
                "e\":\"0\",\"balance\":\"0\",\"grand_total\":\"2975\",\"fee\":"
                "\"199\",\"earnings\":\"2301\",\"fee_rate\":\"0.05\",\"exchang"
                "e_rate\":\"1\",\"currency_code\":\"EUR\"},\"adjusted_payout_t"
                "otals\":null,\"line_items\":[{\"id\":\"txnitm_01j5a3ce5g6h7j8"
                "k9l0m1n2b3v\",\"price_id\":\"pri_01j4zz3m6n7b8v9c0x1z2a3s4d\""
                ",\"quantity\":1,\"proration\":null,\"tax_rate\":\"0.19\",\"un"
                "it_totals\":{\"subtotal\":\"2500\",\"discount\":\"0\",\"tax\""
                ":\"475\",\"total\":\"2975\"},\"totals\":{\"subtotal\":\"2500"
                "\",\"discount\":\"0\",\"tax\":\"475\",\"total\":\"2975\"},\"p"
                "roduct\":{\"id\":\"pro_01j4zz2k5l6m7n8b9v0c1x2z3a\",\"name\":"
                "\"Pro plan\",\"description\":null,\"type\":\"standard\",\"tax"
                "_category\":\"standard\",\"image_url\":null,\"custom_data\":n"
                "ull,\"status\":\"active\",\"import_meta\":null,\"created_at\""
                ":\"2024-08-01T08:59:00.000000Z\",\"updated_at\":\"2024-08-01T"
                "08:59:00.000000Z\"}}]},\"payments\":[{\"payment_attempt_id\":"
                "\"5f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b\",\"stored_payment_met"
                "hod_id\":\"9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b\",\"payment_m"
                "ethod_id\":\"paymtd_01j5a3cf6h7j8k9l0m1n2b3v4c\",\"amount\":"
                "\"2975\",\"status\":\"captured\",\"error_code\":null,\"method"
                "_details\":{\"type\":\"card\",\"card\":{\"type\":\"visa\",\"l"
                "ast4\":\"4242\",\"expiry_month\":12,\"expiry_year\":2027,\"ca"
                "rdholder_name\":\"Jo\\u00eblle Martin\"}},\"created_at\":\"20"
                "24-08-14T10:15:29.412000Z\",\"captured_at\":\"2024-08-14T10:1"
                "5:31.118000Z\"}],\"checkout\":{\"url\":\"https://example.com/"
                "pay?_ptxn=txn_01j5a3b8z9y8x7w6v5t4s3r2q1\"},\"created_at\":\""
                "2024-08-14T10:14:55.211017Z\",\"updated_at\":\"2024-08-14T10:"
                "15:32.981023Z\",\"billed_at\":\"2024-08-14T10:15:31.000000Z\""
                ",\"revised_at\":null}}",
        .headers = no_headers,
    },
    {
        .name = "subscription-canceled",
        .description = "a subscription ended (subscription.canceled)",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"event_id\":\"evt_01j5b7k2m3n4p5q6r7s8t9v0w1\",\"event_type"
                "\":\"subscription.canceled\",\"occurred_at\":\"2024-09-14T00:"
                "00:05.123456Z\",\"notification_id\":\"ntf_01j5b7k3a4s5d6f7g8h"
                "9j0k1l2\",\"data\":{\"id\":\"sub_01j5a3cb2n3m4b5v6c7x8z9a0s\""
                ",\"status\":\"canceled\",\"customer_id\":\"ctm_01j5a2q4w5e6r7"
                "t8y9u0i1o2p3\",\"address_id\":\"add_01j5a2q5r6t7y8u9i0o1p2a3s"
                "4\",\"business_id\":null,\"currency_code\":\"EUR\",\"created_"
                "at\":\"2024-08-14T10:15:32.000000Z\",\"updated_at\":\"2024-09"
                "-14T00:00:04.000000Z\",\"started_at\":\"2024-08-14T10:15:30.0"
                "00000Z\",\"first_billed_at\":\"2024-08-14T10:15:30.000000Z\","
                "\"next_billed_at\":null,\"paused_at\":null,\"canceled_at\":\""
                "2024-09-14T00:00:04.000000Z\",\"discount\":null,\"collection_"
                "mode\":\"automatic\",\"billing_details\":null,\"current_billi"
                "ng_period\":null,\"billing_cycle\":{\"interval\":\"month\",\""
                "frequency\":1},\"scheduled_change\":null,\"items\":[{\"status"
                "\":\"inactive\",\"quantity\":1,\"recurring\":true,\"created_a"
                "t\":\"2024-08-14T10:15:32.000000Z\",\"updated_at\":\"2024-09-"
                "14T00:00:04.000000Z\",\"previously_billed_at\":\"2024-08-14T1"
                "0:15:30.000000Z\",\"next_billed_at\":null,\"trial_dates\":nul"
                "l,\"price\":{\"id\":\"pri_01j4zz3m6n7b8v9c0x1z2a3s4d\",\"prod"
                "uct_id\":\"pro_01j4zz2k5l6m7n8b9v0c1x2z3a\",\"type\":\"standa"
                "rd\",\"description\":\"Pro plan, billed monthly\",\"name\":\""
                "Monthly\",\"billing_cycle\":{\"interval\":\"month\",\"frequen"
                "cy\":1},\"trial_period\":null,\"tax_mode\":\"account_setting"
                "\",\"unit_price\":{\"amount\":\"2500\",\"currency_code\":\"EU"
                "R\"},\"unit_price_overrides\":[],\"quantity\":{\"minimum\":1,"
                "\"maximum\":1},\"status\":\"active\",\"custom_data\":null,\"i"
                "mport_meta\":null,\"created_at\":\"2024-08-01T09:00:00.000000"
                "Z\",\"updated_at\":\"2024-08-01T09:00:00.000000Z\"},\"product"
                "\":{\"id\":\"pro_01j4zz2k5l6m7n8b9v0c1x2z3a\",\"name\":\"Pro "
                "plan\",\"description\":null,\"type\":\"standard\",\"tax_categ"
                "ory\":\"standard\",\"image_url\":null,\"custom_data\":null,\""
                "status\":\"active\",\"import_meta\":null,\"created_at\":\"202"
                "4-08-01T08:59:00.000000Z\",\"updated_at\":\"2024-08-01T08:59:"
                "00.000000Z\"}}],\"custom_data\":null,\"import_meta\":null}}",
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
