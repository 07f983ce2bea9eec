/* `reckon export PROJECT records`: every current record with its key, provenance, mapped and
 * standardized fields and raw row, as CSV or JSON. Streams row by row. */
#include "report_private.h"

/* Is s (n bytes) a number as written: an optional sign, digits with at most one '.', and an
 * optional exponent? Such a value is data ("-3", "+1.5") and is written as it is. */
static bool csv_numeric(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    bool dot = false;
    for (; i < n && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && !dot)); i++) {
        dot = dot || s[i] == '.';
        digits += s[i] != '.';
    }
    if (!digits)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t e = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == e)
            return false;
    }
    return i == n;
}

int rk_export_csv_field(rk_buf *b, const char *s, size_t n)
{
    /* A spreadsheet reads a cell that begins with = + - @ tab or CR as a formula: such a value,
     * unless it is a plain number, gets a leading ' and quotes (OWASP, CSV injection). */
    bool formula = n > 0 &&
                   (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                    s[0] == '\r') &&
                   !csv_numeric(s, n);
    bool quote = formula;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote)
        return rk_buf_append(b, s, n);
    int rc = rk_buf_puts(b, formula ? "\"'" : "\"");
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

/* raw: the text is JSON (extra, std, raw), embedded as such in JSON output. */
static const report_column columns[] = {
    {"record_key", false},  {"list", false},
    {"import_id", false},   {"row_number", false},
    {"line", false},        {"byte_offset", false},
    {"byte_length", false}, {"source", false},
    {"full_name", false},   {"given_name", false},
    {"family_name", false}, {"second_family_name", false},
    {"patronymic", false},  {"father_name", false},
    {"mother_name", false}, {"sex", false},
    {"birth_date", false},  {"birth_precision", false},
    {"birth_year", false},  {"age", false},
    {"death_date", false},  {"death_precision", false},
    {"place", false},       {"region", false},
    {"violation", false},   {"extra", true},
    {"std", true},          {"raw", true},
};

int rk_export_records(FILE *out, rk_store *st, rk_format fmt)
{
    sqlite3_stmt *s = NULL;
    int rc =
        rk_store__prepare(&s, st,
                          "SELECT r.record_key, l.name, r.import_id, r.row_number, r.line,"
                          " r.byte_offset, r.byte_length, " RK_STORE_RECORD_SOURCE_SQL ","
                          " r.full_name, r.given_name,"
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
    report_table w = {
        .fmt = fmt, .out = out, .columns = columns, .ncolumns = RK_ARRAY_LEN(columns)};
    rk_buf_init(&w.b);
    rc = report_table_query(&w, st, s, "cannot read records");
    sqlite3_finalize(s);
    rk_buf_release(&w.b);
    return rc;
}
