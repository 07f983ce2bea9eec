/* Exports of a project's tables as CSV (RFC 4180, UTF-8, header row) or JSON (an array of
 * objects), written to a stream the caller owns; R's read.csv and pandas read them as they are. */
#ifndef RECKON_EXPORT_H
#define RECKON_EXPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "reckon/core.h"
#include "reckon/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rk_format { RK_FORMAT_CSV, RK_FORMAT_JSON } rk_format;

/* Writes one CSV field (quoted when it holds a separator, quote or line end). A value a
 * spreadsheet would read as a formula (first character = + - @ tab or CR) that is not a plain
 * number ("-3", "+1.5e2") is written quoted with a leading ' (docs/exports.md). */
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

/* ---- For R's estimation packages (docs/exports.md) ---------------------------------------- */

/* What the captures, counts and replicates exports hold: the stratum fields and how the values
 * persons lack are imputed, as `reckon estimate --by` does. */
typedef struct rk_export_options {
    int version;            /* RK_EXPORT_OPTIONS_VERSION */
    const char *by;         /* "region,sex": stratum fields as estimate's --by; NULL: none */
    const char *age_groups; /* with age_group: the first age of each group, as --age-groups */
    uint64_t seed;          /* of imputations and linkage draws, as estimate's --seed */
    bool impute;            /* fill in the values persons lack (captures, counts); false: leave
                               them empty (as estimate --impute 0) */
    size_t imputations;     /* replicates: M, files per partition (at least 1) */
    size_t draws; /* replicates: K linkage draws, M files each; 0: the run's own persons */
} rk_export_options;

#define RK_EXPORT_OPTIONS_VERSION 1
#define RK_EXPORT_OPTIONS_INIT                                                                     \
    {                                                                                              \
        .version = RK_EXPORT_OPTIONS_VERSION, .seed = 1, .impute = true, .imputations = 20         \
    }

/* One row per person of the latest link run: match_group_id (an opaque id), a 0/1 column per
 * list, and per stratum field its value and FIELD_imputed (TRUE or FALSE). The persons and
 * values are those of estimate's main pass (the same imputation for the same seed). CSV only. */
int rk_export_captures(FILE *out, rk_store *st, const rk_export_options *o);

/* The capture-pattern table of the latest link run (rk_estimate_counts_csv's layout); with
 * stratum fields, the table of each stratum after columns of its values, the tables `estimate
 * --by` estimates. CSV only. */
int rk_export_counts(FILE *out, rk_store *st, const rk_export_options *o);

/* Writes the replicate files into the new directory `out_dir` (refused when it exists): M
 * imputations of the run's own persons, or with draws M of each linkage draw, one CSV each
 * (replicate-R1.csv ...: replica, then the columns of rk_export_captures), index.csv (file,
 * replica, imputation, draw, seed, persons, values imputed) and SHA256SUMS (sha256sum's
 * layout). Files are 0600 in a 0700 directory, written into a temporary directory beside it and
 * renamed: on failure nothing is left. */
int rk_export_replicates(const char *out_dir, rk_store *st, const rk_export_options *o);

#ifdef __cplusplus
}
#endif

#endif
