/* Unit tests of clustering on crafted graphs (contradictions, weak bridges, reviewers'
 * decisions, lists without duplicates) and of the evaluation measures on hand-computed cases. */
#include "test.h"

#include <math.h>

typedef struct graph {
    uint32_t a[32], b[32];
    float p[32];
    size_t n;
} graph;

static void edge(graph *g, uint32_t a, uint32_t b, double p)
{
    g->a[g->n] = a;
    g->b[g->n] = b;
    g->p[g->n] = (float)p;
    g->n++;
}

static const rk_link_cluster_options opts = RK_LINK_CLUSTER_OPTIONS_INIT;

static void cluster(const graph *g, size_t n, const uint32_t *list, const rk_link_label *lab,
                    size_t nlab, const rk_link_cluster_options *o, uint32_t **c, size_t *nc,
                    rk_link_review **rv, size_t *nrv)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_cluster_options co = *o;
    co.nrecords = n;
    co.list = list;
    co.a = g->a, co.b = g->b, co.prob = g->p, co.npairs = g->n;
    co.labels = lab, co.nlabels = nlab;
    rk_link_clusters out = {0};
    assert_int_equal(rk_link_cluster(&out, &ctx, &co), RK_OK);
    *c = out.cluster, *nc = out.nclusters;
    *rv = out.review, *nrv = out.nreview;
    rk_ctx_release(&ctx);
}

static void same_list_contradiction_splits_a_chain(void **state)
{
    (void)state;
    /* 0 and 2 are of list 0 and scored as different; 1 (list 1) matches both. */
    graph g = {0};
    edge(&g, 0, 1, 0.99);
    edge(&g, 1, 2, 0.98);
    edge(&g, 0, 2, 0.001);
    uint32_t list[3] = {0, 1, 0};
    uint32_t *c;
    size_t nc, nrv;
    rk_link_review *rv;
    cluster(&g, 3, list, NULL, 0, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 2);
    assert_int_equal(c[0], c[1]); /* the stronger link is kept */
    assert_int_not_equal(c[1], c[2]);
    assert_int_equal(nrv, 1);
    assert_int_equal(rv[0].a, 1);
    assert_int_equal(rv[0].b, 2);
    assert_int_equal(rv[0].reason, RK_REVIEW_CANNOT_LINK);
    assert_int_equal(rv[0].by_a, 0); /* the pair that blocked it */
    assert_int_equal(rv[0].by_b, 2);
    assert_true(fabs(rv[0].value - 0.001) < 1e-6);
    assert_string_equal(rk_link_review_reason_name(rv[0].reason), "cannot_link");
    rk_free(c);
    rk_free(rv);
}

/* One low pair is evidence, not a veto: B and C, scored 0.003 against each other, both match A
 * at 0.999 (copies of one original, each with its own typing errors). Joining C to {A, B}:
 * log-odds 6.9 (0.999) and -5.8 (0.003) sum above 0, so the three join and nothing is kept
 * apart. */
static void strong_pairs_outweigh_one_low_pair(void **state)
{
    (void)state;
    graph g = {0};
    edge(&g, 0, 1, 0.999);
    edge(&g, 0, 2, 0.999);
    edge(&g, 1, 2, 0.003);
    uint32_t *c;
    size_t nc, nrv;
    rk_link_review *rv;
    cluster(&g, 3, NULL, NULL, 0, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 1);
    assert_int_equal(nrv, 0);
    rk_free(c);
    rk_free(rv);
    /* Weaker support no longer outweighs it: 0.99 (log-odds 4.6) against 0.003 keeps 2 apart. */
    g.p[1] = 0.99f;
    cluster(&g, 3, NULL, NULL, 0, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 2);
    assert_int_equal(c[0], c[1]);
    assert_int_equal(nrv, 1);
    assert_int_equal(rv[0].reason, RK_REVIEW_CANNOT_LINK);
    rk_free(c);
    rk_free(rv);
}

/* The evidence the other way: 2 is tied to {0, 1} by one pair at 0.6 (log-odds 0.4) and
 * divided from it by one at 0.003 (-5.8): it stays apart, with the low pair as the reason. A
 * second low pair never lessens a veto: with 3 (0.95 to 0, 0.004 and 0.005 to 1 and 2)
 * the lowest pair is the one named. */
static void low_pair_outweighs_weak_support(void **state)
{
    (void)state;
    graph g = {0};
    edge(&g, 0, 1, 0.99);
    edge(&g, 1, 2, 0.6);
    edge(&g, 0, 2, 0.003);
    uint32_t *c;
    size_t nc, nrv;
    rk_link_review *rv;
    cluster(&g, 3, NULL, NULL, 0, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 2);
    assert_int_equal(c[0], c[1]);
    assert_int_not_equal(c[1], c[2]);
    assert_int_equal(nrv, 1);
    assert_int_equal(rv[0].a, 1);
    assert_int_equal(rv[0].b, 2);
    assert_int_equal(rv[0].reason, RK_REVIEW_CANNOT_LINK);
    assert_int_equal(rv[0].by_a, 0);
    assert_int_equal(rv[0].by_b, 2);
    assert_true(fabs(rv[0].value - 0.003) < 1e-6);
    rk_free(c);
    rk_free(rv);
    graph h = {0};
    edge(&h, 0, 1, 0.99);
    edge(&h, 0, 2, 0.99);
    edge(&h, 1, 2, 0.98);
    edge(&h, 0, 3, 0.95);
    edge(&h, 1, 3, 0.005);
    edge(&h, 2, 3, 0.004);
    cluster(&h, 4, NULL, NULL, 0, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 2);
    assert_int_not_equal(c[0], c[3]);
    assert_int_equal(nrv, 1);
    assert_int_equal(rv[0].reason, RK_REVIEW_CANNOT_LINK);
    assert_int_equal(rv[0].by_a, 2);
    assert_int_equal(rv[0].by_b, 3);
    assert_true(fabs(rv[0].value - 0.004) < 1e-6);
    rk_free(c);
    rk_free(rv);
}

/* A reviewer's non-match vetoes whatever the model says between the groups: 1 and 2 both match
 * 0 at 0.9999, and a reviewer said 1 and 2 differ. */
static void a_reviewer_non_match_outweighs_everything(void **state)
{
    (void)state;
    graph g = {0};
    edge(&g, 0, 1, 0.9999);
    edge(&g, 0, 2, 0.9999);
    edge(&g, 1, 2, 0.9999);
    rk_link_label lab[1] = {{1, 2, false}};
    uint32_t *c;
    size_t nc, nrv;
    rk_link_review *rv;
    cluster(&g, 3, NULL, lab, 1, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 2);
    assert_int_equal(c[0], c[1]);
    assert_int_not_equal(c[1], c[2]);
    assert_int_equal(nrv, 2); /* 0-2, then 1-2 */
    for (size_t k = 0; k < nrv; k++) {
        assert_int_equal(rv[k].b, 2);
        assert_int_equal(rv[k].reason, RK_REVIEW_REVIEWER);
        assert_int_equal(rv[k].by_a, 1);
        assert_int_equal(rv[k].by_b, 2);
    }
    rk_free(c);
    rk_free(rv);
}

static void weak_bridge_between_groups_is_cut(void **state)
{
    (void)state;
    graph g = {0};
    edge(&g, 0, 1, 0.99);
    edge(&g, 1, 2, 0.99);
    edge(&g, 0, 2, 0.97);
    edge(&g, 3, 4, 0.99);
    edge(&g, 4, 5, 0.98);
    edge(&g, 2, 3, 0.60); /* the bridge */
    edge(&g, 0, 3, 0.02);
    edge(&g, 1, 4, 0.05);
    uint32_t *c;
    size_t nc, nrv;
    rk_link_review *rv;
    cluster(&g, 6, NULL, NULL, 0, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 2);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[2], 0);
    assert_int_equal(c[3], 1);
    assert_int_equal(c[5], 1);
    assert_int_equal(nrv, 1);
    assert_int_equal(rv[0].reason, RK_REVIEW_WEAK_BRIDGE);
    assert_int_equal(rv[0].by_a, UINT32_MAX);
    /* (0.6 + 0.02 + 0.05 + 6 uncompared at 0.15) / 9 */
    assert_true(fabs(rv[0].value - (0.67 + 6 * 0.15) / 9) < 1e-6);
    rk_free(c);
    rk_free(rv);
    /* Well supported by its cross pairs, the same bridge stands. */
    g.p[6] = 0.7;
    g.p[7] = 0.8;
    cluster(&g, 6, NULL, NULL, 0, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 1);
    rk_free(c);
    rk_free(rv);
}

/* Two groups joined by one link and no other compared pair: the records that were never
 * compared (no block key in common) count as half the least mean, so a lone bridge between
 * groups is cut, while a lone link between two records, or onto a pair that supports it, is
 * kept. */
static void lone_bridge_between_groups_is_cut(void **state)
{
    (void)state;
    graph g = {0};
    edge(&g, 0, 1, 0.99);
    edge(&g, 2, 3, 0.99);
    edge(&g, 1, 2, 0.60); /* the only pair between {0,1} and {2,3} */
    uint32_t *c;
    size_t nc, nrv;
    rk_link_review *rv;
    cluster(&g, 4, NULL, NULL, 0, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 2);
    assert_int_equal(nrv, 1);
    assert_int_equal(rv[0].reason, RK_REVIEW_WEAK_BRIDGE);
    rk_free(c);
    rk_free(rv);
    /* Joining one record to a pair it is scored against twice stands. */
    graph h = {0};
    edge(&h, 0, 1, 0.99);
    edge(&h, 1, 2, 0.60);
    edge(&h, 0, 2, 0.40);
    cluster(&h, 3, NULL, NULL, 0, &opts, &c, &nc, &rv, &nrv);
    assert_int_equal(nc, 1);
    rk_free(c);
    rk_free(rv);
}

static void decisions_win_over_the_model(void **state)
{
    (void)state;
    graph g = {0};
    edge(&g, 0, 1, 0.999);
    edge(&g, 2, 3, 0.1);
    rk_link_label lab[2] = {{0, 1, false}, {2, 3, true}};
    uint32_t *c;
    size_t nc, nrv;
    rk_link_review *rv;
    cluster(&g, 4, NULL, lab, 2, &opts, &c, &nc, &rv, &nrv);
    assert_int_not_equal(c[0], c[1]);
    assert_int_equal(c[2], c[3]);
    assert_int_equal(nc, 3);
    assert_int_equal(nrv, 1);
    assert_int_equal(rv[0].reason, RK_REVIEW_REVIEWER);
    assert_int_equal(rv[0].by_a, 0);
    assert_int_equal(rv[0].by_b, 1);
    rk_free(c);
    rk_free(rv);
}

static void unique_lists_hold_one_record_per_cluster(void **state)
{
    (void)state;
    graph g = {0};
    edge(&g, 0, 1, 0.95);
    edge(&g, 0, 2, 0.90); /* 1 and 2 both of list 1, which has no duplicates */
    uint32_t list[3] = {0, 1, 1};
    bool unique[2] = {true, true};
    rk_link_cluster_options o = opts;
    o.list_unique = unique;
    uint32_t *c;
    size_t nc, nrv;
    rk_link_review *rv;
    cluster(&g, 3, list, NULL, 0, &o, &c, &nc, &rv, &nrv);
    assert_int_equal(c[0], c[1]);
    assert_int_not_equal(c[0], c[2]);
    assert_int_equal(nrv, 1);
    assert_int_equal(rv[0].reason, RK_REVIEW_UNIQUE_LIST);
    assert_int_equal(rv[0].by_a, 1); /* the two records of list 1 */
    assert_int_equal(rv[0].by_b, 2);
    rk_free(c);
    rk_free(rv);
}

static void evaluation_matches_hand_counts(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    uint32_t c[5] = {0, 0, 0, 1, 1};
    int64_t e[5] = {7, 7, 9, 9, 9};
    rk_link_eval ev;
    assert_int_equal(rk_link_evaluate(&ev, &ctx, c, e, 5), RK_OK);
    assert_int_equal(ev.found_pairs, 4);
    assert_int_equal(ev.true_pairs, 4);
    assert_int_equal(ev.correct_pairs, 2);
    assert_true(fabs(ev.precision - 0.5) < 1e-12);
    assert_true(fabs(ev.recall - 0.5) < 1e-12);
    assert_true(fabs(ev.f1 - 0.5) < 1e-12);
    assert_true(fabs(ev.b3_precision - 11.0 / 15.0) < 1e-12);
    assert_true(fabs(ev.b3_recall - 11.0 / 15.0) < 1e-12);
    assert_true(ev.exact_share == 0.0);
    /* Perfect clustering (ids need not agree). */
    uint32_t c2[5] = {3, 3, 8, 8, 8};
    assert_int_equal(rk_link_evaluate(&ev, &ctx, c2, e, 5), RK_OK);
    assert_true(ev.f1 == 1.0 && ev.b3_f1 == 1.0 && ev.exact_share == 1.0);
    /* All singletons: no pairs found, precision 1 by convention, recall 0. */
    uint32_t c3[5] = {0, 1, 2, 3, 4};
    assert_int_equal(rk_link_evaluate(&ev, &ctx, c3, e, 5), RK_OK);
    assert_true(ev.precision == 1.0 && ev.recall == 0.0 && ev.f1 == 0.0);
    assert_true(fabs(ev.b3_recall - (0.5 * 2 + 3 * (1.0 / 3)) / 5) < 1e-12);
    rk_ctx_release(&ctx);
}

/* Every reason has one name and one sentence; reasons past the list have none. */
static void every_reason_is_named(void **state)
{
    (void)state;
    for (int k = RK_REVIEW_UNCERTAIN; k < RK_REVIEW_REASON_COUNT; k++) {
        assert_non_null(rk_link_review_reason_name(k));
        assert_non_null(rk_link_review_reason_sentence(k));
        for (int j = RK_REVIEW_UNCERTAIN; j < k; j++)
            assert_string_not_equal(rk_link_review_reason_name(j), rk_link_review_reason_name(k));
    }
    assert_null(rk_link_review_reason_name(0));
    assert_null(rk_link_review_reason_sentence(RK_REVIEW_REASON_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_list_contradiction_splits_a_chain),
        cmocka_unit_test(strong_pairs_outweigh_one_low_pair),
        cmocka_unit_test(low_pair_outweighs_weak_support),
        cmocka_unit_test(a_reviewer_non_match_outweighs_everything),
        cmocka_unit_test(weak_bridge_between_groups_is_cut),
        cmocka_unit_test(lone_bridge_between_groups_is_cut),
        cmocka_unit_test(decisions_win_over_the_model),
        cmocka_unit_test(unique_lists_hold_one_record_per_cluster),
        cmocka_unit_test(evaluation_matches_hand_counts),
        cmocka_unit_test(every_reason_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
