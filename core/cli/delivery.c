/* SPDX-License-Identifier: MIT */
/* Idempotency keys of a delivery and the set that spots redeliveries. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/* Resolves a JSON Pointer (RFC 6901) such as "/data/id" in root. */
static json_t *json_pointer_get(json_t *root, const char *pointer)
{
    json_t *node = root;

    if (*pointer != '/')
        return NULL;
    while (node != NULL && *pointer == '/') {
        size_t len = strcspn(++pointer, "/");
        char *token = malloc(len + 1), *out = token;

        if (token == NULL)
            return NULL;
        for (size_t i = 0; i < len; i++) {
            if (pointer[i] == '~' && i + 1 < len && pointer[i + 1] == '0') {
                *out++ = '~';
                i++;
            } else if (pointer[i] == '~' && i + 1 < len &&
                       pointer[i + 1] == '1') {
                *out++ = '/';
                i++;
            } else {
                *out++ = pointer[i];
            }
        }
        *out = '\0';
        if (json_is_array(node)) {
            char *end;
            unsigned long index = strtoul(token, &end, 10);
            node = *token && *end == '\0' ? json_array_get(node, index) : NULL;
        } else {
            node = json_object_get(node, token);
        }
        free(token);
        pointer += len;
    }
    return node;
}

static char *json_key(const struct whk_request *req, const char *pointer)
{
    size_t len;
    const char *body = whk_request_body(req, &len);
    json_t *root = json_loadb(body, len, 0, NULL);
    json_t *value = root ? json_pointer_get(root, pointer) : NULL;
    char *text = NULL;

    if (json_is_string(value))
        text = strdup(json_string_value(value));
    else if (value != NULL && !json_is_null(value))
        text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(root);
    return text;
}

static char *param_key(const struct whk_request *req, const char *name)
{
    size_t count = whk_request_param_count(req);

    for (size_t i = 0; i < count; i++) {
        const struct whk_param *param = whk_request_param_at(req, i);

        if (strcmp(param->key, name) == 0 && param->value_len > 0)
            return strdup(param->value);
    }
    return NULL;
}

char *whkp_idempotency_key(const struct whk_descriptor *descriptor,
                           const struct whk_request *req, const char **name)
{
    const struct whk_key *key = descriptor->idempotency_keys;

    for (; key != NULL && key->name != NULL; key++) {
        const char *header;
        char *value = NULL;

        switch (key->source) {
        case WHK_KEY_PARAM:
            value = param_key(req, key->name);
            break;
        case WHK_KEY_HEADER:
            header = whk_request_header(req, key->name);
            value = header && *header ? strdup(header) : NULL;
            break;
        case WHK_KEY_JSON:
            value = json_key(req, key->name);
            break;
        }
        if (value != NULL) {
            if (name != NULL)
                *name = key->name;
            return value;
        }
    }
    return NULL;
}

/* An entry of the set: the key followed by the body's digest. */
struct seen_entry {
    struct seen_entry *next;
    uint64_t hash;
    size_t len;
    char data[];
};

struct whkp_seen {
    struct seen_entry **buckets;
    size_t bucket_count;
    size_t count;
    pthread_mutex_t lock;
};

struct whkp_seen *whkp_seen_new(void)
{
    struct whkp_seen *seen = calloc(1, sizeof(*seen));

    if (seen == NULL)
        return NULL;
    seen->bucket_count = 1024;
    seen->buckets = calloc(seen->bucket_count, sizeof(*seen->buckets));
    if (seen->buckets == NULL) {
        free(seen);
        return NULL;
    }
    pthread_mutex_init(&seen->lock, NULL);
    return seen;
}

void whkp_seen_free(struct whkp_seen *seen)
{
    if (seen == NULL)
        return;
    for (size_t i = 0; i < seen->bucket_count; i++) {
        struct seen_entry *entry = seen->buckets[i];

        while (entry != NULL) {
            struct seen_entry *next = entry->next;
            free(entry);
            entry = next;
        }
    }
    free(seen->buckets);
    pthread_mutex_destroy(&seen->lock);
    free(seen);
}

/* FNV-1a, enough to spread keys over buckets. */
static uint64_t hash_bytes(const unsigned char *data, size_t len)
{
    uint64_t hash = 14695981039346656037ull;

    for (size_t i = 0; i < len; i++) {
        hash ^= data[i];
        hash *= 1099511628211ull;
    }
    return hash;
}

/* Doubles the bucket array once entries outnumber buckets. */
static void grow(struct whkp_seen *seen)
{
    size_t count = seen->bucket_count * 2;
    struct seen_entry **buckets = calloc(count, sizeof(*buckets));

    if (buckets == NULL)
        return;
    for (size_t i = 0; i < seen->bucket_count; i++) {
        struct seen_entry *entry = seen->buckets[i];

        while (entry != NULL) {
            struct seen_entry *next = entry->next;

            entry->next = buckets[entry->hash % count];
            buckets[entry->hash % count] = entry;
            entry = next;
        }
    }
    free(seen->buckets);
    seen->buckets = buckets;
    seen->bucket_count = count;
}

static int insert(struct whkp_seen *seen, const char *data, size_t len)
{
    uint64_t hash = hash_bytes((const unsigned char *)data, len);
    struct seen_entry *entry = seen->buckets[hash % seen->bucket_count];

    for (; entry != NULL; entry = entry->next) {
        if (entry->hash == hash && entry->len == len &&
            memcmp(entry->data, data, len) == 0)
            return 1;
    }
    entry = malloc(sizeof(*entry) + len);
    if (entry == NULL)
        return -1;
    entry->hash = hash;
    entry->len = len;
    memcpy(entry->data, data, len);
    entry->next = seen->buckets[hash % seen->bucket_count];
    seen->buckets[hash % seen->bucket_count] = entry;
    if (++seen->count > seen->bucket_count)
        grow(seen);
    return 0;
}

int whkp_seen_add(struct whkp_seen *seen, const char *key, const char *body,
                  size_t body_len)
{
    struct whk_span span = {body, body_len};
    unsigned char digest[WHK_DIGEST_MAX_SIZE];
    size_t key_len = strlen(key), digest_len;
    char *data;
    int result;

    if (whk_digest(WHK_SHA256, &span, 1, digest, &digest_len, NULL) != WHK_OK)
        return -1;
    data = malloc(key_len + 1 + digest_len);
    if (data == NULL)
        return -1;
    memcpy(data, key, key_len + 1);
    memcpy(data + key_len + 1, digest, digest_len);

    pthread_mutex_lock(&seen->lock);
    result = insert(seen, data, key_len + 1 + digest_len);
    pthread_mutex_unlock(&seen->lock);
    free(data);
    return result;
}
