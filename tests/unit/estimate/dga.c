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
    {"mse/kosovo.csv", 44000, 12749.3444513784, 1715.20688851043, 12595, 9827, 16544, 12267,
     "[EXH,ABA,OSCE][EXH,OSCE,HRW]"},
    {"mse/hiv.csv", 37920, 11357.1319605032, 1195.47979120741, 11220, 9404, 14095, 10992,
     "[c1][c2][c3][c4]"},
    {"mse/diabetes.csv", 10345, 2474.10988110504, 54.9351431915908, 2471, 2376, 2589, 2465,
     NULL /* same cliques as dga, listed in another order */},
    {"mse/madigan_york_5list.csv", 2685, 618.910714765498, 16.7605396234556, 618, 590, 656, 615,
     "[L1,L2][L3,L5][L4,L5]"},
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
    rk_capture_table *t = load_counts("mse/kosovo.csv");
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

/* dga.truncation_sensitivity of each reference: bma.cr rerun with Nmissing = 0 .. f * n for
 * f = 2, 5, 10, 20, 40 (delta 2^-K). reckon gets all five from one pass up to 40 n, truncated,
 * so this also checks that truncating and renormalizing is the same as rerunning. These are
 * exact sums, so mean and sd agree to 1e-9 relative (the differences seen are below 4e-10,
 * the precision of the references' printed digits allowing) and the quantiles and mode
 * exactly. The mass in the top tenth (N - n > 0.9 of the bound) spans 0.6 to 1e-23; each term
 * is exp of a difference of log-likelihoods of size ~1e5 whose rounding is ~1e-11, so 1e-7
 * leaves room (differences seen: below 6e-10) and still checks that the top tenth is the same
 * set of N: at hiv's 2 n one term more moves it by 6e-4. */
typedef struct trunc_ref {
    const char *file;
    int factor;
    double mean, sd, median, q025, q975, mode, top;
} trunc_ref;

static const trunc_ref truncs[] = {
    {"mse/kosovo.csv", 2, 11755.7074896316, 1002.83372525193, 11898, 9355, 13127, 12267,
     0.332057021981329},
    {"mse/kosovo.csv", 5, 12749.311499641, 1715.06540910632, 12595, 9827, 16544, 12267,
     1.43071526236719e-05},
    {"mse/kosovo.csv", 10, 12749.3444513784, 1715.20688851043, 12595, 9827, 16544, 12267,
     7.35517981565437e-10},
    {"mse/kosovo.csv", 20, 12749.3446349397, 1715.20987384519, 12595, 9827, 16544, 12267,
     4.01294481728063e-10},
    {"mse/kosovo.csv", 40, 12749.3448488596, 1715.21732174582, 12595, 9827, 16544, 12267,
     2.1491834125738e-10},
    {"mse/hiv.csv", 2, 3009.5081778535, 1623.12797402085, 1900, 1896, 5674, 1896,
     0.260622525812638},
    {"mse/hiv.csv", 5, 10525.0798789126, 582.69205129337, 10613, 9209, 11337, 10992,
     0.609655857405583},
    {"mse/hiv.csv", 10, 11356.8873107042, 1194.38934782712, 11220, 9404, 14094, 10992,
     0.000104375464181598},
    {"mse/hiv.csv", 20, 11357.1319605032, 1195.47979120741, 11220, 9404, 14095, 10992,
     4.63355051211408e-10},
    {"mse/hiv.csv", 40, 11357.1319683035, 1195.47990683627, 11220, 9404, 14095, 10992,
     2.55619291293349e-12},
    {"mse/diabetes.csv", 2, 2474.109874874, 54.9348817655042, 2471, 2376, 2589, 2465,
     2.19759318472362e-09},
    {"mse/diabetes.csv", 5, 2474.10988110504, 54.9351431915908, 2471, 2376, 2589, 2465,
     1.3739843718162e-11},
    {"mse/diabetes.csv", 10, 2474.10988203057, 54.9352665531848, 2471, 2376, 2589, 2465,
     7.76280620209025e-12},
    {"mse/diabetes.csv", 20, 2474.1098830755, 54.9355481950626, 2471, 2376, 2589, 2465,
     4.25648252575922e-12},
    {"mse/diabetes.csv", 40, 2474.10988421217, 54.936164335005, 2471, 2376, 2589, 2465,
     2.27962791282258e-12},
    {"mse/madigan_york_5list.csv", 2, 618.910714765498, 16.7605396234521, 618, 590, 656, 615,
     8.37511381999093e-17},
    {"mse/madigan_york_5list.csv", 5, 618.910714765498, 16.7605396234556, 618, 590, 656, 615,
     1.48084356735297e-19},
    {"mse/madigan_york_5list.csv", 10, 618.910714765498, 16.7605396234556, 618, 590, 656, 615,
     2.869784273259e-21},
    {"mse/madigan_york_5list.csv", 20, 618.910714765498, 16.7605396234556, 618, 590, 656, 615,
     1.16627128487806e-22},
    {"mse/madigan_york_5list.csv", 40, 618.910714765498, 16.7605396234556, 618, 590, 656, 615,
     1.06189569154216e-23},
};

static const rk_estimate_sensitivity *find_row(const rk_estimate *e, const char *varies,
                                               double delta, int64_t nmax)
{
    for (size_t i = 0; i < e->nsensitivity; i++) {
        const rk_estimate_sensitivity *r = &e->sensitivity[i];
        if (!strcmp(r->varies, varies) && fabs(r->delta - delta) <= 1e-12 * delta &&
            r->nmissing_max == nmax)
            return r;
    }
    return NULL;
}

static void dga_sensitivity_matches_truncation_sensitivity(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = NULL;
    rk_estimate e;
    rk_estimate_init(&e);
    for (size_t i = 0; i < N_OF(truncs); i++) {
        const trunc_ref *f = &truncs[i];
        if (i == 0 || strcmp(f->file, truncs[i - 1].file)) { /* one run per data set */
            rk_estimate_release(&e);
            rk_capture_table_free(t);
            t = load_counts(f->file);
            rk_dga_options o = RK_DGA_OPTIONS_INIT;
            assert_int_equal(rk_estimate_dga(&e, &ctx, t, &o), RK_OK);
        }
        size_t k = rk_capture_table_nlists(t);
        int64_t n = rk_capture_table_observed(t);
        const rk_estimate_sensitivity *r = find_row(&e, "nmax", ldexp(1, -(int)k), f->factor * n);
        assert_non_null(r);
        assert_rel(r->mean, f->mean, 1e-9);
        assert_rel(r->sd, f->sd, 1e-9);
        assert_true(r->median == f->median);
        assert_true(r->lower == f->q025);
        assert_true(r->upper == f->q975);
        assert_true(r->mode == f->mode);
        assert_rel(r->top_mass, f->top, 1e-7);
        /* the default bound is 10 n: that row is the estimate itself */
        assert_true(r->baseline == (f->factor == 10));
        if (r->baseline)
            assert_true(r->median == e.estimate && r->lower == e.lower && r->upper == e.upper);
    }
    rk_estimate_release(&e);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

/* madigan_york_5list.json dga.doc_example: bma.cr's help example, delta = 1/2 and Nmissing =
 * 1..300. reckon's delta row at 1/2 with the bound 300 sums from Nmissing = 0 as well. That
 * one extra N = n, 81 below the mean, carries ~1e-9 of the mass here (a larger delta puts more
 * weight on the saturated graph, whose posterior has an atom near N = n): it moves the sd by
 * ~1.3e-8 relative and the mean by ~1e-10, hence 1e-7; quantiles and mode exact. */
static void dga_sensitivity_matches_bma_cr_at_delta_one_half(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = load_counts("mse/madigan_york_5list.csv");
    rk_dga_options o = RK_DGA_OPTIONS_INIT;
    o.nmissing_max = 300;
    rk_estimate e;
    assert_int_equal(rk_estimate_dga(&e, &ctx, t, &o), RK_OK);
    const rk_estimate_sensitivity *r = find_row(&e, "delta", 0.5, 300);
    assert_non_null(r);
    assert_false(r->baseline);
    assert_rel(r->mean, 617.815890761466, 1e-7);
    assert_rel(r->sd, 17.2625017444306, 1e-7);
    assert_true(r->median == 616 && r->lower == 588 && r->upper == 655 && r->mode == 614);
    /* the grid: 2^-5 times 1/4 .. 4, then 1/2 and 1, ascending; the main delta marked */
    static const double want[] = {1.0 / 128, 1.0 / 64, 1.0 / 32, 1.0 / 16, 1.0 / 8, 0.5, 1};
    size_t nd = 0;
    for (size_t i = 0; i < e.nsensitivity; i++)
        if (!strcmp(e.sensitivity[i].varies, "delta")) {
            assert_true(nd < N_OF(want));
            assert_true(e.sensitivity[i].delta == want[nd]);
            assert_true(e.sensitivity[i].baseline == (want[nd] == 1.0 / 32));
            nd++;
        }
    assert_int_equal(nd, N_OF(want));
    rk_estimate_release(&e);
    /* the same posterior as the main estimate of a run at delta 1/2 */
    o.delta = 0.5;
    assert_int_equal(rk_estimate_dga(&e, &ctx, t, &o), RK_OK);
    assert_true(e.estimate == 616 && e.lower == 588 && e.upper == 655);
    assert_rel(e.mean, 617.815890761466, 1e-7);
    rk_estimate_release(&e);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

/* Each sensitivity row is the posterior of a run with that one setting changed: the rows of
 * one call (the bounds cut from one pass up to 40 n, the deltas by passes run together)
 * against calls with --nmax or --delta set and no sensitivity rows. The two reach the same
 * sums by different arithmetic (beyond the main bound a row interpolates logpost, a main
 * pass each graph's term; src/estimate/dga.c, STRIDE), both within ~1e-12 of the exact
 * terms: on the data sets of reference/mse, under both priors, they differ by at most 1.2e-12
 * on the mean and 4.6e-12 on the sd, hence 1e-10; quantiles and mode exact. */
static void dga_sensitivity_rows_match_single_runs(void **state)
{
    (void)state;
    static const char *const files[] = {"mse/kosovo.csv", "mse/madigan_york_5list.csv",
                                        "mse/hiv.csv"};
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    for (size_t f = 0; f < N_OF(files); f++) {
        rk_capture_table *t = load_counts(files[f]);
        rk_dga_options o = RK_DGA_OPTIONS_INIT;
        rk_estimate e;
        assert_int_equal(rk_estimate_dga(&e, &ctx, t, &o), RK_OK);
        assert_true(e.nsensitivity >= 10);
        int64_t n = rk_capture_table_observed(t);
        for (size_t i = 0; i < e.nsensitivity; i++) {
            const rk_estimate_sensitivity *r = &e.sensitivity[i];
            rk_dga_options one = RK_DGA_OPTIONS_INIT;
            one.sensitivity = false;
            one.delta = r->delta;
            one.nmissing_max = r->nmissing_max;
            if (!strcmp(r->varies, "delta")) /* at the main bound */
                assert_true(r->nmissing_max == 10 * n);
            rk_estimate s;
            assert_int_equal(rk_estimate_dga(&s, &ctx, t, &one), RK_OK);
            assert_rel(r->mean, s.mean, 1e-10);
            assert_rel(r->sd, s.stderr_n, 1e-10);
            assert_true(r->median == s.median && r->lower == s.lower && r->upper == s.upper);
            assert_true(r->mode == s.mode);
            if (r->baseline) /* the main estimate's own posterior */
                assert_true(r->mean == e.mean && r->sd == e.stderr_n);
            rk_estimate_release(&s);
        }
        rk_estimate_release(&e);
        rk_capture_table_free(t);
    }
    rk_ctx_release(&ctx);
}

/* A flat prior on N (--nprior uniform) moves the posterior up against 1/N; without the
 * sensitivity analysis there are no rows. */
static void dga_takes_a_uniform_prior_on_n(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = load_counts("mse/kosovo.csv");
    rk_dga_options o = RK_DGA_OPTIONS_INIT;
    o.sensitivity = false;
    rk_estimate inv, flat;
    assert_int_equal(rk_estimate_dga(&inv, &ctx, t, &o), RK_OK);
    assert_int_equal(inv.nsensitivity, 0);
    assert_null(inv.sensitivity);
    o.prior = RK_DGA_PRIOR_UNIFORM;
    assert_int_equal(rk_estimate_dga(&flat, &ctx, t, &o), RK_OK);
    assert_true(flat.mean > inv.mean);
    assert_true(flat.estimate > inv.estimate);
    /* the ratio of the two posteriors is N: mean under flat = E[N^2] / E[N] under 1/N */
    double second = inv.stderr_n * inv.stderr_n + inv.mean * inv.mean;
    assert_rel(flat.mean, second / inv.mean, 1e-9);
    o.prior = (rk_dga_prior)7;
    rk_estimate bad;
    assert_int_equal(rk_estimate_dga(&bad, &ctx, t, &o), RK_EINTERNAL);
    rk_error_clear(&ctx);
    rk_estimate_release(&inv);
    rk_estimate_release(&flat);
    rk_estimate_release(&bad);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

/* The share of the graph of highest weight, which the warning gives to three digits, against
 * dga's top5_graphs[0].posterior_weight (<set>.json), on 5, 4 and 3 lists in turn: each number
 * of lists has its own graphs, built at the first call and shared by the later ones. */
static void dga_weighs_the_graphs_as_bma_cr(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int64_t nmissing_max;
        const char *ngraphs;
        double weight; /* < 0: none from dga */
    } cases[] = {
        {"mse/madigan_york_5list.csv", 2685, "822", 0.441404358370725},
        {"mse/kosovo.csv", 44000, "61", 0.98551317951859},
        {"mse/madigan_york_3list.csv", 3130, "8", -1},
        {"mse/diabetes.csv", 10345, "61", 0.987387457561873},
        {"mse/madigan_york_5list.csv", 2685, "822", 0.441404358370725},
    };
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    for (size_t i = 0; i < N_OF(cases); i++) {
        rk_capture_table *t = load_counts(cases[i].file);
        rk_dga_options o = RK_DGA_OPTIONS_INIT;
        o.nmissing_max = cases[i].nmissing_max;
        o.sensitivity = false;
        rk_estimate e;
        assert_int_equal(rk_estimate_dga(&e, &ctx, t, &o), RK_OK);
        const char *at = strstr(e.warning, "highest posterior weight (");
        assert_non_null(at);
        char *end = NULL;
        double share = strtod(at + strlen("highest posterior weight ("), &end);
        assert_true(strncmp(end, " among ", 7) == 0);
        assert_true(strncmp(end + 7, cases[i].ngraphs, strlen(cases[i].ngraphs)) == 0);
        if (cases[i].weight > 0)
            assert_true(fabs(share - cases[i].weight) <= 6e-4); /* %.3g's rounding */
        rk_estimate_release(&e);
        rk_capture_table_free(t);
    }
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dga_matches_bma_cr),
        cmocka_unit_test(dga_warns_when_the_range_is_too_short),
        cmocka_unit_test(dga_sensitivity_matches_truncation_sensitivity),
        cmocka_unit_test(dga_sensitivity_matches_bma_cr_at_delta_one_half),
        cmocka_unit_test(dga_sensitivity_rows_match_single_runs),
        cmocka_unit_test(dga_takes_a_uniform_prior_on_n),
        cmocka_unit_test(dga_weighs_the_graphs_as_bma_cr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
