/* The state of one `reckon synth` run, shared by synth.c (people streamed through the lists)
 * and readme.c (what README.txt and mapping.ini say about them). */
#ifndef RK_SYNTH_RUN_H
#define RK_SYNTH_RUN_H

#include "synth_private.h"

#define SYNTH_DUP_QUEUE 4096

/* What one run writes into its directory (synth.c), so that a run that fails removes it all:
 * the files it created or was replacing (partial, or from an earlier run), and the directory
 * when the run made it. */
#define SYNTH_MADE_MAX 40
typedef struct synth_made {
    rk_ctx *ctx;
    const char *dir;
    bool made_dir;
    unsigned n;
    char name[SYNTH_MADE_MAX][64];
} synth_made;

typedef struct synth_pending {
    uint64_t pid, due;
} synth_pending;

typedef struct synth_list_out {
    const synth_layout *L;
    char name[32];
    char path[4096];
    FILE *f;
    synth_xlsx *xlsx; /* the list's workbook instead of f, when it is written as .xlsx */
    char *iobuf;
    double capture[3];
    uint64_t rows;
    synth_pending queue[SYNTH_DUP_QUEUE];
    size_t qhead, qlen;
    uint64_t delay;
} synth_list_out;

typedef struct synth_run {
    rk_ctx *ctx;
    const synth_scenario *sc;
    uint64_t seed;
    synth_list_out *lists;
    unsigned k;
    FILE *truth;
    rk_buf row, truth_row;
    synth_rendered names;
    synth_pool pool; /* where family names come from */
    rk_synth_summary *sum;
    const synth_places *groups[SYNTH_MAX_GROUPS]; /* in the gazetteer's order */
    size_t ngroups, region_base[SYNTH_MAX_GROUPS], nregions;
    uint64_t *region_people; /* the true number of people per region, captured or not */
    synth_made made;
} synth_run;

/* How much list L multiplies the odds of capture in a region at this zone (0 north, 1 south). */
double synth_capture_odds(const synth_layout *L, double zone);
/* The region of index i across the run's groups (gazetteer order). */
const synth_place *synth_run_region(const synth_run *st, size_t i);
/* Makes dir when it is missing (mode 0700) and starts the ledger. */
int synth_made_init(synth_made *m, rk_ctx *ctx, const char *dir);
/* Notes dir/name as written by this run and puts its path in path (pathsz bytes). */
int synth_made_note(synth_made *m, const char *name, char *path, size_t pathsz);
/* After a failure: removes every file noted, then the directory when the run made it. */
void synth_made_discard(const synth_made *m);
/* Writes b into dir/name whole, noting it in m. */
int synth_write_file(synth_made *m, const char *name, const rk_buf *b);
/* Writes DIR/mapping.ini and DIR/README.txt once the people are written (readme.c). */
int synth_write_readme_and_mapping(synth_run *st, const rk_synth_options *o);
/* The gazetteer of the run's groups (gazetteer.c): one row per region, then per place, with
 * its region, canonical name and spellings; and truth_regions.csv from the counts. */
int synth_write_gazetteer(rk_buf *out, const synth_places *const *groups, size_t ngroups);
int synth_write_truth_regions(rk_buf *out, const synth_run *st);

#endif
