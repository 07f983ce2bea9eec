/* Fuzz harness for the parser of a replicate's draws of N (a JSON array of whole numbers): any
 * bytes either parse into draws none below the minimum, or fail with RK_EINPUT and a located
 * message; never a crash. */
#include "reckon/reckon.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    double *draws = NULL;
    size_t n = 0;
    int rc = rk_estimate_parse_draws(&draws, &n, &ctx, (const char *)data, size, 5, "fuzz.json");
    if (rc == RK_OK) {
        assert(n > 0 && draws);
        for (size_t i = 0; i < n; i++)
            assert(draws[i] >= 5);
    } else {
        assert(draws == NULL && n == 0);
        assert(rc == RK_EINPUT || rc == RK_ENOMEM);
        assert(ctx.err.message[0] != '\0' && ctx.err.line > 0);
    }
    rk_free(draws);
    rk_ctx_release(&ctx);
    return 0;
}
