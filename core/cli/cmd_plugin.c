/* SPDX-License-Identifier: MIT */
/* whk plugin check: loads a plugin and checks what the host relies on. */
#include <ctype.h>
#include <dlfcn.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ltdl.h>

#include "plugin_check.h"

static const char plugin_usage[] =
    "usage: whk plugin check FILE.so|PROVIDER [options]\n"
    "\n"
    "Commands for provider plugins:\n"
    "  check   load a plugin and check what whk relies on\n";

static const char check_usage[] =
    "usage: whk plugin check FILE.so|PROVIDER [--entry FILE] [--json]\n"
    "                        [--secret-env VAR | --secret-file FILE]\n"
    "\n"
    "Loads a provider plugin, from a file or by provider name, and checks\n"
    "what whk relies on: the ABI version and descriptor size, that only the\n"
    "descriptor is exported, each declaration (signature headers, secret,\n"
    "field table, samples, response, timeout, failures), that every sample\n"
    "signs and verifies back, that a changed body, a changed signature, a\n"
    "wrong secret and a timestamp outside the tolerance are rejected, and\n"
    "that no verdict or error shows the secret. Each call into the plugin\n"
    "runs in a child process and must return within 5 s; a crash or a\n"
    "hang fails the check it happened in. Prints one line per check.\n"
    "\n"
    "      --entry FILE        providers.d entry handed to the plugin's init\n"
    "                          (default: PROVIDER's installed entry, or {})\n"
    "      --secret-env VAR    sign and verify with the shared secret in VAR\n"
    "                          instead of generated test secrets\n"
    "      --secret-file FILE  the same, with the secret read from FILE\n"
    "      --json              print the report as JSON\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 every check passed, 1 a check failed, 2 usage or input\n"
    "error, 3 the secret given is unset or unreadable.\n";

enum { OPT_ENTRY = 256, OPT_JSON, OPT_SECRET_ENV, OPT_SECRET_FILE };

static const struct option check_options[] = {
    {"entry", required_argument, NULL, OPT_ENTRY},
    {"json", no_argument, NULL, OPT_JSON},
    {"secret-env", required_argument, NULL, OPT_SECRET_ENV},
    {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The smallest descriptor the host accepts: ABI 1 up to verify. */
#define MIN_DESCRIPTOR_SIZE                                                    \
    (offsetof(struct whk_descriptor, verify) +                                 \
     sizeof(((struct whk_descriptor *)0)->verify))

struct check_args {
    const char *plugin;
    const char *entry_file;
    const char *secret_env;
    const char *secret_file;
    int json;
};

/* The plugin under check: a file, or a provider of the registry. */
struct target {
    char *path;       /* plugin file; NULL for a preloaded module */
    char *module;     /* libltdl's module name */
    char *entry_json; /* handed to init */
    struct whk_registry *registry;
    const struct whk_entry *entry; /* when checked by provider name */
    void *dl;                      /* dlopen() handle of path */
    lt_dlhandle lt;                /* handle of a preloaded module */
    struct whk_descriptor raw;     /* the plugin's own, zero past its size */
    int have_raw;                  /* raw's layout is this whk's */
    struct whk_span secret;        /* given by the user, or empty */
};

static const char *const status_names[] = {"pass", "fail", "skip"};

static void print_row(const char *check, enum whkp_check_status status,
                      const char *message)
{
    char upper[5];

    for (size_t i = 0; i < 4; i++)
        upper[i] = (char)toupper((unsigned char)status_names[status][i]);
    upper[4] = '\0';
    printf("%s  %-18s  %s\n", upper, check, message);
    /* A reader of a pipe receives each row as its check ends, and the
     * rows printed so far survive when whk is killed. */
    fflush(stdout);
}

/* Sends a JSON line to the parent; a short write ends the child. */
static void send_line(int fd, json_t *line)
{
    char *text = json_dumps(line, JSON_COMPACT);
    size_t len = text ? strlen(text) : 0;

    if (text == NULL || write(fd, text, len) != (ssize_t)len ||
        write(fd, "\n", 1) != 1)
        _exit(WHKP_EXIT_ENV);
    free(text);
}

void whkp_check_add(struct whkp_check_report *report, const char *check,
                    enum whkp_check_status status, const char *format, ...)
{
    char message[600];
    va_list args;
    json_t *row;

    if (!whkp_check_pending(report, check))
        return;
    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    row = json_pack("{s:s, s:s, s:s}", "check", check, "status",
                    status_names[status], "message", message);
    if (report->child_fd > 0 && row != NULL)
        send_line(report->child_fd, row);
    if (report->print)
        print_row(check, status, message);
    json_array_append_new(report->rows, row);
    report->counts[status]++;
}

void whkp_check_set_provider(struct whkp_check_report *report, const char *name)
{
    json_t *line;

    if (report->child_fd > 0) {
        line = json_pack("{s:s}", "provider", name);
        if (line != NULL)
            send_line(report->child_fd, line);
        json_decref(line);
        return;
    }
    free(report->provider);
    report->provider = strdup(name);
}

void whkp_check_skip_all(struct whkp_check_report *report,
                         const char *const *checks, const char *reason)
{
    for (; *checks; checks++)
        whkp_check_add(report, *checks, WHKP_CHECK_SKIP, "%s", reason);
}

/* libltdl's name for a module file: its base name up to the first ".",
 * with every byte but a letter or digit replaced by "_". */
static char *module_name(const char *path)
{
    const char *base = strrchr(path, '/');
    char *name = strdup(base ? base + 1 : path);

    if (name == NULL)
        return NULL;
    name[strcspn(name, ".")] = '\0';
    for (char *c = name; *c; c++) {
        if (!isalnum((unsigned char)*c))
            *c = '_';
    }
    return name;
}

static int is_file_argument(const char *text)
{
    size_t len = strlen(text);

    return strchr(text, '/') != NULL ||
           (len > 3 && strcmp(text + len - 3, ".so") == 0);
}

/*
 * Reads --entry: a providers.d entry, which must be a JSON object. A file
 * that cannot be read or parsed is an input error, as in other commands.
 */
static int read_entry(const char *file, char **json)
{
    json_error_t error;
    json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &error);

    if (root == NULL && error.line > 0)
        whkp_error("--entry %s, line %d, column %d: %s; fix the JSON", file,
                   error.line, error.column, error.text);
    else if (root == NULL)
        whkp_error("--entry %s: %s", file, error.text);
    else if (!json_is_object(root))
        whkp_error("--entry %s: the entry must be a JSON object, as "
                   "providers.d files are",
                   file);
    if (root == NULL || !json_is_object(root)) {
        json_decref(root);
        return WHKP_EXIT_USAGE;
    }
    *json = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return *json ? WHKP_EXIT_OK : WHKP_EXIT_ENV;
}

static int find_provider(const char *name, struct target *t)
{
    struct whk_error err = {0};

    if (whk_registry_open(&t->registry, NULL, NULL, &err) != WHK_OK) {
        whkp_error("%s", err.text);
        return WHKP_EXIT_ENV;
    }
    t->entry = whk_registry_find(t->registry, name);
    if (t->entry == NULL) {
        whkp_error("unknown provider '%s'; pass a plugin file, or a name "
                   "'whk providers' lists (searched %s)",
                   name, whk_registry_providers_path(t->registry));
        return WHKP_EXIT_USAGE;
    }
    t->entry_json = strdup(whk_entry_json(t->entry));
    if (whk_entry_module_path(t->entry) != NULL)
        t->path = strdup(whk_entry_module_path(t->entry));
    t->module = module_name(whk_entry_module(t->entry));
    return WHKP_EXIT_OK;
}

/* Resolves the command-line argument to a file or a provider. */
static int find_target(const struct check_args *args, struct target *t)
{
    struct stat st;
    int status = WHKP_EXIT_OK;

    if (is_file_argument(args->plugin)) {
        if (stat(args->plugin, &st) != 0 || !S_ISREG(st.st_mode)) {
            whkp_error("plugin file %s does not exist or is not a regular "
                       "file",
                       args->plugin);
            return WHKP_EXIT_USAGE;
        }
        /* dlopen() would search the library path for a bare name. */
        if (strchr(args->plugin, '/') == NULL)
            t->path = whkp_sprintf("./%s", args->plugin);
        else
            t->path = strdup(args->plugin);
        t->module = module_name(args->plugin);
    } else {
        status = find_provider(args->plugin, t);
    }
    if (status == WHKP_EXIT_OK && args->entry_file != NULL) {
        free(t->entry_json);
        t->entry_json = NULL;
        status = read_entry(args->entry_file, &t->entry_json);
    }
    return status;
}

/*
 * Returns the module of an exported MODULE_LTX_whk_descriptor other than
 * the file's own, as when the file was renamed or WHK_DESCRIPTOR() names
 * another module, or NULL.
 */
static char *foreign_module(char **names, size_t count, const char *module)
{
    static const char suffix[] = "_LTX_whk_descriptor";
    size_t suffix_len = sizeof(suffix) - 1;

    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(names[i]);

        if (len > suffix_len &&
            strcmp(names[i] + len - suffix_len, suffix) == 0 &&
            (len - suffix_len != strlen(module) ||
             strncmp(names[i], module, len - suffix_len) != 0))
            return strndup(names[i], len - suffix_len);
    }
    return NULL;
}

/* Fails the descriptor check of a file that exports no descriptor of its
 * module, naming the fix. */
static void fail_descriptor(struct whkp_check_report *r, const struct target *t,
                            const char *symbol)
{
    char **names = NULL, *foreign = NULL;
    size_t count = 0;

    if (t->path != NULL &&
        whkp_elf_exports(t->path, &names, &count, NULL) == WHK_OK)
        foreign = foreign_module(names, count, t->module);
    if (foreign != NULL)
        whkp_check_add(r, "descriptor", WHKP_CHECK_FAIL,
                       "no %s symbol, but %s_LTX_whk_descriptor: whk looks "
                       "the descriptor up by the file name, so rename the "
                       "file to %s.so or write WHK_DESCRIPTOR(%s)",
                       symbol, foreign, foreign, t->module);
    else
        whkp_check_add(r, "descriptor", WHKP_CHECK_FAIL,
                       "no %s symbol (nor whk_descriptor); define the "
                       "descriptor with WHK_DESCRIPTOR(%s)",
                       symbol, t->module);
    free(foreign);
    whkp_free_names(names, count);
}

/* Opens the plugin as the host would and finds its descriptor symbol. */
static const struct whk_descriptor *open_raw(struct whkp_check_report *r,
                                             struct target *t)
{
    char symbol[300];
    const struct whk_descriptor *found = NULL;

    snprintf(symbol, sizeof(symbol), "%s_LTX_whk_descriptor", t->module);
    if (t->path == NULL && whk_entry_preloaded(t->entry)) {
        lt_dladvise advise = NULL;

        whkp_check_add(r, "load", WHKP_CHECK_PASS,
                       "preloaded module '%s', linked into whk", t->module);
        if (lt_dlinit() == 0 && lt_dladvise_init(&advise) == 0 &&
            lt_dladvise_preload(&advise) == 0)
            t->lt = lt_dlopenadvise(t->module, advise);
        lt_dladvise_destroy(&advise);
        found = t->lt ? lt_dlsym(t->lt, "whk_descriptor") : NULL;
    } else if (t->path == NULL) {
        whkp_check_add(r, "load", WHKP_CHECK_FAIL,
                       "plugin '%s.so' of provider '%s' was not found in "
                       "%s; install it or remove %s",
                       whk_entry_module(t->entry), whk_entry_name(t->entry),
                       whk_registry_plugin_path(t->registry),
                       whk_entry_file(t->entry));
        return NULL;
    }
    /* NOTE: this dlopen() runs the plugin's ELF constructors in whk's own
     * process, outside the child processes that contain crashes. */
    else if ((t->dl = dlopen(t->path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
        const char *cause = dlerror();

        whkp_check_add(r, "load", WHKP_CHECK_FAIL, "%s%s", cause,
                       strstr(cause, "undefined symbol")
                           ? "; link with -Wl,-z,now -Wl,--no-undefined"
                           : "");
        return NULL;
    } else {
        whkp_check_add(r, "load", WHKP_CHECK_PASS,
                       "opens with every symbol resolved (RTLD_NOW)");
        found = dlsym(t->dl, symbol);
        if (found == NULL)
            found = dlsym(t->dl, "whk_descriptor");
    }

    if (found == NULL)
        fail_descriptor(r, t, symbol);
    else
        whkp_check_add(r, "descriptor", WHKP_CHECK_PASS, "%s found", symbol);
    return found;
}

static void check_layout(struct whkp_check_report *r, struct target *t,
                         const struct whk_descriptor *found)
{
    size_t copy;

    if (found->abi_version != WHK_ABI_VERSION) {
        whkp_check_add(r, "abi-version", WHKP_CHECK_FAIL,
                       "built for plugin ABI %u, but this whk supports ABI "
                       "%d; rebuild it with this whk's SDK",
                       found->abi_version, WHK_ABI_VERSION);
        whkp_check_add(r, "descriptor-size", WHKP_CHECK_SKIP,
                       "the layout of another ABI is unknown");
        return;
    }
    whkp_check_add(r, "abi-version", WHKP_CHECK_PASS, "ABI %u, as this whk",
                   found->abi_version);
    if (found->size < MIN_DESCRIPTOR_SIZE) {
        whkp_check_add(r, "descriptor-size", WHKP_CHECK_FAIL,
                       "%u bytes, smaller than the %zu bytes of ABI %d up "
                       "to verify; set .size = sizeof(struct "
                       "whk_descriptor)",
                       found->size, (size_t)MIN_DESCRIPTOR_SIZE,
                       WHK_ABI_VERSION);
        return;
    }
    copy = found->size < sizeof(t->raw) ? found->size : sizeof(t->raw);
    memcpy(&t->raw, found, copy);
    t->have_raw = 1;
    whkp_check_add(
        r, "descriptor-size", WHKP_CHECK_PASS, "%u bytes; this whk's is %zu%s",
        found->size, sizeof(t->raw),
        found->size < sizeof(t->raw) ? ", so newer fields read as zero" : "");
}

/* Lists up to four names in buf. */
static void join_names(char *buf, size_t size, char **names, size_t count)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < count && i < 4; i++)
        used += (size_t)snprintf(buf + used, used < size ? size - used : 0,
                                 "%s%s", i ? ", " : "", names[i]);
    if (count > 4 && used < size)
        snprintf(buf + used, size - used, " and %zu more", count - 4);
}

/* Fails the exports check, naming the fix for each kind of extra name. */
static void fail_exports(struct whkp_check_report *r, const struct target *t,
                         const char *foreign, const char *list)
{
    if (foreign == NULL)
        whkp_check_add(r, "exports", WHKP_CHECK_FAIL,
                       "also exports %s; compile with -fvisibility=hidden "
                       "(pkg-config whk-plugin adds it) and mark only the "
                       "descriptor WHK_API",
                       list);
    else
        whkp_check_add(r, "exports", WHKP_CHECK_FAIL,
                       "exports %s_LTX_whk_descriptor, the descriptor of "
                       "module '%s', but the file name makes the module "
                       "'%s'; rename the file to %s.so or write "
                       "WHK_DESCRIPTOR(%s)%s%s%s",
                       foreign, foreign, t->module, foreign, t->module,
                       list[0] ? "; it also exports " : "", list,
                       list[0] ? ": compile with -fvisibility=hidden" : "");
}

static void check_exports(struct whkp_check_report *r, const struct target *t)
{
    struct whk_error err = {0};
    char **names, *extra[64], symbol[300], foreign_symbol[300], list[400];
    char *foreign;
    size_t count, extra_count = 0;

    if (t->path == NULL) {
        whkp_check_add(r, "exports", WHKP_CHECK_SKIP,
                       "a preloaded module has no symbol table of its own");
        return;
    }
    if (whkp_elf_exports(t->path, &names, &count, &err) != WHK_OK) {
        whkp_check_add(r, "exports", WHKP_CHECK_FAIL, "%s", err.text);
        return;
    }
    snprintf(symbol, sizeof(symbol), "%s_LTX_whk_descriptor", t->module);
    foreign = foreign_module(names, count, t->module);
    snprintf(foreign_symbol, sizeof(foreign_symbol), "%s_LTX_whk_descriptor",
             foreign ? foreign : "");
    for (size_t i = 0; i < count && extra_count < 64; i++) {
        if (strcmp(names[i], symbol) != 0 &&
            strcmp(names[i], foreign_symbol) != 0 &&
            strcmp(names[i], "whk_descriptor") != 0)
            extra[extra_count++] = names[i];
    }
    join_names(list, sizeof(list), extra, extra_count);
    if (extra_count > 0 || foreign != NULL)
        fail_exports(r, t, foreign, list);
    else
        whkp_check_add(r, "exports", WHKP_CHECK_PASS,
                       "exports the descriptor and nothing else");
    free(foreign);
    whkp_free_names(names, count);
}

/* Loads the plugin through libwhk, as every command does: calls init. */
static enum whk_status load_provider(const struct target *t,
                                     struct whk_provider **provider,
                                     struct whk_error *err)
{
    if (t->entry != NULL && t->path == NULL)
        return whk_provider_load(t->registry, whk_entry_name(t->entry),
                                 provider, err);
    return whk_provider_load_file(t->path, t->entry_json, provider, err);
}

/*
 * The init check, then the declaration checks of the descriptor init
 * chose. Runs in a checking child, which exits without calling fini: the
 * fini check calls it on its own.
 */
static void run_init(struct whkp_check_report *r, void *data)
{
    const struct target *t = data;
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};

    whkp_check_calling(r, "init", "init");
    if (load_provider(t, &provider, &err) != WHK_OK) {
        whkp_check_add(r, "init", WHKP_CHECK_FAIL, "%s", err.text);
        if (t->raw.init == NULL)
            whkp_check_declarations(r, &t->raw);
        else
            whkp_check_skip_all(r, whkp_declaration_checks,
                                "init failed, and init may supply the "
                                "declarations");
        return;
    }
    whkp_check_add(r, "init", WHKP_CHECK_PASS,
                   "whk loads it as provider '%s'%s",
                   whk_provider_name(provider),
                   t->raw.init ? " and its init accepts the entry" : "");
    whkp_check_set_provider(r, whk_provider_name(provider));
    whkp_check_declarations(r, whk_provider_descriptor(provider));
}

/* The behaviour checks, in a checking child. */
static void run_behaviour(struct whkp_check_report *r, void *data)
{
    const struct target *t = data;
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};

    whkp_check_calling(r, whkp_behaviour_checks[0], "init");
    if (load_provider(t, &provider, &err) != WHK_OK) {
        whkp_check_skip_all(r, whkp_behaviour_checks, err.text);
        return;
    }
    whkp_check_behaviour(r, provider, t->secret);
}

/* The fini check, in a checking child: loads the plugin and frees it. */
static void run_fini(struct whkp_check_report *r, void *data)
{
    const struct target *t = data;
    struct whk_provider *provider = NULL;
    struct whk_error err = {0};

    whkp_check_calling(r, "fini", "init");
    if (load_provider(t, &provider, &err) != WHK_OK) {
        whkp_check_add(r, "fini", WHKP_CHECK_SKIP, "%s", err.text);
        return;
    }
    whkp_check_calling(r, "fini", "fini");
    whk_provider_free(provider);
    whkp_check_add(r, "fini", WHKP_CHECK_PASS,
                   "fini releases what init allocated and returns");
}

static int check_passed(const struct whkp_check_report *r, const char *check)
{
    size_t index;
    json_t *row;

    json_array_foreach(r->rows, index, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "check")), check) ==
            0)
            return strcmp(json_string_value(json_object_get(row, "status")),
                          "pass") == 0;
    }
    return 0;
}

/*
 * Runs the checks that call into the plugin (init, sign, verify,
 * check_secret, fini), each group in child processes, so that a plugin
 * that crashes or hangs fails a check instead of ending whk.
 */
static void check_calls(struct whkp_check_report *r, struct target *t)
{
    static const char *const fini[] = {"fini", NULL};
    const char *first[32] = {"init"};
    size_t count = 1;

    for (const char *const *c = whkp_declaration_checks; *c && count < 31; c++)
        first[count++] = *c;
    first[count] = NULL;
    whkp_check_isolated(r, first, run_init, t);
    if (!check_passed(r, "init")) {
        whkp_check_skip_all(r, whkp_behaviour_checks,
                            "whk cannot load the plugin");
        whkp_check_skip_all(r, fini, "whk cannot load the plugin");
        return;
    }
    whkp_check_isolated(r, whkp_behaviour_checks, run_behaviour, t);
    if (t->raw.fini == NULL)
        whkp_check_add(r, "fini", WHKP_CHECK_SKIP, "the plugin has no fini");
    else
        whkp_check_isolated(r, fini, run_fini, t);
}

static void check_all(struct whkp_check_report *r, struct target *t)
{
    static const char *const after_descriptor[] = {"abi-version",
                                                   "descriptor-size", NULL};
    const struct whk_descriptor *found = open_raw(r, t);

    if (found == NULL && r->counts[WHKP_CHECK_PASS] == 0) {
        static const char *const rest[] = {"descriptor", NULL};

        whkp_check_skip_all(r, rest, "the plugin does not load");
        whkp_check_skip_all(r, after_descriptor, "the plugin does not load");
    } else if (found == NULL) {
        whkp_check_skip_all(r, after_descriptor, "no descriptor found");
    } else {
        check_layout(r, t, found);
    }
    if (t->dl != NULL || t->lt != NULL)
        check_exports(r, t);
    else
        whkp_check_add(r, "exports", WHKP_CHECK_SKIP,
                       "the plugin does not load");

    if (!t->have_raw) {
        static const char *const init[] = {"init", NULL};
        static const char *const fini[] = {"fini", NULL};
        const char *reason = "the descriptor's layout is not this whk's";

        if (t->dl == NULL && t->lt == NULL)
            reason = "the plugin does not load";
        else if (found == NULL)
            reason = "no descriptor found";
        whkp_check_skip_all(r, init, reason);
        whkp_check_skip_all(r, whkp_declaration_checks, reason);
        whkp_check_skip_all(r, whkp_behaviour_checks, reason);
        whkp_check_skip_all(r, fini, reason);
        return;
    }
    check_calls(r, t);
}

/* Prints the summary line; print_row() printed each row as it came. */
static void print_summary(const struct whkp_check_report *r, const char *name)
{
    size_t total = json_array_size(r->rows);

    if (r->counts[WHKP_CHECK_FAIL] == 0)
        printf("%s: all %zu checks pass\n", name, total);
    else
        printf("%s: %zu of %zu checks fail, %zu skipped\n", name,
               r->counts[WHKP_CHECK_FAIL], total, r->counts[WHKP_CHECK_SKIP]);
}

static void print_json(const struct whkp_check_report *r,
                       const struct target *t, const char *name)
{
    json_t *root =
        json_pack("{s:s, s:s?, s:s?, s:O, s:i, s:i, s:i}", "plugin", name,
                  "file", t->path, "provider", r->provider, "checks", r->rows,
                  "passed", (int)r->counts[WHKP_CHECK_PASS], "failed",
                  (int)r->counts[WHKP_CHECK_FAIL], "skipped",
                  (int)r->counts[WHKP_CHECK_SKIP]);
    char *text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;

    if (text != NULL)
        puts(text);
    free(text);
    json_decref(root);
}

static void clear_target(struct target *t)
{
    if (t->dl != NULL)
        dlclose(t->dl);
    if (t->lt != NULL) {
        lt_dlclose(t->lt);
        lt_dlexit();
    }
    whk_registry_free(t->registry);
    free(t->path);
    free(t->module);
    free(t->entry_json);
}

static int check(const struct check_args *args)
{
    struct whkp_check_report report = {0};
    struct whkp_secret secret = {0};
    struct target t = {0};
    int status = find_target(args, &t);

    report.rows = json_array();
    report.print = !args->json;

    if (status == WHKP_EXIT_OK && (args->secret_env || args->secret_file))
        status = whkp_secret_load(args->secret_env, args->secret_file, NULL,
                                  &secret);
    if (status != WHKP_EXIT_OK || report.rows == NULL || t.module == NULL) {
        if (status == WHKP_EXIT_OK)
            whkp_error("out of memory");
        status = status ? status : WHKP_EXIT_ENV;
        goto out;
    }

    t.secret = whkp_secret_span(&secret);
    check_all(&report, &t);
    if (args->json)
        print_json(&report, &t, args->plugin);
    else
        print_summary(&report, args->plugin);
    status = report.counts[WHKP_CHECK_FAIL] ? WHKP_EXIT_INVALID : WHKP_EXIT_OK;

out:
    whkp_secret_clear(&secret);
    json_decref(report.rows);
    free(report.provider);
    clear_target(&t);
    return status;
}

static int parse_check_args(int argc, char **argv, struct check_args *args)
{
    int opt;

    optind = 1;
    while ((opt = whkp_getopt(argc, argv, "h", check_options,
                              "plugin check")) != -1) {
        if (opt == OPT_ENTRY) {
            args->entry_file = optarg;
        } else if (opt == OPT_JSON) {
            args->json = 1;
        } else if (opt == OPT_SECRET_ENV) {
            args->secret_env = optarg;
        } else if (opt == OPT_SECRET_FILE) {
            args->secret_file = optarg;
        } else if (opt == 'h') {
            fputs(check_usage, stdout);
            return -1;
        } else {
            return WHKP_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        whkp_error("plugin check takes one plugin file or provider name");
        return WHKP_EXIT_USAGE;
    }
    args->plugin = argv[optind];
    return WHKP_EXIT_OK;
}

int whkp_cmd_plugin(int argc, char **argv)
{
    struct check_args args = {0};
    int status;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(plugin_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? WHKP_EXIT_USAGE : WHKP_EXIT_OK;
    }
    if (strcmp(argv[1], "check") != 0) {
        whkp_error("unknown plugin command '%s'; the command is 'whk plugin "
                   "check'",
                   argv[1]);
        return WHKP_EXIT_USAGE;
    }
    status = parse_check_args(argc - 1, argv + 1, &args);
    if (status < 0)
        return WHKP_EXIT_OK;
    if (status != WHKP_EXIT_OK)
        return status;
    return check(&args);
}
