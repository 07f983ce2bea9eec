/* The capture table: counts of persons by capture pattern over K named lists, the input of
 * every estimator. Filled from a counts file (counts.c) or, later, by tabulating linked persons;
 * also the lifecycle of rk_estimate results. */
#include "estimate_private.h"

int rk_capture_table_new(rk_capture_table **out, rk_ctx *ctx, size_t nlists,
                         const char *const *names)
{
    RK_ASSERT_ARG(ctx, out && names);
    *out = NULL;
    if (nlists < 1 || nlists > RK_ESTIMATE_MAX_LISTS)
        return rk_error_set(ctx, RK_EINPUT, "%zu lists; a capture table holds 1 to %d", nlists,
                            RK_ESTIMATE_MAX_LISTS);
    rk_capture_table *t = rk_calloc(1, sizeof(*t));
    if (!t)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    t->nlists = nlists;
    t->names = rk_calloc(nlists, sizeof(char *));
    if (!t->names)
        goto oom;
    for (size_t j = 0; j < nlists; j++) {
        t->names[j] = rk_strdup(names[j] ? names[j] : "");
        if (!t->names[j])
            goto oom;
    }
    *out = t;
    return RK_OK;
oom:
    rk_capture_table_free(t);
    return rk_error_set(ctx, RK_ENOMEM, "out of memory");
}

void rk_capture_table_free(rk_capture_table *t)
{
    if (!t)
        return;
    if (t->names)
        for (size_t j = 0; j < t->nlists; j++)
            rk_free(t->names[j]);
    rk_free(t->names);
    rk_free(t->stratum);
    rk_free(t->whole_named);
    rk_free(t->whole_alone);
    rk_free(t->fields);
    rk_free(t->pattern);
    rk_free(t->count);
    rk_free(t);
}

/* Index of the first stored pattern >= p. */
static size_t lower_bound(const rk_capture_table *t, uint64_t p)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->pattern[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int rk_capture_table_add(rk_capture_table *t, rk_ctx *ctx, uint64_t pattern, int64_t count)
{
    RK_ASSERT_ARG(ctx, t);
    if (pattern == 0 || (t->nlists < 64 && (pattern >> t->nlists) != 0))
        return rk_error_set(ctx, RK_EINPUT, "capture pattern %#llx is not a pattern of %zu lists",
                            (unsigned long long)pattern, t->nlists);
    if (count < 0)
        return rk_error_set(ctx, RK_EINPUT, "negative count %lld", (long long)count);
    if (count == 0)
        return RK_OK;
    if (count > RK__MAX_TOTAL - t->total)
        return rk_error_set(ctx, RK_EINPUT, "the counts add up to more than 2^53 persons");
    size_t i = lower_bound(t, pattern);
    if (i < t->n && t->pattern[i] == pattern) {
        t->count[i] += count;
        t->total += count;
        return RK_OK;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap;
        if (rk_grow((void **)&t->pattern, &cap, t->n + 1, sizeof(uint64_t)) != RK_OK)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        cap = t->cap;
        if (rk_grow((void **)&t->count, &cap, t->n + 1, sizeof(int64_t)) != RK_OK)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        t->cap = cap;
    }
    memmove(t->pattern + i + 1, t->pattern + i, (t->n - i) * sizeof(uint64_t));
    memmove(t->count + i + 1, t->count + i, (t->n - i) * sizeof(int64_t));
    t->pattern[i] = pattern;
    t->count[i] = count;
    t->n++;
    t->total += count;
    return RK_OK;
}

int rk_capture_table_set_stratum(rk_capture_table *t, rk_ctx *ctx, const char *label)
{
    RK_ASSERT_ARG(ctx, t);
    char *s = NULL;
    if (label && !(s = rk_strdup(label)))
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    rk_free(t->stratum);
    t->stratum = s;
    return RK_OK;
}

void estimate_table_list_counts(const rk_capture_table *t, int64_t *named, int64_t *alone)
{
    memset(named, 0, t->nlists * sizeof(int64_t));
    memset(alone, 0, t->nlists * sizeof(int64_t));
    for (size_t i = 0; i < t->n; i++)
        for (size_t j = 0; j < t->nlists; j++)
            if (t->pattern[i] >> j & 1) {
                named[j] += t->count[i];
                if (t->pattern[i] == UINT64_C(1) << j)
                    alone[j] += t->count[i];
            }
}

/* Sets t's figures of the whole from per-list arrays (NULL clears them). */
static int set_whole_counts(rk_capture_table *t, rk_ctx *ctx, int64_t total, const int64_t *named,
                            const int64_t *alone, const char *fields)
{
    int64_t *n = NULL, *a = NULL;
    char *f = NULL;
    if (named) {
        n = rk_calloc(t->nlists, sizeof(int64_t));
        a = rk_calloc(t->nlists, sizeof(int64_t));
        f = rk_strdup(fields ? fields : "");
        if (!n || !a || !f) {
            rk_free(n);
            rk_free(a);
            rk_free(f);
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        }
        memcpy(n, named, t->nlists * sizeof(int64_t));
        memcpy(a, alone, t->nlists * sizeof(int64_t));
    }
    rk_free(t->whole_named);
    rk_free(t->whole_alone);
    rk_free(t->fields);
    t->whole_total = named ? total : 0;
    t->whole_named = n;
    t->whole_alone = a;
    t->fields = f;
    return RK_OK;
}

int rk_capture_table_set_whole(rk_capture_table *t, rk_ctx *ctx, const rk_capture_table *whole,
                               const char *fields)
{
    RK_ASSERT_ARG(ctx, t);
    if (!whole)
        return set_whole_counts(t, ctx, 0, NULL, NULL, NULL);
    if (whole->nlists != t->nlists)
        return rk_error_set(ctx, RK_EINPUT, "a stratum of %zu lists cut from a table of %zu",
                            t->nlists, whole->nlists);
    int64_t named[RK_ESTIMATE_MAX_LISTS], alone[RK_ESTIMATE_MAX_LISTS];
    estimate_table_list_counts(whole, named, alone);
    return set_whole_counts(t, ctx, whole->total, named, alone, fields);
}

size_t rk_capture_table_nlists(const rk_capture_table *t)
{
    return t->nlists;
}

const char *rk_capture_table_list_name(const rk_capture_table *t, size_t list)
{
    return list < t->nlists ? t->names[list] : NULL;
}

int rk_capture_table_find_list(size_t *out, const rk_capture_table *t, const char *name)
{
    for (size_t j = 0; j < t->nlists; j++)
        if (strcmp(t->names[j], name) == 0) {
            *out = j;
            return RK_OK;
        }
    return RK_ENOTFOUND;
}

int64_t rk_capture_table_observed(const rk_capture_table *t)
{
    return t->total;
}

int64_t rk_capture_table_count(const rk_capture_table *t, uint64_t pattern)
{
    size_t i = lower_bound(t, pattern);
    return (i < t->n && t->pattern[i] == pattern) ? t->count[i] : 0;
}

size_t rk_capture_table_npatterns(const rk_capture_table *t)
{
    return t->n;
}

void rk_capture_table_pattern(const rk_capture_table *t, size_t i, uint64_t *pattern,
                              int64_t *count)
{
    *pattern = i < t->n ? t->pattern[i] : 0;
    *count = i < t->n ? t->count[i] : 0;
}

int rk_capture_table_select(rk_capture_table **out, rk_ctx *ctx, const rk_capture_table *t,
                            const size_t *lists, size_t n)
{
    RK_ASSERT_ARG(ctx, out && t && lists);
    *out = NULL;
    const char *names[RK_ESTIMATE_MAX_LISTS];
    if (n < 1 || n > t->nlists)
        return rk_error_set(ctx, RK_EINPUT, "select 1 to %zu lists, not %zu", t->nlists, n);
    for (size_t a = 0; a < n; a++) {
        if (lists[a] >= t->nlists)
            return rk_error_set(ctx, RK_EINPUT, "no list %zu", lists[a] + 1);
        for (size_t b = 0; b < a; b++)
            if (lists[a] == lists[b])
                return rk_error_set(ctx, RK_EINPUT, "list '%s' selected twice", t->names[lists[a]]);
        names[a] = t->names[lists[a]];
    }
    rk_capture_table *s = NULL;
    int rc = rk_capture_table_new(&s, ctx, n, names);
    if (rc != RK_OK)
        return rc;
    if ((rc = rk_capture_table_set_stratum(s, ctx, t->stratum)) != RK_OK)
        goto cleanup;
    /* The whole's figures per list do not project: persons on a dropped list move. */
    for (size_t i = 0; i < t->n; i++) {
        uint64_t p = 0;
        for (size_t a = 0; a < n; a++)
            if (t->pattern[i] >> lists[a] & 1)
                p |= UINT64_C(1) << a;
        if (p && (rc = rk_capture_table_add(s, ctx, p, t->count[i])) != RK_OK)
            goto cleanup;
    }
    *out = s;
    s = NULL;
cleanup:
    rk_capture_table_free(s);
    return rc;
}

int estimate_table_dense(const rk_capture_table *t, rk_ctx *ctx, double **out)
{
    *out = NULL;
    if (t->nlists > 20)
        return rk_error_set(ctx, RK_EINPUT, "%zu lists are too many for this method (at most 20)",
                            t->nlists);
    size_t cells = (size_t)1 << t->nlists;
    double *y = rk_calloc(cells, sizeof(double));
    if (!y)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n; i++)
        y[t->pattern[i]] = (double)t->count[i];
    *out = y;
    return RK_OK;
}

void rk_estimate_init(rk_estimate *e)
{
    memset(e, 0, sizeof(*e));
    e->estimate = e->stderr_n = e->lower = e->upper = NAN;
    e->deviance = e->aic = e->bic = e->profile_estimate = NAN;
    e->mean = e->median = e->mode = e->rhat = e->ess = NAN;
    e->level = 0.95;
}

void rk_estimate_release(rk_estimate *e)
{
    if (!e)
        return;
    rk_free(e->draws);
    rk_free(e->sensitivity);
    rk_estimate_array_free(e->models, e->nmodels);
    rk_estimate_init(e);
}

void rk_estimate_array_free(rk_estimate *arr, size_t n)
{
    if (!arr)
        return;
    for (size_t i = 0; i < n; i++)
        rk_estimate_release(&arr[i]);
    rk_free(arr);
}
