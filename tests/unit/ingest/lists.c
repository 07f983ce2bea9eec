/* Reading back lists, imports and problems (rk_ingest_lists, rk_ingest_problems) from a project
 * filled by rk_import_file: provenance, superseded imports, current records, the values a
 * lenient import kept raw, and no leak or half-filled result when an allocation fails. */
#include "test_project.h"
#include "store/store_internal.h"

#include <sqlite3.h>

typedef rk_test_project fx;

static int setup(void **state)
{
    fx *f = rk_test_project_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

/* Imports `content` as list `list` (with a description), leniently, replacing earlier imports. */
static void import(fx *f, const char *list, const char *content)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.csv", f->dir, list);
    rk_test_write_file(path, content);
    rk_mapping m;
    rk_mapping_init(&m);
    m.list = rk_strdup(list);
    assert_int_equal(rk_mapping_put(&m, &f->ctx, "description", "the list of a", NULL, 0), RK_OK);
    assert_int_equal(rk_mapping_put(&m, &f->ctx, "column.id", "id", NULL, 0), RK_OK);
    assert_int_equal(rk_mapping_put(&m, &f->ctx, "column.full_name", "name", NULL, 0), RK_OK);
    assert_int_equal(rk_mapping_put(&m, &f->ctx, "column.age", "age", NULL, 0), RK_OK);
    rk_import_options opts = RK_IMPORT_OPTIONS_INIT;
    opts.mapping = &m;
    opts.lenient = true;
    opts.replace = true;
    rk_import_result res;
    assert_int_equal(rk_import_file(&res, f->st, &opts, path), RK_OK);
    rk_mapping_release(&m);
}

static void test_an_empty_project_has_no_lists_and_no_problems(void **state)
{
    fx *f = *state;
    rk_list_info *lists = (rk_list_info *)1;
    rk_import_problem *ps = (rk_import_problem *)1;
    size_t n = 9;
    assert_int_equal(rk_ingest_lists(&lists, &n, f->st), RK_OK);
    assert_null(lists);
    assert_int_equal(n, 0);
    n = 9;
    assert_int_equal(rk_ingest_problems(&ps, &n, f->st), RK_OK);
    assert_null(ps);
    assert_int_equal(n, 0);
}

static void test_lists_show_every_import_and_the_current_records(void **state)
{
    fx *f = *state;
    import(f, "a", "id,name,age\n1,Ann,40\n2,Bob,old\n3,Cy,33\n");
    import(f, "a", "id,name,age\n1,Ann,40\n2,Bob,old\n");
    import(f, "b", "id,name,age\n1,Dan,7\n");
    rk_list_info *lists = NULL;
    size_t n = 0;
    assert_int_equal(rk_ingest_lists(&lists, &n, f->st), RK_OK);
    assert_int_equal(n, 2);
    assert_string_equal(lists[0].name, "a");
    assert_string_equal(lists[0].description, "the list of a");
    assert_int_equal(lists[0].records, 2); /* the second import replaced the first */
    assert_int_equal(lists[0].nimports, 2);
    const rk_import_info *first = &lists[0].imports[0], *second = &lists[0].imports[1];
    assert_int_equal(first->rows, 3);
    assert_int_equal(first->superseded_by, second->id);
    assert_int_equal(second->superseded_by, 0);
    assert_int_equal(second->rows, 2);
    assert_int_equal(second->problems, 1);
    assert_int_equal(second->bytes, 31);
    assert_string_equal(second->file_name, "a.csv");
    assert_int_equal(strlen(second->sha256), 64);
    assert_true(strlen(second->time) > 0);
    assert_string_equal(lists[1].name, "b");
    assert_int_equal(lists[1].records, 1);
    assert_int_equal(lists[1].nimports, 1);
    assert_int_equal(lists[1].imports[0].problems, 0);
    rk_ingest_lists_free(lists, n);
    /* A list without a description has none (NULL), not an empty one. */
    assert_int_equal(sqlite3_exec(rk_store__db(f->st),
                                  "UPDATE list SET description = NULL WHERE name = 'b'", NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    assert_int_equal(rk_ingest_lists(&lists, &n, f->st), RK_OK);
    assert_null(lists[1].description);
    rk_ingest_lists_free(lists, n);
}

static void test_problems_name_the_list_file_place_and_reason(void **state)
{
    fx *f = *state;
    import(f, "a", "id,name,age\n1,Ann,40\n2,Bob,old\n");
    rk_import_problem *ps = NULL;
    size_t n = 0;
    assert_int_equal(rk_ingest_problems(&ps, &n, f->st), RK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ps[0].list, "a");
    assert_string_equal(ps[0].file, "a.csv");
    assert_int_equal(ps[0].line, 3);
    assert_int_equal(ps[0].column, 7);
    assert_string_equal(ps[0].role, "age");
    assert_string_equal(ps[0].value, "old");
    assert_non_null(strstr(ps[0].reason, "old"));
    assert_null(ps[0].sheet);
    assert_string_equal(ps[0].place, "a.csv:3:7");
    rk_ingest_problems_free(ps, n);
}

static void test_a_failed_allocation_leaves_nothing_behind(void **state)
{
    fx *f = *state;
    import(f, "a", "id,name,age\n1,Ann,40\n2,Bob,old\n");
    import(f, "b", "id,name,age\n1,Dan,7\n");
    bool lists_done = false, problems_done = false;
    for (long nth = 1; !(lists_done && problems_done); nth++) {
        assert_true(nth < 100000);
        rk_list_info *lists = NULL;
        rk_import_problem *ps = NULL;
        size_t n = 7;
        if (!lists_done) {
            rk_fault_arm(RK_FAULT_ALLOC, nth);
            int rc = rk_ingest_lists(&lists, &n, f->st);
            lists_done = rc == RK_OK; /* it succeeds once nth is past its last allocation */
            rk_fault_arm(RK_FAULT_ALLOC, 0);
            if (rc == RK_OK) {
                assert_int_equal(n, 2);
                rk_ingest_lists_free(lists, n);
            } else {
                assert_int_equal(rc, RK_ENOMEM);
                assert_null(lists);
                assert_int_equal(n, 0);
            }
        }
        if (!problems_done) {
            n = 7;
            rk_fault_arm(RK_FAULT_ALLOC, nth);
            int rc = rk_ingest_problems(&ps, &n, f->st);
            problems_done = rc == RK_OK;
            rk_fault_arm(RK_FAULT_ALLOC, 0);
            if (rc == RK_OK) {
                assert_int_equal(n, 1);
                rk_ingest_problems_free(ps, n);
            } else {
                assert_int_equal(rc, RK_ENOMEM);
                assert_null(ps);
                assert_int_equal(n, 0);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_an_empty_project_has_no_lists_and_no_problems, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lists_show_every_import_and_the_current_records, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_problems_name_the_list_file_place_and_reason, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_allocation_leaves_nothing_behind, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
