/* The encrypted stream of a file (crypt_internal.h): a header, then blocks of XChaCha20-Poly1305
 * secretstream, the last marked final. The writer buffers plaintext into whole blocks; the
 * reader authenticates each block before handing it on, and refuses a file that ends before the
 * final block or goes on after it. */
#include "crypt_private.h"

#include <unistd.h>

struct rk_crypt_writer {
    rk_ctx *ctx;
    int fd;
    const char *name;
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char header[CRYPT_HEADER_BYTES];
    bool first; /* the next block is the first, which takes the header as additional data */
    size_t nbuf;
    unsigned char buf[CRYPT_BLOCK];
    unsigned char out[CRYPT_BLOCK + CRYPT_ABYTES];
};

struct rk_crypt_reader {
    rk_ctx *ctx;
    int fd;
    const char *name;
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char header[CRYPT_HEADER_BYTES];
    uint32_t block;  /* plaintext bytes per block, from the header */
    int64_t index;   /* blocks read so far */
    uint64_t offset; /* where the next block starts in the file */
    bool done;
    unsigned char *in;    /* block + ABYTES */
    unsigned char *plain; /* block */
};

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static int write_all(rk_ctx *ctx, int fd, const char *name, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", name,
                                w < 0 ? strerror(errno) : "no space written");
        p += w;
        n -= (size_t)w;
    }
    return RK_OK;
}

/* Reads up to n bytes, fewer only at the end of the file; *got says how many. */
static int read_full(rk_ctx *ctx, int fd, const char *name, unsigned char *p, size_t n, size_t *got)
{
    *got = 0;
    while (*got < n) {
        ssize_t r = read(fd, p + *got, n - *got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return rk_error_set(ctx, RK_EIO, "%s: cannot read: %s", name, strerror(errno));
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return RK_OK;
}

int rk_crypt__writer_open(rk_crypt_writer **out, rk_ctx *ctx, int fd, const char *name,
                          const char magic[8], const char *pass, size_t passlen, rk_crypt_cost cost)
{
    RK_ASSERT_ARG(ctx, out && name && magic && (pass || passlen == 0));
    *out = NULL;
    unsigned char key[CRYPT_KEY_BYTES];
    int rc = rk_crypt__init(ctx);
    if (rc != RK_OK)
        return rc;
    rk_crypt_writer *w = rk_calloc(1, sizeof(*w));
    if (!w)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    w->ctx = ctx;
    w->fd = fd;
    w->name = name;
    w->first = true;
    uint64_t ops, mem;
    crypt_cost_limits(cost, &ops, &mem);
    unsigned char *h = w->header;
    memcpy(h, magic, 8);
    h[8] = CRYPT_FORMAT_VERSION;
    h[9] = CRYPT_KDF_ARGON2ID13;
    h[10] = CRYPT_CIPHER_XCHACHA20POLY1305;
    h[11] = 0;
    put_le(h + 12, CRYPT_BLOCK, 4);
    put_le(h + 16, ops, 8);
    put_le(h + 24, mem, 8);
    randombytes_buf(h + 32, CRYPT_SALT_BYTES);
    rc = crypt_derive_key(key, ctx, name, pass, passlen, h + 32, ops, mem);
    if (rc == RK_OK && crypto_secretstream_xchacha20poly1305_init_push(&w->st, h + 48, key) != 0)
        rc = rk_error_set(ctx, RK_EINTERNAL, "%s: cannot start the encrypted stream", name);
    sodium_memzero(key, sizeof(key));
    if (rc == RK_OK)
        rc = write_all(ctx, fd, name, h, CRYPT_HEADER_BYTES);
    if (rc != RK_OK) {
        rk_crypt__writer_free(w);
        return rc;
    }
    *out = w;
    return RK_OK;
}

static int push_block(rk_crypt_writer *w, unsigned char tag)
{
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(&w->st, w->out, &clen, w->buf, w->nbuf,
                                               w->first ? w->header : NULL,
                                               w->first ? CRYPT_HEADER_BYTES : 0, tag);
    w->first = false;
    w->nbuf = 0;
    return write_all(w->ctx, w->fd, w->name, w->out, (size_t)clen);
}

int rk_crypt__writer_put(rk_crypt_writer *w, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n > 0) {
        /* A full block goes out only when more follows: the last block must carry the tag. */
        if (w->nbuf == CRYPT_BLOCK) {
            int rc = push_block(w, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
            if (rc != RK_OK)
                return rc;
        }
        size_t take = RK_MIN(n, CRYPT_BLOCK - w->nbuf);
        memcpy(w->buf + w->nbuf, p, take);
        w->nbuf += take;
        p += take;
        n -= take;
    }
    return RK_OK;
}

int rk_crypt__writer_finish(rk_crypt_writer *w)
{
    return push_block(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
}

void rk_crypt__writer_free(rk_crypt_writer *w)
{
    if (!w)
        return;
    sodium_memzero(w, sizeof(*w));
    rk_free(w);
}

/* The header's settings within what this reckon writes or could sensibly read: a damaged or
 * hostile header must not ask for a terabyte of memory before its block fails. */
static int check_header(rk_crypt_reader *r, const unsigned char *h, uint64_t *ops, uint64_t *mem)
{
    if (h[8] > CRYPT_FORMAT_VERSION)
        return rk_error_set(r->ctx, RK_EVERSION,
                            "%s: made by a newer reckon (format %d; this reckon %s reads up to "
                            "%d); upgrade reckon to read it",
                            r->name, h[8], RK_VERSION, CRYPT_FORMAT_VERSION);
    uint64_t block = get_le(h + 12, 4);
    *ops = get_le(h + 16, 8);
    *mem = get_le(h + 24, 8);
    uint64_t max_ops, max_mem;
    crypt_cost_limits(RK_CRYPT_COST_SENSITIVE, &max_ops, &max_mem);
    if (h[8] != CRYPT_FORMAT_VERSION || h[9] != CRYPT_KDF_ARGON2ID13 ||
        h[10] != CRYPT_CIPHER_XCHACHA20POLY1305 || h[11] != 0 || block < 1024 ||
        block > CRYPT_BLOCK || *ops < crypto_pwhash_argon2id_OPSLIMIT_MIN || *ops > max_ops ||
        *mem < crypto_pwhash_argon2id_MEMLIMIT_MIN || *mem > max_mem)
        return rk_error_set(r->ctx, RK_EINPUT,
                            "%s: the header is damaged (its settings are out of bounds); "
                            "nothing was read",
                            r->name);
    r->block = (uint32_t)block;
    return RK_OK;
}

int rk_crypt__reader_open(rk_crypt_reader **out, rk_ctx *ctx, int fd, const char *name,
                          const char magic[8], const char *pass, size_t passlen)
{
    RK_ASSERT_ARG(ctx, out && name && magic && (pass || passlen == 0));
    *out = NULL;
    unsigned char key[CRYPT_KEY_BYTES];
    int rc = rk_crypt__init(ctx);
    if (rc != RK_OK)
        return rc;
    rk_crypt_reader *r = rk_calloc(1, sizeof(*r));
    if (!r)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    r->ctx = ctx;
    r->fd = fd;
    r->name = name;
    size_t got = 0;
    rc = read_full(ctx, fd, name, r->header, CRYPT_HEADER_BYTES, &got);
    if (rc == RK_OK && (got < 8 || memcmp(r->header, magic, 8) != 0))
        rc = rk_error_set(ctx, RK_EINPUT, "%s: not a reckon backup (it does not start with %.8s)",
                          name, magic);
    else if (rc == RK_OK && got < CRYPT_HEADER_BYTES)
        rc = rk_error_set(ctx, RK_EINPUT, "%s: the file ends inside its header: it is truncated",
                          name);
    uint64_t ops = 0, mem = 0;
    if (rc == RK_OK)
        rc = check_header(r, r->header, &ops, &mem);
    if (rc == RK_OK) {
        r->in = rk_malloc((size_t)r->block + CRYPT_ABYTES);
        r->plain = rk_malloc(r->block);
        if (!r->in || !r->plain)
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    if (rc == RK_OK)
        rc = crypt_derive_key(key, ctx, name, pass, passlen, r->header + 32, ops, mem);
    if (rc == RK_OK &&
        crypto_secretstream_xchacha20poly1305_init_pull(&r->st, r->header + 48, key) != 0)
        rc = rk_error_set(ctx, RK_EINPUT, "%s: the header is damaged; nothing was read", name);
    sodium_memzero(key, sizeof(key));
    if (rc != RK_OK) {
        rk_crypt__reader_free(r);
        return rc;
    }
    r->offset = CRYPT_HEADER_BYTES;
    *out = r;
    return RK_OK;
}

int rk_crypt__reader_next(rk_crypt_reader *r, const unsigned char **data, size_t *n, bool *done)
{
    *data = NULL;
    *n = 0;
    *done = r->done;
    if (r->done)
        return RK_OK;
    size_t want = (size_t)r->block + CRYPT_ABYTES, got = 0;
    int rc = read_full(r->ctx, r->fd, r->name, r->in, want, &got);
    if (rc != RK_OK)
        return rc;
    if (got == 0)
        return rk_error_set(r->ctx, RK_EINPUT,
                            "%s: the file ends before its final block (after block %lld): it is "
                            "truncated",
                            r->name, (long long)r->index);
    unsigned long long plen = 0;
    unsigned char tag = 0;
    bool first = r->index == 0;
    if (got < CRYPT_ABYTES || crypto_secretstream_xchacha20poly1305_pull(
                                  &r->st, r->plain, &plen, &tag, r->in, got,
                                  first ? r->header : NULL, first ? CRYPT_HEADER_BYTES : 0) != 0) {
        if (first)
            return rk_error_set(r->ctx, RK_EINPUT,
                                "%s: cannot decrypt: wrong passphrase, or the header or first "
                                "block was changed",
                                r->name);
        return rk_error_set(r->ctx, RK_EINPUT,
                            "%s: block %lld (bytes %llu to %llu) does not authenticate: the "
                            "file was changed or truncated",
                            r->name, (long long)r->index + 1, (unsigned long long)r->offset,
                            (unsigned long long)(r->offset + got - 1));
    }
    r->index++;
    r->offset += got;
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
        unsigned char extra;
        size_t more = 0;
        rc = read_full(r->ctx, r->fd, r->name, &extra, 1, &more);
        if (rc != RK_OK)
            return rc;
        if (more != 0)
            return rk_error_set(r->ctx, RK_EINPUT,
                                "%s: bytes follow the final block at byte %llu: the file was "
                                "changed",
                                r->name, (unsigned long long)r->offset);
        r->done = true;
    } else if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE || got < want) {
        return rk_error_set(r->ctx, RK_EINPUT,
                            "%s: block %lld is short or marked wrongly: the file was changed",
                            r->name, (long long)r->index);
    }
    *data = r->plain;
    *n = (size_t)plen;
    *done = r->done;
    return RK_OK;
}

void rk_crypt__reader_free(rk_crypt_reader *r)
{
    if (!r)
        return;
    if (r->plain) {
        sodium_memzero(r->plain, r->block);
        rk_free(r->plain);
    }
    rk_free(r->in);
    sodium_memzero(&r->st, sizeof(r->st));
    rk_free(r);
}
