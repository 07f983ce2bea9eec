/* `reckon import`: imports list files into a project, each file atomically, with the mapping
 * from a mapping file and/or flags (flags override the file). */
#include "cli.h"

#include <string.h>

#include "banned.h"

static const cli_option options[] = {
    {"list", 'l', CLI_VALUE, "NAME", "the list the file belongs to (created when new)"},
    {"map", 'm', CLI_VALUE, "FILE",
     "mapping file (docs/mapping.md); without FILE arguments, "
     "imports every list in it that names a file"},
    {"column", 'c', CLI_MULTI, "ROLE=HEADER",
     "map a column to a role (id, full_name, ... "
     "field:NAME)"},
    {"date-format", 0, CLI_MULTI, "ROLE=FORMAT",
     "how a date column is written (DD.MM.YYYY, D MON YYYY, ...; docs/mapping.md), or auto: "
     "the day/month order decided from the column"},
    {"century-pivot", 0, CLI_VALUE, "YEAR",
     "read two-digit years (format YY) as years from YEAR to YEAR+99"},
    {"name-order", 0, CLI_VALUE, "ORDER", "family-first, given-first or auto"},
    {"delimiter", 'd', CLI_VALUE, "C", "',', ';', '|' or tab (default: detected)"},
    {"encoding", 'e', CLI_VALUE, "ENC", "the file's encoding (default UTF-8; e.g. WINDOWS-1251)"},
    {"language", 0, CLI_VALUE, "CODE", "the list's language, a hint for transliteration"},
    {"sheet", 0, CLI_VALUE, "NAME|N",
     "the sheet of a spreadsheet (.xlsx, .ods, .xls) to import, by name or number (default: "
     "the first)"},
    {"lenient", 0, CLI_FLAG, NULL, "keep bad values raw and list them (reckon lists --problems)"},
    {"replace", 0, CLI_FLAG, NULL, "supersede the list's earlier imports (they are kept)"},
    {"max-field", 0, CLI_VALUE, "BYTES", "longest field accepted (default 1048576)"},
    {"quiet", 'q', CLI_FLAG, NULL, "print nothing on success"},
    {0},
};

static int apply_pairs(rk_ctx *ctx, rk_mapping *m, const cli_args *args, const char *opt,
                       const char *prefix)
{
    const char **vals;
    size_t n = cli_get_all(args, opt, &vals);
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(vals[i], '=');
        if (!eq || eq == vals[i])
            return rk_error_set(ctx, RK_EINPUT, "--%s '%s': expected %s", opt, vals[i],
                                strcmp(opt, "column") == 0 ? "ROLE=HEADER" : "ROLE=FORMAT");
        char key[256];
        snprintf(key, sizeof(key), "%s%.*s", prefix, (int)(eq - vals[i]), vals[i]);
        int rc = rk_mapping_put(m, ctx, key, eq + 1, NULL, 0);
        if (rc != RK_OK)
            return rc;
    }
    return RK_OK;
}

/* Overlays the command-line flags on a mapping. */
static int apply_flags(rk_ctx *ctx, rk_mapping *m, const cli_args *args)
{
    int rc = apply_pairs(ctx, m, args, "column", "column.");
    if (rc == RK_OK)
        rc = apply_pairs(ctx, m, args, "date-format", "date_format.");
    static const char *const simple[][2] = {
        {"century-pivot", "century_pivot"}, {"name-order", "name_order"},
        {"delimiter", "delimiter"},         {"encoding", "encoding"},
        {"language", "language"},           {"sheet", "sheet"}};
    for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]) && rc == RK_OK; i++) {
        const char *v = cli_get(args, simple[i][0], NULL);
        if (v)
            rc = rk_mapping_put(m, ctx, simple[i][1], v, NULL, 0);
    }
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int import_one(rk_store *st, const rk_mapping *m, const char *path, const cli_args *args,
                      size_t max_field)
{
    rk_import_options opts = RK_IMPORT_OPTIONS_INIT;
    opts.mapping = m;
    opts.lenient = cli_has(args, "lenient");
    opts.replace = cli_has(args, "replace");
    opts.max_field = max_field;
    rk_text *text = NULL;
    int rc = rk_text_for_mapping(&text, rk_store_ctx(st), m);
    if (rc != RK_OK)
        return rc;
    opts.standardize = rk_text_import_hook;
    opts.standardize_user = text;
    rk_import_result res;
    rc = rk_import_file(&res, st, &opts, path);
    rk_text_free(text);
    if (rc != RK_OK)
        return rc;
    if (cli_has(args, "quiet"))
        return RK_OK;
    if (res.unchanged)
        printf("%s: the same bytes were imported into list '%s' before (import %lld); nothing "
               "to do\n",
               path, m->list, (long long)res.import_id);
    else
        printf("%s: imported %lld rows into list '%s' (import %lld, %llu bytes, sha256 %.16s...)"
               "%s\n",
               path, (long long)res.rows, m->list, (long long)res.import_id,
               (unsigned long long)res.bytes, res.sha256,
               res.problems ? "; some values are listed as problems, see 'reckon lists --problems'"
                            : "");
    for (int r = 0; r < RK_FIELD_COUNT; r++)
        if (res.date_auto[r][0])
            printf("%s: %s\n", path, res.date_auto[r]);
    if (res.problems) {
        cli_progress_clear();
        fprintf(stderr,
                "warning: %s: %lld values did not parse and were kept raw, or are impossible "
                "dates\n",
                path, (long long)res.problems);
    }
    return RK_OK;
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional < 1)
        return cli_usage_error("import", "expected the project file, then the files to import");
    const char *project = args->positional[0];
    const char *list = cli_get(args, "list", NULL);
    const char *map_path = cli_get(args, "map", NULL);
    int64_t max_field = 0;
    if (!cli_get_int(args, "import", "max-field", 1 << 20, 1, (int64_t)1 << 32, &max_field))
        return CLI_EUSER;
    if (args->npositional < 2 && !map_path)
        return cli_usage_error("import", "expected a file to import (or --map with files named "
                                         "in it)");
    if (args->npositional > 2 && list)
        return cli_usage_error("import", "--list names one list; import one file per command, "
                                         "or use a mapping file");
    char why[512];
    if (list && !rk_list_name_ok(list, why, sizeof(why)))
        return cli_usage_error("import", "--list: %s", why);
    rk_mapping_set set;
    rk_mapping_set_init(&set);
    rk_store *st = NULL;
    int rc = RK_OK;
    if (map_path && (rc = rk_mapping_file_read(&set, ctx, map_path)) != RK_OK)
        goto done;
    if ((rc = rk_store_open(&st, ctx, project, RK_STORE_READWRITE)) != RK_OK)
        goto done;
    if (args->npositional < 2) {
        /* Every list of the mapping file that names its file. */
        size_t done_count = 0;
        for (size_t i = 0; i < set.count && rc == RK_OK; i++) {
            rk_mapping *m = &set.lists[i];
            if (!m->file || (list && strcmp(list, m->list) != 0))
                continue;
            if ((rc = apply_flags(ctx, m, args)) != RK_OK)
                break;
            char path[4096];
            if (m->file[0] == '/')
                snprintf(path, sizeof(path), "%s", m->file);
            else
                snprintf(path, sizeof(path), "%s/%s", set.dir, m->file);
            rc = import_one(st, m, path, args, (size_t)max_field);
            done_count++;
        }
        if (rc == RK_OK && done_count == 0)
            rc = rk_error_set(ctx, RK_EINPUT,
                              "%s: no list%s names a file ('file = ...'); give the files to "
                              "import",
                              map_path, list ? " of that name" : "");
        goto done;
    }
    for (size_t f = 1; f < args->npositional && rc == RK_OK; f++) {
        const char *path = args->positional[f];
        rk_mapping own;
        rk_mapping_init(&own);
        rk_mapping *m = NULL;
        if (list && map_path) {
            m = rk_mapping_set_find(&set, list);
            if (!m) {
                rc = rk_error_set(ctx, RK_EINPUT, "%s: no section '[list %s]'", map_path, list);
                break;
            }
        } else if (map_path) {
            for (size_t i = 0; i < set.count && !m; i++)
                if (set.lists[i].file && strcmp(base_name(set.lists[i].file), base_name(path)) == 0)
                    m = &set.lists[i];
            if (!m && set.count == 1)
                m = &set.lists[0];
            if (!m) {
                rc = rk_error_set(ctx, RK_EINPUT,
                                  "%s: no list of %s names this file; say which with --list", path,
                                  map_path);
                break;
            }
        } else {
            if (!list) {
                rk_mapping_release(&own);
                rc =
                    rk_error_set(ctx, RK_EINPUT,
                                 "which list is %s? name it with --list NAME (or use --map)", path);
                break;
            }
            m = &own;
            m->list = rk_strdup(list);
            if (!m->list) {
                rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
                break;
            }
        }
        rc = apply_flags(ctx, m, args);
        if (rc == RK_OK)
            rc = import_one(st, m, path, args, (size_t)max_field);
        rk_mapping_release(&own);
    }
done:
    rk_store_free(st);
    rk_mapping_set_release(&set);
    return rc == RK_OK ? CLI_OK : cli_fail(ctx, rc);
}

const cli_command cli_cmd_import = {
    .name = "import",
    .summary = "import list files (CSV, .xlsx, .ods, .xls) into a project, with their provenance",
    .usage = "import PROJECT --list NAME [--map FILE] [--column ROLE=HEADER]... [OPTIONS] FILE\n"
             "       reckon import PROJECT --map FILE [FILE...]",
    .description =
        "Each file is imported in one transaction: on any error the project is left exactly as\n"
        "it was. The same bytes imported into the same list again are a no-op; changed bytes\n"
        "are a new import and the old one is kept. Roles: id, full_name, given_name,\n"
        "family_name, second_family_name, patronymic, father_name, mother_name, sex,\n"
        "birth_date, birth_year, age, death_date, place, region, violation, field:NAME.",
    .options = options,
    .run = run,
};
