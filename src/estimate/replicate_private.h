/* Replicates of a project's estimate (replicate.c): the same estimate run again on other
 * imputations of the stratum values persons lack, on draws of the partition of records into
 * persons from the link model, and on the partitions that the link thresholds 0.3, 0.5, 0.7
 * and 0.9 give; then combined per stratum and method. project.c stores what this combines
 * beside the single estimate. For src/estimate only. */
#ifndef RK_ESTIMATE_REPLICATE_PRIVATE_H
#define RK_ESTIMATE_REPLICATE_PRIVATE_H

#include "tabulate_private.h"

#define REPLICATE_THRESHOLDS 4

/* What to replicate. */
typedef struct replicate_plan {
    size_t imputations; /* M: passes on the run's own persons, each imputed afresh (0: none) */
    size_t linkages;    /* K: passes on draws of the partition (0: none) */
    bool thresholds;    /* passes at the link thresholds */
    int rule;           /* an rk_combine_rule, or -1: pooled for draws, rubin otherwise */
    const char *lists;  /* --lists */
    uint64_t seed;
} replicate_plan;

/* One stratum's (or the total's) replicates for one method, combined. */
typedef struct replicate_cell {
    size_t single_n, single_answered;      /* the own-persons passes, and those that answered */
    size_t combined_n, combined_answered;  /* the linkage passes */
    rk_combined_estimate single, combined; /* NAN figures when their set is empty or refused */
    double imputed;                        /* persons whose value was imputed (mean per pass) */
    char reason[256];                      /* why the combined figure is refused, or empty */
} replicate_cell;

typedef struct replicate_threshold {
    double threshold;
    bool answered;
    int64_t observed;
    double estimate, lower, upper;
    char reason[256];
} replicate_threshold;

typedef struct replicates {
    replicate_plan plan;
    size_t nslots;        /* the main pass's strata, then the total (the whole table when not
                             stratified), then with strata the whole table unstratified */
    bool cell_whole;      /* the last slot is the whole table unstratified */
    replicate_cell *cell; /* nslots * ESTIMATE_NMETHODS */
    replicate_threshold threshold[ESTIMATE_NMETHODS][REPLICATE_THRESHOLDS];
} replicates;

/* The seed of the imputation `imputation` (0, 1, ...) of the run's own persons (draw 0) or of
 * linkage draw `draw` (1, 2, ...): imputation 0 of the run's own persons is `seed` itself (the
 * main pass's), the first of each draw is that draw's pass's; the one rule that estimate's
 * replicates and the exported replicate files (persons.c) share. */
uint64_t estimate_imputation_seed(uint64_t seed, size_t draw, size_t imputation);

/* Runs the passes of `plan` (in parallel; each seeded by its own number, so the answer does
 * not depend on the threads) over the units of the main pass `main`, with the options `o`
 * lightened for replication (one shorter chain for LCMCR, no sensitivity rows for dga), and
 * combines them. */
int estimate_replicates_run(replicates *out, rk_store *st, const units *u, int64_t run_id,
                            const tabulation *main, const replicate_plan *plan,
                            const rk_estimate_options *o);
void estimate_replicates_release(replicates *r);

/* The same in steps, for the ranks of an MPI run (tasks.c), each of which runs some of the
 * passes: begin makes the passes (the linkage draws and thresholds' partitions) and r's cells;
 * compute runs the passes i with mine[i] (NULL: every one) in parallel; put appends pass i's
 * answers to b as bytes, and get reads them back at *at (before end) into pass i on the rank
 * that combines them (RK_EINTERNAL for bytes that do not fit, RK_ENOMEM); finish combines
 * every pass into r. The work is freed with estimate_replicates_work_free (NULL accepted). */
typedef struct replicate_work replicate_work;
int estimate_replicates_begin(replicate_work **out, replicates *r, rk_store *st, const units *u,
                              int64_t run_id, const tabulation *main, const replicate_plan *plan,
                              const rk_estimate_options *o);
size_t estimate_replicates_npasses(const replicate_work *w);
/* The options each pass estimates with (lightened). */
const rk_estimate_options *estimate_replicates_options(const replicate_work *w);
/* h hashed further with each pass's seed and partition: what every rank must have made alike. */
uint64_t estimate_replicates_fingerprint(const replicate_work *w, uint64_t h);
int estimate_replicates_compute(replicate_work *w, rk_ctx *ctx, const bool *mine);
int estimate_replicates_put(rk_buf *b, const replicate_work *w, size_t i);
int estimate_replicates_get(replicate_work *w, size_t i, const char **at, const char *end);
int estimate_replicates_finish(replicate_work *w, rk_ctx *ctx);
void estimate_replicates_work_free(replicate_work *w);

/* The cell of a slot (a stratum of the main pass, main->nstrata for the total, main->nstrata +
 * 1 for the whole table unstratified) and method, NULL when nothing was replicated. */
const replicate_cell *estimate_replicates_cell(const replicates *r, size_t slot, size_t method);

/* Appends ,"replicates":{...} for a cell, given the single estimate `one` (the main pass's),
 * and for the total ,"thresholds":[...] too. */
int estimate_replicates_json(rk_buf *out, const replicates *r, size_t slot, size_t method,
                             const rk_estimate *one, bool total);

#endif
