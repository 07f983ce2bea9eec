/* The decomposable graphs on 2 to 5 lists that dga averages over: each the edges of a chordal
 * graph with the families of a perfect ordering, whose term is a sum over its steps (a family
 * minus its earlier neighbours); enumerated once, at the first call, and then shared. */
#include "dga_private.h"

#include <pthread.h>

/* Maximum cardinality search; true when the graph is chordal (decomposable), with the
 * families of the perfect ordering filled in. */
static bool perfect_ordering(dga_graph *g, size_t k)
{
    uint32_t done = 0;
    int weight[DGA_MAX_K] = {0};
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

void estimate_dga_graph_name(const dga_graph *g, const rk_capture_table *t, char *out, size_t outsz)
{
    size_t k = t->nlists;
    uint32_t cl[DGA_MAX_K];
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

/* Every decomposable graph on k lists: a subset of the K(K-1)/2 edges that is chordal. */
static size_t enumerate_graphs(dga_graph *out, size_t k)
{
    size_t npairs = k * (k - 1) / 2, n = 0;
    assert(npairs <= 10); /* DGA_MAX_GRAPHS of the 2^10 subsets of edges on 5 lists */
    for (size_t e = 0; e < ((size_t)1 << npairs); e++) {
        dga_graph g = {0};
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

/* The graphs on 2 to DGA_MAX_K lists, those on k lists from first[k]. */
enum { ALL_GRAPHS = 2 + 8 + 61 + 822 };
static struct {
    dga_graph graphs[ALL_GRAPHS];
    size_t first[DGA_MAX_K + 2];
    uint32_t step_fam[DGA_MAX_K + 1][DGA_MAX_STEPS], step_par[DGA_MAX_K + 1][DGA_MAX_STEPS];
    size_t nsteps[DGA_MAX_K + 1];
    uint16_t prefix_parent[DGA_MAX_K + 1][DGA_MAX_PREFIXES];
    uint8_t prefix_step[DGA_MAX_K + 1][DGA_MAX_PREFIXES];
    size_t nprefixes[DGA_MAX_K + 1];
} tables;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* The prefixes of the sequences of steps of the ng graphs on k lists, each graph's last. */
static void prefixes_build(size_t k, dga_graph *graphs, size_t ng)
{
    uint16_t child[DGA_MAX_PREFIXES], sibling[DGA_MAX_PREFIXES]; /* 0: none */
    uint16_t *parent = tables.prefix_parent[k];
    uint8_t *step = tables.prefix_step[k];
    size_t np = 1;
    child[0] = 0;
    for (size_t g = 0; g < ng; g++) {
        size_t at = 0;
        for (size_t i = 0; i < k; i++) {
            size_t c = child[at];
            while (c && step[c] != graphs[g].step[i])
                c = sibling[c];
            if (!c) {
                assert(np < DGA_MAX_PREFIXES);
                c = np++;
                parent[c] = (uint16_t)at;
                step[c] = graphs[g].step[i];
                child[c] = 0;
                sibling[c] = child[at];
                child[at] = (uint16_t)c;
            }
            at = c;
        }
        graphs[g].prefix = (uint16_t)at;
    }
    tables.nprefixes[k] = np;
}

static void tables_build(void)
{
    size_t n = 0;
    for (size_t k = 2; k <= DGA_MAX_K; k++) {
        tables.first[k] = n;
        size_t ng = enumerate_graphs(tables.graphs + n, k), ns = 0;
        for (size_t g = n; g < n + ng; g++)
            for (size_t i = 0; i < k; i++) {
                dga_graph *gr = &tables.graphs[g];
                size_t j = 0;
                while (j < ns &&
                       (tables.step_fam[k][j] != gr->fam[i] || tables.step_par[k][j] != gr->par[i]))
                    j++;
                if (j == ns) {
                    assert(ns < DGA_MAX_STEPS);
                    tables.step_fam[k][ns] = gr->fam[i];
                    tables.step_par[k][ns++] = gr->par[i];
                }
                gr->step[i] = (uint8_t)j;
            }
        tables.nsteps[k] = ns;
        prefixes_build(k, tables.graphs + n, ng);
        n += ng;
    }
    tables.first[DGA_MAX_K + 1] = n;
    assert(n == ALL_GRAPHS);
}

void estimate_dga_graphs(dga_graphs *out, size_t k)
{
    assert(k >= 2 && k <= DGA_MAX_K);
    pthread_once(&tables_once, tables_build);
    *out = (dga_graphs){.graphs = tables.graphs + tables.first[k],
                        .ngraphs = tables.first[k + 1] - tables.first[k],
                        .nsteps = tables.nsteps[k],
                        .step_fam = tables.step_fam[k],
                        .step_par = tables.step_par[k],
                        .nprefixes = tables.nprefixes[k],
                        .prefix_parent = tables.prefix_parent[k],
                        .prefix_step = tables.prefix_step[k]};
}
