/* Tabulating a project for estimation. tabulate.c reads once what every pass shares (the
 * `units`: the lists, the --by fields, and each record of the latest link run with its list and
 * its values of the fields, folded and interned); a pass (a `tabulation`) then groups the
 * records into persons by one partition (the run's own persons, a linkage draw, a threshold's
 * clustering), gives each person the value most of its records give, lets impute.c fill in the
 * values persons lack, and counts the capture patterns per stratum. project.c estimates and
 * stores what the main pass builds; replicate.c runs the other passes. For src/estimate only. */
#ifndef RK_ESTIMATE_TABULATE_PRIVATE_H
#define RK_ESTIMATE_TABULATE_PRIVATE_H

#include "estimate_internal.h"
#include "estimate_private.h"

#define MAX_BY     4
#define MAX_LISTS  RK_ESTIMATE_MAX_LISTS
#define MAX_STRATA 4096
#define MAX_AGES   16 /* bounds of --age-groups */
#define OLDEST     130
#define MAX_VOTES  8 /* distinct values of one field counted per person; a ninth casts none */

_Static_assert(MAX_BY == RK_ESTIMATE__MAX_BY, "the readers of result.missing take every field");

/* How often the records give one spelling of a folded field's value (region, place), so that
 * a stratum is labelled with the commonest spelling of its key. */
typedef struct spelling {
    size_t by;
    char key[96], text[96];
    int64_t count;
} spelling;

/* What every pass shares, read once and then only read (by several threads at once). */
typedef struct units {
    size_t nby;
    char by[MAX_BY][40];
    bool fold[MAX_BY]; /* the field's values are folded into keys (region, place) */
    rk_text *text;     /* folds them */
    rk_gazetteer *gaz; /* the project's gazetteer, NULL when it has none */
    int64_t gaz_id;    /* and its import (table gazetteer), 0 when none */
    char gaz_sha256[65];
    spelling *spellings;
    size_t nspellings, spellings_cap;
    int64_t age[MAX_AGES]; /* age_group: the first age of each group, rising from 0 */
    size_t nage;
    size_t nlists;
    char *list_names[MAX_LISTS];
    int64_t list_ids[MAX_LISTS];
    /* The run's records, by ascending id: list index, value index of each field (-1: none),
     * and the person the run put each in. */
    size_t nrec, rec_cap;
    int64_t *rec_id, *own;
    uint8_t *rec_list;
    int32_t *rec_value; /* nrec * nby */
    /* The distinct values of each field, as the keys strata are told apart by. */
    char **values[MAX_BY];
    size_t nvalues[MAX_BY], values_cap[MAX_BY];
} units;

typedef struct stratum {
    char key[MAX_BY * 97]; /* values joined by \x1f */
    char values[MAX_BY][96];
    int32_t ids[MAX_BY]; /* the value index of each field, -1 for none */
    int64_t imputed;     /* its persons who had a value imputed */
    rk_capture_table *table;
} stratum;

/* One pass: the persons of one partition and their capture tables. */
typedef struct tabulation {
    const units *u;
    size_t nby;
    char by[MAX_BY][40];
    size_t nlists;
    char *const *list_names; /* the units' */
    /* The persons: capture mask and value index of each field (-1: none). */
    size_t npersons;
    uint64_t *mask;
    int32_t *value;          /* npersons * nby */
    uint8_t *lacked;         /* per person: bit b set when it lacked field b before impute.c ran */
    int64_t without[MAX_BY]; /* persons without a value of each field before impute.c ran */
    int64_t imputed[MAX_BY]; /* values impute.c filled in */
    stratum *strata;
    size_t nstrata, cap;
    rk_capture_table *all;
    /* With --by: the persons each list names, and of them those none of whose records on that
     * list gives each field (a list that does not record the field misses it for all). */
    int64_t named[MAX_LISTS];
    int64_t unrecorded[MAX_LISTS][MAX_BY];
} tabulation;

/* Reads run_id's records into u (zeroed by the caller), with the comma-separated fields `by`
 * (NULL: none), age groups from `age_groups` (NULL: the default). */
int estimate_units_load(units *u, rk_store *st, int64_t run_id, const char *by,
                        const char *age_groups);
void estimate_units_release(units *u);

/* The text of value `id` of field b as strata are labelled (-1: NULL): for a folded field
 * (region, place) the commonest spelling of its key (ties: the first read), else the value. */
const char *estimate_value_text(const units *u, size_t b, int32_t id);

/* Groups u's records into persons by `person` (one label per record of u, in u's order; NULL:
 * the run's own persons) into t (zeroed by the caller), each with the value most of its
 * records give (ties: the first list, then the first record). */
int estimate_tabulate_persons(tabulation *t, rk_ctx *ctx, const units *u, const int64_t *person);
/* Counts t's persons per stratum of their values (a person without a value of a field goes to
 * the stratum whose value is empty), into t->all and t->strata, labelled by the commonest
 * spelling of each folded value. */
int estimate_tabulate_strata(tabulation *t, rk_ctx *ctx);
void estimate_tabulation_release(tabulation *t);

/* Keeps only the lists named in `lists` (NULL: all), in the whole table and every stratum (a
 * stratum whose persons only the other lists name is dropped), then tells each stratum the
 * whole it was cut from, so that the one rule (rk_estimate_check_sparse) can refuse a stratum
 * that a list without the field empties. */
int estimate_tabulation_finish(tabulation *t, rk_ctx *ctx, const char *lists);

/* Whether a stratum is of persons without a value of some field (none was imputed). */
static inline bool estimate_stratum_unvalued(const tabulation *t, const stratum *s)
{
    for (size_t b = 0; b < t->nby; b++)
        if (s->ids[b] < 0)
            return true;
    return false;
}

/* Fills in, for every field, the values t's persons lack, each drawn from a model fitted
 * afresh on a Bayesian bootstrap of the persons (so that repeated calls are proper multiple
 * imputations): the field's value given the person's capture pattern and its other known
 * fields (docs/methods.md, "Imputing missing stratum fields"). Counts in t->imputed. A field
 * that no person gives a value of is left as it is. */
int estimate_impute(tabulation *t, rk_ctx *ctx, uint64_t seed);

/* The persons without a value of some field, and per list how many it names of them. */
int64_t estimate_unvalued_persons(const tabulation *t, int64_t per_list[MAX_LISTS]);

#endif
