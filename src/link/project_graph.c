/* A stored link run read back for clustering again: its records (all of them, or the persons
 * of some seeds), their lists and persons, the run's stored pairs between them, the latest
 * decisions on them and the run's clustering settings. The review app's re-clustering
 * (recluster.c) and the draws of partitions (draws.c) both load through here. */
#include "project_private.h"
#include "store/store_internal.h"

#include <sqlite3.h>

void link_run_graph_release(link_run_graph *g)
{
    rk_free(g->id);
    rk_free(g->person);
    rk_free(g->list);
    rk_free(g->list_id);
    rk_free(g->unique);
    rk_free(g->a);
    rk_free(g->b);
    rk_free(g->prob);
    rk_free(g->labels);
    rk_free(g->unique_names);
    rk_buf_release(&g->ids_json);
    memset(g, 0, sizeof(*g));
}

long link_run_graph_find(const link_run_graph *g, int64_t id)
{
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n && g->id[lo] == id ? (long)lo : -1;
}

/* The records of columns 0 and 1 of q as indexes into the graph; false when either is not in
 * it, or when both are one record. */
static bool graph_pair(uint32_t *x, uint32_t *y, const link_run_graph *g, sqlite3_stmt *q)
{
    long a = link_run_graph_find(g, sqlite3_column_int64(q, 0));
    long b = link_run_graph_find(g, sqlite3_column_int64(q, 1));
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

/* The run's settings for clustering; what an older run's configuration lacks is the default.
 * g->unique_names gets the names of the lists declared unique. */
static int load_settings(link_run_graph *g, rk_store *st, int64_t run_id)
{
    sqlite3_stmt *q = NULL;
    rk_link_cluster_options *o = &g->cluster;
    const rk_link_options defaults = RK_LINK_OPTIONS_INIT;
    int rc = rk_store__prepare_int64(
        &q, st,
        "SELECT threshold, CASE WHEN json_valid(config) THEN json_extract(config,"
        " '$.cannot_link') END, CASE WHEN json_valid(config) THEN json_extract(config,"
        " '$.bridge_min_mean') END, CASE WHEN json_valid(config) THEN json_extract(config,"
        " '$.unique') END, CASE WHEN json_valid(config) THEN json_extract(config, '$.pair_floor')"
        " END FROM link_run WHERE id = ?1",
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
        if (u && *u && !(g->unique_names = rk_strdup(u)))
            rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
        g->pair_floor = sqlite3_column_type(q, 4) == SQLITE_NULL ? LINK_PAIR_FLOOR
                                                                 : sqlite3_column_double(q, 4);
    } else if (step == SQLITE_DONE) {
        rc = rk_error_set(rk_store_ctx(st), RK_ENOTFOUND, "link run %lld does not exist",
                          (long long)run_id);
    } else {
        rc = rk_store__sqlerr(st, "cannot read the link run");
    }
    sqlite3_finalize(q);
    return rc;
}

/* One record (columns: id, list id, list name, person id) appended to the graph. */
static int add_record(link_run_graph *g, rk_ctx *ctx, sqlite3_stmt *q)
{
    int64_t list_id = sqlite3_column_int64(q, 1);
    size_t l = 0;
    while (l < g->nlists && g->list_id[l] != list_id)
        l++;
    if (rk_grow((void **)&g->id, &g->cap_id, g->n + 1, sizeof(*g->id)) != RK_OK ||
        rk_grow((void **)&g->person, &g->cap_person, g->n + 1, sizeof(*g->person)) != RK_OK ||
        rk_grow((void **)&g->list, &g->cap_list, g->n + 1, sizeof(*g->list)) != RK_OK ||
        (l == g->nlists &&
         (rk_grow((void **)&g->list_id, &g->cap_lists, l + 1, sizeof(*g->list_id)) != RK_OK ||
          rk_grow((void **)&g->unique, &g->cap_unique, l + 1, sizeof(*g->unique)) != RK_OK)))
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    if (l == g->nlists) {
        const char *name = (const char *)sqlite3_column_text(q, 2);
        g->list_id[l] = list_id;
        g->unique[l] = name && g->unique_names && link_names_hold(g->unique_names, name);
        g->nlists++;
    }
    g->id[g->n] = sqlite3_column_int64(q, 0);
    g->person[g->n] = sqlite3_column_int64(q, 3);
    g->list[g->n++] = (uint32_t)l;
    return RK_OK;
}

/* The records: every one of the run's, or those of the seeds' persons and the seeds. */
static int load_records(link_run_graph *g, rk_store *st, int64_t run_id, const int64_t *seeds,
                        size_t nseeds, size_t max_records)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *q = NULL;
    const char *sql =
        seeds ? "SELECT x.id, r.list_id, l.name, coalesce(p.person_id, x.id) FROM (SELECT"
                " record_id AS id FROM person WHERE run_id = ?1 AND person_id IN (SELECT"
                " person_id FROM person WHERE run_id = ?1 AND record_id IN (SELECT value FROM"
                " json_each(?2))) UNION SELECT value FROM json_each(?2)) x JOIN record r ON"
                " r.id = x.id JOIN list l ON l.id = r.list_id LEFT JOIN person p ON p.run_id ="
                " ?1 AND p.record_id = x.id ORDER BY x.id"
              : "SELECT p.record_id, r.list_id, l.name, p.person_id FROM person p JOIN record r"
                " ON r.id = p.record_id JOIN list l ON l.id = r.list_id WHERE p.run_id = ?1"
                " ORDER BY p.record_id";
    if (seeds && ids_json(&g->ids_json, seeds, nseeds) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    int rc = rk_store__prepare_int64(&q, st, sql, run_id, "cannot read persons");
    if (rc != RK_OK)
        return rc;
    if (seeds)
        sqlite3_bind_text(q, 2, rk_buf_cstr(&g->ids_json), -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (g->n == max_records) {
            rc = rk_error_set(ctx, RK_EINPUT,
                              "these persons hold more than %zu records; run 'reckon link' "
                              "instead",
                              max_records);
            goto cleanup;
        }
        if ((rc = add_record(g, ctx, q)) != RK_OK)
            goto cleanup;
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read persons");
    else if (seeds && ids_json(&g->ids_json, g->id, g->n) != RK_OK)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
cleanup:
    sqlite3_finalize(q);
    return rc;
}

/* The run's stored pairs between records of the graph. */
static int load_pairs(link_run_graph *g, rk_store *st, int64_t run_id, bool subset)
{
    sqlite3_stmt *q = NULL;
    size_t cap_a = 0, cap_b = 0, cap_p = 0;
    const char *sql = subset ? "SELECT record_a, record_b, probability FROM pair WHERE run_id = ?1"
                               " AND record_a IN (SELECT value FROM json_each(?2))"
                               " AND record_b IN (SELECT value FROM json_each(?2))"
                             : "SELECT record_a, record_b, probability FROM pair WHERE run_id = ?1";
    int rc = rk_store__prepare_int64(&q, st, sql, run_id, "cannot read pairs");
    if (rc != RK_OK)
        return rc;
    if (subset)
        sqlite3_bind_text(q, 2, rk_buf_cstr(&g->ids_json), -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        uint32_t x, y;
        if (!graph_pair(&x, &y, g, q))
            continue;
        if (rk_grow((void **)&g->a, &cap_a, g->npairs + 1, sizeof(*g->a)) != RK_OK ||
            rk_grow((void **)&g->b, &cap_b, g->npairs + 1, sizeof(*g->b)) != RK_OK ||
            rk_grow((void **)&g->prob, &cap_p, g->npairs + 1, sizeof(*g->prob)) != RK_OK) {
            rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
            break;
        }
        g->a[g->npairs] = x;
        g->b[g->npairs] = y;
        g->prob[g->npairs++] = (float)sqlite3_column_double(q, 2);
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read pairs");
    sqlite3_finalize(q);
    return rc;
}

/* The latest decisions (match, non-match; "unsure" withdraws) between records of the graph. */
static int load_labels(link_run_graph *g, rk_store *st, int64_t run_id, bool subset)
{
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    const char *sql =
        subset ? "WITH k AS (SELECT id, record_key FROM record WHERE id IN (SELECT value FROM"
                 " json_each(?2)))"
                 " SELECT ka.id, kb.id, d.verdict = 'match' FROM k ka JOIN latest_decision d ON"
                 " d.key_a = ka.record_key JOIN k kb ON kb.record_key = d.key_b WHERE d.verdict"
                 " != 'unsure' ORDER BY d.id"
               : "WITH k AS (SELECT r.id, r.record_key FROM person p JOIN record r ON r.id ="
                 " p.record_id WHERE p.run_id = ?1)"
                 " SELECT ka.id, kb.id, d.verdict = 'match' FROM k ka JOIN latest_decision d ON"
                 " d.key_a = ka.record_key JOIN k kb ON kb.record_key = d.key_b WHERE d.verdict"
                 " != 'unsure' ORDER BY d.id";
    int rc = rk_store__prepare_int64(&q, st, sql, run_id, "cannot read decisions");
    if (rc != RK_OK)
        return rc;
    if (subset)
        sqlite3_bind_text(q, 2, rk_buf_cstr(&g->ids_json), -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        uint32_t x, y;
        if (!graph_pair(&x, &y, g, q))
            continue;
        if (rk_grow((void **)&g->labels, &cap, g->nlabels + 1, sizeof(*g->labels)) != RK_OK) {
            rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
            break;
        }
        g->labels[g->nlabels++] = (rk_link_label){
            .a = RK_MIN(x, y), .b = RK_MAX(x, y), .match = sqlite3_column_int(q, 2) != 0};
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read decisions");
    sqlite3_finalize(q);
    return rc;
}

int link_run_graph_load(link_run_graph *out, rk_store *st, int64_t run_id, const int64_t *seeds,
                        size_t nseeds, size_t max_records)
{
    RK_ASSERT_ARG(rk_store_ctx(st), out && (seeds || nseeds == 0));
    memset(out, 0, sizeof(*out));
    rk_buf_init(&out->ids_json);
    out->cluster = (rk_link_cluster_options)RK_LINK_CLUSTER_OPTIONS_INIT;
    bool subset = seeds != NULL;
    int rc = load_settings(out, st, run_id);
    if (rc == RK_OK)
        rc = load_records(out, st, run_id, seeds, nseeds, max_records);
    if (rc == RK_OK)
        rc = load_pairs(out, st, run_id, subset);
    if (rc == RK_OK)
        rc = load_labels(out, st, run_id, subset);
    if (rc != RK_OK) {
        link_run_graph_release(out);
        return rc;
    }
    rk_link_cluster_options *o = &out->cluster;
    o->nrecords = out->n;
    o->list = out->list;
    o->list_unique = out->unique;
    o->a = out->a, o->b = out->b, o->prob = out->prob;
    o->npairs = out->npairs;
    o->labels = out->labels;
    o->nlabels = out->nlabels;
    return RK_OK;
}
