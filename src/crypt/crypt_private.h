/* What the files of src/crypt share: the stream header's layout and the key derivation. */
#ifndef RK_CRYPT_PRIVATE_H
#define RK_CRYPT_PRIVATE_H

#include "crypt/crypt_internal.h"

#include <sodium.h>

#define CRYPT_FORMAT_VERSION           1
#define CRYPT_KDF_ARGON2ID13           1
#define CRYPT_CIPHER_XCHACHA20POLY1305 1
/* Plaintext bytes per block: 64 KiB, so a changed byte is found within its block. */
#define CRYPT_BLOCK       65536u
#define CRYPT_SALT_BYTES  16
#define CRYPT_KEY_BYTES   crypto_secretstream_xchacha20poly1305_KEYBYTES
#define CRYPT_NONCE_BYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define CRYPT_ABYTES      crypto_secretstream_xchacha20poly1305_ABYTES

/* The header, all integers little-endian:
 *   0  magic (8)          8  format version (1)   9  KDF (1)   10  cipher (1)   11  zero (1)
 *  12  block size (4)    16  Argon2id passes (8)  24  Argon2id memory in bytes (8)
 *  32  salt (16)         48  secretstream nonce header (24)                      72  end */
#define CRYPT_HEADER_BYTES 72
_Static_assert(CRYPT_SALT_BYTES == crypto_pwhash_SALTBYTES, "Argon2id's salt is 16 bytes");
_Static_assert(CRYPT_NONCE_BYTES == 24, "the header holds a 24-byte secretstream header");

/* The Argon2id passes and memory of a cost level. */
void crypt_cost_limits(rk_crypt_cost cost, uint64_t *ops, uint64_t *mem);
/* Derives the stream key from the passphrase; `name` names the file in messages. */
int crypt_derive_key(unsigned char key[CRYPT_KEY_BYTES], rk_ctx *ctx, const char *name,
                     const char *pass, size_t passlen, const unsigned char salt[CRYPT_SALT_BYTES],
                     uint64_t ops, uint64_t mem);

#endif
