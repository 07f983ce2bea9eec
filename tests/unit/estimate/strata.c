/* The one rule for a degenerate table (rk_estimate_check_sparse): a list that names everyone,
 * and a stratum that a list without the stratum's field leaves empty of it, or of the persons
 * only it names, where the whole makes that improbable; other strata estimated as before. */
#include "helpers.h"

static rk_capture_table *parse(rk_ctx *ctx, const char *csv)
{
    rk_capture_table *t = NULL;
    assert_int_equal(rk_estimate_parse_counts(&t, ctx, csv, strlen(csv), "t.csv"), RK_OK);
    return t;
}

/* The one row rk_estimate_table gives a refused table, checked to say `why`. */
static void assert_refused(rk_ctx *ctx, const rk_capture_table *t, const char *why)
{
    rk_estimate_options o = RK_ESTIMATE_OPTIONS_INIT;
    o.methods = RK_METHOD_LOGLINEAR | RK_METHOD_CHAPMAN;
    rk_estimate *e = NULL;
    size_t n = 0;
    assert_int_equal(rk_estimate_table(&e, &n, ctx, t, &o), RK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].method, "none");
    assert_int_equal(e[0].status, RK_ESTIMATE_REFUSED);
    if (!strstr(e[0].warning, why))
        fprintf(stderr, "refused with '%s', expected '%s'\n", e[0].warning, why);
    assert_non_null(strstr(e[0].warning, why));
    assert_int_equal(rk_estimate_check_sparse(ctx, t, 1), RK_EINPUT);
    rk_estimate_array_free(e, n);
}

static void one_list_naming_everyone_is_refused(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    /* a names all 20 persons: three lists, and two (Chapman would say exactly 20 +- 0) */
    rk_capture_table *t = parse(&ctx, "a,b,c,count\n1,0,0,5\n1,1,0,7\n1,0,1,6\n1,1,1,2\n");
    assert_refused(&ctx, t,
                   "list 'a' names all 20 persons of this table: it alone documents "
                   "everyone");
    rk_capture_table_free(t);
    t = parse(&ctx, "a,b,count\n0,1,9\n1,1,4\n");
    assert_refused(&ctx, t, "list 'b' names all 13 persons");
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

static void stratum_a_list_names_nobody_in_is_refused(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    /* press names 30 persons overall, all in other strata (or none): it records no region */
    rk_capture_table *whole = parse(&ctx, "a,b,c,press,count\n1,0,0,0,40\n0,1,0,0,30\n"
                                          "0,0,1,0,20\n1,1,0,0,10\n1,0,1,0,8\n0,1,1,0,6\n"
                                          "1,1,1,0,4\n0,0,0,1,30\n");
    rk_capture_table *s = parse(&ctx, "a,b,c,press,count\n1,0,0,0,20\n0,1,0,0,15\n0,0,1,0,10\n"
                                      "1,1,0,0,5\n1,0,1,0,4\n0,1,1,0,3\n1,1,1,0,2\n");
    assert_int_equal(rk_capture_table_set_stratum(s, &ctx, "region: north"), RK_OK);
    /* on its own, the stratum is a table where press names nobody: three lists suffice */
    rk_estimate_options o = RK_ESTIMATE_OPTIONS_INIT;
    rk_estimate *e = NULL;
    size_t n = 0;
    assert_int_equal(rk_estimate_check_sparse(&ctx, s, 1), RK_OK);
    /* as a stratum of the whole, it is refused with the reason */
    assert_int_equal(rk_capture_table_set_whole(s, &ctx, whole, "region"), RK_OK);
    assert_refused(&ctx, s,
                   "list 'press' names 30 persons overall but none of the 59 in this stratum "
                   "(about 12 expected here): it may not record 'region'");
    /* a stratum of 6 where press names nobody is not improbable (0.8^6): not refused for it */
    rk_capture_table *few = parse(&ctx, "a,b,c,press,count\n1,0,0,0,2\n1,1,0,0,2\n0,1,1,0,2\n");
    assert_int_equal(rk_capture_table_set_whole(few, &ctx, whole, "region"), RK_OK);
    assert_int_equal(rk_estimate_check_sparse(&ctx, few, 1), RK_OK);
    rk_capture_table_free(few);
    /* cleared, it estimates again */
    assert_int_equal(rk_capture_table_set_whole(s, &ctx, NULL, NULL), RK_OK);
    assert_int_equal(rk_estimate_table(&e, &n, &ctx, s, &o), RK_OK);
    assert_int_not_equal(e[n - 1].status, RK_ESTIMATE_REFUSED);
    rk_estimate_array_free(e, n);
    rk_capture_table_free(s);
    rk_capture_table_free(whole);
    rk_ctx_release(&ctx);
}

static void stratum_without_a_lists_own_persons_is_refused(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    /* Overall, 40 of press's 100 persons are its alone; in the stratum it names 30 persons,
     * every one also on another list: were the stratum like the whole, about 12 would be its
     * alone, and none is with probability 0.6^30 (2e-7). */
    rk_capture_table *whole = parse(&ctx, "a,b,c,press,count\n1,0,0,0,40\n0,1,0,0,30\n"
                                          "0,0,1,0,20\n1,1,0,0,10\n1,0,1,0,8\n0,1,1,0,6\n"
                                          "1,1,1,0,4\n0,0,0,1,40\n1,0,0,1,30\n0,1,0,1,30\n");
    rk_capture_table *s = parse(&ctx, "a,b,c,press,count\n1,0,0,0,20\n0,1,0,0,15\n0,0,1,0,10\n"
                                      "1,1,0,0,5\n1,0,1,0,4\n0,1,1,0,3\n1,1,1,0,2\n"
                                      "1,0,0,1,15\n0,1,0,1,15\n");
    assert_int_equal(rk_capture_table_set_stratum(s, &ctx, "region: north"), RK_OK);
    assert_int_equal(rk_capture_table_set_whole(s, &ctx, whole, "region"), RK_OK);
    assert_refused(&ctx, s,
                   "list 'press' names 30 persons in this stratum but none that no other list "
                   "names, though 40 of its 100 persons overall are its alone (about 12 expected "
                   "here): it may not record 'region'");
    /* with a few of its own here, the stratum is estimated */
    rk_capture_table_free(s);
    s = parse(&ctx, "a,b,c,press,count\n1,0,0,0,20\n0,1,0,0,15\n0,0,1,0,10\n1,1,0,0,5\n"
                    "1,0,1,0,4\n0,1,1,0,3\n1,1,1,0,2\n1,0,0,1,15\n0,1,0,1,15\n0,0,0,1,2\n");
    assert_int_equal(rk_capture_table_set_whole(s, &ctx, whole, "region"), RK_OK);
    assert_int_equal(rk_estimate_check_sparse(&ctx, s, 1), RK_OK);
    /* and so is one where the list names too few for none alone to be improbable (0.6^8) */
    rk_capture_table_free(s);
    s = parse(&ctx, "a,b,c,press,count\n1,0,0,0,20\n0,1,0,0,15\n0,0,1,0,10\n1,1,0,0,5\n"
                    "1,0,1,0,4\n0,1,1,0,3\n1,1,1,0,2\n1,0,0,1,4\n0,1,0,1,4\n");
    assert_int_equal(rk_capture_table_set_whole(s, &ctx, whole, "region"), RK_OK);
    assert_int_equal(rk_estimate_check_sparse(&ctx, s, 1), RK_OK);
    /* a table of other lists is no stratum of this whole */
    rk_capture_table *other = parse(&ctx, "a,b,count\n1,1,3\n1,0,2\n");
    assert_int_equal(rk_capture_table_set_whole(other, &ctx, whole, "region"), RK_EINPUT);
    rk_capture_table_free(other);
    rk_capture_table_free(s);
    rk_capture_table_free(whole);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_list_naming_everyone_is_refused),
        cmocka_unit_test(stratum_a_list_names_nobody_in_is_refused),
        cmocka_unit_test(stratum_without_a_lists_own_persons_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
