/* The regions and places of src/synth/places.c against the folding the gazetteer matches by
 * (rk_text_place_key): every other spelling a list may write folds like one of its row's
 * spellings in gazetteer.csv, and no two regions, nor two places, share a folded spelling
 * (which would make both unfindable). */
#include "test.h"

#include "synth/synth_private.h"

#define MAX_KEYS 10

typedef struct keys {
    char k[MAX_KEYS][128];
    size_t n;
} keys;

static const synth_places *const groups[] = {&synth_places_caucasus, &synth_places_spanish,
                                             &synth_places_arabic, &synth_places_balkans};

typedef struct fixture {
    rk_ctx ctx;
    rk_text *text;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    rk_ctx_init(&f->ctx);
    if (rk_text_new(&f->text, &f->ctx, NULL) != RK_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rk_text_free(f->text);
    rk_ctx_release(&f->ctx);
    free(f);
    return 0;
}

static void fold(char *out, size_t cap, rk_text *t, const char *s)
{
    rk_buf b;
    rk_buf_init(&b);
    assert_int_equal(rk_text_place_key(&b, t, s), RK_OK);
    assert_true(b.len > 0 && b.len < cap);
    snprintf(out, cap, "%s", rk_buf_cstr(&b));
    rk_buf_release(&b);
}

static bool has(const keys *k, const char *key)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->k[i], key) == 0)
            return true;
    return false;
}

/* The folded spellings of a row of gazetteer.csv: its canonical name and spelling columns
 * (with the Serbian name in plain letters, Pec for Peć). */
static void row_keys(keys *out, rk_text *t, const synth_place *pl)
{
    rk_buf plain;
    rk_buf_init(&plain);
    if (pl->sr)
        assert_int_equal(synth_plain_letters(&plain, pl->sr, true), RK_OK);
    const char *spellings[] = {
        pl->name, pl->local, pl->ru,      pl->hy,
        pl->fr,   pl->sr,    pl->sr_cyrl, pl->sr ? rk_buf_cstr(&plain) : NULL};
    out->n = 0;
    for (size_t i = 0; i < RK_ARRAY_LEN(spellings); i++) {
        if (!spellings[i])
            continue;
        char key[128];
        fold(key, sizeof(key), t, spellings[i]);
        if (!has(out, key))
            snprintf(out->k[out->n++], sizeof(out->k[0]), "%s", key);
    }
    rk_buf_release(&plain);
}

static void folds_into(rk_text *t, const keys *k, const char *spelling, const char *of)
{
    char key[128];
    fold(key, sizeof(key), t, spelling);
    if (!has(k, key))
        fail_msg("'%s' (a spelling of %s) folds to '%s', which no spelling of its row has",
                 spelling, of, key);
}

static void every_spelling_folds_to_its_row(void **state)
{
    rk_text *t = ((fixture *)*state)->text;
    rk_buf b;
    rk_buf_init(&b);
    size_t checked = 0;
    for (size_t g = 0; g < RK_ARRAY_LEN(groups); g++)
        for (int kind = 0; kind < 2; kind++) {
            const synth_place *v = kind ? groups[g]->places : groups[g]->regions;
            size_t n = kind ? groups[g]->nplaces : groups[g]->nregions;
            for (size_t i = 0; i < n; i++) {
                keys k;
                row_keys(&k, t, &v[i]);
                for (size_t j = 0; j < synth_place_nvariants(&v[i]); j++) {
                    rk_buf_clear(&b);
                    assert_int_equal(synth_place_variant(&b, &v[i], j), RK_OK);
                    folds_into(t, &k, rk_buf_cstr(&b), v[i].name);
                    checked++;
                }
                rk_buf_clear(&b); /* a native list's value without its accents */
                assert_int_equal(synth_strip_accents(&b, v[i].local), RK_OK);
                folds_into(t, &k, rk_buf_cstr(&b), v[i].name);
                uint32_t cp[SYN_MAX_CP]; /* and in capitals */
                size_t ncp = synth_decode(v[i].local, cp, SYN_MAX_CP);
                synth_upper(cp, ncp);
                rk_buf_clear(&b);
                assert_int_equal(synth_encode(&b, cp, ncp), RK_OK);
                folds_into(t, &k, rk_buf_cstr(&b), v[i].name);
            }
        }
    assert_true(checked > 100);
    rk_buf_release(&b);
}

static void no_two_rows_share_a_spelling(void **state)
{
    rk_text *t = ((fixture *)*state)->text;
    for (int kind = 0; kind < 2; kind++) {
        keys all[128];
        const char *names[128];
        size_t n = 0;
        for (size_t g = 0; g < RK_ARRAY_LEN(groups); g++) {
            const synth_place *v = kind ? groups[g]->places : groups[g]->regions;
            size_t nv = kind ? groups[g]->nplaces : groups[g]->nregions;
            for (size_t i = 0; i < nv; i++) {
                assert_true(n < RK_ARRAY_LEN(all));
                row_keys(&all[n], t, &v[i]);
                names[n++] = v[i].name;
            }
        }
        for (size_t a = 0; a < n; a++)
            for (size_t c = a + 1; c < n; c++)
                for (size_t i = 0; i < all[a].n; i++)
                    if (has(&all[c], all[a].k[i]))
                        fail_msg("%s and %s both fold to '%s'", names[a], names[c], all[a].k[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_spelling_folds_to_its_row),
        cmocka_unit_test(no_two_rows_share_a_spelling),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
