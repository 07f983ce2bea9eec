/* Private to src/estimate: the random variates of the LCMCR sampler's hot loop, drawn straight
 * from a chain's xoshiro256** state by rk_core__rng_next (the same stream as rk_rng_next).
 *
 * Why not GSL here: an LCMCR sweep draws hundreds of variates (on a 20-list stratum with 15
 * classes, 300 betas alone), and GSL reaches its generator through a function pointer per
 * uniform, draws normals by a ziggurat behind a second pointer and binomials by BTPE with
 * several logarithms; on kosovo GSL's binomial and the polar normal took half a sweep. These
 * are textbook algorithms, inlined on the chain's own stream: a 256-layer ziggurat (Marsaglia
 * and Tsang 2000) for the normal and the exponential, Marsaglia and Tsang (2000) for the gamma,
 * closed forms for Beta(1, b) and Beta(a, 1), inversion for binomials of small mean and
 * Hoermann's BTRS (transformed rejection with squeeze, 1993) for the others. The ziggurat's
 * tables are computed once per estimate (estimate_zig_init) and only read by the chains. The
 * samplers are checked in tests/unit/estimate/randist.c (moments and, for the binomial, the
 * whole distribution). */
#ifndef RK_ESTIMATE_RANDIST_H
#define RK_ESTIMATE_RANDIST_H

#include "estimate_private.h"

/* Uniform on [0, 1). */
static inline double estimate_unif(rk_rng *r)
{
    return (double)(rk_core__rng_next(r->s) >> 11) * 0x1.0p-53;
}

/* Uniform on (0, 1): never 0, so its logarithm is finite. */
static inline double estimate_unif_pos(rk_rng *r)
{
    return ((double)(rk_core__rng_next(r->s) >> 11) + 0.5) * 0x1.0p-53;
}

/* log k! (the exact tests of BTRS and PTRS take three each) and the gamma's constant for a
 * whole shape a are looked up below this. */
#define RK__LOG_FACT_N 4096

/* The tables the samplers read: the ziggurat's for the standard normal and the unit
 * exponential (layer edges x[0..256], x[0] the base strip's equivalent width, x[1] the tail's
 * start, x[256] = 0, and the density at each edge), log k! for k < RK__LOG_FACT_N, and the
 * constant of Marsaglia and Tsang's gamma for whole shapes below it. */
typedef struct estimate_zig {
    double nx[257], nf[257];
    double ex[257], ef[257];
    double log_fact[RK__LOG_FACT_N];
    double mt_c[RK__LOG_FACT_N]; /* 1 / sqrt(9 (a - 1/3)) of Marsaglia and Tsang's gamma, a >= 1 */
} estimate_zig;

void estimate_zig_init(estimate_zig *z);

/* A draw with its sampler state: the chain's stream and the shared, read-only tables. */
typedef struct estimate_gen {
    rk_rng rng;
    const estimate_zig *z;
} estimate_gen;

/* The ziggurats' rare cases (a draw outside its layer's rectangle), out of line. */
double estimate_normal_slow(estimate_gen *g, uint64_t u);
double estimate_exp_slow(estimate_gen *g, uint64_t u);

/* Standard normal (ziggurat). The common case (98.8% of draws: one 64-bit word, a multiply and
 * a comparison) is inline: as a call it took twice as long, and every gamma draws one. Bits
 * 0-7 of the word pick the layer, bit 8 the sign, bits 11-63 the abscissa. */
static inline double estimate_normal(estimate_gen *g)
{
    uint64_t u = rk_core__rng_next(g->rng.s);
    unsigned i = (unsigned)(u & 255);
    double x = (double)(u >> 11) * 0x1.0p-53 * g->z->nx[i];
    if (x < g->z->nx[i + 1])
        return (u & 256) ? -x : x;
    return estimate_normal_slow(g, u);
}

/* Unit exponential (ziggurat), its common case inline as the normal's. */
static inline double estimate_exp(estimate_gen *g)
{
    uint64_t u = rk_core__rng_next(g->rng.s);
    unsigned i = (unsigned)(u & 255);
    double x = (double)(u >> 11) * 0x1.0p-53 * g->z->ex[i];
    if (x < g->z->ex[i + 1])
        return x;
    return estimate_exp_slow(g, u);
}

/* The rest of a Marsaglia-Tsang gamma draw whose first try (x, and v = (1 + c x)^3 with its
 * uniform u when 1 + c x > 0, else v = 0) the squeeze did not accept: the exact test, then
 * fresh tries. Out of line, as it is rare. */
double estimate_gamma_rest(estimate_gen *g, double d, double c, double x, double v, double u);

/* Gamma(a, 1) for a >= 1 (Marsaglia and Tsang 2000). The first try and its squeeze, which
 * accept 98% and more of draws at the shapes of the LCMCR sampler, are inline: a sweep draws
 * two gammas for each beta of an occupied class and each stick. */
static inline double estimate_gamma_ge1(estimate_gen *g, double a)
{
    /* the LCMCR sampler's shapes are mostly whole numbers (1 + a count): c from the table */
    int ai = a < RK__LOG_FACT_N ? (int)a : 0;
    double d = a - 1.0 / 3, c = ai == a ? g->z->mt_c[ai] : 1 / sqrt(9 * d);
    double x = estimate_normal(g), v = 1 + c * x, u = 0;
    if (v > 0) {
        v = v * v * v;
        u = estimate_unif_pos(&g->rng);
        double x2 = x * x;
        if (u < 1 - 0.0331 * x2 * x2)
            return d * v;
    } else {
        v = 0;
    }
    return estimate_gamma_rest(g, d, c, x, v, u);
}

/* Gamma(a, 1), a > 0 (Marsaglia and Tsang 2000; below a = 1, Gamma(a + 1) U^(1/a)). */
double estimate_gamma(estimate_gen *g, double a);
/* log V and log(1 - V) of V ~ Beta(a, b), both exact however close V is to 0 or 1. */
void estimate_log_beta(estimate_gen *g, double a, double b, double *log_v, double *log_1mv);
/* Binomial(n, p), 0 <= n < 2^53: inversion when n min(p, 1 - p) < 10, else BTRS. */
int64_t estimate_binomial(estimate_gen *g, int64_t n, double p);
/* Poisson(mu), mu >= 0: inversion below mu = 10, else PTRS (Hoermann 1993). */
int64_t estimate_poisson(estimate_gen *g, double mu);

#endif
