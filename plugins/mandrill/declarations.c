/* SPDX-License-Identifier: MIT */
/* Mandrill's webhook settings, sample event batches, keys and failures. */
#include "mandrill.h"

/* Section names follow the Mailchimp Transactional app's Webhooks page. */
const struct whk_field mandrill_fields[] = {
    {
        .section = "Settings > Webhooks > Add a Webhook",
        .name = "Trigger on Events",
        .value = "Message Is Sent, Message Is Opened, Message Is Clicked, "
                 "Message Is Bounced",
        .note = "Mandrill batches the chosen events and posts them about "
                "once a minute",
    },
    {
        .section = "Settings > Webhooks > Add a Webhook",
        .name = "Post To URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "Mandrill signs this exact URL, query string and trailing "
                "slash included, and sends it a HEAD request that must "
                "answer 200 before the webhook is saved",
    },
    {
        .section = "Settings > Webhooks > Add a Webhook",
        .name = "Description",
        .value = "whk",
        .optional = 1,
    },
    {
        .section = "Your app's environment",
        .name = "Webhook key variable",
        .value = "{{SECRET_ENV}}",
        .note = "after saving, copy the webhook's key from the Key column of "
                "the Webhooks page and export it under this name; it is not "
                "the API key",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/*
 * Each body is one mandrill_events parameter holding a JSON array of
 * events, form-encoded as Mandrill posts it. Addresses use example.com,
 * example.net and the documentation IP range; ids are made up.
 */
const struct whk_sample mandrill_samples[] = {
    {
        .name = "message-events",
        .description = "a batch with a sent, an opened and a clicked event "
                       "for one message",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "mandrill_events=%5B%7B%22event%22%3A%22send%22%2C%22msg%22%3A%"
                "7B%22ts%22%3A1717171000%2C%22subject%22%3A%22Your+order+%23104"
                "82+has+shipped%22%2C%22email%22%3A%22jo.martin%40example.com%2"
                "2%2C%22sender%22%3A%22orders%40shop.example.com%22%2C%22tags%2"
                "2%3A%5B%22order-shipped%22%5D%2C%22opens%22%3A%5B%5D%2C%22clic"
                "ks%22%3A%5B%5D%2C%22state%22%3A%22sent%22%2C%22metadata%22%3A%"
                "7B%22order_id%22%3A%2210482%22%7D%2C%22_id%22%3A%227c1e9a3f5b2"
                "d48e6a0f4c8b2d6e1a9f3%22%2C%22_version%22%3A%22Xq3bT9kZ1mW7pL2"
                "vR8sN4c%22%7D%2C%22_id%22%3A%227c1e9a3f5b2d48e6a0f4c8b2d6e1a9f"
                "3%22%2C%22ts%22%3A1717171001%7D%2C%7B%22event%22%3A%22open%22%"
                "2C%22msg%22%3A%7B%22ts%22%3A1717171000%2C%22subject%22%3A%22Yo"
                "ur+order+%2310482+has+shipped%22%2C%22email%22%3A%22jo.martin%"
                "40example.com%22%2C%22sender%22%3A%22orders%40shop.example.com"
                "%22%2C%22tags%22%3A%5B%22order-shipped%22%5D%2C%22opens%22%3A%"
                "5B%7B%22ts%22%3A1717171342%2C%22ip%22%3A%22198.51.100.23%22%2C"
                "%22location%22%3A%22Lyon%2C+FR%22%2C%22ua%22%3A%22Mozilla%2F5."
                "0+%28Macintosh%3B+Intel+Mac+OS+X+14_4%29+AppleWebKit%2F605.1.1"
                "5%22%7D%5D%2C%22clicks%22%3A%5B%5D%2C%22state%22%3A%22sent%22%"
                "2C%22metadata%22%3A%7B%22order_id%22%3A%2210482%22%7D%2C%22_id"
                "%22%3A%227c1e9a3f5b2d48e6a0f4c8b2d6e1a9f3%22%2C%22_version%22%"
                "3A%22Xq3bT9kZ1mW7pL2vR8sN4c%22%7D%2C%22_id%22%3A%227c1e9a3f5b2"
                "d48e6a0f4c8b2d6e1a9f3%22%2C%22ip%22%3A%22198.51.100.23%22%2C%2"
                "2user_agent%22%3A%22Mozilla%2F5.0+%28Macintosh%3B+Intel+Mac+OS"
                "+X+14_4%29+AppleWebKit%2F605.1.15%22%2C%22location%22%3A%7B%22"
                "country_short%22%3A%22FR%22%2C%22country%22%3A%22France%22%2C%"
                "22region%22%3A%22Auvergne-Rhone-Alpes%22%2C%22city%22%3A%22Lyo"
                "n%22%2C%22postal_code%22%3A%2269001%22%2C%22timezone%22%3A%22%"
                "2B01%3A00%22%2C%22latitude%22%3A45.764%2C%22longitude%22%3A4.8"
                "357%7D%2C%22ts%22%3A1717171342%7D%2C%7B%22event%22%3A%22click%"
                "22%2C%22msg%22%3A%7B%22ts%22%3A1717171000%2C%22subject%22%3A%2"
                "2Your+order+%2310482+has+shipped%22%2C%22email%22%3A%22jo.mart"
                "in%40example.com%22%2C%22sender%22%3A%22orders%40shop.example."
                "com%22%2C%22tags%22%3A%5B%22order-shipped%22%5D%2C%22opens%22%"
                "3A%5B%5D%2C%22clicks%22%3A%5B%5D%2C%22state%22%3A%22sent%22%2C"
                "%22metadata%22%3A%7B%22order_id%22%3A%2210482%22%7D%2C%22_id%2"
                "2%3A%227c1e9a3f5b2d48e6a0f4c8b2d6e1a9f3%22%2C%22_version%22%3A"
                "%22Xq3bT9kZ1mW7pL2vR8sN4c%22%7D%2C%22_id%22%3A%227c1e9a3f5b2d4"
                "8e6a0f4c8b2d6e1a9f3%22%2C%22url%22%3A%22https%3A%2F%2Fshop.exa"
                "mple.com%2Forders%2F10482%3Futm_source%3Dmail%22%2C%22ip%22%3A"
                "%22198.51.100.23%22%2C%22user_agent%22%3A%22Mozilla%2F5.0%22%2"
                "C%22ts%22%3A1717171350%7D%5D",
        .headers = no_headers,
    },
    {
        .name = "hard-bounce",
        .description = "a message that hard-bounced (hard_bounce)",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "mandrill_events=%5B%7B%22event%22%3A%22hard_bounce%22%2C%22msg"
                "%22%3A%7B%22ts%22%3A1717172000%2C%22subject%22%3A%22Welcome+to"
                "+Example+Shop%22%2C%22email%22%3A%22no-such-user%40example.net"
                "%22%2C%22sender%22%3A%22hello%40shop.example.com%22%2C%22tags%"
                "22%3A%5B%22welcome%22%5D%2C%22state%22%3A%22bounced%22%2C%22bo"
                "unce_description%22%3A%22bad_mailbox%22%2C%22diag%22%3A%22smtp"
                "%3B550+5.1.1+The+email+account+that+you+tried+to+reach+does+no"
                "t+exist.%22%2C%22bgtools_code%22%3A10%2C%22metadata%22%3A%7B%2"
                "2user_id%22%3A%22u_58213%22%7D%2C%22_id%22%3A%222f8d4b6a1c9e47"
                "d3b5a0e8f6c2d4a7b1%22%2C%22_version%22%3A%22Lk2pQ8vX4nR1tZ6wY9"
                "bC3e%22%7D%2C%22_id%22%3A%222f8d4b6a1c9e47d3b5a0e8f6c2d4a7b1%2"
                "2%2C%22ts%22%3A1717172004%7D%5D",
        .headers = no_headers,
    },
    {
        .name = "blacklist-add",
        .description = "a sync event: an address added to the rejection "
                       "blacklist",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "mandrill_events=%5B%7B%22type%22%3A%22blacklist%22%2C%22action"
                "%22%3A%22add%22%2C%22reject%22%3A%7B%22reason%22%3A%22hard-bou"
                "nce%22%2C%22detail%22%3A%22550+5.1.1+bad+mailbox%22%2C%22last_"
                "event_at%22%3A%222024-05-31+16%3A13%3A24%22%2C%22email%22%3A%2"
                "2no-such-user%40example.net%22%2C%22created_at%22%3A%222024-05"
                "-31+16%3A13%3A24%22%2C%22expires_at%22%3A%222024-06-07+16%3A13"
                "%3A24%22%2C%22expired%22%3Afalse%2C%22subaccount%22%3Anull%2C%"
                "22sender%22%3Anull%7D%2C%22ts%22%3A1717172005%7D%5D",
        .headers = no_headers,
    },
    {0},
};

/*
 * A retried batch repeats the same mandrill_events text. Inside it, each
 * message event is identified by _id, event and ts together.
 */
const struct whk_key mandrill_keys[] = {
    {WHK_KEY_PARAM, "mandrill_events"},
    {0},
};

static const char *const head_match[] = {"method=HEAD", NULL};

/* The unsigned HEAD request that checks a URL before it is saved. */
const struct whk_challenge mandrill_challenges[] = {
    {
        .name = "url-check",
        .description = "the unsigned HEAD request Mandrill sends to the URL "
                       "before it saves the webhook; the app answers 200",
        .method = "HEAD",
        .match = head_match,
        .status = 200,
    },
    {0},
};

const struct whk_failure mandrill_failures[] = {
    {
        .symptom = "the app rejects every webhook: the signature does not "
                   "match",
        .cause = "the app signs another URL than the one entered in "
                 "Mandrill (http instead of https behind a proxy, another "
                 "host, a trailing slash or query string added or "
                 "missing), or uses the API key or another webhook's key",
        .fix = "sign the Post To URL exactly as entered, and use the Key "
               "shown for this webhook on the Webhooks page",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "X-Mandrill-Signature is not a base64 HMAC-SHA1 value",
        .cause = "the header was cut, re-encoded or replaced on the way, or "
                 "the request was made by hand",
        .fix = "take the header as Mandrill sent it (28 base64 characters); "
               "sign test requests with 'whk sign'",
        .reason = WHK_REASON_MALFORMED_HEADER,
    },
    {
        .symptom = "the request has no X-Mandrill-Signature header",
        .cause = "Mandrill did not send the request (a health check, a "
                 "hand-made curl), or a proxy removed the header",
        .fix = "send test requests with 'whk sign --curl' or 'whk test', and "
               "let the proxy pass X-Mandrill-Signature through",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "Mandrill cannot add the webhook: the URL could not be "
                   "verified",
        .cause = "Mandrill checks the URL with an unsigned HEAD request "
                 "first, and the app answers it with 404, 405 or a "
                 "signature error",
        .fix = "answer HEAD (and GET) on the webhook path with 200, without "
               "checking a signature",
        .reason = WHK_REASON_RESPONSE,
    },
    {
        .symptom = "request.body has no mandrill_events, or JSON.parse fails",
        .cause = "Mandrill posts application/x-www-form-urlencoded with the "
                 "events as JSON text in mandrill_events, and the app parses "
                 "only JSON bodies",
        .fix = "add a form parser (express.urlencoded({ extended: false }) "
               "in Express), then JSON.parse(req.body.mandrill_events)",
        .reason = WHK_REASON_FIELDS_UNREAD,
    },
    {
        .symptom = "the same events are processed twice",
        .cause = "a batch that failed or timed out is retried whole, so "
                 "events that were already handled arrive again",
        .fix = "answer 200 at once, handle events in the background, and "
               "skip events whose _id, event and ts were already seen",
    },
    {
        .symptom = "the endpoint accepts requests with a forged or missing "
                   "X-Mandrill-Signature",
        .cause = "the app does not check the signature, or checks it and "
                 "acts on the request anyway",
        .fix = "compute the signature over the URL and sorted POST "
               "parameters with the webhook key, and answer 403 before "
               "doing anything when it differs",
        .reason = WHK_REASON_FORGERY_ACCEPTED,
    },
    {0},
};
