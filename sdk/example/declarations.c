/* SPDX-License-Identifier: MIT */
/* Acme Parcels: dashboard fields, sample deliveries, keys and failures. */
#include "acme.h"

const struct whk_field acme_fields[] = {
    {
        .section = "Developers > Webhooks > Add endpoint",
        .name = "Endpoint URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "Acme signs the body only, so any URL works behind a proxy",
    },
    {
        .section = "Developers > Webhooks > Add endpoint",
        .name = "Events",
        .value = "parcel.delivered, parcel.exception",
    },
    {
        .section = "Your app's environment",
        .name = "Signing secret variable",
        .value = "{{SECRET_ENV}}",
        .note = "copy the endpoint's signing secret into this variable",
    },
    {0},
};

static const char *const json_headers[] = {"Acme-Delivery: dlv_7Hq2Lx", NULL};

/* Tracking numbers and addresses are made up. */
const struct whk_sample acme_samples[] = {
    {
        .name = "parcel-delivered",
        .description = "a parcel reached its recipient",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"id\":\"evt_01HZX4\",\"type\":\"parcel.delivered\","
                "\"created\":1767225600,\"data\":{\"tracking\":"
                "\"AC123456789\",\"signed_by\":\"R. Müller\"}}",
        .headers = json_headers,
    },
    {
        .name = "parcel-exception",
        .description = "a delivery attempt failed",
        .method = "POST",
        .content_type = "application/json",
        .body = "{\"id\":\"evt_01HZX5\",\"type\":\"parcel.exception\","
                "\"created\":1767229200,\"data\":{\"tracking\":"
                "\"AC987654321\",\"reason\":\"address_not_found\"}}",
        .headers = json_headers,
    },
    {0},
};

const struct whk_key acme_keys[] = {
    {WHK_KEY_JSON, "/id"},
    {WHK_KEY_HEADER, "Acme-Delivery"},
    {0},
};

const struct whk_failure acme_failures[] = {
    {
        .symptom = "signature mismatch although the secret is right",
        .cause = "the app hashed a re-serialized JSON body instead of the "
                 "raw bytes Acme sent",
        .fix = "verify the raw request body before parsing it",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "the timestamp is outside the tolerance",
        .cause = "the server clock is off, or an old delivery was replayed",
        .fix = "synchronize the clock with NTP; Acme allows 300 s",
        .reason = WHK_REASON_TIMESTAMP_OLD,
    },
    {0},
};
