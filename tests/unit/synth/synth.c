/* Unit tests of src/synth: the files it writes, their agreement with the truth, and the same
 * bytes for the same seed. */
#include "test.h"

static char *slurp(const char *dir, const char *name, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
    s[len] = '\0';
    fclose(f);
    *n = (size_t)len;
    return s;
}

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void run(const char *scenario, const char *dir, uint64_t seed, rk_synth_summary *s)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_synth_options o = RK_SYNTH_OPTIONS_INIT;
    o.scenario = scenario;
    o.people = 3000;
    o.lists = 5;
    o.seed = seed;
    o.out_dir = dir;
    assert_int_equal(rk_synth_run(s, &ctx, &o), RK_OK);
    rk_ctx_release(&ctx);
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
    size_t n1, n2, n3;
    for (unsigned i = 0; i < s1.lists; i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s.csv", s1.list_name[i]);
        char *a = slurp(d1, name, &n1), *b = slurp(d2, name, &n2), *c = slurp(d3, name, &n3);
        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, n1);
        assert_true(n1 != n3 || memcmp(a, c, n1) != 0);
        free(a);
        free(b);
        free(c);
    }
    rk_test_tmpdir_remove(d1);
    rk_test_tmpdir_remove(d2);
    rk_test_tmpdir_remove(d3);
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
        cmocka_unit_test(names_appear_in_their_scripts),
        cmocka_unit_test(bad_options_are_input_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
