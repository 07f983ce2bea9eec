/* Unit tests of re-clustering a stored run after decisions (rk_link__recluster): the checks
 * of rk_link_cluster apply (a pair below cannot_link, a unique list), decisions win, the
 * latest decision on a pair is the one that counts; on a project built by SQL inserts. */
#include "test_project.h"
#include "link/link_internal.h"
#include "store/store_internal.h"

#include <sqlite3.h>

typedef rk_test_project fx;

static int64_t person_of(fx *f, int64_t record)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(rk_store__db(f->st),
                                        "SELECT person_id FROM person WHERE run_id = 1 AND"
                                        " record_id = ?",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, record);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t p = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return p;
}

/* Lists a (unique: records 1, 2) and b (3, 4). Run 1 (threshold 0.9): 1-3 at 0.99 makes
 * {1, 3}; 2-4 at 0.95 makes {2, 4}; 3-4 at 0.5 sits between them; 1-4 at 0.005 says they
 * differ. */
static int setup(void **state)
{
    fx *f = rk_test_project_new();
    rk_test_exec(
        f->st,
        "INSERT INTO list(id, name, created) VALUES (1, 'a', 't'), (2, 'b', 't');"
        "INSERT INTO import(id, list_id, file_name, file_sha256, bytes, rows, header, mapping,"
        " reckon_version, time) VALUES (1, 1, 'a.csv', 'x', 1, 2, '[]', '{}', '0', 't'),"
        " (2, 2, 'b.csv', 'y', 1, 2, '[]', '{}', '0', 't');"
        "INSERT INTO record(id, list_id, import_id, row_number, line, byte_offset, byte_length,"
        " record_key, raw) VALUES (1, 1, 1, 1, 2, 0, 1, 'a:1', '[]'),"
        " (2, 1, 1, 2, 3, 0, 1, 'a:2', '[]'), (3, 2, 2, 1, 2, 0, 1, 'b:1', '[]'),"
        " (4, 2, 2, 2, 3, 0, 1, 'b:2', '[]');"
        "INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold,"
        " review_low, review_high, stats) VALUES (1, 't', '0', '{\"cannot_link\":0.01,"
        " \"bridge_min_mean\":0.3,\"unique\":\"a\"}', '{}', 1, 0.9, 0.2, 0.9, '{}');"
        "INSERT INTO pair_vector(run_id, id, levels) VALUES (1, 1, '[]');"
        "INSERT INTO pair(run_id, record_a, record_b, weight, probability, vector, status) VALUES "
        "(1, 1, 3, 9, 0.99, 1, 'linked'),"
        " (1, 2, 4, 8, 0.95, 1, 'linked'), (1, 3, 4, 0, 0.5, 1, 'review'),"
        " (1, 1, 4, -9, 0.005, 1, 'unlinked');"
        "INSERT INTO person(run_id, record_id, person_id) VALUES (1, 1, 1), (1, 3, 1),"
        " (1, 2, 2), (1, 4, 2);");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

static void decide(fx *f, const char *ka, const char *kb, const char *verdict)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "INSERT INTO decision(key_a, key_b, verdict, reviewer, time, run_id) VALUES"
             " ('%s', '%s', '%s', 'T', 't', 1)",
             ka, kb, verdict);
    rk_test_exec(f->st, sql);
}

static void recluster(fx *f, int64_t x, int64_t y, rk_link__reclustered *out)
{
    int64_t seeds[2] = {x, y};
    assert_int_equal(rk_link__recluster(out, f->st, 1, seeds, 2, 100), RK_OK);
}

/* A match on 3-4 forces them together; 1 then cannot join (1-4 below cannot_link) and 2
 * cannot either (1 and 2 are of the unique list a, but 1 left): 2 joins {3, 4}, 1 is alone. */
static void a_match_keeps_the_checks(void **state)
{
    fx *f = *state;
    decide(f, "b:1", "b:2", "match");
    rk_link__reclustered done;
    recluster(f, 3, 4, &done);
    assert_int_equal(done.records, 4);
    assert_int_equal(person_of(f, 3), person_of(f, 4));
    assert_int_equal(person_of(f, 2), person_of(f, 4));
    assert_int_equal(person_of(f, 1), 1);
    assert_int_not_equal(person_of(f, 1), person_of(f, 3));
    assert_int_equal(person_of(f, 3), 2); /* the smallest record id of {2, 3, 4} */
}

/* A non-match splits a person; a later "unsure" on the pair withdraws it. */
static void the_latest_decision_counts(void **state)
{
    fx *f = *state;
    decide(f, "a:1", "b:1", "non-match");
    rk_link__reclustered done;
    recluster(f, 1, 3, &done);
    assert_int_not_equal(person_of(f, 1), person_of(f, 3));
    assert_int_equal(done.changed, 1);
    decide(f, "a:1", "b:1", "unsure");
    recluster(f, 1, 3, &done);
    assert_int_equal(person_of(f, 1), person_of(f, 3));
}

/* Reviewers win over the unique list: a match between the two records of list a holds. */
static void decisions_win_over_the_model(void **state)
{
    fx *f = *state;
    decide(f, "a:1", "a:2", "match");
    rk_link__reclustered done;
    recluster(f, 1, 2, &done);
    assert_int_equal(person_of(f, 1), person_of(f, 2));
}

static void too_many_records_are_refused(void **state)
{
    fx *f = *state;
    int64_t seeds[2] = {1, 2};
    rk_link__reclustered done;
    assert_int_equal(rk_link__recluster(&done, f->st, 1, seeds, 2, 3), RK_EINPUT);
    assert_non_null(strstr(f->ctx.err.message, "reckon link"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_match_keeps_the_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(the_latest_decision_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(decisions_win_over_the_model, setup, teardown),
        cmocka_unit_test_setup_teardown(too_many_records_are_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
