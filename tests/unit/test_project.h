/* Shared set-up for the unit tests that work on a project built by SQL inserts: a new project
 * in a temporary directory, and SQL run on it. */
#ifndef RK_TEST_PROJECT_H
#define RK_TEST_PROJECT_H

#include "test.h"
#include "store/store_internal.h"

#include <sqlite3.h>

typedef struct rk_test_project {
    char *dir;
    rk_ctx ctx;
    rk_store *st;
} rk_test_project;

/* A new, empty project p.rkp in a fresh temporary directory. */
static inline rk_test_project *rk_test_project_new(void)
{
    rk_test_project *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    p->dir = rk_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/p.rkp", p->dir);
    rk_ctx_init(&p->ctx);
    assert_int_equal(rk_store_create(&p->st, &p->ctx, path), RK_OK);
    return p;
}

static inline void rk_test_project_free(rk_test_project *p)
{
    rk_store_free(p->st);
    rk_ctx_release(&p->ctx);
    rk_test_tmpdir_remove(p->dir);
    free(p);
}

/* Runs sql on the project's connection; the test fails with SQLite's message if it fails. */
static inline void rk_test_exec(rk_store *st, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(rk_store__db(st), sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s\n", err);
    sqlite3_free(err);
    assert_int_equal(rc, SQLITE_OK);
}

#endif
