/* Unit tests of src/synth: the files it writes, their agreement with the truth, the same
 * bytes for the same seed, the true sizes of the regions, and which lists leave out the
 * region or the age. (regions.c imports the lists and matches their regions.) */
#include "test.h"

static char *slurp(const char *dir, const char *name, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return rk_test_slurp(path, n);
}

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void run_lists(const char *scenario, const char *dir, uint64_t seed, unsigned lists,
                      rk_synth_summary *s)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_synth_options o = RK_SYNTH_OPTIONS_INIT;
    o.scenario = scenario;
    o.people = 3000;
    o.lists = lists;
    o.seed = seed;
    o.out_dir = dir;
    o.spreadsheet = "csv"; /* every list as text, to read here (balkans keeps two as .xlsx) */
    assert_int_equal(rk_synth_run(s, &ctx, &o), RK_OK);
    rk_ctx_release(&ctx);
}

static void run(const char *scenario, const char *dir, uint64_t seed, rk_synth_summary *s)
{
    run_lists(scenario, dir, seed, 5, s);
}

static void files_agree_with_the_truth(void **state)
{
    (void)state;
    for (const char *const *sc = rk_synth_scenarios(); *sc; sc++) {
        char *dir = rk_test_tmpdir();
        rk_synth_summary s;
        run(*sc, dir, 5, &s);
        assert_int_equal(s.people, 3000);
        assert_true(s.captured > 500 && s.captured < 3000);
        size_t n, total = 0;
        char *truth = slurp(dir, "truth.csv", &n);
        assert_int_equal(lines(truth), s.records + 1);
        for (unsigned i = 0; i < s.lists; i++) {
            char name[64];
            snprintf(name, sizeof(name), "%s.csv", s.list_name[i]);
            char *csv = slurp(dir, name, &n);
            assert_int_equal(lines(csv), s.list_records[i] + 1); /* no line breaks in values */
            total += s.list_records[i];
            free(csv);
            char key[64];
            snprintf(key, sizeof(key), "\n%s:", s.list_name[i]);
            assert_non_null(strstr(truth, key));
        }
        assert_int_equal(total, s.records);
        free(truth);
        char *readme = slurp(dir, "README.txt", &n);
        char want[128];
        snprintf(want, sizeof(want), "people captured by no list: %llu",
                 (unsigned long long)(s.people - s.captured));
        assert_non_null(strstr(readme, want));
        assert_non_null(strstr(readme, "true total (people): 3000"));
        free(readme);
        char *map = slurp(dir, "mapping.ini", &n);
        assert_non_null(strstr(map, "[list "));
        assert_non_null(strstr(map, "column.id = "));
        free(map);
        rk_test_tmpdir_remove(dir);
    }
}

static void same_seed_same_bytes(void **state)
{
    (void)state;
    char *d1 = rk_test_tmpdir(), *d2 = rk_test_tmpdir(), *d3 = rk_test_tmpdir();
    rk_synth_summary s1, s2, s3;
    run("caucasus", d1, 9, &s1);
    run("caucasus", d2, 9, &s2);
    run("caucasus", d3, 10, &s3);
    const char *files[RK_SYNTH_MAX_LISTS + 6] = {"mapping.ini", "truth.csv", "truth_regions.csv",
                                                 "gazetteer.csv", "README.txt"};
    size_t nfiles = 5;
    char names[RK_SYNTH_MAX_LISTS][64];
    for (unsigned i = 0; i < s1.lists; i++) {
        snprintf(names[i], sizeof(names[i]), "%s.csv", s1.list_name[i]);
        files[nfiles++] = names[i];
    }
    size_t n1, n2, n3;
    for (size_t i = 0; i < nfiles; i++) {
        char *a = slurp(d1, files[i], &n1), *b = slurp(d2, files[i], &n2);
        char *c = slurp(d3, files[i], &n3);
        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, n1);
        if (i != 0 && i != 3) /* the mapping and the gazetteer are the scenario's */
            assert_true(n1 != n3 || memcmp(a, c, n1) != 0);
        free(a);
        free(b);
        free(c);
    }
    rk_test_tmpdir_remove(d1);
    rk_test_tmpdir_remove(d2);
    rk_test_tmpdir_remove(d3);
}

/* The next line of s (advanced past it) into out, or false at the end. */
static bool next_line(char **s, char *out, size_t cap)
{
    if (!**s)
        return false;
    char *e = strchr(*s, '\n');
    size_t n = e ? (size_t)(e - *s) : strlen(*s);
    snprintf(out, cap, "%.*s", (int)n, *s);
    *s += n + (e != NULL);
    return true;
}

static void truth_regions_sum_to_the_people(void **state)
{
    (void)state;
    for (const char *const *sc = rk_synth_scenarios(); *sc; sc++) {
        char *dir = rk_test_tmpdir();
        rk_synth_summary s;
        run(*sc, dir, 4, &s);
        size_t n;
        char *truth = slurp(dir, "truth_regions.csv", &n), *gaz = slurp(dir, "gazetteer.csv", &n);
        char *t = truth, *g = gaz, line[512], row[512];
        assert_true(next_line(&t, line, sizeof(line)));
        assert_string_equal(line, "region,persons");
        assert_true(next_line(&g, row, sizeof(row)));
        assert_memory_equal(row, "region,place,", 13);
        uint64_t sum = 0, least = UINT64_MAX, most = 0;
        size_t regions = 0;
        while (next_line(&t, line, sizeof(line))) {
            char *comma = strrchr(line, ',');
            assert_non_null(comma);
            *comma = '\0';
            int64_t persons = 0;
            assert_int_equal(rk_parse_i64(&persons, comma + 1), RK_OK);
            sum += (uint64_t)persons;
            least = (uint64_t)persons < least ? (uint64_t)persons : least;
            most = (uint64_t)persons > most ? (uint64_t)persons : most;
            /* the gazetteer's region rows, in the same order: region, no place */
            assert_true(next_line(&g, row, sizeof(row)));
            char want[600];
            snprintf(want, sizeof(want), "%s,,", line);
            assert_memory_equal(row, want, strlen(want));
            regions++;
        }
        assert_int_equal(sum, 3000);
        assert_true(regions >= 5);
        assert_true(most >= 3 * least); /* regions of clearly different sizes */
        assert_true(next_line(&g, row, sizeof(row)));
        assert_true(row[strcspn(row, ",") + 1] != ','); /* then the places */
        free(truth);
        free(gaz);
        rk_test_tmpdir_remove(dir);
    }
}

/* Whether mapping.ini's section of a list maps any of the roles. */
static bool maps_any(const char *mapping, const char *list, const char *const *roles)
{
    char head[64];
    snprintf(head, sizeof(head), "[list %s]\n", list);
    const char *sec = strstr(mapping, head);
    assert_non_null(sec);
    const char *end = strstr(sec + 1, "\n[list ");
    for (; *roles; roles++) {
        char want[64];
        snprintf(want, sizeof(want), "\ncolumn.%s = ", *roles);
        const char *at = strstr(sec, want);
        if (at && (!end || at < end))
            return true;
    }
    return false;
}

static void one_list_without_region_one_without_age(void **state)
{
    (void)state;
    static const char *const where[] = {"region", "place", NULL};
    static const char *const age[] = {"age", "birth_date", "birth_year", NULL};
    for (const char *const *sc = rk_synth_scenarios(); *sc; sc++)
        for (unsigned k = 3; k <= 4; k++) {
            char *dir = rk_test_tmpdir();
            rk_synth_summary s;
            run_lists(*sc, dir, 2, k, &s);
            size_t n;
            char *map = slurp(dir, "mapping.ini", &n), *readme = slurp(dir, "README.txt", &n);
            int no_where = -1, no_age = -1, count_where = 0, count_age = 0;
            for (unsigned i = 0; i < s.lists; i++) {
                if (!maps_any(map, s.list_name[i], where))
                    no_where = (int)i, count_where++;
                if (!maps_any(map, s.list_name[i], age))
                    no_age = (int)i, count_age++;
            }
            assert_int_equal(count_where, 1);
            assert_int_equal(count_age, 1);
            assert_int_not_equal(no_where, no_age);
            char want[128];
            snprintf(want, sizeof(want), "Lists without a region or a place: %s (",
                     s.list_name[no_where]);
            assert_non_null(strstr(readme, want));
            snprintf(want, sizeof(want), "Lists without an age or a birth date: %s.\n",
                     s.list_name[no_age]);
            assert_non_null(strstr(readme, want));
            assert_non_null(strstr(readme, "reckon gazetteer synth.rkp gazetteer.csv "
                                           "--region-column region --place-column place\n"));
            free(map);
            free(readme);
            rk_test_tmpdir_remove(dir);
        }
}

static void names_appear_in_their_scripts(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    rk_synth_summary s;
    run("caucasus", dir, 1, &s);
    size_t n;
    char *ministry = slurp(dir, "ministry.csv", &n);
    assert_non_null(strstr(ministry, "oğlu"));     /* Azerbaijani patronymics */
    assert_non_null(strstr(ministry, "\xc9\x99")); /* ə */
    free(ministry);
    char *reg = slurp(dir, "hy_registry.csv", &n);
    assert_non_null(strstr(reg, "յան")); /* Armenian surnames */
    free(reg);
    char *mem = slurp(dir, "memorial.csv", &n); /* WINDOWS-1251: "Номер" is CD EE EC E5 F0 */
    assert_memory_equal(mem, "\xcd\xee\xec\xe5\xf0,", 6);
    free(mem);
    rk_test_tmpdir_remove(dir);
}

static void bad_options_are_input_errors(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_synth_options o = RK_SYNTH_OPTIONS_INIT;
    rk_synth_summary s;
    o.out_dir = "/tmp";
    o.scenario = "atlantis";
    assert_int_equal(rk_synth_run(&s, &ctx, &o), RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "'atlantis'"));
    o.scenario = "arabic";
    o.lists = 1;
    assert_int_equal(rk_synth_run(&s, &ctx, &o), RK_EINPUT);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(files_agree_with_the_truth),
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(truth_regions_sum_to_the_people),
        cmocka_unit_test(one_list_without_region_one_without_age),
        cmocka_unit_test(names_appear_in_their_scripts),
        cmocka_unit_test(bad_options_are_input_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
