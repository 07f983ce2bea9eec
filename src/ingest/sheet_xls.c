/* The legacy .xls reader (BIFF in an OLE2 compound file) through Debian's libfreexl, which
 * reads the whole workbook into memory (an .xls holds at most 65,536 rows): the chosen sheet's
 * cells row by row, texts as they are, numbers as their shortest exact text, and cells that
 * freexl types as dates as ISO dates. Rows have no byte place in the file (offset 0). Errors
 * name the freexl call that failed and its code.
 *
 * libfreexl runs in a child process. Fuzzing found damaged workbooks on which freexl_open
 * reads past a buffer or crashes (docs/import.md): in a child, such a workbook is refused with
 * a sentence instead of taking reckon down, and reckon's own memory (the project's other lists)
 * is out of the overread's reach. The child opens the workbook, chooses the sheet and writes
 * its rows into a pipe; the parent reads them as the import asks for rows. Messages on the
 * pipe, each a tag byte and its fields in the host's byte order:
 *   'S' u64 rows, u32 n, n bytes: the sheet chosen, its rows and its name;
 *   'R' i64 number, u32 cells, then per cell u8 date, u32 n, n bytes: a row (empty cells too);
 *   'E' an rk_error: what the child refused, as the parent would have said it;
 *   'Z' the end of the sheet.
 * ingest_sheet_xls_inline runs both halves in one process, the messages in memory between
 * them, for the xls fuzz harness alone (sheet.h says why). */
#include "sheet.h"

#include <errno.h>
#include <freexl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The most rows and columns of a sheet in the .xls formats (BIFF8; BIFF5 holds fewer). */
#define XLS_MAX_ROWS 65536u
#define XLS_MAX_COLS 256u

/* ---- In the child: the compound file's header, before libfreexl reads it ---- */

/* Sector numbers in the compound file's tables that name no sector. */
#define CFB_FREE 0xFFFFFFFFu
#define CFB_END  0xFFFFFFFEu

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int cfb_damaged(ingest_sheet *sh, const char *what, uint64_t n, uint64_t sectors)
{
    return sheet_fail(sh, RK_EINPUT,
                      "this .xls workbook cannot be read: its compound file header %s: "
                      "%" PRIu64 " where the file has %" PRIu64 " sectors; it is damaged: open "
                      "and save it again in a spreadsheet program, or save it as .xlsx, .ods or "
                      "CSV",
                      what, n, sectors);
}

/* libfreexl 1.0.6 builds its table of sectors (the FAT) from the FAT sectors the header lists:
 * 109 in the header, then the DIFAT chain, followed for as many blocks as the header claims,
 * one allocation of 16 bytes per entry of each FAT sector read. It trusts every number: a
 * sector's place, (n + 1) times the sector size, is reckoned in 32 bits, so a number past the
 * file wraps to a place inside it, and a DIFAT chain that loops is read again and again.
 * Fuzzing found a 10 KB workbook whose header claims 352,321,536 DIFAT sectors, the first of
 * which lists 127 FAT sectors (all wrapping to the header) and names itself as the next: a
 * plain `reckon import` grew to 22.7 GB in 63 s, when the kernel killed it. So the header is
 * read here first, as libfreexl would follow it: every sector it would read must lie within
 * the file, and a file lists no more FAT sectors than it has sectors. A file that is no
 * compound file, or cannot be read, is left to freexl_open to refuse. */
static int cfb_check(ingest_sheet *sh)
{
    unsigned char head[512];
    unsigned char *block = NULL;
    int rc = RK_OK;
    FILE *f = fopen(sh->path, "rb");
    if (!f)
        return RK_OK;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || fread(head, 1, sizeof(head), f) != sizeof(head) ||
        memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) != 0)
        goto cleanup;
    unsigned shift = head[0x1E] | (unsigned)head[0x1F] << 8;
    if (shift != 9 && shift != 12) /* freexl_open refuses other sizes */
        goto cleanup;
    size_t size = (size_t)1 << shift;
    /* Sector n is the file's bytes from (n + 1) * size: the header takes the first. */
    uint64_t sectors = (uint64_t)st.st_size > size ? ((uint64_t)st.st_size - size) / size : 0;
    uint64_t fats = 0;
    for (size_t i = 0; i < 109; i++) {
        uint32_t n = le32(head + 0x4C + 4 * i);
        if (n == CFB_FREE)
            continue;
        if (n >= sectors) {
            rc = cfb_damaged(sh, "lists a FAT sector past the end of the file", n, sectors);
            goto cleanup;
        }
        fats++;
    }
    uint32_t blocks = le32(head + 0x48), next = le32(head + 0x44);
    if (blocks > sectors) {
        rc = cfb_damaged(sh, "claims more DIFAT sectors than the file has", blocks, sectors);
        goto cleanup;
    }
    if (blocks > 0 && !(block = rk_malloc(size))) {
        rc = rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (uint32_t b = 0; b < blocks; b++) {
        if (next >= sectors) {
            rc =
                cfb_damaged(sh, "chains to a DIFAT sector past the end of the file", next, sectors);
            goto cleanup;
        }
        if (fseeko(f, (off_t)((next + 1) * (uint64_t)size), SEEK_SET) != 0 ||
            fread(block, 1, size, f) != size)
            goto cleanup;
        bool end = false;
        for (size_t i = 0; i < size / 4 && !end; i++) {
            uint32_t n = le32(block + 4 * i);
            if (n == CFB_END)
                end = true; /* as libfreexl reads it: the end, wherever it stands */
            else if (i == size / 4 - 1)
                next = n;
            else if (n != CFB_FREE && n >= sectors) {
                rc = cfb_damaged(sh, "lists a FAT sector past the end of the file", n, sectors);
                goto cleanup;
            } else if (n != CFB_FREE && ++fats > sectors) {
                rc = cfb_damaged(sh,
                                 "lists more FAT sectors than the file has (its DIFAT chain "
                                 "loops)",
                                 fats, sectors);
                goto cleanup;
            }
        }
        if (end)
            break;
    }
cleanup:
    rk_free(block);
    fclose(f);
    return rc;
}

/* ---- In the child: libfreexl ---- */

/* The memory the child may take beyond what it holds when forked: 2 GiB and 8 bytes for each
 * byte of the file. libfreexl reads the whole workbook at freexl_open: 16 bytes a cell for every
 * sheet's rows times columns, whatever the cells hold (a sheet may claim 65,536 x 256 from a
 * few bytes: 256 MiB), and its own copy of each text. The largest sheet an .xls holds, 65,536 x
 * 256 text cells each in its own LABEL record of 15 characters (a 473 MB file), needs between
 * 2.5 and 3 GB of address space in libfreexl 1.0.6 (measured with `ulimit -v`), under the 5.9
 * GB allowed it here; shared strings cost less (a 256 MB file of a million distinct ones and
 * 16.7 million cells: 0.44 GB). Without a cap a damaged workbook takes all the machine has
 * (the DIFAT loop above, or sheets that each claim 65,536 x 256 cells). Past the cap malloc
 * fails: libfreexl answers FREEXL_INSUFFICIENT_MEMORY, or crashes on the NULL it did not check,
 * and either way the workbook is refused. Under AddressSanitizer, whose shadow memory takes
 * terabytes of address space, there is no cap. */
#define XLS_MEMORY_BASE     ((uint64_t)2 << 30)
#define XLS_MEMORY_PER_BYTE 8u

#if defined(__SANITIZE_ADDRESS__)
#define XLS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XLS_SANITIZED 1
#endif
#endif

/* The child's allowance for the file at `path`: 0 when it cannot be said. */
static uint64_t xls_memory_allowed(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || st.st_size < 0)
        return 0;
    return XLS_MEMORY_BASE + XLS_MEMORY_PER_BYTE * (uint64_t)st.st_size;
}

/* Caps the child's address space at what it holds now (/proc/self/statm's first field, in
 * pages) and its allowance; no cap when either cannot be read. */
static void xls_cap_memory(const char *path)
{
#ifndef XLS_SANITIZED
    uint64_t allowed = xls_memory_allowed(path);
    FILE *f = fopen("/proc/self/statm", "r");
    char line[128];
    bool ok = f && fgets(line, sizeof(line), f);
    if (f)
        fclose(f);
    char *end = NULL;
    unsigned long long pages = ok ? strtoull(line, &end, 10) : 0;
    long page = sysconf(_SC_PAGESIZE);
    if (!ok || end == line || page <= 0 || allowed == 0)
        return;
    uint64_t held = (uint64_t)pages * (uint64_t)page;
    struct rlimit lim;
    if (getrlimit(RLIMIT_AS, &lim) != 0)
        return;
    rlim_t cap = (rlim_t)(held + allowed);
    if (lim.rlim_max != RLIM_INFINITY && cap > lim.rlim_max)
        cap = lim.rlim_max;
    if (lim.rlim_cur == RLIM_INFINITY || cap < lim.rlim_cur) {
        lim.rlim_cur = cap;
        setrlimit(RLIMIT_AS, &lim);
    }
#else
    (void)path;
#endif
}

/* The processor time the child may take: a minute, and a second for each mebibyte of the file.
 * The largest sheet an .xls holds (473 MB) takes its reader 8 s; a workbook whose records send
 * libfreexl round a loop that allocates nothing would otherwise hold the import forever. Past
 * the soft limit the kernel ends the child with SIGXCPU (SIGKILL five seconds later), which the
 * parent names (reader_stopped). */
#ifndef XLS_SECONDS_BASE
#define XLS_SECONDS_BASE 60u
#endif
#define XLS_SECONDS_PER_MIB 1u

/* The child's processor seconds for the file at `path`: 0 when it cannot be said. */
static uint64_t xls_seconds_allowed(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || st.st_size < 0)
        return 0;
    return XLS_SECONDS_BASE + XLS_SECONDS_PER_MIB * ((uint64_t)st.st_size >> 20);
}

/* The processor seconds the child may take: its allowance, or a lower cap reckon was started
 * under (`ulimit -t`), which the child inherits and keeps (*inherited then true); 0 when
 * neither can be said. */
static uint64_t xls_seconds_cap(const char *path, bool *inherited)
{
    uint64_t allowed = xls_seconds_allowed(path);
    struct rlimit lim;
    *inherited = false;
    if (getrlimit(RLIMIT_CPU, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
        (allowed == 0 || (uint64_t)lim.rlim_cur < allowed)) {
        *inherited = true;
        return (uint64_t)lim.rlim_cur;
    }
    return allowed;
}

/* Caps the child's processor time (RLIMIT_CPU) at its allowance, below any cap it inherited. */
static void xls_cap_time(const char *path)
{
    bool inherited;
    uint64_t cap = xls_seconds_cap(path, &inherited);
    struct rlimit lim;
    if (cap > 0 && !inherited && getrlimit(RLIMIT_CPU, &lim) == 0) {
        lim.rlim_cur = (rlim_t)cap;
        if (lim.rlim_max == RLIM_INFINITY || lim.rlim_max > lim.rlim_cur + 5)
            lim.rlim_max = lim.rlim_cur + 5;
        setrlimit(RLIMIT_CPU, &lim);
    }
    signal(SIGXCPU, SIG_DFL);
}

/* Whether the child's address space came within 512 MiB of its cap (a sheet's cells are one
 * request of up to 256 MiB, which fails unmapped): libfreexl 1.0.6 may lose its
 * FREEXL_INSUFFICIENT_MEMORY and answer OK without a workbook. */
static bool xls_near_cap(void)
{
    struct rlimit lim;
    if (getrlimit(RLIMIT_AS, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY)
        return false;
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long long peak = 0; /* kB */
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, "VmPeak:", 7) == 0)
            peak = strtoull(line + 7, NULL, 10);
    if (f)
        fclose(f);
    return (uint64_t)peak * 1024 + ((uint64_t)512 << 20) >= (uint64_t)lim.rlim_cur;
}

/* The child ran out of memory: within its cap, or of the machine's. */
static int xls_out_of_memory(ingest_sheet *sh, const char *what)
{
    return sheet_fail(sh, RK_EINPUT,
                      "this .xls workbook cannot be read: its reader ran out of memory (%s; "
                      "reckon allows it %" PRIu64 " MiB for this file, enough for the largest "
                      "sheet an .xls holds); it is likely damaged: open and save it again in a "
                      "spreadsheet program, or save it as .xlsx, .ods or CSV",
                      what, xls_memory_allowed(sh->path) >> 20);
}

typedef struct freexl_sheet {
    const void *h;
    unsigned rows;
    unsigned short cols;
    unsigned next; /* the next row to read, 0-based */
} freexl_sheet;

static int freexl_sheet_open(ingest_sheet *sh, freexl_sheet *x)
{
    int rc = cfb_check(sh);
    if (rc != RK_OK)
        return rc;
    int ret = freexl_open(sh->path, &x->h);
    /* freexl 1.0.6 answers OK without a handle when a record of the workbook fails its checks
     * (its parser's error is lost): among them a text cell of zero characters, which SheetJS
     * writes for each empty string. A workbook whose stream fits the compound file's mini
     * stream (under 4 KiB, as SheetJS writes small ones) fails with FREEXL_INVALID_MINI_STREAM.
     * Either way freexl names no sheet and no cell. */
    if (ret == FREEXL_OK && !x->h && xls_near_cap())
        return xls_out_of_memory(sh, "freexl_open gave no workbook at its cap");
    if (ret == FREEXL_OK && !x->h)
        return sheet_fail(sh, RK_EINPUT,
                          "this .xls workbook cannot be read: libfreexl's freexl_open refused "
                          "one of its records without saying which (it refuses, for one, a text "
                          "cell of zero characters, as SheetJS writes for empty strings); open "
                          "and save it again in a spreadsheet program, or save it as .xlsx, "
                          ".ods or CSV");
    if (ret == FREEXL_INVALID_MINI_STREAM)
        return sheet_fail(sh, RK_EINPUT,
                          "this .xls workbook cannot be read: libfreexl's freexl_open does not "
                          "read its mini stream (a workbook under 4 KiB, as SheetJS writes "
                          "small ones); open and save it again in a spreadsheet program, or "
                          "save it as .xlsx, .ods or CSV");
    if (ret == FREEXL_INSUFFICIENT_MEMORY)
        return xls_out_of_memory(sh, "freexl_open error -4");
    if (ret != FREEXL_OK)
        return sheet_fail(sh, RK_EINPUT,
                          "this .xls workbook cannot be read (freexl_open error %d): it is "
                          "damaged, truncated or encrypted; save it again, or export the list "
                          "as CSV",
                          ret);
    unsigned count = 0;
    if ((ret = freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &count)) != FREEXL_OK)
        return sheet_fail(sh, RK_EINPUT,
                          "the workbook's sheets cannot be read (freexl_get_info error %d); it "
                          "is damaged",
                          ret);
    const char **names = rk_calloc(count ? count : 1, sizeof(char *));
    if (!names)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    for (unsigned i = 0; i < count && rc == RK_OK; i++)
        if (freexl_get_worksheet_name(x->h, (unsigned short)i, &names[i]) != FREEXL_OK || !names[i])
            rc = sheet_fail(sh, RK_EINPUT, "sheet %u has no name; the workbook is damaged", i + 1);
    int chosen = rc == RK_OK ? sheet_choose(sh, names, count) : -1;
    if (rc == RK_OK && chosen < 0)
        rc = RK_EINPUT;
    if (rc == RK_OK && !(sh->name = rk_strdup(names[chosen])))
        rc = rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    rk_free(names);
    if (rc != RK_OK)
        return rc;
    const char *call = "freexl_select_active_worksheet";
    ret = freexl_select_active_worksheet(x->h, (unsigned short)chosen);
    if (ret == FREEXL_OK) {
        call = "freexl_worksheet_dimensions";
        ret = freexl_worksheet_dimensions(x->h, &x->rows, &x->cols);
    }
    if (ret != FREEXL_OK)
        return sheet_fail(sh, RK_EINPUT,
                          "sheet '%s' cannot be read (%s error %d); the workbook is damaged",
                          sh->name, call, ret);
    /* A damaged workbook may claim billions of rows, each of which would be read in turn
     * (fuzzing found one that kept the reader busy for minutes). */
    if (x->rows > XLS_MAX_ROWS || x->cols > XLS_MAX_COLS)
        return sheet_fail(sh, RK_EINPUT,
                          "sheet '%s' claims %u rows and %u columns, more than an .xls sheet "
                          "holds (%u and %u); the workbook is damaged: open and save it again "
                          "in a spreadsheet program, or save it as .xlsx, .ods or CSV",
                          sh->name, x->rows, (unsigned)x->cols, XLS_MAX_ROWS, XLS_MAX_COLS);
    sh->extent = x->rows;
    return RK_OK;
}

static int put_value(ingest_sheet *sh, size_t col, const FreeXL_CellValue *v)
{
    char num[32];
    switch (v->type) {
    case FREEXL_CELL_INT:
        snprintf(num, sizeof(num), "%d", v->value.int_value);
        return sheet_row_put(sh, col, num, strlen(num), false);
    case FREEXL_CELL_DOUBLE:
        sheet_number_text(num, v->value.double_value);
        return sheet_row_put(sh, col, num, strlen(num), false);
    case FREEXL_CELL_DATE:     /* YYYY-MM-DD */
    case FREEXL_CELL_DATETIME: /* YYYY-MM-DD HH:MM:SS: the time is dropped */
        return sheet_row_put(sh, col, v->value.text_value, strnlen(v->value.text_value, 10), true);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_TIME:
        return sheet_row_put(sh, col, v->value.text_value, strlen(v->value.text_value), false);
    default:
        return RK_OK;
    }
}

static int freexl_sheet_next(ingest_sheet *sh, freexl_sheet *x)
{
    while (x->next < x->rows) {
        unsigned r = x->next++;
        sheet_row_reset(&sh->row, (long)r + 1);
        for (unsigned short c = 0; c < x->cols; c++) {
            FreeXL_CellValue v;
            int ret = freexl_get_cell_value(x->h, r, c, &v);
            if (ret != FREEXL_OK)
                return sheet_fail_at(sh, RK_EINPUT, c,
                                     "the cell cannot be read (freexl_get_cell_value error %d); "
                                     "the workbook is damaged",
                                     ret);
            int rc = put_value(sh, c, &v);
            if (rc != RK_OK)
                return rc;
        }
        if (sh->row.ncells > 0)
            return 1;
    }
    return 0;
}

/* Writes n bytes to the pipe; false when the parent has gone. */
static bool put(FILE *out, const void *p, size_t n)
{
    return fwrite(p, 1, n, out) == n;
}

static bool put_row(FILE *out, const sheet_row *row)
{
    int64_t number = row->number;
    uint32_t cells = (uint32_t)row->ncells;
    bool ok =
        put(out, "R", 1) && put(out, &number, sizeof(number)) && put(out, &cells, sizeof(cells));
    for (size_t c = 0; c < row->ncells && ok; c++) {
        const sheet_cell *cell = &row->cells[c];
        uint8_t date = cell->date;
        uint32_t n = (uint32_t)cell->len;
        ok = put(out, &date, 1) && put(out, &n, sizeof(n)) &&
             put(out, row->text.data + cell->start, cell->len);
    }
    return ok;
}

/* libfreexl's half: opens the workbook, chooses the sheet and writes its messages to `out`;
 * false when `out` refused a write. */
static bool xls_write(ingest_sheet *sh, FILE *out)
{
    freexl_sheet x = {0};
    int rc = freexl_sheet_open(sh, &x);
    bool ok = true;
    if (rc == RK_OK) {
        uint64_t rows = x.rows;
        uint32_t n = (uint32_t)strlen(sh->name);
        ok = put(out, "S", 1) && put(out, &rows, sizeof(rows)) && put(out, &n, sizeof(n)) &&
             put(out, sh->name, n);
        while (ok && (rc = freexl_sheet_next(sh, &x)) == 1)
            ok = put_row(out, &sh->row);
    }
    if (ok && rc >= 0)
        ok = put(out, "Z", 1);
    else if (ok)
        ok = put(out, "E", 1) && put(out, &sh->ctx->err, sizeof(sh->ctx->err));
    if (x.h)
        freexl_close(x.h);
    return ok && fflush(out) == 0;
}

/* The child's whole life: never returns. Crash signals get their default action, so that a
 * crash in libfreexl ends the child by that signal (and not in a handler of the parent's, such
 * as a sanitizer's), which the parent names. Its memory and processor time are capped first
 * (xls_cap_memory, xls_cap_time). */
static void xls_child(ingest_sheet *sh, int fd)
{
    const int crashes[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < RK_ARRAY_LEN(crashes); i++)
        signal(crashes[i], SIG_DFL);
    xls_cap_memory(sh->path);
    xls_cap_time(sh->path);
    FILE *out = fdopen(fd, "w");
    _exit(out && xls_write(sh, out) ? 0 : 3);
}

/* ---- In the parent: the rows from the pipe ---- */

typedef struct xls {
    pid_t child;   /* 0 once reaped, or with no child (ingest_sheet_xls_inline) */
    FILE *in;      /* the pipe's read end, or the messages in memory */
    char *written; /* ingest_sheet_xls_inline: the messages, as xls_write wrote them */
    char *cell;    /* one cell's text as read */
    size_t cap;
} xls;

static bool get(xls *x, void *p, size_t n)
{
    return fread(p, 1, n, x->in) == n;
}

/* The child stopped without a last message: it crashed (or was killed). */
static int reader_stopped(ingest_sheet *sh, xls *x)
{
    int status = 0;
    struct rusage used;
    memset(&used, 0, sizeof(used));
    if (x->child > 0) {
        fclose(x->in);
        x->in = NULL;
        while (wait4(x->child, &status, 0, &used) < 0 && errno == EINTR)
            ;
        x->child = 0;
    }
    /* SIGXCPU is the time cap's soft limit; SIGKILL its hard one, five seconds on, unless the
     * child had not used its time (the kernel's out-of-memory killer sends SIGKILL too). */
    uint64_t seconds = (uint64_t)used.ru_utime.tv_sec + (uint64_t)used.ru_stime.tv_sec;
    bool inherited;
    uint64_t cap = xls_seconds_cap(sh->path, &inherited);
    if (WIFSIGNALED(status) && cap > 0 &&
        (WTERMSIG(status) == SIGXCPU || (WTERMSIG(status) == SIGKILL && seconds >= cap)))
        return sheet_fail(sh, RK_EINPUT,
                          "this .xls workbook cannot be read: its reader was stopped after %" PRIu64
                          " s of processor time (signal %d, %s), %s, where the largest sheet an "
                          ".xls holds takes under 10 s; it is likely damaged: open and save it "
                          "again in a spreadsheet program, or save it as .xlsx, .ods or CSV",
                          cap, WTERMSIG(status), strsignal(WTERMSIG(status)),
                          inherited ? "the limit reckon was started under (ulimit -t)"
                                    : "the most reckon allows for this file");
    if (WIFSIGNALED(status))
        return sheet_fail(sh, RK_EINPUT,
                          "this .xls workbook cannot be read: libfreexl, which reads it, crashed "
                          "on it (signal %d, %s); it is damaged: open and save it again in a "
                          "spreadsheet program, or save it as .xlsx, .ods or CSV",
                          WTERMSIG(status), strsignal(WTERMSIG(status)));
    return sheet_fail(sh, RK_EINPUT,
                      "this .xls workbook cannot be read: libfreexl, which reads it, stopped on "
                      "it (exit status %d); it is damaged: open and save it again in a "
                      "spreadsheet program, or save it as .xlsx, .ods or CSV",
                      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* The child's refusal, as it set it. */
static int reader_refused(ingest_sheet *sh, xls *x)
{
    rk_error err;
    if (!get(x, &err, sizeof(err)) || err.code >= 0)
        return reader_stopped(sh, x);
    if (err.code == RK_ENOMEM) /* reckon's own code in the child, past its cap */
        return xls_out_of_memory(sh, "out of memory in the child");
    err.message[sizeof(err.message) - 1] = '\0';
    err.file[sizeof(err.file) - 1] = '\0';
    sh->ctx->err = err;
    return err.code;
}

/* The first message: the sheet chosen, or the child's refusal. */
static int read_head(ingest_sheet *sh, xls *x)
{
    char tag = 0;
    if (!x->in || !get(x, &tag, 1)) /* no messages (inline, none written) */
        return reader_stopped(sh, x);
    if (tag == 'E')
        return reader_refused(sh, x);
    uint64_t rows = 0;
    uint32_t n = 0;
    if (tag != 'S' || !get(x, &rows, sizeof(rows)) || !get(x, &n, sizeof(n)) || n > 65536)
        return reader_stopped(sh, x);
    if (!(sh->name = rk_malloc(n + 1)))
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    if (!get(x, sh->name, n))
        return reader_stopped(sh, x);
    sh->name[n] = '\0';
    sh->extent = rows;
    return RK_OK;
}

static int xls_open(ingest_sheet *sh)
{
    xls *x = rk_calloc(1, sizeof(*x));
    if (!x)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    sh->impl = x;
    int fds[2];
    if (pipe(fds) != 0)
        return rk_error_set(sh->ctx, RK_EIO, "cannot start the .xls reader: pipe: %s",
                            strerror(errno));
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        xls_child(sh, fds[1]);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return rk_error_set(sh->ctx, RK_EIO, "cannot start the .xls reader: fork: %s",
                            strerror(errno));
    }
    x->child = pid;
    if (!(x->in = fdopen(fds[0], "r"))) {
        close(fds[0]);
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    }
    return read_head(sh, x);
}

/* Both halves in this process: xls_write's messages go to memory, then are read back as from
 * the pipe. What xls_write left in *sh (the sheet's name, the last row, a refusal) is cleared
 * first: the reading half sets it again from the messages. */
static int xls_inline_open(ingest_sheet *sh)
{
    xls *x = rk_calloc(1, sizeof(*x));
    if (!x)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    sh->impl = x;
    size_t n = 0;
    FILE *mem = open_memstream(&x->written, &n);
    if (!mem)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    bool ok = xls_write(sh, mem);
    if (fclose(mem) != 0 || !ok)
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    rk_free(sh->name);
    sh->name = NULL;
    sheet_row_reset(&sh->row, 0);
    rk_error_clear(sh->ctx);
    if (n && !(x->in = fmemopen(x->written, n, "r")))
        return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
    return read_head(sh, x);
}

static int read_row(ingest_sheet *sh, xls *x)
{
    int64_t number = 0;
    uint32_t cells = 0;
    if (!get(x, &number, sizeof(number)) || !get(x, &cells, sizeof(cells)) || cells > sh->max_cols)
        return reader_stopped(sh, x);
    sheet_row_reset(&sh->row, (long)number);
    for (uint32_t c = 0; c < cells; c++) {
        uint8_t date = 0;
        uint32_t n = 0;
        if (!get(x, &date, 1) || !get(x, &n, sizeof(n)) || n > sh->max_cell)
            return reader_stopped(sh, x);
        if (n > x->cap) {
            char *p = rk_realloc(x->cell, n);
            if (!p)
                return rk_error_set(sh->ctx, RK_ENOMEM, "out of memory");
            x->cell = p;
            x->cap = n;
        }
        if (!get(x, x->cell, n))
            return reader_stopped(sh, x);
        int rc = sheet_row_put(sh, c, x->cell, n, date);
        if (rc != RK_OK)
            return rc;
    }
    return 1;
}

static int xls_next(ingest_sheet *sh)
{
    xls *x = sh->impl;
    char tag = 0;
    if (!x->in || !get(x, &tag, 1))
        return reader_stopped(sh, x);
    switch (tag) {
    case 'R':
        return read_row(sh, x);
    case 'Z':
        return 0;
    case 'E':
        return reader_refused(sh, x);
    default:
        return reader_stopped(sh, x);
    }
}

/* Ends the child (it may be waiting on a full pipe) and reaps it. */
static void xls_close(ingest_sheet *sh)
{
    xls *x = sh->impl;
    if (x->in)
        fclose(x->in);
    if (x->child > 0) {
        kill(x->child, SIGKILL);
        while (waitpid(x->child, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    free(x->written); /* open_memstream's, from malloc */
    rk_free(x->cell);
    rk_free(x);
    sh->impl = NULL;
}

const sheet_format ingest_sheet_xls = {"xls", xls_open, xls_next, xls_close};
const sheet_format ingest_sheet_xls_inline = {"xls", xls_inline_open, xls_next, xls_close};
