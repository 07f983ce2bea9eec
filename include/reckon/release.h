/* The pseudonymized release bundle (docs/release.md): the report, the estimates, the captures,
 * the counts and the replicates of a project, with names and exact dates left out, ids replaced
 * by keyed hashes, places coarsened to regions and small cells suppressed, under a manifest of
 * SHA-256 digests signed with Ed25519; and the check of such a bundle.
 *
 * Ownership: the options' strings are borrowed; the results are filled into structs the caller
 * owns and nothing is left to free. */
#ifndef RECKON_RELEASE_H
#define RECKON_RELEASE_H

#include <stdbool.h>
#include <stdint.h>

#include "reckon/core.h"
#include "reckon/store.h"
#include "reckon/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a release holds of it and where its keys are. Set with RK_RELEASE_OPTIONS_INIT. */
typedef struct rk_release_options {
    int version;                  /* RK_RELEASE_OPTIONS_VERSION */
    const char *key_file;         /* the HMAC key of the pseudonyms (required; made when missing) */
    const char *signing_key_file; /* the Ed25519 secret key (required; made when missing) */
    rk_report_dates dates;        /* RK_REPORT_DATES_YEAR or RK_REPORT_DATES_MONTH */
    int64_t min_cell;             /* a cell of fewer persons (but some) is suppressed; >= 1 */
    const char *by;               /* the stratum fields of the captures, counts and replicates:
                                     region, sex, violation, age_group, year (month with dates by
                                     month); NULL: region,sex */
    const char *age_groups;       /* with age_group: as estimate's --age-groups */
    size_t imputations;           /* replicate files (>= 1) */
    uint64_t seed;                /* of the imputations, as estimate's --seed */
    rk_count_options counts;      /* of the report */
} rk_release_options;

#define RK_RELEASE_OPTIONS_VERSION 1
#define RK_RELEASE_OPTIONS_INIT                                                                    \
    {                                                                                              \
        .version = RK_RELEASE_OPTIONS_VERSION, .dates = RK_REPORT_DATES_YEAR, .min_cell = 5,       \
        .imputations = 20, .seed = 1, .counts = RK_COUNT_OPTIONS_INIT                              \
    }

/* What a release wrote. */
typedef struct rk_release_info {
    size_t files;               /* files under the manifest */
    int64_t suppressed_cells;   /* counts and estimates whose figures were suppressed */
    int64_t suppressed_rows;    /* rows of captures and replicates whose stratum values were */
    int64_t estimates_left_out; /* estimates of strata finer than the release allows */
    bool key_created, signing_key_created;
    char public_key[65]; /* the signing key's public half, hex */
} rk_release_info;

/* Writes the bundle into the new directory `dir` (refused when it exists): written into a
 * temporary directory beside it (0700, files 0600) and renamed at the end; on failure nothing
 * is left. Needs a link run. */
int rk_release_write(rk_release_info *out, rk_store *st, const char *dir,
                     const rk_release_options *opts);

/* What a check of a bundle found. */
typedef struct rk_release_check {
    size_t files;        /* files the manifest lists */
    char public_key[65]; /* the key the manifest is signed with, hex */
    char bad[256];       /* the first file that differs ("" when none) */
} rk_release_check;

/* Checks the bundle in `dir`: the manifest against its signature file, every file against its
 * digest in the manifest (a file missing or not listed differs too), then the signature with the
 * bundle's public key, which must equal `expect_public` (hex) when that is not NULL. RK_OK when
 * all hold; else RK_EINPUT with out->bad naming the first file that differs and a message. */
int rk_release_verify(rk_release_check *out, rk_ctx *ctx, const char *dir,
                      const char *expect_public);

#ifdef __cplusplus
}
#endif

#endif
