/* Unit tests of the string comparators of src/link against published values. */
#include "test.h"

#include "link/link_private.h"

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

/* Jaro-Winkler written plainly (the textbook steps, no bound, no early exit), for the bound of
 * link_jw_floor to be checked against. */
static double jw_plain(const char *a, size_t na, const char *b, size_t nb)
{
    if (na == 0 || nb == 0)
        return (na == 0 && nb == 0) ? 1.0 : 0.0;
    size_t window = (na > nb ? na : nb) / 2;
    window = window > 0 ? window - 1 : 0;
    bool am[64] = {0}, bm[64] = {0};
    size_t m = 0, t = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = i > window ? i - window : 0; j < nb && j <= i + window; j++)
            if (!bm[j] && a[i] == b[j]) {
                am[i] = bm[j] = true;
                m++;
                break;
            }
    if (m == 0)
        return 0.0;
    for (size_t i = 0, j = 0; i < na; i++)
        if (am[i]) {
            while (!bm[j])
                j++;
            t += a[i] != b[j++];
        }
    double md = (double)m;
    double jaro = (md / (double)na + md / (double)nb + (md - (double)t / 2.0) / md) / 3.0;
    if (jaro <= 0.7)
        return jaro;
    size_t p = 0;
    while (p < 4 && p < na && p < nb && a[p] == b[p])
        p++;
    return jaro + (double)p * 0.1 * (1.0 - jaro);
}

/* Over many pairs of short words of few letters: the similarity is the plain one to the bit,
 * and link_jw_floor gives it whenever it reaches the floor, else 0, which it does (the bound
 * skips some pairs whose similarity is above 0 but below the floor). */
static void jaro_winkler_floor_is_exact_above_it(void **state)
{
    (void)state;
    uint64_t r = 0x2545f4914f6cdd1dULL;
    char a[16], b[16];
    size_t skipped = 0;
    const double floors[] = {0.5, 0.8, 0.88, 0.92, 1.0};
    for (int n = 0; n < 200000; n++) {
        size_t na = 0, nb = 0;
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        na = 1 + (r >> 60) % 10;
        nb = 1 + (r >> 56) % 10;
        for (size_t i = 0; i < na; i++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            a[i] = (char)('a' + (r >> 59) % 6);
        }
        for (size_t i = 0; i < nb; i++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            b[i] = (char)('a' + (r >> 59) % 6);
        }
        if (n % 3 == 0) /* a near variant: b is a with one letter changed */
            memcpy(b, a, nb = na), b[(r >> 40) % na] = 'f';
        double plain = jw_plain(a, na, b, nb);
        assert_true(rk_link_jaro_winkler(a, na, b, nb) == plain);
        for (size_t f = 0; f < sizeof(floors) / sizeof(floors[0]); f++) {
            double v = link_jw_floor(a, na, b, nb, floors[f]);
            if (plain >= floors[f])
                assert_true(v == plain);
            else
                assert_true(v == plain || v == 0.0);
            skipped += v != plain;
        }
    }
    assert_true(skipped > 1000);
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
        cmocka_unit_test(jaro_winkler_floor_is_exact_above_it),
        cmocka_unit_test(osa_counts_transpositions_and_stops_early),
        cmocka_unit_test(osa_within_one_agrees_with_the_full_distance),
        cmocka_unit_test(token_set_allows_reordering_and_missing_parts),
        cmocka_unit_test(soundex_codes_like_the_classic_rules),
        cmocka_unit_test(dates_keep_their_precision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
