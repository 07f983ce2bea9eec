/* Places: folded like names (romanized, sound-keyed word by word, words such as "district",
 * "village", "район", "kəndi" dropped), a combined "region, place" column split, and an
 * optional gazetteer CSV (variant, place id, region) that maps any spelling to a place and
 * its region for stratification. */
#include "common.h"

#include "text/name_private.h"

/* Words that say what kind of place it is, not which (compared after romanization). */
static const char *const place_words[] = {
    "district",  "village",   "city",      "town",     "region",       "province", "municipality",
    "rayon",     "raion",     "rayonu",    "kand",     "kandi",        "sheher",   "shahar",
    "shahari",   "gasaba",    "gasabasi",  "rayonu",   "selo",         "derevnya", "gorod",
    "poselok",   "oblast",    "provincia", "distrito", "departamento", "pueblo",   "ciudad",
    "municipio", "comunidad", "opshtina",  "opstina",  "opshtina",     "grad",     "fshati",
    "qyteti",    "komuna",    "marz",      "gyugh",    "soplis",       "raioni",   "qalaq",
    "muhafazat", "qarya",     "madinat",   "mintaqa"};

typedef struct gaz_entry {
    const char *key, *id, *region;
} gaz_entry;

struct tx_gaz {
    gaz_entry *slots;
    size_t nslots, used;
};

static bool place_word(const char *latin)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(place_words); i++)
        if (strcmp(latin, place_words[i]) == 0)
            return true;
    return false;
}

int rk_text_place_key(rk_text *t, const char *place, rk_buf *out)
{
    if (!t)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(t->ctx, place && out);
    size_t n = strlen(place), bad = 0;
    if (!rk_utf8_valid(place, n, &bad))
        return rk_error_set(t->ctx, RK_EINPUT, "invalid UTF-8 at byte %zu of place '%.40s'", bad,
                            place);
    nx_parse *p = &(nx_parse){.n = 0, .comma = -1};
    int rc = nx_tokenize(t, place, RK_MIN(n, (size_t)UINT16_MAX), p);
    if (rc != RK_OK)
        return rc == RK_EINPUT
                   ? rk_error_set(t->ctx, RK_EINPUT, "place '%.40s' is unreadable", place)
                   : rc;
    bool first = true;
    for (size_t i = 0; i < p->n; i++) {
        const rk_text_keys *k = &p->tok[i].keys;
        if (!*k->key || place_word(k->latin))
            continue;
        if ((!first && rk_buf_putc(out, ' ') != RK_OK) || rk_buf_puts(out, k->key) != RK_OK)
            return rk_error_set(t->ctx, RK_ENOMEM, "out of memory keying a place");
        first = false;
    }
    rk_buf_cstr(out);
    return RK_OK;
}

void rk_text_place_split(const char *s, const char **region, size_t *region_len, const char **place,
                         size_t *place_len)
{
    const char *cut = s ? strrchr(s, ',') : NULL;
    size_t cutlen = 1;
    if (s && !cut) {
        const char *d = strstr(s, " - ");
        for (const char *x = d; x; x = strstr(x + 1, " - "))
            d = x;
        cut = d;
        cutlen = 3;
    }
    if (!s) {
        *region = *place = "";
        *region_len = *place_len = 0;
        return;
    }
    if (!cut) {
        *region = s;
        *region_len = 0;
        *place = s;
        *place_len = strlen(s);
    } else {
        *region = s;
        *region_len = (size_t)(cut - s);
        *place = cut + cutlen;
        *place_len = strlen(*place);
    }
    while (*region_len && (*region)[*region_len - 1] == ' ')
        (*region_len)--;
    while (*region_len && **region == ' ') {
        (*region)++;
        (*region_len)--;
    }
    while (*place_len && **place == ' ') {
        (*place)++;
        (*place_len)--;
    }
    while (*place_len && (*place)[*place_len - 1] == ' ')
        (*place_len)--;
}

void tx_gaz_release(rk_text *t)
{
    if (!t->gaz)
        return;
    rk_free(t->gaz->slots);
    rk_free(t->gaz);
    t->gaz = NULL;
}

static gaz_entry *gaz_find(const struct tx_gaz *g, const char *key)
{
    size_t j = rk_hash64(key, strlen(key), 7) & (g->nslots - 1);
    while (g->slots[j].key && strcmp(g->slots[j].key, key) != 0)
        j = (j + 1) & (g->nslots - 1);
    return &g->slots[j];
}

static int gaz_add(rk_text *t, const char *key, const char *id, const char *region)
{
    struct tx_gaz *g = t->gaz;
    if ((g->used + 1) * 10 >= g->nslots * 7) {
        size_t n = g->nslots * 2;
        gaz_entry *s = rk_calloc(n, sizeof(*s));
        if (!s)
            return RK_ENOMEM;
        struct tx_gaz ng = {.slots = s, .nslots = n, .used = g->used};
        for (size_t i = 0; i < g->nslots; i++)
            if (g->slots[i].key)
                *gaz_find(&ng, g->slots[i].key) = g->slots[i];
        rk_free(g->slots);
        *g = ng;
    }
    gaz_entry *e = gaz_find(g, key);
    if (e->key)
        return RK_OK; /* the first line of a variant wins */
    e->key = tx_arena_dup(t, key, strlen(key));
    e->id = tx_arena_dup(t, id, strlen(id));
    e->region = tx_arena_dup(t, region, strlen(region));
    if (!e->key || !e->id || !e->region)
        return RK_ENOMEM;
    g->used++;
    return RK_OK;
}

/* Splits one CSV line (quotes allowed, no embedded newlines) into up to 3 fields in place. */
static int csv_fields(char *line, char **f, int max, long *badcol)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            for (;;) {
                if (*p == '\0') {
                    *badcol = (long)(p - line) + 1;
                    return -1;
                }
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            *w = '\0';
            if (*p == ',')
                p++;
            else if (*p) {
                *badcol = (long)(p - line) + 1;
                return -1;
            } else
                break;
        } else {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
    }
    return n;
}

int rk_text_gazetteer_load(rk_text *t, const char *path)
{
    if (!t)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(t->ctx, path);
    int rc = RK_OK;
    FILE *f = NULL;
    char *line = NULL;
    size_t cap = 0;
    rk_buf key;
    rk_buf_init(&key);
    if (!t->gaz) {
        t->gaz = rk_calloc(1, sizeof(*t->gaz));
        if (t->gaz)
            t->gaz->slots = rk_calloc(256, sizeof(gaz_entry));
        if (!t->gaz || !t->gaz->slots) {
            rc = rk_error_set(t->ctx, RK_ENOMEM, "out of memory loading a gazetteer");
            goto cleanup;
        }
        t->gaz->nslots = 256;
    }
    f = fopen(path, "rb");
    if (!f) {
        rc = rk_error_set(t->ctx, RK_EIO, "cannot open gazetteer '%s': %s", path, strerror(errno));
        goto cleanup;
    }
    long lineno = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (len > 4096) {
            rc = rk_error_set_at(t->ctx, RK_EINPUT, path, lineno, 1,
                                 "line longer than 4096 bytes; a gazetteer line is "
                                 "variant,place_id,region");
            goto cleanup;
        }
        size_t bad = 0;
        if (!rk_utf8_valid(line, (size_t)len, &bad)) {
            rc = rk_error_set_at(t->ctx, RK_EINPUT, path, lineno, (long)bad + 1,
                                 "invalid UTF-8; save the file as UTF-8");
            goto cleanup;
        }
        char *fields[3] = {0};
        long badcol = 0;
        int nf = csv_fields(line, fields, 3, &badcol);
        if (nf < 0) {
            rc = rk_error_set_at(t->ctx, RK_EINPUT, path, lineno, badcol,
                                 "unbalanced quote; quote fields as \"...\"");
            goto cleanup;
        }
        if (lineno == 1 && nf >= 1 && strcmp(fields[0], "variant") == 0)
            continue;
        if (nf < 2 || !*fields[0] || !*fields[1]) {
            rc = rk_error_set_at(t->ctx, RK_EINPUT, path, lineno, 1,
                                 "expected variant,place_id,region");
            goto cleanup;
        }
        rk_buf_clear(&key);
        rc = rk_text_place_key(t, fields[0], &key);
        if (rc != RK_OK)
            goto cleanup;
        if (key.len == 0)
            continue;
        if (gaz_add(t, rk_buf_cstr(&key), fields[1], nf >= 3 ? fields[2] : "") != RK_OK) {
            rc = rk_error_set(t->ctx, RK_ENOMEM, "out of memory loading a gazetteer");
            goto cleanup;
        }
    }
cleanup:
    if (f)
        fclose(f);
    free(line); /* from getline */
    rk_buf_release(&key);
    return rc;
}

int rk_text_place_lookup(rk_text *t, const char *place, const char **place_id, const char **region)
{
    if (!t)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(t->ctx, place && place_id && region);
    if (!t->gaz)
        return RK_ENOTFOUND;
    rk_buf key;
    rk_buf_init(&key);
    int rc = rk_text_place_key(t, place, &key);
    if (rc == RK_OK) {
        const gaz_entry *e = gaz_find(t->gaz, rk_buf_cstr(&key));
        if (e->key) {
            *place_id = e->id;
            *region = e->region;
        } else {
            rc = RK_ENOTFOUND;
        }
    }
    rk_buf_release(&key);
    return rc;
}
