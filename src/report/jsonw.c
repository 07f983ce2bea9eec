/* A small JSON writer for the report's JSON twin: places commas by nesting and keeps the first
 * error, so that the section writers can emit values without checking every call. */
#include "report_private.h"

void report_json_init(report_json *j, rk_buf *b)
{
    memset(j, 0, sizeof(*j));
    j->b = b;
}

/* Before a value: a comma unless it is the first of its container, or follows a key. */
static void before_value(report_json *j)
{
    if (j->rc == RK_OK && j->need_comma[j->depth])
        j->rc = rk_buf_putc(j->b, ',');
    j->need_comma[j->depth] = true;
}

void report_json_key(report_json *j, const char *key)
{
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_json_string(j->b, key, strlen(key));
    if (j->rc == RK_OK)
        j->rc = rk_buf_putc(j->b, ':');
    j->need_comma[j->depth] = false; /* the value follows without a comma */
}

static void open(report_json *j, char c)
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

static void close_(report_json *j, char c)
{
    if (j->depth > 0)
        j->depth--;
    j->need_comma[j->depth] = true;
    if (j->rc == RK_OK)
        j->rc = rk_buf_putc(j->b, c);
}

void report_json_obj(report_json *j)
{
    open(j, '{');
}

void report_json_obj_end(report_json *j)
{
    close_(j, '}');
}

void report_json_arr(report_json *j)
{
    open(j, '[');
}

void report_json_arr_end(report_json *j)
{
    close_(j, ']');
}

void report_json_str(report_json *j, const char *s)
{
    if (!s) {
        report_json_null(j);
        return;
    }
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_json_string(j->b, s, strlen(s));
}

void report_json_int(report_json *j, int64_t v)
{
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_printf(j->b, "%lld", (long long)v);
}

void report_json_num(report_json *j, double v)
{
    if (!isfinite(v)) {
        report_json_null(j);
        return;
    }
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_printf(j->b, "%.15g", v);
}

void report_json_bool(report_json *j, bool v)
{
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_puts(j->b, v ? "true" : "false");
}

void report_json_null(report_json *j)
{
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_puts(j->b, "null");
}

void report_json_raw(report_json *j, const char *json)
{
    if (!json) {
        report_json_null(j);
        return;
    }
    before_value(j);
    if (j->rc == RK_OK)
        j->rc = rk_buf_puts(j->b, json);
}
