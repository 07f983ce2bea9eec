/* The SVG chart module: every chart has a title, a text alternative and axis labels, escapes
 * its text, and draws what it is given. */
#include "test.h"

#include "report/report_private.h"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static void test_bars_have_title_desc_and_escaped_labels(void **state)
{
    (void)state;
    rk_buf b;
    rk_buf_init(&b);
    const char *labels[] = {"<b>north</b>", "south"};
    double v[] = {3, 1275};
    report_chart c = {.title = "Persons & lists", .xlabel = "persons", .alt = "two bars"};
    assert_int_equal(report_chart_bars(&b, &c, labels, v, 2), RK_OK);
    const char *s = rk_buf_cstr(&b);
    assert_non_null(strstr(s, "role=\"img\""));
    assert_non_null(strstr(s, "<title id="));
    assert_non_null(strstr(s, ">Persons &amp; lists</title>"));
    assert_non_null(strstr(s, ">two bars</desc>"));
    assert_non_null(strstr(s, "&lt;b&gt;north&lt;/b&gt;"));
    assert_null(strstr(s, "<b>north"));
    assert_non_null(strstr(s, ">1,275</text>"));
    assert_non_null(strstr(s, ">persons</text>"));
    assert_int_equal(count(s, "<rect"), 2);
    rk_buf_release(&b);
}

static void test_histogram_draws_bins_and_marker(void **state)
{
    (void)state;
    rk_buf b;
    rk_buf_init(&b);
    double edges[] = {0, 1, 2, 3}, counts[] = {5, 0, 2};
    report_chart c = {.title = "h", .xlabel = "weight", .ylabel = "pairs", .alt = "a"};
    assert_int_equal(report_chart_histogram(&b, &c, edges, counts, 3, 1.5, "threshold"), RK_OK);
    const char *s = rk_buf_cstr(&b);
    assert_int_equal(count(s, "<rect"), 3);
    assert_non_null(strstr(s, "stroke-dasharray"));
    assert_non_null(strstr(s, ">threshold</text>"));
    assert_non_null(strstr(s, ">pairs</text>"));
    rk_buf_release(&b);
}

static void test_intervals_skip_missing_values(void **state)
{
    (void)state;
    rk_buf b;
    rk_buf_init(&b);
    const char *labels[] = {"all", "north"};
    double est[] = {100, NAN}, lo[] = {90, NAN}, hi[] = {120, NAN}, doc[] = {80, 10};
    report_marks m = {.mark = doc, .mark_label = "documented"};
    report_chart c = {.title = "f", .xlabel = "persons", .alt = "a"};
    assert_int_equal(report_chart_intervals(&b, &c, labels, est, lo, hi, 2, &m), RK_OK);
    const char *s = rk_buf_cstr(&b);
    assert_int_equal(count(s, "<circle"), 2); /* one estimate and the legend's */
    assert_int_equal(count(s, "height=\"9\""), 2);
    assert_null(strstr(s, "nan"));
    rk_buf_release(&b);
}

static void test_upset_marks_lists_of_each_pattern(void **state)
{
    (void)state;
    rk_buf b;
    rk_buf_init(&b);
    const char *lists[] = {"a", "b", "c"};
    uint64_t pat[] = {1, 3, 7};
    double n[] = {10, 5, 1};
    report_chart c = {.title = "u", .ylabel = "persons", .alt = "a"};
    assert_int_equal(report_chart_upset(&b, &c, lists, 3, pat, n, 3), RK_OK);
    const char *s = rk_buf_cstr(&b);
    assert_int_equal(count(s, "fill=\"#222\"/>"), 1 + 2 + 3);
    assert_int_equal(count(s, "fill=\"#d9d9d9\""), 2 + 1);
    rk_buf_release(&b);
}

static void test_numbers_have_thousands_separators(void **state)
{
    (void)state;
    char out[64];
    report_fmt_num(out, sizeof(out), 1275);
    assert_string_equal(out, "1,275");
    report_fmt_num(out, sizeof(out), 1234567.4);
    assert_string_equal(out, "1,234,567");
    report_fmt_num(out, sizeof(out), 0.25);
    assert_string_equal(out, "0.25");
    report_fmt_num(out, sizeof(out), NAN);
    assert_string_equal(out, "n/a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bars_have_title_desc_and_escaped_labels),
        cmocka_unit_test(test_histogram_draws_bins_and_marker),
        cmocka_unit_test(test_intervals_skip_missing_values),
        cmocka_unit_test(test_upset_marks_lists_of_each_pattern),
        cmocka_unit_test(test_numbers_have_thousands_separators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
