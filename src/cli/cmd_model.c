/* `reckon model PROJECT`: the fitted model of the latest link run. */
#include "cli.h"
#include "store/store_internal.h"

#include <sqlite3.h>

static const cli_option options[] = {
    {"json", 0, CLI_FLAG, NULL, "print the model as JSON"},
    {"run", 'r', CLI_VALUE, "ID", "a link run other than the latest"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("model", "expected one argument, the project file");
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    int64_t run_id = 0;
    if (rc == RK_OK) {
        if (cli_has(args, "run")) {
            if (!cli_get_int(args, "model", "run", 0, 1, INT64_MAX, &run_id)) {
                rk_store_free(st);
                return CLI_EUSER;
            }
        } else {
            rc = rk_link_latest_run(st, &run_id);
        }
    }
    sqlite3_stmt *s = NULL;
    if (rc == RK_OK &&
        sqlite3_prepare_v2(
            rk_store__db(st),
            "SELECT model, config, stats, seed, threshold FROM link_run WHERE id = ?", -1, &s,
            NULL) != SQLITE_OK)
        rc = rk_store_sqlerr(st, "cannot read the link run");
    if (rc == RK_OK) {
        sqlite3_bind_int64(s, 1, run_id);
        if (sqlite3_step(s) != SQLITE_ROW)
            rc = rk_error_set(ctx, RK_ENOTFOUND, "no link run %lld", (long long)run_id);
    }
    if (rc != RK_OK) {
        sqlite3_finalize(s);
        rk_store_free(st);
        return cli_fail(ctx, rc);
    }
    const char *model = (const char *)sqlite3_column_text(s, 0);
    if (cli_has(args, "json")) {
        printf("{\"run_id\":%lld,\"model\":%s,\"config\":%s,\"stats\":%s}\n", (long long)run_id,
               model, (const char *)sqlite3_column_text(s, 1),
               (const char *)sqlite3_column_text(s, 2));
    } else {
        /* A readable table, straight from the stored JSON. */
        sqlite3_stmt *q = NULL;
        sqlite3_prepare_v2(rk_store__db(st),
                           "SELECT json_extract(?1, '$.lambda'), json_extract(?1,"
                           " '$.iterations'), json_extract(?1, '$.converged'), json_extract(?1,"
                           " '$.patterns'), json_extract(?1, '$.lambda_within'),"
                           " json_extract(?1, '$.lambda_across')",
                           -1, &q, NULL);
        sqlite3_bind_text(q, 1, model, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) {
            printf("link run %lld: prior (share of matches among compared pairs) %.6f; EM %s "
                   "after %d iterations over %d distinct comparison vectors; threshold %.2f, seed "
                   "%lld\n",
                   (long long)run_id, sqlite3_column_double(q, 0),
                   sqlite3_column_int(q, 2) ? "converged" : "did NOT converge",
                   sqlite3_column_int(q, 1), sqlite3_column_int(q, 3), sqlite3_column_double(s, 4),
                   (long long)sqlite3_column_int64(s, 3));
            if (sqlite3_column_double(q, 4) > 0)
                printf("prior of a pair within one list %.3g, across two lists %.3g\n",
                       sqlite3_column_double(q, 4), sqlite3_column_double(q, 5));
            printf("\n");
        }
        sqlite3_finalize(q);
        sqlite3_prepare_v2(rk_store__db(st),
                           "SELECT json_extract(f.value, '$.name'), json_extract(l.value,"
                           " '$.label'), json_extract(l.value, '$.m'), json_extract(l.value,"
                           " '$.u'), json_extract(l.value, '$.weight') FROM json_each(?1,"
                           " '$.fields') f, json_each(f.value, '$.levels') l",
                           -1, &q, NULL);
        sqlite3_bind_text(q, 1, model, -1, SQLITE_STATIC);
        printf("%-12s %-30s %12s %12s %9s\n", "field", "level", "m", "u", "weight");
        while (sqlite3_step(q) == SQLITE_ROW)
            printf("%-12s %-30s %12.6f %12.6f %+9.2f\n", (const char *)sqlite3_column_text(q, 0),
                   (const char *)sqlite3_column_text(q, 1), sqlite3_column_double(q, 2),
                   sqlite3_column_double(q, 3), sqlite3_column_double(q, 4));
        sqlite3_finalize(q);
        printf("\nweight = log2(m/u): evidence for a match when the level is seen; a missing value "
               "weighs 0.\n");
    }
    sqlite3_finalize(s);
    rk_store_free(st);
    return CLI_OK;
}

const cli_command cli_cmd_model = {
    .name = "model",
    .summary = "show the fitted linkage model: prior, m, u and weight of every level",
    .usage = "model PROJECT [--run ID] [--json]",
    .description = "",
    .options = options,
    .run = run,
};
