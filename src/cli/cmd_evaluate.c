/* `reckon evaluate PROJECT --truth FILE`: how the latest link run compares with the truth. */
#include "cli.h"

#include <string.h>

static const cli_option options[] = {
    {"truth", 0, CLI_VALUE, "FILE", "CSV naming the real person of each record"},
    {"key", 0, CLI_VALUE, "COLUMN", "column of record keys (default record_key)"},
    {"entity", 0, CLI_VALUE, "COLUMN", "column of person ids (default person_id)"},
    {"json", 0, CLI_FLAG, NULL, "print JSON (with --pairs: one object per line, each pair one)"},
    {"pairs", 0, CLI_CHOICE, "missed|false|all",
     "list the pairs the run and the truth disagree on, and why (default all)"},
    {"limit", 0, CLI_VALUE, "N", "pairs listed of each kind (default 50, 0: all)"},
    {"config", 0, CLI_VALUE, "FILE", "the configuration file the run was made with (--pairs)"},
    {0},
};

/* Names of the reasons, for text and for JSON. */
static const char *const why_text[RK_PAIR_WHY_COUNT] = {
    [RK_PAIR_NOT_COMPARED] = "never compared", [RK_PAIR_BELOW] = "below the threshold",
    [RK_PAIR_KEPT_APART] = "kept apart",       [RK_PAIR_REVIEWER] = "a reviewer's decision",
    [RK_PAIR_JOINED] = "above the threshold",  [RK_PAIR_CHAIN] = "through a chain",
};
static const char *const why_json[RK_PAIR_WHY_COUNT] = {
    [RK_PAIR_NOT_COMPARED] = "not_compared", [RK_PAIR_BELOW] = "below_threshold",
    [RK_PAIR_KEPT_APART] = "kept_apart",     [RK_PAIR_REVIEWER] = "reviewer",
    [RK_PAIR_JOINED] = "above_threshold",    [RK_PAIR_CHAIN] = "chain",
};

static const char *level_name(const rk_link_eval_pairs *e, size_t c, unsigned level)
{
    return level == RK_LINK_MISSING || level >= e->nlevels[c] ? "missing" : e->level[c][level];
}

/* JSON of a string into b (emptied first), for printing. */
static const char *json(rk_buf *b, const char *s)
{
    rk_buf_clear(b);
    if (rk_buf_json_string(b, s, strlen(s)) != RK_OK)
        return "\"\"";
    return rk_buf_cstr(b);
}

static void print_pair_text(const rk_link_eval_pairs *e, const rk_link_eval_pair *p, size_t nth)
{
    printf("\n%s %zu:", p->missed ? "missed" : "false", nth);
    for (int k = 0; k < 2; k++) {
        const rk_link_pair_record *r = &p->rec[k];
        printf("%s %s (list %s, row %lld, line %lld) \"%s\"", k ? "\n    ~" : "", r->key, r->list,
               (long long)r->row, (long long)r->line, r->name);
        if (*r->birth)
            printf(" born %s", r->birth);
        if (*r->death)
            printf(" died %s", r->death);
        printf(" [person %lld]", (long long)p->person[k]);
    }
    printf("\n  ");
    for (size_t c = 0; c < e->nfields; c++)
        printf("%s%s: %s", c ? ", " : "", e->field[c], level_name(e, c, p->level[c]));
    printf("\n  probability %.4f; %s%s%s\n  why: %s\n", p->probability,
           p->rule >= 0 ? "compared by rule '" : "compared by no blocking rule",
           p->rule >= 0 ? e->rule[p->rule] : "", p->rule >= 0 ? "'" : "", p->detail);
}

static void print_pair_json(const rk_link_eval_pairs *e, const rk_link_eval_pair *p, rk_buf *b)
{
    printf("{\"kind\":\"%s\",\"records\":[", p->missed ? "missed" : "false");
    for (int k = 0; k < 2; k++) {
        const rk_link_pair_record *r = &p->rec[k];
        printf("%s{\"id\":%lld,\"list\":%s", k ? "," : "", (long long)r->id, json(b, r->list));
        printf(",\"key\":%s,\"row\":%lld,\"line\":%lld", json(b, r->key), (long long)r->row,
               (long long)r->line);
        printf(",\"name\":%s", json(b, r->name));
        printf(",\"birth\":%s", json(b, r->birth));
        printf(",\"death\":%s,\"person\":%lld}", json(b, r->death), (long long)p->person[k]);
    }
    printf("],\"levels\":{");
    for (size_t c = 0; c < e->nfields; c++) {
        printf("%s%s:", c ? "," : "", json(b, e->field[c]));
        printf("%s", json(b, level_name(e, c, p->level[c])));
    }
    printf("},\"probability\":%.6f,\"rule\":", p->probability);
    printf("%s,\"stored\":%s,\"why\":\"%s\",\"detail\":",
           p->rule >= 0 ? json(b, e->rule[p->rule]) : "null", p->stored ? "true" : "false",
           why_json[p->why]);
    printf("%s}\n", json(b, p->detail));
}

/* The counts: missed and false pairs by reason, missed pairs by the level of each field. */
static void print_summary_text(const rk_link_eval_pairs *e)
{
    printf("\nmissed pairs: %llu (", (unsigned long long)e->missed);
    static const rk_link_pair_why missed_whys[] = {RK_PAIR_NOT_COMPARED, RK_PAIR_BELOW,
                                                   RK_PAIR_KEPT_APART, RK_PAIR_REVIEWER};
    for (size_t w = 0; w < sizeof(missed_whys) / sizeof(missed_whys[0]); w++)
        printf("%s%s %llu", w ? ", " : "", why_text[missed_whys[w]],
               (unsigned long long)e->missed_why[missed_whys[w]]);
    printf(")\nfalse pairs: %llu (%s %llu, %s %llu, %s %llu)\n", (unsigned long long)e->false_pairs,
           why_text[RK_PAIR_JOINED], (unsigned long long)e->false_why[RK_PAIR_JOINED],
           why_text[RK_PAIR_CHAIN], (unsigned long long)e->false_why[RK_PAIR_CHAIN],
           why_text[RK_PAIR_REVIEWER], (unsigned long long)e->false_why[RK_PAIR_REVIEWER]);
    if (e->missed) {
        printf("missed pairs by level (never compared / below the threshold / kept apart):\n");
        for (size_t c = 0; c < e->nfields; c++) {
            printf("  %s:", e->field[c]);
            bool first = true;
            for (size_t l = 0; l <= RK_LINK_PAIR_MISSING_LEVEL; l++) {
                if (l >= e->nlevels[c] && l != RK_LINK_PAIR_MISSING_LEVEL)
                    continue;
                uint64_t nc = e->missed_level[RK_PAIR_NOT_COMPARED][c][l],
                         nb = e->missed_level[RK_PAIR_BELOW][c][l],
                         nk = e->missed_level[RK_PAIR_KEPT_APART][c][l],
                         nr = e->missed_level[RK_PAIR_REVIEWER][c][l];
                if (nc + nb + nk + nr == 0)
                    continue;
                printf("%s %s %llu (%llu/%llu/%llu)", first ? "" : ",",
                       l == RK_LINK_PAIR_MISSING_LEVEL ? "missing" : e->level[c][l],
                       (unsigned long long)(nc + nb + nk + nr), (unsigned long long)nc,
                       (unsigned long long)nb, (unsigned long long)nk);
                first = false;
            }
            printf("\n");
        }
    }
    if (e->stored_differ)
        printf(
            "warning: %llu of the %llu stored pairs listed score otherwise now than in the run\n",
            (unsigned long long)e->stored_differ, (unsigned long long)e->stored_checked);
    printf("(link run %lld; pairs judged in %.1f s)\n", (long long)e->run_id, e->seconds);
}

static void print_summary_json(const rk_link_eval_pairs *e, rk_buf *b)
{
    printf("{\"summary\":{\"run_id\":%lld,\"missed\":%llu,\"false\":%llu,\"missed_by_reason\":{",
           (long long)e->run_id, (unsigned long long)e->missed, (unsigned long long)e->false_pairs);
    for (int w = 0; w < RK_PAIR_WHY_COUNT; w++)
        printf("%s\"%s\":%llu", w ? "," : "", why_json[w], (unsigned long long)e->missed_why[w]);
    printf("},\"false_by_reason\":{");
    for (int w = 0; w < RK_PAIR_WHY_COUNT; w++)
        printf("%s\"%s\":%llu", w ? "," : "", why_json[w], (unsigned long long)e->false_why[w]);
    printf("},\"missed_by_level\":{");
    for (size_t c = 0; c < e->nfields; c++) {
        printf("%s%s:{", c ? "," : "", json(b, e->field[c]));
        bool first = true;
        for (size_t l = 0; l <= RK_LINK_PAIR_MISSING_LEVEL; l++) {
            if (l >= e->nlevels[c] && l != RK_LINK_PAIR_MISSING_LEVEL)
                continue;
            printf("%s%s:{", first ? "" : ",",
                   json(b, l == RK_LINK_PAIR_MISSING_LEVEL ? "missing" : e->level[c][l]));
            for (int w = 0; w < RK_PAIR_WHY_COUNT; w++)
                printf("%s\"%s\":%llu", w ? "," : "", why_json[w],
                       (unsigned long long)e->missed_level[w][c][l]);
            printf("}");
            first = false;
        }
        printf("}");
    }
    printf("},\"stored_checked\":%llu,\"stored_differ\":%llu,\"seconds\":%.3f}}\n",
           (unsigned long long)e->stored_checked, (unsigned long long)e->stored_differ, e->seconds);
}

static int run_pairs(rk_ctx *ctx, const cli_args *args, rk_store *st, bool as_json)
{
    rk_link_eval_pairs_options o = RK_LINK_EVAL_PAIRS_OPTIONS_INIT;
    const char *kind = cli_get(args, "pairs", "");
    int64_t limit;
    if (!cli_get_int(args, "evaluate", "limit", 50, 0, INT64_MAX, &limit))
        return CLI_EUSER;
    if (strcmp(kind, "missed") == 0)
        o.list_false = false;
    else if (strcmp(kind, "false") == 0)
        o.list_missed = false;
    else if (*kind && strcmp(kind, "all") != 0)
        return cli_usage_error("evaluate", "--pairs takes missed, false or all, not '%s'", kind);
    o.limit = (size_t)limit;
    o.truth_path = cli_get(args, "truth", NULL);
    o.key_col = cli_get(args, "key", NULL);
    o.entity_col = cli_get(args, "entity", NULL);
    o.config_path = cli_get(args, "config", NULL);
    rk_link_eval_pairs e;
    int rc = rk_link_evaluate_pairs(&e, st, &o);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    rk_buf b;
    rk_buf_init(&b);
    size_t nth[2] = {0, 0};
    for (size_t i = 0; i < e.npairs; i++) {
        if (as_json)
            print_pair_json(&e, &e.pairs[i], &b);
        else
            print_pair_text(&e, &e.pairs[i], ++nth[e.pairs[i].missed]);
    }
    if (as_json)
        print_summary_json(&e, &b);
    else
        print_summary_text(&e);
    rk_buf_release(&b);
    rk_link_eval_pairs_release(&e);
    return CLI_OK;
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1 || !cli_has(args, "truth"))
        return cli_usage_error("evaluate", "expected the project file and --truth FILE");
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    rk_link_eval e;
    size_t missing = 0;
    if (rc == RK_OK)
        rc = rk_link_evaluate_project(&e, &missing, st, cli_get(args, "truth", NULL),
                                      cli_get(args, "key", NULL), cli_get(args, "entity", NULL));
    if (rc != RK_OK) {
        rk_store_free(st);
        return cli_fail(ctx, rc);
    }
    int status = CLI_OK;
    if (cli_has(args, "json")) {
        printf("{\"precision\":%.6f,\"recall\":%.6f,\"f1\":%.6f,\"b3_precision\":%.6f,"
               "\"b3_recall\":%.6f,\"b3_f1\":%.6f,\"exact_share\":%.6f,\"true_pairs\":%llu,"
               "\"found_pairs\":%llu,\"correct_pairs\":%llu,\"entities\":%zu,\"clusters\":%zu,"
               "\"records_not_in_truth\":%zu}\n",
               e.precision, e.recall, e.f1, e.b3_precision, e.b3_recall, e.b3_f1, e.exact_share,
               (unsigned long long)e.true_pairs, (unsigned long long)e.found_pairs,
               (unsigned long long)e.correct_pairs, e.entities, e.clusters, missing);
        if (cli_has(args, "pairs"))
            status = run_pairs(ctx, args, st, true);
        rk_store_free(st);
        return status;
    }
    printf("pairwise:  precision %.4f  recall %.4f  F1 %.4f  (%llu true pairs, %llu found, %llu "
           "correct)\n",
           e.precision, e.recall, e.f1, (unsigned long long)e.true_pairs,
           (unsigned long long)e.found_pairs, (unsigned long long)e.correct_pairs);
    printf("B-cubed:   precision %.4f  recall %.4f  F1 %.4f\n", e.b3_precision, e.b3_recall,
           e.b3_f1);
    printf("persons:   %zu true, %zu found, %.1f%% of true persons found exactly\n", e.entities,
           e.clusters, 100.0 * e.exact_share);
    if (missing)
        printf("note: %zu records are not in the truth file; each was counted as its own person\n",
               missing);
    if (cli_has(args, "pairs")) {
        printf("missed pairs (one true person, two found): %llu; false pairs (two true persons, "
               "one found): %llu\n",
               (unsigned long long)(e.true_pairs - e.correct_pairs),
               (unsigned long long)(e.found_pairs - e.correct_pairs));
        status = run_pairs(ctx, args, st, false);
    }
    rk_store_free(st);
    return status;
}

const cli_command cli_cmd_evaluate = {
    .name = "evaluate",
    .summary = "compare the persons of the latest link run with a truth file",
    .usage = "evaluate PROJECT --truth FILE [--key COLUMN] [--entity COLUMN] [--json]\n"
             "       [--pairs [missed|false|all]] [--limit N] [--config FILE]",
    .description =
        "Pairwise precision, recall and F1; B-cubed precision, recall and F1; the share\n"
        "of true persons found exactly as one person.\n"
        "\n"
        "--pairs lists the missed pairs (records of one true person in two persons of the\n"
        "run) and the false pairs (records of two true persons in one), each with its\n"
        "records, the level of each compared field, the match probability and why: never\n"
        "compared (no blocking rule put them together), scored below the threshold, kept\n"
        "apart by clustering (cannot_link, a unique list, a weak bridge), or joined through\n"
        "a chain of other records; then the missed pairs counted by reason and by the level\n"
        "of each field. Pairs are compared again with the run's set-up and model: a run made\n"
        "with a configuration file needs it again (--config).",
    .options = options,
    .run = run,
};
