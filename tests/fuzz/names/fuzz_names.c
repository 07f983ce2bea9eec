/* Fuzz harness for the name standardizer: arbitrary bytes as a full name (in every language
 * setting), as name parts, as a sex field and as a place; checks that nothing crashes, that
 * token offsets stay inside the input and that the output JSON is well-formed enough to end
 * with a brace. */
#include "common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { RESTART_ENTRIES = 50000 };

static rk_ctx ctx;
static rk_text *t;

/* The shared standardizer, made again when its cache is full; NULL if it cannot be made. */
static rk_text *standardizer(void)
{
    if (t) {
        size_t entries = 0;
        uint64_t lookups = 0, misses = 0;
        rk_text_cache_stats(t, &entries, &lookups, &misses);
        if (entries < RESTART_ENTRIES)
            return t;
        rk_text_free(t);
        t = NULL;
        rk_ctx_release(&ctx);
    }
    rk_ctx_init(&ctx);
    if (rk_text_new(&t, &ctx, NULL) != RK_OK) {
        rk_text_free(t);
        t = NULL;
    }
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    if (standardizer()) {
        rk_text_set_lang(t, size ? (rk_lang)(data[0] % RK_LANG_COUNT) : RK_LANG_AUTO,
                         size > 1 ? (rk_name_order)(data[1] % 3) : RK_ORDER_AUTO);
        rk_name n;
        if (rk_text_name_parse(&n, t, s) == RK_OK) {
            assert(n.ntokens <= RK_NAME_MAX_TOKENS);
            for (size_t i = 0; i < n.ntokens; i++) {
                assert((size_t)n.tokens[i].start + n.tokens[i].len <= strlen(s));
                assert(n.tokens[i].k.key && n.tokens[i].k.latin);
            }
            rk_buf b;
            rk_buf_init(&b);
            if (rk_text_name_json(&b, &n, s) == RK_OK)
                assert(b.len > 0 && b.data[b.len - 1] == '}');
            rk_buf_release(&b);
            unsigned flags = 0;
            (void)rk_text_sex(t, "", &n, &flags);
        }
        size_t half = strlen(s) / 2;
        char *second = s + half;
        char saved = *second;
        *second = '\0';
        (void)rk_text_name_parts(&n, t, s, saved ? second + 1 : NULL, NULL);
        *second = saved;
        rk_text_keys k;
        (void)rk_text_key(&k, t, s, RK_ROLE_FAMILY);
        (void)rk_text_key(&k, t, s, RK_ROLE_PATRONYMIC);
        rk_buf pk;
        rk_buf_init(&pk);
        (void)rk_text_place_key(&pk, t, s);
        rk_buf_release(&pk);
        unsigned flags = 0;
        (void)rk_text_sex(t, s, NULL, &flags);
    }
    free(s);
    return 0;
}
