/* Fuzz harness for the mapping-file parser: any bytes parse or give an input error at a line. */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_mapping_set set;
    int rc = rk_mapping_parse(&set, &ctx, "fuzz", (const char *)data, size);
    assert(rc == RK_OK || rc == RK_EINPUT);
    if (rc == RK_OK) {
        for (size_t i = 0; i < set.count; i++) {
            char *json = NULL;
            if (rk_mapping_to_json(&json, &set.lists[i]) == RK_OK)
                rk_free(json);
        }
    }
    rk_mapping_set_release(&set);
    rk_ctx_release(&ctx);
    return 0;
}
