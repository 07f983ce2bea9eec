/* libsodium's set-up and keys from passphrases: Argon2id (crypto_pwhash) at one of libsodium's
 * three cost levels, the passes and memory written into each file so that a file made at any
 * level opens. The first piece of the crypto that backups and releases share. */
#include "crypt_private.h"

#include <pthread.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = -1;

static void init_sodium(void)
{
    init_rc = sodium_init() < 0 ? -1 : 0;
}

int rk_crypt__init(rk_ctx *ctx)
{
    pthread_once(&init_once, init_sodium);
    if (init_rc != 0)
        return rk_error_set(ctx, RK_EINTERNAL, "libsodium could not start");
    return RK_OK;
}

static const struct {
    const char *name;
    rk_crypt_cost cost;
} costs[] = {
    {"interactive", RK_CRYPT_COST_INTERACTIVE},
    {"moderate", RK_CRYPT_COST_MODERATE},
    {"sensitive", RK_CRYPT_COST_SENSITIVE},
};

int rk_crypt_cost_parse(rk_crypt_cost *out, rk_ctx *ctx, const char *name)
{
    RK_ASSERT_ARG(ctx, out && name);
    for (size_t i = 0; i < RK_ARRAY_LEN(costs); i++)
        if (strcmp(costs[i].name, name) == 0) {
            *out = costs[i].cost;
            return RK_OK;
        }
    return rk_error_set(ctx, RK_EINPUT,
                        "unknown key cost '%s'; use interactive, moderate or sensitive", name);
}

void crypt_cost_limits(rk_crypt_cost cost, uint64_t *ops, uint64_t *mem)
{
    switch (cost) {
    case RK_CRYPT_COST_INTERACTIVE:
        *ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
        return;
    case RK_CRYPT_COST_SENSITIVE:
        *ops = crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE;
        *mem = crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
        return;
    case RK_CRYPT_COST_MODERATE:
        break;
    }
    *ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
    *mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
}

int crypt_derive_key(unsigned char key[CRYPT_KEY_BYTES], rk_ctx *ctx, const char *name,
                     const char *pass, size_t passlen, const unsigned char salt[CRYPT_SALT_BYTES],
                     uint64_t ops, uint64_t mem)
{
    if (passlen == 0)
        return rk_error_set(ctx, RK_EINPUT, "%s: the passphrase is empty; give a passphrase", name);
    if (crypto_pwhash(key, CRYPT_KEY_BYTES, pass, passlen, salt, ops, (size_t)mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return rk_error_set(ctx, RK_ENOMEM,
                            "%s: deriving the key needs %llu MiB of memory that could not be had",
                            name, (unsigned long long)(mem >> 20));
    return RK_OK;
}
