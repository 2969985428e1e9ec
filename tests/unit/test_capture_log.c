/* SPDX-License-Identifier: MIT */
/* Check suite for appending to the capture log, idempotency keys and
 * redeliveries (capture.c, delivery.c). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "harness.h"

#define THREADS 8
#define RECORDS_PER_THREAD 200

/* A body with bytes that are not UTF-8, so the record stores base64. */
static const char binary_body[] = "a=1&b=\xff\xfe\x00z";
static const size_t binary_len = sizeof(binary_body) - 1;

static struct whk_request *make_request(const char *body, size_t len)
{
    struct whk_request *req = whk_request_new();

    ck_assert_ptr_nonnull(req);
    ck_assert_int_eq(whk_request_add_header(req, "Host", "h.example.com"),
                     WHK_OK);
    ck_assert_int_eq(whk_request_add_header(req, "X-Twilio-Signature",
                                            "abc="),
                     WHK_OK);
    ck_assert_int_eq(whk_request_add_header(req, "X-Dup", "1"), WHK_OK);
    ck_assert_int_eq(whk_request_add_header(req, "x-dup", "2"), WHK_OK);
    ck_assert_int_eq(whk_request_set_body(req, body, len), WHK_OK);
    return req;
}

struct writer {
    struct whkp_capture *capture;
    int index;
};

static void *append_many(void *data)
{
    struct writer *w = data;
    struct whk_request *req = whk_request_new();
    char id[32];

    whk_request_set_body(req, "x=1", 3);
    for (int i = 0; i < RECORDS_PER_THREAD; i++) {
        struct whkp_record record = {.id = id, .target = "/t",
                                     .request = req};

        snprintf(id, sizeof(id), "t%d-%d", w->index, i);
        if (whkp_capture_append(w->capture, &record, NULL) != WHK_OK)
            break;
    }
    whk_request_free(req);
    return NULL;
}

START_TEST(capture_round_trip_byte_exact)
{
    const char *dir = whkt_temp_dir();
    char path[600], *data;
    size_t len, body_len;
    struct whkp_capture *capture;
    struct whk_request *req = make_request(binary_body, binary_len);
    struct whkp_record record = {.id = "r1", .provider = "twilio",
                                 .target = "/hooks?a=%2F", .url =
                                     "https://h.example.com/hooks?a=%2F",
                                 .request = req, .verdict = "valid",
                                 .reason = "match", .key = "SM1",
                                 .duplicate = 1};
    struct whkp_record back;
    const char *name, *value, *body;

    snprintf(path, sizeof(path), "%s/.whk/sub/captures.jsonl", dir);
    ck_assert_int_eq(whkp_capture_open(path, 1, &capture, NULL), WHK_OK);
    ck_assert_int_eq(whkp_capture_append(capture, &record, NULL), WHK_OK);
    ck_assert_uint_eq(whkp_capture_count(capture), 1);
    whkp_capture_close(capture);

    ck_assert_int_eq(whkp_read_file(path, 1 << 20, &data, &len, NULL),
                     WHK_OK);
    ck_assert_int_eq(data[len - 1], '\n');
    ck_assert_ptr_nonnull(strstr(data, "\"body_base64\""));
    ck_assert_int_eq(whkp_record_read(data, len, "r1", &back, NULL), WHK_OK);
    ck_assert_str_eq(back.target, "/hooks?a=%2F");
    ck_assert_str_eq(back.url, "https://h.example.com/hooks?a=%2F");
    ck_assert_str_eq(back.key, "SM1");
    ck_assert_str_eq(back.verdict, "valid");
    ck_assert_int_eq(back.duplicate, 1);
    body = whk_request_body(back.request, &body_len);
    ck_assert_uint_eq(body_len, binary_len);
    ck_assert_mem_eq(body, binary_body, binary_len);
    ck_assert_uint_eq(whk_request_header_count(back.request), 4);
    whk_request_header_at(back.request, 3, &name, &value);
    ck_assert_str_eq(name, "x-dup");
    ck_assert_str_eq(value, "2");
    whkp_record_clear(&back);
    whk_request_free(req);
    free(data);
}
END_TEST

START_TEST(capture_appends_from_threads)
{
    const char *dir = whkt_temp_dir();
    char path[600], *data;
    size_t len, lines = 0;
    struct whkp_capture *capture;
    pthread_t threads[THREADS];
    struct writer writers[THREADS];
    struct whkp_record last;

    snprintf(path, sizeof(path), "%s/captures.jsonl", dir);
    ck_assert_int_eq(whkp_capture_open(path, 0, &capture, NULL), WHK_OK);
    for (int i = 0; i < THREADS; i++) {
        writers[i] = (struct writer){capture, i};
        ck_assert_int_eq(pthread_create(&threads[i], NULL, append_many,
                                        &writers[i]),
                         0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    ck_assert_uint_eq(whkp_capture_count(capture),
                      THREADS * RECORDS_PER_THREAD);
    whkp_capture_close(capture);

    ck_assert_int_eq(whkp_read_file(path, 1 << 24, &data, &len, NULL),
                     WHK_OK);
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    ck_assert_uint_eq(lines, THREADS * RECORDS_PER_THREAD);
    /* Every line parses: reading the last record walks all of them. */
    ck_assert_int_eq(whkp_record_read(data, len, NULL, &last, NULL), WHK_OK);
    whkp_record_clear(&last);
    free(data);
}
END_TEST

START_TEST(capture_open_fails_in_missing_parent)
{
    struct whkp_capture *capture = NULL;
    struct whk_error err = {0};

    ck_assert_int_eq(whkp_capture_open("/proc/whk-no/captures.jsonl", 1,
                                       &capture, &err),
                     WHK_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.text, "/proc/whk-no"));
}
END_TEST

static const struct whk_key keys[] = {
    {WHK_KEY_HEADER, "Idempotency-Key"},
    {WHK_KEY_JSON, "/data/object/id"},
    {WHK_KEY_PARAM, "MessageSid"},
    {0, NULL},
};

static const struct whk_descriptor key_descriptor = {
    .name = "keys", .idempotency_keys = keys};

START_TEST(key_from_param_header_and_json)
{
    struct whk_request *req = whk_request_new();
    const char *event = "{\"data\":{\"object\":{\"id\":\"evt_1\"}}}";
    const char *name = NULL;
    char *key;

    whk_request_set_header(req, "Content-Type",
                           "application/x-www-form-urlencoded");
    whk_request_set_body(req, "To=1&MessageSid=SM9", 19);
    key = whkp_idempotency_key(&key_descriptor, req, &name);
    ck_assert_str_eq(key, "SM9");
    ck_assert_str_eq(name, "MessageSid");
    free(key);

    whk_request_set_header(req, "Content-Type", "application/json");
    whk_request_set_body(req, event, strlen(event));
    key = whkp_idempotency_key(&key_descriptor, req, &name);
    ck_assert_str_eq(key, "evt_1");
    free(key);

    whk_request_set_header(req, "Idempotency-Key", "k-7");
    key = whkp_idempotency_key(&key_descriptor, req, &name);
    ck_assert_str_eq(key, "k-7");
    ck_assert_str_eq(name, "Idempotency-Key");
    free(key);

    whk_request_remove_header(req, "Idempotency-Key");
    whk_request_set_body(req, "{\"data\":[1]}", 12);
    ck_assert_ptr_null(whkp_idempotency_key(&key_descriptor, req, NULL));
    whk_request_free(req);
}
END_TEST

START_TEST(seen_flags_same_key_and_body)
{
    struct whkp_seen *seen = whkp_seen_new();
    char key[32];

    ck_assert_int_eq(whkp_seen_add(seen, "SM1", "a=1", 3), 0);
    ck_assert_int_eq(whkp_seen_add(seen, "SM1", "a=1", 3), 1);
    /* A status callback reuses the key with another body: not a repeat. */
    ck_assert_int_eq(whkp_seen_add(seen, "SM1", "a=2", 3), 0);
    ck_assert_int_eq(whkp_seen_add(seen, "SM2", "a=1", 3), 0);
    /* Enough entries to grow the table several times. */
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "K%d", i);
        ck_assert_int_eq(whkp_seen_add(seen, key, "b", 1), 0);
    }
    for (int i = 0; i < 5000; i += 499) {
        snprintf(key, sizeof(key), "K%d", i);
        ck_assert_int_eq(whkp_seen_add(seen, key, "b", 1), 1);
    }
    whkp_seen_free(seen);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("capture_log");
    TCase *tc = tcase_create("capture");

    tcase_add_test(tc, capture_round_trip_byte_exact);
    tcase_add_test(tc, capture_appends_from_threads);
    tcase_add_test(tc, capture_open_fails_in_missing_parent);
    tcase_add_test(tc, key_from_param_header_and_json);
    tcase_add_test(tc, seen_flags_same_key_and_body);
    suite_add_tcase(suite, tc);
    return whkt_run(suite);
}
