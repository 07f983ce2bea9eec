/* Escaping of untrusted text for the report: markup, quotes, bidirectional controls, control
 * characters, invalid UTF-8, and the cut of overlong values. */
#include "test.h"

static char *esc(const char *s, size_t n, bool value)
{
    rk_buf b;
    rk_buf_init(&b);
    assert_int_equal(
        value ? rk_report_html_escape_value(&b, s, n) : rk_report_html_escape(&b, s, n), RK_OK);
    char *out = strdup(rk_buf_cstr(&b));
    rk_buf_release(&b);
    return out;
}

static void test_markup_and_quotes_are_escaped(void **state)
{
    (void)state;
    const char *in = "<script>alert('x')</script> & \"q\"";
    char *out = esc(in, strlen(in), false);
    assert_string_equal(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    free(out);
}

static void test_bidi_controls_are_shown_as_code_points(void **state)
{
    (void)state;
    const char *in = "\xE2\x80\xAEgpj.exe \xE2\x81\xA6x\xE2\x81\xA9";
    char *out = esc(in, strlen(in), false);
    assert_string_equal(out, "[U+202E]gpj.exe [U+2066]x[U+2069]");
    assert_null(strstr(out, "\xE2\x80\xAE"));
    free(out);
}

static void test_controls_and_invalid_utf8_are_neutralised(void **state)
{
    (void)state;
    const char in[] = "a\x01"
                      "b\xff"
                      "c\tok";
    char *out = esc(in, sizeof(in) - 1, false);
    assert_string_equal(out, "a[U+0001]b\xEF\xBF\xBD"
                             "c\tok");
    free(out);
}

static void test_scripts_of_the_lists_pass_unchanged(void **state)
{
    (void)state;
    const char *in = "Məmmədov Мамедов Հովհաննիսյան محمد";
    char *out = esc(in, strlen(in), false);
    assert_string_equal(out, in);
    free(out);
}

static void test_values_are_isolated_and_cut(void **state)
{
    (void)state;
    char *out = esc("Ali", 3, true);
    assert_string_equal(out, "<bdi>Ali</bdi>");
    free(out);
    size_t n = 100 * 1024;
    char *big = malloc(n);
    memset(big, 'A', n);
    big[RK_REPORT_MAX_SHOWN - 1] = (char)0xD0; /* a two-byte character across the cut */
    big[RK_REPORT_MAX_SHOWN] = (char)0x96;
    out = esc(big, n, true);
    assert_true(strlen(out) < 1000);
    assert_non_null(strstr(out, "[cut: 199 of 102400 bytes shown]"));
    free(out);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markup_and_quotes_are_escaped),
        cmocka_unit_test(test_bidi_controls_are_shown_as_code_points),
        cmocka_unit_test(test_controls_and_invalid_utf8_are_neutralised),
        cmocka_unit_test(test_scripts_of_the_lists_pass_unchanged),
        cmocka_unit_test(test_values_are_isolated_and_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
