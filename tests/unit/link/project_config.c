/* Unit tests of a project link's configuration (src/link/project_config.c): the file
 * read through its tables of settings, sections and comparison levels, the errors that list
 * what is valid, and the names a run's recorded set-up gives each kind of level. */
#include "test.h"

#include "link/link_private.h"
#include "link/project_private.h"

static char *dir;
static char path[600];

static int set_up(void **state)
{
    (void)state;
    dir = rk_test_tmpdir();
    snprintf(path, sizeof(path), "%s/link.ini", dir);
    return 0;
}

static int tear_down(void **state)
{
    (void)state;
    rk_test_tmpdir_remove(dir);
    return 0;
}

/* Reads `text` as a configuration over the defaults into *s; returns the code. */
static int read_config(link_setup *s, rk_ctx *ctx, const char *text)
{
    rk_test_write_file(path, text);
    link_setup_defaults(s);
    return link_setup_read_config(s, ctx, path);
}

/* The configuration fails on `line` with a message that holds `part`. */
static void expect_error(const char *text, long line, const char *part)
{
    link_setup s;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(read_config(&s, &ctx, text), RK_EINPUT);
    assert_int_equal(ctx.err.line, line);
    if (!strstr(ctx.err.message, part))
        fail_msg("message '%s' lacks '%s'", ctx.err.message, part);
    rk_ctx_release(&ctx);
}

static const rk_link_compare *compare_of(const link_setup *s, const char *field)
{
    int f = link_setup_field_index(s, field);
    assert_true(f >= 0);
    for (size_t i = 0; i < s->ncompare; i++)
        if (s->compare[i].field == (size_t)f)
            return &s->compare[i];
    fail_msg("field '%s' is not compared", field);
    return NULL;
}

static void every_kind_of_level_has_a_name(void **state)
{
    (void)state;
    for (size_t k = 0; k < RK_CMP_COUNT; k++) {
        const link_level_kind *kind = link_level_kind_of((rk_link_cmp)k);
        assert_non_null(kind);
        assert_non_null(kind->name);
        for (size_t j = 0; j < k; j++)
            assert_string_not_equal(kind->name, link_level_kinds[j].name);
    }
    assert_null(link_level_kind_of(RK_CMP_COUNT));
    assert_null(link_level_kind_of((rk_link_cmp)-1));
    assert_int_equal(link_level_kinds[RK_CMP_DATE].type, RK_LINK_DATE);
}

static void sets_every_key_of_link(void **state)
{
    (void)state;
    link_setup s;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(read_config(&s, &ctx,
                                 "# every setting\n[link]\nthreshold = 0.7\nreview_low = 0\n"
                                 "review_high = 1\ncannot_link = 0.05\nbridge_min_mean = 0.4\n"
                                 "pair_floor = 0.2\nseed = 42\nmax_block = 100\n"
                                 "reference_year = 1993\nunique = a, b\nmode = across\n"
                                 "u_fixed = yes\n"),
                     RK_OK);
    assert_true(s.opts.threshold == 0.7);
    assert_true(s.opts.review_low == 0);
    assert_true(s.opts.review_high == 1);
    assert_true(s.opts.cannot_link_prob == 0.05);
    assert_true(s.opts.bridge_min_mean == 0.4);
    assert_true(s.opts.keep_floor == 0.2);
    assert_int_equal(s.opts.seed, 42);
    assert_int_equal(s.opts.max_block, 100);
    assert_int_equal(s.reference_year, 1993);
    assert_string_equal(s.unique_lists, "a, b");
    assert_int_equal(s.opts.mode, RK_LINK_ACROSS);
    assert_true(s.opts.u_fixed);
    rk_ctx_release(&ctx);
}

static void fields_rebuild_the_levels_and_rules(void **state)
{
    (void)state;
    link_setup s;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(read_config(&s, &ctx,
                                 "[link]\nfields = given, family, birth, field:postcode\n"
                                 "[compare field:postcode]\nlevels = exact vsound; jw 0.9\n"
                                 "tf = yes\n"),
                     RK_OK);
    assert_int_equal(s.nfields, 4);
    assert_int_equal(s.ncompare, 4);
    const rk_link_compare *c = compare_of(&s, "field:postcode");
    assert_true(c->tf_adjust);
    assert_int_equal(c->nlevels, 2);
    assert_int_equal(c->levels[0].cmp, RK_CMP_EXACT);
    assert_int_equal(c->levels[0].tag, TAG_VSOUND);
    assert_int_equal(c->levels[1].cmp, RK_CMP_JW);
    assert_string_equal(c->levels[1].label, "jw 0.9");
    /* No patronymic, death or place: only the rules of the fields present. */
    for (size_t r = 0; r < s.nrules; r++)
        assert_null(strstr(s.rules[r].name, "patronymic"));
    rk_ctx_release(&ctx);
}

static void parses_each_level_and_preset(void **state)
{
    (void)state;
    link_setup s;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(read_config(&s, &ctx,
                                 "[compare given]\nlevels = exact; jw 0.9 latin; edit 1; "
                                 "tokens 0.85 all; nickname; skeleton; unvocalized\ntf = no\n"
                                 "[compare birth]\nlevels = date 0 0; date 366 800; date 5\n"),
                     RK_OK);
    const rk_link_compare *g = compare_of(&s, "given");
    assert_false(g->tf_adjust);
    assert_int_equal(g->nlevels, 7);
    const struct {
        rk_link_cmp cmp;
        uint8_t tag, tag2;
        double threshold;
        const char *label;
    } want[] = {
        {RK_CMP_EXACT, TAG_SOUND, 0, 0, "exact"},
        {RK_CMP_JW, TAG_LATIN, 0, 0.9, "jw 0.9"},
        {RK_CMP_OSA, TAG_SOUND, 0, 1, "edit 1"},
        {RK_CMP_TOKENSET, TAG_ALL, 0, 0.85, "tokens 0.85"},
        {RK_CMP_EXACT, TAG_NICK, 0, 0, "nickname"},
        {RK_CMP_EXACT, TAG_SKEL, 0, 0, "skeleton"},
        {RK_CMP_CROSS, TAG_ABJAD, TAG_SKEL, 0, "unvocalized"},
    };
    for (size_t l = 0; l < RK_ARRAY_LEN(want); l++) {
        assert_int_equal(g->levels[l].cmp, want[l].cmp);
        assert_int_equal(g->levels[l].tag, want[l].tag);
        assert_int_equal(g->levels[l].tag2, want[l].tag2);
        assert_true(g->levels[l].threshold == want[l].threshold);
        assert_string_equal(g->levels[l].label, want[l].label);
    }
    const rk_link_compare *b = compare_of(&s, "birth");
    assert_int_equal(b->nlevels, 3);
    assert_int_equal(b->levels[1].cmp, RK_CMP_DATE);
    assert_true(b->levels[1].threshold == 366);
    assert_int_equal(b->levels[1].max_width, 800);
    assert_true(b->levels[2].threshold == 5);
    assert_int_equal(b->levels[2].max_width, 0);
    rk_ctx_release(&ctx);
}

static void blocks_replace_the_default_rules(void **state)
{
    (void)state;
    link_setup s;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(read_config(&s, &ctx,
                                 "[block names]\nparts = family.sound, birth.year\n"
                                 "split = given.latin\n[block day]\nparts = death.day\n"
                                 "max_pairs = 12.5\n"
                                 "[block typo]\nparts = given.sound, family.latin~1\n"),
                     RK_OK);
    assert_int_equal(s.nrules, 3);
    assert_true(s.rules[0].max_pairs == 0);
    assert_true(s.rules[1].max_pairs == 12.5);
    /* The bound is part of the recorded set-up, and only where set. */
    rk_buf b;
    rk_buf_init(&b);
    assert_int_equal(link_setup_to_json(&s, &b), RK_OK);
    assert_non_null(strstr(b.data, "\"name\":\"day\",\"parts\":[\"death.3\"],\"max_pairs\":12.5}"));
    assert_null(strstr(b.data, "\"name\":\"names\",\"parts\":[\"family.1\",\"birth.1\"],\"max"));
    rk_buf_release(&b);
    assert_false(s.rules[2].parts[0].one_off);
    assert_true(s.rules[2].parts[1].one_off);
    assert_int_equal(s.rules[2].parts[1].tag, TAG_LATIN);
    assert_string_equal(s.rules[0].name, "names");
    assert_int_equal(s.rules[0].nparts, 2);
    assert_int_equal(s.rules[0].parts[1].date_unit, 1);
    assert_true(s.rules[0].has_split);
    assert_int_equal(s.rules[0].split.tag, TAG_LATIN);
    assert_int_equal(s.rules[1].parts[0].date_unit, 3);
    rk_ctx_release(&ctx);
}

static void errors_list_what_is_valid(void **state)
{
    (void)state;
    expect_error("[link]\nthreshold = 0.7\n[compare family]\nlevels = exact; fuzzy 0.9\n", 4,
                 "unknown level 'fuzzy'; levels are exact, jw, edit, tokens, nickname, skeleton, "
                 "unvocalized, date");
    expect_error("[compare given]\nlevels = cross\n", 2, "unknown level 'cross'");
    expect_error("[compare given]\nlevels = exact bogus\n", 2,
                 "unknown key 'bogus'; keys are sound, latin, skeleton, nick, all, value, vsound");
    expect_error("[link]\nthresh = 0.5\n", 2,
                 "'thresh' is not a setting of [link]; use fields, threshold, review_low, "
                 "review_high, cannot_link, bridge_min_mean, pair_floor, seed, max_block, "
                 "pairs_in_memory, max_pairs_per_record, reference_year, unique, mode or u_fixed");
    expect_error("[compare given]\nfoo = 1\n", 2,
                 "'foo' is not a setting of [compare]; use levels or tf");
    expect_error("[block a]\nfoo = 1\n", 2,
                 "'foo' is not a setting of [block]; use parts, split or max_pairs");
    expect_error("\n[foo]\nx = 1\n", 3,
                 "unknown section [foo]; sections are [link], [compare FIELD], [block NAME]");
    expect_error("[link]\nfields = given, famly\n", 2,
                 "unknown field 'famly'; fields are given, family, patronymic, birth, death, sex, "
                 "place, region and field:NAME");
    expect_error("[link]\nmode = sideways\n", 2, "mode 'sideways' is not both, across or within");
}

static void errors_name_a_bad_value(void **state)
{
    (void)state;
    expect_error("[link]\nthreshold = 1\n", 2,
                 "'threshold = 1': threshold must be a probability above 0 and below 1");
    expect_error("[link]\nreview_high = 0\n", 2, "review_high must be a probability above 0");
    expect_error("[link]\nseed = -1\n", 2, "'seed = -1': seed must be a whole number");
    expect_error("[link]\nmax_block = 1\n", 2, "max_block must be a whole number, 2 or more");
    expect_error("[block b]\nparts = birth.day\nmax_pairs = -1\n", 3,
                 "max_pairs must be a number of pairs a record, 0 (no bound) or more");
    expect_error("[link]\nreference_year = 2200\n", 2, "reference_year must be a year");
    expect_error("[compare given]\nlevels = jw\n", 2, "level 'jw' needs a number after it");
    /* numbers compare.c would misuse: a float cast out of int's range, a similarity over 1 */
    expect_error("[compare family]\nlevels = edit 1e300 latin\n", 2,
                 "level 'edit 1e300': the number of edits must be a whole number from 0 to 255");
    expect_error("[compare family]\nlevels = exact; edit 1.5\n", 2, "a whole number");
    expect_error("[compare given]\nlevels = jw 1.5\n", 2,
                 "level 'jw 1.5': the similarity must be from 0 to 1");
    expect_error("[compare given]\nlevels = tokens 2 all\n", 2, "must be from 0 to 1");
    expect_error("[compare birth]\nlevels = date 0 abc\n", 2,
                 "date level: the width 'abc' is not a number of days");
    expect_error("[compare]\nlevels = exact\n", 1, "[compare] needs a name: [compare NAME]");
    expect_error("[compare nosuch]\nlevels = exact\n", 2, "[compare nosuch]: no such field");
    expect_error("[block a]\nparts = birth.week\n", 2, "must end in .year, .month or .day");
    expect_error("[block a]\nparts = family.latin~2\n", 2, "unknown key 'latin~2'");
    expect_error("[block a]\nsplit = given.sound\n", 0, "[block a] has no 'parts ='");
}

static void names_each_kind_in_the_recorded_setup(void **state)
{
    (void)state;
    link_setup s;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    assert_int_equal(read_config(&s, &ctx,
                                 "[link]\nmode = within\n[compare given]\nlevels = exact; "
                                 "jw 0.9; edit 1; tokens 1 all; unvocalized\n"),
                     RK_OK);
    rk_buf b;
    rk_buf_init(&b);
    assert_int_equal(link_setup_to_json(&s, &b), RK_OK);
    const char *json = rk_buf_cstr(&b);
    assert_non_null(strstr(json, "\"mode\":\"within\""));
    static const char *const names[] = {"\"cmp\":\"exact\"", "\"cmp\":\"jw\"",
                                        "\"cmp\":\"edit\"",  "\"cmp\":\"tokens\"",
                                        "\"cmp\":\"cross\"", "\"cmp\":\"date\""};
    for (size_t i = 0; i < RK_ARRAY_LEN(names); i++)
        if (!strstr(json, names[i]))
            fail_msg("the set-up lacks %s: %s", names[i], json);
    rk_buf_release(&b);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_of_level_has_a_name),
        cmocka_unit_test_setup_teardown(sets_every_key_of_link, set_up, tear_down),
        cmocka_unit_test_setup_teardown(fields_rebuild_the_levels_and_rules, set_up, tear_down),
        cmocka_unit_test_setup_teardown(parses_each_level_and_preset, set_up, tear_down),
        cmocka_unit_test_setup_teardown(blocks_replace_the_default_rules, set_up, tear_down),
        cmocka_unit_test_setup_teardown(errors_list_what_is_valid, set_up, tear_down),
        cmocka_unit_test_setup_teardown(errors_name_a_bad_value, set_up, tear_down),
        cmocka_unit_test_setup_teardown(names_each_kind_in_the_recorded_setup, set_up, tear_down),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
