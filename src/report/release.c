/* `reckon release`: the pseudonymized bundle of a project (docs/release.md). It calls the
 * exports and the report (in its release mode) into scratch files inside a private temporary
 * directory, rewrites what they hold for publication (ids keyed with HMAC, stratum values of
 * rare combinations and small cells suppressed and marked, strata finer than the release allows
 * left out), then writes a manifest of SHA-256 digests signed with Ed25519 and renames the
 * directory into place. The check of a bundle is release_verify.c. */
#include "report_private.h"
#include "crypt/crypt_internal.h"
#include "release_private.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The bundle being written. */
typedef struct bundle {
    rk_ctx *ctx;
    rk_store *st;
    const rk_release_options *o;
    rk_release_info *info;
    char dir[RELEASE_PATH_MAX]; /* the temporary directory */
    char by[RK_ESTIMATE__MAX_BY][16];
    size_t nby;
    unsigned char key[RK_CRYPT__HMAC_KEY_BYTES];
    char **files; /* names under the manifest, relative to dir */
    size_t nfiles, cap;
} bundle;

/* The stratum fields a release may hold: none names a place or a person, and dates no finer
 * than the year (or the month). */
static const char *const allowed_fields[] = {"region",    "sex",  "violation",
                                             "age_group", "year", "month"};

static int nomem(rk_ctx *ctx)
{
    return rk_error_set(ctx, RK_ENOMEM, "out of memory");
}

static int path_in(char out[RELEASE_PATH_MAX], const bundle *b, const char *name)
{
    if ((size_t)snprintf(out, RELEASE_PATH_MAX, "%s/%s", b->dir, name) >= RELEASE_PATH_MAX)
        return rk_error_set(b->ctx, RK_EINPUT, "'%s' is too long a path", b->dir);
    return RK_OK;
}

/* Opens a new file `name` in the bundle (0600) and, when `listed`, puts it under the manifest. */
static int open_out(FILE **out, bundle *b, const char *name, bool listed)
{
    *out = NULL;
    char path[RELEASE_PATH_MAX];
    int rc = path_in(path, b, name);
    if (rc != RK_OK)
        return rc;
    if (listed) {
        char *copy = rk_strdup(name);
        if (!copy || rk_grow((void **)&b->files, &b->cap, b->nfiles + 1, sizeof(char *))) {
            rk_free(copy);
            return nomem(b->ctx);
        }
        b->files[b->nfiles++] = copy;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return rk_error_set(b->ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
    if (!(*out = fdopen(fd, "wb"))) {
        close(fd);
        return rk_error_set(b->ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
    }
    return RK_OK;
}

/* Flushes, syncs and closes f; keeps the first error. */
static int close_out(FILE *f, bundle *b, const char *name, int rc)
{
    if (!f)
        return rc;
    if ((fflush(f) != 0 || fsync(fileno(f)) != 0) && rc == RK_OK)
        rc = rk_error_set(b->ctx, RK_EIO, "%s: write error: %s", name, strerror(errno));
    if (fclose(f) != 0 && rc == RK_OK)
        rc = rk_error_set(b->ctx, RK_EIO, "%s: write error: %s", name, strerror(errno));
    return rc;
}

/* ---- reading an export back ---- */

typedef struct reader {
    FILE *f;
    rk_ctx *ctx;
    const char *name;
} reader;

static long reader_read(void *src, char *buf, size_t n)
{
    reader *r = src;
    size_t got = fread(buf, 1, n, r->f);
    if (got == 0 && ferror(r->f)) {
        rk_error_set(r->ctx, RK_EIO, "%s: cannot read: %s", r->name, strerror(errno));
        return -1;
    }
    return (long)got;
}

/* Opens the scratch file at path as CSV. */
static int csv_open_file(rk_csv **out, reader *rd, bundle *b, const char *path)
{
    *out = NULL;
    rd->ctx = b->ctx;
    rd->name = path;
    if (!(rd->f = fopen(path, "rb")))
        return rk_error_set(b->ctx, RK_EIO, "%s: cannot read: %s", path, strerror(errno));
    rk_csv_options co = RK_CSV_OPTIONS_INIT;
    co.delimiter = ',';
    co.max_field = 1u << 26; /* an estimate's result is one long JSON field */
    int rc = rk_csv_open(out, b->ctx, path, reader_read, rd, &co);
    if (rc != RK_OK) {
        fclose(rd->f);
        rd->f = NULL;
    }
    return rc;
}

static void csv_close_file(rk_csv *c, reader *rd)
{
    rk_csv_free(c);
    if (rd->f)
        fclose(rd->f);
    rd->f = NULL;
}

/* Appends field i of the current row (an empty field when i is past the row). */
static int put_field(rk_buf *out, const rk_csv *c, size_t i)
{
    size_t n = 0;
    const char *s = i < rk_csv_nfields(c) ? rk_csv_field(c, i, &n) : "";
    return rk_export_csv_field(out, s, i < rk_csv_nfields(c) ? n : 0);
}

static int flush_buf(rk_buf *out, FILE *f, bundle *b, const char *name, bool force)
{
    if (!force && out->len < (1u << 16))
        return RK_OK;
    if (out->len && fwrite(out->data, 1, out->len, f) != out->len)
        return rk_error_set(b->ctx, RK_EIO, "%s: write error: %s", name, strerror(errno));
    rk_buf_clear(out);
    return RK_OK;
}

/* The index of the column named `name` in the header row; -1 when none. */
static long column(const rk_csv *c, const char *name)
{
    for (size_t i = 0; i < rk_csv_nfields(c); i++)
        if (strcmp(rk_csv_field(c, i, NULL), name) == 0)
            return (long)i;
    return -1;
}

/* ---- persons: captures and replicates ---- */

/* What a column of a person file is. */
enum { COL_LIST, COL_REPLICA, COL_ID, COL_VALUE, COL_FLAG };

static int key_cmp(const void *pa, const void *pb)
{
    return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* The persons sharing `key`: its run in the sorted keys. */
static size_t key_count(char *const *keys, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(keys[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = 0;
    while (lo + k < n && strcmp(keys[lo + k], key) == 0)
        k++;
    return k;
}

/* The combination a person's row shows: its lists and its stratum values. */
static int row_key(rk_buf *out, const rk_csv *c, const uint8_t *kind)
{
    rk_buf_clear(out);
    int rc = RK_OK;
    for (size_t i = 0; i < rk_csv_nfields(c) && rc == RK_OK; i++)
        if (kind[i] == COL_LIST || kind[i] == COL_VALUE) {
            size_t n = 0;
            const char *s = rk_csv_field(c, i, &n);
            rc = rk_buf_append(out, s, n);
            rc = rc ? rc : rk_buf_putc(out, '\x1f');
        }
    rk_buf_cstr(out);
    return rc;
}

/* Refuses a header that has a column named like the mark a release adds (a list so named). */
static int unmarked(bundle *b, const rk_csv *c)
{
    if (column(c, "suppressed") >= 0)
        return rk_error_set(b->ctx, RK_EINPUT,
                            "a list is named 'suppressed', the column a release adds; rename "
                            "the list");
    return RK_OK;
}

/* Classifies the header's columns. */
static int person_columns(uint8_t *kind, bundle *b, const rk_csv *c, const char *raw)
{
    bool id = false;
    for (size_t i = 0; i < rk_csv_nfields(c); i++) {
        const char *name = rk_csv_field(c, i, NULL);
        kind[i] = COL_LIST;
        if (strcmp(name, "match_group_id") == 0) {
            kind[i] = COL_ID;
            id = true;
        } else if (i == 0 && strcmp(name, "replica") == 0)
            kind[i] = COL_REPLICA;
        for (size_t f = 0; f < b->nby && kind[i] == COL_LIST; f++) {
            size_t n = strlen(b->by[f]);
            if (strcmp(name, b->by[f]) == 0)
                kind[i] = COL_VALUE;
            else if (strncmp(name, b->by[f], n) == 0 && strcmp(name + n, "_imputed") == 0)
                kind[i] = COL_FLAG;
        }
    }
    if (!id)
        return rk_error_set(b->ctx, RK_EINTERNAL, "%s: no match_group_id column", raw);
    return unmarked(b, c);
}

/* Reads the person file at raw and writes `name`: match_group_id keyed, and the stratum values
 * (with their flags) of every person whose lists and values fewer than min_cell persons share
 * removed, marked in a last column `suppressed`. */
static int release_persons(bundle *b, const char *raw, const char *name)
{
    rk_ctx *ctx = b->ctx;
    rk_csv *c = NULL;
    reader rd = {0};
    FILE *out = NULL;
    char **keys = NULL;
    size_t nkeys = 0, cap = 0;
    uint8_t *kind = NULL;
    rk_buf key, line;
    rk_buf_init(&key);
    rk_buf_init(&line);
    /* Pass 1: every row's combination. */
    int rc = csv_open_file(&c, &rd, b, raw);
    int got = rc == RK_OK ? rk_csv_next(c) : rc;
    if (got < 0) {
        rc = got;
        goto cleanup;
    }
    if (got == 0) {
        rc = rk_error_set(ctx, RK_EINTERNAL, "%s: the export is empty", raw);
        goto cleanup;
    }
    size_t ncols = rk_csv_nfields(c);
    if (!(kind = rk_calloc(ncols, 1))) {
        rc = nomem(ctx);
        goto cleanup;
    }
    if ((rc = person_columns(kind, b, c, raw)) != RK_OK)
        goto cleanup;
    while ((got = rk_csv_next(c)) == 1) {
        char *k = NULL;
        if (row_key(&key, c, kind) != RK_OK || !(k = rk_strdup(rk_buf_cstr(&key))) ||
            rk_grow((void **)&keys, &cap, nkeys + 1, sizeof(char *)) != RK_OK) {
            rk_free(k);
            rc = nomem(ctx);
            goto cleanup;
        }
        keys[nkeys++] = k;
    }
    if (got < 0) {
        rc = got;
        goto cleanup;
    }
    if (nkeys > 1)
        qsort(keys, nkeys, sizeof(char *), key_cmp);
    csv_close_file(c, &rd);
    c = NULL;
    /* Pass 2: the rows rewritten. */
    if ((rc = csv_open_file(&c, &rd, b, raw)) != RK_OK || (rc = open_out(&out, b, name, true)))
        goto cleanup;
    for (bool header = true; (got = rk_csv_next(c)) == 1; header = false) {
        if (rk_csv_nfields(c) != ncols) {
            rc = rk_error_set(ctx, RK_EINTERNAL, "%s: a row of %zu columns, not %zu", raw,
                              rk_csv_nfields(c), ncols);
            goto cleanup;
        }
        bool suppress = false;
        if (!header && b->nby) {
            if (row_key(&key, c, kind) != RK_OK) {
                rc = nomem(ctx);
                goto cleanup;
            }
            suppress = key_count(keys, nkeys, rk_buf_cstr(&key)) < (size_t)b->o->min_cell;
            b->info->suppressed_rows += suppress;
        }
        for (size_t i = 0; i < ncols && rc == RK_OK; i++) {
            if (i)
                rc = rk_buf_putc(&line, ',');
            if (rc != RK_OK)
                break;
            if (!header && kind[i] == COL_ID) {
                size_t n = 0;
                const char *id = rk_csv_field(c, i, &n);
                char hex[65];
                rk_buf_clear(&key);
                rc = rk_buf_puts(&key, "reckon release person\n");
                rc = rc ? rc : rk_buf_append(&key, id, n);
                rk_crypt__hmac_hex(hex, RELEASE_ID_DIGITS, b->key, key.data, key.len);
                rc = rc ? rc : rk_buf_puts(&line, hex);
            } else if (!(suppress && (kind[i] == COL_VALUE || kind[i] == COL_FLAG)))
                rc = put_field(&line, c, i);
        }
        if (rc == RK_OK)
            rc = rk_buf_puts(&line, header ? ",suppressed\n" : suppress ? ",TRUE\n" : ",FALSE\n");
        if (rc != RK_OK) {
            rc = nomem(ctx);
            goto cleanup;
        }
        if ((rc = flush_buf(&line, out, b, name, false)) != RK_OK)
            goto cleanup;
    }
    rc = got < 0 ? got : flush_buf(&line, out, b, name, true);
cleanup:
    rc = close_out(out, b, name, rc);
    csv_close_file(c, &rd);
    for (size_t i = 0; i < nkeys; i++)
        rk_free(keys[i]);
    rk_free(keys);
    rk_free(kind);
    rk_buf_release(&key);
    rk_buf_release(&line);
    return rc;
}

/* ---- counts and estimates ---- */

/* Whether the text is a count of persons between 1 and min_cell - 1. */
static bool small_cell(const char *s, int64_t min_cell)
{
    int64_t n = 0;
    return s && *s && rk_parse_i64(&n, s) == RK_OK && n > 0 && n < min_cell;
}

/* The counts export with every cell of fewer than min_cell persons (but some) emptied and
 * marked in a last column `suppressed`. */
static int release_counts(bundle *b, const char *raw, const char *name)
{
    rk_csv *c = NULL;
    reader rd = {0};
    FILE *out = NULL;
    rk_buf line;
    rk_buf_init(&line);
    int rc = csv_open_file(&c, &rd, b, raw);
    rc = rc ? rc : open_out(&out, b, name, true);
    long count = -1;
    int got = 0;
    for (bool header = true; rc == RK_OK && (got = rk_csv_next(c)) == 1; header = false) {
        if (header && (count = column(c, "count")) < 0) {
            rc = rk_error_set(b->ctx, RK_EINTERNAL, "%s: no count column", raw);
            break;
        }
        if (header && (rc = unmarked(b, c)) != RK_OK)
            break;
        bool suppress = !header && small_cell(rk_csv_field(c, (size_t)count, NULL), b->o->min_cell);
        b->info->suppressed_cells += suppress;
        for (size_t i = 0; i < rk_csv_nfields(c) && rc == RK_OK; i++) {
            rc = i ? rk_buf_putc(&line, ',') : RK_OK;
            if (rc == RK_OK && !(suppress && (long)i == count))
                rc = put_field(&line, c, i);
        }
        if (rc == RK_OK)
            rc = rk_buf_puts(&line, header ? ",suppressed\n" : suppress ? ",TRUE\n" : ",FALSE\n");
        rc = rc ? nomem(b->ctx) : flush_buf(&line, out, b, name, false);
    }
    if (rc == RK_OK)
        rc = got < 0 ? got : flush_buf(&line, out, b, name, true);
    rc = close_out(out, b, name, rc);
    csv_close_file(c, &rd);
    rk_buf_release(&line);
    return rc;
}

/* Whether an estimate's stratum (its JSON object) names a field a release leaves out: a place,
 * a field of the records' own, or months when dates go by year. */
static bool stratum_too_fine(const bundle *b, const char *stratum)
{
    if (!stratum || !*stratum)
        return false;
    return strstr(stratum, "\"place\":") || strstr(stratum, "\"field:") ||
           (b->o->dates == RK_REPORT_DATES_YEAR && strstr(stratum, "\"month\":"));
}

/* The estimates export cut to what a release shows: method, model, stratum, lists, observed,
 * estimate, interval, status, reason; the figures of a stratum of fewer than min_cell documented
 * persons (but some) emptied and marked; strata finer than the release allows left out. */
static int release_estimates(bundle *b, const char *raw, const char *name)
{
    static const char *const keep[] = {"method",   "model", "stratum", "lists",  "observed",
                                       "estimate", "lower", "upper",   "status", "reason"};
    enum { K_STRATUM = 2, K_OBSERVED = 4, K_STATUS = 8, K_REASON = 9 };
    rk_csv *c = NULL;
    reader rd = {0};
    FILE *out = NULL;
    rk_buf line;
    rk_buf_init(&line);
    long col[RK_ARRAY_LEN(keep)];
    int rc = csv_open_file(&c, &rd, b, raw);
    rc = rc ? rc : open_out(&out, b, name, true);
    int got = 0;
    for (bool header = true; rc == RK_OK && (got = rk_csv_next(c)) == 1; header = false) {
        if (header) {
            for (size_t k = 0; k < RK_ARRAY_LEN(keep) && rc == RK_OK; k++) {
                if ((col[k] = column(c, keep[k])) < 0)
                    rc = rk_error_set(b->ctx, RK_EINTERNAL, "%s: no %s column", raw, keep[k]);
                rc = rc ? rc : rk_buf_printf(&line, "%s,", keep[k]);
            }
            rc = rc ? rc : rk_buf_puts(&line, "suppressed\n");
            continue;
        }
        if (stratum_too_fine(b, rk_csv_field(c, (size_t)col[K_STRATUM], NULL))) {
            b->info->estimates_left_out++;
            continue;
        }
        bool suppress = small_cell(rk_csv_field(c, (size_t)col[K_OBSERVED], NULL), b->o->min_cell);
        b->info->suppressed_cells += suppress;
        for (size_t k = 0; k < RK_ARRAY_LEN(keep) && rc == RK_OK; k++) {
            if (!suppress || k < K_OBSERVED)
                rc = put_field(&line, c, (size_t)col[k]);
            else if (k == K_STATUS) /* as the release's report says it */
                rc = rk_buf_puts(&line, "suppressed");
            else if (k == K_REASON)
                rc = rk_buf_printf(&line, "fewer than %lld documented persons",
                                   (long long)b->o->min_cell);
            rc = rc ? rc : rk_buf_putc(&line, ',');
        }
        if (rc == RK_OK)
            rc = rk_buf_puts(&line, suppress ? "TRUE\n" : "FALSE\n");
        rc = rc ? nomem(b->ctx) : flush_buf(&line, out, b, name, false);
    }
    if (rc == RK_OK)
        rc = got < 0 ? got : flush_buf(&line, out, b, name, true);
    rc = close_out(out, b, name, rc);
    csv_close_file(c, &rd);
    rk_buf_release(&line);
    return rc;
}

/* ---- the pieces ---- */

/* Runs an export into the scratch file `raw` (not under the manifest), rewrites it into `name`
 * with `rewrite` and removes it. */
typedef int (*export_fn)(FILE *out, rk_store *st, const rk_export_options *o);
typedef int (*table_fn)(FILE *out, rk_store *st, rk_format fmt);
typedef int (*rewrite_fn)(bundle *b, const char *raw, const char *name);

static int remove_scratch(bundle *b, const char *raw);

static int from_scratch(bundle *b, const char *name, export_fn fn, table_fn tfn,
                        const rk_export_options *eo, rewrite_fn rewrite)
{
    char rawname[64], raw[RELEASE_PATH_MAX];
    snprintf(rawname, sizeof(rawname), ".raw-%s", name);
    FILE *f = NULL;
    int rc = path_in(raw, b, rawname);
    rc = rc ? rc : open_out(&f, b, rawname, false);
    if (rc == RK_OK)
        rc = fn ? fn(f, b->st, eo) : tfn(f, b->st, RK_FORMAT_CSV);
    rc = close_out(f, b, rawname, rc);
    rc = rc ? rc : rewrite(b, raw, name);
    return rc ? rc : remove_scratch(b, rawname);
}

static int remove_scratch(bundle *b, const char *raw)
{
    char path[RELEASE_PATH_MAX];
    int rc = path_in(path, b, raw);
    if (rc == RK_OK && unlink(path) != 0)
        rc = rk_error_set(b->ctx, RK_EIO, "%s: cannot remove: %s", path, strerror(errno));
    return rc;
}

/* The replicates: exported into a scratch directory, each file keyed and suppressed into
 * replicates/, index.csv copied. */
static int release_replicates(bundle *b, const rk_export_options *eo)
{
    char raw[RELEASE_PATH_MAX], dir[RELEASE_PATH_MAX], path[RELEASE_PATH_MAX];
    int rc = path_in(raw, b, ".raw-replicates");
    rc = rc ? rc : path_in(dir, b, "replicates");
    rc = rc ? rc : rk_export_replicates(raw, b->st, eo);
    if (rc == RK_OK && mkdir(dir, 0700) != 0)
        rc = rk_error_set(b->ctx, RK_EIO, "%s: cannot create: %s", dir, strerror(errno));
    rk_csv *c = NULL;
    reader rd = {0};
    if (rc == RK_OK && (size_t)snprintf(path, sizeof(path), "%s/index.csv", raw) >= sizeof(path))
        rc = rk_error_set(b->ctx, RK_EINPUT, "'%s' is too long a path", raw);
    rc = rc ? rc : csv_open_file(&c, &rd, b, path);
    int got = 0;
    for (bool header = true; rc == RK_OK && (got = rk_csv_next(c)) == 1; header = false) {
        if (header)
            continue;
        const char *file = rk_csv_field(c, 0, NULL);
        char in[RELEASE_PATH_MAX], name[256];
        if ((size_t)snprintf(in, sizeof(in), "%s/%s", raw, file) >= sizeof(in) ||
            (size_t)snprintf(name, sizeof(name), "replicates/%s", file) >= sizeof(name))
            rc = rk_error_set(b->ctx, RK_EINPUT, "'%s' is too long a path", raw);
        rk_progress(b->ctx, "releasing replicates", 0, 0);
        rc = rc ? rc : release_persons(b, in, name);
    }
    if (rc == RK_OK && got < 0)
        rc = got;
    csv_close_file(c, &rd);
    /* index.csv holds no id: copied as it is. */
    if (rc == RK_OK) {
        FILE *in = fopen(path, "rb"), *out = NULL;
        rc = in ? open_out(&out, b, "replicates/index.csv", true)
                : rk_error_set(b->ctx, RK_EIO, "%s: cannot read: %s", path, strerror(errno));
        char buf[8192];
        size_t n;
        while (rc == RK_OK && (n = fread(buf, 1, sizeof(buf), in)) > 0)
            if (fwrite(buf, 1, n, out) != n)
                rc = rk_error_set(b->ctx, RK_EIO, "replicates/index.csv: write error: %s",
                                  strerror(errno));
        if (in)
            fclose(in);
        rc = close_out(out, b, "replicates/index.csv", rc);
    }
    report_release_remove_tree(raw);
    return rc;
}

/* The report in its release mode, HTML and JSON. */
static int release_report(bundle *b)
{
    FILE *html = NULL, *json = NULL;
    rk_report_options ro = RK_REPORT_OPTIONS_INIT;
    ro.counts = b->o->counts;
    ro.title = "reckon release";
    ro.release = true;
    ro.dates = b->o->dates;
    ro.min_cell = b->o->min_cell;
    int rc = open_out(&html, b, "report.html", true);
    rc = rc ? rc : open_out(&json, b, "report.json", true);
    rc = rc ? rc : rk_report_write(b->st, &ro, html, json);
    rc = close_out(html, b, "report.html", rc);
    return close_out(json, b, "report.json", rc);
}

/* MANIFEST (the digest of every listed file, in the layout of sha256sum, sorted by name) and
 * MANIFEST.sig (release_private.h). */
static int sign_manifest(bundle *b, const unsigned char *secret)
{
    rk_buf m, sig;
    rk_buf_init(&m);
    rk_buf_init(&sig);
    FILE *f = NULL;
    int rc = RK_OK;
    if (b->nfiles > 1)
        qsort(b->files, b->nfiles, sizeof(char *), key_cmp);
    for (size_t i = 0; i < b->nfiles && rc == RK_OK; i++) {
        char path[RELEASE_PATH_MAX], hex[65];
        rc = path_in(path, b, b->files[i]);
        rc = rc ? rc : report_release_file_sha256(hex, b->ctx, path);
        if (rc == RK_OK && rk_buf_printf(&m, "%s  %s\n", hex, b->files[i]) != RK_OK)
            rc = nomem(b->ctx);
    }
    rc = rc ? rc : report_release_sig_text(&sig, b->ctx, secret, m.data, m.len);
    rc = rc ? rc : open_out(&f, b, RELEASE_MANIFEST, false);
    if (rc == RK_OK && m.len && fwrite(m.data, 1, m.len, f) != m.len)
        rc = rk_error_set(b->ctx, RK_EIO, "%s: write error: %s", RELEASE_MANIFEST, strerror(errno));
    rc = close_out(f, b, RELEASE_MANIFEST, rc);
    f = NULL;
    rc = rc ? rc : open_out(&f, b, RELEASE_SIGNATURE, false);
    if (rc == RK_OK && fwrite(sig.data, 1, sig.len, f) != sig.len)
        rc =
            rk_error_set(b->ctx, RK_EIO, "%s: write error: %s", RELEASE_SIGNATURE, strerror(errno));
    rc = close_out(f, b, RELEASE_SIGNATURE, rc);
    rk_buf_release(&m);
    rk_buf_release(&sig);
    return rc;
}

/* Every piece into the temporary directory. */
static int write_bundle(bundle *b, const unsigned char *secret)
{
    rk_export_options eo = RK_EXPORT_OPTIONS_INIT;
    char by[128] = "";
    for (size_t i = 0; i < b->nby; i++)
        snprintf(by + strlen(by), sizeof(by) - strlen(by), "%s%s", i ? "," : "", b->by[i]);
    eo.by = b->nby ? by : NULL;
    eo.age_groups = b->o->age_groups;
    eo.seed = b->o->seed;
    eo.imputations = b->o->imputations;
    rk_progress(b->ctx, "writing the release", 0, 5);
    int rc = release_report(b);
    rk_progress(b->ctx, "writing the release", 1, 5);
    rc = rc ? rc
            : from_scratch(b, "estimates.csv", NULL, rk_export_estimates, NULL, release_estimates);
    rk_progress(b->ctx, "writing the release", 2, 5);
    rc = rc ? rc : from_scratch(b, "captures.csv", rk_export_captures, NULL, &eo, release_persons);
    rc = rc ? rc : from_scratch(b, "counts.csv", rk_export_counts, NULL, &eo, release_counts);
    rk_progress(b->ctx, "writing the release", 3, 5);
    rc = rc ? rc : release_replicates(b, &eo);
    rk_progress(b->ctx, "writing the release", 4, 5);
    FILE *f = NULL;
    rc = rc ? rc : open_out(&f, b, RELEASE_PUBLIC_KEY, true);
    if (rc == RK_OK && fprintf(f, "%s\n", b->info->public_key) < 0)
        rc = rk_error_set(b->ctx, RK_EIO, "%s: write error: %s", RELEASE_PUBLIC_KEY,
                          strerror(errno));
    rc = close_out(f, b, RELEASE_PUBLIC_KEY, rc);
    rc = rc ? rc : sign_manifest(b, secret);
    b->info->files = b->nfiles;
    if (rc == RK_OK)
        rk_progress(b->ctx, "writing the release", 5, 5);
    return rc;
}

/* Splits and checks the stratum fields. */
static int parse_by(bundle *b, const char *by)
{
    const char *p = by;
    b->nby = 0;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n) {
            size_t i = 0;
            while (i < RK_ARRAY_LEN(allowed_fields) &&
                   !(strlen(allowed_fields[i]) == n && strncmp(allowed_fields[i], p, n) == 0))
                i++;
            if (i == RK_ARRAY_LEN(allowed_fields) ||
                (b->o->dates == RK_REPORT_DATES_YEAR && strcmp(allowed_fields[i], "month") == 0))
                return rk_error_set(b->ctx, RK_EINPUT,
                                    "'%.*s' cannot be a stratum of a release; use region, sex, "
                                    "violation, age_group, year (or month with --dates month)",
                                    (int)n, p);
            if (b->nby == RK_ESTIMATE__MAX_BY)
                return rk_error_set(b->ctx, RK_EINPUT, "at most %d stratum fields",
                                    RK_ESTIMATE__MAX_BY);
            snprintf(b->by[b->nby++], sizeof(b->by[0]), "%s", allowed_fields[i]);
        }
        p += n + (p[n] == ',');
    }
    return RK_OK;
}

int rk_release_write(rk_release_info *out, rk_store *st, const char *dir,
                     const rk_release_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out && o && o->version == RK_RELEASE_OPTIONS_VERSION);
    RK_ASSERT_ARG(ctx, dir && *dir);
    memset(out, 0, sizeof(*out));
    if (!o->key_file || !o->signing_key_file)
        return rk_error_set(ctx, RK_EINPUT, "a release needs its key files");
    if (strcmp(o->key_file, o->signing_key_file) == 0)
        return rk_error_set(ctx, RK_EINPUT,
                            "'%s' cannot be both the key and the signing key; name two files",
                            o->key_file);
    if (o->dates != RK_REPORT_DATES_YEAR && o->dates != RK_REPORT_DATES_MONTH)
        return rk_error_set(ctx, RK_EINPUT, "dates in a release go by month or by year");
    if (o->min_cell < 1)
        return rk_error_set(ctx, RK_EINPUT, "the smallest cell shown must be at least 1 person");
    if (o->imputations < 1)
        return rk_error_set(ctx, RK_EINPUT, "a release needs at least one imputation");
    bundle b = {.ctx = ctx, .st = st, .o = o, .info = out};
    int rc = parse_by(&b, o->by ? o->by : "region,sex");
    if (rc != RK_OK)
        return rc;
    struct stat sb;
    if (lstat(dir, &sb) == 0)
        return rk_error_set(ctx, RK_EINPUT,
                            "'%s' already exists; give a new directory for the release", dir);
    unsigned char secret[RK_CRYPT__SIGN_SECRET_BYTES];
    rc = rk_crypt__hmac_key_load(b.key, &out->key_created, ctx, o->key_file);
    rc = rc ? rc
            : rk_crypt__sign_key_load(secret, &out->signing_key_created, ctx, o->signing_key_file);
    if (rc != RK_OK)
        goto cleanup;
    rk_crypt__sign_public(out->public_key, secret);
    if ((size_t)snprintf(b.dir, sizeof(b.dir), "%s.tmp-XXXXXX", dir) >= sizeof(b.dir)) {
        rc = rk_error_set(ctx, RK_EINPUT, "'%s' is too long a path", dir);
        goto cleanup;
    }
    if (!mkdtemp(b.dir)) { /* mode 0700 */
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot create: %s", dir, strerror(errno));
        goto cleanup;
    }
    rc = write_bundle(&b, secret);
    if (rc == RK_OK && rename(b.dir, dir) != 0)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot create: %s", dir, strerror(errno));
    if (rc != RK_OK)
        report_release_remove_tree(b.dir);
cleanup:
    rk_crypt__wipe(secret, sizeof(secret));
    rk_crypt__wipe(b.key, sizeof(b.key));
    for (size_t i = 0; i < b.nfiles; i++)
        rk_free(b.files[i]);
    rk_free(b.files);
    return rc;
}
