/* Fuzz harness for the review app's query and form parser: any bytes must give parameters
 * within the limits (valid UTF-8, no control characters in names) or an input error, never a
 * crash or a leak. The first byte picks how the rest is split, to reach the id parser too. */
#include "serve/serve_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    serve_params p;
    char why[256];
    int rc = serve_params_parse(&p, (const char *)data, size, why, sizeof(why));
    assert(rc == RK_OK || rc == RK_EINPUT || rc == RK_ENOMEM);
    if (rc != RK_OK)
        return 0;
    assert(p.n <= SERVE_MAX_PARAMS);
    for (size_t i = 0; i < p.n; i++) {
        size_t kn = strlen(p.key[i]), vn = strlen(p.val[i]);
        assert(kn > 0 && kn <= SERVE_MAX_KEY && vn <= SERVE_MAX_VALUE);
        assert(rk_utf8_valid(p.key[i], kn, NULL) && rk_utf8_valid(p.val[i], vn, NULL));
        assert(serve_param(&p, p.key[i]) != NULL);
        int64_t id;
        if (serve_param_id(&p, p.key[i], &id))
            assert(id > 0);
    }
    serve_params_release(&p);
    return 0;
}
