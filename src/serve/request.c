/* reckon's own handling of a request, apart from the HTTP parser that read it (server.c, on
 * libmicrohttpd): the checks of its head (Host, method, Content-Length), then of the rest
 * before any page runs (the query string, the route, the session, the form, its CSRF token and
 * origin, the reviewer's name), the page with a connection from the worker pool, and the
 * mapping of a page's failure to a status. The fuzz harness tests/fuzz/http/ calls these two
 * functions directly on its inputs. */
#include "serve_private.h"

#include <strings.h>

enum { NEED_SESSION = 1, NEED_NAME = 2, USES_PROJECT = 4 };

typedef struct route {
    const char *path;
    bool post;
    int flags;
    serve_handler fn;
} route;

static const route routes[] = {
    {"/", false, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_home},
    {"/login", false, 0, serve_page_login},
    {"/name", false, NEED_SESSION, serve_page_name},
    {"/name", true, NEED_SESSION, serve_page_name},
    {"/logout", true, NEED_SESSION, serve_page_logout},
    {"/invite", true, NEED_SESSION | NEED_NAME, serve_page_invite},
    {"/queue", false, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_queue},
    {"/next", false, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_next},
    {"/pair", false, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_pair},
    {"/decide", true, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_decide},
    {"/person", false, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_person},
    {"/split", true, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_split},
    {"/merge", true, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_merge},
    {"/lists", false, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_lists},
    {"/search", false, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_search},
    {"/estimates", false, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_estimates},
    {"/report", false, NEED_SESSION | NEED_NAME | USES_PROJECT, serve_page_report},
};

static serve_worker *worker_take(rk_serve *s)
{
    pthread_mutex_lock(&s->pool_lock);
    serve_worker *w = NULL;
    for (;;) {
        for (unsigned i = 0; i < s->nworkers && !w; i++)
            if (!s->workers[i].busy)
                w = &s->workers[i];
        if (w)
            break;
        pthread_cond_wait(&s->pool_cond, &s->pool_lock);
    }
    w->busy = true;
    pthread_mutex_unlock(&s->pool_lock);
    rk_error_clear(&w->ctx);
    return w;
}

static void worker_give(rk_serve *s, serve_worker *w)
{
    pthread_mutex_lock(&s->pool_lock);
    w->busy = false;
    pthread_cond_signal(&s->pool_cond);
    pthread_mutex_unlock(&s->pool_lock);
}

static bool host_ok(const rk_serve *s, const char *host)
{
    if (!host)
        return false;
    for (size_t i = 0; i < RK_ARRAY_LEN(s->host_ok); i++)
        if (s->host_ok[i][0] && strcasecmp(host, s->host_ok[i]) == 0)
            return true;
    return false;
}

/* A POST must come from a page of this server: an Origin header, when the browser sends one,
 * names this host; a cross-site fetch is refused whatever it carries. */
static bool origin_ok(const rk_serve *s, const serve_http *h)
{
    const char *site = h->lookup(h->cls, false, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
        return false;
    const char *origin = h->lookup(h->cls, false, "Origin");
    if (!origin)
        return true;
    if (strncmp(origin, "http://", 7) != 0)
        return false;
    return host_ok(s, origin + 7);
}

static int run_page(serve_req *r, const serve_http *h)
{
    rk_serve *s = r->srv;
    const char *url = h->path;
    bool post = r->post;
    char why[256] = "";
    const char *q = strchr(h->target, '?');
    if (q && serve_params_parse(&r->query, q + 1, strlen(q + 1), why, sizeof(why)) != RK_OK)
        return serve_page_error(r, 400, "Bad request", why[0] ? why : "the query cannot be read");
    static const struct {
        const char *path, *type, *body;
    } assets[] = {
        {"/static/app.css", "text/css; charset=utf-8", serve_css},
        {"/static/app.js", "text/javascript; charset=utf-8", serve_js},
        {"/static/icon.svg", "image/svg+xml", serve_icon},
        {"/favicon.ico", "image/svg+xml", serve_icon},
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(assets); i++) {
        if (strcmp(url, assets[i].path) != 0)
            continue;
        r->resp.type = assets[i].type;
        r->resp.cacheable = true;
        return rk_buf_puts(&r->resp.body, assets[i].body);
    }
    const route *rt = NULL;
    bool path_known = false;
    for (size_t i = 0; i < RK_ARRAY_LEN(routes); i++) {
        if (strcmp(routes[i].path, url) != 0)
            continue;
        path_known = true;
        if (routes[i].post == post)
            rt = &routes[i];
    }
    if (!path_known)
        return serve_page_error(r, 404, "Not found", "There is no such page.");
    if (!rt)
        return serve_page_error(r, 405, "Method not allowed",
                                "This page does not take that method.");
    if (rt->flags & NEED_SESSION) {
        const char *cookie = h->lookup(h->cls, true, "rk_session");
        if (!cookie || !serve_session_get(s->sessions, cookie, &r->sess))
            return serve_page_error(r, 403, "Not logged in",
                                    "Open the login link that 'reckon serve' printed, or ask a "
                                    "logged-in reviewer for an invitation link.");
    }
    if (post) {
        const char *type = h->lookup(h->cls, false, "Content-Type");
        if (!type || strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0)
            return serve_page_error(r, 415, "Unsupported form",
                                    "Forms are sent as application/x-www-form-urlencoded.");
        if (serve_params_parse(&r->form, h->body ? h->body : "", h->body_len, why, sizeof(why)) !=
            RK_OK)
            return serve_page_error(r, 400, "Bad request",
                                    why[0] ? why : "the form cannot be read");
        const char *csrf = serve_param(&r->form, "csrf");
        if (!origin_ok(s, h) || !csrf || !serve_token_equal(csrf, r->sess.csrf))
            return serve_page_error(r, 403, "Refused",
                                    "The form did not come from this session's pages (missing or "
                                    "wrong CSRF token). Reload the page and try again.");
    }
    if ((rt->flags & NEED_NAME) && !r->sess.name[0]) {
        if (post)
            return serve_page_error(r, 403, "Name needed", "Give your name before deciding.");
        return serve_page_redirect(r, "/name");
    }
    if (rt->flags & USES_PROJECT)
        r->w = worker_take(s);
    int rc = rt->fn(r);
    if (rc != RK_OK && r->w) {
        char msg[2048];
        rk_error_format(msg, sizeof(msg), &r->w->ctx);
        int status = rc == RK_EINPUT      ? 400
                     : rc == RK_ENOTFOUND ? 404
                     : rc == RK_ECONFLICT ? 503
                                          : 500;
        if (status == 503)
            r->resp.retry_after = 2;
        rc = serve_page_error(r, status,
                              status == 500   ? "Internal error"
                              : status == 503 ? "Busy"
                                              : "Refused",
                              msg[0] ? msg : rk_strerror(rc));
    }
    if (r->w)
        worker_give(s, r->w);
    return rc;
}

int serve_request_head(const rk_serve *s, const serve_http *h)
{
    bool post = strcmp(h->method, "POST") == 0;
    bool get = strcmp(h->method, "GET") == 0 || strcmp(h->method, "HEAD") == 0;
    const char *cl = h->lookup(h->cls, false, "Content-Length");
    int64_t len = 0;
    if (!host_ok(s, h->lookup(h->cls, false, "Host")))
        return 421;
    if (!post && !get)
        return 405;
    if (cl && (rk_parse_i64(&len, cl) != RK_OK || len < 0))
        return 400;
    if (cl && (uint64_t)len > s->max_body)
        return 413;
    return 0;
}

void serve_request_answer(serve_resp *out, rk_serve *s, const serve_http *h, int early)
{
    serve_req r = {
        .srv = s, .path = h->path, .post = strcmp(h->method, "POST") == 0, .resp = {.status = 200}};
    rk_buf_init(&r.resp.body);
    if (!early && h->too_big)
        early = 413;
    int rc;
    switch (early) {
    case 0:
        rc = run_page(&r, h);
        break;
    case 421:
        rc = serve_page_error(&r, 421, "Wrong host",
                              "This server answers only to the address it listens on.");
        break;
    case 405:
        rc = serve_page_error(&r, 405, "Method not allowed", "Only GET, HEAD and POST are served.");
        break;
    case 400:
        rc = serve_page_error(&r, 400, "Bad request", "The Content-Length header is malformed.");
        break;
    default:
        rc = serve_page_error(&r, 413, "Too large", "The request body is over the limit.");
        break;
    }
    if (rc == RK_OK) {
        *out = r.resp; /* the body goes with it */
    } else {
        rk_buf_release(&r.resp.body);
        *out = (serve_resp){.status = 500, .type = "text/plain; charset=utf-8"};
        rk_buf_init(&out->body);
        rk_buf_puts(&out->body, "internal error\n");
    }
    serve_params_release(&r.query);
    serve_params_release(&r.form);
    memset(&r.sess, 0, sizeof(r.sess));
}
