/* The gazetteer read for stratification (rk_gazetteer_*), from a project filled by
 * rk_ingest_gazetteer: a region found by any spelling of its names or of its places' names,
 * a place named in two regions finding neither, a project without a gazetteer. */
#include "test_project.h"

typedef rk_test_project fx;

static int setup(void **state)
{
    fx *f = rk_test_project_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

static void region_is(rk_gazetteer *g, const char *region, const char *place, const char *want)
{
    const char *got = NULL;
    assert_int_equal(rk_gazetteer_region(&got, g, region, place), RK_OK);
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got ? got : "(none)", want);
}

static void regions_and_places_in_any_spelling(void **state)
{
    fx *f = *state;
    rk_gazetteer *g = NULL;
    assert_int_equal(rk_gazetteer_open(&g, f->st), RK_OK);
    assert_null(g); /* no gazetteer yet */
    char path[512];
    snprintf(path, sizeof(path), "%s/gaz.csv", f->dir);
    rk_test_write_file(path, "ADM1_EN,ADM2_EN,ADM1_RU,ADM1_AZ\n"
                             "Kelvar,,Келвар,Kəlvər\n"
                             "South,,Юг,Cənub\n"
                             "Kelvar,Arzan,Арзан,\n"
                             "Kəlvər,Belvor,Бельвор,\n" /* the region by another spelling */
                             "South,Karsu,Карсу,\n"
                             "Kelvar,Ortakend,,\n"
                             "South,Ortakend,,\n"); /* one place name in two regions */
    rk_gazetteer_options o = RK_GAZETTEER_OPTIONS_INIT;
    o.region_column = "ADM1_EN";
    o.place_column = "ADM2_EN";
    rk_gazetteer_result r;
    assert_int_equal(rk_ingest_gazetteer(&r, f->st, path, &o), RK_OK);
    assert_int_equal(r.rows, 7);
    assert_int_equal(r.regions, 2);
    assert_int_equal(r.places, 5);
    assert_int_equal(rk_gazetteer_open(&g, f->st), RK_OK);
    assert_non_null(g);
    region_is(g, "kelver", NULL, "Kelvar");
    region_is(g, "КЕЛВАР", "", "Kelvar");
    region_is(g, "Cənub", NULL, "South");
    region_is(g, NULL, "Бельвор", "Kelvar");
    region_is(g, "", "karsu", "South");
    region_is(g, "Atlantis", "Арзан", "Kelvar"); /* failing the region, the place */
    region_is(g, "Atlantis", NULL, NULL);
    region_is(g, NULL, "Ortakend", NULL); /* in two regions: neither */
    region_is(g, NULL, NULL, NULL);
    const char *place = NULL;
    assert_int_equal(rk_gazetteer_place(&place, g, "Арзан"), RK_OK);
    assert_string_equal(place, "Arzan");
    assert_int_equal(rk_gazetteer_place(&place, g, "Ortakend"), RK_OK);
    assert_null(place);
    rk_gazetteer_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(regions_and_places_in_any_spelling, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
