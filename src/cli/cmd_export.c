/* `reckon export PROJECT WHAT`: a table of the project as CSV or JSON, to standard output or,
 * atomically and with mode 0600, to a file. */
#include "cli.h"

#include <errno.h>
#include <string.h>

#include "banned.h"

static const cli_option options[] = {
    {"format", 'f', CLI_VALUE, "FORMAT", "csv (default) or json"},
    {"output", 'o', CLI_VALUE, "FILE", "write to FILE instead of standard output"},
    {0},
};

typedef int (*export_fn)(FILE *out, rk_store *st, rk_format fmt);

/* The capture-pattern table of the latest link run, in the layout `estimate --counts` reads. */
static int export_counts(FILE *out, rk_store *st, rk_format fmt)
{
    rk_ctx *ctx = rk_store_ctx(st);
    if (fmt != RK_FORMAT_CSV)
        return rk_error_set(ctx, RK_EINPUT, "counts are exported as CSV only");
    rk_capture_table *t = NULL;
    rk_buf b;
    rk_buf_init(&b);
    int rc = rk_estimate_project_table(&t, st, NULL);
    rc = rc ? rc : rk_estimate_counts_csv(&b, ctx, t);
    if (rc == RK_OK && b.len && fwrite(rk_buf_cstr(&b), 1, b.len, out) != b.len)
        rc = rk_error_set(ctx, RK_EIO, "write error: %s", strerror(errno));
    rk_buf_release(&b);
    rk_capture_table_free(t);
    return rc;
}

/* What can be exported; later stages add their tables here. */
static const struct {
    const char *name;
    export_fn fn;
} exports[] = {
    {"records", rk_export_records},     {"persons", rk_export_persons}, {"pairs", rk_export_pairs},
    {"estimates", rk_export_estimates}, {"claims", rk_export_claims},   {"counts", export_counts},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 2)
        return cli_usage_error("export", "expected the project file and what to export "
                                         "(records, persons, pairs, estimates, claims, counts)");
    const char *what = args->positional[1];
    export_fn fn = NULL;
    for (size_t i = 0; i < sizeof(exports) / sizeof(exports[0]); i++)
        if (strcmp(exports[i].name, what) == 0)
            fn = exports[i].fn;
    if (!fn)
        return cli_usage_error("export", "cannot export '%s'", what);
    const char *format = cli_get(args, "format", "csv");
    rk_format fmt;
    if (strcmp(format, "csv") == 0)
        fmt = RK_FORMAT_CSV;
    else if (strcmp(format, "json") == 0)
        fmt = RK_FORMAT_JSON;
    else
        return cli_usage_error("export", "format '%s' is not csv or json", format);
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
    rc = fn(path ? o.f : stdout, st, fmt);
    rk_store_free(st);
    if (path)
        rc = cli_output_close(&o, ctx, rc);
    else if (fflush(stdout) != 0 && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "write error on standard output");
    return rc == RK_OK ? CLI_OK : cli_fail(ctx, rc);
}

const cli_command cli_cmd_export = {
    .name = "export",
    .summary = "export a table (records, persons, pairs, estimates, claims, counts) as CSV or JSON",
    .usage = "export PROJECT records|persons|pairs|estimates|claims|counts [--format csv|json] "
             "[-o FILE]",
    .description = "counts is the capture-pattern table of the latest link run (CSV only), in\n"
                   "the layout 'reckon estimate --counts' reads: the same figures as estimating\n"
                   "the project.",
    .options = options,
    .run = run,
};
