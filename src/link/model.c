/* The Fellegi-Sunter model: u-probabilities from randomly sampled pairs, then m, u and the
 * share of matches by EM over the counts of distinct comparison vectors (a few thousand at
 * most, whatever the number of pairs), with reviewers' labels held fixed and each field's
 * levels kept in order of strength. */
#include "link_private.h"
#include "mpi.h"

#define PROB_FLOOR 1e-6

/* log2 of how much less surprising a pattern's agreements are among non-matches than their
 * product says, for fields that go together. */
static double dependence(const rk_link_model *model, uint64_t pattern)
{
    double w = 0;
    for (size_t c = 0; c < model->ncompare; c++) {
        size_t p = model->depends_on[c];
        if (p && p <= model->ncompare && model->lift[c] > 1 && pattern_level(pattern, c) == 0 &&
            pattern_level(pattern, p - 1) == 0)
            w += log2(model->lift[c]);
    }
    return w;
}

/* The weight of level l of compared field c: the one definition behind both ways below. */
static double level_weight(const rk_link_model *model, size_t c, size_t l)
{
    return log2(model->m[c][l] / model->u[c][l]);
}

double rk_link_pattern_weight(const rk_link_model *model, uint64_t pattern)
{
    double w = -dependence(model, pattern);
    for (size_t c = 0; c < model->ncompare; c++) {
        int l = pattern_level(pattern, c);
        if (l == RK_LINK_MISSING || (size_t)l >= model->nlevels[c])
            continue;
        w += level_weight(model, c, (size_t)l);
    }
    return w;
}

void link_weights_init(link_weights *w, const rk_link_model *model)
{
    w->model = model;
    for (size_t c = 0; c < model->ncompare; c++)
        for (size_t l = 0; l < model->nlevels[c]; l++)
            w->w[c][l] = level_weight(model, c, l);
}

double link_weights_of(const link_weights *w, uint64_t pattern)
{
    const rk_link_model *model = w->model;
    double s = -dependence(model, pattern);
    for (size_t c = 0; c < model->ncompare; c++) {
        int l = pattern_level(pattern, c);
        if (l != RK_LINK_MISSING && (size_t)l < model->nlevels[c])
            s += w->w[c][l];
    }
    return s;
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

/* One point of EM's parameter space: every m, u and the share of matches. */
typedef struct em_point {
    double lambda;
    double m[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1];
    double u[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1];
} em_point;

/* What EM is fitted to: the model's shape (fields, levels, fields that go together), the
 * patterns with their counts and labels, and the bounds. */
typedef struct em_problem {
    const rk_link_model *model;
    const uint64_t *patterns;
    const double *counts, *labelled_match, *labelled_nonmatch;
    size_t n;
    bool u_fixed;
    double lam_max;
} em_problem;

/* log(lambda Pm) and log((1 - lambda) Pu) of a pattern at x; agreements of fields that go
 * together are that much less surprising among non-matches. */
static void em_logs(const rk_link_model *model, const em_point *x, uint64_t pattern, double *lpm,
                    double *lpu)
{
    double a = log(x->lambda), b = log(1 - x->lambda) + M_LN2 * dependence(model, pattern);
    for (size_t c = 0; c < model->ncompare; c++) {
        int l = pattern_level(pattern, c);
        if (l == RK_LINK_MISSING || (size_t)l >= model->nlevels[c])
            continue;
        a += log(x->m[c][l]);
        b += log(x->u[c][l]);
    }
    *lpm = a, *lpu = b;
}

static double logistic(double w)
{
    return w > 700 ? 1.0 : (w < -700 ? 0.0 : 1.0 / (1.0 + exp(-w)));
}

/* Makes sums into a probability vector; false (and p unchanged) when they are all 0. */
static bool from_sums(double *p, const double *sums, size_t L)
{
    double z = 0;
    for (size_t l = 0; l < L; l++)
        z += sums[l];
    if (z <= 0)
        return false;
    for (size_t l = 0; l < L; l++)
        p[l] = sums[l] / z;
    normalise(p, L);
    return true;
}

/* One EM step from x (the map F): E step, M step, floors, the bound on lambda and the order of
 * levels. Returns the largest absolute change of any m, u or lambda from x to *out; *loglik is
 * the log-likelihood at x. The new values are made whole (floors, bound, order of levels)
 * before they are compared with the old: the order of levels rewrites m after the M step, so a
 * change measured before it sees the same rewrite again at every iteration and never falls
 * below tol. */
static double em_step(em_point *out, double *loglik, const em_point *x, const em_problem *p)
{
    const rk_link_model *model = p->model;
    size_t C = model->ncompare;
    double sm[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1] = {{0}};
    double su[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1] = {{0}};
    double tot_m = 0, tot = 0, ll = 0;
    for (size_t k = 0; k < p->n; k++) {
        double lpm, lpu;
        em_logs(model, x, p->patterns[k], &lpm, &lpu);
        double g = logistic(lpm - lpu);
        double lm = p->labelled_match ? p->labelled_match[k] : 0;
        double ln = p->labelled_nonmatch ? p->labelled_nonmatch[k] : 0;
        double em = p->counts[k] * g + lm, eu = p->counts[k] * (1 - g) + ln;
        double hi = RK_MAX(lpm, lpu);
        ll += p->counts[k] * (hi + log1p(exp(RK_MIN(lpm, lpu) - hi))) + lm * lpm + ln * lpu;
        tot_m += em;
        tot += p->counts[k] + lm + ln;
        for (size_t c = 0; c < C; c++) {
            int l = pattern_level(p->patterns[k], c);
            if (l == RK_LINK_MISSING || (size_t)l >= model->nlevels[c])
                continue;
            sm[c][l] += em;
            su[c][l] += eu;
        }
    }
    double lam = tot > 0 ? tot_m / tot : x->lambda;
    lam = RK_MIN(RK_MAX(lam, PROB_FLOOR), 1 - PROB_FLOOR);
    lam = RK_MIN(lam, p->lam_max);
    double change = fabs(lam - x->lambda);
    out->lambda = lam;
    for (size_t c = 0; c < C; c++) {
        size_t L = model->nlevels[c];
        if (!from_sums(out->m[c], sm[c], L))
            memcpy(out->m[c], x->m[c], L * sizeof(double));
        if (p->u_fixed || !from_sums(out->u[c], su[c], L))
            memcpy(out->u[c], x->u[c], L * sizeof(double));
        /* Levels are ordered from strongest to weakest agreement, so no level may weigh more
         * than the one before it (blocking can make a weak level rare among non-matches and
         * EM would then read disagreement as evidence of a match). */
        link_order_levels(out->m[c], out->u[c], L);
        for (size_t l = 0; l < L; l++) {
            change = RK_MAX(change, fabs(out->m[c][l] - x->m[c][l]));
            change = RK_MAX(change, fabs(out->u[c][l] - x->u[c][l]));
        }
    }
    *loglik = ll;
    return change;
}

/* The SQUAREM extrapolation (Varadhan and Roland 2008, scheme S3) from x0 through x1 = F(x0)
 * and x2 = F(x1): with r = x1 - x0, v = x2 - 2 x1 + x0 and the step alpha = -|r| / |v| (at
 * most -1; -1 gives x2, plain EM), the point x0 - 2 alpha r + alpha^2 v. alpha is brought back
 * toward -1 until every probability is in (0, 1) and lambda within its bound (the level sums
 * stay 1: the point is an affine combination of three points whose sums are 1). Returns the
 * alpha taken. */
#define SQ(d) ((d) * (d))
static double em_extrapolate(em_point *out, const em_point *x0, const em_point *x1,
                             const em_point *x2, const em_problem *p)
{
    const rk_link_model *model = p->model;
    size_t C = model->ncompare;
    double rr = SQ(x1->lambda - x0->lambda);
    double vv = SQ(x2->lambda - 2 * x1->lambda + x0->lambda);
    for (size_t c = 0; c < C; c++)
        for (size_t l = 0; l < model->nlevels[c]; l++) {
            rr += SQ(x1->m[c][l] - x0->m[c][l]);
            vv += SQ(x2->m[c][l] - 2 * x1->m[c][l] + x0->m[c][l]);
            if (!p->u_fixed) {
                rr += SQ(x1->u[c][l] - x0->u[c][l]);
                vv += SQ(x2->u[c][l] - 2 * x1->u[c][l] + x0->u[c][l]);
            }
        }
    double alpha = vv > 0 ? -sqrt(rr / vv) : -1;
    alpha = RK_MIN(alpha, -1.0);
    /* Within 1e-3 of -1 the step is plain EM's: x2. */
    for (; alpha < -1 - 1e-3; alpha = (alpha - 1) / 2) {
        double a = -2 * alpha - 2 * alpha * alpha, b = alpha * alpha, z = 1 - a - b;
#define EXTRAPOLATE(f) (z * x0->f + a * x1->f + b * x2->f)
        out->lambda = EXTRAPOLATE(lambda);
        bool ok = out->lambda > 0 && out->lambda < 1 && out->lambda <= p->lam_max;
        for (size_t c = 0; ok && c < C; c++)
            for (size_t l = 0; ok && l < model->nlevels[c]; l++) {
                out->m[c][l] = EXTRAPOLATE(m[c][l]);
                out->u[c][l] = p->u_fixed ? x0->u[c][l] : EXTRAPOLATE(u[c][l]);
                ok = out->m[c][l] > 0 && out->m[c][l] < 1 && out->u[c][l] > 0 && out->u[c][l] < 1;
            }
#undef EXTRAPOLATE
        if (ok)
            return alpha;
    }
    *out = *x2;
    return -1;
}

static void em_point_of(em_point *x, const rk_link_model *model)
{
    x->lambda = model->lambda;
    for (size_t c = 0; c < model->ncompare; c++)
        for (size_t l = 0; l < model->nlevels[c]; l++)
            x->m[c][l] = model->m[c][l], x->u[c][l] = model->u[c][l];
}

/* EM accelerated by SQUAREM. Each cycle takes two plain EM steps from a point made whole,
 * x1 = F(x0) and x2 = F(x1), extrapolates from the three (em_extrapolate) and takes one EM step
 * from there to make the point whole again: that point is the next cycle's x0. The next
 * cycle's first step tells its log-likelihood and its change (how far it is from a fixed
 * point); when the log-likelihood is more than EM_LOGLIK_SLACK a pair below that of x1 (the
 * best known on the plain path without another E step) and the change is larger than x1's as
 * well, the extrapolation went astray and EM restarts from x2. The log-likelihood alone does
 * not do: it is not monotone here (the order of levels is not an EM step and fields that go
 * together add a term), and near the fixed point plain EM often approaches it from above, so
 * that an extrapolation that lands nearer the fixed point has the lower log-likelihood. EM
 * stops when a plain step from a point made whole (never the step from an extrapolated point)
 * changes no m, u or lambda by tol or more; every evaluation of F (every E step) counts as an
 * iteration and has its entry in the trace. */
#define EM_LOGLIK_SLACK 1e-7

/* One evaluation of F from `from` into `to`, counted and traced; returns the log-likelihood at
 * `from` (model->change gets the change). */
static double em_evaluate(em_point *to, rk_link_model *model, const em_point *from,
                          const em_problem *p, int *it)
{
    double ll, change = em_step(to, &ll, from, p);
    (*it)++;
    model->change = change;
    if (model->ntrace < RK_LINK_EM_TRACE)
        model->trace[model->ntrace++] = (rk_link_em_step){to->lambda, change, ll};
    return ll;
}

int rk_link_em(rk_ctx *ctx, rk_link_model *model, const uint64_t *patterns, const double *counts,
               const double *labelled_match, const double *labelled_nonmatch, size_t n,
               bool u_fixed, int max_iter, double tol, double *posterior)
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
    em_problem p = {model, patterns, counts, labelled_match, labelled_nonmatch,
                    n,     u_fixed,  lam_max};
    double weight = 0;
    for (size_t k = 0; k < n; k++)
        weight += counts[k] + (labelled_match ? labelled_match[k] : 0) +
                  (labelled_nonmatch ? labelled_nonmatch[k] : 0);
    double slack = EM_LOGLIK_SLACK * RK_MAX(weight, 1.0);
    /* x[0] = x0, x[1] = x1, x[2] = x2, x[3] the extrapolated point, x[4] the fallback: the
     * last cycle's x2 while its extrapolation is on trial. */
    em_point x[5];
    em_point *last = &x[0];
    em_point_of(&x[0], model);
    bool on_trial = false;
    double trial_ll = 0, trial_change = 0;
    int it = 0;
    while (it < max_iter) {
        rk_progress(ctx, "fitting iterations", (uint64_t)it, 0);
        double ll0 = em_evaluate(&x[1], model, &x[0], &p, &it);
        last = &x[1];
        if (on_trial) {
            on_trial = false;
            if (ll0 < trial_ll - slack && model->change > trial_change) {
                x[0] = x[4];
                last = &x[0];
                continue;
            }
        }
        if (model->change < tol) {
            model->converged = true;
            break;
        }
        if (it >= max_iter)
            break;
        double ll1 = em_evaluate(&x[2], model, &x[1], &p, &it), change1 = model->change;
        last = &x[2];
        if (change1 < tol) {
            model->converged = true;
            break;
        }
        if (it >= max_iter)
            break;
        double alpha = em_extrapolate(&x[3], &x[0], &x[1], &x[2], &p);
        em_evaluate(&x[0], model, &x[3], &p, &it);
        last = &x[0];
        if (alpha < -1) {
            x[4] = x[2];
            on_trial = true;
            trial_ll = ll1;
            trial_change = change1;
        }
    }
    model->lambda = last->lambda;
    for (size_t c = 0; c < C; c++)
        for (size_t l = 0; l < model->nlevels[c]; l++)
            model->m[c][l] = last->m[c][l], model->u[c][l] = last->u[c][l];
    model->iterations = it;
    rk_progress(ctx, "fitting iterations", (uint64_t)it, (uint64_t)it);
    for (size_t k = 0; posterior && k < n; k++) {
        double lpm, lpu;
        em_logs(model, last, patterns[k], &lpm, &lpu);
        posterior[k] = logistic(lpm - lpu);
    }
    return RK_OK;
}

/* Fields that go together among the non-matches of random pairs. Fields are taken from the
 * rarest agreement to the commonest; each may go with one field before it, the one with which
 * its agreement is most often seen, when that is at least DEPENDENCE_MIN_LIFT times the
 * product of the two (in DEPENDENCE_MIN_PAIRS pairs or more, so that the figure is measured,
 * not noise). Each random pair counts by its probability of not being a match: where lists
 * overlap much, the few random pairs that agree on two rare fields are mostly matches, which
 * agree on everything. Names adjusted for their frequency are left alone: the adjustment of
 * the names together covers them. The first level of a field is its agreement. */
#define DEPENDENCE_MIN_LIFT  4.0
#define DEPENDENCE_MIN_PAIRS 10
bool link_find_dependence(rk_link_model *model, const rk_link_options *opts,
                          const link_u_sample *sample)
{
    size_t C = model->ncompare, order[RK_LINK_MAX_FIELDS];
    bool found = false;
    memset(model->depends_on, 0, sizeof(model->depends_on));
    memset(model->lift, 0, sizeof(model->lift));
    double *non = rk_malloc((sample->n + 1) * sizeof(double));
    if (!non)
        return false; /* no pair weighed: the fields are taken as independent */
    for (size_t k = 0; k < sample->n; k++)
        non[k] = 1 - rk_link_probability_of(model, rk_link_pattern_weight(model, sample->pat[k]),
                                            sample->within[k]);
    for (size_t c = 0; c < C; c++)
        order[c] = c;
    for (size_t i = 1; i < C; i++) /* by u of agreement, ties by index: deterministic */
        for (size_t j = i; j > 0; j--) {
            size_t x = order[j - 1], y = order[j];
            if (model->u_sample[x][0] < model->u_sample[y][0] ||
                (model->u_sample[x][0] == model->u_sample[y][0] && x < y))
                break;
            order[j - 1] = y, order[j] = x;
        }
    for (size_t i = 1; i < C; i++) {
        size_t b = order[i];
        if (opts->compare[b].tf_adjust || model->nlevels[b] < 2)
            continue;
        double best = DEPENDENCE_MIN_LIFT;
        for (size_t j = 0; j < i; j++) {
            size_t a = order[j];
            if (model->nlevels[a] < 2)
                continue;
            double both = 0, na = 0, nb = 0, seen = 0;
            for (size_t k = 0; k < sample->n; k++) {
                int la = pattern_level(sample->pat[k], a), lb = pattern_level(sample->pat[k], b);
                if (la == RK_LINK_MISSING || lb == RK_LINK_MISSING)
                    continue;
                seen += non[k];
                na += (la == 0) * non[k];
                nb += (lb == 0) * non[k];
                both += (la == 0 && lb == 0) * non[k];
            }
            if (both < DEPENDENCE_MIN_PAIRS)
                continue;
            double lift = both * seen / (na * nb);
            if (lift > best) {
                best = lift;
                model->depends_on[b] = (uint8_t)(a + 1);
                model->lift[b] = lift;
                found = true;
            }
        }
    }
    rk_free(non);
    return found;
}

void link_u_sample_free(link_u_sample *s)
{
    rk_free(s->pat);
    rk_free(s->within);
    memset(s, 0, sizeof(*s));
}

int link_sample_u(rk_ctx *ctx, rk_link_model *model, link_u_sample *out, const rk_link_data *data,
                  const rk_link_options *opts, bool shared)
{
    int rc = RK_OK;
    size_t ns = opts->u_sample;
    uint32_t *sa = NULL, *sb = NULL;
    uint64_t *pat = NULL;
    uint8_t *within = NULL;
    memset(out, 0, sizeof(*out));
    memset(model->depends_on, 0, sizeof(model->depends_on));
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
    within = rk_malloc(ns + 1);
    if (!sa || !sb || !pat || !within) {
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
        within[got] = same;
        sa[got] = x < y ? x : y;
        sb[got] = x < y ? y : x;
        got++;
    }
    /* at the ranks of an MPI run, each compares a share of the sample (mpi.h) */
    size_t lo, hi;
    link_mpi_part(got, &lo, &hi);
    long from = shared ? (long)lo : 0, to = shared ? (long)RK_MIN(hi, got) : (long)got;
#pragma omp parallel for schedule(static)
    for (long i = from; i < to; i++)
        pat[i] = link_compare(data, opts, sa[i], sb[i], NULL, NULL, NULL, NULL);
    if ((rc = link_mpi_fill(ctx, pat, got, sizeof(uint64_t), shared, RK_OK)) != RK_OK)
        goto cleanup;
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
    out->pat = pat, out->within = within, out->n = got;
    pat = NULL, within = NULL;
cleanup:
    rk_free(sa);
    rk_free(sb);
    rk_free(pat);
    rk_free(within);
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
