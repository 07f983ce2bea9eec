/* rk_split_next: items trimmed, empty items kept, the end signalled once. */
#include "test.h"

#include "common.h"

static void splits_lists_without_copying(void **state)
{
    (void)state;
    const char *s = " a ,,b", *item;
    size_t len, n = 0;
    char got[3][8];
    while (rk_split_next(&s, ',', &item, &len))
        snprintf(got[n++], sizeof(got[0]), "%.*s", (int)len, item);
    assert_int_equal(n, 3);
    assert_string_equal(got[0], "a");
    assert_string_equal(got[1], "");
    assert_string_equal(got[2], "b");
    assert_null(s);
    assert_false(rk_split_next(&s, ',', &item, &len));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_lists_without_copying),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
