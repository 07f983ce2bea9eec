/* Strata of a project (rk_estimate_run with `by`): the derived fields age_group (from the age,
 * or from the dates of birth and death), year and month of death (by the date's precision),
 * a person's value voted by its records, --age-groups, and the missing values stored with a
 * stratified batch; on a project built by SQL inserts. */
#include "helpers.h"
#include "test_project.h"
#include "estimate/estimate_internal.h"
#include "store/store_internal.h"

#include <sqlite3.h>

typedef rk_test_project fx;

/* Lists a and b; one link run; each person below is one or two records (a, then b). */
static int setup(void **state)
{
    fx *f = rk_test_project_new();
    rk_test_exec(
        f->st,
        "INSERT INTO list(id, name, created) VALUES (1, 'a', 't'), (2, 'b', 't');"
        "INSERT INTO import(id, list_id, file_name, file_sha256, bytes, rows, header, mapping,"
        " reckon_version, time) VALUES (1, 1, 'a.csv', 'x', 1, 9, '[]', '{}', '0', 't'),"
        " (2, 2, 'b.csv', 'y', 1, 9, '[]', '{}', '0', 't');"
        "INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold,"
        " review_low, review_high, stats) VALUES (1, 't', '0', '{}', '{}', 1, 0.9, 0.5, 0.9,"
        " '{}');"
        /* id, list, age, birth, precision, birth year, death, precision */
        "CREATE TEMP TABLE r(id, list, age, birth, bp, by, death, dp, person);"
        "INSERT INTO r VALUES"
        /* 1: age 10 on a; on b, nothing: 0-14; death 1992-05-01 */
        " (1, 1, 10, NULL, NULL, NULL, '1992-05-01', 'day', 1),"
        " (2, 2, NULL, NULL, NULL, NULL, NULL, NULL, 1),"
        /* 2: born 1950-06-02, died 1992-06-01: 41 (the birthday not yet come): 30-44 */
        " (3, 1, NULL, '1950-06-02', 'day', NULL, '1992-06-01', 'day', 2),"
        /* 3: born 1962-06, died 1992-05: 29: 15-29; a month of death, 1992-05 */
        " (4, 2, NULL, '1962-06', 'month', NULL, '1992-05', 'month', 3),"
        /* 4: birth year 1932, died in 1992: 60: 60+; a year of death, no month */
        " (5, 1, NULL, NULL, NULL, 1932, '1992', 'year', 4),"
        " (6, 2, NULL, NULL, NULL, 1932, '1992', 'year', 4),"
        /* 5: born 1950, no date of death: no age; no year */
        " (7, 1, NULL, '1950', 'year', NULL, NULL, NULL, 5),"
        /* 6: a says 20, b says 35, another b 36: the groups tie, a's first: 15-29; died in
         * 1991-11 by a, 1992 by b: the years tie, a's is first; its month is a's */
        " (8, 1, 20, NULL, NULL, NULL, '1991-11-03', 'day', 6),"
        " (9, 2, 35, NULL, NULL, NULL, '1992', 'year', 6),"
        /* 7: ages 50 on a, 40 and 44 on b: b's 30-44 is the most common */
        " (10, 1, 50, NULL, NULL, NULL, NULL, NULL, 7),"
        " (11, 2, 40, NULL, NULL, NULL, NULL, NULL, 7),"
        " (12, 2, 44, NULL, NULL, NULL, NULL, NULL, 7);"
        "INSERT INTO record(id, list_id, import_id, row_number, line, byte_offset, byte_length,"
        " record_key, raw, age, birth_date, birth_precision, birth_year, death_date,"
        " death_precision) SELECT id, list, list, id, id + 1, 0, 1, 'k' || id, '[]', age,"
        " birth, bp, by, death, dp FROM r;"
        "INSERT INTO person(run_id, record_id, person_id) SELECT 1, id, person FROM r;");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

/* Estimates by `by` and returns the strata stored, "value:observed value:observed ...", in
 * order of value (the person without a value first, as ":n"): no imputation, no linkage
 * draws, so that the tabulation itself is seen. */
static void strata_of(fx *f, const char *by, const char *age_groups, char *out, size_t outsz)
{
    rk_estimate_source src = {.version = RK_ESTIMATE_SOURCE_VERSION,
                              .project = f->st,
                              .by = by,
                              .age_groups = age_groups,
                              .impute = -1,
                              .linkages = -1};
    rk_estimate_options o = RK_ESTIMATE_OPTIONS_INIT;
    o.methods = RK_METHOD_CHAPMAN;
    rk_estimate_result res;
    int rc = rk_estimate_run(&res, &f->ctx, &src, &o);
    if (rc != RK_OK)
        fprintf(stderr, "%s\n", f->ctx.err.message);
    assert_int_equal(rc, RK_OK);
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT group_concat(v || ':' || observed, ' ') FROM (SELECT json_extract(stratum,"
             " '$.%s') v, observed FROM estimate WHERE batch = %lld AND stratum IS NOT NULL"
             " ORDER BY v)",
             by, (long long)res.batch);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(rk_store__db(f->st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    rk_estimate_result_release(&res);
}

static void age_group_from_age_or_dates(void **state)
{
    fx *f = *state;
    char got[256];
    strata_of(f, "age_group", NULL, got, sizeof(got));
    assert_string_equal(got, ":1 0-14:1 15-29:2 30-44:2 60+:1");
    strata_of(f, "age_group", "0,30,45", got, sizeof(got));
    assert_string_equal(got, ":1 0-29:3 30-44:2 45+:1");
}

static void year_and_month_of_death_by_precision(void **state)
{
    fx *f = *state;
    char got[256];
    strata_of(f, "year", NULL, got, sizeof(got));
    assert_string_equal(got, ":2 1991:1 1992:4");
    strata_of(f, "month", NULL, got, sizeof(got));
    assert_string_equal(got, ":3 1991-11:1 1992-05:2 1992-06:1");
}

/* Per list, the persons whose records on it give no age group: on a, person 5 (no age, no date
 * of death); on b, person 1 (a gives the age, b nothing). Person 5 alone has none at all. */
static void missing_values_per_list(void **state)
{
    fx *f = *state;
    rk_estimate_source src = {
        .version = RK_ESTIMATE_SOURCE_VERSION, .project = f->st, .by = "age_group"};
    rk_estimate_options o = RK_ESTIMATE_OPTIONS_INIT;
    o.methods = RK_METHOD_CHAPMAN;
    rk_estimate_result res;
    assert_int_equal(rk_estimate_run(&res, &f->ctx, &src, &o), RK_OK);
    rk_estimate__missing *m = NULL;
    assert_int_equal(rk_estimate__batch_missing(&m, f->st, res.batch), RK_OK);
    assert_non_null(m);
    assert_int_equal(m->nby, 1);
    assert_string_equal(m->by[0], "age_group");
    assert_int_equal(m->persons, 7);
    assert_int_equal(m->without[0], 1);
    assert_int_equal(m->nlists, 2);
    assert_string_equal(m->lists[0].list, "a");
    assert_int_equal(m->lists[0].persons, 6);
    assert_int_equal(m->lists[0].without[0], 1);
    assert_string_equal(m->lists[1].list, "b");
    assert_int_equal(m->lists[1].persons, 5);
    assert_int_equal(m->lists[1].without[0], 1);
    assert_string_equal(m->note, ""); /* no list misses it for nearly all */
    rk_estimate__missing_free(m);
    rk_estimate_result_release(&res);
    /* Without --by, no missing values are stored. */
    src.by = NULL;
    assert_int_equal(rk_estimate_run(&res, &f->ctx, &src, &o), RK_OK);
    assert_int_equal(rk_estimate__batch_missing(&m, f->st, res.batch), RK_OK);
    assert_null(m);
    rk_estimate_result_release(&res);
    assert_int_equal(rk_estimate__percent(1, 6), 17);
    assert_int_equal(rk_estimate__percent(1, 1000), 1);
    assert_int_equal(rk_estimate__percent(999, 1000), 99);
    assert_int_equal(rk_estimate__percent(0, 0), 0);
}

static void bad_age_groups_are_refused(void **state)
{
    fx *f = *state;
    static const char *const bad[][2] = {
        {"age_group", "15,30"},                                               /* not from 0 */
        {"age_group", "0,30,30"},                                             /* not rising */
        {"age_group", "0,x"},     {"age_group", "0,200"}, {"region", "0,15"}, /* no age_group */
    };
    for (size_t i = 0; i < N_OF(bad); i++) {
        rk_estimate_source src = {.version = RK_ESTIMATE_SOURCE_VERSION,
                                  .project = f->st,
                                  .by = bad[i][0],
                                  .age_groups = bad[i][1]};
        rk_estimate_options o = RK_ESTIMATE_OPTIONS_INIT;
        rk_estimate_result res;
        assert_int_equal(rk_estimate_run(&res, &f->ctx, &src, &o), RK_EINPUT);
        assert_non_null(strstr(f->ctx.err.message, "--age-groups"));
        rk_error_clear(&f->ctx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(age_group_from_age_or_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(year_and_month_of_death_by_precision, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_values_per_list, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_age_groups_are_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
