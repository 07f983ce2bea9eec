/* The rows rank 0 saves, hashed on the other ranks of an MPI run (docs/scale.md, "Past one
 * machine"). Rank 0 alone writes the project; every row it writes is hashed for the audit
 * chain's state digest (src/store/state.c), a third of the save. The store hands the rows over
 * in batches of a mebibyte (rk_store__hash_rows_with); rank 0 sends each to the next of the
 * other ranks in turn, which hash them while it writes on, and send back their sums when it
 * ends. The sums commute: the digest is the one rank 0 alone computes. */
#include "mpi.h"
#include "store/store_internal.h"

#ifdef RK_MPI

#include "mpi_private.h"

enum { TAG_ROWS = 7101, TAG_END = 7102, TAG_SUMS = 7103 };

void link_mpi_hash_begin(link_mpi_hasher *h, rk_ctx *ctx)
{
    MPI_Comm comm;
    int rank, size;
    *h = (link_mpi_hasher){0};
    if (link_mpi__ranks(&comm, &rank, &size) && rank == 0)
        *h = (link_mpi_hasher){.active = true, .size = size, .ctx = ctx};
}

static int give(void *arg, const unsigned char *batch, size_t n)
{
    link_mpi_hasher *h = arg;
    MPI_Comm comm;
    int rank, size;
    if (h->ended || !link_mpi__ranks(&comm, &rank, &size) || n > RK_STORE_BATCH_BYTES)
        return RK_EINTERNAL;
    int to = 1 + h->next++ % (h->size - 1);
    h->bytes += (double)n;
    return MPI_Send(batch, (int)n, MPI_BYTE, to, TAG_ROWS, comm) == MPI_SUCCESS ? RK_OK
                                                                                : RK_EINTERNAL;
}

static int finish(void *arg, rk_store_row_sums *sums)
{
    link_mpi_hasher *h = arg;
    MPI_Comm comm;
    int rank, size, rc = RK_OK;
    if (!h->active || h->ended || !link_mpi__ranks(&comm, &rank, &size))
        return RK_EINTERNAL;
    h->ended = true;
    for (int r = 1; r < h->size; r++)
        if (MPI_Send(NULL, 0, MPI_BYTE, r, TAG_END, comm) != MPI_SUCCESS)
            rc = RK_EINTERNAL;
    for (int r = 1; r < h->size; r++) {
        rk_store_row_sums theirs;
        if (MPI_Recv(&theirs, (int)sizeof(theirs), MPI_BYTE, r, TAG_SUMS, comm,
                     MPI_STATUS_IGNORE) != MPI_SUCCESS)
            rc = RK_EINTERNAL;
        else if (sums)
            rk_store__row_sums_add(sums, &theirs);
    }
    if (sums)
        rk_log(h->ctx, RK_LOG_DEBUG, "MPI: %d batch%s of rows (%.1f MB) hashed on %d ranks",
               h->next, h->next == 1 ? "" : "es", h->bytes / 1e6, h->size - 1);
    return rc;
}

bool link_mpi_hash_rows(link_mpi_hasher *h, rk_store *st)
{
    if (!h->active || h->ended)
        return false;
    rk_store_row_hasher ops = {.give = give, .finish = finish, .arg = h};
    return rk_store__hash_rows_with(st, &ops);
}

void link_mpi_hash_end(link_mpi_hasher *h)
{
    if (h->active && !h->ended)
        finish(h, NULL);
}

/* Where a serving rank receives a batch: held from the start (a batch is never larger), so that
 * no allocation can fail while rank 0 waits for its batch to be taken. */
static unsigned char served[RK_STORE_BATCH_BYTES];

int link_mpi_hash_serve(int rc)
{
    MPI_Comm comm;
    int rank, size;
    if (!link_mpi__ranks(&comm, &rank, &size) || rank == 0)
        return rc;
    rk_store_row_sums sums;
    memset(&sums, 0, sizeof(sums));
    for (;;) {
        MPI_Status status;
        int count = 0;
        if (MPI_Recv(served, (int)sizeof(served), MPI_BYTE, 0, MPI_ANY_TAG, comm, &status) !=
                MPI_SUCCESS ||
            MPI_Get_count(&status, MPI_BYTE, &count) != MPI_SUCCESS || count < 0) {
            sums.failed = true;
            break;
        }
        if (status.MPI_TAG == TAG_END)
            break;
        if (status.MPI_TAG != TAG_ROWS)
            sums.failed = true;
        else
            rk_store__rows_hash(&sums, served, (size_t)count);
    }
    MPI_Send(&sums, (int)sizeof(sums), MPI_BYTE, 0, TAG_SUMS, comm);
    return rc;
}

#else /* a build without MPI: rank 0 hashes its rows itself */

void link_mpi_hash_begin(link_mpi_hasher *h, rk_ctx *ctx)
{
    (void)ctx;
    *h = (link_mpi_hasher){0};
}

bool link_mpi_hash_rows(link_mpi_hasher *h, rk_store *st)
{
    (void)h, (void)st;
    return false;
}

void link_mpi_hash_end(link_mpi_hasher *h)
{
    (void)h;
}

int link_mpi_hash_serve(int rc)
{
    return rc;
}

#endif
