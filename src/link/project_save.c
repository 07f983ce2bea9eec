/* Saving a link run: the run with its configuration, fitted model and statistics, the scored
 * pairs above the floor (and every pair sent to review) with their comparison vectors, each
 * stored once, the persons, and the "link" event whose digests let `reckon verify` check
 * persons and pairs. Runs in the caller's transaction. */
#include "project_private.h"
#include "store/store_internal.h"

#include <math.h>
#include <sqlite3.h>

static int model_json(const link_setup *s, const rk_link_model *m, rk_buf *b)
{
    int rc =
        rk_buf_printf(b,
                      "{\"prior\":%.17g,\"lambda\":%.17g,\"lambda_blocked\":%.17g,"
                      "\"lambda_within\":%.17g,\"lambda_across\":%.17g,"
                      "\"iterations\":%d,\"converged\":%s,\"change\":%.17g,\"patterns\":%zu,"
                      "\"trace\":[",
                      m->lambda, m->lambda, m->lambda_blocked, m->lambda_within, m->lambda_across,
                      m->iterations, m->converged ? "true" : "false", m->change, m->npatterns);
    for (size_t t = 0; t < m->ntrace && rc == RK_OK; t++)
        rc =
            rk_buf_printf(b, "%s{\"lambda\":%.17g,\"change\":%.17g,\"loglik\":%.17g}", t ? "," : "",
                          m->trace[t].lambda, m->trace[t].change, m->trace[t].loglik);
    rc = rc ? rc : rk_buf_puts(b, "],\"fields\":[");
    for (size_t c = 0; c < s->ncompare && rc == RK_OK; c++) {
        const rk_link_compare *cmp = &s->compare[c];
        const char *name = s->fields[cmp->field].name;
        rc = rk_buf_printf(b, "%s{\"name\":", c ? "," : "");
        rc = rc ? rc : rk_buf_json_string(b, name, strlen(name));
        size_t dep = m->depends_on[c];
        if (rc == RK_OK && dep && dep <= s->ncompare) {
            const char *with = s->fields[s->compare[dep - 1].field].name;
            rc = rk_buf_puts(b, ",\"depends_on\":");
            rc = rc ? rc : rk_buf_json_string(b, with, strlen(with));
            rc = rc ? rc : rk_buf_printf(b, ",\"lift\":%.17g", m->lift[c]);
        }
        rc = rc ? rc : rk_buf_puts(b, ",\"levels\":[");
        for (size_t l = 0; l < m->nlevels[c] && rc == RK_OK; l++) {
            const char *label = l < cmp->nlevels ? cmp->levels[l].label : "else";
            double mm = m->m[c][l], uu = m->u[c][l];
            double w = (mm > 0 && uu > 0) ? log2(mm / uu) : 0;
            rc = rk_buf_printf(b, "%s{\"label\":", l ? "," : "");
            rc = rc ? rc : rk_buf_json_string(b, label, strlen(label));
            rc = rc ? rc
                    : rk_buf_printf(
                          b,
                          ",\"m\":%.17g,\"u\":%.17g,\"u_random\":%.17g,\"u_blocked\":%.17g,"
                          "\"weight\":%.17g}",
                          mm, uu, m->u_sample[c][l], m->u_blocked[c][l], w);
        }
        rc = rc ? rc : rk_buf_puts(b, "]}");
    }
    return rc ? rc : rk_buf_puts(b, "]}");
}

static int stats_json(const link_setup *s, const project_records *r, const rk_link_result *res,
                      size_t stored, size_t in_review, double seconds, rk_buf *b)
{
    int rc = rk_buf_printf(b,
                           "{\"records\":%zu,\"lists\":%zu,\"pairs_compared\":%zu,"
                           "\"pairs_stored\":%zu,\"persons\":%zu,\"review\":%zu,\"labels\":%zu,"
                           "\"seconds\":%.3f,",
                           r->data.nrecords, r->nlists, (size_t)res->ncompared, stored,
                           res->nclusters, in_review, r->nlabels, seconds);
    size_t kept[RK_REVIEW_REASON_COUNT];
    link_count_refusals(kept, res);
    rc = rc ? rc : rk_buf_puts(b, "\"kept_apart\":{");
    for (int k = RK_REVIEW_REVIEWER; k < RK_REVIEW_REASON_COUNT && rc == RK_OK; k++)
        rc = rk_buf_printf(b, "%s\"%s\":%zu", k == RK_REVIEW_REVIEWER ? "" : ",",
                           rk_link_review_reason_name(k), kept[k]);
    rc = rc ? rc : rk_buf_puts(b, "},\"blocking\":[");
    for (size_t i = 0; i < res->nrules && rc == RK_OK; i++) {
        const rk_link_block_stats *bs = &res->rules[i];
        rc = rk_buf_printf(b, "%s{\"name\":", i ? "," : "");
        rc = rc ? rc : rk_buf_json_string(b, s->rule_names[i], strlen(s->rule_names[i]));
        rc = rc ? rc
                : rk_buf_printf(b,
                                ",\"blocks\":%llu,\"largest\":%llu,\"pairs\":%llu,\"split\":%llu,"
                                "\"skipped\":%llu",
                                (unsigned long long)bs->blocks, (unsigned long long)bs->largest,
                                (unsigned long long)bs->pairs, (unsigned long long)bs->split,
                                (unsigned long long)bs->skipped);
        /* Only when left out: runs that leave nothing out read as before. */
        if (rc == RK_OK && bs->left_out)
            rc = rk_buf_printf(b, ",\"left_out\":%llu", (unsigned long long)bs->left_out);
        rc = rc ? rc : rk_buf_puts(b, "}");
    }
    return rc ? rc : rk_buf_puts(b, "]}");
}

void link_count_refusals(size_t counts[RK_REVIEW_REASON_COUNT], const rk_link_result *res)
{
    for (int k = 0; k < RK_REVIEW_REASON_COUNT; k++)
        counts[k] = 0;
    for (size_t i = 0; i < res->nreview; i++)
        if (res->review[i].reason > RK_REVIEW_UNCERTAIN &&
            res->review[i].reason < RK_REVIEW_REASON_COUNT)
            counts[res->review[i].reason]++;
}

/* Review pairs, for membership tests: sorted (a, b) keys. */
static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static const char *pair_status(const link_setup *s, const rk_link_result *res, size_t p,
                               const uint64_t *review, size_t nreview)
{
    uint64_t key = ((uint64_t)res->a[p] << 32) | res->b[p];
    if (nreview && bsearch(&key, review, nreview, sizeof(uint64_t), cmp_u64))
        return "review";
    bool same = res->cluster[res->a[p]] == res->cluster[res->b[p]];
    double pr = res->prob[p];
    if (pr >= s->opts.threshold)
        return same ? "linked" : "split";
    if (pr >= s->opts.review_low && pr < s->opts.review_high)
        return "review";
    return same ? "linked" : "unlinked";
}

/* The pairs of persons (cluster numbers, smaller first) that a pair stored for its own sake
 * (at or above the floor, or sent to review) connects, sorted; a pair scored below the floor
 * between two such persons, or within one, is stored too, so that re-clustering them later
 * (rk_link__recluster) sees the contradictions this run saw. */
static uint64_t cluster_key(const rk_link_result *res, size_t p)
{
    uint32_t x = res->cluster[res->a[p]], y = res->cluster[res->b[p]];
    return x < y ? ((uint64_t)x << 32) | y : ((uint64_t)y << 32) | x;
}

static int connected_persons(uint64_t **out, size_t *n, const link_setup *s,
                             const rk_link_result *res, const uint64_t *review, size_t nreview)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (size_t p = 0; p < res->npairs; p++) {
        if (res->prob[p] < s->opts.keep_floor &&
            strcmp(pair_status(s, res, p, review, nreview), "review") != 0)
            continue;
        if (res->cluster[res->a[p]] == res->cluster[res->b[p]])
            continue;
        if (rk_grow((void **)out, &cap, *n + 1, sizeof(**out)) != RK_OK)
            return RK_ENOMEM;
        (*out)[(*n)++] = cluster_key(res, p);
    }
    if (*n > 1)
        qsort(*out, *n, sizeof(**out), cmp_u64);
    return RK_OK;
}

static bool pair_stored(const link_setup *s, const rk_link_result *res, size_t p,
                        const char *status, const uint64_t *connected, size_t nconnected)
{
    if (res->prob[p] >= s->opts.keep_floor || strcmp(status, "review") == 0)
        return true;
    if (res->cluster[res->a[p]] == res->cluster[res->b[p]])
        return true;
    uint64_t key = cluster_key(res, p);
    return nconnected && bsearch(&key, connected, nconnected, sizeof(uint64_t), cmp_u64);
}

/* The links clustering refused, sorted by their (a, b) key, to find a stored pair's. */
typedef struct refused {
    uint64_t key;
    const rk_link_review *why;
} refused;

static int cmp_refused(const void *x, const void *y)
{
    return cmp_u64(&((const refused *)x)->key, &((const refused *)y)->key);
}

static int list_refused(refused **out, size_t *n, const rk_link_result *res)
{
    *n = 0;
    if (!(*out = rk_malloc((res->nreview + 1) * sizeof(refused))))
        return RK_ENOMEM;
    for (size_t i = 0; i < res->nreview; i++) {
        const rk_link_review *w = &res->review[i];
        if (w->reason <= RK_REVIEW_UNCERTAIN)
            continue;
        uint32_t a = RK_MIN(w->a, w->b), b = RK_MAX(w->a, w->b);
        (*out)[(*n)++] = (refused){((uint64_t)a << 32) | b, w};
    }
    if (*n > 1)
        qsort(*out, *n, sizeof(refused), cmp_refused);
    return RK_OK;
}

/* A refused pair's refusal column: the reason's name, the records (ids) whose pair blocked
 * the join and that pair's probability or the bridge's mean. */
static int refusal_json(rk_buf *b, const project_records *r, const rk_link_review *w)
{
    rk_buf_clear(b);
    int rc = rk_buf_printf(b, "{\"reason\":\"%s\"", rk_link_review_reason_name(w->reason));
    if (rc == RK_OK && w->by_a != UINT32_MAX)
        rc = rk_buf_printf(b, ",\"record_a\":%lld,\"record_b\":%lld",
                           (long long)r->record_id[w->by_a], (long long)r->record_id[w->by_b]);
    return rc ? rc : rk_buf_printf(b, ",\"value\":%.6g}", w->value);
}

static int insert_run(rk_store *st, const link_setup *s, const char *config, const char *model,
                      const char *stats, int64_t *run_id)
{
    sqlite3_stmt *q = NULL;
    char now[32];
    rk_time_iso(now);
    int rc =
        rk_store__prepare(&q, st,
                          "INSERT INTO link_run(time, reckon_version, config, model, seed,"
                          " threshold, review_low, review_high, stats) VALUES (?,?,?,?,?,?,?,?,?)",
                          "cannot write the link run");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(q, 1, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, RK_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, config, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, model, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)s->opts.seed);
    sqlite3_bind_double(q, 6, s->opts.threshold);
    sqlite3_bind_double(q, 7, s->opts.review_low);
    sqlite3_bind_double(q, 8, s->opts.review_high);
    sqlite3_bind_text(q, 9, stats, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot write the link run");
    else
        *run_id = sqlite3_last_insert_rowid(rk_store__db(st));
    sqlite3_finalize(q);
    return rc;
}

/* A pair to store, by its records' ids: pairs are written in the order of the table's key, so
 * that each insert lands beside the one before (in block order they land anywhere in the
 * B-tree, and a million pairs read and write pages all over the file). */
typedef struct stored_pair {
    int64_t a, b;
    size_t p;
} stored_pair;

/* Sorts the pairs by (a, b): stable radix sorts by b, then by a (qsort took 5 s for the 13.5
 * million pairs of ten million records, without progress). Ids are flipped in their sign bit
 * while sorted, which orders them as unsigned numbers as they are ordered signed. false when
 * out of memory. */
static bool sort_stored(rk_ctx *ctx, stored_pair *o, size_t n)
{
    const uint64_t sign = (uint64_t)1 << 63;
    for (size_t i = 0; i < n; i++) { /* b first, where the sort reads its key */
        uint64_t a = (uint64_t)o[i].a ^ sign, b = (uint64_t)o[i].b ^ sign;
        o[i].a = (int64_t)b, o[i].b = (int64_t)a;
    }
    bool ok = rk_sort_by_u64_progress(ctx, o, n, sizeof(*o));
    for (size_t i = 0; i < n; i++) {
        int64_t b = o[i].a;
        o[i].a = o[i].b, o[i].b = b;
    }
    ok = ok && rk_sort_by_u64_progress(ctx, o, n, sizeof(*o));
    for (size_t i = 0; i < n; i++) {
        o[i].a = (int64_t)((uint64_t)o[i].a ^ sign);
        o[i].b = (int64_t)((uint64_t)o[i].b ^ sign);
    }
    return ok;
}

/* The statuses a stored pair may have, as link_pair_state numbers them. */
static const char *const pair_statuses[] = {"linked", "unlinked", "review", "split"};
#define STATE_REFUSED 4u

uint8_t link_pair_state(const char *status, bool has_refusal)
{
    uint8_t k = 0;
    while (k < 3 && strcmp(pair_statuses[k], status) != 0)
        k++;
    return (uint8_t)(k | (has_refusal ? STATE_REFUSED : 0));
}

/* Runs one statement of two run ids (?1 the new run, ?2 the earlier one) and, when the
 * statement has them, a range of record ids (?3 to ?4); *rows is the rows it wrote. */
static int copy_from_run(int64_t *rows, rk_store *st, sqlite3_stmt *q, int64_t run_id, int64_t from,
                         int64_t lo, int64_t hi)
{
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, run_id);
    sqlite3_bind_int64(q, 2, from);
    if (sqlite3_bind_parameter_count(q) == 4) {
        sqlite3_bind_int64(q, 3, lo);
        sqlite3_bind_int64(q, 4, hi);
    }
    if (sqlite3_step(q) != SQLITE_DONE)
        return rk_store__sqlerr(st, "cannot write pairs");
    *rows = sqlite3_changes64(rk_store__db(st));
    return RK_OK;
}

/* The earlier pairs are copied in this many ranges of their first record, for progress (ten
 * million records' 13.5 million pairs take seconds). */
#define COPY_CHUNKS 64

/* An earlier run's pairs, copied as stored into run run_id with the vectors they name, under
 * the same numbers (their levels, weight and probability do not change: the model and the
 * records are the same). The ranges are cut at the ids of the loaded records (sorted), the
 * first from the smallest id and the last to the largest, so that they cover every pair; the
 * rows copied are checked against the pairs read. */
static int copy_earlier_pairs(rk_store *st, int64_t run_id, const link_save_earlier *e,
                              const project_records *r)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *v = NULL, *q = NULL;
    int64_t rows = 0, copied = 0;
    int rc = rk_store__prepare(&v, st,
                               "INSERT INTO pair_vector(run_id, id, levels) SELECT ?1, id, levels"
                               " FROM pair_vector WHERE run_id = ?2",
                               "cannot write pairs");
    if (rc == RK_OK)
        rc = copy_from_run(&rows, st, v, run_id, e->run_id, 0, 0);
    if (rc == RK_OK)
        rc = rk_store__prepare(&q, st,
                               "INSERT INTO pair(run_id, record_a, record_b, weight, probability,"
                               " vector, status, refusal) SELECT ?1, record_a, record_b, weight,"
                               " probability, vector, status, refusal FROM pair WHERE run_id = ?2"
                               " AND record_a BETWEEN ?3 AND ?4",
                               "cannot write pairs");
    size_t n = r->data.nrecords, chunks = n < COPY_CHUNKS ? 1 : COPY_CHUNKS;
    for (size_t c = 0; c < chunks && rc == RK_OK; c++) {
        rk_progress(ctx, "copying pairs", (uint64_t)copied, e->npairs);
        int64_t lo = c == 0 ? INT64_MIN : r->record_id[c * n / chunks];
        int64_t hi = c + 1 == chunks ? INT64_MAX : r->record_id[(c + 1) * n / chunks] - 1;
        rc = copy_from_run(&rows, st, q, run_id, e->run_id, lo, hi);
        copied += rows;
    }
    /* Every pair of the earlier run was read (a pair naming a record no longer current refuses
     * --add), so the ranges must have copied that many. */
    if (rc == RK_OK && (uint64_t)copied != e->npairs)
        rc = rk_error_set(ctx, RK_EINTERNAL,
                          "%s: copied %lld of the %zu pairs of link run %lld; nothing was saved "
                          "(a bug in reckon: please report it)",
                          rk_store_path(st), (long long)copied, e->npairs, (long long)e->run_id);
    if (rc == RK_OK)
        rk_progress(ctx, "copying pairs", e->npairs, e->npairs);
    sqlite3_finalize(v);
    sqlite3_finalize(q);
    return rc;
}

/* The comparison vectors of the pairs a run writes, each stored once in pair_vector (a million
 * pairs have some tens of thousands): each field's level and its weight, log2(m/u), in field
 * order, as JSON. Vector i (of the sorted, distinct patterns) is text[start[i], start[i + 1])
 * and is stored as number id[i]. */
typedef struct vector_levels {
    uint64_t *pattern; /* sorted, distinct */
    size_t *start, n;
    int64_t *id;
    rk_buf text;
} vector_levels;

static void vector_levels_free(vector_levels *v)
{
    rk_free(v->pattern);
    rk_free(v->start);
    rk_free(v->id);
    rk_buf_release(&v->text);
    memset(v, 0, sizeof(*v));
}

static int levels_json(rk_buf *b, const link_setup *s, const rk_link_model *m, uint64_t pattern)
{
    int rc = rk_buf_putc(b, '[');
    for (size_t c = 0; c < s->ncompare && rc == RK_OK; c++) {
        int lv = (int)((pattern >> (4 * c)) & 15);
        const rk_link_compare *cmp = &s->compare[c];
        const char *label = lv == RK_LINK_MISSING       ? "missing"
                            : (size_t)lv < cmp->nlevels ? cmp->levels[lv].label
                                                        : "else";
        double w = 0;
        if (lv != RK_LINK_MISSING) {
            double mm = m->m[c][lv], uu = m->u[c][lv];
            w = (mm > 0 && uu > 0) ? log2(mm / uu) : 0;
        }
        rc = rk_buf_printf(b, "%s{\"field\":\"%s\",\"level\":", c ? "," : "",
                           s->fields[cmp->field].name);
        rc = rc ? rc : rk_buf_json_string(b, label, strlen(label));
        rc = rc ? rc : rk_buf_printf(b, ",\"weight\":%.6f}", w);
    }
    return rc ? rc : rk_buf_putc(b, ']');
}

/* The distinct vectors of the pairs of order[0, n) not copied (p >= nearlier), with their
 * text. */
static int vector_levels_build(vector_levels *v, rk_ctx *ctx, const link_setup *s,
                               const rk_link_result *res, const stored_pair *order, size_t n,
                               size_t nearlier)
{
    rk_buf_init(&v->text);
    v->pattern = rk_malloc((n + 1) * sizeof(uint64_t));
    v->start = rk_malloc((n + 2) * sizeof(size_t));
    v->id = rk_malloc((n + 1) * sizeof(int64_t));
    if (!v->pattern || !v->start || !v->id)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (order[k].p >= nearlier)
            v->pattern[m++] = res->pattern[order[k].p];
    qsort(v->pattern, m, sizeof(uint64_t), cmp_u64);
    for (size_t k = 0; k < m; k++)
        if (k == 0 || v->pattern[k] != v->pattern[v->n - 1])
            v->pattern[v->n++] = v->pattern[k];
    for (size_t i = 0; i < v->n; i++) {
        v->start[i] = v->text.len;
        if (levels_json(&v->text, s, &res->model, v->pattern[i]) != RK_OK)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    v->start[v->n] = v->text.len;
    return RK_OK;
}

/* An earlier run's vectors (copied into the new run under their numbers), sorted by text, so
 * that a new pair whose vector the earlier run had names the same number. */
typedef struct old_vector {
    char *levels;
    int64_t id;
} old_vector;

static int cmp_old_vector(const void *x, const void *y)
{
    return strcmp(((const old_vector *)x)->levels, ((const old_vector *)y)->levels);
}

static int read_old_vectors(old_vector **out, size_t *n, int64_t *max_id, rk_store *st,
                            int64_t run_id)
{
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    *max_id = 0;
    int rc = rk_store__prepare_int64(&q, st, "SELECT id, levels FROM pair_vector WHERE run_id = ?1",
                                     run_id, "cannot read the pairs of the latest link run");
    if (rc != RK_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *t = rk_store__text(q, 1);
        char *copy = rk_strdup(t ? t : "");
        if (!copy || rk_grow((void **)out, &cap, *n + 1, sizeof(**out)) != RK_OK) {
            rk_free(copy);
            rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        (*out)[*n] = (old_vector){copy, sqlite3_column_int64(q, 0)};
        *max_id = RK_MAX(*max_id, (*out)[*n].id);
        (*n)++;
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the pairs of the latest link run");
    if (rc == RK_OK && *n > 1)
        qsort(*out, *n, sizeof(**out), cmp_old_vector);
cleanup:
    sqlite3_finalize(q);
    return rc;
}

/* Numbers the run's new vectors and stores those the run does not hold yet: from 1 in the
 * order of their patterns, or, adding to an earlier run whose vectors were copied, the earlier
 * number of the same text and past the largest for the others. */
static int vector_levels_store(vector_levels *v, rk_store *st, int64_t run_id,
                               const link_save_earlier *earlier)
{
    old_vector *old = NULL;
    size_t nold = 0;
    int64_t next = 0;
    sqlite3_stmt *q = NULL;
    int rc = RK_OK;
    if (earlier && (rc = read_old_vectors(&old, &nold, &next, st, earlier->run_id)) != RK_OK)
        goto cleanup;
    if ((rc = rk_store__prepare(&q, st,
                                "INSERT INTO pair_vector(run_id, id, levels) VALUES (?1, ?2, ?3)",
                                "cannot write pairs")) != RK_OK)
        goto cleanup;
    for (size_t i = 0; i < v->n; i++) {
        size_t from = v->start[i], len = v->start[i + 1] - from;
        const old_vector *hit = NULL;
        if (nold) {
            char *key = rk_malloc(len + 1);
            if (!key) {
                rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
                goto cleanup;
            }
            memcpy(key, v->text.data + from, len);
            key[len] = '\0';
            old_vector probe = {key, 0};
            hit = bsearch(&probe, old, nold, sizeof(*old), cmp_old_vector);
            rk_free(key);
        }
        if (hit) {
            v->id[i] = hit->id;
            continue;
        }
        v->id[i] = ++next;
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, run_id);
        sqlite3_bind_int64(q, 2, v->id[i]);
        sqlite3_bind_text(q, 3, v->text.data + from, (int)len, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE) {
            rc = rk_store__sqlerr(st, "cannot write pairs");
            goto cleanup;
        }
    }
cleanup:
    sqlite3_finalize(q);
    for (size_t i = 0; i < nold; i++)
        rk_free(old[i].levels);
    rk_free(old);
    return rc;
}

/* Writes the pairs of a run (with earlier, its first earlier->npairs pairs copied as stored
 * and their status and refusal rewritten where they changed) and their vectors; *stored counts
 * them, *in_review those stored with status 'review': the one count of pairs for review (the
 * link summary, the review queue, the report and the review app's home page all count these
 * rows). A pair can be in res->review twice (uncertain, and kept apart by clustering), so
 * res->nreview is not that count. */
static int insert_pairs(rk_store *st, const link_setup *s, const project_records *r,
                        const rk_link_result *res, int64_t run_id, const link_save_earlier *earlier,
                        size_t *stored, size_t *in_review)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *q = NULL, *u = NULL;
    uint64_t *review = NULL, *connected = NULL;
    refused *refusals = NULL;
    stored_pair *order = NULL;
    size_t nconnected = 0, nrefused = 0, norder = 0;
    rk_buf refusal;
    vector_levels vec = {0};
    rk_buf_init(&refusal);
    int rc = RK_OK;
    *stored = 0;
    review = rk_malloc((res->nreview ? res->nreview : 1) * sizeof(uint64_t));
    if (!review) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < res->nreview; i++) {
        uint32_t a = res->review[i].a, b = res->review[i].b;
        review[i] = a < b ? ((uint64_t)a << 32) | b : ((uint64_t)b << 32) | a;
    }
    qsort(review, res->nreview, sizeof(uint64_t), cmp_u64);
    if (connected_persons(&connected, &nconnected, s, res, review, res->nreview) != RK_OK ||
        list_refused(&refusals, &nrefused, res) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    size_t nearlier = earlier ? earlier->npairs : 0;
    if (nearlier && ((rc = copy_earlier_pairs(st, run_id, earlier, r)) != RK_OK ||
                     (rc = rk_store__prepare(&u, st,
                                             "UPDATE pair SET status = ?4, refusal = ?5 WHERE"
                                             " run_id = ?1 AND record_a = ?2 AND record_b = ?3",
                                             "cannot write pairs")) != RK_OK))
        goto cleanup;
    if ((rc = rk_store__prepare(&q, st,
                                "INSERT INTO pair(run_id, record_a, record_b, weight, probability,"
                                " vector, status, refusal) VALUES (?,?,?,?,?,?,?,?)",
                                "cannot write pairs")) != RK_OK)
        goto cleanup;
    if (!(order = rk_malloc((res->npairs + 1) * sizeof(stored_pair)))) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t p = 0; p < res->npairs; p++) {
        if ((p & 0xffff) == 0)
            rk_progress(ctx, "choosing pairs", p, res->npairs);
        if (p < nearlier || pair_stored(s, res, p, pair_status(s, res, p, review, res->nreview),
                                        connected, nconnected))
            order[norder++] = (stored_pair){r->record_id[res->a[p]], r->record_id[res->b[p]], p};
    }
    if (res->npairs) /* the stage's end, when it began */
        rk_progress(ctx, "choosing pairs", res->npairs, res->npairs);
    if (!sort_stored(ctx, order, norder)) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    /* The new pairs' vectors (the copied pairs name the copied vectors), stored first. */
    if ((rc = vector_levels_build(&vec, ctx, s, res, order, norder, nearlier)) != RK_OK ||
        (rc = vector_levels_store(&vec, st, run_id, nearlier ? earlier : NULL)) != RK_OK)
        goto cleanup;
    for (size_t k = 0; k < norder; k++) {
        size_t p = order[k].p;
        if ((k & 0xffff) == 0)
            rk_progress(ctx, "saving pairs", k, norder);
        const char *status = pair_status(s, res, p, review, res->nreview);
        refused key = {((uint64_t)res->a[p] << 32) | res->b[p], NULL};
        const refused *hit =
            nrefused ? bsearch(&key, refusals, nrefused, sizeof(refused), cmp_refused) : NULL;
        if (hit && refusal_json(&refusal, r, hit->why) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        if (p < nearlier) { /* copied: its status and refusal rewritten when they change */
            (*stored)++;
            *in_review += strcmp(status, "review") == 0;
            if (!hit && earlier->state[p] == link_pair_state(status, false))
                continue;
            sqlite3_reset(u);
            sqlite3_bind_int64(u, 1, run_id);
            sqlite3_bind_int64(u, 2, r->record_id[res->a[p]]);
            sqlite3_bind_int64(u, 3, r->record_id[res->b[p]]);
            sqlite3_bind_text(u, 4, status, -1, SQLITE_STATIC);
            if (hit)
                sqlite3_bind_text(u, 5, rk_buf_cstr(&refusal), (int)refusal.len, SQLITE_STATIC);
            else
                sqlite3_bind_null(u, 5);
            if (sqlite3_step(u) != SQLITE_DONE) {
                rc = rk_store__sqlerr(st, "cannot write pairs");
                goto cleanup;
            }
            continue;
        }
        const uint64_t *at =
            bsearch(&res->pattern[p], vec.pattern, vec.n, sizeof(uint64_t), cmp_u64);
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, run_id);
        sqlite3_bind_int64(q, 2, r->record_id[res->a[p]]);
        sqlite3_bind_int64(q, 3, r->record_id[res->b[p]]);
        sqlite3_bind_double(q, 4, res->weight[p]);
        sqlite3_bind_double(q, 5, res->prob[p]);
        sqlite3_bind_int64(q, 6, vec.id[at - vec.pattern]);
        sqlite3_bind_text(q, 7, status, -1, SQLITE_STATIC);
        if (hit)
            sqlite3_bind_text(q, 8, rk_buf_cstr(&refusal), (int)refusal.len, SQLITE_STATIC);
        else
            sqlite3_bind_null(q, 8);
        if (sqlite3_step(q) != SQLITE_DONE) {
            rc = rk_store__sqlerr(st, "cannot write pairs");
            goto cleanup;
        }
        (*stored)++;
        *in_review += strcmp(status, "review") == 0;
    }
    rk_progress(ctx, "saving pairs", norder, norder);
cleanup:
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    rk_free(order);
    rk_free(review);
    rk_free(connected);
    rk_free(refusals);
    vector_levels_free(&vec);
    rk_buf_release(&refusal);
    return rc;
}

int link_persons_write(int64_t *changed, rk_store *st, int64_t run_id, const int64_t *record_id,
                       const uint32_t *cluster, size_t n, size_t nclusters)
{
    sqlite3 *db = rk_store__db(st);
    sqlite3_stmt *q = NULL;
    int64_t *first = rk_malloc((nclusters + 1) * sizeof(int64_t));
    if (!first)
        return rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
    /* Clusters are numbered by their smallest record and the ids are sorted: the first
     * record met of a cluster is its person's id. */
    for (size_t c = 0; c < nclusters; c++)
        first[c] = INT64_MIN;
    for (size_t i = 0; i < n; i++)
        if (first[cluster[i]] == INT64_MIN)
            first[cluster[i]] = record_id[i];
    int rc = RK_OK;
    *changed = 0;
    if ((rc = rk_store__prepare(&q, st,
                                "INSERT INTO person(run_id, record_id, person_id) VALUES (?1, ?2,"
                                " ?3) ON CONFLICT(run_id, record_id) DO UPDATE SET person_id = ?3"
                                " WHERE person_id != ?3",
                                "cannot write persons")) != RK_OK)
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        if ((i & 0xffff) == 0)
            rk_progress(rk_store_ctx(st), "saving persons", i, n);
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, run_id);
        sqlite3_bind_int64(q, 2, record_id[i]);
        sqlite3_bind_int64(q, 3, first[cluster[i]]);
        if (sqlite3_step(q) != SQLITE_DONE) {
            rc = rk_store__sqlerr(st, "cannot write persons");
            goto cleanup;
        }
        *changed += sqlite3_changes(db);
    }
    rk_progress(rk_store_ctx(st), "saving persons", n, n);
cleanup:
    sqlite3_finalize(q);
    rk_free(first);
    return rc;
}

int link_run_save(rk_store *st, const link_setup *s, const project_records *r,
                  const rk_link_result *res, double seconds, const link_save_earlier *earlier,
                  int64_t *run_id, size_t *stored, size_t *in_review)
{
    rk_ctx *ctx = rk_store_ctx(st);
    rk_buf config, model, stats, payload;
    rk_buf_init(&config);
    rk_buf_init(&model);
    rk_buf_init(&stats);
    rk_buf_init(&payload);
    int rc = RK_OK;
    *stored = 0;
    *in_review = 0;
    int64_t written = 0;
    if (link_setup_to_json(s, &config) != RK_OK || model_json(s, &res->model, &model) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    /* The run row first (pairs and persons refer to it), its statistics completed after. */
    if ((rc = insert_run(st, s, rk_buf_cstr(&config), rk_buf_cstr(&model), "{}", run_id)) != RK_OK)
        goto cleanup;
    if ((rc = insert_pairs(st, s, r, res, *run_id, earlier, stored, in_review)) != RK_OK ||
        (rc = link_persons_write(&written, st, *run_id, r->record_id, res->cluster,
                                 r->data.nrecords, res->nclusters)) != RK_OK)
        goto cleanup;
    if (stats_json(s, r, res, *stored, *in_review, seconds, &stats) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    sqlite3_stmt *q = NULL;
    if ((rc = rk_store__prepare(&q, st, "UPDATE link_run SET stats = ? WHERE id = ?",
                                "cannot write the link run")) != RK_OK)
        goto cleanup;
    sqlite3_bind_text(q, 1, rk_buf_cstr(&stats), -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, *run_id);
    int step = sqlite3_step(q);
    sqlite3_finalize(q);
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot write the link run");
        goto cleanup;
    }
    /* The event's state digest (store/state.c) covers the persons and pairs written: the
     * digests of its own that an event recorded before schema 9 (read back from every row, a
     * tenth of a run's time at ten million) are no longer written. */
    if (rk_buf_printf(&payload,
                      "{\"run_id\":%lld,\"records\":%zu,\"persons\":%zu,\"pairs\":%zu,"
                      "\"review\":%zu,\"labels\":%zu,\"seed\":%llu%s%s}",
                      (long long)*run_id, r->data.nrecords, res->nclusters, *stored, *in_review,
                      r->nlabels, (unsigned long long)s->opts.seed, earlier ? ",\"added\":" : "",
                      earlier ? earlier->added : "") != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    rc = rk_store_log_event(st, "link", rk_buf_cstr(&payload), NULL);
cleanup:
    rk_buf_release(&config);
    rk_buf_release(&model);
    rk_buf_release(&stats);
    rk_buf_release(&payload);
    return rc;
}
