/* Fuzz harness for the CSV reader: any bytes, read in small chunks, must give rows or an input
 * error, never a crash, a leak or an endless loop. */
#include "common.h"

typedef struct src {
    const uint8_t *p;
    size_t n, pos;
} src;

static long read_some(void *s, char *buf, size_t n)
{
    src *m = s;
    size_t k = m->n - m->pos;
    if (k > n)
        k = n;
    if (k > 13) /* odd chunk sizes cross every boundary */
        k = 13;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return (long)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    src m = {data, size, 0};
    rk_csv_options o = RK_CSV_OPTIONS_INIT;
    o.max_field = 256;
    o.max_fields = 64;
    rk_csv *r = NULL;
    if (rk_csv_open(&r, &ctx, "fuzz", read_some, &m, &o) == RK_OK) {
        int rc;
        while ((rc = rk_csv_next(r)) == 1) {
            for (size_t i = 0; i < rk_csv_nfields(r); i++) {
                size_t n;
                const char *f = rk_csv_field(r, i, &n);
                assert(strlen(f) <= n);
            }
        }
        assert(rc == 0 || rc == RK_EINPUT);
    }
    rk_csv_free(r);
    rk_ctx_release(&ctx);
    return 0;
}
