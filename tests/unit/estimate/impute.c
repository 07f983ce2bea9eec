/* Imputing the stratum values persons lack (estimate_impute): on a simulated population whose
 * truth is known, the values drawn for persons whom only a list without the field names
 * follow the true shares among them, not the shares among the persons with a value. */
#include "helpers.h"

#include "estimate/tabulate_private.h"

/* A population of two regions, A and B, and three lists: lists 0 and 1 record the region,
 * list 2 does not. Capture probabilities by region (A, B). */
#define POP_A 3000
#define POP_B 1000
static const double capture[3][2] = {{0.5, 0.2}, {0.4, 0.4}, {0.3, 0.6}};

typedef struct sim {
    units u;
    tabulation t;
    int32_t *truth; /* per person: 0 (A) or 1 (B) */
} sim;

static void simulate(sim *s, uint64_t seed)
{
    memset(s, 0, sizeof(*s));
    rk_rng rng;
    rk_rng_seed(&rng, seed);
    s->u.nby = 1;
    snprintf(s->u.by[0], sizeof(s->u.by[0]), "region");
    s->u.nlists = 3;
    static char *names[] = {"a", "b", "c"};
    static char *values[] = {"A", "B"};
    for (size_t l = 0; l < 3; l++)
        s->u.list_names[l] = names[l];
    s->u.values[0] = values;
    s->u.nvalues[0] = 2;
    tabulation *t = &s->t;
    t->u = &s->u;
    t->nby = 1;
    t->nlists = 3;
    t->list_names = s->u.list_names;
    size_t cap = POP_A + POP_B;
    t->mask = calloc(cap, sizeof(uint64_t));
    t->value = calloc(cap, sizeof(int32_t));
    t->lacked = calloc(cap, 1);
    s->truth = calloc(cap, sizeof(int32_t));
    assert_non_null(t->mask);
    for (size_t i = 0; i < cap; i++) {
        int r = i < POP_A ? 0 : 1;
        uint64_t mask = 0;
        for (size_t l = 0; l < 3; l++)
            if (rk_rng_uniform(&rng) < capture[l][r])
                mask |= UINT64_C(1) << l;
        if (!mask)
            continue;
        size_t p = t->npersons++;
        t->mask[p] = mask;
        s->truth[p] = r;
        bool known = (mask & 3) != 0; /* a list recording the region names the person */
        t->value[p] = known ? r : -1;
        t->lacked[p] = !known;
        t->without[0] += !known;
    }
}

static void release(sim *s)
{
    free(s->t.mask);
    free(s->t.value);
    free(s->t.lacked);
    free(s->truth);
}

/* Over 20 imputations, the share of B among the persons only list c names is the truth's
 * (about 0.52 in expectation: 288 of 558), where the persons with a region are 0.23 B: a
 * model that ignored the capture pattern would put 0.23 there. The tolerance: each imputation
 * of ~560 persons has a binomial sd of about 0.02, and the bootstrap adds the sd of the
 * fitted share (about 0.04 on this size); the mean of 20 stays within 0.05 of the truth by
 * far more than 3 sd. */
static void imputed_values_follow_the_capture_pattern(void **state)
{
    (void)state;
    sim s;
    simulate(&s, 7);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    int64_t missing = 0, truly_b = 0, known = 0, known_b = 0;
    for (size_t p = 0; p < s.t.npersons; p++) {
        if (s.t.value[p] < 0) {
            missing++;
            truly_b += s.truth[p];
        } else {
            known++;
            known_b += s.truth[p];
        }
    }
    double truth = (double)truly_b / (double)missing;
    assert_true((double)known_b / (double)known < 0.3);
    int32_t *orig = malloc(s.t.npersons * sizeof(int32_t));
    memcpy(orig, s.t.value, s.t.npersons * sizeof(int32_t));
    double mean = 0;
    for (uint64_t rep = 0; rep < 20; rep++) {
        memcpy(s.t.value, orig, s.t.npersons * sizeof(int32_t));
        s.t.imputed[0] = 0;
        assert_int_equal(estimate_impute(&s.t, &ctx, 100 + rep), RK_OK);
        assert_int_equal(s.t.imputed[0], missing);
        int64_t b = 0;
        for (size_t p = 0; p < s.t.npersons; p++) {
            assert_true(s.t.value[p] == 0 || s.t.value[p] == 1);
            if (orig[p] < 0)
                b += s.t.value[p];
            else
                assert_int_equal(s.t.value[p], orig[p]); /* known values stay */
        }
        mean += (double)b / (double)missing / 20;
    }
    if (fabs(mean - truth) > 0.05)
        fprintf(stderr, "imputed share of B %.3f, truth %.3f\n", mean, truth);
    assert_true(fabs(mean - truth) < 0.05);
    /* the same seed draws the same values */
    memcpy(s.t.value, orig, s.t.npersons * sizeof(int32_t));
    assert_int_equal(estimate_impute(&s.t, &ctx, 5), RK_OK);
    int32_t *first = malloc(s.t.npersons * sizeof(int32_t));
    memcpy(first, s.t.value, s.t.npersons * sizeof(int32_t));
    memcpy(s.t.value, orig, s.t.npersons * sizeof(int32_t));
    assert_int_equal(estimate_impute(&s.t, &ctx, 5), RK_OK);
    assert_memory_equal(first, s.t.value, s.t.npersons * sizeof(int32_t));
    free(first);
    free(orig);
    rk_ctx_release(&ctx);
    release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(imputed_values_follow_the_capture_pattern),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
