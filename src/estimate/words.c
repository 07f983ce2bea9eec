/* Models in plain words: a stored estimate's model ("[12,13,4] (best bic)", "Mth Chao (LB)",
 * "K*=10", "[ministry,press][ngo]") as a clause that names the lists, for readers who are not
 * statisticians (the report, the command line). What each method assumes is a column of the
 * method table (methods.c). */
#include "estimate_private.h"
#include "estimate_internal.h"
#include "store/store_internal.h"

#include <sqlite3.h>

/* A model this file cannot read: a sum of strata (project.c names it so) reads as words
 * already; another is named as a model, never shown bare. */
static int as_is(rk_buf *b, const char *model)
{
    if (strncmp(model, "sum of ", 7) == 0)
        return rk_buf_printf(b, "the %s, each estimated on its own", model);
    return rk_buf_printf(b, "the model %s", model);
}

static const char *list_name(const char *const *lists, size_t nlists, size_t j, char tmp[32])
{
    if (j < nlists && lists[j])
        return lists[j];
    snprintf(tmp, 32, "list %zu", j + 1);
    return tmp;
}

/* "A", "A and B", "A, B and C": the lists of mask. */
static int names(rk_buf *b, uint64_t mask, const char *const *lists, size_t nlists)
{
    int total = estimate_popcount(mask), shown = 0, rc = RK_OK;
    for (size_t j = 0; j < 64 && rc == RK_OK; j++) {
        if (!(mask >> j & 1))
            continue;
        char tmp[32];
        const char *sep = shown == 0 ? "" : shown + 1 == total ? " and " : ", ";
        rc = rk_buf_printf(b, "%s%s", sep, list_name(lists, nlists, j, tmp));
        shown++;
    }
    return rc;
}

/* "A and B depend on each other, and so do A and C, and B, C and D jointly; E is independent
 * of the others", from the groups of lists (masks) that depend on each other. */
static int dependence(rk_buf *b, const uint64_t *groups, size_t ngroups, const char *const *lists,
                      size_t nlists)
{
    uint64_t covered = 0;
    size_t shown = 0;
    int rc = RK_OK;
    for (size_t i = 0; i < ngroups && rc == RK_OK; i++) {
        int size = estimate_popcount(groups[i]);
        if (size < 2)
            continue;
        covered |= groups[i];
        rc = rk_buf_puts(b, shown == 0 ? "" : shown == 1 ? ", and so do " : ", ");
        rc = rc ? rc : names(b, groups[i], lists, nlists);
        if (rc == RK_OK && shown == 0)
            rc = rk_buf_puts(b, size == 2 ? " depend on each other" : " depend on one another");
        if (rc == RK_OK && size > 2)
            rc = rk_buf_puts(b, " jointly");
        shown++;
    }
    if (rc == RK_OK && shown == 0)
        return rk_buf_puts(b, "the lists are independent of one another");
    uint64_t alone = 0;
    for (size_t j = 0; j < nlists && j < 64; j++)
        if (!(covered >> j & 1))
            alone |= UINT64_C(1) << j;
    if (rc != RK_OK || !alone)
        return rc;
    rc = rk_buf_puts(b, "; ");
    rc = rc ? rc : names(b, alone, lists, nlists);
    return rc ? rc
              : rk_buf_puts(b, estimate_popcount(alone) == 1 ? " is independent of the others"
                                                             : " are independent of the others");
}

static const struct {
    rk_heterogeneity het;
    const char *words;
} het_words[] = {
    {RK_HET_CHAO, "Chao's lower bound"},
    {RK_HET_POISSON, "a Poisson mixture"},
    {RK_HET_DARROCH, "Darroch's mixture"},
    {RK_HET_GAMMA, "a gamma mixture"},
};

/* "[12,13] (best bic)": the model chosen by the criterion, in words. */
static int loglinear_words(rk_buf *b, const char *model, const char *const *lists, size_t nlists)
{
    char spec[128];
    snprintf(spec, sizeof(spec), "%s", model);
    char *best = strstr(spec, " (best ");
    const char *crit = NULL;
    if (best) {
        crit = strncmp(best + 7, "aic", 3) == 0 ? "AIC" : "BIC";
        *best = '\0';
    }
    rk_loglinear_model m;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    int parsed = rk_loglinear_model_parse(&m, &ctx, spec, nlists);
    rk_ctx_release(&ctx);
    if (parsed != RK_OK)
        return as_is(b, model);
    int rc = crit ? rk_buf_printf(b, "the pattern that fits best by %s: ", crit) : RK_OK;
    if (rc == RK_OK && !m.per_list)
        rc = rk_buf_puts(b, "every list has the same chance of naming a person, and the lists "
                            "are independent of one another");
    else if (rc == RK_OK && m.nterms == 0)
        rc = rk_buf_puts(b, "each list has its own chance of naming a person, and the lists are "
                            "independent of one another");
    else if (rc == RK_OK)
        rc = dependence(b, m.terms, m.nterms, lists, nlists);
    for (size_t i = 0; i < RK_ARRAY_LEN(het_words) && rc == RK_OK; i++)
        if (het_words[i].het == m.het)
            rc = rk_buf_printf(b, ", but people differ in how visible they are (%s)",
                               het_words[i].words);
    return rc;
}

/* "K*=10": the truncation of the latent classes. */
static int lcmcr_words(rk_buf *b, const char *model)
{
    int64_t k;
    if (strncmp(model, "K*=", 3) != 0 || rk_parse_i64(&k, model + 3) != RK_OK || k < 1)
        return as_is(b, model);
    return rk_buf_printf(
        b, "up to %lld groups of people who differ in how visible they are to the lists",
        (long long)k);
}

/* "[ministry,press][memorial,ngo,press]": the cliques of dga's graph of highest weight, read
 * by the names of the lists (the longest that matches, since a name may hold a comma). */
static int dga_words(rk_buf *b, const char *model, const char *const *lists, size_t nlists)
{
    uint64_t groups[64];
    size_t ng = 0;
    const char *p = model;
    while (*p == '[' && ng < RK_ARRAY_LEN(groups)) {
        uint64_t g = 0;
        p++;
        for (;;) {
            size_t best = nlists, len = 0;
            for (size_t j = 0; j < nlists && j < 64; j++) {
                size_t l = strlen(lists[j]);
                if (l > len && strncmp(p, lists[j], l) == 0 && (p[l] == ',' || p[l] == ']'))
                    best = j, len = l;
            }
            if (best == nlists)
                return as_is(b, model);
            g |= UINT64_C(1) << best;
            p += len;
            if (*p++ == ']')
                break;
        }
        groups[ng++] = g;
    }
    if (*p || ng == 0)
        return as_is(b, model);
    int rc = rk_buf_puts(b, "the way that fits best: ");
    return rc ? rc : dependence(b, groups, ng, lists, nlists);
}

int rk_estimate__model_words(rk_buf *out, const char *method, const char *model,
                             const char *const *lists, size_t nlists)
{
    if (!model || !*model || !method || strcmp(method, "chapman") == 0)
        return RK_OK;
    if (strcmp(method, "loglinear") == 0)
        return loglinear_words(out, model, lists, nlists);
    if (strcmp(method, "lcmcr") == 0)
        return lcmcr_words(out, model);
    if (strcmp(method, "dga") == 0)
        return dga_words(out, model, lists, nlists);
    return as_is(out, model);
}

int rk_estimate__stored_words(rk_buf *out, rk_store *st, int64_t id, const char *model)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    sqlite3_stmt *s = NULL;
    char **lists = NULL;
    size_t n = 0, cap = 0;
    char *method = NULL, *own = NULL;
    int rc = rk_store__prepare_int64(
        &s, st,
        "SELECT e.method, coalesce(e.model, ''), l.value FROM estimate e LEFT JOIN json_each(CASE"
        " WHEN json_valid(e.lists) THEN e.lists END) l ON l.type = 'text' WHERE e.id = ?1"
        " ORDER BY l.key",
        id, "cannot read an estimate");
    if (rc != RK_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (!method && (!(method = rk_strdup(rk_store__text(s, 0))) ||
                        !(own = rk_strdup(rk_store__text(s, 1))))) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        if (sqlite3_column_type(s, 2) == SQLITE_NULL)
            continue;
        if (rk_grow((void **)&lists, &cap, n + 1, sizeof(char *)) != RK_OK ||
            !(lists[n] = rk_strdup(rk_store__text(s, 2)))) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        n++;
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read an estimate");
        goto cleanup;
    }
    if (method && rk_estimate__model_words(out, method, model ? model : own,
                                           (const char *const *)lists, n) != RK_OK)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
cleanup:
    sqlite3_finalize(s);
    for (size_t i = 0; i < n; i++)
        rk_free(lists[i]);
    rk_free(lists);
    rk_free(method);
    rk_free(own);
    return rc;
}
