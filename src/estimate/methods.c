/* The one estimation dispatcher: the table of methods (name, the numbers of lists K each
 * takes, what it says when it refuses, the function), and rk_estimate_table, which a counts
 * file, a project and every stratum go through alike. */
#include "estimate_private.h"
#include "estimate_internal.h"

/* Rows grow here; a method appends its rows to `r`. */
typedef struct rows {
    rk_estimate *e;
    size_t n, cap;
} rows;

typedef int (*method_fn)(rows *r, rk_ctx *ctx, const rk_capture_table *t,
                         const rk_estimate_options *o);

static int push(rows *r, rk_ctx *ctx, rk_estimate *e)
{
    if (rk_grow((void **)&r->e, &r->cap, r->n + 1, sizeof(rk_estimate)) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    r->e[r->n++] = *e;
    rk_estimate_init(e);
    return RK_OK;
}

static int run_chapman(rows *r, rk_ctx *ctx, const rk_capture_table *t,
                       const rk_estimate_options *o)
{
    (void)o;
    rk_estimate e;
    int rc = rk_estimate_chapman(&e, ctx, t);
    rc = rc ? rc : push(r, ctx, &e);
    rk_estimate_release(&e);
    return rc;
}

/* The classical models as extra rows; the answer is the best model by the criterion (of every
 * hierarchical model up to 5 lists, of the classical ones beyond) refitted with its profile
 * interval, carrying the ranked models; then the model asked for, if any. */
static int run_loglinear(rows *r, rk_ctx *ctx, const rk_capture_table *t,
                         const rk_estimate_options *o)
{
    size_t k = rk_capture_table_nlists(t), nclassic = 0, nmodels = 0, best = 0;
    rk_estimate *classic = NULL, *models = NULL, e;
    rk_estimate_init(&e);
    rk_loglinear_model m;
    const char *crit = o->criterion == RK_CRITERION_AIC ? "aic" : "bic";
    int rc = rk_estimate_closedp(&classic, &nclassic, ctx, t);
    for (size_t i = 0; i < nclassic && rc == RK_OK; i++) {
        rk_estimate x = classic[i];
        x.extra = true;
        rc = push(r, ctx, &x);
    }
    if (rc == RK_OK && k <= 5) {
        rc = rk_estimate_model_search(&models, &nmodels, ctx, t, o->criterion);
    } else if (rc == RK_OK) {
        models = rk_calloc(nclassic ? nclassic : 1, sizeof(rk_estimate));
        if (!models)
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        for (size_t i = 0; models && i < nclassic; i++)
            models[i] = classic[i]; /* fits own no memory */
        nmodels = models ? nclassic : 0;
        for (size_t i = 1; i < nmodels; i++)
            if ((o->criterion == RK_CRITERION_AIC ? models[i].aic < models[best].aic
                                                  : models[i].bic < models[best].bic))
                best = i;
    }
    if (rc == RK_OK && nmodels == 0)
        rc = rk_error_set(ctx, RK_EINPUT, "no log-linear model could be fitted");
    rc = rc ? rc : rk_loglinear_model_parse(&m, ctx, models[best].model, k);
    rc = rc ? rc : rk_estimate_loglinear(&e, ctx, t, &m, true);
    if (rc == RK_OK) {
        snprintf(e.model, sizeof(e.model), "%.100s (best %s)", models[best].model, crit);
        if (!isfinite(e.estimate) || !isfinite(e.lower) || !isfinite(e.upper)) {
            e.status = RK_ESTIMATE_BOUNDARY;
            snprintf(e.warning, sizeof(e.warning),
                     "the best model's fit is at a boundary: no finite interval");
        }
        e.models = models;
        e.nmodels = nmodels;
        models = NULL;
        nmodels = 0;
        rc = push(r, ctx, &e);
    }
    if (rc == RK_OK && o->model) {
        rc = rk_loglinear_model_parse(&m, ctx, o->model, k);
        rc = rc ? rc : rk_estimate_loglinear(&e, ctx, t, &m, true);
        e.extra = true;
        rc = rc ? rc : push(r, ctx, &e);
    }
    rk_estimate_release(&e);
    rk_free(classic); /* its rows were moved into r */
    rk_estimate_array_free(models, nmodels);
    return rc;
}

static int run_dga(rows *r, rk_ctx *ctx, const rk_capture_table *t, const rk_estimate_options *o)
{
    rk_estimate e;
    int rc = rk_estimate_dga(&e, ctx, t, &o->dga);
    rc = rc ? rc : push(r, ctx, &e);
    rk_estimate_release(&e);
    return rc;
}

static int run_lcmcr(rows *r, rk_ctx *ctx, const rk_capture_table *t, const rk_estimate_options *o)
{
    rk_estimate e;
    int rc = rk_estimate_lcmcr(&e, ctx, t, &o->lcmcr);
    rc = rc ? rc : push(r, ctx, &e);
    rk_estimate_release(&e);
    return rc;
}

/* Adding a method: a row here (and ESTIMATE_NMETHODS), its bit in RK_METHOD_* and
 * RK_METHOD_ALL, its name in cmd_estimate.c's --method help and docs/methods.md. Its words
 * (a title and what it assumes, for readers who are not statisticians) are the one definition
 * the report and the command line show. */
static const struct method {
    unsigned bit;
    size_t kmin, kmax;   /* the numbers of lists it takes */
    const char *refusal; /* why not, for any other K (%zu) */
    method_fn run;
    rk_estimate__words words;
} methods[] = {
    {RK_METHOD_CHAPMAN,
     2,
     2,
     "chapman needs exactly 2 lists, not %zu; choose two with --lists A,B",
     run_chapman,
     {"chapman", "Chapman's two-list estimator",
      "assumes the two lists are independent: being on one makes a person neither more nor less "
      "likely to be on the other"}},
    {RK_METHOD_LOGLINEAR,
     3,
     16,
     "loglinear fits 3 to 16 lists, not %zu; with 2 lists use chapman, with more choose "
     "lists with --lists",
     run_loglinear,
     {"loglinear", "the log-linear model",
      "assumes the lists' overlaps follow one pattern of dependence between lists, the one that "
      "fits best"}},
    {RK_METHOD_DGA,
     3,
     5,
     "dga averages over the decomposable graphs of 3 to 5 lists, not %zu; choose lists with "
     "--lists",
     run_dga,
     {"dga", "Bayesian model averaging (dga)",
      "averages over all the ways the lists may depend on each other, weighted by how well each "
      "fits"}},
    {RK_METHOD_LCMCR,
     2,
     RK_ESTIMATE_MAX_LISTS,
     "lcmcr needs at least 2 lists, not %zu",
     run_lcmcr,
     {"lcmcr", "the latent-class model (LCMCR)",
      "assumes people fall into groups that differ in how visible they are to the lists, and "
      "that within a group the lists are independent"}},
};
_Static_assert(RK_ARRAY_LEN(methods) == ESTIMATE_NMETHODS, "one row per RK_METHOD_* bit");
_Static_assert(RK_METHOD_ALL == (1u << ESTIMATE_NMETHODS) - 1, "RK_METHOD_ALL is every bit");

const char *estimate_method_name(size_t i)
{
    assert(i < ESTIMATE_NMETHODS);
    return methods[i].words.method;
}

unsigned estimate_method_bit(size_t i)
{
    assert(i < ESTIMATE_NMETHODS);
    return methods[i].bit;
}

const rk_estimate__words *rk_estimate__method_words(const char *method)
{
    for (size_t i = 0; method && i < RK_ARRAY_LEN(methods); i++)
        if (strcmp(methods[i].words.method, method) == 0)
            return &methods[i].words;
    return NULL;
}

int rk_estimate_methods_parse(unsigned *out, rk_ctx *ctx, const char *list)
{
    RK_ASSERT_ARG(ctx, out && list);
    *out = 0;
    const char *item;
    size_t len;
    for (const char *s = list; rk_split_next(&s, ',', &item, &len);) {
        unsigned bit = 0;
        if (len == 3 && memcmp(item, "all", 3) == 0)
            bit = RK_METHOD_ALL;
        if (len == 4 && memcmp(item, "auto", 4) == 0)
            bit = RK_METHOD_AUTO;
        for (size_t i = 0; i < RK_ARRAY_LEN(methods) && !bit; i++)
            if (strlen(methods[i].words.method) == len &&
                memcmp(item, methods[i].words.method, len) == 0)
                bit = methods[i].bit;
        if (!bit) {
            char known[128] = "";
            for (size_t i = 0, at = 0; i < RK_ARRAY_LEN(methods) && at < sizeof(known); i++)
                at += (size_t)snprintf(known + at, sizeof(known) - at, "%s, ",
                                       methods[i].words.method);
            return rk_error_set(ctx, RK_EINPUT, "unknown method '%.*s'; use %sall or auto",
                                (int)RK_MIN(len, 64), item, known);
        }
        *out |= bit;
    }
    return RK_OK;
}

/* A row saying that `method` cannot estimate t, and why. */
static int refuse(rows *r, rk_ctx *ctx, const rk_capture_table *t, const char *method,
                  const char *why)
{
    rk_estimate e;
    rk_estimate_init(&e);
    snprintf(e.method, sizeof(e.method), "%s", method);
    e.observed = rk_capture_table_observed(t);
    e.status = RK_ESTIMATE_REFUSED;
    snprintf(e.warning, sizeof(e.warning), "%s", why);
    return push(r, ctx, &e);
}

unsigned estimate_methods_chosen(const rk_estimate_options *opt, size_t nlists)
{
    unsigned chosen = opt->methods & ~(unsigned)RK_METHOD_AUTO;
    if (opt->methods & RK_METHOD_AUTO)
        chosen |= nlists >= 3 ? RK_METHOD_LCMCR : RK_METHOD_CHAPMAN;
    return chosen;
}

int rk_estimate_table(rk_estimate **out, size_t *n, rk_ctx *ctx, const rk_capture_table *t,
                      const rk_estimate_options *opt)
{
    RK_ASSERT_ARG(ctx, out && n && t && opt);
    *out = NULL;
    *n = 0;
    if (opt->version != RK_ESTIMATE_OPTIONS_VERSION)
        return rk_error_set(ctx, RK_EINTERNAL, "estimate options of version %d, expected %d",
                            opt->version, RK_ESTIMATE_OPTIONS_VERSION);
    rows r = {0};
    size_t k = rk_capture_table_nlists(t);
    unsigned chosen = estimate_methods_chosen(opt, k);
    rk_loglinear_model asked;
    int rc = RK_OK;
    /* A model asked for that does not parse is the caller's mistake, not a refusal. */
    if (opt->model && (opt->methods & RK_METHOD_LOGLINEAR) && k >= 2 &&
        (rc = rk_loglinear_model_parse(&asked, ctx, opt->model, k)) != RK_OK)
        return rc;
    rc = rk_estimate_check_sparse(ctx, t, 1);
    if (rc == RK_EINPUT) {
        rc = refuse(&r, ctx, t, "none", ctx->err.message);
        rk_error_clear(ctx);
        goto done;
    }
    for (size_t i = 0; i < RK_ARRAY_LEN(methods) && rc == RK_OK; i++) {
        const struct method *m = &methods[i];
        if (!(chosen & m->bit))
            continue;
        if (k < m->kmin || k > m->kmax) {
            char why[256];
            snprintf(why, sizeof(why), m->refusal, k);
            rc = refuse(&r, ctx, t, m->words.method, why);
            continue;
        }
        size_t before = r.n;
        rc = m->run(&r, ctx, t, opt);
        if (rc == RK_EINPUT) { /* this table is not for this method: say why, go on */
            for (size_t j = before; j < r.n; j++)
                rk_estimate_release(&r.e[j]);
            r.n = before;
            rc = refuse(&r, ctx, t, m->words.method, ctx->err.message);
            rk_error_clear(ctx);
        }
    }
done:
    if (rc != RK_OK) {
        rk_estimate_array_free(r.e, r.n);
        return rc;
    }
    *out = r.e;
    *n = r.n;
    return RK_OK;
}
