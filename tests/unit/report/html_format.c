/* The HTML formatter behind every HTML writer: string arguments are escaped, the format's markup
 * passes as is, and numbers come out exactly as printf writes them. */
#include "test.h"

#include "report/report_internal.h"

static rk_buf out;

static int setup(void **state)
{
    (void)state;
    rk_buf_init(&out);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rk_buf_release(&out);
    return 0;
}

static void test_string_arguments_are_escaped_and_markup_is_not(void **state)
{
    (void)state;
    assert_int_equal(rk_report__html(&out, "<td class=\"n\">%s</td><td>%s</td>",
                                     "<script>alert('x')</script> & \"q\"", "\xE2\x80\xAEgpj.exe"),
                     RK_OK);
    assert_string_equal(rk_buf_cstr(&out),
                        "<td class=\"n\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                        "&quot;q&quot;</td><td>[U+202E]gpj.exe</td>");
}

static void test_null_string_writes_nothing(void **state)
{
    (void)state;
    const char *volatile none = NULL; /* a literal NULL would not get past -Wformat */
    assert_int_equal(rk_report__html(&out, "<i>%s</i>", none), RK_OK);
    assert_string_equal(rk_buf_cstr(&out), "<i></i>");
}

static void test_precision_escapes_at_most_that_many_bytes(void **state)
{
    (void)state;
    assert_int_equal(rk_report__html(&out, "[%.*s][%.2s][%.*s]", 4, "a<b>c", "<<<", 10, "x&"),
                     RK_OK);
    assert_string_equal(rk_buf_cstr(&out), "[a&lt;b&gt;][&lt;&lt;][x&amp;]");
}

static void test_numbers_are_formatted_as_by_printf(void **state)
{
    (void)state;
#define FMT "%d|%5d|%-5d|%05.1f|%.3g|%lld|%zu|%x|%+.2f|%%|%*d|%.*f|%hhd|%lu|%e"
#define ARGS                                                                                       \
    -42, 7, 7, 3.14159, 1234567.0, -9007199254740993LL, (size_t)123456789, 255u, 2.5, 6, 9, 2,     \
        1.0 / 3, 300, 4000000000ul, 1e-9
    char want[512];
    snprintf(want, sizeof(want), FMT, ARGS);
    assert_int_equal(rk_report__html(&out, FMT, ARGS), RK_OK);
    assert_string_equal(rk_buf_cstr(&out), want);
#undef FMT
#undef ARGS
}

static void test_long_numbers_and_long_strings_are_whole(void **state)
{
    (void)state;
    char want[400];
    snprintf(want, sizeof(want), "<b>%.0f</b>", 1e300);
    assert_int_equal(rk_report__html(&out, "<b>%.0f</b>", 1e300), RK_OK);
    assert_string_equal(rk_buf_cstr(&out), want);
    rk_buf_clear(&out);
    char *s = malloc(100001);
    memset(s, '<', 100000);
    s[100000] = '\0';
    assert_int_equal(rk_report__html(&out, "%s|%d", s, 1), RK_OK);
    assert_int_equal(out.len, 100000 * 4 + 2);
    assert_memory_equal(out.data + out.len - 6, "&lt;|1", 6);
    free(s);
}

static void test_a_format_without_conversions_is_copied(void **state)
{
    (void)state;
    assert_int_equal(rk_report__html(&out, "<p class=\"note\">a &amp; b</p>\n"), RK_OK);
    assert_string_equal(rk_buf_cstr(&out), "<p class=\"note\">a &amp; b</p>\n");
    assert_int_equal(rk_report__html(&out, "%s", ""), RK_OK);
    assert_int_equal(out.len, strlen("<p class=\"note\">a &amp; b</p>\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_string_arguments_are_escaped_and_markup_is_not, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_null_string_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precision_escapes_at_most_that_many_bytes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_numbers_are_formatted_as_by_printf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_numbers_and_long_strings_are_whole, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_format_without_conversions_is_copied, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
