/* The counts-file parser and the capture table: bit order, BOM and CRLF, every kind of bad
 * input reported at file:line:column, projection onto a subset of lists, and Chapman. */
#include "helpers.h"

static int parse(const char *text, rk_capture_table **t, rk_ctx *ctx)
{
    return rk_estimate_parse_counts(t, ctx, text, strlen(text), "x.csv");
}

static void reads_patterns_with_first_column_as_bit_0(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = NULL;
    assert_int_equal(parse("\xEF\xBB\xBF"
                           "A,B,count\r\n0,1,5\r\n1,0,7\r\n1,1,3\r\n\r\n",
                           &t, &ctx),
                     RK_OK);
    assert_int_equal(rk_capture_table_nlists(t), 2);
    assert_string_equal(rk_capture_table_list_name(t, 0), "A");
    assert_string_equal(rk_capture_table_list_name(t, 1), "B");
    assert_int_equal(rk_capture_table_count(t, 1), 7); /* on A only */
    assert_int_equal(rk_capture_table_count(t, 2), 5); /* on B only */
    assert_int_equal(rk_capture_table_count(t, 3), 3);
    assert_int_equal(rk_capture_table_observed(t), 15);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

typedef struct bad_case {
    const char *text;
    long line, column;
    const char *message_part;
} bad_case;

static void reports_bad_input_at_line_and_column(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", 1, 1, "no header"},
        {"A,B\n0,1\n", 1, 3, "last column must be 'count'"},
        {"A,A,count\n", 1, 3, "appears twice"},
        {"A,B,count\n0,2,5\n", 2, 3, "'2' in column 'B' is not 0 or 1"},
        {"A,B,count\n0,1,\n", 2, 5, "missing count"},
        {"A,B,count\n0,1,-4\n", 2, 5, "negative"},
        {"A,B,count\n0,1,4x\n", 2, 5, "not a whole number"},
        {"A,B,count\n0,1,4\n1,0,1\n0,1,2\n", 4, 1, "already given on line 2"},
        {"A,B,count\n0,1\n", 2, 4, "too few columns"},
        {"A,B,count\n0,1,3,4\n", 2, 6, "too many columns"},
        {"A,B,count\n0,0,3\n", 2, 1, "all-zero pattern"},
        {"A,B,count\n", 2, 1, "no rows"},
        {"A,B,count\r\n1,1,1\r\n1,x,1\r\n", 3, 3, "not 0 or 1"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        rk_ctx ctx;
        rk_ctx_init(&ctx);
        rk_capture_table *t = NULL;
        assert_int_equal(parse(cases[i].text, &t, &ctx), RK_EINPUT);
        assert_null(t);
        if (ctx.err.line != cases[i].line || ctx.err.column != cases[i].column ||
            !strstr(ctx.err.message, cases[i].message_part)) {
            fprintf(stderr, "case %zu: %ld:%ld: %s\n", i, ctx.err.line, ctx.err.column,
                    ctx.err.message);
            fail();
        }
        assert_string_equal(ctx.err.file, "x.csv");
        rk_ctx_release(&ctx);
    }
}

static void reads_every_reference_file(void **state)
{
    (void)state;
    /* observed totals as tests/data/README.md gives them */
    static const struct {
        const char *file;
        size_t k;
        int64_t n;
    } files[] = {
        {"mse/kosovo.csv", 4, 4400},
        {"mse/hare.csv", 6, 68},
        {"mse/hiv.csv", 4, 1896},
        {"mse/lesbian.csv", 4, 2185},
        {"mse/diabetes.csv", 4, 2069},
        {"mse/mvole_p3.csv", 5, 49},
        {"mse/madigan_york_3list.csv", 3, 626},
        {"mse/madigan_york_5list.csv", 5, 537},
        {"verdata/strata/reclutamiento_R1_hombre_1999.csv", 20, 982},
        {"verdata/strata/reclutamiento_R2_hombre_1999.csv", 20, 1045},
        {"verdata/strata/reclutamiento_R1_all.csv", 29, 19226},
    };
    for (size_t i = 0; i < N_OF(files); i++) {
        rk_capture_table *t = load_counts(files[i].file);
        assert_int_equal(rk_capture_table_nlists(t), files[i].k);
        assert_int_equal(rk_capture_table_observed(t), files[i].n);
        rk_capture_table_free(t);
    }
}

static void select_projects_and_chapman_matches_formula(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = load_counts("mse/kosovo.csv"), *s = NULL;
    size_t lists[2];
    assert_int_equal(rk_capture_table_find_list(&lists[0], t, "OSCE"), RK_OK);
    assert_int_equal(rk_capture_table_find_list(&lists[1], t, "EXH"), RK_OK);
    assert_int_equal(rk_capture_table_find_list(&lists[1], t, "nope"), RK_ENOTFOUND);
    lists[1] = 0;
    assert_int_equal(rk_capture_table_select(&s, &ctx, t, lists, 2), RK_OK);
    /* OSCE is bit 2 and EXH bit 0 of kosovo; in s, OSCE is bit 0 and EXH bit 1 */
    int64_t both = 0, osce = 0, exh = 0;
    for (size_t i = 0; i < rk_capture_table_npatterns(t); i++) {
        uint64_t p;
        int64_t c;
        rk_capture_table_pattern(t, i, &p, &c);
        both += (p & 5) == 5 ? c : 0;
        osce += (p & 5) == 4 ? c : 0;
        exh += (p & 5) == 1 ? c : 0;
    }
    assert_int_equal(rk_capture_table_count(s, 3), both);
    assert_int_equal(rk_capture_table_count(s, 1), osce);
    assert_int_equal(rk_capture_table_count(s, 2), exh);
    rk_estimate e;
    assert_int_equal(rk_estimate_chapman(&e, &ctx, s), RK_OK);
    double n1 = (double)(osce + both), n2 = (double)(exh + both), m = (double)both;
    assert_rel(e.estimate, (n1 + 1) * (n2 + 1) / (m + 1) - 1, 1e-12);
    assert_true(e.lower > (double)rk_capture_table_observed(s) && e.lower < e.estimate &&
                e.upper > e.estimate);
    rk_estimate_release(&e);
    assert_int_equal(rk_estimate_chapman(&e, &ctx, t), RK_EINPUT); /* four lists */
    rk_estimate_release(&e);
    rk_capture_table_free(s);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

static void chapman_textbook_example(void **state)
{
    (void)state;
    /* n1 = 100, n2 = 80, m = 20: N = 101 * 81 / 21 - 1 = 388.571...,
     * var = 101 * 81 * 80 * 60 / (21^2 * 22) = 4048.9 */
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = NULL;
    assert_int_equal(parse("a,b,count\n0,1,60\n1,0,80\n1,1,20\n", &t, &ctx), RK_OK);
    rk_estimate e;
    assert_int_equal(rk_estimate_chapman(&e, &ctx, t), RK_OK);
    assert_rel(e.estimate, 101.0 * 81.0 / 21.0 - 1, 1e-12);
    assert_rel(e.stderr_n * e.stderr_n, 101.0 * 81 * 80 * 60 / (21.0 * 21 * 22), 1e-12);
    rk_estimate_release(&e);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_patterns_with_first_column_as_bit_0),
        cmocka_unit_test(reports_bad_input_at_line_and_column),
        cmocka_unit_test(reads_every_reference_file),
        cmocka_unit_test(select_projects_and_chapman_matches_formula),
        cmocka_unit_test(chapman_textbook_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
