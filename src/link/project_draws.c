/* Partitions of a stored run's records into persons, for the estimate to carry linkage
 * uncertainty into its interval: draws from the link model's posterior (partitions.c on the
 * run's graph, project_graph.c) and the partition clustering gives at a threshold. */
#include "link_internal.h"
#include "link_private.h"
#include "project_private.h"

void rk_link__partitions_release(rk_link__partitions *p)
{
    if (!p)
        return;
    rk_free(p->records);
    rk_free(p->person);
    memset(p, 0, sizeof(*p));
}

/* Takes the graph's record ids into out and makes room for k partitions. */
static int partitions_start(rk_link__partitions *out, rk_ctx *ctx, link_run_graph *g, size_t k)
{
    if (g->n && k > (SIZE_MAX - 1) / sizeof(int64_t) / g->n)
        return rk_error_set(ctx, RK_EINPUT, "%zu partitions of %zu records do not fit in memory", k,
                            g->n);
    if (!(out->person = rk_malloc(k * g->n * sizeof(int64_t) + 1)))
        return rk_error_set(ctx, RK_ENOMEM, "out of memory for %zu partitions of %zu records", k,
                            g->n);
    out->records = g->id;
    g->id = NULL;
    out->n = g->n;
    out->k = k;
    return RK_OK;
}

int rk_link__draw_partitions(rk_link__partitions *out, rk_store *st, int64_t run_id, size_t k,
                             uint64_t seed)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    memset(out, 0, sizeof(*out));
    link_run_graph g;
    uint32_t *start = NULL;
    int rc = link_run_graph_load(&g, st, run_id, NULL, 0, SIZE_MAX);
    if (rc != RK_OK)
        return rc;
    /* The chains start from the run's persons: each record's person as the index of the
       person's record (persons are named by their smallest record). */
    if (!(start = rk_malloc((g.n + 1) * sizeof(uint32_t)))) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < g.n; i++) {
        long p = link_run_graph_find(&g, g.person[i]);
        start[i] = p < 0 ? (uint32_t)i : (uint32_t)p;
    }
    link_draw_options o = LINK_DRAW_OPTIONS_INIT;
    o.k = k;
    o.seed = seed;
    o.floor = g.pair_floor;
    o.start = start;
    if ((rc = partitions_start(out, ctx, &g, k)) != RK_OK)
        goto cleanup;
    o.id = out->records;
    rc = link_draw_partitions(out->person, ctx, &g.cluster, &o);
cleanup:
    rk_free(start);
    link_run_graph_release(&g);
    if (rc != RK_OK)
        rk_link__partitions_release(out);
    return rc;
}

int rk_link__threshold_partition(rk_link__partitions *out, rk_store *st, int64_t run_id,
                                 double threshold)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    memset(out, 0, sizeof(*out));
    if (!(threshold >= 0 && threshold <= 1))
        return rk_error_set(ctx, RK_EINPUT, "threshold %g is not a probability from 0 to 1",
                            threshold);
    link_run_graph g;
    rk_link_clusters cl = {0};
    int64_t *name = NULL;
    int rc = link_run_graph_load(&g, st, run_id, NULL, 0, SIZE_MAX);
    if (rc != RK_OK)
        return rc;
    g.cluster.threshold = threshold;
    if ((rc = rk_link_cluster(&cl, ctx, &g.cluster)) != RK_OK ||
        (rc = partitions_start(out, ctx, &g, 1)) != RK_OK)
        goto cleanup;
    /* Clusters are numbered by their smallest record, in the order of the records, which
       ascend: cluster c's name is the record that first shows a cluster numbered c. */
    if (!(name = rk_malloc((cl.nclusters + 1) * sizeof(int64_t)))) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0, seen = 0; i < out->n; i++) {
        if (cl.cluster[i] == seen)
            name[seen++] = out->records[i];
        out->person[i] = name[cl.cluster[i]];
    }
cleanup:
    rk_free(name);
    rk_free(cl.cluster);
    rk_free(cl.review);
    link_run_graph_release(&g);
    if (rc != RK_OK)
        rk_link__partitions_release(out);
    return rc;
}
