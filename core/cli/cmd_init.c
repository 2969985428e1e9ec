/* SPDX-License-Identifier: MIT */
/* whk init: records the project in whk.json, prints the dashboard fields. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli.h"

static const char usage[] =
    "usage: whk init --provider NAME --port PORT --path PATH\n"
    "                [--public-url URL] [--tunnel TOOL [--subdomain NAME]]\n"
    "                [--secret-env VAR] [--json]\n"
    "\n"
    "Writes or updates the provider's entry in whk.json in the current\n"
    "directory, then prints what to paste into the provider's dashboard.\n"
    "Values not given keep what whk.json has.\n"
    "\n"
    "  -p, --provider NAME     provider ('whk providers' lists them)\n"
    "      --port PORT         the app's local port, 1 to 65535\n"
    "      --path PATH         the webhook's local path, starting with '/'\n"
    "      --public-url URL    public base URL the provider requests, e.g.\n"
    "                          the tunnel's https://NAME.ngrok-free.app\n"
    "      --tunnel TOOL       print the command that starts a tunnel to the\n"
    "                          port: ngrok, cloudflared, localtunnel or\n"
    "                          instatunnel\n"
    "      --subdomain NAME    the tunnel's fixed name, when it has one; its\n"
    "                          public URL then follows from it\n"
    "      --secret-env VAR    variable holding the secret (default: the\n"
    "                          provider's, e.g. TWILIO_AUTH_TOKEN)\n"
    "      --json              print the same content as JSON\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 written, 2 usage error or malformed whk.json, 3\n"
    "environment error (plugin missing, whk.json not writable).\n";

enum {
    OPT_PORT = 256,
    OPT_PATH,
    OPT_PUBLIC_URL,
    OPT_TUNNEL,
    OPT_SUBDOMAIN,
    OPT_SECRET_ENV,
    OPT_JSON
};

static const struct option options[] = {
    {"provider", required_argument, NULL, 'p'},
    {"port", required_argument, NULL, OPT_PORT},
    {"path", required_argument, NULL, OPT_PATH},
    {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
    {"tunnel", required_argument, NULL, OPT_TUNNEL},
    {"subdomain", required_argument, NULL, OPT_SUBDOMAIN},
    {"secret-env", required_argument, NULL, OPT_SECRET_ENV},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/*
 * A tunnel tool: how it starts for a local port, and the public URL it
 * gets when its name is fixed. Templates have "{port}" and "{name}"
 * replaced, and url is NULL where the name is random.
 */
struct tunnel {
    const char *name;
    const char *command;
    const char *named_command;
    const char *url;
    const char *note;
};

static const struct tunnel tunnels[] = {
    {"ngrok", "ngrok http {port}", "ngrok http {port} --domain={name}",
     "https://{name}",
     "without --subdomain, ngrok prints a new https URL at each start; a "
     "static domain from the ngrok dashboard keeps it"},
    {"cloudflared", "cloudflared tunnel --url http://localhost:{port}", NULL,
     NULL,
     "a quick tunnel gets a random https://....trycloudflare.com name at "
     "each start; pass it with --public-url"},
    {"localtunnel", "npx localtunnel --port {port}",
     "npx localtunnel --port {port} --subdomain {name}",
     "https://{name}.loca.lt",
     "localtunnel gives the requested subdomain only while it is free"},
    /* NOTE: instatunnel's command line was not checked against its docs. */
    {"instatunnel", "instatunnel --port {port}",
     "instatunnel --port {port} --subdomain {name}",
     "https://{name}.instatunnel.my",
     "check the command against 'instatunnel --help'"},
    {NULL, NULL, NULL, NULL, NULL},
};

struct init_args {
    const char *provider;
    int port;
    const char *path;
    const char *public_url;
    const char *tunnel;
    const char *subdomain;
    const char *secret_env;
    int json;
};

static int parse_port(const char *text, int *port)
{
    int64_t value;

    if (!whk_parse_int64(text, strlen(text), &value) || value < 1 ||
        value > 65535) {
        whkp_error("--port '%s' is not a port number from 1 to 65535; give "
                   "the port the app listens on",
                   text);
        return 0;
    }
    *port = (int)value;
    return 1;
}

static int parse_option(int opt, struct init_args *args)
{
    switch (opt) {
    case 'p':
        args->provider = optarg;
        return 1;
    case OPT_PORT:
        return parse_port(optarg, &args->port);
    case OPT_PATH:
        args->path = optarg;
        return 1;
    case OPT_PUBLIC_URL:
        args->public_url = optarg;
        return 1;
    case OPT_TUNNEL:
        args->tunnel = optarg;
        return 1;
    case OPT_SUBDOMAIN:
        args->subdomain = optarg;
        return 1;
    case OPT_SECRET_ENV:
        args->secret_env = optarg;
        return 1;
    case OPT_JSON:
        args->json = 1;
        return 1;
    }
    return 0;
}

static const struct tunnel *find_tunnel(const char *name)
{
    for (const struct tunnel *t = tunnels; t->name; t++) {
        if (strcmp(t->name, name) == 0)
            return t;
    }
    whkp_error("--tunnel '%s' is not a tunnel whk knows; choose ngrok, "
               "cloudflared, localtunnel or instatunnel",
               name);
    return NULL;
}

static int check_args(const struct init_args *args)
{
    if (args->path != NULL && args->path[0] != '/') {
        whkp_error("--path '%s' must start with '/', e.g. /%s", args->path,
                   args->path);
        return 0;
    }
    if (args->path != NULL && strpbrk(args->path, " \t\r\n#") != NULL) {
        whkp_error("--path '%s' contains a space, a control character or "
                   "'#'; percent-encode it (a space is %%20)",
                   args->path);
        return 0;
    }
    if (args->public_url != NULL &&
        !whkp_check_http_url("--public-url", args->public_url, 0))
        return 0;
    if (args->tunnel != NULL && find_tunnel(args->tunnel) == NULL)
        return 0;
    if (args->subdomain != NULL &&
        (args->subdomain[0] == '\0' ||
         strpbrk(args->subdomain, "/:?#@ ") != NULL)) {
        whkp_error("--subdomain '%s' must be a host name label such as "
                   "my-app",
                   args->subdomain);
        return 0;
    }
    return 1;
}

static int parse_args(int argc, char **argv, struct init_args *args)
{
    int opt;

    optind = 1;
    while ((opt = whkp_getopt(argc, argv, "p:h", options, "init")) != -1) {
        if (opt == 'h') {
            fputs(usage, stdout);
            return -1;
        }
        if (!parse_option(opt, args))
            return WHKP_EXIT_USAGE;
    }
    if (optind < argc) {
        whkp_error("unexpected argument '%s'; see 'whk init --help'",
                   argv[optind]);
        return WHKP_EXIT_USAGE;
    }
    return check_args(args) ? WHKP_EXIT_OK : WHKP_EXIT_USAGE;
}

/* The entry init records and the text it prints. */
struct plan {
    struct whkp_project project; /* whk.json's entry with the flags over it */
    int created;                 /* the entry is new */
    const struct tunnel *tunnel;
    char *tunnel_command;
    char *tunnel_url;  /* the tunnel's URL when its name is fixed */
    char *webhook_url; /* shown values; a placeholder without */
    char *status_url;  /* a public URL */
    char *warnings[4];
    size_t warning_count;
};

static void plan_clear(struct plan *plan)
{
    whkp_project_clear(&plan->project);
    free(plan->tunnel_command);
    free(plan->tunnel_url);
    free(plan->webhook_url);
    free(plan->status_url);
    for (size_t i = 0; i < plan->warning_count; i++)
        free(plan->warnings[i]);
}

static void warn(struct plan *plan, char *text)
{
    if (text != NULL && plan->warning_count < 4)
        plan->warnings[plan->warning_count++] = text;
    else
        free(text);
}

static int replace(char **field, const char *value)
{
    if (value == NULL)
        return 1;
    free(*field);
    *field = strdup(value);
    return *field != NULL;
}

/* Lays the flags over whk.json's entry; port and path must end up set. */
static int merge(const struct init_args *args, struct plan *plan)
{
    struct whkp_project *p = &plan->project;

    if (args->port > 0)
        p->port = args->port;
    if (!replace(&p->path, args->path) ||
        !replace(&p->public_url, args->public_url) ||
        !replace(&p->secret_env, args->secret_env) ||
        !replace(&p->tunnel, args->tunnel) ||
        !replace(&p->subdomain, args->subdomain))
        return WHKP_EXIT_ENV;
    if (p->port == 0 || p->path == NULL) {
        whkp_error("%s has no %s for %s yet: pass %s", WHKP_CONFIG_FILE,
                   p->port == 0 ? "port" : "path", p->provider,
                   p->port == 0 ? "--port PORT, the port the app listens on"
                                : "--path PATH, the webhook's path in the "
                                  "app, e.g. /webhooks");
        return WHKP_EXIT_USAGE;
    }
    return WHKP_EXIT_OK;
}

/* Returns template with "{port}" and "{name}" replaced, or NULL. */
static char *expand(const char *template, int port, const char *name)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);

    if (out == NULL)
        return NULL;
    while (*template) {
        if (strncmp(template, "{port}", 6) == 0) {
            fprintf(out, "%d", port);
            template += 6;
        } else if (strncmp(template, "{name}", 6) == 0 && name != NULL) {
            fputs(name, out);
            template += 6;
        } else {
            fputc(*template ++, out);
        }
    }
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/*
 * Finds the tunnel command and, when the name is fixed, its URL, which
 * becomes the public URL unless --public-url gives one.
 */
static int plan_tunnel(struct plan *plan, const char *public_url_flag)
{
    struct whkp_project *p = &plan->project;
    const struct tunnel *t = p->tunnel ? find_tunnel(p->tunnel) : NULL;
    char *host = NULL;
    int ok = 1;

    if (p->tunnel == NULL)
        return WHKP_EXIT_OK;
    if (t == NULL)
        return WHKP_EXIT_USAGE;
    plan->tunnel = t;
    if (p->subdomain != NULL && t->named_command == NULL)
        warn(plan, strdup("cloudflared quick tunnels have no fixed name, "
                          "so --subdomain is ignored"));
    if (p->subdomain == NULL || t->named_command == NULL) {
        plan->tunnel_command = expand(t->command, p->port, NULL);
        return plan->tunnel_command ? WHKP_EXIT_OK : WHKP_EXIT_ENV;
    }

    /* An ngrok name without a dot is a free static ngrok-free.app domain. */
    if (strcmp(t->name, "ngrok") == 0 && strchr(p->subdomain, '.') == NULL)
        ok = asprintf(&host, "%s.ngrok-free.app", p->subdomain) >= 0;
    else
        host = strdup(p->subdomain);
    ok = ok && host != NULL &&
         (plan->tunnel_command = expand(t->named_command, p->port, host)) &&
         (plan->tunnel_url = expand(t->url, p->port, host));
    if (ok && public_url_flag == NULL)
        ok = replace(&p->public_url, plan->tunnel_url);
    free(host);
    return ok ? WHKP_EXIT_OK : WHKP_EXIT_ENV;
}

static const char *status_suffix(const struct whk_descriptor *d)
{
    for (const struct whk_sample *s = d->samples; s && s->name; s++) {
        if (s->path_suffix != NULL)
            return s->path_suffix;
    }
    return "/status";
}

static int plan_urls(const struct whk_descriptor *d, struct plan *plan)
{
    struct whkp_project *p = &plan->project;
    const char *title = d->title ? d->title : d->name;

    if (p->public_url == NULL) {
        plan->webhook_url = whkp_sprintf("<public URL>%s", p->path);
        plan->status_url =
            whkp_sprintf("<public URL>%s%s", p->path, status_suffix(d));
        warn(plan, whkp_sprintf("%s needs a public HTTPS URL: start a "
                                "tunnel to port %d (--tunnel shows how), "
                                "then run 'whk init --provider %s "
                                "--public-url URL' or pass --public-url to "
                                "each command",
                                title, p->port, p->provider));
    } else {
        plan->webhook_url = whkp_public_url(p->public_url, p->path);
        plan->status_url =
            plan->webhook_url
                ? whkp_append_path(plan->webhook_url, status_suffix(d))
                : NULL;
        if (strncmp(p->public_url, "https://", 8) != 0)
            warn(plan, whkp_sprintf("the public URL %s is not HTTPS; %s "
                                    "delivers to public HTTPS URLs",
                                    p->public_url, title));
    }
    if (plan->webhook_url == NULL || plan->status_url == NULL) {
        whkp_error("cannot build the webhook URL from the public URL %s and "
                   "the path %s; check both",
                   p->public_url ? p->public_url : "(none)", p->path);
        return WHKP_EXIT_USAGE;
    }
    return WHKP_EXIT_OK;
}

/* Fills a field's value or note template with the plan's URLs. */
static char *expand_field(const struct plan *plan, const char *template)
{
    if (template == NULL)
        return NULL;
    return whkp_expand_template(template, plan->webhook_url, plan->status_url,
                                plan->project.secret_env);
}

static void print_tunnel(const struct plan *plan)
{
    const struct whkp_project *p = &plan->project;

    if (plan->tunnel == NULL)
        return;
    whkp_printf("Start the tunnel (%s):\n  %s\n", plan->tunnel->name,
                plan->tunnel_command);
    if (plan->tunnel_url != NULL)
        whkp_printf("  public URL: %s\n", plan->tunnel_url);
    whkp_printf("  note: %s\n", plan->tunnel->note);
    whkp_printf("  to watch deliveries with 'whk listen --forward "
                "http://localhost:%d', point the tunnel at whk listen's port "
                "(4000) instead\n\n",
                p->port);
}

static void print_text(const struct whk_descriptor *d, const struct plan *plan)
{
    const struct whkp_project *p = &plan->project;
    const char *section = NULL;

    whkp_printf("%s %s: %s on port %d, path %s\n\n",
                plan->created ? "added to" : "updated", WHKP_CONFIG_FILE,
                p->provider, p->port, p->path);
    print_tunnel(plan);
    whkp_printf("Paste into the %s dashboard:\n",
                d->title ? d->title : d->name);
    for (const struct whk_field *f = d->fields; f && f->name; f++) {
        char *value = expand_field(plan, f->value);
        char *note = expand_field(plan, f->note);

        if (section == NULL || strcmp(section, f->section) != 0) {
            section = f->section;
            whkp_printf("  %s\n", section);
        }
        whkp_printf("    %s%s\n      %s\n", f->name,
                    f->optional ? " (optional)" : "", value ? value : "");
        if (note)
            whkp_printf("      note: %s\n", note);
        free(value);
        free(note);
    }
    whkp_printf("\nNext:\n"
                "  whk test       sends signed samples to "
                "http://localhost:%d%s\n"
                "  whk listen --forward http://localhost:%d\n"
                "                 verifies, captures and passes on each "
                "delivery\n",
                p->port, p->path, p->port);
}

static json_t *fields_json(const struct whk_descriptor *d,
                           const struct plan *plan)
{
    json_t *fields = json_array();

    for (const struct whk_field *f = d->fields; f && f->name; f++) {
        char *value = expand_field(plan, f->value);
        char *note = expand_field(plan, f->note);

        json_array_append_new(fields, json_pack("{s:s?, s:s, s:s?, s:s?, s:b}",
                                                "section", f->section, "name",
                                                f->name, "value", value, "note",
                                                note, "optional", f->optional));
        free(value);
        free(note);
    }
    return fields;
}

static void print_json(const struct whk_descriptor *d, const struct plan *plan)
{
    const struct whkp_project *p = &plan->project;
    json_t *warnings = json_array(), *tunnel = json_null(), *root;
    char *text;

    for (size_t i = 0; i < plan->warning_count; i++)
        json_array_append_new(warnings, json_string(plan->warnings[i]));
    if (plan->tunnel != NULL) {
        json_decref(tunnel);
        tunnel = json_pack("{s:s, s:s, s:s?, s:s}", "name", plan->tunnel->name,
                           "command", plan->tunnel_command, "public_url",
                           plan->tunnel_url, "note", plan->tunnel->note);
    }
    root = json_pack(
        "{s:s, s:b, s:s, s:i, s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:o}",
        "file", WHKP_CONFIG_FILE, "created", plan->created, "provider",
        p->provider, "port", p->port, "path", p->path, "public_url",
        p->public_url, "webhook_url", p->public_url ? plan->webhook_url : NULL,
        "status_callback_url", p->public_url ? plan->status_url : NULL,
        "secret_env", p->secret_env, "tunnel", tunnel, "fields",
        fields_json(d, plan), "warnings", warnings);
    text = json_dumps(root, JSON_INDENT(2));
    if (text != NULL)
        puts(text);
    free(text);
    json_decref(root);
}

/* Reads whk.json and the entry of the provider named by flag or file. */
static int load_entry(const struct init_args *args, struct whkp_config *config,
                      struct plan *plan)
{
    struct whk_error err = {0};
    const char *name = args->provider;
    enum whk_status status;

    if (whkp_config_read(WHKP_CONFIG_FILE, config, &err) != WHK_OK) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_USAGE;
    }
    if (name == NULL)
        name = whkp_config_single_provider(config);
    if (name == NULL) {
        whkp_error("no provider given; pass --provider NAME ('whk "
                   "providers' lists them)");
        return WHKP_EXIT_USAGE;
    }
    status = whkp_config_project(config, name, &plan->project, &err);
    plan->created = status == WHK_ERR_NOT_FOUND;
    if (status != WHK_OK && status != WHK_ERR_NOT_FOUND) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_USAGE;
    }
    return WHKP_EXIT_OK;
}

static int run(const struct init_args *args)
{
    struct whkp_config config = {0};
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    const struct whk_descriptor *d;
    struct plan plan = {0};
    struct whk_error err = {0};
    int status;

    status = load_entry(args, &config, &plan);
    if (status == WHKP_EXIT_OK)
        status =
            whkp_load_provider(plan.project.provider, &registry, &provider);
    if (status != WHKP_EXIT_OK)
        goto out;
    d = whk_provider_descriptor(provider);
    if (plan.project.secret_env == NULL && args->secret_env == NULL)
        plan.project.secret_env = d->secret.env ? strdup(d->secret.env) : NULL;

    status = merge(args, &plan);
    if (status == WHKP_EXIT_OK)
        status = plan_tunnel(&plan, args->public_url);
    if (status == WHKP_EXIT_OK)
        status = plan_urls(d, &plan);
    if (status != WHKP_EXIT_OK)
        goto out;

    if (whkp_config_update(&config, &plan.project, &err) != WHK_OK ||
        whkp_config_write(&config, &err) != WHK_OK) {
        whkp_error("%s", err.text);
        status = WHKP_EXIT_ENV;
        goto out;
    }
    for (size_t i = 0; i < plan.warning_count && !args->json; i++)
        whkp_warning("%s", plan.warnings[i]);
    if (args->json)
        print_json(d, &plan);
    else
        print_text(d, &plan);

out:
    plan_clear(&plan);
    whk_provider_free(provider);
    whk_registry_free(registry);
    whkp_config_clear(&config);
    return status;
}

int whkp_cmd_init(int argc, char **argv)
{
    struct init_args args = {0};
    int status = parse_args(argc, argv, &args);

    if (status < 0)
        return WHKP_EXIT_OK;
    if (status != WHKP_EXIT_OK)
        return status;
    return run(&args);
}
