/* reckon link: record linkage on in-memory arrays. Blocking by a union of rules, per-field
 * comparison levels, a Fellegi-Sunter model fitted by EM over distinct comparison vectors,
 * clustering with contradiction checks, and evaluation against a truth.
 *
 * Ownership: rk_link_data is the caller's (_init/_release) and is filled with the _add_
 * functions; rk_link_result objects come from rk_link_run and are freed with
 * rk_link_result_free. Options and data are only read, never kept. */
#ifndef RECKON_LINK_H
#define RECKON_LINK_H

#include "reckon/core.h"
#include "reckon/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- string comparators (ASCII keys; no allocation; keys past 255 bytes are cut) ---- */

/* Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4, applied when the
 * Jaro similarity is above 0.7). */
double rk_link_jaro_winkler(const char *a, size_t na, const char *b, size_t nb);
/* Optimal string alignment (restricted Damerau-Levenshtein) distance, bounded: returns
 * max_dist + 1 as soon as the distance is known to exceed max_dist. */
int rk_link_osa(const char *a, size_t na, const char *b, size_t nb, int max_dist);
/* Token-set match of space-separated names: true when every token of the name with fewer
 * tokens matches a distinct token of the other with Jaro-Winkler >= jw_min (order free; so
 * "quispe huaman maria" ~ "maria quispe" and a missing patronymic match). */
bool rk_link_token_set(const char *a, size_t na, const char *b, size_t nb, double jw_min);
/* A Soundex-like sound key of ASCII text (letter + 3 digits, "" for no letters); out needs
 * 5 bytes. A simple fallback for blocking when no better key exists. */
void rk_link_soundex(char out[5], const char *s, size_t n);

/* ---- records ---- */

/* A date with its precision as the closed range of days (since 1970-01-01) it may be.
 * A day-precise date has lo == hi; "1992" covers the year; an age at a date covers the
 * birth dates consistent with it. lo > hi means missing. */
typedef struct rk_link_date {
    int32_t lo;
    int32_t hi;
} rk_link_date;

#define RK_LINK_DATE_MISSING ((rk_link_date){.lo = 1, .hi = 0})

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int32_t rk_link_days(int year, int month, int day);
/* A date of given precision: month 0 = year only, day 0 = month only. */
rk_link_date rk_link_date_ymd(int year, int month, int day);
/* Birth dates consistent with being `age` years old on the reference date (year, month, day;
 * month/day may be 0 when unknown, which widens the range). */
rk_link_date rk_link_date_from_age(int age, int ref_year, int ref_month, int ref_day);

typedef enum rk_link_field_type { RK_LINK_STRING, RK_LINK_DATE } rk_link_field_type;

#define RK_LINK_MAX_FIELDS 15
#define RK_LINK_MAX_LEVELS 13 /* comparison levels per field, not counting "else" */

/* The records to link, as flat arrays (filled with rk_link_data_add_*).
 *
 * Record i (0-based, in the order added) belongs to list `list[i]`. A STRING field holds any
 * number of keys per record: the keys of record i are key indexes k in
 * [key_start[i], key_start[i+1]); key k's text is the NUL-terminated `text + key_text[k]`
 * (lowercase ASCII by convention) and its tag is key_tag[k] (e.g. 0 = Latin key of the whole
 * name, 1 = sound key, 2 = a single name token). A record with no keys has the field missing.
 * A DATE field holds one rk_link_date per record in `dates`. */
typedef struct rk_link_column {
    char name[32];
    rk_link_field_type type;
    uint32_t *key_start; /* nrecords + 1 entries */
    uint32_t *key_text;  /* nkeys entries: offsets into text */
    uint8_t *key_tag;    /* nkeys entries */
    size_t nkeys, cap_keys, cap_start;
    rk_buf text;
    rk_link_date *dates; /* nrecords entries (DATE fields) */
    size_t cap_dates;
} rk_link_column;

typedef struct rk_link_data {
    size_t nrecords;
    uint32_t *list;  /* nrecords */
    int64_t *entity; /* nrecords: true entity id for evaluation, or -1 (optional) */
    size_t cap;
    size_t nfields;
    rk_link_column fields[RK_LINK_MAX_FIELDS];
    uint32_t nlists; /* 1 + the largest list index */
} rk_link_data;

void rk_link_data_init(rk_link_data *d);
void rk_link_data_release(rk_link_data *d);
/* Declares a field; *out is its index. Declare all fields before adding records. */
int rk_link_data_add_field(size_t *out, rk_ctx *ctx, rk_link_data *d, const char *name,
                           rk_link_field_type type);
/* Appends a record of list `list` (entity -1 when unknown); later keys and dates go to it. */
int rk_link_data_add_record(rk_ctx *ctx, rk_link_data *d, uint32_t list, int64_t entity);
/* Declares in d (no fields yet) the fields of `like`, in order. */
int rk_link_data_declare_like(rk_ctx *ctx, rk_link_data *d, const rk_link_data *like);
/* Appends src's records, keys and dates to d's; both declare the same fields in the same
 * order. On failure (out of memory) d is only fit to be released. */
int rk_link_data_append(rk_ctx *ctx, rk_link_data *d, const rk_link_data *src);
/* Adds a key (n bytes, no NUL needed) to STRING field `field` of the last record. */
int rk_link_data_add_key(rk_ctx *ctx, rk_link_data *d, size_t field, uint8_t tag, const char *s,
                         size_t n);
/* Sets DATE field `field` of the last record. */
int rk_link_data_set_date(rk_ctx *ctx, rk_link_data *d, size_t field, rk_link_date date);

/* ---- comparison levels ---- */

/* The kinds of comparison level. What else a kind is (its name, the fields it compares, how
 * a configuration file writes it) is one row of a table in src/link/compare.c; docs/linkage.md
 * ("Adding a comparison level") says what to touch to add one. */

typedef enum rk_link_cmp {
    RK_CMP_EXACT,    /* some key pair of the tag is equal */
    RK_CMP_JW,       /* Jaro-Winkler >= threshold */
    RK_CMP_OSA,      /* edit distance <= threshold */
    RK_CMP_TOKENSET, /* token-set match with per-token Jaro-Winkler >= threshold */
    RK_CMP_CALLBACK, /* the options' callback says yes (nicknames: Bob ~ Robert) */
    RK_CMP_CROSS,    /* a key of `tag` on one side equals a key of `tag2` on the other (the
                        skeleton of an unvocalized Arabic spelling against any skeleton) */
    RK_CMP_DATE,     /* the ranges are at most `threshold` days apart, both no wider than
                        max_width days (exact day: 0/0; same year or age-consistent:
                        0/800; within a year: 366/31) */
    RK_CMP_COUNT     /* the number of kinds, not a kind */
} rk_link_cmp;

typedef struct rk_link_level {
    rk_link_cmp cmp;
    uint8_t tag;  /* which keys to compare (STRING fields) */
    uint8_t tag2; /* RK_CMP_CROSS: the keys of the other side */
    double threshold;
    int32_t max_width;
    const char *label; /* for reports ("exact", "jw>=0.95", ...) */
} rk_link_level;

/* How one field is compared: levels in order, the first that matches wins; none matching is
 * the "else" level (index nlevels); a missing value is its own level with no weight. */
typedef struct rk_link_compare {
    size_t field;
    size_t nlevels;
    rk_link_level levels[RK_LINK_MAX_LEVELS];
    bool tf_adjust; /* term-frequency adjustment when level 0 (exact) agrees */
} rk_link_compare;

#define RK_LINK_MISSING 15 /* the level value of a missing comparison */

/* Says whether two keys are the same name (e.g. a nickname table). */
typedef bool (*rk_link_callback_fn)(void *user, const char *a, const char *b);

/* ---- blocking ---- */

typedef struct rk_link_block_part {
    size_t field;
    uint8_t tag;   /* STRING: keys of this tag (every key of the record is a block key) */
    int date_unit; /* DATE: 1 = year (a range over two years, as an age gives, is in both),
                      2 = year-month
                      (month-precise or better), 3 = the day (day-precise only) */
    bool one_off;  /* STRING: also each key with one character left out, so that keys one
                      letter apart (added, dropped or changed) share a block */
} rk_link_block_part;

/* Records whose keys agree on every part fall in one block. Blocks larger than max_block
 * are split by `split` when given, else skipped with a warning. A rule whose blocks hold more
 * than max_pairs pairs a record (0: no bound) is left out of the run with a warning: blocks of
 * a key with a fixed number of values (a birth day) grow with the records, their pairs with
 * the square. */
typedef struct rk_link_rule {
    const char *name;
    size_t nparts;
    rk_link_block_part parts[4];
    bool has_split;
    rk_link_block_part split;
    double max_pairs;
} rk_link_rule;

typedef enum rk_link_mode {
    RK_LINK_ACROSS = 1, /* pairs from different lists only */
    RK_LINK_WITHIN = 2, /* pairs within a list only (deduplication) */
    RK_LINK_BOTH = 3
} rk_link_mode;

/* A reviewer's decision on a pair of records. */
typedef struct rk_link_label {
    uint32_t a, b;
    bool match;
} rk_link_label;

/* ---- the whole run ---- */

typedef struct rk_link_options {
    unsigned version;
    rk_link_mode mode;
    const rk_link_rule *rules;
    size_t nrules;
    const rk_link_compare *compare;
    size_t ncompare;
    size_t max_block; /* records in a block before it is split or skipped */
    uint64_t seed;    /* random pairs for u, EM start */
    size_t u_sample;  /* random pairs drawn to estimate u */
    bool u_fixed;     /* keep u from the sample in EM and score with EM's prior (else EM
                         fits u among the compared pairs, which blocking makes agree on
                         names, and the pairs are scored with EM's m, the u of random
                         pairs and the share of matches among all pairs) */
    int em_max_iter;
    double em_tol;
    double threshold;            /* probability above which pairs join a cluster */
    double review_low;           /* pairs with probability in [review_low, threshold + margin) */
    double review_high;          /* go to the review list */
    double cannot_link_prob;     /* a pair scored below this: "differ" (contradiction), unless
                                    the pairs between the two groups outweigh it */
    double bridge_min_mean;      /* groups join only if the pairs of records between them have
                                    a mean probability at least this (a pair not compared
                                    counts as half of it) */
    const bool *list_unique;     /* per list: holds no duplicates (NULL: none is known) */
    const rk_link_label *labels; /* reviewer decisions: fixed labels in EM, forced in clusters */
    size_t nlabels;
    rk_link_callback_fn callback;
    void *callback_user;
    int threads; /* 0: OpenMP's default */
    /* Pairs at scale: when the blocks hold more than pairs_in_memory pairs, they are streamed
       (docs/linkage.md, "Pairs at scale"): the result keeps only the pairs scored at or above
       keep_floor, those in the review band, and those within or between the persons they
       make, not every compared pair. Below it, every compared pair is kept. */
    uint64_t pairs_in_memory;
    double keep_floor;
} rk_link_options;

#define RK_LINK_OPTIONS_VERSION 2
#define RK_LINK_OPTIONS_INIT                                                                       \
    {                                                                                              \
        .version = RK_LINK_OPTIONS_VERSION, .mode = RK_LINK_BOTH, .max_block = 5000, .seed = 1,    \
        .u_sample = 200000, .u_fixed = false, .em_max_iter = 200, .em_tol = 1e-6,                  \
        .threshold = 0.5, .review_low = 0.2, .review_high = 0.8, .cannot_link_prob = 0.01,         \
        .bridge_min_mean = 0.3, .pairs_in_memory = 30000000, .keep_floor = 0.01                    \
    }

/* One EM iteration: the match share it ends with, the largest absolute change of any m, u or
 * the match share from the iteration before (after every rewrite of the values), and the
 * log-likelihood of the counts under the values it started from. */
typedef struct rk_link_em_step {
    double lambda;
    double change;
    double loglik;
} rk_link_em_step;
#define RK_LINK_EM_TRACE 200

/* The fitted Fellegi-Sunter model. Level l of compare c is m[c][l] / u[c][l]; the else level
 * is l = nlevels[c]. By default m comes from EM over the compared pairs and u from random
 * pairs (the population the prior lambda refers to); u_blocked and lambda_blocked are what EM
 * found among the compared pairs. */
typedef struct rk_link_model {
    size_t ncompare;
    size_t nlevels[RK_LINK_MAX_FIELDS]; /* levels + 1 (else) */
    double m[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1];
    double u[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1];
    double u_sample[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1];  /* u among random pairs */
    double u_blocked[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1]; /* u fitted among the
                                                                     compared pairs */
    double m_blocked[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1]; /* EM's m among the
                                                                     compared pairs, before
                                                                     scoring changes it */
    /* Fields whose agreement goes with another's among random pairs (a suburb with its
     * postcode): depends_on[c] is 1 + the index of the field c goes with (0: none), and lift[c]
     * how many times more often c agrees at its first level when that field does too. A pair
     * agreeing on both counts c's agreement lift[c] times less surprising among non-matches
     * (docs/linkage.md, "Fields that go together"). */
    uint8_t depends_on[RK_LINK_MAX_FIELDS];
    double lift[RK_LINK_MAX_FIELDS];
    double lambda;         /* prior share of matches among the pairs that are scored */
    double lambda_blocked; /* share of matches among the compared pairs (EM) */
    double lambda_within;  /* prior share of matches among pairs of records of one list, and */
    double lambda_across;  /* among pairs of records of two lists; 0 when not split (lambda) */
    double lambda_max;     /* set before EM: the largest share of matches the lists' sizes allow
                              among the compared pairs (0: no bound) */
    int iterations;
    bool converged;
    double change;    /* largest absolute change of any m, u or lambda in the last iteration */
    size_t npatterns; /* distinct comparison vectors */
    size_t ntrace;    /* iterations in trace: the first RK_LINK_EM_TRACE of them */
    rk_link_em_step trace[RK_LINK_EM_TRACE];
} rk_link_model;

typedef struct rk_link_block_stats {
    uint64_t blocks;  /* blocks with 2+ records */
    uint64_t largest; /* records in the largest block compared */
    uint64_t pairs;   /* pairs compared by this rule (not by an earlier one) */
    uint64_t split;   /* oversized blocks split by the rule's split key */
    uint64_t skipped; /* oversized blocks skipped (each named in a warning) */
    /* The pairs its blocks held when the rule was left out for holding more than its
     * max_pairs a record (then nothing else is counted); 0 when it ran. */
    uint64_t left_out;
} rk_link_block_stats;

typedef enum rk_link_review_reason {
    RK_REVIEW_UNCERTAIN = 1, /* probability in the review band */
    /* A link at or above the threshold that clustering refused (kept apart), and why: */
    RK_REVIEW_REVIEWER,    /* a reviewer said two records of the two groups differ */
    RK_REVIEW_UNIQUE_LIST, /* the two groups hold records of one list that holds each person once */
    RK_REVIEW_CANNOT_LINK, /* two records of the two groups scored below cannot_link_prob, and
                              the pairs between them, taken together, say they differ */
    RK_REVIEW_WEAK_BRIDGE, /* the pairs between the two groups have a low mean probability */
    RK_REVIEW_REASON_COUNT /* the number of reasons + 1, not a reason */
} rk_link_review_reason;

/* The one definition of the reasons: a short name ("uncertain", "reviewer", "unique_list",
 * "cannot_link", "weak_bridge"; NULL for an unknown reason) and a sentence saying what it means
 * (for people: the report, the review app). */
const char *rk_link_review_reason_name(int reason);
const char *rk_link_review_reason_sentence(int reason);

/* A pair sent to review. For a refused link, by_a and by_b are the two records whose pair
 * blocked it (UINT32_MAX for a weak bridge) and value is that pair's probability (-1 for a
 * reviewer's non-link) or, for a weak bridge, the mean probability between the two groups. */
typedef struct rk_link_review {
    uint32_t a, b;
    int reason;
    uint32_t by_a, by_b;
    double value;
} rk_link_review;

typedef struct rk_link_result {
    /* Candidate pairs, a < b, in a deterministic order (all compared pairs, or when streamed
     * those rk_link_options says are kept). pattern packs the level of each
     * compare in 4 bits (compare c at bits 4c..4c+3; RK_LINK_MISSING when missing). */
    size_t npairs;
    uint32_t *a;
    uint32_t *b;
    uint64_t *pattern;
    uint64_t ncompared; /* pairs compared: npairs, or more when they were streamed */
    bool streamed;
    int passes;       /* streamed: the passes over every block (1 unless the pilot kept too few) */
    size_t nvectors;  /* the distinct comparison vectors of all compared pairs */
    uint64_t *vector; /* sorted */
    uint64_t *vector_count; /* how many compared pairs have each */
    double *weight;         /* log2 Bayes factor (with term-frequency adjustment) */
    float *prob; /* posterior match probability (float: a million records give 2e8 pairs) */
    rk_link_model model;
    size_t nrules;
    rk_link_block_stats *rules; /* nrules */
    /* Clusters: cluster[i] in [0, nclusters), numbered by their smallest record. */
    size_t nrecords;
    uint32_t *cluster;
    size_t nclusters;
    size_t nreview;
    rk_link_review *review;
} rk_link_result;

/* Blocks, compares, fits, scores and clusters. */
int rk_link_run(rk_link_result **out, rk_ctx *ctx, const rk_link_data *data,
                const rk_link_options *opts);
void rk_link_result_free(rk_link_result *r);

/* ---- the model alone: EM over distinct comparison vectors ---- */

/* EM on `n` distinct patterns with their counts. labelled_match / labelled_nonmatch (may be
 * NULL) count pairs of each pattern with a reviewer's label; they keep their label. `model`
 * holds ncompare, nlevels, the starting m, u, lambda (u kept when u_fixed), the bound
 * lambda_max and the fields that go together (depends_on, lift), whose agreements count
 * together among non-matches. `posterior` (may be NULL) gets each pattern's probability of a
 * match under the fitted model. */
int rk_link_em(rk_ctx *ctx, rk_link_model *model, const uint64_t *patterns, const double *counts,
               const double *labelled_match, const double *labelled_nonmatch, size_t n,
               bool u_fixed, int max_iter, double tol, double *posterior);
/* log2 Bayes factor of a pattern under the model (missing levels count 0). */
double rk_link_pattern_weight(const rk_link_model *model, uint64_t pattern);
/* Posterior probability of a pair of records of one list (`within`) or of two, from its
 * weight and the model's lambda_within or lambda_across (lambda when they are 0). */
double rk_link_probability_of(const rk_link_model *model, double weight, bool within);
/* Posterior probability from a weight and the model's lambda. */
double rk_link_probability(const rk_link_model *model, double weight);

/* ---- clustering alone ---- */

/* What to cluster and how: n records (their lists, may be NULL), scored pairs (a, b, prob)
 * and reviewers' labels, with the thresholds of the checks. Only read, never kept. */
typedef struct rk_link_cluster_options {
    unsigned version;
    size_t nrecords;
    const uint32_t *list; /* per record: its list index, or NULL when unknown */
    const uint32_t *a;    /* npairs scored pairs of record indexes, any order */
    const uint32_t *b;
    const float *prob;
    size_t npairs;
    const rk_link_label *labels; /* reviewers' decisions: forced links and non-links */
    size_t nlabels;
    double threshold;        /* pairs scored at least this join */
    double cannot_link_prob; /* a pair scored below this: the records differ, unless the
                                pairs between the two groups outweigh it */
    double bridge_min_mean;  /* least mean probability between two groups that join */
    const bool *list_unique; /* per list: holds no duplicates (NULL: none is known) */
    /* A pair of records a < b not among the scored pairs: its probability when it was
       compared, or a negative value when it was not (NULL: a pair not listed was never
       compared). A streamed run lists only the pairs it kept (rk_link_options). */
    float (*pair)(void *user, uint32_t a, uint32_t b);
    void *pair_user;
} rk_link_cluster_options;

#define RK_LINK_CLUSTER_OPTIONS_VERSION 2
#define RK_LINK_CLUSTER_OPTIONS_INIT                                                               \
    {                                                                                              \
        .version = RK_LINK_CLUSTER_OPTIONS_VERSION, .threshold = 0.5, .cannot_link_prob = 0.01,    \
        .bridge_min_mean = 0.3                                                                     \
    }

/* The persons: cluster[i] in [0, nclusters) for each record, numbered by their smallest
 * record (the caller frees cluster with rk_free), and the links refused, appended to review
 * (which may hold entries already; the caller frees it with rk_free, on failure too). */
typedef struct rk_link_clusters {
    uint32_t *cluster;
    size_t nclusters;
    rk_link_review *review;
    size_t nreview;
} rk_link_clusters;

/* Clusters records into persons. Reviewers' labels always win: forced links join first, then
 * the scored pairs at or above the threshold, strongest first. A link is refused (and reported
 * for review) when it would put in one person two records that must differ (a reviewer's
 * non-link, a unique list, or a pair scored below cannot_link_prob when the compared pairs
 * between the two groups, taken together, say they differ: the sum of their log-odds, each
 * held within +-log(999), is below 0), or join two groups (not two single records) whose pairs
 * of records have a mean probability below bridge_min_mean, a pair never compared counting as
 * half of bridge_min_mean. `reckon link` and the review app's
 * decisions both cluster through here. */
int rk_link_cluster(rk_link_clusters *out, rk_ctx *ctx, const rk_link_cluster_options *opts);

/* ---- evaluation ---- */

typedef struct rk_link_eval {
    uint64_t true_pairs, found_pairs, correct_pairs;
    double precision, recall, f1;          /* pairwise */
    double b3_precision, b3_recall, b3_f1; /* B-cubed */
    double exact_share;                    /* share of true entities found exactly as one cluster */
    size_t entities, clusters;
} rk_link_eval;

/* Compares clusters with true entities (both n entries, any integer ids). */
int rk_link_evaluate(rk_link_eval *out, rk_ctx *ctx, const uint32_t *cluster, const int64_t *entity,
                     size_t n);

/* ---- linking a project ---- */

/* Settings of `reckon link`: a configuration file (docs/linkage.md; NULL for the defaults,
 * which work untuned on victim lists with the standard roles), overridden by the fields set
 * here (negative threshold, seed_set false, threads 0: keep the configuration's). */
typedef struct rk_link_project_options {
    unsigned version;
    const char *config_path;
    double threshold;
    bool seed_set;
    uint64_t seed;
    int threads;
    /* The name of a list imported after the latest run, to link to that run's persons and
     * within itself, comparing only the pairs with one of its records, scored with that run's
     * model (NULL: link every record). The set-up must be the run's. */
    const char *add_list;
    bool refit; /* with add_list: link every record again (a full run), after the same checks */
} rk_link_project_options;

#define RK_LINK_PROJECT_OPTIONS_VERSION 2
#define RK_LINK_PROJECT_OPTIONS_INIT                                                               \
    {                                                                                              \
        .version = RK_LINK_PROJECT_OPTIONS_VERSION, .threshold = -1.0                              \
    }

typedef struct rk_link_project_result {
    int64_t run_id;
    size_t records, lists, persons, pairs_compared, pairs_stored, review, labels;
    size_t added;                              /* records of the list added (add_list), else 0 */
    size_t kept_apart[RK_REVIEW_REASON_COUNT]; /* links refused by clustering, per reason
                                                  (RK_REVIEW_REVIEWER .. RK_REVIEW_WEAK_BRIDGE) */
    double seconds;
} rk_link_project_result;

/* Links the current records of a project (within and across lists) and stores the run, its
 * configuration and fitted model, the scored pairs and the persons, with an audit event, in one
 * transaction. Reviewers' decisions are used as labels and always win. */
int rk_link_project(rk_link_project_result *out, rk_store *st, const rk_link_project_options *opts);

/* ---- linking on the ranks of an MPI run (a build with RECKON_MPI: `make MPI=1`) ---- */

/* Starts MPI in a process that mpirun or srun started as one rank of a run. From then on,
 * rk_link_project on every rank (each with the same project open: read-write on rank 0,
 * read-only on the others) loads the same records and blocks, compares each rank's share of
 * the blocks, and every rank gets every rank's counts and kept pairs: the result is the one a
 * single process finds, whatever the number of ranks. Rank 0 alone clusters and writes the
 * project; on the others rk_link_project writes nothing and leaves *out zero. rk_estimate_run
 * shares its work the same way (reckon/estimate.h). RK_EINPUT in a build without MPI. */
int rk_link_mpi_begin(rk_ctx *ctx);
/* This process's rank (0 without rk_link_mpi_begin). */
int rk_link_mpi_rank(void);
/* Ends MPI on this rank, once its work is done. */
void rk_link_mpi_end(void);
/* Ends every rank of the run at once, with exit status `status`: what a rank that failed
 * does, as the others would wait for it forever. Nothing without rk_link_mpi_begin. */
void rk_link_mpi_abort(int status);

/* ---- what the blocking rules would compare, before a run (`reckon link --explain-blocks`) ---- */

#define RK_LINK_EXPLAIN_RULES   16 /* the most rules a set-up holds */
#define RK_LINK_EXPLAIN_LARGEST 5  /* the largest blocks shown of each rule */

typedef struct rk_link_block_example {
    char name[128];     /* the block's keys, "smith|1956" */
    uint64_t records;   /* records in the block */
    uint64_t pairs_new; /* of its pairs, those no earlier rule compares and the mode allows */
} rk_link_block_example;

typedef struct rk_link_rule_explain {
    char name[64];
    rk_link_block_stats stats; /* blocks, largest, pairs it adds, split and skipped blocks */
    uint64_t pairs_in_blocks;  /* pairs of records in its blocks, earlier rules' too */
    size_t nlargest;
    rk_link_block_example largest[RK_LINK_EXPLAIN_LARGEST]; /* largest first */
} rk_link_rule_explain;

typedef struct rk_link_blocks_explained {
    size_t records, lists, max_block, nrules;
    uint64_t pairs; /* the pairs a run would compare */
    rk_link_rule_explain rules[RK_LINK_EXPLAIN_RULES];
} rk_link_blocks_explained;

/* Builds the blocks of the set-up `reckon link` would use (defaults, opts->config_path) over the
 * project's current records and says what each rule would compare, without comparing, fitting
 * or storing anything. */
int rk_link_project_explain_blocks(rk_link_blocks_explained *out, rk_store *st,
                                   const rk_link_project_options *opts);

/* Compares the latest run's persons with a truth CSV (columns key_col, default "record_key",
 * and entity_col, default "person_id"); records the truth does not name count as persons of
 * their own and are counted in *missing. */
int rk_link_evaluate_project(rk_link_eval *out, size_t *missing, rk_store *st,
                             const char *truth_path, const char *key_col, const char *entity_col);

/* ---- the pairs a run and a truth disagree on ---- */

/* Why the two records of a pair the truth and the run disagree on are apart or together. */
typedef enum rk_link_pair_why {
    RK_PAIR_NOT_COMPARED, /* missed: no blocking rule put them in one block */
    RK_PAIR_BELOW,        /* missed: compared, scored below the threshold */
    RK_PAIR_KEPT_APART,   /* missed: scored at or above it, kept apart by clustering */
    RK_PAIR_REVIEWER,     /* a reviewer's decision on the pair */
    RK_PAIR_JOINED,       /* false: scored at or above the threshold */
    RK_PAIR_CHAIN,        /* false: joined through other records (transitively) */
    RK_PAIR_WHY_COUNT     /* the number of reasons, not a reason */
} rk_link_pair_why;

/* A record as imported (its strings "" when the record has none). */
typedef struct rk_link_pair_record {
    int64_t id, row, line; /* record id, data row and line of its file */
    char *list, *key, *name, *birth, *death;
} rk_link_pair_record;

/* A pair of records the truth and the run disagree on. */
typedef struct rk_link_eval_pair {
    bool missed;                       /* one true person, two persons of the run; else false */
    rk_link_pair_record rec[2];        /* rec[0].id < rec[1].id */
    int64_t person[2];                 /* their persons in the run */
    uint8_t level[RK_LINK_MAX_FIELDS]; /* per compared field: the level of the pair, as the
                                          run compares it (RK_LINK_MISSING: a value missing) */
    double probability;                /* the model's match probability of the pair */
    int rule;                          /* the first blocking rule that compares it, or -1 */
    bool stored;                       /* the run stored the pair */
    rk_link_pair_why why;
    char *detail; /* what decided it, in words ("a pair between them scored 0.004, below
                     cannot_link 0.01") */
} rk_link_eval_pair;

#define RK_LINK_PAIR_MISSING_LEVEL (RK_LINK_MAX_LEVELS + 1) /* index of "missing" in counts */

/* The pairs of records of one true person that the run keeps apart (missed) and the pairs it
 * joins of two true persons (false): their counts by reason, the missed ones also by the
 * level of each field, and the first `limit` of each kind in full. */
typedef struct rk_link_eval_pairs {
    int64_t run_id;
    double threshold;
    size_t nfields;
    char field[RK_LINK_MAX_FIELDS][32];
    size_t nlevels[RK_LINK_MAX_FIELDS];                         /* the field's levels and "else" */
    char level[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1][40]; /* labels, the last "else" */
    size_t nrules;
    char rule[16][48]; /* blocking rules' names */
    uint64_t missed, false_pairs;
    uint64_t missed_why[RK_PAIR_WHY_COUNT], false_why[RK_PAIR_WHY_COUNT];
    /* missed pairs by reason, field and level (index nlevels[f] - 1 is else,
       RK_LINK_PAIR_MISSING_LEVEL missing) */
    uint64_t missed_level[RK_PAIR_WHY_COUNT][RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 2];
    uint64_t stored_checked, stored_differ; /* stored pairs among them, and those whose
                                               probability computed again differs */
    rk_link_eval_pair *pairs;               /* the listed pairs: missed first, then false */
    size_t npairs;
    double seconds;
} rk_link_eval_pairs;

typedef struct rk_link_eval_pairs_options {
    unsigned version;
    const char *truth_path, *key_col, *entity_col; /* as rk_link_evaluate_project */
    const char *config_path; /* the configuration file the run was made with, or NULL */
    bool list_missed, list_false;
    size_t limit; /* pairs listed of each kind; 0: all */
} rk_link_eval_pairs_options;

#define RK_LINK_EVAL_PAIRS_OPTIONS_VERSION 1
#define RK_LINK_EVAL_PAIRS_OPTIONS_INIT                                                            \
    {                                                                                              \
        .version = RK_LINK_EVAL_PAIRS_OPTIONS_VERSION, .list_missed = true, .list_false = true,    \
        .limit = 50                                                                                \
    }

/* Finds the pairs the latest run and the truth disagree on, and for each why: the pair is
 * compared again with the run's set-up and model (the same comparison and blocking code as
 * the run). The project's records must be those the run linked (RK_EINPUT otherwise), and its
 * set-up the one the run recorded (a configuration file is given again in config_path).
 * *out is the caller's; rk_link_eval_pairs_release frees what it holds. Only reads. */
int rk_link_evaluate_pairs(rk_link_eval_pairs *out, rk_store *st,
                           const rk_link_eval_pairs_options *opts);
void rk_link_eval_pairs_release(rk_link_eval_pairs *p);

/* The latest link run of a project: RK_ENOTFOUND when the project was never linked. */
int rk_link_latest_run(int64_t *run_id, rk_store *st);

/* ---- documented records and persons: the one definition every report, page and command
 * shows ---- */

/* What a project documents. records: its current records (those of imports not superseded).
 * persons: the persons these records make in the latest link run; a current record that run
 * has not seen (imported after it, or no run yet) counts as a person of its own, so every
 * current record is in exactly one person. When records were imported or superseded after the
 * latest run, the persons are older than the records: `unlinked` and `superseded` say by how
 * much, and rk_link_persons_stale says so. */
typedef struct rk_link_documented {
    int64_t run_id;     /* the latest link run; 0 when the project was never linked */
    int64_t records;    /* documented records: the current records */
    int64_t persons;    /* documented persons (see above) */
    int64_t unlinked;   /* current records the latest run has not seen */
    int64_t superseded; /* records of the latest run that are no longer current */
} rk_link_documented;

/* Reads the figures above in one snapshot of the project. */
int rk_link_documented_count(rk_link_documented *out, rk_store *st);
/* True when records were imported or superseded after the latest link run: its persons are
 * older than the records and a new `reckon link` would count them afresh. */
bool rk_link_persons_stale(const rk_link_documented *d);
/* The notice every reader shows when the persons are older than the records, as plain text
 * (escape it for HTML) in out (cut to outsz bytes); "" when they are not. */
void rk_link_stale_notice(char *out, size_t outsz, const rk_link_documented *d);

/* One comparison level of a stored model. */
typedef struct rk_link_run_level {
    char *field;      /* the compared field ("family_name"); NULL when the model names none */
    char *label;      /* the level ("exact", ..., "else"); NULL when the model names none */
    double m, u;      /* how often the level occurs among pairs of one person, of two; NaN when
                       * the model does not say */
    double weight;    /* log2(m/u): evidence for a match when the level is seen; as stored, else
                       * from m and u, NaN when neither tells it */
    double u_random;  /* u among random pairs, behind the adjustment of a rare exact name; NaN
                       * when the model does not say */
    char *depends_on; /* the field whose agreement this field's goes with (rk_link_model's
                       * depends_on), on every level of the field; NULL: none */
    double lift;      /* and how many times more often they agree together; NaN: none */
    double u_blocked; /* u among the compared pairs; NaN when the model does not say */
    int64_t field_at, level_at; /* the level's place: field, then level, from 0 */
} rk_link_run_level;

/* A link run as `reckon link` stored it: its settings, fitted model and statistics. */
typedef struct rk_link_run_info {
    int64_t run_id;
    int64_t seed;
    double threshold;                            /* match probability at which records join */
    char *model_json, *config_json, *stats_json; /* the stored JSON objects, as stored */
    /* Read from the model; has_summary is false when the stored model is not valid JSON. */
    bool has_summary;
    double lambda;                       /* prior share of matches among compared pairs */
    double lambda_within, lambda_across; /* within one list, across two; 0 when not split */
    double lambda_blocked;               /* among the pairs in blocks; NaN when not said */
    int iterations;                      /* of EM */
    bool converged;
    double change;          /* largest change of m, u or lambda in EM's last iteration; NaN
                               when the model does not say (runs stored before it did) */
    int64_t patterns;       /* distinct comparison vectors */
    rk_link_em_step *trace; /* EM's first iterations as stored (RK_LINK_EM_TRACE at most) */
    size_t ntrace;
    rk_link_run_level *levels; /* every level of every compared field, in the model's order */
    size_t nlevels;
} rk_link_run_info;

/* Reads link run run_id (RK_ENOTFOUND when there is none) into *out, a struct the caller owns:
 * its strings and levels are emptied with rk_link_run_info_release. */
int rk_link_run_info_read(rk_link_run_info *out, rk_store *st, int64_t run_id);
void rk_link_run_info_release(rk_link_run_info *info);

#ifdef __cplusplus
}
#endif

#endif
