/* SPDX-License-Identifier: MIT */
/* The receiving side of whk listen, on libmicrohttpd. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"

struct whkp_server {
    struct MHD_Daemon *daemons[2]; /* 127.0.0.1, then ::1 */
    struct whkp_server_handler handler;
    size_t max_body;
    int port;
    pthread_mutex_t log_lock; /* the fields below */
    int starting;             /* messages go to startup_error */
    char startup_error[256];
    char ipv6_error[320];   /* why ::1 is not served, or empty */
    char last_message[256]; /* the last message printed */
    size_t repeats;         /* times it came again, not printed */
    size_t unanswered;      /* connections closed on purpose, whose
                               closure libmicrohttpd still reports */
};

/* libmicrohttpd 0.9.75's message when a handler returns MHD_NO. */
static const char handler_refused[] = "Application reported internal error";

/* One request on its way in: the raw target and the body so far. */
struct exchange {
    char *target;
    char *body;
    size_t len;
    size_t capacity;
    int started;
    int rejected; /* rejected with 400 or 413 before the body */
    int overflow; /* a chunked body passed the limit; the rest is dropped */
};

/* Per-connection storage for the handler. */
struct connection_slot {
    void *user;
};

void whkp_reply_clear(struct whkp_reply *reply)
{
    free(reply->content_type);
    free(reply->body);
    for (size_t i = 0; i < reply->header_count; i++) {
        free(reply->headers[i].name);
        free(reply->headers[i].value);
    }
    free(reply->headers);
    memset(reply, 0, sizeof(*reply));
}

int whkp_reply_set(struct whkp_reply *reply, int status,
                   const char *content_type, const char *body, size_t body_len)
{
    free(reply->content_type);
    free(reply->body);
    reply->status = status;
    reply->content_type = content_type ? strdup(content_type) : NULL;
    reply->body = malloc(body_len + 1);
    if (reply->body == NULL)
        return 0;
    memcpy(reply->body, body, body_len);
    reply->body[body_len] = '\0';
    reply->body_len = body_len;
    return 1;
}

/* Prints how often the last message came again; call with log_lock. */
static void flush_repeats(struct whkp_server *server)
{
    if (server->repeats > 0)
        whkp_warning("libmicrohttpd: %s (%zu more times)", server->last_message,
                     server->repeats);
    server->repeats = 0;
}

/*
 * Prints libmicrohttpd's messages as whk's warnings. A message that
 * repeats the one before (every connection open at a shutdown reports
 * its closure) is counted and printed once with the count.
 */
static void log_mhd(void *data, const char *format, va_list args)
{
    struct whkp_server *server = data;
    char text[256];
    size_t len;

    vsnprintf(text, sizeof(text), format, args);
    len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '.'))
        text[--len] = '\0';

    pthread_mutex_lock(&server->log_lock);
    if (server->starting) {
        snprintf(server->startup_error, sizeof(server->startup_error), "%s",
                 text);
    } else if (server->unanswered > 0 &&
               strncmp(text, handler_refused, strlen(handler_refused)) == 0) {
        server->unanswered--;
    } else if (strcmp(text, server->last_message) == 0) {
        server->repeats++;
    } else {
        flush_repeats(server);
        snprintf(server->last_message, sizeof(server->last_message), "%s",
                 text);
        whkp_warning("libmicrohttpd: %s", text);
    }
    pthread_mutex_unlock(&server->log_lock);
}

/* The raw request target arrives here, before any decoding. */
static void *on_uri(void *data, const char *uri,
                    struct MHD_Connection *connection)
{
    struct exchange *exchange = calloc(1, sizeof(*exchange));

    (void)data;
    (void)connection;
    if (exchange != NULL)
        exchange->target = strdup(uri);
    return exchange;
}

static void on_completed(void *data, struct MHD_Connection *connection,
                         void **context, enum MHD_RequestTerminationCode code)
{
    struct exchange *exchange = *context;

    (void)data;
    (void)connection;
    (void)code;
    if (exchange == NULL)
        return;
    free(exchange->target);
    free(exchange->body);
    free(exchange);
    *context = NULL;
}

static void on_connection(void *data, struct MHD_Connection *connection,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct whkp_server *server = data;
    struct connection_slot *slot = *socket_context;

    (void)connection;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(struct connection_slot));
        return;
    }
    if (slot != NULL && slot->user != NULL &&
        server->handler.connection_closed != NULL)
        server->handler.connection_closed(server->handler.data, slot->user);
    free(slot);
    *socket_context = NULL;
}

static enum MHD_Result queue_text(struct MHD_Connection *connection,
                                  unsigned int status, const char *text)
{
    struct MHD_Response *response = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result result;

    if (response == NULL)
        return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "text/plain; charset=utf-8");
    result = MHD_queue_response(connection, status, response);
    MHD_destroy_response(response);
    return result;
}

static enum MHD_Result
reject_too_large(struct whkp_server *server, struct MHD_Connection *connection,
                 const char *method, struct exchange *exchange, const char *why)
{
    char text[200];

    exchange->rejected = 1;
    snprintf(text, sizeof(text),
             "whk listen: the body is larger than the limit of %zu bytes "
             "(--max-body)\n",
             server->max_body);
    if (server->handler.rejected != NULL)
        server->handler.rejected(server->handler.data, method, exchange->target,
                                 413, why);
    return queue_text(connection, MHD_HTTP_CONTENT_TOO_LARGE, text);
}

/* Collects the Content-Length values of a request, to find two that differ. */
struct lengths {
    const char *first;
    int different;
};

static enum MHD_Result collect_length(void *data, enum MHD_ValueKind kind,
                                      const char *name, const char *value)
{
    struct lengths *lengths = data;

    (void)kind;
    if (strcasecmp(name, MHD_HTTP_HEADER_CONTENT_LENGTH) != 0 || value == NULL)
        return MHD_YES;
    if (lengths->first == NULL)
        lengths->first = value;
    else if (strcmp(lengths->first, value) != 0)
        lengths->different = 1;
    return MHD_YES;
}

/*
 * Rejects a request with two different Content-Length headers with 400,
 * because its body could end at either, as in request smuggling.
 */
static enum MHD_Result reject_two_lengths(struct whkp_server *server,
                                          struct MHD_Connection *connection,
                                          const char *method,
                                          struct exchange *exchange)
{
    exchange->rejected = 1;
    if (server->handler.rejected != NULL)
        server->handler.rejected(server->handler.data, method, exchange->target,
                                 400, "two different Content-Length headers");
    return queue_text(connection, MHD_HTTP_BAD_REQUEST,
                      "whk listen: the request has two different "
                      "Content-Length headers\n");
}

static int append_body(struct exchange *exchange, const char *data, size_t len)
{
    if (exchange->len + len + 1 > exchange->capacity) {
        size_t capacity = exchange->capacity ? exchange->capacity : 8192;
        char *grown;

        while (capacity < exchange->len + len + 1)
            capacity *= 2;
        grown = realloc(exchange->body, capacity);
        if (grown == NULL)
            return 0;
        exchange->body = grown;
        exchange->capacity = capacity;
    }
    memcpy(exchange->body + exchange->len, data, len);
    exchange->len += len;
    return 1;
}

static enum MHD_Result add_header(void *data, enum MHD_ValueKind kind,
                                  const char *key, size_t key_size,
                                  const char *value, size_t value_size)
{
    (void)kind;
    (void)key_size;
    (void)value_size;
    return whk_request_add_header(data, key, value) == WHK_OK ? MHD_YES
                                                              : MHD_NO;
}

static enum MHD_Result queue_reply(struct MHD_Connection *connection,
                                   struct whkp_reply *reply)
{
    struct MHD_Response *response;
    enum MHD_Result result;

    if (reply->body_len > 0) {
        response = MHD_create_response_from_buffer(reply->body_len, reply->body,
                                                   MHD_RESPMEM_MUST_FREE);
        if (response != NULL)
            reply->body = NULL;
    } else {
        response =
            MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    }
    if (response == NULL)
        return MHD_NO;
    if (reply->content_type != NULL)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                reply->content_type);
    for (size_t i = 0; i < reply->header_count; i++) {
        const char *name = reply->headers[i].name;

        /* libmicrohttpd writes its own Date and framing headers. */
        if (whkp_is_hop_header(name) || strcasecmp(name, "Date") == 0 ||
            strcasecmp(name, "Content-Type") == 0)
            continue;
        MHD_add_response_header(response, name, reply->headers[i].value);
    }
    result =
        MHD_queue_response(connection, (unsigned int)reply->status, response);
    MHD_destroy_response(response);
    return result;
}

static enum MHD_Result dispatch(struct whkp_server *server,
                                struct MHD_Connection *connection,
                                const char *method, struct exchange *exchange)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct connection_slot *slot = info ? info->socket_context : NULL;
    struct whkp_incoming in = {method, exchange->target, whk_request_new()};
    struct whkp_reply reply = {0};
    enum MHD_Result result;
    void *scratch = NULL;

    if (in.request == NULL ||
        whk_request_set_method(in.request, method) != WHK_OK ||
        MHD_get_connection_values_n(connection, MHD_HEADER_KIND, add_header,
                                    in.request) < 0 ||
        whk_request_set_body(in.request, exchange->body ? exchange->body : "",
                             exchange->len) != WHK_OK) {
        whk_request_free(in.request);
        return queue_text(connection, MHD_HTTP_INTERNAL_SERVER_ERROR,
                          "whk listen: out of memory\n");
    }
    server->handler.handle(server->handler.data, slot ? &slot->user : &scratch,
                           &in, &reply);
    if (scratch != NULL && server->handler.connection_closed != NULL)
        server->handler.connection_closed(server->handler.data, scratch);

    /* Status 0: the handler has no answer, so the connection closes. */
    if (reply.status != 0) {
        result = queue_reply(connection, &reply);
    } else {
        pthread_mutex_lock(&server->log_lock);
        server->unanswered++;
        pthread_mutex_unlock(&server->log_lock);
        result = MHD_NO;
    }
    whkp_reply_clear(&reply);
    whk_request_free(in.request);
    return result;
}

static enum MHD_Result on_request(void *data, struct MHD_Connection *connection,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **context)
{
    struct whkp_server *server = data;
    struct exchange *exchange = *context;

    (void)url;
    (void)version;
    if (exchange == NULL || exchange->target == NULL)
        return MHD_NO;
    if (!exchange->started) {
        const char *length = MHD_lookup_connection_value(
            connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        int64_t declared;
        struct lengths lengths = {0};

        exchange->started = 1;
        MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_length,
                                  &lengths);
        if (lengths.different)
            return reject_two_lengths(server, connection, method, exchange);
        /* A 413 can only be queued before the body is read. */
        if (length != NULL &&
            whk_parse_int64(length, strlen(length), &declared) &&
            declared > 0 && (uint64_t)declared > server->max_body)
            return reject_too_large(server, connection, method, exchange,
                                    "Content-Length is over the limit");
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t len = *upload_data_size;

        *upload_data_size = 0;
        if (exchange->rejected || exchange->overflow)
            return MHD_YES;
        /*
         * A chunked body has no length up front. libmicrohttpd 0.9.75
         * cannot queue a response before the body ends, so the rest is
         * read and dropped, and the 413 goes out at the end.
         */
        if (exchange->len + len > server->max_body) {
            exchange->overflow = 1;
            return MHD_YES;
        }
        return append_body(exchange, upload_data, len) ? MHD_YES : MHD_NO;
    }
    if (exchange->rejected)
        return MHD_YES;
    if (exchange->overflow)
        return reject_too_large(server, connection, method, exchange,
                                "the chunked body grew over the limit");
    return dispatch(server, connection, method, exchange);
}

static struct MHD_Daemon *start_daemon(struct whkp_server *server,
                                       const struct whkp_server_config *cfg,
                                       int ipv6, int port)
{
    struct sockaddr_in v4 = {0};
    struct sockaddr_in6 v6 = {0};
    struct sockaddr *address;
    unsigned int flags = MHD_USE_THREAD_PER_CONNECTION |
                         MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

    if (ipv6) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons((uint16_t)port);
        v6.sin6_addr = in6addr_loopback;
        address = (struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
    } else {
        v4.sin_family = AF_INET;
        v4.sin_port = htons((uint16_t)port);
        v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address = (struct sockaddr *)&v4;
    }
    return MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, server,
        MHD_OPTION_SOCK_ADDR, address, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
        server, MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, server,
        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, server,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->idle_timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->max_connections,
        MHD_OPTION_END);
}

/*
 * Returns the errno of binding [::1]:port the way libmicrohttpd binds it
 * (SO_REUSEADDR set), or 0 when the bind succeeds.
 */
static int ipv6_bind_error(int port)
{
    struct sockaddr_in6 v6 = {0};
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1, error = 0;

    if (fd < 0)
        return errno;
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons((uint16_t)port);
    v6.sin6_addr = in6addr_loopback;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&v6, sizeof(v6)) != 0)
        error = errno;
    close(fd);
    return error;
}

/*
 * Explains a failure to listen on ::1 in ipv6_error, unless the system
 * has no IPv6 loopback, which is no fault.
 */
static void explain_ipv6(struct whkp_server *server)
{
    int error = ipv6_bind_error(server->port);

    if (error == EAFNOSUPPORT || error == EADDRNOTAVAIL)
        return;
    snprintf(server->ipv6_error, sizeof(server->ipv6_error),
             "cannot listen on [::1]:%d: %s%s", server->port,
             error                      ? strerror(error)
             : server->startup_error[0] ? server->startup_error
                                        : "unknown error",
             error == EADDRINUSE ? " (another program listens there)" : "");
}

enum whk_status whkp_server_start(const struct whkp_server_config *config,
                                  const struct whkp_server_handler *handler,
                                  struct whkp_server **server_out,
                                  struct whk_error *err)
{
    struct whkp_server *server = calloc(1, sizeof(*server));
    const union MHD_DaemonInfo *info;

    if (server == NULL)
        return whk_error_set(err, WHK_ERR_NO_MEMORY, "out of memory");
    server->handler = *handler;
    server->max_body = config->max_body;
    server->starting = 1;
    pthread_mutex_init(&server->log_lock, NULL);
    server->daemons[0] = start_daemon(server, config, 0, config->port);
    if (server->daemons[0] == NULL) {
        whk_error_set(err, WHK_ERR_IO,
                      "cannot listen on 127.0.0.1:%d: %s; choose another "
                      "port with --port",
                      config->port,
                      server->startup_error[0] ? server->startup_error
                                               : "unknown error");
        pthread_mutex_destroy(&server->log_lock);
        free(server);
        return WHK_ERR_IO;
    }
    info = MHD_get_daemon_info(server->daemons[0], MHD_DAEMON_INFO_BIND_PORT);
    server->port = info ? info->port : config->port;

    /* A tunnel may connect to "localhost" as ::1. */
    server->startup_error[0] = '\0';
    server->daemons[1] = start_daemon(server, config, 1, server->port);
    if (server->daemons[1] == NULL)
        explain_ipv6(server);
    pthread_mutex_lock(&server->log_lock);
    server->starting = 0;
    pthread_mutex_unlock(&server->log_lock);
    *server_out = server;
    return WHK_OK;
}

int whkp_server_port(const struct whkp_server *server)
{
    return server->port;
}

int whkp_server_has_ipv6(const struct whkp_server *server)
{
    return server->daemons[1] != NULL;
}

const char *whkp_server_ipv6_error(const struct whkp_server *server)
{
    return server->ipv6_error[0] ? server->ipv6_error : NULL;
}

void whkp_server_stop(struct whkp_server *server)
{
    if (server == NULL)
        return;
    for (int i = 0; i < 2; i++) {
        if (server->daemons[i] != NULL)
            MHD_stop_daemon(server->daemons[i]);
    }
    pthread_mutex_lock(&server->log_lock);
    flush_repeats(server);
    pthread_mutex_unlock(&server->log_lock);
    pthread_mutex_destroy(&server->log_lock);
    free(server);
}
