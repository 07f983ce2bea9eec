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

#endif
