/* SPDX-License-Identifier: MIT */
/* Capture records: one delivery per JSON line, body kept byte-exact. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

void whkp_record_clear(struct whkp_record *record)
{
    free(record->id);
    free(record->provider);
    free(record->received_at);
    free(record->target);
    free(record->url);
    free(record->verdict);
    free(record->reason);
    free(record->key);
    free(record->challenge);
    whk_request_free(record->request);
    memset(record, 0, sizeof(*record));
}

static char *copy_string(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    return json_is_string(value) ? strdup(json_string_value(value)) : NULL;
}

static enum whk_status read_headers(json_t *headers, struct whk_request *req,
                                    struct whk_error *err)
{
    size_t i;
    json_t *pair;

    if (headers == NULL)
        return WHK_OK;
    if (!json_is_array(headers))
        return whk_error_set(err, WHK_ERR_INVALID,
                             "'headers' must be an array of [name, value] "
                             "pairs");
    json_array_foreach(headers, i, pair)
    {
        json_t *name = json_array_get(pair, 0),
               *value = json_array_get(pair, 1);

        if (json_array_size(pair) != 2 || !json_is_string(name) ||
            !json_is_string(value))
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "header %zu must be a [name, value] pair of "
                                 "strings",
                                 i);
        if (whk_request_add_header(req, json_string_value(name),
                                   json_string_value(value)) != WHK_OK)
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "header %zu ('%s') needs a name made of "
                                 "HTTP token characters and a value "
                                 "without CR or LF",
                                 i, json_string_value(name));
    }
    return WHK_OK;
}

static enum whk_status read_body(json_t *root, struct whk_request *req,
                                 struct whk_error *err)
{
    json_t *text = json_object_get(root, "body");
    json_t *encoded = json_object_get(root, "body_base64");
    unsigned char *bytes;
    size_t len;
    enum whk_status status;

    if (text != NULL && encoded != NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "a record has 'body' or 'body_base64', not "
                             "both");
    if (json_is_string(text))
        return whk_request_set_body(req, json_string_value(text),
                                    json_string_length(text));
    if (!json_is_string(encoded))
        return text || encoded
                   ? whk_error_set(err, WHK_ERR_INVALID,
                                   "'body' and 'body_base64' must be strings")
                   : whk_request_set_body(req, "", 0);

    status = whk_base64_decode(json_string_value(encoded),
                               json_string_length(encoded), WHK_BASE64_STANDARD,
                               &bytes, &len, err);
    if (status != WHK_OK)
        return status;
    status = whk_request_set_body(req, (const char *)bytes, len);
    whk_free(bytes);
    return status;
}

static enum whk_status parse_record(json_t *root, struct whkp_record *record,
                                    struct whk_error *err)
{
    json_t *method = json_object_get(root, "method");
    enum whk_status status;

    record->id = copy_string(root, "id");
    record->provider = copy_string(root, "provider");
    record->received_at = copy_string(root, "received_at");
    record->target = copy_string(root, "target");
    record->url = copy_string(root, "url");
    record->verdict = copy_string(root, "verdict");
    record->reason = copy_string(root, "reason");
    record->key = copy_string(root, "key");
    record->duplicate = json_is_true(json_object_get(root, "duplicate"));
    record->challenge = copy_string(root, "challenge");
    record->request = whk_request_new();
    if (record->request == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    if (!json_is_string(method) || record->target == NULL)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "a capture record needs 'method' and 'target' "
                             "strings");

    status = whk_request_set_method(record->request, json_string_value(method));
    if (status != WHK_OK)
        return whk_error_set(err, WHK_ERR_INVALID,
                             "'method' is '%s'; it must be an HTTP method "
                             "token such as POST",
                             json_string_value(method));
    if (status == WHK_OK)
        status = read_headers(json_object_get(root, "headers"), record->request,
                              err);
    if (status == WHK_OK)
        status = read_body(root, record->request, err);
    if (status == WHK_OK && record->url != NULL)
        status = whk_request_set_url(record->request, record->url);
    return status;
}

enum whk_status whkp_record_read(const char *data, size_t len, const char *id,
                                 struct whkp_record *record,
                                 struct whk_error *err)
{
    json_t *chosen = NULL;
    size_t pos = 0;
    int line = 0;
    enum whk_status status;

    memset(record, 0, sizeof(*record));
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
            json_decref(chosen);
            return whk_error_set(err, WHK_ERR_INVALID,
                                 "line %d, column %d: not a capture record: "
                                 "%s",
                                 line, root ? 1 : error.column,
                                 root ? "expected a JSON object" : error.text);
        }
        if (id == NULL ||
            (json_is_string(json_object_get(root, "id")) &&
             strcmp(json_string_value(json_object_get(root, "id")), id) == 0)) {
            json_decref(chosen);
            chosen = root;
            if (id != NULL)
                break;
        } else {
            json_decref(root);
        }
    }
    if (chosen == NULL)
        return whk_error_set(err, WHK_ERR_NOT_FOUND,
                             id ? "no capture record has id '%s'"
                                : "the capture log has no records%s",
                             id ? id : "");

    status = parse_record(chosen, record, err);
    json_decref(chosen);
    if (status != WHK_OK)
        whkp_record_clear(record);
    return status;
}

static json_t *headers_json(const struct whk_request *req)
{
    json_t *array = json_array();
    size_t count = whk_request_header_count(req);

    for (size_t i = 0; array && i < count; i++) {
        const char *name, *value;

        whk_request_header_at(req, i, &name, &value);
        json_array_append_new(array, json_pack("[ss]", name, value));
    }
    return array;
}

char *whkp_record_dump(const struct whkp_record *record)
{
    size_t body_len;
    const char *body = whk_request_body(record->request, &body_len);
    json_t *root = json_object(), *text;
    char *line = NULL;

    if (root == NULL)
        return NULL;
    if (record->id)
        json_object_set_new(root, "id", json_string(record->id));
    if (record->received_at)
        json_object_set_new(root, "received_at",
                            json_string(record->received_at));
    if (record->provider)
        json_object_set_new(root, "provider", json_string(record->provider));
    json_object_set_new(root, "method",
                        json_string(whk_request_method(record->request)));
    json_object_set_new(root, "target", json_string(record->target));
    if (record->url)
        json_object_set_new(root, "url", json_string(record->url));
    json_object_set_new(root, "headers", headers_json(record->request));
    if (record->verdict)
        json_object_set_new(root, "verdict", json_string(record->verdict));
    if (record->reason)
        json_object_set_new(root, "reason", json_string(record->reason));
    if (record->key)
        json_object_set_new(root, "key", json_string(record->key));
    if (record->verdict)
        json_object_set_new(root, "duplicate", json_boolean(record->duplicate));
    if (record->challenge)
        json_object_set_new(root, "challenge", json_string(record->challenge));

    /* Valid UTF-8 stays readable and editable; other bytes go as base64. */
    text = json_stringn(body, body_len);
    if (text != NULL) {
        json_object_set_new(root, "body", text);
    } else {
        char *encoded = whk_base64_encode(body, body_len, 0);
        json_object_set_new(root, "body_base64", json_string(encoded));
        whk_free(encoded);
    }
    line = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(root);
    return line;
}

struct whkp_capture {
    int fd;
    int sync;
    size_t count;
    char *path;
    pthread_mutex_t lock;
};

/* Creates the parent folders of path, as "mkdir -p" would. */
static enum whk_status make_parents(const char *path, struct whk_error *err)
{
    char *copy = strdup(path);
    enum whk_status status = WHK_OK;

    if (copy == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    for (char *slash = strchr(copy + 1, '/'); slash != NULL;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            status =
                whk_error_set(err, WHK_ERR_IO, "cannot create folder %s: %s",
                              copy, strerror(errno));
            break;
        }
        *slash = '/';
    }
    free(copy);
    return status;
}

enum whk_status whkp_capture_open(const char *path, int sync,
                                  struct whkp_capture **capture,
                                  struct whk_error *err)
{
    struct whkp_capture *c;
    enum whk_status status = make_parents(path, err);

    if (status != WHK_OK)
        return status;
    c = calloc(1, sizeof(*c));
    if (c == NULL || (c->path = strdup(path)) == NULL) {
        free(c);
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    }
    c->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (c->fd < 0) {
        status = whk_error_set(err, WHK_ERR_IO, "cannot open %s: %s", path,
                               strerror(errno));
        free(c->path);
        free(c);
        return status;
    }
    c->sync = sync;
    pthread_mutex_init(&c->lock, NULL);
    *capture = c;
    return WHK_OK;
}

/* Writes all of data, retrying short writes and interruptions. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

enum whk_status whkp_capture_append(struct whkp_capture *capture,
                                    const struct whkp_record *record,
                                    struct whk_error *err)
{
    char *line = whkp_record_dump(record);
    size_t len;
    int failed, error = 0;

    if (line == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY,
                             "out of memory serializing record %s",
                             record->id ? record->id : "");
    len = strlen(line);
    line[len] = '\n';

    /* One write per line under the lock keeps records whole and ordered. */
    pthread_mutex_lock(&capture->lock);
    failed = write_all(capture->fd, line, len + 1) != 0 ||
             (capture->sync && fdatasync(capture->fd) != 0);
    if (failed)
        error = errno;
    else
        capture->count++;
    pthread_mutex_unlock(&capture->lock);

    free(line);
    if (failed)
        return whk_error_set(err, WHK_ERR_IO, "cannot append to %s: %s",
                             capture->path, strerror(error));
    return WHK_OK;
}

size_t whkp_capture_count(struct whkp_capture *capture)
{
    size_t count;

    pthread_mutex_lock(&capture->lock);
    count = capture->count;
    pthread_mutex_unlock(&capture->lock);
    return count;
}

void whkp_capture_close(struct whkp_capture *capture)
{
    if (capture == NULL)
        return;
    close(capture->fd);
    pthread_mutex_destroy(&capture->lock);
    free(capture->path);
    free(capture);
}
