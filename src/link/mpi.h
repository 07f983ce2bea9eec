/* A pass over the blocks shared by the ranks of an MPI run (mpi.c; docs/scale.md, "Past one
 * machine"): each block is compared on the rank its key hashes to, a block of more pairs than a
 * share is split across every rank by its pair range, and link_mpi_share_end gives every rank
 * the pass's whole result, as one process would have found it. Without rk_link_mpi_begin (or
 * in a build without MPI) a share is inactive and the pass compares every block itself. */
#ifndef RK_LINK_MPI_H
#define RK_LINK_MPI_H

#include "link_private.h"

typedef struct link_share {
    bool active;    /* an MPI run: this rank compares its share */
    int rank, size; /* this rank, and the number of ranks */
    uint64_t split; /* blocks of more pairs than this are split across the ranks */
    uint64_t *kept; /* per block: the pairs this rank kept of its part (kept pairs only) */
    bool failed;    /* out of memory before the pass */
} link_share;

/* The share of this rank in the pass s over blocks; with every pair written at its offset
 * (s->out_a), the arrays are cleared first, as each rank writes only its pairs. */
void link_mpi_share_begin(link_share *sh, const link_stream *s, const link_blocks *blocks);

/* Whether this rank compares a part of block bi: pairs [np * part / parts, np * (part + 1) /
 * parts) of its np pairs (part 0 of 1: all of them). */
bool link_mpi_share_part(const link_share *sh, const link_blocks *blocks, size_t bi, uint32_t *part,
                         uint32_t *parts);

/* After the pass: rc is this rank's result of it; every rank gets every rank's counts (rule
 * pairs, the histogram: integer sums, exact) and every kept pair, in block order, or every
 * pair at its offset. An error on any rank is an error on every one. Frees the share. */
int link_mpi_share_end(rk_ctx *ctx, link_share *sh, link_stream_result *out, const link_stream *s,
                       const link_blocks *blocks, int rc);

/* The share [*lo, *hi) of n things this rank takes (mpi_share.c): n·r/N to n·(r+1)/N at rank
 * r of N in an MPI run; all of them (0 to SIZE_MAX) outside one or at one rank. */
void link_mpi_part(size_t n, size_t *lo, size_t *hi);

/* After each rank filled its share (link_mpi_part) of the n elements of `elem` bytes at p (rc:
 * how that went): every rank learns whether one failed, then gets every share, in place.
 * Outside an MPI run (or when not `shared`), returns rc. */
int link_mpi_fill(rk_ctx *ctx, void *p, size_t n, size_t elem, bool shared, int rc);

/* Whether this rank computes the k-th of things shared one by one (k modulo the ranks): always
 * outside an MPI run or when not `shared`. */
bool link_mpi_mine(size_t k, bool shared);
/* Sends the k-th thing (`bytes` at p) from the rank that computed it to every other. */
int link_mpi_send_mine(rk_ctx *ctx, void *p, size_t bytes, size_t k, bool shared);
/* Whether any rank failed (this one when rc is not RK_OK), as link_mpi_fill tells it. */
int link_mpi_any_failed(rk_ctx *ctx, bool shared, int rc);

/* After each rank compared its share of the pairs within and between persons (rc: how that
 * went; stream.c): rank 0 gets every rank's pairs in *out, joined in rank order, the others
 * none. Outside an MPI run, returns rc. */
int link_mpi_gather_between(rk_ctx *ctx, link_stream_result *out, int rc);

/* After each rank parsed its part [lo, hi) of the `rows` it read (rc: how that went): every
 * rank learns whether one failed, checks that the parts tile the same rows on every rank, and
 * gets every part, joined in rank order: d, *record_id and *record_key (d->nrecords entries)
 * become what one process's load makes. Outside an MPI run, returns rc. */
int link_mpi_records_join(rk_ctx *ctx, rk_link_data *d, int64_t **record_id, char ***record_key,
                          size_t lo, size_t hi, size_t rows, int rc);

/* A blocking shared by the ranks of an MPI run (mpi_rules.c): each rank builds the blocks of
 * the rules given to it and keeps what building them logs; link_mpi_rules_end sends each rule's
 * blocks to every rank and logs, at rank 0, what each rule logged, in rule order. Inactive
 * outside an MPI run, at one rank, or when not `shared`: the rank builds every rule. */
typedef struct link_rules_share {
    bool active;         /* each rank builds some of the rules */
    int rank, size;      /* this rank, and the number of ranks */
    size_t nrules;       /* the rules */
    int *owner;          /* per rule: the rank that builds it */
    rk_buf *said;        /* per rule: what building it logged: a level digit, the message, NUL */
    size_t building;     /* the rule this rank builds now */
    bool failed;         /* out of memory keeping a message */
    rk_ctx *ctx;         /* the caller's */
    rk_ctx building_ctx; /* what this rank builds its rules with: keeps the log, passes progress */
} link_rules_share;

int link_mpi_rules_begin(link_rules_share *sh, rk_ctx *ctx, const rk_link_data *d,
                         const rk_link_options *opts, bool shared);
/* The context to build rule r with (the caller's when the share is inactive), or NULL when
 * another rank builds it. */
rk_ctx *link_mpi_rules_ctx(link_rules_share *sh, size_t r);
/* After this rank built its rules (rc: how that went): every rank learns whether one failed,
 * then gets every rule's blocks (rbs), statistics and count of oversized blocks skipped
 * (counted), and rank 0 logs what building each rule logged. Outside an active share, returns
 * rc. */
int link_mpi_rules_end(link_rules_share *sh, link_rule_blocks *rbs, rk_link_block_stats *stats,
                       size_t *counted, size_t nrecords, int rc);
void link_mpi_rules_free(link_rules_share *sh);

/* False on a rank other than 0 of an MPI run: its run stops once the passes over the blocks
 * are done, as rank 0 alone clusters and writes the project. */
bool link_mpi_root(void);

/* The hashing of the rows rank 0 saves (mpi_hash.c): while rank 0 alone writes the project,
 * the other ranks hash the rows it writes for the audit chain's state digest
 * (rk_store__hash_rows_with), which took a third of the save on rank 0. */
typedef struct link_mpi_hasher {
    bool active;  /* rank 0 of several: the others hash rows until link_mpi_hash_end */
    bool ended;   /* the others were told to stop and sent their sums */
    int size;     /* the ranks */
    int next;     /* the batches sent so far: the next goes to rank 1 + next % (size - 1) */
    double bytes; /* the bytes of rows sent */
    rk_ctx *ctx;  /* where the end is logged */
} link_mpi_hasher;

/* After the run, on rank 0: from now the other ranks wait for rows (link_mpi_hash_serve) until
 * link_mpi_hash_end. Inactive outside an MPI run of several ranks. */
void link_mpi_hash_begin(link_mpi_hasher *h, rk_ctx *ctx);
/* Has the rows the open transaction of st writes hashed by the other ranks (the store gives
 * them back their sums when the transaction's event is appended); false when it hashes them
 * itself. */
bool link_mpi_hash_rows(link_mpi_hasher *h, rk_store *st);
/* Tells the other ranks to stop, if the store has not: rank 0 calls it on every path out of
 * the save, after the transaction ended. */
void link_mpi_hash_end(link_mpi_hasher *h);
/* On a rank other than 0 after the run (rc: its result): hashes rank 0's rows until it ends
 * them. Returns rc. Outside an MPI run, or at rank 0, returns rc at once. */
int link_mpi_hash_serve(int rc);

#endif
