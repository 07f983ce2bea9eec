/* A region's or place's name as one list writes it: in the list's own script, in one of the
 * spellings real lists use (the gazetteer's, another romanization, French), with the slips
 * that folding forgives (a case, a vowel, a doubled letter, a hamza dropped), so that
 * rk_text_place_key still finds it in the gazetteer. Called by row.c for each record. */
#include "synth_private.h"

/* Letters that stand for one sound whatever surrounds them, in every romanization the
 * folding reads: a vowel between two of them may change, and one of them may be doubled
 * (not c, g, h, j, q, w, x, y, which soften, join or stand for vowels). */
static bool plain_consonant(uint32_t c)
{
    return c < 0x80 && c && strchr("bdfklmnprstvz", (int)c) != NULL;
}

static bool latin_vowel(uint32_t c)
{
    return c < 0x80 && c && strchr("aeiou", (int)c) != NULL;
}

/* Cyrillic consonants whose romanization is one plain letter (б в г д з к л м н п р с т ф). */
static bool plain_cyrillic(uint32_t c)
{
    static const uint32_t ok[] = {0x431, 0x432, 0x433, 0x434, 0x437, 0x43A, 0x43B,
                                  0x43C, 0x43D, 0x43F, 0x440, 0x441, 0x442, 0x444};
    for (size_t i = 0; i < RK_ARRAY_LEN(ok); i++)
        if (c == ok[i])
            return true;
    return false;
}

/* One slip that folding forgives, at a random letter past the second: a vowel between plain
 * consonants for another vowel, or a plain consonant not followed by h, j, s or z doubled. */
static void slip(uint32_t *cp, size_t *n, rk_rng *r)
{
    if (*n < 3)
        return;
    size_t at = 2 + rk_rng_below(r, *n - 2);
    uint32_t c = cp[at], prev = cp[at - 1], next = at + 1 < *n ? cp[at + 1] : 0;
    if (latin_vowel(c) && plain_consonant(prev) && (next == 0 || plain_consonant(next))) {
        static const char vowels[] = "aeiou";
        uint32_t v;
        do
            v = (uint32_t)vowels[rk_rng_below(r, 5)];
        while (v == c);
        cp[at] = v;
    } else if ((plain_consonant(c) && (next == 0 || !strchr("hjsz", (int)next))) ||
               plain_cyrillic(c)) {
        if (*n >= SYN_MAX_CP)
            return;
        memmove(cp + at + 1, cp + at, (*n - at) * sizeof(uint32_t));
        (*n)++;
    }
}

static void lower(uint32_t *cp, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((cp[i] >= 'A' && cp[i] <= 'Z') || (cp[i] >= 0x410 && cp[i] <= 0x42F))
            cp[i] += 0x20;
}

/* Alif with a hamza or madda written as a bare alif (إدلب -> ادلب), as many lists do. */
static void bare_alif(uint32_t *cp, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cp[i] == 0x622 || cp[i] == 0x623 || cp[i] == 0x625)
            cp[i] = 0x627;
}

int synth_place_spell(rk_buf *out, rk_buf *scratch, const synth_place *pl, const synth_layout *L,
                      rk_rng *r)
{
    rk_buf_clear(scratch);
    int rc = RK_OK;
    bool hy = L->language && strcmp(L->language, "hy") == 0;
    bool sr = L->language && strcmp(L->language, "sr") == 0;
    bool sq = L->language && strcmp(L->language, "sq") == 0;
    if (pl->sr && (sq || sr)) { /* Kosovo: Albanian, Serbian Cyrillic or Serbian Latin */
        double u = rk_rng_uniform(r);
        if (sq)
            rc = u < 0.9 ? rk_buf_puts(scratch, pl->local)
                         : synth_plain_letters(scratch, pl->local, true);
        else if (L->script == SCRIPT_CYRILLIC)
            rc = rk_buf_puts(scratch, pl->sr_cyrl);
        else if (L->plain || u < 0.05)
            rc = synth_plain_letters(scratch, pl->sr, true);
        else
            rc = rk_buf_puts(scratch, pl->sr);
    } else if (L->script == SCRIPT_NATIVE && hy && pl->hy)
        rc = rk_buf_puts(scratch, pl->hy);
    else if (L->script == SCRIPT_NATIVE && !hy && rk_rng_uniform(r) < 0.9)
        rc = rk_buf_puts(scratch, pl->local);
    else if (L->script == SCRIPT_NATIVE && !hy)
        rc = synth_strip_accents(scratch, pl->local); /* accents lost, or nothing to lose */
    else if (L->script == SCRIPT_CYRILLIC && pl->ru)
        rc = rk_buf_puts(scratch, pl->ru);
    else {
        double u = rk_rng_uniform(r);
        if (pl->fr && u < L->place_fr)
            rc = rk_buf_puts(scratch, pl->fr);
        else if (u < L->place_fr + L->place_alt && synth_place_nvariants(pl) > 0)
            rc = synth_place_variant(scratch, pl, rk_rng_below(r, synth_place_nvariants(pl)));
        else
            rc = rk_buf_puts(scratch, pl->name);
    }
    if (rc != RK_OK)
        return RK_ENOMEM;
    uint32_t cp[SYN_MAX_CP];
    size_t n = synth_decode(rk_buf_cstr(scratch), cp, SYN_MAX_CP - 1);
    double u = rk_rng_uniform(r);
    if (L->upper || u < 0.03)
        synth_upper(cp, n);
    else if (u < 0.08)
        lower(cp, n);
    if (rk_rng_uniform(r) < L->typo_rate * 5)
        slip(cp, &n, r);
    if (rk_rng_uniform(r) < 0.3)
        bare_alif(cp, n);
    return synth_encode(out, cp, n);
}
