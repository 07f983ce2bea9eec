/* The command-line tool: a thin layer over libreckon. Each subcommand lives in its own
 * cmd_<name>.c and declares its options as data (see args.h), from which --help is made. */
#ifndef RK_CLI_H
#define RK_CLI_H

#include "reckon/reckon.h"
#include "args.h"

#include <stdio.h>

/* Exit statuses. */
enum { CLI_OK = 0, CLI_EUSER = 1, CLI_EINTERNAL = 2 };

typedef struct cli_command {
    const char *name;
    const char *summary; /* one line for `reckon --help` */
    const char *usage;   /* the synopsis after "reckon " */
    const char *description;
    const cli_option *options; /* terminated by an entry with long_name NULL */
    int (*run)(rk_ctx *ctx, const cli_args *args);
} cli_command;

/* Every command's table entry, defined in its cmd_<name>.c. */
extern const cli_command cli_cmd_init, cli_cmd_import, cli_cmd_lists, cli_cmd_export,
    cli_cmd_verify, cli_cmd_name, cli_cmd_link, cli_cmd_model, cli_cmd_evaluate, cli_cmd_estimate,
    cli_cmd_combine, cli_cmd_synth, cli_cmd_report, cli_cmd_claim, cli_cmd_serve,
    cli_cmd_standardize, cli_cmd_gazetteer, cli_cmd_backup, cli_cmd_restore, cli_cmd_version;

/* Maps a library return code to an exit status and prints the context's error. */
int cli_fail(rk_ctx *ctx, int rc);
/* Prints a usage error for a command and returns CLI_EUSER. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An output file written atomically (output.c): open writes into a temporary file beside
 * `path` named in `tmp` (tmpsz bytes, the caller's); close takes the result `rc` so far,
 * renames the file over `path` when it and the close are RK_OK, else removes it, and returns
 * the result. Closing a NULL file returns rc. */
int cli_output_open(FILE **out, rk_ctx *ctx, const char *path, char *tmp, size_t tmpsz);
int cli_output_close(rk_ctx *ctx, FILE *f, const char *tmp, const char *path, int rc);
/* The passphrase of backup and restore (passphrase.c): read from `file` when it is not NULL (one
 * final line ending dropped), else asked on the terminal without echo, twice when `confirm`;
 * `what` names the file it protects in the prompt. Returns CLI_OK with *len bytes in out (not
 * terminated), or an exit status after printing why (no terminal, empty, too long, the two
 * differ). The caller wipes out with explicit_bzero. */
#define CLI_PASS_MAX 1025
int cli_passphrase(char out[CLI_PASS_MAX], size_t *len, const char *command, const char *file,
                   const char *what, bool confirm);
/* Sets up the log callback (none when quiet, which also turns progress off). */
void cli_setup_ctx(rk_ctx *ctx, bool quiet);
/* The progress line (progress.c): install shows the library's progress reports of `command`
 * on stderr when it is a terminal; clear erases the line when it is showing, before anything
 * else is printed to stderr and when the command ends. */
void cli_progress_install(rk_ctx *ctx, const char *command);
void cli_progress_clear(void);

#endif
