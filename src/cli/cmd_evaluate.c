/* `reckon evaluate PROJECT --truth FILE`: how the latest link run compares with the truth. */
#include "cli.h"

static const cli_option options[] = {
    {"truth", 0, CLI_VALUE, "FILE", "CSV naming the real person of each record"},
    {"key", 0, CLI_VALUE, "COLUMN", "column of record keys (default record_key)"},
    {"entity", 0, CLI_VALUE, "COLUMN", "column of person ids (default person_id)"},
    {"json", 0, CLI_FLAG, NULL, "print JSON"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1 || !cli_has(args, "truth"))
        return cli_usage_error("evaluate", "expected the project file and --truth FILE");
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    rk_link_eval e;
    size_t missing = 0;
    if (rc == RK_OK)
        rc = rk_link_evaluate_project(&e, &missing, st, cli_get(args, "truth", NULL),
                                      cli_get(args, "key", NULL), cli_get(args, "entity", NULL));
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    if (cli_has(args, "json")) {
        printf("{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"b3_precision\":%.6f,"
               "\"b3_recall\":%.6f,\"b3_f1\":%.6f,\"exact_share\":%.6f,\"true_pairs\":%llu,"
               "\"found_pairs\":%llu,\"correct_pairs\":%llu,\"entities\":%zu,\"clusters\":%zu,"
               "\"records_not_in_truth\":%zu}\n",
               e.precision, e.recall, e.f1, e.b3_precision, e.b3_recall, e.b3_f1, e.exact_share,
               (unsigned long long)e.true_pairs, (unsigned long long)e.found_pairs,
               (unsigned long long)e.correct_pairs, e.entities, e.clusters, missing);
        return CLI_OK;
    }
    printf("pairwise:  precision %.4f  recall %.4f  F1 %.4f  (%llu true pairs, %llu found, %llu "
           "correct)\n",
           e.precision, e.recall, e.f1, (unsigned long long)e.true_pairs,
           (unsigned long long)e.found_pairs, (unsigned long long)e.correct_pairs);
    printf("B-cubed:   precision %.4f  recall %.4f  F1 %.4f\n", e.b3_precision, e.b3_recall,
           e.b3_f1);
    printf("persons:   %zu true, %zu found, %.1f%% of true persons found exactly\n", e.entities,
           e.clusters, 100.0 * e.exact_share);
    if (missing)
        printf("note: %zu records are not in the truth file; each was counted as its own person\n",
               missing);
    return CLI_OK;
}

const cli_command cli_cmd_evaluate = {
    .name = "evaluate",
    .summary = "compare the persons of the latest link run with a truth file",
    .usage = "evaluate PROJECT --truth FILE [--key COLUMN] [--entity COLUMN] [--json]",
    .description =
        "Pairwise precision, recall and F1; B-cubed precision, recall and F1; the share\n"
        "of true persons found exactly as one person.",
    .options = options,
    .run = run,
};
