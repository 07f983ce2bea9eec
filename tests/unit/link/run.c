/* Unit tests of whole linkage runs on small generated records: every pair compared once
 * across blocking rules, oversized blocks split or skipped with a warning, and results
 * bit-identical whatever the number of threads. */
#include "test.h"

#include "link/link_private.h"

#include <math.h>

enum { F_GIVEN, F_FAMILY, F_BIRTH, F_PLACE };

static const char *const syl[] = {"ka", "mal", "ro", "sen", "ti", "bar", "nu", "ze",
                                  "lo", "ham", "di", "ver", "su", "gan", "pe", "rat"};

/* A name of 2 or 3 syllables drawn from the table. */
static void name(char *out, size_t cap, rk_rng *r, const char *suffix)
{
    size_t n = 2 + rk_rng_below(r, 2);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strncat(out, syl[rk_rng_below(r, 16)], cap - strlen(out) - 1);
    strncat(out, suffix, cap - strlen(out) - 1);
}

/* n people, each on 1 to 3 lists with a typo now and then; entity = person. */
static void make_data(rk_link_data *d, size_t people, uint64_t seed)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_data_init(d);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "given", RK_LINK_STRING), RK_OK);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "family", RK_LINK_STRING), RK_OK);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "birth", RK_LINK_DATE), RK_OK);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "place", RK_LINK_STRING), RK_OK);
    rk_rng r;
    rk_rng_seed(&r, seed);
    for (size_t p = 0; p < people; p++) {
        char g[32], f[32];
        name(g, sizeof(g), &r, "");
        name(f, sizeof(f), &r, "ov");
        if (rk_rng_uniform(&r) < 0.15) /* a common name, for a block that needs splitting */
            snprintf(f, sizeof(f), "mammadov");
        int year = 1940 + (int)rk_rng_below(&r, 60), month = 1 + (int)rk_rng_below(&r, 12),
            day = 1 + (int)rk_rng_below(&r, 28);
        char place[16];
        snprintf(place, sizeof(place), "v%02d", (int)rk_rng_below(&r, 30));
        for (uint32_t list = 0; list < 3; list++) {
            if (rk_rng_uniform(&r) < 0.4)
                continue;
            assert_int_equal(rk_link_data_add_record(&ctx, d, list, (int64_t)p), RK_OK);
            char gg[32];
            snprintf(gg, sizeof(gg), "%s", g);
            if (rk_rng_uniform(&r) < 0.2)
                gg[rk_rng_below(&r, strlen(gg))] = 'x';
            rk_link_data_add_key(&ctx, d, F_GIVEN, 0, gg, strlen(gg));
            rk_link_data_add_key(&ctx, d, F_FAMILY, 0, f, strlen(f));
            char sx[5];
            rk_link_soundex(sx, f, strlen(f));
            rk_link_data_add_key(&ctx, d, F_FAMILY, 1, sx, strlen(sx));
            rk_link_date dt = rk_rng_uniform(&r) < 0.3 ? rk_link_date_ymd(year, 0, 0)
                                                       : rk_link_date_ymd(year, month, day);
            rk_link_data_set_date(&ctx, d, F_BIRTH, dt);
            if (rk_rng_uniform(&r) < 0.8)
                rk_link_data_add_key(&ctx, d, F_PLACE, 0, place, strlen(place));
        }
    }
    rk_ctx_release(&ctx);
}

static rk_link_compare cmp[4];
static rk_link_rule rules[3];

static void set_options(rk_link_options *o)
{
    cmp[0] = (rk_link_compare){.field = F_GIVEN, .nlevels = 2, .tf_adjust = true};
    cmp[0].levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT};
    cmp[0].levels[1] = (rk_link_level){.cmp = RK_CMP_JW, .threshold = 0.85};
    cmp[1] = (rk_link_compare){.field = F_FAMILY, .nlevels = 2};
    cmp[1].levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT};
    cmp[1].levels[1] = (rk_link_level){.cmp = RK_CMP_EXACT, .tag = 1};
    cmp[2] = (rk_link_compare){.field = F_BIRTH, .nlevels = 2};
    cmp[2].levels[0] = (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 0};
    cmp[2].levels[1] = (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 400};
    cmp[3] = (rk_link_compare){.field = F_PLACE, .nlevels = 1};
    cmp[3].levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT};
    rules[0] = (rk_link_rule){
        .name = "family+year", .nparts = 2, .parts = {{F_FAMILY, 1, 0}, {F_BIRTH, 0, 1}}};
    rules[1] = (rk_link_rule){
        .name = "given+place", .nparts = 2, .parts = {{F_GIVEN, 0, 0}, {F_PLACE, 0, 0}}};
    rules[2] = (rk_link_rule){.name = "family",
                              .nparts = 1,
                              .parts = {{F_FAMILY, 0, 0}},
                              .has_split = true,
                              .split = {F_PLACE, 0, 0}};
    *o = (rk_link_options)RK_LINK_OPTIONS_INIT;
    o->rules = rules;
    o->nrules = 3;
    o->compare = cmp;
    o->ncompare = 4;
    o->max_block = 100;
}

static int warnings;
static char last_warning[512];
static void count_warnings(void *user, rk_log_level level, const char *message)
{
    (void)user;
    if (level == RK_LOG_WARN) {
        warnings++;
        snprintf(last_warning, sizeof(last_warning), "%s", message);
    }
}

static int pair_cmp(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return (p > q) - (p < q);
}

static void each_pair_is_compared_once(void **state)
{
    (void)state;
    rk_link_data d;
    make_data(&d, 1500, 3);
    rk_link_options o;
    set_options(&o);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    ctx.log = count_warnings;
    warnings = 0;
    rk_link_result *r = NULL;
    assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_OK);
    assert_true(r->npairs > 1000);
    uint64_t *keys = malloc(r->npairs * sizeof(uint64_t));
    for (size_t i = 0; i < r->npairs; i++) {
        assert_true(r->a[i] < r->b[i]);
        keys[i] = (uint64_t)r->a[i] << 32 | r->b[i];
    }
    qsort(keys, r->npairs, sizeof(uint64_t), pair_cmp);
    for (size_t i = 1; i < r->npairs; i++)
        assert_true(keys[i] != keys[i - 1]);
    free(keys);
    /* The "mammadov" block holds ~400 records: all split by place, none skipped. */
    assert_true(r->rules[2].split > 0);
    assert_int_equal(r->rules[2].skipped, 0);
    assert_int_equal(warnings, 0);
    uint64_t sum = 0;
    for (size_t q = 0; q < 3; q++)
        sum += r->rules[q].pairs;
    assert_int_equal(sum, r->npairs);
    rk_link_eval ev;
    assert_int_equal(rk_link_evaluate(&ev, &ctx, r->cluster, d.entity, d.nrecords), RK_OK);
    assert_true(ev.f1 > 0.9);
    rk_link_result_free(r);
    /* Without a split key the oversized blocks are skipped and named. */
    rules[2].has_split = false;
    assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_OK);
    assert_true(r->rules[2].skipped > 0);
    assert_true(warnings > 0);
    assert_non_null(strstr(last_warning, "of rule 'family'"));
    rk_link_result_free(r);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

/* A rule whose blocks hold more than its max_pairs pairs a record is left out, named in a
 * warning; under the bound it runs as before. */
static void a_rule_past_its_pairs_a_record_is_left_out(void **state)
{
    (void)state;
    rk_link_data d;
    make_data(&d, 1500, 3);
    rk_link_options o;
    set_options(&o);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    ctx.log = count_warnings;
    rk_link_result *all = NULL, *r = NULL;
    assert_int_equal(rk_link_run(&all, &ctx, &d, &o), RK_OK);
    assert_true(all->rules[2].pairs > 0);
    assert_int_equal(all->rules[2].left_out, 0);
    /* The bound above what the rule holds: the same run. */
    rules[2].max_pairs = 1e6;
    assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_OK);
    assert_int_equal(r->npairs, all->npairs);
    assert_int_equal(r->rules[2].pairs, all->rules[2].pairs);
    assert_int_equal(r->rules[2].left_out, 0);
    rk_link_result_free(r);
    /* Below it: no block of the rule, its pairs left to the others, a warning that names it. */
    rules[2].max_pairs = 0.5;
    warnings = 0;
    assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_OK);
    assert_true(r->rules[2].left_out > 0);
    assert_int_equal(r->rules[2].blocks, 0);
    assert_int_equal(r->rules[2].pairs, 0);
    assert_int_equal(r->rules[0].pairs, all->rules[0].pairs);
    assert_true(r->ncompared < all->ncompared);
    assert_true(warnings > 0);
    assert_non_null(strstr(last_warning, "rule 'family' left out"));
    rules[2].max_pairs = 0;
    rk_link_result_free(r);
    rk_link_result_free(all);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

/* The same run on one thread and on `threads`, of `people` people's records, holding every
 * pair or `streamed`. */
static void same_on_threads(size_t people, int threads, bool streamed)
{
    rk_link_data d;
    make_data(&d, people, 11);
    rk_link_options o;
    set_options(&o);
    if (streamed)
        o.pairs_in_memory = 0;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_result *r1 = NULL, *r4 = NULL;
    o.threads = 1;
    assert_int_equal(rk_link_run(&r1, &ctx, &d, &o), RK_OK);
    o.threads = threads;
    assert_int_equal(rk_link_run(&r4, &ctx, &d, &o), RK_OK);
    assert_int_equal(r1->streamed, streamed);
    assert_int_equal(r1->npairs, r4->npairs);
    assert_memory_equal(r1->a, r4->a, r1->npairs * sizeof(uint32_t));
    assert_memory_equal(r1->b, r4->b, r1->npairs * sizeof(uint32_t));
    assert_memory_equal(r1->pattern, r4->pattern, r1->npairs * sizeof(uint64_t));
    assert_memory_equal(r1->prob, r4->prob, r1->npairs * sizeof(float));
    assert_memory_equal(r1->cluster, r4->cluster, d.nrecords * sizeof(uint32_t));
    assert_memory_equal(&r1->model, &r4->model, sizeof(rk_link_model));
    rk_link_result_free(r1);
    rk_link_result_free(r4);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

static void results_do_not_depend_on_threads(void **state)
{
    (void)state;
    same_on_threads(3000, 4, false);
    /* Past 65,536 records a rule's records are keyed and its keys sorted in chunks, one per
     * thread (three: chunks of uneven size), joined in order. */
    same_on_threads(40000, 3, false);
    /* Streamed, the pairs within and between persons are compared in chunks the threads take
     * in turn, joined in order. */
    same_on_threads(3000, 3, true);
}

/* The memo of levels by key sets gives every pair the pattern and tf weight it gets compared
 * in full, whichever pair of two key sets comes first. */
static void the_level_memo_changes_nothing(void **state)
{
    (void)state;
    rk_link_data d;
    make_data(&d, 400, 5);
    rk_link_options o;
    set_options(&o);
    cmp[1].levels[cmp[1].nlevels++] = (rk_link_level){.cmp = RK_CMP_JW, .threshold = 0.9};
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    float *tf[RK_LINK_MAX_FIELDS + 1] = {0};
    assert_int_equal(link_tf_tables(&ctx, tf, &d, &o), RK_OK);
    rk_link_model m = {0};
    for (size_t c = 0; c < 4; c++)
        m.u_sample[c][0] = 0.01;
    link_keysets sets;
    assert_int_equal(link_keysets_build(&ctx, &sets, &d, &o, false), RK_OK);
    assert_non_null(sets.id[F_GIVEN]);
    assert_non_null(sets.id[F_FAMILY]);
    assert_null(sets.id[F_BIRTH]); /* dates are not remembered */
    assert_null(sets.id[F_PLACE]); /* nor exact levels alone: comparing them costs less */
    static link_level_memo_slot slot[1 << LINK_LEVEL_MEMO_BITS]; /* zeroed: empty */
    link_level_memo memo = {&sets, slot};
    size_t shared = 0;
    for (uint32_t a = 0; a < d.nrecords; a++)
        for (uint32_t b = a + 1; b < d.nrecords; b++) {
            double t0 = 0, t1 = 0;
            const float *const *t = (const float *const *)tf;
            uint64_t p0 = link_compare(&d, &o, a, b, t, &m, &t0, NULL);
            uint64_t p1 = link_compare(&d, &o, a, b, t, &m, &t1, &memo);
            assert_true(p0 == p1);
            assert_true(t0 == t1);
            shared += sets.id[F_FAMILY][a] == sets.id[F_FAMILY][b];
        }
    assert_true(shared > 1000); /* key sets repeat: the memo is used */
    link_keysets_free(&sets);
    for (size_t c = 0; c <= RK_LINK_MAX_FIELDS; c++)
        rk_free(tf[c]);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

static float prob_of(const rk_link_result *r, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < r->npairs; i++)
        if (r->a[i] == a && r->b[i] == b)
            return r->prob[i];
    return -1;
}

/* Streamed (pairs_in_memory 0: a pilot's model chooses the pairs to keep), a run makes the same
 * persons and review queue as with every pair in memory, keeps every pair scored at or above
 * keep_floor with its probability (within 1e-5: pairs left out count in the last M step by
 * their odds), and counts the same compared pairs; with reviewers' decisions among them. */
static void streamed_pairs_make_the_same_persons(void **state)
{
    (void)state;
    rk_link_data d;
    make_data(&d, 3000, 11);
    rk_link_options o;
    set_options(&o);
    rk_link_label labels[41];
    size_t nl = 0;
    for (uint32_t i = 0; i + 1 < d.nrecords && nl < 40; i += 37)
        labels[nl++] = (rk_link_label){i, i + 1, d.entity[i] == d.entity[i + 1]};
    labels[nl++] = (rk_link_label){5, 900, true}; /* a reviewer's link no block makes */
    o.labels = labels, o.nlabels = nl;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_result *all = NULL, *st = NULL;
    assert_int_equal(rk_link_run(&all, &ctx, &d, &o), RK_OK);
    o.pairs_in_memory = 0;
    assert_int_equal(rk_link_run(&st, &ctx, &d, &o), RK_OK);
    assert_false(all->streamed);
    assert_true(st->streamed);
    assert_int_equal(st->passes, 1); /* the pilot's models kept every pair the run needs */
    assert_int_equal(all->ncompared, st->ncompared);
    assert_int_equal(all->ncompared, all->npairs);
    assert_true(st->npairs < all->npairs); /* most records here are on two lists or more */
    assert_int_equal(all->nclusters, st->nclusters);
    assert_memory_equal(all->cluster, st->cluster, d.nrecords * sizeof(uint32_t));
    assert_int_equal(all->nreview, st->nreview);
    size_t kept = 0;
    for (size_t i = 0; i < all->npairs; i++) {
        if (all->prob[i] < o.keep_floor)
            continue;
        float p = prob_of(st, all->a[i], all->b[i]);
        assert_true(p >= 0);
        assert_true(fabsf(p - all->prob[i]) < 1e-5f);
        kept++;
    }
    assert_true(kept > 1000);
    rk_link_result_free(all);
    rk_link_result_free(st);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

/* The lists of make_data name a person at most once each: the prior of a pair within a list
 * comes out far below that of a pair across lists, and scores it lower. */
static void pairs_within_a_list_have_their_own_prior(void **state)
{
    (void)state;
    rk_link_data d;
    make_data(&d, 2000, 5);
    rk_link_options o;
    set_options(&o);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_result *r = NULL;
    assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_OK);
    assert_true(r->model.lambda_across > 0);
    assert_true(r->model.lambda_within > 0);
    assert_true(r->model.lambda_within < r->model.lambda_across / 10);
    assert_true(rk_link_probability_of(&r->model, 20, true) <
                rk_link_probability_of(&r->model, 20, false));
    rk_link_result_free(r);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

static void bad_options_are_errors(void **state)
{
    (void)state;
    rk_link_data d;
    make_data(&d, 10, 1);
    rk_link_options o;
    set_options(&o);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_result *r = NULL;
    o.nrules = 0;
    assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_EINPUT);
    assert_null(r);
    set_options(&o);
    cmp[2].levels[0].cmp = RK_CMP_JW; /* a string level on a date field */
    assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "'birth'"));
    set_options(&o);
    cmp[0].levels[0].cmp = RK_CMP_COUNT; /* no kind of level */
    assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "does not fit a string field"));
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

/* A block part with one_off puts keys one letter apart (changed, dropped, added, two
 * swapped) in one block, and keeps keys two letters apart out of it. */
static void names_one_letter_off_share_a_block(void **state)
{
    (void)state;
    static const char *const family[] = {"karapetyan",  "karapetzan", "karapetan",
                                         "karapetyann", "karapteyan", "karbpetzan"};
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_data d;
    rk_link_data_init(&d);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, &d, "given", RK_LINK_STRING), RK_OK);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, &d, "family", RK_LINK_STRING), RK_OK);
    for (uint32_t i = 0; i < 6; i++) {
        assert_int_equal(rk_link_data_add_record(&ctx, &d, i, (int64_t)i), RK_OK);
        rk_link_data_add_key(&ctx, &d, 0, 0, "anna", 4);
        rk_link_data_add_key(&ctx, &d, 1, 0, family[i], strlen(family[i]));
    }
    rk_link_compare c[1] = {{.field = 1, .nlevels = 1}};
    c[0].levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT};
    rk_link_rule rule = {.name = "given + family one off",
                         .nparts = 2,
                         .parts = {{.field = 0}, {.field = 1, .one_off = true}}};
    rk_link_options o = RK_LINK_OPTIONS_INIT;
    o.rules = &rule;
    o.nrules = 1;
    o.compare = c;
    o.ncompare = 1;
    rk_link_result *r = NULL;
    assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_OK);
    bool seen[6][6] = {{false}};
    for (size_t i = 0; i < r->npairs; i++)
        seen[r->a[i]][r->b[i]] = true;
    for (uint32_t j = 1; j < 5; j++)
        assert_true(seen[0][j]);
    assert_false(seen[0][5]); /* two letters changed */
    assert_true(seen[1][5]);  /* one letter from the other */
    assert_false(seen[2][3]); /* two letters apart: the short one's keys miss */
    rk_link_result_free(r);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

/* n people of few names (each given, family and father's name drawn from `pool` names), born
 * within `years` years, each on 1 to 3 lists, the birth date given in full or as the year
 * alone; entity = person. Fields: given, family, patronymic, birth. */
static void make_namesakes(rk_link_data *d, size_t people, size_t pool, int years, uint64_t seed)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_data_init(d);
    static const char *const fields[] = {"given", "family", "patronymic"};
    for (size_t f = 0; f < 3; f++)
        assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, fields[f], RK_LINK_STRING), RK_OK);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "birth", RK_LINK_DATE), RK_OK);
    rk_rng r;
    rk_rng_seed(&r, seed);
    for (size_t p = 0; p < people; p++) {
        char nm[3][16];
        for (size_t f = 0; f < 3; f++)
            snprintf(nm[f], sizeof(nm[f]), "%c%zu", "gfp"[f], (size_t)rk_rng_below(&r, pool));
        int year = 1940 + (int)rk_rng_below(&r, (uint64_t)years),
            month = 1 + (int)rk_rng_below(&r, 12), day = 1 + (int)rk_rng_below(&r, 28);
        for (uint32_t list = 0; list < 3; list++) {
            if (rk_rng_uniform(&r) < 0.45)
                continue;
            assert_int_equal(rk_link_data_add_record(&ctx, d, list, (int64_t)p), RK_OK);
            for (size_t f = 0; f < 3; f++)
                rk_link_data_add_key(&ctx, d, f, 0, nm[f], strlen(nm[f]));
            rk_link_date dt = rk_rng_uniform(&r) < 0.5 ? rk_link_date_ymd(year, 0, 0)
                                                       : rk_link_date_ymd(year, month, day);
            rk_link_data_set_date(&ctx, d, 3, dt);
        }
    }
    rk_ctx_release(&ctx);
}

/* Namesakes in large blocks (docs/linkage.md): 10,000 people whose given, family and father's
 * names each come from 30, born within 20 years, half the records giving the birth year alone.
 * The rules block on two names or a name and the year, so most compared pairs are namesakes
 * who agree on the names; EM's match class shrinks to the pairs that agree on the full birth
 * date (its m of a birth in the same year near 0), and its prior, scaled to all pairs, left
 * the pairs that agree on every name and the year unlinked: F1 0.41, no sense check refusing
 * it (the scores linked 2,347 pairs, EM's class 2,228). The scores fitted to themselves link
 * them, held or streamed. */
static void namesakes_in_large_blocks_are_linked(void **state)
{
    (void)state;
    static rk_link_compare c[4];
    for (size_t f = 0; f < 3; f++) {
        c[f] = (rk_link_compare){.field = f, .nlevels = 1, .tf_adjust = f < 2};
        c[f].levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT};
    }
    c[3] = (rk_link_compare){.field = 3, .nlevels = 2};
    c[3].levels[0] = (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 0};
    c[3].levels[1] = (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 400};
    static rk_link_rule ru[5];
    ru[0] = (rk_link_rule){.name = "family+year", .nparts = 2, .parts = {{1, 0, 0}, {3, 0, 1}}};
    ru[1] = (rk_link_rule){.name = "given+year", .nparts = 2, .parts = {{0, 0, 0}, {3, 0, 1}}};
    ru[2] = (rk_link_rule){.name = "given+family", .nparts = 2, .parts = {{0, 0, 0}, {1, 0, 0}}};
    ru[3] = (rk_link_rule){.name = "given+father", .nparts = 2, .parts = {{0, 0, 0}, {2, 0, 0}}};
    ru[4] = (rk_link_rule){.name = "family+father", .nparts = 2, .parts = {{1, 0, 0}, {2, 0, 0}}};
    rk_link_data d;
    make_namesakes(&d, 10000, 30, 20, 1);
    rk_link_options o = RK_LINK_OPTIONS_INIT;
    o.rules = ru, o.nrules = 5, o.compare = c, o.ncompare = 4;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    ctx.log = count_warnings;
    for (int streamed = 0; streamed < 2; streamed++) {
        o.pairs_in_memory = streamed ? 0 : 30000000;
        warnings = 0;
        rk_link_result *r = NULL;
        assert_int_equal(rk_link_run(&r, &ctx, &d, &o), RK_OK);
        assert_int_equal(r->streamed, streamed);
        assert_true(r->model.m_blocked[3][1] < 0.01); /* EM's class: the full dates */
        rk_link_eval ev;
        assert_int_equal(rk_link_evaluate(&ev, &ctx, r->cluster, d.entity, d.nrecords), RK_OK);
        assert_true(ev.f1 > 0.98);
        assert_true(warnings > 0); /* the run says that it took the scores' fit */
        assert_non_null(strstr(last_warning, "shrunk to a corner"));
        rk_link_result_free(r);
    }
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_pair_is_compared_once),
        cmocka_unit_test(a_rule_past_its_pairs_a_record_is_left_out),
        cmocka_unit_test(results_do_not_depend_on_threads),
        cmocka_unit_test(streamed_pairs_make_the_same_persons),
        cmocka_unit_test(the_level_memo_changes_nothing),
        cmocka_unit_test(pairs_within_a_list_have_their_own_prior),
        cmocka_unit_test(bad_options_are_errors),
        cmocka_unit_test(names_one_letter_off_share_a_block),
        cmocka_unit_test(namesakes_in_large_blocks_are_linked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
