/* The inline-stream samplers of randist.h: the ziggurat normal and exponential, the gamma (and
 * its logarithm), the beta (and its logarithms), the binomial and the Poisson, for the LCMCR
 * sampler's hot loop. */
#include "randist.h"

/* Ziggurat constants for 256 layers (Marsaglia and Tsang 2000): the tail's start r and the
 * common area v of the layers. */
#define ZN_R 3.6541528853610088
#define ZN_V 0.00492867323399
#define ZE_R 7.69711747013104972
#define ZE_V 0.0039496598225815571993

void estimate_zig_init(estimate_zig *z)
{
    z->nx[0] = ZN_V / exp(-0.5 * ZN_R * ZN_R);
    z->nx[1] = ZN_R;
    for (int i = 1; i < 255; i++)
        z->nx[i + 1] = sqrt(-2 * log(ZN_V / z->nx[i] + exp(-0.5 * z->nx[i] * z->nx[i])));
    z->nx[256] = 0;
    z->ex[0] = ZE_V / exp(-ZE_R);
    z->ex[1] = ZE_R;
    for (int i = 1; i < 255; i++)
        z->ex[i + 1] = -log(ZE_V / z->ex[i] + exp(-z->ex[i]));
    z->ex[256] = 0;
    for (int i = 0; i < 257; i++) {
        z->nf[i] = exp(-0.5 * z->nx[i] * z->nx[i]);
        z->ef[i] = exp(-z->ex[i]);
    }
    for (int k = 0; k < RK__LOG_FACT_N; k++) {
        int sign; /* lgamma_r: lgamma's sign global is not thread-safe */
        z->log_fact[k] = lgamma_r(k + 1.0, &sign);
    }
    z->mt_c[0] = 0;
    for (int a = 1; a < RK__LOG_FACT_N; a++)
        z->mt_c[a] = 1 / sqrt(9 * (a - 1.0 / 3));
}

/* The rest of a normal draw whose first word u fell outside its layer's rectangle: the tail
 * (layer 0) or the wedge test, then fresh words until a draw is accepted. */
double estimate_normal_slow(estimate_gen *g, uint64_t u)
{
    const estimate_zig *z = g->z;
    for (;;) {
        unsigned i = (unsigned)(u & 255);
        double x = (double)(u >> 11) * 0x1.0p-53 * z->nx[i];
        double s = (u & 256) ? -1 : 1;
        if (x < z->nx[i + 1])
            return s * x;
        if (i == 0) {
            /* the tail beyond r (Marsaglia 1964) */
            double a, b;
            do {
                a = -log(estimate_unif_pos(&g->rng)) / ZN_R;
                b = -log(estimate_unif_pos(&g->rng));
            } while (b + b < a * a);
            return s * (ZN_R + a);
        }
        if (z->nf[i] + estimate_unif(&g->rng) * (z->nf[i + 1] - z->nf[i]) < exp(-0.5 * x * x))
            return s * x;
        u = rk_core__rng_next(g->rng.s);
    }
}

/* The rest of an exponential draw, as estimate_normal_slow. */
double estimate_exp_slow(estimate_gen *g, uint64_t u)
{
    const estimate_zig *z = g->z;
    double shift = 0;
    for (;;) {
        unsigned i = (unsigned)(u & 255);
        double x = (double)(u >> 11) * 0x1.0p-53 * z->ex[i];
        if (x < z->ex[i + 1])
            return shift + x;
        if (i == 0) {
            /* memoryless tail: r plus a fresh exponential */
            shift += ZE_R;
        } else if (z->ef[i] + estimate_unif(&g->rng) * (z->ef[i + 1] - z->ef[i]) < exp(-x)) {
            return shift + x;
        }
        u = rk_core__rng_next(g->rng.s);
    }
}

double estimate_gamma_rest(estimate_gen *g, double d, double c, double x, double v, double u)
{
    for (;;) {
        if (v > 0) {
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + d * (1 - v + log(v)))
                return d * v;
        }
        x = estimate_normal(g);
        v = 1 + c * x;
        if (v > 0) {
            v = v * v * v;
            u = estimate_unif_pos(&g->rng);
        }
    }
}

/* Marsaglia and Tsang (2000), a >= 1. */
static double gamma_mt(estimate_gen *g, double a)
{
    return estimate_gamma_ge1(g, a);
}

double estimate_gamma(estimate_gen *g, double a)
{
    if (a < 1)
        return gamma_mt(g, a + 1) * exp(-estimate_exp(g) / a);
    return gamma_mt(g, a);
}

/* log of a Gamma(a, 1) draw, exact where the draw itself would underflow (tiny a). */
static double estimate_log_gamma(estimate_gen *g, double a)
{
    if (a < 1)
        return log(gamma_mt(g, a + 1)) - estimate_exp(g) / a;
    return log(gamma_mt(g, a));
}

void estimate_log_beta(estimate_gen *g, double a, double b, double *log_v, double *log_1mv)
{
    if (a == 1) {
        double l = -estimate_exp(g) / b;
        *log_1mv = l;
        *log_v = log(-expm1(l));
        return;
    }
    double la = estimate_log_gamma(g, a), lb = estimate_log_gamma(g, b);
    double mx = la > lb ? la : lb;
    double lse = mx + log(exp(la - mx) + exp(lb - mx));
    *log_v = la - lse;
    *log_1mv = lb - lse;
}

/* log k!: from the table below RK__LOG_FACT_N, else by Stirling's series (error below
 * 1e-14 there). */
static double log_factorial(const estimate_zig *z, double k)
{
    if (k < RK__LOG_FACT_N)
        return z->log_fact[(int)k];
    double x = k + 1, r = 1 / x, r2 = r * r;
    return (x - 0.5) * log(x) - x + 0.91893853320467274 +
           r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 / 1680)));
}

/* BTRS (Hoermann 1993, "The generation of binomial random variates", J. Statist. Comput.
 * Simul. 46), for p <= 1/2 and n p >= 10: a transformed-rejection proposal with a squeeze
 * that accepts most draws with two uniforms and no logarithm. The constants of the exact test
 * behind the squeeze (log(p / q), the mode and its log-factorials: three logarithms) are
 * computed only when a draw first falls outside it, which is rare: the LCMCR sampler draws a
 * binomial for each large pattern and class it splits off, and computing them up front was a
 * tenth of a kosovo sweep. */
static int64_t binomial_btrs(estimate_gen *g, int64_t n, double p)
{
    double nd = (double)n, q = 1 - p, spq = sqrt(nd * p * q);
    double b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p, c = nd * p + 0.5;
    double vr = 0.92 - 4.2 / b;
    double alpha = 0, lpq = 0, m = 0, h = 0;
    bool ready = false;
    for (;;) {
        double u = estimate_unif(&g->rng) - 0.5, v = estimate_unif(&g->rng);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + c);
        if (k < 0 || k > nd)
            continue;
        if (us >= 0.07 && v <= vr)
            return (int64_t)k;
        if (!ready) {
            alpha = (2.83 + 5.1 / b) * spq;
            lpq = log(p / q);
            m = floor((nd + 1) * p);
            h = log_factorial(g->z, m) + log_factorial(g->z, nd - m);
            ready = true;
        }
        v = log(v * alpha / (a / (us * us) + b));
        if (v <= h - log_factorial(g->z, k) - log_factorial(g->z, nd - k) + (k - m) * lpq)
            return (int64_t)k;
    }
}

int64_t estimate_binomial(estimate_gen *g, int64_t n, double p)
{
    if (n <= 0 || !(p > 0))
        return 0;
    if (p >= 1)
        return n;
    bool flip = p > 0.5;
    double pp = flip ? 1 - p : p;
    int64_t x;
    if ((double)n * pp < 10) {
        /* inversion: walk the probabilities P(X = x) up from (1 - p)^n. P(X = 0) is at least
         * 1 - n p, so a uniform below that is a 0 without computing (1 - p)^n: most draws of
         * the LCMCR sampler's light classes end there. */
        double u = estimate_unif(&g->rng);
        if (u < 1 - (double)n * pp) {
            x = 0;
            goto done;
        }
        double s = pp / (1 - pp), f0 = exp((double)n * log1p(-pp));
        for (bool first = true;; first = false) {
            if (!first)
                u = estimate_unif(&g->rng);
            double f = f0;
            for (x = 0; x <= n; x++) {
                if (u < f)
                    goto done;
                u -= f;
                f *= s * (double)(n - x) / (double)(x + 1);
            }
            /* rounding left u above the whole mass: draw again */
        }
    }
    x = binomial_btrs(g, n, pp);
done:
    return flip ? n - x : x;
}

/* PTRS (Hoermann 1993, "The transformed rejection method for generating Poisson random
 * variables", Insurance: Mathematics and Economics 12), mu >= 10. */
static int64_t poisson_ptrs(estimate_gen *g, double mu)
{
    double slam = sqrt(mu), loglam = log(mu);
    double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = estimate_unif(&g->rng) - 0.5, v = estimate_unif(&g->rng);
        double us = 0.5 - fabs(u);
        double k = floor((2 * a / us + b) * u + mu + 0.43);
        if (us >= 0.07 && v <= vr)
            return (int64_t)k;
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <=
            -mu + k * loglam - log_factorial(g->z, k))
            return (int64_t)k;
    }
}

int64_t estimate_poisson(estimate_gen *g, double mu)
{
    if (!(mu > 0))
        return 0;
    if (mu >= 10)
        return poisson_ptrs(g, mu);
    for (;;) {
        double u = estimate_unif(&g->rng), f = exp(-mu);
        for (int64_t k = 0; k < 1000; k++) {
            if (u < f)
                return k;
            u -= f;
            f *= mu / (double)(k + 1);
        }
    }
}
