/* A whole linkage run on in-memory records: check the options, block, compare every candidate
 * pair (in parallel, each pair written to its own slot so results do not depend on the
 * number of threads), fit the model on distinct comparison vectors, score and cluster. */
#include "link_private.h"

#include <omp.h>

/* The least m of a level when scoring: EM may drive a level seen in no match to its bound,
 * which would make one noisy field veto any pair. */
#define M_FLOOR 1e-3

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

/* Open-addressing table from pattern to its index among the distinct patterns. */
typedef struct ptable {
    uint64_t *key;
    uint32_t *idx;
    size_t cap; /* power of two */
} ptable;

static uint32_t ptable_get(ptable *t, uint64_t key, uint32_t *n, uint64_t *keys)
{
    size_t mask = t->cap - 1;
    size_t h = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & mask;
    while (t->idx[h] != UINT32_MAX) {
        if (t->key[h] == key)
            return t->idx[h];
        h = (h + 1) & mask;
    }
    t->key[h] = key;
    t->idx[h] = *n;
    keys[*n] = key;
    return (*n)++;
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

static int fit_table_build(rk_ctx *ctx, fit_table *f, const rk_link_result *r,
                           const rk_link_data *d, const rk_link_options *o)
{
    int rc = RK_OK;
    memset(f, 0, sizeof(*f));
    size_t maxp = r->npairs + o->nlabels + 1;
    size_t cap = 64;
    while (cap < 2 * maxp && cap < ((size_t)1 << 40))
        cap *= 2;
    if (cap > ((size_t)1 << 22))
        cap = (size_t)1 << 22; /* at most 2^21 distinct patterns are expected */
    ptable t = {rk_malloc(cap * sizeof(uint64_t)), rk_malloc(cap * sizeof(uint32_t)), cap};
    uint64_t *keys = rk_malloc((cap / 2 + 1) * sizeof(uint64_t));
    uint64_t *lab = NULL, *lpat = NULL;
    size_t nlab = 0;
    if (!t.key || !t.idx || !keys) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < cap; i++)
        t.idx[i] = UINT32_MAX;
    /* Labelled pairs: sorted (a << 32 | b) so the blocked copies can be left out. */
    lab = rk_malloc((o->nlabels + 1) * sizeof(uint64_t));
    if (!lab) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (size_t k = 0; k < o->nlabels; k++) {
        uint32_t x = RK_MIN(o->labels[k].a, o->labels[k].b);
        uint32_t y = RK_MAX(o->labels[k].a, o->labels[k].b);
        if (y >= d->nrecords) {
            rc = rk_error_set(ctx, RK_EINPUT, "decision %zu names record %u of %zu", k, y,
                              d->nrecords);
            goto cleanup;
        }
        lab[nlab++] = (uint64_t)x << 32 | y;
    }
    qsort(lab, nlab, sizeof(uint64_t), u64_cmp);
    uint32_t np = 0;
    for (size_t i = 0; i < r->npairs; i++) {
        if (np >= cap / 2 - 1) {
            rc = rk_error_set(ctx, RK_EINPUT,
                              "more than %zu distinct comparison vectors; use "
                              "fewer fields or levels",
                              cap / 2 - 1);
            goto cleanup;
        }
        ptable_get(&t, r->pattern[i], &np, keys);
    }
    lpat = rk_malloc((nlab + 1) * sizeof(uint64_t));
    if (!lpat) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    for (size_t k = 0; k < nlab; k++) {
        lpat[k] = link_compare(d, o, (uint32_t)(lab[k] >> 32), (uint32_t)lab[k], NULL, NULL, NULL);
        if (np < cap / 2 - 1)
            ptable_get(&t, lpat[k], &np, keys);
    }
    /* Re-index in sorted pattern order. */
    f->n = np;
    f->nlabelled = nlab;
    f->pattern = rk_malloc((np + 1) * sizeof(uint64_t));
    f->cnt = rk_calloc(np + 1, sizeof(double));
    f->lm = rk_calloc(np + 1, sizeof(double));
    f->ln = rk_calloc(np + 1, sizeof(double));
    f->within = rk_calloc(np + 1, sizeof(double));
    f->across = rk_calloc(np + 1, sizeof(double));
    f->post = rk_calloc(np + 1, sizeof(double));
    if (!f->pattern || !f->cnt || !f->lm || !f->ln || !f->within || !f->across || !f->post) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    memcpy(f->pattern, keys, np * sizeof(uint64_t));
    qsort(f->pattern, np, sizeof(uint64_t), u64_cmp);
    for (uint32_t i = 0; i < np; i++) {
        size_t mask = t.cap - 1;
        size_t h = (size_t)((f->pattern[i] * 0x9e3779b97f4a7c15ULL) >> 17) & mask;
        while (t.key[h] != f->pattern[i])
            h = (h + 1) & mask;
        t.idx[h] = i;
    }
    for (size_t i = 0; i < r->npairs; i++) {
        uint32_t dummy = np;
        uint32_t ix = ptable_get(&t, r->pattern[i], &dummy, keys);
        if (d->list[r->a[i]] == d->list[r->b[i]])
            f->within[ix] += 1;
        else
            f->across[ix] += 1;
        if (nlab) {
            uint64_t key = (uint64_t)r->a[i] << 32 | r->b[i];
            if (bsearch(&key, lab, nlab, sizeof(uint64_t), u64_cmp))
                continue;
        }
        f->cnt[ix] += 1;
    }
    for (size_t k = 0; k < nlab; k++) {
        uint32_t dummy = np;
        uint32_t ix = ptable_get(&t, lpat[k], &dummy, keys);
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
    rk_free(t.key);
    rk_free(t.idx);
    rk_free(keys);
    rk_free(lab);
    rk_free(lpat);
    return rc;
}

/* Fits the model by EM from its starting values; f->post gets each vector's posterior. */
static int fit(rk_ctx *ctx, rk_link_result *r, const rk_link_data *d, const rk_link_options *o,
               fit_table *f)
{
    r->model.lambda_max = max_matches(d, o->mode) / (double)(r->npairs + f->nlabelled);
    return rk_link_em(ctx, &r->model, f->pattern, f->cnt, f->lm, f->ln, f->n, o->u_fixed,
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

/* One more M step, in the scoring model: m from the compared pairs weighted by their scored
 * probabilities, which weigh a shared name by its frequency and take the prior of all pairs,
 * then the pairs scored again. EM fits m without either, so namesakes who share a common name
 * count among its matches: their disagreements (births years apart) look common among
 * matches, and typing errors look rare. A single step: the prior stays EM's. */
static int refit_m(rk_ctx *ctx, rk_link_result *r, const rk_link_data *data, double m_floor)
{
    rk_link_model *model = &r->model;
    double sm[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1] = {{0}};
    for (size_t i = 0; i < r->npairs; i++)
        for (size_t c = 0; c < model->ncompare; c++) {
            int l = pattern_level(r->pattern[i], c);
            if (l != RK_LINK_MISSING && (size_t)l < model->nlevels[c])
                sm[c][l] += r->prob[i];
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

/* EM from the model's starting values, then the model that scores: m with the u of random
 * pairs and the prior of all pairs (EM's own prior when u is fixed). */
static int fit_and_score(rk_ctx *ctx, rk_link_result *r, const rk_link_data *data,
                         const rk_link_options *opts, fit_table *f)
{
    int rc = fit(ctx, r, data, opts, f);
    if (rc != RK_OK)
        return rc;
    if (opts->u_fixed) {
        link_score_model(&r->model, 0, 0, 0);
    } else {
        double pop_within = 0, pop = population(data, opts->mode, &pop_within);
        split_prior(&r->model, f, pop, pop_within);
        link_score_model(&r->model, (double)r->npairs, pop, M_FLOOR);
    }
    return RK_OK;
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
    rk_free(r->cluster);
    rk_free(r->review);
    rk_free(r);
}

int rk_link_run(rk_link_result **out, rk_ctx *ctx, const rk_link_data *data,
                const rk_link_options *opts)
{
    RK_ASSERT_ARG(ctx, out && data && opts);
    int rc = RK_OK;
    rk_link_result *r = rk_calloc(1, sizeof(*r));
    float *tf[RK_LINK_MAX_FIELDS + 1] = {0};
    link_pairs pairs = {0};
    link_u_sample sample = {0};
    fit_table table = {0};
    rk_link_model *start = NULL, *probe = NULL;
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
    if (!r->rules) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory starting a linkage");
        goto cleanup;
    }
    if ((rc = link_block(ctx, &pairs, r->rules, data, opts)) != RK_OK)
        goto cleanup;
    r->npairs = pairs.n;
    r->a = pairs.a;
    r->b = pairs.b;
    pairs.a = pairs.b = NULL;
    for (size_t q = 0; q < opts->nrules; q++)
        rk_log(ctx, RK_LOG_INFO,
               "rule '%s': %llu blocks, largest %llu, %llu new pairs, %llu split, %llu skipped",
               opts->rules[q].name ? opts->rules[q].name : "(unnamed)",
               (unsigned long long)r->rules[q].blocks, (unsigned long long)r->rules[q].largest,
               (unsigned long long)r->rules[q].pairs, (unsigned long long)r->rules[q].split,
               (unsigned long long)r->rules[q].skipped);
    if ((rc = link_tf_tables(ctx, tf, data, opts)) != RK_OK)
        goto cleanup;
    if ((rc = link_sample_u(ctx, &r->model, &sample, data, opts)) != RK_OK)
        goto cleanup;
    start = rk_malloc(sizeof(*start));
    probe = rk_malloc(sizeof(*probe));
    if (!start || !probe) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory fitting the linkage model");
        goto cleanup;
    }
    *start = r->model;
    size_t np = r->npairs;
    r->pattern = rk_malloc((np + 1) * sizeof(uint64_t));
    r->weight = rk_malloc((np + 1) * sizeof(double));
    r->prob = rk_malloc((np + 1) * sizeof(float));
    if (!r->pattern || !r->weight || !r->prob) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory comparing %zu pairs", np);
        goto cleanup;
    }
    rk_progress(ctx, "comparing pairs", 0, np);
    const float *const *tfc = (const float *const *)tf;
    long nl = (long)np;
#pragma omp parallel for schedule(dynamic, 4096)
    for (long i = 0; i < nl; i++) {
        r->pattern[i] = link_compare(data, opts, r->a[i], r->b[i], tfc, &r->model, &r->weight[i]);
        if ((i & 0xffff) == 0 && omp_get_thread_num() == 0) /* chunks go out in order */
            rk_progress(ctx, "comparing pairs", (uint64_t)i, np);
    }
    rk_progress(ctx, "comparing pairs", np, np);
    if ((rc = fit_table_build(ctx, &table, r, data, opts)) != RK_OK ||
        (rc = fit_and_score(ctx, r, data, opts, &table)) != RK_OK)
        goto cleanup;
    /* Fields that go together among non-matches (a postcode and its suburb) are found with the
     * model just fitted, which tells the random pairs that match from those that do not; when
     * there are some, EM starts again counting them together. */
    *probe = r->model;
    if (opts->u_fixed) { /* EM's prior is of the compared pairs: make it that of random pairs */
        double pop_within = 0, pop = population(data, opts->mode, &pop_within);
        probe->lambda_within = probe->lambda_across = 0;
        if (pop > (double)np)
            probe->lambda = RK_MAX(probe->lambda_blocked * (double)np / pop, 1e-12);
    }
    if (link_find_dependence(probe, opts, &sample)) {
        memcpy(start->depends_on, probe->depends_on, sizeof(start->depends_on));
        memcpy(start->lift, probe->lift, sizeof(start->lift));
        r->model = *start;
        if ((rc = fit_and_score(ctx, r, data, opts, &table)) != RK_OK)
            goto cleanup;
    }
    rk_log(ctx, RK_LOG_INFO,
           "model: %zu distinct comparison vectors, %d EM iterations%s (largest change %.2g, "
           "tolerance %.2g), match share %.6f",
           r->model.npatterns, r->model.iterations, r->model.converged ? "" : " (not converged)",
           r->model.change, opts->em_tol, r->model.lambda);
    link_weights scoring;
    link_weights_init(&scoring, &r->model);
#pragma omp parallel for schedule(static)
    for (long i = 0; i < nl; i++) {
        r->weight[i] += link_weights_of(&scoring, r->pattern[i]); /* on the tf part */
        r->prob[i] = (float)rk_link_probability_of(&r->model, r->weight[i],
                                                   data->list[r->a[i]] == data->list[r->b[i]]);
        if ((i & 0xffff) == 0 && omp_get_thread_num() == 0) /* thread 0 has the first share */
            rk_progress(ctx, "scoring pairs", (uint64_t)i * (uint64_t)omp_get_num_threads(), np);
    }
    rk_progress(ctx, "scoring pairs", np, np);
    if (!opts->u_fixed && (rc = refit_m(ctx, r, data, M_FLOOR)) != RK_OK)
        goto cleanup;
    for (size_t i = 0; i < np; i++)
        if (r->prob[i] >= opts->review_low && r->prob[i] < opts->review_high) {
            size_t cap = r->nreview;
            if (rk_grow((void **)&r->review, &cap, r->nreview + 1, sizeof(rk_link_review)) !=
                RK_OK) {
                rc = rk_error_set(ctx, RK_ENOMEM, "out of memory listing pairs for review");
                goto cleanup;
            }
            r->review[r->nreview++] = (rk_link_review){r->a[i],    r->b[i],    RK_REVIEW_UNCERTAIN,
                                                       UINT32_MAX, UINT32_MAX, r->prob[i]};
        }
    rk_link_cluster_options co = RK_LINK_CLUSTER_OPTIONS_INIT;
    co.nrecords = data->nrecords;
    co.list = data->list;
    co.a = r->a, co.b = r->b, co.prob = r->prob, co.npairs = np;
    co.labels = opts->labels, co.nlabels = opts->nlabels;
    co.threshold = opts->threshold;
    co.cannot_link_prob = opts->cannot_link_prob;
    co.bridge_min_mean = opts->bridge_min_mean;
    co.list_unique = opts->list_unique;
    rk_link_clusters cl = {.review = r->review, .nreview = r->nreview};
    rc = rk_link_cluster(&cl, ctx, &co);
    r->review = cl.review, r->nreview = cl.nreview;
    r->cluster = cl.cluster, r->nclusters = cl.nclusters;
    r->nrecords = data->nrecords;
    if (rc != RK_OK)
        goto cleanup;
    *out = r;
    r = NULL;
cleanup:
    if (opts && opts->threads > 0)
        omp_set_num_threads(saved_threads);
    for (size_t c = 0; c <= RK_LINK_MAX_FIELDS; c++)
        rk_free(tf[c]);
    rk_free(pairs.a);
    rk_free(pairs.b);
    link_u_sample_free(&sample);
    fit_table_free(&table);
    rk_free(start);
    rk_free(probe);
    rk_link_result_free(r);
    return rc;
}
