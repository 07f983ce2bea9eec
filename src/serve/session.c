/* Who may use the review app: one-time login tokens (printed by `reckon serve` or made on the
 * invite page), browser sessions with their CSRF token and reviewer name, and the limit on
 * failed logins. Everything lives in memory and ends with the server. */
#include "serve_private.h"

#include <sys/random.h>
#include <time.h>

#define MAX_SESSIONS 256
#define MAX_TOKENS   64
#define WINDOW_SECS  60

typedef struct login_token {
    char hex[SERVE_TOKEN_HEX + 1];
    bool live;
} login_token;

struct serve_sessions {
    pthread_mutex_t lock;
    serve_session s[MAX_SESSIONS];
    uint64_t used[MAX_SESSIONS]; /* when each was last used, for eviction */
    uint64_t clock;
    login_token t[MAX_TOKENS];
    unsigned login_limit;
    time_t window_start;
    unsigned failures;
};

/* Random bytes as lowercase hex (2n digits and a NUL). */
static int serve_random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof(raw))
        return RK_EINTERNAL;
    size_t got = 0;
    while (got < nbytes) {
        ssize_t k = getrandom(raw + got, nbytes - got, 0);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return RK_EIO;
        }
        got += (size_t)k;
    }
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 15];
    }
    out[2 * nbytes] = '\0';
    return RK_OK;
}

bool serve_token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb || la == 0)
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

int serve_sessions_new(serve_sessions **out, unsigned login_limit)
{
    serve_sessions *ss = rk_calloc(1, sizeof(*ss));
    if (!ss)
        return RK_ENOMEM;
    if (pthread_mutex_init(&ss->lock, NULL) != 0) {
        rk_free(ss);
        return RK_ENOMEM;
    }
    ss->login_limit = login_limit;
    *out = ss;
    return RK_OK;
}

void serve_sessions_free(serve_sessions *ss)
{
    if (!ss)
        return;
    pthread_mutex_destroy(&ss->lock);
    /* Tokens and session ids are secrets: do not leave them in freed memory. */
    memset(ss, 0, sizeof(*ss));
    rk_free(ss);
}

int serve_token_mint(serve_sessions *ss, char out[SERVE_TOKEN_HEX + 1])
{
    int rc = serve_random_hex(out, SERVE_TOKEN_HEX / 2);
    if (rc != RK_OK)
        return rc;
    pthread_mutex_lock(&ss->lock);
    size_t slot = 0;
    for (size_t i = 0; i < MAX_TOKENS; i++)
        if (!ss->t[i].live) {
            slot = i;
            break;
        }
    /* When every slot holds an unspent token, the oldest-minted one (slot 0) gives way. */
    memcpy(ss->t[slot].hex, out, SERVE_TOKEN_HEX + 1);
    ss->t[slot].live = true;
    pthread_mutex_unlock(&ss->lock);
    return RK_OK;
}

static serve_session *find(serve_sessions *ss, const char *id)
{
    if (!id || strlen(id) != SERVE_TOKEN_HEX)
        return NULL;
    for (size_t i = 0; i < MAX_SESSIONS; i++)
        if (ss->s[i].valid && serve_token_equal(ss->s[i].id, id)) {
            ss->used[i] = ++ss->clock;
            return &ss->s[i];
        }
    return NULL;
}

int serve_login(serve_sessions *ss, const char *token, serve_session *out)
{
    int rc = RK_ENOTFOUND;
    pthread_mutex_lock(&ss->lock);
    time_t now = time(NULL);
    if (now - ss->window_start >= WINDOW_SECS) {
        ss->window_start = now;
        ss->failures = 0;
    }
    if (ss->failures >= ss->login_limit) {
        rc = RK_ECONFLICT;
        goto cleanup;
    }
    login_token *hit = NULL;
    for (size_t i = 0; token && i < MAX_TOKENS; i++)
        if (ss->t[i].live && serve_token_equal(ss->t[i].hex, token))
            hit = &ss->t[i];
    if (!hit) {
        ss->failures++;
        goto cleanup;
    }
    hit->live = false;
    memset(hit->hex, 0, sizeof(hit->hex));
    size_t slot = 0;
    uint64_t oldest = UINT64_MAX;
    for (size_t i = 0; i < MAX_SESSIONS; i++) {
        if (!ss->s[i].valid) {
            slot = i;
            break;
        }
        if (ss->used[i] < oldest) {
            oldest = ss->used[i];
            slot = i;
        }
    }
    serve_session *s = &ss->s[slot];
    memset(s, 0, sizeof(*s));
    if ((rc = serve_random_hex(s->id, SERVE_TOKEN_HEX / 2)) != RK_OK ||
        (rc = serve_random_hex(s->csrf, SERVE_TOKEN_HEX / 2)) != RK_OK)
        goto cleanup;
    s->valid = true;
    ss->used[slot] = ++ss->clock;
    *out = *s;
    rc = RK_OK;
cleanup:
    pthread_mutex_unlock(&ss->lock);
    return rc;
}

bool serve_session_get(serve_sessions *ss, const char *id, serve_session *out)
{
    pthread_mutex_lock(&ss->lock);
    serve_session *s = find(ss, id);
    if (s)
        *out = *s;
    pthread_mutex_unlock(&ss->lock);
    return s != NULL;
}

int serve_session_set_name(serve_sessions *ss, const char *id, const char *name)
{
    pthread_mutex_lock(&ss->lock);
    serve_session *s = find(ss, id);
    if (s)
        snprintf(s->name, sizeof(s->name), "%s", name);
    pthread_mutex_unlock(&ss->lock);
    return s ? RK_OK : RK_ENOTFOUND;
}

void serve_session_end(serve_sessions *ss, const char *id)
{
    pthread_mutex_lock(&ss->lock);
    serve_session *s = find(ss, id);
    if (s)
        memset(s, 0, sizeof(*s));
    pthread_mutex_unlock(&ss->lock);
}
