/* Fuzz harness for the link configuration parser (src/link/project_config.c): any bytes, as
 * the configuration file over the default set-up, either give a set-up whose every field,
 * level and blocking rule is in range and whose JSON record is complete, or an input error
 * located at a line; never a crash. The parser reads a path, so each input is written to a
 * file in the temporary folder. */
#include "link/link_private.h"
#include "link/project_private.h"

#include <unistd.h>

static void check_setup(const link_setup *s)
{
    assert(s->nfields <= RK_LINK_MAX_FIELDS && s->ncompare <= s->nfields);
    for (size_t c = 0; c < s->ncompare; c++) {
        const rk_link_compare *cmp = &s->compare[c];
        assert(cmp->field < s->nfields && cmp->nlevels <= RK_LINK_MAX_LEVELS);
        for (size_t l = 0; l < cmp->nlevels; l++) {
            const rk_link_level *lv = &cmp->levels[l];
            assert(lv->cmp < RK_CMP_COUNT && lv->label);
            assert(lv->threshold >= 0 && lv->max_width >= 0);
            /* the numbers compare.c uses as they are: similarities and whole edit counts */
            if (lv->cmp == RK_CMP_JW || lv->cmp == RK_CMP_TOKENSET)
                assert(lv->threshold <= 1);
            if (lv->cmp == RK_CMP_OSA)
                assert(lv->threshold <= LINK_MAX_EDITS && lv->threshold == (int)lv->threshold);
        }
    }
    assert(s->nrules <= RK_ARRAY_LEN(s->rules));
    for (size_t i = 0; i < s->nrules; i++) {
        const rk_link_rule *r = &s->rules[i];
        assert(r->nparts >= 1 && r->nparts <= RK_ARRAY_LEN(r->parts) && r->name);
        for (size_t p = 0; p < r->nparts; p++)
            assert(r->parts[p].field < s->nfields);
        assert(!r->has_split || r->split.field < s->nfields);
    }
    assert(s->opts.threshold > 0 && s->opts.threshold < 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/rk-fuzz-link-config-%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    bool written = fwrite(data, 1, size, f) == size;
    if (fclose(f) != 0 || !written) {
        unlink(path);
        return 0;
    }
    link_setup *s = rk_calloc(1, sizeof(*s));
    if (!s) {
        unlink(path);
        return 0;
    }
    link_setup_defaults(s);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    int rc = link_setup_read_config(s, &ctx, path);
    if (rc == RK_OK) {
        check_setup(s);
        rk_buf b;
        rk_buf_init(&b);
        rc = link_setup_to_json(s, &b);
        assert(rc == RK_OK || rc == RK_ENOMEM);
        if (rc == RK_OK)
            assert(b.len > 0 && b.data[0] == '{' && b.data[b.len - 1] == '}');
        rk_buf_release(&b);
    } else {
        assert(rc == RK_EINPUT || rc == RK_ENOMEM);
        assert(ctx.err.message[0] != '\0');
    }
    rk_ctx_release(&ctx);
    rk_free(s);
    unlink(path);
    return 0;
}
