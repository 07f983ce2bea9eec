/* Places: folded like names (romanized, sound-keyed word by word, words such as "district",
 * "village", "район", "kəndi" dropped) into the key the linker compares places on. */
#include "common.h"

#include "text/name_private.h"

/* Words that say what kind of place it is, not which (compared after romanization). */
static const char *const place_words[] = {
    "district",  "village",   "city",      "town",     "region",       "province", "municipality",
    "rayon",     "raion",     "rayonu",    "kand",     "kandi",        "sheher",   "shahar",
    "shahari",   "gasaba",    "gasabasi",  "rayonu",   "selo",         "derevnya", "gorod",
    "poselok",   "oblast",    "provincia", "distrito", "departamento", "pueblo",   "ciudad",
    "municipio", "comunidad", "opshtina",  "opstina",  "opshtina",     "grad",     "fshati",
    "qyteti",    "komuna",    "marz",      "gyugh",    "soplis",       "raioni",   "qalaq",
    "muhafazat", "qarya",     "madinat",   "mintaqa"};

static bool place_word(const char *latin)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(place_words); i++)
        if (strcmp(latin, place_words[i]) == 0)
            return true;
    return false;
}

int rk_text_place_key(rk_buf *out, rk_text *t, const char *place)
{
    if (!t)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(t->ctx, place && out);
    size_t n = strlen(place), bad = 0;
    if (!rk_utf8_valid(place, n, &bad))
        return rk_error_set(t->ctx, RK_EINPUT, "invalid UTF-8 at byte %zu of place '%.40s'", bad,
                            place);
    text_name_parse *p = &(text_name_parse){.n = 0, .comma = -1};
    int rc = text_name_tokenize(t, place, RK_MIN(n, (size_t)UINT16_MAX), p);
    if (rc != RK_OK)
        return rc == RK_EINPUT
                   ? rk_error_set(t->ctx, RK_EINPUT, "place '%.40s' is unreadable", place)
                   : rc;
    bool first = true;
    for (size_t i = 0; i < p->n; i++) {
        const rk_text_keys *k = &p->tok[i].keys;
        if (!*k->key || place_word(k->latin))
            continue;
        if ((!first && rk_buf_putc(out, ' ') != RK_OK) || rk_buf_puts(out, k->key) != RK_OK)
            return rk_error_set(t->ctx, RK_ENOMEM, "out of memory keying a place");
        first = false;
    }
    rk_buf_cstr(out);
    return RK_OK;
}
