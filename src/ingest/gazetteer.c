/* Importing a gazetteer: a CSV of regions and places with their spellings in other scripts,
 * stored as written in the project (gazetteer, gazetteer_name) with its provenance and an
 * audit event. src/text/gazetteer.c folds the names and matches records against them. */
#include "common.h"
#include "source.h"
#include "store/store_internal.h"

#include <sqlite3.h>

typedef struct gaz_import {
    rk_store *st;
    rk_ctx *ctx;
    const char *path;
    const rk_gazetteer_options *o;
    char **header;
    size_t nheader;
    long region_col, place_col, name_col; /* -1: none */
    sqlite3_stmt *ins;
    int64_t id;
} gaz_import;

/* The cell of column `col` of the current row, trimmed of spaces, into `out` (""). */
static const char *cell(const rk_csv *csv, long col, size_t *len)
{
    *len = 0;
    if (col < 0 || (size_t)col >= rk_csv_nfields(csv))
        return "";
    const char *v = rk_csv_field(csv, (size_t)col, len);
    while (*len && (*v == ' ' || *v == '\t')) {
        v++;
        (*len)--;
    }
    while (*len && (v[*len - 1] == ' ' || v[*len - 1] == '\t'))
        (*len)--;
    return v;
}

static int find_column(gaz_import *g, const char *name, const char *option, long *out)
{
    *out = -1;
    if (!name)
        return RK_OK;
    for (size_t i = 0; i < g->nheader; i++)
        if (strcmp(g->header[i], name) == 0) {
            *out = (long)i;
            return RK_OK;
        }
    return rk_error_set_at(g->ctx, RK_EINPUT, g->path, 1, 1,
                           "no column '%s' (%s); the header names %zu columns, spelled as "
                           "in the file's first line",
                           name, option, g->nheader);
}

static int read_header(gaz_import *g, rk_csv *csv)
{
    int got = rk_csv_next(csv);
    if (got < 0)
        return got;
    if (got == 0)
        return rk_error_set_at(g->ctx, RK_EINPUT, g->path, 1, 1,
                               "the file is empty; a gazetteer has a header and a row per "
                               "region or place");
    g->nheader = rk_csv_nfields(csv);
    if (!(g->header = rk_calloc(g->nheader, sizeof(char *))))
        return rk_error_set(g->ctx, RK_ENOMEM, "out of memory");
    for (size_t i = 0; i < g->nheader; i++) {
        size_t len;
        const char *h = rk_csv_field(csv, i, &len);
        if (!(g->header[i] = rk_strdup(h)))
            return rk_error_set(g->ctx, RK_ENOMEM, "out of memory");
    }
    int rc = find_column(g, g->o->region_column, "--region-column", &g->region_col);
    rc = rc ? rc : find_column(g, g->o->place_column, "--place-column", &g->place_col);
    return rc ? rc : find_column(g, g->o->name_column, "--name-column", &g->name_col);
}

static int write_gazetteer_row(gaz_import *g, const ingest_source_info *info)
{
    rk_buf header, columns;
    rk_buf_init(&header);
    rk_buf_init(&columns);
    sqlite3_stmt *s = NULL;
    int rc = rk_buf_putc(&header, '[');
    for (size_t i = 0; i < g->nheader && rc == RK_OK; i++) {
        rc = rk_buf_puts(&header, i ? "," : "");
        rc = rc ? rc : rk_buf_json_string(&header, g->header[i], strlen(g->header[i]));
    }
    rc = rc ? rc : rk_buf_putc(&header, ']');
    const char *names[] = {"region", "place", "name"};
    const char *cols[] = {g->o->region_column, g->o->place_column, g->o->name_column};
    rc = rc ? rc : rk_buf_putc(&columns, '{');
    for (size_t i = 0; i < 3 && rc == RK_OK; i++) {
        rc = rk_buf_printf(&columns, "%s\"%s\":", i ? "," : "", names[i]);
        rc = rc        ? rc
             : cols[i] ? rk_buf_json_string(&columns, cols[i], strlen(cols[i]))
                       : rk_buf_puts(&columns, "null");
    }
    rc = rc ? rc : rk_buf_putc(&columns, '}');
    if (rc != RK_OK) {
        rc = rk_error_set(g->ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    const char *slash = strrchr(g->path, '/');
    char now[32];
    rk_time_iso(now);
    if ((rc = rk_store__prepare(&s, g->st,
                                "INSERT INTO gazetteer(file_name, file_sha256, bytes, rows, header,"
                                " columns, reckon_version, time) VALUES (?,?,?,0,?,?,?,?)",
                                "cannot write the gazetteer")) != RK_OK)
        goto cleanup;
    sqlite3_bind_text(s, 1, slash ? slash + 1 : g->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, info->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)info->bytes);
    sqlite3_bind_text(s, 4, rk_buf_cstr(&header), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, rk_buf_cstr(&columns), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, RK_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, now, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = rk_store__sqlerr(g->st, "cannot write the gazetteer");
    else
        g->id = sqlite3_last_insert_rowid(rk_store__db(g->st));
cleanup:
    sqlite3_finalize(s);
    rk_buf_release(&header);
    rk_buf_release(&columns);
    return rc;
}

/* Stores the spellings of the current row; counts it as a region or a place. */
static int import_row(gaz_import *g, rk_csv *csv, rk_gazetteer_result *out)
{
    size_t rlen, plen, nlen;
    const char *region = cell(csv, g->region_col, &rlen);
    const char *place = cell(csv, g->place_col, &plen);
    const char *name = cell(csv, g->name_col, &nlen);
    long line = rk_csv_row_line(csv), col = 1;
    if (rlen == 0) {
        if ((size_t)g->region_col < rk_csv_nfields(csv))
            rk_csv_field_pos(csv, (size_t)g->region_col, &line, &col);
        return rk_error_set_at(g->ctx, RK_EINPUT, g->path, line, col,
                               "the row has no region in column '%s'; give every row its region",
                               g->o->region_column);
    }
    bool is_place = plen > 0;
    if (nlen == 0) {
        name = is_place ? place : region;
        nlen = is_place ? plen : rlen;
    }
    is_place ? out->places++ : out->regions++;
    int rc = RK_OK;
    sqlite3_bind_int64(g->ins, 1, g->id);
    sqlite3_bind_int64(g->ins, 2, line);
    sqlite3_bind_text(g->ins, 3, is_place ? "place" : "region", -1, SQLITE_STATIC);
    sqlite3_bind_text(g->ins, 4, region, (int)rlen, SQLITE_TRANSIENT);
    sqlite3_bind_text(g->ins, 5, name, (int)nlen, SQLITE_TRANSIENT);
    for (size_t i = 0; i < rk_csv_nfields(csv) && rc == RK_OK; i++) {
        size_t vlen;
        const char *v = cell(csv, (long)i, &vlen);
        if (vlen == 0 || (is_place && (long)i == g->region_col))
            continue; /* a place's region column names its region, not the place */
        sqlite3_bind_text(g->ins, 6, v, (int)vlen, SQLITE_TRANSIENT);
        if (sqlite3_step(g->ins) != SQLITE_DONE)
            rc = rk_store__sqlerr(g->st, "cannot write the gazetteer");
        else
            out->names += sqlite3_changes(rk_store__db(g->st));
        sqlite3_reset(g->ins);
    }
    return rc;
}

static int log_event(gaz_import *g, const ingest_source_info *info, const rk_gazetteer_result *out)
{
    char sql[96], digest[65];
    snprintf(sql, sizeof(sql), "UPDATE gazetteer SET rows = %lld WHERE id = %lld",
             (long long)out->rows, (long long)g->id);
    int rc = rk_store__exec(g->st, sql);
    rc = rc ? rc : rk_store__digest_query(g->st, RK_STORE_GAZETTEER_DIGEST_SQL, g->id, 0, digest);
    if (rc != RK_OK)
        return rc;
    const char *slash = strrchr(g->path, '/');
    const char *file = slash ? slash + 1 : g->path;
    rk_buf p;
    rk_buf_init(&p);
    rc = rk_buf_printf(&p, "{\"gazetteer_id\":%lld,\"file\":", (long long)g->id);
    rc = rc ? rc : rk_buf_json_string(&p, file, strlen(file));
    rc = rc ? rc
            : rk_buf_printf(&p,
                            ",\"sha256\":\"%s\",\"bytes\":%llu,\"rows\":%lld,\"regions\":%lld,"
                            "\"places\":%lld,\"names\":%lld,\"digest\":\"%s\"}",
                            info->sha256, (unsigned long long)info->bytes, (long long)out->rows,
                            (long long)out->regions, (long long)out->places, (long long)out->names,
                            digest);
    rc = rc ? rk_error_set(g->ctx, RK_ENOMEM, "out of memory")
            : rk_store_log_event(g->st, "gazetteer", rk_buf_cstr(&p), NULL);
    rk_buf_release(&p);
    return rc;
}

int rk_ingest_gazetteer(rk_gazetteer_result *out, rk_store *st, const char *path,
                        const rk_gazetteer_options *opts)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out && path && opts && opts->region_column);
    RK_ASSERT_ARG(ctx, opts->version == RK_GAZETTEER_OPTIONS_VERSION);
    memset(out, 0, sizeof(*out));
    gaz_import g = {.st = st, .ctx = ctx, .path = path, .o = opts};
    ingest_source_info info;
    ingest_source_reader *src = NULL;
    rk_csv *csv = NULL;
    bool txn = false;
    int rc = ingest_source_scan(ctx, path, NULL, &info);
    rc = rc ? rc : ingest_source_reader_open(&src, ctx, path, NULL);
    rk_csv_options copts = RK_CSV_OPTIONS_INIT;
    rc = rc ? rc : rk_csv_open(&csv, ctx, path, ingest_source_reader_read, src, &copts);
    rc = rc ? rc : read_header(&g, csv);
    if (rc != RK_OK)
        goto cleanup;
    if ((rc = rk_store_begin(st)) != RK_OK)
        goto cleanup;
    txn = true;
    if ((rc = write_gazetteer_row(&g, &info)) != RK_OK ||
        (rc = rk_store__prepare(&g.ins, st,
                                "INSERT OR IGNORE INTO gazetteer_name(gazetteer_id, line, kind,"
                                " region, name, variant) VALUES (?,?,?,?,?,?)",
                                "cannot write the gazetteer")) != RK_OK)
        goto cleanup;
    int got;
    while ((got = rk_csv_next(csv)) == 1) {
        out->rows++;
        if ((rc = import_row(&g, csv, out)) != RK_OK)
            goto cleanup;
    }
    if (got < 0) {
        rc = got;
        goto cleanup;
    }
    if (out->rows == 0) {
        rc = rk_error_set_at(ctx, RK_EINPUT, path, 2, 1,
                             "the file has a header but no rows; nothing to import");
        goto cleanup;
    }
    sqlite3_finalize(g.ins);
    g.ins = NULL;
    if ((rc = log_event(&g, &info, out)) != RK_OK)
        goto cleanup;
    txn = false;
    if ((rc = rk_store_commit(st)) != RK_OK)
        goto cleanup;
    out->id = g.id;
    out->bytes = info.bytes;
    snprintf(out->sha256, sizeof(out->sha256), "%s", info.sha256);
cleanup:
    sqlite3_finalize(g.ins);
    if (txn)
        rk_store_rollback(st);
    rk_csv_free(csv);
    ingest_source_reader_free(src);
    for (size_t i = 0; g.header && i < g.nheader; i++)
        rk_free(g.header[i]);
    rk_free(g.header);
    return rc;
}
