/* Unit tests of the Fellegi-Sunter EM: it recovers known m, u and match share from simulated
 * comparison vectors, and keeps reviewers' labels fixed. */
#include "test.h"

#include <math.h>

#define NF 3
static const size_t nlev[NF] = {3, 2, 4};
static const double true_m[NF][4] = {{0.85, 0.10, 0.05}, {0.95, 0.05}, {0.7, 0.15, 0.1, 0.05}};
static const double true_u[NF][4] = {{0.01, 0.04, 0.95}, {0.3, 0.7}, {0.002, 0.01, 0.05, 0.938}};
static const double true_lambda = 0.08;

static int draw(rk_rng *r, const double *p, size_t n)
{
    double x = rk_rng_uniform(r), s = 0;
    for (size_t i = 0; i < n; i++) {
        s += p[i];
        if (x < s)
            return (int)i;
    }
    return (int)n - 1;
}

/* Simulates pairs and counts distinct patterns (index = pattern value, small here). */
static size_t simulate(uint64_t *pat, double *cnt, size_t npairs, double missing)
{
    rk_rng r;
    rk_rng_seed(&r, 42);
    static double table[1 << 12];
    memset(table, 0, sizeof(table));
    for (size_t i = 0; i < npairs; i++) {
        bool match = rk_rng_uniform(&r) < true_lambda;
        uint64_t p = 0;
        for (size_t f = 0; f < NF; f++) {
            int l = draw(&r, match ? true_m[f] : true_u[f], nlev[f]);
            if (rk_rng_uniform(&r) < missing)
                l = RK_LINK_MISSING;
            p |= (uint64_t)l << (4 * f);
        }
        table[p] += 1;
    }
    size_t n = 0;
    for (uint64_t p = 0; p < (1 << 12); p++)
        if (table[p] > 0) {
            pat[n] = p;
            cnt[n] = table[p];
            n++;
        }
    return n;
}

static void init_model(rk_link_model *m)
{
    memset(m, 0, sizeof(*m));
    m->ncompare = NF;
    for (size_t f = 0; f < NF; f++) {
        m->nlevels[f] = nlev[f];
        for (size_t l = 0; l < nlev[f]; l++) {
            m->m[f][l] = l == 0 ? 0.6 : 0.4 / (double)(nlev[f] - 1);
            m->u[f][l] = l + 1 == nlev[f] ? 0.6 : 0.4 / (double)(nlev[f] - 1);
        }
    }
    m->lambda = 0.3;
}

static void em_recovers_known_parameters(void **state)
{
    (void)state;
    uint64_t pat[4096];
    double cnt[4096];
    size_t n = simulate(pat, cnt, 400000, 0.1);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_model m;
    init_model(&m);
    assert_int_equal(rk_link_em(&ctx, &m, pat, cnt, NULL, NULL, n, false, 500, 1e-9), RK_OK);
    assert_true(m.converged);
    /* Tolerance: 0.01 absolute on each m and u; 0.003 on lambda (400,000 pairs, 10 %
     * missing; sampling error alone is about 0.002 on m). */
    assert_true(fabs(m.lambda - true_lambda) < 0.003);
    for (size_t f = 0; f < NF; f++)
        for (size_t l = 0; l < nlev[f]; l++) {
            assert_true(fabs(m.m[f][l] - true_m[f][l]) < 0.01);
            assert_true(fabs(m.u[f][l] - true_u[f][l]) < 0.01);
        }
    /* Weights and probabilities follow from the parameters. */
    double w = rk_link_pattern_weight(&m, 0); /* all levels 0 */
    double expect = 0;
    for (size_t f = 0; f < NF; f++)
        expect += log2(m.m[f][0] / m.u[f][0]);
    assert_true(fabs(w - expect) < 1e-12);
    assert_true(rk_link_probability(&m, w) > 0.999);
    assert_true(rk_link_pattern_weight(&m, RK_LINK_MISSING | RK_LINK_MISSING << 4 |
                                               RK_LINK_MISSING << 8) == 0);
    rk_ctx_release(&ctx);
}

static void em_with_u_fixed_keeps_u(void **state)
{
    (void)state;
    uint64_t pat[4096];
    double cnt[4096];
    size_t n = simulate(pat, cnt, 200000, 0.0);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_model m;
    init_model(&m);
    for (size_t f = 0; f < NF; f++)
        for (size_t l = 0; l < nlev[f]; l++)
            m.u[f][l] = true_u[f][l];
    assert_int_equal(rk_link_em(&ctx, &m, pat, cnt, NULL, NULL, n, true, 500, 1e-9), RK_OK);
    for (size_t f = 0; f < NF; f++)
        for (size_t l = 0; l < nlev[f]; l++) {
            assert_true(fabs(m.u[f][l] - true_u[f][l]) < 1e-3); /* only renormalised */
            assert_true(fabs(m.m[f][l] - true_m[f][l]) < 0.015);
        }
    assert_true(fabs(m.lambda - true_lambda) < 0.004);
    rk_ctx_release(&ctx);
}

static void labelled_pairs_keep_their_label(void **state)
{
    (void)state;
    /* Only labelled pairs: EM's answer is their empirical frequencies. */
    uint64_t pat[3] = {0x000, 0x111, 0x012};
    double zero[3] = {0, 0, 0};
    double lm[3] = {8, 2, 0};
    double ln[3] = {0, 1, 9};
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_model m;
    init_model(&m);
    assert_int_equal(rk_link_em(&ctx, &m, pat, zero, lm, ln, 3, false, 100, 1e-12), RK_OK);
    assert_true(fabs(m.lambda - 0.5) < 1e-9);
    assert_true(fabs(m.m[0][0] - 0.8) < 1e-5); /* field 0 at level 0 in 8 of 10 matches */
    assert_true(fabs(m.u[0][2] - 0.9) < 1e-5); /* pattern 0x012: field 0 level 2 */
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(em_recovers_known_parameters),
        cmocka_unit_test(em_with_u_fixed_keeps_u),
        cmocka_unit_test(labelled_pairs_keep_their_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
