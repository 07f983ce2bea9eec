/* The figures every reader of a project shows: how many records it documents, how many
 * persons they make in the latest link run, and whether those persons are older than the
 * records. The report, the review app and the command line all call this; nothing else
 * counts them. */
#include "common.h"
#include "store/store_internal.h"

#include <sqlite3.h>

int rk_link_documented_count(rk_link_documented *out, rk_store *st)
{
    RK_ASSERT_ARG(rk_store_ctx(st), out);
    memset(out, 0, sizeof(*out));
    /* One statement, so one snapshot: the view documented_person (schema 5) is the definition
     * of a documented person. */
    static const char sql[] =
        "SELECT coalesce((SELECT max(id) FROM link_run), 0), count(*),"
        " count(DISTINCT person_id), coalesce(sum(NOT linked), 0),"
        " (SELECT count(*) FROM person p WHERE p.run_id = (SELECT max(id) FROM link_run)"
        "  AND NOT EXISTS (SELECT 1 FROM current_record c WHERE c.id = p.record_id))"
        " FROM documented_person";
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare(&s, st, sql, "cannot count documented persons");
    if (rc != RK_OK)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW) {
        out->run_id = sqlite3_column_int64(s, 0);
        out->records = sqlite3_column_int64(s, 1);
        out->persons = sqlite3_column_int64(s, 2);
        out->unlinked = sqlite3_column_int64(s, 3);
        out->superseded = sqlite3_column_int64(s, 4);
    } else {
        rc = rk_store__sqlerr(st, "cannot count documented persons");
    }
    sqlite3_finalize(s);
    return rc;
}

bool rk_link_persons_stale(const rk_link_documented *d)
{
    return d && d->run_id && (d->unlinked > 0 || d->superseded > 0);
}

void rk_link_stale_notice(char *out, size_t outsz, const rk_link_documented *d)
{
    if (!out || outsz == 0)
        return;
    out[0] = '\0';
    if (!rk_link_persons_stale(d))
        return;
    snprintf(out, outsz,
             "The persons are older than the records: since link run %lld, %lld records were "
             "imported (each counted as a person of its own) and %lld of its records were "
             "superseded (no longer counted). Run 'reckon link' to count the persons afresh.",
             (long long)d->run_id, (long long)d->unlinked, (long long)d->superseded);
}
