/* Search by name in any script. Each record's names are folded to lowercase Latin ASCII by ICU
 * (Any-Latin, then Latin-ASCII; schwa to "a"), kept in the FTS5 table name_search (schema 3),
 * and a query is folded the same way, so "Mamedov" finds "Мамедов". The table's `keys` column
 * is searched too: the standardization module fills it with its name keys (which also join
 * spelling variants such as Məmmədov and Mamedov). */
#include "serve_private.h"

#include <unicode/ustring.h>
#include <unicode/utrans.h>

#define FOLD_RULES     u"::NFC; ::Any-Latin; [əƏ] > a; ::Latin-ASCII; ::Lower;"
#define MAX_NAME_UNITS 1024
#define MAX_RESULTS    100

int serve_translit_open(void **out)
{
    UErrorCode err = U_ZERO_ERROR;
    UParseError perr;
    UTransliterator *t =
        utrans_openU(u"reckon-fold", -1, UTRANS_FORWARD, FOLD_RULES, -1, &perr, &err);
    if (U_FAILURE(err)) {
        *out = NULL;
        return RK_EINTERNAL;
    }
    *out = t;
    return RK_OK;
}

void serve_translit_close(void *t)
{
    if (t)
        utrans_close(t);
}

/* Folds a name to lowercase Latin ASCII into b. */
static int serve_fold(void *translit, const char *s, rk_buf *b)
{
    UChar buf[MAX_NAME_UNITS * 4];
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = 0;
    u_strFromUTF8Lenient(buf, MAX_NAME_UNITS, &len, s, -1, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR || err == U_STRING_NOT_TERMINATED_WARNING) {
        /* A name longer than the cap is folded up to the cap. */
        err = U_ZERO_ERROR;
        len = MAX_NAME_UNITS;
    }
    if (U_FAILURE(err))
        return RK_EINPUT;
    int32_t limit = len;
    utrans_transUChars(translit, buf, &len, (int32_t)RK_ARRAY_LEN(buf), 0, &limit, &err);
    if (U_FAILURE(err))
        return RK_EINPUT;
    char out[MAX_NAME_UNITS * 16];
    int32_t olen = 0;
    err = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)sizeof(out), &olen, buf, len, &err);
    if (U_FAILURE(err))
        return RK_EINPUT;
    return rk_buf_append(b, out, (size_t)olen);
}

/* The records not yet indexed: id, their name fields, and the standardized sound keys (and
 * alternatives) of their name tokens. */
static const char index_sql[] =
    "SELECT id, trim(coalesce(full_name, '') || ' ' || coalesce(given_name, '') || ' ' ||"
    " coalesce(family_name, '') || ' ' || coalesce(second_family_name, '') || ' ' ||"
    " coalesce(patronymic, '')), " RK_STORE_NAME_KEYS_SQL " FROM record"
    " WHERE id > (SELECT coalesce(max(rowid), 0) FROM name_search) ORDER BY id";

int serve_search_index_update(serve_worker *w)
{
    rk_store *st = w->st;
    sqlite3_stmt *q = NULL, *ins = NULL;
    rk_buf folded;
    rk_buf_init(&folded);
    bool open = false;
    int rc = serve_worker_stmt(w, index_sql, &q);
    if (rc == RK_OK)
        rc = serve_worker_stmt(
            w, "INSERT INTO name_search(rowid, names, folded, keys) VALUES (?, ?, ?, ?)", &ins);
    if (rc != RK_OK) {
        rc = rk_store__sqlerr(st, "cannot index names");
        goto cleanup;
    }
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (!open) {
            /* Begin only when there is something to index: a read-mostly start stays cheap. */
            sqlite3_reset(q);
            if ((rc = rk_store_begin(st)) != RK_OK)
                goto cleanup;
            open = true;
            continue;
        }
        const char *names = (const char *)sqlite3_column_text(q, 1);
        rk_buf_clear(&folded);
        if (serve_fold(w->translit, names ? names : "", &folded) != RK_OK)
            rk_buf_clear(&folded); /* unfoldable text is still found by its own letters */
        sqlite3_bind_int64(ins, 1, sqlite3_column_int64(q, 0));
        sqlite3_bind_text(ins, 2, names ? names : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, rk_buf_cstr(&folded), (int)folded.len, SQLITE_STATIC);
        const char *keys = (const char *)sqlite3_column_text(q, 2);
        sqlite3_bind_text(ins, 4, keys ? keys : "", -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            rc = rk_store__sqlerr(st, "cannot index names");
            goto cleanup;
        }
        sqlite3_reset(ins);
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot index names");
        goto cleanup;
    }
    if (open) {
        serve_worker_stmt_done(w, q);
        q = NULL;
        rc = rk_store_commit(st);
        open = false;
    }
cleanup:
    serve_worker_stmt_done(w, q);
    serve_worker_stmt_done(w, ins);
    if (open)
        rk_store_rollback(st);
    rk_buf_release(&folded);
    return rc;
}

/* The FTS5 query for a folded text: every token, as a prefix, in the folded names or the keys. */
static int fts_query(const char *folded, rk_buf *out)
{
    int rc = rk_buf_puts(out, "{folded keys} : (");
    int n = 0;
    for (const char *p = folded; *p && rc == RK_OK;) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            p++;
        const char *start = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            p++;
        if (p == start || n == 8)
            continue;
        rc = rk_buf_printf(out, "%s\"%.*s\"*", n ? " AND " : "", (int)(p - start), start);
        n++;
    }
    if (rc == RK_OK)
        rc = rk_buf_putc(out, ')');
    return rc == RK_OK ? (n ? 1 : 0) : rc;
}

int serve_page_search(serve_req *r)
{
    const char *q = serve_param(&r->query, "q");
    rk_buf *b = &r->resp.body;
    rk_buf folded, fq;
    rk_buf_init(&folded);
    rk_buf_init(&fq);
    sqlite3_stmt *s = NULL;
    int64_t run = 0;
    int rc = serve_current_run(r, &run);
    if (rc == RK_OK)
        rc = serve_search_index_update(r->w);
    if (rc == RK_OK)
        rc = serve_page_begin(r, "Search by name", "search");
    if (rc == RK_OK)
        rc = serve_html(b,
                        "<form method=\"get\" action=\"/search\"><input type=\"search\" name=\"q\" "
                        "value=\"%s\" autofocus placeholder=\"a name in any script\"> "
                        "<button>Search</button></form>\n",
                        q ? q : "");
    if (rc != RK_OK || !q || !*q)
        goto done;
    if (serve_fold(r->w->translit, q, &folded) != RK_OK) {
        rc = serve_page_error(r, 400, "Bad request", "The search text cannot be read.");
        goto cleanup;
    }
    int have = fts_query(rk_buf_cstr(&folded), &fq);
    if (have < 0) {
        rc = have;
        goto cleanup;
    }
    /* Or the query's sound keys among the records' keys: "Mamedov" meets "Məmmədov". */
    rk_name qn;
    if (have > 0 && rk_text_name_parse(&qn, r->w->text, q) == RK_OK && qn.ntokens) {
        int n = 0;
        rc = rk_buf_puts(&fq, " OR (keys : (");
        for (size_t i = 0; i < qn.ntokens && rc == RK_OK; i++) {
            const char *k = qn.tokens[i].k.key;
            if (!k || !*k || strchr(k, '"'))
                continue;
            rc = rk_buf_printf(&fq, "%s\"%s\"", n ? " AND " : "", k);
            n++;
        }
        if (rc == RK_OK)
            rc = rk_buf_puts(&fq, n ? "))" : "\"\"))");
        if (rc != RK_OK)
            goto cleanup;
        rk_error_clear(&r->w->ctx);
    }
    if (have == 0) {
        rc = serve_html(b, "<p>Give a name with letters or digits.</p>");
        goto done;
    }
    if ((rc = serve_stmt(r,
                         "SELECT r.id, r.full_name, n.names, l.name, r.row_number, i.file_name,"
                         " p.person_id FROM name_search n JOIN record r ON r.id = n.rowid"
                         " JOIN list l ON l.id = r.list_id JOIN import i ON i.id = r.import_id"
                         " LEFT JOIN person p ON p.run_id = ?2 AND p.record_id = r.id"
                         " WHERE name_search MATCH ?1 AND i.superseded_by IS NULL"
                         " ORDER BY n.rank, r.id LIMIT ?3",
                         &s)) != RK_OK)
        goto cleanup;
    sqlite3_bind_text(s, 1, rk_buf_cstr(&fq), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, run);
    sqlite3_bind_int(s, 3, MAX_RESULTS + 1);
    rc = serve_html(b,
                    "<p class=\"note\">Searched for <b>%s</b> (folded: %s) in every script.</p>"
                    "<table><tr><th>Name</th><th>List</th><th>Row</th><th>File</th><th>Person</th>"
                    "</tr>\n",
                    q, rk_buf_cstr(&folded));
    int step, rows = 0;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (++rows > MAX_RESULTS) {
            rc =
                serve_html(b, "<tr><td colspan=\"5\">more than %d: give more of the name</td></tr>",
                           MAX_RESULTS);
            break;
        }
        const char *full = (const char *)sqlite3_column_text(s, 1);
        const char *names = (const char *)sqlite3_column_text(s, 2);
        rc = serve_html(
            b, "<tr class=\"hit\"><td>%s</td><td>%s</td><td class=\"num\">%lld</td><td>%s</td>",
            full ? full : names, (const char *)sqlite3_column_text(s, 3),
            (long long)sqlite3_column_int64(s, 4), (const char *)sqlite3_column_text(s, 5));
        if (rc == RK_OK && sqlite3_column_type(s, 6) != SQLITE_NULL)
            rc = serve_html(b, "<td><a href=\"/person?id=%lld\">person %lld</a></td></tr>\n",
                            (long long)sqlite3_column_int64(s, 6),
                            (long long)sqlite3_column_int64(s, 6));
        else if (rc == RK_OK)
            rc = serve_html(b, "<td>not linked</td></tr>\n");
    }
    if (rc == RK_OK && rows == 0)
        rc = serve_html(b, "<tr><td colspan=\"5\">no record has that name</td></tr>");
    if (rc == RK_OK)
        rc = serve_html(b, "</table>");
done:
    if (rc == RK_OK)
        rc = serve_page_end(r);
cleanup:
    serve_stmt_done(r, s);
    rk_buf_release(&folded);
    rk_buf_release(&fq);
    return rc;
}
