/* SPDX-License-Identifier: MIT */
/* Loading provider plugins through libltdl and calling their callbacks. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ltdl.h>

#include "internal.h"
#include "registry.h"

struct whk_provider {
    char *name;
    char *path;
    lt_dlhandle handle;
    void *state;
    int initialized;          /* init succeeded, so fini must run */
    unsigned int plugin_size; /* the size the plugin's descriptor has */
    struct whk_descriptor descriptor;
};

/* The smallest descriptor this host accepts: ABI 1 up to verify. */
#define MIN_DESCRIPTOR_SIZE                                                    \
    (offsetof(struct whk_descriptor, verify) +                                 \
     sizeof(((struct whk_descriptor *)0)->verify))

/*
 * Opens path with RTLD_NOW to learn the real cause of a failure, because
 * lt_dlerror() reports "file not found" for any dlopen() error, and
 * libltdl binds lazily, so an unresolved symbol would otherwise surface
 * only as a crash at its first call. Returns the probe handle, which keeps
 * the object resident while libltdl opens it.
 */
static void *probe(const char *path, struct whk_error *err)
{
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    const char *cause;

    if (handle != NULL)
        return handle;
    cause = dlerror();
    if (cause == NULL)
        cause = "unknown dlopen error";

    if (strstr(cause, "undefined symbol") != NULL)
        whk_error_set(err, WHK_ERR_PLUGIN,
                      "plugin %s has an unresolved symbol (%s); rebuild it "
                      "against this libwhk with -Wl,-z,now "
                      "-Wl,--no-undefined",
                      path, cause);
    else if (strstr(cause, "invalid ELF header") != NULL ||
             strstr(cause, "file too short") != NULL)
        whk_error_set(err, WHK_ERR_PLUGIN,
                      "plugin %s is not a shared object (%s); reinstall the "
                      "provider or point its providers.d entry at a .so file",
                      path, cause);
    else
        whk_error_set(err, WHK_ERR_PLUGIN, "cannot load plugin %s: %s", path,
                      cause);
    return NULL;
}

/*
 * Checks the symbol's alignment and, where the dynamic symbol table gives
 * it, its size, before any field is read: a descriptor that claims more
 * bytes than its symbol has would make the copy below read past it.
 */
static enum whk_status check_symbol(const char *path, const void *found,
                                    struct whk_error *err)
{
    const struct whk_descriptor *d = found;
    const ElfW(Sym) *symbol = NULL;
    Dl_info info;

    if ((uintptr_t)found % _Alignof(struct whk_descriptor) != 0)
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin %s has a misaligned whk_descriptor; "
                             "define it with WHK_DESCRIPTOR(module)",
                             path);
    if (dladdr1(found, &info, (void **)&symbol, RTLD_DL_SYMENT) == 0 ||
        symbol == NULL || symbol->st_size == 0)
        return WHK_OK;
    if (symbol->st_size < offsetof(struct whk_descriptor, name) ||
        symbol->st_size < d->size)
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin %s has a whk_descriptor of %zu bytes "
                             "that claims %u bytes; define it with "
                             "WHK_DESCRIPTOR(module) and set .size to "
                             "sizeof(struct whk_descriptor)",
                             path, (size_t)symbol->st_size,
                             symbol->st_size < sizeof(unsigned) * 2 ? 0u
                                                                    : d->size);
    return WHK_OK;
}

static enum whk_status check_descriptor(const char *path,
                                        const struct whk_descriptor *found,
                                        struct whk_error *err)
{
    if (found->abi_version != WHK_ABI_VERSION)
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin %s was built for whk plugin ABI %u, but "
                             "this whk supports ABI %u; rebuild the plugin "
                             "with this whk's SDK",
                             path, found->abi_version, WHK_ABI_VERSION);
    if (found->size < MIN_DESCRIPTOR_SIZE)
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin %s has a descriptor of %u bytes, smaller "
                             "than the %zu bytes of ABI %u; rebuild the "
                             "plugin with this whk's SDK",
                             path, found->size, (size_t)MIN_DESCRIPTOR_SIZE,
                             WHK_ABI_VERSION);
    return WHK_OK;
}

static enum whk_status check_callbacks(const char *path,
                                       const struct whk_descriptor *d,
                                       struct whk_error *err)
{
    int in_body = (d->flags & WHK_SIGNATURE_IN_BODY) != 0;

    if (d->name == NULL || d->sign == NULL || d->verify == NULL ||
        (!in_body &&
         (d->signature_headers == NULL || d->signature_headers[0] == NULL)))
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin %s has an incomplete descriptor: name, "
                             "signature_headers (unless the flag "
                             "WHK_SIGNATURE_IN_BODY is set), sign and verify "
                             "are required",
                             path);
    return WHK_OK;
}

/*
 * Copies the declaration fields, name through failures, from decls, and
 * the appended ones that a plugin of plugin_size bytes has: decls is of
 * the plugin's own layout.
 */
static void apply_declarations(struct whk_descriptor *d,
                               const struct whk_descriptor *decls,
                               unsigned int plugin_size)
{
    size_t start = offsetof(struct whk_descriptor, name);
    size_t end =
        offsetof(struct whk_descriptor, failures) + sizeof(d->failures);

    memcpy((char *)d + start, (const char *)decls + start, end - start);
    if (plugin_size >=
        offsetof(struct whk_descriptor, challenges) + sizeof(d->challenges))
        d->challenges = decls->challenges;
}

static enum whk_status find_descriptor(struct whk_provider *p,
                                       struct whk_error *err)
{
    const struct whk_descriptor *found;
    size_t copy;

    found = lt_dlsym(p->handle, "whk_descriptor");
    if (found == NULL)
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin %s exports no whk_descriptor symbol (a "
                             "plugin defines it with WHK_DESCRIPTOR(module)); "
                             "it is not a whk provider plugin",
                             p->path);
    if (check_symbol(p->path, found, err) != WHK_OK ||
        check_descriptor(p->path, found, err) != WHK_OK)
        return WHK_ERR_PLUGIN;

    copy = found->size < sizeof(p->descriptor) ? found->size
                                               : sizeof(p->descriptor);
    memcpy(&p->descriptor, found, copy);
    p->plugin_size = found->size;
    p->descriptor.size = sizeof(p->descriptor);
    return check_callbacks(p->path, &p->descriptor, err);
}

static enum whk_status run_init(struct whk_provider *p, const char *json,
                                struct whk_error *err)
{
    const struct whk_descriptor *decls = NULL;
    struct whk_error init_err = {0};
    enum whk_status status;

    if (p->descriptor.init == NULL)
        return WHK_OK;
    status =
        p->descriptor.init(json ? json : "{}", &p->state, &decls, &init_err);
    /*
     * A plugin that rejects its entry returns WHK_ERR_CONFIG. The status
     * stays in err, so that the loader of the entry can name its file.
     */
    if (status != WHK_OK)
        return whk_error_set(
            err, status == WHK_ERR_CONFIG ? WHK_ERR_CONFIG : WHK_ERR_PLUGIN,
            "plugin %s failed to initialize: %s", p->path,
            init_err.text[0] ? init_err.text : "no reason given");
    p->initialized = 1;
    if (decls != NULL) {
        apply_declarations(&p->descriptor, decls, p->plugin_size);
        return check_callbacks(p->path, &p->descriptor, err);
    }
    return WHK_OK;
}

/*
 * Allocates a provider labelled label (its file, for messages) and
 * initializes libltdl for it; whk_provider_free() undoes both.
 */
static enum whk_status provider_new(const char *label,
                                    struct whk_provider **provider,
                                    struct whk_error *err)
{
    struct whk_provider *p = calloc(1, sizeof(*p));

    if (p == NULL || (p->path = whkp_strndup(label, strlen(label))) == NULL) {
        free(p);
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    if (lt_dlinit() != 0) {
        free(p->path);
        free(p);
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "libltdl failed to initialize: %s", lt_dlerror());
    }
    *provider = p;
    return WHK_OK;
}

/* Checks the opened module's descriptor, runs its init, names it. */
static enum whk_status provider_finish(struct whk_provider *p,
                                       const char *entry_json,
                                       struct whk_error *err)
{
    if (find_descriptor(p, err) != WHK_OK ||
        run_init(p, entry_json, err) != WHK_OK)
        return WHK_ERR_PLUGIN;
    p->name = whkp_strndup(p->descriptor.name, strlen(p->descriptor.name));
    if (p->name == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    return WHK_OK;
}

enum whk_status whk_provider_load_file(const char *path, const char *entry_json,
                                       struct whk_provider **provider,
                                       struct whk_error *err)
{
    struct whk_provider *p = NULL;
    struct stat st;
    void *probe_handle = NULL;
    char *local = NULL;
    enum whk_status status;

    /* dlopen() searches the library path for a name without '/'. */
    if (strchr(path, '/') == NULL) {
        local = whkp_format("./%s", path);
        if (local == NULL)
            return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
        status = whk_provider_load_file(local, entry_json, provider, err);
        free(local);
        return status;
    }
    if (stat(path, &st) != 0)
        return whk_error_set(err, WHK_ERR_PLUGIN, "plugin %s: %s", path,
                             strerror(errno));
    if (!S_ISREG(st.st_mode))
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin %s is not a regular file", path);
    status = provider_new(path, &p, err);
    if (status != WHK_OK)
        return status;

    status = WHK_ERR_PLUGIN;
    probe_handle = probe(path, err);
    if (probe_handle == NULL)
        goto out;
    p->handle = lt_dlopen(path);
    if (p->handle == NULL) {
        whk_error_set(err, status, "libltdl cannot open plugin %s: %s", path,
                      lt_dlerror());
        goto out;
    }
    status = provider_finish(p, entry_json, err);

out:
    if (probe_handle != NULL)
        dlclose(probe_handle);
    if (status != WHK_OK) {
        whk_provider_free(p);
        return status;
    }
    *provider = p;
    return WHK_OK;
}

/*
 * Opens a module linked into the program. The preload-only advice keeps
 * libltdl from searching the file system for a module of that name.
 */
static enum whk_status load_preloaded(const struct whk_entry *entry,
                                      struct whk_provider **provider,
                                      struct whk_error *err)
{
    struct whk_provider *p = NULL;
    lt_dladvise advise = NULL;
    char *label = whkp_format("%s (preloaded)", entry->module);
    enum whk_status status;

    if (label == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    status = provider_new(label, &p, err);
    free(label);
    if (status != WHK_OK)
        return status;

    if (lt_dladvise_init(&advise) == 0 && lt_dladvise_preload(&advise) == 0)
        p->handle = lt_dlopenadvise(entry->module, advise);
    lt_dladvise_destroy(&advise);
    if (p->handle == NULL)
        status = whk_error_set(err, WHK_ERR_PLUGIN,
                               "preloaded module '%s' of provider '%s' "
                               "cannot be opened: %s",
                               entry->module, entry->name, lt_dlerror());
    else
        status = provider_finish(p, entry->json, err);

    if (status != WHK_OK) {
        whk_provider_free(p);
        return status;
    }
    *provider = p;
    return WHK_OK;
}

enum whk_status whk_provider_load(const struct whk_registry *registry,
                                  const char *name,
                                  struct whk_provider **provider,
                                  struct whk_error *err)
{
    const struct whk_entry *entry = whk_registry_find(registry, name);
    struct whk_provider *p;
    enum whk_status status;
    char *copy;

    if (entry == NULL)
        return whk_error_set(err, WHK_ERR_NOT_FOUND,
                             "unknown provider '%s'; 'whk providers' lists "
                             "the installed ones (searched %s)",
                             name, whk_registry_providers_path(registry));
    if (entry->preloaded)
        status = load_preloaded(entry, &p, err);
    else if (entry->module_path == NULL && entry->module[0] == '/')
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin %s for provider '%s' (named by %s) is "
                             "not a regular file; install it or correct %s",
                             entry->module, name, entry->file, entry->file);
    else if (entry->module_path == NULL && getenv("WHK_PLUGIN_PATH"))
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin '%s.so' for provider '%s' (named by %s) "
                             "was not found in %s, which WHK_PLUGIN_PATH "
                             "sets; correct WHK_PLUGIN_PATH, install the "
                             "plugin there, or remove %s",
                             entry->module, name, entry->file,
                             whk_registry_plugin_path(registry), entry->file);
    else if (entry->module_path == NULL)
        return whk_error_set(err, WHK_ERR_PLUGIN,
                             "plugin '%s.so' for provider '%s' (named by %s) "
                             "was not found in %s; install the provider's "
                             "plugin or remove %s",
                             entry->module, name, entry->file,
                             whk_registry_plugin_path(registry), entry->file);
    else
        status =
            whk_provider_load_file(entry->module_path, entry->json, &p, err);
    /* A plugin that rejected its entry has left WHK_ERR_CONFIG in err. */
    if (status != WHK_OK && err != NULL && err->status == WHK_ERR_CONFIG) {
        char text[WHK_ERROR_TEXT_SIZE];

        snprintf(text, sizeof(text), "%s", err->text);
        whk_error_set(err, WHK_ERR_PLUGIN, "%s (entry %s)", text,
                      entry->file ? entry->file : "built into whk");
    }
    if (status != WHK_OK)
        return WHK_ERR_PLUGIN;

    copy = whkp_strndup(entry->name, strlen(entry->name));
    if (copy == NULL) {
        whk_provider_free(p);
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    free(p->name);
    p->name = copy;
    *provider = p;
    return WHK_OK;
}

void whk_provider_free(struct whk_provider *p)
{
    if (p == NULL)
        return;
    if (p->initialized && p->descriptor.fini != NULL)
        p->descriptor.fini(p->state);
    if (p->handle != NULL)
        lt_dlclose(p->handle);
    lt_dlexit();
    free(p->name);
    free(p->path);
    free(p);
}

const char *whk_provider_name(const struct whk_provider *p)
{
    return p->name;
}

const char *whk_provider_path(const struct whk_provider *p)
{
    return p->path;
}

const struct whk_descriptor *
whk_provider_descriptor(const struct whk_provider *p)
{
    return &p->descriptor;
}

enum whk_status whk_provider_check_secret(const struct whk_provider *p,
                                          struct whk_span secret,
                                          int for_signing,
                                          struct whk_error *err)
{
    if (secret.len == 0)
        return whk_error_set(err, WHK_ERR_SECRET, "the secret is empty");
    if (p->descriptor.check_secret == NULL)
        return WHK_OK;
    return p->descriptor.check_secret(p->state, secret, for_signing, err);
}

enum whk_status whk_provider_sign(const struct whk_provider *p,
                                  const struct whk_context *ctx,
                                  struct whk_request *req,
                                  struct whk_span secret, struct whk_error *err)
{
    return p->descriptor.sign(p->state, ctx, req, secret, err);
}

void whk_provider_verify(const struct whk_provider *p,
                         const struct whk_context *ctx,
                         const struct whk_request *req, struct whk_span secret,
                         struct whk_verdict *verdict)
{
    whk_verdict_reset(verdict);
    p->descriptor.verify(p->state, ctx, req, secret, verdict);

    /* Without a text, the host would print an empty verdict. */
    if (whk_verdict_status(verdict) == WHK_NOT_APPLICABLE &&
        whk_verdict_text(verdict)[0] == '\0')
        whk_verdict_set(verdict, WHK_NOT_APPLICABLE, WHK_REASON_NONE,
                        "plugin %s returned without a verdict for this "
                        "request",
                        p->path);
}
