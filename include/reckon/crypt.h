/* Encryption with libsodium, shared by encrypted backups (rk_store_backup) and releases: what
 * the public API needs of it, the cost of deriving a key from a passphrase. Nothing here
 * allocates. */
#ifndef RECKON_CRYPT_H
#define RECKON_CRYPT_H

#include "reckon/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How much Argon2id work a key from a passphrase costs, libsodium's three levels: the more,
 * the slower each guess of an attacker who holds the file. The level is written into the
 * file, so a file made at any level opens without saying which. */
typedef enum rk_crypt_cost {
    RK_CRYPT_COST_INTERACTIVE = 0, /* 2 passes over 64 MiB: a fraction of a second */
    RK_CRYPT_COST_MODERATE = 1,    /* 3 passes over 256 MiB: one to two seconds (the default) */
    RK_CRYPT_COST_SENSITIVE = 2    /* 4 passes over 1 GiB: several seconds */
} rk_crypt_cost;

/* The level named "interactive", "moderate" or "sensitive"; RK_EINPUT for any other name. */
int rk_crypt_cost_parse(rk_crypt_cost *out, rk_ctx *ctx, const char *name);

#ifdef __cplusplus
}
#endif

#endif
