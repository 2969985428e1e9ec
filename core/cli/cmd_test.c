/* SPDX-License-Identifier: MIT */
/* whk test: sends signed samples and forgeries to an endpoint, judges it. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "challenge.h"
#include "judge.h"
#include "tester.h"

static const char usage[] =
    "usage: whk test [--provider NAME] [--target URL] [--public-url URL]\n"
    "                [--sample NAME] [options]\n"
    "\n"
    "Sends each of the provider's samples, signed for the public URL, to the\n"
    "local endpoint and checks the answer: a 2xx status, the content type\n"
    "and body format the provider expects, and a latency under its timeout.\n"
    "Then checks that the endpoint rejects a forged signature, a missing\n"
    "signature header and, for schemes with a timestamp tolerance, a\n"
    "timestamp beyond it; and, without --sample, that it answers the\n"
    "endpoint challenges the provider sends (Twitter's CRC, Dropbox's\n"
    "challenge, Meta's hub.challenge and others) as the provider expects.\n"
    "\n"
    "  -p, --provider NAME     provider (default: the only one in whk.json)\n"
    "      --target URL        local endpoint (default from whk.json:\n"
    "                          http://localhost:PORT/PATH); a URL without a\n"
    "                          path gets whk.json's path\n"
    "      --public-url URL    public base URL to sign for (default:\n"
    "                          whk.json's; else the target URL)\n"
    "      --sample NAME       send only this sample\n"
    "      --secret-env VAR    read the secret from environment variable VAR\n"
    "      --secret-file FILE  read the secret (or PEM private key) from FILE\n"
    "      --key-file FILE     sign with the PEM private key in FILE, for\n"
    "                          providers that sign with a key pair (discord,\n"
    "                          sendgrid, sns); the endpoint must trust its public\n"
    "                          half\n"
    "      --tolerance SECONDS timestamp tolerance the endpoint applies; the\n"
    "                          stale-timestamp probe is signed an hour beyond\n"
    "                          it (default: the provider's, if it has one;\n"
    "                          0 sends no such probe)\n"
    "      --timeout-ms MS     judge latency against MS milliseconds instead\n"
    "                          of the provider's timeout\n"
    "      --no-probes         skip the forged, unsigned and stale requests\n"
    "      --json              print the results as JSON\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 every check passed, 1 a check failed, 2 usage error,\n"
    "3 environment error (secret unset, endpoint unreachable).\n";

/* The largest --tolerance, so the stale probe stays a plausible time. */
#define MAX_TOLERANCE (366 * 86400)

enum {
    OPT_TARGET = 256,
    OPT_PUBLIC_URL,
    OPT_SAMPLE,
    OPT_SECRET_ENV,
    OPT_SECRET_FILE,
    OPT_KEY_FILE,
    OPT_TOLERANCE,
    OPT_TIMEOUT_MS,
    OPT_NO_PROBES,
    OPT_JSON
};

static const struct option options[] = {
    {"provider", required_argument, NULL, 'p'},
    {"target", required_argument, NULL, OPT_TARGET},
    {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
    {"sample", required_argument, NULL, OPT_SAMPLE},
    {"secret-env", required_argument, NULL, OPT_SECRET_ENV},
    {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"tolerance", required_argument, NULL, OPT_TOLERANCE},
    {"timeout-ms", required_argument, NULL, OPT_TIMEOUT_MS},
    {"no-probes", no_argument, NULL, OPT_NO_PROBES},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct test_args {
    const char *provider;
    const char *target;
    const char *public_url;
    const char *sample;
    const char *secret_env;
    const char *secret_file;
    const char *key_file;
    int64_t tolerance;  /* -1: the provider's */
    int64_t timeout_ms; /* -1: the provider's */
    int probes;
    int json;
};

static int parse_option(int opt, struct test_args *args)
{
    switch (opt) {
    case 'p':
        args->provider = optarg;
        return 1;
    case OPT_TARGET:
        args->target = optarg;
        return 1;
    case OPT_PUBLIC_URL:
        args->public_url = optarg;
        return 1;
    case OPT_SAMPLE:
        args->sample = optarg;
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
    case OPT_TOLERANCE:
        if (!whkp_parse_seconds("--tolerance", optarg, &args->tolerance))
            return 0;
        if (args->tolerance > MAX_TOLERANCE) {
            whkp_error("--tolerance '%s' must be at most %d seconds (366 "
                       "days)",
                       optarg, MAX_TOLERANCE);
            return 0;
        }
        return 1;
    case OPT_TIMEOUT_MS:
        if (!whk_parse_int64(optarg, strlen(optarg), &args->timeout_ms) ||
            args->timeout_ms < 1 || args->timeout_ms > 3600000) {
            whkp_error("--timeout-ms '%s' must be a whole number of "
                       "milliseconds from 1 to 3600000",
                       optarg);
            return 0;
        }
        return 1;
    case OPT_NO_PROBES:
        args->probes = 0;
        return 1;
    case OPT_JSON:
        args->json = 1;
        return 1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct test_args *args)
{
    int opt;

    args->tolerance = -1;
    args->timeout_ms = -1;
    args->probes = 1;
    optind = 1;
    while ((opt = whkp_getopt(argc, argv, "p:h", options, "test")) != -1) {
        if (opt == 'h') {
            fputs(usage, stdout);
            return -1;
        }
        if (!parse_option(opt, args))
            return WHKP_EXIT_USAGE;
    }
    if (optind < argc) {
        whkp_error("unexpected argument '%s'; see 'whk test --help'",
                   argv[optind]);
        return WHKP_EXIT_USAGE;
    }
    return WHKP_EXIT_OK;
}

/* Returns 1 when url has no path beyond "/" and no query. */
static int lacks_path(const char *url)
{
    struct whk_url_parts parts;

    return whk_url_split(url, &parts, NULL) == WHK_OK && parts.path.len <= 1 &&
           parts.query.ptr == NULL;
}

/* The local endpoint: --target, with whk.json's path when it has none. */
static int resolve_target(const struct test_args *args,
                          const struct whkp_project *project, char **target)
{
    if (args->target != NULL) {
        if (!whkp_check_http_url("--target", args->target, 1))
            return WHKP_EXIT_USAGE;
        if (lacks_path(args->target) && project->path != NULL)
            *target = whkp_public_url(args->target, project->path);
        else
            *target = strdup(args->target);
    } else if (project->port > 0 && project->path != NULL) {
        if (asprintf(target, "http://localhost:%d%s", project->port,
                     project->path) < 0)
            *target = NULL;
    } else {
        whkp_error("no endpoint to test: pass --target URL (e.g. "
                   "http://localhost:3000/webhooks), or record the port and "
                   "path once with 'whk init'");
        return WHKP_EXIT_USAGE;
    }
    return *target ? WHKP_EXIT_OK : WHKP_EXIT_ENV;
}

/* The URL the provider requests: the public base with the target's path. */
static int resolve_public(const struct test_args *args,
                          const struct whkp_project *project,
                          struct whkp_tester *t)
{
    const char *base =
        args->public_url ? args->public_url : project->public_url;
    struct whk_url_parts parts;
    struct whk_error err = {0};
    const char *path;

    if (base == NULL) {
        t->public_url = strdup(t->target);
        if (!args->json && (t->descriptor->flags & WHK_SIGNS_URL))
            whkp_warning("no public URL: signing for the target %s itself; "
                         "an app that validates against its public URL "
                         "rejects these (set it with 'whk init "
                         "--public-url URL' or --public-url)",
                         t->target);
        return t->public_url ? WHKP_EXIT_OK : WHKP_EXIT_ENV;
    }
    if (whk_url_split(base, &parts, &err) != WHK_OK) {
        whkp_error("public URL '%s': %s", base, err.text);
        return WHKP_EXIT_USAGE;
    }
    whk_url_split(t->target, &parts, NULL);
    path = parts.path.len > 0 ? parts.path.ptr : "/";
    t->public_url = whkp_public_url(base, path);
    t->behind_tunnel = 1;
    return t->public_url ? WHKP_EXIT_OK : WHKP_EXIT_ENV;
}

static int setup(const struct test_args *args, struct whkp_tester *t,
                 struct whkp_project *project)
{
    const struct whk_descriptor *d = t->descriptor;
    struct whkp_secret_options sources = {
        .env = args->secret_env,
        .file = args->secret_file,
        .key_file = args->key_file,
        .default_env = project->secret_env,
        .provider = t->provider,
        .app_verifies = 1,
    };
    int status;

    status = resolve_target(args, project, &t->target);
    if (status == WHKP_EXIT_OK)
        status = resolve_public(args, project, t);
    if (status == WHKP_EXIT_OK)
        status = whkp_secret_load_for(d, &sources, 1, &t->secret);
    if (status == WHKP_EXIT_OK)
        status = whkp_secret_check(t->provider, &t->secret, 1);
    if (status != WHKP_EXIT_OK)
        return status;

    t->tolerance = args->tolerance;

    t->timeout_ms =
        args->timeout_ms > 0 ? (long)args->timeout_ms : (long)d->timeout_ms;
    /* Wait past the timeout, to report how late a slow response comes. */
    t->request_timeout_ms = (t->timeout_ms > 0 ? t->timeout_ms : 15000) + 5000;
    t->curl = whkp_http_handle_new();
    return t->curl ? WHKP_EXIT_OK : WHKP_EXIT_ENV;
}

static const struct whk_sample *first_sample(const struct test_args *args,
                                             const struct whkp_tester *t)
{
    const struct whk_descriptor *d = t->descriptor;

    for (const struct whk_sample *s = d->samples; s && s->name; s++) {
        if (args->sample == NULL || strcmp(args->sample, s->name) == 0)
            return s;
    }
    whkp_error("provider %s has no sample%s%s%s; 'whk show %s' lists them",
               whk_provider_name(t->provider), args->sample ? " '" : "s",
               args->sample ? args->sample : "", args->sample ? "'" : "",
               whk_provider_name(t->provider));
    return NULL;
}

static int run_checks(const struct test_args *args, struct whkp_tester *t)
{
    const struct whk_sample *first = first_sample(args, t);

    if (first == NULL)
        return WHKP_EXIT_USAGE;
    /*
     * The probes go first, so that the samples come last unless one is
     * rejected and diagnosed; the report lists the probes last. Probes
     * and diagnosis requests carry WHKP_TEST_HEADER, so that readers of
     * the capture log can pass over them.
     */
    if (args->probes && !whkp_test_probes(t, first))
        return t->unreachable ? WHKP_EXIT_ENV : WHKP_EXIT_USAGE;
    for (const struct whk_sample *s = first; s && s->name; s++) {
        if (args->sample != NULL && strcmp(args->sample, s->name) != 0)
            continue;
        if (!whkp_test_sample(t, s))
            return t->unreachable ? WHKP_EXIT_ENV : WHKP_EXIT_USAGE;
    }
    /* Challenges go with a full run; --sample sends one sample alone. */
    if (args->sample == NULL && !whkp_test_challenges(t))
        return t->unreachable ? WHKP_EXIT_ENV : WHKP_EXIT_USAGE;
    return WHKP_EXIT_OK;
}

static int run(const struct test_args *args)
{
    struct whkp_project project;
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    struct whkp_tester t = {0};
    int status;

    status = whkp_project_load(args->provider, &project);
    if (status != WHKP_EXIT_OK)
        return status;
    status = whkp_load_provider(project.provider, &registry, &provider);
    if (status != WHKP_EXIT_OK)
        goto out;
    t.provider = provider;
    t.descriptor = whk_provider_descriptor(provider);
    if (!whkp_http_init()) {
        whkp_error("cannot initialize libcurl");
        status = WHKP_EXIT_ENV;
        goto out;
    }

    status = setup(args, &t, &project);
    if (status == WHKP_EXIT_OK)
        status = run_checks(args, &t);
    if (status == WHKP_EXIT_ENV && t.unreachable)
        whkp_error("%s; start the app (or 'whk listen' as a stand-in) "
                   "there, or pass --target URL",
                   t.error);
    if (status == WHKP_EXIT_OK) {
        if (args->json)
            whkp_test_print_json(&t);
        else
            whkp_test_print_table(&t);
        status = whkp_test_failed(&t) ? WHKP_EXIT_INVALID : WHKP_EXIT_OK;
    }
    whkp_tester_clear(&t);
    whkp_http_cleanup();

out:
    whk_provider_free(provider);
    whk_registry_free(registry);
    whkp_project_clear(&project);
    return status;
}

int whkp_cmd_test(int argc, char **argv)
{
    struct test_args args = {0};
    int status = parse_args(argc, argv, &args);

    if (status < 0)
        return WHKP_EXIT_OK;
    if (status != WHKP_EXIT_OK)
        return status;
    return run(&args);
}
