/* Import of one file into one list, atomically: the file is hashed and checked, then parsed
 * row by row into records (raw row as JSON, mapped and parsed fields, the row's place in the
 * file) inside one transaction that also writes the import's provenance and its event in the
 * audit chain. Any error rolls everything back; the same bytes imported again are a no-op. */
#include "source.h"
#include "store/store_internal.h"

#include <sqlite3.h>

#define PROGRESS_EVERY 20000
#define NPARAMS        27 /* of the record insert, INSERT_RECORD below */

typedef struct importer {
    rk_store *st;
    rk_ctx *ctx;
    sqlite3 *db;
    const rk_import_options *opts;
    const rk_mapping *m;
    const char *path;
    int64_t list_id, import_id;
    int col_of_role[RK_FIELD_COUNT]; /* -1 when not mapped */
    rk_role mapped[RK_FIELD_COUNT];  /* the mapped roles, in the order their values are parsed
                                        (order_mapped) */
    size_t nmapped;
    int col_of_extra[RK_MAX_EXTRAS];
    size_t nheader;
    char **header;
    sqlite3_stmt *ins_record, *ins_problem;
    rk_buf raw, extra, key;
    char iso[RK_FIELD_COUNT][16]; /* a row's dates as bound, by role */
    int64_t problems;
    bool other_imports;         /* the list has current imports already */
    rk_digest digest;           /* of the records as written: see rk_store_verify */
    bool was_null[NPARAMS + 1]; /* by parameter of ins_record: bound to NULL (so at first) */
} importer;

static int sqlfail(importer *im, const char *what)
{
    return rk_store__sqlerr(im->st, what);
}

static int find_or_create_list(importer *im)
{
    sqlite3_stmt *s = NULL;
    int rc =
        rk_store__prepare(&s, im->st, "SELECT id FROM list WHERE name = ?", "cannot read lists");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(s, 1, im->m->list, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        im->list_id = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return RK_OK;
    }
    sqlite3_finalize(s);
    if (step != SQLITE_DONE)
        return sqlfail(im, "cannot read lists");
    char now[32];
    rk_time_iso(now);
    if ((rc = rk_store__prepare(
             &s, im->st, "INSERT INTO list(name, description, language, created) VALUES (?,?,?,?)",
             "cannot create the list")) != RK_OK)
        return rc;
    sqlite3_bind_text(s, 1, im->m->list, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, im->m->description, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, im->m->language, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, now, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = sqlfail(im, "cannot create the list");
    else
        im->list_id = sqlite3_last_insert_rowid(im->db);
    sqlite3_finalize(s);
    if (rc == RK_OK) {
        rk_buf p;
        rk_buf_init(&p);
        int brc = rk_buf_printf(&p, "{\"list_id\":%lld,\"name\":", (long long)im->list_id);
        brc = brc ? brc : rk_buf_json_string(&p, im->m->list, strlen(im->m->list));
        brc = brc ? brc : rk_buf_puts(&p, "}");
        rc = brc ? rk_error_set(im->ctx, RK_ENOMEM, "out of memory")
                 : rk_store_log_event(im->st, "list", rk_buf_cstr(&p), NULL);
        rk_buf_release(&p);
    }
    return rc;
}

/* Is this exact file already imported into the list? */
static int already_imported(importer *im, const char *sha, int64_t *import_id)
{
    sqlite3_stmt *s = NULL;
    *import_id = 0;
    int rc = rk_store__prepare_int64(&s, im->st,
                                     "SELECT id FROM import WHERE list_id = ? AND file_sha256 = ?",
                                     im->list_id, "cannot read imports");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(s, 2, sha, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *import_id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return step == SQLITE_ROW || step == SQLITE_DONE ? RK_OK : sqlfail(im, "cannot read imports");
}

static int has_current_imports(importer *im)
{
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare_int64(
        &s, im->st, "SELECT 1 FROM import WHERE list_id = ? AND superseded_by IS NULL", im->list_id,
        "cannot read imports");
    if (rc != RK_OK)
        return rc;
    int step = sqlite3_step(s);
    im->other_imports = step == SQLITE_ROW;
    sqlite3_finalize(s);
    return step == SQLITE_ROW || step == SQLITE_DONE ? RK_OK : sqlfail(im, "cannot read imports");
}

static void trim_view(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static int read_header(importer *im, rk_csv *csv)
{
    int got = rk_csv_next(csv);
    if (got < 0)
        return got;
    if (got == 0)
        return rk_error_set_at(im->ctx, RK_EINPUT, im->path, 1, 1,
                               "the file is empty; it needs a header row");
    im->nheader = rk_csv_nfields(csv);
    im->header = rk_calloc(im->nheader, sizeof(char *));
    if (!im->header)
        return rk_error_set(im->ctx, RK_ENOMEM, "out of memory");
    for (size_t i = 0; i < im->nheader; i++) {
        size_t n;
        const char *h = rk_csv_field(csv, i, &n);
        trim_view(&h, &n);
        long line, col;
        rk_csv_field_pos(csv, i, &line, &col);
        if (n == 0)
            return rk_error_set_at(im->ctx, RK_EINPUT, im->path, line, col,
                                   "column %zu has no name in the header; name every column",
                                   i + 1);
        im->header[i] = rk_strndup(h, n);
        if (!im->header[i])
            return rk_error_set(im->ctx, RK_ENOMEM, "out of memory");
        for (size_t j = 0; j < i; j++)
            if (strcmp(im->header[j], im->header[i]) == 0)
                return rk_error_set_at(im->ctx, RK_EINPUT, im->path, line, col,
                                       "duplicate header '%s' (also column %zu); rename one of "
                                       "the two columns",
                                       im->header[i], j + 1);
    }
    return RK_OK;
}

static int find_column(importer *im, const char *name)
{
    for (size_t i = 0; i < im->nheader; i++)
        if (strcmp(im->header[i], name) == 0)
            return (int)i;
    return -1;
}

static int missing_column(importer *im, const char *what, const char *name)
{
    rk_buf b;
    rk_buf_init(&b);
    for (size_t i = 0; i < im->nheader && b.len < 1500; i++)
        rk_buf_printf(&b, "%s'%s'", i ? ", " : "", im->header[i]);
    int rc = rk_error_set_at(im->ctx, RK_EINPUT, im->path, 1, 1,
                             "column '%s' (mapped to %s) is not in the header; the header has "
                             "%s; fix the mapping",
                             name, what, rk_buf_cstr(&b));
    rk_buf_release(&b);
    return rc;
}

static int resolve_columns(importer *im)
{
    bool any = false;
    for (int r = 0; r < RK_FIELD_COUNT; r++) {
        im->col_of_role[r] = -1;
        if (!im->m->column[r])
            continue;
        im->col_of_role[r] = find_column(im, im->m->column[r]);
        if (im->col_of_role[r] < 0)
            return missing_column(im, rk_role_name((rk_role)r), im->m->column[r]);
        any = true;
    }
    for (size_t i = 0; i < im->m->nextras; i++) {
        im->col_of_extra[i] = find_column(im, im->m->extra_column[i]);
        if (im->col_of_extra[i] < 0) {
            char what[128];
            snprintf(what, sizeof(what), "field:%s", im->m->extra_name[i]);
            return missing_column(im, what, im->m->extra_column[i]);
        }
        any = true;
    }
    if (!any)
        return rk_error_set(im->ctx, RK_EINPUT,
                            "no column of %s is mapped to a role; map at least the names, e.g. "
                            "--column full_name=HEADER",
                            im->path);
    return RK_OK;
}

/* A value of role r that does not parse: an error, or under --lenient a problem noted and the
 * value dropped (the field is left empty, and the standardizer does not see it). */
static int bad_value(importer *im, rk_csv *csv, rk_role r, const char **values, const char *why)
{
    long line, column;
    rk_csv_field_pos(csv, (size_t)im->col_of_role[r], &line, &column);
    if (!im->opts->lenient)
        return rk_error_set_at(im->ctx, RK_EINPUT, im->path, line, column,
                               "%s; fix the row, correct the mapping, or import with --lenient "
                               "to keep the value raw",
                               why);
    im->problems++;
    sqlite3_stmt *s = im->ins_problem;
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, im->import_id);
    sqlite3_bind_int64(s, 2, line);
    sqlite3_bind_int64(s, 3, column);
    sqlite3_bind_text(s, 4, rk_role_name(r), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, values[r], -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, why, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE)
        return sqlfail(im, "cannot record a problem");
    values[r] = NULL;
    return RK_OK;
}

/* Columns of the record insert: 1 list_id, 2 import_id, 3 row_number, 4 line, 5 byte_offset,
 * 6 byte_length, 7 record_key, 8 raw, then the role columns from 9, then extra, std. */
#define INSERT_RECORD                                                                              \
    "INSERT INTO record(list_id, import_id, row_number, line, byte_offset, byte_length,"           \
    " record_key, raw, full_name, given_name, family_name, second_family_name, patronymic,"        \
    " father_name, mother_name, sex, birth_date, birth_precision, birth_year, age, death_date,"    \
    " death_precision, place, region, violation, extra, std) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?," \
    "?,?,?,?,?,?,?,?,?,?,?,?,?)"

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
static void order_mapped(importer *im)
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

/* The digest's column order (the one rk_store_verify recomputes): record_key, list_id, row_number,
 * line, byte_offset, byte_length, raw, the role columns, extra. */
static const int digest_order[] = {7,  1,  3,  4,  5,  6,  8,  9,  10, 11, 12, 13, 14,
                                   15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26};

/* Binds a row's values. Bindings are not cleared between rows: every value is bound again,
 * and a parameter is set to NULL only when it was not NULL already (most unmapped roles never
 * are), so no parameter keeps a pointer into an earlier row. */
static void bind_and_digest(importer *im, const bound *v)
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
    for (size_t k = 0; k < RK_ARRAY_LEN(digest_order); k++) {
        const bound *b = &v[digest_order[k]];
        if (b->type == 't')
            rk_digest_text(&im->digest, b->s, b->n);
        else if (b->type == 'i')
            rk_digest_int(&im->digest, b->i);
        else
            rk_digest_null(&im->digest);
    }
    rk_digest_end_row(&im->digest);
}

/* ---- one row, phase by phase ---- */

/* A row has as many fields as the header. */
static int check_width(importer *im, rk_csv *csv)
{
    size_t nf = rk_csv_nfields(csv);
    if (nf == im->nheader)
        return RK_OK;
    long line, col;
    rk_csv_field_pos(csv, nf > im->nheader ? im->nheader : nf - 1, &line, &col);
    return rk_error_set_at(im->ctx, RK_EINPUT, im->path, line, col,
                           "row has %zu fields but the header has %zu; a separator inside a "
                           "value must be quoted",
                           nf, im->nheader);
}

/* The raw row, exactly as read, as a JSON array in column order (the header is stored once,
 * with the import). */
static int write_raw(importer *im, rk_csv *csv)
{
    size_t nf = rk_csv_nfields(csv);
    rk_buf_clear(&im->raw);
    int rc = rk_buf_putc(&im->raw, '[');
    for (size_t i = 0; i < nf && rc == RK_OK; i++) {
        size_t n;
        const char *v = rk_csv_field(csv, i, &n);
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
static void read_values(importer *im, rk_csv *csv, const char **values, size_t *lens)
{
    for (size_t i = 0; i < im->nmapped; i++) {
        rk_role r = im->mapped[i];
        size_t n;
        const char *fv = rk_csv_field(csv, (size_t)im->col_of_role[r], &n);
        trim_view(&fv, &n);
        if (n == 0)
            continue;
        ((char *)fv)[n] = '\0';
        values[r] = fv;
        lens[r] = n;
    }
}

/* The record key: LIST:ID, or LIST:ROW when the list has no id column. */
static int make_key(importer *im, rk_csv *csv, int64_t row, const char **values)
{
    rk_buf_clear(&im->key);
    int rc;
    if (im->col_of_role[RK_FIELD_ID] >= 0) {
        if (!values[RK_FIELD_ID]) {
            long line, col;
            rk_csv_field_pos(csv, (size_t)im->col_of_role[RK_FIELD_ID], &line, &col);
            return rk_error_set_at(im->ctx, RK_EINPUT, im->path, line, col,
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
static void set_place(importer *im, rk_csv *csv, int64_t row, bound *bv)
{
    set_int(bv, 1, im->list_id);
    set_int(bv, 2, im->import_id);
    set_int(bv, 3, row);
    set_int(bv, 4, rk_csv_row_line(csv));
    set_int(bv, 5, (int64_t)rk_csv_row_offset(csv));
    set_int(bv, 6, (int64_t)rk_csv_row_length(csv));
    set_text(bv, 7, rk_buf_cstr(&im->key), im->key.len);
    set_text(bv, 8, rk_buf_cstr(&im->raw), im->raw.len);
}

static int set_date(importer *im, rk_csv *csv, rk_role r, const char **values, bound *bv)
{
    rk_date d;
    char why[512];
    if (rk_date_parse(&d, values[r], im->m->date_format[r], why, sizeof(why)) != RK_OK) {
        char msg[700];
        snprintf(msg, sizeof(msg), "%s: %s%s", rk_role_name(r), why,
                 im->m->date_format[r] ? ""
                                       : " (no date format mapped: ISO YYYY-MM-DD assumed; "
                                         "map one with --date-format)");
        return bad_value(im, csv, r, values, msg);
    }
    if (d.precision == RK_DATE_NONE)
        return RK_OK;
    rk_date_iso(im->iso[r], &d);
    set_text(bv, role_columns[r].param, im->iso[r], strlen(im->iso[r]));
    const char *prec = rk_date_precision_name(d.precision);
    set_text(bv, role_columns[r].prec_param, prec, strlen(prec));
    return RK_OK;
}

static int set_whole(importer *im, rk_csv *csv, rk_role r, const char **values, bound *bv)
{
    const struct role_column *c = &role_columns[r];
    int64_t x;
    if (rk_parse_i64(&x, values[r]) != RK_OK || x < c->lo || x > c->hi) {
        char msg[700];
        snprintf(msg, sizeof(msg), "%s '%.200s' is not %s", rk_role_name(r), values[r], c->what);
        return bad_value(im, csv, r, values, msg);
    }
    set_int(bv, c->param, x);
    return RK_OK;
}

/* Each mapped value into its column, as its role's kind says (role_columns). A value that
 * does not parse is an error, or under --lenient a problem, and left out. */
static int set_roles(importer *im, rk_csv *csv, const char **values, const size_t *lens, bound *bv)
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
            rc = set_date(im, csv, r, values, bv);
            break;
        case ROLE_WHOLE:
            rc = set_whole(im, csv, r, values, bv);
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
static int set_extras(importer *im, rk_csv *csv, bound *bv)
{
    if (!im->m->nextras)
        return RK_OK;
    rk_buf_clear(&im->extra);
    int rc = rk_buf_putc(&im->extra, '{');
    for (size_t i = 0; i < im->m->nextras && rc == RK_OK; i++) {
        size_t n;
        const char *v = rk_csv_field(csv, (size_t)im->col_of_extra[i], &n);
        trim_view(&v, &n);
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
static int insert_record(importer *im, rk_csv *csv, const char *const *values)
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
        return rk_error_set_at(im->ctx, RK_EINPUT, im->path, rk_csv_row_line(csv), 1,
                               "record key '%s' appears twice in this file; ids must be "
                               "unique within a list (map another id column, or none)",
                               rk_buf_cstr(&im->key));
    return sqlfail(im, "cannot store a record");
}

/* One row into one record: its width checked, its raw form, its mapped values read, its key,
 * its values parsed by role, its extras, then bound, digested and inserted. */
static int import_row(importer *im, rk_csv *csv, int64_t row)
{
    bound bv[NPARAMS + 1];
    for (int p = 0; p <= NPARAMS; p++)
        bv[p].type = 'n';
    const char *values[RK_FIELD_COUNT] = {0};
    size_t lens[RK_FIELD_COUNT];
    int rc = check_width(im, csv);
    if (rc != RK_OK)
        return rc;
    sqlite3_reset(im->ins_record);
    if ((rc = write_raw(im, csv)) != RK_OK)
        return rc;
    read_values(im, csv, values, lens);
    if ((rc = make_key(im, csv, row, values)) != RK_OK)
        return rc;
    set_place(im, csv, row, bv);
    if ((rc = set_roles(im, csv, values, lens, bv)) != RK_OK ||
        (rc = set_extras(im, csv, bv)) != RK_OK)
        return rc;
    bind_and_digest(im, bv);
    return insert_record(im, csv, values);
}

static int check_key_collisions(importer *im)
{
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare_int64(
        &s, im->st,
        "SELECT n.record_key, n.line, o.import_id FROM import i JOIN record o"
        " ON o.import_id = i.id JOIN record n ON n.import_id = ?1 AND"
        " n.record_key = o.record_key WHERE i.list_id = ?2 AND i.id != ?1"
        " AND i.superseded_by IS NULL LIMIT 1",
        im->import_id, "cannot check record keys");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_int64(s, 2, im->list_id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        rc = rk_error_set_at(im->ctx, RK_EINPUT, im->path, sqlite3_column_int64(s, 1), 1,
                             "record key '%s' exists already in import %lld of this list; to "
                             "replace that file with this one use --replace",
                             (const char *)sqlite3_column_text(s, 0),
                             (long long)sqlite3_column_int64(s, 2));
    else if (step != SQLITE_DONE)
        rc = sqlfail(im, "cannot check record keys");
    sqlite3_finalize(s);
    return rc;
}

static int write_import_row(importer *im, const ingest_source_info *info, const char *file_name)
{
    char *mapping_json = NULL;
    rk_buf header;
    rk_buf_init(&header);
    sqlite3_stmt *s = NULL;
    int rc = rk_mapping_to_json(&mapping_json, im->m);
    rc = rc ? rc : rk_buf_putc(&header, '[');
    for (size_t i = 0; i < im->nheader && rc == RK_OK; i++) {
        rc = rk_buf_puts(&header, i ? "," : "");
        rc = rc ? rc : rk_buf_json_string(&header, im->header[i], strlen(im->header[i]));
    }
    rc = rc ? rc : rk_buf_putc(&header, ']');
    if (rc != RK_OK) {
        rc = rk_error_set(im->ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    char now[32];
    rk_time_iso(now);
    if ((rc =
             rk_store__prepare(&s, im->st,
                               "INSERT INTO import(list_id, file_name, file_sha256, bytes, rows,"
                               " header, mapping, reckon_version, time) VALUES (?,?,?,?,0,?,?,?,?)",
                               "cannot write the import")) != RK_OK)
        goto cleanup;
    sqlite3_bind_int64(s, 1, im->list_id);
    sqlite3_bind_text(s, 2, file_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, info->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)info->bytes);
    sqlite3_bind_text(s, 5, rk_buf_cstr(&header), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, mapping_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, RK_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, now, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = sqlfail(im, "cannot write the import");
    else
        im->import_id = sqlite3_last_insert_rowid(im->db);
cleanup:
    sqlite3_finalize(s);
    rk_free(mapping_json);
    rk_buf_release(&header);
    return rc;
}

static int finish_import(importer *im, const ingest_source_info *info, const char *file_name,
                         int64_t rows)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "UPDATE import SET rows = %lld, problems = %lld WHERE id = %lld",
             (long long)rows, (long long)im->problems, (long long)im->import_id);
    int rc = rk_store__exec(im->st, sql);
    if (rc == RK_OK && im->opts->replace) {
        snprintf(sql, sizeof(sql),
                 "UPDATE import SET superseded_by = %lld WHERE list_id = %lld AND id != %lld AND"
                 " superseded_by IS NULL",
                 (long long)im->import_id, (long long)im->list_id, (long long)im->import_id);
        rc = rk_store__exec(im->st, sql);
    }
    if (rc == RK_OK && im->other_imports)
        rc = check_key_collisions(im);
    if (rc != RK_OK)
        return rc;
    char digest[65];
    rk_digest_final_hex(&im->digest, digest);
    rk_buf p;
    rk_buf_init(&p);
    int brc = rk_buf_printf(&p, "{\"import_id\":%lld,\"list\":", (long long)im->import_id);
    brc = brc ? brc : rk_buf_json_string(&p, im->m->list, strlen(im->m->list));
    brc = brc ? brc : rk_buf_puts(&p, ",\"file\":");
    brc = brc ? brc : rk_buf_json_string(&p, file_name, strlen(file_name));
    brc =
        brc ? brc
            : rk_buf_printf(&p,
                            ",\"sha256\":\"%s\",\"bytes\":%llu,\"rows\":%lld,\"problems\":%lld,"
                            "\"replace\":%s,\"digest\":\"%s\"}",
                            info->sha256, (unsigned long long)info->bytes, (long long)rows,
                            (long long)im->problems, im->opts->replace ? "true" : "false", digest);
    rc = brc ? rk_error_set(im->ctx, RK_ENOMEM, "out of memory")
             : rk_store_log_event(im->st, "import", rk_buf_cstr(&p), NULL);
    rk_buf_release(&p);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int rk_import_file(rk_import_result *out, rk_store *st, const rk_import_options *opts,
                   const char *path)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, opts && opts->mapping && opts->mapping->list && path && out);
    RK_ASSERT_ARG(ctx, opts->version == RK_IMPORT_OPTIONS_VERSION);
    memset(out, 0, sizeof(*out));
    importer im = {.st = st,
                   .ctx = ctx,
                   .db = rk_store__db(st),
                   .opts = opts,
                   .m = opts->mapping,
                   .path = path};
    rk_buf_init(&im.raw);
    rk_buf_init(&im.extra);
    rk_buf_init(&im.key);
    ingest_source_info info;
    ingest_source_reader *src = NULL;
    rk_csv *csv = NULL;
    bool txn = false;
    int64_t rows = 0;
    int rc = ingest_source_scan(ctx, path, im.m->encoding, &info);
    if (rc != RK_OK)
        goto cleanup;
    if ((rc = rk_store_begin(st)) != RK_OK)
        goto cleanup;
    txn = true;
    if ((rc = find_or_create_list(&im)) != RK_OK)
        goto cleanup;
    int64_t prior = 0;
    if ((rc = already_imported(&im, info.sha256, &prior)) != RK_OK)
        goto cleanup;
    if (prior) {
        /* The same bytes into the same list: nothing to do, and nothing written. */
        out->unchanged = true;
        out->import_id = prior;
        out->list_id = im.list_id;
        out->bytes = info.bytes;
        snprintf(out->sha256, sizeof(out->sha256), "%s", info.sha256);
        goto cleanup;
    }
    if ((rc = has_current_imports(&im)) != RK_OK)
        goto cleanup;
    if (rk_digest_init(&im.digest) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = ingest_source_reader_open(&src, ctx, path, im.m->encoding)) != RK_OK)
        goto cleanup;
    rk_csv_options copts = RK_CSV_OPTIONS_INIT;
    copts.delimiter = im.m->delimiter;
    copts.max_field = opts->max_field ? opts->max_field : copts.max_field;
    if ((rc = rk_csv_open(&csv, ctx, path, ingest_source_reader_read, src, &copts)) != RK_OK)
        goto cleanup;
    if ((rc = read_header(&im, csv)) != RK_OK || (rc = resolve_columns(&im)) != RK_OK)
        goto cleanup;
    order_mapped(&im);
    if ((rc = write_import_row(&im, &info, base_name(path))) != RK_OK)
        goto cleanup;
    for (size_t p = 0; p < RK_ARRAY_LEN(im.was_null); p++)
        im.was_null[p] = true;
    if ((rc = rk_store__prepare(&im.ins_record, im.st, INSERT_RECORD,
                                "cannot prepare the import")) != RK_OK ||
        (rc = rk_store__prepare(&im.ins_problem, im.st,
                                "INSERT INTO problem(import_id, line, col, role, value, reason)"
                                " VALUES (?,?,?,?,?,?)",
                                "cannot prepare the import")) != RK_OK)
        goto cleanup;
    int got;
    while ((got = rk_csv_next(csv)) == 1) {
        rows++;
        if ((rc = import_row(&im, csv, rows)) != RK_OK)
            goto cleanup;
        if (rows % PROGRESS_EVERY == 0)
            rk_progress(ctx, "import", rk_csv_row_offset(csv), info.bytes);
    }
    if (got < 0) {
        rc = got;
        goto cleanup;
    }
    if (rows == 0) {
        rc = rk_error_set_at(ctx, RK_EINPUT, path, 2, 1,
                             "the file has a header but no rows; nothing to import");
        goto cleanup;
    }
    if ((rc = finish_import(&im, &info, base_name(path), rows)) != RK_OK)
        goto cleanup;
    sqlite3_finalize(im.ins_record);
    sqlite3_finalize(im.ins_problem);
    im.ins_record = im.ins_problem = NULL;
    if ((rc = rk_store_commit(st)) != RK_OK) {
        txn = false;
        goto cleanup;
    }
    txn = false;
    rk_progress(ctx, "import", info.bytes, info.bytes);
    out->import_id = im.import_id;
    out->list_id = im.list_id;
    out->rows = rows;
    out->problems = im.problems;
    out->bytes = info.bytes;
    snprintf(out->sha256, sizeof(out->sha256), "%s", info.sha256);
cleanup:
    sqlite3_finalize(im.ins_record);
    sqlite3_finalize(im.ins_problem);
    if (txn)
        rk_store_rollback(st);
    rk_csv_free(csv);
    ingest_source_reader_free(src);
    for (size_t i = 0; im.header && i < im.nheader; i++)
        rk_free(im.header[i]);
    rk_free(im.header);
    rk_digest_release(&im.digest);
    rk_buf_release(&im.raw);
    rk_buf_release(&im.extra);
    rk_buf_release(&im.key);
    return rc;
}
