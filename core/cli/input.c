/* SPDX-License-Identifier: MIT */
/* Building the request a command works on from files, samples or flags. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* Largest request file or --data file read; larger ones are rejected. */
#define MAX_REQUEST_SIZE ((size_t)128 * 1024 * 1024)

int whkp_request_options_add_header(struct whkp_request_options *opts,
                                    const char *line)
{
    const char **grown = realloc(opts->headers, (opts->header_count + 1) *
                                                    sizeof(*opts->headers));

    if (grown == NULL)
        return 0;
    opts->headers = grown;
    opts->headers[opts->header_count++] = line;
    return 1;
}

void whkp_request_options_clear(struct whkp_request_options *opts)
{
    free(opts->headers);
    opts->headers = NULL;
    opts->header_count = 0;
}

int whkp_check_stdin(const struct whkp_request_options *opts,
                     const char *secret_file)
{
    int request_stdin = (opts->file && strcmp(opts->file, "-") == 0) ||
                        (opts->data && strcmp(opts->data, "@-") == 0);

    if (request_stdin && secret_file && strcmp(secret_file, "-") == 0) {
        whkp_error("the request and the secret cannot both come from "
                   "standard input; put the secret in a file or an "
                   "environment variable");
        return WHKP_EXIT_USAGE;
    }
    return WHKP_EXIT_OK;
}

int whkp_parse_seconds(const char *option, const char *text, int64_t *value)
{
    size_t digits = strspn(text, "0123456789");

    if (digits > 0 && text[digits] == '\0' &&
        !whk_parse_int64(text, strlen(text), value)) {
        whkp_error("%s '%s' is out of range; give at most %lld seconds", option,
                   text, (long long)INT64_MAX);
        return 0;
    }
    if (!whk_parse_int64(text, strlen(text), value) || *value < 0) {
        whkp_error("%s '%s' is not a whole, non-negative number of seconds",
                   option, text);
        return 0;
    }
    return 1;
}

int whkp_load_provider(const char *name, struct whk_registry **registry,
                       struct whk_provider **provider)
{
    struct whk_error err = {0};

    if (name == NULL) {
        struct whkp_config config;
        int listed = 0;

        if (whkp_config_read(WHKP_CONFIG_FILE, &config, NULL) == WHK_OK) {
            listed = whkp_config_list_providers(&config);
            whkp_config_clear(&config);
        }
        if (!listed)
            whkp_error("no provider given; pass --provider NAME ('whk "
                       "providers' lists them)");
        return WHKP_EXIT_USAGE;
    }
    if (whk_registry_open(registry, NULL, NULL, &err) != WHK_OK) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_ENV;
    }
    if (whk_provider_load(*registry, name, provider, &err) != WHK_OK) {
        const char *problem;

        whkp_error("%s", err.text);
        for (size_t i = 0;
             (problem = whk_registry_problem_at(*registry, i)) != NULL; i++)
            whkp_note("skipped %s", problem);
        return err.status == WHK_ERR_NOT_FOUND ? WHKP_EXIT_USAGE
                                               : WHKP_EXIT_ENV;
    }
    return WHKP_EXIT_OK;
}

/* Adds "Name: value" to req, replacing earlier lines of that name. */
static int add_header_option(struct whk_request *req, const char *line)
{
    const char *colon = strchr(line, ':'), *value;
    char *name, *trimmed;
    size_t value_len;
    enum whk_status status;

    if (colon == NULL || colon == line) {
        whkp_error("--header '%s' is not 'Name: value'", line);
        return 0;
    }
    value = colon + 1;
    while (*value == ' ' || *value == '\t')
        value++;
    if (strpbrk(value, "\r\n") != NULL) {
        whkp_error("--header '%s' has a line break (CR or LF) in its value; "
                   "give each header with its own --header",
                   line);
        return 0;
    }
    /* Trailing spaces and tabs are not part of a field value (RFC 9110). */
    value_len = strlen(value);
    while (value_len > 0 &&
           (value[value_len - 1] == ' ' || value[value_len - 1] == '\t'))
        value_len--;
    name = strndup(line, (size_t)(colon - line));
    trimmed = strndup(value, value_len);
    status = name && trimmed ? whk_request_set_header(req, name, trimmed)
                             : WHK_ERR_NO_MEMORY;
    free(trimmed);
    if (status == WHK_ERR_INVALID)
        whkp_error("--header '%s': the name '%s' has a character that a "
                   "header name cannot have (a space, a colon or a control "
                   "character, for example)",
                   line, name);
    else if (status != WHK_OK)
        whkp_error("--header '%s': %s", line, whk_strerror(status));
    free(name);
    return status == WHK_OK;
}

static const struct whk_sample *find_sample(const struct whk_descriptor *d,
                                            const char *name)
{
    for (const struct whk_sample *s = d->samples; s && s->name; s++) {
        if (strcmp(s->name, name) == 0)
            return s;
    }
    whkp_error("provider %s has no sample '%s'; its samples are:", d->name,
               name);
    for (const struct whk_sample *s = d->samples; s && s->name; s++)
        fprintf(stderr, "  %s\n", s->name);
    return NULL;
}

char *whkp_append_path(const char *url, const char *suffix)
{
    struct whk_url_parts parts;
    size_t cut;
    char *out;

    if (whk_url_split(url, &parts, NULL) != WHK_OK)
        return NULL;
    cut = (size_t)(parts.path.ptr - url) + parts.path.len;
    if (parts.path.len > 0 && url[cut - 1] == '/' && suffix[0] == '/')
        cut--;
    out = malloc(strlen(url) + strlen(suffix) + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, url, cut);
    strcpy(out + cut, suffix);
    strcat(out, url + (size_t)(parts.path.ptr - url) + parts.path.len);
    return out;
}

static int sample_request(const struct whkp_request_options *opts,
                          const struct whk_descriptor *d,
                          struct whk_request *req, char **url)
{
    const struct whk_sample *sample = find_sample(d, opts->sample);

    if (sample == NULL)
        return WHKP_EXIT_USAGE;
    if (whk_request_set_method(req, sample->method ? sample->method : "POST") !=
            WHK_OK ||
        (sample->content_type &&
         whk_request_set_header(req, "Content-Type", sample->content_type) !=
             WHK_OK))
        return WHKP_EXIT_USAGE;
    for (const char *const *h = sample->headers; h && *h; h++) {
        if (!add_header_option(req, *h))
            return WHKP_EXIT_USAGE;
    }
    whk_request_set_body(req, sample->body ? sample->body : "",
                         sample->body ? strlen(sample->body) : 0);

    if (opts->url != NULL && sample->path_suffix != NULL) {
        *url = whkp_append_path(opts->url, sample->path_suffix);
        if (*url == NULL) {
            whkp_error("invalid URL '%s'", opts->url);
            return WHKP_EXIT_USAGE;
        }
    }
    return WHKP_EXIT_OK;
}

/* Reads --data: a literal, "@FILE" or "@-" for standard input. */
static int data_request(const struct whkp_request_options *opts,
                        struct whk_request *req)
{
    struct whk_error err = {0};
    char *body = NULL;
    size_t len;

    if (opts->data == NULL)
        return WHKP_EXIT_OK;
    if (opts->data[0] == '@') {
        if (whkp_read_file(opts->data + 1, MAX_REQUEST_SIZE, &body, &len,
                           &err) != WHK_OK) {
            whkp_error("--data: %s", err.text);
            return WHKP_EXIT_USAGE;
        }
        whk_request_set_body(req, body, len);
        free(body);
    } else {
        whk_request_set_body(req, opts->data, strlen(opts->data));
    }
    return WHKP_EXIT_OK;
}

static int is_record(const char *data, size_t len)
{
    size_t i = 0;

    while (i < len && isspace((unsigned char)data[i]))
        i++;
    return i < len && data[i] == '{';
}

/* Reads a raw HTTP request or a capture record from opts->file. */
static int file_request(const struct whkp_request_options *opts,
                        struct whk_request **req, char **target, char **url)
{
    const char *name =
        strcmp(opts->file, "-") == 0 ? "standard input" : opts->file;
    struct whk_error err = {0};
    struct whkp_record record;
    size_t skipped = 0;
    char *data;
    size_t len;
    enum whk_status status;

    if (whkp_read_file(opts->file, MAX_REQUEST_SIZE, &data, &len, &err) !=
        WHK_OK) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_USAGE;
    }
    if (!is_record(data, len)) {
        status = whkp_parse_http(data, len, req, target, &err);
        free(data);
        if (status != WHK_OK) {
            whkp_error("%s: %s", name, err.text);
            return WHKP_EXIT_USAGE;
        }
        return WHKP_EXIT_OK;
    }

    /* Without --record: the last delivery, not a probe or a challenge. */
    status = whkp_record_read_delivery(data, len, opts->record_id, &record,
                                       &skipped, &err);
    free(data);
    if (status != WHK_OK) {
        whkp_error("%s: %s", name, err.text);
        return WHKP_EXIT_USAGE;
    }
    if (opts->record_id == NULL && record.id != NULL && skipped > 0)
        whkp_note("using capture record %s, the last in %s that is neither "
                  "a probe of whk test nor an unsigned challenge (%zu %s "
                  "after it skipped; choose one with --record)",
                  record.id, name, skipped,
                  whkp_plural(skipped, "record", "records"));
    else if (opts->record_id == NULL && record.id != NULL)
        whkp_note("using capture record %s, the last in %s (choose one "
                  "with --record)",
                  record.id, name);
    if (record.provider != NULL && opts->provider != NULL &&
        strcmp(record.provider, opts->provider) != 0)
        whkp_warning("capture record %s was received for provider %s, not "
                     "%s",
                     record.id ? record.id : "(no id)", record.provider,
                     opts->provider);
    *req = record.request;
    *target = record.target;
    *url = record.url;
    record.request = NULL;
    record.target = NULL;
    record.url = NULL;
    whkp_record_clear(&record);
    return WHKP_EXIT_OK;
}

/*
 * Rebuilds the public URL from Host and X-Forwarded-Proto, as an app
 * behind a proxy would. Returns NULL when there is no Host header.
 */
static char *rebuild_url(const struct whk_request *req, const char *target)
{
    const char *host = whk_request_header(req, "X-Forwarded-Host");
    const char *proto = whk_request_header(req, "X-Forwarded-Proto");
    char *url;

    if (host == NULL)
        host = whk_request_header(req, "Host");
    if (host == NULL || *host == '\0' || target[0] != '/')
        return NULL;
    if (proto == NULL || *proto == '\0')
        proto = "https";
    /* Each proxy appends to these lists; the first entry is the client's. */
    if (asprintf(&url, "%.*s://%.*s%s", (int)strcspn(proto, ", "), proto,
                 (int)strcspn(host, ","), host, target) < 0)
        return NULL;
    /* Header values are case-insensitive here; a signed URL's scheme is
     * lowercase. */
    for (char *c = url; *c != ':'; c++)
        *c = (char)tolower((unsigned char)*c);
    return url;
}

/* Returns 1 when host names this machine rather than a public host. */
static int is_local_host(const char *host)
{
    return strncasecmp(host, "localhost", 9) == 0 ||
           strncmp(host, "127.", 4) == 0 || strncmp(host, "[::1]", 5) == 0 ||
           strncmp(host, "0.0.0.0", 7) == 0;
}

static void warn_rebuilt(const struct whk_request *req, const char *url)
{
    const char *forwarded = whk_request_header(req, "X-Forwarded-Host");
    const char *host = forwarded ? "X-Forwarded-Host" : "Host";
    const char *value = forwarded ? forwarded : whk_request_header(req, "Host");

    if (is_local_host(value))
        whkp_warning("the %s header names this machine (%s), not the public "
                     "host the provider requested, and the request carries "
                     "no X-Forwarded-Host; pass --url with the public URL",
                     host, value);

    if (whk_request_header(req, "X-Forwarded-Proto") != NULL)
        whkp_warning("no --url given: using %s, rebuilt from the %s and "
                     "X-Forwarded-Proto headers; pass --url with the public "
                     "URL set in the provider's dashboard",
                     url, host);
    else
        whkp_warning("no --url given: using %s, rebuilt from the %s header "
                     "with https, since X-Forwarded-Proto is absent; pass "
                     "--url with the public URL set in the provider's "
                     "dashboard",
                     url, host);
}

/*
 * Chooses the URL: --url, the record's, the public base followed by the
 * target, the absolute-form target, else rebuilt from the headers.
 */
static int resolve_url(const struct whkp_request_options *opts,
                       const struct whk_descriptor *d, struct whk_request *req,
                       const char *target, char **url)
{
    struct whk_error err = {0};
    struct whk_url_parts parts;
    int signs_url = d == NULL || (d->flags & WHK_SIGNS_URL);

    if (*url == NULL && opts->url != NULL)
        *url = strdup(opts->url);
    if (*url == NULL && opts->public_base != NULL && target != NULL &&
        target[0] == '/')
        *url = whkp_public_url(opts->public_base, target);
    /* An absolute-form request target ("POST https://h/p HTTP/1.1"). */
    if (*url == NULL && target && target[0] != '/' &&
        whk_url_split(target, &parts, NULL) == WHK_OK)
        *url = strdup(target);
    if (*url == NULL && target != NULL) {
        *url = rebuild_url(req, target);
        if (*url != NULL && signs_url)
            warn_rebuilt(req, *url);
    }
    /* A scheme that does not sign the URL needs one only to address the
     * request, so a stand-in does. */
    if (*url == NULL && !signs_url)
        *url = whkp_sprintf("http://localhost%s",
                            target && target[0] == '/' ? target : "/");
    if (*url == NULL) {
        whkp_error("no public URL: pass --url with the URL set in the "
                   "provider's dashboard, or set it once with 'whk init "
                   "--public-url URL'");
        return WHKP_EXIT_USAGE;
    }
    if (whk_url_split(*url, &parts, &err) != WHK_OK) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_USAGE;
    }
    if (!(parts.scheme.len == 4 && strncasecmp(*url, "http", 4) == 0) &&
        !(parts.scheme.len == 5 && strncasecmp(*url, "https", 5) == 0)) {
        whkp_error("the public URL '%s' must start with https:// or http://",
                   *url);
        return WHKP_EXIT_USAGE;
    }
    return whk_request_set_url(req, *url) == WHK_OK ? WHKP_EXIT_OK
                                                    : WHKP_EXIT_USAGE;
}

/* Returns the path and query of url, for a request line. */
static char *target_of(const char *url)
{
    struct whk_url_parts parts;
    const char *start, *end;

    if (whk_url_split(url, &parts, NULL) != WHK_OK)
        return strdup("/");
    start = parts.path.ptr;
    end = parts.query.ptr ? parts.query.ptr + parts.query.len
                          : parts.path.ptr + parts.path.len;
    if (start == end)
        return strdup("/");
    if (*start != '/') {
        char *target = malloc((size_t)(end - start) + 2);
        if (target != NULL)
            sprintf(target, "/%.*s", (int)(end - start), start);
        return target;
    }
    return strndup(start, (size_t)(end - start));
}

static int conflicting_sources(const struct whkp_request_options *opts)
{
    int sources =
        (opts->file != NULL) + (opts->data != NULL) + (opts->sample != NULL);

    if (sources > 1) {
        whkp_error("give one request source: %s",
                   opts->samples ? "a FILE, --data or --sample"
                                 : "a FILE or --data");
        return 1;
    }
    if (sources == 0 && opts->header_count == 0) {
        whkp_error("no request given: pass a FILE with a raw HTTP request or "
                   "capture record ('-' reads standard input)%s",
                   opts->samples ? ", --data, or --sample NAME" : " or --data");
        return 1;
    }
    return 0;
}

/* Adds the form Content-Type that curl sends with --data, when absent. */
static void default_content_type(struct whk_request *req)
{
    size_t len;
    const char *body = whk_request_body(req, &len);

    if (whk_request_header(req, "Content-Type") != NULL || len == 0)
        return;
    whk_request_set_header(req, "Content-Type",
                           "application/x-www-form-urlencoded");
    if (body[strspn(body, " \t\r\n")] == '{' ||
        body[strspn(body, " \t\r\n")] == '[')
        whkp_note("the body looks like JSON but has no Content-Type; using "
                  "application/x-www-form-urlencoded as curl does (add "
                  "--header 'Content-Type: application/json')");
}

int whkp_build_request(const struct whkp_request_options *opts,
                       const struct whk_descriptor *descriptor,
                       struct whk_request **request, char **target)
{
    struct whk_request *req = NULL;
    char *url = NULL;
    int status;

    *target = NULL;
    if (conflicting_sources(opts))
        return WHKP_EXIT_USAGE;

    if (opts->file != NULL) {
        status = file_request(opts, &req, target, &url);
    } else {
        req = whk_request_new();
        if (req == NULL)
            return WHKP_EXIT_ENV;
        status = opts->sample ? sample_request(opts, descriptor, req, &url)
                              : data_request(opts, req);
    }
    if (status != WHKP_EXIT_OK)
        goto out;

    for (size_t i = 0; i < opts->header_count; i++) {
        if (!add_header_option(req, opts->headers[i])) {
            status = WHKP_EXIT_USAGE;
            goto out;
        }
    }
    if (opts->method != NULL &&
        whk_request_set_method(req, opts->method) != WHK_OK) {
        whkp_error("--method '%s' is not an HTTP method token such as POST",
                   opts->method);
        status = WHKP_EXIT_USAGE;
        goto out;
    }
    if (opts->data != NULL)
        default_content_type(req);

    if (opts->url != NULL && opts->file != NULL) {
        free(url);
        url = NULL;
    }
    status = resolve_url(opts, descriptor, req, *target, &url);
    if (status == WHKP_EXIT_OK && *target == NULL)
        *target = target_of(url);

out:
    free(url);
    if (status != WHKP_EXIT_OK) {
        whk_request_free(req);
        free(*target);
        *target = NULL;
        return status;
    }
    *request = req;
    return WHKP_EXIT_OK;
}
