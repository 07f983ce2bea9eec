/* Reads capture-pattern counts files: a header of list names and `count`, then one row of 0/1
 * flags and a count per pattern (docs: /work/shared/data/mse/README.md). A small strict parser
 * of its own, since the format needs no quoting; every error names file:line:column. */
#include "estimate_private.h"

#define MAX_NAME 256
#define MAX_FILE (256u << 20) /* a counts file is small; refuse anything past 256 MiB */

typedef struct row_ref {
    uint64_t pattern;
    long line;
} row_ref;

typedef struct cursor {
    const char *p, *end;
    long line;
    const char *line_start;
} cursor;

/* The bytes of the current line without its end (\n or \r\n); advances past it. */
static void next_line(cursor *c, const char **s, size_t *n)
{
    const char *start = c->p;
    const char *nl = memchr(start, '\n', (size_t)(c->end - start));
    const char *stop = nl ? nl : c->end;
    c->line_start = start;
    c->p = nl ? nl + 1 : c->end;
    if (stop > start && stop[-1] == '\r')
        stop--;
    *s = start;
    *n = (size_t)(stop - start);
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* Splits a line at commas into at most `max` fields (start, length); returns the count or
 * max + 1 when there are more. Spaces and tabs around a field are dropped. */
static size_t split(const char *s, size_t n, const char **fs, size_t *fl, size_t max)
{
    size_t nf = 0, i = 0;
    for (;;) {
        size_t j = i;
        while (j < n && s[j] != ',')
            j++;
        if (nf == max)
            return max + 1;
        size_t a = i, b = j;
        while (a < b && (s[a] == ' ' || s[a] == '\t'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
            b--;
        fs[nf] = s + a;
        fl[nf] = b - a;
        nf++;
        if (j >= n)
            return nf;
        i = j + 1;
    }
}

static int cmp_rows(const void *a, const void *b)
{
    const row_ref *x = a, *y = b;
    if (x->pattern != y->pattern)
        return x->pattern < y->pattern ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static void pattern_text(uint64_t p, size_t k, char *out)
{
    for (size_t j = 0; j < k; j++)
        out[j] = (p >> j & 1) ? '1' : '0';
    out[k] = '\0';
}

int rk_estimate_parse_counts(rk_capture_table **out, rk_ctx *ctx, const char *data, size_t len,
                             const char *name)
{
    RK_ASSERT_ARG(ctx, out && (data || len == 0));
    *out = NULL;
    const char *fname = name ? name : "<counts>";
    enum { MAXF = RK_ESTIMATE_MAX_LISTS + 1 };
    const char *fs[MAXF + 1];
    size_t fl[MAXF + 1];
    char *names[RK_ESTIMATE_MAX_LISTS] = {0};
    row_ref *rows = NULL;
    size_t nrows = 0, rows_cap = 0, k = 0;
    rk_capture_table *t = NULL;
    int rc = RK_OK;

    cursor c = {.p = data, .end = data + len, .line = 0};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c.p += 3;
    const char *s;
    size_t n;
    /* The header: the first line that is not blank. */
    do {
        if (c.p >= c.end) {
            rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line + 1, 1,
                                 "no header; expected list names and 'count'");
            goto cleanup;
        }
        next_line(&c, &s, &n);
        c.line++;
    } while (blank(s, n));
    size_t nf = split(s, n, fs, fl, MAXF);
    if (nf > MAXF) {
        rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, 1,
                             "more than %d lists in the header; reckon handles at most %d",
                             RK_ESTIMATE_MAX_LISTS, RK_ESTIMATE_MAX_LISTS);
        goto cleanup;
    }
    if (nf < 2 || fl[nf - 1] != 5 || memcmp(fs[nf - 1], "count", 5) != 0) {
        rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, (long)(fs[nf - 1] - s) + 1,
                             "the last column must be 'count' after one column per list");
        goto cleanup;
    }
    k = nf - 1;
    for (size_t j = 0; j < k; j++) {
        long col = (long)(fs[j] - s) + 1;
        if (fl[j] == 0 || fl[j] > MAX_NAME || memchr(fs[j], '\0', fl[j])) {
            rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, col,
                                 "list name %zu is empty, too long or not text", j + 1);
            goto cleanup;
        }
        if (!(names[j] = rk_strndup(fs[j], fl[j]))) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        for (size_t i = 0; i < j; i++)
            if (strcmp(names[i], names[j]) == 0) {
                rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, col,
                                     "list name '%s' appears twice; rename one", names[j]);
                goto cleanup;
            }
    }
    if ((rc = rk_capture_table_new(&t, ctx, k, (const char *const *)names)) != RK_OK)
        goto cleanup;

    while (c.p < c.end) {
        next_line(&c, &s, &n);
        c.line++;
        if (blank(s, n))
            continue;
        nf = split(s, n, fs, fl, k + 1);
        if (nf != k + 1) {
            long col = nf > k + 1 ? (long)(fs[k] - s) + (long)fl[k] + 1 : (long)n + 1;
            rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, col,
                                 "%s columns: expected %zu (one per list, then count)",
                                 nf > k + 1 ? "too many" : "too few", k + 1);
            goto cleanup;
        }
        uint64_t p = 0;
        for (size_t j = 0; j < k; j++) {
            if (fl[j] != 1 || (fs[j][0] != '0' && fs[j][0] != '1')) {
                rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, (long)(fs[j] - s) + 1,
                                     "'%.*s' in column '%s' is not 0 or 1", (int)RK_MIN(fl[j], 40),
                                     fl[j] && memchr(fs[j], '\0', fl[j]) ? "?" : fs[j], names[j]);
                goto cleanup;
            }
            if (fs[j][0] == '1')
                p |= UINT64_C(1) << j;
        }
        long ccol = (long)(fs[k] - s) + 1;
        char num[32];
        int64_t v = 0;
        if (fl[k] == 0) {
            rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, ccol, "missing count");
            goto cleanup;
        }
        if (fl[k] >= sizeof(num) ||
            (memcpy(num, fs[k], fl[k]), num[fl[k]] = '\0', rk_parse_i64(&v, num) != RK_OK)) {
            rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, ccol,
                                 "count '%.*s' is not a whole number", (int)RK_MIN(fl[k], 40),
                                 memchr(fs[k], '\0', RK_MIN(fl[k], 40)) ? "?" : fs[k]);
            goto cleanup;
        }
        if (v < 0) {
            rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, ccol, "count %lld is negative",
                                 (long long)v);
            goto cleanup;
        }
        if (p == 0 && v > 0) {
            rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line, 1,
                                 "the all-zero pattern (on no list) cannot be observed; remove "
                                 "the row");
            goto cleanup;
        }
        if (nrows == rows_cap &&
            rk_grow((void **)&rows, &rows_cap, nrows + 1, sizeof(row_ref)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        rows[nrows++] = (row_ref){p, c.line};
        if (p && (rc = rk_capture_table_add(t, ctx, p, v)) != RK_OK) {
            rk_error_set_at(ctx, rc, fname, c.line, ccol,
                            "the counts add up to more than 2^53 persons");
            goto cleanup;
        }
    }
    if (nrows == 0) {
        rc = rk_error_set_at(ctx, RK_EINPUT, fname, c.line + 1, 1,
                             "no rows after the header; expected one row per capture pattern");
        goto cleanup;
    }
    qsort(rows, nrows, sizeof(row_ref), cmp_rows);
    for (size_t i = 1; i < nrows; i++)
        if (rows[i].pattern == rows[i - 1].pattern) {
            char pt[RK_ESTIMATE_MAX_LISTS + 1];
            pattern_text(rows[i].pattern, k, pt);
            rc = rk_error_set_at(ctx, RK_EINPUT, fname, rows[i].line, 1,
                                 "pattern %s was already given on line %ld; merge the rows", pt,
                                 rows[i - 1].line);
            goto cleanup;
        }
    *out = t;
    t = NULL;
cleanup:
    for (size_t j = 0; j < k && j < RK_ESTIMATE_MAX_LISTS; j++)
        rk_free(names[j]);
    rk_free(rows);
    rk_capture_table_free(t);
    return rc;
}

int estimate_read_file(rk_buf *out, rk_ctx *ctx, const char *path, size_t max, const char *what)
{
    int rc = RK_OK;
    FILE *f = fopen(path, "rb");
    if (!f)
        return rk_error_set(ctx, RK_EIO, "cannot open '%s': %s", path, strerror(errno));
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (out->len + got > max) {
            rc = rk_error_set(ctx, RK_EINPUT, "'%s' is larger than %zu MiB; not %s", path,
                              max >> 20, what);
            goto cleanup;
        }
        if (rk_buf_append(out, chunk, got) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (ferror(f))
        rc = rk_error_set(ctx, RK_EIO, "cannot read '%s': %s", path, strerror(errno));
cleanup:
    fclose(f);
    return rc;
}

int rk_estimate_read_counts(rk_capture_table **out, rk_ctx *ctx, const char *path)
{
    RK_ASSERT_ARG(ctx, out && path);
    *out = NULL;
    rk_buf b;
    rk_buf_init(&b);
    int rc = estimate_read_file(&b, ctx, path, MAX_FILE, "a counts file");
    if (rc == RK_OK)
        rc = rk_estimate_parse_counts(out, ctx, b.data ? b.data : "", b.len, path);
    rk_buf_release(&b);
    return rc;
}
