/* The audit chain: an append-only log of events, each holding the SHA-256 of the one before,
 * and `verify`, which recomputes the chain and the digests of the data that events name (for
 * an import: its records), so that any later edit of either is found. */
#include "store_private.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void event_hash(const char *prev, int64_t id, const char *time, const char *kind,
                       const char *payload, const char *state, char hex[65])
{
    rk_sha256 h;
    hex[0] = '\0';
    if (rk_sha256_init(&h) != RK_OK)
        return;
    char idbuf[32];
    int n = snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
    rk_sha256_update(&h, prev, strlen(prev));
    rk_sha256_update(&h, "\n", 1);
    rk_sha256_update(&h, idbuf, (size_t)n);
    rk_sha256_update(&h, "\n", 1);
    rk_sha256_update(&h, time, strlen(time));
    rk_sha256_update(&h, "\n", 1);
    rk_sha256_update(&h, kind, strlen(kind));
    rk_sha256_update(&h, "\n", 1);
    rk_sha256_update(&h, payload, strlen(payload));
    /* Events logged before the state digest (schema 9) have none and hash as they did. */
    if (state) {
        rk_sha256_update(&h, "\n", 1);
        rk_sha256_update(&h, state, strlen(state));
    }
    rk_sha256_final_hex(&h, hex);
}

/* The digest `reckon log` shows for an event: the SHA-256 of the state it recorded. */
static void state_digest(const char *state, char hex[65])
{
    rk_sha256 h;
    snprintf(hex, 65, "-");
    if (!state || rk_sha256_init(&h) != RK_OK)
        return;
    rk_sha256_update(&h, state, strlen(state));
    rk_sha256_final_hex(&h, hex);
}

int rk_store_log_event(rk_store *st, const char *kind, const char *payload_json, int64_t *event_id)
{
    sqlite3_stmt *q = NULL, *ins = NULL;
    int rc = RK_OK;
    char prev[65] = GENESIS_HASH;
    char *prev_state = NULL;
    rk_buf state;
    rk_buf_init(&state);
    int64_t id = 1;
    if ((rc =
             rk_store__prepare(&q, st, "SELECT id, hash, state FROM event ORDER BY id DESC LIMIT 1",
                               "cannot read the event log")) != RK_OK)
        goto cleanup;
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
        id = sqlite3_column_int64(q, 0) + 1;
        const char *h = rk_store__text(q, 1);
        snprintf(prev, sizeof(prev), "%s", h ? h : "");
        const char *ps = rk_store__text(q, 2);
        if (ps && !(prev_state = rk_strdup(ps))) {
            rc = rk_error_set(st->ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
    } else if (s != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read the event log");
        goto cleanup;
    }
    /* The state this event produced: the last one's plus this transaction's changes. */
    if ((rc = store_state_next(&state, st, st->state.reread ? NULL : prev_state)) != RK_OK)
        goto cleanup;
    char now[32];
    rk_time_iso(now);
    char hash[65];
    event_hash(prev, id, now, kind, payload_json, rk_buf_cstr(&state), hash);
    if (!hash[0]) {
        rc = rk_error_set(st->ctx, RK_ENOMEM, "cannot hash the event");
        goto cleanup;
    }
    if ((rc =
             rk_store__prepare(&ins, st,
                               "INSERT INTO event(id, time, kind, payload, prev_hash, hash, state) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)",
                               "cannot write the event log")) != RK_OK)
        goto cleanup;
    sqlite3_bind_int64(ins, 1, id);
    sqlite3_bind_text(ins, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, payload_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 5, prev, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 6, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 7, rk_buf_cstr(&state), -1, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot write the event log");
        goto cleanup;
    }
    store_state_reset(&st->state);
    if (event_id)
        *event_id = id;
cleanup:
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    rk_free(prev_state);
    rk_buf_release(&state);
    return rc;
}

int rk_digest_init(rk_digest *d)
{
    d->rows = 0;
    d->npending = 0;
    return rk_sha256_init(&d->sha);
}

static void digest_put(rk_digest *d, const void *p, size_t n)
{
    if (d->npending + n > sizeof(d->pending)) {
        rk_sha256_update(&d->sha, d->pending, d->npending);
        d->npending = 0;
        if (n > sizeof(d->pending)) {
            rk_sha256_update(&d->sha, p, n);
            return;
        }
    }
    memcpy(d->pending + d->npending, p, n);
    d->npending += n;
}

void rk_digest_text(rk_digest *d, const char *s, size_t n)
{
    /* Import digests every value it writes: the common case, room in the batch, in one copy. */
    if (n < sizeof(d->pending) && n + 2 <= sizeof(d->pending) - d->npending) {
        char *p = d->pending + d->npending;
        p[0] = 't';
        memcpy(p + 1, s, n);
        p[n + 1] = '\x1f';
        d->npending += n + 2;
        return;
    }
    digest_put(d, "t", 1);
    digest_put(d, s, n);
    digest_put(d, "\x1f", 1);
}

void rk_digest_int(rk_digest *d, int64_t v)
{
    /* The decimal text SQLite gives for an integer, written without printf (a hot path). */
    char buf[24];
    char *p = buf + sizeof(buf);
    *--p = '\x1f';
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    *--p = 'i';
    digest_put(d, p, (size_t)(buf + sizeof(buf) - p));
}

void rk_digest_null(rk_digest *d)
{
    digest_put(d, "n\x1f", 2);
}

void rk_digest_end_row(rk_digest *d)
{
    digest_put(d, "\x1e", 1);
    d->rows++;
}

void rk_digest_final_hex(rk_digest *d, char hex[65])
{
    rk_sha256_update(&d->sha, d->pending, d->npending);
    d->npending = 0;
    rk_sha256_final_hex(&d->sha, hex);
}

void rk_digest_release(rk_digest *d)
{
    if (d)
        rk_sha256_release(&d->sha);
}

/* Digests every row of a query (one int64 parameter) in the canonical form. */
static int query_digest(rk_store *st, const char *sql, int64_t param, int64_t expect, char hex[65],
                        int64_t *rows)
{
    sqlite3_stmt *s = NULL;
    rk_digest d = {0};
    int rc = RK_OK;
    *rows = 0;
    if ((rc = rk_store__prepare_int64(&s, st, sql, param, "cannot compute a digest")) != RK_OK)
        goto cleanup;
    if ((rc = rk_digest_init(&d)) != RK_OK) {
        rc = rk_error_set(st->ctx, rc, "cannot hash");
        goto cleanup;
    }
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if ((d.rows & 0xffff) == 0)
            rk_progress(st->ctx, "hashing rows", (uint64_t)d.rows, (uint64_t)RK_MAX(expect, 0));
        int ncol = sqlite3_column_count(s);
        for (int c = 0; c < ncol; c++) {
            switch (sqlite3_column_type(s, c)) {
            case SQLITE_NULL:
                rk_digest_null(&d);
                break;
            case SQLITE_INTEGER:
                rk_digest_int(&d, sqlite3_column_int64(s, c));
                break;
            case SQLITE_FLOAT: {
                char buf[64];
                int n = snprintf(buf, sizeof(buf), "f%.17g\x1f", sqlite3_column_double(s, c));
                digest_put(&d, buf, (size_t)n);
                break;
            }
            default:
                rk_digest_text(&d, (const char *)sqlite3_column_text(s, c),
                               (size_t)sqlite3_column_bytes(s, c));
            }
        }
        rk_digest_end_row(&d);
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot compute a digest");
        goto cleanup;
    }
    *rows = d.rows;
    if (d.rows) /* the stage's end; (0, 0) would read as one begun without a total */
        rk_progress(st->ctx, "hashing rows", (uint64_t)d.rows, (uint64_t)d.rows);
    rk_digest_final_hex(&d, hex);
cleanup:
    rk_digest_release(&d);
    sqlite3_finalize(s);
    return rc;
}

/* The data each kind of event vouches for: the query whose digest the event's payload holds
 * under "digest", for the row whose id is under `id_field`. Later stages add their kinds here.
 * A kind whose data a later event of the same kind rewrites (standardize: the std of records)
 * is checked for its latest event only; the chain still vouches for the earlier ones. */
typedef struct digest_kind {
    const char *kind;
    const char *id_field;
    const char *digest_field;
    const char *sql;
    /* Kinds (SQL list) whose later events with the same id supersede this digest: data that
     * a later change rewrites, such as the persons of a run re-clustered after a decision, is
     * checked against the latest event that wrote it. NULL: never superseded. */
    const char *superseded_by;
    /* When set, any later event of these kinds supersedes, whatever its id (a standardize
     * of the whole project). */
    bool any_id;
} digest_kind;

static const digest_kind digest_kinds[] = {
    {"import", "import_id", "digest",
     "SELECT record_key, list_id, row_number, line, byte_offset, byte_length, raw, full_name,"
     " given_name, family_name, second_family_name, patronymic, father_name, mother_name, sex,"
     " birth_date, birth_precision, birth_year, age, death_date, death_precision, place, region,"
     " violation, extra FROM record WHERE import_id = ?1 ORDER BY row_number",
     NULL, false},
    {"link", "run_id", "digest", RK_STORE_PERSONS_DIGEST_SQL, "'link', 'persons'", false},
    {"persons", "run_id", "digest", RK_STORE_PERSONS_DIGEST_SQL, "'link', 'persons'", false},
    {"link", "run_id", "digest_pairs", RK_STORE_PAIRS_DIGEST_SQL, NULL, false},
    {"estimate", "batch", "digest", RK_STORE_ESTIMATES_DIGEST_SQL, NULL, false},
    /* Claims (src/report/claims.c): the row as added, and its removal. */
    {"claim", "claim_id", "digest",
     "SELECT source, url, date, category, grp, stratum, value, note, time FROM claim WHERE id = "
     "?1",
     NULL, false},
    {"claim-remove", "claim_id", "digest", "SELECT id, removed_time FROM claim WHERE id = ?1", NULL,
     false},
    /* A reviewer's decision (src/serve/decide.c): the decision row as written. */
    {"decision", "decision_id", "digest",
     "SELECT key_a, key_b, verdict, reviewer, time, note, run_id FROM decision WHERE id = ?1", NULL,
     false},
    {"standardize", "through_record", "digest", RK_STORE_STD_DIGEST_SQL, "'standardize'", true},
    {"gazetteer", "gazetteer_id", "digest", RK_STORE_GAZETTEER_DIGEST_SQL, NULL, false},
};

int rk_store__digest_query(rk_store *st, const char *sql, int64_t param, int64_t rows, char hex[65])
{
    int64_t got;
    return query_digest(st, sql, param, rows, hex, &got);
}

/* Is there an event after `event_id`, of one of `kinds`, with the same id field value (or,
 * with any_id, any later event of those kinds)? */
static int superseded(rk_store *st, const char *kinds, const char *id_field, int64_t id,
                      bool any_id, int64_t event_id, bool *out)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT 1 FROM event WHERE id > ?1 AND kind IN (%s) AND (?4 OR json_extract(payload,"
             " '$.' || ?2) = ?3) LIMIT 1",
             kinds);
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare_int64(&s, st, sql, event_id, "cannot read the event log");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(s, 2, id_field, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, id);
    sqlite3_bind_int(s, 4, any_id);
    *out = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return RK_OK;
}

static int check_event_data(rk_store *st, int64_t event_id, const char *kind, const char *payload,
                            char *why, size_t whysz, bool *ok)
{
    *ok = true;
    for (size_t k = 0; k < RK_ARRAY_LEN(digest_kinds); k++) {
        const digest_kind *dk = &digest_kinds[k];
        if (strcmp(kind, dk->kind) != 0)
            continue;
        sqlite3_stmt *s = NULL;
        int rc = rk_store__prepare(
            &s, st, "SELECT json_extract(?1, '$.' || ?2), json_extract(?1, '$.' || ?3)",
            "cannot read an event");
        if (rc != RK_OK)
            return rc;
        sqlite3_bind_text(s, 1, payload, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, dk->id_field, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, dk->digest_field, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_ROW) {
            sqlite3_finalize(s);
            *ok = false;
            snprintf(why, whysz, "its payload is not valid JSON");
            return RK_OK;
        }
        int64_t id = sqlite3_column_int64(s, 0);
        const unsigned char *want = sqlite3_column_text(s, 1);
        char want_copy[65];
        snprintf(want_copy, sizeof(want_copy), "%s", want ? (const char *)want : "");
        sqlite3_finalize(s);
        if (dk->superseded_by) {
            bool later = false;
            if ((rc = superseded(st, dk->superseded_by, dk->id_field, id, dk->any_id, event_id,
                                 &later)) != RK_OK)
                return rc;
            if (later)
                continue;
        }
        char got[65];
        int64_t rows = 0;
        rc = query_digest(st, dk->sql, id, 0, got, &rows);
        if (rc != RK_OK)
            return rc;
        if (strcmp(got, want_copy) != 0) {
            *ok = false;
            snprintf(why, whysz,
                     "the data of %s %lld no longer hash to what the event recorded (%s %.12s..., "
                     "now %.12s...); rows were changed outside reckon",
                     dk->id_field, (long long)id, dk->digest_field, want_copy, got);
        }
    }
    return RK_OK;
}

/* The last event that changed each table's recorded sum, as the walk of the chain finds them. */
typedef struct table_seen {
    char table[64];
    char hex[STORE_STATE_HEX + 1];
    int64_t event;
    char kind[32];
} table_seen;

typedef struct chain_walk {
    table_seen tables[STORE_STATE_MAX_TABLES];
    int ntables;
} chain_walk;

static table_seen *walk_table(chain_walk *w, const char *table, size_t len)
{
    for (int i = 0; i < w->ntables; i++)
        if (strlen(w->tables[i].table) == len && strncmp(w->tables[i].table, table, len) == 0)
            return &w->tables[i];
    if (w->ntables == STORE_STATE_MAX_TABLES || len >= sizeof(w->tables[0].table))
        return NULL;
    table_seen *t = &w->tables[w->ntables++];
    memset(t, 0, sizeof(*t));
    memcpy(t->table, table, len);
    memset(t->hex, '0', STORE_STATE_HEX);
    return t;
}

/* Notes which tables an event's state changed; false when the state is malformed. */
static bool walk_state(chain_walk *w, int64_t id, const char *kind, const char *state)
{
    for (const char *line = state; *line;) {
        const char *nl = strchr(line, '\n');
        const char *sp = strchr(line, ' ');
        if (!nl || !sp || sp > nl || (size_t)(nl - sp - 1) != STORE_STATE_HEX)
            return false;
        table_seen *t = walk_table(w, line, (size_t)(sp - line));
        if (!t)
            return false;
        if (memcmp(t->hex, sp + 1, STORE_STATE_HEX) != 0 || t->event == 0) {
            memcpy(t->hex, sp + 1, STORE_STATE_HEX);
            t->event = id;
            snprintf(t->kind, sizeof(t->kind), "%s", kind);
        }
        line = nl + 1;
    }
    return true;
}

/* Compares every audited table, and every table the head's state names, with the head's state. */
static int check_state(rk_verify_report *out, rk_store *st, const char *head_state, int64_t head_id,
                       const char *head_kind, chain_walk *w)
{
    sqlite3_stmt *q = NULL;
    int rc = rk_store__prepare(&q, st,
                               "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                               "cannot list the project's tables");
    if (rc != RK_OK)
        return rc;
    char present[STORE_STATE_MAX_TABLES][64];
    int npresent = 0;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = rk_store__text(q, 0);
        if (!name || !store_state_audited(name))
            continue;
        if (npresent == STORE_STATE_MAX_TABLES || strlen(name) >= sizeof(present[0])) {
            sqlite3_finalize(q);
            return rk_error_set(st->ctx, RK_ESTORE, "%s: too many tables to verify", st->path);
        }
        snprintf(present[npresent++], sizeof(present[0]), "%s", name);
        walk_table(w, name, strlen(name)); /* a table no event named is checked too */
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return rk_store__sqlerr(st, "cannot list the project's tables");
    for (int i = 0; i < w->ntables && rc == RK_OK; i++) {
        table_seen *t = &w->tables[i];
        uint64_t want[STORE_STATE_LIMBS], got[STORE_STATE_LIMBS];
        if (!store_state_lookup(head_state, t->table, want)) {
            memset(want, 0xff, sizeof(want)); /* damaged: cannot match */
        }
        bool exists = false;
        for (int k = 0; k < npresent; k++)
            exists = exists || strcmp(present[k], t->table) == 0;
        if (exists)
            rc = store_state_table(got, st, t->table);
        else
            memset(got, 0, sizeof(got));
        if (rc != RK_OK || memcmp(want, got, sizeof(want)) == 0)
            continue;
        out->first_bad = t->event ? t->event : head_id;
        snprintf(out->kind, sizeof(out->kind), "%s", t->event ? t->kind : head_kind);
        snprintf(out->table, sizeof(out->table), "%s", t->table);
        char gothex[STORE_STATE_HEX + 1], wanthex[STORE_STATE_HEX + 1];
        store_state_hex(got, gothex);
        store_state_hex(want, wanthex);
        snprintf(out->reason, sizeof(out->reason),
                 "table %s%s no longer holds the rows this event recorded (sum %.12s..., now "
                 "%.12s...)",
                 t->table, exists ? "" : " is gone and", wanthex, gothex);
        break;
    }
    return rc;
}

int rk_store_verify(rk_verify_report *out, rk_store *st)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->head, sizeof(out->head), "%s", GENESIS_HASH);
    sqlite3_stmt *s = NULL;
    chain_walk *w = rk_calloc(1, sizeof(*w));
    char *head_state = NULL;
    char head_kind[32] = "";
    int64_t head_id = 0;
    if (!w)
        return rk_error_set(st->ctx, RK_ENOMEM, "out of memory");
    int rc = rk_store__prepare(
        &s, st, "SELECT id, time, kind, payload, prev_hash, hash, state FROM event ORDER BY id",
        "cannot read the event log");
    if (rc != RK_OK)
        goto cleanup;
    char prev[65] = GENESIS_HASH;
    int64_t expect_id = 1;
    bool stateful = false;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *time = rk_store__text(s, 1);
        const char *kind = rk_store__text(s, 2);
        const char *payload = rk_store__text(s, 3);
        const char *prev_hash = rk_store__text(s, 4);
        const char *hash = rk_store__text(s, 5);
        const char *state = rk_store__text(s, 6);
        out->events++;
        out->first_bad = id;
        snprintf(out->kind, sizeof(out->kind), "%s", kind ? kind : "?");
        if (!time || !kind || !payload || !prev_hash || !hash) {
            snprintf(out->reason, sizeof(out->reason), "a field of the event is missing");
            break;
        }
        if (id != expect_id) {
            snprintf(out->reason, sizeof(out->reason),
                     "event %lld is missing from the log (found %lld next)", (long long)expect_id,
                     (long long)id);
            break;
        }
        if (strcmp(prev_hash, prev) != 0) {
            snprintf(out->reason, sizeof(out->reason), "its link to the previous event is broken");
            break;
        }
        char h[65];
        event_hash(prev, id, time, kind, payload, state, h);
        if (strcmp(h, hash) != 0) {
            snprintf(out->reason, sizeof(out->reason),
                     "its content (%s) no longer hashes to the recorded hash", kind);
            break;
        }
        if (!state && stateful) {
            snprintf(out->reason, sizeof(out->reason),
                     "it records no state, as every event since schema 9 must");
            break;
        }
        if (state) {
            stateful = true;
            if (!walk_state(w, id, kind, state)) {
                snprintf(out->reason, sizeof(out->reason), "its state digest is malformed");
                break;
            }
            rk_free(head_state);
            if (!(head_state = rk_strdup(state))) {
                rc = rk_error_set(st->ctx, RK_ENOMEM, "out of memory");
                break;
            }
        } else {
            /* An event from before the state digest: the digest its payload holds. */
            bool ok = true;
            rc = check_event_data(st, id, kind, payload, out->reason, sizeof(out->reason), &ok);
            if (rc != RK_OK || !ok)
                break;
        }
        out->first_bad = 0;
        head_id = id;
        snprintf(head_kind, sizeof(head_kind), "%s", kind);
        snprintf(prev, sizeof(prev), "%s", hash);
        expect_id = id + 1;
    }
    if (rc == RK_OK && out->first_bad == 0 && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the event log");
    if (rc != RK_OK)
        goto cleanup;
    snprintf(out->head, sizeof(out->head), "%s", prev);
    if (out->first_bad == 0)
        out->kind[0] = '\0';
    if (out->first_bad == 0 && head_state) {
        rc = check_state(out, st, head_state, head_id, head_kind, w);
    } else if (out->first_bad == 0) {
        /* A project without state digests: an import no event vouches for was slipped in. */
        sqlite3_stmt *q = NULL;
        if ((rc = rk_store__prepare(
                 &q, st,
                 "SELECT id FROM import WHERE id NOT IN (SELECT json_extract(payload,"
                 " '$.import_id') FROM event WHERE kind = 'import') LIMIT 1",
                 "cannot check imports")) != RK_OK)
            goto cleanup;
        if (sqlite3_step(q) == SQLITE_ROW) {
            out->first_bad = out->events + 1;
            snprintf(out->reason, sizeof(out->reason),
                     "import %lld has no event in the log: it was added outside reckon",
                     (long long)sqlite3_column_int64(q, 0));
        }
        sqlite3_finalize(q);
    }
cleanup:
    sqlite3_finalize(s);
    rk_free(head_state);
    rk_free(w);
    return rc;
}

int rk_store_events(rk_event_info **out, size_t *n, rk_store *st)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = NULL;
    rk_event_info *v = NULL;
    size_t len = 0, cap = 0;
    int rc = rk_store__prepare(&s, st, "SELECT id, time, kind, hash, state FROM event ORDER BY id",
                               "cannot read the event log");
    if (rc != RK_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            rk_event_info *nv = rk_realloc(v, ncap * sizeof(*v));
            if (!nv) {
                rc = rk_error_set(st->ctx, RK_ENOMEM, "out of memory");
                goto cleanup;
            }
            v = nv;
            cap = ncap;
        }
        rk_event_info *e = &v[len++];
        const char *time = rk_store__text(s, 1), *kind = rk_store__text(s, 2);
        const char *hash = rk_store__text(s, 3);
        e->id = sqlite3_column_int64(s, 0);
        snprintf(e->time, sizeof(e->time), "%s", time ? time : "");
        snprintf(e->kind, sizeof(e->kind), "%s", kind ? kind : "");
        snprintf(e->hash, sizeof(e->hash), "%s", hash ? hash : "");
        state_digest(rk_store__text(s, 4), e->digest);
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read the event log");
        goto cleanup;
    }
    *out = v;
    *n = len;
    v = NULL;
cleanup:
    sqlite3_finalize(s);
    rk_free(v);
    return rc;
}
