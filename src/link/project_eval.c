/* `reckon evaluate`: compares the persons of the latest link run with a truth file (a CSV
 * naming, for each record key, the real person), pairwise and by B-cubed. */
#include "project_private.h"
#include "store/store_internal.h"

#include <sqlite3.h>

static long file_read(void *src, char *buf, size_t n)
{
    size_t got = fread(buf, 1, n, (FILE *)src);
    return got == 0 && ferror((FILE *)src) ? -1 : (long)got;
}

typedef link_truth_entry truth_entry;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const truth_entry *)a)->key, ((const truth_entry *)b)->key);
}

int link_truth_read(link_truth_entry **out, size_t *n, rk_ctx *ctx, const char *path,
                    const char *key_col, const char *entity_col)
{
    key_col = key_col ? key_col : "record_key";
    entity_col = entity_col ? entity_col : "person_id";
    FILE *f = fopen(path, "rb");
    if (!f)
        return rk_error_set(ctx, errno == ENOENT ? RK_ENOTFOUND : RK_EIO,
                            "%s: cannot open the truth file: %s", path, strerror(errno));
    rk_csv *csv = NULL;
    truth_entry *e = NULL;
    size_t cap = 0, count = 0;
    int rc = rk_csv_open(&csv, ctx, path, file_read, f, NULL);
    int kc = -1, ec = -1;
    if (rc == RK_OK && (rc = rk_csv_next(csv)) == 1) {
        rc = RK_OK;
        for (size_t i = 0; i < rk_csv_nfields(csv); i++) {
            const char *h = rk_csv_field(csv, i, NULL);
            if (strcmp(h, key_col) == 0)
                kc = (int)i;
            if (strcmp(h, entity_col) == 0)
                ec = (int)i;
        }
        if (kc < 0 || ec < 0)
            rc = rk_error_set_at(ctx, RK_EINPUT, path, 1, 1,
                                 "the truth file needs columns '%s' and '%s'; name others with "
                                 "--key and --entity",
                                 key_col, entity_col);
    } else if (rc == 0) {
        rc = rk_error_set_at(ctx, RK_EINPUT, path, 1, 1, "the truth file is empty");
    }
    /* Entities are compared by their text: each distinct text gets a number (below). */
    char **ent_text = NULL;
    size_t cap_text = 0;
    while (rc == RK_OK) {
        int got = rk_csv_next(csv);
        if (got < 0) {
            rc = got;
            break;
        }
        if (got == 0)
            break;
        if (rk_grow((void **)&e, &cap, count + 1, sizeof(*e)) != RK_OK ||
            rk_grow((void **)&ent_text, &cap_text, count + 1, sizeof(char *)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
        e[count].key = rk_strdup(rk_csv_field(csv, (size_t)kc, NULL));
        ent_text[count] = rk_strdup(rk_csv_field(csv, (size_t)ec, NULL));
        e[count].entity = (int64_t)count;
        count++;
        if (!e[count - 1].key || !ent_text[count - 1]) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == RK_OK) {
        /* Intern entity texts: sort (text, row) pairs; equal texts get one number. */
        truth_entry *tmp = rk_malloc((count ? count : 1) * sizeof(truth_entry));
        if (!tmp) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        } else {
            for (size_t i = 0; i < count; i++)
                tmp[i] = (truth_entry){ent_text[i], (int64_t)i};
            qsort(tmp, count, sizeof(truth_entry), cmp_entry);
            for (size_t i = 0; i < count; i++) {
                int64_t id = (i > 0 && strcmp(tmp[i].key, tmp[i - 1].key) == 0)
                                 ? e[tmp[i - 1].entity].entity
                                 : (int64_t)i;
                e[tmp[i].entity].entity = id;
            }
            rk_free(tmp);
        }
    }
    for (size_t i = 0; ent_text && i < count; i++)
        rk_free(ent_text[i]);
    rk_free(ent_text);
    rk_csv_free(csv);
    fclose(f);
    if (rc != RK_OK) {
        link_truth_free(e, count);
        return rc;
    }
    qsort(e, count, sizeof(*e), cmp_entry);
    *out = e;
    *n = count;
    return RK_OK;
}

const link_truth_entry *link_truth_find(const link_truth_entry *t, size_t n, const char *key)
{
    truth_entry probe = {(char *)key, 0};
    return key && n ? bsearch(&probe, t, n, sizeof(*t), cmp_entry) : NULL;
}

void link_truth_free(link_truth_entry *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++)
        rk_free(t[i].key);
    rk_free(t);
}

int rk_link_evaluate_project(rk_link_eval *out, size_t *missing, rk_store *st,
                             const char *truth_path, const char *key_col, const char *entity_col)
{
    rk_ctx *ctx = rk_store_ctx(st);
    truth_entry *truth = NULL;
    size_t ntruth = 0, n = 0, cap = 0, cap2 = 0;
    uint32_t *cluster = NULL;
    int64_t *entity = NULL;
    sqlite3_stmt *s = NULL;
    int64_t run_id;
    *missing = 0;
    int rc = rk_link_latest_run(&run_id, st);
    if (rc == RK_OK)
        rc = link_truth_read(&truth, &ntruth, ctx, truth_path, key_col, entity_col);
    if (rc != RK_OK)
        return rc;
    if ((rc = rk_store__prepare_int64(
             &s, st,
             "SELECT r.record_key, p.person_id FROM person p JOIN record r ON r.id ="
             " p.record_id WHERE p.run_id = ? ORDER BY p.record_id",
             run_id, "cannot read persons")) != RK_OK)
        goto cleanup;
    int64_t next_unknown = -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (rk_grow((void **)&cluster, &cap, n + 1, sizeof(uint32_t)) != RK_OK ||
            rk_grow((void **)&entity, &cap2, n + 1, sizeof(int64_t)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        const truth_entry *hit =
            link_truth_find(truth, ntruth, (const char *)sqlite3_column_text(s, 0));
        cluster[n] = (uint32_t)sqlite3_column_int64(s, 1);
        if (hit) {
            entity[n] = hit->entity;
        } else {
            entity[n] = next_unknown--; /* a record the truth does not name: its own person */
            (*missing)++;
        }
        n++;
    }
    rc = rk_link_evaluate(out, ctx, cluster, entity, n);
cleanup:
    sqlite3_finalize(s);
    link_truth_free(truth, ntruth);
    rk_free(cluster);
    rk_free(entity);
    return rc;
}
