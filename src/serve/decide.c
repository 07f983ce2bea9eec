/* Reviewers' decisions and what they change at once. A decision is written in a transaction
 * with its audit event (kind "decision", holding the digest of the decision row that `reckon
 * verify` recomputes); then the persons of the records involved are clustered again by the
 * link module (rk_link__recluster: the routine `reckon link` uses, with its checks, the run's
 * pairs and the latest decisions, which win). The changed person rows are logged too (kind
 * "persons", its state digest covering the rows as written). A decision made by someone else since
 * the reviewer's page loaded is a conflict: nothing is written and the caller shows both. */
#include "serve_private.h"
#include "link/link_internal.h"

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
        r, "SELECT coalesce((SELECT id FROM latest_decision WHERE key_a = ? AND key_b = ?), 0)",
        &s);
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
    int rc = rk_store__prepare(&s, r->w->st,
                               "INSERT INTO decision(key_a, key_b, verdict, reviewer, time, note,"
                               " run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               "query failed");
    if (rc != RK_OK)
        goto cleanup;
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

/* ---- re-clustering ---- */

/* Re-clusters the persons of the seed records; logs a "persons" event. */
static int serve_recluster(serve_req *r, int64_t run_id, const int64_t *seeds, size_t nseeds,
                           int64_t cause_id)
{
    rk_link__reclustered done = {0};
    rk_buf payload;
    rk_buf_init(&payload);
    int rc = rk_link__recluster(&done, r->w->st, run_id, seeds, nseeds, MAX_CLUSTER);
    /* The event's state digest (store/state.c) covers the persons changed; the digest of all
     * the run's persons that the event held before schema 9 (every person read again on each
     * decision) is no longer written. */
    if (rc == RK_OK &&
        rk_buf_printf(
            &payload, "{\"run_id\":%lld,\"decision_id\":%lld,\"records\":%zu,\"changed\":%lld}",
            (long long)run_id, (long long)cause_id, done.records, (long long)done.changed) != RK_OK)
        rc = rk_error_set(&r->w->ctx, RK_ENOMEM, "out of memory");
    if (rc == RK_OK)
        rc = rk_store_log_event(r->w->st, "persons", rk_buf_cstr(&payload), NULL);
    rk_buf_release(&payload);
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

/* The records of person `person_id` of the run, sorted. */
static int person_records(serve_req *r, int64_t run_id, int64_t person_id, int64_t **out, size_t *n)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = rk_store__prepare_int64(&s, r->w->st,
                                     "SELECT record_id FROM person WHERE run_id = ?1 AND"
                                     " person_id = ?2 ORDER BY record_id",
                                     run_id, "query failed");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_int64(s, 2, person_id);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == MAX_CLUSTER) {
            rc = rk_error_set(&r->w->ctx, RK_EINPUT,
                              "person %lld holds more than %d records; run 'reckon link' instead",
                              (long long)person_id, MAX_CLUSTER);
            break;
        }
        if (rk_grow((void **)out, &cap, *n + 1, sizeof(**out)) != RK_OK) {
            rc = rk_error_set(&r->w->ctx, RK_ENOMEM, "out of memory");
            break;
        }
        (*out)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = serve_sqlerr(r);
    sqlite3_finalize(s);
    if (rc != RK_OK) {
        rk_free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* Records `verdict` on records a and b unless it is already the latest decision on them;
 * *last gets the decision's id when one is written. Inside the caller's transaction. */
static int decide_pair(serve_req *r, int64_t run_id, int64_t a, int64_t b, const char *verdict,
                       const char *note, int64_t *last)
{
    char *ka = NULL, *kb = NULL;
    sqlite3_stmt *s = NULL;
    int rc = pair_keys(r, a, b, &ka, &kb);
    if (rc == RK_OK)
        rc = serve_stmt(r,
                        "SELECT 1 FROM latest_decision WHERE key_a = ? AND key_b = ? AND"
                        " verdict = ?",
                        &s);
    bool already = false;
    if (rc == RK_OK) {
        sqlite3_bind_text(s, 1, ka, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, kb, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, verdict, -1, SQLITE_STATIC);
        int step = sqlite3_step(s);
        if (step == SQLITE_ROW)
            already = true;
        else if (step != SQLITE_DONE)
            rc = serve_sqlerr(r);
        serve_stmt_done(r, s);
    }
    if (rc == RK_OK && !already)
        rc = insert_decision(r, run_id, ka, kb, verdict, note, last);
    rk_free(ka);
    rk_free(kb);
    return rc;
}

int serve_split(serve_req *r, int64_t run_id, int64_t record_id, const char *note)
{
    int64_t *members = NULL, last_id = 0, person = 0;
    size_t n = 0;
    sqlite3_stmt *s = NULL;
    int rc = rk_store_begin(r->w->st);
    if (rc != RK_OK)
        return rc;
    if ((rc = serve_stmt(r, "SELECT person_id FROM person WHERE run_id = ? AND record_id = ?",
                         &s)) != RK_OK)
        goto cleanup;
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, record_id);
    if (sqlite3_step(s) == SQLITE_ROW)
        person = sqlite3_column_int64(s, 0);
    serve_stmt_done(r, s);
    if ((rc = person_records(r, run_id, person, &members, &n)) != RK_OK)
        goto cleanup;
    if (n < 2) {
        rc = rk_error_set(&r->w->ctx, RK_EINPUT,
                          "record %lld is alone in its person already; there is nothing to split",
                          (long long)record_id);
        goto cleanup;
    }
    for (size_t i = 0; i < n && rc == RK_OK; i++)
        if (members[i] != record_id)
            rc = decide_pair(r, run_id, record_id, members[i], "non-match", note, &last_id);
    int64_t seeds[1] = {record_id};
    if (rc == RK_OK)
        rc = serve_recluster(r, run_id, seeds, 1, last_id);
    if (rc == RK_OK)
        rc = rk_store_commit(r->w->st);
cleanup:
    if (rc != RK_OK)
        rk_store_rollback(r->w->st);
    rk_free(members);
    return rc;
}

/* A merge says that every record of the two persons is one person: a match between the first
 * record of each and every record of the other (those not already so decided), so that the
 * forced links hold the records together whatever was decided on them before. */
int serve_merge(serve_req *r, int64_t run_id, int64_t person_a, int64_t person_b, const char *note)
{
    if (person_a == person_b)
        return rk_error_set(&r->w->ctx, RK_EINPUT, "a person cannot be merged with itself");
    int64_t *ra = NULL, *rb = NULL, last_id = 0;
    size_t na = 0, nb = 0;
    int rc = rk_store_begin(r->w->st);
    if (rc != RK_OK)
        return rc;
    if ((rc = person_records(r, run_id, person_a, &ra, &na)) != RK_OK ||
        (rc = person_records(r, run_id, person_b, &rb, &nb)) != RK_OK)
        goto cleanup;
    if (na == 0 || nb == 0) {
        rc = rk_error_set(&r->w->ctx, RK_ENOTFOUND, "person %lld does not exist",
                          (long long)(na == 0 ? person_a : person_b));
        goto cleanup;
    }
    for (size_t i = 0; i < nb && rc == RK_OK; i++)
        rc = decide_pair(r, run_id, ra[0], rb[i], "match", note, &last_id);
    for (size_t i = 1; i < na && rc == RK_OK; i++)
        rc = decide_pair(r, run_id, rb[0], ra[i], "match", note, &last_id);
    int64_t seeds[2] = {ra[0], rb[0]};
    if (rc == RK_OK)
        rc = serve_recluster(r, run_id, seeds, 2, last_id);
    if (rc == RK_OK)
        rc = rk_store_commit(r->w->st);
cleanup:
    if (rc != RK_OK)
        rk_store_rollback(r->w->st);
    rk_free(ra);
    rk_free(rb);
    return rc;
}
