/* SPDX-License-Identifier: MIT */
/* whk: the command-line front end; dispatches to one command per word. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"providers", whkp_cmd_providers, "list the installed providers"},
    {"show", whkp_cmd_show, "show what a provider declares"},
    {"init", whkp_cmd_init, "write whk.json, print the dashboard fields"},
    {"listen", whkp_cmd_listen, "receive, verify, capture and forward"},
    {"test", whkp_cmd_test, "check that an endpoint answers correctly"},
    {"verify", whkp_cmd_verify, "check a request's signature, explain why not"},
    {"sign", whkp_cmd_sign, "sign a request as the provider would"},
    {"replay", whkp_cmd_replay, "send a captured delivery again"},
    {"plugin", whkp_cmd_plugin, "check a provider plugin (plugin check)"},
    {NULL, NULL, NULL},
};

static void print_usage(FILE *out)
{
    fputs("usage: whk COMMAND [OPTIONS]\n"
          "\n"
          "Verifies, signs and explains the webhooks SaaS providers send.\n"
          "\n"
          "Commands:\n",
          out);
    for (const struct command *c = commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fputs("\n'whk COMMAND --help' describes a command; 'man whk' has it all.\n"
          "Exit status: 0 valid, 1 invalid, 2 usage or input error, 3\n"
          "environment error.\n",
          out);
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : NULL;

    whkp_preload_providers();
    if (name == NULL) {
        print_usage(stderr);
        return WHKP_EXIT_USAGE;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        strcmp(name, "help") == 0) {
        print_usage(stdout);
        return WHKP_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("whk %s (plugin ABI %d)\n", WHK_VERSION, WHK_ABI_VERSION);
        return WHKP_EXIT_OK;
    }
    for (const struct command *c = commands; c->name; c++) {
        if (strcmp(c->name, name) == 0)
            return c->run(argc - 1, argv + 1);
    }
    whkp_error("unknown command '%s'; 'whk --help' lists the commands", name);
    return WHKP_EXIT_USAGE;
}
