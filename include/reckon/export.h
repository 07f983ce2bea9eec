/* Exports of a project's tables as CSV (RFC 4180, UTF-8, header row) or JSON (an array of
 * objects), written to a stream the caller owns; R's read.csv and pandas read them as they are. */
#ifndef RECKON_EXPORT_H
#define RECKON_EXPORT_H

#include <stdio.h>

#include "reckon/core.h"
#include "reckon/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rk_format { RK_FORMAT_CSV, RK_FORMAT_JSON } rk_format;

/* Writes one CSV field (quoted when it holds a separator, quote or line end). */
int rk_export_csv_field(rk_buf *b, const char *s, size_t n);

/* Every current record: record_key, list, provenance (import, row, line, bytes), the mapped
 * fields, the extras, the standardized fields (JSON) and the raw row (JSON). */
int rk_export_records(FILE *out, rk_store *st, rk_format fmt);

/* Every record of the latest link run with its person_id (the smallest record id of the
 * person) and the person's best fields: name, sex, birth, place, region, violation. */
int rk_export_persons(FILE *out, rk_store *st, rk_format fmt);

/* The scored pairs of the latest link run: both record keys and lists, match weight,
 * probability, status (linked, unlinked, review, split) and each field's comparison level. */
int rk_export_pairs(FILE *out, rk_store *st, rk_format fmt);

#ifdef __cplusplus
}
#endif

#endif
