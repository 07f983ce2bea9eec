/* The review app: a local web server (libmicrohttpd) over one project, for settling the pairs
 * linkage could not decide and for browsing persons, lists, search and estimates.
 *
 * Ownership: rk_serve_open returns a server freed by rk_serve_free (which accepts NULL and
 * stops the server first); strings it returns belong to the server.
 *
 * Lifetimes (found by the fuzz harness tests/fuzz/http): the server keeps a pointer to the
 * `ctx` given to rk_serve_open, where rk_serve_login_url reports its errors, so the context
 * must outlive the server; the project path and the options are copied. Its worker threads
 * answer requests from rk_serve_open until rk_serve_free returns, whether or not rk_serve_run
 * is waiting. */
#ifndef RECKON_SERVE_H
#define RECKON_SERVE_H

#include "reckon/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RK_SERVE_OPTIONS_VERSION 1

typedef struct rk_serve_options {
    int version;          /* RK_SERVE_OPTIONS_VERSION */
    const char *bind;     /* IPv4 or IPv6 address to listen on; NULL means 127.0.0.1 */
    int port;             /* 0: a free port, chosen by the system (see rk_serve_port) */
    unsigned threads;     /* worker threads, each with its own connection to the project */
    size_t max_body;      /* largest request body accepted, in bytes */
    unsigned login_limit; /* failed logins allowed per minute before refusing with 429 */
} rk_serve_options;

#define RK_SERVE_OPTIONS_INIT                                                                      \
    {                                                                                              \
        .version = RK_SERVE_OPTIONS_VERSION, .bind = NULL, .port = 0, .threads = 2,                \
        .max_body = 16384, .login_limit = 5                                                        \
    }

typedef struct rk_serve rk_serve;

/* Opens the project and starts listening (worker threads run from here on). Brings the name
 * search index up to date first. `ctx` receives the errors of the set-up and of
 * rk_serve_login_url (the server keeps it: it must outlive the server); each worker reports
 * the errors of its pages into a context of its own. */
int rk_serve_open(rk_serve **out, rk_ctx *ctx, const char *project, const rk_serve_options *opts);
/* The port listened on (the chosen one when the options asked for 0). */
int rk_serve_port(const rk_serve *s);
/* Mints a one-time login token and writes the URL that uses it ("http://HOST:PORT/login?..."),
 * truncated to outsz. Each token logs in one browser session once. */
int rk_serve_login_url(char *out, size_t outsz, rk_serve *s);
/* Blocks until rk_serve_stop is called. */
int rk_serve_run(rk_serve *s);
/* Makes rk_serve_run return; safe to call from a signal handler. */
void rk_serve_stop(rk_serve *s);
void rk_serve_free(rk_serve *s);

#ifdef __cplusplus
}
#endif

#endif
