/* `reckon export PROJECT estimates|claims`: the estimate and claim tables as CSV or JSON, column
 * by column as stored (JSON columns embedded as JSON in JSON output, as text in CSV). */
#include "report_private.h"
#include "store/store_internal.h"

typedef struct column {
    const char *name;
    bool json; /* holds JSON text: embedded as such in JSON output */
} column;

static int export_query(rk_store *st, rk_format fmt, FILE *out, const char *sql, const column *cols,
                        int ncol)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    rk_buf b;
    rk_buf_init(&b);
    int rc = rk_store__prepare(&s, st, sql, "cannot read the table");
    if (rc != RK_OK)
        return rc;
    if (fmt == RK_FORMAT_CSV) {
        for (int c = 0; c < ncol && rc == RK_OK; c++)
            rc = rk_buf_printf(&b, "%s%s", c ? "," : "", cols[c].name);
        rc = rc ? rc : rk_buf_putc(&b, '\n');
    } else {
        rc = rk_buf_putc(&b, '[');
    }
    int64_t n = 0;
    int step = SQLITE_DONE;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (fmt == RK_FORMAT_JSON)
            rc = rk_buf_puts(&b, n ? ",\n{" : "\n{");
        for (int c = 0; c < ncol && rc == RK_OK; c++) {
            int t = sqlite3_column_type(s, c);
            const char *v = (const char *)sqlite3_column_text(s, c);
            size_t len = (size_t)sqlite3_column_bytes(s, c);
            if (fmt == RK_FORMAT_CSV) {
                if (c)
                    rc = rk_buf_putc(&b, ',');
                if (rc == RK_OK && t != SQLITE_NULL)
                    rc = rk_csv_write_field(&b, v, len);
                continue;
            }
            rc = rk_buf_printf(&b, "%s\"%s\":", c ? "," : "", cols[c].name);
            if (rc != RK_OK)
                break;
            if (t == SQLITE_NULL)
                rc = rk_buf_puts(&b, "null");
            else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT || cols[c].json)
                rc = rk_buf_append(&b, v, len);
            else
                rc = rk_buf_json_string(&b, v, len);
        }
        if (rc == RK_OK)
            rc = rk_buf_putc(&b, fmt == RK_FORMAT_CSV ? '\n' : '}');
        n++;
        if (rc == RK_OK && b.len > (1u << 16)) {
            if (fwrite(b.data, 1, b.len, out) != b.len)
                rc = rk_error_set(ctx, RK_EIO, "write error: %s", strerror(errno));
            rk_buf_clear(&b);
        }
    }
    if (rc == RK_ENOMEM)
        rk_error_set(ctx, rc, "out of memory");
    if (rc != RK_OK)
        goto cleanup;
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read the table");
        goto cleanup;
    }
    if (fmt == RK_FORMAT_JSON && rk_buf_puts(&b, "\n]\n") != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (b.len && fwrite(b.data, 1, b.len, out) != b.len)
        rc = rk_error_set(ctx, RK_EIO, "write error: %s", strerror(errno));
cleanup:
    sqlite3_finalize(s);
    rk_buf_release(&b);
    return rc;
}

int rk_export_claims(FILE *out, rk_store *st, rk_format fmt)
{
    static const column cols[] = {{"id", false},     {"source", false},      {"url", false},
                                  {"date", false},   {"category", false},    {"group", false},
                                  {"stratum", true}, {"value", false},       {"note", false},
                                  {"time", false},   {"removed_time", false}};
    return export_query(st, fmt, out,
                        "SELECT id, source, url, date, category, grp, CASE WHEN"
                        " json_valid(stratum) THEN stratum END, value, note, time, removed_time"
                        " FROM claim ORDER BY id",
                        cols, (int)RK_ARRAY_LEN(cols));
}

int rk_export_estimates(FILE *out, rk_store *st, rk_format fmt)
{
    static const column cols[] = {{"id", false},     {"time", false},     {"run_id", false},
                                  {"method", false}, {"model", false},    {"stratum", true},
                                  {"lists", true},   {"observed", false}, {"estimate", false},
                                  {"lower", false},  {"upper", false},    {"status", false},
                                  {"reason", false}, {"seed", false},     {"config", true},
                                  {"capture", true}, {"result", true}};
    return export_query(st, fmt, out,
                        "SELECT id, time, run_id, method, model, CASE WHEN json_valid(stratum)"
                        " THEN stratum END, CASE WHEN json_valid(lists) THEN lists END, observed,"
                        " estimate, lower, upper, status, reason, seed, CASE WHEN"
                        " json_valid(config) THEN config END, CASE WHEN json_valid(capture) THEN"
                        " capture END, CASE WHEN json_valid(result) THEN result END FROM"
                        " estimate ORDER BY id",
                        cols, (int)RK_ARRAY_LEN(cols));
}
