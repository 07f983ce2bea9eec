/* `reckon export PROJECT records`: every current record with its key, provenance, mapped and
 * standardized fields and raw row, as CSV or JSON. Streams row by row. */
#include "common.h"
#include "store/store_internal.h"

#include <sqlite3.h>

int rk_csv_write_field(rk_buf *b, const char *s, size_t n)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote)
        return rk_buf_append(b, s, n);
    int rc = rk_buf_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n && rc == RK_OK; i++)
        if (s[i] == '"') {
            rc = rk_buf_append(b, s + start, i + 1 - start);
            rc = rc ? rc : rk_buf_putc(b, '"');
            start = i + 1;
        }
    rc = rc ? rc : rk_buf_append(b, s + start, n - start);
    return rc ? rc : rk_buf_putc(b, '"');
}

static const char *const columns[] = {
    "record_key",
    "list",
    "import_id",
    "row_number",
    "line",
    "byte_offset",
    "byte_length",
    "full_name",
    "given_name",
    "family_name",
    "second_family_name",
    "patronymic",
    "father_name",
    "mother_name",
    "sex",
    "birth_date",
    "birth_precision",
    "birth_year",
    "age",
    "death_date",
    "death_precision",
    "place",
    "region",
    "violation",
    "extra",
    "std",
    "raw",
};
/* Columns whose text is JSON and is embedded as such in JSON output. */
#define FIRST_JSON_COLUMN 24

int rk_export_records(FILE *out, rk_store *st, rk_format fmt)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    rk_buf b;
    rk_buf_init(&b);
    int rc =
        rk_store__prepare(&s, st,
                          "SELECT r.record_key, l.name, r.import_id, r.row_number, r.line,"
                          " r.byte_offset, r.byte_length, r.full_name, r.given_name,"
                          " r.family_name, r.second_family_name, r.patronymic, r.father_name,"
                          " r.mother_name, r.sex, r.birth_date, r.birth_precision, r.birth_year,"
                          " r.age, r.death_date, r.death_precision, r.place, r.region,"
                          " r.violation, r.extra, r.std,"
                          /* The raw row is stored as an array; shown with its header. */
                          " (SELECT json_group_object(h.value, v.value) FROM json_each(i.header)"
                          " h JOIN json_each(r.raw) v ON v.key = h.key)"
                          " FROM current_record r JOIN list l ON l.id = r.list_id JOIN import i"
                          " ON i.id = r.import_id ORDER BY r.list_id, r.import_id, r.row_number",
                          "cannot read records");
    if (rc != RK_OK)
        return rc;
    const int ncol = (int)RK_ARRAY_LEN(columns);
    if (fmt == RK_FORMAT_CSV) {
        for (int c = 0; c < ncol && rc == RK_OK; c++)
            rc = rk_buf_printf(&b, "%s%s", c ? "," : "", columns[c]);
        rc = rc ? rc : rk_buf_putc(&b, '\n');
    } else {
        rc = rk_buf_putc(&b, '[');
    }
    int64_t n = 0;
    int step;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (fmt == RK_FORMAT_CSV) {
            for (int c = 0; c < ncol && rc == RK_OK; c++) {
                if (c)
                    rc = rk_buf_putc(&b, ',');
                const char *v = (const char *)sqlite3_column_text(s, c);
                if (v && rc == RK_OK)
                    rc = rk_csv_write_field(&b, v, (size_t)sqlite3_column_bytes(s, c));
            }
            rc = rc ? rc : rk_buf_putc(&b, '\n');
        } else {
            rc = rk_buf_puts(&b, n ? ",\n{" : "\n{");
            for (int c = 0; c < ncol && rc == RK_OK; c++) {
                rc = rk_buf_printf(&b, "%s\"%s\":", c ? "," : "", columns[c]);
                int t = sqlite3_column_type(s, c);
                const char *v = (const char *)sqlite3_column_text(s, c);
                size_t len = (size_t)sqlite3_column_bytes(s, c);
                if (rc != RK_OK)
                    break;
                if (t == SQLITE_NULL)
                    rc = rk_buf_puts(&b, "null");
                else if (t == SQLITE_INTEGER || c >= FIRST_JSON_COLUMN)
                    rc = rk_buf_append(&b, v, len);
                else
                    rc = rk_buf_json_string(&b, v, len);
            }
            rc = rc ? rc : rk_buf_putc(&b, '}');
        }
        n++;
        if (rc == RK_OK && b.len > (1u << 16)) {
            if (fwrite(b.data, 1, b.len, out) != b.len)
                rc = rk_error_set(ctx, RK_EIO, "write error: %s", strerror(errno));
            rk_buf_clear(&b);
        }
    }
    if (rc != RK_OK) {
        if (rc == RK_ENOMEM)
            rk_error_set(ctx, rc, "out of memory");
        goto cleanup;
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read records");
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
