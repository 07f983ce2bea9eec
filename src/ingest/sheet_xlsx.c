/* The .xlsx reader (Office Open XML workbooks): the workbook's sheets and date system, the
 * relationship that names the chosen sheet's part, the styles that make a number a date, the
 * shared strings held compactly (one arena of texts and an array of offsets), then the sheet's
 * part streamed row by row: cells by reference (gaps are empty), shared, inline and formula
 * strings, rich text runs, booleans, numbers as their shortest exact text, serial dates. */
#include "sheet_xml.h"

#include <math.h>

typedef struct xlsx {
    ingest_sheet *sh;
    zip_t *z;
    sheet_xml *x; /* the parse under way */
    sheet_xml data;
    bool data_open;
    bool date1904;
    /* The workbook's sheets, and the chosen one's relationship id and part. */
    char **names, **rids;
    size_t nsheets, names_cap, rids_cap;
    const char *want_rid;
    char *part;
    /* Styles: which cell formats (cellXfs, by index) show dates. */
    int *date_fmts;
    size_t ndate_fmts, date_fmts_cap;
    bool *xf_date;
    size_t nxf, xf_cap;
    bool in_cellxfs;
    /* Shared strings: texts one after another, each NUL-terminated, and where each starts. */
    rk_buf sst;
    uint32_t *sst_off;
    size_t nsst, sst_cap;
    /* Parse state. */
    int rph; /* depth in phonetic runs, whose text is not the cell's */
    bool in_si, in_is, in_t, in_v, in_cell, in_data;
    rk_buf cell;
    char cell_type; /* 's' shared, 'b' boolean, 'd' date, 'n' number, 't' other text */
    size_t col, next_col;
    long style, next_row;
} xlsx;

static int push(void *arrp, size_t *n, size_t *cap, size_t size)
{
    void **arr = arrp;
    if (*n < *cap)
        return RK_OK;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = rk_realloc(*arr, c * size);
    if (!p)
        return RK_ENOMEM;
    *arr = p;
    *cap = c;
    return RK_OK;
}

static void oom(xlsx *xl)
{
    sheet_xml_abort(xl->x, rk_error_set(xl->sh->ctx, RK_ENOMEM, "out of memory"));
}

/* ---- workbook.xml: the sheets and the date system ---- */

static void XMLCALL workbook_start(void *u, const char *name, const char **atts)
{
    xlsx *xl = u;
    const char *el = sheet_xml_local(name);
    if (strcmp(el, "workbookPr") == 0) {
        const char *d = sheet_xml_attr(atts, "date1904");
        xl->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(el, "sheet") == 0) {
        const char *nm = sheet_xml_attr(atts, "name"), *rid = sheet_xml_attr(atts, "id");
        if (!nm || !rid)
            return;
        if (push(&xl->names, &xl->nsheets, &xl->names_cap, sizeof(char *)) != RK_OK ||
            push(&xl->rids, &xl->nsheets, &xl->rids_cap, sizeof(char *)) != RK_OK) {
            oom(xl);
            return;
        }
        xl->names[xl->nsheets] = rk_strdup(nm);
        xl->rids[xl->nsheets] = rk_strdup(rid);
        xl->nsheets++;
        if (!xl->names[xl->nsheets - 1] || !xl->rids[xl->nsheets - 1])
            oom(xl);
    }
}

static void XMLCALL no_end(void *u, const char *name)
{
    (void)u;
    (void)name;
}

/* ---- xl/_rels/workbook.xml.rels: the chosen sheet's part ---- */

static void XMLCALL rels_start(void *u, const char *name, const char **atts)
{
    xlsx *xl = u;
    if (strcmp(sheet_xml_local(name), "Relationship") != 0 || xl->part)
        return;
    const char *id = sheet_xml_attr(atts, "Id"), *target = sheet_xml_attr(atts, "Target");
    if (!id || !target || strcmp(id, xl->want_rid) != 0)
        return;
    rk_buf b;
    rk_buf_init(&b);
    /* Relative to xl/, or absolute from the archive's root. */
    int rc = target[0] == '/' ? rk_buf_puts(&b, target + 1) : rk_buf_printf(&b, "xl/%s", target);
    if (rc != RK_OK || !(xl->part = rk_buf_detach(&b))) {
        rk_buf_release(&b);
        oom(xl);
    }
}

/* ---- xl/styles.xml: date formats ---- */

static bool builtin_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

static void XMLCALL styles_start(void *u, const char *name, const char **atts)
{
    xlsx *xl = u;
    const char *el = sheet_xml_local(name);
    int64_t id;
    if (strcmp(el, "numFmt") == 0) {
        const char *ids = sheet_xml_attr(atts, "numFmtId"),
                   *code = sheet_xml_attr(atts, "formatCode");
        if (ids && code && rk_parse_i64(&id, ids) == RK_OK && sheet_format_is_date(code)) {
            if (push(&xl->date_fmts, &xl->ndate_fmts, &xl->date_fmts_cap, sizeof(int)) != RK_OK)
                return oom(xl);
            xl->date_fmts[xl->ndate_fmts++] = (int)id;
        }
    } else if (strcmp(el, "cellXfs") == 0) {
        xl->in_cellxfs = true;
    } else if (strcmp(el, "xf") == 0 && xl->in_cellxfs) {
        const char *ids = sheet_xml_attr(atts, "numFmtId");
        bool date = false;
        if (ids && rk_parse_i64(&id, ids) == RK_OK) {
            date = builtin_date((long)id);
            for (size_t i = 0; i < xl->ndate_fmts && !date; i++)
                date = xl->date_fmts[i] == id;
        }
        if (push(&xl->xf_date, &xl->nxf, &xl->xf_cap, sizeof(bool)) != RK_OK)
            return oom(xl);
        xl->xf_date[xl->nxf++] = date;
    }
}

static void XMLCALL styles_end(void *u, const char *name)
{
    xlsx *xl = u;
    if (strcmp(sheet_xml_local(name), "cellXfs") == 0)
        xl->in_cellxfs = false;
}

/* ---- Text in <si>, <is> (strings) and <v> (values) ---- */

static void XMLCALL text_data(void *u, const char *s, int n)
{
    xlsx *xl = u;
    if ((xl->in_t && xl->rph == 0) || xl->in_v)
        sheet_xml_text(xl->x, &xl->cell, s, n);
}

/* The elements of strings and sheets that matter, by local name (compared once). */
enum { EL_OTHER, EL_SI, EL_T, EL_RPH, EL_SHEETDATA, EL_ROW, EL_C, EL_V, EL_IS };

static int element(const char *name)
{
    const char *el = sheet_xml_local(name);
    switch (el[0]) {
    case 'c':
        return el[1] == '\0' ? EL_C : EL_OTHER;
    case 'v':
        return el[1] == '\0' ? EL_V : EL_OTHER;
    case 't':
        return el[1] == '\0' ? EL_T : EL_OTHER;
    case 'r':
        return strcmp(el, "row") == 0 ? EL_ROW : strcmp(el, "rPh") == 0 ? EL_RPH : EL_OTHER;
    case 'i':
        return strcmp(el, "is") == 0 ? EL_IS : EL_OTHER;
    case 's':
        return strcmp(el, "si") == 0          ? EL_SI
               : strcmp(el, "sheetData") == 0 ? EL_SHEETDATA
                                              : EL_OTHER;
    default:
        return EL_OTHER;
    }
}

/* A string element: <t> inside <si> or <is> (plain or in a rich text run <r>), and phonetic
 * runs <rPh>, whose text is left out. */
static bool string_start(xlsx *xl, int el)
{
    if (el == EL_T && (xl->in_si || xl->in_is))
        xl->in_t = true;
    else if (el == EL_RPH)
        xl->rph++;
    else
        return false;
    return true;
}

static bool string_end(xlsx *xl, int el)
{
    if (el == EL_T)
        xl->in_t = false;
    else if (el == EL_RPH)
        xl->rph--;
    else
        return false;
    return true;
}

/* ---- xl/sharedStrings.xml ---- */

static void XMLCALL sst_start(void *u, const char *name, const char **atts)
{
    (void)atts;
    xlsx *xl = u;
    int el = element(name);
    if (el == EL_SI) {
        xl->in_si = true;
        rk_buf_clear(&xl->cell);
    } else
        string_start(xl, el);
}

static void XMLCALL sst_end(void *u, const char *name)
{
    xlsx *xl = u;
    int el = element(name);
    if (string_end(xl, el) || el != EL_SI)
        return;
    xl->in_si = false;
    if (xl->sst.len + xl->cell.len + 1 > UINT32_MAX) {
        sheet_xml_abort(xl->x, sheet_fail(xl->sh, RK_EINPUT,
                                          "the shared strings exceed 4 GiB; split the workbook"));
        return;
    }
    if (push(&xl->sst_off, &xl->nsst, &xl->sst_cap, sizeof(uint32_t)) != RK_OK)
        return oom(xl);
    xl->sst_off[xl->nsst++] = (uint32_t)xl->sst.len;
    if (rk_buf_append(&xl->sst, xl->cell.data ? xl->cell.data : "", xl->cell.len) != RK_OK ||
        rk_buf_putc(&xl->sst, '\0') != RK_OK)
        oom(xl);
}

/* ---- the sheet's part, row by row ---- */

static void XMLCALL sheet_start(void *u, const char *name, const char **atts)
{
    xlsx *xl = u;
    ingest_sheet *sh = xl->sh;
    int el = element(name);
    int64_t k;
    if (el == EL_SHEETDATA) {
        xl->in_data = true;
    } else if (!xl->in_data) {
        return;
    } else if (el == EL_ROW) {
        const char *r = sheet_xml_attr(atts, "r");
        long number = r && rk_parse_i64(&k, r) == RK_OK && k >= 1 ? (long)k : xl->next_row;
        sheet_row_reset(&sh->row, number);
        sh->row.offset = sheet_xml_byte_index(xl->x);
        xl->next_col = 0;
    } else if (el == EL_C) {
        const char *r = sheet_xml_attr(atts, "r"), *t = sheet_xml_attr(atts, "t"),
                   *s = sheet_xml_attr(atts, "s");
        long col = r ? sheet_ref_column(r) : -1;
        xl->col = col >= 0 ? (size_t)col : xl->next_col;
        xl->cell_type = !t ? 'n' : t[0] && !t[1] && strchr("sbdn", t[0]) ? t[0] : 't';
        xl->style = s && rk_parse_i64(&k, s) == RK_OK ? (long)k : 0;
        xl->in_cell = true;
        rk_buf_clear(&xl->cell);
    } else if (el == EL_V && xl->in_cell) {
        xl->in_v = true;
    } else if (el == EL_IS && xl->in_cell) {
        xl->in_is = true;
    } else {
        string_start(xl, el);
    }
}

/* The cell's value as text, by its type. */
static int finish_cell(xlsx *xl)
{
    ingest_sheet *sh = xl->sh;
    char t = xl->cell_type;
    const char *v = rk_buf_cstr(&xl->cell);
    size_t n = xl->cell.len;
    char num[32];
    int64_t k;
    if (t == 's') {
        if (n == 0)
            return RK_OK;
        if (rk_parse_i64(&k, v) != RK_OK || k < 0 || (uint64_t)k >= xl->nsst)
            return sheet_fail_at(sh, RK_EINPUT, xl->col,
                                 "shared string %s does not exist; the workbook is damaged", v);
        const char *s = xl->sst.data + xl->sst_off[k];
        return sheet_row_put(sh, xl->col, s, strlen(s), false);
    }
    if (t == 'b')
        return n ? sheet_row_put(sh, xl->col, v[0] == '1' ? "TRUE" : "FALSE", v[0] == '1' ? 4 : 5,
                                 false)
                 : RK_OK;
    if (t == 'd') { /* an ISO 8601 date (and time) */
        const char *tee = strchr(v, 'T');
        return sheet_row_put(sh, xl->col, v, tee ? (size_t)(tee - v) : n, true);
    }
    if (t != 'n') /* inlineStr, str (a formula's text), e (an error, #N/A) */
        return sheet_row_put(sh, xl->col, v, n, false);
    if (n == 0)
        return RK_OK;
    char *end;
    double x = strtod(v, &end);
    if (*end || !isfinite(x))
        return sheet_fail_at(sh, RK_EINPUT, xl->col,
                             "'%.40s' is not a number in a number cell; the workbook is damaged",
                             v);
    bool date = xl->style >= 0 && (size_t)xl->style < xl->nxf && xl->xf_date[xl->style];
    char iso[16];
    if (date && sheet_serial_date(iso, x, xl->date1904))
        return sheet_row_put(sh, xl->col, iso, strlen(iso), true);
    sheet_number_text(num, x);
    return sheet_row_put(sh, xl->col, num, strlen(num), false);
}

static void XMLCALL sheet_end(void *u, const char *name)
{
    xlsx *xl = u;
    ingest_sheet *sh = xl->sh;
    int el = element(name);
    if (!xl->in_data || string_end(xl, el))
        return;
    if (el == EL_V) {
        xl->in_v = false;
    } else if (el == EL_IS) {
        xl->in_is = false;
    } else if (el == EL_C) {
        xl->in_cell = false;
        int rc = finish_cell(xl);
        if (rc != RK_OK)
            sheet_xml_abort(xl->x, rc);
        xl->next_col = xl->col + 1;
    } else if (el == EL_ROW) {
        sh->row.length = sheet_xml_byte_index(xl->x) + sheet_xml_byte_count(xl->x) - sh->row.offset;
        xl->next_row = sh->row.number + 1;
        if (sh->row.ncells > 0) /* a row with a value: hand it over */
            sheet_xml_suspend(xl->x);
    } else if (el == EL_SHEETDATA) {
        xl->in_data = false;
    }
}

/* ---- opening ---- */

static int parse_part(xlsx *xl, const char *entry, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    return sheet_xml_parse(xl->sh, xl->z, entry, xl, start, end, text, &xl->x);
}

static int xlsx_open(ingest_sheet *sh)
{
    xlsx *xl = rk_calloc(1, sizeof(*xl));
    if (!xl)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    sh->impl = xl;
    xl->sh = sh;
    xl->next_row = 1;
    rk_buf_init(&xl->sst);
    rk_buf_init(&xl->cell);
    int err = 0;
    xl->z = sheet_zip_open(sh, ZIP_RDONLY, &err);
    if (!xl->z)
        return sheet_fail(sh, RK_EIO, "cannot open the workbook again (zip error %d)", err);
    int rc = parse_part(xl, "xl/workbook.xml", workbook_start, no_end, NULL);
    if (rc != RK_OK)
        return rc;
    int chosen = sheet_choose(sh, (const char *const *)xl->names, xl->nsheets);
    if (chosen < 0)
        return RK_EINPUT;
    if (!(sh->name = rk_strdup(xl->names[chosen])))
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    xl->want_rid = xl->rids[chosen];
    if ((rc = parse_part(xl, "xl/_rels/workbook.xml.rels", rels_start, no_end, NULL)) != RK_OK)
        return rc;
    if (!xl->part)
        return sheet_fail(sh, RK_EINPUT,
                          "sheet '%s' has no part in xl/_rels/workbook.xml.rels; the workbook is "
                          "damaged",
                          sh->name);
    if (zip_name_locate(xl->z, "xl/styles.xml", 0) >= 0 &&
        (rc = parse_part(xl, "xl/styles.xml", styles_start, styles_end, NULL)) != RK_OK)
        return rc;
    if (zip_name_locate(xl->z, "xl/sharedStrings.xml", 0) >= 0 &&
        (rc = parse_part(xl, "xl/sharedStrings.xml", sst_start, sst_end, text_data)) != RK_OK)
        return rc;
    if ((rc = sheet_xml_open(&xl->data, sh, xl->z, xl->part, xl, sheet_start, sheet_end,
                             text_data)) != RK_OK)
        return rc;
    xl->data_open = true;
    xl->x = &xl->data;
    sheet_xml_extent(sh, xl->z, xl->part);
    return RK_OK;
}

static int xlsx_next(ingest_sheet *sh)
{
    xlsx *xl = sh->impl;
    return sheet_xml_run(&xl->data);
}

static void xlsx_close(ingest_sheet *sh)
{
    xlsx *xl = sh->impl;
    if (xl->data_open)
        sheet_xml_close(&xl->data);
    if (xl->z)
        zip_discard(xl->z);
    for (size_t i = 0; i < xl->nsheets; i++) {
        rk_free(xl->names[i]);
        rk_free(xl->rids[i]);
    }
    rk_free(xl->names);
    rk_free(xl->rids);
    rk_free(xl->part);
    rk_free(xl->date_fmts);
    rk_free(xl->xf_date);
    rk_free(xl->sst_off);
    rk_buf_release(&xl->sst);
    rk_buf_release(&xl->cell);
    rk_free(xl);
    sh->impl = NULL;
}

const sheet_format ingest_sheet_xlsx = {"xlsx", xlsx_open, xlsx_next, xlsx_close};
