/* Poisson regression with log link by iteratively reweighted least squares: the engine of the
 * log-linear capture-recapture models (Fienberg 1972; Cormack 1989). Small dense problems
 * (at most 2^16 cells, a few dozen parameters), solved by Cholesky with GSL. */
#include "estimate_private.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#define MAX_ITER 100
#define TOL      1e-10

/* Solves A x = b for symmetric positive definite A (p x p, destroyed), optionally writing
 * A^-1 into inv. Returns false when A is not positive definite. */
static bool spd_solve(double *A, const double *b, double *x, double *inv, size_t p)
{
    gsl_matrix_view m = gsl_matrix_view_array(A, p, p);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int status = gsl_linalg_cholesky_decomp1(&m.matrix);
    gsl_set_error_handler(old);
    if (status != GSL_SUCCESS)
        return false;
    gsl_vector_const_view bv = gsl_vector_const_view_array(b, p);
    gsl_vector_view xv = gsl_vector_view_array(x, p);
    gsl_linalg_cholesky_solve(&m.matrix, &bv.vector, &xv.vector);
    if (inv) {
        gsl_linalg_cholesky_invert(&m.matrix);
        memcpy(inv, A, p * p * sizeof(double));
    }
    return true;
}

static double deviance(const double *y, const double *mu, size_t nrow)
{
    double d = 0;
    for (size_t i = 0; i < nrow; i++)
        d += (y[i] > 0 ? y[i] * log(y[i] / mu[i]) : 0) - (y[i] - mu[i]);
    return 2 * d;
}

/* The linear predictor eta = X beta of every row, and its mean mu = exp(eta). */
static void predict(double *eta, double *mu, const double *X, const double *beta, size_t nrow,
                    size_t p)
{
    for (size_t i = 0; i < nrow; i++) {
        double e = 0;
        for (size_t c = 0; c < p; c++)
            e += X[i * p + c] * beta[c];
        eta[i] = e;
        mu[i] = exp(e);
    }
}

int estimate_poisson_fit(rk_ctx *ctx, const double *X, const double *y, size_t nrow, size_t p,
                         double *beta, bool warm, double *cov, double *mu, estimate_glm *out)
{
    int rc = RK_OK;
    double *eta = rk_malloc(nrow * sizeof(double));
    double *z = rk_malloc(nrow * sizeof(double));
    double *A = rk_malloc(p * p * sizeof(double));
    double *b = rk_malloc(p * sizeof(double));
    double *nb = rk_malloc(p * sizeof(double));
    if (!eta || !z || !A || !b || !nb) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    memset(out, 0, sizeof(*out));
    if (warm) {
        predict(eta, mu, X, beta, nrow, p);
    } else {
        for (size_t i = 0; i < nrow; i++) {
            mu[i] = y[i] + 0.1;
            eta[i] = log(mu[i]);
        }
    }
    double dev = deviance(y, mu, nrow), dev_old = INFINITY;
    bool have_beta = warm;
    for (int it = 1; it <= MAX_ITER; it++) {
        memset(A, 0, p * p * sizeof(double));
        memset(b, 0, p * sizeof(double));
        for (size_t i = 0; i < nrow; i++) {
            const double *xi = X + i * p;
            double w = mu[i];
            z[i] = eta[i] + (y[i] - mu[i]) / mu[i];
            for (size_t r = 0; r < p; r++) {
                if (xi[r] == 0)
                    continue;
                double wr = w * xi[r];
                b[r] += wr * z[i];
                for (size_t c = 0; c <= r; c++)
                    A[r * p + c] += wr * xi[c];
            }
        }
        for (size_t r = 0; r < p; r++)
            for (size_t c = 0; c < r; c++)
                A[c * p + r] = A[r * p + c];
        if (!spd_solve(A, b, nb, NULL, p)) {
            rc = rk_error_set(ctx, RK_EINPUT,
                              "the model cannot be fitted: its parameters are not identified by "
                              "these counts (too many zero cells?)");
            goto cleanup;
        }
        /* From the second step on, halve the step while the deviance goes up. */
        double step = 1;
        for (int h = 0; have_beta && h < 30; h++) {
            for (size_t i = 0; i < nrow; i++) {
                double e = 0;
                for (size_t c = 0; c < p; c++)
                    e += X[i * p + c] * (beta[c] + step * (nb[c] - beta[c]));
                mu[i] = exp(e);
            }
            double d = deviance(y, mu, nrow);
            if (isfinite(d) && d <= dev * (1 + 1e-12) + 1e-12)
                break;
            step /= 2;
        }
        for (size_t c = 0; c < p; c++)
            beta[c] = have_beta ? beta[c] + step * (nb[c] - beta[c]) : nb[c];
        have_beta = true;
        predict(eta, mu, X, beta, nrow, p);
        dev_old = dev;
        dev = deviance(y, mu, nrow);
        out->iterations = it;
        if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < TOL) {
            out->converged = true;
            break;
        }
    }
    out->deviance = dev;
    double ll = 0;
    for (size_t i = 0; i < nrow; i++)
        ll += (y[i] > 0 ? y[i] * log(mu[i]) : 0) - mu[i] - lgamma(y[i] + 1);
    out->loglik = ll;
    if (cov) {
        memset(A, 0, p * p * sizeof(double));
        for (size_t i = 0; i < nrow; i++) {
            const double *xi = X + i * p;
            for (size_t r = 0; r < p; r++)
                for (size_t c = 0; c <= r; c++)
                    A[r * p + c] += mu[i] * xi[r] * xi[c];
        }
        for (size_t r = 0; r < p; r++)
            for (size_t c = 0; c < r; c++)
                A[c * p + r] = A[r * p + c];
        if (!spd_solve(A, b, nb, cov, p)) {
            for (size_t i = 0; i < p * p; i++)
                cov[i] = NAN;
        }
    }
cleanup:
    rk_free(eta);
    rk_free(z);
    rk_free(A);
    rk_free(b);
    rk_free(nb);
    return rc;
}
