/* Unit tests of the Febrl-like generator (src/synth/febrl.c): the same bytes for the same seed,
 * a truth that names every record and the pairs asked for, the modifications made in the
 * proportions set, and a missing value that is really missing in the file. */
#include "test.h"

#include <math.h>

static char *slurp(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return rk_test_slurp(path, NULL);
}

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void make(rk_synth_febrl_summary *s, const rk_synth_febrl_options *o)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(rk_synth_febrl(s, &ctx, o), RK_OK);
    rk_ctx_release(&ctx);
}

static rk_synth_febrl_options options(const char *dir, uint64_t records, uint64_t pairs)
{
    rk_synth_febrl_options o = RK_SYNTH_FEBRL_OPTIONS_INIT;
    o.records = records;
    o.pairs = pairs;
    o.out_dir = dir;
    return o;
}

static void same_seed_same_bytes(void **state)
{
    (void)state;
    char *d1 = rk_test_tmpdir(), *d2 = rk_test_tmpdir(), *d3 = rk_test_tmpdir();
    rk_synth_febrl_summary s;
    rk_synth_febrl_options o = options(d1, 2000, 800);
    o.seed = 3;
    make(&s, &o);
    o.out_dir = d2;
    make(&s, &o);
    o.out_dir = d3;
    o.seed = 4;
    make(&s, &o);
    static const char *const files[] = {"a.csv", "b.csv", "truth.csv", "mapping.ini"};
    for (size_t i = 0; i < 4; i++) {
        char *x = slurp(d1, files[i]), *y = slurp(d2, files[i]), *z = slurp(d3, files[i]);
        assert_string_equal(x, y);
        if (i < 3)
            assert_string_not_equal(x, z);
        free(x);
        free(y);
        free(z);
    }
    rk_test_tmpdir_remove(d1);
    rk_test_tmpdir_remove(d2);
    rk_test_tmpdir_remove(d3);
}

/* The rec_id of each data line of csv, checked against truth: "LIST:rec_id,pid". */
static size_t check_in_truth(const char *csv, const char *list, const char *truth, size_t *dups)
{
    size_t n = 0;
    const char *p = strchr(csv, '\n') + 1;
    for (; *p; p = strchr(p, '\n') + 1, n++) {
        const char *end = strchr(p, ',');
        assert_non_null(end);
        char key[128];
        snprintf(key, sizeof(key), "\n%s:%.*s,", list, (int)(end - p), p);
        const char *hit = strstr(truth, key);
        assert_non_null(hit);
        unsigned long long id, pid;
        assert_memory_equal(p, "rec-", 4);
        id = strtoull(p + 4, NULL, 10);
        pid = strtoull(hit + strlen(key), NULL, 10);
        assert_int_equal(id, pid);
        *dups += strncmp(end - 5, "dup-0", 5) == 0;
    }
    return n;
}

static void truth_covers_every_record(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    rk_synth_febrl_summary s;
    rk_synth_febrl_options o = options(dir, 3000, 1200);
    make(&s, &o);
    assert_int_equal(s.records_a, 3000);
    assert_int_equal(s.pairs, 1200);
    char *a = slurp(dir, "a.csv"), *b = slurp(dir, "b.csv"), *t = slurp(dir, "truth.csv");
    assert_int_equal(lines(t), 1 + 6000);
    size_t dups = 0;
    assert_int_equal(check_in_truth(a, "a", t, &dups), 3000);
    assert_int_equal(dups, 0);
    assert_int_equal(check_in_truth(b, "b", t, &dups), 3000);
    assert_int_equal(dups, 1200);
    /* every duplicate's person is in a.csv */
    for (const char *p = strstr(b, "dup-0"); p; p = strstr(p + 1, "dup-0")) {
        const char *q = p;
        while (q[-1] != '\n')
            q--;
        char key[64];
        snprintf(key, sizeof(key), "\n%.*sorg,", (int)(p - q), q);
        assert_non_null(strstr(a, key));
    }
    free(a);
    free(b);
    free(t);
    rk_test_tmpdir_remove(dir);
}

static void errors_in_the_proportions_set(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    rk_synth_febrl_summary s;
    rk_synth_febrl_options o = options(dir, 5000, 5000);
    o.max_errors = 3;
    make(&s, &o);
    double total = 0, wsum = 0;
    for (int k = 0; k < RK_FEBRL_NKINDS; k++) {
        total += (double)s.errors[k];
        wsum += o.weight[k];
    }
    assert_true(fabs(total / 5000.0 - 2.0) < 0.06); /* 1 to 3 a duplicate: 2 on average */
    for (int k = 0; k < RK_FEBRL_NKINDS; k++)
        assert_true(fabs((double)s.errors[k] / total - o.weight[k] / wsum) < 0.02);
    /* other weights, other proportions */
    o.max_errors = 1;
    for (int k = 0; k < RK_FEBRL_NKINDS; k++)
        o.weight[k] = 0;
    o.weight[RK_FEBRL_SWAP] = 1;
    o.weight[RK_FEBRL_DATE] = 3;
    make(&s, &o);
    assert_int_equal(s.errors[RK_FEBRL_SWAP] + s.errors[RK_FEBRL_DATE], 5000);
    assert_true(fabs((double)s.errors[RK_FEBRL_DATE] / 5000.0 - 0.75) < 0.03);
    rk_test_tmpdir_remove(dir);
}

/* The line of person pid in csv (at its rec_id), as a copy of its fields after the id. */
static size_t fields_of(char out[11][64], const char *csv, unsigned long long pid, bool dup)
{
    char key[64];
    snprintf(key, sizeof(key), "\nrec-%llu-%s, ", pid, dup ? "dup-0" : "org");
    const char *p = strstr(csv, key);
    assert_non_null(p);
    p += strlen(key);
    size_t n = 0, empty = 0;
    while (n < 10) {
        size_t len = strcspn(p, ",\n");
        snprintf(out[n], 64, "%.*s", (int)len, p);
        empty += len == 0;
        n++;
        p += len;
        if (*p != ',')
            break;
        p += 2; /* ", " */
    }
    assert_int_equal(n, 10);
    return empty;
}

static void a_missing_value_is_missing(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    rk_synth_febrl_summary s;
    rk_synth_febrl_options o = options(dir, 500, 500);
    o.max_errors = 1;
    for (int k = 0; k < RK_FEBRL_NKINDS; k++)
        o.weight[k] = 0;
    o.weight[RK_FEBRL_MISSING] = 1;
    make(&s, &o);
    assert_int_equal(s.errors[RK_FEBRL_MISSING], 500);
    char *a = slurp(dir, "a.csv"), *b = slurp(dir, "b.csv");
    char fa[11][64], fb[11][64];
    for (unsigned long long pid = 0; pid < 500; pid++) {
        size_t ea = fields_of(fa, a, pid, false), eb = fields_of(fb, b, pid, true);
        assert_int_equal(eb, ea + 1); /* one value more is empty, the others unchanged */
        for (int f = 0; f < 10; f++)
            if (fb[f][0])
                assert_string_equal(fa[f], fb[f]);
    }
    free(a);
    free(b);
    rk_test_tmpdir_remove(dir);
}

static void bad_options_are_input_errors(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_synth_febrl_summary s;
    rk_synth_febrl_options o = options(dir, 100, 101);
    assert_int_equal(rk_synth_febrl(&s, &ctx, &o), RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "101 pairs"));
    o.pairs = 10;
    for (int k = 0; k < RK_FEBRL_NKINDS; k++)
        o.weight[k] = 0;
    assert_int_equal(rk_synth_febrl(&s, &ctx, &o), RK_EINPUT);
    assert_non_null(strstr(ctx.err.message, "weight 0"));
    rk_ctx_release(&ctx);
    rk_test_tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(truth_covers_every_record),
        cmocka_unit_test(errors_in_the_proportions_set),
        cmocka_unit_test(a_missing_value_is_missing),
        cmocka_unit_test(bad_options_are_input_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
