/* Blocking on the ranks of an MPI run (docs/scale.md, "Past one machine"): each rank builds the
 * blocks of some of the rules, the costliest rules first, each to the rank with the least work
 * so far (every rank makes the same choice from the records); then each rule's blocks and
 * statistics are sent from the rank that built it to every other, so that every rank holds the
 * blocks one process builds. What building a rule logs (an oversized block skipped, a rule left
 * out) is kept and logged by rank 0 in rule order, as one process logs it. Built with
 * RECKON_MPI; without it (or at one rank, or for a blocking not shared) a rank builds every
 * rule. */
#include "mpi.h"

#ifdef RK_MPI

#include "mpi_private.h"

/* What a rank built of rule r costs, roughly its entries: the records times the keys a record
 * has in each part, a one-letter-off part times a key's length (a key for each letter left
 * out). */
static double rule_cost(const rk_link_data *d, const rk_link_rule *rule)
{
    double cost = (double)d->nrecords + 1;
    for (size_t p = 0; p < rule->nparts; p++) {
        const rk_link_column *c = &d->fields[rule->parts[p].field];
        if (c->type != RK_LINK_STRING || d->nrecords == 0 || c->nkeys == 0)
            continue;
        double keys = (double)c->nkeys / (double)d->nrecords;
        cost *= keys > 1 ? keys : 1;
        if (rule->parts[p].one_off)
            cost *= 1 + (double)c->text.len / (double)c->nkeys;
    }
    return cost;
}

/* What building a rule logs, forwarded progress: the context a rank builds its rules with. */
static void keep_log(void *user, rk_log_level level, const char *message)
{
    link_rules_share *sh = user;
    if (sh->building < sh->nrules && !sh->failed &&
        (rk_buf_putc(&sh->said[sh->building], (char)('0' + level)) != RK_OK ||
         rk_buf_append(&sh->said[sh->building], message, strlen(message) + 1) != RK_OK))
        sh->failed = true;
}

static void pass_progress(void *user, const char *stage, uint64_t done, uint64_t total)
{
    link_rules_share *sh = user;
    rk_progress(sh->ctx, stage, done, total);
}

int link_mpi_rules_begin(link_rules_share *sh, rk_ctx *ctx, const rk_link_data *d,
                         const rk_link_options *opts, bool shared)
{
    MPI_Comm comm;
    memset(sh, 0, sizeof(*sh));
    sh->ctx = ctx;
    sh->nrules = opts->nrules;
    if (!shared || !link_mpi__ranks(&comm, &sh->rank, &sh->size) || opts->nrules == 0)
        return RK_OK;
    sh->active = true;
    sh->owner = rk_calloc(opts->nrules, sizeof(int));
    sh->said = rk_calloc(opts->nrules, sizeof(rk_buf));
    double *cost = rk_calloc(opts->nrules, sizeof(double)),
           *load = rk_calloc((size_t)sh->size, sizeof(double));
    bool *given = rk_calloc(opts->nrules, sizeof(bool));
    int rc = RK_OK;
    if (!sh->owner || !sh->said || !cost || !load || !given) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory sharing the blocking rules");
        goto cleanup;
    }
    for (size_t r = 0; r < opts->nrules; r++)
        cost[r] = rule_cost(d, &opts->rules[r]);
    for (size_t k = 0; k < opts->nrules; k++) {
        size_t best = SIZE_MAX; /* the costliest rule not given yet, the first of equals */
        for (size_t r = 0; r < opts->nrules; r++)
            if (!given[r] && (best == SIZE_MAX || cost[r] > cost[best]))
                best = r;
        int least = 0;
        for (int q = 1; q < sh->size; q++)
            if (load[q] < load[least])
                least = q;
        given[best] = true;
        sh->owner[best] = least;
        load[least] += cost[best];
    }
    rk_ctx_init(&sh->building_ctx);
    sh->building_ctx.log = keep_log;
    sh->building_ctx.progress = pass_progress;
    sh->building_ctx.user = sh;
cleanup:
    rk_free(cost);
    rk_free(load);
    rk_free(given);
    return rc;
}

rk_ctx *link_mpi_rules_ctx(link_rules_share *sh, size_t r)
{
    if (!sh->active)
        return sh->ctx;
    if (sh->owner[r] != sh->rank)
        return NULL;
    sh->building = r;
    return &sh->building_ctx;
}

/* Sends rule r's blocks, statistics and log from the rank that built it to every other. */
static int send_rule(link_rules_share *sh, link_rule_blocks *rb, rk_link_block_stats *st,
                     size_t *counted, size_t nrecords, size_t r)
{
    int root = sh->owner[r];
    bool mine = root == sh->rank;
    uint64_t head[9] = {0};
    if (mine) {
        head[0] = rb->nblocks;
        head[1] = rb->bstart[rb->nblocks];
        memcpy(&head[2], st, sizeof(*st));
        head[8] = *counted;
        _Static_assert(sizeof(*st) == 6 * sizeof(uint64_t), "the statistics are 6 counts");
    }
    uint64_t said = sh->said[r].len;
    if (link_mpi__bcast(head, 9, sizeof(uint64_t), root) != RK_OK ||
        link_mpi__bcast(&said, 1, sizeof(uint64_t), root) != RK_OK)
        return RK_EINTERNAL;
    size_t nb = (size_t)head[0], nrec = (size_t)head[1];
    if (!mine) {
        memset(rb, 0, sizeof(*rb));
        rb->nblocks = nb;
        memcpy(st, &head[2], sizeof(*st));
        *counted = (size_t)head[8];
        rb->bstart = rk_malloc((nb + 1) * sizeof(uint32_t));
        rb->rec = rk_malloc((nrec + 1) * sizeof(uint32_t));
        rb->key = rk_malloc((nb + 1) * sizeof(uint64_t));
        rb->combo = rk_malloc((nb + 1) * sizeof(uint16_t));
        rb->start = rk_malloc((nrecords + 1) * sizeof(uint32_t));
        rb->id = rk_malloc((nrec + 1) * sizeof(uint32_t));
        if (!rb->bstart || !rb->rec || !rb->key || !rb->combo || !rb->start || !rb->id ||
            rk_buf_reserve(&sh->said[r], (size_t)said + 1) != RK_OK)
            return RK_ENOMEM;
        sh->said[r].len = (size_t)said;
    }
    if (link_mpi__bcast(rb->bstart, nb + 1, sizeof(uint32_t), root) != RK_OK ||
        link_mpi__bcast(rb->rec, nrec, sizeof(uint32_t), root) != RK_OK ||
        link_mpi__bcast(rb->key, nb, sizeof(uint64_t), root) != RK_OK ||
        link_mpi__bcast(rb->combo, nb, sizeof(uint16_t), root) != RK_OK ||
        link_mpi__bcast(rb->start, nrecords + 1, sizeof(uint32_t), root) != RK_OK ||
        link_mpi__bcast(rb->id, nrec, sizeof(uint32_t), root) != RK_OK ||
        link_mpi__bcast(sh->said[r].data, (size_t)said, 1, root) != RK_OK)
        return RK_EINTERNAL;
    return RK_OK;
}

int link_mpi_rules_end(link_rules_share *sh, link_rule_blocks *rbs, rk_link_block_stats *stats,
                       size_t *counted, size_t nrecords, int rc)
{
    if (!sh->active)
        return rc;
    rk_ctx *ctx = sh->ctx;
    if (rc != RK_OK)
        ctx->err = sh->building_ctx.err; /* this rank's own error */
    else if (sh->failed)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory keeping what blocking logged");
    if ((rc = link_mpi__failed(ctx, rc, "building blocks")) != RK_OK)
        return rc;
    uint64_t bytes = 0;
    for (size_t r = 0; r < sh->nrules; r++) {
        if ((rc = send_rule(sh, &rbs[r], &stats[r], &counted[r], nrecords, r)) != RK_OK)
            return rc == RK_ENOMEM
                       ? rk_error_set(ctx, RK_ENOMEM, "out of memory receiving blocks")
                       : rk_error_set(ctx, RK_EINTERNAL,
                                      "the ranks of the MPI run could not exchange their blocks");
        /* what building the rule logged, where one process logs it (rank 0's log) */
        for (size_t at = 0; at < sh->said[r].len;) {
            const char *m = sh->said[r].data + at;
            rk_log(ctx, (rk_log_level)(m[0] - '0'), "%s", m + 1);
            at += strlen(m) + 1;
        }
        uint64_t nb = rbs[r].nblocks, nrec = rbs[r].bstart[nb];
        bytes += (nb + 1) * 4 + nb * (8 + 2) + (nrecords + 1) * 4 + nrec * 8;
    }
    rk_log(ctx, RK_LOG_DEBUG, "MPI: %zu rules built on %d ranks and joined: %.1f MB", sh->nrules,
           sh->size, (double)bytes / 1e6);
    return RK_OK;
}

void link_mpi_rules_free(link_rules_share *sh)
{
    for (size_t r = 0; sh->said && r < sh->nrules; r++)
        rk_buf_release(&sh->said[r]);
    rk_free(sh->said);
    rk_free(sh->owner);
    rk_ctx_release(&sh->building_ctx);
    memset(sh, 0, sizeof(*sh));
}

#else /* a build without MPI: a rank builds every rule */

int link_mpi_rules_begin(link_rules_share *sh, rk_ctx *ctx, const rk_link_data *d,
                         const rk_link_options *opts, bool shared)
{
    (void)d, (void)shared;
    memset(sh, 0, sizeof(*sh));
    sh->ctx = ctx;
    sh->nrules = opts->nrules;
    return RK_OK;
}

rk_ctx *link_mpi_rules_ctx(link_rules_share *sh, size_t r)
{
    (void)r;
    return sh->ctx;
}

int link_mpi_rules_end(link_rules_share *sh, link_rule_blocks *rbs, rk_link_block_stats *stats,
                       size_t *counted, size_t nrecords, int rc)
{
    (void)sh, (void)rbs, (void)stats, (void)counted, (void)nrecords;
    return rc;
}

void link_mpi_rules_free(link_rules_share *sh)
{
    memset(sh, 0, sizeof(*sh));
}

#endif
