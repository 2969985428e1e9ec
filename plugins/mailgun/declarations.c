/* SPDX-License-Identifier: MIT */
/* Mailgun's webhook settings, sample events, keys and common failures. */
#include "mailgun.h"

const struct whk_field mailgun_fields[] = {
    {
        .section = "Send > Sending > Webhooks > Add webhook",
        .name = "Event type",
        .value = "Delivered messages",
        .note = "add one webhook per event type (Permanent failure, "
                "Opened, Clicked, ...); each can use the same URL",
    },
    {
        .section = "Send > Sending > Webhooks > Add webhook",
        .name = "URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "Mailgun posts JSON with the signature inside the body, "
                "not in a header; 'Test webhook' sends a signed sample",
    },
    {
        .section = "Your app's environment",
        .name = "Signing key variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the HTTP webhook signing key shown on the Webhooks "
                "page; it differs from the API key",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/*
 * Samples without the signature, which signing adds as Mailgun does: the
 * "signature" object first in a JSON body, and the timestamp, token and
 * signature fields last in a form body. Ids and addresses are made up.
 */
const struct whk_sample mailgun_samples[] = {
    {
        .name = "delivered",
        .description = "a message accepted by the recipient's server "
                       "(delivered)",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"event-data\":{\"id\":\"CPgfbmQMTCKtHW6uIWtuVe\",\"timesta"
                "mp\":1718098215.271542,\"log-level\":\"info\",\"event\":\"del"
                "ivered\",\"delivery-status\":{\"tls\":true,\"mx-host\":\"mx."
                "example.net\",\"code\":250,\"description\":\"\",\"attempt-no"
                "\":1,\"message\":\"OK\",\"certificate-verified\":true},\"flag"
                "s\":{\"is-routed\":false,\"is-authenticated\":true,\"is-test-"
                "mode\":false},\"envelope\":{\"transport\":\"smtp\",\"sender\""
                ":\"bob@mg.example.com\",\"sending-ip\":\"203.0.113.25\",\"tar"
                "gets\":\"alice@example.net\"},\"message\":{\"headers\":{\"to"
                "\":\"Alice <alice@example.net>\",\"message-id\":\"20240611093"
                "015.1.A1B2C3D4E5F60718@mg.example.com\",\"from\":\"Bob <bob@m"
                "g.example.com>\",\"subject\":\"Your receipt\"},\"attachments"
                "\":[],\"size\":4213},\"recipient\":\"alice@example.net\",\"re"
                "cipient-domain\":\"example.net\",\"tags\":[\"receipt\"],\"use"
                "r-variables\":{\"order_id\":\"A-10042\"}}}",
        .headers = no_headers,
    },
    {
        .name = "permanent-fail",
        .description = "a bounce that Mailgun will not retry (failed, "
                       "severity permanent)",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"event-data\":{\"id\":\"G9Bn5sl1TC6nu79C8C0bwg\",\"timesta"
                "mp\":1718101842.118904,\"log-level\":\"error\",\"event\":\"fa"
                "iled\",\"severity\":\"permanent\",\"reason\":\"bounce\",\"del"
                "ivery-status\":{\"attempt-no\":1,\"code\":550,\"message\":\"5"
                "50 5.1.1 The email account that you tried to reach does not e"
                "xist\",\"description\":\"\",\"bounce-type\":\"hard\"},\"flags"
                "\":{\"is-routed\":false,\"is-authenticated\":true,\"is-test-m"
                "ode\":false},\"envelope\":{\"transport\":\"smtp\",\"sender\":"
                "\"bob@mg.example.com\",\"targets\":\"nobody@example.org\"},\""
                "message\":{\"headers\":{\"to\":\"nobody@example.org\",\"messa"
                "ge-id\":\"20240611103042.1.F0E1D2C3B4A59687@mg.example.com\","
                "\"from\":\"Bob <bob@mg.example.com>\",\"subject\":\"Welcome, "
                "Jo\\u00eblle\"},\"attachments\":[],\"size\":2871},\"recipient"
                "\":\"nobody@example.org\",\"recipient-domain\":\"example.org"
                "\",\"tags\":[],\"user-variables\":{}}}",
        .headers = no_headers,
    },
    {
        .name = "legacy-delivered",
        .description = "a delivered event from a legacy webhook, "
                       "form-encoded",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "Message-Id=%3C20240611093015.1.A1B2C3D4E5F60718%40mg.exampl"
                "e.com%3E&X-Mailgun-Sid=WyI0ZjM3YiIsICJhbGljZUBleGFtcGxlLm5l"
                "dCIsICI5YjI2Il0%3D&domain=mg.example.com&event=delivered&me"
                "ssage-headers=%5B%5B%22Subject%22%2C+%22Your+receipt%22%5D%"
                "5D&recipient=alice%40example.net",
        .headers = no_headers,
    },
    {0},
};

/*
 * Mailgun writes a new token for every webhook it signs, so a token seen
 * twice is a replay; event-data's id names the event itself.
 */
const struct whk_key mailgun_keys[] = {
    {WHK_KEY_JSON, "/signature/token"},
    {WHK_KEY_PARAM, "token"},
    {WHK_KEY_JSON, "/event-data/id"},
    {0},
};

const struct whk_failure mailgun_failures[] = {
    {
        .symptom = "the computed signature never matches",
        .cause = "the key is the private API key or another domain's, not "
                 "the HTTP webhook signing key; or timestamp and token were "
                 "joined in the other order or with a separator",
        .fix = "HMAC-SHA256 the timestamp followed by the token, with no "
               "separator, keyed with the HTTP webhook signing key",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "the handler finds no signature",
        .cause = "it looks for a header; Mailgun sends the signature in the "
                 "body, as signature.token, .timestamp and .signature in "
                 "JSON, or as token, timestamp and signature form fields",
        .fix = "parse the body first and read the signature object",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "a captured webhook posted again is accepted",
        .cause = "the signature covers only the timestamp and the token, "
                 "not the event, and stays valid forever",
        .fix = "reject a token seen before, and a timestamp older than a "
               "few minutes (whk: --tolerance SECONDS)",
        .reason = WHK_REASON_TIMESTAMP_OLD,
    },
    {
        .symptom = "the timestamp is ahead of the server's clock",
        .cause = "the server's clock is behind, with a tolerance set",
        .fix = "sync the clock with NTP, or pass a larger --tolerance",
        .reason = WHK_REASON_TIMESTAMP_FUTURE,
    },
    {
        .symptom = "events arrive several times, hours apart",
        .cause = "the app answered with a status other than 200, so "
                 "Mailgun retried for up to 8 hours",
        .fix = "answer 200 at once, or 406 to refuse a webhook for good, "
               "and skip tokens or event ids already seen",
    },
    {0},
};
