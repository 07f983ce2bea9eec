/* The sense check of a fitted link run, before anything of it is written to the project
 * (docs/linkage.md, "The sense check"): a model whose match class is not the one that agrees
 * on names and dates, a model that implies more matched pairs than the lists can hold, a
 * model that leaves most pairs agreeing on every name and date unlinked, a model whose scores
 * link many times the pairs EM's match class holds, or a run that would store more pairs than
 * a set multiple of the records is refused with what is wrong and what to do. */
#include "link_private.h"
#include "project_private.h"

/* Is compared field c a name or a date (the fields on which a match must agree more than a
 * non-match)? */
static bool identifying(const link_setup *s, size_t c)
{
    const setup_field *f = &s->fields[s->compare[c].field];
    switch (f->source) {
    case SRC_GIVEN:
    case SRC_FAMILY:
    case SRC_PATRONYMIC:
    case SRC_BIRTH:
    case SRC_DEATH:
        return true;
    default:
        return f->type == RK_LINK_DATE;
    }
}

/* The blocking rules that found most of the compared pairs, most first, until they found more
 * than half of them: "'postcode + suburb' (78% of the 940123 compared pairs)". */
static int name_rules(rk_buf *out, const link_setup *s, const rk_link_result *res)
{
    bool used[RK_ARRAY_LEN(s->rules)] = {false};
    uint64_t total = 0, named = 0;
    for (size_t q = 0; q < res->nrules; q++)
        total += res->rules[q].pairs;
    int rc = RK_OK;
    for (size_t k = 0; k < res->nrules && k < RK_ARRAY_LEN(used) && rc == RK_OK; k++) {
        size_t best = SIZE_MAX;
        for (size_t q = 0; q < res->nrules && q < RK_ARRAY_LEN(used); q++)
            if (!used[q] && (best == SIZE_MAX || res->rules[q].pairs > res->rules[best].pairs))
                best = q;
        if (best == SIZE_MAX || (k > 0 && 2 * named > total))
            break;
        used[best] = true;
        named += res->rules[best].pairs;
        const char *name = s->opts.rules[best].name ? s->opts.rules[best].name : "(unnamed)";
        rc = rk_buf_printf(out, "%s'%s' (%.0f%%)", k ? ", " : "", name,
                           total ? 100.0 * (double)res->rules[best].pairs / (double)total : 0.0);
    }
    return rc;
}

/* The rule whose compared pairs the model calls matches (at or above the threshold) most
 * often, as "; the rule whose pairs it calls matches most often is 'postcode + suburb' (96% of
 * them)": a rule may find fewer pairs than another and still be the one that misleads EM. Only
 * for a refusal (the blocks are built again to find the rule of each pair at or above the
 * threshold, all of which a run keeps, streamed or not); a rule's compared pairs are its
 * count in the run. Nothing is added when the blocks cannot be built, or when no rule has more
 * than half its pairs called matches. */
static void most_matched_rule(rk_buf *out, const link_setup *s, const project_records *r,
                              const rk_link_result *res)
{
    link_blocks ix;
    double matched[RK_ARRAY_LEN(s->rules)] = {0};
    if (!res->a || res->npairs == 0 || res->nrules == 0 || res->nrules > RK_ARRAY_LEN(matched))
        return;
    rk_ctx quiet; /* a failure here only leaves the hint out */
    rk_ctx_init(&quiet);
    if (link_blocks_build(&quiet, &ix, NULL, &r->data, &s->opts, false, false) == RK_OK) {
        for (size_t p = 0; p < res->npairs; p++) {
            if (res->prob[p] < s->opts.threshold)
                continue;
            long q = link_blocks_rule(&ix, &r->data, res->a[p], res->b[p]);
            if (q >= 0 && (size_t)q < res->nrules)
                matched[q] += 1;
        }
        size_t best = SIZE_MAX;
        for (size_t q = 0; q < res->nrules; q++) {
            double seen = (double)res->rules[q].pairs;
            if (seen > 0 && (best == SIZE_MAX ||
                             matched[q] / seen > matched[best] / (double)res->rules[best].pairs))
                best = q;
        }
        if (best != SIZE_MAX && 2 * matched[best] > (double)res->rules[best].pairs)
            rk_buf_printf(
                out, "; the rule whose pairs it calls matches most often is '%s' (%.0f%% of them)",
                s->opts.rules[best].name ? s->opts.rules[best].name : "(unnamed)",
                100.0 * matched[best] / (double)res->rules[best].pairs);
    }
    link_blocks_free(&ix);
    rk_ctx_release(&quiet);
}

/* (a) The first name or date field whose top level the match class agrees on less than half
 * as often as the non-match class, or -1. EM's classes: m and u among the compared pairs (with
 * u_fixed, u is the random pairs'). Not "no more often": a field a rule blocks on agrees in
 * both classes alike among the compared pairs (Febrl 4's family name, m = u = 0.871), and so
 * does every field of a handful of records; a class captured by a block ("same place")
 * agrees on names far less often than the pairs the name rules find. */
static long misfit_field(const link_setup *s, const rk_link_model *m)
{
    for (size_t c = 0; c < m->ncompare && c < s->ncompare; c++)
        if (identifying(s, c) && m->nlevels[c] > 1 && m->m_blocked[c][0] < 0.5 * m->u_blocked[c][0])
            return (long)c;
    return -1;
}

/* Does a pair agree exactly (first level) on every name and date both its records give, with at
 * least one name and one date among them? */
static bool agrees_on_all(const link_setup *s, const rk_link_model *m, uint64_t pattern)
{
    bool name = false, date = false;
    for (size_t c = 0; c < m->ncompare && c < s->ncompare; c++) {
        if (!identifying(s, c))
            continue;
        int l = pattern_level(pattern, c);
        if (l == RK_LINK_MISSING)
            continue;
        if (l != 0)
            return false;
        if (s->fields[s->compare[c].field].type == RK_LINK_DATE)
            date = true;
        else
            name = true;
    }
    return name && date;
}

/* (d) A collapsed fit: fewer than half of the compared pairs that agree exactly on every name
 * and date both records give (at least COLLAPSE_MIN_PAIRS of them) scored at or above the
 * threshold. Namesakes born on one day are few; a match class that leaves most such pairs out
 * has shrunk to a corner of the matches (EM's share fell to its floor on names and a birth
 * date alone at 100,000 Febrl-like records a side: 867 of 50,000 true pairs linked). */
#define COLLAPSE_MIN_PAIRS 20
static bool collapsed(const link_setup *s, const rk_link_result *res, size_t *agree, size_t *linked)
{
    *agree = *linked = 0;
    for (size_t v = 0; v < res->nvectors; v++) /* every compared pair, streamed or not */
        if (agrees_on_all(s, &res->model, res->vector[v]))
            *agree += res->vector_count[v];
    for (size_t p = 0; p < res->npairs; p++) /* those linked are all held */
        if (res->prob[p] >= s->opts.threshold && agrees_on_all(s, &res->model, res->pattern[p]))
            (*linked)++;
    return *agree >= COLLAPSE_MIN_PAIRS && 2 * *linked < *agree;
}

int link_run_check(rk_ctx *ctx, const char *project, const link_setup *s, const project_records *r,
                   const rk_link_result *res)
{
    const rk_link_model *m = &res->model;
    double records = (double)r->data.nrecords;
    rk_buf rules;
    rk_buf_init(&rules);
    int rc = RK_OK;
    if (name_rules(&rules, s, res) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory checking the link model");
        goto cleanup;
    }
    long c = misfit_field(s, m);
    if (c >= 0)
        most_matched_rule(&rules, s, r, res);
    if (c >= 0) {
        const rk_link_compare *cmp = &s->compare[c];
        rc = rk_error_set(
            ctx, RK_EINPUT,
            "%s: the fitted model's matches agree on '%s' (%s) less than half as "
            "often as its non-matches (m %.3g, u %.3g): EM's match class is not the same "
            "person; most compared pairs come from the blocking rule(s) %s, which "
            "likely pair records that share something other than the person; "
            "nothing was stored; remove or narrow that rule (add a name or date "
            "part), or compare more identifying fields",
            project, s->fields[cmp->field].name, cmp->levels[0].label, m->m_blocked[c][0],
            m->u_blocked[c][0], rk_buf_cstr(&rules));
        goto cleanup;
    }
    /* (b) A person on each of k lists gives k(k-1)/2 matched pairs, (k-1)/2 per record: twice
     * the records, or (lists - 1) times them, is far above what lists can hold. */
    double cap = records * RK_MAX(2.0, (double)r->nlists - 1);
    size_t above = 0, kept = 0;
    for (size_t p = 0; p < res->npairs; p++) {
        above += res->prob[p] >= s->opts.threshold;
        kept += res->prob[p] >= s->opts.keep_floor;
    }
    double implied = RK_MAX(m->lambda_blocked * (double)res->ncompared, (double)above);
    if (implied > cap) {
        most_matched_rule(&rules, s, r, res);
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: the fitted model implies %.0f matched pairs (match share %.4g of "
                          "%zu compared pairs, %zu scored at or above the threshold) among %zu "
                          "records of %zu lists, more than the lists can hold (%.0f): it has "
                          "degenerated; most compared pairs come from the blocking rule(s) %s; "
                          "nothing was stored; remove or narrow that rule%s",
                          project, implied, m->lambda_blocked, (size_t)res->ncompared, above,
                          r->data.nrecords, r->nlists, cap, rk_buf_cstr(&rules),
                          s->opts.u_fixed ? ", or set u_fixed = no" : "");
        goto cleanup;
    }
    size_t agree, linked;
    if (collapsed(s, res, &agree, &linked)) {
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: of the %zu compared pairs that agree exactly on every name and "
                          "date both records give, the fitted model links only %zu (match share "
                          "%.3g of the compared pairs): EM's match class has shrunk to a corner "
                          "of the matches; nothing was stored; compare more fields (list them "
                          "in the [link] section's fields =, the mapped field: extras among "
                          "them) or narrow the blocking rule(s) %s",
                          project, agree, linked, m->lambda_blocked, rk_buf_cstr(&rules));
        goto cleanup;
    }
    double em;
    if (link_match_class_shrunk(m, res->ncompared, above, &em)) {
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: the fitted model scores %zu pairs at or above the threshold, %.0f "
                          "times the %.0f matched pairs of EM's match class (match share %.3g of "
                          "%zu compared pairs): EM's match class has shrunk to a corner of the "
                          "matches (the blocks compare many namesakes, and EM counts records that "
                          "share only a name and a birth year as non-matches), so the prior of "
                          "the scores is too low and most matches are left unlinked; nothing was "
                          "stored; narrow the blocking rule(s) %s (add a name or date part), "
                          "compare more fields, or link fewer records at once%s",
                          project, above, (double)above / RK_MAX(em, 1e-300), em, m->lambda_blocked,
                          (size_t)res->ncompared, rk_buf_cstr(&rules),
                          s->opts.u_fixed ? ", or set u_fixed = no" : "");
        goto cleanup;
    }
    /* (c) The pairs stored for their own sake (at or above pair_floor); a few below it are
     * stored too, so this is the least the run would store. */
    if ((double)kept > s->max_pairs_per_record * records) {
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: the run would store at least %zu pairs (scored at or above "
                          "pair_floor %g), more than max_pairs_per_record %g times the %zu "
                          "records; nothing was stored; narrow the blocking rule(s) %s, raise "
                          "pair_floor, or raise max_pairs_per_record in the [link] section",
                          project, kept, s->opts.keep_floor, s->max_pairs_per_record,
                          r->data.nrecords, rk_buf_cstr(&rules));
        goto cleanup;
    }
cleanup:
    rk_buf_release(&rules);
    return rc;
}
