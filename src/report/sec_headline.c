/* The headline figure in the report (docs/report.md): atop the summary, one estimate of the
 * total with its 95% interval in a sentence a journalist can quote, why that one (headline.c's
 * rule), the other methods as checks in plain words, and the figure per category of violation;
 * atop the estimates, the headline's batch stratum by stratum (single linkage, combined over
 * replicates, how much imputation and linkage widened the interval) and at other link
 * thresholds. */
#include "report_private.h"

/* A figure in whole persons, as every figure of the headline is shown: 1,890. */
static void whole(char *out, size_t outsz, double v)
{
    report_fmt_num(out, outsz, isfinite(v) ? round(v) : v);
}

static int64_t project_lists(report_report *r)
{
    return report_query_int(r, "SELECT count(*) FROM list");
}

/* What follows a stratum's label when a field has no value ("region: " reads "region: (no
 * value)"). */
static const char *no_value(const char *label)
{
    size_t l = strlen(label);
    return l >= 2 && strcmp(label + l - 2, ": ") == 0 ? "(no value)" : "";
}

/* The value of a stratum of a batch by one field: "killed" of "violation: killed". */
static const char *category_of(const report_batch *b, const rk_estimate__stored *row)
{
    size_t l = strlen(b->info.by);
    const char *label = row->stratum_label;
    if (strncmp(label, b->info.by, l) == 0 && label[l] == ':' && label[l + 1] == ' ')
        label += l + 2;
    return label[0] ? label : "no category recorded";
}

/* The persons documented in row i: the link run's own, not the replicates' mean that a
 * replicated row's observed is. */
static int64_t documented_of(const report_batch *b, size_t i)
{
    const rk_estimate__detail *d = &b->details[i];
    return d->replicated && d->documented > 0 ? d->documented : b->rows[i].observed;
}

/* The sentence to quote for one stratum (category NULL: the whole): "Between A and B victims
 * (estimate E), of whom D are documented on at least one list." `row` NULL: no estimate. */
static int sentence(rk_buf *out, const char *category, const rk_estimate__stored *row,
                    int64_t documented, size_t nlists, int64_t all_lists)
{
    char e[64], lo[64], hi[64], d[64], on[64] = "list";
    whole(d, sizeof(d), (double)documented);
    if (nlists && (int64_t)nlists < all_lists)
        snprintf(on, sizeof(on), "of the %zu lists it reads", nlists);
    int rc = category ? rk_buf_printf(out, "%s: ", category) : RK_OK;
    if (rc == RK_OK && row) {
        whole(e, sizeof(e), row->estimate);
        whole(lo, sizeof(lo), row->lower);
        whole(hi, sizeof(hi), row->upper);
        rc = rk_buf_printf(out,
                           "%s %s and %s victims (estimate %s), of whom %s %s documented on at "
                           "least one %s.",
                           category ? "between" : "Between", lo, hi, e, d,
                           documented == 1 ? "is" : "are", on);
    } else if (rc == RK_OK) {
        rc = rk_buf_printf(out,
                           "%s %s documented on at least one %s; no estimate of those no list "
                           "names can be defended.",
                           d, documented == 1 ? "victim is" : "victims are", on);
    }
    return rc;
}

/* What the chosen row adds to why: the doubt of its replicates, the lists left out, persons
 * of an older link run. */
static int more_why(rk_buf *out, report_report *r, const report_batch *b, long chosen)
{
    const rk_estimate__detail *d = &b->details[chosen];
    int64_t all = project_lists(r);
    int rc = RK_OK;
    if (d->replicated) {
        char e[64], lo[64], hi[64];
        whole(e, sizeof(e), d->single.estimate);
        whole(lo, sizeof(lo), d->single.lower);
        whole(hi, sizeof(hi), d->single.upper);
        rc = rk_buf_printf(out,
                           " It includes the doubt of linkage and of imputing missing values: it "
                           "combines %lld replicates (%lld linkages, %lld imputations; %lld "
                           "answered; rule %s); the link run's own persons alone give between %s "
                           "and %s (estimate %s).",
                           (long long)d->replicates, (long long)d->linkages,
                           (long long)d->imputations, (long long)d->answered,
                           d->rule[0] ? d->rule : "not stored", lo, hi, e);
    }
    if (rc == RK_OK && d->nlists && (int64_t)d->nlists < all) {
        rc = rk_buf_printf(out, " It reads %zu of the project's %lld lists (", d->nlists,
                           (long long)all);
        for (size_t l = 0; l < d->nlists && rc == RK_OK; l++)
            rc = rk_buf_printf(out, "%s%s",
                               l == 0               ? ""
                               : l + 1 == d->nlists ? " and "
                                                    : ", ",
                               d->lists[l]);
        rc = rc ? rc : rk_buf_puts(out, "): persons that only the others name are left out.");
    }
    if (rc == RK_OK && r->basis.run_id && b->info.run_id && b->info.run_id != r->basis.run_id)
        rc = rk_buf_printf(out,
                           " It was estimated from the persons of link run %lld; linkage has "
                           "run again since (run %lld): run reckon estimate again.",
                           (long long)b->info.run_id, (long long)r->basis.run_id);
    return rc;
}

static void json_figure(report_json *j, const char *key, double e, double lo, double hi)
{
    report_json_key(j, key);
    report_json_obj(j);
    report_json_key(j, "estimate");
    report_json_num(j, e);
    report_json_key(j, "lower");
    report_json_num(j, lo);
    report_json_key(j, "upper");
    report_json_num(j, hi);
    report_json_obj_end(j);
}

/* One row as a check of the headline: its figure, what its method assumes and its model in
 * words, or why it gave none. */
static void check(report_report *r, const report_batch *b, size_t lo, size_t hi, size_t i,
                  rk_buf *words)
{
    const rk_estimate__stored *row = &b->rows[i];
    const rk_estimate__detail *d = &b->details[i];
    const rk_estimate__words *w = rk_estimate__method_words(row->method);
    report_json *j = &r->json;
    rk_buf_clear(words);
    int rc = rk_estimate__model_words(words, row->method, row->model, (const char *const *)d->lists,
                                      d->nlists);
    if (rc != RK_OK) {
        r->rc = r->rc ? r->rc : rc;
        return;
    }
    report_html(r, "<li><b>%s</b>: ", w ? w->title : row->method);
    bool answered = strcmp(row->status, "refused") != 0 && isfinite(row->estimate);
    if (answered) {
        char e[64], l[64], u[64];
        whole(e, sizeof(e), row->estimate);
        whole(l, sizeof(l), row->lower);
        whole(u, sizeof(u), row->upper);
        report_html(r,
                    "<span class=\"nw\">%s</span> (95%% interval <span class=\"nw\">%s to "
                    "%s</span>). ",
                    e, l, u);
        if (w)
            report_html(r, "It %s", w->assumes);
        if (words->len)
            report_html(r, "; here, %s", rk_buf_cstr(words));
        report_html(r, ".");
    } else {
        report_html(r, "%s%s%s.", row->status, row->reason[0] ? ": " : "", row->reason);
    }
    /* Why a method that answered is not the headline, when the rule passed it over. */
    rk_buf caution;
    rk_buf_init(&caution);
    long idx = -1;
    rc = answered ? report_headline_usable(&idx, &caution, b, lo, hi, row->method) : RK_OK;
    if (answered && idx < 0)
        report_html(r, " Not the headline, because it %s.", rk_buf_cstr(&caution));
    else
        rk_buf_clear(&caution);
    report_html(r, "</li>\n");
    report_json_obj(j);
    report_json_key(j, "id");
    report_json_int(j, row->id);
    report_json_key(j, "method");
    report_json_str(j, row->method);
    report_json_key(j, "title");
    report_json_str(j, w ? w->title : NULL);
    report_json_key(j, "assumes");
    report_json_str(j, w ? w->assumes : NULL);
    report_json_key(j, "model");
    report_json_str(j, row->model);
    report_json_key(j, "model_words");
    report_json_str(j, rk_buf_cstr(words));
    report_json_key(j, "status");
    report_json_str(j, row->status);
    report_json_key(j, "reason");
    report_json_str(j, row->reason[0] ? row->reason : NULL);
    report_json_key(j, "caution");
    report_json_str(j, caution.len ? rk_buf_cstr(&caution) : NULL);
    json_figure(j, "figure", row->estimate, row->lower, row->upper);
    report_json_obj_end(j);
    rk_buf_release(&caution);
    if (rc != RK_OK)
        r->rc = r->rc ? r->rc : rc;
}

/* The rows of the whole population of a batch: where they start (b->n when none). */
static size_t whole_rows(const report_batch *b)
{
    size_t lo = 0;
    while (lo < b->n && strcmp(b->rows[lo].stratum, "null") != 0)
        lo++;
    return lo;
}

/* Why a stratified batch has no total: no method answered in every stratum; how many strata
 * no estimate can be defended in, and the first one's reason. */
static int no_total(rk_buf *out, const report_batch *b)
{
    size_t strata = 0, none = 0;
    rk_buf first;
    rk_buf_init(&first);
    int rc = RK_OK;
    for (size_t lo = 0; lo < b->n && rc == RK_OK;) {
        report_choice c;
        rc = report_headline_choose(&c, b, lo);
        strata++;
        const char *why = rk_buf_cstr(&c.why);
        if (strncmp(why, RP_NONE_DEFENDED, strlen(RP_NONE_DEFENDED)) == 0)
            why += strlen(RP_NONE_DEFENDED);
        if (rc == RK_OK && c.chosen < 0 && none++ == 0)
            rc = rk_buf_printf(&first, "%s%s: %s", b->rows[lo].stratum_label,
                               no_value(b->rows[lo].stratum_label), why);
        lo = c.hi;
        report_choice_release(&c);
    }
    rc = rc ? rc
            : rk_buf_printf(out,
                            RP_NONE_DEFENDED
                            "the latest estimates (batch %lld, by "
                            "%s) have no total, since no method answered in every stratum. In %zu "
                            "of its %zu strata none can be defended (the table by stratum, under "
                            "Estimates, gives each reason)",
                            (long long)b->info.batch, b->info.by, none, strata);
    if (rc == RK_OK && none)
        rc = rk_buf_printf(out, "; the first, %s", rk_buf_cstr(&first));
    else if (rc == RK_OK)
        rc = rk_buf_puts(out, ".");
    rk_buf_release(&first);
    return rc;
}

/* The figure, why, and (when there is one) the JSON of the choice for the whole. */
static void headline(report_report *r, const report_batch *b, rk_buf *text)
{
    report_json *j = &r->json;
    size_t lo = whole_rows(b);
    report_choice c;
    int rc = report_headline_choose(&c, b, lo);
    const rk_estimate__stored *row = c.chosen >= 0 ? &b->rows[c.chosen] : NULL;
    const rk_estimate__detail *d = c.chosen >= 0 ? &b->details[c.chosen] : NULL;
    int64_t documented = lo < b->n ? documented_of(b, lo) : r->basis.persons;
    rk_buf_clear(text);
    rc = rc ? rc
            : sentence(text, NULL, row, documented, lo < b->n ? b->details[lo].nlists : 0,
                       project_lists(r));
    if (rc == RK_OK && !c.why.len && lo == b->n)
        rc = no_total(&c.why, b);
    if (rc == RK_OK && row)
        rc = more_why(&c.why, r, b, c.chosen);
    if (rc != RK_OK) {
        r->rc = r->rc ? r->rc : rc;
        report_choice_release(&c);
        return;
    }
    report_html(r, "<p class=\"lead\">%s</p>\n<p>%s</p>\n", rk_buf_cstr(text), rk_buf_cstr(&c.why));
    report_html(r,
                "<p class=\"muted\">How this figure is chosen: from the latest estimates "
                "(batch %lld%s%s), the latent-class model when three or more lists overlap and "
                "its sampler settled, else Bayesian model averaging, else the log-linear model; "
                "Chapman's estimator for two lists. The range is a 95%% interval. <a "
                "href=\"#by-stratum\">The estimates by stratum</a> are under Estimates.</p>\n"
                "</div>\n",
                (long long)b->info.batch, b->info.by[0] ? ", by " : "", b->info.by);
    report_json_key(j, "sentence");
    report_json_str(j, rk_buf_cstr(text));
    report_json_key(j, "why");
    report_json_str(j, rk_buf_cstr(&c.why));
    report_json_key(j, "method");
    report_json_str(j, row ? row->method : NULL);
    report_json_key(j, "id");
    if (row)
        report_json_int(j, row->id);
    else
        report_json_null(j);
    report_json_key(j, "observed");
    report_json_int(j, documented);
    json_figure(j, "figure", row ? row->estimate : NAN, row ? row->lower : NAN,
                row ? row->upper : NAN);
    report_json_key(j, "combined");
    report_json_bool(j, d && d->replicated);
    if (d && d->replicated)
        json_figure(j, "single", d->single.estimate, d->single.lower, d->single.upper);
    /* The other methods, as checks. */
    report_json_key(j, "checks");
    report_json_arr(j);
    size_t shown = 0;
    for (size_t i = lo; i < c.hi && r->rc == RK_OK; i++) {
        if ((long)i == c.chosen || strcmp(b->rows[i].method, "none") == 0)
            continue;
        if (!shown++)
            report_html(r, "<h3>Checks: the other methods</h3>\n<p>Each method's estimate of "
                           "the total from the same persons, and what it assumes. Methods that "
                           "agree although they assume different things make the figure "
                           "firmer.</p>\n<ul class=\"checks\">\n");
        check(r, b, lo, c.hi, i, text);
    }
    if (shown)
        report_html(r, "</ul>\n");
    report_json_arr_end(j);
    report_choice_release(&c);
}

/* The figure per category of violation, from the latest batch by violation alone. */
static void by_category(report_report *r, const report_batch *b, rk_buf *text)
{
    report_json *j = &r->json;
    report_json_key(j, "by_violation");
    if (!b->info.batch) {
        report_json_null(j);
        return;
    }
    report_json_obj(j);
    report_json_key(j, "batch");
    report_json_int(j, b->info.batch);
    report_json_key(j, "categories");
    report_json_arr(j);
    report_html(r,
                "<h3>By category of violation</h3>\n<p class=\"muted\">From the latest estimates "
                "by violation (batch %lld), chosen by the same rule in each category.</p>\n<ul>\n",
                (long long)b->info.batch);
    /* The categories, most documented first (ties: as stored). */
    size_t all = whole_rows(b), *starts = NULL, n = 0, cap = 0;
    for (size_t lo = 0; lo < all; lo = report_batch_stratum_end(b, lo)) {
        if (rk_grow((void **)&starts, &cap, n + 1, sizeof(size_t)) != RK_OK) {
            r->rc = r->rc ? r->rc : RK_ENOMEM;
            break;
        }
        size_t k = n++;
        for (; k > 0 && b->rows[starts[k - 1]].observed < b->rows[lo].observed; k--)
            starts[k] = starts[k - 1];
        starts[k] = lo;
    }
    for (size_t i = 0; i < n && r->rc == RK_OK; i++) {
        size_t lo = starts[i];
        report_choice c;
        int rc = report_headline_choose(&c, b, lo);
        const rk_estimate__stored *row = c.chosen >= 0 ? &b->rows[c.chosen] : NULL;
        const char *category = category_of(b, &b->rows[lo]);
        rk_buf_clear(text);
        rc = rc ? rc
                : sentence(text, category, row, documented_of(b, lo), b->details[lo].nlists,
                           project_lists(r));
        if (rc != RK_OK) {
            r->rc = r->rc ? r->rc : rc;
            report_choice_release(&c);
            break;
        }
        const rk_estimate__words *w = row ? rk_estimate__method_words(row->method) : NULL;
        report_html(r, "<li>%s <span class=\"muted\">%s%s</span></li>\n", rk_buf_cstr(text),
                    w ? "Method: " : "", w ? w->title : rk_buf_cstr(&c.why));
        report_json_obj(j);
        report_json_key(j, "category");
        report_json_str(j, category);
        report_json_key(j, "sentence");
        report_json_str(j, rk_buf_cstr(text));
        report_json_key(j, "why");
        report_json_str(j, rk_buf_cstr(&c.why));
        report_json_key(j, "method");
        report_json_str(j, row ? row->method : NULL);
        report_json_key(j, "observed");
        report_json_int(j, documented_of(b, lo));
        json_figure(j, "figure", row ? row->estimate : NAN, row ? row->lower : NAN,
                    row ? row->upper : NAN);
        report_json_obj_end(j);
        report_choice_release(&c);
    }
    rk_free(starts);
    report_html(r, "</ul>\n");
    report_json_arr_end(j);
    report_json_obj_end(j);
}

void report_headline_summary(report_report *r)
{
    report_json *j = &r->json;
    int rc = report_batch_load(&r->latest, r->st, NULL);
    rc = rc ? rc : report_batch_load(&r->by_violation, r->st, "violation");
    if (rc != RK_OK) {
        r->rc = r->rc ? r->rc : rc;
        return;
    }
    rk_buf text;
    rk_buf_init(&text);
    const report_batch *b = &r->latest;
    report_html(r, "<div class=\"headline\" id=\"headline\">\n");
    report_json_key(j, "headline");
    report_json_obj(j);
    report_json_key(j, "batch");
    if (b->info.batch)
        report_json_int(j, b->info.batch);
    else
        report_json_null(j);
    report_json_key(j, "by");
    report_json_str(j, b->info.by[0] ? b->info.by : NULL);
    if (b->info.batch) {
        headline(r, b, &text);
    } else {
        char d[64];
        whole(d, sizeof(d), (double)r->basis.persons);
        rc = rk_buf_printf(&text,
                           "%s %s documented on at least one list; nothing estimates yet how "
                           "many no list names.",
                           d, r->basis.persons == 1 ? "victim is" : "victims are");
        report_html(r,
                    "<p class=\"lead\">%s</p>\n<p>Run <code>reckon estimate</code> for an "
                    "estimate of the total.</p>\n</div>\n",
                    rk_buf_cstr(&text));
        report_json_key(j, "sentence");
        report_json_str(j, rk_buf_cstr(&text));
    }
    by_category(r, &r->by_violation, &text);
    report_json_obj_end(j);
    rk_buf_release(&text);
    if (rc != RK_OK)
        r->rc = r->rc ? r->rc : rc;
}

/* ---- the headline's batch, stratum by stratum ---- */

static void cell_figure(report_report *r, double e, double lo, double hi)
{
    char a[64], b[64], c[64];
    whole(a, sizeof(a), e);
    whole(b, sizeof(b), lo);
    whole(c, sizeof(c), hi);
    report_html(r, "<td class=\"n\">%s (%s&ndash;%s)</td>", a, b, c);
}

static void cell_persons(report_report *r, double v)
{
    char a[64];
    whole(a, sizeof(a), v);
    report_html(r, "<td class=\"n\">%s%s</td>", isfinite(v) && v > 0 ? "+" : "", a);
}

/* One stratum's row of the table: the chosen estimate, single and combined, or why none. */
static void stratum_row(report_report *r, const report_batch *b, report_choice *c, rk_buf *label,
                        rk_buf *json)
{
    report_json *j = &r->json;
    const rk_estimate__stored *first = &b->rows[c->lo];
    bool all = strcmp(first->stratum, "null") == 0;
    report_stratum_read(r, all ? NULL : first->stratum, label, json);
    char documented[64];
    int64_t persons = documented_of(b, c->lo);
    whole(documented, sizeof(documented), (double)persons);
    report_html(r, "<tr><td>");
    if (all)
        report_html(r, "<b>all</b>");
    else
        report_value(r, first->stratum_label);
    report_html(r, "%s", no_value(first->stratum_label));
    report_json_obj(j);
    report_json_stratum(j, all ? NULL : first->stratum, rk_buf_cstr(json), rk_buf_cstr(label));
    report_json_key(j, "observed");
    report_json_int(j, persons);
    report_json_key(j, "method");
    if (c->chosen < 0) {
        report_html(r, "</td><td>none</td><td class=\"n\">%s</td><td colspan=\"4\">%s</td></tr>\n",
                    documented, rk_buf_cstr(&c->why));
        report_json_null(j);
        report_json_key(j, "why");
        report_json_str(j, rk_buf_cstr(&c->why));
        report_json_obj_end(j);
        return;
    }
    const rk_estimate__stored *row = &b->rows[c->chosen];
    const rk_estimate__detail *d = &b->details[c->chosen];
    const rk_estimate__words *w = rk_estimate__method_words(row->method);
    report_json_str(j, row->method);
    report_html(r, "</td><td>%s</td><td class=\"n\">%s</td>", w ? w->title : row->method,
                documented);
    if (d->replicated) {
        cell_figure(r, d->single.estimate, d->single.lower, d->single.upper);
        cell_figure(r, row->estimate, row->lower, row->upper);
        cell_persons(r, d->widened_imputation);
        cell_persons(r, d->widened_linkage);
        json_figure(j, "single", d->single.estimate, d->single.lower, d->single.upper);
        json_figure(j, "combined", row->estimate, row->lower, row->upper);
        report_json_key(j, "widened");
        report_json_obj(j);
        report_json_key(j, "imputation");
        report_json_num(j, d->widened_imputation);
        report_json_key(j, "linkage");
        report_json_num(j, d->widened_linkage);
        report_json_obj_end(j);
        report_json_key(j, "imputed");
        report_json_int(j, d->imputed);
    } else {
        cell_figure(r, row->estimate, row->lower, row->upper);
        report_html(r, "<td class=\"n\">&mdash;</td><td class=\"n\">&mdash;</td>"
                       "<td class=\"n\">&mdash;</td>");
        json_figure(j, "single", row->estimate, row->lower, row->upper);
        report_json_key(j, "combined");
        report_json_null(j);
        report_json_key(j, "widened");
        report_json_null(j);
    }
    report_html(r, "</tr>\n");
    report_json_obj_end(j);
}

/* The estimates at other link thresholds of the chosen total (result.thresholds). */
static void thresholds(report_report *r, const report_batch *b, long chosen)
{
    report_json *j = &r->json;
    report_json_key(j, "thresholds");
    report_json_arr(j);
    size_t shown = 0;
    for (size_t i = 0; chosen >= 0 && i < b->nthresholds; i++) {
        const rk_estimate__threshold *t = &b->thresholds[i];
        if (t->estimate_id != b->rows[chosen].id)
            continue;
        if (!shown++)
            report_html(r, "<h4>The total at other link thresholds</h4>\n<p>The same method's "
                           "estimate of the total when linkage joins records at another match "
                           "probability: a lower threshold joins more records into one person, so "
                           "fewer persons are documented. A total that moves little across "
                           "thresholds does not hang on where the line was drawn.</p>\n<table><tr>"
                           "<th class=\"n\">threshold</th><th class=\"n\">documented</th><th "
                           "class=\"n\">estimate (95%% interval)</th><th>note</th></tr>\n");
        char o[64];
        whole(o, sizeof(o), (double)t->observed);
        report_html(r, "<tr><td class=\"n\">%.2f</td><td class=\"n\">%s</td>", t->threshold, o);
        if (strcmp(t->status, "ok") == 0)
            cell_figure(r, t->figure.estimate, t->figure.lower, t->figure.upper);
        else
            report_html(r, "<td class=\"n\">&mdash;</td>");
        report_html(r, "<td>%s%s%s</td></tr>\n", strcmp(t->status, "ok") ? t->status : "",
                    t->reason[0] && strcmp(t->status, "ok") ? ": " : "", t->reason);
        report_json_obj(j);
        report_json_key(j, "threshold");
        report_json_num(j, t->threshold);
        report_json_key(j, "observed");
        report_json_int(j, t->observed);
        json_figure(j, "figure", t->figure.estimate, t->figure.lower, t->figure.upper);
        report_json_key(j, "status");
        report_json_str(j, t->status);
        report_json_key(j, "reason");
        report_json_str(j, t->reason[0] ? t->reason : NULL);
        report_json_obj_end(j);
    }
    report_json_arr_end(j);
    if (shown)
        report_html(r, "</table>\n");
    else if (chosen >= 0)
        report_html(r, "<p class=\"muted\">This batch holds no estimates of the total at other "
                       "link thresholds.</p>\n");
}

static void batch_table(report_report *r, const report_batch *b)
{
    report_json *j = &r->json;
    rk_buf label, json;
    rk_buf_init(&label);
    rk_buf_init(&json);
    report_json_obj(j);
    report_json_key(j, "batch");
    report_json_int(j, b->info.batch);
    report_json_key(j, "by");
    report_json_str(j, b->info.by[0] ? b->info.by : NULL);
    report_html(r, "<h4>Batch %lld%s", (long long)b->info.batch, b->info.by[0] ? ", by " : "");
    report_value(r, b->info.by);
    report_html(r, "</h4>\n<table><tr><th>stratum</th><th>method</th><th class=\"n\">documented"
                   "</th><th class=\"n\">single linkage<br>(95%% interval)</th><th "
                   "class=\"n\">combined<br>(95%% interval)</th><th class=\"n\">widened by "
                   "imputation</th><th class=\"n\">widened by linkage</th></tr>\n");
    report_json_key(j, "rows");
    report_json_arr(j);
    long total = -1;
    for (size_t lo = 0; lo < b->n && r->rc == RK_OK;) {
        report_choice c;
        int rc = report_headline_choose(&c, b, lo);
        if (rc != RK_OK) {
            r->rc = r->rc ? r->rc : rc;
            report_choice_release(&c);
            break;
        }
        stratum_row(r, b, &c, &label, &json);
        if (strcmp(b->rows[lo].stratum, "null") == 0)
            total = c.chosen;
        lo = c.hi;
        report_choice_release(&c);
    }
    report_json_arr_end(j);
    report_html(r, "</table>\n");
    thresholds(r, b, total);
    report_json_obj_end(j);
    rk_buf_release(&label);
    rk_buf_release(&json);
}

void report_headline_strata(report_report *r)
{
    report_json_key(&r->json, "by_stratum");
    report_json_arr(&r->json);
    const report_batch *batches[] = {&r->latest, &r->by_violation};
    bool any = false;
    for (size_t i = 0; i < RK_ARRAY_LEN(batches) && r->rc == RK_OK; i++) {
        const report_batch *b = batches[i];
        if (!b->info.batch || (i == 1 && b->info.batch == r->latest.info.batch))
            continue;
        if (!any)
            report_html(
                r, "<h3 id=\"by-stratum\">The headline, stratum by stratum</h3>\n<p>For the batch "
                   "the headline comes from, and the latest by violation: per stratum and for the "
                   "whole, the persons documented and the estimate the headline's rule chooses "
                   "(refused strata with the reason). <i>Single linkage</i>: from the link run's "
                   "own persons. <i>Combined</i>: over linkage and imputation replicates, where "
                   "the batch has them (&mdash; where not). The last two columns: how many persons "
                   "imputing missing values and linkage each add to the width of the 95%% "
                   "interval.</p>\n");
        any = true;
        batch_table(r, b);
    }
    report_json_arr_end(&r->json);
}
