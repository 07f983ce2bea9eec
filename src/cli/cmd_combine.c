/* `reckon combine INDEX.csv`: combines stored posterior draws of N from imputation replicates
 * (rk_estimate_read_replicates, rk_estimate_combine_replicates) and prints the estimate. */
#include "cli.h"

static const cli_option options[] = {
    {"rule", 0, CLI_VALUE, "RULE",
     "pooled (default; quantiles of all draws), rubin (Rubin's rules on N) or verdata "
     "(its combine_estimates)"},
    {"json", 0, CLI_FLAG, NULL, "print the result as JSON"},
    {0},
};

static void print_text(const rk_combined_estimate *c, const char *index)
{
    printf("%s: %zu replicates, %zu draws of N, mean observed %.1f\n", index, c->replicates,
           c->draws, c->observed);
    switch (c->rule) {
    case RK_COMBINE_POOLED:
        printf("pooled: median %.1f, 95%% interval [%.1f, %.1f] (quantiles of all draws); "
               "mean %.1f, sd %.1f\n",
               c->estimate, c->lower, c->upper, c->mean, c->sd);
        break;
    case RK_COMBINE_RUBIN:
        printf("rubin: mean %.1f, 95%% interval [%.1f, %.1f] (t, Rubin's df %.1f)\n", c->estimate,
               c->lower, c->upper, c->df);
        printf("variance of N: within %.1f, between %.1f, total %.1f\n", c->within, c->between,
               c->total);
        break;
    case RK_COMBINE_VERDATA:
        printf("verdata: mean %.0f, 95%% interval [%.0f, %.0f] (t on log(N - n_obs), df %.1f)\n",
               c->estimate, c->lower, c->upper, c->df);
        printf("variance of log(N - n_obs): within %.6f, between %.6f, total %.6f\n", c->within,
               c->between, c->total);
        break;
    }
    if (c->warning[0])
        printf("warning: %s\n", c->warning);
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("combine", "expected one argument, the index of replicates");
    const char *index = args->positional[0];
    rk_combine_rule rule;
    int rc = rk_estimate_combine_rule_parse(&rule, ctx, cli_get(args, "rule", "pooled"));
    if (rc != RK_OK)
        return cli_usage_error("combine", "%s", ctx->err.message);
    rk_replicate *reps = NULL;
    size_t n = 0;
    rk_combined_estimate c;
    rk_buf out;
    rk_buf_init(&out);
    if ((rc = rk_estimate_read_replicates(&reps, &n, ctx, index)) != RK_OK)
        goto cleanup;
    if ((rc = rk_estimate_combine_replicates(&c, ctx, reps, n, rule)) != RK_OK)
        goto cleanup;
    if (cli_has(args, "json")) {
        if ((rc = rk_estimate_combined_json(&out, &c)) != RK_OK) {
            rk_error_set(ctx, rc, "out of memory");
            goto cleanup;
        }
        printf("%s\n", rk_buf_cstr(&out));
    } else {
        print_text(&c, index);
    }
cleanup:
    rk_replicate_array_free(reps, n);
    rk_buf_release(&out);
    return cli_fail(ctx, rc);
}

const cli_command cli_cmd_combine = {
    .name = "combine",
    .summary = "combine posterior draws of N from imputation replicates",
    .usage = "combine INDEX.csv [--rule pooled|rubin|verdata] [--json]",
    .description =
        "Reads stored posterior draws of N for one stratum in many imputed replicates, laid\n"
        "out as HRDAG's verdata estimates: INDEX.csv has the columns hash, replicate and\n"
        "n_obs (the persons observed in that replicate), and each hash's draws are a JSON\n"
        "array of whole numbers in <hash>.json beside it. Prints one estimate with its 95%\n"
        "interval by the rule chosen (docs/methods.md, \"Combining replicates\"). A missing\n"
        "file, a draw that is not a whole number, an empty array or a bad n_obs is refused\n"
        "with its file and line.",
    .options = options,
    .run = run,
};
