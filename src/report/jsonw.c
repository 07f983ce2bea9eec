/* A small JSON writer for the report's JSON twin: places commas by nesting and keeps the first
 * error, so that the section writers can emit values without checking every call. */
#include "report_private.h"

void rp_json_init(rp_json *j, rk_buf *b)
{
    memset(j, 0, sizeof(*j));
    j->b = b;
}

/* Before a value: a comma unless it is the first of its container, or follows a key. */
static void before_value(rp_json *j)
{
    if (j->rc == RK_OK && j->need_comma[j->depth])
        j->rc = rk_buf_putc(j->b, ',');
    j->need_comma[j->depth] = true;
}

void rp_json_key(rp_json *j, const char *key)
{
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_json_string(j->b, key, strlen(key));
    if (j->rc == RK_OK)
        j->rc = rk_buf_putc(j->b, ':');
    j->need_comma[j->depth] = false; /* the value follows without a comma */
}

static void open(rp_json *j, char c)
{
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_putc(j->b, c);
    if (j->depth + 1 < (int)RK_ARRAY_LEN(j->need_comma))
        j->depth++;
    else if (j->rc == RK_OK)
        j->rc = RK_EINTERNAL;
    j->need_comma[j->depth] = false;
}

static void close_(rp_json *j, char c)
{
    if (j->depth > 0)
        j->depth--;
    j->need_comma[j->depth] = true;
    if (j->rc == RK_OK)
        j->rc = rk_buf_putc(j->b, c);
}

void rp_json_obj(rp_json *j)
{
    open(j, '{');
}

void rp_json_obj_end(rp_json *j)
{
    close_(j, '}');
}

void rp_json_arr(rp_json *j)
{
    open(j, '[');
}

void rp_json_arr_end(rp_json *j)
{
    close_(j, ']');
}

void rp_json_str(rp_json *j, const char *s)
{
    if (!s) {
        rp_json_null(j);
        return;
    }
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_json_string(j->b, s, strlen(s));
}

void rp_json_int(rp_json *j, int64_t v)
{
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_printf(j->b, "%lld", (long long)v);
}

void rp_json_num(rp_json *j, double v)
{
    if (!isfinite(v)) {
        rp_json_null(j);
        return;
    }
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_printf(j->b, "%.15g", v);
}

void rp_json_bool(rp_json *j, bool v)
{
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_puts(j->b, v ? "true" : "false");
}

void rp_json_null(rp_json *j)
{
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_puts(j->b, "null");
}

void rp_json_raw(rp_json *j, const char *json)
{
    if (!json) {
        rp_json_null(j);
        return;
    }
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_puts(j->b, json);
}
