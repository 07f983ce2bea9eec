/* Private to src/report: the tabulation of documented persons, the JSON writer, the SVG chart
 * module and the report writer's state shared by the section files. */
#ifndef RK_REPORT_PRIVATE_H
#define RK_REPORT_PRIVATE_H

#include "common.h"
#include "report_internal.h"
#include "estimate/estimate_internal.h"
#include "store/store_internal.h"

#include <math.h>
#include <sqlite3.h>

/* ---- interned strings -------------------------------------------------------------------- */

/* A set of strings, each with a dense id from 1 (0 is "no value"). */
typedef struct report_strings {
    char **str; /* str[id], str[0] unused */
    size_t n, cap;
    uint32_t *slots; /* open addressing: ids, 0 empty */
    size_t nslots;
} report_strings;

/* ---- documented persons ------------------------------------------------------------------ */

enum { RP_AGE_UNKNOWN = 0, RP_AGE_CHILD = 1, RP_AGE_ADULT = 2, RP_AGE_ELDERLY = 3 };
#define RP_MAX_LISTS 64

/* One documented person: the values chosen from its records (majority; ties: the first list,
 * then the first record) and the lists that name it. */
typedef struct report_person {
    uint64_t lists; /* bit i: the list of index i in report_persons.list_ids */
    uint32_t category;
    char sex;       /* 'F', 'M' or 0 */
    uint8_t age;    /* RP_AGE_* */
    uint32_t *vals; /* [nfields] ids in report_persons.strings, into report_persons.valbuf */
} report_person;

typedef struct report_persons {
    int64_t run_id; /* 0: no link run, each record is a person */
    int64_t records;
    rk_link_documented documented; /* the project's figures, read with the persons */
    report_person *p;
    size_t n, cap;
    uint32_t *valbuf;
    size_t valcap;
    report_strings strings; /* categories and field values */
    size_t nfields;
    char **fields;     /* stratum field names */
    int64_t *list_ids; /* list of each bit, by id */
    char **list_names;
    size_t nlists;
    bool lists_overflow; /* more than RP_MAX_LISTS lists: patterns not tracked */
    /* region and place values are kept as rk_text_stratum_key gives them, so that spellings
     * and scripts of one place, and the gazetteer's names, compare as estimates' strata do */
    rk_text *text;
    rk_gazetteer *gaz;
} report_persons;

/* Is `name` a field a stratum may name ([A-Za-z0-9_], at most 64 bytes)? */
bool report_field_name_ok(const char *name);

/* Tabulates the documented persons of the latest link run (or the current records) with the
 * values of `fields` (stratum fields, e.g. "region"). */
int report_persons_load(report_persons *out, rk_store *st, const rk_count_options *opts,
                        const char *const *fields, size_t nfields);
void report_persons_release(report_persons *ps);
/* A value of field `field` as the loaded persons keep it (region and place: their stratum key,
 * rk_text_stratum_key; others as they are), into out. */
int report_persons_key(rk_buf *out, const report_persons *ps, const char *field, const char *value);

/* A selection of persons: category class (NULL: any), group (NULL: all), and stratum. */
typedef struct report_select {
    const char *category;
    const char *group;
    const char *const *fields; /* names, each one of the fields given to report_persons_load */
    const char *const *values;
    size_t nstratum;
} report_select;
int64_t report_persons_count(const report_persons *ps, const report_select *sel);
/* Index of a field loaded into ps, or -1. */
int report_persons_field(const report_persons *ps, const char *name);

/* ---- JSON writing ------------------------------------------------------------------------ */

/* Appends JSON to a buffer with commas placed by nesting; errors are sticky in `rc`. */
typedef struct report_json {
    rk_buf *b;
    int rc;
    int depth;
    bool need_comma[64];
} report_json;

void report_json_init(report_json *j, rk_buf *b);
void report_json_key(report_json *j, const char *key);
void report_json_obj(report_json *j);
void report_json_obj_end(report_json *j);
void report_json_arr(report_json *j);
void report_json_arr_end(report_json *j);
void report_json_str(report_json *j, const char *s); /* NULL: null */
void report_json_int(report_json *j, int64_t v);
void report_json_num(report_json *j, double v); /* not finite: null */
void report_json_bool(report_json *j, bool v);
void report_json_null(report_json *j);
/* Embeds text that SQLite's json() has validated (NULL: null). */
void report_json_raw(report_json *j, const char *json);

/* ---- export tables ----------------------------------------------------------------------- */

/* A column of an exported table. */
typedef struct report_column {
    const char *name;
    bool raw; /* embedded as it is in JSON: a number, or JSON text */
} report_column;

/* A table being exported, as CSV or JSON, to a stream; the caller sets fmt, out, columns and
 * ncolumns, initialises b (rk_buf_init) and releases it (rk_buf_release). */
typedef struct report_table {
    rk_format fmt;
    FILE *out;
    rk_buf b;
    int64_t rows;
    const report_column *columns;
    size_t ncolumns;
} report_table;
#define RP_TABLE_MAX_COLUMNS 32 /* of a table written by report_table_query */

/* The header line (CSV) or the opening bracket (JSON). */
int report_table_begin(report_table *w, rk_ctx *ctx);
/* One row: values[c], lens[c] bytes long (lens NULL: each to its NUL), NULL for null; in JSON a
 * value with raw[c] (raw NULL: its column's raw) is embedded as it is, any other as a string. */
int report_table_row(report_table *w, rk_ctx *ctx, const char *const *values, const size_t *lens,
                     const bool *raw);
/* The closing bracket (JSON), and what is left written out. */
int report_table_end(report_table *w, rk_ctx *ctx);
/* The whole table from the rows of s, its columns in order: begin, a row each, end. Integers,
 * reals and the values of raw columns are embedded as they are in JSON. A failed step is the
 * store's error with `what` ("cannot read records"). */
int report_table_query(report_table *w, rk_store *st, sqlite3_stmt *s, const char *what);

/* ---- SVG charts -------------------------------------------------------------------------- */

/* Every chart is a <figure> with an <svg role="img"> holding <title> and <desc> (the text
 * alternative) and a visible caption; all text passes through rk_report_html_escape. */
typedef struct report_chart {
    const char *title;
    const char *xlabel;
    const char *ylabel;
    const char *alt; /* the text alternative: what the chart shows, in words */
} report_chart;

/* Horizontal bars, one per label. */
int report_chart_bars(rk_buf *b, const report_chart *c, const char *const *labels,
                      const double *values, size_t n);
/* A histogram over bins [edges[i], edges[i+1]); a dashed vertical marker at `marker` unless
 * NaN, labelled marker_label. */
int report_chart_histogram(rk_buf *b, const report_chart *c, const double *edges,
                           const double *counts, size_t nbins, double marker,
                           const char *marker_label);
/* Extra points per row of an interval chart: `mark` as a hollow square (e.g. the documented
 * count), `mark2` as a filled diamond (e.g. a claimed figure); arrays may be NULL, values NaN. */
typedef struct report_marks {
    const double *mark;
    const char *mark_label;
    const double *mark2;
    const char *mark2_label;
} report_marks;
/* Points with intervals, one row per label (a forest plot), with optional marks. */
int report_chart_intervals(rk_buf *b, const report_chart *c, const char *const *labels,
                           const double *est, const double *lo, const double *hi, size_t n,
                           const report_marks *marks);
/* A line through y[0..n) against its index (a trace). */
int report_chart_line(rk_buf *b, const report_chart *c, const double *y, size_t n);
/* An UpSet-style chart: bars of counts per capture pattern, and below them a matrix of dots
 * (filled where the pattern includes the list). */
int report_chart_upset(rk_buf *b, const report_chart *c, const char *const *list_names,
                       size_t nlists, const uint64_t *patterns, const double *counts,
                       size_t npatterns);

/* Formats a number for display with thousands separators (1,275) or one decimal. */
void report_fmt_num(char *out, size_t outsz, double v);

/* ---- strata -------------------------------------------------------------------------------- */

/* The stratum as JSON that SQLite has validated (for report_json_raw), NULL when it is not JSON. */
#define RP_STRATUM_JSON_SQL "CASE WHEN json_valid(stratum) THEN json(stratum) END"

/* ---- the headline figure (headline.c) ---------------------------------------------------- */

/* One batch of stored estimates, as the headline reads it (through estimate_internal.h). */
typedef struct report_batch {
    rk_estimate__batch info; /* info.batch is 0 when there is no such batch */
    rk_estimate__stored *rows;
    rk_estimate__detail *details; /* details[i] is of rows[i] */
    size_t n, ndetails;
    rk_estimate__threshold *thresholds;
    size_t nthresholds;
} report_batch;

/* The latest batch (by NULL) or the latest stratified by exactly `by` ("violation"). */
int report_batch_load(report_batch *out, rk_store *st, const char *by);
void report_batch_release(report_batch *b);
/* The end of the rows of the stratum that starts at row lo (rows of one stratum are together,
 * the strata first and the whole, stratum "null", last). */
size_t report_batch_stratum_end(const report_batch *b, size_t lo);

/* How the rule's answer begins when no method qualifies; the reasons follow. */
#define RP_NONE_DEFENDED "No estimate can be defended: "

/* The headline rule's answer for one stratum of a batch (docs/methods.md, "The headline
 * figure"): the row chosen, and why that one or why none, in words. */
typedef struct report_choice {
    long chosen;   /* index into the batch's rows, or -1: no estimate can be defended */
    size_t lo, hi; /* the rows of the stratum */
    rk_buf why;
} report_choice;

/* Applies the rule to the rows [lo, report_batch_stratum_end(b, lo)); release with
 * report_choice_release. */
int report_headline_choose(report_choice *out, const report_batch *b, size_t lo);
void report_choice_release(report_choice *c);
/* Can the row of `method` among the rows [lo, hi) of one stratum be the headline? *idx is its
 * index, or -1 with why not appended to why as a predicate ("was not run", "refused: ...",
 * "gave no finite interval", "did not settle (...)"). */
int report_headline_usable(long *idx, rk_buf *why, const report_batch *b, size_t lo, size_t hi,
                           const char *method);

/* ---- the report writer ------------------------------------------------------------------- */

typedef struct report_report {
    rk_store *st;
    sqlite3 *db;
    rk_ctx *ctx;
    const rk_report_options *opts;
    rk_buf *html;
    report_json json;
    int rc; /* sticky error of the HTML side */
    report_persons persons;
    rk_claim_row *claims;
    size_t nclaims;
    rk_link_documented basis;
    sqlite3_stmt *stratum;             /* report_stratum_read's query, prepared on first use */
    report_batch latest, by_violation; /* the headline's batches, read by the summary */
} report_report;

/* A date or time as the report shows it: as recorded, or in a release's report cut to the month
 * or the year ("1992-12-15" -> "1992"); out holds at least 40 bytes. NULL stays NULL. */
const char *report_date(const report_report *r, char *out, size_t outsz, const char *in);
/* Whether a release's report suppresses a count of n persons (0 < n < min_cell). */
bool report_suppressed(const report_report *r, int64_t n);

/* Appends to the HTML: the format (a literal: the markup) with its arguments as printf, every
 * %s escaped (see rk_report__html). */
void report_html(report_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a data value: escaped, in <bdi>, cut (see rk_report_html_escape_value). NULL writes
 * nothing. */
void report_value(report_report *r, const char *s);
/* Appends an SVG chart built by one of report_chart_*. */
void report_chart_rc(report_report *r, int rc);
/* Runs a query of one integer result (0 when none or on error; sets r->rc on error). */
int64_t report_query_int(report_report *r, const char *sql);
/* Does the table hold any row? */
bool report_has_rows(report_report *r, const char *table);
/* Sets r->rc from a failed SQLite call. */
void report_sqlerr(report_report *r, const char *what);
/* Prepares sql into *out (rk_store__prepare); false, with r->rc set as by report_sqlerr, when it
 * cannot or when the report has failed already. */
bool report_prepare(sqlite3_stmt **out, report_report *r, const char *sql, const char *what);

/* The label (RK_ESTIMATE_STRATUM_LABEL_SQL) and validated JSON of a stratum given as text, each
 * left empty when NULL; sets r->rc on error. */
void report_stratum_read(report_report *r, const char *stratum, rk_buf *label, rk_buf *json);
/* Writes the members "stratum" (the object; text that is not JSON as a string) and
 * "stratum_label" (the label or null) of the JSON report. */
void report_json_stratum(report_json *j, const char *stratum, const char *json, const char *label);

/* The sections, each writing its HTML and its member of the JSON object. */
void report_section_summary(report_report *r);
void report_section_lists(report_report *r);
void report_section_linkage(report_report *r);
void report_section_estimates(report_report *r);
void report_section_claims(report_report *r);
void report_section_provenance(report_report *r);

/* The headline's writers (sec_headline.c): the figure, its checks and the figure per category
 * of violation atop the summary; the table by stratum and by link threshold atop the
 * estimates (and its JSON member "by_stratum"). */
void report_headline_summary(report_report *r);
void report_headline_strata(report_report *r);

/* The stratum fields the claims name (at most max, each freed by the caller). */
int report_claim_fields(rk_store *st, char **fields, size_t max, size_t *n);
/* rk_claim_list over persons already loaded (with every field report_claim_fields names). */
int report_claims_with(rk_claim_row **out, size_t *n, rk_store *st, const report_persons *ps,
                       bool include_removed);

#endif
