/* Clustering of scored pairs into persons: union-find over links taken strongest first, each
 * union checked for contradictions (records that must differ) and weak bridges between groups;
 * refused links go to review. Reviewers' forced links and non-links always win. `reckon link`
 * and the review app's decisions (rk_link__recluster) both cluster here. */
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
typedef struct adj_entry {
    uint32_t to;
    float prob;
    uint32_t scored; /* a scored pair (else a label) */
    uint32_t order;  /* its place in the options: sorts ties the same way every time */
} adj_entry;

typedef struct adj {
    uint32_t *start;
    adj_entry *e; /* each record's sorted by the other record */
} adj;

static int entry_cmp(const void *x, const void *y)
{
    const adj_entry *p = x, *q = y;
    if (p->to != q->to)
        return p->to < q->to ? -1 : 1;
    return (p->order > q->order) - (p->order < q->order);
}

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

static const struct {
    const char *name, *sentence;
} reasons[RK_REVIEW_REASON_COUNT] = {
    [RK_REVIEW_UNCERTAIN] = {"uncertain", "scored in the review band: the model cannot tell"},
    [RK_REVIEW_REVIEWER] = {"reviewer", "scored at or above the threshold but kept apart: a "
                                        "reviewer said two records of the two persons differ"},
    [RK_REVIEW_UNIQUE_LIST] = {"unique_list",
                               "scored at or above the threshold but kept apart: the two persons "
                               "hold records of one list that holds each person once"},
    [RK_REVIEW_CANNOT_LINK] = {"cannot_link",
                               "scored at or above the threshold but kept apart: two records of "
                               "the two persons scored below cannot_link, and the pairs between "
                               "them, taken together, say they differ"},
    [RK_REVIEW_WEAK_BRIDGE] = {"weak_bridge",
                               "scored at or above the threshold but kept apart: the pairs "
                               "between the two persons have a mean probability below "
                               "bridge_min_mean, so this link alone would bridge them"},
};

const char *rk_link_review_reason_name(int reason)
{
    return reason > 0 && reason < RK_REVIEW_REASON_COUNT ? reasons[reason].name : NULL;
}

const char *rk_link_review_reason_sentence(int reason)
{
    return reason > 0 && reason < RK_REVIEW_REASON_COUNT ? reasons[reason].sentence : NULL;
}

/* The scored pairs and labels between records s and t, the adjacency's (both directions,
 * sorted by record) and, for a pair not listed, the options' pair oracle: each calls visit
 * with its probability (ADJ_FORBID for a reviewer's non-match). */
typedef struct between {
    const adj *g;
    const rk_link_cluster_options *o;
} between;

static size_t first_entry(const adj *g, uint32_t s, uint32_t t)
{
    uint32_t lo = g->start[s], hi = g->start[s + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (g->e[mid].to < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The probabilities of the pair (s, t) into out (at most 3: a score and two labels); returns
 * how many. */
static size_t pair_probs(const between *w, uint32_t s, uint32_t t, float out[3])
{
    const adj *g = w->g;
    size_t n = 0;
    bool scored = false;
    for (size_t k = first_entry(g, s, t); k < g->start[s + 1] && g->e[k].to == t && n < 3; k++) {
        out[n++] = g->e[k].prob;
        scored |= g->e[k].scored != 0;
    }
    if (!scored && w->o->pair && n < 3) {
        float p = w->o->pair(w->o->pair_user, RK_MIN(s, t), RK_MAX(s, t));
        if (p >= 0)
            out[n++] = p;
    }
    return n;
}

/* The sum of the capped log-odds (link_evidence) of the compared pairs between the groups of
 * roots rs and ro: below 0, they say the groups differ. */
static double evidence_between(uf *u, const between *w, uint32_t rs, uint32_t ro)
{
    double evidence = 0;
    float p[3];
    for (uint32_t s = rs; s != NONE; s = u->next[s])
        for (uint32_t t = ro; t != NONE; t = u->next[t]) {
            size_t n = pair_probs(w, s, t, p);
            for (size_t k = 0; k < n; k++)
                evidence += link_evidence(p[k]);
        }
    return evidence;
}

/* Why joining roots rs (the smaller) and ro would be wrong: 0 when it is fine, else the reason,
 * with the records that block it and their probability (or the mean) in *why. A reviewer's
 * non-match between the groups always blocks. A pair scored below cannot_link blocks only when
 * the compared pairs between the groups, taken together, say they differ: the sum of their
 * capped log-odds (link_evidence) is below 0. Febrl 3 holds up to 9 typed-over copies of one
 * person, two of which may disagree on nearly everything while both are tied to the others at
 * 0.99-1.0. Pairs are visited member by member (rs's, then ro's, in group order). */
static int join_problem(rk_link_review *why, uf *u, const between *w, uint32_t rs, uint32_t ro,
                        const rk_link_cluster_options *o, uint32_t *stamp, uint32_t mark)
{
    double sum = 0;
    size_t cnt = 0;
    float low = 2.0f, pr[3];
    uint32_t low_a = NONE, low_b = NONE;
    why->by_a = why->by_b = NONE;
    why->value = 0;
    for (uint32_t s = rs; s != NONE; s = u->next[s]) {
        for (uint32_t t = ro; t != NONE; t = u->next[t]) {
            size_t n = pair_probs(w, s, t, pr);
            for (size_t k = 0; k < n; k++) {
                float p = pr[k];
                if (p == ADJ_FORBID) {
                    why->by_a = RK_MIN(s, t), why->by_b = RK_MAX(s, t);
                    why->value = p;
                    return RK_REVIEW_REVIEWER;
                }
                if (p < o->cannot_link_prob && p < low)
                    low = p, low_a = RK_MIN(s, t), low_b = RK_MAX(s, t);
                sum += p;
                cnt++;
            }
        }
    }
    if (low_a != NONE && link_evidence_keeps_apart(evidence_between(u, w, rs, ro))) {
        why->by_a = low_a, why->by_b = low_b;
        why->value = low;
        return RK_REVIEW_CANNOT_LINK;
    }
    const uint32_t *list = o->list;
    if (list && o->list_unique) {
        for (uint32_t t = ro; t != NONE; t = u->next[t])
            if (o->list_unique[list[t]])
                stamp[list[t]] = mark;
        for (uint32_t s = rs; s != NONE; s = u->next[s])
            if (o->list_unique[list[s]] && stamp[list[s]] == mark) {
                for (uint32_t t = ro; t != NONE; t = u->next[t])
                    if (list[t] == list[s]) {
                        why->by_a = RK_MIN(s, t), why->by_b = RK_MAX(s, t);
                        break;
                    }
                return RK_REVIEW_UNIQUE_LIST;
            }
    }
    /* The mean over all the pairs of records of the two groups: a pair never compared (no
       block key in common) counts as half the least mean, so that one link alone does not
       join two groups that nothing else ties together. */
    double all = (double)u->size[rs] * (double)u->size[ro];
    double unseen = 0.5 * o->bridge_min_mean * (all - (double)cnt);
    if (all > 1 && (sum + unseen) / all < o->bridge_min_mean) {
        why->value = (sum + unseen) / all;
        return RK_REVIEW_WEAK_BRIDGE;
    }
    return 0;
}

/* One clustering under way: the union-find, the adjacency its checks read, and the links to
 * take. Every array starts NULL and is freed by clusterer_release. */
typedef struct clusterer {
    rk_ctx *ctx;
    const rk_link_cluster_options *o;
    size_t n;
    uf u;
    adj g;
    uint8_t *active; /* records a link or a forced label may put in a group */
    edge *edges;     /* the scored pairs at or above the threshold */
    size_t nedges;
    uint32_t *stamp; /* per list: the join being checked last saw it */
    uint32_t *fill;
} clusterer;

static void clusterer_release(clusterer *c)
{
    rk_free(c->u.parent);
    rk_free(c->u.size);
    rk_free(c->u.next);
    rk_free(c->u.tail);
    rk_free(c->g.start);
    rk_free(c->g.e);
    rk_free(c->active);
    rk_free(c->edges);
    rk_free(c->stamp);
    rk_free(c->fill);
}

static int nomem(clusterer *c)
{
    return rk_error_set(c->ctx, RK_ENOMEM, "out of memory clustering %zu records", c->n);
}

/* Every record a group of its own. */
static int start_groups(clusterer *c)
{
    size_t n = c->n;
    uint32_t nlists = 0;
    if (c->o->list)
        for (size_t i = 0; i < n; i++)
            nlists = RK_MAX(nlists, c->o->list[i] + 1);
    c->u.parent = rk_malloc((n + 1) * sizeof(uint32_t));
    c->u.size = rk_malloc((n + 1) * sizeof(uint32_t));
    c->u.next = rk_malloc((n + 1) * sizeof(uint32_t));
    c->u.tail = rk_malloc((n + 1) * sizeof(uint32_t));
    c->active = rk_calloc(n + 1, 1);
    c->fill = rk_malloc((n + 1) * sizeof(uint32_t));
    c->stamp = rk_calloc(nlists + 1, sizeof(uint32_t));
    if (!c->u.parent || !c->u.size || !c->u.next || !c->u.tail || !c->active || !c->fill ||
        !c->stamp)
        return nomem(c);
    for (size_t i = 0; i < n; i++) {
        c->u.parent[i] = (uint32_t)i;
        c->u.size[i] = 1;
        c->u.next[i] = NONE;
        c->u.tail[i] = (uint32_t)i;
    }
    return RK_OK;
}

/* Checks that pairs and labels name records that exist, marks the records a link or a forced
 * label may put in a group (only pairs between two of them are ever checked when groups
 * join), and counts the links to take. */
static int mark_active(clusterer *c)
{
    const rk_link_cluster_options *o = c->o;
    size_t n = c->n;
    for (size_t k = 0; k < o->npairs; k++) {
        if (o->a[k] >= n || o->b[k] >= n)
            return rk_error_set(c->ctx, RK_EINTERNAL, "pair %zu names a record past %zu", k, n);
        if (o->prob[k] >= o->threshold) {
            c->active[o->a[k]] = c->active[o->b[k]] = 1;
            c->nedges++;
        }
    }
    for (size_t k = 0; k < o->nlabels; k++) {
        const rk_link_label *l = &o->labels[k];
        if (l->a >= n || l->b >= n)
            return rk_error_set(c->ctx, RK_EINPUT, "decision %zu names record %u past %zu", k,
                                RK_MAX(l->a, l->b), n);
        if (l->match)
            c->active[l->a] = c->active[l->b] = 1;
    }
    return RK_OK;
}

/* The adjacency the checks read: scored pairs between active records and every label, both
 * directions; a non-link as ADJ_FORBID. */
static int build_adjacency(clusterer *c)
{
    const rk_link_cluster_options *o = c->o;
    size_t n = c->n;
    adj *g = &c->g;
    if (!(g->start = rk_calloc(n + 2, sizeof(uint32_t))))
        return nomem(c);
    for (size_t k = 0; k < o->npairs; k++)
        if (c->active[o->a[k]] && c->active[o->b[k]]) {
            g->start[o->a[k] + 1]++;
            g->start[o->b[k] + 1]++;
        }
    for (size_t k = 0; k < o->nlabels; k++) {
        g->start[o->labels[k].a + 1]++;
        g->start[o->labels[k].b + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        g->start[i + 1] += g->start[i];
    size_t nadj = g->start[n];
    if (!(g->e = rk_malloc((nadj + 1) * sizeof(adj_entry))))
        return nomem(c);
    uint32_t *fill = c->fill;
    memcpy(fill, g->start, (n + 1) * sizeof(uint32_t));
    for (size_t k = 0; k < o->npairs; k++) {
        uint32_t x = o->a[k], y = o->b[k];
        if (!c->active[x] || !c->active[y])
            continue;
        g->e[fill[x]++] = (adj_entry){y, o->prob[k], 1, (uint32_t)k};
        g->e[fill[y]++] = (adj_entry){x, o->prob[k], 1, (uint32_t)k};
    }
    for (size_t k = 0; k < o->nlabels; k++) {
        uint32_t x = o->labels[k].a, y = o->labels[k].b;
        float p = o->labels[k].match ? 1.0f : ADJ_FORBID;
        uint32_t order = (uint32_t)(o->npairs + k);
        g->e[fill[x]++] = (adj_entry){y, p, 0, order};
        g->e[fill[y]++] = (adj_entry){x, p, 0, order};
    }
    for (size_t i = 0; i < n; i++)
        if (g->start[i + 1] - g->start[i] > 1)
            qsort(g->e + g->start[i], g->start[i + 1] - g->start[i], sizeof(adj_entry), entry_cmp);
    return RK_OK;
}

/* Reviewers' forced links first: they win over everything the model says, and over a
 * reviewer's non-link they contradict (which is logged). */
static void force_links(clusterer *c)
{
    const rk_link_cluster_options *o = c->o;
    for (size_t k = 0; k < o->nlabels; k++) {
        if (!o->labels[k].match)
            continue;
        uint32_t rx = uf_find(&c->u, o->labels[k].a), ry = uf_find(&c->u, o->labels[k].b);
        if (rx != ry)
            uf_union(&c->u, rx, ry);
    }
    for (size_t k = 0; k < o->nlabels; k++)
        if (!o->labels[k].match && uf_find(&c->u, o->labels[k].a) == uf_find(&c->u, o->labels[k].b))
            rk_log(c->ctx, RK_LOG_WARN,
                   "records %u and %u were marked 'not a match' but other decisions link them; "
                   "the links win; review the decisions",
                   o->labels[k].a, o->labels[k].b);
}

/* The model's links, strongest first, each joining two groups unless join_problem says why
 * not; a refused link is appended to out's review list. */
static int take_links(clusterer *c, rk_link_clusters *out)
{
    const rk_link_cluster_options *o = c->o;
    if (!(c->edges = rk_malloc((c->nedges + 1) * sizeof(edge))))
        return nomem(c);
    size_t ne = 0;
    for (size_t k = 0; k < o->npairs; k++)
        if (o->prob[k] >= o->threshold)
            c->edges[ne++] = (edge){o->prob[k], o->a[k], o->b[k]};
    assert(ne == c->nedges);
    qsort(c->edges, ne, sizeof(edge), edge_cmp);
    size_t capr = out->nreview;
    uint32_t mark = 0;
    for (size_t k = 0; k < ne; k++) {
        if ((k & 0xffff) == 0)
            rk_progress(c->ctx, "joining pairs", k, ne);
        const edge *e = &c->edges[k];
        uint32_t rx = uf_find(&c->u, e->a), ry = uf_find(&c->u, e->b);
        if (rx == ry)
            continue;
        uint32_t rs = c->u.size[rx] <= c->u.size[ry] ? rx : ry, ro = rs == rx ? ry : rx;
        rk_link_review why = {RK_MIN(e->a, e->b), RK_MAX(e->a, e->b), 0, NONE, NONE, 0};
        between w = {&c->g, o};
        if (!(why.reason = join_problem(&why, &c->u, &w, rs, ro, o, c->stamp, ++mark))) {
            uf_union(&c->u, rx, ry);
            continue;
        }
        if (rk_grow((void **)&out->review, &capr, out->nreview + 1, sizeof(*out->review)) != RK_OK)
            return rk_error_set(c->ctx, RK_ENOMEM, "out of memory listing pairs for review");
        out->review[out->nreview++] = why;
    }
    if (ne) /* the stage's end, when it began */
        rk_progress(c->ctx, "joining pairs", ne, ne);
    return RK_OK;
}

/* Numbers the groups by their smallest record. */
static int number_clusters(clusterer *c, rk_link_clusters *out)
{
    uint32_t *cluster = rk_malloc((c->n + 1) * sizeof(uint32_t));
    if (!cluster)
        return nomem(c);
    size_t nc = 0;
    for (size_t i = 0; i < c->n; i++)
        c->fill[i] = NONE;
    for (size_t i = 0; i < c->n; i++) {
        uint32_t r = uf_find(&c->u, (uint32_t)i);
        if (c->fill[r] == NONE)
            c->fill[r] = (uint32_t)nc++;
        cluster[i] = c->fill[r];
    }
    out->cluster = cluster;
    out->nclusters = nc;
    return RK_OK;
}

int rk_link_cluster(rk_link_clusters *out, rk_ctx *ctx, const rk_link_cluster_options *opts)
{
    RK_ASSERT_ARG(ctx, out && opts && opts->version == RK_LINK_CLUSTER_OPTIONS_VERSION);
    RK_ASSERT_ARG(ctx, opts->npairs == 0 || (opts->a && opts->b && opts->prob));
    RK_ASSERT_ARG(ctx, opts->nlabels == 0 || opts->labels);
    out->cluster = NULL;
    out->nclusters = 0;
    clusterer c = {.ctx = ctx, .o = opts, .n = opts->nrecords};
    rk_progress(ctx, "clustering steps", 0, 5);
    int rc = start_groups(&c);
    rk_progress(ctx, "clustering steps", 1, 5);
    if (rc == RK_OK)
        rc = mark_active(&c);
    rk_progress(ctx, "clustering steps", 2, 5);
    if (rc == RK_OK)
        rc = build_adjacency(&c);
    rk_progress(ctx, "clustering steps", 3, 5);
    if (rc == RK_OK) {
        force_links(&c);
        rc = take_links(&c, out);
    }
    rk_progress(ctx, "clustering steps", 4, 5);
    if (rc == RK_OK)
        rc = number_clusters(&c, out);
    rk_progress(ctx, "clustering steps", 5, 5);
    clusterer_release(&c);
    return rc;
}
