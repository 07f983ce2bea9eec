/* A project's estimate on the ranks of an MPI run (tasks.c; docs/scale.md, "Estimating on the
 * ranks"): the work cut into tasks, dealt out longest first, and every answer gathered on
 * rank 0, which project.c then stores as one process would. For src/estimate only. */
#ifndef RK_ESTIMATE_TASKS_PRIVATE_H
#define RK_ESTIMATE_TASKS_PRIVATE_H

#include "replicate_private.h"

/* What the tasks answered, on rank 0: rk_estimate_table's rows for each table of the main pass
 * (a stratum, or the whole table when there are none), and for each method its rows for the
 * whole table beside a sum of strata (when no replicate gives that figure). */
typedef struct estimate_answers {
    size_t ntables;
    rk_estimate **rows; /* ntables: each table's rows, NULL for one without a task */
    size_t *nrows;
    rk_estimate *whole[ESTIMATE_NMETHODS];
    size_t nwhole[ESTIMATE_NMETHODS];
    bool has_whole[ESTIMATE_NMETHODS];
} estimate_answers;

/* Whether this process is a rank of an MPI run (rk_link_mpi_begin). */
bool estimate_mpi_active(void);

/* On every rank, after each read the project and built the main pass t (values imputed,
 * strata counted): makes the tasks (each table of t, each method's whole-table figure, each
 * replicate pass of `plan`), gives each to a rank, longest first, runs this rank's, and sends
 * the answers to rank 0. There *out holds them and *reps the replicates combined (empty when
 * plan replicates nothing); on the other ranks both stay empty. An error on any rank is an
 * error on every one. */
int estimate_tasks_run(estimate_answers *out, replicates *reps, rk_store *st, const units *u,
                       int64_t run_id, const tabulation *t, const replicate_plan *plan,
                       const rk_estimate_options *o);
void estimate_answers_release(estimate_answers *a);

/* The rows of method m alone for the whole table t->all beside a sum of strata: no extra
 * model, no sensitivity rows (project.c's figure without strata, and its task here). */
int estimate_whole_rows(rk_estimate **out, size_t *n, rk_ctx *ctx, const tabulation *t,
                        const rk_estimate_options *o, size_t m);

#endif
