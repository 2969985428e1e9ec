/* SPDX-License-Identifier: MIT */
/* GitLab's webhook settings, sample events, keys and common failures. */
#include "gitlab.h"

/* Section names follow a project's Settings > Webhooks page. */
const struct whk_field gitlab_fields[] = {
    {
        .section = "Settings > Webhooks > Add new webhook",
        .name = "URL",
        .value = "{{WEBHOOK_URL}}",
        .note = "GitLab posts each event as JSON; percent-encode special "
                "characters",
    },
    {
        .section = "Settings > Webhooks > Add new webhook",
        .name = "Secret token",
        .value = "the value of {{SECRET_ENV}}",
        .note = "GitLab sends it unchanged in X-Gitlab-Token; make one "
                "with 'openssl rand -hex 32' and export the same value as "
                "{{SECRET_ENV}}",
    },
    {
        .section = "Settings > Webhooks > Add new webhook > Trigger",
        .name = "Events",
        .value = "Push events, Merge request events",
        .note = "each event names itself in X-Gitlab-Event ('Push Hook', "
                "'Merge Request Hook')",
    },
    {
        .section = "Settings > Webhooks > Add new webhook",
        .name = "Enable SSL verification",
        .value = "checked",
        .note = "the token travels in clear text without TLS",
    },
    {
        .section = "Your app's environment",
        .name = "Secret token variable",
        .value = "{{SECRET_ENV}}",
        .note = "export the Secret token under this name; whk and your app "
                "read it from there",
    },
    {0},
};

/* The headers GitLab 17.4 and later send besides X-Gitlab-Token. */
static const char *const push_headers[] = {
    "User-Agent: GitLab/17.5.1",
    "X-Gitlab-Event: Push Hook",
    "X-Gitlab-Instance: https://gitlab.example.com",
    "X-Gitlab-Webhook-UUID: 3f9c2a71-6d0e-4b8a-9c55-1e2f7a8b9c0d",
    "X-Gitlab-Event-UUID: 8e1d4c2b-7a6f-4e3d-a2b1-c0d9e8f7a6b5",
    "Idempotency-Key: 5b7e9f1a-3c2d-4e6f-8a0b-1c2d3e4f5a6b",
    NULL,
};

static const char *const merge_request_headers[] = {
    "User-Agent: GitLab/17.5.1",
    "X-Gitlab-Event: Merge Request Hook",
    "X-Gitlab-Instance: https://gitlab.example.com",
    "X-Gitlab-Webhook-UUID: 3f9c2a71-6d0e-4b8a-9c55-1e2f7a8b9c0d",
    "X-Gitlab-Event-UUID: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "Idempotency-Key: c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f",
    NULL,
};

/* Ids, names and addresses are made up; the shapes follow GitLab 17. */
const struct whk_sample gitlab_samples[] = {
    {
        .name = "push",
        .description = "a push of one commit to main (Push Hook)",
        .method = "POST",
        .content_type = "application/json",
        .body =
            "{\"object_kind\":\"push\",\"event_name\":\"push\",\"before\":\"957"
            "90bf891e76fee5e1747ab589903a6a1f80f22\",\"after\":\"da1560886d4f09"
            "4c3e6c9ef40349f7d38b5d27d7\",\"ref\":\"refs/heads/main\",\"ref_pro"
            "tected\":true,\"checkout_sha\":\"da1560886d4f094c3e6c9ef40349f7d38"
            "b5d27d7\",\"message\":null,\"user_id\":4,\"user_name\":\"Jo\\u00eb"
            "lle Martin\",\"user_username\":\"jmartin\",\"user_email\":\"\",\"u"
            "ser_avatar\":\"https://gitlab.example.com/uploads/-/system/user/av"
            "atar/4/avatar.png\",\"project_id\":15,\"project\":{\"id\":15,\"nam"
            "e\":\"Billing API\",\"description\":\"Invoices and payments\",\"we"
            "b_url\":\"https://gitlab.example.com/acme/billing-api\",\"avatar_u"
            "rl\":null,\"git_ssh_url\":\"git@gitlab.example.com:acme/billing-ap"
            "i.git\",\"git_http_url\":\"https://gitlab.example.com/acme/billing"
            "-api.git\",\"namespace\":\"Acme\",\"visibility_level\":0,\"path_wi"
            "th_namespace\":\"acme/billing-api\",\"default_branch\":\"main\",\""
            "ci_config_path\":null,\"homepage\":\"https://gitlab.example.com/ac"
            "me/billing-api\",\"url\":\"git@gitlab.example.com:acme/billing-api"
            ".git\",\"ssh_url\":\"git@gitlab.example.com:acme/billing-api.git\""
            ",\"http_url\":\"https://gitlab.example.com/acme/billing-api.git\"}"
            ",\"commits\":[{\"id\":\"da1560886d4f094c3e6c9ef40349f7d38b5d27d7\""
            ",\"message\":\"Round invoice totals half to even\\n\\nCloses #118"
            "\\n\",\"title\":\"Round invoice totals half to even\",\"timestamp"
            "\":\"2024-10-02T09:14:37+02:00\",\"url\":\"https://gitlab.example."
            "com/acme/billing-api/-/commit/da1560886d4f094c3e6c9ef40349f7d38b5d"
            "27d7\",\"author\":{\"name\":\"Jo\\u00eblle Martin\",\"email\":\"jo"
            "elle@example.com\"},\"added\":[\"src/rounding.c\"],\"modified\":["
            "\"src/invoice.c\",\"tests/invoice_test.c\"],\"removed\":[]}],\"tot"
            "al_commits_count\":1,\"push_options\":{},\"repository\":{\"name\":"
            "\"Billing API\",\"url\":\"git@gitlab.example.com:acme/billing-api."
            "git\",\"description\":\"Invoices and payments\",\"homepage\":\"htt"
            "ps://gitlab.example.com/acme/billing-api\",\"git_http_url\":\"http"
            "s://gitlab.example.com/acme/billing-api.git\",\"git_ssh_url\":\"gi"
            "t@gitlab.example.com:acme/billing-api.git\",\"visibility_level\":0"
            "}}",
        .headers = push_headers,
    },
    {
        .name = "merge-request",
        .description = "a merge request opened (Merge Request Hook)",
        .method = "POST",
        .content_type = "application/json",
        .body =
            "{\"object_kind\":\"merge_request\",\"event_type\":\"merge_request"
            "\",\"user\":{\"id\":7,\"name\":\"Sam Okafor\",\"username\":\"sokaf"
            "or\",\"avatar_url\":\"https://gitlab.example.com/uploads/-/system/"
            "user/avatar/7/avatar.png\",\"email\":\"[REDACTED]\"},\"project\":{"
            "\"id\":15,\"name\":\"Billing API\",\"description\":\"Invoices and "
            "payments\",\"web_url\":\"https://gitlab.example.com/acme/billing-a"
            "pi\",\"avatar_url\":null,\"git_ssh_url\":\"git@gitlab.example.com:"
            "acme/billing-api.git\",\"git_http_url\":\"https://gitlab.example.c"
            "om/acme/billing-api.git\",\"namespace\":\"Acme\",\"visibility_leve"
            "l\":0,\"path_with_namespace\":\"acme/billing-api\",\"default_branc"
            "h\":\"main\",\"ci_config_path\":null,\"homepage\":\"https://gitlab"
            ".example.com/acme/billing-api\",\"url\":\"git@gitlab.example.com:a"
            "cme/billing-api.git\",\"ssh_url\":\"git@gitlab.example.com:acme/bi"
            "lling-api.git\",\"http_url\":\"https://gitlab.example.com/acme/bil"
            "ling-api.git\"},\"object_attributes\":{\"id\":9021,\"iid\":42,\"ti"
            "tle\":\"Round invoice totals half to even\",\"description\":\"Tota"
            "ls of 0.5 cent now round to the even cent.\",\"state\":\"opened\","
            "\"action\":\"open\",\"source_branch\":\"rounding\",\"target_branch"
            "\":\"main\",\"source_project_id\":15,\"target_project_id\":15,\"au"
            "thor_id\":7,\"assignee_ids\":[4],\"reviewer_ids\":[4],\"merge_stat"
            "us\":\"checking\",\"detailed_merge_status\":\"checking\",\"draft\""
            ":false,\"work_in_progress\":false,\"created_at\":\"2024-10-02 07:2"
            "0:11 UTC\",\"updated_at\":\"2024-10-02 07:20:11 UTC\",\"last_commi"
            "t\":{\"id\":\"da1560886d4f094c3e6c9ef40349f7d38b5d27d7\",\"message"
            "\":\"Round invoice totals half to even\\n\",\"title\":\"Round invo"
            "ice totals half to even\",\"timestamp\":\"2024-10-02T09:14:37+02:0"
            "0\",\"url\":\"https://gitlab.example.com/acme/billing-api/-/commit"
            "/da1560886d4f094c3e6c9ef40349f7d38b5d27d7\",\"author\":{\"name\":"
            "\"Jo\\u00eblle Martin\",\"email\":\"joelle@example.com\"}},\"url\""
            ":\"https://gitlab.example.com/acme/billing-api/-/merge_requests/42"
            "\",\"labels\":[]},\"labels\":[],\"changes\":{},\"repository\":{\"n"
            "ame\":\"Billing API\",\"url\":\"git@gitlab.example.com:acme/billin"
            "g-api.git\",\"description\":\"Invoices and payments\",\"homepage\""
            ":\"https://gitlab.example.com/acme/billing-api\"}}",
        .headers = merge_request_headers,
    },
    {0},
};

/* Idempotency-Key stays the same across resends; older GitLab lacks it. */
const struct whk_key gitlab_keys[] = {
    {WHK_KEY_HEADER, "Idempotency-Key"},
    {WHK_KEY_HEADER, "X-Gitlab-Event-UUID"},
    {0},
};

const struct whk_failure gitlab_failures[] = {
    {
        .symptom = "your app answers 401: X-Gitlab-Token does not match",
        .cause = "the webhook's Secret token differs from the variable the "
                 "app reads (edited on one side only, or copied with a "
                 "trailing newline)",
        .fix = "type the same value into Secret token and the variable; "
               "GitLab compares nothing itself and sends the field as-is",
        .reason = WHK_REASON_MISMATCH,
    },
    {
        .symptom = "the request has no X-Gitlab-Token header",
        .cause = "the webhook's Secret token field is empty, or the request "
                 "did not come from GitLab",
        .fix = "set Secret token in Settings > Webhooks, and reject "
               "requests without the header",
        .reason = WHK_REASON_MISSING_HEADER,
    },
    {
        .symptom = "the endpoint accepts a request with a wrong or missing "
                   "token",
        .cause = "the app does not compare X-Gitlab-Token with its secret, "
                 "or compares only when the header is present",
        .fix = "compare X-Gitlab-Token with the secret in constant time "
               "(crypto.timingSafeEqual) on every request and answer 401 "
               "when it differs or is absent",
        .reason = WHK_REASON_FORGERY_ACCEPTED,
    },
    {
        .symptom = "the webhook shows 'Failed to connect' and sends nothing",
        .cause = "the app answered 4xx, which GitLab takes for a "
                 "misconfiguration and disables the webhook until it is "
                 "re-enabled; 5xx answers and timeouts disable it for 1 "
                 "minute up to 24 hours",
        .fix = "answer 2xx to every event with a valid token, 4xx only for "
               "a wrong token, and re-enable the webhook with Test in "
               "Settings > Webhooks",
        .reason = WHK_REASON_RESPONSE,
    },
    {
        .symptom = "Recent events shows Net::ReadTimeout",
        .cause = "the app answered after GitLab's timeout (10 s on "
                 "GitLab.com; self-managed administrators can change it)",
        .fix = "answer 200 at once, process the event in a queue, and skip "
               "duplicates by Idempotency-Key",
        .reason = WHK_REASON_TIMEOUT,
    },
    {
        .symptom = "the token leaked into logs or a proxy",
        .cause = "the token is not a signature: anyone who sees one request "
                 "can forge every later one, and nothing covers the body",
        .fix = "keep SSL verification on, never log request headers, and "
               "change the Secret token on both sides if one was shown",
    },
    {0},
};
