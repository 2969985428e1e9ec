/* SPDX-License-Identifier: MIT */
/* Sending a request byte-exact with libcurl and collecting the response. */
#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "cli.h"

/* Time to open a TCP connection; a loopback app accepts at once. */
#define CONNECT_TIMEOUT_MS 5000L

static atomic_int aborting;

int whkp_http_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void whkp_http_cleanup(void)
{
    curl_global_cleanup();
}

void whkp_http_abort(void)
{
    atomic_store(&aborting, 1);
}

void *whkp_http_handle_new(void)
{
    return curl_easy_init();
}

void whkp_http_handle_free(void *handle)
{
    if (handle != NULL)
        curl_easy_cleanup(handle);
}

int whkp_is_hop_header(const char *name)
{
    static const char *const hop[] = {"Connection",
                                      "Keep-Alive",
                                      "Proxy-Connection",
                                      "Transfer-Encoding",
                                      "TE",
                                      "Trailer",
                                      "Upgrade",
                                      "Content-Length",
                                      "Expect",
                                      "Proxy-Authorization"};

    for (size_t i = 0; i < sizeof(hop) / sizeof(hop[0]); i++) {
        if (strcasecmp(name, hop[i]) == 0)
            return 1;
    }
    return 0;
}

void whkp_response_clear(struct whkp_response *response)
{
    free(response->content_type);
    free(response->body);
    for (size_t i = 0; i < response->header_count; i++) {
        free(response->headers[i].name);
        free(response->headers[i].value);
    }
    free(response->headers);
    memset(response, 0, sizeof(*response));
}

/* A growing buffer for the response body, up to WHKP_MAX_RESPONSE_BODY. */
struct sink {
    char *data;
    size_t len;
    size_t capacity;
    int too_large;
};

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    struct sink *sink = user;
    size_t len = size * count;

    /* Returning less than len makes libcurl stop the transfer. */
    if (len > WHKP_MAX_RESPONSE_BODY - sink->len) {
        sink->too_large = 1;
        return 0;
    }
    if (sink->len + len + 1 > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity : 4096;
        char *grown;

        while (capacity < sink->len + len + 1)
            capacity *= 2;
        grown = realloc(sink->data, capacity);
        if (grown == NULL)
            return 0;
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->len, data, len);
    sink->len += len;
    sink->data[sink->len] = '\0';
    return len;
}

/* Keeps the header lines of the last response (after any 100 Continue). */
static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    struct whkp_response *response = user;
    size_t len = size * count, name_len, value_start, value_end;
    struct whkp_header *grown;
    const char *colon;

    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        for (size_t i = 0; i < response->header_count; i++) {
            free(response->headers[i].name);
            free(response->headers[i].value);
        }
        response->header_count = 0;
        return len;
    }
    colon = memchr(data, ':', len);
    if (colon == NULL)
        return len;
    name_len = (size_t)(colon - data);
    value_start = name_len + 1;
    value_end = len;
    while (value_start < value_end && isspace((unsigned char)data[value_start]))
        value_start++;
    while (value_end > value_start &&
           isspace((unsigned char)data[value_end - 1]))
        value_end--;

    grown = realloc(response->headers,
                    (response->header_count + 1) * sizeof(*grown));
    if (grown == NULL)
        return 0;
    response->headers = grown;
    grown[response->header_count].name = strndup(data, name_len);
    grown[response->header_count].value =
        strndup(data + value_start, value_end - value_start);
    response->header_count++;
    return len;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
    (void)user;
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return atomic_load(&aborting) ? 1 : 0;
}

static int append_line(struct curl_slist **list, const char *line)
{
    struct curl_slist *grown = curl_slist_append(*list, line);

    if (grown == NULL)
        return 0;
    *list = grown;
    return 1;
}

/* Appends "Name: value", or "Name;" for an empty value as libcurl wants. */
static int append_header(struct curl_slist **list, const char *name,
                         const char *value)
{
    char *line;
    int ok;

    if (*value)
        ok = asprintf(&line, "%s: %s", name, value) >= 0;
    else
        ok = asprintf(&line, "%s;", name) >= 0;
    if (!ok)
        return 0;
    ok = append_line(list, line);
    free(line);
    return ok;
}

/*
 * Copies req's headers and suppresses those libcurl would add on its own
 * (Accept, a form Content-Type, Expect), so the wire carries req's alone.
 */
static struct curl_slist *build_headers(const struct whk_request *req)
{
    size_t count = whk_request_header_count(req);
    struct curl_slist *list = NULL;
    int ok = 1;

    for (size_t i = 0; i < count && ok; i++) {
        const char *name, *value;

        whk_request_header_at(req, i, &name, &value);
        if (!whkp_is_hop_header(name))
            ok = append_header(&list, name, value);
    }
    /* "Name:" with nothing after it removes a header libcurl adds. */
    if (ok && whk_request_header(req, "Accept") == NULL)
        ok = append_line(&list, "Accept:");
    if (ok && whk_request_header(req, "Content-Type") == NULL)
        ok = append_line(&list, "Content-Type:");
    if (ok)
        ok = append_line(&list, "Expect:");
    if (!ok) {
        curl_slist_free_all(list);
        return NULL;
    }
    return list;
}

static void set_method(CURL *curl, const struct whk_request *req)
{
    size_t body_len;
    const char *body = whk_request_body(req, &body_len);
    const char *method = whk_request_method(req);

    if (strcmp(method, "GET") == 0 && body_len == 0) {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)body_len);
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    }
}

char *whkp_url_redact(const char *url)
{
    struct whk_url_parts parts;
    const char *colon, *end;

    if (whk_url_split(url, &parts, NULL) != WHK_OK ||
        parts.userinfo.ptr == NULL)
        return strdup(url);
    colon = memchr(parts.userinfo.ptr, ':', parts.userinfo.len);
    if (colon == NULL)
        return strdup(url);
    end = parts.userinfo.ptr + parts.userinfo.len;
    return whkp_sprintf("%.*s:***%s", (int)(colon - url), url, end);
}

/* Prints the error of whkp_check_http_url() for url. */
static int url_error(const char *option, const char *url, const char *problem,
                     const char *fix)
{
    char *redacted = whkp_url_redact(url);

    whkp_error("%s '%s' %s; %s", option, redacted ? redacted : "(the URL)",
               problem, fix);
    free(redacted);
    return 0;
}

int whkp_check_http_url(const char *option, const char *url, int allow_query)
{
    struct whk_url_parts parts;
    struct whk_error err = {0};

    if (whk_url_split(url, &parts, &err) != WHK_OK)
        return url_error(option, url, "is not a URL", err.text);
    if (!(parts.scheme.len == 4 && strncasecmp(url, "http", 4) == 0) &&
        !(parts.scheme.len == 5 && strncasecmp(url, "https", 5) == 0))
        return url_error(option, url, "is not an http:// or https:// URL",
                         strcmp(option, "--public-url") == 0
                             ? "give the public one, such as "
                               "https://my-app.example.com"
                             : "give one such as http://localhost:3000");
    if (parts.fragment.ptr != NULL)
        return url_error(option, url, "has a fragment (#...)",
                         "remove it, because a client never sends the "
                         "fragment to the server");
    if (!allow_query && parts.query.ptr != NULL)
        return url_error(option, url, "has a query",
                         "give the base URL alone, because each request's "
                         "path and query are appended to it");
    return 1;
}

static enum whkp_send_result too_large(const char *url, char *error,
                                       size_t error_size)
{
    snprintf(error, error_size,
             "%s sent a response body larger than %u MiB, the most whk "
             "reads; providers read far less, so answer webhooks with a "
             "short body",
             url, WHKP_MAX_RESPONSE_BODY / (1024 * 1024));
    return WHKP_SEND_TOO_LARGE;
}

/*
 * Names a failed transfer after libcurl's error code: no connection, no
 * response at all, a response cut short, or bytes that are not HTTP.
 */
static enum whkp_send_result classify(CURLcode code, const char *url,
                                      const char *detail, long timeout_ms,
                                      char *error, size_t error_size)
{
    const char *text = *detail ? detail : curl_easy_strerror(code);

    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        snprintf(error, error_size, "cannot connect to %s: %s", url, text);
        return WHKP_SEND_UNREACHABLE;
    case CURLE_OPERATION_TIMEDOUT:
        snprintf(error, error_size, "no response from %s within %.1f s", url,
                 timeout_ms / 1000.0);
        return WHKP_SEND_TIMEOUT;
    case CURLE_ABORTED_BY_CALLBACK:
        snprintf(error, error_size, "the request to %s was cancelled", url);
        return WHKP_SEND_ABORTED;
    case CURLE_GOT_NOTHING:
        snprintf(error, error_size,
                 "%s closed the connection without sending a response", url);
        return WHKP_SEND_CLOSED;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
        snprintf(error, error_size,
                 "the connection to %s broke before a response arrived: %s",
                 url, text);
        return WHKP_SEND_CLOSED;
    case CURLE_PARTIAL_FILE:
        snprintf(error, error_size,
                 "%s closed the connection before the whole response "
                 "arrived: %s",
                 url, text);
        return WHKP_SEND_INCOMPLETE;
    case CURLE_UNSUPPORTED_PROTOCOL: /* "Received HTTP/0.9" */
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
        snprintf(error, error_size,
                 "%s sent a response that is not valid HTTP: %s", url, text);
        return WHKP_SEND_INVALID;
    default:
        snprintf(error, error_size, "the request to %s failed: %s", url, text);
        return WHKP_SEND_FAILED;
    }
}

static void set_options(CURL *curl, const char *url, long timeout_ms,
                        struct curl_slist *headers, struct sink *sink,
                        struct whkp_response *response, char *detail)
{
    curl_easy_setopt(curl, CURLOPT_URL, url);
    /* Targets are sent as received, dot segments included. */
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     timeout_ms < CONNECT_TIMEOUT_MS ? timeout_ms
                                                     : CONNECT_TIMEOUT_MS);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)WHKP_MAX_RESPONSE_BODY);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, response);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
}

static void fill_response(CURL *curl, struct sink *sink,
                          struct whkp_response *response)
{
    const char *type = NULL;

    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &response->seconds);
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
    response->content_type = type ? strdup(type) : NULL;
    response->body = sink->data ? sink->data : calloc(1, 1);
    response->body_len = sink->len;
    sink->data = NULL;
}

enum whkp_send_result whkp_http_send(void *handle, const char *url,
                                     const struct whk_request *req,
                                     long timeout_ms,
                                     struct whkp_response *response,
                                     char *error, size_t error_size)
{
    CURL *curl = handle ? handle : curl_easy_init();
    struct curl_slist *headers = NULL;
    struct sink sink = {0};
    char detail[CURL_ERROR_SIZE] = "";
    char *redacted = NULL;
    enum whkp_send_result result = WHKP_SEND_FAILED;
    CURLcode code;

    memset(response, 0, sizeof(*response));
    if (curl == NULL || (headers = build_headers(req)) == NULL) {
        snprintf(error, error_size, "out of memory preparing a request");
        goto out;
    }
    curl_easy_reset(curl);
    set_options(curl, url, timeout_ms, headers, &sink, response, detail);
    set_method(curl, req);

    code = curl_easy_perform(curl);
    if (code != CURLE_OK) {
        /* Messages never show the password of a URL's user information. */
        redacted = whkp_url_redact(url);
        if (sink.too_large || code == CURLE_FILESIZE_EXCEEDED)
            result =
                too_large(redacted ? redacted : "the URL", error, error_size);
        else
            result = classify(code, redacted ? redacted : "the URL", detail,
                              timeout_ms, error, error_size);
        whkp_response_clear(response);
        goto out;
    }
    fill_response(curl, &sink, response);
    result = WHKP_SEND_OK;

out:
    free(redacted);
    free(sink.data);
    curl_slist_free_all(headers);
    if (curl != NULL) {
        /* The handle outlives this call's buffers and header list. */
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
    }
    if (handle == NULL && curl != NULL)
        curl_easy_cleanup(curl);
    return result;
}
