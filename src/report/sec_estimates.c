/* The report's estimates section: every estimate in a table, the missing stratum values of
 * each stratified batch (result.missing, through rk_estimate__batch_missing), a forest plot per
 * method (one row per stratum, with the documented count beside it), and what the methods'
 * result JSON holds: log-linear models ranked by BIC (result.models[]: name, bic, aic,
 * estimate, lower, upper), dga graph weights (result.graphs[]: graph, weight, estimate) and its
 * sensitivity to delta (result.delta_sensitivity[]: delta, estimate, lower, upper) and to the
 * upper bound on the unseen (result.sensitivity[] rows with varies = "nmax": nmax, median,
 * lower, upper), and the LCMCR posterior (result.draws[]: draws of the total, in order).
 * Absent keys skip their chart, with a note. */
#include "report_private.h"

#define MAX_ROWS   300 /* estimates in the table */
#define MAX_FOREST 40  /* strata per forest plot */
#define MAX_SHOWN  3   /* estimates whose models / graphs / posterior are charted */

static double col_num(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

/* The model of estimate `id` (or `model`, one of its ranked models) in words, on a line of its
 * own under the notation (rk_estimate__stored_words). */
static void model_words(report_report *r, int64_t id, const char *model, rk_buf *words)
{
    rk_buf_clear(words);
    if (r->rc != RK_OK)
        return;
    if ((r->rc = rk_estimate__stored_words(words, r->st, id, model)) == RK_OK && words->len)
        report_html(r, "<br><span class=\"muted\">%s</span>", rk_buf_cstr(words));
}

/* What each method assumes, in the words of the method table, once for every table below. */
static void methods(report_report *r)
{
    sqlite3_stmt *s = NULL;
    if (!report_prepare(&s, r, "SELECT DISTINCT method FROM estimate ORDER BY 1",
                        "cannot read estimates"))
        return;
    report_html(r, "<dl class=\"methods\">");
    while (sqlite3_step(s) == SQLITE_ROW) {
        const rk_estimate__words *w = rk_estimate__method_words(rk_store__text(s, 0));
        if (w)
            report_html(r, "<dt>%s</dt><dd>%s: it %s.</dd>", w->method, w->title, w->assumes);
    }
    report_html(r, "</dl>\n");
    sqlite3_finalize(s);
}

static void table(report_report *r)
{
    report_json *j = &r->json;
    sqlite3_stmt *s = NULL;
    rk_buf words;
    rk_buf_init(&words);
    if (!report_prepare(&s, r,
                        "SELECT id, method, model, stratum, observed, estimate, lower, upper,"
                        " status, reason, run_id, seed, " RK_ESTIMATE_STRATUM_LABEL_SQL
                        ", " RP_STRATUM_JSON_SQL " FROM estimate ORDER BY method, stratum, id",
                        "cannot read estimates"))
        return;
    report_html(r,
                "<table><tr><th>#</th><th>method</th><th>model</th><th>stratum</th><th "
                "class=\"n\">documented</th><th class=\"n\">estimate</th><th class=\"n\">interval"
                "</th><th>status</th></tr>\n");
    report_json_key(j, "estimates");
    report_json_arr(j);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n++ < MAX_ROWS) {
            char o[64], e[64], lo[64], hi[64];
            report_fmt_num(o, sizeof(o), col_num(s, 4));
            report_fmt_num(e, sizeof(e), col_num(s, 5));
            report_fmt_num(lo, sizeof(lo), col_num(s, 6));
            report_fmt_num(hi, sizeof(hi), col_num(s, 7));
            report_html(r, "<tr><td class=\"n\">%lld</td><td class=\"k\">",
                        (long long)sqlite3_column_int64(s, 0));
            report_value(r, rk_store__text(s, 1));
            report_html(r, "</td><td>");
            report_value(r, rk_store__text(s, 2));
            model_words(r, sqlite3_column_int64(s, 0), NULL, &words);
            report_html(r, "</td><td>");
            report_value(r, rk_store__text(s, 12) ? rk_store__text(s, 12) : "all");
            report_html(
                r,
                "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s&ndash;"
                "%s</td><td>",
                o, e, lo, hi);
            report_value(r, rk_store__text(s, 8));
            if (rk_store__text(s, 9)) {
                report_html(r, ": ");
                report_value(r, rk_store__text(s, 9));
            }
            report_html(r, "</td></tr>\n");
        }
        report_json_obj(j);
        report_json_key(j, "id");
        report_json_int(j, sqlite3_column_int64(s, 0));
        report_json_key(j, "method");
        report_json_str(j, rk_store__text(s, 1));
        report_json_key(j, "model");
        report_json_str(j, rk_store__text(s, 2));
        report_json_stratum(j, rk_store__text(s, 3), rk_store__text(s, 13), rk_store__text(s, 12));
        report_json_key(j, "observed");
        if (sqlite3_column_type(s, 4) == SQLITE_NULL) /* suppressed in a release */
            report_json_null(j);
        else
            report_json_int(j, sqlite3_column_int64(s, 4));
        report_json_key(j, "estimate");
        report_json_num(j, col_num(s, 5));
        report_json_key(j, "lower");
        report_json_num(j, col_num(s, 6));
        report_json_key(j, "upper");
        report_json_num(j, col_num(s, 7));
        report_json_key(j, "status");
        report_json_str(j, rk_store__text(s, 8));
        report_json_key(j, "reason");
        report_json_str(j, rk_store__text(s, 9));
        report_json_obj_end(j);
    }
    sqlite3_finalize(s);
    rk_buf_release(&words);
    report_json_arr_end(j);
    report_html(r, "</table>\n");
    if (n > MAX_ROWS)
        report_html(r,
                    "<p class=\"muted\">The first %d of %d estimates; the JSON report and "
                    "<code>reckon export PROJECT estimates</code> have all.</p>\n",
                    MAX_ROWS, n);
}

/* One stratified batch's missing values (rk_estimate__batch_missing) in the JSON and, with
 * `html`, as a table: per list, the share of its persons that its records give no value of
 * each --by field, and the note when a list misses a field for (nearly) all. */
static void missing_batch(report_report *r, int64_t batch, bool html)
{
    rk_estimate__missing *m = NULL;
    int rc = rk_estimate__batch_missing(&m, r->st, batch);
    if (rc != RK_OK || !m) {
        r->rc = r->rc ? r->rc : rc;
        return;
    }
    report_json_obj(&r->json);
    report_json_key(&r->json, "batch");
    report_json_int(&r->json, batch);
    report_json_key(&r->json, "missing");
    report_json_raw(&r->json, m->json);
    report_json_obj_end(&r->json);
    if (!html) {
        rk_estimate__missing_free(m);
        return;
    }
    report_html(r, "<h4>Batch %lld, by ", (long long)batch);
    for (size_t b = 0; b < m->nby; b++) {
        report_html(r, "%s", b ? ", " : "");
        report_value(r, m->by[b]);
    }
    report_html(r, "</h4>\n<table><tr><th>list</th><th class=\"n\">persons</th>");
    for (size_t b = 0; b < m->nby; b++) {
        report_html(r, "<th class=\"n\">missing ");
        report_value(r, m->by[b]);
        report_html(r, "</th>");
    }
    report_html(r, "</tr>\n");
    for (size_t l = 0; l < m->nlists; l++) {
        const rk_estimate__missing_list *ml = &m->lists[l];
        char persons[64];
        report_fmt_num(persons, sizeof(persons), (double)ml->persons);
        report_html(r, "<tr><td>");
        report_value(r, ml->list);
        report_html(r, "</td><td class=\"n\">%s</td>", persons);
        for (size_t b = 0; b < m->nby; b++)
            report_html(r, "<td class=\"n\">%d%%</td>",
                        rk_estimate__percent(ml->without[b], ml->persons));
        report_html(r, "</tr>\n");
    }
    report_html(r, "</table>\n");
    rk_buf line;
    rk_buf_init(&line);
    for (size_t b = 0; b < m->nby; b++) {
        rk_buf_clear(&line);
        if (rk_estimate__missing_sentence(&line, m, b) == RK_OK)
            report_html(r, "<p>%s.</p>\n", rk_buf_cstr(&line));
    }
    rk_buf_release(&line);
    if (m->note[0]) /* reckon's own sentence, whole: escaped, not cut */
        report_html(r, "<p class=\"note\">%s</p>\n", m->note);
    rk_estimate__missing_free(m);
}

/* The missing values of the stratified batches, the latest first (MAX_SHOWN in the HTML, all
 * in the JSON's missing_values). */
static void missing(report_report *r)
{
    sqlite3_stmt *s = NULL;
    report_json_key(&r->json, "missing_values");
    report_json_arr(&r->json);
    int n = 0;
    if (report_prepare(&s, r,
                       "SELECT id FROM estimate WHERE id = batch AND json_valid(result) AND"
                       " json_type(result, '$.missing') = 'object' ORDER BY id DESC",
                       "cannot read estimates")) {
        for (; r->rc == RK_OK && sqlite3_step(s) == SQLITE_ROW; n++) {
            if (n == 0)
                report_html(
                    r, "<h3>Missing stratum values</h3>\n<p>A person's value of a stratum field "
                       "is the one most of its records give; a person whose records give none "
                       "falls in a stratum of its own. Per list: the persons it names, and the "
                       "share of them that its records give no value. A list that does not "
                       "record a field misses it for all its persons. A batch is one run of "
                       "<code>reckon estimate</code>, numbered by its first estimate.</p>\n");
            missing_batch(r, sqlite3_column_int64(s, 0), n < MAX_SHOWN);
        }
    }
    sqlite3_finalize(s);
    report_json_arr_end(&r->json);
    if (n > MAX_SHOWN)
        report_html(r,
                    "<p class=\"muted\">The latest %d of %d stratified batches; the JSON report "
                    "has all.</p>\n",
                    MAX_SHOWN, n);
}

/* Rows of (label, estimate, lower, upper, mark) from a query, drawn as points with intervals. */
static void interval_chart(report_report *r, const report_chart *c, sqlite3_stmt *s,
                           const char *mark_label)
{
    char *labels[MAX_FOREST] = {0};
    double est[MAX_FOREST], lo[MAX_FOREST], hi[MAX_FOREST], mark[MAX_FOREST];
    size_t n = 0;
    while (n < MAX_FOREST && sqlite3_step(s) == SQLITE_ROW) {
        const char *l = rk_store__text(s, 0);
        if (!(labels[n] = rk_strdup(l ? l : "all"))) {
            r->rc = RK_ENOMEM;
            break;
        }
        est[n] = col_num(s, 1), lo[n] = col_num(s, 2), hi[n] = col_num(s, 3);
        mark[n] = col_num(s, 4);
        n++;
    }
    report_marks m = {.mark = mark_label ? mark : NULL, .mark_label = mark_label};
    if (n && r->rc == RK_OK)
        report_chart_rc(
            r, report_chart_intervals(r->html, c, (const char *const *)labels, est, lo, hi, n, &m));
    for (size_t i = 0; i < n; i++)
        rk_free(labels[i]);
}

static void forests(report_report *r)
{
    sqlite3_stmt *m = NULL, *s = NULL;
    if (!report_prepare(&m, r,
                        "SELECT DISTINCT method FROM estimate WHERE status = 'ok' AND lower IS"
                        " NOT NULL ORDER BY 1",
                        "cannot read estimates") ||
        !report_prepare(&s, r,
                        "SELECT coalesce(" RK_ESTIMATE_STRATUM_LABEL_SQL
                        ", 'all') || coalesce(' (' ||"
                        " model || ')', ''), estimate, lower, upper, observed FROM estimate"
                        " WHERE method = ?1 AND"
                        " status = 'ok' AND lower IS NOT NULL ORDER BY stratum IS NOT NULL,"
                        " stratum, id",
                        "cannot read estimates"))
        goto cleanup;
    while (r->rc == RK_OK && sqlite3_step(m) == SQLITE_ROW) {
        const char *method = rk_store__text(m, 0);
        char title[256];
        snprintf(title, sizeof(title), "Estimates by stratum: %.200s", method ? method : "");
        report_chart c = {.title = title,
                          .xlabel = "persons",
                          .alt = "For each stratum, the estimated number of victims (dot) with its "
                                 "interval (line) and the number the lists document (square). The "
                                 "estimate table above gives the same figures."};
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, method, -1, SQLITE_TRANSIENT);
        interval_chart(r, &c, s, "documented");
    }
cleanup:
    sqlite3_finalize(m);
    sqlite3_finalize(s);
}

/* The estimates whose result holds `key`, at most MAX_SHOWN; calls fn for each. */
static int each_with(report_report *r, const char *key,
                     void (*fn)(report_report *, int64_t, const char *))
{
    sqlite3_stmt *s = NULL;
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "SELECT id, method || coalesce(', ' || " RK_ESTIMATE_STRATUM_LABEL_SQL
             ", '') FROM estimate WHERE"
             " json_valid(result) AND json_type(result, '$.%s') = 'array' ORDER BY id DESC",
             key);
    if (!report_prepare(&s, r, sql, "cannot read estimates"))
        return 0;
    int n = 0;
    while (r->rc == RK_OK && n < MAX_SHOWN && sqlite3_step(s) == SQLITE_ROW) {
        n++;
        fn(r, sqlite3_column_int64(s, 0), rk_store__text(s, 1));
    }
    sqlite3_finalize(s);
    return n;
}

static void loglinear(report_report *r, int64_t id, const char *what)
{
    sqlite3_stmt *s = NULL;
    if (!report_prepare(&s, r,
                        "SELECT coalesce(json_extract(m.value, '$.name'), 'model ' || m.key),"
                        " json_extract(m.value, '$.estimate'), json_extract(m.value, '$.lower'),"
                        " json_extract(m.value, '$.upper'), json_extract(m.value, '$.bic'),"
                        " json_extract(m.value, '$.aic') FROM estimate e, json_each(e.result,"
                        " '$.models') m WHERE e.id = ?1 ORDER BY json_extract(m.value, '$.bic')"
                        " IS NULL, json_extract(m.value, '$.bic')",
                        "cannot read models"))
        return;
    sqlite3_bind_int64(s, 1, id);
    char title[300];
    snprintf(title, sizeof(title), "Log-linear models ranked by BIC (estimate %lld, %.200s)",
             (long long)id, what ? what : "");
    report_chart c = {.title = title,
                      .xlabel = "estimated total",
                      .alt =
                          "Each row is one log-linear model, best BIC first, with its estimate of "
                          "the total and interval. Models of similar BIC with different estimates "
                          "mean the choice of model matters."};
    interval_chart(r, &c, s, NULL);
    sqlite3_reset(s);
    report_html(r, "<table><tr><th>model</th><th class=\"n\">BIC</th><th class=\"n\">AIC</th><th "
                   "class=\"n\">estimate</th></tr>\n");
    rk_buf words;
    rk_buf_init(&words);
    for (int i = 0; i < 12 && sqlite3_step(s) == SQLITE_ROW; i++) {
        char e[64];
        report_fmt_num(e, sizeof(e), col_num(s, 1));
        report_html(r, "<tr><td>");
        report_value(r, rk_store__text(s, 0));
        model_words(r, id, rk_store__text(s, 0), &words);
        report_html(r,
                    "</td><td class=\"n\">%.2f</td><td class=\"n\">%.2f</td><td class=\"n\">%s</td>"
                    "</tr>\n",
                    col_num(s, 4), col_num(s, 5), e);
    }
    report_html(r, "</table>\n");
    rk_buf_release(&words);
    sqlite3_finalize(s);
}

static void dga(report_report *r, int64_t id, const char *what)
{
    sqlite3_stmt *s = NULL;
    char *labels[MAX_FOREST] = {0};
    double w[MAX_FOREST];
    size_t n = 0;
    if (!report_prepare(&s, r,
                        "SELECT coalesce(json_extract(g.value, '$.graph'), 'graph ' || g.key),"
                        " json_extract(g.value, '$.weight') FROM estimate e, json_each(e.result,"
                        " '$.graphs') g WHERE e.id = ?1 ORDER BY 2 DESC",
                        "cannot read graphs"))
        return;
    sqlite3_bind_int64(s, 1, id);
    while (n < 15 && sqlite3_step(s) == SQLITE_ROW) {
        if (!(labels[n] = rk_strdup(rk_store__text(s, 0) ? rk_store__text(s, 0) : ""))) {
            r->rc = RK_ENOMEM;
            break;
        }
        w[n++] = col_num(s, 1);
    }
    sqlite3_finalize(s);
    char title[300];
    snprintf(title, sizeof(title), "Graph weights (estimate %lld, %.200s)", (long long)id,
             what ? what : "");
    report_chart c = {.title = title,
                      .xlabel = "posterior weight",
                      .alt = "The posterior weight of each decomposable graph (list dependence "
                             "structure) that dga averaged over, largest first (at most 15)."};
    if (n && r->rc == RK_OK)
        report_chart_rc(r, report_chart_bars(r->html, &c, (const char *const *)labels, w, n));
    for (size_t i = 0; i < n; i++)
        rk_free(labels[i]);
}

/* One dga sensitivity chart of estimate `id`: `sql` gives label, estimate, lower, upper and a
 * NULL mark per row, with the estimate's id as ?1. */
static void sensitivity_chart(report_report *r, int64_t id, const char *what, const char *sql,
                              const char *name, const char *alt)
{
    sqlite3_stmt *s = NULL;
    if (!report_prepare(&s, r, sql, "cannot read the sensitivity"))
        return;
    sqlite3_bind_int64(s, 1, id);
    char title[300];
    snprintf(title, sizeof(title), "Sensitivity to %s (estimate %lld, %.200s)", name, (long long)id,
             what ? what : "");
    report_chart c = {.title = title, .xlabel = "estimated total", .alt = alt};
    interval_chart(r, &c, s, NULL);
    sqlite3_finalize(s);
}

static void delta(report_report *r, int64_t id, const char *what)
{
    sensitivity_chart(r, id, what,
                      "SELECT 'delta ' || json_extract(d.value, '$.delta'),"
                      " json_extract(d.value, '$.estimate'), json_extract(d.value, '$.lower'),"
                      " json_extract(d.value, '$.upper'), NULL FROM estimate e,"
                      " json_each(e.result, '$.delta_sensitivity') d WHERE e.id = ?1 ORDER BY"
                      " json_extract(d.value, '$.delta')",
                      "the prior's delta",
                      "The dga estimate and interval for each value of the hyper-prior delta. "
                      "Rows that agree mean the estimate does not hinge on that choice.");
}

static void bound(report_report *r, int64_t id, const char *what)
{
    sensitivity_chart(r, id, what,
                      "SELECT 'unseen <= ' || json_extract(d.value, '$.nmax'),"
                      " json_extract(d.value, '$.median'), json_extract(d.value, '$.lower'),"
                      " json_extract(d.value, '$.upper'), NULL FROM estimate e,"
                      " json_each(e.result, '$.sensitivity') d WHERE e.id = ?1 AND"
                      " json_extract(d.value, '$.varies') = 'nmax' ORDER BY"
                      " json_extract(d.value, '$.nmax')",
                      "the upper bound on the unseen",
                      "The dga median and interval for each upper bound on the number of "
                      "persons no list names (2 to 40 times the documented count). An interval "
                      "that grows with the bound means the data do not bound the total: the "
                      "prior's cut-off decides it.");
}

static void posterior(report_report *r, int64_t id, const char *what)
{
    sqlite3_stmt *s = NULL;
    double *d = NULL;
    size_t n = 0, cap = 0;
    if (!report_prepare(&s, r,
                        "SELECT d.value FROM estimate e, json_each(e.result, '$.draws') d WHERE"
                        " e.id = ?1 AND d.type IN ('integer', 'real') ORDER BY d.key",
                        "cannot read draws"))
        return;
    sqlite3_bind_int64(s, 1, id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (rk_grow((void **)&d, &cap, n + 1, sizeof(double)) != RK_OK) {
            r->rc = RK_ENOMEM;
            break;
        }
        d[n++] = sqlite3_column_double(s, 0);
    }
    sqlite3_finalize(s);
    if (n && r->rc == RK_OK) {
        double lo = d[0], hi = d[0];
        for (size_t i = 1; i < n; i++)
            lo = RK_MIN(lo, d[i]), hi = RK_MAX(hi, d[i]);
        if (!(hi > lo))
            hi = lo + 1;
        enum { NB = 30 };
        double edges[NB + 1], counts[NB] = {0};
        for (int i = 0; i <= NB; i++)
            edges[i] = lo + (hi - lo) * i / NB;
        for (size_t i = 0; i < n; i++)
            counts[RK_MIN((int)((d[i] - lo) / (hi - lo) * NB), NB - 1)]++;
        char title[300];
        snprintf(title, sizeof(title), "Posterior of the total (estimate %lld, %.200s)",
                 (long long)id, what ? what : "");
        report_chart c = {.title = title,
                          .xlabel = "total victims",
                          .ylabel = "draws",
                          .alt =
                              "A histogram of the posterior draws of the total number of victims "
                              "from the latent-class model (LCMCR)."};
        report_chart_rc(r, report_chart_histogram(r->html, &c, edges, counts, NB, NAN, NULL));
        snprintf(title, sizeof(title), "Trace of the sampler (estimate %lld)", (long long)id);
        report_chart t = {.title = title,
                          .xlabel = "draw",
                          .ylabel = "total victims",
                          .alt =
                              "The draws of the total in the order the sampler made them. A trace "
                              "without trend or long excursions suggests the chain mixed."};
        report_chart_rc(r, report_chart_line(r->html, &t, d, n));
    }
    rk_free(d);
}

static void skipped(report_report *r, int n, const char *what, const char *key)
{
    if (!n)
        report_html(r,
                    "<p class=\"note\">No estimate's result holds <code>%s</code>: the %s chart is "
                    "skipped.</p>\n",
                    key, what);
}

void report_section_estimates(report_report *r)
{
    report_html(r, "<section id=\"estimates\"><h2>Estimates</h2>\n");
    if (!report_has_rows(r, "estimate")) {
        report_json_key(&r->json, "estimates");
        report_json_arr(&r->json);
        report_json_arr_end(&r->json);
        report_json_key(&r->json, "missing_values");
        report_json_arr(&r->json);
        report_json_arr_end(&r->json);
        report_headline_strata(r);
        report_html(r, "<p class=\"note\">No estimates yet: run <code>reckon estimate</code>. The "
                       "claims are compared with the documented counts alone.</p></section>\n");
        return;
    }
    report_html(r,
                "<p>Each estimate of the total number of victims, including those no list names, "
                "with its interval, per method and stratum. The documented count is a floor: "
                "every person in it is on at least one list.</p>\n");
    report_headline_strata(r);
    report_html(r, "<h3>Every estimate</h3>\n");
    methods(r);
    table(r);
    missing(r);
    forests(r);
    report_html(r, "<h3>Log-linear models</h3>\n");
    skipped(r, each_with(r, "models", loglinear), "log-linear models", "models");
    report_html(r, "<h3>Graphical-model averaging (dga)</h3>\n");
    skipped(r, each_with(r, "graphs", dga), "graph weights", "graphs");
    skipped(r, each_with(r, "delta_sensitivity", delta), "delta sensitivity", "delta_sensitivity");
    skipped(r, each_with(r, "sensitivity", bound), "bound sensitivity", "sensitivity");
    report_html(r, "<h3>Latent-class model (LCMCR)</h3>\n");
    skipped(r, each_with(r, "draws", posterior), "posterior", "draws");
    report_html(r, "</section>\n");
}
