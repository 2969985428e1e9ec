/* SPDX-License-Identifier: MIT */
/* The providers.d registry: entries read from JSON files, no plugin loaded. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <ltdl.h>

#include "internal.h"
#include "registry.h"

/*
 * A module linked into the program and listed in its libltdl preloaded
 * symbol table, with the providers.d entries built in beside it.
 */
struct preloaded_module {
    char *name;                 /* libltdl's module name: "twilio" */
    const char *const *entries; /* JSON texts, NULL-terminated, or NULL */
};

struct whk_registry {
    struct whk_entry *entries;
    size_t count;
    char **problems;
    size_t problem_count;
    char *providers_path;
    char *plugin_path;
    struct preloaded_module *preloaded;
    size_t preloaded_count;
};

static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * Returns the folder that contains libwhk itself, found through dladdr(), so
 * that a build tree or an install in any prefix finds its own plugins.
 */
static char *library_directory(void)
{
    Dl_info info;
    char *resolved, *slash;

    if (dladdr((void *)library_directory, &info) == 0 || info.dli_fname == NULL)
        return NULL;
    resolved = realpath(info.dli_fname, NULL);
    if (resolved == NULL)
        return NULL;
    slash = strrchr(resolved, '/');
    if (slash != NULL)
        *slash = '\0';
    return resolved;
}

/*
 * Picks a search path: the environment variable when set, else the folder
 * relative to libwhk when it exists, else the compiled-in folder.
 */
static char *default_path(const char *variable, const char *relative,
                          const char *absolute)
{
    const char *value = getenv(variable);
    char *base, *candidate;

    if (value != NULL && *value != '\0')
        return whkp_strndup(value, strlen(value));

    base = library_directory();
    if (base != NULL) {
        candidate = whkp_format("%s/%s", base, relative);
        free(base);
        if (candidate != NULL && is_directory(candidate)) {
            /* Resolve "lib/../share" so that messages show a plain path. */
            char *resolved = realpath(candidate, NULL);

            if (resolved != NULL) {
                free(candidate);
                candidate = resolved;
            }
            return candidate;
        }
        free(candidate);
    }
    return whkp_strndup(absolute, strlen(absolute));
}

static void add_problem(struct whk_registry *reg, char *text)
{
    char **grown;

    if (text == NULL)
        return;
    grown = realloc(reg->problems, (reg->problem_count + 1) * sizeof(*grown));
    if (grown == NULL) {
        free(text);
        return;
    }
    reg->problems = grown;
    reg->problems[reg->problem_count++] = text;
}

/*
 * The registry being filled by collect_preloaded(), because
 * lt_dlpreload_open() passes its callback no user data. libltdl is not
 * thread-safe either, so this adds no new restriction.
 */
static struct whk_registry *collecting;

/* Records one preloaded module; called by lt_dlpreload_open(). */
static int collect_preloaded(lt_dlhandle handle)
{
    const lt_dlinfo *info = lt_dlgetinfo(handle);
    struct whk_registry *reg = collecting;
    struct preloaded_module *grown;
    int failed = 1;

    if (info == NULL || info->name == NULL)
        goto out;
    grown =
        realloc(reg->preloaded, (reg->preloaded_count + 1) * sizeof(*grown));
    if (grown == NULL)
        goto out;
    reg->preloaded = grown;
    grown[reg->preloaded_count].name =
        whkp_strndup(info->name, strlen(info->name));
    if (grown[reg->preloaded_count].name == NULL)
        goto out;
    /* lt_dlsym() looks up MODULE_LTX_whk_entries first. */
    grown[reg->preloaded_count].entries = lt_dlsym(handle, "whk_entries");
    reg->preloaded_count++;
    failed = 0;

out:
    lt_dlclose(handle);
    return failed;
}

/*
 * Lists the modules the program preloaded. A program that preloaded none,
 * or set no table at all, has none, which is not an error.
 */
static void find_preloaded(struct whk_registry *reg)
{
    if (lt_dlinit() != 0)
        return;
    collecting = reg;
    lt_dlpreload_open(NULL, collect_preloaded);
    collecting = NULL;
    lt_dlexit();
}

/*
 * Returns 1 when module, a bare name, is preloaded. libltdl names a
 * module after its file with every byte other than a letter or digit
 * replaced by "_", so compare that way.
 */
static int is_preloaded(const struct whk_registry *reg, const char *module)
{
    for (size_t i = 0; i < reg->preloaded_count; i++) {
        const char *a = module, *b = reg->preloaded[i].name;

        for (; *a && *b; a++, b++) {
            char c = isalnum((unsigned char)*a) ? *a : '_';

            if (c != *b)
                break;
        }
        if (*a == '\0' && *b == '\0')
            return 1;
    }
    return 0;
}

static void free_entry(struct whk_entry *entry)
{
    free(entry->name);
    free(entry->title);
    free(entry->summary);
    free(entry->module);
    free(entry->file);
    free(entry->module_path);
    free(entry->json);
}

static int valid_provider_name(const char *name)
{
    if (*name == '\0' || strlen(name) > 64)
        return 0;
    for (const char *p = name; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                 (p != name && (*p == '-' || *p == '_'));
        if (!ok)
            return 0;
    }
    return 1;
}

/* Finds module's plugin file in the plugin folders; NULL when absent. */
static char *resolve_module(const char *module, const char *plugin_path)
{
    const char *dir = plugin_path;

    if (module[0] == '/')
        return is_file(module) ? whkp_strndup(module, strlen(module)) : NULL;

    while (dir != NULL && *dir != '\0') {
        const char *colon = strchr(dir, ':');
        size_t len = colon ? (size_t)(colon - dir) : strlen(dir);
        char *candidate = NULL;

        /* An empty entry ("a::b") names no folder, not the root. */
        if (len > 0)
            candidate = whkp_format("%.*s/%s.so", (int)len, dir, module);
        if (candidate != NULL && is_file(candidate))
            return candidate;
        free(candidate);
        dir = colon ? colon + 1 : NULL;
    }
    return NULL;
}

static const char *optional_string(json_t *root, const char *key)
{
    json_t *value = json_object_get(root, key);
    return json_is_string(value) ? json_string_value(value) : NULL;
}

/* A place in a providers.d file, counted from 1, for messages. */
struct position {
    int line;
    int column;
};

/* Returns 1 when text[i] is a '"' that ends a string, not an escaped one. */
static int ends_string(const char *text, size_t i, size_t start)
{
    size_t backslashes = 0;

    while (i - backslashes > start && text[i - backslashes - 1] == '\\')
        backslashes++;
    return backslashes % 2 == 0;
}

/*
 * Returns where key is in the top-level object of text, which is valid
 * JSON: its opening quote, else (NULL, absent, or written with escapes)
 * the object's '{'. Columns count UTF-8 characters, as jansson's do.
 */
static struct position key_position(const char *text, size_t len,
                                    const char *key)
{
    struct position at = {1, 1}, object = {1, 1}, string = {1, 1};
    size_t key_len = key ? strlen(key) : 0, start = 0;
    int depth = 0, in_string = 0;

    for (size_t i = 0; i < len; i++) {
        char c = text[i];

        if (in_string && c == '"' && ends_string(text, i, start)) {
            size_t next = i + 1 + strspn(text + i + 1, " \t\r\n");

            in_string = 0;
            if (key != NULL && depth == 1 && i - start == key_len &&
                memcmp(text + start, key, key_len) == 0 && next < len &&
                text[next] == ':')
                return string;
        } else if (!in_string && c == '"') {
            in_string = 1;
            start = i + 1;
            string = at;
        } else if (!in_string && (c == '{' || c == '[')) {
            if (depth++ == 0)
                object = at;
        } else if (!in_string && (c == '}' || c == ']')) {
            depth--;
        }
        if (c == '\n') {
            at.line++;
            at.column = 1;
        } else if (((unsigned char)c & 0xC0) != 0x80) {
            at.column++;
        }
    }
    return object;
}

/* Formats "FILE:LINE:COLUMN: " for key of text, then the message. */
static char *entry_problem(const char *file, const char *text, size_t len,
                           const char *key, const char *format, ...)
    WHK_PRINTF(5, 6);

static char *entry_problem(const char *file, const char *text, size_t len,
                           const char *key, const char *format, ...)
{
    struct position at = key_position(text, len, key);
    va_list args;
    char *message, *problem;

    va_start(args, format);
    message = whkp_vformat(format, args);
    va_end(args);
    if (message == NULL)
        return NULL;
    problem = whkp_format("%s:%d:%d: %s", file, at.line, at.column, message);
    free(message);
    return problem;
}

/* Checks an entry's keys; returns a problem text, or NULL when valid. */
static char *check_entry(const char *file, const char *text, size_t len,
                         json_t *root)
{
    static const char *const text_keys[] = {"title", "summary", NULL};
    json_t *name, *module;

    if (!json_is_object(root))
        return entry_problem(file, text, len, NULL,
                             "the entry must be a JSON object");

    name = json_object_get(root, "name");
    if (!json_is_string(name))
        return entry_problem(file, text, len, "name",
                             "key 'name' is missing or not a string");
    if (!valid_provider_name(json_string_value(name)))
        return entry_problem(file, text, len, "name",
                             "key 'name' is '%s'; use lowercase letters, "
                             "digits, '-' and '_'",
                             json_string_value(name));

    module = json_object_get(root, "module");
    if (!json_is_string(module) || json_string_length(module) == 0)
        return entry_problem(file, text, len, "module",
                             "key 'module' is missing or not a non-empty "
                             "string; name the plugin file without '.so'");
    if (json_string_value(module)[0] != '/' &&
        strchr(json_string_value(module), '/') != NULL)
        return entry_problem(file, text, len, "module",
                             "key 'module' is '%s'; give a bare module "
                             "name or an absolute path",
                             json_string_value(module));

    for (size_t i = 0; text_keys[i] != NULL; i++) {
        json_t *value = json_object_get(root, text_keys[i]);
        if (value != NULL && !json_is_string(value))
            return entry_problem(file, text, len, text_keys[i],
                                 "key '%s' must be a string", text_keys[i]);
    }
    return NULL;
}

static int find_index(const struct whk_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->count; i++) {
        if (strcmp(reg->entries[i].name, name) == 0)
            return (int)i;
    }
    return -1;
}

static enum whk_status add_entry(struct whk_registry *reg, const char *file,
                                 const char *text, size_t len, json_t *root)
{
    struct whk_entry entry = {0}, *grown;
    const char *name = json_string_value(json_object_get(root, "name"));
    const char *title = optional_string(root, "title");
    const char *summary = optional_string(root, "summary");
    const char *module = json_string_value(json_object_get(root, "module"));
    int existing = find_index(reg, name);

    if (existing >= 0) {
        add_problem(reg, entry_problem(file, text, len, "name",
                                       "provider '%s' is already defined "
                                       "by %s; this file is ignored",
                                       name, reg->entries[existing].file));
        return WHK_OK;
    }

    entry.name = whkp_strndup(name, strlen(name));
    entry.title =
        whkp_strndup(title ? title : name, strlen(title ? title : name));
    entry.summary =
        whkp_strndup(summary ? summary : "", strlen(summary ? summary : ""));
    entry.module = whkp_strndup(module, strlen(module));
    entry.file = file ? whkp_strndup(file, strlen(file)) : NULL;
    entry.preloaded = module[0] != '/' && is_preloaded(reg, module);
    if (!entry.preloaded)
        entry.module_path = resolve_module(module, reg->plugin_path);
    entry.json = json_dumps(root, JSON_COMPACT);
    grown = realloc(reg->entries, (reg->count + 1) * sizeof(*grown));
    if (!entry.name || !entry.title || !entry.summary || !entry.module ||
        (file && !entry.file) || !entry.json || grown == NULL) {
        free_entry(&entry);
        if (grown != NULL)
            reg->entries = grown;
        return WHK_ERR_NO_MEMORY;
    }
    reg->entries = grown;
    reg->entries[reg->count++] = entry;
    return WHK_OK;
}

/* Reads a whole file into a NUL-terminated buffer, or returns NULL. */
static char *read_text(const char *file, size_t *len)
{
    FILE *in = fopen(file, "rb");
    char *text = NULL, *grown;
    size_t size = 0, capacity = 0, got;

    if (in == NULL)
        return NULL;
    do {
        if (size == capacity) {
            capacity = capacity ? 2 * capacity : 4096;
            grown = realloc(text, capacity + 1);
            if (grown == NULL) {
                free(text);
                fclose(in);
                return NULL;
            }
            text = grown;
        }
        got = fread(text + size, 1, capacity - size, in);
        size += got;
    } while (got > 0);
    if (ferror(in)) {
        free(text);
        text = NULL;
    }
    fclose(in);
    if (text != NULL) {
        text[size] = '\0';
        *len = size;
    }
    return text;
}

static enum whk_status read_entry(struct whk_registry *reg, const char *file)
{
    json_error_t error;
    json_t *root;
    enum whk_status status = WHK_OK;
    size_t len = 0;
    char *text = read_text(file, &len), *problem;

    if (text == NULL) {
        add_problem(reg,
                    whkp_format("%s: cannot read: %s", file, strerror(errno)));
        return WHK_OK;
    }
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &error);
    if (root == NULL) {
        add_problem(reg, whkp_format("%s:%d:%d: invalid JSON: %s", file,
                                     error.line, error.column, error.text));
        free(text);
        return WHK_OK;
    }
    problem = check_entry(file, text, len, root);
    if (problem != NULL)
        add_problem(reg, problem);
    else
        status = add_entry(reg, file, text, len, root);
    json_decref(root);
    free(text);
    return status;
}

static int has_json_suffix(const char *name)
{
    size_t len = strlen(name);
    return len > 5 && strcmp(name + len - 5, ".json") == 0;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads one folder's *.json files in name order. */
static enum whk_status read_directory(struct whk_registry *reg, const char *dir)
{
    DIR *handle = opendir(dir);
    struct dirent *item;
    char **names = NULL;
    size_t count = 0;
    enum whk_status status = WHK_OK;

    if (handle == NULL) {
        struct stat st;

        /* A missing folder has no providers, but a file named as a folder
         * is a mistake worth reporting. */
        if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
            add_problem(reg, whkp_format("%s: not a folder; the providers "
                                         "path names folders of JSON files",
                                         dir));
        return WHK_OK;
    }
    while ((item = readdir(handle)) != NULL) {
        char **grown;

        if (item->d_name[0] == '.' || !has_json_suffix(item->d_name))
            continue;
        grown = realloc(names, (count + 1) * sizeof(*names));
        if (grown == NULL) {
            status = WHK_ERR_NO_MEMORY;
            break;
        }
        names = grown;
        names[count] = whkp_format("%s/%s", dir, item->d_name);
        if (names[count] == NULL) {
            status = WHK_ERR_NO_MEMORY;
            break;
        }
        count++;
    }
    closedir(handle);

    if (count > 0)
        qsort(names, count, sizeof(*names), compare_strings);
    for (size_t i = 0; i < count; i++) {
        if (status == WHK_OK)
            status = read_entry(reg, names[i]);
        free(names[i]);
    }
    free(names);
    return status;
}

/*
 * Adds the entries built in with preloaded modules, except for provider
 * names a providers.d file already defines: a file overrides them.
 */
static enum whk_status add_builtin_entries(struct whk_registry *reg)
{
    enum whk_status status = WHK_OK;

    for (size_t i = 0; status == WHK_OK && i < reg->preloaded_count; i++) {
        const struct preloaded_module *m = &reg->preloaded[i];

        for (size_t j = 0; status == WHK_OK && m->entries && m->entries[j];
             j++) {
            char *label = whkp_format("the entry built in with preloaded "
                                      "module '%s'",
                                      m->name);
            const char *text = m->entries[j];
            size_t len = strlen(text);
            json_error_t error;
            json_t *root =
                json_loadb(text, len, JSON_REJECT_DUPLICATES, &error);
            char *problem = NULL;

            if (label == NULL) {
                status = WHK_ERR_NO_MEMORY;
            } else if (root == NULL) {
                add_problem(reg, whkp_format("%s: invalid JSON: %s", label,
                                             error.text));
            } else if ((problem = check_entry(label, text, len, root)) !=
                       NULL) {
                add_problem(reg, problem);
            } else if (find_index(reg, json_string_value(json_object_get(
                                           root, "name"))) < 0) {
                status = add_entry(reg, NULL, text, len, root);
            }
            json_decref(root);
            free(label);
        }
    }
    return status;
}

static int compare_entries(const void *a, const void *b)
{
    const struct whk_entry *x = a, *y = b;
    return strcmp(x->name, y->name);
}

enum whk_status whk_registry_open(struct whk_registry **registry,
                                  const char *providers_path,
                                  const char *plugin_path,
                                  struct whk_error *err)
{
    struct whk_registry *reg = calloc(1, sizeof(*reg));
    enum whk_status status = WHK_ERR_NO_MEMORY;
    const char *dir;

    if (reg == NULL)
        goto out;
    reg->providers_path =
        providers_path
            ? whkp_strndup(providers_path, strlen(providers_path))
            : default_path("WHK_PROVIDERS_PATH", WHK_PROVIDERS_DIR_FROM_LIB,
                           WHK_PROVIDERS_DIR);
    reg->plugin_path =
        plugin_path ? whkp_strndup(plugin_path, strlen(plugin_path))
                    : default_path("WHK_PLUGIN_PATH", WHK_PLUGIN_DIR_FROM_LIB,
                                   WHK_PLUGIN_DIR);
    if (reg->providers_path == NULL || reg->plugin_path == NULL)
        goto out;

    find_preloaded(reg);
    status = WHK_OK;
    for (dir = reg->providers_path; status == WHK_OK && dir && *dir;) {
        const char *colon = strchr(dir, ':');
        char *one =
            whkp_strndup(dir, colon ? (size_t)(colon - dir) : strlen(dir));

        if (one == NULL)
            status = WHK_ERR_NO_MEMORY;
        else if (*one != '\0')
            status = read_directory(reg, one);
        free(one);
        dir = colon ? colon + 1 : NULL;
    }
    if (status == WHK_OK)
        status = add_builtin_entries(reg);
    if (reg->count > 1)
        qsort(reg->entries, reg->count, sizeof(*reg->entries), compare_entries);

out:
    if (status != WHK_OK) {
        whk_registry_free(reg);
        return whk_error_set(err, status, "out of memory reading providers.d");
    }
    *registry = reg;
    return WHK_OK;
}

void whk_registry_free(struct whk_registry *reg)
{
    if (reg == NULL)
        return;
    for (size_t i = 0; i < reg->count; i++)
        free_entry(&reg->entries[i]);
    for (size_t i = 0; i < reg->problem_count; i++)
        free(reg->problems[i]);
    for (size_t i = 0; i < reg->preloaded_count; i++)
        free(reg->preloaded[i].name);
    free(reg->preloaded);
    free(reg->entries);
    free(reg->problems);
    free(reg->providers_path);
    free(reg->plugin_path);
    free(reg);
}

size_t whk_registry_count(const struct whk_registry *reg)
{
    return reg->count;
}

const struct whk_entry *whk_registry_at(const struct whk_registry *reg,
                                        size_t index)
{
    return index < reg->count ? &reg->entries[index] : NULL;
}

const struct whk_entry *whk_registry_find(const struct whk_registry *reg,
                                          const char *name)
{
    int index = find_index(reg, name);
    return index >= 0 ? &reg->entries[index] : NULL;
}

size_t whk_registry_problem_count(const struct whk_registry *reg)
{
    return reg->problem_count;
}

const char *whk_registry_problem_at(const struct whk_registry *reg,
                                    size_t index)
{
    return index < reg->problem_count ? reg->problems[index] : NULL;
}

const char *whk_registry_providers_path(const struct whk_registry *reg)
{
    return reg->providers_path;
}

const char *whk_registry_plugin_path(const struct whk_registry *reg)
{
    return reg->plugin_path;
}

const char *whk_entry_name(const struct whk_entry *entry)
{
    return entry->name;
}

const char *whk_entry_title(const struct whk_entry *entry)
{
    return entry->title;
}

const char *whk_entry_summary(const struct whk_entry *entry)
{
    return entry->summary;
}

const char *whk_entry_module(const struct whk_entry *entry)
{
    return entry->module;
}

const char *whk_entry_file(const struct whk_entry *entry)
{
    return entry->file;
}

const char *whk_entry_module_path(const struct whk_entry *entry)
{
    return entry->module_path;
}

const char *whk_entry_json(const struct whk_entry *entry)
{
    return entry->json;
}

int whk_entry_preloaded(const struct whk_entry *entry)
{
    return entry->preloaded;
}
