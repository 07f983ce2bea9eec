/* The claims ledger and documented counts, on a project built by SQL inserts: counts per
 * category and group over linked persons (majority of records, ties to the first list),
 * estimate matching, the standing of a claim, and the audit events of add and remove. */
#include "test_project.h"

typedef rk_test_project fx;

/* Two lists. Persons (run 1): P1 = records 1 (list a: F, killed, age 10) + 2 (list b: female,
 * killed); P3 = 3 (a: M, killed, born 1930, died 1992) + 4 (b: ж, missing): a tie of categories
 * and sexes, won by list a; P5 = 5 (b: qadın, hostage, age 40) alone. */
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
        " record_key, raw, sex, age, birth_year, death_date, violation, region) VALUES"
        " (1, 1, 1, 1, 2, 0, 1, 'a:1', '[]', 'F', 10, NULL, NULL, 'killed', 'North'),"
        " (2, 2, 2, 1, 2, 0, 1, 'b:1', '[]', 'female', NULL, NULL, NULL, 'Killed', 'North'),"
        " (3, 1, 1, 2, 3, 0, 1, 'a:2', '[]', 'M', NULL, 1930, '1992-05-01', 'killed', 'South'),"
        " (4, 2, 2, 2, 3, 0, 1, 'b:2', '[]', 'ж', NULL, NULL, NULL, 'missing', 'South'),"
        " (5, 2, 2, 3, 4, 0, 1, 'b:3', '[]', 'qadın', 40, NULL, NULL, 'hostage', 'North');");
    *state = f;
    return 0;
}

/* A project with no data: the audit chain holds only what the claims log. */
static int setup_empty(void **state)
{
    fx *f = rk_test_project_new();
    *state = f;
    return 0;
}

static void add_run(fx *f)
{
    rk_test_exec(f->st,
                 "INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold,"
                 " review_low, review_high, stats) VALUES (1, 't', '0', '{}', '{}', 1, 0.9, 0.5,"
                 " 0.9, '{}');"
                 "INSERT INTO person(run_id, record_id, person_id) VALUES (1, 1, 1), (1, 2, 1),"
                 " (1, 3, 3), (1, 4, 3), (1, 5, 5);");
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

static int64_t add(fx *f, const char *category, const char *group, int64_t value)
{
    rk_claim_spec c = {.source = "Ministry", .category = category, .group = group, .value = value};
    int64_t id = 0;
    assert_int_equal(rk_claim_add(&id, f->st, &c), RK_OK);
    return id;
}

static rk_claim_row *list(fx *f, size_t *n, rk_link_documented *basis)
{
    rk_count_options o = RK_COUNT_OPTIONS_INIT;
    rk_claim_row *rows = NULL;
    assert_int_equal(rk_claim_list(&rows, n, basis, f->st, &o, false), RK_OK);
    return rows;
}

static void test_standing_in_words(void **state)
{
    (void)state;
    assert_int_equal(rk_claim_standing(5, 10, true, 20, 30), RK_STANDING_BELOW_DOCUMENTED);
    assert_int_equal(rk_claim_standing(15, 10, true, 20, 30), RK_STANDING_BELOW_LOWER);
    assert_int_equal(rk_claim_standing(20, 10, true, 20, 30), RK_STANDING_WITHIN_INTERVAL);
    assert_int_equal(rk_claim_standing(30, 10, true, 20, 30), RK_STANDING_WITHIN_INTERVAL);
    assert_int_equal(rk_claim_standing(31, 10, true, 20, 30), RK_STANDING_ABOVE_INTERVAL);
    assert_int_equal(rk_claim_standing(10, 10, false, 0, 0), RK_STANDING_EQUAL_DOCUMENTED);
    assert_int_equal(rk_claim_standing(11, 10, false, 0, 0), RK_STANDING_ABOVE_DOCUMENTED);
    assert_string_equal(rk_claim_standing_text(RK_STANDING_BELOW_LOWER),
                        "between documented and the estimate's lower bound");
    assert_string_equal(rk_claim_standing_code(RK_STANDING_WITHIN_INTERVAL), "within_interval");
}

static void test_vocabulary_is_folded(void **state)
{
    (void)state;
    char out[64];
    rk_report_category_class(out, sizeof(out), " Hostage ");
    assert_string_equal(out, "detained");
    rk_report_category_class(out, sizeof(out), "missing");
    assert_string_equal(out, "disappeared");
    rk_report_category_class(out, sizeof(out), "looted");
    assert_string_equal(out, "looted");
    assert_int_equal(rk_report_sex_class("qadın"), 'F');
    assert_int_equal(rk_report_sex_class("Ж"), 'F');
    assert_int_equal(rk_report_sex_class("kişi"), 'M');
    assert_int_equal(rk_report_sex_class("hombre"), 'M');
    assert_int_equal(rk_report_sex_class("?"), 0);
}

static void test_without_a_run_each_record_is_a_person(void **state)
{
    fx *f = *state;
    add(f, "killed", NULL, 3);
    add(f, "killed", "women", 1);
    size_t n;
    rk_link_documented b;
    rk_claim_row *rows = list(f, &n, &b);
    assert_int_equal(b.run_id, 0);
    assert_int_equal(b.persons, 5);
    assert_int_equal(rows[0].documented, 3);
    assert_int_equal(rows[1].documented, 2);
    assert_int_equal(rows[0].standing, RK_STANDING_EQUAL_DOCUMENTED);
    rk_claim_list_free(rows, n);
}

static void test_persons_take_the_majority_ties_to_the_first_list(void **state)
{
    fx *f = *state;
    add_run(f);
    add(f, "killed", NULL, 613);     /* P1, P3 (tie killed/missing: list a says killed) */
    add(f, "killed", "women", 1);    /* P1 */
    add(f, "killed", "men", 1);      /* P3 (tie M/ж: list a) */
    add(f, "killed", "children", 0); /* P1: age 10 */
    add(f, "killed", "elderly", 1);  /* P3: 1992 - 1930 = 62 */
    add(f, "hostage", NULL, 1275);   /* P5 counts as detained */
    add(f, "missing", NULL, 1);      /* nobody: P3 is killed */
    size_t n;
    rk_link_documented b;
    rk_claim_row *rows = list(f, &n, &b);
    assert_int_equal(n, 7);
    assert_int_equal(b.run_id, 1);
    assert_int_equal(b.persons, 3);
    int64_t want[] = {2, 1, 1, 1, 1, 1, 0};
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rows[i].documented, want[i]);
    assert_int_equal(rows[3].standing, RK_STANDING_BELOW_DOCUMENTED);
    assert_int_equal(rows[0].standing, RK_STANDING_ABOVE_DOCUMENTED);
    rk_claim_list_free(rows, n);
}

static void test_strata_and_estimates_match_the_same_population(void **state)
{
    fx *f = *state;
    add_run(f);
    rk_test_exec(f->st,
                 "INSERT INTO estimate(time, method, stratum, lists, config, observed, estimate,"
                 " lower, upper, status, capture, result) VALUES ('t', 'lcmcr',"
                 " '{\"violation\":\"killed\",\"sex\":\"F\"}', '[]', '{}', 1, 5, 3, 9, 'ok', '{}',"
                 " '{}'), ('t', 'lcmcr', '{\"violation\":\"killed\"}', '[]', '{}', 2, 9, 4, 20,"
                 " 'ok', '{}', '{}');");
    add(f, "killed", "women", 4);
    add(f, "killed", NULL, 30);
    const char *fields[] = {"region"}, *values[] = {"North"};
    rk_claim_spec c = {.source = "s",
                       .category = "killed",
                       .stratum_fields = fields,
                       .stratum_values = values,
                       .nstratum = 1,
                       .value = 1};
    assert_int_equal(rk_claim_add(NULL, f->st, &c), RK_OK);
    size_t n;
    rk_claim_row *rows = list(f, &n, NULL);
    assert_true(rows[0].has_estimate);
    assert_int_equal((int)rows[0].lower, 3);
    assert_int_equal(rows[0].standing, RK_STANDING_WITHIN_INTERVAL);
    assert_true(rows[1].has_estimate);
    assert_int_equal(rows[1].standing, RK_STANDING_ABOVE_INTERVAL);
    assert_false(rows[2].has_estimate);
    assert_int_equal(rows[2].documented, 1); /* P1 is in North */
    rk_claim_list_free(rows, n);
}

static void test_bad_claims_are_refused(void **state)
{
    fx *f = *state;
    rk_claim_spec c = {.source = "s", .category = "killed", .group = "soldiers", .value = 1};
    assert_int_equal(rk_claim_add(NULL, f->st, &c), RK_EINPUT);
    c.group = NULL, c.source = " ";
    assert_int_equal(rk_claim_add(NULL, f->st, &c), RK_EINPUT);
    c.source = "s", c.value = -1;
    assert_int_equal(rk_claim_add(NULL, f->st, &c), RK_EINPUT);
    assert_int_equal(rk_claim_remove(f->st, 99), RK_ENOTFOUND);
}

static void test_add_and_remove_are_in_the_audit_chain(void **state)
{
    fx *f = *state;
    int64_t id = add(f, "killed", NULL, 613);
    assert_int_equal(rk_claim_remove(f->st, id), RK_OK);
    assert_int_equal(rk_claim_remove(f->st, id), RK_EINPUT);
    rk_verify_report v;
    assert_int_equal(rk_store_verify(&v, f->st), RK_OK);
    assert_int_equal(v.first_bad, 0);
    assert_int_equal(v.events, 3); /* init, claim, claim-remove */
    size_t n;
    rk_claim_row *rows = list(f, &n, NULL);
    assert_int_equal(n, 0);
    rk_claim_list_free(rows, n);
    rk_test_exec(f->st, "UPDATE claim SET value = 6130");
    assert_int_equal(rk_store_verify(&v, f->st), RK_OK);
    assert_int_equal(v.first_bad, 3); /* the last event that changed the table */
    assert_string_equal(v.table, "claim");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standing_in_words),
        cmocka_unit_test(test_vocabulary_is_folded),
        cmocka_unit_test_setup_teardown(test_without_a_run_each_record_is_a_person, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_persons_take_the_majority_ties_to_the_first_list,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_strata_and_estimates_match_the_same_population, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_claims_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_and_remove_are_in_the_audit_chain, setup_empty,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
