/* A small streaming .xlsx writer for `reckon synth --spreadsheet xlsx`: each list's CSV rows
 * (as row.c writes them) become rows of one sheet, whole numbers as number cells, full dates
 * of the layout's date columns as serial numbers with a date style, everything else as inline
 * strings. The sheet's XML streams to a temporary file beside the workbook, which libzip
 * compresses into the archive on close: memory does not grow with the rows. */
#include "synth_private.h"

#include <zip.h>

struct synth_xlsx {
    rk_ctx *ctx;
    char path[4096], tmp[4200];
    FILE *f;
    const synth_layout *L;
    char delimiter;
    int date_style[64]; /* by column: the DATE_* style of a date column, or -1 */
    size_t ncols;
    uint64_t rows;
    rk_buf line, field;
};

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
    "</Types>";

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";

static const char workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/></Relationships>";

/* Style 1 shows a date (the built-in format 14). */
static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
    "<fills count=\"1\"><fill><patternFill patternType=\"none\"/></fill></fills>"
    "<borders count=\"1\"><border/></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs><cellXfs count=\"2\">"
    "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
    "applyNumberFormat=\"1\"/></cellXfs></styleSheet>";

static const char sheet_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
static const char sheet_tail[] = "</sheetData></worksheet>";

int synth_xlsx_open(synth_xlsx **out, rk_ctx *ctx, const char *path, const synth_layout *L)
{
    *out = NULL;
    synth_xlsx *w = rk_calloc(1, sizeof(*w));
    if (!w)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    w->ctx = ctx;
    w->L = L;
    w->delimiter = L->delimiter;
    snprintf(w->path, sizeof(w->path), "%s", path);
    snprintf(w->tmp, sizeof(w->tmp), "%s.sheet.tmp", path);
    rk_buf_init(&w->line);
    rk_buf_init(&w->field);
    w->f = fopen(w->tmp, "wb");
    if (!w->f || fputs(sheet_head, w->f) == EOF) {
        int rc = rk_error_set(ctx, RK_EIO, "%s: cannot create: %s", w->tmp, strerror(errno));
        synth_xlsx_free(w);
        return rc;
    }
    *out = w;
    return RK_OK;
}

static void column_ref(char out[8], size_t col)
{
    char tmp[8];
    size_t n = 0;
    for (size_t c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
        tmp[n++] = (char)('A' + (c - 1) % 26);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* n decimal digits at s, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* The serial day number of a full date written in the style of its column, or 0. */
static long serial_of(const char *t, size_t n, int style)
{
    int y = -1, m = -1, d = -1;
    if (style == DATE_DMY && n == 10 && t[2] == '.' && t[5] == '.') {
        d = digits(t, 2), m = digits(t + 3, 2), y = digits(t + 6, 4);
    } else if (style == DATE_ISO && n == 10 && t[4] == '-' && t[7] == '-') {
        y = digits(t, 4), m = digits(t + 5, 2), d = digits(t + 8, 2);
    } else if (style == DATE_MDY && n == 10 && t[2] == '/' && t[5] == '/') {
        m = digits(t, 2), d = digits(t + 3, 2), y = digits(t + 6, 4);
    } else if (style == DATE_YMD8 && n == 8) {
        y = digits(t, 4), m = digits(t + 4, 2), d = digits(t + 6, 2);
    }
    if (y < 1901 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return 0;
    /* Days from 1970-01-01, then the 1900 system's serial (25569 is 1970-01-01). */
    long yy = y - (m <= 2), era = yy / 400, yoe = yy - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + 25569;
}

/* A whole number that reads back the same (no sign, no leading zero, at most 15 digits). */
static bool whole_number(const char *s, size_t n)
{
    if (n == 0 || n > 15 || s[0] == '0')
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int put_cell(synth_xlsx *w, size_t col, const char *s, size_t n)
{
    if (n == 0)
        return RK_OK;
    char ref[32], letters[8];
    column_ref(letters, col);
    snprintf(ref, sizeof(ref), "%s%llu", letters, (unsigned long long)w->rows);
    long serial = w->rows > 1 && col < w->ncols && w->date_style[col] >= 0
                      ? serial_of(s, n, w->date_style[col])
                      : 0;
    if (serial > 0)
        return rk_buf_printf(&w->line, "<c r=\"%s\" s=\"1\"><v>%ld</v></c>", ref, serial);
    if (w->rows > 1 && whole_number(s, n)) {
        int rc = rk_buf_printf(&w->line, "<c r=\"%s\"><v>", ref);
        rc = rc ? rc : rk_buf_append(&w->line, s, n);
        return rc ? rc : rk_buf_puts(&w->line, "</v></c>");
    }
    int rc =
        rk_buf_printf(&w->line, "<c r=\"%s\" t=\"inlineStr\"><is><t xml:space=\"preserve\">", ref);
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        char c = s[i];
        rc = c == '&'   ? rk_buf_puts(&w->line, "&amp;")
             : c == '<' ? rk_buf_puts(&w->line, "&lt;")
             : c == '>' ? rk_buf_puts(&w->line, "&gt;")
                        : rk_buf_putc(&w->line, c);
    }
    return rc ? rc : rk_buf_puts(&w->line, "</t></is></c>");
}

/* The fields of one CSV row as row.c writes it (quotes doubled inside quoted fields). */
int synth_xlsx_row(synth_xlsx *w, const char *row, size_t n)
{
    w->rows++;
    rk_buf_clear(&w->line);
    int rc = rk_buf_printf(&w->line, "<row r=\"%llu\">", (unsigned long long)w->rows);
    size_t i = 0, col = 0;
    while (n > 0 && (row[n - 1] == '\n' || row[n - 1] == '\r'))
        n--;
    while (rc == RK_OK && i <= n) {
        rk_buf_clear(&w->field);
        if (i < n && row[i] == '"') {
            for (i++; i < n && rc == RK_OK; i++) {
                if (row[i] == '"' && i + 1 < n && row[i + 1] == '"')
                    rc = rk_buf_putc(&w->field, row[i++]);
                else if (row[i] == '"')
                    break;
                else
                    rc = rk_buf_putc(&w->field, row[i]);
            }
            i++; /* the closing quote */
        } else {
            size_t j = i;
            while (j < n && row[j] != w->delimiter)
                j++;
            rc = rk_buf_append(&w->field, row + i, j - i);
            i = j;
        }
        if (w->rows == 1 && rc == RK_OK && col < RK_ARRAY_LEN(w->date_style)) {
            /* The header: which columns hold the layout's full dates. */
            const char *h = rk_buf_cstr(&w->field);
            const synth_layout *L = w->L;
            w->date_style[col] = L->col_birth && strcmp(h, L->col_birth) == 0   ? L->date_style
                                 : L->col_death && strcmp(h, L->col_death) == 0 ? L->death_style
                                                                                : -1;
            w->ncols = col + 1;
        }
        rc = rc ? rc : put_cell(w, col++, w->field.data ? w->field.data : "", w->field.len);
        i++; /* the delimiter */
    }
    rc = rc ? rc : rk_buf_puts(&w->line, "</row>");
    if (rc != RK_OK)
        return rk_error_set(w->ctx, RK_ENOMEM, "out of memory writing a spreadsheet row");
    if (rk_fault_hit(RK_FAULT_WRITE) || fwrite(w->line.data, 1, w->line.len, w->f) != w->line.len)
        return rk_error_set(w->ctx, RK_EIO, "%s: cannot write: %s; check the disk", w->tmp,
                            strerror(errno ? errno : EIO));
    return RK_OK;
}

static int add_text(zip_t *z, const char *name, const char *text)
{
    zip_source_t *s = zip_source_buffer(z, text, strlen(text), 0);
    if (!s)
        return -1;
    if (zip_file_add(z, name, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(s);
        return -1;
    }
    return 0;
}

int synth_xlsx_close(synth_xlsx *w)
{
    int rc = RK_OK;
    if (fputs(sheet_tail, w->f) == EOF || fclose(w->f) != 0) {
        w->f = NULL;
        return rk_error_set(w->ctx, RK_EIO, "%s: cannot write; check the disk", w->tmp);
    }
    w->f = NULL;
    int err = 0;
    zip_t *z = zip_open(w->path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        return rk_error_set(w->ctx, RK_EIO, "%s: cannot create (zip error %d)", w->path, err);
    zip_source_t *sheet = zip_source_file(z, w->tmp, 0, -1);
    if (add_text(z, "[Content_Types].xml", content_types) != 0 ||
        add_text(z, "_rels/.rels", root_rels) != 0 ||
        add_text(
            z, "xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
            "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>") !=
            0 ||
        add_text(z, "xl/_rels/workbook.xml.rels", workbook_rels) != 0 ||
        add_text(z, "xl/styles.xml", styles) != 0 || !sheet ||
        zip_file_add(z, "xl/worksheets/sheet1.xml", sheet, ZIP_FL_OVERWRITE) < 0) {
        rc = rk_error_set(w->ctx, RK_EIO, "%s: cannot write: %s", w->path, zip_strerror(z));
        zip_source_free(sheet);
        zip_discard(z);
    } else if (zip_close(z) != 0) {
        rc = rk_error_set(w->ctx, RK_EIO, "%s: cannot write: %s; check the disk", w->path,
                          zip_strerror(z));
        zip_discard(z);
    }
    remove(w->tmp);
    return rc;
}

void synth_xlsx_free(synth_xlsx *w)
{
    if (!w)
        return;
    if (w->f) {
        fclose(w->f);
        remove(w->tmp);
    }
    rk_buf_release(&w->line);
    rk_buf_release(&w->field);
    rk_free(w);
}
