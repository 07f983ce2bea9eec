/* SQLite set-up shared by every project: SQLite allocates through rk_malloc, and files are
 * written through a thin VFS over the default one whose writes, truncations and syncs can be
 * made to fail by the test-only fault injection (rk_fault_arm), so tests can prove that a
 * failed write leaves the project as it was. */
#include "store_private.h"

#include <pthread.h>

static sqlite3_vfs *base_vfs;
static sqlite3_vfs fault_vfs;
static sqlite3_io_methods fault_methods_v1, fault_methods_v2, fault_methods_v3;
static int setup_rc = SQLITE_OK;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

typedef struct fault_file {
    sqlite3_file base;  /* must be first */
    sqlite3_file *real; /* the default VFS's file, allocated right after this struct */
} fault_file;

/* --- allocator: SQLite needs the size of a block, so each block carries it in front. --- */

static void *sq_malloc(int n)
{
    uint64_t *p = rk_malloc((size_t)n + 8);
    if (!p)
        return NULL;
    p[0] = (uint64_t)n;
    return p + 1;
}

static void sq_free(void *p)
{
    if (p)
        rk_free((uint64_t *)p - 1);
}

static void *sq_realloc(void *p, int n)
{
    uint64_t *q = rk_realloc(p ? (uint64_t *)p - 1 : NULL, (size_t)n + 8);
    if (!q)
        return NULL;
    q[0] = (uint64_t)n;
    return q + 1;
}

static int sq_size(void *p)
{
    return p ? (int)((uint64_t *)p)[-1] : 0;
}

static int sq_roundup(int n)
{
    return (n + 7) & ~7;
}

static int sq_init(void *app)
{
    (void)app;
    return SQLITE_OK;
}

static void sq_shutdown(void *app)
{
    (void)app;
}

/* --- the VFS shim --- */

#define REAL(f) (((fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
    return rc;
}
static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}
static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    if (rk_fault_hit(RK_FAULT_WRITE))
        return SQLITE_IOERR_WRITE;
    return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (rk_fault_hit(RK_FAULT_WRITE))
        return SQLITE_IOERR_TRUNCATE;
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
    if (rk_fault_hit(RK_FAULT_WRITE))
        return SQLITE_IOERR_FSYNC;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_check_lock(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_file_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_device_chars(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}
static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
    (void)vfs;
    fault_file *ff = (fault_file *)file;
    ff->real = (sqlite3_file *)(ff + 1);
    memset(ff->real, 0, (size_t)base_vfs->szOsFile);
    int rc = base_vfs->xOpen(base_vfs, name, ff->real, flags, out_flags);
    if (rc != SQLITE_OK || !ff->real->pMethods) {
        ff->base.pMethods = NULL;
        return rc;
    }
    int v = ff->real->pMethods->iVersion;
    ff->base.pMethods = v >= 3 ? &fault_methods_v3 : v == 2 ? &fault_methods_v2 : &fault_methods_v1;
    return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return base_vfs->xDelete(base_vfs, name, sync_dir);
}
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return base_vfs->xAccess(base_vfs, name, flags, out);
}
static int v_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return base_vfs->xFullPathname(base_vfs, name, n, out);
}
static void *v_dl_open(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return base_vfs->xDlOpen(base_vfs, name);
}
static void v_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    base_vfs->xDlError(base_vfs, n, msg);
}
static void (*v_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return base_vfs->xDlSym(base_vfs, h, sym);
}
static void v_dl_close(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    base_vfs->xDlClose(base_vfs, h);
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
static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return base_vfs->xGetLastError ? base_vfs->xGetLastError(base_vfs, n, out) : 0;
}
static int v_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

static void setup(void)
{
    static const sqlite3_mem_methods mem = {sq_malloc,  sq_free, sq_realloc,  sq_size,
                                            sq_roundup, sq_init, sq_shutdown, NULL};
    setup_rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &mem);
    /* SQLITE_MISUSE means SQLite was initialized already (another user in the process): then
     * it keeps its own allocator and only our VFS applies. */
    if (setup_rc == SQLITE_MISUSE)
        setup_rc = SQLITE_OK;
    /* No memory statistics (reckon reads none): without them SQLite takes no process-wide
     * lock on each allocation and free. */
    else if (setup_rc == SQLITE_OK)
        setup_rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (setup_rc != SQLITE_OK)
        return;
    setup_rc = sqlite3_initialize();
    if (setup_rc != SQLITE_OK)
        return;
    base_vfs = sqlite3_vfs_find(NULL);
    if (!base_vfs) {
        setup_rc = SQLITE_ERROR;
        return;
    }
    sqlite3_io_methods m = {
        1,
        f_close,
        f_read,
        f_write,
        f_truncate,
        f_sync,
        f_size,
        f_lock,
        f_unlock,
        f_check_lock,
        f_file_control,
        f_sector_size,
        f_device_chars,
        f_shm_map,
        f_shm_lock,
        f_shm_barrier,
        f_shm_unmap,
        f_fetch,
        f_unfetch,
    };
    fault_methods_v1 = m;
    fault_methods_v1.xShmMap = NULL;
    fault_methods_v1.xShmLock = NULL;
    fault_methods_v1.xShmBarrier = NULL;
    fault_methods_v1.xShmUnmap = NULL;
    fault_methods_v1.xFetch = NULL;
    fault_methods_v1.xUnfetch = NULL;
    fault_methods_v2 = m;
    fault_methods_v2.iVersion = 2;
    fault_methods_v2.xFetch = NULL;
    fault_methods_v2.xUnfetch = NULL;
    fault_methods_v3 = m;
    fault_methods_v3.iVersion = 3;
    fault_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(fault_file) + base_vfs->szOsFile,
        .mxPathname = base_vfs->mxPathname,
        .zName = "reckon",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full_path,
        .xDlOpen = v_dl_open,
        .xDlError = v_dl_error,
        .xDlSym = v_dl_sym,
        .xDlClose = v_dl_close,
        .xRandomness = v_randomness,
        .xSleep = v_sleep,
        .xCurrentTime = v_current_time,
        .xGetLastError = v_last_error,
        .xCurrentTimeInt64 = v_current_time64,
    };
    setup_rc = sqlite3_vfs_register(&fault_vfs, 0);
}

int store_sqlite_setup(void)
{
    pthread_once(&setup_once, setup);
    return setup_rc == SQLITE_OK ? RK_OK : RK_ESTORE;
}

const char *store_vfs_name(void)
{
    return "reckon";
}
