/* `reckon model PROJECT`: the fitted model of the latest link run. */
#include "cli.h"

#include <math.h>
#include <string.h>

static const cli_option options[] = {
    {"json", 0, CLI_FLAG, NULL, "print the model as JSON"},
    {"run", 'r', CLI_VALUE, "ID", "a link run other than the latest"},
    {0},
};

/* A readable table, straight from the stored model. */
static void print_table(const rk_link_run_info *info)
{
    if (info->has_summary) {
        printf("link run %lld: prior (share of matches among compared pairs) %.6f; EM %s "
               "after %d iterations over %lld distinct comparison vectors; threshold %.2f, seed "
               "%lld\n",
               (long long)info->run_id, info->lambda,
               info->converged ? "converged" : "did NOT converge", info->iterations,
               (long long)info->patterns, info->threshold, (long long)info->seed);
        if (!isnan(info->change))
            printf("largest change of any m, u or the match share in EM's last iteration: "
                   "%.3g\n",
                   info->change);
        if (info->lambda_within > 0)
            printf("prior of a pair within one list %.3g, across two lists %.3g\n",
                   info->lambda_within, info->lambda_across);
        printf("\n");
    }
    /* The field column as wide as its longest name (field:street_number). */
    int width = 12;
    for (size_t i = 0; i < info->nlevels; i++)
        if (info->levels[i].field && (int)strlen(info->levels[i].field) > width)
            width = (int)strlen(info->levels[i].field);
    printf("%-*s %-30s %12s %12s %9s\n", width, "field", "level", "m", "u", "weight");
    for (size_t i = 0; i < info->nlevels; i++) {
        const rk_link_run_level *l = &info->levels[i];
        printf("%-*s %-30s %12.6f %12.6f %+9.2f\n", width, l->field ? l->field : "",
               l->label ? l->label : "", l->m, l->u, l->weight);
    }
    printf("\nweight = log2(m/u): evidence for a match when the level is seen; a missing value "
           "weighs 0.\n");
    bool any = false;
    for (size_t i = 0; i < info->nlevels; i++) {
        const rk_link_run_level *l = &info->levels[i];
        if (!l->depends_on || !(l->lift > 1) ||
            (i > 0 && info->levels[i - 1].field && l->field &&
             strcmp(info->levels[i - 1].field, l->field) == 0))
            continue;
        if (!any)
            printf("\nfields that go together (random pairs agree on both more often than "
                   "on each alone):\n");
        any = true;
        printf("  %s agrees %.1f times as often when %s agrees: agreeing on both, its weight "
               "is %+.2f, not %+.2f\n",
               l->field ? l->field : "", l->lift, l->depends_on, l->weight - log2(l->lift),
               l->weight);
    }
    if (info->ntrace > 0) {
        printf("\nEM, iteration by iteration (its share of matches among compared pairs; the "
               "log-likelihood is of the values the "
               "iteration started from):\n%9s %12s %12s %18s\n",
               "iteration", "EM share", "change", "log-likelihood");
        for (size_t t = 0; t < info->ntrace; t++)
            printf("%9zu %12.6f %12.3g %18.6f\n", t + 1, info->trace[t].lambda,
                   info->trace[t].change, info->trace[t].loglik);
        if (info->ntrace < (size_t)info->iterations)
            printf("(the first %zu of %d iterations)\n", info->ntrace, info->iterations);
    }
}

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
            rc = rk_link_latest_run(&run_id, st);
        }
    }
    rk_link_run_info info = {0};
    if (rc == RK_OK)
        rc = rk_link_run_info_read(&info, st, run_id);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    if (cli_has(args, "json"))
        printf("{\"run_id\":%lld,\"model\":%s,\"config\":%s,\"stats\":%s}\n", (long long)run_id,
               info.model_json, info.config_json, info.stats_json);
    else
        print_table(&info);
    rk_link_run_info_release(&info);
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
