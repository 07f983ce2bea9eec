/* Bayesian model averaging over decomposable graphical log-linear models (Madigan and York
 * 1997; the R package dga): for every decomposable graph on K <= 5 lists and every number of
 * unseen persons n0 up to a bound, the hyper-Dirichlet marginal likelihood of the completed
 * 2^K table, times the prior p(N) ~ 1/N; exact, by enumeration. Then the same posterior at
 * other bounds and deltas, since both can move the answer a great deal. */
#include "estimate_private.h"

#define MAX_K 5

typedef struct graph {
    uint32_t adj[MAX_K]; /* neighbour masks */
    uint32_t fam[MAX_K]; /* v with its earlier neighbours in a perfect ordering */
    uint32_t par[MAX_K]; /* earlier neighbours */
} graph;

/* Maximum cardinality search; true when the graph is chordal (decomposable), with the
 * families of the perfect ordering filled in. */
static bool perfect_ordering(graph *g, size_t k)
{
    uint32_t done = 0;
    int weight[MAX_K] = {0};
    for (size_t step = 0; step < k; step++) {
        int best = -1;
        for (size_t v = 0; v < k; v++)
            if (!(done >> v & 1) && (best < 0 || weight[v] > weight[best]))
                best = (int)v;
        uint32_t pa = g->adj[best] & done;
        /* the earlier neighbours must form a clique */
        for (size_t u = 0; u < k; u++)
            if (pa >> u & 1 && (g->adj[u] & pa) != (pa & ~(UINT32_C(1) << u)))
                return false;
        g->par[step] = pa;
        g->fam[step] = pa | UINT32_C(1) << best;
        done |= UINT32_C(1) << best;
        for (size_t v = 0; v < k; v++)
            if (g->adj[best] >> v & 1)
                weight[v]++;
    }
    return true;
}

static int cmp_u32_lex(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    while (x && y) {
        int lx = __builtin_ctz(x), ly = __builtin_ctz(y);
        if (lx != ly)
            return lx - ly;
        x &= x - 1;
        y &= y - 1;
    }
    return (x != 0) - (y != 0);
}

/* "[A,B,C][C,D]": the maximal cliques, each in list order. */
static void graph_name(const graph *g, const rk_capture_table *t, char *out, size_t outsz)
{
    size_t k = t->nlists;
    uint32_t cl[MAX_K];
    size_t n = 0;
    for (size_t i = 0; i < k; i++) {
        bool maximal = true;
        for (size_t j = 0; j < k && maximal; j++)
            if (j != i && (g->fam[i] & g->fam[j]) == g->fam[i] && (g->fam[i] != g->fam[j] || j < i))
                maximal = false;
        if (maximal)
            cl[n++] = g->fam[i];
    }
    qsort(cl, n, sizeof(uint32_t), cmp_u32_lex);
    rk_buf b;
    rk_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        rk_buf_putc(&b, '[');
        bool first = true;
        for (size_t v = 0; v < k; v++)
            if (cl[i] >> v & 1) {
                rk_buf_printf(&b, "%s%s", first ? "" : ",", t->names[v]);
                first = false;
            }
        rk_buf_putc(&b, ']');
    }
    snprintf(out, outsz, "%s", rk_buf_cstr(&b));
    rk_buf_release(&b);
}

/* Unseen persons are summed over up to this bound; beyond, dga refuses (--nmax). */
#define MAX_MISSING 100000000

/* The margins of the 2^K table on every subset s of lists, for one delta: only the margin's
 * all-absent cell depends on the number m of unseen persons. With N = n + m and prior
 * a_s = delta 2^(K-|s|) per cell, h(s) = fixed[s] + log Gamma(zero[s] + m + a_s), leaving out
 * log Gamma(delta 2^K) - log Gamma(delta 2^K + N), which is the same for every margin and
 * cancels in a graph's sum over cliques minus separators (as many of each, counting the
 * empty separators). */
typedef struct margins {
    double fixed[1 << MAX_K], zero[1 << MAX_K], a[1 << MAX_K];
} margins;

static void margins_compute(margins *mg, const double *y, size_t k, double delta)
{
    size_t cells = (size_t)1 << k;
    for (size_t s = 0; s < cells; s++) {
        size_t sz = (size_t)estimate_popcount(s);
        double a = delta * (double)((size_t)1 << (k - sz));
        double marg[1 << MAX_K] = {0};
        for (size_t c = 1; c < cells; c++) {
            size_t idx = 0, bit = 0;
            for (size_t v = 0; v < k; v++)
                if (s >> v & 1)
                    idx |= (c >> v & 1) << bit++;
            marg[idx] += y[c];
        }
        double fixed = -lgamma(a); /* the all-absent cell's prior */
        for (size_t i = 1; i < ((size_t)1 << sz); i++)
            fixed += lgamma(marg[i] + a) - lgamma(a);
        mg->fixed[s] = fixed;
        mg->zero[s] = marg[0];
        mg->a[s] = a;
    }
}

typedef struct model {
    size_t k, ngraphs;
    int64_t n;
    rk_dga_prior prior;
    const graph *graphs;
} model;

/* Decomposable graphs on 5 lists; blocks of the range of n0 summed in parallel. */
#define MAX_GRAPHS 822
enum { MAX_BLOCKS = 256, MIN_BLOCK = 1024 };

/* log p(n0 = m | table), unnormalized, with each graph's term into v and the largest of
 * them into *rmax: the one computation of a term, shared by the exact passes and the nodes
 * of the interpolated ones, so both give the same bits at the same m. */
static double term_at(const model *md, const margins *mg, int64_t m, double *v, double *rmax)
{
    size_t cells = (size_t)1 << md->k;
    double hm[1 << MAX_K];
    double N = (double)md->n + (double)m;
    /* N!/m! (the multinomial coefficient of the completed table) and the prior */
    double base = lgamma(N + 1) - lgamma((double)m + 1);
    if (md->prior == RK_DGA_PRIOR_INVERSE)
        base -= log(N);
    for (size_t s = 0; s < cells; s++)
        hm[s] = mg->fixed[s] + lgamma(mg->zero[s] + (double)m + mg->a[s]);
    double r = -INFINITY;
    for (size_t g = 0; g < md->ngraphs; g++) {
        const graph *gr = &md->graphs[g];
        double x = base;
        for (size_t i = 0; i < md->k; i++)
            x += hm[gr->fam[i]] - hm[gr->par[i]];
        v[g] = x;
        r = x > r ? x : r;
    }
    double sum = 0;
    for (size_t g = 0; g < md->ngraphs; g++) {
        double d = v[g] - r;
        if (d < -60) /* below e^-60 of this m's largest term: nothing in a double */
            continue;
        sum += exp(d);
    }
    *rmax = r;
    return r + log(sum);
}

/* One block [m0, m1] of posterior_pass: logpost, and with bw each graph's weight over
 * m <= mgraph on the scale exp(-*bscale). */
static void pass_block(const model *md, const margins *mg, int64_t m0, int64_t m1, double *logpost,
                       double *bw, int64_t mgraph, double *bscale)
{
    double v[MAX_GRAPHS], G = -INFINITY;
    for (int64_t m = m0; m <= m1; m++) {
        double rmax;
        logpost[m] = term_at(md, mg, m, v, &rmax);
        bool weigh = bw && m <= mgraph;
        if (!weigh)
            continue;
        if (rmax > G) { /* rescale what was accumulated so far */
            double f = isfinite(G) ? exp(G - rmax) : 0;
            for (size_t g = 0; g < md->ngraphs; g++)
                bw[g] *= f;
            G = rmax;
        }
        double f = exp(rmax - G);
        for (size_t g = 0; g < md->ngraphs; g++) {
            double d = v[g] - rmax;
            if (d >= -60)
                bw[g] += exp(d) * f;
        }
    }
    if (bscale)
        *bscale = G;
}

/* log p(n0 = m | table), unnormalized, for m in [0, mmax] into logpost. With gw, each graph's
 * posterior weight over m <= mgraph into gw[g], on the scale exp(-*gscale); bw (MAX_BLOCKS x
 * ngraphs) and bscale (MAX_BLOCKS) are then scratch. Blocks of m run in parallel and are
 * merged in order, so the result does not depend on the number of threads; memory is one
 * number per m, not per graph and m. */
static void posterior_pass(const model *md, const margins *mg, int64_t mmax, double *logpost,
                           double *gw, int64_t mgraph, double *gscale, double *bw, double *bscale)
{
    assert(md->ngraphs <= MAX_GRAPHS);
    int64_t nb = RK_MIN(MAX_BLOCKS, (mmax + MIN_BLOCK) / MIN_BLOCK);
    int64_t size = (mmax + nb) / nb; /* ceil((mmax + 1) / nb) */
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t b = 0; b < nb; b++) {
        int64_t m0 = b * size, m1 = RK_MIN(mmax, m0 + size - 1);
        double *w = gw ? bw + (size_t)b * md->ngraphs : NULL;
        if (w)
            memset(w, 0, md->ngraphs * sizeof(double));
        if (m0 <= m1)
            pass_block(md, mg, m0, m1, logpost, w, mgraph, gw ? &bscale[b] : NULL);
        else if (gw)
            bscale[b] = -INFINITY;
    }
    if (!gw)
        return;
    double G = -INFINITY;
    for (int64_t b = 0; b < nb; b++)
        G = bscale[b] > G ? bscale[b] : G;
    for (size_t g = 0; g < md->ngraphs; g++) {
        double x = 0;
        for (int64_t b = 0; b < nb; b++)
            if (isfinite(bscale[b]))
                x += bw[(size_t)b * md->ngraphs + g] * exp(bscale[b] - G);
        gw[g] = x;
    }
    *gscale = G;
}

/* The passes that need only logpost (the other deltas, and the main delta beyond the main
 * bound) compute it exactly at nodes every STRIDE values of m and in between by the
 * polynomial of degree NODES - 1 through the NODES nearest nodes (NODES / 2 on each side).
 * logpost is a sum of log Gamma terms in m, whose j-th derivative falls as m^(1-j): away
 * from small m a polynomial through nodes STRIDE apart is exact to rounding. Each interval
 * between two nodes is checked: the polynomial through the middle NODES - 2 nodes must agree
 * with the full one at the interval's midpoint within INTERP_TOL (that difference bounds the
 * error of the lower degree, hence of the higher); else every m of the interval is computed
 * exactly, as near m = 0 and wherever the terms bend sharply. INTERP_TOL is 100 times the
 * rounding of logpost itself (a sum of log Gamma terms of size ~1e5, each rounded to ~1e-11):
 * the posterior's probabilities move by less than 1e-9 relative, its summaries by less. */
enum { STRIDE = 32, NODES = 8 };
#define INTERP_TOL 1e-9

/* weights[s][i]: the value at node offset s / STRIDE of the polynomial through nodes at
 * offsets i - NODES / 2 + 1 (i = 0 .. NODES - 1), interpolated between the nodes 0 and 1;
 * with lo = 1 and hi = NODES - 1, the lower degree's through the middle nodes only. */
static void interp_weights(double *out, double t, size_t lo, size_t hi)
{
    for (size_t i = 0; i < NODES; i++) {
        double w = 0;
        if (i >= lo && i < hi) {
            w = 1;
            for (size_t k = lo; k < hi; k++)
                if (k != i)
                    w *= (t - ((double)k - NODES / 2 + 1)) / ((double)i - (double)k);
        }
        out[i] = w;
    }
}

/* The number of nodes of pass_interp on [m_lo, mmax]. */
static size_t interp_nodes(int64_t m_lo, int64_t mmax)
{
    return (size_t)((mmax - m_lo) / STRIDE) + NODES + 1;
}

/* logpost[m] for m in [m_lo, mmax] (see STRIDE); nodes: scratch of interp_nodes() doubles. */
static void pass_interp(const model *md, const margins *mg, int64_t m_lo, int64_t mmax,
                        double *logpost, double *nodes)
{
    /* node j at m = m_lo + (j - NODES / 2 + 1) STRIDE, so that interval i (from node
     * i + NODES / 2 - 1 to the next) starts at m_lo + i STRIDE */
    int64_t nn = (int64_t)interp_nodes(m_lo, mmax), nint = (mmax - m_lo) / STRIDE + 1;
    int64_t first = m_lo - (int64_t)(NODES / 2 - 1) * STRIDE;
    double w[STRIDE][NODES], lower[NODES], full[NODES];
    for (size_t s = 0; s < STRIDE; s++)
        interp_weights(w[s], (double)s / STRIDE, 0, NODES);
    interp_weights(full, 0.5, 0, NODES);
    interp_weights(lower, 0.5, 1, NODES - 1);
#pragma omp parallel
    {
        double v[MAX_GRAPHS], rmax;
#pragma omp for schedule(static)
        for (int64_t j = 0; j < nn; j++) {
            int64_t m = first + j * STRIDE;
            nodes[j] = m >= 0 ? term_at(md, mg, m, v, &rmax) : NAN;
        }
#pragma omp for schedule(dynamic, 16)
        for (int64_t i = 0; i < nint; i++) {
            const double *x = &nodes[i];
            int64_t m0 = m_lo + i * STRIDE, m1 = RK_MIN(mmax, m0 + STRIDE - 1);
            double ref = x[NODES / 2 - 1], d[NODES], a = 0, b = 0;
            for (size_t k = 0; k < NODES; k++) {
                d[k] = x[k] - ref;
                a += full[k] * d[k];
                b += lower[k] * d[k];
            }
            if (!(fabs(a - b) <= INTERP_TOL)) { /* also when a node is NAN (m < 0) */
                for (int64_t m = m0; m <= m1; m++)
                    logpost[m] = term_at(md, mg, m, v, &rmax);
                continue;
            }
            logpost[m0] = ref;
            for (int64_t m = m0 + 1; m <= m1; m++) {
                const double *ws = w[m - m0];
                double y = 0;
                for (size_t k = 0; k < NODES; k++)
                    y += ws[k] * d[k];
                logpost[m] = ref + y;
            }
        }
    }
}

/* Summary of the posterior of N = n + m restricted to m in [0, mmax]. */
static void summarize(rk_estimate_sensitivity *out, const double *logpost, int64_t n, int64_t mmax)
{
    double lmax = -INFINITY, z = 0;
    for (int64_t m = 0; m <= mmax; m++)
        lmax = logpost[m] > lmax ? logpost[m] : lmax;
    for (int64_t m = 0; m <= mmax; m++)
        z += exp(logpost[m] - lmax);
    double mean = 0, sq = 0, cum = 0, best = -1, tail = 0;
    int64_t top = 9 * mmax / 10 + 1; /* the top tenth: m > 0.9 mmax, as the reference */
    out->median = out->lower = out->upper = out->mode = NAN;
    for (int64_t m = 0; m <= mmax; m++) {
        double p = exp(logpost[m] - lmax) / z, N = (double)n + (double)m;
        mean += p * N;
        sq += p * N * N;
        if (p > best) {
            best = p;
            out->mode = N;
        }
        double prev = cum;
        cum += p;
        if (prev < 0.025 && cum >= 0.025)
            out->lower = N;
        if (prev < 0.5 && cum >= 0.5)
            out->median = N;
        if (prev < 0.975 && cum >= 0.975)
            out->upper = N;
        if (m >= top)
            tail += p;
    }
    out->mean = mean;
    out->sd = sqrt(fmax(0, sq - mean * mean));
    out->top_mass = tail;
    out->nmissing_max = mmax;
}

/* Every decomposable graph on k lists: a subset of the K(K-1)/2 edges that is chordal. */
static size_t enumerate_graphs(graph *out, size_t k)
{
    size_t npairs = k * (k - 1) / 2, n = 0;
    for (size_t e = 0; e < ((size_t)1 << npairs); e++) {
        graph g = {0};
        size_t bit = 0;
        for (size_t u = 0; u < k; u++)
            for (size_t v = u + 1; v < k; v++, bit++)
                if (e >> bit & 1) {
                    g.adj[u] |= UINT32_C(1) << v;
                    g.adj[v] |= UINT32_C(1) << u;
                }
        if (perfect_ordering(&g, k))
            out[n++] = g;
    }
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The deltas of the sensitivity analysis: 2^-K times 1/4 .. 4 (a prior worth a quarter of a
 * person to four persons spread over the 2^K cells, around dga's examples' 2^-K), 1/2 (dga's
 * help example) and 1 (one person per cell), and the main delta; ascending, distinct. */
static size_t delta_grid(double *out, size_t k, double main)
{
    double d[8] = {ldexp(0.25, -(int)k),
                   ldexp(0.5, -(int)k),
                   ldexp(1, -(int)k),
                   ldexp(2, -(int)k),
                   ldexp(4, -(int)k),
                   0.5,
                   1,
                   main};
    qsort(d, RK_ARRAY_LEN(d), sizeof(double), cmp_double);
    size_t n = 0;
    for (size_t i = 0; i < RK_ARRAY_LEN(d); i++)
        if (n == 0 || d[i] > out[n - 1] * (1 + 1e-12))
            out[n++] = d[i];
    return n;
}

/* Fills the sensitivity rows of out: the bounds from the main pass's logpost (computed up to
 * the largest bound), the deltas by one more pass each at the main bound. */
static int sensitivity(rk_estimate *out, rk_ctx *ctx, const model *md, const double *y,
                       double delta, int64_t mmax, const double *logpost, double *scratch,
                       double *nodes)
{
    static const int factors[] = {2, 5, 10, 20, 40};
    double deltas[8];
    size_t nd = delta_grid(deltas, md->k, delta);
    rk_estimate_sensitivity *rows =
        rk_calloc(RK_ARRAY_LEN(factors) + nd, sizeof(rk_estimate_sensitivity));
    if (!rows)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < RK_ARRAY_LEN(factors); i++) {
        int64_t mm = factors[i] * md->n;
        if (mm > MAX_MISSING)
            break;
        rk_estimate_sensitivity *r = &rows[n++];
        summarize(r, logpost, md->n, mm);
        snprintf(r->varies, sizeof(r->varies), "nmax");
        r->delta = delta;
        r->baseline = mm == mmax;
    }
    for (size_t i = 0; i < nd; i++) {
        rk_estimate_sensitivity *r = &rows[n++];
        if (deltas[i] == delta) {
            summarize(r, logpost, md->n, mmax);
        } else {
            margins mg;
            margins_compute(&mg, y, md->k, deltas[i]);
            pass_interp(md, &mg, 0, mmax, scratch, nodes);
            summarize(r, scratch, md->n, mmax);
        }
        snprintf(r->varies, sizeof(r->varies), "delta");
        r->delta = deltas[i];
        r->baseline = deltas[i] == delta;
    }
    out->sensitivity = rows;
    out->nsensitivity = n;
    return RK_OK;
}

int rk_estimate_dga(rk_estimate *out, rk_ctx *ctx, const rk_capture_table *t,
                    const rk_dga_options *opt)
{
    RK_ASSERT_ARG(ctx, out && t && opt);
    rk_estimate_init(out);
    if (opt->version != RK_DGA_OPTIONS_VERSION)
        return rk_error_set(ctx, RK_EINTERNAL, "dga options of version %d, expected %d",
                            opt->version, RK_DGA_OPTIONS_VERSION);
    size_t k = t->nlists;
    if (k < 2 || k > MAX_K)
        return rk_error_set(
            ctx, RK_EINPUT,
            "dga averages over graphs of 2 to 5 lists, not %zu; choose with --lists", k);
    if (opt->prior != RK_DGA_PRIOR_INVERSE && opt->prior != RK_DGA_PRIOR_UNIFORM)
        return rk_error_set(ctx, RK_EINTERNAL, "unknown dga prior %d", (int)opt->prior);
    int64_t n = t->total;
    double delta = opt->delta > 0 ? opt->delta : ldexp(1.0, -(int)k);
    int64_t mmax = opt->nmissing_max > 0 ? opt->nmissing_max : 10 * n;
    if (n < 1 || mmax > MAX_MISSING)
        return rk_error_set(ctx, RK_EINPUT,
                            "dga needs observed persons and at most 10^8 unseen (--nmax)");
    /* the main pass runs to the largest bound of the sensitivity analysis */
    int64_t mall = mmax;
    if (opt->sensitivity)
        mall = RK_MAX(mmax, RK_MIN(40 * n, MAX_MISSING));
    double *y = NULL, *logpost = NULL, *scratch = NULL, *nodes = NULL, *gw = NULL, *bw = NULL,
           *bscale = NULL;
    graph *graphs = NULL;
    int rc = RK_OK;
    if ((rc = estimate_table_dense(t, ctx, &y)) != RK_OK)
        return rc;
    size_t npairs = k * (k - 1) / 2;
    graphs = rk_malloc(((size_t)1 << npairs) * sizeof(graph));
    logpost = rk_malloc((size_t)(mall + 1) * sizeof(double));
    if (opt->sensitivity)
        if (opt->sensitivity) {
            scratch = rk_malloc((size_t)(mmax + 1) * sizeof(double));
            nodes = rk_malloc(RK_MAX(interp_nodes(0, mmax), interp_nodes(mmax + 1, mall)) *
                              sizeof(double));
        }
    if (!graphs || !logpost || (opt->sensitivity && (!scratch || !nodes))) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    model md = {.k = k, .n = n, .prior = opt->prior, .graphs = graphs};
    md.ngraphs = enumerate_graphs(graphs, k);
    gw = rk_calloc(md.ngraphs, sizeof(double));
    bw = rk_malloc(MAX_BLOCKS * md.ngraphs * sizeof(double));
    bscale = rk_malloc(MAX_BLOCKS * sizeof(double));
    if (!gw || !bw || !bscale) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    margins mg;
    margins_compute(&mg, y, k, delta);
    double gscale;
    posterior_pass(&md, &mg, mmax, logpost, gw, mmax, &gscale, bw, bscale);
    if (mall > mmax) /* the larger bounds of the sensitivity rows */
        pass_interp(&md, &mg, mmax + 1, mall, logpost, nodes);
    rk_estimate_sensitivity main;
    summarize(&main, logpost, n, mmax);
    size_t top = 0;
    double gz = 0;
    for (size_t g = 0; g < md.ngraphs; g++) {
        gz += gw[g];
        if (gw[g] > gw[top])
            top = g;
    }
    snprintf(out->method, sizeof(out->method), "dga");
    graph_name(&graphs[top], t, out->model, sizeof(out->model));
    out->observed = n;
    out->estimate = out->median = main.median;
    out->lower = main.lower;
    out->upper = main.upper;
    out->mode = main.mode;
    out->mean = main.mean;
    out->stderr_n = main.sd;
    snprintf(out->interval_kind, sizeof(out->interval_kind), "credible");
    if (opt->sensitivity &&
        (rc = sensitivity(out, ctx, &md, y, delta, mmax, logpost, scratch, nodes)) != RK_OK)
        goto cleanup;
    if (main.top_mass > 1e-4)
        snprintf(out->warning, sizeof(out->warning),
                 "%.2g of the posterior lies in the top tenth of the range of N: raise --nmax",
                 main.top_mass);
    else
        snprintf(out->warning, sizeof(out->warning),
                 "the graph of highest posterior weight (%.3g among %zu decomposable graphs) "
                 "is %s",
                 gw[top] / gz, md.ngraphs, out->model);
cleanup:
    if (rc != RK_OK)
        rk_estimate_release(out);
    rk_free(y);
    rk_free(logpost);
    rk_free(scratch);
    rk_free(nodes);
    rk_free(gw);
    rk_free(bw);
    rk_free(bscale);
    rk_free(graphs);
    return rc;
}
