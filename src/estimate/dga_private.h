/* The decomposable graphs dga averages over (dga_graphs.c), for dga.c: built once, at the first
 * call, and then only read, by any number of threads. For src/estimate only. */
#ifndef RK_ESTIMATE_DGA_PRIVATE_H
#define RK_ESTIMATE_DGA_PRIVATE_H

#include "estimate_private.h"

#define DGA_MAX_K      5
#define DGA_MAX_GRAPHS 822 /* on 5 lists */
/* The distinct steps (fam, par) of the graphs on k lists: a list and a subset of the others. */
enum { DGA_MAX_STEPS = DGA_MAX_K << (DGA_MAX_K - 1) };
/* The distinct beginnings of the graphs' sequences of steps, the empty one among them. */
enum { DGA_MAX_PREFIXES = 1 + DGA_MAX_GRAPHS * DGA_MAX_K };

typedef struct dga_graph {
    uint32_t adj[DGA_MAX_K]; /* neighbour masks */
    uint32_t fam[DGA_MAX_K]; /* v with its earlier neighbours in a perfect ordering */
    uint32_t par[DGA_MAX_K]; /* earlier neighbours */
    uint8_t step[DGA_MAX_K]; /* the index of (fam[i], par[i]) among the steps of its k */
    uint16_t prefix;         /* the index of its whole sequence of steps among the prefixes */
} dga_graph;

/* Every decomposable graph on k lists, the steps of their perfect orderings, and the prefixes
 * of their sequences of steps: prefix 0 the empty one, prefix p > 0 prefix_parent[p] (< p)
 * followed by the step prefix_step[p]. A graph's term, summed along its steps in order, is
 * then one sum a prefix, shared by the graphs that begin alike. */
typedef struct dga_graphs {
    const dga_graph *graphs;
    size_t ngraphs, nsteps, nprefixes;
    const uint32_t *step_fam, *step_par; /* nsteps each */
    const uint16_t *prefix_parent;       /* nprefixes each */
    const uint8_t *prefix_step;
} dga_graphs;

/* The graphs on k lists, 2 <= k <= DGA_MAX_K. */
void estimate_dga_graphs(dga_graphs *out, size_t k);

/* "[A,B,C][C,D]": the maximal cliques of g, each in list order, with t's names. */
void estimate_dga_graph_name(const dga_graph *g, const rk_capture_table *t, char *out,
                             size_t outsz);

#endif
