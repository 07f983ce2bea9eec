/* Combines posterior draws of N from imputation replicates (read by replicates.c) into one
 * estimate, by one of three rules: the pooled mixture of all draws, Rubin's rules on N, and
 * verdata's rule (Rubin's rules on log(N - n_obs)). Formulas in docs/methods.md, "Combining
 * replicates". */
#include "estimate_private.h"

#include <gsl/gsl_cdf.h>

#define LEVEL 0.95

static const struct {
    const char *name;
    rk_combine_rule rule;
} rules[] = {
    {"pooled", RK_COMBINE_POOLED},
    {"rubin", RK_COMBINE_RUBIN},
    {"verdata", RK_COMBINE_VERDATA},
};

int rk_estimate_combine_rule_parse(rk_combine_rule *out, rk_ctx *ctx, const char *name)
{
    RK_ASSERT_ARG(ctx, out && name);
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (!strcmp(rules[i].name, name)) {
            *out = rules[i].rule;
            return RK_OK;
        }
    return rk_error_set(ctx, RK_EINPUT,
                        "unknown rule '%s'; the rules are pooled, rubin and verdata", name);
}

const char *rk_estimate_combine_rule_name(rk_combine_rule rule)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (rules[i].rule == rule)
            return rules[i].name;
    return "unknown";
}

/* A combined estimate of n replicates by `rule` with every figure not yet known. */
static rk_combined_estimate no_estimate(rk_combine_rule rule, size_t n)
{
    return (rk_combined_estimate){.rule = rule,
                                  .replicates = n,
                                  .observed = NAN,
                                  .estimate = NAN,
                                  .lower = NAN,
                                  .upper = NAN,
                                  .level = LEVEL,
                                  .mean = NAN,
                                  .sd = NAN,
                                  .within = NAN,
                                  .between = NAN,
                                  .total = NAN,
                                  .df = NAN};
}

/* R's round(x): to the nearest whole number, halves to even (IEC 60559, as nearbyint in the
 * default rounding mode). verdata rounds its figures so. */
static double round_r(double x)
{
    return nearbyint(x);
}

/* The value of a draw on the scale a rule works on: N itself (rubin), or log(N - n_obs) with
 * 0 taken as 0.1 (verdata's combine_estimates). */
static double scaled(double draw, int64_t observed, rk_combine_rule rule)
{
    if (rule != RK_COMBINE_VERDATA)
        return draw;
    double n0 = draw - (double)observed;
    return log(n0 == 0 ? 0.1 : n0);
}

/* Mean and sample variance (n - 1) of one replicate's draws on the rule's scale. */
static void moments(const rk_replicate *r, rk_combine_rule rule, double *mean, double *var)
{
    double m = 0, ss = 0;
    for (size_t i = 0; i < r->ndraws; i++) { /* Welford */
        double x = scaled(r->draws[i], r->observed, rule), d = x - m;
        m += d / (double)(i + 1);
        ss += d * (x - m);
    }
    *mean = m;
    *var = r->ndraws > 1 ? ss / (double)(r->ndraws - 1) : NAN;
}

/* The 97.5% quantile of Student's t with df degrees of freedom (the normal's when df is
 * infinite, as when the replicates agree exactly). */
static double t_quantile(double df)
{
    double p = 1 - (1 - LEVEL) / 2;
    return isfinite(df) ? gsl_cdf_tdist_Pinv(p, df) : gsl_cdf_ugaussian_Pinv(p);
}

/* Rubin's rules (Rubin 1987) over m replicates' means q and variances u on the rule's scale:
 * within W, between B, total T = W + (1 + 1/m) B; the interval's t quantile has rubin's df
 * (m - 1)(1 + W / ((1 + 1/m) B))^2 or verdata's (m - 1)(1 + W / ((m + 1) B))^2. Fills
 * within, between, total and df, and returns the half width of the interval. */
static double rubin_rules(rk_combined_estimate *out, const double *q, const double *u, size_t m,
                          rk_combine_rule rule, double *qbar_out)
{
    double qbar = 0, w = 0;
    for (size_t i = 0; i < m; i++) {
        qbar += q[i] / (double)m;
        w += u[i] / (double)m;
    }
    double b = 0;
    for (size_t i = 0; i < m; i++)
        b += (q[i] - qbar) * (q[i] - qbar) / (double)(m - 1);
    double md = (double)m, t = w + (1 + 1 / md) * b;
    double ratio = rule == RK_COMBINE_VERDATA ? w / ((md + 1) * b) : w / ((1 + 1 / md) * b);
    out->within = w;
    out->between = b;
    out->total = t;
    out->df = b > 0 ? (md - 1) * (1 + ratio) * (1 + ratio) : INFINITY;
    *qbar_out = qbar;
    return t_quantile(out->df) * sqrt(t);
}

static int rubin(rk_combined_estimate *out, rk_ctx *ctx, const rk_replicate *reps, size_t m,
                 rk_combine_rule rule)
{
    double *q = rk_malloc(2 * m * sizeof(double));
    if (!q)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    double *u = q + m, nobs = 0, n0bar = 0, qbar;
    for (size_t i = 0; i < m; i++) {
        moments(&reps[i], rule, &q[i], &u[i]);
        nobs += (double)reps[i].observed / (double)m;
        double n0 = 0; /* verdata's point estimate: the mean of N - n_obs, unlogged */
        for (size_t j = 0; j < reps[i].ndraws; j++)
            n0 += (reps[i].draws[j] - (double)reps[i].observed) / (double)reps[i].ndraws;
        n0bar += n0 / (double)m;
    }
    double half = rubin_rules(out, q, u, m, rule, &qbar);
    rk_free(q);
    if (rule == RK_COMBINE_RUBIN) {
        out->observed = nobs;
        out->estimate = qbar;
        out->lower = qbar - half;
        out->upper = qbar + half;
    } else {
        out->observed = round_r(nobs);
        out->estimate = out->observed + round_r(n0bar);
        out->lower = out->observed + round_r(exp(qbar - half));
        out->upper = out->observed + round_r(exp(qbar + half));
    }
    return RK_OK;
}

int estimate_combine_intervals(rk_combined_estimate *out, rk_ctx *ctx, const double *observed,
                               const double *estimate, const double *lower, const double *upper,
                               size_t n, rk_combine_rule rule)
{
    *out = no_estimate(rule, n);
    if (n == 0)
        return rk_error_set(ctx, RK_EINPUT, "no replicates to combine");
    if (n == 1) {
        out->observed = observed[0];
        out->estimate = estimate[0];
        out->lower = lower[0];
        out->upper = upper[0];
        return RK_OK;
    }
    double *q = rk_malloc(2 * n * sizeof(double));
    if (!q)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    double *u = q + n, nobs = 0, n0bar = 0, qbar;
    /* the 97.5% normal quantile: each replicate's interval is read as normal on the log scale */
    double z = gsl_cdf_ugaussian_Pinv(1 - (1 - LEVEL) / 2);
    for (size_t i = 0; i < n; i++) {
        /* the interval's centre on the log scale, not log(estimate - n): replicates that agree
         * then give back their own interval */
        double lo = log(fmax(lower[i] - observed[i], 0.1)),
               hi = log(fmax(upper[i] - observed[i], 0.1));
        q[i] = (lo + hi) / 2;
        u[i] = pow((hi - lo) / (2 * z), 2);
        nobs += observed[i] / (double)n;
        n0bar += log(fmax(estimate[i] - observed[i], 0.1)) / (double)n;
    }
    double half = rubin_rules(out, q, u, n, rule, &qbar);
    rk_free(q);
    out->observed = nobs;
    /* the geometric mean of the unseen: on the scale of the interval, so that one replicate's
     * runaway estimate cannot carry the point outside it */
    out->estimate = nobs + exp(n0bar);
    out->lower = nobs + exp(qbar - half);
    out->upper = nobs + exp(qbar + half);
    return RK_OK;
}

/* The mixture of the replicates' posteriors: every draw pooled, each replicate weighted by its
 * number of draws; median and equal-tailed interval by R's type-7 quantiles. */
static int pooled(rk_combined_estimate *out, rk_ctx *ctx, const rk_replicate *reps, size_t m)
{
    double *all = rk_malloc(out->draws * sizeof(double));
    if (!all)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t k = 0;
    double nobs = 0, mean = 0, ss = 0;
    for (size_t i = 0; i < m; i++) {
        nobs += (double)reps[i].observed / (double)m;
        for (size_t j = 0; j < reps[i].ndraws; j++) {
            double x = reps[i].draws[j], d = x - mean;
            all[k++] = x;
            mean += d / (double)k;
            ss += d * (x - mean);
        }
    }
    out->observed = nobs;
    out->mean = mean;
    out->sd = k > 1 ? sqrt(ss / (double)(k - 1)) : NAN;
    out->estimate = rk_estimate_quantile(all, k, 0.5);
    out->lower = rk_estimate_quantile(all, k, (1 - LEVEL) / 2);
    out->upper = rk_estimate_quantile(all, k, 1 - (1 - LEVEL) / 2);
    rk_free(all);
    return RK_OK;
}

int rk_estimate_combine_replicates(rk_combined_estimate *out, rk_ctx *ctx, const rk_replicate *reps,
                                   size_t n, rk_combine_rule rule)
{
    RK_ASSERT_ARG(ctx, out && (reps || n == 0));
    RK_ASSERT_ARG(ctx, rule == RK_COMBINE_POOLED || rule == RK_COMBINE_RUBIN ||
                           rule == RK_COMBINE_VERDATA);
    *out = no_estimate(rule, n);
    const char *name = rk_estimate_combine_rule_name(rule);
    if (n == 0)
        return rk_error_set(ctx, RK_EINPUT, "no replicates to combine");
    if (rule != RK_COMBINE_POOLED && n < 2)
        return rk_error_set(ctx, RK_EINPUT,
                            "rule '%s' needs at least 2 replicates, not 1; use --rule pooled "
                            "for one",
                            name);
    for (size_t i = 0; i < n; i++) {
        const rk_replicate *r = &reps[i];
        if (r->ndraws == 0 || (rule != RK_COMBINE_POOLED && r->ndraws < 2))
            return rk_error_set(ctx, RK_EINPUT,
                                "replicate '%s' has %zu draws; rule '%s' needs at least %d",
                                r->name, r->ndraws, name, rule == RK_COMBINE_POOLED ? 1 : 2);
        for (size_t j = 0; j < r->ndraws; j++)
            if (!(r->draws[j] >= (double)r->observed))
                return rk_error_set(ctx, RK_EINPUT,
                                    "replicate '%s': draw %zu (%g) is below its %lld observed "
                                    "persons",
                                    r->name, j + 1, r->draws[j], (long long)r->observed);
        out->draws += r->ndraws;
    }
    if (rule != RK_COMBINE_POOLED && n < 10)
        snprintf(out->warning, sizeof(out->warning),
                 "only %zu replicates: with fewer than 10 the between-replicate variance is "
                 "poorly known and the interval may be unreliable",
                 n);
    return rule == RK_COMBINE_POOLED ? pooled(out, ctx, reps, n) : rubin(out, ctx, reps, n, rule);
}
