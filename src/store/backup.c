/* Encrypted copies of a project: `reckon backup` takes a consistent snapshot with SQLite's
 * online backup API into memory and writes it through crypt's encrypted stream; `reckon
 * restore` decrypts into a temporary file beside the target, verifies the audit chain there and
 * only then links it into place. The plain snapshot never reaches disk during a backup. */
#include "store_private.h"
#include "crypt/crypt_internal.h"

#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a backup file starts with. */
static const char backup_magic[8] = {'R', 'K', 'B', 'A', 'C', 'K', 'U', 'P'};
/* A busy source (a writer checkpointing) is tried again, every 50 ms for up to 10 s. */
#define BACKUP_BUSY_TRIES 200

/* Makes the rename or link of a file in path's folder durable. */
static void sync_dir(const char *path)
{
    char *copy = rk_strdup(path);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    rk_free(copy);
}

/* A temporary file of mode 0600 beside path: "<path>.tmp-XXXXXX", its name in *tmp. */
static int temp_beside(int *fd, char **tmp, rk_ctx *ctx, const char *path)
{
    *fd = -1;
    size_t n = strlen(path) + 16;
    *tmp = rk_malloc(n);
    if (!*tmp)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    snprintf(*tmp, n, "%s.tmp-XXXXXX", path);
    *fd = mkstemp(*tmp); /* mode 0600 */
    if (*fd < 0) {
        int rc = rk_error_set(ctx, RK_EIO, "%s: cannot write beside it: %s", path, strerror(errno));
        rk_free(*tmp);
        *tmp = NULL;
        return rc;
    }
    return RK_OK;
}

/* The snapshot: the whole project copied by the backup API into a database on memvfs.c, in one
 * step, so that it is one read transaction of the source: consistent however others write. */
static int snapshot(sqlite3 **out, rk_store *st)
{
    *out = NULL;
    sqlite3 *mem = NULL;
    sqlite3_backup *b = NULL;
    int rc = RK_OK;
    if (store_memvfs_setup() != RK_OK) {
        rc = rk_error_set(st->ctx, RK_ESTORE, "could not set up SQLite's memory for a snapshot");
        goto cleanup;
    }
    if (sqlite3_open_v2("snapshot", &mem,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        store_memvfs_name()) != SQLITE_OK ||
        sqlite3_exec(mem, "PRAGMA journal_mode = OFF", NULL, NULL, NULL) != SQLITE_OK) {
        rc = rk_error_set(st->ctx, RK_ENOMEM, "%s: cannot open memory for the snapshot: %s",
                          st->path, mem ? sqlite3_errmsg(mem) : "out of memory");
        goto cleanup;
    }
    b = sqlite3_backup_init(mem, "main", st->db, "main");
    if (!b) {
        rc = rk_error_set(st->ctx, RK_ESTORE, "%s: cannot start the snapshot: %s", st->path,
                          sqlite3_errmsg(mem));
        goto cleanup;
    }
    int step = SQLITE_OK;
    for (int tries = 0; tries < BACKUP_BUSY_TRIES; tries++) {
        step = sqlite3_backup_step(b, -1);
        if (step != SQLITE_BUSY && step != SQLITE_LOCKED)
            break;
        sqlite3_sleep(50);
    }
    sqlite3_backup_finish(b);
    b = NULL;
    if (step == SQLITE_BUSY || step == SQLITE_LOCKED)
        rc = rk_error_set(st->ctx, RK_ECONFLICT,
                          "%s: the project stayed locked for 10 s; try the backup again", st->path);
    else if (step == SQLITE_NOMEM || step == SQLITE_FULL || step == SQLITE_IOERR_NOMEM)
        rc = rk_error_set(st->ctx, RK_ENOMEM,
                          "%s: the snapshot does not fit in memory (a backup holds the whole "
                          "project in memory)",
                          st->path);
    else if (step != SQLITE_DONE)
        rc = rk_error_set(st->ctx, RK_ESTORE, "%s: the snapshot failed: %s", st->path,
                          sqlite3_errstr(step));
cleanup:
    if (b)
        sqlite3_backup_finish(b);
    if (rc != RK_OK) {
        sqlite3_close(mem);
        return rc;
    }
    *out = mem;
    return RK_OK;
}

/* Refuses a backup written over the project itself. */
static int check_not_project(rk_store *st, const char *path)
{
    struct stat a, b;
    if (stat(path, &a) == 0 && stat(st->path, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)
        return rk_error_set(st->ctx, RK_EINPUT,
                            "%s: is the project itself; write the backup to another file", path);
    return RK_OK;
}

static int put_piece(void *user, const void *data, size_t n)
{
    return rk_crypt__writer_put(user, data, n);
}

int rk_store_backup(rk_backup_report *out, rk_store *st, const char *path, const char *pass,
                    size_t passlen, rk_crypt_cost cost)
{
    RK_ASSERT_ARG(st ? st->ctx : NULL, out && st && path && pass);
    memset(out, 0, sizeof(*out));
    rk_ctx *ctx = st->ctx;
    sqlite3 *mem = NULL;
    rk_crypt_writer *w = NULL;
    char *tmp = NULL;
    int fd = -1;
    int rc = check_not_project(st, path);
    if (rc == RK_OK)
        rc = snapshot(&mem, st);
    if (rc == RK_OK)
        rc = temp_beside(&fd, &tmp, ctx, path);
    if (rc == RK_OK)
        rc = rk_crypt__writer_open(&w, ctx, fd, path, backup_magic, pass, passlen, cost);
    int64_t size = 0;
    if (rc == RK_OK) {
        rc = store_memvfs_each(mem, put_piece, w, &size);
        if (rc == RK_EINTERNAL)
            rc = rk_error_set(ctx, rc, "%s: the snapshot is not in memory", st->path);
    }
    if (rc == RK_OK)
        rc = rk_crypt__writer_finish(w);
    if (rc == RK_OK && fsync(fd) != 0)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
    struct stat sb;
    if (rc == RK_OK && fstat(fd, &sb) == 0)
        out->file_bytes = (int64_t)sb.st_size;
    if (fd >= 0 && close(fd) != 0 && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
    fd = -1;
    if (rc == RK_OK && rename(tmp, path) != 0)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
    if (rc == RK_OK) {
        sync_dir(path);
        out->bytes = (int64_t)size;
    }
    if (tmp && rc != RK_OK)
        unlink(tmp);
    rk_free(tmp);
    rk_crypt__writer_free(w);
    sqlite3_close(mem);
    return rc;
}

/* SQLite's files beside a database: removed with a temporary project that is not kept. */
static void unlink_with_sides(const char *path)
{
    static const char *const sides[] = {"-wal", "-shm", "-journal"};
    unlink(path);
    for (size_t i = 0; i < RK_ARRAY_LEN(sides); i++) {
        char side[4096];
        if ((size_t)snprintf(side, sizeof(side), "%s%s", path, sides[i]) < sizeof(side))
            unlink(side);
    }
}

/* Decrypts the backup from in_fd into out_fd, checking that it holds an SQLite database. */
static int decrypt_into(rk_ctx *ctx, int in_fd, int out_fd, const char *backup, const char *tmp,
                        const char *pass, size_t passlen)
{
    rk_crypt_reader *r = NULL;
    int rc = rk_crypt__reader_open(&r, ctx, in_fd, backup, backup_magic, pass, passlen);
    bool done = false, first = true;
    while (rc == RK_OK && !done) {
        const unsigned char *data = NULL;
        size_t n = 0;
        rc = rk_crypt__reader_next(r, &data, &n, &done);
        if (rc == RK_OK && first && (n < 16 || memcmp(data, "SQLite format 3", 16) != 0))
            rc = rk_error_set(ctx, RK_EINPUT, "%s: decrypts, but holds no reckon project", backup);
        first = false;
        for (size_t off = 0; rc == RK_OK && off < n;) {
            ssize_t wr = write(out_fd, data + off, n - off);
            if (wr < 0 && errno == EINTR)
                continue;
            if (wr <= 0)
                rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", tmp,
                                  wr < 0 ? strerror(errno) : "no space written");
            else
                off += (size_t)wr;
        }
    }
    if (rc == RK_OK && fsync(out_fd) != 0)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", tmp, strerror(errno));
    rk_crypt__reader_free(r);
    return rc;
}

int rk_store_restore(rk_verify_report *out, rk_ctx *ctx, const char *backup, const char *path,
                     const char *pass, size_t passlen)
{
    RK_ASSERT_ARG(ctx, out && backup && path && pass);
    memset(out, 0, sizeof(*out));
    char *tmp = NULL;
    int in_fd = -1, out_fd = -1;
    rk_store *st = NULL;
    int rc = RK_OK;
    struct stat sb;
    if (lstat(path, &sb) == 0) {
        rc = rk_error_set(ctx, RK_EEXISTS,
                          "%s: a file of that name exists already; restore to a new name", path);
        goto cleanup;
    }
    in_fd = open(backup, O_RDONLY | O_CLOEXEC);
    if (in_fd < 0) {
        rc = rk_error_set(ctx, errno == ENOENT ? RK_ENOTFOUND : RK_EIO, "%s: cannot read: %s",
                          backup, strerror(errno));
        goto cleanup;
    }
    rc = temp_beside(&out_fd, &tmp, ctx, path);
    if (rc == RK_OK)
        rc = decrypt_into(ctx, in_fd, out_fd, backup, tmp, pass, passlen);
    if (out_fd >= 0 && close(out_fd) != 0 && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", tmp, strerror(errno));
    out_fd = -1;
    if (rc == RK_OK)
        rc = rk_store_open(&st, ctx, tmp, RK_STORE_READWRITE);
    if (rc == RK_OK)
        rc = rk_store_verify(out, st);
    if (rc == RK_OK && out->first_bad)
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: decrypts, but its audit chain is broken at event %lld (%s); "
                          "nothing was restored",
                          backup, (long long)out->first_bad, out->reason);
    /* Closing checkpoints the log into the file and removes the -wal and -shm files. */
    rk_store_free(st);
    st = NULL;
    /* link, unlike rename, never replaces a file that appeared meanwhile. */
    if (rc == RK_OK && link(tmp, path) != 0)
        rc =
            rk_error_set(ctx, errno == EEXIST ? RK_EEXISTS : RK_EIO,
                         "%s: cannot put the restored project in place: %s", path, strerror(errno));
    if (rc == RK_OK)
        sync_dir(path);
cleanup:
    if (in_fd >= 0)
        close(in_fd);
    if (out_fd >= 0)
        close(out_fd);
    if (tmp)
        unlink_with_sides(tmp);
    rk_free(tmp);
    return rc;
}
