/* The decomposable graphs dga averages over (dga_graphs.c), for dga.c: built once, at the first
 * call, and then only read, by any number of threads. For src/estimate only. */
#ifndef RK_ESTIMATE_DGA_PRIVATE_H
#define RK_ESTIMATE_DGA_PRIVATE_H

#include "estimate_private.h"

#define DGA_MAX_K      5
#define DGA_MAX_GRAPHS 822 /* on 5 lists */
/* The distinct steps (fam, par) of the graphs on k lists: a list and a subset of the others. */
enum { DGA_MAX_STEPS = DGA_MAX_K << (DGA_MAX_K - 1) };

typedef struct dga_graph {
    uint32_t adj[DGA_MAX_K]; /* neighbour masks */
    uint32_t fam[DGA_MAX_K]; /* v with its earlier neighbours in a perfect ordering */
    uint32_t par[DGA_MAX_K]; /* earlier neighbours */
    uint8_t step[DGA_MAX_K]; /* the index of (fam[i], par[i]) among the steps of its k */
} dga_graph;

/* Every decomposable graph on k lists, and the steps of their perfect orderings. */
typedef struct dga_graphs {
    const dga_graph *graphs;
    size_t ngraphs, nsteps;
    const uint32_t *step_fam, *step_par; /* nsteps each */
} dga_graphs;

/* The graphs on k lists, 2 <= k <= DGA_MAX_K. */
void estimate_dga_graphs(dga_graphs *out, size_t k);

/* "[A,B,C][C,D]": the maximal cliques of g, each in list order, with t's names. */
void estimate_dga_graph_name(const dga_graph *g, const rk_capture_table *t, char *out,
                             size_t outsz);

#endif
