/* The names of Kosovo's Albanian and Serbian people as each list writes them: an Albanian list
 * in Albanian (Serbian names in Albanian spelling, Gjorgjeviq, or as they are), a Serbian
 * register in Cyrillic (Albanian names as Serbian officials write them, Ндерим Краснићи), a
 * Serbian Latin list with or without diacritics (Đorđević, Djordjevic; Albanian names in their
 * own spelling or from the Cyrillic, Krasniqi or Krasnići), an English list in plain letters;
 * and Albanian definite and indefinite forms (Agim/Agimi, Shpresa/Shpresë) as variation. */
#include "synth_private.h"

/* Where list L belongs: the spelling its names take. */
typedef enum kosovo_target {
    TARGET_ALBANIAN,
    TARGET_CYRILLIC,
    TARGET_SERBIAN_LATIN,
    TARGET_PLAIN_SERBIAN,
    TARGET_ENGLISH
} kosovo_target;

static kosovo_target target_of(const synth_layout *L)
{
    bool sr = L->language && strcmp(L->language, "sr") == 0;
    if (L->language && strcmp(L->language, "sq") == 0)
        return TARGET_ALBANIAN;
    if (sr && L->script == SCRIPT_CYRILLIC)
        return TARGET_CYRILLIC;
    if (sr)
        return L->plain ? TARGET_PLAIN_SERBIAN : TARGET_SERBIAN_LATIN;
    return TARGET_ENGLISH;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

/* An Albanian given name in its other form: a man's definite form (Agim -> Agimi, Luk ->
 * Luku), a woman's indefinite one (Shpresa -> Shpresë). Appended; unchanged when it has
 * none (Isa, Demë). */
static int albanian_form(rk_buf *out, const char *name, int sex)
{
    if (rk_buf_puts(out, name) != RK_OK)
        return RK_ENOMEM;
    if (sex == 2) {
        if (!ends_with(name, "a"))
            return RK_OK;
        out->len--;
        return rk_buf_puts(out, "ë");
    }
    size_t n = strlen(name);
    char last = n ? name[n - 1] : 'a';
    if (!strchr("bcdfghjklmnpqrstvxz", last))
        return RK_OK;
    return rk_buf_puts(out, strchr("kgh", last) ? "u" : "i");
}

/* One Albanian name (given or family) in the target's spelling, appended. */
static int albanian(rk_buf *out, rk_buf *tmp, const char *name, kosovo_target t, rk_rng *r)
{
    rk_buf_clear(tmp);
    switch (t) {
    case TARGET_ALBANIAN: /* typists without ë and ç */
        return rk_rng_uniform(r) < 0.1 ? synth_plain_letters(out, name, true)
                                       : rk_buf_puts(out, name);
    case TARGET_CYRILLIC:
        return synth_sq_to_cyrillic(out, name, rk_rng_uniform(r) < 0.3);
    case TARGET_SERBIAN_LATIN:
    case TARGET_PLAIN_SERBIAN: {
        /* Either the Albanian spelling or the Serbian one read back from the Cyrillic. */
        int rc = rk_rng_uniform(r) < 0.5 ? rk_buf_puts(tmp, name) : synth_sq_to_sr(tmp, name);
        if (rc != RK_OK)
            return RK_ENOMEM;
        return t == TARGET_PLAIN_SERBIAN ? synth_plain_letters(out, rk_buf_cstr(tmp), true)
                                         : rk_buf_puts(out, rk_buf_cstr(tmp));
    }
    default:
        return synth_plain_letters(out, name, true);
    }
}

/* One Serbian name in the target's spelling, appended. */
static int serbian(rk_buf *out, const char *name, kosovo_target t, rk_rng *r)
{
    double u = rk_rng_uniform(r);
    switch (t) {
    case TARGET_ALBANIAN:
        return u < 0.7 ? synth_sr_to_albanian(out, name) : rk_buf_puts(out, name);
    case TARGET_CYRILLIC:
        return synth_sr_to_cyrillic(out, name);
    case TARGET_SERBIAN_LATIN:
        return u < 0.95 ? rk_buf_puts(out, name) : synth_plain_letters(out, name, true);
    case TARGET_PLAIN_SERBIAN:
        return synth_plain_letters(out, name, u < 0.85);
    default:
        return synth_plain_letters(out, name, u < 0.9);
    }
}

int synth_render_balkans(synth_rendered *out, const synth_person *p, const synth_layout *L,
                         rk_rng *r)
{
    kosovo_target t = target_of(L);
    rk_buf_clear(&out->given);
    rk_buf_clear(&out->family);
    rk_buf_clear(&out->family2);
    rk_buf_clear(&out->patronymic);
    rk_buf_clear(&out->father);
    int rc = RK_OK;
    if (p->culture == CUL_SR) {
        const synth_table *g = p->sex == 1 ? &synth_sr_male : &synth_sr_female;
        rc |= serbian(&out->given, g->v[p->given].a, t, r);
        rc |= serbian(&out->family, synth_sr_family.v[p->family].a, t, r);
        rc |= serbian(&out->father, synth_sr_male.v[p->father].a, t, r);
        return rc ? RK_ENOMEM : RK_OK;
    }
    const synth_table *g = p->sex == 1 ? &synth_sq_male : &synth_sq_female;
    /* Definite and indefinite forms vary most in Albanian lists. */
    double vary = t == TARGET_ALBANIAN ? 0.15 : 0.06;
    const char *given = g->v[p->given].a, *father = synth_sq_male.v[p->father].a;
    rk_buf *s2 = &out->s2;
    rk_buf_clear(s2);
    if (rk_rng_uniform(r) < vary) {
        rc |= albanian_form(s2, given, p->sex);
        given = rk_buf_cstr(s2);
    }
    rc |= albanian(&out->given, &out->s1, given, t, r);
    rk_buf_clear(s2);
    if (rk_rng_uniform(r) < vary) {
        rc |= albanian_form(s2, father, 1);
        father = rk_buf_cstr(s2);
    }
    rc |= albanian(&out->father, &out->s1, father, t, r);
    rc |= albanian(&out->family, &out->s1, synth_sq_family.v[p->family].a, t, r);
    return rc ? RK_ENOMEM : RK_OK;
}
