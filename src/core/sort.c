/* A stable radix sort of records keyed by a leading uint64_t (common.h, rk_sort_by_u64).
 * Written here rather than taken from a library: glibc's qsort (a merge sort through a
 * comparison function) took half of blocking and of the linkage tables at ten million
 * records, and no Debian C library sorts records by an integer key. */
#include "common.h"

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

bool rk_sort_by_u64_progress(rk_ctx *ctx, void *base, size_t n, size_t size)
{
    assert(size >= sizeof(uint64_t) && size % sizeof(uint64_t) == 0);
    if (n < 2)
        return true;
    size_t(*count)[RADIX] = rk_calloc(PASSES, sizeof(*count));
    unsigned char *tmp = rk_malloc(n * size);
    if (!count || !tmp) {
        rk_free(count);
        rk_free(tmp);
        return false;
    }
    unsigned char *src = base, *dst = tmp;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_at(src, i, size);
        for (int p = 0; p < PASSES; p++)
            count[p][(k >> (p * RADIX_BITS)) & (RADIX - 1)]++;
    }
    for (int p = 0; p < PASSES; p++) {
        rk_progress(ctx, "sorting passes", (uint64_t)p + 1, PASSES + 1); /* the count was one */
        size_t *c = count[p];
        if (c[(key_at(src, 0, size) >> (p * RADIX_BITS)) & (RADIX - 1)] == n)
            continue; /* one digit for all: the order stays as it is */
        size_t at = 0;
        for (unsigned d = 0; d < RADIX; d++) {
            size_t k = c[d];
            c[d] = at;
            at += k;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t k = key_at(src, i, size);
            memcpy(dst + c[(k >> (p * RADIX_BITS)) & (RADIX - 1)]++ * size, src + i * size, size);
        }
        unsigned char *t = src;
        src = dst, dst = t;
    }
    if (src != base)
        memcpy(base, src, n * size);
    /* The stage is not ended here: an end would erase the line, and the caller's next stage
     * (grouping the keys, saving the pairs) would wait 2 s before it shows. */
    rk_free(count);
    rk_free(tmp);
    return true;
}
