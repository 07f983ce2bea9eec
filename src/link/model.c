/* The Fellegi-Sunter model: u-probabilities from randomly sampled pairs, then m, u and the
 * share of matches by EM over the counts of distinct comparison vectors (a few thousand at
 * most, whatever the number of pairs), with reviewers' labels held fixed and each field's
 * levels kept in order of strength. */
#include "link_private.h"

#define PROB_FLOOR 1e-6

double rk_link_pattern_weight(const rk_link_model *model, uint64_t pattern)
{
    double w = 0;
    for (size_t c = 0; c < model->ncompare; c++) {
        int l = pattern_level(pattern, c);
        if (l == RK_LINK_MISSING || (size_t)l >= model->nlevels[c])
            continue;
        w += log2(model->m[c][l] / model->u[c][l]);
    }
    return w;
}

double rk_link_probability_of(const rk_link_model *model, double weight, bool within)
{
    double lam = within ? model->lambda_within : model->lambda_across;
    if (lam <= 0)
        return rk_link_probability(model, weight);
    if (lam >= 1)
        return 1;
    double t = weight + log2(lam / (1 - lam));
    if (t > 60)
        return 1.0;
    if (t < -60)
        return 0.0;
    return 1.0 / (1.0 + exp2(-t));
}

double rk_link_probability(const rk_link_model *model, double weight)
{
    double lam = model->lambda;
    if (lam <= 0)
        return 0;
    if (lam >= 1)
        return 1;
    double prior = log2(lam / (1 - lam));
    double t = weight + prior;
    if (t > 60)
        return 1.0;
    if (t < -60)
        return 0.0;
    return 1.0 / (1.0 + exp2(-t));
}

/* Normalises a probability vector with a floor, so no level has zero probability. */
static void normalise(double *p, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < PROB_FLOOR)
            p[i] = PROB_FLOOR;
        s += p[i];
    }
    for (size_t i = 0; i < n; i++)
        p[i] /= s;
}

int rk_link_em(rk_ctx *ctx, rk_link_model *model, const uint64_t *patterns, const double *counts,
               const double *labelled_match, const double *labelled_nonmatch, size_t n,
               bool u_fixed, int max_iter, double tol)
{
    RK_ASSERT_ARG(ctx, model && (n == 0 || (patterns && counts)));
    RK_ASSERT_ARG(ctx, model->ncompare <= RK_LINK_MAX_FIELDS);
    size_t C = model->ncompare;
    for (size_t c = 0; c < C; c++) {
        RK_ASSERT_ARG(ctx, model->nlevels[c] >= 1 && model->nlevels[c] <= RK_LINK_MAX_LEVELS + 1);
        normalise(model->m[c], model->nlevels[c]);
        normalise(model->u[c], model->nlevels[c]);
    }
    if (model->lambda <= 0 || model->lambda >= 1)
        model->lambda = 0.01;
    /* A match class larger than the lists allow is some other kind of pair (a block that adds
     * many pairs of one place makes "same place" a class EM would otherwise settle on). */
    double lam_max = model->lambda_max > 0 && model->lambda_max < 1 ? model->lambda_max : 1;
    model->lambda = RK_MIN(model->lambda, lam_max / 2);
    model->converged = false;
    model->npatterns = n;
    model->ntrace = 0;
    model->change = 0;
    int it = 0;
    for (it = 0; it < max_iter; it++) {
        double sm[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1] = {{0}};
        double su[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1] = {{0}};
        double tot_m = 0, tot = 0, loglik = 0;
        double log_lam = log(model->lambda), log_nlam = log(1 - model->lambda);
        for (size_t k = 0; k < n; k++) {
            double lpm = log_lam, lpu = log_nlam; /* log of lambda Pm and (1 - lambda) Pu */
            for (size_t c = 0; c < C; c++) {
                int l = pattern_level(patterns[k], c);
                if (l == RK_LINK_MISSING || (size_t)l >= model->nlevels[c])
                    continue;
                lpm += log(model->m[c][l]);
                lpu += log(model->u[c][l]);
            }
            double w = lpm - lpu;
            double g = w > 700 ? 1.0 : (w < -700 ? 0.0 : 1.0 / (1.0 + exp(-w)));
            double lm = labelled_match ? labelled_match[k] : 0;
            double ln = labelled_nonmatch ? labelled_nonmatch[k] : 0;
            double em = counts[k] * g + lm;
            double eu = counts[k] * (1 - g) + ln;
            double hi = RK_MAX(lpm, lpu);
            loglik += counts[k] * (hi + log1p(exp(RK_MIN(lpm, lpu) - hi))) + lm * lpm + ln * lpu;
            tot_m += em;
            tot += counts[k] + lm + ln;
            for (size_t c = 0; c < C; c++) {
                int l = pattern_level(patterns[k], c);
                if (l == RK_LINK_MISSING || (size_t)l >= model->nlevels[c])
                    continue;
                sm[c][l] += em;
                su[c][l] += eu;
            }
        }
        /* The new values are made whole (floors, order of levels) before they are compared with
         * the old: the order of levels rewrites m after the M step, so a change measured before
         * it sees the same rewrite again at every iteration and never falls below tol. */
        double lam = tot > 0 ? tot_m / tot : model->lambda;
        lam = RK_MIN(RK_MAX(lam, PROB_FLOOR), 1 - PROB_FLOOR);
        lam = RK_MIN(lam, lam_max);
        for (size_t c = 0; c < C; c++) {
            size_t L = model->nlevels[c];
            double zm = 0, zu = 0;
            for (size_t l = 0; l < L; l++) {
                zm += sm[c][l];
                zu += su[c][l];
            }
            if (zm > 0) {
                for (size_t l = 0; l < L; l++)
                    sm[c][l] /= zm;
                normalise(sm[c], L);
            } else {
                memcpy(sm[c], model->m[c], L * sizeof(double));
            }
            if (!u_fixed && zu > 0) {
                for (size_t l = 0; l < L; l++)
                    su[c][l] /= zu;
                normalise(su[c], L);
            } else {
                memcpy(su[c], model->u[c], L * sizeof(double));
            }
            /* Levels are ordered from strongest to weakest agreement, so no level may weigh
             * more than the one before it (blocking can make a weak level rare among
             * non-matches and EM would then read disagreement as evidence of a match). */
            link_order_levels(sm[c], su[c], L);
        }
        double change = fabs(lam - model->lambda);
        model->lambda = lam;
        for (size_t c = 0; c < C; c++)
            for (size_t l = 0; l < model->nlevels[c]; l++) {
                change = RK_MAX(change, fabs(sm[c][l] - model->m[c][l]));
                change = RK_MAX(change, fabs(su[c][l] - model->u[c][l]));
                model->m[c][l] = sm[c][l];
                model->u[c][l] = su[c][l];
            }
        model->change = change;
        if (model->ntrace < RK_LINK_EM_TRACE)
            model->trace[model->ntrace++] = (rk_link_em_step){lam, change, loglik};
        if (change < tol) {
            model->converged = true;
            it++;
            break;
        }
    }
    model->iterations = it;
    return RK_OK;
}

int link_sample_u(rk_ctx *ctx, rk_link_model *model, const rk_link_data *data,
                  const rk_link_options *opts)
{
    int rc = RK_OK;
    size_t ns = opts->u_sample;
    uint32_t *sa = NULL, *sb = NULL;
    uint64_t *pat = NULL;
    model->ncompare = opts->ncompare;
    for (size_t c = 0; c < opts->ncompare; c++) {
        size_t L = opts->compare[c].nlevels + 1;
        model->nlevels[c] = L;
        /* Starting m: most weight on agreement, less on each weaker level. */
        double w = 0.9;
        for (size_t l = 0; l < L; l++) {
            model->m[c][l] = l + 1 < L ? w : 0.05;
            w *= 0.1;
            model->u[c][l] = 1.0 / (double)L;
        }
        normalise(model->m[c], L);
    }
    model->lambda = 0.01;
    if (data->nrecords < 2)
        ns = 0;
    sa = rk_malloc((ns + 1) * sizeof(uint32_t));
    sb = rk_malloc((ns + 1) * sizeof(uint32_t));
    pat = rk_malloc((ns + 1) * sizeof(uint64_t));
    if (!sa || !sb || !pat) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory sampling pairs for u");
        goto cleanup;
    }
    rk_rng rng;
    rk_rng_seed(&rng, opts->seed ^ 0x75u);
    size_t got = 0;
    for (size_t tries = 0; got < ns && tries < ns * 20; tries++) {
        uint32_t x = (uint32_t)rk_rng_below(&rng, data->nrecords);
        uint32_t y = (uint32_t)rk_rng_below(&rng, data->nrecords);
        if (x == y)
            continue;
        bool same = data->list[x] == data->list[y];
        if ((same && !(opts->mode & RK_LINK_WITHIN)) || (!same && !(opts->mode & RK_LINK_ACROSS)))
            continue;
        sa[got] = x < y ? x : y;
        sb[got] = x < y ? y : x;
        got++;
    }
    long ng = (long)got;
#pragma omp parallel for schedule(static)
    for (long i = 0; i < ng; i++)
        pat[i] = link_compare(data, opts, sa[i], sb[i], NULL, NULL, NULL);
    for (size_t c = 0; c < opts->ncompare && got > 0; c++) {
        size_t L = model->nlevels[c];
        double cnt[RK_LINK_MAX_LEVELS + 1] = {0};
        for (size_t i = 0; i < got; i++) {
            int l = pattern_level(pat[i], c);
            if (l != RK_LINK_MISSING && (size_t)l < L)
                cnt[l] += 1;
        }
        /* Half a pair of pseudo-count per level keeps rare levels off zero. */
        for (size_t l = 0; l < L; l++)
            model->u[c][l] = cnt[l] + 0.5;
        normalise(model->u[c], L);
    }
    for (size_t c = 0; c < opts->ncompare; c++)
        for (size_t l = 0; l < model->nlevels[c]; l++)
            model->u_sample[c][l] = model->u[c][l];
cleanup:
    rk_free(sa);
    rk_free(sb);
    rk_free(pat);
    return rc;
}

void link_order_levels(double *m, const double *u, size_t L)
{
    for (size_t l = 1; l < L; l++) {
        double cap = u[l] * (m[l - 1] / u[l - 1]);
        if (m[l] > cap)
            m[l] = cap;
    }
    double z = 0;
    for (size_t l = 0; l < L; l++)
        z += m[l];
    for (size_t l = 0; l < L; l++)
        m[l] /= z;
}

void link_score_model(rk_link_model *model, double compared, double population, double m_floor)
{
    for (size_t c = 0; c < model->ncompare; c++)
        for (size_t l = 0; l < model->nlevels[c]; l++)
            model->u_blocked[c][l] = model->u[c][l], model->m_blocked[c][l] = model->m[c][l];
    model->lambda_blocked = model->lambda;
    if (population < compared || compared <= 0)
        return;
    for (size_t c = 0; c < model->ncompare; c++) {
        size_t L = model->nlevels[c];
        double z = 0;
        for (size_t l = 0; l < L; l++) {
            model->u[c][l] = model->u_sample[c][l];
            model->m[c][l] = RK_MAX(model->m[c][l], m_floor);
            z += model->m[c][l];
        }
        for (size_t l = 0; l < L; l++)
            model->m[c][l] /= z;
        /* Levels keep their order of strength under the new u as they did under EM's. */
        link_order_levels(model->m[c], model->u[c], L);
    }
    /* Every match is assumed to be among the compared pairs. */
    double lam = model->lambda_blocked * compared / population;
    model->lambda = RK_MAX(lam, 1e-12);
}
