/* The link module's private tier: what later modules of libreckon (serve, ...) may use of
 * linkage, and the public API may not. Names are rk_link__<verb>. Never installed, never
 * included from include/reckon/. */
#ifndef RK_LINK_INTERNAL_H
#define RK_LINK_INTERNAL_H

#include "reckon/link.h"

/* What a re-clustering did: the records it clustered again and the person rows it changed. */
typedef struct rk_link__reclustered {
    size_t records;
    int64_t changed;
} rk_link__reclustered;

/* Clusters again, through rk_link_cluster (the routine `reckon link` uses, with its checks),
 * the persons of link run `run_id` that hold any of the records `seeds` (record ids), and the
 * seeds themselves: with the run's stored pairs, its threshold, cannot_link, bridge_min_mean
 * and unique lists, and the latest decisions (the view latest_decision) as labels, which win.
 * Rewrites their person rows (a person's id is its smallest record id). Runs in the caller's
 * transaction; refuses (RK_EINPUT) more than max_records records. */
int rk_link__recluster(rk_link__reclustered *out, rk_store *st, int64_t run_id,
                       const int64_t *seeds, size_t nseeds, size_t max_records);

/* The records of a link run (its person rows), sorted by record id, and k partitions of them
 * into persons. The caller owns the struct; rk_link__partitions_release frees its arrays. */
typedef struct rk_link__partitions {
    int64_t *records; /* n record ids, ascending */
    size_t n;
    int64_t *person; /* k * n: person[d * n + i] is the person of records[i] in partition d,
                        named by its smallest record id (as the person table names them) */
    size_t k;
} rk_link__partitions;

void rk_link__partitions_release(rk_link__partitions *p);

/* k draws from the link model's posterior over the partitions of run run_id's records
 * (docs/linkage.md, "Drawing partitions"): the run's stored pairs, the run's unique lists and
 * the latest decisions (the view latest_decision), which are always honoured. The same seed
 * gives the same draws whatever the number of threads. Only reads the project. */
int rk_link__draw_partitions(rk_link__partitions *out, rk_store *st, int64_t run_id, size_t k,
                             uint64_t seed);

/* The partition (k = 1) that clustering the run's stored pairs at `threshold` gives: through
 * rk_link_cluster, with the run's checks (cannot_link, bridge_min_mean, unique lists) and the
 * latest decisions, as `reckon link` clusters. At the run's own threshold it is the run's
 * persons. Only reads the project. */
int rk_link__threshold_partition(rk_link__partitions *out, rk_store *st, int64_t run_id,
                                 double threshold);

/* ---- what the MPI runs of later modules share with link's (mpi.c; docs/scale.md) ---- */

/* The number of ranks of the MPI run this process is one of, 0 before rk_link_mpi_begin (and
 * always in a build without MPI). */
int rk_link__mpi_size(void);

/* Called on every rank of an MPI run once its share of some work is done: first every rank
 * learns whether any failed (this one when `failed`: RK_EINTERNAL, its own error already on
 * ctx; another: RK_EINTERNAL saying so), then rank 0 gets every rank's `len` bytes at `mine`,
 * joined in rank order, in *out (*outlen bytes; the caller frees it with rk_free). The other
 * ranks get NULL and 0. */
int rk_link__mpi_gather(char **out, size_t *outlen, rk_ctx *ctx, const void *mine, size_t len,
                        bool failed);

#endif
