/* Loading a project's current records into link arrays: names parsed and keyed by the text
 * module (per list language and name order), dates as ranges (an age becomes the birth dates
 * consistent with it), sex, places and extras folded, and reviewers' decisions as labels. */
#include "mpi.h"
#include "project_private.h"
#include "store/store_internal.h"

#include <ctype.h>
#include <sqlite3.h>

/* Columns of the load query, in order. */
enum {
    C_ID,
    C_LIST,
    C_KEY,
    C_FULL,
    C_GIVEN,
    C_FAMILY,
    C_SECOND,
    C_PATRONYMIC,
    C_FATHER,
    C_SEX,
    C_BIRTH,
    C_BIRTH_PREC,
    C_BIRTH_YEAR,
    C_AGE,
    C_DEATH,
    C_DEATH_PREC,
    C_PLACE,
    C_REGION,
    C_EXTRA,
    C_LANG,
    C_ORDER
};

static const char load_sql[] =
    "SELECT r.id, r.list_id, r.record_key, r.full_name, r.given_name, r.family_name,"
    " r.second_family_name, r.patronymic, r.father_name, r.sex, r.birth_date, r.birth_precision,"
    " r.birth_year, r.age, r.death_date, r.death_precision, r.place, r.region, r.extra,"
    " l.language, json_extract(i.mapping, '$.name_order')"
    " FROM current_record r JOIN list l ON l.id = r.list_id JOIN import i ON i.id = r.import_id"
    " ORDER BY r.id";

/* "1992-04-03" with its precision as a link date range. */
static rk_link_date iso_date(const char *iso, const char *prec)
{
    if (!iso || !prec)
        return RK_LINK_DATE_MISSING;
    int64_t y = 0, m = 0, d = 0;
    char part[8];
    size_t n = strlen(iso);
    if (n >= 4) {
        memcpy(part, iso, 4);
        part[4] = '\0';
        rk_parse_i64(&y, part);
    }
    if (n >= 7 && strcmp(prec, "year") != 0) {
        memcpy(part, iso + 5, 2);
        part[2] = '\0';
        rk_parse_i64(&m, part);
    }
    if (n >= 10 && strcmp(prec, "day") == 0) {
        memcpy(part, iso + 8, 2);
        part[2] = '\0';
        rk_parse_i64(&d, part);
    }
    if (y <= 0)
        return RK_LINK_DATE_MISSING;
    return rk_link_date_ymd((int)y, (int)m, (int)d);
}

static int add_key(rk_ctx *ctx, rk_link_data *d, int field, uint8_t tag, const char *s)
{
    if (field < 0 || !s || !*s)
        return RK_OK;
    return rk_link_data_add_key(ctx, d, (size_t)field, tag, s, strlen(s));
}

static int add_token_keys(rk_ctx *ctx, rk_link_data *d, int field, const rk_text_keys *k)
{
    int rc = add_key(ctx, d, field, TAG_SOUND, k->key);
    if (rc == RK_OK && k->alt && *k->alt && strcmp(k->alt, k->key) != 0)
        rc = add_key(ctx, d, field, TAG_SOUND, k->alt);
    if (rc == RK_OK)
        rc = add_key(ctx, d, field, TAG_LATIN, k->latin);
    if (rc == RK_OK)
        rc = add_key(ctx, d, field, TAG_SKEL, k->skel);
    if (rc == RK_OK && (k->flags & RK_TOKEN_ABJAD))
        rc = add_key(ctx, d, field, TAG_ABJAD, k->skel);
    if (rc == RK_OK && k->nick) {
        char nick[16];
        snprintf(nick, sizeof(nick), "n%u", k->nick);
        rc = add_key(ctx, d, field, TAG_NICK, nick);
    }
    return rc;
}

/* The distinct sound keys of a name field's tokens (borrowed from the text module). */
typedef struct name_keys {
    const char *key[8];
    size_t n;
} name_keys;

static void name_keys_add(name_keys *k, const char *key)
{
    if (!key || !*key || k->n >= RK_ARRAY_LEN(k->key))
        return;
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->key[i], key) == 0)
            return;
    /* Insertion in sorted order: the joined key does not depend on the order of the words. */
    size_t at = k->n;
    while (at > 0 && strcmp(k->key[at - 1], key) > 0) {
        k->key[at] = k->key[at - 1];
        at--;
    }
    k->key[at] = key;
    k->n++;
}

/* The keys joined by spaces; false when there are none (or they do not fit). */
static bool name_keys_join(const name_keys *k, char *out, size_t cap)
{
    size_t len = 0;
    for (size_t i = 0; i < k->n; i++) {
        size_t n = strlen(k->key[i]);
        if (len + n + 2 > cap)
            return false;
        if (len)
            out[len++] = ' ';
        memcpy(out + len, k->key[i], n);
        len += n;
    }
    out[len] = '\0';
    return len > 0;
}

/* A folded value: lower-case, blanks squeezed (extras such as ID numbers or postcodes). */
static void fold_value(const char *s, char *out, size_t outsz)
{
    size_t n = 0;
    bool space = false;
    for (; *s && n + 1 < outsz; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '\t') {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < outsz)
            out[n++] = ' ';
        space = false;
        out[n++] = (char)(c < 0x80 ? tolower(c) : c);
    }
    out[n] = '\0';
}

typedef struct key_index {
    char **keys;    /* borrowed: the records' keys */
    uint32_t *slot; /* record index + 1, 0 empty */
    size_t cap;
} key_index;

static int key_index_build(key_index *ix, char **keys, size_t n)
{
    ix->keys = keys;
    ix->cap = 16;
    while (ix->cap < n * 2)
        ix->cap *= 2;
    ix->slot = rk_calloc(ix->cap, sizeof(uint32_t));
    if (!ix->slot)
        return RK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t h = (size_t)rk_hash64(keys[i], strlen(keys[i]), 7) & (ix->cap - 1);
        while (ix->slot[h])
            h = (h + 1) & (ix->cap - 1);
        ix->slot[h] = (uint32_t)i + 1;
    }
    return RK_OK;
}

static int64_t key_index_find(const key_index *ix, const char *key)
{
    size_t h = (size_t)rk_hash64(key, strlen(key), 7) & (ix->cap - 1);
    while (ix->slot[h]) {
        if (strcmp(ix->keys[ix->slot[h] - 1], key) == 0)
            return ix->slot[h] - 1;
        h = (h + 1) & (ix->cap - 1);
    }
    return -1;
}

/* Reviewers' latest verdicts (match, non-match) on pairs of current records. */
static int load_labels(project_records *r, rk_store *st)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    key_index ix = {0};
    size_t cap = 0;
    int rc = rk_store__prepare(&s, st,
                               "SELECT key_a, key_b, verdict FROM latest_decision WHERE verdict !="
                               " 'unsure' ORDER BY id",
                               "cannot read decisions");
    if (rc != RK_OK)
        return rc;
    if (key_index_build(&ix, r->record_key, r->data.nrecords) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t a = key_index_find(&ix, rk_store__text(s, 0)),
                b = key_index_find(&ix, rk_store__text(s, 1));
        if (a < 0 || b < 0 || a == b)
            continue; /* a record no longer current */
        if (rk_grow((void **)&r->labels, &cap, r->nlabels + 1, sizeof(rk_link_label)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        r->labels[r->nlabels++] = (rk_link_label){
            .a = (uint32_t)(a < b ? a : b),
            .b = (uint32_t)(a < b ? b : a),
            .match = strcmp(rk_store__text(s, 2), "match") == 0,
        };
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read decisions");
cleanup:
    rk_free(ix.slot);
    sqlite3_finalize(s);
    return rc;
}

/* A year is the number that the first four characters of a date of death begin with (SQLite's
 * CAST: "19xx" is 19, a date without digits 0), so it lies in [YEAR_LOW, YEAR_HIGH]. */
#define YEAR_LOW  (-999)
#define YEAR_HIGH 9999

typedef struct list_sexes {
    int64_t list_id;
    bool h, f; /* writes H; writes F */
} list_sexes;

/* The value of rank k (from 0) of the years counted in `count`. */
static int year_at(const uint64_t *count, uint64_t k)
{
    for (int y = YEAR_LOW; y <= YEAR_HIGH; y++) {
        if (k < count[y - YEAR_LOW])
            return y;
        k -= count[y - YEAR_LOW];
    }
    return 0;
}

int link_records_survey(records_survey *out, rk_store *st)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    uint64_t *count = rk_calloc(YEAR_HIGH - YEAR_LOW + 1, sizeof(uint64_t)), dated = 0;
    list_sexes *lists = NULL;
    size_t nlists = 0, cap = 0, last = 0, total = 0;
    memset(out, 0, sizeof(*out));
    int rc = count ? RK_OK : rk_error_set(ctx, RK_ENOMEM, "out of memory");
    if (rc == RK_OK && (rc = rk_store__prepare(&s, st, "SELECT count(*) FROM current_record",
                                               "cannot read records")) == RK_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            total = (size_t)sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        s = NULL;
    }
    if (rc == RK_OK)
        rc = rk_store__prepare(&s, st,
                               "SELECT list_id, CAST(substr(death_date, 1, 4) AS INTEGER),"
                               " upper(trim(sex, ' .')) = 'H', upper(trim(sex, ' .')) = 'F'"
                               " FROM current_record",
                               "cannot read records");
    int step = SQLITE_DONE;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t list_id = sqlite3_column_int64(s, 0);
        if (nlists == 0 || lists[last].list_id != list_id) { /* records come list by list */
            for (last = 0; last < nlists && lists[last].list_id != list_id; last++)
                ;
            if (last == nlists) {
                if (rk_grow((void **)&lists, &cap, nlists + 1, sizeof(list_sexes)) != RK_OK) {
                    rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
                    break;
                }
                lists[nlists++] = (list_sexes){list_id, false, false};
            }
        }
        if (sqlite3_column_type(s, 1) != SQLITE_NULL) {
            int64_t y = sqlite3_column_int64(s, 1);
            if (y >= YEAR_LOW && y <= YEAR_HIGH) { /* always, for four characters */
                count[y - YEAR_LOW]++;
                dated++;
            }
        }
        lists[last].h = lists[last].h || sqlite3_column_int(s, 2);
        lists[last].f = lists[last].f || sqlite3_column_int(s, 3);
        if (++out->nrecords % 65536 == 0)
            rk_progress(ctx, "surveying records", out->nrecords, total);
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read records");
    if (out->nrecords) /* the stage's end, when it began */
        rk_progress(ctx, "surveying records", out->nrecords, out->nrecords);
    if (rc == RK_OK && dated) /* the ranks SQLite's OFFSET count * pct / 100 picks */
        for (int k = 0; k < 2; k++)
            out->year[k] = year_at(count, dated * (k ? 98 : 2) / 100);
    size_t hcap = 0;
    for (size_t l = 0; rc == RK_OK && l < nlists; l++)
        if (lists[l].h && !lists[l].f) {
            if (rk_grow((void **)&out->hm, &hcap, out->nhm + 1, sizeof(int64_t)) != RK_OK)
                rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            else
                out->hm[out->nhm++] = lists[l].list_id;
        }
    sqlite3_finalize(s);
    rk_free(count);
    rk_free(lists);
    if (rc != RK_OK) {
        rk_free(out->hm);
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

static bool hm_list(const int64_t *hm, size_t n, int64_t list_id)
{
    for (size_t i = 0; i < n; i++)
        if (hm[i] == list_id)
            return true;
    return false;
}

static int list_index(project_records *r, rk_ctx *ctx, int64_t list_id, size_t *cap, uint32_t *out)
{
    for (size_t i = 0; i < r->nlists; i++)
        if (r->list_id[i] == list_id) {
            *out = (uint32_t)i;
            return RK_OK;
        }
    if (rk_grow((void **)&r->list_id, cap, r->nlists + 1, sizeof(int64_t)) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    r->list_id[r->nlists] = list_id;
    *out = (uint32_t)r->nlists++;
    return RK_OK;
}

/* A Russian-style parse (Family Given Patronymic) of a name whose last word has no patronymic
 * form and no particle marks it ("Rincon Tupa Javier" in a list kept in Russian) reads a
 * second family name and a given name: the last word becomes the given name and the middle
 * one a family name, as the other lists will have them. A name written family first with
 * three words or more and no patronymic form, in Latin letters in a list of another script
 * ("Cardona Auccatoma Fortunato" in a list kept in Russian) or of no known culture ("Villa
 * Tito Ruben"), is read the same way whatever culture its words suggest: a second family
 * name, then the given names, unless the second word is a known given name. */
static void unread_patronymic(rk_name *name, bool foreign)
{
    bool loose =
        (foreign && name->culture != RK_CULTURE_ARABIC && name->culture != RK_CULTURE_SPANISH) ||
        name->culture == RK_CULTURE_GENERIC;
    if ((name->culture != RK_CULTURE_EAST_SLAVIC && !loose) ||
        name->order != RK_ORDER_FAMILY_FIRST || name->ntokens < 3)
        return;
    rk_name_token *last = &name->tokens[name->ntokens - 1];
    for (size_t i = 0; i < name->ntokens; i++)
        if (name->tokens[i].role == RK_ROLE_PARTICLE ||
            (name->tokens[i].role == RK_ROLE_PATRONYMIC &&
             (name->tokens[i].k.flags & RK_TOKEN_STEM)))
            return;
    if (loose) {
        rk_name_token *second = &name->tokens[1];
        if (name->tokens[0].role != RK_ROLE_FAMILY || second->k.gender != RK_GENDER_UNKNOWN ||
            (second->role != RK_ROLE_GIVEN && second->role != RK_ROLE_PATRONYMIC))
            return;
        second->role = RK_ROLE_SECOND_FAMILY;
        for (size_t i = 2; i < name->ntokens; i++)
            name->tokens[i].role = RK_ROLE_GIVEN;
        return;
    }
    if (last->role != RK_ROLE_PATRONYMIC)
        return;
    for (size_t i = 0; i + 1 < name->ntokens; i++)
        if (name->tokens[i].role == RK_ROLE_PATRONYMIC)
            return;
    for (size_t i = 0; i + 1 < name->ntokens; i++)
        if (name->tokens[i].role == RK_ROLE_GIVEN)
            name->tokens[i].role = RK_ROLE_SECOND_FAMILY;
    last->role = RK_ROLE_GIVEN;
}

/* Whether a name is written wholly in Latin letters in a list whose language has a script of
 * its own (Russian, Armenian, Georgian). */
static bool foreign_name(const rk_name *name, const char *lang)
{
    if (!lang || (strcmp(lang, "ru") != 0 && strcmp(lang, "hy") != 0 && strcmp(lang, "ka") != 0))
        return false;
    for (size_t i = 0; i < name->ntokens; i++)
        if (name->tokens[i].k.script != RK_SCRIPT_LATIN)
            return false;
    return name->ntokens > 0;
}

static int add_record(project_records *r, rk_ctx *ctx, rk_text *text, const link_setup *su,
                      sqlite3_stmt *s, const int ref_year[2], const int *fidx, bool hm)
{
    rk_link_data *d = &r->data;
    const char *fields[RK_FIELD_COUNT] = {0};
    fields[RK_FIELD_FULL_NAME] = rk_store__text(s, C_FULL);
    fields[RK_FIELD_GIVEN_NAME] = rk_store__text(s, C_GIVEN);
    fields[RK_FIELD_FAMILY_NAME] = rk_store__text(s, C_FAMILY);
    fields[RK_FIELD_SECOND_FAMILY_NAME] = rk_store__text(s, C_SECOND);
    fields[RK_FIELD_PATRONYMIC] = rk_store__text(s, C_PATRONYMIC);
    rk_name name;
    int rc = rk_text_record_name(&name, text, fields);
    if (rc != RK_OK)
        return rc;
    unread_patronymic(&name, foreign_name(&name, rk_store__text(s, C_LANG)));
    name_keys all[3];
    memset(all, 0, sizeof(all));
    static const field_source name_src[3] = {SRC_GIVEN, SRC_FAMILY, SRC_PATRONYMIC};
    for (size_t i = 0; i < name.ntokens && rc == RK_OK; i++) {
        const rk_name_token *t = &name.tokens[i];
        int w = t->role == RK_ROLE_GIVEN           ? 0
                : t->role == RK_ROLE_FAMILY        ? 1
                : t->role == RK_ROLE_SECOND_FAMILY ? 1
                : t->role == RK_ROLE_PATRONYMIC    ? 2
                                                   : -1;
        if (w >= 0 && fidx[name_src[w]] >= 0) {
            rc = add_token_keys(ctx, d, fidx[name_src[w]], &t->k);
            name_keys_add(&all[w], t->k.key);
        }
    }
    const char *father = rk_store__text(s, C_FATHER);
    if (rc == RK_OK && father && fidx[SRC_PATRONYMIC] >= 0) {
        rk_text_keys k;
        if (rk_text_key(&k, text, father, RK_ROLE_GIVEN) == RK_OK) {
            rc = add_token_keys(ctx, d, fidx[SRC_PATRONYMIC], &k);
            name_keys_add(&all[2], k.key);
        }
    }
    for (size_t w = 0; w < 3 && rc == RK_OK; w++) {
        char joined[256];
        if (name_keys_join(&all[w], joined, sizeof(joined)))
            rc = add_key(ctx, d, fidx[name_src[w]], TAG_ALL, joined);
    }
    if (rc != RK_OK)
        return rc;
    /* Dates: birth from a date, a year, or an age at death. */
    rk_link_date death = iso_date(rk_store__text(s, C_DEATH), rk_store__text(s, C_DEATH_PREC));
    rk_link_date birth = iso_date(rk_store__text(s, C_BIRTH), rk_store__text(s, C_BIRTH_PREC));
    if (birth.lo > birth.hi && sqlite3_column_type(s, C_BIRTH_YEAR) == SQLITE_INTEGER)
        birth = rk_link_date_ymd(sqlite3_column_int(s, C_BIRTH_YEAR), 0, 0);
    if (birth.lo > birth.hi && sqlite3_column_type(s, C_AGE) == SQLITE_INTEGER) {
        int age = sqlite3_column_int(s, C_AGE);
        const char *dd = rk_store__text(s, C_DEATH);
        int64_t y = 0, m = 0, day = 0;
        if (dd && strlen(dd) >= 4) {
            char part[5] = {dd[0], dd[1], dd[2], dd[3], 0};
            rk_parse_i64(&y, part);
            if (strlen(dd) >= 7) {
                char mp[3] = {dd[5], dd[6], 0};
                rk_parse_i64(&m, mp);
            }
            if (strlen(dd) >= 10) {
                char dp[3] = {dd[8], dd[9], 0};
                rk_parse_i64(&day, dp);
            }
            if (y > 0)
                birth = rk_link_date_from_age(age, (int)y, (int)m, (int)day);
        } else if (ref_year[0] > 0) {
            rk_link_date first = rk_link_date_from_age(age, ref_year[0], 0, 0);
            rk_link_date last = rk_link_date_from_age(age, ref_year[1], 0, 0);
            if (first.lo <= first.hi && last.lo <= last.hi)
                birth = (rk_link_date){first.lo, last.hi};
        }
    }
    if (fidx[SRC_BIRTH] >= 0 && birth.lo <= birth.hi)
        rc = rk_link_data_set_date(ctx, d, (size_t)fidx[SRC_BIRTH], birth);
    if (rc == RK_OK && fidx[SRC_DEATH] >= 0 && death.lo <= death.hi)
        rc = rk_link_data_set_date(ctx, d, (size_t)fidx[SRC_DEATH], death);
    /* Sex as the list gives it (an inferred sex would count the name's evidence twice). */
    if (rc == RK_OK && fidx[SRC_SEX] >= 0 && rk_store__text(s, C_SEX)) {
        unsigned flags = 0;
        const char *v = rk_store__text(s, C_SEX);
        rk_sex sex = hm ? rk_text_sex_hm(text, v) : rk_text_sex(text, v, NULL, &flags);
        if (sex != RK_SEX_UNKNOWN)
            rc = add_key(ctx, d, fidx[SRC_SEX], TAG_VALUE, sex == RK_SEX_MALE ? "m" : "f");
    }
    static const struct {
        field_source src;
        int column;
    } places[] = {{SRC_PLACE, C_PLACE}, {SRC_REGION, C_REGION}};
    for (size_t p = 0; p < RK_ARRAY_LEN(places) && rc == RK_OK; p++) {
        const char *v = rk_store__text(s, places[p].column);
        if (fidx[places[p].src] < 0 || !v)
            continue;
        rk_buf key;
        rk_buf_init(&key);
        if (rk_text_place_key(&key, text, v) == RK_OK && key.len)
            rc = add_key(ctx, d, fidx[places[p].src], TAG_VALUE, rk_buf_cstr(&key));
        rk_buf_release(&key);
    }
    /* Extras, from the record's extra JSON. */
    const char *extra = rk_store__text(s, C_EXTRA);
    for (size_t f = 0; f < su->nfields && rc == RK_OK && extra; f++) {
        if (su->fields[f].source != SRC_EXTRA)
            continue;
        /* json_extract would cost a query per field: the importer writes flat objects of
         * strings, so a direct look-up of "NAME":"value" is exact. */
        char pat[64];
        snprintf(pat, sizeof(pat), "\"%s\":\"", su->fields[f].name + 6);
        const char *p = strstr(extra, pat);
        if (!p)
            continue;
        p += strlen(pat);
        char raw[512], folded[512];
        size_t n = 0;
        for (; *p && *p != '"' && n + 1 < sizeof(raw); p++) {
            if (*p == '\\' && p[1])
                p++;
            raw[n++] = *p;
        }
        raw[n] = '\0';
        fold_value(raw, folded, sizeof(folded));
        if (!*folded)
            continue;
        rc = add_key(ctx, d, (int)f, TAG_VALUE, folded);
        char sx[5];
        rk_link_soundex(sx, folded, strlen(folded));
        if (rc == RK_OK && sx[0])
            rc = add_key(ctx, d, (int)f, TAG_VSOUND, sx);
    }
    return rc;
}

/* The values of an extra sampled per import to choose its kind: the first of its records. */
#define EXTRA_SAMPLE 500

/* A code: at least half of the value's characters other than blanks are digits. */
static bool code_value(const char *v)
{
    size_t digits = 0, other = 0;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t')
            continue;
        if (*v >= '0' && *v <= '9')
            digits++;
        else
            other++;
    }
    return digits > 0 && digits >= other;
}

/* The kinds of the kept extras from EXTRA_SAMPLE records of each current import (the first by
 * record key, read in the order of its index, no sort): a column of codes when more than half
 * of its sampled values are codes. */
static int extra_kinds(link_setup *s, rk_store *st)
{
    sqlite3_stmt *imports = NULL, *values = NULL;
    size_t kept = s->nextras < LINK_MAX_EXTRAS ? s->nextras : LINK_MAX_EXTRAS;
    size_t codes[LINK_MAX_EXTRAS] = {0}, seen[LINK_MAX_EXTRAS] = {0};
    int rc = rk_store__prepare(&imports, st, "SELECT id FROM import WHERE superseded_by IS NULL",
                               "cannot read imports");
    if (rc == RK_OK)
        rc = rk_store__prepare(&values, st,
                               "SELECT j.key, j.value FROM (SELECT extra FROM record WHERE"
                               " import_id = ? AND extra IS NOT NULL ORDER BY record_key"
                               " LIMIT ?) r, json_each(r.extra) j WHERE j.type = 'text'",
                               "cannot read extra fields");
    if (rc != RK_OK)
        goto cleanup;
    int step;
    while ((step = sqlite3_step(imports)) == SQLITE_ROW) {
        sqlite3_reset(values);
        sqlite3_bind_int64(values, 1, sqlite3_column_int64(imports, 0));
        sqlite3_bind_int(values, 2, EXTRA_SAMPLE);
        while ((step = sqlite3_step(values)) == SQLITE_ROW) {
            const char *key = rk_store__text(values, 0), *v = rk_store__text(values, 1);
            if (!key || !v || !*v)
                continue;
            for (size_t e = 0; e < kept; e++)
                if (strcmp(s->extras[e].name + 6, key) == 0) {
                    seen[e]++;
                    codes[e] += code_value(v);
                    break;
                }
        }
        if (step != SQLITE_DONE)
            break;
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read extra fields");
        goto cleanup;
    }
    for (size_t e = 0; e < kept; e++)
        s->extras[e].code = codes[e] * 2 > seen[e];
cleanup:
    sqlite3_finalize(values);
    sqlite3_finalize(imports);
    return rc;
}

int link_setup_read_extras(link_setup *s, rk_store *st)
{
    sqlite3_stmt *q = NULL;
    s->nextras = 0;
    int rc = rk_store__prepare(&q, st,
                               "SELECT DISTINCT j.key FROM import i, json_each(i.mapping,"
                               " '$.columns') j WHERE i.superseded_by IS NULL AND j.key LIKE"
                               " 'field:_%' ORDER BY j.key",
                               "cannot read the imports' mappings");
    if (rc != RK_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = rk_store__text(q, 0);
        if (s->nextras < LINK_MAX_EXTRAS) {
            setup_extra *e = &s->extras[s->nextras];
            memset(e, 0, sizeof(*e));
            e->too_long = snprintf(e->name, sizeof(e->name), "%s", name) >= (int)sizeof(e->name);
        }
        s->nextras++;
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the imports' mappings");
    sqlite3_finalize(q);
    return rc == RK_OK ? extra_kinds(s, st) : rc;
}

/* Reads the rows of the load, *rows of them: the list of each, and the record of each row in
 * [lo, hi) (every row outside an MPI run; at a rank of one, its part: mpi_records.c). */
static int read_rows(project_records *r, size_t *rows, rk_store *st, const link_setup *su,
                     const records_survey *survey, const int ref_year[2], const int *fidx,
                     size_t lo, size_t hi)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    rk_text *text = NULL;
    size_t cap_rec = 0, cap_keys = 0, cap_lists = 0, row = 0;
    int rc = rk_text_new(&text, ctx, NULL);
    if (rc != RK_OK || (rc = rk_store__prepare(&s, st, load_sql, "cannot read records")) != RK_OK)
        goto cleanup;
    int step;
    int64_t last_list = -1;
    uint32_t li = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t list_id = sqlite3_column_int64(s, C_LIST);
        /* every rank numbers the lists as one process does: in the order of all the rows */
        if (list_id != last_list) {
            if ((rc = list_index(r, ctx, list_id, &cap_lists, &li)) != RK_OK)
                goto cleanup;
            last_list = list_id;
        }
        if (++row % 50000 == 0)
            rk_progress(ctx, "loading records", row, survey->nrecords);
        if (row <= lo || row > hi)
            continue;
        /* The list's language and name order guide the parse. */
        rk_text_set_lang_codes(text, rk_store__text(s, C_LANG), rk_store__text(s, C_ORDER));
        size_t i = r->data.nrecords;
        if (rk_grow((void **)&r->record_id, &cap_rec, i + 1, sizeof(int64_t)) != RK_OK ||
            rk_grow((void **)&r->record_key, &cap_keys, i + 1, sizeof(char *)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        r->record_key[i] = NULL;
        if ((rc = rk_link_data_add_record(ctx, &r->data, li, -1)) != RK_OK)
            goto cleanup;
        r->record_id[i] = sqlite3_column_int64(s, C_ID);
        r->record_key[i] = rk_strdup(rk_store__text(s, C_KEY));
        if (!r->record_key[i]) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        if ((rc = add_record(r, ctx, text, su, s, ref_year, fidx,
                             hm_list(survey->hm, survey->nhm, list_id))) != RK_OK)
            goto cleanup;
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read records");
    else
        rk_progress(ctx, "loading records", row, row);
cleanup:
    *rows = row;
    sqlite3_finalize(s);
    rk_text_free(text);
    return rc;
}

int link_records_load(project_records *r, rk_store *st, const link_setup *su)
{
    rk_ctx *ctx = rk_store_ctx(st);
    memset(r, 0, sizeof(*r));
    rk_link_data_init(&r->data);
    sqlite3_stmt *s = NULL;
    int rc = RK_OK;
    int fidx[SRC_EXTRA + 1];
    for (int i = 0; i <= SRC_EXTRA; i++)
        fidx[i] = -1;
    for (size_t f = 0; f < su->nfields; f++) {
        size_t idx;
        if ((rc = rk_link_data_add_field(&idx, ctx, &r->data, su->fields[f].name,
                                         su->fields[f].type)) != RK_OK)
            return rc;
        if (su->fields[f].source != SRC_EXTRA)
            fidx[su->fields[f].source] = (int)idx;
    }
    records_survey survey;
    if ((rc = link_records_survey(&survey, st)) != RK_OK)
        return rc;
    int ref_year[2] = {su->reference_year, su->reference_year};
    if (!su->reference_year)
        ref_year[0] = survey.year[0], ref_year[1] = survey.year[1];
    size_t lo, hi, rows = 0;
    link_mpi_part(survey.nrecords, &lo, &hi);
    rc = read_rows(r, &rows, st, su, &survey, ref_year, fidx, lo, hi);
    rc = link_mpi_records_join(ctx, &r->data, &r->record_id, &r->record_key, lo, hi, rows, rc);
    if (rc != RK_OK)
        goto cleanup;
    r->list_name = rk_calloc(r->nlists ? r->nlists : 1, sizeof(char *));
    if (!r->list_name) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rk_store__prepare(&s, st, "SELECT name FROM list WHERE id = ?",
                                "cannot read lists")) != RK_OK)
        goto cleanup;
    for (size_t l = 0; l < r->nlists; l++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, r->list_id[l]);
        if (sqlite3_step(s) == SQLITE_ROW)
            r->list_name[l] = rk_strdup(rk_store__text(s, 0));
        if (!r->list_name[l]) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    rc = load_labels(r, st);
cleanup:
    sqlite3_finalize(s);
    rk_free(survey.hm);
    if (rc != RK_OK)
        link_records_release(r);
    return rc;
}

void link_records_release(project_records *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->record_key && i < r->data.nrecords; i++)
        rk_free(r->record_key[i]);
    for (size_t l = 0; r->list_name && l < r->nlists; l++)
        rk_free(r->list_name[l]);
    rk_free(r->record_key);
    rk_free(r->record_id);
    rk_free(r->list_id);
    rk_free(r->list_name);
    rk_free(r->labels);
    rk_link_data_release(&r->data);
    memset(r, 0, sizeof(*r));
}
