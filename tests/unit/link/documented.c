/* Unit tests of the documented figures (rk_link_documented_count): records, persons of the
 * latest run with records it has not seen as persons of their own, and when the persons are
 * older than the records; on a project built by SQL inserts. */
#include "test_project.h"

typedef rk_test_project fx;

/* Lists a (records 1, 2) and b (records 3, 4, 5); no link run. */
static int setup(void **state)
{
    fx *f = rk_test_project_new();
    rk_test_exec(
        f->st,
        "INSERT INTO list(id, name, created) VALUES (1, 'a', 't'), (2, 'b', 't');"
        "INSERT INTO import(id, list_id, file_name, file_sha256, bytes, rows, header, mapping,"
        " reckon_version, time) VALUES (1, 1, 'a.csv', 'x', 1, 2, '[]', '{}', '0', 't'),"
        " (2, 2, 'b.csv', 'y', 1, 3, '[]', '{}', '0', 't');"
        "INSERT INTO record(id, list_id, import_id, row_number, line, byte_offset, byte_length,"
        " record_key, raw) VALUES (1, 1, 1, 1, 2, 0, 1, 'a:1', '[]'),"
        " (2, 1, 1, 2, 3, 0, 1, 'a:2', '[]'), (3, 2, 2, 1, 2, 0, 1, 'b:1', '[]'),"
        " (4, 2, 2, 2, 3, 0, 1, 'b:2', '[]'), (5, 2, 2, 3, 4, 0, 1, 'b:3', '[]');");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

/* Run 1: persons {1, 3}, {2, 4}, {5}. */
static void add_run(fx *f)
{
    rk_test_exec(f->st,
                 "INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold,"
                 " review_low, review_high, stats) VALUES (1, 't', '0', '{}', '{}', 1, 0.9, 0.5,"
                 " 0.9, '{}');"
                 "INSERT INTO person(run_id, record_id, person_id) VALUES (1, 1, 1), (1, 3, 1),"
                 " (1, 2, 2), (1, 4, 2), (1, 5, 5);");
}

static void without_a_run_each_record_is_a_person(void **state)
{
    fx *f = *state;
    rk_link_documented d;
    assert_int_equal(rk_link_documented_count(&d, f->st), RK_OK);
    assert_int_equal(d.run_id, 0);
    assert_int_equal(d.records, 5);
    assert_int_equal(d.persons, 5);
    assert_false(rk_link_persons_stale(&d));
    char notice[512];
    rk_link_stale_notice(notice, sizeof(notice), &d);
    assert_string_equal(notice, "");
}

static void persons_of_the_latest_run(void **state)
{
    fx *f = *state;
    add_run(f);
    rk_link_documented d;
    assert_int_equal(rk_link_documented_count(&d, f->st), RK_OK);
    assert_int_equal(d.run_id, 1);
    assert_int_equal(d.records, 5);
    assert_int_equal(d.persons, 3);
    assert_int_equal(d.unlinked, 0);
    assert_int_equal(d.superseded, 0);
    assert_false(rk_link_persons_stale(&d));
}

/* List b imported again (records 6, 7 replace 3, 4, 5) after the run: its records that the run
 * has not seen are persons of their own, the superseded ones count no more, and the persons
 * are older than the records. */
static void a_reimport_makes_the_persons_stale(void **state)
{
    fx *f = *state;
    add_run(f);
    rk_test_exec(f->st,
                 "INSERT INTO import(id, list_id, file_name, file_sha256, bytes, rows, header,"
                 " mapping, reckon_version, time) VALUES (3, 2, 'b.csv', 'z', 1, 2, '[]', '{}',"
                 " '0', 't');"
                 "UPDATE import SET superseded_by = 3 WHERE id = 2;"
                 "INSERT INTO record(id, list_id, import_id, row_number, line, byte_offset,"
                 " byte_length, record_key, raw) VALUES (6, 2, 3, 1, 2, 0, 1, 'b:1', '[]'),"
                 " (7, 2, 3, 2, 3, 0, 1, 'b:2', '[]');");
    rk_link_documented d;
    assert_int_equal(rk_link_documented_count(&d, f->st), RK_OK);
    assert_int_equal(d.records, 4);  /* 1, 2, 6, 7 */
    assert_int_equal(d.persons, 4);  /* {1}, {2}, {6}, {7} */
    assert_int_equal(d.unlinked, 2); /* 6, 7 */
    assert_int_equal(d.superseded, 3);
    assert_true(rk_link_persons_stale(&d));
    char notice[512];
    rk_link_stale_notice(notice, sizeof(notice), &d);
    assert_non_null(strstr(notice, "older than the records"));
    assert_non_null(strstr(notice, "since link run 1, 2 records were imported"));
    assert_non_null(strstr(notice, "3 of its records were superseded"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(without_a_run_each_record_is_a_person, setup, teardown),
        cmocka_unit_test_setup_teardown(persons_of_the_latest_run, setup, teardown),
        cmocka_unit_test_setup_teardown(a_reimport_makes_the_persons_stale, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
