/* Fuzz harness for the review app's HTTP request parser and checks: any bytes, read as HTTP
 * requests, get an answer that is not a 500 (reckon's own failure), never a crash, a sanitizer
 * report or a hang. By default the requests go straight to reckon's handling
 * (src/serve/request.c: the checks of the Host, method and length, then the query string, the
 * route, the session cookie, the form, its CSRF token and origin, the name, then the page over
 * the project), in the process and without a socket: the harness splits the request line, the
 * headers, the cookies and the body itself (percent-decoding the path with libmicrohttpd's
 * own function) and answers every request of the input in turn. With RK_FUZZ_HTTP_SOCKET set,
 * each input goes instead on a fresh TCP connection to the server's libmicrohttpd (the whole
 * stack, some hundred times slower; `make check` replays the corpus both ways). In the input,
 * "@H" stands for the server's host and port, "@S" for a logged-in session's id and "@C" for
 * its CSRF token, so that inputs reach the pages behind the login. The server runs over an
 * empty project, or over a copy of the file RK_FUZZ_SERVE_PROJECT names (scripts/fuzz.sh gives
 * it the HTTP tests' fixture), copied afresh when the decisions made have grown it. With
 * RK_FUZZ_HTTP_SHOW set, the status line of each answer goes to stderr. */
#include "common.h"
#include "serve/serve_private.h"

#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static rk_serve *srv;
static rk_ctx srv_ctx; /* the server keeps it for its whole life (include/reckon/serve.h) */
static char dir[64], project[96], host[32], session[80], csrf[80];
static bool socket_mode;

static bool contains(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (memcmp(s + i, word, w) == 0)
            return true;
    return false;
}

/* Where the first complete response of out (len bytes) ends, past any 1xx interim one; 0
 * while it is incomplete. libmicrohttpd keeps an HTTP/1.1 connection open after answering,
 * even once the client has half-closed it, so the end of the answer is read from its head:
 * Content-Length (none after a HEAD), or chunks. */
static size_t response_end(const char *out, size_t len, bool head)
{
    size_t at = 0;
    for (;;) {
        const char *rest = out + at;
        const char *eoh = strstr(rest, "\r\n\r\n");
        if (!eoh)
            return 0;
        size_t hlen = (size_t)(eoh - rest) + 4;
        if (strncmp(rest, "HTTP/1.1 1", 10) == 0) { /* 100 Continue: the answer follows */
            at += hlen;
            continue;
        }
        const char *cl = strstr(rest, "\r\nContent-Length: ");
        if (head || (cl && cl < eoh)) {
            size_t body = head ? 0 : (size_t)strtoull(cl + 18, NULL, 10);
            return at + hlen + body <= len ? at + hlen + body : 0;
        }
        const char *te = strstr(rest, "\r\nTransfer-Encoding: chunked");
        if (te && te < eoh) {
            const char *last = strstr(eoh + 4, "\r\n0\r\n\r\n");
            return last ? (size_t)(last + 7 - out) : 0;
        }
        return 0; /* the answer ends when the connection closes */
    }
}

/* Whether libmicrohttpd has the whole first request in req: the end of its head, and as
 * much body as its Content-Length says or the last chunk. It waits for the rest of one that
 * is incomplete, and (with epoll, edge-triggered) does not notice that the client has
 * half-closed its side when the FIN comes with the data: such a connection would stay open
 * until the connection timeout. */
static bool request_complete(const char *req, size_t n)
{
    const char *eoh = NULL;
    for (size_t i = 0; i + 1 < n && !eoh; i++)
        if (req[i] == '\n' &&
            (req[i + 1] == '\n' || (req[i + 1] == '\r' && i + 2 < n && req[i + 2] == '\n')))
            eoh = req + i + (req[i + 1] == '\n' ? 2 : 3);
    if (!eoh)
        return false;
    size_t body = n - (size_t)(eoh - req);
    for (const char *p = req; p < eoh; p++) {
        if (*p != '\n')
            continue;
        if ((size_t)(eoh - p) > 16 && strncasecmp(p + 1, "content-length:", 15) == 0) {
            const char *v = p + 16;
            while (*v == ' ' || *v == '\t')
                v++;
            if (*v >= '0' && *v <= '9' && strtoull(v, NULL, 10) > body)
                return false;
        }
        if ((size_t)(eoh - p) > 19 && strncasecmp(p + 1, "transfer-encoding:", 18) == 0) {
            const char *v = p + 19;
            while (*v == ' ' || *v == '\t')
                v++;
            /* another coding than chunked: the body runs to the end of the connection */
            return strncasecmp(v, "chunked\r\n", 9) == 0 && contains(eoh, body, "0\r\n\r\n");
        }
    }
    return true;
}

static int connect_server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert(fd >= 0);
    struct timeval tv = {.tv_sec = 40}; /* past the server's own 30 s connection timeout */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)rk_serve_port(srv))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = connect(fd, (struct sockaddr *)&a, sizeof(a));
    assert(rc == 0);
    return fd;
}

/* Closes with a reset, which the server sees at once whatever it was waiting for. */
static void reset(int fd)
{
    struct linger l = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
}

/* Sends `n` bytes on a new connection and reads the first answer into out (cap bytes,
 * NUL-terminated) until it is complete or the server closes the connection; a request that
 * is not complete, or whose answer has not begun within wait_ms, gets no answer and its
 * connection is reset. Returns the answer's length (0: none). */
static size_t exchange(char *out, size_t cap, const char *req, size_t n, int wait_ms)
{
    int fd = connect_server();
    for (size_t sent = 0; sent < n;) {
        ssize_t k = send(fd, req + sent, n - sent, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) { /* the server answered and closed before reading everything */
            assert(errno == EPIPE || errno == ECONNRESET);
            break;
        }
        sent += (size_t)k;
    }
    size_t len = 0;
    out[0] = '\0';
    bool head = n >= 5 && memcmp(req, "HEAD ", 5) == 0;
    if (!request_complete(req, n)) {
        reset(fd);
        return 0;
    }
    /* A request misjudged complete (libmicrohttpd waits for more) gets wait_ms. */
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int ready;
    while ((ready = poll(&pfd, 1, wait_ms)) < 0 && errno == EINTR)
        ;
    if (ready == 0) {
        if (getenv("RK_FUZZ_HTTP_SHOW"))
            fprintf(stderr, "no answer within %d ms to\n%.*s\n---\n", wait_ms,
                    (int)RK_MIN(n, (size_t)400), req);
        reset(fd);
        return 0;
    }
    while (len + 1 < cap && !response_end(out, len, head)) {
        ssize_t k = recv(fd, out + len, cap - 1 - len, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && errno == ECONNRESET)
            break;
        if (k < 0) {
            fprintf(stderr, "fuzz_http: no answer within 40 s (%s) to\n%.*s\n---\n%s\n",
                    strerror(errno), (int)RK_MIN(n, (size_t)2000), req, out);
            abort();
        }
        if (k == 0)
            break;
        len += (size_t)k;
        out[len] = '\0';
    }
    reset(fd);
    return len;
}

/* ---- in the process: reckon's handling called on the parsed request ---- */

#define MAX_HEADERS 64
#define MAX_COOKIES 32

/* One request of the input, split in place. */
typedef struct request {
    const char *method, *target;
    char path[4096];
    size_t nh, nc;
    const char *name[MAX_HEADERS], *value[MAX_HEADERS];
    char *cname[MAX_COOKIES], *cvalue[MAX_COOKIES];
    char cookies[8192]; /* the Cookie headers' copies, split in place */
    size_t cookies_used;
    const char *body;
    size_t body_len;
} request;

static const char *lookup(void *cls, bool cookie, const char *name)
{
    const request *q = cls;
    if (cookie) {
        for (size_t i = 0; i < q->nc; i++)
            if (strcmp(q->cname[i], name) == 0)
                return q->cvalue[i];
        return NULL;
    }
    for (size_t i = 0; i < q->nh; i++)
        if (strcasecmp(q->name[i], name) == 0)
            return q->value[i];
    return NULL;
}

/* The line at *p (up to LF, its CR dropped) NUL-terminated in place, *p past it; NULL when no
 * LF comes before e. */
static char *line(char **p, char *e)
{
    char *s = *p, *lf = memchr(s, '\n', (size_t)(e - s));
    if (!lf)
        return NULL;
    *lf = '\0';
    if (lf > s && lf[-1] == '\r')
        lf[-1] = '\0';
    *p = lf + 1;
    return s;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* The cookies of a Cookie header, "a=1; b=2", into q. */
static void split_cookies(request *q, const char *header)
{
    size_t n = strlen(header);
    if (q->cookies_used + n + 1 > sizeof(q->cookies))
        return;
    char *c = memcpy(q->cookies + q->cookies_used, header, n + 1), *save = NULL;
    q->cookies_used += n + 1;
    for (char *kv = strtok_r(c, ";", &save); kv && q->nc < MAX_COOKIES;
         kv = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq)
            continue;
        *eq = '\0';
        char *v = trim(eq + 1);
        size_t vn = strlen(v);
        if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
            v[vn - 1] = '\0';
            v++;
        }
        q->cname[q->nc] = trim(kv);
        q->cvalue[q->nc++] = v;
    }
}

/* A chunked body at [p, e) decoded in place into q; the end of the last chunk, or NULL when
 * the body is incomplete or malformed. */
static char *unchunk(request *q, char *p, char *e)
{
    char *to = p;
    q->body = p;
    for (;;) {
        char *size = line(&p, e);
        if (!size)
            return NULL;
        char *end;
        if (!isxdigit((unsigned char)size[0])) /* strtoull would take a sign or spaces */
            return NULL;
        unsigned long long k = strtoull(size, &end, 16);
        if (*end && *end != ';')
            return NULL;
        if (k == 0) {
            char *trailer;
            while ((trailer = line(&p, e)) != NULL && *trailer)
                ;
            q->body_len = (size_t)(to - q->body);
            return trailer ? p : NULL;
        }
        if (k > (unsigned long long)(e - p) || (unsigned long long)(e - p) - k < 2)
            return NULL;
        memmove(to, p, (size_t)k);
        to += k;
        p += k;
        if (*p == '\r')
            p++;
        if (*p++ != '\n')
            return NULL;
    }
}

/* Splits the request at *p; *p past it. False when there is none (an empty or incomplete
 * one, or a request line libmicrohttpd refuses before reckon sees it). */
static bool parse(request *q, char **p, char *e)
{
    memset(q, 0, offsetof(request, cookies));
    q->cookies_used = 0;
    q->body = NULL;
    q->body_len = 0;
    char *l;
    do { /* empty lines before a request are skipped */
        if (!(l = line(p, e)))
            return false;
    } while (!*l);
    char *save = NULL;
    q->method = strtok_r(l, " ", &save);
    q->target = strtok_r(NULL, " ", &save);
    const char *version = strtok_r(NULL, " ", &save);
    if (!q->method || !q->target || !version || strncmp(version, "HTTP/1.", 7) != 0)
        return false;
    size_t pn = strcspn(q->target, "?");
    if (pn >= sizeof(q->path))
        return false;
    memcpy(q->path, q->target, pn);
    q->path[pn] = '\0';
    MHD_http_unescape(q->path);
    const char *length = NULL, *coding = NULL;
    while ((l = line(p, e)) != NULL && *l) {
        char *colon = strchr(l, ':');
        if (!colon || q->nh == MAX_HEADERS)
            continue;
        *colon = '\0';
        q->name[q->nh] = l;
        q->value[q->nh] = trim(colon + 1);
        if (strcasecmp(l, "Cookie") == 0)
            split_cookies(q, q->value[q->nh]);
        if (!length && strcasecmp(l, "Content-Length") == 0)
            length = q->value[q->nh];
        if (!coding && strcasecmp(l, "Transfer-Encoding") == 0)
            coding = q->value[q->nh];
        q->nh++;
    }
    if (!l)
        return false; /* the head goes on: libmicrohttpd waits for the rest */
    if (coding) {
        if (strcasecmp(coding, "chunked") != 0 || !(*p = unchunk(q, *p, e)))
            return false;
    } else if (length) {
        char *end;
        unsigned long long k = strtoull(length, &end, 10);
        if (*end || length[0] < '0' || length[0] > '9')
            k = 0; /* reckon refuses it from its head */
        q->body = *p;
        q->body_len = (size_t)RK_MIN(k, (unsigned long long)(e - *p));
        if (q->body_len < k && k <= srv->max_body)
            return false; /* the body goes on */
        *p += q->body_len;
    }
    return true;
}

/* Answers every request in req (n bytes, NUL-terminated, changed in place): the first answer
 * as HTTP text into out, and each answer's status line to check() through `each`. Returns the
 * first answer's length (0: none). */
static size_t direct(char *out, size_t cap, char *req, size_t n,
                     void (*each)(const char *answer, size_t len))
{
    static request q;
    static char text[1 << 20];
    char *p = req, *e = req + n;
    size_t first = 0;
    for (int k = 0; k < 8 && parse(&q, &p, e); k++) {
        serve_http h = {.method = q.method,
                        .path = q.path,
                        .target = q.target,
                        .lookup = lookup,
                        .cls = &q,
                        .body = q.body,
                        .body_len = q.body_len,
                        .too_big = q.body_len > srv->max_body};
        int early = serve_request_head(srv, &h);
        serve_resp r;
        serve_request_answer(&r, srv, &h, early);
        assert(r.type == NULL || *r.type);
        int len =
            snprintf(text, sizeof(text), "HTTP/1.1 %d\r\n%s%s%s%s%s%s\r\n%.*s", r.status,
                     r.location[0] ? "Location: " : "", r.location, r.location[0] ? "\r\n" : "",
                     r.cookie[0] ? "Set-Cookie: " : "", r.cookie, r.cookie[0] ? "\r\n" : "",
                     (int)r.body.len, r.body.data ? r.body.data : "");
        rk_buf_release(&r.body);
        size_t tn = RK_MIN((size_t)len, sizeof(text) - 1);
        if (each)
            each(text, tn);
        if (k == 0) {
            first = RK_MIN(tn, cap - 1);
            memcpy(out, text, first);
            out[first] = '\0';
        }
    }
    return first;
}

/* One request of the harness's own (a login), sent as the fuzzer's are. */
static size_t talk(char *out, size_t cap, const char *req)
{
    if (socket_mode)
        return exchange(out, cap, req, strlen(req), 40000);
    char copy[2048];
    snprintf(copy, sizeof(copy), "%s", req);
    return direct(out, cap, copy, strlen(copy), NULL);
}

/* The value after `key` in text, up to a character of `stop`, into out. */
static void find_value(char *out, size_t cap, const char *text, const char *key, const char *stop)
{
    const char *p = strstr(text, key);
    if (!p) {
        fprintf(stderr, "fuzz_http: no '%s' in\n%s\n", key, text);
        abort();
    }
    p += strlen(key);
    size_t n = strcspn(p, stop);
    assert(n < cap);
    memcpy(out, p, n);
    out[n] = '\0';
}

/* Logs a browser session in with a fresh login token and gives it a name. */
static void login(void)
{
    static char resp[65536];
    char url[256], req[1024], token[80];
    int rc = rk_serve_login_url(url, sizeof(url), srv);
    assert(rc == RK_OK);
    find_value(token, sizeof(token), url, "token=", "&");
    snprintf(req, sizeof(req), "GET /login?token=%s HTTP/1.1\r\nHost: %s\r\n\r\n", token, host);
    talk(resp, sizeof(resp), req);
    find_value(session, sizeof(session), resp, "rk_session=", ";\r\n");
    snprintf(req, sizeof(req), "GET /name HTTP/1.1\r\nHost: %s\r\nCookie: rk_session=%s\r\n\r\n",
             host, session);
    talk(resp, sizeof(resp), req);
    find_value(csrf, sizeof(csrf), resp, "name=\"csrf\" value=\"", "\"");
    char body[128];
    snprintf(body, sizeof(body), "name=fuzz&csrf=%s", csrf);
    snprintf(req, sizeof(req),
             "POST /name HTTP/1.1\r\nHost: %s\r\nCookie: rk_session=%s\r\nContent-Type: "
             "application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
             host, session, strlen(body), body);
    talk(resp, sizeof(resp), req);
    assert(strncmp(resp, "HTTP/1.1 303", 12) == 0);
}

static void stop(void)
{
    rk_serve_free(srv);
    srv = NULL;
    rk_ctx_release(&srv_ctx);
    const char *ext[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "%s%s", project, ext[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void start(void)
{
    snprintf(dir, sizeof(dir), "/tmp/rk-fuzz-http-XXXXXX");
    char *made = mkdtemp(dir);
    assert(made);
    snprintf(project, sizeof(project), "%s/p.rkp", dir);
    rk_ctx_init(&srv_ctx);
    const char *from = getenv("RK_FUZZ_SERVE_PROJECT");
    if (from && *from) {
        FILE *in = fopen(from, "rb"), *out = fopen(project, "wb");
        assert(in && out);
        char buf[65536];
        size_t k;
        while ((k = fread(buf, 1, sizeof(buf), in)) > 0)
            assert(fwrite(buf, 1, k, out) == k);
        fclose(in);
        assert(fclose(out) == 0);
    } else {
        rk_store *st = NULL;
        int rc = rk_store_create(&st, &srv_ctx, project);
        assert(rc == RK_OK);
        rk_store_free(st);
    }
    rk_serve_options o = RK_SERVE_OPTIONS_INIT;
    o.login_limit = 1000000000; /* the fuzzer's wrong tokens must not lock the harness out */
    int rc = rk_serve_open(&srv, &srv_ctx, project, &o);
    if (rc != RK_OK) {
        fprintf(stderr, "fuzz_http: %s\n", srv_ctx.err.message);
        abort();
    }
    snprintf(host, sizeof(host), "127.0.0.1:%d", rk_serve_port(srv));
    login();
}

/* The input with its placeholders replaced; NULL when it would be too long. */
static char *expand(const uint8_t *data, size_t size, size_t *n)
{
    size_t cap = size * 40 + 1, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (size_t i = 0; i < size; i++) {
        const char *with = NULL;
        if (data[i] == '@' && i + 1 < size)
            with = data[i + 1] == 'H'   ? host
                   : data[i + 1] == 'S' ? session
                   : data[i + 1] == 'C' ? csrf
                                        : NULL;
        if (with) {
            size_t w = strlen(with);
            assert(len + w < cap);
            memcpy(out + len, with, w);
            len += w;
            i++;
        } else {
            out[len++] = (char)data[i];
        }
    }
    out[len] = '\0';
    *n = len;
    return out;
}

/* An answer must be HTTP and not a 500 (reckon's own failure). */
static const char *checking; /* the input, for the message */
static size_t checking_n;

static void check(const char *resp, size_t len)
{
    if (strncmp(resp, "HTTP/1.", 7) != 0 || len < 12) {
        fprintf(stderr, "fuzz_http: not an HTTP response:\n%.200s\n", resp);
        abort();
    }
    int status = (int)strtol(resp + 9, NULL, 10);
    if (getenv("RK_FUZZ_HTTP_SHOW")) /* for whoever writes the corpus */
        fprintf(stderr, "%.*s\n", (int)strcspn(resp, "\r\n"), resp);
    if (status < 100 || status > 599 || status == 500) {
        fprintf(stderr, "fuzz_http: status %d for\n%.*s\n--- answer:\n%.2000s\n", status,
                (int)RK_MIN(checking_n, (size_t)2000), checking, resp);
        abort();
    }
}

/* The decisions the inputs make grow the project: past 64 MB it is copied afresh. */
static void renew_if_grown(void)
{
    off_t size = 0;
    const char *ext[] = {"", "-wal"};
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        char path[128];
        struct stat st;
        snprintf(path, sizeof(path), "%s%s", project, ext[i]);
        if (stat(path, &st) == 0)
            size += st.st_size;
    }
    if (size > 64 * 1024 * 1024) {
        stop();
        start();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned long runs;
    if (!srv) {
        socket_mode = getenv("RK_FUZZ_HTTP_SOCKET") != NULL;
        start();
        atexit(stop);
    }
    if (size > 65536)
        return 0;
    size_t n = 0;
    char *req = expand(data, size, &n);
    if (!req)
        return 0;
    static char resp[1 << 20];
    checking = req;
    checking_n = n;
    if (!socket_mode) {
        char *copy = malloc(n + 1); /* split in place; req stays whole for the messages */
        assert(copy);
        memcpy(copy, req, n + 1);
        direct(resp, sizeof(resp), copy, n, check);
        free(copy);
    } else {
        size_t len = exchange(resp, sizeof(resp), req, n, 300);
        if (len == 0) {
            /* No answer (an incomplete request): the server must still answer others. */
            static const char probe[] = "GET /static/icon.svg HTTP/1.1\r\nHost: @H\r\n\r\n";
            size_t pn = 0;
            char *p = expand((const uint8_t *)probe, strlen(probe), &pn);
            assert(p);
            size_t got = exchange(resp, sizeof(resp), p, pn, 40000);
            free(p);
            if (got < 12 || strncmp(resp, "HTTP/1.1 200", 12) != 0) {
                fprintf(stderr, "fuzz_http: the server stopped answering after\n%.*s\n",
                        (int)RK_MIN(n, (size_t)2000), req);
                abort();
            }
        } else {
            check(resp, len);
        }
    }
    /* After a logout (or an eviction), log in again. Only then: every login adds a session,
     * and each request compares its cookie with every session in constant time. */
    serve_session alive;
    if ((contains(req, n, "/logout") || ++runs % 4096 == 0) &&
        !serve_session_get(srv->sessions, session, &alive))
        login();
    if (runs % 1024 == 0)
        renew_if_grown();
    free(req);
    return 0;
}
