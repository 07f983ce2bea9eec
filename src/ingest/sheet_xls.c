/* The legacy .xls reader (BIFF in an OLE2 compound file) through Debian's libfreexl, which
 * reads the whole workbook into memory (an .xls holds at most 65,536 rows): the chosen sheet's
 * cells row by row, texts as they are, numbers as their shortest exact text, and cells that
 * freexl types as dates as ISO dates. Rows have no byte place in the file (offset 0). Errors
 * name the freexl call that failed and its code. */
#include "sheet.h"

#include <freexl.h>

typedef struct xls {
    const void *h;
    unsigned rows;
    unsigned short cols;
    unsigned next; /* the next row to read, 0-based */
} xls;

static int xls_open(ingest_sheet *sh)
{
    xls *x = rk_calloc(1, sizeof(*x));
    if (!x)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    sh->impl = x;
    int ret = freexl_open(sh->path, &x->h);
    /* freexl 1.0.6 answers OK without a handle when a record of the workbook fails its checks
     * (its parser's error is lost): among them a text cell of zero characters, which SheetJS
     * writes for each empty string. A workbook whose stream fits the compound file's mini
     * stream (under 4 KiB, as SheetJS writes small ones) fails with FREEXL_INVALID_MINI_STREAM.
     * Either way freexl names no sheet and no cell. */
    if (ret == FREEXL_OK && !x->h)
        return sheet_fail(sh, RK_EINPUT,
                          "this .xls workbook cannot be read: libfreexl's freexl_open refused "
                          "one of its records without saying which (it refuses, for one, a text "
                          "cell of zero characters, as SheetJS writes for empty strings); open "
                          "and save it again in a spreadsheet program, or save it as .xlsx, "
                          ".ods or CSV");
    if (ret == FREEXL_INVALID_MINI_STREAM)
        return sheet_fail(sh, RK_EINPUT,
                          "this .xls workbook cannot be read: libfreexl's freexl_open does not "
                          "read its mini stream (a workbook under 4 KiB, as SheetJS writes "
                          "small ones); open and save it again in a spreadsheet program, or "
                          "save it as .xlsx, .ods or CSV");
    if (ret != FREEXL_OK)
        return sheet_fail(sh, RK_EINPUT,
                          "this .xls workbook cannot be read (freexl_open error %d): it is "
                          "damaged, truncated or encrypted; save it again, or export the list "
                          "as CSV",
                          ret);
    unsigned count = 0;
    if ((ret = freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &count)) != FREEXL_OK)
        return sheet_fail(sh, RK_EINPUT,
                          "the workbook's sheets cannot be read (freexl_get_info error %d); it "
                          "is damaged",
                          ret);
    const char **names = rk_calloc(count ? count : 1, sizeof(char *));
    if (!names)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    int rc = RK_OK;
    for (unsigned i = 0; i < count && rc == RK_OK; i++)
        if (freexl_get_worksheet_name(x->h, (unsigned short)i, &names[i]) != FREEXL_OK || !names[i])
            rc = sheet_fail(sh, RK_EINPUT, "sheet %u has no name; the workbook is damaged", i + 1);
    int chosen = rc == RK_OK ? sheet_choose(sh, names, count) : -1;
    if (rc == RK_OK && chosen < 0)
        rc = RK_EINPUT;
    if (rc == RK_OK && !(sh->name = rk_strdup(names[chosen])))
        rc = rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    rk_free(names);
    if (rc != RK_OK)
        return rc;
    const char *call = "freexl_select_active_worksheet";
    ret = freexl_select_active_worksheet(x->h, (unsigned short)chosen);
    if (ret == FREEXL_OK) {
        call = "freexl_worksheet_dimensions";
        ret = freexl_worksheet_dimensions(x->h, &x->rows, &x->cols);
    }
    if (ret != FREEXL_OK)
        return sheet_fail(sh, RK_EINPUT,
                          "sheet '%s' cannot be read (%s error %d); the workbook is damaged",
                          sh->name, call, ret);
    sh->extent = x->rows;
    return RK_OK;
}

static int put_value(ingest_sheet *sh, size_t col, const FreeXL_CellValue *v)
{
    char num[32];
    switch (v->type) {
    case FREEXL_CELL_INT:
        snprintf(num, sizeof(num), "%d", v->value.int_value);
        return sheet_row_put(sh, col, num, strlen(num), false);
    case FREEXL_CELL_DOUBLE:
        sheet_number_text(num, v->value.double_value);
        return sheet_row_put(sh, col, num, strlen(num), false);
    case FREEXL_CELL_DATE:     /* YYYY-MM-DD */
    case FREEXL_CELL_DATETIME: /* YYYY-MM-DD HH:MM:SS: the time is dropped */
        return sheet_row_put(sh, col, v->value.text_value, strnlen(v->value.text_value, 10), true);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_TIME:
        return sheet_row_put(sh, col, v->value.text_value, strlen(v->value.text_value), false);
    default:
        return RK_OK;
    }
}

static int xls_next(ingest_sheet *sh)
{
    xls *x = sh->impl;
    while (x->next < x->rows) {
        unsigned r = x->next++;
        sheet_row_reset(&sh->row, (long)r + 1);
        for (unsigned short c = 0; c < x->cols; c++) {
            FreeXL_CellValue v;
            int ret = freexl_get_cell_value(x->h, r, c, &v);
            if (ret != FREEXL_OK)
                return sheet_fail_at(sh, RK_EINPUT, c,
                                     "the cell cannot be read (freexl_get_cell_value error %d); "
                                     "the workbook is damaged",
                                     ret);
            int rc = put_value(sh, c, &v);
            if (rc != RK_OK)
                return rc;
        }
        if (sh->row.ncells > 0)
            return 1;
    }
    return 0;
}

static void xls_close(ingest_sheet *sh)
{
    xls *x = sh->impl;
    if (x->h)
        freexl_close(x->h);
    rk_free(x);
    sh->impl = NULL;
}

const sheet_format ingest_sheet_xls = {"xls", xls_open, xls_next, xls_close};
