/* SPDX-License-Identifier: MIT */
/* HubSpot's app settings fields, sample deliveries, keys and failures. */
#include "hubspot.h"

const struct whk_field hubspot_fields[] = {
    {
        .section = "Developer account > Apps > (your app) > Webhooks",
        .name = "Target URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "HubSpot signs this URL as it calls it, query string "
                "included, with :/?@!$'()*,; escapes decoded",
    },
    {
        .section = "Developer account > Apps > (your app) > Webhooks",
        .name = "Event subscriptions",
        .value = "contact.creation, contact.propertyChange",
        .note = "each POST carries a JSON array of up to 100 events; "
                "'Test' beside a subscription sends a signed sample",
    },
    {
        .section = "Developer account > Apps > (your app) > Webhooks",
        .name = "Event throttling",
        .value = "10",
        .note = "the number of requests HubSpot sends at once",
        .optional = 1,
    },
    {
        .section = "Your app's environment",
        .name = "Client secret variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the app's Client secret (Auth tab) under this name",
    },
    {0},
};

static const char *const no_headers[] = {NULL};

/* Ids, portal 62515 and the addresses are made up. */
const struct whk_sample hubspot_samples[] = {
    {
        .name = "contact-creation",
        .description = "a new contact (contact.creation)",
        .method = "POST",
        .content_type = "application/json",
        .body = "[{\"eventId\":1893421057,\"subscriptionId\":2417833,\"portalI"
                "d\":62515,\"appId\":1160452,\"occurredAt\":1718035201442,\"su"
                "bscriptionType\":\"contact.creation\",\"attemptNumber\":0,\"o"
                "bjectId\":51234567801,\"changeFlag\":\"CREATED\",\"changeSour"
                "ce\":\"CRM_UI\",\"sourceId\":\"userId:7731155\"}]",
        .headers = no_headers,
    },
    {
        .name = "contact-property-change",
        .description = "two property changes in one batch "
                       "(contact.propertyChange)",
        .method = "POST",
        .content_type = "application/json",
        .body = "[{\"eventId\":3310947722,\"subscriptionId\":2417834,\"portalI"
                "d\":62515,\"appId\":1160452,\"occurredAt\":1718035262907,\"su"
                "bscriptionType\":\"contact.propertyChange\",\"attemptNumber\""
                ":0,\"objectId\":51234567801,\"propertyName\":\"email\",\"prop"
                "ertyValue\":\"jo\\u00eblle.martin@example.com\",\"changeSourc"
                "e\":\"CRM_UI\",\"sourceId\":\"userId:7731155\"},{\"eventId\":"
                "3310947723,\"subscriptionId\":2417835,\"portalId\":62515,\"ap"
                "pId\":1160452,\"occurredAt\":1718035262907,\"subscriptionType"
                "\":\"contact.propertyChange\",\"attemptNumber\":0,\"objectId"
                "\":51234567801,\"propertyName\":\"lifecyclestage\",\"property"
                "Value\":\"salesqualifiedlead\",\"changeSource\":\"CRM_UI\",\""
                "sourceId\":\"userId:7731155\"}]",
        .headers = no_headers,
    },
    {0},
};

/* The eventId of the batch's first event; a retry resends the same batch. */
const struct whk_key hubspot_keys[] = {
    {WHK_KEY_JSON, "/0/eventId"},
    {0},
};

const struct whk_failure hubspot_failures[] = {
    {
        .symptom = "Signature.isValid() returns false for every request",
        .cause = "the body was parsed and re-serialized before hashing, the "
                 "secret is another app's or a private app's access token, "
                 "or the URI differs from the one HubSpot called",
        .fix = "hash the raw body (express.raw()), the app's client secret, "
               "and the public URL with the listed %-escapes decoded",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "requests fail validation only behind a proxy or tunnel",
        .cause = "the app rebuilt the URI from its local host, port or "
                 "http:// scheme, not the https:// URL HubSpot called",
        .fix = "sign the Target URL exactly, or rebuild it from "
               "X-Forwarded-Proto and X-Forwarded-Host",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "requests with a query string fail, others pass",
        .cause = "the app hashed the URI with its %3A, %2F, %40 and similar "
                 "escapes still encoded; @hubspot/api-client hashes the URL "
                 "it is given and decodes nothing",
        .fix = "decode %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B in "
               "the URI before calling Signature.isValid()",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "'Timestamp is invalid, reject request' is thrown",
        .cause = "X-HubSpot-Request-Timestamp is more than 5 minutes old: a "
                 "replay, a delayed retry, or a server clock that is ahead",
        .fix = "sync the clock with NTP; a retry carries a fresh timestamp",
        .reason = WHK_REASON_TIMESTAMP_OLD,
    },
    {
        .symptom = "the timestamp is ahead of the server's clock",
        .cause = "the server's clock is behind; @hubspot/api-client accepts "
                 "such requests, whk does not",
        .fix = "sync the clock with NTP, or pass --tolerance SECONDS",
        .reason = WHK_REASON_TIMESTAMP_FUTURE,
    },
    {
        .symptom = "X-HubSpot-Signature-v3 is missing",
        .cause = "the request did not come from HubSpot, or the code reads "
                 "X-HubSpot-Signature, the older v1 or v2 signature",
        .fix = "read X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "the same event arrives several times",
        .cause = "the app answered too slowly, or with a status other than "
                 "2xx, 400, 401, 403, 404 and 405, so HubSpot retried the "
                 "batch",
        .fix = "answer 200 at once, process later, and skip events whose "
               "eventId was seen",
    },
    {0},
};
