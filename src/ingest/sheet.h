/* Spreadsheets as row sources, private to src/ingest: the format found from the file's bytes,
 * one sheet chosen by name or number, and its rows of cells with their places. sheet.c holds
 * what the formats share (rows of cells, numbers as text, serial dates, sheet choice);
 * sheet_xml.c streams a zip entry through expat; sheet_xlsx.c, sheet_ods.c and sheet_xls.c
 * read the three formats. */
#ifndef RK_INGEST_SHEET_H
#define RK_INGEST_SHEET_H

#include "common.h"

/* What the first bytes of a file say it is. */
typedef enum sheet_magic { SHEET_NONE = 0, SHEET_ZIP, SHEET_OLE2 } sheet_magic;

sheet_magic ingest_sheet_magic(const unsigned char *p, size_t n);

/* One cell of a row: its text in the row's buffer, and whether it is a typed date (its text is
 * then an ISO date, YYYY-MM-DD). */
typedef struct sheet_cell {
    size_t start, len;
    bool date;
} sheet_cell;

/* One row of a sheet: dense cells 0..ncells-1 (gaps are empty cells), the row's number in the
 * sheet and its bytes in the sheet's XML part (0 for .xls). */
typedef struct sheet_row {
    long number;
    uint64_t offset, length;
    sheet_cell *cells;
    size_t ncells, cap;
    rk_buf text;
} sheet_row;

typedef struct ingest_sheet ingest_sheet;

/* The three formats, as a table of functions (sheet.c dispatches). */
typedef struct sheet_format {
    const char *name; /* "xlsx" */
    /* Opens the file and chooses the sheet (sh->want; NULL: the first). */
    int (*open)(ingest_sheet *sh);
    /* The next row with a value into sh->row: 1, 0 at the end, or an error. */
    int (*next)(ingest_sheet *sh);
    void (*close)(ingest_sheet *sh);
} sheet_format;

extern const sheet_format ingest_sheet_xlsx, ingest_sheet_ods, ingest_sheet_xls;
/* The .xls reader without its child process: libfreexl's half writes its messages into memory
 * and the reading half reads them back, as from the pipe. For the xls fuzz harness
 * (tests/fuzz/xls) only: libFuzzer sees the coverage of its own process alone, and a fork per
 * input holds it to a hundred inputs a second. A workbook that crashes libfreexl takes the
 * process with it, so the importer never uses this. */
extern const sheet_format ingest_sheet_xls_inline;

struct ingest_sheet {
    rk_ctx *ctx;
    const char *path;
    /* The file's bytes when the caller holds them (NULL: the file at `path` is read). */
    const void *data;
    size_t size;
    const char *want; /* the sheet asked for: a name or a 1-based number; NULL: the first */
    size_t max_cell;  /* bytes of one cell's text */
    size_t max_cols;  /* columns of a row */
    char *name;       /* the chosen sheet's name */
    const sheet_format *fmt;
    void *impl; /* the format's state */
    sheet_row row;
    /* For progress: the bytes of the sheet's XML part (uncompressed), or an .xls sheet's rows;
     * 0 when unknown. */
    uint64_t extent;
};

/* Opens the spreadsheet at `path` (whose first bytes gave `magic`) on the sheet `want`; or,
 * when `data` is not NULL, the `size` bytes at `data`, read in place (`path` then only names
 * them in messages). A zip (.xlsx, .ods) is read from memory without a file; an .xls only from
 * a file (libfreexl takes a path): RK_EINPUT for one in memory. The sheet keeps `ctx`, `path`,
 * `data` and `want` until ingest_sheet_free: all must outlive it. */
int ingest_sheet_open_bytes(ingest_sheet **out, rk_ctx *ctx, const char *path, const void *data,
                            size_t size, sheet_magic magic, const char *want, size_t max_cell,
                            size_t max_cols);
/* The same for the file at `path`. */
static inline int ingest_sheet_open(ingest_sheet **out, rk_ctx *ctx, const char *path,
                                    sheet_magic magic, const char *want, size_t max_cell,
                                    size_t max_cols)
{
    return ingest_sheet_open_bytes(out, ctx, path, NULL, 0, magic, want, max_cell, max_cols);
}
/* The .xls file at `path` through ingest_sheet_xls_inline (the fuzz harness's). */
int ingest_sheet_open_xls_inline(ingest_sheet **out, rk_ctx *ctx, const char *path, size_t max_cell,
                                 size_t max_cols);
void ingest_sheet_free(ingest_sheet *sh);
/* The next row with a value: 1, 0 at the end, or an error. */
int ingest_sheet_next(ingest_sheet *sh);

/* How far the reading is through the sheet, from 0 to 1: the current row's offset in the XML
 * part against the part's size, or for .xls its number against the rows. */
double ingest_sheet_fraction(const ingest_sheet *sh);

/* The place of a cell, "ministry.xlsx:Sheet1!D812" (col 1-based; 0: the row, "Sheet1!812"). */
void ingest_sheet_place(char *out, size_t outsz, const char *path, const char *sheet, long col,
                        long row);

/* ---- For the readers ---- */

/* Empties the row for row number `number`. */
void sheet_row_reset(sheet_row *row, long number);
/* Puts a cell's text at 0-based column `col` (an empty text is skipped). */
int sheet_row_put(ingest_sheet *sh, size_t col, const char *s, size_t n, bool date);
/* The shortest text that reads back as exactly `x` (10234, not 10234.0). */
void sheet_number_text(char out[32], double x);
/* A spreadsheet serial day number as an ISO date (the 1900 system, whose serial 60 is the
 * fictitious 1900-02-29, or the 1904 system); the fraction (a time) is dropped. Returns false
 * when the serial is no day (below 1, or 0 in the 1904 system, or after 9999). */
bool sheet_serial_date(char out[16], double serial, bool date1904);
/* Whether a number format code shows a date (d, m or y outside quotes and brackets). */
bool sheet_format_is_date(const char *code);
/* Chooses among the sheets `names` (n of them) the one sh->want names: its index, or -1 with
 * the error set listing the sheets. */
int sheet_choose(ingest_sheet *sh, const char *const *names, size_t n);
/* Sets the error naming the sheets there are, when the one asked for is not among them. */
int sheet_unknown(ingest_sheet *sh, const char *const *names, size_t n);
/* Does sheet number `index` (0-based) named `name` answer sh->want? */
bool sheet_wanted(const ingest_sheet *sh, size_t index, const char *name);
/* An error about the file as a whole ("ministry.xlsx: ..."). */
int sheet_fail(ingest_sheet *sh, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error at column `col` (0-based) of the current row ("ministry.xlsx:Sheet1!D812: ..."). */
int sheet_fail_at(ingest_sheet *sh, int code, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The 0-based column of a cell reference (D812 -> 3), or -1. */
long sheet_ref_column(const char *ref);

#endif
