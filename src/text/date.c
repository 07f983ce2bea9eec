/* Standardization of dates and ages: digits of any script, numeric and month-name forms,
 * partial dates with their precision, approximations; dates that fit two readings are marked
 * ambiguous and impossible ones flagged (never corrected); age at death to birth years. */
#include "common.h"

#include "text/text_private.h"

#include <unicode/uchar.h>

/* Month names, lower case, by month (1-12); prefixes of at least 3 letters also match. */
static const struct {
    const char *name;
    int month;
} months[] = {
    {"january", 1},    {"february", 2},  {"march", 3},    {"april", 4},      {"may", 5},
    {"june", 6},       {"july", 7},      {"august", 8},   {"september", 9},  {"october", 10},
    {"november", 11},  {"december", 12}, {"enero", 1},    {"febrero", 2},    {"marzo", 3},
    {"abril", 4},      {"mayo", 5},      {"junio", 6},    {"julio", 7},      {"agosto", 8},
    {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12},
    {"yanvar", 1},     {"fevral", 2},    {"mart", 3},     {"aprel", 4},      {"iyun", 6},
    {"iyul", 7},       {"avqust", 8},    {"sentyabr", 9}, {"oktyabr", 10},   {"noyabr", 11},
    {"dekabr", 12},    {"январ", 1},     {"феврал", 2},   {"март", 3},       {"апрел", 4},
    {"мая", 5},        {"май", 5},       {"июн", 6},      {"июл", 7},        {"август", 8},
    {"сентябр", 9},    {"октябр", 10},   {"ноябр", 11},   {"декабр", 12},
};

static const char *const approx_words[] = {"c.",       "ca.",   "circa", "around", "about",
                                           "approx",   "aprox", "hacia", "около",  "примерно",
                                           "təxminən", "~",     "?"};

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool valid(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

/* A word of the date: a number (value, digit count) or a month name. */
typedef struct dword {
    int value;
    int digits; /* 0 for a month name */
} dword;

static int month_of(const char *w, size_t n)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(months); i++) {
        size_t k = strlen(months[i].name);
        if (n >= 3 && n <= k + 2 && strncmp(w, months[i].name, RK_MIN(n, k)) == 0)
            return months[i].month;
    }
    return 0;
}

/* Words that may sit between the parts of a date: "3 de abril del 1992", "1992 г.". */
static bool filler(const char *w, size_t n)
{
    static const char *const words[] = {"de", "del",  "of",  "the", "st", "nd", "rd", "th",
                                        "г",  "года", "год", "il",  "ci", "cu", "y"};
    for (size_t i = 0; i < RK_ARRAY_LEN(words); i++)
        if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
            return true;
    return false;
}

/* Lower-cases UTF-8 into out (letters of any script). */
static void lower_utf8(const char *s, size_t n, char *out, size_t outsz)
{
    size_t i = 0, o = 0;
    while (i < n && o + 4 < outsz) {
        int32_t c;
        if (tx_decode(s, n, &i, &c) != 0) {
            i++;
            continue;
        }
        c = u_tolower(c);
        UBool bad = false;
        int32_t ol = (int32_t)o;
        U8_APPEND((uint8_t *)out, ol, (int32_t)outsz - 1, c, bad);
        if (!bad)
            o = (size_t)ol;
    }
    out[o] = '\0';
}

static void set_day(rk_date *out, int y, int m, int d)
{
    out->year = y;
    out->month = m;
    out->day = d;
    out->precision = RK_DATE_DAY;
    if (!valid(y, m, d))
        out->flags |= RK_DATE_IMPOSSIBLE;
}

static int two_digit(int v, int pivot, rk_date *out)
{
    out->flags |= RK_DATE_TWO_DIGIT;
    return v <= pivot ? 2000 + v : 1900 + v;
}

int rk_text_date_parse(rk_ctx *ctx, const char *s, rk_date_order order, int pivot, rk_date *out)
{
    RK_ASSERT_ARG(ctx, out);
    memset(out, 0, sizeof(*out));
    if (!s)
        return RK_OK;
    rk_buf b;
    rk_buf_init(&b);
    int rc = rk_text_digits(ctx, s, &b);
    if (rc != RK_OK) {
        rk_buf_release(&b);
        return rc;
    }
    char low[256];
    lower_utf8(rk_buf_cstr(&b), b.len, low, sizeof(low));
    rk_buf_release(&b);
    /* ISO timestamps: drop the time. */
    char *tpos = strchr(low, 't');
    if (tpos && tpos > low && tpos[-1] >= '0' && tpos[-1] <= '9')
        *tpos = '\0';
    for (size_t i = 0; i < RK_ARRAY_LEN(approx_words); i++) {
        char *p = strstr(low, approx_words[i]);
        if (p) {
            out->flags |= RK_DATE_APPROX;
            memset(p, ' ', strlen(approx_words[i]));
        }
    }
    dword w[8];
    int nw = 0;
    bool other = false;
    for (size_t i = 0; low[i] && nw < 8;) {
        unsigned char c = (unsigned char)low[i];
        if (c >= '0' && c <= '9') {
            int v = 0, d = 0;
            while (low[i] >= '0' && low[i] <= '9') {
                if (d < 6)
                    v = v * 10 + (low[i] - '0');
                d++;
                i++;
            }
            w[nw++] = (dword){.value = v, .digits = d};
        } else if (c >= 0x80 || (c >= 'a' && c <= 'z')) {
            size_t st = i;
            while (low[i] && ((unsigned char)low[i] >= 0x80 || (low[i] >= 'a' && low[i] <= 'z')))
                i++;
            int m = month_of(low + st, i - st);
            if (m)
                w[nw++] = (dword){.value = m, .digits = 0};
            else if (!filler(low + st, i - st))
                other = true;
        } else {
            i++;
        }
    }
    if (nw == 0) {
        if (low[strspn(low, " \t")] != '\0')
            out->flags |= RK_DATE_UNPARSED;
        return RK_OK;
    }
    int names = 0, name_at = -1;
    for (int i = 0; i < nw; i++)
        if (w[i].digits == 0) {
            names++;
            name_at = i;
        }
    if (other || names > 1 || nw > 3) {
        out->flags |= RK_DATE_UNPARSED;
        return RK_OK;
    }
    if (names == 1) {
        int m = w[name_at].value, y = 0, d = 0;
        for (int i = 0; i < nw; i++) {
            if (i == name_at)
                continue;
            if (w[i].digits == 4)
                y = w[i].value;
            else if (w[i].digits <= 2 && !d && nw == 3)
                d = w[i].value;
            else if (w[i].digits == 2 && !y)
                y = two_digit(w[i].value, pivot, out);
        }
        if (!y) {
            out->flags |= RK_DATE_UNPARSED;
            return RK_OK;
        }
        if (d)
            set_day(out, y, m, d);
        else {
            out->year = y;
            out->month = m;
            out->precision = RK_DATE_MONTH;
        }
        return RK_OK;
    }
    if (nw == 1) {
        if (w[0].digits == 4) {
            out->year = w[0].value;
            out->precision = RK_DATE_YEAR;
        } else if (w[0].digits == 8) {
            out->flags |= RK_DATE_UNPARSED; /* 19920403 and 03041992 both exist */
        } else {
            out->flags |= RK_DATE_UNPARSED;
        }
        return RK_OK;
    }
    if (nw == 2) {
        int y = w[0].digits == 4 ? w[0].value : w[1].digits == 4 ? w[1].value : 0;
        int m = w[0].digits == 4 ? w[1].value : w[0].value;
        if (!y || (w[0].digits == 4 && w[1].digits == 4)) {
            out->flags |= RK_DATE_UNPARSED;
            return RK_OK;
        }
        out->year = y;
        out->month = m;
        out->precision = RK_DATE_MONTH;
        if (m < 1 || m > 12)
            out->flags |= RK_DATE_IMPOSSIBLE;
        return RK_OK;
    }
    if (w[0].digits == 4 || order == RK_YMD) {
        int y = w[0].digits == 4 ? w[0].value : two_digit(w[0].value, pivot, out);
        set_day(out, y, w[1].value, w[2].value);
        return RK_OK;
    }
    if (w[2].digits != 4 && w[2].digits != 2) {
        out->flags |= RK_DATE_UNPARSED;
        return RK_OK;
    }
    int y = w[2].digits == 4 ? w[2].value : two_digit(w[2].value, pivot, out);
    int a = w[0].value, c = w[1].value;
    int d = order == RK_MDY ? c : a, m = order == RK_MDY ? a : c;
    set_day(out, y, m, d);
    if (a != c && a >= 1 && a <= 12 && c >= 1 && c <= 12 && valid(y, d, m)) {
        out->flags |= RK_DATE_AMBIGUOUS;
        out->alt_month = d;
        out->alt_day = m;
    }
    return RK_OK;
}

void rk_text_date_format(const rk_date *d, char buf[16])
{
    buf[0] = '\0';
    if (!d || d->precision == RK_DATE_NONE)
        return;
    int y = RK_MAX(0, RK_MIN(d->year, 9999)), m = RK_MAX(0, RK_MIN(d->month, 99)),
        dd = RK_MAX(0, RK_MIN(d->day, 99));
    if (d->precision == RK_DATE_YEAR)
        snprintf(buf, 16, "%04d", y);
    else if (d->precision == RK_DATE_MONTH)
        snprintf(buf, 16, "%04d-%02d", y, m);
    else
        snprintf(buf, 16, "%04d-%02d-%02d", y, m, dd);
}

int rk_text_age_birth_years(rk_ctx *ctx, int age, const rk_date *death, int *lo, int *hi)
{
    RK_ASSERT_ARG(ctx, death && lo && hi);
    if (age < 0 || age > 150)
        return rk_error_set(ctx, RK_EINPUT, "age %d is not an age at death", age);
    if (death->precision == RK_DATE_NONE || death->year == 0)
        return rk_error_set(ctx, RK_EINPUT, "an age needs a dated death to give a birth year");
    /* Born in year-age-1 (birthday still to come) or year-age (birthday passed). */
    *lo = death->year - age - 1;
    *hi = death->year - age;
    return RK_OK;
}

int rk_text_age_between(rk_ctx *ctx, const rk_date *birth, const rk_date *death, int *lo, int *hi)
{
    RK_ASSERT_ARG(ctx, birth && death && lo && hi);
    if (birth->precision == RK_DATE_NONE || death->precision == RK_DATE_NONE)
        return rk_error_set(ctx, RK_EINPUT, "an age needs both a birth and a death date");
    int years = death->year - birth->year;
    *lo = years - 1;
    *hi = years;
    if (birth->precision >= RK_DATE_MONTH && death->precision >= RK_DATE_MONTH) {
        if (death->month > birth->month)
            *lo = years;
        else if (death->month < birth->month)
            *hi = years - 1;
        else if (birth->precision == RK_DATE_DAY && death->precision == RK_DATE_DAY) {
            if (death->day >= birth->day)
                *lo = years;
            else
                *hi = years - 1;
        }
    }
    if (*hi < 0)
        return rk_error_set(ctx, RK_EINPUT, "death date is before birth date");
    *lo = RK_MAX(*lo, 0);
    return RK_OK;
}
