/* The report's lists-and-overlaps section: each list with its records and the documented
 * persons it names, an UpSet-style chart of capture patterns (which combinations of lists name
 * how many persons: the input of multiple systems estimation), and persons per list and region. */
#include "report_private.h"

#define MAX_PATTERNS     24  /* patterns drawn; the rest are summed in a note */
#define MAX_REGIONS      10  /* regions shown as columns, the most frequent */
#define MAX_REGIONS_JSON 500 /* regions in the JSON */

typedef struct pat {
    uint64_t lists;
    int64_t n;
} pat;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_pat(const void *a, const void *b)
{
    const pat *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return cmp_u64(&x->lists, &y->lists);
}

typedef struct cnt {
    uint32_t id;
    int64_t n;
} cnt;

static int cmp_cnt(const void *a, const void *b)
{
    const cnt *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Capture patterns, counted through a sort of the persons' list masks; largest first. */
static int count_patterns(const report_persons *ps, pat **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    uint64_t *m = rk_malloc((ps->n ? ps->n : 1) * sizeof(uint64_t));
    pat *p = rk_malloc((ps->n ? ps->n : 1) * sizeof(pat));
    if (!m || !p) {
        rk_free(m);
        rk_free(p);
        return RK_ENOMEM;
    }
    for (size_t i = 0; i < ps->n; i++)
        m[i] = ps->p[i].lists;
    qsort(m, ps->n, sizeof(uint64_t), cmp_u64);
    size_t np = 0;
    for (size_t i = 0; i < ps->n; i++) {
        if (np && p[np - 1].lists == m[i])
            p[np - 1].n++;
        else
            p[np++] = (pat){m[i], 1};
    }
    rk_free(m);
    qsort(p, np, sizeof(pat), cmp_pat);
    *out = p;
    *n = np;
    return RK_OK;
}

/* Each list as rk_ingest_lists reads it, with the documented persons it names. */
static void list_table(report_report *r)
{
    report_json *j = &r->json;
    const report_persons *ps = &r->persons;
    rk_list_info *lists = NULL;
    size_t nlists = 0;
    int rc = rk_ingest_lists(&lists, &nlists, r->st);
    if (rc != RK_OK) {
        if (r->rc == RK_OK)
            r->rc = rc;
        return;
    }
    report_html(
        r, "<table><tr><th>list</th><th>description</th><th class=\"n\">records</th><th "
           "class=\"n\">persons named</th><th class=\"n\">named by this list only</th></tr>\n");
    report_json_key(j, "lists");
    report_json_arr(j);
    for (size_t li = 0; li < nlists; li++) {
        const rk_list_info *l = &lists[li];
        int64_t named = 0, only = 0;
        bool tracked = !ps->lists_overflow && li < ps->nlists;
        uint64_t bit = tracked ? UINT64_C(1) << li : 0;
        for (size_t i = 0; tracked && i < ps->n; i++) {
            named += (ps->p[i].lists & bit) != 0;
            only += ps->p[i].lists == bit;
        }
        char a[64], b[64], c[64];
        report_fmt_num(a, sizeof(a), (double)l->records);
        report_fmt_num(b, sizeof(b), (double)named);
        report_fmt_num(c, sizeof(c), (double)only);
        report_html(r, "<tr><td>");
        report_value(r, l->name);
        report_html(r, "</td><td>");
        report_value(r, l->description);
        report_html(r,
                    "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "</tr>\n",
                    a, tracked ? b : "", tracked ? c : "");
        report_json_obj(j);
        report_json_key(j, "name");
        report_json_str(j, l->name);
        report_json_key(j, "description");
        report_json_str(j, l->description);
        report_json_key(j, "records");
        report_json_int(j, l->records);
        report_json_key(j, "persons");
        if (tracked)
            report_json_int(j, named);
        else
            report_json_null(j);
        report_json_key(j, "persons_only_here");
        if (tracked)
            report_json_int(j, only);
        else
            report_json_null(j);
        report_json_obj_end(j);
    }
    rk_ingest_lists_free(lists, nlists);
    report_json_arr_end(j);
    report_html(r, "</table>\n");
}

static void upset(report_report *r)
{
    report_json *j = &r->json;
    const report_persons *ps = &r->persons;
    report_json_key(j, "capture_patterns");
    if (ps->lists_overflow) {
        report_json_null(j);
        report_html(r,
                    "<p class=\"note\">More than %d lists: capture patterns are not charted.</p>\n",
                    RP_MAX_LISTS);
        return;
    }
    pat *p = NULL;
    size_t np = 0;
    if (count_patterns(ps, &p, &np) != RK_OK) {
        report_json_null(j);
        r->rc = RK_ENOMEM;
        return;
    }
    report_json_arr(j);
    for (size_t i = 0; i < np; i++) {
        report_json_obj(j);
        report_json_key(j, "lists");
        report_json_arr(j);
        for (size_t l = 0; l < ps->nlists; l++)
            if ((p[i].lists >> l) & 1)
                report_json_str(j, ps->list_names[l]);
        report_json_arr_end(j);
        report_json_key(j, "persons");
        if (report_suppressed(r, p[i].n))
            report_json_null(j);
        else
            report_json_int(j, p[i].n);
        report_json_key(j, "suppressed");
        report_json_bool(j, report_suppressed(r, p[i].n));
        report_json_obj_end(j);
    }
    report_json_arr_end(j);
    /* A release charts no combination of fewer than min_cell persons (they sort last). */
    size_t nsmall = 0;
    while (nsmall < np && report_suppressed(r, p[np - 1 - nsmall].n))
        nsmall++;
    np -= nsmall;
    size_t shown = RK_MIN(np, (size_t)MAX_PATTERNS);
    uint64_t masks[MAX_PATTERNS];
    double counts[MAX_PATTERNS];
    int64_t rest = 0;
    for (size_t i = 0; i < np; i++) {
        if (i < shown)
            masks[i] = p[i].lists, counts[i] = (double)p[i].n;
        else
            rest += p[i].n;
    }
    rk_free(p);
    if (np == 0) {
        report_html(r, "<p>No persons to chart.</p>\n");
        return;
    }
    char alt[512];
    snprintf(alt, sizeof(alt),
             "Bars: the number of documented persons named by exactly the combination of lists "
             "marked by filled dots below each bar, largest first; %zu of %zu combinations shown. "
             "The JSON report lists every combination.",
             shown, np);
    report_chart c = {
        .title = "Capture patterns: which lists name each person", .ylabel = "persons", .alt = alt};
    report_chart_rc(r, report_chart_upset(r->html, &c, (const char *const *)ps->list_names,
                                          ps->nlists, masks, counts, shown));
    if (rest)
        report_html(
            r, "<p class=\"muted\">%lld persons in %zu rarer combinations are not drawn.</p>\n",
            (long long)rest, np - shown);
    if (nsmall)
        report_html(r,
                    "<p class=\"muted\">%zu combinations of fewer than %lld persons each are "
                    "suppressed in a release.</p>\n",
                    nsmall, (long long)r->opts->min_cell);
}

/* Persons per list and region (the region of a person: see the summary's rule). */
static void by_region(report_report *r)
{
    report_json *j = &r->json;
    const report_persons *ps = &r->persons;
    int f = report_persons_field(ps, "region");
    size_t nv = ps->strings.n;
    cnt *tot = rk_calloc(nv ? nv : 1, sizeof(cnt));
    int64_t *grid = rk_calloc((nv ? nv : 1) * (ps->nlists + 1), sizeof(int64_t));
    if (!tot || !grid || f < 0 || ps->lists_overflow) {
        if (!tot || !grid)
            r->rc = RK_ENOMEM;
        rk_free(tot);
        rk_free(grid);
        report_json_key(j, "by_list_and_region");
        report_json_null(j);
        return;
    }
    for (size_t v = 0; v < nv; v++)
        tot[v].id = (uint32_t)v;
    for (size_t i = 0; i < ps->n; i++) {
        uint32_t v = ps->p[i].vals[f];
        tot[v].n++;
        for (size_t l = 0; l < ps->nlists; l++)
            if ((ps->p[i].lists >> l) & 1)
                grid[v * (ps->nlists + 1) + l]++;
    }
    qsort(tot, nv, sizeof(cnt), cmp_cnt);
    size_t nonzero = 0;
    while (nonzero < nv && tot[nonzero].n)
        nonzero++;
    size_t cols = RK_MIN(nonzero, (size_t)MAX_REGIONS);
    report_html(r, "<h3>Persons per list and region</h3><table><tr><th>list</th>");
    for (size_t k = 0; k < cols; k++) {
        report_html(r, "<th class=\"n\">");
        if (tot[k].id)
            report_value(r, ps->strings.str[tot[k].id]);
        else
            report_html(r, "<i>no region</i>");
        report_html(r, "</th>");
    }
    report_html(r, "</tr>\n");
    for (size_t l = 0; l < ps->nlists; l++) {
        report_html(r, "<tr><td>");
        report_value(r, ps->list_names[l]);
        report_html(r, "</td>");
        for (size_t k = 0; k < cols; k++) {
            char a[64];
            int64_t n = grid[tot[k].id * (ps->nlists + 1) + l];
            report_fmt_num(a, sizeof(a), (double)n);
            report_html(r, "<td class=\"n\">%s</td>", report_suppressed(r, n) ? "&lt;min" : a);
        }
        report_html(r, "</tr>\n");
    }
    report_html(r, "</table>\n");
    if (r->opts->release)
        report_html(r,
                    "<p class=\"muted\">&lt;min: fewer than %lld persons (suppressed in a "
                    "release).</p>\n",
                    (long long)r->opts->min_cell);
    if (nonzero > cols)
        report_html(r,
                    "<p class=\"muted\">The %zu most frequent of %zu regions; the JSON report has "
                    "up to %d. Region names are as recorded: the same region spelled in two "
                    "scripts is two columns until standardization maps them.</p>\n",
                    cols, nonzero, MAX_REGIONS_JSON);
    report_json_key(j, "by_list_and_region");
    report_json_arr(j);
    for (size_t k = 0; k < RK_MIN(nonzero, (size_t)MAX_REGIONS_JSON); k++)
        for (size_t l = 0; l < ps->nlists; l++) {
            int64_t n = grid[tot[k].id * (ps->nlists + 1) + l];
            if (!n)
                continue;
            report_json_obj(j);
            report_json_key(j, "list");
            report_json_str(j, ps->list_names[l]);
            report_json_key(j, "region");
            report_json_str(j, tot[k].id ? ps->strings.str[tot[k].id] : NULL);
            report_json_key(j, "persons");
            if (report_suppressed(r, n))
                report_json_null(j);
            else
                report_json_int(j, n);
            report_json_key(j, "suppressed");
            report_json_bool(j, report_suppressed(r, n));
            report_json_obj_end(j);
        }
    report_json_arr_end(j);
    rk_free(tot);
    rk_free(grid);
}

void report_section_lists(report_report *r)
{
    report_html(r,
                "<section id=\"lists\"><h2>Lists and overlaps</h2>\n<p>Each list, the records "
                "imported into it and the documented persons it names. The overlaps between lists "
                "are what multiple systems estimation reads: the more persons several lists name, "
                "the fewer are likely to be on none.</p>\n");
    report_json_key(&r->json, "lists");
    report_json_obj(&r->json);
    list_table(r);
    upset(r);
    by_region(r);
    report_json_obj_end(&r->json);
    report_html(r, "</section>\n");
}
