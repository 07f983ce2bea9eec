/* Loading a project's current records into link arrays: names parsed and keyed by the text
 * module (per list language and name order), dates as ranges (an age becomes the birth dates
 * consistent with it), sex, places and extras folded, and reviewers' decisions as labels. */
#include "mpi.h"
#include "project_private.h"
#include "store/store_internal.h"

#include <omp.h>
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

/* The load reads rows in batches on one thread; each full batch is parsed, while the reader
 * goes on, by whichever thread is free (the reader too, at the end of a round of batches),
 * each thread with a parser of its own (an rk_text's cache of names is not shared), into link
 * arrays of the batch's own that are appended in order at the round's end: the arrays are
 * those one thread makes, byte for byte. Names are most of a load's time (reading the rows
 * about a third). */
#define LOAD_BATCH_ROWS    4096
#define LOAD_ROUND_BATCHES 16

/* The query's text columns as the parse names them. */
static const struct {
    int column, text;
} load_text[] = {
    {C_FULL, LC_FULL},     {C_GIVEN, LC_GIVEN},           {C_FAMILY, LC_FAMILY},
    {C_SECOND, LC_SECOND}, {C_PATRONYMIC, LC_PATRONYMIC}, {C_FATHER, LC_FATHER},
    {C_SEX, LC_SEX},       {C_BIRTH, LC_BIRTH},           {C_BIRTH_PREC, LC_BIRTH_PREC},
    {C_DEATH, LC_DEATH},   {C_DEATH_PREC, LC_DEATH_PREC}, {C_PLACE, LC_PLACE},
    {C_REGION, LC_REGION}, {C_EXTRA, LC_EXTRA},           {C_LANG, LC_LANG},
    {C_ORDER, LC_ORDER}};

typedef struct load_batch {
    size_t n;
    load_row row[LOAD_BATCH_ROWS];
    uint32_t list[LOAD_BATCH_ROWS];
    /* where each text column starts in `text`, UINT32_MAX when NULL (text may move as it
     * grows: the rows' pointers are set once the batch is read) */
    uint32_t at[LOAD_BATCH_ROWS][LC_COUNT];
    rk_buf text;
    rk_link_data data; /* the batch's records, parsed */
    rk_ctx ctx;        /* the parse's error */
    int rc;
} load_batch;

/* A thread's parser (text made when the thread parses its first batch). */
typedef struct load_parser {
    rk_ctx ctx;
    rk_text *text;
} load_parser;

/* Copies the statement's row into batch b, record n of it. */
static int batch_add(load_batch *b, sqlite3_stmt *s, uint32_t list, bool hm)
{
    size_t n = b->n;
    load_row *row = &b->row[n];
    memset(row, 0, sizeof(*row));
    for (size_t c = 0; c < RK_ARRAY_LEN(load_text); c++) {
        const char *v = rk_store__text(s, load_text[c].column);
        b->at[n][load_text[c].text] = UINT32_MAX;
        if (!v)
            continue;
        size_t len = strlen(v) + 1;
        if (b->text.len + len > UINT32_MAX)
            return RK_ENOMEM;
        b->at[n][load_text[c].text] = (uint32_t)b->text.len;
        if (rk_buf_append(&b->text, v, len) != RK_OK)
            return RK_ENOMEM;
    }
    row->has_birth_year = sqlite3_column_type(s, C_BIRTH_YEAR) == SQLITE_INTEGER;
    row->birth_year = row->has_birth_year ? sqlite3_column_int(s, C_BIRTH_YEAR) : 0;
    row->has_age = sqlite3_column_type(s, C_AGE) == SQLITE_INTEGER;
    row->age = row->has_age ? sqlite3_column_int(s, C_AGE) : 0;
    row->hm = hm;
    b->list[n] = list;
    b->n++;
    return RK_OK;
}

/* Parses batch b's rows into b->data (declared like `like`) with parser p. */
static void batch_parse(load_batch *b, load_parser *p, const rk_link_data *like,
                        const link_setup *su, const int ref_year[2], const int *fidx)
{
    for (size_t i = 0; i < b->n; i++)
        for (int c = 0; c < LC_COUNT; c++)
            b->row[i].text[c] = b->at[i][c] == UINT32_MAX ? NULL : b->text.data + b->at[i][c];
    rk_link_data_release(&b->data);
    rk_link_data_init(&b->data);
    int rc = p->text ? RK_OK : rk_text_new(&p->text, &p->ctx, NULL); /* made on first use */
    if (rc == RK_OK)
        rc = rk_link_data_declare_like(&p->ctx, &b->data, like);
    for (size_t i = 0; i < b->n && rc == RK_OK; i++) {
        const load_row *row = &b->row[i];
        rk_text_set_lang_codes(p->text, row->text[LC_LANG], row->text[LC_ORDER]);
        if ((rc = rk_link_data_add_record(&p->ctx, &b->data, b->list[i], -1)) == RK_OK)
            rc = link_record_keys(&b->data, &p->ctx, p->text, su, row, ref_year, fidx);
    }
    b->rc = rc;
    if (rc != RK_OK)
        rk_error_set(&b->ctx, rc, "%s", p->ctx.err.message);
}

/* What reading the rows needs, and where it is. */
typedef struct load_state {
    project_records *r;
    rk_store *st;
    const link_setup *su;
    const records_survey *survey;
    const int *ref_year, *fidx;
    size_t lo, hi;
    load_batch *batch;
    load_parser *parser;
    size_t row, nread, cap_rec, cap_keys, cap_lists;
} load_state;

/* Parses batch b on whichever thread takes the task (the reader too, when it waits). */
static void parse_later(load_state *L, size_t b)
{
#pragma omp task firstprivate(b) shared(L) default(none)
    batch_parse(&L->batch[b], &L->parser[omp_get_thread_num()], &L->r->data, L->su, L->ref_year,
                L->fidx);
}

/* Waits for the round's nb batches to be parsed and appends them to r->data in order. */
static int join_round(load_state *L, size_t nb)
{
#pragma omp taskwait
    rk_ctx *ctx = rk_store_ctx(L->st);
    int rc = RK_OK;
    for (size_t b = 0; b < nb && rc == RK_OK; b++) {
        load_batch *x = &L->batch[b];
        if (x->rc != RK_OK)
            rc = rk_error_set(ctx, x->rc, "%s", x->ctx.err.message);
        else
            rc = rk_link_data_append(ctx, &L->r->data, &x->data);
        x->n = 0;
        x->text.len = 0;
    }
    return rc;
}

/* Reads every row on this thread, handing each full batch to be parsed as it is read (by the
 * other threads, and by this one at the end of a round). */
static int read_all(load_state *L)
{
    project_records *r = L->r;
    rk_ctx *ctx = rk_store_ctx(L->st);
    sqlite3_stmt *s = NULL;
    size_t nb = 0;
    int rc = rk_store__prepare(&s, L->st, load_sql, "cannot read records");
    if (rc != RK_OK)
        return rc;
    int step;
    int64_t last_list = -1;
    uint32_t li = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t list_id = sqlite3_column_int64(s, C_LIST);
        /* every rank numbers the lists as one process does: in the order of all the rows */
        if (list_id != last_list) {
            if ((rc = list_index(r, ctx, list_id, &L->cap_lists, &li)) != RK_OK)
                goto cleanup;
            last_list = list_id;
        }
        if (++L->row % 50000 == 0)
            rk_progress(ctx, "loading records", L->row, L->survey->nrecords);
        if (L->row <= L->lo || L->row > L->hi)
            continue;
        size_t i = L->nread;
        if (rk_grow((void **)&r->record_id, &L->cap_rec, i + 1, sizeof(int64_t)) != RK_OK ||
            rk_grow((void **)&r->record_key, &L->cap_keys, i + 1, sizeof(char *)) != RK_OK ||
            !(r->record_key[i] = rk_strdup(rk_store__text(s, C_KEY)))) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        r->record_id[L->nread++] = sqlite3_column_int64(s, C_ID);
        if (batch_add(&L->batch[nb], s, li, hm_list(L->survey->hm, L->survey->nhm, list_id)) !=
            RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        if (L->batch[nb].n == LOAD_BATCH_ROWS) {
            parse_later(L, nb);
            if (++nb == LOAD_ROUND_BATCHES) {
                if ((rc = join_round(L, nb)) != RK_OK)
                    goto cleanup;
                nb = 0;
            }
        }
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(L->st, "cannot read records");
        goto cleanup;
    }
    if (L->batch[nb].n)
        parse_later(L, nb++);
    if ((rc = join_round(L, nb)) == RK_OK)
        rk_progress(ctx, "loading records", L->row, L->row);
cleanup:; /* the tasks read the batches: none may outlive the read */
#pragma omp taskwait
    sqlite3_finalize(s);
    return rc;
}

/* Reads the rows of the load, *rows of them: the list of each, and the record of each row in
 * [lo, hi) (every row outside an MPI run; at a rank of one, its part: mpi_records.c). */
static int read_rows(project_records *r, size_t *rows, rk_store *st, const link_setup *su,
                     const records_survey *survey, const int ref_year[2], const int *fidx,
                     size_t lo, size_t hi)
{
    rk_ctx *ctx = rk_store_ctx(st);
    int nparsers = omp_get_max_threads();
    load_state L = {.r = r,
                    .st = st,
                    .su = su,
                    .survey = survey,
                    .ref_year = ref_year,
                    .fidx = fidx,
                    .lo = lo,
                    .hi = hi,
                    .batch = rk_calloc(LOAD_ROUND_BATCHES, sizeof(load_batch)),
                    .parser = rk_calloc((size_t)nparsers, sizeof(load_parser))};
    int rc = L.batch && L.parser ? RK_OK : rk_error_set(ctx, RK_ENOMEM, "out of memory");
    for (size_t b = 0; L.batch && b < LOAD_ROUND_BATCHES; b++) {
        rk_buf_init(&L.batch[b].text);
        rk_link_data_init(&L.batch[b].data);
        rk_ctx_init(&L.batch[b].ctx);
    }
    for (int t = 0; L.parser && t < nparsers; t++)
        rk_ctx_init(&L.parser[t].ctx);
    if (rc == RK_OK) {
#pragma omp parallel shared(L, rc) default(none)
#pragma omp single
        rc = read_all(&L);
    }
    /* keys of records read but not parsed (link_records_release frees the others) */
    for (size_t i = r->data.nrecords; rc != RK_OK && i < L.nread; i++)
        rk_free(r->record_key[i]);
    *rows = L.row;
    for (size_t b = 0; L.batch && b < LOAD_ROUND_BATCHES; b++) {
        rk_buf_release(&L.batch[b].text);
        rk_link_data_release(&L.batch[b].data);
        rk_ctx_release(&L.batch[b].ctx);
    }
    for (int t = 0; L.parser && t < nparsers; t++) {
        rk_text_free(L.parser[t].text);
        rk_ctx_release(&L.parser[t].ctx);
    }
    rk_free(L.batch);
    rk_free(L.parser);
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
