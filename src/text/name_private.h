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
} text_name_tok;

typedef struct text_name_parse {
    text_name_tok tok[RK_NAME_MAX_TOKENS];
    size_t n;
    int comma; /* index of the first token after the first comma, -1 when none */
    bool truncated;
    rk_name_role field;
} text_name_parse;

int text_name_tokenize(rk_text *t, const char *s, size_t n, text_name_parse *p);
int text_name_merge_abd(rk_text *t, text_name_parse *p);
/* Replaces a patronymic's keys by its stem's (Alievich -> Ali; with `genitive`, Armenian
 * Hovhannesi -> Hovhannes). */
int text_name_patronymic_keys(rk_text *t, rk_text_keys *k, bool genitive);

#endif
