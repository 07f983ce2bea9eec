/* The body of rk_store, shared by the files of src/store only. */
#ifndef RK_STORE_PRIVATE_H
#define RK_STORE_PRIVATE_H

#include "common.h"
#include "store/store_internal.h"

#include <sqlite3.h>

/* The state digest (state.c): the sum of the hashes of a table's rows, modulo 2^2048, kept as
 * 32 little-endian limbs; written as 512 hexadecimal digits. */
enum { STORE_STATE_LIMBS = RK_STORE_SUM_LIMBS, STORE_STATE_HEX = STORE_STATE_LIMBS * 16 };
enum { STORE_STATE_MAX_TABLES = RK_STORE_SUM_TABLES, STORE_STATE_MAX_COLUMNS = 256 };
/* The first schema whose events record their state. */
enum { STORE_STATE_SCHEMA = 9 };

/* What a connection's writes since the last event added to one table's sum. */
typedef struct store_table_sum {
    char table[64];
    uint64_t sum[STORE_STATE_LIMBS];
    bool changed;
} store_table_sum;

/* Rows kept for a hasher elsewhere (state.c): their bytes as the state digest hashes them, given
 * to the hasher a mebibyte at a time. */
typedef struct store_batch {
    rk_store_row_hasher hasher;
    unsigned char *data; /* the rows not yet given */
    size_t n;
    rk_store_row_sums here; /* the batches the hasher could not take, hashed by the writer */
    bool failed;            /* a row could not be kept */
} store_batch;

/* The changes of the open transaction not yet logged by an event, per table. */
typedef struct store_state {
    store_table_sum tables[STORE_STATE_MAX_TABLES];
    int ntables;
    store_table_sum *last; /* the slot of the last table written: most writes repeat it */
    bool failed;           /* a change could not be hashed: the next event is refused */
    bool reread;           /* the next event reads every table (after a migration) */
    void *md;              /* the hash context the hook reuses (an EVP_MD_CTX) */
    void *shake;           /* SHAKE256, fetched once (an EVP_MD) */
    bool elsewhere;        /* rows are kept in batch for its hasher (rk_store__hash_rows_with) */
    store_batch batch;
} store_state;

struct rk_store {
    rk_ctx *ctx;
    sqlite3 *db;
    char *path;
    bool readonly;
    bool in_txn;
    bool unchecked; /* foreign keys off until the transaction ends (rk_store__begin_unchecked) */
    store_state state;
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

/* Is the table part of the state the chain vouches for (not SQLite's own, the event log or a
 * cache)? */
bool store_state_audited(const char *table);
/* Starts tracking the connection's writes (a pre-update hook on st->state). */
int store_state_watch(rk_store *st);
/* Forgets the tracked changes (a new transaction, a rollback, a logged event). */
void store_state_reset(store_state *s);
void store_state_release(store_state *s);
/* Whether writes were tracked since the last reset; *table names one of the tables. */
bool store_state_dirty(const store_state *s, const char **table);
/* Appends the state after the tracked changes: "TABLE SUM\n" for every audited table in name
 * order, each the previous state's sum plus the changes; from a full read of every table when
 * prev_state is NULL (the first event of a project that had none). */
int store_state_next(rk_buf *out, rk_store *st, const char *prev_state);
/* A hasher on a thread beside the caller (state_beside.c), started; false on a machine of one
 * processor or when the thread cannot start. Its finish ends the thread (sums may be NULL). */
bool store_beside_start(rk_store_row_hasher *out);
/* The sum of one table as it is now: one streaming pass over its rows, hashed beside it when
 * there is a second processor. */
int store_state_table(uint64_t *sum, rk_store *st, const char *table);
/* The sum a state text holds for table (zero when it does not name it); false when damaged. */
bool store_state_lookup(const char *state, const char *table, uint64_t *sum);
void store_state_hex(const uint64_t *sum, char *hex);

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
