/* Work shared by the ranks of an MPI run, as the stages of a link use it (docs/scale.md, "Past
 * one machine"): a contiguous share of n things for each rank (link_mpi_part), or things taken
 * one by one in turn (link_mpi_mine), and the results sent to every rank, so that each holds
 * what one process computes. Built with RECKON_MPI; without it (or at one rank, or for work not
 * `shared`) a rank does all of it. */
#include "mpi.h"

#ifdef RK_MPI

#include "mpi_private.h"

/* Rank r's share of n things at `size` ranks: [*lo, *hi). */
static void share_of(size_t n, int r, int size, size_t *lo, size_t *hi)
{
    *lo = (size_t)((uint64_t)n * (uint64_t)r / (uint64_t)size);
    *hi = (size_t)((uint64_t)n * (uint64_t)(r + 1) / (uint64_t)size);
}

void link_mpi_part(size_t n, size_t *lo, size_t *hi)
{
    MPI_Comm comm;
    int rank, size;
    *lo = 0, *hi = SIZE_MAX;
    if (link_mpi__ranks(&comm, &rank, &size))
        share_of(n, rank, size, lo, hi);
}

int link_mpi_any_failed(rk_ctx *ctx, bool shared, int rc)
{
    MPI_Comm comm;
    int rank, size;
    if (!shared || !link_mpi__ranks(&comm, &rank, &size))
        return rc;
    return link_mpi__failed(ctx, rc, NULL);
}

int link_mpi_fill(rk_ctx *ctx, void *p, size_t n, size_t elem, bool shared, int rc)
{
    MPI_Comm comm;
    int rank, size;
    if (!shared || !link_mpi__ranks(&comm, &rank, &size))
        return rc;
    if ((rc = link_mpi_any_failed(ctx, shared, rc)) != RK_OK)
        return rc;
    for (int r = 0; r < size; r++) {
        size_t lo, hi;
        share_of(n, r, size, &lo, &hi);
        if (link_mpi__bcast((char *)p + lo * elem, hi - lo, elem, r) != RK_OK)
            return rk_error_set(ctx, RK_EINTERNAL,
                                "the ranks of the MPI run could not exchange their results");
    }
    return RK_OK;
}

bool link_mpi_mine(size_t k, bool shared)
{
    MPI_Comm comm;
    int rank, size;
    if (!shared || !link_mpi__ranks(&comm, &rank, &size))
        return true;
    return (int)(k % (size_t)size) == rank;
}

int link_mpi_send_mine(rk_ctx *ctx, void *p, size_t bytes, size_t k, bool shared)
{
    MPI_Comm comm;
    int rank, size;
    if (!shared || !link_mpi__ranks(&comm, &rank, &size))
        return RK_OK;
    if (link_mpi__bcast(p, bytes, 1, (int)(k % (size_t)size)) != RK_OK)
        return rk_error_set(ctx, RK_EINTERNAL,
                            "the ranks of the MPI run could not exchange their results");
    return RK_OK;
}

#else /* a build without MPI: a rank does all of the work */

void link_mpi_part(size_t n, size_t *lo, size_t *hi)
{
    (void)n;
    *lo = 0, *hi = SIZE_MAX;
}

int link_mpi_any_failed(rk_ctx *ctx, bool shared, int rc)
{
    (void)ctx, (void)shared;
    return rc;
}

int link_mpi_fill(rk_ctx *ctx, void *p, size_t n, size_t elem, bool shared, int rc)
{
    (void)ctx, (void)p, (void)n, (void)elem, (void)shared;
    return rc;
}

bool link_mpi_mine(size_t k, bool shared)
{
    (void)k, (void)shared;
    return true;
}

int link_mpi_send_mine(rk_ctx *ctx, void *p, size_t bytes, size_t k, bool shared)
{
    (void)ctx, (void)p, (void)bytes, (void)k, (void)shared;
    return RK_OK;
}

#endif
