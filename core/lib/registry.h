/* SPDX-License-Identifier: MIT */
/* The providers.d entry structure, shared by the registry and the loader. */
#ifndef WHK_REGISTRY_H
#define WHK_REGISTRY_H

struct whk_entry {
    char *name;
    char *title;
    char *summary;
    char *module;
    char *file;        /* NULL for an entry built into the program */
    char *module_path; /* NULL when no plugin file was found */
    char *json;
    int preloaded; /* the module is linked into the program */
};

#endif
