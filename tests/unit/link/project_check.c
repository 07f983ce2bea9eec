/* Unit tests of the sense check of a fitted run (src/link/project_check.c): a match class that
 * agrees less on a name than the non-match class, an implied number of matches the lists
 * cannot hold, a fit that leaves most pairs agreeing on every name and date unlinked, scores
 * that link many times the pairs of EM's match class, and too many pairs to store are each
 * refused, naming the field or the rule that
 * found most pairs; a sound run passes. */
#include "test.h"

#include "link/project_private.h"

/* A run of 100 records of 2 lists, 1000 compared pairs (900 found by rule 'place', 100 by
 * 'family'), with the default set-up (given, family, birth, ...) and a sound model: the
 * match class agrees on every field far more often than the non-match class; the 40 pairs
 * linked agree on every field, the others on none. */
typedef struct fixture {
    link_setup s;
    project_records r;
    rk_link_result res;
    rk_link_block_stats rules[2];
    float prob[1000];
    uint64_t pattern[1000];
    uint64_t vector[1000], vector_count[1000]; /* the distinct patterns, made by check() */
} fixture;

/* A comparison vector of the fixture's fields, all at one level. */
static uint64_t all_at(const fixture *f, int level)
{
    uint64_t p = 0;
    for (size_t c = 0; c < f->s.ncompare; c++)
        p |= (uint64_t)level << (4 * c);
    return p;
}

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof(*f));
    link_setup_defaults(&f->s);
    static const rk_link_rule rules[2] = {{.name = "family"}, {.name = "place"}};
    f->s.opts.rules = rules;
    f->s.opts.nrules = 2;
    f->r.data.nrecords = 100;
    f->r.nlists = 2;
    f->rules[0].pairs = 100;
    f->rules[1].pairs = 900;
    f->res.nrules = 2;
    f->res.rules = f->rules;
    f->res.npairs = 1000;
    f->res.ncompared = 1000;
    f->res.prob = f->prob;
    f->res.pattern = f->pattern;
    for (size_t p = 0; p < 1000; p++) {
        f->prob[p] = p < 40 ? 0.99f : 0.001f;
        f->pattern[p] = all_at(f, p < 40 ? 0 : 1); /* the links agree on everything */
    }
    rk_link_model *m = &f->res.model;
    m->ncompare = f->s.ncompare;
    for (size_t c = 0; c < f->s.ncompare; c++) {
        m->nlevels[c] = 2;
        m->m_blocked[c][0] = 0.9, m->m_blocked[c][1] = 0.1;
        m->u_blocked[c][0] = 0.1, m->u_blocked[c][1] = 0.9;
    }
    m->lambda_blocked = 0.04;
}

/* The check's code; its message, when it refuses, holds every one of `parts`. */
static int check(fixture *f, const char *const *parts, size_t nparts)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    f->res.nvectors = 0; /* the run's vectors of every compared pair: here every pair is held */
    for (size_t p = 0; p < f->res.npairs; p++) {
        size_t v = 0;
        while (v < f->res.nvectors && f->vector[v] != f->pattern[p])
            v++;
        if (v == f->res.nvectors) {
            f->vector[v] = f->pattern[p];
            f->vector_count[v] = 0;
            f->res.nvectors++;
        }
        f->vector_count[v]++;
    }
    f->res.vector = f->vector;
    f->res.vector_count = f->vector_count;
    int rc = link_run_check(&ctx, "p.rkp", &f->s, &f->r, &f->res);
    for (size_t i = 0; rc != RK_OK && i < nparts; i++)
        if (!strstr(ctx.err.message, parts[i]))
            fail_msg("message '%s' lacks '%s'", ctx.err.message, parts[i]);
    rk_ctx_release(&ctx);
    return rc;
}

static void a_sound_run_passes(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    assert_int_equal(check(&f, NULL, 0), RK_OK);
}

static void matches_that_disagree_on_a_name_are_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    int fam = link_setup_field_index(&f.s, "family");
    assert_true(fam >= 0);
    size_t c = 0;
    while (c < f.s.ncompare && f.s.compare[c].field != (size_t)fam)
        c++;
    assert_true(c < f.s.ncompare);
    f.res.model.m_blocked[c][0] = 0.01; /* "matches" seldom agree on the family name */
    const char *parts[] = {"p.rkp: ", "'family'", "'place' (90%)", "nothing was stored"};
    assert_int_equal(check(&f, parts, 4), RK_EINPUT);
    /* Just under half as often: refused; an equal share (a field the rules block on, or a
       handful of records) passes. */
    f.res.model.m_blocked[c][0] = 0.049;
    assert_int_equal(check(&f, parts, 4), RK_EINPUT);
    f.res.model.m_blocked[c][0] = f.res.model.u_blocked[c][0];
    assert_int_equal(check(&f, NULL, 0), RK_OK);
}

static void a_field_neither_name_nor_date_may_disagree(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    int sex = link_setup_field_index(&f.s, "sex");
    assert_true(sex >= 0);
    bool found = false;
    for (size_t c = 0; c < f.s.ncompare; c++)
        if (f.s.compare[c].field == (size_t)sex) {
            f.res.model.m_blocked[c][0] = 0.01;
            found = true;
        }
    assert_true(found);
    assert_int_equal(check(&f, NULL, 0), RK_OK);
}

static void more_implied_matches_than_the_lists_hold_are_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    f.res.model.lambda_blocked = 0.25; /* 250 matched pairs among 100 records: above 200 */
    const char *parts[] = {"implies 250 matched pairs", "'place' (90%)", "more than the lists"};
    assert_int_equal(check(&f, parts, 3), RK_EINPUT);
    f.res.model.lambda_blocked = 0.19;
    assert_int_equal(check(&f, NULL, 0), RK_OK);
    /* Pairs scored above the threshold count too. */
    for (size_t p = 0; p < 201; p++)
        f.prob[p] = 0.9f;
    const char *above[] = {"implies 201 matched pairs", "201 scored at or above"};
    assert_int_equal(check(&f, above, 2), RK_EINPUT);
    /* With more lists a person makes more pairs: 4 lists allow 3 per record. */
    f.r.nlists = 4;
    assert_int_equal(check(&f, NULL, 0), RK_OK);
}

/* 100 more pairs agree on every name and date but score 0.001: of 140 such pairs 40 are
 * linked, fewer than half: refused. With 30 of them, 40 of 70 are linked: it passes. */
static void a_collapsed_fit_is_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    for (size_t p = 40; p < 140; p++)
        f.pattern[p] = all_at(&f, 0);
    const char *parts[] = {"of the 140 compared pairs that agree exactly on every name and date",
                           "links only 40", "nothing was stored", "'place' (90%)"};
    assert_int_equal(check(&f, parts, 4), RK_EINPUT);
    for (size_t p = 70; p < 140; p++)
        f.pattern[p] = all_at(&f, 1);
    assert_int_equal(check(&f, NULL, 0), RK_OK);
}

/* EM's match class holds 12 of the 1000 compared pairs (share 0.012) while the scores link
 * 120, ten times as many: the class has shrunk to a corner of the matches (four caucasus lists
 * of 945,000 people: 3,039 against 98,950) and is refused. At 8 times or less, or with fewer
 * than 100 pairs linked, it passes. */
static void a_match_class_far_below_the_links_is_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    for (size_t p = 0; p < 120; p++) {
        f.prob[p] = 0.99f;
        f.pattern[p] = all_at(&f, 0);
    }
    f.res.model.lambda_blocked = 0.012;
    const char *parts[] = {"scores 120 pairs at or above the threshold, 10 times the 12 matched",
                           "has shrunk", "nothing was stored", "'place' (90%)"};
    assert_int_equal(check(&f, parts, 4), RK_EINPUT);
    f.res.model.lambda_blocked = 0.015; /* 8 times: passes */
    assert_int_equal(check(&f, NULL, 0), RK_OK);
    f.res.model.lambda_blocked = 0.001; /* 99 linked, 99 times EM's 1: too few to tell */
    for (size_t p = 99; p < 120; p++) {
        f.prob[p] = 0.001f;
        f.pattern[p] = all_at(&f, 1);
    }
    assert_int_equal(check(&f, NULL, 0), RK_OK);
}

static void too_many_pairs_to_store_are_refused(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    f.s.max_pairs_per_record = 5; /* 500 pairs for 100 records */
    for (size_t p = 0; p < 501; p++)
        f.prob[p] = p < 40 ? 0.99f : 0.2f;
    const char *parts[] = {"at least 501 pairs", "max_pairs_per_record 5", "'place' (90%)"};
    assert_int_equal(check(&f, parts, 3), RK_EINPUT);
    f.s.max_pairs_per_record = 6;
    assert_int_equal(check(&f, NULL, 0), RK_OK);
    /* Pairs below pair_floor are not stored. */
    f.s.max_pairs_per_record = 5;
    f.s.opts.keep_floor = 0.3;
    assert_int_equal(check(&f, NULL, 0), RK_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_sound_run_passes),
        cmocka_unit_test(matches_that_disagree_on_a_name_are_refused),
        cmocka_unit_test(a_field_neither_name_nor_date_may_disagree),
        cmocka_unit_test(more_implied_matches_than_the_lists_hold_are_refused),
        cmocka_unit_test(a_collapsed_fit_is_refused),
        cmocka_unit_test(a_match_class_far_below_the_links_is_refused),
        cmocka_unit_test(too_many_pairs_to_store_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
