/* Benchmark of `reckon report`: builds a synthetic project of N records in five lists by direct
 * SQL inserts (records with sex, age, region and violation; a link run joining them into
 * persons; scored pairs; estimates; claims), then times rk_report_write and prints the time and
 * the size of the HTML (targets: <= 10 s and < 5 MB at 1,000,000 records).
 *   bench_report [RECORDS] */
#include "common.h"
#include "store/store_internal.h"

#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exec(rk_store *st, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(rk_store__db(st), sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "bench_report: %s\n", err);
        sqlite3_free(err);
        return 1;
    }
    return 0;
}

static int build(rk_store *st, long n)
{
    static const char *const sexes[] = {"M", "F", "kişi", "qadın", "м", "ж", ""};
    static const char *const violations[] = {"killed",      "killed",  "killed",
                                             "disappeared", "wounded", "detained"};
    if (exec(st, "BEGIN;"
                 "INSERT INTO list(id, name, created) VALUES (1,'ministry','t'),(2,'memorial','t'),"
                 "(3,'ngo','t'),(4,'press','t'),(5,'exhumations','t');"
                 "INSERT INTO import(id, list_id, file_name, file_sha256, bytes, rows, header,"
                 " mapping, reckon_version, time) SELECT id, id, name || '.csv', 'x', 0, 0, '[]',"
                 " '{}', '0', 't' FROM list;"
                 "INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold,"
                 " review_low, review_high, stats) VALUES (1, 't', '0', '{}', '{\"prior\":0.001}',"
                 " 1, 0.9, 0.5, 0.9, '{}');"))
        return 1;
    sqlite3_stmt *rec = NULL, *per = NULL, *pair = NULL;
    sqlite3 *db = rk_store__db(st);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO record(id, list_id, import_id, row_number, line,"
                           " byte_offset, byte_length, record_key, raw, full_name, sex, age,"
                           " region, place, violation) VALUES (?1, ?2, ?2, ?1, ?1, 0, 0, ?1, '[]',"
                           " ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &rec, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO person(run_id, record_id, person_id) VALUES (1, ?1, ?2)",
                           -1, &per, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO pair(run_id, record_a, record_b, weight, probability,"
                           " vector, status) VALUES (1, ?1, ?2, ?3, 0.5, 1, ?4)",
                           -1, &pair, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_report: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    rk_rng r;
    rk_rng_seed(&r, 1);
    int64_t person = 0;
    char name[64], region[32], place[32];
    for (long i = 1; i <= n; i++) {
        uint64_t x = rk_rng_next(&r);
        /* About 60% of records start a new person; the rest join the previous one. */
        if (person == 0 || (x & 0xff) < 154)
            person = i;
        snprintf(name, sizeof(name), "Name %ld", (long)(x >> 40) % 50000);
        snprintf(region, sizeof(region), "Region %d", (int)((x >> 8) % 12));
        snprintf(place, sizeof(place), "Place %d", (int)((x >> 16) % 500));
        sqlite3_bind_int64(rec, 1, i);
        sqlite3_bind_int(rec, 2, 1 + (int)((x >> 24) % 5));
        sqlite3_bind_text(rec, 3, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rec, 4, sexes[(x >> 28) % 7], -1, SQLITE_STATIC);
        sqlite3_bind_int(rec, 5, (int)((x >> 32) % 90));
        sqlite3_bind_text(rec, 6, region, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rec, 7, place, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rec, 8, violations[(x >> 36) % 6], -1, SQLITE_STATIC);
        sqlite3_bind_int64(per, 1, i);
        sqlite3_bind_int64(per, 2, person);
        if (sqlite3_step(rec) != SQLITE_DONE || sqlite3_step(per) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(rec);
        sqlite3_reset(per);
        if (i > 1) {
            double w = person != i ? 8 + (double)(x % 100) / 10 : -10 + (double)(x % 150) / 10;
            sqlite3_bind_int64(pair, 1, i - 1);
            sqlite3_bind_int64(pair, 2, i);
            sqlite3_bind_double(pair, 3, w);
            sqlite3_bind_text(pair, 4,
                              w > 3.17 ? "linked"
                              : w > 0  ? "review"
                                       : "unlinked",
                              -1, SQLITE_STATIC);
            if (sqlite3_step(pair) != SQLITE_DONE)
                goto fail;
            sqlite3_reset(pair);
        }
    }
    sqlite3_finalize(rec);
    sqlite3_finalize(per);
    sqlite3_finalize(pair);
    return exec(st, "WITH RECURSIVE g(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM g"
                    " WHERE value < 11) INSERT INTO estimate(time, run_id, method, stratum, lists, "
                    "config, observed,"
                    " estimate, lower, upper, status, capture, result) SELECT 't', 1, 'lcmcr',"
                    " json_object('region', 'Region ' || value), '[]', '{}', 1000, 1500, 1200,"
                    " 1900, 'ok', '{}', '{}' FROM g;"
                    "INSERT INTO claim(source, category, grp, value, time) VALUES"
                    " ('Ministry', 'killed', NULL, 613, 't'), ('Ministry', 'killed', 'women',"
                    " 106, 't'), ('Ministry', 'killed', 'children', 63, 't');"
                    "COMMIT;");
fail:
    fprintf(stderr, "bench_report: %s\n", sqlite3_errmsg(db));
    return 1;
}

int main(int argc, char **argv)
{
    long n = 1000000;
    int64_t v;
    if (argc > 1 && rk_parse_i64(&v, argv[1]) == RK_OK && v > 0)
        n = (long)v;
    char proj[256], html[256];
    snprintf(proj, sizeof(proj), "/tmp/reckon-bench-report-%d.rkp", (int)getpid());
    snprintf(html, sizeof(html), "/tmp/reckon-bench-report-%d.html", (int)getpid());
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_store *st = NULL;
    int status = 1;
    if (rk_store_create(&st, &ctx, proj) != RK_OK) {
        fprintf(stderr, "bench_report: %s\n", ctx.err.message);
        goto out;
    }
    double t0 = now();
    if (build(st, n))
        goto out;
    double t1 = now();
    FILE *f = fopen(html, "wb");
    if (!f)
        goto out;
    rk_report_options o = RK_REPORT_OPTIONS_INIT;
    int rc = rk_report_write(st, &o, f, NULL);
    long size = ftell(f);
    fclose(f);
    double t2 = now();
    if (rc != RK_OK) {
        fprintf(stderr, "bench_report: %s\n", ctx.err.message);
        goto out;
    }
    printf("report: %ld records (built in %.1f s): report in %.2f s (target <= 10 s), HTML %.0f "
           "kB (target < 5 MB)\n",
           n, t1 - t0, t2 - t1, (double)size / 1024);
    status = (t2 - t1 <= 10 && size < 5 * 1024 * 1024) ? 0 : 1;
out:
    rk_store_free(st);
    rk_ctx_release(&ctx);
    unlink(proj);
    unlink(html);
    char side[300];
    snprintf(side, sizeof(side), "%s-wal", proj);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", proj);
    unlink(side);
    return status;
}
