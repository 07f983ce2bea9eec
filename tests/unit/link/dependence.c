/* Unit tests of fields that go together (src/link/model.c, link_find_dependence and the weight
 * of a pattern): a field whose agreement follows another's among random non-matches is found
 * with its lift and counted once in the weight; independent fields are not; random pairs
 * that are matches (which agree on everything) do not make fields look dependent; fields
 * adjusted for their frequency are left alone. */
#include "test.h"

#include "link/link_private.h"

#include <math.h>

enum { F_POSTCODE, F_SUBURB, F_NAME, NF };

/* A pattern of three fields, each agreeing (level 0) or not (level 1). */
static uint64_t pat(bool postcode, bool suburb, bool name)
{
    return (uint64_t)!postcode << (4 * F_POSTCODE) | (uint64_t)!suburb << (4 * F_SUBURB) |
           (uint64_t)!name << (4 * F_NAME);
}

static rk_link_compare compares[NF];

static void model_of(rk_link_model *m, rk_link_options *o, double u_postcode, double u_suburb,
                     double u_name)
{
    memset(m, 0, sizeof(*m));
    memset(compares, 0, sizeof(compares));
    *o = (rk_link_options)RK_LINK_OPTIONS_INIT;
    o->compare = compares;
    o->ncompare = NF;
    m->ncompare = NF;
    const double u0[NF] = {u_postcode, u_suburb, u_name};
    for (size_t c = 0; c < NF; c++) {
        m->nlevels[c] = 2;
        m->m[c][0] = 0.95, m->m[c][1] = 0.05;
        m->u[c][0] = m->u_sample[c][0] = u0[c];
        m->u[c][1] = m->u_sample[c][1] = 1 - u0[c];
    }
    m->lambda = m->lambda_across = 1e-6; /* a prior of random pairs */
}

/* n random pairs of strangers: postcodes agree in 1 of 100, suburbs in 1 of 50 on their own
 * (independently of the postcode: both agree in 1 of 5,000), and when `tied` also whenever
 * the postcode does; names agree in 1 of 20 on their own. */
static link_u_sample strangers(size_t n, bool tied, size_t matches)
{
    link_u_sample s = {rk_malloc((n + matches) * sizeof(uint64_t)), rk_calloc(n + matches, 1),
                       n + matches};
    for (size_t k = 0; k < n; k++) {
        bool pc = k % 100 == 0;
        bool sub = (k / 100) % 50 == 7 || (tied && pc);
        s.pat[k] = pat(pc, sub, k % 20 == 3);
    }
    for (size_t k = n; k < n + matches; k++) /* matches: agree on everything */
        s.pat[k] = pat(true, true, true);
    return s;
}

static void a_field_tied_to_another_is_found_and_counted_once(void **state)
{
    (void)state;
    rk_link_model m;
    rk_link_options o;
    link_u_sample s = strangers(100000, true, 0);
    model_of(&m, &o, 0.01, 0.03, 0.05);
    assert_true(link_find_dependence(&m, &o, &s));
    /* Suburbs agree in 3 of 100 pairs, always when the postcode does (1 in 100): given an
     * agreeing postcode a suburb agrees 1 / 0.03 = 33 times as often as alone. */
    assert_int_equal(m.depends_on[F_SUBURB], F_POSTCODE + 1);
    assert_true(fabs(m.lift[F_SUBURB] - 33.3) < 1.0);
    assert_int_equal(m.depends_on[F_POSTCODE], 0);
    assert_int_equal(m.depends_on[F_NAME], 0);
    /* Agreeing on both, the suburb adds log2(m/u) - log2(lift); agreeing on it alone, all. */
    double both = rk_link_pattern_weight(&m, pat(true, true, false));
    double apart = log2(0.95 / 0.01) + log2(0.95 / 0.03) + log2(0.05 / 0.95);
    assert_true(fabs(both - (apart - log2(m.lift[F_SUBURB]))) < 1e-9);
    double alone = rk_link_pattern_weight(&m, pat(false, true, false));
    assert_true(fabs(alone - (log2(0.05 / 0.99) + log2(0.95 / 0.03) + log2(0.05 / 0.95))) < 1e-9);
    link_u_sample_free(&s);
}

static void independent_fields_are_left_apart(void **state)
{
    (void)state;
    rk_link_model m;
    rk_link_options o;
    link_u_sample s = strangers(100000, false, 0);
    model_of(&m, &o, 0.01, 0.02, 0.05);
    assert_false(link_find_dependence(&m, &o, &s));
    for (size_t c = 0; c < NF; c++)
        assert_int_equal(m.depends_on[c], 0);
    link_u_sample_free(&s);
}

/* Lists that overlap much: 200 of 20,000 random pairs are matches, agreeing on everything.
 * Counted as they are, they make the independent fields look tied (lift about 17); weighed by
 * their probability of a non-match they do not. */
static void random_pairs_that_match_do_not_tie_fields(void **state)
{
    (void)state;
    rk_link_model m;
    rk_link_options o;
    link_u_sample s = strangers(20000, false, 200);
    model_of(&m, &o, 0.02, 0.03, 0.06);
    m.lambda = m.lambda_across = 0.5; /* nothing weighed: every pair counts about alike */
    m.m[F_NAME][0] = m.u[F_NAME][0] = m.u_sample[F_NAME][0] = 0.5;
    m.m[F_NAME][1] = m.u[F_NAME][1] = m.u_sample[F_NAME][1] = 0.5;
    for (size_t c = 0; c < F_NAME; c++) {
        m.m[c][0] = m.u[c][0] = m.u_sample[c][0];
        m.m[c][1] = m.u[c][1] = m.u_sample[c][1];
    }
    assert_true(link_find_dependence(&m, &o, &s));
    assert_int_equal(m.depends_on[F_SUBURB], F_POSTCODE + 1);
    model_of(&m, &o, 0.02, 0.03, 0.06); /* a model that knows matches agree */
    m.lambda = m.lambda_across = 0.01;
    assert_false(link_find_dependence(&m, &o, &s));
    link_u_sample_free(&s);
}

static void names_adjusted_for_frequency_are_left_alone(void **state)
{
    (void)state;
    rk_link_model m;
    rk_link_options o;
    link_u_sample s = strangers(100000, true, 0);
    model_of(&m, &o, 0.01, 0.03, 0.05);
    compares[F_SUBURB].tf_adjust = true;
    assert_false(link_find_dependence(&m, &o, &s));
    link_u_sample_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_field_tied_to_another_is_found_and_counted_once),
        cmocka_unit_test(independent_fields_are_left_apart),
        cmocka_unit_test(random_pairs_that_match_do_not_tie_fields),
        cmocka_unit_test(names_adjusted_for_frequency_are_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
