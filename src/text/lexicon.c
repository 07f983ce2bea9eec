/* The lexicon: the name tables (tables_names.c) merged into one hash index by Latin form,
 * built once per rk_text, so that a cache miss finds a form's standard spelling, nickname
 * group, gender and particle kind in one probe. */
#include "common.h"

#include "text/text_private.h"

#define LEX_SEED 0x6c657869636f6eULL

const text_lex *text_lex_find(const rk_text *t, const char *form, size_t n)
{
    if (!t->dict.slots)
        return NULL;
    size_t j = rk_hash64(form, n, LEX_SEED) & t->dict.mask;
    for (uint32_t v; (v = t->dict.slots[j]); j = (j + 1) & t->dict.mask) {
        const text_lex *l = &t->lex[v - 1];
        if (strncmp(l->form, form, n) == 0 && l->form[n] == '\0')
            return l;
    }
    return NULL;
}

static int index_keys(rk_text *t);

/* The row of `form`, made when missing. */
static text_lex *lex_row(rk_text *t, const char *form)
{
    size_t n = strlen(form);
    text_lex *l = (text_lex *)text_lex_find(t, form, n);
    if (l)
        return l;
    l = &t->lex[t->nlex++];
    memset(l, 0, sizeof(*l));
    l->form = form;
    size_t j = rk_hash64(form, n, LEX_SEED) & t->dict.mask;
    while (t->dict.slots[j])
        j = (j + 1) & t->dict.mask;
    t->dict.slots[j] = (uint32_t)t->nlex;
    return l;
}

int text_lex_build(rk_text *t)
{
    size_t nnick = 0;
    for (size_t i = 0; text_nicknames[i] || text_nicknames[i + 1]; i++)
        nnick++;
    size_t cap = text_given_names_len + text_equivalents_len * 2 + nnick + text_particles_len +
                 text_family_names_len + 1;
    size_t slots = 1;
    while (slots < cap * 2)
        slots <<= 1;
    t->lex = rk_calloc(cap, sizeof(*t->lex));
    t->dict.slots = rk_calloc(slots, sizeof(*t->dict.slots));
    if (!t->lex || !t->dict.slots)
        return rk_error_set(t->ctx, RK_ENOMEM, "out of memory loading the name tables");
    t->dict.mask = slots - 1;
    for (size_t i = 0; i < text_given_names_len; i++) {
        text_lex *l = lex_row(t, text_given_names[i].form);
        l->given = 1;
        l->gender = text_given_names[i].gender;
        l->culture = text_given_names[i].culture;
    }
    for (size_t i = 0; i < text_equivalents_len; i++) {
        text_lex *l = lex_row(t, text_equivalents[i].from);
        if (strcmp(text_equivalents[i].from, text_equivalents[i].to) != 0)
            l->canon = text_equivalents[i].to;
        lex_row(t, text_equivalents[i].to);
    }
    uint32_t group = 1;
    for (size_t i = 0; text_nicknames[i] || text_nicknames[i + 1]; i++) {
        if (!text_nicknames[i]) {
            group++;
            continue;
        }
        text_lex *l = lex_row(t, text_nicknames[i]);
        if (!l->nick)
            l->nick = group;
    }
    for (size_t i = 0; i < text_family_names_len; i++) {
        text_lex *l = lex_row(t, text_family_names[i].form);
        l->family = 1;
        l->fculture = text_family_names[i].culture;
    }
    for (size_t i = 0; i < text_particles_len; i++)
        lex_row(t, text_particles[i].form)->particle = text_particles[i].kind;
    /* A given name's gender also reaches its equivalent spellings. */
    for (size_t i = 0; i < t->nlex; i++) {
        text_lex *l = &t->lex[i];
        if (l->canon && !l->given) {
            const text_lex *c = text_lex_find(t, l->canon, strlen(l->canon));
            if (c && c->given) {
                l->given = 1;
                l->gender = c->gender;
                l->culture = c->culture;
            }
        }
    }
    return index_keys(t);
}

const text_lex *text_lex_find_key(const rk_text *t, const char *key)
{
    if (!t->bykey.slots || !*key)
        return NULL;
    size_t n = strlen(key);
    size_t j = rk_hash64(key, n, LEX_SEED + 1) & t->bykey.mask;
    for (uint32_t v; (v = t->bykey.slots[j]); j = (j + 1) & t->bykey.mask)
        if (strcmp(t->bykey.keys[j], key) == 0)
            return &t->lex[v - 1];
    return NULL;
}

/* Indexes given names and nickname forms by sound key (the first row of a key wins). */
static int index_keys(rk_text *t)
{
    size_t slots = 1;
    while (slots < t->nlex * 2 + 2)
        slots <<= 1;
    t->bykey.slots = rk_calloc(slots, sizeof(*t->bykey.slots));
    t->bykey.keys = rk_calloc(slots, sizeof(*t->bykey.keys));
    if (!t->bykey.slots || !t->bykey.keys)
        return rk_error_set(t->ctx, RK_ENOMEM, "out of memory loading the name tables");
    t->bykey.mask = slots - 1;
    rk_buf key, alt, skel;
    rk_buf_init(&key);
    rk_buf_init(&alt);
    rk_buf_init(&skel);
    int rc = RK_OK;
    for (size_t i = 0; i < t->nlex; i++) {
        const text_lex *l = &t->lex[i];
        if ((!l->given && !l->nick) || l->particle)
            continue;
        const char *form = l->canon ? l->canon : l->form;
        rk_buf_clear(&key);
        rk_buf_clear(&alt);
        rk_buf_clear(&skel);
        if (text_sound(form, strlen(form), true, &key, &alt, &skel) != RK_OK) {
            rc = rk_error_set(t->ctx, RK_ENOMEM, "out of memory loading the name tables");
            goto cleanup;
        }
        const char *k = rk_buf_cstr(&key);
        if (!*k || text_lex_find_key(t, k))
            continue;
        char *kd = text_arena_dup(t, k, key.len);
        if (!kd) {
            rc = rk_error_set(t->ctx, RK_ENOMEM, "out of memory loading the name tables");
            goto cleanup;
        }
        size_t j = rk_hash64(kd, key.len, LEX_SEED + 1) & t->bykey.mask;
        while (t->bykey.slots[j])
            j = (j + 1) & t->bykey.mask;
        t->bykey.slots[j] = (uint32_t)(i + 1);
        t->bykey.keys[j] = kd;
    }
cleanup:
    rk_buf_release(&key);
    rk_buf_release(&alt);
    rk_buf_release(&skel);
    return rc;
}

void text_lex_release(rk_text *t)
{
    rk_free(t->bykey.slots);
    rk_free(t->bykey.keys);
    t->bykey.slots = NULL;
    t->bykey.keys = NULL;
    rk_free(t->lex);
    rk_free(t->dict.slots);
    t->lex = NULL;
    t->dict.slots = NULL;
    t->nlex = 0;
}
