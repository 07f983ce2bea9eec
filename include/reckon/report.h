/* The report stage: the claims ledger (figures published by others, set beside what the lists
 * document and what the estimates say), documented counts of persons per category, group and
 * stratum, and the self-contained HTML report with its JSON twin.
 *
 * Ownership: rk_claim_list fills an array the caller frees with rk_claim_list_free; strings in
 * option structs are borrowed, never freed by the library. Output goes to streams or buffers
 * the caller owns. */
#ifndef RECKON_REPORT_H
#define RECKON_REPORT_H

#include <stdio.h>

#include "reckon/core.h"
#include "reckon/store.h"
#include "reckon/link.h"
#include "reckon/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- escaping ---------------------------------------------------------------------------- */

/* Appends n bytes of (untrusted) UTF-8 as HTML text, safe in element content and in quoted
 * attribute values: & < > " ' are escaped; bidirectional controls (U+202A-U+202E,
 * U+2066-U+2069, U+200E, U+200F, U+061C) and other control characters are shown as visible
 * "[U+XXXX]" instead of acting; invalid UTF-8 becomes U+FFFD. */
int rk_report_html_escape(rk_buf *b, const char *s, size_t n);

/* The longest piece of one value shown in a report, in bytes. */
#define RK_REPORT_MAX_SHOWN 200

/* Like rk_report_html_escape, for a value from the data (a name, a place): wrapped in <bdi> so that
 * right-to-left text cannot reorder what surrounds it, and cut at RK_REPORT_MAX_SHOWN bytes (at
 * a character boundary) with a visible note of the full length. */
int rk_report_html_escape_value(rk_buf *b, const char *s, size_t n);

/* ---- documented counts ------------------------------------------------------------------- */

/* How records are grouped into documented persons. Versioned: set with RK_COUNT_OPTIONS_INIT. */
typedef struct rk_count_options {
    int version;
    int children_below; /* age at the event below which a person is a child (default 18) */
    int elderly_from;   /* age at the event from which a person is elderly (default 60) */
    int event_year;     /* the year of the events, for ages from a birth year when a record
                           has no death date; 0: such ages are unknown */
} rk_count_options;
#define RK_COUNT_OPTIONS_VERSION 1
#define RK_COUNT_OPTIONS_INIT                                                                      \
    {                                                                                              \
        .version = RK_COUNT_OPTIONS_VERSION, .children_below = 18, .elderly_from = 60,             \
        .event_year = 0                                                                            \
    }

/* The category class of a violation or claim category: lowercased, with synonyms folded
 * (hostage, captured -> detained; missing -> disappeared; dead -> killed; injured -> wounded).
 * Writes at most outsz bytes. */
void rk_report_category_class(char *out, size_t outsz, const char *category);

/* The sex class of a value from a record ("F", "female", "ж", "qadın", "mujer", ... -> 'F';
 * the same for 'M'); 0 when unknown. */
char rk_report_sex_class(const char *value);

/* ---- claims ------------------------------------------------------------------------------ */

/* A claim to add. stratum_fields[i] = stratum_values[i], for i < nstratum. */
typedef struct rk_claim_spec {
    const char *source;   /* who published the figure (required) */
    const char *url;      /* where (optional) */
    const char *date;     /* when (optional, free text, e.g. 1992-04-30) */
    const char *category; /* killed, wounded, detained, disappeared, or any other */
    const char *group;    /* women, men, children, elderly, or NULL */
    const char *const *stratum_fields;
    const char *const *stratum_values;
    size_t nstratum;
    int64_t value; /* the figure, >= 0 */
    const char *note;
} rk_claim_spec;

/* Adds a claim and logs the "claim" event (with the digest of the row). */
int rk_claim_add(int64_t *out, rk_store *st, const rk_claim_spec *spec);
/* Marks a claim removed (sets removed_time; the row stays) and logs "claim-remove". */
int rk_claim_remove(rk_store *st, int64_t id);

/* Where a claimed figure stands. */
typedef enum rk_standing {
    RK_STANDING_UNKNOWN = 0,      /* nothing documented to compare with */
    RK_STANDING_BELOW_DOCUMENTED, /* value < documented */
    RK_STANDING_EQUAL_DOCUMENTED, /* value = documented, no estimate */
    RK_STANDING_ABOVE_DOCUMENTED, /* value > documented, no estimate */
    RK_STANDING_BELOW_LOWER,      /* documented <= value < estimate's lower bound */
    RK_STANDING_WITHIN_INTERVAL,  /* lower <= value <= upper */
    RK_STANDING_ABOVE_INTERVAL    /* value > upper */
} rk_standing;

/* The standing of `value` against `documented` and, when has_interval, [lower, upper]. */
rk_standing rk_claim_standing(int64_t value, int64_t documented, bool has_interval, double lower,
                              double upper);
/* Plain, neutral words for a standing ("below what is documented", ...). */
const char *rk_claim_standing_text(rk_standing s);
/* A stable code for a standing, for JSON and CSV ("below_documented", "within_interval", ...). */
const char *rk_claim_standing_code(rk_standing s);

/* A claim with what the project says about it. */
typedef struct rk_claim_row {
    int64_t id;
    char *source, *url, *date, *category, *group, *stratum, *note, *time, *removed_time;
    char *stratum_label; /* "region: North, sex: F", or NULL */
    int64_t value;
    int64_t documented; /* persons documented in the claim's category, group and stratum */
    bool has_estimate;  /* an estimate with an interval matched the claim */
    int64_t estimate_id;
    char *estimate_method;
    double estimate, lower, upper;
    rk_standing standing;
} rk_claim_row;

/* Every claim (with removed ones when include_removed), each with its documented count,
 * matching estimate and standing; *basis (may be NULL) gets the project's figures the counts
 * were made from (rk_link_documented_count). Free with rk_claim_list_free. */
int rk_claim_list(rk_claim_row **out, size_t *n, rk_link_documented *basis, rk_store *st,
                  const rk_count_options *opts, bool include_removed);
void rk_claim_list_free(rk_claim_row *rows, size_t n);

/* ---- exports ----------------------------------------------------------------------------- */

/* Every claim (removed ones too, with removed_time), as CSV or JSON. */
int rk_export_claims(FILE *out, rk_store *st, rk_format fmt);
/* Every estimate: method, model, stratum, lists, observed, estimate, interval, status, with
 * config and result as JSON text. */
int rk_export_estimates(FILE *out, rk_store *st, rk_format fmt);

/* ---- the report -------------------------------------------------------------------------- */

/* How precisely a report shows dates and times: as recorded, or (a release's report) cut to
 * the month or the year. */
typedef enum rk_report_dates {
    RK_REPORT_DATES_EXACT = 0,
    RK_REPORT_DATES_MONTH = 1,
    RK_REPORT_DATES_YEAR = 2
} rk_report_dates;

typedef struct rk_report_options {
    int version;
    rk_count_options counts;
    const char *title; /* NULL: "reckon report" */
    /* The report's time stamp, ISO 8601 UTC ("1992-04-30T00:00:00Z"), e.g. from
     * SOURCE_DATE_EPOCH. NULL: the time of the project's latest audit event, so that the same
     * project always gives the same bytes. The wall clock is never read. */
    const char *generated;
    /* The release's report (docs/release.md): no project path, no names or record ids (the
     * pairs awaiting review are left out), dates and times cut to `dates`, estimates and claims
     * of strata by place, by a field of the records' own or (dates by year) by month left out,
     * and counts of fewer than min_cell persons (but some) suppressed and marked. */
    bool release;
    rk_report_dates dates;
    int64_t min_cell;
} rk_report_options;
#define RK_REPORT_OPTIONS_VERSION 3
#define RK_REPORT_OPTIONS_INIT                                                                     \
    {                                                                                              \
        .version = RK_REPORT_OPTIONS_VERSION, .counts = RK_COUNT_OPTIONS_INIT, .title = NULL,      \
        .generated = NULL, .release = false, .dates = RK_REPORT_DATES_EXACT, .min_cell = 0         \
    }

/* Writes the report of a project: self-contained HTML to `html` and, when `json` is not NULL,
 * the same figures as one JSON object. */
int rk_report_write(rk_store *st, const rk_report_options *opts, FILE *html, FILE *json);

#ifdef __cplusplus
}
#endif

#endif
