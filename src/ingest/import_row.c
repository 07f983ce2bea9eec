/* One row of an import into one record, phase by phase: its width checked, its raw form,
 * its mapped values parsed by role (texts, dates, whole numbers), its key and extras, then
 * bound, digested and inserted. import.c runs the file, its list and its transaction. */
#include "import_private.h"

/* Notes a problem with the value of role r in the problem table, at its place. */
static int note_problem(importer *im, rk_role r, const char *value, const char *why)
{
    long line, column;
    ingest_rows_field_pos(im->rows, (size_t)im->col_of_role[r], &line, &column);
    im->problems++;
    sqlite3_stmt *s = im->ins_problem;
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, im->import_id);
    sqlite3_bind_int64(s, 2, line);
    sqlite3_bind_int64(s, 3, column);
    sqlite3_bind_text(s, 4, rk_role_name(r), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, value, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, why, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE)
        return rk_store__sqlerr(im->st, "cannot record a problem");
    return RK_OK;
}

/* A value of role r that does not parse: an error, or under --lenient a problem noted and the
 * value dropped (the field is left empty, and the standardizer does not see it). */
static int bad_value(importer *im, rk_role r, const char **values, const char *why)
{
    long line, column;
    ingest_rows_field_pos(im->rows, (size_t)im->col_of_role[r], &line, &column);
    if (!im->opts->lenient)
        return ingest_rows_error(im->rows, RK_EINPUT, line, column,
                                 "%s; fix the row, correct the mapping, or import with --lenient "
                                 "to keep the value raw",
                                 why);
    int rc = note_problem(im, r, values[r], why);
    values[r] = NULL;
    return rc;
}

enum {
    P_FULL = 9,
    P_GIVEN,
    P_FAMILY,
    P_SECOND,
    P_PATRONYMIC,
    P_FATHER,
    P_MOTHER,
    P_SEX,
    P_BIRTH_DATE,
    P_BIRTH_PREC,
    P_BIRTH_YEAR,
    P_AGE,
    P_DEATH_DATE,
    P_DEATH_PREC,
    P_PLACE,
    P_REGION,
    P_VIOLATION,
    P_EXTRA,
    P_STD
};

/* How each role's value goes into its record: as text, as a date with its precision, as a
 * whole number in a range, or only into the record key (the id). A row's values are parsed
 * kind by kind in this order, texts, dates, whole numbers: a row with a bad date and a bad
 * age is refused for its date. */
typedef enum role_kind { ROLE_TEXT = 1, ROLE_DATE, ROLE_WHOLE, ROLE_KEY } role_kind;

static const struct role_column {
    role_kind kind;
    int param;        /* the parameter of the record insert */
    int prec_param;   /* ROLE_DATE: the parameter of the date's precision */
    int64_t lo, hi;   /* ROLE_WHOLE: the range */
    const char *what; /* ROLE_WHOLE: what the value must be */
} role_columns[RK_FIELD_COUNT] = {
    [RK_FIELD_ID] = {ROLE_KEY, 0},
    [RK_FIELD_FULL_NAME] = {ROLE_TEXT, P_FULL},
    [RK_FIELD_GIVEN_NAME] = {ROLE_TEXT, P_GIVEN},
    [RK_FIELD_FAMILY_NAME] = {ROLE_TEXT, P_FAMILY},
    [RK_FIELD_SECOND_FAMILY_NAME] = {ROLE_TEXT, P_SECOND},
    [RK_FIELD_PATRONYMIC] = {ROLE_TEXT, P_PATRONYMIC},
    [RK_FIELD_FATHER_NAME] = {ROLE_TEXT, P_FATHER},
    [RK_FIELD_MOTHER_NAME] = {ROLE_TEXT, P_MOTHER},
    [RK_FIELD_SEX] = {ROLE_TEXT, P_SEX},
    [RK_FIELD_BIRTH_DATE] = {ROLE_DATE, P_BIRTH_DATE, P_BIRTH_PREC},
    [RK_FIELD_BIRTH_YEAR] = {ROLE_WHOLE, P_BIRTH_YEAR, .lo = 1000, .hi = 2200,
                             .what = "a four-digit year"},
    [RK_FIELD_AGE] = {ROLE_WHOLE, P_AGE, .lo = 0, .hi = 130,
                      .what = "a whole number of years from 0 to 130"},
    [RK_FIELD_DEATH_DATE] = {ROLE_DATE, P_DEATH_DATE, P_DEATH_PREC},
    [RK_FIELD_PLACE] = {ROLE_TEXT, P_PLACE},
    [RK_FIELD_REGION] = {ROLE_TEXT, P_REGION},
    [RK_FIELD_VIOLATION] = {ROLE_TEXT, P_VIOLATION},
};

/* The mapped roles in the order their values are parsed: by kind, then by role. */
void ingest_order_mapped(importer *im)
{
    im->nmapped = 0;
    for (role_kind k = ROLE_TEXT; k <= ROLE_KEY; k++)
        for (int r = 0; r < RK_FIELD_COUNT; r++) {
            assert(role_columns[r].kind >= ROLE_TEXT && role_columns[r].kind <= ROLE_KEY);
            if (role_columns[r].kind == k && im->col_of_role[r] >= 0)
                im->mapped[im->nmapped++] = (rk_role)r;
        }
}

/* The values of one record insert, by parameter number, kept so that the same values are
 * bound and digested. */
typedef struct bound {
    char type; /* 'n', 't' or 'i' */
    const char *s;
    size_t n;
    int64_t i;
} bound;

static void set_text(bound *v, int p, const char *s, size_t n)
{
    v[p] = (bound){'t', s, n, 0};
}

static void set_int(bound *v, int p, int64_t i)
{
    v[p] = (bound){'i', NULL, 0, i};
}

/* Binds a row's values. Bindings are not cleared between rows: every value is bound again,
 * and a parameter is set to NULL only when it was not NULL already (most unmapped roles never
 * are), so no parameter keeps a pointer into an earlier row. */
static void bind_row(importer *im, const bound *v)
{
    sqlite3_stmt *s = im->ins_record;
    for (int p = 1; p <= 26; p++) {
        if (v[p].type == 't')
            sqlite3_bind_text(s, p, v[p].s, (int)v[p].n, SQLITE_STATIC);
        else if (v[p].type == 'i')
            sqlite3_bind_int64(s, p, v[p].i);
        else if (!im->was_null[p])
            sqlite3_bind_null(s, p);
        im->was_null[p] = v[p].type == 'n';
    }
}

/* A row has as many fields as the header. */
static int check_width(importer *im)
{
    size_t nf = ingest_rows_nfields(im->rows);
    if (nf == im->nheader)
        return RK_OK;
    long line, col;
    ingest_rows_field_pos(im->rows, nf > im->nheader ? im->nheader : nf - 1, &line, &col);
    if (ingest_rows_sheet(im->rows)) {
        ingest_rows_field_pos(im->rows, nf - 1, &line, &col);
        return ingest_rows_error(im->rows, RK_EINPUT, line, col,
                                 "a value beyond the header's %zu columns; name its column in "
                                 "the header row or clear the cell",
                                 im->nheader);
    }
    return ingest_rows_error(im->rows, RK_EINPUT, line, col,
                             "row has %zu fields but the header has %zu; a separator inside a "
                             "value must be quoted",
                             nf, im->nheader);
}

/* The raw row, exactly as read, as a JSON array in column order (the header is stored once,
 * with the import). */
static int write_raw(importer *im)
{
    size_t nf = ingest_rows_nfields(im->rows);
    rk_buf_clear(&im->raw);
    int rc = rk_buf_putc(&im->raw, '[');
    for (size_t i = 0; i < nf && rc == RK_OK; i++) {
        size_t n;
        const char *v = ingest_rows_field(im->rows, i, &n);
        if (i)
            rc = rk_buf_putc(&im->raw, ',');
        if (rc == RK_OK)
            rc = rk_buf_json_string(&im->raw, v, n);
    }
    if (rc == RK_OK)
        rc = rk_buf_putc(&im->raw, ']');
    return rc == RK_OK ? RK_OK : rk_error_set(im->ctx, RK_ENOMEM, "out of memory");
}

/* The mapped values, trimmed in place in the reader's row buffer (the raw row is written
 * already), NUL-terminated for the standardizer; an empty value is NULL. */
static void read_values(importer *im, const char **values, size_t *lens)
{
    for (size_t i = 0; i < im->nmapped; i++) {
        rk_role r = im->mapped[i];
        size_t n;
        const char *fv = ingest_rows_field(im->rows, (size_t)im->col_of_role[r], &n);
        ingest_trim_view(&fv, &n);
        if (n == 0)
            continue;
        ((char *)fv)[n] = '\0';
        values[r] = fv;
        lens[r] = n;
    }
}

/* The record key: LIST:ID, or LIST:ROW when the list has no id column. */
static int make_key(importer *im, int64_t row, const char **values)
{
    rk_buf_clear(&im->key);
    int rc;
    if (im->col_of_role[RK_FIELD_ID] >= 0) {
        if (!values[RK_FIELD_ID]) {
            long line, col;
            ingest_rows_field_pos(im->rows, (size_t)im->col_of_role[RK_FIELD_ID], &line, &col);
            return ingest_rows_error(im->rows, RK_EINPUT, line, col,
                                     "the id column '%s' is empty in this row; give every row an "
                                     "id or do not map an id",
                                     im->m->column[RK_FIELD_ID]);
        }
        rc = rk_buf_puts(&im->key, im->m->list);
        rc = rc ? rc : rk_buf_putc(&im->key, ':');
        rc = rc ? rc : rk_buf_puts(&im->key, values[RK_FIELD_ID]);
    } else {
        rc = rk_buf_printf(&im->key, "%s:%lld", im->m->list, (long long)row);
    }
    return rc == RK_OK ? RK_OK : rk_error_set(im->ctx, RK_ENOMEM, "out of memory");
}

/* The row's place: its list, import, number, line and bytes, key and raw form. */
static void set_place(importer *im, int64_t row, bound *bv)
{
    set_int(bv, 1, im->list_id);
    set_int(bv, 2, im->import_id);
    set_int(bv, 3, row);
    set_int(bv, 4, ingest_rows_line(im->rows));
    set_int(bv, 5, (int64_t)ingest_rows_offset(im->rows));
    set_int(bv, 6, (int64_t)ingest_rows_length(im->rows));
    set_text(bv, 7, rk_buf_cstr(&im->key), im->key.len);
    set_text(bv, 8, rk_buf_cstr(&im->raw), im->raw.len);
}

static int set_date(importer *im, rk_role r, const char **values, bound *bv)
{
    rk_date d;
    char why[512];
    /* A spreadsheet's date cell is ISO text already, whatever the column's format says. */
    bool typed = ingest_rows_typed_date(im->rows, (size_t)im->col_of_role[r]);
    const rk_date_format *format = typed ? &im->iso_fmt : &im->date_fmt[r];
    if (rk_date_parse(&d, format, values[r], why, sizeof(why)) != RK_OK) {
        char msg[700];
        snprintf(msg, sizeof(msg), "%s: %s%s", rk_role_name(r), why,
                 typed || im->m->date_format[r]
                     ? ""
                     : " (no date format mapped: ISO YYYY-MM-DD assumed; "
                       "map one with --date-format)");
        return bad_value(im, r, values, msg);
    }
    if (d.precision == RK_DATE_NONE)
        return RK_OK;
    rk_date_iso(im->iso[r], &d);
    set_text(bv, role_columns[r].param, im->iso[r], strlen(im->iso[r]));
    const char *prec = rk_date_precision_name(d.precision);
    set_text(bv, role_columns[r].prec_param, prec, strlen(prec));
    return RK_OK;
}

static int set_whole(importer *im, rk_role r, const char **values, bound *bv)
{
    const struct role_column *c = &role_columns[r];
    int64_t x;
    if (rk_parse_i64(&x, values[r]) != RK_OK || x < c->lo || x > c->hi) {
        char msg[700];
        snprintf(msg, sizeof(msg), "%s '%.200s' is not %s", rk_role_name(r), values[r], c->what);
        return bad_value(im, r, values, msg);
    }
    set_int(bv, c->param, x);
    return RK_OK;
}

/* Each mapped value into its column, as its role's kind says (role_columns). A value that
 * does not parse is an error, or under --lenient a problem, and left out. */
static int set_roles(importer *im, const char **values, const size_t *lens, bound *bv)
{
    for (size_t i = 0; i < im->nmapped; i++) {
        rk_role r = im->mapped[i];
        if (!values[r])
            continue;
        int rc = RK_OK;
        switch (role_columns[r].kind) {
        case ROLE_TEXT:
            set_text(bv, role_columns[r].param, values[r], lens[r]);
            break;
        case ROLE_DATE:
            rc = set_date(im, r, values, bv);
            break;
        case ROLE_WHOLE:
            rc = set_whole(im, r, values, bv);
            break;
        case ROLE_KEY:
            break;
        }
        if (rc != RK_OK)
            return rc;
    }
    return RK_OK;
}

/* The extra fields as a JSON object. */
static int set_extras(importer *im, bound *bv)
{
    if (!im->m->nextras)
        return RK_OK;
    rk_buf_clear(&im->extra);
    int rc = rk_buf_putc(&im->extra, '{');
    for (size_t i = 0; i < im->m->nextras && rc == RK_OK; i++) {
        size_t n;
        const char *v = ingest_rows_field(im->rows, (size_t)im->col_of_extra[i], &n);
        ingest_trim_view(&v, &n);
        rc = rk_buf_puts(&im->extra, i ? "," : "");
        rc =
            rc ? rc
               : rk_buf_json_string(&im->extra, im->m->extra_name[i], strlen(im->m->extra_name[i]));
        rc = rc ? rc : rk_buf_putc(&im->extra, ':');
        rc = rc ? rc : rk_buf_json_string(&im->extra, v, n);
    }
    rc = rc ? rc : rk_buf_putc(&im->extra, '}');
    if (rc != RK_OK)
        return rk_error_set(im->ctx, RK_ENOMEM, "out of memory");
    set_text(bv, P_EXTRA, rk_buf_cstr(&im->extra), im->extra.len);
    return RK_OK;
}

/* The standardized form (not digested: it is derived), then the insert itself. */
static int insert_record(importer *im, const char *const *values)
{
    sqlite3_stmt *s = im->ins_record;
    char *std = NULL;
    if (im->opts->standardize) {
        int rc = im->opts->standardize(im->opts->standardize_user, im->ctx, im->m, values, &std);
        if (rc != RK_OK)
            return rc;
    }
    if (std)
        sqlite3_bind_text(s, P_STD, std, -1, rk_free);
    else if (!im->was_null[P_STD])
        sqlite3_bind_null(s, P_STD); /* frees the previous row's */
    im->was_null[P_STD] = std == NULL;
    if (sqlite3_step(s) == SQLITE_DONE)
        return RK_OK;
    if (sqlite3_extended_errcode(im->db) == SQLITE_CONSTRAINT_UNIQUE)
        return ingest_rows_error(im->rows, RK_EINPUT, ingest_rows_line(im->rows), 1,
                                 "record key '%s' appears twice in this file; ids must be "
                                 "unique within a list (map another id column, or none)",
                                 rk_buf_cstr(&im->key));
    return rk_store__sqlerr(im->st, "cannot store a record");
}

/* Does the date a (ISO, of any precision) surely fall after b? Only when their common
 * precision tells: 1992 is not after 1992-05-03. */
static bool date_after(const char *a, const char *b)
{
    size_t n = RK_MIN(strlen(a), strlen(b));
    return strncmp(a, b, n) > 0;
}

/* Dates that parse but cannot be (a birth or death after the day of the import, a birth after
 * the death) are kept as they are and listed as problems, for the user to look at: the import
 * is not refused for them. */
static int check_dates(importer *im, const char *const *values, const bound *bv)
{
    const bound *birth = &bv[P_BIRTH_DATE], *death = &bv[P_DEATH_DATE];
    char why[200];
    int rc = RK_OK;
    if (birth->type == 't' && date_after(birth->s, im->today)) {
        snprintf(why, sizeof(why), "birth_date %s is after the import's date %s", birth->s,
                 im->today);
        rc = note_problem(im, RK_FIELD_BIRTH_DATE, values[RK_FIELD_BIRTH_DATE], why);
    }
    if (rc == RK_OK && death->type == 't' && date_after(death->s, im->today)) {
        snprintf(why, sizeof(why), "death_date %s is after the import's date %s", death->s,
                 im->today);
        rc = note_problem(im, RK_FIELD_DEATH_DATE, values[RK_FIELD_DEATH_DATE], why);
    }
    if (rc == RK_OK && birth->type == 't' && death->type == 't' && date_after(birth->s, death->s)) {
        snprintf(why, sizeof(why), "birth_date %s is after death_date %s", birth->s, death->s);
        rc = note_problem(im, RK_FIELD_BIRTH_DATE, values[RK_FIELD_BIRTH_DATE], why);
    }
    const bound *year = &bv[P_BIRTH_YEAR];
    if (rc == RK_OK && year->type == 'i') {
        int64_t this_year = (im->today[0] - '0') * 1000 + (im->today[1] - '0') * 100 +
                            (im->today[2] - '0') * 10 + (im->today[3] - '0');
        if (year->i > this_year) {
            snprintf(why, sizeof(why), "birth_year %lld is after the import's year %lld",
                     (long long)year->i, (long long)this_year);
            rc = note_problem(im, RK_FIELD_BIRTH_YEAR, values[RK_FIELD_BIRTH_YEAR], why);
        }
    }
    return rc;
}

/* One row into one record: its width checked, its raw form, its mapped values read, its key,
 * its values parsed by role, its extras, then bound, digested and inserted. */
int ingest_import_row(importer *im, int64_t row)
{
    bound bv[NPARAMS + 1];
    for (int p = 0; p <= NPARAMS; p++)
        bv[p].type = 'n';
    const char *values[RK_FIELD_COUNT] = {0};
    size_t lens[RK_FIELD_COUNT];
    int rc = check_width(im);
    if (rc != RK_OK)
        return rc;
    sqlite3_reset(im->ins_record);
    if ((rc = write_raw(im)) != RK_OK)
        return rc;
    read_values(im, values, lens);
    if ((rc = make_key(im, row, values)) != RK_OK)
        return rc;
    set_place(im, row, bv);
    if ((rc = set_roles(im, values, lens, bv)) != RK_OK ||
        (rc = check_dates(im, values, bv)) != RK_OK || (rc = set_extras(im, bv)) != RK_OK)
        return rc;
    bind_row(im, bv);
    return insert_record(im, values);
}
