/* Private to the draws of partitions (partitions.c, partitions_chain.c): the atoms, components
 * and adjacency of the candidate graph, and the sampler's state, all in flat arrays. */
#ifndef RK_LINK_PARTITIONS_PRIVATE_H
#define RK_LINK_PARTITIONS_PRIVATE_H

#include "link_private.h"

#define NONE UINT32_MAX

/* What lies between two atoms: a stored pair (they may be one person, and it ties them
 * together) and/or a reviewer's non-match (they may not). */
enum { DRAW_LINK = 1, DRAW_FORBID = 2 };

/* An exact draw's target on the cumulative weight. */
typedef struct draw_target {
    double target;
    uint32_t draw;
} draw_target;

/* The candidate graph of one draw. Atoms: the records reviewers' matches join, numbered
 * component by component, each component's atoms in the order of their smallest record. A
 * cluster of the chain lives in a slot; a component's slots are its atoms' numbers. */
typedef struct drawer {
    rk_ctx *ctx;
    const rk_link_cluster_options *g;
    const link_draw_options *o;
    size_t n, natoms, ncomp, nu;
    double lf;                /* log odds of the floor */
    uint32_t *atom_of;        /* per record: its atom */
    uint32_t *rec_start;      /* natoms + 1: the records of atom a are rec[rec_start[a]..] */
    uint32_t *rec;            /* ascending within each atom */
    uint32_t *comp_start;     /* ncomp + 1: the atoms of component c */
    uint32_t *comp_order;     /* the components, largest first */
    uint32_t *ustart, *ulist; /* per atom: its unique lists (indexes among the nu unique) */
    uint32_t *adj_start;      /* natoms + 1, both directions */
    uint32_t *adj_to;
    double *adj_e; /* sum of log odds(p) - log odds(floor) of the stored pairs between */
    uint8_t *adj_flag;
    /* the chain's state: per atom its slot and its neighbours in the slot's list of atoms;
       per slot its first atom, its atoms, its records, its atoms of each unique list */
    uint32_t *cl, *cnext, *cprev, *chead, *ccount, *crec, *ucount;
    uint32_t *freeslot; /* per component: a stack of its free slots */
    /* scratch, by slot or by atom */
    uint32_t *cstamp, *astamp, *touched, *queue;
    double *acc;
    uint8_t *aflag, *side;
    int64_t *clabel;
    uint64_t *sortkey;
    draw_target *targets; /* k per thread */
} drawer;

/* partitions_chain.c: draws o->k partitions of the component of atoms [c0, c1) by the
 * split-merge and Gibbs chain, from the point estimate (o->start), into out. */
void draw_chain(drawer *d, uint32_t c0, uint32_t c1, rk_rng *rng, int64_t *out);

int draw_u64_cmp(const void *x, const void *y);

/* The label of a person whose smallest record is r: its id, or r. */
static inline int64_t draw_label(const drawer *d, uint32_t r)
{
    return d->o->id ? d->o->id[r] : (int64_t)r;
}

#endif
