/* Unit tests of what the load learns of the records before it parses one
 * (link_records_survey): the 2nd and 98th percentiles of the years of death, checked against
 * the SQL that computed them before the survey (one ORDER BY per percentile), on dates that
 * SQLite's CAST reads in every way it can (a full date, a year, text, blanks, a sign); the lists
 * that write H and never F; and the count of current records, a superseded import's left out.
 * And the load itself: the same arrays on one thread and on two, over more rows than a round
 * of batches holds (project_load.c parses each round's batches on every thread). */
#include "test_project.h"
#include "link/project_private.h"

#include <omp.h>

typedef rk_test_project fx;

static int setup(void **state)
{
    *state = rk_test_project_new();
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

/* Lists 1-4, one import each (3 superseded by 4, of list 3 too); record i of import j. */
static void add_lists(rk_store *st)
{
    rk_test_exec(st, "INSERT INTO list(id, name, created) VALUES (1, 'a', 't'), (2, 'b', 't'),"
                     " (3, 'c', 't'), (4, 'd', 't');"
                     "INSERT INTO import(id, list_id, file_name, file_sha256, bytes, rows, header,"
                     " mapping, reckon_version, time) VALUES"
                     " (1, 1, 'a.csv', 'x', 1, 1, '[]', '{}', '0', 't'),"
                     " (2, 2, 'b.csv', 'x', 1, 1, '[]', '{}', '0', 't'),"
                     " (3, 3, 'c.csv', 'x', 1, 1, '[]', '{}', '0', 't'),"
                     " (4, 3, 'c.csv', 'y', 1, 1, '[]', '{}', '0', 't'),"
                     " (5, 4, 'd.csv', 'x', 1, 1, '[]', '{}', '0', 't');"
                     "UPDATE import SET superseded_by = 4 WHERE id = 3;");
}

static void add_record(rk_store *st, int id, int import, const char *sex, const char *death)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO record(id, list_id, import_id, row_number, line, byte_offset,"
             " byte_length, record_key, raw, sex, death_date) SELECT %d, list_id, %d, %d, %d, 0,"
             " 1, 'k%d', '[]', %s, %s FROM import WHERE id = %d",
             id, import, id, id + 1, id, sex, death, import);
    rk_test_exec(st, sql);
}

/* The percentile as the load computed it before the survey. */
static int sql_year(rk_store *st, int pct)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(rk_store__db(st),
                           "SELECT CAST(substr(death_date, 1, 4) AS INTEGER) y FROM current_record"
                           " WHERE death_date IS NOT NULL ORDER BY y LIMIT 1 OFFSET (SELECT"
                           " count(*) * ? / 100 FROM current_record WHERE death_date IS NOT NULL)",
                           -1, &s, NULL),
        SQLITE_OK);
    sqlite3_bind_int(s, 1, pct);
    int y = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return y;
}

static void years_are_the_percentiles_sql_gave(void **state)
{
    fx *f = *state;
    add_lists(f->st);
    static const char *const odd[] = {"'1993'", "''",   "'abcd'", "' 19'",       "'-500-01-01'",
                                      "'9999'", "'12'", "NULL",   "'0001-01-01'"};
    int id = 1;
    for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++)
        add_record(f->st, id++, 1, "NULL", odd[k]);
    for (int i = 0; i < 200; i++) { /* years spread over 1980-2019, some repeated */
        char d[32];
        snprintf(d, sizeof(d), "'%04d-%02d-01'", 1980 + (i * 7) % 40, 1 + i % 12);
        add_record(f->st, id++, 1 + i % 2, "NULL", d);
    }
    for (int i = 0; i < 30; i++) /* superseded: not counted */
        add_record(f->st, id++, 3, "NULL", "'1700-01-01'");
    records_survey s;
    assert_int_equal(link_records_survey(&s, f->st), RK_OK);
    assert_int_equal(s.nrecords, 9 + 200);
    assert_int_equal(s.year[0], sql_year(f->st, 2));
    assert_int_equal(s.year[1], sql_year(f->st, 98));
    assert_true(s.year[0] < 1985 && s.year[1] > 2015);
    rk_free(s.hm);
    /* Every percentile the offsets reach, on 1 to 12 dated records (ties and ends included). */
    rk_test_exec(f->st, "DELETE FROM record");
    for (int n = 1; n <= 12; n++) {
        char d[32];
        snprintf(d, sizeof(d), "'%d'", 2000 - n * 3 % 7);
        add_record(f->st, 1000 + n, 2, "NULL", d);
        assert_int_equal(link_records_survey(&s, f->st), RK_OK);
        assert_int_equal(s.year[0], sql_year(f->st, 2));
        assert_int_equal(s.year[1], sql_year(f->st, 98));
        rk_free(s.hm);
    }
}

static void no_date_of_death_gives_no_years(void **state)
{
    fx *f = *state;
    add_lists(f->st);
    add_record(f->st, 1, 1, "'F'", "NULL");
    records_survey s;
    assert_int_equal(link_records_survey(&s, f->st), RK_OK);
    assert_int_equal(s.nrecords, 1);
    assert_int_equal(s.year[0], 0);
    assert_int_equal(s.year[1], 0);
    assert_int_equal(s.nhm, 0);
    rk_free(s.hm);
}

static void lists_writing_h_and_never_f(void **state)
{
    fx *f = *state;
    add_lists(f->st);
    /* list 1: H and M (hombre, mujer); list 2: H. and F; list 4: ' h ' alone; list 3's
     * current import: M only; its superseded one wrote H. */
    add_record(f->st, 1, 1, "'H'", "NULL");
    add_record(f->st, 2, 1, "'M'", "NULL");
    add_record(f->st, 3, 1, "NULL", "NULL");
    add_record(f->st, 4, 2, "'H.'", "NULL");
    add_record(f->st, 5, 2, "'f'", "NULL");
    add_record(f->st, 6, 5, "' h '", "NULL");
    add_record(f->st, 7, 4, "'M'", "NULL");
    add_record(f->st, 8, 3, "'H'", "NULL");
    records_survey s;
    assert_int_equal(link_records_survey(&s, f->st), RK_OK);
    assert_int_equal(s.nrecords, 7);
    assert_int_equal(s.nhm, 2);
    assert_int_equal(s.hm[0], 1);
    assert_int_equal(s.hm[1], 4);
    rk_free(s.hm);
}

/* Records over two lists (one written family name first), more than a round of batches
 * (16 x 4,096 rows): given and family names from small pools, some missing, so that a
 * batch's name caches start cold and some fields have no keys in a batch. */
#define LOAD_RECORDS 70000

static void add_many(rk_store *st)
{
    rk_test_exec(st, "INSERT INTO list(id, name, created, language) VALUES (1, 'a', 't', 'es'),"
                     " (2, 'b', 't', 'ru');"
                     "INSERT INTO import(id, list_id, file_name, file_sha256, bytes, rows, header,"
                     " mapping, reckon_version, time) VALUES"
                     " (1, 1, 'a.csv', 'x', 1, 1, '[]', '{}', '0', 't'),"
                     " (2, 2, 'b.csv', 'x', 1, 1, '[]', '{\"name_order\":\"family_first\"}',"
                     " '0', 't');");
    char sql[2048];
    snprintf(sql, sizeof(sql),
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
             " INSERT INTO record(id, list_id, import_id, row_number, line, byte_offset,"
             " byte_length, record_key, raw, full_name, given_name, family_name, sex, birth_date,"
             " birth_precision, age, death_date, death_precision, place)"
             " SELECT i, 1 + i %% 2, 1 + i %% 2, i, i + 1, 0, 1, 'k' || i, '[]',"
             " CASE WHEN i %% 7 = 0 THEN 'Ivanov Pyotr ' || (i %% 911) END,"
             " CASE WHEN i %% 7 != 0 THEN (CASE i %% 5 WHEN 0 THEN 'María' WHEN 1 THEN 'José'"
             " WHEN 2 THEN 'Мария' WHEN 3 THEN 'Ahmad' ELSE 'Ana Lucía' END) END,"
             " CASE WHEN i %% 7 != 0 AND i %% 13 != 0 THEN 'Fam' || (i %% 3001) END,"
             " CASE i %% 3 WHEN 0 THEN 'F' WHEN 1 THEN 'M' END,"
             " CASE WHEN i %% 4 = 0 THEN printf('19%%02d-%%02d-%%02d', i %% 90, 1 + i %% 12,"
             " 1 + i %% 28) END, CASE WHEN i %% 4 = 0 THEN 'day' END,"
             " CASE WHEN i %% 4 = 1 THEN 20 + i %% 50 END,"
             " CASE WHEN i %% 3 = 0 THEN printf('20%%02d', i %% 20) END,"
             " CASE WHEN i %% 3 = 0 THEN 'year' END,"
             " CASE WHEN i %% 11 = 0 THEN 'Pueblo ' || (i %% 37) END FROM n",
             LOAD_RECORDS);
    rk_test_exec(st, sql);
}

static void load_on(project_records *r, rk_store *st, const link_setup *su, int threads)
{
    int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    assert_int_equal(link_records_load(r, st, su), RK_OK);
    omp_set_num_threads(saved);
}

static void loads_alike_on_one_thread_and_two(void **state)
{
    fx *f = *state;
    add_many(f->st);
    link_setup *su = calloc(1, sizeof(*su));
    assert_non_null(su);
    assert_int_equal(link_setup_make(su, f->st, NULL, false), RK_OK);
    project_records one, two;
    load_on(&one, f->st, su, 1);
    load_on(&two, f->st, su, 2);
    const rk_link_data *a = &one.data, *b = &two.data;
    assert_int_equal(a->nrecords, LOAD_RECORDS);
    assert_int_equal(b->nrecords, LOAD_RECORDS);
    assert_int_equal(a->nlists, 2);
    assert_int_equal(b->nlists, 2);
    assert_memory_equal(a->list, b->list, LOAD_RECORDS * sizeof(uint32_t));
    assert_memory_equal(one.record_id, two.record_id, LOAD_RECORDS * sizeof(int64_t));
    for (size_t i = 0; i < LOAD_RECORDS; i++) {
        assert_int_equal(one.record_id[i], (int64_t)i + 1);
        assert_string_equal(one.record_key[i], two.record_key[i]);
    }
    assert_int_equal(a->nfields, b->nfields);
    size_t keyed = 0, dated = 0;
    for (size_t fi = 0; fi < a->nfields; fi++) {
        const rk_link_column *x = &a->fields[fi], *y = &b->fields[fi];
        if (x->type == RK_LINK_DATE) {
            assert_memory_equal(x->dates, y->dates, LOAD_RECORDS * sizeof(rk_link_date));
            for (size_t i = 0; i < LOAD_RECORDS; i++)
                dated += x->dates[i].lo <= x->dates[i].hi;
            continue;
        }
        assert_int_equal(x->nkeys, y->nkeys);
        assert_int_equal(x->text.len, y->text.len);
        assert_memory_equal(x->key_start, y->key_start, (LOAD_RECORDS + 1) * sizeof(uint32_t));
        if (x->nkeys) {
            assert_memory_equal(x->key_text, y->key_text, x->nkeys * sizeof(uint32_t));
            assert_memory_equal(x->key_tag, y->key_tag, x->nkeys);
        }
        assert_memory_equal(x->text.data, y->text.data, x->text.len);
        keyed += x->nkeys;
    }
    /* the load parsed something: names keyed, dates read from dates and ages */
    assert_true(keyed > LOAD_RECORDS);
    assert_true(dated > LOAD_RECORDS / 2);
    /* and each record's date is its own, through every batch and round */
    int birth = link_setup_field_index(su, "birth");
    assert_true(birth >= 0);
    for (size_t i = 0; i < LOAD_RECORDS; i++) {
        int64_t id = one.record_id[i];
        rk_link_date want = id % 4 == 0 ? rk_link_date_ymd(1900 + (int)(id % 90),
                                                           1 + (int)(id % 12), 1 + (int)(id % 28))
                                        : a->fields[birth].dates[i];
        assert_memory_equal(&a->fields[birth].dates[i], &want, sizeof(want));
        assert_int_equal(a->list[i], id % 2 == 0 ? 1 : 0); /* lists in the order first met */
    }
    link_records_release(&one);
    link_records_release(&two);
    free(su);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(years_are_the_percentiles_sql_gave, setup, teardown),
        cmocka_unit_test_setup_teardown(no_date_of_death_gives_no_years, setup, teardown),
        cmocka_unit_test_setup_teardown(lists_writing_h_and_never_f, setup, teardown),
        cmocka_unit_test_setup_teardown(loads_alike_on_one_thread_and_two, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
