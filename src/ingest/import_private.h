/* What the two halves of an import share, private to src/ingest: the importer's state, the
 * record insert, and the per-row phases (import_row.c) that import.c calls for each row. */
#ifndef RK_INGEST_IMPORT_PRIVATE_H
#define RK_INGEST_IMPORT_PRIVATE_H

#include "common.h"
#include "rows.h"
#include "store/store_internal.h"

#include <sqlite3.h>

#define NPARAMS 27 /* of the record insert, INSERT_RECORD below */

/* One file being imported into one list. */
typedef struct importer {
    rk_store *st;
    rk_ctx *ctx;
    sqlite3 *db;
    const rk_import_options *opts;
    const rk_mapping *m;
    const char *path;
    ingest_rows *rows; /* the file's rows, CSV or a sheet */
    int64_t list_id, import_id;
    int col_of_role[RK_FIELD_COUNT]; /* -1 when not mapped */
    rk_role mapped[RK_FIELD_COUNT];  /* the mapped roles, in the order their values are parsed
                                        (ingest_order_mapped) */
    size_t nmapped;
    int col_of_extra[RK_MAX_EXTRAS];
    size_t nheader;
    char **header;
    long header_line; /* the header row's line (a sheet's row number) */
    sqlite3_stmt *ins_record, *ins_problem;
    rk_buf raw, extra, key;
    char iso[RK_FIELD_COUNT][16];            /* a row's dates as bound, by role */
    rk_date_format date_fmt[RK_FIELD_COUNT]; /* each date column's, compiled once */
    rk_date_format iso_fmt;                  /* a spreadsheet's typed date cells' */
    char date_decided[RK_FIELD_COUNT][16];   /* the format decided for an `auto` column */
    char date_auto[RK_FIELD_COUNT][200];     /* and its evidence; "" when not auto */
    int64_t problems;
    char today[16];             /* the import's date, YYYY-MM-DD: a later birth is a problem */
    bool other_imports;         /* the list has current imports already */
    bool was_null[NPARAMS + 1]; /* by parameter of ins_record: bound to NULL (so at first) */
} importer;

/* Columns of the record insert: 1 list_id, 2 import_id, 3 row_number, 4 line, 5 byte_offset,
 * 6 byte_length, 7 record_key, 8 raw, then the role columns from 9, then extra, std. */
#define INSERT_RECORD                                                                              \
    "INSERT INTO record(list_id, import_id, row_number, line, byte_offset, byte_length,"           \
    " record_key, raw, full_name, given_name, family_name, second_family_name, patronymic,"        \
    " father_name, mother_name, sex, birth_date, birth_precision, birth_year, age, death_date,"    \
    " death_precision, place, region, violation, extra, std) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?," \
    "?,?,?,?,?,?,?,?,?,?,?,?,?)"

/* Blanks (spaces and tabs) off both ends of a view. */
static inline void ingest_trim_view(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* Compiles the format of each mapped date column, deciding those mapped `auto` from a first
 * read of their values (import_dates.c). */
int ingest_import_dates(importer *im, const ingest_source_info *info);
/* The mapping as the import used it (an `auto` column's decided format and its evidence), as
 * JSON for the import's provenance. */
int ingest_import_mapping_json(char **out, const importer *im);
/* rk_mapping_to_json, with the evidence of each `auto` date column (or NULL). */
int ingest_mapping_json(char **out, const rk_mapping *m,
                        const char *const evidence[RK_FIELD_COUNT]);

/* Fills im->mapped: the mapped roles in the order their values are parsed. */
void ingest_order_mapped(importer *im);

/* Reads one row (the row source's current one, number `row`) into one record; the error is
 * set. */
int ingest_import_row(importer *im, int64_t row);

#endif
