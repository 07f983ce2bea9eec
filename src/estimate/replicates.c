/* Reads imputation replicates' posterior draws of N in the layout of HRDAG's stored estimates
 * (verdata): an index CSV of `hash,replicate,n_obs` and one `<hash>.json` array of whole
 * numbers beside it per replicate. What combine.c combines; every error names file:line:column. */
#include "estimate_private.h"

#define MAX_INDEX (16u << 20) /* an index lists replicates: a few hundred lines */
#define MAX_DRAWS (64u << 20) /* a JSON file of draws: a few thousand numbers */
#define MAX_HASH  200
#define MAX_TOKEN 40

/* The columns the index must name, found by name in its header. */
enum { COL_HASH, COL_REPLICATE, COL_NOBS, NCOLS };
static const char *const column_names[NCOLS] = {"hash", "replicate", "n_obs"};

void rk_replicate_array_free(rk_replicate *arr, size_t n)
{
    if (!arr)
        return;
    for (size_t i = 0; i < n; i++)
        rk_free(arr[i].draws);
    rk_free(arr);
}

/* ---------------------------------------------------------------------------------------- */
/* The draws: one JSON array of whole numbers                                                */

typedef struct json_cursor {
    const char *p, *end, *line_start;
    long line;
} json_cursor;

static long column(const json_cursor *c)
{
    return (long)(c->p - c->line_start) + 1;
}

static void skip_space(json_cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n')) {
        if (*c->p == '\n') {
            c->line++;
            c->line_start = c->p + 1;
        }
        c->p++;
    }
}

/* The token at the cursor: the bytes up to a delimiter of the array, at most MAX_TOKEN. */
static size_t token_len(const json_cursor *c)
{
    size_t n = 0;
    while (c->p + n < c->end && !strchr(",] \t\r\n", c->p[n]) && n < MAX_TOKEN)
        n++;
    return n;
}

/* What is at the cursor, for a message: the token, or "the end of the file". */
static void describe(char *out, size_t outsz, const json_cursor *c)
{
    size_t n = token_len(c);
    if (c->p >= c->end)
        snprintf(out, outsz, "the end of the file");
    else
        snprintf(out, outsz, "'%.*s'", (int)(n ? n : 1), c->p);
}

/* The draws into d[0..*nd), grown as they come; on error what was read stays for the caller
 * to free. */
static int parse_draws(double **d, size_t *nd, rk_ctx *ctx, const char *data, size_t len,
                       int64_t min, const char *path)
{
    json_cursor c = {.p = data, .end = data + len, .line_start = data, .line = 1};
    size_t cap = 0;
    char what[64];
    if (len >= 3 && !memcmp(c.p, "\xEF\xBB\xBF", 3)) {
        c.p += 3;
        c.line_start = c.p;
    }
    skip_space(&c);
    if (c.p >= c.end || *c.p != '[') {
        describe(what, sizeof(what), &c);
        return rk_error_set_at(ctx, RK_EINPUT, path, c.line, column(&c),
                               "expected '[' opening the array of draws of N, found %s", what);
    }
    c.p++;
    skip_space(&c);
    if (c.p < c.end && *c.p == ']')
        return rk_error_set_at(ctx, RK_EINPUT, path, c.line, column(&c),
                               "the array of draws is empty; a replicate needs at least one");
    for (;;) {
        skip_space(&c);
        size_t n = token_len(&c);
        char tok[MAX_TOKEN + 1];
        memcpy(tok, c.p, n);
        tok[n] = '\0';
        int64_t v;
        if (n == 0 || n == MAX_TOKEN || rk_parse_i64(&v, tok) != RK_OK || v > RK__MAX_TOTAL) {
            describe(what, sizeof(what), &c);
            return rk_error_set_at(ctx, RK_EINPUT, path, c.line, column(&c),
                                   "draw %s is not a whole number; the array must hold whole "
                                   "numbers of persons",
                                   what);
        }
        if (v < min)
            return rk_error_set_at(ctx, RK_EINPUT, path, c.line, column(&c),
                                   "draw %lld is below the %lld persons observed in this "
                                   "replicate; check its n_obs in the index",
                                   (long long)v, (long long)min);
        if (rk_grow((void **)d, &cap, *nd + 1, sizeof(double)) != RK_OK)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        (*d)[(*nd)++] = (double)v;
        c.p += n;
        skip_space(&c);
        if (c.p < c.end && *c.p == ',') {
            c.p++;
            continue;
        }
        if (c.p < c.end && *c.p == ']')
            break;
        describe(what, sizeof(what), &c);
        return rk_error_set_at(ctx, RK_EINPUT, path, c.line, column(&c),
                               "expected ',' or ']' after a draw, found %s", what);
    }
    c.p++;
    skip_space(&c);
    if (c.p < c.end) {
        describe(what, sizeof(what), &c);
        return rk_error_set_at(ctx, RK_EINPUT, path, c.line, column(&c),
                               "unexpected %s after the array of draws", what);
    }
    return RK_OK;
}

int rk_estimate_parse_draws(double **out, size_t *n, rk_ctx *ctx, const char *data, size_t len,
                            int64_t min, const char *name)
{
    RK_ASSERT_ARG(ctx, out && n && data && name);
    *out = NULL;
    *n = 0;
    int rc = parse_draws(out, n, ctx, data, len, min, name);
    if (rc != RK_OK) {
        rk_free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

static int read_draws(rk_replicate *r, rk_ctx *ctx, const char *path)
{
    rk_buf b;
    rk_buf_init(&b);
    int rc = estimate_read_file(&b, ctx, path, MAX_DRAWS, "a file of draws");
    if (rc == RK_OK)
        rc = rk_estimate_parse_draws(&r->draws, &r->ndraws, ctx, b.data ? b.data : "", b.len,
                                     r->observed, path);
    rk_buf_release(&b);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* The index                                                                                 */

/* A field of the current line: its bytes and its 1-based column. */
typedef struct field {
    const char *s;
    size_t n;
    long col;
} field;

/* Splits a line at commas into at most `max` fields; the number of fields, or max + 1 when
 * there are more. */
static size_t split_line(field *out, size_t max, const char *s, size_t n)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ',')
            continue;
        if (k == max)
            return max + 1;
        out[k++] = (field){.s = s + start, .n = i - start, .col = (long)start + 1};
        start = i + 1;
    }
    return k;
}

static bool hash_ok(const field *f)
{
    if (f->n == 0 || f->n > MAX_HASH || f->s[0] == '.')
        return false;
    for (size_t i = 0; i < f->n; i++) {
        char ch = f->s[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              ch == '_' || ch == '-' || ch == '.'))
            return false;
    }
    return true;
}

#define MAX_COLUMNS 64

/* Reads one row of the index (its fields `f`, `nf` of them) into r, the draws from `dir`. */
static int read_row(rk_replicate *r, rk_ctx *ctx, const char *index, long line, const field *f,
                    const size_t *col, const char *dir)
{
    const field *h = &f[col[COL_HASH]], *name = &f[col[COL_REPLICATE]], *nobs = &f[col[COL_NOBS]];
    if (!hash_ok(h))
        return rk_error_set_at(ctx, RK_EINPUT, index, line, h->col,
                               "hash '%.*s' is not a file name of letters, digits, '-', '_' and "
                               "'.'; it names the file <hash>.json beside the index",
                               (int)(h->n > 64 ? 64 : h->n), h->s);
    if (name->n == 0 || name->n >= sizeof(r->name))
        return rk_error_set_at(ctx, RK_EINPUT, index, line, name->col,
                               "the replicate's name must have 1 to %zu bytes",
                               sizeof(r->name) - 1);
    memcpy(r->name, name->s, name->n);
    r->name[name->n] = '\0';
    char tok[MAX_TOKEN + 1];
    size_t n = nobs->n < MAX_TOKEN ? nobs->n : MAX_TOKEN;
    memcpy(tok, nobs->s, n);
    tok[n] = '\0';
    if (nobs->n >= MAX_TOKEN || rk_parse_i64(&r->observed, tok) != RK_OK || r->observed < 0 ||
        r->observed > RK__MAX_TOTAL)
        return rk_error_set_at(ctx, RK_EINPUT, index, line, nobs->col,
                               "n_obs '%s' is not a whole number of persons", tok);
    rk_buf path;
    rk_buf_init(&path);
    int rc = rk_buf_printf(&path, "%s/%.*s.json", dir, (int)h->n, h->s);
    if (rc != RK_OK)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
    rc = rc ? rc : read_draws(r, ctx, rk_buf_cstr(&path));
    if (rc == RK_EIO) { /* a missing or unreadable file of draws: the index row is at fault */
        char why[sizeof(ctx->err.message)];
        snprintf(why, sizeof(why), "%s", ctx->err.message);
        rc = rk_error_set_at(ctx, RK_EINPUT, index, line, h->col,
                             "replicate '%s': %s; its draws must lie beside the index as "
                             "<hash>.json",
                             r->name, why);
    }
    rk_buf_release(&path);
    return rc;
}

static int parse_index(rk_replicate **out, size_t *nout, rk_ctx *ctx, const char *data, size_t len,
                       const char *index, const char *dir)
{
    rk_replicate *reps = NULL;
    size_t n = 0, cap = 0, ncol = 0, col[NCOLS];
    field f[MAX_COLUMNS];
    int rc = RK_OK;
    const char *p = data, *end = data + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    for (long line = 1; p < end && rc == RK_OK; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end, *s = p;
        p = nl ? nl + 1 : end;
        if (stop > s && stop[-1] == '\r')
            stop--;
        size_t sn = (size_t)(stop - s);
        const char *quote = memchr(s, '"', sn);
        if (quote) {
            rc = rk_error_set_at(ctx, RK_EINPUT, index, line, (long)(quote - s) + 1,
                                 "quoted fields are not supported in an index of replicates");
            break;
        }
        size_t k = split_line(f, MAX_COLUMNS, s, sn);
        if (line == 1) {
            ncol = k;
            for (size_t j = 0; j < NCOLS && rc == RK_OK; j++) {
                size_t want = strlen(column_names[j]);
                col[j] = SIZE_MAX;
                for (size_t i = 0; i < k && i < MAX_COLUMNS; i++)
                    if (f[i].n == want && !memcmp(f[i].s, column_names[j], want))
                        col[j] = i;
                if (col[j] == SIZE_MAX)
                    rc = rk_error_set_at(ctx, RK_EINPUT, index, 1, 1,
                                         "the header has no column '%s'; an index of replicates "
                                         "names hash, replicate and n_obs",
                                         column_names[j]);
            }
            continue;
        }
        if (sn == 0 && p >= end)
            break; /* the file's final line end */
        if (k != ncol) {
            rc = rk_error_set_at(ctx, RK_EINPUT, index, line, 1,
                                 "%zu fields where the header has %zu", k, ncol);
            break;
        }
        if (rk_grow((void **)&reps, &cap, n + 1, sizeof(*reps)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
        memset(&reps[n], 0, sizeof(*reps));
        rc = read_row(&reps[n], ctx, index, line, f, col, dir);
        n++;
        for (size_t i = 0; rc == RK_OK && i + 1 < n; i++)
            if (!strcmp(reps[i].name, reps[n - 1].name))
                rc = rk_error_set_at(ctx, RK_EINPUT, index, line, f[col[COL_REPLICATE]].col,
                                     "replicate '%s' is listed twice", reps[i].name);
    }
    if (rc == RK_OK && n == 0)
        rc = rk_error_set_at(ctx, RK_EINPUT, index, 1, 1,
                             "the index lists no replicates; give one row per replicate");
    if (rc != RK_OK) {
        rk_replicate_array_free(reps, n);
        return rc;
    }
    *out = reps;
    *nout = n;
    return RK_OK;
}

int rk_estimate_read_replicates(rk_replicate **out, size_t *n, rk_ctx *ctx, const char *index)
{
    RK_ASSERT_ARG(ctx, out && n && index);
    *out = NULL;
    *n = 0;
    rk_buf b, dir;
    rk_buf_init(&b);
    rk_buf_init(&dir);
    const char *slash = strrchr(index, '/');
    int rc = slash ? rk_buf_append(&dir, index, (size_t)(slash - index) + (slash == index))
                   : rk_buf_puts(&dir, ".");
    if (rc != RK_OK)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
    rc = rc ? rc : estimate_read_file(&b, ctx, index, MAX_INDEX, "an index of replicates");
    rc = rc ? rc : parse_index(out, n, ctx, b.data ? b.data : "", b.len, index, rk_buf_cstr(&dir));
    rk_buf_release(&b);
    rk_buf_release(&dir);
    return rc;
}
