/* Loading the records on the ranks of an MPI run (docs/scale.md, "Past one machine"): every
 * rank reads every row of the load, but parses only a contiguous share of them (parsing names
 * and dates is most of a load's time); the shares are then sent to every rank and joined in
 * rank order, so that each rank holds the arrays one process's load would have made, byte for
 * byte. Built with RECKON_MPI; without it (or at one rank) a rank parses every row. */
#include "mpi.h"

#ifdef RK_MPI

#include "mpi_private.h"

/* Replaces *arr, this rank's n = len[rank] elements of `elem` bytes, with every rank's joined in
 * rank order (total elements, room for total + 1). */
static int join_array(void **arr, const uint64_t *len, uint64_t total, size_t elem)
{
    void *all = NULL;
    int rc = link_mpi__gather_all(&all, *arr, len, total, elem);
    if (rc != RK_OK) {
        rk_free(all);
        return rc;
    }
    rk_free(*arr);
    *arr = all;
    return RK_OK;
}

/* Every rank's part of field c's keys, joined: key starts and text offsets shifted past the
 * parts before (a part's text begins with the empty string at offset 0, which only rank 0's
 * keeps), so that they point where one process's load puts them. */
static int join_keys(rk_ctx *ctx, rk_link_column *c, const uint64_t *nrec, uint64_t total_rec,
                     int rank)
{
    uint64_t *nkeys = NULL, *ntext = NULL, keys_total = 0, text_total = 0;
    int rc = link_mpi__gather_lengths(&nkeys, c->nkeys, &keys_total);
    /* the bytes each rank sends of its text: all of rank 0's, the others' without offset 0 */
    uint64_t sent = rank == 0 ? c->text.len : c->text.len - 1;
    if (rc == RK_OK)
        rc = link_mpi__gather_lengths(&ntext, sent, &text_total);
    if (rc != RK_OK)
        goto cleanup;
    if (text_total + 1 > UINT32_MAX) {
        rc = rk_error_set(ctx, RK_EINPUT, "keys of field '%s' exceed 4 GB", c->name);
        goto cleanup;
    }
    uint64_t keys_before = 0, text_before = 0;
    for (int r = 0; r < rank; r++)
        keys_before += nkeys[r], text_before += ntext[r];
    size_t n = (size_t)nrec[rank];
    link_keys_rebase(c->key_start, n, c->key_text, c->nkeys, keys_before, text_before);
    uint32_t *starts = NULL;
    if ((rc = link_mpi__gather_all((void **)&starts, c->key_start + 1, nrec, total_rec,
                                   sizeof(uint32_t))) != RK_OK) {
        rk_free(starts);
        goto cleanup;
    }
    memmove(starts + 1, starts, (size_t)total_rec * sizeof(uint32_t));
    starts[0] = 0;
    rk_free(c->key_start);
    c->key_start = starts;
    c->cap_start = (size_t)total_rec + 1;
    char *text = NULL;
    if ((rc = join_array((void **)&c->key_text, nkeys, keys_total, sizeof(uint32_t))) != RK_OK ||
        (rc = join_array((void **)&c->key_tag, nkeys, keys_total, sizeof(uint8_t))) != RK_OK ||
        (rc = link_mpi__gather_all((void **)&text, c->text.data + (rank == 0 ? 0 : 1), ntext,
                                   text_total, 1)) != RK_OK) {
        rk_free(text);
        goto cleanup;
    }
    c->nkeys = c->cap_keys = (size_t)keys_total;
    rk_buf_release(&c->text);
    c->text.data = text;
    c->text.len = (size_t)text_total;
    c->text.cap = (size_t)text_total + 1;
cleanup:
    rk_free(nkeys);
    rk_free(ntext);
    return rc;
}

/* Every rank's record keys (NUL-terminated strings), joined: n of them in *key. */
static int join_record_keys(char ***key, const uint64_t *nrec, uint64_t total_rec, int rank)
{
    size_t n = (size_t)nrec[rank], bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += strlen((*key)[i]) + 1;
    char *mine = rk_malloc(bytes + 1), *all = NULL;
    uint64_t *len = NULL, total = 0;
    char **keys = NULL;
    int rc = RK_ENOMEM;
    if (!mine)
        goto cleanup;
    for (size_t i = 0, at = 0; i < n; i++) {
        size_t k = strlen((*key)[i]) + 1;
        memcpy(mine + at, (*key)[i], k);
        at += k;
    }
    if ((rc = link_mpi__gather_lengths(&len, bytes, &total)) != RK_OK ||
        (rc = link_mpi__gather_all((void **)&all, mine, len, total, 1)) != RK_OK)
        goto cleanup;
    rc = RK_ENOMEM;
    if (!(keys = rk_calloc((size_t)total_rec + 1, sizeof(char *))))
        goto cleanup;
    size_t at = 0;
    for (size_t i = 0; i < total_rec; i++) {
        if (at >= total || !(keys[i] = rk_strdup(all + at)))
            goto cleanup;
        at += strlen(keys[i]) + 1;
    }
    for (size_t i = 0; i < n; i++)
        rk_free((*key)[i]);
    rk_free(*key);
    *key = keys;
    keys = NULL;
    rc = RK_OK;
cleanup:
    for (size_t i = 0; keys && i < total_rec; i++)
        rk_free(keys[i]);
    rk_free(keys);
    rk_free(mine);
    rk_free(all);
    rk_free(len);
    return rc;
}

int link_mpi_records_join(rk_ctx *ctx, rk_link_data *d, int64_t **record_id, char ***record_key,
                          size_t lo, size_t hi, size_t rows, int rc)
{
    MPI_Comm comm;
    int rank, size;
    if (!link_mpi__ranks(&comm, &rank, &size))
        return rc;
    if ((rc = link_mpi__failed(ctx, rc, "loading the records")) != RK_OK)
        return rc;
    /* The parts must tile the same rows on every rank: a project changed between two ranks'
     * reads (or between a rank's count and its load) would give overlaps or gaps. */
    uint64_t mine[3] = {lo, hi, rows}, *seen = rk_malloc((size_t)size * sizeof(mine));
    uint64_t *nrec = NULL, total_rec = 0;
    bool said = false; /* the error's message is set */
    if (!seen)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory joining the ranks' records");
    if (MPI_Allgather(mine, 3, MPI_UINT64_T, seen, 3, MPI_UINT64_T, comm) != MPI_SUCCESS) {
        rc = RK_EINTERNAL;
        goto cleanup;
    }
    for (int r = 0; r < size; r++)
        if (seen[3 * r + 2] != rows || seen[3 * r] != (r == 0 ? 0 : seen[3 * (r - 1) + 1]) ||
            seen[3 * r + 1] < seen[3 * r] || (r == size - 1 && seen[3 * r + 1] != rows)) {
            rk_free(seen);
            return rk_error_set(ctx, RK_EINPUT,
                                "the ranks of the MPI run read different records (the project "
                                "changed while they read it); link again");
        }
    if ((rc = link_mpi__gather_lengths(&nrec, d->nrecords, &total_rec)) != RK_OK)
        goto cleanup;
    if (total_rec != rows || d->nrecords != hi - lo) {
        rc = rk_error_set(ctx, RK_EINTERNAL, "the ranks' records do not add up to the rows read");
        said = true;
        goto cleanup;
    }
    if ((rc = join_array((void **)&d->list, nrec, total_rec, sizeof(uint32_t))) != RK_OK ||
        (rc = join_array((void **)&d->entity, nrec, total_rec, sizeof(int64_t))) != RK_OK ||
        (rc = join_array((void **)record_id, nrec, total_rec, sizeof(int64_t))) != RK_OK ||
        (rc = join_record_keys(record_key, nrec, total_rec, rank)) != RK_OK)
        goto cleanup;
    d->nrecords = d->cap = (size_t)total_rec; /* every per-record array holds them all */
    for (size_t f = 0; f < d->nfields; f++) {
        rk_link_column *c = &d->fields[f];
        if (c->type == RK_LINK_STRING)
            said = (rc = join_keys(ctx, c, nrec, total_rec, rank)) == RK_EINPUT;
        else if ((rc = join_array((void **)&c->dates, nrec, total_rec, sizeof(rk_link_date))) ==
                 RK_OK)
            c->cap_dates = (size_t)total_rec;
        if (rc != RK_OK)
            goto cleanup;
    }
    d->nlists = 0;
    for (size_t i = 0; i < d->nrecords; i++)
        if (d->list[i] + 1 > d->nlists)
            d->nlists = d->list[i] + 1;
    /* what each rank now holds of the records, most of it sent by the others */
    uint64_t bytes = d->nrecords * (sizeof(uint32_t) + 2 * sizeof(int64_t));
    for (size_t i = 0; i < d->nrecords; i++)
        bytes += strlen((*record_key)[i]) + 1;
    for (size_t f = 0; f < d->nfields; f++)
        bytes += d->fields[f].type == RK_LINK_STRING
                     ? (d->nrecords + 1) * sizeof(uint32_t) + d->fields[f].nkeys * 5 +
                           d->fields[f].text.len
                     : d->nrecords * sizeof(rk_link_date);
    rk_log(ctx, RK_LOG_DEBUG, "MPI: %zu records parsed on %d ranks and joined: %.1f MB",
           d->nrecords, size, (double)bytes / 1e6);
cleanup:
    rk_free(seen);
    rk_free(nrec);
    if (rc == RK_OK || said)
        return rc;
    if (rc == RK_ENOMEM)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory joining the ranks' records");
    return rk_error_set(ctx, RK_EINTERNAL,
                        "the ranks of the MPI run could not exchange the records they loaded");
    return rc;
}

#else /* a build without MPI: every rank parses every row */

int link_mpi_records_join(rk_ctx *ctx, rk_link_data *d, int64_t **record_id, char ***record_key,
                          size_t lo, size_t hi, size_t rows, int rc)
{
    (void)ctx, (void)d, (void)record_id, (void)record_key, (void)lo, (void)hi, (void)rows;
    return rc;
}

#endif
