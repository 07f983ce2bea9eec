/* `reckon release PROJECT -o DIR` and `reckon release verify DIR`: the pseudonymized, signed
 * bundle of a project for publication (docs/release.md), and its check. */
#include "cli.h"

#include <string.h>

#include "banned.h"

static const cli_option options[] = {
    {"output", 'o', CLI_VALUE, "DIR", "the new directory of the bundle (required)"},
    {"key", 0, CLI_VALUE, "FILE",
     "the key of the pseudonyms, kept out of the bundle (default PROJECT.release-key; made "
     "0600 when missing)"},
    {"signing-key", 0, CLI_VALUE, "FILE",
     "the Ed25519 key that signs the manifest (default PROJECT.signing-key; made 0600 when "
     "missing)"},
    {"dates", 0, CLI_VALUE, "year|month", "how precisely dates are shown (default year)"},
    {"min-cell", 0, CLI_VALUE, "N", "suppress a cell of fewer than N persons (default 5)"},
    {"by", 0, CLI_VALUE, "FIELD,...",
     "stratum fields of the captures, counts and replicates: region, sex, violation, "
     "age_group, year, month (default region,sex)"},
    {"age-groups", 0, CLI_VALUE, "A,B,...", "with age_group: the first age of each group"},
    {"impute", 0, CLI_VALUE, "M", "replicate files, one per imputation (default 20)"},
    {"seed", 0, CLI_VALUE, "S", "seed of the imputations, as estimate's (default 1)"},
    {"public-key", 0, CLI_VALUE, "HEX|FILE",
     "verify: the public key the bundle must be signed with"},
    {0},
};

/* A public key given as hex or as a file holding it (one line). */
static int expected_key(char out[65], const char *arg)
{
    if (strlen(arg) == 64 && strspn(arg, "0123456789abcdef") == 64) {
        memcpy(out, arg, 65);
        return CLI_OK;
    }
    FILE *f = fopen(arg, "r");
    if (!f)
        return cli_usage_error("release",
                               "--public-key '%s' is neither 64 hex digits nor a "
                               "readable file",
                               arg);
    char line[128] = "";
    bool ok = fgets(line, sizeof(line), f) != NULL;
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    if (!ok || strlen(line) != 64 || strspn(line, "0123456789abcdef") != 64)
        return cli_usage_error("release", "%s does not hold a public key (64 hex digits)", arg);
    memcpy(out, line, 65);
    return CLI_OK;
}

static int verify(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 2)
        return cli_usage_error("release", "expected 'release verify DIR'");
    char expect[65];
    const char *pk = cli_get(args, "public-key", NULL);
    if (pk) {
        int status = expected_key(expect, pk);
        if (status != CLI_OK)
            return status;
    }
    rk_release_check chk;
    int rc = rk_release_verify(&chk, ctx, args->positional[1], pk ? expect : NULL);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    printf("%s: %zu files match the manifest, signed by %s\n", args->positional[1], chk.files,
           chk.public_key);
    return CLI_OK;
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional >= 1 && strcmp(args->positional[0], "verify") == 0)
        return verify(ctx, args);
    if (args->npositional != 1)
        return cli_usage_error("release", "expected one argument, the project file");
    const char *project = args->positional[0];
    const char *dir = cli_get(args, "output", NULL);
    if (!dir)
        return cli_usage_error("release", "name the bundle's new directory with -o DIR");
    rk_release_options o = RK_RELEASE_OPTIONS_INIT;
    const char *dates = cli_get(args, "dates", "year");
    if (strcmp(dates, "year") == 0)
        o.dates = RK_REPORT_DATES_YEAR;
    else if (strcmp(dates, "month") == 0)
        o.dates = RK_REPORT_DATES_MONTH;
    else
        return cli_usage_error("release", "--dates is year or month, not '%s'", dates);
    int64_t min_cell = 0, impute = 0, seed = 0;
    if (!cli_get_int(args, "release", "min-cell", 5, 1, 1000000, &min_cell) ||
        !cli_get_int(args, "release", "impute", 20, 1, 1000, &impute) ||
        !cli_get_int(args, "release", "seed", 1, 0, INT64_MAX, &seed))
        return CLI_EUSER;
    o.min_cell = min_cell;
    o.imputations = (size_t)impute;
    o.seed = (uint64_t)seed;
    o.by = cli_get(args, "by", NULL);
    o.age_groups = cli_get(args, "age-groups", NULL);
    char key[4096], signing[4096];
    snprintf(key, sizeof(key), "%s.release-key", project);
    snprintf(signing, sizeof(signing), "%s.signing-key", project);
    o.key_file = cli_get(args, "key", key);
    o.signing_key_file = cli_get(args, "signing-key", signing);
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, project, RK_STORE_READONLY);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    rk_release_info info;
    rc = rk_release_write(&info, st, dir, &o);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    if (info.key_created)
        fprintf(stderr,
                "made a new key for the pseudonyms: %s (keep it, and out of every "
                "bundle: the next release with it keeps the same ids)\n",
                o.key_file);
    if (info.signing_key_created)
        fprintf(stderr,
                "made a new signing key: %s (keep it private; its public half is in "
                "the bundle)\n",
                o.signing_key_file);
    printf("%s: released %zu files to %s, signed by %s\n", project, info.files, dir,
           info.public_key);
    printf("  suppressed: %lld cells of fewer than %lld persons, stratum values of %lld rows; "
           "%lld estimates of finer strata left out\n",
           (long long)info.suppressed_cells, (long long)o.min_cell, (long long)info.suppressed_rows,
           (long long)info.estimates_left_out);
    return CLI_OK;
}

const cli_command cli_cmd_release = {
    .name = "release",
    .summary = "write a pseudonymized, signed bundle for publication, or verify one",
    .usage = "release PROJECT -o DIR [--key FILE] [--signing-key FILE] [--dates year|month] "
             "[--min-cell N] [--by FIELD,...]\n       reckon release verify DIR [--public-key "
             "HEX|FILE]",
    .description =
        "Writes the report, the estimates, the captures, the counts and the replicates of the\n"
        "latest link run into a new directory, for others to re-run the estimates: no names\n"
        "(the report leaves out the pairs awaiting review), no record ids (a person's id is\n"
        "an HMAC-SHA-256 under the key of --key, the same for the same person in every\n"
        "release with that key), dates cut to the year or month, places to regions (place is\n"
        "no stratum of a release), and every cell of fewer than --min-cell persons (but some)\n"
        "suppressed and marked (docs/release.md). MANIFEST lists every file's SHA-256 and is\n"
        "signed with the Ed25519 key of --signing-key; signing-key.pub is its public half.\n"
        "Both keys stay outside the bundle; each is made (mode 0600) when its file is\n"
        "missing. The bundle is written into a temporary directory and renamed: whole or not\n"
        "at all, files 0600, directories 0700; an existing DIR is refused.\n"
        "'release verify DIR' checks every digest and the signature and names the first file\n"
        "that differs (exit 1); --public-key pins the key the bundle must be signed with.",
    .options = options,
    .run = run,
};
