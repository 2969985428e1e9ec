/* SPDX-License-Identifier: MIT */
/* whk plugin check: loads a plugin and checks what the host relies on. */
#include <ctype.h>
#include <dlfcn.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    "signs and verifies back, and that a changed body, a changed signature\n"
    "and a wrong secret are rejected. Prints one line per check.\n"
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
    struct whk_provider *provider;
};

void whkp_check_add(struct whkp_check_report *report, const char *check,
                    enum whkp_check_status status, const char *format, ...)
{
    static const char *const names[] = {"pass", "fail", "skip"};
    char message[600];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    json_array_append_new(report->rows,
                          json_pack("{s:s, s:s, s:s}", "check", check, "status",
                                    names[status], "message", message));
    report->counts[status]++;
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

/* Reads --entry: a providers.d entry, which must be a JSON object. */
static int read_entry(const char *file, char **json)
{
    json_error_t error;
    json_t *root = json_load_file(file, JSON_REJECT_DUPLICATES, &error);

    if (root == NULL || !json_is_object(root)) {
        whkp_error("--entry %s: %s", file,
                   root ? "the entry must be a JSON object" : error.text);
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
    } else if ((t->dl = dlopen(t->path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
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
        whkp_check_add(r, "descriptor", WHKP_CHECK_FAIL,
                       "no %s symbol (nor whk_descriptor); define the "
                       "descriptor with WHK_DESCRIPTOR(%s)",
                       symbol, t->module);
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

static void check_exports(struct whkp_check_report *r, const struct target *t)
{
    struct whk_error err = {0};
    char **names, *extra[64], symbol[300], list[400];
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
    for (size_t i = 0; i < count && extra_count < 64; i++) {
        if (strcmp(names[i], symbol) != 0 &&
            strcmp(names[i], "whk_descriptor") != 0)
            extra[extra_count++] = names[i];
    }
    join_names(list, sizeof(list), extra, extra_count);
    if (extra_count > 0)
        whkp_check_add(r, "exports", WHKP_CHECK_FAIL,
                       "also exports %s; compile with -fvisibility=hidden "
                       "(pkg-config whk-plugin adds it) and mark only the "
                       "descriptor WHK_API",
                       list);
    else
        whkp_check_add(r, "exports", WHKP_CHECK_PASS,
                       "exports the descriptor and nothing else");
    whkp_free_names(names, count);
}

/* Loads the plugin through libwhk, as every command does. */
static void check_init(struct whkp_check_report *r, struct target *t)
{
    struct whk_error err = {0};
    enum whk_status status;

    if (t->entry != NULL && t->path == NULL)
        status = whk_provider_load(t->registry, whk_entry_name(t->entry),
                                   &t->provider, &err);
    else
        status =
            whk_provider_load_file(t->path, t->entry_json, &t->provider, &err);
    if (status == WHK_OK)
        whkp_check_add(r, "init", WHKP_CHECK_PASS,
                       "whk loads it as provider '%s'%s",
                       whk_provider_name(t->provider),
                       t->raw.init ? " and its init accepts the entry" : "");
    else
        whkp_check_add(r, "init", WHKP_CHECK_FAIL, "%s", err.text);
}

static void check_all(struct whkp_check_report *r, struct target *t,
                      struct whk_span secret)
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
        const char *reason = "the descriptor's layout is not this whk's";

        if (t->dl == NULL && t->lt == NULL)
            reason = "the plugin does not load";
        else if (found == NULL)
            reason = "no descriptor found";
        whkp_check_skip_all(r, init, reason);
        whkp_check_skip_all(r, whkp_declaration_checks, reason);
        whkp_check_skip_all(r, whkp_behaviour_checks, reason);
        return;
    }
    check_init(r, t);
    if (t->provider != NULL)
        whkp_check_declarations(r, whk_provider_descriptor(t->provider));
    else if (t->raw.init == NULL)
        whkp_check_declarations(r, &t->raw);
    else
        whkp_check_skip_all(r, whkp_declaration_checks,
                            "init failed, and init may supply the "
                            "declarations");
    if (t->provider != NULL)
        whkp_check_behaviour(r, t->provider, secret);
    else
        whkp_check_skip_all(r, whkp_behaviour_checks,
                            "whk cannot load the plugin");
}

static void print_text(const struct whkp_check_report *r, const char *name)
{
    size_t index;
    json_t *row;
    size_t total = json_array_size(r->rows);

    json_array_foreach(r->rows, index, row)
    {
        char status[5];
        const char *text = json_string_value(json_object_get(row, "status"));

        for (size_t i = 0; i < 4; i++)
            status[i] = (char)toupper((unsigned char)text[i]);
        status[4] = '\0';
        printf("%s  %-18s  %s\n", status,
               json_string_value(json_object_get(row, "check")),
               json_string_value(json_object_get(row, "message")));
    }
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
                  "file", t->path, "provider",
                  t->provider ? whk_provider_name(t->provider) : NULL, "checks",
                  r->rows, "passed", (int)r->counts[WHKP_CHECK_PASS], "failed",
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
    whk_provider_free(t->provider);
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
    struct whkp_check_report report = {json_array(), {0}};
    struct whkp_secret secret = {0};
    struct target t = {0};
    int status = find_target(args, &t);

    if (status == WHKP_EXIT_OK && (args->secret_env || args->secret_file))
        status = whkp_secret_load(args->secret_env, args->secret_file, NULL,
                                  &secret);
    if (status != WHKP_EXIT_OK || report.rows == NULL || t.module == NULL) {
        if (status == WHKP_EXIT_OK)
            whkp_error("out of memory");
        status = status ? status : WHKP_EXIT_ENV;
        goto out;
    }

    check_all(&report, &t, whkp_secret_span(&secret));
    if (args->json)
        print_json(&report, &t, args->plugin);
    else
        print_text(&report, args->plugin);
    status = report.counts[WHKP_CHECK_FAIL] ? WHKP_EXIT_INVALID : WHKP_EXIT_OK;

out:
    whkp_secret_clear(&secret);
    json_decref(report.rows);
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
