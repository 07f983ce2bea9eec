/* Unit tests of rk_link_data_append (src/link/data.c), which the load uses to join the batches
 * it parses on several threads: records added one by one to one rk_link_data, and the same
 * records added to parts that are then appended in order, give the same arrays byte for byte,
 * whatever the cuts (an empty part, a part whose records have no keys in a field, one record). */
#include "test.h"

#include "link/link_private.h"

enum { F_GIVEN, F_BIRTH, F_FAMILY, F_COUNT };

static void declare(rk_link_data *d)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_link_data_init(d);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "given", RK_LINK_STRING), RK_OK);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "birth", RK_LINK_DATE), RK_OK);
    assert_int_equal(rk_link_data_add_field(NULL, &ctx, d, "family", RK_LINK_STRING), RK_OK);
    rk_ctx_release(&ctx);
}

/* Record i: 0-3 given keys (none for i from 100 to 139), a date for every third, 1 family key
 * for the even ones. */
static void add(rk_link_data *d, size_t i)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(rk_link_data_add_record(&ctx, d, (uint32_t)(i % 3), (int64_t)i * 7), RK_OK);
    size_t ngiven = i >= 100 && i < 140 ? 0 : i % 4;
    for (size_t k = 0; k < ngiven; k++) {
        char key[32];
        int n = snprintf(key, sizeof(key), "g%zu-%zu", i, k);
        assert_int_equal(rk_link_data_add_key(&ctx, d, F_GIVEN, (uint8_t)k, key, (size_t)n), RK_OK);
    }
    if (i % 3 == 0)
        assert_int_equal(
            rk_link_data_set_date(&ctx, d, F_BIRTH, rk_link_date_ymd(1900 + (int)(i % 100), 0, 0)),
            RK_OK);
    if (i % 2 == 0) {
        char key[32];
        int n = snprintf(key, sizeof(key), "family %zu", i / 2);
        assert_int_equal(rk_link_data_add_key(&ctx, d, F_FAMILY, 9, key, (size_t)n), RK_OK);
    }
    rk_ctx_release(&ctx);
}

static void assert_same(const rk_link_data *a, const rk_link_data *b)
{
    assert_int_equal(a->nrecords, b->nrecords);
    assert_int_equal(a->nlists, b->nlists);
    assert_int_equal(a->nfields, b->nfields);
    size_t n = a->nrecords;
    assert_memory_equal(a->list, b->list, n * sizeof(uint32_t));
    assert_memory_equal(a->entity, b->entity, n * sizeof(int64_t));
    for (size_t f = 0; f < a->nfields; f++) {
        const rk_link_column *x = &a->fields[f], *y = &b->fields[f];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->type, y->type);
        if (x->type == RK_LINK_DATE) {
            assert_memory_equal(x->dates, y->dates, n * sizeof(rk_link_date));
            continue;
        }
        assert_int_equal(x->nkeys, y->nkeys);
        assert_memory_equal(x->key_start, y->key_start, (n + 1) * sizeof(uint32_t));
        assert_memory_equal(x->key_text, y->key_text, x->nkeys * sizeof(uint32_t));
        assert_memory_equal(x->key_tag, y->key_tag, x->nkeys);
        assert_int_equal(x->text.len, y->text.len);
        assert_memory_equal(x->text.data, y->text.data, x->text.len);
    }
}

/* Records 0..n-1 added one by one, against the same in parts cut at cuts[0..ncuts). */
static void check_cuts(size_t n, const size_t *cuts, size_t ncuts)
{
    rk_link_data whole, joined;
    declare(&whole);
    for (size_t i = 0; i < n; i++)
        add(&whole, i);
    declare(&joined);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    size_t from = 0;
    for (size_t c = 0; c <= ncuts; c++) {
        size_t to = c < ncuts ? cuts[c] : n;
        rk_link_data part;
        rk_link_data_init(&part);
        assert_int_equal(rk_link_data_declare_like(&ctx, &part, &joined), RK_OK);
        for (size_t i = from; i < to; i++)
            add(&part, i);
        assert_int_equal(rk_link_data_append(&ctx, &joined, &part), RK_OK);
        rk_link_data_release(&part);
        from = to;
    }
    assert_same(&whole, &joined);
    /* a key of the last record reads back through the joined offsets */
    const rk_link_column *family = &joined.fields[F_FAMILY];
    uint32_t last = family->key_start[n] - 1;
    char want[32];
    snprintf(want, sizeof(want), "family %zu", (n - 1) / 2 * 2 / 2);
    assert_string_equal(family->text.data + family->key_text[last], want);
    rk_ctx_release(&ctx);
    rk_link_data_release(&whole);
    rk_link_data_release(&joined);
}

static void parts_appended_make_the_whole(void **state)
{
    (void)state;
    static const size_t several[] = {1, 2, 50, 100, 140, 141, 299};
    check_cuts(300, several, RK_ARRAY_LEN(several));
    static const size_t empty_first[] = {0, 0, 150};
    check_cuts(300, empty_first, RK_ARRAY_LEN(empty_first));
    check_cuts(300, NULL, 0);
}

/* A part of records without a key in a field (its key arrays never allocated). */
static void a_part_without_keys_in_a_field(void **state)
{
    (void)state;
    static const size_t keyless[] = {100, 140};
    check_cuts(301, keyless, RK_ARRAY_LEN(keyless));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parts_appended_make_the_whole),
        cmocka_unit_test(a_part_without_keys_in_a_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
