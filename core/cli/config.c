/* SPDX-License-Identifier: MIT */
/* whk.json: per-provider port, path, public URL and secret variable. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

void whkp_config_clear(struct whkp_config *config)
{
    free(config->path);
    json_decref(config->root);
    memset(config, 0, sizeof(*config));
}

void whkp_project_clear(struct whkp_project *project)
{
    free(project->provider);
    free(project->path);
    free(project->public_url);
    free(project->secret_env);
    free(project->tunnel);
    free(project->subdomain);
    memset(project, 0, sizeof(*project));
}

static enum whk_status check_shape(const char *path, json_t *root,
                                   struct whk_error *err)
{
    json_t *providers = json_object_get(root, "providers");
    const char *name;
    json_t *entry;

    if (!json_is_object(root))
        return whk_error_set(err, WHK_ERR_CONFIG,
                             "%s: the top level must be a JSON object with "
                             "a \"providers\" object",
                             path);
    if (providers == NULL)
        return json_object_set_new(root, "providers", json_object()) == 0
                   ? WHK_OK
                   : whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    if (!json_is_object(providers))
        return whk_error_set(err, WHK_ERR_CONFIG,
                             "%s: \"providers\" must be an object with one "
                             "entry per provider",
                             path);
    json_object_foreach(providers, name, entry)
    {
        if (!json_is_object(entry))
            return whk_error_set(err, WHK_ERR_CONFIG,
                                 "%s: providers.%s must be an object", path,
                                 name);
    }
    return WHK_OK;
}

/* Returns 1 when the file begins with the UTF-8 byte-order mark. */
static int starts_with_bom(const char *path)
{
    unsigned char head[3] = {0};
    FILE *file = fopen(path, "rb");
    size_t got;

    if (file == NULL)
        return 0;
    got = fread(head, 1, sizeof(head), file);
    fclose(file);
    return got == 3 && head[0] == 0xef && head[1] == 0xbb && head[2] == 0xbf;
}

enum whk_status whkp_config_read(const char *path, struct whkp_config *config,
                                 struct whk_error *err)
{
    json_error_t error;
    enum whk_status status;

    memset(config, 0, sizeof(*config));
    config->path = strdup(path);
    if (config->path == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    if (access(path, F_OK) != 0 && errno == ENOENT) {
        config->root = json_pack("{s:{}}", "providers");
        return config->root
                   ? WHK_OK
                   : whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }

    config->exists = 1;
    config->root = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
    if (config->root == NULL && starts_with_bom(path))
        status = whk_error_set(err, WHK_ERR_CONFIG,
                               "%s starts with a UTF-8 byte-order mark; save "
                               "it without one",
                               path);
    else if (config->root == NULL && strstr(error.text, "JSON_ALLOW_NUL"))
        status = whk_error_set(err, WHK_ERR_CONFIG,
                               "%s:%d:%d: a \\u0000 (NUL) escape is not "
                               "allowed in whk.json",
                               path, error.line, error.column);
    else if (config->root == NULL)
        status =
            error.line < 0
                ? whk_error_set(err, WHK_ERR_IO, "%s: %s", path, error.text)
                : whk_error_set(err, WHK_ERR_CONFIG,
                                "%s:%d:%d: %s; fix the file or remove "
                                "it and run 'whk init' again",
                                path, error.line,
                                error.column < 1 ? 1 : error.column,
                                error.text);
    if (config->root == NULL) {
        whkp_config_clear(config);
        return status;
    }
    status = check_shape(path, config->root, err);
    if (status != WHK_OK)
        whkp_config_clear(config);
    return status;
}

/*
 * Reports the providers of a whk.json that has several, so the user can
 * choose one with --provider. Returns 1 when it printed an error.
 */
int whkp_config_list_providers(const struct whkp_config *config)
{
    json_t *providers = json_object_get(config->root, "providers");
    const char *name;
    json_t *entry;
    char *names = NULL;
    size_t size = 0;
    FILE *out;

    if (json_object_size(providers) < 2 ||
        (out = open_memstream(&names, &size)) == NULL)
        return 0;
    json_object_foreach(providers, name, entry)
    {
        (void)entry;
        fprintf(out, "%s%s", size || ftell(out) ? ", " : "", name);
    }
    fclose(out);
    whkp_error("%s sets up several providers (%s); choose one with "
               "--provider NAME",
               config->path, names);
    free(names);
    return 1;
}

const char *whkp_config_single_provider(const struct whkp_config *config)
{
    json_t *providers = json_object_get(config->root, "providers");
    void *iter = json_object_iter(providers);

    if (json_object_size(providers) != 1 || iter == NULL)
        return NULL;
    return json_object_iter_key(iter);
}

/* Copies string member key of entry into *out; NULL when absent. */
static enum whk_status get_string(const struct whkp_config *config,
                                  const char *provider, json_t *entry,
                                  const char *key, char **out,
                                  struct whk_error *err)
{
    json_t *value = json_object_get(entry, key);

    *out = NULL;
    if (value == NULL || json_is_null(value))
        return WHK_OK;
    if (!json_is_string(value) || json_string_length(value) == 0)
        return whk_error_set(err, WHK_ERR_CONFIG,
                             "%s: providers.%s.%s must be a non-empty "
                             "string",
                             config->path, provider, key);
    *out = strdup(json_string_value(value));
    return *out ? WHK_OK
                : whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
}

static enum whk_status check_values(const struct whkp_config *config,
                                    json_t *entry,
                                    const struct whkp_project *project,
                                    struct whk_error *err)
{
    json_t *port = json_object_get(entry, "port");
    struct whk_url_parts parts;

    if (port != NULL &&
        (!json_is_integer(port) || json_integer_value(port) < 1 ||
         json_integer_value(port) > 65535))
        return whk_error_set(err, WHK_ERR_CONFIG,
                             "%s: providers.%s.port must be a whole number "
                             "from 1 to 65535",
                             config->path, project->provider);
    if (project->path != NULL && project->path[0] != '/')
        return whk_error_set(err, WHK_ERR_CONFIG,
                             "%s: providers.%s.path '%s' must start with "
                             "'/'",
                             config->path, project->provider, project->path);
    if (project->public_url != NULL &&
        whk_url_split(project->public_url, &parts, NULL) != WHK_OK)
        return whk_error_set(err, WHK_ERR_CONFIG,
                             "%s: providers.%s.public_url '%s' is not an "
                             "absolute URL such as https://example.com",
                             config->path, project->provider,
                             project->public_url);
    return WHK_OK;
}

enum whk_status whkp_config_project(const struct whkp_config *config,
                                    const char *provider,
                                    struct whkp_project *project,
                                    struct whk_error *err)
{
    json_t *entry =
        json_object_get(json_object_get(config->root, "providers"), provider);
    static const char *const keys[] = {"path", "public_url", "secret_env",
                                       "tunnel", "subdomain"};
    char **fields[] = {&project->path, &project->public_url,
                       &project->secret_env, &project->tunnel,
                       &project->subdomain};
    enum whk_status status = WHK_OK;

    memset(project, 0, sizeof(*project));
    project->provider = strdup(provider);
    if (project->provider == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    if (entry == NULL)
        return whk_error_set(err, WHK_ERR_NOT_FOUND,
                             "%s has no entry for provider %s", config->path,
                             provider);

    for (size_t i = 0; i < 5 && status == WHK_OK; i++)
        status = get_string(config, provider, entry, keys[i], fields[i], err);
    if (status == WHK_OK)
        status = check_values(config, entry, project, err);
    if (status == WHK_OK && json_object_get(entry, "port") != NULL)
        project->port = (int)json_integer_value(json_object_get(entry, "port"));
    return status;
}

static int set_string(json_t *entry, const char *key, const char *value)
{
    return value == NULL ||
           json_object_set_new(entry, key, json_string(value)) == 0;
}

enum whk_status whkp_config_update(struct whkp_config *config,
                                   const struct whkp_project *project,
                                   struct whk_error *err)
{
    json_t *providers = json_object_get(config->root, "providers");
    json_t *entry = json_object_get(providers, project->provider);
    int ok = 1;

    if (entry == NULL) {
        entry = json_object();
        if (entry == NULL ||
            json_object_set_new(providers, project->provider, entry) != 0)
            return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    if (project->port > 0)
        ok = json_object_set_new(entry, "port", json_integer(project->port)) ==
             0;
    ok = ok && set_string(entry, "path", project->path) &&
         set_string(entry, "public_url", project->public_url) &&
         set_string(entry, "secret_env", project->secret_env) &&
         set_string(entry, "tunnel", project->tunnel) &&
         set_string(entry, "subdomain", project->subdomain);
    return ok ? WHK_OK : whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
}

enum whk_status whkp_config_write(const struct whkp_config *config,
                                  struct whk_error *err)
{
    char *text = json_dumps(config->root, JSON_INDENT(2));
    char *temp = NULL;
    size_t len;
    int fd = -1;
    enum whk_status status = WHK_OK;

    if (text == NULL || asprintf(&temp, "%s.tmp", config->path) < 0) {
        temp = NULL;
        status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
        goto out;
    }
    fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    len = strlen(text);
    text[len] = '\n';
    if (fd < 0 || write(fd, text, len + 1) != (ssize_t)(len + 1) ||
        fsync(fd) != 0) {
        status = whk_error_set(err, WHK_ERR_IO, "cannot write %s: %s", temp,
                               strerror(errno));
        goto out;
    }
    close(fd);
    fd = -1;
    if (rename(temp, config->path) != 0)
        status = whk_error_set(err, WHK_ERR_IO, "cannot rename %s to %s: %s",
                               temp, config->path, strerror(errno));

out:
    if (fd >= 0)
        close(fd);
    if (status != WHK_OK && temp != NULL)
        unlink(temp);
    free(temp);
    free(text);
    return status;
}

int whkp_project_load(const char *provider, struct whkp_project *project)
{
    struct whkp_config config;
    struct whk_error err = {0};
    enum whk_status status;
    int exit_status = WHKP_EXIT_OK;

    memset(project, 0, sizeof(*project));
    if (whkp_config_read(WHKP_CONFIG_FILE, &config, &err) != WHK_OK) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_USAGE;
    }
    if (provider == NULL)
        provider = whkp_config_single_provider(&config);
    if (provider == NULL)
        goto out;

    status = whkp_config_project(&config, provider, project, &err);
    if (status == WHK_ERR_NOT_FOUND) {
        whkp_project_clear(project);
        project->provider = strdup(provider);
    } else if (status != WHK_OK) {
        whkp_error("%s", err.text);
        exit_status = WHKP_EXIT_USAGE;
    }

out:
    whkp_config_clear(&config);
    return exit_status;
}

char *whkp_public_url(const char *base, const char *target)
{
    struct whk_url_parts parts;
    size_t origin_len, prefix_len;
    char *url;

    if (whk_url_split(base, &parts, NULL) != WHK_OK)
        return NULL;
    origin_len = (size_t)(parts.path.ptr - base);
    prefix_len = parts.path.len;
    while (prefix_len > 0 && parts.path.ptr[prefix_len - 1] == '/')
        prefix_len--;
    if (target[0] != '/' && target[0] != '?')
        return NULL;

    /*
     * A base that already names the target's path is not doubled. strchr
     * also matches the terminating NUL, so a target equal to the prefix
     * counts.
     */
    if (prefix_len > 0 && strncmp(target, parts.path.ptr, prefix_len) == 0 &&
        strchr("/?", target[prefix_len]) != NULL)
        prefix_len = 0;
    if (asprintf(&url, "%.*s%.*s%s", (int)origin_len, base, (int)prefix_len,
                 parts.path.ptr, target) < 0)
        return NULL;
    return url;
}

int whkp_apply_project(const struct whkp_project *project,
                       const char *public_url,
                       struct whkp_request_options *opts, char **webhook_url)
{
    const char *base = public_url ? public_url : project->public_url;
    struct whk_url_parts parts;
    struct whk_error err = {0};

    *webhook_url = NULL;
    if (base == NULL)
        return WHKP_EXIT_OK;
    if (whk_url_split(base, &parts, &err) != WHK_OK) {
        whkp_error("public URL '%s': %s", base, err.text);
        return WHKP_EXIT_USAGE;
    }
    opts->public_base = base;
    if (opts->url != NULL || opts->file != NULL)
        return WHKP_EXIT_OK;
    *webhook_url = whkp_public_url(base, project->path ? project->path : "/");
    if (*webhook_url == NULL) {
        whkp_error("out of memory");
        return WHKP_EXIT_ENV;
    }
    opts->url = *webhook_url;
    return WHKP_EXIT_OK;
}
