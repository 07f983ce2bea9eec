/* A stable radix sort of records keyed by a leading uint64_t (common.h, rk_sort_by_u64).
 * Written here rather than taken from a library: glibc's qsort (a merge sort through a
 * comparison function) took half of blocking and of the linkage tables at ten million
 * records, and no Debian C library sorts records by an integer key. */
#include "common.h"

#include <omp.h>
#include <stdint.h>

#define RADIX_BITS 8
#define RADIX      (1u << RADIX_BITS)
#define PASSES     (64 / RADIX_BITS)

static inline uint64_t key_at(const unsigned char *base, size_t i, size_t size)
{
    uint64_t k;
    memcpy(&k, base + i * size, sizeof(k));
    return k;
}

bool rk_sort_by_u64(void *base, size_t n, size_t size)
{
    return rk_sort_by_u64_progress(NULL, base, n, size);
}

/* Below this many records one thread sorts: a team's start costs more than it saves. */
#define PARALLEL_MIN 65536
#define MAX_THREADS  64

/* Records [from, to) of the team's chunk t: contiguous, in order. */
static void chunk_of(size_t n, int t, int team, size_t *from, size_t *to)
{
    *from = n * (size_t)t / (size_t)team;
    *to = n * (size_t)(t + 1) / (size_t)team;
}

bool rk_sort_by_u64_progress(rk_ctx *ctx, void *base, size_t n, size_t size)
{
    assert(size >= sizeof(uint64_t) && size % sizeof(uint64_t) == 0);
    if (n < 2)
        return true;
    /* Each thread of one team counts and moves a contiguous chunk of the records; a digit's
     * records go out chunk after chunk, each chunk's in its order, so the sort is as stable,
     * and its result the same, whatever the number of threads. Called within a parallel
     * region, it sorts on the calling thread alone. */
    int nt = n < PARALLEL_MIN || omp_in_parallel() ? 1 : RK_MIN(omp_get_max_threads(), MAX_THREADS);
    size_t(*count)[PASSES][RADIX] = rk_calloc((size_t)nt, sizeof(*count));
    unsigned char *tmp = rk_malloc(n * size);
    if (!count || !tmp) {
        rk_free(count);
        rk_free(tmp);
        return false;
    }
    bool skip[PASSES] = {false};
    int moved = 0; /* passes that moved the records: an odd number leaves them in tmp */
#pragma omp parallel num_threads(nt)
    {
        int t = omp_get_thread_num(), team = omp_get_num_threads();
        size_t from, to;
        chunk_of(n, t, team, &from, &to);
        unsigned char *src = base, *dst = tmp; /* each thread's own, swapped alike */
        for (size_t i = from; i < to; i++) {
            uint64_t k = key_at(src, i, size);
            for (int p = 0; p < PASSES; p++)
                count[t][p][(k >> (p * RADIX_BITS)) & (RADIX - 1)]++;
        }
#pragma omp barrier
#pragma omp master
        for (int p = 0; p < PASSES; p++)
            for (unsigned d = 0; d < RADIX; d++) {
                size_t of_digit = 0;
                for (int c = 0; c < team; c++)
                    of_digit += count[c][p][d];
                skip[p] = skip[p] || of_digit == n; /* one digit for all: the order stays */
            }
        for (int p = 0; p < PASSES; p++) {
#pragma omp barrier
            if (skip[p])
                continue;
            /* A pass moves records between chunks: after the first, each chunk counts its
             * digits again (one chunk holds them all, and its counts stay true). */
            size_t *c = count[t][p];
            if (moved && team > 1) {
                memset(c, 0, RADIX * sizeof(*c));
                for (size_t i = from; i < to; i++)
                    c[(key_at(src, i, size) >> (p * RADIX_BITS)) & (RADIX - 1)]++;
            }
#pragma omp barrier
#pragma omp master
            {
                rk_progress(ctx, "sorting passes", (uint64_t)p + 1, PASSES + 1); /* count: one */
                /* Each digit's start in each chunk: digits in order, chunks in order. */
                size_t all = 0;
                for (unsigned d = 0; d < RADIX; d++)
                    for (int h = 0; h < team; h++) {
                        size_t k = count[h][p][d];
                        count[h][p][d] = all;
                        all += k;
                    }
                moved++;
            }
#pragma omp barrier
            for (size_t i = from; i < to; i++) {
                uint64_t k = key_at(src, i, size);
                memcpy(dst + c[(k >> (p * RADIX_BITS)) & (RADIX - 1)]++ * size, src + i * size,
                       size);
            }
            unsigned char *swap = src;
            src = dst;
            dst = swap;
        }
    }
    if (moved % 2)
        memcpy(base, tmp, n * size);
    /* The stage is not ended here: an end would erase the line, and the caller's next stage
     * (grouping the keys, saving the pairs) would wait 2 s before it shows. */
    rk_free(count);
    rk_free(tmp);
    return true;
}
