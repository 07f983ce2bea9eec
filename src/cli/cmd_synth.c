/* `reckon synth`: writes synthetic lists of victims with known truth (for testing linkage and
 * estimation) into a directory, and says what it made. */
#include "cli.h"

#include <string.h>

static const cli_option options[] = {
    {"scenario", 0, CLI_VALUE, "NAME",
     "caucasus, spanish, arabic, mixed or balkans (default caucasus)"},
    {"people", 0, CLI_VALUE, "N", "true number of victims, listed or not (default 10000)"},
    {"lists", 0, CLI_VALUE, "K", "number of lists, 2 to 12 (default 4)"},
    {"seed", 0, CLI_VALUE, "S", "random seed; the same seed writes the same bytes (default 1)"},
    {"out", 'o', CLI_VALUE, "DIR", "directory to write into (created if missing)"},
    {"spreadsheet", 0, CLI_VALUE, "FORMAT",
     "csv or xlsx: every list in that format (default: as the scenario keeps each list)"},
    {"quiet", 'q', CLI_FLAG, NULL, "print nothing on success"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    rk_synth_options o = RK_SYNTH_OPTIONS_INIT;
    int64_t people, lists, seed;
    o.scenario = cli_get(args, "scenario", "caucasus");
    bool known = false;
    for (const char *const *s = rk_synth_scenarios(); *s; s++)
        known |= strcmp(*s, o.scenario) == 0;
    if (!known)
        return cli_usage_error("synth",
                               "no scenario '%s'; use caucasus, spanish, arabic, mixed or balkans",
                               o.scenario);
    if (!cli_get_int(args, "synth", "people", 10000, 1, 1000000000, &people) ||
        !cli_get_int(args, "synth", "lists", 4, 2, RK_SYNTH_MAX_LISTS, &lists) ||
        !cli_get_int(args, "synth", "seed", 1, 0, INT64_MAX, &seed))
        return CLI_EUSER;
    o.out_dir = cli_get(args, "out", NULL);
    if (!o.out_dir)
        return cli_usage_error("synth", "--out DIR is required");
    o.spreadsheet = cli_get(args, "spreadsheet", NULL);
    if (o.spreadsheet && strcmp(o.spreadsheet, "xlsx") != 0 && strcmp(o.spreadsheet, "csv") != 0)
        return cli_usage_error("synth", "--spreadsheet '%s': use csv or xlsx", o.spreadsheet);
    o.people = (uint64_t)people;
    o.lists = (unsigned)lists;
    o.seed = (uint64_t)seed;
    if (cli_has(args, "quiet"))
        cli_setup_ctx(ctx, true);
    rk_synth_summary s;
    int rc = rk_synth_run(&s, ctx, &o);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    if (!cli_has(args, "quiet")) {
        printf("wrote %u lists to %s: %llu records of %llu people on a list, out of %llu "
               "(%llu on no list)\n",
               s.lists, o.out_dir, (unsigned long long)s.records, (unsigned long long)s.captured,
               (unsigned long long)s.people, (unsigned long long)(s.people - s.captured));
        for (unsigned i = 0; i < s.lists; i++)
            printf("  %-16s %llu records\n", s.list_name[i], (unsigned long long)s.list_records[i]);
    }
    return CLI_OK;
}

const cli_command cli_cmd_synth = {
    .name = "synth",
    .summary = "write synthetic lists of victims with known truth",
    .usage = "synth --out DIR [--scenario NAME] [--people N] [--lists K] [--seed S]\n"
             "      [--spreadsheet csv|xlsx]",
    .description =
        "Writes DIR/<list>.csv or DIR/<list>.xlsx for each list (each with its own\n"
        "columns, script, date format and errors, and its regions and places in its own\n"
        "spelling; the balkans scenario keeps two of its lists as .xlsx workbooks),\n"
        "DIR/mapping.ini (the columns, for 'reckon import'), DIR/gazetteer.csv (the\n"
        "regions and places in every spelling, for 'reckon gazetteer'), DIR/truth.csv\n"
        "(record_key,person_id), DIR/truth_regions.csv (region,persons) and DIR/README.txt\n"
        "(how it was made, the true total, how many people no list names, which lists\n"
        "record no region or no age, and the commands that estimate by region).",
    .options = options,
    .run = run,
};
