/* Tabulating a project for estimation: the capture histories of the latest link run's persons,
 * per stratum of the --by fields, as src/estimate/tabulate.c builds them and project.c estimates
 * and stores them. For the files of src/estimate only. */
#ifndef RK_ESTIMATE_TABULATE_PRIVATE_H
#define RK_ESTIMATE_TABULATE_PRIVATE_H

#include "estimate_internal.h"
#include "estimate_private.h"

#define MAX_BY     4
#define MAX_LISTS  RK_ESTIMATE_MAX_LISTS
#define MAX_STRATA 4096
#define MAX_AGES   16 /* bounds of --age-groups */
#define OLDEST     130

_Static_assert(MAX_BY == RK_ESTIMATE__MAX_BY, "the readers of result.missing take every field");

/* A person's stratum value for a field: the value most of its records give (ties: first). */
typedef struct vote {
    char value[96];
    int count;
} vote;

typedef struct stratum {
    char key[MAX_BY * 97]; /* values joined by \x1f */
    char values[MAX_BY][96];
    rk_capture_table *table;
} stratum;

/* How often the records give one spelling of a folded field's value (region, place), so that
 * a stratum is labelled with the commonest spelling of its key. */
typedef struct spelling {
    size_t by;
    char key[96], text[96];
    int64_t count;
} spelling;

typedef struct tabulation {
    size_t nby;
    char by[MAX_BY][40];
    bool fold[MAX_BY]; /* the field's values are folded into keys (region, place) */
    rk_text *text;     /* folds them */
    rk_gazetteer *gaz; /* the project's gazetteer, NULL when it has none */
    spelling *spellings;
    size_t nspellings, spellings_cap;
    size_t nlists;
    char *list_names[MAX_LISTS];
    int64_t list_ids[MAX_LISTS];
    stratum *strata;
    size_t nstrata, cap;
    rk_capture_table *all;
    int64_t age[MAX_AGES]; /* age_group: the first age of each group, rising from 0 */
    size_t nage;
    /* With --by: the persons each list names, and of them those none of whose records on that
     * list gives each field (a list that does not record the field misses it for all). */
    int64_t named[MAX_LISTS];
    int64_t unrecorded[MAX_LISTS][MAX_BY];
} tabulation;

/* Tabulates run_id's persons into t (zeroed by the caller), per stratum of the comma-separated
 * fields `by` (NULL: the whole table only), age groups from `age_groups` (NULL: the default). */
int estimate_tabulate(tabulation *t, rk_store *st, int64_t run_id, const char *by,
                      const char *age_groups);
void estimate_tabulation_release(tabulation *t);

#endif
