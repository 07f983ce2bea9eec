/* `reckon backup PROJECT -o FILE`: an encrypted, consistent copy of the project. */
#include "cli.h"

#include <string.h>

#include "banned.h"

static const cli_option options[] = {
    {"output", 'o', CLI_VALUE, "FILE", "the backup file to write (required)"},
    {"passphrase-file", 0, CLI_VALUE, "F",
     "read the passphrase from F (else it is asked twice on the terminal)"},
    {"kdf", 0, CLI_VALUE, "LEVEL", "the key's cost: interactive, moderate (default) or sensitive"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("backup", "expected one argument, the project file");
    const char *path = cli_get(args, "output", NULL);
    if (!path)
        return cli_usage_error("backup", "name the backup file with -o FILE");
    rk_crypt_cost cost;
    int rc = rk_crypt_cost_parse(&cost, ctx, cli_get(args, "kdf", "moderate"));
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    rk_store *st = NULL;
    rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    char pass[CLI_PASS_MAX];
    size_t passlen = 0;
    int status = cli_passphrase(pass, &passlen, "backup", cli_get(args, "passphrase-file", NULL),
                                path, true);
    rk_backup_report rep;
    if (status == CLI_OK) {
        rc = rk_store_backup(&rep, st, path, pass, passlen, cost);
        status = cli_fail(ctx, rc);
    }
    explicit_bzero(pass, sizeof(pass));
    rk_store_free(st);
    if (status == CLI_OK)
        printf("%s: backed up to %s (%lld bytes, %lld encrypted)\n", args->positional[0], path,
               (long long)rep.bytes, (long long)rep.file_bytes);
    return status;
}

const cli_command cli_cmd_backup = {
    .name = "backup",
    .summary = "write an encrypted, consistent copy of the project",
    .usage = "backup PROJECT -o FILE [--passphrase-file F] [--kdf LEVEL]",
    .description =
        "Takes a snapshot of the project with SQLite's online backup API (consistent while\n"
        "other commands write to it), in memory, and writes it encrypted with\n"
        "XChaCha20-Poly1305 under a key derived from a passphrase by Argon2id. The file is\n"
        "written whole or not at all, mode 0600. The passphrase comes from --passphrase-file\n"
        "or is asked twice on the terminal; never from an argument or the environment.\n"
        "'reckon restore' reads the file back.",
    .options = options,
    .run = run,
};
