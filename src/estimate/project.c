/* Estimating from a project: tabulates the capture histories of the latest link run's persons
 * (per stratum with --by), estimates each table through rk_estimate_table, sums strata into
 * totals, and stores every result (method, settings, seed, capture table, full output) with an
 * audit event, in one transaction. */
#include "estimate_private.h"
#include "estimate_internal.h"
#include "store/store_internal.h"

#include "reckon/text.h"

#include <math.h>
#include <sqlite3.h>

#define MAX_BY     4
#define MAX_LISTS  RK_ESTIMATE_MAX_LISTS
#define MAX_STRATA 4096
#define MAX_AGES   16 /* bounds of --age-groups */
#define OLDEST     130

_Static_assert(MAX_BY == RK_ESTIMATE__MAX_BY, "the readers of result.missing take every field");

/* A person's stratum value for a field: the value most of its records give (ties: first). */
typedef struct vote {
    char value[96];
    int count;
} vote;

typedef struct stratum {
    char key[MAX_BY * 97]; /* values joined by \x1f */
    char values[MAX_BY][96];
    rk_capture_table *table;
} stratum;

/* How often the records give one spelling of a folded field's value (region, place), so that
 * a stratum is labelled with the commonest spelling of its key. */
typedef struct spelling {
    size_t by;
    char key[96], text[96];
    int64_t count;
} spelling;

typedef struct tabulation {
    size_t nby;
    char by[MAX_BY][40];
    bool fold[MAX_BY]; /* the field's values are folded into keys (region, place) */
    rk_text *text;     /* folds them */
    rk_gazetteer *gaz; /* the project's gazetteer, NULL when it has none */
    spelling *spellings;
    size_t nspellings, spellings_cap;
    size_t nlists;
    char *list_names[MAX_LISTS];
    int64_t list_ids[MAX_LISTS];
    stratum *strata;
    size_t nstrata, cap;
    rk_capture_table *all;
    int64_t age[MAX_AGES]; /* age_group: the first age of each group, rising from 0 */
    size_t nage;
    /* With --by: the persons each list names, and of them those none of whose records on that
     * list gives each field (a list that does not record the field misses it for all). */
    int64_t named[MAX_LISTS];
    int64_t unrecorded[MAX_LISTS][MAX_BY];
} tabulation;

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

static void tabulation_release(tabulation *t)
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

static int tabulate(tabulation *t, rk_store *st, int64_t run_id, const char *by,
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

/* ---- storing ---- */

typedef struct writer {
    rk_store *st;
    sqlite3_stmt *ins;
    int64_t run_id, batch;
    char now[32];
    rk_buf a, b, c, d; /* scratch for JSON */
    int count;
    int64_t refused_observed; /* persons of strata refused (too sparse or degenerate) */
    size_t refused_strata;
    int64_t refused_unvalued[MAX_BY]; /* of them, those without a value of each field */
} writer;

static int json_stratum(rk_buf *b, const tabulation *t, const stratum *s)
{
    if (!s)
        return RK_OK;
    int rc = rk_buf_putc(b, '{');
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++) {
        rc = rk_buf_puts(b, i ? "," : "");
        rc = rc ? rc : rk_buf_json_string(b, t->by[i], strlen(t->by[i]));
        rc = rc ? rc : rk_buf_putc(b, ':');
        rc = rc ? rc : rk_buf_json_string(b, s->values[i], strlen(s->values[i]));
    }
    return rc ? rc : rk_buf_putc(b, '}');
}

static int json_capture(rk_buf *b, const rk_capture_table *ct)
{
    int rc = rk_buf_puts(b, "{\"patterns\":[");
    for (size_t i = 0; i < rk_capture_table_npatterns(ct) && rc == RK_OK; i++) {
        uint64_t pattern;
        int64_t count;
        rk_capture_table_pattern(ct, i, &pattern, &count);
        rc = rk_buf_printf(b, "%s[%llu,%lld]", i ? "," : "", (unsigned long long)pattern,
                           (long long)count);
    }
    return rc ? rc : rk_buf_puts(b, "],\"bit\":\"list j is bit j, in the order of lists\"}");
}

static void put_num(rk_buf *b, const char *key, double v)
{
    if (isfinite(v))
        rk_buf_printf(b, ",\"%s\":%.17g", key, v);
}

/* One estimate row. `extra` is more JSON members for result (may be empty). */
static int store(writer *w, const tabulation *t, const stratum *s, const rk_capture_table *ct,
                 const rk_estimate *e, const char *method, const char *config, const char *status,
                 const char *reason, const char *extra)
{
    rk_ctx *ctx = rk_store_ctx(w->st);
    rk_buf_clear(&w->a);
    rk_buf_clear(&w->b);
    rk_buf_clear(&w->c);
    int rc = json_stratum(&w->a, t, s);
    rc = rc ? rc : rk_buf_putc(&w->b, '[');
    for (size_t l = 0; l < rk_capture_table_nlists(ct) && rc == RK_OK; l++) {
        const char *name = rk_capture_table_list_name(ct, l);
        rc = rk_buf_puts(&w->b, l ? "," : "");
        rc = rc ? rc : rk_buf_json_string(&w->b, name, strlen(name));
    }
    rc = rc ? rc : rk_buf_putc(&w->b, ']');
    rc = rc ? rc : json_capture(&w->c, ct);
    rk_buf_clear(&w->d);
    rc = rc ? rc : rk_buf_printf(&w->d, "{\"method\":\"%s\"", method);
    if (rc == RK_OK && e) {
        rc = rk_buf_puts(&w->d, ",\"model\":");
        rc = rc ? rc : rk_buf_json_string(&w->d, e->model, strlen(e->model));
        rc = rc ? rc : rk_buf_printf(&w->d, ",\"interval\":\"%s\"", e->interval_kind);
        put_num(&w->d, "estimate", e->estimate);
        put_num(&w->d, "stderr", e->stderr_n);
        put_num(&w->d, "lower", e->lower);
        put_num(&w->d, "upper", e->upper);
        put_num(&w->d, "mean", e->mean);
        put_num(&w->d, "median", e->median);
        put_num(&w->d, "rhat", e->rhat);
        put_num(&w->d, "ess", e->ess);
        if (e->warning[0]) {
            rc = rk_buf_puts(&w->d, ",\"warning\":");
            rc = rc ? rc : rk_buf_json_string(&w->d, e->warning, strlen(e->warning));
        }
    }
    rc = rc ? rc : rk_buf_puts(&w->d, extra ? extra : "");
    rc = rc ? rc : rk_buf_putc(&w->d, '}');
    if (rc != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    sqlite3_stmt *q = w->ins;
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    sqlite3_bind_text(q, 1, w->now, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, w->run_id);
    sqlite3_bind_text(q, 3, method, -1, SQLITE_STATIC);
    if (e)
        sqlite3_bind_text(q, 4, e->model, -1, SQLITE_TRANSIENT);
    if (s)
        sqlite3_bind_text(q, 5, rk_buf_cstr(&w->a), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, rk_buf_cstr(&w->b), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, config, -1, SQLITE_STATIC);
    if (e && e->seed)
        sqlite3_bind_int64(q, 8, (sqlite3_int64)e->seed);
    sqlite3_bind_int64(q, 9, rk_capture_table_observed(ct));
    if (e && isfinite(e->estimate))
        sqlite3_bind_double(q, 10, e->estimate);
    if (e && isfinite(e->lower))
        sqlite3_bind_double(q, 11, e->lower);
    if (e && isfinite(e->upper))
        sqlite3_bind_double(q, 12, e->upper);
    sqlite3_bind_text(q, 13, status, -1, SQLITE_STATIC);
    if (reason)
        sqlite3_bind_text(q, 14, reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 15, rk_buf_cstr(&w->c), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 16, rk_buf_cstr(&w->d), -1, SQLITE_STATIC);
    if (w->batch)
        sqlite3_bind_int64(q, 17, w->batch);
    if (sqlite3_step(q) != SQLITE_DONE)
        return rk_store__sqlerr(w->st, "cannot store an estimate");
    int64_t id = sqlite3_last_insert_rowid(rk_store__db(w->st));
    if (!w->batch) {
        w->batch = id;
        char sql[96];
        snprintf(sql, sizeof(sql), "UPDATE estimate SET batch = %lld WHERE id = %lld",
                 (long long)id, (long long)id);
        if ((rc = rk_store__exec(w->st, sql)) != RK_OK)
            return rc;
    }
    w->count++;
    return RK_OK;
}

/* The ranked models of a search as JSON members for the result. */
static int models_json(rk_buf *b, const rk_estimate *m, size_t n)
{
    int rc = rk_buf_puts(b, ",\"models\":[");
    for (size_t i = 0; i < n && i < 30 && rc == RK_OK; i++) {
        rc = rk_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        rc = rc ? rc : rk_buf_json_string(b, m[i].model, strlen(m[i].model));
        put_num(b, "estimate", m[i].estimate);
        put_num(b, "lower", m[i].lower);
        put_num(b, "upper", m[i].upper);
        put_num(b, "deviance", m[i].deviance);
        rc = rc ? rc : rk_buf_printf(b, ",\"df\":%d", m[i].df);
        put_num(b, "aic", m[i].aic);
        put_num(b, "bic", m[i].bic);
        rc = rc ? rc : rk_buf_putc(b, '}');
    }
    return rc ? rc : rk_buf_putc(b, ']');
}

static int draws_json(rk_buf *b, const rk_estimate *e)
{
    if (!e->draws || !e->ndraws)
        return RK_OK;
    /* At most 2,000 draws, evenly thinned, chain after chain. */
    size_t step = e->ndraws > 2000 ? (e->ndraws + 1999) / 2000 : 1;
    int rc =
        rk_buf_printf(b, ",\"chains\":%zu,\"draws_thinned_by\":%zu,\"draws\":[", e->nchains, step);
    for (size_t i = 0, k = 0; i < e->ndraws && rc == RK_OK; i += step, k++)
        rc = rk_buf_printf(b, "%s%.0f", k ? "," : "", e->draws[i]);
    return rc ? rc : rk_buf_putc(b, ']');
}

/* ---- estimating ---- */

typedef struct per_method {
    rk_estimate *parts; /* one per stratum, for the total */
    size_t n, cap;
    bool complete; /* every stratum gave an estimate */
} per_method;

/* One per method of the dispatcher's table, in its order. */
#define PM_COUNT ESTIMATE_NMETHODS

static per_method *find_pm(per_method pm[PM_COUNT], const char *method)
{
    size_t m = 0;
    while (m < PM_COUNT && strcmp(estimate_method_name(m), method) != 0)
        m++;
    assert(m < PM_COUNT); /* every row of rk_estimate_table names a method of the table */
    return &pm[m];
}

/* The members of result that one method's row carries beside its figures: loglinear's ranked
 * models, dga's sensitivity rows and graph, the draws of a Bayesian method. */
static int result_extra(rk_buf *b, const rk_estimate *e)
{
    int rc = e->nmodels ? models_json(b, e->models, e->nmodels) : RK_OK;
    if (rc == RK_OK && !strcmp(e->method, "dga")) {
        /* the delta rows again in the shape the report charts (estimate = median) */
        rc = rk_buf_puts(b, ",\"delta_sensitivity\":[");
        bool first = true;
        for (size_t i = 0; i < e->nsensitivity && rc == RK_OK; i++) {
            const rk_estimate_sensitivity *r = &e->sensitivity[i];
            if (strcmp(r->varies, "delta"))
                continue;
            rc = rk_buf_printf(b, "%s{\"delta\":%.17g", first ? "" : ",", r->delta);
            put_num(b, "estimate", r->median);
            put_num(b, "lower", r->lower);
            put_num(b, "upper", r->upper);
            rc = rc ? rc : rk_buf_putc(b, '}');
            first = false;
        }
        rc = rc ? rc : rk_buf_puts(b, "],\"sensitivity\":");
        rc = rc ? rc : rk_estimate_sensitivity_json(b, e);
        rc = rc ? rc : rk_buf_puts(b, ",\"graphs\":[{\"graph\":");
        rc = rc ? rc : rk_buf_json_string(b, e->model, strlen(e->model));
        rc = rc ? rc : rk_buf_puts(b, ",\"note\":\"the graph of highest posterior weight\"}]");
    }
    return rc ? rc : draws_json(b, e);
}

static int keep(per_method *pm, rk_ctx *ctx, rk_estimate *e)
{
    if (rk_grow((void **)&pm->parts, &pm->cap, pm->n + 1, sizeof(rk_estimate)) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    pm->parts[pm->n++] = *e;
    rk_estimate_init(e);
    return RK_OK;
}

/* Stores the rows rk_estimate_table gave for one table (the extra rows stay out: the ranked
 * models travel in the answer's result) and keeps each answer for the totals. */
static int estimate_table(writer *w, const tabulation *t, const stratum *s,
                          const rk_capture_table *ct, const rk_estimate_options *o,
                          const char *config, per_method pm[PM_COUNT], size_t *answered,
                          rk_estimate **keep_rows, size_t *keep_n)
{
    rk_ctx *ctx = rk_store_ctx(w->st);
    rk_estimate *rows = NULL;
    size_t n = 0;
    rk_buf extra;
    rk_buf_init(&extra);
    int rc = rk_estimate_table(&rows, &n, ctx, ct, o);
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        rk_estimate *e = &rows[i];
        if (e->extra)
            continue;
        const char *reason = e->warning[0] ? e->warning : NULL;
        if (!strcmp(e->method, "none")) { /* refused: counted in totals as documented */
            w->refused_observed += rk_capture_table_observed(ct);
            w->refused_strata++;
            for (size_t b = 0; s && b < t->nby; b++)
                if (!s->values[b][0])
                    w->refused_unvalued[b] += rk_capture_table_observed(ct);
            rc = store(w, t, s, ct, NULL, "none", config, "refused", reason, NULL);
            continue;
        }
        per_method *m = find_pm(pm, e->method);
        if (e->status == RK_ESTIMATE_REFUSED) {
            m->complete = false;
            rc = store(w, t, s, ct, NULL, e->method, config, "refused", reason, NULL);
            continue;
        }
        rk_buf_clear(&extra);
        if (result_extra(&extra, e) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
        bool ok = e->status == RK_ESTIMATE_OK;
        rc = store(w, t, s, ct, e, e->method, config, ok ? "ok" : "boundary", reason,
                   rk_buf_cstr(&extra));
        (*answered)++;
        if (rc == RK_OK && ok && !keep_rows) {
            rk_estimate_array_free(e->models, e->nmodels); /* the totals need no models */
            e->models = NULL;
            e->nmodels = 0;
            rc = keep(m, ctx, e);
        }
        if (!ok)
            m->complete = false;
    }
    if (rc == RK_OK && keep_rows) {
        *keep_rows = rows;
        *keep_n = n;
        rows = NULL;
        n = 0;
    }
    rk_estimate_array_free(rows, n);
    rk_buf_release(&extra);
    return rc;
}

static int config_json(rk_buf *b, const tabulation *t, const rk_estimate_options *o)
{
    int rc = rk_buf_puts(b, "{\"methods\":[");
    bool first = true;
    for (size_t m = 0; m < PM_COUNT && rc == RK_OK; m++)
        if (o->methods & estimate_method_bit(m)) {
            rc = rk_buf_printf(b, "%s\"%s\"", first ? "" : ",", estimate_method_name(m));
            first = false;
        }
    rc = rc ? rc : rk_buf_puts(b, "],\"by\":[");
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = rk_buf_printf(b, "%s\"%s\"", i ? "," : "", t->by[i]);
    if (rc == RK_OK && t->nage) {
        rc = rk_buf_puts(b, "],\"age_groups\":[");
        for (size_t i = 0; i < t->nage && rc == RK_OK; i++)
            rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)t->age[i]);
    }
    const rk_lcmcr_options *l = &o->lcmcr;
    rc = rc ? rc
            : rk_buf_printf(b,
                            "],\"criterion\":\"%s\",\"lcmcr\":{\"seed\":%llu,\"kstar\":%d,"
                            "\"a_alpha\":%.17g,\"b_alpha\":%.17g,\"burnin\":%ld,\"samples\":%ld,"
                            "\"thin\":%ld,\"chains\":%d},\"dga\":{\"delta\":%.17g,"
                            "\"nmissing_max\":%lld,\"nprior\":\"%s\"}}",
                            o->criterion == RK_CRITERION_AIC ? "aic" : "bic",
                            (unsigned long long)l->seed, l->kstar, l->a_alpha, l->b_alpha,
                            l->burnin, l->samples, l->thin, l->chains, o->dga.delta,
                            (long long)o->dga.nmissing_max,
                            o->dga.prior == RK_DGA_PRIOR_UNIFORM ? "uniform" : "inverse");
    return rc;
}

/* ---- missing values ---- */

/* A list misses a field for (nearly) all its persons from this share on. */
#define NEARLY_ALL 0.9

/* The index in the tabulation of list j of the (chosen) table. */
static size_t list_index(const tabulation *t, size_t j)
{
    const char *name = rk_capture_table_list_name(t->all, j);
    size_t l = 0;
    while (l < t->nlists && strcmp(t->list_names[l], name) != 0)
        l++;
    assert(l < t->nlists); /* the chosen lists are among the tabulation's */
    return l;
}

static bool nearly_all(const tabulation *t, size_t l, size_t b)
{
    return t->named[l] > 0 && (double)t->unrecorded[l][b] >= NEARLY_ALL * (double)t->named[l];
}

/* The persons of the table without a value of field b: those of the strata without one. */
static int64_t unvalued(const tabulation *t, size_t b)
{
    int64_t n = 0;
    for (size_t i = 0; i < t->nstrata; i++)
        if (!t->strata[i].values[b][0])
            n += rk_capture_table_observed(t->strata[i].table);
    return n;
}

/* One plain sentence when lists of the table do not record field b for (nearly) all their
 * persons: what the estimates by it then describe, and what would fix it. */
static int missing_note(rk_buf *out, const tabulation *t, const writer *w, size_t b)
{
    size_t nl = rk_capture_table_nlists(t->all), k = 0, shown = 0, one = 0;
    for (size_t j = 0; j < nl; j++)
        if (nearly_all(t, list_index(t, j), b)) {
            k++;
            one = list_index(t, j);
        }
    if (k == 0)
        return RK_OK;
    const char *f = t->by[b];
    int rc = rk_buf_puts(out, out->len ? " " : "");
    for (size_t j = 0; j < nl && rc == RK_OK; j++) {
        if (!nearly_all(t, list_index(t, j), b))
            continue;
        const char *sep = shown == 0 ? "" : shown + 1 == k ? " and " : ", ";
        rc = rk_buf_printf(out, "%s'%s'", sep, rk_capture_table_list_name(t->all, j));
        shown++;
    }
    if (rc == RK_OK && k == 1)
        rc = rk_buf_printf(out, " does not record %s for %lld of its %lld persons", f,
                           (long long)t->unrecorded[one][b], (long long)t->named[one]);
    else if (rc == RK_OK)
        rc = rk_buf_printf(out, " do not record %s for (nearly) all their persons", f);
    rc = rc ? rc
            : rk_buf_printf(out,
                            ": the estimates by %s describe only the persons that lists "
                            "recording it name",
                            f);
    int64_t without = unvalued(t, b), documented = w->refused_unvalued[b];
    if (rc == RK_OK && without > 0 && documented == without)
        rc = rk_buf_printf(out, ", and the %lld persons without it count as documented only",
                           (long long)without);
    else if (rc == RK_OK && without > 0 && documented == 0)
        rc = rk_buf_printf(out,
                           ", and the %lld persons without it are estimated as a stratum of "
                           "their own",
                           (long long)without);
    else if (rc == RK_OK && without > 0)
        rc =
            rk_buf_printf(out, ", and of the %lld persons without it %lld count as documented only",
                          (long long)without, (long long)documented);
    return rc ? rc
              : rk_buf_puts(out, "; imputing the missing values (not built yet) is what would "
                                 "fix this.");
}

/* The missing values of a stratified batch, as result.missing of its first row: per --by
 * field, the persons of the table without a value and those of them counted as documented
 * only; per list, the persons it names and those its records give no value. */
static int missing_json(rk_buf *b, const tabulation *t, const writer *w)
{
    size_t nl = rk_capture_table_nlists(t->all);
    rk_buf note;
    rk_buf_init(&note);
    int rc = rk_buf_puts(b, "{\"by\":[");
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++) {
        rc = rk_buf_puts(b, i ? "," : "");
        rc = rc ? rc : rk_buf_json_string(b, t->by[i], strlen(t->by[i]));
    }
    rc = rc ? rc
            : rk_buf_printf(b, "],\"persons\":%lld,\"without\":[",
                            (long long)rk_capture_table_observed(t->all));
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)unvalued(t, i));
    rc = rc ? rc : rk_buf_puts(b, "],\"documented_only\":[");
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)w->refused_unvalued[i]);
    rc = rc ? rc : rk_buf_puts(b, "],\"lists\":[");
    for (size_t j = 0; j < nl && rc == RK_OK; j++) {
        size_t l = list_index(t, j);
        rc = rk_buf_puts(b, j ? ",{\"list\":" : "{\"list\":");
        rc = rc ? rc : rk_buf_json_string(b, t->list_names[l], strlen(t->list_names[l]));
        rc = rc ? rc : rk_buf_printf(b, ",\"persons\":%lld,\"without\":[", (long long)t->named[l]);
        for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
            rc = rk_buf_printf(b, "%s%lld", i ? "," : "", (long long)t->unrecorded[l][i]);
        rc = rc ? rc : rk_buf_puts(b, "]}");
    }
    rc = rc ? rc : rk_buf_putc(b, ']');
    for (size_t i = 0; i < t->nby && rc == RK_OK; i++)
        rc = missing_note(&note, t, w, i);
    if (rc == RK_OK && note.len) {
        rc = rk_buf_puts(b, ",\"note\":");
        rc = rc ? rc : rk_buf_json_string(b, note.data, note.len);
    }
    rk_buf_release(&note);
    return rc ? rc : rk_buf_putc(b, '}');
}

/* Adds result.missing to the first row of the batch (whose id is the batch's). */
static int store_missing(writer *w, const tabulation *t)
{
    rk_ctx *ctx = rk_store_ctx(w->st);
    sqlite3_stmt *s = NULL;
    rk_buf json;
    rk_buf_init(&json);
    int rc = missing_json(&json, t, w);
    if (rc != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rk_store__prepare_int64(&s, w->st,
                                      "UPDATE estimate SET result = json_set(result,"
                                      " '$.missing', json(?2)) WHERE id = ?1",
                                      w->batch, "cannot store the missing values")) != RK_OK)
        goto cleanup;
    sqlite3_bind_text(s, 2, rk_buf_cstr(&json), -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = rk_store__sqlerr(w->st, "cannot store the missing values");
cleanup:
    sqlite3_finalize(s);
    rk_buf_release(&json);
    return rc;
}

/* Keeps only the lists named in `lists` (NULL: all), in the whole table and every stratum; a
 * stratum whose persons only the other lists name is no stratum of these lists. */
static int select_lists(tabulation *t, rk_ctx *ctx, const char *lists)
{
    if (!lists)
        return RK_OK;
    int rc = estimate_select_lists(&t->all, ctx, lists);
    for (size_t i = 0; i < t->nstrata && rc == RK_OK; i++)
        rc = estimate_select_lists(&t->strata[i].table, ctx, lists);
    size_t kept = 0;
    for (size_t i = 0; i < t->nstrata && rc == RK_OK; i++) {
        if (rk_capture_table_observed(t->strata[i].table) == 0)
            rk_capture_table_free(t->strata[i].table);
        else
            t->strata[kept++] = t->strata[i];
    }
    if (rc == RK_OK)
        t->nstrata = kept;
    return rc;
}

/* Tells each stratum the whole it was cut from, after the lists are chosen, so that the one
 * rule (rk_estimate_check_sparse) can refuse a stratum that a list without the field empties. */
static int mark_strata(tabulation *t, rk_ctx *ctx)
{
    char fields[MAX_BY * 42];
    size_t len = 0;
    for (size_t b = 0; b < t->nby; b++)
        len +=
            (size_t)snprintf(fields + len, sizeof(fields) - len, "%s%s", b ? ", " : "", t->by[b]);
    int rc = RK_OK;
    for (size_t i = 0; i < t->nstrata && rc == RK_OK; i++) {
        rc = rk_capture_table_set_whole(t->strata[i].table, ctx, t->all, fields);
        for (size_t b = 0; b < t->nby; b++)
            t->strata[i].table->unvalued |= !t->strata[i].values[b][0];
    }
    return rc;
}

int rk_estimate_project_table(rk_capture_table **out, rk_store *st, const char *lists)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    *out = NULL;
    tabulation t;
    memset(&t, 0, sizeof(t));
    int64_t run_id;
    int rc = rk_link_latest_run(&run_id, st);
    rc = rc ? rc : tabulate(&t, st, run_id, NULL, NULL);
    rc = rc ? rc : select_lists(&t, ctx, lists);
    if (rc == RK_OK) {
        *out = t.all;
        t.all = NULL;
    }
    tabulation_release(&t);
    return rc;
}

int estimate_project(rk_estimate_result *out, rk_store *st, const rk_estimate_source *src,
                     const rk_estimate_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    tabulation t;
    memset(&t, 0, sizeof(t));
    writer w = {.st = st};
    rk_buf_init(&w.a);
    rk_buf_init(&w.b);
    rk_buf_init(&w.c);
    rk_buf_init(&w.d);
    rk_buf config, payload;
    rk_buf_init(&config);
    rk_buf_init(&payload);
    per_method pm[PM_COUNT];
    memset(pm, 0, sizeof(pm));
    for (size_t m = 0; m < PM_COUNT; m++)
        pm[m].complete = true;
    bool txn = false;
    int64_t run_id;
    int rc = rk_link_latest_run(&run_id, st);
    if (rc != RK_OK)
        goto cleanup;
    w.run_id = run_id;
    if ((rc = tabulate(&t, st, run_id, src->by, src->age_groups)) != RK_OK ||
        (rc = select_lists(&t, ctx, src->lists)) != RK_OK || (rc = mark_strata(&t, ctx)) != RK_OK)
        goto cleanup;
    if (config_json(&config, &t, o) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    rk_time_iso(w.now);
    if ((rc = rk_store_begin(st)) != RK_OK)
        goto cleanup;
    txn = true;
    if ((rc = rk_store__prepare(
             &w.ins, st,
             "INSERT INTO estimate(time, run_id, method, model, stratum, lists,"
             " config, seed, observed, estimate, lower, upper, status, reason,"
             " capture, result, batch) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
             "cannot store estimates")) != RK_OK)
        goto cleanup;
    if (t.nby == 0) {
        rc = estimate_table(&w, &t, NULL, t.all, o, rk_buf_cstr(&config), pm, &out->estimated,
                            &out->rows, &out->nrows);
    } else {
        for (size_t i = 0; i < t.nstrata && rc == RK_OK; i++) {
            rk_progress(ctx, "estimate", i, t.nstrata);
            rc = estimate_table(&w, &t, &t.strata[i], t.strata[i].table, o, rk_buf_cstr(&config),
                                pm, &out->estimated, NULL, NULL);
        }
        /* Totals: the strata summed, per method, where every estimable stratum gave an
         * estimate. Persons of refused strata (too sparse or degenerate) are added as documented
         * only: the total is then a sum over fewer strata plus a floor, and says so. */
        for (size_t m = 0; m < PM_COUNT && rc == RK_OK; m++) {
            if (!pm[m].complete || pm[m].n == 0 || pm[m].n + w.refused_strata != t.nstrata)
                continue;
            rk_estimate total;
            rk_estimate_init(&total);
            rc = rk_estimate_combine_strata(&total, ctx, pm[m].parts, pm[m].n);
            if (rc == RK_OK) {
                double add = (double)w.refused_observed;
                total.estimate += add;
                total.lower += add;
                total.upper += add;
                total.mean += add;
                total.median += add;
                for (size_t i = 0; total.draws && i < total.ndraws; i++)
                    total.draws[i] += add;
                snprintf(total.model, sizeof(total.model), "sum of %zu strata by %s", pm[m].n,
                         t.by[0]);
                char note[256] = "";
                if (w.refused_strata)
                    snprintf(note, sizeof(note),
                             "plus %lld persons of %zu strata refused (too sparse or degenerate "
                             "to estimate), counted as documented only",
                             (long long)w.refused_observed, w.refused_strata);
                rk_buf extra;
                rk_buf_init(&extra);
                rc = draws_json(&extra, &total);
                if (rc == RK_OK)
                    rc = store(&w, &t, NULL, t.all, &total, estimate_method_name(m),
                               rk_buf_cstr(&config), "ok", note[0] ? note : NULL,
                               rk_buf_cstr(&extra));
                rk_buf_release(&extra);
                out->estimated++;
            }
            rk_estimate_release(&total);
        }
    }
    if (rc == RK_OK && t.nby && w.batch)
        rc = store_missing(&w, &t);
    if (rc != RK_OK)
        goto cleanup;
    char digest[65];
    if ((rc = rk_store__digest_query(st, RK_STORE_ESTIMATES_DIGEST_SQL, w.batch, digest)) != RK_OK)
        goto cleanup;
    if (rk_buf_printf(&payload, "{\"batch\":%lld,\"run_id\":%lld,\"rows\":%d,\"digest\":\"%s\"}",
                      (long long)w.batch, (long long)run_id, w.count, digest) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    sqlite3_finalize(w.ins);
    w.ins = NULL;
    if ((rc = rk_store_log_event(st, "estimate", rk_buf_cstr(&payload), NULL)) != RK_OK)
        goto cleanup;
    txn = false;
    if ((rc = rk_store_commit(st)) != RK_OK)
        goto cleanup;
    out->batch = w.batch;
    out->stored = (size_t)w.count;
    out->table = t.all;
    t.all = NULL;
cleanup:
    sqlite3_finalize(w.ins);
    if (txn)
        rk_store_rollback(st);
    for (size_t m = 0; m < PM_COUNT; m++)
        rk_estimate_array_free(pm[m].parts, pm[m].n);
    tabulation_release(&t);
    rk_buf_release(&w.a);
    rk_buf_release(&w.b);
    rk_buf_release(&w.c);
    rk_buf_release(&w.d);
    rk_buf_release(&config);
    rk_buf_release(&payload);
    return rc;
}
