/* reckon text: standardization of names, sex and places before linkage.
 *
 * A name written in any script and any romanization convention (Məmmədov, Мамедов, Mamedov,
 * Mammadov) is split into tokens; each token gets its script, a Latin ASCII romanization and
 * folded "sound" keys on which the linker blocks and compares. Full names are parsed into
 * roles (given, family, patronymic, ...) by naming culture, and the chosen parse is explained.
 *
 * Ownership: an rk_text is made by rk_text_new and freed by rk_text_free. Every string that a
 * function of this header hands out through an rk_name, an rk_name_token or an rk_text_keys
 * points into the rk_text's cache: it is never freed by the caller and stays valid until
 * rk_text_free. Structs the caller owns (rk_name, rk_text_keys) hold no allocations.
 *
 * Lifetimes (what the fuzz harnesses rely on): rk_text_new keeps a pointer to `ctx`, where
 * every later call on the rk_text reports its errors, so the context must outlive the
 * rk_text and is used by one thread at a time with it. An rk_name's token offsets (start,
 * len) point into the string it was parsed from, which rk_text_name_json takes again: pass
 * it the same string, unchanged. rk_gazetteer_open reports into its store's context.
 *
 * Threads: an rk_text is not thread-safe. Give each thread its own rk_text (its own cache
 * and ICU transliterators); nothing is shared between them, so no locking is needed. */
#ifndef RECKON_TEXT_H
#define RECKON_TEXT_H

#include "reckon/core.h"
#include "reckon/ingest.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Languages, scripts, options ------------------------------------------------------ */

/* The language of a list (from its mapping), which chooses the transliteration standard and
 * the naming culture. RK_LANG_AUTO guesses per name from scripts, letters and particles. */
typedef enum rk_lang {
    RK_LANG_AUTO = 0,
    RK_LANG_AZ, /* Azerbaijani (Latin or Cyrillic) */
    RK_LANG_RU, /* Russian (and Russified forms of Caucasus names) */
    RK_LANG_HY, /* Armenian */
    RK_LANG_AR, /* Arabic */
    RK_LANG_ES, /* Spanish */
    RK_LANG_SR, /* Serbian (Cyrillic or Latin), Croatian, Bosnian */
    RK_LANG_KA, /* Georgian */
    RK_LANG_SQ, /* Albanian */
    RK_LANG_TR, /* Turkish */
    RK_LANG_EN, /* English romanizations of any of these */
    RK_LANG_COUNT
} rk_lang;

typedef enum rk_script {
    RK_SCRIPT_NONE = 0, /* no letters (digits or punctuation only) */
    RK_SCRIPT_LATIN,
    RK_SCRIPT_CYRILLIC,
    RK_SCRIPT_ARMENIAN,
    RK_SCRIPT_GEORGIAN,
    RK_SCRIPT_ARABIC,
    RK_SCRIPT_GREEK,
    RK_SCRIPT_OTHER
} rk_script;

/* rk_name_order (the order of a full name) is declared in reckon/ingest.h. */

/* Parses "az", "ru", "auto", ... (ISO 639-1 codes); RK_EINPUT for an unknown code. */
int rk_text_lang_parse(rk_lang *out, rk_ctx *ctx, const char *code);
const char *rk_text_script_name(rk_script script);
/* Parses "auto", "given-first", "family-first". */
int rk_text_order_parse(rk_name_order *out, rk_ctx *ctx, const char *s);
const char *rk_text_order_name(rk_name_order order);

#define RK_TEXT_OPTIONS_VERSION 1

typedef struct rk_text_options {
    unsigned version;    /* RK_TEXT_OPTIONS_VERSION */
    rk_lang lang;        /* language of the list; RK_LANG_AUTO to guess per name */
    rk_name_order order; /* order of full names; RK_ORDER_AUTO to infer */
} rk_text_options;

#define RK_TEXT_OPTIONS_INIT                                                                       \
    {                                                                                              \
        .version = RK_TEXT_OPTIONS_VERSION, .lang = RK_LANG_AUTO, .order = RK_ORDER_AUTO           \
    }

typedef struct rk_text rk_text;

/* Makes a standardizer. `opts` may be NULL for the defaults. Its cache grows with the number
 * of distinct strings seen (about 200 bytes each: 40 MB for 200,000) and is freed with it. */
int rk_text_new(rk_text **out, rk_ctx *ctx, const rk_text_options *opts);
void rk_text_free(rk_text *t);
/* Changes the language and order hints (the cache stays valid: it is keyed by language). */
void rk_text_set_lang(rk_text *t, rk_lang lang, rk_name_order order);
/* The same from a list's stored codes ("az", "family-first"); NULL or unknown means auto. */
void rk_text_set_lang_codes(rk_text *t, const char *lang, const char *order);
/* Distinct strings in the cache, lookups and misses since rk_text_new (for benchmarks). */
void rk_text_cache_stats(const rk_text *t, size_t *entries, uint64_t *lookups, uint64_t *misses);

/* ---- Tokens and their keys ----------------------------------------------------------- */

typedef enum rk_name_role {
    RK_ROLE_UNKNOWN = 0,   /* kept, but not placed (digits, stray letters) */
    RK_ROLE_GIVEN,         /* first or compound given name: María, del Carmen, Abdullah */
    RK_ROLE_FAMILY,        /* (first) family name: Məmmədov, Quispe, al-Ahmad */
    RK_ROLE_PATRONYMIC,    /* father's name: Alievich, Əli (oğlu), Hovhannesi, bin Abdullah */
    RK_ROLE_SECOND_FAMILY, /* Spanish second (maternal) family name: Huamán */
    RK_ROLE_GRANDFATHER,   /* Arabic chains: the third name of X bin Y bin Z */
    RK_ROLE_PARTICLE,      /* bin, ibn, bint, al, el, oğlu, qızı, de, del, la, y, s/o */
    RK_ROLE_SPOUSE,        /* a husband's or wife's name after w/o, wife of: kept, not compared */
    RK_ROLE_COUNT
} rk_name_role;

const char *rk_text_role_name(rk_name_role role);

typedef enum rk_gender { RK_GENDER_UNKNOWN = 0, RK_GENDER_MALE, RK_GENDER_FEMALE } rk_gender;

/* Token flags. */
enum {
    RK_TOKEN_ABJAD = 1u << 0,   /* written without vowels (Arabic script not in the name table):
                                   compare its skeleton, not its sound key */
    RK_TOKEN_INITIAL = 1u << 1, /* a single letter (an initial) */
    RK_TOKEN_HYPHEN = 1u << 2,  /* joined to the previous token by a hyphen (al-Ahmad) */
    RK_TOKEN_DIGITS = 1u << 3,  /* had digits read as letters (OCR: Мамед0в, 3ейнал) */
    RK_TOKEN_MIXED = 1u << 4,   /* mixed Latin and Cyrillic look-alike letters, folded */
    RK_TOKEN_STEM = 1u << 5,    /* keys are those of a stem (patronymic Alievich -> Ali) */
};

/* Keys of one token (one word of a name, or a merged compound such as Abd al-Rahman). */
typedef struct rk_text_keys {
    const char *text;  /* the token, NFC, format characters removed, case kept */
    const char *latin; /* lower-case ASCII romanization: mammadov, oganesyan, muhammad */
    const char *key;   /* sound key: the primary key for blocking and comparison */
    const char *alt;   /* a second sound key where conventions differ (Hakob/Akop: initial
                          h dropped); "" when none */
    const char *skel;  /* consonant skeleton of the key, for matching abjad spellings */
    uint32_t nick;     /* short-form / nickname group (Aleksandr, Sasha, Shura), 0 if none */
    rk_script script;
    rk_gender gender; /* hint from a gendered ending or the given-name table */
    unsigned flags;   /* RK_TOKEN_* */
} rk_text_keys;

/* Keys of a single token as a given name (role RK_ROLE_GIVEN) or a family name (role
 * RK_ROLE_FAMILY folds gendered endings: Məmmədova and Мамедов share a key). `token` is one
 * word; spaces and punctuation are dropped. Cached: the second call with the same text is a
 * hash lookup. */
int rk_text_key(rk_text_keys *out, rk_text *t, const char *token, rk_name_role role);

/* ---- Names ----------------------------------------------------------------------------- */

#define RK_NAME_MAX_TOKENS 24

typedef struct rk_name_token {
    rk_text_keys k;    /* keys for this token in its role (family: gender folded;
                          patronymic: the father's name, Alievich -> key of Ali) */
    rk_name_role role; /* the role chosen by the parse */
    uint16_t start;    /* byte offset and length of the token in the input */
    uint16_t len;
} rk_name_token;

/* Cultures a parse can follow (rk_name.culture). */
typedef enum rk_culture {
    RK_CULTURE_GENERIC = 0, /* given family (or family given), no patronymic */
    RK_CULTURE_EAST_SLAVIC, /* Russian: Family Given Patronymic-ovich/-ovna */
    RK_CULTURE_AZERBAIJANI, /* Given Father oğlu/qızı Family, or Russian style */
    RK_CULTURE_ARMENIAN,    /* Given Father-i Family-yan, or Russian style */
    RK_CULTURE_GEORGIAN,    /* Given Family-dze/-shvili */
    RK_CULTURE_ARABIC,      /* Given bin Father bin Grandfather al-Family */
    RK_CULTURE_SPANISH,     /* Given(s) Paternal Maternal, particles de/del/la/y */
    RK_CULTURE_SERBIAN,     /* Given (Father) Family-ić */
    RK_CULTURE_ALBANIAN,    /* Given Father Family */
    RK_CULTURE_COUNT
} rk_culture;

const char *rk_text_culture_name(rk_culture c);

/* Name flags. */
enum {
    RK_NAME_TRUNCATED = 1u << 0,     /* more than RK_NAME_MAX_TOKENS tokens: the rest dropped */
    RK_NAME_COMMA = 1u << 1,         /* "Family, Given" form: the comma fixed the order */
    RK_NAME_ORDER_GUESSED = 1u << 2, /* no evidence for the order; the default was used */
    RK_NAME_EMPTY = 1u << 3,         /* no letters at all */
};

/* A parsed name: filled by rk_text_name_parse, owned by the caller, no allocations. */
typedef struct rk_name {
    size_t ntokens;
    rk_name_token tokens[RK_NAME_MAX_TOKENS];
    rk_culture culture;  /* the naming culture followed */
    rk_name_order order; /* the order chosen */
    rk_gender gender;    /* vote of the tokens' hints (patronymic and family endings first) */
    unsigned flags;      /* RK_NAME_* */
    int order_evidence;  /* > 0 evidence for family-first, < 0 for given-first, 0 none */
    char why[192];       /* one line: which parse was chosen and why */
} rk_name;

/* Parses a full name field ("Məmmədov Elçin Əli oğlu", "محمد بن عبد الله الأحمد",
 * "Quispe Huamán, María del Carmen"). Every token is kept, with its role. An empty name is
 * not an error (ntokens 0, RK_NAME_EMPTY). RK_EINPUT only for invalid UTF-8. */
int rk_text_name_parse(rk_name *out, rk_text *t, const char *full);

/* Parses a name given in separate columns (any may be NULL or empty): the tokens of each
 * field take that field's role (Spanish "Quispe Huamán" in `family` gives family and
 * second_family; "Əli oğlu" in `patronymic` gives patronymic and particle). */
int rk_text_name_parts(rk_name *out, rk_text *t, const char *given, const char *family,
                       const char *patronymic);

/* How well two tokens agree, from the strongest level down (for embedders comparing two names
 * outside a project; the linker compares the keys stored with each record, see
 * src/link/compare.c). Never rewrites a token: nicknames are a level, not a replacement. */
typedef enum rk_token_level {
    RK_LEVEL_NONE = 0,
    RK_LEVEL_NICKNAME, /* same short-form group (Aleksandr ~ Sasha, José ~ Pepe) */
    RK_LEVEL_SKELETON, /* an abjad spelling whose consonants agree (مصطفى ~ Mustafa) */
    RK_LEVEL_ALT,      /* one's alternative key equals the other's key (Hakobyan ~ Akopyan) */
    RK_LEVEL_SOUND,    /* same sound key (Məmmədov ~ Mamedov ~ Мамедова) */
    RK_LEVEL_LATIN,    /* same romanization (Мамедов ~ Mamedov) */
    RK_LEVEL_EXACT     /* same text after normalization */
} rk_token_level;

rk_token_level rk_text_token_level(const rk_text_keys *a, const rk_text_keys *b);
const char *rk_text_level_name(rk_token_level level);

/* Writes the parse as JSON (one object) into `out` (appends). */
int rk_text_name_json(rk_buf *out, const rk_name *name, const char *input);

/* ---- Sex --------------------------------------------------------------------------------- */

typedef enum rk_sex { RK_SEX_UNKNOWN = 0, RK_SEX_MALE, RK_SEX_FEMALE } rk_sex;

enum { RK_SEX_INFERRED = 1u << 0 }; /* from the name's gendered endings, not from the list */

/* Reads a sex field in many spellings (M/F, м/ж, kişi/qadın, male/female, hombre/mujer,
 * ذكر/أنثى, ...). When the field is blank (or NULL) and `name` is given, infers the sex from
 * the name's gender hints and sets RK_SEX_INFERRED in *flags. An unrecognized non-blank
 * value gives RK_SEX_UNKNOWN (the raw value is the caller's to keep). */
rk_sex rk_text_sex(rk_text *t, const char *field, const rk_name *name, unsigned *flags);
const char *rk_text_sex_code(rk_sex sex); /* "M", "F", "" */
/* The sex of `field` in a list that writes H for men and no F (hombre, mujer: Spanish): there
 * M is a woman; any other spelling reads as rk_text_sex reads it. */
rk_sex rk_text_sex_hm(rk_text *t, const char *field);

/* ---- Places ------------------------------------------------------------------------------ */

/* Folds a place name like a name (romanized, sound-folded, words in order, "district",
 * "village" and their translations dropped) into a key in `out` (appended, NUL-terminated).
 */
int rk_text_place_key(rk_buf *out, rk_text *t, const char *place);

/* ---- The gazetteer -------------------------------------------------------------------- */

/* A project's gazetteer (imported by rk_ingest_gazetteer), its names folded with
 * rk_text_place_key. Made by rk_gazetteer_open, freed by rk_gazetteer_free; the names it hands
 * out are its own and live until it is freed. */
typedef struct rk_gazetteer rk_gazetteer;

/* Reads the gazetteer in force; *out is NULL when the project has none. */
int rk_gazetteer_open(rk_gazetteer **out, rk_store *st);
void rk_gazetteer_free(rk_gazetteer *g);
/* The canonical name of the region that a record's region value (any spelling of a region's
 * names) or, failing that, its place (any spelling of a place's) finds; NULL when neither
 * finds one region. Either value may be NULL or empty. */
int rk_gazetteer_region(const char **out, rk_gazetteer *g, const char *region, const char *place);
/* The canonical name of the one place a record's place value finds, or NULL. */
int rk_gazetteer_place(const char **out, rk_gazetteer *g, const char *place);

/* The key by which strata and claims tell values of a `region` (region true) or `place` field
 * apart, into out (cleared first): with a gazetteer (g not NULL), the canonical name that
 * rk_gazetteer_region (from the value or, failing that, `place`) or rk_gazetteer_place finds,
 * after a \x1d that no folded key has, also in *name; otherwise the value folded by
 * rk_text_place_key, *name NULL. Empty when nothing gives a value (with a gazetteer, a region
 * it does not find). `name` may be NULL; `value` and `place` may be NULL. */
int rk_text_stratum_key(rk_buf *out, const char **name, rk_text *t, rk_gazetteer *g, bool region,
                        const char *value, const char *place);

/* Values of current records, per import, that find no region of the gazetteer. */
typedef struct rk_gazetteer_miss {
    char *list, *file;
    int64_t line;         /* of the first record that gives them */
    char *region, *place; /* as given, trimmed ("" when none) */
    int64_t records;
} rk_gazetteer_miss;

/* Every miss, in the order of imports and lines. The array and its strings belong to the
 * caller: free them with rk_gazetteer_misses_free. */
int rk_gazetteer_misses(rk_gazetteer_miss **out, size_t *n, rk_gazetteer *g, rk_store *st);
void rk_gazetteer_misses_free(rk_gazetteer_miss *misses, size_t n);

/* ---- Records -------------------------------------------------------------------------- */

/* The name of an imported record (full_name parsed, else given/family/second family/
 * patronymic parts), given the record's fields by role (RK_FIELD_*; NULL when absent). */
int rk_text_record_name(rk_name *out, rk_text *t, const char *const fields[RK_FIELD_COUNT]);
/* The standardized fields of a record as a JSON object appended to out: {"name": {"culture",
 * "order", "why", "tokens": [{"text", "role", "latin", "key", "alt"?}]}, "sex": "M"|"F"|"",
 * "sex_inferred"?: true, "place_key"?: "..."}. */
int rk_text_record_std(rk_buf *out, rk_text *t, const char *const fields[RK_FIELD_COUNT]);
/* An rk_standardize_fn for rk_import_file: `user` is an rk_text made for the list. */
int rk_text_import_hook(void *user, rk_ctx *ctx, const rk_mapping *m,
                        const char *const fields[RK_FIELD_COUNT], char **std_json);
/* A standardizer set for a list's language and name order. */
int rk_text_for_mapping(rk_text **out, rk_ctx *ctx, const rk_mapping *m);

typedef struct rk_text_standardize_result {
    size_t records;         /* current records standardized */
    size_t changed;         /* whose std changed */
    int64_t through_record; /* the largest record id covered */
    int64_t event_id;       /* the "standardize" event */
} rk_text_standardize_result;

/* Computes the std JSON of every current record again (with its list's language and name
 * order) and stores the changed ones, with a "standardize" event holding the digest of the
 * (id, std) rows, in one transaction: nothing changes on failure. */
int rk_text_standardize_project(rk_text_standardize_result *out, rk_store *st);

#ifdef __cplusplus
}
#endif

#endif
