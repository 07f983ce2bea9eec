/* The state digest of the audit chain: for every table of the project but the event log and the
 * pure caches, a sum of the hashes of its rows. SQLite's pre-update hook adds the hash of each
 * row a connection writes and subtracts the hash of each row it deletes or overwrites, so an
 * event records the state it produced without reading the tables again; `verify` recomputes the
 * same sums in one streaming pass per table. One function hashes a row for both. */
/* Debian's SQLite is built with the pre-update hook; its declarations need this. */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "store_private.h"

#include <openssl/evp.h>

/* Tables that are caches: rebuilt from audited data, never trusted as evidence, so neither
 * tracked nor checked. Every other table of the schema, present or future, is audited. */
static const struct {
    const char *table;
    const char *why;
} cache_tables[] = {
    {"name_search", "the name search index, rebuilt from record by reckon serve and standardize"},
    {"name_search_data", "FTS5 storage of name_search"},
    {"name_search_idx", "FTS5 storage of name_search"},
    {"name_search_content", "FTS5 storage of name_search"},
    {"name_search_docsize", "FTS5 storage of name_search"},
    {"name_search_config", "FTS5 storage of name_search"},
};

bool store_state_audited(const char *table)
{
    if (strncmp(table, "sqlite_", 7) == 0 || strcmp(table, "event") == 0)
        return false; /* SQLite's own tables; the log, which the chain itself protects */
    for (size_t i = 0; i < RK_ARRAY_LEN(cache_tables); i++)
        if (strcmp(table, cache_tables[i].table) == 0)
            return false;
    return true;
}

static void sum_add(uint64_t *acc, const uint64_t *v)
{
    unsigned carry = 0;
    for (int i = 0; i < STORE_STATE_LIMBS; i++) {
        uint64_t a = acc[i] + carry;
        unsigned c1 = a < carry;
        uint64_t s = a + v[i];
        carry = c1 | (s < a);
        acc[i] = s;
    }
}

static void sum_sub(uint64_t *acc, const uint64_t *v)
{
    unsigned borrow = 0;
    for (int i = 0; i < STORE_STATE_LIMBS; i++) {
        uint64_t b = v[i] + borrow;
        unsigned c1 = b < borrow;
        uint64_t d = acc[i] - b;
        borrow = c1 | (acc[i] < b);
        acc[i] = d;
    }
}

/* The bytes of a row as row_hash absorbs them: streamed to the hash through b (md set), or kept
 * at out (rows hashed elsewhere, rk_store__hash_rows_with), which has room for all of them. */
typedef struct row_bytes {
    EVP_MD_CTX *md;
    unsigned char *out;
    size_t n;
    unsigned char b[4096];
} row_bytes;

static void put(row_bytes *r, const void *p, size_t n)
{
    if (r->out) {
        memcpy(r->out + r->n, p, n);
        r->n += n;
        return;
    }
    if (r->n + n > sizeof(r->b)) {
        EVP_DigestUpdate(r->md, r->b, r->n);
        r->n = 0;
        if (n > sizeof(r->b)) {
            EVP_DigestUpdate(r->md, p, n);
            return;
        }
    }
    memcpy(r->b + r->n, p, n);
    r->n += n;
}

static void put_u64(row_bytes *r, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put(r, b, 8);
}

/* The columns of a row that its hash covers: trailing NULLs are left out, so that a column
 * added by a migration leaves the rows before it unchanged. */
static int row_columns(sqlite3_value **v, int n)
{
    while (n > 0 && sqlite3_value_type(v[n - 1]) == SQLITE_NULL)
        n--;
    return n;
}

/* A value's type as hashed: a REAL with an integer value is stored as an integer, and the
 * pre-update hook's old rows give it back as one, so such a REAL is hashed as the integer. */
static int value_type(sqlite3_value *v, int64_t *i64, double *d)
{
    int type = sqlite3_value_type(v);
    *i64 = type == SQLITE_INTEGER ? sqlite3_value_int64(v) : 0;
    *d = 0;
    if (type == SQLITE_FLOAT) {
        *d = sqlite3_value_double(v);
        if (*d >= -9.2e18 && *d <= 9.2e18 && *d == (double)(int64_t)*d) {
            type = SQLITE_INTEGER;
            *i64 = (int64_t)*d;
        }
    }
    return type;
}

/* How many bytes row_put gives for the row. */
static size_t row_size(const char *table, sqlite3_value **v, int n)
{
    size_t size = strlen(table) + 1;
    for (int i = 0; i < n; i++) {
        int64_t i64;
        double d;
        int type = value_type(v[i], &i64, &d);
        size += 1;
        if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
            size += 8;
        else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            if (type == SQLITE_TEXT)
                (void)sqlite3_value_text(v[i]); /* as row_put reads it */
            size += 8 + (size_t)sqlite3_value_bytes(v[i]);
        }
    }
    return size;
}

/* The bytes of a row: the table's name, then each value with its type. */
static void row_put(row_bytes *r, const char *table, sqlite3_value **v, int n)
{
    put(r, table, strlen(table) + 1);
    for (int i = 0; i < n; i++) {
        int64_t i64;
        double d;
        int type = value_type(v[i], &i64, &d);
        unsigned char tag = (unsigned char)type;
        put(r, &tag, 1);
        if (type == SQLITE_INTEGER) {
            put_u64(r, (uint64_t)i64);
        } else if (type == SQLITE_FLOAT) {
            uint64_t bits;
            memcpy(&bits, &d, sizeof(bits));
            put_u64(r, bits);
        } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_value_text(v[i])
                                                : sqlite3_value_blob(v[i]);
            int len = sqlite3_value_bytes(v[i]);
            put_u64(r, (uint64_t)len);
            if (len > 0)
                put(r, p, (size_t)len);
        }
    }
}

/* The hash's output as the sum's limbs, little-endian. */
static int hash_final(EVP_MD_CTX *md, uint64_t *out)
{
    unsigned char bytes[STORE_STATE_LIMBS * 8];
    if (EVP_DigestFinalXOF(md, bytes, sizeof(bytes)) != 1)
        return RK_ENOMEM;
    for (int i = 0; i < STORE_STATE_LIMBS; i++) {
        uint64_t w = 0;
        for (int b = 7; b >= 0; b--)
            w = (w << 8) | bytes[8 * i + b];
        out[i] = w;
    }
    return RK_OK;
}

/* The hash of one row: SHAKE256, expanded to the width of the sum, of row_put's bytes. The
 * width makes a forged sum of chosen rows infeasible. */
static int row_hash(EVP_MD_CTX *md, EVP_MD *shake, const char *table, sqlite3_value **v, int n,
                    uint64_t *out)
{
    if (EVP_DigestInit_ex(md, shake, NULL) != 1)
        return RK_ENOMEM;
    row_bytes r;
    r.md = md;
    r.out = NULL;
    r.n = 0;
    row_put(&r, table, v, row_columns(v, n));
    EVP_DigestUpdate(md, r.b, r.n);
    return hash_final(md, out);
}

static store_table_sum *delta_slot(store_state *s, const char *table)
{
    if (s->last && strcmp(s->last->table, table) == 0)
        return s->last;
    for (int i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i].table, table) == 0)
            return s->last = &s->tables[i];
    if (s->ntables == STORE_STATE_MAX_TABLES || strlen(table) >= sizeof(s->tables[0].table))
        return NULL;
    store_table_sum *t = &s->tables[s->ntables++];
    memset(t, 0, sizeof(*t));
    snprintf(t->table, sizeof(t->table), "%s", table);
    return s->last = t;
}

/* Rows hashed elsewhere go out in batches of this many bytes; a row of more than
 * BATCH_ROW_MAX bytes (a rare long text) is hashed by the writer itself. */
enum { BATCH_BYTES = RK_STORE_BATCH_BYTES, BATCH_ROW_MAX = 1 << 16, BATCH_ROW_HEAD = 6 };

/* Starts a batch for hasher h; false (h not called) when out of memory. */
static bool batch_start(store_batch *b, const rk_store_row_hasher *h)
{
    memset(b, 0, sizeof(*b));
    if (!(b->data = rk_malloc(BATCH_BYTES)))
        return false;
    b->hasher = *h;
    return true;
}

/* Hands the batch to the hasher, or hashes it here when the hasher cannot take it (out of
 * memory): the sums are the same either way. */
static void batch_give(store_batch *b)
{
    if (b->n && b->hasher.give(b->hasher.arg, b->data, b->n) != RK_OK &&
        rk_store__rows_hash(&b->here, b->data, b->n) != RK_OK)
        b->failed = true;
    b->n = 0;
}

/* Keeps the row in the batch for the hasher, as [slot][sign][length, 4 bytes little-endian]
 * [row_put's bytes] (rk_store__rows_hash reads it); false when it is too long to keep. */
static bool batch_keep(store_batch *b, int slot, bool sub, const char *table, sqlite3_value **v,
                       int n)
{
    n = row_columns(v, n);
    size_t size = row_size(table, v, n);
    if (size > BATCH_ROW_MAX)
        return false;
    if (b->n + BATCH_ROW_HEAD + size > BATCH_BYTES)
        batch_give(b);
    unsigned char *p = b->data + b->n;
    p[0] = (unsigned char)slot;
    p[1] = sub;
    for (int i = 0; i < 4; i++)
        p[2 + i] = (unsigned char)(size >> (8 * i));
    row_bytes r;
    r.md = NULL;
    r.out = p + BATCH_ROW_HEAD;
    r.n = 0;
    row_put(&r, table, v, n);
    if (r.n != size)
        b->failed = true;
    b->n += BATCH_ROW_HEAD + size;
    return true;
}

/* Gives the last rows, finishes the hasher (once) and sets *sums to the net sums of every row
 * kept; false when a row could not be hashed. */
static bool batch_end(store_batch *b, rk_store_row_sums *sums)
{
    batch_give(b);
    memset(sums, 0, sizeof(*sums));
    int rc = b->hasher.finish(b->hasher.arg, sums);
    rk_store__row_sums_add(sums, &b->here);
    rk_free(b->data);
    b->data = NULL;
    return rc == RK_OK && !sums->failed && !b->failed;
}

/* Adds (or, sub, takes away) the hash of one row to its table's sum, or keeps it for the
 * hasher. */
static void state_row(store_state *s, store_table_sum *t, const char *table, sqlite3_value **v,
                      int n, bool sub)
{
    if (s->elsewhere && batch_keep(&s->batch, (int)(t - s->tables), sub, table, v, n))
        return;
    uint64_t h[STORE_STATE_LIMBS];
    if (row_hash(s->md, s->shake, table, v, n, h) != RK_OK)
        s->failed = true;
    else if (sub)
        sum_sub(t->sum, h);
    else
        sum_add(t->sum, h);
}

static void preupdate(void *arg, sqlite3 *db, int op, const char *schema, const char *table,
                      sqlite3_int64 key1, sqlite3_int64 key2)
{
    (void)key1;
    (void)key2;
    store_state *s = arg;
    if (strcmp(schema, "main") != 0 || !store_state_audited(table))
        return;
    store_table_sum *t = delta_slot(s, table);
    int n = sqlite3_preupdate_count(db);
    if (!t || n > STORE_STATE_MAX_COLUMNS || !s->md || !s->shake) {
        s->failed = true;
        return;
    }
    sqlite3_value *v[STORE_STATE_MAX_COLUMNS];
    t->changed = true;
    if (op == SQLITE_DELETE || op == SQLITE_UPDATE) {
        for (int i = 0; i < n; i++)
            if (sqlite3_preupdate_old(db, i, &v[i]) != SQLITE_OK)
                s->failed = true;
        if (!s->failed)
            state_row(s, t, table, v, n, true);
    }
    if (op == SQLITE_INSERT || op == SQLITE_UPDATE) {
        for (int i = 0; i < n; i++)
            if (sqlite3_preupdate_new(db, i, &v[i]) != SQLITE_OK)
                s->failed = true;
        if (!s->failed)
            state_row(s, t, table, v, n, false);
    }
}

int store_state_watch(rk_store *st)
{
    st->state.md = EVP_MD_CTX_new();
    /* Fetched once: an implicit fetch on every row's init costs a tenth of the hash. */
    st->state.shake = EVP_MD_fetch(NULL, "SHAKE256", NULL);
    if (!st->state.md || !st->state.shake)
        return rk_error_set(st->ctx, RK_ENOMEM, "out of memory");
    sqlite3_preupdate_hook(st->db, preupdate, &st->state);
    return RK_OK;
}

/* Ends hashing elsewhere: the hasher's sums are added to the tables' when `keep`, else (the
 * changes are forgotten) dropped. The hasher is finished either way, once. */
static void state_detach(store_state *s, bool keep)
{
    if (!s->elsewhere)
        return;
    s->elsewhere = false;
    rk_store_row_sums sums;
    bool ok = batch_end(&s->batch, &sums);
    if (!keep)
        return;
    if (!ok)
        s->failed = true;
    for (int i = 0; i < s->ntables; i++)
        sum_add(s->tables[i].sum, sums.net[i]);
}

bool rk_store__hash_rows_with(rk_store *st, const rk_store_row_hasher *h)
{
    store_state *s = &st->state;
    if (s->elsewhere || !batch_start(&s->batch, h))
        return false;
    s->elsewhere = true;
    return true;
}

int rk_store__rows_hash(rk_store_row_sums *sums, const unsigned char *batch, size_t n)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_MD *shake = EVP_MD_fetch(NULL, "SHAKE256", NULL);
    int rc = md && shake ? RK_OK : RK_ENOMEM;
    for (size_t at = 0; rc == RK_OK && at < n;) {
        if (n - at < BATCH_ROW_HEAD) {
            rc = RK_EINTERNAL;
            break;
        }
        const unsigned char *p = batch + at;
        size_t size = 0;
        for (int i = 3; i >= 0; i--)
            size = (size << 8) | p[2 + i];
        if (p[0] >= STORE_STATE_MAX_TABLES || size > n - at - BATCH_ROW_HEAD) {
            rc = RK_EINTERNAL;
            break;
        }
        uint64_t h[STORE_STATE_LIMBS];
        if (EVP_DigestInit_ex(md, shake, NULL) != 1 ||
            EVP_DigestUpdate(md, p + BATCH_ROW_HEAD, size) != 1 || hash_final(md, h) != RK_OK) {
            rc = RK_ENOMEM;
            break;
        }
        if (p[1])
            sum_sub(sums->net[p[0]], h);
        else
            sum_add(sums->net[p[0]], h);
        at += BATCH_ROW_HEAD + size;
    }
    if (rc != RK_OK)
        sums->failed = true;
    EVP_MD_CTX_free(md);
    EVP_MD_free(shake);
    return rc;
}

void rk_store__row_sums_add(rk_store_row_sums *acc, const rk_store_row_sums *more)
{
    for (int i = 0; i < STORE_STATE_MAX_TABLES; i++)
        sum_add(acc->net[i], more->net[i]);
    acc->failed |= more->failed;
}

void store_state_reset(store_state *s)
{
    state_detach(s, false);
    s->ntables = 0;
    s->last = NULL;
    s->failed = false;
}

void store_state_release(store_state *s)
{
    state_detach(s, false);
    EVP_MD_CTX_free(s->md);
    EVP_MD_free(s->shake);
    s->md = NULL;
    s->shake = NULL;
}

bool store_state_dirty(const store_state *s, const char **table)
{
    for (int i = 0; i < s->ntables; i++)
        if (s->tables[i].changed) {
            *table = s->tables[i].table;
            return true;
        }
    return s->failed;
}

static const char hexdigits[] = "0123456789abcdef";

static void sum_hex(const uint64_t *sum, char *hex)
{
    /* Most significant limb first, each big-endian: the number as one hexadecimal string. */
    for (int i = 0; i < STORE_STATE_LIMBS; i++) {
        uint64_t w = sum[STORE_STATE_LIMBS - 1 - i];
        for (int b = 0; b < 16; b++)
            hex[16 * i + b] = hexdigits[(w >> (60 - 4 * b)) & 15];
    }
    hex[STORE_STATE_HEX] = '\0';
}

static bool hex_sum(const char *hex, size_t len, uint64_t *sum)
{
    if (len != STORE_STATE_HEX)
        return false;
    for (int i = 0; i < STORE_STATE_LIMBS; i++) {
        uint64_t w = 0;
        for (int b = 0; b < 16; b++) {
            char c = hex[16 * i + b];
            const char *p = c ? strchr(hexdigits, c) : NULL;
            if (!p)
                return false;
            w = (w << 4) | (uint64_t)(p - hexdigits);
        }
        sum[STORE_STATE_LIMBS - 1 - i] = w;
    }
    return true;
}

bool store_state_lookup(const char *state, const char *table, uint64_t *sum)
{
    memset(sum, 0, STORE_STATE_LIMBS * sizeof(uint64_t));
    size_t tl = strlen(table);
    for (const char *line = state; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > tl && strncmp(line, table, tl) == 0 && line[tl] == ' ')
            return hex_sum(line + tl + 1, len - tl - 1, sum);
        line = nl ? nl + 1 : NULL;
    }
    return true; /* a table the state does not name is empty */
}

/* The audited tables of the schema, in name order, each as one row of s. */
static int audited_tables(sqlite3_stmt **out, rk_store *st)
{
    return rk_store__prepare(out, st,
                             "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                             "cannot list the project's tables");
}

int store_state_next(rk_buf *out, rk_store *st, const char *prev_state)
{
    sqlite3_stmt *q = NULL;
    int rc = audited_tables(&q, st);
    const char *bad = NULL;
    if (rc != RK_OK)
        goto cleanup;
    state_detach(&st->state, true);
    if (st->state.failed) {
        rc = rk_error_set(st->ctx, RK_EINTERNAL, "%s: a change could not be hashed", st->path);
        goto cleanup;
    }
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = rk_store__text(q, 0);
        if (!name || !store_state_audited(name))
            continue;
        uint64_t sum[STORE_STATE_LIMBS];
        if (prev_state) {
            if (!store_state_lookup(prev_state, name, sum)) {
                bad = name;
                break;
            }
            for (int i = 0; i < st->state.ntables; i++)
                if (strcmp(st->state.tables[i].table, name) == 0)
                    sum_add(sum, st->state.tables[i].sum);
        } else if ((rc = store_state_table(sum, st, name)) != RK_OK) {
            goto cleanup;
        }
        char hex[STORE_STATE_HEX + 1];
        sum_hex(sum, hex);
        if ((rc = rk_buf_printf(out, "%s %s\n", name, hex)) != RK_OK) {
            rc = rk_error_set(st->ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (bad)
        rc = rk_error_set(st->ctx, RK_ESTORE,
                          "%s: the last event's state of table %s is damaged; run reckon verify",
                          st->path, bad);
    else if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot list the project's tables");
cleanup:
    sqlite3_finalize(q);
    return rc;
}

int store_state_table(uint64_t *sum, rk_store *st, const char *table)
{
    memset(sum, 0, STORE_STATE_LIMBS * sizeof(uint64_t));
    sqlite3_stmt *s = NULL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_MD *shake = EVP_MD_fetch(NULL, "SHAKE256", NULL);
    store_batch batch;
    bool batched = false;
    int rc = RK_OK;
    if (!md || !shake) {
        rc = rk_error_set(st->ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    char sql[160];
    sqlite3_snprintf((int)sizeof(sql), sql, "SELECT * FROM \"%w\"", table);
    if ((rc = rk_store__prepare(&s, st, sql, "cannot read a table to verify it")) != RK_OK)
        goto cleanup;
    int n = sqlite3_column_count(s);
    if (n > STORE_STATE_MAX_COLUMNS) {
        rc = rk_error_set(st->ctx, RK_ESTORE, "%s: table %s has too many columns to verify",
                          st->path, table);
        goto cleanup;
    }
    sqlite3_value *v[STORE_STATE_MAX_COLUMNS];
    uint64_t h[STORE_STATE_LIMBS];
    rk_store_row_hasher beside;
    /* Reading the rows on this thread and hashing them on another halves the pass (verify and
     * every report read every table). */
    if (store_beside_start(&beside)) {
        if (batch_start(&batch, &beside))
            batched = true;
        else
            beside.finish(beside.arg, NULL);
    }
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++)
            v[i] = sqlite3_column_value(s, i);
        if (batched && batch_keep(&batch, 0, false, table, v, n))
            continue;
        if (row_hash(md, shake, table, v, n, h) != RK_OK) {
            rc = rk_error_set(st->ctx, RK_ENOMEM, "cannot hash a row");
            goto cleanup;
        }
        sum_add(sum, h);
    }
    if (step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read a table to verify it");
cleanup:
    if (batched) {
        rk_store_row_sums sums;
        if (!batch_end(&batch, &sums) && rc == RK_OK)
            rc = rk_error_set(st->ctx, RK_ENOMEM, "cannot hash a row");
        sum_add(sum, sums.net[0]);
    }
    sqlite3_finalize(s);
    EVP_MD_CTX_free(md);
    EVP_MD_free(shake);
    return rc;
}

void store_state_hex(const uint64_t *sum, char *hex)
{
    sum_hex(sum, hex);
}
