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
        cmocka_unit_test(puts_each_key_from_a_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
