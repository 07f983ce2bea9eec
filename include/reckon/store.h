/* The project file: one SQLite database per investigation (WAL, foreign keys, mode 0600), its
 * versioned schema, transactions, and the append-only hash-chained event log.
 *
 * Ownership: rk_store_create/rk_store_open return a store freed by rk_store_free (which accepts
 * NULL); strings the store hands out belong to the caller unless said otherwise.
 *
 * Threads: a store, like its context, is used by one thread at a time (its SQLite connection
 * is opened without a mutex of its own); threads that work at once open a store each. */
#ifndef RECKON_STORE_H
#define RECKON_STORE_H

#include "reckon/core.h"
#include "reckon/crypt.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rk_store rk_store;

/* The schema version this reckon writes; a project with a higher one is refused. */
int rk_store_schema_version(void);
/* The version of the SQLite library that the store runs on ("3.45.1"); a static string. */
const char *rk_store_sqlite_version(void);

enum { RK_STORE_READWRITE = 0, RK_STORE_READONLY = 1 };

/* Creates a new project at path (refuses an existing file) and logs the "init" event. */
int rk_store_create(rk_store **out, rk_ctx *ctx, const char *path);
/* Opens an existing project, migrating an older schema forward (not when read-only). */
int rk_store_open(rk_store **out, rk_ctx *ctx, const char *path, int flags);
void rk_store_free(rk_store *st);

/* The context given to rk_store_create or rk_store_open: the store keeps a pointer to it and
 * reports every later error there (so does whatever is opened on the store, such as an
 * rk_gazetteer), so it must outlive the store. */
rk_ctx *rk_store_ctx(rk_store *st);
const char *rk_store_path(const rk_store *st);

/* Transactions: BEGIN IMMEDIATE (a writer waits up to the busy timeout), COMMIT, ROLLBACK.
 * rk_store_rollback is safe to call when no transaction is open. */
int rk_store_begin(rk_store *st);
int rk_store_commit(rk_store *st);
void rk_store_rollback(rk_store *st);

/* Appends an event to the log, chained to the previous one by SHA-256. `payload_json` is a JSON
 * object describing the change; it should hold the digest of whatever the change wrote, so that
 * rk_store_verify can check the data as well as the chain. Call inside a transaction. */
int rk_store_log_event(rk_store *st, const char *kind, const char *payload_json, int64_t *event_id);

/* The canonical digest of rows of data that an event vouches for: each value as a type tag
 * ('t' text, 'i' integer, 'f' real, 'n' null) and its text, a unit separator after each value
 * and a record separator after each row. A writer that knows its rows can digest them as it
 * writes them; rk_store_verify recomputes the same digest from the tables. */
typedef struct rk_digest {
    rk_sha256 sha;
    int64_t rows;
    char pending[8192]; /* small updates are batched: one hash call per 8 KiB */
    size_t npending;
} rk_digest;
int rk_digest_init(rk_digest *d);
void rk_digest_text(rk_digest *d, const char *s, size_t n);
void rk_digest_int(rk_digest *d, int64_t v);
void rk_digest_null(rk_digest *d);
void rk_digest_end_row(rk_digest *d);
void rk_digest_final_hex(rk_digest *d, char hex[65]);
void rk_digest_release(rk_digest *d);

typedef struct rk_verify_report {
    int64_t events;    /* events checked */
    int64_t first_bad; /* id of the first bad event, 0 when intact */
    char kind[32];     /* its kind */
    char table[64];    /* the table whose rows differ from its state, "" when not a table */
    char reason[1024]; /* why it is bad */
    char head[65];     /* hash of the last event (the head of the chain) */
} rk_verify_report;

/* Recomputes the chain and, since schema 9, the state every event recorded: the digest of
 * each table of the project (all but the caches named in src/store/state.c) after the event.
 * The tables must hold what the last event recorded; a table that does not names the last event
 * that changed it. Earlier events' own digests (an import's records, ...) are checked too.
 * Returns RK_OK when the check ran (whether or not the project is intact: see
 * out->first_bad). Deleting the last events and undoing their changes leaves an intact shorter
 * chain: compare out->head with a head kept elsewhere. */
int rk_store_verify(rk_verify_report *out, rk_store *st);

/* One event of the chain, as `reckon log` shows it. digest: the SHA-256 of the state the event
 * recorded ("-" for events from before schema 9); hash: the chain's head after the event. */
typedef struct rk_event_info {
    int64_t id;
    char time[32];
    char kind[32];
    char digest[65];
    char hash[65];
} rk_event_info;

/* Every event of the log, oldest first, into *out (freed by the caller with rk_free) and *n. */
int rk_store_events(rk_event_info **out, size_t *n, rk_store *st);

/* Encrypted copies of a project (backup.c). A backup is a consistent snapshot taken with SQLite's
 * online backup API (other processes may write meanwhile), held in memory, never on disk in
 * plain, and written encrypted (XChaCha20-Poly1305 with a key from the passphrase by Argon2id)
 * to a temporary file of mode 0600 beside `path`, renamed over it when complete. */
typedef struct rk_backup_report {
    int64_t bytes;      /* the snapshot's size in plain */
    int64_t file_bytes; /* the encrypted file's size */
} rk_backup_report;
int rk_store_backup(rk_backup_report *out, rk_store *st, const char *path, const char *pass,
                    size_t passlen, rk_crypt_cost cost);

/* Decrypts the backup at `backup` into a new project at `path` (refused when a file of that name
 * exists), authenticating every block and the end of the file, then opens it and verifies its
 * audit chain (rk_store_verify) before putting it in place; on any failure nothing is left at
 * `path` and the temporary file is removed. `out` is the verification of the restored project. */
int rk_store_restore(rk_verify_report *out, rk_ctx *ctx, const char *backup, const char *path,
                     const char *pass, size_t passlen);

#ifdef __cplusplus
}
#endif

#endif
