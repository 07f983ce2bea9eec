/* The one table writer every export streams through: a header line and a line per row in CSV,
 * an array of objects in JSON, written out in pieces of 64 KiB; and the loop that feeds it the
 * rows of a query. The exports of export_records.c, export_link.c and export_tables.c use it. */
#include "report_private.h"

static int flush(report_table *w, rk_ctx *ctx)
{
    if (w->b.len && fwrite(w->b.data, 1, w->b.len, w->out) != w->b.len)
        return rk_error_set(ctx, RK_EIO, "write error: %s", strerror(errno));
    rk_buf_clear(&w->b);
    return RK_OK;
}

int report_table_begin(report_table *w, rk_ctx *ctx)
{
    int rc = RK_OK;
    if (w->fmt == RK_FORMAT_JSON) {
        rc = rk_buf_putc(&w->b, '[');
    } else {
        for (size_t c = 0; c < w->ncolumns && rc == RK_OK; c++)
            rc = rk_buf_printf(&w->b, "%s%s", c ? "," : "", w->columns[c].name);
        rc = rc ? rc : rk_buf_putc(&w->b, '\n');
    }
    return rc == RK_OK ? RK_OK : rk_error_set(ctx, RK_ENOMEM, "out of memory");
}

int report_table_row(report_table *w, rk_ctx *ctx, const char *const *values, const size_t *lens,
                     const bool *raw)
{
    int rc = RK_OK;
    if (w->fmt == RK_FORMAT_CSV) {
        for (size_t c = 0; c < w->ncolumns && rc == RK_OK; c++) {
            if (c)
                rc = rk_buf_putc(&w->b, ',');
            if (values[c] && rc == RK_OK)
                rc = rk_export_csv_field(&w->b, values[c], lens ? lens[c] : strlen(values[c]));
        }
        rc = rc ? rc : rk_buf_putc(&w->b, '\n');
    } else {
        rc = rk_buf_puts(&w->b, w->rows ? ",\n{" : "\n{");
        for (size_t c = 0; c < w->ncolumns && rc == RK_OK; c++) {
            rc = rk_buf_printf(&w->b, "%s\"%s\":", c ? "," : "", w->columns[c].name);
            if (rc != RK_OK)
                break;
            size_t len = !values[c] ? 0 : lens ? lens[c] : strlen(values[c]);
            if (!values[c])
                rc = rk_buf_puts(&w->b, "null");
            else if (raw ? raw[c] : w->columns[c].raw)
                rc = rk_buf_append(&w->b, values[c], len);
            else
                rc = rk_buf_json_string(&w->b, values[c], len);
        }
        rc = rc ? rc : rk_buf_putc(&w->b, '}');
    }
    w->rows++;
    if (rc != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    return w->b.len > (1u << 16) ? flush(w, ctx) : RK_OK;
}

int report_table_end(report_table *w, rk_ctx *ctx)
{
    if (w->fmt == RK_FORMAT_JSON && rk_buf_puts(&w->b, "\n]\n") != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    return flush(w, ctx);
}

int report_table_query(report_table *w, rk_store *st, sqlite3_stmt *s, const char *what)
{
    rk_ctx *ctx = rk_store_ctx(st);
    assert(w->ncolumns <= RP_TABLE_MAX_COLUMNS);
    int rc = report_table_begin(w, ctx), step = SQLITE_DONE;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *v[RP_TABLE_MAX_COLUMNS];
        size_t len[RP_TABLE_MAX_COLUMNS];
        bool raw[RP_TABLE_MAX_COLUMNS];
        for (size_t c = 0; c < w->ncolumns; c++) {
            int t = sqlite3_column_type(s, (int)c); /* before the text conversion */
            v[c] = (const char *)sqlite3_column_text(s, (int)c);
            len[c] = (size_t)sqlite3_column_bytes(s, (int)c);
            raw[c] = t == SQLITE_INTEGER || t == SQLITE_FLOAT || w->columns[c].raw;
        }
        rc = report_table_row(w, ctx, v, len, raw);
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, what);
    return rc == RK_OK ? report_table_end(w, ctx) : rc;
}
