/* The keys of a release bundle (docs/release.md): the HMAC key that turns a person's id into a
 * pseudonym and the Ed25519 key that signs the bundle's manifest, each kept in a file of its own
 * outside the bundle (created 0600 with fresh random bytes when missing, so that the next
 * release reuses it), and the keyed hash and the signature made with them. */
#include "crypt_private.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The longest key file read: a key in hex, a line end and some slack. */
#define KEY_FILE_MAX 512

/* Reads the key file at path into text (NUL-terminated, line ends dropped); *missing is set
 * when there is no file. */
static int read_key_file(char text[KEY_FILE_MAX], bool *missing, rk_ctx *ctx, const char *path)
{
    *missing = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
        *missing = true;
        return RK_OK;
    }
    if (fd < 0)
        return rk_error_set(ctx, RK_EINPUT, "%s: cannot read the key: %s", path, strerror(errno));
    struct stat sb;
    int rc = RK_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        rc = rk_error_set(ctx, RK_EINPUT, "%s: the key is not a regular file; name a key file",
                          path);
    else if (sb.st_mode & 077)
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: others may read this key (mode %03o); run chmod 600 on it", path,
                          (unsigned)(sb.st_mode & 0777));
    ssize_t n = 0;
    if (rc == RK_OK && (n = read(fd, text, KEY_FILE_MAX - 1)) < 0)
        rc = rk_error_set(ctx, RK_EINPUT, "%s: cannot read the key: %s", path, strerror(errno));
    close(fd);
    if (rc != RK_OK || n < 0)
        return rc;
    size_t len = (size_t)n < KEY_FILE_MAX ? (size_t)n : KEY_FILE_MAX - 1;
    text[len] = '\0';
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = '\0';
    return RK_OK;
}

/* Writes hex and a line end into the new file path, mode 0600, synced. */
static int write_key_file(rk_ctx *ctx, const char *path, const char *hex)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return rk_error_set(ctx, RK_EINPUT, "%s: cannot create the key: %s", path, strerror(errno));
    size_t n = strlen(hex);
    bool ok = write(fd, hex, n) == (ssize_t)n && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    int err = errno;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(path);
        return rk_error_set(ctx, RK_EIO, "%s: cannot write the key: %s", path, strerror(err));
    }
    return RK_OK;
}

/* Decodes exactly n bytes from the hex text of a key file. */
static int key_from_hex(unsigned char *out, size_t n, rk_ctx *ctx, const char *path,
                        const char *text)
{
    size_t got = 0;
    if (strlen(text) != 2 * n ||
        sodium_hex2bin(out, n, text, strlen(text), NULL, &got, NULL) != 0 || got != n)
        return rk_error_set(ctx, RK_EINPUT,
                            "%s:1:1: not a key of reckon release (%zu hex digits); name the key "
                            "file a release made, or a new path",
                            path, 2 * n);
    return RK_OK;
}

int rk_crypt__hmac_key_load(unsigned char out[RK_CRYPT__HMAC_KEY_BYTES], bool *created, rk_ctx *ctx,
                            const char *path)
{
    int rc = rk_crypt__init(ctx);
    char text[KEY_FILE_MAX];
    bool missing = false;
    rc = rc ? rc : read_key_file(text, &missing, ctx, path);
    if (rc != RK_OK)
        return rc;
    *created = missing;
    if (!missing) {
        rc = key_from_hex(out, RK_CRYPT__HMAC_KEY_BYTES, ctx, path, text);
        sodium_memzero(text, sizeof(text));
        return rc;
    }
    crypto_auth_hmacsha256_keygen(out);
    sodium_bin2hex(text, sizeof(text), out, RK_CRYPT__HMAC_KEY_BYTES);
    rc = write_key_file(ctx, path, text);
    sodium_memzero(text, sizeof(text));
    return rc;
}

int rk_crypt__sign_key_load(unsigned char out[RK_CRYPT__SIGN_SECRET_BYTES], bool *created,
                            rk_ctx *ctx, const char *path)
{
    int rc = rk_crypt__init(ctx);
    char text[KEY_FILE_MAX];
    bool missing = false;
    rc = rc ? rc : read_key_file(text, &missing, ctx, path);
    if (rc != RK_OK)
        return rc;
    *created = missing;
    if (!missing) {
        rc = key_from_hex(out, RK_CRYPT__SIGN_SECRET_BYTES, ctx, path, text);
        sodium_memzero(text, sizeof(text));
        return rc;
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_keypair(pk, out);
    sodium_bin2hex(text, sizeof(text), out, RK_CRYPT__SIGN_SECRET_BYTES);
    rc = write_key_file(ctx, path, text);
    sodium_memzero(text, sizeof(text));
    return rc;
}

void rk_crypt__sign_public(char out[2 * RK_CRYPT__SIGN_PUBLIC_BYTES + 1],
                           const unsigned char secret[RK_CRYPT__SIGN_SECRET_BYTES])
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_ed25519_sk_to_pk(pk, secret);
    sodium_bin2hex(out, 2 * RK_CRYPT__SIGN_PUBLIC_BYTES + 1, pk, sizeof(pk));
}

void rk_crypt__hmac_hex(char *out, size_t ndigits,
                        const unsigned char key[RK_CRYPT__HMAC_KEY_BYTES], const void *data,
                        size_t n)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, data, n, key);
    char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
    ndigits = RK_MIN(ndigits, 2 * (size_t)crypto_auth_hmacsha256_BYTES);
    memcpy(out, hex, ndigits);
    out[ndigits] = '\0';
}

void rk_crypt__sign_hex(char out[2 * RK_CRYPT__SIGNATURE_BYTES + 1],
                        const unsigned char secret[RK_CRYPT__SIGN_SECRET_BYTES], const void *data,
                        size_t n)
{
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, data, n, secret);
    sodium_bin2hex(out, 2 * RK_CRYPT__SIGNATURE_BYTES + 1, sig, sizeof(sig));
}

bool rk_crypt__sign_check(const char *sig_hex, const char *public_hex, const void *data, size_t n)
{
    unsigned char sig[crypto_sign_BYTES], pk[crypto_sign_PUBLICKEYBYTES];
    size_t got = 0;
    if (strlen(sig_hex) != 2 * sizeof(sig) ||
        sodium_hex2bin(sig, sizeof(sig), sig_hex, strlen(sig_hex), NULL, &got, NULL) != 0 ||
        got != sizeof(sig))
        return false;
    if (strlen(public_hex) != 2 * sizeof(pk) ||
        sodium_hex2bin(pk, sizeof(pk), public_hex, strlen(public_hex), NULL, &got, NULL) != 0 ||
        got != sizeof(pk))
        return false;
    return crypto_sign_verify_detached(sig, data, n, pk) == 0;
}

void rk_crypt__wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}
