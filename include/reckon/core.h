/* reckon core: the context that carries errors and callbacks, error codes, allocation,
 * growable buffers, hashing and a deterministic random number generator.
 *
 * Ownership: objects returned through `_new` are freed with the matching `_free` (which accepts
 * NULL); structs the caller owns are set up with `_init` and emptied with `_release`. */
#ifndef RECKON_CORE_H
#define RECKON_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RK_VERSION "0.1.0"

/* Return codes. Every fallible function returns RK_OK or one of these. */
enum {
    RK_OK = 0,
    RK_EINPUT = -1,    /* bad input from the user: a file, an option, a value */
    RK_ENOTFOUND = -2, /* a named thing does not exist */
    RK_ENOMEM = -3,    /* an allocation failed */
    RK_EIO = -4,       /* reading or writing a file failed */
    RK_ESTORE = -5,    /* the project database failed or is damaged */
    RK_EVERSION = -6,  /* the project was made by a newer reckon */
    RK_EEXISTS = -7,   /* something that must be new exists already */
    RK_ECONFLICT = -8, /* a concurrent change won; try again */
    RK_EINTERNAL = -9  /* a bug in reckon */
};

/* Short name of a code ("input error", "out of memory", ...). */
const char *rk_strerror(int code);

/* The last error: a message and, for input errors, where in which file. */
typedef struct rk_error {
    int code;
    char message[2048];
    char file[1024]; /* empty when the error is not about a place in a file */
    long line;       /* 1-based; 0 when unknown */
    long column;     /* 1-based; 0 when unknown */
} rk_error;

typedef enum rk_log_level { RK_LOG_DEBUG, RK_LOG_INFO, RK_LOG_WARN } rk_log_level;

typedef void (*rk_log_fn)(void *user, rk_log_level level, const char *message);
/* Progress of a long stage: `done` of `total` units (total 0 when unknown). `stage` is words
 * ending with the unit counted ("comparing pairs"); a stage ends when done reaches total, and
 * one of unknown total reports its end as (n, n), so that a terminal's line is erased. */
typedef void (*rk_progress_fn)(void *user, const char *stage, uint64_t done, uint64_t total);

/* The context: one per thread of use. It holds the last error and the callbacks through which
 * the library speaks; the library itself never prints. */
typedef struct rk_ctx {
    rk_error err;
    rk_log_fn log;
    rk_progress_fn progress;
    void *user;
} rk_ctx;

void rk_ctx_init(rk_ctx *ctx);
void rk_ctx_release(rk_ctx *ctx);

/* Set the error (printf format). Returns `code` so that callers can `return rk_error_set(...)`. */
int rk_error_set(rk_ctx *ctx, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Set an error at a place in a file. */
int rk_error_set_at(rk_ctx *ctx, int code, const char *file, long line, long column,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int rk_error_vset(rk_ctx *ctx, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
void rk_error_clear(rk_ctx *ctx);
/* Writes "file:line:column: message" (or the message alone) into out. */
void rk_error_format(char *out, size_t outsz, const rk_ctx *ctx);

void rk_log(rk_ctx *ctx, rk_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rk_progress(rk_ctx *ctx, const char *stage, uint64_t done, uint64_t total);

#define RK_ASSERT_ARG(ctx, cond)                                                                   \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return rk_error_set((ctx), RK_EINTERNAL, "invalid argument: %s (%s:%d)", #cond,        \
                                __FILE__, __LINE__);                                               \
    } while (0)

/* Allocation. Everything the library allocates goes through these so that tests can make the
 * Nth allocation fail. rk_free accepts NULL. */
void *rk_malloc(size_t n);
void *rk_calloc(size_t count, size_t size);
void *rk_realloc(void *p, size_t n);
/* Grows an array of `*cap` elements of `elem` bytes to hold at least `need`; doubles. */
int rk_grow(void **p, size_t *cap, size_t need, size_t elem);
char *rk_strdup(const char *s);
char *rk_strndup(const char *s, size_t n);
void rk_free(void *p);

/* Test-only fault injection, armed from the environment by the command-line tool
 * (RECKON_FAULT=alloc:N or write:N): the Nth allocation or the Nth file write fails.
 * Process-wide by nature; never armed in normal use. */
typedef enum rk_fault_kind { RK_FAULT_ALLOC, RK_FAULT_WRITE } rk_fault_kind;
void rk_fault_arm(rk_fault_kind kind, long nth);
/* True when the current operation of `kind` must fail (counts calls). */
bool rk_fault_hit(rk_fault_kind kind);

/* A growable byte buffer, always NUL-terminated when len > 0 or after rk_buf_cstr. */
typedef struct rk_buf {
    char *data;
    size_t len;
    size_t cap;
} rk_buf;

void rk_buf_init(rk_buf *b);
void rk_buf_release(rk_buf *b);
void rk_buf_clear(rk_buf *b);
int rk_buf_reserve(rk_buf *b, size_t extra);
int rk_buf_append(rk_buf *b, const void *data, size_t n);
int rk_buf_puts(rk_buf *b, const char *s);
int rk_buf_putc(rk_buf *b, char c);
int rk_buf_printf(rk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends `s` (n bytes of UTF-8) as a JSON string with quotes. */
int rk_buf_json_string(rk_buf *b, const char *s, size_t n);
/* A NUL-terminated view (empty string when nothing was appended). */
const char *rk_buf_cstr(rk_buf *b);
/* Hands the bytes to the caller (who frees them with rk_free) and empties the buffer. */
char *rk_buf_detach(rk_buf *b);

/* SHA-256. */
typedef struct rk_sha256 {
    void *impl;
} rk_sha256;
int rk_sha256_init(rk_sha256 *h);
void rk_sha256_update(rk_sha256 *h, const void *data, size_t n);
/* Writes 64 lowercase hex digits and a NUL into hex (65 bytes), and releases h. */
void rk_sha256_final_hex(rk_sha256 *h, char hex[65]);
void rk_sha256_release(rk_sha256 *h);

/* A fast non-cryptographic 64-bit hash for hash tables (not for provenance). */
uint64_t rk_hash64(const void *data, size_t n, uint64_t seed);

/* Deterministic RNG (xoshiro256**), seeded by splitmix64. Streams for threads come from
 * rk_rng_jump, so results do not depend on the number of threads. */
typedef struct rk_rng {
    uint64_t s[4];
} rk_rng;
void rk_rng_seed(rk_rng *r, uint64_t seed);
uint64_t rk_rng_next(rk_rng *r);
/* Uniform double in [0, 1). */
double rk_rng_uniform(rk_rng *r);
/* Uniform integer in [0, n). */
uint64_t rk_rng_below(rk_rng *r, uint64_t n);
/* Advances by 2^128 steps: a new independent stream. */
void rk_rng_jump(rk_rng *r);

/* Strict number parsing (no atoi/strtol surprises): the whole string must be a number. */
int rk_parse_i64(int64_t *out, const char *s);
int rk_parse_double(double *out, const char *s);

/* A copy of s safe to print to a terminal, for error messages that quote what was given: every
 * byte that is not printable ASCII (control characters, escape sequences, newlines, any byte of
 * a multibyte character) is written as \xNN. Cut to outsz bytes with a NUL; returns out. */
char *rk_str_shown(char *out, size_t outsz, const char *s);
/* Is s valid UTF-8 over n bytes? On failure *bad_offset is the first bad byte. */
bool rk_utf8_valid(const char *s, size_t n, size_t *bad_offset);

/* Time now as an ISO 8601 UTC string "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL). */
void rk_time_iso(char out[32]);

#ifdef __cplusplus
}
#endif

#endif
