/* Benchmarks of src/estimate: LCMCR iterations per second against LCMCR 0.4.14 (R), the
 * log-linear model search and dga against Rcapture and dga, and the calibration (interval
 * coverage) of LCMCR and the best log-linear model on data simulated with known N. */
#include "reckon/reckon.h"

#include "estimate/randist.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* CPU time of the process: with one chain on one thread, the chain's own time, which a busy
 * machine does not inflate as it does the wall clock. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static rk_capture_table *load(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", RK_SHARED_DIR, rel);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = NULL;
    if (rk_estimate_read_counts(&t, &ctx, path) != RK_OK) {
        fprintf(stderr, "%s\n", ctx.err.message);
        exit(1);
    }
    return t;
}

/* Iterations per second of one run of `chains` chains on `threads` threads, by the CPU clock
 * (`cpu`) or the wall clock. */
static double lcmcr_rate(const rk_capture_table *t, int kstar, long iters, int chains, int threads,
                         bool cpu)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_lcmcr_options o = RK_LCMCR_OPTIONS_INIT;
    o.kstar = kstar;
    o.burnin = iters / 2;
    o.samples = 100;
    o.thin = iters / 200;
    o.chains = chains;
    o.threads = threads;
    rk_estimate e;
    double t0 = cpu ? cpu_now() : now();
    if (rk_estimate_lcmcr(&e, &ctx, t, &o) != RK_OK) {
        fprintf(stderr, "%s\n", ctx.err.message);
        exit(1);
    }
    double dt = (cpu ? cpu_now() : now()) - t0;
    rk_estimate_release(&e);
    /* each chain also runs LCMCR's 500-sweep start (src/estimate/lcmcr.c, START_SWEEPS) */
    return (double)chains * (double)(500 + o.burnin + o.samples * o.thin) / dt;
}

static void bench_lcmcr(void)
{
    /* R's speed: reference/mse/timing.json lcmcr_sec_per_1000_iter.min_elapsed (kosovo,
     * 0.01376 s); data/verdata/README.md "Speed of LCMCR 0.4.14" (~0.1 s and ~0.57 s per 1000
     * iterations, CPU time, one core). */
    static const struct {
        const char *name, *file;
        int kstar;
        long iters;
        double r_per_s;
    } cases[] = {
        {"kosovo (4 lists, K*=10)", "data/mse/kosovo.csv", 10, 200000, 1000 / 0.01376},
        {"verdata R1 men 1999 (20 lists, K*=15)",
         "data/verdata/strata/reclutamiento_R1_hombre_1999.csv", 15, 40000, 1000 / 0.1},
        {"verdata R2 men 1999 (20 lists, K*=15)",
         "data/verdata/strata/reclutamiento_R2_hombre_1999.csv", 15, 40000, 1000 / 0.1},
        {"verdata R1 all (29 lists, K*=15)", "data/verdata/strata/reclutamiento_R1_all.csv", 15,
         20000, 1000 / 0.57},
    };
    printf("LCMCR iterations per second (R: LCMCR 0.4.14, one chain; 1 chain: best of 3 by CPU "
           "time, 2 chains by wall clock)\n");
    printf("  %-40s %12s %8s %14s %8s\n", "data", "1 chain", "vs R", "2 chains/2 thr", "vs R");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rk_capture_table *t = load(cases[i].file);
        /* one chain: the best of three runs, the machine's other load being what varies */
        double one = 0;
        for (int r = 0; r < 3; r++) {
            double x = lcmcr_rate(t, cases[i].kstar, cases[i].iters, 1, 1, true);
            one = x > one ? x : one;
        }
        double two = lcmcr_rate(t, cases[i].kstar, cases[i].iters, 2, 2, false);
        printf("  %-40s %12.0f %7.1fx %14.0f %7.1fx\n", cases[i].name, one, one / cases[i].r_per_s,
               two, two / cases[i].r_per_s);
        rk_capture_table_free(t);
    }
}

/* The median wall-clock and CPU seconds of `reps` (at most 21) calls of dga on t at the bound
 * fac n, with or without the sensitivity rows. Under 2^21 values of n0 a call runs on one
 * thread, so its CPU time is its own work, which other jobs on the machine inflate less than
 * its wall-clock time. */
static void dga_time(const rk_capture_table *t, int fac, bool sens, int reps, double *wall,
                     double *cpu)
{
    double dt[21], dc[21];
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    for (int r = 0; r < reps; r++) {
        rk_dga_options o = RK_DGA_OPTIONS_INIT;
        o.sensitivity = sens;
        o.nmissing_max = fac * t->total;
        rk_estimate e;
        double t0 = now(), c0 = cpu_now();
        if (rk_estimate_dga(&e, &ctx, t, &o) != RK_OK)
            exit(1);
        dt[r] = now() - t0;
        dc[r] = cpu_now() - c0;
        rk_estimate_release(&e);
    }
    qsort(dt, (size_t)reps, sizeof(double), cmp_double);
    qsort(dc, (size_t)reps, sizeof(double), cmp_double);
    *wall = dt[reps / 2];
    *cpu = dc[reps / 2];
}

/* dga on kosovo as `reckon estimate` runs it: with its sensitivity rows (five bounds and the
 * deltas, each an exact posterior) that bma.cr does not give, at the bounds 5n and 10n of the
 * reference timings; then once as bma.cr computes it (one delta, one bound). The median of 21
 * calls by the wall clock and by the CPU clock, against bma.cr's median of 5 (elapsed and CPU
 * alike there). Then the same on the 3- and 5-list examples of bma.cr's help page, which have
 * no R timing. */
static void bench_dga(const rk_capture_table *t)
{
    /* timing.json dga_bma_cr_fac5 and dga_bma_cr_fac10, median_elapsed_s and median_cpu_s */
    static const struct {
        int fac, sens;
        double r, rcpu;
    } cases[] = {{5, 1, 0.047, 0.047}, {10, 1, 0.105, 0.104}, {10, 0, 0.105, 0.104}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double wall, cpu;
        dga_time(t, cases[i].fac, cases[i].sens, 21, &wall, &cpu);
        printf("dga, kosovo, nmax %2dn, %-17s %.4f s (cpu %.4f s); dga bma.cr %.3f s (%.1fx, "
               "cpu %.1fx)\n",
               cases[i].fac, cases[i].sens ? "sensitivity rows:" : "one posterior:", wall, cpu,
               cases[i].r, cases[i].r / wall, cases[i].rcpu / cpu);
    }
    static const struct {
        const char *name, *file;
        int reps;
    } more[] = {{"3 lists, n = 626", "data/mse/madigan_york_3list.csv", 21},
                {"5 lists, n = 537", "data/mse/madigan_york_5list.csv", 11}};
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
        rk_capture_table *u = load(more[i].file);
        for (int fac = 5; fac <= 10; fac += 5) {
            double wall, cpu;
            dga_time(u, fac, true, more[i].reps, &wall, &cpu);
            printf("dga, M&Y %s, nmax %2dn, sensitivity rows: %.4f s (cpu %.4f s)\n", more[i].name,
                   fac, wall, cpu);
        }
        rk_capture_table_free(u);
    }
}

static void bench_loglinear_and_dga(void)
{
    rk_capture_table *t = load("data/mse/kosovo.csv");
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    int reps = 20;
    double t0 = now();
    for (int r = 0; r < reps; r++) {
        rk_estimate *e = NULL;
        size_t n = 0;
        if (rk_estimate_model_search(&e, &n, &ctx, t, RK_CRITERION_BIC) != RK_OK)
            exit(1);
        rk_estimate_array_free(e, n);
    }
    double ms = (now() - t0) / reps;
    /* reference/mse/timing.json rcapture_closedpMS_t.median_elapsed_s = 0.335 */
    printf("\nmodel search, kosovo (113 models): %.4f s; Rcapture closedpMS.t 0.335 s (%.0fx)\n",
           ms, 0.335 / ms);
    bench_dga(t);
    rk_capture_table_free(t);
}

/* Simulates one data set: N persons, 2 latent classes (70% hard to list, 30% easy), 4 lists
 * with class-specific listing probabilities; returns the capture table. */
static rk_capture_table *simulate(uint64_t seed, int N)
{
    static const double lam[2][4] = {{0.15, 0.25, 0.10, 0.20}, {0.55, 0.60, 0.45, 0.70}};
    const char *names[4] = {"A", "B", "C", "D"};
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = NULL;
    rk_capture_table_new(&t, &ctx, 4, names);
    rk_rng r;
    rk_rng_seed(&r, seed);
    for (int i = 0; i < N; i++) {
        int c = rk_rng_uniform(&r) < 0.7 ? 0 : 1;
        uint64_t p = 0;
        for (int j = 0; j < 4; j++)
            if (rk_rng_uniform(&r) < lam[c][j])
                p |= UINT64_C(1) << j;
        if (p)
            rk_capture_table_add(t, &ctx, p, 1);
    }
    return t;
}

static void bench_calibration(void)
{
    enum { SEEDS = 20, N = 2000 };
    int cover_l = 0, cover_ll = 0;
    double width_l = 0, width_ll = 0, t0 = now();
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    for (int s = 0; s < SEEDS; s++) {
        rk_capture_table *t = simulate(1000 + (uint64_t)s, N);
        rk_lcmcr_options o = RK_LCMCR_OPTIONS_INIT;
        o.kstar = 10;
        o.burnin = 3000;
        o.samples = 500;
        o.thin = 10;
        o.chains = 2;
        o.seed = (uint64_t)s + 1;
        rk_estimate e;
        if (rk_estimate_lcmcr(&e, &ctx, t, &o) != RK_OK)
            exit(1);
        cover_l += e.lower <= N && N <= e.upper;
        width_l += e.upper - e.lower;
        rk_estimate_release(&e);
        rk_estimate *all = NULL;
        size_t n = 0;
        rk_loglinear_model m;
        if (rk_estimate_model_search(&all, &n, &ctx, t, RK_CRITERION_BIC) != RK_OK ||
            rk_loglinear_model_parse(&m, &ctx, all[0].model, 4) != RK_OK ||
            rk_estimate_loglinear(&e, &ctx, t, &m, true) != RK_OK)
            exit(1);
        cover_ll += e.lower <= N && N <= e.upper;
        width_ll += e.upper - e.lower;
        rk_estimate_release(&e);
        rk_estimate_array_free(all, n);
        rk_capture_table_free(t);
    }
    printf("\ncalibration: %d simulated data sets, N = %d, 4 lists, 2 latent classes (%.1f s)\n",
           SEEDS, N, now() - t0);
    printf("  LCMCR 95%% credible interval:         coverage %2d/%d, mean width %.0f\n", cover_l,
           SEEDS, width_l / SEEDS);
    printf("  best-BIC log-linear, profile 95%% CI: coverage %2d/%d, mean width %.0f\n", cover_ll,
           SEEDS, width_ll / SEEDS);
}

/* Nanoseconds per variate of LCMCR's own samplers (src/estimate/randist.h) and GSL's, by the
 * CPU clock, at shapes a kosovo sweep meets: a sweep draws about 29 binomials (most with means
 * in the tens to hundreds), 190 one-person class picks (a uniform and a count over the
 * classes), 28 betas of two large shapes and 14 gammas. These costs are the floor under a
 * sweep, whatever the code around them does: see docs/methods.md, "Speed". */
static volatile double sink;

/* Beta(a, b) the way LCMCR draws it: through its logarithms. */
static double beta_draw(estimate_gen *g, double a, double b)
{
    double lv, l1mv;
    estimate_log_beta(g, a, b, &lv, &l1mv);
    return exp(lv);
}

static void bench_variates(void)
{
    enum { N = 4000000 };
    static estimate_zig zig;
    estimate_zig_init(&zig);
    estimate_gen g = {.z = &zig};
    rk_rng_seed(&g.rng, 7);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r)
        exit(1);
    gsl_rng_set(r, 7);
    double acc = 0, ours[5], gsl[5];
/* CPU seconds of N draws of `draw` (which may use the loop's i) into `out` */
#define TIME_DRAWS(out, draw)                                                                      \
    do {                                                                                           \
        double t0 = cpu_now();                                                                     \
        for (int i = 0; i < N; i++)                                                                \
            acc += (double)(draw);                                                                 \
        (out) = cpu_now() - t0;                                                                    \
    } while (0)
    TIME_DRAWS(ours[0], estimate_normal(&g));
    TIME_DRAWS(gsl[0], gsl_ran_gaussian_ziggurat(r, 1));
    TIME_DRAWS(ours[1], estimate_gamma(&g, 200 + (i & 255)));
    TIME_DRAWS(gsl[1], gsl_ran_gamma(r, 200 + (i & 255), 1));
    TIME_DRAWS(ours[2], beta_draw(&g, 200 + (i & 255), 50 + (i & 63)));
    TIME_DRAWS(gsl[2], gsl_ran_beta(r, 200 + (i & 255), 50 + (i & 63)));
    TIME_DRAWS(ours[3], estimate_binomial(&g, 300 + (i & 255), 0.3));
    TIME_DRAWS(gsl[3], gsl_ran_binomial(r, 0.3, 300 + (unsigned)(i & 255)));
    TIME_DRAWS(ours[4], estimate_binomial(&g, 40 + (i & 15), 0.3));
    TIME_DRAWS(gsl[4], gsl_ran_binomial(r, 0.3, 40 + (unsigned)(i & 15)));
#undef TIME_DRAWS
    sink = acc;
    gsl_rng_free(r);
    static const char *what[5] = {"normal", "gamma, shape 200-455",
                                  "beta, shapes 200-455 and 50-113", "binomial, n 300-555, p 0.3",
                                  "binomial, n 40-55, p 0.3"};
    printf("\nLCMCR's variates, ns per draw (CPU time; GSL with mt19937 beside them)\n");
    printf("  %-36s %8s %8s\n", "variate", "reckon", "GSL");
    for (int i = 0; i < 5; i++)
        printf("  %-36s %8.1f %8.1f\n", what[i], ours[i] / N * 1e9, gsl[i] / N * 1e9);
}

int main(int argc, char **argv)
{
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    if (argc > 1 && strcmp(argv[1], "--dga") == 0) { /* dga alone, for comparing builds */
        rk_capture_table *t = load("data/mse/kosovo.csv");
        bench_dga(t);
        rk_capture_table_free(t);
        return 0;
    }
    printf("== estimate\n");
    bench_lcmcr();
    bench_variates();
    bench_loglinear_and_dga();
    if (!quick)
        bench_calibration();
    return 0;
}
