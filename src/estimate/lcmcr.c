/* The latent-class model LCMCR (Manrique-Vallier 2016): a truncated Dirichlet-process mixture
 * of independent-list classes, with the unseen count augmented under the prior p(N) ~ 1/N.
 * A Gibbs sampler on the pattern counts (never on individuals): class counts per pattern are
 * multinomial draws, so an iteration costs O(patterns x classes), not O(persons). Each chain
 * starts as the LCMCR package's do (chain_start), which decides the regime a chain settles in
 * on sparse many-list strata. Chains run in parallel (OpenMP), each on its own jumped rk_rng
 * stream, so results do not depend on the number of threads. */
#include "randist.h"

#include <omp.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Patterns up to this count draw classes person by person (a uniform and a short search each);
 * larger ones split off their biggest classes by binomials first (a binomial of small mean
 * costs an exp and a log1p, the price of a dozen uniforms). */
#define SMALL_COUNT 24
/* The most latent classes an estimate may ask for. */
#define RK_LCMCR_MAX_KSTAR 1000
/* N larger than this means the chain has lost the population; stop it with a warning. */
#define N_CAP 1e9

typedef struct data {
    size_t J, K, P; /* lists, classes (K*), observed patterns */
    int64_t n;      /* observed persons */
    double a_alpha, b_alpha;
    int64_t *count;   /* P */
    uint32_t *ones;   /* list indices of the 1s of every pattern, concatenated */
    size_t *ones_at;  /* P + 1 offsets into ones */
    uint32_t *shared; /* P: leading ones pattern p shares with pattern p - 1 */
    estimate_zig zig; /* the ziggurat tables, read by every chain */
} data;

typedef struct chain {
    estimate_gen g; /* the chain's stream */
    double *lambda; /* J x K: P(on list j | class k), [j * K + k] */
    double *ratio;  /* J x K: lambda / (1 - lambda) */
    double *base;   /* K: pi_k prod_j (1 - lambda_jk), the weight of the empty pattern */
    double *pi, *w; /* K */
    int64_t *nk;    /* K: persons in class k (observed and unseen) */
    int64_t *s1;    /* J x K: persons of class k on list j */
    double *cum;    /* K: cumulative weights */
    int64_t *xk;    /* K: the current pattern's persons per class */
    double *part;   /* (J + 1) x K: partial products of a pattern's weights */
    double alpha;
    int64_t n0;
    bool lost;
    bool hold_alpha; /* during the start: alpha stays put */
    /* Chains sit side by side in one array and run on different cores: this keeps each
     * chain's fields, its stream above all (written at every draw), off the cache lines of
     * the next chain's, which would otherwise bounce between the cores. */
    char pad[64];
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
    rk_free(c->cum);
    rk_free(c->xk);
    rk_free(c->part);
}

/* base and ratio from lambda and pi; returns pi0 = sum_k base_k, the chance of being unseen. */
static double chain_weights(chain *c, const data *d)
{
    size_t J = d->J, K = d->K;
    for (size_t k = 0; k < K; k++)
        c->base[k] = c->pi[k];
    for (size_t j = 0; j < J; j++) {
        const double *l = c->lambda + j * K;
        double *r = c->ratio + j * K;
        for (size_t k = 0; k < K; k++) {
            c->base[k] *= 1 - l[k];
            r[k] = l[k] / (1 - l[k]);
        }
    }
    double p0 = 0;
    for (size_t k = 0; k < K; k++)
        p0 += c->base[k];
    return p0;
}

static int chain_init(chain *c, const data *d, const rk_rng *stream)
{
    size_t JK = d->J * d->K;
    memset(c, 0, sizeof(*c));
    c->g.rng = *stream;
    c->g.z = &d->zig;
    c->lambda = rk_malloc(JK * sizeof(double));
    c->ratio = rk_malloc(JK * sizeof(double));
    c->base = rk_malloc(d->K * sizeof(double));
    c->pi = rk_malloc(d->K * sizeof(double));
    c->w = rk_malloc(d->K * sizeof(double));
    c->nk = rk_malloc(d->K * sizeof(int64_t));
    c->s1 = rk_malloc(JK * sizeof(int64_t));
    c->cum = rk_malloc(d->K * sizeof(double));
    c->xk = rk_malloc(d->K * sizeof(int64_t));
    c->part = rk_malloc((d->J + 1) * d->K * sizeof(double));
    if (!c->cum || !c->xk || !c->part || !c->lambda || !c->ratio || !c->base || !c->pi || !c->w ||
        !c->nk || !c->s1)
        return RK_ENOMEM;
    return RK_OK;
}

/* Puts x persons of a pattern (its 1s on[0..non)) in class k. */
static inline void assign(chain *c, size_t K, size_t k, int64_t x, const uint32_t *on, size_t non)
{
    c->nk[k] += x;
    for (size_t i = 0; i < non; i++)
        c->s1[(size_t)on[i] * K + k] += x;
}

/* The class of a uniform u in [0, cum[K-1]): the number of cumulative weights at or below u,
 * counted without branches (a search that stops early mispredicts its exit once a person, and
 * on a sparse table that was a fifth of a sweep). gcc does not vectorize the count of a
 * comparison of doubles, so on x86-64 it is written with SSE2 (part of the architecture):
 * two comparisons an instruction, each true one a -1 subtracted from the count. */
static inline size_t pick(const double *cum, size_t K, double u)
{
    size_t k = 0, j = 0;
#ifdef __SSE2__
    __m128d uu = _mm_set1_pd(u);
    __m128i acc = _mm_setzero_si128();
    for (; j + 2 < K; j += 2)
        acc = _mm_sub_epi64(acc, _mm_castpd_si128(_mm_cmple_pd(_mm_loadu_pd(cum + j), uu)));
    k = (size_t)(_mm_cvtsi128_si64(acc) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc)));
#endif
    for (; j < K - 1; j++)
        k += u >= cum[j];
    return k;
}

/* Adds a pattern's persons per class (x, K of them; its 1s on[0..non)) to nk and s1: one pass
 * per list over all classes, which vectorizes, instead of one per person. */
static void assign_all(chain *c, size_t K, const int64_t *x, const uint32_t *on, size_t non)
{
    int64_t *nk = c->nk;
#pragma omp simd
    for (size_t k = 0; k < K; k++)
        nk[k] += x[k];
    for (size_t i = 0; i < non; i++) {
        int64_t *s1 = c->s1 + (size_t)on[i] * K;
#pragma omp simd
        for (size_t k = 0; k < K; k++)
            s1[k] += x[k];
    }
}

/* Draws the classes of the `cnt` persons of a pattern (its 1s on[0..non)) with class weights w
 * (unnormalized, sum `total`) and counts them in nk and s1. Few persons draw their class one by
 * one. Otherwise binomial draws split off the classes by decreasing weight while many persons
 * are left (each next class is the heaviest left, found by a scan: a pattern needs only a few
 * before the persons left are few), and the last few persons draw their class one by one. The
 * persons are counted per class first and added to nk and s1 once. */
static void draw_classes(chain *c, size_t K, int64_t cnt, const double *w, double total,
                         const uint32_t *on, size_t non)
{
    double *cum = c->cum;
    int64_t *x = c->xk;
    if (cnt <= SMALL_COUNT) {
        double acc = 0;
        for (size_t k = 0; k < K; k++)
            cum[k] = (acc += w[k]);
        if ((size_t)cnt * 2 < K) {
            /* fewer persons than a pass over the classes costs */
            for (int64_t i = 0; i < cnt; i++)
                assign(c, K, pick(cum, K, estimate_unif(&c->g.rng) * acc), 1, on, non);
            return;
        }
        memset(x, 0, K * sizeof(int64_t));
        for (int64_t i = 0; i < cnt; i++)
            x[pick(cum, K, estimate_unif(&c->g.rng) * acc)]++;
        assign_all(c, K, x, on, non);
        return;
    }
    memset(x, 0, K * sizeof(int64_t));
    /* cum doubles as the weights of the classes not yet split off (0 once split) */
    memcpy(cum, w, K * sizeof(double));
    int64_t left = cnt;
    double rest = total;
    size_t done = 0;
    for (; done + 1 < K && left > SMALL_COUNT; done++) {
        size_t k = 0;
        for (size_t j = 1; j < K; j++)
            k = cum[j] > cum[k] ? j : k;
        double p = rest > 0 ? cum[k] / rest : 0;
        int64_t n = estimate_binomial(&c->g, left, p);
        x[k] = n;
        left -= n;
        rest -= cum[k];
        cum[k] = 0;
    }
    if (left > 0) {
        if (done + 1 == K || !(rest > 0)) {
            /* one class left (or rounding left no weight): the rest is its */
            size_t k = 0;
            for (size_t j = 1; j < K; j++)
                k = cum[j] > cum[k] ? j : k;
            x[k] += left;
        } else {
            /* the last few persons, among the classes not yet split off */
            double acc = 0;
            for (size_t k = 0; k < K; k++)
                cum[k] = (acc += cum[k]);
            /* a split-off class has cum[k] == cum[k - 1]: u >= cum[k - 1] then implies
             * u >= cum[k], so it is never picked */
            for (int64_t i = 0; i < left; i++)
                x[pick(cum, K, estimate_unif(&c->g.rng) * acc)]++;
        }
    }
    assign_all(c, K, x, on, non);
}

/* The weights of pattern p's classes, base_k prod_{j in ones} ratio_jk, and their sum. The
 * partial products over a pattern's first ones are kept in c->part (row i: the first i ones),
 * and patterns are in an order where each shares its first d->shared[p] ones with the one
 * before, so only the rest are multiplied in. A logarithmic fallback (into c->w) takes over
 * when a product leaves the range of doubles. */
static const double *pattern_weights(chain *c, const data *d, size_t p, double *total_out)
{
    size_t K = d->K, non = 0, from = 0;
    const uint32_t *on = NULL;
    if (p < d->P) {
        on = d->ones + d->ones_at[p];
        non = d->ones_at[p + 1] - d->ones_at[p];
        from = d->shared[p];
    }
    double total = 0;
    const double *w = c->base;
    if (non == 0) {
        for (size_t k = 0; k < K; k++)
            total += w[k];
    } else {
        for (size_t i = from; i + 1 < non; i++) {
            const double *src = i ? c->part + i * K : c->base, *r = c->ratio + (size_t)on[i] * K;
            double *dst = c->part + (i + 1) * K;
#pragma omp simd
            for (size_t k = 0; k < K; k++)
                dst[k] = src[k] * r[k];
        }
        /* the last product and the sum in one pass */
        size_t i = non - 1;
        const double *src = i ? c->part + i * K : c->base, *r = c->ratio + (size_t)on[i] * K;
        double *dst = c->part + non * K;
#pragma omp simd reduction(+ : total)
        for (size_t k = 0; k < K; k++) {
            dst[k] = src[k] * r[k];
            total += dst[k];
        }
        w = dst;
    }
    if (total > 0 && isfinite(total)) {
        *total_out = total;
        return w;
    }
    double mx = -INFINITY, *lw = c->w;
    for (size_t k = 0; k < K; k++) {
        double l = log(c->base[k]);
        for (size_t i = 0; i < non; i++)
            l += log(c->ratio[(size_t)on[i] * K + k]);
        lw[k] = l;
        mx = l > mx ? l : mx;
    }
    total = 0;
    for (size_t k = 0; k < K; k++)
        total += (lw[k] = exp(lw[k] - mx));
    *total_out = total;
    return lw;
}

/* The stick-breaking weights: V_k ~ Beta(1 + n_k, alpha + sum_{l>k} n_l), pi_k = V_k times the
 * stick left, V_K* = 1. Returns sum_{k<K*} log(1 - V_k), which alpha's draw needs exactly
 * (see sweep). pi is kept as plain products: once the stick left is below the range of doubles
 * the later classes' pi are 0, which no draw can tell from their true value. The logarithms of
 * the factors 1 - V are summed exactly: an occupied class with persons after it draws V as
 * Ga / (Ga + Gb) with both shapes at least 1, so 1 - V = Gb / (Ga + Gb) has full precision and
 * the factors are multiplied, taking one logarithm at the end (logarithms per class were a
 * tenth of a kosovo sweep); an empty class has 1 - V = exp(-E / b) in closed form; the last
 * occupied class (b = alpha, maybe far below 1) draws in logarithms. */
static double draw_sticks(chain *c, size_t K)
{
    int64_t after = 0;
    for (size_t k = 0; k < K; k++)
        after += c->nk[k];
    double stick = 1, prod = 1, sum_log = 0;
    for (size_t k = 0; k + 1 < K; k++) {
        after -= c->nk[k];
        double b = c->alpha + (double)after, v, one_minus_v;
        if (c->nk[k] == 0) {
            double l = -estimate_exp(&c->g) / b, em1 = expm1(l);
            v = -em1;
            one_minus_v = l < -0.5 ? exp(l) : 1 + em1;
            sum_log += l;
        } else if (after > 0) {
            double x = estimate_gamma_ge1(&c->g, 1 + (double)c->nk[k]),
                   y = estimate_gamma_ge1(&c->g, b);
            v = x / (x + y);
            one_minus_v = y / (x + y);
            prod *= one_minus_v;
            if (prod < 0x1p-900) {
                sum_log += log(prod);
                prod = 1;
            }
        } else {
            double lv, l1mv;
            estimate_log_beta(&c->g, 1 + (double)c->nk[k], b, &lv, &l1mv);
            v = exp(lv);
            one_minus_v = exp(l1mv);
            sum_log += l1mv;
        }
        c->pi[k] = stick * v;
        stick *= one_minus_v;
    }
    c->pi[K - 1] = stick;
    return sum_log + log(prod);
}

/* Draws lambda (step 2 of a sweep) and with it ratio = lambda / (1 - lambda) and, into keep[k],
 * prod_j (1 - lambda_jk): each draw gives lambda and 1 - lambda with full precision (U and
 * 1 - U, closed forms through expm1, or Ga / (Ga + Gb) and Gb / (Ga + Gb)), so nothing is
 * recomputed from lambda. An empty class draws uniforms (Beta(1, 1)), a list that a class's
 * persons are all on or all off has a closed form, and the rest draw two gammas. lambda stays
 * within [1e-300, 1 - 1e-12], so that 1 - lambda and the ratio are representable. */
static void draw_lambda(chain *c, const data *d, double *keep)
{
    size_t J = d->J, K = d->K;
    for (size_t k = 0; k < K; k++)
        keep[k] = 1;
    for (size_t j = 0; j < J; j++) {
        double *lambda = c->lambda + j * K, *ratio = c->ratio + j * K;
        const int64_t *s1 = c->s1 + j * K;
        for (size_t k = 0; k < K; k++) {
            int64_t a = s1[k], b = c->nk[k] - a;
            double l, m; /* lambda and 1 - lambda */
            if (c->nk[k] == 0) {
                l = estimate_unif(&c->g.rng);
                m = 1 - l;
            } else if (a == 0 || b == 0) {
                /* Beta(1, 1 + b) = 1 - U^(1 / (1 + b)), and Beta(1 + a, 1) by symmetry */
                double e = -estimate_exp(&c->g) / (double)(1 + a + b), em1 = expm1(e);
                double near = e < -0.5 ? exp(e) : 1 + em1; /* U^(1 / shape), exactly */
                l = a == 0 ? -em1 : near;
                m = a == 0 ? near : -em1;
            } else {
                double x = estimate_gamma_ge1(&c->g, 1 + (double)a),
                       y = estimate_gamma_ge1(&c->g, 1 + (double)b);
                l = x / (x + y);
                m = y / (x + y);
            }
            if (m < 1e-12) {
                m = 1e-12;
                l = 1 - 1e-12;
            }
            if (l < 1e-300)
                l = 1e-300;
            lambda[k] = l;
            ratio[k] = l / m;
            keep[k] *= m;
        }
    }
}

/* One sweep of the Gibbs sampler. On entry base and ratio hold the current lambda and pi. */
static void sweep(chain *c, const data *d)
{
    size_t J = d->J, K = d->K;
    memset(c->nk, 0, K * sizeof(int64_t));
    memset(c->s1, 0, J * K * sizeof(int64_t));
    /* 1. classes of the persons of each observed pattern, and of the n0 unseen */
    for (size_t p = 0; p <= d->P; p++) {
        int64_t cnt = p < d->P ? d->count[p] : c->n0;
        if (cnt == 0 && p == d->P)
            continue;
        const uint32_t *on = p < d->P ? d->ones + d->ones_at[p] : NULL;
        size_t non = p < d->P ? d->ones_at[p + 1] - d->ones_at[p] : 0;
        double total;
        /* (also for an empty pattern: the next one may build on its partial products) */
        const double *w = pattern_weights(c, d, p, &total);
        if (cnt == 0)
            continue;
        if (cnt == 1) {
            /* one person (most patterns of a sparse table): one uniform, and a walk down the
             * weights that stops at the class (no prefix sums: their chain of additions cost
             * more than the walk's mispredicted exit) */
            double u = estimate_unif(&c->g.rng) * total;
            size_t k = 0;
            while (k + 1 < K && u >= w[k])
                u -= w[k++];
            while (k > 0 && !(w[k] > 0)) /* rounding ran past the last class with weight */
                k--;
            assign(c, K, k, 1, on, non);
            continue;
        }
        draw_classes(c, K, cnt, w, total, on, non);
    }
    /* 2. list probabilities per class: lambda_jk ~ Beta(1 + s1_jk, 1 + n_k - s1_jk) */
    double *keep = c->w; /* K: prod_j (1 - lambda_jk), free as scratch until the next sweep */
    draw_lambda(c, d, keep);
    /* 3. stick-breaking weights and the concentration. V_k ~ Beta(1 + n_k, alpha + sum_{l>k} n_l)
     * with the unseen persons counted, pi_k = V_k prod_{l<k} (1 - V_l), V_K* = 1, and
     * alpha ~ Gamma(a + K* - 1, b - sum_{k<K*} log(1 - V_k)) (the stick-breaking density of the
     * V given alpha is prod_k alpha (1 - V_k)^(alpha - 1)). log(1 - V) must stay exact
     * (draw_sticks): when alpha is small the empty classes' V_k ~ Beta(1, alpha) lie within
     * 1e-16 of 1 and log(1 - V_k) is -1/alpha log U, often below -100. Rounding V to 1 - 1e-12 (as
     * this sampler once did) capped each of those terms at -27.6, which pushed alpha up, kept extra
     * classes alive and made chains avoid the few-class states: on kosovo the 2.5% quantile sat at
     * 9100 instead of LCMCR's 8870. */
    double sum_log1mv = draw_sticks(c, K);
    if (!c->hold_alpha)
        c->alpha = estimate_gamma(&c->g, d->a_alpha + (double)K - 1) / (d->b_alpha - sum_log1mv);
    /* 4. the unseen count. Given the parameters, the counts of the 2^J cells are multinomial,
     * p(n_obs, n0 | N) = N! / (n0! prod n_x!) pi0^n0 prod p_x^n_x with N = n + n0 and
     * pi0 = sum_k pi_k prod_j (1 - lambda_jk); times the prior 1/N this is, in n0,
     * (n + n0 - 1)! / n0! pi0^n0: NegativeBinomial(n, 1 - pi0) (n0 failures before n
     * successes), drawn as Poisson(G pi0 / (1 - pi0)) with G ~ Gamma(n, 1). The unseen persons'
     * classes are drawn from pi_k prod_j (1 - lambda_jk) / pi0 at the start of the next sweep,
     * before anything else uses them, so (n0, their classes) is one joint draw. */
    double p0 = 0;
    for (size_t k = 0; k < K; k++)
        p0 += (c->base[k] = c->pi[k] * keep[k]);
    double q = 1 - p0;
    double mean_rate = q > 0 ? estimate_gamma(&c->g, (double)d->n) * (p0 / q) : INFINITY;
    if (!(mean_rate < N_CAP)) {
        c->lost = true;
        c->n0 = (int64_t)N_CAP;
        return;
    }
    c->n0 = estimate_poisson(&c->g, mean_rate);
}

/* The start, as LCMCR 0.4.14 starts (Manrique-Vallier's package, read for this, not copied):
 * every class with each list's observed share as its lambda, 90% of the weight on the first
 * four classes, alpha = 0.3 / K* and no unseen persons; then START_SWEEPS sweeps with alpha
 * held there, and the classes renumbered by decreasing weight (the stick-breaking prior is not
 * exchangeable, so the order is part of the state it favours).
 *
 * Why this matters: on sparse many-list strata the posterior has regimes that a chain almost
 * never leaves. A start from few classes with a small alpha settles where the package's chains
 * do (verdata's R2 stratum: median ~1590 with a long upper tail); the start this sampler had
 * before (random lambda in (0.05, 0.95), equal weights on all K* classes, alpha = 1) kept many
 * classes alive and, for 5 x 10^6 sweeps, a narrower posterior (median ~1545, 97.5% ~1850).
 * See docs/methods.md. */
#define START_SWEEPS 500

static void chain_start(chain *c, const data *d)
{
    size_t J = d->J, K = d->K;
    for (size_t j = 0; j < J; j++) {
        int64_t nj = 0;
        for (size_t p = 0; p < d->P; p++)
            for (size_t i = d->ones_at[p]; i < d->ones_at[p + 1]; i++)
                nj += d->ones[i] == j ? d->count[p] : 0;
        double l = (double)nj / (double)d->n;
        l = l < 1e-12 ? 1e-12 : l > 1 - 1e-12 ? 1 - 1e-12 : l;
        for (size_t k = 0; k < K; k++)
            c->lambda[j * K + k] = l;
    }
    size_t big = K < 4 ? K : 4;
    for (size_t k = 0; k < K; k++)
        c->pi[k] = K <= 4 ? 1.0 / (double)K : k < big ? 0.9 / (double)big : 0.1 / (double)(K - big);
    c->alpha = 0.3 / (double)K;
    c->n0 = 0;
    chain_weights(c, d);
    c->hold_alpha = true;
    for (int i = 0; i < START_SWEEPS; i++)
        sweep(c, d);
    c->hold_alpha = false;
    /* renumber the classes by decreasing weight (a stable insertion sort; w and cum serve as
     * scratch) */
    uint32_t ord[RK_LCMCR_MAX_KSTAR];
    for (size_t k = 0; k < K; k++) {
        size_t i = k;
        for (; i > 0 && c->pi[ord[i - 1]] < c->pi[k]; i--)
            ord[i] = ord[i - 1];
        ord[i] = (uint32_t)k;
    }
    for (size_t j = 0; j <= J; j++) {
        double *row = j < J ? c->lambda + j * K : c->pi;
        for (size_t k = 0; k < K; k++)
            c->w[k] = row[ord[k]];
        memcpy(row, c->w, K * sizeof(double));
    }
    chain_weights(c, d);
}

static void data_release(data *d)
{
    rk_free(d->count);
    rk_free(d->ones);
    rk_free(d->ones_at);
    rk_free(d->shared);
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
    estimate_zig_init(&d->zig);
    size_t nones = 0;
    for (size_t p = 0; p < t->n; p++)
        nones += (size_t)estimate_popcount(t->pattern[p]);
    d->count = rk_malloc((d->P + 1) * sizeof(int64_t));
    d->ones = rk_malloc((nones + 1) * sizeof(uint32_t));
    d->ones_at = rk_malloc((d->P + 1) * sizeof(size_t));
    d->shared = rk_calloc(d->P + 1, sizeof(uint32_t));
    if (!d->count || !d->ones || !d->ones_at || !d->shared)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t at = 0;
    for (size_t p = 0; p < t->n; p++) {
        if (t->count[p] > INT32_MAX)
            return rk_error_set(ctx, RK_EINPUT,
                                "a pattern count above 2^31 is too large for lcmcr");
        d->count[p] = t->count[p];
        d->ones_at[p] = at;
        /* ones from the highest list down: the table is in ascending order, so neighbours
         * share their high lists, which pattern_weights then multiplies in once */
        for (uint64_t x = t->pattern[p]; x; x &= ~(UINT64_C(1) << (63 - __builtin_clzll(x))))
            d->ones[at++] = (uint32_t)(63 - __builtin_clzll(x));
        if (p > 0) {
            const uint32_t *a = d->ones + d->ones_at[p - 1], *b = d->ones + d->ones_at[p];
            size_t na = d->ones_at[p] - d->ones_at[p - 1], nb = at - d->ones_at[p], i = 0;
            while (i < na && i < nb && a[i] == b[i])
                i++;
            d->shared[p] = (uint32_t)(i == nb ? nb - 1 : i);
        }
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
    if (o->kstar < 1 || o->kstar > RK_LCMCR_MAX_KSTAR)
        return rk_error_set(ctx, RK_EINPUT, "--kstar %d: use 1 to %d latent classes", o->kstar,
                            RK_LCMCR_MAX_KSTAR);
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
    /* Progress: the draws of thread 0, which runs chains 0, threads, 2 threads, ... */
    uint64_t mine = ((nch + (size_t)threads - 1) / (size_t)threads) * per;
#pragma omp parallel for schedule(static, 1) num_threads(threads)
    for (size_t c = 0; c < nch; c++) {
        chain *ch = &chains[c];
        chain_start(ch, &d);
        for (long it = 0; it < opt->burnin; it++)
            sweep(ch, &d);
        for (size_t s = 0; s < per; s++) {
            for (long it = 0; it < opt->thin; it++)
                sweep(ch, &d);
            draws[c * per + s] = (double)(d.n + ch->n0);
            if ((s & 63) == 0 && omp_get_thread_num() == 0)
                rk_progress(ctx, "sampling draws", c / (size_t)threads * per + s, mine);
        }
    }
    rk_progress(ctx, "sampling draws", mine, mine);
    snprintf(out->method, sizeof(out->method), "lcmcr");
    snprintf(out->model, sizeof(out->model), "K*=%d", opt->kstar);
    out->observed = d.n;
    out->seed = opt->seed;
    out->draws = draws;
    draws = NULL;
    out->ndraws = nch * per;
    out->nchains = nch;
    if ((rc = estimate_summarize_draws(out, ctx)) != RK_OK)
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
