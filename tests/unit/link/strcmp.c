/* Unit tests of the string comparators of src/link against published values. */
#include "test.h"

#include <math.h>

static double jw(const char *a, const char *b)
{
    return rk_link_jaro_winkler(a, strlen(a), b, strlen(b));
}

static int osa(const char *a, const char *b, int max)
{
    return rk_link_osa(a, strlen(a), b, strlen(b), max);
}

static bool ts(const char *a, const char *b)
{
    return rk_link_token_set(a, strlen(a), b, strlen(b), 0.9);
}

static void jaro_winkler_matches_winkler_examples(void **state)
{
    (void)state;
    /* Winkler (1990) and the usual textbook values, rounded to 3 places. */
    assert_true(fabs(jw("MARTHA", "MARHTA") - 0.961) < 0.0005);
    assert_true(fabs(jw("DWAYNE", "DUANE") - 0.840) < 0.0005);
    assert_true(fabs(jw("DIXON", "DICKSONX") - 0.813) < 0.0005);
    assert_true(jw("abc", "abc") == 1.0);
    assert_true(jw("", "") == 1.0);
    assert_true(jw("abc", "") == 0.0);
    assert_true(jw("abc", "xyz") == 0.0);
    assert_true(fabs(jw("mammadov", "mamedov") - jw("mamedov", "mammadov")) < 1e-12);
}

static void osa_counts_transpositions_and_stops_early(void **state)
{
    (void)state;
    assert_int_equal(osa("martha", "marhta", 3), 1); /* one transposition */
    assert_int_equal(osa("kitten", "sitting", 5), 3);
    assert_int_equal(osa("ca", "abc", 5), 3); /* OSA, not full Damerau (which gives 2) */
    assert_int_equal(osa("abc", "abc", 0), 0);
    assert_int_equal(osa("kitten", "sitting", 1), 2); /* bounded: max + 1 */
    assert_int_equal(osa("a", "abcdef", 2), 3);
    assert_int_equal(osa("", "ab", 2), 2);
}

/* The one-pass check for a distance of at most 1 agrees with the full programme. */
static void osa_within_one_agrees_with_the_full_distance(void **state)
{
    (void)state;
    const char *const w[] = {"",      "a",      "ab",    "ba",    "abc",   "acb",  "bac",
                             "abcd",  "abdc",   "abd",   "gusev", "gusfv", "gusv", "guesv",
                             "ugsev", "gusevv", "saleh", "sahel", "salhe", "aleh"};
    size_t n = sizeof(w) / sizeof(w[0]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int full = osa(w[i], w[j], 8);
            assert_int_equal(osa(w[i], w[j], 1), full > 1 ? 2 : full);
            assert_int_equal(osa(w[i], w[j], 0), full > 0 ? 1 : 0);
        }
}

static void token_set_allows_reordering_and_missing_parts(void **state)
{
    (void)state;
    assert_true(ts("quispe huaman maria del carmen", "maria quispe"));
    assert_true(ts("mamedov ali", "ali mamedov"));
    assert_true(ts("mamedov ali alievich", "ali mamedov"));
    assert_true(ts("ahmad muhammad", "muhammad ahmed"));
    assert_false(ts("ali mamedov", "hasan mamedov"));
    assert_false(ts("", "ali"));
}

static void soundex_codes_like_the_classic_rules(void **state)
{
    (void)state;
    char s[5];
    rk_link_soundex(s, "robert", 6);
    assert_string_equal(s, "r163");
    rk_link_soundex(s, "Rupert", 6);
    assert_string_equal(s, "r163");
    rk_link_soundex(s, "ashcraft", 8);
    assert_string_equal(s, "a261");
    rk_link_soundex(s, "tymczak", 7);
    assert_string_equal(s, "t522");
    rk_link_soundex(s, "pfister", 7);
    assert_string_equal(s, "p236");
    rk_link_soundex(s, "123", 3);
    assert_string_equal(s, "");
}

static void dates_keep_their_precision(void **state)
{
    (void)state;
    assert_int_equal(rk_link_days(1970, 1, 1), 0);
    assert_int_equal(rk_link_days(2000, 3, 1), 11017);
    rk_link_date y = rk_link_date_ymd(1992, 0, 0);
    assert_int_equal(y.hi - y.lo, 365); /* leap year: 366 days */
    rk_link_date m = rk_link_date_ymd(1991, 11, 0);
    assert_int_equal(m.hi - m.lo, 29);
    rk_link_date bad = rk_link_date_ymd(1992, 2, 31);
    assert_true(bad.lo > bad.hi);
    /* 30 years old on 1992-06-15: born 1961-06-16 .. 1962-06-15. */
    rk_link_date a = rk_link_date_from_age(30, 1992, 6, 15);
    assert_int_equal(a.lo, rk_link_days(1961, 6, 16));
    assert_int_equal(a.hi, rk_link_days(1962, 6, 15));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jaro_winkler_matches_winkler_examples),
        cmocka_unit_test(osa_counts_transpositions_and_stops_early),
        cmocka_unit_test(osa_within_one_agrees_with_the_full_distance),
        cmocka_unit_test(token_set_allows_reordering_and_missing_parts),
        cmocka_unit_test(soundex_codes_like_the_classic_rules),
        cmocka_unit_test(dates_keep_their_precision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
