/* Private to src/text: the rk_text object, its cache of distinct strings, the string arena,
 * and the tables compiled in as C data (tables_*.c). */
#ifndef RK_TEXT_PRIVATE_H
#define RK_TEXT_PRIVATE_H

#include "reckon/text.h"

#include <unicode/utypes.h>

/* Longest token, in bytes, that gets keys; longer tokens are cut at a character boundary. */
#define TX_TOKEN_MAX 192

/* Where the language hint of a token comes from: its letters (ə, ђ, ñ) or the list. */
typedef enum tx_translit {
    TX_TR_RUSSIAN = 0, /* Russian-Latin/BGN */
    TX_TR_SERBIAN,     /* Serbian-Latin/BGN */
    TX_TR_AZERI,       /* Azerbaijani-Latin/BGN (Azerbaijani Cyrillic) */
    TX_TR_ARMENIAN,    /* Armenian-Latin/BGN */
    TX_TR_GEORGIAN,    /* Georgian-Latin/BGN */
    TX_TR_GREEK,       /* Greek-Latin/BGN */
    TX_TR_ANY,         /* Any-Latin; Latin-ASCII */
    TX_TR_COUNT
} tx_translit;

/* One distinct (language, string, role class) and its keys; never moved once made. */
typedef struct tx_entry {
    uint64_t hash;
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
} tx_entry;

/* Strings of the cache live in chunks that never move. */
typedef struct tx_chunk {
    struct tx_chunk *next;
    size_t used, cap;
    char data[];
} tx_chunk;

/* Particle kinds (tables_names.c). */
enum {
    TX_P_NONE = 0,
    TX_P_FILIAL,  /* bin, ibn, bint, ben: Arabic "son/daughter of" */
    TX_P_ARTICLE, /* al, el, ul, ad, ar, ...: joined to the next token */
    TX_P_OGLU,    /* oğlu, ogly: the token before is the father's name (male) */
    TX_P_QIZI,    /* qızı, kyzy: same, female */
    TX_P_ROMANCE, /* de, del, la, las, los, da, di, y */
    TX_P_KUNYA,   /* abu, umm: joined to the next token as part of a given name */
    TX_P_ABD      /* abd, abdul, abdel: joined to the next into one given name */
};

/* The lexicon: one row per known Latin form, built from the tables when rk_text_new runs. */
typedef struct tx_lex {
    const char *form;  /* latin, lower-case ASCII */
    const char *canon; /* equivalent standard form (mamed -> mammad), NULL when none */
    uint32_t nick;     /* short-form group, 0 when none */
    uint8_t gender;    /* rk_gender of a given name, 0 when not a known given name */
    uint8_t culture;   /* rk_culture of a known given name */
    uint8_t particle;  /* TX_P_* */
    uint8_t given;     /* 1 when a known given name */
    uint8_t family;    /* 1 when a known family name (of culture `fculture`) */
    uint8_t fculture;
} tx_lex;

typedef struct tx_dict {
    uint32_t *slots; /* index+1 into `lex`, 0 empty */
    size_t mask;
} tx_dict;

/* Sound key of a known given name or nickname -> its lexicon row (so that Mohammed finds
 * Muhammad's gender and group). */
typedef struct tx_keydict {
    uint32_t *slots;
    const char **keys;
    size_t mask;
} tx_keydict;

struct rk_text {
    rk_ctx *ctx;
    rk_text_options opts;
    /* the cache */
    tx_entry **slots;
    size_t nslots, nentries;
    tx_chunk *chunks;
    uint64_t lookups, misses;
    /* the lexicon */
    tx_lex *lex;
    size_t nlex;
    tx_dict dict;
    tx_keydict bykey;
    /* ICU objects, opened on first use */
    void *translit[TX_TR_COUNT];
    const void *nfc, *nfkc_cf, *nfd;
};

/* cache.c */
int tx_cache_get(rk_text *t, const char *raw, size_t len, rk_lang lang, bool family,
                 const tx_entry **out);
char *tx_arena_dup(rk_text *t, const char *s, size_t n);
void tx_cache_release(rk_text *t);

/* lexicon.c */
int tx_lex_build(rk_text *t);
void tx_lex_release(rk_text *t);
const tx_lex *tx_lex_find(const rk_text *t, const char *form, size_t n);
/* The given-name or nickname row whose sound key is `key`, NULL when none. */
const tx_lex *tx_lex_find_key(const rk_text *t, const char *key);

/* romanize.c: one token (UTF-8, NFC) to lower-case ASCII in `out`. */
int tx_romanize(rk_text *t, const char *s, size_t n, rk_lang lang, rk_buf *out, rk_script *script,
                rk_lang *hint, unsigned *flags);

/* normalize.c */
int tx_nfc_clean(rk_text *t, const char *s, size_t n, rk_buf *out);
/* The code point at s[*i] (n bytes in all) through the one decoder (rk_core__utf8_decode),
 * advancing *i past it: 0, or -1 when the bytes there are not valid UTF-8. */
static inline int tx_decode(const char *s, size_t n, size_t *i, int32_t *cp)
{
    uint32_t c = 0;
    size_t len = rk_core__utf8_decode(s + *i, n - *i, &c);
    if (len == 0)
        return -1;
    *cp = (int32_t)c;
    *i += len;
    return 0;
}
bool tx_is_separator(int32_t cp);
bool tx_is_hyphen(int32_t cp);
bool tx_is_ignorable(int32_t cp);

/* sound.c: sound key, alternative key and skeleton of a latin form. */
int tx_sound(const char *latin, size_t n, rk_buf *key, rk_buf *alt, rk_buf *skel);
/* Folds gendered family endings (mammadova -> mammadov) in place; returns new length. */
size_t tx_fold_family(char *latin, size_t n, rk_gender *gender);
/* Strips a patronymic suffix (aliyevich -> ali); 0 when `latin` is not a patronymic. */
size_t tx_patronymic_stem(const char *latin, size_t n, rk_gender *gender);
/* Canonical form of abd-compounds (abdullah, abdurrahman -> abdlah, abdrahman). */
size_t tx_abd_canon(const char *latin, size_t n, char *out, size_t outsz);

/* Tables (tables_*.c). */
typedef struct tx_pair {
    const char *from, *to;
} tx_pair;
typedef struct tx_cpmap {
    int32_t cp;
    const char *to;
} tx_cpmap;
typedef struct tx_given {
    const char *form;
    uint8_t gender;
    uint8_t culture;
} tx_given;
typedef struct tx_particle {
    const char *form;
    uint8_t kind;
} tx_particle;
typedef struct tx_suffix {
    const char *suffix;
    uint8_t culture;
    uint8_t gender;
    uint8_t min_len;
} tx_suffix;

extern const tx_cpmap tx_latin_letters[];
extern const size_t tx_latin_letters_len;
extern const tx_cpmap tx_arabic_letters[];
extern const size_t tx_arabic_letters_len;
extern const tx_pair tx_arabic_names[];
extern const size_t tx_arabic_names_len;
extern const tx_pair tx_equivalents[];
extern const size_t tx_equivalents_len;
extern const char *const tx_nicknames[]; /* groups separated by NULL, ended by two NULLs */
extern const tx_given tx_given_names[];
extern const size_t tx_given_names_len;
typedef struct tx_family {
    const char *form;
    uint8_t culture;
} tx_family;
extern const tx_family tx_family_names[];
extern const size_t tx_family_names_len;
extern const tx_particle tx_particles[];
extern const size_t tx_particles_len;
extern const tx_suffix tx_family_suffixes[];
extern const size_t tx_family_suffixes_len;
extern const tx_suffix tx_patronymic_suffixes[];
extern const size_t tx_patronymic_suffixes_len;

#endif
