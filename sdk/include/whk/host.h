/* SPDX-License-Identifier: MIT */
/* Finding, loading and calling provider plugins from an application. */
#ifndef WHK_HOST_H
#define WHK_HOST_H

#include <whk/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The installed providers: one entry per JSON file in a providers.d folder,
 * read without loading any plugin. Where two folders define the same provider
 * name, the folder listed first wins.
 */
struct whk_registry;

/* One providers.d entry. */
struct whk_entry;

/*
 * Reads the providers.d folders and notes the plugin folders. Each of
 * providers_path and plugin_path is a colon-separated list of folders, or
 * NULL for the default: $WHK_PROVIDERS_PATH / $WHK_PLUGIN_PATH when set,
 * else the folders installed beside libwhk. A malformed entry does not
 * fail the call: it is skipped and listed by whk_registry_problem_at().
 * Modules that the program preloaded (LTDL_SET_PRELOADED_SYMBOLS() before
 * the first call) take precedence over plugin files of the same name, and
 * the entries built in with them are added for every provider name that
 * no providers.d file defines.
 */
WHK_API enum whk_status whk_registry_open(struct whk_registry **registry,
                                          const char *providers_path,
                                          const char *plugin_path,
                                          struct whk_error *err);

WHK_API void whk_registry_free(struct whk_registry *registry);

/* Entries in name order. */
WHK_API size_t whk_registry_count(const struct whk_registry *registry);
WHK_API const struct whk_entry *
whk_registry_at(const struct whk_registry *registry, size_t index);

/* Returns the entry named name, or NULL. */
WHK_API const struct whk_entry *
whk_registry_find(const struct whk_registry *registry, const char *name);

/* Messages about skipped entries ("FILE:LINE:COLUMN: ..."). */
WHK_API size_t whk_registry_problem_count(const struct whk_registry *registry);
WHK_API const char *whk_registry_problem_at(const struct whk_registry *registry,
                                            size_t index);

/* The folders searched, colon-separated, for messages. */
WHK_API const char *
whk_registry_providers_path(const struct whk_registry *registry);
WHK_API const char *
whk_registry_plugin_path(const struct whk_registry *registry);

WHK_API const char *whk_entry_name(const struct whk_entry *entry);
WHK_API const char *whk_entry_title(const struct whk_entry *entry);
WHK_API const char *whk_entry_summary(const struct whk_entry *entry);
WHK_API const char *whk_entry_module(const struct whk_entry *entry);

/*
 * The providers.d file the entry came from, or NULL for an entry built
 * into the program together with its preloaded module.
 */
WHK_API const char *whk_entry_file(const struct whk_entry *entry);

/*
 * The plugin file the module resolves to, or NULL when none exists or the
 * module is preloaded.
 */
WHK_API const char *whk_entry_module_path(const struct whk_entry *entry);

/*
 * Returns 1 when the entry's module is linked into the program as a
 * libltdl preloaded module (a build with WHK_STATIC_PROVIDERS), so it
 * loads without a plugin file, and 0 otherwise.
 */
WHK_API int whk_entry_preloaded(const struct whk_entry *entry);

/* The whole entry as compact JSON text, as handed to the plugin's init. */
WHK_API const char *whk_entry_json(const struct whk_entry *entry);

/* A loaded provider: its plugin, state and effective declarations. */
struct whk_provider;

/*
 * Loads the plugin of the entry named name. A missing plugin file, a file
 * that is not a shared object, an unresolved symbol, a missing descriptor
 * and a descriptor of another ABI version each fail with WHK_ERR_PLUGIN and
 * a message naming the file and the cause.
 */
WHK_API enum whk_status whk_provider_load(const struct whk_registry *registry,
                                          const char *name,
                                          struct whk_provider **provider,
                                          struct whk_error *err);

/*
 * Loads the plugin file at path directly, handing it entry_json as its
 * providers.d entry (NULL for "{}"). For tools that check a plugin before
 * it is installed.
 */
WHK_API enum whk_status whk_provider_load_file(const char *path,
                                               const char *entry_json,
                                               struct whk_provider **provider,
                                               struct whk_error *err);

/* Calls the plugin's fini and closes it. Accepts NULL. */
WHK_API void whk_provider_free(struct whk_provider *provider);

/* The provider's name: its providers.d entry's, else the descriptor's. */
WHK_API const char *whk_provider_name(const struct whk_provider *provider);

/*
 * The plugin file the provider was loaded from, or "MODULE (preloaded)"
 * for a module linked into the program.
 */
WHK_API const char *whk_provider_path(const struct whk_provider *provider);

/*
 * The effective descriptor: the plugin's callbacks with the declarations
 * its init chose. Fields past the plugin's size are zero.
 */
WHK_API const struct whk_descriptor *
whk_provider_descriptor(const struct whk_provider *provider);

/* Runs the plugin's check_secret, or accepts any non-empty secret. */
WHK_API enum whk_status
whk_provider_check_secret(const struct whk_provider *provider,
                          struct whk_span secret, int for_signing,
                          struct whk_error *err);

/* Signs req in place with the plugin's sign callback. */
WHK_API enum whk_status whk_provider_sign(const struct whk_provider *provider,
                                          const struct whk_context *ctx,
                                          struct whk_request *req,
                                          struct whk_span secret,
                                          struct whk_error *err);

/*
 * Verifies req with the plugin's verify callback. The verdict is reset
 * first; a plugin that leaves it unset yields WHK_NOT_APPLICABLE with a
 * text naming the plugin file.
 */
WHK_API void whk_provider_verify(const struct whk_provider *provider,
                                 const struct whk_context *ctx,
                                 const struct whk_request *req,
                                 struct whk_span secret,
                                 struct whk_verdict *verdict);

#ifdef __cplusplus
}
#endif

#endif
