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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sex_from_many_spellings),
        cmocka_unit_test(places_fold_like_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
