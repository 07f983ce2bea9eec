/* crypt's private tier: libsodium set up once, keys derived from passphrases with Argon2id, and
 * the encrypted stream of reckon's backups (XChaCha20-Poly1305 secretstream in fixed blocks
 * behind a small versioned header). Later modules (store's backups, the release bundle) use it;
 * the public API does not. Names are rk_crypt__<verb>. */
#ifndef RK_CRYPT_INTERNAL_H
#define RK_CRYPT_INTERNAL_H

#include "common.h"

/* libsodium's one-time set-up (thread-safe, idempotent). RK_EINTERNAL when it cannot start. */
int rk_crypt__init(rk_ctx *ctx);

/* The encrypted stream in a file (stream.c): an 8-byte magic naming what the stream holds, then
 * the header (format version, algorithms, block size, Argon2id's limits and salt, the stream's
 * nonce), then blocks of exactly the block size of plaintext each, the last one (possibly
 * empty) marked final. The header is the additional data of the first block, so a changed
 * header fails like a changed block; a stream without its final block is refused. */
typedef struct rk_crypt_writer rk_crypt_writer;
typedef struct rk_crypt_reader rk_crypt_reader;

/* Derives the key from the passphrase (a fresh random salt) and writes the header to fd.
 * `name` names the file in messages. The writer does not close fd. */
int rk_crypt__writer_open(rk_crypt_writer **out, rk_ctx *ctx, int fd, const char *name,
                          const char magic[8], const char *pass, size_t passlen,
                          rk_crypt_cost cost);
/* Encrypts n more bytes of the plaintext (buffered into whole blocks). */
int rk_crypt__writer_put(rk_crypt_writer *w, const void *data, size_t n);
/* Writes the final block; the stream is complete once this returns RK_OK. */
int rk_crypt__writer_finish(rk_crypt_writer *w);
/* Wipes the key and frees the writer; accepts NULL. */
void rk_crypt__writer_free(rk_crypt_writer *w);

/* Reads and checks the header from fd (RK_EINPUT when it is not such a stream or its settings
 * are out of bounds, RK_EVERSION when newer) and derives the key. */
int rk_crypt__reader_open(rk_crypt_reader **out, rk_ctx *ctx, int fd, const char *name,
                          const char magic[8], const char *pass, size_t passlen);
/* The next block's plaintext in *data (valid until the next call) and *n bytes; *done is set
 * after the final block, which is checked to end the file. A block that does not authenticate
 * (a wrong passphrase, a changed byte) or a file that ends before the final block is RK_EINPUT
 * with a one-line message. */
int rk_crypt__reader_next(rk_crypt_reader *r, const unsigned char **data, size_t *n, bool *done);
/* Wipes the key and the plaintext buffer and frees the reader; accepts NULL. */
void rk_crypt__reader_free(rk_crypt_reader *r);

/* The keys of a release bundle (keys.c), each in a file of its own holding it in hex: loaded, or
 * when the file does not exist made from fresh random bytes and written there (mode 0600, new:
 * never over another file), *created then set. A key file others may read, or that holds
 * anything but a key of the right length, is RK_EINPUT. */
#define RK_CRYPT__HMAC_KEY_BYTES    32
#define RK_CRYPT__SIGN_SECRET_BYTES 64
#define RK_CRYPT__SIGN_PUBLIC_BYTES 32
#define RK_CRYPT__SIGNATURE_BYTES   64
int rk_crypt__hmac_key_load(unsigned char out[RK_CRYPT__HMAC_KEY_BYTES], bool *created, rk_ctx *ctx,
                            const char *path);
int rk_crypt__sign_key_load(unsigned char out[RK_CRYPT__SIGN_SECRET_BYTES], bool *created,
                            rk_ctx *ctx, const char *path);
/* The Ed25519 public key of a secret key, in hex. */
void rk_crypt__sign_public(char out[2 * RK_CRYPT__SIGN_PUBLIC_BYTES + 1],
                           const unsigned char secret[RK_CRYPT__SIGN_SECRET_BYTES]);
/* The first ndigits (at most 64) hex digits of HMAC-SHA-256 of data under key, NUL-terminated. */
void rk_crypt__hmac_hex(char *out, size_t ndigits,
                        const unsigned char key[RK_CRYPT__HMAC_KEY_BYTES], const void *data,
                        size_t n);
/* The Ed25519 detached signature of data, in hex. */
void rk_crypt__sign_hex(char out[2 * RK_CRYPT__SIGNATURE_BYTES + 1],
                        const unsigned char secret[RK_CRYPT__SIGN_SECRET_BYTES], const void *data,
                        size_t n);
/* Whether sig_hex is a valid signature of data by public_hex (both hex; false when malformed). */
bool rk_crypt__sign_check(const char *sig_hex, const char *public_hex, const void *data, size_t n);
/* Wipes n bytes of a key (what the compiler cannot leave out). */
void rk_crypt__wipe(void *p, size_t n);

#endif
