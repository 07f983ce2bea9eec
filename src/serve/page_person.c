/* The person view: every record of one person of the current run, with its list, row, line
 * and file; the pairs that join them; a form to split a record off and one to merge with
 * another person. Both forms record decisions (see decide.c), so that they are audited,
 * take effect at once and survive the next linkage as labels. */
#include "serve_private.h"

#define MAX_SHOWN 500

/* Prepares the query `sql` of the rows of a person: ?1 the run, ?2 the person, ?3 MAX_SHOWN. */
static int person_stmt(sqlite3_stmt **out, serve_req *r, const char *sql, int64_t run,
                       int64_t person)
{
    int rc = serve_stmt(r, sql, out);
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_int64(*out, 1, run);
    sqlite3_bind_int64(*out, 2, person);
    sqlite3_bind_int(*out, 3, MAX_SHOWN);
    return RK_OK;
}

static int person_records(serve_req *r, int64_t run, int64_t person, int *nrec)
{
    rk_buf *b = &r->resp.body;
    sqlite3_stmt *s = NULL;
    *nrec = 0;
    int rc =
        person_stmt(&s, r,
                    "SELECT r.id, r.record_key, " RK_STORE_RECORD_NAME_SQL(
                        "r") ", l.name,"
                             " r.row_number, r.line, " RK_STORE_RECORD_SOURCE_SQL ", r.birth_date,"
                             " r.place"
                             " FROM person p JOIN record r ON r.id = p.record_id"
                             " JOIN list l ON l.id = r.list_id JOIN import i ON i.id = r.import_id"
                             " WHERE p.run_id = ?1 AND p.person_id = ?2 ORDER BY r.id LIMIT ?3",
                    run, person);
    if (rc != RK_OK)
        return rc;
    rc = serve_html(b, "<table class=\"records\"><tr><th>Record</th><th>Name</th><th>List</th>"
                       "<th class=\"num\">Row</th><th class=\"num\">Line</th><th>Source</th>"
                       "<th>Born</th><th>Place</th><th></th></tr>\n");
    int step;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        (*nrec)++;
        rc = serve_html(
            b,
            "<tr class=\"member\"><td>%s</td><td>%s</td><td>%s</td><td class=\"num\">%lld</td>"
            "<td class=\"num\">%lld</td><td>%s</td><td>%s</td><td>%s</td><td>",
            (const char *)sqlite3_column_text(s, 1), (const char *)sqlite3_column_text(s, 2),
            (const char *)sqlite3_column_text(s, 3), (long long)sqlite3_column_int64(s, 4),
            (long long)sqlite3_column_int64(s, 5), (const char *)sqlite3_column_text(s, 6),
            (const char *)sqlite3_column_text(s, 7), (const char *)sqlite3_column_text(s, 8));
        if (rc == RK_OK)
            rc = serve_html(b, "<form method=\"post\" action=\"/split\">");
        if (rc == RK_OK)
            rc = serve_form_csrf(r);
        if (rc == RK_OK)
            rc = serve_html(b,
                            "<input type=\"hidden\" name=\"record\" value=\"%lld\">"
                            "<button class=\"split\" data-record=\"%lld\">Split off</button></form>"
                            "</td></tr>\n",
                            (long long)id, (long long)id);
    }
    if (rc == RK_OK)
        rc = serve_html(b, "</table>");
    serve_stmt_done(r, s);
    return rc;
}

static int person_pairs(serve_req *r, int64_t run, int64_t person)
{
    rk_buf *b = &r->resp.body;
    sqlite3_stmt *s = NULL;
    int rc = person_stmt(&s, r,
                         "SELECT q.record_a, q.record_b, q.probability, q.weight, q.status FROM"
                         " pair q WHERE q.run_id = ?1 AND q.record_a IN (SELECT record_id FROM"
                         " person WHERE run_id = ?1 AND person_id = ?2) AND q.record_b IN"
                         " (SELECT record_id FROM person WHERE run_id = ?1 AND person_id = ?2)"
                         " ORDER BY q.record_a, q.record_b LIMIT ?3",
                         run, person);
    if (rc != RK_OK)
        return rc;
    rc = serve_html(b, "<h2>Pairs within</h2><table><tr><th>Pair</th><th class=\"num\">"
                       "Probability</th><th class=\"num\">Weight</th><th>Status</th></tr>");
    while (rc == RK_OK && sqlite3_step(s) == SQLITE_ROW) {
        int64_t a = sqlite3_column_int64(s, 0), bb = sqlite3_column_int64(s, 1);
        rc = serve_html(
            b,
            "<tr><td><a href=\"/pair?a=%lld&amp;b=%lld\">%lld \xe2\x80\x93 %lld</a></td>"
            "<td class=\"num\">%.2f</td><td class=\"num\">%.2f</td><td>%s</td></tr>",
            (long long)a, (long long)bb, (long long)a, (long long)bb, sqlite3_column_double(s, 2),
            sqlite3_column_double(s, 3), (const char *)sqlite3_column_text(s, 4));
    }
    if (rc == RK_OK)
        rc = serve_html(b, "</table>");
    serve_stmt_done(r, s);
    return rc;
}

int serve_page_person(serve_req *r)
{
    int64_t person, run = 0;
    if (!serve_param_id(&r->query, "id", &person))
        return serve_page_error(r, 400, "Bad request", "'id' must be a person id.");
    int rc = serve_current_run(r, &run);
    if (rc != RK_OK)
        return rc;
    rk_buf *b = &r->resp.body;
    char title[64];
    snprintf(title, sizeof(title), "Person %lld", (long long)person);
    int n = 0;
    rc = serve_page_begin(r, title, NULL);
    if (rc == RK_OK)
        rc = serve_html(b,
                        "<p class=\"note\">Link run %lld. A person's id is the smallest id of its "
                        "records.</p>",
                        (long long)run);
    if (rc == RK_OK)
        rc = person_records(r, run, person, &n);
    if (rc != RK_OK)
        return rc;
    if (n == 0)
        return serve_page_error(r, 404, "No such person",
                                "No person of the current link run has this id.");
    rc = person_pairs(r, run, person);
    if (rc == RK_OK)
        rc = serve_html(b, "<h2>Merge</h2><form method=\"post\" action=\"/merge\">");
    if (rc == RK_OK)
        rc = serve_form_csrf(r);
    if (rc == RK_OK)
        rc =
            serve_html(b,
                       "<input type=\"hidden\" name=\"person\" value=\"%lld\">"
                       "<label>with person <input type=\"text\" name=\"other\" size=\"8\"></label> "
                       "<label>note <input type=\"text\" name=\"note\" size=\"30\"></label> "
                       "<button>Merge</button></form>",
                       (long long)person);
    if (rc == RK_OK)
        rc = serve_page_end(r);
    return rc;
}

static int person_of(serve_req *r, int64_t run, int64_t record, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    *out = 0;
    int rc = serve_stmt(r, "SELECT person_id FROM person WHERE run_id = ? AND record_id = ?", &s);
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_int64(s, 1, run);
    sqlite3_bind_int64(s, 2, record);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else if (step != SQLITE_DONE)
        rc = serve_sqlerr(r);
    serve_stmt_done(r, s);
    return rc;
}

int serve_page_split(serve_req *r)
{
    int64_t record, run = 0, person = 0, after = 0;
    if (!serve_param_id(&r->form, "record", &record))
        return serve_page_error(r, 400, "Bad request", "'record' must be a record id.");
    int rc = serve_current_run(r, &run);
    if (rc == RK_OK)
        rc = person_of(r, run, record, &person);
    if (rc != RK_OK)
        return rc;
    if (!run || !person)
        return serve_page_error(r, 404, "No such record", "The record has no person in this run.");
    const char *note = serve_param(&r->form, "note");
    if ((rc = serve_split(r, run, record, note ? note : "split off its person")) != RK_OK)
        return rc;
    if ((rc = person_of(r, run, person, &after)) != RK_OK)
        return rc;
    char loc[64];
    snprintf(loc, sizeof(loc), "/person?id=%lld", (long long)(after ? after : record));
    return serve_page_redirect(r, loc);
}

int serve_page_merge(serve_req *r)
{
    int64_t person, other, run = 0, pa = 0, pb = 0;
    if (!serve_param_id(&r->form, "person", &person) || !serve_param_id(&r->form, "other", &other))
        return serve_page_error(r, 400, "Bad request", "'person' and 'other' must be person ids.");
    int rc = serve_current_run(r, &run);
    if (rc == RK_OK)
        rc = person_of(r, run, person, &pa);
    if (rc == RK_OK)
        rc = person_of(r, run, other, &pb);
    if (rc != RK_OK)
        return rc;
    if (pa != person || pb != other)
        return serve_page_error(r, 404, "No such person",
                                "Both must be person ids of the current link run.");
    if (person == other)
        return serve_page_error(r, 400, "Bad request", "A person cannot be merged with itself.");
    const char *note = serve_param(&r->form, "note");
    if ((rc = serve_merge(r, run, person, other, note)) != RK_OK)
        return rc;
    char loc[64];
    snprintf(loc, sizeof(loc), "/person?id=%lld", (long long)RK_MIN(person, other));
    return serve_page_redirect(r, loc);
}
