/* Evaluation of clusters against true entities: pairwise precision, recall and F1, B-cubed
 * precision, recall and F1, and the share of entities found exactly. */
#include "link_private.h"

typedef struct ce {
    uint32_t c;
    int64_t e;
} ce;

static int by_cluster(const void *x, const void *y)
{
    const ce *p = x, *q = y;
    if (p->c != q->c)
        return p->c < q->c ? -1 : 1;
    return (p->e > q->e) - (p->e < q->e);
}

static int by_entity(const void *x, const void *y)
{
    const ce *p = x, *q = y;
    if (p->e != q->e)
        return p->e < q->e ? -1 : 1;
    return (p->c > q->c) - (p->c < q->c);
}

static double f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

int rk_link_evaluate(rk_link_eval *out, rk_ctx *ctx, const uint32_t *cluster, const int64_t *entity,
                     size_t n)
{
    RK_ASSERT_ARG(ctx, out && (n == 0 || (cluster && entity)));
    int rc = RK_OK;
    memset(out, 0, sizeof(*out));
    ce *v = rk_malloc((n + 1) * sizeof(ce));
    uint32_t *csize = NULL;
    if (!v) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory evaluating %zu records", n);
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = (ce){cluster[i], entity[i]};
    /* Pairs in the same cluster and in the same (cluster, entity) cell; B-cubed sums. */
    qsort(v, n, sizeof(ce), by_cluster);
    double b3p = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].c == v[i].c)
            j++;
        uint64_t cs = j - i;
        out->found_pairs += cs * (cs - 1) / 2;
        out->clusters++;
        for (size_t k = i; k < j;) {
            size_t l = k;
            while (l < j && v[l].e == v[k].e)
                l++;
            uint64_t cell = l - k;
            out->correct_pairs += cell * (cell - 1) / 2;
            b3p += (double)cell * (double)cell / (double)cs;
            k = l;
        }
        i = j;
    }
    /* Entities: true pairs, B-cubed recall, exact clusters. */
    qsort(v, n, sizeof(ce), by_entity);
    double b3r = 0;
    size_t exact = 0;
    /* Cluster sizes, indexed by cluster id. */
    {
        uint32_t maxc = 0;
        for (size_t i = 0; i < n; i++)
            maxc = RK_MAX(maxc, cluster[i]);
        csize = rk_calloc((size_t)maxc + 1, sizeof(uint32_t));
        if (!csize) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory evaluating %zu records", n);
            goto cleanup;
        }
        for (size_t i = 0; i < n; i++)
            csize[cluster[i]]++;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].e == v[i].e)
            j++;
        uint64_t es = j - i;
        out->true_pairs += es * (es - 1) / 2;
        out->entities++;
        bool one = true;
        for (size_t k = i; k < j;) {
            size_t l = k;
            while (l < j && v[l].c == v[k].c)
                l++;
            uint64_t cell = l - k;
            b3r += (double)cell * (double)cell / (double)es;
            if (cell != es || csize[v[k].c] != es)
                one = false;
            k = l;
        }
        exact += one;
        i = j;
    }
    out->precision = out->found_pairs ? (double)out->correct_pairs / (double)out->found_pairs : 1;
    out->recall = out->true_pairs ? (double)out->correct_pairs / (double)out->true_pairs : 1;
    out->f1 = f1(out->precision, out->recall);
    out->b3_precision = n ? b3p / (double)n : 1;
    out->b3_recall = n ? b3r / (double)n : 1;
    out->b3_f1 = f1(out->b3_precision, out->b3_recall);
    out->exact_share = out->entities ? (double)exact / (double)out->entities : 1;
cleanup:
    rk_free(v);
    rk_free(csize);
    return rc;
}
