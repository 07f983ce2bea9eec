/* The rk_text object: options, the names of languages, scripts, roles and cultures, and the
 * lifetime of the cache, lexicon and ICU transliterators that every other file of src/text
 * works through. */
#include "common.h"

#include "text/text_private.h"

#include <unicode/utrans.h>

static const char *const lang_codes[RK_LANG_COUNT] = {
    [RK_LANG_AUTO] = "auto", [RK_LANG_AZ] = "az", [RK_LANG_RU] = "ru", [RK_LANG_HY] = "hy",
    [RK_LANG_AR] = "ar",     [RK_LANG_ES] = "es", [RK_LANG_SR] = "sr", [RK_LANG_KA] = "ka",
    [RK_LANG_SQ] = "sq",     [RK_LANG_TR] = "tr", [RK_LANG_EN] = "en",
};
_Static_assert(sizeof(lang_codes) / sizeof(lang_codes[0]) == RK_LANG_COUNT, "lang codes");

int rk_text_lang_parse(rk_lang *out, rk_ctx *ctx, const char *code)
{
    RK_ASSERT_ARG(ctx, code && out);
    for (int i = 0; i < RK_LANG_COUNT; i++) {
        if (strcmp(code, lang_codes[i]) == 0) {
            *out = (rk_lang)i;
            return RK_OK;
        }
    }
    /* Common aliases: Bosnian and Croatian read as Serbian Latin. */
    if (strcmp(code, "hr") == 0 || strcmp(code, "bs") == 0 || strcmp(code, "sh") == 0) {
        *out = RK_LANG_SR;
        return RK_OK;
    }
    return rk_error_set(ctx, RK_EINPUT,
                        "unknown language '%s'; use one of auto, az, ru, hy, ar, es, sr, ka, "
                        "sq, tr, en",
                        code);
}

const char *rk_text_script_name(rk_script script)
{
    static const char *const names[] = {"none",     "latin",  "cyrillic", "armenian",
                                        "georgian", "arabic", "greek",    "other"};
    return (unsigned)script < RK_ARRAY_LEN(names) ? names[script] : "other";
}

int rk_text_order_parse(rk_name_order *out, rk_ctx *ctx, const char *s)
{
    RK_ASSERT_ARG(ctx, s && out);
    if (strcmp(s, "auto") == 0)
        *out = RK_ORDER_AUTO;
    else if (strcmp(s, "given-first") == 0)
        *out = RK_ORDER_GIVEN_FIRST;
    else if (strcmp(s, "family-first") == 0)
        *out = RK_ORDER_FAMILY_FIRST;
    else
        return rk_error_set(ctx, RK_EINPUT,
                            "unknown name order '%s'; use auto, given-first or family-first", s);
    return RK_OK;
}

const char *rk_text_order_name(rk_name_order order)
{
    switch (order) {
    case RK_ORDER_GIVEN_FIRST:
        return "given-first";
    case RK_ORDER_FAMILY_FIRST:
        return "family-first";
    default:
        return "auto";
    }
}

const char *rk_text_role_name(rk_name_role role)
{
    static const char *const names[RK_ROLE_COUNT] = {"unknown",    "given",         "family",
                                                     "patronymic", "second_family", "grandfather",
                                                     "particle",   "spouse"};
    return (unsigned)role < RK_ROLE_COUNT ? names[role] : "unknown";
}

const char *rk_text_culture_name(rk_culture c)
{
    static const char *const names[RK_CULTURE_COUNT] = {"generic",  "east-slavic", "azerbaijani",
                                                        "armenian", "georgian",    "arabic",
                                                        "spanish",  "serbian",     "albanian"};
    return (unsigned)c < RK_CULTURE_COUNT ? names[c] : "generic";
}

const char *rk_text_level_name(rk_token_level level)
{
    static const char *const names[] = {"none",  "nickname", "skeleton", "alt",
                                        "sound", "latin",    "exact"};
    return (unsigned)level < RK_ARRAY_LEN(names) ? names[level] : "none";
}

int rk_text_new(rk_text **out, rk_ctx *ctx, const rk_text_options *opts)
{
    RK_ASSERT_ARG(ctx, out);
    *out = NULL;
    rk_text_options o = RK_TEXT_OPTIONS_INIT;
    if (opts) {
        if (opts->version != RK_TEXT_OPTIONS_VERSION)
            return rk_error_set(ctx, RK_EINTERNAL, "rk_text_options version %u, expected %u",
                                opts->version, RK_TEXT_OPTIONS_VERSION);
        o = *opts;
    }
    if ((unsigned)o.lang >= RK_LANG_COUNT || (unsigned)o.order > RK_ORDER_FAMILY_FIRST)
        return rk_error_set(ctx, RK_EINTERNAL, "invalid argument: text options out of range");
    int rc = RK_OK;
    rk_text *t = rk_calloc(1, sizeof(*t));
    if (!t) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory making the name standardizer");
        goto cleanup;
    }
    t->ctx = ctx;
    t->opts = o;
    rc = text_lex_build(t);
    if (rc != RK_OK)
        goto cleanup;
    *out = t;
    t = NULL;
cleanup:
    rk_text_free(t);
    return rc;
}

void rk_text_free(rk_text *t)
{
    if (!t)
        return;
    for (int i = 0; i < TX_TR_COUNT; i++)
        if (t->translit[i])
            utrans_close(t->translit[i]);
    text_cache_release(t);
    text_lex_release(t);
    rk_free(t);
}

void rk_text_set_lang(rk_text *t, rk_lang lang, rk_name_order order)
{
    if (!t)
        return;
    if ((unsigned)lang < RK_LANG_COUNT)
        t->opts.lang = lang;
    if ((unsigned)order <= RK_ORDER_FAMILY_FIRST)
        t->opts.order = order;
}

void rk_text_set_lang_codes(rk_text *t, const char *lang, const char *order)
{
    rk_lang l = RK_LANG_AUTO;
    rk_name_order o = RK_ORDER_AUTO;
    if (lang)
        rk_text_lang_parse(&l, NULL, lang);
    if (order)
        rk_text_order_parse(&o, NULL, order);
    rk_text_set_lang(t, l, o);
}

void rk_text_cache_stats(const rk_text *t, size_t *entries, uint64_t *lookups, uint64_t *misses)
{
    if (entries)
        *entries = t ? t->nentries : 0;
    if (lookups)
        *lookups = t ? t->lookups : 0;
    if (misses)
        *misses = t ? t->misses : 0;
}
