/* The pair view and the decision it posts. Both records side by side (raw row as imported,
 * mapped fields, standardized fields), each field's comparison level and weight from the
 * pair's `levels`, a waterfall of the match weight, earlier decisions, and the match / not a
 * match / unsure form (keys m, n, u; j and k for the next and previous pair). */
#include "serve_private.h"

static const char *const mapped[] = {
    "full_name",   "given_name",  "family_name", "second_family_name", "patronymic",
    "father_name", "mother_name", "sex",         "birth_date",         "birth_precision",
    "birth_year",  "age",         "death_date",  "death_precision",    "place",
    "region",      "violation",
};

static int record_card(serve_req *r, int64_t run, int64_t id)
{
    rk_buf *b = &r->resp.body;
    sqlite3_stmt *s = NULL, *f = NULL;
    int rc = serve_stmt(r,
                        "SELECT r.record_key, l.name, i.file_name, r.row_number, r.line, r.raw,"
                        " i.header, r.std, p.person_id, full_name, given_name, family_name,"
                        " second_family_name, patronymic, father_name, mother_name, sex,"
                        " birth_date, birth_precision, birth_year, age, death_date,"
                        " death_precision, place, region, violation,"
                        " i.sheet || '!row' FROM record r"
                        " JOIN list l ON l.id = r.list_id JOIN import i ON i.id = r.import_id"
                        " LEFT JOIN person p ON p.run_id = ?2 AND p.record_id = r.id"
                        " WHERE r.id = ?1",
                        &s);
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, run);
    int step = sqlite3_step(s);
    if (step != SQLITE_ROW) {
        rc = step == SQLITE_DONE ? rk_error_set(&r->w->ctx, RK_ENOTFOUND,
                                                "record %lld does not exist", (long long)id)
                                 : serve_sqlerr(r);
        goto cleanup;
    }
    rc = serve_html(
        b,
        "<section class=\"card record\"><h2>%s</h2><p>list <a href=\"/lists\">%s</a>, "
        "file %s, row %lld (%s %lld), record %lld",
        (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
        (const char *)sqlite3_column_text(s, 2), (long long)sqlite3_column_int64(s, 3),
        sqlite3_column_type(s, 26) == SQLITE_NULL ? "line"
                                                  : (const char *)sqlite3_column_text(s, 26),
        (long long)sqlite3_column_int64(s, 4), (long long)id);
    if (rc == RK_OK && sqlite3_column_type(s, 8) != SQLITE_NULL)
        rc = serve_html(b, ", <a href=\"/person?id=%lld\">person %lld</a>",
                        (long long)sqlite3_column_int64(s, 8),
                        (long long)sqlite3_column_int64(s, 8));
    if (rc == RK_OK)
        rc = serve_html(b, "</p><h3>As imported</h3><table class=\"raw\">");
    if (rc == RK_OK)
        rc = serve_stmt(r,
                        "SELECT coalesce(h.value, v.key), v.value FROM json_each(?1) v"
                        " LEFT JOIN json_each(?2) h ON json_type(?1) = 'array' AND"
                        " h.key = v.key ORDER BY v.id",
                        &f);
    if (rc == RK_OK) {
        sqlite3_bind_value(f, 1, sqlite3_column_value(s, 5));
        sqlite3_bind_value(f, 2, sqlite3_column_value(s, 6));
        while (rc == RK_OK && sqlite3_step(f) == SQLITE_ROW)
            rc = serve_html(b, "<tr><th>%s</th><td>%s</td></tr>",
                            (const char *)sqlite3_column_text(f, 0),
                            (const char *)sqlite3_column_text(f, 1));
        serve_stmt_done(r, f);
        f = NULL;
    }
    if (rc == RK_OK)
        rc = serve_html(b, "</table><h3>Mapped</h3><table class=\"mapped\">");
    for (size_t k = 0; rc == RK_OK && k < RK_ARRAY_LEN(mapped); k++) {
        int col = 9 + (int)k;
        if (sqlite3_column_type(s, col) != SQLITE_NULL)
            rc = serve_html(b, "<tr><th>%s</th><td>%s</td></tr>", mapped[k],
                            (const char *)sqlite3_column_text(s, col));
    }
    if (rc == RK_OK)
        rc = serve_html(b, "</table><h3>Standardized</h3>");
    if (rc == RK_OK && sqlite3_column_type(s, 7) == SQLITE_NULL)
        rc = serve_html(b, "<p class=\"note\">not standardized yet</p>");
    else if (rc == RK_OK) {
        rc = serve_stmt(r, "SELECT key, value FROM json_each(?1) WHERE json_valid(?1)", &f);
        if (rc == RK_OK)
            rc = serve_html(b, "<table class=\"std\">");
        if (rc == RK_OK)
            sqlite3_bind_value(f, 1, sqlite3_column_value(s, 7));
        while (rc == RK_OK && sqlite3_step(f) == SQLITE_ROW)
            rc = serve_html(b, "<tr><th>%s</th><td>%s</td></tr>",
                            (const char *)sqlite3_column_text(f, 0),
                            (const char *)sqlite3_column_text(f, 1));
        if (rc == RK_OK)
            rc = serve_html(b, "</table>");
    }
    if (rc == RK_OK)
        rc = serve_html(b, "</section>\n");
cleanup:
    serve_stmt_done(r, f);
    serve_stmt_done(r, s);
    return rc;
}

typedef struct wstep {
    char label[96];
    double w;
} wstep;

/* A horizontal waterfall: the prior (and whatever the levels do not explain), each field's
 * weight, then the total, in SVG drawn with classes only (the CSP allows no inline style). */
static int waterfall(rk_buf *b, const wstep *st, size_t n, double total)
{
    double lo = 0, hi = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run += st[i].w;
        lo = RK_MIN(lo, run);
        hi = RK_MAX(hi, run);
    }
    lo = RK_MIN(lo, total);
    hi = RK_MAX(hi, total);
    double span = hi - lo > 1e-9 ? hi - lo : 1;
    const double x0 = 170, width = 420;
    int rows = (int)n + 1, h = 20 * rows + 10;
    int rc = serve_html(b,
                        "<svg class=\"waterfall\" width=\"640\" height=\"%d\" role=\"img\" "
                        "aria-label=\"match weight waterfall\">",
                        h);
    double zero = x0 + (0 - lo) / span * width;
    if (rc == RK_OK)
        rc = serve_html(b, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\"/>", zero, zero, h);
    run = 0;
    for (int i = 0; rc == RK_OK && i < rows; i++) {
        bool last = i == (int)n;
        double from = last ? 0 : run, to = last ? total : run + st[i].w;
        double xa = x0 + (RK_MIN(from, to) - lo) / span * width;
        double xw = RK_MAX(1.0, (RK_MAX(from, to) - RK_MIN(from, to)) / span * width);
        const char *cls = last ? "total" : i == 0 ? "base" : to >= from ? "pos" : "neg";
        rc = serve_html(b, "<text x=\"0\" y=\"%d\">%s</text>", 20 * i + 16,
                        last ? "match weight" : st[i].label);
        if (rc == RK_OK)
            rc = serve_html(b,
                            "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                            "height=\"14\"/><text x=\"%.1f\" y=\"%d\">%+.2f</text>",
                            cls, xa, 20 * i + 5, xw, RK_MIN(xa + xw + 4, 600.0), 20 * i + 16,
                            last ? total : st[i].w);
        if (!last)
            run = to;
    }
    if (rc == RK_OK)
        rc = serve_html(b, "</svg>\n");
    return rc;
}

static int comparisons(serve_req *r, sqlite3_stmt *pair)
{
    rk_buf *b = &r->resp.body;
    sqlite3_stmt *s = NULL;
    wstep st[33];
    size_t n = 1;
    double total = sqlite3_column_double(pair, 0), known = 0;
    int rc = serve_html(b, "<h2>Comparison</h2><table class=\"levels\"><tr><th>Field</th><th>Level"
                           "</th><th class=\"num\">Weight</th></tr>");
    if (rc == RK_OK)
        rc = serve_stmt(r,
                        "SELECT coalesce(json_extract(value, '$.field'), '#' || key),"
                        " coalesce(json_extract(value, '$.level'), json_extract(value,"
                        " '$.label'), CASE WHEN type = 'object' THEN '' ELSE value END),"
                        " json_extract(value, '$.weight') FROM json_each(?1)"
                        " WHERE json_valid(?1)",
                        &s);
    if (rc == RK_OK)
        sqlite3_bind_value(s, 1, sqlite3_column_value(pair, 2));
    while (rc == RK_OK && sqlite3_step(s) == SQLITE_ROW) {
        const char *field = (const char *)sqlite3_column_text(s, 0);
        bool has_w = sqlite3_column_type(s, 2) != SQLITE_NULL;
        double w = sqlite3_column_double(s, 2);
        rc = serve_html(b, "<tr><td>%s</td><td>%s</td>", field,
                        (const char *)sqlite3_column_text(s, 1));
        if (rc == RK_OK && has_w)
            rc = serve_html(b, "<td class=\"num\">%.2f</td></tr>", w);
        else if (rc == RK_OK)
            rc = serve_html(b, "<td class=\"num\">\xe2\x80\x94</td></tr>");
        if (has_w && n < RK_ARRAY_LEN(st)) {
            snprintf(st[n].label, sizeof(st[n].label), "%s", field ? field : "");
            st[n++].w = w;
            known += w;
        }
    }
    if (rc == RK_OK)
        rc = serve_html(b, "</table>");
    snprintf(st[0].label, sizeof(st[0].label), "prior and rest");
    st[0].w = total - known;
    if (rc == RK_OK)
        rc = serve_html(b, "<h2>Match weight</h2>");
    if (rc == RK_OK)
        rc = waterfall(b, st, n, total);
    serve_stmt_done(r, s);
    return rc;
}

static int decisions_table(serve_req *r, int64_t a, int64_t bb)
{
    rk_buf *b = &r->resp.body;
    sqlite3_stmt *s = NULL;
    int rc = serve_stmt(r,
                        "SELECT d.id, d.verdict, d.reviewer, d.time, d.note FROM decision d,"
                        " record ra, record rb WHERE ra.id = ?1 AND rb.id = ?2 AND"
                        " d.key_a = min(ra.record_key, rb.record_key) AND"
                        " d.key_b = max(ra.record_key, rb.record_key) ORDER BY d.id",
                        &s);
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, bb);
    rc = serve_html(b, "<h2>Decisions</h2><table class=\"decisions\"><tr><th>#</th><th>Verdict</th>"
                       "<th>Reviewer</th><th>Time</th><th>Note</th></tr>");
    int rows = 0;
    while (rc == RK_OK && sqlite3_step(s) == SQLITE_ROW) {
        rows++;
        rc = serve_html(
            b,
            "<tr class=\"decision\"><td>%lld</td><td>%s</td><td>%s</td><td>%s</td>"
            "<td>%s</td></tr>",
            (long long)sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
            (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
            (const char *)sqlite3_column_text(s, 4));
    }
    if (rc == RK_OK && rows == 0)
        rc = serve_html(b, "<tr><td colspan=\"5\">none yet</td></tr>");
    if (rc == RK_OK)
        rc = serve_html(b, "</table>");
    serve_stmt_done(r, s);
    return rc;
}

static int decide_form(serve_req *r, int64_t a, int64_t bb, int64_t i, int64_t seen,
                       const char *note)
{
    rk_buf *b = &r->resp.body;
    int rc = serve_html(b, "<form class=\"decide\" method=\"post\" action=\"/decide\">");
    if (rc == RK_OK)
        rc = serve_form_csrf(r);
    if (rc == RK_OK)
        rc = serve_html(
            b,
            "<input type=\"hidden\" name=\"a\" value=\"%lld\">"
            "<input type=\"hidden\" name=\"b\" value=\"%lld\">"
            "<input type=\"hidden\" name=\"i\" value=\"%lld\">"
            "<input type=\"hidden\" name=\"seen\" value=\"%lld\">"
            "<label>Note <input type=\"text\" name=\"note\" size=\"40\" maxlength=\"2000\" "
            "value=\"%s\"></label>"
            "<button class=\"match\" name=\"verdict\" value=\"match\" data-key=\"m\">"
            "<kbd>m</kbd> Match</button>"
            "<button class=\"nonmatch\" name=\"verdict\" value=\"non-match\" data-key=\"n\">"
            "<kbd>n</kbd> Not a match</button>"
            "<button class=\"unsure\" name=\"verdict\" value=\"unsure\" data-key=\"u\">"
            "<kbd>u</kbd> Unsure</button></form>\n",
            (long long)a, (long long)bb, (long long)i, (long long)seen, note ? note : "");
    return rc;
}

int serve_page_pair(serve_req *r)
{
    int64_t a, bb, i = -1, run = 0, seen = 0;
    if (!serve_param_id(&r->query, "a", &a) || !serve_param_id(&r->query, "b", &bb) || a == bb)
        return serve_page_error(r, 400, "Bad request", "'a' and 'b' must be two record ids.");
    const char *is = serve_param(&r->query, "i");
    if (is && (rk_parse_i64(&i, is) != RK_OK || i < 0))
        return serve_page_error(r, 400, "Bad request", "'i' must be a position in the queue.");
    if (a > bb) {
        int64_t t = a;
        a = bb;
        bb = t;
    }
    sqlite3_stmt *p = NULL;
    rk_buf *b = &r->resp.body;
    int rc = serve_current_run(r, &run);
    if (rc == RK_OK)
        rc = serve_last_decision(r, a, bb, &seen);
    if (rc != RK_OK)
        return rc;
    if ((rc = serve_stmt(r,
                         "SELECT p.weight, p.probability, v.levels, p.status"
                         " FROM pair p" RK_STORE_PAIR_VECTOR_JOIN
                         " WHERE p.run_id = ?1 AND p.record_a = ?2 AND p.record_b = ?3",
                         &p)) != RK_OK)
        return rc;
    sqlite3_bind_int64(p, 1, run);
    sqlite3_bind_int64(p, 2, a);
    sqlite3_bind_int64(p, 3, bb);
    int step = sqlite3_step(p);
    rc = serve_page_begin(r, "Pair", "queue");
    if (rc == RK_OK && i >= 0)
        rc = serve_html(
            b,
            "<p class=\"pager\"><a href=\"/next?i=%lld\" rel=\"prev\"><kbd>k</kbd> previous"
            "</a> <a href=\"/queue\">queue</a> <a href=\"/next?i=%lld\" rel=\"next\">"
            "<kbd>j</kbd> next</a></p>",
            (long long)(i > 0 ? i - 1 : 0), (long long)(i + 1));
    if (rc == RK_OK && step == SQLITE_ROW)
        rc = serve_html(
            b,
            "<p>Link run %lld: probability <b>%.2f</b>, match weight <b>%.2f</b>, status %s.</p>",
            (long long)run, sqlite3_column_double(p, 1), sqlite3_column_double(p, 0),
            (const char *)sqlite3_column_text(p, 3));
    else if (rc == RK_OK)
        rc = serve_html(b,
                        "<p class=\"note\">These two records are not a scored pair of link run "
                        "%lld; a decision still counts.</p>",
                        (long long)run);
    if (rc == RK_OK)
        rc = decide_form(r, a, bb, i < 0 ? 0 : i, seen, NULL);
    if (rc == RK_OK)
        rc = serve_html(b, "<div class=\"side\">");
    if (rc == RK_OK)
        rc = record_card(r, run, a);
    if (rc == RK_OK)
        rc = record_card(r, run, bb);
    if (rc == RK_OK)
        rc = serve_html(b, "</div>");
    if (rc == RK_OK && step == SQLITE_ROW)
        rc = comparisons(r, p);
    if (rc == RK_OK)
        rc = decisions_table(r, a, bb);
    if (rc == RK_OK)
        rc = serve_page_end(r);
    serve_stmt_done(r, p);
    return rc;
}

int serve_page_decide(serve_req *r)
{
    int64_t a, bb, i = 0, seen = 0, run = 0, id = 0;
    const char *verdict = serve_param(&r->form, "verdict");
    const char *note = serve_param(&r->form, "note");
    const char *is = serve_param(&r->form, "i");
    const char *ss = serve_param(&r->form, "seen");
    if (!serve_param_id(&r->form, "a", &a) || !serve_param_id(&r->form, "b", &bb) || a == bb)
        return serve_page_error(r, 400, "Bad request", "'a' and 'b' must be two record ids.");
    if (!verdict || (strcmp(verdict, "match") != 0 && strcmp(verdict, "non-match") != 0 &&
                     strcmp(verdict, "unsure") != 0))
        return serve_page_error(r, 400, "Bad request",
                                "'verdict' must be match, non-match or unsure.");
    if ((is && (rk_parse_i64(&i, is) != RK_OK || i < 0)) || !ss ||
        rk_parse_i64(&seen, ss) != RK_OK || seen < 0)
        return serve_page_error(r, 400, "Bad request", "'i' and 'seen' must be numbers.");
    if (note && strlen(note) > 2000)
        return serve_page_error(r, 400, "Bad request", "The note is longer than 2000 bytes.");
    if (a > bb) {
        int64_t t = a;
        a = bb;
        bb = t;
    }
    int rc = serve_current_run(r, &run);
    if (rc != RK_OK)
        return rc;
    rc = serve_decide(r, run, a, bb, verdict, note, seen, &id);
    int64_t last = 0;
    if (rc == RK_ECONFLICT && serve_last_decision(r, a, bb, &last) == RK_OK && last != seen) {
        /* Someone decided this pair since the page was loaded: show theirs, keep ours. */
        rk_buf_clear(&r->resp.body);
        r->resp.status = 409;
        rk_buf *b = &r->resp.body;
        rc = serve_page_begin(r, "Conflict: decided meanwhile", "queue");
        if (rc == RK_OK)
            rc = serve_html(
                b,
                "<div class=\"conflict\"><p>Another reviewer decided this pair after your "
                "page was loaded. Nothing of yours was written. Your verdict was <b>%s</b>"
                "; read theirs below, then decide again or go on.</p></div>",
                verdict);
        if (rc == RK_OK)
            rc = decisions_table(r, a, bb);
        if (rc == RK_OK)
            rc = serve_html(b, "<h2>Your decision</h2>");
        if (rc == RK_OK)
            rc = decide_form(r, a, bb, i, last, note);
        if (rc == RK_OK)
            rc =
                serve_html(b,
                           "<p><a href=\"/pair?a=%lld&amp;b=%lld\">the pair</a> \xc2\xb7 <a href=\""
                           "/next?i=%lld\">next pair</a></p>",
                           (long long)a, (long long)bb, (long long)i);
        if (rc == RK_OK)
            rc = serve_page_end(r);
        return rc;
    }
    if (rc != RK_OK)
        return rc;
    char loc[96];
    if (is)
        snprintf(loc, sizeof(loc), "/next?i=%lld", (long long)i);
    else
        snprintf(loc, sizeof(loc), "/pair?a=%lld&b=%lld", (long long)a, (long long)bb);
    return serve_page_redirect(r, loc);
}
