/* Comparing the blocked pairs as a stream (docs/linkage.md, "Pairs at scale"): each pair a
 * block compares is compared once, its comparison vector counted for EM, and the pair kept
 * only as asked: every pair, or those a model scores at or above a floor. Blocks are taken in fixed
 * chunks, each chunk's kept pairs in its own buffer, and the buffers joined in block order, so the
 * pairs and the counts do not depend on the number of threads. */
#include "link_private.h"
#include "mpi.h"

#include <omp.h>

/* Blocks per chunk: each chunk's kept pairs are one buffer. */
#define CHUNK_BLOCKS 256

/* The fixed point of the sums of 2^tf of dropped pairs: tf weights below -ODDS_BITS bits add
 * nothing (their odds are below 2^-48 of the pattern's). */
#define ODDS_BITS 48

/* A comparison vector's counts in one thread's table; pattern LINK_HIST_EMPTY marks a free
 * slot (no pattern has its top bits set: 15 fields use 60 bits). */
#define LINK_HIST_EMPTY UINT64_MAX
typedef struct slot {
    uint64_t pattern;
    uint64_t within, across, labelled, dropped[2];
    double tf_max[2];
    link_u128 odds[2];
    double keep_weight[2]; /* the vector's weight under each model a pass keeps by */
    bool weighed;          /* keep_weight is set */
} slot;

typedef struct table {
    slot *s;
    size_t cap, n; /* cap a power of two */
} table;

static size_t slot_of(const table *t, uint64_t pattern)
{
    size_t mask = t->cap - 1, h = (size_t)((pattern * 0x9e3779b97f4a7c15ULL) >> 20) & mask;
    while (t->s[h].pattern != pattern && t->s[h].pattern != LINK_HIST_EMPTY)
        h = (h + 1) & mask;
    return h;
}

static void slot_clear(slot *s)
{
    memset(s, 0, sizeof(*s));
    s->pattern = LINK_HIST_EMPTY;
    s->tf_max[0] = s->tf_max[1] = -HUGE_VAL;
}

static int table_grow(table *t)
{
    size_t cap = t->cap ? 2 * t->cap : 1024;
    slot *s = rk_malloc(cap * sizeof(slot));
    if (!s)
        return RK_ENOMEM;
    for (size_t i = 0; i < cap; i++)
        slot_clear(&s[i]);
    table old = *t;
    t->s = s, t->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.s[i].pattern != LINK_HIST_EMPTY)
            t->s[slot_of(t, old.s[i].pattern)] = old.s[i];
    rk_free(old.s);
    return RK_OK;
}

/* The slot of pattern, added when new; NULL when out of memory. */
static slot *table_get(table *t, uint64_t pattern)
{
    if (2 * (t->n + 1) > t->cap && table_grow(t) != RK_OK)
        return NULL;
    size_t h = slot_of(t, pattern);
    if (t->s[h].pattern == LINK_HIST_EMPTY) {
        t->s[h].pattern = pattern;
        t->n++;
    }
    return &t->s[h];
}

/* One chunk's kept pairs. */
typedef struct kept {
    uint32_t *a, *b;
    uint64_t *pattern;
    double *tf;
    size_t n, cap;
} kept;

static void kept_free(kept *k)
{
    rk_free(k->a);
    rk_free(k->b);
    rk_free(k->pattern);
    rk_free(k->tf);
    memset(k, 0, sizeof(*k));
}

static int kept_push(kept *k, uint32_t a, uint32_t b, uint64_t pattern, double tf)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 256;
        uint32_t *na = rk_realloc(k->a, cap * sizeof(uint32_t));
        if (na)
            k->a = na;
        uint32_t *nb = rk_realloc(k->b, cap * sizeof(uint32_t));
        if (nb)
            k->b = nb;
        uint64_t *np = rk_realloc(k->pattern, cap * sizeof(uint64_t));
        if (np)
            k->pattern = np;
        double *nt = rk_realloc(k->tf, cap * sizeof(double));
        if (nt)
            k->tf = nt;
        if (!na || !nb || !np || !nt)
            return RK_ENOMEM;
        k->cap = cap;
    }
    k->a[k->n] = a, k->b[k->n] = b, k->pattern[k->n] = pattern, k->tf[k->n] = tf;
    k->n++;
    return RK_OK;
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return (p > q) - (p < q);
}

static int slot_cmp(const void *x, const void *y)
{
    return u64_cmp(&((const slot *)x)->pattern, &((const slot *)y)->pattern);
}

void link_hist_free(link_hist *h)
{
    rk_free(h->pattern);
    rk_free(h->within);
    rk_free(h->across);
    rk_free(h->labelled);
    for (int k = 0; k < 2; k++) {
        rk_free(h->dropped[k]);
        rk_free(h->tf_max[k]);
        rk_free(h->odds[k]);
    }
    memset(h, 0, sizeof(*h));
}

/* The threads' tables as one histogram, sorted by pattern (integer counts and sums: the same
 * whatever the threads). */
static int merge_tables(link_hist *h, table *t, int nt)
{
    size_t total = 0;
    for (int k = 0; k < nt; k++)
        total += t[k].n;
    slot *all = rk_malloc((total + 1) * sizeof(slot));
    if (!all)
        return RK_ENOMEM;
    size_t n = 0;
    for (int k = 0; k < nt; k++)
        for (size_t i = 0; i < t[k].cap; i++)
            if (t[k].s[i].pattern != LINK_HIST_EMPTY)
                all[n++] = t[k].s[i];
    if (n > 1)
        qsort(all, n, sizeof(slot), slot_cmp);
    memset(h, 0, sizeof(*h));
    h->pattern = rk_malloc((n + 1) * sizeof(uint64_t));
    h->within = rk_calloc(n + 1, sizeof(uint64_t));
    h->across = rk_calloc(n + 1, sizeof(uint64_t));
    h->labelled = rk_calloc(n + 1, sizeof(uint64_t));
    for (int k = 0; k < 2; k++) {
        h->dropped[k] = rk_calloc(n + 1, sizeof(uint64_t));
        h->tf_max[k] = rk_malloc((n + 1) * sizeof(double));
        h->odds[k] = rk_calloc(n + 1, sizeof(link_u128));
    }
    bool ok = h->pattern && h->within && h->across && h->labelled;
    for (int k = 0; k < 2; k++)
        ok = ok && h->dropped[k] && h->tf_max[k] && h->odds[k];
    if (!ok) {
        rk_free(all);
        link_hist_free(h);
        return RK_ENOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m == 0 || h->pattern[m - 1] != all[i].pattern) {
            h->pattern[m] = all[i].pattern;
            h->tf_max[0][m] = h->tf_max[1][m] = -HUGE_VAL;
            m++;
        }
        size_t j = m - 1;
        h->within[j] += all[i].within;
        h->across[j] += all[i].across;
        h->labelled[j] += all[i].labelled;
        for (int k = 0; k < 2; k++) {
            h->dropped[k][j] += all[i].dropped[k];
            h->tf_max[k][j] = RK_MAX(h->tf_max[k][j], all[i].tf_max[k]);
            h->odds[k][j] += all[i].odds[k];
        }
    }
    h->n = m;
    for (size_t i = 0; i < m; i++)
        h->compared += h->within[i] + h->across[i];
    rk_free(all);
    return RK_OK;
}

double link_hist_odds(const link_hist *h, size_t i, int across)
{
    return ldexp((double)h->odds[across][i], -ODDS_BITS);
}

/* What one thread holds while it walks its blocks. */
typedef struct walker {
    table t;
    link_level_memo memo;
    uint32_t *pa, *pb;
    uint64_t *rule_pairs;
    bool failed;
} walker;

/* Compares the pairs of one block, or of its part `part` of `parts` (an MPI run: mpi.h); kept
 * ones go to k (or to the offsets of keep_all). */
static int walk_block(walker *w, kept *k, const link_stream *s, const link_blocks *blocks,
                      size_t bi, const link_weights kw[2], uint32_t part, uint32_t parts)
{
    const rk_link_data *d = s->data;
    size_t np = link_blocks_pairs(blocks, d, bi, s->touch, w->pa, w->pb);
    size_t at = s->offs ? s->offs[bi] : 0;
    size_t p0 = np * part / parts, p1 = np * (part + 1) / parts;
    w->rule_pairs[blocks->blocks[bi].rule] += p1 - p0;
    for (size_t p = p0; p < p1; p++) {
        uint32_t a = w->pa[p], b = w->pb[p];
        uint64_t key = (uint64_t)a << 32 | b;
        double tf = 0;
        uint64_t pattern =
            link_compare(d, s->opts, a, b, s->tf, s->tf_model, &tf, s->keysets ? &w->memo : NULL);
        int across = d->list[a] != d->list[b];
        if (s->out_pattern) { /* every pair, at its offset */
            s->out_a[at + p] = a, s->out_b[at + p] = b;
            s->out_pattern[at + p] = pattern, s->out_tf[at + p] = tf;
        }
        slot *sl = table_get(&w->t, pattern);
        if (!sl)
            return RK_ENOMEM;
        if (across)
            sl->across++;
        else
            sl->within++;
        if (s->nlabels && bsearch(&key, s->labels, s->nlabels, sizeof(uint64_t), u64_cmp))
            sl->labelled++;
        if (s->out_pattern)
            continue;
        bool keep = false;
        if (s->keep[0]) {
            if (!sl->weighed) { /* once per vector and thread, not per pair */
                for (int m = 0; m < 2; m++)
                    sl->keep_weight[m] = s->keep[m] ? link_weights_of(&kw[m], pattern) : 0;
                sl->weighed = true;
            }
            keep = link_pair_score_at(&kw[0], tf, sl->keep_weight[0], !across) >= s->floor ||
                   (s->keep[1] &&
                    link_pair_score_at(&kw[1], tf, sl->keep_weight[1], !across) >= s->floor);
        }
        if (!keep) {
            sl->dropped[across]++;
            sl->tf_max[across] = RK_MAX(sl->tf_max[across], tf);
            if (tf > -ODDS_BITS) /* tf weights are log2 of name shares: far below 2^70 */
                sl->odds[across] += (link_u128)exp2(RK_MIN(tf, 70.0) + ODDS_BITS);
            continue;
        }
        if (kept_push(k, a, b, pattern, tf) != RK_OK)
            return RK_ENOMEM;
    }
    return RK_OK;
}

/* Whether block bi holds a record of s->touch. */
static bool block_touched(const link_stream *s, const link_blocks *blocks, size_t bi)
{
    const link_block_ref *ref = &blocks->blocks[bi];
    const link_rule_blocks *rb = &blocks->rbs[ref->rule];
    for (uint32_t e = rb->bstart[ref->block]; e < rb->bstart[ref->block + 1]; e++)
        if (s->touch[rb->rec[e]])
            return true;
    return false;
}

void link_stream_result_free(link_stream_result *r)
{
    link_hist_free(&r->hist);
    rk_free(r->a);
    rk_free(r->b);
    rk_free(r->pattern);
    rk_free(r->tf);
    rk_free(r->rule_pairs);
    memset(r, 0, sizeof(*r));
}

/* Joins the chunks' kept pairs in chunk order, one array at a time, freeing each chunk's as
 * it goes: the pairs are held about once, not twice. */
static int join_chunks(link_stream_result *out, kept *chunks, size_t nchunks)
{
    size_t n = 0;
    for (size_t c = 0; c < nchunks; c++)
        n += chunks[c].n;
    out->n = n;
#define JOIN(field, type)                                                                          \
    do {                                                                                           \
        if (!(out->field = rk_malloc((n + 1) * sizeof(type))))                                     \
            return RK_ENOMEM;                                                                      \
        size_t at = 0;                                                                             \
        for (size_t c = 0; c < nchunks; c++) {                                                     \
            if (chunks[c].n)                                                                       \
                memcpy(out->field + at, chunks[c].field, chunks[c].n * sizeof(type));              \
            at += chunks[c].n;                                                                     \
            rk_free(chunks[c].field);                                                              \
            chunks[c].field = NULL;                                                                \
        }                                                                                          \
    } while (0)
    JOIN(a, uint32_t);
    JOIN(b, uint32_t);
    JOIN(pattern, uint64_t);
    JOIN(tf, double);
#undef JOIN
    for (size_t c = 0; c < nchunks; c++)
        kept_free(&chunks[c]);
    return RK_OK;
}

int link_stream_run(rk_ctx *ctx, link_stream_result *out, const link_stream *s,
                    const link_blocks *blocks)
{
    int rc = RK_OK;
    int nt = omp_get_max_threads();
    size_t nb = blocks->nblocks, nchunks = (nb + CHUNK_BLOCKS - 1) / CHUNK_BLOCKS;
    size_t maxpairs = blocks->max_size * (blocks->max_size ? blocks->max_size - 1 : 0) / 2;
    memset(out, 0, sizeof(*out));
    link_share share; /* this rank's blocks in an MPI run (mpi.h), else every block */
    link_mpi_share_begin(&share, s, blocks);
    walker *w = rk_calloc((size_t)nt, sizeof(walker));
    kept *chunks = rk_calloc(nchunks + 1, sizeof(kept));
    out->rule_pairs = rk_calloc(blocks->nrules + 1, sizeof(uint64_t));
    if (!w || !chunks || !out->rule_pairs || share.failed) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (int t = 0; t < nt; t++) {
        w[t].pa = rk_malloc((maxpairs + 1) * sizeof(uint32_t));
        w[t].pb = rk_malloc((maxpairs + 1) * sizeof(uint32_t));
        w[t].rule_pairs = rk_calloc(blocks->nrules + 1, sizeof(uint64_t));
        w[t].memo.sets = s->keysets;
        if (s->keysets)
            w[t].memo.slot =
                rk_calloc((size_t)1 << LINK_LEVEL_MEMO_BITS, sizeof(link_level_memo_slot));
        if (!w[t].pa || !w[t].pb || !w[t].rule_pairs || (s->keysets && !w[t].memo.slot) ||
            table_grow(&w[t].t) != RK_OK) {
            rc = RK_ENOMEM;
            goto cleanup;
        }
    }
    link_weights kw[2];
    for (int m = 0; m < 2; m++)
        if (s->keep[m])
            link_weights_init(&kw[m], s->keep[m]);
    const char *stage = s->stage ? s->stage : "comparing blocks";
    rk_progress(ctx, stage, 0, nb);
    long nc = (long)nchunks;
#pragma omp parallel for schedule(dynamic, 1)
    for (long c = 0; c < nc; c++) {
        walker *me = &w[omp_get_thread_num()];
        if (me->failed)
            continue;
        size_t b0 = (size_t)c * CHUNK_BLOCKS, b1 = RK_MIN(nb, b0 + CHUNK_BLOCKS);
        for (size_t bi = b0; bi < b1 && !me->failed; bi++) {
            if (s->sample > 1 && link_blocks_key(blocks, bi) % s->sample != 0)
                continue;
            if (s->touch && !block_touched(s, blocks, bi))
                continue;
            uint32_t part = 0, parts = 1;
            if (share.active && !link_mpi_share_part(&share, blocks, bi, &part, &parts))
                continue;
            size_t before = chunks[c].n;
            if (walk_block(me, &chunks[c], s, blocks, bi, kw, part, parts) != RK_OK)
                me->failed = true;
            if (share.kept)
                share.kept[bi] = chunks[c].n - before;
        }
        if (omp_get_thread_num() == 0) /* chunks go out in order */
            rk_progress(ctx, stage, b1, nb);
    }
    rk_progress(ctx, stage, nb, nb);
    for (int t = 0; t < nt; t++)
        if (w[t].failed)
            rc = RK_ENOMEM;
    if (rc != RK_OK)
        goto cleanup;
    for (int t = 0; t < nt; t++)
        for (size_t q = 0; q < blocks->nrules; q++)
            out->rule_pairs[q] += w[t].rule_pairs[q];
    table *tables = rk_malloc((size_t)nt * sizeof(table));
    if (!tables) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (int t = 0; t < nt; t++)
        tables[t] = w[t].t;
    rc = merge_tables(&out->hist, tables, nt);
    rk_free(tables);
    if (rc == RK_OK && !s->out_pattern)
        rc = join_chunks(out, chunks, nchunks);
cleanup:
    if (rc == RK_ENOMEM)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory comparing pairs");
    rc = link_mpi_share_end(ctx, &share, out, s, blocks, rc); /* every rank's result */
    for (int t = 0; w && t < nt; t++) {
        rk_free(w[t].t.s);
        rk_free(w[t].memo.slot);
        rk_free(w[t].pa);
        rk_free(w[t].pb);
        rk_free(w[t].rule_pairs);
    }
    rk_free(w);
    for (size_t c = 0; chunks && c < nchunks; c++)
        kept_free(&chunks[c]);
    rk_free(chunks);
    if (rc != RK_OK)
        link_stream_result_free(out);
    return rc;
}

bool link_hist_dropped_reach(rk_ctx *ctx, const link_hist *h, const rk_link_model *model,
                             double need)
{
    link_weights w;
    link_weights_init(&w, model);
    size_t reach = 0, first = 0;
    double top = 0;
    for (size_t i = 0; i < h->n; i++)
        for (int k = 0; k < 2; k++) {
            if (!h->dropped[k][i])
                continue;
            double p = rk_link_probability_of(
                model, h->tf_max[k][i] + link_weights_of(&w, h->pattern[i]), k == 0);
            if (p >= need && reach++ == 0)
                first = i;
            top = RK_MAX(top, p);
        }
    if (reach)
        rk_log(ctx, RK_LOG_INFO,
               "%zu comparison vectors of pairs left out could score at or above %g (up to "
               "%.3g; the first %016llx): the pass runs again",
               reach, need, top, (unsigned long long)h->pattern[first]);
    return reach > 0;
}

/* The result's pairs as sorted keys (a << 32 | b). */
static uint64_t *held_keys(const rk_link_result *r)
{
    uint64_t *keys = rk_malloc((r->npairs + 1) * sizeof(uint64_t));
    if (!keys)
        return NULL;
    for (size_t i = 0; i < r->npairs; i++)
        keys[i] = (uint64_t)r->a[i] << 32 | r->b[i];
    qsort(keys, r->npairs, sizeof(uint64_t), u64_cmp);
    return keys;
}

/* Cluster pair keys (smaller first). */
static uint64_t cluster_pair(const rk_link_result *r, uint32_t a, uint32_t b)
{
    uint32_t x = r->cluster[a], y = r->cluster[b];
    return x < y ? (uint64_t)x << 32 | y : (uint64_t)y << 32 | x;
}

/* The persons' pairs go out in this many chunks of about equal work, taken by the threads in
 * turn and joined in order: the same pairs in the same order whatever the number of threads;
 * at the ranks of an MPI run each takes a contiguous share of the chunks (mpi.h). */
#define BETWEEN_CHUNKS 256

/* The work of a pair of persons x << 32 | y (start[c + 1]: the records of person c, before the
 * counts are summed): the pairs of their records, and 1 for the pair itself. */
static uint64_t persons_work(uint64_t xy, const uint32_t *start)
{
    uint64_t x = xy >> 32, y = (uint32_t)xy, sx = start[x + 1], sy = start[y + 1];
    return 1 + (x == y ? sx * (sx - 1) / 2 : sx * sy);
}

/* Compares the pairs within and between the persons of chunk conn[from, to) into k. */
static int between_chunk(kept *k, const link_stream *s, const link_blocks *blocks,
                         const rk_link_result *r, const uint64_t *held, const uint64_t *conn,
                         size_t from, size_t to, const uint32_t *start, const uint32_t *member)
{
    const rk_link_data *d = s->data;
    for (size_t i = from; i < to; i++) {
        uint32_t x = (uint32_t)(conn[i] >> 32), y = (uint32_t)conn[i];
        for (uint32_t p = start[x]; p < start[x + 1]; p++)
            for (uint32_t q = x == y ? p + 1 : start[y]; q < start[y + 1]; q++) {
                uint32_t a = RK_MIN(member[p], member[q]), b = RK_MAX(member[p], member[q]);
                uint64_t key = (uint64_t)a << 32 | b;
                if (link_blocks_rule(blocks, d, a, b) < 0 ||
                    bsearch(&key, held, r->npairs, sizeof(uint64_t), u64_cmp))
                    continue;
                double tf = 0;
                uint64_t pattern = link_compare(d, s->opts, a, b, s->tf, s->tf_model, &tf, NULL);
                if (kept_push(k, a, b, pattern, tf) != RK_OK)
                    return RK_ENOMEM;
            }
    }
    return RK_OK;
}

int link_stream_between(rk_ctx *ctx, link_stream_result *out, const link_stream *s,
                        const link_blocks *blocks, const rk_link_result *r, double need)
{
    int rc = RK_OK;
    const rk_link_data *d = s->data;
    size_t n = d->nrecords, nconn = 0, capconn = 0;
    uint64_t *conn = NULL, *held = held_keys(r);
    uint32_t *start = rk_calloc(r->nclusters + 2, sizeof(uint32_t));
    uint32_t *member = rk_malloc((n + 1) * sizeof(uint32_t));
    size_t bound[BETWEEN_CHUNKS + 1] = {0};
    kept chunk[BETWEEN_CHUNKS];
    memset(chunk, 0, sizeof(chunk));
    memset(out, 0, sizeof(*out));
    if (!held || !start || !member) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < r->npairs; i++) /* persons a pair ties */
        if (r->prob[i] >= need && r->cluster[r->a[i]] != r->cluster[r->b[i]]) {
            if (rk_grow((void **)&conn, &capconn, nconn + 1, sizeof(uint64_t)) != RK_OK) {
                rc = RK_ENOMEM;
                goto cleanup;
            }
            conn[nconn++] = cluster_pair(r, r->a[i], r->b[i]);
        }
    for (size_t i = 0; i < n; i++)
        start[r->cluster[i] + 1]++;
    for (size_t c = 0; c < r->nclusters; c++) /* and persons of two records or more */
        if (start[c + 1] > 1) {
            if (rk_grow((void **)&conn, &capconn, nconn + 1, sizeof(uint64_t)) != RK_OK) {
                rc = RK_ENOMEM;
                goto cleanup;
            }
            conn[nconn++] = (uint64_t)c << 32 | c;
        }
    if (nconn > 1)
        qsort(conn, nconn, sizeof(uint64_t), u64_cmp);
    size_t distinct = 0;
    for (size_t i = 0; i < nconn; i++)
        if (distinct == 0 || conn[i] != conn[distinct - 1])
            conn[distinct++] = conn[i];
    nconn = distinct;
    /* the chunks: about equal numbers of pairs (records of one person times the other's) */
    uint64_t work = 0, done = 0;
    for (size_t i = 0; i < nconn; i++)
        work += persons_work(conn[i], start);
    for (size_t c = 1; c <= BETWEEN_CHUNKS; c++)
        bound[c] = nconn;
    for (size_t i = 0, c = 1; i < nconn && c < BETWEEN_CHUNKS; i++) {
        done += persons_work(conn[i], start);
        while (c < BETWEEN_CHUNKS && done * BETWEEN_CHUNKS >= work * c)
            bound[c++] = i + 1; /* chunk c - 1 ends with pair of persons i */
    }
    for (size_t c = 0; c < r->nclusters; c++)
        start[c + 1] += start[c];
    for (size_t i = 0; i < n; i++) /* members in record order: start[c] moves to c + 1's */
        member[start[r->cluster[i]]++] = (uint32_t)i;
    for (size_t c = r->nclusters; c > 0; c--)
        start[c] = start[c - 1];
    start[0] = 0;
    size_t lo, hi;
    link_mpi_part(BETWEEN_CHUNKS, &lo, &hi);
    hi = RK_MIN(hi, (size_t)BETWEEN_CHUNKS);
    long first = (long)lo, last = (long)hi, finished = 0;
    int failed = 0;
    rk_progress(ctx, "comparing person pairs", 0, bound[hi] - bound[lo]);
#pragma omp parallel for schedule(dynamic, 1) reduction(| : failed)
    for (long c = first; c < last; c++) {
        if (!failed)
            failed |= between_chunk(&chunk[c], s, blocks, r, held, conn, bound[c], bound[c + 1],
                                    start, member) != RK_OK;
        long now;
#pragma omp atomic capture
        now = ++finished;
        if (omp_get_thread_num() == 0) /* chunks go out in order */
            rk_progress(ctx, "comparing person pairs", bound[first + now] - bound[lo],
                        bound[hi] - bound[lo]);
    }
    if (failed) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    rk_progress(ctx, "comparing person pairs", bound[hi] - bound[lo], bound[hi] - bound[lo]);
    rc = join_chunks(out, chunk + lo, hi - lo);
cleanup:
    for (size_t c = 0; c < BETWEEN_CHUNKS; c++)
        kept_free(&chunk[c]);
    rk_free(conn);
    rk_free(held);
    rk_free(start);
    rk_free(member);
    if (rc != RK_OK) {
        link_stream_result_free(out);
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory comparing pairs between persons");
    }
    /* at the ranks of an MPI run: rank 0 gets every rank's share, in order */
    return link_mpi_gather_between(ctx, out, rc);
}
