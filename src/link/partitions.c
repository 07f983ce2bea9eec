/* Draws of the partition of records into persons from the link model's posterior, on arrays:
 * records joined by reviewers' matches become atoms, the stored pairs cut the atoms into
 * independent components, and each component is drawn on its own, exactly by enumerating its
 * partitions when it is small, by a Markov chain (partitions_chain.c) when it is not
 * (docs/linkage.md, "Drawing partitions"). project_draws.c gives them a stored run. */
#include "partitions_private.h"

#include <math.h>
#include <omp.h>

static double log_odds(double p)
{
    p = p < 1e-6 ? 1e-6 : p > 1 - 1e-6 ? 1 - 1e-6 : p;
    return log(p / (1 - p));
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_join(uint32_t *parent, uint32_t x, uint32_t y)
{
    x = uf_find(parent, x), y = uf_find(parent, y);
    if (x != y)
        parent[RK_MAX(x, y)] = RK_MIN(x, y);
}

static void drawer_release(drawer *d)
{
    rk_free(d->atom_of);
    rk_free(d->rec_start);
    rk_free(d->rec);
    rk_free(d->comp_start);
    rk_free(d->comp_order);
    rk_free(d->ustart);
    rk_free(d->ulist);
    rk_free(d->adj_start);
    rk_free(d->adj_to);
    rk_free(d->adj_e);
    rk_free(d->adj_flag);
    rk_free(d->cl);
    rk_free(d->cnext);
    rk_free(d->cprev);
    rk_free(d->chead);
    rk_free(d->ccount);
    rk_free(d->crec);
    rk_free(d->ucount);
    rk_free(d->freeslot);
    rk_free(d->cstamp);
    rk_free(d->astamp);
    rk_free(d->acc);
    rk_free(d->aflag);
    rk_free(d->touched);
    rk_free(d->queue);
    rk_free(d->side);
    rk_free(d->clabel);
    rk_free(d->sortkey);
    rk_free(d->targets);
}

static int nomem(drawer *d)
{
    return rk_error_set(d->ctx, RK_ENOMEM, "out of memory drawing partitions of %zu records", d->n);
}

/* Atoms: the records reviewers' matches join (union-find), numbered by their smallest record;
 * then components: the atoms stored pairs connect. Atoms are renumbered component by component
 * (components in the order of their smallest record, atoms in that order within each), so
 * that the atoms of component c are [comp_start[c], comp_start[c + 1]). */
static int find_components(drawer *d)
{
    const rk_link_cluster_options *g = d->g;
    size_t n = d->n;
    uint32_t *parent = rk_malloc((n + 1) * sizeof(uint32_t));
    uint32_t *atom = rk_malloc((n + 1) * sizeof(uint32_t));
    uint32_t *comp = rk_malloc((n + 1) * sizeof(uint32_t));
    d->atom_of = rk_malloc((n + 1) * sizeof(uint32_t));
    d->comp_start = rk_malloc((n + 2) * sizeof(uint32_t));
    int rc = RK_OK;
    if (!parent || !atom || !comp || !d->atom_of || !d->comp_start) {
        rc = nomem(d);
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    for (size_t k = 0; k < g->nlabels; k++)
        if (g->labels[k].match)
            uf_join(parent, g->labels[k].a, g->labels[k].b);
    /* The roots are the smallest records: atoms are numbered in the order of their roots. */
    size_t natoms = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = uf_find(parent, (uint32_t)i);
        atom[i] = r == i ? (uint32_t)natoms++ : atom[r];
    }
    for (size_t a = 0; a < natoms; a++)
        parent[a] = (uint32_t)a;
    for (size_t k = 0; k < g->npairs; k++)
        uf_join(parent, atom[g->a[k]], atom[g->b[k]]);
    size_t ncomp = 0;
    for (size_t a = 0; a < natoms; a++) {
        uint32_t r = uf_find(parent, (uint32_t)a);
        comp[a] = r == a ? (uint32_t)ncomp++ : comp[r];
    }
    /* Counting sort of the atoms by component, stable. */
    memset(d->comp_start, 0, (ncomp + 2) * sizeof(uint32_t));
    for (size_t a = 0; a < natoms; a++)
        d->comp_start[comp[a] + 1]++;
    for (size_t c = 0; c < ncomp; c++)
        d->comp_start[c + 1] += d->comp_start[c];
    uint32_t *fill = parent; /* parent is free again: the next free place of each component */
    memcpy(fill, d->comp_start, ncomp * sizeof(uint32_t));
    for (size_t a = 0; a < natoms; a++)
        comp[a] = fill[comp[a]]++; /* comp[a] is now the atom's new number */
    for (size_t i = 0; i < n; i++)
        d->atom_of[i] = comp[atom[i]];
    d->natoms = natoms;
    d->ncomp = ncomp;
cleanup:
    rk_free(parent);
    rk_free(atom);
    rk_free(comp);
    return rc;
}

/* Per atom its records, ascending (rec[rec_start[a] .. rec_start[a + 1]]); per atom the
 * unique lists its records belong to (ulist[ustart[a] .. ustart[a + 1]], as indexes among
 * the unique lists). */
static int index_atoms(drawer *d)
{
    const rk_link_cluster_options *g = d->g;
    size_t n = d->n, na = d->natoms;
    d->rec_start = rk_calloc(na + 2, sizeof(uint32_t));
    d->rec = rk_malloc((n + 1) * sizeof(uint32_t));
    d->ustart = rk_calloc(na + 2, sizeof(uint32_t));
    if (!d->rec_start || !d->rec || !d->ustart)
        return nomem(d);
    for (size_t i = 0; i < n; i++)
        d->rec_start[d->atom_of[i] + 1]++;
    for (size_t a = 0; a < na; a++)
        d->rec_start[a + 1] += d->rec_start[a];
    for (size_t i = 0; i < n; i++) /* records ascending; rec_start[a] ends at its end */
        d->rec[d->rec_start[d->atom_of[i]]++] = (uint32_t)i;
    for (size_t a = na; a > 0; a--)
        d->rec_start[a] = d->rec_start[a - 1];
    d->rec_start[0] = 0;

    uint32_t nlists = 0;
    if (g->list && g->list_unique)
        for (size_t i = 0; i < n; i++)
            nlists = RK_MAX(nlists, g->list[i] + 1);
    uint32_t *uidx = rk_malloc((nlists + 1) * sizeof(uint32_t));
    if (!uidx)
        return nomem(d);
    d->nu = 0;
    for (uint32_t l = 0; l < nlists; l++)
        uidx[l] = g->list_unique[l] ? (uint32_t)d->nu++ : NONE;
    int rc = RK_OK;
    size_t used = 0, cap = 0;
    for (size_t a = 0; a < na && rc == RK_OK; a++) {
        size_t first = used; /* an atom names each of its unique lists once */
        for (uint32_t k = d->rec_start[a]; k < d->rec_start[a + 1] && d->nu; k++) {
            uint32_t u = uidx[g->list[d->rec[k]]];
            bool seen = u == NONE;
            for (size_t t = first; t < used && !seen; t++)
                seen = d->ulist[t] == u;
            if (seen)
                continue;
            if (rk_grow((void **)&d->ulist, &cap, used + 1, sizeof(*d->ulist)) != RK_OK) {
                rc = nomem(d);
                break;
            }
            d->ulist[used++] = u;
        }
        d->ustart[a + 1] = (uint32_t)used;
    }
    rk_free(uidx);
    return rc;
}

typedef struct atom_edge {
    uint32_t a, b; /* atoms, a < b */
    double e;
    uint8_t flag;
} atom_edge;

static int atom_edge_cmp(const void *x, const void *y)
{
    const atom_edge *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* The component of an atom (binary search over comp_start). */
static size_t component_of(const drawer *d, uint32_t a)
{
    size_t lo = 0, hi = d->ncomp;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->comp_start[mid] <= a)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The adjacency of atoms, both directions: per pair of atoms the sum over its stored pairs of
 * log odds(p) - log odds(floor) (DRAW_LINK), and whether a reviewer's non-match lies between
 * them (DRAW_FORBID); non-matches between components are dropped (never one person). */
static int build_adjacency(drawer *d)
{
    const rk_link_cluster_options *g = d->g;
    size_t ne = 0, na = d->natoms;
    atom_edge *edges = rk_malloc((g->npairs + g->nlabels + 1) * sizeof(atom_edge));
    d->adj_start = rk_calloc(na + 2, sizeof(uint32_t));
    if (!edges || !d->adj_start) {
        rk_free(edges);
        return nomem(d);
    }
    for (size_t k = 0; k < g->npairs; k++) {
        uint32_t x = d->atom_of[g->a[k]], y = d->atom_of[g->b[k]];
        if (x != y)
            edges[ne++] =
                (atom_edge){RK_MIN(x, y), RK_MAX(x, y), log_odds(g->prob[k]) - d->lf, DRAW_LINK};
    }
    for (size_t k = 0; k < g->nlabels; k++) {
        uint32_t x = d->atom_of[g->labels[k].a], y = d->atom_of[g->labels[k].b];
        if (!g->labels[k].match && x != y && component_of(d, x) == component_of(d, y))
            edges[ne++] = (atom_edge){RK_MIN(x, y), RK_MAX(x, y), 0, DRAW_FORBID};
    }
    if (ne > 1)
        qsort(edges, ne, sizeof(atom_edge), atom_edge_cmp);
    size_t nm = 0; /* merge the entries of one pair of atoms */
    for (size_t k = 0; k < ne; k++) {
        if (nm && edges[nm - 1].a == edges[k].a && edges[nm - 1].b == edges[k].b) {
            edges[nm - 1].e += edges[k].e;
            edges[nm - 1].flag |= edges[k].flag;
        } else {
            edges[nm++] = edges[k];
        }
    }
    d->adj_to = rk_malloc((2 * nm + 1) * sizeof(uint32_t));
    d->adj_e = rk_malloc((2 * nm + 1) * sizeof(double));
    d->adj_flag = rk_malloc((2 * nm + 1) * sizeof(uint8_t));
    uint32_t *fill = rk_malloc((na + 1) * sizeof(uint32_t));
    int rc = RK_OK;
    if (!d->adj_to || !d->adj_e || !d->adj_flag || !fill) {
        rc = nomem(d);
        goto cleanup;
    }
    for (size_t k = 0; k < nm; k++) {
        d->adj_start[edges[k].a + 1]++;
        d->adj_start[edges[k].b + 1]++;
    }
    for (size_t a = 0; a < na; a++)
        d->adj_start[a + 1] += d->adj_start[a];
    memcpy(fill, d->adj_start, na * sizeof(uint32_t));
    for (size_t k = 0; k < nm; k++) {
        const atom_edge *e = &edges[k];
        uint32_t s = fill[e->a]++, t = fill[e->b]++;
        d->adj_to[s] = e->b, d->adj_e[s] = e->e, d->adj_flag[s] = e->flag;
        d->adj_to[t] = e->a, d->adj_e[t] = e->e, d->adj_flag[t] = e->flag;
    }
cleanup:
    rk_free(edges);
    rk_free(fill);
    return rc;
}

/* The sampler's state and scratch, by atom and by cluster slot (a component's slots are its
 * atoms' numbers, so components never share one), and per thread the targets of exact draws;
 * the components in decreasing size, for the threads' balance. */
static int alloc_state(drawer *d, int nthreads)
{
    size_t na = d->natoms + 1;
    d->cl = rk_malloc(na * sizeof(uint32_t));
    d->cnext = rk_malloc(na * sizeof(uint32_t));
    d->cprev = rk_malloc(na * sizeof(uint32_t));
    d->chead = rk_malloc(na * sizeof(uint32_t));
    d->ccount = rk_malloc(na * sizeof(uint32_t));
    d->crec = rk_malloc(na * sizeof(uint32_t));
    d->ucount = rk_calloc(na * (d->nu ? d->nu : 1), sizeof(uint32_t));
    d->freeslot = rk_malloc(na * sizeof(uint32_t));
    d->cstamp = rk_calloc(na, sizeof(uint32_t));
    d->astamp = rk_calloc(na, sizeof(uint32_t));
    d->acc = rk_malloc(na * sizeof(double));
    d->aflag = rk_malloc(na * sizeof(uint8_t));
    d->touched = rk_malloc(na * sizeof(uint32_t));
    d->queue = rk_malloc(na * sizeof(uint32_t));
    d->side = rk_calloc(na, sizeof(uint8_t));
    d->clabel = rk_malloc(na * sizeof(int64_t));
    d->sortkey = rk_malloc(na * sizeof(uint64_t));
    d->comp_order = rk_malloc((d->ncomp + 1) * sizeof(uint32_t));
    d->targets = rk_malloc(((size_t)nthreads * d->o->k + 1) * sizeof(draw_target));
    if (!d->cl || !d->cnext || !d->cprev || !d->chead || !d->ccount || !d->crec || !d->ucount ||
        !d->freeslot || !d->cstamp || !d->astamp || !d->acc || !d->aflag || !d->touched ||
        !d->queue || !d->side || !d->clabel || !d->sortkey || !d->comp_order || !d->targets)
        return nomem(d);
    for (size_t c = 0; c < d->ncomp; c++)
        d->sortkey[c] = ((uint64_t)(UINT32_MAX - (d->comp_start[c + 1] - d->comp_start[c])) << 32) |
                        (uint64_t)c;
    if (d->ncomp > 1)
        qsort(d->sortkey, d->ncomp, sizeof(uint64_t), draw_u64_cmp);
    for (size_t c = 0; c < d->ncomp; c++)
        d->comp_order[c] = (uint32_t)d->sortkey[c];
    return RK_OK;
}

int draw_u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* ---- exact draws: every partition of a small component, enumerated twice ---- */

typedef struct enumer {
    const drawer *d;
    uint32_t c0;
    size_t m;
    double w[LINK_DRAW_EXACT_LIMIT]
            [LINK_DRAW_EXACT_LIMIT];       /* log weight of two atoms in one person */
    uint32_t conf[LINK_DRAW_EXACT_LIMIT];  /* atoms that may not share its person */
    uint32_t link[LINK_DRAW_EXACT_LIMIT];  /* atoms a stored pair ties it to */
    uint8_t rgs[LINK_DRAW_EXACT_LIMIT];    /* the person of each atom, a restricted
                                         growth string */
    uint32_t block[LINK_DRAW_EXACT_LIMIT]; /* the atoms of each person */
    size_t nb;
    bool pass2;
    bool any;
    double max, sum, cum;   /* pass 1: max and sum of weights / exp(max); pass 2: the sum so far */
    const draw_target *tgt; /* pass 2: the draws' targets, ascending */
    size_t next, k;
    int64_t *out;
    uint8_t last[LINK_DRAW_EXACT_LIMIT]; /* the last partition of positive weight met */
} enumer;

/* Is every person of the partition tied together by stored pairs? */
static bool blocks_connected(const enumer *e)
{
    for (size_t b = 0; b < e->nb; b++) {
        uint32_t all = e->block[b], reach = all & (~all + 1u), prev = 0;
        while (reach != prev) {
            prev = reach;
            for (size_t t = 0; t < e->m; t++)
                if (reach & (1u << t))
                    reach |= e->link[t] & all;
        }
        if (reach != all)
            return false;
    }
    return true;
}

static void write_partition(const enumer *e, const uint8_t *rgs, size_t draw)
{
    const drawer *d = e->d;
    int64_t label[LINK_DRAW_EXACT_LIMIT];
    size_t nb = 0;
    for (size_t t = 0; t < e->m; t++) /* a person's first atom holds its smallest record */
        if (rgs[t] == nb)
            label[nb++] = draw_label(d, d->rec[d->rec_start[e->c0 + t]]);
    for (size_t t = 0; t < e->m; t++)
        for (uint32_t k = d->rec_start[e->c0 + t]; k < d->rec_start[e->c0 + t + 1]; k++)
            e->out[draw * d->n + d->rec[k]] = label[rgs[t]];
}

static void leaf(enumer *e, double lw)
{
    if (!blocks_connected(e))
        return;
    if (!e->pass2) {
        if (!e->any || lw > e->max) {
            e->sum = e->any ? e->sum * exp(e->max - lw) + 1 : 1;
            e->max = lw;
            e->any = true;
        } else {
            e->sum += exp(lw - e->max);
        }
        return;
    }
    e->cum += exp(lw - e->max);
    memcpy(e->last, e->rgs, e->m);
    while (e->next < e->k && e->tgt[e->next].target < e->cum)
        write_partition(e, e->rgs, e->tgt[e->next++].draw);
}

/* Places atom t in each person that may take it, then in a person of its own. */
static void enumerate(enumer *e, size_t t, double lw)
{
    if (t == e->m) {
        leaf(e, lw);
        return;
    }
    for (size_t b = 0; b < e->nb; b++) {
        uint32_t members = e->block[b];
        if (members & e->conf[t])
            continue;
        double add = 0;
        for (size_t u = 0; u < t; u++)
            if (members & (1u << u))
                add += e->w[t][u];
        e->rgs[t] = (uint8_t)b;
        e->block[b] |= 1u << t;
        enumerate(e, t + 1, lw + add);
        e->block[b] = members;
    }
    e->rgs[t] = (uint8_t)e->nb;
    e->block[e->nb++] = 1u << t;
    enumerate(e, t + 1, lw);
    e->nb--;
}

static int target_cmp(const void *x, const void *y)
{
    const draw_target *p = x, *q = y;
    if (p->target != q->target)
        return p->target < q->target ? -1 : 1;
    return (p->draw > q->draw) - (p->draw < q->draw);
}

static void draw_exact(const drawer *d, uint32_t c0, size_t m, rk_rng *rng, draw_target *tgt,
                       int64_t *out)
{
    enumer e = {.d = d, .c0 = c0, .m = m, .k = d->o->k, .out = out};
    for (size_t t = 0; t < m; t++) {
        uint32_t a = c0 + (uint32_t)t;
        double st = d->rec_start[a + 1] - d->rec_start[a];
        for (size_t u = 0; u < m; u++) {
            uint32_t b = c0 + (uint32_t)u;
            e.w[t][u] = d->lf * st * (double)(d->rec_start[b + 1] - d->rec_start[b]);
            for (uint32_t i = d->ustart[a]; i < d->ustart[a + 1] && u != t; i++)
                for (uint32_t j = d->ustart[b]; j < d->ustart[b + 1]; j++)
                    if (d->ulist[i] == d->ulist[j])
                        e.conf[t] |= 1u << u;
        }
        for (uint32_t k = d->adj_start[a]; k < d->adj_start[a + 1]; k++) {
            uint32_t u = d->adj_to[k] - c0;
            e.w[t][u] += d->adj_e[k];
            if (d->adj_flag[k] & DRAW_FORBID)
                e.conf[t] |= 1u << u;
            if (d->adj_flag[k] & DRAW_LINK)
                e.link[t] |= 1u << u;
        }
    }
    enumerate(&e, 0, 0);
    /* Every atom alone is always a partition of positive weight: e.any holds. */
    for (size_t k = 0; k < e.k; k++)
        tgt[k] = (draw_target){rk_rng_uniform(rng) * e.sum, (uint32_t)k};
    if (e.k > 1)
        qsort(tgt, e.k, sizeof(draw_target), target_cmp);
    e.pass2 = true;
    e.tgt = tgt;
    enumerate(&e, 0, 0);
    while (e.next < e.k) /* a target past the sum by rounding */
        write_partition(&e, e.last, tgt[e.next++].draw);
}

/* ---- the whole draw ---- */

static void draw_component(drawer *d, size_t c, draw_target *tgt, int64_t *out)
{
    uint32_t c0 = d->comp_start[c], c1 = d->comp_start[c + 1];
    size_t m = c1 - c0;
    uint32_t r0 = d->rec[d->rec_start[c0]]; /* the component's smallest record */
    if (m == 1) {
        int64_t label = draw_label(d, r0);
        for (size_t draw = 0; draw < d->o->k; draw++)
            for (uint32_t k = d->rec_start[c0]; k < d->rec_start[c1]; k++)
                out[draw * d->n + d->rec[k]] = label;
        return;
    }
    /* Each component has its own stream, from the seed and its smallest record: the draws
       do not depend on the threads, nor on the order the components are drawn in. */
    uint64_t key[2] = {d->o->seed, (uint64_t)draw_label(d, r0)};
    rk_rng rng;
    rk_rng_seed(&rng, rk_hash64(key, sizeof(key), 0x64726177u));
    if (m <= d->o->exact_max)
        draw_exact(d, c0, m, &rng, tgt, out);
    else
        draw_chain(d, c0, c1, &rng, out);
}

int link_draw_partitions(int64_t *out, rk_ctx *ctx, const rk_link_cluster_options *g,
                         const link_draw_options *o)
{
    RK_ASSERT_ARG(ctx, out && g && o && g->version == RK_LINK_CLUSTER_OPTIONS_VERSION);
    RK_ASSERT_ARG(ctx, g->npairs == 0 || (g->a && g->b && g->prob));
    RK_ASSERT_ARG(ctx, g->nlabels == 0 || g->labels);
    RK_ASSERT_ARG(ctx, o->exact_max <= LINK_DRAW_EXACT_LIMIT && o->thin > 0);
    RK_ASSERT_ARG(ctx, o->floor >= 0 && o->floor < 1);
    if (g->nrecords >= UINT32_MAX)
        return rk_error_set(ctx, RK_EINPUT, "%zu records are too many to draw partitions of",
                            g->nrecords);
    for (size_t k = 0; k < g->npairs; k++)
        if (g->a[k] >= g->nrecords || g->b[k] >= g->nrecords)
            return rk_error_set(ctx, RK_EINTERNAL, "pair %zu names a record past %zu", k,
                                g->nrecords);
    for (size_t k = 0; k < g->nlabels; k++)
        if (g->labels[k].a >= g->nrecords || g->labels[k].b >= g->nrecords)
            return rk_error_set(ctx, RK_EINPUT, "decision %zu names a record past %zu", k,
                                g->nrecords);
    if (o->k == 0)
        return RK_OK;
    drawer d = {.ctx = ctx, .g = g, .o = o, .n = g->nrecords, .lf = log_odds(o->floor)};
    int nthreads = omp_get_max_threads();
    int rc = find_components(&d);
    if (rc == RK_OK)
        rc = index_atoms(&d);
    if (rc == RK_OK)
        rc = build_adjacency(&d);
    if (rc == RK_OK)
        rc = alloc_state(&d, nthreads);
    if (rc != RK_OK)
        goto cleanup;
#pragma omp parallel
    {
        draw_target *tgt = d.targets + (size_t)omp_get_thread_num() * o->k;
#pragma omp for schedule(dynamic, 16)
        for (size_t q = 0; q < d.ncomp; q++) {
            draw_component(&d, d.comp_order[q], tgt, out);
            if ((q & 0xf) == 0 && omp_get_thread_num() == 0) /* chunks go out in order */
                rk_progress(ctx, "drawing components", q, d.ncomp);
        }
    }
    rk_progress(ctx, "drawing components", d.ncomp, d.ncomp);
cleanup:
    drawer_release(&d);
    return rc;
}
