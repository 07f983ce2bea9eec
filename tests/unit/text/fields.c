/* Unit tests of the sex field in many spellings (and inferred from the name) and of place
 * keys. */
#include "test.h"

static void sex_from_many_spellings(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_text *t = NULL;
    assert_int_equal(rk_text_new(&t, &ctx, NULL), RK_OK);
    unsigned flags = 0;
    const char *male[] = {"M", "male", "м", "Муж.", "kişi", "hombre", "ذكر", "Erkək"};
    const char *female[] = {"F", "Female", "ж", "жен", "qadın", "mujer", "أنثى", "Femër"};
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(rk_text_sex(t, male[i], NULL, &flags), RK_SEX_MALE);
        assert_int_equal(rk_text_sex(t, female[i], NULL, &flags), RK_SEX_FEMALE);
    }
    assert_int_equal(rk_text_sex(t, "?", NULL, &flags), RK_SEX_UNKNOWN);
    rk_name n;
    assert_int_equal(rk_text_name_parse(&n, t, "Мамедова Айгюн Алиевна"), RK_OK);
    assert_int_equal(rk_text_sex(t, "", &n, &flags), RK_SEX_FEMALE);
    assert_true(flags & RK_SEX_INFERRED);
    assert_int_equal(rk_text_sex(t, "M", &n, &flags), RK_SEX_MALE);
    assert_false(flags & RK_SEX_INFERRED);
    assert_string_equal(rk_text_sex_code(RK_SEX_FEMALE), "F");
    /* A list writing H and M: hombre and mujer. */
    assert_int_equal(rk_text_sex_hm(t, "M"), RK_SEX_FEMALE);
    assert_int_equal(rk_text_sex_hm(t, " m. "), RK_SEX_FEMALE);
    assert_int_equal(rk_text_sex_hm(t, "H"), RK_SEX_MALE);
    assert_int_equal(rk_text_sex_hm(t, "masculino"), RK_SEX_MALE);
    assert_int_equal(rk_text_sex_hm(t, "mujer"), RK_SEX_FEMALE);
    rk_text_free(t);
    rk_ctx_release(&ctx);
}

static void places_fold_like_names(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_text *t = NULL;
    assert_int_equal(rk_text_new(&t, &ctx, NULL), RK_OK);
    rk_buf a, b;
    rk_buf_init(&a);
    rk_buf_init(&b);
    assert_int_equal(rk_text_place_key(&a, t, "Xocalı rayonu"), RK_OK);
    assert_int_equal(rk_text_place_key(&b, t, "Ходжалы"), RK_OK);
    assert_string_equal(rk_buf_cstr(&a), rk_buf_cstr(&b));
    rk_buf_release(&a);
    rk_buf_release(&b);
    rk_text_free(t);
    rk_ctx_release(&ctx);
}

/* A region or place in any script, case and spelling folds to one key: the stratum key of
 * `--by region` and `--by place`, and what a gazetteer's names are matched on. */
static void region_spellings_fold_to_one_key(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_text *t = NULL;
    assert_int_equal(rk_text_new(&t, &ctx, NULL), RK_OK);
    const char *same[] = {"Kelvar", "Kəlvər", "kelver", "Келвар", "  KELVAR  ", "Kelvar district"};
    rk_buf first, k;
    rk_buf_init(&first);
    rk_buf_init(&k);
    assert_int_equal(rk_text_place_key(&first, t, same[0]), RK_OK);
    assert_true(first.len > 0);
    for (size_t i = 1; i < sizeof(same) / sizeof(same[0]); i++) {
        rk_buf_clear(&k);
        assert_int_equal(rk_text_place_key(&k, t, same[i]), RK_OK);
        assert_string_equal(rk_buf_cstr(&k), rk_buf_cstr(&first));
    }
    const char *other[] = {"Talvar", "Belvor", "North"};
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        rk_buf_clear(&k);
        assert_int_equal(rk_text_place_key(&k, t, other[i]), RK_OK);
        assert_string_not_equal(rk_buf_cstr(&k), rk_buf_cstr(&first));
    }
    rk_buf_clear(&k);
    assert_int_equal(rk_text_place_key(&k, t, "district"), RK_OK);
    assert_int_equal(k.len, 0); /* only a word for a kind of place: no key */
    rk_buf_release(&first);
    rk_buf_release(&k);
    rk_text_free(t);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sex_from_many_spellings),
        cmocka_unit_test(places_fold_like_names),
        cmocka_unit_test(region_spellings_fold_to_one_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
