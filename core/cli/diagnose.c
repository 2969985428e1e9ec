/* SPDX-License-Identifier: MIT */
/* Diagnosis: re-verifying with the variants that users commonly get wrong. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

void whkp_diagnosis_clear(struct whkp_diagnosis *diagnosis)
{
    free(diagnosis->cause);
    free(diagnosis->fix);
    free(diagnosis->url);
    for (size_t i = 0; i < diagnosis->hint_count; i++)
        free(diagnosis->hints[i]);
    memset(diagnosis, 0, sizeof(*diagnosis));
}

static char *format(const char *fmt, ...) WHK_PRINTF(1, 2);

static char *format(const char *fmt, ...)
{
    va_list args;
    char *text = NULL;

    va_start(args, fmt);
    if (vasprintf(&text, fmt, args) < 0)
        text = NULL;
    va_end(args);
    return text;
}

static void add_hint(struct whkp_diagnosis *diagnosis, char *hint)
{
    if (hint == NULL)
        return;
    if (diagnosis->hint_count == WHKP_MAX_HINTS) {
        free(hint);
        return;
    }
    diagnosis->hints[diagnosis->hint_count++] = hint;
}

/* Verifies a copy of req with another URL or body; returns 1 if valid. */
static int valid_with(const struct whk_provider *provider,
                      const struct whk_context *ctx,
                      const struct whk_request *req, const char *url,
                      const char *body, size_t body_len, struct whk_span secret)
{
    struct whk_request *copy = whk_request_copy(req);
    struct whk_verdict *verdict = whk_verdict_new();
    int valid = 0;

    if (copy != NULL && verdict != NULL &&
        (url == NULL || whk_request_set_url(copy, url) == WHK_OK) &&
        (body == NULL ||
         whk_request_set_body(copy, body, body_len) == WHK_OK)) {
        whk_provider_verify(provider, ctx, copy, secret, verdict);
        valid = whk_verdict_status(verdict) == WHK_VALID;
    }
    whk_request_free(copy);
    whk_verdict_free(verdict);
    return valid;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *whitespace_kind(const char *data, size_t len)
{
    if (len > 0 && data[len - 1] == '\n')
        return "ends with a newline";
    if (len > 0 && is_space(data[len - 1]))
        return "ends with whitespace";
    return "starts with whitespace";
}

/* A secret with surrounding whitespace that matches once trimmed. */
static int try_trimmed_secret(const struct whk_provider *provider,
                              const struct whk_context *ctx,
                              const struct whk_request *req,
                              const struct whkp_secret *secret,
                              struct whkp_diagnosis *diagnosis)
{
    struct whk_span trimmed = whkp_secret_span(secret);

    while (trimmed.len > 0 && is_space(trimmed.ptr[0])) {
        trimmed.ptr++;
        trimmed.len--;
    }
    while (trimmed.len > 0 && is_space(trimmed.ptr[trimmed.len - 1]))
        trimmed.len--;
    if (trimmed.len == secret->len || trimmed.len == 0 ||
        !valid_with(provider, ctx, req, NULL, NULL, 0, trimmed))
        return 0;

    diagnosis->cause =
        format("the secret from %s %s; the signature matches "
               "the secret without the surrounding "
               "whitespace",
               secret->source, whitespace_kind(secret->data, secret->len));
    diagnosis->fix = strdup("remove the whitespace from the secret (write "
                            "files with printf '%s', not echo) in whk's "
                            "input and in your app's configuration");
    return 1;
}

/* One way a user's URL differs from the provider's. */
struct variant {
    const char *value;
    const char *label; /* NULL for the original */
};

#define MAX_VARIANTS 4

struct url_space {
    char *scheme;
    char *scheme_lower;
    char *scheme_other;
    char *authority;
    char *path_query;
    char *without_fragment;
    char *slash_toggled;
    char *without_query;
    struct variant schemes[MAX_VARIANTS], hosts[MAX_VARIANTS];
    struct variant paths[MAX_VARIANTS];
    size_t scheme_count, host_count, path_count;
};

static void add_variant(struct variant *list, size_t *count, const char *value,
                        const char *label)
{
    if (value == NULL || *count == MAX_VARIANTS)
        return;
    for (size_t i = 0; i < *count; i++) {
        if (strcmp(list[i].value, value) == 0)
            return;
    }
    list[*count].value = value;
    list[*count].label = label;
    (*count)++;
}

static void url_space_clear(struct url_space *space)
{
    free(space->scheme);
    free(space->scheme_lower);
    free(space->scheme_other);
    free(space->authority);
    free(space->path_query);
    free(space->without_fragment);
    free(space->slash_toggled);
    free(space->without_query);
}

/* Builds the schemes, hosts and paths to combine. Returns 0 on failure. */
static int url_space_init(struct url_space *space, const char *url,
                          const struct whk_request *req, const char *target)
{
    struct whk_url_parts parts;
    const char *authority, *rest;
    size_t rest_len;

    memset(space, 0, sizeof(*space));
    if (whk_url_split(url, &parts, NULL) != WHK_OK)
        return 0;
    authority = parts.scheme.ptr + parts.scheme.len + 3;
    rest = parts.path.ptr;
    rest_len = strlen(rest) - (parts.fragment.ptr ? parts.fragment.len + 1 : 0);

    /* Schemes are case-insensitive, but a signature covers the text. */
    space->scheme = strndup(parts.scheme.ptr, parts.scheme.len);
    space->scheme_lower = strndup(parts.scheme.ptr, parts.scheme.len);
    for (char *c = space->scheme_lower; c && *c; c++)
        *c = (char)tolower((unsigned char)*c);
    space->scheme_other =
        strdup(strncasecmp(url, "https", 5) == 0 ? "http" : "https");
    add_variant(space->schemes, &space->scheme_count, space->scheme, NULL);
    add_variant(space->schemes, &space->scheme_count, space->scheme_lower,
                "lowercase");
    add_variant(space->schemes, &space->scheme_count, space->scheme_other,
                "scheme");

    space->authority = strndup(authority, (size_t)(rest - authority));
    add_variant(space->hosts, &space->host_count, space->authority, NULL);
    add_variant(space->hosts, &space->host_count,
                whk_request_header(req, "Host"), "the Host header");
    add_variant(space->hosts, &space->host_count,
                whk_request_header(req, "X-Forwarded-Host"),
                "the X-Forwarded-Host header");

    /* A fragment is never sent, so the provider may not sign it. */
    space->path_query = strdup(rest);
    add_variant(space->paths, &space->path_count, space->path_query, NULL);
    if (parts.fragment.ptr != NULL)
        space->without_fragment = strndup(rest, rest_len);
    add_variant(space->paths, &space->path_count, space->without_fragment,
                "no fragment");
    if (target != NULL && target[0] == '/')
        add_variant(space->paths, &space->path_count, target,
                    "the request target");
    if (parts.path.len > 1 && rest[parts.path.len - 1] == '/')
        space->slash_toggled = format("%.*s%s", (int)parts.path.len - 1, rest,
                                      rest + parts.path.len);
    else
        space->slash_toggled =
            format("%.*s/%s", (int)parts.path.len, rest, rest + parts.path.len);
    add_variant(space->paths, &space->path_count, space->slash_toggled,
                "trailing slash");
    if (parts.query.ptr != NULL)
        space->without_query = strndup(rest, parts.path.len);
    add_variant(space->paths, &space->path_count, space->without_query,
                "no query string");
    return space->schemes[0].value != NULL && space->authority != NULL &&
           space->path_query != NULL;
}

static char *describe(const struct url_space *space, size_t s, size_t h,
                      size_t p)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    const char *separator = "";

    if (out == NULL)
        return NULL;
    if (s > 0) {
        fprintf(out, "the scheme is %s, not %s", space->schemes[s].value,
                space->schemes[0].value);
        separator = "; ";
    }
    if (h > 0) {
        fprintf(out, "%sthe host is %s (from %s), not %s", separator,
                space->hosts[h].value, space->hosts[h].label, space->authority);
        separator = "; ";
    }
    if (p > 0)
        fprintf(out, "%sthe path and query are '%s' (%s), not '%s'", separator,
                space->paths[p].value, space->paths[p].label,
                space->path_query);
    fclose(out);
    return text;
}

/* Tries URLs that differ in scheme, host or path, fewest changes first. */
static int try_urls(const struct whk_provider *provider,
                    const struct whk_context *ctx,
                    const struct whk_request *req, const char *target,
                    struct whk_span secret, struct whkp_diagnosis *diagnosis)
{
    struct url_space space;
    int found = 0;

    if (!url_space_init(&space, whk_request_url(req), req, target)) {
        url_space_clear(&space);
        return 0;
    }
    for (int changes = 1; changes <= 3 && !found; changes++) {
        for (size_t s = 0; s < space.scheme_count && !found; s++)
            for (size_t h = 0; h < space.host_count && !found; h++)
                for (size_t p = 0; p < space.path_count && !found; p++) {
                    char *url;

                    if ((s > 0) + (h > 0) + (p > 0) != changes)
                        continue;
                    url = format("%s://%s%s", space.schemes[s].value,
                                 space.hosts[h].value, space.paths[p].value);
                    if (url != NULL &&
                        valid_with(provider, ctx, req, url, NULL, 0, secret)) {
                        char *what = describe(&space, s, h, p);
                        diagnosis->cause =
                            format("the signature matches %s: %s", url,
                                   what ? what : "another URL");
                        char *quoted = whkp_shell_quote(url, strlen(url));

                        diagnosis->fix = format(
                            "the provider signed %s; verify with --url %s, "
                            "and make your app validate against exactly "
                            "that URL",
                            url, quoted ? quoted : url);
                        free(quoted);
                        diagnosis->url = url;
                        url = NULL;
                        free(what);
                        found = 1;
                    }
                    free(url);
                }
    }
    url_space_clear(&space);
    return found;
}

/* Re-encodes the form with each value trimmed; NULL if nothing changes. */
static char *trimmed_form(const struct whk_request *req)
{
    size_t count = whk_request_param_count(req), size = 0;
    char *text = NULL;
    int changed = 0;
    FILE *out = open_memstream(&text, &size);

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        const struct whk_param *param = whk_request_param_at(req, i);
        const char *value = param->value;
        size_t len = param->value_len;
        char *key, *encoded;

        while (len > 0 && is_space(*value)) {
            value++;
            len--;
        }
        while (len > 0 && is_space(value[len - 1]))
            len--;
        changed |= len != param->value_len;
        key = whk_form_encode(param->key, param->key_len);
        encoded = whk_form_encode(value, len);
        fprintf(out, "%s%s=%s", i ? "&" : "", key ? key : "",
                encoded ? encoded : "");
        whk_free(key);
        whk_free(encoded);
    }
    fclose(out);
    if (!changed) {
        free(text);
        return NULL;
    }
    return text;
}

static int try_trimmed_params(const struct whk_provider *provider,
                              const struct whk_context *ctx,
                              const struct whk_request *req,
                              struct whk_span secret,
                              struct whkp_diagnosis *diagnosis)
{
    char *body = trimmed_form(req);
    int valid;

    if (body == NULL)
        return 0;
    valid = valid_with(provider, ctx, req, NULL, body, strlen(body), secret);
    free(body);
    if (!valid)
        return 0;
    diagnosis->cause = strdup("the signature matches the form fields with "
                              "their surrounding whitespace removed: the "
                              "signer trimmed the values");
    diagnosis->fix = strdup("sign the form values exactly as they are sent; "
                            "the provider never trims them");
    return 1;
}

/* Serializations tried when a JSON body fails, most common first. */
static const struct {
    struct whkp_json_form form;
    const char *label;
} json_forms[] = {
    {{2, 0, 0, 0, 0, 0},
     "indented by 2 spaces, as JSON.stringify(body, null, 2) writes it"},
    {{0, 0, 0, 0, 0, 0}, "compact, as JSON.stringify(body) writes it"},
    {{0, 1, 0, 1, 0, 0},
     "with ', ' and ': ' separators and non-ASCII as \\uXXXX, as Python's "
     "json.dumps(body) writes it"},
    {{0, 1, 0, 0, 0, 0},
     "with ', ' and ': ' separators, as Python's json.dumps(body, "
     "ensure_ascii=False) writes it"},
    {{0, 0, 0, 1, 0, 0},
     "compact with non-ASCII as \\uXXXX, as Python's json.dumps(body, "
     "separators=(',', ':')) writes it"},
    {{2, 0, 0, 1, 0, 0},
     "indented by 2 spaces with non-ASCII as \\uXXXX, as Python's "
     "json.dumps(body, indent=2) writes it"},
    {{4, 0, 0, 0, 0, 0},
     "indented by 4 spaces, as JSON.stringify(body, null, 4) writes it"},
    {{4, 0, 0, 1, 0, 0},
     "indented by 4 spaces with non-ASCII as \\uXXXX, as Python's "
     "json.dumps(body, indent=4) writes it"},
    {{0, 0, 0, 1, 1, 0},
     "compact with '/' and non-ASCII escaped, as PHP's json_encode(body) "
     "writes it"},
    {{0, 0, 1, 0, 0, 1},
     "compact with keys sorted and <, >, & escaped, as Go's json.Marshal "
     "of a map writes it"},
    {{0, 0, 1, 0, 0, 0}, "compact with keys sorted, as jq -cS writes it"},
    {{2, 0, 1, 0, 0, 0},
     "indented by 2 spaces with keys sorted, as jq -S writes it"},
    {{0, 1, 1, 1, 0, 0},
     "with keys sorted, as Python's json.dumps(body, sort_keys=True) "
     "writes it"},
};

/* Larger bodies are not re-serialized, to keep verify quick. */
#define MAX_JSON_DIAGNOSIS_SIZE (1024 * 1024)

/* Returns 1 when the body starts like a JSON object or array. */
static int looks_like_json(const char *body, size_t len)
{
    size_t i = 0;

    while (i < len && is_space(body[i]))
        i++;
    return i < len && (body[i] == '{' || body[i] == '[') &&
           len <= MAX_JSON_DIAGNOSIS_SIZE;
}

/*
 * The body in hand is often what a framework produced after parsing the
 * JSON the provider signed. Re-serializes it the common ways and verifies
 * each, to find the bytes that were signed.
 */
static int try_json_forms(const struct whk_provider *provider,
                          const struct whk_context *ctx,
                          const struct whk_request *req, struct whk_span secret,
                          struct whkp_diagnosis *diagnosis)
{
    size_t len, count = sizeof(json_forms) / sizeof(*json_forms);
    const char *body = whk_request_body(req, &len);

    if (!looks_like_json(body, len))
        return 0;
    for (size_t i = 0; i < count; i++) {
        size_t out_len = 0;
        char *text =
            whkp_json_reformat(body, len, &json_forms[i].form, &out_len);
        int valid = text != NULL &&
                    (out_len != len || memcmp(text, body, len) != 0) &&
                    valid_with(provider, ctx, req, NULL, text, out_len, secret);

        free(text);
        if (!valid)
            continue;
        diagnosis->cause = format(
            "the body differs from what was signed only by its JSON "
            "formatting (whitespace, key order or escapes): the signature "
            "matches the same JSON re-serialized %s; the body was parsed "
            "and serialized again before it was verified",
            json_forms[i].label);
        diagnosis->fix =
            strdup("verify the raw body bytes as they arrive, before any JSON "
                   "parser runs (express.raw({type: 'application/json'}) in "
                   "Express, request.get_data() in Flask, request.body.read in "
                   "Rails), and never rebuild the body with JSON.stringify or "
                   "json.dumps");
        return 1;
    }
    return 0;
}

/* Hints that a valid JSON body breaks an app that re-serializes it. */
static void hint_json(const struct whk_request *req,
                      struct whkp_diagnosis *diagnosis)
{
    const struct whkp_json_form compact = {0};
    size_t len, out_len = 0;
    const char *body = whk_request_body(req, &len);
    const char *layout = "with the provider's own layout";
    char *text;

    if (!looks_like_json(body, len))
        return;
    text = whkp_json_reformat(body, len, &compact, &out_len);
    if (text == NULL || (out_len == len && memcmp(text, body, len) == 0)) {
        free(text);
        return;
    }
    free(text);
    for (size_t i = 0; i < sizeof(json_forms) / sizeof(*json_forms); i++) {
        int same;

        text = whkp_json_reformat(body, len, &json_forms[i].form, &out_len);
        same = text != NULL && out_len == len && memcmp(text, body, len) == 0;
        free(text);
        if (same) {
            layout = json_forms[i].label;
            break;
        }
    }
    add_hint(diagnosis,
             format("the body is JSON %s; an app that parses it and "
                    "serializes it again (JSON.stringify(req.body)) hashes "
                    "other bytes and fails, so verify the raw body",
                    layout));
}

/*
 * Compares a Host header with a URL's host and port, where an explicit
 * default port (443 for https, 80 for http) equals none.
 */
static int same_host(const struct whk_url_parts *parts, const char *host)
{
    int https = parts->scheme.len == 5;
    const char *colon = strrchr(host, ':');
    size_t host_len = strlen(host);
    const char *port = "";

    if (colon != NULL && strchr(colon, ']') == NULL) {
        port = colon + 1;
        host_len = (size_t)(colon - host);
    }
    if (strcmp(port, https ? "443" : "80") == 0)
        port = "";
    if (parts->port.ptr != NULL &&
        !(parts->port.len == (https ? 3 : 2) &&
          strncmp(parts->port.ptr, https ? "443" : "80", parts->port.len) ==
              0)) {
        if (strlen(port) != parts->port.len ||
            strncmp(port, parts->port.ptr, parts->port.len) != 0)
            return 0;
    } else if (*port != '\0') {
        return 0;
    }
    return host_len == parts->host.len &&
           strncasecmp(host, parts->host.ptr, host_len) == 0;
}

/* Hints for a valid request about what breaks an app's own check. */
static void hint_valid(const struct whk_descriptor *d,
                       const struct whk_request *req, const char *target,
                       struct whkp_diagnosis *diagnosis)
{
    const char *url = whk_request_url(req);
    const char *host = whk_request_header(req, "Host");
    struct whk_url_parts parts;

    if ((d->flags & WHK_SIGNS_URL) && url != NULL &&
        whk_url_split(url, &parts, NULL) == WHK_OK) {
        if (host != NULL && !same_host(&parts, host))
            add_hint(diagnosis,
                     format("the request arrived with Host: %s, but its "
                            "signature was verified against %s; an app that "
                            "rebuilds the URL from Host fails, so give it "
                            "the public URL",
                            host, url));
        size_t signed_len =
            parts.path.len + (parts.query.ptr ? parts.query.len + 1 : 0);

        if (target != NULL && target[0] == '/' &&
            (strlen(target) != signed_len ||
             memcmp(target, parts.path.ptr, signed_len) != 0))
            add_hint(diagnosis,
                     format("the request target is '%s', but the signed URL "
                            "is %s; an app that rebuilds the URL from the "
                            "request path fails",
                            target, url));
    }
    if (d->flags & WHK_SIGNS_BODY)
        hint_json(req, diagnosis);
    if (!(d->flags & WHK_SIGNS_PARAMS))
        return;
    for (size_t i = 0; i < whk_request_param_count(req); i++) {
        const struct whk_param *param = whk_request_param_at(req, i);

        if (param->value_len > 0 &&
            (is_space(param->value[0]) ||
             is_space(param->value[param->value_len - 1]))) {
            add_hint(diagnosis,
                     format("form field '%s' has surrounding whitespace; an "
                            "app whose framework trims fields before "
                            "validating computes another signature, so "
                            "validate the raw values",
                            param->key));
            break;
        }
    }
}

void whkp_diagnose(const struct whk_provider *provider,
                   const struct whk_context *ctx, const struct whk_request *req,
                   const char *target, const struct whkp_secret *secret,
                   const struct whk_verdict *verdict,
                   struct whkp_diagnosis *diagnosis)
{
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    struct whk_span span = whkp_secret_span(secret);

    memset(diagnosis, 0, sizeof(*diagnosis));
    if (whk_verdict_status(verdict) == WHK_VALID) {
        hint_valid(d, req, target, diagnosis);
        return;
    }
    if (whk_verdict_reason(verdict) != WHK_REASON_MISMATCH)
        return;

    if (try_trimmed_secret(provider, ctx, req, secret, diagnosis))
        return;
    if ((d->flags & WHK_SIGNS_URL) &&
        try_urls(provider, ctx, req, target, span, diagnosis))
        return;
    if ((d->flags & WHK_SIGNS_BODY) &&
        try_json_forms(provider, ctx, req, span, diagnosis))
        return;
    if ((d->flags & WHK_SIGNS_PARAMS) &&
        try_trimmed_params(provider, ctx, req, span, diagnosis))
        return;
    diagnosis->cause = strdup(
        (d->flags & WHK_SIGNS_URL)
            ? "no variant of the URL, the secret's whitespace or the form "
              "values matches, so the secret is the likely cause (another "
              "account's, a test credential, or one since rotated), or the "
              "request changed after it was signed"
            : "no variant of the secret's whitespace or the body's "
              "formatting matches, so the secret is the likely cause "
              "(another account's, a test credential, or one since "
              "rotated), or the request changed after it was signed");
}
