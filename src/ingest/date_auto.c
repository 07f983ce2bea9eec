/* The day/month order of a date column mapped `auto`, decided from all its values before any
 * row is imported: DD.MM when some value's first number is above 12 and none's second, MM.DD
 * the reverse, YYYY-MM-DD when the year comes first; a column that cannot tell or contradicts
 * itself is refused with its evidence. Fed one value at a time, from any row source. */
#include "date_private.h"

void ingest_date_auto_init(date_auto *a)
{
    memset(a, 0, sizeof(*a));
}

/* Keeps the first value of a kind and its place, cut at a character's boundary. */
static void example(date_auto_example *e, const char *v, size_t len, long line, long column)
{
    if (e->line)
        return;
    e->line = line;
    e->column = column;
    size_t n = RK_MIN(len, sizeof(e->value) - 1);
    while (n < len && n && ((unsigned char)v[n] & 0xC0) == 0x80)
        n--;
    memcpy(e->value, v, n);
    e->value[n] = '\0';
}

void ingest_date_auto_add(date_auto *a, const char *value, size_t len, long line, long column)
{
    a->values++;
    example(&a->ex_any, value, len, line, column);
    date_items it;
    ingest_date_read(&it, value, len);
    if (it.bad || it.n != 3)
        return; /* a year, a month and year, or no date: no evidence of order */
    for (int i = 0; i < 3; i++)
        if (it.item[i].word)
            return;
    const date_item *p = it.item;
    if (p[0].ndigits == 4 && p[1].ndigits <= 2 && p[2].ndigits <= 2) {
        a->year_first++;
        example(&a->ex_year_first, value, len, line, column);
    } else if (p[2].ndigits == 4 && p[0].ndigits <= 2 && p[1].ndigits <= 2) {
        a->year_last++;
        example(&a->ex_year_last, value, len, line, column);
        if (p[0].value > 12 && p[1].value <= 12) {
            a->day_first++;
            example(&a->ex_day, value, len, line, column);
        } else if (p[1].value > 12 && p[0].value <= 12) {
            a->month_first++;
            example(&a->ex_month, value, len, line, column);
        }
    } else {
        a->neither++;
        return;
    }
    /* The separator the decided format names: one a format may name (a gap of more than three
     * marks reads as "???"), else a dot, which reads any separator. */
    if (!a->sep)
        a->sep = p[1].gap[0] && strchr("-./ ", p[1].gap[0]) ? p[1].gap[0] : '.';
}

static int refuse(rk_ctx *ctx, const char *path, const date_auto_example *at, const char *role,
                  const char *what)
{
    return rk_error_set_at(ctx, RK_EINPUT, path, at->line, at->column,
                           "%s: 'auto' %s; state the format, e.g. --date-format %s=DD.MM.YYYY "
                           "(date_format.%s in a mapping file)",
                           role, what, role, role);
}

int ingest_date_auto_decide(char format[16], char *evidence, size_t evsz, const date_auto *a,
                            rk_ctx *ctx, const char *path, const char *role)
{
    char what[400];
    char s = a->sep;
    if (a->values == 0) {
        snprintf(format, 16, "YYYY-MM-DD");
        snprintf(evidence, evsz, "%s: no values to read (format %s)", role, format);
        return RK_OK;
    }
    if (a->year_first && a->year_last) {
        const date_auto_example *later =
            a->ex_year_first.line > a->ex_year_last.line ? &a->ex_year_first : &a->ex_year_last;
        snprintf(what, sizeof(what),
                 "found %lld values with the year first (line %ld: '%s') and %lld with the year "
                 "last (line %ld: '%s')",
                 (long long)a->year_first, a->ex_year_first.line, a->ex_year_first.value,
                 (long long)a->year_last, a->ex_year_last.line, a->ex_year_last.value);
        return refuse(ctx, path, later, role, what);
    }
    if (a->year_first) {
        snprintf(format, 16, "YYYY%cMM%cDD", s, s);
        snprintf(evidence, evsz,
                 "%s: all %lld values read as YYYY-MM-DD: %lld have the year first (format %s)",
                 role, (long long)a->values, (long long)a->year_first, format);
        return RK_OK;
    }
    if (!a->year_last) {
        snprintf(what, sizeof(what),
                 "cannot tell the order: none of %lld values has a day, a month and a four-digit "
                 "year (line %ld: '%s')",
                 (long long)a->values, a->ex_any.line, a->ex_any.value);
        return refuse(ctx, path, &a->ex_any, role, what);
    }
    if (a->day_first && a->month_first) {
        const date_auto_example *later =
            a->ex_day.line > a->ex_month.line ? &a->ex_day : &a->ex_month;
        snprintf(what, sizeof(what),
                 "found both orders: %lld values have a first part above 12 (line %ld: '%s') and "
                 "%lld a second part above 12 (line %ld: '%s')",
                 (long long)a->day_first, a->ex_day.line, a->ex_day.value,
                 (long long)a->month_first, a->ex_month.line, a->ex_month.value);
        return refuse(ctx, path, later, role, what);
    }
    if (!a->day_first && !a->month_first) {
        snprintf(what, sizeof(what),
                 "cannot tell the day from the month: in all %lld values with both, both parts "
                 "are 12 or less (line %ld: '%s')",
                 (long long)a->year_last, a->ex_year_last.line, a->ex_year_last.value);
        return refuse(ctx, path, &a->ex_year_last, role, what);
    }
    bool day = a->day_first > 0;
    snprintf(format, 16, day ? "DD%cMM%cYYYY" : "MM%cDD%cYYYY", s, s);
    snprintf(evidence, evsz,
             "%s: all %lld values read as %s: %lld have a %s part above 12 (format %s)", role,
             (long long)a->values, day ? "DD.MM" : "MM.DD",
             (long long)(day ? a->day_first : a->month_first), day ? "first" : "second", format);
    return RK_OK;
}
