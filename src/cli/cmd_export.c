/* `reckon export PROJECT WHAT`: a table of the project as CSV or JSON, to standard output or,
 * atomically and with mode 0600, to a file. */
#include "cli.h"

#include <errno.h>
#include <string.h>

#include "banned.h"

static const cli_option options[] = {
    {"format", 'f', CLI_VALUE, "FORMAT", "csv (default) or json"},
    {"output", 'o', CLI_VALUE, "FILE",
     "write to FILE instead of standard output (replicates: the new directory, default "
     "'replicates')"},
    {"by", 0, CLI_VALUE, "FIELD,...",
     "captures, counts, replicates: stratum fields, as 'reckon estimate --by'"},
    {"age-groups", 0, CLI_VALUE, "A,B,...",
     "with --by age_group: the first age of each group, from 0 (default 0,15,30,45,60)"},
    {"impute", 0, CLI_VALUE, "M",
     "replicates: M imputations of the values persons lack (default 20); captures, counts: 0 "
     "leaves them empty (default: imputed as estimate's main pass)"},
    {"draws", 0, CLI_VALUE, "K", "replicates: M files for each of K draws of the linkage"},
    {"seed", 0, CLI_VALUE, "S", "seed of imputations and draws, as estimate's (default 1)"},
    {0},
};

typedef int (*export_fn)(FILE *out, rk_store *st, rk_format fmt);

/* What can be exported as one table; captures, counts and replicates take rk_export_options. */
static const struct {
    const char *name;
    export_fn fn;
} exports[] = {
    {"records", rk_export_records},     {"persons", rk_export_persons}, {"pairs", rk_export_pairs},
    {"estimates", rk_export_estimates}, {"claims", rk_export_claims},
};

/* The options of captures, counts and replicates; false after a usage error. */
static bool parse_mse_options(const cli_args *args, const char *what, rk_export_options *o)
{
    bool replicates = strcmp(what, "replicates") == 0;
    int64_t v;
    o->by = cli_get(args, "by", NULL);
    o->age_groups = cli_get(args, "age-groups", NULL);
    if (!cli_get_int(args, "export", "seed", 1, 0, INT64_MAX, &v))
        return false;
    o->seed = (uint64_t)v;
    if (!cli_get_int(args, "export", "impute", replicates ? RK_ESTIMATE_IMPUTATIONS : 1,
                     replicates ? 1 : 0, replicates ? 10000 : 1, &v))
        return false;
    o->impute = v > 0;
    o->imputations = (size_t)v;
    if (!replicates && cli_has(args, "draws")) {
        cli_usage_error("export", "--draws is for replicates");
        return false;
    }
    if (!cli_get_int(args, "export", "draws", 0, 0, 10000, &v))
        return false;
    o->draws = (size_t)v;
    if (replicates && !(o->by && *o->by) && !o->draws) {
        cli_usage_error("export", "replicates need --by (the fields to impute) or --draws (the "
                                  "linkages to draw)");
        return false;
    }
    if (strcmp(cli_get(args, "format", "csv"), "csv") != 0) {
        cli_usage_error("export", "%s are exported as CSV only", what);
        return false;
    }
    return true;
}

/* What one run writes: a table export (fn) or captures and counts (fn NULL, options o). */
typedef struct export_job {
    export_fn fn;
    rk_format fmt;
    const char *what;
    const rk_export_options *o;
} export_job;

/* Opens the project, writes the job to standard output or -o FILE (whole or not at all). */
static int write_output(rk_ctx *ctx, const cli_args *args, const export_job *job)
{
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    const char *path = cli_get(args, "output", NULL);
    cli_output o = {0};
    if (path && (rc = cli_output_open(&o, ctx, path, args->positional[0])) != RK_OK) {
        rk_store_free(st);
        return cli_fail(ctx, rc);
    }
    FILE *out = path ? o.f : stdout;
    if (job->fn)
        rc = job->fn(out, st, job->fmt);
    else if (strcmp(job->what, "captures") == 0)
        rc = rk_export_captures(out, st, job->o);
    else
        rc = rk_export_counts(out, st, job->o);
    rk_store_free(st);
    if (path)
        rc = cli_output_close(&o, ctx, rc);
    else if (fflush(stdout) != 0 && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "write error on standard output");
    return rc == RK_OK ? CLI_OK : cli_fail(ctx, rc);
}

/* captures, counts and replicates: the exports for R's estimation packages. */
static int run_mse(rk_ctx *ctx, const cli_args *args, const char *what)
{
    rk_export_options o = RK_EXPORT_OPTIONS_INIT;
    if (!parse_mse_options(args, what, &o))
        return CLI_EUSER;
    if (strcmp(what, "replicates") != 0)
        return write_output(ctx, args, &(export_job){.what = what, .o = &o});
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    const char *dir = cli_get(args, "output", "replicates");
    rc = rk_export_replicates(dir, st, &o);
    rk_store_free(st);
    if (rc == RK_OK)
        fprintf(stderr, "wrote %zu replicates, index.csv and SHA256SUMS to %s\n",
                o.imputations * (o.draws ? o.draws : 1), dir);
    return rc == RK_OK ? CLI_OK : cli_fail(ctx, rc);
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 2)
        return cli_usage_error("export",
                               "expected the project file and what to export (records, persons, "
                               "pairs, estimates, claims, captures, counts, replicates)");
    const char *what = args->positional[1];
    if (!strcmp(what, "captures") || !strcmp(what, "counts") || !strcmp(what, "replicates"))
        return run_mse(ctx, args, what);
    export_fn fn = NULL;
    for (size_t i = 0; i < sizeof(exports) / sizeof(exports[0]); i++)
        if (strcmp(exports[i].name, what) == 0)
            fn = exports[i].fn;
    if (!fn)
        return cli_usage_error("export", "cannot export '%s'", what);
    static const char *const mse_only[] = {"by", "age-groups", "impute", "draws", "seed"};
    for (size_t i = 0; i < sizeof(mse_only) / sizeof(mse_only[0]); i++)
        if (cli_has(args, mse_only[i]))
            return cli_usage_error("export", "--%s is for captures, counts and replicates",
                                   mse_only[i]);
    const char *format = cli_get(args, "format", "csv");
    rk_format fmt;
    if (strcmp(format, "csv") == 0)
        fmt = RK_FORMAT_CSV;
    else if (strcmp(format, "json") == 0)
        fmt = RK_FORMAT_JSON;
    else
        return cli_usage_error("export", "format '%s' is not csv or json", format);
    return write_output(ctx, args, &(export_job){.fn = fn, .fmt = fmt, .what = what});
}

const cli_command cli_cmd_export = {
    .name = "export",
    .summary = "export tables as CSV or JSON, and the files R's estimation packages read",
    .usage = "export PROJECT records|persons|pairs|estimates|claims [--format csv|json] "
             "[-o FILE]\n"
             "       reckon export PROJECT captures|counts [--by FIELD,...] [--impute 0] "
             "[--seed S] [-o FILE]\n"
             "       reckon export PROJECT replicates [--by FIELD,...] [--impute M] [--draws K] "
             "[--seed S] [-o DIR]",
    .description =
        "captures: one row per person of the latest link run: an opaque match_group_id, a\n"
        "0/1 column per list, and per --by field its value and FIELD_imputed (TRUE/FALSE).\n"
        "counts: the capture-pattern table, every pattern in binary order (the first list\n"
        "most significant), in the layout 'reckon estimate --counts', Rcapture and LCMCR read;\n"
        "with --by, each stratum's table after columns of its values. Persons, values and\n"
        "strata are those 'reckon estimate --by' estimates (imputed with the same --seed).\n"
        "replicates: a new directory of M files per partition in the layout of HRDAG's\n"
        "verdata (replica, then the columns of captures), index.csv and SHA256SUMS\n"
        "(docs/exports.md).",
    .options = options,
    .run = run,
};
