/* The report's claims section: every claim in the ledger beside the documented count for its
 * category, group and stratum and, where one matches, the estimate with its interval, with
 * where the claim stands in plain, neutral words; and a chart of the same. */
#include "report_private.h"

/* "killed, women, region: North" for a claim whose stratum reads `stratum`. */
static int claim_label(rk_buf *b, const rk_claim_row *c, rk_buf *stratum)
{
    int rc = rk_buf_puts(b, c->category);
    if (rc == RK_OK && c->group)
        rc = rk_buf_printf(b, ", %s", c->group);
    if (rc == RK_OK && stratum->len)
        rc = rk_buf_printf(b, ", %s", rk_buf_cstr(stratum));
    return rc;
}

static void json_claim(report_json *j, const rk_claim_row *c, const char *date, const char *cls,
                       rk_buf *label, rk_buf *json)
{
    report_json_obj(j);
    report_json_key(j, "id");
    report_json_int(j, c->id);
    report_json_key(j, "source");
    report_json_str(j, c->source);
    report_json_key(j, "url");
    report_json_str(j, c->url);
    report_json_key(j, "date");
    report_json_str(j, date);
    report_json_key(j, "category");
    report_json_str(j, c->category);
    report_json_key(j, "category_class");
    report_json_str(j, cls);
    report_json_key(j, "group");
    report_json_str(j, c->group);
    report_json_stratum(j, c->stratum, rk_buf_cstr(json), rk_buf_cstr(label));
    report_json_key(j, "value");
    report_json_int(j, c->value);
    report_json_key(j, "note");
    report_json_str(j, c->note);
    report_json_key(j, "documented");
    report_json_int(j, c->documented);
    report_json_key(j, "estimate_id");
    if (c->has_estimate)
        report_json_int(j, c->estimate_id);
    else
        report_json_null(j);
    report_json_key(j, "estimate_method");
    report_json_str(j, c->estimate_method);
    report_json_key(j, "estimate");
    report_json_num(j, c->has_estimate ? c->estimate : NAN);
    report_json_key(j, "lower");
    report_json_num(j, c->has_estimate ? c->lower : NAN);
    report_json_key(j, "upper");
    report_json_num(j, c->has_estimate ? c->upper : NAN);
    report_json_key(j, "standing");
    report_json_str(j, rk_claim_standing_code(c->standing));
    report_json_key(j, "standing_text");
    report_json_str(j, rk_claim_standing_text(c->standing));
    report_json_obj_end(j);
}

static void claims_chart(report_report *r)
{
    size_t n = RK_MIN(r->nclaims, (size_t)40);
    char **labels = rk_calloc(n ? n : 1, sizeof(char *));
    double *v = rk_calloc(n ? n * 5 : 1, sizeof(double));
    rk_buf lb, sl, sj;
    rk_buf_init(&lb);
    rk_buf_init(&sl);
    rk_buf_init(&sj);
    if (!labels || !v) {
        r->rc = RK_ENOMEM;
        goto cleanup;
    }
    double *est = v, *lo = v + n, *hi = v + 2 * n, *doc = v + 3 * n, *claimed = v + 4 * n;
    for (size_t i = 0; i < n && r->rc == RK_OK; i++) {
        const rk_claim_row *c = &r->claims[i];
        rk_buf_clear(&lb);
        report_stratum_read(r, c->stratum, &sl, &sj);
        if (r->rc != RK_OK)
            break;
        if (rk_buf_printf(&lb, "#%lld ", (long long)c->id) != RK_OK || claim_label(&lb, c, &sl) ||
            !(labels[i] = rk_strdup(rk_buf_cstr(&lb)))) {
            r->rc = RK_ENOMEM;
            break;
        }
        est[i] = c->has_estimate ? c->estimate : NAN;
        lo[i] = c->has_estimate ? c->lower : NAN;
        hi[i] = c->has_estimate ? c->upper : NAN;
        doc[i] = (double)c->documented;
        claimed[i] = (double)c->value;
    }
    report_chart ch = {.title = "Claims beside documented counts and estimates",
                       .xlabel = "persons",
                       .alt =
                           "One row per claim: the claimed figure (diamond), the number of persons "
                           "the lists document for the same category, group and stratum (square) "
                           "and, where one exists, the estimate with its interval (dot and line). "
                           "The table above gives the same figures."};
    report_marks m = {
        .mark = doc, .mark_label = "documented", .mark2 = claimed, .mark2_label = "claimed"};
    if (r->rc == RK_OK)
        report_chart_rc(r, report_chart_intervals(r->html, &ch, (const char *const *)labels, est,
                                                  lo, hi, n, &m));
cleanup:
    for (size_t i = 0; labels && i < n; i++)
        rk_free(labels[i]);
    rk_free(labels);
    rk_free(v);
    rk_buf_release(&lb);
    rk_buf_release(&sl);
    rk_buf_release(&sj);
}

void report_section_claims(report_report *r)
{
    report_json *j = &r->json;
    report_html(r,
                "<section id=\"claims\"><h2>Claims</h2>\n<p>Figures published by others, each "
                "beside the number of persons the lists document in the same category, group and "
                "stratum and, where one covers exactly that population, the estimate with its "
                "interval. The last column says where the claimed figure stands.</p>\n");
    report_json_key(j, "claims");
    report_json_arr(j);
    if (r->nclaims == 0)
        report_html(r, "<p>No claims in the ledger (<code>reckon claim add</code>).</p>\n");
    else
        report_html(r,
                    "<table><tr><th>#</th><th>source</th><th>date</th><th>category</th><th>group / "
                    "stratum</th><th class=\"n\">claimed</th><th class=\"n\">documented</th><th "
                    "class=\"n\">estimate (interval)</th><th>standing</th></tr>\n");
    rk_buf sl, sj;
    rk_buf_init(&sl);
    rk_buf_init(&sj);
    for (size_t i = 0; i < r->nclaims && r->rc == RK_OK; i++) {
        const rk_claim_row *c = &r->claims[i];
        char cls[128], v[64], d[64], e[64], lo[64], hi[64];
        report_stratum_read(r, c->stratum, &sl, &sj);
        rk_report_category_class(cls, sizeof(cls), c->category);
        report_fmt_num(v, sizeof(v), (double)c->value);
        report_fmt_num(d, sizeof(d), (double)c->documented);
        report_html(r, "<tr><td>%lld</td><td>", (long long)c->id);
        report_value(r, c->source);
        if (c->url) {
            /* Shown as text, never as a link: the report loads and opens nothing. */
            report_html(r, "<br><span class=\"hash\">");
            report_value(r, c->url);
            report_html(r, "</span>");
        }
        if (c->note) {
            report_html(r, "<br><span class=\"muted\">");
            report_value(r, c->note);
            report_html(r, "</span>");
        }
        report_html(r, "</td><td>");
        char cut[40];
        report_value(r, report_date(r, cut, sizeof(cut), c->date));
        report_html(r, "</td><td>");
        report_value(r, c->category);
        if (strcmp(cls, c->category) != 0) {
            report_html(r, " <span class=\"muted\">(counted as ");
            report_value(r, cls);
            report_html(r, ")</span>");
        }
        report_html(r, "</td><td>");
        report_value(r, c->group);
        if (c->group && sl.len)
            report_html(r, "; ");
        if (sl.len)
            report_value(r, rk_buf_cstr(&sl));
        report_html(r, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">", v, d);
        if (c->has_estimate) {
            report_fmt_num(e, sizeof(e), c->estimate);
            report_fmt_num(lo, sizeof(lo), c->lower);
            report_fmt_num(hi, sizeof(hi), c->upper);
            report_html(r, "%s (%s&ndash;%s)<br><span class=\"muted\">", e, lo, hi);
            report_value(r, c->estimate_method);
            report_html(r, ", estimate %lld</span>", (long long)c->estimate_id);
        } else {
            report_html(r, "<span class=\"muted\">none</span>");
        }
        report_html(r, "</td><td>%s</td></tr>\n", rk_claim_standing_text(c->standing));
        json_claim(j, c, report_date(r, cut, sizeof(cut), c->date), cls, &sl, &sj);
    }
    rk_buf_release(&sl);
    rk_buf_release(&sj);
    report_json_arr_end(j);
    if (r->nclaims) {
        report_html(r, "</table>\n");
        claims_chart(r);
    }
    int64_t removed =
        report_query_int(r, "SELECT count(*) FROM claim WHERE removed_time IS NOT NULL");
    if (removed)
        report_html(
            r,
            "<p class=\"muted\">%lld removed %s not shown; the ledger keeps %s (<code>reckon "
            "claim list --all</code>).</p>\n",
            (long long)removed, removed == 1 ? "claim is" : "claims are",
            removed == 1 ? "it" : "them");
    report_html(
        r, "<p class=\"muted\">Documented: persons whose category (the violation their records "
           "name, with synonyms folded: hostage and captured count as detained, missing as "
           "disappeared) and group match the claim. An estimate is compared only when its "
           "stratum names the same population; otherwise the claim is compared with the "
           "documented count alone.</p></section>\n");
}
