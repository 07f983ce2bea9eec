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

/* Indexed by rk_link_cmp. */
extern const link_level_kind link_level_kinds[RK_CMP_COUNT];

/* The kind of a level, or NULL for a value outside rk_link_cmp. */
static inline const link_level_kind *link_level_kind_of(rk_link_cmp cmp)
{
    return (unsigned)cmp < RK_CMP_COUNT ? &link_level_kinds[cmp] : NULL;
}

/* Candidate pairs from blocking, a < b, in a deterministic order. */
typedef struct link_pairs {
    size_t n;
    uint32_t *a;
    uint32_t *b;
} link_pairs;

int link_block(rk_ctx *ctx, link_pairs *out, rk_link_block_stats *stats, const rk_link_data *data,
               const rk_link_options *opts);
/* What each rule's blocks hold (out: opts->nrules entries), without the pairs. */
int link_block_explain(rk_ctx *ctx, rk_link_rule_explain *out, const rk_link_data *data,
                       const rk_link_options *opts);

/* The blocks of every rule (oversized blocks split or skipped as link_block does, without
 * its warnings), to ask which rule compares a pair: link_block_index_rule gives the first
 * rule that puts records x and y in one block, or -1 when no rule does or the mode leaves the
 * pair out; that rule's blocking compared them. */
typedef struct link_block_index link_block_index;
int link_block_index_open(link_block_index **out, rk_ctx *ctx, const rk_link_data *d,
                          const rk_link_options *opts);
long link_block_index_rule(const link_block_index *ix, const rk_link_data *d, uint32_t x,
                           uint32_t y);
void link_block_index_free(link_block_index *ix);

/* The comparison pattern of records a and b; *tf_weight gets the term-frequency adjustment
 * (log2) when tf is non-NULL. */
uint64_t link_compare(const rk_link_data *data, const rk_link_options *opts, uint32_t a, uint32_t b,
                      const float *const *tf, const rk_link_model *model, double *tf_weight);

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
 * (link_u_sample_free). */
int link_sample_u(rk_ctx *ctx, rk_link_model *model, link_u_sample *out, const rk_link_data *data,
                  const rk_link_options *opts);
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
