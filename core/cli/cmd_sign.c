/* SPDX-License-Identifier: MIT */
/* whk sign: signs a request as the provider would, for tests and curl. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "usage: whk sign --provider NAME [--secret-env VAR | --secret-file FILE]\n"
    "                --url PUBLIC_URL [FILE | --data DATA | --sample NAME]\n"
    "                [--curl TARGET] [options]\n"
    "\n"
    "Signs a request for the public URL as the provider would and prints the\n"
    "header lines it would send, or with --curl a command that posts the\n"
    "signed request to a local TARGET.\n"
    "\n"
    "  -p, --provider NAME     provider ('whk providers' lists them)\n"
    "      --secret-env VAR    read the secret from environment variable VAR\n"
    "                          (default: the provider's, such as\n"
    "                          TWILIO_AUTH_TOKEN)\n"
    "      --secret-file FILE  read the secret (or PEM private key) from FILE\n"
    "      --key-file FILE     sign with the PEM private key in FILE, for\n"
    "                          providers that sign with a key pair (discord,\n"
    "                          sendgrid, sns); 'whk verify --key-file FILE' checks\n"
    "                          the result\n"
    "      --url URL           public URL the provider requests (default:\n"
    "                          whk.json's public URL and path)\n"
    "      --public-url URL    public base URL; the path comes from whk.json\n"
    "  -X, --method METHOD     request method (default POST)\n"
    "  -H, --header 'N: V'     add or replace a header (repeatable)\n"
    "  -d, --data DATA         body: text, @FILE, or @- for standard input;\n"
    "                          without a Content-Type header it is sent as\n"
    "                          application/x-www-form-urlencoded, as curl\n"
    "                          does\n"
    "      --sample NAME       sign one of the provider's sample requests\n"
    "      --record ID         capture record to sign, when FILE is a\n"
    "                          capture log (default: the last)\n"
    "      --timestamp SECONDS Unix time to sign with (default: now)\n"
    "      --id ID             message id, for schemes that sign one\n"
    "      --curl TARGET       print a curl command posting to TARGET; a\n"
    "                          TARGET without a path gets the URL's path\n"
    "      --json              print the URL and headers (and the curl\n"
    "                          command) as JSON\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 signed, 2 usage or input error, 3 environment error.\n";

enum {
    OPT_SECRET_ENV = 256,
    OPT_SECRET_FILE,
    OPT_KEY_FILE,
    OPT_URL,
    OPT_SAMPLE,
    OPT_RECORD,
    OPT_TIMESTAMP,
    OPT_ID,
    OPT_CURL,
    OPT_JSON,
    OPT_PUBLIC_URL
};

static const struct option options[] = {
    {"provider", required_argument, NULL, 'p'},
    {"secret-env", required_argument, NULL, OPT_SECRET_ENV},
    {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"url", required_argument, NULL, OPT_URL},
    {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
    {"method", required_argument, NULL, 'X'},
    {"header", required_argument, NULL, 'H'},
    {"data", required_argument, NULL, 'd'},
    {"sample", required_argument, NULL, OPT_SAMPLE},
    {"record", required_argument, NULL, OPT_RECORD},
    {"timestamp", required_argument, NULL, OPT_TIMESTAMP},
    {"id", required_argument, NULL, OPT_ID},
    {"curl", required_argument, NULL, OPT_CURL},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct sign_args {
    const char *provider;
    const char *secret_env;
    const char *secret_file;
    const char *key_file;
    const char *public_url;
    struct whkp_request_options request;
    int64_t timestamp;
    int have_timestamp;
    const char *id;
    const char *curl_target;
    int json;
};

/* Checks --id, which goes into a header and the signed bytes. */
static int check_id(const char *id)
{
    if (*id == '\0') {
        whkp_error("--id is empty; give a message id such as msg_123, or "
                   "leave --id out for a new random one");
        return 0;
    }
    for (const char *p = id; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            whkp_error("--id '%s' contains a control character at position "
                       "%zu; a message id goes into a header, which cannot "
                       "hold one",
                       id, (size_t)(p - id) + 1);
            return 0;
        }
    }
    return 1;
}

static int parse_args(int argc, char **argv, struct sign_args *args)
{
    int opt;

    optind = 1;
    while ((opt = whkp_getopt(argc, argv, "p:X:H:d:h", options, "sign")) !=
           -1) {
        switch (opt) {
        case 'p':
            args->provider = optarg;
            args->request.provider = optarg;
            break;
        case OPT_SECRET_ENV:
            args->secret_env = optarg;
            break;
        case OPT_SECRET_FILE:
            args->secret_file = optarg;
            break;
        case OPT_KEY_FILE:
            args->key_file = optarg;
            break;
        case OPT_URL:
            args->request.url = optarg;
            break;
        case OPT_PUBLIC_URL:
            args->public_url = optarg;
            break;
        case 'X':
            args->request.method = optarg;
            break;
        case 'H':
            if (!whkp_request_options_add_header(&args->request, optarg)) {
                whkp_error("out of memory");
                return WHKP_EXIT_ENV;
            }
            break;
        case 'd':
            args->request.data = optarg;
            break;
        case OPT_SAMPLE:
            args->request.sample = optarg;
            break;
        case OPT_RECORD:
            args->request.record_id = optarg;
            break;
        case OPT_TIMESTAMP:
            if (!whkp_parse_seconds("--timestamp", optarg, &args->timestamp))
                return WHKP_EXIT_USAGE;
            args->have_timestamp = 1;
            break;
        case OPT_ID:
            if (!check_id(optarg))
                return WHKP_EXIT_USAGE;
            args->id = optarg;
            break;
        case OPT_CURL:
            args->curl_target = optarg;
            break;
        case OPT_JSON:
            args->json = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return -1;
        default:
            return WHKP_EXIT_USAGE;
        }
    }
    if (optind < argc)
        args->request.file = argv[optind++];
    if (optind < argc) {
        whkp_error("unexpected argument '%s'; sign takes one request file",
                   argv[optind]);
        return WHKP_EXIT_USAGE;
    }
    return WHKP_EXIT_OK;
}

/* Returns 1 when header line index of after is absent from before. */
static int is_new_line(const struct whk_request *before,
                       const struct whk_request *after, size_t index)
{
    const char *name, *value, *old;

    whk_request_header_at(after, index, &name, &value);
    for (size_t n = 0; (old = whk_request_header_nth(before, name, n)); n++) {
        if (strcmp(old, value) == 0)
            return 0;
    }
    return 1;
}

static int skip_for_curl(const char *name)
{
    return strcasecmp(name, "Host") == 0 ||
           strcasecmp(name, "Content-Length") == 0 ||
           strcasecmp(name, "Transfer-Encoding") == 0 ||
           strcasecmp(name, "Connection") == 0;
}

/*
 * Returns TARGET, or TARGET with the public URL's path and query when it
 * has no path of its own ("http://localhost:3000").
 */
static char *curl_url(const char *target, const char *url)
{
    struct whk_url_parts target_parts, url_parts;
    const char *path_query;
    size_t keep;
    char *joined;

    if (whk_url_split(target, &target_parts, NULL) != WHK_OK ||
        whk_url_split(url, &url_parts, NULL) != WHK_OK)
        return NULL;
    if (strncasecmp(target, "http://", 7) != 0 &&
        strncasecmp(target, "https://", 8) != 0)
        return NULL;
    if (target_parts.path.len > 1 || target_parts.query.ptr != NULL)
        return strdup(target);

    path_query = url_parts.path.ptr;
    keep = (size_t)(target_parts.path.ptr - target);
    if (asprintf(&joined, "%.*s%s%.*s", (int)keep, target,
                 *path_query == '/' ? "" : "/", (int)strcspn(path_query, "#"),
                 path_query) < 0)
        return NULL;
    return joined;
}

static void print_quoted(FILE *out, const char *prefix, const char *text)
{
    char *quoted = whkp_shell_quote(text, strlen(text));

    fprintf(out, "%s%s", prefix, quoted ? quoted : "''");
    free(quoted);
}

/*
 * One argument may hold at most 128 KiB on Linux (MAX_ARG_STRLEN), so a
 * larger body goes through printf, a shell builtin, and a pipe.
 */
#define MAX_CURL_ARGUMENT (100 * 1024)

/* Prints the -H options: what a tunnel forwards, then req's headers. */
static void print_curl_headers(FILE *out, const struct whk_request *req)
{
    size_t count = whk_request_header_count(req);
    struct whk_url_parts parts;
    char *line;

    /* Send what a tunnel forwards: the public host and the scheme. */
    if (whk_url_split(whk_request_url(req), &parts, NULL) == WHK_OK) {
        if (asprintf(&line, "Host: %.*s",
                     (int)(parts.path.ptr - parts.host.ptr),
                     parts.host.ptr) > 0) {
            print_quoted(out, " -H ", line);
            free(line);
        }
        if (whk_request_header(req, "X-Forwarded-Proto") == NULL &&
            asprintf(&line, "X-Forwarded-Proto: %.*s", (int)parts.scheme.len,
                     parts.scheme.ptr) > 0) {
            print_quoted(out, " -H ", line);
            free(line);
        }
    }
    for (size_t i = 0; i < count; i++) {
        const char *name, *value;

        whk_request_header_at(req, i, &name, &value);
        if (skip_for_curl(name) || asprintf(&line, "%s: %s", name, value) < 0)
            continue;
        print_quoted(out, " -H ", line);
        free(line);
    }
}

/* Prints a curl command that sends req, as signed, to target. */
static int print_curl(FILE *out, const struct whk_request *req,
                      const char *target, const char *data_option)
{
    size_t body_len;
    const char *body = whk_request_body(req, &body_len);
    int from_file = data_option != NULL && data_option[0] == '@' &&
                    strcmp(data_option, "@-") != 0;
    int piped = !from_file && body_len > MAX_CURL_ARGUMENT;
    char *full = curl_url(target, whk_request_url(req));

    if (full == NULL) {
        whkp_error("--curl '%s' is not an http:// or https:// URL such as "
                   "http://localhost:3000",
                   target);
        return WHKP_EXIT_USAGE;
    }
    if (!from_file && memchr(body, '\0', body_len) != NULL) {
        whkp_error("the body contains NUL bytes, which a shell argument "
                   "cannot hold; save it to a file and pass --data @FILE");
        free(full);
        return WHKP_EXIT_USAGE;
    }

    if (piped)
        print_quoted(out, "printf '%s' ", body);
    fprintf(out, "%scurl -sS -g -X %s", piped ? " | " : "",
            whk_request_method(req));
    print_quoted(out, " ", full);
    print_curl_headers(out, req);
    if (from_file)
        print_quoted(out, " --data-binary ", data_option);
    else if (piped)
        fputs(" --data-binary @-", out);
    else if (body_len > 0)
        print_quoted(out, " --data-raw ", body);
    fputc('\n', out);
    free(full);
    return WHKP_EXIT_OK;
}

/* Whether signing changed the body, as a timestamp inside it does. */
static int body_changed(const struct whk_request *before,
                        const struct whk_request *after)
{
    size_t before_len, after_len;
    const char *a = whk_request_body(before, &before_len);
    const char *b = whk_request_body(after, &after_len);

    return before_len != after_len ||
           (before_len > 0 && memcmp(a, b, before_len) != 0);
}

static void print_headers(const struct whk_request *before,
                          const struct whk_request *after, int json,
                          const char *curl)
{
    size_t count = whk_request_header_count(after);
    json_t *headers = json_array();

    for (size_t i = 0; i < count; i++) {
        const char *name, *value;

        if (!is_new_line(before, after, i))
            continue;
        whk_request_header_at(after, i, &name, &value);
        if (json)
            json_array_append_new(
                headers, json_pack("{s:s, s:s}", "name", name, "value", value));
        else
            whkp_printf("%s: %s\n", name, value);
    }
    if (json) {
        json_t *root = json_pack(
            "{s:s, s:s, s:o, s:s?}", "method", whk_request_method(after), "url",
            whk_request_url(after), "headers", headers, "curl", curl);
        char *text;

        /* The signed body, when signing wrote into it. */
        if (body_changed(before, after)) {
            size_t len;
            const char *body = whk_request_body(after, &len);

            json_object_set_new(root, "body", json_stringn(body, len));
        }
        text = json_dumps(root, JSON_INDENT(2));

        if (text != NULL)
            puts(text);
        free(text);
        json_decref(root);
    } else {
        json_decref(headers);
    }
}

static int sign_request(const struct whk_provider *provider,
                        const struct sign_args *args,
                        const struct whkp_secret *secret,
                        struct whk_request *req)
{
    struct whk_context *ctx = whk_context_new();
    struct whk_error err = {0};
    enum whk_status status;

    if (ctx == NULL) {
        whkp_error("out of memory");
        return WHKP_EXIT_ENV;
    }
    if (args->have_timestamp)
        whk_context_set_time(ctx, args->timestamp);
    if (args->id != NULL)
        whk_context_set_id(ctx, args->id);
    status =
        whk_provider_sign(provider, ctx, req, whkp_secret_span(secret), &err);
    whk_context_free(ctx);
    if (status != WHK_OK) {
        whkp_error("cannot sign: %s",
                   err.text[0] ? err.text : whk_strerror(status));
        return status == WHK_ERR_SECRET ? WHKP_EXIT_ENV : WHKP_EXIT_USAGE;
    }
    return WHKP_EXIT_OK;
}

/*
 * Rejects signing for a provider that sends its secret as-is: the header
 * lines or curl command would print the secret. Names what works instead,
 * with the secret's variable (never its value) for a curl command.
 */
static int reject_sent_secret(const struct whk_descriptor *d,
                              const struct sign_args *args,
                              const struct whkp_project *project)
{
    const char *header = d->signature_headers[0];
    const char *env = args->secret_env      ? args->secret_env
                      : project->secret_env ? project->secret_env
                                            : d->secret.env;
    char *value = args->secret_file
                      ? whkp_sprintf("$(cat %s)", args->secret_file)
                      : whkp_sprintf("$%s", env ? env : "SECRET");

    whkp_error("provider %s sends the secret itself in %s, unsigned, so "
               "'whk sign' prints nothing that would show it; check an "
               "endpoint with 'whk test --provider %s', or add the header "
               "from your own variable to a request: curl -H \"%s: %s\" ...",
               d->name, header, project->provider, header,
               value ? value : "$SECRET");
    free(value);
    return WHKP_EXIT_USAGE;
}

static int run(struct sign_args *args)
{
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    struct whk_request *req = NULL, *before = NULL;
    struct whkp_secret secret = {0};
    struct whkp_secret_options sources = {
        .env = args->secret_env,
        .file = args->secret_file,
        .key_file = args->key_file,
    };
    const struct whk_descriptor *d;
    struct whkp_project project = {0};
    char *target = NULL, *url_before = NULL, *webhook_url = NULL;
    int status, changed;

    status = whkp_check_stdin(&args->request, args->secret_file);
    if (status == WHKP_EXIT_OK)
        status = whkp_project_load(args->provider, &project);
    if (status != WHKP_EXIT_OK)
        return status;
    status = whkp_load_provider(project.provider, &registry, &provider);
    if (status != WHKP_EXIT_OK)
        goto out;
    d = whk_provider_descriptor(provider);
    if (d->flags & WHK_SENDS_SECRET) {
        status = reject_sent_secret(d, args, &project);
        goto out;
    }
    if (args->request.provider == NULL)
        args->request.provider = project.provider;
    status = whkp_apply_project(&project, args->public_url, &args->request,
                                &webhook_url);
    if (status == WHKP_EXIT_OK && args->request.url == NULL &&
        args->request.file == NULL && (d->flags & WHK_SIGNS_URL)) {
        whkp_error("sign needs --url with the public URL the provider "
                   "requests (the URL in its dashboard), or a public URL "
                   "recorded with 'whk init --public-url URL'");
        status = WHKP_EXIT_USAGE;
    }
    if (status == WHKP_EXIT_OK)
        status = whkp_build_request(&args->request, d, &req, &target);
    if (status != WHKP_EXIT_OK)
        goto out;

    sources.default_env = project.secret_env;
    sources.provider = provider;
    status = whkp_secret_load_for(d, &sources, 1, &secret);
    if (status == WHKP_EXIT_OK)
        status = whkp_secret_check(provider, &secret, 1);
    if (status != WHKP_EXIT_OK)
        goto out;

    before = whk_request_copy(req);
    url_before = strdup(whk_request_url(req));
    if (before == NULL || url_before == NULL) {
        whkp_error("out of memory");
        status = WHKP_EXIT_ENV;
        goto out;
    }
    status = sign_request(provider, args, &secret, req);
    if (status != WHKP_EXIT_OK)
        goto out;

    if (strcmp(url_before, whk_request_url(req)) != 0)
        whkp_note("the provider signs the URL %s; send the request there",
                  whk_request_url(req));
    changed = body_changed(before, req);
    if (changed) {
        size_t len;
        const char *body = whk_request_body(req, &len);

        /* The file no longer holds what was signed; curl gets the body. */
        args->request.data = NULL;
        whkp_note("signing wrote into the body (the time of sending or the "
                  "signature, as the provider does); send this body%s: %.*s",
                  args->json ? " (the JSON's \"body\")"
                             : " (--curl or --json gives it whole)",
                  len > 2000 ? 2000 : (int)len, body);
    }
    if (args->curl_target != NULL && !args->json) {
        status = print_curl(stdout, req, args->curl_target, args->request.data);
    } else if (args->curl_target != NULL) {
        char *curl = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&curl, &size);

        status =
            out ? print_curl(out, req, args->curl_target, args->request.data)
                : WHKP_EXIT_ENV;
        if (out != NULL)
            fclose(out);
        if (status == WHKP_EXIT_OK) {
            if (size > 0 && curl[size - 1] == '\n')
                curl[size - 1] = '\0';
            print_headers(before, req, 1, curl);
        }
        free(curl);
    } else {
        print_headers(before, req, args->json, NULL);
    }

out:
    whkp_secret_clear(&secret);
    whk_request_free(req);
    whk_request_free(before);
    free(target);
    free(url_before);
    free(webhook_url);
    whk_provider_free(provider);
    whk_registry_free(registry);
    whkp_project_clear(&project);
    return status;
}

int whkp_cmd_sign(int argc, char **argv)
{
    struct sign_args args = {.request.samples = 1};
    int status = parse_args(argc, argv, &args);

    if (status == WHKP_EXIT_OK)
        status = run(&args);
    else if (status < 0)
        status = WHKP_EXIT_OK;
    whkp_request_options_clear(&args.request);
    return status;
}
