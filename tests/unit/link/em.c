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
    assert_int_equal(rk_link_em(&ctx, &m, pat, cnt, NULL, NULL, n, false, 500, 1e-9, NULL), RK_OK);
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
    assert_int_equal(rk_link_em(&ctx, &m, pat, cnt, NULL, NULL, n, true, 500, 1e-9, NULL), RK_OK);
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
    assert_int_equal(rk_link_em(&ctx, &m, pat, zero, lm, ln, 3, false, 100, 1e-12, NULL), RK_OK);
    assert_true(fabs(m.lambda - 0.5) < 1e-9);
    assert_true(fabs(m.m[0][0] - 0.8) < 1e-5); /* field 0 at level 0 in 8 of 10 matches */
    assert_true(fabs(m.u[0][2] - 0.9) < 1e-5); /* pattern 0x012: field 0 level 2 */
    rk_ctx_release(&ctx);
}

/* Blocking makes the middle level of field 0 rarer among non-matches than its m calls for, so
 * keeping the levels in order rewrites m at every iteration. The change is measured after that
 * rewrite: EM settles in few iterations (it never did while the change was measured before it),
 * the trace ends with the change that stopped it, and two fits agree to the bit. */
static void em_converges_when_levels_are_reordered(void **state)
{
    (void)state;
    static const double m3[3] = {0.8, 0.1, 0.1}, u3[3] = {0.01, 0.0005, 0.9895};
    rk_rng r;
    rk_rng_seed(&r, 7);
    static uint64_t pat[1024];
    static double cnt[1024];
    memset(cnt, 0, sizeof(cnt));
    for (size_t i = 0; i < 100000; i++) {
        bool match = rk_rng_uniform(&r) < 0.05;
        uint64_t p = (uint64_t)draw(&r, match ? m3 : u3, 3);
        p |= (uint64_t)draw(&r, match ? true_m[1] : true_u[1], 2) << 4;
        p |= (uint64_t)draw(&r, match ? true_m[2] : true_u[2], 4) << 8;
        cnt[p] += 1;
    }
    size_t n = 0;
    for (uint64_t p = 0; p < 1024; p++)
        if (cnt[p] > 0) {
            pat[n] = p;
            cnt[n++] = cnt[p];
        }
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_model a, b;
    for (int k = 0; k < 2; k++) {
        rk_link_model *m = k ? &b : &a;
        memset(m, 0, sizeof(*m));
        m->ncompare = 3;
        m->nlevels[0] = 3, m->nlevels[1] = 2, m->nlevels[2] = 4;
        for (size_t l = 0; l < 4; l++) {
            m->m[2][l] = l == 0 ? 0.6 : 0.4 / 3;
            m->u[2][l] = l == 3 ? 0.6 : 0.4 / 3;
        }
        const double m0[3] = {0.6, 0.3, 0.1}, u0[3] = {0.2, 0.2, 0.6};
        for (size_t l = 0; l < 3; l++)
            m->m[0][l] = m0[l], m->u[0][l] = u0[l];
        m->m[1][0] = 0.6, m->m[1][1] = 0.4, m->u[1][0] = 0.4, m->u[1][1] = 0.6;
        m->lambda = 0.3;
        assert_int_equal(rk_link_em(&ctx, m, pat, cnt, NULL, NULL, n, false, 200, 1e-6, NULL),
                         RK_OK);
    }
    assert_true(a.converged);
    assert_true(a.iterations <= 60);
    assert_true(a.change < 1e-6);
    assert_int_equal(a.ntrace, (size_t)a.iterations);
    assert_true(a.trace[a.ntrace - 1].change == a.change);
    assert_true(a.trace[a.ntrace - 1].lambda == a.lambda);
    /* The order holds: the middle level weighs no more than the first. */
    assert_true(a.m[0][1] / a.u[0][1] <= a.m[0][0] / a.u[0][0] * (1 + 1e-12));
    /* The log-likelihood of the last iterations no longer moves. */
    assert_true(fabs(a.trace[a.ntrace - 1].loglik - a.trace[a.ntrace - 2].loglik) < 1e-3);
    assert_memory_equal(&a, &b, sizeof(a));
    rk_ctx_release(&ctx);
}

/* A block that adds many pairs of one place: 5,000 pairs agree on the place (postcode and suburb)
 * alone, 100 true matches on name, birth and place. Unbounded, EM's match class is "same place";
 * bounded by the 200 matches the lists allow, it is the pairs that agree on name and birth. */
static void em_bounded_share_is_not_captured_by_a_block(void **state)
{
    (void)state;
    /* given, family, birth, postcode, suburb: level 0 agrees, 1 (else) does not; 4 bits a
     * field. */
#define PAT(g, f, b, p)                                                                            \
    ((uint64_t)(g) | (uint64_t)(f) << 4 | (uint64_t)(b) << 8 | (uint64_t)(p) << 12 |               \
     (uint64_t)(p) << 16)
    uint64_t pat[] = {PAT(0, 0, 0, 0), PAT(1, 1, 1, 0), PAT(1, 0, 1, 1), PAT(1, 1, 0, 1),
                      PAT(0, 0, 1, 0), PAT(0, 1, 0, 0), PAT(0, 0, 0, 1)};
    double cnt[] = {100, 5000, 1000, 1000, 10, 10, 10};
#undef PAT
    size_t n = sizeof(cnt) / sizeof(cnt[0]);
    double total = 0;
    for (size_t k = 0; k < n; k++)
        total += cnt[k];
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    for (int bounded = 0; bounded <= 1; bounded++) {
        rk_link_model m;
        memset(&m, 0, sizeof(m));
        m.ncompare = 5;
        for (size_t f = 0; f < 5; f++) {
            m.nlevels[f] = 2;
            m.m[f][0] = 0.9, m.m[f][1] = 0.1;
            m.u[f][0] = 0.01, m.u[f][1] = 0.99; /* as among random pairs */
        }
        m.lambda = 0.01;
        m.lambda_max = bounded ? 200 / total : 0;
        assert_int_equal(rk_link_em(&ctx, &m, pat, cnt, NULL, NULL, n, false, 500, 1e-9, NULL),
                         RK_OK);
        double same_place = rk_link_probability(&m, rk_link_pattern_weight(&m, pat[1]));
        double all_agree = rk_link_probability(&m, rk_link_pattern_weight(&m, pat[0]));
        if (bounded) {
            assert_true(m.converged);
            assert_true(m.lambda <= 200 / total + 1e-12);
            assert_true(all_agree > 0.99);
            assert_true(same_place < 0.01);
            assert_true(m.m[0][0] > m.u[0][0] && m.m[1][0] > m.u[1][0]);
        } else {
            assert_true(same_place > 0.5); /* the failure the bound prevents */
        }
    }
    rk_ctx_release(&ctx);
}

/* Plain EM, one step at a time: rk_link_em with a single iteration is one evaluation of the EM
 * map from the values it is given. Returns the number of steps. */
static int plain_em(rk_link_model *m, const uint64_t *pat, const double *cnt, size_t n,
                    int max_iter, double tol)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    int it = 0;
    for (m->converged = false; !m->converged && it < max_iter; it++)
        assert_int_equal(rk_link_em(&ctx, m, pat, cnt, NULL, NULL, n, false, 1, tol, NULL), RK_OK);
    rk_ctx_release(&ctx);
    return it;
}

/* Fields that tell matches from non-matches poorly and a small share of matches make plain EM
 * slow (each step removes a few per cent of what remains to the fixed point). The accelerated
 * EM reaches the same fixed point in a fraction of the evaluations. */
static void em_accelerated_reaches_plain_fixed_point_sooner(void **state)
{
    (void)state;
    static const size_t lv[3] = {2, 3, 2};
    static const double sm[3][3] = {{0.8, 0.2}, {0.6, 0.25, 0.15}, {0.75, 0.25}};
    static const double su[3][3] = {{0.2, 0.8}, {0.1, 0.3, 0.6}, {0.3, 0.7}};
    static uint64_t pat[256];
    static double cnt[256];
    memset(cnt, 0, sizeof(cnt));
    rk_rng r;
    rk_rng_seed(&r, 11);
    for (size_t i = 0; i < 200000; i++) {
        bool match = rk_rng_uniform(&r) < 0.1;
        uint64_t p = 0;
        for (size_t f = 0; f < 3; f++)
            p |= (uint64_t)draw(&r, match ? sm[f] : su[f], lv[f]) << (2 * f);
        cnt[p] += 1;
    }
    size_t n = 0;
    for (uint64_t p = 0; p < 64; p++)
        if (cnt[p] > 0) {
            uint64_t q = (p & 3) | (p >> 2 & 3) << 4 | (p >> 4 & 3) << 8;
            pat[n] = q;
            cnt[n++] = cnt[p];
        }
    rk_link_model fast, slow;
    for (int k = 0; k < 2; k++) {
        rk_link_model *m = k ? &slow : &fast;
        memset(m, 0, sizeof(*m));
        m->ncompare = 3;
        for (size_t f = 0; f < 3; f++) {
            m->nlevels[f] = lv[f];
            for (size_t l = 0; l < lv[f]; l++) {
                m->m[f][l] = l == 0 ? 0.6 : 0.4 / (double)(lv[f] - 1);
                m->u[f][l] = 1.0 / (double)lv[f];
            }
        }
        m->lambda = 0.3;
    }
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(rk_link_em(&ctx, &fast, pat, cnt, NULL, NULL, n, false, 5000, 1e-9, NULL),
                     RK_OK);
    rk_ctx_release(&ctx);
    int nslow = plain_em(&slow, pat, cnt, n, 5000, 1e-9);
    assert_true(fast.converged && slow.converged);
    assert_true(nslow >= 100);                              /* the case is slow for plain EM */
    assert_true(fast.iterations * 4 <= nslow);              /* and far quicker accelerated */
    assert_int_equal(fast.ntrace, (size_t)fast.iterations); /* every E step is counted */
    assert_true(fabs(fast.lambda - slow.lambda) < 1e-4);
    for (size_t f = 0; f < 3; f++)
        for (size_t l = 0; l < lv[f]; l++) {
            assert_true(fabs(fast.m[f][l] - slow.m[f][l]) < 1e-4);
            assert_true(fabs(fast.u[f][l] - slow.u[f][l]) < 1e-4);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(em_recovers_known_parameters),
        cmocka_unit_test(em_with_u_fixed_keeps_u),
        cmocka_unit_test(labelled_pairs_keep_their_label),
        cmocka_unit_test(em_converges_when_levels_are_reordered),
        cmocka_unit_test(em_bounded_share_is_not_captured_by_a_block),
        cmocka_unit_test(em_accelerated_reaches_plain_fixed_point_sooner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
