/* A gsl_rng type backed by reckon's xoshiro256** (rk_rng): GSL's samplers (gamma, beta,
 * binomial, Poisson) then draw from reckon's reproducible streams, and parallel chains get
 * independent streams by rk_rng_jump instead of by guessing seeds for Mersenne Twister. */
#include "estimate_int.h"

static void xo_set(void *state, unsigned long seed)
{
    rk_rng_seed(state, (uint64_t)seed);
}

static unsigned long xo_get(void *state)
{
    return (unsigned long)(rk_rng_next(state) >> 32);
}

static double xo_get_double(void *state)
{
    return rk_rng_uniform(state);
}

static const gsl_rng_type xoshiro_type = {
    .name = "reckon-xoshiro256**",
    .max = 0xffffffffUL,
    .min = 0,
    .size = sizeof(rk_rng),
    .set = xo_set,
    .get = xo_get,
    .get_double = xo_get_double,
};

gsl_rng *rk__gsl_rng_new(const rk_rng *state)
{
    gsl_rng *r = rk_malloc(sizeof(gsl_rng));
    rk_rng *s = rk_malloc(sizeof(rk_rng));
    if (!r || !s) {
        rk_free(r);
        rk_free(s);
        return NULL;
    }
    *s = *state;
    r->type = &xoshiro_type;
    r->state = s;
    return r;
}

void rk__gsl_rng_free(gsl_rng *r)
{
    if (!r)
        return;
    rk_free(r->state);
    rk_free(r);
}
