/* `reckon report PROJECT -o report.html [--json report.json]`: the self-contained HTML report
 * and its JSON twin, each written atomically with mode 0600 (they name victims). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "banned.h"

static const cli_option options[] = {
    {"output", 'o', CLI_VALUE, "FILE", "write the HTML report to FILE (required)"},
    {"json", 0, CLI_VALUE, "FILE", "also write the same figures as JSON to FILE"},
    {"title", 0, CLI_VALUE, "TEXT", "the report's title"},
    {"children-below", 0, CLI_VALUE, "AGE", "children are under AGE at the event (default 18)"},
    {"elderly-from", 0, CLI_VALUE, "AGE", "the elderly are AGE and over (default 60)"},
    {"event-year", 0, CLI_VALUE, "YEAR",
     "year of the events, for ages from a birth year when a record has no death date"},
    {0},
};

/* SOURCE_DATE_EPOCH (reproducible-builds.org), when set: the report's stamp. Returns false
 * (after a message) when it is not a plain number of seconds. */
static bool source_date(char out[32], bool *set)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    *set = false;
    if (!e || !*e)
        return true;
    int64_t v;
    bool digits = true;
    for (const char *p = e; *p; p++)
        digits = digits && *p >= '0' && *p <= '9';
    if (!digits || rk_parse_i64(&v, e) != RK_OK || v > 253402300799) {
        cli_usage_error("report",
                        "SOURCE_DATE_EPOCH '%s' is not a number of seconds since 1970; give one "
                        "or unset it",
                        e);
        return false;
    }
    time_t t = (time_t)v;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    *set = true;
    return true;
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("report", "expected one argument, the project file");
    const char *out = cli_get(args, "output", NULL);
    const char *json = cli_get(args, "json", NULL);
    if (!out)
        return cli_usage_error("report", "name the HTML file to write with -o FILE");
    rk_report_options o = RK_REPORT_OPTIONS_INIT;
    int64_t cb, ef, ey;
    if (!cli_get_int(args, "report", "children-below", o.counts.children_below, 1, 130, &cb) ||
        !cli_get_int(args, "report", "elderly-from", o.counts.elderly_from, 1, 130, &ef) ||
        !cli_get_int(args, "report", "event-year", 0, 0, 9999, &ey))
        return CLI_EUSER;
    if (ef < cb)
        return cli_usage_error("report", "--elderly-from %lld is below --children-below %lld",
                               (long long)ef, (long long)cb);
    o.counts.children_below = (int)cb, o.counts.elderly_from = (int)ef;
    o.counts.event_year = (int)ey;
    o.title = cli_get(args, "title", NULL);
    char stamp[32];
    bool have_stamp;
    if (!source_date(stamp, &have_stamp))
        return CLI_EUSER;
    o.generated = have_stamp ? stamp : NULL;
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    cli_output oh = {0}, oj = {0};
    rc = cli_output_open(&oh, ctx, out, args->positional[0]);
    if (rc == RK_OK && json)
        rc = cli_output_open(&oj, ctx, json, args->positional[0]);
    if (rc == RK_OK)
        rc = rk_report_write(st, &o, oh.f, oj.f);
    rk_store_free(st);
    rc = cli_output_close(&oh, ctx, rc);
    rc = cli_output_close(&oj, ctx, rc);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    printf("wrote %s%s%s\n", out, json ? " and " : "", json ? json : "");
    return CLI_OK;
}

const cli_command cli_cmd_report = {
    .name = "report",
    .summary = "write the HTML report (and its JSON) of a project",
    .usage = "report PROJECT -o report.html [--json report.json] [OPTIONS]",
    .description =
        "One self-contained HTML file (inline CSS and SVG charts, no scripts, nothing\n"
        "loaded from elsewhere, printable on A4): summary, lists and overlaps, linkage,\n"
        "estimates, claims beside documented counts and estimates, and provenance. With\n"
        "--json, the same figures as JSON. The same project gives the same bytes: the\n"
        "report is stamped with the time of the project's latest audit event, or with\n"
        "SOURCE_DATE_EPOCH when that is set. See docs/report.md.",
    .options = options,
    .run = run,
};
