/* Unit tests of the default date levels (src/link/project_setup.c) through link_compare: a
 * partial date that agrees at its precision (a month against a day in it, a year against a
 * month) takes a level before every near miss of two days, so the weight the model keeps
 * non-increasing along the levels (link_order_levels, src/link/model.c) leaves it evidence
 * for a match. */
#include "test.h"

#include "link/link_private.h"
#include "link/project_private.h"

#include <math.h>

/* The records' fields, as a project run declares them: the set-up's fields in its order. */
static void start(rk_link_data *d, const link_setup *s)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_data_init(d);
    for (size_t f = 0; f < s->nfields; f++)
        assert_int_equal(
            rk_link_data_add_field(NULL, &ctx, d, s->fields[f].name, s->fields[f].type), RK_OK);
    rk_ctx_release(&ctx);
}

/* A record with only its date of `field` set. */
static void add(rk_link_data *d, const link_setup *s, const char *field, rk_link_date date)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(rk_link_data_add_record(&ctx, d, (uint32_t)d->nrecords, -1), RK_OK);
    int f = link_setup_field_index(s, field);
    assert_true(f >= 0);
    assert_int_equal(rk_link_data_set_date(&ctx, d, (size_t)f, date), RK_OK);
    rk_ctx_release(&ctx);
}

static size_t compare_index(const link_setup *s, const char *field)
{
    int f = link_setup_field_index(s, field);
    assert_true(f >= 0);
    for (size_t c = 0; c < s->ncompare; c++)
        if (s->compare[c].field == (size_t)f)
            return c;
    fail_msg("field '%s' is not compared", field);
    return 0;
}

/* The label of the level records a and b take on `field` ("else" past the last level). */
static const char *level_of(const rk_link_data *d, const link_setup *s, const char *field,
                            uint32_t a, uint32_t b)
{
    rk_link_options o = s->opts;
    o.compare = s->compare;
    o.ncompare = s->ncompare;
    size_t c = compare_index(s, field);
    int l = pattern_level(link_compare(d, &o, a, b, NULL, NULL, NULL, NULL), c);
    if (l == RK_LINK_MISSING)
        return "missing";
    return (size_t)l < s->compare[c].nlevels ? s->compare[c].levels[l].label : "else";
}

static void death_levels_put_partial_dates_before_near_misses(void **state)
{
    (void)state;
    link_setup s;
    link_setup_defaults(&s);
    rk_link_data d;
    start(&d, &s);
    add(&d, &s, "death", rk_link_date_ymd(1999, 5, 28)); /* 0 */
    add(&d, &s, "death", rk_link_date_ymd(1999, 5, 0));  /* 1: May 1999 */
    add(&d, &s, "death", rk_link_date_ymd(1999, 0, 0));  /* 2: 1999 */
    add(&d, &s, "death", rk_link_date_ymd(1999, 5, 25)); /* 3: three days before 0 */
    add(&d, &s, "death", rk_link_date_ymd(1999, 6, 0));  /* 4: June 1999 */
    add(&d, &s, "death", rk_link_date_ymd(1999, 5, 28)); /* 5 */
    assert_string_equal(level_of(&d, &s, "death", 0, 5), "same day");
    assert_string_equal(level_of(&d, &s, "death", 0, 1), "same month");
    assert_string_equal(level_of(&d, &s, "death", 1, 2), "same year");
    assert_string_equal(level_of(&d, &s, "death", 0, 2), "same year");
    assert_string_equal(level_of(&d, &s, "death", 0, 3), "within a week");
    assert_string_equal(level_of(&d, &s, "death", 0, 4), "else");
    rk_link_data_release(&d);
}

/* In every default date field, each level that asks the dates to overlap (agree at their
 * precision) comes before each level that allows a gap. */
static void overlapping_levels_come_first(void **state)
{
    (void)state;
    link_setup s;
    link_setup_defaults(&s);
    const char *fields[] = {"birth", "death"};
    for (size_t k = 0; k < 2; k++) {
        const rk_link_compare *c = &s.compare[compare_index(&s, fields[k])];
        bool gap_seen = false;
        for (size_t l = 0; l < c->nlevels; l++) {
            assert_int_equal(c->levels[l].cmp, RK_CMP_DATE);
            if (c->levels[l].threshold > 0)
                gap_seen = true;
            else if (gap_seen)
                fail_msg("%s: level '%s' (overlap) after a level with a gap", fields[k],
                         c->levels[l].label);
        }
        assert_true(gap_seen);
    }
}

/* With the weights a Kosovo list fitted (a month against a day in it is 20 times likelier
 * among matches than among random pairs; two days within a week less likely), keeping the
 * levels in order leaves the month its weight for a match. */
static void a_compatible_month_keeps_its_weight(void **state)
{
    (void)state;
    link_setup s;
    link_setup_defaults(&s);
    const rk_link_compare *c = &s.compare[compare_index(&s, "death")];
    assert_int_equal(c->nlevels, 4);
    double m[5], u[5];
    for (size_t l = 0; l < c->nlevels; l++) {
        const char *lab = c->levels[l].label;
        m[l] = strcmp(lab, "same day") == 0     ? 0.90
               : strcmp(lab, "same month") == 0 ? 0.08
               : strcmp(lab, "same year") == 0  ? 0.01
                                                : 0.001;
        u[l] = strcmp(lab, "same day") == 0     ? 0.0015
               : strcmp(lab, "same month") == 0 ? 0.004
               : strcmp(lab, "same year") == 0  ? 0.002
                                                : 0.0176;
    }
    m[4] = 0.009;
    u[4] = 1 - (0.0015 + 0.004 + 0.002 + 0.0176);
    link_order_levels(m, u, 5);
    for (size_t l = 0; l < c->nlevels; l++)
        if (strcmp(c->levels[l].label, "same month") == 0)
            assert_true(log2(m[l] / u[l]) > 3);
        else if (strcmp(c->levels[l].label, "within a week") == 0)
            assert_true(log2(m[l] / u[l]) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(death_levels_put_partial_dates_before_near_misses),
        cmocka_unit_test(overlapping_levels_come_first),
        cmocka_unit_test(a_compatible_month_keeps_its_weight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
