/* SPDX-License-Identifier: MIT */
/* whk replay: sends a captured delivery again, as captured or re-signed. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "usage: whk replay [ID | --last] [--target URL] [--resign] [options]\n"
    "\n"
    "Sends a delivery from the capture log again: method, target, headers\n"
    "and body as captured. --resign first replaces the signature with one\n"
    "computed for the public URL, after an edit of the record or a change\n"
    "of the public URL.\n"
    "\n"
    "      --last              replay the last record (the default)\n"
    "      --target URL        where to send it (default from whk.json:\n"
    "                          http://localhost:PORT); a URL without a path\n"
    "                          gets the record's request target\n"
    "      --capture FILE      capture log (default " WHKP_CAPTURE_FILE ")\n"
    "      --resign            sign again for the public URL\n"
    "  -p, --provider NAME     provider for --resign (default: the record's)\n"
    "      --public-url URL    public base URL for --resign (default:\n"
    "                          whk.json's, else the record's URL)\n"
    "      --secret-env VAR    read the secret from environment variable VAR\n"
    "      --secret-file FILE  read the secret (or PEM private key) from FILE\n"
    "      --key-file FILE     sign with the PEM private key in FILE, for\n"
    "                          providers that sign with a key pair (discord,\n"
    "                          sendgrid, sns)\n"
    "      --timeout SECONDS   wait this long for the answer (default 30)\n"
    "      --json              print the result as JSON\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 the endpoint answered 2xx, 1 it answered otherwise, 2\n"
    "usage or input error, 3 environment error (endpoint unreachable).\n";

enum {
    OPT_LAST = 256,
    OPT_TARGET,
    OPT_CAPTURE,
    OPT_RESIGN,
    OPT_PUBLIC_URL,
    OPT_SECRET_ENV,
    OPT_SECRET_FILE,
    OPT_KEY_FILE,
    OPT_TIMEOUT,
    OPT_JSON
};

static const struct option options[] = {
    {"last", no_argument, NULL, OPT_LAST},
    {"target", required_argument, NULL, OPT_TARGET},
    {"capture", required_argument, NULL, OPT_CAPTURE},
    {"resign", no_argument, NULL, OPT_RESIGN},
    {"provider", required_argument, NULL, 'p'},
    {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
    {"secret-env", required_argument, NULL, OPT_SECRET_ENV},
    {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct replay_args {
    const char *id;
    int last;
    const char *target;
    const char *capture;
    int resign;
    const char *provider;
    const char *public_url;
    const char *secret_env;
    const char *secret_file;
    const char *key_file;
    int64_t timeout;
    int json;
};

static int parse_option(int opt, struct replay_args *args)
{
    switch (opt) {
    case OPT_LAST:
        args->last = 1;
        return 1;
    case OPT_TARGET:
        args->target = optarg;
        return 1;
    case OPT_CAPTURE:
        args->capture = optarg;
        return 1;
    case OPT_RESIGN:
        args->resign = 1;
        return 1;
    case 'p':
        args->provider = optarg;
        return 1;
    case OPT_PUBLIC_URL:
        args->public_url = optarg;
        return 1;
    case OPT_SECRET_ENV:
        args->secret_env = optarg;
        return 1;
    case OPT_SECRET_FILE:
        args->secret_file = optarg;
        return 1;
    case OPT_KEY_FILE:
        args->key_file = optarg;
        return 1;
    case OPT_TIMEOUT:
        if (!whkp_parse_seconds("--timeout", optarg, &args->timeout))
            return 0;
        if (args->timeout < 1 || args->timeout > 3600) {
            whkp_error("--timeout '%s' must be from 1 to 3600 seconds", optarg);
            return 0;
        }
        return 1;
    case OPT_JSON:
        args->json = 1;
        return 1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct replay_args *args)
{
    int opt;

    args->capture = WHKP_CAPTURE_FILE;
    args->timeout = 30;
    optind = 1;
    while ((opt = whkp_getopt(argc, argv, "p:h", options, "replay")) != -1) {
        if (opt == 'h') {
            fputs(usage, stdout);
            return -1;
        }
        if (!parse_option(opt, args))
            return WHKP_EXIT_USAGE;
    }
    if (optind < argc)
        args->id = argv[optind++];
    if (optind < argc) {
        whkp_error("unexpected argument '%s'; replay takes one record id",
                   argv[optind]);
        return WHKP_EXIT_USAGE;
    }
    if (args->id != NULL && args->last) {
        whkp_error("give a record ID or --last, not both");
        return WHKP_EXIT_USAGE;
    }
    return WHKP_EXIT_OK;
}

static int read_record(const struct replay_args *args,
                       struct whkp_record *record)
{
    struct whk_error err = {0};
    char *data = NULL;
    size_t len, skipped;
    enum whk_status status;

    /* Capture logs grow; 1 GiB bounds what one replay reads. */
    if (whkp_read_file(args->capture, (size_t)1 << 30, &data, &len, &err) !=
        WHK_OK) {
        whkp_error("%s; 'whk listen' writes the capture log, or pass "
                   "--capture FILE",
                   err.text);
        return WHKP_EXIT_USAGE;
    }
    status =
        whkp_record_read_delivery(data, len, args->id, record, &skipped, &err);
    free(data);
    if (status != WHK_OK) {
        whkp_error("%s: %s", args->capture, err.text);
        return WHKP_EXIT_USAGE;
    }
    if (skipped > 0 && !args->json)
        whkp_note("replaying %s, the last delivery in %s; the %zu %s after "
                  "it are probes of whk test (header %s) or unsigned "
                  "endpoint challenges",
                  record->id ? record->id : "the record", args->capture,
                  skipped, whkp_plural(skipped, "record", "records"),
                  WHKP_TEST_HEADER);
    return WHKP_EXIT_OK;
}

/* The URL to send to: --target or whk.json's port, with the target. */
static char *destination(const struct replay_args *args,
                         const struct whkp_project *project,
                         const struct whkp_record *record)
{
    struct whk_url_parts parts;
    struct whk_error err = {0};
    char *base = NULL, *url;

    if (args->target != NULL) {
        if (whk_url_split(args->target, &parts, &err) != WHK_OK) {
            whkp_error("--target '%s': %s", args->target, err.text);
            return NULL;
        }
        if (parts.path.len > 1 || parts.query.ptr != NULL)
            return strdup(args->target);
        base = strdup(args->target);
    } else if (project->port > 0) {
        base = whkp_sprintf("http://localhost:%d", project->port);
    } else {
        whkp_error("no target: pass --target URL (e.g. "
                   "http://localhost:3000), or record the app's port with "
                   "'whk init'");
        return NULL;
    }
    url = base ? whkp_public_url(base, record->target) : NULL;
    free(base);
    if (url == NULL)
        whkp_error("cannot send request target '%s' to a local URL",
                   record->target);
    return url;
}

/* Replaces the record's signature headers with a new signature. */
static int sign_record(const struct replay_args *args,
                       const struct whk_provider *provider,
                       const struct whkp_secret *secret,
                       struct whkp_record *record, const char *url)
{
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    struct whk_context *ctx = whk_context_new();
    struct whk_error err = {0};
    int ok;

    for (const char *const *h = d->signature_headers; h && *h; h++)
        whk_request_remove_header(record->request, *h);
    ok = ctx != NULL &&
         (url == NULL || whk_request_set_url(record->request, url) == WHK_OK) &&
         whk_provider_sign(provider, ctx, record->request,
                           whkp_secret_span(secret), &err) == WHK_OK;
    whk_context_free(ctx);
    if (!ok) {
        whkp_error("cannot sign record %s%s%s: %s", record->id,
                   url ? " for " : "", url ? url : "",
                   err.text[0] ? err.text : "out of memory");
        return WHKP_EXIT_ENV;
    }
    if (!args->json && url != NULL)
        whkp_note("re-signed record %s for %s", record->id, url);
    else if (!args->json)
        whkp_note("re-signed record %s", record->id);
    return WHKP_EXIT_OK;
}

/*
 * Replaces the signature with one made now, for the public URL. A
 * provider that does not sign the URL needs none.
 */
static int resign(const struct replay_args *args,
                  const struct whkp_project *project,
                  struct whkp_record *record)
{
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    struct whkp_secret secret = {0};
    struct whkp_secret_options sources = {
        .env = args->secret_env,
        .file = args->secret_file,
        .key_file = args->key_file,
        .default_env = project->secret_env,
        .app_verifies = 1,
    };
    const char *name = args->provider ? args->provider : record->provider;
    const char *base =
        args->public_url ? args->public_url : project->public_url;
    char *url = base ? whkp_public_url(base, record->target)
                     : (record->url ? strdup(record->url) : NULL);
    const struct whk_descriptor *d;
    int status;

    status = whkp_load_provider(name ? name : project->provider, &registry,
                                &provider);
    if (status != WHKP_EXIT_OK)
        goto out;
    d = whk_provider_descriptor(provider);
    if (url == NULL && (d->flags & WHK_SIGNS_URL)) {
        whkp_error("no public URL to sign for: pass --public-url URL, or "
                   "set it with 'whk init --public-url URL'");
        status = WHKP_EXIT_USAGE;
        goto out;
    }
    sources.provider = provider;
    status = whkp_secret_load_for(d, &sources, 1, &secret);
    if (status == WHKP_EXIT_OK)
        status = whkp_secret_check(provider, &secret, 1);
    if (status == WHKP_EXIT_OK)
        status = sign_record(args, provider, &secret, record, url);

out:
    whkp_secret_clear(&secret);
    whk_provider_free(provider);
    whk_registry_free(registry);
    free(url);
    return status;
}

/*
 * Loads the provider name quietly, for a hint, and stores its timestamp
 * tolerance and title. Returns 0 when it cannot be loaded.
 */
static int provider_tolerance(const char *name, int *tolerance, char *title,
                              size_t title_size)
{
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    int loaded = 0;

    if (name != NULL &&
        whk_registry_open(&registry, NULL, NULL, NULL) == WHK_OK &&
        whk_provider_load(registry, name, &provider, NULL) == WHK_OK) {
        const struct whk_descriptor *d = whk_provider_descriptor(provider);

        *tolerance = d->tolerance_seconds;
        snprintf(title, title_size, "%s", d->title ? d->title : d->name);
        loaded = 1;
    }
    whk_provider_free(provider);
    whk_registry_free(registry);
    return loaded;
}

/* Returns the seconds since received_at ("...T...Z"), or -1 if unknown. */
static long long record_age(const char *received_at)
{
    struct tm tm = {0};
    const char *rest =
        received_at ? strptime(received_at, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    time_t then = rest ? timegm(&tm) : (time_t)-1;

    if (then == (time_t)-1 || time(NULL) < then)
        return -1;
    return (long long)(time(NULL) - then);
}

/* Returns why a signed timestamp may be stale, or NULL when it is not. */
static char *stale_text(const char *title, int tolerance, long long age)
{
    if (tolerance <= 0)
        return NULL;
    if (age < 0)
        return whkp_sprintf("; so does a record older than the %d s "
                            "tolerance for %s's signed timestamp",
                            tolerance, title);
    if (age <= tolerance)
        return NULL;
    return whkp_sprintf("; this one needs it anyway: it was received %lld s "
                        "ago, beyond the %d s tolerance for %s's signed "
                        "timestamp",
                        age, tolerance, title);
}

/*
 * Explains a 4xx response to a record sent unchanged: it was invalid on
 * arrival, was edited since, or carries a signed timestamp that is now
 * older than the provider's tolerance.
 */
static char *resign_hint(const struct replay_args *args,
                         const struct whkp_project *project,
                         const struct whkp_record *record)
{
    const char *name = args->provider     ? args->provider
                       : record->provider ? record->provider
                                          : project->provider;
    const char *id = record->id ? record->id : "(no id)";
    char title[128] = "", *stale = NULL, *hint;
    int tolerance = 0;

    if (provider_tolerance(name, &tolerance, title, sizeof(title)))
        stale = stale_text(title, tolerance, record_age(record->received_at));
    if (record->verdict != NULL && strcmp(record->verdict, "invalid") == 0)
        hint = whkp_sprintf("whk listen found record %s invalid on arrival "
                            "(%s), and the app rejected it as captured too; "
                            "--resign signs it again with the secret",
                            id, record->reason ? record->reason : "invalid");
    else
        hint = whkp_sprintf("the app rejected record %s as captured; a "
                            "record edited after capture needs --resign, "
                            "which signs it again now%s",
                            id, stale ? stale : "");
    free(stale);
    return hint;
}

/*
 * Prints a response body line by line, because whkp_printf() shows a
 * newline inside an argument as \x0a.
 */
static void print_body(const char *body, size_t len)
{
    const char *end = body + len;

    while (body < end) {
        const char *newline = memchr(body, '\n', (size_t)(end - body));
        size_t line_len =
            newline ? (size_t)(newline - body) : (size_t)(end - body);

        whkp_printf("%.*s\n", (int)line_len, body);
        body += line_len + (newline != NULL);
    }
}

static void print_result(const struct replay_args *args,
                         const struct whkp_record *record, const char *url,
                         const struct whkp_response *response, const char *hint)
{
    json_t *root;
    char *text;

    if (!args->json) {
        whkp_printf("replayed %s (%s %s) to %s: %ld in %.1f ms\n", record->id,
                    whk_request_method(record->request), record->target, url,
                    response->status, response->seconds * 1000);
        print_body(response->body, response->body_len);
        if (hint != NULL)
            whkp_note("%s", hint);
        return;
    }
    root = json_pack("{s:s?, s:s, s:s, s:b, s:i, s:f, s:s?, s:s%, s:s?}", "id",
                     record->id, "target", record->target, "url", url,
                     "resigned", args->resign, "status", (int)response->status,
                     "latency_ms", response->seconds * 1000, "content_type",
                     response->content_type, "body", response->body,
                     response->body_len, "hint", hint);
    text = json_dumps(root, JSON_INDENT(2));
    if (text != NULL)
        puts(text);
    free(text);
    json_decref(root);
}

static int send_record(const struct replay_args *args,
                       const struct whkp_project *project,
                       const struct whkp_record *record, const char *url)
{
    struct whkp_response response;
    char error[512], *hint = NULL;
    enum whkp_send_result result;
    int status;

    if (!whkp_http_init()) {
        whkp_error("cannot initialize libcurl");
        return WHKP_EXIT_ENV;
    }
    result =
        whkp_http_send(NULL, url, record->request, (long)args->timeout * 1000,
                       &response, error, sizeof(error));
    if (result != WHKP_SEND_OK) {
        whkp_error("%s%s", error,
                   result == WHKP_SEND_UNREACHABLE
                       ? "; start the app there, or pass --target URL"
                       : "");
        status = WHKP_EXIT_ENV;
    } else {
        if (!args->resign && response.status >= 400 && response.status <= 499)
            hint = resign_hint(args, project, record);
        print_result(args, record, url, &response, hint);
        status = response.status >= 200 && response.status <= 299
                     ? WHKP_EXIT_OK
                     : WHKP_EXIT_INVALID;
        whkp_response_clear(&response);
        free(hint);
    }
    whkp_http_cleanup();
    return status;
}

/*
 * Returns the name of a header whose value whk listen redacted because it
 * carried the secret itself (WHK_SENDS_SECRET), or NULL.
 */
static const char *redacted_header(const struct whkp_record *record)
{
    size_t count = whk_request_header_count(record->request);

    for (size_t i = 0; i < count; i++) {
        const char *name, *value;

        whk_request_header_at(record->request, i, &name, &value);
        if (strcmp(value, WHK_REDACTED) == 0)
            return name;
    }
    return NULL;
}

int whkp_cmd_replay(int argc, char **argv)
{
    struct replay_args args = {0};
    struct whkp_project project = {0};
    struct whkp_record record = {0};
    char *url = NULL;
    int status = parse_args(argc, argv, &args);

    if (status < 0)
        return WHKP_EXIT_OK;
    if (status != WHKP_EXIT_OK)
        return status;
    status = whkp_project_load(args.provider, &project);
    if (status == WHKP_EXIT_OK)
        status = read_record(&args, &record);
    /* The record's provider picks its whk.json entry: its secret
     * variable, port and public URL. */
    if (status == WHKP_EXIT_OK && args.provider == NULL &&
        record.provider != NULL &&
        (project.provider == NULL ||
         strcmp(project.provider, record.provider) != 0)) {
        whkp_project_clear(&project);
        status = whkp_project_load(record.provider, &project);
    }
    if (status != WHKP_EXIT_OK)
        goto out;

    url = destination(&args, &project, &record);
    if (url == NULL) {
        status = WHKP_EXIT_USAGE;
        goto out;
    }
    if (!args.resign && redacted_header(&record) != NULL) {
        whkp_error("record %s has no secret to send: whk listen redacted "
                   "%s, which carries the secret itself; pass --resign to "
                   "send it with the secret",
                   record.id, redacted_header(&record));
        status = WHKP_EXIT_USAGE;
    } else if (args.resign) {
        status = resign(&args, &project, &record);
    }
    if (status == WHKP_EXIT_OK)
        status = send_record(&args, &project, &record, url);

out:
    free(url);
    whkp_record_clear(&record);
    whkp_project_clear(&project);
    return status;
}
