/* Private header included first by every source file of libreckon: the public API, the
 * standard headers every file uses, and the list of banned functions. */
#ifndef RK_COMMON_H
#define RK_COMMON_H

#include "reckon/reckon.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"
#include "core_internal.h"

#define RK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define RK_MIN(a, b)    ((a) < (b) ? (a) : (b))
#define RK_MAX(a, b)    ((a) > (b) ? (a) : (b))

/* The next item of a list separated by `sep` ("a,b,c"): *item and *len give it, trimmed of
 * spaces and tabs and not terminated; *s moves past it and becomes NULL after the last item.
 * Returns false once *s is NULL. An empty string is one empty item; "a,,b" has an empty one. */
bool rk_split_next(const char **s, char sep, const char **item, size_t *len);

/* Sorts the n records of `size` bytes at base (a multiple of 8) by the uint64_t each begins
 * with, keeping records of one key in the order they had (a stable radix sort): the order
 * qsort gives when ties are broken by the records' original order. false when out of memory
 * (nothing moved). */
bool rk_sort_by_u64(void *base, size_t n, size_t size);
/* The same, reporting its passes to ctx's progress ("sorting passes"; ctx may be NULL): a
 * hundred million records take ten seconds. The stage is left open for the caller's next
 * stage to take the line over (an end would erase it). */
bool rk_sort_by_u64_progress(rk_ctx *ctx, void *base, size_t n, size_t size);

#endif
