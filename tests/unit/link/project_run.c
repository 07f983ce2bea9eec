/* Reading back a stored link run (rk_link_run_info_read): the settings, the prior and EM
 * figures and every level of the saved model; a run that does not exist; a model that is not
 * JSON; and no leak or half-filled result when an allocation fails. */
#include "test_project.h"

#include <math.h>

typedef rk_test_project fx;

/* Run 1 has a model of two fields (two levels and one level); run 2's model is not JSON. */
static int setup(void **state)
{
    fx *f = rk_test_project_new();
    rk_test_exec(
        f->st,
        "INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold,"
        " review_low, review_high, stats) VALUES (1, 't', '0', '{\"c\":1}', '{\"lambda\":0.25,"
        " \"iterations\":12, \"converged\":true, \"patterns\":5, \"lambda_within\":0.01,"
        " \"lambda_across\":0.5, \"fields\":[{\"name\":\"given\", \"levels\":[{\"label\":"
        " \"same\", \"m\":0.9, \"u\":0.1, \"weight\":3.17}, {\"label\":\"else\", \"m\":0.1,"
        " \"u\":0.9, \"weight\":-3.17}]}, {\"name\":\"sex\", \"levels\":[{\"label\":\"same\","
        " \"m\":0.5, \"u\":0.5, \"weight\":0}]}]}', 42, 0.75, 0.2, 0.8, '{\"s\":2}'),"
        " (2, 't', '0', '{}', 'not json', 7, 0.5, 0.2, 0.8, '{}'),"
        " (4, 't', '0', '{}', '{\"lambda\":0.1, \"fields\":[{\"levels\":[{\"m\":0.8,"
        " \"u\":0.2}, {\"label\":\"else\", \"u\":0.5, \"weight\":-1}]}]}', 7, 0.5, 0.2,"
        " 0.8, '{}');");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

static void test_a_run_reads_back_its_settings_and_model(void **state)
{
    fx *f = *state;
    rk_link_run_info info;
    assert_int_equal(rk_link_run_info_read(&info, f->st, 1), RK_OK);
    assert_int_equal(info.run_id, 1);
    assert_int_equal(info.seed, 42);
    assert_true(info.threshold == 0.75);
    assert_string_equal(info.config_json, "{\"c\":1}");
    assert_string_equal(info.stats_json, "{\"s\":2}");
    assert_non_null(strstr(info.model_json, "\"lambda\":0.25"));
    assert_true(info.has_summary);
    assert_true(info.lambda == 0.25);
    assert_int_equal(info.iterations, 12);
    assert_true(info.converged);
    assert_int_equal(info.patterns, 5);
    assert_true(info.lambda_within == 0.01 && info.lambda_across == 0.5);
    assert_int_equal(info.nlevels, 3);
    assert_string_equal(info.levels[0].field, "given");
    assert_string_equal(info.levels[0].label, "same");
    assert_true(info.levels[0].m == 0.9 && info.levels[0].u == 0.1);
    assert_true(info.levels[1].weight == -3.17);
    assert_string_equal(info.levels[2].field, "sex");
    rk_link_run_info_release(&info);
    assert_null(info.levels);
    rk_link_run_info_release(&info); /* twice is harmless */
}

static void test_a_missing_run_is_not_found(void **state)
{
    fx *f = *state;
    rk_link_run_info info;
    assert_int_equal(rk_link_run_info_read(&info, f->st, 3), RK_ENOTFOUND);
    assert_string_equal(f->ctx.err.message, "no link run 3");
    assert_null(info.model_json);
}

static void test_a_model_that_is_not_json_has_no_summary_or_levels(void **state)
{
    fx *f = *state;
    rk_link_run_info info;
    assert_int_equal(rk_link_run_info_read(&info, f->st, 2), RK_OK);
    assert_string_equal(info.model_json, "not json");
    assert_false(info.has_summary);
    assert_int_equal(info.nlevels, 0);
    rk_link_run_info_release(&info);
}

static void
test_what_a_level_does_not_say_is_null_or_nan_and_its_weight_is_log2_m_over_u(void **state)
{
    fx *f = *state;
    rk_link_run_info info;
    assert_int_equal(rk_link_run_info_read(&info, f->st, 4), RK_OK);
    assert_int_equal(info.nlevels, 2);
    assert_null(info.levels[0].field);
    assert_null(info.levels[0].label);
    assert_true(fabs(info.levels[0].weight - 2.0) < 1e-12); /* log2(0.8 / 0.2) */
    assert_string_equal(info.levels[1].label, "else");
    assert_true(isnan(info.levels[1].m));
    assert_true(info.levels[1].u == 0.5 && info.levels[1].weight == -1);
    rk_link_run_info_release(&info);
}

static void test_a_failed_allocation_leaves_nothing_behind(void **state)
{
    fx *f = *state;
    for (long nth = 1;; nth++) {
        assert_true(nth < 100000);
        rk_link_run_info info;
        rk_fault_arm(RK_FAULT_ALLOC, nth);
        int rc = rk_link_run_info_read(&info, f->st, 1);
        bool done = rc == RK_OK; /* it succeeds once nth is past its last allocation */
        rk_fault_arm(RK_FAULT_ALLOC, 0);
        if (rc == RK_OK) {
            assert_int_equal(info.nlevels, 3);
            rk_link_run_info_release(&info);
        } else {
            assert_int_equal(rc, RK_ENOMEM);
            assert_null(info.model_json);
            assert_null(info.levels);
        }
        if (done)
            break;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_run_reads_back_its_settings_and_model, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_missing_run_is_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_model_that_is_not_json_has_no_summary_or_levels,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_what_a_level_does_not_say_is_null_or_nan_and_its_weight_is_log2_m_over_u, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_allocation_leaves_nothing_behind, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
