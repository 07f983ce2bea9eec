/* Strict parsing of numbers and validation of UTF-8: the small parsers every module needs,
 * written once so that no file reaches for atoi or sscanf. */
#include "common.h"

#include <math.h>

int rk_parse_i64(int64_t *out, const char *s)
{
    if (!s || !*s)
        return RK_EINPUT;
    const char *p = s;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (!*p)
        return RK_EINPUT;
    uint64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return RK_EINPUT;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_C(9223372036854775808) - d) / 10)
            return RK_EINPUT;
        v = v * 10 + d;
    }
    if (!neg && v > INT64_MAX)
        return RK_EINPUT;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return RK_OK;
}

int rk_parse_double(double *out, const char *s)
{
    if (!s || !*s || *s == ' ' || *s == '\t')
        return RK_EINPUT;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno == ERANGE || !end || *end || !isfinite(v))
        return RK_EINPUT;
    *out = v;
    return RK_OK;
}

bool rk_utf8_valid(const char *str, size_t n, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = rk_core__utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            if (bad_offset)
                *bad_offset = i;
            return false;
        }
        i += len;
    }
    return true;
}

char *rk_str_shown(char *out, size_t outsz, const char *s)
{
    size_t n = 0;
    if (!outsz)
        return out;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool plain = c >= 0x20 && c < 0x7f && c != '\\';
        size_t need = plain ? 1 : 4;
        if (n + need >= outsz)
            break;
        if (plain)
            out[n++] = (char)c;
        else
            n += (size_t)snprintf(out + n, outsz - n, "\\x%02x", c);
    }
    out[n] = '\0';
    return out;
}
