/* Spreadsheets for the importer: which format a file is (from its bytes, not its name), the
 * choice of a sheet, and what the formats share: rows of cells with their places, numbers
 * written back as their shortest exact text, and serial day numbers as ISO dates. The
 * formats' readers (sheet_xlsx.c, sheet_ods.c, sheet_xls.c) fill rows; rows.c hands them to the
 * importer like the CSV reader's. */
#include "sheet_xml.h"

#include <math.h>
#include <stdarg.h>
#include <zip.h>

sheet_magic ingest_sheet_magic(const unsigned char *p, size_t n)
{
    if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
        return SHEET_ZIP;
    if (n >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
        return SHEET_OLE2;
    return SHEET_NONE;
}

int sheet_fail(ingest_sheet *sh, int code, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return rk_error_set_at(sh->ctx, code, sh->path, 0, 0, "%s", msg);
}

/* The column letters of a 0-based column (0 -> A, 26 -> AA). */
static void sheet_column_letters(char out[8], size_t col)
{
    char tmp[8];
    size_t n = 0;
    size_t c = col + 1;
    while (c > 0 && n < 7) {
        size_t r = (c - 1) % 26;
        tmp[n++] = (char)('A' + r);
        c = (c - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

void ingest_sheet_place(char *out, size_t outsz, const char *path, const char *sheet, long col,
                        long row)
{
    char letters[8] = "";
    if (col >= 1)
        sheet_column_letters(letters, (size_t)col - 1);
    snprintf(out, outsz, "%s:%s!%s%ld", path, sheet ? sheet : "", letters, row);
}

int sheet_fail_at(ingest_sheet *sh, int code, size_t col, const char *fmt, ...)
{
    char msg[900], place[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ingest_sheet_place(place, sizeof(place), sh->path, sh->name, (long)col + 1, sh->row.number);
    return rk_error_set_at(sh->ctx, code, place, 0, 0, "%s", msg);
}

zip_t *sheet_zip_open(ingest_sheet *sh, int flags, int *err)
{
    if (!sh->data)
        return zip_open(sh->path, flags, err);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(sh->data, sh->size, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, flags, &ze) : NULL;
    if (!z) {
        zip_source_free(src);
        *err = zip_error_code_zip(&ze);
    }
    zip_error_fini(&ze);
    return z;
}

/* Which zip-based format: xlsx has xl/workbook.xml, ods a mimetype entry that says so. */
static int zip_format(ingest_sheet *sh, const sheet_format **out)
{
    int err = 0;
    zip_t *z = sheet_zip_open(sh, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        int rc = sheet_fail(sh, RK_EINPUT,
                            "this zip archive cannot be read (%s): the spreadsheet is damaged "
                            "or truncated; save it again, or export the list as CSV",
                            zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    *out = NULL;
    if (zip_name_locate(z, "xl/workbook.xml", 0) >= 0)
        *out = &ingest_sheet_xlsx;
    else {
        zip_file_t *f = zip_fopen(z, "mimetype", 0);
        static const char ods[] = "application/vnd.oasis.opendocument.spreadsheet";
        char buf[sizeof(ods)] = {0};
        if (f && zip_fread(f, buf, sizeof(ods) - 1) == (zip_int64_t)sizeof(ods) - 1 &&
            memcmp(buf, ods, sizeof(ods) - 1) == 0)
            *out = &ingest_sheet_ods;
        if (f)
            zip_fclose(f);
    }
    zip_discard(z);
    if (!*out)
        return sheet_fail(sh, RK_EINPUT,
                          "a zip archive that is neither an .xlsx workbook (no xl/workbook.xml) "
                          "nor an .ods spreadsheet; import .xlsx, .ods, .xls or CSV files");
    return RK_OK;
}

/* A sheet not yet opened, of no format. */
static ingest_sheet *sheet_new(rk_ctx *ctx, const char *path, const void *data, size_t size,
                               const char *want, size_t max_cell, size_t max_cols)
{
    ingest_sheet *sh = rk_calloc(1, sizeof(*sh));
    if (!sh)
        return NULL;
    sh->ctx = ctx;
    sh->path = path;
    sh->data = data;
    sh->size = size;
    sh->want = want && *want ? want : NULL;
    sh->max_cell = max_cell;
    sh->max_cols = max_cols;
    rk_buf_init(&sh->row.text);
    return sh;
}

/* Opens sh in its format (rc: RK_OK, or the error choosing the format); frees it on failure. */
static int sheet_start(ingest_sheet **out, ingest_sheet *sh, int rc)
{
    if (rc == RK_OK)
        rc = sh->fmt->open(sh);
    if (rc != RK_OK) {
        ingest_sheet_free(sh);
        return rc;
    }
    *out = sh;
    return RK_OK;
}

int ingest_sheet_open_bytes(ingest_sheet **out, rk_ctx *ctx, const char *path, const void *data,
                            size_t size, sheet_magic magic, const char *want, size_t max_cell,
                            size_t max_cols)
{
    *out = NULL;
    ingest_sheet *sh = sheet_new(ctx, path, data, size, want, max_cell, max_cols);
    if (!sh)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    int rc = RK_OK;
    if (magic == SHEET_ZIP)
        rc = zip_format(sh, &sh->fmt);
    else if (!data)
        sh->fmt = &ingest_sheet_xls;
    else
        rc = sheet_fail(sh, RK_EINPUT, "an .xls workbook is read from a file, not from memory");
    return sheet_start(out, sh, rc);
}

int ingest_sheet_open_xls_inline(ingest_sheet **out, rk_ctx *ctx, const char *path, size_t max_cell,
                                 size_t max_cols)
{
    *out = NULL;
    ingest_sheet *sh = sheet_new(ctx, path, NULL, 0, NULL, max_cell, max_cols);
    if (!sh)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    sh->fmt = &ingest_sheet_xls_inline;
    return sheet_start(out, sh, RK_OK);
}

void ingest_sheet_free(ingest_sheet *sh)
{
    if (!sh)
        return;
    if (sh->fmt && sh->impl)
        sh->fmt->close(sh);
    rk_free(sh->name);
    rk_free(sh->row.cells);
    rk_buf_release(&sh->row.text);
    rk_free(sh);
}

int ingest_sheet_next(ingest_sheet *sh)
{
    return sh->fmt->next(sh);
}

double ingest_sheet_fraction(const ingest_sheet *sh)
{
    if (sh->extent == 0)
        return 0;
    bool xls = sh->fmt == &ingest_sheet_xls || sh->fmt == &ingest_sheet_xls_inline;
    uint64_t at = xls ? (uint64_t)sh->row.number : sh->row.offset;
    return at >= sh->extent ? 1.0 : (double)at / (double)sh->extent;
}

void sheet_row_reset(sheet_row *row, long number)
{
    row->number = number;
    row->ncells = 0;
    row->offset = row->length = 0;
    rk_buf_clear(&row->text);
}

int sheet_row_put(ingest_sheet *sh, size_t col, const char *s, size_t n, bool date)
{
    sheet_row *row = &sh->row;
    if (n == 0)
        return RK_OK;
    if (col >= sh->max_cols)
        return sheet_fail_at(sh, RK_EINPUT, col,
                             "a value beyond column %zu; lists of more columns are not read",
                             sh->max_cols);
    if (n > sh->max_cell)
        return sheet_fail_at(sh, RK_EINPUT, col,
                             "the cell holds more than %zu bytes; shorten it or raise "
                             "--max-field",
                             sh->max_cell);
    if (col + 1 > row->cap) {
        size_t cap = row->cap ? row->cap : 16;
        while (cap < col + 1)
            cap *= 2;
        sheet_cell *c = rk_realloc(row->cells, cap * sizeof(*c));
        if (!c)
            return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
        row->cells = c;
        row->cap = cap;
    }
    for (size_t i = row->ncells; i < col + 1; i++)
        row->cells[i] = (sheet_cell){0, 0, false};
    if (col + 1 > row->ncells)
        row->ncells = col + 1;
    /* A cell is put once; its text ends with a NUL so that the importer can use it in place. */
    sheet_cell *c = &row->cells[col];
    c->start = row->text.len;
    c->len = n;
    c->date = date;
    if (rk_buf_append(&row->text, s, n) != RK_OK || rk_buf_putc(&row->text, '\0') != RK_OK)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    return RK_OK;
}

/* The decimal digits of n at out (NUL-terminated); their count. */
static size_t put_digits(char *out, uint64_t n)
{
    char tmp[24];
    size_t k = 0;
    do {
        tmp[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    for (size_t i = 0; i < k; i++)
        out[i] = tmp[k - 1 - i];
    out[k] = '\0';
    return k;
}

void sheet_number_text(char out[32], double x)
{
    if (x == 0) { /* and -0 */
        snprintf(out, 32, "0");
        return;
    }
    if (x == floor(x) && fabs(x) < 1e17) { /* a whole number: all its digits, no exponent */
        /* Exact: below 1e17 a whole double is an integer of 64 bits. */
        size_t neg = x < 0;
        out[0] = '-';
        put_digits(out + neg, (uint64_t)fabs(x));
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(out, 32, "%.*g", p, x);
        if (strtod(out, NULL) == x)
            return;
    }
}

/* The civil date of a count of days since 1970-01-01 (proleptic Gregorian). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool sheet_serial_date(char out[16], double serial, bool date1904)
{
    if (!isfinite(serial) || serial >= 2958466.0)
        return false;
    double day = floor(serial);
    int64_t n = (int64_t)day;
    /* Days from 1970-01-01 of serial 0: 1904-01-01 in the 1904 system; in the 1900 system
     * 1899-12-31 before the fictitious 1900-02-29 (serial 60) and 1899-12-30 after it. */
    int64_t base;
    if (date1904) {
        if (n < 0)
            return false;
        base = -24107;
    } else {
        if (n < 1)
            return false;
        if (n == 60) {
            snprintf(out, 16, "1900-02-29"); /* a day that does not exist: the parser says so */
            return true;
        }
        base = n < 60 ? -25568 : -25569;
    }
    int y, m, d;
    civil_from_days(base + n, &y, &m, &d);
    /* YYYY-MM-DD by hand (the year is 1900..9999 here): this runs for every date cell. */
    const int v[3] = {y, m, d};
    const int width[3] = {4, 2, 2};
    char *o = out;
    for (int i = 0; i < 3; i++) {
        if (i)
            *o++ = '-';
        for (int w = width[i], k = v[i], j = w - 1; j >= 0; j--, k /= 10)
            o[j] = (char)('0' + k % 10);
        o += width[i];
    }
    *o = '\0';
    return true;
}

bool sheet_format_is_date(const char *code)
{
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"':
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
            break;
        case '[':
            while (p[1] && p[1] != ']')
                p++;
            if (p[1])
                p++;
            break;
        case '\\':
        case '_':
        case '*':
            if (p[1])
                p++;
            break;
        case 'd':
        case 'D':
        case 'm':
        case 'M':
        case 'y':
        case 'Y':
            return true;
        default:
            break;
        }
    }
    return false;
}

bool sheet_wanted(const ingest_sheet *sh, size_t index, const char *name)
{
    if (!sh->want)
        return index == 0;
    if (strcmp(sh->want, name) == 0)
        return true;
    int64_t k;
    return rk_parse_i64(&k, sh->want) == RK_OK && k >= 1 && (uint64_t)k == index + 1;
}

int sheet_unknown(ingest_sheet *sh, const char *const *names, size_t n)
{
    rk_buf b;
    rk_buf_init(&b);
    for (size_t i = 0; i < n && b.len < 600; i++)
        rk_buf_printf(&b, "%s%zu '%s'", i ? ", " : "", i + 1, names[i]);
    int rc = n ? sheet_fail(sh, RK_EINPUT,
                            "there is no sheet '%s'; the sheets are %s; name one with --sheet "
                            "NAME or --sheet NUMBER",
                            sh->want ? sh->want : "1", rk_buf_cstr(&b))
               : sheet_fail(sh, RK_EINPUT, "the workbook has no sheet; nothing to import");
    rk_buf_release(&b);
    return rc;
}

int sheet_choose(ingest_sheet *sh, const char *const *names, size_t n)
{
    /* A name wins over a number: a sheet may be called "2". */
    for (size_t i = 0; sh->want && i < n; i++)
        if (strcmp(sh->want, names[i]) == 0)
            return (int)i;
    for (size_t i = 0; i < n; i++)
        if (sheet_wanted(sh, i, names[i]))
            return (int)i;
    sheet_unknown(sh, names, n);
    return -1;
}

long sheet_ref_column(const char *ref)
{
    long col = 0;
    size_t i = 0;
    for (; ref[i] >= 'A' && ref[i] <= 'Z' && i < 4; i++)
        col = col * 26 + (ref[i] - 'A' + 1);
    if (i == 0 || (i >= 4 && ref[i] >= 'A' && ref[i] <= 'Z'))
        return -1;
    return col - 1;
}
