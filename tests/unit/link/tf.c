/* Unit tests of the term-frequency adjustment (src/link/compare.c): the share of each name,
 * the share of a record's given and family names together (counting the holders beyond one
 * per list, who are other people), and the adjustment link_compare gives a pair agreeing on
 * both names: the joint one when the names go together, the separate ones otherwise, and
 * never a joint one stronger than the separate ones. */
#include "test.h"

#include "link/link_private.h"

#include <math.h>

enum { F_GIVEN, F_FAMILY };

static void add(rk_link_data *d, uint32_t list, const char *given, const char *family)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(rk_link_data_add_record(&ctx, d, list, (int64_t)d->nrecords), RK_OK);
    assert_int_equal(rk_link_data_add_key(&ctx, d, F_GIVEN, 0, given, strlen(given)), RK_OK);
    assert_int_equal(rk_link_data_add_key(&ctx, d, F_FAMILY, 0, family, strlen(family)), RK_OK);
    rk_ctx_release(&ctx);
}

static void start(rk_link_data *d)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_data_init(d);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "given", RK_LINK_STRING), RK_OK);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "family", RK_LINK_STRING), RK_OK);
    rk_ctx_release(&ctx);
}

static rk_link_compare cmp[2];

/* Both names compared exactly, both adjusted; a model whose u of agreeing is u0 for both. */
static void set_up(rk_link_options *o, rk_link_model *m, double u0)
{
    for (size_t c = 0; c < 2; c++) {
        cmp[c] = (rk_link_compare){.field = c, .nlevels = 1, .tf_adjust = true};
        cmp[c].levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT};
    }
    *o = (rk_link_options)RK_LINK_OPTIONS_INIT;
    o->compare = cmp;
    o->ncompare = 2;
    memset(m, 0, sizeof(*m));
    m->ncompare = 2;
    for (size_t c = 0; c < 2; c++) {
        m->nlevels[c] = 2;
        m->u_sample[c][0] = u0;
        m->u_sample[c][1] = 1 - u0;
    }
}

static void free_tables(float *tf[RK_LINK_MAX_FIELDS + 1])
{
    for (size_t c = 0; c <= RK_LINK_MAX_FIELDS; c++)
        rk_free(tf[c]);
}

/* 60 records: "ali aliyev" ten times on each of 3 lists (names that go together), and 30
 * records of names held once; then a rare pair, "zaur zeynalov", once on lists 0 and 1. */
static void names_that_go_together_are_adjusted_jointly(void **state)
{
    (void)state;
    rk_link_data d;
    start(&d);
    for (uint32_t list = 0; list < 3; list++)
        for (int i = 0; i < 10; i++)
            add(&d, list, "ali", "aliyev");
    for (int i = 0; i < 30; i++) {
        char g[16], f[16];
        snprintf(g, sizeof(g), "g%02d", i);
        snprintf(f, sizeof(f), "f%02d", i);
        add(&d, (uint32_t)(i % 3), g, f);
    }
    uint32_t rare_a = (uint32_t)d.nrecords;
    add(&d, 0, "zaur", "zeynalov");
    add(&d, 1, "zaur", "zeynalov");
    double n = (double)d.nrecords; /* 62 */
    rk_link_options o;
    rk_link_model m;
    set_up(&o, &m, 0.02);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    float *tf[RK_LINK_MAX_FIELDS + 1] = {0};
    assert_int_equal(link_tf_tables(&ctx, tf, &d, &o), RK_OK);
    assert_non_null(tf[0]);
    assert_non_null(tf[1]);
    assert_non_null(tf[LINK_TF_JOINT]);
    /* a name's share: its holders among the records holding that field (floats: 1e-6) */
    assert_true(fabs(tf[0][d.fields[F_GIVEN].key_start[0]] - 30 / n) < 1e-6);
    assert_true(fabs(tf[1][d.fields[F_FAMILY].key_start[rare_a]] - 2 / n) < 1e-6);
    /* both names: 30 holders on 3 lists, so 27 are other people; the rare pair has none */
    assert_true(fabs(tf[LINK_TF_JOINT][0] - 27 / n) < 1e-6);
    assert_true(tf[LINK_TF_JOINT][rare_a] == 0);

    const float *const *t = (const float *const *)tf;
    double adj = 0;
    uint64_t pattern = link_compare(&d, &o, 0, 10, t, &m, &adj, NULL);
    assert_int_equal(pattern, 0); /* both agree at level 0 */
    /* separately 2 log2(0.02 / (30/62)); together log2(0.02^2 / (27/62)), which is weaker */
    double separate = 2 * log2(0.02 / (30 / n)), together = log2(0.02 * 0.02 / (27 / n));
    assert_true(together < separate);
    assert_true(fabs(adj - together) < 1e-5);
    /* no other holder of the rare pair is known: each name's own share decides */
    pattern = link_compare(&d, &o, rare_a, rare_a + 1, t, &m, &adj, NULL);
    assert_int_equal(pattern, 0);
    assert_true(fabs(adj - 2 * log2(0.02 / (2 / n))) < 1e-5);
    /* names that disagree get no adjustment */
    link_compare(&d, &o, 0, 30, t, &m, &adj, NULL);
    assert_true(adj == 0);
    free_tables(tf);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

/* Two common names that are rarely held together: the joint share (1 other holder of 100)
 * is below the product of the names' shares (1/2 x 1/2), so the joint adjustment would be the
 * stronger one; the separate adjustments are kept. */
static void the_joint_adjustment_is_never_the_stronger(void **state)
{
    (void)state;
    rk_link_data d;
    start(&d);
    add(&d, 0, "omar", "khan");
    add(&d, 1, "omar", "khan");
    add(&d, 2, "omar", "khan");
    add(&d, 0, "omar", "khan");
    for (int i = 0; i < 48; i++) {
        char x[16];
        snprintf(x, sizeof(x), "x%02d", i);
        add(&d, (uint32_t)(i % 3), "omar", x);
        add(&d, (uint32_t)(i % 3), x, "khan");
    }
    double n = (double)d.nrecords; /* 100: omar and khan each held by 52 */
    rk_link_options o;
    rk_link_model m;
    set_up(&o, &m, 0.05);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    float *tf[RK_LINK_MAX_FIELDS + 1] = {0};
    assert_int_equal(link_tf_tables(&ctx, tf, &d, &o), RK_OK);
    assert_true(fabs(tf[LINK_TF_JOINT][0] - 1 / n) < 1e-6);
    double adj = 0;
    assert_int_equal(link_compare(&d, &o, 0, 1, (const float *const *)tf, &m, &adj, NULL), 0);
    assert_true(fabs(adj - 2 * log2(0.05 / (52 / n))) < 1e-5);
    free_tables(tf);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_that_go_together_are_adjusted_jointly),
        cmocka_unit_test(the_joint_adjustment_is_never_the_stronger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
