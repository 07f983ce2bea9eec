/* Reading back what imports wrote: the lists with their imports and provenance, and the values
 * that lenient imports kept raw. The readout of `reckon lists` and of any embedder that shows a
 * project's sources. */
#include "common.h"
#include "sheet.h"
#include "store/store_internal.h"

#include <sqlite3.h>

/* A copy of a text column, "" for NULL; NULL only when out of memory. */
static char *dup_text(sqlite3_stmt *s, int i)
{
    const char *t = rk_store__text(s, i);
    return rk_strdup(t ? t : "");
}

static void import_release(rk_import_info *im)
{
    rk_free(im->file_name);
    rk_free(im->time);
}

void rk_ingest_lists_free(rk_list_info *lists, size_t n)
{
    if (!lists)
        return;
    for (size_t i = 0; i < n; i++) {
        rk_free(lists[i].name);
        rk_free(lists[i].description);
        for (size_t k = 0; k < lists[i].nimports; k++)
            import_release(&lists[i].imports[k]);
        rk_free(lists[i].imports);
    }
    rk_free(lists);
}

/* Reads the imports of list l->id into l. */
static int read_imports(rk_list_info *l, rk_store *st, sqlite3_stmt *is)
{
    size_t cap = 0;
    int step;
    sqlite3_reset(is);
    sqlite3_bind_int64(is, 1, l->id);
    while ((step = sqlite3_step(is)) == SQLITE_ROW) {
        if (rk_grow((void **)&l->imports, &cap, l->nimports + 1, sizeof(*l->imports)) != RK_OK)
            return rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory while listing imports");
        rk_import_info *im = &l->imports[l->nimports++];
        memset(im, 0, sizeof(*im));
        im->id = sqlite3_column_int64(is, 0);
        im->file_name = dup_text(is, 1);
        const char *sha = rk_store__text(is, 2);
        snprintf(im->sha256, sizeof(im->sha256), "%s", sha ? sha : "");
        im->bytes = sqlite3_column_int64(is, 3);
        im->rows = sqlite3_column_int64(is, 4);
        im->problems = sqlite3_column_int64(is, 5);
        im->time = dup_text(is, 6);
        im->superseded_by = sqlite3_column_int64(is, 7); /* NULL reads as 0 */
        if (!im->file_name || !im->time)
            return rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory while listing imports");
    }
    return step == SQLITE_DONE ? RK_OK : rk_store__sqlerr(st, "cannot read imports");
}

int rk_ingest_lists(rk_list_info **out, size_t *n, rk_store *st)
{
    RK_ASSERT_ARG(st ? rk_store_ctx(st) : NULL, out && n && st);
    *out = NULL;
    *n = 0;
    sqlite3_stmt *ls = NULL, *is = NULL;
    rk_list_info *lists = NULL;
    size_t cap = 0, nl = 0;
    int rc = RK_OK, step;
    if ((rc = rk_store__prepare(&ls, st,
                                "SELECT l.id, l.name, l.description,"
                                " (SELECT count(*) FROM current_record r WHERE r.list_id = l.id)"
                                " FROM list l ORDER BY l.id",
                                "cannot read lists")) != RK_OK ||
        (rc = rk_store__prepare(&is, st,
                                "SELECT id, file_name, file_sha256, bytes, rows, problems, time,"
                                " superseded_by FROM import WHERE list_id = ? ORDER BY id",
                                "cannot read lists")) != RK_OK)
        goto cleanup;
    while ((step = sqlite3_step(ls)) == SQLITE_ROW) {
        if (rk_grow((void **)&lists, &cap, nl + 1, sizeof(*lists)) != RK_OK)
            goto nomem;
        rk_list_info *l = &lists[nl++];
        memset(l, 0, sizeof(*l));
        l->id = sqlite3_column_int64(ls, 0);
        l->name = dup_text(ls, 1);
        const char *description = rk_store__text(ls, 2);
        l->description = description ? rk_strdup(description) : NULL;
        l->records = sqlite3_column_int64(ls, 3);
        if (!l->name || (description && !l->description))
            goto nomem;
        /* The outer statement stays on its row while the inner one runs. */
        if ((rc = read_imports(l, st, is)) != RK_OK)
            goto cleanup;
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read lists");
        goto cleanup;
    }
    *out = lists;
    *n = nl;
    lists = NULL;
    goto cleanup;
nomem:
    rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory while listing lists");
cleanup:
    rk_ingest_lists_free(lists, nl);
    sqlite3_finalize(ls);
    sqlite3_finalize(is);
    return rc;
}

void rk_ingest_problems_free(rk_import_problem *problems, size_t n)
{
    if (!problems)
        return;
    for (size_t i = 0; i < n; i++) {
        rk_free(problems[i].list);
        rk_free(problems[i].file);
        rk_free(problems[i].role);
        rk_free(problems[i].value);
        rk_free(problems[i].reason);
        rk_free(problems[i].sheet);
        rk_free(problems[i].place);
    }
    rk_free(problems);
}

int rk_ingest_problems(rk_import_problem **out, size_t *n, rk_store *st)
{
    RK_ASSERT_ARG(st ? rk_store_ctx(st) : NULL, out && n && st);
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    rk_import_problem *ps = NULL;
    size_t cap = 0, np = 0;
    int rc = RK_OK, step;
    if ((rc = rk_store__prepare(
             &s, st,
             "SELECT l.name, i.file_name, p.line, p.col, p.role, p.value, p.reason, i.sheet"
             " FROM problem p JOIN import i ON i.id = p.import_id JOIN list l ON"
             " l.id = i.list_id ORDER BY p.id",
             "cannot read problems")) != RK_OK)
        goto cleanup;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (rk_grow((void **)&ps, &cap, np + 1, sizeof(*ps)) != RK_OK)
            goto nomem;
        rk_import_problem *p = &ps[np++];
        memset(p, 0, sizeof(*p));
        p->list = dup_text(s, 0);
        p->file = dup_text(s, 1);
        p->line = sqlite3_column_int64(s, 2);
        p->column = sqlite3_column_int64(s, 3);
        p->role = dup_text(s, 4);
        p->value = dup_text(s, 5);
        p->reason = dup_text(s, 6);
        if (!p->list || !p->file || !p->role || !p->value || !p->reason)
            goto nomem;
        char place[2048];
        if (sqlite3_column_type(s, 7) != SQLITE_NULL) {
            if (!(p->sheet = dup_text(s, 7)))
                goto nomem;
            ingest_sheet_place(place, sizeof(place), p->file, p->sheet, (long)p->column,
                               (long)p->line);
        } else {
            snprintf(place, sizeof(place), "%s:%lld:%lld", p->file, (long long)p->line,
                     (long long)p->column);
        }
        if (!(p->place = rk_strdup(place)))
            goto nomem;
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read problems");
        goto cleanup;
    }
    *out = ps;
    *n = np;
    ps = NULL;
    goto cleanup;
nomem:
    rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory while listing problems");
cleanup:
    rk_ingest_problems_free(ps, np);
    sqlite3_finalize(s);
    return rc;
}
