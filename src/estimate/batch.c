/* Reading back one batch of stored estimates (rows and dga's sensitivity rows), for the
 * command line to print what `reckon estimate PROJECT` stored, without SQL of its own. */
#include "estimate_private.h"
#include "estimate_internal.h"
#include "store/store_internal.h"

/* The stratum as a readable label, the report's own definition. */

static char *text(sqlite3_stmt *s, int col)
{
    const char *v = (const char *)sqlite3_column_text(s, col);
    return rk_strdup(v ? v : "");
}

static double number(sqlite3_stmt *s, int col)
{
    return sqlite3_column_type(s, col) == SQLITE_NULL ? NAN : sqlite3_column_double(s, col);
}

void rk_estimate__stored_free(rk_estimate__stored *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        rk_estimate__stored *r = &rows[i];
        rk_free(r->stratum);
        rk_free(r->stratum_label);
        rk_free(r->method);
        rk_free(r->model);
        rk_free(r->status);
        rk_free(r->reason);
        rk_free(r->lists);
        rk_free(r->result);
    }
    rk_free(rows);
}

int rk_estimate__batch_rows(rk_estimate__stored **out, size_t *n, rk_store *st, int64_t batch)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out && n);
    *out = NULL;
    *n = 0;
    rk_estimate__stored *rows = NULL;
    size_t count = 0, cap = 0;
    sqlite3_stmt *s = NULL;
    int rc = RK_OK, step;
    if ((rc = rk_store__prepare_int64(
             &s, st,
             "SELECT id, coalesce(stratum, 'null'), coalesce(" RK_ESTIMATE_STRATUM_LABEL_SQL
             ", ''),"
             " method, coalesce(model, ''), observed, estimate, lower, upper,"
             " status, coalesce(reason, ''), lists, result FROM estimate"
             " WHERE batch = ? ORDER BY stratum IS NULL, stratum, id",
             batch, "cannot read estimates")) != RK_OK)
        return rc;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (rk_grow((void **)&rows, &cap, count + 1, sizeof(*rows)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        rk_estimate__stored *r = &rows[count++];
        *r = (rk_estimate__stored){
            .id = sqlite3_column_int64(s, 0),
            .stratum = text(s, 1),
            .stratum_label = text(s, 2),
            .method = text(s, 3),
            .model = text(s, 4),
            .observed = sqlite3_column_int64(s, 5),
            .estimate = number(s, 6),
            .lower = number(s, 7),
            .upper = number(s, 8),
            .status = text(s, 9),
            .reason = text(s, 10),
            .lists = text(s, 11),
            .result = text(s, 12),
        };
        if (!r->stratum || !r->stratum_label || !r->method || !r->model || !r->status ||
            !r->reason || !r->lists || !r->result) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read estimates");
cleanup:
    sqlite3_finalize(s);
    if (rc != RK_OK) {
        rk_estimate__stored_free(rows, count);
        return rc;
    }
    *out = rows;
    *n = count;
    return RK_OK;
}

int rk_estimate__batch_sensitivity(rk_estimate__stored_sensitivity **out, size_t *n, rk_store *st,
                                   int64_t batch)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out && n);
    *out = NULL;
    *n = 0;
    rk_estimate__stored_sensitivity *rows = NULL;
    size_t count = 0, cap = 0;
    sqlite3_stmt *s = NULL;
    int rc = RK_OK, step;
    if ((rc = rk_store__prepare_int64(
             &s, st,
             "SELECT e.id, coalesce(e.method, ''), coalesce(" RK_ESTIMATE_STRATUM_LABEL_SQL ", ''),"
             " e.observed, json_extract(x.value, '$.varies'),"
             " json_extract(x.value, '$.delta'), json_extract(x.value, '$.nmax'),"
             " json_extract(x.value, '$.baseline'),"
             " json_extract(x.value, '$.median'), json_extract(x.value, '$.lower'),"
             " json_extract(x.value, '$.upper'),"
             " json_extract(x.value, '$.top_tenth_mass') FROM estimate e,"
             " json_each(CASE WHEN json_valid(e.result) THEN e.result END,"
             " '$.sensitivity') x WHERE e.batch = ? AND x.type = 'object'"
             " ORDER BY e.stratum IS NULL, e.stratum, e.id, x.id",
             batch, "cannot read the sensitivity rows")) != RK_OK)
        return rc;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (rk_grow((void **)&rows, &cap, count + 1, sizeof(*rows)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        rk_estimate__stored_sensitivity *r = &rows[count++];
        memset(r, 0, sizeof(*r));
        r->estimate_id = sqlite3_column_int64(s, 0);
        snprintf(r->method, sizeof(r->method), "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(r->stratum_label, sizeof(r->stratum_label), "%s",
                 (const char *)sqlite3_column_text(s, 2));
        r->observed = sqlite3_column_int64(s, 3);
        const char *varies = (const char *)sqlite3_column_text(s, 4);
        snprintf(r->row.varies, sizeof(r->row.varies), "%s", varies ? varies : "");
        r->row.delta = number(s, 5);
        r->row.nmissing_max = sqlite3_column_int64(s, 6);
        r->row.baseline = sqlite3_column_int(s, 7) != 0;
        r->row.median = number(s, 8);
        r->row.lower = number(s, 9);
        r->row.upper = number(s, 10);
        r->row.top_mass = number(s, 11);
        r->row.mean = r->row.sd = r->row.mode = NAN;
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the sensitivity rows");
cleanup:
    sqlite3_finalize(s);
    if (rc != RK_OK) {
        rk_free(rows);
        return rc;
    }
    *out = rows;
    *n = count;
    return RK_OK;
}
