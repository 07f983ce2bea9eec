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

#ifdef __cplusplus
}
#endif

#endif
