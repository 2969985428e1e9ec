/* SPDX-License-Identifier: MIT */
/* whk plugin check: whether each declaration of a descriptor is usable. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plugin_check.h"

const char *const whkp_declaration_checks[] = {
    "identity", "callbacks",        "signature-headers", "secret",  "fields",
    "samples",  "idempotency-keys", "response",          "timeout", "failures",
    NULL,
};

/* The first problem a check finds; later ones are not recorded. */
struct problem {
    char text[400];
};

static void found(struct problem *p, const char *format, ...) WHK_PRINTF(2, 3);

static void found(struct problem *p, const char *format, ...)
{
    va_list args;

    if (p->text[0] != '\0')
        return;
    va_start(args, format);
    vsnprintf(p->text, sizeof(p->text), format, args);
    va_end(args);
}

static int is_empty(const char *text)
{
    return text == NULL || *text == '\0';
}

/* RFC 9110 token characters, as in header names and methods. */
static int is_token(const char *text)
{
    if (is_empty(text))
        return 0;
    for (const char *c = text; *c; c++) {
        if (!isalnum((unsigned char)*c) && !strchr("!#$%&'*+-.^_`|~", *c))
            return 0;
    }
    return 1;
}

/* Lowercase letters, digits, "-" and "_", as providers.d names are. */
static int is_name(const char *text)
{
    if (is_empty(text) || strlen(text) > 64 || !isalnum((unsigned char)*text))
        return 0;
    for (const char *c = text; *c; c++) {
        if (!islower((unsigned char)*c) && !isdigit((unsigned char)*c) &&
            *c != '-' && *c != '_')
            return 0;
    }
    return 1;
}

static void report(struct whkp_check_report *r, const char *check,
                   const struct problem *p, const char *format, ...)
    WHK_PRINTF(4, 5);

/* Adds a failing row with p's text, or a passing one with format. */
static void report(struct whkp_check_report *r, const char *check,
                   const struct problem *p, const char *format, ...)
{
    char text[400];
    va_list args;

    if (p->text[0] != '\0') {
        whkp_check_add(r, check, WHKP_CHECK_FAIL, "%s", p->text);
        return;
    }
    va_start(args, format);
    vsnprintf(text, sizeof(text), format, args);
    va_end(args);
    whkp_check_add(r, check, WHKP_CHECK_PASS, "%s", text);
}

static void check_identity(struct whkp_check_report *r,
                           const struct whk_descriptor *d)
{
    struct problem p = {""};

    if (!is_name(d->name))
        found(&p,
              "name '%s' is not a provider name; use lowercase "
              "letters, digits, '-' and '_'",
              d->name ? d->name : "(null)");
    if (is_empty(d->title))
        found(&p, "title is not set; give the provider's display name");
    if (is_empty(d->summary))
        found(&p, "summary is not set; describe the webhooks in one line");
    if (is_empty(d->algorithm))
        found(&p, "algorithm is not set; describe the signature in one "
                  "line");
    if (d->docs_url != NULL && strncmp(d->docs_url, "https://", 8) != 0)
        found(&p, "docs_url '%s' is not an https:// URL", d->docs_url);
    report(r, "identity", &p,
           "%s (%s): name, title, summary and "
           "algorithm set",
           d->name, d->title);
}

static void check_callbacks(struct whkp_check_report *r,
                            const struct whk_descriptor *d)
{
    struct problem p = {""};

    if (d->sign == NULL)
        found(&p, "sign is not set; whk sign and whk test need it");
    if (d->verify == NULL)
        found(&p, "verify is not set; whk verify and whk listen need it");
    if (d->fini != NULL && d->init == NULL)
        found(&p, "fini is set without init; fini releases what init "
                  "allocated");
    report(r, "callbacks", &p, "sign and verify set%s",
           d->init ? ", with init" : "");
}

static void check_headers(struct whkp_check_report *r,
                          const struct whk_descriptor *d)
{
    struct problem p = {""};
    size_t count = 0;

    for (const char *const *h = d->signature_headers; h && *h; h++) {
        if (!is_token(*h))
            found(&p,
                  "signature header '%s' is not a valid HTTP header "
                  "name (letters, digits and !#$%%&'*+-.^_`|~ only)",
                  *h);
        for (const char *const *e = d->signature_headers; e != h; e++) {
            if (strcasecmp(*e, *h) == 0)
                found(&p, "signature header '%s' is listed twice", *h);
        }
        count++;
    }
    if (count == 0 && !(d->flags & WHK_SIGNATURE_IN_BODY))
        found(&p, "signature_headers is empty; list the header(s) that "
                  "carry the signature, or set WHK_SIGNATURE_IN_BODY when "
                  "it is in the body");
    report(r, "signature-headers", &p, "%s%s",
           count ? d->signature_headers[0]
                 : "in the body (WHK_SIGNATURE_IN_BODY)",
           count > 1 ? " and more" : "");
}

static int is_env_name(const char *text)
{
    if (is_empty(text) || isdigit((unsigned char)*text))
        return 0;
    for (const char *c = text; *c; c++) {
        if (!isupper((unsigned char)*c) && !isdigit((unsigned char)*c) &&
            *c != '_')
            return 0;
    }
    return 1;
}

/*
 * A provider that sends its secret as-is (WHK_SENDS_SECRET) shares it and
 * signs nothing, so no WHK_SIGNS_* flag fits.
 */
static void check_sent_secret(struct problem *p, const struct whk_descriptor *d)
{
    const unsigned int signs =
        WHK_SIGNS_URL | WHK_SIGNS_PARAMS | WHK_SIGNS_BODY;

    if (!(d->flags & WHK_SENDS_SECRET))
        return;
    if (d->secret.kind != WHK_SECRET_SHARED)
        found(p, "flags has WHK_SENDS_SECRET, which needs secret.kind "
                 "WHK_SECRET_SHARED: a key pair's private key is never sent");
    if (d->flags & signs)
        found(p, "flags has WHK_SENDS_SECRET and a WHK_SIGNS_* flag; a "
                 "secret sent as-is covers no URL, parameter or body, so "
                 "remove the WHK_SIGNS_* flags");
}

static void check_secret(struct whkp_check_report *r,
                         const struct whk_descriptor *d)
{
    struct problem p = {""};

    if (d->secret.kind != WHK_SECRET_SHARED &&
        d->secret.kind != WHK_SECRET_PUBLIC_KEY)
        found(&p,
              "secret.kind is %d, neither WHK_SECRET_SHARED nor "
              "WHK_SECRET_PUBLIC_KEY",
              (int)d->secret.kind);
    if (!is_env_name(d->secret.env))
        found(&p,
              "secret.env '%s' is not an environment variable name "
              "(uppercase letters, digits and '_')",
              d->secret.env ? d->secret.env : "(null)");
    if (is_empty(d->secret.form))
        found(&p, "secret.form is not set; describe what the secret looks "
                  "like");
    check_sent_secret(&p, d);
    report(r, "secret", &p, "%s: %s%s", d->secret.env, d->secret.form,
           (d->flags & WHK_SENDS_SECRET) ? " (sent as-is)" : "");
}

/* Returns 1 when every {{...}} in value is a placeholder whk fills in. */
static int known_placeholders(const char *value, const char **unknown)
{
    static const char *const names[] = {"WEBHOOK_URL", "STATUS_CALLBACK_URL",
                                        "PUBLIC_URL", "SECRET_ENV", NULL};

    for (const char *open = strstr(value, "{{"); open;
         open = strstr(open + 2, "{{")) {
        const char *close = strstr(open, "}}");
        size_t i;

        for (i = 0; close && names[i]; i++) {
            if ((size_t)(close - open - 2) == strlen(names[i]) &&
                strncmp(open + 2, names[i], strlen(names[i])) == 0)
                break;
        }
        if (close == NULL || names[i] == NULL) {
            *unknown = open;
            return 0;
        }
    }
    return 1;
}

static void check_fields(struct whkp_check_report *r,
                         const struct whk_descriptor *d)
{
    struct problem p = {""};
    size_t rows = 0;
    int webhook = 0;

    for (const struct whk_field *f = d->fields; f && f->name; f++, rows++) {
        const char *unknown = NULL;

        if (is_empty(f->section) || is_empty(f->value))
            found(&p, "field row %zu ('%s') has no %s", rows + 1, f->name,
                  is_empty(f->section) ? "section" : "value");
        else if (!known_placeholders(f->value, &unknown))
            found(&p,
                  "field row %zu ('%s') uses unknown placeholder "
                  "'%.30s'; whk fills {{WEBHOOK_URL}}, "
                  "{{STATUS_CALLBACK_URL}}, {{PUBLIC_URL}} and "
                  "{{SECRET_ENV}}",
                  rows + 1, f->name, unknown);
        else if (strstr(f->value, "{{WEBHOOK_URL}}") ||
                 strstr(f->value, "{{PUBLIC_URL}}"))
            webhook = 1;
    }
    if (rows == 0)
        found(&p, "the field table is empty; list what a user fills in "
                  "the provider's dashboard");
    else if (!webhook)
        found(&p, "no field row contains {{WEBHOOK_URL}}; say where the "
                  "webhook URL goes");
    report(r, "fields", &p, "%zu rows, the webhook URL among them", rows);
}

static int is_json_type(const char *media)
{
    size_t len = strlen(media);

    return strcmp(media, "application/json") == 0 ||
           (len > 5 && strcmp(media + len - 5, "+json") == 0);
}

static int is_xml_type(const char *media)
{
    size_t len = strlen(media);

    return strcmp(media, "text/xml") == 0 ||
           strcmp(media, "application/xml") == 0 ||
           (len > 4 && strcmp(media + len - 4, "+xml") == 0);
}

/* Checks that a sample's body parses as its content type. */
static void check_body(struct problem *p, const struct whk_sample *s)
{
    char media[128];
    size_t len = strcspn(s->content_type, ";");

    snprintf(media, sizeof(media), "%.*s", (int)len, s->content_type);
    for (char *c = media; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    while (len > 0 && media[len - 1] == ' ')
        media[--len] = '\0';

    if (is_json_type(media)) {
        json_error_t error;
        json_t *root = json_loads(s->body, JSON_DECODE_ANY, &error);

        if (root == NULL)
            found(p,
                  "sample '%s' is %s but its body is not JSON: %s at "
                  "line %d, column %d",
                  s->name, media, error.text, error.line, error.column);
        json_decref(root);
    } else if (strcmp(media, "application/x-www-form-urlencoded") == 0) {
        if (strpbrk(s->body, " \r\n") != NULL)
            found(p,
                  "sample '%s' is form-encoded but its body contains a "
                  "space or line break; encode them as + and %%0A",
                  s->name);
    } else if (is_xml_type(media)) {
        if (s->body[strspn(s->body, " \t\r\n")] != '<')
            found(p,
                  "sample '%s' is %s but its body does not start with "
                  "'<'",
                  s->name, media);
    }
}

static void check_sample(struct problem *p, const struct whk_sample *s,
                         const struct whk_descriptor *d)
{
    if (!is_name(s->name))
        found(p,
              "sample name '%s' is not usable with --sample; use "
              "lowercase letters, digits and '-'",
              s->name);
    for (const struct whk_sample *e = d->samples; e != s; e++) {
        if (strcmp(e->name, s->name) == 0)
            found(p, "sample name '%s' is used twice", s->name);
    }
    if (is_empty(s->description))
        found(p, "sample '%s' has no description", s->name);
    if (s->method != NULL && !is_token(s->method))
        found(p, "sample '%s' has method '%s', not an HTTP method", s->name,
              s->method);
    if (s->path_suffix != NULL && s->path_suffix[0] != '/')
        found(p, "sample '%s' has path_suffix '%s'; start it with '/'", s->name,
              s->path_suffix);
    for (const char *const *h = s->headers; h && *h; h++) {
        const char *colon = strchr(*h, ':');

        if (colon == NULL || colon == *h)
            found(p, "sample '%s' has header line '%s', not 'Name: value'",
                  s->name, *h);
    }
    if (is_empty(s->content_type) || is_empty(s->body))
        found(p, "sample '%s' has no %s", s->name,
              is_empty(s->body) ? "body" : "content_type");
    else
        check_body(p, s);
}

static void check_samples(struct whkp_check_report *r,
                          const struct whk_descriptor *d)
{
    struct problem p = {""};
    size_t count = 0;

    for (const struct whk_sample *s = d->samples; s && s->name; s++) {
        check_sample(&p, s, d);
        count++;
    }
    if (count == 0)
        found(&p, "there are no samples; declare the requests the provider "
                  "sends");
    report(r, "samples", &p,
           "%zu samples, each with a body that parses "
           "as its content type",
           count);
}

static void check_keys(struct whkp_check_report *r,
                       const struct whk_descriptor *d)
{
    struct problem p = {""};
    size_t count = 0;

    for (const struct whk_key *k = d->idempotency_keys; k && k->name;
         k++, count++) {
        if (k->source != WHK_KEY_PARAM && k->source != WHK_KEY_HEADER &&
            k->source != WHK_KEY_JSON)
            found(&p,
                  "idempotency key '%s' has source %d, not "
                  "WHK_KEY_PARAM, WHK_KEY_HEADER or WHK_KEY_JSON",
                  k->name, (int)k->source);
        else if (k->source == WHK_KEY_JSON && k->name[0] != '/')
            found(&p,
                  "idempotency key '%s' is a JSON body member but not "
                  "a JSON Pointer; write it as '/%s'",
                  k->name, k->name);
        else if (k->source != WHK_KEY_JSON && !is_token(k->name))
            found(&p, "idempotency key '%s' is not a valid name", k->name);
    }
    if (count == 0)
        report(r, "idempotency-keys", &p, "none declared");
    else
        report(r, "idempotency-keys", &p, "%zu declared", count);
}

static void check_response(struct whkp_check_report *r,
                           const struct whk_descriptor *d)
{
    const struct whk_response_decl *resp = &d->response;
    struct problem p = {""};

    if (resp->status != 0 && (resp->status < 100 || resp->status > 599))
        found(&p,
              "response.status is %d; give an HTTP status, or 0 for "
              "any 2xx",
              resp->status);
    if (resp->content_type != NULL && strchr(resp->content_type, '/') == NULL)
        found(&p, "response.content_type '%s' is not a media type",
              resp->content_type);
    if (resp->format != NULL && strcmp(resp->format, "xml") != 0 &&
        strcmp(resp->format, "json") != 0 && strcmp(resp->format, "text") != 0)
        found(&p,
              "response.format is '%s'; use \"xml\", \"json\", \"text\" "
              "or NULL",
              resp->format);
    if (resp->body != NULL && resp->format != NULL &&
        strcmp(resp->format, "json") == 0) {
        json_t *root = json_loads(resp->body, JSON_DECODE_ANY, NULL);

        if (root == NULL)
            found(&p, "response.body is not JSON, but response.format is "
                      "\"json\"");
        json_decref(root);
    }
    report(r, "response", &p, "%d %s", resp->status,
           resp->content_type ? resp->content_type : "(any type)");
}

static void check_timeout(struct whkp_check_report *r,
                          const struct whk_descriptor *d)
{
    struct problem p = {""};

    int undocumented = (d->flags & WHK_NO_TIMEOUT) != 0;

    if (d->timeout_ms == 0 && !undocumented)
        found(&p, "timeout_ms is 0; set how long the provider waits for "
                  "the endpoint before giving up, or the flag "
                  "WHK_NO_TIMEOUT when its documentation names none");
    if (d->timeout_ms != 0 && undocumented)
        found(&p,
              "timeout_ms is %u, but the flag WHK_NO_TIMEOUT says the "
              "provider documents no timeout; drop one of them",
              d->timeout_ms);
    if (d->tolerance_seconds < 0)
        found(&p,
              "tolerance_seconds is %d; use 0 for no timestamp or a "
              "positive number of seconds",
              d->tolerance_seconds);
    if (undocumented)
        report(r, "timeout", &p, "none documented (WHK_NO_TIMEOUT)");
    else
        report(r, "timeout", &p, "the provider waits %u ms", d->timeout_ms);
}

static void check_failures(struct whkp_check_report *r,
                           const struct whk_descriptor *d)
{
    struct problem p = {""};
    size_t count = 0;

    for (const struct whk_failure *f = d->failures; f && f->symptom;
         f++, count++) {
        if (is_empty(f->cause) || is_empty(f->fix))
            found(&p, "failure '%s' has no %s", f->symptom,
                  is_empty(f->cause) ? "cause" : "fix");
        /* libwhk names every reason it knows, so "unknown" is none. */
        if (strcmp(whk_reason_name(f->reason), "unknown") == 0)
            found(&p, "failure '%s' has reason %d, not a whk_reason",
                  f->symptom, (int)f->reason);
    }
    report(r, "failures", &p, "%zu declared, each with cause and fix", count);
}

void whkp_check_declarations(struct whkp_check_report *r,
                             const struct whk_descriptor *d)
{
    check_identity(r, d);
    check_callbacks(r, d);
    check_headers(r, d);
    check_secret(r, d);
    check_fields(r, d);
    check_samples(r, d);
    check_keys(r, d);
    check_response(r, d);
    check_timeout(r, d);
    check_failures(r, d);
}
