/* The inline-stream samplers of randist.h: normal, gamma (and its logarithm), beta (and its
 * logarithms) and binomial, for the LCMCR sampler's hot loop. */
#include "randist.h"

#include <gsl/gsl_randist.h>

double rk__normal(rk_rng *r)
{
    double u, v, s;
    do {
        u = 2 * rk__unif(r) - 1;
        v = 2 * rk__unif(r) - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * sqrt(-2 * log(s) / s);
}

/* Marsaglia and Tsang (2000), a >= 1. */
static double gamma_mt(rk_rng *r, double a)
{
    double d = a - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x, v;
        do {
            x = rk__normal(r);
            v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        double u = rk__unif_pos(r), x2 = x * x;
        if (u < 1 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + d * (1 - v + log(v)))
            return d * v;
    }
}

double rk__gamma(rk_rng *r, double a)
{
    if (a < 1)
        return gamma_mt(r, a + 1) * pow(rk__unif_pos(r), 1 / a);
    return gamma_mt(r, a);
}

double rk__log_gamma(rk_rng *r, double a)
{
    if (a < 1)
        return log(gamma_mt(r, a + 1)) + log(rk__unif_pos(r)) / a;
    return log(gamma_mt(r, a));
}

double rk__beta(rk_rng *r, double a, double b)
{
    if (a == 1 && b == 1)
        return rk__unif(r);
    if (a == 1) /* 1 - V ~ Beta(b, 1): (1 - V) = U^(1/b) */
        return -expm1(log(rk__unif_pos(r)) / b);
    if (b == 1)
        return exp(log(rk__unif_pos(r)) / a);
    if (a < 1 || b < 1) {
        double lv, l1mv;
        rk__log_beta(r, a, b, &lv, &l1mv);
        return exp(lv);
    }
    double x = gamma_mt(r, a), y = gamma_mt(r, b);
    return x / (x + y);
}

void rk__log_beta(rk_rng *r, double a, double b, double *log_v, double *log_1mv)
{
    if (a == 1) {
        double l = log(rk__unif_pos(r)) / b;
        *log_1mv = l;
        *log_v = log(-expm1(l));
        return;
    }
    double la = rk__log_gamma(r, a), lb = rk__log_gamma(r, b);
    double mx = la > lb ? la : lb;
    double lse = mx + log(exp(la - mx) + exp(lb - mx));
    *log_v = la - lse;
    *log_1mv = lb - lse;
}

int64_t rk__binomial(rk_rng *r, gsl_rng *g, int64_t n, double p)
{
    if (n <= 0 || p <= 0)
        return 0;
    if (p >= 1)
        return n;
    bool flip = p > 0.5;
    double pp = flip ? 1 - p : p;
    int64_t x;
    if ((double)n * pp < 14) {
        /* inversion: walk the probabilities P(X = x) up from (1 - p)^n */
        double q = 1 - pp, s = pp / q, f0 = exp((double)n * log1p(-pp));
        for (;;) {
            double u = rk__unif(r), f = f0;
            for (x = 0; x <= n; x++) {
                if (u < f)
                    goto done;
                u -= f;
                f *= s * (double)(n - x) / (double)(x + 1);
            }
            /* rounding left u above the whole mass: draw again */
        }
    } else {
        x = (int64_t)gsl_ran_binomial(g, pp, (unsigned int)n);
    }
done:
    return flip ? n - x : x;
}
