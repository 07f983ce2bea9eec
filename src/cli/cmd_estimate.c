/* `reckon estimate`: estimates the total number of victims, seen and unseen, from a capture-
 * pattern counts file by Chapman, log-linear models, LCMCR and dga; prints a table or JSON. */
#include "cli.h"
#include "report/report_internal.h"
#include "store/store_internal.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static const cli_option options[] = {
    {"counts", 0, CLI_VALUE, "FILE",
     "capture-pattern counts (CSV: one 0/1 column per list, count)"},
    {"method", 'm', CLI_VALUE, "LIST",
     "comma-separated: chapman, loglinear, dga, lcmcr, all (default: loglinear)"},
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
     "project: estimate per stratum (region, place, sex, "
     "violation, field:NAME) and sum the strata"},
    {"json", 0, CLI_FLAG, NULL, "print JSON instead of a table"},
    {0},
};

enum { M_CHAPMAN = 1, M_LOGLINEAR = 2, M_DGA = 4, M_LCMCR = 8 };

static bool parse_methods(const char *s, unsigned *out)
{
    *out = 0;
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", s);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "chapman"))
            *out |= M_CHAPMAN;
        else if (!strcmp(tok, "loglinear"))
            *out |= M_LOGLINEAR;
        else if (!strcmp(tok, "dga"))
            *out |= M_DGA;
        else if (!strcmp(tok, "lcmcr"))
            *out |= M_LCMCR;
        else if (!strcmp(tok, "all"))
            *out |= M_LOGLINEAR | M_DGA | M_LCMCR | M_CHAPMAN;
        else {
            cli_usage_error("estimate",
                            "unknown method '%s'; use chapman, loglinear, dga, lcmcr or all", tok);
            return false;
        }
    }
    return *out != 0;
}

/* Appends `add` estimates to the result list. */
static int append(rk_ctx *ctx, rk_estimate **all, size_t *n, size_t *cap, rk_estimate *add,
                  size_t nadd)
{
    if (rk_grow((void **)all, cap, *n + nadd, sizeof(rk_estimate)) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    memcpy(*all + *n, add, nadd * sizeof(rk_estimate));
    *n += nadd;
    return RK_OK;
}

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
        if (!strcmp(e[i].method, "loglinear"))
            snprintf(extra, sizeof(extra), "%s; dev %.2f df %d AIC %.2f BIC %.2f",
                     e[i].interval_kind, e[i].deviance, e[i].df, e[i].aic, e[i].bic);
        else if (e[i].ndraws)
            snprintf(extra, sizeof(extra), "%s; mean %.1f R-hat %.3f ESS %.0f", e[i].interval_kind,
                     e[i].mean, e[i].rhat, e[i].ess);
        else
            snprintf(extra, sizeof(extra), "%s", e[i].interval_kind);
        printf("%-10s %-34.34s %10s %10s %10s %10s  %s\n", e[i].method, e[i].model, est, se, lo, up,
               extra);
    }
    for (size_t i = 0; i < n; i++)
        print_sensitivity(&e[i]);
    bool any = false;
    for (size_t i = 0; i < n; i++)
        if (e[i].warning[0]) {
            if (!any)
                printf("\nnotes:\n");
            any = true;
            printf("  %s %s: %s\n", e[i].method, e[i].model, e[i].warning);
        }
}

static int select_lists(rk_ctx *ctx, rk_capture_table **t, const char *spec)
{
    size_t idx[RK_ESTIMATE_MAX_LISTS], n = 0;
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", spec);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (n == RK_ESTIMATE_MAX_LISTS)
            return rk_error_set(ctx, RK_EINPUT, "too many lists in --lists");
        if (rk_capture_table_find_list(*t, tok, &idx[n]) != RK_OK)
            return rk_error_set(ctx, RK_EINPUT, "--lists: no list named '%s' in the counts file",
                                tok);
        n++;
    }
    rk_capture_table *s = NULL;
    int rc = rk_capture_table_select(&s, ctx, *t, idx, n);
    if (rc != RK_OK)
        return rc;
    rk_capture_table_free(*t);
    *t = s;
    return RK_OK;
}

static double column_num(sqlite3_stmt *s, int col)
{
    return sqlite3_column_type(s, col) == SQLITE_NULL ? NAN : sqlite3_column_double(s, col);
}

/* The sensitivity rows stored with a batch's estimates (result.sensitivity: dga's, one table
 * per stratum), printed under the estimates as the counts form prints them. */
static int print_batch_sensitivity(rk_ctx *ctx, rk_store *st, int64_t batch)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(rk_store__db(st),
                           "SELECT e.id, coalesce(e.method, ''), " RK_REPORT_STRATUM_LABEL_SQL
                           ", e.observed,"
                           " json_extract(x.value, '$.varies'), json_extract(x.value, '$.delta'),"
                           " json_extract(x.value, '$.nmax'), json_extract(x.value, '$.baseline'),"
                           " json_extract(x.value, '$.median'), json_extract(x.value, '$.lower'),"
                           " json_extract(x.value, '$.upper'),"
                           " json_extract(x.value, '$.top_tenth_mass') FROM estimate e,"
                           " json_each(CASE WHEN json_valid(e.result) THEN e.result END,"
                           " '$.sensitivity') x WHERE e.batch = ? AND x.type = 'object'"
                           " ORDER BY e.stratum IS NULL, e.stratum, e.id, x.id",
                           -1, &s, NULL) != SQLITE_OK)
        return cli_fail(ctx, rk_store_sqlerr(st, "cannot read the sensitivity rows"));
    sqlite3_bind_int64(s, 1, batch);
    int64_t current = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (sqlite3_column_int64(s, 0) != current) {
            current = sqlite3_column_int64(s, 0);
            print_sensitivity_head((const char *)sqlite3_column_text(s, 1),
                                   (const char *)sqlite3_column_text(s, 2));
        }
        rk_estimate_sensitivity r = {.nmissing_max = sqlite3_column_int64(s, 6),
                                     .baseline = sqlite3_column_int(s, 7) != 0,
                                     .delta = column_num(s, 5),
                                     .median = column_num(s, 8),
                                     .lower = column_num(s, 9),
                                     .upper = column_num(s, 10),
                                     .top_mass = column_num(s, 11)};
        const char *varies = (const char *)sqlite3_column_text(s, 4);
        snprintf(r.varies, sizeof(r.varies), "%s", varies ? varies : "");
        print_sensitivity_row(&r, sqlite3_column_int64(s, 3));
    }
    int status = step == SQLITE_DONE
                     ? CLI_OK
                     : cli_fail(ctx, rk_store_sqlerr(st, "cannot read the sensitivity rows"));
    sqlite3_finalize(s);
    return status;
}

/* Prints the rows of one batch of stored estimates, as a table or as JSON. */
static int print_batch(rk_ctx *ctx, rk_store *st, int64_t batch, bool json)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(rk_store__db(st),
                           "SELECT coalesce(stratum, 'null'), method, coalesce(model, ''),"
                           " observed, estimate, lower, upper, status, coalesce(reason, ''),"
                           " lists, result FROM estimate WHERE batch = ? ORDER BY stratum IS NULL,"
                           " stratum, id",
                           -1, &s, NULL) != SQLITE_OK)
        return cli_fail(ctx, rk_store_sqlerr(st, "cannot read estimates"));
    sqlite3_bind_int64(s, 1, batch);
    bool first = true;
    if (!json)
        printf("%-28s %-10s %-30s %8s %10s %10s %10s  %s\n", "stratum", "method", "model",
               "observed", "estimate", "lower", "upper", "note");
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *stratum = (const char *)sqlite3_column_text(s, 0);
        if (json) {
            if (first)
                printf("{\"lists\":%s,\"batch\":%lld,\"estimates\":[",
                       (const char *)sqlite3_column_text(s, 9), (long long)batch);
            printf("%s\n{\"stratum\":%s,\"method\":\"%s\",\"observed\":%lld,\"status\":\"%s\","
                   "\"result\":%s}",
                   first ? "" : ",", stratum, (const char *)sqlite3_column_text(s, 1),
                   (long long)sqlite3_column_int64(s, 3), (const char *)sqlite3_column_text(s, 7),
                   (const char *)sqlite3_column_text(s, 10));
        } else {
            char est[32] = "-", lo[32] = "-", hi[32] = "-";
            if (sqlite3_column_type(s, 4) != SQLITE_NULL)
                snprintf(est, sizeof(est), "%.0f", sqlite3_column_double(s, 4));
            if (sqlite3_column_type(s, 5) != SQLITE_NULL)
                snprintf(lo, sizeof(lo), "%.0f", sqlite3_column_double(s, 5));
            if (sqlite3_column_type(s, 6) != SQLITE_NULL)
                snprintf(hi, sizeof(hi), "%.0f", sqlite3_column_double(s, 6));
            const char *status = (const char *)sqlite3_column_text(s, 7);
            printf("%-28.28s %-10s %-30.30s %8lld %10s %10s %10s  %s\n",
                   strcmp(stratum, "null") == 0 ? "(all)" : stratum,
                   (const char *)sqlite3_column_text(s, 1), (const char *)sqlite3_column_text(s, 2),
                   (long long)sqlite3_column_int64(s, 3), est, lo, hi,
                   strcmp(status, "ok") == 0 ? "" : status);
            if (*(const char *)sqlite3_column_text(s, 8))
                printf("    %s\n", (const char *)sqlite3_column_text(s, 8));
        }
        first = false;
    }
    if (json)
        printf("%s]}\n", first ? "{\"estimates\":[" : "");
    sqlite3_finalize(s);
    return json ? CLI_OK : print_batch_sensitivity(ctx, st, batch);
}

static int run_project(rk_ctx *ctx, const cli_args *args, unsigned methods,
                       const rk_lcmcr_options *lo, const rk_dga_options *go, const char *crit)
{
    rk_estimate_project_options o = {.version = RK_ESTIMATE_PROJECT_OPTIONS_VERSION};
    o.methods = methods;
    o.by = cli_get(args, "by", NULL);
    o.lists = cli_get(args, "lists", NULL);
    o.criterion = strcmp(crit, "aic") ? RK_CRITERION_BIC : RK_CRITERION_AIC;
    o.lcmcr = *lo;
    o.dga = *go;
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READWRITE);
    int64_t batch = 0;
    size_t rows = 0;
    if (rc == RK_OK)
        rc = rk_estimate_project(st, &o, &batch, &rows);
    int status =
        rc == RK_OK ? print_batch(ctx, st, batch, cli_has(args, "json")) : cli_fail(ctx, rc);
    rk_store_free(st);
    return status;
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    const char *counts = cli_get(args, "counts", NULL);
    if (args->npositional > 1 || (args->npositional == 1 && counts))
        return cli_usage_error("estimate", "give either a project or --counts FILE, not both");
    if (!counts && args->npositional == 0)
        return cli_usage_error("estimate", "expected a project, or --counts FILE");
    if (counts && cli_has(args, "by"))
        return cli_usage_error("estimate", "--by needs a project: a counts file has no strata");
    unsigned methods;
    if (!parse_methods(cli_get(args, "method", "loglinear"), &methods))
        return CLI_EUSER;
    rk_lcmcr_options lo = RK_LCMCR_OPTIONS_INIT;
    rk_dga_options go = RK_DGA_OPTIONS_INIT;
    int64_t v;
    if (!cli_get_int(args, "estimate", "seed", 1, 0, INT64_MAX, &v))
        return CLI_EUSER;
    lo.seed = (uint64_t)v;
    if (!cli_get_int(args, "estimate", "iterations", lo.samples, 1, 100000000, &v))
        return CLI_EUSER;
    lo.samples = (long)v;
    if (!cli_get_int(args, "estimate", "burn-in", lo.burnin, 0, 1000000000, &v))
        return CLI_EUSER;
    lo.burnin = (long)v;
    if (!cli_get_int(args, "estimate", "thin", lo.thin, 1, 1000000, &v))
        return CLI_EUSER;
    lo.thin = (long)v;
    if (!cli_get_int(args, "estimate", "chains", lo.chains, 1, 256, &v))
        return CLI_EUSER;
    lo.chains = (int)v;
    if (!cli_get_int(args, "estimate", "threads", 0, 0, 1024, &v))
        return CLI_EUSER;
    lo.threads = (int)v;
    if (!cli_get_int(args, "estimate", "kstar", lo.kstar, 1, 1000, &v))
        return CLI_EUSER;
    lo.kstar = (int)v;
    if (!cli_get_int(args, "estimate", "nmax", 0, 0, 100000000, &v))
        return CLI_EUSER;
    go.nmissing_max = v;
    const char *ds = cli_get(args, "delta", NULL);
    if (ds && (rk_parse_double(ds, &go.delta) != RK_OK || !(go.delta > 0)))
        return cli_usage_error("estimate", "--delta takes a positive number, not '%s'", ds);
    const char *np = cli_get(args, "nprior", "inverse");
    if (!strcmp(np, "uniform"))
        go.prior = RK_DGA_PRIOR_UNIFORM;
    else if (strcmp(np, "inverse"))
        return cli_usage_error("estimate", "--nprior is inverse or uniform, not '%s'", np);
    const char *crit = cli_get(args, "criterion", "bic");
    if (strcmp(crit, "bic") && strcmp(crit, "aic"))
        return cli_usage_error("estimate", "--criterion is bic or aic, not '%s'", crit);
    if (!counts)
        return run_project(ctx, args, methods, &lo, &go, crit);

    rk_capture_table *t = NULL;
    rk_estimate *all = NULL, *part = NULL, one;
    size_t n = 0, cap = 0, npart = 0;
    rk_buf out;
    rk_buf_init(&out);
    rk_estimate_init(&one);
    int rc = rk_estimate_read_counts(&t, ctx, counts);
    if (rc == RK_OK && cli_has(args, "lists"))
        rc = select_lists(ctx, &t, cli_get(args, "lists", ""));
    if (rc != RK_OK)
        goto cleanup;
    size_t k = rk_capture_table_nlists(t);
    if (k < 2) {
        rc = rk_error_set(ctx, RK_EINPUT, "estimation needs at least 2 lists, not %zu", k);
        goto cleanup;
    }
    bool explicit_chapman = strstr(cli_get(args, "method", ""), "chapman") != NULL;
    if ((methods & M_CHAPMAN) && (k == 2 || explicit_chapman)) {
        if ((rc = rk_estimate_chapman(&one, ctx, t)) != RK_OK ||
            (rc = append(ctx, &all, &n, &cap, &one, 1)) != RK_OK)
            goto cleanup;
        rk_estimate_init(&one);
    }
    if (methods & M_LOGLINEAR) {
        if (k >= 3 && k <= 16) {
            if ((rc = rk_estimate_closedp(&part, &npart, ctx, t)) != RK_OK ||
                (rc = append(ctx, &all, &n, &cap, part, npart)) != RK_OK)
                goto cleanup;
            rk_free(part);
            part = NULL;
            npart = 0;
        }
        if (k >= 3 && k <= 5) {
            rk_criterion c = strcmp(crit, "aic") ? RK_CRITERION_BIC : RK_CRITERION_AIC;
            if ((rc = rk_estimate_model_search(&part, &npart, ctx, t, c)) != RK_OK)
                goto cleanup;
            /* the best model again, with its profile-likelihood interval */
            rk_loglinear_model m;
            if (npart > 0 && (rc = rk_loglinear_model_parse(&m, ctx, part[0].model, k)) == RK_OK &&
                (rc = rk_estimate_loglinear(&one, ctx, t, &m, true)) == RK_OK) {
                snprintf(one.model, sizeof(one.model), "%.100s (best %s)", part[0].model, crit);
                rc = append(ctx, &all, &n, &cap, &one, 1);
                rk_estimate_init(&one);
            }
            rk_estimate_array_free(part, npart);
            part = NULL;
            npart = 0;
            if (rc != RK_OK)
                goto cleanup;
        }
        const char *ms = cli_get(args, "model", NULL);
        if (ms) {
            rk_loglinear_model m;
            if ((rc = rk_loglinear_model_parse(&m, ctx, ms, k)) != RK_OK ||
                (rc = rk_estimate_loglinear(&one, ctx, t, &m, true)) != RK_OK ||
                (rc = append(ctx, &all, &n, &cap, &one, 1)) != RK_OK)
                goto cleanup;
            rk_estimate_init(&one);
        }
    }
    bool explicit_dga = strstr(cli_get(args, "method", ""), "dga") != NULL;
    if ((methods & M_DGA) && (k <= 5 || explicit_dga)) { /* 'all' skips dga past 5 lists */
        if ((rc = rk_estimate_dga(&one, ctx, t, &go)) != RK_OK ||
            (rc = append(ctx, &all, &n, &cap, &one, 1)) != RK_OK)
            goto cleanup;
        rk_estimate_init(&one);
    }
    if (methods & M_LCMCR) {
        if ((rc = rk_estimate_lcmcr(&one, ctx, t, &lo)) != RK_OK ||
            (rc = append(ctx, &all, &n, &cap, &one, 1)) != RK_OK)
            goto cleanup;
        rk_estimate_init(&one);
    }
    if (cli_has(args, "json")) {
        if ((rc = rk_estimate_json(&out, t, all, n)) != RK_OK) {
            rk_error_set(ctx, rc, "out of memory");
            goto cleanup;
        }
        fputs(rk_buf_cstr(&out), stdout);
    } else {
        print_table(t, all, n);
    }
cleanup:
    rk_estimate_release(&one);
    rk_estimate_array_free(part, npart);
    rk_estimate_array_free(all, n);
    rk_capture_table_free(t);
    rk_buf_release(&out);
    return cli_fail(ctx, rc);
}

const cli_command cli_cmd_estimate = {
    .name = "estimate",
    .summary = "estimate the total number of victims, documented and not",
    .usage = "estimate PROJECT [--method M[,M...]] [--by FIELD[,FIELD...]] [--lists A,B,...] "
             "[--seed S] [--json]\n"
             "       reckon estimate --counts FILE [--method chapman|loglinear|dga|lcmcr|all] "
             "[OPTIONS]",
    .description =
        "Multiple systems estimation from the persons of the latest link run (stored in the\n"
        "project with their settings, seed and capture table), or from a counts file.\n"
        "loglinear fits Rcapture's classical models (M0, Mt, Mh, Mth), searches all "
        "hierarchical\nmodels (3 to 5 lists) and gives the best one a profile-likelihood "
        "interval; dga averages\nover decomposable graphs (up to 5 lists); lcmcr runs the "
        "latent-class sampler with\nseveral chains and reports split R-hat. chapman needs "
        "exactly two lists (see --lists).",
    .options = options,
    .run = run,
};
