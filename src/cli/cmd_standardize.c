/* `reckon standardize PROJECT`: re-runs the text standardization on every current record. */
#include "cli.h"

static const cli_option options[] = {
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("standardize", "expected one argument, the project file");
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READWRITE);
    rk_text_standardize_result r;
    if (rc == RK_OK)
        rc = rk_text_standardize_project(&r, st);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    printf("standardized %zu records: %zu changed (event %lld)\n", r.records, r.changed,
           (long long)r.event_id);
    return CLI_OK;
}

const cli_command cli_cmd_standardize = {
    .name = "standardize",
    .summary = "standardize the names, sex and places of every record again",
    .usage = "standardize PROJECT",
    .description =
        "Parses every current record's name again and recomputes its keys, sex and place key\n"
        "(the standardized fields an import stores), as the text module now reads them, in\n"
        "one transaction with an audit event, which also refreshes the changed records' keys\n"
        "in the review app's search index. The records as imported are not changed, so\n"
        "'reckon verify' still vouches for the imports.",
    .options = options,
    .run = run,
};
