/* The report's summary section: the headline figure (sec_headline.c), then lists, records,
 * documented persons per category and group, and how many claims the ledger holds. */
#include "report_private.h"

static const char *const group_names[] = {"women", "men", "children", "elderly"};

/* The categories present among the documented persons, in order of size. */
static size_t categories(const report_report *r, uint32_t *ids, int64_t *counts, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->persons.n; i++) {
        uint32_t c = r->persons.p[i].category;
        size_t k = 0;
        while (k < n && ids[k] != c)
            k++;
        if (k == n) {
            if (n == max)
                continue;
            ids[n] = c, counts[n++] = 0;
        }
        counts[k]++;
    }
    for (size_t i = 1; i < n; i++) /* insertion sort, descending */
        for (size_t k = i; k > 0 && counts[k] > counts[k - 1]; k--) {
            int64_t tc = counts[k];
            uint32_t ti = ids[k];
            counts[k] = counts[k - 1], ids[k] = ids[k - 1];
            counts[k - 1] = tc, ids[k - 1] = ti;
        }
    return n;
}

static void basis_note(report_report *r)
{
    char notice[512];
    rk_link_stale_notice(notice, sizeof(notice), &r->basis);
    if (notice[0]) {
        report_html(r, "<p class=\"note\" id=\"persons-stale\"><b>%s</b></p>\n", notice);
    }
    if (r->basis.run_id)
        report_html(
            r,
            "<p>Documented persons are those of link run %lld: records that linkage joined "
            "count once. Where a person's records disagree (category, sex, age, region), the "
            "value most of them give is used; a tie goes to the first list.</p>\n",
            (long long)r->basis.run_id);
    else
        report_html(r,
                    "<p class=\"note\">No link run yet: each current record is counted as its own "
                    "person, so a person named by several lists is counted several times. Run "
                    "<code>reckon link</code> to count persons.</p>\n");
}

void report_section_summary(report_report *r)
{
    report_json *j = &r->json;
    int64_t nlists = report_query_int(r, "SELECT count(*) FROM list");
    char a[64], b[64];
    report_html(r, "<section id=\"summary\"><h2>Summary</h2>\n");
    report_headline_summary(r);
    report_json_key(j, "summary");
    report_json_obj(j);
    report_fmt_num(a, sizeof(a), (double)r->basis.records);
    report_fmt_num(b, sizeof(b), (double)r->basis.persons);
    report_html(r,
                "<dl><dt>Lists</dt><dd>%lld</dd><dt>Records</dt><dd>%s</dd><dt>Documented "
                "persons</dt><dd>%s</dd><dt>Claims</dt><dd>%zu</dd></dl>\n",
                (long long)nlists, a, b, r->nclaims);
    basis_note(r);
    report_json_key(j, "lists");
    report_json_int(j, nlists);
    report_json_key(j, "records");
    report_json_int(j, r->basis.records);
    report_json_key(j, "persons");
    report_json_int(j, r->basis.persons);
    report_json_key(j, "link_run");
    if (r->basis.run_id)
        report_json_int(j, r->basis.run_id);
    else
        report_json_null(j);
    report_json_key(j, "persons_stale");
    report_json_bool(j, rk_link_persons_stale(&r->basis));
    report_json_key(j, "records_unlinked");
    report_json_int(j, r->basis.unlinked);
    report_json_key(j, "records_superseded");
    report_json_int(j, r->basis.superseded);
    report_json_key(j, "counted_as");
    report_json_str(j, r->basis.run_id ? "persons of the latest link run"
                                       : "records: no link run, each record counted as a person");
    report_json_key(j, "groups");
    report_json_obj(j);
    report_json_key(j, "children_below");
    report_json_int(j, r->opts->counts.children_below);
    report_json_key(j, "elderly_from");
    report_json_int(j, r->opts->counts.elderly_from);
    report_json_obj_end(j);

    /* Documented persons per category and group. */
    uint32_t ids[64];
    int64_t counts[64];
    size_t nc = categories(r, ids, counts, RK_ARRAY_LEN(ids));
    report_html(r, "<h3>Documented persons by category and group</h3>\n<table><tr><th>category</th>"
                   "<th class=\"n\">persons</th>");
    for (size_t g = 0; g < RK_ARRAY_LEN(group_names); g++)
        report_html(r, "<th class=\"n\">%s</th>", group_names[g]);
    report_html(r, "</tr>\n");
    report_json_key(j, "by_category");
    report_json_arr(j);
    for (size_t i = 0; i < nc; i++) {
        const char *name = ids[i] ? r->persons.strings.str[ids[i]] : NULL;
        report_html(r, "<tr><td>");
        if (name)
            report_value(r, name);
        else
            report_html(r, "<i>no category recorded</i>");
        report_fmt_num(a, sizeof(a), (double)counts[i]);
        report_html(r, "</td><td class=\"n\">%s</td>", a);
        report_json_obj(j);
        report_json_key(j, "category");
        report_json_str(j, name);
        report_json_key(j, "persons");
        report_json_int(j, counts[i]);
        for (size_t g = 0; g < RK_ARRAY_LEN(group_names); g++) {
            int64_t n = 0;
            if (name) {
                report_select sel = {.category = name, .group = group_names[g]};
                n = report_persons_count(&r->persons, &sel);
            }
            report_fmt_num(a, sizeof(a), (double)n);
            report_html(r, "<td class=\"n\">%s</td>", name ? a : "");
            report_json_key(j, group_names[g]);
            if (name)
                report_json_int(j, n);
            else
                report_json_null(j);
        }
        report_html(r, "</tr>\n");
        report_json_obj_end(j);
    }
    report_json_arr_end(j);
    report_html(r,
                "</table>\n<p class=\"muted\">Children: under %d at the event; elderly: %d and "
                "over. Age is the recorded age, or the birth year subtracted from the year of "
                "death%s. Persons whose sex or age is unknown are in no group.</p>\n",
                r->opts->counts.children_below, r->opts->counts.elderly_from,
                r->opts->counts.event_year ? " (or from the event year given)" : "");

    /* Where the claims stand, tallied. */
    size_t tally[RK_STANDING_ABOVE_INTERVAL + 1] = {0};
    for (size_t i = 0; i < r->nclaims; i++)
        tally[r->claims[i].standing]++;
    report_json_key(j, "claims");
    report_json_obj(j);
    report_json_key(j, "count");
    report_json_int(j, (int64_t)r->nclaims);
    if (r->nclaims)
        report_html(r, "<h3>Claims</h3><ul>");
    for (int s2 = 0; s2 <= RK_STANDING_ABOVE_INTERVAL; s2++) {
        if (!tally[s2])
            continue;
        report_html(r, "<li>%zu %s %s</li>", tally[s2], tally[s2] == 1 ? "claim" : "claims",
                    rk_claim_standing_text((rk_standing)s2));
        report_json_key(j, rk_claim_standing_code((rk_standing)s2));
        report_json_int(j, (int64_t)tally[s2]);
    }
    if (r->nclaims)
        report_html(r, "</ul><p>Each claim is in the <a href=\"#claims\">claims table</a>.</p>\n");
    report_json_obj_end(j);
    report_json_obj_end(j);
    report_html(r, "</section>\n");
}
