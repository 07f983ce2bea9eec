/* Fuzz harness for the spreadsheet readers: any bytes must give rows or an input error, never
 * a crash, a leak or an endless loop. The first byte chooses what the rest is: (0) the parts
 * of an .xlsx, the sheet's XML, then after a NUL byte the shared strings and after another the
 * styles, put into a workbook around them; (1) an .ods's content.xml, likewise; (2) a whole
 * file as it is (a zip, an OLE2 .xls, anything). The archive is made in memory (stored
 * entries, written here) and read from memory (ingest_sheet_open_bytes): no file per input.
 *
 * An .xls is read from a file, as libfreexl needs a path, by libfreexl in a child process
 * (src/ingest/sheet_xls.c). The fuzzer `sheets` leaves .xls out (RK_FUZZ_NO_XLS, set by
 * CMake), and the fuzzer `xls` (tests/fuzz/xls) is this file built with RK_FUZZ_ONLY_XLS: every
 * input a whole .xls, read without the child (xls_inline below), under libFuzzer's fork mode,
 * which carries on after libfreexl crashes. The replay in `make check` reads every input of
 * both corpora through the importer's reader. */
#include "common.h"
#include "ingest/sheet.h"

#include <unistd.h>

static const char workbook[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";

/* The next part of the input: up to a NUL byte or the end. */
static const uint8_t *part(const uint8_t **p, const uint8_t *e, size_t *n)
{
    const uint8_t *s = *p;
    const uint8_t *z = s < e ? memchr(s, 0, (size_t)(e - s)) : NULL;
    const uint8_t *end = z ? z : e;
    *n = (size_t)(end - s);
    *p = z ? z + 1 : e;
    return s;
}

/* ---- a zip archive of stored entries, in memory ---- */

typedef struct entry {
    const char *name;
    const void *data;
    size_t n;
} entry;

static uint32_t crc32_of(const void *data, size_t n)
{
    static uint32_t table[256];
    if (!table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = table[(c ^ ((const uint8_t *)data)[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static uint8_t *put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    return put16(put16(p, v & 0xFFFF), v >> 16);
}

/* Writes the archive of the n entries e into buf (of room enough: see zip_room); its size. */
static size_t zip_write(uint8_t *buf, const entry *e, size_t n)
{
    uint32_t crc[8], at[8];
    uint8_t *p = buf;
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(e[i].name);
        crc[i] = crc32_of(e[i].data, e[i].n);
        at[i] = (uint32_t)(p - buf);
        p = put32(p, 0x04034b50);
        p = put16(put16(put16(put16(put16(p, 20), 0), 0), 0), 0x21); /* stored, 1980-01-01 */
        p = put32(put32(put32(p, crc[i]), (uint32_t)e[i].n), (uint32_t)e[i].n);
        p = put16(put16(p, (unsigned)nl), 0);
        memcpy(p, e[i].name, nl);
        p += nl;
        if (e[i].n)
            memcpy(p, e[i].data, e[i].n);
        p += e[i].n;
    }
    uint8_t *cd = p;
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(e[i].name);
        p = put32(p, 0x02014b50);
        p = put16(put16(put16(put16(put16(put16(p, 20), 20), 0), 0), 0), 0x21);
        p = put32(put32(put32(p, crc[i]), (uint32_t)e[i].n), (uint32_t)e[i].n);
        p = put16(put16(put16(put16(put16(p, (unsigned)nl), 0), 0), 0), 0);
        p = put32(put32(p, 0), at[i]);
        memcpy(p, e[i].name, nl);
        p += nl;
    }
    uint32_t cd_size = (uint32_t)(p - cd), cd_at = (uint32_t)(cd - buf);
    p = put32(p, 0x06054b50);
    p = put16(put16(put16(put16(p, 0), 0), (unsigned)n), (unsigned)n);
    p = put32(put32(p, cd_size), cd_at);
    p = put16(p, 0);
    return (size_t)(p - buf);
}

static size_t zip_room(const entry *e, size_t n)
{
    size_t room = 22;
    for (size_t i = 0; i < n; i++)
        room += 30 + 46 + 2 * strlen(e[i].name) + e[i].n;
    return room;
}

/* ---- reading ---- */

/* How the xls harness reads a workbook: libFuzzer's build (RK_FUZZ_XLS_INLINE) runs both
 * halves of the .xls reader in its own process, where it sees their coverage (a child's is lost
 * to it: 111 edges against 404) and no fork per input slows it; the replay in `make check`, and the
 * fuzzer itself with RK_FUZZ_XLS_CHILD=1 in its environment (scripts/fuzz.sh's check of an
 * input that crashed libfreexl), read through the importer's reader, libfreexl in a child. */
static bool xls_inline(void)
{
#ifdef RK_FUZZ_XLS_INLINE
    return !getenv("RK_FUZZ_XLS_CHILD");
#else
    return false;
#endif
}

static void read_sheet(const char *path, const void *data, size_t size, sheet_magic magic)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    ingest_sheet *sh = NULL;
    bool inline_xls = magic == SHEET_OLE2 && xls_inline();
    int rc = inline_xls
                 ? ingest_sheet_open_xls_inline(&sh, &ctx, path, 256, 64)
                 : ingest_sheet_open_bytes(&sh, &ctx, path, data, size, magic, NULL, 256, 64);
    long rows = 0;
    while (rc == RK_OK && (rc = ingest_sheet_next(sh)) == 1 && rows++ < 100000) {
        rc = RK_OK;
        const sheet_row *r = &sh->row;
        assert(r->ncells <= 64);
        for (size_t i = 0; i < r->ncells; i++) {
            const sheet_cell *c = &r->cells[i];
            assert(c->len <= 256 && (c->len == 0 || c->start + c->len < r->text.len));
            assert(c->len == 0 || strlen(r->text.data + c->start) <= c->len);
        }
    }
    assert(rc == RK_OK || rc == 1 || rc == RK_EINPUT);
    /* Inline, nothing can stop the writing half but a crash of this process: a reading half
     * that finds the messages cut short or malformed means the two halves disagree. */
    assert(!inline_xls || rc != RK_EINPUT || !strstr(ctx.err.message, "which reads it"));
    ingest_sheet_free(sh);
    rk_ctx_release(&ctx);
}

/* An .xls is read from a file: libfreexl takes a path. */
static void read_xls(const uint8_t *data, size_t size)
{
#ifdef RK_FUZZ_NO_XLS
    (void)data;
    (void)size;
#else
    char path[64]; /* in memory where there is /dev/shm: a file per input */
    snprintf(path, sizeof(path), "%s/rk-fuzz-sheets-%d",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert(f);
    bool ok = fwrite(data, 1, size, f) == size;
    assert(fclose(f) == 0 && ok);
    read_sheet(path, NULL, 0, SHEET_OLE2);
    unlink(path);
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool once;
    if (!once) {
        /* libzip turns each entry's DOS time into a time_t with mktime, for which glibc looks
         * at /etc/localtime again and again unless TZ is set: a third of the time per input. */
        setenv("TZ", "UTC", 0);
        once = true;
    }
#ifdef RK_FUZZ_ONLY_XLS
    if (ingest_sheet_magic(data, size) == SHEET_OLE2)
        read_xls(data, size);
    return 0;
#endif
    int kind = size ? data[0] % 3 : 2;
    const uint8_t *p = size ? data + 1 : data, *e = data + size;
    if (kind == 2) {
        sheet_magic magic = ingest_sheet_magic(p, (size_t)(e - p));
        if (magic == SHEET_OLE2)
            read_xls(p, (size_t)(e - p));
        else if (magic == SHEET_ZIP)
            read_sheet("fuzz.xlsx", p, (size_t)(e - p), magic);
        return 0;
    }
    size_t n1, n2, n3;
    const uint8_t *a = part(&p, e, &n1), *b = part(&p, e, &n2), *c = part(&p, e, &n3);
    entry parts[5];
    size_t n = 0;
    if (kind == 0) {
        parts[n++] = (entry){"xl/workbook.xml", workbook, strlen(workbook)};
        parts[n++] = (entry){"xl/_rels/workbook.xml.rels", rels, strlen(rels)};
        parts[n++] = (entry){"xl/worksheets/sheet1.xml", a, n1};
        if (n2)
            parts[n++] = (entry){"xl/sharedStrings.xml", b, n2};
        if (n3)
            parts[n++] = (entry){"xl/styles.xml", c, n3};
    } else {
        parts[n++] = (entry){"mimetype", mime, strlen(mime)};
        parts[n++] = (entry){"content.xml", a, n1};
    }
    uint8_t *zip = malloc(zip_room(parts, n));
    assert(zip);
    size_t zn = zip_write(zip, parts, n);
    read_sheet(kind == 0 ? "fuzz.xlsx" : "fuzz.ods", zip, zn, SHEET_ZIP);
    free(zip);
    return 0;
}
