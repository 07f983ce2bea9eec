/* Unit tests of the draws of partitions on arrays (link_draw_partitions): on a component of
 * 11 records, the exact sampler and the chain both agree with the distribution the test
 * computes itself by brute force over all 678,570 partitions of the records; reviewers'
 * decisions and unique lists always hold; the same seed gives the same draws whatever the
 * number of threads; labels name each person by its smallest record. */
#include "test.h"
#include "link/link_private.h"

#include <math.h>
#include <omp.h>

#define N     11
#define FLOOR 0.01

/* Records 0..10 of lists 0 (unique: 0, 5, 10), 1 and 2; stored pairs tie them in one
 * component; a reviewer matched 2-4 (never stored) and said 7-8 (0.85) differ. */
static const uint32_t list[N] = {0, 1, 2, 1, 2, 0, 1, 2, 1, 2, 0};
static const bool unique[3] = {true, false, false};
static const struct {
    uint32_t a, b;
    float p;
} pairs[] = {{0, 1, 0.9f},  {1, 2, 0.6f},  {0, 2, 0.7f},  {2, 3, 0.4f},
             {3, 4, 0.8f},  {4, 5, 0.5f},  {1, 5, 0.3f},  {5, 6, 0.95f},
             {6, 7, 0.2f},  {7, 8, 0.85f}, {8, 9, 0.55f}, {9, 10, 0.6f},
             {7, 9, 0.45f}, {3, 6, 0.05f}, {0, 5, 0.97f}, {8, 10, 0.3f}};
#define NPAIRS (sizeof(pairs) / sizeof(pairs[0]))
static const rk_link_label labels[] = {{2, 4, true}, {7, 8, false}};

typedef struct graph {
    uint32_t a[NPAIRS], b[NPAIRS];
    float p[NPAIRS];
    rk_link_cluster_options o;
} graph;

static void graph_init(graph *g)
{
    for (size_t k = 0; k < NPAIRS; k++)
        g->a[k] = pairs[k].a, g->b[k] = pairs[k].b, g->p[k] = pairs[k].p;
    g->o = (rk_link_cluster_options)RK_LINK_CLUSTER_OPTIONS_INIT;
    g->o.nrecords = N;
    g->o.list = list;
    g->o.list_unique = unique;
    g->o.a = g->a, g->o.b = g->b, g->o.prob = g->p, g->o.npairs = NPAIRS;
    g->o.labels = labels, g->o.nlabels = 2;
}

/* ---- the oracle: the distribution of docs/linkage.md by brute force over records ---- */

static double odds(double p)
{
    p = p < 1e-6 ? 1e-6 : p > 1 - 1e-6 ? 1 - 1e-6 : p;
    return p / (1 - p);
}

typedef struct oracle {
    double same[N][N];     /* probability that records i and j are one person */
    double persons[N + 1]; /* probability of each number of persons */
} oracle;

static bool person_connected(const uint8_t *rgs, uint8_t b, const bool tie[N][N])
{
    bool reached[N] = {false};
    int first = -1, members = 0, got = 1;
    for (int i = 0; i < N; i++)
        if (rgs[i] == b) {
            members++;
            if (first < 0)
                first = i;
        }
    reached[first] = true;
    for (bool grew = true; grew;) {
        grew = false;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N && reached[i]; j++)
                if (rgs[j] == b && !reached[j] && tie[i][j])
                    reached[j] = true, grew = true, got++;
    }
    return got == members;
}

typedef struct brute {
    double w[N][N]; /* odds of two records in one person */
    bool tie[N][N]; /* a stored pair or a match between them */
    uint8_t rgs[N]; /* the person of each record, a restricted growth string */
    double z;
    oracle * or ;
} brute;

static void brute_leaf(brute *br, uint8_t nb)
{
    const uint8_t *rgs = br->rgs;
    if (rgs[2] != rgs[4] || rgs[7] == rgs[8] || rgs[0] == rgs[5] || rgs[0] == rgs[10] ||
        rgs[5] == rgs[10])
        return;
    for (uint8_t b = 0; b < nb; b++)
        if (!person_connected(rgs, b, br->tie))
            return;
    double weight = 1;
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            if (rgs[i] == rgs[j])
                weight *= br->w[i][j];
    br->z += weight;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            if (rgs[i] == rgs[j])
                br->or->same[i][j] += weight;
    br->or->persons[nb] += weight;
}

static void brute_place(brute *br, int i, uint8_t nb)
{
    if (i == N) {
        brute_leaf(br, nb);
        return;
    }
    for (uint8_t b = 0; b <= nb; b++) {
        br->rgs[i] = b;
        brute_place(br, i + 1, b == nb ? (uint8_t)(nb + 1) : nb);
    }
}

static void oracle_compute(oracle * or)
{
    static brute br;
    memset(&br, 0, sizeof(br));
    memset(or, 0, sizeof(* or));
    br.or = or ;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            br.w[i][j] = odds(FLOOR);
    for (size_t k = 0; k < NPAIRS; k++) {
        br.w[pairs[k].a][pairs[k].b] = br.w[pairs[k].b][pairs[k].a] = odds(pairs[k].p);
        br.tie[pairs[k].a][pairs[k].b] = br.tie[pairs[k].b][pairs[k].a] = true;
    }
    br.tie[2][4] = br.tie[4][2] = true; /* the match ties them too */
    brute_place(&br, 0, 0);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            or->same[i][j] /= br.z;
    for (int b = 0; b <= N; b++)
        or->persons[b] /= br.z;
}

/* ---- helpers ---- */

static int64_t *draw(const graph *g, size_t k, uint64_t seed, size_t exact_max, size_t thin)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    link_draw_options o = LINK_DRAW_OPTIONS_INIT;
    o.k = k;
    o.seed = seed;
    o.floor = FLOOR;
    o.exact_max = exact_max;
    o.thin = thin;
    int64_t *out = malloc(k * g->o.nrecords * sizeof(int64_t));
    assert_non_null(out);
    int rc = link_draw_partitions(out, &ctx, &g->o, &o);
    if (rc != RK_OK)
        fprintf(stderr, "%s\n", ctx.err.message);
    assert_int_equal(rc, RK_OK);
    rk_ctx_release(&ctx);
    return out;
}

/* Every draw honours the decisions and the unique list, and names each person by its
 * smallest record. */
static void check_draws(const int64_t *out, size_t k, size_t n, size_t copies)
{
    for (size_t d = 0; d < k; d++) {
        const int64_t *p = out + d * n;
        for (size_t i = 0; i < n; i++) {
            assert_true(p[i] <= (int64_t)i);
            assert_int_equal(p[p[i]], p[i]);
        }
        for (size_t base = 0; base < copies * N; base += N) {
            assert_int_equal(p[base + 2], p[base + 4]);
            assert_int_not_equal(p[base + 7], p[base + 8]);
            assert_int_not_equal(p[base + 0], p[base + 5]);
            assert_int_not_equal(p[base + 0], p[base + 10]);
            assert_int_not_equal(p[base + 5], p[base + 10]);
        }
    }
}

/* Frequencies of every pair together and of every number of persons, each within 4.5
 * standard errors of the oracle's probability, with the draws worth `ess` independent ones:
 * a binomial proportion over ess draws has standard error sqrt(p (1 - p) / ess), and 4.5 of
 * them leave a correct sampler a chance below 1e-5 per check of failing (the seed is fixed,
 * so the test is deterministic; the tolerance is what makes a wrong distribution fail). An
 * impossible pair (p = 0) or a certain one (p = 1) must hold in every draw. */
static void compare(const oracle * or, const int64_t *out, size_t k, double ess)
{
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            size_t together = 0;
            for (size_t d = 0; d < k; d++)
                together += out[d * N + i] == out[d * N + j];
            double p = or->same[i][j], f = (double)together / (double)k;
            double tol = 4.5 * sqrt(p * (1 - p) / ess) + 1e-12;
            if (fabs(f - p) > tol)
                fprintf(stderr, "records %d and %d: one person in %.4f of draws, exactly %.4f\n", i,
                        j, f, p);
            assert_true(fabs(f - p) <= tol);
        }
    for (int b = 1; b <= N; b++) {
        size_t hits = 0;
        for (size_t d = 0; d < k; d++) {
            int persons = 0;
            for (int i = 0; i < N; i++)
                persons += out[d * N + i] == i;
            hits += persons == b;
        }
        double p = or->persons[b], f = (double)hits / (double)k;
        double tol = 4.5 * sqrt(p * (1 - p) / ess) + 1e-12;
        if (fabs(f - p) > tol)
            fprintf(stderr, "%d persons in %.4f of draws, exactly %.4f\n", b, f, p);
        assert_true(fabs(f - p) <= tol);
    }
}

/* ---- tests ---- */

#define K 20000

/* The 11 records are 10 atoms (the match joins 2 and 4): exact_max 10 enumerates them. */
static void exact_draws_follow_the_distribution(void **state)
{
    (void)state;
    oracle or ;
    oracle_compute(& or);
    graph g;
    graph_init(&g);
    int64_t *out = draw(&g, K, 1, 10, 1);
    check_draws(out, K, N, 1);
    compare(& or, out, K, K); /* exact draws are independent */
    free(out);
}

/* The chain, forced on the same component (exact_max 0), draws the same distribution. Its
 * draws, two sweeps apart, are taken as worth a quarter as many independent ones: the
 * integrated autocorrelation time of "one person" indicators, measured on 50,000 synthetic
 * records, was at most 3.8 sweeps (docs/linkage.md, "Drawing partitions"). */
static void the_chain_agrees_with_enumeration(void **state)
{
    (void)state;
    oracle or ;
    oracle_compute(& or);
    graph g;
    graph_init(&g);
    int64_t *out = draw(&g, K, 1, 0, 2);
    check_draws(out, K, N, 1);
    compare(& or, out, K, K / 4.0);
    free(out);
}

/* Copies of the component, records of copy c offset by 11 c, and a few records alone. */
#define COPIES 60
typedef struct big {
    uint32_t list[COPIES * N + 5];
    bool unique[3];
    uint32_t a[COPIES * NPAIRS], b[COPIES * NPAIRS];
    float p[COPIES * NPAIRS];
    rk_link_label labels[COPIES * 2];
    rk_link_cluster_options o;
} big;

static void big_init(big *g)
{
    memcpy(g->unique, unique, sizeof(unique));
    for (size_t c = 0; c < COPIES; c++) {
        uint32_t off = (uint32_t)(c * N);
        for (size_t i = 0; i < N; i++)
            g->list[off + i] = list[i];
        for (size_t k = 0; k < NPAIRS; k++) {
            g->a[c * NPAIRS + k] = off + pairs[k].a;
            g->b[c * NPAIRS + k] = off + pairs[k].b;
            g->p[c * NPAIRS + k] = pairs[k].p;
        }
        for (size_t k = 0; k < 2; k++)
            g->labels[c * 2 + k] =
                (rk_link_label){off + labels[k].a, off + labels[k].b, labels[k].match};
    }
    for (size_t i = COPIES * N; i < COPIES * N + 5; i++)
        g->list[i] = 1;
    g->o = (rk_link_cluster_options)RK_LINK_CLUSTER_OPTIONS_INIT;
    g->o.nrecords = COPIES * N + 5;
    g->o.list = g->list;
    g->o.list_unique = g->unique;
    g->o.a = g->a, g->o.b = g->b, g->o.prob = g->p, g->o.npairs = COPIES * NPAIRS;
    g->o.labels = g->labels, g->o.nlabels = COPIES * 2;
}

static void the_same_seed_gives_the_same_draws_whatever_the_threads(void **state)
{
    (void)state;
    big *g = calloc(1, sizeof(*g));
    assert_non_null(g);
    big_init(g);
    graph view = {.o = g->o};
    size_t n = g->o.nrecords, k = 30;
    int saved = omp_get_max_threads();
    for (size_t exact_max = 0; exact_max <= 10; exact_max += 10) {
        omp_set_num_threads(1);
        int64_t *one = draw(&view, k, 42, exact_max, 5);
        omp_set_num_threads(4);
        int64_t *four = draw(&view, k, 42, exact_max, 5);
        int64_t *other = draw(&view, k, 43, exact_max, 5);
        check_draws(one, k, n, COPIES);
        assert_memory_equal(one, four, k * n * sizeof(int64_t));
        assert_memory_not_equal(one, other, k * n * sizeof(int64_t));
        for (size_t d = 0; d < k; d++) /* a record alone is its own person */
            for (size_t i = COPIES * N; i < n; i++)
                assert_int_equal(one[d * n + i], (int64_t)i);
        free(one);
        free(four);
        free(other);
    }
    omp_set_num_threads(saved);
    free(g);
}

/* Labels are the ids given, and the chain starts from any partition it is given, even one
 * that breaks the decisions, the unique list and the ties of stored pairs. */
static void ids_label_persons_and_any_start_will_do(void **state)
{
    (void)state;
    graph g;
    graph_init(&g);
    int64_t id[N];
    uint32_t start[N];
    for (size_t i = 0; i < N; i++)
        id[i] = 100 + 7 * (int64_t)i, start[i] = 0; /* all one person: breaks everything */
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    link_draw_options o = LINK_DRAW_OPTIONS_INIT;
    o.k = 50;
    o.exact_max = 0;
    o.id = id;
    o.start = start;
    o.burn_in = 0;
    o.thin = 1;
    int64_t out[50 * N];
    assert_int_equal(link_draw_partitions(out, &ctx, &g.o, &o), RK_OK);
    for (size_t d = 0; d < 50; d++) {
        int64_t index[N];
        for (size_t i = 0; i < N; i++) {
            assert_true(out[d * N + i] >= 100 && (out[d * N + i] - 100) % 7 == 0);
            index[i] = (out[d * N + i] - 100) / 7;
        }
        check_draws(index, 1, N, 1);
    }
    rk_ctx_release(&ctx);
}

static void bad_graphs_are_refused(void **state)
{
    (void)state;
    graph g;
    graph_init(&g);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    link_draw_options o = LINK_DRAW_OPTIONS_INIT;
    o.k = 1;
    int64_t out[N];
    rk_link_label bad = {3, N, true};
    g.o.labels = &bad;
    g.o.nlabels = 1;
    assert_int_equal(link_draw_partitions(out, &ctx, &g.o, &o), RK_EINPUT);
    g.o.nlabels = 0;
    o.exact_max = LINK_DRAW_EXACT_LIMIT + 1;
    assert_int_not_equal(link_draw_partitions(out, &ctx, &g.o, &o), RK_OK);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_draws_follow_the_distribution),
        cmocka_unit_test(the_chain_agrees_with_enumeration),
        cmocka_unit_test(the_same_seed_gives_the_same_draws_whatever_the_threads),
        cmocka_unit_test(ids_label_persons_and_any_start_will_do),
        cmocka_unit_test(bad_graphs_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
