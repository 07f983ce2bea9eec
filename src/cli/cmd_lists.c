/* `reckon lists PROJECT`: the lists of a project, their imports with provenance, and with
 * --problems the values that imports under --lenient kept raw. */
#include "cli.h"
#include "store/store_internal.h"

#include <sqlite3.h>
#include <string.h>

static const cli_option options[] = {
    {"json", 0, CLI_FLAG, NULL, "print JSON"},
    {"problems", 0, CLI_FLAG, NULL, "list the values kept raw by --lenient imports"},
    {0},
};

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

static void json_str(rk_buf *b, const char *s)
{
    rk_buf_json_string(b, s, strlen(s));
}

static int print_problems(rk_ctx *ctx, rk_store *st, bool json)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(rk_store__db(st),
                           "SELECT l.name, i.file_name, p.line, p.col, p.role, p.value, p.reason"
                           " FROM problem p JOIN import i ON i.id = p.import_id JOIN list l ON"
                           " l.id = i.list_id ORDER BY p.id",
                           -1, &s, NULL) != SQLITE_OK)
        return cli_fail(ctx, rk_store_sqlerr(st, "cannot read problems"));
    rk_buf b;
    rk_buf_init(&b);
    int n = 0;
    if (json)
        rk_buf_putc(&b, '[');
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (json) {
            rk_buf_puts(&b, n ? ",{\"list\":" : "{\"list\":");
            json_str(&b, col_text(s, 0));
            rk_buf_puts(&b, ",\"file\":");
            json_str(&b, col_text(s, 1));
            rk_buf_printf(&b, ",\"line\":%d,\"column\":%d,\"role\":", sqlite3_column_int(s, 2),
                          sqlite3_column_int(s, 3));
            json_str(&b, col_text(s, 4));
            rk_buf_puts(&b, ",\"value\":");
            json_str(&b, col_text(s, 5));
            rk_buf_puts(&b, ",\"reason\":");
            json_str(&b, col_text(s, 6));
            rk_buf_putc(&b, '}');
        } else {
            printf("%s:%d:%d: [%s] %s\n", col_text(s, 1), sqlite3_column_int(s, 2),
                   sqlite3_column_int(s, 3), col_text(s, 0), col_text(s, 6));
        }
        n++;
    }
    sqlite3_finalize(s);
    if (json) {
        rk_buf_puts(&b, "]");
        printf("%s\n", rk_buf_cstr(&b));
    } else if (n == 0) {
        printf("no problems: every mapped value parsed\n");
    }
    rk_buf_release(&b);
    return CLI_OK;
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
    sqlite3 *db = rk_store__db(st);
    sqlite3_stmt *ls = NULL, *is = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT l.id, l.name, coalesce(l.description, ''),"
                           " (SELECT count(*) FROM current_record r WHERE r.list_id = l.id)"
                           " FROM list l ORDER BY l.id",
                           -1, &ls, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT id, file_name, file_sha256, bytes, rows, problems, time,"
                           " superseded_by FROM import WHERE list_id = ? ORDER BY id",
                           -1, &is, NULL) != SQLITE_OK) {
        rc = rk_store_sqlerr(st, "cannot read lists");
        sqlite3_finalize(ls);
        rk_store_free(st);
        return cli_fail(ctx, rc);
    }
    rk_buf b;
    rk_buf_init(&b);
    if (json)
        rk_buf_puts(&b, "{\"lists\":[");
    int nlists = 0;
    while (sqlite3_step(ls) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(ls, 0);
        int64_t records = sqlite3_column_int64(ls, 3);
        if (json) {
            rk_buf_puts(&b, nlists ? ",{\"name\":" : "{\"name\":");
            json_str(&b, col_text(ls, 1));
            rk_buf_puts(&b, ",\"description\":");
            json_str(&b, col_text(ls, 2));
            rk_buf_printf(&b, ",\"records\":%lld,\"imports\":[", (long long)records);
        } else {
            printf("%s%s: %lld records%s%s\n", nlists ? "\n" : "", col_text(ls, 1),
                   (long long)records, *col_text(ls, 2) ? " - " : "", col_text(ls, 2));
        }
        sqlite3_reset(is);
        sqlite3_bind_int64(is, 1, id);
        int ni = 0;
        while (sqlite3_step(is) == SQLITE_ROW) {
            bool superseded = sqlite3_column_type(is, 7) != SQLITE_NULL;
            if (json) {
                rk_buf_printf(&b, "%s{\"import\":%lld,\"file\":", ni ? "," : "",
                              (long long)sqlite3_column_int64(is, 0));
                json_str(&b, col_text(is, 1));
                rk_buf_printf(&b,
                              ",\"sha256\":\"%s\",\"bytes\":%lld,\"rows\":%lld,\"problems\":%lld,"
                              "\"time\":\"%s\",\"superseded_by\":",
                              col_text(is, 2), (long long)sqlite3_column_int64(is, 3),
                              (long long)sqlite3_column_int64(is, 4),
                              (long long)sqlite3_column_int64(is, 5), col_text(is, 6));
                if (superseded)
                    rk_buf_printf(&b, "%lld}", (long long)sqlite3_column_int64(is, 7));
                else
                    rk_buf_puts(&b, "null}");
            } else {
                printf("  import %lld  %s  %lld rows  %lld bytes  sha256 %s  %s%s",
                       (long long)sqlite3_column_int64(is, 0), col_text(is, 1),
                       (long long)sqlite3_column_int64(is, 4),
                       (long long)sqlite3_column_int64(is, 3), col_text(is, 2), col_text(is, 6),
                       superseded ? "  (superseded)" : "");
                if (sqlite3_column_int64(is, 5))
                    printf("  %lld values kept raw", (long long)sqlite3_column_int64(is, 5));
                printf("\n");
            }
            ni++;
        }
        if (json)
            rk_buf_puts(&b, "]}");
        nlists++;
    }
    sqlite3_finalize(ls);
    sqlite3_finalize(is);
    /* The total is the project's documented records, as the report and the app count them. */
    rk_link_documented d = {0};
    if ((rc = rk_link_documented_count(&d, st)) != RK_OK) {
        rk_buf_release(&b);
        rk_store_free(st);
        return cli_fail(ctx, rc);
    }
    int64_t total = d.records;
    if (json) {
        rk_buf_printf(&b, "],\"records\":%lld}", (long long)total);
        printf("%s\n", rk_buf_cstr(&b));
    } else if (nlists == 0) {
        printf("no lists yet; add one with 'reckon import %s --list NAME FILE'\n",
               args->positional[0]);
    } else {
        printf("\n%d lists, %lld records\n", nlists, (long long)total);
    }
    rk_buf_release(&b);
    rk_store_free(st);
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
