/* Import of one file into one list, atomically: the file is hashed and checked, then parsed
 * row by row into records (raw row as JSON, mapped and parsed fields, the row's place in the
 * file) inside one transaction that also writes the import's provenance and its event in the
 * audit chain. Any error rolls everything back; the same bytes imported again are a no-op. */
#include "import_private.h"
#include "source.h"
#include "store/store_internal.h"

#include <sqlite3.h>

#define PROGRESS_EVERY 20000

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

static int read_header(importer *im)
{
    int got = ingest_rows_next(im->rows);
    if (got < 0)
        return got;
    if (got == 0)
        return ingest_rows_error(im->rows, RK_EINPUT, 1, 1,
                                 ingest_rows_sheet(im->rows)
                                     ? "the sheet is empty; it needs a header row"
                                     : "the file is empty; it needs a header row");
    im->nheader = ingest_rows_nfields(im->rows);
    im->header = rk_calloc(im->nheader, sizeof(char *));
    if (!im->header)
        return rk_error_set(im->ctx, RK_ENOMEM, "out of memory");
    for (size_t i = 0; i < im->nheader; i++) {
        size_t n;
        const char *h = ingest_rows_field(im->rows, i, &n);
        ingest_trim_view(&h, &n);
        long line, col;
        ingest_rows_field_pos(im->rows, i, &line, &col);
        if (n == 0)
            return ingest_rows_error(im->rows, RK_EINPUT, line, col,
                                     "column %zu has no name in the header; name every column",
                                     i + 1);
        im->header[i] = rk_strndup(h, n);
        if (!im->header[i])
            return rk_error_set(im->ctx, RK_ENOMEM, "out of memory");
        for (size_t j = 0; j < i; j++)
            if (strcmp(im->header[j], im->header[i]) == 0)
                return ingest_rows_error(im->rows, RK_EINPUT, line, col,
                                         "duplicate header '%s' (also column %zu); rename one of "
                                         "the two columns",
                                         im->header[i], j + 1);
    }
    im->header_line = ingest_rows_line(im->rows);
    ingest_rows_set_width(im->rows, im->nheader);
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
    int rc = ingest_rows_error(im->rows, RK_EINPUT, im->header_line, 1,
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
        rc = ingest_rows_error(im->rows, RK_EINPUT, (long)sqlite3_column_int64(s, 1), 1,
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
    int rc = ingest_import_mapping_json(&mapping_json, im);
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
    snprintf(im->today, sizeof(im->today), "%.10s", now);
    if ((rc = rk_store__prepare(&s, im->st,
                                "INSERT INTO import(list_id, file_name, file_sha256, bytes, rows,"
                                " header, mapping, reckon_version, time, sheet)"
                                " VALUES (?,?,?,?,0,?,?,?,?,?)",
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
    sqlite3_bind_text(s, 9, ingest_rows_sheet(im->rows), -1, SQLITE_STATIC);
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
    /* The event's state digest (store/state.c) covers the records written; the digest of its
     * own that an import event held before schema 9 is no longer written. */
    rk_buf p;
    rk_buf_init(&p);
    int brc = rk_buf_printf(&p, "{\"import_id\":%lld,\"list\":", (long long)im->import_id);
    brc = brc ? brc : rk_buf_json_string(&p, im->m->list, strlen(im->m->list));
    brc = brc ? brc : rk_buf_puts(&p, ",\"file\":");
    brc = brc ? brc : rk_buf_json_string(&p, file_name, strlen(file_name));
    brc = brc ? brc
              : rk_buf_printf(&p,
                              ",\"sha256\":\"%s\",\"bytes\":%llu,\"rows\":%lld,\"problems\":%lld,"
                              "\"replace\":%s}",
                              info->sha256, (unsigned long long)info->bytes, (long long)rows,
                              (long long)im->problems, im->opts->replace ? "true" : "false");
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
    char why[512];
    if (!rk_list_name_ok(opts->mapping->list, why, sizeof(why)))
        return rk_error_set(ctx, RK_EINPUT, "%s", why);
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
    ingest_rows rows = {0};
    im.rows = &rows;
    bool txn = false;
    int64_t nrows = 0;
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
    if ((rc = ingest_rows_open(&rows, ctx, path, &info, im.m, opts->max_field)) != RK_OK)
        goto cleanup;
    if ((rc = read_header(&im)) != RK_OK || (rc = resolve_columns(&im)) != RK_OK)
        goto cleanup;
    ingest_order_mapped(&im);
    if ((rc = ingest_import_dates(&im, &info)) != RK_OK)
        goto cleanup;
    if ((rc = write_import_row(&im, &info, base_name(path))) != RK_OK)
        goto cleanup;
    /* The records' hashes for the audit chain, on a spare core, until the import's event (the
     * list's, when it is new, came before). */
    rk_store__hash_rows_beside(st);
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
    while ((got = ingest_rows_next(&rows)) == 1) {
        nrows++;
        if ((rc = ingest_import_row(&im, nrows)) != RK_OK)
            goto cleanup;
        if (nrows % PROGRESS_EVERY == 0)
            rk_progress(ctx, "reading bytes", ingest_rows_progress(&rows, info.bytes), info.bytes);
    }
    if (got < 0) {
        rc = got;
        goto cleanup;
    }
    if (nrows == 0) {
        rc = ingest_rows_error(&rows, RK_EINPUT, im.header_line + 1, 1,
                               "the file has a header but no rows; nothing to import");
        goto cleanup;
    }
    if ((rc = finish_import(&im, &info, base_name(path), nrows)) != RK_OK)
        goto cleanup;
    sqlite3_finalize(im.ins_record);
    sqlite3_finalize(im.ins_problem);
    im.ins_record = im.ins_problem = NULL;
    if ((rc = rk_store_commit(st)) != RK_OK) {
        txn = false;
        goto cleanup;
    }
    txn = false;
    rk_progress(ctx, "reading bytes", info.bytes, info.bytes);
    out->import_id = im.import_id;
    out->list_id = im.list_id;
    out->rows = nrows;
    out->problems = im.problems;
    memcpy(out->date_auto, im.date_auto, sizeof(out->date_auto));
    out->bytes = info.bytes;
    snprintf(out->sha256, sizeof(out->sha256), "%s", info.sha256);
cleanup:
    sqlite3_finalize(im.ins_record);
    sqlite3_finalize(im.ins_problem);
    if (txn)
        rk_store_rollback(st);
    ingest_rows_release(&rows);
    for (size_t i = 0; im.header && i < im.nheader; i++)
        rk_free(im.header[i]);
    rk_free(im.header);
    rk_buf_release(&im.raw);
    rk_buf_release(&im.extra);
    rk_buf_release(&im.key);
    return rc;
}
