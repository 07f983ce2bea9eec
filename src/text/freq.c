/* Name-token frequencies for term-frequency adjustment in linkage: counts of sound keys per
 * role class (given-like: given, patronymic, grandfather; family-like: family,
 * second_family), in memory; a shared rare key weighs more than a shared common one. */
#include "common.h"

#include "text/text_private.h"

typedef struct freq_slot {
    char *key; /* NULL when empty */
    uint64_t hash;
    uint64_t count;
    uint8_t cls;
} freq_slot;

struct rk_text_freq {
    rk_ctx *ctx;
    freq_slot *slots;
    size_t nslots, used;
    uint64_t total[2];
};

static int class_of(rk_name_role role)
{
    switch (role) {
    case RK_ROLE_FAMILY:
    case RK_ROLE_SECOND_FAMILY:
        return 1;
    case RK_ROLE_GIVEN:
    case RK_ROLE_PATRONYMIC:
    case RK_ROLE_GRANDFATHER:
        return 0;
    default:
        return -1;
    }
}

int rk_text_freq_new(rk_text_freq **out, rk_ctx *ctx)
{
    RK_ASSERT_ARG(ctx, out);
    rk_text_freq *f = rk_calloc(1, sizeof(*f));
    if (f)
        f->slots = rk_calloc(1024, sizeof(*f->slots));
    if (!f || !f->slots) {
        rk_free(f);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory counting name frequencies");
    }
    f->ctx = ctx;
    f->nslots = 1024;
    *out = f;
    return RK_OK;
}

void rk_text_freq_free(rk_text_freq *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nslots; i++)
        rk_free(f->slots[i].key);
    rk_free(f->slots);
    rk_free(f);
}

static freq_slot *find(const rk_text_freq *f, int cls, const char *key, uint64_t h)
{
    size_t j = h & (f->nslots - 1);
    for (; f->slots[j].key; j = (j + 1) & (f->nslots - 1))
        if (f->slots[j].hash == h && f->slots[j].cls == cls && strcmp(f->slots[j].key, key) == 0)
            return &f->slots[j];
    return &f->slots[j];
}

static int grow(rk_text_freq *f)
{
    size_t n = f->nslots * 2;
    freq_slot *s = rk_calloc(n, sizeof(*s));
    if (!s)
        return RK_ENOMEM;
    for (size_t i = 0; i < f->nslots; i++) {
        if (!f->slots[i].key)
            continue;
        size_t j = f->slots[i].hash & (n - 1);
        while (s[j].key)
            j = (j + 1) & (n - 1);
        s[j] = f->slots[i];
    }
    rk_free(f->slots);
    f->slots = s;
    f->nslots = n;
    return RK_OK;
}

int rk_text_freq_add(rk_text_freq *f, const rk_name *name)
{
    if (!f)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(f->ctx, name);
    for (size_t i = 0; i < name->ntokens; i++) {
        const rk_name_token *t = &name->tokens[i];
        int cls = class_of(t->role);
        if (cls < 0 || !t->k.key || !*t->k.key)
            continue;
        if ((f->used + 1) * 10 >= f->nslots * 7 && grow(f) != RK_OK)
            return rk_error_set(f->ctx, RK_ENOMEM, "out of memory counting name frequencies");
        uint64_t h = rk_hash64(t->k.key, strlen(t->k.key), (uint64_t)cls);
        freq_slot *s = find(f, cls, t->k.key, h);
        if (!s->key) {
            s->key = rk_strdup(t->k.key);
            if (!s->key)
                return rk_error_set(f->ctx, RK_ENOMEM, "out of memory counting name frequencies");
            s->hash = h;
            s->cls = (uint8_t)cls;
            f->used++;
        }
        s->count++;
        f->total[cls]++;
    }
    return RK_OK;
}

uint64_t rk_text_freq_count(const rk_text_freq *f, rk_name_role role, const char *key)
{
    int cls = class_of(role);
    if (!f || !key || cls < 0)
        return 0;
    const freq_slot *s = find(f, cls, key, rk_hash64(key, strlen(key), (uint64_t)cls));
    return s->key ? s->count : 0;
}

uint64_t rk_text_freq_total(const rk_text_freq *f, rk_name_role role)
{
    int cls = class_of(role);
    return f && cls >= 0 ? f->total[cls] : 0;
}

double rk_text_freq_share(const rk_text_freq *f, rk_name_role role, const char *key)
{
    uint64_t total = rk_text_freq_total(f, role);
    return total ? (double)rk_text_freq_count(f, role, key) / (double)total : 0.0;
}

int rk_text_freq_each(const rk_text_freq *f,
                      int (*fn)(void *user, rk_name_role role, const char *key, uint64_t count),
                      void *user)
{
    if (!f || !fn)
        return RK_OK;
    for (size_t i = 0; i < f->nslots; i++) {
        const freq_slot *s = &f->slots[i];
        if (!s->key)
            continue;
        int rc = fn(user, s->cls ? RK_ROLE_FAMILY : RK_ROLE_GIVEN, s->key, s->count);
        if (rc != 0)
            return rc;
    }
    return RK_OK;
}
