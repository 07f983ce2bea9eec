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

/* Column i of the current row of s as UTF-8 text, or NULL when the value is NULL; valid until
 * the next step, reset or finalize of s (as sqlite3_column_text). The one column-text helper. */
const char *rk_store__text(sqlite3_stmt *s, int i);

/* Sets an RK_ESTORE error (RK_ENOMEM, RK_ECONFLICT, RK_EIO by kind) from the last SQLite error
 * of the connection, prefixed with the project's path and `what`; returns the code. */
int rk_store__sqlerr(rk_store *st, const char *what);

/* Prepares sql into *out; on failure *out is NULL and the error is rk_store__sqlerr(st, what). */
int rk_store__prepare(sqlite3_stmt **out, rk_store *st, const char *sql, const char *what);

/* rk_store__prepare, then binds param to ?1: the statement of one run, batch or import. */
int rk_store__prepare_int64(sqlite3_stmt **out, rk_store *st, const char *sql, int64_t param,
                            const char *what);

/* Runs SQL without results. */
int rk_store__exec(rk_store *st, const char *sql);

/* rk_store_begin, but SQLite does not look up the row each foreign key written names until the
 * transaction ends (PRAGMA foreign_keys is OFF; rk_store_commit and rk_store_rollback turn it
 * back ON). For a writer whose every reference is to a row it read or wrote itself, of a table
 * reckon never deletes from: a link run's pairs and persons name records and the run. Their two
 * look-ups into the record table per pair, each a page read once the table outgrows the cache,
 * were over half the save (13.3 s of pairs and persons, 5.9 s without, at a million records).
 * The tests check such writes with PRAGMA foreign_key_check. */
int rk_store__begin_unchecked(rk_store *st);

/* Hashing the rows a transaction writes somewhere else than on the writer's thread. The state
 * digest (src/store/state.c) adds the hash of every row written, SHAKE256 expanded to 256
 * bytes: two permutations a row, a third of the save of a link run (2.7 of 8.4 s at a million
 * records). A hasher takes the rows in batches and gives back, per table of the transaction,
 * the net sum of their hashes; the sums commute, so who hashes which batch when does not change
 * them. */
enum { RK_STORE_SUM_TABLES = 64, RK_STORE_SUM_LIMBS = 32 };
/* The most bytes a batch given to a hasher holds. */
enum { RK_STORE_BATCH_BYTES = 1 << 20 };
typedef struct rk_store_row_sums {
    uint64_t net[RK_STORE_SUM_TABLES][RK_STORE_SUM_LIMBS]; /* per table slot, modulo 2^2048 */
    bool failed;                                           /* a batch could not be hashed */
} rk_store_row_sums;

typedef struct rk_store_row_hasher {
    /* Takes a batch of n bytes (rk_store__rows_hash's input; n <= RK_STORE_BATCH_BYTES), which
     * is the store's again when it returns; RK_OK, or an error (out of memory): the writer then
     * hashes the batch itself. */
    int (*give)(void *arg, const unsigned char *batch, size_t n);
    /* Called once, when the state is read (an event is appended) or its changes are dropped
     * (rollback, a new transaction): adds the net sums of every batch given to *sums. */
    int (*finish)(void *arg, rk_store_row_sums *sums);
    void *arg;
} rk_store_row_hasher;

/* From now until the transaction's next event or its end, the rows written are hashed by h (a
 * copy is kept) instead of by the writer. False when they cannot be (out of memory, or a
 * hasher is set already): the writer hashes them, and h is never called. */
bool rk_store__hash_rows_with(rk_store *st, const rk_store_row_hasher *h);

/* rk_store__hash_rows_with a thread of this process beside the writer, for a writer of many
 * rows that may use a second core: an import, a standardize, a link run's save at --threads 2
 * or more. False on a machine of one processor, or when the thread cannot start: the writer
 * hashes. */
bool rk_store__hash_rows_beside(rk_store *st);

/* The hasher's work: adds the hashes of the rows of a batch to *sums (sums->failed set, and an
 * error returned, when the batch is damaged or memory runs out). */
int rk_store__rows_hash(rk_store_row_sums *sums, const unsigned char *batch, size_t n);

/* Adds more's sums to acc's: the batches of several hashers. */
void rk_store__row_sums_add(rk_store_row_sums *acc, const rk_store_row_sums *more);

/* The digest of the rows of a query with one integer parameter (?1), in the canonical form
 * (rk_digest). `rows` is how many rows the query returns when the caller knows it, else 0:
 * the total of the progress line ("hashing rows"; millions of rows take seconds). */
int rk_store__digest_query(rk_store *st, const char *sql, int64_t param, int64_t rows,
                           char hex[65]);

/* The data a link run's event vouches for: its persons and its pairs. */
/* A record's name as people read it, the one definition the review queue, the person page and
 * the report show: its full name, else its name parts (given, patronymic, family, second
 * family) joined, else its record key, so that a record mapped by name parts is never shown
 * nameless. `t` is the record's table alias, as a string literal ("r"). */
#define RK_STORE_RECORD_NAME_SQL(t)                                                                \
    "coalesce(nullif(trim(" t ".full_name), ''), nullif(trim(coalesce(" t                          \
    ".given_name || ' ', '')"                                                                      \
    " || coalesce(" t ".patronymic || ' ', '') || coalesce(" t ".family_name || ' ', '') ||"       \
    " coalesce(" t ".second_family_name, '')), ''), " t ".record_key)"

/* Where a record came from, as people read it: "ministry.csv:812" (the file and the line its
 * row starts on) or "ministry.xlsx:Sheet1!row 812" (the sheet and its row). Needs the record
 * as r and its import as i. */
#define RK_STORE_RECORD_SOURCE_SQL                                                                 \
    "(i.file_name || ':' || CASE WHEN i.sheet IS NULL THEN '' ELSE i.sheet || '!row ' END"         \
    " || r.line)"

#define RK_STORE_PERSONS_DIGEST_SQL                                                                \
    "SELECT record_id, person_id FROM person WHERE run_id = ?1 ORDER BY record_id"
/* A stored pair's comparison levels (pair_vector, schema 10): joins pair_vector as v to the
 * pair p. The one definition of what pair.levels was, for every reader of a pair's levels. */
#define RK_STORE_PAIR_VECTOR_JOIN " JOIN pair_vector v ON v.run_id = p.run_id AND v.id = p.vector"
/* The pairs digest covers each pair's levels text, not its vector id: events logged before the
 * state digest (schema 9) and before pair_vector (schema 10) hold this digest over the text the
 * pair row held then, and verify recomputes it with this same query after the migration
 * renumbered the vectors; a vector id is only where the text is kept. A change of a vector's
 * text, or of a pair's vector, changes the digest all the same, and since schema 9 the state
 * digest covers both tables row by row (ids included). */
#define RK_STORE_PAIRS_DIGEST_SQL                                                                  \
    "SELECT p.record_a, p.record_b, p.weight, p.probability, v.levels, p.status"                   \
    " FROM pair p" RK_STORE_PAIR_VECTOR_JOIN                                                       \
    " WHERE p.run_id = ?1 ORDER BY p.record_a, p.record_b"

/* The data an "estimate" event vouches for: the rows of one batch. */
#define RK_STORE_ESTIMATES_DIGEST_SQL                                                              \
    "SELECT id, run_id, method, model, stratum, lists, config, seed, observed, estimate, lower,"   \
    " upper, status, reason, capture, result FROM estimate WHERE batch = ?1 ORDER BY id"

/* The data a "gazetteer" event vouches for: the names of one gazetteer. */
#define RK_STORE_GAZETTEER_DIGEST_SQL                                                              \
    "SELECT line, kind, region, name, variant FROM gazetteer_name WHERE gazetteer_id = ?1"         \
    " ORDER BY line, variant"

/* The standardized fields of the records a "standardize" event covers (ids up to ?1). Import
 * digests leave std out, so that standardizing again keeps the imports verifiable. */
#define RK_STORE_STD_DIGEST_SQL "SELECT id, std FROM record WHERE id <= ?1 ORDER BY id"

/* The name keys of a record, as the name search index (the FTS5 table name_search, column
 * `keys`) holds them: the sound key and alternative key of every name token of the record's
 * `std`, space-separated; an SQL expression over a row of `record`. Shared by the indexer of
 * `reckon serve` and by `reckon standardize`, which refreshes the keys of the records it
 * changes. */
#define RK_STORE_NAME_KEYS_SQL                                                                     \
    "(SELECT group_concat(json_extract(t.value, '$.key') || coalesce(' ' ||"                       \
    " json_extract(t.value, '$.alt'), ''), ' ') FROM json_each(std, '$.name.tokens') t"            \
    " WHERE json_valid(std))"

#endif
