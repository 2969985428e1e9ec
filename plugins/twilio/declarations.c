/* SPDX-License-Identifier: MIT */
/* Twilio's dashboard fields, sample requests, keys and common failures. */
#include "twilio.h"

/* Section names follow the Twilio Console's pages for a phone number. */
const struct whk_field twilio_fields[] = {
    {
        .section = "Phone Numbers > Active numbers > (your number) > "
                   "Messaging Configuration",
        .name = "A message comes in: URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "choose Webhook; Twilio signs this exact URL, query string "
                "included",
    },
    {
        .section = "Phone Numbers > Active numbers > (your number) > "
                   "Messaging Configuration",
        .name = "A message comes in: HTTP method",
        .value = "HTTP POST",
        .note = "parameters arrive form-encoded "
                "(application/x-www-form-urlencoded), not as JSON",
    },
    {
        .section = "Messaging > Services > (your service) > Integration",
        .name = "Delivery Status Callback",
        .value = "{{STATUS_CALLBACK_URL}}",
        .note = "or pass StatusCallback={{STATUS_CALLBACK_URL}} when sending "
                "a message through the API",
        .optional = 1,
    },
    {
        .section = "Phone Numbers > Active numbers > (your number) > "
                   "Voice Configuration",
        .name = "A call comes in: URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "choose Webhook and HTTP POST; use your voice handler's path "
                "if calls go elsewhere, and answer with TwiML too",
        .optional = 1,
    },
    {
        .section = "Your app's environment",
        .name = "Auth token variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the Auth Token from the Console's Account Info panel "
                "under this name; whk and your app read it from there",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/*
 * Bodies list parameters in the order Twilio sends them. Phone numbers use
 * the 555-01XX range reserved for fiction; SIDs are made up.
 */
const struct whk_sample twilio_samples[] = {
    {
        .name = "inbound-sms",
        .description = "an SMS to your number (Messaging webhook)",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "ToCountry=US&ToState=CA&SmsMessageSid="
                "SM1f0e8ae6ade43cb3c0ce4525424e404f&NumMedia=0&ToCity="
                "SAN+FRANCISCO&FromZip=94105&SmsSid="
                "SM1f0e8ae6ade43cb3c0ce4525424e404f&FromState=CA&SmsStatus="
                "received&FromCity=SAN+FRANCISCO&Body=Hello+from+whk+"
                "%F0%9F%91%8B&FromCountry=US&To=%2B14155550100&ToZip=94105&"
                "NumSegments=1&MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&"
                "AccountSid=AC0a1b2c3d4e5f60718293a4b5c6d7e8f9&From="
                "%2B14155550123&ApiVersion=2010-04-01",
        .headers = no_headers,
    },
    {
        .name = "inbound-mms",
        .description = "an MMS with two images (Messaging webhook)",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "ToCountry=US&MediaContentType0=image%2Fjpeg&"
                "MediaContentType1=image%2Fpng&ToState=CA&SmsMessageSid="
                "MM5d8a2b6c1e0f4a3b9c7d6e5f4a3b2c1d&NumMedia=2&ToCity="
                "SAN+FRANCISCO&FromZip=94105&SmsSid="
                "MM5d8a2b6c1e0f4a3b9c7d6e5f4a3b2c1d&FromState=CA&SmsStatus="
                "received&FromCity=SAN+FRANCISCO&Body=Two+photos&FromCountry="
                "US&To=%2B14155550100&MessagingServiceSid="
                "MG9f8e7d6c5b4a39281706f5e4d3c2b1a0&ToZip=94105&NumSegments="
                "1&MessageSid=MM5d8a2b6c1e0f4a3b9c7d6e5f4a3b2c1d&AccountSid="
                "AC0a1b2c3d4e5f60718293a4b5c6d7e8f9&From=%2B14155550123&"
                "MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2F"
                "Accounts%2FAC0a1b2c3d4e5f60718293a4b5c6d7e8f9%2FMessages%2F"
                "MM5d8a2b6c1e0f4a3b9c7d6e5f4a3b2c1d%2FMedia%2F"
                "ME1a2b3c4d5e6f708192a3b4c5d6e7f809&MediaUrl1=https%3A%2F%2F"
                "api.twilio.com%2F2010-04-01%2FAccounts%2F"
                "AC0a1b2c3d4e5f60718293a4b5c6d7e8f9%2FMessages%2F"
                "MM5d8a2b6c1e0f4a3b9c7d6e5f4a3b2c1d%2FMedia%2F"
                "ME2b3c4d5e6f708192a3b4c5d6e7f8091a&ApiVersion=2010-04-01",
        .headers = no_headers,
    },
    {
        .name = "incoming-call",
        .description = "a phone call to your number (Voice webhook)",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "Called=%2B14155550100&ToState=CA&CallerCountry=US&Direction="
                "inbound&CallerState=CA&ToZip=94105&CallSid="
                "CA7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29&To=%2B14155550100&"
                "CallerZip=94105&ToCountry=US&StirVerstat="
                "TN-Validation-Passed-A&CalledZip=94105&ApiVersion="
                "2010-04-01&CalledCity=SAN+FRANCISCO&CallStatus=ringing&From="
                "%2B14155550123&AccountSid=AC0a1b2c3d4e5f60718293a4b5c6d7e8f9&"
                "CalledCountry=US&CallerCity=SAN+FRANCISCO&ToCity="
                "SAN+FRANCISCO&FromCountry=US&Caller=%2B14155550123&FromCity="
                "SAN+FRANCISCO&CalledState=CA&FromZip=94105&FromState=CA",
        .headers = no_headers,
    },
    {
        .name = "message-status",
        .description = "a delivery status callback for a message you sent",
        .method = "POST",
        .path_suffix = "/status",
        .content_type = "application/x-www-form-urlencoded",
        .body = "SmsSid=SM3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b&SmsStatus=delivered&"
                "MessageStatus=delivered&To=%2B14155550123&MessagingServiceSid="
                "MG9f8e7d6c5b4a39281706f5e4d3c2b1a0&MessageSid="
                "SM3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b&AccountSid="
                "AC0a1b2c3d4e5f60718293a4b5c6d7e8f9&From=%2B14155550100&"
                "ApiVersion=2010-04-01",
        .headers = no_headers,
    },
    {0},
};

const struct whk_key twilio_keys[] = {
    {WHK_KEY_PARAM, "MessageSid"},
    {WHK_KEY_PARAM, "CallSid"},
    {0},
};

const struct whk_failure twilio_failures[] = {
    {
        .symptom = "your app answers 403: signature validation fails",
        .cause = "the app validates against another URL than the one "
                 "Twilio requested (http instead of https behind a "
                 "TLS-terminating proxy or tunnel, another host or port, a "
                 "missing query string or trailing slash), or with another "
                 "account's or an old auth token",
        .fix = "validate against the exact public URL set in the Console "
               "(configure it, e.g. PUBLIC_WEBHOOK_URL, or trust "
               "X-Forwarded-Proto), with the current auth token of the "
               "account that owns the number",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "X-Twilio-Signature is not a base64 HMAC value",
        .cause = "the header was cut, re-encoded or replaced on the way "
                 "(a proxy, a logging tool, a hand-written test request)",
        .fix = "take the header exactly as Twilio sent it (28 base64 "
               "characters for HMAC-SHA1, 44 for HMAC-SHA256); sign test "
               "requests with 'whk sign'",
        .reason = WHK_REASON_MALFORMED_HEADER,
    },
    {
        .symptom = "the request has no X-Twilio-Signature header",
        .cause = "Twilio did not send it (a hand-made curl, a health check), "
                 "or a proxy removed the header",
        .fix = "send test requests with 'whk sign --curl' or 'whk test', and "
               "let the proxy pass X-Twilio-Signature through",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "validation fails for a JSON webhook",
        .cause = "Twilio signs a JSON body through the bodySHA256 query "
                 "parameter; the app validated form parameters, a URL "
                 "without bodySHA256, or a re-serialized body",
        .fix = "validate the full URL with bodySHA256 and hash the raw body "
               "bytes (validateRequestWithBody in the official SDKs)",
        .reason = WHK_REASON_BODY_HASH,
    },
    {
        .symptom = "error 11200 (HTTP retrieval failure) in the Twilio "
                   "Console's debugger",
        .cause = "Twilio could not reach the URL (tunnel down, DNS, TLS "
                 "certificate) or the app took longer than 15 s to answer",
        .fix = "check that the tunnel runs and its URL matches the Console, "
               "and answer within 15 s by moving slow work to a background "
               "job",
        .reason = WHK_REASON_TIMEOUT,
    },
    {
        .symptom = "request.body is empty or lacks From, To and Body",
        .cause = "Twilio posts application/x-www-form-urlencoded and the app "
                 "parses only JSON",
        .fix = "add a form parser, e.g. express.urlencoded({ extended: "
               "false }) in Express or request.form in Flask",
        .reason = WHK_REASON_FIELDS_UNREAD,
    },
    {
        .symptom = "error 12300 (invalid Content-Type) or 12100 (document "
                   "parse failure)",
        .cause = "the app answered a Messaging or Voice webhook with "
                 "something other than TwiML: JSON, HTML, or an empty body "
                 "labelled text/html",
        .fix = "answer with Content-Type text/xml and a TwiML document such "
               "as <Response></Response>",
        .reason = WHK_REASON_RESPONSE,
    },
    {
        .symptom = "the endpoint accepts requests with a forged or missing "
                   "X-Twilio-Signature",
        .cause = "the app does not validate the signature, or validates it "
                 "and acts on the request anyway",
        .fix = "validate every request with validateRequest (or "
               "twilio.webhook() in Express) against the public URL and "
               "answer 403 before doing anything when it fails",
        .reason = WHK_REASON_FORGERY_ACCEPTED,
    },
    {0},
};
