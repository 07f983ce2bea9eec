/* Profile-likelihood intervals for N under a log-linear model (Cormack 1992; Rivest and
 * Baillargeon's closedpCI.t): the multinomial likelihood of the full table, with the unseen
 * cell set to N - n, maximized over the model for each N and then over N; the 95% interval
 * holds the N whose log-likelihood is within chi2(1, 0.95) / 2 of the maximum. */
#include "loglinear_private.h"

#define HALF_CHI2_95 1.920729410347062 /* qchisq(0.95, 1) / 2 */

typedef struct prof {
    rk_ctx *ctx;
    const estimate_design *d;
    double *y;  /* all cells; y[0] is set to N - n for each evaluation */
    double *mu; /* cells */
    double *beta;
    int64_t n;
    int rc;
} prof;

/* The profile multinomial log-likelihood at N (continuous). */
static double loglik(prof *pr, double N)
{
    const estimate_design *d = pr->d;
    pr->y[0] = N - (double)pr->n;
    estimate_glm g;
    int rc = estimate_poisson_fit(pr->ctx, d->X, pr->y, d->cells, d->p, pr->beta, true, NULL,
                                  pr->mu, &g);
    if (rc != RK_OK) {
        pr->rc = rc;
        return NAN;
    }
    double tot = 0;
    for (size_t i = 0; i < d->cells; i++)
        tot += pr->mu[i];
    double ll = lgamma(N + 1) - lgamma(N - (double)pr->n + 1);
    for (size_t i = 0; i < d->cells; i++)
        if (pr->y[i] > 0)
            ll += pr->y[i] * log(pr->mu[i] / tot);
    return ll;
}

/* Golden-section search for the maximum of the log-likelihood on [a, b]. */
static double argmax(prof *pr, double a, double b, double *fmax)
{
    const double g = 0.6180339887498949;
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    double f1 = loglik(pr, x1), f2 = loglik(pr, x2);
    for (int it = 0; it < 200 && (b - a) > 1e-7 * (1 + fabs(a)); it++) {
        if (f1 > f2) {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = loglik(pr, x1);
        } else {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = loglik(pr, x2);
        }
    }
    *fmax = f1 > f2 ? f1 : f2;
    return f1 > f2 ? x1 : x2;
}

/* The N in [a, b] where the log-likelihood crosses `level` (f(a) and f(b) on either side). */
static double crossing(prof *pr, double a, double b, double level)
{
    double fa = loglik(pr, a) - level;
    for (int it = 0; it < 200 && (b - a) > 1e-8 * (1 + fabs(a)); it++) {
        double m = 0.5 * (a + b);
        double fm = loglik(pr, m) - level;
        if ((fm > 0) == (fa > 0)) {
            a = m;
            fa = fm;
        } else {
            b = m;
        }
    }
    return 0.5 * (a + b);
}

int estimate_loglinear_profile(rk_estimate *out, rk_ctx *ctx, const estimate_design *d,
                               const double *y, int64_t n, const double *beta)
{
    int rc = RK_OK;
    prof pr = {.ctx = ctx, .d = d, .n = n};
    pr.y = rk_malloc(d->cells * sizeof(double));
    pr.mu = rk_malloc(d->cells * sizeof(double));
    pr.beta = rk_malloc(d->p * sizeof(double));
    if (!pr.y || !pr.mu || !pr.beta) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(pr.y, y, d->cells * sizeof(double));
    memcpy(pr.beta, beta, d->p * sizeof(double));
    double nn = (double)n;
    double start = isfinite(out->estimate) ? out->estimate : 2 * nn;
    /* Bracket the maximum: grow the upper end until the likelihood falls. */
    double hi = nn + 3 * (start - nn) + 1, fmax;
    double mid = start;
    double fmid = loglik(&pr, mid);
    for (int i = 0; i < 60 && loglik(&pr, hi) > fmid; i++) {
        mid = hi;
        fmid = loglik(&pr, mid);
        hi = nn + 2 * (hi - nn);
    }
    double nhat = argmax(&pr, nn, hi, &fmax);
    if (pr.rc != RK_OK) {
        rc = pr.rc;
        goto cleanup;
    }
    out->profile_estimate = nhat;
    double level = fmax - HALF_CHI2_95;
    out->lower = loglik(&pr, nn) >= level ? nn : crossing(&pr, nn, nhat, level);
    double up = nhat + (nhat - nn) + 1;
    int grow = 0;
    while (loglik(&pr, up) > level && grow < 60) {
        up = nn + 2 * (up - nn);
        grow++;
    }
    if (grow == 60) {
        out->upper = INFINITY;
        snprintf(out->warning, sizeof(out->warning),
                 "the profile likelihood does not fall off above the estimate: no finite upper "
                 "bound");
    } else {
        out->upper = crossing(&pr, nhat, up, level);
    }
    if (pr.rc != RK_OK) {
        rc = pr.rc;
        goto cleanup;
    }
    snprintf(out->interval_kind, sizeof(out->interval_kind), "profile");
cleanup:
    rk_free(pr.y);
    rk_free(pr.mu);
    rk_free(pr.beta);
    return rc;
}
