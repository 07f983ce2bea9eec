/* `reckon export PROJECT estimates|claims`: the estimate and claim tables as CSV or JSON, column
 * by column as stored (JSON columns embedded as JSON in JSON output, as text in CSV). */
#include "report_private.h"
#include "store/store_internal.h"

/* The rows of `sql` as the table of `columns` (raw: the text is JSON). */
static int export_query(rk_store *st, rk_format fmt, FILE *out, const char *sql,
                        const report_column *columns, size_t ncolumns)
{
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare(&s, st, sql, "cannot read the table");
    if (rc != RK_OK)
        return rc;
    report_table w = {.fmt = fmt, .out = out, .columns = columns, .ncolumns = ncolumns};
    rk_buf_init(&w.b);
    rc = report_table_query(&w, st, s, "cannot read the table");
    sqlite3_finalize(s);
    rk_buf_release(&w.b);
    return rc;
}

int rk_export_claims(FILE *out, rk_store *st, rk_format fmt)
{
    static const report_column cols[] = {
        {"id", false},       {"source", false}, {"url", false},         {"date", false},
        {"category", false}, {"group", false},  {"stratum", true},      {"value", false},
        {"note", false},     {"time", false},   {"removed_time", false}};
    return export_query(st, fmt, out,
                        "SELECT id, source, url, date, category, grp, CASE WHEN"
                        " json_valid(stratum) THEN stratum END, value, note, time, removed_time"
                        " FROM claim ORDER BY id",
                        cols, RK_ARRAY_LEN(cols));
}

int rk_export_estimates(FILE *out, rk_store *st, rk_format fmt)
{
    static const report_column cols[] = {
        {"id", false},       {"time", false},   {"run_id", false}, {"method", false},
        {"model", false},    {"stratum", true}, {"lists", true},   {"observed", false},
        {"estimate", false}, {"lower", false},  {"upper", false},  {"status", false},
        {"reason", false},   {"seed", false},   {"config", true},  {"capture", true},
        {"result", true}};
    return export_query(st, fmt, out,
                        "SELECT id, time, run_id, method, model, CASE WHEN json_valid(stratum)"
                        " THEN stratum END, CASE WHEN json_valid(lists) THEN lists END, observed,"
                        " estimate, lower, upper, status, reason, seed, CASE WHEN"
                        " json_valid(config) THEN config END, CASE WHEN json_valid(capture) THEN"
                        " capture END, CASE WHEN json_valid(result) THEN result END FROM"
                        " estimate ORDER BY id",
                        cols, RK_ARRAY_LEN(cols));
}
