/* SPDX-License-Identifier: MIT */
/* whk verify: checks a request's signature and explains a failure. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "challenge.h"
#include "cli.h"

static const char usage[] =
    "usage: whk verify --provider NAME\n"
    "                  [--secret-env VAR | --secret-file FILE]\n"
    "                  [--url PUBLIC_URL] [FILE | - | --data DATA] [options]\n"
    "\n"
    "Verifies the signature of a request the provider sent. FILE holds a raw\n"
    "HTTP/1.1 request (what 'nc -l' captures) or a capture log written by\n"
    "'whk listen'; '-' reads standard input. Without a request, verifies the\n"
    "last record of " WHKP_CAPTURE_FILE ".\n"
    "\n"
    "  -p, --provider NAME     provider ('whk providers' lists them)\n"
    "      --secret-env VAR    read the secret from environment variable VAR\n"
    "                          (default: the provider's, such as\n"
    "                          TWILIO_AUTH_TOKEN)\n"
    "      --secret-file FILE  read the secret from FILE, bytes as they are;\n"
    "                          for key-pair providers (discord, sendgrid, sns)\n"
    "                          the public key or certificate as the provider\n"
    "                          gives it\n"
    "      --key-file FILE     verify with the PEM key in FILE (public, or\n"
    "                          private: its public half is used), for\n"
    "                          key-pair providers only\n"
    "      --url URL           public URL set in the provider's dashboard;\n"
    "                          default: the capture record's, else\n"
    "                          --public-url or whk.json's public URL with\n"
    "                          the request target, else rebuilt from Host\n"
    "                          and X-Forwarded-Proto\n"
    "      --public-url URL    public base URL (default: whk.json's)\n"
    "      --record ID         capture record to verify (default: the last\n"
    "                          that is not a probe of 'whk test')\n"
    "  -X, --method METHOD     replace the request's method (default for\n"
    "                          --data: POST)\n"
    "  -H, --header 'N: V'     add or replace a header (repeatable)\n"
    "  -d, --data DATA         body: text, @FILE, or @- for standard input\n"
    "      --tolerance SECONDS timestamp tolerance, for schemes with one\n"
    "      --now SECONDS       verify as of this Unix time\n"
    "      --json              print the verdict as JSON\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 valid, 1 invalid, 2 usage or input error, 3 environment\n"
    "error (secret unset, plugin missing or rejected).\n";

enum {
    OPT_SECRET_ENV = 256,
    OPT_SECRET_FILE,
    OPT_KEY_FILE,
    OPT_URL,
    OPT_RECORD,
    OPT_JSON,
    OPT_TOLERANCE,
    OPT_NOW,
    OPT_PUBLIC_URL
};

static const struct option options[] = {
    {"provider", required_argument, NULL, 'p'},
    {"secret-env", required_argument, NULL, OPT_SECRET_ENV},
    {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"url", required_argument, NULL, OPT_URL},
    {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
    {"record", required_argument, NULL, OPT_RECORD},
    {"method", required_argument, NULL, 'X'},
    {"header", required_argument, NULL, 'H'},
    {"data", required_argument, NULL, 'd'},
    {"tolerance", required_argument, NULL, OPT_TOLERANCE},
    {"now", required_argument, NULL, OPT_NOW},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct verify_args {
    const char *provider;
    const char *secret_env;
    const char *secret_file;
    const char *key_file;
    const char *public_url;
    struct whkp_request_options request;
    int64_t tolerance;
    int64_t now;
    int have_now;
    int json;
};

static int parse_args(int argc, char **argv, struct verify_args *args)
{
    int opt;

    args->tolerance = -1;
    optind = 1;
    while ((opt = whkp_getopt(argc, argv, "p:X:H:d:h", options, "verify")) !=
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
        case OPT_RECORD:
            args->request.record_id = optarg;
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
        case OPT_TOLERANCE:
            if (!whkp_parse_seconds("--tolerance", optarg, &args->tolerance))
                return WHKP_EXIT_USAGE;
            break;
        case OPT_NOW:
            if (!whkp_parse_seconds("--now", optarg, &args->now))
                return WHKP_EXIT_USAGE;
            args->have_now = 1;
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
        whkp_error("unexpected argument '%s'; verify takes one request file",
                   argv[optind]);
        return WHKP_EXIT_USAGE;
    }
    /* With no request given, check what 'whk listen' captured last. */
    if (args->request.file == NULL && args->request.data == NULL &&
        args->request.header_count == 0 && access(WHKP_CAPTURE_FILE, F_OK) == 0)
        args->request.file = WHKP_CAPTURE_FILE;
    return WHKP_EXIT_OK;
}

static const char *status_word(enum whk_verdict_status status)
{
    switch (status) {
    case WHK_VALID:
        return "valid";
    case WHK_INVALID:
        return "invalid";
    case WHK_NOT_APPLICABLE:
        break;
    }
    return "not applicable";
}

static void print_text(const struct whk_descriptor *d,
                       const struct whk_verdict *verdict,
                       const struct whkp_diagnosis *diagnosis)
{
    const struct whk_failure *failure =
        whkp_failure_for(d, whk_verdict_reason(verdict));

    whkp_printf("%s: %s\n", status_word(whk_verdict_status(verdict)),
                whk_verdict_text(verdict));
    for (size_t i = 0; i < whk_verdict_note_count(verdict); i++)
        whkp_printf("  note:  %s\n", whk_verdict_note_at(verdict, i));
    for (size_t i = 0; i < diagnosis->hint_count; i++)
        whkp_printf("  hint:  %s\n", diagnosis->hints[i]);
    if (diagnosis->cause != NULL)
        whkp_printf("  cause: %s\n", diagnosis->cause);
    if (diagnosis->fix != NULL)
        whkp_printf("  fix:   %s\n", diagnosis->fix);
    else if (failure != NULL && whk_verdict_status(verdict) != WHK_VALID)
        whkp_printf("  fix:   %s\n", failure->fix);
}

static json_t *string_array(const char *const *items, size_t count)
{
    json_t *array = json_array();

    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, json_string(items[i]));
    return array;
}

static void print_json(const struct whk_provider *provider,
                       const struct whk_request *req,
                       const struct whk_verdict *verdict,
                       const struct whkp_diagnosis *diagnosis)
{
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    const struct whk_failure *failure =
        whkp_failure_for(d, whk_verdict_reason(verdict));
    const char *notes[WHK_VERDICT_MAX_NOTES];
    size_t note_count = whk_verdict_note_count(verdict);
    const char *fix = diagnosis->fix;
    json_t *root;
    char *text;

    for (size_t i = 0; i < note_count; i++)
        notes[i] = whk_verdict_note_at(verdict, i);
    if (fix == NULL && failure != NULL &&
        whk_verdict_status(verdict) != WHK_VALID)
        fix = failure->fix;

    root = json_pack("{s:s, s:s, s:b, s:s, s:s, s:s?, s:o, s:o, s:s?, s:s?, "
                     "s:s?}",
                     "provider", whk_provider_name(provider), "status",
                     status_word(whk_verdict_status(verdict)), "valid",
                     whk_verdict_status(verdict) == WHK_VALID, "reason",
                     whk_reason_name(whk_verdict_reason(verdict)), "message",
                     whk_verdict_text(verdict), "url", whk_request_url(req),
                     "notes", string_array(notes, note_count), "hints",
                     string_array((const char *const *)diagnosis->hints,
                                  diagnosis->hint_count),
                     "cause", diagnosis->cause, "fix", fix, "matching_url",
                     diagnosis->url);
    text = json_dumps(root, JSON_INDENT(2));
    if (text != NULL)
        puts(text);
    free(text);
    json_decref(root);
}

/*
 * Reports a request that is one of the provider's unsigned endpoint
 * challenges, which has no signature to verify. Returns 1 when it is.
 */
static int report_unsigned_challenge(const struct whk_descriptor *d,
                                     const struct whk_request *req,
                                     const char *target, int json)
{
    const struct whk_challenge *c = whkp_challenge_find(d, req, target);
    json_t *root;
    char *text;

    if (c == NULL || c->is_signed)
        return 0;
    if (!json) {
        whkp_printf("not applicable: the request is %s's unsigned '%s' "
                    "challenge, which carries no signature to verify\n"
                    "  note:  %s\n",
                    d->title, c->name, c->description);
        return 1;
    }
    root = json_pack("{s:s, s:s, s:b, s:s, s:s, s:s}", "provider", d->name,
                     "status", "not applicable", "valid", 0, "reason", "none",
                     "message", "the request is an unsigned endpoint challenge",
                     "challenge", c->name);
    text = json_dumps(root, JSON_INDENT(2));
    if (text != NULL)
        puts(text);
    free(text);
    json_decref(root);
    return 1;
}

static int run(struct verify_args *args)
{
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    struct whk_request *req = NULL;
    struct whk_context *ctx = NULL;
    struct whk_verdict *verdict = NULL;
    struct whkp_secret secret = {0};
    struct whkp_diagnosis diagnosis = {0};
    struct whkp_secret_options sources = {
        .env = args->secret_env,
        .file = args->secret_file,
        .key_file = args->key_file,
    };
    const struct whk_descriptor *d;
    struct whkp_project project = {0};
    char *target = NULL, *webhook_url = NULL;
    int status;

    status = whkp_check_stdin(&args->request, args->secret_file);
    if (status == WHKP_EXIT_OK)
        status = whkp_project_load(args->provider, &project);
    if (status != WHKP_EXIT_OK)
        return status;
    status = whkp_load_provider(project.provider, &registry, &provider);
    if (status != WHKP_EXIT_OK)
        goto out;
    d = whk_provider_descriptor(provider);

    if (args->request.provider == NULL)
        args->request.provider = project.provider;
    status = whkp_apply_project(&project, args->public_url, &args->request,
                                &webhook_url);
    if (status == WHKP_EXIT_OK)
        status = whkp_build_request(&args->request, d, &req, &target);
    if (status != WHKP_EXIT_OK)
        goto out;
    if (report_unsigned_challenge(d, req, target, args->json)) {
        status = WHKP_EXIT_INVALID;
        goto out;
    }
    sources.default_env = project.secret_env;
    status = whkp_secret_load_for(d, &sources, 0, &secret);
    if (status == WHKP_EXIT_OK)
        status = whkp_secret_check(provider, &secret, 0);
    if (status != WHKP_EXIT_OK)
        goto out;

    ctx = whk_context_new();
    verdict = whk_verdict_new();
    if (ctx == NULL || verdict == NULL) {
        whkp_error("out of memory");
        status = WHKP_EXIT_ENV;
        goto out;
    }
    whk_context_set_tolerance(ctx, args->tolerance);
    if (args->have_now)
        whk_context_set_time(ctx, args->now);

    whk_provider_verify(provider, ctx, req, whkp_secret_span(&secret), verdict);
    whkp_diagnose(provider, ctx, req, target, &secret, verdict, &diagnosis);
    if (args->json)
        print_json(provider, req, verdict, &diagnosis);
    else
        print_text(d, verdict, &diagnosis);
    status = whk_verdict_status(verdict) == WHK_VALID ? WHKP_EXIT_OK
                                                      : WHKP_EXIT_INVALID;

out:
    whkp_diagnosis_clear(&diagnosis);
    whkp_secret_clear(&secret);
    whk_verdict_free(verdict);
    whk_context_free(ctx);
    whk_request_free(req);
    free(target);
    free(webhook_url);
    whk_provider_free(provider);
    whk_registry_free(registry);
    whkp_project_clear(&project);
    return status;
}

int whkp_cmd_verify(int argc, char **argv)
{
    struct verify_args args = {0};
    int status = parse_args(argc, argv, &args);

    if (status == WHKP_EXIT_OK)
        status = run(&args);
    else if (status < 0)
        status = WHKP_EXIT_OK;
    whkp_request_options_clear(&args.request);
    return status;
}
