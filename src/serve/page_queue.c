/* The review queue: the current run's pairs stored with status 'review' (the uncertain band, and
 * those clustering kept apart, with why: the one definition `reckon link` counts), that nobody
 * has decided,
 * most useful first. Usefulness is the number of records whose person the decision can change
 * (the sizes of the two persons, or of the one person both records are in) times how
 * uncertain the model is (1 at probability 0.5, 0 at 0 or 1). Also /next?i=N, which opens the
 * Nth pair of the queue (what j, k and a decision lead to). */
#include "serve_private.h"

#define PAGE_SIZE 50

static const char queue_sql[] =
    "SELECT p.record_a, p.record_b, p.probability, "
    "p.weight, " RK_STORE_RECORD_NAME_SQL("ra") ", " RK_STORE_RECORD_NAME_SQL(
        "rb") ","
              " la.name, lb.name, impact, (1.0 - abs(2.0 * p.probability - 1.0)) * "
              "impact AS score,"
              " json_extract(p.refusal, '$.reason'), (SELECT record_key FROM record "
              "WHERE id ="
              " json_extract(p.refusal, '$.record_a')), (SELECT record_key FROM "
              "record WHERE id ="
              " json_extract(p.refusal, '$.record_b')), json_extract(p.refusal, "
              "'$.value')"
              " FROM (SELECT q.*, (SELECT count(*) FROM person x WHERE x.run_id = "
              "q.run_id AND"
              "   x.person_id = pa.person_id) + CASE WHEN pa.person_id = "
              "pb.person_id THEN 0 ELSE"
              "   (SELECT count(*) FROM person x WHERE x.run_id = q.run_id AND "
              "x.person_id ="
              "   pb.person_id) END AS impact"
              "  FROM pair q"
              "  LEFT JOIN person pa ON pa.run_id = q.run_id AND pa.record_id = "
              "q.record_a"
              "  LEFT JOIN person pb ON pb.run_id = q.run_id AND pb.record_id = "
              "q.record_b"
              "  WHERE q.run_id = ?1 AND q.status = 'review') p"
              " JOIN record ra ON ra.id = p.record_a JOIN record rb ON rb.id = "
              "p.record_b"
              " JOIN list la ON la.id = ra.list_id JOIN list lb ON lb.id = rb.list_id"
              " WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE"
              "  d.key_a = min(ra.record_key, rb.record_key) AND d.key_b = "
              "max(ra.record_key, rb.record_key))"
              " ORDER BY score DESC, p.record_a, p.record_b LIMIT ?2 OFFSET ?3";

static int queue_prepare(serve_req *r, int64_t run, int64_t limit, int64_t offset, sqlite3_stmt **s)
{
    int rc = serve_stmt(r, queue_sql, s);
    if (rc != RK_OK)
        return rc;
    sqlite3_bind_int64(*s, 1, run);
    sqlite3_bind_int64(*s, 2, limit);
    sqlite3_bind_int64(*s, 3, offset);
    return RK_OK;
}

/* Why a pair is in the queue: uncertain, or kept apart by clustering (the run's refusal:
 * its reason's sentence and the pair that blocked the join), columns 10 to 13 of queue_sql. */
static int why_here(rk_buf *b, sqlite3_stmt *s)
{
    const char *name = (const char *)sqlite3_column_text(s, 10);
    int reason = RK_REVIEW_UNCERTAIN;
    for (int k = RK_REVIEW_UNCERTAIN; name && k < RK_REVIEW_REASON_COUNT; k++)
        if (strcmp(name, rk_link_review_reason_name(k)) == 0)
            reason = k;
    int rc = serve_html(b, "<td class=\"why\">%s", rk_link_review_reason_sentence(reason));
    if (rc == RK_OK && reason != RK_REVIEW_UNCERTAIN && sqlite3_column_text(s, 11)) {
        double v = sqlite3_column_double(s, 13);
        if (reason == RK_REVIEW_REVIEWER || reason == RK_REVIEW_UNIQUE_LIST)
            rc = serve_html(b, " (%s and %s)", (const char *)sqlite3_column_text(s, 11),
                            (const char *)sqlite3_column_text(s, 12));
        else
            rc = serve_html(b, " (%s ~ %s scored %.4f)", (const char *)sqlite3_column_text(s, 11),
                            (const char *)sqlite3_column_text(s, 12), v);
    } else if (rc == RK_OK && reason == RK_REVIEW_WEAK_BRIDGE)
        rc = serve_html(b, " (mean %.3f)", sqlite3_column_double(s, 13));
    return rc ? rc : serve_html(b, "</td>");
}

static int no_run(serve_req *r, const char *title)
{
    int rc = serve_page_begin(r, title, "queue");
    if (rc == RK_OK)
        rc = serve_html(&r->resp.body, "<p>This project has no linkage yet: run <code>reckon link "
                                       "PROJECT</code>, then reload this page.</p>");
    if (rc == RK_OK)
        rc = serve_page_end(r);
    return rc;
}

int serve_page_queue(serve_req *r)
{
    int64_t run = 0, page = 0;
    int rc = serve_current_run(r, &run);
    if (rc != RK_OK)
        return rc;
    if (!run)
        return no_run(r, "Review queue");
    const char *pg = serve_param(&r->query, "page");
    if (pg && (rk_parse_i64(&page, pg) != RK_OK || page < 0 || page > 1000000))
        return serve_page_error(r, 400, "Bad request", "'page' must be a page number.");
    sqlite3_stmt *s = NULL;
    rk_buf *b = &r->resp.body;
    if ((rc = queue_prepare(r, run, PAGE_SIZE + 1, page * PAGE_SIZE, &s)) != RK_OK)
        return rc;
    rc = serve_page_begin(r, "Review queue", "queue");
    if (rc == RK_OK)
        rc = serve_html(
            b,
            "<p class=\"note\">Pairs of link run %lld the model could not decide, most useful "
            "first (records whose person the decision can change \xc3\x97 uncertainty). "
            "Keys: <kbd>j</kbd> opens the first pair.</p>\n"
            "<table class=\"queue\"><tr><th class=\"num\">#</th><th>Record</th>"
            "<th>Record</th><th class=\"num\">Probability</th><th class=\"num\">Weight</th>"
            "<th class=\"num\">Records affected</th><th>Why it is here</th></tr>\n",
            (long long)run);
    int step = SQLITE_DONE, rows = 0;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (rows == PAGE_SIZE)
            break;
        int64_t i = page * PAGE_SIZE + rows;
        int64_t a = sqlite3_column_int64(s, 0), bb = sqlite3_column_int64(s, 1);
        rc = serve_html(
            b, "<tr><td class=\"num\">%lld</td><td><a href=\"/pair?a=%lld&amp;b=%lld&amp;i=%lld\"",
            (long long)(i + 1), (long long)a, (long long)bb, (long long)i);
        if (rc == RK_OK && rows == 0)
            rc = serve_html_raw(b, " rel=\"next\"");
        if (rc == RK_OK)
            rc = serve_html(
                b,
                ">%s</a> <span class=\"note\">(%s)</span></td><td>%s <span class=\"note\">(%s)"
                "</span></td><td class=\"num\">%.2f</td><td class=\"num\">%.2f</td>"
                "<td class=\"num\">%lld</td>",
                (const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 6),
                (const char *)sqlite3_column_text(s, 5), (const char *)sqlite3_column_text(s, 7),
                sqlite3_column_double(s, 2), sqlite3_column_double(s, 3),
                (long long)sqlite3_column_int64(s, 8));
        if (rc == RK_OK)
            rc = why_here(b, s);
        if (rc == RK_OK)
            rc = serve_html(b, "</tr>\n");
        rows++;
    }
    if (rc == RK_OK && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = serve_sqlerr(r);
    if (rc == RK_OK && rows == 0 && page == 0)
        rc = serve_html(b, "<tr><td colspan=\"7\">Nothing to review: every uncertain pair is "
                           "decided.</td></tr>");
    if (rc == RK_OK)
        rc = serve_html(b, "</table><p class=\"pager\">");
    if (rc == RK_OK && page > 0)
        rc = serve_html(b, "<a href=\"/queue?page=%lld\">previous page</a>", (long long)(page - 1));
    if (rc == RK_OK && step == SQLITE_ROW)
        rc = serve_html(b, "<a href=\"/queue?page=%lld\">next page</a>", (long long)(page + 1));
    if (rc == RK_OK)
        rc = serve_html(b, "</p>");
    if (rc == RK_OK)
        rc = serve_page_end(r);
    serve_stmt_done(r, s);
    return rc;
}

int serve_page_next(serve_req *r)
{
    int64_t run = 0, i = 0;
    const char *is = serve_param(&r->query, "i");
    if (!is || rk_parse_i64(&i, is) != RK_OK || i < -1 || i > 100000000)
        return serve_page_error(r, 400, "Bad request", "'i' must be a position in the queue.");
    if (i < 0)
        i = 0;
    int rc = serve_current_run(r, &run);
    if (rc != RK_OK)
        return rc;
    if (!run)
        return no_run(r, "Review queue");
    sqlite3_stmt *s = NULL;
    if ((rc = queue_prepare(r, run, 1, i, &s)) != RK_OK)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        char loc[128];
        snprintf(loc, sizeof(loc), "/pair?a=%lld&b=%lld&i=%lld",
                 (long long)sqlite3_column_int64(s, 0), (long long)sqlite3_column_int64(s, 1),
                 (long long)i);
        rc = serve_page_redirect(r, loc);
    } else if (step == SQLITE_DONE) {
        rc = serve_page_redirect(r, "/queue");
    } else {
        rc = serve_sqlerr(r);
    }
    serve_stmt_done(r, s);
    return rc;
}
