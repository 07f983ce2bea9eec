/* Estimating from a project: estimates each table that tabulate.c builds (the whole and every
 * stratum with --by) through rk_estimate_table, sums strata into totals, and stores every result
 * (method, settings, seed, capture table, full output) with an audit event, in one
 * transaction. */
#include "tabulate_private.h"
#include "estimate_internal.h"
#include "store/store_internal.h"

#include <math.h>
#include <sqlite3.h>

/* ---- storing ---- */

typedef struct writer {
    rk_store *st;
    sqlite3_stmt *ins;
    int64_t run_id, batch;
    char now[32];
    rk_buf a, b, c, d; /* scratch for JSON */
    int count;
    int64_t refused_observed; /* persons of strata refused (too sparse or degenerate) */
    size_t refused_strata;
    int64_t refused_unvalued[MAX_BY]; /* of them, those without a value of each field */
} writer;

static int json_stratum(rk_buf *b, const tabulation *t, const stratum *s)
{
    if (!s)
        return RK_OK;
    int rc = rk_buf_putc(b, '{');
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++) {
        rc = rk_buf_puts(b, i ? "," : "");
        rc = rc ? rc : rk_buf_json_string(b, t->by[i], strlen(t->by[i]));
        rc = rc ? rc : rk_buf_putc(b, ':');
        rc = rc ? rc : rk_buf_json_string(b, s->values[i], strlen(s->values[i]));
    }
    return rc ? rc : rk_buf_putc(b, '}');
}

static int json_capture(rk_buf *b, const rk_capture_table *ct)
{
    int rc = rk_buf_puts(b, "{\"patterns\":[");
    for (size_t i = 0; i < rk_capture_table_npatterns(ct) && rc == RK_OK; i++) {
        uint64_t pattern;
        int64_t count;
        rk_capture_table_pattern(ct, i, &pattern, &count);
        rc = rk_buf_printf(b, "%s[%llu,%lld]", i ? "," : "", (unsigned long long)pattern,
                           (long long)count);
    }
    return rc ? rc : rk_buf_puts(b, "],\"bit\":\"list j is bit j, in the order of lists\"}");
}

static void put_num(rk_buf *b, const char *key, double v)
{
    if (isfinite(v))
        rk_buf_printf(b, ",\"%s\":%.17g", key, v);
}

/* One estimate row. `extra` is more JSON members for result (may be empty). */
static int store(writer *w, const tabulation *t, const stratum *s, const rk_capture_table *ct,
                 const rk_estimate *e, const char *method, const char *config, const char *status,
                 const char *reason, const char *extra)
{
    rk_ctx *ctx = rk_store_ctx(w->st);
    rk_buf_clear(&w->a);
    rk_buf_clear(&w->b);
    rk_buf_clear(&w->c);
    int rc = json_stratum(&w->a, t, s);
    rc = rc ? rc : rk_buf_putc(&w->b, '[');
    for (size_t l = 0; l < rk_capture_table_nlists(ct) && rc == RK_OK; l++) {
        const char *name = rk_capture_table_list_name(ct, l);
        rc = rk_buf_puts(&w->b, l ? "," : "");
        rc = rc ? rc : rk_buf_json_string(&w->b, name, strlen(name));
    }
    rc = rc ? rc : rk_buf_putc(&w->b, ']');
    rc = rc ? rc : json_capture(&w->c, ct);
    rk_buf_clear(&w->d);
    rc = rc ? rc : rk_buf_printf(&w->d, "{\"method\":\"%s\"", method);
    if (rc == RK_OK && e) {
        rc = rk_buf_puts(&w->d, ",\"model\":");
        rc = rc ? rc : rk_buf_json_string(&w->d, e->model, strlen(e->model));
        rc = rc ? rc : rk_buf_printf(&w->d, ",\"interval\":\"%s\"", e->interval_kind);
        put_num(&w->d, "estimate", e->estimate);
        put_num(&w->d, "stderr", e->stderr_n);
        put_num(&w->d, "lower", e->lower);
        put_num(&w->d, "upper", e->upper);
        put_num(&w->d, "mean", e->mean);
        put_num(&w->d, "median", e->median);
        put_num(&w->d, "rhat", e->rhat);
        put_num(&w->d, "ess", e->ess);
        if (e->warning[0]) {
            rc = rk_buf_puts(&w->d, ",\"warning\":");
            rc = rc ? rc : rk_buf_json_string(&w->d, e->warning, strlen(e->warning));
        }
    }
    rc = rc ? rc : rk_buf_puts(&w->d, extra ? extra : "");
    rc = rc ? rc : rk_buf_putc(&w->d, '}');
    if (rc != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    sqlite3_stmt *q = w->ins;
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    sqlite3_bind_text(q, 1, w->now, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, w->run_id);
    sqlite3_bind_text(q, 3, method, -1, SQLITE_STATIC);
    if (e)
        sqlite3_bind_text(q, 4, e->model, -1, SQLITE_TRANSIENT);
    if (s)
        sqlite3_bind_text(q, 5, rk_buf_cstr(&w->a), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, rk_buf_cstr(&w->b), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, config, -1, SQLITE_STATIC);
    if (e && e->seed)
        sqlite3_bind_int64(q, 8, (sqlite3_int64)e->seed);
    sqlite3_bind_int64(q, 9, rk_capture_table_observed(ct));
    if (e && isfinite(e->estimate))
        sqlite3_bind_double(q, 10, e->estimate);
    if (e && isfinite(e->lower))
        sqlite3_bind_double(q, 11, e->lower);
    if (e && isfinite(e->upper))
        sqlite3_bind_double(q, 12, e->upper);
    sqlite3_bind_text(q, 13, status, -1, SQLITE_STATIC);
    if (reason)
        sqlite3_bind_text(q, 14, reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 15, rk_buf_cstr(&w->c), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 16, rk_buf_cstr(&w->d), -1, SQLITE_STATIC);
    if (w->batch)
        sqlite3_bind_int64(q, 17, w->batch);
    if (sqlite3_step(q) != SQLITE_DONE)
        return rk_store__sqlerr(w->st, "cannot store an estimate");
    int64_t id = sqlite3_last_insert_rowid(rk_store__db(w->st));
    if (!w->batch) {
        w->batch = id;
        char sql[96];
        snprintf(sql, sizeof(sql), "UPDATE estimate SET batch = %lld WHERE id = %lld",
                 (long long)id, (long long)id);
        if ((rc = rk_store__exec(w->st, sql)) != RK_OK)
            return rc;
    }
    w->count++;
    return RK_OK;
}

/* The ranked models of a search as JSON members for the result. */
static int models_json(rk_buf *b, const rk_estimate *m, size_t n)
{
    int rc = rk_buf_puts(b, ",\"models\":[");
    for (size_t i = 0; i < n && i < 30 && rc == RK_OK; i++) {
        rc = rk_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        rc = rc ? rc : rk_buf_json_string(b, m[i].model, strlen(m[i].model));
        put_num(b, "estimate", m[i].estimate);
        put_num(b, "lower", m[i].lower);
        put_num(b, "upper", m[i].upper);
        put_num(b, "deviance", m[i].deviance);
        rc = rc ? rc : rk_buf_printf(b, ",\"df\":%d", m[i].df);
        put_num(b, "aic", m[i].aic);
        put_num(b, "bic", m[i].bic);
        rc = rc ? rc : rk_buf_putc(b, '}');
    }
    return rc ? rc : rk_buf_putc(b, ']');
}

static int draws_json(rk_buf *b, const rk_estimate *e)
{
    if (!e->draws || !e->ndraws)
        return RK_OK;
    /* At most 2,000 draws, evenly thinned, chain after chain. */
    size_t step = e->ndraws > 2000 ? (e->ndraws + 1999) / 2000 : 1;
    int rc =
        rk_buf_printf(b, ",\"chains\":%zu,\"draws_thinned_by\":%zu,\"draws\":[", e->nchains, step);
    for (size_t i = 0, k = 0; i < e->ndraws && rc == RK_OK; i += step, k++)
        rc = rk_buf_printf(b, "%s%.0f", k ? "," : "", e->draws[i]);
    return rc ? rc : rk_buf_putc(b, ']');
}

/* ---- estimating ---- */

typedef struct per_method {
    rk_estimate *parts; /* one per stratum, for the total */
    size_t n, cap;
    bool complete; /* every stratum gave an estimate */
} per_method;

/* One per method of the dispatcher's table, in its order. */
#define PM_COUNT ESTIMATE_NMETHODS

static per_method *find_pm(per_method pm[PM_COUNT], const char *method)
{
    size_t m = 0;
    while (m < PM_COUNT && strcmp(estimate_method_name(m), method) != 0)
        m++;
    assert(m < PM_COUNT); /* every row of rk_estimate_table names a method of the table */
    return &pm[m];
}

/* The members of result that one method's row carries beside its figures: loglinear's ranked
 * models, dga's sensitivity rows and graph, the draws of a Bayesian method. */
static int result_extra(rk_buf *b, const rk_estimate *e)
{
    int rc = e->nmodels ? models_json(b, e->models, e->nmodels) : RK_OK;
    if (rc == RK_OK && !strcmp(e->method, "dga")) {
        /* the delta rows again in the shape the report charts (estimate = median) */
        rc = rk_buf_puts(b, ",\"delta_sensitivity\":[");
        bool first = true;
        for (size_t i = 0; i < e->nsensitivity && rc == RK_OK; i++) {
            const rk_estimate_sensitivity *r = &e->sensitivity[i];
            if (strcmp(r->varies, "delta"))
                continue;
            rc = rk_buf_printf(b, "%s{\"delta\":%.17g", first ? "" : ",", r->delta);
            put_num(b, "estimate", r->median);
            put_num(b, "lower", r->lower);
            put_num(b, "upper", r->upper);
            rc = rc ? rc : rk_buf_putc(b, '}');
            first = false;
        }
        rc = rc ? rc : rk_buf_puts(b, "],\"sensitivity\":");
        rc = rc ? rc : rk_estimate_sensitivity_json(b, e);
        rc = rc ? rc : rk_buf_puts(b, ",\"graphs\":[{\"graph\":");
        rc = rc ? rc : rk_buf_json_string(b, e->model, strlen(e->model));
        rc = rc ? rc : rk_buf_puts(b, ",\"note\":\"the graph of highest posterior weight\"}]");
    }
    return rc ? rc : draws_json(b, e);
}

static int keep(per_method *pm, rk_ctx *ctx, rk_estimate *e)
{
    if (rk_grow((void **)&pm->parts, &pm->cap, pm->n + 1, sizeof(rk_estimate)) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    pm->parts[pm->n++] = *e;
    rk_estimate_init(e);
    return RK_OK;
}

/* Stores the rows rk_estimate_table gave for one table (the extra rows stay out: the ranked
 * models travel in the answer's result) and keeps each answer for the totals. */
static int estimate_table(writer *w, const tabulation *t, const stratum *s,
                          const rk_capture_table *ct, const rk_estimate_options *o,
                          const char *config, per_method pm[PM_COUNT], size_t *answered,
                          rk_estimate **keep_rows, size_t *keep_n)
{
    rk_ctx *ctx = rk_store_ctx(w->st);
    rk_estimate *rows = NULL;
    size_t n = 0;
    rk_buf extra;
    rk_buf_init(&extra);
    int rc = rk_estimate_table(&rows, &n, ctx, ct, o);
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        rk_estimate *e = &rows[i];
        if (e->extra)
            continue;
        const char *reason = e->warning[0] ? e->warning : NULL;
        if (!strcmp(e->method, "none")) { /* refused: counted in totals as documented */
            w->refused_observed += rk_capture_table_observed(ct);
            w->refused_strata++;
            for (size_t b = 0; s && b < t->nby; b++)
                if (!s->values[b][0])
                    w->refused_unvalued[b] += rk_capture_table_observed(ct);
            rc = store(w, t, s, ct, NULL, "none", config, "refused", reason, NULL);
            continue;
        }
        per_method *m = find_pm(pm, e->method);
        if (e->status == RK_ESTIMATE_REFUSED) {
            m->complete = false;
            rc = store(w, t, s, ct, NULL, e->method, config, "refused", reason, NULL);
            continue;
        }
        rk_buf_clear(&extra);
        if (result_extra(&extra, e) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
        bool ok = e->status == RK_ESTIMATE_OK;
        rc = store(w, t, s, ct, e, e->method, config, ok ? "ok" : "boundary", reason,
                   rk_buf_cstr(&extra));
        (*answered)++;
        if (rc == RK_OK && ok && !keep_rows) {
            rk_estimate_array_free(e->models, e->nmodels); /* the totals need no models */
            e->models = NULL;
            e->nmodels = 0;
            rc = keep(m, ctx, e);
        }
        if (!ok)
            m->complete = false;
    }
    if (rc == RK_OK && keep_rows) {
        *keep_rows = rows;
        *keep_n = n;
        rows = NULL;
        n = 0;
    }
    rk_estimate_array_free(rows, n);
    rk_buf_release(&extra);
    return rc;
}

static int config_json(rk_buf *b, const tabulation *t, const rk_estimate_options *o)
{
    int rc = rk_buf_puts(b, "{\"methods\":[");
    bool first = true;
    for (size_t m = 0; m < PM_COUNT && rc == RK_OK; m++)
        if (o->methods & estimate_method_bit(m)) {
            rc = rk_buf_printf(b, "%s\"%s\"", first ? "" : ",", estimate_method_name(m));
            first = false;
        }
    rc = rc ? rc : rk_buf_puts(b, "],\"by\":[");
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = rk_buf_printf(b, "%s\"%s\"", i ? "," : "", t->by[i]);
    if (rc == RK_OK && t->nage) {
        rc = rk_buf_puts(b, "],\"age_groups\":[");
        for (size_t i = 0; i < t->nage && rc == RK_OK; i++)
            rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)t->age[i]);
    }
    const rk_lcmcr_options *l = &o->lcmcr;
    rc = rc ? rc
            : rk_buf_printf(b,
                            "],\"criterion\":\"%s\",\"lcmcr\":{\"seed\":%llu,\"kstar\":%d,"
                            "\"a_alpha\":%.17g,\"b_alpha\":%.17g,\"burnin\":%ld,\"samples\":%ld,"
                            "\"thin\":%ld,\"chains\":%d},\"dga\":{\"delta\":%.17g,"
                            "\"nmissing_max\":%lld,\"nprior\":\"%s\"}}",
                            o->criterion == RK_CRITERION_AIC ? "aic" : "bic",
                            (unsigned long long)l->seed, l->kstar, l->a_alpha, l->b_alpha,
                            l->burnin, l->samples, l->thin, l->chains, o->dga.delta,
                            (long long)o->dga.nmissing_max,
                            o->dga.prior == RK_DGA_PRIOR_UNIFORM ? "uniform" : "inverse");
    return rc;
}

/* ---- missing values ---- */

/* A list misses a field for (nearly) all its persons from this share on. */
#define NEARLY_ALL 0.9

/* The index in the tabulation of list j of the (chosen) table. */
static size_t list_index(const tabulation *t, size_t j)
{
    const char *name = rk_capture_table_list_name(t->all, j);
    size_t l = 0;
    while (l < t->nlists && strcmp(t->list_names[l], name) != 0)
        l++;
    assert(l < t->nlists); /* the chosen lists are among the tabulation's */
    return l;
}

static bool nearly_all(const tabulation *t, size_t l, size_t b)
{
    return t->named[l] > 0 && (double)t->unrecorded[l][b] >= NEARLY_ALL * (double)t->named[l];
}

/* The persons of the table without a value of field b: those of the strata without one. */
static int64_t unvalued(const tabulation *t, size_t b)
{
    int64_t n = 0;
    for (size_t i = 0; i < t->nstrata; i++)
        if (!t->strata[i].values[b][0])
            n += rk_capture_table_observed(t->strata[i].table);
    return n;
}

/* One plain sentence when lists of the table do not record field b for (nearly) all their
 * persons: what the estimates by it then describe, and what would fix it. */
static int missing_note(rk_buf *out, const tabulation *t, const writer *w, size_t b)
{
    size_t nl = rk_capture_table_nlists(t->all), k = 0, shown = 0, one = 0;
    for (size_t j = 0; j < nl; j++)
        if (nearly_all(t, list_index(t, j), b)) {
            k++;
            one = list_index(t, j);
        }
    if (k == 0)
        return RK_OK;
    const char *f = t->by[b];
    int rc = rk_buf_puts(out, out->len ? " " : "");
    for (size_t j = 0; j < nl && rc == RK_OK; j++) {
        if (!nearly_all(t, list_index(t, j), b))
            continue;
        const char *sep = shown == 0 ? "" : shown + 1 == k ? " and " : ", ";
        rc = rk_buf_printf(out, "%s'%s'", sep, rk_capture_table_list_name(t->all, j));
        shown++;
    }
    if (rc == RK_OK && k == 1)
        rc = rk_buf_printf(out, " does not record %s for %lld of its %lld persons", f,
                           (long long)t->unrecorded[one][b], (long long)t->named[one]);
    else if (rc == RK_OK)
        rc = rk_buf_printf(out, " do not record %s for (nearly) all their persons", f);
    rc = rc ? rc
            : rk_buf_printf(out,
                            ": the estimates by %s describe only the persons that lists "
                            "recording it name",
                            f);
    int64_t without = unvalued(t, b), documented = w->refused_unvalued[b];
    if (rc == RK_OK && without > 0 && documented == without)
        rc = rk_buf_printf(out, ", and the %lld persons without it count as documented only",
                           (long long)without);
    else if (rc == RK_OK && without > 0 && documented == 0)
        rc = rk_buf_printf(out,
                           ", and the %lld persons without it are estimated as a stratum of "
                           "their own",
                           (long long)without);
    else if (rc == RK_OK && without > 0)
        rc =
            rk_buf_printf(out, ", and of the %lld persons without it %lld count as documented only",
                          (long long)without, (long long)documented);
    return rc ? rc
              : rk_buf_puts(out, "; imputing the missing values (not built yet) is what would "
                                 "fix this.");
}

/* The missing values of a stratified batch, as result.missing of its first row: per --by
 * field, the persons of the table without a value and those of them counted as documented
 * only; per list, the persons it names and those its records give no value. */
static int missing_json(rk_buf *b, const tabulation *t, const writer *w)
{
    size_t nl = rk_capture_table_nlists(t->all);
    rk_buf note;
    rk_buf_init(&note);
    int rc = rk_buf_puts(b, "{\"by\":[");
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++) {
        rc = rk_buf_puts(b, i ? "," : "");
        rc = rc ? rc : rk_buf_json_string(b, t->by[i], strlen(t->by[i]));
    }
    rc = rc ? rc
            : rk_buf_printf(b, "],\"persons\":%lld,\"without\":[",
                            (long long)rk_capture_table_observed(t->all));
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)unvalued(t, i));
    rc = rc ? rc : rk_buf_puts(b, "],\"documented_only\":[");
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)w->refused_unvalued[i]);
    rc = rc ? rc : rk_buf_puts(b, "],\"lists\":[");
    for (size_t j = 0; j < nl && rc == RK_OK; j++) {
        size_t l = list_index(t, j);
        rc = rk_buf_puts(b, j ? ",{\"list\":" : "{\"list\":");
        rc = rc ? rc : rk_buf_json_string(b, t->list_names[l], strlen(t->list_names[l]));
        rc = rc ? rc : rk_buf_printf(b, ",\"persons\":%lld,\"without\":[", (long long)t->named[l]);
        for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
            rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)t->unrecorded[l][i]);
        rc = rc ? rc : rk_buf_puts(b, "]}");
    }
    rc = rc ? rc : rk_buf_putc(b, ']');
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = missing_note(&note, t, w, i);
    if (rc == RK_OK && note.len) {
        rc = rk_buf_puts(b, ",\"note\":");
        rc = rc ? rc : rk_buf_json_string(b, note.data, note.len);
    }
    rk_buf_release(&note);
    return rc ? rc : rk_buf_putc(b, '}');
}

/* Adds result.missing to the first row of the batch (whose id is the batch's). */
static int store_missing(writer *w, const tabulation *t)
{
    rk_ctx *ctx = rk_store_ctx(w->st);
    sqlite3_stmt *s = NULL;
    rk_buf json;
    rk_buf_init(&json);
    int rc = missing_json(&json, t, w);
    if (rc != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rk_store__prepare_int64(&s, w->st,
                                      "UPDATE estimate SET result = json_set(result,"
                                      " '$.missing', json(?2)) WHERE id = ?1",
                                      w->batch, "cannot store the missing values")) != RK_OK)
        goto cleanup;
    sqlite3_bind_text(s, 2, rk_buf_cstr(&json), -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = rk_store__sqlerr(w->st, "cannot store the missing values");
cleanup:
    sqlite3_finalize(s);
    rk_buf_release(&json);
    return rc;
}

/* Keeps only the lists named in `lists` (NULL: all), in the whole table and every stratum; a
 * stratum whose persons only the other lists name is no stratum of these lists. */
static int select_lists(tabulation *t, rk_ctx *ctx, const char *lists)
{
    if (!lists)
        return RK_OK;
    int rc = estimate_select_lists(&t->all, ctx, lists);
    for (size_t i = 0; i < t->nstrata && rc == RK_OK; i++)
        rc = estimate_select_lists(&t->strata[i].table, ctx, lists);
    size_t kept = 0;
    for (size_t i = 0; i < t->nstrata && rc == RK_OK; i++) {
        if (rk_capture_table_observed(t->strata[i].table) == 0)
            rk_capture_table_free(t->strata[i].table);
        else
            t->strata[kept++] = t->strata[i];
    }
    if (rc == RK_OK)
        t->nstrata = kept;
    return rc;
}

/* Tells each stratum the whole it was cut from, after the lists are chosen, so that the one
 * rule (rk_estimate_check_sparse) can refuse a stratum that a list without the field empties. */
static int mark_strata(tabulation *t, rk_ctx *ctx)
{
    char fields[MAX_BY * 42];
    size_t len = 0;
    for (size_t b = 0; b < t->nby; b++)
        len +=
            (size_t)snprintf(fields + len, sizeof(fields) - len, "%s%s", b ? ", " : "", t->by[b]);
    int rc = RK_OK;
    for (size_t i = 0; i < t->nstrata && rc == RK_OK; i++) {
        rc = rk_capture_table_set_whole(t->strata[i].table, ctx, t->all, fields);
        for (size_t b = 0; b < t->nby; b++)
            t->strata[i].table->unvalued |= !t->strata[i].values[b][0];
    }
    return rc;
}

int rk_estimate_project_table(rk_capture_table **out, rk_store *st, const char *lists)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    *out = NULL;
    tabulation t;
    memset(&t, 0, sizeof(t));
    int64_t run_id;
    int rc = rk_link_latest_run(&run_id, st);
    rc = rc ? rc : estimate_tabulate(&t, st, run_id, NULL, NULL);
    rc = rc ? rc : select_lists(&t, ctx, lists);
    if (rc == RK_OK) {
        *out = t.all;
        t.all = NULL;
    }
    estimate_tabulation_release(&t);
    return rc;
}

int estimate_project(rk_estimate_result *out, rk_store *st, const rk_estimate_source *src,
                     const rk_estimate_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    tabulation t;
    memset(&t, 0, sizeof(t));
    writer w = {.st = st};
    rk_buf_init(&w.a);
    rk_buf_init(&w.b);
    rk_buf_init(&w.c);
    rk_buf_init(&w.d);
    rk_buf config, payload;
    rk_buf_init(&config);
    rk_buf_init(&payload);
    per_method pm[PM_COUNT];
    memset(pm, 0, sizeof(pm));
    for (size_t m = 0; m < PM_COUNT; m++)
        pm[m].complete = true;
    bool txn = false;
    int64_t run_id;
    int rc = rk_link_latest_run(&run_id, st);
    if (rc != RK_OK)
        goto cleanup;
    w.run_id = run_id;
    if ((rc = estimate_tabulate(&t, st, run_id, src->by, src->age_groups)) != RK_OK ||
        (rc = select_lists(&t, ctx, src->lists)) != RK_OK || (rc = mark_strata(&t, ctx)) != RK_OK)
        goto cleanup;
    if (config_json(&config, &t, o) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    rk_time_iso(w.now);
    if ((rc = rk_store_begin(st)) != RK_OK)
        goto cleanup;
    txn = true;
    if ((rc = rk_store__prepare(
             &w.ins, st,
             "INSERT INTO estimate(time, run_id, method, model, stratum, lists,"
             " config, seed, observed, estimate, lower, upper, status, reason,"
             " capture, result, batch) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
             "cannot store estimates")) != RK_OK)
        goto cleanup;
    if (t.nby == 0) {
        rc = estimate_table(&w, &t, NULL, t.all, o, rk_buf_cstr(&config), pm, &out->estimated,
                            &out->rows, &out->nrows);
    } else {
        for (size_t i = 0; i < t.nstrata && rc == RK_OK; i++) {
            rk_progress(ctx, "estimate", i, t.nstrata);
            rc = estimate_table(&w, &t, &t.strata[i], t.strata[i].table, o, rk_buf_cstr(&config),
                                pm, &out->estimated, NULL, NULL);
        }
        /* Totals: the strata summed, per method, where every estimable stratum gave an
         * estimate. Persons of refused strata (too sparse or degenerate) are added as documented
         * only: the total is then a sum over fewer strata plus a floor, and says so. */
        for (size_t m = 0; m < PM_COUNT && rc == RK_OK; m++) {
            if (!pm[m].complete || pm[m].n == 0 || pm[m].n + w.refused_strata != t.nstrata)
                continue;
            rk_estimate total;
            rk_estimate_init(&total);
            rc = rk_estimate_combine_strata(&total, ctx, pm[m].parts, pm[m].n);
            if (rc == RK_OK) {
                double add = (double)w.refused_observed;
                total.estimate += add;
                total.lower += add;
                total.upper += add;
                total.mean += add;
                total.median += add;
                for (size_t i = 0; total.draws && i < total.ndraws; i++)
                    total.draws[i] += add;
                snprintf(total.model, sizeof(total.model), "sum of %zu strata by %s", pm[m].n,
                         t.by[0]);
                char note[256] = "";
                if (w.refused_strata)
                    snprintf(note, sizeof(note),
                             "plus %lld persons of %zu strata refused (too sparse or degenerate "
                             "to estimate), counted as documented only",
                             (long long)w.refused_observed, w.refused_strata);
                rk_buf extra;
                rk_buf_init(&extra);
                rc = draws_json(&extra, &total);
                if (rc == RK_OK)
                    rc = store(&w, &t, NULL, t.all, &total, estimate_method_name(m),
                               rk_buf_cstr(&config), "ok", note[0] ? note : NULL,
                               rk_buf_cstr(&extra));
                rk_buf_release(&extra);
                out->estimated++;
            }
            rk_estimate_release(&total);
        }
    }
    if (rc == RK_OK && t.nby && w.batch)
        rc = store_missing(&w, &t);
    if (rc != RK_OK)
        goto cleanup;
    char digest[65];
    if ((rc = rk_store__digest_query(st, RK_STORE_ESTIMATES_DIGEST_SQL, w.batch, digest)) != RK_OK)
        goto cleanup;
    if (rk_buf_printf(&payload, "{\"batch\":%lld,\"run_id\":%lld,\"rows\":%d,\"digest\":\"%s\"}",
                      (long long)w.batch, (long long)run_id, w.count, digest) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    sqlite3_finalize(w.ins);
    w.ins = NULL;
    if ((rc = rk_store_log_event(st, "estimate", rk_buf_cstr(&payload), NULL)) != RK_OK)
        goto cleanup;
    txn = false;
    if ((rc = rk_store_commit(st)) != RK_OK)
        goto cleanup;
    out->batch = w.batch;
    out->stored = (size_t)w.count;
    out->table = t.all;
    t.all = NULL;
cleanup:
    sqlite3_finalize(w.ins);
    if (txn)
        rk_store_rollback(st);
    for (size_t m = 0; m < PM_COUNT; m++)
        rk_estimate_array_free(pm[m].parts, pm[m].n);
    estimate_tabulation_release(&t);
    rk_buf_release(&w.a);
    rk_buf_release(&w.b);
    rk_buf_release(&w.c);
    rk_buf_release(&w.d);
    rk_buf_release(&config);
    rk_buf_release(&payload);
    return rc;
}
