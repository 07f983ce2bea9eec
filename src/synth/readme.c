/* What a `reckon synth` run says about itself once its people are written: DIR/mapping.ini
 * (each list's columns, for `reckon import`) and DIR/README.txt (the truth, how the lists
 * capture people by class, region and dependence, which fields each list records, and the
 * commands that import the lists and estimate by region). */
#include "synth_run.h"

#define CLASS_SHARE_TEXT "50%, 35%, 15%" /* as drawn in synth_person_make */

/* The list's column of the age or birth and what it holds, or "no age or birth date". */
static int age_text(rk_buf *b, const synth_layout *L)
{
    if (!L->col_birth)
        return rk_buf_puts(b, "no age or birth date");
    const char *what = L->date_style == DATE_AGE    ? "age"
                       : L->date_style == DATE_YEAR ? "birth year"
                                                    : "birth date";
    return rk_buf_printf(b, "%s '%s'", what, L->col_birth);
}

static int place_text(rk_buf *b, const synth_layout *L)
{
    if (L->col_region && L->col_place)
        return rk_buf_printf(b, "region '%s' and place '%s'", L->col_region, L->col_place);
    if (L->col_region)
        return rk_buf_printf(b, "region '%s', no place", L->col_region);
    if (L->col_place)
        return rk_buf_printf(b, "place '%s' only (the gazetteer gives its region)", L->col_place);
    return rk_buf_puts(b, "no region or place");
}

/* The names of the lists without a region and place (place) or without an age (!place), then
 * the note when there are some, or "none.". */
static int lists_without(rk_buf *b, const synth_run *st, bool place, const char *note)
{
    int rc = RK_OK, n = 0;
    for (unsigned li = 0; li < st->k; li++) {
        const synth_layout *L = st->lists[li].L;
        if (place ? (!L->col_region && !L->col_place) : !L->col_birth)
            rc |= rk_buf_printf(b, "%s%s", n++ ? ", " : "", st->lists[li].name);
    }
    return rc | rk_buf_puts(b, n ? note : "none.\n");
}

/* When some lists record no region or place, the estimate over the others. */
static int with_region_command(rk_buf *b, const synth_run *st)
{
    unsigned with = 0;
    for (unsigned li = 0; li < st->k; li++)
        with += st->lists[li].L->col_region || st->lists[li].L->col_place;
    if (with == st->k || with < 2)
        return RK_OK;
    int rc = rk_buf_puts(b, "  reckon estimate synth.rkp --by region --lists ");
    for (unsigned li = 0, n = 0; li < st->k; li++)
        if (st->lists[li].L->col_region || st->lists[li].L->col_place)
            rc |= rk_buf_printf(b, "%s%s", n++ ? "," : "", st->lists[li].name);
    return rc | rk_buf_puts(b, "\n\nThe first estimate may refuse the regions' strata: people "
                               "whom only a list\nwithout a region names have no region (they "
                               "count as documented only). The second\nleaves those lists "
                               "out.\n");
}

static int lists_table(rk_buf *b, const synth_run *st)
{
    const rk_synth_summary *s = st->sum;
    int rc = rk_buf_puts(b, "list              records  capture by class (0, 1, 2)  dependence\n");
    for (unsigned li = 0; li < st->k; li++) {
        const synth_list_out *lo = &st->lists[li];
        rc |= rk_buf_printf(b, "%-16s %8llu  %.3f %.3f %.3f", lo->name,
                            (unsigned long long)s->list_records[li], lo->capture[0], lo->capture[1],
                            lo->capture[2]);
        int dep = lo->L->depends_on;
        if (dep >= 0 && (unsigned)dep < li)
            rc |= rk_buf_printf(b, "        odds x%.2f if on %s", lo->L->dependence,
                                st->lists[dep].name);
        rc |= rk_buf_printf(b, "\n    %s; %s\n    ", lo->L->description, lo->L->encoding);
        rc |= place_text(b, lo->L);
        rc |= rk_buf_puts(b, "; ");
        rc |= age_text(b, lo->L);
        rc |= rk_buf_putc(b, '\n');
    }
    rc |= rk_buf_puts(b, "\nLists without a region or a place: ");
    rc |= lists_without(b, st, true, " (their people on no other list have no region).\n");
    rc |= rk_buf_puts(b, "Lists without an age or a birth date: ");
    return rc | lists_without(b, st, false, ".\n");
}

static int column_width(const synth_run *st, unsigned li)
{
    size_t n = strlen(st->lists[li].name);
    return n > 9 ? (int)n : 9;
}

/* Each region's true size and each list's odds of capture there. */
static int regions_table(rk_buf *b, const synth_run *st)
{
    int rc = rk_buf_puts(b, "\nRegions (gazetteer.csv; truth_regions.csv has the same true "
                            "numbers), with the factor by\nwhich each list multiplies the odds of "
                            "capture there:\n\nregion              people");
    for (unsigned li = 0; li < st->k; li++)
        rc |= rk_buf_printf(b, " %*s", column_width(st, li), st->lists[li].name);
    rc |= rk_buf_putc(b, '\n');
    for (size_t i = 0; i < st->nregions; i++) {
        const synth_place *rg = synth_run_region(st, i);
        rc |= rk_buf_printf(b, "%-16s %9llu", rg->name, (unsigned long long)st->region_people[i]);
        for (unsigned li = 0; li < st->k; li++)
            rc |= rk_buf_printf(b, " %*.2f", column_width(st, li),
                                synth_capture_odds(st->lists[li].L, rg->zone));
        rc |= rk_buf_putc(b, '\n');
    }
    return rc;
}

/* Which of the run's regions and places are invented. */
static const char *places_text(const synth_run *st)
{
    bool invented = false, real = false;
    for (size_t g = 0; g < st->ngroups; g++) {
        invented |= st->groups[g] == &synth_places_caucasus;
        real |= st->groups[g] != &synth_places_caucasus;
    }
    return !real      ? ", and so are the regions and places"
           : invented ? ", and so are the Caucasus regions and places (the others are real)"
                      : "; the regions and places are real";
}

static int write_readme(synth_run *st, const rk_synth_options *o, rk_buf *b)
{
    const rk_synth_summary *s = st->sum;
    int rc = rk_buf_printf(b,
                           "Synthetic lists of victims made by reckon %s (`reckon synth`).\n"
                           "Every person, name and event in them is invented%s.\n\n"
                           "scenario: %s\nseed: %llu\nlists: %u\n"
                           "true total (people): %llu\n"
                           "people on at least one list: %llu\n"
                           "people captured by no list: %llu\n"
                           "records written: %llu (of which %llu repeat a person already in the "
                           "same list)\n\n",
                           RK_VERSION, places_text(st), o->scenario, (unsigned long long)o->seed,
                           st->k, (unsigned long long)s->people, (unsigned long long)s->captured,
                           (unsigned long long)(s->people - s->captured),
                           (unsigned long long)s->records, (unsigned long long)s->duplicates);
    rc |= rk_buf_puts(b, "How it was made: each person belongs to a latent class of visibility\n"
                         "(shares " CLASS_SHARE_TEXT ") and lives in a region (sizes below). Each "
                         "list captures a\nperson with a probability that depends on the class "
                         "and on the region (a list is\nstrong in some regions and weak in "
                         "others), and some lists depend on others (odds\nmultiplied when the "
                         "person is on the other list). Captured people are written in the\n"
                         "list's own layout, script and date format, with typing or OCR errors, "
                         "missing values,\npartial dates and repeated records; regions and places "
                         "in the list's own script and\nspelling, each of which the gazetteer "
                         "finds by folding.\n\n");
    rc |= lists_table(b, st);
    rc |= regions_table(b, st);
    rc |= rk_buf_puts(b, "\nTo import the lists, link them, estimate by region and compare with\n"
                         "truth_regions.csv (in this directory, with reckon on the PATH; every "
                         "value reads\nby mapping.ini as written, so no --lenient is needed):\n\n"
                         "  reckon init synth.rkp\n"
                         "  reckon import synth.rkp --map mapping.ini\n"
                         "  reckon gazetteer synth.rkp gazetteer.csv --region-column region "
                         "--place-column place\n"
                         "  reckon link synth.rkp\n"
                         "  reckon evaluate synth.rkp --truth truth.csv\n"
                         "  reckon estimate synth.rkp --by region\n");
    rc |= with_region_command(b, st);
    rc |= rk_buf_puts(b, "\nFiles: <list>.csv per list; mapping.ini (their columns); gazetteer.csv "
                         "(a row per\nregion, then per place: its region, its canonical name and "
                         "its spellings in other\nscripts); truth.csv (record_key,person_id, with "
                         "record_key = LIST:ID from the list's\nown id column); truth_regions.csv "
                         "(region,persons: the true number of people per\nregion, named as in "
                         "the gazetteer).\n");
    return rc;
}

int synth_write_readme_and_mapping(synth_run *st, const rk_synth_options *o)
{
    rk_buf b;
    rk_buf_init(&b);
    int rc = RK_OK;
    rc |= rk_buf_puts(&b, "# Column mappings of the synthetic lists, for `reckon import`.\n"
                          "# Written by `reckon synth`; see docs/synth.md.\n\n");
    for (unsigned li = 0; li < st->k; li++) {
        char file[64];
        snprintf(file, sizeof(file), "%s.%s", st->lists[li].name,
                 st->lists[li].xlsx ? "xlsx" : "csv");
        rc |= synth_write_mapping(&b, st->lists[li].L, st->lists[li].name, file);
    }
    if (rc != RK_OK) {
        rc = rk_error_set(st->ctx, RK_ENOMEM, "out of memory writing mapping.ini");
        goto cleanup;
    }
    if ((rc = synth_write_file(&st->made, "mapping.ini", &b)) != RK_OK)
        goto cleanup;
    rk_buf_clear(&b);
    if (write_readme(st, o, &b) != RK_OK) {
        rc = rk_error_set(st->ctx, RK_ENOMEM, "out of memory writing README.txt");
        goto cleanup;
    }
    rc = synth_write_file(&st->made, "README.txt", &b);
cleanup:
    rk_buf_release(&b);
    return rc;
}
