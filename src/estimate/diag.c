/* MCMC diagnostics and summaries of posterior draws: effective sample size (Geyer 1992's
 * initial monotone sequence), split R-hat (Gelman et al. 2013), R's type-7 quantiles. */
#include "estimate_private.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double rk_estimate_quantile(double *x, size_t n, double p)
{
    if (n == 0)
        return NAN;
    qsort(x, n, sizeof(double), cmp_double);
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return x[lo] + (h - (double)lo) * (x[hi] - x[lo]);
}

double rk_estimate_ess(const double *x, size_t n)
{
    if (n < 4)
        return (double)n;
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    double c0 = 0;
    for (size_t i = 0; i < n; i++)
        c0 += (x[i] - mean) * (x[i] - mean);
    c0 /= (double)n;
    if (c0 <= 0)
        return (double)n;
    /* Sum autocorrelations in pairs (Gamma_k = rho_2k + rho_2k+1) while positive and
     * non-increasing. */
    double sum = 0, prev = INFINITY;
    for (size_t lag = 0; lag + 1 < n; lag += 2) {
        double r[2];
        for (int q = 0; q < 2; q++) {
            size_t l = lag + (size_t)q;
            double c = 0;
            for (size_t i = 0; i + l < n; i++)
                c += (x[i] - mean) * (x[i + l] - mean);
            r[q] = c / (double)n / c0;
        }
        double g = r[0] + r[1];
        if (g <= 0)
            break;
        if (g > prev)
            g = prev;
        sum += g;
        prev = g;
    }
    double tau = 2 * sum - 1;
    if (tau < 1.0 / (double)n)
        tau = 1.0 / (double)n;
    return (double)n / tau;
}

double rk_estimate_split_rhat(const double *draws, size_t nchains, size_t per_chain)
{
    size_t half = per_chain / 2;
    if (nchains < 1 || half < 2)
        return NAN;
    size_t m = 2 * nchains;
    double grand = 0, W = 0, B = 0;
    double *means = rk_malloc(m * sizeof(double));
    if (!means)
        return NAN;
    for (size_t c = 0; c < nchains; c++)
        for (size_t h = 0; h < 2; h++) {
            /* the second half starts at per_chain - half so that odd lengths drop the middle */
            const double *x = draws + c * per_chain + (h ? per_chain - half : 0);
            double mu = 0, v = 0;
            for (size_t i = 0; i < half; i++)
                mu += x[i];
            mu /= (double)half;
            for (size_t i = 0; i < half; i++)
                v += (x[i] - mu) * (x[i] - mu);
            W += v / (double)(half - 1);
            means[c * 2 + h] = mu;
            grand += mu;
        }
    grand /= (double)m;
    for (size_t i = 0; i < m; i++)
        B += (means[i] - grand) * (means[i] - grand);
    rk_free(means);
    B = B * (double)half / (double)(m - 1);
    W /= (double)m;
    if (W <= 0)
        return B > 0 ? INFINITY : 1.0;
    double var = (double)(half - 1) / (double)half * W + B / (double)half;
    return sqrt(var / W);
}

int estimate_summarize_draws(rk_estimate *e, rk_ctx *ctx)
{
    size_t n = e->ndraws;
    if (n == 0)
        return rk_error_set(ctx, RK_EINTERNAL, "no draws to summarize");
    double *tmp = rk_malloc(n * sizeof(double));
    if (!tmp)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    double mean = 0, var = 0;
    for (size_t i = 0; i < n; i++)
        mean += e->draws[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        var += (e->draws[i] - mean) * (e->draws[i] - mean);
    e->mean = mean;
    e->stderr_n = n > 1 ? sqrt(var / (double)(n - 1)) : 0;
    memcpy(tmp, e->draws, n * sizeof(double));
    e->median = rk_estimate_quantile(tmp, n, 0.5);
    e->estimate = e->median;
    e->lower = rk_estimate_quantile(tmp, n, (1 - e->level) / 2);
    e->upper = rk_estimate_quantile(tmp, n, 1 - (1 - e->level) / 2);
    rk_free(tmp);
    size_t chains = e->nchains ? e->nchains : 1;
    size_t per = n / chains;
    e->rhat = chains * per == n ? rk_estimate_split_rhat(e->draws, chains, per) : NAN;
    double ess = 0;
    for (size_t c = 0; c < chains && chains * per == n; c++)
        ess += rk_estimate_ess(e->draws + c * per, per);
    e->ess = ess;
    snprintf(e->interval_kind, sizeof(e->interval_kind), "credible");
    return RK_OK;
}
