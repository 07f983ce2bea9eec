/* Tabulating a project for estimation: reads the latest link run's persons with their records'
 * stratum values (region and place folded across scripts and matched through the gazetteer,
 * age groups, year and month of death), gives each person the value most of its records give,
 * and counts the persons of each capture pattern per stratum; also counts, per list, the
 * persons whose records give no value of each field. project.c estimates what this builds. */
#include "tabulate_private.h"
#include "estimate_internal.h"
#include "store/store_internal.h"

#include "reckon/text.h"

#include <sqlite3.h>

/* A record's age at death in whole years: its age, or else its year of death less its year of
 * birth, less one when the day (or month) of death, where both dates give it, comes before the
 * birthday. NULL when neither is known. */
#define AGE_SQL                                                                                    \
    "coalesce(r.age, CAST(substr(nullif(r.death_date, ''), 1, 4) AS INTEGER) - CAST(substr("       \
    "coalesce(nullif(r.birth_date, ''), r.birth_year), 1, 4) AS INTEGER) - CASE WHEN"              \
    " r.birth_precision = 'day' AND r.death_precision = 'day' THEN substr(r.death_date, 6, 5) <"   \
    " substr(r.birth_date, 6, 5) WHEN r.birth_precision IN ('day', 'month') AND"                   \
    " r.death_precision IN ('day', 'month') THEN substr(r.death_date, 6, 2) <"                     \
    " substr(r.birth_date, 6, 2) ELSE 0 END)"

/* The stratum fields: each an SQL expression on a record `r` whose value the person's records
 * vote on; age_group's expression is the age, which group_of turns into its group. */
static const struct by_field {
    const char *name;
    const char *sql; /* NULL: field:NAME, from the record's extras */
    bool fold;       /* values are folded like places (rk_text_place_key), not compared raw */
} by_fields[] = {
    {"region", "trim(r.region)", true},
    {"place", "trim(r.place)", true},
    {"sex", "nullif(json_extract(r.std, '$.sex'), '')", false},
    {"violation", "lower(trim(r.violation))", false},
    {"age_group", AGE_SQL, false},
    {"year", "substr(nullif(r.death_date, ''), 1, 4)", false},
    {"month", "CASE WHEN r.death_precision IN ('day', 'month') THEN substr(r.death_date, 1, 7) END",
     false},
    {"field:", NULL, false},
};

/* The SQL expression of a stratum field on a record `r`, and whether its values fold. */
static int by_expression(const char *field, char *out, size_t outsz, bool *fold)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(by_fields); i++) {
        const struct by_field *f = &by_fields[i];
        if (f->sql && strcmp(field, f->name) == 0) {
            snprintf(out, outsz, "%s", f->sql);
            if (fold)
                *fold = f->fold;
            return RK_OK;
        }
        if (!f->sql && strncmp(field, "field:", 6) == 0 && field[6] && !strchr(field, '\'')) {
            snprintf(out, outsz, "json_extract(r.extra, '$.%s')", field + 6);
            if (fold)
                *fold = false;
            return RK_OK;
        }
    }
    return RK_EINPUT;
}

/* The group of an age ("15-29", "60+"), or false when the age is none or out of range. */
static bool group_of(const tabulation *t, const char *age, char *out, size_t outsz)
{
    int64_t a;
    if (!age || rk_parse_i64(&a, age) != RK_OK || a < 0 || a > OLDEST)
        return false;
    size_t g = t->nage;
    while (g > 0 && a < t->age[g - 1])
        g--;
    assert(g > 0); /* the first bound is 0 */
    if (g == t->nage)
        snprintf(out, outsz, "%lld+", (long long)t->age[g - 1]);
    else
        snprintf(out, outsz, "%lld-%lld", (long long)t->age[g - 1], (long long)t->age[g] - 1);
    return true;
}

/* Reads --age-groups ("0,15,30,45,60": the first age of each group, rising from 0). */
static int parse_age_groups(tabulation *t, rk_ctx *ctx, const char *spec)
{
    const char *item;
    size_t len;
    t->nage = 0;
    for (const char *s = spec; rk_split_next(&s, ',', &item, &len);) {
        char num[24];
        int64_t a = -1;
        snprintf(num, sizeof(num), "%.*s", (int)RK_MIN(len, sizeof(num) - 1), item);
        if (t->nage == MAX_AGES)
            return rk_error_set(ctx, RK_EINPUT, "--age-groups: at most %d groups", MAX_AGES);
        if (len >= sizeof(num) || rk_parse_i64(&a, num) != RK_OK || a < 0 || a > OLDEST ||
            (t->nage == 0 && a != 0) || (t->nage > 0 && a <= t->age[t->nage - 1]))
            return rk_error_set(ctx, RK_EINPUT,
                                "--age-groups '%s': '%s' is not an age in the order; give the "
                                "first age of each group, rising from 0, as 0,15,30,45,60",
                                spec, num);
        t->age[t->nage++] = a;
    }
    if (t->nage == 0)
        return rk_error_set(ctx, RK_EINPUT, "--age-groups is empty; give 0,15,30,45,60 or so");
    return RK_OK;
}

void estimate_tabulation_release(tabulation *t)
{
    for (size_t i = 0; i < t->nlists; i++)
        rk_free(t->list_names[i]);
    for (size_t i = 0; i < t->nstrata; i++)
        rk_capture_table_free(t->strata[i].table);
    rk_free(t->strata);
    rk_capture_table_free(t->all);
    rk_text_free(t->text);
    rk_gazetteer_free(t->gaz);
    rk_free(t->spellings);
    memset(t, 0, sizeof(*t));
}

/* Labels a stratum's table with its values ("region: Kelvar, sex: F"). */
static int label_stratum(const tabulation *t, rk_ctx *ctx, stratum *s)
{
    char label[sizeof(s->key) + MAX_BY * 48];
    size_t len = 0;
    for (size_t b = 0; b < t->nby; b++)
        len += (size_t)snprintf(label + len, sizeof(label) - len, "%s%s: %s", b ? ", " : "",
                                t->by[b], s->values[b]);
    return rk_capture_table_set_stratum(s->table, ctx, label);
}

/* A record's value of a folded field: its key (Kelvar, Kəlvər, kelver, Келвар: "kalpar"), into
 * `out`, empty when the value folds to nothing; the spelling is tallied under the key. With a
 * gazetteer, a region is the one that the record's region or else its place finds (none when
 * neither does), a place the one it names if it names one; the key is then the gazetteer's
 * name after \x1d (no folded key has one), and the name is the spelling. */
static int fold_value(tabulation *t, rk_ctx *ctx, size_t b, const char *v, const char *place,
                      char *out, size_t outsz)
{
    *out = '\0';
    rk_buf key;
    rk_buf_init(&key);
    const char *known = NULL;
    bool region = strcmp(t->by[b], "region") == 0;
    int rc = !t->gaz  ? RK_OK
             : region ? rk_gazetteer_region(&known, t->gaz, v, place)
                      : rk_gazetteer_place(&known, t->gaz, v);
    if (rc != RK_OK || (t->gaz && region && !known) || (!known && (!v || !*v)))
        goto cleanup;
    if (known) {
        v = known;
        snprintf(out, outsz, "\x1d%s", known);
    } else {
        if ((rc = rk_text_place_key(&key, t->text, v)) != RK_OK || key.len == 0)
            goto cleanup;
        snprintf(out, outsz, "%s", rk_buf_cstr(&key));
    }
    size_t i = 0;
    while (i < t->nspellings && (t->spellings[i].by != b || strcmp(t->spellings[i].key, out) ||
                                 strcmp(t->spellings[i].text, v)))
        i++;
    if (i == t->nspellings) {
        if (rk_grow((void **)&t->spellings, &t->spellings_cap, i + 1, sizeof(spelling)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        spelling *sp = &t->spellings[t->nspellings++];
        *sp = (spelling){.by = b};
        snprintf(sp->key, sizeof(sp->key), "%s", out);
        snprintf(sp->text, sizeof(sp->text), "%s", v);
    }
    t->spellings[i].count++;
cleanup:
    rk_buf_release(&key);
    return rc;
}

/* Gives each stratum, for each folded field, the commonest spelling of its key (ties: the
 * first read), in place of the key. */
static int label_strata(tabulation *t, rk_ctx *ctx)
{
    int rc = RK_OK;
    for (size_t i = 0; i < t->nstrata && rc == RK_OK; i++) {
        stratum *s = &t->strata[i];
        bool changed = false;
        for (size_t b = 0; b < t->nby; b++) {
            if (!t->fold[b] || !s->values[b][0])
                continue;
            const spelling *best = NULL;
            for (size_t k = 0; k < t->nspellings; k++) {
                const spelling *sp = &t->spellings[k];
                if (sp->by == b && strcmp(sp->key, s->values[b]) == 0 &&
                    (!best || sp->count > best->count))
                    best = sp;
            }
            if (best) {
                snprintf(s->values[b], sizeof(s->values[b]), "%s", best->text);
                changed = true;
            }
        }
        if (changed)
            rc = label_stratum(t, ctx, s);
    }
    return rc;
}

static int find_stratum(tabulation *t, rk_ctx *ctx, char values[MAX_BY][96], stratum **out)
{
    char key[sizeof(((stratum *)0)->key)];
    size_t n = 0;
    for (size_t b = 0; b < t->nby; b++)
        n += (size_t)snprintf(key + n, sizeof(key) - n, "%s\x1f", values[b]);
    for (size_t i = 0; i < t->nstrata; i++)
        if (strcmp(t->strata[i].key, key) == 0) {
            *out = &t->strata[i];
            return RK_OK;
        }
    if (t->nstrata >= MAX_STRATA)
        return rk_error_set(ctx, RK_EINPUT, "more than %d strata; stratify by fewer fields",
                            MAX_STRATA);
    if (rk_grow((void **)&t->strata, &t->cap, t->nstrata + 1, sizeof(stratum)) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    stratum *s = &t->strata[t->nstrata];
    memset(s, 0, sizeof(*s));
    snprintf(s->key, sizeof(s->key), "%s", key);
    memcpy(s->values, values, sizeof(s->values));
    int rc = rk_capture_table_new(&s->table, ctx, t->nlists, (const char *const *)t->list_names);
    if (rc != RK_OK)
        return rc;
    t->nstrata++;
    if ((rc = label_stratum(t, ctx, s)) != RK_OK)
        return rc;
    *out = s;
    return RK_OK;
}

/* The votes a person's records have cast on each field so far. */
static void votes_cast(int out[MAX_BY], const tabulation *t, vote votes[MAX_BY][8],
                       const int *nvotes)
{
    for (size_t b = 0; b < t->nby; b++) {
        out[b] = 0;
        for (int k = 0; k < nvotes[b]; k++)
            out[b] += votes[b][k].count;
    }
}

/* Marks in given[b] the list of a record that gives field b: one that cast a vote on it (cast:
 * the votes before the record; a ninth distinct value of one person casts none). */
static void note_given(uint64_t given[MAX_BY], const tabulation *t, int64_t list_id,
                       vote votes[MAX_BY][8], const int *nvotes, const int cast[MAX_BY])
{
    int now[MAX_BY];
    votes_cast(now, t, votes, nvotes);
    for (size_t l = 0; l < t->nlists; l++)
        for (size_t b = 0; t->list_ids[l] == list_id && b < t->nby; b++)
            if (now[b] > cast[b])
                given[b] |= UINT64_C(1) << l;
}

static int add_person(tabulation *t, rk_ctx *ctx, uint64_t mask, vote votes[MAX_BY][8],
                      const int *nvotes, const uint64_t given[MAX_BY])
{
    if (!mask)
        return RK_OK;
    int rc = rk_capture_table_add(t->all, ctx, mask, 1);
    if (rc != RK_OK || t->nby == 0)
        return rc;
    for (size_t l = 0; l < t->nlists; l++) {
        if (!(mask >> l & 1))
            continue;
        t->named[l]++;
        for (size_t b = 0; b < t->nby; b++)
            t->unrecorded[l][b] += !(given[b] >> l & 1);
    }
    char values[MAX_BY][96];
    memset(values, 0, sizeof(values));
    for (size_t b = 0; b < t->nby; b++) {
        int best = -1;
        for (int k = 0; k < nvotes[b]; k++)
            if (best < 0 || votes[b][k].count > votes[b][best].count)
                best = k;
        snprintf(values[b], sizeof(values[b]), "%s", best >= 0 ? votes[b][best].value : "");
    }
    stratum *s = NULL;
    if ((rc = find_stratum(t, ctx, values, &s)) != RK_OK)
        return rc;
    return rk_capture_table_add(s->table, ctx, mask, 1);
}

int estimate_tabulate(tabulation *t, rk_store *st, int64_t run_id, const char *by,
                      const char *age_groups)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    rk_buf sql;
    rk_buf_init(&sql);
    int rc = RK_OK;
    /* The stratum fields. */
    const char *f;
    size_t flen;
    bool by_age = false;
    for (const char *rest = by && *by ? by : NULL; rk_split_next(&rest, ',', &f, &flen);) {
        char field[40], expr[1024];
        snprintf(field, sizeof(field), "%.*s", (int)RK_MIN(flen, sizeof(field) - 1), f);
        if (t->nby >= MAX_BY)
            return rk_error_set(ctx, RK_EINPUT, "--by takes at most %d fields", MAX_BY);
        if (flen >= sizeof(field) ||
            by_expression(field, expr, sizeof(expr), &t->fold[t->nby]) != RK_OK)
            return rk_error_set(ctx, RK_EINPUT,
                                "cannot stratify by '%.*s'; use region, place, sex, violation, "
                                "age_group, year, month or field:NAME",
                                (int)RK_MIN(flen, 64), f);
        by_age |= strcmp(field, "age_group") == 0;
        if (t->fold[t->nby] && !t->text &&
            ((rc = rk_text_new(&t->text, ctx, NULL)) != RK_OK ||
             (rc = rk_gazetteer_open(&t->gaz, st)) != RK_OK))
            return rc;
        snprintf(t->by[t->nby++], sizeof(t->by[0]), "%s", field);
    }
    if (age_groups && !by_age)
        return rk_error_set(ctx, RK_EINPUT, "--age-groups needs --by age_group");
    if (by_age &&
        (rc = parse_age_groups(t, ctx, age_groups ? age_groups : "0,15,30,45,60")) != RK_OK)
        return rc;
    /* The lists: all that hold records of the run (--lists chooses among them later). */
    if ((rc = rk_store__prepare_int64(
             &s, st,
             "SELECT DISTINCT l.id, l.name FROM person p JOIN record r ON r.id ="
             " p.record_id JOIN list l ON l.id = r.list_id WHERE p.run_id = ?"
             " ORDER BY l.id",
             run_id, "cannot read lists")) != RK_OK)
        return rc;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 1);
        if (t->nlists >= MAX_LISTS) {
            sqlite3_finalize(s);
            return rk_error_set(ctx, RK_EINPUT, "more than %d lists", MAX_LISTS);
        }
        t->list_ids[t->nlists] = sqlite3_column_int64(s, 0);
        t->list_names[t->nlists] = rk_strdup(name);
        if (!t->list_names[t->nlists++]) {
            sqlite3_finalize(s);
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        }
    }
    sqlite3_finalize(s);
    s = NULL;
    if (t->nlists < 2)
        return rk_error_set(ctx, RK_EINPUT,
                            "estimation needs persons on at least 2 lists (found %zu)", t->nlists);
    if ((rc = rk_capture_table_new(&t->all, ctx, t->nlists, (const char *const *)t->list_names)) !=
        RK_OK)
        return rc;
    rc = rk_buf_puts(&sql, "SELECT p.person_id, r.list_id");
    for (size_t b = 0; b < t->nby && rc == RK_OK; b++) {
        char expr[1024];
        by_expression(t->by[b], expr, sizeof(expr), NULL);
        rc = rk_buf_printf(&sql, ", %s", expr);
    }
    rc = rc ? rc
            /* the place, from which a gazetteer finds a region the record does not give */
            : rk_buf_puts(&sql, ", trim(r.place) FROM person p JOIN record r ON r.id ="
                                " p.record_id WHERE"
                                " p.run_id = ? ORDER BY p.person_id, r.list_id, r.id");
    if (rc != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    if ((rc = rk_store__prepare_int64(&s, st, rk_buf_cstr(&sql), run_id, "cannot read persons")) !=
        RK_OK)
        goto cleanup;
    int64_t current = INT64_MIN;
    uint64_t mask = 0;
    vote votes[MAX_BY][8];
    int nvotes[MAX_BY] = {0};
    uint64_t given[MAX_BY] = {0}; /* the lists whose records give each field */
    int cast[MAX_BY];
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t person = sqlite3_column_int64(s, 0);
        if (person != current) {
            if (current != INT64_MIN &&
                (rc = add_person(t, ctx, mask, votes, nvotes, given)) != RK_OK)
                goto cleanup;
            current = person;
            mask = 0;
            memset(nvotes, 0, sizeof(nvotes));
            memset(given, 0, sizeof(given));
        }
        votes_cast(cast, t, votes, nvotes);
        int64_t list_id = sqlite3_column_int64(s, 1);
        for (size_t l = 0; l < t->nlists; l++)
            if (t->list_ids[l] == list_id)
                mask |= UINT64_C(1) << l;
        for (size_t b = 0; b < t->nby; b++) {
            const char *v = (const char *)sqlite3_column_text(s, (int)(2 + b));
            char group[48], folded[96];
            if (!strcmp(t->by[b], "age_group"))
                v = group_of(t, v, group, sizeof(group)) ? group : NULL;
            if (t->fold[b]) {
                const char *place = (const char *)sqlite3_column_text(s, (int)(2 + t->nby));
                if ((rc = fold_value(t, ctx, b, v, place, folded, sizeof(folded))) != RK_OK)
                    goto cleanup;
                v = folded;
            }
            if (!v || !*v)
                continue;
            int k = 0;
            while (k < nvotes[b] && strcmp(votes[b][k].value, v) != 0)
                k++;
            if (k == nvotes[b]) {
                if (k == 8)
                    continue;
                snprintf(votes[b][k].value, sizeof(votes[b][k].value), "%s", v);
                votes[b][k].count = 0;
                nvotes[b]++;
            }
            votes[b][k].count++;
        }
        note_given(given, t, sqlite3_column_int64(s, 1), votes, nvotes, cast);
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read persons");
        goto cleanup;
    }
    if (current != INT64_MIN)
        rc = add_person(t, ctx, mask, votes, nvotes, given);
    rc = rc ? rc : label_strata(t, ctx);
cleanup:
    sqlite3_finalize(s);
    rk_buf_release(&sql);
    return rc;
}
