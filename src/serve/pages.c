/* The review app's smaller pages: logging in with a one-time token, giving a reviewer name,
 * logging out, inviting another reviewer, the home page, the lists, the estimates and the
 * report summary. */
#include "serve_private.h"

#define COOKIE_ATTRS "; HttpOnly; SameSite=Strict; Path=/"

int serve_page_login(serve_req *r)
{
    const char *token = serve_param(&r->query, "token");
    serve_session sess = {0};
    int rc = serve_login(r->srv->sessions, token, &sess);
    if (rc == RK_ECONFLICT) {
        r->resp.retry_after = 60;
        return serve_page_error(
            r, 429, "Too many attempts",
            "Too many wrong login links this minute; wait a minute, then use the "
            "link that 'reckon serve' printed.");
    }
    if (rc == RK_ENOTFOUND)
        return serve_page_error(r, 403, "Login refused",
                                "This login link is wrong or was used already. Each link logs in "
                                "once; restart 'reckon serve' or ask a logged-in reviewer for an "
                                "invitation link.");
    if (rc != RK_OK)
        return rc;
    snprintf(r->resp.cookie, sizeof(r->resp.cookie), "rk_session=%s" COOKIE_ATTRS, sess.id);
    memset(&sess, 0, sizeof(sess));
    return serve_page_redirect(r, "/name");
}

int serve_page_name(serve_req *r)
{
    rk_buf *b = &r->resp.body;
    if (r->post) {
        const char *name = serve_param(&r->form, "name");
        size_t n = name ? strlen(name) : 0;
        while (n && name[n - 1] == ' ')
            n--;
        while (n && *name == ' ') {
            name++;
            n--;
        }
        if (n == 0 || n > SERVE_NAME_MAX || strpbrk(name, "\t\r\n"))
            return serve_page_error(r, 400, "Bad name",
                                    "Give your name: 1 to 80 characters on one line.");
        char clean[SERVE_NAME_MAX + 1];
        snprintf(clean, sizeof(clean), "%.*s", (int)n, name);
        if (serve_session_set_name(r->srv->sessions, r->sess.id, clean) != RK_OK)
            return serve_page_error(r, 403, "Not logged in",
                                    "The session has ended; log in again.");
        return serve_page_redirect(r, "/queue");
    }
    int rc = serve_page_begin(r, "Who is reviewing?", NULL);
    if (rc == RK_OK)
        rc = serve_html(b,
                        "<p>Decisions are recorded with your name, the time and your note, in the "
                        "project's audit log.</p><form method=\"post\" action=\"/name\">");
    if (rc == RK_OK)
        rc = serve_form_csrf(r);
    if (rc == RK_OK)
        rc = serve_html(b,
                        "<label>Your name <input type=\"text\" name=\"name\" maxlength=\"80\" "
                        "value=\"%s\" autofocus required></label> <button>Continue</button></form>",
                        r->sess.name);
    if (rc == RK_OK)
        rc = serve_page_end(r);
    return rc;
}

int serve_page_logout(serve_req *r)
{
    serve_session_end(r->srv->sessions, r->sess.id);
    memset(&r->sess, 0, sizeof(r->sess));
    snprintf(r->resp.cookie, sizeof(r->resp.cookie), "rk_session=; Max-Age=0" COOKIE_ATTRS);
    int rc = serve_page_begin(r, "Logged out", NULL);
    if (rc == RK_OK)
        rc = serve_html(&r->resp.body, "<p>You are logged out. Log in again with a new link.</p>");
    if (rc == RK_OK)
        rc = serve_page_end(r);
    return rc;
}

int serve_page_invite(serve_req *r)
{
    char token[SERVE_TOKEN_HEX + 1];
    int rc = serve_token_mint(r->srv->sessions, token);
    if (rc != RK_OK)
        return rc;
    rc = serve_page_begin(r, "Invite a reviewer", NULL);
    if (rc == RK_OK)
        rc =
            serve_html(&r->resp.body,
                       "<p>Give this one-time link to the other reviewer (it works once, on this "
                       "machine):</p><p><code class=\"invite\">http://%s/login?token=%s</code></p>",
                       r->srv->host_ok[0], token);
    if (rc == RK_OK)
        rc = serve_page_end(r);
    memset(token, 0, sizeof(token));
    return rc;
}

/* One number from a query with an optional run id as ?1. */
static int count(serve_req *r, const char *sql, int64_t run, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    *out = 0;
    int rc = serve_stmt(r, sql, &s);
    if (rc != RK_OK)
        return rc;
    if (sqlite3_bind_parameter_count(s) > 0)
        sqlite3_bind_int64(s, 1, run);
    rc = sqlite3_step(s) == SQLITE_ROW ? RK_OK : serve_sqlerr(r);
    if (rc == RK_OK)
        *out = sqlite3_column_int64(s, 0);
    serve_stmt_done(r, s);
    return rc;
}

/* The notice shown when the persons are older than the records (rk_link_stale_notice). */
static int stale_notice(serve_req *r, const rk_link_documented *d)
{
    char notice[512];
    rk_link_stale_notice(notice, sizeof(notice), d);
    if (!notice[0])
        return RK_OK;
    return serve_html(&r->resp.body, "<p class=\"error\" id=\"persons-stale\">%s</p>", notice);
}

int serve_page_home(serve_req *r)
{
    int64_t lists = 0, decisions = 0, review = 0;
    rk_link_documented d = {0};
    int rc = rk_link_documented_count(&d, r->w->st);
    if (rc == RK_OK)
        rc = count(r, "SELECT count(*) FROM list", 0, &lists);
    if (rc == RK_OK)
        rc = count(r, "SELECT count(*) FROM decision", 0, &decisions);
    if (rc == RK_OK)
        rc = count(r, "SELECT count(*) FROM pair WHERE run_id = ?1 AND status = 'review'", d.run_id,
                   &review);
    if (rc == RK_OK)
        rc = serve_page_begin(r, "Project", NULL);
    if (rc == RK_OK)
        rc = serve_html(
            &r->resp.body,
            "<p><code>%s</code></p><table><tr><th>Lists</th><td class=\"num\">%lld</td></tr>"
            "<tr><th>Records</th><td class=\"num\">%lld</td></tr>"
            "<tr><th>Link run</th><td class=\"num\">%lld</td></tr>"
            "<tr><th>Persons</th><td class=\"num\">%lld</td></tr>"
            "<tr><th>Pairs sent to review</th><td class=\"num\">%lld</td></tr>"
            "<tr><th>Decisions</th><td class=\"num\">%lld</td></tr></table>",
            rk_store_path(r->w->st), (long long)lists, (long long)d.records, (long long)d.run_id,
            (long long)d.persons, (long long)review, (long long)decisions);
    if (rc == RK_OK)
        rc = stale_notice(r, &d);
    if (rc == RK_OK)
        rc = serve_html(&r->resp.body, "<p><a href=\"/queue\">Open the review queue</a></p>"
                                       "<form method=\"post\" action=\"/invite\">");
    if (rc == RK_OK)
        rc = serve_form_csrf(r);
    if (rc == RK_OK)
        rc = serve_html(&r->resp.body, "<button>Invite another reviewer</button></form>");
    if (rc == RK_OK)
        rc = serve_page_end(r);
    return rc;
}

int serve_page_lists(serve_req *r)
{
    rk_buf *b = &r->resp.body;
    sqlite3_stmt *s = NULL;
    int rc = serve_stmt(r,
                        "SELECT l.name, l.description, l.keeper, l.citation, l.language,"
                        " (SELECT count(*) FROM current_record c WHERE c.list_id = l.id),"
                        " (SELECT group_concat(file_name || ' (' || rows || ' rows, sha256 '"
                        "  || substr(file_sha256, 1, 12) || ')', '; ') FROM import i"
                        "  WHERE i.list_id = l.id AND i.superseded_by IS NULL)"
                        " FROM list l ORDER BY l.id",
                        &s);
    if (rc != RK_OK)
        return rc;
    rc = serve_page_begin(r, "Lists", "lists");
    if (rc == RK_OK)
        rc = serve_html(b, "<table><tr><th>List</th><th>Description</th><th>Kept by</th>"
                           "<th>Language</th><th class=\"num\">Records</th><th>Files</th></tr>\n");
    while (rc == RK_OK && sqlite3_step(s) == SQLITE_ROW)
        rc = serve_html(
            b,
            "<tr class=\"list\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
            "<td class=\"num\">%lld</td><td>%s</td></tr>\n",
            (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
            (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 4),
            (long long)sqlite3_column_int64(s, 5), (const char *)sqlite3_column_text(s, 6));
    if (rc == RK_OK)
        rc = serve_html(b, "</table>");
    if (rc == RK_OK)
        rc = serve_page_end(r);
    serve_stmt_done(r, s);
    return rc;
}

static int estimates_table(serve_req *r, const char *where, int limit)
{
    rk_buf *b = &r->resp.body;
    sqlite3_stmt *s = NULL;
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "SELECT id, time, method, model, " RK_ESTIMATE_STRATUM_LABEL_SQL
             ", lists, observed, estimate, lower, upper, status, reason FROM estimate %s ORDER BY"
             " id DESC LIMIT %d",
             where, limit);
    int rc = serve_stmt(r, sql, &s);
    if (rc != RK_OK)
        return rc;
    rc =
        serve_html(b, "<table><tr><th>#</th><th>Time</th><th>Method</th><th>Stratum</th>"
                      "<th>Lists</th><th class=\"num\">Observed</th><th class=\"num\">Estimate</th>"
                      "<th class=\"num\">Interval</th><th>Status</th></tr>\n");
    int rows = 0;
    while (rc == RK_OK && sqlite3_step(s) == SQLITE_ROW) {
        rows++;
        rc = serve_html(
            b,
            "<tr class=\"estimate\"><td>%lld</td><td>%s</td><td>%s %s</td><td>%s</td>"
            "<td>%s</td><td class=\"num\">%lld</td>",
            (long long)sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
            (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
            sqlite3_column_type(s, 4) == SQLITE_NULL ? "all"
                                                     : (const char *)sqlite3_column_text(s, 4),
            (const char *)sqlite3_column_text(s, 5), (long long)sqlite3_column_int64(s, 6));
        if (rc == RK_OK && sqlite3_column_type(s, 7) != SQLITE_NULL)
            rc = serve_html(
                b, "<td class=\"num\">%lld</td><td class=\"num\">%lld\xe2\x80\x93%lld</td>",
                (long long)(sqlite3_column_double(s, 7) + 0.5),
                (long long)(sqlite3_column_double(s, 8) + 0.5),
                (long long)(sqlite3_column_double(s, 9) + 0.5));
        else if (rc == RK_OK)
            rc = serve_html(b, "<td></td><td></td>");
        if (rc == RK_OK)
            rc = serve_html(b, "<td>%s %s</td></tr>\n", (const char *)sqlite3_column_text(s, 10),
                            (const char *)sqlite3_column_text(s, 11));
    }
    if (rc == RK_OK && rows == 0)
        rc = serve_html(b, "<tr><td colspan=\"9\">No estimates yet: run <code>reckon estimate "
                           "PROJECT</code>.</td></tr>");
    if (rc == RK_OK)
        rc = serve_html(b, "</table>");
    serve_stmt_done(r, s);
    return rc;
}

int serve_page_estimates(serve_req *r)
{
    int rc = serve_page_begin(r, "Estimates", "estimates");
    if (rc == RK_OK)
        rc = estimates_table(r, "", 200);
    if (rc == RK_OK)
        rc = serve_page_end(r);
    return rc;
}

int serve_page_report(serve_req *r)
{
    int64_t decisions = 0;
    rk_link_documented d = {0};
    int rc = rk_link_documented_count(&d, r->w->st);
    if (rc == RK_OK)
        rc = count(r, "SELECT count(*) FROM decision", 0, &decisions);
    if (rc == RK_OK)
        rc = serve_page_begin(r, "Report", "report");
    if (rc == RK_OK)
        rc = serve_html(
            &r->resp.body,
            "<p>%lld records document <b>%lld persons</b> (link run %lld, with %lld reviewers' "
            "decisions).</p>",
            (long long)d.records, (long long)d.persons, (long long)d.run_id, (long long)decisions);
    if (rc == RK_OK)
        rc = stale_notice(r, &d);
    if (rc == RK_OK)
        rc = serve_html(&r->resp.body, "<p>The latest estimates of the total:</p>");
    if (rc == RK_OK)
        rc = estimates_table(r, "WHERE stratum IS NULL", 10);
    if (rc == RK_OK)
        rc = serve_html(
            &r->resp.body,
            "<p>The full report (one self-contained HTML file, with JSON and CSV) is made "
            "by <code>reckon report %s</code>.</p>",
            rk_store_path(r->w->st));
    if (rc == RK_OK)
        rc = serve_page_end(r);
    return rc;
}
