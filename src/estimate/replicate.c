/* Replicates of a project's estimate: passes over other imputations, draws of the linkage and
 * the link thresholds, run in parallel and combined per stratum and method (Bayesian methods
 * by pooling their draws, the others by Rubin's rules on log(N - n)). docs/methods.md,
 * "Imputation and linkage replicates". */
#include "replicate_private.h"
#include "link/link_internal.h"

#include <gsl/gsl_errno.h>
#include <omp.h>

static const double thresholds[REPLICATE_THRESHOLDS] = {0.3, 0.5, 0.7, 0.9};

/* One pass's answer for one slot and method. */
typedef struct figure {
    bool answered;
    int64_t observed;
    double estimate, lower, upper;
    double *draws;
    size_t ndraws;
    double imputed;
    char reason[256]; /* why it did not answer */
} figure;

enum pass_kind { PASS_IMPUTATION, PASS_LINKAGE, PASS_THRESHOLD };

typedef struct pass {
    enum pass_kind kind;
    size_t index;
    const int64_t *person; /* the partition, NULL for the run's own */
    bool impute;
    uint64_t seed;
    figure *fig; /* nslots * ESTIMATE_NMETHODS */
    int rc;
    rk_ctx ctx;
} pass;

/* A seed for pass (kind, index) from the plan's: splitmix64 of the three. */
static uint64_t pass_seed(uint64_t seed, enum pass_kind kind, size_t index)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (1 + (uint64_t)kind * 1000003 + index);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t estimate_imputation_seed(uint64_t seed, size_t draw, size_t imputation)
{
    uint64_t base = draw ? pass_seed(seed, PASS_LINKAGE, draw - 1) : seed;
    if (imputation == 0)
        return base;
    return pass_seed(base, PASS_IMPUTATION, imputation);
}

/* The slot of the main pass holding a stratum of key `key`, or nslots when none does. */
static size_t slot_of(const tabulation *main, const char *key)
{
    size_t i = 0;
    while (i < main->nstrata && strcmp(main->strata[i].key, key) != 0)
        i++;
    return i;
}

static void keep_figure(figure *f, const rk_estimate *e, int64_t observed)
{
    f->answered = e->status == RK_ESTIMATE_OK && isfinite(e->lower) && isfinite(e->upper);
    f->observed = observed;
    f->estimate = e->estimate;
    f->lower = e->lower;
    f->upper = e->upper;
    if (!f->answered)
        snprintf(f->reason, sizeof(f->reason), "%.255s", e->warning);
}

/* Moves e's draws into f. */
static void take_draws(figure *f, rk_estimate *e)
{
    if (!f->answered || !e->draws)
        return;
    f->draws = e->draws;
    f->ndraws = e->ndraws;
    e->draws = NULL;
    e->ndraws = 0;
}

/* Estimates one table of a pass; each method's answer goes to fig[slot] (when the slot is
 * the main pass's) and, answered, into parts for the total. */
static int estimate_one(pass *p, const tabulation *t, const stratum *s, const rk_capture_table *ct,
                        size_t slot, size_t nslots, const rk_estimate_options *o,
                        estimate_parts parts[ESTIMATE_NMETHODS], size_t *refused,
                        int64_t *documented)
{
    rk_estimate *rows = NULL;
    size_t n = 0;
    int rc = RK_OK;
    if (s && estimate_stratum_unvalued(t, s)) { /* --impute 0 */
        (*refused)++;
        *documented += rk_capture_table_observed(ct);
        return RK_OK;
    }
    rc = rk_estimate_table(&rows, &n, &p->ctx, ct, o);
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        rk_estimate *e = &rows[i];
        if (e->extra)
            continue;
        if (!strcmp(e->method, "none")) {
            (*refused)++;
            *documented += rk_capture_table_observed(ct);
            continue;
        }
        size_t m = 0;
        while (m < ESTIMATE_NMETHODS && strcmp(estimate_method_name(m), e->method))
            m++;
        assert(m < ESTIMATE_NMETHODS);
        if (slot < nslots) {
            figure *f = &p->fig[slot * ESTIMATE_NMETHODS + m];
            keep_figure(f, e, rk_capture_table_observed(ct));
            f->imputed = s ? (double)s->imputed : 0;
            if (!s)
                take_draws(f, e);
            else if (f->answered && e->draws) { /* a copy: the total sums the strata's */
                f->draws = rk_malloc(e->ndraws * sizeof(double));
                if (!f->draws) {
                    rc = rk_error_set(&p->ctx, RK_ENOMEM, "out of memory");
                    break;
                }
                memcpy(f->draws, e->draws, e->ndraws * sizeof(double));
                f->ndraws = e->ndraws;
            }
        }
        if (!s)
            continue;
        if (e->status != RK_ESTIMATE_OK) {
            parts[m].floored++;
            parts[m].floor += rk_capture_table_observed(ct);
        } else
            rc = estimate_parts_keep(&parts[m], &p->ctx, e);
    }
    rk_estimate_array_free(rows, n);
    return rc;
}

/* One pass: persons of its partition, imputed, tabulated and estimated. */
static int run_pass(pass *p, const units *u, const tabulation *main, size_t nslots,
                    const replicate_plan *plan, const rk_estimate_options *light)
{
    tabulation t;
    memset(&t, 0, sizeof(t));
    estimate_parts parts[ESTIMATE_NMETHODS];
    memset(parts, 0, sizeof(parts));
    rk_estimate_options o = *light;
    o.lcmcr.seed = p->seed;
    size_t refused = 0;
    int64_t documented = 0;
    int rc = estimate_tabulate_persons(&t, &p->ctx, u, p->person);
    rc = rc || !p->impute ? rc : estimate_impute(&t, &p->ctx, p->seed);
    rc = rc ? rc : estimate_tabulate_strata(&t, &p->ctx);
    rc = rc ? rc : estimate_tabulation_finish(&t, &p->ctx, plan->lists);
    if (rc != RK_OK)
        goto cleanup;
    size_t total = main->nstrata, none = 0;
    int64_t nobody = 0;
    if (t.nby == 0) {
        rc = estimate_one(p, &t, NULL, t.all, total, nslots, &o, parts, &refused, &documented);
        goto cleanup;
    }
    for (size_t i = 0; i < t.nstrata && rc == RK_OK; i++) {
        size_t slot = slot_of(main, t.strata[i].key);
        rc = estimate_one(p, &t, &t.strata[i], t.strata[i].table, slot, nslots, &o, parts, &refused,
                          &documented);
    }
    /* the whole table too, unstratified, which the sum of the strata is checked against */
    rc = rc ? rc : estimate_one(p, &t, NULL, t.all, total + 1, nslots, &o, parts, &none, &nobody);
    for (size_t m = 0; m < ESTIMATE_NMETHODS && rc == RK_OK; m++) {
        rk_estimate sum;
        rk_estimate_init(&sum);
        bool made;
        rc = estimate_parts_total(&sum, &made, &p->ctx, &parts[m], t.nstrata, refused, documented);
        figure *f = &p->fig[total * ESTIMATE_NMETHODS + m];
        if (rc == RK_OK && made) {
            keep_figure(f, &sum, rk_capture_table_observed(t.all));
            take_draws(f, &sum);
        } else if (rc == RK_OK) {
            snprintf(f->reason, sizeof(f->reason), "a stratum could not be estimated");
        }
        int64_t imputed = 0;
        for (size_t b = 0; b < t.nby; b++)
            imputed += t.imputed[b];
        f->imputed = (double)imputed;
        rk_estimate_release(&sum);
    }
cleanup:
    for (size_t m = 0; m < ESTIMATE_NMETHODS; m++)
        estimate_parts_release(&parts[m]);
    estimate_tabulation_release(&t);
    return rc;
}

/* Combines one set of figures (count n, stride between them) into *out; the number that
 * answered into *answered, and a reason into `reason` when too few did. */
static int combine_set(rk_combined_estimate *out, size_t *answered, char *reason, size_t rsz,
                       rk_ctx *ctx, figure *const *figs, size_t n, int rule)
{
    out->estimate = out->lower = out->upper = NAN;
    *answered = 0;
    if (n == 0)
        return RK_OK;
    bool draws = true;
    const char *why = "";
    for (size_t i = 0; i < n; i++) {
        if (figs[i]->answered) {
            (*answered)++;
            draws &= figs[i]->ndraws > 0;
        } else if (!*why) {
            why = figs[i]->reason;
        }
    }
    /* Every replicate is one equally likely version of the data: when a fifth of them cannot
     * be estimated, the others' answer is not the answer. */
    if (*answered == 0 || (double)*answered < 0.8 * (double)n) {
        snprintf(reason, rsz,
                 "only %zu of %zu replicates (imputations or linkage draws) could be "
                 "estimated%s%.150s",
                 *answered, n, *why ? ": " : "", why);
        return RK_OK;
    }
    size_t a = *answered;
    int rc = RK_OK;
    if (draws) {
        rk_replicate *reps = rk_calloc(a, sizeof(rk_replicate));
        if (!reps)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        for (size_t i = 0, k = 0; i < n; i++) {
            if (!figs[i]->answered)
                continue;
            snprintf(reps[k].name, sizeof(reps[k].name), "R%zu", i + 1);
            reps[k].observed = figs[i]->observed;
            reps[k].draws = figs[i]->draws; /* borrowed */
            reps[k++].ndraws = figs[i]->ndraws;
        }
        rk_combine_rule r = rule < 0 || a < 2 ? RK_COMBINE_POOLED : (rk_combine_rule)rule;
        rc = rk_estimate_combine_replicates(out, ctx, reps, a, r);
        rk_free(reps);
        return rc;
    }
    double *v = rk_malloc(4 * a * sizeof(double));
    if (!v)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    for (size_t i = 0, k = 0; i < n; i++) {
        if (!figs[i]->answered)
            continue;
        v[k] = (double)figs[i]->observed;
        v[a + k] = figs[i]->estimate;
        v[2 * a + k] = figs[i]->lower;
        v[3 * a + k++] = figs[i]->upper;
    }
    rc = estimate_combine_intervals(out, ctx, v, v + a, v + 2 * a, v + 3 * a, a,
                                    rule == RK_COMBINE_VERDATA ? RK_COMBINE_VERDATA
                                                               : RK_COMBINE_RUBIN);
    rk_free(v);
    return rc;
}

/* The options of a replicate pass: one chain of LCMCR keeping its share of the draws (at least
 * 250), no dga sensitivity rows, no extra log-linear model. */
static rk_estimate_options lighten(const rk_estimate_options *o, size_t passes)
{
    rk_estimate_options l = *o;
    l.model = NULL;
    l.dga.sensitivity = false;
    long share =
        (long)((size_t)o->lcmcr.samples * (size_t)RK_MAX(o->lcmcr.chains, 1) / RK_MAX(passes, 1));
    l.lcmcr.samples = RK_MAX(share, 250);
    l.lcmcr.chains = 1;
    l.lcmcr.threads = 1;
    return l;
}

static int make_passes(pass **out, size_t *npasses, rk_link__partitions *draws,
                       rk_link__partitions thr[REPLICATE_THRESHOLDS], rk_store *st, const units *u,
                       int64_t run_id, const replicate_plan *plan, bool impute, size_t nslots)
{
    rk_ctx *ctx = rk_store_ctx(st);
    int rc = RK_OK;
    if (plan->linkages &&
        (rc = rk_link__draw_partitions(draws, st, run_id, plan->linkages, plan->seed)) != RK_OK)
        return rc;
    for (size_t j = 0; plan->thresholds && j < REPLICATE_THRESHOLDS && rc == RK_OK; j++)
        rc = rk_link__threshold_partition(&thr[j], st, run_id, thresholds[j]);
    if (rc != RK_OK)
        return rc;
    const rk_link__partitions *all[1 + REPLICATE_THRESHOLDS] = {draws, &thr[0], &thr[1], &thr[2],
                                                                &thr[3]};
    for (size_t k = 0; k < 1 + REPLICATE_THRESHOLDS; k++)
        if (all[k]->k &&
            (all[k]->n != u->nrec || memcmp(all[k]->records, u->rec_id, u->nrec * sizeof(int64_t))))
            return rk_error_set(ctx, RK_EINPUT,
                                "the link run's persons changed while estimating; run it again");
    size_t n = plan->imputations + (plan->linkages ? draws->k : 0) +
               (plan->thresholds ? REPLICATE_THRESHOLDS : 0);
    pass *p = rk_calloc(RK_MAX(n, 1), sizeof(pass));
    if (!p)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < plan->imputations; i++, k++)
        p[k] = (pass){.kind = PASS_IMPUTATION, .index = i, .impute = impute};
    for (size_t d = 0; plan->linkages && d < draws->k; d++, k++)
        p[k] = (pass){.kind = PASS_LINKAGE,
                      .index = d,
                      .person = draws->person + d * draws->n,
                      .impute = impute};
    for (size_t j = 0; plan->thresholds && j < REPLICATE_THRESHOLDS; j++, k++)
        p[k] =
            (pass){.kind = PASS_THRESHOLD, .index = j, .person = thr[j].person, .impute = impute};
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        /* pass 0 of the imputations is the main pass again: the same imputation seed */
        p[i].seed =
            p[i].kind == PASS_IMPUTATION ? estimate_imputation_seed(plan->seed, 0, p[i].index)
            : p[i].kind == PASS_LINKAGE  ? estimate_imputation_seed(plan->seed, p[i].index + 1, 0)
                                         : pass_seed(plan->seed, p[i].kind, p[i].index);
        rk_ctx_init(&p[i].ctx);
        if (!(p[i].fig = rk_calloc(nslots * ESTIMATE_NMETHODS, sizeof(figure))))
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    *out = p;
    *npasses = n;
    return rc;
}

static void free_passes(pass *p, size_t n, size_t nslots)
{
    for (size_t i = 0; p && i < n; i++) {
        for (size_t j = 0; p[i].fig && j < nslots * ESTIMATE_NMETHODS; j++)
            rk_free(p[i].fig[j].draws);
        rk_free(p[i].fig);
        rk_ctx_release(&p[i].ctx);
    }
    rk_free(p);
}

/* Combines the passes into r's cells and thresholds. */
static int combine_passes(replicates *r, rk_ctx *ctx, pass *p, size_t n)
{
    figure **set = rk_malloc(RK_MAX(n, 1) * sizeof(figure *));
    if (!set)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    int rc = RK_OK;
    for (size_t slot = 0; slot < r->nslots && rc == RK_OK; slot++) {
        for (size_t m = 0; m < ESTIMATE_NMETHODS && rc == RK_OK; m++) {
            replicate_cell *c = &r->cell[slot * ESTIMATE_NMETHODS + m];
            for (int kind = PASS_IMPUTATION; kind <= PASS_LINKAGE && rc == RK_OK; kind++) {
                size_t k = 0;
                for (size_t i = 0; i < n; i++)
                    if ((int)p[i].kind == kind)
                        set[k++] = &p[i].fig[slot * ESTIMATE_NMETHODS + m];
                char reason[256] = "";
                size_t *answered =
                    kind == PASS_IMPUTATION ? &c->single_answered : &c->combined_answered;
                rc = combine_set(kind == PASS_IMPUTATION ? &c->single : &c->combined, answered,
                                 reason, sizeof(reason), ctx, set, k, r->plan.rule);
                *(kind == PASS_IMPUTATION ? &c->single_n : &c->combined_n) = k;
                if (reason[0] && !c->reason[0])
                    snprintf(c->reason, sizeof(c->reason), "%s", reason);
                /* the persons imputed: the mean of the imputations on the run's own persons,
                 * or of the linkage draws when there are none */
                for (size_t i = 0; (kind == PASS_IMPUTATION || c->single_n == 0) && i < k; i++)
                    c->imputed += set[i]->imputed / (double)k;
            }
        }
    }
    rk_free(set);
    size_t total = r->nslots - 1 - (r->cell_whole ? 1 : 0);
    for (size_t i = 0; i < n; i++) {
        if (p[i].kind != PASS_THRESHOLD)
            continue;
        for (size_t m = 0; m < ESTIMATE_NMETHODS; m++) {
            const figure *f = &p[i].fig[total * ESTIMATE_NMETHODS + m];
            replicate_threshold *th = &r->threshold[m][p[i].index];
            *th = (replicate_threshold){.threshold = thresholds[p[i].index],
                                        .answered = f->answered,
                                        .observed = f->observed,
                                        .estimate = f->estimate,
                                        .lower = f->lower,
                                        .upper = f->upper};
            snprintf(th->reason, sizeof(th->reason), "%s", f->reason);
        }
    }
    return rc;
}

/* The passes of a plan, made and not yet run (replicate_private.h). */
struct replicate_work {
    replicates *out;
    rk_store *st;
    const units *u;
    const tabulation *main;
    const replicate_plan *plan;
    rk_estimate_options light;
    rk_link__partitions draws, thr[REPLICATE_THRESHOLDS];
    pass *p;
    size_t n;
};

int estimate_replicates_begin(replicate_work **out, replicates *r, rk_store *st, const units *u,
                              int64_t run_id, const tabulation *main, const replicate_plan *plan,
                              const rk_estimate_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    *out = NULL;
    memset(r, 0, sizeof(*r));
    r->plan = *plan;
    r->nslots = main->nstrata + (main->nby ? 2 : 1);
    r->cell_whole = main->nby > 0;
    replicate_work *w = rk_calloc(1, sizeof(*w));
    if (!w || !(r->cell = rk_calloc(r->nslots * ESTIMATE_NMETHODS, sizeof(replicate_cell)))) {
        rk_free(w);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    *w = (replicate_work){.out = r, .st = st, .u = u, .main = main, .plan = plan};
    bool impute = false; /* persons lacked values before the main pass imputed them */
    for (size_t b = 0; b < main->nby; b++)
        impute |= plan->imputations > 0 && main->without[b] > 0;
    *out = w;
    w->light = lighten(o, RK_MAX(plan->imputations, plan->linkages));
    return make_passes(&w->p, &w->n, &w->draws, w->thr, st, u, run_id, plan, impute, r->nslots);
}

size_t estimate_replicates_npasses(const replicate_work *w)
{
    return w->n;
}

const rk_estimate_options *estimate_replicates_options(const replicate_work *w)
{
    return &w->light;
}

uint64_t estimate_replicates_fingerprint(const replicate_work *w, uint64_t h)
{
    h = rk_hash64(&w->n, sizeof(w->n), h);
    for (size_t i = 0; i < w->n; i++) {
        h = rk_hash64(&w->p[i].seed, sizeof(w->p[i].seed), h);
        if (w->p[i].person)
            h = rk_hash64(w->p[i].person, w->u->nrec * sizeof(int64_t), h);
    }
    return h;
}

int estimate_replicates_compute(replicate_work *w, rk_ctx *ctx, const bool *mine)
{
    size_t n = 0, done = 0;
    for (size_t i = 0; i < w->n; i++)
        n += !mine || mine[i];
    /* glm.c turns GSL's error handler off around each fit and restores it: off for the whole
     * parallel region, no thread can restore the aborting default while another fits */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t i = 0; i < w->n; i++) {
        if (mine && !mine[i])
            continue;
        w->p[i].rc = run_pass(&w->p[i], w->u, w->main, w->out->nslots, w->plan, &w->light);
        size_t now;
#pragma omp atomic capture
        now = ++done;
        if (omp_get_thread_num() == 0) /* one thread speaks; the others only count */
            rk_progress(ctx, "drawing replicates", now, n);
    }
    gsl_set_error_handler(old);
    rk_progress(ctx, "drawing replicates", n, n);
    for (size_t i = 0; i < w->n; i++)
        if ((!mine || mine[i]) && w->p[i].rc != RK_OK) {
            ctx->err = w->p[i].ctx.err;
            return w->p[i].rc;
        }
    return RK_OK;
}

int estimate_replicates_put(rk_buf *b, const replicate_work *w, size_t i)
{
    const pass *p = &w->p[i];
    int rc = RK_OK;
    for (size_t j = 0; j < w->out->nslots * ESTIMATE_NMETHODS && rc == RK_OK; j++) {
        figure flat = p->fig[j];
        flat.draws = NULL;
        rc = rk_buf_append(b, &flat, sizeof(flat));
        rc = rc || !flat.ndraws ? rc
                                : rk_buf_append(b, p->fig[j].draws, flat.ndraws * sizeof(double));
    }
    return rc;
}

int estimate_replicates_get(replicate_work *w, size_t i, const char **at, const char *end)
{
    pass *p = &w->p[i];
    for (size_t j = 0; j < w->out->nslots * ESTIMATE_NMETHODS; j++) {
        figure *f = &p->fig[j];
        if ((size_t)(end - *at) < sizeof(*f))
            return RK_EINTERNAL;
        rk_free(f->draws);
        memcpy(f, *at, sizeof(*f));
        *at += sizeof(*f);
        f->draws = NULL;
        if (!f->ndraws)
            continue;
        if (f->ndraws > (size_t)(end - *at) / sizeof(double)) {
            f->ndraws = 0;
            return RK_EINTERNAL;
        }
        if (!(f->draws = rk_malloc(f->ndraws * sizeof(double)))) {
            f->ndraws = 0;
            return RK_ENOMEM;
        }
        memcpy(f->draws, *at, f->ndraws * sizeof(double));
        *at += f->ndraws * sizeof(double);
    }
    p->rc = RK_OK;
    return RK_OK;
}

int estimate_replicates_finish(replicate_work *w, rk_ctx *ctx)
{
    return combine_passes(w->out, ctx, w->p, w->n);
}

void estimate_replicates_work_free(replicate_work *w)
{
    if (!w)
        return;
    free_passes(w->p, w->n, w->out->nslots);
    rk_link__partitions_release(&w->draws);
    for (size_t j = 0; j < REPLICATE_THRESHOLDS; j++)
        rk_link__partitions_release(&w->thr[j]);
    rk_free(w);
}

int estimate_replicates_run(replicates *out, rk_store *st, const units *u, int64_t run_id,
                            const tabulation *main, const replicate_plan *plan,
                            const rk_estimate_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    replicate_work *w = NULL;
    int rc = estimate_replicates_begin(&w, out, st, u, run_id, main, plan, o);
    rc = rc ? rc : estimate_replicates_compute(w, ctx, NULL);
    rc = rc ? rc : estimate_replicates_finish(w, ctx);
    estimate_replicates_work_free(w);
    return rc;
}

void estimate_replicates_release(replicates *r)
{
    rk_free(r->cell);
    memset(r, 0, sizeof(*r));
}

const replicate_cell *estimate_replicates_cell(const replicates *r, size_t slot, size_t method)
{
    if (!r || !r->cell || slot >= r->nslots)
        return NULL;
    return &r->cell[slot * ESTIMATE_NMETHODS + method];
}

static int interval_json(rk_buf *b, const char *name, double observed, double est, double lo,
                         double hi)
{
    int rc = rk_buf_printf(b, ",\"%s\":{", name);
    const char *sep = "";
    const struct {
        const char *k;
        double v;
    } f[] = {{"observed", observed}, {"estimate", est}, {"lower", lo}, {"upper", hi}};
    for (size_t i = 0; i < 4 && rc == RK_OK; i++) {
        if (isfinite(f[i].v)) {
            rc = rk_buf_printf(b, "%s\"%s\":%.17g", sep, f[i].k, f[i].v);
            sep = ",";
        }
    }
    return rc ? rc : rk_buf_putc(b, '}');
}

int estimate_replicates_json(rk_buf *out, const replicates *r, size_t slot, size_t method,
                             const rk_estimate *one, bool total)
{
    const replicate_cell *c = estimate_replicates_cell(r, slot, method);
    if (!c)
        return RK_OK;
    const rk_combined_estimate *single = c->single_n ? &c->single : NULL;
    double s_lo = single ? single->lower : one->lower, s_hi = single ? single->upper : one->upper;
    double s_est = single ? single->estimate : one->estimate;
    const rk_combined_estimate *comb = c->combined_n ? &c->combined : NULL;
    double c_lo = comb ? comb->lower : s_lo, c_hi = comb ? comb->upper : s_hi;
    const char *rule = r->plan.rule >= 0 ? rk_estimate_combine_rule_name(r->plan.rule)
                       : one->ndraws     ? "pooled"
                                         : "rubin";
    int rc = rk_buf_printf(out,
                           ",\"replicates\":{\"linkages\":%zu,\"imputations\":%zu,"
                           "\"replicates\":%zu,\"rule\":\"%s\",\"answered\":%zu,\"imputed\":%.17g",
                           c->combined_n, c->single_n, comb ? c->combined_n : c->single_n, rule,
                           comb ? c->combined_answered : c->single_answered, c->imputed);
    double s_obs = single ? single->observed : (double)one->observed;
    rc = rc ? rc : interval_json(out, "single", s_obs, s_est, s_lo, s_hi);
    rc = rc ? rc
            : interval_json(out, "one", (double)one->observed, one->estimate, one->lower,
                            one->upper);
    double widened[2] = {(s_hi - s_lo) - (one->upper - one->lower), (c_hi - c_lo) - (s_hi - s_lo)};
    rc = rc ? rc : rk_buf_puts(out, ",\"widened\":{");
    for (size_t i = 0; i < 2 && rc == RK_OK; i++) {
        rc = rk_buf_printf(out, "%s\"%s\":", i ? "," : "", i ? "linkage" : "imputation");
        rc = rc                     ? rc
             : isfinite(widened[i]) ? rk_buf_printf(out, "%.17g", widened[i])
                                    : rk_buf_puts(out, "null");
    }
    rc = rc ? rc : rk_buf_putc(out, '}');
    if (rc == RK_OK && c->reason[0]) {
        rc = rk_buf_puts(out, ",\"reason\":");
        rc = rc ? rc : rk_buf_json_string(out, c->reason, strlen(c->reason));
    }
    rc = rc ? rc : rk_buf_putc(out, '}');
    if (rc != RK_OK || !total || !r->plan.thresholds)
        return rc;
    rc = rk_buf_puts(out, ",\"thresholds\":[");
    for (size_t j = 0; j < REPLICATE_THRESHOLDS && rc == RK_OK; j++) {
        const replicate_threshold *th = &r->threshold[method][j];
        rc = rk_buf_printf(out, "%s{\"threshold\":%.2f,\"observed\":%lld", j ? "," : "",
                           th->threshold, (long long)th->observed);
        if (rc == RK_OK && th->answered)
            rc = rk_buf_printf(out, ",\"estimate\":%.17g,\"lower\":%.17g,\"upper\":%.17g",
                               th->estimate, th->lower, th->upper);
        rc = rc ? rc : rk_buf_printf(out, ",\"status\":\"%s\"", th->answered ? "ok" : "refused");
        if (rc == RK_OK && !th->answered) {
            rc = rk_buf_puts(out, ",\"reason\":");
            rc = rc ? rc : rk_buf_json_string(out, th->reason, strlen(th->reason));
        }
        rc = rc ? rc : rk_buf_putc(out, '}');
    }
    return rc ? rc : rk_buf_putc(out, ']');
}
