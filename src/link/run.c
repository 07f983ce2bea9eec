/* A whole linkage run on in-memory records: check the options, block, compare every candidate
 * pair (in parallel, each pair written to its own slot so results do not depend on the
 * number of threads), fit the model on distinct comparison vectors, score and cluster. */
#include "link_private.h"
#include "mpi.h"

#include <omp.h>

/* The least m of a level when scoring: EM may drive a level seen in no match to its bound,
 * which would make one noisy field veto any pair. */
#define M_FLOOR 1e-3
/* The progress stage of the tables, samples and key sets made between blocking and comparing
 * (half a minute at ten million records). */
#define PREPARING "preparing to compare steps"
/* The progress stage of m refitted and the scores' own fit: the pairs gone through, summed
 * over the steps (12 s at ten million records, in steps of one to five seconds). */
#define REFITTING "refitting pairs"

static int check_options(rk_ctx *ctx, const rk_link_data *d, const rk_link_options *o)
{
    if (o->version != RK_LINK_OPTIONS_VERSION)
        return rk_error_set(ctx, RK_EINTERNAL, "link options version %u, expected %u", o->version,
                            RK_LINK_OPTIONS_VERSION);
    if (o->ncompare == 0 || o->ncompare > RK_LINK_MAX_FIELDS)
        return rk_error_set(ctx, RK_EINPUT, "a linkage compares 1 to %d fields, not %zu",
                            RK_LINK_MAX_FIELDS, o->ncompare);
    if (o->nrules == 0)
        return rk_error_set(ctx, RK_EINPUT, "a linkage needs at least one blocking rule");
    if (o->max_block < 2)
        return rk_error_set(ctx, RK_EINPUT, "the block limit must be at least 2");
    for (size_t c = 0; c < o->ncompare; c++) {
        const rk_link_compare *cmp = &o->compare[c];
        if (cmp->field >= d->nfields)
            return rk_error_set(ctx, RK_EINPUT, "comparison %zu names field %zu of %zu", c,
                                cmp->field, d->nfields);
        if (cmp->nlevels == 0 || cmp->nlevels > RK_LINK_MAX_LEVELS)
            return rk_error_set(ctx, RK_EINPUT, "field '%s' needs 1 to %d levels, not %zu",
                                d->fields[cmp->field].name, RK_LINK_MAX_LEVELS, cmp->nlevels);
        bool is_date = d->fields[cmp->field].type == RK_LINK_DATE;
        for (size_t l = 0; l < cmp->nlevels; l++) {
            const link_level_kind *kind = link_level_kind_of(cmp->levels[l].cmp);
            if (!kind || (kind->type == RK_LINK_DATE) != is_date)
                return rk_error_set(ctx, RK_EINPUT,
                                    "level %zu of field '%s' does not fit a %s field", l,
                                    d->fields[cmp->field].name, is_date ? "date" : "string");
        }
    }
    for (size_t r = 0; r < o->nrules; r++) {
        const rk_link_rule *rule = &o->rules[r];
        if (rule->nparts == 0 || rule->nparts > 4)
            return rk_error_set(ctx, RK_EINPUT, "blocking rule %zu needs 1 to 4 parts", r);
        for (size_t p = 0; p < rule->nparts; p++)
            if (rule->parts[p].field >= d->nfields)
                return rk_error_set(ctx, RK_EINPUT, "blocking rule %zu names field %zu of %zu", r,
                                    rule->parts[p].field, d->nfields);
        if (rule->has_split && rule->split.field >= d->nfields)
            return rk_error_set(ctx, RK_EINPUT, "blocking rule %zu splits by field %zu of %zu", r,
                                rule->split.field, d->nfields);
    }
    return RK_OK;
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return (p > q) - (p < q);
}

/* The most matched pairs the lists' sizes allow: across lists, each record of the smaller of two
 * lists matches at most one of the other; within lists (people named more than once are few),
 * one pair per record. */
static double max_matches(const rk_link_data *d, rk_link_mode mode)
{
    double *per = rk_calloc(d->nlists + 1, sizeof(double));
    if (!per)
        return 0; /* no bound */
    for (size_t i = 0; i < d->nrecords; i++)
        per[d->list[i]] += 1;
    double across = 0, within = 0;
    for (uint32_t x = 0; x < d->nlists; x++) {
        within += per[x];
        for (uint32_t y = x + 1; y < d->nlists; y++)
            across += RK_MIN(per[x], per[y]);
    }
    rk_free(per);
    return (mode & RK_LINK_ACROSS ? across : 0) + (mode & RK_LINK_WITHIN ? within : 0);
}

/* The compared pairs as EM sees them: each distinct comparison vector (sorted, so sums run in a
 * fixed order) with its count of unlabelled pairs, of reviewers' matches and non-matches, and
 * of all its pairs of one list and of two (for the priors); post gets EM's posterior of each.
 * Built once; EM may run on it twice (fields that go together). */
typedef struct fit_table {
    size_t n;
    uint64_t *pattern;
    double *cnt, *lm, *ln, *within, *across, *post;
    size_t nlabelled; /* labelled pairs */
} fit_table;

static void fit_table_free(fit_table *f)
{
    rk_free(f->pattern);
    rk_free(f->cnt);
    rk_free(f->lm);
    rk_free(f->ln);
    rk_free(f->within);
    rk_free(f->across);
    rk_free(f->post);
    memset(f, 0, sizeof(*f));
}

/* Reviewers' decisions as sorted pair keys (a << 32 | b, a < b). */
static int label_keys(rk_ctx *ctx, uint64_t **out, const rk_link_data *d, const rk_link_options *o)
{
    uint64_t *lab = rk_malloc((o->nlabels + 1) * sizeof(uint64_t));
    *out = NULL;
    if (!lab)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory fitting the linkage model");
    for (size_t k = 0; k < o->nlabels; k++) {
        uint32_t x = RK_MIN(o->labels[k].a, o->labels[k].b);
        uint32_t y = RK_MAX(o->labels[k].a, o->labels[k].b);
        if (y >= d->nrecords) {
            rk_free(lab);
            return rk_error_set(ctx, RK_EINPUT, "decision %zu names record %u of %zu", k, y,
                                d->nrecords);
        }
        lab[k] = (uint64_t)x << 32 | y;
    }
    qsort(lab, o->nlabels, sizeof(uint64_t), u64_cmp);
    *out = lab;
    return RK_OK;
}

/* The fit table from the compared pairs' histogram (each count times `scale`: a pilot pass
 * counts a sample of the blocks) and the reviewers' decisions, compared here. */
static int fit_table_build(rk_ctx *ctx, fit_table *f, const link_hist *h, double scale,
                           const uint64_t *lab, const rk_link_data *d, const rk_link_options *o)
{
    int rc = RK_OK;
    size_t nlab = o->nlabels;
    memset(f, 0, sizeof(*f));
    uint64_t *lpat = rk_malloc((nlab + 1) * sizeof(uint64_t));
    uint64_t *all = rk_malloc((h->n + nlab + 1) * sizeof(uint64_t));
    if (!lpat || !all) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    if (h->n)
        memcpy(all, h->pattern, h->n * sizeof(uint64_t));
    for (size_t k = 0; k < nlab; k++) {
        lpat[k] =
            link_compare(d, o, (uint32_t)(lab[k] >> 32), (uint32_t)lab[k], NULL, NULL, NULL, NULL);
        all[h->n + k] = lpat[k];
    }
    size_t n = h->n + nlab, np = 0;
    qsort(all, n, sizeof(uint64_t), u64_cmp);
    for (size_t i = 0; i < n; i++)
        if (np == 0 || all[np - 1] != all[i])
            all[np++] = all[i];
    if (np > ((size_t)1 << 21)) {
        rc = rk_error_set(ctx, RK_EINPUT,
                          "more than %zu distinct comparison vectors; use fewer fields or levels",
                          (size_t)1 << 21);
        goto cleanup;
    }
    f->n = np;
    f->nlabelled = nlab;
    f->pattern = all;
    all = NULL;
    f->cnt = rk_calloc(np + 1, sizeof(double));
    f->lm = rk_calloc(np + 1, sizeof(double));
    f->ln = rk_calloc(np + 1, sizeof(double));
    f->within = rk_calloc(np + 1, sizeof(double));
    f->across = rk_calloc(np + 1, sizeof(double));
    f->post = rk_calloc(np + 1, sizeof(double));
    if (!f->cnt || !f->lm || !f->ln || !f->within || !f->across || !f->post) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < h->n; i++) {
        uint64_t *at = bsearch(&h->pattern[i], f->pattern, np, sizeof(uint64_t), u64_cmp);
        size_t ix = (size_t)(at - f->pattern);
        f->within[ix] = scale * (double)h->within[i];
        f->across[ix] = scale * (double)h->across[i];
        f->cnt[ix] = scale * (double)(h->within[i] + h->across[i] - h->labelled[i]);
    }
    for (size_t k = 0; k < nlab; k++) {
        uint64_t *at = bsearch(&lpat[k], f->pattern, np, sizeof(uint64_t), u64_cmp);
        size_t ix = (size_t)(at - f->pattern);
        bool match = false;
        for (size_t q = 0; q < o->nlabels; q++) {
            uint64_t key = (uint64_t)RK_MIN(o->labels[q].a, o->labels[q].b) << 32 |
                           RK_MAX(o->labels[q].a, o->labels[q].b);
            if (key == lab[k])
                match = o->labels[q].match;
        }
        if (match)
            f->lm[ix] += 1;
        else
            f->ln[ix] += 1;
    }
cleanup:
    if (rc == RK_ENOMEM)
        rk_error_set(ctx, RK_ENOMEM, "out of memory fitting the linkage model");
    if (rc != RK_OK)
        fit_table_free(f);
    rk_free(lpat);
    rk_free(all);
    return rc;
}

/* Fits the model by EM from its starting values on `compared` pairs; f->post gets each
 * vector's posterior. */
static int fit(rk_ctx *ctx, rk_link_model *model, const rk_link_data *d, const rk_link_options *o,
               fit_table *f, double compared)
{
    model->lambda_max = max_matches(d, o->mode) / (compared + (double)f->nlabelled);
    return rk_link_em(ctx, model, f->pattern, f->cnt, f->lm, f->ln, f->n, o->u_fixed,
                      o->em_max_iter, o->em_tol, f->post);
}

/* The number of pairs the mode allows: the population random pairs are drawn from; *within
 * gets the number of pairs of records of one list. */
static double population(const rk_link_data *d, rk_link_mode mode, double *within_out)
{
    double n = (double)d->nrecords, all = n * (n - 1) / 2, within = 0;
    *within_out = 0;
    double *per = rk_calloc(d->nlists + 1, sizeof(double));
    if (!per)
        return 0; /* scored with EM's own prior */
    for (size_t i = 0; i < d->nrecords; i++)
        per[d->list[i]] += 1;
    for (uint32_t l = 0; l < d->nlists; l++)
        within += per[l] * (per[l] - 1) / 2;
    rk_free(per);
    *within_out = mode == RK_LINK_ACROSS ? 0 : within;
    return mode == RK_LINK_BOTH ? all : mode == RK_LINK_WITHIN ? within : all - within;
}

/* Lists are made to overlap, and seldom name a person twice: matches are far rarer among the
 * pairs of one list than among pairs across lists. The expected matches EM finds among the
 * compared pairs of each kind, over all the pairs of that kind, give a prior for each. */
static void split_prior(rk_link_model *model, const fit_table *f, double pop, double pop_within)
{
    double pop_across = pop - pop_within;
    if (pop_within <= 0 || pop_across <= 0 || model->lambda <= 0 || model->lambda >= 1)
        return;
    double within = 0, across = 0; /* summed in order: the same whatever the threads */
    for (size_t k = 0; k < f->n; k++) {
        within += f->post[k] * f->within[k];
        across += f->post[k] * f->across[k];
    }
    model->lambda_within = RK_MAX(within / pop_within, 1e-12);
    model->lambda_across = RK_MAX(across / pop_across, 1e-12);
}

/* The prior odds of a match of a pair of one list (within) or of two, as scoring takes them. */
static double prior_odds(const rk_link_model *model, bool within)
{
    double p = rk_link_probability_of(model, 0, within);
    return p >= 1 ? HUGE_VAL : p / (1 - p);
}

/* Scores the pairs from their tf weights (r->weight holds them) under the model. */
static void score_pairs(rk_ctx *ctx, rk_link_result *r, const rk_link_data *data, size_t from)
{
    link_weights scoring;
    link_weights_init(&scoring, &r->model);
    long nl = (long)r->npairs, f = (long)from;
#pragma omp parallel for schedule(static)
    for (long i = f; i < nl; i++) {
        r->prob[i] =
            (float)link_pair_score(&scoring, r->weight[i], r->pattern[i], /* tf part */
                                   data->list[r->a[i]] == data->list[r->b[i]], &r->weight[i]);
        if ((i & 0xffff) == 0 && omp_get_thread_num() == 0) /* thread 0 has the first share */
            rk_progress(ctx, "scoring pairs", (uint64_t)(i - f) * (uint64_t)omp_get_num_threads(),
                        (uint64_t)(nl - f));
    }
    rk_progress(ctx, "scoring pairs", (uint64_t)(nl - f), (uint64_t)(nl - f));
}

/* One more M step, in the scoring model: m from the compared pairs weighted by their scored
 * probabilities, which weigh a shared name by its frequency and take the prior of all pairs,
 * then the pairs scored again. EM fits m without either, so namesakes who share a common name
 * count among its matches: their disagreements (births years apart) look common among
 * matches, and typing errors look rare. A single step, the prior EM's (refit_scores repeats
 * it with the prior when EM's class has shrunk). Pairs a streamed pass left out (h, or NULL)
 * count by their summed odds: each scored below KEEP_MARGIN times what the run needs, so odds
 * and probability differ by less than that share. `seen` (or NULL) counts the pairs the refit
 * went through, for its progress (REFITTING). */
static int refit_m(rk_ctx *ctx, rk_link_result *r, const rk_link_data *data, const link_hist *h,
                   double m_floor, uint64_t *seen)
{
    rk_link_model *model = &r->model;
    double sm[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1] = {{0}};
    for (size_t i = 0; i < r->npairs; i++) { /* in order, one thread: the same sums always */
        if (seen && (i & 0xfffff) == 0)
            rk_progress(ctx, REFITTING, *seen + i, 0);
        for (size_t c = 0; c < model->ncompare; c++) {
            int l = pattern_level(r->pattern[i], c);
            if (l != RK_LINK_MISSING && (size_t)l < model->nlevels[c])
                sm[c][l] += r->prob[i];
        }
    }
    if (seen) /* refit_scores goes on counting and ends the stage */
        *seen += r->npairs;
    if (h) {
        link_weights now;
        link_weights_init(&now, model);
        double odds[2] = {prior_odds(model, true), prior_odds(model, false)};
        for (size_t i = 0; i < h->n; i++) {
            double w = exp2(link_weights_of(&now, h->pattern[i]));
            double p = w * (odds[0] * link_hist_odds(h, i, 0) + odds[1] * link_hist_odds(h, i, 1));
            for (size_t c = 0; c < model->ncompare && p > 0; c++) {
                int l = pattern_level(h->pattern[i], c);
                if (l != RK_LINK_MISSING && (size_t)l < model->nlevels[c])
                    sm[c][l] += p;
            }
        }
    }
    long nl = (long)r->npairs;
    rk_link_model *old = rk_malloc(sizeof(*old)); /* a copy, not a weight per pair */
    if (!old)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory scoring %zu pairs", r->npairs);
    *old = *model;
    for (size_t c = 0; c < model->ncompare; c++) {
        size_t L = model->nlevels[c];
        double z = 0;
        for (size_t l = 0; l < L; l++)
            z += sm[c][l];
        if (z <= 0)
            continue;
        for (size_t l = 0; l < L; l++)
            model->m[c][l] = RK_MAX(sm[c][l] / z, m_floor);
        link_order_levels(model->m[c], model->u[c], L);
    }
    link_weights now, was;
    link_weights_init(&now, model);
    link_weights_init(&was, old);
#pragma omp parallel for schedule(static)
    for (long i = 0; i < nl; i++) {
        r->weight[i] += link_weights_of(&now, r->pattern[i]) - link_weights_of(&was, r->pattern[i]);
        r->prob[i] = (float)rk_link_probability_of(model, r->weight[i],
                                                   data->list[r->a[i]] == data->list[r->b[i]]);
    }
    rk_free(old);
    return RK_OK;
}

bool link_match_class_shrunk(const rk_link_model *m, uint64_t compared, size_t above, double *em)
{
    *em = m->lambda_blocked * (double)compared;
    return above >= 100 && (double)above > 8.0 * *em;
}

/* The scores' own fit, taken when EM's match class has shrunk to a corner of the matches
 * (docs/linkage.md, "Namesakes in large blocks"). Blocks on names compare namesakes as the
 * square of the records and matches only as the records, and among the compared pairs, where
 * most agree on the names, EM counts the pairs that share only the names and a birth year as
 * non-matches: its m of a birth in the same year falls to the floor and its share, scaled to
 * all pairs, is the prior of the scores, both too low. The scores (m, the random pairs' u, the
 * names' frequencies, the prior of all pairs) tell those pairs apart when let to: m refitted
 * from the scores (refit_m) and the share of matches of each kind (one list, two) set to the
 * scores' expected matches over all pairs of that kind, the pairs scored again, until neither
 * moves (EM in the scoring model, u held at the random pairs'). Tried on every run: the scores
 * may leave the namesakes unlinked as EM does (10,000 people with 30 names per field: 2,347
 * pairs linked, EM's class 2,228), so their ratio cannot tell. Kept only when it settles within
 * REFIT_MAX_ITER steps and expects more than REFIT_ADOPT times EM's matched pairs; else the run's
 * model and scores stay as they were and the sense check refuses the run, with its reason: a fit
 * that does not settle is not trusted with a figure (four caucasus lists of 945,000 people did not
 * settle in 30 steps; 10,000 people with 30 names per field settle). lambda_blocked then
 * becomes the scores' share among the compared pairs; EM's trace keeps its own. Pairs a
 * streamed pass left out (h, or NULL) count by their odds, as in refit_m. */
#define REFIT_ADOPT    3.0
#define REFIT_MAX_ITER 30
#define REFIT_TOL      1e-4
static int refit_scores(rk_ctx *ctx, rk_link_result *r, const rk_link_data *data,
                        const rk_link_options *opts, const link_hist *h, double compared,
                        uint64_t *seen)
{
    rk_link_model *model = &r->model;
    double pop_within = 0, pop = population(data, opts->mode, &pop_within);
    double pop_of[2] = {pop_within, pop - pop_within}, expected = 0;
    double em = model->lambda_blocked * compared;
    if (pop <= 0 || r->npairs == 0) {
        if (*seen) /* the stage refit_m began ends */
            rk_progress(ctx, REFITTING, *seen, *seen);
        return RK_OK;
    }
    bool split =
        model->lambda_within > 0 && model->lambda_across > 0 && pop_of[0] > 0 && pop_of[1] > 0;
    rk_link_model *was = rk_malloc(sizeof(*was));
    double *weight = rk_malloc(r->npairs * sizeof(double));
    float *prob = rk_malloc(r->npairs * sizeof(float));
    int rc = RK_OK, it = 0;
    bool settled = false;
    if (!was || !weight || !prob) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory scoring %zu pairs", r->npairs);
        goto cleanup;
    }
    *was = *model;
    memcpy(weight, r->weight, r->npairs * sizeof(double));
    memcpy(prob, r->prob, r->npairs * sizeof(float));
    for (; it < REFIT_MAX_ITER; it++) {
        rk_link_model before = *model;
        if (it > 0 && (rc = refit_m(ctx, r, data, h, M_FLOOR, seen)) != RK_OK)
            goto cleanup;
        double e[2] = {0, 0}; /* summed in order: the same whatever the threads */
        for (size_t i = 0; i < r->npairs; i++) {
            if ((i & 0xfffff) == 0)
                rk_progress(ctx, REFITTING, *seen + i, 0);
            e[data->list[r->a[i]] == data->list[r->b[i]] ? 0 : 1] += r->prob[i];
        }
        *seen += r->npairs;
        if (h) {
            link_weights now;
            link_weights_init(&now, model);
            double odds[2] = {prior_odds(model, true), prior_odds(model, false)};
            for (size_t i = 0; i < h->n; i++) {
                double w = exp2(link_weights_of(&now, h->pattern[i]));
                e[0] += w * odds[0] * link_hist_odds(h, i, 0);
                e[1] += w * odds[1] * link_hist_odds(h, i, 1);
            }
        }
        double last = expected;
        expected = e[0] + e[1];
        /* A sound run's expected matches stall near EM's within a step or two (300,000 people,
         * large pool: 1.57, 1.64, 1.65 times), a shrunk class's grow past REFIT_ADOPT times at
         * once (the namesakes test: 2.4, 4.0, 4.1): stalled below, the fit would not be taken,
         * so it stops (30 steps would cost a fifth of such a run). */
        if (it > 0 && expected <= REFIT_ADOPT * em && fabs(expected - last) <= 0.01 * last)
            break;
        double change = 0;
        if (split) {
            double lw = RK_MAX(e[0] / pop_of[0], 1e-12), la = RK_MAX(e[1] / pop_of[1], 1e-12);
            change =
                RK_MAX(fabs(lw / model->lambda_within - 1), fabs(la / model->lambda_across - 1));
            model->lambda_within = lw, model->lambda_across = la;
        }
        double l = RK_MAX(expected / pop, 1e-12);
        change = RK_MAX(change, fabs(l / model->lambda - 1));
        model->lambda = l;
        for (size_t c = 0; c < model->ncompare; c++)
            for (size_t k = 0; k < model->nlevels[c]; k++)
                change = RK_MAX(change, fabs(model->m[c][k] - before.m[c][k]));
        long nl = (long)r->npairs;
#pragma omp parallel for schedule(static)
        for (long i = 0; i < nl; i++)
            r->prob[i] = (float)rk_link_probability_of(model, r->weight[i],
                                                       data->list[r->a[i]] == data->list[r->b[i]]);
        if (change < REFIT_TOL) {
            settled = true;
            break;
        }
    }
    rk_progress(ctx, REFITTING, *seen, *seen); /* the stage's end */
    if (settled && expected > REFIT_ADOPT * em) {
        model->lambda_blocked = RK_MIN(expected / RK_MAX(compared, 1.0), 1.0);
        rk_log(ctx, RK_LOG_WARN,
               "EM's match class holds %.0f matched pairs of the %.0f compared, and the "
               "scores fitted to themselves expect %.0f (%d iterations): EM's class has "
               "shrunk to a corner of the matches (namesakes in large blocks), so the "
               "scores' fit is taken",
               em, compared, expected, it + 1);
    } else {
        *model = *was;
        memcpy(r->weight, weight, r->npairs * sizeof(double));
        memcpy(r->prob, prob, r->npairs * sizeof(float));
    }
cleanup:
    rk_free(was);
    rk_free(weight);
    rk_free(prob);
    return rc;
}

/* EM from the model's starting values, then the model that scores: m with the u of random
 * pairs and the prior of all pairs (EM's own prior when u is fixed). */
static int fit_and_score(rk_ctx *ctx, rk_link_model *model, const rk_link_data *data,
                         const rk_link_options *opts, fit_table *f, double compared)
{
    int rc = fit(ctx, model, data, opts, f, compared);
    if (rc != RK_OK)
        return rc;
    if (opts->u_fixed) {
        link_score_model(model, 0, 0, 0);
    } else {
        double pop_within = 0, pop = population(data, opts->mode, &pop_within);
        split_prior(model, f, pop, pop_within);
        link_score_model(model, compared, pop, M_FLOOR);
    }
    return RK_OK;
}

/* The model of a run from its counts: EM from `start`, then, when fields go together among
 * non-matches (a postcode and its suburb; found with the model just fitted, which tells the
 * random pairs that match from those that do not), EM again from `start` counting them
 * together. The one fit of a run, and of a streamed run's pilot. */
static int fit_model(rk_ctx *ctx, rk_link_model *model, const rk_link_model *start,
                     const rk_link_data *data, const rk_link_options *opts, fit_table *f,
                     double compared, const link_u_sample *sample)
{
    rk_link_model *probe = rk_malloc(sizeof(*probe));
    if (!probe)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory fitting the model");
    *model = *start;
    int rc = fit_and_score(ctx, model, data, opts, f, compared);
    if (rc != RK_OK)
        goto cleanup;
    *probe = *model;
    if (opts->u_fixed) { /* EM's prior is of the compared pairs: make it that of random pairs */
        double pop_within = 0, pop = population(data, opts->mode, &pop_within);
        probe->lambda_within = probe->lambda_across = 0;
        if (pop > compared)
            probe->lambda = RK_MAX(probe->lambda_blocked * compared / pop, 1e-12);
    }
    if (link_find_dependence(probe, opts, sample)) {
        *model = *start;
        memcpy(model->depends_on, probe->depends_on, sizeof(model->depends_on));
        memcpy(model->lift, probe->lift, sizeof(model->lift));
        rc = fit_and_score(ctx, model, data, opts, f, compared);
    }
cleanup:
    rk_free(probe);
    return rc;
}

void rk_link_result_free(rk_link_result *r)
{
    if (!r)
        return;
    rk_free(r->a);
    rk_free(r->b);
    rk_free(r->pattern);
    rk_free(r->weight);
    rk_free(r->prob);
    rk_free(r->rules);
    rk_free(r->vector);
    rk_free(r->vector_count);
    rk_free(r->cluster);
    rk_free(r->review);
    rk_free(r);
}

/* The least probability a streamed run must keep a pair at (keep_floor, and lower when the
 * review band or the threshold is). */
static double needed_floor(const rk_link_options *o)
{
    return RK_MIN(o->keep_floor, RK_MIN(o->review_low, o->threshold));
}

/* The compared pairs a pass keeps become the result's pairs, their weight the tf part. */
static int take_pairs(rk_ctx *ctx, rk_link_result *r, link_stream_result *sr)
{
    rk_free(r->a), rk_free(r->b), rk_free(r->pattern), rk_free(r->weight), rk_free(r->prob);
    r->npairs = sr->n;
    r->a = sr->a, r->b = sr->b, r->pattern = sr->pattern, r->weight = sr->tf;
    sr->a = sr->b = NULL, sr->pattern = NULL, sr->tf = NULL;
    r->prob = rk_malloc((r->npairs + 1) * sizeof(float));
    if (!r->prob)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory scoring %zu pairs", r->npairs);
    return RK_OK;
}

/* Makes room for n pairs in the result's arrays (npairs unchanged); each array that could not
 * grow is left as it was, so the result can still be freed. */
static int resize_pairs(rk_link_result *r, size_t n)
{
    int rc = RK_OK;
#define RESIZE(field)                                                                              \
    do {                                                                                           \
        void *p = rk_realloc(r->field, (n + 1) * sizeof(*r->field));                               \
        if (p)                                                                                     \
            r->field = p;                                                                          \
        else                                                                                       \
            rc = RK_ENOMEM;                                                                        \
    } while (0)
    RESIZE(a);
    RESIZE(b);
    RESIZE(pattern);
    RESIZE(weight);
    RESIZE(prob);
#undef RESIZE
    return rc;
}

/* Streamed, once the model is final: the kept pairs scored below what the run needs are
 * dropped too (clustering and the pairs between persons compare again what they need). */
static void drop_unneeded(rk_link_result *r, double need)
{
    size_t w = 0;
    for (size_t i = 0; i < r->npairs; i++)
        if (r->prob[i] >= need) {
            r->a[w] = r->a[i], r->b[w] = r->b[i], r->pattern[w] = r->pattern[i];
            r->weight[w] = r->weight[i], r->prob[w] = r->prob[i];
            w++;
        }
    r->npairs = w;
    (void)resize_pairs(r, w); /* shrinking: a failure keeps the larger arrays */
}

/* A streamed run's pairs not kept, compared and scored when clustering asks for them. */
typedef struct pair_oracle {
    const link_stream *st;
    const link_blocks *blocks;
    const rk_link_model *model;
    link_weights w;
} pair_oracle;

static float oracle_prob(void *user, uint32_t a, uint32_t b)
{
    const pair_oracle *o = user;
    const rk_link_data *d = o->st->data;
    if (link_blocks_rule(o->blocks, d, a, b) < 0)
        return -1; /* never compared */
    double tf = 0;
    uint64_t pattern = link_compare(d, o->st->opts, a, b, o->st->tf, o->st->tf_model, &tf, NULL);
    return (float)link_pair_score(&o->w, tf, pattern, d->list[a] == d->list[b], NULL);
}

/* Appends a pass's pairs (freed) to the result, scored by its model. */
static int add_pairs(rk_ctx *ctx, rk_link_result *r, link_stream_result *sr,
                     const rk_link_data *data)
{
    size_t from = r->npairs, n = from + sr->n;
    if (resize_pairs(r, n) != RK_OK) {
        link_stream_result_free(sr);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory holding %zu pairs", n);
    }
    if (sr->n) {
        memcpy(r->a + from, sr->a, sr->n * sizeof(uint32_t));
        memcpy(r->b + from, sr->b, sr->n * sizeof(uint32_t));
        memcpy(r->pattern + from, sr->pattern, sr->n * sizeof(uint64_t));
        memcpy(r->weight + from, sr->tf, sr->n * sizeof(double));
    }
    r->npairs = n;
    link_stream_result_free(sr);
    score_pairs(ctx, r, data, from);
    return RK_OK;
}

/* Every compared pair, at the offsets of its block: the pairs all held in memory. */
static int compare_all(rk_ctx *ctx, rk_link_result *r, link_stream_result *sr, link_stream *st,
                       const link_blocks *blocks)
{
    size_t *offs = NULL;
    int rc = link_blocks_offsets(ctx, &offs, blocks, NULL, st->data);
    if (rc != RK_OK)
        return rc;
    size_t np = offs[blocks->nblocks];
    r->npairs = np;
    r->a = rk_malloc((np + 1) * sizeof(uint32_t));
    r->b = rk_malloc((np + 1) * sizeof(uint32_t));
    r->pattern = rk_malloc((np + 1) * sizeof(uint64_t));
    r->weight = rk_malloc((np + 1) * sizeof(double));
    r->prob = rk_malloc((np + 1) * sizeof(float));
    if (!r->a || !r->b || !r->pattern || !r->weight || !r->prob) {
        rk_free(offs);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory comparing %zu pairs", np);
    }
    st->offs = offs;
    st->out_a = r->a, st->out_b = r->b, st->out_pattern = r->pattern, st->out_tf = r->weight;
    rc = link_stream_run(ctx, sr, st, blocks);
    st->offs = NULL;
    st->out_a = st->out_b = NULL, st->out_pattern = NULL, st->out_tf = NULL;
    rk_free(offs);
    return rc;
}

/* Sends the pairs scored in the review band to review, clusters (labels: the reviewers'
 * decisions and any forced links; with `oracle`, the pairs not kept are compared when
 * clustering asks, and those within or between persons are added after), and keeps the
 * histogram's vectors, for checks that count them. */
static int cluster_and_end(rk_ctx *ctx, rk_link_result *r, link_stream *st,
                           const link_blocks *blocks, const link_hist *hist,
                           const rk_link_label *labels, size_t nlabels, bool oracle)
{
    const rk_link_options *opts = st->opts;
    const rk_link_data *data = st->data;
    link_stream_result sr = {0};
    for (size_t i = 0; i < r->npairs; i++)
        if (r->prob[i] >= opts->review_low && r->prob[i] < opts->review_high) {
            size_t cap = r->nreview;
            if (rk_grow((void **)&r->review, &cap, r->nreview + 1, sizeof(rk_link_review)) != RK_OK)
                return rk_error_set(ctx, RK_ENOMEM, "out of memory listing pairs for review");
            r->review[r->nreview++] = (rk_link_review){r->a[i],    r->b[i],    RK_REVIEW_UNCERTAIN,
                                                       UINT32_MAX, UINT32_MAX, r->prob[i]};
        }
    rk_link_cluster_options co = RK_LINK_CLUSTER_OPTIONS_INIT;
    co.nrecords = data->nrecords;
    co.list = data->list;
    co.a = r->a, co.b = r->b, co.prob = r->prob, co.npairs = r->npairs;
    co.labels = labels, co.nlabels = nlabels;
    co.threshold = opts->threshold;
    co.cannot_link_prob = opts->cannot_link_prob;
    co.bridge_min_mean = opts->bridge_min_mean;
    co.list_unique = opts->list_unique;
    pair_oracle po = {.st = st, .blocks = blocks, .model = &r->model};
    if (oracle) { /* the pairs not kept are compared when clustering asks */
        link_weights_init(&po.w, &r->model);
        co.pair = oracle_prob, co.pair_user = &po;
    }
    rk_link_clusters cl = {.review = r->review, .nreview = r->nreview};
    int rc = rk_link_cluster(&cl, ctx, &co);
    r->review = cl.review, r->nreview = cl.nreview;
    r->cluster = cl.cluster, r->nclusters = cl.nclusters;
    r->nrecords = data->nrecords;
    if (rc != RK_OK)
        return rc;
    if (oracle) {
        size_t before = r->npairs;
        if ((rc = link_stream_between(ctx, &sr, st, blocks, r, needed_floor(opts))) != RK_OK ||
            (rc = add_pairs(ctx, r, &sr, data)) != RK_OK)
            return rc;
        rk_log(ctx, RK_LOG_INFO, "added %zu pairs between persons", r->npairs - before);
    }
    r->vector = rk_malloc((hist->n + 1) * sizeof(uint64_t));
    r->vector_count = rk_malloc((hist->n + 1) * sizeof(uint64_t));
    if (!r->vector || !r->vector_count)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory ending a linkage");
    r->nvectors = hist->n;
    for (size_t i = 0; i < hist->n; i++) {
        r->vector[i] = hist->pattern[i];
        r->vector_count[i] = hist->within[i] + hist->across[i];
    }
    return RK_OK;
}

/* Pairs in blocks a pilot pass aims to compare: enough for EM to see every common vector. */
#define PILOT_PAIRS 4000000

/* First models from a sample of the blocks, to choose the pairs a streamed pass keeps, as the
 * run fits and checks its own: EM's (*model: the run's fit on the pilot's counts, scaled to
 * all the blocks) and, in *refit, that model with m refitted from the pilot's pairs, each
 * scored (the refit moves rare levels' weights by several bits: keeping by EM's model alone,
 * the pilot kept too few pairs of a million records and the pass ran again). The pilot holds
 * its pairs: a sample of about PILOT_PAIRS. */
static int pilot_model(rk_ctx *ctx, rk_link_model *model, rk_link_model *refit, link_stream *st,
                       const link_blocks *blocks, const uint64_t *lab, const link_u_sample *usample)
{
    link_stream_result sr;
    fit_table f;
    rk_link_result *held = rk_calloc(1, sizeof(*held));
    uint32_t sample = (uint32_t)RK_MIN(blocks->bound / PILOT_PAIRS + 1, (uint64_t)1 << 20);
    link_stream pilot = *st;
    pilot.sample = sample;
    pilot.stage = "sampling blocks";
    pilot.keep[0] = st->tf_model, pilot.keep[1] = NULL;
    pilot.floor = -1; /* every pair: the refit scores each */
    if (!held)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory fitting the pilot's model");
    int rc = link_stream_run(ctx, &sr, &pilot, blocks);
    if (rc != RK_OK) {
        rk_free(held);
        return rc;
    }
    rc = fit_table_build(ctx, &f, &sr.hist, (double)sample, lab, st->data, st->opts);
    if (rc == RK_OK) {
        rc = fit_model(ctx, model, st->tf_model, st->data, st->opts, &f,
                       (double)sr.hist.compared * (double)sample, usample);
        fit_table_free(&f);
    }
    *refit = *model;
    if (rc == RK_OK && !st->opts->u_fixed && (rc = take_pairs(ctx, held, &sr)) == RK_OK) {
        held->model = *model;
        score_pairs(ctx, held, st->data, 0);
        if ((rc = refit_m(ctx, held, st->data, NULL, M_FLOOR, NULL)) == RK_OK)
            *refit = held->model;
    }
    rk_link_result_free(held);
    link_stream_result_free(&sr);
    return rc;
}

/* How far below what the run needs a streamed pass keeps pairs, under the model it keeps by:
 * the pilot's model and the final one may differ by a factor of several hundred in the odds of
 * a rare comparison vector (measured at 300,000 records: up to 700), and a pass run again costs
 * as much as the first. */
#define KEEP_MARGIN 1e-4

/* A streamed pass keeping the pairs either model (keep2 may be NULL) scores at or above
 * KEEP_MARGIN times what the run needs; the histogram it counts replaces *hist. */
static int stream_keep(rk_ctx *ctx, rk_link_result *r, link_hist *hist, link_stream *st,
                       const link_blocks *blocks, const rk_link_model *keep,
                       const rk_link_model *keep2)
{
    link_stream_result sr;
    /* The pairs an earlier pass kept are replaced: not held twice. */
    rk_free(r->a), rk_free(r->b), rk_free(r->pattern), rk_free(r->weight), rk_free(r->prob);
    r->a = r->b = NULL, r->pattern = NULL, r->weight = NULL, r->prob = NULL;
    r->npairs = 0;
    r->passes++;
    st->keep[0] = keep, st->keep[1] = keep2;
    st->floor = needed_floor(st->opts) * KEEP_MARGIN;
    int rc = link_stream_run(ctx, &sr, st, blocks);
    st->keep[0] = st->keep[1] = NULL;
    if (rc != RK_OK)
        return rc;
    rk_log(ctx, RK_LOG_INFO, "kept %zu of %llu compared pairs (scored at or above %g)", sr.n,
           (unsigned long long)sr.hist.compared, st->floor);
    link_hist_free(hist);
    *hist = sr.hist;
    memset(&sr.hist, 0, sizeof(sr.hist));
    for (size_t q = 0; q < r->nrules; q++)
        r->rules[q].pairs = sr.rule_pairs[q];
    rc = take_pairs(ctx, r, &sr);
    link_stream_result_free(&sr);
    return rc;
}

/* What comparing needs besides the blocks, made once per run: the term-frequency tables, the
 * sample of random pairs for u (sample non-NULL: a run that fits its model; it sets the
 * model's u), the labels' keys and the key sets of the memo of levels; one progress stage.
 * `shared`: at the ranks of an MPI run, the sample and the key sets are computed in shares
 * (mpi.h). */
static int prepare_compare(rk_ctx *ctx, float *tf[RK_LINK_MAX_FIELDS + 1], link_u_sample *sample,
                           rk_link_model *model, uint64_t **lab, link_keysets *keysets,
                           const rk_link_data *data, const rk_link_options *opts, bool shared)
{
    uint64_t steps = sample ? 4 : 3, done = 0;
    int rc;
    rk_progress(ctx, PREPARING, done++, steps);
    if ((rc = link_tf_tables(ctx, tf, data, opts)) != RK_OK)
        return rc;
    if (sample) {
        rk_progress(ctx, PREPARING, done++, steps);
        if ((rc = link_sample_u(ctx, model, sample, data, opts, shared)) != RK_OK)
            return rc;
    }
    rk_progress(ctx, PREPARING, done++, steps);
    if ((rc = label_keys(ctx, lab, data, opts)) != RK_OK)
        return rc;
    rk_progress(ctx, PREPARING, done, steps);
    if ((rc = link_keysets_build(ctx, keysets, data, opts, shared)) != RK_OK)
        return rc;
    rk_progress(ctx, PREPARING, steps, steps);
    return RK_OK;
}

int rk_link_run(rk_link_result **out, rk_ctx *ctx, const rk_link_data *data,
                const rk_link_options *opts)
{
    RK_ASSERT_ARG(ctx, out && data && opts);
    int rc = RK_OK;
    rk_link_result *r = rk_calloc(1, sizeof(*r));
    float *tf[RK_LINK_MAX_FIELDS + 1] = {0};
    link_blocks blocks = {0};
    link_keysets keysets = {0};
    link_u_sample sample = {0};
    link_stream_result sr = {0};
    link_hist hist = {0};
    fit_table table = {0};
    uint64_t *lab = NULL;
    rk_link_model *start = NULL, *scoring = NULL, *refit = NULL;
    int saved_threads = omp_get_max_threads();
    *out = NULL;
    if (!r) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory starting a linkage");
        goto cleanup;
    }
    if ((rc = check_options(ctx, data, opts)) != RK_OK)
        goto cleanup;
    if (opts->threads > 0)
        omp_set_num_threads(opts->threads);
    r->nrules = opts->nrules;
    r->rules = rk_calloc(opts->nrules, sizeof(rk_link_block_stats));
    start = rk_malloc(sizeof(*start));
    scoring = rk_malloc(sizeof(*scoring));
    refit = rk_malloc(sizeof(*refit));
    if (!r->rules || !start || !scoring || !refit) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory starting a linkage");
        goto cleanup;
    }
    if ((rc = link_blocks_build(ctx, &blocks, r->rules, data, opts, true, true)) != RK_OK ||
        (rc = prepare_compare(ctx, tf, &sample, &r->model, &lab, &keysets, data, opts, true)) !=
            RK_OK)
        goto cleanup;
    *start = r->model;
    link_stream st = {.data = data,
                      .opts = opts,
                      .tf = (const float *const *)tf,
                      .tf_model = start,
                      .keysets = &keysets,
                      .labels = lab,
                      .nlabels = opts->nlabels};
    r->streamed = blocks.bound > opts->pairs_in_memory;
    if (!r->streamed) {
        if ((rc = compare_all(ctx, r, &sr, &st, &blocks)) != RK_OK)
            goto cleanup;
        hist = sr.hist;
        memset(&sr.hist, 0, sizeof(sr.hist));
        for (size_t q = 0; q < opts->nrules; q++)
            r->rules[q].pairs = sr.rule_pairs[q];
        link_stream_result_free(&sr);
    } else {
        rk_log(ctx, RK_LOG_INFO,
               "the blocks hold up to %llu pairs, more than pairs_in_memory %llu: the pairs are "
               "streamed, and those scored below %g kept only within or between persons",
               (unsigned long long)blocks.bound, (unsigned long long)opts->pairs_in_memory,
               needed_floor(opts));
        if ((rc = pilot_model(ctx, scoring, refit, &st, &blocks, lab, &sample)) != RK_OK ||
            (rc = stream_keep(ctx, r, &hist, &st, &blocks, scoring, refit)) != RK_OK)
            goto cleanup;
    }
    r->ncompared = hist.compared;
    for (size_t q = 0; q < opts->nrules; q++)
        if (!r->rules[q].left_out) /* a rule left out was named in a warning */
            rk_log(ctx, RK_LOG_INFO,
                   "rule '%s': %llu blocks, largest %llu, %llu new pairs, %llu split, %llu skipped",
                   opts->rules[q].name ? opts->rules[q].name : "(unnamed)",
                   (unsigned long long)r->rules[q].blocks, (unsigned long long)r->rules[q].largest,
                   (unsigned long long)r->rules[q].pairs, (unsigned long long)r->rules[q].split,
                   (unsigned long long)r->rules[q].skipped);
    double compared = (double)r->ncompared;
    if ((rc = fit_table_build(ctx, &table, &hist, 1.0, lab, data, opts)) != RK_OK ||
        (rc = fit_model(ctx, &r->model, start, data, opts, &table, compared, &sample)) != RK_OK)
        goto cleanup;
    rk_log(ctx, RK_LOG_INFO,
           "model: %zu distinct comparison vectors, %d EM iterations%s (largest change %.2g, "
           "tolerance %.2g), match share %.6f",
           r->model.npatterns, r->model.iterations, r->model.converged ? "" : " (not converged)",
           r->model.change, opts->em_tol, r->model.lambda);
    *scoring = r->model;
    double need = needed_floor(opts);
    /* Streamed, a pair left out must stay below what the run needs under the model that scores
     * (its refit counts the pairs left out by their odds) and the refitted one; when one might
     * not, the pass runs again keeping by those models. */
    for (int pass = 0;; pass++) {
        r->model = *scoring;
        score_pairs(ctx, r, data, 0);
        if (r->streamed && pass < 2 && link_hist_dropped_reach(ctx, &hist, &r->model, need)) {
            if ((rc = stream_keep(ctx, r, &hist, &st, &blocks, scoring, NULL)) != RK_OK)
                goto cleanup;
            continue;
        }
        uint64_t refit_seen = 0; /* one progress stage for both */
        if (!opts->u_fixed &&
            (rc = refit_m(ctx, r, data, r->streamed ? &hist : NULL, M_FLOOR, &refit_seen)) != RK_OK)
            goto cleanup;
        if (!opts->u_fixed && (rc = refit_scores(ctx, r, data, opts, r->streamed ? &hist : NULL,
                                                 compared, &refit_seen)) != RK_OK)
            goto cleanup;
        if (r->streamed && pass < 2 && link_hist_dropped_reach(ctx, &hist, &r->model, need)) {
            *refit = r->model;
            if ((rc = stream_keep(ctx, r, &hist, &st, &blocks, scoring, refit)) != RK_OK)
                goto cleanup;
            continue;
        }
        if (r->streamed && link_hist_dropped_reach(ctx, &hist, &r->model, need))
            rk_log(ctx, RK_LOG_WARN,
                   "some pairs left out of the streamed run may score at or above %g; raise "
                   "pairs_in_memory to keep every pair",
                   need);
        break;
    }
    /* An MPI run's passes are done: rank 0 alone clusters and saves (mpi.h), but a streamed
     * run's ranks all cluster (each finds the same persons) and compare a share each of the
     * pairs within and between persons (link_stream_between). */
    if (!link_mpi_root() && !r->streamed) {
        *out = r;
        r = NULL;
        goto cleanup;
    }
    if (r->streamed)
        drop_unneeded(r, need);
    if ((rc = cluster_and_end(ctx, r, &st, &blocks, &hist, opts->labels, opts->nlabels,
                              r->streamed)) != RK_OK)
        goto cleanup;
    *out = r;
    r = NULL;
cleanup:
    if (opts && opts->threads > 0)
        omp_set_num_threads(saved_threads);
    for (size_t c = 0; c <= RK_LINK_MAX_FIELDS; c++)
        rk_free(tf[c]);
    link_blocks_free(&blocks);
    link_keysets_free(&keysets);
    link_u_sample_free(&sample);
    link_stream_result_free(&sr);
    link_hist_free(&hist);
    fit_table_free(&table);
    rk_free(lab);
    rk_free(start);
    rk_free(refit);
    rk_free(scoring);
    rk_link_result_free(r);
    return rc;
}

/* Appends the earlier run's pairs (not scored again): their vectors are compared again (a few
 * per record), their weight and probability kept. */
static int append_old_pairs(rk_ctx *ctx, rk_link_result *r, const rk_link_data *data,
                            const rk_link_options *opts, const link_add *add)
{
    size_t from = r->npairs, n = from + add->npairs;
    if (resize_pairs(r, n) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory holding %zu pairs", n);
    long np = (long)add->npairs;
#pragma omp parallel for schedule(static)
    for (long k = 0; k < np; k++) {
        uint32_t x = RK_MIN(add->a[k], add->b[k]), y = RK_MAX(add->a[k], add->b[k]);
        size_t i = from + (size_t)k;
        r->a[i] = x, r->b[i] = y;
        r->pattern[i] = link_compare(data, opts, x, y, NULL, NULL, NULL, NULL);
        r->weight[i] = add->weight[k];
        r->prob[i] = add->prob[k];
    }
    r->npairs = n;
    return RK_OK;
}

/* The earlier run's persons as forced links (each record to its person's first), after the
 * reviewers' decisions: persons already formed are kept whole. */
static int person_links(rk_ctx *ctx, rk_link_label **out, size_t *n, const rk_link_options *opts,
                        const link_add *add, size_t nrecords)
{
    uint32_t *first = rk_malloc((nrecords + 1) * sizeof(uint32_t));
    rk_link_label *l = rk_malloc((opts->nlabels + nrecords + 1) * sizeof(rk_link_label));
    *out = NULL;
    *n = 0;
    if (!first || !l) {
        rk_free(first);
        rk_free(l);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory holding the earlier persons");
    }
    if (opts->nlabels)
        memcpy(l, opts->labels, opts->nlabels * sizeof(rk_link_label));
    size_t k = opts->nlabels;
    for (size_t i = 0; i < nrecords; i++)
        first[i] = UINT32_MAX;
    for (size_t i = 0; i < nrecords; i++) {
        uint32_t p = add->person[i];
        if (p >= nrecords)
            continue;
        if (first[p] == UINT32_MAX)
            first[p] = (uint32_t)i;
        else
            l[k++] = (rk_link_label){first[p], (uint32_t)i, true};
    }
    rk_free(first);
    *out = l;
    *n = k;
    return RK_OK;
}

int link_run_add(rk_link_result **out, rk_ctx *ctx, const rk_link_data *data,
                 const rk_link_options *opts, const link_add *add)
{
    RK_ASSERT_ARG(ctx, out && data && opts && add && add->touch && add->person);
    int rc = RK_OK;
    rk_link_result *r = rk_calloc(1, sizeof(*r));
    float *tf[RK_LINK_MAX_FIELDS + 1] = {0};
    link_blocks blocks = {0};
    link_keysets keysets = {0};
    link_stream_result sr = {0};
    rk_link_label *labels = NULL;
    size_t nlabels = 0;
    uint64_t *lab = NULL;
    int saved_threads = omp_get_max_threads();
    *out = NULL;
    if (!r)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory starting a linkage");
    if ((rc = check_options(ctx, data, opts)) != RK_OK)
        goto cleanup;
    if (opts->threads > 0)
        omp_set_num_threads(opts->threads);
    r->nrules = opts->nrules;
    r->rules = rk_calloc(opts->nrules, sizeof(rk_link_block_stats));
    if (!r->rules) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory starting a linkage");
        goto cleanup;
    }
    r->model = add->model;
    r->streamed = true; /* only the pairs the run needs are kept */
    if ((rc = link_blocks_build(ctx, &blocks, r->rules, data, opts, true, false)) != RK_OK ||
        (rc = prepare_compare(ctx, tf, NULL, NULL, &lab, &keysets, data, opts, false)) != RK_OK)
        goto cleanup;
    link_stream st = {.data = data,
                      .opts = opts,
                      .tf = (const float *const *)tf,
                      .tf_model = &add->model,
                      .keysets = &keysets,
                      .labels = lab,
                      .nlabels = opts->nlabels,
                      .stage = "comparing blocks with the added list",
                      .keep = {&add->model},
                      .floor = needed_floor(opts),
                      .touch = add->touch};
    if ((rc = link_stream_run(ctx, &sr, &st, &blocks)) != RK_OK)
        goto cleanup;
    r->ncompared = sr.hist.compared;
    for (size_t q = 0; q < opts->nrules; q++)
        r->rules[q].pairs = sr.rule_pairs[q];
    rk_log(ctx, RK_LOG_INFO, "compared %llu pairs with a record of the added list, kept %zu",
           (unsigned long long)sr.hist.compared, sr.n);
    link_hist hist = sr.hist;
    memset(&sr.hist, 0, sizeof(sr.hist));
    /* The earlier run's pairs first (saving copies them as stored), then the new ones. */
    rc = append_old_pairs(ctx, r, data, opts, add);
    if (rc == RK_OK)
        rc = add_pairs(ctx, r, &sr, data);
    if (rc == RK_OK)
        rc = person_links(ctx, &labels, &nlabels, opts, add, data->nrecords);
    if (rc == RK_OK)
        rc = cluster_and_end(ctx, r, &st, &blocks, &hist, labels, nlabels, true);
    link_hist_free(&hist);
    if (rc != RK_OK)
        goto cleanup;
    *out = r;
    r = NULL;
cleanup:
    if (opts && opts->threads > 0)
        omp_set_num_threads(saved_threads);
    for (size_t c = 0; c <= RK_LINK_MAX_FIELDS; c++)
        rk_free(tf[c]);
    link_blocks_free(&blocks);
    link_keysets_free(&keysets);
    link_stream_result_free(&sr);
    rk_free(lab);
    rk_free(labels);
    rk_link_result_free(r);
    return rc;
}
