/* Log-linear models against Rcapture 1.4-4: closedp.t, closedpCI.t and closedpMS.t on the
 * reference data sets. Numbers are copied from /work/shared/reference/mse/<set>.json (field
 * named in each comment). Tolerance: 4 significant digits (rel 5e-5) for abundances, deviances,
 * AIC and BIC; 2e-5 relative for standard errors and profile bounds, whose last digits depend
 * on where R's IRLS and root search stopped (R's glm stops at a relative deviance change of
 * 1e-8, reckon at 1e-10). */
#include "helpers.h"

typedef struct ref_model {
    const char *name;
    double abundance, stderr_n, deviance;
    int df;
    double aic, bic;
} ref_model;

/* kosovo.json: rcapture.closedp_t.models (Mb and Mbh left out: not implemented) */
static const ref_model kosovo_closedp[] = {
    {"M0", 7608.36764386632, 136.617507986356, 1104.00196556671, 13, 1209.42597028424,
     1222.20468992406},
    {"Mt", 7394.58666230024, 129.62539096441, 245.938736426073, 10, 357.362741143606,
     389.309540243138},
    {"Mh Chao (LB)", 8787.24283045646, 222.620495636766, 986.921830603471, 12, 1094.345835321,
     1113.51391478072},
    {"Mh Poisson2", 9402.95249440673, 310.853265758052, 1019.51743277766, 12, 1126.9414374952,
     1146.10951695492},
    {"Mh Darroch", 12448.3854112025, 777.966746155413, 1001.92516684325, 12, 1109.34917156078,
     1128.5172510205},
    {"Mh Gamma3.5", 17102.6386574211, 1707.27074034839, 996.5301628306, 12, 1103.95416754813,
     1123.12224700785},
    {"Mth Chao (LB)", 8591.18363762447, 213.549023011717, 105.496794500927, 9, 218.92079921846,
     257.256958137898},
    {"Mth Poisson2", 9327.76133243999, 306.26612763206, 139.18761778367, 9, 252.611622501203,
     290.947781420641},
    {"Mth Darroch", 12797.3434416827, 814.834219181211, 119.448430866961, 9, 232.872435584494,
     271.208594503932},
    {"Mth Gamma3.5", 18387.1457545364, 1892.87648510407, 113.78367225816, 9, 227.207676975693,
     265.543835895131},
};

/* diabetes.json: rcapture.closedp_t.models; Mth Chao keeps both etas (df 8), Mh Chao drops
 * eta3 (neg_eta) */
static const ref_model diabetes_closedp[] = {
    {"M0", 2526.2077, 32.4935, 3174.0526, 13, 3263.2149, 3274.4845},
    {"Mt", 2250.6008, 18.5946, 217.4758, 10, 312.6381, 340.8122},
    {"Mh Chao (LB)", 2560.0550, 35.5808, 3161.1799, 12, 3252.3421, 3269.2466},
    {"Mh Poisson2", 2592.8995, 49.1252, 3169.5693, 12, 3260.7316, 3277.6360},
    {"Mh Darroch", 2602.1567, 69.1648, 3172.1225, 12, 3263.2848, 3280.1892},
    {"Mh Gamma3.5", 2608.6059, 90.9123, 3172.9007, 12, 3264.0629, 3280.9674},
    {"Mth Chao (LB)", 2318.3514, 25.5292, 93.9533, 8, 193.1156, 232.5593},
    {"Mth Poisson2", 2421.0599, 36.7457, 95.1155, 9, 192.2778, 226.0867},
    {"Mth Darroch", 2669.0130, 81.4442, 105.6337, 9, 202.7960, 236.6049},
    {"Mth Gamma3.5", 3037.5818, 172.0319, 112.8585, 9, 210.0207, 243.8297},
};

static void check_closedp(const char *file, const ref_model *ref, size_t nref)
{
    rk_capture_table *t = load_counts(file);
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_estimate *e = NULL;
    size_t n = 0;
    assert_int_equal(rk_estimate_closedp(&e, &n, &ctx, t), RK_OK);
    assert_int_equal(n, nref);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(e[i].model, ref[i].name);
        assert_rel(e[i].estimate, ref[i].abundance, 5e-5);
        assert_rel(e[i].stderr_n, ref[i].stderr_n, 2e-5);
        assert_rel(e[i].deviance, ref[i].deviance, 5e-5);
        assert_int_equal(e[i].df, ref[i].df);
        assert_rel(e[i].aic, ref[i].aic, 5e-5);
        assert_rel(e[i].bic, ref[i].bic, 5e-5);
        assert_true(e[i].converged);
    }
    rk_estimate_array_free(e, n);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

static void closedp_matches_rcapture_on_kosovo(void **state)
{
    (void)state;
    check_closedp("mse/kosovo.csv", kosovo_closedp, N_OF(kosovo_closedp));
}

static void closedp_matches_rcapture_on_diabetes(void **state)
{
    (void)state;
    check_closedp("mse/diabetes.csv", diabetes_closedp, N_OF(diabetes_closedp));
}

typedef struct ref_ci {
    const char *file, *model;
    double multinomial, lower, upper;
} ref_ci;

/* <set>.json: rcapture.closedpCI_Mt / closedpCI_all_two_way / lowest_BIC.ci, field
 * multinomial */
static const ref_ci cis[] = {
    {"mse/kosovo.csv", "Mt", 7392.91726676233, 7147.74889204003, 7656.19534808529},
    {"mse/kosovo.csv", "[12,13,14,23,24,34]", 14385.6167089093, 12523.2735420476, 16667.927783566},
    {"mse/kosovo.csv", "Mth Chao", 8588.39704253227, 8188.71868842216, 9026.91777309981},
    {"mse/hiv.csv", "Mt", 11117.018923935, 9531.7355176434, 13114.1226415648},
    {"mse/diabetes.csv", "Mth Poisson2", 2419.42050083075, 2352.60744085135, 2496.79076808289},
    {"mse/hare.csv", "Mh Poisson2", 80.5163962266125, 72.0423109663288, 94.6208098202755},
    {"mse/madigan_york_5list.csv", "Mt", 637.58145895964, 611.185636619467, 668.712174438031},
};

static void profile_intervals_match_closedpci(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    for (size_t i = 0; i < N_OF(cis); i++) {
        rk_capture_table *t = load_counts(cis[i].file);
        rk_loglinear_model m;
        assert_int_equal(
            rk_loglinear_model_parse(&m, &ctx, cis[i].model, rk_capture_table_nlists(t)), RK_OK);
        rk_estimate e;
        assert_int_equal(rk_estimate_loglinear(&e, &ctx, t, &m, true), RK_OK);
        assert_string_equal(e.interval_kind, "profile");
        assert_rel(e.profile_estimate, cis[i].multinomial, 2e-5);
        assert_rel(e.lower, cis[i].lower, 2e-5);
        assert_rel(e.upper, cis[i].upper, 2e-5);
        rk_estimate_release(&e);
        rk_capture_table_free(t);
    }
    rk_ctx_release(&ctx);
}

static void model_search_matches_closedpms(void **state)
{
    (void)state;
    /* kosovo.json: rcapture.closedpMS_t (n_models, top5_by_BIC) */
    static const ref_model top[] = {
        {"[123,14,34]", 10356.5189572519, 785.902224195224, 9.32267001566617, 4, 132.7466747332,
         203.029632752169},
        {"[123,134]", 12740.9677419355, 1600.71321545441, 1.01705441767453, 3, 126.441059135208,
         203.113376974084},
        {"[134,12,23]", 18393.3061150177, 1738.82961326583, 10.2503192432629, 4, 133.674323960796,
         203.957281979766},
        {"[123,14,24,34]", 9824.17010208968, 801.657923821317, 7.04656853285939, 3,
         132.470573250393, 209.142891089269},
        {"[134,12,23,24]", 19233.4778859677, 1921.885364155, 8.09596850128658, 3, 133.51997321882,
         210.192291057696},
    };
    rk_capture_table *t = load_counts("mse/kosovo.csv");
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_estimate *e = NULL;
    size_t n = 0;
    assert_int_equal(rk_estimate_model_search(&e, &n, &ctx, t, RK_CRITERION_BIC), RK_OK);
    assert_int_equal(n, 113);
    for (size_t i = 0; i < N_OF(top); i++) {
        assert_string_equal(e[i].model, top[i].name);
        assert_rel(e[i].estimate, top[i].abundance, 5e-5);
        assert_rel(e[i].stderr_n, top[i].stderr_n, 2e-5);
        assert_rel(e[i].deviance, top[i].deviance, 5e-5);
        assert_int_equal(e[i].df, top[i].df);
        assert_rel(e[i].bic, top[i].bic, 5e-5);
    }
    rk_estimate_array_free(e, n);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

static void model_names_parse_and_print(void **state)
{
    (void)state;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_loglinear_model m;
    char name[128];
    const char *ok[] = {"M0",          "Mt",       "Mh Chao (LB)", "Mth Gamma3.5",
                        "Mh Poisson2", "[12,3,4]", "[123,14,34]"};
    for (size_t i = 0; i < N_OF(ok); i++) {
        assert_int_equal(rk_loglinear_model_parse(&m, &ctx, ok[i], 4), RK_OK);
        rk_loglinear_model_name(name, sizeof(name), &m, 4);
        assert_string_equal(name, ok[i]);
    }
    assert_int_equal(rk_loglinear_model_parse(&m, &ctx, "[15]", 4), RK_EINPUT);
    assert_int_equal(rk_loglinear_model_parse(&m, &ctx, "Mx", 4), RK_EINPUT);
    assert_int_equal(rk_loglinear_model_parse(&m, &ctx, "Mh Gamma-1", 4), RK_EINPUT);
    /* saturated and beyond is refused */
    rk_capture_table *t = load_counts("mse/kosovo.csv");
    rk_estimate e;
    assert_int_equal(rk_loglinear_model_parse(&m, &ctx, "[1234]", 4), RK_OK);
    assert_int_equal(rk_estimate_loglinear(&e, &ctx, t, &m, false), RK_EINPUT);
    rk_estimate_release(&e);
    rk_capture_table_free(t);
    rk_ctx_release(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closedp_matches_rcapture_on_kosovo),
        cmocka_unit_test(closedp_matches_rcapture_on_diabetes),
        cmocka_unit_test(profile_intervals_match_closedpci),
        cmocka_unit_test(model_search_matches_closedpms),
        cmocka_unit_test(model_names_parse_and_print),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
