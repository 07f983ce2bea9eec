/* Model search over hierarchical log-linear models, as Rcapture's closedpMS.t: every model
 * with all main effects and any antichain of interactions of order 2 to K - 1, fitted and
 * ranked by BIC or AIC. For K = 4 that is 113 models; K is limited to 5. */
#include "loglinear_private.h"

typedef struct search {
    uint64_t cand[64];
    size_t ncand;
    uint64_t chosen[RK_LOGLINEAR_MAX_TERMS];
    size_t nchosen;
    rk_loglinear_model *models;
    size_t nmodels, cap;
    int rc;
} search;

static bool comparable(uint64_t a, uint64_t b)
{
    return (a & b) == a || (a & b) == b;
}

/* Chooses, for each candidate from index i on, whether to include it. */
static void enumerate(search *s, size_t i)
{
    if (s->rc != RK_OK)
        return;
    if (i == s->ncand) {
        if (s->nmodels == s->cap &&
            rk_grow((void **)&s->models, &s->cap, s->nmodels + 1, sizeof(rk_loglinear_model))) {
            s->rc = RK_ENOMEM;
            return;
        }
        rk_loglinear_model *m = &s->models[s->nmodels++];
        memset(m, 0, sizeof(*m));
        m->per_list = true;
        m->nterms = s->nchosen;
        memcpy(m->terms, s->chosen, s->nchosen * sizeof(uint64_t));
        return;
    }
    enumerate(s, i + 1);
    for (size_t j = 0; j < s->nchosen; j++)
        if (comparable(s->chosen[j], s->cand[i]))
            return;
    s->chosen[s->nchosen++] = s->cand[i];
    enumerate(s, i + 1);
    s->nchosen--;
}

static int cmp_values(double cx, double cy)
{
    if (isnan(cx) != isnan(cy))
        return isnan(cx) ? 1 : -1;
    return (cx > cy) - (cx < cy);
}

static int cmp_bic(const void *a, const void *b)
{
    return cmp_values(((const rk_estimate *)a)->bic, ((const rk_estimate *)b)->bic);
}

static int cmp_aic(const void *a, const void *b)
{
    return cmp_values(((const rk_estimate *)a)->aic, ((const rk_estimate *)b)->aic);
}

int rk_estimate_model_search(rk_estimate **out, size_t *n, rk_ctx *ctx, const rk_capture_table *t,
                             rk_criterion criterion)
{
    RK_ASSERT_ARG(ctx, out && n && t);
    *out = NULL;
    *n = 0;
    size_t k = t->nlists;
    if (k < 3 || k > 5)
        return rk_error_set(ctx, RK_EINPUT,
                            "the model search needs 3 to 5 lists, not %zu; choose with --lists", k);
    search s = {.rc = RK_OK};
    for (int size = (int)k - 1; size >= 2; size--)
        for (uint64_t m = 1; m < (UINT64_C(1) << k); m++)
            if (estimate_popcount(m) == size)
                s.cand[s.ncand++] = m;
    enumerate(&s, 0);
    rk_estimate *arr = NULL;
    size_t nok = 0;
    int rc = s.rc;
    if (rc != RK_OK) {
        rk_error_set(ctx, rc, "out of memory");
        goto cleanup;
    }
    if (!(arr = rk_calloc(s.nmodels, sizeof(rk_estimate)))) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < s.nmodels; i++) {
        rc = rk_estimate_loglinear(&arr[nok], ctx, t, &s.models[i], false);
        if (rc == RK_ENOMEM)
            goto cleanup;
        if (rc != RK_OK) { /* a model the counts cannot identify is left out of the ranking */
            rk_estimate_release(&arr[nok]);
            rk_error_clear(ctx);
            rc = RK_OK;
            continue;
        }
        if (s.models[i].nterms == 0) { /* the independence model, named as closedpMS.t does */
            rk_buf b;
            rk_buf_init(&b);
            rk_buf_putc(&b, '[');
            for (size_t j = 0; j < k; j++)
                rk_buf_printf(&b, j ? ",%zu" : "%zu", j + 1);
            rk_buf_putc(&b, ']');
            snprintf(arr[nok].model, sizeof(arr[nok].model), "%s", rk_buf_cstr(&b));
            rk_buf_release(&b);
        }
        nok++;
    }
    qsort(arr, nok, sizeof(rk_estimate), criterion == RK_CRITERION_AIC ? cmp_aic : cmp_bic);
    *out = arr;
    *n = nok;
    arr = NULL;
cleanup:
    rk_estimate_array_free(arr, nok);
    rk_free(s.models);
    return rc;
}
