/* Combining imputation replicates: verdata's figures on HRDAG's 20 stored replicates (to the
 * unit), Rubin's rules and the pooled mixture on the same and on a case worked by hand, and the
 * index and draw files refused with their place. */
#include "helpers.h"

#include "estimate/estimate_private.h"

#include <gsl/gsl_cdf.h>

#define HRDAG_INDEX RK_DATA_DIR "/verdata/hrdag_estimates/index.csv"

static rk_combined_estimate combine_hrdag(rk_combine_rule rule)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_replicate *reps = NULL;
    size_t n = 0;
    int rc = rk_estimate_read_replicates(&reps, &n, &ctx, HRDAG_INDEX);
    if (rc != RK_OK)
        fprintf(stderr, "%s\n", ctx.err.message);
    assert_int_equal(rc, RK_OK);
    assert_int_equal(n, 20);
    assert_string_equal(reps[0].name, "R1");
    assert_int_equal(reps[0].observed, 982);
    assert_int_equal(reps[0].ndraws, 1000);
    assert_int_equal(reps[0].draws[0], 1580);
    rk_combined_estimate c;
    assert_int_equal(rk_estimate_combine_replicates(&c, &ctx, reps, n, rule), RK_OK);
    rk_replicate_array_free(reps, n);
    rk_ctx_release(&ctx);
    return c;
}

/* verdata 1.0.2, tests/testthat/test-combine_estimates.R ("Testing combination"): on these
 * 20 files combine_estimates gives N_025 1266, N_mean 1593, N_975 2148. */
static void verdata_rule_gives_verdatas_figures_to_the_unit(void **state)
{
    (void)state;
    rk_combined_estimate c = combine_hrdag(RK_COMBINE_VERDATA);
    assert_int_equal(c.replicates, 20);
    assert_int_equal(c.draws, 20000);
    assert_true(c.observed == 991);
    assert_true(c.estimate == 1593);
    assert_true(c.lower == 1266);
    assert_true(c.upper == 2148);
    /* verdata's df, (m - 1)(1 + W / ((m + 1) B))^2, on the log scale */
    assert_rel(c.df, 19 * pow(1 + c.within / (21 * c.between), 2), 1e-12);
    assert_rel(c.df, 23.68611342, 1e-8);
    assert_rel(c.total, c.within + 21.0 / 20 * c.between, 1e-12);
    assert_string_equal(c.warning, "");
}

static void rubin_rule_on_n_has_rubins_df(void **state)
{
    (void)state;
    rk_combined_estimate c = combine_hrdag(RK_COMBINE_RUBIN);
    assert_rel(c.estimate, 1593.23945, 1e-9); /* the mean of all draws: 1000 per replicate */
    assert_rel(c.df, 19 * pow(1 + c.within / (21.0 / 20 * c.between), 2), 1e-12);
    assert_rel(c.df, 261.5998225, 1e-8);
    assert_rel(c.lower, 1095.855183, 1e-9);
    assert_rel(c.upper, 2090.623717, 1e-9);
}

static void pooled_rule_takes_quantiles_of_all_draws(void **state)
{
    (void)state;
    rk_combined_estimate c = combine_hrdag(RK_COMBINE_POOLED);
    assert_true(c.estimate == 1535);
    assert_true(c.lower == 1309);
    assert_rel(c.upper, 2308.025, 1e-12);
    assert_rel(c.mean, 1593.23945, 1e-9);
    assert_true(isnan(c.df));
}

/* Two replicates worked by hand: draws {10, 12, 14} and {20, 22, 24}, 5 observed in each. */
static void two_replicates_worked_by_hand(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    double a[] = {10, 12, 14}, b[] = {20, 22, 24};
    rk_replicate reps[] = {{.name = "A", .observed = 5, .draws = a, .ndraws = 3},
                           {.name = "B", .observed = 5, .draws = b, .ndraws = 3}};
    rk_combined_estimate c;
    assert_int_equal(rk_estimate_combine_replicates(&c, &ctx, reps, 2, RK_COMBINE_RUBIN), RK_OK);
    /* means 12 and 22: W = 4, B = 50, T = 4 + 1.5 * 50 = 79, df = (1 + 4 / 75)^2 */
    assert_rel(c.estimate, 17, 1e-15);
    assert_rel(c.within, 4, 1e-14);
    assert_rel(c.between, 50, 1e-14);
    assert_rel(c.total, 79, 1e-14);
    assert_rel(c.df, pow(1 + 4.0 / 75, 2), 1e-14);
    assert_non_null(strstr(c.warning, "only 2 replicates"));
    assert_int_equal(rk_estimate_combine_replicates(&c, &ctx, reps, 2, RK_COMBINE_POOLED), RK_OK);
    /* type 7 on 10 12 14 20 22 24: median 17, 2.5% at 10 + 0.125 * 2 */
    assert_rel(c.estimate, 17, 1e-15);
    assert_rel(c.lower, 10.25, 1e-15);
    assert_rel(c.upper, 23.75, 1e-15);
    assert_int_equal(rk_estimate_combine_replicates(&c, &ctx, reps, 2, RK_COMBINE_VERDATA), RK_OK);
    /* N - n_obs: means 7 and 17, their mean 12, plus 5 */
    assert_true(c.estimate == 17);
    assert_true(c.observed == 5);
    rk_ctx_release(&ctx);
}

/* Replicates without draws (log-linear, Chapman, dga), combined by Rubin's rules on
 * log(N - n): a case worked by hand, replicates that agree giving back their interval, and one
 * replicate returned as it is. */
static void intervals_combine_on_the_log_scale(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    double obs[] = {100, 100}, est[] = {150, 200}, lo[] = {120, 140}, hi[] = {200, 300};
    rk_combined_estimate c;
    assert_int_equal(estimate_combine_intervals(&c, &ctx, obs, est, lo, hi, 2, RK_COMBINE_RUBIN),
                     RK_OK);
    /* On log(N - 100): centres (log 20 + log 100) / 2 and (log 40 + log 200) / 2, each
     * interval log 5 wide, so U = (log 5 / (2 z))^2 for both; B = (log 2)^2 / 2 (the centres
     * differ by log 2); T = U + 1.5 B; df = (1 + U / (1.5 B))^2; the point is 100 plus the
     * geometric mean of 50 and 100. */
    double z = gsl_cdf_ugaussian_Pinv(0.975), u = pow(log(5) / (2 * z), 2);
    double b = log(2) * log(2) / 2, t = u + 1.5 * b, df = pow(1 + u / (1.5 * b), 2);
    double centre = (log(20) + log(100) + log(40) + log(200)) / 4;
    double half = gsl_cdf_tdist_Pinv(0.975, df) * sqrt(t);
    assert_rel(c.within, u, 1e-12);
    assert_rel(c.between, b, 1e-12);
    assert_rel(c.total, t, 1e-12);
    assert_rel(c.df, df, 1e-12);
    assert_rel(c.estimate, 100 + sqrt(50.0 * 100.0), 1e-12);
    assert_rel(c.lower, 100 + exp(centre - half), 1e-12);
    assert_rel(c.upper, 100 + exp(centre + half), 1e-12);
    /* Replicates that agree give back their interval (B = 0, the normal quantile). */
    double obs3[] = {621, 621, 621}, est3[] = {1065, 1065, 1065}, lo3[] = {900, 900, 900},
           hi3[] = {1299, 1299, 1299};
    assert_int_equal(
        estimate_combine_intervals(&c, &ctx, obs3, est3, lo3, hi3, 3, RK_COMBINE_RUBIN), RK_OK);
    assert_rel(c.lower, 900, 1e-12);
    assert_rel(c.upper, 1299, 1e-12);
    assert_rel(c.estimate, 1065, 1e-12);
    /* One is returned as it is. */
    assert_int_equal(
        estimate_combine_intervals(&c, &ctx, obs3, est3, lo3, hi3, 1, RK_COMBINE_VERDATA), RK_OK);
    assert_true(c.estimate == 1065 && c.lower == 900 && c.upper == 1299 && c.observed == 621);
    assert_int_equal(
        estimate_combine_intervals(&c, &ctx, obs3, est3, lo3, hi3, 0, RK_COMBINE_RUBIN), RK_EINPUT);
    rk_ctx_release(&ctx);
}

static void one_replicate_pools_but_refuses_rubin(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    double a[] = {10, 12, 14}, low[] = {10, 4};
    rk_replicate one = {.name = "A", .observed = 5, .draws = a, .ndraws = 3};
    rk_combined_estimate c;
    assert_int_equal(rk_estimate_combine_replicates(&c, &ctx, &one, 1, RK_COMBINE_POOLED), RK_OK);
    assert_rel(c.estimate, 12, 1e-15);
    assert_int_equal(rk_estimate_combine_replicates(&c, &ctx, &one, 1, RK_COMBINE_VERDATA),
                     RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "needs at least 2 replicates"));
    rk_replicate below = {.name = "B", .observed = 5, .draws = low, .ndraws = 2};
    assert_int_equal(rk_estimate_combine_replicates(&c, &ctx, &below, 1, RK_COMBINE_POOLED),
                     RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "draw 2 (4) is below its 5 observed persons"));
    rk_combine_rule rule;
    assert_int_equal(rk_estimate_combine_rule_parse(&rule, &ctx, "verdata"), RK_OK);
    assert_int_equal(rule, RK_COMBINE_VERDATA);
    assert_string_equal(rk_estimate_combine_rule_name(rule), "verdata");
    assert_int_equal(rk_estimate_combine_rule_parse(&rule, &ctx, "mean"), RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "unknown rule 'mean'"));
    rk_ctx_release(&ctx);
}

/* Writes index.csv and one a.json into a fresh folder and reads them: the return code, with
 * the error formatted as "file:line:column: message" in msg. */
static int read_bad(char *msg, size_t msgsz, const char *index, const char *draws)
{
    char *dir = rk_test_tmpdir(), path[512];
    snprintf(path, sizeof(path), "%s/a.json", dir);
    if (draws)
        rk_test_write_file(path, draws);
    snprintf(path, sizeof(path), "%s/index.csv", dir);
    rk_test_write_file(path, index);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_replicate *reps = NULL;
    size_t n = 0;
    int rc = rk_estimate_read_replicates(&reps, &n, &ctx, path);
    char full[4096];
    rk_error_format(full, sizeof(full), &ctx);
    const char *base = strstr(full, "/index.csv:") ? strstr(full, "/index.csv:") + 1
                       : strstr(full, "/a.json:")  ? strstr(full, "/a.json:") + 1
                                                   : full;
    snprintf(msg, msgsz, "%s", base);
    rk_replicate_array_free(reps, n);
    rk_ctx_release(&ctx);
    rk_test_tmpdir_remove(dir);
    return rc;
}

#define ASSERT_REFUSED(index, draws, want)                                                         \
    do {                                                                                           \
        char m_[4096];                                                                             \
        assert_int_equal(read_bad(m_, sizeof(m_), index, draws), RK_EINPUT);                       \
        if (!strstr(m_, want))                                                                     \
            fprintf(stderr, "got: %s\nwant: %s\n", m_, want);                                      \
        assert_non_null(strstr(m_, want));                                                         \
    } while (0)

static void bad_index_and_draws_are_refused_at_their_place(void **state)
{
    (void)state;
    const char *ok = "hash,replicate,n_obs\na,R1,5\n";
    char msg[4096];
    assert_int_equal(read_bad(msg, sizeof(msg), ok, "[5, 6,\n 7]\n"), RK_OK);
    ASSERT_REFUSED("hash,replicate,n_obs\nb,R1,5\n", NULL,
                   "index.csv:2:1: replicate 'R1': cannot open");
    ASSERT_REFUSED(ok, "[5, 6,\n 7.5]", "a.json:2:2: draw '7.5' is not a whole number");
    ASSERT_REFUSED(ok, "[5, \"6\"]", "a.json:1:5: draw '\"6\"' is not a whole number");
    ASSERT_REFUSED(ok, " [ ]", "a.json:1:4: the array of draws is empty");
    ASSERT_REFUSED(ok, "{}", "a.json:1:1: expected '[' opening the array");
    ASSERT_REFUSED(ok, "[5, 6", "a.json:1:6: expected ',' or ']' after a draw");
    ASSERT_REFUSED(ok, "[5] 6", "a.json:1:5: unexpected '6' after the array");
    ASSERT_REFUSED(ok, "[5, 4]", "a.json:1:5: draw 4 is below the 5 persons observed");
    ASSERT_REFUSED("hash,replicate,n_obs\na,R1,five\n", "[5]",
                   "index.csv:2:6: n_obs 'five' is not a whole number");
    ASSERT_REFUSED("hash,replicate,n_obs\na,R1,5.0\n", "[5]",
                   "index.csv:2:6: n_obs '5.0' is not a whole number");
    ASSERT_REFUSED("hash,replicate\na,R1\n", "[5]",
                   "index.csv:1:1: the header has no column "
                   "'n_obs'");
    ASSERT_REFUSED("hash,replicate,n_obs\na,R1\n", "[5]",
                   "index.csv:2:1: 2 fields where the header has 3");
    ASSERT_REFUSED("hash,replicate,n_obs\n../a,R1,5\n", "[5]",
                   "index.csv:2:1: hash '../a' is not a file name");
    ASSERT_REFUSED("hash,replicate,n_obs\na,R1,5\na,R1,5\n", "[5]",
                   "index.csv:3:3: replicate 'R1' is listed twice");
    ASSERT_REFUSED("hash,replicate,n_obs\n\"a\",R1,5\n", "[5]",
                   "index.csv:2:1: quoted fields are not supported");
    ASSERT_REFUSED("hash,replicate,n_obs\n", "[5]", "index.csv:1:1: the index lists no replicates");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verdata_rule_gives_verdatas_figures_to_the_unit),
        cmocka_unit_test(rubin_rule_on_n_has_rubins_df),
        cmocka_unit_test(pooled_rule_takes_quantiles_of_all_draws),
        cmocka_unit_test(two_replicates_worked_by_hand),
        cmocka_unit_test(one_replicate_pools_but_refuses_rubin),
        cmocka_unit_test(intervals_combine_on_the_log_scale),
        cmocka_unit_test(bad_index_and_draws_are_refused_at_their_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
