/* SPDX-License-Identifier: MIT */
/* Endpoint challenges: recognized and replied to by listen, sent by test. */
#ifndef WHK_CHALLENGE_H
#define WHK_CHALLENGE_H

#include "server.h"

struct whkp_tester;

/*
 * Returns the provider's challenge that req is, or NULL: every "match"
 * condition is true and the token is present. target is the raw request
 * target, whose query the "query:" locations read. A challenge without
 * match conditions or token (Xero's intent to receive) never matches.
 */
const struct whk_challenge *whkp_challenge_find(const struct whk_descriptor *d,
                                                const struct whk_request *req,
                                                const char *target);

/*
 * Fills reply with the response the provider expects to challenge c, as a
 * stand-in for the app. A verify token that differs from the one in the
 * challenge's variable gets 403. Returns 0 when memory runs out.
 */
int whkp_challenge_reply(const struct whk_challenge *c,
                         const struct whk_request *req, const char *target,
                         struct whk_span secret, struct whkp_reply *reply);

/*
 * Returns the status an app must respond with to an invalid signature: the
 * a challenge requires (Xero: 401), else 403.
 */
int whkp_challenge_invalid_status(const struct whk_descriptor *d);

/* Prints a note per challenge that whk listen answers. */
void whkp_challenge_announce(const struct whk_descriptor *d);

/*
 * Sends each challenge to the endpoint and checks the answer, adding a
 * check per challenge (and per invalid_status) to t. Returns 0 when the
 * run must stop: the endpoint is unreachable.
 */
int whkp_test_challenges(struct whkp_tester *t);

/*
 * Expands a challenge template: {token}, {verify_token} and {hmac}. With
 * encode, values are form-encoded for a query string. Returns a string
 * released with free(), or NULL.
 */
char *whkp_challenge_expand(const struct whk_challenge *c, const char *template,
                            const char *token, const char *verify_token,
                            struct whk_span secret, int encode);

#endif
