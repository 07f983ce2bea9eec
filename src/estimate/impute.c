/* Imputing the stratum values persons lack (a region that only lists which do not record it
 * name the person, an age no record gives). The model, per field, is a stratified independence
 * model with the field's value r as a partly observed covariate (as for covariates that only
 * some registers record; van der Heijden et al. 2012): each list l names a person of value r
 * with probability p_lr, independently given r; the other --by fields' known values x_c
 * follow r with probabilities theta_c,r(x); N_r persons have value r, seen or not. Persons no
 * list names are the truncated cell, so the model is fitted by EM with their expected number
 * N_r prod_l (1 - p_lr) filled in. A person without a value then draws one from
 *   P(r | pattern, x) proportional to N_r prod_l p_lr^m_l (1 - p_lr)^(1 - m_l) prod_c
 * theta_c,r(x_c), which tells a region that the lists recording regions cover poorly from one they
 * cover well. Each call refits on a Bayesian bootstrap of the persons (Rubin 1987, section 5.4), so
 * that repeated calls are proper multiple imputations. docs/methods.md, "Imputing missing
 * stratum fields". */
#include "tabulate_private.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#define EM_ITERATIONS 500
#define EM_TOLERANCE  1e-7
#define PRIOR         0.5  /* pseudo-count of each probability's Beta or Dirichlet prior */
#define MAX_UNSEEN    0.99 /* at most this share of a value's persons unseen (N_r <= 100 n_r) */
/* A value's capture probabilities shrink toward the list's over all values as if SHRINK
 * persons of the value had been seen at that rate: a value of few persons, whose own rates
 * would be noise, then behaves like the others instead of drawing every missing value to
 * itself through an unseen count blown up by chance. */
#define SHRINK 10.0

/* One group of persons alike in capture pattern and other known fields. */
typedef struct group {
    uint64_t mask;
    int32_t x[MAX_BY];      /* the other fields' values (-1: unknown; the field itself: -1) */
    double *known;          /* per value r: bootstrap weight of the group's persons of value r */
    double missing;         /* bootstrap weight of its persons without one */
    size_t first, nmissing; /* those persons: entries first .. first + nmissing - 1 */
} group;

typedef struct entry {
    uint64_t mask;
    int32_t x[MAX_BY];
    int32_t value;
    uint32_t person;
} entry;

/* The order of groups: by capture pattern, then the other fields' values. */
static int key_cmp(uint64_t mask_a, const int32_t *x_a, uint64_t mask_b, const int32_t *x_b)
{
    if (mask_a != mask_b)
        return mask_a < mask_b ? -1 : 1;
    for (size_t c = 0; c < MAX_BY; c++)
        if (x_a[c] != x_b[c])
            return x_a[c] < x_b[c] ? -1 : 1;
    return 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    int c = key_cmp(a->mask, a->x, b->mask, b->x);
    if (c)
        return c;
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    return a->person < b->person ? -1 : a->person > b->person;
}

/* The model's parameters for one field of R values over K lists. */
typedef struct model {
    size_t R, K, nby, b;
    size_t nx[MAX_BY];     /* values of each other field */
    double *N;             /* R */
    double *p;             /* R * K */
    double *theta[MAX_BY]; /* R * nx[c] */
    double *soft;          /* R: scratch */
} model;

static void model_release(model *m)
{
    rk_free(m->N);
    rk_free(m->p);
    rk_free(m->soft);
    for (size_t c = 0; c < MAX_BY; c++)
        rk_free(m->theta[c]);
}

/* log P(pattern, x | r) up to a constant, plus log N_r: the weight of value r for group g. */
static double log_weight(const model *m, const group *g, size_t r)
{
    double w = log(m->N[r]);
    for (size_t l = 0; l < m->K; l++) {
        double p = m->p[r * m->K + l];
        w += (g->mask >> l & 1) ? log(p) : log1p(-p);
    }
    for (size_t c = 0; c < m->nby; c++)
        if (c != m->b && g->x[c] >= 0)
            w += log(m->theta[c][r * m->nx[c] + (size_t)g->x[c]]);
    return w;
}

/* P(r | group) into out (R values). */
static void posterior(const model *m, const group *g, double *out)
{
    double top = -INFINITY;
    for (size_t r = 0; r < m->R; r++) {
        out[r] = log_weight(m, g, r);
        top = fmax(top, out[r]);
    }
    double sum = 0;
    for (size_t r = 0; r < m->R; r++)
        sum += out[r] = exp(out[r] - top);
    for (size_t r = 0; r < m->R; r++)
        out[r] /= sum;
}

/* EM from a flat start; returns RK_OK (the fit is used whether or not it converged: it only
 * shapes the imputations' distribution). */
static int fit(model *m, rk_ctx *ctx, const group *g, size_t ng)
{
    size_t R = m->R, K = m->K;
    double *S = rk_calloc(R * K, sizeof(double)), *n = rk_calloc(R, sizeof(double));
    double *tx[MAX_BY] = {0}, *post = rk_malloc(R * sizeof(double));
    double *pbar = rk_malloc(K * sizeof(double));
    int rc = S && n && post && pbar ? RK_OK : RK_ENOMEM;
    for (size_t c = 0; c < m->nby && rc == RK_OK; c++)
        if (c != m->b && !(tx[c] = rk_malloc(R * RK_MAX(m->nx[c], 1) * sizeof(double))))
            rc = RK_ENOMEM;
    if (rc != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t r = 0; r < R; r++) {
        m->N[r] = 1;
        for (size_t l = 0; l < K; l++)
            m->p[r * K + l] = 0.5;
        for (size_t c = 0; c < m->nby; c++)
            for (size_t k = 0; c != m->b && k < m->nx[c]; k++)
                m->theta[c][r * m->nx[c] + k] = 1.0 / (double)m->nx[c];
    }
    for (int it = 0; it < EM_ITERATIONS; it++) {
        memset(S, 0, R * K * sizeof(double));
        memset(n, 0, R * sizeof(double));
        for (size_t c = 0; c < m->nby; c++)
            if (tx[c])
                memset(tx[c], 0, R * m->nx[c] * sizeof(double));
        for (size_t i = 0; i < ng; i++) {
            if (g[i].missing > 0)
                posterior(m, &g[i], post);
            for (size_t r = 0; r < R; r++) {
                double w = g[i].known[r] + (g[i].missing > 0 ? g[i].missing * post[r] : 0);
                if (w == 0)
                    continue;
                n[r] += w;
                for (size_t l = 0; l < K; l++)
                    S[r * K + l] += (g[i].mask >> l & 1) ? w : 0;
                for (size_t c = 0; c < m->nby; c++)
                    if (tx[c] && g[i].x[c] >= 0)
                        tx[c][r * m->nx[c] + (size_t)g[i].x[c]] += w;
            }
        }
        double change = 0, Nall = 0;
        for (size_t r = 0; r < R; r++) {
            double unseen = 1;
            for (size_t l = 0; l < K; l++)
                unseen *= 1 - m->p[r * K + l];
            double N = (n[r] + PRIOR) / (1 - fmin(unseen, MAX_UNSEEN));
            change = fmax(change, fabs(N - m->N[r]) / N);
            m->N[r] = N;
            Nall += N;
        }
        /* each list's capture rate over all values, toward which a value's own shrinks */
        for (size_t l = 0; l < K; l++) {
            pbar[l] = 0;
            for (size_t r = 0; r < R; r++)
                pbar[l] += S[r * K + l];
            pbar[l] = (pbar[l] + PRIOR) / (Nall + 2 * PRIOR);
        }
        for (size_t r = 0; r < R; r++) {
            for (size_t l = 0; l < K; l++)
                m->p[r * K + l] = (S[r * K + l] + SHRINK * pbar[l]) / (m->N[r] + SHRINK);
            for (size_t c = 0; c < m->nby; c++) {
                if (!tx[c])
                    continue;
                double sum = 0;
                for (size_t k = 0; k < m->nx[c]; k++)
                    sum += tx[c][r * m->nx[c] + k] + PRIOR;
                for (size_t k = 0; k < m->nx[c]; k++)
                    m->theta[c][r * m->nx[c] + k] = (tx[c][r * m->nx[c] + k] + PRIOR) / sum;
            }
        }
        if (change < EM_TOLERANCE)
            break;
    }
cleanup:
    rk_free(S);
    rk_free(n);
    rk_free(post);
    rk_free(pbar);
    for (size_t c = 0; c < MAX_BY; c++)
        rk_free(tx[c]);
    return rc;
}

/* Groups t's persons by capture pattern and other fields' original values `orig`, with
 * bootstrap weights drawn from rng; the persons, sorted by group, into *entries. */
static int make_groups(group **out, size_t *ng, double **known_store, entry **entries,
                       const tabulation *t, rk_ctx *ctx, const int32_t *orig, size_t b, size_t R,
                       gsl_rng *rng)
{
    entry *e = rk_malloc(t->npersons * sizeof(entry));
    group *g = rk_calloc(t->npersons, sizeof(group));
    double *known = rk_calloc(t->npersons * R, sizeof(double));
    if (!e || !g || !known) {
        rk_free(e);
        rk_free(g);
        rk_free(known);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    for (size_t p = 0; p < t->npersons; p++) {
        e[p] = (entry){.mask = t->mask[p], .value = orig[p * t->nby + b], .person = (uint32_t)p};
        for (size_t c = 0; c < MAX_BY; c++)
            e[p].x[c] = c < t->nby && c != b ? orig[p * t->nby + c] : -1;
    }
    qsort(e, t->npersons, sizeof(entry), entry_cmp);
    size_t n = 0;
    for (size_t i = 0, j; i < t->npersons; i = j) {
        group *G = &g[n];
        G->mask = e[i].mask;
        memcpy(G->x, e[i].x, sizeof(G->x));
        G->known = known + n * R;
        n++;
        for (j = i; j < t->npersons && !key_cmp(e[j].mask, e[j].x, e[i].mask, e[i].x);) {
            size_t k = j;
            while (k < t->npersons && !key_cmp(e[k].mask, e[k].x, e[i].mask, e[i].x) &&
                   e[k].value == e[j].value)
                k++;
            /* k - j persons of one value: their summed Exp(1) weights, Gamma(k - j, 1) */
            double w = gsl_ran_gamma(rng, (double)(k - j), 1.0);
            if (e[j].value < 0) { /* -1 sorts first */
                G->missing = w;
                G->first = j;
                G->nmissing = k - j;
            } else {
                G->known[e[j].value] = w;
            }
            j = k;
        }
    }
    *entries = e;
    *out = g;
    *ng = n;
    *known_store = known;
    return RK_OK;
}

static int impute_field(tabulation *t, rk_ctx *ctx, const int32_t *orig, size_t b, gsl_rng *rng)
{
    const units *u = t->u;
    size_t R = u->nvalues[b];
    size_t missing = 0;
    for (size_t p = 0; p < t->npersons; p++)
        missing += orig[p * t->nby + b] < 0;
    if (R == 0 || missing == 0)
        return RK_OK;
    model m = {.R = R, .K = t->nlists, .nby = t->nby, .b = b};
    group *g = NULL;
    entry *e = NULL;
    double *known = NULL, *post = NULL;
    size_t ng = 0;
    int rc = RK_OK;
    m.N = rk_malloc(R * sizeof(double));
    m.p = rk_malloc(R * m.K * sizeof(double));
    post = rk_malloc(R * sizeof(double));
    if (!m.N || !m.p || !post)
        rc = RK_ENOMEM;
    for (size_t c = 0; c < t->nby && rc == RK_OK; c++) {
        m.nx[c] = u->nvalues[c];
        if (c != b && !(m.theta[c] = rk_malloc(R * RK_MAX(m.nx[c], 1) * sizeof(double))))
            rc = RK_ENOMEM;
    }
    if (rc != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = make_groups(&g, &ng, &known, &e, t, ctx, orig, b, R, rng)) != RK_OK ||
        (rc = fit(&m, ctx, g, ng)) != RK_OK)
        goto cleanup;
    for (size_t i = 0; i < ng; i++) { /* one posterior per group, a draw per person */
        if (!g[i].nmissing)
            continue;
        posterior(&m, &g[i], post);
        for (size_t k = g[i].first; k < g[i].first + g[i].nmissing; k++) {
            double x = gsl_rng_uniform(rng), acc = 0;
            size_t r = 0;
            while (r + 1 < R && (acc += post[r]) <= x)
                r++;
            t->value[(size_t)e[k].person * t->nby + b] = (int32_t)r;
            t->imputed[b]++;
        }
    }
cleanup:
    model_release(&m);
    rk_free(g);
    rk_free(e);
    rk_free(known);
    rk_free(post);
    return rc;
}

int estimate_impute(tabulation *t, rk_ctx *ctx, uint64_t seed)
{
    if (t->nby == 0 || t->npersons == 0)
        return RK_OK;
    size_t nv = t->npersons * t->nby;
    int32_t *orig = rk_malloc(nv * sizeof(int32_t));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = RK_OK;
    if (!orig || !rng) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(orig, t->value, nv * sizeof(int32_t));
    gsl_rng_set(rng, (unsigned long)(seed ^ (seed >> 32)));
    for (size_t b = 0; b < t->nby && rc == RK_OK; b++)
        rc = impute_field(t, ctx, orig, b, rng);
cleanup:
    rk_free(orig);
    if (rng)
        gsl_rng_free(rng);
    return rc;
}
