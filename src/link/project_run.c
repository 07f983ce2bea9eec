/* Reading back a stored link run: its settings, the fitted model as saved (prior, EM, and the
 * m, u and weight of every comparison level) and its statistics. The readout of `reckon
 * model`; project_save.c writes what this reads. */
#include "project_private.h"
#include "store/store_internal.h"

#include <math.h>
#include <sqlite3.h>

/* A copy of a text column, "" for NULL; NULL only when out of memory. */
static char *dup_text(sqlite3_stmt *s, int i)
{
    const char *t = rk_store__text(s, i);
    return rk_strdup(t ? t : "");
}

void rk_link_run_info_release(rk_link_run_info *info)
{
    if (!info)
        return;
    rk_free(info->model_json);
    rk_free(info->config_json);
    rk_free(info->stats_json);
    for (size_t i = 0; i < info->nlevels; i++) {
        rk_free(info->levels[i].field);
        rk_free(info->levels[i].label);
        rk_free(info->levels[i].depends_on);
    }
    rk_free(info->levels);
    rk_free(info->trace);
    memset(info, 0, sizeof(*info));
}

/* A number column, NaN for NULL. */
static double number(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

/* The prior and the EM figures at the top of the model. A model that is not JSON has none: the
 * query fails on it, as it does when out of memory; only the latter is an error (json_valid
 * would not tell them apart, as it answers 0 when it runs out of memory). */
static int read_summary(rk_link_run_info *out, rk_store *st)
{
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare(&s, st,
                               "SELECT json_extract(?1, '$.lambda'), json_extract(?1,"
                               " '$.iterations'), json_extract(?1, '$.converged'), json_extract(?1,"
                               " '$.patterns'), json_extract(?1, '$.lambda_within'),"
                               " json_extract(?1, '$.lambda_across'), json_extract(?1, '$.change'),"
                               " json_extract(?1, '$.lambda_blocked')",
                               "cannot read the model");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(s, 1, out->model_json, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        out->has_summary = true;
        out->lambda = sqlite3_column_double(s, 0);
        out->iterations = sqlite3_column_int(s, 1);
        out->converged = sqlite3_column_int(s, 2) != 0;
        out->patterns = sqlite3_column_int64(s, 3);
        out->lambda_within = sqlite3_column_double(s, 4);
        out->lambda_across = sqlite3_column_double(s, 5);
        out->change = number(s, 6);
        out->lambda_blocked = number(s, 7);
    } else if ((step & 0xff) == SQLITE_NOMEM) {
        rc = rk_store__sqlerr(st, "cannot read the model");
    }
    sqlite3_finalize(s);
    return rc;
}

/* Every level of every compared field, from a model that is JSON. What a level does not say is
 * NULL (field, label) or NaN (m, u); without a weight it has the weight of its m and u. */
static int read_levels(rk_link_run_info *out, rk_store *st)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int rc = rk_store__prepare(&s, st,
                               "SELECT json_extract(f.value, '$.name'), json_extract(l.value,"
                               " '$.label'), json_extract(l.value, '$.m'), json_extract(l.value,"
                               " '$.u'), json_extract(l.value, '$.weight'), json_extract(l.value,"
                               " '$.u_random'), json_extract(f.value, '$.depends_on'),"
                               " json_extract(f.value, '$.lift'), json_extract(l.value,"
                               " '$.u_blocked'), f.key, l.key FROM json_each(?1, '$.fields') f,"
                               " json_each(f.value, '$.levels') l ORDER BY f.key, l.key",
                               "cannot read the model");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(s, 1, out->model_json, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (rk_grow((void **)&out->levels, &cap, out->nlevels + 1, sizeof(*out->levels)) != RK_OK)
            goto nomem;
        rk_link_run_level *lv = &out->levels[out->nlevels++];
        memset(lv, 0, sizeof(*lv));
        const char *field = rk_store__text(s, 0), *label = rk_store__text(s, 1);
        lv->field = field ? rk_strdup(field) : NULL;
        lv->label = label ? rk_strdup(label) : NULL;
        lv->m = number(s, 2);
        lv->u = number(s, 3);
        lv->u_random = number(s, 5);
        const char *dep = rk_store__text(s, 6);
        lv->depends_on = dep ? rk_strdup(dep) : NULL;
        lv->lift = number(s, 7);
        lv->u_blocked = number(s, 8);
        lv->field_at = sqlite3_column_int64(s, 9);
        lv->level_at = sqlite3_column_int64(s, 10);
        if (dep && !lv->depends_on)
            goto nomem;
        lv->weight = sqlite3_column_type(s, 4) != SQLITE_NULL ? sqlite3_column_double(s, 4)
                     : (lv->m > 0 && lv->u > 0)               ? log2(lv->m / lv->u)
                                                              : NAN;
        if ((field && !lv->field) || (label && !lv->label))
            goto nomem;
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the model");
    goto cleanup;
nomem:
    rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory while reading the model");
cleanup:
    sqlite3_finalize(s);
    return rc;
}

/* EM's iterations as stored (none in models stored before the trace was). */
static int read_trace(rk_link_run_info *out, rk_store *st)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int rc = rk_store__prepare(&s, st,
                               "SELECT json_extract(t.value, '$.lambda'), json_extract(t.value,"
                               " '$.change'), json_extract(t.value, '$.loglik') FROM json_each(?1,"
                               " '$.trace') t",
                               "cannot read the model");
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_text(s, 1, out->model_json, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (rk_grow((void **)&out->trace, &cap, out->ntrace + 1, sizeof(*out->trace)) != RK_OK) {
            rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory while reading the model");
            goto cleanup;
        }
        out->trace[out->ntrace++] = (rk_link_em_step){number(s, 0), number(s, 1), number(s, 2)};
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the model");
cleanup:
    sqlite3_finalize(s);
    return rc;
}

int rk_link_run_info_read(rk_link_run_info *out, rk_store *st, int64_t run_id)
{
    RK_ASSERT_ARG(st ? rk_store_ctx(st) : NULL, out && st);
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *s = NULL;
    int rc =
        rk_store__prepare_int64(&s, st,
                                "SELECT model, config, stats, seed, threshold FROM link_run WHERE"
                                " id = ?",
                                run_id, "cannot read the link run");
    if (rc != RK_OK)
        goto cleanup;
    int step = sqlite3_step(s);
    if (step == SQLITE_DONE) {
        rc = rk_error_set(rk_store_ctx(st), RK_ENOTFOUND, "no link run %lld", (long long)run_id);
        goto cleanup;
    }
    if (step != SQLITE_ROW) {
        rc = rk_store__sqlerr(st, "cannot read the link run");
        goto cleanup;
    }
    out->run_id = run_id;
    out->model_json = dup_text(s, 0);
    out->config_json = dup_text(s, 1);
    out->stats_json = dup_text(s, 2);
    out->seed = sqlite3_column_int64(s, 3);
    out->threshold = sqlite3_column_double(s, 4);
    if (!out->model_json || !out->config_json || !out->stats_json) {
        rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory while reading the link run");
        goto cleanup;
    }
    if ((rc = read_summary(out, st)) == RK_OK && out->has_summary &&
        (rc = read_levels(out, st)) == RK_OK)
        rc = read_trace(out, st);
cleanup:
    sqlite3_finalize(s);
    if (rc != RK_OK)
        rk_link_run_info_release(out);
    return rc;
}

/* The fitted model of a stored run, for scoring with it again (`reckon link --add`): the
 * priors, and per compared field of the set-up, in its order, its levels' m, u, u among random
 * pairs and among compared pairs, and the field it goes with and the lift. RK_EINPUT when the
 * stored model does not fit the set-up (fields or levels differ). */
int link_run_model_from(rk_link_model *out, rk_ctx *ctx, const char *path,
                        const rk_link_run_info *info, const link_setup *s)
{
    memset(out, 0, sizeof(*out));
    out->ncompare = s->ncompare;
    if (!info->has_summary || !(info->lambda > 0) || info->nlevels == 0)
        return rk_error_set(ctx, RK_EINPUT,
                            "%s: the latest link run's model cannot be read; run a full 'reckon "
                            "link'",
                            path);
    out->lambda = info->lambda;
    out->lambda_blocked = info->lambda_blocked;
    out->lambda_within = info->lambda_within;
    out->lambda_across = info->lambda_across;
    out->iterations = info->iterations;
    out->converged = info->converged;
    out->change = info->change;
    out->npatterns = (size_t)info->patterns;
    for (size_t i = 0; i < info->nlevels; i++) {
        const rk_link_run_level *lv = &info->levels[i];
        int64_t c = lv->field_at, l = lv->level_at;
        if (c < 0 || (size_t)c >= s->ncompare || !lv->field ||
            strcmp(lv->field, s->fields[s->compare[c].field].name) != 0 || l < 0 ||
            (size_t)l > s->compare[c].nlevels)
            return rk_error_set(ctx, RK_EINPUT,
                                "%s: the latest link run's model does not fit the configuration "
                                "(field %lld); run a full 'reckon link'",
                                path, (long long)c);
        out->nlevels[c] = RK_MAX(out->nlevels[c], (size_t)l + 1);
        out->m[c][l] = lv->m;
        out->u[c][l] = lv->u;
        out->u_sample[c][l] = lv->u_random;
        out->u_blocked[c][l] = lv->u_blocked;
        out->m_blocked[c][l] = lv->m; /* not stored; only the sense check reads it */
        if (lv->depends_on) {
            int f = link_setup_field_index(s, lv->depends_on);
            for (size_t k = 0; k < s->ncompare && f >= 0; k++)
                if (s->compare[k].field == (size_t)f)
                    out->depends_on[c] = (uint8_t)(k + 1);
            out->lift[c] = lv->lift;
        }
    }
    for (size_t c = 0; c < s->ncompare; c++)
        if (out->nlevels[c] != s->compare[c].nlevels + 1)
            return rk_error_set(ctx, RK_EINPUT,
                                "%s: the latest link run's model has %zu levels of field '%s', "
                                "the configuration %zu; run a full 'reckon link'",
                                path, out->nlevels[c], s->fields[s->compare[c].field].name,
                                s->compare[c].nlevels + 1);
    return RK_OK;
}
