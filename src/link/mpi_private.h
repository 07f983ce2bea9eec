/* What mpi.c shares with the other files of an MPI run's exchanges (mpi_records.c,
 * mpi_rules.c, mpi_share.c). Built only with RECKON_MPI. */
#ifndef RK_LINK_MPI_PRIVATE_H
#define RK_LINK_MPI_PRIVATE_H

#include "reckon/core.h"

#include <mpi.h>
#include <stdbool.h>
#include <stdint.h>

/* The run's communicator, this rank and the number of ranks; true when this process is one of
 * two ranks or more. */
bool link_mpi__ranks(MPI_Comm *comm, int *rank, int *size);

/* Called by every rank before an exchange, with its own result rc: every rank learns whether
 * one failed. This rank's rc when it failed (its error already on ctx), RK_EINTERNAL saying
 * that another rank failed (`doing`: what it did, or NULL), else RK_OK. */
int link_mpi__failed(rk_ctx *ctx, int rc, const char *doing);

/* Rank root's n elements of `elem` bytes at p, sent to every rank's p. */
int link_mpi__bcast(void *p, size_t n, size_t elem, int root);

/* Every rank's length n; *total gets their sum. Free *out with rk_free. */
int link_mpi__gather_lengths(uint64_t **out, uint64_t n, uint64_t *total);

/* Every rank's array of len[r] elements of `elem` bytes (this rank's at `mine`), joined in rank
 * order in *out (room for total + 1 elements). Free *out with rk_free, also after an error. */
int link_mpi__gather_all(void **out, const void *mine, const uint64_t *len, uint64_t total,
                         size_t elem);

#endif
