/* The encrypted stream (src/crypt/stream.c): plaintext of every length around the block size
 * comes back whole, and a changed byte, a shortened file, a longer file or a wrong passphrase
 * is refused. */
#include "test.h"

#include "common.h"
#include "crypt/crypt_internal.h"

#include <unistd.h>

#define BLOCK 65536
static const char magic[8] = {'R', 'K', 'T', 'E', 'S', 'T', '0', '1'};

/* A temporary file holding the stream of n plaintext bytes, put in pieces of `piece` bytes. */
static int write_stream(rk_ctx *ctx, const unsigned char *plain, size_t n, size_t piece)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    int fd = dup(fileno(f));
    fclose(f);
    rk_crypt_writer *w = NULL;
    assert_int_equal(
        rk_crypt__writer_open(&w, ctx, fd, "t", magic, "pass", 4, RK_CRYPT_COST_INTERACTIVE),
        RK_OK);
    for (size_t off = 0; off < n; off += piece)
        assert_int_equal(rk_crypt__writer_put(w, plain + off, RK_MIN(piece, n - off)), RK_OK);
    assert_int_equal(rk_crypt__writer_finish(w), RK_OK);
    rk_crypt__writer_free(w);
    return fd;
}

/* Reads the stream back into got (cap bytes); returns the reader's result. */
static int read_stream(rk_ctx *ctx, int fd, const char *pass, unsigned char *got, size_t cap,
                       size_t *n)
{
    lseek(fd, 0, SEEK_SET);
    rk_crypt_reader *r = NULL;
    *n = 0;
    int rc = rk_crypt__reader_open(&r, ctx, fd, "t", magic, pass, strlen(pass));
    bool done = false;
    while (rc == RK_OK && !done) {
        const unsigned char *data;
        size_t len;
        rc = rk_crypt__reader_next(r, &data, &len, &done);
        if (rc == RK_OK) {
            assert_true(*n + len <= cap);
            memcpy(got + *n, data, len);
            *n += len;
        }
    }
    rk_crypt__reader_free(r);
    return rc;
}

static void round_trips_at_block_edges(void **state)
{
    (void)state;
    rk_ctx cx, *ctx = &cx;
    rk_ctx_init(ctx);
    size_t cap = 3 * BLOCK + 2;
    unsigned char *plain = malloc(cap), *got = malloc(cap);
    for (size_t i = 0; i < cap; i++)
        plain[i] = (unsigned char)(i * 7 + 3);
    const size_t lengths[] = {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 3 * BLOCK + 2};
    for (size_t i = 0; i < RK_ARRAY_LEN(lengths); i++) {
        size_t n = lengths[i], back = 0;
        int fd = write_stream(ctx, plain, n, 1000);
        off_t size = lseek(fd, 0, SEEK_END);
        /* the header, then one block per started block of plaintext (one empty when none) */
        size_t blocks = n == 0 ? 1 : (n + BLOCK - 1) / BLOCK;
        assert_int_equal((size_t)size, 72 + n + blocks * 17);
        assert_int_equal(read_stream(ctx, fd, "pass", got, cap, &back), RK_OK);
        assert_int_equal(back, n);
        assert_memory_equal(got, plain, n);
        close(fd);
    }
    free(plain);
    free(got);
    rk_ctx_release(ctx);
}

static void refuses_changes_truncation_and_wrong_passphrase(void **state)
{
    (void)state;
    rk_ctx cx, *ctx = &cx;
    rk_ctx_init(ctx);
    size_t n = 2 * BLOCK + 100, back = 0;
    unsigned char *plain = calloc(1, n), *got = malloc(n);
    int fd = write_stream(ctx, plain, n, n);
    off_t size = lseek(fd, 0, SEEK_END);
    assert_int_equal(read_stream(ctx, fd, "wrong", got, n, &back), RK_EINPUT);
    assert_non_null(strstr(ctx->err.message, "wrong passphrase"));
    assert_int_equal(read_stream(ctx, fd, "pass", got, n, &back), RK_OK);
    assert_int_equal(back, n);
    /* one bit flipped anywhere: the header's salt and nonce, each block, the last byte */
    const off_t offsets[] = {33, 50, 71, 72, 100, 72 + BLOCK + 17 + 5, size - 1};
    for (size_t i = 0; i < RK_ARRAY_LEN(offsets); i++) {
        unsigned char c;
        assert_int_equal(pread(fd, &c, 1, offsets[i]), 1);
        c ^= 0x10;
        assert_int_equal(pwrite(fd, &c, 1, offsets[i]), 1);
        assert_int_equal(read_stream(ctx, fd, "pass", got, n, &back), RK_EINPUT);
        c ^= 0x10;
        assert_int_equal(pwrite(fd, &c, 1, offsets[i]), 1);
    }
    assert_int_equal(read_stream(ctx, fd, "pass", got, n, &back), RK_OK);
    /* a byte more at the end */
    assert_int_equal(pwrite(fd, "x", 1, size), 1);
    assert_int_equal(read_stream(ctx, fd, "pass", got, n, &back), RK_EINPUT);
    /* shortened: inside the last block, and at the end of a whole block */
    const off_t lengths[] = {size - 1, 72 + 2 * (BLOCK + 17), 72 + BLOCK + 17, 72, 40};
    for (size_t i = 0; i < RK_ARRAY_LEN(lengths); i++) {
        assert_int_equal(ftruncate(fd, lengths[i]), 0);
        assert_int_equal(read_stream(ctx, fd, "pass", got, n, &back), RK_EINPUT);
        assert_non_null(strstr(ctx->err.message, "truncated"));
    }
    close(fd);
    free(plain);
    free(got);
    rk_ctx_release(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips_at_block_edges),
        cmocka_unit_test(refuses_changes_truncation_and_wrong_passphrase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
