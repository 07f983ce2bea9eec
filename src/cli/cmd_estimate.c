/* `reckon estimate`: estimates the total number of victims, seen and unseen, from a counts
 * file or a project through rk_estimate_run (Chapman, log-linear models, LCMCR, dga), and
 * prints the estimates, or what the project stored, as a table or JSON. */
#include "cli.h"
#include "estimate/estimate_internal.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const cli_option options[] = {
    {"counts", 0, CLI_VALUE, "FILE",
     "capture-pattern counts (CSV: one 0/1 column per list, count)"},
    {"method", 'm', CLI_VALUE, "LIST",
     "comma-separated: chapman, loglinear, dga, lcmcr, all, or auto (the default: lcmcr for 3 "
     "or more lists, chapman for 2)"},
    {"lists", 0, CLI_VALUE, "A,B,...", "use only these lists (names from the header)"},
    {"model", 0, CLI_VALUE, "SPEC",
     "log-linear model to fit with a profile interval: Mt, Mth Chao, [12,13,4], ..."},
    {"criterion", 0, CLI_VALUE, "bic|aic", "model-search ranking (default bic)"},
    {"seed", 0, CLI_VALUE, "S", "random seed for lcmcr (default 1)"},
    {"iterations", 0, CLI_VALUE, "N", "lcmcr draws kept per chain (default 2000)"},
    {"burn-in", 0, CLI_VALUE, "N", "lcmcr iterations discarded per chain (default 10000)"},
    {"thin", 0, CLI_VALUE, "N", "lcmcr iterations between kept draws (default 50)"},
    {"chains", 0, CLI_VALUE, "N", "lcmcr chains, run in parallel (default 4)"},
    {"threads", 0, CLI_VALUE, "N", "threads for lcmcr chains (default: all cores)"},
    {"kstar", 0, CLI_VALUE, "K", "lcmcr latent classes (default 10)"},
    {"delta", 0, CLI_VALUE, "D", "dga hyper-Dirichlet prior per cell (default 2^-K)"},
    {"nmax", 0, CLI_VALUE, "N", "dga: most unseen persons considered (default 10 x observed)"},
    {"nprior", 0, CLI_VALUE, "inverse|uniform",
     "dga prior of N: proportional to 1/N (default, as dga) or flat up to --nmax"},
    {"by", 0, CLI_VALUE, "FIELD,...",
     "project: estimate per stratum (region, place, sex, violation, age_group, year or month "
     "of death, field:NAME) and sum the strata"},
    {"age-groups", 0, CLI_VALUE, "A,B,...",
     "with --by age_group: the first age of each group, from 0 (default 0,15,30,45,60)"},
    {"impute", 0, CLI_VALUE, "M",
     "project with --by: impute the values persons lack M times and combine (default 20; 0 "
     "refuses strata of persons without a value)"},
    {"linkages", 0, CLI_VALUE, "K",
     "project: estimate on K draws of the linkage and combine, and at link thresholds "
     "0.3/0.5/0.7/0.9 (default 20; 0: the link run's persons only)"},
    {"combine", 0, CLI_VALUE, "pooled|rubin|verdata",
     "project: how the Bayesian methods' replicates combine (default pooled; log-linear and "
     "Chapman always use Rubin's rules)"},
    {"json", 0, CLI_FLAG, NULL, "print JSON instead of a table"},
    {"mpi", 0, CLI_FLAG, NULL,
     "project: one rank of an MPI run (mpirun -np N reckon estimate PROJECT --mpi; a build with "
     "'make MPI=1'): the strata, replicate passes and whole-table figures are tasks shared by "
     "the ranks, rank 0 stores the estimates; they are the same whatever the number of ranks"},
    {0},
};

static void fmt_num(char *out, size_t sz, double v)
{
    if (isfinite(v))
        snprintf(out, sz, "%.1f", v);
    else
        snprintf(out, sz, "-");
}

/* "1/64" for a power of two below one, else the number. */
static void fmt_delta(char *out, size_t sz, double d)
{
    int ex;
    double m = frexp(d, &ex);
    if (m == 0.5 && ex <= 0)
        snprintf(out, sz, "1/%.0f", ldexp(1.0, 1 - ex));
    else
        snprintf(out, sz, "%g", d);
}

/* dga's sensitivity rows: how the answer moves with the bound on N and with delta. The head
 * names the stratum the rows belong to (NULL: the whole table). */
static void print_sensitivity_head(const char *method, const char *stratum)
{
    printf("\n%s sensitivity%s%s%s: the posterior of N with one setting changed (* as above)\n",
           method, stratum ? " (" : "", stratum ? stratum : "", stratum ? ")" : "");
    printf("  %-28s %10s %10s %10s  %s\n", "setting", "median", "lower", "upper",
           "mass in top tenth");
}

static void print_sensitivity_row(const rk_estimate_sensitivity *r, int64_t observed)
{
    char label[64], d[32], med[32], lo[32], up[32];
    fmt_delta(d, sizeof(d), r->delta);
    if (!strcmp(r->varies, "nmax"))
        snprintf(label, sizeof(label), "unseen <= %lld (%.3g n)", (long long)r->nmissing_max,
                 (double)r->nmissing_max / (double)observed);
    else
        snprintf(label, sizeof(label), "delta = %s", d);
    fmt_num(med, sizeof(med), r->median);
    fmt_num(lo, sizeof(lo), r->lower);
    fmt_num(up, sizeof(up), r->upper);
    printf("  %-26s %s %10s %10s %10s  %.2g\n", label, r->baseline ? "*" : " ", med, lo, up,
           r->top_mass);
}

static void print_sensitivity(const rk_estimate *e)
{
    if (!e->nsensitivity)
        return;
    print_sensitivity_head(e->method, NULL);
    for (size_t i = 0; i < e->nsensitivity; i++)
        print_sensitivity_row(&e->sensitivity[i], e->observed);
}

/* Each answer's model in words, with the lists' names (the report's words, one definition). */
static void print_words(const rk_capture_table *t, const rk_estimate *e, size_t n)
{
    const char *names[RK_ESTIMATE_MAX_LISTS];
    size_t k = rk_capture_table_nlists(t); /* at most RK_ESTIMATE_MAX_LISTS */
    for (size_t j = 0; j < k; j++)
        names[j] = rk_capture_table_list_name(t, j);
    rk_buf b;
    rk_buf_init(&b);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (e[i].extra || e[i].status == RK_ESTIMATE_REFUSED)
            continue;
        rk_buf_clear(&b);
        if (rk_estimate__model_words(&b, e[i].method, e[i].model, names, k) != RK_OK || !b.len)
            continue;
        printf("%s  %s: %s\n", any ? "" : "\nin words:\n", e[i].method, rk_buf_cstr(&b));
        any = true;
    }
    rk_buf_release(&b);
}

static void print_table(const rk_capture_table *t, const rk_estimate *e, size_t n)
{
    printf("lists: ");
    for (size_t j = 0; j < rk_capture_table_nlists(t); j++)
        printf("%s%s", j ? ", " : "", rk_capture_table_list_name(t, j));
    printf("\nobserved: %lld persons in %zu capture patterns\n\n",
           (long long)rk_capture_table_observed(t), rk_capture_table_npatterns(t));
    printf("%-10s %-34s %10s %10s %10s %10s  %s\n", "method", "model", "estimate", "stderr",
           "lower", "upper", "interval / fit");
    for (size_t i = 0; i < n; i++) {
        char est[32], se[32], lo[32], up[32], extra[96] = "";
        fmt_num(est, sizeof(est), e[i].estimate);
        fmt_num(se, sizeof(se), e[i].stderr_n);
        fmt_num(lo, sizeof(lo), e[i].lower);
        fmt_num(up, sizeof(up), e[i].upper);
        if (e[i].status == RK_ESTIMATE_REFUSED)
            snprintf(extra, sizeof(extra), "refused (see notes)");
        else if (!strcmp(e[i].method, "loglinear"))
            snprintf(extra, sizeof(extra), "%s; dev %.2f df %d AIC %.2f BIC %.2f",
                     e[i].interval_kind, e[i].deviance, e[i].df, e[i].aic, e[i].bic);
        else if (e[i].ndraws)
            snprintf(extra, sizeof(extra), "%s; mean %.1f R-hat %.3f ESS %.0f", e[i].interval_kind,
                     e[i].mean, e[i].rhat, e[i].ess);
        else
            snprintf(extra, sizeof(extra), "%s", e[i].interval_kind);
        printf("%-10s %-34.34s %10s %10s %10s %10s  %s\n", e[i].method,
               e[i].status == RK_ESTIMATE_REFUSED ? "-" : e[i].model, est, se, lo, up, extra);
    }
    print_words(t, e, n);
    for (size_t i = 0; i < n; i++)
        print_sensitivity(&e[i]);
    bool any = false;
    for (size_t i = 0; i < n; i++)
        if (e[i].warning[0]) {
            if (!any)
                printf("\nnotes:\n");
            any = true;
            printf("  %s%s%s: %s\n", e[i].method, e[i].model[0] ? " " : "", e[i].model,
                   e[i].warning);
        }
}

/* The sensitivity rows stored with a batch's estimates (result.sensitivity: dga's, one table
 * per stratum), printed under the estimates as the counts form prints them. */
static int print_batch_sensitivity(rk_store *st, int64_t batch)
{
    rk_estimate__stored_sensitivity *rows = NULL;
    size_t n = 0;
    int rc = rk_estimate__batch_sensitivity(&rows, &n, st, batch);
    for (size_t i = 0; rc == RK_OK && i < n; i++) {
        if (i == 0 || rows[i].estimate_id != rows[i - 1].estimate_id)
            print_sensitivity_head(rows[i].method,
                                   rows[i].stratum_label[0] ? rows[i].stratum_label : NULL);
        print_sensitivity_row(&rows[i].row, rows[i].observed);
    }
    rk_free(rows);
    return rc;
}

static void fmt_whole(char *out, size_t sz, double v)
{
    if (isfinite(v))
        snprintf(out, sz, "%.0f", v);
    else
        snprintf(out, sz, "-");
}

/* The missing values of a stratified batch: per list, the share of its persons that its records
 * give no value of each --by field; how many persons have none; the note when a list misses a
 * field for (nearly) all. */
static void print_missing(const rk_estimate__missing *m)
{
    printf("\nmissing values: of the persons each list names, the share its records give no "
           "value\n%-28s %8s",
           "list", "persons");
    for (size_t b = 0; b < m->nby; b++)
        printf("  missing %s", m->by[b]);
    printf("\n");
    for (size_t l = 0; l < m->nlists; l++) {
        const rk_estimate__missing_list *ml = &m->lists[l];
        printf("%-28.28s %8lld", ml->list ? ml->list : "", (long long)ml->persons);
        for (size_t b = 0; b < m->nby; b++)
            printf("  %*d%%", (int)(strlen("missing ") + strlen(m->by[b]) - 1),
                   rk_estimate__percent(ml->without[b], ml->persons));
        printf("\n");
    }
    rk_buf line;
    rk_buf_init(&line);
    for (size_t b = 0; b < m->nby; b++) {
        rk_buf_clear(&line);
        if (rk_estimate__missing_sentence(&line, m, b) == RK_OK)
            printf("%s\n", rk_buf_cstr(&line));
    }
    rk_buf_release(&line);
    if (m->note[0])
        printf("%s\n", m->note);
}

/* Prints the rows of one batch of stored estimates, as a table or as JSON. */
/* Under a replicated row: the single-linkage figure it was set beside, and how much imputation
 * and linkage widened the interval. */
static void print_replicated(const rk_estimate__detail *d)
{
    if (!d->replicated)
        return;
    char est[32], lo[32], hi[32];
    fmt_whole(est, sizeof(est), d->single.estimate);
    fmt_whole(lo, sizeof(lo), d->single.lower);
    fmt_whole(hi, sizeof(hi), d->single.upper);
    printf("    single linkage: %s [%s, %s]; above, combined over", est, lo, hi);
    if (d->linkages)
        printf(" %lld linkage draws", (long long)d->linkages);
    if (d->linkages && d->imputations)
        printf(" and");
    if (d->imputations)
        printf(" %lld imputations", (long long)d->imputations);
    printf(" (%s): the interval widened by %+.0f for imputation, %+.0f for linkage\n", d->rule,
           isfinite(d->widened_imputation) ? d->widened_imputation : 0,
           isfinite(d->widened_linkage) ? d->widened_linkage : 0);
}

/* The totals at the link thresholds 0.3 ... 0.9, each method's. */
static int print_thresholds(rk_store *st, int64_t batch, const rk_estimate__stored *rows, size_t n)
{
    rk_estimate__threshold *th = NULL;
    size_t nth = 0;
    int rc = rk_estimate__batch_thresholds(&th, &nth, st, batch);
    if (rc != RK_OK || nth == 0) {
        rk_free(th);
        return rc;
    }
    printf("\nthe total at other link thresholds (the run's persons clustered again, one "
           "imputation):\n");
    printf("%-10s %9s %8s %10s %10s %10s  %s\n", "method", "threshold", "observed", "estimate",
           "lower", "upper", "note");
    for (size_t i = 0; i < nth; i++) {
        const char *method = "";
        for (size_t j = 0; j < n; j++)
            if (rows[j].id == th[i].estimate_id)
                method = rows[j].method;
        char est[32], lo[32], hi[32];
        fmt_whole(est, sizeof(est), th[i].figure.estimate);
        fmt_whole(lo, sizeof(lo), th[i].figure.lower);
        fmt_whole(hi, sizeof(hi), th[i].figure.upper);
        printf("%-10s %9.1f %8lld %10s %10s %10s  %s\n", method, th[i].threshold,
               (long long)th[i].observed, est, lo, hi,
               strcmp(th[i].status, "ok") == 0 ? "" : th[i].reason);
    }
    rk_free(th);
    return RK_OK;
}

static int print_batch(rk_store *st, int64_t batch, bool json)
{
    rk_estimate__stored *rows = NULL;
    rk_estimate__missing *missing = NULL;
    rk_estimate__detail *details = NULL;
    size_t n = 0, nd = 0;
    rk_buf words;
    rk_buf_init(&words);
    int rc = rk_estimate__batch_rows(&rows, &n, st, batch);
    rc = rc ? rc : rk_estimate__batch_missing(&missing, st, batch);
    rc = rc ? rc : rk_estimate__batch_details(&details, &nd, st, batch);
    if (rc != RK_OK) {
        rk_estimate__stored_free(rows, n);
        rk_estimate__missing_free(missing);
        rk_estimate__details_free(details, nd);
        return rc;
    }
    if (json) {
        for (size_t i = 0; i < n; i++) {
            const rk_estimate__stored *r = &rows[i];
            if (i == 0)
                printf("{\"lists\":%s,\"batch\":%lld,\"missing\":%s,\"estimates\":[", r->lists,
                       (long long)batch, missing ? missing->json : "null");
            printf("%s\n{\"stratum\":%s,\"method\":\"%s\",\"observed\":%lld,\"status\":\"%s\","
                   "\"result\":%s}",
                   i ? "," : "", r->stratum, r->method, (long long)r->observed, r->status,
                   r->result);
        }
        printf("%s]}\n", n ? "" : "{\"estimates\":[");
    } else {
        printf("%-28s %-10s %-30s %8s %10s %10s %10s  %s\n", "stratum", "method", "model",
               "observed", "estimate", "lower", "upper", "note");
        for (size_t i = 0; i < n; i++) {
            const rk_estimate__stored *r = &rows[i];
            char est[32], lo[32], hi[32];
            fmt_whole(est, sizeof(est), r->estimate);
            fmt_whole(lo, sizeof(lo), r->lower);
            fmt_whole(hi, sizeof(hi), r->upper);
            printf("%-28.28s %-10s %-30.30s %8lld %10s %10s %10s  %s\n",
                   strcmp(r->stratum, "null") == 0 ? "(all)" : r->stratum, r->method, r->model,
                   (long long)r->observed, est, lo, hi,
                   strcmp(r->status, "ok") == 0 ? "" : r->status);
            if (r->reason[0])
                printf("    %s\n", r->reason);
            rk_buf_clear(&words);
            if (strcmp(r->status, "refused") != 0 &&
                (rc = rk_estimate__stored_words(&words, st, r->id, NULL)) == RK_OK && words.len)
                printf("    in words: %s\n", rk_buf_cstr(&words));
            if (i < nd && details[i].estimate_id == r->id)
                print_replicated(&details[i]);
        }
        rc = rc ? rc : print_thresholds(st, batch, rows, n);
        if (missing)
            print_missing(missing);
    }
    rk_estimate__stored_free(rows, n);
    rk_estimate__missing_free(missing);
    rk_estimate__details_free(details, nd);
    rk_buf_release(&words);
    if (rc != RK_OK)
        return rc;
    return json ? RK_OK : print_batch_sensitivity(st, batch);
}

/* Test-only (RECKON_FAULT=rank:N, cli_mpi_start): rank N of an MPI run is killed as it starts
 * its tasks. */
static void die_estimating(void *user, const char *stage, uint64_t done, uint64_t total)
{
    (void)user, (void)done, (void)total;
    if (strcmp(stage, "estimating tasks") == 0)
        raise(SIGKILL);
}

/* The first reason a method gave for refusing, for the message when nothing was estimated. */
static const char *first_refusal(const rk_estimate_result *res)
{
    for (size_t i = 0; i < res->nrows; i++)
        if (res->rows[i].status == RK_ESTIMATE_REFUSED)
            return res->rows[i].warning;
    return "see the notes above";
}

/* The options shared by both forms, from the command line. */
static bool parse_options(const cli_args *args, rk_estimate_options *o)
{
    rk_ctx mctx;
    rk_ctx_init(&mctx);
    int rc = rk_estimate_methods_parse(&o->methods, &mctx, cli_get(args, "method", "auto"));
    if (rc != RK_OK)
        cli_usage_error("estimate", "%s", mctx.err.message);
    rk_ctx_release(&mctx);
    if (rc != RK_OK)
        return false;
    if (!o->methods) {
        cli_usage_error("estimate", "--method names no method");
        return false;
    }
    rk_lcmcr_options *lo = &o->lcmcr;
    rk_dga_options *go = &o->dga;
    int64_t v;
    if (!cli_get_int(args, "estimate", "seed", 1, 0, INT64_MAX, &v))
        return false;
    lo->seed = (uint64_t)v;
    if (!cli_get_int(args, "estimate", "iterations", lo->samples, 1, 100000000, &v))
        return false;
    lo->samples = (long)v;
    if (!cli_get_int(args, "estimate", "burn-in", lo->burnin, 0, 1000000000, &v))
        return false;
    lo->burnin = (long)v;
    if (!cli_get_int(args, "estimate", "thin", lo->thin, 1, 1000000, &v))
        return false;
    lo->thin = (long)v;
    if (!cli_get_int(args, "estimate", "chains", lo->chains, 1, 256, &v))
        return false;
    lo->chains = (int)v;
    if (!cli_get_int(args, "estimate", "threads", 0, 0, 1024, &v))
        return false;
    lo->threads = (int)v;
    if (!cli_get_int(args, "estimate", "kstar", lo->kstar, 1, 1000, &v))
        return false;
    lo->kstar = (int)v;
    if (!cli_get_int(args, "estimate", "nmax", 0, 0, 100000000, &v))
        return false;
    go->nmissing_max = v;
    const char *ds = cli_get(args, "delta", NULL);
    if (ds && (rk_parse_double(&go->delta, ds) != RK_OK || !(go->delta > 0))) {
        cli_usage_error("estimate", "--delta takes a positive number, not '%s'", ds);
        return false;
    }
    const char *np = cli_get(args, "nprior", "inverse");
    if (!strcmp(np, "uniform")) {
        go->prior = RK_DGA_PRIOR_UNIFORM;
    } else if (strcmp(np, "inverse")) {
        cli_usage_error("estimate", "--nprior is inverse or uniform, not '%s'", np);
        return false;
    }
    const char *crit = cli_get(args, "criterion", "bic");
    if (strcmp(crit, "bic") && strcmp(crit, "aic")) {
        cli_usage_error("estimate", "--criterion is bic or aic, not '%s'", crit);
        return false;
    }
    o->criterion = strcmp(crit, "aic") ? RK_CRITERION_BIC : RK_CRITERION_AIC;
    o->model = cli_get(args, "model", NULL);
    return true;
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    const char *counts = cli_get(args, "counts", NULL);
    if (args->npositional > 1 || (args->npositional == 1 && counts))
        return cli_usage_error("estimate", "give either a project or --counts FILE, not both");
    if (!counts && args->npositional == 0)
        return cli_usage_error("estimate", "expected a project, or --counts FILE");
    bool mpi = cli_has(args, "mpi");
    if (counts && mpi)
        return cli_usage_error("estimate", "--mpi needs a project: a counts file is one table, "
                                           "estimated by one process");
    if (counts && cli_has(args, "by"))
        return cli_usage_error("estimate", "--by needs a project: a counts file has no strata");
    if (!counts && cli_has(args, "model"))
        return cli_usage_error("estimate", "--model needs --counts: a project stores each "
                                           "method's chosen model; export its table with "
                                           "'reckon export PROJECT counts'");
    rk_estimate_options o = RK_ESTIMATE_OPTIONS_INIT;
    if (!parse_options(args, &o))
        return CLI_EUSER;
    int64_t impute, linkages;
    if (counts &&
        (cli_has(args, "impute") || cli_has(args, "linkages") || cli_has(args, "combine")))
        return cli_usage_error("estimate", "--impute, --linkages and --combine need a project: "
                                           "a counts file has no persons to replicate");
    if (!cli_get_int(args, "estimate", "impute", RK_ESTIMATE_IMPUTATIONS, 0, 10000, &impute) ||
        !cli_get_int(args, "estimate", "linkages", RK_ESTIMATE_LINKAGES, 0, 10000, &linkages))
        return CLI_EUSER;
    rk_estimate_source src = {.version = RK_ESTIMATE_SOURCE_VERSION,
                              .counts = counts,
                              .by = cli_get(args, "by", NULL),
                              .lists = cli_get(args, "lists", NULL),
                              .age_groups = cli_get(args, "age-groups", NULL),
                              .impute = impute ? (int)impute : -1,
                              .linkages = linkages ? (int)linkages : -1,
                              .combine = cli_get(args, "combine", NULL)};
    rk_store *st = NULL;
    rk_estimate_result res;
    rk_estimate_result_init(&res);
    rk_buf out;
    rk_buf_init(&out);
    bool json = cli_has(args, "json");
    int rc = RK_OK, mode = RK_STORE_READWRITE, status;
    if (mpi && (status = cli_mpi_start(ctx, &mode, die_estimating)) != CLI_OK)
        return status;
    if (!counts && (rc = rk_store_open(&st, ctx, args->positional[0], mode)) != RK_OK)
        goto cleanup;
    src.project = st;
    if ((rc = rk_estimate_run(&res, ctx, &src, &o)) != RK_OK)
        goto cleanup;
    if (mpi) { /* the ranks are done; rank 0 alone stored the estimates and prints them */
        bool root = rk_link_mpi_rank() == 0;
        rk_link_mpi_end();
        if (!root)
            goto cleanup;
    }
    if (st) {
        rc = print_batch(st, res.batch, json);
    } else if (json) {
        if ((rc = rk_estimate_json(&out, res.table, res.rows, res.nrows)) != RK_OK) {
            rk_error_set(ctx, rc, "out of memory");
            goto cleanup;
        }
        fputs(rk_buf_cstr(&out), stdout);
    } else {
        print_table(res.table, res.rows, res.nrows);
    }
    if (rc == RK_OK && res.estimated == 0)
        rc = rk_error_set(ctx, RK_EINPUT, "nothing was estimated: %s", first_refusal(&res));
cleanup:
    rk_estimate_result_release(&res);
    rk_store_free(st);
    rk_buf_release(&out);
    status = cli_fail(ctx, rc);
    if (mpi && rc != RK_OK) /* the other ranks would wait for this one: the run ends */
        rk_link_mpi_abort(status);
    return status;
}

const cli_command cli_cmd_estimate = {
    .name = "estimate",
    .summary = "estimate the total number of victims, documented and not",
    .usage = "estimate PROJECT [--method M[,M...]] [--by FIELD[,FIELD...]] [--lists A,B,...] "
             "[--seed S] [--json]\n"
             "       mpirun -np N reckon estimate PROJECT --mpi [OPTIONS]\n"
             "       reckon estimate --counts FILE [--method chapman|loglinear|dga|lcmcr|all] "
             "[OPTIONS]",
    .description =
        "Multiple systems estimation from the persons of the latest link run (stored in the\n"
        "project with their settings, seed and capture table), or from a counts file; both go\n"
        "through the same dispatcher and give the same figures for the same table.\n"
        "loglinear fits Rcapture's classical models (M0, Mt, Mh, Mth), searches all "
        "hierarchical\nmodels (3 to 5 lists) and gives the best one a profile-likelihood "
        "interval; dga averages\nover decomposable graphs (3 to 5 lists); lcmcr runs the "
        "latent-class sampler with\nseveral chains and reports split R-hat; chapman needs "
        "exactly two lists (see --lists).\nA method that cannot estimate the table is "
        "refused with its reason (docs/methods.md).",
    .options = options,
    .run = run,
};
