/* Reading an input file: the hashing and validating first pass, and the converting reader
 * that feeds the CSV parser. Private to src/ingest. */
#ifndef RK_INGEST_SOURCE_H
#define RK_INGEST_SOURCE_H

#include "common.h"

#include <strings.h>

typedef struct source_info {
    uint64_t bytes;
    char sha256[65];
} source_info;

/* Hashes and checks the whole file. */
int source_scan(rk_ctx *ctx, const char *path, const char *encoding, source_info *out);

typedef struct source_reader source_reader;
int source_reader_open(source_reader **out, rk_ctx *ctx, const char *path, const char *encoding);
void source_reader_free(source_reader *r);
/* An rk_csv_read_fn. */
long source_reader_read(void *src, char *buf, size_t n);

#endif
