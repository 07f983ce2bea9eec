/* Reading back one batch of stored estimates (rows, dga's sensitivity rows and the missing
 * values of a stratified batch), for the command line to print what `reckon estimate PROJECT`
 * stored, and the report to show it, without SQL of their own. */
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
             " coalesce(json_extract(e.result, '$.replicates.one.observed'), e.observed),"
             " json_extract(x.value, '$.varies'),"
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

int rk_estimate__percent(int64_t part, int64_t whole)
{
    if (whole <= 0 || part <= 0)
        return 0;
    if (part >= whole)
        return 100;
    return (int)RK_MIN(RK_MAX(lround(100.0 * (double)part / (double)whole), 1), 99);
}

void rk_estimate__missing_free(rk_estimate__missing *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nlists; i++)
        rk_free(m->lists[i].list);
    rk_free(m->lists);
    rk_free(m->note);
    rk_free(m->json);
    rk_free(m);
}

int rk_estimate__batch_missing(rk_estimate__missing **out, rk_store *st, int64_t batch)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    *out = NULL;
    rk_estimate__missing *m = NULL;
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare_int64(
        &s, st,
        "SELECT json_extract(result, '$.missing'), coalesce(json_extract(result,"
        " '$.missing.note'), ''), json_extract(result, '$.missing.persons') FROM estimate"
        " WHERE id = ?1 AND json_valid(result) AND json_type(result, '$.missing') = 'object'",
        batch, "cannot read the missing values");
    if (rc != RK_OK)
        return rc;
    int step = sqlite3_step(s);
    if (step != SQLITE_ROW) {
        rc = step == SQLITE_DONE ? RK_OK : rk_store__sqlerr(st, "cannot read the missing values");
        goto cleanup;
    }
    if (!(m = rk_calloc(1, sizeof(*m))) || !(m->json = text(s, 0)) || !(m->note = text(s, 1))) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    m->persons = sqlite3_column_int64(s, 2);
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = rk_store__prepare_int64(
             &s, st,
             "SELECT f.value, json_extract(e.result, '$.missing.without[' || f.key || ']'),"
             " json_extract(e.result, '$.missing.documented_only[' || f.key || ']'),"
             " json_extract(e.result, '$.missing.imputed[' || f.key || ']'),"
             " json_extract(e.result, '$.missing.imputations') FROM"
             " estimate e, json_each(e.result, '$.missing.by') f WHERE e.id = ?1 ORDER BY f.key",
             batch, "cannot read the missing values")) != RK_OK)
        goto cleanup;
    while ((step = sqlite3_step(s)) == SQLITE_ROW && m->nby < RK_ESTIMATE__MAX_BY) {
        snprintf(m->by[m->nby], sizeof(m->by[0]), "%s", rk_store__text(s, 0));
        m->without[m->nby] = sqlite3_column_int64(s, 1);
        m->imputed[m->nby] = sqlite3_column_int64(s, 3);
        m->imputations = sqlite3_column_int64(s, 4);
        m->documented_only[m->nby++] = sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = rk_store__prepare_int64(
             &s, st,
             "SELECT l.key, json_extract(l.value, '$.list'), json_extract(l.value, '$.persons'),"
             " w.key, w.value FROM estimate e, json_each(e.result, '$.missing.lists') l,"
             " json_each(l.value, '$.without') w WHERE e.id = ?1 ORDER BY l.key, w.key",
             batch, "cannot read the missing values")) != RK_OK)
        goto cleanup;
    size_t cap = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        size_t l = (size_t)sqlite3_column_int64(s, 0), b = (size_t)sqlite3_column_int64(s, 3);
        if (l >= m->nlists) {
            if (rk_grow((void **)&m->lists, &cap, l + 1, sizeof(*m->lists)) != RK_OK) {
                rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
                goto cleanup;
            }
            memset(m->lists + m->nlists, 0, (l + 1 - m->nlists) * sizeof(*m->lists));
            m->nlists = l + 1;
        }
        rk_estimate__missing_list *ml = &m->lists[l];
        if (!ml->list && !(ml->list = text(s, 1))) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        ml->persons = sqlite3_column_int64(s, 2);
        if (b < RK_ESTIMATE__MAX_BY)
            ml->without[b] = sqlite3_column_int64(s, 4);
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the missing values");
cleanup:
    sqlite3_finalize(s);
    if (rc != RK_OK) {
        rk_estimate__missing_free(m);
        return rc;
    }
    *out = m;
    return RK_OK;
}

int rk_estimate__missing_sentence(rk_buf *out, const rk_estimate__missing *m, size_t b)
{
    if (!m->without[b])
        return rk_buf_printf(out, "all %lld persons have a %s", (long long)m->persons, m->by[b]);
    int rc = rk_buf_printf(out, "%lld of %lld persons have no %s", (long long)m->without[b],
                           (long long)m->persons, m->by[b]);
    if (rc == RK_OK && m->imputed[b])
        rc = rk_buf_printf(out, "; it was imputed for them (%lld imputations, combined)",
                           (long long)m->imputations);
    else if (rc == RK_OK)
        rc = rk_buf_printf(out, "; %lld of them count as documented only",
                           (long long)m->documented_only[b]);
    return rc;
}

int rk_estimate__latest_batch(rk_estimate__batch *out, rk_store *st, const char *by)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare(
        &s, st,
        "SELECT batch, run_id, by_fields FROM (SELECT batch, coalesce(run_id, 0) AS run_id,"
        " coalesce((SELECT group_concat(b.value, ', ') FROM (SELECT value FROM json_each(CASE"
        " WHEN json_valid(config) THEN config END, '$.by') ORDER BY id) b), '') AS by_fields"
        " FROM estimate WHERE id = batch) WHERE ?1 IS NULL OR by_fields = ?1"
        " ORDER BY batch DESC LIMIT 1",
        "cannot read estimates");
    if (rc != RK_OK)
        return rc;
    if (by)
        sqlite3_bind_text(s, 1, by, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        out->batch = sqlite3_column_int64(s, 0);
        out->run_id = sqlite3_column_int64(s, 1);
        snprintf(out->by, sizeof(out->by), "%s", rk_store__text(s, 2));
    } else if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read estimates");
    }
    sqlite3_finalize(s);
    return rc;
}

void rk_estimate__details_free(rk_estimate__detail *d, size_t n)
{
    for (size_t i = 0; d && i < n; i++) {
        for (size_t l = 0; l < d[i].nlists; l++)
            rk_free(d[i].lists[l]);
        rk_free(d[i].lists);
    }
    rk_free(d);
}

static rk_estimate__interval interval(sqlite3_stmt *s, int col)
{
    return (rk_estimate__interval){number(s, col), number(s, col + 1), number(s, col + 2)};
}

/* The names of each row's lists, in the order of rk_estimate__batch_rows, into d[0..n). */
static int detail_lists(rk_estimate__detail *d, size_t n, rk_store *st, int64_t batch)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare_int64(
        &s, st,
        "SELECT e.id, l.value FROM estimate e, json_each(CASE WHEN json_valid(e.lists) THEN"
        " e.lists END) l WHERE e.batch = ?1 AND l.type = 'text'"
        " ORDER BY e.stratum IS NULL, e.stratum, e.id, l.key",
        batch, "cannot read estimates");
    if (rc != RK_OK)
        return rc;
    size_t at = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        while (at < n && d[at].estimate_id != id) {
            at++;
            cap = 0;
        }
        if (at == n)
            break; /* a row stored after the details were read */
        rk_estimate__detail *x = &d[at];
        if (rk_grow((void **)&x->lists, &cap, x->nlists + 1, sizeof(char *)) != RK_OK ||
            !(x->lists[x->nlists] = text(s, 1))) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        x->nlists++;
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW)
        rc = rk_store__sqlerr(st, "cannot read estimates");
cleanup:
    sqlite3_finalize(s);
    return rc;
}

int rk_estimate__batch_details(rk_estimate__detail **out, size_t *n, rk_store *st, int64_t batch)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out && n);
    *out = NULL;
    *n = 0;
    rk_estimate__detail *d = NULL;
    size_t count = 0, cap = 0;
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare_int64(
        &s, st,
        "SELECT id, json_extract(r, '$.rhat'), json_extract(r, '$.ess'),"
        " coalesce(json_extract(r, '$.warning'), ''),"
        " (SELECT json_extract(x.value, '$.top_tenth_mass') FROM json_each(r, '$.sensitivity') x"
        " WHERE json_extract(x.value, '$.baseline') = 1 LIMIT 1),"
        " coalesce(json_type(r, '$.replicates') = 'object', 0),"
        " json_extract(r, '$.replicates.linkages'), json_extract(r, '$.replicates.imputations'),"
        " json_extract(r, '$.replicates.replicates'), json_extract(r, '$.replicates.answered'),"
        " json_extract(r, '$.replicates.imputed'), coalesce(json_extract(r,"
        " '$.replicates.rule'), ''), json_extract(r, '$.replicates.single.estimate'),"
        " json_extract(r, '$.replicates.single.lower'),"
        " json_extract(r, '$.replicates.single.upper'),"
        " json_extract(r, '$.replicates.one.estimate'), json_extract(r, '$.replicates.one.lower'),"
        " json_extract(r, '$.replicates.one.upper'),"
        " json_extract(r, '$.replicates.widened.imputation'),"
        " json_extract(r, '$.replicates.widened.linkage'),"
        " json_extract(r, '$.replicates.one.observed') FROM (SELECT id, stratum, CASE WHEN"
        " json_valid(result) AND json_type(result) = 'object' THEN result END AS r FROM"
        " estimate WHERE batch = ?1) ORDER BY stratum IS NULL, stratum, id",
        batch, "cannot read estimates");
    if (rc != RK_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (rk_grow((void **)&d, &cap, count + 1, sizeof(*d)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        rk_estimate__detail *x = &d[count++];
        *x = (rk_estimate__detail){
            .estimate_id = sqlite3_column_int64(s, 0),
            .rhat = number(s, 1),
            .ess = number(s, 2),
            .top_tenth_mass = number(s, 4),
            .replicated = sqlite3_column_int(s, 5) != 0,
            .linkages = sqlite3_column_int64(s, 6),
            .imputations = sqlite3_column_int64(s, 7),
            .replicates = sqlite3_column_int64(s, 8),
            .answered = sqlite3_column_int64(s, 9),
            .imputed = sqlite3_column_int64(s, 10),
            .single = interval(s, 12),
            .one = interval(s, 15),
            .widened_imputation = number(s, 18),
            .widened_linkage = number(s, 19),
            .documented = sqlite3_column_int64(s, 20),
        };
        snprintf(x->warning, sizeof(x->warning), "%s", rk_store__text(s, 3));
        snprintf(x->rule, sizeof(x->rule), "%s", rk_store__text(s, 11));
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read estimates");
    else
        rc = detail_lists(d, count, st, batch);
cleanup:
    sqlite3_finalize(s);
    if (rc != RK_OK) {
        rk_estimate__details_free(d, count);
        return rc;
    }
    *out = d;
    *n = count;
    return RK_OK;
}

int rk_estimate__batch_thresholds(rk_estimate__threshold **out, size_t *n, rk_store *st,
                                  int64_t batch)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out && n);
    *out = NULL;
    *n = 0;
    rk_estimate__threshold *rows = NULL;
    size_t count = 0, cap = 0;
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare_int64(
        &s, st,
        "SELECT e.id, json_extract(x.value, '$.threshold'), json_extract(x.value, '$.observed'),"
        " json_extract(x.value, '$.estimate'), json_extract(x.value, '$.lower'),"
        " json_extract(x.value, '$.upper'), coalesce(json_extract(x.value, '$.status'), ''),"
        " coalesce(json_extract(x.value, '$.reason'), '') FROM estimate e,"
        " json_each(CASE WHEN json_valid(e.result) THEN e.result END, '$.thresholds') x"
        " WHERE e.batch = ?1 AND x.type = 'object'"
        " ORDER BY e.stratum IS NULL, e.stratum, e.id, x.key",
        batch, "cannot read the estimates at other thresholds");
    if (rc != RK_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (rk_grow((void **)&rows, &cap, count + 1, sizeof(*rows)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        rk_estimate__threshold *t = &rows[count++];
        *t = (rk_estimate__threshold){
            .estimate_id = sqlite3_column_int64(s, 0),
            .threshold = number(s, 1),
            .observed = sqlite3_column_int64(s, 2),
            .figure = interval(s, 3),
        };
        snprintf(t->status, sizeof(t->status), "%s", rk_store__text(s, 6));
        snprintf(t->reason, sizeof(t->reason), "%s", rk_store__text(s, 7));
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the estimates at other thresholds");
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
