/* Re-standardizing a project: every current record's `std` JSON computed again by the text
 * module (after a change of its tables or rules), in one transaction with a "standardize"
 * audit event. The name keys of the changed records in the search index are refreshed in the
 * same transaction. Import digests leave std out, so the imports stay verifiable; the event's
 * state digest covers the std written. */
#include "common.h"
#include "store/store_internal.h"

#include <sqlite3.h>

/* Columns of the read query, in order. */
enum {
    S_ID,
    S_FULL,
    S_GIVEN,
    S_FAMILY,
    S_SECOND,
    S_PATRONYMIC,
    S_SEX,
    S_PLACE,
    S_STD,
    S_LANG,
    S_ORDER
};

static const char read_sql[] =
    "SELECT r.id, r.full_name, r.given_name, r.family_name, r.second_family_name, r.patronymic,"
    " r.sex, r.place, r.std, l.language, json_extract(i.mapping, '$.name_order')"
    " FROM current_record r JOIN list l ON l.id = r.list_id JOIN import i ON i.id = r.import_id"
    " ORDER BY r.id";

/* The search index keys of record ?1, from the std just written. */
static const char refresh_keys_sql[] =
    "UPDATE name_search SET keys = coalesce((SELECT " RK_STORE_NAME_KEYS_SQL
    " FROM record WHERE id = ?1), '') WHERE rowid = ?1";

int rk_text_standardize_project(rk_text_standardize_result *out, rk_store *st)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *rd = NULL, *up = NULL, *keys = NULL;
    rk_text *text = NULL;
    rk_buf std, payload;
    rk_buf_init(&std);
    rk_buf_init(&payload);
    bool txn = false;
    int rc = rk_text_new(&text, ctx, NULL);
    if (rc != RK_OK)
        goto cleanup;
    if ((rc = rk_store_begin(st)) != RK_OK)
        goto cleanup;
    txn = true;
    rk_store__hash_rows_beside(st); /* each record's old and new row hashed on a spare core */
    if ((rc = rk_store__prepare(&rd, st, read_sql, "cannot read records to standardize")) !=
            RK_OK ||
        (rc = rk_store__prepare(&up, st, "UPDATE record SET std = ?1 WHERE id = ?2",
                                "cannot read records to standardize")) != RK_OK ||
        /* A record not yet in the index gets its keys when `reckon serve` indexes it. */
        (rc = rk_store__prepare(&keys, st, refresh_keys_sql,
                                "cannot read records to standardize")) != RK_OK)
        goto cleanup;
    /* Updating rows of the table being read is safe in SQLite when the rowid is not changed,
     * and the read is in id order. */
    int step;
    while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
        const char *fields[RK_FIELD_COUNT] = {0};
        fields[RK_FIELD_FULL_NAME] = rk_store__text(rd, S_FULL);
        fields[RK_FIELD_GIVEN_NAME] = rk_store__text(rd, S_GIVEN);
        fields[RK_FIELD_FAMILY_NAME] = rk_store__text(rd, S_FAMILY);
        fields[RK_FIELD_SECOND_FAMILY_NAME] = rk_store__text(rd, S_SECOND);
        fields[RK_FIELD_PATRONYMIC] = rk_store__text(rd, S_PATRONYMIC);
        fields[RK_FIELD_SEX] = rk_store__text(rd, S_SEX);
        fields[RK_FIELD_PLACE] = rk_store__text(rd, S_PLACE);
        rk_text_set_lang_codes(text, rk_store__text(rd, S_LANG), rk_store__text(rd, S_ORDER));
        rk_buf_clear(&std);
        if ((rc = rk_text_record_std(&std, text, fields)) != RK_OK) {
            if (rc == RK_ENOMEM)
                rk_error_set(ctx, rc, "out of memory");
            goto cleanup;
        }
        int64_t id = sqlite3_column_int64(rd, S_ID);
        out->records++;
        out->through_record = id;
        const char *old = rk_store__text(rd, S_STD);
        if (old && strlen(old) == std.len && memcmp(old, std.data, std.len) == 0)
            continue;
        sqlite3_reset(up);
        sqlite3_bind_text(up, 1, std.data, (int)std.len, SQLITE_STATIC);
        sqlite3_bind_int64(up, 2, id);
        if (sqlite3_step(up) != SQLITE_DONE) {
            rc = rk_store__sqlerr(st, "cannot update a record's standardized fields");
            goto cleanup;
        }
        sqlite3_reset(keys);
        sqlite3_bind_int64(keys, 1, id);
        if (sqlite3_step(keys) != SQLITE_DONE) {
            rc = rk_store__sqlerr(st, "cannot update a record's keys in the search index");
            goto cleanup;
        }
        out->changed++;
        if (out->records % 50000 == 0)
            rk_progress(ctx, "standardizing records", out->records, 0);
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read records to standardize");
        goto cleanup;
    }
    rk_progress(ctx, "standardizing records", out->records, out->records);
    /* The event's state digest (store/state.c) covers the values written; the digest of every
     * record's std that the event held before schema 9 is no longer written. */
    if (rk_buf_printf(&payload, "{\"records\":%zu,\"changed\":%zu,\"through_record\":%lld}",
                      out->records, out->changed, (long long)out->through_record) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rk_store_log_event(st, "standardize", rk_buf_cstr(&payload), &out->event_id)) !=
        RK_OK)
        goto cleanup;
    rc = rk_store_commit(st);
    txn = false;
cleanup:
    sqlite3_finalize(rd);
    sqlite3_finalize(up);
    sqlite3_finalize(keys);
    if (txn)
        rk_store_rollback(st);
    rk_text_free(text);
    rk_buf_release(&std);
    rk_buf_release(&payload);
    return rc;
}
