/* SPDX-License-Identifier: MIT */
/* Shopify's subscription fields, sample deliveries, keys and failures. */
#include "shopify.h"

const struct whk_field shopify_fields[] = {
    {
        .section = "shopify.app.toml > [webhooks] > [[webhooks."
                   "subscriptions]]",
        .name = "uri",
        .value = "{{WEBHOOK_URL}}",
        .note = "deploy with 'shopify app deploy'; a subscription made with "
                "the Admin API's webhookSubscriptionCreate works the same",
    },
    {
        .section = "shopify.app.toml > [webhooks] > [[webhooks."
                   "subscriptions]]",
        .name = "topics",
        .value = "[\"orders/create\", \"app/uninstalled\"]",
        .note = "apps in the App Store must also handle the compliance "
                "topics (customers/data_request, customers/redact, "
                "shop/redact)",
    },
    {
        .section = "shopify.app.toml > [webhooks]",
        .name = "api_version",
        .value = "2024-07",
        .note = "payloads follow this API version; X-Shopify-API-Version "
                "names it",
        .optional = 1,
    },
    {
        .section = "Your app's environment",
        .name = "Client secret variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the app's client secret; webhooks created in the "
                "store admin's Notifications page are signed with another "
                "key shown on that page",
    },
    {0},
};

static const char *const order_headers[] = {
    "X-Shopify-Topic: orders/create",
    "X-Shopify-Shop-Domain: whk-demo.myshopify.com",
    "X-Shopify-API-Version: 2024-07",
    "X-Shopify-Webhook-Id: b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    "X-Shopify-Triggered-At: 2024-08-14T08:15:32.123456Z",
    "X-Shopify-Event-Id: 98880550-7158-44d4-b7cd-2c97c8a091b5",
    NULL,
};

static const char *const uninstalled_headers[] = {
    "X-Shopify-Topic: app/uninstalled",
    "X-Shopify-Shop-Domain: whk-demo.myshopify.com",
    "X-Shopify-API-Version: 2024-07",
    "X-Shopify-Webhook-Id: 0c7b4e6a-2f11-4c3e-9a8d-5e6f7a8b9c0d",
    "X-Shopify-Triggered-At: 2024-08-14T09:01:07.654321Z",
    "X-Shopify-Event-Id: 3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a",
    NULL,
};

/* The shop and customer are made up. Shopify sends compact JSON. */
const struct whk_sample shopify_samples[] = {
    {
        .name = "orders-create",
        .description = "a new order (orders/create)",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"id\":5879403659502,\"admin_graphql_api_id\":"
                "\"gid://shopify/Order/5879403659502\",\"created_at\":"
                "\"2024-08-14T10:15:30+02:00\",\"currency\":\"EUR\","
                "\"email\":\"jon@example.com\",\"financial_status\":"
                "\"paid\",\"name\":\"#1042\",\"total_price\":\"29.90\","
                "\"line_items\":[{\"id\":14362589020398,\"title\":"
                "\"Caf\\u00e9 beans 1 kg\",\"quantity\":1,\"price\":"
                "\"29.90\",\"sku\":\"BEAN-1KG\"}],\"customer\":{\"id\":"
                "7020000000001,\"first_name\":\"J\\u00f6n\",\"last_name\":"
                "\"Snow\"}}",
        .headers = order_headers,
    },
    {
        .name = "app-uninstalled",
        .description = "the app was removed from a shop (app/uninstalled)",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"id\":69123456789,\"name\":\"whk demo\",\"email\":"
                "\"owner@example.com\",\"domain\":\"whk-demo.example.com\","
                "\"myshopify_domain\":\"whk-demo.myshopify.com\","
                "\"plan_name\":\"basic\"}",
        .headers = uninstalled_headers,
    },
    {0},
};

/* Retries keep X-Shopify-Webhook-Id, and X-Shopify-Event-Id names the event. */
const struct whk_key shopify_keys[] = {
    {WHK_KEY_HEADER, "X-Shopify-Webhook-Id"},
    {WHK_KEY_HEADER, "X-Shopify-Event-Id"},
    {0},
};

const struct whk_failure shopify_failures[] = {
    {
        .symptom = "HMAC validation fails (shopify.webhooks.validate "
                   "returns valid: false, reason invalid_hmac)",
        .cause = "the app hashed a parsed and re-serialized body, used the "
                 "hex digest instead of base64, or used another app's "
                 "secret; webhooks made in the store admin's Notifications "
                 "page are signed with that page's key, not the app's",
        .fix = "hash the raw body bytes with the app's client secret and "
               "compare base64 digests",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "the request has no X-Shopify-Hmac-Sha256 header",
        .cause = "the request did not come from Shopify, or came through "
                 "Pub/Sub or EventBridge, which carry no HMAC",
        .fix = "send test requests with 'shopify app webhook trigger' or "
               "'whk sign --curl'",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "X-Shopify-Hmac-Sha256 is malformed",
        .cause = "a proxy rewrote the header, or a test sent a hex digest",
        .fix = "send the base64 digest exactly as computed",
        .reason = WHK_REASON_MALFORMED_HEADER,
    },
    {
        .symptom = "the same webhook arrives several times",
        .cause = "the app took longer than 5 s, so Shopify retried",
        .fix = "answer 200 at once, queue the work, and skip duplicates by "
               "X-Shopify-Webhook-Id",
        .reason = WHK_REASON_TIMEOUT,
    },
    {0},
};
