/* Private declarations of src/synth: the compiled-in name tables, the transliteration and
 * noise helpers, person generation and the list layouts. */
#ifndef RK_SYNTH_PRIVATE_H
#define RK_SYNTH_PRIVATE_H

#include "common.h"

/* A name in up to three forms. Azerbaijani: {az Latin, Russian}; Armenian: {Armenian, Russian,
 * English}; Russian: {Russian, male patronymic}; Spanish: {Spanish}; Arabic: {Arabic script,
 * romanizations separated by '/'}; Albanian and Serbian: {Albanian or Serbian Latin}, the
 * other forms by conversion (translit.c). */
typedef struct synth_name {
    const char *a, *b, *c;
} synth_name;

typedef struct synth_table {
    const synth_name *v;
    size_t n;
} synth_table;

enum { CUL_AZ, CUL_HY, CUL_RU, CUL_ES, CUL_AR, CUL_SQ, CUL_SR, CUL_COUNT };

extern const synth_table synth_az_male, synth_az_female, synth_az_family;
extern const synth_table synth_hy_male, synth_hy_female, synth_hy_family;
extern const synth_table synth_ru_male, synth_ru_female, synth_ru_family;
extern const synth_table synth_es_male, synth_es_female, synth_es_family;
extern const synth_table synth_ar_male, synth_ar_female, synth_ar_family;
extern const synth_table synth_sq_male, synth_sq_female, synth_sq_family;
extern const synth_table synth_sr_male, synth_sr_female, synth_sr_family;

/* A region or a place: its canonical name (the gazetteer's region or place column), its
 * spellings in the group's own script and in others (NULL when none), and the other Latin
 * spellings lists use ('/'-separated, NULL when none), each of which folds like one of the
 * gazetteer's. A region has a share of its group's people and a position from north (0) to
 * south (1); a place has its region (an index into the group's regions). */
typedef struct synth_place {
    const char *name;
    const char *local; /* Azerbaijani Latin, Spanish with accents, Arabic script or Albanian */
    const char *ru, *hy, *fr;
    const char *alt;
    int region; /* -1 for a region */
    double weight, zone;
    const char *sr, *sr_cyrl; /* Serbian Latin and Cyrillic (Kosovo), else NULL */
} synth_place;

/* The regions and places of one group (the caucasus, the Spanish-speaking or the
 * Arabic-speaking places), and the gazetteer's column of their local spelling. */
typedef struct synth_places {
    const char *local_column;
    const synth_place *regions;
    size_t nregions;
    const synth_place *places;
    size_t nplaces;
} synth_places;

extern const synth_places synth_places_caucasus, synth_places_spanish, synth_places_arabic,
    synth_places_balkans;

#define SYNTH_MAX_GROUPS 4

/* A person's region (by the regions' shares) and a place in it, drawn from r. */
void synth_place_draw(uint32_t *region, uint32_t *place, const synth_places *g, rk_rng *r);

/* ---- UTF-8 text helpers (translit.c) ---- */

#define SYN_MAX_CP 160

/* Decodes UTF-8 into code points (at most cap); returns the count. */
size_t synth_decode(const char *s, uint32_t *cp, size_t cap);
/* Appends code points as UTF-8. */
int synth_encode(rk_buf *b, const uint32_t *cp, size_t n);
/* Russian Cyrillic to Latin, in one of several common systems (variant 0..3; 4 is
 * Azerbaijani Latin), appended. */
int synth_ru_to_latin(rk_buf *out, const char *ru, int variant);
/* Azerbaijani Latin to plain English letters (Məmmədov -> Mammadov), appended. */
int synth_az_to_english(rk_buf *out, const char *az);
/* Latin text without diacritics (María -> Maria), appended. */
int synth_strip_accents(rk_buf *out, const char *s);
/* Upper-cases Latin, Cyrillic and Azerbaijani letters in place (by code point). */
void synth_upper(uint32_t *cp, size_t n);
/* A few random typing or OCR errors in text (by code point), as the record's source would
 * make them; `ocr` picks look-alike confusions (3/З, 6/б, 0/O) over typing slips. */
int synth_corrupt(rk_buf *out, const char *s, rk_rng *r, double rate, bool ocr);
/* UTF-8 to WINDOWS-1251 ('?' for what it cannot hold), in place (the result is shorter). */
size_t synth_to_cp1251(char *s, size_t n);
/* Albanian Latin in Serbian Cyrillic as Serbian officials write it (Nderim Krasniqi -> Ндерим
 * Краснићи: xh џ, q ћ, gj ђ, dh д, th т, ll л, rr р, nj њ, sh ш, zh ж, ç ч, y и); a word-final
 * ë is dropped, or written е when final_e. Appended. */
int synth_sq_to_cyrillic(rk_buf *out, const char *sq, bool final_e);
/* Albanian in Serbian Latin, as read back from that Cyrillic (Krasniqi -> Krasnići). */
int synth_sq_to_sr(rk_buf *out, const char *sq);
/* Serbian Latin to Cyrillic (Ljubiša Đorđević -> Љубиша Ђорђевић), appended. */
int synth_sr_to_cyrillic(rk_buf *out, const char *sr);
/* A Serbian Latin name in Albanian spelling (Đorđević -> Gjorgjeviq: ć q, đ gj, č ç, dž xh,
 * š sh, ž zh), appended. */
int synth_sr_to_albanian(rk_buf *out, const char *sr);
/* Serbian or Albanian Latin in plain letters (Đorđević -> Djordjevic, or Dordevic without
 * dj; Thaçi -> Thaci; Gëzim -> Gezim), appended. */
int synth_plain_letters(rk_buf *out, const char *s, bool dj);

/* ---- people (person.c) ---- */

typedef struct synth_person {
    uint64_t id;
    int culture;
    int sex; /* 1 male, 2 female */
    uint32_t given, given2, family, family2, father, grandfather;
    bool has_given2, has_family2;
    int birth_y, birth_m, birth_d;
    int event_y, event_m, event_d;
    uint32_t region, place; /* indexes into synth_culture_places(culture) */
    int violation;          /* 0 killed, 1 disappeared, 2 wounded, 3 detained */
    int klass;              /* latent class of visibility */
} synth_person;

typedef enum synth_script { SCRIPT_NATIVE, SCRIPT_CYRILLIC, SCRIPT_LATIN } synth_script;

/* A generated family name and its spellings (names_pool.c). */
typedef struct synth_pool_name {
    synth_name name;
    char a[128], b[128], c[128];
} synth_pool_name;

/* A person's name parts rendered in one script; each an empty string when absent. */
typedef struct synth_rendered {
    rk_buf given, family, family2, patronymic, father;
    rk_buf s1, s2; /* scratch, reused so that rendering allocates nothing once warm */
    /* the family, given and father's names when they are generated ones */
    synth_pool_name generated, gen_given, gen_father;
} synth_rendered;

typedef struct synth_scenario {
    const char *name;
    double culture_share[CUL_COUNT];
    int event_from, event_to; /* years */
} synth_scenario;

/* ---- the large pool of family names (names_pool.c) ---- */

/* The commonest family name of a culture is about this many people in the large pool, at any
 * size; the pool holds the table's names and SYNTH_POOL_GROWTH N^SYNTH_POOL_POWER generated
 * ones for a culture of N people. Given names likewise, with fewer names (they are a smaller
 * pool in every population). */
#define SYNTH_POOL_TOP          10000.0
#define SYNTH_POOL_GROWTH       4.0
#define SYNTH_POOL_POWER        0.6
#define SYNTH_POOL_GIVEN_TOP    5000.0
#define SYNTH_POOL_GIVEN_GROWTH 2.0
#define SYNTH_POOL_GIVEN_POWER  0.5

/* Ranks [0, size) drawn with Zipf's law flattened over the first k0 (span =
 * ln((size + k0) / k0); k0 0 is uniform), the table's names first. */
typedef struct synth_pool_rank {
    uint32_t size;
    double k0, span;
} synth_pool_rank;

/* Names drawn by culture: large false, the tables as always; large true, family and given
 * names (a father's too) from ranks past the tables' (cultures that generate names only). */
typedef struct synth_pool {
    bool large;
    synth_pool_rank family[CUL_COUNT], given[CUL_COUNT];
} synth_pool;

/* Sizes the pool for a scenario of this many people (nothing to size when !large). */
void synth_pool_init(synth_pool *pool, const synth_scenario *sc, uint64_t people, bool large);
/* Whether the culture has generated family names (the Caucasus: az, hy, ru). */
bool synth_pool_generates(int culture);
/* A name's rank in a large pool. */
uint32_t synth_pool_draw(const synth_pool_rank *k, rk_rng *r);
/* The family name of this index: the table's below t->n, past it a generated one written into
 * buf (the culture's scripts as in its table: az {az, ru}, hy {hy, ru, en}, ru {ru}). */
const synth_name *synth_family_name(synth_pool_name *buf, const synth_table *t, int culture,
                                    uint32_t index);
/* A given name (the male table's Russian forms are patronymics: Иван, Иванович) likewise; a
 * generated one is female (sex 2) by the culture's ending. */
const synth_name *synth_given_name(synth_pool_name *buf, const synth_table *t, int culture, int sex,
                                   uint32_t index);
/* The family-name table of a culture, and its given names by sex (1 male, 2 female). */
const synth_table *synth_family_table(int culture);
const synth_table *synth_given_table(int culture, int sex);

const synth_scenario *synth_find_scenario(const char *name);
/* The places a person of this culture lives in. */
const synth_places *synth_culture_places(int culture);
/* The place groups of a scenario's people, in the gazetteer's order; returns how many. */
size_t synth_scenario_groups(const synth_places *out[SYNTH_MAX_GROUPS], const synth_scenario *sc);
/* The person with this id: a pure function of (seed, id), so duplicates can be made later. */
/* pool NULL or not large: the family names of the culture's table, as always. */
void synth_person_make(synth_person *p, const synth_scenario *sc, const synth_pool *pool,
                       uint64_t seed, uint64_t id);
/* Renders names in a script; r is the record's own random stream (variants). */
int synth_render(synth_rendered *out, const synth_person *p, synth_script script, rk_rng *r);

/* ---- list layouts (layouts.c) and rows (row.c) ---- */

/* NAME_REGISTER: "Family (Father) Given" in one column, the Yugoslav register form. */
enum { NAME_FULL_FAMILY_FIRST, NAME_FULL_GIVEN_FIRST, NAME_SPLIT, NAME_CHAIN, NAME_REGISTER };
/* DATE_DMY_DOT: 28.05.1972. (Serbian, with the trailing dot); DATE_DMON: 28-May-1972;
 * DATE_MON_DY: May 28, 1972. */
enum {
    DATE_DMY,
    DATE_ISO,
    DATE_YMD8,
    DATE_MDY,
    DATE_YEAR,
    DATE_AGE,
    DATE_DMY_DOT,
    DATE_DMON,
    DATE_MON_DY
};

/* How one list looks: its columns (NULL when absent), scripts, formats and noise, and how
 * visible each latent class of victims is to it. */
typedef struct synth_layout {
    const char *name, *description, *language, *encoding;
    char delimiter;
    synth_script script;
    int name_style;
    bool upper;            /* names in capitals */
    bool comma;            /* a full name family first as "Family, Given" */
    bool plain;            /* Latin names and places without diacritics (Djordjevic) */
    int date_style;        /* birth: a date, a year or an age at the event */
    int death_style;       /* DATE_* of the event date, or -1 */
    const char *id_format; /* printf format of the record id from a number */
    const char *col_id, *col_full, *col_given, *col_family, *col_family2, *col_patronymic,
        *col_father, *col_sex, *col_birth, *col_death, *col_place, *col_region, *col_violation,
        *col_extra, *extra_name;
    const char *sex_m, *sex_f;
    const char *violation_words[4];
    double typo_rate;  /* per character */
    bool ocr;          /* look-alike confusions instead of typing slips */
    double missing;    /* chance each optional value is empty */
    double partial;    /* chance a date keeps only its year or month and year */
    double duplicate;  /* chance a captured person is listed twice */
    double capture[3]; /* capture probability by latent class */
    double tilt;       /* log odds ratio of capture from the north (zone 0) to the south (1) */
    double place_alt;  /* chance a Latin region or place takes another romanization */
    double place_fr;   /* chance it is written in French, where it has a French name */
    int depends_on;    /* an earlier list (or -1) whose capture changes this one's odds */
    double dependence; /* odds ratio given capture by depends_on */
    bool xlsx;         /* kept as an .xlsx workbook (without --spreadsheet) */
} synth_layout;

#define SYNTH_VIOLATIONS_EN                                                                        \
    {                                                                                              \
        "killed", "disappeared", "wounded", "detained"                                             \
    }

extern const synth_layout synth_layouts_spanish[], synth_layouts_arabic[], synth_layouts_balkans[];
extern const size_t synth_nlayouts_spanish, synth_nlayouts_arabic, synth_nlayouts_balkans;

/* The names of an Albanian or Serbian person (balkans.c) as list L writes them: in its
 * language and script (Albanian, Serbian Cyrillic, Serbian Latin with or without diacritics,
 * English letters), with Albanian definite forms (Agimi, Shpresë) as variation. */
int synth_render_balkans(synth_rendered *out, const synth_person *p, const synth_layout *L,
                         rk_rng *r);

/* The layouts of a scenario (at least 4). */
size_t synth_layouts(const synth_layout **out, const char *scenario);
int synth_write_header(rk_buf *row, const synth_layout *L);
/* A list written as an .xlsx workbook (xlsx.c): its CSV rows as written by synth_write_header
 * and synth_write_row become the rows of one sheet. */
typedef struct synth_xlsx synth_xlsx;
int synth_xlsx_open(synth_xlsx **out, rk_ctx *ctx, const char *path, const synth_layout *L);
int synth_xlsx_row(synth_xlsx *w, const char *row, size_t n);
/* Writes the workbook whole; the writer is still freed with synth_xlsx_free. */
int synth_xlsx_close(synth_xlsx *w);
void synth_xlsx_free(synth_xlsx *w);
/* One record of person p as a CSV row (with newline), its id in id_out. */
int synth_write_row(rk_buf *row, const synth_layout *L, const synth_person *p, uint64_t number,
                    rk_rng *r, synth_rendered *names, char *id_out, size_t idcap);
/* The other Latin spellings of a region or place than its canonical name: its own
 * alternatives, then its local form in English letters and its Russian form in two
 * romanizations (those with a Russian form); how many, and the k-th appended to out. */
size_t synth_place_nvariants(const synth_place *pl);
int synth_place_variant(rk_buf *out, const synth_place *pl, size_t k);
/* The least m >= a coprime to n: the multiplier of an affine permutation i -> (m i + b) mod n
 * (synth.c). */
uint64_t synth_coprime(uint64_t a, uint64_t n);
/* The name of a region or place as list L writes it (spelling.c), appended to out. */
int synth_place_spell(rk_buf *out, rk_buf *scratch, const synth_place *pl, const synth_layout *L,
                      rk_rng *r);
int synth_write_mapping(rk_buf *out, const synth_layout *L, const char *list_name,
                        const char *file);

#endif
