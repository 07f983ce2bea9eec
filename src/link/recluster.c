/* Re-clustering some persons of a stored link run after reviewers' decisions: the records of
 * the persons concerned, their stored pairs and the latest decisions go through the same
 * clustering routine as `reckon link` (rk_link_cluster, with its checks), and the person rows
 * that change are rewritten. Called by the review app inside its decision's transaction. */
#include "common.h"
#include "link_internal.h"
#include "project_private.h"
#include "store/store_internal.h"

#include <sqlite3.h>

/* The records being clustered again, sorted by id, with their lists as small indexes. */
typedef struct subset {
    int64_t *id;
    uint32_t *list;
    size_t n, cap, cap_list;
    int64_t *list_id; /* per list index */
    bool *unique;     /* per list index: declared unique by the run */
    size_t nlists, cap_lists, cap_unique;
    rk_buf ids_json; /* the ids as a JSON array, for json_each */
} subset;

static void subset_release(subset *s)
{
    rk_free(s->id);
    rk_free(s->list);
    rk_free(s->list_id);
    rk_free(s->unique);
    rk_buf_release(&s->ids_json);
}

static long subset_find(const subset *s, int64_t id)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->id[lo] == id ? (long)lo : -1;
}

/* The records of columns 0 and 1 of q as indexes into the subset; false when either is not in
 * it, or when both are one record. */
static bool subset_pair(uint32_t *x, uint32_t *y, const subset *s, sqlite3_stmt *q)
{
    long a = subset_find(s, sqlite3_column_int64(q, 0));
    long b = subset_find(s, sqlite3_column_int64(q, 1));
    if (a < 0 || b < 0 || a == b)
        return false;
    *x = (uint32_t)a;
    *y = (uint32_t)b;
    return true;
}

static int ids_json(rk_buf *b, const int64_t *ids, size_t n)
{
    rk_buf_clear(b);
    int rc = rk_buf_putc(b, '[');
    for (size_t i = 0; rc == RK_OK && i < n; i++)
        rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
    return rc == RK_OK ? rk_buf_putc(b, ']') : rc;
}

/* The records of the seeds' persons in the run, and the seeds; each with its list. */
static int load_subset(subset *s, rk_store *st, int64_t run_id, const int64_t *seeds, size_t nseeds,
                       size_t max_records, const char *unique_names)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *q = NULL;
    int rc = ids_json(&s->ids_json, seeds, nseeds);
    if (rc != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    if ((rc = rk_store__prepare_int64(
             &q, st,
             "SELECT x.id, r.list_id, l.name FROM (SELECT record_id AS id FROM person WHERE"
             " run_id = ?1 AND person_id IN (SELECT person_id FROM person WHERE run_id = ?1 AND"
             " record_id IN (SELECT value FROM json_each(?2))) UNION SELECT value FROM"
             " json_each(?2)) x JOIN record r ON r.id = x.id JOIN list l ON l.id = r.list_id"
             " ORDER BY x.id",
             run_id, "cannot read persons")) != RK_OK)
        return rc;
    sqlite3_bind_text(q, 2, rk_buf_cstr(&s->ids_json), -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (s->n == max_records) {
            rc = rk_error_set(ctx, RK_EINPUT,
                              "these persons hold more than %zu records; run 'reckon link' "
                              "instead",
                              max_records);
            goto cleanup;
        }
        int64_t list_id = sqlite3_column_int64(q, 1);
        size_t l = 0;
        while (l < s->nlists && s->list_id[l] != list_id)
            l++;
        if (rk_grow((void **)&s->id, &s->cap, s->n + 1, sizeof(*s->id)) != RK_OK ||
            rk_grow((void **)&s->list, &s->cap_list, s->n + 1, sizeof(*s->list)) != RK_OK ||
            (l == s->nlists &&
             (rk_grow((void **)&s->list_id, &s->cap_lists, l + 1, sizeof(*s->list_id)) != RK_OK ||
              rk_grow((void **)&s->unique, &s->cap_unique, l + 1, sizeof(*s->unique)) != RK_OK))) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        if (l == s->nlists) {
            const char *name = (const char *)sqlite3_column_text(q, 2);
            s->list_id[l] = list_id;
            s->unique[l] = name && unique_names && link_names_hold(unique_names, name);
            s->nlists++;
        }
        s->id[s->n] = sqlite3_column_int64(q, 0);
        s->list[s->n++] = (uint32_t)l;
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read persons");
    else if (ids_json(&s->ids_json, s->id, s->n) != RK_OK)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
cleanup:
    sqlite3_finalize(q);
    return rc;
}

/* The run's settings for clustering; what an older run's configuration lacks is the
 * default. *unique gets the names of the lists declared unique (the caller frees it). */
static int load_settings(rk_link_cluster_options *o, char **unique, rk_store *st, int64_t run_id)
{
    sqlite3_stmt *q = NULL;
    const rk_link_options defaults = RK_LINK_OPTIONS_INIT;
    *unique = NULL;
    int rc =
        rk_store__prepare_int64(&q, st,
                                "SELECT threshold, CASE WHEN json_valid(config) THEN"
                                " json_extract(config, '$.cannot_link') END, CASE WHEN"
                                " json_valid(config) THEN json_extract(config, '$.bridge_min_mean')"
                                " END, CASE WHEN json_valid(config) THEN json_extract(config,"
                                " '$.unique') END FROM link_run WHERE id = ?1",
                                run_id, "cannot read the link run");
    if (rc != RK_OK)
        return rc;
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        o->threshold = sqlite3_column_double(q, 0);
        o->cannot_link_prob = sqlite3_column_type(q, 1) == SQLITE_NULL
                                  ? defaults.cannot_link_prob
                                  : sqlite3_column_double(q, 1);
        o->bridge_min_mean = sqlite3_column_type(q, 2) == SQLITE_NULL ? defaults.bridge_min_mean
                                                                      : sqlite3_column_double(q, 2);
        const char *u = (const char *)sqlite3_column_text(q, 3);
        if (u && *u && !(*unique = rk_strdup(u)))
            rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
    } else if (step == SQLITE_DONE) {
        rc = rk_error_set(rk_store_ctx(st), RK_ENOTFOUND, "link run %lld does not exist",
                          (long long)run_id);
    } else {
        rc = rk_store__sqlerr(st, "cannot read the link run");
    }
    sqlite3_finalize(q);
    return rc;
}

/* The run's stored pairs between records of the subset. */
static int load_pairs(uint32_t **a, uint32_t **b, float **prob, size_t *n, rk_store *st,
                      int64_t run_id, subset *s)
{
    sqlite3_stmt *q = NULL;
    size_t cap_a = 0, cap_b = 0, cap_p = 0;
    int rc =
        rk_store__prepare_int64(&q, st,
                                "SELECT record_a, record_b, probability FROM pair WHERE run_id = ?1"
                                " AND record_a IN (SELECT value FROM json_each(?2))"
                                " AND record_b IN (SELECT value FROM json_each(?2))",
                                run_id, "cannot read pairs");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(q, 2, rk_buf_cstr(&s->ids_json), -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        uint32_t x, y;
        if (!subset_pair(&x, &y, s, q))
            continue;
        if (rk_grow((void **)a, &cap_a, *n + 1, sizeof(**a)) != RK_OK ||
            rk_grow((void **)b, &cap_b, *n + 1, sizeof(**b)) != RK_OK ||
            rk_grow((void **)prob, &cap_p, *n + 1, sizeof(**prob)) != RK_OK) {
            rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
            break;
        }
        (*a)[*n] = x;
        (*b)[*n] = y;
        (*prob)[(*n)++] = (float)sqlite3_column_double(q, 2);
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read pairs");
    sqlite3_finalize(q);
    return rc;
}

/* The latest decisions (match, non-match; "unsure" withdraws) between records of the subset. */
static int load_labels(rk_link_label **out, size_t *n, rk_store *st, subset *s)
{
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    int rc = rk_store__prepare(&q, st,
                               "WITH k AS (SELECT id, record_key FROM record WHERE id IN (SELECT"
                               " value FROM json_each(?1)))"
                               " SELECT ka.id, kb.id, d.verdict = 'match' FROM k ka JOIN"
                               " latest_decision d ON d.key_a = ka.record_key JOIN k kb ON"
                               " kb.record_key = d.key_b WHERE d.verdict != 'unsure' ORDER BY d.id",
                               "cannot read decisions");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(q, 1, rk_buf_cstr(&s->ids_json), -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        uint32_t x, y;
        if (!subset_pair(&x, &y, s, q))
            continue;
        if (rk_grow((void **)out, &cap, *n + 1, sizeof(**out)) != RK_OK) {
            rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
            break;
        }
        (*out)[(*n)++] = (rk_link_label){
            .a = RK_MIN(x, y), .b = RK_MAX(x, y), .match = sqlite3_column_int(q, 2) != 0};
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read decisions");
    sqlite3_finalize(q);
    return rc;
}

int rk_link__recluster(rk_link__reclustered *out, rk_store *st, int64_t run_id,
                       const int64_t *seeds, size_t nseeds, size_t max_records)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out && (seeds || nseeds == 0));
    memset(out, 0, sizeof(*out));
    subset s = {0};
    rk_buf_init(&s.ids_json);
    char *unique = NULL;
    uint32_t *a = NULL, *b = NULL;
    float *prob = NULL;
    rk_link_label *labels = NULL;
    rk_link_clusters cl = {0};
    rk_link_cluster_options o = RK_LINK_CLUSTER_OPTIONS_INIT;
    int rc = load_settings(&o, &unique, st, run_id);
    if (rc == RK_OK)
        rc = load_subset(&s, st, run_id, seeds, nseeds, max_records, unique);
    if (rc == RK_OK)
        rc = load_pairs(&a, &b, &prob, &o.npairs, st, run_id, &s);
    if (rc == RK_OK)
        rc = load_labels(&labels, &o.nlabels, st, &s);
    if (rc != RK_OK)
        goto cleanup;
    o.nrecords = s.n;
    o.list = s.list;
    o.list_unique = s.unique;
    o.a = a, o.b = b, o.prob = prob;
    o.labels = labels;
    if ((rc = rk_link_cluster(&cl, ctx, &o)) != RK_OK)
        goto cleanup;
    if ((rc = link_persons_write(&out->changed, st, run_id, s.id, cl.cluster, s.n, cl.nclusters)) !=
        RK_OK)
        goto cleanup;
    out->records = s.n;
cleanup:
    rk_free(cl.cluster);
    rk_free(cl.review);
    rk_free(a);
    rk_free(b);
    rk_free(prob);
    rk_free(labels);
    rk_free(unique);
    subset_release(&s);
    return rc;
}
