/* `reckon init PROJECT`: creates a new project file. */
#include "cli.h"

static const cli_option options[] = {{0}};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("init", "expected one argument, the project file");
    rk_store *st = NULL;
    int rc = rk_store_create(&st, ctx, args->positional[0]);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    printf("created project %s (schema %d, mode 0600)\n", args->positional[0],
           rk_store_schema_version());
    rk_store_free(st);
    return CLI_OK;
}

const cli_command cli_cmd_init = {
    .name = "init",
    .summary = "create a new project file",
    .usage = "init PROJECT",
    .description = "Creates PROJECT, an SQLite file readable only by you (mode 0600), with an\n"
                   "empty audit chain. An existing file is never overwritten.",
    .options = options,
    .run = run,
};
