/* Estimating from a project: estimates each table that tabulate.c builds for the run's own
 * persons (the whole and every stratum with --by, values persons lack imputed) through
 * rk_estimate_table, sums strata into totals, sets beside each what replicate.c combined over
 * other imputations and draws of the linkage, and stores every result (method, settings, seed,
 * capture table, full output) with an audit event, in one transaction. */
#include "tasks_private.h"
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
    size_t imputations;               /* M when values were imputed, else 0 */
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
    /* a replicated figure's persons are the replicates' mean (imputations move persons
     * between strata; linkage draws split and join them) */
    sqlite3_bind_int64(q, 9, e && e->observed > 0 ? e->observed : rk_capture_table_observed(ct));
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

/* The index of a method in the dispatcher's table. */
static size_t method_index(const char *method)
{
    size_t m = 0;
    while (m < ESTIMATE_NMETHODS && strcmp(estimate_method_name(m), method) != 0)
        m++;
    assert(m < ESTIMATE_NMETHODS); /* every row of rk_estimate_table names a method of the table */
    return m;
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

/* The figure a replicated cell stores: combined over the linkage draws when there are any,
 * else over the imputations; NULL when refused or when nothing was replicated. */
static const rk_combined_estimate *stored_figure(const replicate_cell *c)
{
    if (c->reason[0] || (!c->combined_n && !c->single_n))
        return NULL;
    return c->combined_n ? &c->combined : &c->single;
}

/* Sets the combined figure of a replicated cell in e (the single estimate `one` of the run's
 * own persons stays in result.replicates); false when the combined figure is refused, with
 * the reason in `reason`. */
static bool replicated_figure(rk_estimate *e, char *reason, size_t rsz, const replicate_cell *c)
{
    if (c->reason[0]) {
        snprintf(reason, rsz, "%s", c->reason);
        return false;
    }
    const rk_combined_estimate *f = stored_figure(c);
    if (!f)
        return true;
    e->estimate = f->estimate;
    e->lower = f->lower;
    e->upper = f->upper;
    e->observed = llround(f->observed);
    return true;
}

/* A replicated cell's figure, or NULL when it has none to compare with. */
static const rk_combined_estimate *cell_figure(const replicates *reps, size_t slot, size_t m)
{
    const replicate_cell *c = estimate_replicates_cell(reps, slot, m);
    const rk_combined_estimate *f = c ? stored_figure(c) : NULL;
    return f && isfinite(f->estimate) && isfinite(f->lower) && isfinite(f->upper) ? f : NULL;
}

/* Widens a stratum's interval to span its share of the estimate without strata too: the
 * stratum's unseen persons (interval ends less its persons) scaled by the whole table's unseen
 * over the sum of the strata's, when that reaches past it; says so in `note` and gives the
 * figures in `extra`. The reason is span_whole's, stratum by stratum: a stratum has fewer
 * persons to model how people differ in visibility than the whole table, and its estimate is
 * biased the way the sum of all strata is (docs/methods.md, "Imputation and linkage
 * replicates"). */
static int span_share(rk_estimate *shown, char *note, size_t notesz, rk_buf *extra,
                      const replicates *reps, const tabulation *t, size_t m)
{
    const rk_combined_estimate *sum = cell_figure(reps, t->nstrata, m);
    const rk_combined_estimate *whole = cell_figure(reps, t->nstrata + 1, m);
    if (!sum || !whole)
        return RK_OK;
    double rho = (whole->estimate - whole->observed) / (sum->estimate - sum->observed);
    if (!isfinite(rho) || !(rho > 0))
        return RK_OK;
    double n = (double)shown->observed, lo = shown->lower, hi = shown->upper;
    double share_lo = fmax(n + (lo - n) * rho, n), share_hi = n + (hi - n) * rho;
    int rc = rk_buf_printf(extra,
                           ",\"share_of_whole\":{\"ratio\":%.17g,\"lower\":%.17g,"
                           "\"upper\":%.17g}",
                           rho, share_lo, share_hi);
    if (rc != RK_OK || (share_lo >= lo && share_hi <= hi))
        return rc;
    shown->lower = fmin(lo, share_lo);
    shown->upper = fmax(hi, share_hi);
    size_t len = strlen(note);
    snprintf(note + len, notesz - len,
             "%sthe interval spans the stratum's estimate (%.0f, %.0f) and its share of the "
             "estimate without strata (%.0f, %.0f: its unseen persons times %.2f, the whole "
             "table's unseen over the strata's)",
             len ? "; " : "", lo, hi, share_lo, share_hi, rho);
    return RK_OK;
}

/* Stores the rows rk_estimate_table gave for one table (slot `slot` of the replicates; the
 * extra rows stay out: the ranked models travel in the answer's result) and keeps each answer
 * for the totals. With --impute 0 a stratum of persons without a value is refused. */
static int estimate_table(writer *w, const tabulation *t, const stratum *s,
                          const rk_capture_table *ct, const rk_estimate_options *o,
                          const char *config, estimate_parts pm[ESTIMATE_NMETHODS],
                          const replicates *reps, estimate_answers *ans, size_t slot,
                          size_t *answered, rk_estimate **keep_rows, size_t *keep_n)
{
    rk_ctx *ctx = rk_store_ctx(w->st);
    rk_estimate *rows = NULL;
    size_t n = 0;
    rk_buf extra;
    rk_buf_init(&extra);
    int rc = RK_OK;
    if (s && estimate_stratum_unvalued(t, s)) {
        if (!(rows = rk_calloc(1, sizeof(rk_estimate))))
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        else {
            n = 1;
            rk_estimate_init(rows);
            snprintf(rows->method, sizeof(rows->method), "none");
            rows->status = RK_ESTIMATE_REFUSED;
            int64_t named[MAX_LISTS], alone[MAX_LISTS];
            estimate_table_list_counts(ct, named, alone);
            size_t len =
                (size_t)snprintf(rows->warning, sizeof(rows->warning), "%lld persons have no ",
                                 (long long)rk_capture_table_observed(ct));
            for (size_t b = 0, k = 0; b < t->nby && len < sizeof(rows->warning); b++)
                if (s->ids[b] < 0)
                    len += (size_t)snprintf(rows->warning + len, sizeof(rows->warning) - len,
                                            "%s%s", k++ ? " or " : "", t->by[b]);
            if (len < sizeof(rows->warning))
                len += (size_t)snprintf(rows->warning + len, sizeof(rows->warning) - len,
                                        "; the lists naming them:");
            for (size_t l = 0; l < rk_capture_table_nlists(ct) && len < sizeof(rows->warning); l++)
                if (named[l])
                    len += (size_t)snprintf(rows->warning + len, sizeof(rows->warning) - len,
                                            " %s %lld,", rk_capture_table_list_name(ct, l),
                                            (long long)named[l]);
            if (len < sizeof(rows->warning))
                snprintf(rows->warning + len - 1, sizeof(rows->warning) - len + 1,
                         ". --impute 0 counts them as documented only; impute them (--impute "
                         "M) to estimate them");
        }
    } else if (ans && ans->rows && ans->rows[slot]) { /* a task's answer (an MPI run) */
        rows = ans->rows[slot];
        n = ans->nrows[slot];
        ans->rows[slot] = NULL;
        ans->nrows[slot] = 0;
    } else {
        rc = rk_estimate_table(&rows, &n, ctx, ct, o);
    }
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        rk_estimate *e = &rows[i];
        if (e->extra)
            continue;
        const char *reason = e->warning[0] ? e->warning : NULL;
        if (!strcmp(e->method, "none")) { /* refused: counted in totals as documented */
            w->refused_observed += rk_capture_table_observed(ct);
            w->refused_strata++;
            for (size_t b = 0; s && b < t->nby; b++)
                if (s->ids[b] < 0)
                    w->refused_unvalued[b] += rk_capture_table_observed(ct);
            rc = store(w, t, s, ct, NULL, "none", config, "refused", reason, NULL);
            continue;
        }
        size_t m = method_index(e->method);
        estimate_parts *part = &pm[m];
        if (e->status == RK_ESTIMATE_REFUSED) {
            part->floored++;
            part->floor += rk_capture_table_observed(ct);
            rc = store(w, t, s, ct, NULL, e->method, config, "refused", reason, NULL);
            continue;
        }
        rk_buf_clear(&extra);
        if (result_extra(&extra, e) != RK_OK ||
            estimate_replicates_json(&extra, reps, slot, m, e, !s) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
        bool ok = e->status == RK_ESTIMATE_OK;
        const replicate_cell *c = estimate_replicates_cell(reps, slot, m);
        rk_estimate shown = *e; /* the figure stored: the combined one when replicated */
        char refusal[256] = "";
        if (ok && c && !replicated_figure(&shown, refusal, sizeof(refusal), c)) {
            part->floored++;
            part->floor += rk_capture_table_observed(ct);
            rc = store(w, t, s, ct, &shown, e->method, config, "refused", refusal,
                       rk_buf_cstr(&extra));
            continue;
        }
        char note[1024];
        snprintf(note, sizeof(note), "%s", reason ? reason : "");
        if (ok && s && c)
            rc = span_share(&shown, note, sizeof(note), &extra, reps, t, m);
        rc = rc ? rc
                : store(w, t, s, ct, &shown, e->method, config, ok ? "ok" : "boundary",
                        note[0] ? note : NULL, rk_buf_cstr(&extra));
        (*answered)++;
        if (rc == RK_OK && ok && !keep_rows)
            rc = estimate_parts_keep(part, ctx, e);
        if (!ok) {
            part->floored++;
            part->floor += rk_capture_table_observed(ct);
        }
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

static int config_json(rk_buf *b, const tabulation *t, const rk_estimate_options *o,
                       const replicate_plan *plan)
{
    int rc = rk_buf_puts(b, "{\"methods\":[");
    bool first = !(o->methods & RK_METHOD_AUTO);
    rc = rc ? rc : rk_buf_puts(b, first ? "" : "\"auto\"");
    for (size_t m = 0; m < ESTIMATE_NMETHODS && rc == RK_OK; m++)
        if (o->methods & estimate_method_bit(m)) {
            rc = rk_buf_printf(b, "%s\"%s\"", first ? "" : ",", estimate_method_name(m));
            first = false;
        }
    rc = rc ? rc : rk_buf_puts(b, "],\"by\":[");
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = rk_buf_printf(b, "%s\"%s\"", i ? "," : "", t->by[i]);
    if (rc == RK_OK && t->u->nage) {
        rc = rk_buf_puts(b, "],\"age_groups\":[");
        for (size_t i = 0; i < t->u->nage && rc == RK_OK; i++)
            rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)t->u->age[i]);
    }
    const rk_lcmcr_options *l = &o->lcmcr;
    rc = rc ? rc
            : rk_buf_printf(b,
                            "],\"criterion\":\"%s\",\"lcmcr\":{\"seed\":%llu,\"kstar\":%d,"
                            "\"a_alpha\":%.17g,\"b_alpha\":%.17g,\"burnin\":%ld,\"samples\":%ld,"
                            "\"thin\":%ld,\"chains\":%d},\"dga\":{\"delta\":%.17g,"
                            "\"nmissing_max\":%lld,\"nprior\":\"%s\"}",
                            o->criterion == RK_CRITERION_AIC ? "aic" : "bic",
                            (unsigned long long)l->seed, l->kstar, l->a_alpha, l->b_alpha,
                            l->burnin, l->samples, l->thin, l->chains, o->dga.delta,
                            (long long)o->dga.nmissing_max,
                            o->dga.prior == RK_DGA_PRIOR_UNIFORM ? "uniform" : "inverse");
    if (rc == RK_OK && t->u->gaz_id) /* the gazetteer that made the regions and places */
        rc = rk_buf_printf(b, ",\"gazetteer\":{\"id\":%lld,\"sha256\":\"%s\"}",
                           (long long)t->u->gaz_id, t->u->gaz_sha256);
    if (rc == RK_OK)
        rc = rk_buf_printf(b, ",\"imputations\":%zu,\"linkages\":%zu,\"combine\":\"%s\"}",
                           plan->imputations, plan->linkages,
                           plan->rule < 0 ? "auto" : rk_estimate_combine_rule_name(plan->rule));
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
    int64_t without = t->without[b], documented = w->refused_unvalued[b];
    if (rc == RK_OK && without > 0 && w->imputations > 0)
        return rk_buf_printf(out,
                             ": the %lld persons without it had it imputed from the lists that "
                             "name them and their other fields, in %zu imputations combined.",
                             (long long)without, w->imputations);
    rc = rc ? rc
            : rk_buf_printf(out,
                            ": the estimates by %s describe only the persons that lists "
                            "recording it name",
                            f);
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
              : rk_buf_puts(out, "; imputing the missing values (--impute M, the default) is "
                                 "what would fix this.");
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
        rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)t->without[i]);
    rc = rc ? rc : rk_buf_puts(b, "],\"documented_only\":[");
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)w->refused_unvalued[i]);
    rc = rc ? rc : rk_buf_puts(b, "],\"imputed\":[");
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)t->imputed[i]);
    rc = rc ? rc : rk_buf_printf(b, "],\"imputations\":%zu,\"lists\":[", w->imputations);
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

int rk_estimate_project_table(rk_capture_table **out, rk_store *st, const char *lists)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    *out = NULL;
    units u;
    memset(&u, 0, sizeof(u));
    tabulation t;
    memset(&t, 0, sizeof(t));
    int64_t run_id;
    int rc = rk_link_latest_run(&run_id, st);
    rc = rc ? rc : estimate_units_load(&u, st, run_id, NULL, NULL);
    rc = rc ? rc : estimate_tabulate_persons(&t, ctx, &u, NULL);
    rc = rc ? rc : estimate_tabulate_strata(&t, ctx);
    rc = rc ? rc : estimate_tabulation_finish(&t, ctx, lists);
    if (rc == RK_OK) {
        *out = t.all;
        t.all = NULL;
    }
    estimate_tabulation_release(&t);
    estimate_units_release(&u);
    return rc;
}

/* What to replicate, from the source's settings. */
static int plan_replicates(replicate_plan *plan, rk_ctx *ctx, const rk_estimate_source *src,
                           const rk_estimate_options *o, const tabulation *t)
{
    int64_t per_list[MAX_LISTS];
    int64_t unvalued = t->nby ? estimate_unvalued_persons(t, per_list) : 0;
    *plan = (replicate_plan){.rule = -1, .lists = src->lists, .seed = o->lcmcr.seed};
    if (unvalued > 0 && src->impute >= 0)
        plan->imputations = src->impute ? (size_t)src->impute : RK_ESTIMATE_IMPUTATIONS;
    if (src->linkages >= 0) {
        plan->linkages = src->linkages ? (size_t)src->linkages : RK_ESTIMATE_LINKAGES;
        plan->thresholds = true;
    }
    if (src->combine) {
        rk_combine_rule rule;
        int rc = rk_estimate_combine_rule_parse(&rule, ctx, src->combine);
        if (rc != RK_OK)
            return rc;
        plan->rule = (int)rule;
    }
    return RK_OK;
}

/* The method's estimate of the whole table without strata, as the batch's figures are (combined
 * over the replicates when there are any), into *out; false when it gave none. */
static int whole_figure(rk_combined_estimate *out, bool *made, rk_ctx *ctx, const tabulation *t,
                        const rk_estimate_options *o, const replicates *reps,
                        const estimate_answers *ans, size_t m)
{
    *made = false;
    if (estimate_replicates_cell(reps, t->nstrata + 1, m)) {
        const rk_combined_estimate *f = cell_figure(reps, t->nstrata + 1, m);
        if ((*made = f != NULL))
            *out = *f;
        return RK_OK;
    }
    rk_estimate *rows = NULL;
    size_t n = 0;
    bool given = ans && ans->has_whole[m]; /* a task's answer (an MPI run) */
    int rc = given ? RK_OK : estimate_whole_rows(&rows, &n, ctx, t, o, m);
    if (given)
        rows = ans->whole[m], n = ans->nwhole[m];
    for (size_t i = 0; i < n && rc == RK_OK; i++)
        if (!rows[i].extra && rows[i].status == RK_ESTIMATE_OK && isfinite(rows[i].lower) &&
            isfinite(rows[i].upper)) {
            *made = true;
            out->observed = (double)rows[i].observed;
            out->estimate = rows[i].estimate;
            out->lower = rows[i].lower;
            out->upper = rows[i].upper;
        }
    if (!given)
        rk_estimate_array_free(rows, n);
    return rc;
}

/* Widens a sum of strata's interval to span the estimate without strata too, when that reaches
 * past it, and says so in `note`; the two figures go to `extra`. Stratifying models capture
 * that differs between strata but leaves each stratum fewer persons to model how people differ
 * within it, which biases each stratum's estimate down; the whole table models that better but
 * not the differences between strata. Neither is known to be right, so the interval spans
 * both. */
static int span_whole(rk_estimate *shown, char *note, size_t notesz, rk_buf *extra,
                      const rk_combined_estimate *whole)
{
    double lo = shown->lower, hi = shown->upper;
    int rc = rk_buf_printf(extra,
                           ",\"strata_sum\":{\"estimate\":%.17g,\"lower\":%.17g,\"upper\":%.17g},"
                           "\"whole\":{\"estimate\":%.17g,\"lower\":%.17g,\"upper\":%.17g}",
                           shown->estimate, lo, hi, whole->estimate, whole->lower, whole->upper);
    if (rc != RK_OK || (whole->lower >= lo && whole->upper <= hi))
        return rc;
    shown->lower = fmin(lo, whole->lower);
    shown->upper = fmax(hi, whole->upper);
    size_t len = strlen(note);
    snprintf(note + len, notesz - len,
             "%sthe interval spans the sum of the strata (%.0f [%.0f, %.0f]) and the estimate "
             "without strata (%.0f [%.0f, %.0f]), which model how persons differ in visibility "
             "within and between strata differently",
             len ? "; " : "", shown->estimate, lo, hi, whole->estimate, whole->lower, whole->upper);
    return RK_OK;
}

/* Stores the totals: per method, the strata summed where every estimable stratum gave an
 * estimate, the interval spanning the estimate without strata too (span_whole). Persons of
 * refused strata (too sparse or degenerate) are added as documented only: the total is then a
 * sum over fewer strata plus a floor, and says so. */
static int store_totals(writer *w, const tabulation *t, estimate_parts pm[ESTIMATE_NMETHODS],
                        const replicates *reps, const estimate_answers *ans,
                        const rk_estimate_options *o, const char *config, size_t *answered)
{
    rk_ctx *ctx = rk_store_ctx(w->st);
    int rc = RK_OK;
    for (size_t m = 0; m < ESTIMATE_NMETHODS && rc == RK_OK; m++) {
        rk_estimate total;
        rk_estimate_init(&total);
        bool made;
        rc = estimate_parts_total(&total, &made, ctx, &pm[m], t->nstrata, w->refused_strata,
                                  w->refused_observed);
        if (rc != RK_OK || !made) {
            rk_estimate_release(&total);
            continue;
        }
        char fields[MAX_BY * 42];
        size_t len = 0;
        for (size_t b = 0; b < t->nby; b++)
            len += (size_t)snprintf(fields + len, sizeof(fields) - len, "%s%s",
                                    b == 0            ? ""
                                    : b + 1 == t->nby ? " and "
                                                      : ", ",
                                    t->by[b]);
        snprintf(total.model, sizeof(total.model), "sum of %zu strata by %.80s", pm[m].n, fields);
        char note[768] = "";
        size_t at = 0;
        if (w->refused_strata)
            at = (size_t)snprintf(note, sizeof(note),
                                  "plus %lld persons of %zu strata refused (too sparse or "
                                  "degenerate to estimate), counted as documented only",
                                  (long long)w->refused_observed, w->refused_strata);
        if (pm[m].floored && at < sizeof(note))
            snprintf(note + at, sizeof(note) - at,
                     "%splus %lld persons of %zu strata this method could not estimate (their "
                     "rows say why), counted as documented only",
                     at ? "; " : "", (long long)pm[m].floor, pm[m].floored);
        rk_buf extra;
        rk_buf_init(&extra);
        rc = draws_json(&extra, &total);
        rc = rc ? rc : estimate_replicates_json(&extra, reps, t->nstrata, m, &total, true);
        const replicate_cell *c = estimate_replicates_cell(reps, t->nstrata, m);
        rk_estimate shown = total;
        char refusal[256] = "";
        bool ok = !c || replicated_figure(&shown, refusal, sizeof(refusal), c);
        rk_combined_estimate whole;
        bool whole_made = false;
        rc = rc ? rc : whole_figure(&whole, &whole_made, ctx, t, o, reps, ans, m);
        if (rc == RK_OK && ok && whole_made)
            rc = span_whole(&shown, note, sizeof(note), &extra, &whole);
        if (rc == RK_OK)
            rc = store(w, t, NULL, t->all, &shown, estimate_method_name(m), config,
                       ok ? "ok" : "refused", ok ? (note[0] ? note : NULL) : refusal,
                       rk_buf_cstr(&extra));
        rk_buf_release(&extra);
        *answered += ok;
        rk_estimate_release(&total);
    }
    return rc;
}

int estimate_project(rk_estimate_result *out, rk_store *st, const rk_estimate_source *src,
                     const rk_estimate_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    units u;
    memset(&u, 0, sizeof(u));
    tabulation t;
    memset(&t, 0, sizeof(t));
    replicates reps;
    memset(&reps, 0, sizeof(reps));
    estimate_answers ans;
    memset(&ans, 0, sizeof(ans));
    bool mpi = estimate_mpi_active();
    writer w = {.st = st};
    rk_buf_init(&w.a);
    rk_buf_init(&w.b);
    rk_buf_init(&w.c);
    rk_buf_init(&w.d);
    rk_buf config, payload;
    rk_buf_init(&config);
    rk_buf_init(&payload);
    estimate_parts pm[ESTIMATE_NMETHODS];
    memset(pm, 0, sizeof(pm));
    bool txn = false;
    int64_t run_id;
    replicate_plan plan;
    int rc = rk_link_latest_run(&run_id, st);
    if (rc != RK_OK)
        goto cleanup;
    w.run_id = run_id;
    if ((rc = estimate_units_load(&u, st, run_id, src->by, src->age_groups)) != RK_OK ||
        (rc = estimate_tabulate_persons(&t, ctx, &u, NULL)) != RK_OK ||
        (rc = plan_replicates(&plan, ctx, src, o, &t)) != RK_OK)
        goto cleanup;
    /* the main pass's imputation is the first of the replicates' (the same seed) */
    if (plan.imputations && (rc = estimate_impute(&t, ctx, plan.seed)) != RK_OK)
        goto cleanup;
    w.imputations = plan.imputations;
    if ((rc = estimate_tabulate_strata(&t, ctx)) != RK_OK ||
        (rc = estimate_tabulation_finish(&t, ctx, src->lists)) != RK_OK)
        goto cleanup;
    if (mpi) { /* the tables and passes as tasks on the ranks; rank 0 alone goes on */
        if ((rc = estimate_tasks_run(&ans, &reps, st, &u, run_id, &t, &plan, o)) != RK_OK ||
            rk_link_mpi_rank() != 0)
            goto cleanup;
    } else if ((plan.imputations || plan.linkages) &&
               (rc = estimate_replicates_run(&reps, st, &u, run_id, &t, &plan, o)) != RK_OK) {
        goto cleanup;
    }
    if (config_json(&config, &t, o, &plan) != RK_OK) {
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
    const replicates *r = reps.cell ? &reps : NULL;
    if (t.nby == 0) {
        rc = estimate_table(&w, &t, NULL, t.all, o, rk_buf_cstr(&config), pm, r, &ans, 0,
                            &out->estimated, &out->rows, &out->nrows);
    } else {
        for (size_t i = 0; i < t.nstrata && rc == RK_OK; i++) {
            rk_progress(ctx, "estimating strata", i, t.nstrata);
            rc = estimate_table(&w, &t, &t.strata[i], t.strata[i].table, o, rk_buf_cstr(&config),
                                pm, r, &ans, i, &out->estimated, NULL, NULL);
        }
        rk_progress(ctx, "estimating strata", t.nstrata, t.nstrata);
        rc = rc ? rc : store_totals(&w, &t, pm, r, &ans, o, rk_buf_cstr(&config), &out->estimated);
    }
    if (rc == RK_OK && t.nby && w.batch)
        rc = store_missing(&w, &t);
    if (rc != RK_OK)
        goto cleanup;
    char digest[65];
    if ((rc = rk_store__digest_query(st, RK_STORE_ESTIMATES_DIGEST_SQL, w.batch, 0, digest)) !=
        RK_OK)
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
    for (size_t m = 0; m < ESTIMATE_NMETHODS; m++)
        estimate_parts_release(&pm[m]);
    estimate_replicates_release(&reps);
    estimate_answers_release(&ans);
    estimate_tabulation_release(&t);
    estimate_units_release(&u);
    rk_buf_release(&w.a);
    rk_buf_release(&w.b);
    rk_buf_release(&w.c);
    rk_buf_release(&w.d);
    rk_buf_release(&config);
    rk_buf_release(&payload);
    return rc;
}
