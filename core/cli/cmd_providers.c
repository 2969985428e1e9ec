/* SPDX-License-Identifier: MIT */
/* whk providers and whk show: what is installed and what it declares. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static const char providers_usage[] =
    "usage: whk providers [--json]\n"
    "\n"
    "Lists the installed providers from their providers.d files, without\n"
    "loading any plugin. A provider whose plugin file is missing is marked.\n"
    "\n"
    "      --json   print the list as JSON\n"
    "  -h, --help   show this help\n";

static const char show_usage[] =
    "usage: whk show PROVIDER [--json] [--sample NAME]\n"
    "\n"
    "Shows what a provider declares: signature header and algorithm, secret,\n"
    "dashboard fields, samples, idempotency keys, expected response,\n"
    "timeout and retries, and common failures with their fixes.\n"
    "\n"
    "      --json          print the declarations as JSON\n"
    "      --sample NAME   print the body of one sample request\n"
    "  -h, --help          show this help\n";

enum { OPT_JSON = 256, OPT_SAMPLE };

static const struct option providers_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void report_problems(const struct whk_registry *registry)
{
    const char *problem;

    for (size_t i = 0; (problem = whk_registry_problem_at(registry, i)) != NULL;
         i++)
        whkp_warning("skipped %s", problem);
}

static void print_provider_json(const struct whk_registry *registry)
{
    json_t *list = json_array();
    char *text;

    for (size_t i = 0; i < whk_registry_count(registry); i++) {
        const struct whk_entry *e = whk_registry_at(registry, i);

        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:b}", "name",
                            whk_entry_name(e), "title", whk_entry_title(e),
                            "summary", whk_entry_summary(e), "module",
                            whk_entry_module(e), "file", whk_entry_file(e),
                            "plugin", whk_entry_module_path(e), "preloaded",
                            whk_entry_preloaded(e)));
    }
    text = json_dumps(list, JSON_INDENT(2));
    if (text != NULL)
        puts(text);
    free(text);
    json_decref(list);
}

static void print_provider_table(const struct whk_registry *registry)
{
    size_t count = whk_registry_count(registry);
    int name_width = 4, title_width = 5;

    for (size_t i = 0; i < count; i++) {
        const struct whk_entry *e = whk_registry_at(registry, i);
        int name_len = (int)strlen(whk_entry_name(e));
        int title_len = (int)strlen(whk_entry_title(e));

        name_width = name_len > name_width ? name_len : name_width;
        title_width = title_len > title_width ? title_len : title_width;
    }
    whkp_printf("%-*s  %-*s  %s\n", name_width, "NAME", title_width, "TITLE",
                "SUMMARY");
    for (size_t i = 0; i < count; i++) {
        const struct whk_entry *e = whk_registry_at(registry, i);
        const char *mark = "";

        if (whk_entry_preloaded(e))
            mark = " (built in)";
        else if (whk_entry_module_path(e) == NULL)
            mark = " (plugin missing)";
        whkp_printf("%-*s  %-*s  %s%s\n", name_width, whk_entry_name(e),
                    title_width, whk_entry_title(e), whk_entry_summary(e),
                    mark);
    }
}

int whkp_cmd_providers(int argc, char **argv)
{
    struct whk_registry *registry = NULL;
    struct whk_error err = {0};
    int opt, json = 0;

    optind = 1;
    while ((opt = whkp_getopt(argc, argv, "h", providers_options,
                              "providers")) != -1) {
        if (opt == OPT_JSON) {
            json = 1;
        } else if (opt == 'h') {
            fputs(providers_usage, stdout);
            return WHKP_EXIT_OK;
        } else {
            return WHKP_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        whkp_error("unexpected argument '%s'", argv[optind]);
        return WHKP_EXIT_USAGE;
    }
    if (whk_registry_open(&registry, NULL, NULL, &err) != WHK_OK) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_ENV;
    }

    report_problems(registry);
    if (json)
        print_provider_json(registry);
    else if (whk_registry_count(registry) == 0)
        whkp_warning("no providers are installed (searched %s)",
                     whk_registry_providers_path(registry));
    else
        print_provider_table(registry);
    whk_registry_free(registry);
    return WHKP_EXIT_OK;
}

static const char *key_source_name(enum whk_key_source source)
{
    switch (source) {
    case WHK_KEY_PARAM:
        return "form parameter";
    case WHK_KEY_HEADER:
        return "header";
    case WHK_KEY_JSON:
        return "JSON body";
    }
    return "unknown";
}

static void print_overview(const struct whk_provider *provider)
{
    const struct whk_descriptor *d = whk_provider_descriptor(provider);

    whkp_printf("%s (%s)\n", d->title ? d->title : d->name,
                whk_provider_name(provider));
    if (d->summary)
        whkp_printf("  %s\n", d->summary);
    if (d->docs_url)
        whkp_printf("  documentation: %s\n", d->docs_url);
    whkp_printf("  plugin:        %s\n\n", whk_provider_path(provider));

    whkp_printf("Signature\n");
    for (const char *const *h = d->signature_headers; h && *h; h++)
        whkp_printf("  header:    %s\n", *h);
    if (d->flags & WHK_SIGNATURE_IN_BODY)
        whkp_printf("  header:    none; the signature is in the body\n");
    if (d->algorithm)
        whkp_printf("  algorithm: %s\n", d->algorithm);
    whkp_printf(
        "  secret:    %s%s%s\n", d->secret.env ? d->secret.env : "(none)",
        d->secret.form ? ", " : "", d->secret.form ? d->secret.form : "");
    if (d->secret.where)
        whkp_printf("             from %s\n", d->secret.where);
    if (d->flags & WHK_SENDS_SECRET)
        whkp_printf("             sent as-is in %s: 'whk sign' refuses to "
                    "print it, 'whk test' sends it\n",
                    d->signature_headers[0]);
    if (d->tolerance_seconds > 0)
        whkp_printf("  tolerance: %d s\n", d->tolerance_seconds);
    putchar('\n');
}

static void print_fields(const struct whk_descriptor *d)
{
    const char *section = NULL;

    whkp_printf("Dashboard fields\n");
    for (const struct whk_field *f = d->fields; f && f->name; f++) {
        if (section == NULL || strcmp(section, f->section) != 0) {
            section = f->section;
            whkp_printf("  %s\n", section);
        }
        whkp_printf("    %s%s: %s\n", f->name, f->optional ? " (optional)" : "",
                    f->value);
        if (f->note)
            whkp_printf("      %s\n", f->note);
    }
    putchar('\n');
}

static void print_samples(const struct whk_descriptor *d)
{
    /* A provider that sends its secret as-is cannot be signed for. */
    whkp_printf("Samples (whk %s --sample NAME)\n",
                (d->flags & WHK_SENDS_SECRET) ? "test" : "sign");
    for (const struct whk_sample *s = d->samples; s && s->name; s++)
        whkp_printf("  %-16s %s; %s%s%s, %s, %zu bytes\n", s->name,
                    s->description, s->method ? s->method : "POST",
                    s->path_suffix ? " to the path + " : "",
                    s->path_suffix ? s->path_suffix : "",
                    s->content_type ? s->content_type : "no Content-Type",
                    s->body ? strlen(s->body) : 0);
    putchar('\n');
}

static void print_delivery(const struct whk_descriptor *d)
{
    const struct whk_key *k = d->idempotency_keys;

    whkp_printf("Delivery\n");
    whkp_printf("  idempotency keys: ");
    for (; k && k->name; k++)
        whkp_printf("%s (%s)%s", k->name, key_source_name(k->source),
                    k[1].name ? ", " : "");
    whkp_printf("%s\n", d->idempotency_keys && d->idempotency_keys->name
                            ? ""
                            : "(none declared)");
    if (d->response.status != 0)
        whkp_printf("  expected response: %d", d->response.status);
    else
        whkp_printf("  expected response: any 2xx");
    whkp_printf("%s%s\n", d->response.content_type ? " " : "",
                d->response.content_type ? d->response.content_type : "");
    if (d->response.body != NULL && d->response.body[0] != '\0')
        whkp_printf("    %s\n", d->response.body);
    if (d->timeout_ms)
        whkp_printf("  timeout: %.1f s%s%s\n", d->timeout_ms / 1000.0,
                    d->timeout_error ? ", then " : "",
                    d->timeout_error ? d->timeout_error : "");
    else if (d->flags & WHK_NO_TIMEOUT)
        whkp_printf("  timeout: none documented by the provider\n");
    if (d->retries)
        whkp_printf("  retries: %s\n", d->retries);
    putchar('\n');
}

static void print_failures(const struct whk_descriptor *d)
{
    whkp_printf("Common failures\n");
    for (const struct whk_failure *f = d->failures; f && f->symptom; f++) {
        whkp_printf("  %s\n", f->symptom);
        whkp_printf("    cause: %s\n", f->cause);
        whkp_printf("    fix:   %s\n", f->fix);
    }
}

static void print_challenges(const struct whk_descriptor *d)
{
    if (d->challenges == NULL || d->challenges->name == NULL)
        return;
    whkp_printf("\nEndpoint challenges (whk listen answers them, whk test "
                "sends them)\n");
    for (const struct whk_challenge *c = d->challenges; c->name; c++) {
        char status[16] = "any 2xx";

        /* Status 0 means any 2xx, as in whk_challenge. */
        if (c->status != 0)
            snprintf(status, sizeof(status), "%d", c->status);
        whkp_printf("  %s: %s\n", c->name, c->description);
        whkp_printf("    %s%s%s%s, expects %s%s%s\n", c->method,
                    c->query ? " ?" : "", c->query ? c->query : "",
                    c->is_signed ? " (signed)" : "", status,
                    c->response_body ? " " : "",
                    c->response_body ? c->response_body : "");
        if (c->invalid_status)
            whkp_printf("    an invalid signature must get %d\n",
                        c->invalid_status);
    }
}

static json_t *challenges_json(const struct whk_descriptor *d)
{
    json_t *list = json_array();

    for (const struct whk_challenge *c = d->challenges; c && c->name; c++)
        json_array_append_new(
            list,
            json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:b, s:s?, s:i, "
                      "s:s?, s:s?, s:i}",
                      "name", c->name, "description", c->description, "method",
                      c->method, "query", c->query, "body", c->body, "signed",
                      c->is_signed, "token", c->token, "status", c->status,
                      "content_type", c->response_content_type, "response_body",
                      c->response_body, "invalid_status", c->invalid_status));
    return list;
}

/* A sample as JSON, with its extra headers as "Name: value" strings. */
static json_t *sample_json(const struct whk_sample *s)
{
    json_t *headers = json_array();

    for (const char *const *h = s->headers; h && *h; h++)
        json_array_append_new(headers, json_string(*h));
    return json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:s?}", "name",
                     s->name, "description", s->description, "method",
                     s->method, "path_suffix", s->path_suffix, "content_type",
                     s->content_type, "headers", headers, "body", s->body);
}

static json_t *descriptor_json(const struct whk_provider *provider)
{
    const struct whk_descriptor *d = whk_provider_descriptor(provider);
    json_t *headers = json_array(), *fields = json_array();
    json_t *samples = json_array(), *keys = json_array();
    json_t *failures = json_array();

    for (const char *const *h = d->signature_headers; h && *h; h++)
        json_array_append_new(headers, json_string(*h));
    for (const struct whk_field *f = d->fields; f && f->name; f++)
        json_array_append_new(
            fields, json_pack("{s:s?, s:s, s:s?, s:s?, s:b}", "section",
                              f->section, "name", f->name, "value", f->value,
                              "note", f->note, "optional", f->optional));
    for (const struct whk_sample *s = d->samples; s && s->name; s++)
        json_array_append_new(samples, sample_json(s));
    for (const struct whk_key *k = d->idempotency_keys; k && k->name; k++)
        json_array_append_new(keys, json_pack("{s:s, s:s}", "source",
                                              key_source_name(k->source),
                                              "name", k->name));
    for (const struct whk_failure *f = d->failures; f && f->symptom; f++)
        json_array_append_new(
            failures, json_pack("{s:s, s:s?, s:s?, s:s}", "symptom", f->symptom,
                                "cause", f->cause, "fix", f->fix, "reason",
                                whk_reason_name(f->reason)));

    return json_pack(
        "{s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:o, "
        "s:{s:s?, s:s?, s:s?, s:s, s:b}, s:o, s:o, s:o, "
        "s:{s:i, s:s?, s:s?, s:s?}, s:i, s:s?, s:s?, s:i, s:o}",
        "name", whk_provider_name(provider), "title", d->title, "summary",
        d->summary, "docs_url", d->docs_url, "algorithm", d->algorithm,
        "plugin", whk_provider_path(provider), "signature_headers", headers,
        "secret", "env", d->secret.env, "form", d->secret.form, "where",
        d->secret.where, "kind",
        d->secret.kind == WHK_SECRET_PUBLIC_KEY ? "public_key" : "shared",
        "sent_as_is", (d->flags & WHK_SENDS_SECRET) != 0, "fields", fields,
        "samples", samples, "idempotency_keys", keys, "response", "status",
        d->response.status, "content_type", d->response.content_type, "body",
        d->response.body, "format", d->response.format, "timeout_ms",
        (int)d->timeout_ms, "timeout_error", d->timeout_error, "retries",
        d->retries, "tolerance_seconds", d->tolerance_seconds, "failures",
        failures);
}

/* The declarations as JSON, challenges included. */
static json_t *show_json(const struct whk_provider *provider)
{
    json_t *root = descriptor_json(provider);

    if (root != NULL)
        json_object_set_new(root, "challenges",
                            challenges_json(whk_provider_descriptor(provider)));
    return root;
}

static int print_sample_body(const struct whk_descriptor *d, const char *name)
{
    for (const struct whk_sample *s = d->samples; s && s->name; s++) {
        if (strcmp(s->name, name) == 0) {
            fputs(s->body ? s->body : "", stdout);
            putchar('\n');
            return WHKP_EXIT_OK;
        }
    }
    whkp_error("provider %s has no sample '%s'; 'whk show %s' lists them",
               d->name, name, d->name);
    return WHKP_EXIT_USAGE;
}

static const struct option show_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"sample", required_argument, NULL, OPT_SAMPLE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int show(const char *name, int json, const char *sample)
{
    struct whk_registry *registry = NULL;
    struct whk_provider *provider = NULL;
    const struct whk_descriptor *d;
    int status = whkp_load_provider(name, &registry, &provider);

    if (status != WHKP_EXIT_OK)
        goto out;
    d = whk_provider_descriptor(provider);
    if (sample != NULL) {
        status = print_sample_body(d, sample);
    } else if (json) {
        json_t *root = show_json(provider);
        char *text = json_dumps(root, JSON_INDENT(2));

        if (text != NULL)
            puts(text);
        free(text);
        json_decref(root);
    } else {
        print_overview(provider);
        print_fields(d);
        print_samples(d);
        print_delivery(d);
        print_failures(d);
        print_challenges(d);
    }

out:
    whk_provider_free(provider);
    whk_registry_free(registry);
    return status;
}

int whkp_cmd_show(int argc, char **argv)
{
    const char *sample = NULL;
    int opt, json = 0;

    optind = 1;
    while ((opt = whkp_getopt(argc, argv, "h", show_options, "show")) != -1) {
        if (opt == OPT_JSON) {
            json = 1;
        } else if (opt == OPT_SAMPLE) {
            sample = optarg;
        } else if (opt == 'h') {
            fputs(show_usage, stdout);
            return WHKP_EXIT_OK;
        } else {
            return WHKP_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        whkp_error("show takes one provider name ('whk providers' lists "
                   "them)");
        return WHKP_EXIT_USAGE;
    }
    return show(argv[optind], json, sample);
}
