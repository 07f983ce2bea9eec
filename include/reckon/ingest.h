/* Importing lists: a streaming CSV reader (RFC 4180), column mappings (flags or a mapping
 * file), format-driven date parsing, and the atomic import of one file into one list with its
 * provenance.
 *
 * Ownership: objects from `_new`/`_open` are freed with the matching `_free` (NULL accepted);
 * structs the caller owns (rk_mapping, rk_mapping_set) are emptied with `_release`. */
#ifndef RECKON_INGEST_H
#define RECKON_INGEST_H

#include "reckon/core.h"
#include "reckon/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- CSV ---- */

typedef struct rk_csv rk_csv;

/* Reads up to n bytes into buf; returns the count, 0 at the end, or -1 on error (setting an
 * error on the context). */
typedef long (*rk_csv_read_fn)(void *src, char *buf, size_t n);

typedef struct rk_csv_options {
    char delimiter;    /* ',', ';', '\t'; 0 to detect from the first line */
    size_t max_field;  /* bytes; a longer field is an input error */
    size_t max_fields; /* fields per row */
} rk_csv_options;

#define RK_CSV_OPTIONS_INIT                                                                        \
    {                                                                                              \
        .delimiter = 0, .max_field = 1u << 20, .max_fields = 4096                                  \
    }

/* `name` is used in error messages (file:line:column). */
int rk_csv_open(rk_csv **out, rk_ctx *ctx, const char *name, rk_csv_read_fn read, void *src,
                const rk_csv_options *opts);
void rk_csv_free(rk_csv *r);
/* Reads the next row: returns 1 with a row, 0 at the end of the input, or an error code. */
int rk_csv_next(rk_csv *r);
size_t rk_csv_nfields(const rk_csv *r);
/* Field i of the current row (valid until the next call); NUL-terminated. */
const char *rk_csv_field(const rk_csv *r, size_t i, size_t *len);
/* Where field i starts (1-based line and column in characters). */
void rk_csv_field_pos(const rk_csv *r, size_t i, long *line, long *column);
/* The current row: the line it starts on, and its bytes in the input. */
long rk_csv_row_line(const rk_csv *r);
uint64_t rk_csv_row_offset(const rk_csv *r);
uint64_t rk_csv_row_length(const rk_csv *r);

/* ---- Roles and mappings ---- */

typedef enum rk_role {
    RK_FIELD_ID,
    RK_FIELD_FULL_NAME,
    RK_FIELD_GIVEN_NAME,
    RK_FIELD_FAMILY_NAME,
    RK_FIELD_SECOND_FAMILY_NAME,
    RK_FIELD_PATRONYMIC,
    RK_FIELD_FATHER_NAME,
    RK_FIELD_MOTHER_NAME,
    RK_FIELD_SEX,
    RK_FIELD_BIRTH_DATE,
    RK_FIELD_BIRTH_YEAR,
    RK_FIELD_AGE,
    RK_FIELD_DEATH_DATE,
    RK_FIELD_PLACE,
    RK_FIELD_REGION,
    RK_FIELD_VIOLATION,
    RK_FIELD_COUNT
} rk_role;

/* The role's name as written in mappings ("family_name"); NULL when out of range. */
const char *rk_role_name(rk_role role);
/* Parses a role name; RK_EINPUT when unknown. "field:NAME" is not a role (see extras). */
int rk_role_parse(rk_role *out, const char *name);

/* Order of a full name. */
typedef enum rk_name_order {
    RK_ORDER_AUTO = 0,     /* inferred per name or per list (see the text module) */
    RK_ORDER_GIVEN_FIRST,  /* Elçin Əli oğlu Məmmədov, María del Carmen Quispe Huamán */
    RK_ORDER_FAMILY_FIRST, /* Мамедов Эльчин Алиевич */
} rk_name_order;

#define RK_MAX_EXTRAS 64

/* How one list's file maps onto roles. Strings are owned by the mapping. */
typedef struct rk_mapping {
    char *list; /* list name */
    char *file; /* file to import, relative to the mapping file */
    char *description;
    char *language; /* transliteration hint: az, ru, hy, ar, es, ... */
    char *encoding; /* NULL or "UTF-8" for UTF-8 */
    char delimiter; /* 0: detect */
    char *sheet;    /* spreadsheets: the sheet's name or 1-based number; NULL: the first */
    rk_name_order name_order;
    char *column[RK_FIELD_COUNT];      /* header of the column for each role, or NULL */
    char *date_format[RK_FIELD_COUNT]; /* for birth_date and death_date; "auto": the day/month
                                          order decided from the column by the import */
    int century_pivot;                 /* two-digit years in [pivot, pivot + 99]; 0: refused */
    size_t nextras;
    char *extra_name[RK_MAX_EXTRAS]; /* field:NAME */
    char *extra_column[RK_MAX_EXTRAS];
} rk_mapping;

void rk_mapping_init(rk_mapping *m);
void rk_mapping_release(rk_mapping *m);
/* Sets a key of a mapping as written in a mapping file or on the command line:
 * "column.ROLE", "date_format.ROLE", "century_pivot", "name_order", "delimiter", "encoding",
 * "language", "description", "file". `where` names the place for error messages. */
int rk_mapping_put(rk_mapping *m, rk_ctx *ctx, const char *key, const char *value, const char *file,
                   long line);
/* The mapping as a JSON object (for provenance). Caller frees with rk_free. */
int rk_mapping_to_json(char **out, const rk_mapping *m);

/* All lists of a mapping file. */
typedef struct rk_mapping_set {
    rk_mapping *lists;
    size_t count;
    char *dir; /* the mapping file's folder, for relative `file =` paths */
} rk_mapping_set;

void rk_mapping_set_init(rk_mapping_set *s);
void rk_mapping_set_release(rk_mapping_set *s);
/* Parses a mapping file (format: docs/mapping.md). */
int rk_mapping_file_read(rk_mapping_set *out, rk_ctx *ctx, const char *path);
int rk_mapping_parse(rk_mapping_set *out, rk_ctx *ctx, const char *name, const char *text,
                     size_t len);
/* Is name a list name: 1 to 64 ASCII letters, digits, '_', '-' or '.'? The one rule for every
 * place a list name enters (mapping files, --list, imports through the library). When it is not,
 * why (whysz bytes) says what is wrong, quoting the name safe for a terminal. */
bool rk_list_name_ok(const char *name, char *why, size_t whysz);
/* The mapping of one list, or NULL. */
rk_mapping *rk_mapping_set_find(rk_mapping_set *s, const char *list);

/* ---- Dates ---- */

typedef enum rk_date_precision {
    RK_DATE_NONE = 0,
    RK_DATE_YEAR,
    RK_DATE_MONTH,
    RK_DATE_DAY
} rk_date_precision;

typedef struct rk_date {
    int year;  /* 0 when unknown */
    int month; /* 1-12, 0 when unknown */
    int day;   /* 1-31, 0 when unknown */
    rk_date_precision precision;
    unsigned flags; /* RK_DATE_* below (set by the text module's date standardization) */
    /* For RK_DATE_AMBIGUOUS: the other reading (month and day swapped). */
    int alt_month;
    int alt_day;
} rk_date;

enum {
    RK_DATE_AMBIGUOUS = 1u << 0,  /* fits two formats (03.04.1992: 3 April or March 4) */
    RK_DATE_IMPOSSIBLE = 1u << 1, /* has the shape of a date but does not exist (31.02.1992) */
    RK_DATE_TWO_DIGIT = 1u << 2,  /* two-digit year, century taken from a pivot */
    RK_DATE_APPROX = 1u << 3,     /* "c. 1992", "around 1992", "~1992", "1992?" */
    RK_DATE_UNPARSED = 1u << 4    /* text that is not a date shape at all */
};

/* A date format compiled once for a column. Its fields are libreckon's (date.c); the caller
 * owns the struct and compiles it with rk_date_format_compile. */
typedef struct rk_date_format {
    char text[32];          /* the format as written, for messages */
    unsigned char n;        /* fields (3) */
    unsigned char field[3]; /* the fields in the order written */
    unsigned char width[3]; /* their digits when run together */
    char sep[2][4];         /* the separators between them */
    bool run_together;      /* YYYYMMDD */
    int century_pivot;      /* 0: a two-digit year is refused */
    int today;              /* YYYYMMDD when compiled: a two-digit year is not read past it */
} rk_date_format;

/* Compiles a format (NULL: ISO 8601, YYYY-MM-DD; syntax in docs/mapping.md): the fields YYYY,
 * YY, MM or M, DD or D, MON (a month name in en fr de es tr az sq sr ru hy ka ar, or a Roman
 * numeral), with the separators - . / space or ", " or run together (YYYYMMDD), and an optional
 * trailing "." (DD.MM.YYYY.). A two-digit year is read as the year in [century_pivot,
 * century_pivot + 99] ending in its digits; with century_pivot 0 it is refused. On failure
 * returns RK_EINPUT and writes why into `why`. */
int rk_date_format_compile(rk_date_format *out, const char *format, int century_pivot, char *why,
                           size_t whysz);
/* Parses `value` by a compiled format. Partial values keep their precision ("1992", "11.1991",
 * "00.00.1992", "марта 1992"); digits may be ASCII, Arabic-Indic or Persian; blanks, direction
 * marks and the words written around dates ("de", "г.", "թ.", "-ci il") are skipped. On failure
 * returns RK_EINPUT and writes why into `why`. */
int rk_date_parse(rk_date *out, const rk_date_format *f, const char *value, char *why,
                  size_t whysz);
/* "1992", "1992-11" or "1992-11-03" (11 bytes with NUL). */
void rk_date_iso(char out[16], const rk_date *d);
const char *rk_date_precision_name(rk_date_precision p);

/* ---- Import ---- */

/* Called for each record inside the import's transaction, to add standardized fields: returns
 * a JSON object (allocated with rk_malloc, freed by the importer) or NULL, or an error. */
typedef int (*rk_standardize_fn)(void *user, rk_ctx *ctx, const rk_mapping *m,
                                 const char *const fields[RK_FIELD_COUNT], char **std_json);

typedef struct rk_import_options {
    int version;
    const rk_mapping *mapping; /* required; mapping->list names the list */
    bool lenient;              /* keep bad values raw, list them as problems */
    bool replace;              /* supersede earlier imports of the list */
    size_t max_field;          /* bytes */
    rk_standardize_fn standardize;
    void *standardize_user;
} rk_import_options;

#define RK_IMPORT_OPTIONS_VERSION 1
#define RK_IMPORT_OPTIONS_INIT                                                                     \
    {                                                                                              \
        .version = RK_IMPORT_OPTIONS_VERSION, .max_field = 1u << 20                                \
    }

typedef struct rk_import_result {
    int64_t import_id;
    int64_t list_id;
    bool unchanged; /* the same bytes were imported into this list before: nothing done */
    int64_t rows;
    int64_t problems; /* values kept raw under lenient */
    uint64_t bytes;
    char sha256[65];
    /* For each date role mapped "auto": the order decided and its evidence ("birth_date: all
     * 812 values read as DD.MM: 143 have a first part above 12 (format DD.MM.YYYY)"), else "". */
    char date_auto[RK_FIELD_COUNT][200];
} rk_import_result;

/* Imports one file into a list (created when new) in one transaction: all or nothing. */
int rk_import_file(rk_import_result *out, rk_store *st, const rk_import_options *opts,
                   const char *path);

/* ---- Reading back: lists, imports and problems ---- */

/* One import of a list, with its provenance. */
typedef struct rk_import_info {
    int64_t id;
    char *file_name;
    char sha256[65]; /* of the file's bytes, hex */
    int64_t bytes, rows;
    int64_t problems;      /* values kept raw under lenient */
    char *time;            /* when it was imported, ISO 8601 UTC */
    int64_t superseded_by; /* the import that replaced it, 0 while it is current */
} rk_import_info;

/* A list, its current records (those of imports not superseded) and all its imports, oldest
 * first. */
typedef struct rk_list_info {
    int64_t id;
    char *name;
    char *description; /* NULL when the list has none */
    int64_t records;
    rk_import_info *imports;
    size_t nimports;
} rk_list_info;

/* The lists of a project, in the order they were created. The array and every string in it
 * belong to the caller: free them with rk_ingest_lists_free. */
int rk_ingest_lists(rk_list_info **out, size_t *n, rk_store *st);
void rk_ingest_lists_free(rk_list_info *lists, size_t n);

/* A value that an import under lenient kept raw, and where it was: a CSV's line and column, or
 * a sheet's row and column (1-based) in `sheet`. */
typedef struct rk_import_problem {
    char *list, *file;
    int64_t line, column;
    char *role;   /* the role of the column ("death_date") */
    char *value;  /* the value as read */
    char *reason; /* why it was not parsed */
    char *sheet;  /* the sheet's name, or NULL for CSV */
    char *place;  /* as errors name it: "ministry.csv:812:4" or "ministry.xlsx:Sheet1!D812" */
} rk_import_problem;

/* Every problem of every import, in the order they were found. The array and its strings
 * belong to the caller: free them with rk_ingest_problems_free. */
int rk_ingest_problems(rk_import_problem **out, size_t *n, rk_store *st);
void rk_ingest_problems_free(rk_import_problem *problems, size_t n);

/* ---- Gazetteers ---- */

/* The columns of a gazetteer file (OCHA's common operational datasets have this shape: ADM1_EN,
 * ADM1_AR, ADM1_RU, ...). Each row is a place in its region, or a region when its place column
 * is empty or there is none; every other non-empty cell is a spelling of the row's place (or
 * region), in any script. The delimiter (',', ';', tab) is detected. */
#define RK_GAZETTEER_OPTIONS_VERSION 1

typedef struct rk_gazetteer_options {
    unsigned version;          /* RK_GAZETTEER_OPTIONS_VERSION */
    const char *region_column; /* required: the row's region */
    const char *place_column;  /* NULL: every row is a region */
    const char *name_column;   /* the canonical name; NULL: the place (or region) column's */
} rk_gazetteer_options;

#define RK_GAZETTEER_OPTIONS_INIT                                                                  \
    {                                                                                              \
        .version = RK_GAZETTEER_OPTIONS_VERSION                                                    \
    }

typedef struct rk_gazetteer_result {
    int64_t id;                    /* the gazetteer's row: the one now in force */
    int64_t rows, regions, places; /* rows read; rows that are regions and places */
    int64_t names;                 /* spellings stored */
    uint64_t bytes;
    char sha256[65];
} rk_gazetteer_result;

/* Imports a gazetteer file in one transaction (all or nothing) with a "gazetteer" event; it
 * replaces the project's gazetteer. A row without a region is an error at its file:line:column. */
int rk_ingest_gazetteer(rk_gazetteer_result *out, rk_store *st, const char *path,
                        const rk_gazetteer_options *opts);

#ifdef __cplusplus
}
#endif

#endif
