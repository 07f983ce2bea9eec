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

#endif
