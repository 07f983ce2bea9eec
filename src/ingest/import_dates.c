/* The date columns of an import, made ready before its rows: each column's format compiled once
 * (not per cell), and a column mapped `auto` read beforehand, a second pass of a row source
 * over the file, to decide its day/month order (date_auto.c). A file without `auto` columns is
 * not read twice. */
#include "date_private.h"
#include "import_private.h"
#include "source.h"

static const rk_role date_roles[] = {RK_FIELD_BIRTH_DATE, RK_FIELD_DEATH_DATE};

static bool is_auto(const importer *im, rk_role r)
{
    return im->col_of_role[r] >= 0 && im->m->date_format[r] &&
           strcmp(im->m->date_format[r], "auto") == 0;
}

/* Every non-empty value of the `auto` columns into their accumulators, read by a second row
 * source over the same file (CSV or the same sheet). */
static int read_auto_columns(importer *im, const ingest_source_info *info,
                             date_auto acc[RK_FIELD_COUNT])
{
    ingest_rows rows;
    int rc = ingest_rows_open(&rows, im->ctx, im->path, info, im->m, im->opts->max_field);
    if (rc != RK_OK)
        return rc;
    int got = ingest_rows_next(&rows); /* the header */
    while (got == 1 && (got = ingest_rows_next(&rows)) == 1) {
        for (size_t i = 0; i < RK_ARRAY_LEN(date_roles); i++) {
            rk_role r = date_roles[i];
            size_t col = (size_t)im->col_of_role[r];
            if (!is_auto(im, r) || col >= ingest_rows_nfields(&rows) ||
                ingest_rows_typed_date(&rows, col))
                continue; /* a ragged row is refused by the import itself; a typed date is ISO */
            size_t n;
            const char *v = ingest_rows_field(&rows, col, &n);
            ingest_trim_view(&v, &n);
            if (n == 0)
                continue;
            long line, column;
            ingest_rows_field_pos(&rows, col, &line, &column);
            ingest_date_auto_add(&acc[r], v, n, line, column);
        }
    }
    rc = got < 0 ? got : RK_OK;
    ingest_rows_release(&rows);
    return rc;
}

int ingest_import_dates(importer *im, const ingest_source_info *info)
{
    bool any_auto = false;
    date_auto acc[RK_FIELD_COUNT];
    for (size_t i = 0; i < RK_ARRAY_LEN(date_roles); i++) {
        rk_role r = date_roles[i];
        ingest_date_auto_init(&acc[r]);
        im->date_auto[r][0] = '\0';
        any_auto |= is_auto(im, r);
    }
    char why[512];
    int rc = any_auto ? read_auto_columns(im, info, acc) : RK_OK;
    if (rc == RK_OK &&
        rk_date_format_compile(&im->iso_fmt, "YYYY-MM-DD", 0, why, sizeof(why)) != RK_OK)
        rc = rk_error_set(im->ctx, RK_EINTERNAL, "the ISO date format: %s", why);
    for (size_t i = 0; i < RK_ARRAY_LEN(date_roles) && rc == RK_OK; i++) {
        rk_role r = date_roles[i];
        if (im->col_of_role[r] < 0)
            continue;
        const char *format = im->m->date_format[r];
        if (is_auto(im, r)) {
            rc = ingest_date_auto_decide(im->date_decided[r], im->date_auto[r],
                                         sizeof(im->date_auto[r]), &acc[r], im->ctx, im->path,
                                         rk_role_name(r));
            format = im->date_decided[r];
        }
        if (rc == RK_OK && rk_date_format_compile(&im->date_fmt[r], format, im->m->century_pivot,
                                                  why, sizeof(why)) != RK_OK)
            rc = rk_error_set(im->ctx, RK_EINPUT, "%s: %s: %s", im->path, rk_role_name(r), why);
    }
    return rc;
}

int ingest_import_mapping_json(char **out, const importer *im)
{
    rk_mapping used = *im->m; /* a shallow copy: only its formats change, nothing is freed */
    const char *evidence[RK_FIELD_COUNT] = {0};
    bool any_auto = false;
    for (size_t i = 0; i < RK_ARRAY_LEN(date_roles); i++) {
        rk_role r = date_roles[i];
        if (im->date_auto[r][0]) {
            used.date_format[r] = (char *)im->date_decided[r];
            evidence[r] = im->date_auto[r];
            any_auto = true;
        }
    }
    return any_auto ? ingest_mapping_json(out, &used, evidence) : rk_mapping_to_json(out, im->m);
}
