/* The date columns of an import, made ready before its rows: each column's format compiled once
 * (not per cell), and a column mapped `auto` read beforehand, a second pass of the CSV reader
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

/* Every non-empty value of the `auto` columns into their accumulators. */
static int read_auto_columns(importer *im, date_auto acc[RK_FIELD_COUNT])
{
    ingest_source_reader *src = NULL;
    rk_csv *csv = NULL;
    int rc = ingest_source_reader_open(&src, im->ctx, im->path, im->m->encoding);
    if (rc != RK_OK)
        goto cleanup;
    rk_csv_options copts = ingest_csv_options(im);
    if ((rc = rk_csv_open(&csv, im->ctx, im->path, ingest_source_reader_read, src, &copts)) !=
        RK_OK)
        goto cleanup;
    int got = rk_csv_next(csv); /* the header */
    while (got == 1 && (got = rk_csv_next(csv)) == 1) {
        for (size_t i = 0; i < RK_ARRAY_LEN(date_roles); i++) {
            rk_role r = date_roles[i];
            size_t col = (size_t)im->col_of_role[r];
            if (!is_auto(im, r) || col >= rk_csv_nfields(csv))
                continue; /* a ragged row is refused by the import itself */
            size_t n;
            const char *v = rk_csv_field(csv, col, &n);
            ingest_trim_view(&v, &n);
            if (n == 0)
                continue;
            long line, column;
            rk_csv_field_pos(csv, col, &line, &column);
            ingest_date_auto_add(&acc[r], v, n, line, column);
        }
    }
    rc = got < 0 ? got : RK_OK;
cleanup:
    rk_csv_free(csv);
    ingest_source_reader_free(src);
    return rc;
}

int ingest_import_dates(importer *im)
{
    bool any_auto = false;
    date_auto acc[RK_FIELD_COUNT];
    for (size_t i = 0; i < RK_ARRAY_LEN(date_roles); i++) {
        rk_role r = date_roles[i];
        ingest_date_auto_init(&acc[r]);
        im->date_auto[r][0] = '\0';
        any_auto |= is_auto(im, r);
    }
    int rc = any_auto ? read_auto_columns(im, acc) : RK_OK;
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
        char why[512];
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
