/* Private to src/text: the rk_text object, its cache of distinct strings, the string arena,
 * and the tables compiled in as C data (tables_*.c). */
#ifndef RK_TEXT_PRIVATE_H
#define RK_TEXT_PRIVATE_H

#include "reckon/text.h"

#include <unicode/utypes.h>

/* Longest token, in bytes, that gets keys; longer tokens are cut at a character boundary. */
#define TX_TOKEN_MAX 192

/* Where the language hint of a token comes from: its letters (ə, ђ, ñ) or the list. */
typedef enum text_translit {
    TX_TR_RUSSIAN = 0, /* Russian-Latin/BGN */
    TX_TR_SERBIAN,     /* Serbian-Latin/BGN */
    TX_TR_AZERI,       /* Azerbaijani-Latin/BGN (Azerbaijani Cyrillic) */
    TX_TR_ARMENIAN,    /* Armenian-Latin/BGN */
    TX_TR_GEORGIAN,    /* Georgian-Latin/BGN */
    TX_TR_GREEK,       /* Greek-Latin/BGN */
    TX_TR_ANY,         /* Any-Latin; Latin-ASCII */
    TX_TR_COUNT
} text_translit;

/* One distinct (language, string, role class) and its keys; never moved once made. */
typedef struct text_entry {
    const char *raw;
    uint32_t rawlen;
    uint8_t lang;
    uint8_t family; /* 1: keys with gendered family endings folded */
    uint8_t hint;   /* rk_lang guessed from the letters (RK_LANG_AUTO when none) */
    uint8_t particle;
    rk_text_keys k;
    uint16_t lex;       /* index+1 into the lexicon, 0 when the latin form is not in it */
    int8_t fam_culture; /* culture of a family-name ending, -1 none (name_parse.c) */
    int8_t patr;        /* 1 when the latin form has a patronymic ending, -1 not yet known */
} text_entry;

/* A slot of the cache's table: the entry's hash beside it, so that a probe reads the table
 * alone and follows the pointer only on a matching hash (each entry is a cache miss away). */
typedef struct text_slot {
    uint64_t hash;
    text_entry *e; /* NULL: an empty slot */
} text_slot;

/* Strings of the cache live in chunks that never move. */
typedef struct text_chunk {
    struct text_chunk *next;
    size_t used, cap;
    char data[];
} text_chunk;

/* Particle kinds (tables_names.c). */
enum {
    TX_P_NONE = 0,
    TX_P_FILIAL,  /* bin, ibn, bint, ben: Arabic "son/daughter of" */
    TX_P_ARTICLE, /* al, el, ul, ad, ar, ...: joined to the next token */
    TX_P_OGLU,    /* oğlu, ogly: the token before is the father's name (male) */
    TX_P_QIZI,    /* qızı, kyzy: same, female */
    TX_P_ROMANCE, /* de, del, la, las, los, da, di, y */
    TX_P_KUNYA,   /* abu, umm: joined to the next token as part of a given name */
    TX_P_ABD,     /* abd, abdul, abdel: joined to the next into one given name */
    TX_P_FATHER,  /* s/o, d/o, son of, fils de (text_name_merge_relations): father's name next */
    TX_P_SPOUSE   /* w/o, wife of, épouse de: the spouse's name next, not compared */
};

/* The lexicon: one row per known Latin form, built from the tables when rk_text_new runs. */
typedef struct text_lex {
    const char *form;  /* latin, lower-case ASCII */
    const char *canon; /* equivalent standard form (mamed -> mammad), NULL when none */
    uint32_t nick;     /* short-form group, 0 when none */
    uint8_t gender;    /* rk_gender of a given name, 0 when not a known given name */
    uint8_t culture;   /* rk_culture of a known given name */
    uint8_t particle;  /* TX_P_* */
    uint8_t given;     /* 1 when a known given name */
    uint8_t family;    /* 1 when a known family name (of culture `fculture`) */
    uint8_t fculture;
} text_lex;

typedef struct text_dict {
    uint32_t *slots; /* index+1 into `lex`, 0 empty */
    size_t mask;
} text_dict;

/* Sound key of a known given name or nickname -> its lexicon row (so that Mohammed finds
 * Muhammad's gender and group). */
typedef struct text_keydict {
    uint32_t *slots;
    const char **keys;
    size_t mask;
} text_keydict;

struct rk_text {
    rk_ctx *ctx;
    rk_text_options opts;
    /* the cache */
    text_slot *slots;
    size_t nslots, nentries;
    text_chunk *chunks;
    uint64_t lookups, misses;
    /* the lexicon */
    text_lex *lex;
    size_t nlex;
    text_dict dict;
    text_keydict bykey;
    /* ICU objects, opened on first use */
    void *translit[TX_TR_COUNT];
    const void *nfc, *nfkc_cf, *nfd;
};

/* cache.c */
int text_cache_get(rk_text *t, const char *raw, size_t len, rk_lang lang, bool family,
                   const text_entry **out);
char *text_arena_dup(rk_text *t, const char *s, size_t n);
void text_cache_release(rk_text *t);

/* lexicon.c */
int text_lex_build(rk_text *t);
void text_lex_release(rk_text *t);
const text_lex *text_lex_find(const rk_text *t, const char *form, size_t n);
/* The given-name or nickname row whose sound key is `key`, NULL when none. */
const text_lex *text_lex_find_key(const rk_text *t, const char *key);

/* romanize.c: one token (UTF-8, NFC) to lower-case ASCII in `out`. */
int text_romanize(rk_text *t, const char *s, size_t n, rk_lang lang, rk_buf *out, rk_script *script,
                  rk_lang *hint, unsigned *flags);

/* normalize.c */
int text_nfc_clean(rk_text *t, const char *s, size_t n, rk_buf *out);
/* The code point at s[*i] (n bytes in all) through the one decoder (rk_core__utf8_decode),
 * advancing *i past it: 0, or -1 when the bytes there are not valid UTF-8. */
static inline int text_decode(const char *s, size_t n, size_t *i, int32_t *cp)
{
    uint32_t c = 0;
    size_t len = rk_core__utf8_decode(s + *i, n - *i, &c);
    if (len == 0)
        return -1;
    *cp = (int32_t)c;
    *i += len;
    return 0;
}
bool text_is_separator(int32_t cp);
bool text_is_hyphen(int32_t cp);
bool text_is_ignorable(int32_t cp);

/* sound.c: sound key, alternative key and skeleton of a latin form; `french_ch` when the
 * name was written with a Latin ch that may be French sh (not the ch of ç, č, ч). */
int text_sound(const char *latin, size_t n, bool french_ch, rk_buf *key, rk_buf *alt, rk_buf *skel);
/* Folds gendered family endings (mammadova -> mammadov) in place; returns new length. */
size_t text_fold_family(char *latin, size_t n, rk_gender *gender);
/* Strips a patronymic suffix (aliyevich -> ali); 0 when `latin` is not a patronymic. */
size_t text_patronymic_stem(const char *latin, size_t n, rk_gender *gender);
/* Canonical form of abd-compounds (abdullah, abdurrahman -> abdlah, abdrahman). */
size_t text_abd_canon(const char *latin, size_t n, char *out, size_t outsz);

/* Tables (tables_*.c). */
typedef struct text_pair {
    const char *from, *to;
} text_pair;
typedef struct text_cpmap {
    int32_t cp;
    const char *to;
} text_cpmap;
typedef struct text_given {
    const char *form;
    uint8_t gender;
    uint8_t culture;
} text_given;
typedef struct text_particle {
    const char *form;
    uint8_t kind;
} text_particle;
typedef struct text_suffix {
    const char *suffix;
    uint8_t culture;
    uint8_t gender;
    uint8_t min_len;
} text_suffix;

extern const text_cpmap text_latin_letters[];
extern const size_t text_latin_letters_len;
extern const text_cpmap text_arabic_letters[];
extern const size_t text_arabic_letters_len;
extern const text_pair text_arabic_names[];
extern const size_t text_arabic_names_len;
extern const text_pair text_equivalents[];
extern const size_t text_equivalents_len;
extern const char *const text_nicknames[]; /* groups separated by NULL, ended by two NULLs */
extern const text_given text_given_names[];
extern const size_t text_given_names_len;
typedef struct text_family {
    const char *form;
    uint8_t culture;
} text_family;
extern const text_family text_family_names[];
extern const size_t text_family_names_len;
extern const text_particle text_particles[];
extern const size_t text_particles_len;
extern const text_suffix text_family_suffixes[];
extern const size_t text_family_suffixes_len;
extern const text_suffix text_patronymic_suffixes[];
extern const size_t text_patronymic_suffixes_len;

#endif
