/* Option parsing for the subcommands, with options declared as data so that --help is
 * generated from the same table. */
#ifndef RK_CLI_ARGS_H
#define RK_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cli_arg_kind {
    CLI_FLAG,  /* no value */
    CLI_VALUE, /* one value; a later occurrence replaces an earlier one */
    CLI_MULTI, /* a value that may be given many times */
    CLI_CHOICE /* a value that may be left out ("" then): --NAME=VALUE, or the next argument
                  when it is one of the choices the metavar lists ("missed|false|all") */
} cli_arg_kind;

typedef struct cli_option {
    const char *long_name; /* without the leading "--" */
    char short_name;       /* 0 when none */
    cli_arg_kind kind;
    const char *metavar; /* "FILE", "N", ... */
    const char *help;
} cli_option;

#define CLI_MAX_POSITIONAL 64
#define CLI_MAX_VALUES     256

typedef struct cli_args {
    const cli_option *options;
    size_t noptions;
    /* For each option: how often given, and its values (in order). */
    int count[64];
    const char *values[64][CLI_MAX_VALUES];
    const char *positional[CLI_MAX_POSITIONAL];
    size_t npositional;
} cli_args;

/* Parses argv (after the subcommand name). On error prints to stderr and returns false. */
bool cli_args_parse(cli_args *out, const char *command, const cli_option *options, int argc,
                    char **argv);
bool cli_has(const cli_args *a, const char *long_name);
/* The last value of an option, or `fallback`. */
const char *cli_get(const cli_args *a, const char *long_name, const char *fallback);
/* All values of a CLI_MULTI option. */
size_t cli_get_all(const cli_args *a, const char *long_name, const char ***out);
/* An integer option; false (with an error printed) when not an integer in [min, max]. */
bool cli_get_int(const cli_args *a, const char *command, const char *long_name, int64_t fallback,
                 int64_t min, int64_t max, int64_t *out);

#endif
