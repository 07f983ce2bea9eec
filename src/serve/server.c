/* The review app's HTTP server on libmicrohttpd: it starts and stops the daemon, hands each
 * request's head and then its body (within the limit) to request.c, which checks and answers
 * it, and sends the answer with the security headers every response carries. */
#include "serve_private.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <unistd.h>

#define CSP                                                                                        \
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "                    \
    "form-action 'self'; frame-ancestors 'none'"

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

static const char *lookup(void *cls, bool cookie, const char *name)
{
    return MHD_lookup_connection_value(cls, cookie ? MHD_COOKIE_KIND : MHD_HEADER_KIND, name);
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
    serve_http h = {.method = method, .path = url, .target = cs->uri, .lookup = lookup, .cls = c};
    int early = 0;
    if (!cs->started) {
        cs->started = true;
        if ((early = serve_request_head(s, &h)) == 0)
            return MHD_YES; /* answering on a later call keeps the connection alive */
    } else if (*upload_data_size) {
        if (cs->body.len + *upload_data_size > s->max_body)
            cs->too_big = true;
        else if (rk_buf_append(&cs->body, upload_data, *upload_data_size) != RK_OK)
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    h.body = cs->body.data;
    h.body_len = cs->body.len;
    h.too_big = cs->too_big;
    serve_resp resp;
    serve_request_answer(&resp, s, &h, early);
    enum MHD_Result ret = send_resp(c, &resp);
    rk_buf_release(&resp.body);
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
