/* `reckon link` in the library: the set-up (defaults, configuration file, overrides), the
 * records loaded from the project, the engine run, and the results saved in one transaction. */
#include "link_private.h"
#include "mpi.h"
#include "project_private.h"
#include "store/store_internal.h"

#include <math.h>
#include <omp.h>
#include <sqlite3.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int rk_link_latest_run(int64_t *run_id, rk_store *st)
{
    sqlite3_stmt *s = NULL;
    *run_id = 0;
    int rc = rk_store__prepare(&s, st, "SELECT max(id) FROM link_run", "cannot read link runs");
    if (rc != RK_OK)
        return rc;
    rc = RK_ENOTFOUND;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        *run_id = sqlite3_column_int64(s, 0);
        rc = RK_OK;
    }
    sqlite3_finalize(s);
    if (rc == RK_ENOTFOUND)
        rk_error_set(rk_store_ctx(st), RK_ENOTFOUND,
                     "%s: the project has not been linked yet; run 'reckon link %s'",
                     rk_store_path(st), rk_store_path(st));
    return rc;
}

bool link_names_hold(const char *names, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = names; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t k = strcspn(p, ", ");
        if (k == n && k > 0 && memcmp(p, name, n) == 0)
            return true;
        p += k;
    }
    return false;
}

/* Lists named in the configuration's "unique =" as holding no duplicates. */
static bool *unique_flags(const link_setup *s, const project_records *r)
{
    if (!s->unique_lists[0] || r->nlists == 0)
        return NULL;
    bool *u = rk_calloc(r->nlists, sizeof(bool));
    if (!u)
        return NULL;
    for (size_t l = 0; l < r->nlists; l++)
        u[l] = link_names_hold(s->unique_lists, r->list_name[l]);
    return u;
}

/* Names the extras the defaults leave out (a configuration's `fields =` chooses them). */
static void warn_extras_left_out(const link_setup *s, rk_ctx *ctx)
{
    if (s->fields_set)
        return;
    size_t left = s->nextras > LINK_MAX_EXTRAS ? s->nextras - LINK_MAX_EXTRAS : 0;
    for (size_t e = 0; e < s->nextras && e < LINK_MAX_EXTRAS; e++) {
        if (s->extras[e].too_long)
            rk_log(ctx, RK_LOG_WARN,
                   "%s...: the name of a mapped extra field is longer than %zu characters, so it "
                   "is not compared; map the column under a shorter name",
                   s->extras[e].name, sizeof(s->extras[e].name) - 7);
        else
            left += !s->extras[e].compared;
    }
    if (left == 0)
        return;
    char names[512] = "";
    size_t len = 0, listed = 0;
    for (size_t e = 0; e < s->nextras && e < LINK_MAX_EXTRAS; e++) {
        if (s->extras[e].compared || s->extras[e].too_long)
            continue;
        int w = snprintf(names + len, sizeof(names) - len, "%s%s", listed ? ", " : "",
                         s->extras[e].name);
        if (w < 0 || (size_t)w >= sizeof(names) - len) {
            names[len] = '\0';
            break;
        }
        len += (size_t)w;
        listed++;
    }
    rk_log(ctx, RK_LOG_WARN,
           "%zu mapped extra fields are not compared, as a link compares at most %d fields: "
           "%s%s; choose the fields with 'fields =' in a configuration file (--config FILE)",
           left, RK_LINK_MAX_FIELDS, names, listed < left ? " and more" : "");
}

int link_setup_make(link_setup *s, rk_store *st, const char *config_path, bool warn)
{
    rk_ctx *ctx = rk_store_ctx(st);
    link_setup_defaults(s);
    int rc = link_setup_read_extras(s, st);
    if (rc != RK_OK)
        return rc;
    link_setup_add_extras(s);
    if (config_path && (rc = link_setup_read_config(s, ctx, config_path)) != RK_OK)
        return rc;
    if (warn)
        warn_extras_left_out(s, ctx);
    return RK_OK;
}

/* Each compared field's levels with their fitted weights, log2(m/u), one line a field: the run
 * summary shows what every field, a mapped extra too, counted for. */
static void log_fields(rk_ctx *ctx, const link_setup *s, const rk_link_model *m)
{
    for (size_t c = 0; c < s->ncompare && c < m->ncompare; c++) {
        const rk_link_compare *cmp = &s->compare[c];
        char line[768];
        size_t len = 0;
        for (size_t l = 0; l < m->nlevels[c] && len < sizeof(line); l++) {
            double mm = m->m[c][l], uu = m->u[c][l];
            int w = snprintf(line + len, sizeof(line) - len, "%s%s %+.2f", l ? "; " : "",
                             l < cmp->nlevels ? cmp->levels[l].label : "else",
                             mm > 0 && uu > 0 ? log2(mm / uu) : 0.0);
            if (w < 0)
                break;
            len += (size_t)w;
        }
        rk_log(ctx, RK_LOG_INFO, "field '%s': %s", s->fields[cmp->field].name, line);
    }
}

int rk_link_project_explain_blocks(rk_link_blocks_explained *out, rk_store *st,
                                   const rk_link_project_options *opts)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, opts && out && opts->version == RK_LINK_PROJECT_OPTIONS_VERSION);
    memset(out, 0, sizeof(*out));
    link_setup *s = rk_calloc(1, sizeof(*s));
    project_records r;
    memset(&r, 0, sizeof(r));
    int rc = RK_OK;
    if (!s)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    if ((rc = link_setup_make(s, st, opts->config_path, true)) != RK_OK)
        goto cleanup;
    if (opts->threads > 0)
        s->opts.threads = opts->threads;
    if ((rc = link_records_load(&r, st, s)) != RK_OK)
        goto cleanup;
    s->opts.rules = s->rules;
    s->opts.nrules = s->nrules;
    s->opts.compare = s->compare;
    s->opts.ncompare = s->ncompare;
    int saved_threads = omp_get_max_threads();
    if (s->opts.threads > 0)
        omp_set_num_threads(s->opts.threads);
    rc = link_block_explain(ctx, out->rules, &r.data, &s->opts);
    omp_set_num_threads(saved_threads);
    if (rc != RK_OK)
        goto cleanup;
    out->records = r.data.nrecords;
    out->lists = r.nlists;
    out->max_block = s->opts.max_block;
    out->nrules = s->nrules;
    for (size_t q = 0; q < s->nrules; q++)
        out->pairs += out->rules[q].stats.pairs;
cleanup:
    link_records_release(&r);
    rk_free(s);
    return rc;
}

int rk_link_project(rk_link_project_result *out, rk_store *st, const rk_link_project_options *opts)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, opts && out && opts->version == RK_LINK_PROJECT_OPTIONS_VERSION);
    memset(out, 0, sizeof(*out));
    double t0 = now_s();
    link_setup *s = rk_calloc(1, sizeof(*s));
    project_records r;
    memset(&r, 0, sizeof(r));
    rk_link_result *res = NULL;
    bool *unique = NULL;
    bool txn = false;
    link_mpi_hasher hasher = {0};
    project_add add;
    memset(&add, 0, sizeof(add));
    rk_buf added;
    rk_buf_init(&added);
    int rc = RK_OK;
    int saved_threads = omp_get_max_threads();
    if (!s)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    if ((rc = link_setup_make(s, st, opts->config_path, true)) != RK_OK)
        goto cleanup;
    if (opts->threshold > 0 && opts->threshold < 1)
        s->opts.threshold = opts->threshold;
    if (opts->seed_set)
        s->opts.seed = opts->seed;
    if (opts->threads > 0)
        s->opts.threads = opts->threads;
    if (s->opts.review_high < s->opts.threshold)
        s->opts.review_high = s->opts.threshold;
    /* --threads holds for every step, the save's sorts (rk_sort_by_u64) included. */
    if (s->opts.threads > 0)
        omp_set_num_threads(s->opts.threads);
    if ((rc = link_records_load(&r, st, s)) != RK_OK)
        goto cleanup;
    if (r.data.nrecords < 2) {
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: %zu current records: nothing to link; import lists first",
                          rk_store_path(st), r.data.nrecords);
        goto cleanup;
    }
    unique = unique_flags(s, &r);
    s->opts.rules = s->rules;
    s->opts.nrules = s->nrules;
    s->opts.compare = s->compare;
    s->opts.ncompare = s->ncompare;
    s->opts.labels = r.labels;
    s->opts.nlabels = r.nlabels;
    s->opts.list_unique = unique;
    bool adding = opts->add_list != NULL, incremental = adding && !opts->refit;
    if (adding && (rc = link_add_prepare(&add, st, s, &r, opts->add_list, !opts->refit)) != RK_OK)
        goto cleanup;
    if (incremental) {
        rk_log(ctx, RK_LOG_INFO,
               "adding list '%s' (%zu records) to the %zu records of link run %lld, scored with "
               "its model",
               add.list, add.added, add.old_records, (long long)add.run_id);
        link_add la = {.model = add.model,
                       .touch = add.touch,
                       .person = add.person,
                       .a = add.a,
                       .b = add.b,
                       .weight = add.weight,
                       .prob = add.prob,
                       .npairs = add.npairs};
        rc = link_run_add(&res, ctx, &r.data, &s->opts, &la);
    } else {
        rc = rk_link_run(&res, ctx, &r.data, &s->opts);
    }
    /* Rank 0 alone writes an MPI run's result; the other ranks hash the rows it writes. */
    link_mpi_hash_begin(&hasher, ctx);
    if (!link_mpi_root()) {
        rc = link_mpi_hash_serve(rc);
        goto cleanup;
    }
    if (rc != RK_OK)
        goto cleanup;
    log_fields(ctx, s, &res->model);
    /* An added list is scored with a model the sense check passed when it was fitted. */
    if (!incremental && (rc = link_run_check(ctx, rk_store_path(st), s, &r, res)) != RK_OK)
        goto cleanup;
    if (adding) {
        int w = rk_buf_puts(&added, "{\"list\":");
        w = w ? w : rk_buf_json_string(&added, add.list, strlen(add.list));
        w = w ? w
              : rk_buf_printf(&added,
                              ",\"records\":%zu,\"to_run\":%lld,\"refit\":%s,"
                              "\"pairs_compared\":%llu}",
                              add.added, (long long)add.run_id, opts->refit ? "true" : "false",
                              (unsigned long long)res->ncompared);
        if (w != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    /* Every record, run and vector the save names was read or written here (see
     * rk_store__begin_unchecked). */
    if ((rc = rk_store__begin_unchecked(st)) != RK_OK)
        goto cleanup;
    txn = true;
    /* The rows the save writes are hashed for the audit chain on the other ranks of an MPI run,
     * else on a second thread when the run may use one. */
    if (!link_mpi_hash_rows(&hasher, st) && omp_get_max_threads() > 1)
        rk_store__hash_rows_beside(st);
    double seconds = now_s() - t0;
    link_save_earlier earlier = {.added = rk_buf_cstr(&added),
                                 .run_id = add.run_id,
                                 .npairs = incremental ? add.npairs : 0,
                                 .state = add.state};
    if ((rc = link_run_save(st, s, &r, res, seconds, adding ? &earlier : NULL, &out->run_id,
                            &out->pairs_stored, &out->review)) != RK_OK)
        goto cleanup;
    if ((rc = rk_store_commit(st)) != RK_OK) {
        txn = false;
        goto cleanup;
    }
    txn = false;
    out->records = r.data.nrecords;
    out->lists = r.nlists;
    out->persons = res->nclusters;
    out->pairs_compared = res->ncompared;
    link_count_refusals(out->kept_apart, res);
    out->labels = r.nlabels;
    out->added = add.added;
    out->seconds = now_s() - t0;
cleanup:
    if (txn)
        rk_store_rollback(st);
    link_mpi_hash_end(&hasher); /* after the transaction's end, which may have ended it */
    omp_set_num_threads(saved_threads);
    rk_link_result_free(res);
    rk_free(unique);
    link_add_release(&add);
    rk_buf_release(&added);
    link_records_release(&r);
    rk_free(s);
    return rc;
}
