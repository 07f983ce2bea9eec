/* The one dispatcher: which methods answer for which number of lists, what a refusal says,
 * the one sparse rule, parsing of method names, and the counts layout written and read back. */
#include "helpers.h"

static rk_estimate_options quick(unsigned methods)
{
    rk_estimate_options o = RK_ESTIMATE_OPTIONS_INIT;
    o.methods = methods;
    o.dga.sensitivity = false;
    o.lcmcr.burnin = 50;
    o.lcmcr.samples = 50;
    o.lcmcr.thin = 1;
    o.lcmcr.chains = 2;
    return o;
}

/* The row of `method` that is the method's answer (not an extra model), or NULL. */
static const rk_estimate *answer(const rk_estimate *e, size_t n, const char *method)
{
    for (size_t i = 0; i < n; i++)
        if (!e[i].extra && !strcmp(e[i].method, method))
            return &e[i];
    return NULL;
}

static void four_lists_refuse_chapman_and_answer_the_others(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = load_counts("mse/kosovo.csv");
    rk_estimate_options o = quick(RK_METHOD_CHAPMAN | RK_METHOD_LOGLINEAR | RK_METHOD_DGA);
    rk_estimate *e = NULL;
    size_t n = 0;
    assert_int_equal(rk_estimate_table(&e, &n, &ctx, t, &o), RK_OK);
    const rk_estimate *c = answer(e, n, "chapman"), *l = answer(e, n, "loglinear");
    assert_non_null(c);
    assert_int_equal(c->status, RK_ESTIMATE_REFUSED);
    assert_non_null(strstr(c->warning, "chapman needs exactly 2 lists, not 4"));
    assert_non_null(l);
    assert_int_equal(l->status, RK_ESTIMATE_OK);
    assert_string_equal(l->model, "[123,14,34] (best bic)"); /* reference/mse/kosovo.json */
    assert_rel(l->estimate, 10356.5, 1e-4);
    assert_true(l->nmodels > 10); /* the ranked search it was chosen from */
    assert_int_equal(answer(e, n, "dga")->status, RK_ESTIMATE_OK);
    assert_true(e[1].extra && !strcmp(e[1].model, "M0")); /* classical models before the answer */
    assert_int_equal(ctx.err.code, RK_OK);
    rk_estimate_array_free(e, n);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

static void two_lists_answer_chapman_only(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *all = load_counts("mse/kosovo.csv"), *t = NULL;
    size_t pair[] = {0, 1};
    assert_int_equal(rk_capture_table_select(&t, &ctx, all, pair, 2), RK_OK);
    rk_estimate_options o = quick(RK_METHOD_ALL);
    rk_estimate *e = NULL;
    size_t n = 0;
    assert_int_equal(rk_estimate_table(&e, &n, &ctx, t, &o), RK_OK);
    assert_int_equal(answer(e, n, "chapman")->status, RK_ESTIMATE_OK);
    assert_non_null(strstr(answer(e, n, "loglinear")->warning, "loglinear fits 3 to 16 lists"));
    assert_int_equal(answer(e, n, "dga")->status, RK_ESTIMATE_REFUSED);
    assert_int_equal(answer(e, n, "lcmcr")->status, RK_ESTIMATE_OK);
    rk_estimate_array_free(e, n);
    rk_capture_table_free(t);
    rk_capture_table_free(all);
    rk_ctx_release(&ctx);
}

static void sparse_table_is_one_refused_row(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    static const char *const cases[][2] = {
        {"a,b,c,count\n1,0,0,5\n0,1,0,7\n0,0,1,2\n", "more than one list"},
        {"a,b,c,d,count\n1,0,0,0,5\n1,1,0,0,7\n", "only 2 of the 4 lists name persons"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        rk_capture_table *t = NULL;
        assert_int_equal(
            rk_estimate_parse_counts(&t, &ctx, cases[i][0], strlen(cases[i][0]), "s.csv"), RK_OK);
        rk_estimate_options o = quick(RK_METHOD_ALL);
        rk_estimate *e = NULL;
        size_t n = 0;
        assert_int_equal(rk_estimate_table(&e, &n, &ctx, t, &o), RK_OK);
        assert_int_equal(n, 1);
        assert_string_equal(e[0].method, "none");
        assert_int_equal(e[0].status, RK_ESTIMATE_REFUSED);
        assert_non_null(strstr(e[0].warning, cases[i][1]));
        assert_int_equal(rk_estimate_check_sparse(&ctx, t, 1), RK_EINPUT);
        rk_estimate_array_free(e, n);
        rk_capture_table_free(t);
    }
    rk_ctx_release(&ctx);
}

static void parses_method_names(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    unsigned m = 0;
    assert_int_equal(rk_estimate_methods_parse(&m, &ctx, "chapman, dga"), RK_OK);
    assert_int_equal(m, RK_METHOD_CHAPMAN | RK_METHOD_DGA);
    assert_int_equal(rk_estimate_methods_parse(&m, &ctx, "all"), RK_OK);
    assert_int_equal(m, RK_METHOD_ALL);
    assert_int_equal(rk_estimate_methods_parse(&m, &ctx, "loglinear,magic"), RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "unknown method 'magic'"));
    rk_ctx_release(&ctx);
}

static void counts_layout_reads_back_the_same_table(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = load_counts("mse/kosovo.csv"), *back = NULL;
    rk_buf b;
    rk_buf_init(&b);
    assert_int_equal(rk_estimate_counts_csv(&b, &ctx, t), RK_OK);
    assert_int_equal(rk_estimate_parse_counts(&back, &ctx, rk_buf_cstr(&b), b.len, "back.csv"),
                     RK_OK);
    assert_int_equal(rk_capture_table_nlists(back), rk_capture_table_nlists(t));
    for (size_t j = 0; j < rk_capture_table_nlists(t); j++)
        assert_string_equal(rk_capture_table_list_name(back, j), rk_capture_table_list_name(t, j));
    assert_int_equal(rk_capture_table_npatterns(back), rk_capture_table_npatterns(t));
    for (size_t i = 0; i < rk_capture_table_npatterns(t); i++) {
        uint64_t p, q;
        int64_t c, d;
        rk_capture_table_pattern(t, i, &p, &c);
        rk_capture_table_pattern(back, i, &q, &d);
        assert_true(p == q && c == d);
    }
    rk_capture_table_free(back);
    rk_capture_table_free(t);
    /* a list name the layout cannot hold is refused, not written */
    const char *names[] = {"a,b", "c"};
    assert_int_equal(rk_capture_table_new(&t, &ctx, 2, names), RK_OK);
    rk_buf_clear(&b);
    assert_int_equal(rk_estimate_counts_csv(&b, &ctx, t), RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "'a,b'"));
    assert_int_equal(b.len, 0);
    rk_capture_table_free(t);
    rk_buf_release(&b);
    rk_ctx_release(&ctx);
}

/* The layout written is the one of tests/data/mse (every pattern, zero counts too, in binary
 * order with the first list most significant): each file written back is the file, byte for
 * byte. */
static void counts_layout_is_the_mse_files(void **state)
{
    (void)state;
    const char *files[] = {"mse/kosovo.csv", "mse/hare.csv", "mse/hiv.csv",
                           "mse/madigan_york_5list.csv", "mse/mvole_p3.csv"};
    for (size_t f = 0; f < N_OF(files); f++) {
        rk_ctx ctx;
        rk_ctx_init(&ctx);
        rk_capture_table *t = load_counts(files[f]);
        rk_buf b;
        rk_buf_init(&b);
        assert_int_equal(rk_estimate_counts_csv(&b, &ctx, t), RK_OK);
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", RK_DATA_DIR, files[f]);
        FILE *in = fopen(path, "rb");
        assert_non_null(in);
        char want[8192];
        size_t n = fread(want, 1, sizeof(want) - 1, in);
        fclose(in);
        want[n] = '\0';
        if (strcmp(rk_buf_cstr(&b), want) != 0)
            fprintf(stderr, "%s written back differs:\n%s", files[f], rk_buf_cstr(&b));
        assert_string_equal(rk_buf_cstr(&b), want);
        rk_buf_release(&b);
        rk_capture_table_free(t);
        rk_ctx_release(&ctx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(four_lists_refuse_chapman_and_answer_the_others),
        cmocka_unit_test(counts_layout_is_the_mse_files),
        cmocka_unit_test(two_lists_answer_chapman_only),
        cmocka_unit_test(sparse_table_is_one_refused_row),
        cmocka_unit_test(parses_method_names),
        cmocka_unit_test(counts_layout_reads_back_the_same_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
