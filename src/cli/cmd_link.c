/* `reckon link PROJECT`: links the records of a project into persons. */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const cli_option options[] = {
    {"config", 'c', CLI_VALUE, "FILE", "link configuration (docs/linkage.md)"},
    {"threshold", 't', CLI_VALUE, "P", "match probability at which records join (0-1)"},
    {"threads", 'j', CLI_VALUE, "N", "threads (default: all cores); results do not depend on it"},
    {"seed", 's', CLI_VALUE, "S", "seed of the random pairs that estimate u (default 1)"},
    {"json", 0, CLI_FLAG, NULL, "print the summary as JSON"},
    {"add", 0, CLI_VALUE, "LIST",
     "link a list imported after the latest run to that run's persons, comparing only the "
     "pairs with one of its records and scoring them with that run's model"},
    {"refit", 0, CLI_FLAG, NULL,
     "with --add: link every record again (a full run, the model fitted anew)"},
    {"mpi", 0, CLI_FLAG, NULL,
     "one rank of an MPI run (mpirun -np N reckon link PROJECT --mpi; a build with 'make "
     "MPI=1'): the ranks share the blocks, rank 0 writes the run; the result is the same "
     "whatever the number of ranks"},
    {"explain-blocks", 0, CLI_FLAG, NULL,
     "say what each blocking rule would compare (its largest blocks, the pairs it adds), and "
     "stop: nothing is compared or stored"},
    {0},
};

/* `--explain-blocks`: each rule's blocks, the pairs it adds, and its largest blocks. */
static int explain_blocks(rk_ctx *ctx, rk_store *st, const rk_link_project_options *o)
{
    rk_link_blocks_explained *e = rk_malloc(sizeof(*e));
    if (!e)
        return cli_fail(ctx, rk_error_set(ctx, RK_ENOMEM, "out of memory"));
    int rc = rk_link_project_explain_blocks(e, st, o);
    if (rc != RK_OK) {
        rk_free(e);
        return cli_fail(ctx, rc);
    }
    printf("%zu records of %zu lists; %zu blocking rules would compare %llu pairs (blocks of "
           "more than %zu records are split by the rule's split key, or skipped)\n",
           e->records, e->lists, e->nrules, (unsigned long long)e->pairs, e->max_block);
    for (size_t q = 0; q < e->nrules; q++) {
        const rk_link_rule_explain *r = &e->rules[q];
        if (r->stats.left_out) {
            printf("\nrule '%s': left out: its blocks would hold %llu pairs, more than its "
                   "max_pairs a record (docs/linkage.md, \"Blocking at scale\")\n",
                   r->name, (unsigned long long)r->stats.left_out);
            continue;
        }
        printf("\nrule '%s': %llu blocks of 2 records or more, largest %llu; %llu pairs in its "
               "blocks, %llu of them new (%.1f%% of all compared); %llu blocks split, %llu "
               "skipped\n",
               r->name, (unsigned long long)r->stats.blocks, (unsigned long long)r->stats.largest,
               (unsigned long long)r->pairs_in_blocks, (unsigned long long)r->stats.pairs,
               e->pairs ? 100.0 * (double)r->stats.pairs / (double)e->pairs : 0.0,
               (unsigned long long)r->stats.split, (unsigned long long)r->stats.skipped);
        for (size_t k = 0; k < r->nlargest; k++)
            printf("  %-40s %8llu records %12llu new pairs\n", r->largest[k].name,
                   (unsigned long long)r->largest[k].records,
                   (unsigned long long)r->largest[k].pairs_new);
    }
    rk_free(e);
    return CLI_OK;
}

/* Test-only (RECKON_FAULT=rank:N): rank N of an MPI run is killed as it starts comparing
 * blocks, as a node that dies would be. */
static void die_comparing(void *user, const char *stage, uint64_t done, uint64_t total)
{
    (void)user, (void)done, (void)total;
    if (strstr(stage, "blocks") && strncmp(stage, "comparing", 9) == 0)
        raise(SIGKILL);
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("link", "expected one argument, the project file");
    rk_link_project_options o = RK_LINK_PROJECT_OPTIONS_INIT;
    o.config_path = cli_get(args, "config", NULL);
    const char *th = cli_get(args, "threshold", NULL);
    if (th && (rk_parse_double(&o.threshold, th) != RK_OK || o.threshold <= 0 || o.threshold >= 1))
        return cli_usage_error("link", "--threshold takes a probability between 0 and 1, not '%s'",
                               th);
    int64_t threads = 0, seed = 1;
    if (!cli_get_int(args, "link", "threads", 0, 0, 256, &threads) ||
        !cli_get_int(args, "link", "seed", 1, 0, INT64_MAX, &seed))
        return CLI_EUSER;
    o.threads = (int)threads;
    o.seed_set = cli_has(args, "seed");
    o.seed = (uint64_t)seed;
    o.add_list = cli_get(args, "add", NULL);
    o.refit = cli_has(args, "refit");
    if (o.refit && !o.add_list)
        return cli_usage_error("link", "--refit goes with --add LIST; without it 'reckon link' "
                                       "links every record anyway");
    if (o.add_list && cli_has(args, "explain-blocks"))
        return cli_usage_error("link", "--add and --explain-blocks do not go together");
    bool mpi = cli_has(args, "mpi");
    if (mpi && (o.add_list || cli_has(args, "explain-blocks")))
        return cli_usage_error("link", "--mpi links every record: not with --add or "
                                       "--explain-blocks");
    rk_store *st = NULL;
    if (cli_has(args, "explain-blocks")) {
        int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
        if (rc != RK_OK)
            return cli_fail(ctx, rc);
        int status = explain_blocks(ctx, st, &o);
        rk_store_free(st);
        return status;
    }
    int mode = RK_STORE_READWRITE, status = CLI_OK;
    if (mpi && (status = cli_mpi_start(ctx, &mode, die_comparing)) != CLI_OK)
        return status;
    int rc = rk_store_open(&st, ctx, args->positional[0], mode);
    rk_link_project_result r;
    if (rc == RK_OK)
        rc = rk_link_project(&r, st, &o);
    rk_store_free(st);
    if (rc != RK_OK) {
        status = cli_fail(ctx, rc);
        if (mpi) /* the other ranks would wait for this one: the run ends, nothing written */
            rk_link_mpi_abort(status);
        return status;
    }
    if (mpi) {
        bool root = rk_link_mpi_rank() == 0;
        rk_link_mpi_end();
        if (!root)
            return CLI_OK;
    }
    size_t kept = 0;
    for (int k = RK_REVIEW_REVIEWER; k < RK_REVIEW_REASON_COUNT; k++)
        kept += r.kept_apart[k];
    if (cli_has(args, "json")) {
        printf("{\"run_id\":%lld,\"records\":%zu,\"lists\":%zu,\"persons\":%zu,"
               "\"pairs_compared\":%zu,\"pairs_stored\":%zu,\"review\":%zu,\"labels\":%zu,"
               "\"kept_apart\":{",
               (long long)r.run_id, r.records, r.lists, r.persons, r.pairs_compared, r.pairs_stored,
               r.review, r.labels);
        for (int k = RK_REVIEW_REVIEWER; k < RK_REVIEW_REASON_COUNT; k++)
            printf("%s\"%s\":%zu", k == RK_REVIEW_REVIEWER ? "" : ",",
                   rk_link_review_reason_name(k), r.kept_apart[k]);
        printf("},\"added\":%zu,\"seconds\":%.3f}\n", r.added, r.seconds);
        return CLI_OK;
    }
    if (o.add_list)
        printf("added list '%s' (%zu records)%s\n", o.add_list, r.added,
               o.refit ? ", every record linked again" : " to the latest run's persons");
    printf("link run %lld: %zu records of %zu lists -> %zu persons; %zu pairs compared, %zu "
           "stored, %zu for review%s (%.2f s)\n",
           (long long)r.run_id, r.records, r.lists, r.persons, r.pairs_compared, r.pairs_stored,
           r.review, r.labels ? "; reviewers' decisions applied" : "", r.seconds);
    if (kept) {
        printf("kept apart by clustering: %zu pairs scored at or above the threshold (", kept);
        const char *sep = "";
        for (int k = RK_REVIEW_REVIEWER; k < RK_REVIEW_REASON_COUNT; k++)
            if (r.kept_apart[k]) {
                printf("%s%s %zu", sep, rk_link_review_reason_name(k), r.kept_apart[k]);
                sep = ", ";
            }
        printf("); they are in the review queue\n");
    }
    return CLI_OK;
}

const cli_command cli_cmd_link = {
    .name = "link",
    .summary = "link records within and across lists into persons",
    .usage = "link PROJECT [--config FILE] [--threshold P] [--threads N] [--seed S] [--json]\n"
             "       mpirun -np N reckon link PROJECT --mpi [--threads N] [--config FILE] ...\n"
             "       reckon link PROJECT --add LIST [--refit] [--config FILE] [--json]\n"
             "       reckon link PROJECT --explain-blocks [--config FILE]",
    .description =
        "Blocks, compares and scores candidate pairs with a Fellegi-Sunter model fitted by EM,\n"
        "then joins records into persons, checking clusters for contradictions. Reviewers'\n"
        "decisions are used as labels and always win. The run, its model, its pairs and its\n"
        "persons are stored in the project (see 'reckon model', 'reckon export'). Without a\n"
        "configuration's 'fields =' it compares the name, date, sex and place roles and every\n"
        "field:NAME extra the imports map, at most 15 fields in all.\n"
        "With --add LIST, a list imported after the latest run is linked to that run's\n"
        "persons and within itself: only pairs with one of its records are compared, scored\n"
        "with the run's model; the run's pairs are kept as scored and its persons are not\n"
        "split (docs/linkage.md, \"Adding a list\"). The set-up must be the run's.",
    .options = options,
    .run = run,
};
