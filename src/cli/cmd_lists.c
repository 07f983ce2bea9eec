/* `reckon lists PROJECT`: the lists of a project, their imports with provenance, and with
 * --problems the values that imports under --lenient kept raw, the impossible dates imports
 * kept, and the regions and places
 * that match nothing in the project's gazetteer. */
#include "cli.h"

#include <string.h>

static const cli_option options[] = {
    {"json", 0, CLI_FLAG, NULL, "print JSON"},
    {"problems", 0, CLI_FLAG, NULL,
     "list the values kept raw by --lenient imports, impossible dates, and the regions and "
     "places that match nothing in the gazetteer"},
    {0},
};

static void json_str(rk_buf *b, const char *s)
{
    rk_buf_json_string(b, s, strlen(s));
}

/* The regions and places of records that the gazetteer does not know, after the problems. */
static void print_misses(rk_buf *b, const rk_gazetteer_miss *ms, size_t n, bool json, bool first)
{
    for (size_t i = 0; i < n; i++) {
        const rk_gazetteer_miss *m = &ms[i];
        if (json) {
            rk_buf_puts(b, first && i == 0 ? "{\"list\":" : ",{\"list\":");
            json_str(b, m->list);
            rk_buf_puts(b, ",\"file\":");
            json_str(b, m->file);
            rk_buf_printf(b, ",\"line\":%lld,\"role\":\"region\",\"value\":", (long long)m->line);
            json_str(b, m->region);
            rk_buf_puts(b, ",\"place\":");
            json_str(b, m->place);
            rk_buf_printf(b,
                          ",\"records\":%lld,\"reason\":\"matches no region or place of the "
                          "gazetteer\"}",
                          (long long)m->records);
        } else {
            printf("%s:%lld: [%s] region '%s', place '%s': %lld record%s that match%s no region or "
                   "place of the gazetteer (--by region counts them as missing the region)\n",
                   m->file, (long long)m->line, m->list, m->region, m->place, (long long)m->records,
                   m->records == 1 ? "" : "s", m->records == 1 ? "es" : "");
        }
    }
}

static int print_problems(rk_ctx *ctx, rk_store *st, bool json)
{
    rk_import_problem *ps = NULL;
    size_t n = 0, nmiss = 0;
    rk_gazetteer *g = NULL;
    rk_gazetteer_miss *misses = NULL;
    int rc = rk_ingest_problems(&ps, &n, st);
    rc = rc ? rc : rk_gazetteer_open(&g, st);
    if (rc == RK_OK && g)
        rc = rk_gazetteer_misses(&misses, &nmiss, g, st);
    rk_gazetteer_free(g);
    if (rc != RK_OK) {
        rk_ingest_problems_free(ps, n);
        return cli_fail(ctx, rc);
    }
    rk_buf b;
    rk_buf_init(&b);
    if (json)
        rk_buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++) {
        const rk_import_problem *p = &ps[i];
        if (json) {
            rk_buf_puts(&b, i ? ",{\"list\":" : "{\"list\":");
            json_str(&b, p->list);
            rk_buf_puts(&b, ",\"file\":");
            json_str(&b, p->file);
            rk_buf_printf(&b, ",\"line\":%lld,\"column\":%lld,\"role\":", (long long)p->line,
                          (long long)p->column);
            json_str(&b, p->role);
            rk_buf_puts(&b, ",\"value\":");
            json_str(&b, p->value);
            rk_buf_puts(&b, ",\"reason\":");
            json_str(&b, p->reason);
            rk_buf_puts(&b, ",\"sheet\":");
            if (p->sheet)
                json_str(&b, p->sheet);
            else
                rk_buf_puts(&b, "null");
            rk_buf_puts(&b, ",\"place\":");
            json_str(&b, p->place);
            rk_buf_putc(&b, '}');
        } else {
            printf("%s: [%s] %s\n", p->place, p->list, p->reason);
        }
    }
    print_misses(&b, misses, nmiss, json, n == 0);
    if (json) {
        rk_buf_puts(&b, "]");
        printf("%s\n", rk_buf_cstr(&b));
    } else if (n == 0 && nmiss == 0) {
        printf("no problems: every mapped value parsed\n");
    }
    rk_buf_release(&b);
    rk_ingest_problems_free(ps, n);
    rk_gazetteer_misses_free(misses, nmiss);
    return CLI_OK;
}

static void print_list_json(rk_buf *b, const rk_list_info *l, bool first)
{
    rk_buf_puts(b, first ? "{\"name\":" : ",{\"name\":");
    json_str(b, l->name);
    rk_buf_puts(b, ",\"description\":");
    json_str(b, l->description ? l->description : "");
    rk_buf_printf(b, ",\"records\":%lld,\"imports\":[", (long long)l->records);
    for (size_t k = 0; k < l->nimports; k++) {
        const rk_import_info *im = &l->imports[k];
        rk_buf_printf(b, "%s{\"import\":%lld,\"file\":", k ? "," : "", (long long)im->id);
        json_str(b, im->file_name);
        rk_buf_printf(b,
                      ",\"sha256\":\"%s\",\"bytes\":%lld,\"rows\":%lld,\"problems\":%lld,"
                      "\"time\":\"%s\",\"superseded_by\":",
                      im->sha256, (long long)im->bytes, (long long)im->rows,
                      (long long)im->problems, im->time);
        if (im->superseded_by)
            rk_buf_printf(b, "%lld}", (long long)im->superseded_by);
        else
            rk_buf_puts(b, "null}");
    }
    rk_buf_puts(b, "]}");
}

static void print_list_text(const rk_list_info *l, bool first)
{
    printf("%s%s: %lld records%s%s\n", first ? "" : "\n", l->name, (long long)l->records,
           l->description && *l->description ? " - " : "", l->description ? l->description : "");
    for (size_t k = 0; k < l->nimports; k++) {
        const rk_import_info *im = &l->imports[k];
        printf("  import %lld  %s  %lld rows  %lld bytes  sha256 %s  %s%s", (long long)im->id,
               im->file_name, (long long)im->rows, (long long)im->bytes, im->sha256, im->time,
               im->superseded_by ? "  (superseded)" : "");
        if (im->problems)
            printf("  %lld values kept raw", (long long)im->problems);
        printf("\n");
    }
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("lists", "expected one argument, the project file");
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    bool json = cli_has(args, "json");
    if (cli_has(args, "problems")) {
        int status = print_problems(ctx, st, json);
        rk_store_free(st);
        return status;
    }
    rk_list_info *lists = NULL;
    size_t n = 0;
    rc = rk_ingest_lists(&lists, &n, st);
    /* The total is the project's documented records, as the report and the app count them. */
    rk_link_documented d = {0};
    if (rc == RK_OK)
        rc = rk_link_documented_count(&d, st);
    rk_store_free(st);
    if (rc != RK_OK) {
        rk_ingest_lists_free(lists, n);
        return cli_fail(ctx, rc);
    }
    int64_t total = d.records;
    if (json) {
        rk_buf b;
        rk_buf_init(&b);
        rk_buf_puts(&b, "{\"lists\":[");
        for (size_t i = 0; i < n; i++)
            print_list_json(&b, &lists[i], i == 0);
        rk_buf_printf(&b, "],\"records\":%lld}", (long long)total);
        printf("%s\n", rk_buf_cstr(&b));
        rk_buf_release(&b);
    } else if (n == 0) {
        printf("no lists yet; add one with 'reckon import %s --list NAME FILE'\n",
               args->positional[0]);
    } else {
        for (size_t i = 0; i < n; i++)
            print_list_text(&lists[i], i == 0);
        printf("\n%zu lists, %lld records\n", n, (long long)total);
    }
    rk_ingest_lists_free(lists, n);
    return CLI_OK;
}

const cli_command cli_cmd_lists = {
    .name = "lists",
    .summary = "show the lists, their imports and provenance",
    .usage = "lists PROJECT [--json] [--problems]",
    .description = "",
    .options = options,
    .run = run,
};
