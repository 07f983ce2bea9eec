/* Private to the log-linear files: design matrices of log-linear capture-recapture models. */
#ifndef RK_LOGLINEAR_PRIVATE_H
#define RK_LOGLINEAR_PRIVATE_H

#include "estimate_private.h"

/* A design: columns of the model over the cells 0..2^K-1 (row = pattern), column 0 the
 * intercept. `chao_on` switches Chao's columns (k = 3..K) on and off. */
typedef struct estimate_design {
    size_t k, cells, p;
    double *X;                /* cells x p, row-major, row 0 = the unobserved cell */
    size_t chao_first, nchao; /* Chao's columns, when het == RK_HET_CHAO */
} estimate_design;

/* Builds the design of m for K lists, leaving out the Chao columns whose bit in drop_chao is
 * set (bit i = column of k = i + 3). */
int estimate_design_build(estimate_design *d, rk_ctx *ctx, const rk_loglinear_model *m, size_t k,
                          uint64_t drop_chao);
void estimate_design_release(estimate_design *d);

/* Adds the multinomial estimate and the 95% profile-likelihood interval to out (profile.c);
 * y holds all cells, beta the fit of the observed cells as a start. */
int estimate_loglinear_profile(rk_estimate *out, rk_ctx *ctx, const estimate_design *d,
                               const double *y, int64_t n, const double *beta);

#endif
