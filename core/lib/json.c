/* SPDX-License-Identifier: MIT */
/* Reading members of a providers.d entry for plugins that serve several. */
#include <string.h>

#include <jansson.h>

#include "internal.h"

enum whk_status whk_json_member_string(const char *json, const char *name,
                                       char **value, struct whk_error *err)
{
    json_error_t detail;
    json_t *root = json_loads(json, 0, &detail);
    json_t *member;
    enum whk_status status = WHK_OK;

    *value = NULL;
    if (!json_is_object(root)) {
        status = whk_error_set(err, WHK_ERR_CONFIG,
                               "the entry is not a JSON object (%s)",
                               root ? "another JSON type" : detail.text);
        goto out;
    }
    member = json_object_get(root, name);
    if (member == NULL) {
        status = whk_error_set(err, WHK_ERR_NOT_FOUND,
                               "the entry has no \"%s\" member", name);
    } else if (!json_is_string(member)) {
        status =
            whk_error_set(err, WHK_ERR_CONFIG,
                          "the entry's \"%s\" member is not a string", name);
    } else {
        *value =
            whkp_strndup(json_string_value(member), json_string_length(member));
        if (*value == NULL)
            status = whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }

out:
    json_decref(root);
    return status;
}
