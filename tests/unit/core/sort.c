/* rk_sort_by_u64: the order of qsort by (key, original place), for keys that differ in any
 * byte, share bytes, or are all alike; the same with one, two or three threads (each moves a
 * chunk) and when called by a thread of a parallel region. */
#include "test.h"

#include "common.h"

#include <omp.h>

typedef struct item {
    uint64_t key;
    uint32_t place; /* where it was before the sort */
    uint32_t pad;
} item;

static int by_key_then_place(const void *x, const void *y)
{
    const item *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->place > b->place) - (a->place < b->place);
}

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

/* n items whose keys are drawn by `draw` (0: any 64 bits; 1: few distinct keys, so that ties
 * are many; 2: one key; 3: keys that differ in the top byte alone). */
static void sorts_as_qsort(size_t n, int draw)
{
    item *v = malloc((n + 1) * sizeof(item)), *w = malloc((n + 1) * sizeof(item));
    assert_non_null(v);
    assert_non_null(w);
    uint64_t s = 0x9e3779b97f4a7c15ULL + n + (uint64_t)draw;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next(&s);
        uint64_t k = draw == 0   ? r
                     : draw == 1 ? r % 7 * 0x0101010101010101ULL
                     : draw == 2 ? 42
                                 : r << 56;
        v[i] = w[i] = (item){k, (uint32_t)i, 0};
    }
    assert_true(rk_sort_by_u64(v, n, sizeof(item)));
    qsort(w, n, sizeof(item), by_key_then_place);
    for (size_t i = 0; i < n; i++) {
        assert_true(v[i].key == w[i].key);
        assert_int_equal(v[i].place, w[i].place);
    }
    free(v);
    free(w);
}

static void sorts_by_key_keeping_ties_in_order(void **state)
{
    (void)state;
    const size_t sizes[] = {0, 1, 2, 3, 255, 256, 1000, 100000};
    for (size_t i = 0; i < RK_ARRAY_LEN(sizes); i++)
        for (int draw = 0; draw < 4; draw++)
            sorts_as_qsort(sizes[i], draw);
}

static void any_number_of_threads_sorts_alike(void **state)
{
    (void)state;
    /* Past 65,536 records the sort splits them among the threads; 200,001 splits unevenly. */
    const size_t sizes[] = {65535, 65536, 200001};
    int was = omp_get_max_threads();
    for (int threads = 1; threads <= 3; threads++) {
        omp_set_num_threads(threads);
        for (size_t i = 0; i < RK_ARRAY_LEN(sizes); i++)
            for (int draw = 0; draw < 4; draw++)
                sorts_as_qsort(sizes[i], draw);
    }
    omp_set_num_threads(2);
    int failed = 0;
#pragma omp parallel for reduction(+ : failed)
    for (int draw = 0; draw < 4; draw++) { /* each thread sorts alone, within the region */
        item *v = malloc(100000 * sizeof(item));
        uint64_t s = 7 + (uint64_t)draw;
        for (uint32_t i = 0; i < 100000; i++)
            v[i] = (item){draw == 2 ? 42 : next(&s) % 1000, i, 0};
        failed += !rk_sort_by_u64(v, 100000, sizeof(item));
        for (uint32_t i = 1; i < 100000; i++)
            failed += v[i - 1].key > v[i].key ||
                      (v[i - 1].key == v[i].key && v[i - 1].place > v[i].place);
        free(v);
    }
    omp_set_num_threads(was);
    assert_int_equal(failed, 0);
}

static void wide_records_move_whole(void **state)
{
    (void)state;
    uint64_t v[3][3] = {{9, 1, 2}, {3, 4, 5}, {9, 6, 7}};
    assert_true(rk_sort_by_u64(v, 3, sizeof(v[0])));
    const uint64_t want[3][3] = {{3, 4, 5}, {9, 1, 2}, {9, 6, 7}};
    assert_memory_equal(v, want, sizeof(v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorts_by_key_keeping_ties_in_order),
        cmocka_unit_test(any_number_of_threads_sorts_alike),
        cmocka_unit_test(wide_records_move_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
