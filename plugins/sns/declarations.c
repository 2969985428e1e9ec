/* SPDX-License-Identifier: MIT */
/* Amazon SNS's subscription settings, sample messages, keys and failures. */
#include "sns.h"

/* Section names follow the Amazon SNS console. */
const struct whk_field sns_fields[] = {
    {
        .section = "Amazon SNS > Topics > (your topic) > Create subscription",
        .name = "Protocol",
        .value = "HTTPS",
        .note = "HTTP works too, but SNS then sends the messages in clear "
                "text",
    },
    {
        .section = "Amazon SNS > Topics > (your topic) > Create subscription",
        .name = "Endpoint",
        .value = "{{WEBHOOK_URL}}",
        .note = "SNS first posts a SubscriptionConfirmation there; the app "
                "confirms by visiting its SubscribeURL",
    },
    {
        .section = "Amazon SNS > Topics > (your topic) > Create subscription",
        .name = "Enable raw message delivery",
        .value = "unchecked",
        .note = "a raw delivery is the bare message, without Signature, so "
                "nothing can verify it",
    },
    {
        .section = "Amazon SNS > Topics > (your topic) > Edit",
        .name = "SignatureVersion (topic attribute)",
        .value = "2",
        .note = "RSA SHA-256; topics sign with 1 (RSA SHA-1) by default. "
                "Set it with 'aws sns set-topic-attributes --attribute-name "
                "SignatureVersion --attribute-value 2'",
        .optional = 1,
    },
    {
        .section = "Your app's environment",
        .name = "Certificate variable, for whk only",
        .value = "{{SECRET_ENV}}",
        .note = "the PEM certificate from a message's SigningCertURL, for "
                "'whk verify'; the app itself downloads the certificate "
                "that each message names, after checking its host",
        .optional = 1,
    },
    {0},
};

static const char *const notification_headers[] = {
    "x-amz-sns-message-type: Notification",
    "x-amz-sns-message-id: 7d3e1f0a-5b2c-4d6e-8f9a-0b1c2d3e4f5a",
    "x-amz-sns-topic-arn: arn:aws:sns:us-east-1:123456789012:orders",
    "x-amz-sns-subscription-arn: arn:aws:sns:us-east-1:123456789012:orders:"
    "5f2a1c3e-8b7d-4e6f-9a0b-1c2d3e4f5a6b",
    "User-Agent: Amazon Simple Notification Service Agent",
    NULL,
};

static const char *const notification_v2_headers[] = {
    "x-amz-sns-message-type: Notification",
    "x-amz-sns-message-id: 0c9b8a7f-6e5d-4c3b-a291-8f7e6d5c4b3a",
    "x-amz-sns-topic-arn: arn:aws:sns:us-east-1:123456789012:orders",
    "x-amz-sns-subscription-arn: arn:aws:sns:us-east-1:123456789012:orders:"
    "5f2a1c3e-8b7d-4e6f-9a0b-1c2d3e4f5a6b",
    "User-Agent: Amazon Simple Notification Service Agent",
    NULL,
};

static const char *const unsubscribe_headers[] = {
    "x-amz-sns-message-type: UnsubscribeConfirmation",
    "x-amz-sns-message-id: 47138184-6831-46b8-8f7c-afc488602d7d",
    "x-amz-sns-topic-arn: arn:aws:sns:us-east-1:123456789012:orders",
    "x-amz-sns-subscription-arn: arn:aws:sns:us-east-1:123456789012:orders:"
    "5f2a1c3e-8b7d-4e6f-9a0b-1c2d3e4f5a6b",
    "User-Agent: Amazon Simple Notification Service Agent",
    NULL,
};

/*
 * Bodies are laid out as SNS writes them. Ids, tokens and the account are
 * made up; the certificate URL has SNS's form but names no real file.
 * Signing writes Signature and Timestamp.
 */
const struct whk_sample sns_samples[] = {
    {
        .name = "notification",
        .description = "a message published with a Subject "
                       "(SignatureVersion 1, RSA SHA-1)",
        .method = "POST",
        .content_type = "text/plain; charset=UTF-8",
        .body =
            "{\n"
            "  \"Type\" : \"Notification\",\n"
            "  \"MessageId\" : \"7d3e1f0a-5b2c-4d6e-8f9a-0b1c2d3e4f5a\",\n"
            "  \"TopicArn\" : \"arn:aws:sns:us-east-1:123456789012:orders\",\n"
            "  \"Subject\" : \"Order ord_1042 shipped\",\n"
            "  \"Message\" : \"{\\\"orderId\\\":\\\"ord_1042\\\",\\\"status\\\""
            ":\\\"shipped\\\",\\\"carrier\\\":\\\"DHL\\\",\\\"tracking\\\":\\\""
            "JD0146000062812345670001DE00000042\\\",\\\"note\\\":\\\""
            "caf\xc3\xa9 order\\\\nleft at door\\\"}\",\n"
            "  \"Timestamp\" : \"2024-10-02T07:20:11.123Z\",\n"
            "  \"SignatureVersion\" : \"1\",\n"
            "  \"Signature\" : \"\",\n"
            "  \"SigningCertURL\" : \"https://sns.us-east-1.amazonaws.com/Simpl"
            "eNotificationService-6209c161c6221fdf56ec1eb5c821d112.pem\",\n"
            "  \"UnsubscribeURL\" : \"https://sns.us-east-1.amazonaws.com/?Acti"
            "on=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:"
            "orders:5f2a1c3e-8b7d-4e6f-9a0b-1c2d3e4f5a6b\"\n"
            "}",
        .headers = notification_headers,
    },
    {
        .name = "notification-v2",
        .description = "a message with attributes and no Subject "
                       "(SignatureVersion 2, RSA SHA-256)",
        .method = "POST",
        .content_type = "text/plain; charset=UTF-8",
        .body =
            "{\n"
            "  \"Type\" : \"Notification\",\n"
            "  \"MessageId\" : \"0c9b8a7f-6e5d-4c3b-a291-8f7e6d5c4b3a\",\n"
            "  \"TopicArn\" : \"arn:aws:sns:us-east-1:123456789012:orders\",\n"
            "  \"Message\" : \"{\\\"orderId\\\":\\\"ord_1043\\\",\\\"status\\\""
            ":\\\"refunded\\\",\\\"refundId\\\":\\\""
            "re3MfK9qLr2Tx8Vb4Nc7Wd1Ye6Za0Ub5Pq9Hs2\\\",\\\"amount\\\":\\\""
            "19.99\\\",\\\"currency\\\":\\\"EUR\\\"}\",\n"
            "  \"Timestamp\" : \"2024-10-02T07:25:40.517Z\",\n"
            "  \"SignatureVersion\" : \"2\",\n"
            "  \"Signature\" : \"\",\n"
            "  \"SigningCertURL\" : \"https://sns.us-east-1.amazonaws.com/Simpl"
            "eNotificationService-6209c161c6221fdf56ec1eb5c821d112.pem\",\n"
            "  \"UnsubscribeURL\" : \"https://sns.us-east-1.amazonaws.com/?Acti"
            "on=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:"
            "orders:5f2a1c3e-8b7d-4e6f-9a0b-1c2d3e4f5a6b\",\n"
            "  \"MessageAttributes\" : {\"eventType\" : {\"Type\":\"String\",\""
            "Value\":\"order.refunded\"}}\n"
            "}",
        .headers = notification_v2_headers,
    },
    {
        .name = "unsubscribe-confirmation",
        .description = "the message SNS sends after the subscription is "
                       "deleted (UnsubscribeConfirmation)",
        .method = "POST",
        .content_type = "text/plain; charset=UTF-8",
        .body =
            "{\n"
            "  \"Type\" : \"UnsubscribeConfirmation\",\n"
            "  \"MessageId\" : \"47138184-6831-46b8-8f7c-afc488602d7d\",\n"
            "  \"Token\" : \"2336412f37fb687f5d51e6e2425a8a58734a2dfe63ee2b38fd"
            "b3a93846bd9ed8ebd6df7da6e0f2c3e8d8ad1c0b13b1eb5e6c2d4e5f60718293a4"
            "b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80\""
            ",\n"
            "  \"TopicArn\" : \"arn:aws:sns:us-east-1:123456789012:orders\",\n"
            "  \"Message\" : \"You have chosen to deactivate subscription arn:a"
            "ws:sns:us-east-1:123456789012:orders:5f2a1c3e-8b7d-4e6f-9a0b-1c2d3"
            "e4f5a6b.\\nTo cancel this operation and restore the subscription, "
            "visit the SubscribeURL included in this message.\",\n"
            "  \"SubscribeURL\" : \"https://sns.us-east-1.amazonaws.com/?Action"
            "=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:o"
            "rders&Token=2336412f37fb687f5d51e6e2425a8a58734a2dfe63ee2b38fdb3a9"
            "3846bd9ed8ebd6df7da6e0f2c3e8d8ad1c0b13b1eb5e6c2d4e5f60718293a4b5c6"
            "d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80\",\n"
            "  \"Timestamp\" : \"2024-10-09T16:02:44.903Z\",\n"
            "  \"SignatureVersion\" : \"2\",\n"
            "  \"Signature\" : \"\",\n"
            "  \"SigningCertURL\" : \"https://sns.us-east-1.amazonaws.com/Simpl"
            "eNotificationService-6209c161c6221fdf56ec1eb5c821d112.pem\"\n"
            "}",
        .headers = unsubscribe_headers,
    },
    {0},
};

/* SNS keeps MessageId across retries of one message. */
const struct whk_key sns_keys[] = {
    {WHK_KEY_JSON, "/MessageId"},
    {WHK_KEY_HEADER, "x-amz-sns-message-id"},
    {0},
};

static const char *const confirmation_headers[] = {
    "x-amz-sns-message-type: SubscriptionConfirmation",
    "x-amz-sns-message-id: 165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
    "x-amz-sns-topic-arn: arn:aws:sns:us-east-1:123456789012:orders",
    "User-Agent: Amazon Simple Notification Service Agent",
    NULL,
};

static const char *const confirmation_match[] = {
    "header:x-amz-sns-message-type=SubscriptionConfirmation",
    NULL,
};

/*
 * SNS confirms an endpoint with a signed SubscriptionConfirmation. The app
 * verifies it, then visits SubscribeURL; SNS ignores the response body.
 * NOTE: 'whk listen', standing in for the app, responds 200 and visits no
 * URL, because whk runs offline; confirm by hand from the capture record.
 */
const struct whk_challenge sns_challenges[] = {
    {
        .name = "subscription-confirmation",
        .description = "SNS posts a signed SubscriptionConfirmation; the app "
                       "verifies it and visits SubscribeURL (or calls "
                       "ConfirmSubscription with Token), and until then SNS "
                       "sends no notification",
        .method = "POST",
        .content_type = "text/plain; charset=UTF-8",
        .body =
            "{\n"
            "  \"Type\" : \"SubscriptionConfirmation\",\n"
            "  \"MessageId\" : \"165545c9-2a5c-472c-8df2-7ff2be2b3b1b\",\n"
            "  \"Token\" : \"{token}\",\n"
            "  \"TopicArn\" : \"arn:aws:sns:us-east-1:123456789012:orders\",\n"
            "  \"Message\" : \"You have chosen to subscribe to the topic arn:aw"
            "s:sns:us-east-1:123456789012:orders.\\nTo confirm the subscription"
            ", visit the SubscribeURL included in this message.\",\n"
            "  \"SubscribeURL\" : \"https://sns.us-east-1.amazonaws.com/?Action"
            "=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:o"
            "rders&Token={token}\",\n"
            "  \"Timestamp\" : \"2024-10-01T12:00:00.000Z\",\n"
            "  \"SignatureVersion\" : \"2\",\n"
            "  \"Signature\" : \"\",\n"
            "  \"SigningCertURL\" : \"https://sns.us-east-1.amazonaws.com/Simpl"
            "eNotificationService-6209c161c6221fdf56ec1eb5c821d112.pem\"\n"
            "}",
        .headers = confirmation_headers,
        .is_signed = 1,
        .match = confirmation_match,
        .token = "json:/Token",
        .status = 0,
    },
    {0},
};

const struct whk_failure sns_failures[] = {
    {
        .symptom = "the app rejects the message: the signature is invalid",
        .cause = "the app verifies a string to sign with other members or "
                 "another order than AWS lists for the Type, keeps "
                 "escapes such as \\n instead of the decoded text, or uses "
                 "SHA-1 for SignatureVersion 2",
        .fix = "parse the body as JSON and build \"Name\\nvalue\\n\" from "
               "the decoded values of the members AWS lists (Subject only "
               "when present; Token and SubscribeURL only for confirmations)",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "SigningCertURL is not on an SNS host",
        .cause = "the message names a certificate outside "
                 "sns.REGION.amazonaws.com: a forger signed it with a key "
                 "of their own",
        .fix = "download certificates only over https from hosts that "
               "match ^sns\\.[a-zA-Z0-9-]{3,}\\.amazonaws\\.com(\\.cn)?$, "
               "and reject the message otherwise",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "the message has no Signature",
        .cause = "raw message delivery is enabled on the subscription, or "
                 "the request did not come from SNS",
        .fix = "turn raw message delivery off for HTTP(S) subscriptions "
               "that must be verified",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "the subscription stays 'Pending confirmation'",
        .cause = "the app answered the SubscriptionConfirmation but never "
                 "visited its SubscribeURL; whk listen, standing in for "
                 "the app, visits no URL",
        .fix = "have the app GET SubscribeURL after verifying the message, "
               "or open the SubscribeURL of the captured record by hand",
    },
    {
        .symptom = "a test request signed with your key is rejected by the "
                   "app",
        .cause = "the app downloads the real SNS certificate from "
                 "SigningCertURL, which never verifies a signature of your "
                 "test key",
        .fix = "in tests, make the app's certificate download return your "
               "test certificate for that URL (a stub of the HTTPS fetch)",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "the same message arrives more than once",
        .cause = "the app answered after SNS gave up on the attempt, or "
                 "with a server error (5xx), so SNS retried it",
        .fix = "answer 200 at once and skip duplicates by MessageId",
        .reason = WHK_REASON_TIMEOUT,
    },
    {0},
};
