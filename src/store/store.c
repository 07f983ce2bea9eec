/* Opening, creating and closing the project file, and its transactions. The file is created
 * with mode 0600 before SQLite touches it (it holds the names of victims); SQLite gives its WAL
 * and shared-memory files the same mode. */
#include "store_private.h"
#include "store/store_internal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000
/* A 16 MiB page cache (a negative size is in KiB): big imports and link runs write fewer pages
 * twice, and memory stays bounded whatever the size of the project. */
#define CACHE_SIZE "PRAGMA cache_size = -16384"

const char *rk_store_sqlite_version(void)
{
    return sqlite3_libversion();
}

rk_ctx *rk_store_ctx(rk_store *st)
{
    return st->ctx;
}

const char *rk_store_path(const rk_store *st)
{
    return st->path;
}

sqlite3 *rk_store__db(rk_store *st)
{
    return st->db;
}

const char *rk_store__text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

int rk_store__sqlerr(rk_store *st, const char *what)
{
    int code = sqlite3_errcode(st->db);
    const char *msg = sqlite3_errmsg(st->db);
    /* What the file or its disk did is the user's to fix (exit status 1), said plainly;
     * only what remains is reckon's own failure. */
    switch (code & 0xff) {
    case SQLITE_NOMEM:
        return rk_error_set(st->ctx, RK_ENOMEM, "%s: %s: %s", st->path, what, msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return rk_error_set(st->ctx, RK_ECONFLICT, "%s: %s: %s", st->path, what, msg);
    case SQLITE_NOTADB:
        return rk_error_set(st->ctx, RK_EINPUT,
                            "%s: not a reckon project (not a SQLite database); name the "
                            "project file",
                            st->path);
    case SQLITE_CORRUPT:
        return rk_error_set(st->ctx, RK_EINPUT,
                            "%s: the project file is damaged (%s); restore it from a copy",
                            st->path, msg);
    case SQLITE_FULL:
        return rk_error_set(st->ctx, RK_EIO,
                            "%s: %s: the disk is full; free some space and run it again", st->path,
                            what);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return rk_error_set(st->ctx, RK_EIO,
                            "%s: %s: %s; check that the project and its folder are writable",
                            st->path, what, msg);
    case SQLITE_IOERR:
        return rk_error_set(st->ctx, RK_EIO, "%s: %s: %s; check the disk", st->path, what, msg);
    default:
        return rk_error_set(st->ctx, RK_ESTORE, "%s: %s: %s", st->path, what, msg);
    }
}

int rk_store__exec(rk_store *st, const char *sql)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return rk_store__sqlerr(st, "query failed");
    return RK_OK;
}

/* Ends rk_store__begin_unchecked's exemption once its transaction is over. It cannot fail for
 * want of a lock (the pragma takes none); should it fail all the same, the store stays marked
 * and the next rk_store_begin refuses to start until it succeeds. */
static bool foreign_keys_on(rk_store *st)
{
    if (st->unchecked &&
        sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) == SQLITE_OK)
        st->unchecked = false;
    return !st->unchecked;
}

static int begin_immediate(rk_store *st)
{
    if (st->readonly)
        return rk_error_set(st->ctx, RK_EINTERNAL, "%s: opened read-only", st->path);
    int rc = rk_store__exec(st, "BEGIN IMMEDIATE");
    if (rc == RK_OK)
        st->in_txn = true;
    store_state_reset(&st->state);
    return rc;
}

int rk_store_begin(rk_store *st)
{
    if (!foreign_keys_on(st))
        return rk_store__sqlerr(st, "cannot check references again");
    return begin_immediate(st);
}

int rk_store__begin_unchecked(rk_store *st)
{
    /* The pragma is a no-op inside a transaction: set before BEGIN, reset after its end. */
    int rc = rk_store__exec(st, "PRAGMA foreign_keys = OFF");
    if (rc != RK_OK)
        return rc;
    st->unchecked = true;
    if ((rc = begin_immediate(st)) != RK_OK)
        foreign_keys_on(st);
    return rc;
}

int rk_store_commit(rk_store *st)
{
    /* Every change to an audited table is logged by an event: one that is not would make the
     * project fail verify, so it is refused here, where the code that forgot it is still on
     * the stack. */
    const char *table = NULL;
    if (store_state_dirty(&st->state, &table)) {
        rk_store_rollback(st);
        return rk_error_set(st->ctx, RK_EINTERNAL,
                            "%s: table %s was changed without an event in the audit log; "
                            "nothing was saved (a bug in reckon: please report it)",
                            st->path, table ? table : "?");
    }
    int rc = rk_store__exec(st, "COMMIT");
    if (rc != RK_OK) {
        rk_store_rollback(st);
        return rc;
    }
    st->in_txn = false;
    foreign_keys_on(st);
    return RK_OK;
}

void rk_store_rollback(rk_store *st)
{
    if (st && st->db && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    if (st) {
        st->in_txn = false;
        store_state_reset(&st->state);
        if (st->db)
            foreign_keys_on(st);
    }
}

static int open_db(rk_store **out, rk_ctx *ctx, const char *path, int sqlite_flags)
{
    *out = NULL;
    if (store_sqlite_setup() != RK_OK)
        return rk_error_set(ctx, RK_ESTORE, "could not set up SQLite");
    rk_store *st = rk_calloc(1, sizeof(*st));
    if (!st)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    st->ctx = ctx;
    st->path = rk_strdup(path);
    if (!st->path) {
        rk_free(st);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    st->readonly = (sqlite_flags & SQLITE_OPEN_READONLY) != 0;
    /* NOMUTEX: a store is used by one thread at a time (like its context), so SQLite need not
     * lock the connection on every call; import makes some thirty calls a record. */
    if (sqlite3_open_v2(path, &st->db, sqlite_flags | SQLITE_OPEN_NOMUTEX, store_vfs_name()) !=
        SQLITE_OK) {
        int rc = st->db ? rk_store__sqlerr(st, "cannot open the project")
                        : rk_error_set(ctx, RK_ENOMEM, "out of memory");
        rk_store_free(st);
        return rc;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    int rc = rk_store__exec(st, "PRAGMA foreign_keys = ON");
    if (rc == RK_OK && !st->readonly)
        rc = rk_store__exec(st, "PRAGMA journal_mode = WAL");
    if (rc == RK_OK)
        rc = rk_store__exec(st, "PRAGMA synchronous = NORMAL");
    if (rc == RK_OK)
        rc = rk_store__exec(st, CACHE_SIZE);
    if (rc == RK_OK && !st->readonly)
        rc = store_state_watch(st);
    if (rc != RK_OK) {
        rk_store_free(st);
        return rc;
    }
    *out = st;
    return RK_OK;
}

static int user_version(rk_store *st, int *out)
{
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare(&s, st, "PRAGMA user_version", "not a reckon project");
    if (rc != RK_OK)
        return rc;
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        return rk_store__sqlerr(st, "not a reckon project");
    }
    *out = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return RK_OK;
}

int rk_store_create(rk_store **out, rk_ctx *ctx, const char *path)
{
    RK_ASSERT_ARG(ctx, out && path);
    *out = NULL;
    /* O_EXCL: never overwrite anything; mode 0600 from the first byte. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return rk_error_set(ctx, RK_EEXISTS,
                                "%s: a file of that name exists already; choose another name "
                                "or remove it",
                                path);
        return rk_error_set(ctx, RK_EIO, "%s: cannot create the project: %s", path,
                            strerror(errno));
    }
    close(fd);
    rk_store *st = NULL;
    int rc = open_db(&st, ctx, path, SQLITE_OPEN_READWRITE);
    /* 16 KiB pages suit long text rows (the raw JSON and the standardized names of each
     * record, a few hundred bytes): a bulk import splits, writes, logs and checkpoints a
     * quarter of the pages that 4 KiB pages take, for the same bytes. Only settable while the
     * database is empty, and kept by WAL mode once written; projects made before keep theirs. */
    if (rc == RK_OK)
        rc = rk_store__exec(st, "PRAGMA journal_mode = DELETE");
    if (rc == RK_OK)
        rc = rk_store__exec(st, "PRAGMA page_size = 16384");
    if (rc == RK_OK)
        rc = rk_store__exec(st, "VACUUM");
    /* SQLite keeps the cache's page count computed for the old page size: sized again, so
     * that the cache holds 16 MiB and not 4096 pages of 16 KiB. */
    if (rc == RK_OK)
        rc = rk_store__exec(st, CACHE_SIZE);
    if (rc == RK_OK)
        rc = rk_store__exec(st, "PRAGMA journal_mode = WAL");
    if (rc == RK_OK)
        rc = rk_store_begin(st);
    if (rc == RK_OK)
        rc = store_migrate(st, 0);
    if (rc == RK_OK) {
        char payload[256];
        snprintf(payload, sizeof(payload), "{\"schema\":%d,\"reckon_version\":\"%s\"}",
                 rk_store_schema_version(), RK_VERSION);
        rc = rk_store_log_event(st, "init", payload, NULL);
    }
    if (rc == RK_OK)
        rc = rk_store_commit(st);
    if (rc != RK_OK) {
        rk_store_free(st);
        /* Nothing was there before: remove what we made. */
        unlink(path);
        char side[4096];
        snprintf(side, sizeof(side), "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof(side), "%s-shm", path);
        unlink(side);
        return rc;
    }
    *out = st;
    return RK_OK;
}

/* What a file must be before SQLite opens it as a project: a regular file, not empty (SQLite
 * takes an empty file for an empty database). Its bytes are SQLite's to read: a descriptor of
 * our own on the file, once closed, would drop the locks that this process's connections hold
 * on it (POSIX locks belong to the process), and the review app's other connections with
 * them. */
static int probe_file(rk_ctx *ctx, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return rk_error_set(ctx, RK_ENOTFOUND,
                                "%s: no such project; create it with 'reckon init %s'", path, path);
        return rk_error_set(ctx, RK_EIO, "%s: cannot read the project: %s", path, strerror(errno));
    }
    if (S_ISDIR(sb.st_mode))
        return rk_error_set(ctx, RK_EINPUT,
                            "%s: a directory, not a project; name the project file in it", path);
    if (!S_ISREG(sb.st_mode))
        return rk_error_set(ctx, RK_EINPUT,
                            "%s: not a regular file, so not a reckon project; name the project "
                            "file",
                            path);
    if (sb.st_size == 0)
        return rk_error_set(ctx, RK_EINPUT,
                            "%s: an empty file, not a reckon project; name the project file or "
                            "create one with 'reckon init'",
                            path);
    return RK_OK;
}

/* Whether an open SQLite file is a reckon project: a schema version and the tables every
 * version has. A foreign database is refused here, before anything is written to it. */
static int check_ours(rk_store *st, int *version)
{
    int rc = user_version(st, version);
    if (rc != RK_OK)
        return rc;
    sqlite3_stmt *s = NULL;
    rc = rk_store__prepare(&s, st,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                           "('meta', 'list', 'import', 'record', 'event')",
                           "not a reckon project");
    if (rc != RK_OK)
        return rc;
    int tables = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    if (tables < 0)
        rc = rk_store__sqlerr(st, "not a reckon project");
    sqlite3_finalize(s);
    if (rc == RK_OK && (*version == 0 || tables != 5))
        rc = rk_error_set(st->ctx, RK_EINPUT,
                          "%s: a SQLite database, but not a reckon project; name the project "
                          "file (reckon leaves this one as it is)",
                          st->path);
    return rc;
}

/* Writing needs the file and its folder (SQLite writes its WAL and shared memory beside the
 * file): checked before any work starts, so a command on a read-only project fails at once. */
static int probe_writable(rk_ctx *ctx, const char *path)
{
    if (access(path, W_OK) != 0)
        return rk_error_set(ctx, RK_EIO,
                            "%s: the project is read-only (%s); make it writable or work on a "
                            "copy",
                            path, strerror(errno));
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == path)
        snprintf(dir, sizeof(dir), "/");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    if (access(dir, W_OK | X_OK) != 0)
        return rk_error_set(ctx, RK_EIO,
                            "%s: the project's folder %s is read-only (%s), and reckon writes "
                            "its journal there; make it writable or work on a copy",
                            path, dir, strerror(errno));
    return RK_OK;
}

/* Refuses to migrate a project that does not verify: the migration would record its state. */
static int migrate_check(rk_store *st)
{
    rk_verify_report rep;
    int rc = rk_store_verify(&rep, st);
    if (rc == RK_OK && rep.first_bad)
        rc = rk_error_set(st->ctx, RK_EINPUT,
                          "%s: cannot upgrade the project: event %lld (%s) is bad: %s; it was "
                          "changed outside reckon (reckon verify says more)",
                          st->path, (long long)rep.first_bad, rep.kind, rep.reason);
    return rc;
}

int rk_store_open(rk_store **out, rk_ctx *ctx, const char *path, int flags)
{
    RK_ASSERT_ARG(ctx, out && path);
    *out = NULL;
    bool ro = (flags & RK_STORE_READONLY) != 0;
    int rc = probe_file(ctx, path);
    if (rc != RK_OK)
        return rc;
    /* Read-only first: nothing is written (not even the switch to WAL) until the file is known
     * to be a reckon project and, for writing, writable. */
    rk_store *st = NULL;
    rc = open_db(&st, ctx, path, SQLITE_OPEN_READONLY);
    int version = 0;
    if (rc == RK_OK)
        rc = check_ours(st, &version);
    if (rc == RK_OK && !ro) {
        rk_store_free(st);
        st = NULL;
        rc = probe_writable(ctx, path);
        if (rc == RK_OK)
            rc = open_db(&st, ctx, path, SQLITE_OPEN_READWRITE);
        if (rc == RK_OK)
            rc = user_version(st, &version);
    }
    if (rc != RK_OK) {
        rk_store_free(st);
        return rc;
    }
    if (rc == RK_OK && version > rk_store_schema_version())
        rc = rk_error_set(ctx, RK_EVERSION,
                          "%s: made by a newer reckon (schema %d; this reckon %s knows up to "
                          "%d); upgrade reckon to open it",
                          path, version, RK_VERSION, rk_store_schema_version());
    if (rc == RK_OK && version < rk_store_schema_version()) {
        if (ro) {
            rc = rk_error_set(ctx, RK_EVERSION,
                              "%s: made by an older reckon (schema %d); open it once for writing "
                              "to upgrade it",
                              path, version);
        } else {
            rc = rk_store_begin(st);
            /* A migration may change what a table's rows read as (a column added with a
             * default, a table rebuilt), so the migrate event reads every table again; first
             * the tables must be what the last event recorded, so that no edit is absorbed. */
            if (rc == RK_OK && version >= STORE_STATE_SCHEMA)
                rc = migrate_check(st);
            if (rc == RK_OK)
                rc = store_migrate(st, version);
            if (rc == RK_OK) {
                char payload[128];
                snprintf(payload, sizeof(payload), "{\"from\":%d,\"to\":%d}", version,
                         rk_store_schema_version());
                st->state.reread = true;
                rc = rk_store_log_event(st, "migrate", payload, NULL);
                st->state.reread = false;
            }
            if (rc == RK_OK)
                rc = rk_store_commit(st);
            else
                rk_store_rollback(st);
        }
    }
    if (rc != RK_OK) {
        rk_store_free(st);
        return rc;
    }
    *out = st;
    return RK_OK;
}

void rk_store_free(rk_store *st)
{
    if (!st)
        return;
    if (st->db) {
        rk_store_rollback(st);
        sqlite3_close_v2(st->db);
    }
    store_state_release(&st->state);
    rk_free(st->path);
    rk_free(st);
}
