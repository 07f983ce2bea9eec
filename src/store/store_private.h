/* The body of rk_store, shared by the files of src/store only. */
#ifndef RK_STORE_PRIVATE_H
#define RK_STORE_PRIVATE_H

#include "common.h"
#include "store/store_internal.h"

#include <sqlite3.h>

struct rk_store {
    rk_ctx *ctx;
    sqlite3 *db;
    char *path;
    bool readonly;
    bool in_txn;
};

/* One migration: the SQL that takes the schema from version-1 to version. */
typedef struct store_migration {
    int version;
    const char *sql;
} store_migration;

extern const store_migration store_migrations[];
extern const int store_migration_count;

/* Brings the schema to the current version, inside the caller's transaction. */
int store_migrate(rk_store *st, int from_version);

/* Process-wide SQLite set-up: our allocator and the fault-injecting VFS. Idempotent. */
int store_sqlite_setup(void);
/* The name of the VFS to open projects with. */
const char *store_vfs_name(void);

/* The in-memory VFS of a backup's snapshot (memvfs.c): files in chunks, never on disk. */
int store_memvfs_setup(void);
const char *store_memvfs_name(void);
/* Hands the main database file of db (opened on that VFS) to fn in order, in pieces; *size is
 * its length. Returns RK_EINTERNAL when db is not on that VFS, else fn's first failure. */
typedef int (*store_memvfs_fn)(void *user, const void *data, size_t n);
int store_memvfs_each(sqlite3 *db, store_memvfs_fn fn, void *user, int64_t *size);

#endif
