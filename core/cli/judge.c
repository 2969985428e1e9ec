/* SPDX-License-Identifier: MIT */
/* Judging an endpoint's response: status, media type, body and latency. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <jansson.h>

#include "judge.h"

void whkp_judgement_clear(struct whkp_judgement *judgement)
{
    for (size_t i = 0; i < judgement->problem_count; i++)
        free(judgement->problems[i]);
    free(judgement->summary);
    memset(judgement, 0, sizeof(*judgement));
}

static void add_problem(struct whkp_judgement *judgement,
                        enum whk_reason reason, const char *format, ...)
    WHK_PRINTF(3, 4);

static void add_problem(struct whkp_judgement *judgement,
                        enum whk_reason reason, const char *format, ...)
{
    va_list args;
    char *text;

    if (judgement->problem_count == WHKP_MAX_PROBLEMS)
        return;
    va_start(args, format);
    if (vasprintf(&text, format, args) < 0)
        text = NULL;
    va_end(args);
    if (text == NULL)
        return;
    if (judgement->problem_count == 0)
        judgement->reason = reason;
    judgement->problems[judgement->problem_count++] = text;
}

void whkp_media_type(const char *content_type, char *out, size_t size)
{
    size_t n = 0;

    if (size == 0)
        return;
    while (content_type != NULL && isspace((unsigned char)*content_type))
        content_type++;
    for (; content_type != NULL && *content_type && *content_type != ';' &&
           !isspace((unsigned char)*content_type) && n + 1 < size;
         content_type++)
        out[n++] = (char)tolower((unsigned char)*content_type);
    out[n] = '\0';
}

/* Records the first element's name: the document's root. */
static void XMLCALL on_start(void *data, const XML_Char *name,
                             const XML_Char **attributes)
{
    char **root = data;

    (void)attributes;
    if (*root == NULL)
        *root = strdup(name);
}

int whkp_check_xml(const char *body, size_t len, char *root, size_t root_size,
                   char *error, size_t error_size)
{
    XML_Parser parser = XML_ParserCreate(NULL);
    char *first = NULL;
    int ok;

    if (parser == NULL) {
        snprintf(error, error_size, "out of memory");
        return 0;
    }
    XML_SetUserData(parser, &first);
    XML_SetStartElementHandler(parser, on_start);
    ok = len <= (size_t)INT32_MAX &&
         XML_Parse(parser, body, (int)len, 1) == XML_STATUS_OK;
    if (!ok)
        snprintf(error, error_size, "line %lu, column %lu: %s",
                 (unsigned long)XML_GetCurrentLineNumber(parser),
                 (unsigned long)XML_GetCurrentColumnNumber(parser) + 1,
                 XML_ErrorString(XML_GetErrorCode(parser)));
    else
        snprintf(root, root_size, "%s", first ? first : "");
    free(first);
    XML_ParserFree(parser);
    return ok;
}

static void judge_xml(const struct whk_response_decl *decl,
                      const struct whkp_response *response,
                      struct whkp_judgement *judgement)
{
    char root[128], expected[128] = "", error[256];

    if (response->body_len == 0) {
        add_problem(judgement, WHK_REASON_RESPONSE,
                    "the body is empty; the provider expects an XML "
                    "document%s%s",
                    decl->body ? " such as " : "",
                    decl->body ? decl->body : "");
        return;
    }
    if (!whkp_check_xml(response->body, response->body_len, root, sizeof(root),
                        error, sizeof(error))) {
        add_problem(judgement, WHK_REASON_RESPONSE,
                    "the body is not well-formed XML: %s", error);
        return;
    }
    if (decl->body != NULL &&
        whkp_check_xml(decl->body, strlen(decl->body), expected,
                       sizeof(expected), error, sizeof(error)) &&
        strcmp(root, expected) != 0)
        add_problem(judgement, WHK_REASON_RESPONSE,
                    "the XML root element is <%s>; the provider expects "
                    "<%s>",
                    root, expected);
}

static void judge_json(const struct whkp_response *response,
                       struct whkp_judgement *judgement)
{
    json_error_t error;
    json_t *root =
        json_loadb(response->body, response->body_len, JSON_DECODE_ANY, &error);

    if (root == NULL)
        add_problem(judgement, WHK_REASON_RESPONSE,
                    "the body is not valid JSON: line %d, column %d: %s",
                    error.line, error.column, error.text);
    json_decref(root);
}

static void judge_content(const struct whk_response_decl *decl,
                          const struct whkp_response *response,
                          struct whkp_judgement *judgement)
{
    char media[128], expected[128];

    if (decl->content_type != NULL) {
        whkp_media_type(response->content_type, media, sizeof(media));
        whkp_media_type(decl->content_type, expected, sizeof(expected));
        if (media[0] == '\0')
            add_problem(judgement, WHK_REASON_RESPONSE,
                        "the response has no Content-Type; the provider "
                        "expects %s",
                        expected);
        else if (strcmp(media, expected) != 0)
            add_problem(judgement, WHK_REASON_RESPONSE,
                        "the Content-Type is %s; the provider expects %s",
                        media, expected);
    }
    if (decl->format != NULL && strcmp(decl->format, "xml") == 0)
        judge_xml(decl, response, judgement);
    else if (decl->format != NULL && strcmp(decl->format, "json") == 0)
        judge_json(response, judgement);
}

static void summarize(const struct whk_descriptor *d,
                      const struct whkp_response *response,
                      struct whkp_judgement *judgement)
{
    char media[128], root[128] = "", error[256];
    const char *format = d->response.format, *type;
    int written;

    whkp_media_type(response->content_type, media, sizeof(media));
    type = media[0] ? media : "no Content-Type";
    if (format != NULL && strcmp(format, "xml") == 0 &&
        whkp_check_xml(response->body, response->body_len, root, sizeof(root),
                       error, sizeof(error)))
        written = asprintf(&judgement->summary, "%s, well-formed XML <%s>",
                           type, root);
    else
        written = asprintf(&judgement->summary, "%s, %zu bytes", type,
                           response->body_len);
    if (written < 0)
        judgement->summary = NULL;
}

char *whkp_describe_timeout(const struct whk_descriptor *d, long timeout_ms)
{
    const char *title = d->title ? d->title : d->name;

    if (timeout_ms != (long)d->timeout_ms)
        return whkp_sprintf("the --timeout-ms limit of %g s",
                            timeout_ms / 1000.0);
    /*
     * "Declared": some plugins estimate a timeout that the provider does
     * not publish, so the text does not state it as the provider's fact.
     */
    return whkp_sprintf("%s's declared timeout of %g s%s%s", title,
                        timeout_ms / 1000.0,
                        d->timeout_error ? "; past that timeout, " : "",
                        d->timeout_error ? d->timeout_error : "");
}

/*
 * NOTE: every sample is held to the one response declaration, status
 * callbacks too, although Twilio ignores the response to those.
 */
void whkp_judge_response(const struct whk_descriptor *d,
                         const struct whkp_response *response, long timeout_ms,
                         struct whkp_judgement *judgement)
{
    const char *title = d->title ? d->title : d->name;

    memset(judgement, 0, sizeof(*judgement));
    if (response->status < 200 || response->status > 299)
        add_problem(judgement, WHK_REASON_NONE,
                    "the endpoint answered %ld; %s expects a 2xx status%s",
                    response->status, title,
                    d->response.status ? " such as 200" : "");
    else
        judge_content(&d->response, response, judgement);

    if (timeout_ms > 0 && response->seconds * 1000 > (double)timeout_ms) {
        char *limit = whkp_describe_timeout(d, timeout_ms);

        judgement->slow = 1;
        add_problem(judgement, WHK_REASON_TIMEOUT,
                    "the answer took %.2f s, longer than %s", response->seconds,
                    limit ? limit : "the timeout");
        free(limit);
    }
    if (judgement->problem_count == 0)
        summarize(d, response, judgement);
}
