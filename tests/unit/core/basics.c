/* Unit tests of src/core: buffers, JSON strings, number parsing, UTF-8, SHA-256, RNG. */
#include "test.h"

static void buf_appends_and_formats(void **state)
{
    (void)state;
    rk_buf b;
    rk_buf_init(&b);
    assert_string_equal(rk_buf_cstr(&b), "");
    assert_int_equal(rk_buf_puts(&b, "abc"), RK_OK);
    assert_int_equal(rk_buf_printf(&b, "-%d-%s", 42, "x"), RK_OK);
    assert_string_equal(rk_buf_cstr(&b), "abc-42-x");
    char big[1000];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(rk_buf_printf(&b, "%s", big), RK_OK);
    assert_int_equal(b.len, 8 + 999);
    rk_buf_release(&b);
}

static void json_string_escapes_controls_and_quotes(void **state)
{
    (void)state;
    rk_buf b;
    rk_buf_init(&b);
    const char in[] = "a\"b\\c\n\x01\xd0\x9c";
    assert_int_equal(rk_buf_json_string(&b, in, sizeof(in) - 1), RK_OK);
    assert_string_equal(rk_buf_cstr(&b), "\"a\\\"b\\\\c\\n\\u0001\xd0\x9c\"");
    rk_buf_release(&b);
}

static void parse_i64_is_strict(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(rk_parse_i64(&v, "123"), RK_OK);
    assert_int_equal(v, 123);
    assert_int_equal(rk_parse_i64(&v, "-9223372036854775808"), RK_OK);
    assert_int_equal(rk_parse_i64(&v, "9223372036854775808"), RK_EINPUT);
    assert_int_equal(rk_parse_i64(&v, "12a"), RK_EINPUT);
    assert_int_equal(rk_parse_i64(&v, ""), RK_EINPUT);
    assert_int_equal(rk_parse_i64(&v, " 1"), RK_EINPUT);
    double d;
    assert_int_equal(rk_parse_double(&d, "0.25"), RK_OK);
    assert_true(d == 0.25);
    assert_int_equal(rk_parse_double(&d, "nan"), RK_EINPUT);
    assert_int_equal(rk_parse_double(&d, "1e999"), RK_EINPUT);
}

static void utf8_validation_finds_first_bad_byte(void **state)
{
    (void)state;
    size_t off = 0;
    assert_true(rk_utf8_valid("M\xc9\x99mm\xc9\x99"
                              "dov",
                              9, &off));
    assert_false(rk_utf8_valid("ab\xff"
                               "cd",
                               5, &off));
    assert_int_equal(off, 2);
    assert_false(rk_utf8_valid("ab\xc0\xaf", 4, &off)); /* overlong */
    assert_int_equal(off, 2);
    assert_false(rk_utf8_valid("\xed\xa0\x80", 3, &off)); /* surrogate */
    assert_false(rk_utf8_valid("x\xe2\x82", 3, &off));    /* truncated */
    assert_int_equal(off, 1);
}

static void sha256_matches_known_vector(void **state)
{
    (void)state;
    char hex[65];
    rk_sha256 h;
    assert_int_equal(rk_sha256_init(&h), RK_OK);
    rk_sha256_update(&h, "abc", 3);
    rk_sha256_final_hex(&h, hex);
    rk_sha256_release(&h);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void rng_is_deterministic_and_uniform(void **state)
{
    (void)state;
    rk_rng a, b;
    rk_rng_seed(&a, 7);
    rk_rng_seed(&b, 7);
    for (int i = 0; i < 100; i++)
        assert_true(rk_rng_next(&a) == rk_rng_next(&b));
    rk_rng_jump(&b);
    assert_true(rk_rng_next(&a) != rk_rng_next(&b));
    double sum = 0;
    int counts[10] = {0};
    for (int i = 0; i < 100000; i++) {
        double u = rk_rng_uniform(&a);
        assert_true(u >= 0 && u < 1);
        sum += u;
        counts[rk_rng_below(&a, 10)]++;
    }
    /* Mean of 1e5 uniforms: sd 0.29/sqrt(1e5) = 0.0009; 5 sd. */
    assert_true(sum / 100000 > 0.4955 && sum / 100000 < 0.5045);
    for (int i = 0; i < 10; i++) /* binomial(1e5, 0.1): sd ~95; 6 sd */
        assert_true(counts[i] > 9430 && counts[i] < 10570);
}

static void fault_injection_fails_the_nth_allocation(void **state)
{
    (void)state;
    rk_fault_arm(RK_FAULT_ALLOC, 3);
    void *a = rk_malloc(8), *b = rk_malloc(8), *c = rk_malloc(8), *d = rk_malloc(8);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_non_null(d);
    rk_fault_arm(RK_FAULT_ALLOC, 0);
    rk_free(a);
    rk_free(b);
    rk_free(d);
}

static void error_format_has_location(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    int rc =
        rk_error_set_at(&ctx, RK_EINPUT, "v.csv", 812, 4, "date '%s' does not exist", "31.02.1992");
    assert_int_equal(rc, RK_EINPUT);
    char msg[256];
    rk_error_format(msg, sizeof(msg), &ctx);
    assert_string_equal(msg, "v.csv:812:4: date '31.02.1992' does not exist");
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_appends_and_formats),
        cmocka_unit_test(json_string_escapes_controls_and_quotes),
        cmocka_unit_test(parse_i64_is_strict),
        cmocka_unit_test(utf8_validation_finds_first_bad_byte),
        cmocka_unit_test(sha256_matches_known_vector),
        cmocka_unit_test(rng_is_deterministic_and_uniform),
        cmocka_unit_test(fault_injection_fails_the_nth_allocation),
        cmocka_unit_test(error_format_has_location),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
