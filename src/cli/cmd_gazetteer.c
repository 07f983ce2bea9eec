/* `reckon gazetteer PROJECT FILE --region-column C`: imports a gazetteer of regions and places
 * with their spellings, from which `reckon estimate --by region` takes a record's region. */
#include "cli.h"

static const cli_option options[] = {
    {"region-column", 0, CLI_VALUE, "C", "the column of each row's region (required)"},
    {"place-column", 0, CLI_VALUE, "C",
     "the column of each row's place; a row whose place is empty is a region"},
    {"name-column", 0, CLI_VALUE, "C",
     "the column of the canonical name (default: the place or region column)"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 2)
        return cli_usage_error("gazetteer", "expected two arguments, the project and the file");
    rk_gazetteer_options o = RK_GAZETTEER_OPTIONS_INIT;
    o.region_column = cli_get(args, "region-column", NULL);
    o.place_column = cli_get(args, "place-column", NULL);
    o.name_column = cli_get(args, "name-column", NULL);
    if (!o.region_column)
        return cli_usage_error("gazetteer", "give the column of the regions with --region-column");
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READWRITE);
    rk_gazetteer_result r;
    if (rc == RK_OK)
        rc = rk_ingest_gazetteer(&r, st, args->positional[1], &o);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    printf("imported gazetteer %lld: %lld rows (%lld regions, %lld places), %lld spellings, "
           "sha256 %s\n",
           (long long)r.id, (long long)r.rows, (long long)r.regions, (long long)r.places,
           (long long)r.names, r.sha256);
    return CLI_OK;
}

const cli_command cli_cmd_gazetteer = {
    .name = "gazetteer",
    .summary = "import a gazetteer of regions and places in every spelling",
    .usage = "gazetteer PROJECT FILE --region-column C [--place-column C] [--name-column C]",
    .description =
        "Imports a CSV with one row per region or place: its region (--region-column), its\n"
        "place (--place-column; a row whose place is empty is a region), its canonical name\n"
        "(--name-column, default the place or region) and any number of other columns that\n"
        "spell it in other scripts and conventions (OCHA's ADM1_EN, ADM1_AR, ADM1_RU, ...).\n"
        "It replaces the project's gazetteer, in one transaction with an audit event. With a\n"
        "gazetteer, 'reckon estimate --by region' takes a record's region from its region\n"
        "value, or failing that its place, matched by folded key against these names;\n"
        "'reckon lists --problems' lists the values that match nothing (docs/methods.md,\n"
        "\"Strata\").",
    .options = options,
    .run = run,
};
