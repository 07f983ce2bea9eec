/* The project's gazetteer, read for stratification: every stored spelling of a region or a
 * place folded like a place (rk_text_place_key) into a map from key to region, so that a
 * record's region and place, in any script or spelling, find their region; and the values
 * of the current records that find none, for `reckon lists --problems`. src/ingest/gazetteer.c
 * imports it. */
#include "common.h"
#include "store/store_internal.h"

#include <sqlite3.h>

/* A key and what it names: an index into regions or places; AMBIGUOUS when two differ. */
typedef struct gaz_slot {
    char *key;
    int32_t target;
} gaz_slot;

#define AMBIGUOUS (-1)

typedef struct gaz_map {
    gaz_slot *slots;
    size_t nslots, used;
} gaz_map;

typedef struct gaz_place {
    char *name;
    int32_t region;
} gaz_place;

struct rk_gazetteer {
    rk_ctx *ctx;
    rk_text *text;
    char **regions; /* canonical names */
    size_t nregions, cap_regions;
    gaz_place *places;
    size_t nplaces, cap_places;
    gaz_map region_keys, place_keys;
    rk_buf key; /* scratch */
};

static void map_release(gaz_map *m)
{
    for (size_t i = 0; i < m->nslots; i++)
        rk_free(m->slots[i].key);
    rk_free(m->slots);
}

void rk_gazetteer_free(rk_gazetteer *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nregions; i++)
        rk_free(g->regions[i]);
    rk_free(g->regions);
    for (size_t i = 0; i < g->nplaces; i++)
        rk_free(g->places[i].name);
    rk_free(g->places);
    map_release(&g->region_keys);
    map_release(&g->place_keys);
    rk_text_free(g->text);
    rk_buf_release(&g->key);
    rk_free(g);
}

static gaz_slot *map_find(const gaz_map *m, const char *key)
{
    size_t j = rk_hash64(key, strlen(key), 7) & (m->nslots - 1);
    while (m->slots[j].key && strcmp(m->slots[j].key, key) != 0)
        j = (j + 1) & (m->nslots - 1);
    return &m->slots[j];
}

static int map_put(gaz_map *m, const char *key, int32_t target)
{
    if ((m->used + 1) * 10 >= m->nslots * 7) {
        size_t n = m->nslots ? m->nslots * 2 : 256;
        gaz_slot *s = rk_calloc(n, sizeof(*s));
        if (!s)
            return RK_ENOMEM;
        gaz_map bigger = {.slots = s, .nslots = n, .used = m->used};
        for (size_t i = 0; i < m->nslots; i++)
            if (m->slots[i].key)
                *map_find(&bigger, m->slots[i].key) = m->slots[i];
        rk_free(m->slots);
        *m = bigger;
    }
    gaz_slot *e = map_find(m, key);
    if (e->key) {
        if (e->target != target)
            e->target = AMBIGUOUS;
        return RK_OK;
    }
    if (!(e->key = rk_strdup(key)))
        return RK_ENOMEM;
    e->target = target;
    m->used++;
    return RK_OK;
}

/* The folded key of a name into g->key; false (RK_OK) when it folds to nothing. */
static int fold(rk_gazetteer *g, const char *name, bool *any)
{
    rk_buf_clear(&g->key);
    *any = false;
    if (!name || !*name)
        return RK_OK;
    int rc = rk_text_place_key(&g->key, g->text, name);
    *any = rc == RK_OK && g->key.len > 0;
    return rc;
}

/* What a name's key names in a map: a target, or AMBIGUOUS when nothing or two. */
static int lookup(int32_t *out, rk_gazetteer *g, const gaz_map *m, const char *name)
{
    *out = AMBIGUOUS;
    bool any;
    int rc = fold(g, name, &any);
    if (rc != RK_OK || !any || !m->nslots)
        return rc;
    const gaz_slot *e = map_find(m, rk_buf_cstr(&g->key));
    if (e->key)
        *out = e->target;
    return RK_OK;
}

static int put_name(rk_gazetteer *g, gaz_map *m, const char *name, int32_t target)
{
    bool any;
    int rc = fold(g, name, &any);
    if (rc == RK_OK && any && map_put(m, rk_buf_cstr(&g->key), target) != RK_OK)
        rc = rk_error_set(g->ctx, RK_ENOMEM, "out of memory");
    return rc;
}

/* The index of a region by its canonical name, added when new (with its name as a key). */
static int region_index(rk_gazetteer *g, const char *name, int32_t *out)
{
    for (size_t i = 0; i < g->nregions; i++)
        if (strcmp(g->regions[i], name) == 0) {
            *out = (int32_t)i;
            return RK_OK;
        }
    if (g->nregions >= INT32_MAX ||
        rk_grow((void **)&g->regions, &g->cap_regions, g->nregions + 1, sizeof(char *)) != RK_OK ||
        !(g->regions[g->nregions] = rk_strdup(name)))
        return rk_error_set(g->ctx, RK_ENOMEM, "out of memory");
    *out = (int32_t)g->nregions++;
    return put_name(g, &g->region_keys, name, *out);
}

static int place_index(rk_gazetteer *g, const char *name, int32_t region, int32_t *out)
{
    for (size_t i = 0; i < g->nplaces; i++)
        if (g->places[i].region == region && strcmp(g->places[i].name, name) == 0) {
            *out = (int32_t)i;
            return RK_OK;
        }
    if (g->nplaces >= INT32_MAX ||
        rk_grow((void **)&g->places, &g->cap_places, g->nplaces + 1, sizeof(gaz_place)) != RK_OK ||
        !(g->places[g->nplaces].name = rk_strdup(name)))
        return rk_error_set(g->ctx, RK_ENOMEM, "out of memory");
    g->places[g->nplaces].region = region;
    *out = (int32_t)g->nplaces++;
    return put_name(g, &g->place_keys, name, *out);
}

/* Reads the names of the gazetteer in force: the regions' rows first, so that a place's region
 * column finds its region by any of the region's spellings. */
static int load(rk_gazetteer *g, rk_store *st, int64_t id)
{
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare_int64(&s, st,
                                     "SELECT kind, region, name, variant FROM gazetteer_name"
                                     " WHERE gazetteer_id = ? ORDER BY kind = 'place', line,"
                                     " variant",
                                     id, "cannot read the gazetteer");
    int step;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *kind = rk_store__text(s, 0), *region = rk_store__text(s, 1);
        const char *name = rk_store__text(s, 2), *variant = rk_store__text(s, 3);
        int32_t r = AMBIGUOUS, p = AMBIGUOUS;
        if (strcmp(kind, "region") == 0) {
            rc = region_index(g, name, &r);
            rc = rc ? rc : put_name(g, &g->region_keys, region, r);
            rc = rc ? rc : put_name(g, &g->region_keys, variant, r);
            continue;
        }
        /* A place's region: a region's row that spells it so, or else a region of that name. */
        rc = lookup(&r, g, &g->region_keys, region);
        if (rc == RK_OK && r == AMBIGUOUS)
            rc = region_index(g, region, &r);
        rc = rc ? rc : place_index(g, name, r, &p);
        rc = rc ? rc : put_name(g, &g->place_keys, variant, p);
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the gazetteer");
    sqlite3_finalize(s);
    return rc;
}

int rk_gazetteer_open(rk_gazetteer **out, rk_store *st)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out);
    *out = NULL;
    sqlite3_stmt *s = NULL;
    int rc =
        rk_store__prepare(&s, st, "SELECT max(id) FROM gazetteer", "cannot read the gazetteer");
    if (rc != RK_OK)
        return rc;
    int64_t id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    if (id == 0)
        return RK_OK; /* none */
    rk_gazetteer *g = rk_calloc(1, sizeof(*g));
    if (!g)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    g->ctx = ctx;
    rk_buf_init(&g->key);
    rc = rk_text_new(&g->text, ctx, NULL);
    rc = rc ? rc : load(g, st, id);
    if (rc != RK_OK) {
        rk_gazetteer_free(g);
        return rc;
    }
    *out = g;
    return RK_OK;
}

int rk_gazetteer_region(const char **out, rk_gazetteer *g, const char *region, const char *place)
{
    if (!g)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(g->ctx, out);
    *out = NULL;
    int32_t r = AMBIGUOUS, p = AMBIGUOUS;
    int rc = lookup(&r, g, &g->region_keys, region);
    if (rc == RK_OK && r == AMBIGUOUS && (rc = lookup(&p, g, &g->place_keys, place)) == RK_OK &&
        p != AMBIGUOUS)
        r = g->places[p].region;
    if (rc == RK_OK && r != AMBIGUOUS)
        *out = g->regions[r];
    return rc;
}

int rk_gazetteer_place(const char **out, rk_gazetteer *g, const char *place)
{
    if (!g)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(g->ctx, out);
    *out = NULL;
    int32_t p;
    int rc = lookup(&p, g, &g->place_keys, place);
    if (rc == RK_OK && p != AMBIGUOUS)
        *out = g->places[p].name;
    return rc;
}

void rk_gazetteer_misses_free(rk_gazetteer_miss *misses, size_t n)
{
    for (size_t i = 0; misses && i < n; i++) {
        rk_free(misses[i].list);
        rk_free(misses[i].file);
        rk_free(misses[i].region);
        rk_free(misses[i].place);
    }
    rk_free(misses);
}

int rk_gazetteer_misses(rk_gazetteer_miss **out, size_t *n, rk_gazetteer *g, rk_store *st)
{
    rk_ctx *ctx = rk_store_ctx(st);
    RK_ASSERT_ARG(ctx, out && n && g);
    *out = NULL;
    *n = 0;
    rk_gazetteer_miss *m = NULL;
    size_t nm = 0, cap = 0;
    sqlite3_stmt *s = NULL;
    int rc = rk_store__prepare(
        &s, st,
        "SELECT l.name, i.file_name, min(r.line), coalesce(trim(r.region), ''),"
        " coalesce(trim(r.place), ''), count(*) FROM current_record r JOIN list l ON l.id ="
        " r.list_id JOIN import i ON i.id = r.import_id WHERE coalesce(trim(r.region), '') != ''"
        " OR coalesce(trim(r.place), '') != '' GROUP BY r.import_id, 4, 5"
        " ORDER BY r.import_id, 3",
        "cannot read the records' regions");
    int step = SQLITE_DONE;
    while (rc == RK_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *region = rk_store__text(s, 3), *place = rk_store__text(s, 4), *found = NULL;
        if ((rc = rk_gazetteer_region(&found, g, region, place)) != RK_OK || found)
            continue;
        if (rk_grow((void **)&m, &cap, nm + 1, sizeof(*m)) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
            break;
        }
        rk_gazetteer_miss *x = &m[nm++];
        *x = (rk_gazetteer_miss){.list = rk_strdup(rk_store__text(s, 0)),
                                 .file = rk_strdup(rk_store__text(s, 1)),
                                 .line = sqlite3_column_int64(s, 2),
                                 .region = rk_strdup(region),
                                 .place = rk_strdup(place),
                                 .records = sqlite3_column_int64(s, 5)};
        if (!x->list || !x->file || !x->region || !x->place)
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
    }
    if (rc == RK_OK && step != SQLITE_DONE)
        rc = rk_store__sqlerr(st, "cannot read the records' regions");
    sqlite3_finalize(s);
    if (rc != RK_OK) {
        rk_gazetteer_misses_free(m, nm);
        return rc;
    }
    *out = m;
    *n = nm;
    return RK_OK;
}

int rk_text_stratum_key(rk_buf *out, const char **name, rk_text *t, rk_gazetteer *g, bool region,
                        const char *value, const char *place)
{
    rk_buf_clear(out);
    const char *known = NULL;
    if (name)
        *name = NULL;
    int rc = !g       ? RK_OK
             : region ? rk_gazetteer_region(&known, g, value, place)
                      : rk_gazetteer_place(&known, g, value);
    if (rc != RK_OK || (g && region && !known))
        return rc;
    if (known) {
        if (name)
            *name = known;
        return rk_buf_printf(out, "\x1d%s", known);
    }
    return value && *value ? rk_text_place_key(out, t, value) : RK_OK;
}
