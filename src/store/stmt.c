/* Preparing statements for the modules that read and write their own tables: each call names
 * what it was doing, so a failure leaves the same error record (rk_store__sqlerr) wherever it
 * happens. The private tier's counterpart of rk_store__exec, for statements that bind or read. */
#include "store_private.h"

int rk_store__prepare(sqlite3_stmt **out, rk_store *st, const char *sql, const char *what)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK) {
        *out = NULL;
        return rk_store__sqlerr(st, what);
    }
    return RK_OK;
}

int rk_store__prepare_int64(sqlite3_stmt **out, rk_store *st, const char *sql, int64_t param,
                            const char *what)
{
    int rc = rk_store__prepare(out, st, sql, what);
    if (rc == RK_OK)
        sqlite3_bind_int64(*out, 1, param);
    return rc;
}
