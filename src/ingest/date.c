/* Dates as lists write them, parsed by the format a mapping names: fields YYYY, YY, MM/M,
 * DD/D and MON (a month name in any language of date_words.c, or a Roman numeral) with their
 * separators, compiled once per column. Partial values keep their precision ("1992" is a year,
 * "11.1991" a month, "00.00.1992" a year with unknown day and month); a two-digit year is read
 * only by a stated century pivot; a date that does not exist is refused, never guessed. */
#include "date_private.h"

#include <time.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* The fields of a compiled format. */
enum { F_YEAR = 'Y', F_YEAR2 = 'y', F_MONTH = 'M', F_MONTH_NAME = 'N', F_DAY = 'D' };

static const struct {
    const char *token;
    unsigned char field;
    int width; /* digits when run together; 0: cannot be run together */
} format_tokens[] = {
    /* Longest first: YYYY before YY, MON and MM before M, DD before D. */
    {"YYYY", F_YEAR, 4}, {"YY", F_YEAR2, 2}, {"MON", F_MONTH_NAME, 0}, {"MM", F_MONTH, 2},
    {"M", F_MONTH, 0},   {"DD", F_DAY, 2},   {"D", F_DAY, 0},
};

static bool is_sep_char(char c)
{
    return c == '-' || c == '.' || c == '/' || c == ' ' || c == ',';
}

/* A separator as date_items keep gaps: its punctuation, " " for blanks alone. */
static bool normal_sep(char out[4], const char *s, size_t n)
{
    char punct[4];
    size_t k = 0;
    bool blank = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ') {
            blank = true;
        } else {
            if (k == 1)
                return false; /* ".-", "..": no separator of dates */
            punct[k++] = s[i];
        }
    }
    snprintf(out, 4, "%.*s", (int)k, punct);
    if (!k && blank)
        snprintf(out, 4, " ");
    return true;
}

static int compile_fail(const char *format, const char *what, char *why, size_t whysz)
{
    snprintf(why, whysz,
             "date format '%s' is not understood (%s); use YYYY, YY, MM, M, DD, D and MON with "
             "separators - . / space or ', ', e.g. DD.MM.YYYY, DD.MM.YYYY., YYYY-MM-DD, "
             "MM/DD/YYYY, YYYYMMDD, D MON YYYY, MON D, YYYY, D-MON-YY",
             format, what);
    return RK_EINPUT;
}

static int today_number(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int rk_date_format_compile(rk_date_format *out, const char *format, int century_pivot, char *why,
                           size_t whysz)
{
    memset(out, 0, sizeof(*out));
    if (!format)
        format = "YYYY-MM-DD";
    if (strlen(format) >= sizeof(out->text))
        return compile_fail(format, "too long", why, whysz);
    snprintf(out->text, sizeof(out->text), "%s", format);
    out->century_pivot = century_pivot;
    out->today = today_number();
    const char *p = format;
    bool names = false, fixed = true;
    int seen = 0;
    while (*p) {
        size_t t = 0;
        while (t < RK_ARRAY_LEN(format_tokens) &&
               strncmp(p, format_tokens[t].token, strlen(format_tokens[t].token)) != 0)
            t++;
        if (t == RK_ARRAY_LEN(format_tokens))
            return compile_fail(format, "a field must be YYYY, YY, MM, M, DD, D or MON", why,
                                whysz);
        unsigned char field = format_tokens[t].field;
        int bit = field == F_YEAR || field == F_YEAR2 ? 1 : field == F_DAY ? 4 : 2;
        if (seen & bit)
            return compile_fail(format, "a field is named twice", why, whysz);
        seen |= bit;
        names |= field == F_MONTH_NAME;
        fixed &= format_tokens[t].width > 0;
        out->width[out->n] = (unsigned char)format_tokens[t].width;
        out->field[out->n++] = field;
        p += strlen(format_tokens[t].token);
        size_t s = 0;
        while (is_sep_char(p[s]))
            s++;
        if (!p[s]) {
            /* A trailing "." (28.05.1972.) is allowed, nothing else. */
            if (s && !(s == 1 && p[0] == '.'))
                return compile_fail(format, "it ends in a separator", why, whysz);
            break;
        }
        if (out->n == 3)
            return compile_fail(format, "more than three fields", why, whysz);
        if (!normal_sep(out->sep[out->n - 1], p, s))
            return compile_fail(format, "a separator is one of - . / space or ', '", why, whysz);
        p += s;
    }
    if (seen != 7)
        return compile_fail(format, "it needs a year, a month and a day", why, whysz);
    out->run_together = !out->sep[0][0];
    if (out->run_together != !out->sep[1][0])
        return compile_fail(format, "the fields are either all separated or all run together", why,
                            whysz);
    if (out->run_together && !fixed)
        return compile_fail(format, "only YYYY, YY, MM and DD can be run together", why, whysz);
    if (!names && strcmp(out->sep[0], out->sep[1]) != 0)
        return compile_fail(format, "numbers are separated by one separator", why, whysz);
    return RK_OK;
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

/* ---- a value into its pieces ---- */

/* The separators seen since the last piece. */
typedef struct gap {
    char punct[4];
    int n;
    bool blank, too_long;
    bool after_word;   /* it follows a word directly */
    size_t last_punct; /* where its last punctuation is in the value */
} gap;

static void gap_into(const gap *g, char out[4], bool *blank)
{
    int n = 0;
    if (g->too_long)
        while (n < 3)
            out[n++] = '?';
    for (int i = 0; i < g->n && !g->too_long; i++)
        out[n++] = g->punct[i];
    if (!n && g->blank)
        out[n++] = ' ';
    out[n] = '\0';
    if (blank)
        *blank = g->blank;
}

static void gap_punct(gap *g, char c, size_t at)
{
    if (g->n == 3)
        g->too_long = true;
    else
        g->punct[g->n++] = c;
    g->last_punct = at;
}

static int digit_of(UChar32 c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 0x0660 && c <= 0x0669) /* Arabic-Indic */
        return c - 0x0660;
    if (c >= 0x06F0 && c <= 0x06F9) /* Extended Arabic-Indic (Persian, Urdu) */
        return c - 0x06F0;
    return -1;
}

static bool is_word_char(UChar32 c)
{
    return (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) ||
           (c >= 0x80 && digit_of(c) < 0 &&
            (u_isalpha(c) || (U_GET_GC_MASK(c) & (U_GC_M_MASK | U_GC_NL_MASK))));
}

static date_item *new_item(date_items *out, gap *g, size_t at)
{
    if (out->n == DATE_MAX_ITEMS) {
        out->bad = true;
        out->bad_at = at;
        return NULL;
    }
    date_item *it = &out->item[out->n++];
    memset(it, 0, sizeof(*it));
    it->at = at;
    gap_into(g, it->gap, &it->gap_blank);
    it->gap_after_word = g->after_word && g->n && g->punct[0] == '.';
    *g = (gap){0};
    return it;
}

/* A word from s to e: a filler (left out, as a blank, with a '.' after it and a '-' joining it
 * to a number), part of a month of two words, or a piece. */
static void add_word(date_items *out, gap *g, const char *v, size_t len, size_t s, size_t *e)
{
    const date_word *w = ingest_date_word(v + s, *e - s);
    if (w && w->month == 0) {
        if (g->n && g->punct[g->n - 1] == '-' && g->last_punct + 1 == s)
            g->n--;
        g->blank = true;
        if (*e < len && v[*e] == '.')
            (*e)++;
        g->after_word = false;
        return;
    }
    if (out->n && out->item[out->n - 1].word && g->blank && !g->n) {
        date_item *prev = &out->item[out->n - 1];
        const date_word *two = ingest_date_word(v + prev->at, *e - prev->at);
        if (two && two->month) {
            prev->value = two->month;
            prev->len = *e - prev->at;
            *g = (gap){.after_word = true};
            return;
        }
    }
    date_item *it = new_item(out, g, s);
    if (!it)
        return;
    it->word = true;
    it->value = w ? w->month : 0;
    it->len = *e - s;
    g->after_word = true;
}

void ingest_date_read(date_items *out, const char *value, size_t len)
{
    out->n = 0; /* each item is cleared as it is added */
    out->bad = false;
    out->bad_at = 0;
    gap g = {0};
    size_t i = 0;
    while (i < len && !out->bad) {
        size_t at = i;
        UChar32 c = (unsigned char)value[i];
        if (c < 0x80)
            i++;
        else
            U8_NEXT(value, i, len, c);
        int d = digit_of(c);
        if (d >= 0) {
            date_item *it = new_item(out, &g, at);
            if (!it)
                break;
            it->value = d;
            it->ndigits = 1;
            for (;;) {
                size_t j = i;
                UChar32 c2 = j < len ? (unsigned char)value[j] : 0;
                if (c2 < 0x80)
                    j++;
                else
                    U8_NEXT(value, j, len, c2);
                int d2 = digit_of(c2);
                if (i >= len || d2 < 0)
                    break;
                if (it->ndigits < 9)
                    it->value = it->value * 10 + d2;
                it->ndigits++;
                i = j;
            }
            it->len = i - at;
        } else if (c == ' ' || c == '\t' || (c >= 0x80 && u_isUWhiteSpace(c))) {
            g.blank = true;
        } else if (c == '.' || c == '-' || c == '/' || c == ',' || c == 0x060C) {
            gap_punct(&g, c == 0x060C ? ',' : (char)c, at);
        } else if (c >= 0x80 && u_charType(c) == U_FORMAT_CHAR) {
            continue; /* direction marks around Arabic digits */
        } else if (is_word_char(c)) {
            size_t e = i;
            while (e < len) {
                size_t j = e;
                UChar32 c2 = (unsigned char)value[j];
                if (c2 < 0x80)
                    j++;
                else
                    U8_NEXT(value, j, len, c2);
                if (!is_word_char(c2))
                    break;
                e = j;
            }
            add_word(out, &g, value, len, at, &e);
            i = e;
        } else {
            out->bad = true;
            out->bad_at = at;
        }
    }
    gap_into(&g, out->tail, NULL);
}

/* ---- the pieces against the format ---- */

/* The fields a value of k pieces has: the format's, with the day (then the month) gone. Their
 * places in the format go into pos. */
static void present_fields(int pos[3], const rk_date_format *f, int k)
{
    int n = 0;
    for (int i = 0; i < 3; i++) {
        unsigned char c = f->field[i];
        bool year = c == F_YEAR || c == F_YEAR2;
        if ((k == 2 && c == F_DAY) || (k == 1 && !year))
            continue;
        pos[n++] = i;
    }
}

/* Does the gap before a piece fit the format's separator s? Blanks around punctuation do not
 * matter; a '.' after a word may end it ("Mar. 12", "12.III.1992"); a '.' and a blank fit a
 * blank ("12. März"); a comma may be left out ("March 12 1992"). */
static bool gap_fits(const date_item *it, const char *s)
{
    if (strcmp(it->gap, s) == 0)
        return true;
    if (s[0] == ' ' && strcmp(it->gap, ".") == 0 && it->gap_blank)
        return true;
    if (it->gap_after_word) {
        const char *rest = it->gap + 1;
        if (strcmp(rest[0] ? rest : it->gap_blank ? " " : "", s) == 0)
            return true;
    }
    return s[0] == ',' && strcmp(it->gap, " ") == 0;
}

typedef struct ymd {
    int y, m, d;
    int yy; /* the two digits of a two-digit year, -1 when the year has four */
} ymd;

/* A run-together value (YYYYMMDD and its orders): one number whose digits are split by the
 * fields' widths; fewer digits mean a partial date. */
static bool split_run_together(ymd *out, int *k, const rk_date_format *f, const date_items *it)
{
    if (it->n != 1 || it->item[0].word || it->item[0].gap[0] ||
        (it->tail[0] && strcmp(it->tail, ".")))
        return false;
    int nd = it->item[0].ndigits, v = it->item[0].value;
    for (*k = 3; *k >= 1; (*k)--) {
        int pos[3], total = 0;
        present_fields(pos, f, *k);
        for (int i = 0; i < *k; i++)
            total += f->width[pos[i]];
        if (total != nd)
            continue;
        for (int i = *k - 1; i >= 0; i--) {
            int w = f->width[pos[i]], p10 = w == 4 ? 10000 : 100, part = v % p10;
            v /= p10;
            unsigned char c = f->field[pos[i]];
            if (c == F_YEAR2)
                out->yy = part;
            else if (c == F_YEAR)
                out->y = part;
            else if (c == F_MONTH)
                out->m = part;
            else
                out->d = part;
        }
        return true;
    }
    return false;
}

static int unfit(const char *v, size_t len, const rk_date_format *f, const char *detail, char *why,
                 size_t whysz)
{
    snprintf(why, whysz, "'%.*s' does not fit the date format %s%s", (int)len, v, f->text, detail);
    return RK_EINPUT;
}

/* A separated value: each piece into its field, each gap checked against the format's. */
static int split_separated(ymd *out, int *k, const rk_date_format *f, const date_items *it,
                           const char *v, size_t len, char *why, size_t whysz)
{
    *k = it->n;
    if (*k < 1 || *k > 3)
        return unfit(v, len, f, "", why, whysz);
    int pos[3];
    present_fields(pos, f, *k);
    if (strcmp(it->item[0].gap, "") && strcmp(it->item[0].gap, " "))
        return unfit(v, len, f, "", why, whysz);
    if (it->tail[0] && strcmp(it->tail, ".") && strcmp(it->tail, " "))
        return unfit(v, len, f, "", why, whysz);
    for (int i = 0; i < *k; i++) {
        const date_item *p = &it->item[i];
        if (i) {
            bool fits = false;
            for (int s = pos[i - 1]; s < pos[i] && !fits; s++)
                fits = gap_fits(p, f->sep[s]);
            if (!fits)
                return unfit(v, len, f, "", why, whysz);
        }
        unsigned char c = f->field[pos[i]];
        if (c == F_MONTH_NAME && p->word) {
            if (!p->value) {
                snprintf(why, whysz,
                         "'%.*s' in '%.*s' is no month name reckon knows (format %s); write the "
                         "month as a number, a Roman numeral or a name in en fr de es tr az sq "
                         "sr ru hy ka ar",
                         (int)p->len, v + p->at, (int)len, v, f->text);
                return RK_EINPUT;
            }
            out->m = p->value;
            continue;
        }
        if (p->word)
            return unfit(v, len, f, "", why, whysz);
        if (c == F_YEAR || c == F_YEAR2) {
            if (p->ndigits == 4)
                out->y = p->value;
            else if (p->ndigits == 2 && c == F_YEAR2)
                out->yy = p->value;
            else
                return unfit(v, len, f,
                             p->ndigits == 2 ? " (a two-digit year where the format has YYYY)" : "",
                             why, whysz);
        } else if (p->ndigits > 2) {
            return unfit(v, len, f, "", why, whysz);
        } else if (c == F_DAY) {
            out->d = p->value;
        } else {
            out->m = p->value;
        }
    }
    return RK_OK;
}

/* The century of a two-digit year, from the pivot: the year in [pivot, pivot + 99]. */
static int two_digit_year(int *y, const rk_date_format *f, int yy, const char *v, size_t len,
                          char *why, size_t whysz)
{
    if (!f->century_pivot) {
        snprintf(why, whysz,
                 "'%.*s' has a two-digit year; say --century-pivot 1900 (1900-1999) or state a "
                 "four-digit year format",
                 (int)len, v);
        return RK_EINPUT;
    }
    int p = f->century_pivot;
    *y = p + ((yy - p % 100) % 100 + 100) % 100;
    return RK_OK;
}

int rk_date_parse(rk_date *out, const rk_date_format *f, const char *value, char *why, size_t whysz)
{
    memset(out, 0, sizeof(*out));
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
    date_items it;
    ingest_date_read(&it, value, len);
    if (it.bad)
        return unfit(value, len, f, "", why, whysz);
    ymd p = {.yy = -1};
    int k = 0;
    if (f->run_together) {
        if (!split_run_together(&p, &k, f, &it))
            return unfit(value, len, f, "", why, whysz);
    } else {
        int rc = split_separated(&p, &k, f, &it, value, len, why, whysz);
        if (rc != RK_OK)
            return rc;
    }
    int y = p.y, m = p.m, d = p.d;
    unsigned flags = 0;
    if (p.yy >= 0) {
        int rc = two_digit_year(&y, f, p.yy, value, len, why, whysz);
        if (rc != RK_OK)
            return rc;
        flags = RK_DATE_TWO_DIGIT;
    }
    if (y < 1000) {
        snprintf(why, whysz, "'%.*s' has no four-digit year (format %s)", (int)len, value, f->text);
        return RK_EINPUT;
    }
    if (y > 2200) {
        snprintf(why, whysz, "year %d in '%.*s' is not plausible", y, (int)len, value);
        return RK_EINPUT;
    }
    rk_date_precision prec = RK_DATE_DAY;
    /* Zero day or month: unknown, as many registers write it. */
    if (m == 0) {
        if (d != 0) {
            snprintf(why, whysz, "'%.*s' has a day but no month", (int)len, value);
            return RK_EINPUT;
        }
        prec = RK_DATE_YEAR;
    } else if (m > 12) {
        snprintf(why, whysz, "date '%.*s' does not exist (month %d; format %s)", (int)len, value, m,
                 f->text);
        return RK_EINPUT;
    } else if (d == 0) {
        prec = RK_DATE_MONTH;
    } else if (d > days_in_month(y, m)) {
        snprintf(why, whysz, "date '%.*s' does not exist (%04d-%02d has %d days)", (int)len, value,
                 y, m, days_in_month(y, m));
        return RK_EINPUT;
    }
    *out = (rk_date){.year = y, .month = m, .day = d, .precision = prec, .flags = flags};
    /* A two-digit year read into the future of the import is ambiguous: refused. */
    int when = y * 10000 + m * 100 + d, today = f->today;
    if (flags && (prec == RK_DATE_YEAR    ? y > today / 10000
                  : prec == RK_DATE_MONTH ? when / 100 > today / 100
                                          : when > today)) {
        char iso[16];
        rk_date_iso(iso, out);
        snprintf(why, whysz,
                 "'%.*s' read with century pivot %d is %s, after today (%d-%02d-%02d): a "
                 "two-digit year cannot be in the future; lower the pivot or state four-digit "
                 "years",
                 (int)len, value, f->century_pivot, iso, today / 10000, today / 100 % 100,
                 today % 100);
        memset(out, 0, sizeof(*out));
        return RK_EINPUT;
    }
    return RK_OK;
}
