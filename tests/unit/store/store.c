/* Unit tests of the project file: creation, reopening, refusal of newer schemas, the event
 * chain and its verification. */
#include "test_project.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

static void create_makes_a_private_file_with_one_event(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/p.rkp", dir);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_store *st = NULL;
    assert_int_equal(rk_store_create(&st, &ctx, path), RK_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    rk_verify_report rep;
    assert_int_equal(rk_store_verify(&rep, st), RK_OK);
    assert_int_equal(rep.events, 1);
    assert_int_equal(rep.first_bad, 0);
    rk_store_free(st);
    /* A second create refuses the existing file. */
    assert_int_equal(rk_store_create(&st, &ctx, path), RK_EEXISTS);
    assert_null(st);
    rk_ctx_release(&ctx);
    rk_test_tmpdir_remove(dir);
}

static void events_chain_and_tampering_is_found(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/p.rkp", dir);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_store *st = NULL;
    assert_int_equal(rk_store_create(&st, &ctx, path), RK_OK);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(rk_store_begin(st), RK_OK);
        int64_t id = 0;
        assert_int_equal(rk_store_log_event(st, "note", "{\"n\":1}", &id), RK_OK);
        assert_int_equal(id, i + 2);
        assert_int_equal(rk_store_commit(st), RK_OK);
    }
    rk_verify_report rep;
    assert_int_equal(rk_store_verify(&rep, st), RK_OK);
    assert_int_equal(rep.events, 6);
    assert_int_equal(rep.first_bad, 0);
    /* The log refuses updates; with the trigger gone, an edit breaks the chain at that event. */
    assert_int_not_equal(rk_store__exec(st, "UPDATE event SET payload = '{}' WHERE id = 4"), RK_OK);
    assert_int_equal(rk_store__exec(st, "DROP TRIGGER event_no_update"), RK_OK);
    assert_int_equal(rk_store__exec(st, "UPDATE event SET payload = '{\"n\":2}' WHERE id = 4"),
                     RK_OK);
    assert_int_equal(rk_store_verify(&rep, st), RK_OK);
    assert_int_equal(rep.first_bad, 4);
    rk_store_free(st);
    rk_ctx_release(&ctx);
    rk_test_tmpdir_remove(dir);
}

static void newer_schema_is_refused(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/p.rkp", dir);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_store *st = NULL;
    assert_int_equal(rk_store_create(&st, &ctx, path), RK_OK);
    assert_int_equal(rk_store__exec(st, "PRAGMA user_version = 1000"), RK_OK);
    rk_store_free(st);
    assert_int_equal(rk_store_open(&st, &ctx, path, RK_STORE_READWRITE), RK_EVERSION);
    assert_null(st);
    assert_non_null(strstr(ctx.err.message, "newer reckon"));
    assert_int_equal(rk_store_open(&st, &ctx, "/nonexistent/p.rkp", 0), RK_ENOTFOUND);
    rk_ctx_release(&ctx);
    rk_test_tmpdir_remove(dir);
}

static void create_keeps_the_page_cache_at_16_mib(void **state)
{
    (void)state;
    /* New projects have 16 KiB pages, and the connection that made one keeps its cache to
     * 16 MiB however much a transaction writes (SQLite sizes a cache in pages, and would keep
     * the page count computed for the old page size: 64 MiB). */
    char *dir = rk_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/p.rkp", dir);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_store *st = NULL;
    assert_int_equal(rk_store_create(&st, &ctx, path), RK_OK);
    sqlite3 *db = rk_store__db(st);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 16384);
    sqlite3_finalize(q);
    assert_int_equal(rk_store_begin(st), RK_OK);
    assert_int_equal(rk_store__exec(st, "CREATE TABLE t(x);"
                                        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1"
                                        " FROM c WHERE i < 2000) INSERT INTO t"
                                        " SELECT randomblob(16000) FROM c"),
                     RK_OK);
    int used = 0, high = 0;
    assert_int_equal(sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_USED, &used, &high, 0), SQLITE_OK);
    assert_true(used > 8 << 20);
    assert_true(used < 20 << 20);
    rk_store_rollback(st);
    rk_store_free(st);
    rk_ctx_release(&ctx);
    rk_test_tmpdir_remove(dir);
}

static int foreign_keys_enforced(rk_store *st)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(rk_store__db(st), "PRAGMA foreign_keys", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int on = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return on;
}

static void an_unchecked_transaction_skips_foreign_keys_until_it_ends(void **state)
{
    (void)state;
    /* rk_store__begin_unchecked lifts the foreign-key look-ups for its transaction only:
     * committed or rolled back, the next transaction refuses a reference to no row again. */
    rk_test_project *p = rk_test_project_new();
    rk_store *st = p->st;
    const char *dangling = "INSERT INTO link_run(id, time, reckon_version, config, model, seed,"
                           " threshold, review_low, review_high, stats) VALUES (1, 't', '0', '{}',"
                           " '{}', 1, 0.5, 0.2, 0.8, '{}'); INSERT INTO person(run_id, record_id,"
                           " person_id) VALUES (1, 99, 99)";
    for (int commit = 0; commit < 2; commit++) {
        assert_int_equal(rk_store__begin_unchecked(st), RK_OK);
        assert_int_equal(foreign_keys_enforced(st), 0);
        assert_int_equal(rk_store__exec(st, dangling), RK_OK); /* record 99 does not exist */
        if (commit) {
            /* not logged: the commit refuses it, and rolls back */
            assert_int_equal(rk_store_commit(st), RK_EINTERNAL);
        } else {
            rk_store_rollback(st);
        }
        assert_int_equal(foreign_keys_enforced(st), 1);
        assert_int_equal(rk_store_begin(st), RK_OK);
        assert_int_equal(rk_store__exec(st, dangling), RK_ESTORE);
        rk_store_rollback(st);
    }
    /* and a commit that succeeds ends the exemption too */
    assert_int_equal(rk_store__begin_unchecked(st), RK_OK);
    assert_int_equal(rk_store_commit(st), RK_OK);
    assert_int_equal(foreign_keys_enforced(st), 1);
    rk_test_project_free(p);
}

/* A hasher in this process and on this thread: each batch hashed as it is given. It checks the
 * batching whatever the number of processors. */
static int hash_now(void *arg, const unsigned char *batch, size_t n)
{
    rk_store_row_sums *sums = arg;
    assert_true(n > 0 && n <= RK_STORE_BATCH_BYTES);
    return rk_store__rows_hash(sums, batch, n);
}

static int hashed_now(void *arg, rk_store_row_sums *sums)
{
    rk_store__row_sums_add(sums, arg);
    return RK_OK;
}

/* Whether rk_store__hash_rows_beside starts its thread here. */
static bool spare_processor(void)
{
    return sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

enum { BY_WRITER, BY_HASHER, BESIDE };

/* Writes the same rows in one transaction: a link run with a config longer than a kept row (hashed
 * by the writer), 120,000 persons (several batches of a mebibyte, more than the thread's queue
 * holds), 3,000 of them updated and 2,000 deleted (hashes taken away), hashed by the writer, by a
 * hasher on this thread or on the thread beside. Returns the state the event recorded. */
static char *write_rows(rk_store *st, int how)
{
    rk_store_row_sums mine;
    memset(&mine, 0, sizeof(mine));
    rk_store_row_hasher now = {.give = hash_now, .finish = hashed_now, .arg = &mine};
    assert_int_equal(rk_store__begin_unchecked(st), RK_OK);
    if (how == BY_HASHER)
        assert_true(rk_store__hash_rows_with(st, &now));
    if (how == BESIDE)
        assert_int_equal(rk_store__hash_rows_beside(st), spare_processor());
    rk_test_exec(st, "INSERT INTO link_run(id, time, reckon_version, config, model, seed,"
                     " threshold, review_low, review_high, stats) VALUES (1, 't', '0',"
                     " printf('{\"x\":\"%.*c\"}', 70000, 'a'), '{}', 1, 0.5, 0.2, 0.8, '{}');"
                     " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                     " WHERE i < 120000) INSERT INTO person(run_id, record_id, person_id)"
                     " SELECT 1, i, i / 3 FROM n;"
                     " UPDATE person SET person_id = -person_id WHERE record_id % 40 = 0;"
                     " DELETE FROM person WHERE record_id % 60 = 1;");
    assert_int_equal(rk_store_log_event(st, "test", "{}", NULL), RK_OK);
    assert_int_equal(rk_store_commit(st), RK_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(rk_store__db(st),
                                        "SELECT state FROM event ORDER BY id DESC LIMIT 1", -1, &q,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char *state = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    rk_verify_report rep;
    assert_int_equal(rk_store_verify(&rep, st), RK_OK);
    assert_int_equal(rep.first_bad, 0);
    return state;
}

static void rows_hashed_elsewhere_make_the_state_the_writer_makes(void **state)
{
    (void)state;
    /* The audit chain's state digest must not depend on where the rows were hashed. */
    rk_test_project *p[3];
    char *made[3];
    for (int how = 0; how < 3; how++) {
        p[how] = rk_test_project_new();
        made[how] = write_rows(p[how]->st, how);
    }
    assert_string_equal(made[BY_WRITER], made[BY_HASHER]);
    assert_string_equal(made[BY_WRITER], made[BESIDE]);
    rk_store *st = p[BESIDE]->st;
    /* Rolled back: the thread ends, its rows are forgotten, and the next transaction's state
     * is the writer's own. */
    assert_int_equal(rk_store_begin(st), RK_OK);
    assert_int_equal(rk_store__hash_rows_beside(st), spare_processor());
    rk_test_exec(st, "DELETE FROM person WHERE record_id < 50000");
    rk_store_rollback(st);
    assert_int_equal(rk_store_begin(st), RK_OK);
    assert_int_equal(rk_store__hash_rows_beside(st), spare_processor());
    assert_false(rk_store__hash_rows_beside(st)); /* one hasher at a time */
    rk_test_exec(st, "DELETE FROM person WHERE record_id < 100");
    assert_int_equal(rk_store_log_event(st, "test", "{}", NULL), RK_OK);
    assert_int_equal(rk_store_commit(st), RK_OK);
    rk_verify_report rep;
    assert_int_equal(rk_store_verify(&rep, st), RK_OK);
    assert_int_equal(rep.first_bad, 0);
    for (int how = 0; how < 3; how++) {
        free(made[how]);
        rk_test_project_free(p[how]);
    }
}

static void digest_matches_its_query(void **state)
{
    (void)state;
    /* rk_digest_* as a writer uses them must equal what verify recomputes from rows. */
    rk_digest a;
    char h1[65], h2[65];
    assert_int_equal(rk_digest_init(&a), RK_OK);
    rk_digest_text(&a, "x", 1);
    rk_digest_int(&a, -42);
    rk_digest_null(&a);
    rk_digest_end_row(&a);
    rk_digest_final_hex(&a, h1);
    rk_sha256 s;
    assert_int_equal(rk_sha256_init(&s), RK_OK);
    const char canon[] = "tx\x1fi-42\x1fn\x1f\x1e";
    rk_sha256_update(&s, canon, sizeof(canon) - 1);
    rk_sha256_final_hex(&s, h2);
    assert_string_equal(h1, h2);
}

static void digest_is_the_same_across_its_batches(void **state)
{
    (void)state;
    /* Values of every length around the 8 KiB batch, digested one by one, must hash as their
     * canonical text in one piece. */
    rk_digest a;
    rk_buf canon;
    rk_buf_init(&canon);
    assert_int_equal(rk_digest_init(&a), RK_OK);
    char *v = rk_malloc(20000);
    assert_non_null(v);
    memset(v, 'v', 20000);
    for (size_t n = 0; n < 20000; n += n < 50 ? 1 : 997) {
        rk_digest_text(&a, v, n);
        rk_digest_int(&a, (int64_t)n);
        rk_digest_end_row(&a);
        rk_buf_putc(&canon, 't');
        rk_buf_append(&canon, v, n);
        rk_buf_printf(&canon, "\x1fi%zu\x1f\x1e", n);
    }
    char h1[65], h2[65];
    rk_digest_final_hex(&a, h1);
    rk_sha256 s;
    assert_int_equal(rk_sha256_init(&s), RK_OK);
    rk_sha256_update(&s, canon.data, canon.len);
    rk_sha256_final_hex(&s, h2);
    assert_string_equal(h1, h2);
    rk_sha256_release(&s);
    rk_digest_release(&a);
    rk_free(v);
    rk_buf_release(&canon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_makes_a_private_file_with_one_event),
        cmocka_unit_test(events_chain_and_tampering_is_found),
        cmocka_unit_test(newer_schema_is_refused),
        cmocka_unit_test(create_keeps_the_page_cache_at_16_mib),
        cmocka_unit_test(an_unchecked_transaction_skips_foreign_keys_until_it_ends),
        cmocka_unit_test(rows_hashed_elsewhere_make_the_state_the_writer_makes),
        cmocka_unit_test(digest_matches_its_query),
        cmocka_unit_test(digest_is_the_same_across_its_batches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
