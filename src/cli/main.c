/* reckon's entry point: the table of subcommands, global --help and --version, and the
 * mapping of library errors to exit statuses (0 ok, 1 user error, 2 internal error). */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

/* Every subcommand, in the order the help lists them (the order of the pipeline). */
static const cli_command *const commands[] = {
    &cli_cmd_init,        &cli_cmd_import,  &cli_cmd_gazetteer, &cli_cmd_lists,    &cli_cmd_name,
    &cli_cmd_standardize, &cli_cmd_link,    &cli_cmd_model,     &cli_cmd_evaluate, &cli_cmd_serve,
    &cli_cmd_estimate,    &cli_cmd_combine, &cli_cmd_claim,     &cli_cmd_report,   &cli_cmd_export,
    &cli_cmd_verify,      &cli_cmd_log,     &cli_cmd_release,   &cli_cmd_backup,   &cli_cmd_restore,
    &cli_cmd_synth,       &cli_cmd_version,
};

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void print_main_help(FILE *out)
{
    fprintf(out,
            "reckon %s: link lists of victims and estimate how many there were\n\n"
            "usage: reckon COMMAND [OPTIONS] [ARGS]\n\ncommands:\n",
            RK_VERSION);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\n'reckon help COMMAND' or 'reckon COMMAND --help' describes one command.\n"
                 "Exit status: 0 success, 1 a problem with the input, the options, the files "
                 "or the disk\n(said in a sentence), 2 an internal error of reckon.\n"
                 "On a terminal, a step that runs over 2 seconds shows its progress on one line "
                 "of stderr\n(stage, done / total, rate, time left); not with --quiet or "
                 "--json.\n");
}

static void cli_print_help(FILE *out, const cli_command *cmd)
{
    fprintf(out, "usage: reckon %s\n\n%s\n", cmd->usage, cmd->summary);
    if (cmd->description && *cmd->description)
        fprintf(out, "\n%s\n", cmd->description);
    if (cmd->options && cmd->options[0].long_name) {
        fprintf(out, "\noptions:\n");
        for (const cli_option *o = cmd->options; o->long_name; o++) {
            char left[96];
            if (o->kind == CLI_FLAG)
                snprintf(left, sizeof(left), "--%s", o->long_name);
            else if (o->kind == CLI_CHOICE)
                snprintf(left, sizeof(left), "--%s [%s]", o->long_name,
                         o->metavar ? o->metavar : "VALUE");
            else
                snprintf(left, sizeof(left), "--%s %s%s", o->long_name,
                         o->metavar ? o->metavar : "VALUE", o->kind == CLI_MULTI ? "..." : "");
            if (o->short_name)
                fprintf(out, "  -%c, %-30s %s\n", o->short_name, left, o->help);
            else
                fprintf(out, "      %-30s %s\n", left, o->help);
        }
    }
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_progress_clear();
    fprintf(stderr, "reckon %s: ", command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "; see 'reckon %s --help'\n", command);
    va_end(ap);
    return CLI_EUSER;
}

int cli_fail(rk_ctx *ctx, int rc)
{
    if (rc == RK_OK)
        return CLI_OK;
    char msg[4096];
    rk_error_format(msg, sizeof(msg), ctx);
    cli_progress_clear();
    fprintf(stderr, "%s\n", msg);
    switch (rc) {
    case RK_EINPUT:
    case RK_ENOTFOUND:
    case RK_EVERSION:
    case RK_EEXISTS:
    case RK_ECONFLICT:
        return CLI_EUSER;
    case RK_EIO:
        return CLI_EUSER;
    default:
        return CLI_EINTERNAL;
    }
}

static void log_to_stderr(void *user, rk_log_level level, const char *message)
{
    (void)user;
    if (level == RK_LOG_DEBUG && !getenv("RECKON_DEBUG"))
        return;
    cli_progress_clear();
    fprintf(stderr, "%s%s\n", level == RK_LOG_WARN ? "warning: " : "", message);
}

void cli_setup_ctx(rk_ctx *ctx, bool quiet)
{
    ctx->log = quiet ? NULL : log_to_stderr;
    if (quiet)
        ctx->progress = NULL;
}

/* The progress line is for a person watching: not with --quiet, nor with a --json that prints
 * JSON instead of the usual output (report's --json FILE writes a file and keeps it). */
static bool wants_progress(const cli_command *cmd, const cli_args *args)
{
    for (const cli_option *o = cmd->options; o && o->long_name; o++)
        if ((strcmp(o->long_name, "quiet") == 0 ||
             (strcmp(o->long_name, "json") == 0 && o->kind == CLI_FLAG)) &&
            cli_has(args, o->long_name))
            return false;
    return true;
}

/* Test-only: RECKON_FAULT=alloc:N or write:N makes the Nth allocation or write fail. */
static void arm_faults_from_env(void)
{
    const char *f = getenv("RECKON_FAULT");
    if (!f || !*f)
        return;
    int64_t n = 0;
    if (strncmp(f, "alloc:", 6) == 0 && rk_parse_i64(&n, f + 6) == RK_OK)
        rk_fault_arm(RK_FAULT_ALLOC, (long)n);
    else if (strncmp(f, "write:", 6) == 0 && rk_parse_i64(&n, f + 6) == RK_OK)
        rk_fault_arm(RK_FAULT_WRITE, (long)n);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_main_help(stderr);
        return CLI_EUSER;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_main_help(stdout);
        return cli_stdout_close("--help", CLI_OK);
    }
    if (strcmp(name, "--version") == 0) {
        printf("reckon %s\n", RK_VERSION);
        return cli_stdout_close("--version", CLI_OK);
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_main_help(stdout);
            return cli_stdout_close("help", CLI_OK);
        }
        const cli_command *c = find_command(argv[2]);
        if (!c) {
            fprintf(stderr, "reckon: no command '%s'; see 'reckon --help'\n", argv[2]);
            return CLI_EUSER;
        }
        cli_print_help(stdout, c);
        return cli_stdout_close("help", CLI_OK);
    }
    const cli_command *cmd = find_command(name);
    if (!cmd) {
        fprintf(stderr, "reckon: no command '%s'; see 'reckon --help'\n", name);
        return CLI_EUSER;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_print_help(stdout, cmd);
            return cli_stdout_close(cmd->name, CLI_OK);
        }
    }
    cli_args *args = calloc(1, sizeof(*args));
    if (!args) {
        fprintf(stderr, "reckon: out of memory\n");
        return CLI_EINTERNAL;
    }
    int status = CLI_EUSER;
    if (cli_args_parse(args, cmd->name, cmd->options, argc - 2, argv + 2)) {
        arm_faults_from_env();
        rk_ctx ctx;
        rk_ctx_init(&ctx);
        cli_setup_ctx(&ctx, false);
        if (wants_progress(cmd, args))
            cli_progress_install(&ctx, cmd->name);
        status = cmd->run(&ctx, args);
        cli_progress_clear();
        rk_ctx_release(&ctx);
    }
    free(args);
    return cli_stdout_close(cmd->name, status);
}
