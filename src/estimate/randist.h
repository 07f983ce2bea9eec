/* Private to src/estimate: the random variates of the LCMCR sampler's hot loop, drawn straight
 * from a chain's xoshiro256** state (the same stream as rk_rng_next).
 *
 * Why not GSL here: one LCMCR sweep draws a few hundred variates, and GSL reaches its generator
 * through a function pointer per uniform and draws gammas by the ziggurat through a second one,
 * so on kosovo (16 patterns, 10 classes) GSL's beta, gamma and binomial took most of a sweep.
 * These are the textbook algorithms, inlined: Marsaglia and Tsang (2000) for the gamma, the
 * closed forms of Beta(1, b) and Beta(a, 1), and inversion for binomials of small mean. Large
 * binomial means and the Poisson of the unseen count (once a sweep) still go to GSL (BTPE and
 * its Poisson), on a gsl_rng that shares the chain's state. The moments of each sampler are
 * checked in tests/unit/estimate/randist.c. */
#ifndef RK_ESTIMATE_RANDIST_H
#define RK_ESTIMATE_RANDIST_H

#include "estimate_int.h"

static inline uint64_t rk__rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* rk_rng_next, inlined. */
static inline uint64_t rk__next(rk_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rk__rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rk__rotl(s[3], 45);
    return result;
}

/* Uniform on [0, 1). */
static inline double rk__unif(rk_rng *r)
{
    return (double)(rk__next(r) >> 11) * 0x1.0p-53;
}

/* Uniform on (0, 1): never 0, so its logarithm is finite. */
static inline double rk__unif_pos(rk_rng *r)
{
    return ((double)(rk__next(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Standard normal (Marsaglia's polar method; the second value is dropped so that a draw never
 * depends on an earlier call). */
double rk__normal(rk_rng *r);
/* Gamma(a, 1), a > 0 (Marsaglia and Tsang 2000; below a = 1, Gamma(a + 1) U^(1/a)). */
double rk__gamma(rk_rng *r, double a);
/* log of a Gamma(a, 1) draw, exact where the draw itself would underflow (tiny a). */
double rk__log_gamma(rk_rng *r, double a);
/* Beta(a, b), a, b > 0: closed forms when a or b is 1, else Ga / (Ga + Gb). */
double rk__beta(rk_rng *r, double a, double b);
/* log V and log(1 - V) of V ~ Beta(a, b), both exact however close V is to 0 or 1. */
void rk__log_beta(rk_rng *r, double a, double b, double *log_v, double *log_1mv);
/* Binomial(n, p): inversion when n min(p, 1 - p) < 14, else GSL's BTPE on `g`, a gsl_rng
 * sharing r's state (rk__gsl_rng_wrap). */
int64_t rk__binomial(rk_rng *r, gsl_rng *g, int64_t n, double p);

/* Makes `out` a gsl_rng that draws from `state` itself (not a copy), so that GSL and the
 * inline samplers advance one stream. */
void rk__gsl_rng_wrap(gsl_rng *out, rk_rng *state);

#endif
