/* SPDX-License-Identifier: MIT */
/* Check suite for the generic HMAC module, over every entry it serves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <whk/whk.h>

#include "harness.h"

#define VECTORS_DIR WHK_TEST_SOURCE_DIR "/vectors/hmac"

/* The names of the providers.d entries whose module is "hmac". */
static char *names[128];
static int name_count;

static void find_entries(void)
{
    struct whk_registry *registry = NULL;
    struct whk_error err = {0};

    if (whk_registry_open(&registry, WHK_BUILD_PROVIDERS_DIR,
                          WHK_BUILD_PLUGIN_DIR, &err) != WHK_OK) {
        fprintf(stderr, "cannot open the registry: %s\n", err.text);
        exit(1);
    }
    for (size_t i = 0; i < whk_registry_count(registry); i++) {
        const struct whk_entry *e = whk_registry_at(registry, i);

        if (strcmp(whk_entry_module(e), "hmac") == 0 && name_count < 128)
            names[name_count++] = strdup(whk_entry_name(e));
    }
    whk_registry_free(registry);
}

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

static json_t *read_vector(const char *name)
{
    char path[512];
    json_error_t error;
    json_t *root;

    snprintf(path, sizeof(path), "%s/%s.json", VECTORS_DIR, name);
    root = json_load_file(path, 0, &error);
    ck_assert_msg(root != NULL, "provider %s has no test vector %s: %s",
                  name, path, error.text);
    return root;
}

/* Builds the vector's request with body in place of its own when given. */
static struct whk_request *vector_request(json_t *vector, const char *body,
                                          int with_signature)
{
    json_t *request = json_object_get(vector, "request");
    json_t *headers = json_object_get(request, "headers"), *pair, *name;
    json_t *sign_headers = json_object_get(vector, "sign_headers");
    struct whk_request *req = whk_request_new();
    size_t i, j;

    whk_request_set_url(req, json_string_value(json_object_get(request,
                                                               "url")));
    json_array_foreach(headers, i, pair) {
        const char *header = json_string_value(json_array_get(pair, 0));
        int skip = 0;

        json_array_foreach(sign_headers, j, name)
            skip |= !with_signature &&
                    strcasecmp(header, json_string_value(name)) == 0;
        if (!skip)
            whk_request_add_header(req, header,
                                   json_string_value(json_array_get(pair,
                                                                    1)));
    }
    if (body == NULL)
        body = json_string_value(json_object_get(request, "body"));
    whk_request_set_body(req, body, strlen(body));
    return req;
}

struct outcome {
    enum whk_verdict_status status;
    char reason[32];
    char text[1024];
};

static struct outcome verify(struct whk_provider *provider,
                             const struct whk_request *req,
                             const char *secret, int64_t now)
{
    struct whk_context *ctx = whk_context_new();
    struct whk_verdict *verdict = whk_verdict_new();
    struct whk_span span = {secret, strlen(secret)};
    struct outcome out;

    whk_context_set_time(ctx, now);
    whk_provider_verify(provider, ctx, req, span, verdict);
    out.status = whk_verdict_status(verdict);
    snprintf(out.reason, sizeof(out.reason), "%s",
             whk_reason_name(whk_verdict_reason(verdict)));
    snprintf(out.text, sizeof(out.text), "%s", whk_verdict_text(verdict));
    whk_verdict_free(verdict);
    whk_context_free(ctx);
    return out;
}

START_TEST(vector_valid)
{
    json_t *v = read_vector(names[_i]);
    struct whk_provider *provider = load(names[_i]);
    struct whk_request *req = vector_request(v, NULL, 1);
    const char *secret = json_string_value(json_object_get(v, "secret"));
    struct outcome out = verify(provider, req, secret,
                                json_integer_value(json_object_get(v, "now")));

    ck_assert_msg(out.status == WHK_VALID, "%s: %s", names[_i], out.text);
    whk_request_free(req);
    whk_provider_free(provider);
    json_decref(v);
}
END_TEST

START_TEST(vector_tampered)
{
    json_t *v = read_vector(names[_i]);
    json_t *tampered = json_object_get(v, "tampered");
    struct whk_provider *provider = load(names[_i]);
    struct whk_request *req = vector_request(
        v, json_string_value(json_object_get(tampered, "body")), 1);
    const char *secret = json_string_value(json_object_get(v, "secret"));
    struct outcome out = verify(provider, req, secret,
                                json_integer_value(json_object_get(v, "now")));

    ck_assert_msg(out.status == WHK_INVALID, "%s: %s", names[_i], out.text);
    ck_assert_msg(strcmp(out.reason, json_string_value(json_object_get(
                                         tampered, "reason"))) == 0,
                  "%s: reason %s (%s)", names[_i], out.reason, out.text);
    whk_request_free(req);
    whk_provider_free(provider);
    json_decref(v);
}
END_TEST

/* whk sign reproduces the vector's headers from its timestamp and id. */
START_TEST(vector_signed_alike)
{
    json_t *v = read_vector(names[_i]);
    struct whk_provider *provider = load(names[_i]);
    struct whk_request *req = vector_request(v, NULL, 0);
    struct whk_request *want = vector_request(v, NULL, 1);
    const char *secret = json_string_value(json_object_get(v, "secret"));
    struct whk_context *ctx = whk_context_new();
    struct whk_span span = {secret, strlen(secret)};
    struct whk_error err = {0};
    json_t *name;
    size_t i;

    whk_context_set_time(ctx, json_integer_value(json_object_get(v,
                                                                 "timestamp")));
    if (json_is_string(json_object_get(v, "id")))
        whk_context_set_id(ctx, json_string_value(json_object_get(v, "id")));
    if (whk_provider_sign(provider, ctx, req, span, &err) != WHK_OK)
        ck_abort_msg("%s cannot sign: %s", names[_i], err.text);
    json_array_foreach(json_object_get(v, "sign_headers"), i, name) {
        const char *header = json_string_value(name);
        const char *got = whk_request_header(req, header);

        ck_assert_msg(got != NULL, "%s: sign set no %s", names[_i], header);
        ck_assert_msg(strcmp(got, whk_request_header(want, header)) == 0,
                      "%s: %s is '%s', the vector has '%s'", names[_i],
                      header, got, whk_request_header(want, header));
    }
    ck_assert_msg(verify(provider, req, secret,
                         json_integer_value(json_object_get(v, "now")))
                          .status == WHK_VALID,
                  "%s: its own signature does not verify", names[_i]);
    whk_context_free(ctx);
    whk_request_free(req);
    whk_request_free(want);
    whk_provider_free(provider);
    json_decref(v);
}
END_TEST

START_TEST(declarations_complete)
{
    struct whk_provider *provider = load(names[_i]);
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    size_t samples = 0, keys = 0, fields = 0, fixes = 0;

    for (const struct whk_sample *s = d->samples; s && s->name; s++)
        samples += s->body != NULL && s->description != NULL;
    for (const struct whk_key *k = d->idempotency_keys; k && k->name; k++)
        keys++;
    for (const struct whk_field *f = d->fields; f && f->name; f++)
        fields += f->value != NULL && f->section != NULL;
    for (const struct whk_failure *f = d->failures; f && f->symptom; f++)
        fixes += f->cause != NULL && f->fix != NULL;

    ck_assert_str_eq(d->name, names[_i]);
    ck_assert_ptr_nonnull(d->docs_url);
    ck_assert_ptr_nonnull(d->algorithm);
    ck_assert_ptr_nonnull(d->signature_headers[0]);
    ck_assert_ptr_nonnull(d->secret.env);
    ck_assert_ptr_nonnull(d->secret.form);
    ck_assert_ptr_nonnull(d->secret.where);
    ck_assert_uint_ge(samples, 1);
    ck_assert_uint_ge(keys, 1);
    ck_assert_uint_ge(fields, 3);
    ck_assert_uint_ge(fixes, 4);
    ck_assert_ptr_nonnull(d->retries);
    ck_assert(d->flags & WHK_SIGNS_BODY);
    /* A timeout, or the flag that says the provider documents none. */
    ck_assert_int_ne(d->timeout_ms > 0, (d->flags & WHK_NO_TIMEOUT) != 0);
    whk_provider_free(provider);
}
END_TEST

/* Every sample signs and verifies, and fails once its body changes. */
START_TEST(samples_sign_and_verify)
{
    json_t *v = read_vector(names[_i]);
    const char *secret = json_string_value(json_object_get(v, "secret"));
    struct whk_provider *provider = load(names[_i]);
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    struct whk_span span = {secret, strlen(secret)};

    for (const struct whk_sample *s = d->samples; s->name; s++) {
        struct whk_request *req = whk_request_new();
        struct whk_context *ctx = whk_context_new();
        struct whk_error err = {0};
        struct outcome out;

        whk_request_set_url(req, "https://hooks.example.com/webhooks");
        whk_request_set_header(req, "Content-Type", s->content_type);
        for (const char *const *h = s->headers; h && *h; h++) {
            char name[128];
            const char *colon = strchr(*h, ':');

            snprintf(name, sizeof(name), "%.*s", (int)(colon - *h), *h);
            whk_request_add_header(req, name, colon + 2);
        }
        whk_request_set_body(req, s->body, strlen(s->body));
        whk_context_set_time(ctx, 1723630532);
        if (whk_provider_sign(provider, ctx, req, span, &err) != WHK_OK)
            ck_abort_msg("%s sample %s: %s", names[_i], s->name, err.text);
        out = verify(provider, req, secret, 1723630533);
        ck_assert_msg(out.status == WHK_VALID, "%s sample %s: %s", names[_i],
                      s->name, out.text);
        whk_request_set_body(req, "{}", 2);
        out = verify(provider, req, secret, 1723630533);
        ck_assert_msg(out.status == WHK_INVALID, "%s sample %s: %s",
                      names[_i], s->name, out.text);
        whk_context_free(ctx);
        whk_request_free(req);
    }
    whk_provider_free(provider);
    json_decref(v);
}
END_TEST

/* A complete entry that the malformed cases break one key at a time. */
static const char base_entry[] =
    "{\"name\": \"broken\", \"title\": \"Broken\", \"module\": \"hmac\","
    " \"summary\": \"s\", \"source\": \"https://example.com/docs\","
    " \"scheme\": {\"headers\": [\"X-Sig\"], \"hash\": \"sha256\","
    "  \"encoding\": \"hex\", \"signed\": \"{timestamp}.{body}\","
    "  \"timestamp\": {\"header\": \"X-Ts\", \"tolerance\": 300}},"
    " \"secret\": {\"env\": \"BROKEN_SECRET\", \"form\": \"f\","
    "  \"where\": \"w\"},"
    " \"fields\": [{\"section\": \"s\", \"name\": \"n\", \"value\": \"v\"}],"
    " \"samples\": [{\"name\": \"e\", \"description\": \"d\","
    "  \"body\": {\"a\": 1}}],"
    " \"idempotency_keys\": [{\"json\": \"/a\"}],"
    " \"response\": {\"status\": 0}, \"timeout_ms\": 0,"
    " \"retries\": \"r\","
    " \"failures\": [{\"symptom\": \"s\", \"cause\": \"c\", \"fix\": \"f\"}]}";

/* A change to base_entry: set the JSON value at a path, or delete it. */
static const struct {
    const char *object; /* "" for the top level, else a member name */
    const char *key;
    const char *value;  /* JSON text, or NULL to delete the key */
    const char *phrase; /* expected in the message, with the key path */
} broken[] = {
    {"scheme", "hash", "\"sha384\"", "key 'scheme.hash' is \"sha384\""},
    {"scheme", "encoding", "\"base32\"", "key 'scheme.encoding'"},
    {"scheme", "headers", "[]", "key 'scheme.headers' is missing or not"},
    {"scheme", "headers", "[\"X Sig\"]", "not a header name"},
    {"scheme", "signed", "\"{timestamp}.{bdy}\"",
     "key 'scheme.signed' has '{bdy}'"},
    {"scheme", "signed", "\"{timestamp}\"", "has no {body}"},
    {"scheme", "signed", "\"{id}.{body}\"", "uses {id}, but the scheme"},
    {"scheme", "timestamp", NULL, "uses {timestamp}, but the scheme"},
    {"scheme", "timestamp", "{\"header\": \"X-Ts\", \"unit\": \"days\"}",
     "key 'scheme.timestamp.unit' is \"days\""},
    {"scheme", "timestamp", "{\"header\": \"X-Ts\", \"json\": \"/t\"}",
     "exactly one source"},
    {"scheme", "timestamp", "{\"header\": \"X-Ts\", \"tolerance\": -1}",
     "key 'scheme.timestamp.tolerance' is -1"},
    {"scheme", "secret", "{\"strip_prefix\": true}",
     "without a prefix"},
    {"scheme", "secret", "{\"min_length\": 0}",
     "key 'scheme.secret.min_length' is 0"},
    {"scheme", "secret", "{\"min_length\": 20, \"max_length\": 10}",
     "has max_length below min_length"},
    {"scheme", "fields", "{\"separator\": \",\", \"pair\": \",\","
     " \"signature\": \"v1\", \"format\": \"v1={signature}\"}",
     "same character"},
    {"scheme", "fields", "{\"separator\": \",\", \"pair\": \"=\","
     " \"signature\": \"v1\", \"format\": \"v1=\"}", "has no {signature}"},
    {"scheme", "sigend", "\"{body}\"", "key 'scheme.sigend' is not a known"},
    {"", "samples", "[]", "key 'samples' has 0 items"},
    {"", "samples", NULL, "key 'samples' is missing"},
    {"", "secret", "{\"env\": \"lower\", \"form\": \"f\", \"where\": \"w\"}",
     "env \"lower\""},
    {"", "idempotency_keys", "[{\"json\": \"id\"}]", "JSON Pointer"},
    {"", "failures", "[{\"symptom\": \"s\", \"cause\": \"c\","
     " \"fix\": \"f\", \"reason\": \"nope\"}]", "not a verdict reason"},
    {"", "retries", NULL, "key 'retries' is missing"},
    {"", "timeout_ms", "5000", "key 'timeout_error' is missing"},
    {"", "timeout_ms", NULL, "key 'timeout_ms' is missing"},
    {"", "timeout_ms", "-1", "key 'timeout_ms' is -1"},
    {"", "challenges", "[{\"name\": \"c\", \"description\": \"d\","
     " \"method\": \"GET\", \"token\": \"body:x\","
     " \"response\": {\"status\": 200}}]", "key 'challenges[0].token'"},
    {"", "challenges", "[{\"name\": \"c\", \"description\": \"d\","
     " \"method\": \"GET\", \"response\": {\"body\": \"{hmac}\"}}]",
     "uses {hmac} without"},
    {"", "source", NULL, "key 'source' is missing"},
    {"", "extra", "1", "key 'extra' is not a known member"},
};

START_TEST(malformed_entry_rejected)
{
    char dir[] = "/tmp/whk-hmac-XXXXXX", file[256];
    json_t *root = json_loads(base_entry, 0, NULL);
    json_t *target = broken[_i].object[0]
                         ? json_object_get(root, broken[_i].object)
                         : root;
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};

    ck_assert_ptr_nonnull(root);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    if (broken[_i].value == NULL)
        json_object_del(target, broken[_i].key);
    else
        json_object_set_new(target, broken[_i].key,
                            json_loads(broken[_i].value, JSON_DECODE_ANY,
                                       NULL));
    snprintf(file, sizeof(file), "%s/broken.json", dir);
    ck_assert_int_eq(json_dump_file(root, file, 0), 0);

    ck_assert_int_eq(whk_registry_open(&registry, dir, WHK_BUILD_PLUGIN_DIR,
                                       &err),
                     WHK_OK);
    ck_assert_int_eq(whk_provider_load(registry, "broken", &provider, &err),
                     WHK_ERR_PLUGIN);
    ck_assert_msg(strstr(err.text, file) != NULL,
                  "case %d: the message does not name %s: %s", _i, file,
                  err.text);
    ck_assert_msg(strstr(err.text, broken[_i].phrase) != NULL,
                  "case %d: '%s' lacks '%s'", _i, err.text,
                  broken[_i].phrase);
    whk_registry_free(registry);
    unlink(file);
    rmdir(dir);
    json_decref(root);
}
END_TEST

/* The base entry itself loads, so each case breaks only the key it names. */
START_TEST(base_entry_loads)
{
    char dir[] = "/tmp/whk-hmac-XXXXXX", file[256];
    FILE *out;
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof(file), "%s/broken.json", dir);
    out = fopen(file, "w");
    fputs(base_entry, out);
    fclose(out);
    whk_registry_open(&registry, dir, WHK_BUILD_PLUGIN_DIR, &err);
    if (whk_provider_load(registry, "broken", &provider, &err) != WHK_OK)
        ck_abort_msg("the base entry does not load: %s", err.text);
    whk_provider_free(provider);
    whk_registry_free(registry);
    unlink(file);
    rmdir(dir);
}
END_TEST

/* Signs {"a":1} as provider name at signed_at; verifies at now. */
static struct outcome signed_at(const char *name, int64_t signed_at,
                                int64_t now, int64_t tolerance)
{
    json_t *v = read_vector(name);
    const char *secret = json_string_value(json_object_get(v, "secret"));
    struct whk_provider *provider = load(name);
    struct whk_request *req = whk_request_new();
    struct whk_context *ctx = whk_context_new();
    struct whk_verdict *verdict = whk_verdict_new();
    struct whk_span span = {secret, strlen(secret)};
    char body[96];
    struct outcome out;

    /* Linear's timestamp is in the body. */
    snprintf(body, sizeof(body), "{\"a\":1,\"webhookTimestamp\":%lld}",
             (long long)signed_at * 1000);
    whk_request_set_url(req, "https://hooks.example.com/webhooks");
    whk_request_set_body(req, body, strlen(body));
    whk_context_set_time(ctx, signed_at);
    ck_assert_int_eq(whk_provider_sign(provider, ctx, req, span, NULL),
                     WHK_OK);
    whk_context_set_time(ctx, now);
    whk_context_set_tolerance(ctx, tolerance);
    whk_provider_verify(provider, ctx, req, span, verdict);
    out.status = whk_verdict_status(verdict);
    snprintf(out.reason, sizeof(out.reason), "%s",
             whk_reason_name(whk_verdict_reason(verdict)));
    snprintf(out.text, sizeof(out.text), "%s", whk_verdict_text(verdict));
    whk_verdict_free(verdict);
    whk_context_free(ctx);
    whk_request_free(req);
    whk_provider_free(provider);
    json_decref(v);
    return out;
}

/*
 * Signing writes the time of sending into a body timestamp, as Linear
 * does, and changes nothing else: not a nested member of the same name,
 * not the spacing.
 */
static const struct {
    const char *body, *signed_body;
} restamps[] = {
    {"{\"data\":{\"webhookTimestamp\":5}, \"webhookTimestamp\" : 7 ,"
     "\"x\":\"}\"}",
     "{\"data\":{\"webhookTimestamp\":5}, \"webhookTimestamp\" : "
     "1723630532000 ,\"x\":\"}\"}"},
    {"{\"webhookTimestamp\":\"7\"}",
     "{\"webhookTimestamp\":\"1723630532000\"}"},
    {"{\"a\":[1,{\"b\":\"\\\"\"}],\"webhookTimestamp\":0}",
     "{\"a\":[1,{\"b\":\"\\\"\"}],\"webhookTimestamp\":1723630532000}"},
    {"{\"a\":1}", "{\"a\":1}"},
    {"[1]", "[1]"},
};

START_TEST(body_timestamp_restamped)
{
    json_t *v = read_vector("linear");
    const char *secret = json_string_value(json_object_get(v, "secret"));
    struct whk_provider *provider = load("linear");
    struct whk_request *req = whk_request_new();
    struct whk_context *ctx = whk_context_new();
    struct whk_span span = {secret, strlen(secret)};
    const char *body;
    size_t len;

    whk_request_set_url(req, "https://hooks.example.com/webhooks");
    whk_request_set_body(req, restamps[_i].body, strlen(restamps[_i].body));
    whk_context_set_time(ctx, 1723630532);
    ck_assert_int_eq(whk_provider_sign(provider, ctx, req, span, NULL),
                     WHK_OK);
    body = whk_request_body(req, &len);
    ck_assert_uint_eq(len, strlen(restamps[_i].signed_body));
    ck_assert_str_eq(body, restamps[_i].signed_body);
    whk_context_free(ctx);
    whk_request_free(req);
    whk_provider_free(provider);
    json_decref(v);
}
END_TEST

/* Providers with a default window in each timestamp unit and source. */
static const struct {
    const char *provider;
    int64_t tolerance;
} windows[] = {
    {"mux", 300},    {"linear", 60},   {"webflow", 300}, {"box", 600},
    {"twitch", 600}, {"calendly", 180}, {"workos", 180}, {"resend", 300},
};

START_TEST(timestamp_window_edges)
{
    const char *name = windows[_i].provider;
    int64_t tol = windows[_i].tolerance, t = 1723630532;
    struct outcome out;

    out = signed_at(name, t, t + tol, -1);
    ck_assert_msg(out.status == WHK_VALID, "%s: %s", name, out.text);
    out = signed_at(name, t, t - tol, -1);
    ck_assert_msg(out.status == WHK_VALID, "%s: %s", name, out.text);
    out = signed_at(name, t, t + tol + 1, -1);
    ck_assert_msg(strcmp(out.reason, "timestamp_too_old") == 0, "%s: %s",
                  name, out.text);
    out = signed_at(name, t, t - tol - 1, -1);
    ck_assert_msg(strcmp(out.reason, "timestamp_in_future") == 0, "%s: %s",
                  name, out.text);
    out = signed_at(name, t, t + 11, 10);
    ck_assert_msg(strcmp(out.reason, "timestamp_too_old") == 0, "%s: %s",
                  name, out.text);
}
END_TEST

/* A provider without a window checks one only when a tolerance is given. */
START_TEST(timestamp_checked_on_request)
{
    const char *name = _i == 0 ? "zoom" : "zendesk";
    int64_t t = 1723630532;
    struct outcome out = signed_at(name, t, t + 86400, -1);

    ck_assert_msg(out.status == WHK_VALID, "%s: %s", name, out.text);
    out = signed_at(name, t, t + 61, 60);
    ck_assert_msg(strcmp(out.reason, "timestamp_too_old") == 0, "%s: %s",
                  name, out.text);
}
END_TEST

/* A header that must be invalid with reason and a phrase of the text. */
static const struct {
    const char *provider;
    const char *headers[3];
    const char *reason;
    const char *phrase;
} bad_headers[] = {
    {"mux", {"Mux-Signature: v1=00"}, "malformed_header", "no t= timestamp"},
    {"mux", {"Mux-Signature: t=1,t=2,v1=00"}, "malformed_header",
     "2 t= timestamps"},
    {"mux", {"Mux-Signature: t=1723630532"}, "malformed_header",
     "no v1= signature"},
    {"mux", {"Mux-Signature: t=soon,v1=00"}, "malformed_header",
     "not a whole number of seconds"},
    {"mux", {"Mux-Signature: t=1723630532,v1=zz"}, "malformed_header",
     "not a hex HMAC-SHA256"},
    {"mux", {"Mux-Signature: t=1723630532,garbage"}, "malformed_header",
     "has no '='"},
    {"bitbucket", {"X-Hub-Signature: sha1=00"}, "malformed_header",
     "does not start with 'sha256='"},
    {"bitbucket", {"X-Hub-Signature: sha256=abc"}, "malformed_header",
     "3 hex digits"},
    {"typeform", {"Typeform-Signature: sha256=!!"}, "malformed_header",
     "base64"},
    {"zendesk", {"X-Zendesk-Webhook-Signature: AAAA"}, "missing_header",
     "X-Zendesk-Webhook-Signature-Timestamp"},
    {"zendesk",
     {"X-Zendesk-Webhook-Signature: AAAA",
      "X-Zendesk-Webhook-Signature-Timestamp: yesterday"},
     "malformed_header", "not an ISO 8601 date"},
    {"twitch", {"Twitch-Eventsub-Message-Signature: sha256=00"},
     "missing_header", "Twitch-Eventsub-Message-Timestamp"},
    {"linear", {"Linear-Signature: 00"}, "malformed_header",
     "not JSON with a timestamp at /webhookTimestamp"},
    {"resend", {"svix-signature: v1,AAAA"}, "missing_header",
     "svix-timestamp"},
    {"sentry", {"X-Other: 1"}, "missing_header", "Sentry-Hook-Signature"},
    {"box", {"X-Other: 1"}, "missing_header", "nor an alternative"},
};

START_TEST(bad_headers_invalid)
{
    const char *name = bad_headers[_i].provider;
    json_t *v = read_vector(name);
    struct whk_provider *provider = load(name);
    struct whk_request *req = whk_request_new();
    struct outcome out;

    whk_request_set_url(req, "https://hooks.example.com/webhooks");
    whk_request_set_body(req, "{\"a\":1}", 7);
    for (size_t i = 0; i < 3 && bad_headers[_i].headers[i]; i++) {
        const char *line = bad_headers[_i].headers[i];
        char header[128];
        const char *colon = strchr(line, ':');

        snprintf(header, sizeof(header), "%.*s", (int)(colon - line), line);
        whk_request_add_header(req, header, colon + 2);
    }
    out = verify(provider, req,
                 json_string_value(json_object_get(v, "secret")),
                 1723630532);
    ck_assert_int_eq(out.status, WHK_INVALID);
    ck_assert_msg(strcmp(out.reason, bad_headers[_i].reason) == 0,
                  "%s case %d: reason %s (%s)", name, _i, out.reason,
                  out.text);
    ck_assert_msg(strstr(out.text, bad_headers[_i].phrase) != NULL,
                  "%s case %d: '%s' lacks '%s'", name, _i, out.text,
                  bad_headers[_i].phrase);
    whk_request_free(req);
    whk_provider_free(provider);
    json_decref(v);
}
END_TEST

/* A secret of the wrong form: an error naming the mistake, not the secret. */
static const struct {
    const char *provider;
    const char *secret;
    const char *phrase;
} bad_secrets[] = {
    {"resend", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa!w", "not valid base64"},
    {"openai", "whsec_", "empty"},
    {"clerk", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
     "prefix of a signature"},
    {"mux", "mux-signing-secret\n", "newline"},
    {"openai", "sk-proj-4eC39HqLyjWDarjtT1zdp7dc", "OpenAI API key"},
    {"linear", "lin_api_4eC39HqLyjWDarjtT1zdp7dc", "Linear API key"},
    {"razorpay", "rzp_test_4eC39HqLyjWDar", "Razorpay API key"},
    {"twitch", "short", "has 5 characters, but Twitch EventSub's has 10 to"},
    {"lemonsqueezy", "0123456789012345678901234567890123456789x",
     "has 41 characters, but Lemon Squeezy's has 6 to 40"},
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
    ck_assert_msg(strlen(bad_secrets[_i].secret) < 10 ||
                      strstr(err.text, bad_secrets[_i].secret) == NULL,
                  "the message repeats the secret: %s", err.text);
    whk_provider_free(provider);
}
END_TEST

/* The challenges declared as data reach the descriptor. */
START_TEST(challenges_declared)
{
    static const char *const providers[] = {"dropbox", "twitter", "zoom",
                                            "xero", "whatsapp", "twitch",
                                            "asana", "gocardless"};
    struct whk_provider *provider = load(providers[_i]);
    const struct whk_challenge *c =
        whk_provider_descriptor(provider)->challenges;

    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_nonnull(c->name);
    ck_assert_ptr_nonnull(c->description);
    ck_assert_ptr_nonnull(c->method);
    ck_assert_ptr_null(c[1].name);
    whk_provider_free(provider);
}
END_TEST

#define COUNT(table) ((int)(sizeof(table) / sizeof(*(table))))

int main(void)
{
    Suite *suite = suite_create("hmac");
    TCase *tc = tcase_create("hmac");

    find_entries();
    if (name_count < 40) {
        fprintf(stderr, "found %d entries of the hmac module in %s\n",
                name_count, WHK_BUILD_PROVIDERS_DIR);
        return 1;
    }
    tcase_add_loop_test(tc, vector_valid, 0, name_count);
    tcase_add_loop_test(tc, vector_tampered, 0, name_count);
    tcase_add_loop_test(tc, vector_signed_alike, 0, name_count);
    tcase_add_loop_test(tc, declarations_complete, 0, name_count);
    tcase_add_loop_test(tc, samples_sign_and_verify, 0, name_count);
    tcase_add_loop_test(tc, malformed_entry_rejected, 0, COUNT(broken));
    tcase_add_test(tc, base_entry_loads);
    tcase_add_loop_test(tc, timestamp_window_edges, 0, COUNT(windows));
    tcase_add_loop_test(tc, body_timestamp_restamped, 0, COUNT(restamps));
    tcase_add_loop_test(tc, timestamp_checked_on_request, 0, 2);
    tcase_add_loop_test(tc, bad_headers_invalid, 0, COUNT(bad_headers));
    tcase_add_loop_test(tc, secret_forms_rejected, 0, COUNT(bad_secrets));
    tcase_add_loop_test(tc, challenges_declared, 0, 8);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
