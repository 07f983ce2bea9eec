/* Fuzz harness for the spreadsheet readers: any bytes must give rows or an input error, never
 * a crash, a leak or an endless loop. The first byte chooses what the rest is: (0) the parts
 * of an .xlsx, the sheet's XML, then after a NUL byte the shared strings and after another the
 * styles, written into a workbook around them; (1) an .ods's content.xml, likewise; (2) a whole
 * file as it is (a zip, an OLE2 .xls, anything). The readers take a path, so each input is
 * written to a file in the temporary folder. libfreexl 1.0.6 itself overreads a buffer and
 * leaks on some damaged .xls files (found by this harness; docs/import.md): build with
 * -DRK_FUZZ_NO_XLS to fuzz reckon's own readers past them. */
#include "common.h"
#include "ingest/sheet.h"

#include <unistd.h>
#include <zip.h>

static const char workbook[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

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

static bool add(zip_t *z, const char *name, const void *data, size_t n)
{
    zip_source_t *s = zip_source_buffer(z, data, n, 0);
    zip_int64_t i = s ? zip_file_add(z, name, s, ZIP_FL_OVERWRITE) : -1;
    if (i < 0) {
        zip_source_free(s);
        return false;
    }
    return zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0) == 0;
}

static bool write_file(const char *path, const uint8_t *data, size_t size)
{
    int kind = size ? data[0] % 3 : 2;
    const uint8_t *p = size ? data + 1 : data, *e = data + size;
    if (kind == 2) {
        FILE *f = fopen(path, "wb");
        if (!f)
            return false;
        bool ok = fwrite(p, 1, (size_t)(e - p), f) == (size_t)(e - p);
        return fclose(f) == 0 && ok;
    }
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        return false;
    size_t n1, n2, n3;
    const uint8_t *a = part(&p, e, &n1), *b = part(&p, e, &n2), *c = part(&p, e, &n3);
    bool ok;
    if (kind == 0) {
        ok = add(z, "xl/workbook.xml", workbook, strlen(workbook)) &&
             add(z, "xl/_rels/workbook.xml.rels", rels, strlen(rels)) &&
             add(z, "xl/worksheets/sheet1.xml", a, n1) &&
             (n2 == 0 || add(z, "xl/sharedStrings.xml", b, n2)) &&
             (n3 == 0 || add(z, "xl/styles.xml", c, n3));
    } else {
        static const char mime[] = "application/vnd.oasis.opendocument.spreadsheet";
        ok = add(z, "mimetype", mime, strlen(mime)) && add(z, "content.xml", a, n1);
    }
    if (!ok) {
        zip_discard(z);
        return false;
    }
    return zip_close(z) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/rk-fuzz-sheets-%d", (int)getpid());
    if (!write_file(path, data, size)) {
        unlink(path);
        return 0;
    }
    unsigned char head[8] = {0};
    FILE *f = fopen(path, "rb");
    size_t nh = f ? fread(head, 1, sizeof(head), f) : 0;
    if (f)
        fclose(f);
    sheet_magic magic = ingest_sheet_magic(head, nh);
#ifdef RK_FUZZ_NO_XLS
    if (magic == SHEET_OLE2)
        magic = SHEET_NONE;
#endif
    if (magic != SHEET_NONE) {
        rk_ctx ctx;
        rk_ctx_init(&ctx);
        ingest_sheet *sh = NULL;
        int rc = ingest_sheet_open(&sh, &ctx, path, magic, NULL, 256, 64);
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
        ingest_sheet_free(sh);
        rk_ctx_release(&ctx);
    }
    unlink(path);
    return 0;
}
