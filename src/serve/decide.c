/* Reviewers' decisions and what they change at once. A decision is written in a transaction
 * with its audit event (kind "decision", holding the digest of the decision row that `reckon
 * verify` recomputes); then the persons of the records involved are re-clustered locally:
 * union-find over those records with the run's linked pairs and match decisions as edges, less
 * the pairs whose latest decision is non-match. The changed person rows are logged too (kind
 * "persons", with a digest of the rows as written). A decision made by someone else since the
 * reviewer's page loaded is a conflict: nothing is written and the caller shows both. */
#include "serve_private.h"

#define MAX_CLUSTER 20000

static int record_key(serve_req *r, int64_t id, char **out)
{
    sqlite3_stmt *s = NULL;
    *out = NULL;
    int rc = serve_stmt(r, "SELECT record_key FROM record WHERE id = ?", &s);
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        if (!(*out = rk_strdup((const char *)sqlite3_column_text(s, 0))))
            rc = rk_error_set(&r->w->ctx, RK_ENOMEM, "out of memory");
    } else if (step == SQLITE_DONE) {
        rc = rk_error_set(&r->w->ctx, RK_ENOTFOUND, "record %lld does not exist", (long long)id);
    } else {
        rc = serve_sqlerr(r);
    }
    serve_stmt_done(r, s);
    return rc;
}

/* The two records' keys in the decision table's order (key_a < key_b). */
static int pair_keys(serve_req *r, int64_t a, int64_t b, char **ka, char **kb)
{
    *ka = *kb = NULL;
    int rc = record_key(r, a, ka);
    if (rc == RK_OK)
        rc = record_key(r, b, kb);
    if (rc == RK_OK && strcmp(*ka, *kb) == 0)
        rc = rk_error_set(&r->w->ctx, RK_EINPUT, "records %lld and %lld have the same key",
                          (long long)a, (long long)b);
    if (rc == RK_OK && strcmp(*ka, *kb) > 0) {
        char *t = *ka;
        *ka = *kb;
        *kb = t;
    }
    if (rc != RK_OK) {
        rk_free(*ka);
        rk_free(*kb);
        *ka = *kb = NULL;
    }
    return rc;
}

static int last_by_keys(serve_req *r, const char *ka, const char *kb, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    *out = 0;
    int rc = serve_stmt(
        r, "SELECT coalesce(max(id), 0) FROM decision WHERE key_a = ? AND key_b = ?", &s);
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(s, 1, ka, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kb, -1, SQLITE_STATIC);
    rc = sqlite3_step(s) == SQLITE_ROW ? RK_OK : serve_sqlerr(r);
    if (rc == RK_OK)
        *out = sqlite3_column_int64(s, 0);
    serve_stmt_done(r, s);
    return rc;
}

int serve_last_decision(serve_req *r, int64_t rec_a, int64_t rec_b, int64_t *out)
{
    char *ka = NULL, *kb = NULL;
    int rc = pair_keys(r, rec_a, rec_b, &ka, &kb);
    if (rc == RK_OK)
        rc = last_by_keys(r, ka, kb, out);
    rk_free(ka);
    rk_free(kb);
    return rc;
}

/* Inserts one decision and its event; inside the caller's transaction. */
static int insert_decision(serve_req *r, int64_t run_id, const char *ka, const char *kb,
                           const char *verdict, const char *note, int64_t *id)
{
    sqlite3_stmt *s = NULL;
    rk_digest d = {0};
    rk_buf payload;
    rk_buf_init(&payload);
    char now[32], hex[65];
    rk_time_iso(now);
    const char *reviewer = r->sess.name;
    bool has_note = note && *note;
    int rc = RK_OK;
    if (sqlite3_prepare_v2(
            serve_db(r),
            "INSERT INTO decision(key_a, key_b, verdict, reviewer, time, note, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            -1, &s, NULL) != SQLITE_OK) {
        rc = serve_sqlerr(r);
        goto cleanup;
    }
    sqlite3_bind_text(s, 1, ka, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kb, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, verdict, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, reviewer, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, now, -1, SQLITE_STATIC);
    if (has_note)
        sqlite3_bind_text(s, 6, note, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, run_id);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = serve_sqlerr(r);
        goto cleanup;
    }
    *id = sqlite3_last_insert_rowid(serve_db(r));
    /* The digest of the row, in the order the "decision" digest kind reads it back. */
    if ((rc = rk_digest_init(&d)) != RK_OK) {
        rc = rk_error_set(&r->w->ctx, rc, "cannot hash");
        goto cleanup;
    }
    rk_digest_text(&d, ka, strlen(ka));
    rk_digest_text(&d, kb, strlen(kb));
    rk_digest_text(&d, verdict, strlen(verdict));
    rk_digest_text(&d, reviewer, strlen(reviewer));
    rk_digest_text(&d, now, strlen(now));
    if (has_note)
        rk_digest_text(&d, note, strlen(note));
    else
        rk_digest_null(&d);
    rk_digest_int(&d, run_id);
    rk_digest_end_row(&d);
    rk_digest_final_hex(&d, hex);
    rc = rk_buf_printf(&payload, "{\"decision_id\":%lld,\"run_id\":%lld,\"key_a\":", (long long)*id,
                       (long long)run_id);
    if (rc == RK_OK)
        rc = rk_buf_json_string(&payload, ka, strlen(ka));
    if (rc == RK_OK)
        rc = rk_buf_puts(&payload, ",\"key_b\":");
    if (rc == RK_OK)
        rc = rk_buf_json_string(&payload, kb, strlen(kb));
    if (rc == RK_OK)
        rc = rk_buf_printf(&payload, ",\"verdict\":\"%s\",\"digest\":\"%s\"}", verdict, hex);
    if (rc != RK_OK) {
        rc = rk_error_set(&r->w->ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    rc = rk_store_log_event(r->w->st, "decision", rk_buf_cstr(&payload), NULL);
cleanup:
    rk_digest_release(&d);
    rk_buf_release(&payload);
    sqlite3_finalize(s);
    return rc;
}

/* ---- local re-clustering ---- */

typedef struct cluster {
    int64_t *ids; /* sorted record ids */
    size_t *parent;
    size_t n, cap;
} cluster;

static long find_index(const cluster *c, int64_t id)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->ids[lo] == id ? (long)lo : -1;
}

static size_t uf_root(cluster *c, size_t i)
{
    while (c->parent[i] != i) {
        c->parent[i] = c->parent[c->parent[i]];
        i = c->parent[i];
    }
    return i;
}

static void uf_join(cluster *c, int64_t a, int64_t b)
{
    long ia = find_index(c, a), ib = find_index(c, b);
    if (ia < 0 || ib < 0)
        return;
    size_t ra = uf_root(c, (size_t)ia), rb = uf_root(c, (size_t)ib);
    /* The root is the smaller index, hence the smallest record id: the person's id. */
    if (ra < rb)
        c->parent[rb] = ra;
    else if (rb < ra)
        c->parent[ra] = rb;
}

/* Runs `sql` with ?1 = run id and ?2 = the JSON array of the cluster's ids; rows of
 * (record, record[, verdict]). */
static int cluster_edges(serve_req *r, cluster *c, int64_t run_id, const char *ids_json,
                         bool decisions)
{
    static const char linked_sql[] =
        "SELECT p.record_a, p.record_b FROM pair p WHERE p.run_id = ?1 AND p.status = 'linked'"
        " AND p.record_a IN (SELECT value FROM json_each(?2))"
        " AND p.record_b IN (SELECT value FROM json_each(?2))"
        " AND NOT EXISTS (SELECT 1 FROM record ra, record rb, decision d WHERE"
        "  ra.id = p.record_a AND rb.id = p.record_b"
        "  AND d.key_a = min(ra.record_key, rb.record_key)"
        "  AND d.key_b = max(ra.record_key, rb.record_key)"
        "  AND d.id = (SELECT max(id) FROM decision x WHERE x.key_a = d.key_a"
        "   AND x.key_b = d.key_b) AND d.verdict = 'non-match')";
    static const char match_sql[] =
        "WITH k AS (SELECT id, record_key FROM record WHERE id IN (SELECT value FROM"
        " json_each(?2)))"
        " SELECT ka.id, kb.id FROM decision d JOIN k ka ON ka.record_key = d.key_a"
        " JOIN k kb ON kb.record_key = d.key_b WHERE ?1 = ?1 AND d.verdict = 'match'"
        " AND d.id = (SELECT max(id) FROM decision x WHERE x.key_a = d.key_a"
        " AND x.key_b = d.key_b)";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(serve_db(r), decisions ? match_sql : linked_sql, -1, &s, NULL) !=
        SQLITE_OK)
        return serve_sqlerr(r);
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_text(s, 2, ids_json, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        uf_join(c, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1));
    int rc = step == SQLITE_DONE ? RK_OK : serve_sqlerr(r);
    sqlite3_finalize(s);
    return rc;
}

/* Re-clusters the persons of the seed records; logs a "persons" event. */
static int serve_recluster(serve_req *r, int64_t run_id, const int64_t *seeds, size_t nseeds,
                           int64_t cause_id)
{
    cluster c = {0};
    rk_buf ids, payload;
    rk_buf_init(&ids);
    rk_buf_init(&payload);
    sqlite3_stmt *s = NULL, *up = NULL;
    int rc = rk_buf_putc(&ids, '[');
    for (size_t i = 0; rc == RK_OK && i < nseeds; i++)
        rc = rk_buf_printf(&ids, "%s%lld", i ? "," : "", (long long)seeds[i]);
    if (rc == RK_OK)
        rc = rk_buf_putc(&ids, ']');
    if (rc != RK_OK)
        goto nomem;
    /* The records of the seeds' persons, and the seeds themselves. */
    if (sqlite3_prepare_v2(serve_db(r),
                           "SELECT record_id FROM person WHERE run_id = ?1 AND person_id IN"
                           " (SELECT person_id FROM person WHERE run_id = ?1 AND record_id IN"
                           " (SELECT value FROM json_each(?2)))"
                           " UNION SELECT value FROM json_each(?2) ORDER BY 1",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = serve_sqlerr(r);
        goto cleanup;
    }
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_text(s, 2, rk_buf_cstr(&ids), -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (c.n == MAX_CLUSTER) {
            rc = rk_error_set(&r->w->ctx, RK_EINPUT,
                              "these persons hold more than %d records; re-run the linkage "
                              "instead",
                              MAX_CLUSTER);
            goto cleanup;
        }
        if (rk_grow((void **)&c.ids, &c.cap, c.n + 1, sizeof(*c.ids)) != RK_OK)
            goto nomem;
        c.ids[c.n++] = sqlite3_column_int64(s, 0);
    }
    if (step != SQLITE_DONE) {
        rc = serve_sqlerr(r);
        goto cleanup;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (!(c.parent = rk_calloc(c.n ? c.n : 1, sizeof(*c.parent))))
        goto nomem;
    for (size_t i = 0; i < c.n; i++)
        c.parent[i] = i;
    rk_buf_clear(&ids);
    rc = rk_buf_putc(&ids, '[');
    for (size_t i = 0; rc == RK_OK && i < c.n; i++)
        rc = rk_buf_printf(&ids, "%s%lld", i ? "," : "", (long long)c.ids[i]);
    if (rc == RK_OK)
        rc = rk_buf_putc(&ids, ']');
    if (rc != RK_OK)
        goto nomem;
    if ((rc = cluster_edges(r, &c, run_id, rk_buf_cstr(&ids), false)) != RK_OK ||
        (rc = cluster_edges(r, &c, run_id, rk_buf_cstr(&ids), true)) != RK_OK)
        goto cleanup;
    if (sqlite3_prepare_v2(serve_db(r),
                           "INSERT INTO person(run_id, record_id, person_id) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT(run_id, record_id) DO UPDATE SET person_id = ?3"
                           " WHERE person_id != ?3",
                           -1, &up, NULL) != SQLITE_OK) {
        rc = serve_sqlerr(r);
        goto cleanup;
    }
    int64_t changed = 0;
    for (size_t i = 0; i < c.n; i++) {
        int64_t person = c.ids[uf_root(&c, i)];
        sqlite3_bind_int64(up, 1, run_id);
        sqlite3_bind_int64(up, 2, c.ids[i]);
        sqlite3_bind_int64(up, 3, person);
        if (sqlite3_step(up) != SQLITE_DONE) {
            rc = serve_sqlerr(r);
            goto cleanup;
        }
        changed += sqlite3_changes(serve_db(r));
        sqlite3_reset(up);
    }
    /* The digest of all the run's persons as they now stand: `reckon verify` checks the
     * latest "link" or "persons" event of a run against the person table. */
    char hex[65];
    if ((rc = rk_store_digest_query(r->w->st, RK_STORE_PERSONS_DIGEST_SQL, run_id, hex)) != RK_OK)
        goto cleanup;
    if (rk_buf_printf(&payload,
                      "{\"run_id\":%lld,\"decision_id\":%lld,\"records\":%lld,\"changed\":%lld,"
                      "\"digest\":\"%s\"}",
                      (long long)run_id, (long long)cause_id, (long long)c.n, (long long)changed,
                      hex) != RK_OK)
        goto nomem;
    rc = rk_store_log_event(r->w->st, "persons", rk_buf_cstr(&payload), NULL);
    goto cleanup;
nomem:
    rc = rk_error_set(&r->w->ctx, RK_ENOMEM, "out of memory");
cleanup:
    sqlite3_finalize(s);
    sqlite3_finalize(up);
    rk_buf_release(&ids);
    rk_buf_release(&payload);
    rk_free(c.ids);
    rk_free(c.parent);
    return rc;
}

int serve_decide(serve_req *r, int64_t run_id, int64_t rec_a, int64_t rec_b, const char *verdict,
                 const char *note, int64_t seen, int64_t *decision_id)
{
    char *ka = NULL, *kb = NULL;
    int64_t last = 0;
    int rc = rk_store_begin(r->w->st);
    if (rc != RK_OK)
        return rc;
    if ((rc = pair_keys(r, rec_a, rec_b, &ka, &kb)) != RK_OK)
        goto cleanup;
    if ((rc = last_by_keys(r, ka, kb, &last)) != RK_OK)
        goto cleanup;
    if (last != seen) {
        rc =
            rk_error_set(&r->w->ctx, RK_ECONFLICT, "decision %lld was made since", (long long)last);
        goto cleanup;
    }
    if ((rc = insert_decision(r, run_id, ka, kb, verdict, note, decision_id)) != RK_OK)
        goto cleanup;
    int64_t seeds[2] = {rec_a, rec_b};
    if (run_id && (rc = serve_recluster(r, run_id, seeds, 2, *decision_id)) != RK_OK)
        goto cleanup;
    rc = rk_store_commit(r->w->st);
cleanup:
    if (rc != RK_OK)
        rk_store_rollback(r->w->st);
    rk_free(ka);
    rk_free(kb);
    return rc;
}

int serve_split(serve_req *r, int64_t run_id, int64_t record_id, const char *note)
{
    sqlite3_stmt *s = NULL;
    int64_t *others = NULL, last_id = 0;
    size_t n = 0, cap = 0;
    int rc = rk_store_begin(r->w->st);
    if (rc != RK_OK)
        return rc;
    if (sqlite3_prepare_v2(serve_db(r),
                           "SELECT record_id FROM person WHERE run_id = ?1 AND record_id != ?2 AND"
                           " person_id = (SELECT person_id FROM person WHERE run_id = ?1 AND"
                           " record_id = ?2) ORDER BY record_id",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = serve_sqlerr(r);
        goto cleanup;
    }
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, record_id);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW && n < MAX_CLUSTER) {
        if (rk_grow((void **)&others, &cap, n + 1, sizeof(*others)) != RK_OK) {
            rc = rk_error_set(&r->w->ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        others[n++] = sqlite3_column_int64(s, 0);
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW) {
        rc = serve_sqlerr(r);
        goto cleanup;
    }
    if (n == 0) {
        rc = rk_error_set(&r->w->ctx, RK_EINPUT,
                          "record %lld is alone in its person already; there is nothing to split",
                          (long long)record_id);
        goto cleanup;
    }
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        char *ka = NULL, *kb = NULL;
        rc = pair_keys(r, record_id, others[i], &ka, &kb);
        if (rc == RK_OK)
            rc = insert_decision(r, run_id, ka, kb, "non-match", note, &last_id);
        rk_free(ka);
        rk_free(kb);
    }
    int64_t seeds[1] = {record_id};
    if (rc == RK_OK)
        rc = serve_recluster(r, run_id, seeds, 1, last_id);
    if (rc == RK_OK)
        rc = rk_store_commit(r->w->st);
cleanup:
    if (rc != RK_OK)
        rk_store_rollback(r->w->st);
    sqlite3_finalize(s);
    rk_free(others);
    return rc;
}

int serve_merge(serve_req *r, int64_t run_id, int64_t person_a, int64_t person_b, const char *note)
{
    if (person_a == person_b)
        return rk_error_set(&r->w->ctx, RK_EINPUT, "a person cannot be merged with itself");
    int64_t id = 0, seen = 0;
    int rc = serve_last_decision(r, person_a, person_b, &seen);
    if (rc == RK_OK)
        rc = serve_decide(r, run_id, person_a, person_b, "match", note, seen, &id);
    return rc;
}
