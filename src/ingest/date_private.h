/* Dates, private to src/ingest: a date value read into its pieces (numbers and words, with the
 * separators between them; date_words.c), the one table of month names and filler words, and
 * the choice of day/month order for a column mapped `auto` (date_auto.c). */
#ifndef RK_INGEST_DATE_PRIVATE_H
#define RK_INGEST_DATE_PRIVATE_H

#include "common.h"

#define DATE_MAX_ITEMS 6

/* One piece of a date value: a number (ASCII, Arabic-Indic or Persian digits, mixed) or a word.
 * `gap` holds the separators before it as they matter: the punctuation alone (".", "-", "/",
 * ","; ", " is ","), " " when there were only blanks, "" when there was nothing. */
typedef struct date_item {
    bool word;
    int value;      /* a number's value (its first 9 digits); a word's month, 0 for no month */
    int ndigits;    /* a number's digits */
    size_t at, len; /* where it is in the value, in bytes */
    char gap[4];
    bool gap_blank;      /* the gap held a blank (or a filler word) */
    bool gap_after_word; /* the gap follows a word directly: its first '.' may end the word */
} date_item;

typedef struct date_items {
    date_item item[DATE_MAX_ITEMS];
    int n;
    char tail[4]; /* the gap after the last piece, as `gap` */
    bool bad;     /* a character that is in no date, or too many pieces */
    size_t bad_at;
} date_items;

/* Reads a date value into its pieces. Blanks, direction marks and filler words ("de", "г.",
 * "года", "թ.", "-ci il", "წ.", "god.") are left out; a word of two ("كانون الثاني") is one
 * piece when the two name a month. */
void ingest_date_read(date_items *out, const char *value, size_t len);

/* A word of the table: a month (1-12), or 0 for a filler word that dates are written with. */
typedef struct date_word {
    const char *word; /* folded: see ingest_date_word */
    unsigned char month;
    const char *langs; /* where it is written, for the tests and docs */
} date_word;

extern const date_word ingest_date_words[];
extern const size_t ingest_date_nwords;

/* The table's entry for a word as written (any case, with or without diacritics on Latin and
 * Arabic letters, blanks between two words), or NULL. */
const date_word *ingest_date_word(const char *word, size_t len);

/* ---- `auto`: the day/month order decided from the whole column (date_auto.c) ---- */

typedef struct date_auto_example {
    long line, column;
    char value[40];
} date_auto_example;

/* What a column's values say about their order, fed one value at a time from any row source. */
typedef struct date_auto {
    int64_t values;                         /* non-empty values */
    int64_t day_first, month_first;         /* year last: first part above 12 / second part */
    int64_t year_first, year_last, neither; /* three numbers: where the four-digit year is */
    date_auto_example ex_day, ex_month, ex_year_first, ex_year_last, ex_any;
    char sep; /* the separator of the first value with three numbers */
} date_auto;

void ingest_date_auto_init(date_auto *a);
/* One non-empty value of the column and where it is. */
void ingest_date_auto_add(date_auto *a, const char *value, size_t len, long line, long column);
/* The format the column's values decide (DD.MM.YYYY, MM/DD/YYYY, YYYY-MM-DD, ... with their
 * separator) and the evidence ("all 812 values read as DD.MM: 143 have a first part above
 * 12"); or RK_EINPUT, set on ctx at path, with the evidence, the lines and the fix. */
int ingest_date_auto_decide(char format[16], char *evidence, size_t evsz, const date_auto *a,
                            rk_ctx *ctx, const char *path, const char *role);

#endif
