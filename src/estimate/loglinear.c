/* Log-linear models of the observed cells (Fienberg 1972; Rivest and Baillargeon's Rcapture):
 * naming and parsing models, fitting one by Poisson regression with N = n + exp(intercept),
 * and Rcapture's closedp.t set of classical models (M0, Mt, Mh and Mth heterogeneity). */
#include "loglinear_private.h"

static const char *het_name(rk_heterogeneity h)
{
    switch (h) {
    case RK_HET_CHAO:
        return "Chao (LB)";
    case RK_HET_POISSON:
        return "Poisson";
    case RK_HET_DARROCH:
        return "Darroch";
    case RK_HET_GAMMA:
        return "Gamma";
    default:
        return "";
    }
}

static int cmp_terms(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    int px = estimate_popcount(x), py = estimate_popcount(y);
    if (px != py)
        return py - px; /* higher order first */
    /* then lexicographic on the list positions */
    while (x && y) {
        int lx = __builtin_ctzll(x), ly = __builtin_ctzll(y);
        if (lx != ly)
            return lx - ly;
        x &= x - 1;
        y &= y - 1;
    }
    return 0;
}

void rk_loglinear_model_name(char *out, size_t outsz, const rk_loglinear_model *m, size_t nlists)
{
    rk_buf b;
    rk_buf_init(&b);
    char theta[32] = "";
    if (m->het == RK_HET_POISSON || m->het == RK_HET_GAMMA)
        snprintf(theta, sizeof(theta), "%g",
                 m->theta > 0 ? m->theta : (m->het == RK_HET_POISSON ? 2.0 : 3.5));
    if (!m->per_list) {
        rk_buf_printf(&b, m->het ? "Mh %s%s" : "M0", het_name(m->het), theta);
    } else if (m->nterms == 0) {
        rk_buf_printf(&b, m->het ? "Mth %s%s" : "Mt", het_name(m->het), theta);
    } else {
        uint64_t gens[RK_LOGLINEAR_MAX_TERMS + RK_ESTIMATE_MAX_LISTS];
        size_t ng = 0;
        uint64_t covered = 0;
        for (size_t i = 0; i < m->nterms; i++) {
            bool maximal = true;
            for (size_t j = 0; j < m->nterms && maximal; j++)
                if (j != i && (m->terms[i] & m->terms[j]) == m->terms[i] &&
                    (m->terms[i] != m->terms[j] || j < i))
                    maximal = false;
            if (maximal)
                gens[ng++] = m->terms[i];
            covered |= m->terms[i];
        }
        for (size_t j = 0; j < nlists; j++)
            if (!(covered >> j & 1))
                gens[ng++] = UINT64_C(1) << j;
        qsort(gens, ng, sizeof(uint64_t), cmp_terms);
        rk_buf_putc(&b, '[');
        for (size_t i = 0; i < ng; i++) {
            if (i)
                rk_buf_putc(&b, ',');
            bool first = true;
            for (size_t j = 0; j < nlists; j++)
                if (gens[i] >> j & 1) {
                    if (nlists > 9 && !first)
                        rk_buf_putc(&b, '.');
                    rk_buf_printf(&b, "%zu", j + 1);
                    first = false;
                }
        }
        rk_buf_putc(&b, ']');
        if (m->het)
            rk_buf_printf(&b, " %s%s", het_name(m->het), theta);
    }
    snprintf(out, outsz, "%s", rk_buf_cstr(&b));
    rk_buf_release(&b);
}

int rk_loglinear_model_parse(rk_loglinear_model *out, rk_ctx *ctx, const char *spec, size_t nlists)
{
    RK_ASSERT_ARG(ctx, out && spec);
    memset(out, 0, sizeof(*out));
    const char *s = spec;
    if (s[0] == '[') {
        out->per_list = true;
        s++;
        while (*s && *s != ']') {
            uint64_t term = 0;
            while (*s >= '1' && *s <= '9') {
                size_t j = (size_t)(*s - '1');
                if (j >= nlists || nlists > 9)
                    goto bad;
                term |= UINT64_C(1) << j;
                s++;
            }
            if (!term)
                goto bad;
            if (estimate_popcount(term) >= 2) {
                if (out->nterms == RK_LOGLINEAR_MAX_TERMS)
                    goto bad;
                out->terms[out->nterms++] = term;
            }
            if (*s == ',')
                s++;
            else if (*s != ']')
                goto bad;
        }
        if (*s != ']')
            goto bad;
        s++;
        while (*s == ' ')
            s++;
        if (!*s)
            return RK_OK;
    } else if (strncmp(s, "Mth", 3) == 0) {
        out->per_list = true;
        s += 3;
    } else if (strncmp(s, "Mh", 2) == 0) {
        s += 2;
    } else if (strcmp(s, "Mt") == 0) {
        out->per_list = true;
        return RK_OK;
    } else if (strcmp(s, "M0") == 0) {
        return RK_OK;
    } else {
        goto bad;
    }
    while (*s == ' ' || *s == '_')
        s++;
    static const struct {
        const char *name;
        rk_heterogeneity het;
    } hets[] = {{"Chao", RK_HET_CHAO},
                {"Poisson", RK_HET_POISSON},
                {"Darroch", RK_HET_DARROCH},
                {"Gamma", RK_HET_GAMMA}};
    for (size_t i = 0; i < RK_ARRAY_LEN(hets); i++) {
        size_t l = strlen(hets[i].name);
        if (strncmp(s, hets[i].name, l) != 0)
            continue;
        out->het = hets[i].het;
        s += l;
        if (out->het == RK_HET_CHAO) {
            if (*s == '\0' || strcmp(s, " (LB)") == 0)
                return RK_OK;
            goto bad;
        }
        if (*s && out->het != RK_HET_DARROCH) {
            if (rk_parse_double(&out->theta, s) != RK_OK || out->theta <= 0)
                goto bad;
        } else if (*s) {
            goto bad;
        }
        return RK_OK;
    }
bad:
    return rk_error_set(ctx, RK_EINPUT,
                        "unknown log-linear model '%s'; use M0, Mt, Mh Chao, Mh Poisson2, "
                        "Mh Darroch, Mh Gamma3.5, Mth ..., or interactions like [12,3,4] with "
                        "1-based list positions",
                        spec);
}

/* Fits design d (rows 1.. of X, the observed cells) and fills out's fit fields; beta gets
 * the coefficients. */
static int fit_observed(rk_estimate *out, rk_ctx *ctx, const estimate_design *d, const double *y,
                        int64_t n, double *beta)
{
    int rc = RK_OK;
    size_t p = d->p, rows = d->cells - 1;
    double *cov = rk_malloc(p * p * sizeof(double));
    double *mu = rk_malloc(rows * sizeof(double));
    if (!cov || !mu) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    estimate_glm g;
    if ((rc = estimate_poisson_fit(ctx, d->X + p, y + 1, rows, p, beta, false, cov, mu, &g)) !=
        RK_OK)
        goto cleanup;
    double mu0 = exp(beta[0]);
    out->observed = n;
    out->estimate = (double)n + mu0;
    out->stderr_n = sqrt(mu0 + mu0 * mu0 * cov[0]);
    out->deviance = g.deviance;
    out->npar = (int)p;
    out->df = (int)rows - (int)p;
    out->aic = -2 * g.loglik + 2 * (double)p;
    out->bic = -2 * g.loglik + log((double)n) * (double)p;
    out->converged = g.converged;
    out->lower = out->estimate - 1.959963984540054 * out->stderr_n;
    out->upper = out->estimate + 1.959963984540054 * out->stderr_n;
    snprintf(out->interval_kind, sizeof(out->interval_kind), "normal");
    if (!g.converged)
        snprintf(out->warning, sizeof(out->warning),
                 "the fit did not converge: some parameters run to infinity (zero cells?)");
cleanup:
    rk_free(cov);
    rk_free(mu);
    return rc;
}

int rk_estimate_loglinear(rk_estimate *out, rk_ctx *ctx, const rk_capture_table *t,
                          const rk_loglinear_model *m, bool profile)
{
    RK_ASSERT_ARG(ctx, out && t && m);
    rk_estimate_init(out);
    double *y = NULL, *beta = NULL;
    estimate_design d = {0};
    int rc;
    size_t k = t->nlists;
    if (k < 2 || k > 16)
        return rk_error_set(ctx, RK_EINPUT,
                            "log-linear models need 2 to 16 lists, not %zu; choose with --lists",
                            k);
    if ((rc = estimate_table_dense(t, ctx, &y)) != RK_OK)
        return rc;
    int64_t n = rk_capture_table_observed(t);
    snprintf(out->method, sizeof(out->method), "loglinear");
    rk_loglinear_model_name(out->model, sizeof(out->model), m, k);
    uint64_t drop = 0;
    for (;;) {
        estimate_design_release(&d);
        rk_free(beta);
        beta = NULL;
        if ((rc = estimate_design_build(&d, ctx, m, k, drop)) != RK_OK)
            goto cleanup;
        if (d.cells - 1 < d.p) {
            rc = rk_error_set(ctx, RK_EINPUT,
                              "model %s has %zu parameters for %zu cells: more than the data "
                              "can identify; choose a smaller model",
                              out->model, d.p, d.cells - 1);
            goto cleanup;
        }
        if (!(beta = rk_calloc(d.p, sizeof(double)))) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        if ((rc = fit_observed(out, ctx, &d, y, n, beta)) != RK_OK)
            goto cleanup;
        if (m->het != RK_HET_CHAO)
            break;
        /* Chao's eta must be >= 0 (log-convexity of the capture frequencies); drop the
         * negative ones and refit, as Rcapture does. */
        uint64_t more = 0;
        for (size_t kk = 3, c = d.chao_first; kk <= k; kk++) {
            if (drop >> (kk - 3) & 1)
                continue;
            if (beta[c] < 0)
                more |= UINT64_C(1) << (kk - 3);
            c++;
        }
        if (!more)
            break;
        drop |= more;
    }
    if (profile)
        rc = estimate_loglinear_profile(out, ctx, &d, y, n, beta);
cleanup:
    estimate_design_release(&d);
    rk_free(beta);
    rk_free(y);
    return rc;
}

int rk_estimate_closedp(rk_estimate **out, size_t *n, rk_ctx *ctx, const rk_capture_table *t)
{
    RK_ASSERT_ARG(ctx, out && n && t);
    *out = NULL;
    *n = 0;
    static const rk_heterogeneity hets[] = {RK_HET_CHAO, RK_HET_POISSON, RK_HET_DARROCH,
                                            RK_HET_GAMMA};
    rk_loglinear_model models[10];
    size_t nm = 0;
    models[nm++] = (rk_loglinear_model){.per_list = false};
    models[nm++] = (rk_loglinear_model){.per_list = true};
    for (int pl = 0; pl < 2; pl++)
        for (size_t h = 0; h < RK_ARRAY_LEN(hets); h++)
            models[nm++] = (rk_loglinear_model){.per_list = pl == 1, .het = hets[h]};
    rk_estimate *arr = rk_calloc(nm, sizeof(rk_estimate));
    if (!arr)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    int rc = RK_OK;
    for (size_t i = 0; i < nm; i++) {
        if ((rc = rk_estimate_loglinear(&arr[i], ctx, t, &models[i], false)) != RK_OK) {
            rk_estimate_array_free(arr, i + 1);
            return rc;
        }
    }
    *out = arr;
    *n = nm;
    return RK_OK;
}
