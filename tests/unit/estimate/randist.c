/* The samplers of src/estimate/randist.h (the LCMCR hot loop's own normal, exponential, gamma,
 * beta, binomial and Poisson): the first two moments of many draws against the distributions'
 * own, within 5 Monte-Carlo standard errors, for the shapes the sampler meets (tiny, 1, large;
 * binomials of small and large mean), the whole distribution of the binomial and the Poisson
 * (a chi-square test against GSL's probabilities), and the logarithmic beta where the plain
 * draw would round to 1. */
#include "helpers.h"

#include "estimate/randist.h"

#include <gsl/gsl_randist.h>

enum { DRAWS = 200000 };

/* Checks the mean and variance of `x` against `mean` and `var` (fourth central moment `m4`
 * for the standard error of the variance; pass 3 var^2 when unknown, the normal value). */
static void check_moments(const double *x, size_t n, double mean, double var, double m4)
{
    double m = 0, v = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        v += (x[i] - m) * (x[i] - m);
    v /= (double)(n - 1);
    double se_m = sqrt(var / (double)n), se_v = sqrt((m4 - var * var) / (double)n);
    if (!(fabs(m - mean) < 5 * se_m + 1e-12) || !(fabs(v - var) < 5 * se_v + 1e-12))
        fail_msg("mean %g (want %g +- %g), variance %g (want %g +- %g)", m, mean, se_m, v, var,
                 se_v);
}

static double *draws(void)
{
    static double x[DRAWS];
    return x;
}

static estimate_zig zig;

static estimate_gen gen(uint64_t seed)
{
    estimate_gen g;
    rk_rng_seed(&g.rng, seed);
    estimate_zig_init(&zig);
    g.z = &zig;
    return g;
}

/* A chi-square test of `x` (integers) against the probabilities f(k), k >= 0, pooling the
 * cells whose expected count is below 20; fails beyond the 0.9999 quantile (z > 3.72 in the
 * Wilson-Hilferty approximation). */
static void check_pmf(const double *x, size_t n, double (*f)(double k, const double *par),
                      const double *par, double kmax)
{
    enum { CELLS = 4000 };
    static double obs[CELLS];
    memset(obs, 0, sizeof(obs));
    size_t top = (size_t)kmax + 1 < CELLS ? (size_t)kmax + 1 : CELLS;
    for (size_t i = 0; i < n; i++)
        obs[(size_t)x[i] < top ? (size_t)x[i] : top - 1] += 1;
    double chi = 0, o = 0, e = 0, etot = 0;
    int df = -1;
    for (size_t k = 0; k < top; k++) {
        double ek = k + 1 < top ? f((double)k, par) * (double)n : (double)n - etot;
        etot += ek;
        o += obs[k];
        e += ek;
        if (e >= 20 || k + 1 == top) {
            if (e > 0) {
                chi += (o - e) * (o - e) / e;
                df++;
            }
            o = e = 0;
        }
    }
    double z = (cbrt(chi / df) - (1 - 2.0 / (9 * df))) / sqrt(2.0 / (9 * df));
    if (!(z < 3.72))
        fail_msg("chi-square %g on %d df (z = %g)", chi, df, z);
}

/* The reference probabilities are GSL's: the samplers are reckon's own for speed only. */
static double binomial_pmf(double k, const double *par)
{
    return gsl_ran_binomial_pdf((unsigned)k, par[1], (unsigned)par[0]);
}

static double poisson_pmf(double k, const double *par)
{
    return gsl_ran_poisson_pdf((unsigned)k, par[0]);
}

static void normal_and_exponential_have_their_moments(void **state)
{
    (void)state;
    estimate_gen g = gen(3);
    double *x = draws();
    for (size_t i = 0; i < DRAWS; i++)
        x[i] = estimate_normal(&g);
    check_moments(x, DRAWS, 0, 1, 3);
    /* the tails beyond the ziggurat's base (|x| > 3.654...) have their share, 2.58e-4 */
    size_t tail = 0;
    for (size_t i = 0; i < DRAWS; i++)
        tail += fabs(x[i]) > 3.6541528853610088;
    assert_true(fabs((double)tail - 2.58e-4 * DRAWS) < 5 * sqrt(2.58e-4 * DRAWS));
    for (size_t i = 0; i < DRAWS; i++)
        x[i] = estimate_exp(&g);
    /* Exp(1): mean 1, variance 1, fourth central moment 9 */
    check_moments(x, DRAWS, 1, 1, 9);
}

static void gamma_has_its_moments(void **state)
{
    (void)state;
    estimate_gen r = gen(42);
    double *x = draws();
    const double shapes[] = {0.05, 0.25, 1, 3.5, 1044.25};
    for (size_t s = 0; s < N_OF(shapes); s++) {
        double a = shapes[s];
        for (size_t i = 0; i < DRAWS; i++)
            x[i] = estimate_gamma(&r, a);
        /* Gamma(a, 1): mean a, variance a, fourth central moment 3a^2 + 6a */
        check_moments(x, DRAWS, a, a, 3 * a * a + 6 * a);
    }
}

static void beta_has_its_moments(void **state)
{
    (void)state;
    estimate_gen r = gen(7);
    double *x = draws();
    const double ab[][2] = {{1, 1}, {1, 40}, {40, 1}, {3, 900}, {0.3, 0.7}, {250, 120}};
    for (size_t s = 0; s < N_OF(ab); s++) {
        double a = ab[s][0], b = ab[s][1], t = a + b;
        for (size_t i = 0; i < DRAWS; i++) {
            double lv, l1mv;
            estimate_log_beta(&r, a, b, &lv, &l1mv); /* the form LCMCR draws */
            x[i] = exp(lv);
        }
        double mean = a / t, var = a * b / (t * t * (t + 1));
        double m4 = 3 * a * b * (a * b * (t - 6) + 2 * t * t) /
                    (t * t * t * t * (t + 1) * (t + 2) * (t + 3)); /* kurtosis form */
        check_moments(x, DRAWS, mean, var, m4);
    }
    /* Beta(1, 0.01): log(1 - V) is -log(U)/0.01-ish, far below what 1 - V can hold; its mean is
     * digamma(0.01) - digamma(1.01) = -100.0 - ... ~ -99.99 (E log(1 - V) = psi(b) - psi(a+b)) */
    double s = 0;
    int n = 20000;
    for (int i = 0; i < n; i++) {
        double lv, l1mv;
        estimate_log_beta(&r, 1, 0.01, &lv, &l1mv);
        assert_true(isfinite(l1mv) && lv <= 0);
        s += l1mv;
    }
    /* psi(0.01) - psi(1.01) = -1/0.01 exactly (psi(x + 1) = psi(x) + 1/x); sd 1/b = 100 */
    assert_true(fabs(s / n - (-100)) < 5 * 100 / sqrt(n));
}

static void binomial_has_its_moments(void **state)
{
    (void)state;
    estimate_gen r = gen(11);
    double *x = draws();
    const struct {
        int64_t n;
        double p;
    } cases[] = {{1, 0.3}, {13, 0.5}, {1131, 0.004}, {1131, 0.7}, {50000, 0.999}, {12, 1e-9}};
    for (size_t s = 0; s < N_OF(cases); s++) {
        int64_t n = cases[s].n;
        double p = cases[s].p, var = (double)n * p * (1 - p);
        for (size_t i = 0; i < DRAWS; i++) {
            x[i] = (double)estimate_binomial(&r, n, p);
            assert_true(x[i] >= 0 && x[i] <= (double)n);
        }
        /* fourth central moment of a binomial: n p q (1 + 3 (n - 2) p q) */
        check_moments(x, DRAWS, (double)n * p, var, var * (1 + 3 * ((double)n - 2) * p * (1 - p)));
        if (n < 4000) {
            double par[2] = {(double)n, p};
            check_pmf(x, DRAWS, binomial_pmf, par, (double)n);
        }
    }
    /* BTRS's own range: means from 10 up, both sides of p = 1/2 */
    const double bp[][2] = {{20, 0.5}, {40, 0.25}, {3000, 0.37}, {200, 0.93}};
    for (size_t s = 0; s < N_OF(bp); s++) {
        for (size_t i = 0; i < DRAWS; i++)
            x[i] = (double)estimate_binomial(&r, (int64_t)bp[s][0], bp[s][1]);
        check_pmf(x, DRAWS, binomial_pmf, bp[s], bp[s][0]);
    }
    assert_int_equal(estimate_binomial(&r, 10, 0), 0);
    assert_int_equal(estimate_binomial(&r, 10, 1), 10);
}

static void poisson_has_its_distribution(void **state)
{
    (void)state;
    estimate_gen r = gen(13);
    double *x = draws();
    const double mus[] = {0.3, 4, 10, 37.5, 900};
    for (size_t s = 0; s < N_OF(mus); s++) {
        for (size_t i = 0; i < DRAWS; i++)
            x[i] = (double)estimate_poisson(&r, mus[s]);
        check_moments(x, DRAWS, mus[s], mus[s], mus[s] * (1 + 3 * mus[s]));
        check_pmf(x, DRAWS, poisson_pmf, &mus[s], 3 * mus[s] + 50);
    }
    /* a mean far beyond the table sizes: moments only */
    for (size_t i = 0; i < DRAWS; i++)
        x[i] = (double)estimate_poisson(&r, 2.5e7);
    check_moments(x, DRAWS, 2.5e7, 2.5e7, 2.5e7 * (1 + 7.5e7));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normal_and_exponential_have_their_moments),
        cmocka_unit_test(gamma_has_its_moments),
        cmocka_unit_test(beta_has_its_moments),
        cmocka_unit_test(binomial_has_its_moments),
        cmocka_unit_test(poisson_has_its_distribution),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
