/* The HTML formatter behind every HTML writer of reckon (the report's report_html and charts, the
 * review app's html()): printf whose %s arguments are escaped, so that a string from the data
 * cannot become markup unless the code appends it through a function named raw. The format
 * stays a checked printf format (-Wformat), which a custom conversion would not be. */
#include "report_internal.h"

#include <stddef.h>
#include <stdint.h>

/* The length modifier of a conversion. */
enum len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T, LEN_BIG_L };

static enum len parse_len(const char **p)
{
    const char *s = *p;
    enum len l = LEN_NONE;
    if (s[0] == 'h' && s[1] == 'h')
        l = LEN_HH, s += 2;
    else if (s[0] == 'h')
        l = LEN_H, s++;
    else if (s[0] == 'l' && s[1] == 'l')
        l = LEN_LL, s += 2;
    else if (s[0] == 'l')
        l = LEN_L, s++;
    else if (s[0] == 'z')
        l = LEN_Z, s++;
    else if (s[0] == 'j')
        l = LEN_J, s++;
    else if (s[0] == 't')
        l = LEN_T, s++;
    else if (s[0] == 'L')
        l = LEN_BIG_L, s++;
    *p = s;
    return l;
}

/* printf's own formatting of one number, with the conversion `spec` (checked at the call site
 * of rk_report__html) and at most two '*' arguments before the value. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int number(rk_buf *b, const char *spec, int nstar, const int star[2], char conv,
                  enum len len, va_list *ap)
{
#define PUT(T)                                                                                     \
    do {                                                                                           \
        T v_ = va_arg(*ap, T);                                                                     \
        return nstar == 2   ? rk_buf_printf(b, spec, star[0], star[1], v_)                         \
               : nstar == 1 ? rk_buf_printf(b, spec, star[0], v_)                                  \
                            : rk_buf_printf(b, spec, v_);                                          \
    } while (0)
    switch (conv) {
    case 'd':
    case 'i':
        switch (len) {
        case LEN_L:
            PUT(long);
        case LEN_LL:
            PUT(long long);
        case LEN_Z:
            PUT(ptrdiff_t); /* the signed type of size_t's width */
        case LEN_J:
            PUT(intmax_t);
        case LEN_T:
            PUT(ptrdiff_t);
        default:
            PUT(int); /* hh and h arguments are promoted to int */
        }
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        switch (len) {
        case LEN_L:
            PUT(unsigned long);
        case LEN_LL:
            PUT(unsigned long long);
        case LEN_Z:
            PUT(size_t);
        case LEN_J:
            PUT(uintmax_t);
        case LEN_T:
            PUT(size_t);
        default:
            PUT(unsigned);
        }
    default: /* f F e E g G */
        if (len == LEN_BIG_L)
            PUT(long double);
        PUT(double);
    }
#undef PUT
}
#pragma GCC diagnostic pop

int rk_report__vhtml(rk_buf *b, const char *fmt, va_list ap)
{
    va_list args;
    va_copy(args, ap);
    int rc = RK_OK;
    const char *p = fmt;
    while (rc == RK_OK && *p) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            rc = rk_buf_puts(b, p);
            break;
        }
        if (pct > p && (rc = rk_buf_append(b, p, (size_t)(pct - p))) != RK_OK)
            break;
        const char *q = pct + 1;
        if (*q == '%') {
            rc = rk_buf_putc(b, '%');
            p = q + 1;
            continue;
        }
        /* %[flags][width][.precision][length]conversion */
        int star[2], nstar = 0, prec = -1;
        q += strspn(q, "-+ #0");
        if (*q == '*') {
            star[nstar++] = va_arg(args, int);
            q++;
        } else {
            q += strspn(q, "0123456789");
        }
        bool flags_or_width = q != pct + 1;
        if (*q == '.') {
            q++;
            if (*q == '*') {
                prec = star[nstar++] = va_arg(args, int);
                q++;
            } else {
                const char *d = q;
                q += strspn(q, "0123456789");
                prec = 0;
                for (; d < q && prec < 100000; d++)
                    prec = prec * 10 + (*d - '0');
            }
        }
        enum len len = parse_len(&q);
        char conv = *q++;
        p = q;
        if (conv == 's') {
            const char *s = va_arg(args, const char *);
            assert(!flags_or_width && len == LEN_NONE && "html(): %s takes no flag or width");
            if (flags_or_width || len != LEN_NONE) {
                rc = RK_EINTERNAL;
            } else if (s) {
                size_t n = 0;
                while (s[n] && (prec < 0 || n < (size_t)prec))
                    n++;
                rc = rk_report_html_escape(b, s, n);
            }
            continue;
        }
        if (!strchr("diuxXofFeEgG", conv) || conv == '\0' || (size_t)(q - pct) >= 32) {
            assert(!"html(): unsupported conversion");
            rc = RK_EINTERNAL;
            break;
        }
        char spec[32];
        memcpy(spec, pct, (size_t)(q - pct));
        spec[q - pct] = '\0';
        rc = number(b, spec, nstar, star, conv, len, &args);
    }
    va_end(args);
    return rc;
}

int rk_report__html(rk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = rk_report__vhtml(b, fmt, ap);
    va_end(ap);
    return rc;
}
