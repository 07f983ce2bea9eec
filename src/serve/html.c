/* HTML for the review app: a small formatter in which every string argument is escaped unless
 * the format says it is trusted markup, and the layout shared by every page (head, navigation,
 * foot, error pages, redirects, the CSRF field of forms). */
#include "serve_private.h"

/* The report's escaper (src/report/escape.c): besides markup characters it shows
 * bidirectional and other control characters as "[U+XXXX]", so that a right-to-left override
 * in a name cannot make one record read as another on a reviewer's screen. */
static int html_escape(rk_buf *b, const char *s, size_t n)
{
    return rk_html_escape(b, s, n);
}

static int url_encode(rk_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            if (rk_buf_putc(b, (char)*p) != RK_OK)
                return RK_ENOMEM;
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            if (rk_buf_append(b, e, 3) != RK_OK)
                return RK_ENOMEM;
        }
    }
    return RK_OK;
}

int html(rk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = RK_OK;
    const char *run = fmt;
    for (const char *p = fmt; *p && rc == RK_OK; p++) {
        if (*p != '%')
            continue;
        rc = rk_buf_append(b, run, (size_t)(p - run));
        if (rc != RK_OK)
            break;
        p++;
        switch (*p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s)
                rc = html_escape(b, s, strlen(s));
            break;
        }
        case 'u': {
            const char *s = va_arg(ap, const char *);
            if (s)
                rc = url_encode(b, s);
            break;
        }
        case 'R': {
            const char *s = va_arg(ap, const char *);
            if (s)
                rc = rk_buf_puts(b, s);
            break;
        }
        case 'd':
            rc = rk_buf_printf(b, "%d", va_arg(ap, int));
            break;
        case 'L':
            rc = rk_buf_printf(b, "%lld", (long long)va_arg(ap, int64_t));
            break;
        case 'f':
            rc = rk_buf_printf(b, "%.2f", va_arg(ap, double));
            break;
        case '%':
            rc = rk_buf_putc(b, '%');
            break;
        default:
            assert(!"unknown html() format");
            rc = RK_EINTERNAL;
        }
        if (!*p)
            break;
        run = p + 1;
    }
    if (rc == RK_OK && *run)
        rc = rk_buf_puts(b, run);
    va_end(ap);
    return rc;
}

static const struct {
    const char *key, *href, *label;
} nav_items[] = {
    {"queue", "/queue", "Review queue"}, {"lists", "/lists", "Lists"},
    {"search", "/search", "Search"},     {"estimates", "/estimates", "Estimates"},
    {"report", "/report", "Report"},
};

int page_begin(serve_req *r, const char *title, const char *nav)
{
    rk_buf *b = &r->resp.body;
    int rc = html(b,
                  "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width\">"
                  "<title>%s \xe2\x80\x94 reckon</title>"
                  "<link rel=\"icon\" href=\"/static/icon.svg\">"
                  "<link rel=\"stylesheet\" href=\"/static/app.css\">"
                  "<script src=\"/static/app.js\" defer></script></head>\n<body>"
                  "<header><a class=\"brand\" href=\"/\">reckon</a><nav>",
                  title);
    for (size_t i = 0; rc == RK_OK && i < RK_ARRAY_LEN(nav_items); i++)
        rc = html(b, "<a href=\"%R\"%R>%R</a>", nav_items[i].href,
                  nav && strcmp(nav, nav_items[i].key) == 0 ? " class=\"here\"" : "",
                  nav_items[i].label);
    if (rc == RK_OK && r->sess.valid && r->sess.name[0])
        rc = html(b,
                  "</nav><form class=\"who\" method=\"post\" action=\"/logout\">"
                  "<span>%s</span>",
                  r->sess.name);
    else if (rc == RK_OK)
        rc = html(b, "</nav><form class=\"who\" method=\"post\" action=\"/logout\">");
    if (rc == RK_OK && r->sess.valid)
        rc = form_csrf(r);
    if (rc == RK_OK && r->sess.valid)
        rc = html(b, "<button>Log out</button>");
    if (rc == RK_OK)
        rc = html(b, "</form></header>\n<main><h1>%s</h1>\n", title);
    return rc;
}

int page_end(serve_req *r)
{
    return html(&r->resp.body, "</main></body></html>\n");
}

int form_csrf(serve_req *r)
{
    return html(&r->resp.body, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->sess.csrf);
}

int page_error(serve_req *r, int status, const char *title, const char *message)
{
    rk_buf_clear(&r->resp.body);
    r->resp.status = status;
    int rc = page_begin(r, title, NULL);
    if (rc == RK_OK)
        rc = html(&r->resp.body, "<p class=\"error\">%s</p>", message);
    if (rc == RK_OK)
        rc = page_end(r);
    return rc;
}

int page_redirect(serve_req *r, const char *location)
{
    r->resp.status = 303;
    snprintf(r->resp.location, sizeof(r->resp.location), "%s", location);
    return html(&r->resp.body, "<!doctype html><title>See other</title><a href=\"%s\">%s</a>\n",
                location, location);
}
