/* Private declarations shared by the files of src/link: the pieces of a run (blocking,
 * comparison, model fitting) that rk_link_run strings together. */
#ifndef RK_LINK_PRIVATE_H
#define RK_LINK_PRIVATE_H

#include "common.h"

#include <math.h>

/* The key text of key k of a STRING column. */
static inline const char *col_key(const rk_link_column *c, uint32_t k)
{
    return c->text.data + c->key_text[k];
}

/* The length of key k (keys are stored one after the other, each with its NUL). */
static inline size_t col_key_len(const rk_link_column *c, uint32_t k)
{
    size_t end = k + 1 < c->nkeys ? c->key_text[k + 1] : c->text.len;
    return end - c->key_text[k] - 1;
}

static inline int pattern_level(uint64_t pattern, size_t c)
{
    return (int)((pattern >> (4 * c)) & 15u);
}

/* A pair's say in whether the groups of its two records are one person (clustering's
 * cannot_link check, cluster.c): its log-odds log(p / (1 - p)), with p held within
 * [1 - LINK_EVIDENCE_CAP, LINK_EVIDENCE_CAP] so that no one pair outweighs several others. */
#define LINK_EVIDENCE_CAP 0.999

static inline double link_evidence(double p)
{
    double q = p < 1 - LINK_EVIDENCE_CAP ? 1 - LINK_EVIDENCE_CAP
               : p > LINK_EVIDENCE_CAP   ? LINK_EVIDENCE_CAP
                                         : p;
    return log(q / (1 - q));
}

/* Whether the summed evidence of the pairs between two groups (link_evidence of each) lets a
 * pair below cannot_link keep them apart: the one rule, for clustering (cluster.c) and for
 * `reckon evaluate --pairs` (project_pairs.c), which says why persons ended apart. */
static inline bool link_evidence_keeps_apart(double evidence)
{
    return evidence < 0;
}

/* Everything about a kind of comparison level but its test (level_match or date_level_match
 * in compare.c): the one place that names it, and the one the configuration file's parser
 * (project_config.c) reads. */
typedef struct link_level_kind {
    const char *name;        /* in configuration files and in a run's recorded set-up */
    rk_link_field_type type; /* the fields it compares: keys (STRING) or ranges of days */
    bool configurable;       /* written in configuration files (else set through the API) */
    bool number;             /* a configuration file gives a number after the name: the
                                threshold (then an optional KEY, or for a DATE kind an
                                optional width in days) */
} link_level_kind;

/* The Jaro-Winkler similarity of a and b (rk_link_jaro_winkler) when it may be floor or more;
 * 0 when a bound proves it below floor (not computed then). */
double link_jw_floor(const char *a, size_t na, const char *b, size_t nb, double floor);

/* The most edits an `edit N` level allows: rk_link_osa compares 255 bytes at most, and
 * compare.c casts the number to an int. */
#define LINK_MAX_EDITS 255

/* Indexed by rk_link_cmp. */
extern const link_level_kind link_level_kinds[RK_CMP_COUNT];

/* The kind of a level, or NULL for a value outside rk_link_cmp. */
static inline const link_level_kind *link_level_kind_of(rk_link_cmp cmp)
{
    return (unsigned)cmp < RK_CMP_COUNT ? &link_level_kinds[cmp] : NULL;
}

/* One record's entry in a rule's blocks: the hash of the block's keys. */
typedef struct link_block_entry {
    uint64_t h;
    uint32_t rec;
    uint16_t combo; /* which keys of the record made h (mixed radix over parts) */
    uint16_t pad;
} link_block_entry;

/* One rule's blocks of two records or more, numbered in the order of their keys' hashes:
 * block k holds rec[bstart[k] .. bstart[k + 1]); record i is in blocks id[start[i] ..
 * start[i + 1]) (sorted). v and n: the entries, only while the rule is built. */
typedef struct link_rule_blocks {
    link_block_entry *v;
    size_t n;
    size_t nblocks;
    uint32_t *bstart; /* nblocks + 1 */
    uint32_t *rec;
    uint64_t *key;   /* nblocks: the hash of each block's keys */
    uint16_t *combo; /* nblocks: which keys of its first record made it */
    uint32_t *start; /* nrecords + 1 */
    uint32_t *id;
} link_rule_blocks;

/* A block of two records or more: block `block` of rule `rule`. */
typedef struct link_block_ref {
    uint32_t rule;
    uint32_t block;
} link_block_ref;

/* Every rule's blocks (oversized ones split or skipped), the blocks of two records or more in
 * rule order. A pair is compared once: in the first rule, and the smallest shared block of
 * that rule, that holds it (and only when the mode allows it). */
typedef struct link_blocks {
    link_rule_blocks *rbs;
    size_t nrules;
    rk_link_mode mode;
    link_block_ref *blocks;
    size_t nblocks;
    size_t max_size; /* records in the largest block */
    uint64_t bound;  /* pairs in blocks, each block's counted whole: at least the pairs compared */
} link_blocks;

/* Builds the blocks (warning of oversized ones when `warn`); stats (opts->nrules entries, or
 * NULL) get each rule's blocks, largest, splits and skips. `shared`: at the ranks of an MPI
 * run, each builds some of the rules and sends them to the others (mpi.h), so every rank must
 * call it; else (and outside an MPI run) this process builds every rule. */
int link_blocks_build(rk_ctx *ctx, link_blocks *out, rk_link_block_stats *stats,
                      const rk_link_data *data, const rk_link_options *opts, bool warn,
                      bool shared);
void link_blocks_free(link_blocks *b);
/* The pairs block i compares, a < b in a fixed order (only those with a record marked in
 * touch, when not NULL): written to pa, pb when not NULL (room for size * (size - 1) / 2),
 * counted in any case. */
size_t link_blocks_pairs(const link_blocks *b, const rk_link_data *data, size_t i,
                         const uint8_t *touch, uint32_t *pa, uint32_t *pb);
/* The hash of block i's keys: the same block has the same one whatever the other records. */
uint64_t link_blocks_key(const link_blocks *b, size_t i);
/* The rule whose blocks compare records x and y, or -1 when none does or the mode leaves the
 * pair out. */
long link_blocks_rule(const link_blocks *b, const rk_link_data *data, uint32_t x, uint32_t y);
/* The pairs each block compares: offs[i + 1] - offs[i] for block i, offs[nblocks] in all;
 * each rule's count is added to its stats' pairs (stats may be NULL). */
int link_blocks_offsets(rk_ctx *ctx, size_t **offs, const link_blocks *b,
                        rk_link_block_stats *stats, const rk_link_data *data);
/* Sums that must not depend on the order of adding (the threads): fixed point, 128 bits. */
__extension__ typedef unsigned __int128 link_u128;

/* The compared pairs by distinct comparison vector (sorted): what EM needs, and what the
 * pairs a pass did not keep leave behind, of one list [0] and of two lists [1]: how many,
 * their largest tf weight, and the sum of 2^tf (link_hist_odds). */
typedef struct link_hist {
    size_t n;
    uint64_t *pattern;
    uint64_t *within, *across; /* compared pairs of records of one list, of two lists */
    uint64_t *labelled;        /* of them, pairs a reviewer decided */
    uint64_t *dropped[2];
    double *tf_max[2];
    link_u128 *odds[2];
    uint64_t compared; /* all of them */
} link_hist;
void link_hist_free(link_hist *h);
/* The sum of 2^tf weight of the pairs of vector i a pass did not keep (across: 0 or 1). */
double link_hist_odds(const link_hist *h, size_t i, int across);

/* One pass over the blocks (link_stream_run). */
typedef struct link_stream {
    const rk_link_data *data;
    const rk_link_options *opts;
    const float *const *tf;             /* link_tf_tables */
    const rk_link_model *tf_model;      /* whose u_sample the tf weights use */
    const struct link_keysets *keysets; /* for each thread's memo of levels, or NULL */
    const uint64_t *labels;             /* reviewers' pairs, sorted (a << 32 | b) */
    size_t nlabels;
    const char *stage; /* progress label, ending in its unit (NULL: "comparing blocks") */
    /* Which pairs to keep, one of: */
    uint32_t *out_a, *out_b; /* every pair, written at the offsets link_blocks_offsets gave */
    uint64_t *out_pattern;
    double *out_tf;
    const size_t *offs;
    const rk_link_model *keep[2]; /* those either model ([1] may be NULL) scores at or
                                   * above floor */
    double floor;
    /* neither: the counts alone; */
    uint32_t sample; /* and over 1: only the blocks whose key is 0 modulo sample */
    /* Per record, or NULL: only the pairs with a record marked here are compared (a list
     * added to a linked project: `reckon link --add`), blocks without one skipped whole. */
    const uint8_t *touch;
} link_stream;

typedef struct link_stream_result {
    link_hist hist;
    size_t n; /* kept pairs, in block order (not with out_a) */
    uint32_t *a, *b;
    uint64_t *pattern;
    double *tf;
    uint64_t *rule_pairs; /* pairs each rule compared (nrules) */
} link_stream_result;
int link_stream_run(rk_ctx *ctx, link_stream_result *out, const link_stream *s,
                    const link_blocks *blocks);
void link_stream_result_free(link_stream_result *r);
/* (The sense check's (e), docs/linkage.md "Namesakes in large blocks".) Whether EM's match
 * class is far smaller than the matches the scores find: the pairs scored at or above the
 * threshold (`above`, at least 100) more than 8 times EM's matched pairs among the `compared`
 * pairs (its share times their number, into *em). The scores take EM's m, the random pairs' u,
 * the names' frequencies and the prior of all pairs, which is EM's share scaled; when they link
 * many times the pairs EM counts as matches, EM's class has shrunk to a corner of the matches
 * and its prior, too low by as much, leaves the rest unlinked. Four caucasus lists of 945,000
 * people: 98,950 pairs linked against EM's 3,039 (ratio 33; recall 0.16, persons over-counted
 * by 63%); sound fits measured 1.06 to 2.5 (the synth scenarios at 20,000, the same four lists
 * at 100,000 and 300,000). A run then tries the scores' own fit (run.c, refit_scores); the
 * sense check refuses a run still so. */
bool link_match_class_shrunk(const rk_link_model *m, uint64_t compared, size_t above, double *em);
/* Whether a pair the pass left out could score at or above `need` under the model: its
 * vector's weight with the largest tf weight among them. */
bool link_hist_dropped_reach(rk_ctx *ctx, const link_hist *h, const rk_link_model *model,
                             double need);
/* The compared pairs within a person, or between two persons that a pair scored at or above
 * `need` ties, that r does not hold yet: stored so that clustering again later (the review
 * app) sees what this run saw. */
int link_stream_between(rk_ctx *ctx, link_stream_result *out, const link_stream *s,
                        const link_blocks *blocks, const rk_link_result *r, double need);

/* Moves one part of a string column's keys to follow what comes before it when parts are
 * joined (loaded in batches, or parsed on the ranks of an MPI run): its key starts 1..n by
 * keys_before, its keys' text offsets past text_before bytes of text. Every part's text
 * begins with the empty string at offset 0, which only the first part (text_before 0) keeps:
 * a later part's offset k lands at text_before + k - 1. */
static inline void link_keys_rebase(uint32_t *key_start, size_t n, uint32_t *key_text, size_t nkeys,
                                    uint64_t keys_before, uint64_t text_before)
{
    for (size_t i = 1; i <= n; i++)
        key_start[i] += (uint32_t)keys_before;
    for (size_t k = 0; text_before > 0 && k < nkeys; k++)
        key_text[k] += (uint32_t)(text_before - 1);
}

/* Linking a list added to a linked project (`reckon link --add`): the earlier run's model
 * scores the pairs with a record of the added list (the only ones compared); the earlier
 * run's stored pairs are kept as they were scored, the result's first npairs pairs in their
 * order; its persons are kept whole (forced links) and clustering then takes the new links. */
typedef struct link_add {
    rk_link_model model;    /* the earlier run's */
    const uint8_t *touch;   /* per record: 1 for a record of the added list */
    const uint32_t *person; /* per record: its person in the earlier run, numbered below
                               nrecords, or UINT32_MAX (an added record) */
    const uint32_t *a, *b;  /* the earlier run's stored pairs (record indexes) */
    const double *weight;
    const float *prob;
    size_t npairs;
} link_add;
int link_run_add(rk_link_result **out, rk_ctx *ctx, const rk_link_data *data,
                 const rk_link_options *opts, const link_add *add);

/* What each rule's blocks hold (out: opts->nrules entries), without the pairs. */
int link_block_explain(rk_ctx *ctx, rk_link_rule_explain *out, const rk_link_data *data,
                       const rk_link_options *opts);

/* Per compared STRING field, a number per record naming its key set (records with the same
 * keys, tags and texts in order, share one), LINK_KEYSET_NONE when it has none (missing) or
 * too many; NULL for a field not remembered: one a caller's test compares, or whose levels
 * are all exact (a look-up in the memo costs more than comparing them). */
#define LINK_KEYSET_NONE ((uint32_t)1 << 30)
typedef struct link_keysets {
    uint32_t *id[RK_LINK_MAX_FIELDS];
} link_keysets;
/* `shared`: at the ranks of an MPI run, the fields go to the ranks in turn and each field's
 * sets are sent to the others (mpi.h), so every rank must call it. */
int link_keysets_build(rk_ctx *ctx, link_keysets *out, const rk_link_data *data,
                       const rk_link_options *opts, bool shared);
void link_keysets_free(link_keysets *k);

/* One thread's memo of field levels by key sets (direct-mapped): names repeat across a
 * population, and a level costs up to a Jaro-Winkler per pair of keys per level. A slot is 8
 * bytes, so that twice as many fit the cache: the pair's key k (compare << 60 | a's set << 30
 * | b's set) times an odd constant is a one-to-one mix h; its top LINK_LEVEL_MEMO_BITS bits
 * choose the slot, which keeps the other bits of h (so k, exactly), the level (4 bits) and
 * a's key that agreed at level 0, from a's first (6 bits: a set holds at most 64 keys). */
#define LINK_LEVEL_MEMO_BITS 17
typedef uint64_t link_level_memo_slot; /* 0: empty; else 1 << 63 | h's low bits << 10 |
                                          offset << 4 | level */
typedef struct link_level_memo {
    const link_keysets *sets;
    link_level_memo_slot *slot; /* 1 << LINK_LEVEL_MEMO_BITS, zeroed */
} link_level_memo;

/* The comparison pattern of records a and b; *tf_weight gets the term-frequency adjustment
 * (log2) when tf is non-NULL. With a memo (or NULL), field levels of key sets seen before are
 * looked up, not compared again: the same pattern either way. */
uint64_t link_compare(const rk_link_data *data, const rk_link_options *opts, uint32_t a, uint32_t b,
                      const float *const *tf, const rk_link_model *model, double *tf_weight,
                      link_level_memo *memo);

/* Per compare with tf_adjust: the share of records holding each key (parallel to the keys of
 * the field), or NULL; and tf[LINK_TF_JOINT], per record, the share of records holding its
 * keys of both the first two such compares (given and family names together), or NULL. */
#define LINK_TF_JOINT RK_LINK_MAX_FIELDS
int link_tf_tables(rk_ctx *ctx, float *tf[RK_LINK_MAX_FIELDS + 1], const rk_link_data *data,
                   const rk_link_options *opts);

/* The random pairs u is measured on: their comparison vectors, and whether each is of two
 * records of one list. */
typedef struct link_u_sample {
    uint64_t *pat;
    uint8_t *within;
    size_t n;
} link_u_sample;

/* u from random pairs, and m, lambda starting values; *out keeps the pairs
 * (link_u_sample_free). `shared`: at the ranks of an MPI run, each compares a share of the
 * pairs and sends it to the others (mpi.h), so every rank must call it. */
int link_sample_u(rk_ctx *ctx, rk_link_model *model, link_u_sample *out, const rk_link_data *data,
                  const rk_link_options *opts, bool shared);
void link_u_sample_free(link_u_sample *s);
/* Sets the model's depends_on and lift from the random pairs, each weighed by its probability
 * of a non-match under the model (a scoring one: m, u_sample and the priors); true when some
 * field goes with another. */
bool link_find_dependence(rk_link_model *model, const rk_link_options *opts,
                          const link_u_sample *sample);

/* Turns the model EM fitted among `compared` blocked pairs into the one that scores them: m
 * (floored at m_floor, levels kept in order) with the u of random pairs, and the prior as the
 * share of matches among all `population` pairs. u_blocked and lambda_blocked keep EM's. */
void link_score_model(rk_link_model *model, double compared, double population, double m_floor);
/* rk_link_pattern_weight for many patterns of one model: each level's weight computed once.
 * The model must not change while the table is used. */
typedef struct link_weights {
    const rk_link_model *model;
    double w[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1];
} link_weights;
void link_weights_init(link_weights *w, const rk_link_model *model);
double link_weights_of(const link_weights *w, uint64_t pattern);

/* A compared pair's match probability under the model of w: its tf weight plus its vector's
 * weight, with the prior of a pair of one list (within) or of two. *weight (when not NULL)
 * gets the sum. The one definition for scoring passes, clustering's oracle and evaluate. */
static inline double link_pair_score(const link_weights *w, double tf, uint64_t pattern,
                                     bool within, double *weight)
{
    double sum = tf + link_weights_of(w, pattern);
    if (weight)
        *weight = sum;
    return rk_link_probability_of(w->model, sum, within);
}
/* link_pair_score with the vector's weight under w already looked up (vector_weight). */
static inline double link_pair_score_at(const link_weights *w, double tf, double vector_weight,
                                        bool within)
{
    return rk_link_probability_of(w->model, tf + vector_weight, within);
}

/* Caps m level by level so that m/u never grows from a level to the next, then normalises. */
void link_order_levels(double *m, const double *u, size_t L);

/* Draws of the partition of records into persons (partitions.c; docs/linkage.md, "Drawing
 * partitions"): the graph is an rk_link_cluster_options (records, lists, unique lists, stored
 * pairs, reviewers' decisions; the thresholds are not used). */
typedef struct link_draw_options {
    size_t k;              /* the number of draws */
    uint64_t seed;         /* the same seed, the same draws, whatever the threads */
    double floor;          /* the probability a pair of records never stored counts with */
    const uint32_t *start; /* per record: its person in the point estimate the chain starts
                              from (any numbering), or NULL: every record alone */
    const int64_t *id;     /* per record: its id, which labels persons and seeds each
                              component's stream, or NULL: its index */
    size_t exact_max;      /* components of at most this many atoms (records reviewers'
                              matches join) are drawn exactly, by enumerating their
                              partitions; at most LINK_DRAW_EXACT_LIMIT */
    size_t burn_in;        /* sweeps of the chain before the first draw */
    size_t thin;           /* sweeps of the chain from a draw to the next (at least 1) */
} link_draw_options;

#define LINK_DRAW_EXACT_LIMIT 12
#define LINK_DRAW_OPTIONS_INIT                                                                     \
    {                                                                                              \
        .floor = 0.01, .exact_max = 8, .burn_in = 50, .thin = 5                                    \
    }

/* Writes o->k draws into out (k * g->nrecords): out[d * n + i] is the person of record i in
 * draw d, labelled by its smallest record (its id when o->id is given, else its index). */
int link_draw_partitions(int64_t *out, rk_ctx *ctx, const rk_link_cluster_options *g,
                         const link_draw_options *o);

#endif
