/* `reckon claim add|list|remove`: the ledger of figures published by others. Adding and
 * removing are logged in the audit chain; a removed claim stays in the project, marked. */
#include "cli.h"

#include <string.h>

#include "banned.h"

static const cli_option options[] = {
    {"source", 's', CLI_VALUE, "TEXT", "add: who published the figure (required)"},
    {"url", 0, CLI_VALUE, "URL", "add: where it was published"},
    {"date", 0, CLI_VALUE, "DATE", "add: when it was published"},
    {"category", 'c', CLI_VALUE, "CATEGORY",
     "add: killed, wounded, detained (hostage, captured), disappeared (missing), or another"},
    {"group", 'g', CLI_VALUE, "GROUP", "add: women, men, children, elderly or adults"},
    {"stratum", 0, CLI_MULTI, "FIELD=VALUE", "add: a subset by record field (region=North)"},
    {"value", 'n', CLI_VALUE, "N", "add: the figure (1275 or 1,275)"},
    {"note", 0, CLI_VALUE, "TEXT", "add: a note (the wording of the source)"},
    {"all", 0, CLI_FLAG, NULL, "list: include removed claims"},
    {"json", 0, CLI_FLAG, NULL, "list: print JSON"},
    {"children-below", 0, CLI_VALUE, "AGE", "list: children are under AGE (default 18)"},
    {"elderly-from", 0, CLI_VALUE, "AGE", "list: the elderly are AGE and over (default 60)"},
    {"event-year", 0, CLI_VALUE, "YEAR", "list: year of the events, for ages from a birth year"},
    {0},
};

/* "1,275" or "1275" -> 1275. */
static bool parse_value(const char *s, int64_t *out)
{
    char digits[32];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ',' || *s == '_' || *s == ' ')
            continue;
        if (n + 1 >= sizeof(digits))
            return false;
        digits[n++] = *s;
    }
    digits[n] = '\0';
    return n > 0 && rk_parse_i64(out, digits) == RK_OK && *out >= 0;
}

static int add(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 2)
        return cli_usage_error("claim", "expected 'claim add PROJECT --source TEXT --category "
                                        "CATEGORY --value N'");
    const char *value = cli_get(args, "value", NULL);
    int64_t v = 0;
    if (!value)
        return cli_usage_error("claim", "a claim needs its figure (--value N)");
    if (!parse_value(value, &v))
        return cli_usage_error("claim", "value '%s' is not a whole number of persons", value);
    const char **strata = NULL;
    size_t ns = cli_get_all(args, "stratum", &strata);
    const char *fields[CLI_MAX_VALUES], *values[CLI_MAX_VALUES];
    char buf[CLI_MAX_VALUES][256];
    for (size_t i = 0; i < ns; i++) {
        const char *eq = strchr(strata[i], '=');
        if (!eq || eq == strata[i] || (size_t)(eq - strata[i]) >= sizeof(buf[i]))
            return cli_usage_error("claim", "stratum '%s' is not FIELD=VALUE", strata[i]);
        snprintf(buf[i], sizeof(buf[i]), "%.*s", (int)(eq - strata[i]), strata[i]);
        fields[i] = buf[i];
        values[i] = eq + 1;
    }
    rk_claim_spec spec = {.source = cli_get(args, "source", NULL),
                          .url = cli_get(args, "url", NULL),
                          .date = cli_get(args, "date", NULL),
                          .category = cli_get(args, "category", NULL),
                          .group = cli_get(args, "group", NULL),
                          .stratum_fields = fields,
                          .stratum_values = values,
                          .nstratum = ns,
                          .value = v,
                          .note = cli_get(args, "note", NULL)};
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[1], RK_STORE_READWRITE);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    int64_t id = 0;
    rc = rk_claim_add(&id, st, &spec);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    printf("added claim %lld: %s, %lld %s%s%s\n", (long long)id, spec.source, (long long)v,
           spec.category, spec.group ? ", " : "", spec.group ? spec.group : "");
    return CLI_OK;
}

static int remove_claim(rk_ctx *ctx, const cli_args *args)
{
    int64_t id = 0;
    if (args->npositional != 3 || rk_parse_i64(&id, args->positional[2]) != RK_OK)
        return cli_usage_error("claim", "expected 'claim remove PROJECT ID'");
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[1], RK_STORE_READWRITE);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    rc = rk_claim_remove(st, id);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    printf("removed claim %lld (kept in the project and the audit chain)\n", (long long)id);
    return CLI_OK;
}

static void print_json(const rk_claim_row *rows, size_t n, const rk_link_documented *basis)
{
    rk_buf b;
    rk_buf_init(&b);
    rk_buf_printf(&b, "{\"link_run\":%lld,\"persons\":%lld,\"persons_stale\":%s,\"claims\":[",
                  (long long)basis->run_id, (long long)basis->persons,
                  rk_link_persons_stale(basis) ? "true" : "false");
    for (size_t i = 0; i < n; i++) {
        const rk_claim_row *c = &rows[i];
        const char *strs[][2] = {{"source", c->source},
                                 {"url", c->url},
                                 {"date", c->date},
                                 {"category", c->category},
                                 {"group", c->group},
                                 {"note", c->note},
                                 {"removed_time", c->removed_time}};
        rk_buf_printf(&b, "%s{\"id\":%lld", i ? "," : "", (long long)c->id);
        for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++) {
            rk_buf_printf(&b, ",\"%s\":", strs[k][0]);
            if (strs[k][1])
                rk_buf_json_string(&b, strs[k][1], strlen(strs[k][1]));
            else
                rk_buf_puts(&b, "null");
        }
        rk_buf_printf(&b, ",\"stratum\":%s,\"value\":%lld,\"documented\":%lld",
                      c->stratum ? c->stratum : "null", (long long)c->value,
                      (long long)c->documented);
        if (c->has_estimate)
            rk_buf_printf(&b,
                          ",\"estimate_id\":%lld,\"estimate\":%.15g,\"lower\":%.15g,"
                          "\"upper\":%.15g",
                          (long long)c->estimate_id, c->estimate, c->lower, c->upper);
        rk_buf_printf(&b, ",\"standing\":\"%s\"}", rk_claim_standing_code(c->standing));
    }
    rk_buf_puts(&b, "]}");
    printf("%s\n", rk_buf_cstr(&b));
    rk_buf_release(&b);
}

static int list(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 2)
        return cli_usage_error("claim", "expected 'claim list PROJECT'");
    rk_count_options o = RK_COUNT_OPTIONS_INIT;
    int64_t cb, ef, ey;
    if (!cli_get_int(args, "claim", "children-below", o.children_below, 1, 130, &cb) ||
        !cli_get_int(args, "claim", "elderly-from", o.elderly_from, 1, 130, &ef) ||
        !cli_get_int(args, "claim", "event-year", 0, 0, 9999, &ey))
        return CLI_EUSER;
    o.children_below = (int)cb, o.elderly_from = (int)ef, o.event_year = (int)ey;
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[1], RK_STORE_READONLY);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    rk_claim_row *rows = NULL;
    size_t n = 0;
    rk_link_documented basis = {0};
    rc = rk_claim_list(&rows, &n, &basis, st, &o, cli_has(args, "all"));
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    if (cli_has(args, "json")) {
        print_json(rows, n, &basis);
    } else {
        if (!basis.run_id)
            printf("no link run yet: each record counted as a person\n");
        char notice[512];
        rk_link_stale_notice(notice, sizeof(notice), &basis);
        if (notice[0])
            printf("%s\n", notice);
        for (size_t i = 0; i < n; i++) {
            const rk_claim_row *c = &rows[i];
            printf("%lld\t%s\t%s%s%s%s%s\tclaimed %lld\tdocumented %lld", (long long)c->id,
                   c->source, c->category, c->group ? ", " : "", c->group ? c->group : "",
                   c->stratum_label ? ", " : "", c->stratum_label ? c->stratum_label : "",
                   (long long)c->value, (long long)c->documented);
            if (c->has_estimate)
                printf("\testimate %.0f (%.0f-%.0f)", c->estimate, c->lower, c->upper);
            printf("\t%s%s%s\n", rk_claim_standing_text(c->standing),
                   c->removed_time ? "\tremoved " : "", c->removed_time ? c->removed_time : "");
        }
        if (n == 0)
            printf("no claims\n");
    }
    rk_claim_list_free(rows, n);
    return CLI_OK;
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    const char *sub = args->npositional ? args->positional[0] : "";
    if (strcmp(sub, "add") == 0)
        return add(ctx, args);
    if (strcmp(sub, "list") == 0)
        return list(ctx, args);
    if (strcmp(sub, "remove") == 0)
        return remove_claim(ctx, args);
    return cli_usage_error("claim", "expected add, list or remove");
}

const cli_command cli_cmd_claim = {
    .name = "claim",
    .summary = "record published figures and compare them with the evidence",
    .usage = "claim add PROJECT --source TEXT [--url URL] [--date DATE] --category CATEGORY\n"
             "                    [--group GROUP] [--stratum FIELD=VALUE]... --value N [--note "
             "TEXT]\n"
             "       reckon claim list PROJECT [--all] [--json]\n"
             "       reckon claim remove PROJECT ID",
    .description =
        "A claim is a figure someone published (\"613 civilians killed\"). 'list' shows\n"
        "each beside the persons the lists document in the same category, group and\n"
        "stratum and, where one matches, the estimate, with where the claim stands:\n"
        "below what is documented, between documented and the estimate's lower bound,\n"
        "within the interval, or above it. Adding and removing are logged in the audit\n"
        "chain; a removed claim is marked, never erased. See docs/claims.md.",
    .options = options,
    .run = run,
};
