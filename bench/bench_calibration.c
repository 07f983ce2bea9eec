/* Calibration of the estimators on `reckon synth` data: for each seed, synthetic lists whose
 * people are captured with heterogeneous, class-dependent probabilities (and some lists
 * depending on others); the capture table is built from truth.csv (perfect linkage), so this
 * measures estimation alone. Per method: how often the 95% interval covers the true total,
 * the mean width of the interval and the median error, relative to the truth.
 *   bench_calibration [SEEDS] [PEOPLE] [LISTS] */
#include "reckon/reckon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { M_LOGLINEAR, M_DGA, M_LCMCR, M_COUNT };
static const char *const method_name[M_COUNT] = {"loglinear", "dga", "lcmcr"};

typedef struct tally {
    int runs, cover, infinite;
    double width;   /* sum of (upper - lower) / N over finite intervals */
    double *err;    /* (estimate - N) / N per run */
    double *abserr; /* |estimate - N| / N per run */
} tally;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const rk_ctx *ctx, const char *what)
{
    fprintf(stderr, "bench_calibration: %s: %s\n", what, ctx->err.message);
    exit(1);
}

/* The true capture table: person p is on list L when any of its records (truth.csv,
 * record_key = LIST:ID) is from L; repeated records within a list count once. */
static rk_capture_table *truth_table(rk_ctx *ctx, const char *dir, const rk_synth_summary *s)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/truth.csv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    uint16_t *mask = calloc(s->people, sizeof(uint16_t));
    if (!mask)
        exit(1);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    bool header = true;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (header) {
            header = false;
            continue;
        }
        char *colon = strchr(line, ':'), *comma = strrchr(line, ',');
        if (!colon || !comma) {
            fprintf(stderr, "%s: bad line '%s'\n", path, line);
            exit(1);
        }
        *colon = '\0';
        unsigned list = 0;
        while (list < s->lists && strcmp(s->list_name[list], line))
            list++;
        char *end;
        unsigned long long person = strtoull(comma + 1, &end, 10);
        if (list == s->lists || person >= s->people) {
            fprintf(stderr, "%s: unknown list or person in '%s'\n", path, line);
            exit(1);
        }
        mask[person] |= (uint16_t)(1u << list);
    }
    free(line);
    fclose(f);
    const char *names[RK_SYNTH_MAX_LISTS];
    for (unsigned j = 0; j < s->lists; j++)
        names[j] = s->list_name[j];
    rk_capture_table *t = NULL;
    if (rk_capture_table_new(&t, ctx, s->lists, names) != RK_OK)
        die(ctx, "table");
    for (uint64_t p = 0; p < s->people; p++)
        if (mask[p] && rk_capture_table_add(t, ctx, mask[p], 1) != RK_OK)
            die(ctx, "table");
    free(mask);
    return t;
}

static void remove_dir(const char *dir, const rk_synth_summary *s)
{
    static const char *const files[] = {"truth.csv", "truth_regions.csv", "gazetteer.csv",
                                        "README.txt", "mapping.ini"};
    char path[1024];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
    for (unsigned j = 0; j < s->lists; j++) {
        snprintf(path, sizeof(path), "%s/%s.csv", dir, s->list_name[j]);
        unlink(path);
    }
    rmdir(dir);
}

static void count(tally *t, const rk_estimate *e, double truth)
{
    bool finite = isfinite(e->lower) && isfinite(e->upper);
    t->cover += finite && e->lower <= truth && truth <= e->upper;
    t->infinite += !finite;
    if (finite)
        t->width += (e->upper - e->lower) / truth;
    t->err[t->runs] = (e->estimate - truth) / truth;
    t->abserr[t->runs] = fabs(e->estimate - truth) / truth;
    t->runs++;
}

/* The best log-linear model by BIC (reckon estimate's default) with its profile interval. */
static void run_loglinear(rk_ctx *ctx, const rk_capture_table *t, rk_estimate *out)
{
    rk_estimate *all = NULL;
    size_t n = 0;
    rk_loglinear_model m;
    if (rk_estimate_model_search(&all, &n, ctx, t, RK_CRITERION_BIC) != RK_OK || n == 0 ||
        rk_loglinear_model_parse(&m, ctx, all[0].model, rk_capture_table_nlists(t)) != RK_OK ||
        rk_estimate_loglinear(out, ctx, t, &m, true) != RK_OK)
        die(ctx, "loglinear");
    rk_estimate_array_free(all, n);
}

int main(int argc, char **argv)
{
    int seeds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 20;
    uint64_t people = argc > 2 ? strtoull(argv[2], NULL, 10) : 5000;
    unsigned lists = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 5;
    if (seeds < 1 || people < 10 || lists < 3 || lists > 5) {
        fprintf(stderr, "usage: bench_calibration [SEEDS] [PEOPLE] [LISTS (3 to 5)]\n");
        return 2;
    }
    const char *const *scenarios = rk_synth_scenarios();
    size_t nscen = 0;
    while (scenarios[nscen])
        nscen++;
    tally tl[M_COUNT] = {0};
    for (int m = 0; m < M_COUNT; m++) {
        tl[m].err = calloc((size_t)seeds, sizeof(double));
        tl[m].abserr = calloc((size_t)seeds, sizeof(double));
        if (!tl[m].err || !tl[m].abserr)
            return 1;
    }
    char dir[] = "/tmp/reckon-calibration-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    double t0 = now(), seen = 0;
    printf("calibration on reckon synth: %d seeds, %llu people, %d lists, scenarios in turn;\n"
           "capture tables from truth.csv (perfect linkage): this measures estimation alone\n",
           seeds, (unsigned long long)people, lists);
    for (int s = 0; s < seeds; s++) {
        rk_synth_options so = RK_SYNTH_OPTIONS_INIT;
        so.scenario = scenarios[(size_t)s % nscen];
        so.people = people;
        so.lists = lists;
        so.seed = 100 + (uint64_t)s;
        so.out_dir = dir;
        rk_synth_summary sum;
        if (rk_synth_run(&sum, &ctx, &so) != RK_OK)
            die(&ctx, "synth");
        rk_capture_table *t = truth_table(&ctx, dir, &sum);
        remove_dir(dir, &sum);
        if ((uint64_t)rk_capture_table_observed(t) != sum.captured) {
            fprintf(stderr, "bench_calibration: truth.csv names %lld people, synth %llu\n",
                    (long long)rk_capture_table_observed(t), (unsigned long long)sum.captured);
            return 1;
        }
        double truth = (double)people;
        seen += (double)rk_capture_table_observed(t) / truth;
        rk_estimate e[M_COUNT];
        run_loglinear(&ctx, t, &e[M_LOGLINEAR]);
        rk_dga_options go = RK_DGA_OPTIONS_INIT;
        go.sensitivity = false;
        if (rk_estimate_dga(&e[M_DGA], &ctx, t, &go) != RK_OK)
            die(&ctx, "dga");
        rk_lcmcr_options lo = RK_LCMCR_OPTIONS_INIT;
        lo.burnin = 5000;
        lo.samples = 1000;
        lo.thin = 20;
        lo.chains = 2;
        lo.seed = (uint64_t)s + 1;
        if (rk_estimate_lcmcr(&e[M_LCMCR], &ctx, t, &lo) != RK_OK)
            die(&ctx, "lcmcr");
        printf("  seed %3llu %-9s seen %5lld of %llu", (unsigned long long)so.seed, so.scenario,
               (long long)rk_capture_table_observed(t), (unsigned long long)people);
        for (int m = 0; m < M_COUNT; m++) {
            count(&tl[m], &e[m], truth);
            printf("  %s %.0f [%.0f, %.0f]", method_name[m], e[m].estimate, e[m].lower, e[m].upper);
            rk_estimate_release(&e[m]);
        }
        printf("\n");
        rk_capture_table_free(t);
    }
    printf("lists see %.0f%% of the people on average; %d seeds in %.1f s\n", 100 * seen / seeds,
           seeds, now() - t0);
    printf("  %-10s %10s %18s %22s %22s\n", "method", "coverage", "mean width / N",
           "median (est - N) / N", "median |est - N| / N");
    for (int m = 0; m < M_COUNT; m++) {
        tally *x = &tl[m];
        double med = rk_estimate_quantile(x->err, (size_t)x->runs, 0.5);
        double amed = rk_estimate_quantile(x->abserr, (size_t)x->runs, 0.5);
        char cover[32], width[48];
        snprintf(cover, sizeof(cover), "%d/%d", x->cover, x->runs);
        if (x->infinite)
            snprintf(width, sizeof(width), "%.3f (%d open)",
                     x->width / (double)(x->runs - x->infinite), x->infinite);
        else
            snprintf(width, sizeof(width), "%.3f", x->width / (double)x->runs);
        printf("  %-10s %10s %18s %22.3f %22.3f\n", method_name[m], cover, width, med, amed);
        free(x->err);
        free(x->abserr);
    }
    printf("  (loglinear: best model by BIC with its profile interval; dga: delta 2^-K, up to "
           "10 n unseen; lcmcr: 2 chains x 1000 draws, thin 20, burn-in 5000)\n");
    rk_ctx_release(&ctx);
    return 0;
}
