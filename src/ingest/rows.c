/* The importer's one row source over two readers: CSV (the converting source reader feeding
 * rk_csv) and spreadsheets (sheet.c). Places differ in kind, a CSV line and column or a
 * sheet's cell, and errors name them as such. */
#include "rows.h"

#include <stdarg.h>

int ingest_rows_open(ingest_rows *r, rk_ctx *ctx, const char *path, const ingest_source_info *info,
                     const rk_mapping *m, size_t max_field)
{
    memset(r, 0, sizeof(*r));
    r->ctx = ctx;
    r->path = path;
    rk_csv_options copts = RK_CSV_OPTIONS_INIT;
    copts.delimiter = m->delimiter;
    copts.max_field = max_field ? max_field : copts.max_field;
    if (info->sheet != SHEET_NONE)
        return ingest_sheet_open(&r->sheet, ctx, path, info->sheet, m->sheet, copts.max_field,
                                 copts.max_fields);
    if (m->sheet)
        return rk_error_set(ctx, RK_EINPUT,
                            "%s: a sheet is named (%s) but the file is CSV text, not a "
                            "spreadsheet; drop the sheet",
                            path, m->sheet);
    int rc = ingest_source_reader_open(&r->src, ctx, path, m->encoding);
    if (rc == RK_OK)
        rc = rk_csv_open(&r->csv, ctx, path, ingest_source_reader_read, r->src, &copts);
    return rc;
}

void ingest_rows_release(ingest_rows *r)
{
    rk_csv_free(r->csv);
    ingest_source_reader_free(r->src);
    ingest_sheet_free(r->sheet);
    memset(r, 0, sizeof(*r));
}

int ingest_rows_next(ingest_rows *r)
{
    return r->sheet ? ingest_sheet_next(r->sheet) : rk_csv_next(r->csv);
}

void ingest_rows_set_width(ingest_rows *r, size_t width)
{
    r->width = width;
}

size_t ingest_rows_nfields(const ingest_rows *r)
{
    if (!r->sheet)
        return rk_csv_nfields(r->csv);
    size_t n = r->sheet->row.ncells;
    return n > r->width ? n : r->width;
}

char *ingest_rows_field(const ingest_rows *r, size_t i, size_t *len)
{
    if (!r->sheet)
        return (char *)rk_csv_field(r->csv, i, len);
    static char empty[1];
    const sheet_row *row = &r->sheet->row;
    if (i >= row->ncells || row->cells[i].len == 0) {
        empty[0] = '\0';
        *len = 0;
        return empty;
    }
    *len = row->cells[i].len;
    return row->text.data + row->cells[i].start;
}

bool ingest_rows_typed_date(const ingest_rows *r, size_t i)
{
    return r->sheet && i < r->sheet->row.ncells && r->sheet->row.cells[i].date;
}

void ingest_rows_field_pos(const ingest_rows *r, size_t i, long *line, long *column)
{
    if (!r->sheet) {
        rk_csv_field_pos(r->csv, i, line, column);
        return;
    }
    *line = r->sheet->row.number;
    *column = (long)i + 1;
}

long ingest_rows_line(const ingest_rows *r)
{
    return r->sheet ? r->sheet->row.number : rk_csv_row_line(r->csv);
}

uint64_t ingest_rows_offset(const ingest_rows *r)
{
    return r->sheet ? r->sheet->row.offset : rk_csv_row_offset(r->csv);
}

uint64_t ingest_rows_length(const ingest_rows *r)
{
    return r->sheet ? r->sheet->row.length : rk_csv_row_length(r->csv);
}

uint64_t ingest_rows_progress(const ingest_rows *r, uint64_t file_bytes)
{
    if (!r->sheet)
        return rk_csv_row_offset(r->csv);
    return (uint64_t)(ingest_sheet_fraction(r->sheet) * (double)file_bytes);
}

const char *ingest_rows_sheet(const ingest_rows *r)
{
    return r->sheet ? r->sheet->name : NULL;
}

int ingest_rows_error(const ingest_rows *r, int code, long line, long column, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!r->sheet)
        return rk_error_set_at(r->ctx, code, r->path, line, column, "%s", msg);
    char place[1024];
    ingest_sheet_place(place, sizeof(place), r->path, r->sheet->name, column, line);
    return rk_error_set_at(r->ctx, code, place, 0, 0, "%s", msg);
}
