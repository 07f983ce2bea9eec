/* What `reckon link --mpi` and `reckon estimate --mpi` share on the command line: starting
 * MPI in a process that mpirun or srun started as one rank of a run (docs/scale.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cli_mpi_start(rk_ctx *ctx, int *mode, rk_progress_fn die)
{
    int rc = rk_link_mpi_begin(ctx);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    int rank = rk_link_mpi_rank();
    if (rank > 0) { /* rank 0 speaks for the run */
        ctx->log = NULL;
        ctx->progress = NULL;
        *mode = RK_STORE_READONLY;
    }
    const char *f = getenv("RECKON_FAULT");
    int64_t victim = -1;
    if (f && strncmp(f, "rank:", 5) == 0 && rk_parse_i64(&victim, f + 5) == RK_OK && victim == rank)
        ctx->progress = die;
    return CLI_OK;
}
