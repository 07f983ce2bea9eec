/* Unit tests of format-driven date parsing: formats, partial dates, impossible dates. */
#include "test.h"

static void check(const char *value, const char *format, const char *iso, rk_date_precision p)
{
    rk_date d;
    char why[256] = "";
    int rc = rk_date_parse(&d, value, format, why, sizeof(why));
    if (rc != RK_OK)
        fail_msg("'%s' (%s): %s", value, format ? format : "ISO", why);
    char out[16];
    rk_date_iso(out, &d);
    assert_string_equal(out, iso);
    assert_int_equal(d.precision, p);
}

static void refuse(const char *value, const char *format, const char *why_part)
{
    rk_date d;
    char why[256] = "";
    assert_int_equal(rk_date_parse(&d, value, format, why, sizeof(why)), RK_EINPUT);
    if (!strstr(why, why_part))
        fail_msg("'%s': message '%s' lacks '%s'", value, why, why_part);
}

static void parses_the_common_formats(void **state)
{
    (void)state;
    check("1992-11-03", NULL, "1992-11-03", RK_DATE_DAY);
    check("03.11.1992", "DD.MM.YYYY", "1992-11-03", RK_DATE_DAY);
    check("3.11.1992", "DD.MM.YYYY", "1992-11-03", RK_DATE_DAY);
    check("11/03/1992", "MM/DD/YYYY", "1992-11-03", RK_DATE_DAY);
    check("19921103", "YYYYMMDD", "1992-11-03", RK_DATE_DAY);
    check(" 1992-11-03 ", NULL, "1992-11-03", RK_DATE_DAY);
    check("29.02.1992", "DD.MM.YYYY", "1992-02-29", RK_DATE_DAY);
    check("29.02.2000", "DD.MM.YYYY", "2000-02-29", RK_DATE_DAY);
}

static void keeps_precision_of_partial_dates(void **state)
{
    (void)state;
    check("1992", "DD.MM.YYYY", "1992", RK_DATE_YEAR);
    check("11.1991", "DD.MM.YYYY", "1991-11", RK_DATE_MONTH);
    check("00.00.1965", "DD.MM.YYYY", "1965", RK_DATE_YEAR);
    check("00.05.1965", "DD.MM.YYYY", "1965-05", RK_DATE_MONTH);
    check("1992-11", NULL, "1992-11", RK_DATE_MONTH);
    check("199211", "YYYYMMDD", "1992-11", RK_DATE_MONTH);
    check("", "DD.MM.YYYY", "", RK_DATE_NONE);
}

static void refuses_dates_that_do_not_exist(void **state)
{
    (void)state;
    refuse("31.02.1992", "DD.MM.YYYY", "does not exist");
    refuse("29.02.1900", "DD.MM.YYYY", "does not exist");
    refuse("13/01/1990", "MM/DD/YYYY", "does not exist (month 13");
    refuse("1992-03-04", "DD.MM.YYYY", "does not fit");
    refuse("92", "DD.MM.YYYY", "does not fit");
    refuse("03.04.92", "DD.MM.YYYY", "does not fit");
    refuse("5.00.1990", "DD.MM.YYYY", "a day but no month");
    refuse("19921", "YYYYMMDD", "does not fit");
    refuse("2999", NULL, "not plausible");
}

static void validates_formats(void **state)
{
    (void)state;
    assert_true(rk_date_format_valid("DD.MM.YYYY"));
    assert_true(rk_date_format_valid("YYYYMMDD"));
    assert_true(rk_date_format_valid("MM/DD/YYYY"));
    assert_false(rk_date_format_valid("DD.MM.YY"));
    assert_false(rk_date_format_valid("DD.MM-YYYY"));
    assert_false(rk_date_format_valid("DD.DD.YYYY"));
    assert_false(rk_date_format_valid("YYYY-MM"));
    assert_false(rk_date_format_valid(""));
}

static void writes_iso_text_of_each_precision(void **state)
{
    (void)state;
    static const struct {
        rk_date d;
        const char *iso;
    } cases[] = {
        {{.year = 1992, .month = 2, .day = 9, .precision = RK_DATE_DAY}, "1992-02-09"},
        {{.year = 1991, .month = 11, .precision = RK_DATE_MONTH}, "1991-11"},
        {{.year = 1965, .precision = RK_DATE_YEAR}, "1965"},
        {{.year = 7, .month = 1, .day = 1, .precision = RK_DATE_DAY}, "0007-01-01"},
        {{.year = 12345, .month = 1, .day = 31, .precision = RK_DATE_DAY}, "12345-01-31"},
        {{.year = 1992, .precision = RK_DATE_NONE}, ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[16];
        rk_date_iso(out, &cases[i].d);
        assert_string_equal(out, cases[i].iso);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_the_common_formats),
        cmocka_unit_test(keeps_precision_of_partial_dates),
        cmocka_unit_test(refuses_dates_that_do_not_exist),
        cmocka_unit_test(validates_formats),
        cmocka_unit_test(writes_iso_text_of_each_precision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
