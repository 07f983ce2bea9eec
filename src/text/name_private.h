/* Private to the name parser of src/text: the working state of one parse. */
#ifndef RK_TEXT_NAME_PRIVATE_H
#define RK_TEXT_NAME_PRIVATE_H

#include "text/text_private.h"

typedef struct text_name_tok {
    const text_entry *e;
    rk_text_keys keys;
    size_t start, len;
    uint8_t particle; /* TX_P_* */
    rk_name_role role;
    rk_name_role field; /* for rk_text_name_parts: the column it came from */
    bool merged;
    uint8_t paren; /* 1 + index of the parenthesis group the token is in, 0 when none */
    bool fixed;    /* role set by a father's or spouse's marker, not by the culture's parse */
} text_name_tok;

typedef struct text_name_parse {
    text_name_tok tok[RK_NAME_MAX_TOKENS];
    size_t n;
    int comma; /* index of the first token after the first comma, -1 when none */
    bool truncated;
    rk_name_role field;
    int depth;      /* parentheses open while tokenizing */
    uint8_t groups; /* parenthesis groups seen */
} text_name_parse;

int text_name_tokenize(rk_text *t, const char *s, size_t n, text_name_parse *p);
int text_name_merge_abd(rk_text *t, text_name_parse *p);
/* Merges the words of a father's or spouse's marker written in English or French (s/o, d/o,
 * w/o, son of, fils de, wife of) into one particle token: TX_P_FATHER or TX_P_SPOUSE, with
 * the sex it gives. `s` is the string the tokens were cut from. */
int text_name_merge_relations(rk_text *t, text_name_parse *p, const char *s);
/* Replaces a patronymic's keys by its stem's (Alievich -> Ali; with `genitive`, Armenian
 * Hovhannesi -> Hovhannes). */
int text_name_patronymic_keys(rk_text *t, rk_text_keys *k, bool genitive);

#endif
