/* The store's private tier: what later modules of libreckon (link, estimate, report, serve, ...)
 * may use of the store, and the public API may not. Names are rk_store__<verb>. Never installed,
 * never included from include/reckon/. */
#ifndef RK_STORE_INTERNAL_H
#define RK_STORE_INTERNAL_H

#include "reckon/store.h"

#include <sqlite3.h>

/* The project's SQLite connection, owned by the store (never closed by the caller), for the
 * modules that read and write their own tables. */
sqlite3 *rk_store__db(rk_store *st);

#endif
