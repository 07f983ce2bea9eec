/* `reckon link PROJECT`: links the records of a project into persons. */
#include "cli.h"

static const cli_option options[] = {
    {"config", 'c', CLI_VALUE, "FILE", "link configuration (docs/linkage.md)"},
    {"threshold", 't', CLI_VALUE, "P", "match probability at which records join (0-1)"},
    {"threads", 'j', CLI_VALUE, "N", "threads (default: all cores); results do not depend on it"},
    {"seed", 's', CLI_VALUE, "S", "seed of the random pairs that estimate u (default 1)"},
    {"json", 0, CLI_FLAG, NULL, "print the summary as JSON"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("link", "expected one argument, the project file");
    rk_link_project_options o = RK_LINK_PROJECT_OPTIONS_INIT;
    o.config_path = cli_get(args, "config", NULL);
    const char *th = cli_get(args, "threshold", NULL);
    if (th && (rk_parse_double(&o.threshold, th) != RK_OK || o.threshold <= 0 || o.threshold >= 1))
        return cli_usage_error("link", "--threshold takes a probability between 0 and 1, not '%s'",
                               th);
    int64_t threads = 0, seed = 1;
    if (!cli_get_int(args, "link", "threads", 0, 0, 256, &threads) ||
        !cli_get_int(args, "link", "seed", 1, 0, INT64_MAX, &seed))
        return CLI_EUSER;
    o.threads = (int)threads;
    o.seed_set = cli_has(args, "seed");
    o.seed = (uint64_t)seed;
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READWRITE);
    rk_link_project_result r;
    if (rc == RK_OK)
        rc = rk_link_project(&r, st, &o);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    size_t kept = 0;
    for (int k = RK_REVIEW_REVIEWER; k < RK_REVIEW_REASON_COUNT; k++)
        kept += r.kept_apart[k];
    if (cli_has(args, "json")) {
        printf("{\"run_id\":%lld,\"records\":%zu,\"lists\":%zu,\"persons\":%zu,"
               "\"pairs_compared\":%zu,\"pairs_stored\":%zu,\"review\":%zu,\"labels\":%zu,"
               "\"kept_apart\":{",
               (long long)r.run_id, r.records, r.lists, r.persons, r.pairs_compared, r.pairs_stored,
               r.review, r.labels);
        for (int k = RK_REVIEW_REVIEWER; k < RK_REVIEW_REASON_COUNT; k++)
            printf("%s\"%s\":%zu", k == RK_REVIEW_REVIEWER ? "" : ",",
                   rk_link_review_reason_name(k), r.kept_apart[k]);
        printf("},\"seconds\":%.3f}\n", r.seconds);
        return CLI_OK;
    }
    printf("link run %lld: %zu records of %zu lists -> %zu persons; %zu pairs compared, %zu "
           "stored, %zu for review%s (%.2f s)\n",
           (long long)r.run_id, r.records, r.lists, r.persons, r.pairs_compared, r.pairs_stored,
           r.review, r.labels ? "; reviewers' decisions applied" : "", r.seconds);
    if (kept) {
        printf("kept apart by clustering: %zu pairs scored at or above the threshold (", kept);
        const char *sep = "";
        for (int k = RK_REVIEW_REVIEWER; k < RK_REVIEW_REASON_COUNT; k++)
            if (r.kept_apart[k]) {
                printf("%s%s %zu", sep, rk_link_review_reason_name(k), r.kept_apart[k]);
                sep = ", ";
            }
        printf("); they are in the review queue\n");
    }
    return CLI_OK;
}

const cli_command cli_cmd_link = {
    .name = "link",
    .summary = "link records within and across lists into persons",
    .usage = "link PROJECT [--config FILE] [--threshold P] [--threads N] [--seed S] [--json]",
    .description =
        "Blocks, compares and scores candidate pairs with a Fellegi-Sunter model fitted by EM,\n"
        "then joins records into persons, checking clusters for contradictions. Reviewers'\n"
        "decisions are used as labels and always win. The run, its model, its pairs and its\n"
        "persons are stored in the project (see 'reckon model', 'reckon export'). Without a\n"
        "configuration's 'fields =' it compares the name, date, sex and place roles and every\n"
        "field:NAME extra the imports map, at most 15 fields in all.",
    .options = options,
    .run = run,
};
