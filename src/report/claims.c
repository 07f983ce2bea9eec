/* The claims ledger: figures that parties published (who, where, when, what, how many), added
 * and removed through the audit chain, and for each the documented count of persons, the
 * estimate that covers the same category, group and stratum, and where the figure stands. */
#include "report_private.h"
#include "store/store_internal.h"

static const char *const groups[] = {"women", "men", "children", "elderly", "adults"};

/* The canonical row of a claim the "claim" event vouches for; must match digest_kinds in
 * src/store/events.c. */
#define CLAIM_DIGEST_SQL                                                                           \
    "SELECT source, url, date, category, grp, stratum, value, note, time FROM claim WHERE id = ?1"
#define CLAIM_REMOVE_DIGEST_SQL "SELECT id, removed_time FROM claim WHERE id = ?1"

static int row_digest(rk_store *st, const char *sql, int64_t id, char hex[65])
{
    sqlite3_stmt *s = NULL;
    rk_digest d;
    int rc = RK_OK;
    bool started = false;
    if ((rc = rk_store__prepare_int64(&s, st, sql, id, "cannot digest a claim")) != RK_OK)
        goto cleanup;
    if (rk_digest_init(&d) != RK_OK) {
        rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "cannot hash");
        goto cleanup;
    }
    started = true;
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            if (sqlite3_column_type(s, c) == SQLITE_NULL)
                rk_digest_null(&d);
            else if (sqlite3_column_type(s, c) == SQLITE_INTEGER)
                rk_digest_int(&d, sqlite3_column_int64(s, c));
            else
                rk_digest_text(&d, (const char *)sqlite3_column_text(s, c),
                               (size_t)sqlite3_column_bytes(s, c));
        }
        rk_digest_end_row(&d);
    }
    rk_digest_final_hex(&d, hex);
    started = false;
cleanup:
    if (started)
        rk_digest_release(&d);
    sqlite3_finalize(s);
    return rc;
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

/* A publication date: YYYY, YYYY-MM or YYYY-MM-DD, a day that exists, not after today. On
 * failure why (whysz bytes) says what is wrong. */
static bool date_ok(const char *d, char *why, size_t whysz)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = strlen(d);
    int y = 0, m = 0, day = 0;
    bool shape = n == 4 || n == 7 || n == 10;
    for (size_t i = 0; shape && i < n; i++)
        shape = (i == 4 || i == 7) ? d[i] == '-' : (d[i] >= '0' && d[i] <= '9');
    if (!shape) {
        snprintf(why, whysz, "is not YYYY, YYYY-MM or YYYY-MM-DD");
        return false;
    }
    for (size_t i = 0; i < 4; i++)
        y = y * 10 + (d[i] - '0');
    if (n >= 7)
        m = (d[5] - '0') * 10 + (d[6] - '0');
    if (n == 10)
        day = (d[8] - '0') * 10 + (d[9] - '0');
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1000) {
        snprintf(why, whysz, "has year %d; give four digits from 1000", y);
        return false;
    }
    if (n >= 7 && (m < 1 || m > 12)) {
        snprintf(why, whysz, "has month %d; months are 01 to 12", m);
        return false;
    }
    if (n == 10 && (day < 1 || day > mdays[m - 1] || (m == 2 && day == 29 && !leap))) {
        snprintf(why, whysz, "has day %d, which %04d-%02d does not have", day, y, m);
        return false;
    }
    char today[32];
    rk_time_iso(today);
    if (strncmp(d, today, n) > 0) {
        snprintf(why, whysz, "is after today (%.10s)", today);
        return false;
    }
    return true;
}

/* A text a claim keeps and `claim list` prints: no control characters (escape sequences,
 * newlines, tabs), which would reach a terminal or break a line of the list. */
static bool text_ok(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

/* More persons than the world holds is not a figure anyone documented. */
#define MAX_CLAIM_VALUE INT64_C(10000000000)

static int check_spec(rk_ctx *ctx, const rk_claim_spec *c)
{
    if (blank(c->source))
        return rk_error_set(ctx, RK_EINPUT,
                            "a claim needs its source (--source): who published "
                            "the figure");
    if (blank(c->category))
        return rk_error_set(ctx, RK_EINPUT,
                            "a claim needs its category (--category): killed, wounded, detained, "
                            "disappeared or another");
    if (c->value < 0)
        return rk_error_set(ctx, RK_EINPUT,
                            "the value %lld is negative; give the figure as "
                            "published",
                            (long long)c->value);
    if (c->value > MAX_CLAIM_VALUE)
        return rk_error_set(ctx, RK_EINPUT,
                            "the value %lld is more persons than live on Earth; give the figure "
                            "as published",
                            (long long)c->value);
    char why[160], shown[300];
    if (!blank(c->date) && !date_ok(c->date, why, sizeof(why)))
        return rk_error_set(ctx, RK_EINPUT, "--date '%s' %s",
                            rk_str_shown(shown, sizeof(shown), c->date), why);
    const char *texts[][2] = {{"--source", c->source},
                              {"--url", c->url},
                              {"--category", c->category},
                              {"--note", c->note}};
    for (size_t i = 0; i < RK_ARRAY_LEN(texts); i++)
        if (!text_ok(texts[i][1]))
            return rk_error_set(ctx, RK_EINPUT,
                                "%s '%s' holds a control character (an escape sequence, a line "
                                "break or a tab); give plain text",
                                texts[i][0], rk_str_shown(shown, sizeof(shown), texts[i][1]));
    if (c->group) {
        bool ok = false;
        for (size_t i = 0; i < RK_ARRAY_LEN(groups); i++)
            ok = ok || strcmp(c->group, groups[i]) == 0;
        if (!ok)
            return rk_error_set(ctx, RK_EINPUT,
                                "group '%s' is not one of women, men, children, elderly, adults; "
                                "for another subset use --stratum FIELD=VALUE",
                                c->group);
    }
    for (size_t i = 0; i < c->nstratum; i++) {
        if (!report_field_name_ok(c->stratum_fields[i]))
            return rk_error_set(ctx, RK_EINPUT,
                                "stratum field '%s' is not a field name (letters, digits, _)",
                                c->stratum_fields[i]);
        if (!text_ok(c->stratum_values[i]))
            return rk_error_set(ctx, RK_EINPUT,
                                "stratum field '%s': the value '%s' holds a control character; "
                                "give plain text",
                                c->stratum_fields[i],
                                rk_str_shown(shown, sizeof(shown), c->stratum_values[i]));
        if (blank(c->stratum_values[i]))
            return rk_error_set(ctx, RK_EINPUT, "stratum field '%s' has no value",
                                c->stratum_fields[i]);
        for (size_t k = 0; k < i; k++)
            if (strcmp(c->stratum_fields[k], c->stratum_fields[i]) == 0)
                return rk_error_set(ctx, RK_EINPUT, "stratum field '%s' is given twice",
                                    c->stratum_fields[i]);
    }
    return RK_OK;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (blank(v))
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

int rk_claim_add(int64_t *out, rk_store *st, const rk_claim_spec *spec)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, spec != NULL);
    sqlite3_stmt *ins = NULL;
    rk_buf stratum, payload;
    rk_buf_init(&stratum);
    rk_buf_init(&payload);
    bool in_tx = false;
    int rc = check_spec(ctx, spec);
    if (rc != RK_OK)
        goto cleanup;
    for (size_t i = 0; i < spec->nstratum && rc == RK_OK; i++) {
        rc = rk_buf_putc(&stratum, i ? ',' : '{');
        rc = rc ? rc
                : rk_buf_json_string(&stratum, spec->stratum_fields[i],
                                     strlen(spec->stratum_fields[i]));
        rc = rc ? rc : rk_buf_putc(&stratum, ':');
        rc = rc ? rc
                : rk_buf_json_string(&stratum, spec->stratum_values[i],
                                     strlen(spec->stratum_values[i]));
    }
    if (rc == RK_OK && spec->nstratum)
        rc = rk_buf_putc(&stratum, '}');
    if (rc != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rk_store_begin(st)) != RK_OK)
        goto cleanup;
    in_tx = true;
    if ((rc =
             rk_store__prepare(&ins, st,
                               "INSERT INTO claim(source, url, date, category, grp, stratum, value,"
                               " note, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               "cannot add the claim")) != RK_OK)
        goto cleanup;
    char now[32];
    rk_time_iso(now);
    bind_opt(ins, 1, spec->source);
    bind_opt(ins, 2, spec->url);
    bind_opt(ins, 3, spec->date);
    bind_opt(ins, 4, spec->category);
    bind_opt(ins, 5, spec->group);
    bind_opt(ins, 6, spec->nstratum ? rk_buf_cstr(&stratum) : NULL);
    sqlite3_bind_int64(ins, 7, spec->value);
    bind_opt(ins, 8, spec->note);
    sqlite3_bind_text(ins, 9, now, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(ins) != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot add the claim");
        goto cleanup;
    }
    int64_t id = sqlite3_last_insert_rowid(rk_store__db(st));
    char hex[65];
    if ((rc = row_digest(st, CLAIM_DIGEST_SQL, id, hex)) != RK_OK)
        goto cleanup;
    if (rk_buf_printf(&payload, "{\"claim_id\":%lld,\"value\":%lld,\"category\":", (long long)id,
                      (long long)spec->value) != RK_OK ||
        rk_buf_json_string(&payload, spec->category, strlen(spec->category)) != RK_OK ||
        rk_buf_printf(&payload, ",\"digest\":\"%s\"}", hex) != RK_OK) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = rk_store_log_event(st, "claim", rk_buf_cstr(&payload), NULL)) != RK_OK)
        goto cleanup;
    if ((rc = rk_store_commit(st)) != RK_OK)
        goto cleanup;
    in_tx = false;
    if (out)
        *out = id;
cleanup:
    sqlite3_finalize(ins);
    if (in_tx)
        rk_store_rollback(st);
    rk_buf_release(&stratum);
    rk_buf_release(&payload);
    return rc;
}

int rk_claim_remove(rk_store *st, int64_t id)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL;
    bool in_tx = false;
    int rc = rk_store_begin(st);
    if (rc != RK_OK)
        goto cleanup;
    in_tx = true;
    if ((rc = rk_store__prepare_int64(&s, st, "SELECT removed_time FROM claim WHERE id = ?1", id,
                                      "cannot read claims")) != RK_OK)
        goto cleanup;
    int step = sqlite3_step(s);
    if (step != SQLITE_ROW) {
        rc = rk_error_set(ctx, RK_ENOTFOUND, "no claim %lld; see 'reckon claim list'",
                          (long long)id);
        goto cleanup;
    }
    if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
        rc = rk_error_set(ctx, RK_EINPUT, "claim %lld was removed already (%s)", (long long)id,
                          (const char *)sqlite3_column_text(s, 0));
        goto cleanup;
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((rc = rk_store__prepare(&s, st, "UPDATE claim SET removed_time = ?2 WHERE id = ?1",
                                "cannot remove the claim")) != RK_OK)
        goto cleanup;
    char now[32];
    rk_time_iso(now);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot remove the claim");
        goto cleanup;
    }
    char hex[65], payload[256];
    if ((rc = row_digest(st, CLAIM_REMOVE_DIGEST_SQL, id, hex)) != RK_OK)
        goto cleanup;
    snprintf(payload, sizeof(payload), "{\"claim_id\":%lld,\"digest\":\"%s\"}", (long long)id, hex);
    if ((rc = rk_store_log_event(st, "claim-remove", payload, NULL)) != RK_OK)
        goto cleanup;
    if ((rc = rk_store_commit(st)) != RK_OK)
        goto cleanup;
    in_tx = false;
cleanup:
    sqlite3_finalize(s);
    if (in_tx)
        rk_store_rollback(st);
    return rc;
}

rk_standing rk_claim_standing(int64_t value, int64_t documented, bool has_interval, double lower,
                              double upper)
{
    if (value < documented)
        return RK_STANDING_BELOW_DOCUMENTED;
    if (!has_interval)
        return value == documented ? RK_STANDING_EQUAL_DOCUMENTED : RK_STANDING_ABOVE_DOCUMENTED;
    if ((double)value < lower)
        return RK_STANDING_BELOW_LOWER;
    if ((double)value <= upper)
        return RK_STANDING_WITHIN_INTERVAL;
    return RK_STANDING_ABOVE_INTERVAL;
}

const char *rk_claim_standing_text(rk_standing s)
{
    switch (s) {
    case RK_STANDING_BELOW_DOCUMENTED:
        return "below what is documented";
    case RK_STANDING_EQUAL_DOCUMENTED:
        return "equal to what is documented; no estimate to compare with";
    case RK_STANDING_ABOVE_DOCUMENTED:
        return "above what is documented; no estimate to compare with";
    case RK_STANDING_BELOW_LOWER:
        return "between documented and the estimate's lower bound";
    case RK_STANDING_WITHIN_INTERVAL:
        return "within the estimate's interval";
    case RK_STANDING_ABOVE_INTERVAL:
        return "above the estimate's interval";
    default:
        return "not compared";
    }
}

const char *rk_claim_standing_code(rk_standing s)
{
    static const char *const codes[] = {"not_compared",     "below_documented", "equal_documented",
                                        "above_documented", "below_lower",      "within_interval",
                                        "above_interval"};
    _Static_assert(RK_ARRAY_LEN(codes) == RK_STANDING_ABOVE_INTERVAL + 1, "a code per standing");
    return (unsigned)s < RK_ARRAY_LEN(codes) ? codes[s] : codes[0];
}

/* ---- listing, with documented counts and estimates ------------------------------------- */

typedef struct est {
    int64_t id;
    char *method;
    double estimate, lower, upper;
    size_t nkv;
    char **keys, **vals; /* normalized */
} est;

/* Normalizes a stratum key and value pair so that claims and estimates compare (region and
 * place by their stratum key, report_persons_key). */
static int norm_kv(const report_persons *ps, const char *key, const char *val, char **k_out,
                   char **v_out)
{
    char buf[128];
    const char *k = key, *v = val ? val : "";
    rk_buf folded;
    rk_buf_init(&folded);
    if (strcmp(key, "violation") == 0 || strcmp(key, "category") == 0) {
        k = "violation";
        rk_report_category_class(buf, sizeof(buf), v);
        v = buf;
    } else if (strcmp(key, "sex") == 0) {
        char c = rk_report_sex_class(v);
        v = c == 'F' ? "F" : c == 'M' ? "M" : v;
    } else if (strcmp(key, "age_group") == 0 || strcmp(key, "age") == 0) {
        k = "age_group";
    } else if (strcmp(key, "region") == 0 || strcmp(key, "place") == 0) {
        int rc = report_persons_key(&folded, ps, key, v);
        if (rc != RK_OK) {
            rk_buf_release(&folded);
            return rc;
        }
        v = rk_buf_cstr(&folded);
    }
    *k_out = rk_strdup(k);
    *v_out = rk_strdup(v);
    rk_buf_release(&folded);
    return (*k_out && *v_out) ? RK_OK : RK_ENOMEM;
}

static void ests_free(est *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < e[i].nkv; k++) {
            rk_free(e[i].keys[k]);
            rk_free(e[i].vals[k]);
        }
        rk_free(e[i].keys);
        rk_free(e[i].vals);
        rk_free(e[i].method);
    }
    rk_free(e);
}

static int load_estimates(rk_store *st, const report_persons *ps, est **out, size_t *n)
{
    sqlite3_stmt *s = NULL, *kv = NULL;
    est *e = NULL;
    size_t cap = 0, ne = 0;
    int rc = RK_OK;
    if ((rc = rk_store__prepare(
             &s, st,
             "SELECT id, method, estimate, lower, upper, stratum FROM estimate WHERE"
             " status = 'ok' AND lower IS NOT NULL AND upper IS NOT NULL ORDER BY"
             " id DESC",
             "cannot read estimates")) != RK_OK ||
        (rc = rk_store__prepare(&kv, st,
                                "SELECT key, CAST(value AS TEXT) FROM json_each(?1) WHERE"
                                " json_valid(?1)",
                                "cannot read estimates")) != RK_OK)
        goto cleanup;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (rk_grow((void **)&e, &cap, ne + 1, sizeof(est)) != RK_OK)
            goto nomem;
        est *x = &e[ne++];
        memset(x, 0, sizeof(*x));
        x->id = sqlite3_column_int64(s, 0);
        x->method = rk_strdup(rk_store__text(s, 1) ? rk_store__text(s, 1) : "");
        x->estimate = sqlite3_column_type(s, 2) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 2);
        x->lower = sqlite3_column_double(s, 3);
        x->upper = sqlite3_column_double(s, 4);
        if (!x->method)
            goto nomem;
        if (sqlite3_column_type(s, 5) == SQLITE_NULL)
            continue;
        sqlite3_reset(kv);
        sqlite3_bind_text(kv, 1, rk_store__text(s, 5), -1, SQLITE_TRANSIENT);
        size_t kc = 0, vc = 0;
        while (sqlite3_step(kv) == SQLITE_ROW) {
            if (rk_grow((void **)&x->keys, &kc, x->nkv + 1, sizeof(char *)) != RK_OK ||
                rk_grow((void **)&x->vals, &vc, x->nkv + 1, sizeof(char *)) != RK_OK)
                goto nomem;
            x->keys[x->nkv] = x->vals[x->nkv] = NULL;
            x->nkv++;
            if ((rc = norm_kv(ps, rk_store__text(kv, 0), rk_store__text(kv, 1),
                              &x->keys[x->nkv - 1], &x->vals[x->nkv - 1])) != RK_OK)
                goto fail;
        }
    }
    goto cleanup;
fail:
    if (rc != RK_ENOMEM)
        goto cleanup;
nomem:
    rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
cleanup:
    sqlite3_finalize(s);
    sqlite3_finalize(kv);
    if (rc != RK_OK) {
        ests_free(e, ne);
        e = NULL, ne = 0;
    }
    *out = e;
    *n = ne;
    return rc;
}

/* The claim's stratum as normalized key/value pairs, checked against one estimate. */
static bool estimate_matches(const est *e, const rk_claim_row *c, const char *const *f,
                             const char *const *v, size_t nf, bool all_one_category)
{
    if (e->nkv == 0)
        return !c->group && nf == 0 && all_one_category;
    char want_k[20][72], want_v[20][256];
    size_t nw = 0;
    rk_report_category_class(want_v[nw], sizeof(want_v[nw]), c->category);
    snprintf(want_k[nw++], sizeof(want_k[0]), "violation");
    if (c->group) {
        bool sex = strcmp(c->group, "women") == 0 || strcmp(c->group, "men") == 0;
        snprintf(want_k[nw], sizeof(want_k[0]), "%s", sex ? "sex" : "age_group");
        snprintf(want_v[nw++], sizeof(want_v[0]), "%s",
                 sex ? (c->group[0] == 'w' ? "F" : "M") : c->group);
    }
    for (size_t i = 0; i < nf && nw < 20; i++, nw++) {
        snprintf(want_k[nw], sizeof(want_k[0]), "%s", f[i]);
        snprintf(want_v[nw], sizeof(want_v[0]), "%s", v[i]);
    }
    if (e->nkv != nw)
        return false;
    for (size_t i = 0; i < nw; i++) {
        bool found = false;
        for (size_t k = 0; k < e->nkv && !found; k++)
            found = strcmp(e->keys[k], want_k[i]) == 0 && strcmp(e->vals[k], want_v[i]) == 0;
        if (!found)
            return false;
    }
    return true;
}

void rk_claim_list_free(rk_claim_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        rk_claim_row *c = &rows[i];
        rk_free(c->source), rk_free(c->url), rk_free(c->date), rk_free(c->category);
        rk_free(c->group), rk_free(c->stratum), rk_free(c->note), rk_free(c->time);
        rk_free(c->removed_time), rk_free(c->estimate_method), rk_free(c->stratum_label);
    }
    rk_free(rows);
}

static char *dup_col(sqlite3_stmt *s, int i, bool *oom)
{
    const char *t = rk_store__text(s, i);
    if (!t)
        return NULL;
    char *d = rk_strdup(t);
    if (!d)
        *oom = true;
    return d;
}

/* The stratum of a claim as field and value arrays (borrowed from a json_each statement's copy). */
typedef struct strat {
    char *f[16], *v[16];
    size_t n;
} strat;

static int claim_stratum(sqlite3_stmt *kv, const char *json, strat *out)
{
    out->n = 0;
    if (!json)
        return RK_OK;
    sqlite3_reset(kv);
    sqlite3_bind_text(kv, 1, json, -1, SQLITE_TRANSIENT);
    while (out->n < 16 && sqlite3_step(kv) == SQLITE_ROW) {
        out->f[out->n] = rk_strdup(rk_store__text(kv, 0) ? rk_store__text(kv, 0) : "");
        out->v[out->n] = rk_strdup(rk_store__text(kv, 1) ? rk_store__text(kv, 1) : "");
        out->n++;
        if (!out->f[out->n - 1] || !out->v[out->n - 1])
            return RK_ENOMEM;
    }
    return RK_OK;
}

static void strat_release(strat *s)
{
    for (size_t i = 0; i < s->n; i++)
        rk_free(s->f[i]), rk_free(s->v[i]);
    s->n = 0;
}

int report_claim_fields(rk_store *st, char **fields, size_t max, size_t *n)
{
    sqlite3_stmt *fs = NULL;
    int rc = RK_OK;
    *n = 0;
    if ((rc = rk_store__prepare(&fs, st,
                                "SELECT DISTINCT j.key FROM claim c, json_each(c.stratum) j WHERE"
                                " json_valid(c.stratum) ORDER BY 1",
                                "cannot read claims")) != RK_OK)
        return rc;
    while (sqlite3_step(fs) == SQLITE_ROW && *n < max) {
        const char *f = rk_store__text(fs, 0);
        if (!f || !report_field_name_ok(f))
            continue;
        if (!(fields[*n] = rk_strdup(f))) {
            rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
            break;
        }
        (*n)++;
    }
    sqlite3_finalize(fs);
    return rc;
}

int report_claims_with(rk_claim_row **out, size_t *n, rk_store *st, const report_persons *ps,
                       bool include_removed)
{
    rk_ctx *ctx = rk_store_ctx(st);
    sqlite3_stmt *s = NULL, *kv = NULL;
    rk_claim_row *rows = NULL;
    size_t cap = 0, nr = 0, ne = 0;
    est *ests = NULL;
    strat sv = {0};
    bool oom = false;
    int rc = RK_OK;
    *out = NULL;
    *n = 0;
    if ((rc = rk_store__prepare(&s, st,
                                "SELECT id, source, url, date, category, grp, stratum, value, note,"
                                " time, removed_time, " RK_ESTIMATE_STRATUM_LABEL_SQL
                                " FROM claim WHERE ?1 OR removed_time IS NULL"
                                " ORDER BY id",
                                "cannot read claims")) != RK_OK ||
        (rc = rk_store__prepare(&kv, st,
                                "SELECT key, CAST(value AS TEXT) FROM json_each(?1) WHERE"
                                " json_valid(?1)",
                                "cannot read claims")) != RK_OK)
        goto cleanup;
    if ((rc = load_estimates(st, ps, &ests, &ne)) != RK_OK)
        goto cleanup;
    int64_t with_category = 0;
    for (size_t i = 0; i < ps->n; i++)
        with_category += ps->p[i].category != 0;
    sqlite3_bind_int(s, 1, include_removed);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (rk_grow((void **)&rows, &cap, nr + 1, sizeof(*rows)) != RK_OK)
            goto nomem;
        rk_claim_row *c = &rows[nr++];
        memset(c, 0, sizeof(*c));
        c->id = sqlite3_column_int64(s, 0);
        c->source = dup_col(s, 1, &oom), c->url = dup_col(s, 2, &oom);
        c->date = dup_col(s, 3, &oom), c->category = dup_col(s, 4, &oom);
        c->group = dup_col(s, 5, &oom), c->stratum = dup_col(s, 6, &oom);
        c->value = sqlite3_column_int64(s, 7);
        c->note = dup_col(s, 8, &oom), c->time = dup_col(s, 9, &oom);
        c->removed_time = dup_col(s, 10, &oom), c->stratum_label = dup_col(s, 11, &oom);
        if (oom || !c->category)
            goto nomem;
        if (claim_stratum(kv, c->stratum, &sv) != RK_OK)
            goto nomem;
        for (size_t i = 0; i < sv.n; i++) { /* region and place compare by their keys */
            char *k = NULL, *v = NULL;
            if ((rc = norm_kv(ps, sv.f[i], sv.v[i], &k, &v)) != RK_OK) {
                rk_free(k), rk_free(v);
                if (rc == RK_ENOMEM)
                    goto nomem;
                goto cleanup;
            }
            rk_free(k);
            if (strcmp(sv.f[i], "region") == 0 || strcmp(sv.f[i], "place") == 0) {
                rk_free(sv.v[i]);
                sv.v[i] = v;
            } else {
                rk_free(v);
            }
        }
        report_select sel = {.category = c->category,
                             .group = c->group,
                             .fields = (const char *const *)sv.f,
                             .values = (const char *const *)sv.v,
                             .nstratum = sv.n};
        c->documented = report_persons_count(ps, &sel);
        report_select cat_only = {.category = c->category};
        bool one_cat = ps->n > 0 && report_persons_count(ps, &cat_only) == with_category;
        for (size_t k = 0; k < ne && !c->has_estimate; k++) {
            if (!estimate_matches(&ests[k], c, (const char *const *)sv.f, (const char *const *)sv.v,
                                  sv.n, one_cat))
                continue;
            c->has_estimate = true;
            c->estimate_id = ests[k].id;
            c->estimate = ests[k].estimate;
            c->lower = ests[k].lower;
            c->upper = ests[k].upper;
            if (!(c->estimate_method = rk_strdup(ests[k].method)))
                goto nomem;
        }
        strat_release(&sv);
        c->standing =
            rk_claim_standing(c->value, c->documented, c->has_estimate, c->lower, c->upper);
    }
    *out = rows;
    *n = nr;
    rows = NULL;
    goto cleanup;
nomem:
    rc = rk_error_set(ctx, RK_ENOMEM, "out of memory while listing claims");
cleanup:
    strat_release(&sv);
    rk_claim_list_free(rows, nr);
    ests_free(ests, ne);
    sqlite3_finalize(s);
    sqlite3_finalize(kv);
    return rc;
}

int rk_claim_list(rk_claim_row **out, size_t *n, rk_link_documented *basis, rk_store *st,
                  const rk_count_options *opts, bool include_removed)
{
    char *fields[64] = {0};
    size_t nfields = 0;
    report_persons ps;
    memset(&ps, 0, sizeof(ps));
    *out = NULL;
    *n = 0;
    int rc = report_claim_fields(st, fields, RK_ARRAY_LEN(fields), &nfields);
    if (rc != RK_OK)
        goto cleanup;
    if ((rc = report_persons_load(&ps, st, opts, (const char *const *)fields, nfields)) != RK_OK)
        goto cleanup;
    if ((rc = report_claims_with(out, n, st, &ps, include_removed)) != RK_OK)
        goto cleanup;
    if (basis)
        *basis = ps.documented;
cleanup:
    for (size_t i = 0; i < nfields; i++)
        rk_free(fields[i]);
    report_persons_release(&ps);
    return rc;
}
