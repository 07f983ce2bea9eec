/* The exports that R's estimation packages read (docs/exports.md): the captures (one row per
 * person with 0/1 list columns, stratum values and imputation flags), the counts per stratum
 * (Rcapture's and LCMCR's tabular form), and replicate files in the layout of HRDAG's verdata
 * with a SHA-256 manifest. The persons and their values come from estimate's own tabulation
 * and imputation (rk_estimate__pass_make); this file only lays them out. */
#include "report_private.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* A CSV being written: a buffer flushed to a stream in pieces, and hashed when asked. */
typedef struct sink {
    FILE *out;
    rk_buf b;
    rk_sha256 *hash; /* NULL: none */
} sink;

static int sink_flush(sink *s, rk_ctx *ctx)
{
    if (!s->b.len)
        return RK_OK;
    if (s->hash)
        rk_sha256_update(s->hash, s->b.data, s->b.len);
    if (fwrite(s->b.data, 1, s->b.len, s->out) != s->b.len)
        return rk_error_set(ctx, RK_EIO, "write error: %s", strerror(errno));
    rk_buf_clear(&s->b);
    return RK_OK;
}

static int check_options(rk_ctx *ctx, const rk_export_options *o)
{
    RK_ASSERT_ARG(ctx, o && o->version == RK_EXPORT_OPTIONS_VERSION);
    return RK_OK;
}

/* The column of a stratum field: field:NAME is NAME, the others their name. */
static const char *field_column(const char *by)
{
    return strncmp(by, "field:", 6) == 0 ? by + 6 : by;
}

/* Refuses a header in which two columns would share a name (a list called like a field). */
static int check_columns(rk_ctx *ctx, const rk_estimate__pass *p, bool replica)
{
    char names[2 + RK_ESTIMATE_MAX_LISTS + 2 * RK_ESTIMATE__MAX_BY][96];
    size_t n = 0;
    if (replica)
        snprintf(names[n++], sizeof(names[0]), "replica");
    snprintf(names[n++], sizeof(names[0]), "match_group_id");
    for (size_t j = 0; j < p->nlists; j++)
        snprintf(names[n++], sizeof(names[0]), "%s", p->lists[j]);
    for (size_t b = 0; b < p->nby; b++) {
        snprintf(names[n++], sizeof(names[0]), "%s", field_column(p->by[b]));
        snprintf(names[n++], sizeof(names[0]), "%s_imputed", field_column(p->by[b]));
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(names[i], names[k]) == 0)
                return rk_error_set(ctx, RK_EINPUT,
                                    "two columns would be named '%s' (a list and a stratum field "
                                    "or a column of the export); rename the list",
                                    names[i]);
    return RK_OK;
}

/* The persons of a pass as CSV: [replica,]match_group_id, lists, then value and flag of each
 * field. */
static int write_persons(sink *s, rk_ctx *ctx, const rk_estimate__pass *p, const char *replica)
{
    int rc = check_columns(ctx, p, replica != NULL);
    if (rc != RK_OK)
        return rc;
    rc = rk_buf_puts(&s->b, replica ? "replica,match_group_id" : "match_group_id");
    for (size_t j = 0; j < p->nlists && rc == RK_OK; j++) {
        rc = rk_buf_putc(&s->b, ',');
        rc = rc ? rc : rk_export_csv_field(&s->b, p->lists[j], strlen(p->lists[j]));
    }
    for (size_t b = 0; b < p->nby && rc == RK_OK; b++) {
        char flag[96];
        const char *col = field_column(p->by[b]);
        snprintf(flag, sizeof(flag), "%s_imputed", col);
        rc = rk_buf_putc(&s->b, ',');
        rc = rc ? rc : rk_export_csv_field(&s->b, col, strlen(col));
        rc = rc ? rc : rk_buf_putc(&s->b, ',');
        rc = rc ? rc : rk_export_csv_field(&s->b, flag, strlen(flag));
    }
    rc = rc ? rc : rk_buf_putc(&s->b, '\n');
    for (size_t q = 0; q < p->npersons && rc == RK_OK; q++) {
        if (replica)
            rc = rk_buf_printf(&s->b, "%s,", replica);
        rc = rc ? rc : rk_buf_puts(&s->b, p->id[q]);
        for (size_t j = 0; j < p->nlists && rc == RK_OK; j++)
            rc = rk_buf_puts(&s->b, (p->mask[q] >> j & 1) ? ",1" : ",0");
        for (size_t b = 0; b < p->nby && rc == RK_OK; b++) {
            const char *v = p->value[q * p->nby + b];
            rc = rk_buf_putc(&s->b, ',');
            if (v && rc == RK_OK)
                rc = rk_export_csv_field(&s->b, v, strlen(v));
            rc = rc ? rc : rk_buf_puts(&s->b, (p->imputed[q] >> b & 1) ? ",TRUE" : ",FALSE");
        }
        rc = rc ? rc : rk_buf_putc(&s->b, '\n');
        if (rc != RK_OK)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory");
        if (s->b.len > (1u << 16) && (rc = sink_flush(s, ctx)) != RK_OK)
            return rc;
    }
    if (rc != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    return sink_flush(s, ctx);
}

int rk_export_captures(FILE *out, rk_store *st, const rk_export_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    int rc = check_options(ctx, o);
    if (rc != RK_OK)
        return rc;
    rk_estimate__passes *ps = NULL;
    rk_estimate__pass p;
    memset(&p, 0, sizeof(p));
    sink s = {.out = out};
    rk_buf_init(&s.b);
    rc = rk_estimate__passes_open(&ps, st, o->by, o->age_groups, 0, o->seed);
    rc = rc ? rc : rk_estimate__pass_make(&p, ps, 0, o->impute, 0);
    rc = rc ? rc : write_persons(&s, ctx, &p, NULL);
    rk_buf_release(&s.b);
    rk_estimate__pass_release(&p);
    rk_estimate__passes_free(ps);
    return rc;
}

/* The strata's tables after their values: one header, then each stratum's rows. */
static int write_strata(sink *s, rk_ctx *ctx, const rk_estimate__pass *p)
{
    rk_buf prefix;
    rk_buf_init(&prefix);
    int rc = RK_OK;
    for (size_t b = 0; b < p->nby && rc == RK_OK; b++) {
        const char *col = field_column(p->by[b]);
        for (size_t j = 0; j < p->nlists; j++)
            if (strcmp(col, p->lists[j]) == 0 || strcmp(col, "count") == 0) {
                rk_buf_release(&prefix);
                return rk_error_set(ctx, RK_EINPUT,
                                    "two columns would be named '%s' (a list and a stratum "
                                    "field, or 'count'); rename the list",
                                    col);
            }
        rc = rk_export_csv_field(&prefix, col, strlen(col));
        rc = rc ? rc : rk_buf_putc(&prefix, ',');
    }
    if (rc != RK_OK) {
        rk_buf_release(&prefix);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    rc = rk_estimate__counts_csv_header(&s->b, ctx, p->all, rk_buf_cstr(&prefix));
    for (size_t i = 0; i < p->nstrata && rc == RK_OK; i++) {
        rk_buf_clear(&prefix);
        for (size_t b = 0; b < p->nby && rc == RK_OK; b++) {
            const char *v = p->strata[i].values[b] ? p->strata[i].values[b] : "";
            rc = rk_export_csv_field(&prefix, v, strlen(v));
            rc = rc ? rc : rk_buf_putc(&prefix, ',');
        }
        if (rc != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
        rc = rk_estimate__counts_csv_rows(&s->b, ctx, p->strata[i].table, rk_buf_cstr(&prefix));
        if (rc == RK_OK && s->b.len > (1u << 16))
            rc = sink_flush(s, ctx);
    }
    rk_buf_release(&prefix);
    return rc ? rc : sink_flush(s, ctx);
}

int rk_export_counts(FILE *out, rk_store *st, const rk_export_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    int rc = check_options(ctx, o);
    if (rc != RK_OK)
        return rc;
    sink s = {.out = out};
    rk_buf_init(&s.b);
    if (!o->by || !*o->by) {
        rk_capture_table *t = NULL;
        rc = o->age_groups ? rk_error_set(ctx, RK_EINPUT, "--age-groups needs --by age_group")
                           : rk_estimate_project_table(&t, st, NULL);
        rc = rc ? rc : rk_estimate_counts_csv(&s.b, ctx, t);
        rc = rc ? rc : sink_flush(&s, ctx);
        rk_capture_table_free(t);
        rk_buf_release(&s.b);
        return rc;
    }
    rk_estimate__passes *ps = NULL;
    rk_estimate__pass p;
    memset(&p, 0, sizeof(p));
    rc = rk_estimate__passes_open(&ps, st, o->by, o->age_groups, 0, o->seed);
    rc = rc ? rc : rk_estimate__pass_make(&p, ps, 0, o->impute, 0);
    rc = rc ? rc : write_strata(&s, ctx, &p);
    rk_buf_release(&s.b);
    rk_estimate__pass_release(&p);
    rk_estimate__passes_free(ps);
    return rc;
}

/* ---- replicates ---- */

/* The files written so far into the temporary directory, to remove on failure. */
typedef struct written {
    char **names;
    size_t n, cap;
} written;

/* Opens dir/name for writing, new, mode 0600, and notes it in w. */
static int open_new(FILE **out, written *w, rk_ctx *ctx, const char *dir, const char *name)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return rk_error_set(ctx, RK_EINPUT, "'%s' is too long a path", dir);
    char *copy = rk_strdup(name);
    if (!copy || rk_grow((void **)&w->names, &w->cap, w->n + 1, sizeof(char *)) != RK_OK) {
        rk_free(copy);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        rk_free(copy);
        return rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
    }
    w->names[w->n++] = copy;
    if (!(*out = fdopen(fd, "wb"))) {
        close(fd);
        return rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
    }
    return RK_OK;
}

/* Flushes, syncs and closes f; keeps the first error. */
static int close_synced(FILE *f, rk_ctx *ctx, const char *name, int rc)
{
    if (!f)
        return rc;
    if ((fflush(f) != 0 || fsync(fileno(f)) != 0) && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "%s: write error: %s", name, strerror(errno));
    if (fclose(f) != 0 && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "%s: write error: %s", name, strerror(errno));
    return rc;
}

/* Writes `name` into dir from the bytes of b (or, with p, the persons of p), adding its digest
 * to the manifest. */
static int write_file(written *w, rk_buf *manifest, rk_ctx *ctx, const char *dir, const char *name,
                      const rk_estimate__pass *p, const char *replica, const rk_buf *bytes)
{
    FILE *f = NULL;
    rk_sha256 h;
    if (rk_sha256_init(&h) != RK_OK)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    sink s = {.hash = &h};
    rk_buf_init(&s.b);
    int rc = open_new(&f, w, ctx, dir, name);
    s.out = f;
    if (rc == RK_OK && p)
        rc = write_persons(&s, ctx, p, replica);
    else if (rc == RK_OK && bytes->len) {
        rc = rk_buf_append(&s.b, bytes->data, bytes->len) == RK_OK
                 ? sink_flush(&s, ctx)
                 : rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    rc = close_synced(f, ctx, name, rc);
    char hex[65];
    rk_sha256_final_hex(&h, hex);
    if (rc == RK_OK && rk_buf_printf(manifest, "%s  %s\n", hex, name) != RK_OK)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
    rk_buf_release(&s.b);
    return rc;
}

/* Removes what was written and the temporary directory. */
static void remove_written(written *w, const char *dir)
{
    for (size_t i = 0; i < w->n; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, w->names[i]) < sizeof(path))
            unlink(path);
    }
    rmdir(dir);
}

/* Writes the replicate files, index.csv and SHA256SUMS into the (empty) directory dir. */
static int write_replicates(written *w, rk_ctx *ctx, rk_store *st, const char *dir,
                            const rk_export_options *o)
{
    rk_estimate__passes *ps = NULL;
    rk_estimate__pass p;
    memset(&p, 0, sizeof(p));
    rk_buf index, manifest;
    rk_buf_init(&index);
    rk_buf_init(&manifest);
    int rc = rk_estimate__passes_open(&ps, st, o->by, o->age_groups, o->draws, o->seed);
    if (rc != RK_OK)
        goto cleanup;
    size_t ndraws = rk_estimate__passes_draws(ps);
    rc = rk_buf_puts(&index, "file,replica,imputation,draw,seed,persons,imputed") == RK_OK
             ? RK_OK
             : rk_error_set(ctx, RK_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t d = ndraws ? 1 : 0; d <= ndraws && rc == RK_OK; d++)
        for (size_t m = 0; m < o->imputations && rc == RK_OK; m++) {
            char replica[32], name[64];
            snprintf(replica, sizeof(replica), "R%zu", ++n);
            snprintf(name, sizeof(name), "replicate-%s.csv", replica);
            rk_progress(ctx, "writing replicates", n - 1, o->imputations * RK_MAX(ndraws, 1));
            if ((rc = rk_estimate__pass_make(&p, ps, d, true, m)) != RK_OK)
                break;
            rc = write_file(w, &manifest, ctx, dir, name, &p, replica, NULL);
            int64_t imputed = 0;
            for (size_t b = 0; b < p.nby; b++)
                imputed += p.nimputed[b];
            if (rc == RK_OK &&
                rk_buf_printf(&index, "\n%s,%s,%zu,%zu,%llu,%zu,%lld", name, replica, m + 1, d,
                              (unsigned long long)p.seed, p.npersons, (long long)imputed) != RK_OK)
                rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            rk_estimate__pass_release(&p);
        }
    if (rc == RK_OK)
        rk_progress(ctx, "writing replicates", n, n);
    if (rc == RK_OK && rk_buf_putc(&index, '\n') != RK_OK)
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
    rc = rc ? rc : write_file(w, &manifest, ctx, dir, "index.csv", NULL, NULL, &index);
    if (rc == RK_OK) { /* SHA256SUMS lists the others, not itself */
        rk_buf ignored;
        rk_buf_init(&ignored);
        rc = write_file(w, &ignored, ctx, dir, "SHA256SUMS", NULL, NULL, &manifest);
        rk_buf_release(&ignored);
    }
cleanup:
    rk_estimate__pass_release(&p);
    rk_estimate__passes_free(ps);
    rk_buf_release(&index);
    rk_buf_release(&manifest);
    return rc;
}

int rk_export_replicates(const char *out_dir, rk_store *st, const rk_export_options *o)
{
    rk_ctx *ctx = rk_store_ctx(st);
    int rc = check_options(ctx, o);
    if (rc != RK_OK)
        return rc;
    RK_ASSERT_ARG(ctx, out_dir && *out_dir);
    if (o->imputations < 1)
        return rk_error_set(ctx, RK_EINPUT, "replicates need at least one imputation");
    struct stat sb;
    if (lstat(out_dir, &sb) == 0)
        return rk_error_set(ctx, RK_EINPUT,
                            "'%s' already exists; give a new directory for the replicates",
                            out_dir);
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", out_dir) >= sizeof(tmp))
        return rk_error_set(ctx, RK_EINPUT, "'%s' is too long a path", out_dir);
    if (!mkdtemp(tmp)) /* mode 0700 */
        return rk_error_set(ctx, RK_EIO, "%s: cannot create: %s", out_dir, strerror(errno));
    written w = {0};
    rc = write_replicates(&w, ctx, st, tmp, o);
    if (rc == RK_OK && rename(tmp, out_dir) != 0)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot create: %s", out_dir, strerror(errno));
    if (rc != RK_OK)
        remove_written(&w, tmp);
    for (size_t i = 0; i < w.n; i++)
        rk_free(w.names[i]);
    rk_free(w.names);
    return rc;
}
