/* Unit tests of the partitions of a stored run (rk_link__draw_partitions,
 * rk_link__threshold_partition): the draws of a three-record component against the
 * probabilities computed by hand, a record alone, the latest decisions and a unique list
 * always honoured, the same seed the same draws, a threshold partition that is the run's
 * persons (on a project built by SQL, and on the example lists imported and linked at 0.5),
 * and no leak or half-filled result when an allocation fails. */
#include "test_project.h"
#include "link/link_internal.h"

#include <math.h>

typedef rk_test_project fx;

/* Lists a (unique) and b; run 1 (threshold 0.5, pair floor 0.01):
 *   1 (a), 2 (b), 3 (b): 1-2 at 0.9, 2-3 at 0.9, 1-3 not stored: the hand-computed case;
 *   4 (a): no pair;
 *   5 (a), 6 (b): 0.95;
 *   7 (a), 8 (a): 0.99, but list a holds no duplicates;
 *   9 (b), 10 (b): 0.02, and a reviewer said they match;
 *   11 (b), 12 (b): 0.99, and a reviewer said they match, then that they do not.
 * The persons are those rk_link_cluster gives at 0.5. */
static int setup(void **state)
{
    fx *f = rk_test_project_new();
    rk_test_exec(
        f->st,
        "INSERT INTO list(id, name, created) VALUES (1, 'a', 't'), (2, 'b', 't');"
        "INSERT INTO import(id, list_id, file_name, file_sha256, bytes, rows, header, mapping,"
        " reckon_version, time) VALUES (1, 1, 'a.csv', 'x', 1, 5, '[]', '{}', '0', 't'),"
        " (2, 2, 'b.csv', 'y', 1, 7, '[]', '{}', '0', 't');"
        "WITH RECURSIVE r(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM r WHERE id < 12)"
        " INSERT INTO record(id, list_id, import_id, row_number, line, byte_offset,"
        " byte_length, record_key, raw) SELECT id, CASE WHEN id IN (1, 4, 5, 7, 8) THEN 1"
        " ELSE 2 END, CASE WHEN id IN (1, 4, 5, 7, 8) THEN 1 ELSE 2 END, id, id + 1, 0, 1,"
        " 'k' || id, '[]' FROM r;"
        "INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold,"
        " review_low, review_high, stats) VALUES (1, 't', '0', '{\"cannot_link\":0.01,"
        " \"bridge_min_mean\":0.3,\"unique\":\"a\",\"pair_floor\":0.01}', '{}', 1, 0.5, 0.2,"
        " 0.8, '{}');"
        "INSERT INTO pair_vector(run_id, id, levels) VALUES (1, 1, '[]');"
        "INSERT INTO pair(run_id, record_a, record_b, weight, probability, vector, status) VALUES "
        "(1, 1, 2, 3, 0.9, 1, 'linked'),"
        " (1, 2, 3, 3, 0.9, 1, 'linked'), (1, 5, 6, 4, 0.95, 1, 'linked'),"
        " (1, 7, 8, 6, 0.99, 1, 'review'), (1, 9, 10, -5, 0.02, 1, 'linked'),"
        " (1, 11, 12, 6, 0.99, 1, 'unlinked');"
        "INSERT INTO person(run_id, record_id, person_id) VALUES (1, 1, 1), (1, 2, 1),"
        " (1, 3, 1), (1, 4, 4), (1, 5, 5), (1, 6, 5), (1, 7, 7), (1, 8, 8), (1, 9, 9),"
        " (1, 10, 9), (1, 11, 11), (1, 12, 12);"
        "INSERT INTO decision(key_a, key_b, verdict, reviewer, time, run_id) VALUES"
        " ('k10', 'k9', 'match', 'T', 't', 1), ('k11', 'k12', 'match', 'T', 't', 1),"
        " ('k11', 'k12', 'non-match', 'T', 't', 1);");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

#define K 20000

/* The person of record `id` (ids 1..12 are at index id - 1) in draw d. */
static int64_t person(const rk_link__partitions *p, size_t d, int64_t id)
{
    return p->person[d * p->n + (size_t)(id - 1)];
}

/* Is the frequency f of K independent draws within 4.5 standard errors of p? A correct
 * sampler fails such a check with a chance below 1e-5 (the seed is fixed: the test is
 * deterministic, the tolerance is what lets a wrong distribution fail). */
static void near(double f, double p)
{
    double tol = 4.5 * sqrt(p * (1 - p) / K) + 1e-12;
    if (fabs(f - p) > tol)
        fprintf(stderr, "frequency %.5f, probability %.5f (tolerance %.5f)\n", f, p, tol);
    assert_true(fabs(f - p) <= tol);
}

/* Records 1, 2, 3 with odds 9 for 1-2 and 2-3, and 1-3 never stored (the floor's odds,
 * f = 0.01 / 0.99): {1}{2}{3} weighs 1, {1,2}{3} and {1}{2,3} 9 each, {1,2,3} 81 f, and
 * {1,3}{2} 0 (no stored pair ties 1 to 3): Z = 19 + 81 f. */
static void three_records_follow_the_hand_computed_probabilities(void **state)
{
    fx *f = *state;
    rk_link__partitions p;
    assert_int_equal(rk_link__draw_partitions(&p, f->st, 1, K, 7), RK_OK);
    assert_int_equal(p.n, 12);
    assert_int_equal(p.k, K);
    for (size_t i = 0; i < p.n; i++)
        assert_int_equal(p.records[i], (int64_t)i + 1);
    double odds_floor = 0.01 / 0.99, z = 19 + 81 * odds_floor;
    size_t apart = 0, ab = 0, bc = 0, ac = 0, all = 0;
    for (size_t d = 0; d < K; d++) {
        int64_t a = person(&p, d, 1), b = person(&p, d, 2), c = person(&p, d, 3);
        assert_int_equal(a, 1); /* named by their smallest record */
        apart += b == 2 && c == 3;
        ab += b == 1 && c == 3;
        bc += b == 2 && c == 2;
        ac += b == 2 && c == 1;
        all += b == 1 && c == 1;
    }
    assert_int_equal(apart + ab + bc + ac + all, K);
    near((double)apart / K, 1 / z);
    near((double)ab / K, 9 / z);
    near((double)bc / K, 9 / z);
    assert_int_equal(ac, 0);
    near((double)all / K, 81 * odds_floor / z);
    rk_link__partitions_release(&p);
}

/* A record without pairs is its own person in every draw; a pair at 0.95 alone is one person
 * in 95% of them (its odds 19 against 1); decisions and the unique list always hold. */
static void decisions_and_unique_lists_always_hold(void **state)
{
    fx *f = *state;
    rk_link__partitions p;
    assert_int_equal(rk_link__draw_partitions(&p, f->st, 1, K, 7), RK_OK);
    size_t together = 0;
    for (size_t d = 0; d < K; d++) {
        assert_int_equal(person(&p, d, 4), 4);
        together += person(&p, d, 6) == 5;
        assert_int_equal(person(&p, d, 7), 7); /* list a holds no duplicates */
        assert_int_equal(person(&p, d, 8), 8);
        assert_int_equal(person(&p, d, 10), 9);  /* a match, against a pair at 0.02 */
        assert_int_equal(person(&p, d, 12), 12); /* the latest decision: not a match */
    }
    near((double)together / K, 0.95);
    rk_link__partitions_release(&p);
}

static void the_same_seed_gives_the_same_draws(void **state)
{
    fx *f = *state;
    rk_link__partitions p, q, r;
    assert_int_equal(rk_link__draw_partitions(&p, f->st, 1, 200, 3), RK_OK);
    assert_int_equal(rk_link__draw_partitions(&q, f->st, 1, 200, 3), RK_OK);
    assert_int_equal(rk_link__draw_partitions(&r, f->st, 1, 200, 4), RK_OK);
    assert_memory_equal(p.person, q.person, 200 * p.n * sizeof(int64_t));
    assert_memory_not_equal(p.person, r.person, 200 * p.n * sizeof(int64_t));
    rk_link__partitions_release(&p);
    rk_link__partitions_release(&q);
    rk_link__partitions_release(&r);
    rk_link__partitions_release(NULL);
}

/* At the run's threshold, the partition is the run's persons; at 0.94, 1-2 and 2-3 (0.9)
 * no longer join while 5-6 (0.95) still does, and the decisions still hold. */
static void a_threshold_partition_clusters_the_stored_pairs(void **state)
{
    fx *f = *state;
    rk_link__partitions p;
    assert_int_equal(rk_link__threshold_partition(&p, f->st, 1, 0.5), RK_OK);
    assert_int_equal(p.k, 1);
    static const int64_t persons[12] = {1, 1, 1, 4, 5, 5, 7, 8, 9, 9, 11, 12};
    assert_memory_equal(p.person, persons, sizeof(persons));
    rk_link__partitions_release(&p);
    assert_int_equal(rk_link__threshold_partition(&p, f->st, 1, 0.94), RK_OK);
    static const int64_t strict[12] = {1, 2, 3, 4, 5, 5, 7, 8, 9, 9, 11, 12};
    assert_memory_equal(p.person, strict, sizeof(strict));
    rk_link__partitions_release(&p);
}

static void missing_runs_and_bad_thresholds_are_refused(void **state)
{
    fx *f = *state;
    rk_link__partitions p;
    assert_int_equal(rk_link__draw_partitions(&p, f->st, 9, 5, 1), RK_ENOTFOUND);
    assert_null(p.person);
    assert_int_equal(rk_link__threshold_partition(&p, f->st, 9, 0.5), RK_ENOTFOUND);
    assert_int_equal(rk_link__threshold_partition(&p, f->st, 1, 1.5), RK_EINPUT);
    assert_int_equal(rk_link__threshold_partition(&p, f->st, 1, NAN), RK_EINPUT);
    assert_int_equal(rk_link__draw_partitions(&p, f->st, 1, 0, 1), RK_OK);
    assert_int_equal(p.k, 0);
    assert_int_equal(p.n, 12);
    rk_link__partitions_release(&p);
}

static void a_failed_allocation_leaves_nothing(void **state)
{
    fx *f = *state;
    for (int which = 0; which < 2; which++)
        for (long nth = 1;; nth++) {
            assert_true(nth < 100000);
            rk_link__partitions p;
            rk_fault_arm(RK_FAULT_ALLOC, nth);
            int rc = which ? rk_link__threshold_partition(&p, f->st, 1, 0.5)
                           : rk_link__draw_partitions(&p, f->st, 1, 10, 1);
            rk_fault_arm(RK_FAULT_ALLOC, 0);
            if (rc == RK_OK) { /* nth is past the last allocation */
                assert_int_equal(p.n, 12);
                rk_link__partitions_release(&p);
                break;
            }
            assert_true(rc == RK_ENOMEM || rc == RK_ESTORE);
            assert_null(p.records);
            assert_null(p.person);
        }
}

/* ---- a project linked through the public API ---- */

static int setup_empty(void **state)
{
    *state = rk_test_project_new();
    return 0;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* The example lists imported as `reckon import --map examples/mapping.ini` does, and linked
 * at 0.5: the partition at 0.5 is the run's persons, and the draws name persons as the
 * person table does. */
static void the_threshold_partition_of_a_linked_project_is_its_persons(void **state)
{
    fx *f = *state;
    rk_mapping_set set;
    rk_mapping_set_init(&set);
    assert_int_equal(rk_mapping_file_read(&set, &f->ctx, RK_SOURCE_DIR "/examples/mapping.ini"),
                     RK_OK);
    for (size_t i = 0; i < set.count; i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", set.dir, set.lists[i].file);
        rk_text *text = NULL;
        assert_int_equal(rk_text_for_mapping(&text, &f->ctx, &set.lists[i]), RK_OK);
        rk_import_options io = RK_IMPORT_OPTIONS_INIT;
        io.mapping = &set.lists[i];
        io.standardize = rk_text_import_hook;
        io.standardize_user = text;
        rk_import_result ir;
        assert_int_equal(rk_import_file(&ir, f->st, &io, path), RK_OK);
        rk_text_free(text);
    }
    rk_mapping_set_release(&set);
    rk_link_project_options lo = RK_LINK_PROJECT_OPTIONS_INIT;
    lo.threshold = 0.5;
    rk_link_project_result lr;
    assert_int_equal(rk_link_project(&lr, f->st, &lo), RK_OK);

    rk_link__partitions p, d;
    assert_int_equal(rk_link__threshold_partition(&p, f->st, lr.run_id, 0.5), RK_OK);
    assert_int_equal(p.n, lr.records);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(rk_store__db(f->st),
                                        "SELECT record_id, person_id FROM person WHERE run_id = ?"
                                        " ORDER BY record_id",
                                        -1, &q, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(q, 1, lr.run_id);
    size_t persons = 0;
    for (size_t i = 0; i < p.n; i++) {
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(p.records[i], sqlite3_column_int64(q, 0));
        assert_int_equal(p.person[i], sqlite3_column_int64(q, 1));
        persons += p.person[i] == p.records[i];
    }
    assert_int_equal(sqlite3_step(q), SQLITE_DONE);
    sqlite3_finalize(q);
    assert_int_equal(persons, lr.persons);

    assert_int_equal(rk_link__draw_partitions(&d, f->st, lr.run_id, 5, 1), RK_OK);
    assert_memory_equal(d.records, p.records, p.n * sizeof(int64_t));
    for (size_t k = 0; k < d.k; k++) {
        const int64_t *lab = d.person + k * d.n;
        for (size_t i = 0; i < d.n; i++) { /* a record of the run, smallest of its person */
            assert_true(lab[i] <= d.records[i]);
            const int64_t *at = bsearch(&lab[i], d.records, d.n, sizeof(int64_t), cmp_i64);
            assert_non_null(at);
            assert_int_equal(lab[at - d.records], lab[i]);
        }
    }
    rk_link__partitions_release(&d);
    rk_link__partitions_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(three_records_follow_the_hand_computed_probabilities, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(decisions_and_unique_lists_always_hold, setup, teardown),
        cmocka_unit_test_setup_teardown(the_same_seed_gives_the_same_draws, setup, teardown),
        cmocka_unit_test_setup_teardown(a_threshold_partition_clusters_the_stored_pairs, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(missing_runs_and_bad_thresholds_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_failed_allocation_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(the_threshold_partition_of_a_linked_project_is_its_persons,
                                        setup_empty, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
