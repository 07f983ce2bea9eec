/* Stratification helpers: the one rule for a table (or stratum) too sparse or degenerate to
 * estimate, and adding per-stratum estimates into a total (draw by draw for posterior samples,
 * else by summing estimates and variances). Tabulation of persons into per-stratum capture
 * tables feeds rk_capture_table_add. */
#include "estimate_private.h"

/* Whether none of `n` persons being of a kind whose share is p is improbable: below 1 in
 * 1,000. */
static bool improbable_none(int64_t n, double p)
{
    return p > 0 && (p >= 1 || (double)n * log1p(-p) < log(1e-3));
}

/* A stratum compared with the whole it was cut from: a list that names persons in the whole
 * but none here, or none alone here, where the whole makes that improbable, has most likely
 * not recorded the field: the persons only it names then have no stratum, and within each
 * stratum the other lists seem to miss nobody. */
static int check_stratum(rk_ctx *ctx, const rk_capture_table *t)
{
    int64_t named[RK_ESTIMATE_MAX_LISTS], alone[RK_ESTIMATE_MAX_LISTS];
    estimate_table_list_counts(t, named, alone);
    int64_t whole = t->whole_total;
    const char *fields = t->fields && *t->fields ? t->fields : "the stratum's field";
    for (size_t j = 0; j < t->nlists; j++) {
        int64_t wn = t->whole_named[j], wa = t->whole_alone[j];
        /* Were this stratum like the whole, each of its persons would be on the list with
         * probability wn / whole, and each of the list's persons here its alone with
         * probability wa / wn. */
        double on = whole ? (double)wn / (double)whole : 0, own = wn ? (double)wa / (double)wn : 0;
        if (named[j] == 0 && improbable_none(t->total, on) && t->unvalued)
            return rk_error_set(ctx, RK_EINPUT,
                                "list '%s' names %lld persons overall but none of the %lld in "
                                "this stratum of persons without '%s' (about %.0f expected "
                                "here): they are persons that only lists without it name, so "
                                "nothing here says how many are unseen",
                                t->names[j], (long long)wn, (long long)t->total, fields,
                                (double)t->total * on);
        if (named[j] == 0 && improbable_none(t->total, on))
            return rk_error_set(ctx, RK_EINPUT,
                                "list '%s' names %lld persons overall but none of the %lld in "
                                "this stratum (about %.0f expected here): it may not record "
                                "'%s'; estimate without it (--lists) or without --by",
                                t->names[j], (long long)wn, (long long)t->total,
                                (double)t->total * on, fields);
        if (named[j] > 0 && alone[j] == 0 && improbable_none(named[j], own))
            return rk_error_set(ctx, RK_EINPUT,
                                "list '%s' names %lld persons in this stratum but none that no "
                                "other list names, though %lld of its %lld persons overall are "
                                "its alone (about %.0f expected here): it may not record '%s', "
                                "so the persons only it names have no stratum; estimate without "
                                "it (--lists) or without --by",
                                t->names[j], (long long)named[j], (long long)wa, (long long)wn,
                                (double)named[j] * own, fields);
    }
    return RK_OK;
}

int rk_estimate_check_sparse(rk_ctx *ctx, const rk_capture_table *t, int64_t min_observed)
{
    RK_ASSERT_ARG(ctx, t);
    const char *where = t->stratum ? "this stratum" : "this table";
    if (t->total < min_observed || t->total == 0)
        return rk_error_set(ctx, RK_EINPUT,
                            "%s has %lld persons, fewer than %lld: too sparse to estimate; merge "
                            "it with a neighbouring stratum",
                            where, (long long)t->total, (long long)RK_MAX(min_observed, 1));
    uint64_t seen = 0;
    int64_t multi = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->count[i] <= 0)
            continue;
        seen |= t->pattern[i];
        if (estimate_popcount(t->pattern[i]) > 1)
            multi += t->count[i];
    }
    int holding = estimate_popcount(seen);
    if (t->nlists >= 3 && holding < 3)
        return rk_error_set(ctx, RK_EINPUT,
                            "only %d of the %zu lists name persons in %s; 3 are needed", holding,
                            t->nlists, where);
    int rc = t->whole_named ? check_stratum(ctx, t) : RK_OK;
    if (rc != RK_OK)
        return rc;
    int64_t named[RK_ESTIMATE_MAX_LISTS], alone[RK_ESTIMATE_MAX_LISTS];
    estimate_table_list_counts(t, named, alone);
    for (size_t j = 0; j < t->nlists; j++)
        if (named[j] == t->total)
            return rk_error_set(ctx, RK_EINPUT,
                                "list '%s' names all %lld persons of %s: it alone documents "
                                "everyone, so nothing says how many no list names",
                                t->names[j], (long long)t->total, where);
    if (multi == 0)
        return rk_error_set(ctx, RK_EINPUT,
                            "no person is on more than one list: the lists do not overlap, so "
                            "nothing says how many no list names");
    return RK_OK;
}

int rk_estimate_combine_strata(rk_estimate *out, rk_ctx *ctx, const rk_estimate *parts, size_t n)
{
    RK_ASSERT_ARG(ctx, out && (parts || n == 0));
    rk_estimate_init(out);
    if (n == 0)
        return rk_error_set(ctx, RK_EINPUT, "no strata to combine");
    bool draws = true;
    for (size_t i = 0; i < n; i++)
        draws &= parts[i].ndraws > 0 && parts[i].ndraws == parts[0].ndraws &&
                 parts[i].nchains == parts[0].nchains;
    snprintf(out->method, sizeof(out->method), "%s", parts[0].method);
    snprintf(out->model, sizeof(out->model), "sum of %zu strata", n);
    for (size_t i = 0; i < n; i++)
        out->observed += parts[i].observed;
    if (draws) {
        size_t nd = parts[0].ndraws;
        out->draws = rk_calloc(nd, sizeof(double));
        if (!out->draws)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
            for (size_t d = 0; d < nd; d++)
                out->draws[d] += parts[i].draws[d];
        out->ndraws = nd;
        out->nchains = parts[0].nchains;
        return estimate_summarize_draws(out, ctx);
    }
    double est = 0, var = 0;
    for (size_t i = 0; i < n; i++) {
        est += parts[i].estimate;
        var += parts[i].stderr_n * parts[i].stderr_n;
    }
    out->estimate = est;
    out->stderr_n = sqrt(var);
    /* no fewer than the persons seen: a normal interval of a skewed sum can reach below them */
    out->lower = fmax(est - 1.959963984540054 * out->stderr_n, (double)out->observed);
    out->upper = est + 1.959963984540054 * out->stderr_n;
    snprintf(out->interval_kind, sizeof(out->interval_kind), "normal");
    snprintf(out->warning, sizeof(out->warning),
             "strata combined by adding estimates and variances (normal interval), which "
             "assumes the strata are independent");
    return RK_OK;
}

int estimate_parts_keep(estimate_parts *p, rk_ctx *ctx, rk_estimate *e)
{
    if (rk_grow((void **)&p->parts, &p->cap, p->n + 1, sizeof(rk_estimate)) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    rk_estimate_array_free(e->models, e->nmodels); /* a total needs no models */
    e->models = NULL;
    e->nmodels = 0;
    p->parts[p->n++] = *e;
    rk_estimate_init(e);
    return RK_OK;
}

int estimate_parts_total(rk_estimate *out, bool *made, rk_ctx *ctx, const estimate_parts *p,
                         size_t nstrata, size_t refused, int64_t documented)
{
    *made = false;
    if (p->n == 0 || p->n + p->floored + refused != nstrata)
        return RK_OK;
    documented += p->floor;
    int rc = rk_estimate_combine_strata(out, ctx, p->parts, p->n);
    if (rc != RK_OK)
        return rc;
    double add = (double)documented;
    out->estimate += add;
    out->lower += add;
    out->upper += add;
    out->mean += add;
    out->median += add;
    out->observed += documented;
    for (size_t i = 0; out->draws && i < out->ndraws; i++)
        out->draws[i] += add;
    *made = true;
    return RK_OK;
}

void estimate_parts_release(estimate_parts *p)
{
    rk_estimate_array_free(p->parts, p->n);
    memset(p, 0, sizeof(*p));
}
