/* Exports of a link run: `persons` (every record with its person and the person's best
 * fields) and `pairs` (both record keys, weight, probability, status and each field's
 * comparison level by name). Stream row by row from the latest run. */
#include "report_private.h"

static const report_column person_columns[] = {
    {"record_key", false},  {"person_id", true}, {"list", false},     {"person_records", true},
    {"person_lists", true}, {"name", false},     {"sex", false},      {"birth", false},
    {"place", false},       {"region", false},   {"violation", false}};

int rk_export_persons(FILE *out, rk_store *st, rk_format fmt)
{
    rk_ctx *ctx = rk_store_ctx(st);
    int64_t run_id;
    int rc = rk_link_latest_run(&run_id, st);
    if (rc != RK_OK)
        return rc;
    /* The person's best fields come from its most complete record (ties: smallest id). */
    static const char sql[] =
        "WITH rec AS (SELECT p.person_id, r.id, r.record_key, l.name AS list,"
        "  coalesce(r.full_name, trim(coalesce(r.given_name, '') || ' ' ||"
        "  coalesce(r.patronymic, '') || ' ' || coalesce(r.family_name, '') || ' ' ||"
        "  coalesce(r.second_family_name, ''))) AS name,"
        "  coalesce(json_extract(r.std, '$.sex'), r.sex) AS sex,"
        "  coalesce(r.birth_date, CAST(r.birth_year AS TEXT)) AS birth, r.place, r.region,"
        "  r.violation,"
        "  (r.full_name IS NOT NULL) + (r.given_name IS NOT NULL) + (r.family_name IS NOT NULL)"
        "  + (r.birth_date IS NOT NULL) + (r.sex IS NOT NULL) + (r.place IS NOT NULL) AS score"
        "  FROM person p JOIN record r ON r.id = p.record_id JOIN list l ON l.id = r.list_id"
        "  WHERE p.run_id = ?1),"
        " best AS (SELECT person_id, name, sex, birth, place, region, violation,"
        "  row_number() OVER (PARTITION BY person_id ORDER BY score DESC, id) AS k FROM rec),"
        " size AS (SELECT person_id, count(*) AS n, count(DISTINCT list) AS nl FROM rec"
        "  GROUP BY person_id)"
        " SELECT rec.record_key, rec.person_id, rec.list, size.n, size.nl, best.name, best.sex,"
        "  best.birth, best.place, best.region, best.violation FROM rec JOIN best ON"
        "  best.person_id = rec.person_id AND best.k = 1 JOIN size ON size.person_id ="
        "  rec.person_id ORDER BY rec.person_id, rec.id";
    sqlite3_stmt *s = NULL;
    if ((rc = rk_store__prepare_int64(&s, st, sql, run_id, "cannot read persons")) != RK_OK)
        return rc;
    report_table w = {.fmt = fmt,
                      .out = out,
                      .columns = person_columns,
                      .ncolumns = RK_ARRAY_LEN(person_columns)};
    rk_buf_init(&w.b);
    rc = report_table_begin(&w, ctx);
    int step;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *v[RK_ARRAY_LEN(person_columns)];
        for (size_t c = 0; c < RK_ARRAY_LEN(person_columns); c++)
            v[c] = (const char *)sqlite3_column_text(s, (int)c);
        rc = report_table_row(&w, ctx, v, NULL, NULL);
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read persons");
    if (rc == RK_OK)
        rc = report_table_end(&w, ctx);
    sqlite3_finalize(s);
    rk_buf_release(&w.b);
    return rc;
}

#define MAX_PAIR_COLUMNS (7 + RK_LINK_MAX_FIELDS)

int rk_export_pairs(FILE *out, rk_store *st, rk_format fmt)
{
    rk_ctx *ctx = rk_store_ctx(st);
    int64_t run_id;
    int rc = rk_link_latest_run(&run_id, st);
    if (rc != RK_OK)
        return rc;
    sqlite3_stmt *m = NULL, *s = NULL, *lv = NULL;
    char *names[RK_LINK_MAX_FIELDS] = {0};
    char *level_text[RK_LINK_MAX_FIELDS] = {0};
    char *labels[RK_LINK_MAX_FIELDS][RK_LINK_MAX_LEVELS + 1] = {{0}};
    size_t nfields = 0;
    report_table w = {.fmt = fmt, .out = out};
    rk_buf_init(&w.b);
    /* Field names and level labels from the run's model. */
    if ((rc = rk_store__prepare_int64(
             &m, st,
             "SELECT CAST(f.key AS INTEGER), json_extract(f.value, '$.name'),"
             " CAST(l.key AS INTEGER), json_extract(l.value, '$.label') FROM link_run"
             " r, json_each(r.model, '$.fields') f, json_each(f.value, '$.levels') l"
             " WHERE r.id = ?1",
             run_id, "cannot read the model")) != RK_OK)
        goto cleanup;
    while (sqlite3_step(m) == SQLITE_ROW) {
        int f = sqlite3_column_int(m, 0), l = sqlite3_column_int(m, 2);
        if (f < 0 || f >= RK_LINK_MAX_FIELDS || l < 0 || l > RK_LINK_MAX_LEVELS)
            continue;
        if (!names[f]) {
            names[f] = rk_strdup((const char *)sqlite3_column_text(m, 1));
            if ((size_t)f + 1 > nfields)
                nfields = (size_t)f + 1;
        }
        if (!labels[f][l])
            labels[f][l] = rk_strdup((const char *)sqlite3_column_text(m, 3));
    }
    report_column columns[MAX_PAIR_COLUMNS] = {
        {"key_a", false}, {"key_b", false},      {"list_a", false}, {"list_b", false},
        {"weight", true}, {"probability", true}, {"status", false}};
    for (size_t f = 0; f < nfields; f++)
        columns[7 + f] = (report_column){names[f] ? names[f] : "?", false};
    w.columns = columns;
    w.ncolumns = 7 + nfields;
    if ((rc = rk_store__prepare_int64(
             &s, st,
             "SELECT a.record_key, b.record_key, la.name, lb.name, p.weight,"
             " p.probability, p.status, v.levels FROM pair p" RK_STORE_PAIR_VECTOR_JOIN
             " JOIN record a ON a.id = p.record_a JOIN record b ON b.id = p.record_b"
             " JOIN list la ON la.id = a.list_id JOIN list lb ON lb.id = b.list_id"
             " WHERE p.run_id = ?1"
             " ORDER BY p.record_a, p.record_b",
             run_id, "cannot read pairs")) != RK_OK)
        goto cleanup;
    if ((rc = rk_store__prepare(
             &lv, st, "SELECT json_extract(value, '$.level') FROM json_each(?1) ORDER BY key",
             "cannot read pairs")) != RK_OK)
        goto cleanup;
    rc = report_table_begin(&w, ctx);
    int step;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *v[MAX_PAIR_COLUMNS];
        for (int c = 0; c < 7; c++)
            v[c] = (const char *)sqlite3_column_text(s, c);
        /* levels: [{"field", "level", "weight"}, ...] in field order. */
        sqlite3_reset(lv);
        sqlite3_bind_value(lv, 1, sqlite3_column_value(s, 7));
        size_t f = 0;
        while (f < nfields && sqlite3_step(lv) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(lv, 0);
            level_text[f] = rk_strdup(t ? t : "");
            v[7 + f] = level_text[f];
            f++;
        }
        for (; f < nfields; f++)
            v[7 + f] = NULL;
        rc = report_table_row(&w, ctx, v, NULL, NULL);
        for (size_t k = 0; k < nfields; k++) {
            rk_free(level_text[k]);
            level_text[k] = NULL;
        }
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read pairs");
    if (rc == RK_OK)
        rc = report_table_end(&w, ctx);
cleanup:
    sqlite3_finalize(m);
    sqlite3_finalize(s);
    sqlite3_finalize(lv);
    for (size_t f = 0; f < RK_LINK_MAX_FIELDS; f++)
        rk_free(level_text[f]);
    for (size_t f = 0; f < RK_LINK_MAX_FIELDS; f++) {
        rk_free(names[f]);
        for (size_t l = 0; l <= RK_LINK_MAX_LEVELS; l++)
            rk_free(labels[f][l]);
    }
    rk_buf_release(&w.b);
    return rc;
}
