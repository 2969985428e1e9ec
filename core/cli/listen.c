/* SPDX-License-Identifier: MIT */
/* whk listen's handling of one delivery: verify, capture, respond, log. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "challenge.h"
#include "judge.h"
#include "listen.h"

/* The source of the response to a delivery. */
enum outcome {
    OUTCOME_APP,         /* forwarded; the app's response */
    OUTCOME_STAND_IN,    /* no app; the provider's expected response */
    OUTCOME_REJECTED,    /* 403 for an invalid signature */
    OUTCOME_UNREACHABLE, /* 502: the app could not be reached */
    OUTCOME_CLOSED,      /* 502: it closed the connection, no response */
    OUTCOME_INCOMPLETE,  /* 502: it closed the connection mid-response */
    OUTCOME_INVALID,     /* 502: its response is not HTTP */
    OUTCOME_TOO_LARGE,   /* 502: its response body is over 16 MiB */
    OUTCOME_FAILED,      /* 502: another transfer error */
    OUTCOME_TIMED_OUT,   /* 504: the app did not respond in time */
    OUTCOME_CANCELLED,   /* no response: whk listen is stopping */
    OUTCOME_CHALLENGE,   /* no app; the answer to an endpoint challenge */
    OUTCOME_NOT_CAPTURED /* no app; 500, the record could not be written */
};

static const char *const outcome_words[] = {"app",
                                            "stand-in",
                                            "rejected",
                                            "app unreachable",
                                            "app closed the connection",
                                            "incomplete response from the app",
                                            "invalid response from the app",
                                            "response from the app too large",
                                            "request to the app failed",
                                            "app timed out",
                                            "cancelled by the shutdown",
                                            "challenge answered",
                                            "not captured"};

/* The outcome of one delivery, for the record and the log line. */
struct delivery {
    struct timespec start;
    char received_at[32];
    char id[48];
    char *url;
    char *key;
    int duplicate;
    const char *challenge; /* an unsigned challenge's name, or NULL */
    struct whk_verdict *verdict;
    enum outcome outcome;
    char error[512]; /* why the app sent no response */
    int status;
    double seconds;
};

static void format_time(const struct timespec *when, char *out, size_t size)
{
    struct tm tm;

    char seconds[24];

    gmtime_r(&when->tv_sec, &tm);
    strftime(seconds, sizeof(seconds), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, size, "%s.%03dZ", seconds, (int)(when->tv_nsec / 1000000));
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) +
           (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/*
 * The URL the provider signed: the public base followed by the raw
 * target, or, without a base, rebuilt from Host and X-Forwarded-Proto as
 * a tunnel sends them.
 */
static char *signed_url(const struct whkp_listener *l,
                        const struct whkp_incoming *in)
{
    const char *host = whk_request_header(in->request, "Host");
    const char *proto = whk_request_header(in->request, "X-Forwarded-Proto");
    char *url;

    if (l->public_base != NULL)
        return whkp_public_url(l->public_base, in->target);
    if (host == NULL || in->target[0] != '/')
        return NULL;
    if (proto == NULL || *proto == '\0')
        proto = "http";
    if (asprintf(&url, "%.*s://%s%s", (int)strcspn(proto, ", "), proto, host,
                 in->target) < 0)
        return NULL;
    return url;
}

static void verify(struct whkp_listener *l, const struct whkp_incoming *in,
                   struct delivery *d)
{
    struct whk_context *ctx = whk_context_new();
    size_t body_len;
    const char *body = whk_request_body(in->request, &body_len);

    d->url = signed_url(l, in);
    if (d->url != NULL)
        whk_request_set_url(in->request, d->url);
    if (ctx != NULL)
        whk_context_set_tolerance(ctx, l->tolerance);
    if (ctx != NULL && d->verdict != NULL)
        whk_provider_verify(l->provider, ctx, in->request,
                            whkp_secret_span(&l->secret), d->verdict);
    whk_context_free(ctx);

    /*
     * Only genuine deliveries count, so a forgery that copies a real body
     * does not make the real delivery look like a repeat.
     * NOTE: only deliveries since this listener started are compared.
     */
    d->key = whkp_idempotency_key(l->descriptor, in->request, NULL);
    if (d->key != NULL && d->verdict != NULL &&
        whk_verdict_status(d->verdict) == WHK_VALID)
        d->duplicate = whkp_seen_add(l->seen, d->key, body, body_len) == 1;
}

/* Records a challenge that the provider sends unsigned, so unverified. */
static void unsigned_challenge(struct whkp_listener *l,
                               const struct whk_challenge *challenge,
                               const struct whkp_incoming *in,
                               struct delivery *d)
{
    d->url = signed_url(l, in);
    d->challenge = challenge->name;
    if (d->verdict != NULL)
        whk_verdict_set(d->verdict, WHK_NOT_APPLICABLE, WHK_REASON_NONE,
                        "the '%s' challenge is sent unsigned", challenge->name);
}

static const char *verdict_word(const struct whk_verdict *verdict)
{
    switch (whk_verdict_status(verdict)) {
    case WHK_VALID:
        return "valid";
    case WHK_INVALID:
        return "invalid";
    case WHK_NOT_APPLICABLE:
        break;
    }
    return "not applicable";
}

/*
 * Appends the delivery to the capture log before the response. Returns 0
 * when the record could not be written.
 */
static int capture(struct whkp_listener *l, const struct whkp_incoming *in,
                   struct delivery *d)
{
    struct whk_error err = {0};
    struct whkp_record record = {
        /* The record borrows these strings; it is never cleared. */
        .id = d->id,
        .provider = (char *)whk_provider_name(l->provider),
        .received_at = d->received_at,
        .target = (char *)in->target,
        .url = d->url,
        .request = in->request,
        .verdict = (char *)verdict_word(d->verdict),
        .reason = (char *)whk_reason_name(whk_verdict_reason(d->verdict)),
        .key = d->key,
        .duplicate = d->duplicate,
        .challenge = (char *)d->challenge,
    };

    if (whkp_capture_append(l->capture, &record, &err) == WHK_OK)
        return 1;
    pthread_mutex_lock(&l->lock);
    /* One message is enough: a full disk fails every later record too. */
    if (l->counts.capture_errors++ == 0)
        whkp_error("%s; %s", err.text,
                   l->forward ? "deliveries are still forwarded, but not "
                                "captured"
                              : "deliveries get 500, so that the provider "
                                "sends them again, until records can be "
                                "written");
    pthread_mutex_unlock(&l->lock);
    return 0;
}

/*
 * Responds 500 in place of the stand-in when the record was not written,
 * because the delivery is then recorded nowhere; the provider retries it.
 */
static void not_captured(struct whkp_reply *reply, struct delivery *d)
{
    static const char text[] =
        "whk listen: the delivery could not be written to the capture "
        "log\n";

    whkp_reply_set(reply, 500, "text/plain; charset=utf-8", text,
                   sizeof(text) - 1);
    d->outcome = OUTCOME_NOT_CAPTURED;
}

static void stand_in(const struct whkp_listener *l, struct whkp_reply *reply,
                     struct delivery *d)
{
    const struct whk_response_decl *r = &l->descriptor->response;
    const char *body = r->body ? r->body : "";

    whkp_reply_set(reply, r->status ? r->status : 200, r->content_type, body,
                   strlen(body));
    d->outcome = OUTCOME_STAND_IN;
}

static void answer_challenge(const struct whkp_listener *l,
                             const struct whk_challenge *challenge,
                             const struct whkp_incoming *in,
                             struct whkp_reply *reply, struct delivery *d)
{
    if (!whkp_challenge_reply(challenge, in->request, in->target,
                              whkp_secret_span(&l->secret), reply))
        whkp_reply_set(reply, 500, "text/plain; charset=utf-8",
                       "whk listen: out of memory\n", 26);
    d->outcome = OUTCOME_CHALLENGE;
}

static void reject(const struct whkp_listener *l, struct whkp_reply *reply,
                   struct delivery *d)
{
    char *text = NULL;

    if (asprintf(&text,
                 "whk listen: rejected, the signature is invalid: %s\n"
                 "(not forwarded; run whk listen with --no-enforce to "
                 "forward it anyway)\n",
                 whk_verdict_text(d->verdict)) < 0)
        text = NULL;
    whkp_reply_set(reply, whkp_challenge_invalid_status(l->descriptor),
                   "text/plain; charset=utf-8", text ? text : "",
                   text ? strlen(text) : 0);
    free(text);
    d->outcome = OUTCOME_REJECTED;
}

/* Moves the app's status, headers and body into the reply. */
static void relay(struct whkp_response *response, struct whkp_reply *reply)
{
    reply->status = (int)response->status;
    reply->content_type = response->content_type;
    reply->body = response->body;
    reply->body_len = response->body_len;
    reply->headers = response->headers;
    reply->header_count = response->header_count;
    memset(response, 0, sizeof(*response));
}

static enum outcome forward_outcome(enum whkp_send_result result)
{
    switch (result) {
    case WHKP_SEND_OK:
        return OUTCOME_APP;
    case WHKP_SEND_UNREACHABLE:
        return OUTCOME_UNREACHABLE;
    case WHKP_SEND_TIMEOUT:
        return OUTCOME_TIMED_OUT;
    case WHKP_SEND_ABORTED:
        return OUTCOME_CANCELLED;
    case WHKP_SEND_CLOSED:
        return OUTCOME_CLOSED;
    case WHKP_SEND_INCOMPLETE:
        return OUTCOME_INCOMPLETE;
    case WHKP_SEND_INVALID:
        return OUTCOME_INVALID;
    case WHKP_SEND_TOO_LARGE:
        return OUTCOME_TOO_LARGE;
    case WHKP_SEND_FAILED:
        break;
    }
    return OUTCOME_FAILED;
}

static void forward(struct whkp_listener *l, void **connection,
                    const struct whkp_incoming *in, struct whkp_reply *reply,
                    struct delivery *d)
{
    struct whkp_response response;
    enum whkp_send_result result;
    char *url = NULL, *text = NULL;
    size_t base_len = strlen(l->forward);

    while (base_len > 0 && l->forward[base_len - 1] == '/')
        base_len--;
    if (*connection == NULL)
        *connection = whkp_http_handle_new();
    if (asprintf(&url, "%.*s%s", (int)base_len, l->forward, in->target) < 0)
        url = NULL;

    result = url ? whkp_http_send(*connection, url, in->request,
                                  l->upstream_timeout_ms, &response, d->error,
                                  sizeof(d->error))
                 : WHKP_SEND_FAILED;
    d->outcome = forward_outcome(result);
    if (result == WHKP_SEND_OK) {
        relay(&response, reply);
    } else if (result == WHKP_SEND_ABORTED) {
        /* The server is stopping and closes the connection unanswered. */
        reply->status = 0;
    } else {
        if (url == NULL)
            snprintf(d->error, sizeof(d->error), "out of memory");
        if (asprintf(&text, "whk listen: %s%s\n", d->error,
                     result == WHKP_SEND_UNREACHABLE
                         ? "; is the app running? start it, or fix "
                           "--forward"
                         : "") < 0)
            text = NULL;
        whkp_reply_set(reply, result == WHKP_SEND_TIMEOUT ? 504 : 502,
                       "text/plain; charset=utf-8", text ? text : "",
                       text ? strlen(text) : 0);
    }
    free(text);
    free(url);
}

/* Returns 1 for the outcomes that get 502 or 504 because of the app. */
static int is_upstream_error(enum outcome outcome)
{
    switch (outcome) {
    case OUTCOME_UNREACHABLE:
    case OUTCOME_CLOSED:
    case OUTCOME_INCOMPLETE:
    case OUTCOME_INVALID:
    case OUTCOME_TOO_LARGE:
    case OUTCOME_FAILED:
    case OUTCOME_TIMED_OUT:
        return 1;
    default:
        return 0;
    }
}

static void count(struct whkp_listener *l, const struct delivery *d)
{
    struct whkp_listen_counts *c = &l->counts;

    c->deliveries++;
    switch (whk_verdict_status(d->verdict)) {
    case WHK_VALID:
        c->valid++;
        break;
    case WHK_INVALID:
        c->invalid++;
        break;
    case WHK_NOT_APPLICABLE:
        c->not_applicable++;
        break;
    }
    c->duplicates += d->duplicate;
    c->rejected += d->outcome == OUTCOME_REJECTED;
    c->forwarded += d->outcome == OUTCOME_APP;
    c->cancelled += d->outcome == OUTCOME_CANCELLED;
    if (is_upstream_error(d->outcome)) {
        /* Said once; the log lines and the summary count the rest. */
        if (c->upstream_errors++ == 0)
            whkp_warning("%s", d->error);
    }
}

/* Warns that the answer came after the provider's timeout, with its fix. */
static void warn_slow(const struct whkp_listener *l,
                      const struct whkp_incoming *in, const struct delivery *d)
{
    const struct whk_descriptor *desc = l->descriptor;
    const struct whk_failure *failure =
        whkp_failure_for(desc, WHK_REASON_TIMEOUT);
    char *limit = whkp_describe_timeout(desc, (long)desc->timeout_ms);

    whkp_warning("%s %s took %.1f s, longer than %s%s%s", in->method,
                 in->target, d->seconds, limit ? limit : "the timeout",
                 failure ? "; fix: " : "", failure ? failure->fix : "");
    free(limit);
}

/* One line per delivery, then the verdict's reason when invalid. */
static void log_delivery(struct whkp_listener *l,
                         const struct whkp_incoming *in,
                         const struct delivery *d)
{
    const struct whk_descriptor *desc = l->descriptor;
    int slow = desc->timeout_ms > 0 && d->seconds * 1000 > desc->timeout_ms;
    const char *repeat = "";
    char status[16] = "no response";

    if (d->key != NULL && d->verdict != NULL &&
        whk_verdict_status(d->verdict) == WHK_VALID)
        repeat = d->duplicate ? " duplicate" : " new";

    pthread_mutex_lock(&l->lock);
    count(l, d);
    l->counts.slow += slow;
    if (d->status > 0)
        snprintf(status, sizeof(status), "%d", d->status);
    if (!l->quiet) {
        whkp_printf("%s %s %s %s%s%s key=%s%s -> %s (%s) %.1f ms id=%s\n",
                    d->received_at, in->method, in->target,
                    verdict_word(d->verdict),
                    whk_verdict_status(d->verdict) == WHK_VALID ? "" : ": ",
                    whk_verdict_status(d->verdict) == WHK_VALID
                        ? ""
                        : whk_verdict_text(d->verdict),
                    d->key ? d->key : "-", repeat, status,
                    outcome_words[d->outcome], d->seconds * 1000, d->id);
        fflush(stdout);
    }
    if (slow)
        warn_slow(l, in, d);
    pthread_mutex_unlock(&l->lock);
}

void whkp_listen_handle(void *data, void **connection,
                        const struct whkp_incoming *in,
                        struct whkp_reply *reply)
{
    struct whkp_listener *l = data;
    const struct whk_challenge *challenge;
    struct delivery d = {0};
    struct timespec wall;
    size_t sequence;
    int captured;

    clock_gettime(CLOCK_MONOTONIC, &d.start);
    clock_gettime(CLOCK_REALTIME, &wall);
    format_time(&wall, d.received_at, sizeof(d.received_at));
    pthread_mutex_lock(&l->lock);
    sequence = ++l->next_id;
    pthread_mutex_unlock(&l->lock);
    snprintf(d.id, sizeof(d.id), "%s-%zu", l->run_id, sequence);
    d.verdict = whk_verdict_new();

    /* A challenge that is not signed is answered, or forwarded, as is. */
    challenge = whkp_challenge_find(l->descriptor, in->request, in->target);
    if (challenge != NULL && !challenge->is_signed)
        unsigned_challenge(l, challenge, in, &d);
    else
        verify(l, in, &d);
    captured = capture(l, in, &d);
    if (challenge != NULL && !challenge->is_signed && l->forward == NULL)
        answer_challenge(l, challenge, in, reply, &d);
    else if (whk_verdict_status(d.verdict) == WHK_INVALID && l->enforce &&
             (challenge == NULL || challenge->is_signed))
        reject(l, reply, &d);
    else if (challenge != NULL && l->forward == NULL)
        answer_challenge(l, challenge, in, reply, &d);
    else if (l->forward != NULL)
        forward(l, connection, in, reply, &d);
    else if (!captured)
        not_captured(reply, &d);
    else
        stand_in(l, reply, &d);

    d.status = reply->status;
    d.seconds = seconds_since(&d.start);
    log_delivery(l, in, &d);
    whk_verdict_free(d.verdict);
    free(d.url);
    free(d.key);
}

void whkp_listen_rejected(void *data, const char *method, const char *target,
                          int status, const char *reason)
{
    struct whkp_listener *l = data;
    struct timespec wall;
    char when[32];

    clock_gettime(CLOCK_REALTIME, &wall);
    format_time(&wall, when, sizeof(when));
    pthread_mutex_lock(&l->lock);
    if (status == 413)
        l->counts.too_large++;
    else
        l->counts.malformed++;
    if (!l->quiet) {
        whkp_printf("%s %s %s -> %d (%s; not captured)\n", when, method, target,
                    status, reason);
        fflush(stdout);
    }
    pthread_mutex_unlock(&l->lock);
}

void whkp_listen_connection_closed(void *data, void *connection)
{
    (void)data;
    whkp_http_handle_free(connection);
}
