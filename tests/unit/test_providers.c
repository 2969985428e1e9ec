/* SPDX-License-Identifier: MIT */
/* Check suite for the provider plugins beyond Twilio, loaded as built. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <whk/whk.h>

#include "harness.h"

/* Hex HMAC-SHA256 values for tests that need a well-formed wrong value. */
#define ZERO_HEX "0000000000000000000000000000000000000000000000000000000000000000"

static const char *const all_providers[] = {
    "stripe", "github", "slack", "shopify", "standardwebhooks", "svix",
    "sendgrid", "discord", "paddle"};
#define PROVIDER_COUNT (sizeof(all_providers) / sizeof(*all_providers))

static struct whk_provider *load(const char *name)
{
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};

    ck_assert_int_eq(whk_registry_open(&registry, WHK_BUILD_PROVIDERS_DIR,
                                       WHK_BUILD_PLUGIN_DIR, &err),
                     WHK_OK);
    if (whk_provider_load(registry, name, &provider, &err) != WHK_OK)
        ck_abort_msg("cannot load %s: %s", name, err.text);
    whk_registry_free(registry);
    return provider;
}

/* A request with body and "Name: value" header lines (NULL-terminated). */
static struct whk_request *request(const char *body, size_t body_len,
                                   const char *const *headers)
{
    struct whk_request *req = whk_request_new();

    ck_assert_ptr_nonnull(req);
    whk_request_set_url(req, "https://hooks.example.com/webhooks");
    whk_request_set_header(req, "Content-Type", "application/json");
    whk_request_set_body(req, body, body_len);
    for (size_t i = 0; headers && headers[i]; i++) {
        char name[128];
        const char *colon = strchr(headers[i], ':');

        ck_assert_ptr_nonnull(colon);
        snprintf(name, sizeof(name), "%.*s", (int)(colon - headers[i]),
                 headers[i]);
        whk_request_add_header(req, name, colon + 2);
    }
    return req;
}

struct outcome {
    enum whk_verdict_status status;
    char reason[32];
    char text[1024];
};

static struct outcome verify_request(const char *name, const char *secret,
                                     const struct whk_request *req,
                                     int64_t now, int64_t tolerance)
{
    struct whk_provider *provider = load(name);
    struct whk_context *ctx = whk_context_new();
    struct whk_verdict *verdict = whk_verdict_new();
    struct whk_span span = {secret, strlen(secret)};
    struct outcome out;

    whk_context_set_time(ctx, now);
    whk_context_set_tolerance(ctx, tolerance);
    whk_provider_verify(provider, ctx, req, span, verdict);
    out.status = whk_verdict_status(verdict);
    snprintf(out.reason, sizeof(out.reason), "%s",
             whk_reason_name(whk_verdict_reason(verdict)));
    snprintf(out.text, sizeof(out.text), "%s", whk_verdict_text(verdict));
    whk_verdict_free(verdict);
    whk_context_free(ctx);
    whk_provider_free(provider);
    return out;
}

static struct outcome verify_headers(const char *name, const char *secret,
                                     const char *body,
                                     const char *const *headers,
                                     int64_t now)
{
    struct whk_request *req = request(body, strlen(body), headers);
    struct outcome out = verify_request(name, secret, req, now, -1);

    whk_request_free(req);
    return out;
}

/* Signs body as provider name at time, with id when not NULL. */
static struct whk_request *sign_body(const char *name, const char *secret,
                                     const char *body, size_t len,
                                     int64_t time, const char *id)
{
    struct whk_provider *provider = load(name);
    struct whk_context *ctx = whk_context_new();
    struct whk_request *req = request(body, len, NULL);
    struct whk_span span = {secret, strlen(secret)};
    struct whk_error err = {0};

    whk_context_set_time(ctx, time);
    if (id != NULL)
        whk_context_set_id(ctx, id);
    if (whk_provider_sign(provider, ctx, req, span, &err) != WHK_OK)
        ck_abort_msg("%s cannot sign: %s", name, err.text);
    whk_context_free(ctx);
    whk_provider_free(provider);
    return req;
}

START_TEST(github_published_vector)
{
    const char *secret = "It's a Secret to Everybody";
    struct whk_request *req = sign_body("github", secret, "Hello, World!", 13,
                                        0, NULL);
    struct outcome out;

    ck_assert_str_eq(whk_request_header(req, "X-Hub-Signature-256"),
                     "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c"
                     "46f4379c8b043e17");
    out = verify_request("github", secret, req, 0, -1);
    ck_assert_int_eq(out.status, WHK_VALID);
    whk_request_free(req);
}
END_TEST

static const char slack_body[] =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain="
    "testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&"
    "user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url="
    "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F"
    "96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";

START_TEST(slack_published_vector)
{
    const char *secret = "8f742231b10e8888abcd99yyyzzz85a5";
    const char *const headers[] = {
        "X-Slack-Request-Timestamp: 1531420618",
        "X-Slack-Signature: v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd"
        "27519666489c69b503",
        NULL};
    struct whk_request *req = sign_body("slack", secret, slack_body,
                                        strlen(slack_body), 1531420618, NULL);
    struct outcome out;

    ck_assert_str_eq(whk_request_header(req, "X-Slack-Signature"),
                     headers[1] + strlen("X-Slack-Signature: "));
    out = verify_headers("slack", secret, slack_body, headers, 1531420700);
    ck_assert_msg(out.status == WHK_VALID, "%s", out.text);
    whk_request_free(req);
}
END_TEST

START_TEST(standard_webhooks_published_vector)
{
    const char *secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const char *body = "{\"test\": 2432232314}";
    const char *signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    const char *const webhook[] = {
        "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp: 1614265330",
        "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        NULL};
    const char *const svix[] = {
        "svix-id: msg_p5jXN8AQM9LWM0D4loKWxJek", "svix-timestamp: 1614265330",
        "svix-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        NULL};
    struct whk_request *req =
        sign_body("standardwebhooks", secret, body, strlen(body), 1614265330,
                  "msg_p5jXN8AQM9LWM0D4loKWxJek");
    struct outcome out;

    ck_assert_str_eq(whk_request_header(req, "webhook-signature"), signature);
    out = verify_headers("standardwebhooks", secret, body, webhook,
                         1614265330);
    ck_assert_msg(out.status == WHK_VALID, "%s", out.text);
    out = verify_headers("standardwebhooks", secret, body, svix, 1614265330);
    ck_assert_msg(out.status == WHK_VALID, "%s", out.text);
    out = verify_headers("svix", secret, body, svix, 1614265330);
    ck_assert_msg(out.status == WHK_VALID, "%s", out.text);
    whk_request_free(req);
}
END_TEST

/* RFC 8032 test 2 as a Discord request: empty timestamp, body "r". */
START_TEST(discord_rfc8032_vector)
{
    const char *key = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f1"
                      "2af4660c";
    const char *const headers[] = {
        "X-Signature-Timestamp: ",
        "X-Signature-Ed25519: 92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8f"
        "b3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d2"
        "91612bb0c00",
        NULL};
    struct outcome out = verify_headers("discord", key, "r", headers, 0);

    ck_assert_msg(out.status == WHK_VALID, "%s", out.text);
    out = verify_headers("discord", key, "s", headers, 0);
    ck_assert_int_eq(out.status, WHK_INVALID);
    ck_assert_str_eq(out.reason, "mismatch");
}
END_TEST

START_TEST(declarations_complete)
{
    struct whk_provider *provider = load(all_providers[_i]);
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    size_t samples = 0, keys = 0, fields = 0, fixes = 0;

    for (const struct whk_sample *s = d->samples; s && s->name; s++)
        samples += s->body != NULL && s->description != NULL;
    for (const struct whk_key *k = d->idempotency_keys; k && k->name; k++)
        keys++;
    for (const struct whk_field *f = d->fields; f && f->name; f++)
        fields += f->value != NULL;
    for (const struct whk_failure *f = d->failures; f && f->symptom; f++)
        fixes += f->cause != NULL && f->fix != NULL;

    ck_assert_str_eq(d->name, all_providers[_i]);
    ck_assert_ptr_nonnull(d->docs_url);
    ck_assert_ptr_nonnull(d->algorithm);
    ck_assert_ptr_nonnull(d->signature_headers[0]);
    ck_assert_ptr_nonnull(d->secret.env);
    ck_assert_ptr_nonnull(d->secret.form);
    ck_assert_ptr_nonnull(d->secret.where);
    ck_assert_uint_ge(samples, 2);
    ck_assert_uint_ge(keys, 1);
    ck_assert_uint_ge(fields, 2);
    ck_assert_uint_ge(fixes, 4);
    ck_assert_uint_gt(d->timeout_ms, 0);
    ck_assert_ptr_nonnull(d->timeout_error);
    ck_assert_ptr_nonnull(d->retries);
    ck_assert(d->flags & WHK_SIGNS_BODY);
    whk_provider_free(provider);
}
END_TEST

/* Test key pairs made at test time; they belong to no account. */
static char *private_pem(const char *algorithm)
{
    EVP_PKEY *pkey = strcmp(algorithm, "EC") == 0
                         ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")
                         : EVP_PKEY_Q_keygen(NULL, NULL, algorithm);
    BIO *bio = BIO_new(BIO_s_mem());
    char *data, *pem;
    long len;

    ck_assert_ptr_nonnull(pkey);
    PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
    len = BIO_get_mem_data(bio, &data);
    pem = strndup(data, (size_t)len);
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    return pem;
}

static char *public_text(enum whk_pkey_type type, const char *pem)
{
    struct whk_pkey *key = NULL;
    char *text;

    ck_assert_int_eq(whk_pkey_load_private(type, pem, strlen(pem), &key,
                                           NULL),
                     WHK_OK);
    text = whk_pkey_public_text(key);
    whk_pkey_free(key);
    return text;
}

/* Signing and verifying secrets for provider name: shared, or a pair. */
static void secrets_for(const char *name, char **sign_secret,
                        char **verify_secret)
{
    if (strcmp(name, "sendgrid") == 0 || strcmp(name, "discord") == 0) {
        int ec = strcmp(name, "sendgrid") == 0;

        *sign_secret = private_pem(ec ? "EC" : "ED25519");
        *verify_secret = public_text(ec ? WHK_PKEY_P256 : WHK_PKEY_ED25519,
                                     *sign_secret);
        return;
    }
    if (strcmp(name, "stripe") == 0 || strcmp(name, "standardwebhooks") == 0 ||
        strcmp(name, "svix") == 0)
        *sign_secret = strdup("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    else if (strcmp(name, "paddle") == 0)
        *sign_secret = strdup("pdl_ntfset_01j5a3c9x4m2n7p8q9r0s1t2v3_"
                              "Xf9aQ2rT5yU8iO1pL4kJ7hG0");
    else
        *sign_secret = strdup("8f742231b10e8888abcd99aa0fe185a5");
    *verify_secret = strdup(*sign_secret);
}

START_TEST(samples_sign_and_verify)
{
    struct whk_provider *provider = load(all_providers[_i]);
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    char *sign_secret, *verify_secret;

    secrets_for(all_providers[_i], &sign_secret, &verify_secret);
    for (const struct whk_sample *s = d->samples; s->name; s++) {
        struct whk_request *req =
            sign_body(all_providers[_i], sign_secret, s->body,
                      strlen(s->body), 1723630532, NULL);
        struct outcome out = verify_request(all_providers[_i], verify_secret,
                                            req, 1723630533, -1);

        ck_assert_msg(out.status == WHK_VALID, "%s sample %s: %s",
                      all_providers[_i], s->name, out.text);
        whk_request_set_body(req, "{}", 2);
        out = verify_request(all_providers[_i], verify_secret, req,
                             1723630533, -1);
        ck_assert_msg(out.status == WHK_INVALID, "%s sample %s: %s",
                      all_providers[_i], s->name, out.text);
        whk_request_free(req);
    }
    free(sign_secret);
    free(verify_secret);
    whk_provider_free(provider);
}
END_TEST

/* A header that must be invalid with reason and a phrase of the text. */
static const struct {
    const char *provider;
    const char *headers[4];
    const char *reason;
    const char *phrase;
} malformed[] = {
    {"stripe", {"Stripe-Signature: v1=" ZERO_HEX}, "malformed_header",
     "no t= timestamp"},
    {"stripe", {"Stripe-Signature: t=1,t=2,v1=" ZERO_HEX}, "malformed_header",
     "2 t= timestamps"},
    {"stripe", {"Stripe-Signature: t=12ab,v1=" ZERO_HEX}, "malformed_header",
     "not a whole number"},
    {"stripe", {"Stripe-Signature: t=100"}, "malformed_header",
     "no v1= signature"},
    {"stripe", {"Stripe-Signature: t=100,v0=abc"}, "malformed_header",
     "only v0="},
    {"stripe", {"Stripe-Signature: t=100,v1=zz"}, "malformed_header",
     "hex HMAC-SHA256"},
    {"stripe", {"Stripe-Signature: t=100,v1=abcd"}, "malformed_header",
     "hex HMAC-SHA256"},
    {"stripe", {"Stripe-Signature: t=100,garbage"}, "malformed_header",
     "has no '='"},
    {"stripe", {"Stripe-Signature: t=100,=x"}, "malformed_header",
     "empty key"},
    {"stripe", {"Stripe-Signature: "}, "malformed_header", "no t="},
    {"stripe", {"X-Other: 1"}, "missing_header", "Stripe-Signature"},
    {"github", {"X-Hub-Signature-256: md5=" ZERO_HEX}, "malformed_header",
     "does not start with 'sha256='"},
    {"github", {"X-Hub-Signature-256: sha256=" ZERO_HEX "0"},
     "malformed_header", "65 hex digits"},
    {"github", {"X-Hub-Signature-256: sha256=g" ZERO_HEX},
     "malformed_header", "not a hex digit"},
    {"github", {"X-Other: 1"}, "missing_header", "X-Hub-Signature-256"},
    {"slack", {"X-Slack-Signature: v0=" ZERO_HEX}, "missing_header",
     "X-Slack-Request-Timestamp"},
    {"slack",
     {"X-Slack-Signature: v1=" ZERO_HEX, "X-Slack-Request-Timestamp: 100"},
     "malformed_header", "'v0='"},
    {"slack",
     {"X-Slack-Signature: v0=" ZERO_HEX, "X-Slack-Request-Timestamp: 1e2"},
     "malformed_header", "not a whole number"},
    {"slack",
     {"X-Slack-Signature: v0=00", "X-Slack-Request-Timestamp: 100"},
     "malformed_header", "2 hex digits"},
    {"shopify", {"X-Shopify-Hmac-Sha256: not base64!"}, "malformed_header",
     "base64"},
    {"shopify", {"X-Shopify-Hmac-Sha256: " ZERO_HEX}, "malformed_header",
     "decodes to 48 bytes"},
    {"standardwebhooks",
     {"webhook-id: msg_1", "webhook-timestamp: 100",
      "webhook-signature: v1"},
     "malformed_header", "has no ','"},
    {"standardwebhooks",
     {"webhook-id: msg_1", "webhook-timestamp: 100",
      "webhook-signature: v2,AAAA"},
     "malformed_header", "no 'v1,' signature"},
    {"standardwebhooks",
     {"webhook-id: msg_1", "webhook-timestamp: 100",
      "webhook-signature: v1,AAAA"},
     "malformed_header", "no 'v1,' value"},
    {"standardwebhooks",
     {"webhook-timestamp: 100", "webhook-signature: v1,AAAA"},
     "missing_header", "webhook-id"},
    {"standardwebhooks",
     {"webhook-id: msg_1", "webhook-timestamp: soon",
      "webhook-signature: v1,AAAA"},
     "malformed_header", "not a whole number"},
    {"paddle", {"Paddle-Signature: h1=" ZERO_HEX}, "malformed_header",
     "no ts= timestamp"},
    {"paddle", {"Paddle-Signature: ts=100;ts=100;h1=" ZERO_HEX},
     "malformed_header", "2 ts= timestamps"},
    {"paddle", {"Paddle-Signature: ts=100"}, "malformed_header",
     "no h1= signature"},
    {"paddle", {"Paddle-Signature: ts=100;h1=xyz"}, "malformed_header",
     "hex HMAC-SHA256"},
    {"discord",
     {"X-Signature-Ed25519: xyz", "X-Signature-Timestamp: 100"},
     "malformed_header", "hex Ed25519"},
    {"discord",
     {"X-Signature-Ed25519: " ZERO_HEX, "X-Signature-Timestamp: 100"},
     "malformed_header", "64 hex digits"},
    {"discord", {"X-Signature-Ed25519: " ZERO_HEX}, "missing_header",
     "X-Signature-Timestamp"},
    {"sendgrid",
     {"X-Twilio-Email-Event-Webhook-Signature: !!",
      "X-Twilio-Email-Event-Webhook-Timestamp: 100"},
     "malformed_header", "not base64"},
    {"sendgrid",
     {"X-Twilio-Email-Event-Webhook-Signature: AAAA",
      "X-Twilio-Email-Event-Webhook-Timestamp: 100"},
     "mismatch", "not a valid encoding"},
};

START_TEST(malformed_headers_invalid)
{
    const char *name = malformed[_i].provider;
    char *sign_secret, *verify_secret;
    struct outcome out;

    secrets_for(name, &sign_secret, &verify_secret);
    out = verify_headers(name, verify_secret, "{\"id\":1}",
                         malformed[_i].headers, 100);
    ck_assert_int_eq(out.status, WHK_INVALID);
    ck_assert_msg(strcmp(out.reason, malformed[_i].reason) == 0,
                  "%s case %d: reason %s (%s)", name, _i, out.reason,
                  out.text);
    ck_assert_msg(strstr(out.text, malformed[_i].phrase) != NULL,
                  "%s case %d: '%s' lacks '%s'", name, _i, out.text,
                  malformed[_i].phrase);
    free(sign_secret);
    free(verify_secret);
}
END_TEST

/* Providers with a default tolerance, and that tolerance. */
static const struct {
    const char *provider;
    int64_t tolerance;
} tolerances[] = {
    {"stripe", 300}, {"slack", 300}, {"standardwebhooks", 300},
    {"svix", 300},   {"paddle", 5},
};

static struct outcome verify_signed_at(const char *name, int64_t signed_at,
                                       int64_t now, int64_t tolerance)
{
    char *sign_secret, *verify_secret;
    struct whk_request *req;
    struct outcome out;

    secrets_for(name, &sign_secret, &verify_secret);
    req = sign_body(name, sign_secret, "{\"a\":1}", 7, signed_at, NULL);
    out = verify_request(name, verify_secret, req, now, tolerance);
    whk_request_free(req);
    free(sign_secret);
    free(verify_secret);
    return out;
}

START_TEST(timestamp_edges)
{
    const char *name = tolerances[_i].provider;
    int64_t tol = tolerances[_i].tolerance, t = 1700000000;
    struct outcome out;
    char phrase[64];

    out = verify_signed_at(name, t, t + tol, -1);
    ck_assert_msg(out.status == WHK_VALID, "%s: %s", name, out.text);
    out = verify_signed_at(name, t, t - tol, -1);
    ck_assert_msg(out.status == WHK_VALID, "%s: %s", name, out.text);

    out = verify_signed_at(name, t, t + tol + 1, -1);
    ck_assert_str_eq(out.reason, "timestamp_too_old");
    snprintf(phrase, sizeof(phrase), "%lld s in the past",
             (long long)tol + 1);
    ck_assert_msg(strstr(out.text, phrase), "%s: %s", name, out.text);

    out = verify_signed_at(name, t, t - tol - 1, -1);
    ck_assert_str_eq(out.reason, "timestamp_in_future");
    snprintf(phrase, sizeof(phrase), "%lld s in the future",
             (long long)tol + 1);
    ck_assert_msg(strstr(out.text, phrase), "%s: %s", name, out.text);

    out = verify_signed_at(name, t, t + 11, 10);
    ck_assert_str_eq(out.reason, "timestamp_too_old");
    ck_assert_msg(strstr(out.text, "tolerance of 10 s"), "%s", out.text);
    out = verify_signed_at(name, t, t + 10, 10);
    ck_assert_int_eq(out.status, WHK_VALID);
}
END_TEST

/* Key-pair schemes check the timestamp only when a tolerance is given. */
START_TEST(timestamp_optional_for_key_pairs)
{
    const char *name = _i == 0 ? "sendgrid" : "discord";
    int64_t t = 1700000000;
    struct outcome out;

    out = verify_signed_at(name, t, t + 86400, -1);
    ck_assert_msg(out.status == WHK_VALID, "%s: %s", name, out.text);
    out = verify_signed_at(name, t, t + 61, 60);
    ck_assert_str_eq(out.reason, "timestamp_too_old");
    out = verify_signed_at(name, t, t - 61, 60);
    ck_assert_str_eq(out.reason, "timestamp_in_future");
    out = verify_signed_at(name, t, t + 60, 60);
    ck_assert_int_eq(out.status, WHK_VALID);
}
END_TEST

/* Builds a header with the valid signature at position, among wrong ones. */
START_TEST(rotation_any_order)
{
    const char *secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const char *wrong_b64 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    int position = _i % 3;
    struct whk_request *req;
    char header[512], valid[128];
    struct outcome out;

    /* Stripe: "t=T,v1=X,v1=Y,v1=Z". */
    req = sign_body("stripe", secret, "{}", 2, 1000, NULL);
    snprintf(valid, sizeof(valid), "%s",
             strchr(whk_request_header(req, "Stripe-Signature"), ',') + 1);
    snprintf(header, sizeof(header), "t=1000,%s,%s,%s",
             position == 0 ? valid : "v1=" ZERO_HEX,
             position == 1 ? valid : "v1=" ZERO_HEX,
             position == 2 ? valid : "v1=" ZERO_HEX);
    whk_request_set_header(req, "Stripe-Signature", header);
    out = verify_request("stripe", secret, req, 1000, -1);
    ck_assert_msg(out.status == WHK_VALID, "%s", out.text);
    whk_request_free(req);

    /* Standard Webhooks: "v1,X v1,Y v1,Z". */
    req = sign_body("standardwebhooks", secret, "{}", 2, 1000, "msg_1");
    snprintf(valid, sizeof(valid), "%s",
             whk_request_header(req, "webhook-signature"));
    snprintf(header, sizeof(header), "%s%s %s%s %s%s",
             position == 0 ? "" : "v1,", position == 0 ? valid : wrong_b64,
             position == 1 ? "" : "v1,", position == 1 ? valid : wrong_b64,
             position == 2 ? "" : "v1,", position == 2 ? valid : wrong_b64);
    whk_request_set_header(req, "webhook-signature", header);
    out = verify_request("standardwebhooks", secret, req, 1000, -1);
    ck_assert_msg(out.status == WHK_VALID, "%s", out.text);
    whk_request_free(req);
}
END_TEST

/* A secret of the wrong form: an error naming the mistake. */
static const struct {
    const char *provider;
    const char *secret;
    const char *phrase;
} bad_secrets[] = {
    {"standardwebhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa!w",
     "not valid base64"},
    {"standardwebhooks", "whsec_", "empty"},
    {"standardwebhooks", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
     "prefix of a signature"},
    {"standardwebhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",
     "newline"},
    {"standardwebhooks", " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
     "starts with whitespace"},
    {"svix", "\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"", "quotes"},
    {"stripe", "sk_test_51HqLyjWDarjtT1zdp7dc", "API key"},
    {"stripe", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_"},
    {"stripe", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ", "ends with"},
    {"github", "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "access token"},
    {"slack", "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
     "Slack token"},
    {"shopify", "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", "access token"},
    {"paddle", "pdl_sdbx_apikey_01j5a3c9x4m2n7p8q9r0s1t2v3", "API key"},
    {"discord",
     "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExkupN68YA21tirdyX/oAYs+ifh7Rxqq31u"
     "x5N/EjqwV36iiVj7NImjhRkoTVagfhcH/moYY19wN2eUCB4nxOhQ==",
     "ECDSA P-256 key, but this scheme needs an Ed25519"},
    {"discord", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f1",
     "56 hex digits"},
    {"sendgrid", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
     "Ed25519"},
    {"sendgrid", "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",
     "neither"},
};

START_TEST(secret_forms_rejected)
{
    struct whk_provider *provider = load(bad_secrets[_i].provider);
    struct whk_span secret = {bad_secrets[_i].secret,
                              strlen(bad_secrets[_i].secret)};
    struct whk_error err = {0};

    ck_assert_int_eq(whk_provider_check_secret(provider, secret, 0, &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, bad_secrets[_i].phrase), "%s: %s",
                  bad_secrets[_i].provider, err.text);
    /* A short secret such as "whsec_" may appear as a prefix named. */
    ck_assert_msg(strlen(bad_secrets[_i].secret) < 10 ||
                      strstr(err.text, bad_secrets[_i].secret) == NULL,
                  "the message repeats the secret: %s", err.text);
    whk_provider_free(provider);
}
END_TEST

/* A key of the wrong type or kind, given for signing. */
START_TEST(signing_keys_rejected)
{
    struct whk_provider *sendgrid = load("sendgrid");
    struct whk_provider *discord = load("discord");
    char *ed = private_pem("ED25519"), *ec = private_pem("EC");
    char *ec_public = public_text(WHK_PKEY_P256, ec);
    struct whk_error err = {0};
    struct whk_span span = {ed, strlen(ed)};

    ck_assert_int_eq(whk_provider_check_secret(sendgrid, span, 1, &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, "Ed25519"), "%s", err.text);
    span = (struct whk_span){ec, strlen(ec)};
    ck_assert_int_eq(whk_provider_check_secret(discord, span, 1, &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, "ECDSA P-256"), "%s", err.text);
    span = (struct whk_span){ec_public, strlen(ec_public)};
    ck_assert_int_eq(whk_provider_check_secret(sendgrid, span, 1, &err),
                     WHK_ERR_SECRET);
    ck_assert_msg(strstr(err.text, "PEM"), "%s", err.text);
    span = (struct whk_span){ec, strlen(ec)};
    ck_assert_int_eq(whk_provider_check_secret(sendgrid, span, 1, &err),
                     WHK_OK);
    free(ed);
    free(ec);
    whk_free(ec_public);
    whk_provider_free(sendgrid);
    whk_provider_free(discord);
}
END_TEST

/* Stripe, GitHub and Shopify always send a body, and their SDKs reject none. */
static const char *const body_required[] = {"stripe", "github", "shopify"};

START_TEST(empty_body_invalid)
{
    const char *name = body_required[_i];
    char *sign_secret, *verify_secret;
    struct whk_request *req;
    struct outcome out;

    secrets_for(name, &sign_secret, &verify_secret);
    req = sign_body(name, sign_secret, "", 0, 1000, NULL);
    out = verify_request(name, verify_secret, req, 1000, -1);
    ck_assert_int_eq(out.status, WHK_INVALID);
    ck_assert_msg(strstr(out.text, "body is empty"), "%s", out.text);
    whk_request_free(req);
    free(sign_secret);
    free(verify_secret);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("providers");
    TCase *tc = tcase_create("providers");
    int providers = (int)PROVIDER_COUNT;

    tcase_add_test(tc, github_published_vector);
    tcase_add_test(tc, slack_published_vector);
    tcase_add_test(tc, standard_webhooks_published_vector);
    tcase_add_test(tc, discord_rfc8032_vector);
    tcase_add_loop_test(tc, declarations_complete, 0, providers);
    tcase_add_loop_test(tc, samples_sign_and_verify, 0, providers);
    tcase_add_loop_test(tc, malformed_headers_invalid, 0,
                        (int)(sizeof(malformed) / sizeof(*malformed)));
    tcase_add_loop_test(tc, timestamp_edges, 0,
                        (int)(sizeof(tolerances) / sizeof(*tolerances)));
    tcase_add_loop_test(tc, timestamp_optional_for_key_pairs, 0, 2);
    tcase_add_loop_test(tc, rotation_any_order, 0, 3);
    tcase_add_loop_test(tc, secret_forms_rejected, 0,
                        (int)(sizeof(bad_secrets) / sizeof(*bad_secrets)));
    tcase_add_test(tc, signing_keys_rejected);
    tcase_add_loop_test(tc, empty_body_invalid, 0, 3);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
