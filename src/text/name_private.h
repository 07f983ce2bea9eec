/* Private to the name parser of src/text: the working state of one parse. */
#ifndef RK_TEXT_NAME_PRIVATE_H
#define RK_TEXT_NAME_PRIVATE_H

#include "text/text_private.h"

typedef struct nx_tok {
    const tx_entry *e;
    rk_text_keys keys;
    size_t start, len;
    uint8_t particle; /* TX_P_* */
    rk_name_role role;
    rk_name_role field; /* for rk_text_name_parts: the column it came from */
    bool merged;
} nx_tok;

typedef struct nx_parse {
    nx_tok tok[RK_NAME_MAX_TOKENS];
    size_t n;
    int comma; /* index of the first token after the first comma, -1 when none */
    bool truncated;
    rk_name_role field;
} nx_parse;

int nx_tokenize(rk_text *t, const char *s, size_t n, nx_parse *p);
int nx_merge_abd(rk_text *t, nx_parse *p);
/* Replaces a patronymic's keys by its stem's (Alievich -> Ali; with `genitive`, Armenian
 * Hovhannesi -> Hovhannes). */
int nx_patronymic_keys(rk_text *t, rk_text_keys *k, bool genitive);

#endif
