/* Unit tests of what the spreadsheet readers share: serial day numbers as ISO dates (the 1900
 * system with its fictitious 1900-02-29, the 1904 system, times dropped), numbers as their
 * shortest exact text, date format codes, cell references and column letters, progress
 * through a sheet kept within 0..1, and a workbook read from memory as from its file. */
#include "test.h"

#include "ingest/sheet.h"

static void serial(double s, bool date1904, const char *iso)
{
    char out[16] = "";
    if (!sheet_serial_date(out, s, date1904))
        fail_msg("serial %g (%s) is no date", s, date1904 ? "1904" : "1900");
    assert_string_equal(out, iso);
}

static void serials_of_the_1900_system(void **state)
{
    (void)state;
    serial(1, false, "1900-01-01");
    serial(31, false, "1900-01-31");
    serial(59, false, "1900-02-28");
    serial(61, false, "1900-03-01");
    serial(25569, false, "1970-01-01");
    serial(33715, false, "1992-04-21");
    serial(43831, false, "2020-01-01");
    serial(2958465, false, "9999-12-31");
    /* A fraction is a time of day, dropped. */
    serial(43831.75, false, "2020-01-01");
    serial(43831.999999, false, "2020-01-01");
}

static void serial_60_is_the_day_that_does_not_exist(void **state)
{
    (void)state;
    serial(60, false, "1900-02-29");
    serial(60.5, false, "1900-02-29");
    /* and the date parser refuses it as such */
    rk_date d;
    rk_date_format iso;
    char why[256] = "";
    assert_int_equal(rk_date_format_compile(&iso, "YYYY-MM-DD", 0, why, sizeof(why)), RK_OK);
    assert_int_equal(rk_date_parse(&d, &iso, "1900-02-29", why, sizeof(why)), RK_EINPUT);
    assert_non_null(strstr(why, "does not exist"));
}

static void serials_of_the_1904_system(void **state)
{
    (void)state;
    serial(0, true, "1904-01-01");
    serial(1, true, "1904-01-02");
    serial(42369, true, "2020-01-01"); /* 1462 days fewer than in the 1900 system */
    serial(42369.5, true, "2020-01-01");
}

static void refuses_serials_that_are_no_day(void **state)
{
    (void)state;
    char out[16];
    assert_false(sheet_serial_date(out, 0, false));
    assert_false(sheet_serial_date(out, 0.5, false)); /* a time without a day */
    assert_false(sheet_serial_date(out, -1, false));
    assert_false(sheet_serial_date(out, -1, true));
    assert_false(sheet_serial_date(out, 2958466, false));
}

static void number(double x, const char *text)
{
    char out[32];
    sheet_number_text(out, x);
    assert_string_equal(out, text);
}

static void numbers_as_shortest_exact_text(void **state)
{
    (void)state;
    number(10234, "10234");
    number(1970, "1970");
    number(0, "0");
    number(-0.0, "0");
    number(-42, "-42");
    number(0.1, "0.1");
    number(1.1000000000000001, "1.1");
    number(0.30000000000000004, "0.30000000000000004");
    number(123456789012345, "123456789012345");
    number(2.5e-7, "2.5e-07");
}

static void date_format_codes(void **state)
{
    (void)state;
    assert_true(sheet_format_is_date("dd\\.mm\\.yyyy"));
    assert_true(sheet_format_is_date("yyyy-mm-dd"));
    assert_true(sheet_format_is_date("[$-409]d-mmm-yy;@"));
    assert_false(sheet_format_is_date("General"));
    assert_false(sheet_format_is_date("0.00"));
    assert_false(sheet_format_is_date("\"day\" 0"));
    assert_false(sheet_format_is_date("[Red]0.00"));
    assert_false(sheet_format_is_date("0_m"));
}

static void cell_references_and_columns(void **state)
{
    (void)state;
    char place[64];
    static const struct {
        long col;
        const char *want;
    } cols[] = {{1, "f:S!A7"}, {26, "f:S!Z7"}, {27, "f:S!AA7"}, {16384, "f:S!XFD7"}, {0, "f:S!7"}};
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        ingest_sheet_place(place, sizeof(place), "f", "S", cols[i].col, 7);
        assert_string_equal(place, cols[i].want);
    }
    assert_int_equal(sheet_ref_column("D812"), 3);
    assert_int_equal(sheet_ref_column("AA1"), 26);
    assert_int_equal(sheet_ref_column("XFD1048576"), 16383);
    assert_int_equal(sheet_ref_column("812"), -1);
    ingest_sheet_place(place, sizeof(place), "ministry.xlsx", "Sheet1", 4, 812);
    assert_string_equal(place, "ministry.xlsx:Sheet1!D812");
}

static void magic_bytes(void **state)
{
    (void)state;
    assert_int_equal(ingest_sheet_magic((const unsigned char *)"PK\x03\x04xx", 6), SHEET_ZIP);
    assert_int_equal(
        ingest_sheet_magic((const unsigned char *)"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8),
        SHEET_OLE2);
    assert_int_equal(ingest_sheet_magic((const unsigned char *)"id,name\n", 8), SHEET_NONE);
}

/* Progress through a sheet stays within 0..1, never falls back, and ends near 1. */
static void fraction_read(const char *name, sheet_magic magic)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/sheets/%s", RK_DATA_DIR, name);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    ingest_sheet *sh = NULL;
    assert_int_equal(ingest_sheet_open(&sh, &ctx, path, magic, NULL, 1 << 20, 100), RK_OK);
    double last = 0;
    int rc;
    while ((rc = ingest_sheet_next(sh)) == 1) {
        double f = ingest_sheet_fraction(sh);
        assert_true(f >= last && f <= 1);
        last = f;
    }
    assert_int_equal(rc, 0);
    if (last < 0.9)
        fail_msg("%s: the last row at %.3f", name, last);
    ingest_sheet_free(sh);
    rk_ctx_release(&ctx);
}

static void progress_within_the_sheet(void **state)
{
    (void)state;
    fraction_read("ministry.xlsx", SHEET_ZIP);
    fraction_read("memorial.ods", SHEET_ZIP);
    fraction_read("ngo.xls", SHEET_OLE2);
}

/* The file's bytes, read whole (the caller frees them). */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *buf = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t k = fread(buf + *n, 1, cap - *n, f);
        if (k == 0)
            break;
        *n += k;
    }
    fclose(f);
    return buf;
}

/* The same rows, cell by cell, and the same places, from the file and from its bytes. */
static void memory_read(const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/sheets/%s", RK_DATA_DIR, name);
    size_t n;
    unsigned char *bytes = slurp(path, &n);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    ingest_sheet *a = NULL, *b = NULL;
    assert_int_equal(ingest_sheet_open(&a, &ctx, path, SHEET_ZIP, NULL, 1 << 20, 100), RK_OK);
    assert_int_equal(
        ingest_sheet_open_bytes(&b, &ctx, path, bytes, n, SHEET_ZIP, NULL, 1 << 20, 100), RK_OK);
    assert_true(a->extent == b->extent);
    int ra, rb;
    long rows = 0;
    while ((ra = ingest_sheet_next(a)) == 1) {
        rb = ingest_sheet_next(b);
        assert_int_equal(rb, 1);
        assert_int_equal(a->row.number, b->row.number);
        assert_true(a->row.offset == b->row.offset && a->row.length == b->row.length);
        assert_int_equal(a->row.ncells, b->row.ncells);
        for (size_t i = 0; i < a->row.ncells; i++) {
            const sheet_cell *ca = &a->row.cells[i], *cb = &b->row.cells[i];
            assert_int_equal(ca->len, cb->len);
            assert_int_equal(ca->date, cb->date);
            assert_memory_equal(a->row.text.data + ca->start, b->row.text.data + cb->start,
                                ca->len);
        }
        rows++;
    }
    assert_int_equal(ra, 0);
    assert_int_equal(ingest_sheet_next(b), 0);
    assert_true(rows > 10);
    assert_non_null(a->name); /* an .ods names its sheet once it reaches it */
    assert_string_equal(a->name, b->name);
    ingest_sheet_free(a);
    ingest_sheet_free(b);
    rk_ctx_release(&ctx);
    free(bytes);
}

static void workbooks_read_from_memory(void **state)
{
    (void)state;
    memory_read("ministry.xlsx");
    memory_read("memorial.ods");
    /* A damaged zip in memory is refused as one in a file is. */
    static const unsigned char torn[] = "PK\x03\x04 not a zip at all";
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    ingest_sheet *sh = NULL;
    assert_int_equal(ingest_sheet_open_bytes(&sh, &ctx, "torn.xlsx", torn, sizeof(torn) - 1,
                                             SHEET_ZIP, NULL, 1 << 20, 100),
                     RK_EINPUT);
    assert_null(sh);
    assert_non_null(strstr(ctx.err.message, "cannot be read"));
    /* An .xls is read through libfreexl, from a file only. */
    static const unsigned char ole2[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
    assert_int_equal(
        ingest_sheet_open_bytes(&sh, &ctx, "ngo.xls", ole2, 8, SHEET_OLE2, NULL, 1 << 20, 100),
        RK_EINPUT);
    assert_null(sh);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(serials_of_the_1900_system),
        cmocka_unit_test(serial_60_is_the_day_that_does_not_exist),
        cmocka_unit_test(serials_of_the_1904_system),
        cmocka_unit_test(refuses_serials_that_are_no_day),
        cmocka_unit_test(numbers_as_shortest_exact_text),
        cmocka_unit_test(date_format_codes),
        cmocka_unit_test(cell_references_and_columns),
        cmocka_unit_test(magic_bytes),
        cmocka_unit_test(progress_within_the_sheet),
        cmocka_unit_test(workbooks_read_from_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
