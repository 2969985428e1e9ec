/* SPDX-License-Identifier: MIT */
/* whk listen: receives deliveries, verifies, captures and forwards them. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "challenge.h"
#include "listen.h"

static const char usage[] =
    "usage: whk listen [--provider NAME] [--port PORT] [--forward APP_URL]\n"
    "                  [--public-url URL] [options]\n"
    "\n"
    "Receives the provider's deliveries on 127.0.0.1 (and ::1), where a\n"
    "tunnel points. Verifies each against the public URL, appends it to the\n"
    "capture log and, with --forward, passes it on to the app byte-exact;\n"
    "without --forward it answers as the provider expects the app to.\n"
    "Stop it with Ctrl-C; it prints a summary.\n"
    "\n"
    "  -p, --provider NAME     provider (default: the only one in whk.json)\n"
    "      --port PORT         port to listen on; 0 picks a free one\n"
    "                          (default: whk.json's port without --forward,\n"
    "                          4000 with it)\n"
    "      --forward URL       the app's base URL, e.g. http://localhost:3000\n"
    "                          (the request target is appended; no query\n"
    "                          or fragment)\n"
    "      --public-url URL    public base URL the provider requests\n"
    "                          (default: whk.json's; else rebuilt from Host\n"
    "                          and X-Forwarded-Proto)\n"
    "      --secret-env VAR    read the secret from environment variable VAR\n"
    "      --secret-file FILE  read the secret from FILE; for key-pair\n"
    "                          providers (discord, sendgrid, sns) the public\n"
    "                          key or certificate as the provider gives it\n"
    "      --key-file FILE     verify with the PEM key in FILE (public, or\n"
    "                          private: its public half is used), for\n"
    "                          key-pair providers only\n"
    "      --tolerance SECONDS timestamp tolerance, for schemes with one\n"
    "                          (default: the provider's)\n"
    "      --no-enforce        forward invalid deliveries too (default: 403)\n"
    "      --capture FILE      capture log (default " WHKP_CAPTURE_FILE ")\n"
    "      --no-sync           do not flush each record to disk (faster)\n"
    "      --max-body SIZE     largest body accepted, in bytes or with K or M\n"
    "                          (default 1M); larger ones get 413\n"
    "      --idle-timeout SECONDS  close idle connections (default 30)\n"
    "      --upstream-timeout SECONDS  wait this long for the app (default\n"
    "                          60)\n"
    "  -q, --quiet             no line per delivery, only the summary\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 stopped by a signal, 2 usage error, 3 environment error\n"
    "(secret unset, plugin missing, port in use).\n";

enum {
    OPT_PORT = 256,
    OPT_FORWARD,
    OPT_PUBLIC_URL,
    OPT_SECRET_ENV,
    OPT_SECRET_FILE,
    OPT_KEY_FILE,
    OPT_TOLERANCE,
    OPT_NO_ENFORCE,
    OPT_CAPTURE,
    OPT_NO_SYNC,
    OPT_MAX_BODY,
    OPT_IDLE_TIMEOUT,
    OPT_UPSTREAM_TIMEOUT
};

static const struct option options[] = {
    {"provider", required_argument, NULL, 'p'},
    {"port", required_argument, NULL, OPT_PORT},
    {"forward", required_argument, NULL, OPT_FORWARD},
    {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
    {"secret-env", required_argument, NULL, OPT_SECRET_ENV},
    {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"tolerance", required_argument, NULL, OPT_TOLERANCE},
    {"no-enforce", no_argument, NULL, OPT_NO_ENFORCE},
    {"capture", required_argument, NULL, OPT_CAPTURE},
    {"no-sync", no_argument, NULL, OPT_NO_SYNC},
    {"max-body", required_argument, NULL, OPT_MAX_BODY},
    {"idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT},
    {"upstream-timeout", required_argument, NULL, OPT_UPSTREAM_TIMEOUT},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct listen_args {
    const char *provider;
    const char *forward;
    const char *public_url;
    const char *secret_env;
    const char *secret_file;
    const char *key_file;
    const char *capture;
    int64_t tolerance; /* -1: the provider's */
    int port;          /* -1 when not given */
    int enforce;
    int sync;
    int quiet;
    size_t max_body;
    int64_t idle_timeout;
    int64_t upstream_timeout;
};

/* Parses "1048576", "512K" or "1M" (binary units). */
static int parse_size(const char *text, size_t *size)
{
    size_t len = strlen(text), unit = 1;
    int64_t value;

    if (len > 0 && strchr("kK", text[len - 1]) != NULL)
        unit = 1024;
    else if (len > 0 && strchr("mM", text[len - 1]) != NULL)
        unit = 1024 * 1024;
    if (unit > 1)
        len--;
    if (!whk_parse_int64(text, len, &value) || value < 1 ||
        (uint64_t)value > SIZE_MAX / unit / 2) {
        whkp_error("--max-body '%s' is not a size such as 1048576, 512K or "
                   "1M",
                   text);
        return 0;
    }
    *size = (size_t)value * unit;
    return 1;
}

static int parse_port(const char *text, int *port)
{
    int64_t value;

    if (!whk_parse_int64(text, strlen(text), &value) || value < 0 ||
        value > 65535) {
        whkp_error("--port '%s' is not a port number from 0 to 65535", text);
        return 0;
    }
    *port = (int)value;
    return 1;
}

static int parse_positive(const char *option, const char *text, int64_t *value)
{
    if (!whkp_parse_seconds(option, text, value))
        return 0;
    if (*value < 1 || *value > 86400) {
        whkp_error("%s '%s' must be from 1 to 86400 seconds", option, text);
        return 0;
    }
    return 1;
}

static int parse_option(int opt, struct listen_args *args)
{
    switch (opt) {
    case 'p':
        args->provider = optarg;
        return 1;
    case OPT_PORT:
        return parse_port(optarg, &args->port);
    case OPT_FORWARD:
        args->forward = optarg;
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
    case OPT_TOLERANCE:
        return whkp_parse_seconds("--tolerance", optarg, &args->tolerance);
    case OPT_NO_ENFORCE:
        args->enforce = 0;
        return 1;
    case OPT_CAPTURE:
        args->capture = optarg;
        return 1;
    case OPT_NO_SYNC:
        args->sync = 0;
        return 1;
    case OPT_MAX_BODY:
        return parse_size(optarg, &args->max_body);
    case OPT_IDLE_TIMEOUT:
        return parse_positive("--idle-timeout", optarg, &args->idle_timeout);
    case OPT_UPSTREAM_TIMEOUT:
        return parse_positive("--upstream-timeout", optarg,
                              &args->upstream_timeout);
    case 'q':
        args->quiet = 1;
        return 1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct listen_args *args)
{
    int opt;

    args->port = -1;
    args->tolerance = -1;
    args->enforce = 1;
    args->sync = 1;
    args->capture = WHKP_CAPTURE_FILE;
    args->max_body = 1024 * 1024;
    args->idle_timeout = 30;
    args->upstream_timeout = 60;
    optind = 1;
    while ((opt = whkp_getopt(argc, argv, "p:qh", options, "listen")) != -1) {
        if (opt == 'h') {
            fputs(usage, stdout);
            return -1;
        }
        if (!parse_option(opt, args))
            return WHKP_EXIT_USAGE;
    }
    if (optind < argc) {
        whkp_error("unexpected argument '%s'; see 'whk listen --help'",
                   argv[optind]);
        return WHKP_EXIT_USAGE;
    }
    return WHKP_EXIT_OK;
}

static int check_url(const char *option, const char *url)
{
    struct whk_url_parts parts;
    struct whk_error err = {0};

    if (url == NULL || whk_url_split(url, &parts, &err) == WHK_OK)
        return 1;
    whkp_error("%s '%s': %s", option, url, err.text);
    return 0;
}

/*
 * Checks --forward: an absolute http:// or https:// URL to which each
 * request target, which has its own query, can be appended.
 */
static int check_forward(const char *url)
{
    return url == NULL || whkp_check_http_url("--forward", url, 0);
}

static void print_banner(const struct whkp_listener *l,
                         const struct whkp_server *server, const char *capture)
{
    const struct whk_response_decl *r = &l->descriptor->response;
    int port = whkp_server_port(server);

    whkp_printf("listening on http://127.0.0.1:%d%s for %s deliveries\n", port,
                whkp_server_has_ipv6(server) ? " and [::1]" : "",
                whk_provider_name(l->provider));
    if (!(l->descriptor->flags & WHK_SIGNS_URL))
        whkp_printf("  verifying each signature over the request's raw "
                    "body; %s does not sign the URL\n",
                    l->descriptor->title ? l->descriptor->title
                                         : l->descriptor->name);
    else if (l->public_base != NULL)
        whkp_printf("  verifying against %s followed by each request target\n",
                    l->public_base);
    else
        whkp_printf("  verifying against the URL rebuilt from Host and "
                    "X-Forwarded-Proto (no public URL set)\n");
    if (l->forward != NULL)
        whkp_printf("  forwarding to %s%s\n", l->forward_redacted,
                    l->enforce ? "; invalid signatures get 403" : "");
    else
        whkp_printf("  standing in for the app: %d %s\n",
                    r->status ? r->status : 200,
                    r->content_type ? r->content_type : "");
    whkp_printf("  capturing to %s\n", capture);
    fflush(stdout);
}

static void print_summary(const struct whkp_listener *l, double seconds,
                          const char *capture)
{
    const struct whkp_listen_counts *c = &l->counts;
    size_t records = whkp_capture_count(l->capture);

    whkp_printf("stopped after %.1f s: %zu %s (%zu valid, %zu invalid, "
                "%zu not applicable), %zu %s, %zu rejected with %d, "
                "%zu too large (413)",
                seconds, c->deliveries,
                whkp_plural(c->deliveries, "delivery", "deliveries"), c->valid,
                c->invalid, c->not_applicable, c->duplicates,
                whkp_plural(c->duplicates, "duplicate", "duplicates"),
                c->rejected, whkp_challenge_invalid_status(l->descriptor),
                c->too_large);
    if (c->malformed > 0)
        whkp_printf(", %zu malformed (400)", c->malformed);
    whkp_printf("\n");
    if (l->forward != NULL)
        whkp_printf("  forwarded %zu to %s, %zu upstream %s (502/504), "
                    "%zu cancelled by the shutdown, %zu slower than the "
                    "provider's timeout\n",
                    c->forwarded, l->forward_redacted, c->upstream_errors,
                    whkp_plural(c->upstream_errors, "error", "errors"),
                    c->cancelled, c->slow);
    whkp_printf("  captured %zu %s in %s%s\n", records,
                whkp_plural(records, "record", "records"), capture,
                c->capture_errors ? " (some failed; see the errors above)"
                                  : "");
    fflush(stdout);
}

/* Prints the challenges answered and the warnings about the setup. */
static void print_start_notes(const struct whkp_listener *l,
                              const struct whkp_server *server)
{
    if (whkp_server_ipv6_error(server) != NULL)
        whkp_warning("%s; serving 127.0.0.1 only, so a tunnel or client "
                     "that connects to localhost as ::1 does not reach "
                     "whk listen; choose another port with --port",
                     whkp_server_ipv6_error(server));
    if (l->forward == NULL)
        whkp_challenge_announce(l->descriptor);
    if (l->public_base == NULL && (l->descriptor->flags & WHK_SIGNS_URL))
        whkp_warning("no public URL: set it with 'whk init --public-url "
                     "URL' or --public-url, or signatures made for the "
                     "tunnel's URL may not verify");
}

/* Blocks until SIGINT, SIGTERM or SIGHUP; the server threads run meanwhile. */
static void wait_for_signal(const sigset_t *set)
{
    int signal_number;

    while (sigwait(set, &signal_number) != 0)
        ;
}

/* Checks the public and forward URLs, and redacts the latter to print. */
static int check_urls(struct whkp_listener *l)
{
    if (l->forward != NULL &&
        (l->forward_redacted = whkp_url_redact(l->forward)) == NULL) {
        whkp_error("out of memory");
        return WHKP_EXIT_ENV;
    }
    if (!check_url("--public-url", l->public_base) ||
        !check_forward(l->forward))
        return WHKP_EXIT_USAGE;
    return WHKP_EXIT_OK;
}

/* Fills the listener from the arguments, whk.json and the provider. */
static int prepare(const struct listen_args *args,
                   const struct whkp_project *project,
                   const struct whk_provider *provider, struct whkp_listener *l)
{
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    struct whkp_secret_options sources = {
        .env = args->secret_env,
        .file = args->secret_file,
        .key_file = args->key_file,
        .default_env = project->secret_env,
    };
    struct whk_error err = {0};
    int status;

    l->provider = provider;
    l->descriptor = d;
    l->public_base = args->public_url ? args->public_url : project->public_url;
    l->forward = args->forward;
    l->enforce = args->enforce;
    l->quiet = args->quiet;
    l->tolerance = args->tolerance;
    l->upstream_timeout_ms = (long)args->upstream_timeout * 1000;
    status = check_urls(l);
    if (status != WHKP_EXIT_OK)
        return status;

    status = whkp_secret_load_for(d, &sources, 0, &l->secret);
    if (status == WHKP_EXIT_OK)
        status = whkp_secret_check(provider, &l->secret, 0);
    if (status != WHKP_EXIT_OK)
        return status;
    if (whkp_capture_open(args->capture, args->sync, &l->capture, &err) !=
        WHK_OK) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_ENV;
    }
    l->seen = whkp_seen_new();
    if (l->seen == NULL) {
        whkp_error("out of memory");
        return WHKP_EXIT_ENV;
    }
    snprintf(l->run_id, sizeof(l->run_id), "%llx%04x",
             (unsigned long long)time(NULL), (unsigned)getpid() & 0xffffu);
    return WHKP_EXIT_OK;
}

static int listen_port(const struct listen_args *args,
                       const struct whkp_project *project)
{
    if (args->port >= 0)
        return args->port;
    /* Without an app, whk listen takes the app's port in its place. */
    if (args->forward == NULL && project->port > 0)
        return project->port;
    return 4000;
}

static int serve(const struct listen_args *args, struct whkp_listener *l,
                 int port, const sigset_t *signals)
{
    struct whkp_server_config config = {
        .port = port,
        .max_body = args->max_body,
        .idle_timeout = (unsigned int)args->idle_timeout,
        .max_connections = 256,
    };
    struct whkp_server_handler handler = {
        .data = l,
        .handle = whkp_listen_handle,
        .rejected = whkp_listen_rejected,
        .connection_closed = whkp_listen_connection_closed,
    };
    struct whkp_server *server = NULL;
    struct whk_error err = {0};
    struct timespec started, stopped;

    clock_gettime(CLOCK_MONOTONIC, &started);
    if (whkp_server_start(&config, &handler, &server, &err) != WHK_OK) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_ENV;
    }
    print_banner(l, server, args->capture);
    print_start_notes(l, server);

    wait_for_signal(signals);
    /* In-flight forwards end now rather than at the upstream timeout. */
    whkp_http_abort();
    whkp_server_stop(server);
    clock_gettime(CLOCK_MONOTONIC, &stopped);
    print_summary(l,
                  (double)(stopped.tv_sec - started.tv_sec) +
                      (double)(stopped.tv_nsec - started.tv_nsec) / 1e9,
                  args->capture);
    return WHKP_EXIT_OK;
}

static int run(const struct listen_args *args, const sigset_t *signals)
{
    struct whkp_project project;
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    struct whkp_listener l = {.lock = PTHREAD_MUTEX_INITIALIZER};
    int status, curl_ready = 0;

    status = whkp_project_load(args->provider, &project);
    if (status != WHKP_EXIT_OK)
        return status;
    status = whkp_load_provider(project.provider, &registry, &provider);
    if (status == WHKP_EXIT_OK)
        status = prepare(args, &project, provider, &l);
    if (status != WHKP_EXIT_OK)
        goto out;
    curl_ready = whkp_http_init();
    if (!curl_ready) {
        whkp_error("cannot initialize libcurl");
        status = WHKP_EXIT_ENV;
        goto out;
    }
    status = serve(args, &l, listen_port(args, &project), signals);

out:
    if (curl_ready)
        whkp_http_cleanup();
    pthread_mutex_destroy(&l.lock);
    whkp_seen_free(l.seen);
    whkp_capture_close(l.capture);
    whkp_secret_clear(&l.secret);
    free(l.forward_redacted);
    whk_provider_free(provider);
    whk_registry_free(registry);
    whkp_project_clear(&project);
    return status;
}

int whkp_cmd_listen(int argc, char **argv)
{
    struct listen_args args = {0};
    sigset_t signals;
    int status = parse_args(argc, argv, &args);

    if (status < 0)
        return WHKP_EXIT_OK;
    if (status != WHKP_EXIT_OK)
        return status;

    /*
     * Blocked before any thread starts, so every server thread inherits
     * the mask and the signals reach only sigwait in this thread.
     */
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    return run(&args, &signals);
}
