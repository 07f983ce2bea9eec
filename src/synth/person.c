/* Synthetic people: each a pure function of (seed, person id), so a list can name the same
 * person twice without the generator keeping anyone in memory; and the rendering of a
 * person's names in a script, with the spelling variants that scripts and romanizations
 * produce (Məmmədov, Мамедов, Mammadov, Mamedov). */
#include "synth_private.h"

#include <math.h>

static const synth_scenario scenarios[] = {
    {"caucasus", {0.55, 0.30, 0.15, 0, 0}, 1988, 1994},
    {"spanish", {0, 0, 0, 1.0, 0}, 1980, 2000},
    {"arabic", {0, 0, 0, 0, 1.0}, 2011, 2020},
    {"mixed", {0.2, 0.15, 0.1, 0.3, 0.25}, 1990, 2015},
    {"balkans", {0, 0, 0, 0, 0, 0.82, 0.18}, 1998, 1999},
};

const synth_scenario *synth_find_scenario(const char *name)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(scenarios); i++)
        if (strcmp(scenarios[i].name, name) == 0)
            return &scenarios[i];
    return NULL;
}

static void tables(int culture, const synth_table **male, const synth_table **female,
                   const synth_table **family)
{
    switch (culture) {
    case CUL_AZ:
        *male = &synth_az_male, *female = &synth_az_female, *family = &synth_az_family;
        break;
    case CUL_HY:
        *male = &synth_hy_male, *female = &synth_hy_female, *family = &synth_hy_family;
        break;
    case CUL_RU:
        *male = &synth_ru_male, *female = &synth_ru_female, *family = &synth_ru_family;
        break;
    case CUL_ES:
        *male = &synth_es_male, *female = &synth_es_female, *family = &synth_es_family;
        break;
    case CUL_SQ:
        *male = &synth_sq_male, *female = &synth_sq_female, *family = &synth_sq_family;
        break;
    case CUL_SR:
        *male = &synth_sr_male, *female = &synth_sr_female, *family = &synth_sr_family;
        break;
    default:
        *male = &synth_ar_male, *female = &synth_ar_female, *family = &synth_ar_family;
        break;
    }
}

/* An index below n: uniform, or for the Kosovo tables (in order of frequency) skewed to the
 * first ones, u^power of n, so that with power 1.5 the first of 86 family names is about 5 %
 * of the people and the first ten a quarter (Krasniqi, Gashi, Berisha, ...). */
static uint32_t draw(rk_rng *r, size_t n, double power)
{
    if (power <= 1.0)
        return (uint32_t)rk_rng_below(r, n);
    uint32_t i = (uint32_t)(pow(rk_rng_uniform(r), power) * (double)n);
    return i < n ? i : (uint32_t)n - 1;
}

const synth_table *synth_family_table(int culture)
{
    const synth_table *male, *female, *family;
    tables(culture, &male, &female, &family);
    return family;
}

const synth_table *synth_given_table(int culture, int sex)
{
    const synth_table *male, *female, *family;
    tables(culture, &male, &female, &family);
    return sex == 2 ? female : male;
}

void synth_person_make(synth_person *p, const synth_scenario *sc, const synth_pool *pool,
                       uint64_t seed, uint64_t id)
{
    rk_rng r;
    uint64_t key[2] = {seed, id};
    rk_rng_seed(&r, rk_hash64(key, sizeof(key), 0x706572736f6eULL));
    memset(p, 0, sizeof(*p));
    p->id = id;
    double x = rk_rng_uniform(&r), acc = 0;
    p->culture = CUL_AR;
    for (int c = 0; c < CUL_COUNT; c++) {
        acc += sc->culture_share[c];
        if (x < acc) {
            p->culture = c;
            break;
        }
    }
    const synth_table *male, *female, *family;
    tables(p->culture, &male, &female, &family);
    p->sex = rk_rng_uniform(&r) < 0.72 ? 1 : 2;
    const synth_table *given = p->sex == 1 ? male : female;
    bool kosovo = p->culture == CUL_SQ || p->culture == CUL_SR;
    double gp = kosovo ? 1.3 : 1.0, fp = kosovo ? 1.5 : 1.0;
    bool large = pool && pool->large && synth_pool_generates(p->culture);
    if (large) {
        const synth_pool_rank *gk = &pool->given[p->culture], *fk = &pool->family[p->culture];
        p->given = synth_pool_draw(gk, &r);
        p->given2 = synth_pool_draw(gk, &r);
        p->family = synth_pool_draw(fk, &r);
        p->family2 = synth_pool_draw(fk, &r);
        p->father = synth_pool_draw(gk, &r);
        p->grandfather = synth_pool_draw(gk, &r);
    } else {
        p->given = draw(&r, given->n, gp);
        p->given2 = draw(&r, given->n, gp);
        p->has_given2 = p->culture == CUL_ES && rk_rng_uniform(&r) < 0.4 && p->given2 != p->given;
        p->family = draw(&r, family->n, fp);
        p->family2 = draw(&r, family->n, fp);
        p->father = draw(&r, male->n, gp);
        p->grandfather = draw(&r, male->n, gp);
    }
    p->has_family2 = p->culture == CUL_ES;
    p->event_y =
        sc->event_from + (int)rk_rng_below(&r, (uint64_t)(sc->event_to - sc->event_from + 1));
    p->event_m = 1 + (int)rk_rng_below(&r, 12);
    p->event_d = 1 + (int)rk_rng_below(&r, 28);
    /* Ages: mostly young adults, some children and old people. */
    double u = rk_rng_uniform(&r);
    int age = u < 0.1    ? 1 + (int)rk_rng_below(&r, 16)
              : u < 0.85 ? 17 + (int)rk_rng_below(&r, 34)
                         : 51 + (int)rk_rng_below(&r, 35);
    p->birth_y = p->event_y - age;
    p->birth_m = 1 + (int)rk_rng_below(&r, 12);
    p->birth_d = 1 + (int)rk_rng_below(&r, 28);
    synth_place_draw(&p->region, &p->place, synth_culture_places(p->culture), &r);
    double v = rk_rng_uniform(&r);
    p->violation = v < 0.5 ? 0 : v < 0.75 ? 1 : v < 0.9 ? 2 : 3;
    double k = rk_rng_uniform(&r);
    p->klass = k < 0.5 ? 0 : k < 0.85 ? 1 : 2;
}

/* Code points of a UTF-8 string ending in `suffix` (code points compared). */
static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

/* A family name in its female form (Мамедов -> Мамедова, Məmmədov -> Məmmədova). */
static int family_form(rk_buf *out, const char *male, int sex)
{
    if (rk_buf_puts(out, male) != RK_OK)
        return RK_ENOMEM;
    if (sex != 2)
        return RK_OK;
    if (ends_with(male, "ov") || ends_with(male, "ev") || ends_with(male, "in"))
        return rk_buf_putc(out, 'a');
    if (ends_with(male, "ов") || ends_with(male, "ев") || ends_with(male, "ёв") ||
        ends_with(male, "ин"))
        return rk_buf_puts(out, "а");
    return RK_OK;
}

/* Russian patronymic from a father's Russian given name (Али -> Алиевич / Алиевна). */
static int ru_patronymic(rk_buf *out, const char *father, int sex)
{
    size_t n = strlen(father);
    const char *male_end = "ович";
    size_t keep = n;
    if (ends_with(father, "й") || ends_with(father, "ь")) {
        keep = n - 2;
        male_end = "евич";
    } else if (ends_with(father, "и") || ends_with(father, "а") || ends_with(father, "я") ||
               ends_with(father, "о") || ends_with(father, "у") || ends_with(father, "е")) {
        male_end = "евич";
    }
    if (rk_buf_append(out, father, keep) != RK_OK)
        return RK_ENOMEM;
    if (sex == 2)
        return rk_buf_puts(out, strcmp(male_end, "ович") == 0 ? "овна" : "евна");
    return rk_buf_puts(out, male_end);
}

/* One of the '/'-separated romanizations, chosen by r. */
static int pick_variant(rk_buf *out, const char *list, rk_rng *r)
{
    size_t count = 1;
    for (const char *s = list; *s; s++)
        count += *s == '/';
    size_t want = rk_rng_below(r, count), i = 0;
    const char *s = list;
    while (i < want) {
        if (*s++ == '/')
            i++;
    }
    const char *e = strchr(s, '/');
    return rk_buf_append(out, s, e ? (size_t)(e - s) : strlen(s));
}

static void clear_rendered(synth_rendered *o)
{
    rk_buf_clear(&o->given);
    rk_buf_clear(&o->family);
    rk_buf_clear(&o->family2);
    rk_buf_clear(&o->patronymic);
    rk_buf_clear(&o->father);
}

static int render_az(synth_rendered *o, const synth_person *p, synth_script script, rk_rng *r)
{
    const synth_table *t = p->sex == 1 ? &synth_az_male : &synth_az_female;
    const synth_name *g = synth_given_name(&o->gen_given, t, CUL_AZ, p->sex, p->given);
    const synth_name *f = synth_family_name(&o->generated, &synth_az_family, CUL_AZ, p->family);
    const synth_name *fa = synth_given_name(&o->gen_father, &synth_az_male, CUL_AZ, 1, p->father);
    int rc = RK_OK;
    rk_buf *tmp = &o->s1;
    rk_buf_clear(tmp);
    if (script == SCRIPT_NATIVE) {
        rc |= rk_buf_puts(&o->given, g->a);
        rc |= family_form(&o->family, f->a, p->sex);
        rc |= rk_buf_printf(&o->patronymic, "%s %s", fa->a, p->sex == 1 ? "oğlu" : "qızı");
        rc |= rk_buf_puts(&o->father, fa->a);
    } else if (script == SCRIPT_CYRILLIC) {
        rc |= rk_buf_puts(&o->given, g->b);
        rc |= family_form(&o->family, f->b, p->sex);
        if (rk_rng_uniform(r) < 0.8)
            rc |= ru_patronymic(&o->patronymic, fa->b, p->sex);
        else
            rc |= rk_buf_printf(&o->patronymic, "%s %s", fa->b, p->sex == 1 ? "оглы" : "кызы");
        rc |= rk_buf_puts(&o->father, fa->b);
    } else {
        /* English letters from the Azerbaijani form, or a romanization of the Russian one. */
        bool from_az = rk_rng_uniform(r) < 0.6;
        int v = (int)rk_rng_below(r, 4);
        if (from_az) {
            rc |= synth_az_to_english(&o->given, g->a);
            rc |= family_form(tmp, f->a, p->sex);
            rc |= synth_az_to_english(&o->family, rk_buf_cstr(tmp));
            rc |= synth_az_to_english(&o->father, fa->a);
            rc |= rk_buf_printf(&o->patronymic, "%s %s", rk_buf_cstr(&o->father),
                                p->sex == 1 ? "oglu" : "qizi");
        } else {
            rc |= synth_ru_to_latin(&o->given, g->b, v);
            rc |= family_form(tmp, f->b, p->sex);
            rc |= synth_ru_to_latin(&o->family, rk_buf_cstr(tmp), v);
            rc |= synth_ru_to_latin(&o->father, fa->b, v);
            rk_buf_clear(tmp);
            rc |= ru_patronymic(tmp, fa->b, p->sex);
            rc |= synth_ru_to_latin(&o->patronymic, rk_buf_cstr(tmp), v);
        }
    }
    return rc ? RK_ENOMEM : RK_OK;
}

static int render_hy(synth_rendered *o, const synth_person *p, synth_script script, rk_rng *r)
{
    const synth_table *t = p->sex == 1 ? &synth_hy_male : &synth_hy_female;
    const synth_name *g = synth_given_name(&o->gen_given, t, CUL_HY, p->sex, p->given);
    const synth_name *f = synth_family_name(&o->generated, &synth_hy_family, CUL_HY, p->family);
    const synth_name *fa = synth_given_name(&o->gen_father, &synth_hy_male, CUL_HY, 1, p->father);
    int rc = RK_OK;
    if (script == SCRIPT_NATIVE) {
        rc |= rk_buf_puts(&o->given, g->a);
        rc |= rk_buf_puts(&o->family, f->a);
        rc |= rk_buf_puts(&o->father, fa->a);
    } else if (script == SCRIPT_CYRILLIC) {
        rc |= rk_buf_puts(&o->given, g->b);
        rc |= rk_buf_puts(&o->family, f->b);
        rc |= ru_patronymic(&o->patronymic, fa->b, p->sex);
        rc |= rk_buf_puts(&o->father, fa->b);
    } else if (rk_rng_uniform(r) < 0.6) {
        rc |= rk_buf_puts(&o->given, g->c);
        /* Western Armenian and diaspora spelling: -ian for -yan. */
        if (rk_rng_uniform(r) < 0.25 && ends_with(f->c, "yan")) {
            rc |= rk_buf_append(&o->family, f->c, strlen(f->c) - 3);
            rc |= rk_buf_puts(&o->family, "ian");
        } else
            rc |= rk_buf_puts(&o->family, f->c);
        rc |= rk_buf_puts(&o->father, fa->c);
    } else {
        int v = (int)rk_rng_below(r, 4);
        rc |= synth_ru_to_latin(&o->given, g->b, v);
        rc |= synth_ru_to_latin(&o->family, f->b, v);
        rc |= synth_ru_to_latin(&o->father, fa->b, v);
    }
    return rc ? RK_ENOMEM : RK_OK;
}

static int render_ru(synth_rendered *o, const synth_person *p, synth_script script, rk_rng *r)
{
    const synth_table *t = p->sex == 1 ? &synth_ru_male : &synth_ru_female;
    const synth_name *g = synth_given_name(&o->gen_given, t, CUL_RU, p->sex, p->given);
    const synth_name *f = synth_family_name(&o->generated, &synth_ru_family, CUL_RU, p->family);
    const synth_name *fa = synth_given_name(&o->gen_father, &synth_ru_male, CUL_RU, 1, p->father);
    int rc = RK_OK;
    rk_buf *fam = &o->s1, *pat = &o->s2;
    rk_buf_clear(fam);
    rk_buf_clear(pat);
    rc |= family_form(fam, f->a, p->sex);
    rc |= rk_buf_puts(pat, fa->b);
    if (p->sex == 2 && pat->len > 6) { /* ...вич -> ...вна */
        pat->len -= 4;
        rc |= rk_buf_puts(pat, "на");
    }
    if (script != SCRIPT_LATIN) {
        rc |= rk_buf_puts(&o->given, g->a);
        rc |= rk_buf_puts(&o->family, rk_buf_cstr(fam));
        rc |= rk_buf_puts(&o->patronymic, rk_buf_cstr(pat));
        rc |= rk_buf_puts(&o->father, fa->a);
    } else {
        int v = (int)rk_rng_below(r, 4);
        rc |= synth_ru_to_latin(&o->given, g->a, v);
        rc |= synth_ru_to_latin(&o->family, rk_buf_cstr(fam), v);
        rc |= synth_ru_to_latin(&o->patronymic, rk_buf_cstr(pat), v);
        rc |= synth_ru_to_latin(&o->father, fa->a, v);
    }
    return rc ? RK_ENOMEM : RK_OK;
}

static const char *const es_female_second[] = {"del Carmen", "de los Ángeles", "del Rosario",
                                               "de Jesús",   "del Pilar",      "Luz"};

static int render_es(synth_rendered *o, const synth_person *p, synth_script script, rk_rng *r)
{
    const synth_table *t = p->sex == 1 ? &synth_es_male : &synth_es_female;
    int rc = RK_OK;
    rk_buf *g = &o->s1;
    rk_buf_clear(g);
    rc |= rk_buf_puts(g, t->v[p->given].a);
    if (p->has_given2) {
        if (p->sex == 2 && p->given2 % 3 == 0)
            rc |= rk_buf_printf(g, " %s", es_female_second[p->given2 % 6]);
        else
            rc |= rk_buf_printf(g, " %s", t->v[p->given2].a);
    }
    const char *f1 = synth_es_family.v[p->family].a, *f2 = synth_es_family.v[p->family2].a;
    const char *fa = synth_es_male.v[p->father].a;
    /* Accents are often lost outside the native layout (and sometimes in it). */
    if (script == SCRIPT_NATIVE && rk_rng_uniform(r) < 0.9) {
        rc |= rk_buf_puts(&o->given, rk_buf_cstr(g));
        rc |= rk_buf_puts(&o->family, f1);
        rc |= rk_buf_puts(&o->family2, f2);
        rc |= rk_buf_puts(&o->father, fa);
    } else {
        rc |= synth_strip_accents(&o->given, rk_buf_cstr(g));
        rc |= synth_strip_accents(&o->family, f1);
        rc |= synth_strip_accents(&o->family2, f2);
        rc |= synth_strip_accents(&o->father, fa);
    }
    return rc ? RK_ENOMEM : RK_OK;
}

static int render_ar(synth_rendered *o, const synth_person *p, synth_script script, rk_rng *r)
{
    const synth_table *t = p->sex == 1 ? &synth_ar_male : &synth_ar_female;
    const synth_name *g = &t->v[p->given], *f = &synth_ar_family.v[p->family];
    const synth_name *fa = &synth_ar_male.v[p->father], *gf = &synth_ar_male.v[p->grandfather];
    int rc = RK_OK;
    if (script == SCRIPT_NATIVE) {
        rc |= rk_buf_puts(&o->given, g->a);
        rc |= rk_buf_puts(&o->family, f->a);
        rc |= rk_buf_puts(&o->father, fa->a);
        rc |= rk_buf_printf(&o->patronymic, "%s %s", fa->a, gf->a);
    } else {
        rc |= pick_variant(&o->given, g->b, r);
        rc |= pick_variant(&o->family, f->b, r);
        rc |= pick_variant(&o->father, fa->b, r);
        rc |= rk_buf_puts(&o->patronymic, rk_buf_cstr(&o->father));
        rc |= rk_buf_putc(&o->patronymic, ' ');
        rc |= pick_variant(&o->patronymic, gf->b, r);
    }
    return rc ? RK_ENOMEM : RK_OK;
}

int synth_render(synth_rendered *out, const synth_person *p, synth_script script, rk_rng *r)
{
    clear_rendered(out);
    switch (p->culture) {
    case CUL_AZ:
        return render_az(out, p, script, r);
    case CUL_HY:
        return render_hy(out, p, script, r);
    case CUL_RU:
        return render_ru(out, p, script, r);
    case CUL_ES:
        return render_es(out, p, script == SCRIPT_CYRILLIC ? SCRIPT_LATIN : script, r);
    default:
        return render_ar(out, p, script == SCRIPT_CYRILLIC ? SCRIPT_LATIN : script, r);
    }
}
