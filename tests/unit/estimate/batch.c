/* Stored batches read back (src/estimate/batch.c), on a project built by SQL inserts: the latest
 * batch and the latest by given fields, the details of each row's result (lists, the sampler's
 * diagnostics, the replicates' single-linkage figure and widening), and the estimates at other
 * link thresholds. */
#include "test_project.h"
#include "estimate/estimate_internal.h"

#include <math.h>

typedef rk_test_project fx;

static int setup(void **state)
{
    fx *f = rk_test_project_new();
    rk_test_exec(
        f->st,
        "INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold,"
        " review_low, review_high, stats) VALUES (1, 't', '0', '{}', '{}', 1, 0.9, 0.5, 0.9,"
        " '{}'), (2, 't', '0', '{}', '{}', 1, 0.9, 0.5, 0.9, '{}');"
        "INSERT INTO estimate(id, batch, time, run_id, method, model, stratum, lists, config,"
        " observed, estimate, lower, upper, status, reason, capture, result) VALUES"
        /* batch 1: the whole, no --by */
        " (1, 1, 't', 1, 'lcmcr', 'K*=10', NULL, '[\"a\",\"b\",\"c\"]', '{\"by\":[]}', 90,"
        "  120, 100, 150, 'ok', NULL, '{}', '{\"rhat\":1.02,\"ess\":800}'),"
        /* batch 2: by violation, one stratum and the total with replicates and thresholds */
        " (2, 2, 't', 2, 'loglinear', '[12,3] (best bic)', '{\"violation\":\"killed\"}',"
        "  '[\"a\",\"b\",\"c\"]', '{\"by\":[\"violation\"]}', 60, 80, 70, 95, 'ok', NULL, '{}',"
        "  '{\"replicates\":{\"linkages\":20,\"imputations\":20,\"replicates\":20,\"rule\":"
        "\"pooled\",\"answered\":19,\"imputed\":7,\"single\":{\"estimate\":78,\"lower\":71,"
        "\"upper\":90},\"one\":{\"estimate\":77,\"lower\":72,\"upper\":88},\"widened\":"
        "{\"imputation\":3,\"linkage\":6}}}'),"
        " (3, 2, 't', 2, 'loglinear', 'sum of 1 strata by violation', NULL,"
        "  '[\"a\",\"b\",\"c\"]', '{\"by\":[\"violation\"]}', 60, 80, 70, 95, 'ok', NULL, '{}',"
        "  '{\"thresholds\":[{\"threshold\":0.3,\"observed\":55,\"estimate\":70,\"lower\":60,"
        "\"upper\":85,\"status\":\"ok\"},{\"threshold\":0.9,\"observed\":70,\"status\":"
        "\"refused\",\"reason\":\"too sparse\"}]}'),"
        /* batch 4: by region and sex, a dga row whose posterior reaches its bound */
        " (4, 4, 't', 2, 'dga', '[a,b][c]', '{\"region\":\"North\",\"sex\":\"F\"}',"
        "  '[\"a\",\"b\",\"c\"]', '{\"by\":[\"region\",\"sex\"]}', 30, 40, 31, 90, 'ok', NULL,"
        "  '{}', '{\"warning\":\"w\",\"sensitivity\":[{\"varies\":\"nmax\",\"baseline\":false,"
        "\"top_tenth_mass\":0.5},{\"varies\":\"nmax\",\"baseline\":true,\"top_tenth_mass\":0.02}]}'"
        "),"
        /* a row stored before batches: in none */
        " (5, NULL, 't', 2, 'chapman', NULL, NULL, '[\"a\",\"b\"]', '{}', 10, 12, 10, 15, 'ok',"
        "  NULL, '{}', 'not json');");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

static void test_latest_batch_and_latest_by_fields(void **state)
{
    fx *f = *state;
    rk_estimate__batch b;
    assert_int_equal(rk_estimate__latest_batch(&b, f->st, NULL), RK_OK);
    assert_int_equal(b.batch, 4);
    assert_int_equal(b.run_id, 2);
    assert_string_equal(b.by, "region, sex");
    assert_int_equal(rk_estimate__latest_batch(&b, f->st, "violation"), RK_OK);
    assert_int_equal(b.batch, 2);
    assert_string_equal(b.by, "violation");
    assert_int_equal(rk_estimate__latest_batch(&b, f->st, ""), RK_OK);
    assert_int_equal(b.batch, 1);
    assert_int_equal(rk_estimate__latest_batch(&b, f->st, "sex"), RK_OK);
    assert_int_equal(b.batch, 0);
}

static void test_details_read_replicates_and_diagnostics(void **state)
{
    fx *f = *state;
    rk_estimate__detail *d = NULL;
    size_t n = 0;
    assert_int_equal(rk_estimate__batch_details(&d, &n, f->st, 2), RK_OK);
    assert_int_equal(n, 2);
    /* the stratum first, as rk_estimate__batch_rows orders them */
    assert_int_equal(d[0].estimate_id, 2);
    assert_int_equal(d[0].nlists, 3);
    assert_string_equal(d[0].lists[2], "c");
    assert_true(d[0].replicated);
    assert_int_equal(d[0].linkages, 20);
    assert_int_equal(d[0].answered, 19);
    assert_int_equal(d[0].imputed, 7);
    assert_string_equal(d[0].rule, "pooled");
    assert_true(d[0].single.estimate == 78 && d[0].single.upper == 90);
    assert_true(d[0].one.lower == 72);
    assert_true(d[0].widened_imputation == 3 && d[0].widened_linkage == 6);
    assert_true(isnan(d[0].rhat));
    assert_false(d[1].replicated);
    assert_true(isnan(d[1].single.estimate));
    rk_estimate__details_free(d, n);

    assert_int_equal(rk_estimate__batch_details(&d, &n, f->st, 1), RK_OK);
    assert_int_equal(n, 1);
    assert_true(fabs(d[0].rhat - 1.02) < 1e-12 && d[0].ess == 800);
    assert_string_equal(d[0].warning, "");
    rk_estimate__details_free(d, n);

    assert_int_equal(rk_estimate__batch_details(&d, &n, f->st, 4), RK_OK);
    assert_true(fabs(d[0].top_tenth_mass - 0.02) < 1e-12); /* the main settings' row */
    assert_string_equal(d[0].warning, "w");
    rk_estimate__details_free(d, n);
}

static void test_thresholds_of_the_total(void **state)
{
    fx *f = *state;
    rk_estimate__threshold *t = NULL;
    size_t n = 0;
    assert_int_equal(rk_estimate__batch_thresholds(&t, &n, f->st, 2), RK_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].estimate_id, 3);
    assert_true(t[0].threshold == 0.3 && t[0].observed == 55 && t[0].figure.estimate == 70);
    assert_string_equal(t[0].status, "ok");
    assert_string_equal(t[1].status, "refused");
    assert_string_equal(t[1].reason, "too sparse");
    assert_true(isnan(t[1].figure.estimate));
    rk_free(t);
    assert_int_equal(rk_estimate__batch_thresholds(&t, &n, f->st, 1), RK_OK);
    assert_int_equal(n, 0);
    rk_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_latest_batch_and_latest_by_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_details_read_replicates_and_diagnostics, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_thresholds_of_the_total, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
