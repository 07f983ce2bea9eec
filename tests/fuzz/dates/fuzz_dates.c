/* Fuzz harness for date parsing: the input is a format line, a pivot line and a value; any
 * bytes compile and parse or give an input error, a parsed date exists, and the same value
 * also goes through the `auto` order decision. */
#include "ingest/date_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = rk_malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *format = text, *pivot = strchr(text, '\n'), *value = NULL;
    if (pivot) {
        *pivot++ = '\0';
        value = strchr(pivot, '\n');
        if (value)
            *value++ = '\0';
    }
    int64_t p = 0;
    if (!pivot || rk_parse_i64(&p, pivot) != RK_OK || p < 1000 || p > 2100)
        p = 0;
    char why[512];
    rk_date_format f;
    rk_date d;
    int rc = rk_date_format_compile(&f, format, (int)p, why, sizeof(why));
    assert(rc == RK_OK || rc == RK_EINPUT);
    if (rc == RK_OK && value) {
        rc = rk_date_parse(&d, &f, value, why, sizeof(why));
        assert(rc == RK_OK || rc == RK_EINPUT);
        if (rc == RK_OK && d.precision != RK_DATE_NONE) {
            assert(d.year >= 1000 && d.year <= 2200);
            assert(d.precision == RK_DATE_YEAR || (d.month >= 1 && d.month <= 12));
            assert(d.precision != RK_DATE_DAY || (d.day >= 1 && d.day <= 31));
            char iso[16];
            rk_date_iso(iso, &d);
            assert(strlen(iso) >= 4);
        }
    }
    if (value) {
        date_auto a;
        ingest_date_auto_init(&a);
        ingest_date_auto_add(&a, value, strlen(value), 2, 1);
        rk_ctx ctx;
        rk_ctx_init(&ctx);
        char decided[16], evidence[200];
        rc = ingest_date_auto_decide(decided, evidence, sizeof(evidence), &a, &ctx, "fuzz",
                                     "birth_date");
        assert(rc == RK_OK || rc == RK_EINPUT);
        if (rc == RK_OK)
            assert(rk_date_format_compile(&f, decided, 0, why, sizeof(why)) == RK_OK);
        rk_ctx_release(&ctx);
    }
    rk_free(text);
    return 0;
}
