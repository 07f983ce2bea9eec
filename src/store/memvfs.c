/* An SQLite VFS whose files live in memory, in chunks of 1 MiB: the destination of a backup's
 * snapshot (backup.c), so that the plain copy of a project never reaches disk and is not
 * bounded by the 2 GiB that SQLite allocates at once (its own memdb keeps one block). Each
 * open file is its own, gone when closed; nothing is shared or locked. */
#include "store_private.h"

#include <pthread.h>

#define CHUNK ((sqlite3_int64)1 << 20)

typedef struct mem_file {
    sqlite3_file base; /* must be first */
    unsigned char **chunks;
    size_t nchunks; /* allocated slots of chunks; a NULL slot reads as zeros */
    sqlite3_int64 size;
} mem_file;

static sqlite3_vfs *base_vfs;
static sqlite3_vfs mem_vfs;
static const sqlite3_io_methods mem_methods;
static int setup_rc = SQLITE_ERROR;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static int m_close(sqlite3_file *f)
{
    mem_file *m = (mem_file *)f;
    for (size_t i = 0; i < m->nchunks; i++)
        rk_free(m->chunks[i]);
    rk_free(m->chunks);
    m->chunks = NULL;
    m->nchunks = 0;
    m->size = 0;
    return SQLITE_OK;
}

static int m_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    mem_file *m = (mem_file *)f;
    unsigned char *out = buf;
    int rc = SQLITE_OK;
    if (off + n > m->size) {
        rc = SQLITE_IOERR_SHORT_READ; /* SQLite wants the rest zeroed */
        memset(buf, 0, (size_t)n);
        n = off >= m->size ? 0 : (int)(m->size - off);
    }
    while (n > 0) {
        size_t i = (size_t)(off / CHUNK), at = (size_t)(off % CHUNK);
        size_t take = RK_MIN((size_t)n, (size_t)CHUNK - at);
        if (i < m->nchunks && m->chunks[i])
            memcpy(out, m->chunks[i] + at, take);
        else
            memset(out, 0, take);
        out += take;
        off += (sqlite3_int64)take;
        n -= (int)take;
    }
    return rc;
}

static int m_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    mem_file *m = (mem_file *)f;
    const unsigned char *in = buf;
    if (n <= 0)
        return SQLITE_OK;
    size_t last = (size_t)((off + n - 1) / CHUNK);
    if (last >= m->nchunks) {
        size_t want = RK_MAX(last + 1, m->nchunks * 2);
        unsigned char **grown = rk_realloc(m->chunks, want * sizeof(*grown));
        if (!grown)
            return SQLITE_IOERR_NOMEM;
        memset(grown + m->nchunks, 0, (want - m->nchunks) * sizeof(*grown));
        m->chunks = grown;
        m->nchunks = want;
    }
    sqlite3_int64 end = off + n;
    while (n > 0) {
        size_t i = (size_t)(off / CHUNK), at = (size_t)(off % CHUNK);
        size_t take = RK_MIN((size_t)n, (size_t)CHUNK - at);
        if (!m->chunks[i] && !(m->chunks[i] = rk_calloc(1, (size_t)CHUNK)))
            return SQLITE_IOERR_NOMEM;
        memcpy(m->chunks[i] + at, in, take);
        in += take;
        off += (sqlite3_int64)take;
        n -= (int)take;
    }
    if (end > m->size)
        m->size = end;
    return SQLITE_OK;
}

static int m_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    mem_file *m = (mem_file *)f;
    if (size >= m->size)
        return SQLITE_OK;
    /* Chunks wholly past the end go; the tail of the last one is zeroed for a later growth. */
    size_t keep = (size_t)((size + CHUNK - 1) / CHUNK);
    for (size_t i = keep; i < m->nchunks; i++) {
        rk_free(m->chunks[i]);
        m->chunks[i] = NULL;
    }
    if (size % CHUNK && m->chunks[keep - 1])
        memset(m->chunks[keep - 1] + size % CHUNK, 0, (size_t)(CHUNK - size % CHUNK));
    m->size = size;
    return SQLITE_OK;
}

static int m_sync(sqlite3_file *f, int flags)
{
    (void)f;
    (void)flags;
    return SQLITE_OK;
}
static int m_size(sqlite3_file *f, sqlite3_int64 *out)
{
    *out = ((mem_file *)f)->size;
    return SQLITE_OK;
}
static int m_lock(sqlite3_file *f, int level)
{
    (void)f;
    (void)level;
    return SQLITE_OK;
}
static int m_check_lock(sqlite3_file *f, int *out)
{
    (void)f;
    *out = 0;
    return SQLITE_OK;
}
static int m_file_control(sqlite3_file *f, int op, void *arg)
{
    (void)f;
    (void)op;
    (void)arg;
    return SQLITE_NOTFOUND;
}
static int m_sector_size(sqlite3_file *f)
{
    (void)f;
    return 4096;
}
static int m_device_chars(sqlite3_file *f)
{
    (void)f;
    return SQLITE_IOCAP_ATOMIC | SQLITE_IOCAP_SAFE_APPEND | SQLITE_IOCAP_SEQUENTIAL |
           SQLITE_IOCAP_POWERSAFE_OVERWRITE;
}

static const sqlite3_io_methods mem_methods = {
    .iVersion = 1,
    .xClose = m_close,
    .xRead = m_read,
    .xWrite = m_write,
    .xTruncate = m_truncate,
    .xSync = m_sync,
    .xFileSize = m_size,
    .xLock = m_lock,
    .xUnlock = m_lock,
    .xCheckReservedLock = m_check_lock,
    .xFileControl = m_file_control,
    .xSectorSize = m_sector_size,
    .xDeviceCharacteristics = m_device_chars,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
    (void)vfs;
    (void)name;
    memset(file, 0, sizeof(mem_file));
    file->pMethods = &mem_methods;
    if (out_flags)
        *out_flags = flags;
    return SQLITE_OK;
}
static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    (void)name;
    (void)sync_dir;
    return SQLITE_OK;
}
/* No file exists before it is opened (a hot journal, a WAL): each open file is its own. */
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    (void)name;
    (void)flags;
    *out = 0;
    return SQLITE_OK;
}
static int v_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return snprintf(out, (size_t)n, "%s", name) < n ? SQLITE_OK : SQLITE_CANTOPEN;
}
static int v_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return base_vfs->xRandomness(base_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return base_vfs->xSleep(base_vfs, us);
}
static int v_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return base_vfs->xCurrentTime(base_vfs, out);
}

static void setup(void)
{
    base_vfs = sqlite3_vfs_find(NULL);
    if (!base_vfs)
        return;
    mem_vfs = (sqlite3_vfs){
        .iVersion = 1,
        .szOsFile = (int)sizeof(mem_file),
        .mxPathname = 512,
        .zName = "reckon-memory",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full_path,
        .xRandomness = v_randomness,
        .xSleep = v_sleep,
        .xCurrentTime = v_current_time,
    };
    setup_rc = sqlite3_vfs_register(&mem_vfs, 0);
}

int store_memvfs_setup(void)
{
    if (store_sqlite_setup() != RK_OK)
        return RK_ESTORE;
    pthread_once(&setup_once, setup);
    return setup_rc == SQLITE_OK ? RK_OK : RK_ESTORE;
}

const char *store_memvfs_name(void)
{
    return "reckon-memory";
}

int store_memvfs_each(sqlite3 *db, store_memvfs_fn fn, void *user, int64_t *size)
{
    sqlite3_file *f = NULL;
    *size = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        f->pMethods != &mem_methods)
        return RK_EINTERNAL;
    mem_file *m = (mem_file *)f;
    for (sqlite3_int64 off = 0; off < m->size; off += CHUNK) {
        size_t i = (size_t)(off / CHUNK), n = (size_t)RK_MIN(CHUNK, m->size - off);
        static const unsigned char zeros[4096];
        int rc = RK_OK;
        if (i < m->nchunks && m->chunks[i])
            rc = fn(user, m->chunks[i], n);
        else
            for (size_t at = 0; rc == RK_OK && at < n; at += sizeof(zeros))
                rc = fn(user, zeros, RK_MIN(sizeof(zeros), n - at));
        if (rc != RK_OK)
            return rc;
    }
    *size = m->size;
    return RK_OK;
}
