/* The report's linkage section, for the latest link run: the distribution of match weights with
 * the threshold, the m and u probabilities of every comparison level (from link_run.model:
 * {"prior", "fields": [{"name", "levels": [{"label", "m", "u", "weight"}]}]}), cluster sizes,
 * pairs by status (those awaiting review) and the reviewers' decisions. What the model JSON
 * lacks is skipped, and the report says so. */
#include "report_private.h"

#define BINS 30

static void weights(report_report *r, int64_t run, double threshold)
{
    report_json *j = &r->json;
    sqlite3_stmt *s = NULL;
    double lo = 0, hi = 0;
    int64_t n = 0;
    if (!report_prepare(&s, r,
                        "SELECT min(weight), max(weight), count(*) FROM pair WHERE"
                        " run_id = ?1",
                        "cannot read pairs"))
        return;
    sqlite3_bind_int64(s, 1, run);
    if (sqlite3_step(s) == SQLITE_ROW) {
        lo = sqlite3_column_double(s, 0), hi = sqlite3_column_double(s, 1);
        n = sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    s = NULL;
    report_json_key(j, "weight_histogram");
    if (n == 0) {
        report_json_null(j);
        report_html(r, "<p>The run scored no pairs.</p>\n");
        return;
    }
    if (!(hi > lo))
        hi = lo + 1;
    double width = (hi - lo) / BINS, edges[BINS + 1], counts[BINS] = {0};
    for (int i = 0; i <= BINS; i++)
        edges[i] = lo + width * i;
    if (!report_prepare(&s, r,
                        "SELECT min(?4, CAST((weight - ?2) / ?3 AS INTEGER)), count(*) FROM pair"
                        " WHERE run_id = ?1 GROUP BY 1",
                        "cannot read pairs"))
        return;
    sqlite3_bind_int64(s, 1, run);
    sqlite3_bind_double(s, 2, lo);
    sqlite3_bind_double(s, 3, width);
    sqlite3_bind_int(s, 4, BINS - 1);
    while (sqlite3_step(s) == SQLITE_ROW) {
        int b = sqlite3_column_int(s, 0);
        if (b >= 0 && b < BINS)
            counts[b] = sqlite3_column_double(s, 1);
    }
    sqlite3_finalize(s);
    /* The threshold is a match probability; its weight is the log2 odds. */
    double tw = threshold > 0 && threshold < 1 ? log2(threshold / (1 - threshold)) : NAN;
    char label[128], num[64];
    report_fmt_num(num, sizeof(num), tw);
    snprintf(label, sizeof(label), "threshold (weight %s)", num);
    report_chart c = {
        .title = "Match weights of the scored pairs",
        .xlabel = "match weight (log2 odds that the two records name one person)",
        .ylabel = "pairs",
        .alt = "A histogram of the match weights of the candidate pairs. Pairs right "
               "of the dashed line (the threshold) were joined into one person; the "
               "fewer pairs near the line, the less the linkage depends on where it is."};
    report_chart_rc(r, report_chart_histogram(r->html, &c, edges, counts, BINS, tw, label));
    report_json_obj(j);
    report_json_key(j, "edges");
    report_json_arr(j);
    for (int i = 0; i <= BINS; i++)
        report_json_num(j, edges[i]);
    report_json_arr_end(j);
    report_json_key(j, "pairs");
    report_json_arr(j);
    for (int i = 0; i < BINS; i++)
        report_json_num(j, counts[i]);
    report_json_arr_end(j);
    report_json_key(j, "threshold_weight");
    report_json_num(j, tw);
    report_json_obj_end(j);
}

/* The comparison levels of the run's model, as rk_link_run_info_read reads them. */
static void levels(report_report *r, int64_t run)
{
    report_json *j = &r->json;
    report_json_key(j, "levels");
    report_json_arr(j);
    rk_link_run_info info;
    int rc = rk_link_run_info_read(&info, r->st, run);
    if (rc != RK_OK) {
        if (r->rc == RK_OK)
            r->rc = rc;
        return;
    }
    for (size_t i = 0; i < info.nlevels; i++) {
        const rk_link_run_level *lv = &info.levels[i];
        if (!i)
            report_html(r, "<h3>Comparison levels</h3><table><tr><th>field</th><th>level</th><th "
                           "class=\"n\">m</th><th class=\"n\">u</th><th class=\"n\">weight "
                           "(log2 m/u)</th></tr>\n");
        report_html(r, "<tr><td>");
        report_value(r, lv->field);
        report_html(r, "</td><td>");
        report_value(r, lv->label);
        report_html(r,
                    "</td><td class=\"n\">%.4g</td><td class=\"n\">%.4g</td><td class=\"n\">%.2f"
                    "</td></tr>\n",
                    lv->m, lv->u, lv->weight);
        report_json_obj(j);
        report_json_key(j, "field");
        report_json_str(j, lv->field);
        report_json_key(j, "level");
        report_json_str(j, lv->label);
        report_json_key(j, "m");
        report_json_num(j, lv->m);
        report_json_key(j, "u");
        report_json_num(j, lv->u);
        report_json_key(j, "weight");
        report_json_num(j, lv->weight);
        report_json_obj_end(j);
    }
    report_json_arr_end(j);
    if (info.nlevels)
        report_html(r, "</table><p class=\"muted\">m: how often the level occurs among pairs of "
                       "records of one person; u: among pairs of different persons.</p>\n");
    else
        report_html(r, "<p class=\"note\">The run's model holds no comparison levels "
                       "(<code>fields[].levels[]</code> with <code>m</code> and <code>u</code>); "
                       "the table of m and u is skipped.</p>\n");
    rk_link_run_info_release(&info);
}

static void clusters(report_report *r, int64_t run)
{
    report_json *j = &r->json;
    sqlite3_stmt *s = NULL;
    if (!report_prepare(&s, r,
                        "SELECT n, count(*) FROM (SELECT count(*) n FROM person WHERE run_id ="
                        " ?1 GROUP BY person_id) GROUP BY n ORDER BY n",
                        "cannot read persons"))
        return;
    sqlite3_bind_int64(s, 1, run);
    static const char *const labels[] = {"1 record", "2", "3", "4", "5",
                                         "6",        "7", "8", "9", "10 or more"};
    double counts[10] = {0};
    report_json_key(j, "cluster_sizes");
    report_json_arr(j);
    while (sqlite3_step(s) == SQLITE_ROW) {
        int64_t size = sqlite3_column_int64(s, 0), n = sqlite3_column_int64(s, 1);
        counts[size < 1 ? 0 : RK_MIN(size, 10) - 1] += (double)n;
        report_json_obj(j);
        report_json_key(j, "records");
        report_json_int(j, size);
        report_json_key(j, "persons");
        report_json_int(j, n);
        report_json_obj_end(j);
    }
    sqlite3_finalize(s);
    report_json_arr_end(j);
    report_chart c = {.title = "Persons by number of records",
                      .xlabel = "persons",
                      .alt =
                          "How many persons linkage formed from one record, two records, and so "
                          "on. Large clusters are worth a look: they may join different people."};
    report_chart_rc(r, report_chart_bars(r->html, &c, labels, counts, 10));
}

/* A two-column count table (status or verdict -> n), in HTML and JSON. */
static void counts_table(report_report *r, const char *key, const char *head, const char *sql,
                         int64_t run)
{
    report_json *j = &r->json;
    sqlite3_stmt *s = NULL;
    if (!report_prepare(&s, r, sql, "cannot read the linkage"))
        return;
    if (sqlite3_bind_parameter_count(s) > 0)
        sqlite3_bind_int64(s, 1, run);
    report_html(r, "<table><tr><th>%s</th><th class=\"n\">count</th></tr>\n", head);
    report_json_key(j, key);
    report_json_obj(j);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        char a[64];
        report_fmt_num(a, sizeof(a), sqlite3_column_double(s, 1));
        report_html(r, "<tr><td>");
        report_value(r, rk_store__text(s, 0));
        report_html(r, "</td><td class=\"n\">%s</td></tr>\n", a);
        report_json_key(j, rk_store__text(s, 0) ? rk_store__text(s, 0) : "");
        report_json_int(j, sqlite3_column_int64(s, 1));
        n++;
    }
    sqlite3_finalize(s);
    report_json_obj_end(j);
    if (!n)
        report_html(r, "<tr><td colspan=\"2\"><i>none</i></td></tr>\n");
    report_html(r, "</table>\n");
}

/* The pairs awaiting review with the highest weights, names side by side (names come from
 * untrusted files: each goes through rk_report_html_escape_value). */
static void review_sample(report_report *r, int64_t run)
{
    report_json *j = &r->json;
    sqlite3_stmt *s = NULL;
#define NAME(t) RK_STORE_RECORD_NAME_SQL(t)
    if (!report_prepare(
            &s, r,
            "SELECT p.weight, p.probability, a.record_key, " NAME(
                "a") ","
                     " b.record_key, " NAME(
                         "b") " FROM pair p JOIN record a ON a.id ="
                              " p.record_a JOIN record b ON b.id = p.record_b WHERE p.run_id = ?1"
                              " AND p.status = 'review' ORDER BY p.weight DESC LIMIT 10",
            "cannot read pairs"))
        return;
#undef NAME
    sqlite3_bind_int64(s, 1, run);
    report_json_key(j, "review_sample");
    report_json_arr(j);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (!n++)
            report_html(r, "<table><tr><th class=\"n\">weight</th><th class=\"n\">probability</th>"
                           "<th>record</th><th>name</th><th>record</th><th>name</th></tr>\n");
        report_html(r, "<tr><td class=\"n\">%.2f</td><td class=\"n\">%.3f</td>",
                    sqlite3_column_double(s, 0), sqlite3_column_double(s, 1));
        for (int c = 2; c <= 5; c++) {
            report_html(r, "<td>");
            report_value(r, rk_store__text(s, c));
            report_html(r, "</td>");
        }
        report_html(r, "</tr>\n");
        report_json_obj(j);
        report_json_key(j, "weight");
        report_json_num(j, sqlite3_column_double(s, 0));
        report_json_key(j, "record_a");
        report_json_str(j, rk_store__text(s, 2));
        report_json_key(j, "record_b");
        report_json_str(j, rk_store__text(s, 4));
        report_json_obj_end(j);
    }
    sqlite3_finalize(s);
    report_json_arr_end(j);
    if (n)
        report_html(r, "</table>\n");
}

/* The pairs scored at or above the threshold that clustering kept apart, per reason (the
 * run's stats), each with its sentence (rk_link_review_reason_sentence). */
static void kept_apart(report_report *r, int64_t run)
{
    report_json *j = &r->json;
    sqlite3_stmt *s = NULL;
    if (!report_prepare(&s, r,
                        "SELECT json_extract(stats, '$.kept_apart.' || ?2) FROM link_run"
                        " WHERE id = ?1",
                        "cannot read the link run"))
        return;
    report_html(r, "<h3>Kept apart by clustering</h3>\n");
    report_json_key(j, "kept_apart");
    int shown = 0, known = 0;
    for (int k = RK_REVIEW_REVIEWER; k < RK_REVIEW_REASON_COUNT; k++) {
        const char *name = rk_link_review_reason_name(k);
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, run);
        sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_type(s, 0) == SQLITE_NULL)
            continue;
        if (!known++)
            report_json_obj(j);
        int64_t n = sqlite3_column_int64(s, 0);
        report_json_key(j, name);
        report_json_int(j, n);
        if (!n)
            continue;
        if (!shown++)
            report_html(r, "<table><tr><th>reason</th><th class=\"n\">pairs</th><th>what it "
                           "means</th></tr>\n");
        report_html(r, "<tr><td>%s</td><td class=\"n\">%lld</td><td>%s.</td></tr>\n", name,
                    (long long)n, rk_link_review_reason_sentence(k));
    }
    sqlite3_finalize(s);
    if (!known) {
        report_json_null(j);
        report_html(r, "<p class=\"muted\">This run was stored before reckon counted the pairs "
                       "clustering keeps apart; link again to see them.</p>\n");
    } else {
        report_json_obj_end(j);
        if (shown)
            report_html(r, "</table><p>These pairs scored at or above the threshold but "
                           "were not joined; each is in the review queue with the pair "
                           "that blocked it (<code>reckon serve</code>).</p>\n");
        else
            report_html(r, "<p>Clustering joined every pair scored at or above the "
                           "threshold.</p>\n");
    }
}

/* The blocking rules the run left out for holding more than their max_pairs pairs a record
 * (docs/linkage.md, "Blocking at scale"): shown when there are some, listed in JSON always. */
static void rules_left_out(report_report *r, int64_t run)
{
    report_json *j = &r->json;
    sqlite3_stmt *s = NULL;
    if (!report_prepare(
            &s, r,
            "SELECT json_extract(b.value, '$.name'), json_extract(b.value, '$.left_out')"
            " FROM link_run, json_each(link_run.stats, '$.blocking') b"
            " WHERE link_run.id = ?1 AND json_extract(b.value, '$.left_out') > 0"
            " ORDER BY b.key",
            "cannot read the link run's blocking rules"))
        return;
    sqlite3_bind_int64(s, 1, run);
    report_json_key(j, "rules_left_out");
    report_json_arr(j);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *name = rk_store__text(s, 0);
        int64_t pairs = sqlite3_column_int64(s, 1);
        report_json_obj(j);
        report_json_key(j, "rule");
        report_json_str(j, name);
        report_json_key(j, "pairs");
        report_json_int(j, pairs);
        report_json_obj_end(j);
        if (!n++)
            report_html(r, "<h3>Blocking rules left out</h3><p>These rules held more pairs a "
                           "record than their bound and were not used; the other rules "
                           "compared what they found (docs/linkage.md, &ldquo;Blocking at "
                           "scale&rdquo;).</p><ul>");
        report_html(r, "<li>%s: its blocks would have held %lld pairs</li>", name,
                    (long long)pairs);
    }
    report_json_arr_end(j);
    if (n)
        report_html(r, "</ul>\n");
    sqlite3_finalize(s);
}

void report_section_linkage(report_report *r)
{
    report_json *j = &r->json;
    report_html(r, "<section id=\"linkage\"><h2>Linkage</h2>\n");
    report_json_key(j, "linkage");
    report_json_obj(j);
    sqlite3_stmt *s = NULL;
    if (!report_prepare(&s, r,
                        "SELECT id, time, threshold, review_low, review_high, seed, model,"
                        " json_extract(model, '$.prior') FROM link_run ORDER BY id DESC"
                        " LIMIT 1",
                        "cannot read link runs"))
        return;
    report_json_key(j, "link_run");
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        report_json_null(j);
        report_json_obj_end(j);
        report_html(r, "<p class=\"note\">No link run yet: records are not joined into persons, so "
                       "there are no match weights, clusters or pairs to review. Run <code>reckon "
                       "link</code>.</p></section>\n");
        return;
    }
    int64_t run = sqlite3_column_int64(s, 0);
    double threshold = sqlite3_column_double(s, 2);
    report_html(r,
                "<p>Link run %lld of %s: records join when their match probability is at least "
                "%.3g; pairs between %.3g and %.3g go to review. Seed %lld.",
                (long long)run, rk_store__text(s, 1), threshold, sqlite3_column_double(s, 3),
                sqlite3_column_double(s, 4), (long long)sqlite3_column_int64(s, 5));
    if (sqlite3_column_type(s, 7) != SQLITE_NULL)
        report_html(r, " Prior probability that a pair is a match: %.3g.",
                    sqlite3_column_double(s, 7));
    report_html(r, "</p>\n");
    report_json_int(j, run);
    report_json_key(j, "threshold");
    report_json_num(j, threshold);
    report_json_key(j, "review_low");
    report_json_num(j, sqlite3_column_double(s, 3));
    report_json_key(j, "review_high");
    report_json_num(j, sqlite3_column_double(s, 4));
    report_json_key(j, "prior");
    report_json_num(j,
                    sqlite3_column_type(s, 7) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 7));
    sqlite3_finalize(s);
    weights(r, run, threshold);
    levels(r, run);
    report_html(r, "<h3>Cluster sizes</h3>\n");
    clusters(r, run);
    report_html(r, "<h3>Pairs by status</h3><p>Pairs with status <i>review</i> await a reviewer "
                   "(<code>reckon review</code>).</p>\n");
    counts_table(r, "pairs_by_status", "status",
                 "SELECT status, count(*) FROM pair WHERE run_id = ?1 GROUP BY status ORDER BY 1",
                 run);
    if (r->opts->release) /* names and record ids stay out of a release (docs/release.md) */
        report_html(r, "<p>The pairs awaiting review are left out of a release: they show "
                       "names and record ids.</p>\n");
    else {
        report_html(r, "<p>The pairs awaiting review with the highest match weights (names as "
                       "recorded):</p>\n");
        review_sample(r, run);
    }
    kept_apart(r, run);
    rules_left_out(r, run);
    report_html(r, "<h3>Decisions taken</h3><p>Reviewers' verdicts on pairs; they override the "
                   "model.</p>\n");
    counts_table(r, "decisions", "verdict",
                 "SELECT verdict, count(*) FROM decision GROUP BY verdict ORDER BY 1", 0);
    report_json_obj_end(j);
    report_html(r, "</section>\n");
}
