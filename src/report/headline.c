/* The headline figure's rule (docs/methods.md, "The headline figure"): per stratum of the
 * latest batch of estimates, the latent-class model when three or more lists overlap and its
 * sampler settled, else dga, else the log-linear model; Chapman for two lists; otherwise no
 * figure, with every reason. Reads the stored estimates through estimate_internal.h only. */
#include "report_private.h"

void report_batch_release(report_batch *b)
{
    rk_estimate__stored_free(b->rows, b->n);
    rk_estimate__details_free(b->details, b->ndetails);
    rk_free(b->thresholds);
    memset(b, 0, sizeof(*b));
}

int report_batch_load(report_batch *out, rk_store *st, const char *by)
{
    memset(out, 0, sizeof(*out));
    int64_t id = 0;
    int rc = rk_estimate__latest_batch(&out->info, st, by);
    if (rc != RK_OK || !(id = out->info.batch))
        return rc;
    rc = rk_estimate__batch_rows(&out->rows, &out->n, st, id);
    rc = rc ? rc : rk_estimate__batch_details(&out->details, &out->ndetails, st, id);
    rc = rc ? rc : rk_estimate__batch_thresholds(&out->thresholds, &out->nthresholds, st, id);
    /* Both readers order the rows alike, in one read transaction. */
    if (rc == RK_OK && out->ndetails != out->n)
        rc = rk_error_set(rk_store_ctx(st), RK_EINTERNAL, "batch %lld changed while read",
                          (long long)id);
    if (rc != RK_OK)
        report_batch_release(out);
    return rc;
}

size_t report_batch_stratum_end(const report_batch *b, size_t lo)
{
    size_t hi = lo;
    while (hi < b->n && strcmp(b->rows[hi].stratum, b->rows[lo].stratum) == 0)
        hi++;
    return hi;
}

void report_choice_release(report_choice *c)
{
    rk_buf_release(&c->why);
}

/* The order of preference, and what each place in it is called. */
static const struct preference {
    const char *method;
    size_t kmin, kmax; /* the numbers of lists for which it is a candidate */
    const char *place;
} preferences[] = {
    {"lcmcr", 3, SIZE_MAX, "reckon's first choice with three or more lists"},
    {"dga", 3, SIZE_MAX, "reckon's second choice with three or more lists"},
    {"loglinear", 3, SIZE_MAX, "reckon's third choice with three or more lists"},
    {"chapman", 2, 2, "the one estimator reckon defends for two lists"},
};

/* Shortens b to its first len bytes. */
static void cut(rk_buf *b, size_t len)
{
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
}

/* Why an answered row is not to be taken as it is, appended to why as a predicate ("did not
 * settle (...)", naming the stratum `where` unless NULL), *out telling whether there was
 * anything to say: an LCMCR sampler that did not settle (every warning of LCMCR's is about
 * that), a dga posterior cut off by its bound. */
static int unsettled(bool *out, rk_buf *why, const rk_estimate__stored *row,
                     const rk_estimate__detail *d, const char *where)
{
    const char *in = where ? " in stratum " : "", *at = where ? where : "";
    bool lcmcr = strcmp(row->method, "lcmcr") == 0;
    *out = true;
    if (lcmcr && d->warning[0])
        return rk_buf_printf(why, "did not settle%s%s (%s)", in, at, d->warning);
    if (lcmcr && d->rhat >= 1.1)
        return rk_buf_printf(why, "did not settle%s%s (its chains disagree: split R-hat %.2f)", in,
                             at, d->rhat);
    if (lcmcr && d->ess < 100)
        return rk_buf_printf(why, "did not settle%s%s (an effective sample size of only %.0f)", in,
                             at, d->ess);
    if (strcmp(row->method, "dga") == 0 && d->top_tenth_mass > 1e-4)
        return rk_buf_printf(why,
                             "has its posterior cut off by the bound on the unseen%s%s (%.2g of "
                             "it in the top tenth; raise --nmax)",
                             in, at, d->top_tenth_mass);
    *out = false;
    return RK_OK;
}

/* A total of a stratified batch sums its strata, so a stratum's unsettled sampler is its too. */
int report_headline_usable(long *idx, rk_buf *why, const report_batch *b, size_t lo, size_t hi,
                           const char *method)
{
    bool whole = strcmp(b->rows[lo].stratum, "null") == 0, stratified = b->info.by[0] != 0;
    *idx = -1;
    size_t i = lo;
    while (i < hi && strcmp(b->rows[i].method, method) != 0)
        i++;
    const rk_estimate__stored *row = i < hi ? &b->rows[i] : NULL;
    if (!row) {
        bool elsewhere = false;
        for (size_t j = 0; j < b->n && !elsewhere; j++)
            elsewhere = strcmp(b->rows[j].method, method) == 0;
        return rk_buf_puts(why, whole && stratified && elsewhere
                                    ? "did not answer in every stratum, so it has no total"
                                    : "was not run");
    }
    if (strcmp(row->status, "refused") == 0)
        return rk_buf_printf(why, "refused: %s", row->reason[0] ? row->reason : "no reason stored");
    if (strcmp(row->status, "ok") != 0 || !isfinite(row->estimate) || !isfinite(row->lower) ||
        !isfinite(row->upper))
        return rk_buf_puts(why, "gave no finite interval");
    bool found = false;
    int rc = unsettled(&found, why, row, &b->details[i], NULL);
    for (size_t j = 0; whole && stratified && j < b->n && rc == RK_OK && !found; j++) {
        const rk_estimate__stored *s = &b->rows[j];
        if (strcmp(s->stratum, "null") != 0 && strcmp(s->method, method) == 0 &&
            strcmp(s->status, "ok") == 0)
            rc = unsettled(&found, why, s, &b->details[j], s->stratum_label);
    }
    if (rc == RK_OK && !found)
        *idx = (long)i;
    return rc;
}

/* Why the chosen row, appended to why: its place in the order and why the earlier ones were
 * passed over (`passed`, in words), what it assumes and its model in words. */
static int why_chosen(rk_buf *why, const struct preference *p, const rk_estimate__stored *row,
                      const rk_estimate__detail *d, const char *passed)
{
    const rk_estimate__words *w = rk_estimate__method_words(p->method);
    bool lcmcr = strcmp(p->method, "lcmcr") == 0;
    int rc = rk_buf_printf(why, "This is %s, %s", w->title, p->place);
    if (rc == RK_OK && passed[0])
        rc = rk_buf_printf(why, ", because %s.", passed);
    else if (rc == RK_OK)
        rc = rk_buf_puts(why, ".");
    rc = rc ? rc : rk_buf_printf(why, " It %s", w->assumes);
    size_t at = why->len;
    rc = rc ? rc : rk_buf_puts(why, "; here, ");
    size_t words = why->len;
    rc = rc ? rc
            : rk_estimate__model_words(why, row->method, row->model, (const char *const *)d->lists,
                                       d->nlists);
    if (rc == RK_OK && why->len == words)
        cut(why, at);
    rc = rc ? rc : rk_buf_puts(why, ".");
    if (rc == RK_OK && lcmcr && !passed[0])
        rc = rk_buf_puts(why, " Such differences are the commonest way that lists fail to be "
                              "independent.");
    if (rc == RK_OK && lcmcr && isfinite(d->rhat))
        rc = rk_buf_printf(why, " Its sampler's chains agree (split R-hat %.2f).", d->rhat);
    if (rc == RK_OK && strcmp(p->method, "chapman") == 0)
        rc = rk_buf_puts(why, " If being on one list makes a person more likely to be on the "
                              "other, the true total is higher.");
    return rc;
}

int report_headline_choose(report_choice *out, const report_batch *b, size_t lo)
{
    memset(out, 0, sizeof(*out));
    rk_buf_init(&out->why);
    out->chosen = -1;
    out->lo = lo;
    out->hi = report_batch_stratum_end(b, lo);
    rk_buf *why = &out->why;
    if (out->hi == lo)
        return RK_OK;
    for (size_t i = lo; i < out->hi; i++)
        if (strcmp(b->rows[i].method, "none") == 0)
            return rk_buf_printf(why, RP_NONE_DEFENDED "%s.",
                                 b->rows[i].reason[0] ? b->rows[i].reason
                                                      : "the table was refused");
    rk_buf no;
    rk_buf_init(&no);
    int rc = RK_OK;
    size_t k = b->details[lo].nlists, passed = 0;
    const struct preference *chosen = NULL;
    for (size_t p = 0; p < RK_ARRAY_LEN(preferences) && !chosen && rc == RK_OK; p++) {
        const struct preference *pr = &preferences[p];
        if (k && (k < pr->kmin || k > pr->kmax))
            continue; /* not a candidate for this number of lists (unknown: every one is) */
        size_t at = no.len;
        long idx = -1;
        rc = rk_buf_printf(&no, "%s%s ", passed ? "; " : "",
                           rk_estimate__method_words(pr->method)->title);
        rc = rc ? rc : report_headline_usable(&idx, &no, b, lo, out->hi, pr->method);
        if (rc == RK_OK && idx >= 0) {
            cut(&no, at);
            out->chosen = idx;
            chosen = pr;
        } else {
            passed++;
        }
    }
    if (rc == RK_OK && chosen)
        rc = why_chosen(why, chosen, &b->rows[out->chosen], &b->details[out->chosen],
                        rk_buf_cstr(&no));
    else if (rc == RK_OK)
        rc = rk_buf_printf(why, RP_NONE_DEFENDED "%s.",
                           passed ? rk_buf_cstr(&no) : "no method takes this number of lists");
    rk_buf_release(&no);
    if (rc != RK_OK)
        out->chosen = -1;
    return rc;
}
