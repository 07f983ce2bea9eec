/* The CLI's progress line (src/cli/progress.c, included whole for its static functions): the
 * formatter (thousands, sizes, percent, rate, time left) and the state machine (nothing for
 * the first 2 seconds of a stage, at most 10 redraws a second, erased when a stage ends, nested
 * stages keep their clocks) driven by a fake clock; the erasing; off when stderr is a file. */
#include "test.h"

#include "cli/progress.c"

#include <stdlib.h>
#include <unistd.h>

static void formats_counts_with_separators(void **unused)
{
    (void)unused;
    char s[32];
    static const struct {
        uint64_t n;
        const char *want;
    } cases[] = {{0, "0"},
                 {999, "999"},
                 {1000, "1,000"},
                 {123456, "123,456"},
                 {1234567, "1,234,567"},
                 {18446744073709551615ull, "18,446,744,073,709,551,615"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fmt_count(s, sizeof(s), cases[i].n);
        assert_string_equal(s, cases[i].want);
    }
}

static void formats_a_line_with_total_rate_and_eta(void **unused)
{
    (void)unused;
    char line[PROGRESS_LINE];
    /* 1,234,567.8 pairs a second; 14,930,638 left take 12.09 s: shown as 13 s */
    progress_format(line, sizeof(line), "link", "comparing pairs", 12345678, 27276316, 10.0);
    assert_string_equal(line,
                        "link: comparing 12,345,678 / 27,276,316 pairs  45%  1.2M/s  ETA 13 s");
    progress_format(line, sizeof(line), "link", "comparing pairs", 0, 1000, 0.0);
    assert_string_equal(line, "link: comparing 0 / 1,000 pairs  0%");
    progress_format(line, sizeof(line), "estimate", "estimating strata", 1, 1000, 1.0);
    assert_string_equal(line, "estimate: estimating 1 / 1,000 strata  0%  1.0/s  ETA 16 min 39 s");
    progress_format(line, sizeof(line), "estimate", "estimating strata", 1, 10000, 1.0);
    assert_string_equal(line, "estimate: estimating 1 / 10,000 strata  0%  1.0/s  ETA 2 h 46 min");
}

static void formats_unknown_totals_bytes_and_bare_stages(void **unused)
{
    (void)unused;
    char line[PROGRESS_LINE];
    progress_format(line, sizeof(line), "link", "loading records", 150000, 0, 3.0);
    assert_string_equal(line, "link: loading 150,000 records  50.0k/s");
    progress_format(line, sizeof(line), "import", "reading bytes", 12300000, 50000000, 3.0);
    assert_string_equal(line, "import: reading 12.3 MB / 50.0 MB  24%  4.1 MB/s  ETA 10 s");
    progress_format(line, sizeof(line), "import", "reading bytes", 512, 0, 2.0);
    assert_string_equal(line, "import: reading 512 B  256 B/s");
    progress_format(line, sizeof(line), "x", "working", 7, 0, 0.0);
    assert_string_equal(line, "x: working 7");
    char tiny[12];
    progress_format(tiny, sizeof(tiny), "link", "comparing pairs", 12345678, 27276316, 10.0);
    assert_string_equal(tiny, "link: compa"); /* cut, terminated */
}

static void shows_long_stages_only_and_throttles(void **unused)
{
    (void)unused;
    progress_state s = {.command = "link", .after = PROGRESS_AFTER};
    char line[PROGRESS_LINE];
    assert_int_equal(progress_step(line, sizeof(line), &s, "comparing pairs", 0, 100, 50.0),
                     PROGRESS_NOTHING);
    assert_int_equal(progress_step(line, sizeof(line), &s, "comparing pairs", 10, 100, 51.99),
                     PROGRESS_NOTHING);
    assert_int_equal(progress_step(line, sizeof(line), &s, "comparing pairs", 20, 100, 52.0),
                     PROGRESS_DRAW);
    assert_string_equal(line, "link: comparing 20 / 100 pairs  20%  10/s  ETA 8 s");
    assert_int_equal(progress_step(line, sizeof(line), &s, "comparing pairs", 21, 100, 52.05),
                     PROGRESS_NOTHING); /* within a tenth of a second */
    assert_int_equal(progress_step(line, sizeof(line), &s, "comparing pairs", 30, 100, 52.1),
                     PROGRESS_DRAW);
    /* another stage while the line shows replaces it at once, with its own clock */
    assert_int_equal(progress_step(line, sizeof(line), &s, "fitting iterations", 4, 0, 52.3),
                     PROGRESS_DRAW);
    assert_string_equal(line, "link: fitting 4 iterations");
    assert_int_equal(progress_step(line, sizeof(line), &s, "comparing pairs", 100, 100, 52.5),
                     PROGRESS_ERASE);
    assert_false(s.visible);
    /* a short stage that ends shows nothing and erases nothing */
    assert_int_equal(progress_step(line, sizeof(line), &s, "saving pairs", 0, 10, 60.0),
                     PROGRESS_NOTHING);
    assert_int_equal(progress_step(line, sizeof(line), &s, "saving pairs", 10, 10, 61.0),
                     PROGRESS_NOTHING);
}

static void nested_stages_keep_their_clocks(void **unused)
{
    (void)unused;
    progress_state s = {.command = "estimate", .after = PROGRESS_AFTER};
    char line[PROGRESS_LINE];
    assert_int_equal(progress_step(line, sizeof(line), &s, "estimating strata", 0, 4, 10.0),
                     PROGRESS_NOTHING);
    for (int k = 0; k <= 5; k++) /* a short inner stage, begun and ended */
        assert_int_equal(progress_step(line, sizeof(line), &s, "clustering steps", (uint64_t)k, 5,
                                       11.0 + 0.1 * k),
                         PROGRESS_NOTHING);
    assert_int_equal(progress_step(line, sizeof(line), &s, "estimating strata", 1, 4, 12.0),
                     PROGRESS_DRAW);
    assert_string_equal(line, "estimate: estimating 1 / 4 strata  25%  0.5/s  ETA 6 s");
    /* the inner stage, begun anew, has its own clock; its end erases the line */
    assert_int_equal(progress_step(line, sizeof(line), &s, "clustering steps", 0, 5, 12.5),
                     PROGRESS_DRAW);
    assert_int_equal(progress_step(line, sizeof(line), &s, "clustering steps", 5, 5, 12.6),
                     PROGRESS_ERASE);
    /* a stage of unknown total run again (its count goes back) starts its clock again */
    assert_int_equal(progress_step(line, sizeof(line), &s, "fitting iterations", 40, 0, 13.0),
                     PROGRESS_NOTHING); /* a new stage; no line showing */
    assert_int_equal(progress_step(line, sizeof(line), &s, "fitting iterations", 0, 0, 30.0),
                     PROGRESS_NOTHING); /* the line was erased; a new run of 0 s */
    assert_int_equal(progress_step(line, sizeof(line), &s, "fitting iterations", 10, 0, 31.0),
                     PROGRESS_NOTHING);
    assert_int_equal(progress_step(line, sizeof(line), &s, "fitting iterations", 20, 0, 32.0),
                     PROGRESS_DRAW);
    assert_string_equal(line, "estimate: fitting 20 iterations  10/s");
    s.visible = false;
    /* more stages than slots: the oldest gives its slot up, the newest keep theirs */
    for (int k = 0; k < 2 * PROGRESS_STAGES; k++) {
        char name[32];
        snprintf(name, sizeof(name), "stage%d things", k);
        assert_int_equal(progress_step(line, sizeof(line), &s, name, 0, 0, 40.0 + k),
                         PROGRESS_NOTHING);
    }
    size_t old = 0, newest = 0;
    for (size_t i = 0; i < PROGRESS_STAGES; i++) {
        old += strcmp(s.stages[i].name, "stage0 things") == 0;
        newest += strcmp(s.stages[i].name, "stage15 things") == 0;
    }
    assert_int_equal(old, 0);
    assert_int_equal(newest, 1);
}

/* What cli_progress_clear writes to stderr, into `out`. */
static void clear_into(char *out, size_t outsz)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
    cli_progress_clear();
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    rewind(f);
    size_t n = fread(out, 1, outsz - 1, f);
    out[n] = '\0';
    fclose(f);
}

static void clears_the_line_once_and_stays_off_without_a_terminal(void **unused)
{
    (void)unused;
    char out[32];
    state.visible = true;
    clear_into(out, sizeof(out));
    assert_string_equal(out, "\r\033[K");
    clear_into(out, sizeof(out));
    assert_string_equal(out, "");
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    ctx.progress = progress_to_stderr;
    cli_progress_install(&ctx, "link");
    if (isatty(STDERR_FILENO))
        assert_ptr_equal(ctx.progress, progress_to_stderr);
    else
        assert_null(ctx.progress); /* the output stays as it was without a terminal */
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_counts_with_separators),
        cmocka_unit_test(formats_a_line_with_total_rate_and_eta),
        cmocka_unit_test(formats_unknown_totals_bytes_and_bare_stages),
        cmocka_unit_test(shows_long_stages_only_and_throttles),
        cmocka_unit_test(nested_stages_keep_their_clocks),
        cmocka_unit_test(clears_the_line_once_and_stays_off_without_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
