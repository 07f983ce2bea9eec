/* Bayesian model averaging over decomposable graphs against dga 2.0.2 (bma.cr): the exact
 * posterior of N, so agreement is to rounding. Numbers from /work/shared/reference/mse/<set>.json,
 * field dga.posterior_N (and dga.top5_graphs[0]); settings from dga.call (delta = 2^-K, the
 * range of Nmissing). Tolerance 1e-6 relative on mean and sd; quantiles and mode exact. */
#include "helpers.h"

typedef struct ref {
    const char *file;
    int64_t nmissing_max;
    double mean, sd, median, q025, q975, mode;
    const char *top;
} ref;

static const ref refs[] = {
    {"data/mse/kosovo.csv", 44000, 12749.3444513784, 1715.20688851043, 12595, 9827, 16544, 12267,
     "[EXH,ABA,OSCE][EXH,OSCE,HRW]"},
    {"data/mse/hiv.csv", 37920, 11357.1319605032, 1195.47979120741, 11220, 9404, 14095, 10992,
     "[c1][c2][c3][c4]"},
    {"data/mse/diabetes.csv", 10345, 2474.10988110504, 54.9351431915908, 2471, 2376, 2589, 2465,
     NULL /* same cliques as dga, listed in another order */},
    {"data/mse/madigan_york_5list.csv", 2685, 618.910714765498, 16.7605396234556, 618, 590, 656,
     615, "[L1,L2][L3,L5][L4,L5]"},
};

static void dga_matches_bma_cr(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    for (size_t i = 0; i < N_OF(refs); i++) {
        rk_capture_table *t = load_counts(refs[i].file);
        rk_dga_options o = RK_DGA_OPTIONS_INIT;
        o.nmissing_max = refs[i].nmissing_max;
        rk_estimate e;
        assert_int_equal(rk_estimate_dga(&e, &ctx, t, &o), RK_OK);
        assert_rel(e.mean, refs[i].mean, 1e-6);
        assert_rel(e.stderr_n, refs[i].sd, 1e-6);
        assert_true(e.median == refs[i].median);
        assert_true(e.lower == refs[i].q025);
        assert_true(e.upper == refs[i].q975);
        assert_true(e.mode == refs[i].mode);
        if (refs[i].top)
            assert_string_equal(e.model, refs[i].top);
        rk_estimate_release(&e);
        rk_capture_table_free(t);
    }
    rk_ctx_release(&ctx);
}

static void dga_warns_when_the_range_is_too_short(void **state)
{
    (void)state;
    /* kosovo.json: dga.truncation_sensitivity[0]: at 2 x n, 33% of the mass is in the top
     * tenth of the range */
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = load_counts("data/mse/kosovo.csv");
    rk_dga_options o = RK_DGA_OPTIONS_INIT;
    o.nmissing_max = 8800;
    rk_estimate e;
    assert_int_equal(rk_estimate_dga(&e, &ctx, t, &o), RK_OK);
    assert_rel(e.mean, 11755.7074896316, 1e-6);
    assert_non_null(strstr(e.warning, "raise --nmax"));
    rk_estimate_release(&e);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dga_matches_bma_cr),
        cmocka_unit_test(dga_warns_when_the_range_is_too_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
