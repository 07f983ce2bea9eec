/* Unit tests of the streaming CSV reader: quoting, line ends, positions, limits, and reading
 * across chunk boundaries. */
#include "test.h"

typedef struct mem_src {
    const char *p;
    size_t n, pos, step; /* step: bytes per read, to force rows across chunk boundaries */
} mem_src;

static long mem_read(void *src, char *buf, size_t n)
{
    mem_src *m = src;
    size_t k = m->n - m->pos;
    if (k > n)
        k = n;
    if (m->step && k > m->step)
        k = m->step;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (long)k;
}

static rk_csv *open_text(rk_ctx *ctx, mem_src *m, const char *text, size_t step, char delim)
{
    *m = (mem_src){text, strlen(text), 0, step};
    rk_csv_options o = RK_CSV_OPTIONS_INIT;
    o.delimiter = delim;
    o.max_field = 64;
    rk_csv *r = NULL;
    assert_int_equal(rk_csv_open(&r, ctx, "t.csv", mem_read, m, &o), RK_OK);
    return r;
}

static void reads_quoted_fields_with_newlines_and_quotes(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    /* Read one byte at a time: every state must survive a chunk boundary. */
    for (size_t step = 0; step <= 1; step++) {
        mem_src m;
        rk_csv *r =
            open_text(&ctx, &m, "a,b\r\n\"x,1\",\"say \"\"hi\"\"\nok\"\r\n\n,last", step, 0);
        assert_int_equal(rk_csv_next(r), 1);
        assert_int_equal(rk_csv_nfields(r), 2);
        assert_int_equal(rk_csv_next(r), 1);
        assert_string_equal(rk_csv_field(r, 0, NULL), "x,1");
        assert_string_equal(rk_csv_field(r, 1, NULL), "say \"hi\"\nok");
        assert_int_equal(rk_csv_row_line(r), 2);
        assert_int_equal(rk_csv_row_offset(r), 5);
        assert_int_equal(rk_csv_next(r), 1); /* the blank line is skipped */
        assert_string_equal(rk_csv_field(r, 0, NULL), "");
        assert_string_equal(rk_csv_field(r, 1, NULL), "last");
        assert_int_equal(rk_csv_row_line(r), 5);
        long line, col;
        rk_csv_field_pos(r, 1, &line, &col);
        assert_int_equal(line, 5);
        assert_int_equal(col, 2);
        assert_int_equal(rk_csv_next(r), 0);
        rk_csv_free(r);
    }
    rk_ctx_release(&ctx);
}

static void detects_semicolon_and_skips_bom(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    mem_src m;
    rk_csv *r = open_text(&ctx, &m, "\xef\xbb\xbfno;ad,soyad;x\n1;x;y\n", 0, 0);
    assert_int_equal(rk_csv_next(r), 1);
    assert_string_equal(rk_csv_field(r, 0, NULL), "no");
    assert_string_equal(rk_csv_field(r, 1, NULL), "ad,soyad");
    rk_csv_free(r);
    rk_ctx_release(&ctx);
}

static void reports_unclosed_quote_where_it_opens(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    mem_src m;
    rk_csv *r = open_text(&ctx, &m, "a,b\n1,\"open\n2,3\n", 0, ',');
    assert_int_equal(rk_csv_next(r), 1);
    assert_int_equal(rk_csv_next(r), RK_EINPUT);
    assert_int_equal(ctx.err.line, 2);
    assert_int_equal(ctx.err.column, 3);
    rk_csv_free(r);
    rk_ctx_release(&ctx);
}

static void refuses_text_after_closing_quote(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    mem_src m;
    rk_csv *r = open_text(&ctx, &m, "\"ab\"c,d\n", 0, ',');
    assert_int_equal(rk_csv_next(r), RK_EINPUT);
    assert_int_equal(ctx.err.column, 5);
    rk_csv_free(r);
    rk_ctx_release(&ctx);
}

static void caps_field_length(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    char big[200];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    mem_src m;
    rk_csv *r = open_text(&ctx, &m, big, 7, ',');
    assert_int_equal(rk_csv_next(r), RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "longer than 64 bytes"));
    rk_csv_free(r);
    rk_ctx_release(&ctx);
}

static void counts_columns_in_characters(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    mem_src m;
    rk_csv *r = open_text(&ctx, &m, "Məmmədov,Елчин,x\n", 0, ',');
    assert_int_equal(rk_csv_next(r), 1);
    long line, col;
    rk_csv_field_pos(r, 2, &line, &col);
    assert_int_equal(col, 16); /* 8 + 1 + 5 + 1 characters before it, 1-based */
    rk_csv_free(r);
    rk_ctx_release(&ctx);
}

static void quoted_fields_keep_cap_and_positions_across_chunks(void **state)
{
    (void)state;
    /* A quoted field of exactly 64 bytes is read, one of 65 is refused where it starts, and
     * columns count characters after quoted UTF-8 text: read whole and 1 to 9 bytes at a time. */
    char text[300];
    char at_cap[65], over[66];
    memset(at_cap, 'a', 64);
    at_cap[64] = '\0';
    memset(over, 'b', 65);
    over[65] = '\0';
    snprintf(text, sizeof(text), "\"Məm, \"\"x\"\"\",y\n\"%s\",z\n1,\"%s\"\n", at_cap, over);
    for (size_t step = 0; step < 10; step++) {
        rk_ctx ctx;
        rk_ctx_init(&ctx);
        mem_src m;
        rk_csv *r = open_text(&ctx, &m, text, step, ',');
        assert_int_equal(rk_csv_next(r), 1);
        size_t n;
        assert_string_equal(rk_csv_field(r, 0, &n), "Məm, \"x\"");
        long line, col;
        rk_csv_field_pos(r, 1, &line, &col);
        assert_int_equal(line, 1);
        assert_int_equal(col, 14); /* after the 13 characters of "Məm, ""x""", */
        assert_int_equal(rk_csv_next(r), 1);
        assert_int_equal(strlen(rk_csv_field(r, 0, &n)), 64);
        assert_int_equal(rk_csv_next(r), RK_EINPUT);
        assert_non_null(strstr(ctx.err.message, "longer than 64 bytes"));
        assert_int_equal(ctx.err.line, 3);
        assert_int_equal(ctx.err.column, 3);
        rk_csv_free(r);
        rk_ctx_release(&ctx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_quoted_fields_with_newlines_and_quotes),
        cmocka_unit_test(detects_semicolon_and_skips_bom),
        cmocka_unit_test(reports_unclosed_quote_where_it_opens),
        cmocka_unit_test(refuses_text_after_closing_quote),
        cmocka_unit_test(caps_field_length),
        cmocka_unit_test(counts_columns_in_characters),
        cmocka_unit_test(quoted_fields_keep_cap_and_positions_across_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
