/* Deterministic random numbers: xoshiro256** (Blackman and Vigna 2018) seeded through
 * splitmix64. Every sampler and every random choice in reckon takes an rk_rng so that a run
 * is reproducible bit for bit from its seed; parallel streams come from rk_rng_jump. */
#include "common.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rk_rng_seed(rk_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t rk_rng_next(rk_rng *r)
{
    return rk_core__rng_next(r->s);
}

double rk_rng_uniform(rk_rng *r)
{
    return (double)(rk_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rk_rng_below(rk_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    /* Rejection to avoid modulo bias. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = rk_rng_next(r);
    while (x >= limit);
    return x % n;
}

void rk_rng_jump(rk_rng *r)
{
    static const uint64_t jump[] = {0x180ec6d33cfd0abaULL, 0xd5a61266f0c9392cULL,
                                    0xa9582618e03fc9aaULL, 0x39abdc4529b1661cULL};
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t i = 0; i < RK_ARRAY_LEN(jump); i++)
        for (int b = 0; b < 64; b++) {
            if (jump[i] & (UINT64_C(1) << b)) {
                s0 ^= r->s[0];
                s1 ^= r->s[1];
                s2 ^= r->s[2];
                s3 ^= r->s[3];
            }
            rk_rng_next(r);
        }
    r->s[0] = s0;
    r->s[1] = s1;
    r->s[2] = s2;
    r->s[3] = s3;
}
