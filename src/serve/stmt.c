/* Prepared statements kept per worker: each worker owns one connection, so the statements of
 * its pages (and of the name index it brings up to date) are prepared once
 * (SQLITE_PREPARE_PERSISTENT) and reused, reset and with their bindings cleared after each use,
 * instead of being compiled again for every request. */
#include "serve_private.h"
#include "store/store_internal.h"

int serve_worker_stmt(serve_worker *w, const char *sql, sqlite3_stmt **out)
{
    *out = NULL;
    for (size_t i = 0; i < w->nstmts; i++)
        if (!w->stmt_busy[i] && strcmp(sqlite3_sql(w->stmts[i]), sql) == 0) {
            w->stmt_busy[i] = true;
            *out = w->stmts[i];
            return RK_OK;
        }
    /* Not cached, or in use further up the stack: prepare it (and keep it while there is room). */
    bool keep = w->nstmts < RK_ARRAY_LEN(w->stmts);
    if (sqlite3_prepare_v3(rk_store__db(w->st), sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, out,
                           NULL) != SQLITE_OK) {
        *out = NULL;
        return rk_store__sqlerr(w->st, "query failed");
    }
    if (keep) {
        w->stmts[w->nstmts] = *out;
        w->stmt_busy[w->nstmts++] = true;
    }
    return RK_OK;
}

void serve_worker_stmt_done(serve_worker *w, sqlite3_stmt *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < w->nstmts; i++)
        if (w->stmts[i] == s) {
            /* Reset ends the statement's read of the project; nothing stays bound. */
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            w->stmt_busy[i] = false;
            return;
        }
    sqlite3_finalize(s);
}

int serve_stmt(serve_req *r, const char *sql, sqlite3_stmt **out)
{
    return serve_worker_stmt(r->w, sql, out);
}

void serve_stmt_done(serve_req *r, sqlite3_stmt *s)
{
    serve_worker_stmt_done(r->w, s);
}

void serve_stmts_release(serve_worker *w)
{
    for (size_t i = 0; i < w->nstmts; i++)
        sqlite3_finalize(w->stmts[i]);
    w->nstmts = 0;
}
