/* JSON output of estimates: one object with the capture table (lists, stratum, observed count,
 * the counts by pattern) and every estimate with its method, settings and interval; read
 * directly by R (jsonlite) and Python. Non-finite numbers are written as null. */
#include "estimate_private.h"

static void num(rk_buf *b, const char *key, double v)
{
    rk_buf_printf(b, ",\"%s\":", key);
    if (isfinite(v))
        rk_buf_printf(b, "%.10g", v);
    else
        rk_buf_puts(b, "null");
}

static void str(rk_buf *b, const char *key, const char *v, bool comma)
{
    rk_buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
    rk_buf_json_string(b, v, strlen(v));
}

int rk_estimate_sensitivity_json(rk_buf *out, const rk_estimate *e)
{
    rk_buf *b = out;
    size_t before = b->len;
    rk_buf_putc(b, '[');
    for (size_t i = 0; i < e->nsensitivity; i++) {
        const rk_estimate_sensitivity *r = &e->sensitivity[i];
        rk_buf_puts(b, i ? ",{" : "{");
        str(b, "varies", r->varies, false);
        num(b, "delta", r->delta);
        rk_buf_printf(b, ",\"nmax\":%lld,\"baseline\":%s", (long long)r->nmissing_max,
                      r->baseline ? "true" : "false");
        num(b, "median", r->median);
        num(b, "lower", r->lower);
        num(b, "upper", r->upper);
        num(b, "mean", r->mean);
        num(b, "sd", r->sd);
        num(b, "mode", r->mode);
        num(b, "top_tenth_mass", r->top_mass);
        rk_buf_putc(b, '}');
    }
    if (rk_buf_putc(b, ']') != RK_OK) {
        b->len = before;
        return RK_ENOMEM;
    }
    return RK_OK;
}

int rk_estimate_json(rk_buf *out, const rk_capture_table *t, const rk_estimate *est, size_t n)
{
    rk_buf *b = out;
    size_t before = b->len;
    rk_buf_puts(b, "{\"lists\":[");
    for (size_t j = 0; j < t->nlists; j++) {
        if (j)
            rk_buf_putc(b, ',');
        rk_buf_json_string(b, t->names[j], strlen(t->names[j]));
    }
    rk_buf_puts(b, "],\"stratum\":");
    if (t->stratum)
        rk_buf_json_string(b, t->stratum, strlen(t->stratum));
    else
        rk_buf_puts(b, "null");
    rk_buf_printf(b, ",\"observed\":%lld,\"bit_order\":\"bit j = list j (first list = bit 0)\"",
                  (long long)t->total);
    rk_buf_puts(b, ",\"counts\":{");
    for (size_t i = 0; i < t->n; i++) {
        rk_buf_printf(b, "%s\"", i ? "," : "");
        for (size_t j = 0; j < t->nlists; j++)
            rk_buf_putc(b, (t->pattern[i] >> j & 1) ? '1' : '0');
        rk_buf_printf(b, "\":%lld", (long long)t->count[i]);
    }
    rk_buf_puts(b, "},\"estimates\":[");
    for (size_t i = 0; i < n; i++) {
        const rk_estimate *e = &est[i];
        rk_buf_puts(b, i ? ",{" : "{");
        static const char *const status[] = {"ok", "refused", "boundary"};
        str(b, "method", e->method, false);
        str(b, "model", e->model, true);
        str(b, "status", status[e->status], true);
        rk_buf_printf(b, ",\"extra\":%s", e->extra ? "true" : "false");
        rk_buf_printf(b, ",\"observed\":%lld", (long long)e->observed);
        num(b, "estimate", e->estimate);
        num(b, "stderr", e->stderr_n);
        rk_buf_puts(b, ",\"interval\":{");
        str(b, "kind", e->interval_kind, false);
        num(b, "level", e->level);
        num(b, "lower", e->lower);
        num(b, "upper", e->upper);
        rk_buf_putc(b, '}');
        if (!strcmp(e->method, "loglinear")) {
            num(b, "deviance", e->deviance);
            rk_buf_printf(b, ",\"df\":%d,\"parameters\":%d", e->df, e->npar);
            num(b, "aic", e->aic);
            num(b, "bic", e->bic);
            rk_buf_printf(b, ",\"converged\":%s", e->converged ? "true" : "false");
            num(b, "multinomial_estimate", e->profile_estimate);
        }
        if (!strcmp(e->method, "lcmcr") || !strcmp(e->method, "dga")) {
            num(b, "mean", e->mean);
            num(b, "median", e->median);
            if (!strcmp(e->method, "dga"))
                num(b, "mode", e->mode);
        }
        if (e->nsensitivity) {
            rk_buf_puts(b, ",\"sensitivity\":");
            rk_estimate_sensitivity_json(b, e);
        }
        if (e->ndraws) {
            rk_buf_printf(b, ",\"seed\":%llu,\"chains\":%zu,\"draws\":%zu",
                          (unsigned long long)e->seed, e->nchains, e->ndraws);
            num(b, "rhat", e->rhat);
            num(b, "ess", e->ess);
        }
        rk_buf_puts(b, ",\"warning\":");
        if (e->warning[0])
            rk_buf_json_string(b, e->warning, strlen(e->warning));
        else
            rk_buf_puts(b, "null");
        rk_buf_putc(b, '}');
    }
    if (rk_buf_puts(b, "]}\n") != RK_OK) {
        b->len = before;
        return RK_ENOMEM;
    }
    return RK_OK;
}

int rk_estimate_combined_json(rk_buf *out, const rk_combined_estimate *c)
{
    rk_buf *b = out;
    size_t before = b->len;
    rk_buf_putc(b, '{');
    str(b, "rule", rk_estimate_combine_rule_name(c->rule), false);
    rk_buf_printf(b, ",\"replicates\":%zu,\"draws\":%zu", c->replicates, c->draws);
    num(b, "observed", c->observed);
    num(b, "estimate", c->estimate);
    num(b, "lower", c->lower);
    num(b, "upper", c->upper);
    num(b, "level", c->level);
    num(b, "mean", c->mean);
    num(b, "sd", c->sd);
    num(b, "within", c->within);
    num(b, "between", c->between);
    num(b, "total", c->total);
    num(b, "df", c->df);
    str(b, "warning", c->warning, true);
    if (rk_buf_putc(b, '}') != RK_OK) {
        b->len = before;
        return RK_ENOMEM;
    }
    return RK_OK;
}
