/* `reckon link PROJECT --add LIST`: what a run that links one newly imported list needs from
 * the latest run (docs/linkage.md, "Adding a list"): the checks that it may (the same set-up,
 * the list unknown to the run, every other record in it), its persons, its stored pairs and
 * its fitted model. */
#include "link_private.h"
#include "project_private.h"
#include "store/store_internal.h"

#include <sqlite3.h>

void link_add_release(project_add *a)
{
    rk_free(a->touch);
    rk_free(a->person);
    rk_free(a->a);
    rk_free(a->b);
    rk_free(a->weight);
    rk_free(a->prob);
    rk_free(a->state);
    rk_free(a->list);
    memset(a, 0, sizeof(*a));
}

static long record_index(const project_records *r, int64_t id)
{
    size_t lo = 0, hi = r->data.nrecords;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->record_id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->data.nrecords && r->record_id[lo] == id ? (long)lo : -1;
}

/* The run's persons: person[i] the index of the first record of record i's person. */
static int read_persons(project_add *a, rk_store *st, const project_records *r, uint32_t list)
{
    rk_ctx *ctx = rk_store_ctx(st);
    const char *path = rk_store_path(st);
    sqlite3_stmt *q = NULL;
    size_t inrun = 0, gone = 0;
    int rc =
        rk_store__prepare_int64(&q, st, "SELECT record_id, person_id FROM person WHERE run_id = ?",
                                a->run_id, "cannot read the persons of the latest link run");
    if (rc != RK_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        long i = record_index(r, sqlite3_column_int64(q, 0));
        long p = record_index(r, sqlite3_column_int64(q, 1));
        if (i < 0 || p < 0) {
            gone++;
            continue;
        }
        if (r->data.list[i] == list) {
            rc = rk_error_set(ctx, RK_EINPUT,
                              "%s: list '%s' was linked already (link run %lld holds its "
                              "records); --add takes a list imported after the latest link run",
                              path, r->list_name[list], (long long)a->run_id);
            goto cleanup;
        }
        a->person[i] = (uint32_t)p;
        inrun++;
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read the persons of the latest link run");
        goto cleanup;
    }
    if (gone) {
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: %zu records of link run %lld are no longer current (a list was "
                          "imported again or removed); run a full 'reckon link %s'",
                          path, gone, (long long)a->run_id, path);
        goto cleanup;
    }
    for (size_t i = 0; i < r->data.nrecords; i++)
        if (a->person[i] == UINT32_MAX && r->data.list[i] != list) {
            rc = rk_error_set(ctx, RK_EINPUT,
                              "%s: record '%s' of list '%s' is not in link run %lld either; "
                              "--add links one list at a time: add that list first, or run a "
                              "full 'reckon link %s'",
                              path, r->record_key[i], r->list_name[r->data.list[i]],
                              (long long)a->run_id, path);
            goto cleanup;
        }
    a->old_records = inrun;
cleanup:
    sqlite3_finalize(q);
    return rc;
}

/* The run's stored pairs, as record indexes, with their weight and probability. */
static int read_pairs(project_add *a, rk_store *st, const project_records *r)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *q = NULL;
    size_t cap = 0, capb = 0, capw = 0, capp = 0, caps = 0;
    int rc = rk_store__prepare_int64(&q, st,
                                     "SELECT record_a, record_b, weight, probability, status,"
                                     " refusal IS NOT NULL FROM pair WHERE run_id = ?",
                                     a->run_id, "cannot read the pairs of the latest link run");
    if (rc != RK_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        long x = record_index(r, sqlite3_column_int64(q, 0));
        long y = record_index(r, sqlite3_column_int64(q, 1));
        if (x < 0 || y < 0) {
            rc = rk_error_set(ctx, RK_EINPUT,
                              "%s: a pair of link run %lld names a record no longer current; "
                              "run a full 'reckon link'",
                              rk_store_path(st), (long long)a->run_id);
            goto cleanup;
        }
        size_t n = a->npairs;
        if (rk_grow((void **)&a->a, &cap, n + 1, sizeof(uint32_t)) != RK_OK ||
            rk_grow((void **)&a->b, &capb, n + 1, sizeof(uint32_t)) != RK_OK ||
            rk_grow((void **)&a->weight, &capw, n + 1, sizeof(double)) != RK_OK ||
            rk_grow((void **)&a->prob, &capp, n + 1, sizeof(float)) != RK_OK ||
            rk_grow((void **)&a->state, &caps, n + 1, sizeof(uint8_t)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory reading the latest link run");
            goto cleanup;
        }
        a->a[n] = (uint32_t)x, a->b[n] = (uint32_t)y;
        a->weight[n] = sqlite3_column_double(q, 2);
        a->prob[n] = (float)sqlite3_column_double(q, 3);
        const char *status = rk_store__text(q, 4);
        a->state[n] = link_pair_state(status ? status : "", sqlite3_column_int(q, 5) != 0);
        a->npairs++;
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the pairs of the latest link run");
cleanup:
    sqlite3_finalize(q);
    return rc;
}

int link_add_prepare(project_add *a, rk_store *st, const link_setup *s, const project_records *r,
                     const char *list, bool same_setup)
{
    rk_ctx *ctx = rk_store_ctx(st);
    const char *path = rk_store_path(st);
    rk_link_run_info info;
    rk_buf config;
    rk_buf_init(&config);
    memset(&info, 0, sizeof(info));
    memset(a, 0, sizeof(*a));
    int rc = rk_link_latest_run(&a->run_id, st);
    if (rc == RK_ENOTFOUND) {
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: --add links a list to the persons of an earlier link run, and the "
                          "project has none; run 'reckon link %s' first",
                          path, path);
        goto cleanup;
    }
    if (rc != RK_OK)
        goto cleanup;
    size_t l = 0;
    while (l < r->nlists && strcmp(r->list_name[l], list) != 0)
        l++;
    if (l == r->nlists) {
        rk_buf names;
        rk_buf_init(&names);
        for (size_t k = 0; k < r->nlists; k++)
            rk_buf_printf(&names, "%s'%s'", k ? ", " : "", r->list_name[k]);
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: --add %s: no list of that name holds current records; the lists "
                          "are %s",
                          path, list, names.len ? rk_buf_cstr(&names) : "(none)");
        rk_buf_release(&names);
        goto cleanup;
    }
    a->list_index = (uint32_t)l;
    if (!(a->list = rk_strdup(list))) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rk_link_run_info_read(&info, st, a->run_id)) != RK_OK)
        goto cleanup;
    if (link_setup_to_json(s, &config) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (same_setup && strcmp(rk_buf_cstr(&config), info.config_json) != 0) {
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: the link configuration differs from that of link run %lld (see "
                          "'reckon model %s'); --add scores with that run's model and set-up: "
                          "give the same --config and options, or add --refit to link every "
                          "record again",
                          path, (long long)a->run_id, path);
        goto cleanup;
    }
    size_t n = r->data.nrecords;
    a->touch = rk_calloc(n + 1, 1);
    a->person = rk_malloc((n + 1) * sizeof(uint32_t));
    if (!a->touch || !a->person) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        a->person[i] = UINT32_MAX;
        a->touch[i] = r->data.list[i] == a->list_index;
        a->added += a->touch[i];
    }
    if ((rc = read_persons(a, st, r, a->list_index)) != RK_OK ||
        (rc = read_pairs(a, st, r)) != RK_OK)
        goto cleanup;
    if (same_setup && (rc = link_run_model_from(&a->model, ctx, path, &info, s)) != RK_OK)
        goto cleanup;
cleanup:
    rk_buf_release(&config);
    rk_link_run_info_release(&info);
    if (rc != RK_OK)
        link_add_release(a);
    return rc;
}
