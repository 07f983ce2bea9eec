/* Unit tests of dates, ages, digits of any script, sex fields, places and the gazetteer, and
 * name-token frequencies. */
#include "test.h"

static rk_date parse(const char *s, rk_date_order order)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_date d;
    assert_int_equal(rk_text_date_parse(&ctx, s, order, 30, &d), RK_OK);
    rk_ctx_release(&ctx);
    return d;
}

static void dates_keep_precision(void **state)
{
    (void)state;
    char buf[16];
    rk_date d = parse("1992", RK_DMY);
    assert_int_equal(d.precision, RK_DATE_YEAR);
    rk_text_date_format(&d, buf);
    assert_string_equal(buf, "1992");
    d = parse("04.1992", RK_DMY);
    assert_int_equal(d.precision, RK_DATE_MONTH);
    rk_text_date_format(&d, buf);
    assert_string_equal(buf, "1992-04");
    d = parse("1992-04-03", RK_DMY);
    rk_text_date_format(&d, buf);
    assert_string_equal(buf, "1992-04-03");
    assert_int_equal(d.flags, 0);
    d = parse("25.02.1992", RK_DMY);
    rk_text_date_format(&d, buf);
    assert_string_equal(buf, "1992-02-25");
    d = parse("3 de abril de 1992", RK_DMY);
    rk_text_date_format(&d, buf);
    assert_string_equal(buf, "1992-04-03");
    d = parse("26 февраля 1992 г.", RK_DMY);
    rk_text_date_format(&d, buf);
    assert_string_equal(buf, "1992-02-26");
    d = parse("March 1993", RK_DMY);
    rk_text_date_format(&d, buf);
    assert_string_equal(buf, "1993-03");
    d = parse("c. 1992", RK_DMY);
    assert_true(d.flags & RK_DATE_APPROX);
    assert_int_equal(d.year, 1992);
    d = parse("1992-04-03T10:00:00Z", RK_DMY);
    assert_int_equal(d.precision, RK_DATE_DAY);
}

static void digits_of_any_script(void **state)
{
    (void)state;
    char buf[16];
    /* Arabic-Indic, Persian and full-width digits. */
    rk_date d = parse("\xd9\xa2\xd9\xa5/\xd9\xa0\xd9\xa2/\xd9\xa1\xd9\xa9\xd9\xa9\xd9\xa2", RK_DMY);
    rk_text_date_format(&d, buf);
    assert_string_equal(buf, "1992-02-25");
    d = parse("\xdb\xb1\xdb\xb3\xdb\xb7\xdb\xb1", RK_DMY);
    assert_int_equal(d.year, 1371);
    d = parse("\xef\xbc\x91\xef\xbc\x99\xef\xbc\x99\xef\xbc\x92", RK_DMY);
    assert_int_equal(d.year, 1992);
}

static void ambiguous_and_impossible_are_flagged(void **state)
{
    (void)state;
    rk_date d = parse("03.04.1992", RK_DMY);
    assert_true(d.flags & RK_DATE_AMBIGUOUS);
    assert_int_equal(d.day, 3);
    assert_int_equal(d.month, 4);
    assert_int_equal(d.alt_day, 4);
    assert_int_equal(d.alt_month, 3);
    d = parse("04.04.1992", RK_DMY);
    assert_false(d.flags & RK_DATE_AMBIGUOUS);
    d = parse("13.04.1992", RK_DMY);
    assert_false(d.flags & RK_DATE_AMBIGUOUS);
    d = parse("03/04/1992", RK_MDY);
    assert_int_equal(d.month, 3);
    assert_true(d.flags & RK_DATE_AMBIGUOUS);
    d = parse("31.02.1992", RK_DMY);
    assert_true(d.flags & RK_DATE_IMPOSSIBLE);
    assert_int_equal(d.day, 31);
    assert_int_equal(d.month, 2);
    d = parse("29.02.1993", RK_DMY);
    assert_true(d.flags & RK_DATE_IMPOSSIBLE);
    d = parse("29.02.1992", RK_DMY);
    assert_false(d.flags & RK_DATE_IMPOSSIBLE);
    d = parse("03.04.92", RK_DMY);
    assert_true(d.flags & RK_DATE_TWO_DIGIT);
    assert_int_equal(d.year, 1992);
    d = parse("unknown", RK_DMY);
    assert_int_equal(d.precision, RK_DATE_NONE);
    assert_true(d.flags & RK_DATE_UNPARSED);
    d = parse("", RK_DMY);
    assert_int_equal(d.flags, 0);
}

static void age_gives_birth_year_interval(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_date death = parse("26.02.1992", RK_DMY), birth = parse("1960", RK_DMY);
    int lo, hi;
    assert_int_equal(rk_text_age_birth_years(&ctx, 31, &death, &lo, &hi), RK_OK);
    assert_int_equal(lo, 1960);
    assert_int_equal(hi, 1961);
    assert_int_equal(rk_text_age_between(&ctx, &birth, &death, &lo, &hi), RK_OK);
    assert_int_equal(lo, 31);
    assert_int_equal(hi, 32);
    birth = parse("10.01.1960", RK_DMY);
    assert_int_equal(rk_text_age_between(&ctx, &birth, &death, &lo, &hi), RK_OK);
    assert_int_equal(lo, 32);
    assert_int_equal(hi, 32);
    assert_int_equal(rk_text_age_birth_years(&ctx, -1, &death, &lo, &hi), RK_EINPUT);
    rk_ctx_release(&ctx);
}

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
    assert_int_equal(rk_text_name_parse(t, "Мамедова Айгюн Алиевна", &n), RK_OK);
    assert_int_equal(rk_text_sex(t, "", &n, &flags), RK_SEX_FEMALE);
    assert_true(flags & RK_SEX_INFERRED);
    assert_int_equal(rk_text_sex(t, "M", &n, &flags), RK_SEX_MALE);
    assert_false(flags & RK_SEX_INFERRED);
    assert_string_equal(rk_text_sex_code(RK_SEX_FEMALE), "F");
    rk_text_free(t);
    rk_ctx_release(&ctx);
}

static void places_fold_and_map_to_regions(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_text *t = NULL;
    assert_int_equal(rk_text_new(&t, &ctx, NULL), RK_OK);
    rk_buf a, b;
    rk_buf_init(&a);
    rk_buf_init(&b);
    assert_int_equal(rk_text_place_key(t, "Xocalı rayonu", &a), RK_OK);
    assert_int_equal(rk_text_place_key(t, "Ходжалы", &b), RK_OK);
    assert_string_equal(rk_buf_cstr(&a), rk_buf_cstr(&b));
    const char *r, *p;
    size_t rl, pl;
    rk_text_place_split("Qarabağ, Xocalı", &r, &rl, &p, &pl);
    assert_int_equal(rl, strlen("Qarabağ"));
    assert_true(strncmp(p, "Xocalı", pl) == 0);
    rk_text_place_split("Xocalı", &r, &rl, &p, &pl);
    assert_int_equal(rl, 0);

    char *dir = rk_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/gaz.csv", dir);
    rk_test_write_file(path, "variant,place_id,region\nXocalı,AZ-XCI,Qarabağ\n"
                             "\"Khojaly, town\",AZ-XCI,Qarabağ\nŞuşa,AZ-SUS,Qarabağ\n");
    assert_int_equal(rk_text_gazetteer_load(t, path), RK_OK);
    const char *id, *region;
    assert_int_equal(rk_text_place_lookup(t, "Ходжалы", &id, &region), RK_OK);
    assert_string_equal(id, "AZ-XCI");
    assert_string_equal(region, "Qarabağ");
    assert_int_equal(rk_text_place_lookup(t, "Shusha", &id, &region), RK_OK);
    assert_string_equal(id, "AZ-SUS");
    assert_int_equal(rk_text_place_lookup(t, "Bakı", &id, &region), RK_ENOTFOUND);
    rk_test_write_file(path, "variant,place_id,region\n\"Xocalı,AZ\n");
    assert_int_equal(rk_text_gazetteer_load(t, path), RK_EINPUT);
    assert_int_equal(ctx.err.line, 2);
    rk_test_tmpdir_remove(dir);
    rk_buf_release(&a);
    rk_buf_release(&b);
    rk_text_free(t);
    rk_ctx_release(&ctx);
}

static void frequencies_count_keys_per_role_class(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_text *t = NULL;
    rk_text_freq *f = NULL;
    assert_int_equal(rk_text_new(&t, &ctx, NULL), RK_OK);
    assert_int_equal(rk_text_freq_new(&f, &ctx), RK_OK);
    const char *names[] = {"Мамедов Эльчин", "Məmmədov Vüqar", "Mammadova Aygun", "Əliyev Elçin"};
    rk_name n;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(rk_text_name_parse(t, names[i], &n), RK_OK);
        assert_int_equal(rk_text_freq_add(f, &n), RK_OK);
    }
    rk_text_keys k;
    assert_int_equal(rk_text_key(t, "Mamedov", RK_ROLE_FAMILY, &k), RK_OK);
    assert_int_equal(rk_text_freq_count(f, RK_ROLE_FAMILY, k.key), 3);
    assert_int_equal(rk_text_freq_total(f, RK_ROLE_FAMILY), 4);
    assert_true(rk_text_freq_share(f, RK_ROLE_FAMILY, k.key) == 0.75);
    assert_int_equal(rk_text_key(t, "Elchin", RK_ROLE_GIVEN, &k), RK_OK);
    assert_int_equal(rk_text_freq_count(f, RK_ROLE_GIVEN, k.key), 2);
    assert_int_equal(rk_text_freq_count(f, RK_ROLE_FAMILY, k.key), 0);
    rk_text_freq_free(f);
    rk_text_free(t);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_keep_precision),
        cmocka_unit_test(digits_of_any_script),
        cmocka_unit_test(ambiguous_and_impossible_are_flagged),
        cmocka_unit_test(age_gives_birth_year_interval),
        cmocka_unit_test(sex_from_many_spellings),
        cmocka_unit_test(places_fold_and_map_to_regions),
        cmocka_unit_test(frequencies_count_keys_per_role_class),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
