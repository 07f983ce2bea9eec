/* Unit tests of the XML streaming under the spreadsheet readers (sheet_xml.c): the scanner's
 * events for what writers make (references, CDATA, comments, line ends, prefixes, a byte order
 * mark, texts and tags larger than its buffer), the entries it leaves to expat (UTF-16, another
 * encoding, a DOCTYPE) read the same, malformed entries refused with expat's line and column,
 * and rows suspended with their bytes. */
#include "test.h"

#include "ingest/sheet_xml.h"

typedef struct trace {
    sheet_xml **x;
    rk_buf out;
    int rows;
    uint64_t row_at, row_end;
} trace;

static void XMLCALL on_start(void *u, const char *name, const char **atts)
{
    trace *t = u;
    rk_buf_printf(&t->out, "<%s", name);
    for (size_t i = 0; atts[i]; i += 2)
        rk_buf_printf(&t->out, " %s=[%s]", atts[i], atts[i + 1]);
    rk_buf_puts(&t->out, ">");
    if (strcmp(name, "row") == 0)
        t->row_at = sheet_xml_byte_index(*t->x);
}

static void XMLCALL on_end(void *u, const char *name)
{
    trace *t = u;
    rk_buf_printf(&t->out, "</%s>", name);
    if (strcmp(name, "row") == 0) {
        t->rows++;
        t->row_end = sheet_xml_byte_index(*t->x) + sheet_xml_byte_count(*t->x);
        sheet_xml_suspend(*t->x);
    }
}

static void XMLCALL on_text(void *u, const char *s, int n)
{
    trace *t = u;
    rk_buf_append(&t->out, s, (size_t)n);
}

/* Parses `xml` (n bytes) as the entry "s.xml" of a zip in memory: RK_OK and the trace, or the
 * error's message in *msg. */
static int parse(const char *xml, size_t n, trace *t, char *msg, size_t msgsz)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
    assert_non_null(z);
    zip_source_keep(src);
    zip_source_t *entry = zip_source_buffer(z, xml, n, 0);
    assert_true(zip_file_add(z, "s.xml", entry, 0) >= 0);
    assert_int_equal(zip_close(z), 0);
    z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(z);
    ingest_sheet sh = {.ctx = &ctx, .path = "w.xlsx", .max_cell = 1 << 22, .max_cols = 100};
    sheet_xml x, *ctl = &x;
    memset(t, 0, sizeof(*t));
    t->x = &ctl;
    rk_buf_init(&t->out);
    int rc = sheet_xml_open(&x, &sh, z, "s.xml", t, on_start, on_end, on_text);
    while (rc == RK_OK && (rc = sheet_xml_run(&x)) == 1)
        rc = RK_OK;
    if (rc == RK_OK || rc == 1 || x.f || x.buf)
        sheet_xml_close(&x);
    msg[0] = '\0';
    if (rc != RK_OK)
        rk_error_format(msg, msgsz, &ctx);
    zip_discard(z);
    zip_error_fini(&ze);
    rk_ctx_release(&ctx);
    return rc;
}

static void events(const char *xml, const char *want)
{
    trace t;
    char msg[1024];
    int rc = parse(xml, strlen(xml), &t, msg, sizeof(msg));
    if (rc != RK_OK)
        fail_msg("%s: %s", xml, msg);
    assert_string_equal(rk_buf_cstr(&t.out), want);
    rk_buf_release(&t.out);
}

static void refused(const char *xml, size_t n, const char *want)
{
    trace t;
    char msg[1024];
    assert_int_equal(parse(xml, n, &t, msg, sizeof(msg)), RK_EINPUT);
    if (!strstr(msg, want))
        fail_msg("'%s' not in '%s'", want, msg);
    rk_buf_release(&t.out);
}

static void what_writers_make(void **state)
{
    (void)state;
    events("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
           "<w xmlns:x=\"u\"><x:c r='A1' t = \"s\">a&amp;b&#233;&#x41;&lt;&gt;&quot;&apos;</x:c>"
           "<!-- a comment --><?pi data?><c><![CDATA[<&]]>]</c><e/><f a=\"1&#10;2\tx\"/></w>",
           "<w xmlns:x=[u]><x:c r=[A1] t=[s]>a&béA<>\"'</x:c><c><&]</c><e></e>"
           "<f a=[1\n2 x]></f></w>");
    events("\xEF\xBB\xBF<w>a\r\nb\rc</w>\r\n", "<w>a\nb\nc</w>");
}

static void leaves_other_encodings_to_expat(void **state)
{
    (void)state;
    events("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><w>M\xfcller</w>", "<w>Müller</w>");
    events("<!DOCTYPE w [<!ENTITY n \"Named\">]><w>&n;</w>", "<w>Named</w>");
    static const char utf16[] = "\xFF\xFE<\0w\0>\0x\0<\0/\0w\0>\0";
    trace t;
    char msg[1024];
    assert_int_equal(parse(utf16, sizeof(utf16) - 1, &t, msg, sizeof(msg)), RK_OK);
    assert_string_equal(rk_buf_cstr(&t.out), "<w>x</w>");
    rk_buf_release(&t.out);
}

/* A text and a tag larger than the scanner's buffer, cut anywhere: the same text. */
static void texts_and_tags_past_the_buffer(void **state)
{
    (void)state;
    rk_buf xml, want;
    rk_buf_init(&xml);
    rk_buf_init(&want);
    rk_buf_puts(&xml, "<w><t>");
    rk_buf_puts(&want, "<w><t>");
    for (int i = 0; i < 60000; i++) {
        rk_buf_puts(&xml, "é&amp;\r\nЖ");
        rk_buf_puts(&want, "é&\nЖ");
    }
    rk_buf_puts(&xml, "</t><u a=\"");
    rk_buf_puts(&want, "</t><u a=[");
    for (int i = 0; i < 100000; i++) {
        rk_buf_puts(&xml, "xyz&lt;");
        rk_buf_puts(&want, "xyz<");
    }
    rk_buf_puts(&xml, "\"/></w>");
    rk_buf_puts(&want, "]></u></w>");
    events(rk_buf_cstr(&xml), rk_buf_cstr(&want));
    rk_buf_release(&xml);
    rk_buf_release(&want);
}

static void rows_suspend_with_their_bytes(void **state)
{
    (void)state;
    static const char xml[] = "<w>\n<row r=\"1\"><c/></row>\n<row>x</row></w>";
    trace t;
    char msg[1024];
    assert_int_equal(parse(xml, strlen(xml), &t, msg, sizeof(msg)), RK_OK);
    assert_int_equal(t.rows, 2);
    assert_int_equal(t.row_at, 26);
    assert_int_equal(t.row_end, 38);
    rk_buf_release(&t.out);
}

static void malformed_entries_name_expats_place(void **state)
{
    (void)state;
    static const struct {
        const char *xml, *want;
    } cases[] = {
        {"<w>\n<a></b></w>", "s.xml:2:6: malformed XML (mismatched tag)"},
        {"<w>\n<a>", "s.xml:2:4: malformed XML (no element found)"},
        {"<w>a&nbsp;b</w>", "s.xml:1:5: malformed XML (undefined entity)"},
        {"<w>a]]>b</w>", "s.xml:1:7: malformed XML (not well-formed (invalid token))"},
        {"<w><a r=\"1\" r=\"2\"/></w>", "s.xml:1:13: malformed XML (duplicate attribute)"},
        {"<w><a\x80/></w>", "malformed XML (not well-formed (invalid token))"},
        {"<w>a\x01</w>", "malformed XML (not well-formed (invalid token))"},
        {"<w/><x/>", "s.xml:1:5: malformed XML (junk after document element)"},
        {" <?xml version=\"1.0\"?><w/>", "malformed XML (XML or text declaration not at start"},
        {"<?xml version=\"1.0\" encodin=\"UTF-8\"?><w/>", "malformed XML (XML declaration not"},
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(cases); i++)
        refused(cases[i].xml, strlen(cases[i].xml), cases[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(what_writers_make),
        cmocka_unit_test(leaves_other_encodings_to_expat),
        cmocka_unit_test(texts_and_tags_past_the_buffer),
        cmocka_unit_test(rows_suspend_with_their_bytes),
        cmocka_unit_test(malformed_entries_name_expats_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
