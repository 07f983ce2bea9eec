/* The .ods reader (OpenDocument spreadsheets): content.xml streamed row by row through expat,
 * the chosen table found on the way (its name or number; the tables seen are listed when it is
 * not there). Cells by type: office:value for numbers (shortest exact text), office:date-value
 * for dates, office:boolean-value, else the text of the cell's paragraphs with ODF's white
 * space rules (runs collapse, text:s, text:tab, text:line-break; annotations left out).
 * Repeated columns and rows cost nothing while empty: a trailing empty row repeated
 * 1,048,576 times only moves the row counter. */
#include "sheet_xml.h"

#include <math.h>

typedef struct ods {
    ingest_sheet *sh;
    zip_t *z;
    sheet_xml data;
    bool data_open;
    char **names; /* the tables seen so far */
    size_t ntables, names_cap;
    bool active, found, done;
    long next_row;
    long row_repeat, pending; /* a row with values is handed over row_repeat times */
    /* The cell under way. */
    bool in_cell;
    size_t col;
    long col_repeat;
    char type[16], value[64], date_value[64], bool_value[8];
    rk_buf text;
    int in_p, annotation, paras;
    bool ws_pending, para_start;
} ods;

static void oom(ods *o)
{
    sheet_xml_abort(&o->data, rk_error_set(o->sh->ctx, RK_ENOMEM, "out of memory"));
}

static long repeat_attr(const char **atts, const char *name)
{
    int64_t k;
    const char *v = sheet_xml_attr(atts, name);
    if (!v || rk_parse_i64(&k, v) != RK_OK || k < 1)
        return 1;
    return k > 1048576 * 16 ? 1048576 * 16 : (long)k;
}

static void copy_attr(char *out, size_t outsz, const char **atts, const char *name)
{
    const char *v = sheet_xml_attr(atts, name);
    snprintf(out, outsz, "%s", v ? v : "");
}

static void table_start(ods *o, const char **atts)
{
    const char *nm = sheet_xml_attr(atts, "name");
    if (!nm)
        nm = "";
    if (o->ntables == o->names_cap) {
        size_t cap = o->names_cap ? o->names_cap * 2 : 8;
        char **p = rk_realloc(o->names, cap * sizeof(*p));
        if (!p)
            return oom(o);
        o->names = p;
        o->names_cap = cap;
    }
    if (!(o->names[o->ntables] = rk_strdup(nm)))
        return oom(o);
    size_t index = o->ntables++;
    bool want = !o->found && sheet_wanted(o->sh, index, nm);
    /* Tables are met one by one: the first that answers the name or the number is taken. */
    if (want) {
        o->active = o->found = true;
        o->next_row = 1;
        if (!(o->sh->name = rk_strdup(nm)))
            oom(o);
    }
}

static void cell_start(ods *o, const char **atts)
{
    o->in_cell = true;
    o->col_repeat = repeat_attr(atts, "number-columns-repeated");
    copy_attr(o->type, sizeof(o->type), atts, "value-type");
    copy_attr(o->value, sizeof(o->value), atts, "value");
    copy_attr(o->date_value, sizeof(o->date_value), atts, "date-value");
    copy_attr(o->bool_value, sizeof(o->bool_value), atts, "boolean-value");
    rk_buf_clear(&o->text);
    o->paras = 0;
    o->in_p = 0;
}

/* Collapsed white space before text that follows it (not at a paragraph's start). */
static void flush_space(ods *o)
{
    if (o->ws_pending && !o->para_start)
        sheet_xml_text(&o->data, &o->text, " ", 1);
    o->ws_pending = false;
}

static void XMLCALL ods_start(void *u, const char *name, const char **atts)
{
    ods *o = u;
    const char *el = sheet_xml_local(name);
    if (strcmp(el, "table") == 0 && !o->active) {
        table_start(o, atts);
        return;
    }
    if (!o->active)
        return;
    if (strcmp(el, "table-row") == 0) {
        o->row_repeat = repeat_attr(atts, "number-rows-repeated");
        sheet_row_reset(&o->sh->row, o->next_row);
        o->sh->row.offset = sheet_xml_byte_index(&o->data);
        o->col = 0;
    } else if (strcmp(el, "table-cell") == 0 || strcmp(el, "covered-table-cell") == 0) {
        cell_start(o, atts);
    } else if (!o->in_cell) {
        return;
    } else if (strcmp(el, "annotation") == 0) {
        o->annotation++;
    } else if (o->annotation) {
        return;
    } else if (strcmp(el, "p") == 0 || strcmp(el, "h") == 0) {
        if (o->paras++ > 0)
            sheet_xml_text(&o->data, &o->text, "\n", 1);
        o->in_p++;
        o->ws_pending = false;
        o->para_start = true;
    } else if (strcmp(el, "s") == 0) {
        flush_space(o);
        long c = repeat_attr(atts, "c");
        for (long i = 0; i < c && o->data.rc == RK_OK; i++)
            sheet_xml_text(&o->data, &o->text, " ", 1);
        o->para_start = false;
    } else if (strcmp(el, "tab") == 0 || strcmp(el, "line-break") == 0) {
        flush_space(o);
        sheet_xml_text(&o->data, &o->text, el[0] == 't' ? "\t" : "\n", 1);
        o->para_start = false;
    }
}

static void XMLCALL ods_text(void *u, const char *s, int n)
{
    ods *o = u;
    if (!o->in_cell || !o->in_p || o->annotation)
        return;
    int i = 0;
    while (i < n) {
        int j = i;
        while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r')
            j++;
        if (j > i) {
            flush_space(o);
            sheet_xml_text(&o->data, &o->text, s + i, j - i);
            o->para_start = false;
        }
        if (j < n)
            o->ws_pending = true;
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
            j++;
        i = j;
    }
}

/* The cell's value as text, put in each of its repeated columns. */
static int finish_cell(ods *o)
{
    ingest_sheet *sh = o->sh;
    const char *v = rk_buf_cstr(&o->text);
    size_t n = o->text.len;
    bool date = false;
    char num[32];
    if ((strcmp(o->type, "float") == 0 || strcmp(o->type, "percentage") == 0 ||
         strcmp(o->type, "currency") == 0) &&
        o->value[0]) {
        char *end;
        double x = strtod(o->value, &end);
        if (*end || !isfinite(x))
            return sheet_fail_at(sh, RK_EINPUT, o->col,
                                 "'%s' is not a number in a number cell; the file is damaged",
                                 o->value);
        sheet_number_text(num, x);
        v = num;
        n = strlen(num);
    } else if (strcmp(o->type, "date") == 0 && o->date_value[0]) {
        const char *tee = strchr(o->date_value, 'T');
        v = o->date_value;
        n = tee ? (size_t)(tee - v) : strlen(v);
        date = true;
    } else if (strcmp(o->type, "boolean") == 0 && o->bool_value[0]) {
        v = strcmp(o->bool_value, "true") == 0 ? "TRUE" : "FALSE";
        n = strlen(v);
    }
    for (long k = 0; n > 0 && k < o->col_repeat; k++) {
        int rc = sheet_row_put(sh, o->col + (size_t)k, v, n, date);
        if (rc != RK_OK)
            return rc;
    }
    return RK_OK;
}

static void XMLCALL ods_end(void *u, const char *name)
{
    ods *o = u;
    ingest_sheet *sh = o->sh;
    const char *el = sheet_xml_local(name);
    if (!o->active)
        return;
    if (strcmp(el, "table") == 0) {
        o->active = false;
        o->done = true;
        sheet_xml_suspend(&o->data);
    } else if (strcmp(el, "table-cell") == 0 || strcmp(el, "covered-table-cell") == 0) {
        o->in_cell = false;
        int rc = finish_cell(o);
        if (rc != RK_OK)
            return sheet_xml_abort(&o->data, rc);
        o->col += (size_t)o->col_repeat;
    } else if (strcmp(el, "annotation") == 0) {
        o->annotation--;
    } else if ((strcmp(el, "p") == 0 || strcmp(el, "h") == 0) && o->in_cell && !o->annotation) {
        o->in_p--;
    } else if (strcmp(el, "table-row") == 0) {
        sh->row.length =
            sheet_xml_byte_index(&o->data) + sheet_xml_byte_count(&o->data) - sh->row.offset;
        o->next_row += o->row_repeat;
        if (sh->row.ncells > 0) {
            o->pending = o->row_repeat;
            sheet_xml_suspend(&o->data);
        }
    }
}

static int ods_open(ingest_sheet *sh)
{
    ods *o = rk_calloc(1, sizeof(*o));
    if (!o)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    sh->impl = o;
    o->sh = sh;
    rk_buf_init(&o->text);
    int err = 0;
    o->z = sheet_zip_open(sh, ZIP_RDONLY, &err);
    if (!o->z)
        return sheet_fail(sh, RK_EIO, "cannot open the spreadsheet again (zip error %d)", err);
    int rc = sheet_xml_open(&o->data, sh, o->z, "content.xml", o, ods_start, ods_end, ods_text);
    if (rc == RK_OK) {
        o->data_open = true;
        sheet_xml_extent(sh, o->z, "content.xml");
    }
    return rc;
}

static int ods_next(ingest_sheet *sh)
{
    ods *o = sh->impl;
    if (o->pending > 1) { /* the same row again, repeated */
        o->pending--;
        sh->row.number++;
        return 1;
    }
    o->pending = 0;
    if (o->done)
        return 0;
    int rc = sheet_xml_run(&o->data);
    if (rc == 0 && !o->found)
        return sheet_unknown(sh, (const char *const *)o->names, o->ntables);
    return rc == 1 && o->done ? 0 : rc;
}

static void ods_close(ingest_sheet *sh)
{
    ods *o = sh->impl;
    if (o->data_open)
        sheet_xml_close(&o->data);
    if (o->z)
        zip_discard(o->z);
    for (size_t i = 0; i < o->ntables; i++)
        rk_free(o->names[i]);
    rk_free(o->names);
    rk_buf_release(&o->text);
    rk_free(o);
    sh->impl = NULL;
}

const sheet_format ingest_sheet_ods = {"ods", ods_open, ods_next, ods_close};
