/* Reading an input file: the hashing and validating first pass, and the converting reader
 * that feeds the CSV parser. Private to src/ingest. */
#ifndef RK_INGEST_SOURCE_H
#define RK_INGEST_SOURCE_H

#include "common.h"
#include "sheet.h"

#include <strings.h>

typedef struct ingest_source_info {
    uint64_t bytes;
    char sha256[65];
    sheet_magic sheet; /* a spreadsheet (not scanned as text), or SHEET_NONE */
} ingest_source_info;

/* Hashes and checks the whole file; a spreadsheet (by its first bytes) is hashed only. */
int ingest_source_scan(rk_ctx *ctx, const char *path, const char *encoding,
                       ingest_source_info *out);

typedef struct ingest_source_reader ingest_source_reader;
int ingest_source_reader_open(ingest_source_reader **out, rk_ctx *ctx, const char *path,
                              const char *encoding);
void ingest_source_reader_free(ingest_source_reader *r);
/* An rk_csv_read_fn. */
long ingest_source_reader_read(void *src, char *buf, size_t n);

#endif
