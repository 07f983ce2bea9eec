/* The gazetteer beside the synthetic lists, in the layout `reckon gazetteer` imports
 * (src/ingest/gazetteer.c): a row per region, then a row per place, each with its region,
 * its canonical name (place empty for a region) and its spellings in other scripts, as
 * OCHA's ADM1_EN, ADM1_AR, ... columns; and truth_regions.csv, the true number of people per
 * region under the same canonical names. */
#include "synth_run.h"

enum { SPELL_LOCAL, SPELL_RU, SPELL_HY, SPELL_FR, SPELL_SR, SPELL_SR_CYRL, SPELL_SR_PLAIN };

/* The spelling columns, in order; a column is written when some region or place fills it. */
static const struct {
    const char *header;
    int spelling;
} columns[] = {
    {"name_az", SPELL_LOCAL},        {"name_es", SPELL_LOCAL},
    {"name_ar", SPELL_LOCAL},        {"name_ru", SPELL_RU},
    {"name_hy", SPELL_HY},           {"name_fr", SPELL_FR},
    {"name_sq", SPELL_LOCAL},        {"name_sr", SPELL_SR},
    {"name_sr_cyrl", SPELL_SR_CYRL}, {"name_sr_plain", SPELL_SR_PLAIN},
};

/* The spelling of a region or place in a column, or NULL; scratch holds a computed one (the
 * Serbian name in plain letters, Pec for Peć, where it differs). */
static const char *spelling(rk_buf *scratch, size_t col, const synth_places *g,
                            const synth_place *pl)
{
    switch (columns[col].spelling) {
    case SPELL_LOCAL:
        return strcmp(g->local_column, columns[col].header) == 0 ? pl->local : NULL;
    case SPELL_RU:
        return pl->ru;
    case SPELL_HY:
        return pl->hy;
    case SPELL_SR:
        return pl->sr;
    case SPELL_SR_CYRL:
        return pl->sr_cyrl;
    case SPELL_SR_PLAIN:
        rk_buf_clear(scratch);
        if (!pl->sr || synth_plain_letters(scratch, pl->sr, true) != RK_OK)
            return NULL;
        return strcmp(rk_buf_cstr(scratch), pl->sr) != 0 ? rk_buf_cstr(scratch) : NULL;
    default:
        return pl->fr;
    }
}

static bool column_used(rk_buf *scratch, size_t col, const synth_places *const *groups,
                        size_t ngroups)
{
    for (size_t k = 0; k < ngroups; k++) {
        const synth_places *g = groups[k];
        for (size_t i = 0; i < g->nregions; i++)
            if (spelling(scratch, col, g, &g->regions[i]))
                return true;
        for (size_t i = 0; i < g->nplaces; i++)
            if (spelling(scratch, col, g, &g->places[i]))
                return true;
    }
    return false;
}

/* One CSV field, quoted when it holds a comma, a quote or a line break. */
static int field(rk_buf *out, const char *s, bool first)
{
    int rc = first ? RK_OK : rk_buf_putc(out, ',');
    if (!s || !strpbrk(s, ",\"\n\r"))
        return rc | (s ? rk_buf_puts(out, s) : RK_OK);
    rc |= rk_buf_putc(out, '"');
    for (; *s; s++)
        rc |= *s == '"' ? rk_buf_puts(out, "\"\"") : rk_buf_putc(out, *s);
    return rc | rk_buf_putc(out, '"');
}

static int row(rk_buf *out, rk_buf *scratch, const bool *used, const synth_places *g,
               const synth_place *region, const synth_place *place)
{
    int rc = field(out, region->name, true);
    rc |= field(out, place ? place->name : "", false);
    for (size_t c = 0; c < RK_ARRAY_LEN(columns); c++)
        if (used[c])
            rc |= field(out, spelling(scratch, c, g, place ? place : region), false);
    return rc | rk_buf_putc(out, '\n');
}

int synth_write_gazetteer(rk_buf *out, const synth_places *const *groups, size_t ngroups)
{
    bool used[RK_ARRAY_LEN(columns)];
    rk_buf scratch;
    rk_buf_init(&scratch);
    int rc = rk_buf_puts(out, "region,place");
    for (size_t c = 0; c < RK_ARRAY_LEN(columns); c++)
        if ((used[c] = column_used(&scratch, c, groups, ngroups)))
            rc |= rk_buf_printf(out, ",%s", columns[c].header);
    rc |= rk_buf_putc(out, '\n');
    for (size_t k = 0; k < ngroups; k++)
        for (size_t i = 0; i < groups[k]->nregions; i++)
            rc |= row(out, &scratch, used, groups[k], &groups[k]->regions[i], NULL);
    for (size_t k = 0; k < ngroups; k++)
        for (size_t i = 0; i < groups[k]->nplaces; i++) {
            const synth_place *pl = &groups[k]->places[i];
            rc |= row(out, &scratch, used, groups[k], &groups[k]->regions[pl->region], pl);
        }
    rk_buf_release(&scratch);
    return rc ? RK_ENOMEM : RK_OK;
}

int synth_write_truth_regions(rk_buf *out, const synth_run *st)
{
    int rc = rk_buf_puts(out, "region,persons\n");
    for (size_t i = 0; i < st->nregions; i++) {
        rc |= field(out, synth_run_region(st, i)->name, true);
        rc |= rk_buf_printf(out, ",%llu\n", (unsigned long long)st->region_people[i]);
    }
    return rc ? RK_ENOMEM : RK_OK;
}
