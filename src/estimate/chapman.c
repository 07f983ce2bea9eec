/* Chapman's (1951) estimator of N from two lists, with Seber's (1970) variance and Chao's
 * (1987) log-normal interval, which never goes below the observed count. */
#include "estimate_private.h"

int rk_estimate_chapman(rk_estimate *out, rk_ctx *ctx, const rk_capture_table *t)
{
    RK_ASSERT_ARG(ctx, out && t);
    rk_estimate_init(out);
    if (t->nlists != 2)
        return rk_error_set(ctx, RK_EINPUT,
                            "chapman needs exactly 2 lists, not %zu; choose two with --lists",
                            t->nlists);
    double n10 = (double)rk_capture_table_count(t, 1), n01 = (double)rk_capture_table_count(t, 2);
    double m = (double)rk_capture_table_count(t, 3);
    double n1 = n10 + m, n2 = n01 + m, n = n10 + n01 + m;
    snprintf(out->method, sizeof(out->method), "chapman");
    snprintf(out->model, sizeof(out->model), "independent lists");
    out->observed = rk_capture_table_observed(t);
    double nhat = (n1 + 1) * (n2 + 1) / (m + 1) - 1;
    double var = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) * (m + 1) * (m + 2));
    out->estimate = nhat;
    out->stderr_n = sqrt(var);
    double f0 = nhat - n;
    if (f0 > 0 && var > 0) {
        double cc = exp(1.959963984540054 * sqrt(log(1 + var / (f0 * f0))));
        out->lower = n + f0 / cc;
        out->upper = n + f0 * cc;
    } else {
        out->lower = out->upper = nhat;
    }
    snprintf(out->interval_kind, sizeof(out->interval_kind), "log-normal");
    snprintf(out->warning, sizeof(out->warning), "%s",
             m == 0 ? "no person is on both lists: the estimate is unreliable"
                    : "assumes the two lists are independent and every person equally likely "
                      "to be listed; dependence between lists biases it");
    return RK_OK;
}
