/* The regions and places of each scenario as data: their canonical names (the gazetteer's
 * region and place columns), their spellings in other scripts and conventions, each region's
 * share of the people and its position from north to south, on which the lists' capture
 * depends, and the other Latin spellings lists use. The caucasus regions are invented; the
 * others are real departments and governorates. Every spelling folds (rk_text_place_key) like
 * a spelling of the gazetteer (tests/unit/synth/places.c). */
#include "synth_private.h"

#define R(name, local, ru, hy, fr, alt, weight, zone)                                              \
    {                                                                                              \
        name, local, ru, hy, fr, alt, -1, weight, zone, 0, 0                                       \
    }
#define P(region, name, local, ru, hy, fr, alt)                                                    \
    {                                                                                              \
        name, local, ru, hy, fr, alt, region, 0, 0, 0, 0                                           \
    }

/* Caucasus: Azerbaijani Latin local forms, Russian and Armenian spellings. */
static const synth_place caucasus_regions[] = {
    R("Kelvar", "Kəlvər", "Келвар", "Քելվար", 0, "Kalvar/Kelver", 0.34, 0.0),
    R("Dashkend", "Daşkənd", "Дашкенд", "Դաշքենդ", 0, "Dashkand/Dashkent", 0.26, 0.25),
    R("Gorabad", "Qorabad", "Горабад", "Գորաբադ", 0, "Qorabad/Gorabat", 0.18, 0.5),
    R("Saritala", "Sarıtala", "Сарытала", "Սարիթալա", 0, "Sarytala", 0.13, 0.75),
    R("Mezra", "Məzrə", "Мезра", "Մեզրա", 0, "Mazra/Mezre", 0.09, 1.0),
};

static const synth_place caucasus_places[] = {
    P(0, "Kelvar", "Kəlvər", "Келвар", "Քելվար", 0, "Kalvar/Kelver"),
    P(0, "Yenikend", "Yenikənd", "Еникенд", "Ենիքենդ", 0, "Yenikand/Enikend"),
    P(0, "Bahrali", "Bəhrəli", "Бахрали", "Բահրալի", 0, "Bakhrali/Behreli"),
    P(0, "Tovlar", "Tovlar", "Товлар", "Թովլար", 0, "Towlar"),
    P(0, "Sarvan", "Sarvan", "Сарван", "Սարվան", 0, "Sarwan"),
    P(1, "Dashkend", "Daşkənd", "Дашкенд", "Դաշքենդ", 0, "Dashkand/Dashkent"),
    P(1, "Chaykend", "Çaykənd", "Чайкенд", "Չայքենդ", 0, "Chaikend/Chaykand"),
    P(1, "Shamli", "Şamlı", "Шамлы", "Շամլի", 0, "Shamly"),
    P(1, "Bulagli", "Bulaqlı", "Булаглы", "Բուլաղլի", 0, "Bulagly/Bulakhli"),
    P(2, "Gorabad", "Qorabad", "Горабад", "Գորաբադ", 0, "Qorabad/Gorabat"),
    P(2, "Narli", "Narlı", "Нарлы", "Նարլի", 0, "Narly"),
    P(2, "Ortali", "Ortalı", "Орталы", "Օրթալի", 0, "Ortaly"),
    P(2, "Tazakend", "Təzəkənd", "Тазакенд", "Թազաքենդ", 0, "Tazakand/Tezekend"),
    P(3, "Saritala", "Sarıtala", "Сарытала", "Սարիթալա", 0, "Sarytala"),
    P(3, "Kizilkend", "Qızılkənd", "Кызылкенд", "Կիզիլքենդ", 0, "Kyzylkend"),
    P(3, "Dagbashi", "Dağbaşı", "Дагбашы", "Դաղբաշի", 0, "Daghbashi"),
    P(3, "Gumushlu", "Gümüşlü", "Гумушлу", "Գումուշլու", 0, "Gumushly"),
    P(4, "Mezra", "Məzrə", "Мезра", "Մեզրա", 0, "Mazra/Mezre"),
    P(4, "Armudlu", "Armudlu", "Армудлу", "Արմուդլու", 0, "Armoudlou/Armudly"),
    P(4, "Seyidli", "Seyidli", "Сеидли", "Սեյիդլի", 0, "Seidli"),
    P(4, "Chinarli", "Çinarlı", "Чинарлы", "Չինարլի", 0, "Chinarly"),
};

/* Peru and Colombia: the official names with their accents, ASCII canonical names. */
static const synth_place spanish_regions[] = {
    R("Ayacucho", "Ayacucho", 0, 0, 0, 0, 0.34, 0.8),
    R("Antioquia", "Antioquia", 0, 0, 0, 0, 0.22, 0.05),
    R("Junin", "Junín", 0, 0, 0, "Junín", 0.16, 0.6),
    R("Apurimac", "Apurímac", 0, 0, 0, "Apurímac", 0.12, 1.0),
    R("Huancavelica", "Huancavelica", 0, 0, 0, 0, 0.09, 0.75),
    R("Choco", "Chocó", 0, 0, 0, "Chocó", 0.07, 0.0),
};

static const synth_place spanish_places[] = {
    P(0, "Huamanga", "Huamanga", 0, 0, 0, 0),
    P(0, "Huanta", "Huanta", 0, 0, 0, 0),
    P(0, "La Mar", "La Mar", 0, 0, 0, 0),
    P(0, "Cangallo", "Cangallo", 0, 0, 0, 0),
    P(0, "Vilcashuaman", "Vilcashuamán", 0, 0, 0, "Vilcashuamán"),
    P(0, "Lucanas", "Lucanas", 0, 0, 0, 0),
    P(1, "Apartado", "Apartadó", 0, 0, 0, "Apartadó"),
    P(1, "San Carlos", "San Carlos", 0, 0, 0, 0),
    P(1, "Granada", "Granada", 0, 0, 0, 0),
    P(1, "Segovia", "Segovia", 0, 0, 0, 0),
    P(1, "Urrao", "Urrao", 0, 0, 0, 0),
    P(2, "Huancayo", "Huancayo", 0, 0, 0, 0),
    P(2, "Satipo", "Satipo", 0, 0, 0, 0),
    P(2, "Jauja", "Jauja", 0, 0, 0, 0),
    P(2, "Tarma", "Tarma", 0, 0, 0, 0),
    P(3, "Andahuaylas", "Andahuaylas", 0, 0, 0, 0),
    P(3, "Abancay", "Abancay", 0, 0, 0, 0),
    P(3, "Chincheros", "Chincheros", 0, 0, 0, 0),
    P(4, "Lircay", "Lircay", 0, 0, 0, 0),
    P(4, "Huaytara", "Huaytará", 0, 0, 0, "Huaytará"),
    P(4, "Tayacaja", "Tayacaja", 0, 0, 0, 0),
    P(5, "Bojaya", "Bojayá", 0, 0, 0, "Bojayá"),
    P(5, "Quibdo", "Quibdó", 0, 0, 0, "Quibdó"),
    P(5, "Riosucio", "Riosucio", 0, 0, 0, 0),
};

/* Syria and Iraq: Arabic script local forms, English canonical names (as OCHA's ADM1_EN),
 * French ones and other English romanizations. */
static const synth_place arabic_regions[] = {
    R("Aleppo", "حلب", 0, 0, "Alep", 0, 0.30, 0.1),
    R("Homs", "حمص", 0, 0, "Homs", "Hims", 0.20, 0.6),
    R("Rif Dimashq", "ريف دمشق", 0, 0, "Rif Dimachq", "Reef Dimashq/Rif Dimashk", 0.16, 0.85),
    R("Nineveh", "نينوى", 0, 0, "Ninive", "Ninawa/Ninewa", 0.14, 0.0),
    R("Idlib", "إدلب", 0, 0, "Idleb", "Edlib", 0.12, 0.3),
    R("Daraa", "درعا", 0, 0, "Deraa", "Dar'a", 0.08, 1.0),
};

static const synth_place arabic_places[] = {
    P(0, "Aleppo", "حلب", 0, 0, "Alep", 0),
    P(0, "Manbij", "منبج", 0, 0, "Manbij", "Menbij"),
    P(0, "Azaz", "أعزاز", 0, 0, "Azaz", "A'zaz"),
    P(0, "Al-Bab", "الباب", 0, 0, "Al-Bab", "Al Bab/al-Bab"),
    P(1, "Homs", "حمص", 0, 0, "Homs", "Hims"),
    P(1, "Talbiseh", "تلبيسة", 0, 0, "Talbissé", "Talbisa"),
    P(1, "Al-Qusayr", "القصير", 0, 0, "Al-Qusayr", "Al Qusair"),
    P(1, "Rastan", "الرستن", 0, 0, "Rastan", 0),
    P(2, "Douma", "دوما", 0, 0, "Douma", "Duma"),
    P(2, "Qudsaya", "قدسيا", 0, 0, "Qoudsaya", "Qudsayya"),
    P(2, "Zabadani", "الزبداني", 0, 0, "Zabadani", "Zabadany"),
    P(2, "Yabroud", "يبرود", 0, 0, "Yabroud", "Yabrud"),
    P(3, "Mosul", "الموصل", 0, 0, "Mossoul", 0),
    P(3, "Tal Afar", "تلعفر", 0, 0, "Tal Afar", "Tel Afar/Tall Afar"),
    P(3, "Sinjar", "سنجار", 0, 0, "Sindjar", 0),
    P(4, "Idlib", "إدلب", 0, 0, "Idleb", "Edlib"),
    P(4, "Saraqib", "سراقب", 0, 0, "Saraqeb", 0),
    P(4, "Ariha", "أريحا", 0, 0, "Ariha", "Areeha"),
    P(5, "Daraa", "درعا", 0, 0, "Deraa", "Dar'a"),
    P(5, "Nawa", "نوى", 0, 0, "Nawa", 0),
    P(5, "Tafas", "طفس", 0, 0, "Tafas", 0),
};

/* Kosovo: its seven districts (regions) and their municipalities (places), canonical names in
 * English use, local forms in Albanian, with their Serbian Latin and Cyrillic names. */
#define KR(name, sq, sr, cyr, alt, weight, zone)                                                   \
    {                                                                                              \
        name, sq, 0, 0, 0, alt, -1, weight, zone, sr, cyr                                          \
    }
#define KP(region, name, sq, sr, cyr, alt)                                                         \
    {                                                                                              \
        name, sq, 0, 0, 0, alt, region, 0, 0, sr, cyr                                              \
    }

static const synth_place balkans_regions[] = {
    KR("Pristina", "Prishtinë", "Priština", "Приштина", "Prishtina", 0.24, 0.35),
    KR("Peja", "Pejë", "Peć", "Пећ", 0, 0.18, 0.3),
    KR("Gjakova", "Gjakovë", "Đakovica", "Ђаковица", "Djakovica", 0.17, 0.65),
    KR("Prizren", "Prizren", "Prizren", "Призрен", 0, 0.15, 1.0),
    KR("Mitrovica", "Mitrovicë", "Mitrovica", "Митровица", 0, 0.12, 0.0),
    KR("Ferizaj", "Ferizaj", "Uroševac", "Урошевац", 0, 0.08, 0.8),
    KR("Gjilan", "Gjilan", "Gnjilane", "Гњилане", 0, 0.06, 0.7),
};

static const synth_place balkans_places[] = {
    KP(0, "Pristina", "Prishtinë", "Priština", "Приштина", "Prishtina"),
    KP(0, "Podujeva", "Podujevë", "Podujevo", "Подујево", 0),
    KP(0, "Obiliq", "Obiliq", "Obilić", "Обилић", 0),
    KP(0, "Fushe Kosova", "Fushë Kosovë", "Kosovo Polje", "Косово Поље", 0),
    KP(0, "Lipjan", "Lipjan", "Lipljan", "Липљан", 0),
    KP(0, "Drenas", "Gllogoc", "Glogovac", "Глоговац", "Drenas"),
    KP(1, "Peja", "Pejë", "Peć", "Пећ", 0),
    KP(1, "Istog", "Istog", "Istok", "Исток", 0),
    KP(1, "Klina", "Klinë", "Klina", "Клина", 0),
    KP(2, "Gjakova", "Gjakovë", "Đakovica", "Ђаковица", "Djakovica"),
    KP(2, "Decan", "Deçan", "Dečani", "Дечани", 0),
    KP(2, "Rahovec", "Rahovec", "Orahovac", "Ораховац", 0),
    KP(2, "Junik", "Junik", "Junik", "Јуник", 0),
    KP(3, "Prizren", "Prizren", "Prizren", "Призрен", 0),
    KP(3, "Suhareka", "Suharekë", "Suva Reka", "Сува Река", 0),
    KP(3, "Dragash", "Dragash", "Dragaš", "Драгаш", 0),
    KP(3, "Malisheva", "Malishevë", "Mališevo", "Малишево", 0),
    KP(4, "Mitrovica", "Mitrovicë", "Mitrovica", "Митровица", 0),
    KP(4, "Vushtrri", "Vushtrri", "Vučitrn", "Вучитрн", 0),
    KP(4, "Skenderaj", "Skenderaj", "Srbica", "Србица", 0),
    KP(4, "Zvecan", "Zveçan", "Zvečan", "Звечан", 0),
    KP(4, "Leposavic", "Leposaviq", "Leposavić", "Лепосавић", 0),
    KP(5, "Ferizaj", "Ferizaj", "Uroševac", "Урошевац", 0),
    KP(5, "Kacanik", "Kaçanik", "Kačanik", "Качаник", 0),
    KP(5, "Shtime", "Shtime", "Štimlje", "Штимље", 0),
    KP(5, "Shterpce", "Shtërpcë", "Štrpce", "Штрпце", 0),
    KP(6, "Gjilan", "Gjilan", "Gnjilane", "Гњилане", 0),
    KP(6, "Kamenica", "Kamenicë", "Kamenica", "Каменица", 0),
    KP(6, "Viti", "Viti", "Vitina", "Витина", 0),
    KP(6, "Novo Brdo", "Novobërdë", "Novo Brdo", "Ново Брдо", 0),
};

#define G(local_column, regions, places)                                                           \
    {                                                                                              \
        local_column, regions, RK_ARRAY_LEN(regions), places, RK_ARRAY_LEN(places)                 \
    }

const synth_places synth_places_caucasus = G("name_az", caucasus_regions, caucasus_places);
const synth_places synth_places_spanish = G("name_es", spanish_regions, spanish_places);
const synth_places synth_places_arabic = G("name_ar", arabic_regions, arabic_places);
const synth_places synth_places_balkans = G("name_sq", balkans_regions, balkans_places);

const synth_places *synth_culture_places(int culture)
{
    return culture == CUL_ES                        ? &synth_places_spanish
           : culture == CUL_AR                      ? &synth_places_arabic
           : culture == CUL_SQ || culture == CUL_SR ? &synth_places_balkans
                                                    : &synth_places_caucasus;
}

/* The i-th of a '/'-separated list of spellings. */
static int nth_spelling(rk_buf *out, const char *list, size_t i)
{
    const char *s = list;
    while (i > 0 && (s = strchr(s, '/')) != NULL) {
        s++;
        i--;
    }
    const char *e = strchr(s, '/');
    return rk_buf_append(out, s, e ? (size_t)(e - s) : strlen(s));
}

static size_t count_spellings(const char *list)
{
    size_t n = list ? 1 : 0;
    for (const char *s = list; s && *s; s++)
        n += *s == '/';
    return n;
}

static const int ru_systems[] = {0, 1}; /* BGN-like and passport-like */

size_t synth_place_nvariants(const synth_place *pl)
{
    return count_spellings(pl->alt) + (pl->ru ? 1 + RK_ARRAY_LEN(ru_systems) : 0) +
           (pl->sr ? 2 : 0);
}

int synth_place_variant(rk_buf *out, const synth_place *pl, size_t k)
{
    size_t nalt = count_spellings(pl->alt);
    if (k < nalt)
        return nth_spelling(out, pl->alt, k);
    if (pl->sr) /* Kosovo: Albanian and Serbian in plain letters (Peje, Pec, Djakovica) */
        return synth_plain_letters(out, k == nalt ? pl->local : pl->sr, true);
    if (k == nalt)
        return synth_az_to_english(out, pl->local);
    return synth_ru_to_latin(out, pl->ru, ru_systems[k - nalt - 1]);
}

size_t synth_scenario_groups(const synth_places *out[SYNTH_MAX_GROUPS], const synth_scenario *sc)
{
    const synth_places *all[SYNTH_MAX_GROUPS] = {&synth_places_caucasus, &synth_places_spanish,
                                                 &synth_places_arabic, &synth_places_balkans};
    size_t n = 0;
    for (size_t i = 0; i < SYNTH_MAX_GROUPS; i++) {
        bool used = false;
        for (int c = 0; c < CUL_COUNT; c++)
            used |= sc->culture_share[c] > 0 && synth_culture_places(c) == all[i];
        if (used)
            out[n++] = all[i];
    }
    return n;
}

void synth_place_draw(uint32_t *region, uint32_t *place, const synth_places *g, rk_rng *r)
{
    *place = 0;
    double x = rk_rng_uniform(r), acc = 0;
    *region = (uint32_t)g->nregions - 1;
    for (size_t i = 0; i < g->nregions; i++) {
        acc += g->regions[i].weight;
        if (x < acc) {
            *region = (uint32_t)i;
            break;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < g->nplaces; i++)
        n += g->places[i].region == (int)*region;
    uint64_t k = rk_rng_below(r, n);
    for (size_t i = 0; i < g->nplaces; i++)
        if (g->places[i].region == (int)*region && k-- == 0) {
            *place = (uint32_t)i;
            return;
        }
    assert(!"every region has a place");
}
