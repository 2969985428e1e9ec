/* SPDX-License-Identifier: MIT */
/* Discord's application fields, sample interactions, keys and failures. */
#include "discord.h"

const struct whk_field discord_fields[] = {
    {
        .section = "Developer Portal > Applications > (your app) > General "
                   "Information",
        .name = "Interactions Endpoint URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "saving sends a PING with a valid signature and another "
                "with an invalid one; the app must answer {\"type\":1} and "
                "401",
    },
    {
        .section = "Developer Portal > Applications > (your app) > General "
                   "Information",
        .name = "Public Key",
        .value = "the value of {{SECRET_ENV}}",
        .note = "copy it into the app's environment; it is public, but "
                "each application has its own",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/* Snowflake ids and tokens are made up. */
const struct whk_sample discord_samples[] = {
    {
        .name = "ping",
        .description = "the PING Discord sends to check the endpoint",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"application_id\":\"1273456789012345678\",\"id\":"
                "\"1273456789123456789\",\"token\":\"aW50ZXJhY3Rpb246MTI3"
                "MzQ1Njc4OTEyMzQ1Njc4OTpwaW5n\",\"type\":1,\"user\":{\"id\":"
                "\"53908232506183680\",\"username\":\"mason\"},"
                "\"version\":1}",
        .headers = no_headers,
    },
    {
        .name = "slash-command",
        .description = "a /roll slash command (APPLICATION_COMMAND)",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"app_permissions\":\"442368\",\"application_id\":"
                "\"1273456789012345678\",\"channel_id\":"
                "\"1273456780000000001\",\"data\":{\"id\":"
                "\"1273456789000000002\",\"name\":\"roll\",\"options\":"
                "[{\"name\":\"sides\",\"type\":4,\"value\":20}],\"type\":1},"
                "\"guild_id\":\"1273456780000000000\",\"id\":"
                "\"1273456799999999999\",\"locale\":\"fr\",\"member\":"
                "{\"user\":{\"id\":\"53908232506183680\",\"username\":"
                "\"mason\",\"global_name\":\"Ma\\u00ebl\"}},\"token\":"
                "\"aW50ZXJhY3Rpb246MTI3MzQ1Njc5OTk5OTk5OTk5OTpyb2xs\","
                "\"type\":2,\"version\":1}",
        .headers = no_headers,
    },
    {0},
};

static const char *const ping_match[] = {"json:/type=1", NULL};

/*
 * Saving the Interactions Endpoint URL sends a signed PING and a PING
 * with a bad signature. Discord keeps the URL only when the first gets
 * {"type":1} and the second exactly 401.
 */
const struct whk_challenge discord_challenges[] = {
    {
        .name = "ping",
        .description = "the PING Discord sends when the endpoint URL is "
                       "saved, once signed and once with a bad signature",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"application_id\":\"1273456789012345678\",\"id\":"
                "\"1273456789123456790\",\"token\":\"{token}\","
                "\"type\":1,\"version\":1}",
        .is_signed = 1,
        .match = ping_match,
        .status = 200,
        .response_content_type = "application/json",
        .response_body = "{\"type\":1}",
        .invalid_status = 401,
    },
    {0},
};

const struct whk_key discord_keys[] = {
    {WHK_KEY_JSON, "/id"},
    {0},
};

const struct whk_failure discord_failures[] = {
    {
        .symptom = "the Developer Portal refuses to save the URL: 'The "
                   "specified interactions endpoint url could not be "
                   "verified'",
        .cause = "the app verified a re-serialized body (JSON.stringify("
                 "req.body)) or uses another application's public key, or "
                 "it accepts the invalid-signature probe",
        .fix = "verify the raw body with verifyKey() or "
               "verifyKeyMiddleware() before any JSON parser, answer 401 on "
               "failure and {\"type\":1} to a PING",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "the public key is rejected",
        .cause = "the value is not 64 hex digits: the bot token, the client "
                 "secret or the application id was pasted",
        .fix = "copy Public Key from General Information",
        .reason = WHK_REASON_SECRET,
    },
    {
        .symptom = "X-Signature-Ed25519 is malformed",
        .cause = "a proxy rewrote the header, or a test sent a signature of "
                 "another form",
        .fix = "send the 128 hex digits of the Ed25519 signature",
        .reason = WHK_REASON_MALFORMED_HEADER,
    },
    {
        .symptom = "users see 'The application did not respond'",
        .cause = "the app answered after 3 s",
        .fix = "answer with a deferred response (type 5) at once and edit "
               "it later",
    },
    {0},
};
