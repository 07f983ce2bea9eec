/* Unit tests of the large pool of family names (src/synth/names_pool.c): a generated name is a
 * function of its index with every spelling its culture's renderers take, generated names are
 * distinct, the pool grows with the population and its commonest name stays near
 * SYNTH_POOL_TOP people, and without the large pool people are drawn as before. */
#include "test.h"

#include "synth/synth_private.h"

static const int cultures[] = {CUL_AZ, CUL_HY, CUL_RU};

/* Whether s holds a code point in [lo, hi]. */
static bool has_range(const char *s, uint32_t lo, uint32_t hi)
{
    uint32_t cp[SYN_MAX_CP];
    size_t n = synth_decode(s, cp, SYN_MAX_CP);
    for (size_t i = 0; i < n; i++)
        if (cp[i] >= lo && cp[i] <= hi)
            return true;
    return false;
}

static void generated_names_have_every_spelling(void **state)
{
    (void)state;
    for (size_t c = 0; c < RK_ARRAY_LEN(cultures); c++) {
        int cul = cultures[c];
        const synth_table *t = synth_family_table(cul);
        synth_pool_name a, b;
        /* Below the table's size: the table's own name. */
        assert_ptr_equal(synth_family_name(&a, t, cul, 0), &t->v[0]);
        for (uint32_t j = 0; j < 500; j++) {
            const synth_name *x = synth_family_name(&a, t, cul, (uint32_t)t->n + j * 97);
            const synth_name *y = synth_family_name(&b, t, cul, (uint32_t)t->n + j * 97);
            assert_string_equal(x->a, y->a); /* a function of the index */
            if (cul == CUL_AZ) {
                assert_true(has_range(x->a, 'A', 'z'));     /* Azerbaijani Latin */
                assert_true(has_range(x->b, 0x410, 0x44F)); /* Russian */
                assert_false(has_range(x->b, 'A', 'z'));
                assert_string_equal(x->b, y->b);
            } else if (cul == CUL_HY) {
                assert_true(has_range(x->a, 0x531, 0x587));    /* Armenian */
                assert_true(has_range(x->b, 0x410, 0x44F));    /* Russian */
                assert_true(has_range(x->c, 'A', 'z'));        /* English */
                assert_false(has_range(x->c, 0x80, 0x10FFFF)); /* plain letters */
                assert_string_equal(x->b, y->b);
                assert_string_equal(x->c, y->c);
            } else {
                assert_true(has_range(x->a, 0x410, 0x44F));
                assert_false(has_range(x->a, 'A', 'z'));
                /* Its endings take the female form and the Latin renderings. */
                size_t n = strlen(x->a);
                assert_true(strcmp(x->a + n - 4, "ов") == 0 || strcmp(x->a + n - 4, "ев") == 0 ||
                            strcmp(x->a + n - 4, "ин") == 0);
            }
        }
    }
}

static void generated_given_names_have_every_spelling(void **state)
{
    (void)state;
    for (size_t c = 0; c < RK_ARRAY_LEN(cultures); c++) {
        int cul = cultures[c];
        for (int sex = 1; sex <= 2; sex++) {
            const synth_table *t = synth_given_table(cul, sex);
            synth_pool_name a, b;
            assert_ptr_equal(synth_given_name(&a, t, cul, sex, 1), &t->v[1]);
            for (uint32_t j = 0; j < 300; j++) {
                const synth_name *x = synth_given_name(&a, t, cul, sex, (uint32_t)t->n + j * 31);
                const synth_name *y = synth_given_name(&b, t, cul, sex, (uint32_t)t->n + j * 31);
                assert_string_equal(x->a, y->a);
                assert_true(*x->a != 0);
                if (cul != CUL_RU || sex == 1) /* a Russian form (ru: the patronymic) */
                    assert_true(has_range(x->b, 0x410, 0x44F));
                if (cul == CUL_HY)
                    assert_true(has_range(x->c, 'A', 'z'));
                if (cul == CUL_RU && sex == 1) {
                    size_t n = strlen(x->b);
                    assert_true(n > 8 && strcmp(x->b + n - 8, "ович") == 0);
                }
            }
        }
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void generated_names_are_distinct(void **state)
{
    (void)state;
    enum { N = 40000 };
    for (size_t c = 0; c < RK_ARRAY_LEN(cultures); c++) {
        int cul = cultures[c];
        const synth_table *t = synth_family_table(cul);
        char **v = calloc(N + t->n, sizeof(char *));
        assert_non_null(v);
        synth_pool_name buf;
        for (uint32_t i = 0; i < N + t->n; i++)
            v[i] = strdup(synth_family_name(&buf, t, cul, i)->a);
        qsort(v, N + t->n, sizeof(char *), cmp_str);
        size_t same = 0;
        for (size_t i = 1; i < N + t->n; i++)
            same += strcmp(v[i - 1], v[i]) == 0;
        /* Generated names never repeat one another; one may meet a table name (rarely). */
        if (same > 2)
            fail_msg("culture %d: %zu names repeat among the first %d", cul, same, N);
        for (size_t i = 0; i < N + t->n; i++)
            free(v[i]);
        free(v);
    }
}

/* The people of the first rank among n draws of a culture, and the largest rank drawn. */
static void draw_counts(const synth_pool_rank *k, uint64_t n, uint64_t *top, uint32_t *max)
{
    rk_rng r;
    rk_rng_seed(&r, 42);
    *top = 0, *max = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t x = synth_pool_draw(k, &r);
        assert_true(x < k->size);
        *top += x == 0;
        *max = x > *max ? x : *max;
    }
}

static void pool_grows_with_the_people(void **state)
{
    (void)state;
    const synth_scenario *sc = synth_find_scenario("caucasus");
    synth_pool small, million, ten;
    synth_pool_init(&small, sc, 20000, false);
    assert_false(small.large);
    synth_pool_init(&million, sc, 1000000, true);
    synth_pool_init(&ten, sc, 10000000, true);
    for (size_t c = 0; c < RK_ARRAY_LEN(cultures); c++) {
        int cul = cultures[c];
        assert_true(million.family[cul].size > synth_family_table(cul)->n * 10);
        assert_true(ten.family[cul].size > million.family[cul].size * 3);
        assert_true(million.given[cul].size > synth_given_table(cul, 1)->n * 5);
        assert_true(ten.given[cul].size > million.given[cul].size * 2);
    }
    /* No generated names: the tables as always. */
    assert_int_equal(ten.family[CUL_ES].size, 0);
    assert_int_equal(ten.given[CUL_ES].size, 0);
    /* The commonest name holds about SYNTH_POOL_TOP people at both sizes: the culture's
     * draws at its share of the population. */
    uint64_t top1, top10;
    uint32_t max1, max10;
    draw_counts(&million.family[CUL_AZ], 550000, &top1, &max1);
    draw_counts(&ten.family[CUL_AZ], 5500000, &top10, &max10);
    assert_true(top1 > SYNTH_POOL_TOP * 0.9 && top1 < SYNTH_POOL_TOP * 1.1);
    assert_true(top10 > SYNTH_POOL_TOP * 0.9 && top10 < SYNTH_POOL_TOP * 1.1);
    assert_true(max10 > max1); /* the tail reaches further */
}

static void without_the_large_pool_people_are_as_before(void **state)
{
    (void)state;
    const synth_scenario *sc = synth_find_scenario("caucasus");
    synth_pool tables, large;
    synth_pool_init(&tables, sc, 20000000, false);
    synth_pool_init(&large, sc, 20000000, true);
    size_t past = 0;
    for (uint64_t id = 0; id < 2000; id++) {
        synth_person a, b, c, d;
        synth_person_make(&a, sc, NULL, 7, id);
        synth_person_make(&b, sc, &tables, 7, id);
        assert_memory_equal(&a, &b, sizeof(a));
        synth_person_make(&c, sc, &large, 7, id);
        synth_person_make(&d, sc, &large, 7, id);
        assert_memory_equal(&c, &d, sizeof(c)); /* a function of (seed, id) */
        assert_true(c.family < large.family[c.culture].size);
        assert_true(c.given < large.given[c.culture].size);
        past += c.family >= synth_family_table(c.culture)->n;
        assert_int_equal(c.culture, a.culture);
    }
    assert_true(past > 1000); /* at 20M people most names are generated ones */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generated_names_have_every_spelling),
        cmocka_unit_test(generated_given_names_have_every_spelling),
        cmocka_unit_test(generated_names_are_distinct),
        cmocka_unit_test(pool_grows_with_the_people),
        cmocka_unit_test(without_the_large_pool_people_are_as_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
