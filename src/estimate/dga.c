/* Bayesian model averaging over decomposable graphical log-linear models (Madigan and York
 * 1997; the R package dga): for every decomposable graph on K <= 5 lists and every number of
 * unseen persons n0 up to a bound, the hyper-Dirichlet marginal likelihood of the completed
 * 2^K table, times the prior p(N) ~ 1/N; exact, by enumeration (each graph's term computed in
 * full at nodes a stride apart in n0 and interpolated between them to rounding: see NODES).
 * Then the same posterior at other bounds and deltas, since both can move the answer a great
 * deal. */
#include "dga_private.h"

#include <pthread.h>

/* Unseen persons are summed over up to this bound; beyond, dga refuses (--nmax). */
#define MAX_MISSING 100000000

/* The margins of the 2^K table on every subset s of lists, for one delta: only the margin's
 * all-absent cell depends on the number m of unseen persons. With N = n + m and prior
 * a_s = delta 2^(K-|s|) per cell, h(s) = fixed[s] + log Gamma(zero[s] + m + a_s), leaving out
 * log Gamma(delta 2^K) - log Gamma(delta 2^K + N), which is the same for every margin and
 * cancels in a graph's sum over cliques minus separators (as many of each, counting the
 * empty separators). */
typedef struct margins {
    double fixed[1 << DGA_MAX_K], zero[1 << DGA_MAX_K], a[1 << DGA_MAX_K];
} margins;

static void margins_compute(margins *mg, const double *y, size_t k, double delta)
{
    size_t cells = (size_t)1 << k;
    for (size_t s = 0; s < cells; s++) {
        size_t sz = (size_t)estimate_popcount(s);
        double a = delta * (double)((size_t)1 << (k - sz));
        double marg[1 << DGA_MAX_K] = {0};
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
    size_t k, ngraphs, nsteps;
    int64_t n;
    rk_dga_prior prior;
    const dga_graph *graphs;
    const uint32_t *step_fam, *step_par; /* the steps of the graphs */
    size_t nprefixes;
    const uint16_t *prefix_parent; /* the prefixes of their sequences of steps */
    const uint8_t *prefix_step;
    const double *const *node_base; /* per stride: base_at of its nodes (see node_bases) */
} model;

/* Blocks of the range of n0 summed in parallel. */
enum { MAX_BLOCKS = 256 };

/* N!/m! (the multinomial coefficient of the completed table) and the prior at n0 = m: the part
 * of every graph's term that depends neither on the graph nor on delta. */
static double base_at(const model *md, int64_t m)
{
    double N = (double)md->n + (double)m;
    double base = lgamma(N + 1) - lgamma((double)m + 1);
    if (md->prior == RK_DGA_PRIOR_INVERSE)
        base -= log(N);
    return base;
}

/* log p(n0 = m | table), unnormalized, with each graph's term into v and the largest of
 * them into *rmax, base being base_at(md, m): the one computation of a term in full, at the
 * nodes and in the intervals that are not interpolated. */
static double term_at(const model *md, const margins *mg, int64_t m, double base, double *v,
                      double *rmax)
{
    size_t cells = (size_t)1 << md->k;
    double hm[1 << DGA_MAX_K];
    for (size_t s = 0; s < cells; s++)
        hm[s] = mg->fixed[s] + lgamma(mg->zero[s] + (double)m + mg->a[s]);
    /* the steps' differences; each graph's term base plus those of its steps, added in their
     * order, one sum a prefix of the sequences of steps */
    double dh[DGA_MAX_STEPS], part[DGA_MAX_PREFIXES];
    for (size_t j = 0; j < md->nsteps; j++)
        dh[j] = hm[md->step_fam[j]] - hm[md->step_par[j]];
    part[0] = base;
    for (size_t p = 1; p < md->nprefixes; p++)
        part[p] = part[md->prefix_parent[p]] + dh[md->prefix_step[p]];
    double r = -INFINITY;
    for (size_t g = 0; g < md->ngraphs; g++) {
        double x = part[md->graphs[g].prefix];
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

/* logpost is a sum of log Gamma terms in m, whose j-th derivative falls as m^(1-j), and so
 * is each graph's term: away from small m a polynomial through values a stride apart is
 * exact to rounding. A pass computes every term exactly only at nodes a stride apart; in the
 * interval between two nodes it takes the polynomial of degree NODES - 1 through the NODES
 * nearest nodes (NODES / 2 on each side), of logpost itself where only logpost is needed and
 * it passes the check, else of each graph's term that comes within e^GRAPH_SKIP of logpost
 * at one of the nodes (the others weigh nothing in a double), summed as the exact terms are.
 * The check, for logpost and for each such graph: the interpolation error, max |prod (t -
 * k)| / NODES! times the NODES-th difference of the nodes and one more on the right (stride^
 * NODES times the NODES-th derivative), with a margin of 4, is within INTERP_TOL + INTERP_REL
 * times the term; where it is not, as near m = 0 and where two graphs trade places in
 * logpost, every m of the interval is computed exactly. The terms are sums of log Gamma
 * values of 1e3-1e6 whose rounding is 1e-13-1e-10, so INTERP_REL allows some 10-100 times
 * the rounding; on the reference data sets the summaries move by at most 1e-12 (mean) and
 * 1e-11 (sd) relative against computing every term exactly, quantiles and mode not at all.
 * At the nodes, the terms are the exact ones. */
enum { NODES = 8, WIN = NODES + 1, CHUNK = 128 /* intervals a block, at least */ };
/* The stride grows with m, as the terms' derivatives fall: STRIDE0 from m = 0, doubling at
 * each of seg_start. */
enum { STRIDE0 = 8, NSTRIDES = 7, MAX_STRIDE = STRIDE0 << (NSTRIDES - 1) };
static const int64_t seg_start[NSTRIDES] = {0, 512, 2048, 8192, 16384, 32768, 65536};
#define INTERP_TOL  1e-11
#define INTERP_REL  1e-14
#define GRAPH_SKIP  (-80.0)
#define WEIGHT_SKIP (-40.0)
/* Where logpost is not interpolated but its graphs are, it is summed m by m from the graphs
 * within e^SUM_SKIP of it at a node of the interval (the others, checked all the same, add
 * together less than 1e-15 of the sum, which can move logpost by an ulp at the most). */
#define SUM_SKIP (-40.0)

typedef struct interp {
    int64_t stride;
    double w[MAX_STRIDE][NODES];  /* at offset s / stride into the interval */
    double wt[NODES][MAX_STRIDE]; /* the same, node major */
    double diff[WIN];             /* the NODES-th difference, times the bound on the error */
} interp;

static void interp_init(interp *ip, int64_t stride)
{
    ip->stride = stride;
    /* the weight of node i (at i - NODES / 2 + 1 strides from the interval's start) */
    for (int64_t s = 0; s < stride; s++)
        for (size_t i = 0; i < NODES; i++) {
            double t = (double)s / (double)stride, w = 1;
            for (size_t k = 0; k < NODES; k++)
                if (k != i)
                    w *= (t - ((double)k - NODES / 2 + 1)) / ((double)i - (double)k);
            ip->w[s][i] = ip->wt[i][s] = w;
        }
    /* the largest |prod (t - k)| on [0, 1] is at t = 1/2, by symmetry */
    double bound = 4, c = 1;
    for (size_t k = 0; k < NODES; k++)
        bound *= fabs(0.5 - ((double)k - NODES / 2 + 1)) / (double)(k + 1);
    for (size_t k = 0; k < WIN; k++) {
        ip->diff[k] = (k % 2 ? -c : c) * bound;
        c = c * (double)(NODES - k) / (double)(k + 1);
    }
}

/* x: WIN node values; d[k] = x[k] - x[NODES / 2 - 1] for k < NODES; true when the
 * interpolation of x passes the check. */
static bool interp_check(const interp *ip, const double *x, double *d)
{
    double e = 0, ref = x[NODES / 2 - 1];
    for (size_t k = 0; k < WIN; k++)
        e += ip->diff[k] * (x[k] - ref);
    for (size_t k = 0; k < NODES; k++)
        d[k] = x[k] - ref;
    return fabs(e) <= INTERP_TOL + INTERP_REL * fabs(ref); /* false when a node is NAN */
}

/* Adds one m's graph terms v[j] (j < nv, of graph idx[j]; idx NULL: graph j) to the weights
 * bw on the scale exp(-*G), rmax being the largest of them; ex[j], when given, is already
 * exp(v[j] - rmax), or 0 below e^-60. */
static void weigh_add(double *bw, double *G, size_t ngraphs, const double *v, const size_t *idx,
                      const double *ex, size_t nv, double rmax)
{
    if (rmax > *G) { /* rescale what was accumulated so far */
        double f = isfinite(*G) ? exp(*G - rmax) : 0;
        for (size_t g = 0; g < ngraphs; g++)
            bw[g] *= f;
        *G = rmax;
    }
    double f = exp(rmax - *G);
    for (size_t j = 0; j < nv; j++) {
        size_t g = idx ? idx[j] : j;
        double d = v[j] - rmax;
        if (d >= -60)
            bw[g] += (ex ? ex[j] : exp(d)) * f;
    }
}

/* out[s] = sum over nodes k of wt[k][s] d[k] for s < ns, each sum in the order of k (as one
 * value at a time would have it), the values of s side by side in vector lanes. */
__attribute__((target_clones("avx2", "default"))) static void
interp_series(double *restrict out, const double (*wt)[MAX_STRIDE], const double *d, size_t ns)
{
#pragma omp simd
    for (size_t s = 0; s < ns; s++) {
        double y = 0;
        for (size_t k = 0; k < NODES; k++)
            y += wt[k][s] * d[k];
        out[s] = y;
    }
}

/* With logpost interpolated on an interval from m0 (filled in, x its nodes, X the graphs' terms
 * there), adds each graph's weight over m in [m0, mw] to bw on the scale exp(-*G): the sum of
 * exp(logpost(m)) p_g(m), p_g = exp(v_g - logpost) the graph's share of the posterior at m,
 * itself interpolated between its values at the nodes, so that one exp per m serves every
 * graph. The share is checked as the terms are, to within INTERP_TOL of the whole, for every
 * graph within e^WEIGHT_SKIP of logpost at a node (the others add less than 1e-17 of the
 * interval's total); when one fails, or one's term does (and the interval is computed m by
 * m), false, and nothing added. */
static bool weigh_shares(double *bw, double *G, size_t ng, const interp *ip, const double *const *X,
                         const double *x, const double *logpost, int64_t m0, int64_t mw)
{
    double pd[DGA_MAX_GRAPHS][NODES], pref[DGA_MAX_GRAPHS];
    size_t rel[DGA_MAX_GRAPHS], nr = 0;
    for (size_t g = 0; g < ng; g++) {
        double hi = -INFINITY, p[WIN], xg[WIN];
        for (size_t k = 0; k < WIN; k++) {
            xg[k] = X[k][g];
            hi = RK_MAX(hi, xg[k] - x[k]);
        }
        if (hi < WEIGHT_SKIP)
            continue;
        for (size_t k = 0; k < WIN; k++)
            p[k] = exp(xg[k] - x[k]);
        if (!interp_check(ip, xg, pd[nr]) || !interp_check(ip, p, pd[nr]))
            return false;
        pref[nr] = p[NODES / 2 - 1];
        rel[nr++] = g;
    }
    double top = -INFINITY;
    for (int64_t m = m0; m <= mw; m++)
        top = RK_MAX(top, logpost[m]);
    if (top > *G) { /* rescale what was accumulated so far */
        double f = isfinite(*G) ? exp(*G - top) : 0;
        for (size_t g = 0; g < ng; g++)
            bw[g] *= f;
        *G = top;
    }
    /* c[k]: the posterior's sum against node k's interpolation weight */
    double c[NODES] = {0}, total = 0;
    for (int64_t m = m0; m <= mw; m++) {
        double e = exp(logpost[m] - *G);
        const double *w = ip->w[m - m0];
        total += e;
        for (size_t k = 0; k < NODES; k++)
            c[k] += w[k] * e;
    }
    for (size_t j = 0; j < nr; j++) {
        double sum = pref[j] * total;
        for (size_t k = 0; k < NODES; k++)
            sum += pd[j][k] * c[k];
        bw[rel[j]] += sum;
    }
    return true;
}

/* The intervals [i0, i1) of a pass's segment from m_lo to mmax (interval i starts at
 * m = m_lo + i stride): logpost, and with bw each graph's weight over m <= mgraph on the
 * scale exp(-*bscale). */
static void pass_block(const model *md, const margins *mg, const interp *ip, size_t seg,
                       int64_t m_lo, int64_t mmax, int64_t i0, int64_t i1, double *logpost,
                       double *bw, int64_t mgraph, double *bscale)
{
    /* the window of nodes: node j (at m = m_lo + j stride) in slot (j + WIN) % WIN */
    double win[WIN][DGA_MAX_GRAPHS], L[WIN], R[WIN];
    double v[DGA_MAX_GRAPHS], ex[DGA_MAX_GRAPHS], G = -INFINITY, x[WIN], d[NODES];
    /* the graphs of an interval that count (rel[j], j < nr): their terms at the interval's
     * start and differences at the nodes, node major, so that one m's values are summed for
     * every graph at once, in vector lanes, each in the order of the nodes */
    double base[DGA_MAX_GRAPHS], dgt[NODES][DGA_MAX_GRAPHS], lpy[MAX_STRIDE];
    size_t rel[DGA_MAX_GRAPHS], ng = md->ngraphs;
    for (int64_t i = i0; i < i1; i++) {
        for (int64_t j = i == i0 ? i - NODES / 2 + 1 : i + NODES / 2 + 1; j <= i + NODES / 2 + 1;
             j++) {
            size_t slot = (size_t)(j + WIN) % WIN;
            int64_t m = m_lo + j * ip->stride;
            L[slot] = m >= 0 ? term_at(md, mg, m, md->node_base[seg][j], win[slot], &R[slot]) : NAN;
        }
        const double *X[WIN];
        for (size_t k = 0; k < WIN; k++) {
            size_t slot = (size_t)(i - NODES / 2 + 1 + (int64_t)k + WIN) % WIN;
            X[k] = win[slot];
            x[k] = L[slot];
        }
        size_t here = (size_t)(i + WIN) % WIN;
        int64_t m0 = m_lo + i * ip->stride, m1 = RK_MIN(mmax, m0 + ip->stride - 1);
        bool weigh = bw && m0 <= mgraph;
        bool ok = interp_check(ip, x, d);
        if (ok) { /* logpost interpolated */
            size_t ns = (size_t)(m1 - m0 + 1);
            interp_series(lpy, ip->wt, d, ns);
            logpost[m0] = L[here];
            for (size_t s = 1; s < ns; s++)
                logpost[m0 + (int64_t)s] = L[here] + lpy[s];
            if (!weigh || weigh_shares(bw, &G, ng, ip, X, x, logpost, m0, RK_MIN(m1, mgraph)))
                continue;
        }
        /* with logpost interpolated, the graphs are needed for their weights only, and one
         * below e^WEIGHT_SKIP of logpost at every node of the interval adds to its weight
         * less than 1e-17 of the interval's total: nothing that can show */
        bool lp = ok;
        double skip = lp ? WEIGHT_SKIP : GRAPH_SKIP;
        size_t nr = 0;
        ok = !isnan(x[0]);
        for (size_t g = 0; g < ng && ok; g++) {
            double hi = -INFINITY, xg[WIN], dg[NODES];
            for (size_t k = 0; k < WIN; k++) {
                xg[k] = X[k][g];
                hi = RK_MAX(hi, xg[k] - x[k]);
            }
            if (hi < skip)
                continue;
            ok = interp_check(ip, xg, dg);
            if (ok && !lp && hi < SUM_SKIP)
                continue;
            for (size_t k = 0; k < NODES; k++)
                dgt[k][nr] = dg[k];
            base[nr] = X[NODES / 2 - 1][g];
            rel[nr++] = g;
        }
        for (int64_t m = m0; m <= m1; m++) {
            double rmax;
            const double *vm = v, *exs = NULL;
            const size_t *idx = rel;
            size_t nv = nr;
            if (m == m0) { /* the node itself, computed in full */
                logpost[m] = L[here];
                rmax = R[here];
                vm = X[NODES / 2 - 1];
                idx = NULL;
                nv = ng;
            } else if (!ok) {
                logpost[m] = term_at(md, mg, m, base_at(md, m), v, &rmax);
                idx = NULL;
                nv = ng;
            } else {
                size_t s = (size_t)(m - m0);
                const double *w = ip->w[s];
#pragma omp simd
                for (size_t j = 0; j < nr; j++) {
                    double y = 0;
                    for (size_t k = 0; k < NODES; k++)
                        y += w[k] * dgt[k][j];
                    v[j] = base[j] + y;
                }
                rmax = -INFINITY;
                for (size_t j = 0; j < nr; j++)
                    rmax = RK_MAX(rmax, v[j]);
                double sum = 0;
                for (size_t j = 0; j < nr; j++) {
                    double e = v[j] - rmax;
                    ex[j] = e >= -60 ? exp(e) : 0;
                    sum += ex[j];
                }
                if (lp) {
                    double y = 0;
                    for (size_t k = 0; k < NODES; k++)
                        y += ip->w[s][k] * d[k];
                    logpost[m] = L[here] + y;
                } else {
                    logpost[m] = rmax + log(sum);
                }
                exs = ex;
            }
            if (weigh && m <= mgraph)
                weigh_add(bw, &G, ng, vm, idx, exs, nv, rmax);
        }
    }
    if (bscale)
        *bscale = G;
}

/* One posterior of n0: log p(n0 = m | table), unnormalized, for m in [0, mmax] into logpost
 * (see NODES); with gw, each graph's posterior weight over m <= mgraph into gw[g], on the
 * scale exp(-gscale), bw (MAX_BLOCKS x ngraphs) and bscale (MAX_BLOCKS) being scratch. */
typedef struct pass {
    margins mg;
    int64_t mmax, mgraph;
    double *logpost, *gw, gscale, *bw, *bscale;
    int64_t nb; /* blocks */
} pass;

/* The part of a pass with one stride: intervals [0, nint) from m_lo to hi, size a block,
 * its blocks b0 .. b0 + nb - 1 of the pass. */
typedef struct segment {
    pass *p;
    const interp *ip;
    size_t seg; /* the stride's index */
    int64_t m_lo, hi, nint, size, nb, b0;
} segment;

/* Runs the passes together: their blocks of intervals in parallel, in one parallel loop (a
 * loaded machine makes each loop's end wait for its slowest thread), each pass's blocks
 * merged in order, so the result does not depend on the number of threads; memory is one
 * number per m, not per graph and m. ips: the NSTRIDES strides' weights. */
enum { MAX_PASSES = 9 };
#define PARALLEL_MIN ((int64_t)1 << 21)
static void passes_run(const model *md, const interp *ips, pass *ps, size_t np)
{
    assert(md->ngraphs <= DGA_MAX_GRAPHS && np <= MAX_PASSES);
    segment sg[MAX_PASSES * NSTRIDES];
    size_t ns = 0;
    int64_t ntask = 0;
    for (size_t p = 0; p < np; p++) {
        pass *q = &ps[p];
        q->nb = 0;
        for (size_t j = 0; j < NSTRIDES; j++) {
            int64_t lo = seg_start[j];
            int64_t hi = j + 1 < NSTRIDES ? seg_start[j + 1] - 1 : INT64_MAX;
            if (lo > q->mmax)
                break;
            segment *g = &sg[ns++];
            g->p = q;
            g->ip = &ips[j];
            g->seg = j;
            g->m_lo = lo;
            g->hi = RK_MIN(hi, q->mmax);
            g->nint = (g->hi - lo) / ips[j].stride + 1;
            g->size = RK_MAX(CHUNK, (g->nint * NSTRIDES + MAX_BLOCKS - 1) / MAX_BLOCKS);
            g->nb = (g->nint + g->size - 1) / g->size;
            g->b0 = q->nb;
            q->nb += g->nb;
            ntask += g->nb;
        }
    }
    /* threads only for work worth them: at some 20-30 ns an n0, 2^21 of them take ~50 ms; less
     * runs faster alone on a busy machine, where a second thread waits for its turn */
    int64_t total = 0;
    for (size_t p = 0; p < np; p++)
        total += ps[p].mmax + 1;
#pragma omp parallel for schedule(dynamic, 1) if (total >= PARALLEL_MIN)
    for (int64_t task = 0; task < ntask; task++) {
        size_t j = 0;
        int64_t b = task;
        while (b >= sg[j].nb)
            b -= sg[j++].nb;
        const segment *g = &sg[j];
        pass *q = g->p;
        int64_t bb = g->b0 + b;
        double *w = q->gw ? q->bw + (size_t)bb * md->ngraphs : NULL;
        if (w)
            memset(w, 0, md->ngraphs * sizeof(double));
        pass_block(md, &q->mg, g->ip, g->seg, g->m_lo, g->hi, b * g->size,
                   RK_MIN(g->nint, (b + 1) * g->size), q->logpost, w, q->mgraph,
                   q->gw ? &q->bscale[bb] : NULL);
    }
    for (size_t p = 0; p < np; p++) {
        pass *q = &ps[p];
        if (!q->gw)
            continue;
        double G = -INFINITY;
        for (int64_t b = 0; b < q->nb; b++)
            G = q->bscale[b] > G ? q->bscale[b] : G;
        for (size_t g = 0; g < md->ngraphs; g++) {
            double x = 0;
            for (int64_t b = 0; b < q->nb; b++)
                if (isfinite(q->bscale[b]))
                    x += q->bw[(size_t)b * md->ngraphs + g] * exp(q->bscale[b] - G);
            q->gw[g] = x;
        }
        q->gscale = G;
    }
}

/* What summarize computes on one logpost from m = 0 on, kept for the next call: the rows of
 * the larger bounds share the main pass's logpost and, once the bound passes its peak, its
 * lmax, so each term exp(logpost[m] - lmax) and its running sum are computed once. The
 * running max and sum continue in the same order, so the figures are those of a call alone.
 * e holds as many numbers as logpost. */
typedef struct terms {
    const double *logpost;
    double smax, lmax, z, *e;
    int64_t scan, upto; /* smax over [0, scan]; e and their sum z over [0, upto] */
} terms;

/* The largest of x and x[0 .. n - 1] that are numbers, by four running maxima at once (the
 * same number in any order). */
static double max_above(double lo, const double *x, int64_t n)
{
    double a[4] = {lo, lo, lo, lo};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (size_t j = 0; j < 4; j++)
            a[j] = x[i + (int64_t)j] > a[j] ? x[i + (int64_t)j] : a[j];
    for (; i < n; i++)
        a[0] = x[i] > a[0] ? x[i] : a[0];
    for (size_t j = 1; j < 4; j++)
        a[0] = a[j] > a[0] ? a[j] : a[0];
    return a[0];
}

/* Summary of the posterior of N = n + m restricted to m in [0, mmax]. */
static void summarize(rk_estimate_sensitivity *out, terms *tm, const double *logpost, int64_t n,
                      int64_t mmax)
{
    if (tm->logpost != logpost || mmax < tm->scan) {
        tm->logpost = logpost;
        tm->smax = -INFINITY;
        tm->scan = tm->upto = -1;
    }
    double lmax = max_above(tm->smax, logpost + tm->scan + 1, mmax - tm->scan), *e = tm->e;
    tm->smax = lmax;
    tm->scan = mmax;
    if (tm->upto >= 0 && tm->lmax != lmax)
        tm->upto = -1;
    if (tm->upto < 0) {
        tm->lmax = lmax;
        tm->z = 0;
    }
    double z = tm->z;
    for (int64_t m = tm->upto + 1; m <= mmax; m++) {
        e[m] = exp(logpost[m] - lmax);
        z += e[m];
    }
    tm->z = z;
    tm->upto = mmax;
    double inv = 1 / z, beste = -1;
    double mean = 0, sq = 0, cum = 0, tail = 0;
    int64_t top = 9 * mmax / 10 + 1; /* the top tenth: m > 0.9 mmax, as the reference */
    /* the quantiles: the first N at which the cumulated mass reaches each level (it never
     * falls), the next level to reach being level[q] */
    static const double level[] = {0.025, 0.5, 0.975, INFINITY};
    double at[3] = {NAN, NAN, NAN}, mode = NAN;
    size_t q = 0;
    double N = (double)n; /* n + m, exact */
    for (int64_t m = 0; m <= mmax; m++, N += 1) {
        double em = e[m], p = em * inv;
        mean += p * N;
        sq += p * N * N;
        if (em > beste) {
            beste = em;
            mode = N;
        }
        cum += p;
        while (cum >= level[q])
            at[q++] = N;
        if (m >= top)
            tail += p;
    }
    out->lower = at[0];
    out->median = at[1];
    out->upper = at[2];
    out->mode = mode;
    out->mean = mean;
    out->sd = sqrt(fmax(0, sq - mean * mean));
    out->top_mass = tail;
    out->nmissing_max = mmax;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { MAX_DELTAS = 8 };

/* The deltas of the sensitivity analysis: 2^-K times 1/4 .. 4 (a prior worth a quarter of a
 * person to four persons spread over the 2^K cells, around dga's examples' 2^-K), 1/2 (dga's
 * help example) and 1 (one person per cell), and the main delta; ascending, distinct. */
static size_t delta_grid(double *out, size_t k, double main)
{
    double d[MAX_DELTAS] = {ldexp(0.25, -(int)k),
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

/* The posteriors of the other deltas held at once: as many as fit in this many numbers (the
 * passes of the ones held run in parallel together), at least one. */
#define SCRATCH_DOUBLES (8 * 1024 * 1024)

/* The nodes of every pass up to mall, stride j's nodes i at m = seg_start[j] + i stride for
 * -NODES/2 < i < nint + NODES/2 + 1 (nint its intervals up to mall): their base_at, which
 * the passes of every delta share, into out (NULL: only counted) from out[j][1 - NODES/2]
 * on; returns how many. */
static size_t node_bases(const double **out, double *buf, const model *md, int64_t mall)
{
    size_t n = 0;
    for (size_t j = 0; j < NSTRIDES && seg_start[j] <= mall; j++) {
        int64_t stride = (int64_t)STRIDE0 << j, lo = seg_start[j];
        int64_t hi = j + 1 < NSTRIDES ? RK_MIN(seg_start[j + 1] - 1, mall) : mall;
        int64_t nint = (hi - lo) / stride + 1;
        if (buf) {
            double *b = buf + n + (NODES / 2 - 1);
            for (int64_t i = 1 - NODES / 2; i < nint + NODES / 2 + 1; i++) {
                int64_t m = lo + i * stride;
                b[i] = m >= 0 ? base_at(md, m) : NAN;
            }
            out[j] = b;
        }
        n += (size_t)nint + NODES;
    }
    return n;
}

/* The NSTRIDES strides' interpolation weights, which do not depend on the data: built once,
 * at the first call, and then only read. */
static interp interps[NSTRIDES];
static pthread_once_t interps_once = PTHREAD_ONCE_INIT;

static void interps_build(void)
{
    for (size_t j = 0; j < NSTRIDES; j++)
        interp_init(&interps[j], (int64_t)STRIDE0 << j);
}

/* Sets up the pass of the posterior at delta up to mmax into logpost, without graph weights. */
static void pass_init(pass *out, const double *y, size_t k, double delta, int64_t mmax,
                      double *logpost)
{
    *out = (pass){.mmax = mmax, .logpost = logpost};
    margins_compute(&out->mg, y, k, delta);
}

/* Fills the sensitivity rows of out and the main summary: the bounds from the main pass's
 * logpost (computed up to the largest bound), in ascending order with mmax among them, so
 * that each continues the sums of the one before and mmax's is computed once; the deltas from
 * the posteriors of the others (other[j], j < nother), batch at a time in scratch, the first
 * batch already there. */
static int sensitivity(rk_estimate *out, rk_estimate_sensitivity *main, rk_ctx *ctx,
                       const model *md, const interp *ips, const double *y, double delta,
                       int64_t mmax, const double *logpost, const double *deltas, size_t nd,
                       const double *other, size_t nother, size_t batch, double *scratch, terms *tm)
{
    static const int factors[] = {2, 5, 10, 20, 40};
    rk_estimate_sensitivity *rows =
        rk_calloc(RK_ARRAY_LEN(factors) + nd, sizeof(rk_estimate_sensitivity));
    if (!rows)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t n = 0, j = 0;
    bool have_main = false;
    for (size_t i = 0; i < RK_ARRAY_LEN(factors); i++) {
        int64_t mm = factors[i] * md->n;
        if (mm > MAX_MISSING)
            break;
        if (mm > mmax && !have_main) {
            summarize(main, tm, logpost, md->n, mmax);
            have_main = true;
        }
        rk_estimate_sensitivity *r = &rows[n++];
        summarize(r, tm, logpost, md->n, mm);
        if (mm == mmax) {
            *main = *r;
            have_main = true;
        }
        snprintf(r->varies, sizeof(r->varies), "nmax");
        r->delta = delta;
        r->baseline = mm == mmax;
    }
    if (!have_main)
        summarize(main, tm, logpost, md->n, mmax);
    for (size_t i = 0; i < nd; i++) {
        rk_estimate_sensitivity *r = &rows[n++];
        if (deltas[i] == delta) {
            *r = *main;
        } else {
            double *lp = scratch + (j % batch) * (size_t)(mmax + 1);
            if (j > 0 && j % batch == 0) { /* the next batch */
                pass ps[MAX_DELTAS];
                size_t np = 0;
                for (size_t b = j; b < RK_MIN(nother, j + batch); b++, np++)
                    pass_init(&ps[np], y, md->k, other[b], mmax,
                              scratch + (b - j) * (size_t)(mmax + 1));
                passes_run(md, ips, ps, np);
            }
            tm->logpost = NULL; /* scratch holds another posterior */
            summarize(r, tm, lp, md->n, mmax);
            j++;
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
    if (k < 2 || k > DGA_MAX_K)
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
    /* the deltas of the sensitivity rows, the main one among them, and the others */
    double deltas[MAX_DELTAS], other[MAX_DELTAS];
    size_t nd = opt->sensitivity ? delta_grid(deltas, k, delta) : 0, nother = 0;
    for (size_t i = 0; i < nd; i++)
        if (deltas[i] != delta)
            other[nother++] = deltas[i];
    size_t batch = RK_MIN(nother, RK_MAX(1, SCRATCH_DOUBLES / (size_t)(mmax + 1)));
    double *y = NULL, *logpost = NULL, *ebuf = NULL, *scratch = NULL, *gw = NULL, *bw = NULL,
           *bscale = NULL, *nbase = NULL;
    int rc = RK_OK;
    if ((rc = estimate_table_dense(t, ctx, &y)) != RK_OK)
        return rc;
    pthread_once(&interps_once, interps_build);
    const interp *ips = interps;
    logpost = rk_malloc((size_t)(mall + 1) * sizeof(double));
    ebuf = rk_malloc((size_t)(mall + 1) * sizeof(double));
    if (batch)
        scratch = rk_malloc(batch * (size_t)(mmax + 1) * sizeof(double));
    if (!logpost || !ebuf || (batch && !scratch)) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    dga_graphs gs;
    estimate_dga_graphs(&gs, k);
    const dga_graph *graphs = gs.graphs;
    model md = {.k = k,
                .n = n,
                .prior = opt->prior,
                .graphs = graphs,
                .ngraphs = gs.ngraphs,
                .nsteps = gs.nsteps,
                .step_fam = gs.step_fam,
                .step_par = gs.step_par,
                .nprefixes = gs.nprefixes,
                .prefix_parent = gs.prefix_parent,
                .prefix_step = gs.prefix_step};
    gw = rk_calloc(md.ngraphs, sizeof(double));
    bw = rk_malloc(MAX_BLOCKS * md.ngraphs * sizeof(double));
    bscale = rk_malloc(MAX_BLOCKS * sizeof(double));
    nbase = rk_malloc(node_bases(NULL, NULL, &md, mall) * sizeof(double));
    if (!gw || !bw || !bscale || !nbase) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    const double *node_base[NSTRIDES];
    node_bases(node_base, nbase, &md, mall);
    md.node_base = node_base;
    /* the main posterior, up to the largest bound, with the first batch of the others */
    pass ps[MAX_DELTAS + 1];
    pass_init(&ps[0], y, k, delta, mall, logpost);
    ps[0].mgraph = mmax;
    ps[0].gw = gw;
    ps[0].bw = bw;
    ps[0].bscale = bscale;
    for (size_t j = 0; j < batch; j++)
        pass_init(&ps[j + 1], y, k, other[j], mmax, scratch + j * (size_t)(mmax + 1));
    passes_run(&md, ips, ps, batch + 1);
    rk_estimate_sensitivity main;
    terms tm = {.e = ebuf, .scan = -1, .upto = -1};
    if (opt->sensitivity) {
        if ((rc = sensitivity(out, &main, ctx, &md, ips, y, delta, mmax, logpost, deltas, nd, other,
                              nother, batch, scratch, &tm)) != RK_OK)
            goto cleanup;
    } else {
        summarize(&main, &tm, logpost, n, mmax);
    }
    size_t top = 0;
    double gz = 0;
    for (size_t g = 0; g < md.ngraphs; g++) {
        gz += gw[g];
        if (gw[g] > gw[top])
            top = g;
    }
    snprintf(out->method, sizeof(out->method), "dga");
    estimate_dga_graph_name(&graphs[top], t, out->model, sizeof(out->model));
    out->observed = n;
    out->estimate = out->median = main.median;
    out->lower = main.lower;
    out->upper = main.upper;
    out->mode = main.mode;
    out->mean = main.mean;
    out->stderr_n = main.sd;
    snprintf(out->interval_kind, sizeof(out->interval_kind), "credible");
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
    rk_free(ebuf);
    rk_free(gw);
    rk_free(bw);
    rk_free(bscale);
    rk_free(nbase);
    return rc;
}
