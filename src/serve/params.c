/* Query strings and url-encoded form bodies of the review app, parsed with hard limits: a
 * bounded number of parameters of bounded size, percent-decoding that refuses malformed
 * escapes, and decoded text that must be valid UTF-8 without control characters. Anything
 * else is an input error, which the server answers with 400. Fuzzed by tests/fuzz/params. */
#include "serve_private.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) into out (room for n bytes); returns the decoded length or -1. */
static long decode(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            out[o++] = ' ';
        } else if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            out[o++] = (char)(h * 16 + l);
            i += 2;
        } else {
            out[o++] = c;
        }
    }
    return (long)o;
}

static bool clean_text(const char *s, size_t n, bool is_value)
{
    if (!rk_utf8_valid(s, n, NULL))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t' || c == '\n' || c == '\r') {
            if (!is_value)
                return false;
        } else if (c < 0x20 || c == 0x7f) {
            return false;
        }
    }
    return true;
}

int serve_params_parse(serve_params *out, const char *s, size_t n, char *why, size_t whysz)
{
    memset(out, 0, sizeof(*out));
    int rc = RK_OK;
    if (n > SERVE_MAX_PARAM_SUM) {
        snprintf(why, whysz, "the parameters are longer than %d bytes", SERVE_MAX_PARAM_SUM);
        return RK_EINPUT;
    }
    /* Decoding never grows the text: one block of n bytes plus a NUL per part holds it all. */
    out->mem = rk_malloc(n + 2 * SERVE_MAX_PARAMS + 2);
    if (!out->mem)
        return RK_ENOMEM;
    char *w = out->mem;
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && s[end] != '&')
            end++;
        if (end == i) { /* "a=1&&b=2": an empty part is skipped */
            i = end + 1;
            continue;
        }
        if (out->n == SERVE_MAX_PARAMS) {
            snprintf(why, whysz, "more than %d parameters", SERVE_MAX_PARAMS);
            rc = RK_EINPUT;
            goto cleanup;
        }
        size_t eq = i;
        while (eq < end && s[eq] != '=')
            eq++;
        size_t klen = eq - i;
        size_t vstart = eq < end ? eq + 1 : end;
        size_t vlen = end - vstart;
        if (klen == 0) {
            snprintf(why, whysz, "a parameter without a name");
            rc = RK_EINPUT;
            goto cleanup;
        }
        char *k = w;
        long kd = decode(s + i, klen, k);
        if (kd < 0 || kd > SERVE_MAX_KEY || !clean_text(k, (size_t)kd, false)) {
            snprintf(why, whysz, "a parameter name is malformed or too long");
            rc = RK_EINPUT;
            goto cleanup;
        }
        k[kd] = '\0';
        w += kd + 1;
        char *v = w;
        long vd = decode(s + vstart, vlen, v);
        if (vd < 0) {
            snprintf(why, whysz, "parameter '%s' has a malformed %%-escape", k);
            rc = RK_EINPUT;
            goto cleanup;
        }
        if (vd > SERVE_MAX_VALUE) {
            snprintf(why, whysz, "parameter '%s' is longer than %d bytes", k, SERVE_MAX_VALUE);
            rc = RK_EINPUT;
            goto cleanup;
        }
        if (!clean_text(v, (size_t)vd, true)) {
            snprintf(why, whysz, "parameter '%s' is not valid UTF-8 text", k);
            rc = RK_EINPUT;
            goto cleanup;
        }
        v[vd] = '\0';
        w += vd + 1;
        out->key[out->n] = k;
        out->val[out->n] = v;
        out->n++;
        i = end + 1;
    }
cleanup:
    if (rc != RK_OK)
        serve_params_release(out);
    return rc;
}

void serve_params_release(serve_params *p)
{
    if (!p)
        return;
    rk_free(p->mem);
    memset(p, 0, sizeof(*p));
}

const char *serve_param(const serve_params *p, const char *key)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->key[i], key) == 0)
            return p->val[i];
    return NULL;
}

bool serve_param_id(const serve_params *p, const char *key, int64_t *out)
{
    const char *v = serve_param(p, key);
    int64_t x;
    if (!v || rk_parse_i64(&x, v) != RK_OK || x <= 0)
        return false;
    *out = x;
    return true;
}
