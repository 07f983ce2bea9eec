/* HTML for the review app: serve_html() appends through the report's formatter, in which every
 * string argument is escaped and the markup is the literal format; serve_html_raw() appends trusted
 * markup and is the only way to; and the layout shared by every page (head, navigation, foot,
 * error pages, redirects, the CSRF field of forms). */
#include "serve_private.h"

#include "report/report_internal.h"

int serve_html(rk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = rk_report__vhtml(b, fmt, ap);
    va_end(ap);
    return rc;
}

int serve_html_raw(rk_buf *b, const char *markup)
{
    return markup ? rk_buf_puts(b, markup) : RK_OK;
}

static const struct {
    const char *key, *href, *label;
} nav_items[] = {
    {"queue", "/queue", "Review queue"}, {"lists", "/lists", "Lists"},
    {"search", "/search", "Search"},     {"estimates", "/estimates", "Estimates"},
    {"report", "/report", "Report"},
};

int serve_page_begin(serve_req *r, const char *title, const char *nav)
{
    rk_buf *b = &r->resp.body;
    int rc = serve_html(b,
                        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width\">"
                        "<title>%s \xe2\x80\x94 reckon</title>"
                        "<link rel=\"icon\" href=\"/static/icon.svg\">"
                        "<link rel=\"stylesheet\" href=\"/static/app.css\">"
                        "<script src=\"/static/app.js\" defer></script></head>\n<body>"
                        "<header><a class=\"brand\" href=\"/\">reckon</a><nav>",
                        title);
    for (size_t i = 0; rc == RK_OK && i < RK_ARRAY_LEN(nav_items); i++)
        rc = nav && strcmp(nav, nav_items[i].key) == 0
                 ? serve_html(b, "<a href=\"%s\" class=\"here\">%s</a>", nav_items[i].href,
                              nav_items[i].label)
                 : serve_html(b, "<a href=\"%s\">%s</a>", nav_items[i].href, nav_items[i].label);
    if (rc == RK_OK && r->sess.valid && r->sess.name[0])
        rc = serve_html(b,
                        "</nav><form class=\"who\" method=\"post\" action=\"/logout\">"
                        "<span>%s</span>",
                        r->sess.name);
    else if (rc == RK_OK)
        rc = serve_html(b, "</nav><form class=\"who\" method=\"post\" action=\"/logout\">");
    if (rc == RK_OK && r->sess.valid)
        rc = serve_form_csrf(r);
    if (rc == RK_OK && r->sess.valid)
        rc = serve_html(b, "<button>Log out</button>");
    if (rc == RK_OK)
        rc = serve_html(b, "</form></header>\n<main><h1>%s</h1>\n", title);
    return rc;
}

int serve_page_end(serve_req *r)
{
    return serve_html(&r->resp.body, "</main></body></html>\n");
}

int serve_form_csrf(serve_req *r)
{
    return serve_html(&r->resp.body, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                      r->sess.csrf);
}

int serve_page_error(serve_req *r, int status, const char *title, const char *message)
{
    rk_buf_clear(&r->resp.body);
    r->resp.status = status;
    int rc = serve_page_begin(r, title, NULL);
    if (rc == RK_OK)
        rc = serve_html(&r->resp.body, "<p class=\"error\">%s</p>", message);
    if (rc == RK_OK)
        rc = serve_page_end(r);
    return rc;
}

int serve_page_redirect(serve_req *r, const char *location)
{
    r->resp.status = 303;
    snprintf(r->resp.location, sizeof(r->resp.location), "%s", location);
    return serve_html(&r->resp.body,
                      "<!doctype html><title>See other</title><a href=\"%s\">%s</a>\n", location,
                      location);
}
