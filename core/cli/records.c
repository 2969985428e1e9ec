/* SPDX-License-Identifier: MIT */
/* Choosing the capture record that commands read when no id is given. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli.h"

/*
 * Returns 1 when the record is not a delivery to verify: a request with
 * whk test's probe mark, or an unsigned endpoint challenge.
 */
static int is_passed_over(json_t *root)
{
    json_t *headers = json_object_get(root, "headers"), *pair;
    size_t i;

    if (json_is_string(json_object_get(root, "challenge")))
        return 1;
    /* json_array_foreach visits nothing when headers is not an array. */
    json_array_foreach(headers, i, pair)
    {
        const char *name = json_string_value(json_array_get(pair, 0));

        if (name != NULL && strcasecmp(name, WHKP_TEST_HEADER) == 0)
            return 1;
    }
    return 0;
}

/*
 * Finds the line of the last record that is not passed over, checking
 * that every line is a JSON object as whkp_record_read() does. Stores
 * the line in *chosen and *chosen_len, or *chosen NULL when there is
 * none, and the number of marked records after it in *skipped.
 */
static enum whk_status find_delivery(const char *data, size_t len,
                                     const char **chosen, size_t *chosen_len,
                                     size_t *skipped, struct whk_error *err)
{
    size_t pos = 0;
    int line = 0;

    *chosen = NULL;
    *skipped = 0;
    while (pos < len) {
        const char *start = data + pos, *end = memchr(start, '\n', len - pos);
        size_t line_len = end ? (size_t)(end - start) : len - pos;
        json_error_t error;
        json_t *root;

        pos += line_len + 1;
        line++;
        if (strspn(start, " \t\r") >= line_len)
            continue;
        root = json_loadb(start, line_len,
                          JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &error);
        if (!json_is_object(root)) {
            json_decref(root);
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "line %d, column %d: not a capture record: "
                                 "%s",
                                 line, root ? 1 : error.column,
                                 root ? "expected a JSON object" : error.text);
        }
        if (is_passed_over(root)) {
            (*skipped)++;
        } else {
            *chosen = start;
            *chosen_len = line_len;
            *skipped = 0;
        }
        json_decref(root);
    }
    return WHK_OK;
}

enum whk_status whkp_record_read_delivery(const char *data, size_t len,
                                          const char *id,
                                          struct whkp_record *record,
                                          size_t *skipped,
                                          struct whk_error *err)
{
    const char *chosen;
    size_t chosen_len, passed_over;
    enum whk_status status;

    if (skipped != NULL)
        *skipped = 0;
    if (id != NULL)
        return whkp_record_read(data, len, id, record, err);
    memset(record, 0, sizeof(*record));
    status = find_delivery(data, len, &chosen, &chosen_len, &passed_over, err);
    if (status != WHK_OK)
        return status;
    if (chosen == NULL && passed_over > 0)
        return whk_error_set(err, WHK_ERR_NOT_FOUND,
                             "the capture log has only requests that whk "
                             "test sent as probes (header %s) and unsigned "
                             "endpoint challenges; choose one by its id",
                             WHKP_TEST_HEADER);
    if (chosen == NULL)
        return whk_error_set(err, WHK_ERR_NOT_FOUND,
                             "the capture log has no records");
    if (skipped != NULL)
        *skipped = passed_over;
    return whkp_record_read(chosen, chosen_len, NULL, record, err);
}
