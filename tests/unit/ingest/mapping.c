/* Unit tests of mapping files: sections, keys, comments, errors with their line. */
#include "test.h"

static void parses_lists_keys_and_comments(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    const char *text =
        "# lists of the demo\n"
        "[list ministry]\n"
        "  # the register\n"
        "file = ministry.csv\n"
        "delimiter = ;\n"
        "name_order = family-first\n"
        "column.id = No\n"
        "column.full_name = Soyadı, adı\n"
        "date_format.birth_date = DD.MM.YYYY\n"
        "column.field:passport = Pasport #\n"
        "\n[list ngo]\r\nencoding = WINDOWS-1251\r\ncolumn.family_name = Фамилия\r\n";
    rk_mapping_set set;
    assert_int_equal(rk_mapping_parse(&set, &ctx, "m.ini", text, strlen(text)), RK_OK);
    assert_int_equal(set.count, 2);
    rk_mapping *m = rk_mapping_set_find(&set, "ministry");
    assert_non_null(m);
    assert_string_equal(m->file, "ministry.csv");
    assert_int_equal(m->delimiter, ';');
    assert_int_equal(m->name_order, RK_ORDER_FAMILY_FIRST);
    assert_string_equal(m->column[RK_FIELD_FULL_NAME], "Soyadı, adı");
    assert_string_equal(m->date_format[RK_FIELD_BIRTH_DATE], "DD.MM.YYYY");
    assert_int_equal(m->nextras, 1);
    assert_string_equal(m->extra_name[0], "passport");
    assert_string_equal(m->extra_column[0], "Pasport #");
    rk_mapping *n = rk_mapping_set_find(&set, "ngo");
    assert_string_equal(n->encoding, "WINDOWS-1251");
    assert_string_equal(n->column[RK_FIELD_FAMILY_NAME], "Фамилия");
    char *json = NULL;
    assert_int_equal(rk_mapping_to_json(&json, m), RK_OK);
    assert_non_null(strstr(json, "\"field:passport\":\"Pasport #\""));
    rk_free(json);
    rk_mapping_set_release(&set);
    rk_ctx_release(&ctx);
}

static void expect_error(const char *text, long line, const char *part)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_mapping_set set;
    assert_int_equal(rk_mapping_parse(&set, &ctx, "m.ini", text, strlen(text)), RK_EINPUT);
    assert_int_equal(ctx.err.line, line);
    if (!strstr(ctx.err.message, part))
        fail_msg("message '%s' lacks '%s'", ctx.err.message, part);
    assert_int_equal(set.count, 0);
    rk_ctx_release(&ctx);
}

static void names_the_line_of_each_error(void **state)
{
    (void)state;
    expect_error("column.id = x\n", 1, "before any '[list NAME]'");
    expect_error("[list a]\ncolumn.nme = x\n", 2, "unknown role 'nme'");
    expect_error("[list a]\nfoo = bar\n", 2, "unknown key 'foo'");
    expect_error("[list a]\n[list a]\n", 2, "mapped twice");
    expect_error("[list a b]\n", 1, "list name");
    expect_error("[lst a]\n", 1, "[list NAME]");
    expect_error("[list a]\njust words\n", 2, "key = value");
    expect_error("[list a]\ndate_format.birth_date = DD/MM/YYY\n", 2, "not understood");
    expect_error("[list a]\ndate_format.birth_date = DD.MM-YYYY\n", 2,
                 "date format 'DD.MM-YYYY' is not understood (numbers are separated by one "
                 "separator)");
    expect_error("[list a]\ncentury_pivot = 92\n", 2, "century pivot '92' is not a year");
    expect_error("[list a]\ndate_format.age = DD.MM.YYYY\n", 2, "birth_date or death_date");
    expect_error("[list a]\nname_order = backwards\n", 2, "name order");
    expect_error("[list a]\ncolumn.id =\n", 2, "is empty");
    expect_error("[list a]\ncolumn.field:a b = x\n", 2, "extra field name");
}

/* The one rule for list names, and its reasons quoted safe for a terminal. */
static void list_names_one_rule(void **state)
{
    (void)state;
    char why[512];
    const char *ok[] = {"a", "ministry_2", "N-1.b",
                        "0123456789012345678901234567890123456789"
                        "012345678901234567890123"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        assert_true(rk_list_name_ok(ok[i], why, sizeof(why)));
    const struct {
        const char *name, *part;
    } bad[] = {
        {"", "the list name is empty"},
        {"a\x1b[31m", "list name 'a\\x1b[31m' holds an escape character at byte 2"},
        {"a\nb", "'a\\x0ab' holds a line break at byte 2"},
        {"a\tb", "holds a control character at byte 2"},
        {"a b", "holds a space at byte 2"},
        {"\xd0\x9c\xd0\xb8\xd0\xbd",
         "'\\xd0\\x9c\\xd0\\xb8\\xd0\\xbd' holds a character beyond ASCII"},
        {"=HYPERLINK(1)", "holds a character outside the rule at byte 1"},
        {"a\\b", "'a\\x5cb'"},
        {"01234567890123456789012345678901234567890123456789012345678901234", "is 65 bytes long"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(rk_list_name_ok(bad[i].name, why, sizeof(why)));
        if (!strstr(why, bad[i].part))
            fail_msg("'%s' lacks '%s'", why, bad[i].part);
        for (const char *c = why; *c; c++)
            assert_true((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f);
    }
    /* A short buffer cuts the quoted name whole escapes at a time. */
    char shown[6];
    assert_string_equal(rk_str_shown(shown, sizeof(shown), "ab\x1b"), "ab");
}

/* A key given twice in a section is refused at its second line. */
static void refuses_a_key_given_twice(void **state)
{
    (void)state;
    expect_error("[list a]\ncolumn.id = x\n# c\ncolumn.id = y\n", 4,
                 "key 'column.id' is given twice in '[list a]' (first on line 2)");
    expect_error("[list a]\nfile = a.csv\n[list b]\nfile = b.csv\nfile = c.csv\n", 5,
                 "key 'file' is given twice in '[list b]'");
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_mapping_set set;
    const char *text = "[list a]\nfile = a.csv\n[list b]\nfile = a.csv\n";
    assert_int_equal(rk_mapping_parse(&set, &ctx, "m.ini", text, strlen(text)), RK_OK);
    rk_mapping_set_release(&set);
    rk_ctx_release(&ctx);
}

static void errors_list_what_is_valid(void **state)
{
    (void)state;
    expect_error(
        "[list a]\nfoo = bar\n", 2,
        "unknown key 'foo'; keys are column.ROLE, date_format.ROLE, century_pivot, name_order, "
        "delimiter, encoding, language, description, file");
    expect_error("[list a]\ncolumn.nme = x\n", 2,
                 "unknown role 'nme'; roles are id, full_name, given_name, family_name, "
                 "second_family_name, patronymic, father_name, mother_name, sex, birth_date, "
                 "birth_year, age, death_date, place, region, violation and field:NAME");
    expect_error("[list a]\ndelimiter = :\n", 2,
                 "delimiter ':' is not one of ',', ';', '|', tab, auto");
    expect_error("[list a]\nname_order = backwards\n", 2,
                 "name order 'backwards' is not one of family-first, given-first, auto");
}

/* The keys a flag sets (no file, no line): each through the same table as a file's. */
static void puts_each_key_from_a_flag(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_mapping m;
    rk_mapping_init(&m);
    static const char *const kv[][2] = {
        {"column.given_name", "Name"},
        {"column.field:id-no", "ID"},
        {"date_format.death_date", "MM/DD/YYYY"},
        {"date_format.birth_date", "auto"},
        {"century_pivot", "1930"},
        {"name_order", "given-first"},
        {"delimiter", "\\t"},
        {"encoding", "CP1256"},
        {"language", "ar"},
        {"description", "d"},
        {"file", "f.csv"},
        {"column.field:id-no", "ID2"},
    };
    for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
        assert_int_equal(rk_mapping_put(&m, &ctx, kv[i][0], kv[i][1], NULL, 0), RK_OK);
    assert_string_equal(m.column[RK_FIELD_GIVEN_NAME], "Name");
    assert_int_equal(m.nextras, 1);
    assert_string_equal(m.extra_column[0], "ID2");
    assert_string_equal(m.date_format[RK_FIELD_DEATH_DATE], "MM/DD/YYYY");
    assert_string_equal(m.date_format[RK_FIELD_BIRTH_DATE], "auto");
    assert_int_equal(m.century_pivot, 1930);
    assert_int_equal(m.name_order, RK_ORDER_GIVEN_FIRST);
    assert_int_equal(m.delimiter, '\t');
    assert_string_equal(m.encoding, "CP1256");
    assert_string_equal(m.language, "ar");
    assert_string_equal(m.description, "d");
    assert_string_equal(m.file, "f.csv");
    assert_int_equal(rk_mapping_put(&m, &ctx, "delimiter", "auto", NULL, 0), RK_OK);
    assert_int_equal(m.delimiter, 0);
    assert_int_equal(rk_mapping_put(&m, &ctx, "columns.id", "x", NULL, 0), RK_EINPUT);
    assert_int_equal(ctx.err.line, 0);
    assert_non_null(strstr(ctx.err.message, "unknown key 'columns.id'"));
    rk_mapping_release(&m);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_lists_keys_and_comments),
        cmocka_unit_test(names_the_line_of_each_error),
        cmocka_unit_test(errors_list_what_is_valid),
        cmocka_unit_test(list_names_one_rule),
        cmocka_unit_test(refuses_a_key_given_twice),
        cmocka_unit_test(puts_each_key_from_a_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
