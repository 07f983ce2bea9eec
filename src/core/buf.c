/* Growable byte buffers: the one way libreckon builds strings of unknown length. */
#include "common.h"

void rk_buf_init(rk_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void rk_buf_release(rk_buf *b)
{
    if (!b)
        return;
    rk_free(b->data);
    rk_buf_init(b);
}

void rk_buf_clear(rk_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

int rk_buf_reserve(rk_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return RK_ENOMEM;
    return rk_grow((void **)&b->data, &b->cap, b->len + extra + 1, 1);
}

int rk_buf_append(rk_buf *b, const void *data, size_t n)
{
    /* The common case, room already there, without a call (import builds JSON this way). */
    if (!(b->data && n < b->cap - b->len) && rk_buf_reserve(b, n) != RK_OK)
        return RK_ENOMEM;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return RK_OK;
}

int rk_buf_puts(rk_buf *b, const char *s)
{
    return rk_buf_append(b, s, strlen(s));
}

int rk_buf_putc(rk_buf *b, char c)
{
    if (b->data && b->len + 2 <= b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return RK_OK;
    }
    return rk_buf_append(b, &c, 1);
}

int rk_buf_printf(rk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return RK_EINTERNAL;
    if ((size_t)n < sizeof(small))
        return rk_buf_append(b, small, (size_t)n);
    if (rk_buf_reserve(b, (size_t)n) != RK_OK)
        return RK_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return RK_OK;
}

int rk_buf_json_string(rk_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (rk_buf_reserve(b, n + 2) != RK_OK)
        return RK_ENOMEM;
    int rc = rk_buf_putc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        rc = rk_buf_append(b, s + start, i - start);
        start = i + 1;
        if (rc != RK_OK)
            break;
        switch (c) {
        case '"':
            rc = rk_buf_puts(b, "\\\"");
            break;
        case '\\':
            rc = rk_buf_puts(b, "\\\\");
            break;
        case '\n':
            rc = rk_buf_puts(b, "\\n");
            break;
        case '\r':
            rc = rk_buf_puts(b, "\\r");
            break;
        case '\t':
            rc = rk_buf_puts(b, "\\t");
            break;
        default: {
            char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            rc = rk_buf_puts(b, esc);
        }
        }
    }
    if (rc == RK_OK)
        rc = rk_buf_append(b, s + start, n - start);
    if (rc == RK_OK)
        rc = rk_buf_putc(b, '"');
    return rc;
}

const char *rk_buf_cstr(rk_buf *b)
{
    return b->data ? b->data : "";
}

char *rk_buf_detach(rk_buf *b)
{
    char *d = b->data;
    if (!d)
        d = rk_strdup("");
    rk_buf_init(b);
    return d;
}
