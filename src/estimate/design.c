/* Design matrices of the log-linear capture-recapture models: the intercept, the list effects
 * (per list, or one common effect of the number of captures c), hierarchical interactions, and
 * the heterogeneity columns of Rivest and Baillargeon's Rcapture (Chao, Poisson, Darroch,
 * Gamma), each of which is 0 on the unobserved cell so that N = n + exp(intercept). */
#include "loglinear_private.h"

/* All subsets with >= 2 members of the generators, each once, in increasing mask order. */
static size_t closure(const rk_loglinear_model *m, uint64_t *out, size_t max)
{
    size_t n = 0;
    for (size_t g = 0; g < m->nterms; g++) {
        uint64_t gen = m->terms[g];
        /* enumerate the non-empty subsets of gen */
        for (uint64_t s = gen; s; s = (s - 1) & gen) {
            if (estimate_popcount(s) < 2)
                continue;
            bool seen = false;
            for (size_t i = 0; i < n && !seen; i++)
                seen = out[i] == s;
            if (!seen && n < max)
                out[n++] = s;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && out[j - 1] > out[j]; j--) {
            uint64_t tmp = out[j];
            out[j] = out[j - 1];
            out[j - 1] = tmp;
        }
    return n;
}

static double het_value(rk_heterogeneity h, double theta, double c)
{
    switch (h) {
    case RK_HET_POISSON:
        return pow(theta > 0 ? theta : 2.0, c) - 1;
    case RK_HET_DARROCH:
        return c * c / 2;
    case RK_HET_GAMMA: {
        double th = theta > 0 ? theta : 3.5;
        return -log(th + c) + log(th);
    }
    default:
        return 0;
    }
}

int estimate_design_build(estimate_design *d, rk_ctx *ctx, const rk_loglinear_model *m, size_t k,
                          uint64_t drop_chao)
{
    memset(d, 0, sizeof(*d));
    if (k < 2 || k > 16)
        return rk_error_set(ctx, RK_EINPUT,
                            "log-linear models need 2 to 16 lists, not %zu; choose with --lists",
                            k);
    enum { MAXINT = 4096 };
    uint64_t *inter = rk_malloc(MAXINT * sizeof(uint64_t));
    if (!inter)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    for (size_t g = 0; g < m->nterms; g++)
        if (estimate_popcount(m->terms[g]) < 2 || (m->terms[g] >> k) != 0) {
            rk_free(inter);
            return rk_error_set(ctx, RK_EINPUT,
                                "an interaction term is not a set of >= 2 of the "
                                "%zu lists",
                                k);
        }
    size_t ni = closure(m, inter, MAXINT);
    size_t nchao = 0;
    if (m->het == RK_HET_CHAO)
        for (size_t kk = 3; kk <= k; kk++)
            if (!(drop_chao >> (kk - 3) & 1))
                nchao++;
    size_t nhet = m->het == RK_HET_CHAO ? nchao : (m->het != RK_HET_NONE ? 1 : 0);
    size_t p = 1 + (m->per_list ? k : 1) + ni + nhet;
    size_t cells = (size_t)1 << k;
    d->X = rk_calloc(cells * p, sizeof(double));
    if (!d->X) {
        rk_free(inter);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    d->k = k;
    d->cells = cells;
    d->p = p;
    d->chao_first = 1 + (m->per_list ? k : 1) + ni;
    d->nchao = nchao;
    for (size_t w = 0; w < cells; w++) {
        double *row = d->X + w * p;
        size_t c = 0;
        double nc = (double)estimate_popcount(w);
        row[c++] = 1;
        if (m->per_list)
            for (size_t j = 0; j < k; j++)
                row[c++] = (double)(w >> j & 1);
        else
            row[c++] = nc;
        for (size_t i = 0; i < ni; i++)
            row[c++] = (w & inter[i]) == inter[i] ? 1 : 0;
        if (m->het == RK_HET_CHAO) {
            for (size_t kk = 3; kk <= k; kk++)
                if (!(drop_chao >> (kk - 3) & 1))
                    row[c++] = nc > (double)kk - 1 ? nc - ((double)kk - 1) : 0;
        } else if (m->het != RK_HET_NONE) {
            row[c++] = het_value(m->het, m->theta, nc);
        }
        assert(c == p);
    }
    rk_free(inter);
    return RK_OK;
}

void estimate_design_release(estimate_design *d)
{
    rk_free(d->X);
    memset(d, 0, sizeof(*d));
}
