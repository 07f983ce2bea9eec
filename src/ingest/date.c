/* Dates as lists write them, parsed by the format a mapping names (YYYY, MM and DD tokens with
 * separators), keeping their precision: "1992" is a year, "11.1991" a month, "00.00.1992" a
 * year with unknown day and month. A date that does not exist is refused, never guessed. */
#include "common.h"

typedef struct date_format {
    char order[3]; /* 'Y', 'M', 'D' in the order written */
    int n;
    char sep; /* 0 when the parts are run together (YYYYMMDD) */
} date_format;

static bool compile_format(const char *f, date_format *out)
{
    memset(out, 0, sizeof(*out));
    if (!f)
        f = "YYYY-MM-DD";
    const char *p = f;
    char sep = 0;
    bool seen[3] = {false, false, false};
    while (*p) {
        char part;
        size_t want;
        if (strncmp(p, "YYYY", 4) == 0) {
            part = 'Y';
            want = 4;
        } else if (strncmp(p, "MM", 2) == 0) {
            part = 'M';
            want = 2;
        } else if (strncmp(p, "DD", 2) == 0) {
            part = 'D';
            want = 2;
        } else {
            return false;
        }
        int idx = part == 'Y' ? 0 : part == 'M' ? 1 : 2;
        if (seen[idx] || out->n >= 3)
            return false;
        seen[idx] = true;
        out->order[out->n++] = part;
        p += want;
        if (!*p)
            break;
        if (*p == '-' || *p == '.' || *p == '/' || *p == ' ') {
            if (sep && sep != *p)
                return false;
            if (out->n > 1 && !sep)
                return false;
            sep = *p++;
            if (!*p)
                return false;
        } else if (out->n > 1 && sep) {
            return false;
        }
    }
    out->sep = sep;
    return out->n == 3 && seen[0] && seen[1] && seen[2];
}

bool rk_date_format_valid(const char *format)
{
    date_format f;
    return format && compile_format(format, &f);
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool parse_digits(const char *s, size_t n, int *out)
{
    if (n == 0 || n > 4)
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

const char *rk_date_precision_name(rk_date_precision p)
{
    switch (p) {
    case RK_DATE_YEAR:
        return "year";
    case RK_DATE_MONTH:
        return "month";
    case RK_DATE_DAY:
        return "day";
    default:
        return "none";
    }
}

/* Writes n decimal digits of v (zero-padded) at p. */
static char *put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + n;
}

void rk_date_iso(char out[16], const rk_date *d)
{
    /* Import writes one per date cell: the common case without printf. */
    if (d->year >= 0 && d->year <= 9999 && d->month >= 0 && d->month <= 99 && d->day >= 0 &&
        d->day <= 99 && d->precision >= RK_DATE_YEAR && d->precision <= RK_DATE_DAY) {
        char *p = put_digits(out, d->year, 4);
        if (d->precision != RK_DATE_YEAR) {
            *p++ = '-';
            p = put_digits(p, d->month, 2);
        }
        if (d->precision == RK_DATE_DAY) {
            *p++ = '-';
            p = put_digits(p, d->day, 2);
        }
        *p = '\0';
        return;
    }
    switch (d->precision) {
    case RK_DATE_YEAR:
        snprintf(out, 16, "%04d", d->year);
        break;
    case RK_DATE_MONTH:
        snprintf(out, 16, "%04d-%02d", d->year, d->month);
        break;
    case RK_DATE_DAY:
        snprintf(out, 16, "%04d-%02d-%02d", d->year, d->month, d->day);
        break;
    default:
        out[0] = '\0';
    }
}

/* The order of the n parts a partial date has: the format's order with the day (then the
 * month) gone. Returns how many parts that is. */
static int present_order(char order[3], const date_format *f, int n)
{
    int k = 0;
    for (int i = 0; i < f->n; i++) {
        char c = f->order[i];
        if ((n == 2 && c == 'D') || (n == 1 && c != 'Y'))
            continue;
        order[k++] = c;
    }
    return k;
}

int rk_date_parse(rk_date *out, const char *value, const char *format, char *why, size_t whysz)
{
    date_format f;
    memset(out, 0, sizeof(*out));
    if (!compile_format(format, &f)) {
        snprintf(why, whysz, "date format '%s' is not understood", format ? format : "");
        return RK_EINPUT;
    }
    /* Trim blanks. */
    while (*value == ' ' || *value == '\t')
        value++;
    size_t len = strlen(value);
    while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
        len--;
    if (len == 0) {
        out->precision = RK_DATE_NONE;
        return RK_OK;
    }
    int parts[3] = {0, 0, 0};
    size_t widths[3] = {0, 0, 0};
    char order[3];
    int n = 0;
    if (f.sep) {
        /* Split on the separator; fewer parts than the format means a partial date. */
        const char *p = value, *end = value + len;
        while (p <= end && n < 4) {
            const char *q = memchr(p, f.sep, (size_t)(end - p));
            if (!q)
                q = end;
            if (n == 3 || !parse_digits(p, (size_t)(q - p), &parts[n]))
                goto unfit;
            widths[n] = (size_t)(q - p);
            n++;
            p = q + 1;
            if (q == end)
                break;
        }
        if (present_order(order, &f, n) != n)
            goto unfit;
        /* A year has 4 digits, a month or a day 1 or 2. */
        for (int i = 0; i < n; i++)
            if ((order[i] == 'Y') != (widths[i] == 4) || widths[i] == 3)
                goto unfit;
    } else {
        /* Run together: YYYYMMDD and its orders; 4 digits = year, 6 = year and month. */
        for (size_t i = 0; i < len; i++)
            if (value[i] < '0' || value[i] > '9')
                goto unfit;
        if (len != 4 && len != 6 && len != 8)
            goto unfit;
        n = len == 4 ? 1 : len == 6 ? 2 : 3;
        present_order(order, &f, n);
        size_t pos = 0;
        for (int i = 0; i < n; i++) {
            size_t w = order[i] == 'Y' ? 4 : 2;
            parse_digits(value + pos, w, &parts[i]);
            pos += w;
        }
    }
    int y = 0, m = 0, d = 0;
    bool have_y = false;
    for (int i = 0; i < n; i++) {
        if (order[i] == 'Y') {
            y = parts[i];
            have_y = true;
        } else if (order[i] == 'M') {
            m = parts[i];
        } else {
            d = parts[i];
        }
    }
    if (!have_y || y < 1000) {
        snprintf(why, whysz, "'%.*s' has no four-digit year (format %s)", (int)len, value,
                 format ? format : "YYYY-MM-DD");
        return RK_EINPUT;
    }
    if (y > 2200) {
        snprintf(why, whysz, "year %d in '%.*s' is not plausible", y, (int)len, value);
        return RK_EINPUT;
    }
    /* Zero day or month: unknown, as many registers write it. */
    if (m == 0) {
        if (d != 0) {
            snprintf(why, whysz, "'%.*s' has a day but no month", (int)len, value);
            return RK_EINPUT;
        }
        *out = (rk_date){.year = y, .precision = RK_DATE_YEAR};
        return RK_OK;
    }
    if (m > 12) {
        snprintf(why, whysz, "date '%.*s' does not exist (month %d; format %s)", (int)len, value, m,
                 format ? format : "YYYY-MM-DD");
        return RK_EINPUT;
    }
    if (d == 0) {
        *out = (rk_date){.year = y, .month = m, .precision = RK_DATE_MONTH};
        return RK_OK;
    }
    if (d > days_in_month(y, m)) {
        snprintf(why, whysz, "date '%.*s' does not exist (%04d-%02d has %d days)", (int)len, value,
                 y, m, days_in_month(y, m));
        return RK_EINPUT;
    }
    *out = (rk_date){.year = y, .month = m, .day = d, .precision = RK_DATE_DAY};
    return RK_OK;
unfit:
    snprintf(why, whysz, "'%.*s' does not fit the date format %s", (int)len, value,
             format ? format : "YYYY-MM-DD");
    return RK_EINPUT;
}
