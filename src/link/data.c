/* The in-memory records of a linkage: a builder that fills the flat per-field key arrays that
 * blocking and comparison read, and dates kept as ranges of days with their precision. */
#include "link_private.h"

int32_t rk_link_days(int year, int month, int day)
{
    /* Howard Hinnant's days_from_civil. */
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

static int month_days(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

rk_link_date rk_link_date_ymd(int year, int month, int day)
{
    if (year <= 0 || month < 0 || month > 12 || day < 0 || day > 31)
        return RK_LINK_DATE_MISSING;
    if (month == 0)
        return (rk_link_date){rk_link_days(year, 1, 1), rk_link_days(year, 12, 31)};
    if (day == 0 || day > month_days(year, month)) {
        if (day != 0)
            return RK_LINK_DATE_MISSING;
        return (rk_link_date){rk_link_days(year, month, 1),
                              rk_link_days(year, month, month_days(year, month))};
    }
    int32_t d = rk_link_days(year, month, day);
    return (rk_link_date){d, d};
}

/* The day `years` years before day `days` (29 February goes to 28 February). */
static int32_t years_before(int32_t days, int years)
{
    int32_t z = days + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2)) - years;
    if (m == 2 && d == 29 && month_days(y, 2) == 28)
        d = 28;
    return rk_link_days(y, m, d);
}

rk_link_date rk_link_date_from_age(int age, int ref_year, int ref_month, int ref_day)
{
    if (age < 0 || ref_year <= 0)
        return RK_LINK_DATE_MISSING;
    /* Aged `age` on the reference day: born after that day age + 1 years earlier, and on or
     * before that day age years earlier. */
    rk_link_date ref = rk_link_date_ymd(ref_year, ref_month, ref_day);
    if (ref.lo > ref.hi)
        return RK_LINK_DATE_MISSING;
    return (rk_link_date){years_before(ref.lo, age + 1) + 1, years_before(ref.hi, age)};
}

void rk_link_data_init(rk_link_data *d)
{
    memset(d, 0, sizeof(*d));
}

void rk_link_data_release(rk_link_data *d)
{
    if (!d)
        return;
    rk_free(d->list);
    rk_free(d->entity);
    for (size_t f = 0; f < d->nfields; f++) {
        rk_link_column *c = &d->fields[f];
        rk_free(c->key_start);
        rk_free(c->key_text);
        rk_free(c->key_tag);
        rk_buf_release(&c->text);
        rk_free(c->dates);
    }
    memset(d, 0, sizeof(*d));
}

int rk_link_data_add_field(size_t *out, rk_ctx *ctx, rk_link_data *d, const char *name,
                           rk_link_field_type type)
{
    RK_ASSERT_ARG(ctx, d && name);
    if (d->nrecords > 0)
        return rk_error_set(ctx, RK_EINTERNAL, "field '%s' declared after records were added",
                            name);
    if (d->nfields >= RK_LINK_MAX_FIELDS)
        return rk_error_set(ctx, RK_EINPUT, "too many fields for linkage at '%s' (at most %d)",
                            name, RK_LINK_MAX_FIELDS);
    rk_link_column *c = &d->fields[d->nfields];
    memset(c, 0, sizeof(*c));
    snprintf(c->name, sizeof(c->name), "%s", name);
    c->type = type;
    rk_buf_init(&c->text);
    if (type == RK_LINK_STRING) {
        if (rk_grow((void **)&c->key_start, &c->cap_start, 1, sizeof(uint32_t)) != RK_OK)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory declaring field '%s'", name);
        c->key_start[0] = 0;
        /* Offset 0 holds an empty string so that no key has offset 0 by accident. */
        if (rk_buf_putc(&c->text, '\0') != RK_OK)
            return rk_error_set(ctx, RK_ENOMEM, "out of memory declaring field '%s'", name);
    }
    if (out)
        *out = d->nfields;
    d->nfields++;
    return RK_OK;
}

/* Room for `need` records in d's per-record arrays (list, entity). */
static bool grow_records(rk_link_data *d, size_t need)
{
    size_t cap = d->cap;
    if (rk_grow((void **)&d->list, &cap, need, sizeof(uint32_t)) != RK_OK)
        return false;
    cap = d->cap;
    if (rk_grow((void **)&d->entity, &cap, need, sizeof(int64_t)) != RK_OK)
        return false;
    d->cap = cap;
    return true;
}

int rk_link_data_declare_like(rk_ctx *ctx, rk_link_data *d, const rk_link_data *like)
{
    RK_ASSERT_ARG(ctx, d && like);
    for (size_t f = 0; f < like->nfields; f++) {
        int rc = rk_link_data_add_field(NULL, ctx, d, like->fields[f].name, like->fields[f].type);
        if (rc != RK_OK)
            return rc;
    }
    return RK_OK;
}

int rk_link_data_append(rk_ctx *ctx, rk_link_data *d, const rk_link_data *src)
{
    RK_ASSERT_ARG(ctx, d && src && d->nfields == src->nfields);
    size_t n0 = d->nrecords, n = src->nrecords, need = n0 + n;
    if (n == 0)
        return RK_OK;
    if (need > UINT32_MAX - 1)
        return rk_error_set(ctx, RK_EINPUT, "too many records for one linkage");
    for (size_t f = 0; f < d->nfields; f++) {
        const rk_link_column *s = &src->fields[f];
        RK_ASSERT_ARG(ctx, s->type == d->fields[f].type);
        if (s->type == RK_LINK_STRING && d->fields[f].text.len + s->text.len > UINT32_MAX)
            return rk_error_set(ctx, RK_EINPUT, "keys of field '%s' exceed 4 GB", s->name);
    }
    if (!grow_records(d, need))
        goto nomem;
    memcpy(d->list + n0, src->list, n * sizeof(uint32_t));
    memcpy(d->entity + n0, src->entity, n * sizeof(int64_t));
    for (size_t f = 0; f < d->nfields; f++) {
        rk_link_column *c = &d->fields[f];
        const rk_link_column *s = &src->fields[f];
        if (c->type != RK_LINK_STRING) {
            if (rk_grow((void **)&c->dates, &c->cap_dates, need, sizeof(rk_link_date)) != RK_OK)
                goto nomem;
            memcpy(c->dates + n0, s->dates, n * sizeof(rk_link_date));
            continue;
        }
        size_t keys = c->nkeys + s->nkeys, kcap = c->cap_keys;
        if (rk_grow((void **)&c->key_start, &c->cap_start, need + 1, sizeof(uint32_t)) != RK_OK ||
            rk_grow((void **)&c->key_text, &kcap, keys, sizeof(uint32_t)) != RK_OK)
            goto nomem;
        kcap = c->cap_keys;
        if (rk_grow((void **)&c->key_tag, &kcap, keys, sizeof(uint8_t)) != RK_OK)
            goto nomem;
        c->cap_keys = kcap;
        size_t text_before = c->text.len; /* d's, with its empty string at offset 0 */
        if (rk_buf_append(&c->text, s->text.data + 1, s->text.len - 1) != RK_OK)
            goto nomem;
        if (s->nkeys) { /* a column without keys has no key arrays */
            memcpy(c->key_text + c->nkeys, s->key_text, s->nkeys * sizeof(uint32_t));
            memcpy(c->key_tag + c->nkeys, s->key_tag, s->nkeys);
        }
        memcpy(c->key_start + n0 + 1, s->key_start + 1, n * sizeof(uint32_t));
        link_keys_rebase(c->key_start + n0, n, c->key_text + c->nkeys, s->nkeys, c->nkeys,
                         text_before);
        c->nkeys = keys;
    }
    d->nrecords = need;
    if (src->nlists > d->nlists)
        d->nlists = src->nlists;
    return RK_OK;
nomem:
    return rk_error_set(ctx, RK_ENOMEM, "out of memory joining the records' keys");
}

int rk_link_data_add_record(rk_ctx *ctx, rk_link_data *d, uint32_t list, int64_t entity)
{
    RK_ASSERT_ARG(ctx, d);
    size_t need = d->nrecords + 1;
    if (need > UINT32_MAX - 1)
        return rk_error_set(ctx, RK_EINPUT, "too many records for one linkage");
    if (!grow_records(d, need))
        goto nomem;
    for (size_t f = 0; f < d->nfields; f++) {
        rk_link_column *c = &d->fields[f];
        if (c->type == RK_LINK_STRING) {
            if (rk_grow((void **)&c->key_start, &c->cap_start, need + 1, sizeof(uint32_t)) != RK_OK)
                goto nomem;
            c->key_start[need] = c->key_start[need - 1];
        } else {
            if (rk_grow((void **)&c->dates, &c->cap_dates, need, sizeof(rk_link_date)) != RK_OK)
                goto nomem;
            c->dates[need - 1] = RK_LINK_DATE_MISSING;
        }
    }
    d->list[d->nrecords] = list;
    d->entity[d->nrecords] = entity;
    d->nrecords = need;
    if (list + 1 > d->nlists)
        d->nlists = list + 1;
    return RK_OK;
nomem:
    return rk_error_set(ctx, RK_ENOMEM, "out of memory adding record %zu", d->nrecords + 1);
}

int rk_link_data_add_key(rk_ctx *ctx, rk_link_data *d, size_t field, uint8_t tag, const char *s,
                         size_t n)
{
    RK_ASSERT_ARG(ctx, d && s && field < d->nfields && d->nrecords > 0);
    rk_link_column *c = &d->fields[field];
    RK_ASSERT_ARG(ctx, c->type == RK_LINK_STRING);
    if (n == 0)
        return RK_OK;
    if (c->text.len + n + 1 > UINT32_MAX)
        return rk_error_set(ctx, RK_EINPUT, "keys of field '%s' exceed 4 GB", c->name);
    size_t cap = c->cap_keys;
    if (rk_grow((void **)&c->key_text, &cap, c->nkeys + 1, sizeof(uint32_t)) != RK_OK)
        goto nomem;
    cap = c->cap_keys;
    if (rk_grow((void **)&c->key_tag, &cap, c->nkeys + 1, sizeof(uint8_t)) != RK_OK)
        goto nomem;
    c->cap_keys = cap;
    uint32_t off = (uint32_t)c->text.len;
    if (rk_buf_append(&c->text, s, n) != RK_OK || rk_buf_putc(&c->text, '\0') != RK_OK)
        goto nomem;
    c->key_text[c->nkeys] = off;
    c->key_tag[c->nkeys] = tag;
    c->nkeys++;
    c->key_start[d->nrecords] = (uint32_t)c->nkeys;
    return RK_OK;
nomem:
    return rk_error_set(ctx, RK_ENOMEM, "out of memory adding a key to field '%s'", c->name);
}

int rk_link_data_set_date(rk_ctx *ctx, rk_link_data *d, size_t field, rk_link_date date)
{
    RK_ASSERT_ARG(ctx, d && field < d->nfields && d->nrecords > 0);
    rk_link_column *c = &d->fields[field];
    RK_ASSERT_ARG(ctx, c->type == RK_LINK_DATE);
    c->dates[d->nrecords - 1] = date;
    return RK_OK;
}
