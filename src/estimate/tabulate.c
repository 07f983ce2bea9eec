/* Tabulating a project for estimation: reads the latest link run's records with their stratum
 * values once (region and place folded across scripts and matched through the gazetteer, age
 * groups, year and month of death), then, per partition of the records into persons, gives
 * each person the value most of its records give and counts the persons of each capture
 * pattern per stratum; also counts, per list, the persons whose records give no value of each
 * field. project.c and replicate.c estimate what this builds. */
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
static bool group_of(const units *t, const char *age, char *out, size_t outsz)
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
static int parse_age_groups(units *t, rk_ctx *ctx, const char *spec)
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

void estimate_units_release(units *u)
{
    for (size_t i = 0; i < u->nlists; i++)
        rk_free(u->list_names[i]);
    for (size_t b = 0; b < u->nby; b++) {
        for (size_t i = 0; i < u->nvalues[b]; i++)
            rk_free(u->values[b][i]);
        rk_free(u->values[b]);
    }
    rk_free(u->rec_id);
    rk_free(u->own);
    rk_free(u->rec_list);
    rk_free(u->rec_value);
    rk_text_free(u->text);
    rk_gazetteer_free(u->gaz);
    rk_free(u->spellings);
    memset(u, 0, sizeof(*u));
}

void estimate_tabulation_release(tabulation *t)
{
    for (size_t i = 0; i < t->nstrata; i++)
        rk_capture_table_free(t->strata[i].table);
    rk_free(t->strata);
    rk_capture_table_free(t->all);
    rk_free(t->mask);
    rk_free(t->value);
    rk_free(t->lacked);
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
static int fold_value(units *t, rk_ctx *ctx, size_t b, const char *v, const char *place, char *out,
                      size_t outsz)
{
    *out = '\0';
    rk_buf key;
    rk_buf_init(&key);
    const char *known = NULL;
    int rc = rk_text_stratum_key(&key, &known, t->text, t->gaz, strcmp(t->by[b], "region") == 0, v,
                                 place);
    if (rc != RK_OK || key.len == 0)
        goto cleanup;
    snprintf(out, outsz, "%s", rk_buf_cstr(&key));
    if (known)
        v = known;
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

/* The index of value v of field b, added when new. */
static int intern(int32_t *out, units *u, rk_ctx *ctx, size_t b, const char *v)
{
    for (size_t i = u->nvalues[b]; i-- > 0;)
        if (strcmp(u->values[b][i], v) == 0) {
            *out = (int32_t)i;
            return RK_OK;
        }
    if (u->nvalues[b] >= INT32_MAX ||
        rk_grow((void **)&u->values[b], &u->values_cap[b], u->nvalues[b] + 1, sizeof(char *)) !=
            RK_OK ||
        !(u->values[b][u->nvalues[b]] = rk_strdup(v)))
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    *out = (int32_t)u->nvalues[b]++;
    return RK_OK;
}

const char *estimate_value_text(const units *u, size_t b, int32_t id)
{
    if (id < 0)
        return NULL;
    const char *key = u->values[b][id];
    if (!u->fold[b])
        return key;
    const spelling *best = NULL;
    for (size_t k = 0; k < u->nspellings; k++) {
        const spelling *sp = &u->spellings[k];
        if (sp->by == b && strcmp(sp->key, key) == 0 && (!best || sp->count > best->count))
            best = sp;
    }
    return best ? best->text : key;
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
            if (!t->u->fold[b] || s->ids[b] < 0)
                continue;
            snprintf(s->values[b], sizeof(s->values[b]), "%s",
                     estimate_value_text(t->u, b, s->ids[b]));
            changed = true;
        }
        if (changed)
            rc = label_stratum(t, ctx, s);
    }
    return rc;
}

static int find_stratum(tabulation *t, rk_ctx *ctx, const int32_t *ids, stratum **out)
{
    const units *u = t->u;
    char key[sizeof(((stratum *)0)->key)];
    size_t n = 0;
    for (size_t b = 0; b < t->nby; b++)
        n += (size_t)snprintf(key + n, sizeof(key) - n, "%.95s\x1f",
                              ids[b] < 0 ? "" : u->values[b][ids[b]]);
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
    for (size_t b = 0; b < t->nby; b++) {
        s->ids[b] = ids[b];
        snprintf(s->values[b], sizeof(s->values[b]), "%s", ids[b] < 0 ? "" : u->values[b][ids[b]]);
    }
    int rc = rk_capture_table_new(&s->table, ctx, t->nlists, (const char *const *)t->list_names);
    if (rc != RK_OK)
        return rc;
    t->nstrata++;
    if ((rc = label_stratum(t, ctx, s)) != RK_OK)
        return rc;
    *out = s;
    return RK_OK;
}

/* Reads the lists that hold records of the run (--lists chooses among them later). */
static int load_lists(units *u, rk_store *st, int64_t run_id)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare_int64(&s, st,
                                     "SELECT DISTINCT l.id, l.name FROM person p JOIN record r ON"
                                     " r.id = p.record_id JOIN list l ON l.id = r.list_id WHERE"
                                     " p.run_id = ? ORDER BY l.id",
                                     run_id, "cannot read lists");
    if (rc != RK_OK)
        return rc;
    while (rc == RK_OK && sqlite3_step(s) == SQLITE_ROW) {
        if (u->nlists >= MAX_LISTS) {
            rc = rk_error_set(ctx, RK_EINPUT, "more than %d lists", MAX_LISTS);
            break;
        }
        u->list_ids[u->nlists] = sqlite3_column_int64(s, 0);
        u->list_names[u->nlists] = rk_strdup((const char *)sqlite3_column_text(s, 1));
        if (!u->list_names[u->nlists++])
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    sqlite3_finalize(s);
    if (rc == RK_OK && u->nlists < 2)
        rc = rk_error_set(ctx, RK_EINPUT,
                          "estimation needs persons on at least 2 lists (found %zu)", u->nlists);
    return rc;
}

/* The import of the gazetteer in force, which the estimates' settings name. */
static int gazetteer_in_force(units *u, rk_store *st)
{
    sqlite3_stmt *s = NULL;
    int rc =
        rk_store__prepare(&s, st, "SELECT id, file_sha256 FROM gazetteer ORDER BY id DESC LIMIT 1",
                          "cannot read the gazetteer");
    if (rc != RK_OK)
        return rc;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        u->gaz_id = sqlite3_column_int64(s, 0);
        snprintf(u->gaz_sha256, sizeof(u->gaz_sha256), "%s", rk_store__text(s, 1));
    } else if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read the gazetteer");
    }
    sqlite3_finalize(s);
    return rc;
}

/* Reads the --by fields. */
static int load_fields(units *u, rk_store *st, const char *by, const char *age_groups)
{
    rk_ctx *ctx = rk_store_ctx(st);
    const char *f;
    size_t flen;
    bool by_age = false;
    int rc = RK_OK;
    for (const char *rest = by && *by ? by : NULL; rk_split_next(&rest, ',', &f, &flen);) {
        char field[40], expr[1024];
        snprintf(field, sizeof(field), "%.*s", (int)RK_MIN(flen, sizeof(field) - 1), f);
        if (u->nby >= MAX_BY)
            return rk_error_set(ctx, RK_EINPUT, "--by takes at most %d fields", MAX_BY);
        if (flen >= sizeof(field) ||
            by_expression(field, expr, sizeof(expr), &u->fold[u->nby]) != RK_OK)
            return rk_error_set(ctx, RK_EINPUT,
                                "cannot stratify by '%.*s'; use region, place, sex, violation, "
                                "age_group, year, month or field:NAME",
                                (int)RK_MIN(flen, 64), f);
        for (size_t b = 0; b < u->nby; b++)
            if (strcmp(u->by[b], field) == 0)
                return rk_error_set(ctx, RK_EINPUT, "--by names '%s' twice", field);
        by_age |= strcmp(field, "age_group") == 0;
        if (u->fold[u->nby] && !u->text &&
            ((rc = rk_text_new(&u->text, ctx, NULL)) != RK_OK ||
             (rc = rk_gazetteer_open(&u->gaz, st)) != RK_OK ||
             (rc = gazetteer_in_force(u, st)) != RK_OK))
            return rc;
        snprintf(u->by[u->nby++], sizeof(u->by[0]), "%s", field);
    }
    if (age_groups && !by_age)
        return rk_error_set(ctx, RK_EINPUT, "--age-groups needs --by age_group");
    if (by_age)
        rc = parse_age_groups(u, ctx, age_groups ? age_groups : "0,15,30,45,60");
    return rc;
}

/* Appends one record read by q (id, person, list id, the fields' values, the place). */
static int add_record(units *u, rk_ctx *ctx, sqlite3_stmt *q)
{
    size_t i = u->nrec;
    if (i == u->rec_cap) {
        size_t cap = u->rec_cap ? 2 * u->rec_cap : 1024;
        int64_t *id = rk_realloc(u->rec_id, cap * sizeof(int64_t));
        if (id)
            u->rec_id = id;
        int64_t *own = id ? rk_realloc(u->own, cap * sizeof(int64_t)) : NULL;
        if (own)
            u->own = own;
        uint8_t *list = own ? rk_realloc(u->rec_list, cap) : NULL;
        if (list)
            u->rec_list = list;
        int32_t *value =
            list ? rk_realloc(u->rec_value, cap * RK_MAX(u->nby, 1) * sizeof(int32_t)) : NULL;
        if (!value)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        u->rec_value = value;
        u->rec_cap = cap;
    }
    u->rec_id[i] = sqlite3_column_int64(q, 0);
    u->own[i] = sqlite3_column_int64(q, 1);
    int64_t list_id = sqlite3_column_int64(q, 2);
    size_t l = 0;
    while (l < u->nlists && u->list_ids[l] != list_id)
        l++;
    assert(l < u->nlists); /* the lists were read from the same rows */
    u->rec_list[i] = (uint8_t)l;
    for (size_t b = 0; b < u->nby; b++) {
        const char *v = (const char *)sqlite3_column_text(q, (int)(3 + b));
        char group[48], folded[96];
        int32_t *slot = &u->rec_value[i * u->nby + b];
        *slot = -1;
        if (!strcmp(u->by[b], "age_group"))
            v = group_of(u, v, group, sizeof(group)) ? group : NULL;
        if (u->fold[b]) {
            const char *place = (const char *)sqlite3_column_text(q, (int)(3 + u->nby));
            int rc = fold_value(u, ctx, b, v, place, folded, sizeof(folded));
            if (rc != RK_OK)
                return rc;
            v = folded;
        }
        if (v && *v) {
            char value[96];
            snprintf(value, sizeof(value), "%s", v);
            int rc = intern(slot, u, ctx, b, value);
            if (rc != RK_OK)
                return rc;
        }
    }
    u->nrec++;
    return RK_OK;
}

int estimate_units_load(units *u, rk_store *st, int64_t run_id, const char *by,
                        const char *age_groups)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    rk_buf sql;
    rk_buf_init(&sql);
    int rc = load_fields(u, st, by, age_groups);
    rc = rc ? rc : load_lists(u, st, run_id);
    if (rc != RK_OK)
        return rc;
    rc = rk_buf_puts(&sql, "SELECT r.id, p.person_id, r.list_id");
    for (size_t b = 0; b < u->nby && rc == RK_OK; b++) {
        char expr[1024];
        by_expression(u->by[b], expr, sizeof(expr), NULL);
        rc = rk_buf_printf(&sql, ", %s", expr);
    }
    rc = rc ? rc
            /* the place, from which a gazetteer finds a region the record does not give */
            : rk_buf_puts(&sql, ", trim(r.place) FROM person p JOIN record r ON r.id ="
                                " p.record_id WHERE p.run_id = ? ORDER BY r.id");
    if (rc != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    if ((rc = rk_store__prepare_int64(&s, st, rk_buf_cstr(&sql), run_id, "cannot read persons")) !=
        RK_OK)
        goto cleanup;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = add_record(u, ctx, s)) != RK_OK)
            goto cleanup;
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read persons");
cleanup:
    sqlite3_finalize(s);
    rk_buf_release(&sql);
    return rc;
}

/* The order in which a person's records vote: by person, then list, then record. */
typedef struct voter {
    int64_t person;
    uint32_t list, rec;
} voter;

static int voter_cmp(const void *pa, const void *pb)
{
    const voter *a = pa, *b = pb;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    if (a->list != b->list)
        return a->list < b->list ? -1 : 1;
    return a->rec < b->rec ? -1 : a->rec > b->rec;
}

/* The value most of one person's records (voters v[0..n)) give of field b, -1 for none; also
 * marks in *given the lists whose records gave one that was counted. */
static int32_t vote(const units *u, const voter *v, size_t n, size_t b, uint64_t *given)
{
    int32_t value[MAX_VOTES];
    int count[MAX_VOTES];
    int nv = 0, best = -1;
    for (size_t i = 0; i < n; i++) {
        int32_t x = u->rec_value[(size_t)v[i].rec * u->nby + b];
        if (x < 0)
            continue;
        int k = 0;
        while (k < nv && value[k] != x)
            k++;
        if (k == nv) {
            if (k == MAX_VOTES)
                continue;
            value[nv] = x;
            count[nv++] = 0;
        }
        count[k]++;
        *given |= UINT64_C(1) << v[i].list;
    }
    for (int k = 0; k < nv; k++)
        if (best < 0 || count[k] > count[best])
            best = k;
    return best < 0 ? -1 : value[best];
}

int estimate_tabulate_persons(tabulation *t, rk_ctx *ctx, const units *u, const int64_t *person)
{
    t->u = u;
    t->nby = u->nby;
    memcpy(t->by, u->by, sizeof(t->by));
    t->nlists = u->nlists;
    t->list_names = u->list_names;
    if (u->nrec == 0)
        return RK_OK;
    voter *v = rk_malloc(u->nrec * sizeof(voter));
    t->mask = rk_malloc(u->nrec * sizeof(uint64_t));
    t->value = rk_malloc(u->nrec * RK_MAX(u->nby, 1) * sizeof(int32_t));
    t->lacked = rk_calloc(u->nrec, 1);
    if (!v || !t->mask || !t->value || !t->lacked) {
        rk_free(v);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < u->nrec; i++)
        v[i] = (voter){
            .person = person ? person[i] : u->own[i], .list = u->rec_list[i], .rec = (uint32_t)i};
    qsort(v, u->nrec, sizeof(voter), voter_cmp);
    for (size_t i = 0, j; i < u->nrec; i = j) {
        uint64_t mask = 0;
        for (j = i; j < u->nrec && v[j].person == v[i].person; j++)
            mask |= UINT64_C(1) << v[j].list;
        size_t p = t->npersons++;
        t->mask[p] = mask;
        for (size_t b = 0; b < t->nby; b++) {
            uint64_t given = 0;
            t->value[p * t->nby + b] = vote(u, v + i, j - i, b, &given);
            if (t->value[p * t->nby + b] < 0) {
                t->without[b]++;
                t->lacked[p] |= (uint8_t)(1u << b);
            }
            for (size_t l = 0; l < t->nlists; l++)
                t->unrecorded[l][b] += (mask >> l & 1) && !(given >> l & 1);
        }
        for (size_t l = 0; t->nby && l < t->nlists; l++)
            t->named[l] += mask >> l & 1;
    }
    rk_free(v);
    return RK_OK;
}

int estimate_tabulate_strata(tabulation *t, rk_ctx *ctx)
{
    int rc = rk_capture_table_new(&t->all, ctx, t->nlists, (const char *const *)t->list_names);
    for (size_t p = 0; p < t->npersons && rc == RK_OK; p++) {
        rc = rk_capture_table_add(t->all, ctx, t->mask[p], 1);
        if (rc != RK_OK || t->nby == 0)
            continue;
        stratum *s = NULL;
        rc = find_stratum(t, ctx, &t->value[p * t->nby], &s);
        rc = rc ? rc : rk_capture_table_add(s->table, ctx, t->mask[p], 1);
        if (rc == RK_OK && t->lacked[p] && !estimate_stratum_unvalued(t, s))
            s->imputed++;
    }
    return rc ? rc : label_strata(t, ctx);
}

int estimate_tabulation_finish(tabulation *t, rk_ctx *ctx, const char *lists)
{
    int rc = RK_OK;
    if (lists) {
        rc = estimate_select_lists(&t->all, ctx, lists);
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
        /* the persons without a value among those the chosen lists name */
        uint64_t chosen = 0;
        for (size_t l = 0; rc == RK_OK && l < t->nlists; l++) {
            size_t j;
            if (rk_capture_table_find_list(&j, t->all, t->list_names[l]) == RK_OK)
                chosen |= UINT64_C(1) << l;
        }
        for (size_t b = 0; rc == RK_OK && b < t->nby; b++) {
            bool imputed = t->imputed[b] > 0;
            t->without[b] = t->imputed[b] = 0;
            for (size_t p = 0; p < t->npersons; p++)
                if ((t->mask[p] & chosen) && (t->lacked[p] >> b & 1)) {
                    t->without[b]++;
                    t->imputed[b] += imputed;
                }
        }
    }
    char fields[MAX_BY * 42];
    size_t len = 0;
    for (size_t b = 0; b < t->nby; b++)
        len +=
            (size_t)snprintf(fields + len, sizeof(fields) - len, "%s%s", b ? ", " : "", t->by[b]);
    for (size_t i = 0; i < t->nstrata && rc == RK_OK; i++) {
        rc = rk_capture_table_set_whole(t->strata[i].table, ctx, t->all, fields);
        t->strata[i].table->unvalued = estimate_stratum_unvalued(t, &t->strata[i]);
    }
    return rc;
}

int64_t estimate_unvalued_persons(const tabulation *t, int64_t per_list[MAX_LISTS])
{
    int64_t n = 0;
    memset(per_list, 0, MAX_LISTS * sizeof(int64_t));
    for (size_t p = 0; p < t->npersons; p++) {
        bool lacks = false;
        for (size_t b = 0; b < t->nby; b++)
            lacks |= t->value[p * t->nby + b] < 0;
        if (!lacks)
            continue;
        n++;
        for (size_t l = 0; l < t->nlists; l++)
            per_list[l] += t->mask[p] >> l & 1;
    }
    return n;
}
