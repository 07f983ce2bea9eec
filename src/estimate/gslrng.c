/* A gsl_rng type backed by reckon's xoshiro256** (rk_rng): the GSL samplers that LCMCR still
 * uses (large binomials, the Poisson of the unseen count) draw from a chain's own reproducible
 * stream, and parallel chains get independent streams by rk_rng_jump instead of by guessing
 * seeds for Mersenne Twister. */
#include "randist.h"

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

void rk__gsl_rng_wrap(gsl_rng *out, rk_rng *state)
{
    out->type = &xoshiro_type;
    out->state = state;
}
