/* Re-clustering some persons of a stored link run after reviewers' decisions: the records of
 * the persons concerned, their stored pairs and the latest decisions (project_graph.c) go
 * through the same clustering routine as `reckon link` (rk_link_cluster, with its checks), and
 * the person rows that change are rewritten. Called by the review app inside its decision's
 * transaction. */
#include "common.h"
#include "link_internal.h"
#include "project_private.h"

int rk_link__recluster(rk_link__reclustered *out, rk_store *st, int64_t run_id,
                       const int64_t *seeds, size_t nseeds, size_t max_records)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out && (seeds || nseeds == 0));
    memset(out, 0, sizeof(*out));
    if (nseeds == 0)
        return RK_OK;
    link_run_graph g;
    rk_link_clusters cl = {0};
    int rc = link_run_graph_load(&g, st, run_id, seeds, nseeds, max_records);
    if (rc != RK_OK)
        return rc;
    if ((rc = rk_link_cluster(&cl, ctx, &g.cluster)) != RK_OK)
        goto cleanup;
    if ((rc = link_persons_write(&out->changed, st, run_id, g.id, cl.cluster, g.n, cl.nclusters)) !=
        RK_OK)
        goto cleanup;
    out->records = g.n;
cleanup:
    rk_free(cl.cluster);
    rk_free(cl.review);
    link_run_graph_release(&g);
    return rc;
}
