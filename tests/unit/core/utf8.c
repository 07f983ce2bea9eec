/* Unit tests of the one UTF-8 decoder (rk_core__utf8_decode) against the definition of UTF-8
 * written the slow way, over every sequence of one to three bytes and the four-byte ones
 * around each boundary; and of the encoder, the cut and the xoshiro256** step. */
#include "test.h"

#include "core_internal.h"

/* UTF-8 by the book: the bit patterns, then the shortest form of a scalar value. */
static size_t reference_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t v;
    if (s[0] < 0x80)
        len = 1, v = s[0];
    else if ((s[0] & 0xE0) == 0xC0)
        len = 2, v = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        len = 3, v = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        len = 4, v = s[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static void agree(const unsigned char *s, size_t n)
{
    uint32_t a = 0xFFFFFFFF, b = 0xFFFFFFFF;
    size_t la = rk_core__utf8_decode(s, n, &a), lb = reference_decode(s, n, &b);
    if (la != lb || (la && a != b))
        fail_msg("%02x %02x %02x %02x (%zu bytes): decoder %zu U+%04X, reference %zu U+%04X", s[0],
                 n > 1 ? s[1] : 0, n > 2 ? s[2] : 0, n > 3 ? s[3] : 0, n, la, (unsigned)a, lb,
                 (unsigned)b);
}

static void decoder_agrees_with_the_definition(void **state)
{
    (void)state;
    unsigned char s[4];
    for (unsigned x = 0; x < 0x1000000; x++) {
        s[0] = (unsigned char)(x >> 16), s[1] = (unsigned char)(x >> 8), s[2] = (unsigned char)x;
        for (size_t n = 1; n <= 3; n++)
            if (n == 3 || (x & ((1u << (8 * (3 - n))) - 1)) == 0)
                agree(s, n);
    }
    static const unsigned char edge[] = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xFF};
    for (unsigned lead = 0xF0; lead <= 0xFF; lead++)
        for (size_t a = 0; a < sizeof(edge); a++)
            for (size_t b = 0; b < sizeof(edge); b++)
                for (size_t c = 0; c < sizeof(edge); c++) {
                    unsigned char t[4] = {(unsigned char)lead, edge[a], edge[b], edge[c]};
                    agree(t, 4);
                }
}

static void encoder_round_trips_every_scalar_value(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp == 0xD800)
            cp = 0xE000;
        char b[4];
        uint32_t back = 0;
        size_t n = rk_core__utf8_encode(b, cp);
        assert_int_equal(rk_core__utf8_decode(b, n, &back), n);
        assert_int_equal(back, cp);
    }
}

static void cut_never_splits_a_character(void **state)
{
    (void)state;
    const char *s = "M\xc9\x99mm\xc9\x99"
                    "dov"; /* Məmmədov */
    assert_int_equal(rk_core__utf8_cut(s, strlen(s), 100), strlen(s));
    assert_int_equal(rk_core__utf8_cut(s, strlen(s), 2), 1); /* not inside ə */
    assert_int_equal(rk_core__utf8_cut(s, strlen(s), 3), 3);
    assert_int_equal(rk_core__utf8_cut(s, strlen(s), 0), 0);
}

static void rng_step_is_xoshiro256starstar(void **state)
{
    (void)state;
    /* The reference implementation's first outputs from the state {1, 2, 3, 4}. */
    uint64_t s[4] = {1, 2, 3, 4};
    assert_true(rk_core__rng_next(s) == 11520);
    assert_true(rk_core__rng_next(s) == 0);
    assert_true(rk_core__rng_next(s) == 1509978240);
    assert_true(rk_core__rng_next(s) == 1215971899390074240ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decoder_agrees_with_the_definition),
        cmocka_unit_test(encoder_round_trips_every_scalar_value),
        cmocka_unit_test(cut_never_splits_a_character),
        cmocka_unit_test(rng_step_is_xoshiro256starstar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
