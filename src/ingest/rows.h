/* The rows of a list file, whatever its format: the CSV reader over the converting source
 * reader, or a spreadsheet's sheet (sheet.h). The importer reads the header row, then rows of
 * fields with their places, through this one interface. Private to src/ingest. */
#ifndef RK_INGEST_ROWS_H
#define RK_INGEST_ROWS_H

#include "common.h"
#include "sheet.h"
#include "source.h"

typedef struct ingest_rows {
    rk_ctx *ctx;
    const char *path;
    ingest_source_reader *src; /* CSV */
    rk_csv *csv;
    ingest_sheet *sheet; /* or a spreadsheet */
    size_t width;        /* a sheet's rows are padded to the header's width */
} ingest_rows;

/* Opens the file: a spreadsheet when the scan found one (info->sheet), else CSV. */
int ingest_rows_open(ingest_rows *r, rk_ctx *ctx, const char *path, const ingest_source_info *info,
                     const rk_mapping *m, size_t max_field);
void ingest_rows_release(ingest_rows *r);
/* The next row: 1 with a row, 0 at the end, or an error. */
int ingest_rows_next(ingest_rows *r);
/* Pads later rows of a sheet to the header's width (CSV rows must have it). */
void ingest_rows_set_width(ingest_rows *r, size_t width);
size_t ingest_rows_nfields(const ingest_rows *r);
/* Field i of the current row, NUL-terminated, writable in place until the next row. */
char *ingest_rows_field(const ingest_rows *r, size_t i, size_t *len);
/* Field i is a spreadsheet's typed date, its text an ISO date YYYY-MM-DD. */
bool ingest_rows_typed_date(const ingest_rows *r, size_t i);
/* Where field i is: CSV line and column (characters); a sheet's row and column number. */
void ingest_rows_field_pos(const ingest_rows *r, size_t i, long *line, long *column);
/* The current row: its line (a sheet's row number), its bytes in the file (in the sheet's XML
 * part for .xlsx and .ods; 0 for .xls), for progress a count of the bytes read. */
long ingest_rows_line(const ingest_rows *r);
uint64_t ingest_rows_offset(const ingest_rows *r);
uint64_t ingest_rows_length(const ingest_rows *r);
/* For progress, in bytes of the file (`file_bytes` of them): a CSV row's offset, or a sheet's
 * fraction read of them (a sheet's offsets are in its uncompressed XML, not in the file). */
uint64_t ingest_rows_progress(const ingest_rows *r, uint64_t file_bytes);
/* The chosen sheet's name, NULL for CSV. */
const char *ingest_rows_sheet(const ingest_rows *r);
/* Sets the error at a place given as ingest_rows_field_pos gives it: "file:line:column: ..."
 * for CSV, "file:Sheet1!D812: ..." for a sheet. Returns `code`. */
int ingest_rows_error(const ingest_rows *r, int code, long line, long column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
