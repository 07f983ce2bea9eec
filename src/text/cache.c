/* The per-rk_text cache of distinct strings: a token is romanized and keyed once (ICU
 * transforms are slow), and every later occurrence is one rk_hash64 and a probe of an
 * open-addressing table whose slots hold each entry's hash (text_slot). Entries and their strings
 * live in chunks that never move, so the pointers handed out stay valid until rk_text_free. */
#include "common.h"

#include "text/text_private.h"

#define CHUNK_MIN (64 * 1024)

/* n bytes from the newest chunk (a new chunk when it is full), aligned to `align`. */
static void *arena_raw(rk_text *t, size_t n, size_t align)
{
    text_chunk *c = t->chunks;
    size_t pad = c ? (align - (c->used & (align - 1))) & (align - 1) : 0;
    if (!c || c->cap - c->used < n + pad) {
        size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
        c = rk_malloc(sizeof(*c) + cap);
        if (!c)
            return NULL;
        c->next = t->chunks;
        c->used = 0;
        c->cap = cap;
        t->chunks = c;
        pad = 0;
    }
    c->used += pad;
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

char *text_arena_dup(rk_text *t, const char *s, size_t n)
{
    char *d = arena_raw(t, n + 1, 1);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void text_cache_release(rk_text *t)
{
    text_chunk *c = t->chunks;
    while (c) {
        text_chunk *next = c->next;
        rk_free(c);
        c = next;
    }
    t->chunks = NULL;
    rk_free(t->slots);
    t->slots = NULL;
    t->nslots = t->nentries = 0;
}

static int grow_table(rk_text *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 4096;
    text_slot *slots = rk_calloc(n, sizeof(*slots));
    if (!slots)
        return RK_ENOMEM;
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->slots[i].e)
            continue;
        size_t j = t->slots[i].hash & (n - 1);
        while (slots[j].e)
            j = (j + 1) & (n - 1);
        slots[j] = t->slots[i];
    }
    rk_free(t->slots);
    t->slots = slots;
    t->nslots = n;
    return RK_OK;
}

/* Romanizes and keys one token: the slow path, run once per distinct string. */
static int make_entry(rk_text *t, text_entry *e, rk_lang lang, bool family)
{
    int rc = RK_OK;
    rk_buf text, latin, key, alt, skel;
    rk_buf_init(&text);
    rk_buf_init(&latin);
    rk_buf_init(&key);
    rk_buf_init(&alt);
    rk_buf_init(&skel);
    rk_script script = RK_SCRIPT_NONE;
    rk_lang hint = RK_LANG_AUTO;
    unsigned flags = 0;
    rk_gender gender = RK_GENDER_UNKNOWN;

    rc = text_nfc_clean(t, e->raw, e->rawlen, &text);
    if (rc != RK_OK)
        goto cleanup;
    rc = text_romanize(t, rk_buf_cstr(&text), text.len, lang, &latin, &script, &hint, &flags);
    if (rc != RK_OK)
        goto cleanup;
    e->hint = (uint8_t)hint;

    /* The form the keys are made from: the lexicon's standard form when there is one. */
    char form[TX_TOKEN_MAX * 4 + 8];
    size_t n = RK_MIN(latin.len, sizeof(form) - 1);
    memcpy(form, rk_buf_cstr(&latin), n);
    form[n] = '\0';
    const text_lex *lx = text_lex_find(t, form, n);
    if (lx) {
        e->lex = (uint16_t)(lx - t->lex + 1);
        e->particle = lx->particle;
        if (lx->given && !family)
            gender = (rk_gender)lx->gender;
        if (lx->canon) {
            n = RK_MIN(strlen(lx->canon), sizeof(form) - 1);
            memcpy(form, lx->canon, n);
            form[n] = '\0';
        }
    }
    if (family) {
        size_t before = n;
        n = text_fold_family(form, n, &gender);
        const text_lex *fx = n != before ? text_lex_find(t, form, n) : NULL;
        if (fx && fx->canon) {
            n = RK_MIN(strlen(fx->canon), sizeof(form) - 1);
            memcpy(form, fx->canon, n);
            form[n] = '\0';
        }
    }
    char abd[sizeof(form)];
    size_t an = text_abd_canon(form, n, abd, sizeof(abd));
    if (an) {
        memcpy(form, abd, an + 1);
        n = an;
    }
    const text_lex *nk = lx;
    if (lx && lx->canon)
        nk = text_lex_find(t, lx->canon, strlen(lx->canon));
    if (!nk || !nk->nick)
        nk = text_lex_find(t, form, n);
    e->k.nick = nk ? nk->nick : (lx ? lx->nick : 0);
    if (!e->k.nick && lx)
        e->k.nick = lx->nick;
    if (gender == RK_GENDER_UNKNOWN && nk && nk->given && !family)
        gender = (rk_gender)nk->gender;

    /* ch may be French sh only where the name was written with a Latin ch (Rachid), not
       where it romanizes ç, č, ć, ч or ћ (Elçin, Эльчин). */
    bool french_ch = false;
    const char *tx = rk_buf_cstr(&text);
    for (size_t i = 0; script == RK_SCRIPT_LATIN && i + 1 < text.len; i++)
        if ((tx[i] | 0x20) == 'c' && (tx[i + 1] | 0x20) == 'h')
            french_ch = true;
    rc = text_sound(form, n, french_ch, &key, &alt, &skel);
    if (rc != RK_OK)
        goto cleanup;
    /* A spelling the tables do not list may still sound like one they do (Mohammed). */
    if (!(flags & RK_TOKEN_ABJAD) && (!lx || !lx->given || !e->k.nick) && !e->particle && n >= 3) {
        const text_lex *kx = text_lex_find_key(t, rk_buf_cstr(&key));
        if (kx) {
            if (!e->k.nick)
                e->k.nick = kx->nick;
            if (!family && gender == RK_GENDER_UNKNOWN && kx->given)
                gender = (rk_gender)kx->gender;
            if (!e->lex && kx->given)
                e->lex = (uint16_t)(kx - t->lex + 1);
        }
    }
    if (text.len == 1 || (latin.len == 1 && script != RK_SCRIPT_ARABIC))
        flags |= RK_TOKEN_INITIAL;

    e->k.text = text_arena_dup(t, rk_buf_cstr(&text), text.len);
    e->k.latin = text_arena_dup(t, rk_buf_cstr(&latin), latin.len);
    e->k.key = text_arena_dup(t, rk_buf_cstr(&key), key.len);
    e->k.alt = text_arena_dup(t, rk_buf_cstr(&alt), alt.len);
    e->k.skel = text_arena_dup(t, rk_buf_cstr(&skel), skel.len);
    if (!e->k.text || !e->k.latin || !e->k.key || !e->k.alt || !e->k.skel) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    e->k.script = script;
    e->k.gender = gender;
    e->k.flags = flags;
cleanup:
    rk_buf_release(&text);
    rk_buf_release(&latin);
    rk_buf_release(&key);
    rk_buf_release(&alt);
    rk_buf_release(&skel);
    return rc;
}

int text_cache_get(rk_text *t, const char *raw, size_t len, rk_lang lang, bool family,
                   const text_entry **out)
{
    len = rk_core__utf8_cut(raw, len, TX_TOKEN_MAX);
    uint64_t h = rk_hash64(raw, len, (uint64_t)lang * 2 + (family ? 1 : 0));
    t->lookups++;
    if (t->nslots) {
        size_t j = h & (t->nslots - 1);
        for (const text_slot *sl; (sl = &t->slots[j])->e; j = (j + 1) & (t->nslots - 1)) {
            const text_entry *e = sl->e;
            if (sl->hash == h && e->rawlen == len && e->lang == lang && e->family == family &&
                memcmp(e->raw, raw, len) == 0) {
                *out = e;
                return RK_OK;
            }
        }
    }
    t->misses++;
    if ((t->nentries + 1) * 10 >= t->nslots * 7 && grow_table(t) != RK_OK)
        return rk_error_set(t->ctx, RK_ENOMEM, "out of memory in the name cache");
    text_entry *e = arena_raw(t, sizeof(*e), 8);
    char *rawcopy = e ? text_arena_dup(t, raw, len) : NULL;
    if (!e || !rawcopy)
        return rk_error_set(t->ctx, RK_ENOMEM, "out of memory in the name cache");
    memset(e, 0, sizeof(*e));
    e->raw = rawcopy;
    e->rawlen = (uint32_t)len;
    e->lang = (uint8_t)lang;
    e->family = family;
    e->fam_culture = -2; /* not yet computed */
    e->patr = -1;
    int rc = make_entry(t, e, lang, family);
    if (rc != RK_OK)
        return rc == RK_ENOMEM ? rk_error_set(t->ctx, RK_ENOMEM, "out of memory in the name cache")
                               : rc;
    size_t j = h & (t->nslots - 1);
    while (t->slots[j].e)
        j = (j + 1) & (t->nslots - 1);
    t->slots[j] = (text_slot){h, e};
    t->nentries++;
    *out = e;
    return RK_OK;
}
