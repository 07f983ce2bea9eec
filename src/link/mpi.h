/* A pass over the blocks shared by the ranks of an MPI run (mpi.c; docs/scale.md, "Past one
 * machine"): each block is compared on the rank its key hashes to, a block of more pairs than a
 * share is split across every rank by its pair range, and link_mpi_share_end gives every rank
 * the pass's whole result, as one process would have found it. Without rk_link_mpi_begin (or
 * in a build without MPI) a share is inactive and the pass compares every block itself. */
#ifndef RK_LINK_MPI_H
#define RK_LINK_MPI_H

#include "link_private.h"

typedef struct link_share {
    bool active;    /* an MPI run: this rank compares its share */
    int rank, size; /* this rank, and the number of ranks */
    uint64_t split; /* blocks of more pairs than this are split across the ranks */
    uint64_t *kept; /* per block: the pairs this rank kept of its part (kept pairs only) */
    bool failed;    /* out of memory before the pass */
} link_share;

/* The share of this rank in the pass s over blocks; with every pair written at its offset
 * (s->out_a), the arrays are cleared first, as each rank writes only its pairs. */
void link_mpi_share_begin(link_share *sh, const link_stream *s, const link_blocks *blocks);

/* Whether this rank compares a part of block bi: pairs [np * part / parts, np * (part + 1) /
 * parts) of its np pairs (part 0 of 1: all of them). */
bool link_mpi_share_part(const link_share *sh, const link_blocks *blocks, size_t bi, uint32_t *part,
                         uint32_t *parts);

/* After the pass: rc is this rank's result of it; every rank gets every rank's counts (rule
 * pairs, the histogram: integer sums, exact) and every kept pair, in block order, or every
 * pair at its offset. An error on any rank is an error on every one. Frees the share. */
int link_mpi_share_end(rk_ctx *ctx, link_share *sh, link_stream_result *out, const link_stream *s,
                       const link_blocks *blocks, int rc);

/* False on a rank other than 0 of an MPI run: its run stops once the passes over the blocks
 * are done, as rank 0 alone clusters and writes the project. */
bool link_mpi_root(void);

#endif
