/* The private tier of core (rk_core__*): the one UTF-8 decoder and the one xoshiro256** step,
 * inline because the text, report and estimate modules call them in their hottest loops.
 * Included by common.h, so every file of libreckon and the CLI has them; never public. */
#ifndef RK_CORE_INTERNAL_H
#define RK_CORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The rules of UTF-8 (RFC 3629) for a character's first byte `c`: the number of continuation
 * bytes after it (0 for ASCII, -1 when no character starts with `c`), and in *lo, *hi the range
 * of the first continuation byte (the others are 80..BF). The narrow ranges after E0, ED, F0
 * and F4 are what refuse overlong forms, surrogates and code points past U+10FFFF. */
static inline int rk_core__utf8_lead(unsigned c, unsigned *lo, unsigned *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c < 0x80)
        return 0;
    if (c < 0xC2)
        return -1; /* a continuation byte, or C0/C1 (overlong two-byte forms) */
    if (c < 0xE0)
        return 1;
    if (c < 0xF0) {
        if (c == 0xE0)
            *lo = 0xA0; /* E0 80..9F would be overlong */
        else if (c == 0xED)
            *hi = 0x9F; /* ED A0..BF would be a surrogate */
        return 2;
    }
    if (c < 0xF5) {
        if (c == 0xF0)
            *lo = 0x90; /* F0 80..8F would be overlong */
        else if (c == 0xF4)
            *hi = 0x8F; /* F4 90.. would be past U+10FFFF */
        return 3;
    }
    return -1;
}

/* Decodes the character at s (n >= 1 bytes available): its length in bytes (1 to 4) with the
 * code point in *cp, or 0 when the bytes there are not one whole valid character. */
static inline size_t rk_core__utf8_decode(const void *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = s;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    unsigned lo, hi;
    int need = rk_core__utf8_lead(p[0], &lo, &hi);
    if (need < 0 || (size_t)need >= n || p[1] < lo || p[1] > hi)
        return 0;
    uint32_t v = p[0] & (0x3Fu >> need);
    for (int k = 1; k <= need; k++) {
        if (k > 1 && (p[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[k] & 0x3Fu);
    }
    *cp = v;
    return (size_t)need + 1;
}

/* True for a UTF-8 continuation byte (10xxxxxx): one that does not start a character. */
static inline bool rk_core__utf8_is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* The longest prefix of s (n bytes) of at most `max` bytes that does not cut a character. */
static inline size_t rk_core__utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t k = max;
    while (k > 0 && rk_core__utf8_is_cont((unsigned char)s[k]))
        k--;
    return k;
}

/* Encodes code point cp (at most U+10FFFF) into out: the number of bytes written (1 to 4). */
static inline size_t rk_core__utf8_encode(char out[4], uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One step of xoshiro256** (Blackman and Vigna 2018) on the state s[4]: rk_rng_next, and the
 * estimate's samplers, which draw straight from a chain's state. */
static inline uint64_t rk_core__rng_next(uint64_t s[4])
{
    uint64_t x = s[1] * 5, t = s[1] << 17;
    uint64_t result = ((x << 7) | (x >> 57)) * 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

#endif
