/* reckon estimate: multiple systems estimation (MSE) of the total number of victims from the
 * counts of persons seen by each combination of K lists: capture tables, Chapman, log-linear
 * models (Rcapture's closedp set, model search, profile-likelihood intervals), the latent-class
 * model LCMCR, Bayesian model averaging over decomposable graphs (dga), diagnostics, strata.
 *
 * Ownership: a capture table from `_new`/`rk_estimate_read_counts` is freed with
 * rk_capture_table_free; an rk_estimate filled by any rk_estimate_* function is emptied with
 * rk_estimate_release, and arrays of them returned through `out` with rk_estimate_array_free;
 * an rk_estimate_result filled by rk_estimate_run is emptied with rk_estimate_result_release;
 * replicates read by rk_estimate_read_replicates are freed with rk_replicate_array_free. */
#ifndef RECKON_ESTIMATE_H
#define RECKON_ESTIMATE_H

#include "reckon/core.h"
#include "reckon/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Capture tables                                                                               */

/* At most this many lists: a capture pattern is a 64-bit mask. */
#define RK_ESTIMATE_MAX_LISTS 62

/* Counts of persons by capture pattern. A pattern is a bit mask: bit j (value 1 << j) is set
 * when the person is on list j, where list 0 is the first list (the first 0/1 column of a
 * counts file). The all-zero pattern is never stored: it is what is estimated. */
typedef struct rk_capture_table rk_capture_table;

/* A new empty table of `nlists` lists named `names` (copied). */
int rk_capture_table_new(rk_capture_table **out, rk_ctx *ctx, size_t nlists,
                         const char *const *names);
void rk_capture_table_free(rk_capture_table *t);
/* Adds `count` (>= 0) persons with `pattern` (non-zero, only bits below nlists). Tabulation
 * from linked persons calls this once per person with count 1. */
int rk_capture_table_add(rk_capture_table *t, rk_ctx *ctx, uint64_t pattern, int64_t count);
/* Labels the table with a stratum ("sex=male,year=1999"); NULL clears it. */
int rk_capture_table_set_stratum(rk_capture_table *t, rk_ctx *ctx, const char *label);
/* Marks t as one stratum of `whole` (the table of all strata, over the same lists), cut by
 * `fields` ("region", "region, sex"), so that rk_estimate_check_sparse can compare each list
 * here with the same list in the whole; whole NULL clears it. The figures are copied. */
int rk_capture_table_set_whole(rk_capture_table *t, rk_ctx *ctx, const rk_capture_table *whole,
                               const char *fields);

size_t rk_capture_table_nlists(const rk_capture_table *t);
const char *rk_capture_table_list_name(const rk_capture_table *t, size_t list);
/* Index of the list called `name`, or RK_ENOTFOUND. */
int rk_capture_table_find_list(size_t *out, const rk_capture_table *t, const char *name);
/* Persons seen by at least one list. */
int64_t rk_capture_table_observed(const rk_capture_table *t);
int64_t rk_capture_table_count(const rk_capture_table *t, uint64_t pattern);
/* The stored patterns with a non-zero count, in ascending order of mask: i in [0, n). */
size_t rk_capture_table_npatterns(const rk_capture_table *t);
void rk_capture_table_pattern(const rk_capture_table *t, size_t i, uint64_t *pattern,
                              int64_t *count);
/* A new table over the lists `lists[0..n)` (in that order) of `t`: patterns are projected and
 * persons seen only by the other lists drop out (they are unobserved for these lists). */
int rk_capture_table_select(rk_capture_table **out, rk_ctx *ctx, const rk_capture_table *t,
                            const size_t *lists, size_t n);

/* Reads a capture-pattern CSV (header of list names then `count`; one 0/1 column per list;
 * comma separated, no quoting; a UTF-8 BOM and CRLF line ends are accepted). Bad input is
 * RK_EINPUT with file:line:column on the context. `name` is used in messages. */
int rk_estimate_parse_counts(rk_capture_table **out, rk_ctx *ctx, const char *data, size_t len,
                             const char *name);
int rk_estimate_read_counts(rk_capture_table **out, rk_ctx *ctx, const char *path);

/* ------------------------------------------------------------------------------------------ */
/* Results                                                                                      */

/* Whether a method gave an answer for a table. */
typedef enum rk_estimate_status {
    RK_ESTIMATE_OK = 0,
    RK_ESTIMATE_REFUSED, /* the method cannot estimate this table; the reason is in warning */
    RK_ESTIMATE_BOUNDARY /* an answer without a finite interval; the reason is in warning */
} rk_estimate_status;

/* One estimate of the total N. Fields that a method does not produce are NAN (or 0/empty). */
typedef struct rk_estimate {
    char method[16];        /* "chapman", "loglinear", "lcmcr", "dga" */
    char model[128];        /* "Mt", "Mth Chao (LB)", "[123,14,34]", "K*=10", ... */
    char interval_kind[16]; /* "log-normal", "profile", "credible", "" */
    int64_t observed;       /* n: persons on at least one list */
    double estimate;        /* point estimate of N (posterior median for Bayesian methods) */
    double stderr_n;        /* standard error of N (posterior sd for Bayesian methods) */
    double lower, upper;    /* interval for N at `level` */
    double level;           /* 0.95 */
    /* log-linear fit (Poisson regression on the observed cells) */
    double deviance, aic, bic;
    int df, npar;
    bool converged;
    /* multinomial (profile-likelihood) point estimate, when intervals were profiled */
    double profile_estimate;
    /* Bayesian: posterior summary and draws of N, chain after chain */
    double mean, median, mode;
    double *draws; /* ndraws values, nchains blocks of ndraws / nchains; owned */
    size_t ndraws, nchains;
    double rhat, ess; /* split R-hat and effective sample size over all chains */
    uint64_t seed;
    char warning[512]; /* a caveat for the reader, or empty */
    /* dga: the posterior of N again under other settings (see rk_estimate_sensitivity); owned */
    struct rk_estimate_sensitivity *sensitivity;
    size_t nsensitivity;
    /* From rk_estimate_table: the answer's standing, and whether the row is a model shown
     * beside the method's answer (loglinear's classical models, --model) rather than it */
    rk_estimate_status status;
    bool extra;
    /* loglinear's answer: the ranked models it was chosen from; owned */
    struct rk_estimate *models;
    size_t nmodels;
} rk_estimate;

void rk_estimate_init(rk_estimate *e);
void rk_estimate_release(rk_estimate *e);
/* Releases n estimates and frees the array (NULL accepted). */
void rk_estimate_array_free(rk_estimate *arr, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* Two lists                                                                                    */

/* Chapman's (1951) nearly unbiased estimator for exactly two lists, with its variance
 * (Seber 1970) and Chao's (1987) log-normal 95% interval. Assumes the lists are independent. */
int rk_estimate_chapman(rk_estimate *out, rk_ctx *ctx, const rk_capture_table *t);

/* ------------------------------------------------------------------------------------------ */
/* Log-linear models                                                                            */

typedef enum rk_heterogeneity {
    RK_HET_NONE = 0,
    RK_HET_CHAO,    /* Chao's lower bound: convex piecewise-linear in captures, eta >= 0 */
    RK_HET_POISSON, /* column theta^c - 1 (theta = 2 by default) */
    RK_HET_DARROCH, /* column c^2 / 2 */
    RK_HET_GAMMA    /* column -log(theta + c) + log(theta) (theta = 3.5 by default) */
} rk_heterogeneity;

#define RK_LOGLINEAR_MAX_TERMS 64

/* A log-linear model of the 2^K - 1 observed cells (Poisson regression with log link). */
typedef struct rk_loglinear_model {
    bool per_list; /* true: one effect per list (Mt); false: one common effect of c (M0) */
    size_t nterms; /* interaction generators (masks of >= 2 lists); all their subsets included */
    uint64_t terms[RK_LOGLINEAR_MAX_TERMS];
    rk_heterogeneity het;
    double theta; /* for RK_HET_POISSON and RK_HET_GAMMA; 0 means the default */
} rk_loglinear_model;

/* Parses "M0", "Mt", "Mh Chao", "Mth Poisson2", "Mh Gamma3.5", "Mth Darroch", or a
 * hierarchical model "[123,14,34]" (digits are 1-based list positions; K <= 9). */
int rk_loglinear_model_parse(rk_loglinear_model *out, rk_ctx *ctx, const char *spec, size_t nlists);
/* The model's name in Rcapture's style ("Mth Chao (LB)", "[123,14,34]"). */
void rk_loglinear_model_name(char *out, size_t outsz, const rk_loglinear_model *m, size_t nlists);

/* Fits one model. With `profile`, adds the multinomial estimate and its 95% profile-likelihood
 * interval (Cormack 1992; Rivest and Baillargeon's closedpCI); otherwise the interval is
 * estimate +/- 1.96 stderr. Lists: 2 <= K <= 16. */
int rk_estimate_loglinear(rk_estimate *out, rk_ctx *ctx, const rk_capture_table *t,
                          const rk_loglinear_model *m, bool profile);
/* The classical set of Rcapture's closedp.t: M0, Mt, Mh and Mth with Chao, Poisson2, Darroch
 * and Gamma3.5 heterogeneity (10 models), in that order. */
int rk_estimate_closedp(rk_estimate **out, size_t *n, rk_ctx *ctx, const rk_capture_table *t);

typedef enum rk_criterion { RK_CRITERION_BIC = 0, RK_CRITERION_AIC } rk_criterion;
/* Fits every hierarchical model with all main effects and interactions of order < K (as
 * Rcapture's closedpMS.t), sorted by the criterion, best first. K <= 5. */
int rk_estimate_model_search(rk_estimate **out, size_t *n, rk_ctx *ctx, const rk_capture_table *t,
                             rk_criterion criterion);

/* ------------------------------------------------------------------------------------------ */
/* Bayesian latent-class model (LCMCR, Manrique-Vallier 2016)                                   */

typedef struct rk_lcmcr_options {
    int version;
    uint64_t seed;
    int kstar;               /* truncation of the stick-breaking prior (latent classes) */
    double a_alpha, b_alpha; /* Gamma prior of the concentration alpha */
    long burnin;             /* iterations discarded at the start of each chain */
    long samples;            /* draws kept per chain */
    long thin;               /* iterations between kept draws */
    int chains;              /* independent chains, seeds derived from `seed` */
    int threads;             /* 0: OpenMP's default; results do not depend on it */
} rk_lcmcr_options;

#define RK_LCMCR_OPTIONS_VERSION 1
#define RK_LCMCR_OPTIONS_INIT                                                                      \
    {                                                                                              \
        .version = RK_LCMCR_OPTIONS_VERSION, .seed = 1, .kstar = 10, .a_alpha = 0.25,              \
        .b_alpha = 0.25, .burnin = 10000, .samples = 2000, .thin = 50, .chains = 4, .threads = 0   \
    }

/* Runs the Gibbs sampler; out->draws holds every kept draw of N, chain after chain; the
 * estimate is the posterior median with an equal-tailed 95% credible interval. */
int rk_estimate_lcmcr(rk_estimate *out, rk_ctx *ctx, const rk_capture_table *t,
                      const rk_lcmcr_options *opt);

/* ------------------------------------------------------------------------------------------ */
/* Bayesian model averaging over decomposable graphical models (Madigan and York 1997; dga)     */

/* The prior of N: dga's default 1/N, or flat on n..n + nmissing_max. */
typedef enum rk_dga_prior { RK_DGA_PRIOR_INVERSE = 0, RK_DGA_PRIOR_UNIFORM } rk_dga_prior;

typedef struct rk_dga_options {
    int version;
    double delta;         /* hyper-Dirichlet prior per cell of the full table; 0: 2^-K */
    int64_t nmissing_max; /* largest number of unseen persons considered; 0: 10 * n */
    rk_dga_prior prior;   /* prior of N */
    bool sensitivity;     /* also the posterior at other bounds and deltas (out->sensitivity) */
} rk_dga_options;

#define RK_DGA_OPTIONS_VERSION 2
#define RK_DGA_OPTIONS_INIT                                                                        \
    {                                                                                              \
        .version = RK_DGA_OPTIONS_VERSION, .delta = 0, .nmissing_max = 0,                          \
        .prior = RK_DGA_PRIOR_INVERSE, .sensitivity = true                                         \
    }

/* One row of dga's sensitivity analysis: the exact posterior of N with one setting changed
 * from the main estimate's, either the bound on unseen persons (nmissing_max = f * n for f in
 * 2, 5, 10, 20, 40; main delta) or delta (2^-K times 1/4, 1/2, 1, 2, 4, then 1/2 and 1, and
 * the main delta; main bound). */
typedef struct rk_estimate_sensitivity {
    char varies[8]; /* "nmax" or "delta" */
    double delta;
    int64_t nmissing_max;
    bool baseline;               /* the main estimate's settings */
    double median, lower, upper; /* posterior median and equal-tailed 95% interval */
    double mean, sd, mode;
    double top_mass; /* posterior mass in the top tenth of the range of unseen persons */
} rk_estimate_sensitivity;

/* Exact posterior of N averaged over every decomposable graph on K <= 5 lists, with the prior
 * p(N) proportional to 1/N (or flat). out->model names the graph of highest posterior weight;
 * with opt->sensitivity, out->sensitivity holds the rows above, the bounds first. */
int rk_estimate_dga(rk_estimate *out, rk_ctx *ctx, const rk_capture_table *t,
                    const rk_dga_options *opt);

/* ------------------------------------------------------------------------------------------ */
/* Diagnostics and summaries                                                                    */

/* Effective sample size of one chain (Geyer's initial monotone sequence). */
double rk_estimate_ess(const double *x, size_t n);
/* Split R-hat (Gelman et al. 2013) of `nchains` chains of `per_chain` draws stored one after
 * the other; NAN when per_chain < 4. */
double rk_estimate_split_rhat(const double *draws, size_t nchains, size_t per_chain);
/* Quantile (R's type 7) of `n` values, which it sorts in place. */
double rk_estimate_quantile(double *x, size_t n, double p);

/* Sums per-stratum estimates into one for the whole. When all have draws of equal number the
 * draws are added (draw i of each stratum); otherwise estimates are added and variances
 * combined, with a normal interval (its lower end no lower than the persons observed). */
int rk_estimate_combine_strata(rk_estimate *out, rk_ctx *ctx, const rk_estimate *parts, size_t n);
/* The one rule for a table too sparse or degenerate to estimate, applied by rk_estimate_table to
 * a counts file, a project and each stratum alike: RK_EINPUT with the reason when it has fewer
 * than `min_observed` persons, when fewer than 3 of its K >= 3 lists name anyone, when one list
 * names every person (it alone documents everyone), or when no person is on more than one
 * list. A stratum (rk_capture_table_set_whole) is also refused when a list names none of its
 * persons, or names some but none alone, where the whole makes that improbable (below 1 in
 * 1,000): the list may not record the stratum's field, so the persons only it names have no
 * stratum and the others seem to miss nobody. */
int rk_estimate_check_sparse(rk_ctx *ctx, const rk_capture_table *t, int64_t min_observed);

/* Appends {"lists":[...],"stratum":...,"observed":n,"estimates":[...]} as JSON to out. */
int rk_estimate_json(rk_buf *out, const rk_capture_table *t, const rk_estimate *est, size_t n);
/* Appends e's sensitivity rows as a JSON array ([] when it has none): each
 * {"varies","delta","nmax","baseline","median","lower","upper","mean","sd","mode",
 * "top_tenth_mass"}, nmax being the bound on unseen persons. */
int rk_estimate_sensitivity_json(rk_buf *out, const rk_estimate *e);

/* ------------------------------------------------------------------------------------------ */
/* Combining imputation replicates                                                              */

/* One replicate of multiply imputed data (verdata's R1 ... R100): posterior draws of N for one
 * stratum, and the persons observed in that stratum in that replicate. */
typedef struct rk_replicate {
    char name[64];    /* "R1" */
    int64_t observed; /* n_obs */
    double *draws;    /* ndraws draws of N, each >= observed; owned */
    size_t ndraws;
} rk_replicate;

/* Frees n replicates and the array (NULL accepted). */
void rk_replicate_array_free(rk_replicate *arr, size_t n);

/* Reads replicates laid out as HRDAG's stored estimates: `index` is a CSV with a header naming
 * the columns `hash`, `replicate` and `n_obs` (in any order; no quoting), one row per
 * replicate; each hash's draws are a JSON array of whole numbers in `<hash>.json` in the
 * index's folder. A missing file, a draw that is not a whole number or lies below n_obs, an
 * empty array or an n_obs that is not a whole number is RK_EINPUT (RK_EIO for a file that
 * cannot be read) with file:line:column. */
int rk_estimate_read_replicates(rk_replicate **out, size_t *n, rk_ctx *ctx, const char *index);

/* Parses one JSON array of whole-number draws of N (`len` bytes at `data`; `name` is used in
 * messages) into a new array of *n doubles, each at least `min` (the replicate's n_obs). Bad
 * input is RK_EINPUT with name:line:column and leaves *out NULL. */
int rk_estimate_parse_draws(double **out, size_t *n, rk_ctx *ctx, const char *data, size_t len,
                            int64_t min, const char *name);

/* How replicates' draws are combined into one estimate (docs/methods.md, "Combining
 * replicates"). */
typedef enum rk_combine_rule {
    RK_COMBINE_POOLED = 0, /* all draws pooled: median and 2.5%, 97.5% quantiles (R type 7) */
    RK_COMBINE_RUBIN,      /* Rubin's rules on N: t interval with Rubin's (1987) df */
    RK_COMBINE_VERDATA     /* verdata's combine_estimates: Rubin's rules on log(N - n_obs) */
} rk_combine_rule;

/* Parses "pooled", "rubin" or "verdata"; another name is RK_EINPUT. */
int rk_estimate_combine_rule_parse(rk_combine_rule *out, rk_ctx *ctx, const char *name);
const char *rk_estimate_combine_rule_name(rk_combine_rule rule);

/* The combined estimate. The rules that do not produce a field leave it NAN. */
typedef struct rk_combined_estimate {
    rk_combine_rule rule;
    size_t replicates;   /* m */
    size_t draws;        /* all draws of all replicates */
    double observed;     /* mean n_obs of the replicates (verdata: rounded to a whole number) */
    double estimate;     /* pooled: median of all draws; rubin: mean of the replicates' means;
                            verdata: mean n_obs plus the mean of N - n_obs, each rounded */
    double lower, upper; /* 95% interval */
    double level;        /* 0.95 */
    double mean, sd;     /* pooled: mean and sd of all draws */
    /* rubin, verdata (on the log scale): mean within-replicate variance, variance between the
     * replicates' means, total variance W + (1 + 1/m) B, and the t distribution's df */
    double within, between, total, df;
    char warning[256]; /* a caveat (fewer than 10 replicates), or empty */
} rk_combined_estimate;

/* Combines the draws of n replicates by `rule`. rubin and verdata need at least 2 replicates
 * of at least 2 draws each; every draw must be at least its replicate's observed count. */
int rk_estimate_combine_replicates(rk_combined_estimate *out, rk_ctx *ctx, const rk_replicate *reps,
                                   size_t n, rk_combine_rule rule);

/* Appends c as one JSON object: {"rule","replicates","draws","observed","estimate","lower",
 * "upper","level","mean","sd","within","between","total","df","warning"}, non-finite numbers
 * as null. */
int rk_estimate_combined_json(rk_buf *out, const rk_combined_estimate *c);

/* ------------------------------------------------------------------------------------------ */
/* Choosing methods and running them                                                           */

enum {
    RK_METHOD_CHAPMAN = 1,
    RK_METHOD_LOGLINEAR = 2,
    RK_METHOD_DGA = 4,
    RK_METHOD_LCMCR = 8,
    RK_METHOD_ALL = 15,
    /* The best calibrated method for the table's number of lists: LCMCR for 3 or more,
     * Chapman for 2 (docs/methods.md, "Which methods run"); the command line's default. */
    RK_METHOD_AUTO = 16
};

/* Parses "chapman,dga", "all" or "auto" into RK_METHOD_* bits; an unknown name is RK_EINPUT. */
int rk_estimate_methods_parse(unsigned *out, rk_ctx *ctx, const char *list);

typedef struct rk_estimate_options {
    int version;
    unsigned methods; /* RK_METHOD_* */
    rk_criterion criterion;
    const char *model; /* loglinear: one more model fitted with a profile interval, or NULL */
    rk_lcmcr_options lcmcr;
    rk_dga_options dga;
} rk_estimate_options;

#define RK_ESTIMATE_OPTIONS_VERSION 1
#define RK_ESTIMATE_OPTIONS_INIT                                                                   \
    {                                                                                              \
        .version = RK_ESTIMATE_OPTIONS_VERSION, .methods = RK_METHOD_LOGLINEAR,                    \
        .criterion = RK_CRITERION_BIC, .model = NULL, .lcmcr = RK_LCMCR_OPTIONS_INIT,              \
        .dga = RK_DGA_OPTIONS_INIT                                                                 \
    }

/* The one dispatcher, for a table from a counts file, a project or a stratum alike. A table
 * too sparse to estimate (rk_estimate_check_sparse) gives one row of method "none", refused.
 * Otherwise each chosen method runs in the order chapman, loglinear, dga, lcmcr; a method that
 * does not take this number of lists, or cannot estimate this table, gives a refused row with
 * the reason in warning (docs/methods.md, "Which methods run"). loglinear's extra rows (the
 * classical models, opt->model) come before its answer. Other errors stop with their code. */
int rk_estimate_table(rk_estimate **out, size_t *n, rk_ctx *ctx, const rk_capture_table *t,
                      const rk_estimate_options *opt);

/* ------------------------------------------------------------------------------------------ */
/* Estimating from a counts file or a project                                                   */

/* Where the capture table comes from: a counts file or a project (the persons of its latest
 * link run, per stratum with `by`). */
typedef struct rk_estimate_source {
    int version;
    const char *counts;     /* a counts file (rk_estimate_read_counts), or NULL */
    rk_store *project;      /* or an open project (read-write: the estimates are stored) */
    const char *by;         /* project: "region,sex", stratum fields (region, place, sex,
                               violation, age_group, year, month, field:NAME), or NULL */
    const char *lists;      /* "a,b,c": only these lists, in this order, or NULL for all */
    const char *age_groups; /* with by age_group: the first age of each group, rising from 0
                               ("0,15,30,45,60", the groups when NULL) */
    /* Project only: replicates (docs/methods.md, "Imputation and linkage replicates"). */
    int impute;          /* M imputations of the stratum values persons lack: 0 = the default (20);
                            negative = none, and strata of persons without a value are refused */
    int linkages;        /* K draws of the linkage: 0 = the default (20); negative = none (and no
                            estimates at the link thresholds) */
    const char *combine; /* how draws are combined: NULL = pooled for Bayesian methods and
                            Rubin's rules on log(N - n) for the others; "pooled", "rubin" or
                            "verdata" (rk_estimate_combine_rule_parse) for the Bayesian ones */
} rk_estimate_source;

#define RK_ESTIMATE_SOURCE_VERSION 3
#define RK_ESTIMATE_IMPUTATIONS    20 /* M when impute is 0 */
#define RK_ESTIMATE_LINKAGES       20 /* K when linkages is 0 */

typedef struct rk_estimate_result {
    rk_capture_table *table; /* the whole capture table (all strata) */
    rk_estimate *rows;       /* rk_estimate_table's rows for the whole table; none with `by` */
    size_t nrows;
    size_t estimated; /* rows with an answer (status ok or boundary), strata and totals too */
    int64_t batch;    /* project: the batch the rows were stored under */
    size_t stored;    /* project: rows stored */
} rk_estimate_result;

void rk_estimate_result_init(rk_estimate_result *r);
void rk_estimate_result_release(rk_estimate_result *r);

/* Reads the capture table from the source, keeps the lists asked for, and estimates with
 * rk_estimate_table. From a project it estimates every stratum, sums the strata per method
 * into totals (stratum NULL), and stores every row in the estimate table under one batch with
 * an "estimate" audit event, in one transaction; a stratum too sparse to estimate is stored
 * as refused and its persons are added to the totals as documented only. In an MPI run
 * (rk_link_mpi_begin), every rank calls it with the same project and settings (rank 0 with the
 * project open read-write, the others read-only): the strata, replicate passes and whole-table
 * figures are shared out as tasks, and rank 0 alone stores the same rows one process would;
 * on the other ranks *out stays empty. */
int rk_estimate_run(rk_estimate_result *out, rk_ctx *ctx, const rk_estimate_source *src,
                    const rk_estimate_options *opt);

/* The capture table of a project's latest link run over `lists` ("a,b", or NULL for all). */
int rk_estimate_project_table(rk_capture_table **out, rk_store *st, const char *lists);

/* Appends t as a counts file, the layout rk_estimate_parse_counts reads and Rcapture, LCMCR
 * and dga users know (docs/exports.md): a header of list names and `count`, then one row per
 * pattern in ascending binary order with the first list as the most significant bit, every
 * pattern of up to 16 lists (zero counts too), only the observed ones of more. A list name the
 * layout cannot hold (a comma, quote, line end, or "count") is RK_EINPUT. */
int rk_estimate_counts_csv(rk_buf *out, rk_ctx *ctx, const rk_capture_table *t);

#ifdef __cplusplus
}
#endif

#endif
