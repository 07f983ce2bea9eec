/* A project's estimate on the ranks of an MPI run (docs/scale.md, "Estimating on the ranks"):
 * each table of the main pass (a stratum, or the whole table), each method's figure for the
 * whole table beside a sum of strata, and each replicate pass (an imputation, a linkage draw, a
 * link threshold) is a task. Every rank has read the project and built the same tasks; they are
 * dealt out longest first by an estimate of their cost, each seeded by what it is and never by
 * the rank that runs it, and rank 0 gets every answer, which project.c stores as one process
 * would: the same rows, byte for byte, whatever the number of ranks. */
#include "tasks_private.h"
#include "link/link_internal.h"

enum task_kind { TASK_TABLE, TASK_WHOLE, TASK_PASS, TASK_CHECK /* a rank's fingerprint */ };

typedef struct task {
    enum task_kind kind;
    size_t index; /* the table, the method or the pass */
    double cost;
    int rank;
} task;

bool estimate_mpi_active(void)
{
    return rk_link__mpi_size() > 0;
}

int estimate_whole_rows(rk_estimate **out, size_t *n, rk_ctx *ctx, const tabulation *t,
                        const rk_estimate_options *o, size_t m)
{
    rk_estimate_options one = *o;
    one.methods = estimate_method_bit(m);
    one.model = NULL;
    one.dga.sensitivity = false;
    return rk_estimate_table(out, n, ctx, t->all, &one);
}

/* What estimating a table costs, roughly, in steps of an estimator's inner loop: LCMCR's
 * sampler sweeps the table's capture patterns for each latent class (never its persons) at
 * every burn-in and thinned iteration of every chain; dga sums over the unseen persons up to
 * its bound (10 times the persons seen; 40 times with the sensitivity rows); log-linear models
 * and Chapman count as one step. */
static double table_cost(const rk_capture_table *ct, const rk_estimate_options *o)
{
    unsigned chosen = estimate_methods_chosen(o, rk_capture_table_nlists(ct));
    double cost = 1, persons = (double)rk_capture_table_observed(ct);
    if (chosen & RK_METHOD_LCMCR) {
        const rk_lcmcr_options *l = &o->lcmcr;
        cost += ((double)rk_capture_table_npatterns(ct) + 1) * (double)l->kstar *
                (double)l->chains * ((double)l->burnin + (double)l->samples * (double)l->thin);
    }
    if (chosen & RK_METHOD_DGA)
        cost += persons * (o->dga.sensitivity ? 40 : 10);
    return cost;
}

/* The tasks of an estimate, in a fixed order: the tables, the whole-table figures, the
 * passes. */
static int make_tasks(task **out, size_t *n, rk_ctx *ctx, const tabulation *t,
                      const replicates *reps, const replicate_work *w, const rk_estimate_options *o)
{
    size_t ntables = t->nby ? t->nstrata : 1, npasses = w ? estimate_replicates_npasses(w) : 0;
    task *tk = rk_calloc(ntables + ESTIMATE_NMETHODS + npasses + 1, sizeof(task));
    if (!tk)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < ntables; i++) {
        if (t->nby && estimate_stratum_unvalued(t, &t->strata[i]))
            continue; /* refused as it is, nothing estimated (project.c) */
        const rk_capture_table *ct = t->nby ? t->strata[i].table : t->all;
        tk[k++] = (task){.kind = TASK_TABLE, .index = i, .cost = table_cost(ct, o)};
    }
    unsigned chosen = estimate_methods_chosen(o, rk_capture_table_nlists(t->all));
    for (size_t m = 0; t->nby && !reps->cell && m < ESTIMATE_NMETHODS; m++)
        if (chosen & estimate_method_bit(m)) {
            rk_estimate_options one = *o;
            one.methods = estimate_method_bit(m);
            tk[k++] = (task){.kind = TASK_WHOLE, .index = m, .cost = table_cost(t->all, &one)};
        }
    /* a pass estimates every stratum and, with strata, the whole table again */
    double pass_cost =
        w ? table_cost(t->all, estimate_replicates_options(w)) * (t->nby ? 2 : 1) : 0;
    for (size_t i = 0; i < npasses; i++)
        tk[k++] = (task){.kind = TASK_PASS, .index = i, .cost = pass_cost};
    *out = tk;
    *n = k;
    return RK_OK;
}

/* What every rank must have read and made alike: the link run, each table's capture counts,
 * the tasks and their costs, each pass's seed and partition. Ranks that read the project at
 * different moments while another process changed it would differ here. */
static uint64_t fingerprint(int64_t run_id, const tabulation *t, const task *tk, size_t n,
                            const replicate_work *w)
{
    uint64_t h = rk_hash64(&run_id, sizeof(run_id), 0x5eed);
    for (size_t i = 0; i <= t->nstrata; i++) {
        const rk_capture_table *ct = i < t->nstrata ? t->strata[i].table : t->all;
        if (i < t->nstrata)
            h = rk_hash64(t->strata[i].key, strlen(t->strata[i].key), h);
        for (size_t j = 0; ct && j < rk_capture_table_npatterns(ct); j++) {
            uint64_t pc[2];
            int64_t count;
            rk_capture_table_pattern(ct, j, &pc[0], &count);
            pc[1] = (uint64_t)count;
            h = rk_hash64(pc, sizeof(pc), h);
        }
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t v[2] = {(uint64_t)tk[i].kind << 56 | tk[i].index, 0};
        memcpy(&v[1], &tk[i].cost, sizeof(double));
        h = rk_hash64(v, sizeof(v), h);
    }
    return w ? estimate_replicates_fingerprint(w, h) : h;
}

typedef struct by_cost {
    double cost;
    size_t i;
} by_cost;

/* Costliest first; equal costs in the tasks' order. */
static int by_cost_cmp(const void *x, const void *y)
{
    const by_cost *a = x, *b = y;
    if (a->cost != b->cost)
        return a->cost > b->cost ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Longest first: each task in turn, the costliest first, to the rank with the least work so
 * far (the lowest of equals). Every rank computes the same deal from the same costs. */
static int deal(task *tk, size_t n, int size, rk_ctx *ctx)
{
    by_cost *order = rk_malloc((n + 1) * sizeof(by_cost));
    double *load = rk_calloc((size_t)size, sizeof(double));
    if (!order || !load) {
        rk_free(order);
        rk_free(load);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (by_cost){tk[i].cost, i};
    if (n > 1)
        qsort(order, n, sizeof(by_cost), by_cost_cmp);
    for (size_t k = 0; k < n; k++) {
        int r = 0;
        for (int q = 1; q < size; q++)
            if (load[q] < load[r])
                r = q;
        tk[order[k].i].rank = r;
        load[r] += order[k].cost;
    }
    double most = 0, all = 0;
    for (int r = 0; r < size; r++) {
        most = load[r] > most ? load[r] : most;
        all += load[r];
    }
    rk_log(ctx, RK_LOG_DEBUG,
           "MPI: %zu tasks on %d ranks, dealt longest first; the busiest rank has %.0f%% of the "
           "estimated work",
           n, size, all > 0 ? 100 * most / all : 0);
    rk_free(order);
    rk_free(load);
    return RK_OK;
}

/* ---- answers as bytes (the same binary on every rank: structs go as they are) ---- */

static int put_estimate(rk_buf *b, const rk_estimate *e)
{
    rk_estimate flat = *e;
    flat.draws = NULL;
    flat.sensitivity = NULL;
    flat.models = NULL;
    int rc = rk_buf_append(b, &flat, sizeof(flat));
    if (rc == RK_OK && e->ndraws)
        rc = rk_buf_append(b, e->draws, e->ndraws * sizeof(double));
    if (rc == RK_OK && e->nsensitivity)
        rc = rk_buf_append(b, e->sensitivity, e->nsensitivity * sizeof(*e->sensitivity));
    for (size_t i = 0; i < e->nmodels && rc == RK_OK; i++)
        rc = put_estimate(b, &e->models[i]);
    return rc;
}

/* Copies `count` elements of `size` bytes at *at into a new array *out. */
static int get_array(void **out, size_t count, size_t size, const char **at, const char *end)
{
    *out = NULL;
    if (!count)
        return RK_OK;
    if (count > (size_t)(end - *at) / size)
        return RK_EINTERNAL;
    if (!(*out = rk_malloc(count * size)))
        return RK_ENOMEM;
    memcpy(*out, *at, count * size);
    *at += count * size;
    return RK_OK;
}

static int get_estimate(rk_estimate *e, const char **at, const char *end, int depth)
{
    rk_estimate_init(e);
    if ((size_t)(end - *at) < sizeof(*e) || depth > 1)
        return RK_EINTERNAL;
    rk_estimate flat;
    memcpy(&flat, *at, sizeof(flat));
    *at += sizeof(flat);
    size_t nd = flat.ndraws, ns = flat.nsensitivity, nm = flat.nmodels;
    flat.draws = NULL, flat.sensitivity = NULL, flat.models = NULL;
    flat.ndraws = flat.nsensitivity = flat.nmodels = 0;
    *e = flat;
    void *draws, *sens;
    int rc = get_array(&draws, nd, sizeof(double), at, end);
    if (rc != RK_OK)
        return rc;
    e->draws = draws, e->ndraws = nd;
    if ((rc = get_array(&sens, ns, sizeof(*e->sensitivity), at, end)) != RK_OK)
        return rc;
    e->sensitivity = sens, e->nsensitivity = ns;
    if (nm && !(e->models = rk_calloc(nm, sizeof(rk_estimate))))
        return RK_ENOMEM;
    for (size_t i = 0; i < nm && rc == RK_OK; i++) {
        e->nmodels = i + 1;
        rc = get_estimate(&e->models[i], at, end, depth + 1);
    }
    return rc;
}

static int put_rows(rk_buf *b, const rk_estimate *rows, size_t n)
{
    uint64_t count = n;
    int rc = rk_buf_append(b, &count, sizeof(count));
    for (size_t i = 0; i < n && rc == RK_OK; i++)
        rc = put_estimate(b, &rows[i]);
    return rc;
}

static int get_rows(rk_estimate **out, size_t *n, const char **at, const char *end)
{
    *out = NULL;
    *n = 0;
    uint64_t count;
    if ((size_t)(end - *at) < sizeof(count))
        return RK_EINTERNAL;
    memcpy(&count, *at, sizeof(count));
    *at += sizeof(count);
    if (count > (size_t)(end - *at) / sizeof(rk_estimate))
        return RK_EINTERNAL;
    rk_estimate *rows = rk_calloc((size_t)count + 1, sizeof(rk_estimate));
    if (!rows)
        return RK_ENOMEM;
    int rc = RK_OK;
    size_t i = 0;
    while (i < count && rc == RK_OK)
        rc = get_estimate(&rows[i++], at, end, 0);
    *out = rows;
    *n = i;
    return rc;
}

/* A task's answer goes as a head (kind, index, bytes) and its bytes. */
typedef struct head {
    uint64_t kind, index, len;
} head;

/* Runs task tk (this rank's) and appends its answer to b. */
static int run_task(rk_buf *b, rk_ctx *ctx, const task *tk, const tabulation *t,
                    const replicate_work *w, const rk_estimate_options *o)
{
    size_t at = b->len;
    head h = {tk->kind, tk->index, 0};
    int rc = rk_buf_append(b, &h, sizeof(h));
    if (rc != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    rk_estimate *rows = NULL;
    size_t n = 0;
    if (tk->kind == TASK_PASS)
        rc = estimate_replicates_put(b, w, tk->index) == RK_OK
                 ? RK_OK
                 : rk_error_set(ctx, RK_ENOMEM, "out of memory");
    else {
        rc =
            tk->kind == TASK_TABLE
                ? rk_estimate_table(&rows, &n, ctx, t->nby ? t->strata[tk->index].table : t->all, o)
                : estimate_whole_rows(&rows, &n, ctx, t, o, tk->index);
        if (rc == RK_OK && put_rows(b, rows, n) != RK_OK)
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        rk_estimate_array_free(rows, n);
    }
    if (rc == RK_OK) {
        h.len = b->len - at - sizeof(h);
        memcpy(b->data + at, &h, sizeof(h));
    }
    return rc;
}

/* Rank 0: every task's answer out of the gathered bytes, each exactly once. */
static int take_answers(estimate_answers *out, replicate_work *w, const task *tk, size_t n,
                        const char *all, size_t len, uint64_t mine, int size, bool *alike)
{
    int checks = 0;
    *alike = true;
    size_t ntasks[3] = {out->ntables, ESTIMATE_NMETHODS, w ? estimate_replicates_npasses(w) : 0};
    size_t expected = n, got = 0;
    bool *seen = rk_calloc(ntasks[0] + ntasks[1] + ntasks[2] + 1, sizeof(bool));
    if (!seen)
        return RK_ENOMEM;
    const char *at = all, *end = all + len;
    int rc = RK_OK;
    while (rc == RK_OK && at < end) {
        head h;
        if ((size_t)(end - at) < sizeof(h)) {
            rc = RK_EINTERNAL;
            break;
        }
        memcpy(&h, at, sizeof(h));
        at += sizeof(h);
        if (h.kind == TASK_CHECK && h.len == 0) {
            checks++;
            *alike &= h.index == mine;
            continue;
        }
        size_t slot = h.kind == TASK_TABLE   ? h.index
                      : h.kind == TASK_WHOLE ? ntasks[0] + h.index
                                             : ntasks[0] + ntasks[1] + h.index;
        if (h.kind > TASK_PASS || h.index >= ntasks[h.kind] || seen[slot] ||
            h.len > (size_t)(end - at)) {
            rc = RK_EINTERNAL;
            break;
        }
        seen[slot] = true;
        got++;
        const char *stop = at + h.len;
        if (h.kind == TASK_PASS)
            rc = estimate_replicates_get(w, h.index, &at, stop);
        else if (h.kind == TASK_TABLE)
            rc = get_rows(&out->rows[h.index], &out->nrows[h.index], &at, stop);
        else {
            out->has_whole[h.index] = true;
            rc = get_rows(&out->whole[h.index], &out->nwhole[h.index], &at, stop);
        }
        if (rc == RK_OK && at != stop)
            rc = RK_EINTERNAL;
    }
    for (size_t i = 0; rc == RK_OK && i < n; i++) /* what was dealt is what came */
        if (!seen[tk[i].kind == TASK_TABLE   ? tk[i].index
                  : tk[i].kind == TASK_WHOLE ? ntasks[0] + tk[i].index
                                             : ntasks[0] + ntasks[1] + tk[i].index])
            rc = RK_EINTERNAL;
    rk_free(seen);
    if (rc == RK_OK && !*alike)
        return RK_EINTERNAL;
    return rc == RK_OK && (got != expected || checks != size) ? RK_EINTERNAL : rc;
}

int estimate_tasks_run(estimate_answers *out, replicates *reps, rk_store *st, const units *u,
                       int64_t run_id, const tabulation *t, const replicate_plan *plan,
                       const rk_estimate_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    memset(out, 0, sizeof(*out));
    memset(reps, 0, sizeof(*reps));
    int me = rk_link_mpi_rank(), size = rk_link__mpi_size();
    replicate_work *w = NULL;
    task *tk = NULL;
    size_t n = 0;
    bool *mine = NULL;
    char *all = NULL;
    size_t len = 0;
    rk_buf b;
    rk_buf_init(&b);
    int rc = RK_OK;
    if ((plan->imputations || plan->linkages) &&
        (rc = estimate_replicates_begin(&w, reps, st, u, run_id, t, plan, o)) != RK_OK)
        goto cleanup;
    out->ntables = t->nby ? t->nstrata : 1;
    out->rows = rk_calloc(out->ntables, sizeof(rk_estimate *));
    out->nrows = rk_calloc(out->ntables, sizeof(size_t));
    mine = rk_calloc((w ? estimate_replicates_npasses(w) : 0) + 1, sizeof(bool));
    if (!out->rows || !out->nrows || !mine) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = make_tasks(&tk, &n, ctx, t, reps, w, o)) != RK_OK ||
        (rc = deal(tk, n, size, ctx)) != RK_OK)
        goto cleanup;
    size_t local = 0, done = 0;
    for (size_t i = 0; i < n; i++)
        if (tk[i].rank == me) {
            local++;
            if (tk[i].kind == TASK_PASS)
                mine[tk[i].index] = true;
        }
    uint64_t print = fingerprint(run_id, t, tk, n, w);
    head check = {TASK_CHECK, print, 0};
    if (rk_buf_append(&b, &check, sizeof(check)) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto gather;
    }
    /* this rank's tasks: the passes in parallel, then the tables one by one */
    rk_progress(ctx, "estimating tasks", 0, local);
    if (w && (rc = estimate_replicates_compute(w, ctx, mine)) != RK_OK)
        goto gather;
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        if (tk[i].rank != me)
            continue;
        rc = run_task(&b, ctx, &tk[i], t, w, o);
        rk_progress(ctx, "estimating tasks", ++done, local);
    }
gather:;
    bool failed = rc != RK_OK;
    int got = rk_link__mpi_gather(&all, &len, ctx, b.data, b.len, failed);
    if (failed || got != RK_OK || me != 0) {
        rc = failed ? rc : got;
        goto cleanup;
    }
    rk_log(ctx, RK_LOG_DEBUG, "MPI: rank 0 gathered %zu bytes of answers", len);
    bool alike;
    rc = take_answers(out, w, tk, n, all, len, print, size, &alike);
    if (rc == RK_ENOMEM)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory reading the ranks' answers");
    else if (!alike)
        rc = rk_error_set(ctx, RK_EINPUT,
                          "the ranks did not read the same project (another process changed it "
                          "while they read it, or they opened different files); nothing was "
                          "written: run the estimate again");
    else if (rc != RK_OK)
        rc = rk_error_set(ctx, RK_EINTERNAL,
                          "the ranks' answers do not match the tasks dealt to them; this is a "
                          "bug in reckon");
    rc = rc || !w ? rc : estimate_replicates_finish(w, ctx);
cleanup:
    estimate_replicates_work_free(w); /* before reps, whose number of slots it reads */
    if (rc != RK_OK || me != 0) {     /* the other ranks and a failed run keep nothing */
        estimate_answers_release(out);
        estimate_replicates_release(reps);
    }
    rk_free(tk);
    rk_free(mine);
    rk_free(all);
    rk_buf_release(&b);
    return rc;
}

void estimate_answers_release(estimate_answers *a)
{
    for (size_t i = 0; a->rows && i < a->ntables; i++)
        rk_estimate_array_free(a->rows[i], a->nrows[i]);
    rk_free(a->rows);
    rk_free(a->nrows);
    for (size_t m = 0; m < ESTIMATE_NMETHODS; m++)
        rk_estimate_array_free(a->whole[m], a->nwhole[m]);
    memset(a, 0, sizeof(*a));
}
