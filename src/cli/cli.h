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
    cli_cmd_standardize, cli_cmd_gazetteer, cli_cmd_backup, cli_cmd_restore, cli_cmd_version,
    cli_cmd_log, cli_cmd_release;

/* Maps a library return code to an exit status and prints the context's error. */
int cli_fail(rk_ctx *ctx, int rc);
/* Prints a usage error for a command and returns CLI_EUSER. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An output file (-o PATH, output.c), never written in place of what is not a file: a new or
 * regular file (or one a symbolic link points to; the link stays) is written into a temporary
 * file beside it, renamed over it when the command and the close succeed and removed
 * otherwise; a character device or FIFO is written through; a directory, the file `project`
 * (when not NULL) and anything else are refused (RK_EINPUT). */
typedef struct cli_output {
    FILE *f;
    const char *path;  /* as the user named it, for messages */
    char target[4096]; /* the file written: path, or what its symbolic link points to */
    char tmp[4096];    /* the temporary file beside target; empty when writing through */
} cli_output;
int cli_output_open(cli_output *out, rk_ctx *ctx, const char *path, const char *project);
/* Closes o given the command's result rc so far and returns the result; a cli_output never
 * opened (zeroed) returns rc. */
int cli_output_close(cli_output *o, rk_ctx *ctx, int rc);
/* Flushes and closes standard output at a command's end: a failed write (a full disk, a
 * closed pipe) is said on stderr and turns a success into status 1. Returns the status. */
int cli_stdout_close(const char *command, int status);
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
/* `--mpi` (mpi.c): starts MPI as one rank of a run (rk_link_mpi_begin). Ranks other than 0
 * stay quiet (no log, no progress) and get *mode RK_STORE_READONLY: rank 0 alone writes.
 * Test-only: with RECKON_FAULT=rank:N, rank N's progress reports go to `die`, which kills the
 * process at the stage its command chooses, as a node that dies would. Returns CLI_OK or the
 * exit status after printing why (a build without MPI: 1). */
int cli_mpi_start(rk_ctx *ctx, int *mode, rk_progress_fn die);

#endif
