/* reckon synth: synthetic lists of victims with known truth, for testing linkage and
 * estimation. A scenario (names, scripts, places, list layouts) and a seed determine every
 * byte written; the files go to a directory: one CSV per list, mapping.ini, gazetteer.csv,
 * truth.csv, truth_regions.csv and README.txt.
 *
 * Ownership: nothing is allocated for the caller; the summary is the caller's struct. */
#ifndef RECKON_SYNTH_H
#define RECKON_SYNTH_H

#include "reckon/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RK_SYNTH_MAX_LISTS 12

typedef struct rk_synth_options {
    unsigned version;
    const char *scenario; /* "caucasus", "spanish", "arabic", "mixed" or "balkans" */
    uint64_t people;      /* true number of victims, captured or not */
    unsigned lists;       /* 2 to RK_SYNTH_MAX_LISTS */
    uint64_t seed;
    const char *out_dir;     /* created if missing; files in it are replaced */
    const char *spreadsheet; /* NULL: each list as its scenario keeps it (balkans: two lists
                                as .xlsx, the others CSV); "csv" or "xlsx": every list so */
} rk_synth_options;

#define RK_SYNTH_OPTIONS_VERSION 1
#define RK_SYNTH_OPTIONS_INIT                                                                      \
    {                                                                                              \
        .version = RK_SYNTH_OPTIONS_VERSION, .scenario = "caucasus", .people = 10000, .lists = 4,  \
        .seed = 1, .out_dir = NULL                                                                 \
    }

typedef struct rk_synth_summary {
    uint64_t people;     /* the true total */
    uint64_t captured;   /* people on at least one list */
    uint64_t records;    /* rows written, duplicates included */
    uint64_t duplicates; /* rows that repeat a person already in the same list */
    unsigned lists;
    char list_name[RK_SYNTH_MAX_LISTS][32];
    uint64_t list_records[RK_SYNTH_MAX_LISTS];
} rk_synth_summary;

/* The scenario names, NULL-terminated. */
const char *const *rk_synth_scenarios(void);

/* Writes the lists, mapping.ini, gazetteer.csv, truth.csv, truth_regions.csv and README.txt
 * into opts->out_dir. */
int rk_synth_run(rk_synth_summary *out, rk_ctx *ctx, const rk_synth_options *opts);

/* Febrl-like person files (`reckon synth --scenario febrl`, src/synth/febrl.c): a.csv and b.csv
 * of `records` rows each in the columns of the Febrl benchmark files (rec_id, given_name,
 * surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth,
 * soc_sec_id), where `pairs` people of a.csv are in b.csv once more, changed by 1 to
 * max_errors modifications of the kinds below, drawn with the given relative weights; plus
 * truth.csv (record_key,person_id) and mapping.ini. Streamed: memory does not grow with the
 * number of records. */
enum {
    RK_FEBRL_TYPO,     /* a letter inserted, deleted, replaced by a keyboard neighbour, or two
                          swapped; a digit changed in a number */
    RK_FEBRL_OCR,      /* a look-alike confusion (m/rn, o/0, l/1, s/5) */
    RK_FEBRL_PHONETIC, /* a spelling of the same sound (ph/f, c/k, mac/mc, a doubled letter) */
    RK_FEBRL_MISSING,  /* a value left empty */
    RK_FEBRL_SWAP,     /* given name and surname swapped */
    RK_FEBRL_POSTCODE, /* one digit of the postcode changed */
    RK_FEBRL_DATE,     /* day and month of the birth date swapped, or one digit changed */
    RK_FEBRL_NKINDS
};

typedef struct rk_synth_febrl_options {
    unsigned version;
    uint64_t records; /* rows of each file, 1 to 100000000 */
    uint64_t pairs;   /* people in both files, at most records */
    uint64_t seed;
    const char *out_dir;            /* created if missing; files in it are replaced */
    unsigned max_errors;            /* modifications of a duplicate: 1 to max_errors, uniform */
    double weight[RK_FEBRL_NKINDS]; /* relative weights of the kinds, >= 0, not all zero */
} rk_synth_febrl_options;

#define RK_SYNTH_FEBRL_OPTIONS_VERSION 1
#define RK_SYNTH_FEBRL_OPTIONS_INIT                                                                \
    {                                                                                              \
        .version = RK_SYNTH_FEBRL_OPTIONS_VERSION, .records = 10000, .pairs = 5000, .seed = 1,     \
        .max_errors = 3, .weight = {                                                               \
            0.35,                                                                                  \
            0.1,                                                                                   \
            0.15,                                                                                  \
            0.15,                                                                                  \
            0.05,                                                                                  \
            0.1,                                                                                   \
            0.1                                                                                    \
        }                                                                                          \
    }

typedef struct rk_synth_febrl_summary {
    uint64_t records_a, records_b, pairs;
    uint64_t errors[RK_FEBRL_NKINDS]; /* modifications made, by kind */
} rk_synth_febrl_summary;

/* The name of a kind of modification ("typo", "ocr", ...), NULL past the last. */
const char *rk_synth_febrl_kind(int kind);

/* Writes a.csv, b.csv, truth.csv and mapping.ini into opts->out_dir. */
int rk_synth_febrl(rk_synth_febrl_summary *out, rk_ctx *ctx, const rk_synth_febrl_options *opts);

#ifdef __cplusplus
}
#endif

#endif
