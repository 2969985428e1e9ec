/* SPDX-License-Identifier: MIT */
/* Plivo's application fields, sample callbacks, keys and common failures. */
#include "plivo.h"

/* Section names follow the Plivo console's XML application pages. */
const struct whk_field plivo_fields[] = {
    {
        .section = "Messaging > Applications > XML > (your application)",
        .name = "Message URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "Plivo signs this URL with its query string sorted and "
                "decoded, so set it to the URL your app sees",
    },
    {
        .section = "Messaging > Applications > XML > (your application)",
        .name = "Method",
        .value = "POST",
        .note = "parameters arrive form-encoded; with GET they arrive in the "
                "query string and are signed there",
    },
    {
        .section = "Voice > Applications > XML > (your application)",
        .name = "Answer URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "choose POST and answer with Plivo XML; use your voice "
                "handler's path if calls go elsewhere",
        .optional = 1,
    },
    {
        .section = "Voice > Applications > XML > (your application)",
        .name = "Hangup URL",
        .value = "{{STATUS_CALLBACK_URL}}",
        .optional = 1,
    },
    {
        .section = "Phone Numbers > Your Numbers > (your number)",
        .name = "Plivo Application",
        .value = "the XML application above",
    },
    {
        .section = "Your app's environment",
        .name = "Auth Token variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the Auth Token from the console's Overview page "
                "under this name; a subaccount has its own",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/*
 * Bodies list parameters in the order Plivo sends them. Phone numbers use
 * the 555-01XX range reserved for fiction; UUIDs are made up.
 */
const struct whk_sample plivo_samples[] = {
    {
        .name = "inbound-sms",
        .description = "an SMS to your number (Message URL)",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "From=14155550123&To=14155550100&Type=sms&Text=Hello+from+"
                "whk+%F0%9F%91%8B&MessageUUID=6c8f2a4e-1b3d-11ef-9a7c-"
                "0242ac120002&Units=1&TotalRate=0&TotalAmount=0&"
                "MessageIntent=&PowerpackUUID=",
        .headers = no_headers,
    },
    {
        .name = "incoming-call",
        .description = "a phone call to your number (Answer URL)",
        .method = "POST",
        .content_type = "application/x-www-form-urlencoded",
        .body = "ALegRequestUUID=4f1d7b2c-1b3e-11ef-8e3a-0242ac120002&"
                "ALegUUID=4f1d7b2c-1b3e-11ef-8e3a-0242ac120002&BillRate="
                "0.0085&CallStatus=ringing&CallUUID=4f1d7b2c-1b3e-11ef-8e3a-"
                "0242ac120002&CallerName=%2B14155550123&Direction=inbound&"
                "Event=StartApp&From=14155550123&RequestUUID=4f1d7b2c-1b3e-"
                "11ef-8e3a-0242ac120002&STIRAttestation=A&STIRVerification="
                "Verified&SessionStart=2024-05-31+16%3A13%3A24.412345&To="
                "14155550100",
        .headers = no_headers,
    },
    {
        .name = "message-status",
        .description = "a delivery report for a message you sent",
        .method = "POST",
        .path_suffix = "/status",
        .content_type = "application/x-www-form-urlencoded",
        .body = "ErrorCode=&From=14155550100&MessageTime=2024-05-31+16%3A14"
                "%3A02+%2B0000+UTC&MessageUUID=8a2e4c6f-1b3e-11ef-b1d2-"
                "0242ac120002&ParentMessageUUID=8a2e4c6f-1b3e-11ef-b1d2-"
                "0242ac120002&PartInfo=1+of+1&PowerpackUUID=&Sequence=1&"
                "Status=delivered&To=14155550123&TotalAmount=0.00500&"
                "TotalRate=0.00500&Units=1",
        .headers = no_headers,
    },
    {0},
};

const struct whk_key plivo_keys[] = {
    {WHK_KEY_PARAM, "MessageUUID"},
    {WHK_KEY_PARAM, "CallUUID"},
    {0},
};

const struct whk_failure plivo_failures[] = {
    {
        .symptom = "validateV3Signature returns false for every callback",
        .cause = "the app passes another URL than the one Plivo requested "
                 "(http instead of https behind a proxy, another host or "
                 "port, a missing query string), the body parsed as JSON "
                 "instead of a form, or another account's Auth Token",
        .fix = "pass the public URL with its query string, the form "
               "parameters (express.urlencoded), the nonce header and the "
               "Auth Token of the account that owns the application",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "X-Plivo-Signature-V3 is not a base64 HMAC-SHA256 value",
        .cause = "the header was cut, re-encoded or replaced on the way, or "
                 "the request was made by hand",
        .fix = "take the header as Plivo sent it (44 base64 characters, "
               "several separated by commas); sign test requests with 'whk "
               "sign'",
        .reason = WHK_REASON_MALFORMED_HEADER,
    },
    {
        .symptom = "the request has no X-Plivo-Signature-V3 or nonce header",
        .cause = "Plivo did not send the request (a health check, a "
                 "hand-made curl), or a proxy removed the headers",
        .fix = "send test requests with 'whk sign --curl' or 'whk test', and "
               "let the proxy pass the X-Plivo-Signature-* headers through",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "validation fails only for callbacks of a subaccount",
        .cause = "X-Plivo-Signature-V3 is signed with the subaccount's Auth "
                 "Token, and X-Plivo-Signature-Ma-V3 with the main "
                 "account's",
        .fix = "validate X-Plivo-Signature-V3 with the subaccount's token, "
               "or X-Plivo-Signature-Ma-V3 with the main account's",
        .reason = WHK_REASON_SECRET,
    },
    {
        .symptom = "request.body is empty or lacks From, To and Text",
        .cause = "Plivo posts application/x-www-form-urlencoded and the app "
                 "parses only JSON",
        .fix = "add a form parser, e.g. express.urlencoded({ extended: "
               "false }) in Express or request.form in Flask",
        .reason = WHK_REASON_FIELDS_UNREAD,
    },
    {
        .symptom = "the call drops or plays an error right after it is "
                   "answered",
        .cause = "the Answer URL returned something other than Plivo XML, "
                 "such as JSON, HTML or an empty body",
        .fix = "answer with Content-Type application/xml and a Plivo XML "
               "document such as <Response></Response>",
        .reason = WHK_REASON_RESPONSE,
    },
    {
        .symptom = "the endpoint accepts requests with a forged or missing "
                   "X-Plivo-Signature-V3",
        .cause = "the app does not validate the signature, or validates it "
                 "and acts on the request anyway",
        .fix = "call plivo.validateV3Signature on every request and answer "
               "403 before doing anything when it returns false",
        .reason = WHK_REASON_FORGERY_ACCEPTED,
    },
    {0},
};
