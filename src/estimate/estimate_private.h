/* Private to src/estimate: the capture table's body and the helpers that the estimators share
 * (Poisson regression, summaries of draws). */
#ifndef RK_ESTIMATE_PRIVATE_H
#define RK_ESTIMATE_PRIVATE_H

#include "common.h"

#include <math.h>

/* Counts stay exact in a double: the total of a table is at most 2^53. */
#define RK__MAX_TOTAL (INT64_C(1) << 53)

struct rk_capture_table {
    size_t nlists;
    char **names;
    char *stratum;
    size_t n, cap; /* stored patterns, ascending */
    int64_t total; /* sum of counts, at most RK__MAX_TOTAL */
    uint64_t *pattern;
    int64_t *count;
    /* A stratum of a larger table (rk_capture_table_set_whole): the persons of the whole, per
     * list the persons it names there and those no other list names there, and the fields that
     * cut the strata; NULL (0) for a table that is not a stratum. */
    int64_t whole_total;
    int64_t *whole_named, *whole_alone;
    char *fields;
    bool unvalued; /* a stratum of persons without a value of a field (project.c) */
};

/* Per list j of t (arrays of t->nlists): the persons it names, and those no other list names. */
void estimate_table_list_counts(const rk_capture_table *t, int64_t *named, int64_t *alone);

/* Dense counts of the 2^K cells (cell 0 = 0) for K <= 20; the caller frees with rk_free. */
int estimate_table_dense(const rk_capture_table *t, rk_ctx *ctx, double **out);

/* Poisson regression with log link by iteratively reweighted least squares. X is nrow x p,
 * row-major. beta (p) is the start when `warm` and the result; cov (p x p) may be NULL.
 * Returns RK_OK; *converged tells whether the deviance settled. */
typedef struct estimate_glm {
    double deviance; /* 2 sum y log(y/mu) - (y - mu) */
    double loglik;   /* sum y log mu - mu - lgamma(y + 1) */
    int iterations;
    bool converged;
} estimate_glm;
int estimate_poisson_fit(rk_ctx *ctx, const double *X, const double *y, size_t nrow, size_t p,
                         double *beta, bool warm, double *cov, double *mu, estimate_glm *out);

/* Reads the whole file at `path` into out (appending); a file past `max` bytes is RK_EINPUT
 * ("'path' is larger than N MiB; not `what`"), one that cannot be opened or read RK_EIO. */
int estimate_read_file(rk_buf *out, rk_ctx *ctx, const char *path, size_t max, const char *what);

/* Fills the posterior summary of e from e->draws (mean, sd, median, 2.5% and 97.5%). */
int estimate_summarize_draws(rk_estimate *e, rk_ctx *ctx);

/* Replaces *t by its lists named in `spec` ("a,b,c"), in that order; an unknown name is
 * RK_EINPUT. */
int estimate_select_lists(rk_capture_table **t, rk_ctx *ctx, const char *spec);

/* The methods of the dispatcher's table (methods.c), in the order they run: how many, and the
 * name and RK_METHOD_* bit of each. */
#define ESTIMATE_NMETHODS 4
const char *estimate_method_name(size_t i);
unsigned estimate_method_bit(size_t i);
/* The RK_METHOD_* bits the dispatcher runs on a table of `nlists` lists: those asked for,
 * with auto's choice for that number of lists. */
unsigned estimate_methods_chosen(const rk_estimate_options *opt, size_t nlists);

/* One method's answers for the strata of a stratified estimate, summed into the total
 * (strata.c); a stratum the method could not answer (refused, on its boundary, or too few of
 * its replicates answered) counts its persons as documented only. */
typedef struct estimate_parts {
    rk_estimate *parts;
    size_t n, cap;
    size_t floored; /* strata the method did not answer */
    int64_t floor;  /* their persons, counted as documented only */
} estimate_parts;

/* Keeps e (moved: e is left empty) as one stratum's answer. */
int estimate_parts_keep(estimate_parts *p, rk_ctx *ctx, rk_estimate *e);
/* The total over `nstrata` strata, of which `refused` (holding `documented` persons) could not
 * be estimated at all: the answers summed (rk_estimate_combine_strata) plus those persons and
 * the method's floored ones as documented only. *made is false, and out untouched, when the
 * method answered no stratum. */
int estimate_parts_total(rk_estimate *out, bool *made, rk_ctx *ctx, const estimate_parts *p,
                         size_t nstrata, size_t refused, int64_t documented);
void estimate_parts_release(estimate_parts *p);

/* Combines n replicates' answers (observed persons, estimate and 95% interval, no draws) by
 * Rubin's rules on log(N - n_obs): each interval read as a normal one on that scale (its
 * centre and half width / 1.96), with Rubin's (RK_COMBINE_RUBIN) or verdata's
 * (RK_COMBINE_VERDATA) degrees of freedom; the estimate is the mean n_obs plus the geometric
 * mean of N - n_obs. Replicates that agree give back their interval; one is returned as it
 * is. */
int estimate_combine_intervals(rk_combined_estimate *out, rk_ctx *ctx, const double *observed,
                               const double *estimate, const double *lower, const double *upper,
                               size_t n, rk_combine_rule rule);

/* rk_estimate_run from a project (project.c). */
int estimate_project(rk_estimate_result *out, rk_store *st, const rk_estimate_source *src,
                     const rk_estimate_options *o);

static inline int estimate_popcount(uint64_t x)
{
    return __builtin_popcountll(x);
}

#endif
