/* SPDX-License-Identifier: MIT */
/* An HTTP server on loopback that hands whole requests to a callback. */
#ifndef WHK_SERVER_H
#define WHK_SERVER_H

#include "cli.h"

/* A request whose body has fully arrived. */
struct whkp_incoming {
    const char *method;
    const char *target;          /* the raw request target, as sent */
    struct whk_request *request; /* method, headers in wire order, body */
};

/*
 * The response a handler fills; the server releases what it points to.
 * Status 0 sends no response and closes the connection.
 */
struct whkp_reply {
    int status;
    char *content_type;
    struct whkp_header *headers; /* extra header lines */
    size_t header_count;
    char *body;
    size_t body_len;
};

struct whkp_server_handler {
    void *data;
    /*
     * Called on a connection's own thread for each request. *connection
     * is per-connection storage, NULL at first, handed to
     * connection_closed when the connection ends.
     */
    void (*handle)(void *data, void **connection,
                   const struct whkp_incoming *in, struct whkp_reply *reply);
    /* Called for a request the server rejected itself (413). */
    void (*rejected)(void *data, const char *method, const char *target,
                     int status, const char *reason);
    void (*connection_closed)(void *data, void *connection);
};

struct whkp_server_config {
    int port;                  /* 0 picks a free port */
    size_t max_body;           /* larger bodies get 413 */
    unsigned int idle_timeout; /* seconds a connection may stay idle */
    unsigned int max_connections;
};

struct whkp_server;

/*
 * Listens on 127.0.0.1 and, when the system has it and the port is free
 * there, ::1 at the same port. Each connection runs on its own thread, so
 * a handler may block.
 */
enum whk_status whkp_server_start(const struct whkp_server_config *config,
                                  const struct whkp_server_handler *handler,
                                  struct whkp_server **server,
                                  struct whk_error *err);

/* Returns the port the server listens on. */
int whkp_server_port(const struct whkp_server *server);

/* Returns 1 when the server also listens on ::1. */
int whkp_server_has_ipv6(const struct whkp_server *server);

/*
 * Returns why the server does not listen on ::1 ("cannot listen on
 * [::1]:PORT: Address already in use ..."), or NULL when it does, or when
 * the system has no IPv6 loopback.
 */
const char *whkp_server_ipv6_error(const struct whkp_server *server);

/*
 * Stops accepting, waits for the connection threads to finish and frees
 * the server. Accepts NULL.
 */
void whkp_server_stop(struct whkp_server *server);

void whkp_reply_clear(struct whkp_reply *reply);

/* Sets a reply's status, content type and a copy of body. */
int whkp_reply_set(struct whkp_reply *reply, int status,
                   const char *content_type, const char *body, size_t body_len);

#endif
