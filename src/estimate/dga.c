/* Bayesian model averaging over decomposable graphical log-linear models (Madigan and York
 * 1997; the R package dga): for every decomposable graph on K <= 5 lists and every number of
 * unseen persons n0 up to a bound, the hyper-Dirichlet marginal likelihood of the completed
 * 2^K table, times the prior p(N) ~ 1/N; exact, by enumeration. */
#include "estimate_int.h"

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
    int64_t n = t->total;
    double delta = opt->delta > 0 ? opt->delta : ldexp(1.0, -(int)k);
    int64_t mmax = opt->nmissing_max > 0 ? opt->nmissing_max : 10 * n;
    if (n < 1 || mmax > 100000000)
        return rk_error_set(ctx, RK_EINPUT,
                            "dga needs observed persons and at most 10^8 unseen (--nmax)");
    size_t cells = (size_t)1 << k, nm = (size_t)mmax + 1;
    double *y = NULL, *h = NULL, *post = NULL, *gw = NULL, *base = NULL, *row = NULL;
    graph *graphs = NULL;
    int rc = RK_OK;
    if ((rc = rk__table_dense(t, ctx, &y)) != RK_OK)
        return rc;
    h = rk_malloc(cells * nm * sizeof(double));
    post = rk_calloc(nm, sizeof(double));
    size_t npairs = k * (k - 1) / 2, ngraphs = 0;
    graphs = rk_malloc(((size_t)1 << npairs) * sizeof(graph));
    if (!h || !post || !graphs) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    /* h[S][m]: log marginal likelihood of the margin on lists S with m unseen persons. Only
     * the margin's all-absent cell depends on m. */
    double A = delta * (double)cells;
    for (size_t s = 0; s < cells; s++) {
        size_t sz = (size_t)rk__popcount(s);
        double a = delta * (double)((size_t)1 << (k - sz));
        double marg[1 << MAX_K] = {0};
        for (size_t c = 1; c < cells; c++) {
            size_t idx = 0, bit = 0;
            for (size_t v = 0; v < k; v++)
                if (s >> v & 1)
                    idx |= (c >> v & 1) << bit++;
            marg[idx] += y[c];
        }
        double fixed = 0;
        for (size_t i = 1; i < ((size_t)1 << sz); i++)
            fixed += lgamma(marg[i] + a) - lgamma(a);
        for (size_t m = 0; m < nm; m++)
            h[s * nm + m] = fixed + lgamma(marg[0] + (double)m + a) - lgamma(a) + lgamma(A) -
                            lgamma(A + (double)n + (double)m);
    }
    /* every graph: a subset of the K(K-1)/2 edges */
    gw = rk_calloc((size_t)1 << npairs, sizeof(double));
    if (!gw) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    base = rk_malloc(nm * sizeof(double));
    row = rk_malloc(nm * sizeof(double));
    if (!base || !row) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t m = 0; m < nm; m++) { /* N!/m! and the prior 1/N */
        double N = (double)n + (double)m;
        base[m] = lgamma(N + 1) - lgamma((double)m + 1) - log(N);
    }
    /* log weights of all (graph, m), accumulated on a running scale exp(-gmax) */
    double gmax = -INFINITY, z = 0;
    size_t total_graphs = (size_t)1 << npairs;
    for (size_t e = 0; e < total_graphs; e++) {
        graph g = {0};
        size_t bit = 0;
        for (size_t u = 0; u < k; u++)
            for (size_t v = u + 1; v < k; v++, bit++)
                if (e >> bit & 1) {
                    g.adj[u] |= UINT32_C(1) << v;
                    g.adj[v] |= UINT32_C(1) << u;
                }
        if (!perfect_ordering(&g, k))
            continue;
        graphs[ngraphs] = g;
        double rmax = -INFINITY;
        for (size_t m = 0; m < nm; m++) {
            double v = base[m];
            for (size_t i = 0; i < k; i++)
                v += h[g.fam[i] * nm + m] - h[g.par[i] * nm + m];
            row[m] = v;
            rmax = v > rmax ? v : rmax;
        }
        if (rmax > gmax) { /* rescale what was accumulated so far */
            double f = isfinite(gmax) ? exp(gmax - rmax) : 0;
            for (size_t m = 0; m < nm; m++)
                post[m] *= f;
            for (size_t gi = 0; gi < ngraphs; gi++)
                gw[gi] *= f;
            z *= f;
            gmax = rmax;
        }
        double s = 0;
        for (size_t m = 0; m < nm; m++) {
            double w = exp(row[m] - gmax);
            post[m] += w;
            s += w;
        }
        gw[ngraphs++] = s;
        z += s;
    }
    /* summaries of the posterior of N */
    double mean = 0, sq = 0, cum = 0, best = -1;
    size_t top = 0;
    for (size_t gi = 1; gi < ngraphs; gi++)
        if (gw[gi] > gw[top])
            top = gi;
    out->estimate = out->lower = out->upper = NAN;
    for (size_t m = 0; m < nm; m++) {
        double p = post[m] / z, N = (double)n + (double)m;
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
    }
    double tail = 0;
    for (size_t m = nm - nm / 10; m < nm; m++)
        tail += post[m] / z;
    snprintf(out->method, sizeof(out->method), "dga");
    graph_name(&graphs[top], t, out->model, sizeof(out->model));
    out->observed = n;
    out->mean = mean;
    out->stderr_n = sqrt(fmax(0, sq - mean * mean));
    out->estimate = out->median;
    snprintf(out->interval_kind, sizeof(out->interval_kind), "credible");
    if (tail > 1e-4)
        snprintf(out->warning, sizeof(out->warning),
                 "%.2g of the posterior lies in the top tenth of the range of N: raise --nmax",
                 tail);
    else
        snprintf(out->warning, sizeof(out->warning),
                 "the graph of highest posterior weight (%.3g among %zu decomposable graphs) "
                 "is %s",
                 gw[top] / z, ngraphs, out->model);
cleanup:
    rk_free(y);
    rk_free(h);
    rk_free(post);
    rk_free(gw);
    rk_free(graphs);
    rk_free(base);
    rk_free(row);
    return rc;
}
