/* The entry point of estimation: a capture table from a counts file or a project, the lists
 * asked for, then the one dispatcher (methods.c); and the counts-file layout written back out,
 * so that a project's table can be estimated again from a file with the same figures. */
#include "estimate_private.h"
#include "estimate_internal.h"

void rk_estimate_result_init(rk_estimate_result *r)
{
    memset(r, 0, sizeof(*r));
}

void rk_estimate_result_release(rk_estimate_result *r)
{
    if (!r)
        return;
    rk_capture_table_free(r->table);
    rk_estimate_array_free(r->rows, r->nrows);
    rk_estimate_result_init(r);
}

int estimate_select_lists(rk_capture_table **t, rk_ctx *ctx, const char *spec)
{
    size_t idx[RK_ESTIMATE_MAX_LISTS], n = 0;
    const char *item;
    size_t len;
    for (const char *s = spec; rk_split_next(&s, ',', &item, &len);) {
        char name[256];
        if (n == RK_ESTIMATE_MAX_LISTS)
            return rk_error_set(ctx, RK_EINPUT, "--lists names more than %d lists",
                                RK_ESTIMATE_MAX_LISTS);
        snprintf(name, sizeof(name), "%.*s", (int)RK_MIN(len, sizeof(name) - 1), item);
        char shown[300];
        if (len >= sizeof(name) || rk_capture_table_find_list(&idx[n], *t, name) != RK_OK)
            return rk_error_set(ctx, RK_EINPUT, "--lists: no list named '%s'",
                                rk_str_shown(shown, sizeof(shown), name));
        for (size_t j = 0; j < n; j++)
            if (idx[j] == idx[n])
                return rk_error_set(ctx, RK_EINPUT, "--lists names '%s' twice", name);
        n++;
    }
    rk_capture_table *s = NULL;
    int rc = rk_capture_table_select(&s, ctx, *t, idx, n);
    if (rc != RK_OK)
        return rc;
    rk_capture_table_free(*t);
    *t = s;
    return RK_OK;
}

int rk_estimate_run(rk_estimate_result *out, rk_ctx *ctx, const rk_estimate_source *src,
                    const rk_estimate_options *opt)
{
    RK_ASSERT_ARG(ctx, out && src && opt && src->version == RK_ESTIMATE_SOURCE_VERSION &&
                           !src->counts != !src->project);
    rk_estimate_result_init(out);
    int rc;
    if (src->project) {
        rc = estimate_project(out, src->project, src, opt);
    } else if ((src->by && *src->by) || src->age_groups) {
        rc = rk_error_set(ctx, RK_EINPUT, "--by needs a project: a counts file has no strata");
    } else {
        rc = rk_estimate_read_counts(&out->table, ctx, src->counts);
        if (rc == RK_OK && src->lists)
            rc = estimate_select_lists(&out->table, ctx, src->lists);
        if (rc == RK_OK && out->table->nlists < 2)
            rc = rk_error_set(ctx, RK_EINPUT, "estimation needs at least 2 lists, not %zu",
                              out->table->nlists);
        rc = rc ? rc : rk_estimate_table(&out->rows, &out->nrows, ctx, out->table, opt);
        for (size_t i = 0; rc == RK_OK && i < out->nrows; i++)
            out->estimated += !out->rows[i].extra && out->rows[i].status != RK_ESTIMATE_REFUSED;
    }
    if (rc != RK_OK)
        rk_estimate_result_release(out);
    return rc;
}

int rk_estimate__counts_csv_header(rk_buf *out, rk_ctx *ctx, const rk_capture_table *t,
                                   const char *prefix)
{
    RK_ASSERT_ARG(ctx, out && t && prefix);
    for (size_t j = 0; j < t->nlists; j++) {
        const char *name = t->names[j];
        if (!*name || strpbrk(name, ",\"\r\n") || !strcmp(name, "count") || name[0] == ' ' ||
            name[0] == '\t' || name[strlen(name) - 1] == ' ' || name[strlen(name) - 1] == '\t')
            return rk_error_set(ctx, RK_EINPUT,
                                "list '%s' cannot be a column of a counts file (no commas, "
                                "quotes, line ends or outer spaces, and not 'count'); rename it",
                                name);
    }
    size_t before = out->len;
    int rc = rk_buf_puts(out, prefix);
    for (size_t j = 0; j < t->nlists && rc == RK_OK; j++)
        rc = rk_buf_printf(out, "%s,", t->names[j]);
    rc = rc ? rc : rk_buf_puts(out, "count\n");
    if (rc != RK_OK) {
        out->len = before;
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    return RK_OK;
}

/* Pattern p with its first k bits reversed: the first list becomes the most significant. */
static uint64_t reverse_bits(uint64_t p, size_t k)
{
    uint64_t r = 0;
    for (size_t j = 0; j < k; j++)
        r |= (p >> j & 1) << (k - 1 - j);
    return r;
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

static int counts_row(rk_buf *out, const rk_capture_table *t, const char *row_prefix, uint64_t p)
{
    int rc = rk_buf_puts(out, row_prefix);
    for (size_t j = 0; j < t->nlists && rc == RK_OK; j++)
        rc = rk_buf_puts(out, (p >> j & 1) ? "1," : "0,");
    return rc ? rc : rk_buf_printf(out, "%lld\n", (long long)rk_capture_table_count(t, p));
}

int rk_estimate__counts_csv_rows(rk_buf *out, rk_ctx *ctx, const rk_capture_table *t,
                                 const char *row_prefix)
{
    RK_ASSERT_ARG(ctx, out && t && row_prefix);
    size_t before = out->len, k = t->nlists;
    int rc = RK_OK;
    if (k <= RK_ESTIMATE__COUNTS_ALL_LISTS) {
        for (uint64_t c = 1; c < (UINT64_C(1) << k) && rc == RK_OK; c++)
            rc = counts_row(out, t, row_prefix, reverse_bits(c, k));
    } else {
        uint64_t *order = rk_malloc(RK_MAX(t->n, 1) * sizeof(uint64_t));
        if (!order)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        for (size_t i = 0; i < t->n; i++)
            order[i] = reverse_bits(t->pattern[i], k);
        qsort(order, t->n, sizeof(uint64_t), cmp_u64);
        for (size_t i = 0; i < t->n && rc == RK_OK; i++)
            rc = counts_row(out, t, row_prefix, reverse_bits(order[i], k));
        rk_free(order);
    }
    if (rc != RK_OK) {
        out->len = before;
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    return RK_OK;
}

int rk_estimate_counts_csv(rk_buf *out, rk_ctx *ctx, const rk_capture_table *t)
{
    RK_ASSERT_ARG(ctx, out && t);
    size_t before = out->len;
    int rc = rk_estimate__counts_csv_header(out, ctx, t, "");
    rc = rc ? rc : rk_estimate__counts_csv_rows(out, ctx, t, "");
    if (rc != RK_OK)
        out->len = before;
    return rc;
}
