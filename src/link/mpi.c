/* Linking on the ranks of an MPI run (docs/scale.md, "Past one machine"): every rank loads the
 * same records from the shared project and builds the same blocks; each pass over the blocks
 * (stream.c) compares on each rank the blocks its keys' hashes give it, a block larger than a
 * share split across every rank by its pair range, so that each pair is compared exactly once.
 * The counts EM needs are combined with MPI_Allreduce (integer sums: exact, in any order), and
 * the pairs each rank kept are sent to every rank and joined in block order: every rank then
 * holds what one process would have, fits the same model and makes the same choices. Rank 0
 * alone clusters and writes the project. Built only with RECKON_MPI (`make MPI=1`); without
 * it, rk_link_mpi_begin says so and every share is inactive. */
#include "mpi.h"
#include "link_internal.h"

#ifdef RK_MPI

#include <limits.h>
#include <mpi.h>

#include "mpi_private.h"

static bool begun;
static MPI_Comm comm = MPI_COMM_NULL;
static int my_rank, nranks = 1;

bool link_mpi__ranks(MPI_Comm *c, int *rank, int *size)
{
    *c = comm, *rank = my_rank, *size = nranks;
    return begun && nranks > 1;
}

int link_mpi__failed(rk_ctx *ctx, int rc, const char *doing)
{
    /* Every rank learns whether one failed before any sends what it has. */
    int bad = rc != RK_OK, any = 0;
    if (MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, comm) != MPI_SUCCESS)
        any = 1;
    if (bad)
        return rc; /* this rank's own error is on ctx already */
    if (any)
        return rk_error_set(ctx, RK_EINTERNAL,
                            "another rank of the MPI run failed%s%s (its message says why); "
                            "nothing was written",
                            doing ? " " : "", doing ? doing : "");
    return RK_OK;
}

int rk_link_mpi_begin(rk_ctx *ctx)
{
    if (begun)
        return RK_OK;
    int provided = 0;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS ||
        MPI_Comm_dup(MPI_COMM_WORLD, &comm) != MPI_SUCCESS)
        return rk_error_set(ctx, RK_EINTERNAL, "MPI did not start");
    MPI_Comm_rank(comm, &my_rank);
    MPI_Comm_size(comm, &nranks);
    begun = true;
    return RK_OK;
}

int rk_link_mpi_rank(void)
{
    return begun ? my_rank : 0;
}

void rk_link_mpi_end(void)
{
    if (!begun)
        return;
    MPI_Comm_free(&comm);
    MPI_Finalize();
    begun = false;
}

void rk_link_mpi_abort(int status)
{
    if (begun)
        MPI_Abort(MPI_COMM_WORLD, status);
}

bool link_mpi_root(void)
{
    return !begun || my_rank == 0;
}

/* A block's rank: its key's hash mixed again (the pilot samples keys 0 modulo k, which must
 * not all fall on one rank). */
static int owner(uint64_t key, int size)
{
    return (int)(((key * 0x9e3779b97f4a7c15ULL) >> 32) % (uint64_t)size);
}

/* The pairs of records in block bi, counted whole. */
static uint64_t block_bound(const link_blocks *blocks, size_t bi)
{
    const link_block_ref *ref = &blocks->blocks[bi];
    const link_rule_blocks *rb = &blocks->rbs[ref->rule];
    uint64_t n = rb->bstart[ref->block + 1] - rb->bstart[ref->block];
    return n * (n - 1) / 2;
}

/* A block holding more than this share of a rank's pairs is split across the ranks. */
#define SPLIT_SHARE 8

void link_mpi_share_begin(link_share *sh, const link_stream *s, const link_blocks *blocks)
{
    memset(sh, 0, sizeof(*sh));
    if (!begun)
        return;
    sh->active = true;
    sh->rank = my_rank;
    sh->size = nranks;
    sh->split = nranks > 1 ? blocks->bound / ((uint64_t)nranks * SPLIT_SHARE) + 1 : UINT64_MAX;
    if (s->out_pattern) { /* each rank writes its pairs; the others stay 0 for the OR */
        size_t np = s->offs[blocks->nblocks];
        if (np) {
            memset(s->out_a, 0, np * sizeof(uint32_t));
            memset(s->out_b, 0, np * sizeof(uint32_t));
            memset(s->out_pattern, 0, np * sizeof(uint64_t));
            memset(s->out_tf, 0, np * sizeof(double));
        }
    } else if (!(sh->kept = rk_calloc(blocks->nblocks + 1, sizeof(uint64_t)))) {
        sh->failed = true;
    }
}

/* Part of rank `rank` in block bi, as link_mpi_share_part gives it for that rank. */
static bool part_of(const link_share *sh, const link_blocks *blocks, size_t bi, int rank,
                    uint32_t *part, uint32_t *parts)
{
    if (block_bound(blocks, bi) > sh->split) {
        *part = (uint32_t)rank, *parts = (uint32_t)sh->size;
        return true;
    }
    *part = 0, *parts = 1;
    return owner(link_blocks_key(blocks, bi), sh->size) == rank;
}

bool link_mpi_share_part(const link_share *sh, const link_blocks *blocks, size_t bi, uint32_t *part,
                         uint32_t *parts)
{
    return part_of(sh, blocks, bi, sh->rank, part, parts);
}

/* MPI counts are ints: large arrays go in pieces. */
#define PIECE ((size_t)1 << 28)

static int bor_all(void *p, size_t n, MPI_Datatype t, size_t elem)
{
    for (size_t at = 0; at < n; at += PIECE)
        if (MPI_Allreduce(MPI_IN_PLACE, (char *)p + at * elem, (int)RK_MIN(PIECE, n - at), t,
                          MPI_BOR, comm) != MPI_SUCCESS)
            return RK_EINTERNAL;
    return RK_OK;
}

int link_mpi__bcast(void *p, size_t n, size_t elem, int root)
{
    for (size_t at = 0; at < n * elem; at += PIECE)
        if (MPI_Bcast((char *)p + at, (int)RK_MIN(PIECE, n * elem - at), MPI_BYTE, root, comm) !=
            MPI_SUCCESS)
            return RK_EINTERNAL;
    return RK_OK;
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return (p > q) - (p < q);
}

/* MPI_Allreduce of 128-bit sums (two 64-bit words each). */
static void u128_sum(void *in, void *inout, int *len, MPI_Datatype *t)
{
    (void)t;
    link_u128 *a = in, *b = inout;
    for (int i = 0; i < *len; i++) {
        link_u128 x, y;
        memcpy(&x, &a[i], sizeof(x));
        memcpy(&y, &b[i], sizeof(y));
        y += x;
        memcpy(&b[i], &y, sizeof(y));
    }
}

int link_mpi__gather_lengths(uint64_t **out, uint64_t n, uint64_t *total)
{
    uint64_t *len = rk_malloc((size_t)nranks * sizeof(uint64_t));
    *out = NULL;
    if (!len)
        return RK_ENOMEM;
    if (MPI_Allgather(&n, 1, MPI_UINT64_T, len, 1, MPI_UINT64_T, comm) != MPI_SUCCESS) {
        rk_free(len);
        return RK_EINTERNAL;
    }
    *total = 0;
    for (int r = 0; r < nranks; r++)
        *total += len[r];
    *out = len;
    return RK_OK;
}

int link_mpi__gather_all(void **out, const void *mine, const uint64_t *len, uint64_t total,
                         size_t elem)
{
    char *all = rk_malloc((size_t)(total + 1) * elem);
    *out = all;
    if (!all)
        return RK_ENOMEM;
    size_t at = 0;
    for (int r = 0; r < nranks; r++) {
        if (r == my_rank && len[r])
            memcpy(all + at * elem, mine, len[r] * elem);
        if (link_mpi__bcast(all + at * elem, len[r], elem, r) != RK_OK)
            return RK_EINTERNAL;
        at += len[r];
    }
    return RK_OK;
}

/* The histograms of every rank as one: the union of their vectors (sorted), each count summed
 * over the ranks, each largest tf weight the largest. */
static int combine_hist(link_hist *h)
{
    int rc = RK_OK;
    uint64_t *len = NULL, total = 0, *all = NULL, *cnt = NULL;
    double *tf = NULL;
    link_u128 *odds = NULL;
    link_hist u = {0};
    MPI_Datatype t128 = MPI_DATATYPE_NULL;
    MPI_Op op = MPI_OP_NULL;
    if ((rc = link_mpi__gather_lengths(&len, h->n, &total)) != RK_OK ||
        (rc = link_mpi__gather_all((void **)&all, h->pattern, len, total, sizeof(uint64_t))) !=
            RK_OK)
        goto cleanup;
    if (total > 1)
        qsort(all, (size_t)total, sizeof(uint64_t), u64_cmp);
    size_t m = 0;
    for (size_t i = 0; i < total; i++)
        if (m == 0 || all[m - 1] != all[i])
            all[m++] = all[i];
    cnt = rk_calloc(5 * m + 1, sizeof(uint64_t));
    tf = rk_malloc((2 * m + 1) * sizeof(double));
    odds = rk_calloc(2 * m + 1, sizeof(link_u128));
    if (!cnt || !tf || !odds) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < 2 * m; i++)
        tf[i] = -HUGE_VAL;
    for (size_t i = 0; i < h->n; i++) {
        size_t j =
            (size_t)((uint64_t *)bsearch(&h->pattern[i], all, m, sizeof(uint64_t), u64_cmp) - all);
        cnt[j] = h->within[i];
        cnt[m + j] = h->across[i];
        cnt[2 * m + j] = h->labelled[i];
        for (int k = 0; k < 2; k++) {
            cnt[(3 + (size_t)k) * m + j] = h->dropped[k][i];
            tf[(size_t)k * m + j] = h->tf_max[k][i];
            odds[(size_t)k * m + j] = h->odds[k][i];
        }
    }
    if (MPI_Type_contiguous(2, MPI_UINT64_T, &t128) != MPI_SUCCESS ||
        MPI_Type_commit(&t128) != MPI_SUCCESS || MPI_Op_create(u128_sum, 1, &op) != MPI_SUCCESS) {
        rc = RK_EINTERNAL;
        goto cleanup;
    }
    for (size_t at = 0; at < 5 * m; at += PIECE)
        if (MPI_Allreduce(MPI_IN_PLACE, cnt + at, (int)RK_MIN(PIECE, 5 * m - at), MPI_UINT64_T,
                          MPI_SUM, comm) != MPI_SUCCESS)
            rc = RK_EINTERNAL;
    for (size_t at = 0; rc == RK_OK && at < 2 * m; at += PIECE)
        if (MPI_Allreduce(MPI_IN_PLACE, tf + at, (int)RK_MIN(PIECE, 2 * m - at), MPI_DOUBLE,
                          MPI_MAX, comm) != MPI_SUCCESS ||
            MPI_Allreduce(MPI_IN_PLACE, odds + at, (int)RK_MIN(PIECE, 2 * m - at), t128, op,
                          comm) != MPI_SUCCESS)
            rc = RK_EINTERNAL;
    if (rc != RK_OK)
        goto cleanup;
    u.n = m;
    u.pattern = all;
    all = NULL;
    u.within = rk_malloc((m + 1) * sizeof(uint64_t));
    u.across = rk_malloc((m + 1) * sizeof(uint64_t));
    u.labelled = rk_malloc((m + 1) * sizeof(uint64_t));
    bool ok = u.within && u.across && u.labelled;
    for (int k = 0; k < 2; k++) {
        u.dropped[k] = rk_malloc((m + 1) * sizeof(uint64_t));
        u.tf_max[k] = rk_malloc((m + 1) * sizeof(double));
        u.odds[k] = rk_malloc((m + 1) * sizeof(link_u128));
        ok = ok && u.dropped[k] && u.tf_max[k] && u.odds[k];
    }
    if (!ok) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    if (m) {
        memcpy(u.within, cnt, m * sizeof(uint64_t));
        memcpy(u.across, cnt + m, m * sizeof(uint64_t));
        memcpy(u.labelled, cnt + 2 * m, m * sizeof(uint64_t));
        for (size_t k = 0; k < 2; k++) {
            memcpy(u.dropped[k], cnt + (3 + k) * m, m * sizeof(uint64_t));
            memcpy(u.tf_max[k], tf + k * m, m * sizeof(double));
            memcpy(u.odds[k], odds + k * m, m * sizeof(link_u128));
        }
    }
    for (size_t i = 0; i < m; i++)
        u.compared += u.within[i] + u.across[i];
    link_hist_free(h);
    *h = u;
    memset(&u, 0, sizeof(u));
cleanup:
    if (op != MPI_OP_NULL)
        MPI_Op_free(&op);
    if (t128 != MPI_DATATYPE_NULL)
        MPI_Type_free(&t128);
    link_hist_free(&u);
    rk_free(len);
    rk_free(all);
    rk_free(cnt);
    rk_free(tf);
    rk_free(odds);
    return rc;
}

/* Every pair at its offset: each rank wrote its own, the others are 0. */
static int combine_offsets(const link_stream *s, const link_blocks *blocks)
{
    size_t np = s->offs[blocks->nblocks];
    if (bor_all(s->out_a, np, MPI_UINT32_T, sizeof(uint32_t)) != RK_OK ||
        bor_all(s->out_b, np, MPI_UINT32_T, sizeof(uint32_t)) != RK_OK ||
        bor_all(s->out_pattern, np, MPI_UINT64_T, sizeof(uint64_t)) != RK_OK ||
        bor_all(s->out_tf, np, MPI_UINT64_T, sizeof(double)) != RK_OK) /* the bits of each */
        return RK_EINTERNAL;
    return RK_OK;
}

/* Copies rank r's kept pairs (n of them, from src) to their places in out: its parts' counts
 * cnt[0 .. ncnt) go, one after the other, to the offsets dst gives each. */
static void place(link_stream_result *out, const link_stream_result *src, const uint64_t *cnt,
                  const uint64_t *dst, size_t ncnt)
{
    size_t from = 0;
    for (size_t k = 0; k < ncnt; k++) {
        size_t n = (size_t)cnt[k], to = (size_t)dst[k];
        if (n) {
            memcpy(out->a + to, src->a + from, n * sizeof(uint32_t));
            memcpy(out->b + to, src->b + from, n * sizeof(uint32_t));
            memcpy(out->pattern + to, src->pattern + from, n * sizeof(uint64_t));
            memcpy(out->tf + to, src->tf + from, n * sizeof(double));
        }
        from += n;
    }
}

/* Every rank's kept pairs, in block order and, within a split block, in the order of its
 * parts: the order one process keeps them in. */
static int combine_kept(link_stream_result *out, link_share *sh, const link_blocks *blocks)
{
    int rc = RK_OK;
    size_t nb = blocks->nblocks, mine = 0;
    uint64_t *mycnt = rk_malloc((nb + 1) * sizeof(uint64_t));
    uint64_t *clen = NULL, *plen = NULL, *cnt = NULL, *dst = NULL, *at = NULL, ctotal = 0,
             ptotal = 0;
    link_stream_result all = {0}, part = {0};
    if (!mycnt)
        return RK_ENOMEM;
    for (size_t bi = 0; bi < nb; bi++) {
        uint32_t p, q;
        if (link_mpi_share_part(sh, blocks, bi, &p, &q))
            mycnt[mine++] = sh->kept[bi];
    }
    if ((rc = link_mpi__gather_lengths(&clen, mine, &ctotal)) != RK_OK ||
        (rc = link_mpi__gather_all((void **)&cnt, mycnt, clen, ctotal, sizeof(uint64_t))) !=
            RK_OK ||
        (rc = link_mpi__gather_lengths(&plen, out->n, &ptotal)) != RK_OK)
        goto cleanup;
    /* Where each count of each rank goes: blocks in order, a split block's parts in rank
     * order. at[r]: rank r's next count. */
    dst = rk_malloc((ctotal + 1) * sizeof(uint64_t));
    at = rk_calloc((size_t)sh->size + 1, sizeof(uint64_t));
    if (!dst || !at) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (int r = 1; r <= sh->size; r++)
        at[r] = at[r - 1] + clen[r - 1];
    uint64_t *next = rk_malloc(((size_t)sh->size + 1) * sizeof(uint64_t));
    if (!next) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    memcpy(next, at, (size_t)sh->size * sizeof(uint64_t));
    uint64_t to = 0;
    for (size_t bi = 0; bi < nb && rc == RK_OK; bi++)
        for (int r = 0; r < sh->size; r++) {
            uint32_t p, q;
            if (!part_of(sh, blocks, bi, r, &p, &q))
                continue;
            if (next[r] >= at[r + 1]) { /* the ranks' blocks disagree: a bug */
                rc = RK_EINTERNAL;
                break;
            }
            dst[next[r]] = to;
            to += cnt[next[r]++];
        }
    rk_free(next);
    if (rc == RK_OK && to != ptotal)
        rc = RK_EINTERNAL;
    if (rc != RK_OK)
        goto cleanup;
    all.n = (size_t)ptotal;
    all.a = rk_malloc((all.n + 1) * sizeof(uint32_t));
    all.b = rk_malloc((all.n + 1) * sizeof(uint32_t));
    all.pattern = rk_malloc((all.n + 1) * sizeof(uint64_t));
    all.tf = rk_malloc((all.n + 1) * sizeof(double));
    if (!all.a || !all.b || !all.pattern || !all.tf) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (int r = 0; r < sh->size && rc == RK_OK; r++) {
        size_t n = (size_t)plen[r];
        const link_stream_result *src = out;
        if (r != sh->rank) { /* room for rank r's pairs */
            part.a = rk_malloc((n + 1) * sizeof(uint32_t));
            part.b = rk_malloc((n + 1) * sizeof(uint32_t));
            part.pattern = rk_malloc((n + 1) * sizeof(uint64_t));
            part.tf = rk_malloc((n + 1) * sizeof(double));
            if (!part.a || !part.b || !part.pattern || !part.tf) {
                rc = RK_ENOMEM;
                break;
            }
            src = &part;
        }
        if (link_mpi__bcast(src->a, n, sizeof(uint32_t), r) != RK_OK ||
            link_mpi__bcast(src->b, n, sizeof(uint32_t), r) != RK_OK ||
            link_mpi__bcast(src->pattern, n, sizeof(uint64_t), r) != RK_OK ||
            link_mpi__bcast(src->tf, n, sizeof(double), r) != RK_OK) {
            rc = RK_EINTERNAL;
            break;
        }
        place(&all, src, cnt + at[r], dst + at[r], (size_t)clen[r]);
        rk_free(part.a), rk_free(part.b), rk_free(part.pattern), rk_free(part.tf);
        memset(&part, 0, sizeof(part));
    }
    if (rc != RK_OK)
        goto cleanup;
    rk_free(out->a), rk_free(out->b), rk_free(out->pattern), rk_free(out->tf);
    out->a = all.a, out->b = all.b, out->pattern = all.pattern, out->tf = all.tf;
    out->n = all.n;
    memset(&all, 0, sizeof(all));
cleanup:
    rk_free(part.a), rk_free(part.b), rk_free(part.pattern), rk_free(part.tf);
    rk_free(all.a), rk_free(all.b), rk_free(all.pattern), rk_free(all.tf);
    rk_free(mycnt);
    rk_free(clen);
    rk_free(plen);
    rk_free(cnt);
    rk_free(dst);
    rk_free(at);
    return rc;
}

int link_mpi_share_end(rk_ctx *ctx, link_share *sh, link_stream_result *out, const link_stream *s,
                       const link_blocks *blocks, int rc)
{
    if (!sh->active)
        return rc;
    /* Every rank learns whether one failed before any sends what it found. */
    int bad = rc != RK_OK || sh->failed, any = 0;
    if (MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, comm) != MPI_SUCCESS)
        any = 1;
    int got = RK_OK;
    if (!any) {
        if (MPI_Allreduce(MPI_IN_PLACE, out->rule_pairs, (int)blocks->nrules, MPI_UINT64_T, MPI_SUM,
                          comm) != MPI_SUCCESS)
            got = RK_EINTERNAL;
        if (got == RK_OK)
            got = combine_hist(&out->hist);
        if (got == RK_OK)
            got = s->out_pattern ? combine_offsets(s, blocks) : combine_kept(out, sh, blocks);
    }
    rk_free(sh->kept);
    sh->kept = NULL;
    if (!any && got == RK_OK) {
        size_t nsplit = 0;
        for (size_t bi = 0; bi < blocks->nblocks; bi++)
            nsplit += sh->size > 1 && block_bound(blocks, bi) > sh->split;
        rk_log(ctx, RK_LOG_DEBUG,
               "MPI: %zu blocks on %d ranks, %zu of them split across every rank; %llu pairs "
               "compared in all",
               blocks->nblocks, sh->size, nsplit, (unsigned long long)out->hist.compared);
    }
    if (rc != RK_OK)
        return rc;
    if (sh->failed)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory sharing the blocks between ranks");
    if (any)
        return rk_error_set(ctx, RK_EINTERNAL,
                            "another rank of the MPI run failed comparing pairs (its message says "
                            "why); nothing was written");
    if (got == RK_ENOMEM)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory gathering the pairs of every rank");
    if (got != RK_OK)
        return rk_error_set(ctx, RK_EINTERNAL,
                            "the ranks of the MPI run could not exchange the pairs they compared");
    return RK_OK;
}

/* ---- what other modules' MPI runs share (link_internal.h) ---- */

int rk_link__mpi_size(void)
{
    return begun ? nranks : 0;
}

int rk_link__mpi_gather(char **out, size_t *outlen, rk_ctx *ctx, const void *mine, size_t len,
                        bool failed)
{
    *out = NULL;
    *outlen = 0;
    if (!begun)
        return rk_error_set(ctx, RK_EINTERNAL, "MPI was not started");
    int rc = link_mpi__failed(ctx, failed ? RK_EINTERNAL : RK_OK, NULL);
    if (rc != RK_OK)
        return rc;
    uint64_t *lens = NULL, total = 0;
    char *all = NULL;
    rc = link_mpi__gather_lengths(&lens, len, &total);
    if (rc == RK_OK && my_rank == 0 && !(all = rk_malloc((size_t)total + 1)))
        rc = RK_ENOMEM;
    /* rank 0 receives each rank's bytes in turn, in pieces that fit an int */
    size_t at = 0;
    for (int r = 0; rc == RK_OK && r < nranks; r++) {
        for (size_t off = 0; rc == RK_OK && off < lens[r]; off += PIECE) {
            int piece = (int)RK_MIN(PIECE, (size_t)lens[r] - off);
            if (my_rank == 0 && r == 0)
                memcpy(all + at + off, (const char *)mine + off, (size_t)piece);
            else if (my_rank == 0)
                rc = MPI_Recv(all + at + off, piece, MPI_BYTE, r, 0, comm, MPI_STATUS_IGNORE) ==
                             MPI_SUCCESS
                         ? RK_OK
                         : RK_EINTERNAL;
            else if (r == my_rank)
                rc = MPI_Send((const char *)mine + off, piece, MPI_BYTE, 0, 0, comm) == MPI_SUCCESS
                         ? RK_OK
                         : RK_EINTERNAL;
        }
        at += (size_t)lens[r];
    }
    rk_free(lens);
    if (rc != RK_OK) {
        rk_free(all);
        return rc == RK_ENOMEM
                   ? rk_error_set(ctx, RK_ENOMEM, "out of memory gathering the ranks' results")
                   : rk_error_set(ctx, RK_EINTERNAL,
                                  "the ranks of the MPI run could not send their results");
    }
    *out = all;
    *outlen = my_rank == 0 ? (size_t)total : 0;
    return RK_OK;
}

/* One compared pair as the ranks send it. */
typedef struct sent_pair {
    uint32_t a, b;
    uint64_t pattern;
    double tf;
} sent_pair;

int link_mpi_gather_between(rk_ctx *ctx, link_stream_result *out, int rc)
{
    if (!begun || nranks < 2)
        return rc;
    size_t n = rc == RK_OK ? out->n : 0;
    sent_pair *mine = rk_malloc((n + 1) * sizeof(sent_pair));
    bool failed = rc != RK_OK || !mine;
    if (!failed)
        for (size_t i = 0; i < n; i++)
            mine[i] = (sent_pair){out->a[i], out->b[i], out->pattern[i], out->tf[i]};
    if (rc == RK_OK && !mine)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory sending pairs between persons");
    char *all = NULL;
    size_t bytes = 0;
    int grc =
        rk_link__mpi_gather(&all, &bytes, ctx, mine, failed ? 0 : n * sizeof(sent_pair), failed);
    rk_free(mine);
    link_stream_result_free(out);
    if (rc != RK_OK || grc != RK_OK) {
        rk_free(all);
        return rc != RK_OK ? rc : grc;
    }
    size_t total = bytes / sizeof(sent_pair);
    out->n = total;
    out->a = rk_malloc((total + 1) * sizeof(uint32_t));
    out->b = rk_malloc((total + 1) * sizeof(uint32_t));
    out->pattern = rk_malloc((total + 1) * sizeof(uint64_t));
    out->tf = rk_malloc((total + 1) * sizeof(double));
    if (!out->a || !out->b || !out->pattern || !out->tf) {
        rk_free(all);
        link_stream_result_free(out);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory receiving pairs between persons");
    }
    for (size_t i = 0; i < total; i++) {
        sent_pair p;
        memcpy(&p, all + i * sizeof(sent_pair), sizeof(p));
        out->a[i] = p.a, out->b[i] = p.b, out->pattern[i] = p.pattern, out->tf[i] = p.tf;
    }
    rk_free(all);
    return RK_OK;
}

#else /* a build without MPI */

int rk_link_mpi_begin(rk_ctx *ctx)
{
    return rk_error_set(ctx, RK_EINPUT,
                        "this reckon was built without MPI; build it with 'make MPI=1' (Open MPI) "
                        "and run it under mpirun or srun");
}

int rk_link_mpi_rank(void)
{
    return 0;
}

void rk_link_mpi_end(void) {}

void rk_link_mpi_abort(int status)
{
    (void)status;
}

bool link_mpi_root(void)
{
    return true;
}

int rk_link__mpi_size(void)
{
    return 0;
}

int rk_link__mpi_gather(char **out, size_t *outlen, rk_ctx *ctx, const void *mine, size_t len,
                        bool failed)
{
    (void)mine, (void)len, (void)failed;
    *out = NULL;
    *outlen = 0;
    return rk_error_set(ctx, RK_EINTERNAL, "this reckon was built without MPI");
}

void link_mpi_share_begin(link_share *sh, const link_stream *s, const link_blocks *blocks)
{
    (void)s, (void)blocks;
    memset(sh, 0, sizeof(*sh));
}

bool link_mpi_share_part(const link_share *sh, const link_blocks *blocks, size_t bi, uint32_t *part,
                         uint32_t *parts)
{
    (void)sh, (void)blocks, (void)bi;
    *part = 0, *parts = 1;
    return true;
}

int link_mpi_share_end(rk_ctx *ctx, link_share *sh, link_stream_result *out, const link_stream *s,
                       const link_blocks *blocks, int rc)
{
    (void)ctx, (void)sh, (void)out, (void)s, (void)blocks;
    return rc;
}

int link_mpi_gather_between(rk_ctx *ctx, link_stream_result *out, int rc)
{
    (void)ctx, (void)out;
    return rc;
}

#endif
