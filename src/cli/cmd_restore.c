/* `reckon restore FILE -o PROJECT`: a backup decrypted, its audit chain verified, then put in
 * place as a new project. */
#include "cli.h"

#include <string.h>

#include "banned.h"

static const cli_option options[] = {
    {"output", 'o', CLI_VALUE, "PROJECT", "the project file to create (required, must be new)"},
    {"passphrase-file", 0, CLI_VALUE, "F",
     "read the passphrase from F (else it is asked on the terminal)"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("restore", "expected one argument, the backup file");
    const char *path = cli_get(args, "output", NULL);
    if (!path)
        return cli_usage_error("restore", "name the project to create with -o PROJECT");
    const char *backup = args->positional[0];
    char pass[CLI_PASS_MAX];
    size_t passlen = 0;
    int status = cli_passphrase(pass, &passlen, "restore", cli_get(args, "passphrase-file", NULL),
                                backup, false);
    rk_verify_report rep;
    if (status == CLI_OK)
        status = cli_fail(ctx, rk_store_restore(&rep, ctx, backup, path, pass, passlen));
    explicit_bzero(pass, sizeof(pass));
    if (status == CLI_OK)
        printf("%s: restored to %s: intact, %lld events, head %s\n", backup, path,
               (long long)rep.events, rep.head);
    return status;
}

const cli_command cli_cmd_restore = {
    .name = "restore",
    .summary = "decrypt a backup into a new project, verifying it first",
    .usage = "restore FILE -o PROJECT [--passphrase-file F]",
    .description =
        "Decrypts a backup made by 'reckon backup', authenticating every block and its end,\n"
        "into a temporary file beside PROJECT; verifies the audit chain there (as 'reckon\n"
        "verify') and only then puts it in place. A wrong passphrase, a changed byte or a\n"
        "truncated file is refused with exit status 1 and nothing written; an existing\n"
        "PROJECT is never overwritten.",
    .options = options,
    .run = run,
};
