/* The persons of a project one pass at a time, for the exports that R's estimation packages
 * read (src/report/export_mse.c): each person's lists, its stratum values as `estimate --by`
 * tabulates them (values the person lacks imputed by the same model and seeds as estimate's
 * main pass and replicates, and flagged), an opaque id, and the capture table of each stratum. */
#include "replicate_private.h"
#include "link/link_internal.h"
#include "store/store_internal.h"

#include <sqlite3.h>

struct rk_estimate__passes {
    rk_store *st;
    units u;
    rk_link__partitions draws;
    char salt[65]; /* the project's first event's hash: ids differ between projects */
    uint64_t seed;
};

/* What a pass owns beside the arrays it shows. */
typedef struct pass_impl {
    tabulation t;
} pass_impl;

void rk_estimate__passes_free(rk_estimate__passes *p)
{
    if (!p)
        return;
    estimate_units_release(&p->u);
    rk_link__partitions_release(&p->draws);
    rk_free(p);
}

static int read_salt(char salt[65], rk_store *st)
{
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare(&s, st, "SELECT hash FROM event ORDER BY id LIMIT 1",
                               "cannot read the event log");
    if (rc != RK_OK)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        snprintf(salt, 65, "%s", rk_store__text(s, 0));
    else if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the event log");
    sqlite3_finalize(s);
    return rc;
}

int rk_estimate__passes_open(rk_estimate__passes **out, rk_store *st, const char *by,
                             const char *age_groups, size_t draws, uint64_t seed)
{
    rk_ctx *ctx = rk_store_ctx(st);
    *out = NULL;
    rk_estimate__passes *p = rk_calloc(1, sizeof(*p));
    if (!p)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    p->st = st;
    p->seed = seed;
    int64_t run_id;
    int rc = rk_link_latest_run(&run_id, st);
    rc = rc ? rc : read_salt(p->salt, st);
    rc = rc ? rc : estimate_units_load(&p->u, st, run_id, by, age_groups);
    if (rc == RK_OK && draws)
        rc = rk_link__draw_partitions(&p->draws, st, run_id, draws, seed);
    if (rc == RK_OK && draws &&
        (p->draws.n != p->u.nrec ||
         (p->u.nrec && memcmp(p->draws.records, p->u.rec_id, p->u.nrec * sizeof(int64_t)))))
        rc = rk_error_set(ctx, RK_EINPUT,
                          "the link run's persons changed while exporting; run it again");
    if (rc != RK_OK) {
        rk_estimate__passes_free(p);
        return rc;
    }
    *out = p;
    return RK_OK;
}

size_t rk_estimate__passes_draws(const rk_estimate__passes *p)
{
    return p->draws.k;
}

void rk_estimate__pass_release(rk_estimate__pass *r)
{
    if (!r)
        return;
    pass_impl *impl = r->impl;
    if (impl) {
        estimate_tabulation_release(&impl->t);
        rk_free(impl);
    }
    rk_free(r->value);
    rk_free(r->imputed);
    rk_free(r->id);
    rk_free(r->strata);
    memset(r, 0, sizeof(*r));
}

/* Record order within persons: by the person's label, then by record (ascending id). */
typedef struct member {
    int64_t label;
    size_t rec;
} member;

static int member_cmp(const void *pa, const void *pb)
{
    const member *a = pa, *b = pb;
    if (a->label != b->label)
        return a->label < b->label ? -1 : 1;
    return a->rec < b->rec ? -1 : a->rec > b->rec;
}

/* Each person's opaque id: the first 40 hex digits of SHA-256 over the project's salt and the
 * ids of its records. Persons are numbered in ascending order of their label, as
 * estimate_tabulate_persons numbers them, so the k-th group of labels is person k. */
static int person_ids(rk_estimate__pass *r, rk_ctx *ctx, const rk_estimate__passes *p,
                      const int64_t *label)
{
    const units *u = &p->u;
    member *m = rk_malloc(RK_MAX(u->nrec, 1) * sizeof(member));
    r->id = rk_calloc(RK_MAX(r->npersons, 1), sizeof(*r->id));
    if (!m || !r->id) {
        rk_free(m);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < u->nrec; i++)
        m[i] = (member){.label = label ? label[i] : u->own[i], .rec = i};
    qsort(m, u->nrec, sizeof(member), member_cmp);
    int rc = RK_OK;
    size_t k = 0;
    for (size_t i = 0, j; i < u->nrec && rc == RK_OK; i = j, k++) {
        rk_sha256 h;
        if (rk_sha256_init(&h) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
        rk_sha256_update(&h, "reckon person\n", 14);
        rk_sha256_update(&h, p->salt, strlen(p->salt));
        for (j = i; j < u->nrec && m[j].label == m[i].label; j++) {
            char num[32];
            int n = snprintf(num, sizeof(num), ",%lld", (long long)u->rec_id[m[j].rec]);
            rk_sha256_update(&h, num, (size_t)n);
        }
        char hex[65];
        rk_sha256_final_hex(&h, hex);
        assert(k < r->npersons); /* the tabulation grouped the same labels */
        memcpy(r->id[k], hex, 40);
        r->id[k][40] = '\0';
    }
    assert(rc != RK_OK || k == r->npersons);
    rk_free(m);
    return rc;
}

/* The strata in the order of their values, field by field (none first). */
static int stratum_cmp(const void *pa, const void *pb)
{
    const rk_estimate__stratum_counts *a = pa, *b = pb;
    for (size_t i = 0; i < RK_ESTIMATE__MAX_BY; i++) {
        int c = strcmp(a->values[i] ? a->values[i] : "", b->values[i] ? b->values[i] : "");
        if (c)
            return c;
    }
    return 0;
}

int rk_estimate__pass_make(rk_estimate__pass *out, rk_estimate__passes *p, size_t draw, bool impute,
                           size_t imputation)
{
    rk_ctx *ctx = rk_store_ctx(p->st);
    memset(out, 0, sizeof(*out));
    RK_ASSERT_ARG(ctx, draw <= p->draws.k);
    const units *u = &p->u;
    pass_impl *impl = rk_calloc(1, sizeof(pass_impl));
    if (!impl)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    out->impl = impl;
    tabulation *t = &impl->t;
    const int64_t *label = draw ? p->draws.person + (draw - 1) * p->draws.n : NULL;
    int rc = estimate_tabulate_persons(t, ctx, u, label);
    if (impute)
        out->seed = estimate_imputation_seed(p->seed, draw, imputation);
    if (rc == RK_OK && impute)
        rc = estimate_impute(t, ctx, out->seed);
    rc = rc ? rc : estimate_tabulate_strata(t, ctx);
    rc = rc ? rc : estimate_tabulation_finish(t, ctx, NULL);
    if (rc != RK_OK)
        goto cleanup;
    out->nlists = u->nlists;
    out->lists = (const char *const *)u->list_names;
    out->nby = u->nby;
    for (size_t b = 0; b < u->nby; b++)
        out->by[b] = u->by[b];
    out->npersons = t->npersons;
    out->mask = t->mask;
    out->all = t->all;
    size_t nv = RK_MAX(t->npersons * u->nby, 1);
    out->value = rk_calloc(nv, sizeof(char *));
    out->imputed = rk_calloc(RK_MAX(t->npersons, 1), 1);
    out->strata = rk_calloc(RK_MAX(t->nstrata, 1), sizeof(rk_estimate__stratum_counts));
    if (!out->value || !out->imputed || !out->strata) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t q = 0; q < t->npersons; q++)
        for (size_t b = 0; b < u->nby; b++) {
            int32_t id = t->value[q * u->nby + b];
            out->value[q * u->nby + b] = estimate_value_text(u, b, id);
            /* imputed: lacking a value before impute.c ran, holding one after */
            if (id >= 0 && (t->lacked[q] >> b & 1)) {
                out->imputed[q] |= (uint8_t)(1u << b);
                out->nimputed[b]++;
            }
        }
    for (size_t i = 0; i < t->nstrata; i++) {
        for (size_t b = 0; b < u->nby; b++)
            out->strata[i].values[b] = t->strata[i].values[b];
        out->strata[i].table = t->strata[i].table;
    }
    out->nstrata = t->nstrata;
    if (out->nstrata > 1)
        qsort(out->strata, out->nstrata, sizeof(rk_estimate__stratum_counts), stratum_cmp);
    rc = person_ids(out, ctx, p, label);
cleanup:
    if (rc != RK_OK)
        rk_estimate__pass_release(out);
    return rc;
}
