/* Clustering of scored pairs into persons: union-find over links taken strongest first, each
 * union checked for contradictions (records that must differ) and weak bridges between groups;
 * refused links go to review. Reviewers' forced links and non-links always win. */
#include "link_private.h"

typedef struct uf {
    uint32_t *parent, *size, *next, *tail; /* members of a root: a list via next/tail */
} uf;

static uint32_t uf_find(uf *u, uint32_t x)
{
    while (u->parent[x] != x) {
        u->parent[x] = u->parent[u->parent[x]];
        x = u->parent[x];
    }
    return x;
}

static void uf_union(uf *u, uint32_t ra, uint32_t rb)
{
    if (u->size[ra] < u->size[rb] || (u->size[ra] == u->size[rb] && rb < ra)) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    u->parent[rb] = ra;
    u->size[ra] += u->size[rb];
    u->next[u->tail[ra]] = rb;
    u->tail[ra] = u->tail[rb];
}

#define NONE       UINT32_MAX
#define ADJ_FORBID (-1.0f) /* a reviewer said: not a match */

/* Scored pairs and labels by record, both directions. A reviewer's "not a match" is a
 * probability of -1 (ADJ_FORBID). Only pairs between records that some link or label could
 * put in a group are kept: the others are never looked at. */
typedef struct adj {
    uint32_t *start;
    uint32_t *to;
    float *prob;
} adj;

typedef struct edge {
    float prob;
    uint32_t a, b;
} edge;

static int edge_cmp(const void *x, const void *y)
{
    const edge *p = x, *q = y;
    if (p->prob != q->prob)
        return p->prob > q->prob ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Why joining roots rs (the smaller) and ro would be wrong: 0 when it is fine. */
static int join_problem(uf *u, const adj *g, uint32_t rs, uint32_t ro, const uint32_t *list,
                        const rk_link_cluster_options *o, uint32_t *stamp, uint32_t mark)
{
    double sum = 0;
    size_t cnt = 0;
    for (uint32_t s = rs; s != NONE; s = u->next[s]) {
        for (uint32_t k = g->start[s]; k < g->start[s + 1]; k++) {
            uint32_t t = g->to[k];
            if (uf_find(u, t) != ro)
                continue;
            if (g->prob[k] == ADJ_FORBID)
                return RK_REVIEW_CONTRADICTION;
            if (g->prob[k] < o->cannot_link_prob)
                return RK_REVIEW_CONTRADICTION;
            sum += g->prob[k];
            cnt++;
        }
    }
    if (list && o->list_unique) {
        for (uint32_t t = ro; t != NONE; t = u->next[t])
            if (o->list_unique[list[t]])
                stamp[list[t]] = mark;
        for (uint32_t s = rs; s != NONE; s = u->next[s])
            if (o->list_unique[list[s]] && stamp[list[s]] == mark)
                return RK_REVIEW_CONTRADICTION;
    }
    /* The mean over all the pairs of records of the two groups: a pair never compared (no
       block key in common) counts as half the least mean, so that one link alone does not
       join two groups that nothing else ties together. */
    double all = (double)u->size[rs] * (double)u->size[ro];
    double unseen = 0.5 * o->bridge_min_mean * (all - (double)cnt);
    if (all > 1 && (sum + unseen) / all < o->bridge_min_mean)
        return RK_REVIEW_WEAK_BRIDGE;
    return 0;
}

static int add_review(rk_link_review **v, size_t *n, size_t *cap, uint32_t a, uint32_t b,
                      int reason)
{
    if (rk_grow((void **)v, cap, *n + 1, sizeof(**v)) != RK_OK)
        return RK_ENOMEM;
    (*v)[(*n)++] = (rk_link_review){a < b ? a : b, a < b ? b : a, reason};
    return RK_OK;
}

int rk_link_cluster(rk_ctx *ctx, uint32_t **out_cluster, size_t *out_nclusters,
                    rk_link_review **out_review, size_t *out_nreview, size_t n,
                    const uint32_t *list, const uint32_t *a, const uint32_t *b, const float *prob,
                    size_t npairs, const rk_link_label *labels, size_t nlabels,
                    const rk_link_cluster_options *o)
{
    RK_ASSERT_ARG(ctx, out_cluster && out_nclusters && out_review && out_nreview && o);
    RK_ASSERT_ARG(ctx, npairs == 0 || (a && b && prob));
    int rc = RK_OK;
    uf u = {0};
    adj g = {0};
    edge *edges = NULL;
    uint32_t *stamp = NULL, *cluster = NULL, *fill = NULL;
    uint8_t *active = NULL;
    size_t nreview = *out_nreview, capr = nreview, nedges = 0;
    uint32_t nlists = 0;
    if (list)
        for (size_t i = 0; i < n; i++)
            nlists = RK_MAX(nlists, list[i] + 1);
    u.parent = rk_malloc((n + 1) * sizeof(uint32_t));
    u.size = rk_malloc((n + 1) * sizeof(uint32_t));
    u.next = rk_malloc((n + 1) * sizeof(uint32_t));
    u.tail = rk_malloc((n + 1) * sizeof(uint32_t));
    g.start = rk_calloc(n + 2, sizeof(uint32_t));
    active = rk_calloc(n + 1, 1);
    fill = rk_malloc((n + 1) * sizeof(uint32_t));
    stamp = rk_calloc(nlists + 1, sizeof(uint32_t));
    cluster = rk_malloc((n + 1) * sizeof(uint32_t));
    if (!u.parent || !u.size || !u.next || !u.tail || !g.start || !active || !fill || !stamp ||
        !cluster) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory clustering %zu records", n);
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        u.parent[i] = (uint32_t)i;
        u.size[i] = 1;
        u.next[i] = NONE;
        u.tail[i] = (uint32_t)i;
    }
    /* Records a link or a label may put in a group: only pairs between two of them are ever
     * checked when groups join. */
    for (size_t k = 0; k < npairs; k++) {
        if (a[k] >= n || b[k] >= n) {
            rc = rk_error_set(ctx, RK_EINTERNAL, "pair %zu names a record past %zu", k, n);
            goto cleanup;
        }
        if (prob[k] >= o->threshold) {
            active[a[k]] = active[b[k]] = 1;
            nedges++;
        }
    }
    for (size_t k = 0; k < nlabels; k++) {
        if (labels[k].a >= n || labels[k].b >= n) {
            rc = rk_error_set(ctx, RK_EINPUT, "decision %zu names record %u past %zu", k,
                              RK_MAX(labels[k].a, labels[k].b), n);
            goto cleanup;
        }
        if (labels[k].match)
            active[labels[k].a] = active[labels[k].b] = 1;
    }
    /* Adjacency of the scored pairs between active records and of labels, both directions. */
    for (size_t k = 0; k < npairs; k++)
        if (active[a[k]] && active[b[k]]) {
            g.start[a[k] + 1]++;
            g.start[b[k] + 1]++;
        }
    for (size_t k = 0; k < nlabels; k++) {
        g.start[labels[k].a + 1]++;
        g.start[labels[k].b + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        g.start[i + 1] += g.start[i];
    size_t nadj = g.start[n];
    g.to = rk_malloc((nadj + 1) * sizeof(uint32_t));
    g.prob = rk_malloc((nadj + 1) * sizeof(float));
    edges = rk_malloc((nedges + 1) * sizeof(edge));
    if (!g.to || !g.prob || !edges) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory clustering %zu records", n);
        goto cleanup;
    }
    memcpy(fill, g.start, (n + 1) * sizeof(uint32_t));
    for (size_t k = 0; k < npairs; k++) {
        uint32_t x = a[k], y = b[k];
        if (!active[x] || !active[y])
            continue;
        g.to[fill[x]] = y, g.prob[fill[x]++] = prob[k];
        g.to[fill[y]] = x, g.prob[fill[y]++] = prob[k];
    }
    for (size_t k = 0; k < nlabels; k++) {
        uint32_t x = labels[k].a, y = labels[k].b;
        float p = labels[k].match ? 1.0f : ADJ_FORBID;
        g.to[fill[x]] = y, g.prob[fill[x]++] = p;
        g.to[fill[y]] = x, g.prob[fill[y]++] = p;
    }
    /* Forced links first: they win over everything the model says. */
    for (size_t k = 0; k < nlabels; k++) {
        if (!labels[k].match)
            continue;
        uint32_t rx = uf_find(&u, labels[k].a), ry = uf_find(&u, labels[k].b);
        if (rx != ry)
            uf_union(&u, rx, ry);
    }
    for (size_t k = 0; k < nlabels; k++)
        if (!labels[k].match && uf_find(&u, labels[k].a) == uf_find(&u, labels[k].b))
            rk_log(ctx, RK_LOG_WARN,
                   "records %u and %u were marked 'not a match' but other decisions link them; "
                   "the links win; review the decisions",
                   labels[k].a, labels[k].b);
    nedges = 0;
    for (size_t k = 0; k < npairs; k++)
        if (prob[k] >= o->threshold)
            edges[nedges++] = (edge){prob[k], a[k], b[k]};
    qsort(edges, nedges, sizeof(edge), edge_cmp);
    uint32_t mark = 0;
    for (size_t k = 0; k < nedges; k++) {
        uint32_t rx = uf_find(&u, edges[k].a), ry = uf_find(&u, edges[k].b);
        if (rx == ry)
            continue;
        uint32_t rs = u.size[rx] <= u.size[ry] ? rx : ry, ro = rs == rx ? ry : rx;
        int why = join_problem(&u, &g, rs, ro, list, o, stamp, ++mark);
        if (why) {
            if (add_review(out_review, &nreview, &capr, edges[k].a, edges[k].b, why) != RK_OK) {
                rc = rk_error_set(ctx, RK_ENOMEM, "out of memory listing pairs for review");
                goto cleanup;
            }
            continue;
        }
        uf_union(&u, rx, ry);
    }
    /* Number clusters by their smallest record. */
    size_t nc = 0;
    for (size_t i = 0; i < n; i++)
        fill[i] = NONE;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = uf_find(&u, (uint32_t)i);
        if (fill[r] == NONE)
            fill[r] = (uint32_t)nc++;
        cluster[i] = fill[r];
    }
    *out_cluster = cluster;
    cluster = NULL;
    *out_nclusters = nc;
    *out_nreview = nreview;
cleanup:
    rk_free(u.parent);
    rk_free(u.size);
    rk_free(u.next);
    rk_free(u.tail);
    rk_free(g.start);
    rk_free(g.to);
    rk_free(g.prob);
    rk_free(active);
    rk_free(fill);
    rk_free(edges);
    rk_free(stamp);
    rk_free(cluster);
    return rc;
}
