/* The latent-class model LCMCR (Manrique-Vallier 2016): a truncated Dirichlet-process mixture
 * of independent-list classes, with the unseen count augmented under the prior p(N) ~ 1/N.
 * A Gibbs sampler on the pattern counts (never on individuals): class counts per pattern are
 * multinomial draws, so an iteration costs O(patterns x classes), not O(persons). Chains run
 * in parallel (OpenMP), each on its own jumped rk_rng stream, so results do not depend on the
 * number of threads. */
#include "randist.h"

#include <gsl/gsl_randist.h>
#include <omp.h>

/* Patterns up to this count draw classes person by person; larger ones by binomials. */
#define SMALL_COUNT 12
/* N larger than this means the chain has lost the population; stop it with a warning. */
#define N_CAP 1e9

typedef struct data {
    size_t J, K, P; /* lists, classes (K*), observed patterns */
    int64_t n;      /* observed persons */
    double a_alpha, b_alpha;
    int64_t *count;  /* P */
    uint32_t *ones;  /* list indices of the 1s of every pattern, concatenated */
    size_t *ones_at; /* P + 1 offsets into ones */
} data;

typedef struct chain {
    rk_rng rng;      /* the chain's stream */
    gsl_rng grng;    /* GSL on the same stream (large binomials, the Poisson) */
    double *lambda;  /* J x K: P(on list j | class k), [j * K + k] */
    double *ratio;   /* J x K: lambda / (1 - lambda) */
    double *base;    /* K: pi_k prod_j (1 - lambda_jk) */
    double *pi, *w;  /* K */
    int64_t *nk;     /* K: persons in class k (observed and unseen) */
    int64_t *s1;     /* J x K: persons of class k on list j */
    int64_t *m;      /* K: one pattern's class counts */
    uint32_t *order; /* K: classes by decreasing weight */
    double *cum;     /* K: cumulative weights */
    double alpha;
    int64_t n0;
    bool lost;
} chain;

static void chain_release(chain *c)
{
    rk_free(c->lambda);
    rk_free(c->ratio);
    rk_free(c->base);
    rk_free(c->pi);
    rk_free(c->w);
    rk_free(c->nk);
    rk_free(c->s1);
    rk_free(c->m);
    rk_free(c->order);
    rk_free(c->cum);
}

static int chain_init(chain *c, const data *d, const rk_rng *stream)
{
    size_t JK = d->J * d->K;
    memset(c, 0, sizeof(*c));
    c->rng = *stream;
    rk__gsl_rng_wrap(&c->grng, &c->rng);
    c->lambda = rk_malloc(JK * sizeof(double));
    c->ratio = rk_malloc(JK * sizeof(double));
    c->base = rk_malloc(d->K * sizeof(double));
    c->pi = rk_malloc(d->K * sizeof(double));
    c->w = rk_malloc(d->K * sizeof(double));
    c->nk = rk_malloc(d->K * sizeof(int64_t));
    c->s1 = rk_malloc(JK * sizeof(int64_t));
    c->m = rk_malloc(d->K * sizeof(int64_t));
    c->order = rk_malloc(d->K * sizeof(uint32_t));
    c->cum = rk_malloc(d->K * sizeof(double));
    if (!c->order || !c->cum || !c->lambda || !c->ratio || !c->base || !c->pi || !c->w || !c->nk ||
        !c->s1 || !c->m)
        return RK_ENOMEM;
    /* Start: lambda from the Beta(1, 1) prior, equal weights, alpha = 1, n0 = n / 2. */
    for (size_t i = 0; i < JK; i++)
        c->lambda[i] = 0.05 + 0.9 * rk__unif(&c->rng);
    for (size_t k = 0; k < d->K; k++)
        c->pi[k] = 1.0 / (double)d->K;
    c->alpha = 1;
    c->n0 = d->n / 2;
    return RK_OK;
}

/* Draws the class counts m[0..K) of `cnt` persons with class weights w (unnormalized, sum
 * `total`). Classes are visited by decreasing weight: binomial draws split off the big classes
 * while many persons are left, and the last few persons draw their class one by one, so that a
 * pattern costs a few binomials whatever K is. */
static void draw_classes(chain *c, size_t K, int64_t cnt, const double *w, double total)
{
    uint32_t *ord = c->order;
    memset(c->m, 0, K * sizeof(int64_t));
    if (cnt <= SMALL_COUNT) {
        /* few persons: each draws its class from the cumulative weights */
        double *cum = c->cum;
        double acc = 0;
        for (size_t k = 0; k < K; k++)
            cum[k] = (acc += w[k]);
        for (int64_t i = 0; i < cnt; i++) {
            double u = rk__unif(&c->rng) * acc;
            size_t k = 0;
            while (k + 1 < K && u >= cum[k])
                k++;
            c->m[k]++;
        }
        return;
    }
    for (size_t k = 0; k < K; k++) {
        size_t i = k;
        for (; i > 0 && w[ord[i - 1]] < w[k]; i--)
            ord[i] = ord[i - 1];
        ord[i] = (uint32_t)k;
    }
    int64_t left = cnt;
    double rest = total;
    size_t at = 0;
    for (; at + 1 < K && left > SMALL_COUNT; at++) {
        size_t k = ord[at];
        double p = rest > 0 ? w[k] / rest : 0;
        int64_t x = rk__binomial(&c->rng, &c->grng, left, p);
        c->m[k] = x;
        left -= x;
        rest -= w[k];
    }
    if (at + 1 == K || rest <= 0) {
        c->m[ord[at < K ? at : K - 1]] += left;
        return;
    }
    for (int64_t i = 0; i < left; i++) {
        double u = rk__unif(&c->rng) * rest, acc = 0;
        size_t j = at;
        for (; j + 1 < K; j++) {
            acc += w[ord[j]];
            if (u < acc)
                break;
        }
        c->m[ord[j]]++;
    }
}

/* One sweep of the Gibbs sampler. */
static void sweep(chain *c, const data *d)
{
    size_t J = d->J, K = d->K;
    for (size_t k = 0; k < K; k++) {
        double b = c->pi[k];
        for (size_t j = 0; j < J; j++) {
            double l = c->lambda[j * K + k];
            b *= 1 - l;
            c->ratio[j * K + k] = l / (1 - l);
        }
        c->base[k] = b;
    }
    memset(c->nk, 0, K * sizeof(int64_t));
    memset(c->s1, 0, J * K * sizeof(int64_t));
    /* 1. classes of the persons of each observed pattern, and of the n0 unseen */
    for (size_t p = 0; p <= d->P; p++) {
        int64_t cnt = p < d->P ? d->count[p] : c->n0;
        if (cnt == 0)
            continue;
        const uint32_t *on = p < d->P ? d->ones + d->ones_at[p] : NULL;
        size_t non = p < d->P ? d->ones_at[p + 1] - d->ones_at[p] : 0;
        double total = 0;
        for (size_t k = 0; k < K; k++) {
            double w = c->base[k];
            for (size_t i = 0; i < non; i++)
                w *= c->ratio[on[i] * K + k];
            c->w[k] = w;
            total += w;
        }
        if (!(total > 0) || !isfinite(total)) {
            /* underflow: redo in logs */
            double mx = -INFINITY;
            for (size_t k = 0; k < K; k++) {
                double lw = log(c->base[k]);
                for (size_t i = 0; i < non; i++)
                    lw += log(c->ratio[on[i] * K + k]);
                c->w[k] = lw;
                mx = lw > mx ? lw : mx;
            }
            total = 0;
            for (size_t k = 0; k < K; k++)
                total += (c->w[k] = exp(c->w[k] - mx));
        }
        draw_classes(c, K, cnt, c->w, total);
        for (size_t k = 0; k < K; k++) {
            int64_t mk = c->m[k];
            if (!mk)
                continue;
            c->nk[k] += mk;
            for (size_t i = 0; i < non; i++)
                c->s1[on[i] * K + k] += mk;
        }
    }
    /* 2. list probabilities per class */
    for (size_t j = 0; j < J; j++)
        for (size_t k = 0; k < K; k++) {
            int64_t a = c->s1[j * K + k], b = c->nk[k] - a;
            double l = rk__beta(&c->rng, 1 + (double)a, 1 + (double)b);
            /* keep 1 - lambda representable */
            if (l > 1 - 1e-12)
                l = 1 - 1e-12;
            if (l < 1e-300)
                l = 1e-300;
            c->lambda[j * K + k] = l;
        }
    /* 3. stick-breaking weights and the concentration. V_k ~ Beta(1 + n_k, alpha + sum_{l>k} n_l)
     * with the unseen persons counted, pi_k = V_k prod_{l<k} (1 - V_l), V_K* = 1, and
     * alpha ~ Gamma(a + K* - 1, b - sum_{k<K*} log(1 - V_k)) (the stick-breaking density of the
     * V given alpha is prod_k alpha (1 - V_k)^(alpha - 1)). V is drawn as Ga / (Ga + Gb) with
     * both gammas in logs so that log(1 - V) stays exact: when alpha is small the empty classes'
     * V_k ~ Beta(1, alpha) lie within 1e-16 of 1 and log(1 - V_k) is -1/alpha log U, often
     * below -100. Rounding V to 1 - 1e-12 (as this sampler once did) capped each of those terms
     * at -27.6, which pushed alpha up, kept extra classes alive and made chains avoid the
     * few-class states: on kosovo the 2.5% quantile sat at 9100 instead of LCMCR's 8870. */
    int64_t after = 0;
    for (size_t k = 0; k < K; k++)
        after += c->nk[k];
    double logstick = 0, sum_log1mv = 0;
    for (size_t k = 0; k + 1 < K; k++) {
        after -= c->nk[k];
        double lv, l1mv;
        rk__log_beta(&c->rng, 1 + (double)c->nk[k], c->alpha + (double)after, &lv, &l1mv);
        c->pi[k] = exp(logstick + lv);
        logstick += l1mv;
        sum_log1mv += l1mv;
    }
    c->pi[K - 1] = exp(logstick);
    c->alpha = rk__gamma(&c->rng, d->a_alpha + (double)K - 1) / (d->b_alpha - sum_log1mv);
    /* 4. the unseen count. Given the parameters, the counts of the 2^J cells are multinomial,
     * p(n_obs, n0 | N) = N! / (n0! prod n_x!) pi0^n0 prod p_x^n_x with N = n + n0 and
     * pi0 = sum_k pi_k prod_j (1 - lambda_jk); times the prior 1/N this is, in n0,
     * (n + n0 - 1)! / n0! pi0^n0: NegativeBinomial(n, 1 - pi0) (n0 failures before n
     * successes), drawn as Poisson(G pi0 / (1 - pi0)) with G ~ Gamma(n, 1). The unseen persons'
     * classes are drawn from pi_k prod_j (1 - lambda_jk) / pi0 at the start of the next sweep,
     * before anything else uses them, so (n0, their classes) is one joint draw. */
    double p0 = 0;
    for (size_t k = 0; k < K; k++) {
        double b = c->pi[k];
        for (size_t j = 0; j < J; j++)
            b *= 1 - c->lambda[j * K + k];
        p0 += b;
    }
    double q = 1 - p0;
    double mean_rate = q > 0 ? rk__gamma(&c->rng, (double)d->n) * (p0 / q) : INFINITY;
    if (!(mean_rate < N_CAP)) {
        c->lost = true;
        c->n0 = (int64_t)N_CAP;
        return;
    }
    c->n0 = (int64_t)gsl_ran_poisson(&c->grng, mean_rate);
}

static void data_release(data *d)
{
    rk_free(d->count);
    rk_free(d->ones);
    rk_free(d->ones_at);
}

static int data_init(data *d, rk_ctx *ctx, const rk_capture_table *t, const rk_lcmcr_options *o)
{
    memset(d, 0, sizeof(*d));
    d->J = t->nlists;
    d->K = (size_t)o->kstar;
    d->P = t->n;
    d->n = t->total;
    d->a_alpha = o->a_alpha;
    d->b_alpha = o->b_alpha;
    size_t nones = 0;
    for (size_t p = 0; p < t->n; p++)
        nones += (size_t)rk__popcount(t->pattern[p]);
    d->count = rk_malloc((d->P + 1) * sizeof(int64_t));
    d->ones = rk_malloc((nones + 1) * sizeof(uint32_t));
    d->ones_at = rk_malloc((d->P + 1) * sizeof(size_t));
    if (!d->count || !d->ones || !d->ones_at)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t at = 0;
    for (size_t p = 0; p < t->n; p++) {
        if (t->count[p] > INT32_MAX)
            return rk_error_set(ctx, RK_EINPUT,
                                "a pattern count above 2^31 is too large for lcmcr");
        d->count[p] = t->count[p];
        d->ones_at[p] = at;
        for (uint64_t x = t->pattern[p]; x; x &= x - 1)
            d->ones[at++] = (uint32_t)__builtin_ctzll(x);
    }
    d->ones_at[d->P] = at;
    return RK_OK;
}

static int check_options(rk_ctx *ctx, const rk_capture_table *t, const rk_lcmcr_options *o)
{
    if (o->version != RK_LCMCR_OPTIONS_VERSION)
        return rk_error_set(ctx, RK_EINTERNAL, "lcmcr options of version %d, expected %d",
                            o->version, RK_LCMCR_OPTIONS_VERSION);
    if (t->nlists < 2)
        return rk_error_set(ctx, RK_EINPUT, "lcmcr needs at least 2 lists");
    if (t->total < 1)
        return rk_error_set(ctx, RK_EINPUT, "lcmcr needs at least one observed person");
    if (o->kstar < 1 || o->kstar > 1000)
        return rk_error_set(ctx, RK_EINPUT, "--kstar %d: use 1 to 1000 latent classes", o->kstar);
    if (!(o->a_alpha > 0) || !(o->b_alpha > 0))
        return rk_error_set(ctx, RK_EINPUT, "the Gamma prior of alpha needs a > 0 and b > 0");
    if (o->burnin < 0 || o->samples < 1 || o->thin < 1 || o->chains < 1 || o->chains > 256)
        return rk_error_set(ctx, RK_EINPUT,
                            "lcmcr needs burn-in >= 0, samples >= 1, thin >= 1, 1 to 256 chains");
    if ((double)o->samples * (double)o->chains > 1e8)
        return rk_error_set(ctx, RK_EINPUT, "more than 10^8 draws in all; thin more");
    return RK_OK;
}

int rk_estimate_lcmcr(rk_estimate *out, rk_ctx *ctx, const rk_capture_table *t,
                      const rk_lcmcr_options *opt)
{
    RK_ASSERT_ARG(ctx, out && t && opt);
    rk_estimate_init(out);
    int rc = check_options(ctx, t, opt);
    if (rc != RK_OK)
        return rc;
    data d;
    size_t nch = (size_t)opt->chains, per = (size_t)opt->samples;
    chain *chains = rk_calloc(nch, sizeof(chain));
    double *draws = rk_malloc(nch * per * sizeof(double));
    if ((rc = data_init(&d, ctx, t, opt)) != RK_OK)
        goto cleanup;
    if (!chains || !draws) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    rk_rng stream;
    rk_rng_seed(&stream, opt->seed);
    for (size_t c = 0; c < nch; c++) {
        if (chain_init(&chains[c], &d, &stream) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        rk_rng_jump(&stream);
    }
    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    if (threads > (int)nch)
        threads = (int)nch;
#pragma omp parallel for schedule(static, 1) num_threads(threads)
    for (size_t c = 0; c < nch; c++) {
        chain *ch = &chains[c];
        for (long it = 0; it < opt->burnin; it++)
            sweep(ch, &d);
        for (size_t s = 0; s < per; s++) {
            for (long it = 0; it < opt->thin; it++)
                sweep(ch, &d);
            draws[c * per + s] = (double)(d.n + ch->n0);
        }
    }
    snprintf(out->method, sizeof(out->method), "lcmcr");
    snprintf(out->model, sizeof(out->model), "K*=%d", opt->kstar);
    out->observed = d.n;
    out->seed = opt->seed;
    out->draws = draws;
    draws = NULL;
    out->ndraws = nch * per;
    out->nchains = nch;
    if ((rc = rk__summarize_draws(out, ctx)) != RK_OK)
        goto cleanup;
    bool lost = false;
    for (size_t c = 0; c < nch; c++)
        lost |= chains[c].lost;
    if (lost)
        snprintf(out->warning, sizeof(out->warning),
                 "a chain's N ran past 10^9: the model does not identify the total here");
    else if (nch > 1 && !(out->rhat < 1.1))
        snprintf(out->warning, sizeof(out->warning),
                 "chains disagree (split R-hat %.2f > 1.1): the posterior has several modes or "
                 "the chains are too short; do not report one interval",
                 out->rhat);
    else if (out->ess < 100)
        snprintf(out->warning, sizeof(out->warning),
                 "effective sample size %.0f < 100: run longer chains", out->ess);
cleanup:
    if (chains)
        for (size_t c = 0; c < nch; c++)
            chain_release(&chains[c]);
    rk_free(chains);
    rk_free(draws);
    data_release(&d);
    return rc;
}
