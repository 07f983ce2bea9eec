/* Models and methods in plain words (src/estimate/words.c and the method table): log-linear
 * patterns of dependence with the lists' names, heterogeneity, LCMCR's groups, dga's graph,
 * sums of strata, and what cannot be read left as it is; and a stored row's model. */
#include "test_project.h"
#include "estimate/estimate_internal.h"

static const char *const lists[] = {"ministry", "memorial", "ngo", "press"};

/* The words of one model over the four lists, compared with `want`. */
static void words(const char *method, const char *model, size_t nlists, const char *want)
{
    rk_buf b;
    rk_buf_init(&b);
    assert_int_equal(rk_estimate__model_words(&b, method, model, lists, nlists), RK_OK);
    assert_string_equal(rk_buf_cstr(&b), want);
    rk_buf_release(&b);
}

static void test_loglinear_names_the_lists_that_depend_on_each_other(void **state)
{
    (void)state;
    words("loglinear", "[12,13,4] (best bic)", 4,
          "the pattern that fits best by BIC: ministry and memorial depend on each other, and "
          "so do ministry and ngo; press is independent of the others");
    words("loglinear", "[12,13,14,23,24,34] (best aic)", 4,
          "the pattern that fits best by AIC: ministry and memorial depend on each other, and "
          "so do ministry and ngo, ministry and press, memorial and ngo, memorial and press, "
          "ngo and press");
    words("loglinear", "[123,4]", 4,
          "ministry, memorial and ngo depend on one another jointly; press is independent of "
          "the others");
    words("loglinear", "[23,1] (best bic)", 3,
          "the pattern that fits best by BIC: memorial and ngo depend on each other; ministry "
          "is independent of the others");
    words("loglinear", "[1,2,3]", 3,
          "each list has its own chance of naming a person, and the lists are independent of "
          "one another");
}

static void test_loglinear_classical_models_in_words(void **state)
{
    (void)state;
    words("loglinear", "Mt", 4,
          "each list has its own chance of naming a person, and the lists are independent of "
          "one another");
    words("loglinear", "M0", 4,
          "every list has the same chance of naming a person, and the lists are independent of "
          "one another");
    words("loglinear", "Mth Chao (LB) (best bic)", 4,
          "the pattern that fits best by BIC: each list has its own chance of naming a person, "
          "and the lists are independent of one another, but people differ in how visible they "
          "are (Chao's lower bound)");
}

static void test_other_methods_in_words(void **state)
{
    (void)state;
    words("lcmcr", "K*=10", 4,
          "up to 10 groups of people who differ in how visible they are "
          "to the lists");
    words("dga", "[ministry,press][memorial,ngo,press]", 4,
          "the way that fits best: ministry and press depend on each other, and so do "
          "memorial, ngo and press jointly");
    words("dga", "[ministry][memorial,ngo]", 3,
          "the way that fits best: memorial and ngo depend on each other; ministry is "
          "independent of the others");
    words("chapman", "", 2, "");
    words("lcmcr", "sum of 3 strata by region", 4,
          "the sum of 3 strata by region, each estimated on its own");
    /* What cannot be read is named as a model, never shown bare. */
    words("loglinear", "[19]", 4, "the model [19]");
    words("dga", "[ministry,unknown]", 4, "the model [ministry,unknown]");
    words("lcmcr", "K*=x", 4, "the model K*=x");
}

static void test_method_words_come_from_the_method_table(void **state)
{
    (void)state;
    const rk_estimate__words *w = rk_estimate__method_words("lcmcr");
    assert_non_null(w);
    assert_string_equal(w->title, "the latent-class model (LCMCR)");
    assert_non_null(strstr(w->assumes, "differ in how visible they are"));
    assert_non_null(rk_estimate__method_words("chapman"));
    assert_non_null(rk_estimate__method_words("dga"));
    assert_non_null(rk_estimate__method_words("loglinear"));
    assert_null(rk_estimate__method_words("none"));
    assert_null(rk_estimate__method_words(NULL));
}

static void test_a_stored_row_in_words(void **state)
{
    (void)state;
    rk_test_project *p = rk_test_project_new();
    rk_test_exec(p->st,
                 "INSERT INTO estimate(id, batch, time, method, model, lists, config, observed,"
                 " status, capture, result) VALUES (1, 1, 't', 'loglinear', '[12,3] (best bic)',"
                 " '[\"a\",\"b\",\"c\"]', '{}', 9, 'ok', '{}', '{}')");
    rk_buf b;
    rk_buf_init(&b);
    assert_int_equal(rk_estimate__stored_words(&b, p->st, 1, NULL), RK_OK);
    assert_string_equal(rk_buf_cstr(&b), "the pattern that fits best by BIC: a and b depend on "
                                         "each other; c is independent of the others");
    rk_buf_clear(&b);
    assert_int_equal(rk_estimate__stored_words(&b, p->st, 1, "[13,2]"), RK_OK);
    assert_string_equal(rk_buf_cstr(&b),
                        "a and c depend on each other; b is independent of the others");
    rk_buf_clear(&b);
    assert_int_equal(rk_estimate__stored_words(&b, p->st, 2, NULL), RK_OK); /* no such row */
    assert_string_equal(rk_buf_cstr(&b), "");
    rk_buf_release(&b);
    rk_test_project_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loglinear_names_the_lists_that_depend_on_each_other),
        cmocka_unit_test(test_loglinear_classical_models_in_words),
        cmocka_unit_test(test_other_methods_in_words),
        cmocka_unit_test(test_method_words_come_from_the_method_table),
        cmocka_unit_test(test_a_stored_row_in_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
