/* Fuzz harness for the counts-file parser: any bytes either parse into a capture table whose
 * totals are consistent, or fail with RK_EINPUT and a located message; never a crash. */
#include "reckon/reckon.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_capture_table *t = NULL;
    int rc = rk_estimate_parse_counts(&t, &ctx, (const char *)data, size, "fuzz.csv");
    if (rc == RK_OK) {
        int64_t sum = 0;
        for (size_t i = 0; i < rk_capture_table_npatterns(t); i++) {
            uint64_t p;
            int64_t c;
            rk_capture_table_pattern(t, i, &p, &c);
            assert(p != 0 && c > 0);
            sum += c;
        }
        assert(sum == rk_capture_table_observed(t));
        rk_capture_table_free(t);
    } else {
        assert(t == NULL);
        assert(rc == RK_EINPUT || rc == RK_ENOMEM);
        assert(ctx.err.message[0] != '\0');
    }
    rk_ctx_release(&ctx);
    return 0;
}
