/* SHA-256 for provenance (file hashes) and the audit chain, from OpenSSL's libcrypto: a hash
 * that others must be able to recompute is no place for a home-made implementation. */
#include "common.h"

#include <openssl/evp.h>

int rk_sha256_init(rk_sha256 *h)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md)
        return RK_ENOMEM;
    if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(md);
        return RK_EINTERNAL;
    }
    h->impl = md;
    return RK_OK;
}

void rk_sha256_update(rk_sha256 *h, const void *data, size_t n)
{
    if (h->impl && n)
        EVP_DigestUpdate((EVP_MD_CTX *)h->impl, data, n);
}

void rk_sha256_final_hex(rk_sha256 *h, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    hex[0] = '\0';
    if (h->impl && EVP_DigestFinal_ex((EVP_MD_CTX *)h->impl, md, &len) == 1 && len == 32) {
        for (unsigned i = 0; i < 32; i++) {
            hex[2 * i] = digits[md[i] >> 4];
            hex[2 * i + 1] = digits[md[i] & 15];
        }
        hex[64] = '\0';
    }
    rk_sha256_release(h);
}

void rk_sha256_release(rk_sha256 *h)
{
    if (h && h->impl) {
        EVP_MD_CTX_free((EVP_MD_CTX *)h->impl);
        h->impl = NULL;
    }
}
