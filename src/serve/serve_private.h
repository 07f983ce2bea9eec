/* The body of rk_serve and the pieces its files share: parameter parsing, sessions, HTML
 * templating, the worker pool of project connections, the pages. Private to src/serve. */
#ifndef RK_SERVE_PRIVATE_H
#define RK_SERVE_PRIVATE_H

#include "common.h"
#include "report/report_internal.h"
#include "estimate/estimate_internal.h"
#include "store/store_internal.h"

#include <pthread.h>
#include <sqlite3.h>

/* ---- parameters (params.c): query strings and url-encoded forms, with limits ---- */

#define SERVE_MAX_PARAMS    32
#define SERVE_MAX_KEY       32
#define SERVE_MAX_VALUE     8192
#define SERVE_MAX_PARAM_SUM 16384

typedef struct serve_params {
    size_t n;
    char *key[SERVE_MAX_PARAMS];
    char *val[SERVE_MAX_PARAMS];
    char *mem; /* one block holding every decoded key and value */
} serve_params;

/* Parses "a=1&b=x+y%20z" (n bytes). Keys and values are percent-decoded, '+' is a space; each
 * must be valid UTF-8 without NUL or control characters (tab and newline allowed in values).
 * Too many, too long or malformed parameters: RK_EINPUT with the reason in `why`. */
int serve_params_parse(serve_params *out, const char *s, size_t n, char *why, size_t whysz);
void serve_params_release(serve_params *p);
/* The first value of `key`, or NULL. */
const char *serve_param(const serve_params *p, const char *key);
/* A positive integer parameter; false when absent or not one. */
bool serve_param_id(const serve_params *p, const char *key, int64_t *out);

/* ---- sessions (session.c): login tokens, sessions, CSRF, login rate limit ---- */

#define SERVE_TOKEN_HEX 64 /* 32 random bytes */
#define SERVE_NAME_MAX  80

typedef struct serve_session {
    char id[SERVE_TOKEN_HEX + 1];
    char csrf[SERVE_TOKEN_HEX + 1];
    char name[SERVE_NAME_MAX + 1]; /* the reviewer; empty until given */
    bool valid;
} serve_session;

typedef struct serve_sessions serve_sessions;

int serve_sessions_new(serve_sessions **out, unsigned login_limit);
void serve_sessions_free(serve_sessions *ss);
/* A new one-time login token. */
int serve_token_mint(serve_sessions *ss, char out[SERVE_TOKEN_HEX + 1]);
/* Spends a token and opens a session: RK_OK, RK_ENOTFOUND (bad token: counted as a failure),
 * or RK_ECONFLICT (too many failures this minute: refused without looking). */
int serve_login(serve_sessions *ss, const char *token, serve_session *out);
/* Copies the session with this id; false when there is none. */
bool serve_session_get(serve_sessions *ss, const char *id, serve_session *out);
int serve_session_set_name(serve_sessions *ss, const char *id, const char *name);
void serve_session_end(serve_sessions *ss, const char *id);
/* Constant-time comparison of two NUL-terminated tokens. */
bool serve_token_equal(const char *a, const char *b);

/* ---- HTML (html.c): templating where every string is escaped ---- */

/* Appends `fmt` (a literal: the markup) with its arguments as printf, except that every %s is
 * HTML-escaped (NULL writes nothing): see rk_report__html. */
int serve_html(rk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends trusted markup as is, never text from the data or the request. */
int serve_html_raw(rk_buf *b, const char *markup);

/* ---- the server ---- */

/* One connection to the project per worker thread, with its transliterator for search and
 * the statements its pages have prepared (stmt.c). */
typedef struct serve_worker {
    rk_ctx ctx;
    rk_store *st;
    void *translit; /* UTransliterator */
    rk_text *text;  /* the standardizer, for the sound keys of a search */
    bool busy;
    sqlite3_stmt *stmts[32];
    bool stmt_busy[32];
    size_t nstmts;
} serve_worker;

struct rk_serve {
    rk_ctx *ctx;
    char *project;
    struct MHD_Daemon *daemon;
    char bind[64];
    int port;
    char host_ok[2][96]; /* accepted Host headers */
    size_t max_body;
    serve_sessions *sessions;
    serve_worker *workers;
    unsigned nworkers;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cond;
    int stop_pipe[2];
};

typedef struct serve_resp {
    int status;
    const char *type;
    rk_buf body;
    char location[512];
    char cookie[256];
    int retry_after;
    bool cacheable;
} serve_resp;

/* What a page handler sees. */
typedef struct serve_req {
    rk_serve *srv;
    serve_worker *w; /* NULL for pages that do not touch the project */
    const char *path;
    bool post;
    serve_params query;
    serve_params form;
    serve_session sess; /* valid when logged in */
    serve_resp resp;
} serve_req;

typedef int (*serve_handler)(serve_req *r);

/* ---- requests (request.c): reckon's checks and answer, apart from the HTTP parser ---- */

/* A request as the HTTP parser (server.c: libmicrohttpd) hands it over. */
typedef struct serve_http {
    const char *method; /* as sent: "GET", "POST", ... */
    const char *path;   /* the target's path, percent-decoded, without the query string */
    const char *target; /* the request target as sent, with its query string */
    /* The value of the header `name` (case-insensitive), or with `cookie` of the cookie
     * `name`; NULL when there is none. */
    const char *(*lookup)(void *cls, bool cookie, const char *name);
    void *cls;
    const char *body; /* the body, body_len bytes (NULL: none) */
    size_t body_len;
    bool too_big; /* the body went past the limit (the rest was not kept) */
} serve_http;

/* The checks on a request's head, before its body is read: the Host, the method, the
 * Content-Length. 0 when the request goes on, else the status that refuses it (421, 405, 400,
 * 413). */
int serve_request_head(const rk_serve *s, const serve_http *h);
/* Answers a request whose body has been read, refusing it with status `early` when that is
 * not 0: the body's size, the query string, the route, the session, a form's type, its CSRF
 * token and origin, the reviewer's name are checked before the page runs. `out` gets the
 * response (a plain 500 when reckon failed); the caller releases out->body. */
void serve_request_answer(serve_resp *out, rk_serve *s, const serve_http *h, int early);

/* Page layout (html.c): the head with the title and the navigation; the foot. */
int serve_page_begin(serve_req *r, const char *title, const char *nav);
int serve_page_end(serve_req *r);
/* A complete error page with a status. */
int serve_page_error(serve_req *r, int status, const char *title, const char *message);
/* A 303 redirect. */
int serve_page_redirect(serve_req *r, const char *location);
/* The CSRF field of a form of this session. */
int serve_form_csrf(serve_req *r);

/* Assets compiled in (assets.c). */
extern const char serve_css[];
extern const char serve_js[];
extern const char serve_icon[];

/* The current link run (db.c): the latest one; 0 when none. */
int serve_current_run(serve_req *r, int64_t *run_id);
sqlite3 *serve_db(serve_req *r);
int serve_sqlerr(serve_req *r);

/* Statements of the worker's connection (stmt.c). serve_stmt gives the statement for `sql`,
 * prepared once per worker and reused; every statement it gives goes back through
 * serve_stmt_done (which accepts NULL), never sqlite3_finalize: done resets it, so that it no
 * longer holds a read of the project, and clears its bindings. */
int serve_stmt(serve_req *r, const char *sql, sqlite3_stmt **out);
void serve_stmt_done(serve_req *r, sqlite3_stmt *s);
/* The same for code that has a worker but no request (the name index, brought up to date when
 * the workers open and before each search). */
int serve_worker_stmt(serve_worker *w, const char *sql, sqlite3_stmt **out);
void serve_worker_stmt_done(serve_worker *w, sqlite3_stmt *s);
/* Finalizes a worker's statements, before its connection is closed. */
void serve_stmts_release(serve_worker *w);

/* Name search (search.c). */
/* Indexes the names of the records added since the last update, with the worker's
 * connection, statements and transliterator. */
int serve_search_index_update(serve_worker *w);
int serve_translit_open(void **out);
void serve_translit_close(void *t);

/* Decisions (decide.c): records one verdict on two records, logged, and re-clusters the
 * records' persons. `seen` is the id of the last decision on the pair the reviewer saw (0 for
 * none): RK_ECONFLICT when another decision was made since. */
int serve_decide(serve_req *r, int64_t run_id, int64_t rec_a, int64_t rec_b, const char *verdict,
                 const char *note, int64_t seen, int64_t *decision_id);
/* Splits a record off its person (non-match decisions against the person's other records). */
int serve_split(serve_req *r, int64_t run_id, int64_t record_id, const char *note);
/* Merges two persons (match decisions tying every record of each to the other's first). */
int serve_merge(serve_req *r, int64_t run_id, int64_t person_a, int64_t person_b, const char *note);
/* The id of the latest decision on two records' keys (0 when none). */
int serve_last_decision(serve_req *r, int64_t rec_a, int64_t rec_b, int64_t *out);

/* Pages. */
int serve_page_home(serve_req *r);
int serve_page_login(serve_req *r);
int serve_page_name(serve_req *r);
int serve_page_logout(serve_req *r);
int serve_page_queue(serve_req *r);
int serve_page_next(serve_req *r);
int serve_page_pair(serve_req *r);
int serve_page_decide(serve_req *r);
int serve_page_person(serve_req *r);
int serve_page_split(serve_req *r);
int serve_page_merge(serve_req *r);
int serve_page_lists(serve_req *r);
int serve_page_search(serve_req *r);
int serve_page_estimates(serve_req *r);
int serve_page_report(serve_req *r);
int serve_page_invite(serve_req *r);

#endif
