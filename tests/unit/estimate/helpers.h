/* Shared by the estimate tests: loading the reference data sets from RK_DATA_DIR (tests/data). */
#ifndef RK_TEST_ESTIMATE_HELPERS_H
#define RK_TEST_ESTIMATE_HELPERS_H

#include "test.h"

#include <math.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static inline rk_capture_table *load_counts(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", RK_DATA_DIR, rel);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = NULL;
    int rc = rk_estimate_read_counts(&t, &ctx, path);
    if (rc != RK_OK)
        fprintf(stderr, "%s\n", ctx.err.message);
    assert_int_equal(rc, RK_OK);
    rk_ctx_release(&ctx);
    return t;
}

/* |got - want| <= rel * |want|, with a message naming what was compared. */
#define assert_rel(got, want, rel)                                                                 \
    do {                                                                                           \
        double g_ = (got), w_ = (want);                                                            \
        if (!(fabs(g_ - w_) <= (rel)*fabs(w_))) {                                                  \
            fprintf(stderr, "%s = %.10g, expected %.10g (rel tol %g)\n", #got, g_, w_,             \
                    (double)(rel));                                                                \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

#endif
