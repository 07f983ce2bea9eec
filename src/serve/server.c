/* The review app's HTTP server on libmicrohttpd: it starts and stops the daemon, reads each
 * request within limits, refuses what it must (a foreign Host header, a missing session or
 * CSRF token, oversized or malformed requests) before any page runs, routes the rest to the
 * pages with a connection to the project from the worker pool, and adds the security headers
 * to every response. */
#include "serve_private.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <strings.h>
#include <unistd.h>

#define CSP                                                                                        \
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "                    \
    "form-action 'self'; frame-ancestors 'none'"

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

/* What is known about one request while its body arrives. */
typedef struct conn_state {
    char *uri; /* as received, with the query string */
    rk_buf body;
    bool started;
    bool too_big;
} conn_state;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    conn_state *cs = rk_calloc(1, sizeof(*cs));
    if (!cs)
        return NULL;
    cs->uri = rk_strdup(uri ? uri : "");
    rk_buf_init(&cs->body);
    if (!cs->uri) {
        rk_free(cs);
        return NULL;
    }
    return cs;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_state *cs = *con_cls;
    if (!cs)
        return;
    rk_free(cs->uri);
    rk_buf_release(&cs->body);
    rk_free(cs);
    *con_cls = NULL;
}

static enum MHD_Result send_resp(struct MHD_Connection *c, serve_resp *resp)
{
    size_t len = resp->body.len;
    char *data = rk_buf_detach(&resp->body);
    struct MHD_Response *m =
        data ? MHD_create_response_from_buffer_with_free_callback(len, data, rk_free)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!m) {
        rk_free(data);
        return MHD_NO;
    }
    MHD_add_response_header(m, "Content-Type",
                            resp->type ? resp->type : "text/html; charset=utf-8");
    MHD_add_response_header(m, "Content-Security-Policy", CSP);
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(m, "X-Frame-Options", "DENY");
    MHD_add_response_header(m, "Referrer-Policy", "same-origin");
    MHD_add_response_header(m, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(m, "Cache-Control", resp->cacheable ? "max-age=3600" : "no-store");
    if (resp->location[0])
        MHD_add_response_header(m, "Location", resp->location);
    if (resp->cookie[0])
        MHD_add_response_header(m, "Set-Cookie", resp->cookie);
    if (resp->retry_after > 0) {
        char ra[16];
        snprintf(ra, sizeof(ra), "%d", resp->retry_after);
        MHD_add_response_header(m, "Retry-After", ra);
    }
    if (resp->status == 405)
        MHD_add_response_header(m, "Allow", "GET, HEAD, POST");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, m);
    MHD_destroy_response(m);
    return ret;
}

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

static bool host_ok(rk_serve *s, const char *host)
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
static bool origin_ok(rk_serve *s, struct MHD_Connection *c)
{
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
        return false;
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (!origin)
        return true;
    if (strncmp(origin, "http://", 7) != 0)
        return false;
    return host_ok(s, origin + 7);
}

static int run_page(rk_serve *s, struct MHD_Connection *c, conn_state *cs, const char *url,
                    bool post, serve_req *r)
{
    char why[256] = "";
    const char *q = strchr(cs->uri, '?');
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
        const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "rk_session");
        if (!cookie || !serve_session_get(s->sessions, cookie, &r->sess))
            return serve_page_error(r, 403, "Not logged in",
                                    "Open the login link that 'reckon serve' printed, or ask a "
                                    "logged-in reviewer for an invitation link.");
    }
    if (post) {
        const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        if (!type || strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0)
            return serve_page_error(r, 415, "Unsupported form",
                                    "Forms are sent as application/x-www-form-urlencoded.");
        if (serve_params_parse(&r->form, cs->body.data ? cs->body.data : "", cs->body.len, why,
                               sizeof(why)) != RK_OK)
            return serve_page_error(r, 400, "Bad request",
                                    why[0] ? why : "the form cannot be read");
        const char *csrf = serve_param(&r->form, "csrf");
        if (!origin_ok(s, c) || !csrf || !serve_token_equal(csrf, r->sess.csrf))
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    rk_serve *s = cls;
    conn_state *cs = *con_cls;
    if (!cs)
        return MHD_NO; /* out of memory at the start: drop the connection */
    bool post = strcmp(method, "POST") == 0;
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    serve_req r = {.srv = s, .path = url, .post = post, .resp = {.status = 200}};
    rk_buf_init(&r.resp.body);
    enum MHD_Result ret = MHD_YES;
    int early = 0;
    if (!cs->started) {
        cs->started = true;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        int64_t len = 0;
        if (!host_ok(s, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host")))
            early = 421;
        else if (!post && !get)
            early = 405;
        else if (cl && (rk_parse_i64(&len, cl) != RK_OK || len < 0))
            early = 400;
        else if (cl && (uint64_t)len > s->max_body)
            early = 413;
        else
            return MHD_YES; /* answering on a later call keeps the connection alive */
    }
    if (!early && *upload_data_size) {
        if (cs->body.len + *upload_data_size > s->max_body)
            cs->too_big = true;
        else if (rk_buf_append(&cs->body, upload_data, *upload_data_size) != RK_OK)
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!early && cs->too_big)
        early = 413;
    int rc;
    switch (early) {
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
    case 413:
        rc = serve_page_error(&r, 413, "Too large", "The request body is over the limit.");
        break;
    default:
        rc = run_page(s, c, cs, url, post, &r);
    }
    if (rc == RK_OK)
        ret = send_resp(c, &r.resp);
    else {
        serve_resp plain = {.status = 500, .type = "text/plain; charset=utf-8"};
        rk_buf_init(&plain.body);
        rk_buf_puts(&plain.body, "internal error\n");
        ret = send_resp(c, &plain);
        rk_buf_release(&plain.body);
    }
    rk_buf_release(&r.resp.body);
    serve_params_release(&r.query);
    serve_params_release(&r.form);
    memset(&r.sess, 0, sizeof(r.sess));
    return ret;
}

static int open_workers(rk_serve *s)
{
    s->workers = rk_calloc(s->nworkers, sizeof(*s->workers));
    if (!s->workers)
        return rk_error_set(s->ctx, RK_ENOMEM, "out of memory");
    for (unsigned i = 0; i < s->nworkers; i++) {
        serve_worker *w = &s->workers[i];
        rk_ctx_init(&w->ctx);
        int rc = rk_store_open(&w->st, &w->ctx, s->project, RK_STORE_READWRITE);
        if (rc == RK_OK && serve_translit_open(&w->translit) != RK_OK)
            rc = rk_error_set(&w->ctx, RK_EINTERNAL, "cannot open the ICU transliterator");
        if (rc == RK_OK)
            rc = rk_text_new(&w->text, &w->ctx, NULL);
        /* The first connection brings the name index up to date for all. */
        if (rc == RK_OK && i == 0)
            rc = serve_search_index_update(w);
        if (rc != RK_OK) {
            s->ctx->err = w->ctx.err;
            return rc;
        }
    }
    return RK_OK;
}

int rk_serve_open(rk_serve **out, rk_ctx *ctx, const char *project, const rk_serve_options *opts)
{
    RK_ASSERT_ARG(ctx, out && project);
    *out = NULL;
    rk_serve_options def = RK_SERVE_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    if (opts->version != RK_SERVE_OPTIONS_VERSION)
        return rk_error_set(ctx, RK_EINTERNAL, "rk_serve_options version %d is not %d",
                            opts->version, RK_SERVE_OPTIONS_VERSION);
    if (opts->port < 0 || opts->port > 65535)
        return rk_error_set(ctx, RK_EINPUT, "port %d is not between 0 and 65535", opts->port);
    const char *bind = opts->bind ? opts->bind : "127.0.0.1";
    struct sockaddr_in a4 = {0};
    struct sockaddr_in6 a6 = {0};
    bool v6 = false;
    if (inet_pton(AF_INET, bind, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)opts->port);
    } else if (inet_pton(AF_INET6, bind, &a6.sin6_addr) == 1) {
        v6 = true;
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)opts->port);
    } else {
        return rk_error_set(ctx, RK_EINPUT,
                            "'%s' is not an IP address; give one such as 127.0.0.1 or ::1", bind);
    }
    int rc = RK_OK;
    rk_serve *s = rk_calloc(1, sizeof(*s));
    if (!s)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory");
    s->ctx = ctx;
    s->stop_pipe[0] = s->stop_pipe[1] = -1;
    pthread_mutex_init(&s->pool_lock, NULL);
    pthread_cond_init(&s->pool_cond, NULL);
    snprintf(s->bind, sizeof(s->bind), "%s", bind);
    s->max_body = opts->max_body ? opts->max_body : 16384;
    s->nworkers = opts->threads ? RK_MIN(opts->threads, 64u) : 2;
    if (!(s->project = rk_strdup(project))) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = open_workers(s)) != RK_OK)
        goto cleanup;
    if ((rc = serve_sessions_new(&s->sessions, opts->login_limit)) != RK_OK) {
        rc = rk_error_set(ctx, rc, "out of memory");
        goto cleanup;
    }
    if (pipe(s->stop_pipe) != 0) {
        rc = rk_error_set(ctx, RK_EIO, "cannot make a pipe: %s", strerror(errno));
        goto cleanup;
    }
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | (v6 ? MHD_USE_IPv6 : 0);
    s->daemon = MHD_start_daemon(
        flags, (uint16_t)opts->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
        v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4, MHD_OPTION_THREAD_POOL_SIZE,
        s->nworkers, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_CONNECTION_LIMIT, 256u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024), MHD_OPTION_END);
    if (!s->daemon) {
        rc = rk_error_set(ctx, RK_EIO,
                          "cannot listen on %s port %d (in use, or not an address of this "
                          "machine); choose another with --port or --bind",
                          bind, opts->port);
        goto cleanup;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : opts->port;
    if (v6)
        snprintf(s->host_ok[0], sizeof(s->host_ok[0]), "[%s]:%d", bind, s->port);
    else
        snprintf(s->host_ok[0], sizeof(s->host_ok[0]), "%s:%d", bind, s->port);
    if (strcmp(bind, "127.0.0.1") == 0 || strcmp(bind, "::1") == 0)
        snprintf(s->host_ok[1], sizeof(s->host_ok[1]), "localhost:%d", s->port);
    *out = s;
    s = NULL;
cleanup:
    rk_serve_free(s);
    return rc;
}

int rk_serve_port(const rk_serve *s)
{
    return s ? s->port : 0;
}

int rk_serve_login_url(char *out, size_t outsz, rk_serve *s)
{
    char token[SERVE_TOKEN_HEX + 1];
    int rc = serve_token_mint(s->sessions, token);
    if (rc != RK_OK)
        return rk_error_set(s->ctx, rc, "cannot make a login token");
    snprintf(out, outsz, "http://%s/login?token=%s", s->host_ok[0], token);
    return RK_OK;
}

int rk_serve_run(rk_serve *s)
{
    char c;
    for (;;) {
        ssize_t k = read(s->stop_pipe[0], &c, 1);
        if (k == 1 || (k < 0 && errno != EINTR))
            break;
    }
    return RK_OK;
}

void rk_serve_stop(rk_serve *s)
{
    if (s && s->stop_pipe[1] >= 0) {
        ssize_t k = write(s->stop_pipe[1], "x", 1);
        (void)k;
    }
}

void rk_serve_free(rk_serve *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    for (unsigned i = 0; s->workers && i < s->nworkers; i++) {
        serve_stmts_release(&s->workers[i]);
        rk_store_free(s->workers[i].st);
        serve_translit_close(s->workers[i].translit);
        rk_text_free(s->workers[i].text);
        rk_ctx_release(&s->workers[i].ctx);
    }
    rk_free(s->workers);
    serve_sessions_free(s->sessions);
    if (s->stop_pipe[0] >= 0)
        close(s->stop_pipe[0]);
    if (s->stop_pipe[1] >= 0)
        close(s->stop_pipe[1]);
    pthread_mutex_destroy(&s->pool_lock);
    pthread_cond_destroy(&s->pool_cond);
    rk_free(s->project);
    rk_free(s);
}
