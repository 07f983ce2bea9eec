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
typedef struct rp_strings {
    char **str; /* str[id], str[0] unused */
    size_t n, cap;
    uint32_t *slots; /* open addressing: ids, 0 empty */
    size_t nslots;
} rp_strings;

/* ---- documented persons ------------------------------------------------------------------ */

enum { RP_AGE_UNKNOWN = 0, RP_AGE_CHILD = 1, RP_AGE_ADULT = 2, RP_AGE_ELDERLY = 3 };
#define RP_MAX_LISTS 64

/* One documented person: the values chosen from its records (majority; ties: the first list,
 * then the first record) and the lists that name it. */
typedef struct rp_person {
    uint64_t lists; /* bit i: the list of index i in rp_persons.list_ids */
    uint32_t category;
    char sex;       /* 'F', 'M' or 0 */
    uint8_t age;    /* RP_AGE_* */
    uint32_t *vals; /* [nfields] ids in rp_persons.strings, into rp_persons.valbuf */
} rp_person;

typedef struct rp_persons {
    int64_t run_id; /* 0: no link run, each record is a person */
    int64_t records;
    rk_link_documented documented; /* the project's figures, read with the persons */
    rp_person *p;
    size_t n, cap;
    uint32_t *valbuf;
    size_t valcap;
    rp_strings strings; /* categories and field values */
    size_t nfields;
    char **fields;     /* stratum field names */
    int64_t *list_ids; /* list of each bit, by id */
    char **list_names;
    size_t nlists;
    bool lists_overflow; /* more than RP_MAX_LISTS lists: patterns not tracked */
} rp_persons;

/* Is `name` a field a stratum may name ([A-Za-z0-9_], at most 64 bytes)? */
bool rp_field_name_ok(const char *name);

/* Tabulates the documented persons of the latest link run (or the current records) with the
 * values of `fields` (stratum fields, e.g. "region"). */
int rp_persons_load(rp_persons *out, rk_store *st, const rk_count_options *opts,
                    const char *const *fields, size_t nfields);
void rp_persons_release(rp_persons *ps);

/* A selection of persons: category class (NULL: any), group (NULL: all), and stratum. */
typedef struct rp_select {
    const char *category;
    const char *group;
    const char *const *fields; /* names, each one of the fields given to rp_persons_load */
    const char *const *values;
    size_t nstratum;
} rp_select;
int64_t rp_persons_count(const rp_persons *ps, const rp_select *sel);
/* Index of a field loaded into ps, or -1. */
int rp_persons_field(const rp_persons *ps, const char *name);

/* ---- JSON writing ------------------------------------------------------------------------ */

/* Appends JSON to a buffer with commas placed by nesting; errors are sticky in `rc`. */
typedef struct rp_json {
    rk_buf *b;
    int rc;
    int depth;
    bool need_comma[64];
} rp_json;

void rp_json_init(rp_json *j, rk_buf *b);
void rp_json_key(rp_json *j, const char *key);
void rp_json_obj(rp_json *j);
void rp_json_obj_end(rp_json *j);
void rp_json_arr(rp_json *j);
void rp_json_arr_end(rp_json *j);
void rp_json_str(rp_json *j, const char *s); /* NULL: null */
void rp_json_int(rp_json *j, int64_t v);
void rp_json_num(rp_json *j, double v); /* not finite: null */
void rp_json_bool(rp_json *j, bool v);
void rp_json_null(rp_json *j);
/* Embeds text that SQLite's json() has validated (NULL: null). */
void rp_json_raw(rp_json *j, const char *json);

/* ---- SVG charts -------------------------------------------------------------------------- */

/* Every chart is a <figure> with an <svg role="img"> holding <title> and <desc> (the text
 * alternative) and a visible caption; all text passes through rk_html_escape. */
typedef struct rp_chart {
    const char *title;
    const char *xlabel;
    const char *ylabel;
    const char *alt; /* the text alternative: what the chart shows, in words */
} rp_chart;

/* Horizontal bars, one per label. */
int rp_chart_bars(rk_buf *b, const rp_chart *c, const char *const *labels, const double *values,
                  size_t n);
/* A histogram over bins [edges[i], edges[i+1]); a dashed vertical marker at `marker` unless
 * NaN, labelled marker_label. */
int rp_chart_histogram(rk_buf *b, const rp_chart *c, const double *edges, const double *counts,
                       size_t nbins, double marker, const char *marker_label);
/* Extra points per row of an interval chart: `mark` as a hollow square (e.g. the documented
 * count), `mark2` as a filled diamond (e.g. a claimed figure); arrays may be NULL, values NaN. */
typedef struct rp_marks {
    const double *mark;
    const char *mark_label;
    const double *mark2;
    const char *mark2_label;
} rp_marks;
/* Points with intervals, one row per label (a forest plot), with optional marks. */
int rp_chart_intervals(rk_buf *b, const rp_chart *c, const char *const *labels, const double *est,
                       const double *lo, const double *hi, size_t n, const rp_marks *marks);
/* A line through y[0..n) against its index (a trace). */
int rp_chart_line(rk_buf *b, const rp_chart *c, const double *y, size_t n);
/* An UpSet-style chart: bars of counts per capture pattern, and below them a matrix of dots
 * (filled where the pattern includes the list). */
int rp_chart_upset(rk_buf *b, const rp_chart *c, const char *const *list_names, size_t nlists,
                   const uint64_t *patterns, const double *counts, size_t npatterns);

/* Formats a number for display with thousands separators (1,275) or one decimal. */
void rp_fmt_num(char *out, size_t outsz, double v);

/* ---- strata -------------------------------------------------------------------------------- */

/* The stratum as JSON that SQLite has validated (for rp_json_raw), NULL when it is not JSON. */
#define RP_STRATUM_JSON_SQL "CASE WHEN json_valid(stratum) THEN json(stratum) END"

/* ---- the report writer ------------------------------------------------------------------- */

typedef struct rp_report {
    rk_store *st;
    sqlite3 *db;
    rk_ctx *ctx;
    const rk_report_options *opts;
    rk_buf *html;
    rp_json json;
    int rc; /* sticky error of the HTML side */
    rp_persons persons;
    rk_claim_row *claims;
    size_t nclaims;
    rk_link_documented basis;
    sqlite3_stmt *stratum; /* rp_stratum_read's query, prepared on first use */
} rp_report;

/* Appends to the HTML: the format (a literal: the markup) with its arguments as printf, every
 * %s escaped (see rk_report__html). */
void rp_html(rp_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a data value: escaped, in <bdi>, cut (see rk_html_escape_value). NULL writes nothing. */
void rp_value(rp_report *r, const char *s);
/* Appends an SVG chart built by one of rp_chart_*. */
void rp_chart_rc(rp_report *r, int rc);
/* Runs a query of one integer result (0 when none or on error; sets r->rc on error). */
int64_t rp_query_int(rp_report *r, const char *sql);
/* Does the table hold any row? */
bool rp_has_rows(rp_report *r, const char *table);
/* Sets r->rc from a failed SQLite call. */
void rp_sqlerr(rp_report *r, const char *what);

/* The label (RK_ESTIMATE_STRATUM_LABEL_SQL) and validated JSON of a stratum given as text, each
 * left empty when NULL; sets r->rc on error. */
void rp_stratum_read(rp_report *r, const char *stratum, rk_buf *label, rk_buf *json);
/* Writes the members "stratum" (the object; text that is not JSON as a string) and
 * "stratum_label" (the label or null) of the JSON report. */
void rp_json_stratum(rp_json *j, const char *stratum, const char *json, const char *label);

/* The sections, each writing its HTML and its member of the JSON object. */
void rp_section_summary(rp_report *r);
void rp_section_lists(rp_report *r);
void rp_section_linkage(rp_report *r);
void rp_section_estimates(rp_report *r);
void rp_section_claims(rp_report *r);
void rp_section_provenance(rp_report *r);

/* The stratum fields the claims name (at most max, each freed by the caller). */
int rp_claim_fields(rk_store *st, char **fields, size_t max, size_t *n);
/* rk_claim_list over persons already loaded (with every field rp_claim_fields names). */
int rp_claims_with(rk_claim_row **out, size_t *n, rk_store *st, const rp_persons *ps,
                   bool include_removed);

#endif
