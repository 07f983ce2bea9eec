/* `reckon synth`: writes synthetic lists of victims with known truth (for testing linkage and
 * estimation) into a directory, and says what it made. */
#include "cli.h"

#include <string.h>

static const cli_option options[] = {
    {"scenario", 0, CLI_VALUE, "NAME",
     "caucasus, spanish, arabic, mixed, balkans or febrl (default caucasus)"},
    {"people", 0, CLI_VALUE, "N",
     "true number of victims, listed or not (default 10000); febrl: records of each file"},
    {"pairs", 0, CLI_VALUE, "M", "febrl: people in both files (default half of --people)"},
    {"max-errors", 0, CLI_VALUE, "K", "febrl: a duplicate has 1 to K modifications (default 3)"},
    {"error-weights", 0, CLI_VALUE, "LIST",
     "febrl: relative weights of the kinds of modification, KIND=W,... (typo, ocr, phonetic,\n"
     "missing, swap, postcode, date; default typo=0.35,ocr=0.1,phonetic=0.15,missing=0.15,\n"
     "swap=0.05,postcode=0.1,date=0.1; kinds not named keep their default)"},
    {"lists", 0, CLI_VALUE, "K", "number of lists, 2 to 12 (default 4)"},
    {"seed", 0, CLI_VALUE, "S", "random seed; the same seed writes the same bytes (default 1)"},
    {"out", 'o', CLI_VALUE, "DIR", "directory to write into (created if missing)"},
    {"spreadsheet", 0, CLI_VALUE, "FORMAT",
     "csv or xlsx: every list in that format (default: as the scenario keeps each list)"},
    {"name-pool", 0, CLI_VALUE, "POOL",
     "tables or large: names from the compiled tables (a few dozen a culture), or with names\n"
     "generated for a population of that size, Caucasus cultures (default: tables up to\n"
     "1,000,000 people, large above)"},
    {"quiet", 'q', CLI_FLAG, NULL, "print nothing on success"},
    {0},
};

/* Reads --error-weights KIND=W,... into w. */
static bool parse_weights(double *w, const char *list)
{
    char copy[512];
    if (strlen(list) >= sizeof(copy))
        return false;
    snprintf(copy, sizeof(copy), "%s", list);
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq)
            return false;
        *eq = 0;
        int k = 0;
        for (; rk_synth_febrl_kind(k) && strcmp(rk_synth_febrl_kind(k), item) != 0; k++)
            ;
        if (!rk_synth_febrl_kind(k) || rk_parse_double(&w[k], eq + 1) != RK_OK || w[k] < 0)
            return false;
    }
    return true;
}

static int run_febrl(rk_ctx *ctx, const cli_args *args)
{
    rk_synth_febrl_options o = RK_SYNTH_FEBRL_OPTIONS_INIT;
    int64_t people, pairs, seed, max_errors;
    if (!cli_get_int(args, "synth", "people", 10000, 1, 100000000, &people) ||
        !cli_get_int(args, "synth", "pairs", people / 2, 0, people, &pairs) ||
        !cli_get_int(args, "synth", "max-errors", 3, 1, 20, &max_errors) ||
        !cli_get_int(args, "synth", "seed", 1, 0, INT64_MAX, &seed))
        return CLI_EUSER;
    const char *weights = cli_get(args, "error-weights", NULL);
    if (weights && !parse_weights(o.weight, weights))
        return cli_usage_error("synth",
                               "--error-weights '%s': write KIND=W,... with kinds typo, ocr, "
                               "phonetic, missing, swap, postcode, date and weights >= 0",
                               weights);
    o.out_dir = cli_get(args, "out", NULL);
    if (!o.out_dir)
        return cli_usage_error("synth", "--out DIR is required");
    o.records = (uint64_t)people;
    o.pairs = (uint64_t)pairs;
    o.max_errors = (unsigned)max_errors;
    o.seed = (uint64_t)seed;
    if (cli_has(args, "quiet"))
        cli_setup_ctx(ctx, true);
    rk_synth_febrl_summary s;
    int rc = rk_synth_febrl(&s, ctx, &o);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    if (!cli_has(args, "quiet")) {
        uint64_t total = 0;
        for (int k = 0; k < RK_FEBRL_NKINDS; k++)
            total += s.errors[k];
        printf("wrote %s/a.csv and b.csv: %llu records each, %llu people in both, %llu "
               "modifications:",
               o.out_dir, (unsigned long long)s.records_a, (unsigned long long)s.pairs,
               (unsigned long long)total);
        for (int k = 0; k < RK_FEBRL_NKINDS; k++)
            printf(" %s %llu", rk_synth_febrl_kind(k), (unsigned long long)s.errors[k]);
        printf("\n");
    }
    return CLI_OK;
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    rk_synth_options o = RK_SYNTH_OPTIONS_INIT;
    int64_t people, lists, seed;
    o.scenario = cli_get(args, "scenario", "caucasus");
    if (strcmp(o.scenario, "febrl") == 0)
        return run_febrl(ctx, args);
    bool known = false;
    for (const char *const *s = rk_synth_scenarios(); *s; s++)
        known |= strcmp(*s, o.scenario) == 0;
    if (!known)
        return cli_usage_error("synth",
                               "no scenario '%s'; use caucasus, spanish, arabic, mixed, balkans "
                               "or febrl",
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
    const char *pool = cli_get(args, "name-pool", NULL);
    if (pool && strcmp(pool, "tables") != 0 && strcmp(pool, "large") != 0)
        return cli_usage_error("synth", "--name-pool '%s': use tables or large", pool);
    if (pool)
        o.name_pool = strcmp(pool, "large") == 0 ? RK_SYNTH_POOL_LARGE : RK_SYNTH_POOL_TABLES;
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
             "      [--spreadsheet csv|xlsx] [--name-pool tables|large]\n"
             "      synth --scenario febrl --out DIR [--people N] [--pairs M] [--seed S]\n"
             "      [--max-errors K] [--error-weights KIND=W,...]",
    .description =
        "Writes DIR/<list>.csv or DIR/<list>.xlsx for each list (each with its own\n"
        "columns, script, date format and errors, and its regions and places in its own\n"
        "spelling; the balkans scenario keeps two of its lists as .xlsx workbooks),\n"
        "DIR/mapping.ini (the columns, for 'reckon import'), DIR/gazetteer.csv (the\n"
        "regions and places in every spelling, for 'reckon gazetteer'), DIR/truth.csv\n"
        "(record_key,person_id), DIR/truth_regions.csv (region,persons) and DIR/README.txt\n"
        "(how it was made, the true total, how many people no list names, which lists\n"
        "record no region or no age, and the commands that estimate by region).\n"
        "\n"
        "--scenario febrl writes Febrl-like person files instead (docs/synth.md): DIR/a.csv\n"
        "and DIR/b.csv of N records each (given_name, surname, street_number, address_1,\n"
        "address_2, suburb, postcode, state, date_of_birth, soc_sec_id), M people of a.csv\n"
        "once more in b.csv with 1 to K modifications each (typos, OCR and phonetic\n"
        "variations, missing values, swapped names, a postcode digit, a birth date's\n"
        "day/month or digit), DIR/truth.csv and DIR/mapping.ini.",
    .options = options,
    .run = run,
};
