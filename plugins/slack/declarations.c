/* SPDX-License-Identifier: MIT */
/* Slack's app configuration fields, sample requests, keys and failures. */
#include "slack.h"

const struct whk_field slack_fields[] = {
    {
        .section = "api.slack.com/apps > (your app) > Event Subscriptions",
        .name = "Request URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "Slack first posts a url_verification challenge; answer "
                "with the challenge value",
    },
    {
        .section = "api.slack.com/apps > (your app) > Event Subscriptions",
        .name = "Subscribe to bot events",
        .value = "app_mention, message.channels",
        .note = "each event also needs its OAuth scope",
        .optional = 1,
    },
    {
        .section = "api.slack.com/apps > (your app) > Slash Commands > "
                   "Create New Command",
        .name = "Request URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "slash commands arrive form-encoded, not as JSON",
        .optional = 1,
    },
    {
        .section = "Your app's environment",
        .name = "Signing secret variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the Signing Secret from Basic Information > App "
                "Credentials; not the bot token and not the deprecated "
                "verification token",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/* Team, channel and user ids are made up. */
const struct whk_sample slack_samples[] = {
    {
        .name = "app-mention",
        .description = "an Events API app_mention event",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"team_id\":"
                "\"T061EG9R6\",\"api_app_id\":\"A0MDYCDME\",\"event\":"
                "{\"type\":\"app_mention\",\"user\":\"U061F7AUR\",\"text\":"
                "\"<@U0LAN0Z89> is the build green? \\u2705\",\"ts\":"
                "\"1515449522.000016\",\"channel\":\"C0LAN2Q65\","
                "\"event_ts\":\"1515449522000016\"},\"type\":"
                "\"event_callback\",\"event_id\":\"Ev0LAN670R\","
                "\"event_time\":1515449522,\"authed_users\":"
                "[\"U0LAN0Z89\"]}",
        .headers = no_headers,
    },
    {
        .name = "slash-command",
        .description = "a /deploy slash command (form-encoded)",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain="
                "example&enterprise_id=E0001&enterprise_name=Globular%20"
                "Construct%20Inc&channel_id=C2147483705&channel_name=test&"
                "user_id=U2147483697&user_name=Steve&command=%2Fdeploy&"
                "text=web+production&response_url=https%3A%2F%2F"
                "hooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id="
                "13345224609.738474920.8088930838d88f008e0&api_app_id="
                "A123456",
        .headers = no_headers,
    },
    {0},
};

static const char *const url_verification_match[] = {
    "json:/type=url_verification", NULL};

/*
 * Entering a Request URL sends a signed url_verification event. Slack
 * accepts the challenge back as plain text, form-encoded or JSON, and whk
 * returns and expects JSON, as Bolt does.
 */
const struct whk_challenge slack_challenges[] = {
    {
        .name = "url_verification",
        .description = "the event Slack sends when the Request URL is "
                       "entered; the app echoes the challenge value",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":"
                "\"{token}\",\"type\":\"url_verification\"}",
        .is_signed = 1,
        .match = url_verification_match,
        .token = "json:/challenge",
        .status = 200,
        .response_content_type = "application/json",
        .response_body = "{\"challenge\":\"{token}\"}",
    },
    {0},
};

const struct whk_key slack_keys[] = {
    {WHK_KEY_JSON, "/event_id"},
    {WHK_KEY_PARAM, "trigger_id"},
    {0},
};

const struct whk_failure slack_failures[] = {
    {
        .symptom = "Bolt logs 'signature mismatch' and answers 401",
        .cause = "the body was parsed and re-encoded before verification "
                 "(a JSON or form parser ran first), or the secret is the "
                 "verification token or a bot token",
        .fix = "verify the raw body bytes and use the Signing Secret from "
               "Basic Information",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "'x-slack-request-timestamp must differ from system time "
                   "by no more than 5 minutes'",
        .cause = "the request was replayed or queued, or the server clock "
                 "is off",
        .fix = "verify requests on arrival and sync the clock with NTP",
        .reason = WHK_REASON_TIMESTAMP_OLD,
    },
    {
        .symptom = "the timestamp is ahead of the server's clock",
        .cause = "the server's clock is behind",
        .fix = "sync the clock with NTP, or pass --tolerance SECONDS",
        .reason = WHK_REASON_TIMESTAMP_FUTURE,
    },
    {
        .symptom = "the request has no X-Slack-Signature header",
        .cause = "the request did not come from Slack or a proxy removed "
                 "the header",
        .fix = "send test requests with 'whk sign --curl' and let the proxy "
               "pass X-Slack-* headers through",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "events arrive two or three times",
        .cause = "the app answered after 3 s, so Slack retried",
        .fix = "acknowledge at once (ack() in Bolt), process in the "
               "background, and skip retries by event_id",
        .reason = WHK_REASON_TIMEOUT,
    },
    {0},
};
