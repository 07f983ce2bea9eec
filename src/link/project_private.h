/* Linking a project: the set-up (fields, comparison levels, blocking rules, options) made from
 * the defaults and a configuration file, the loading of records into link arrays, and the
 * saving of a run. Private to src/link. */
#ifndef RK_LINK_PROJECT_PRIVATE_H
#define RK_LINK_PROJECT_PRIVATE_H

#include "common.h"

/* The fields a project link can use. Name fields carry, per token, keys under these tags. */
enum { TAG_SOUND = 0, TAG_LATIN = 1, TAG_SKEL = 2, TAG_NICK = 3, TAG_ALL = 4, TAG_ABJAD = 5 };
/* TAG_ABJAD: the skeleton of a token spelled in Arabic script without its vowels (not in the
 * name-word table), compared against the other side's skeletons (TAG_SKEL). */
/* TAG_ALL: one key per record and field, the distinct sound keys of all its tokens, sorted
 * and joined by spaces ("kastra mamana"): exact for the same names, a token set for names
 * of which some are missing. */
/* Extra, sex, place and region fields: the folded value, and a sound key of it. */
enum { TAG_VALUE = 0, TAG_VSOUND = 1 };

typedef enum field_source {
    SRC_GIVEN,
    SRC_FAMILY,
    SRC_PATRONYMIC,
    SRC_BIRTH,
    SRC_DEATH,
    SRC_SEX,
    SRC_PLACE,
    SRC_REGION,
    SRC_EXTRA
} field_source;

typedef struct setup_field {
    char name[32]; /* "family", "birth", "field:postcode" */
    field_source source;
    rk_link_field_type type;
    size_t index; /* in rk_link_data */
} setup_field;

/* A `field:` extra that a current import maps, and the kind of its values, which chooses its
 * default levels: codes (mostly digits: a postcode, a street number, an id) or words. */
typedef struct setup_extra {
    char name[32]; /* "field:postcode" */
    bool code;
    bool too_long; /* the name does not fit in a field's name: never compared */
    bool compared; /* among the fields the defaults compare */
} setup_extra;

/* The mapped extras a set-up knows the kind of (more are counted, not kept). */
#define LINK_MAX_EXTRAS 64

/* The default pair_floor: pairs scored below it are not stored. */
#define LINK_PAIR_FLOOR 0.01
/* The default max_pairs_per_record: a run that would store more pairs than this many times
 * the records is refused before anything is written. */
#define LINK_MAX_PAIRS_PER_RECORD 50.0

typedef struct link_setup {
    size_t nfields;
    setup_field fields[RK_LINK_MAX_FIELDS];
    size_t ncompare;
    rk_link_compare compare[RK_LINK_MAX_FIELDS];
    char level_labels[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS][40];
    size_t nrules;
    rk_link_rule rules[16];
    char rule_names[16][48];
    rk_link_options opts;
    char unique_lists[1024];     /* comma-separated list names known to hold no duplicates */
    double max_pairs_per_record; /* refuse a run that would store more pairs than this
                                    many times the records (LINK_MAX_PAIRS_PER_RECORD) */
    int reference_year;          /* for ages without a date of death; 0: from the data */
    bool fields_set;             /* a configuration's `fields =` chose the fields */
    size_t nextras;              /* the project's mapped extras, sorted by name, ... */
    setup_extra extras[LINK_MAX_EXTRAS]; /* ... the first LINK_MAX_EXTRAS of them kept */
} link_setup;

/* project_setup.c: the default set-up, which works untuned on victim lists with the standard
 * roles, and the pieces a configuration changes it with. */
void link_setup_defaults(link_setup *s);
/* Index of a field by name, or -1. */
int link_setup_field_index(const link_setup *s, const char *name);
/* The name of built-in field i ("given", "birth"), or NULL past the last. */
const char *link_setup_builtin_field(size_t i);
/* Adds a field by name (a built-in one or field:NAME); its index, or -1 for an unknown name
 * or one field too many. */
int link_setup_add_field(link_setup *s, const char *name);
/* Makes `names` the fields, each with its default levels, and rebuilds the default rules. */
void link_setup_set_fields(link_setup *s, const char *const *names, size_t n);
/* Appends the mapped extras (s->extras, from link_setup_read_extras) to the fields, each with
 * its default levels, in order as long as the field limit leaves room (setup_extra.compared). */
void link_setup_add_extras(link_setup *s);
/* The set-up of a project link as `reckon link` makes it: the defaults, the project's mapped
 * extras, the configuration file when config_path is not NULL; with warn, a warning names the
 * extras left out for want of room when the configuration does not choose the fields. */
int link_setup_make(link_setup *s, rk_store *st, const char *config_path, bool warn);
/* Sets level i of compare c, keeping a copy of its label in s. */
void link_setup_set_level(link_setup *s, rk_link_compare *c, size_t i, rk_link_level l,
                          const char *label);
/* Appends a blocking rule: the rule, or NULL when there are as many as s can hold. */
rk_link_rule *link_setup_add_rule(link_setup *s, const char *name, size_t nparts,
                                  const rk_link_block_part *p, bool has_split,
                                  rk_link_block_part split);

/* project_config.c: applies a configuration file (docs/linkage.md) over the set-up. */
int link_setup_read_config(link_setup *s, rk_ctx *ctx, const char *path);
/* The set-up as JSON, for the link run's record. */
int link_setup_to_json(const link_setup *s, rk_buf *out);

/* The records of a project in link arrays, with what is needed to write the results back. */
typedef struct project_records {
    rk_link_data data;
    int64_t *record_id; /* per record: record.id */
    char **record_key;  /* per record */
    size_t nlists;
    int64_t *list_id; /* per list index */
    char **list_name; /* per list index */
    rk_link_label *labels;
    size_t nlabels;
} project_records;

/* project_load.c: the `field:` extras the current imports map, sorted by name, into s->extras
 * and s->nextras, each with the kind of a sample of its values (setup_extra). */
int link_setup_read_extras(link_setup *s, rk_store *st);

/* What the load needs to know of all the current records before it parses one, found in one
 * pass over them (with progress: at ten million records it takes seconds):
 * - the years of the events, for ages given without a date of death: from the 2nd to the 98th
 *   percentile of the years of the dates of death in the project (a stray year left out). An
 *   age then covers the birth dates consistent with it in any of those years;
 * - the lists that write the sex H for men and never F: Spanish hombre and mujer, where M is
 *   a woman (a list writing M and F means masculino and femenino);
 * - how many records there are (the load's total).
 * Release hm with rk_free. */
typedef struct records_survey {
    size_t nrecords;
    int year[2]; /* the 2nd and 98th percentiles of the years of death, 0 without a date */
    int64_t *hm; /* the lists writing H and never F, in the order first met */
    size_t nhm;
} records_survey;
int link_records_survey(records_survey *out, rk_store *st);

/* A record's row of the load as the parse reads it (project_record.c): its text columns,
 * NULL where the column is, and its list's conventions. */
enum {
    LC_FULL,
    LC_GIVEN,
    LC_FAMILY,
    LC_SECOND,
    LC_PATRONYMIC,
    LC_FATHER,
    LC_SEX,
    LC_BIRTH,
    LC_BIRTH_PREC,
    LC_DEATH,
    LC_DEATH_PREC,
    LC_PLACE,
    LC_REGION,
    LC_EXTRA,
    LC_LANG,  /* the list's language */
    LC_ORDER, /* the import's name order */
    LC_COUNT
};
typedef struct load_row {
    const char *text[LC_COUNT];
    int birth_year, age;
    bool has_birth_year, has_age;
    bool hm; /* the record's list writes H and never F (records_survey) */
} load_row;
/* Appends to d (its fields declared as su's) the keys and dates of the record d added last,
 * from its row; text is the parser, its language and name order already the row's; ref_year
 * the years an age at death is counted from when the row has no date of death; fidx the field
 * of each field_source, -1 when not linked. */
int link_record_keys(rk_link_data *d, rk_ctx *ctx, rk_text *text, const link_setup *su,
                     const load_row *row, const int ref_year[2], const int *fidx);

int link_records_load(project_records *out, rk_store *st, const link_setup *s);
void link_records_release(project_records *r);

/* Is `name` one of the comma- or space-separated names of `names` (a run's "unique =")? */
bool link_names_hold(const char *names, const char *name);

/* Writes the person of each of n records (record_id[i], in increasing order) of run run_id: the
 * smallest record id of its cluster cluster[i] (of nclusters). A row already there is updated
 * when it changes; *changed counts the rows written or changed. */
int link_persons_write(int64_t *changed, rk_store *st, int64_t run_id, const int64_t *record_id,
                       const uint32_t *cluster, size_t n, size_t nclusters);

/* project_graph.c: a stored run read back for clustering again. The records (all the run's,
 * or those of the persons of some seeds and the seeds themselves), sorted by id, with their
 * lists and their person in the run; the run's stored pairs between them and the latest
 * decisions on them (the view latest_decision; "unsure" withdraws) as indexes into them;
 * and the run's settings. `cluster` holds the settings and points at the arrays, ready for
 * rk_link_cluster. */
typedef struct link_run_graph {
    rk_link_cluster_options cluster;
    double pair_floor; /* the run's: a pair scored below it was not stored for its own sake */
    int64_t *id;       /* n record ids, ascending */
    int64_t *person;   /* per record: its person in the run (its own id when it has none) */
    uint32_t *list;    /* per record: its list index */
    size_t n, cap_id, cap_person, cap_list;
    int64_t *list_id; /* per list index */
    bool *unique;     /* per list index: declared unique by the run */
    size_t nlists, cap_lists, cap_unique;
    uint32_t *a, *b; /* stored pairs, record indexes */
    float *prob;
    size_t npairs;
    rk_link_label *labels;
    size_t nlabels;
    char *unique_names; /* the run's "unique =" setting, or NULL */
    rk_buf ids_json;    /* the ids as a JSON array, for json_each (seeds only) */
} link_run_graph;

/* Loads link run run_id's graph: every record of the run when seeds is NULL, else the records
 * of the seeds' persons and the seeds; RK_EINPUT past max_records records, RK_ENOTFOUND when
 * there is no such run. Release with link_run_graph_release (it is empty after a failure). */
int link_run_graph_load(link_run_graph *out, rk_store *st, int64_t run_id, const int64_t *seeds,
                        size_t nseeds, size_t max_records);
void link_run_graph_release(link_run_graph *g);
/* The index of record `id` in the graph, or -1. */
long link_run_graph_find(const link_run_graph *g, int64_t id);

/* project_eval.c: a truth file, KEY,ENTITY columns (NULL: record_key, person_id), sorted by
 * key; each distinct entity text gets a number from 0. */
typedef struct link_truth_entry {
    char *key;
    int64_t entity;
} link_truth_entry;
int link_truth_read(link_truth_entry **out, size_t *n, rk_ctx *ctx, const char *path,
                    const char *key_col, const char *entity_col);
/* The entry of a record key, or NULL. */
const link_truth_entry *link_truth_find(const link_truth_entry *t, size_t n, const char *key);
void link_truth_free(link_truth_entry *t, size_t n);

/* project_check.c: the sense check of a fitted run before anything of it is stored
 * (docs/linkage.md, "The sense check"). RK_EINPUT, with what is wrong and what to do, when
 * the match class agrees no more than the non-match class on a name or date field, when the
 * implied number of matched pairs is far above what the lists allow, or when more pairs would
 * be stored than max_pairs_per_record times the records. */
int link_run_check(rk_ctx *ctx, const char *project, const link_setup *s, const project_records *r,
                   const rk_link_result *res);

/* project_run.c: the fitted model of a stored run (as rk_link_run_info_read read it) as the
 * set-up's fields have it: RK_EINPUT, naming the project at path, when it does not fit them. */
int link_run_model_from(rk_link_model *out, rk_ctx *ctx, const char *path,
                        const rk_link_run_info *info, const link_setup *s);

/* project_add.c: what `reckon link --add LIST` takes from the latest run. */
typedef struct project_add {
    int64_t run_id; /* the latest run */
    char *list;     /* the list added */
    uint32_t list_index;
    size_t added;       /* its records */
    size_t old_records; /* the run's */
    rk_link_model model;
    uint8_t *touch;   /* per record: 1 for the list's */
    uint32_t *person; /* per record: the index of its person's first record in the run, or
                         UINT32_MAX */
    uint32_t *a, *b;  /* the run's stored pairs */
    double *weight;
    float *prob;
    uint8_t *state; /* link_pair_state of each */
    size_t npairs;
} project_add;

/* Checks that LIST may be added (the project has a link run, LIST holds current records none
 * of which the run linked, every other current record is the run's, and with same_setup the
 * set-up is the run's) and reads the run's persons, pairs and (with same_setup) model.
 * RK_EINPUT with what to do otherwise. Release with link_add_release. */
int link_add_prepare(project_add *out, rk_store *st, const link_setup *s, const project_records *r,
                     const char *list, bool same_setup);
void link_add_release(project_add *a);

/* The links clustering refused, per reason (counts[RK_REVIEW_*]; UNCERTAIN stays 0). */
void link_count_refusals(size_t counts[RK_REVIEW_REASON_COUNT], const rk_link_result *res);
/* What a run that adds a list (`reckon link --add`) keeps of the earlier run: res's first
 * npairs pairs are run_id's stored pairs, copied as stored and their status and refusal
 * rewritten where they changed; `added` is the JSON object the event's payload holds. */
typedef struct link_save_earlier {
    const char *added;
    int64_t run_id;
    size_t npairs;
    const uint8_t *state; /* per pair: link_pair_state of its stored status and refusal */
} link_save_earlier;
/* A stored pair's status ("linked", "unlinked", "review", "split") and whether it has a
 * refusal, as one byte. */
uint8_t link_pair_state(const char *status, bool has_refusal);
/* Writes a run: link_run, pairs above the floor, persons, and the event (earlier: NULL for a
 * run that links every record); *stored is the number of pairs stored, *in_review those with
 * status 'review'. */
int link_run_save(rk_store *st, const link_setup *s, const project_records *r,
                  const rk_link_result *res, double seconds, const link_save_earlier *earlier,
                  int64_t *run_id, size_t *stored, size_t *in_review);

#endif
