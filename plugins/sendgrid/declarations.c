/* SPDX-License-Identifier: MIT */
/* SendGrid's Event Webhook fields, sample batches, keys and failures. */
#include "sendgrid.h"

const struct whk_field sendgrid_fields[] = {
    {
        .section = "Settings > Mail Settings > Event Webhooks > Create new "
                   "webhook",
        .name = "Post URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "SendGrid posts batches of events as a JSON array",
    },
    {
        .section = "Settings > Mail Settings > Event Webhooks > Create new "
                   "webhook",
        .name = "Actions to be posted",
        .value = "Delivered, Bounced, Dropped, Spam Reports, Unsubscribes",
    },
    {
        .section = "Settings > Mail Settings > Event Webhooks > (your "
                   "webhook) > Security features",
        .name = "Signature Verification",
        .value = "Enabled",
        .note = "SendGrid then generates a key pair and shows the "
                "verification (public) key; it never shows the private key",
    },
    {
        .section = "Your app's environment",
        .name = "Verification key variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the Verification Key exactly as shown (base64, no "
                "PEM lines); 'whk sign --key-file' signs test requests with "
                "a key pair of your own",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/* Message ids and addresses are made up. */
const struct whk_sample sendgrid_samples[] = {
    {
        .name = "delivered-open",
        .description = "a batch with a delivered and an open event",
        .method = "POST",
        .content_type = "application/json",
        .body = "[{\"email\":\"ana@example.com\",\"timestamp\":1723630532,"
                "\"smtp-id\":\"<14c5d75ce93.dfd.64b469@ismtpd-555>\","
                "\"event\":\"delivered\",\"category\":[\"receipts\"],"
                "\"sg_event_id\":\"ZGVsaXZlcmVkLTAtMjE0NTEyMzQtWWs\","
                "\"sg_message_id\":\"14c5d75ce93.dfd.64b469.filter0001."
                "16648.5515E0B88.0\",\"response\":\"250 OK\"},{\"email\":"
                "\"ana@example.com\",\"timestamp\":1723630601,\"event\":"
                "\"open\",\"sg_event_id\":\"b3BlbjEtMTIzNDU2Nzg5MC1hYmM\","
                "\"sg_message_id\":\"14c5d75ce93.dfd.64b469.filter0001."
                "16648.5515E0B88.0\",\"useragent\":\"Mozilla/5.0\",\"ip\":"
                "\"192.0.2.10\"}]",
        .headers = no_headers,
    },
    {
        .name = "bounce",
        .description = "a batch with one bounce",
        .method = "POST",
        .content_type = "application/json",
        .body = "[{\"email\":\"no-such-user@example.org\",\"timestamp\":"
                "1723630700,\"event\":\"bounce\",\"type\":\"bounce\","
                "\"bounce_classification\":\"Invalid Address\",\"reason\":"
                "\"550 5.1.1 The email account that you tried to reach does "
                "not exist\",\"status\":\"5.1.1\",\"sg_event_id\":"
                "\"Ym91bmNlLTAtMTIzNDU2Nzg5LWFiYw\",\"sg_message_id\":"
                "\"Lw9Jq3wzRQmSTn2qUQ9vYw.filter0002.20240814.0\"}]",
        .headers = no_headers,
    },
    {0},
};

/* Each event in a batch has its own id. */
const struct whk_key sendgrid_keys[] = {
    {WHK_KEY_JSON, "/0/sg_event_id"},
    {0},
};

const struct whk_failure sendgrid_failures[] = {
    {
        .symptom = "verifySignature returns false for every batch",
        .cause = "the app verified a re-serialized body (JSON.stringify of "
                 "the parsed array), or uses the key of another webhook; "
                 "each Event Webhook has its own key pair, and re-enabling "
                 "signing makes a new one",
        .fix = "verify the raw body bytes with the current Verification "
               "Key of this webhook",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "the verification key is rejected",
        .cause = "the value is not the base64 public key: a private key, an "
                 "API key (SG....), a hex key or a key with line breaks",
        .fix = "copy the Verification Key from the webhook's settings; sign "
               "test requests with 'whk sign --key-file' and a PEM key pair "
               "of your own",
        .reason = WHK_REASON_SECRET,
    },
    {
        .symptom = "the request has no X-Twilio-Email-Event-Webhook-"
                   "Signature header",
        .cause = "signature verification is not enabled for this webhook",
        .fix = "enable Signature Verification in the webhook's security "
               "features",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "the same events arrive again",
        .cause = "the app answered with a non-2xx status or too slowly, so "
                 "SendGrid retried",
        .fix = "answer 2xx at once and skip events already seen by "
               "sg_event_id",
    },
    {0},
};
