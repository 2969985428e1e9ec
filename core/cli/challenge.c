/* SPDX-License-Identifier: MIT */
/* Endpoint challenges: reading locations, templates, stand-in responses. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "challenge.h"

/* Follows an RFC 6901 JSON Pointer; returns the value or NULL. */
static json_t *pointer_get(json_t *value, const char *pointer)
{
    while (value != NULL && *pointer == '/') {
        size_t len = strcspn(pointer + 1, "/"), used = 0;
        char name[256];

        for (size_t i = 0; i < len && used + 1 < sizeof(name); i++) {
            char c = pointer[1 + i];

            if (c == '~' && i + 1 < len && strchr("01", pointer[2 + i]))
                c = pointer[2 + i++] == '1' ? '/' : '~';
            name[used++] = c;
        }
        name[used] = '\0';
        if (json_is_array(value)) {
            char *end;
            unsigned long index = strtoul(name, &end, 10);

            value =
                *end == '\0' && used > 0 ? json_array_get(value, index) : NULL;
        } else {
            value = json_object_get(value, name);
        }
        pointer += 1 + len;
    }
    return value;
}

/* Reads a "json:/..." location of the body as text, or NULL. */
static char *json_location(const struct whk_request *req, const char *pointer)
{
    size_t len;
    const char *body = whk_request_body(req, &len);
    json_t *root = json_loadb(body, len, 0, NULL);
    json_t *value = pointer_get(root, pointer);
    char *text = NULL;

    if (json_is_string(value))
        text = strdup(json_string_value(value));
    else if (value != NULL)
        text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    json_decref(root);
    return text;
}

/*
 * Reads the value at location (without any "=VALUE") of a request whose
 * raw target is target; NULL when absent. Released with free().
 */
static char *read_location(const char *location, size_t len,
                           const struct whk_request *req, const char *target)
{
    char *name = strndup(location, len), *value = NULL, *url = NULL;
    const char *colon = name ? strchr(name, ':') : NULL;

    if (name != NULL && strcmp(name, "method") == 0) {
        value = strdup(whk_request_method(req));
        goto out;
    }
    if (colon == NULL)
        goto out;
    if (strncmp(name, "header:", 7) == 0) {
        const char *header = whk_request_header(req, colon + 1);

        value = header ? strdup(header) : NULL;
    } else if (strncmp(name, "json:", 5) == 0) {
        value = json_location(req, colon + 1);
    } else if (strncmp(name, "query:", 6) == 0 && target != NULL &&
               asprintf(&url, "http://localhost%s", target) >= 0) {
        char *found = NULL;

        if (whk_url_query_get(url, colon + 1, &found, NULL) == WHK_OK)
            value = strdup(found);
        whk_free(found);
    }

out:
    free(url);
    free(name);
    return value;
}

/* Returns 1 when condition "LOCATION" or "LOCATION=VALUE" holds. */
static int holds(const char *condition, const struct whk_request *req,
                 const char *target)
{
    const char *equals = strchr(condition, '=');
    size_t len = equals ? (size_t)(equals - condition) : strlen(condition);
    char *value = read_location(condition, len, req, target);
    int ok =
        value != NULL && (equals == NULL || strcmp(value, equals + 1) == 0);

    free(value);
    return ok;
}

const struct whk_challenge *whkp_challenge_find(const struct whk_descriptor *d,
                                                const struct whk_request *req,
                                                const char *target)
{
    for (const struct whk_challenge *c = d->challenges; c && c->name; c++) {
        int ok = c->match != NULL || c->token != NULL;

        for (const char *const *m = c->match; ok && m && *m; m++)
            ok = holds(*m, req, target);
        if (ok && c->token != NULL)
            ok = holds(c->token, req, target);
        if (ok)
            return c;
    }
    return NULL;
}

int whkp_challenge_invalid_status(const struct whk_descriptor *d)
{
    for (const struct whk_challenge *c = d->challenges; c && c->name; c++) {
        if (c->invalid_status != 0)
            return c->invalid_status;
    }
    return 403;
}

/* Appends text[0..len) to *out, growing it; returns 0 on failure. */
static int append(char **out, size_t *used, const char *text, size_t len)
{
    char *grown = realloc(*out, *used + len + 1);

    if (grown == NULL)
        return 0;
    memcpy(grown + *used, text, len);
    *used += len;
    grown[*used] = '\0';
    *out = grown;
    return 1;
}

/* The HMAC of token keyed with the secret, encoded as c declares. */
static char *token_hmac(const struct whk_challenge *c, const char *token,
                        struct whk_span secret)
{
    struct whk_span part = {token, strlen(token)};
    char *encoded = NULL, *copy = NULL;

    if (c->hmac_hash == 0 ||
        whk_hmac_encoded(c->hmac_hash, secret.ptr, secret.len, &part, 1,
                         c->hmac_encoding, &encoded, NULL) != WHK_OK)
        return NULL;
    copy = strdup(encoded);
    whk_free(encoded);
    return copy;
}

/* Returns the value a placeholder name[0..len) stands for, or NULL. */
static char *placeholder(const struct whk_challenge *c, const char *name,
                         size_t len, const char *token,
                         const char *verify_token, struct whk_span secret)
{
    if (len == 5 && memcmp(name, "token", 5) == 0)
        return strdup(token ? token : "");
    if (len == 12 && memcmp(name, "verify_token", 12) == 0)
        return strdup(verify_token ? verify_token : "");
    if (len == 4 && memcmp(name, "hmac", 4) == 0)
        return token_hmac(c, token ? token : "", secret);
    return NULL;
}

char *whkp_challenge_expand(const struct whk_challenge *c, const char *template,
                            const char *token, const char *verify_token,
                            struct whk_span secret, int encode)
{
    char *out = strdup(""), *value;
    size_t used = 0;
    const char *at = template;

    while (out != NULL && *at != '\0') {
        const char *open = strchr(at, '{'), *close;

        if (open == NULL)
            open = at + strlen(at);
        if (!append(&out, &used, at, (size_t)(open - at)))
            break;
        if (*open == '\0')
            return out;
        close = strchr(open, '}');
        value = close ? placeholder(c, open + 1, (size_t)(close - open - 1),
                                    token, verify_token, secret)
                      : NULL;
        if (value == NULL) {
            append(&out, &used, "{", 1);
            at = open + 1;
            continue;
        }
        if (encode) {
            char *encoded = whk_form_encode(value, strlen(value));

            free(value);
            value = encoded ? strdup(encoded) : NULL;
            whk_free(encoded);
        }
        if (value == NULL || !append(&out, &used, value, strlen(value))) {
            free(value);
            break;
        }
        free(value);
        at = close + 1;
    }
    if (out != NULL && *at == '\0')
        return out;
    free(out);
    return NULL;
}

/* Adds the challenge's "Name: template" response headers to reply. */
static int add_headers(const struct whk_challenge *c, const char *token,
                       struct whk_span secret, struct whkp_reply *reply)
{
    size_t count = 0;

    for (const char *const *h = c->response_headers; h && *h; h++)
        count++;
    if (count == 0)
        return 1;
    reply->headers = calloc(count, sizeof(*reply->headers));
    if (reply->headers == NULL)
        return 0;
    for (size_t i = 0; i < count; i++) {
        const char *line = c->response_headers[i];
        const char *colon = strchr(line, ':');
        const char *value = colon + 1 + strspn(colon + 1, " \t");

        reply->headers[i].name = strndup(line, (size_t)(colon - line));
        reply->headers[i].value =
            whkp_challenge_expand(c, value, token, NULL, secret, 0);
        reply->header_count++;
        if (!reply->headers[i].name || !reply->headers[i].value)
            return 0;
    }
    return 1;
}

/* Returns 1 when the request's verify token is the app's, or unchecked. */
static int verify_token_ok(const struct whk_challenge *c,
                           const struct whk_request *req, const char *target)
{
    const char *expected =
        c->verify_token_env ? getenv(c->verify_token_env) : NULL;
    char *got;
    int ok;

    if (c->verify_token == NULL || expected == NULL || *expected == '\0')
        return 1;
    got = read_location(c->verify_token, strlen(c->verify_token), req, target);
    ok = got != NULL && strcmp(got, expected) == 0;
    free(got);
    return ok;
}

int whkp_challenge_reply(const struct whk_challenge *c,
                         const struct whk_request *req, const char *target,
                         struct whk_span secret, struct whkp_reply *reply)
{
    char *token = NULL, *body = NULL;
    int ok;

    if (!verify_token_ok(c, req, target))
        return whkp_reply_set(reply, 403, "text/plain; charset=utf-8",
                              "whk listen: the verify token differs from "
                              "the one in the app's variable\n",
                              strlen("whk listen: the verify token differs "
                                     "from the one in the app's "
                                     "variable\n"));
    if (c->token != NULL)
        token = read_location(c->token, strlen(c->token), req, target);
    body = whkp_challenge_expand(c, c->response_body ? c->response_body : "",
                                 token, NULL, secret, 0);
    ok = body != NULL &&
         whkp_reply_set(reply, c->status ? c->status : 200,
                        c->response_content_type, body, strlen(body)) &&
         add_headers(c, token, secret, reply);
    free(token);
    free(body);
    return ok;
}

void whkp_challenge_announce(const struct whk_descriptor *d)
{
    for (const struct whk_challenge *c = d->challenges; c && c->name; c++) {
        if (c->match == NULL && c->token == NULL)
            continue;
        whkp_note("answers the '%s' challenge when no app is forwarded to: "
                  "%s",
                  c->name, c->description);
        if (c->verify_token_env != NULL && getenv(c->verify_token_env) == NULL)
            whkp_note("%s is unset, so any verify token is accepted",
                      c->verify_token_env);
    }
}
