/* The estimate module's private tier: what the CLI and later modules may use of stored
 * estimates without SQL of their own. Names are rk_estimate__<verb>. Never installed, never
 * included from include/reckon/. */
#ifndef RK_ESTIMATE_INTERNAL_H
#define RK_ESTIMATE_INTERNAL_H

#include "reckon/estimate.h"

/* A stratum (estimate.stratum, claim.stratum: a JSON object of field -> value) as every reader
 * shows it, "region: North, sex: F", in the object's order; NULL for no stratum or an empty
 * object; text that is not a JSON object as it is. An SQL expression over a column named
 * `stratum`, for every page that shows strata. */
#define RK_ESTIMATE_STRATUM_LABEL_SQL                                                              \
    "CASE WHEN stratum IS NULL THEN NULL WHEN json_valid(stratum) AND json_type(stratum) ="        \
    " 'object' THEN (SELECT group_concat(kv, ', ') FROM (SELECT j.key || ': ' || CASE WHEN"        \
    " j.type IN ('true', 'false', 'null') THEN j.type ELSE j.value END AS kv FROM"                 \
    " json_each(stratum) j ORDER BY j.id)) ELSE stratum END"

/* One stored row of the estimate table. Strings are owned by the row (never NULL: empty when
 * the column is); numbers that are NULL in the table are NAN. */
typedef struct rk_estimate__stored {
    int64_t id;
    char *stratum;       /* the stratum as stored (a JSON object), or "null" for the whole */
    char *stratum_label; /* "region: north", or empty for the whole */
    char *method, *model, *status, *reason;
    char *lists;  /* JSON array of list names */
    char *result; /* JSON object: every figure of the row */
    int64_t observed;
    double estimate, lower, upper;
} rk_estimate__stored;

/* The rows of one batch, strata first (in order of stratum) then the whole, as stored. Free
 * with rk_estimate__stored_free. */
int rk_estimate__batch_rows(rk_estimate__stored **out, size_t *n, rk_store *st, int64_t batch);
void rk_estimate__stored_free(rk_estimate__stored *rows, size_t n);

/* One sensitivity row stored with a batch's estimate (result.sensitivity), with the estimate
 * it belongs to. */
typedef struct rk_estimate__stored_sensitivity {
    int64_t estimate_id;
    char method[16];
    char stratum_label[256]; /* empty for the whole */
    int64_t observed;
    rk_estimate_sensitivity row;
} rk_estimate__stored_sensitivity;

/* Every sensitivity row of a batch, in the order of rk_estimate__batch_rows; free with
 * rk_free. */
int rk_estimate__batch_sensitivity(rk_estimate__stored_sensitivity **out, size_t *n, rk_store *st,
                                   int64_t batch);

/* The missing values of a stratified batch (result.missing of its first row): per --by field,
 * the persons of the table without a value and those of them counted as documented only; per
 * list, the persons it names and how many of them its records give no value. */
#define RK_ESTIMATE__MAX_BY 4
typedef struct rk_estimate__missing_list {
    char *list;
    int64_t persons;
    int64_t without[RK_ESTIMATE__MAX_BY];
} rk_estimate__missing_list;

typedef struct rk_estimate__missing {
    size_t nby;
    char by[RK_ESTIMATE__MAX_BY][40];
    int64_t persons; /* of the table */
    int64_t without[RK_ESTIMATE__MAX_BY], documented_only[RK_ESTIMATE__MAX_BY];
    int64_t imputed[RK_ESTIMATE__MAX_BY]; /* values imputed in the main pass */
    int64_t imputations;                  /* M, or 0 when nothing was imputed */
    rk_estimate__missing_list *lists;
    size_t nlists;
    char *note; /* one sentence per field that lists miss for (nearly) all; empty when none */
    char *json; /* the stored object */
} rk_estimate__missing;

/* The missing values of a batch; *out is NULL when the batch has none (not stratified, or
 * stored before they were). Free with rk_estimate__missing_free. */
int rk_estimate__batch_missing(rk_estimate__missing **out, rk_store *st, int64_t batch);
void rk_estimate__missing_free(rk_estimate__missing *m);
/* The one sentence on field b's missing values that every reader shows: "37 of 621 persons
 * have no region; it was imputed ..." or "...; 37 of them count as documented only". */
int rk_estimate__missing_sentence(rk_buf *out, const rk_estimate__missing *m, size_t b);

/* A batch of stored estimates (one run of `reckon estimate PROJECT`): its id (that of its first
 * row), the link run it estimated from (0: none), and the fields it was stratified by, as
 * --by gave them ("violation", "region, sex"; empty when it was not). */
typedef struct rk_estimate__batch {
    int64_t batch; /* 0: no batch */
    int64_t run_id;
    char by[160];
} rk_estimate__batch;

/* The latest batch, or with `by` the latest stratified by exactly those fields ("violation",
 * "region, sex"; "" for one not stratified); out->batch is 0 when there is none. Rows stored
 * before batches existed (schema 3) belong to none. */
int rk_estimate__latest_batch(rk_estimate__batch *out, rk_store *st, const char *by);

/* An estimate with its 95% interval; NAN where it is not stored. */
typedef struct rk_estimate__interval {
    double estimate, lower, upper;
} rk_estimate__interval;

/* What a stored row's result says beyond its columns: its lists, the sampler's diagnostics,
 * and for a row combined over linkage and imputation replicates (result.replicates) the
 * single-linkage figure and how much imputation and linkage widened the interval. Numbers not
 * stored are NAN, counts 0. */
typedef struct rk_estimate__detail {
    int64_t estimate_id;
    char **lists; /* the names of its lists, in the order of the model's list positions */
    size_t nlists;
    double rhat, ess;      /* result.rhat, result.ess (lcmcr, and sums of its strata) */
    char warning[512];     /* result.warning, or empty */
    double top_tenth_mass; /* dga: posterior mass near the bound, at the main settings */
    bool replicated;       /* result.replicates is present: estimate, lower, upper combine them */
    int64_t linkages, imputations, replicates, answered;
    int64_t imputed;              /* persons of the stratum whose stratum value was imputed */
    char rule[16];                /* "pooled" or "rubin" */
    rk_estimate__interval single; /* the link run's own persons, the imputations combined */
    rk_estimate__interval one;    /* the link run's own persons, one imputation */
    double widened_imputation;    /* width(single) - width(one), in persons */
    double widened_linkage;       /* width(combined) - width(single), in persons */
    int64_t documented;           /* replicated: the persons of the link run's own partition (one
                                     imputation), where the row's observed is the replicates' mean */
} rk_estimate__detail;

/* The details of every row of a batch, in the order of rk_estimate__batch_rows. Free with
 * rk_estimate__details_free. */
int rk_estimate__batch_details(rk_estimate__detail **out, size_t *n, rk_store *st, int64_t batch);
void rk_estimate__details_free(rk_estimate__detail *d, size_t n);

/* One estimate of a total at another link threshold (result.thresholds of a row for the whole
 * population), with the row it belongs to. */
typedef struct rk_estimate__threshold {
    int64_t estimate_id;
    double threshold;
    int64_t observed; /* the persons linking at this threshold makes */
    rk_estimate__interval figure;
    char status[16]; /* "ok" or "refused" */
    char reason[256];
} rk_estimate__threshold;

/* Every threshold row of a batch, in the order of rk_estimate__batch_rows then as stored; free
 * with rk_free. */
int rk_estimate__batch_thresholds(rk_estimate__threshold **out, size_t *n, rk_store *st,
                                  int64_t batch);

/* A method in plain words, for readers who are not statisticians; the one definition that the
 * report and the command line show (a column of the method table, methods.c). */
typedef struct rk_estimate__words {
    const char *method;  /* "lcmcr" */
    const char *title;   /* "the latent-class model (LCMCR)" */
    const char *assumes; /* "assumes people fall into groups that ..." */
} rk_estimate__words;

/* The words of `method`, or NULL for a method reckon does not know ("none"). */
const rk_estimate__words *rk_estimate__method_words(const char *method);

/* Appends a stored row's model (estimate.model) in words, naming its lists (lists[j] is list
 * position j + 1 of a log-linear model): which lists depend on each other and how the model
 * was chosen (loglinear), how many groups of visibility (lcmcr), the graph of highest weight
 * (dga). Nothing for chapman; a model it cannot read, such as a sum of strata, as it is. */
int rk_estimate__model_words(rk_buf *out, const char *method, const char *model,
                             const char *const *lists, size_t nlists);
/* rk_estimate__model_words for the stored row `id`, with its method and lists, of `model` (one
 * of its ranked models, result.models[].name) or, when NULL, of its own. */
int rk_estimate__stored_words(rk_buf *out, rk_store *st, int64_t id, const char *model);

/* ---- the persons of a pass, for exports (person_rows.c) ---- */

/* The latest link run's records read once with the stratum fields, and linkage draws, from
 * which passes are made. */
typedef struct rk_estimate__passes rk_estimate__passes;

/* Reads the latest link run's records with the stratum fields `by` ("region,sex", NULL: none)
 * and `age_groups` as `estimate --by` reads them, and with draws > 0 that many partitions drawn
 * from the link model with `seed` (as estimate's --linkages draws them with its --seed). Free
 * with rk_estimate__passes_free. */
int rk_estimate__passes_open(rk_estimate__passes **out, rk_store *st, const char *by,
                             const char *age_groups, size_t draws, uint64_t seed);
void rk_estimate__passes_free(rk_estimate__passes *p);
/* The linkage draws made (the draws asked for). */
size_t rk_estimate__passes_draws(const rk_estimate__passes *p);

/* One stratum's capture table and its values (as estimate labels them; "" for none). */
typedef struct rk_estimate__stratum_counts {
    const char *values[RK_ESTIMATE__MAX_BY];
    const rk_capture_table *table;
} rk_estimate__stratum_counts;

/* The persons of one pass. Everything points into the pass or its passes: valid until
 * rk_estimate__pass_release and rk_estimate__passes_free. */
typedef struct rk_estimate__pass {
    size_t nlists;
    const char *const *lists; /* list j is bit j of a mask */
    size_t nby;
    const char *by[RK_ESTIMATE__MAX_BY];
    size_t npersons;
    const uint64_t *mask; /* per person: the lists that name it */
    const char **value;   /* npersons * nby: the value's text as strata are labelled, or NULL */
    uint8_t *imputed;     /* per person, bit b: the value of field b was imputed */
    int64_t nimputed[RK_ESTIMATE__MAX_BY];
    uint64_t seed;  /* of the imputation (estimate_imputation_seed), 0 when none ran */
    char (*id)[41]; /* per person: 40 hex digits of SHA-256 over the project's first event's
                       hash and the person's record ids; the same for the same records */
    const rk_capture_table *all;
    size_t nstrata;                      /* 0 without fields */
    rk_estimate__stratum_counts *strata; /* in the order of their values */
    void *impl;
} rk_estimate__pass;

/* The persons of the run's own partition (draw 0) or of linkage draw `draw` (1 ...), with the
 * values they lack imputed when `impute`, by imputation number `imputation` (0 ...) of that
 * partition (estimate_imputation_seed): imputation 0 of draw 0 is estimate's main pass, so its
 * strata are the tables `estimate --by` estimates. Release with rk_estimate__pass_release. */
int rk_estimate__pass_make(rk_estimate__pass *out, rk_estimate__passes *p, size_t draw, bool impute,
                           size_t imputation);
void rk_estimate__pass_release(rk_estimate__pass *r);

/* Appends the header of a counts file (rk_estimate_counts_csv's layout) after `prefix` (the
 * stratum columns, each followed by a comma; "" for none), then t's rows each after
 * `row_prefix`: every pattern in ascending binary order, the first list the most significant
 * bit, with zero counts too when t has at most RK_ESTIMATE__COUNTS_ALL_LISTS lists, else only
 * the patterns seen. */
#define RK_ESTIMATE__COUNTS_ALL_LISTS 16
int rk_estimate__counts_csv_header(rk_buf *out, rk_ctx *ctx, const rk_capture_table *t,
                                   const char *prefix);
int rk_estimate__counts_csv_rows(rk_buf *out, rk_ctx *ctx, const rk_capture_table *t,
                                 const char *row_prefix);

/* part of whole in whole percent, as every reader shows a share: 0 and 100 only when exact. */
int rk_estimate__percent(int64_t part, int64_t whole);

#endif
