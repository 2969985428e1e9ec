/* SPDX-License-Identifier: MIT */
/* GitHub's webhook form fields, sample deliveries, keys and failures. */
#include "github.h"

const struct whk_field github_fields[] = {
    {
        .section = "Repository > Settings > Webhooks > Add webhook",
        .name = "Payload URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "GitHub sends a ping event here as soon as the webhook is "
                "saved",
    },
    {
        .section = "Repository > Settings > Webhooks > Add webhook",
        .name = "Content type",
        .value = "application/json",
        .note = "with application/x-www-form-urlencoded the JSON arrives in "
                "a payload= form field, and the signature covers the "
                "encoded form",
    },
    {
        .section = "Repository > Settings > Webhooks > Add webhook",
        .name = "Secret",
        .value = "the value of {{SECRET_ENV}}",
        .note = "a long random string, e.g. from 'openssl rand -hex 32'; "
                "without one GitHub sends no signature",
    },
    {
        .section = "Repository > Settings > Webhooks > Add webhook",
        .name = "Which events would you like to trigger this webhook?",
        .value = "Let me select individual events",
        .note = "pick only the events the app handles, e.g. Pushes and "
                "Pull requests",
        .optional = 1,
    },
    {0},
};

static const char *const ping_headers[] = {
    "X-GitHub-Event: ping",
    "X-GitHub-Delivery: 72d3162e-cc78-11e3-81ab-4c9367dc0958",
    "X-GitHub-Hook-ID: 468123456",
    "User-Agent: GitHub-Hookshot/044aadd",
    NULL,
};

static const char *const push_headers[] = {
    "X-GitHub-Event: push",
    "X-GitHub-Delivery: 9a4f0c2e-5b1d-11ef-8a3b-2f6d1c9e7a40",
    "X-GitHub-Hook-ID: 468123456",
    "User-Agent: GitHub-Hookshot/044aadd",
    NULL,
};

/* Repository and user names are made up. GitHub sends compact JSON. */
const struct whk_sample github_samples[] = {
    {
        .name = "ping",
        .description = "the ping GitHub sends when a webhook is created",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":"
                "468123456,\"hook\":{\"type\":\"Repository\",\"id\":"
                "468123456,\"name\":\"web\",\"active\":true,\"events\":"
                "[\"push\",\"pull_request\"],\"config\":{\"content_type\":"
                "\"json\",\"insecure_ssl\":\"0\",\"url\":"
                "\"https://example.com/webhooks/github\"}},\"repository\":"
                "{\"id\":812345678,\"name\":\"webhook-demo\",\"full_name\":"
                "\"octo-org/webhook-demo\",\"private\":false},\"sender\":"
                "{\"login\":\"octocat\",\"id\":583231,\"type\":\"User\"}}",
        .headers = ping_headers,
    },
    {
        .name = "push",
        .description = "a push of one commit to main",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"ref\":\"refs/heads/main\",\"before\":"
                "\"6113728f27ae82c7b1a177c8d03f9e96e0adf246\",\"after\":"
                "\"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\",\"repository\":"
                "{\"id\":812345678,\"name\":\"webhook-demo\",\"full_name\":"
                "\"octo-org/webhook-demo\",\"default_branch\":\"main\"},"
                "\"pusher\":{\"name\":\"octocat\",\"email\":"
                "\"octocat@example.com\"},\"commits\":[{\"id\":"
                "\"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\",\"message\":"
                "\"Fix caf\\u00e9 menu \\u2615\",\"timestamp\":"
                "\"2024-08-14T10:15:32+02:00\",\"author\":{\"name\":"
                "\"Mona Lisa\",\"email\":\"mona@example.com\"}}],"
                "\"head_commit\":{\"id\":"
                "\"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\"},\"sender\":"
                "{\"login\":\"octocat\",\"id\":583231,\"type\":\"User\"}}",
        .headers = push_headers,
    },
    {0},
};

/* A redelivery keeps the X-GitHub-Delivery GUID of the original. */
const struct whk_key github_keys[] = {
    {WHK_KEY_HEADER, "X-GitHub-Delivery"},
    {0},
};

const struct whk_failure github_failures[] = {
    {
        .symptom = "signature verification fails for every delivery",
        .cause = "the app hashed a re-serialized body (JSON.stringify(req."
                 "body) after express.json()), or the secret differs from "
                 "the one saved in the webhook's settings",
        .fix = "compute the HMAC over the raw body bytes (express.raw(), "
               "request.get_data() in Flask) and set the same secret on "
               "both sides",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "the request has no X-Hub-Signature-256 header",
        .cause = "the webhook was saved without a secret, or the request did "
                 "not come from GitHub",
        .fix = "set a secret in the webhook's settings; GitHub then signs "
               "every delivery",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "X-Hub-Signature-256 is malformed",
        .cause = "the header was rewritten by a proxy, or the app compares "
                 "the hex digest without its 'sha256=' prefix",
        .fix = "compare the whole header value with 'sha256=' + the hex "
               "digest",
        .reason = WHK_REASON_MALFORMED_HEADER,
    },
    {
        .symptom = "Recent Deliveries shows 'timed out'",
        .cause = "the app took longer than 10 s to answer",
        .fix = "answer 2xx at once and do the work in a background job keyed "
               "by X-GitHub-Delivery",
        .reason = WHK_REASON_TIMEOUT,
    },
    {0},
};
