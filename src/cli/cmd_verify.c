/* `reckon verify PROJECT`: recomputes the audit chain and the digests it holds. */
#include "cli.h"

static const cli_option options[] = {
    {"json", 0, CLI_FLAG, NULL, "print the result as JSON"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("verify", "expected one argument, the project file");
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    rk_verify_report rep;
    rc = rk_store_verify(&rep, st);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    if (cli_has(args, "json")) {
        printf("{\"intact\":%s,\"events\":%lld,\"first_bad_event\":%lld,\"head\":\"%s\"}\n",
               rep.first_bad ? "false" : "true", (long long)rep.events, (long long)rep.first_bad,
               rep.head);
    }
    if (rep.first_bad) {
        cli_progress_clear();
        fprintf(stderr,
                "%s: event %lld is bad: %s; the project was changed outside reckon after that "
                "event\n",
                args->positional[0], (long long)rep.first_bad, rep.reason);
        return CLI_EUSER;
    }
    if (!cli_has(args, "json"))
        printf("%s: intact, %lld events, head %s\n", args->positional[0], (long long)rep.events,
               rep.head);
    return CLI_OK;
}

const cli_command cli_cmd_verify = {
    .name = "verify",
    .summary = "check the audit chain and the data it vouches for",
    .usage = "verify PROJECT [--json]",
    .description = "Recomputes the SHA-256 chain of events and the digest of the data each event\n"
                   "recorded (an import's records, ...). Exit status 0 when intact, 1 naming the\n"
                   "first bad event.",
    .options = options,
    .run = run,
};
