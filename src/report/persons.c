/* Documented persons, the unit every count of the report is made of: the persons of the latest
 * link run as the view documented_person defines them (a current record that run has not seen,
 * or every record before any linkage, is a person of its own), each with one
 * category, sex, age group and value per stratum field chosen from its records, and the lists
 * that name it. One streaming pass over the records; aggregation happens in memory.
 *
 * Where a person's records disagree, the value most of its records give wins; a tie goes to the
 * value of the record of the first list (lowest list id), then the first record. Records with
 * no value do not vote. */
#include "report_private.h"
#include "store/store_internal.h"

/* ---- the accessors: where each value is read from (the one place to change when the
 * standardization module fills record.std) ------------------------------------------------ */

#define SQL_VIOLATION "coalesce(json_extract(r.std, '$.violation'), r.violation)"
#define SQL_SEX       "coalesce(json_extract(r.std, '$.sex'), r.sex)"
#define SQL_AGE       "coalesce(json_extract(r.std, '$.age'), r.age)"
#define SQL_BIRTH_YEAR                                                                             \
    "coalesce(json_extract(r.std, '$.birth_year'), r.birth_year, CAST(substr(r.birth_date, 1, 4) " \
    "AS INTEGER))"
#define SQL_EVENT_YEAR                                                                             \
    "coalesce(json_extract(r.std, '$.death_year'), CAST(substr(r.death_date, 1, 4) AS INTEGER))"

/* Whether a field's values are places, compared by their stratum key. */
static bool is_place_field(const char *field)
{
    return strcmp(field, "region") == 0 || strcmp(field, "place") == 0;
}

/* A stratum field: a mapped column of the record (standardized value first), or an extra. */
static int field_sql(rk_buf *b, const char *name)
{
    static const char *const columns[] = {"place", "region",          "violation",
                                          "sex",   "birth_precision", "death_precision"};
    for (size_t i = 0; i < RK_ARRAY_LEN(columns); i++)
        if (strcmp(name, columns[i]) == 0)
            return rk_buf_printf(b, ", coalesce(json_extract(r.std, '$.%s'), r.%s)", name, name);
    return rk_buf_printf(b, ", json_extract(r.extra, '$.%s')", name);
}

void rk_report_category_class(char *out, size_t outsz, const char *category)
{
    static const char *const synonyms[][2] = {
        {"hostage", "detained"},  {"hostages", "detained"},   {"captured", "detained"},
        {"arrested", "detained"}, {"missing", "disappeared"}, {"dead", "killed"},
        {"murdered", "killed"},   {"injured", "wounded"},
    };
    if (outsz == 0)
        return;
    size_t i = 0;
    const char *s = category ? category : "";
    while (*s == ' ')
        s++;
    for (; s[i] && i + 1 < outsz; i++)
        out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    while (i > 0 && out[i - 1] == ' ')
        i--;
    out[i] = '\0';
    for (size_t k = 0; k < RK_ARRAY_LEN(synonyms); k++)
        if (strcmp(out, synonyms[k][0]) == 0) {
            snprintf(out, outsz, "%s", synonyms[k][1]);
            return;
        }
}

char rk_report_sex_class(const char *value)
{
    static const char *const female[] = {"f",     "female", "woman",    "women",  "w",
                                         "ж",     "жен",    "женский",  "qadın",  "qadin",
                                         "kadın", "mujer",  "femenino", "իգական", "կին"};
    static const char *const male[] = {"m",      "male",      "man",    "men",    "м",
                                       "муж",    "мужской",   "kişi",   "kisi",   "erkek",
                                       "hombre", "masculino", "արական", "տղամարդ"};
    if (!value)
        return 0;
    char low[32];
    size_t i = 0;
    for (; value[i] && i + 1 < sizeof(low); i++)
        low[i] = (value[i] >= 'A' && value[i] <= 'Z') ? (char)(value[i] - 'A' + 'a') : value[i];
    low[i] = '\0';
    if (value[i])
        return 0;
    /* Cyrillic capitals of the two one-letter codes. */
    if (strcmp(low, "Ж") == 0)
        return 'F';
    if (strcmp(low, "М") == 0)
        return 'M';
    for (size_t k = 0; k < RK_ARRAY_LEN(female); k++)
        if (strcmp(low, female[k]) == 0)
            return 'F';
    for (size_t k = 0; k < RK_ARRAY_LEN(male); k++)
        if (strcmp(low, male[k]) == 0)
            return 'M';
    return 0;
}

bool report_field_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

/* ---- interned strings ------------------------------------------------------------------- */

static void report_strings_release(report_strings *s)
{
    for (size_t i = 1; i < s->n; i++)
        rk_free(s->str[i]);
    rk_free(s->str);
    rk_free(s->slots);
    memset(s, 0, sizeof(*s));
}

static int strings_rehash(report_strings *s, size_t nslots)
{
    uint32_t *slots = rk_calloc(nslots, sizeof(*slots));
    if (!slots)
        return RK_ENOMEM;
    for (size_t id = 1; id < s->n; id++) {
        uint64_t h = rk_hash64(s->str[id], strlen(s->str[id]), 0);
        size_t k = (size_t)h & (nslots - 1);
        while (slots[k])
            k = (k + 1) & (nslots - 1);
        slots[k] = (uint32_t)id;
    }
    rk_free(s->slots);
    s->slots = slots;
    s->nslots = nslots;
    return RK_OK;
}

/* The id of s (n bytes), adding it when absent. */
static int report_strings_intern(report_strings *s, const char *str, size_t n, uint32_t *id)
{
    if (s->n == 0) {
        if (rk_grow((void **)&s->str, &s->cap, 16, sizeof(char *)) != RK_OK)
            return RK_ENOMEM;
        s->str[0] = NULL;
        s->n = 1;
    }
    if ((s->n + 1) * 2 > s->nslots && strings_rehash(s, s->nslots ? s->nslots * 2 : 64) != RK_OK)
        return RK_ENOMEM;
    uint64_t h = rk_hash64(str, n, 0);
    size_t k = (size_t)h & (s->nslots - 1);
    while (s->slots[k]) {
        const char *t = s->str[s->slots[k]];
        if (strlen(t) == n && memcmp(t, str, n) == 0) {
            *id = s->slots[k];
            return RK_OK;
        }
        k = (k + 1) & (s->nslots - 1);
    }
    if (rk_grow((void **)&s->str, &s->cap, s->n + 1, sizeof(char *)) != RK_OK)
        return RK_ENOMEM;
    char *copy = rk_strndup(str, n);
    if (!copy)
        return RK_ENOMEM;
    s->str[s->n] = copy;
    s->slots[k] = (uint32_t)s->n;
    *id = (uint32_t)s->n++;
    return RK_OK;
}

/* The id of str, or 0 when absent. */
static uint32_t report_strings_find(const report_strings *s, const char *str)
{
    if (!s->nslots)
        return 0;
    size_t n = strlen(str);
    size_t k = (size_t)rk_hash64(str, n, 0) & (s->nslots - 1);
    while (s->slots[k]) {
        if (strcmp(s->str[s->slots[k]], str) == 0)
            return s->slots[k];
        k = (k + 1) & (s->nslots - 1);
    }
    return 0;
}

/* ---- tabulation ------------------------------------------------------------------------- */

/* The records of the person being read. */
typedef struct rec {
    int list_index;
    int64_t list_id, id;
    uint32_t v[]; /* category, sex, age group, fields... */
} rec;

#define FIXED 3 /* category, sex, age group before the stratum fields */

/* The winning value of slot `f` among the person's records (0 when none has one). */
static uint32_t majority(char *recs, size_t nrecs, size_t stride, size_t f)
{
    uint32_t best = 0;
    size_t best_n = 0;
    int64_t best_list = 0, best_id = 0;
    for (size_t i = 0; i < nrecs; i++) {
        const rec *a = (const rec *)(recs + i * stride);
        uint32_t v = a->v[f];
        if (!v)
            continue;
        size_t cnt = 0;
        int64_t first_list = INT64_MAX, first_id = INT64_MAX;
        for (size_t j = 0; j < nrecs; j++) {
            const rec *c = (const rec *)(recs + j * stride);
            if (c->v[f] != v)
                continue;
            cnt++;
            if (c->list_id < first_list || (c->list_id == first_list && c->id < first_id))
                first_list = c->list_id, first_id = c->id;
        }
        if (cnt > best_n || (cnt == best_n && (first_list < best_list ||
                                               (first_list == best_list && first_id < best_id)))) {
            best = v, best_n = cnt, best_list = first_list, best_id = first_id;
        }
    }
    return best;
}

static int finish_person(report_persons *ps, char *recs, size_t nrecs, size_t stride)
{
    if (nrecs == 0)
        return RK_OK;
    if (rk_grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof(report_person)) != RK_OK)
        return RK_ENOMEM;
    if (ps->nfields && rk_grow((void **)&ps->valbuf, &ps->valcap, (ps->n + 1) * ps->nfields,
                               sizeof(uint32_t)) != RK_OK)
        return RK_ENOMEM;
    report_person *p = &ps->p[ps->n++];
    memset(p, 0, sizeof(*p));
    for (size_t i = 0; i < nrecs; i++) {
        const rec *a = (const rec *)(recs + i * stride);
        if (a->list_index >= 0)
            p->lists |= UINT64_C(1) << a->list_index;
    }
    p->category = majority(recs, nrecs, stride, 0);
    p->sex = (char)majority(recs, nrecs, stride, 1);
    p->age = (uint8_t)majority(recs, nrecs, stride, 2);
    for (size_t f = 0; f < ps->nfields; f++)
        ps->valbuf[(ps->n - 1) * ps->nfields + f] = majority(recs, nrecs, stride, FIXED + f);
    return RK_OK;
}

static int load_lists(report_persons *ps, rk_store *st)
{
    sqlite3_stmt *s = NULL;
    int rc =
        rk_store__prepare(&s, st, "SELECT id, name FROM list ORDER BY id", "cannot read lists");
    if (rc != RK_OK)
        return rc;
    size_t cap = 0, cap2 = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (rk_grow((void **)&ps->list_ids, &cap, ps->nlists + 1, sizeof(int64_t)) != RK_OK ||
            rk_grow((void **)&ps->list_names, &cap2, ps->nlists + 1, sizeof(char *)) != RK_OK) {
            rc = RK_ENOMEM;
            break;
        }
        ps->list_ids[ps->nlists] = sqlite3_column_int64(s, 0);
        ps->list_names[ps->nlists] = rk_strdup((const char *)sqlite3_column_text(s, 1));
        if (!ps->list_names[ps->nlists]) {
            rc = RK_ENOMEM;
            break;
        }
        ps->nlists++;
    }
    sqlite3_finalize(s);
    ps->lists_overflow = ps->nlists > RP_MAX_LISTS;
    return rc == RK_OK ? RK_OK : rk_error_set(rk_store_ctx(st), rc, "out of memory");
}

static int list_index(const report_persons *ps, int64_t list_id)
{
    if (ps->lists_overflow)
        return -1;
    for (size_t i = 0; i < ps->nlists; i++)
        if (ps->list_ids[i] == list_id)
            return (int)i;
    return -1;
}

static uint8_t age_group(const rk_count_options *o, sqlite3_stmt *s)
{
    int64_t age = -1;
    if (sqlite3_column_type(s, 4) != SQLITE_NULL) {
        age = sqlite3_column_int64(s, 4);
    } else if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
        int64_t born = sqlite3_column_int64(s, 5);
        int64_t at = sqlite3_column_type(s, 6) != SQLITE_NULL ? sqlite3_column_int64(s, 6)
                                                              : (int64_t)o->event_year;
        if (at > 0 && born > 0 && at >= born)
            age = at - born;
    }
    if (age < 0 || age > 130)
        return RP_AGE_UNKNOWN;
    if (age < o->children_below)
        return RP_AGE_CHILD;
    return age >= o->elderly_from ? RP_AGE_ELDERLY : RP_AGE_ADULT;
}

int report_persons_load(report_persons *out, rk_store *st, const rk_count_options *opts,
                        const char *const *fields, size_t nfields)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    rk_buf sql, key;
    rk_buf_init(&sql);
    rk_buf_init(&key);
    char *recs = NULL;
    size_t reccap = 0, nrecs = 0;
    int rc = RK_OK;
    memset(out, 0, sizeof(*out));
    /* Each record's slot, rounded up so that every slot is aligned for its int64_t fields. */
    const size_t stride = (sizeof(rec) + (FIXED + nfields) * sizeof(uint32_t) + 7) & ~(size_t)7;
    if (nfields) {
        out->fields = rk_calloc(nfields, sizeof(char *));
        if (!out->fields)
            goto nomem;
    }
    for (size_t f = 0; f < nfields; f++) {
        if (!report_field_name_ok(fields[f])) {
            rc = rk_error_set(ctx, RK_EINPUT, "'%s' is not a field name; use letters, digits, _",
                              fields[f]);
            goto cleanup;
        }
        if (!(out->fields[f] = rk_strdup(fields[f])))
            goto nomem;
        out->nfields++;
    }
    if ((rc = load_lists(out, st)) != RK_OK)
        goto cleanup;
    /* The figures and the persons come from one definition: the view documented_person,
     * which rk_link_documented_count counts. */
    if ((rc = rk_link_documented_count(&out->documented, st)) != RK_OK)
        goto cleanup;
    out->run_id = out->documented.run_id;
    bool folds = false;
    for (size_t f = 0; f < nfields; f++)
        folds |= is_place_field(fields[f]);
    if (folds && ((rc = rk_text_new(&out->text, ctx, NULL)) != RK_OK ||
                  (rc = rk_gazetteer_open(&out->gaz, st)) != RK_OK))
        goto cleanup;
    rc = rk_buf_puts(&sql, "SELECT p.person_id, r.list_id, r.id, " SQL_VIOLATION ", " SQL_AGE
                           ", " SQL_BIRTH_YEAR ", " SQL_EVENT_YEAR ", " SQL_SEX);
    for (size_t f = 0; f < nfields && rc == RK_OK; f++)
        rc = field_sql(&sql, fields[f]);
    if (rc == RK_OK) /* the place, from which a gazetteer finds a region the record lacks */
        rc = rk_buf_puts(&sql, ", trim(r.place) FROM documented_person p JOIN record r ON r.id ="
                               " p.record_id ORDER BY p.person_id");
    if (rc != RK_OK)
        goto nomem;
    if ((rc = rk_store__prepare(&s, st, rk_buf_cstr(&sql), "cannot read persons")) != RK_OK)
        goto cleanup;
    int64_t current = INT64_MIN;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t pid = sqlite3_column_int64(s, 0);
        if (pid != current) {
            if (finish_person(out, recs, nrecs, stride) != RK_OK)
                goto nomem;
            nrecs = 0;
            current = pid;
        }
        if (rk_grow((void **)&recs, &reccap, nrecs + 1, stride) != RK_OK)
            goto nomem;
        rec *a = (rec *)(recs + nrecs * stride);
        a->list_id = sqlite3_column_int64(s, 1);
        a->id = sqlite3_column_int64(s, 2);
        a->list_index = list_index(out, a->list_id);
        const char *v = (const char *)sqlite3_column_text(s, 3);
        a->v[0] = 0;
        if (v && *v) {
            char cls[128];
            rk_report_category_class(cls, sizeof(cls), v);
            if (report_strings_intern(&out->strings, cls, strlen(cls), &a->v[0]) != RK_OK)
                goto nomem;
        }
        a->v[2] = age_group(opts, s);
        a->v[1] =
            (uint32_t)(unsigned char)rk_report_sex_class((const char *)sqlite3_column_text(s, 7));
        for (size_t f = 0; f < nfields; f++) {
            const char *fv = (const char *)sqlite3_column_text(s, 8 + (int)f);
            size_t len = (size_t)sqlite3_column_bytes(s, 8 + (int)f);
            a->v[FIXED + f] = 0;
            if (is_place_field(fields[f])) {
                const char *place = (const char *)sqlite3_column_text(s, 8 + (int)nfields);
                if ((rc = rk_text_stratum_key(&key, NULL, out->text, out->gaz,
                                              strcmp(fields[f], "region") == 0, fv, place)) !=
                    RK_OK)
                    goto cleanup;
                fv = rk_buf_cstr(&key);
                len = key.len;
            }
            if (fv && *fv &&
                report_strings_intern(&out->strings, fv, len, &a->v[FIXED + f]) != RK_OK)
                goto nomem;
        }
        nrecs++;
        out->records++;
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read persons");
        goto cleanup;
    }
    if (finish_person(out, recs, nrecs, stride) != RK_OK)
        goto nomem;
    /* Point each person at its field values now that valbuf has its final place. */
    for (size_t i = 0; i < out->n; i++)
        out->p[i].vals = out->nfields ? out->valbuf + i * out->nfields : NULL;
    goto cleanup;
nomem:
    rc = rk_error_set(ctx, RK_ENOMEM, "out of memory while counting persons");
cleanup:
    sqlite3_finalize(s);
    rk_buf_release(&sql);
    rk_buf_release(&key);
    rk_free(recs);
    if (rc != RK_OK)
        report_persons_release(out);
    return rc;
}

void report_persons_release(report_persons *ps)
{
    if (!ps)
        return;
    rk_free(ps->p);
    rk_free(ps->valbuf);
    report_strings_release(&ps->strings);
    for (size_t i = 0; i < ps->nfields; i++)
        rk_free(ps->fields[i]);
    rk_free(ps->fields);
    for (size_t i = 0; i < ps->nlists; i++)
        rk_free(ps->list_names[i]);
    rk_free(ps->list_names);
    rk_free(ps->list_ids);
    rk_text_free(ps->text);
    rk_gazetteer_free(ps->gaz);
    memset(ps, 0, sizeof(*ps));
}

int report_persons_key(rk_buf *out, const report_persons *ps, const char *field, const char *value)
{
    if (!is_place_field(field) || !ps->text) {
        rk_buf_clear(out);
        return rk_buf_puts(out, value ? value : "");
    }
    return rk_text_stratum_key(out, NULL, ps->text, ps->gaz, strcmp(field, "region") == 0, value,
                               NULL);
}

int report_persons_field(const report_persons *ps, const char *name)
{
    for (size_t f = 0; f < ps->nfields; f++)
        if (strcmp(ps->fields[f], name) == 0)
            return (int)f;
    return -1;
}

int64_t report_persons_count(const report_persons *ps, const report_select *sel)
{
    uint32_t cat = 0;
    if (sel->category) {
        char cls[128];
        rk_report_category_class(cls, sizeof(cls), sel->category);
        if (!(cat = report_strings_find(&ps->strings, cls)))
            return 0;
    }
    char sex = 0;
    uint8_t age = RP_AGE_UNKNOWN;
    if (sel->group) {
        if (strcmp(sel->group, "women") == 0)
            sex = 'F';
        else if (strcmp(sel->group, "men") == 0)
            sex = 'M';
        else if (strcmp(sel->group, "children") == 0)
            age = RP_AGE_CHILD;
        else if (strcmp(sel->group, "elderly") == 0)
            age = RP_AGE_ELDERLY;
        else if (strcmp(sel->group, "adults") == 0)
            age = RP_AGE_ADULT;
        else
            return 0;
    }
    int fidx[16];
    uint32_t fval[16];
    size_t nstr = RK_MIN(sel->nstratum, RK_ARRAY_LEN(fidx));
    for (size_t k = 0; k < nstr; k++) {
        fidx[k] = report_persons_field(ps, sel->fields[k]);
        fval[k] = report_strings_find(&ps->strings, sel->values[k]);
        if (fidx[k] < 0 || !fval[k])
            return 0;
    }
    int64_t n = 0;
    for (size_t i = 0; i < ps->n; i++) {
        const report_person *p = &ps->p[i];
        if ((cat && p->category != cat) || (sex && p->sex != sex) || (age && p->age != age))
            continue;
        bool ok = true;
        for (size_t k = 0; k < nstr && ok; k++)
            ok = p->vals[fidx[k]] == fval[k];
        n += ok;
    }
    return n;
}
