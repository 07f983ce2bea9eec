/* The review app's view of the project: the connection of the worker serving a request, and
 * the link run whose pairs and persons the pages show (the latest one). */
#include "serve_private.h"
#include "store/store_internal.h"

sqlite3 *serve_db(serve_req *r)
{
    return rk_store__db(r->w->st);
}

int serve_sqlerr(serve_req *r)
{
    return rk_store__sqlerr(r->w->st, "query failed");
}

int serve_current_run(serve_req *r, int64_t *run_id)
{
    sqlite3_stmt *s = NULL;
    *run_id = 0;
    int rc = serve_stmt(r, "SELECT max(id) FROM link_run", &s);
    if (rc != RK_OK)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *run_id = sqlite3_column_int64(s, 0);
    else
        rc = serve_sqlerr(r);
    serve_stmt_done(r, s);
    return rc;
}
