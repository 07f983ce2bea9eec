/* Unit tests of format-driven date parsing: the table of real forms (date_forms.tsv, one test
 * per row), formats, the month-name table, `auto` order decisions and ISO output. */
#include "test.h"

#include "ingest/date_private.h"

static int parse(rk_date *d, const char *value, const char *format, int pivot, char *why,
                 size_t whysz)
{
    rk_date_format f;
    int rc = rk_date_format_compile(&f, format, pivot, why, whysz);
    return rc != RK_OK ? rc : rk_date_parse(d, &f, value, why, whysz);
}

static void check(const char *value, const char *format, const char *iso, rk_date_precision p)
{
    rk_date d;
    char why[512] = "";
    if (parse(&d, value, format, 0, why, sizeof(why)) != RK_OK)
        fail_msg("'%s' (%s): %s", value, format ? format : "ISO", why);
    char out[16];
    rk_date_iso(out, &d);
    assert_string_equal(out, iso);
    assert_int_equal(d.precision, p);
}

static void refuse(const char *value, const char *format, const char *why_part)
{
    rk_date d;
    char why[512] = "";
    assert_int_equal(parse(&d, value, format, 0, why, sizeof(why)), RK_EINPUT);
    if (!strstr(why, why_part))
        fail_msg("'%s': message '%s' lacks '%s'", value, why, why_part);
}

static bool format_valid(const char *format)
{
    rk_date_format f;
    char why[512];
    return rk_date_format_compile(&f, format, 0, why, sizeof(why)) == RK_OK;
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
    static const char *const good[] = {"DD.MM.YYYY",  "YYYYMMDD",     "MM/DD/YYYY",  "DD.MM.YY",
                                       "DD.MM.YYYY.", "D MON YYYY",   "MON D, YYYY", "D-MON-YY",
                                       "DD.MON.YYYY", "YYYY. MON D.", "D. MON YYYY", "YYMMDD",
                                       "M/D/YYYY",    "YYYY MON D"};
    static const char *const bad[] = {"DD.MM-YYYY",  "DD.DD.YYYY", "YYYY-MM",      "",
                                      "DD.MM.YYYY-", "DDMM.YYYY",  "D.M.YYYY.YY",  "MONDDYYYY",
                                      "DMYYYY",      "dd.mm.yyyy", "DD..MM..YYYY", "auto"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!format_valid(good[i]))
            fail_msg("format '%s' refused", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (format_valid(bad[i]))
            fail_msg("format '%s' accepted", bad[i]);
    char why[512];
    rk_date_format f;
    rk_date_format_compile(&f, "DD.MM-YYYY", 0, why, sizeof(why));
    assert_non_null(strstr(why, "date format 'DD.MM-YYYY' is not understood"));
}

/* One row of date_forms.tsv: value, format ("-": ISO), pivot ("-": none), expected
 * ("1992-03-12/day", "1992-03/month", "1992/year", "/none", "refuse" or "refuse:PART"), note. */
static int check_row(char *line, int lineno)
{
    char *cols[5] = {0};
    int n = 0;
    for (char *p = line; n < 5 && p; n++) {
        cols[n] = p;
        p = strchr(p, '\t');
        if (p)
            *p++ = '\0';
    }
    if (n < 5) {
        print_error("date_forms.tsv:%d: expected 5 tab-separated columns\n", lineno);
        return 1;
    }
    const char *format = strcmp(cols[1], "-") == 0 ? NULL : cols[1];
    int pivot = strcmp(cols[2], "-") == 0 ? 0 : (int)strtol(cols[2], NULL, 10);
    rk_date d;
    char why[512] = "";
    int rc = parse(&d, cols[0], format, pivot, why, sizeof(why));
    const char *want = cols[3];
    if (strncmp(want, "refuse", 6) == 0) {
        const char *part = want[6] == ':' ? want + 7 : "";
        if (rc == RK_EINPUT && strstr(why, part))
            return 0;
        char got[16] = "";
        if (rc == RK_OK)
            rk_date_iso(got, &d);
        print_error("date_forms.tsv:%d: '%s' (%s, pivot %s) should be refused%s%s but %s%s (%s)\n",
                    lineno, cols[0], cols[1], cols[2], *part ? " with " : "", part,
                    rc == RK_OK ? "gave " : "said: ", rc == RK_OK ? got : why, cols[4]);
        return 1;
    }
    char got[40] = "";
    if (rc == RK_OK) {
        char iso[16];
        rk_date_iso(iso, &d);
        snprintf(got, sizeof(got), "%s/%s", iso, rk_date_precision_name(d.precision));
    }
    if (rc == RK_OK && strcmp(got, want) == 0)
        return 0;
    print_error("date_forms.tsv:%d: '%s' (%s, pivot %s) should be %s but %s%s (%s)\n", lineno,
                cols[0], cols[1], cols[2], want,
                rc == RK_OK ? "is " : "is refused: ", rc == RK_OK ? got : why, cols[4]);
    return 1;
}

static void parses_every_form_of_the_table(void **state)
{
    (void)state;
    FILE *f = fopen(RK_SOURCE_DIR "/tests/unit/ingest/date_forms.tsv", "r");
    assert_non_null(f);
    char line[1024];
    int lineno = 0, rows = 0, failed = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0' || lineno == 1)
            continue;
        rows++;
        failed += check_row(line, lineno);
    }
    fclose(f);
    if (rows < 150)
        fail_msg("date_forms.tsv has %d rows; it should have at least 150", rows);
    if (failed)
        fail_msg("%d of %d rows of date_forms.tsv failed", failed, rows);
}

static void no_word_names_two_months(void **state)
{
    (void)state;
    for (size_t i = 0; i < ingest_date_nwords; i++) {
        const date_word *w = &ingest_date_words[i];
        if (i && strcmp(ingest_date_words[i - 1].word, w->word) >= 0)
            fail_msg("'%s' is out of order after '%s': the table is sorted by bytes", w->word,
                     ingest_date_words[i - 1].word);
        for (size_t j = 0; j < i; j++)
            if (strcmp(ingest_date_words[j].word, w->word) == 0 &&
                ingest_date_words[j].month != w->month)
                fail_msg("'%s' names month %d (%s) and %d (%s)", w->word,
                         ingest_date_words[j].month, ingest_date_words[j].langs, w->month,
                         w->langs);
        /* Found as written: every word is in its folded form. */
        const date_word *found = ingest_date_word(w->word, strlen(w->word));
        if (!found || found->month != w->month)
            fail_msg("'%s' (%s) is not found as written: is it folded?", w->word, w->langs);
    }
}

static void folds_case_and_diacritics(void **state)
{
    (void)state;
    static const struct {
        const char *written;
        int month;
    } cases[] = {{"FÉVRIER", 2}, {"März", 3},      {"MAERZ", 3}, {"Şubat", 2},    {"Aralık", 12},
                 {"ARALIK", 12}, {"МАРТА", 3},     {"Мая", 5},   {"ՄԱՐՏԻ", 3},    {"آذار", 3},
                 {"أيار", 5},    {"إبريل", 4},     {"Ⅲ", 3},     {"Nëntor", 11},  {"Ağustos", 8},
                 {"Août", 8},    {"Décembre", 12}, {"Јун", 6},   {"Setiembre", 9}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const date_word *w = ingest_date_word(cases[i].written, strlen(cases[i].written));
        if (!w || w->month != cases[i].month)
            fail_msg("'%s' is not month %d", cases[i].written, cases[i].month);
    }
    assert_null(ingest_date_word("Marchy", 6));
}

/* Feeds an `auto` accumulator the values of a column (lines from 2). */
static int decide(char format[16], char evidence[600], const char *const *values, size_t n)
{
    date_auto a;
    ingest_date_auto_init(&a);
    for (size_t i = 0; i < n; i++)
        if (values[i][0])
            ingest_date_auto_add(&a, values[i], strlen(values[i]), (long)i + 2, 3);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    int rc = ingest_date_auto_decide(format, evidence, 200, &a, &ctx, "a.csv", "birth_date");
    if (rc != RK_OK)
        rk_error_format(evidence, 600, &ctx);
    rk_ctx_release(&ctx);
    return rc;
}

static void decides_the_order_of_a_column(void **state)
{
    (void)state;
    char format[16], ev[600];
    const char *dm[] = {"03.04.1992", "", "25.12.1980", "1975", "11.1991", "13.01.1990"};
    assert_int_equal(decide(format, ev, dm, 6), RK_OK);
    assert_string_equal(format, "DD.MM.YYYY");
    assert_string_equal(ev, "birth_date: all 5 values read as DD.MM: 2 have a first part above "
                            "12 (format DD.MM.YYYY)");
    const char *md[] = {"04/03/1992", "12/25/1980", "1/2/1970"};
    assert_int_equal(decide(format, ev, md, 3), RK_OK);
    assert_string_equal(format, "MM/DD/YYYY");
    const char *yf[] = {"1992-04-03", "1980-01-02"};
    assert_int_equal(decide(format, ev, yf, 2), RK_OK);
    assert_string_equal(format, "YYYY-MM-DD");
    const char *arabic[] = {"٢٥/١٢/١٩٨٠", "٠٣/٠٤/١٩٩٢"};
    assert_int_equal(decide(format, ev, arabic, 2), RK_OK);
    assert_string_equal(format, "DD/MM/YYYY");
}

static void refuses_a_column_that_cannot_tell_or_contradicts_itself(void **state)
{
    (void)state;
    char format[16], ev[600];
    const char *none[] = {"03.04.1992", "01.02.1980"};
    assert_int_equal(decide(format, ev, none, 2), RK_EINPUT);
    assert_non_null(strstr(ev, "a.csv:2:3: birth_date: 'auto' cannot tell the day from the month"));
    assert_non_null(strstr(ev, "--date-format birth_date=DD.MM.YYYY"));
    const char *both[] = {"25.12.1980", "03.04.1992", "12.25.1980"};
    assert_int_equal(decide(format, ev, both, 3), RK_EINPUT);
    assert_non_null(strstr(ev, "a.csv:4:3: birth_date: 'auto' found both orders: 1 values have a "
                               "first part above 12 (line 2: '25.12.1980') and 1 a second part "
                               "above 12 (line 4: '12.25.1980')"));
    const char *mixed[] = {"1980-12-25", "25.12.1980"};
    assert_int_equal(decide(format, ev, mixed, 2), RK_EINPUT);
    assert_non_null(strstr(ev, "year first"));
    const char *years[] = {"1980", "03.1992"};
    assert_int_equal(decide(format, ev, years, 2), RK_EINPUT);
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
        cmocka_unit_test(parses_every_form_of_the_table),
        cmocka_unit_test(no_word_names_two_months),
        cmocka_unit_test(folds_case_and_diacritics),
        cmocka_unit_test(decides_the_order_of_a_column),
        cmocka_unit_test(refuses_a_column_that_cannot_tell_or_contradicts_itself),
        cmocka_unit_test(writes_iso_text_of_each_precision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
