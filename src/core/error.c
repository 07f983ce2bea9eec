/* The error record and the log and progress callbacks of a context. The library reports
 * through these and never prints; the command-line tool decides what reaches the terminal. */
#include "common.h"

#include <time.h>

const char *rk_strerror(int code)
{
    switch (code) {
    case RK_OK:
        return "ok";
    case RK_EINPUT:
        return "input error";
    case RK_ENOTFOUND:
        return "not found";
    case RK_ENOMEM:
        return "out of memory";
    case RK_EIO:
        return "i/o error";
    case RK_ESTORE:
        return "project database error";
    case RK_EVERSION:
        return "project made by a newer reckon";
    case RK_EEXISTS:
        return "already exists";
    case RK_ECONFLICT:
        return "conflicting change";
    case RK_EINTERNAL:
        return "internal error";
    default:
        return "unknown error";
    }
}

void rk_ctx_init(rk_ctx *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
}

void rk_ctx_release(rk_ctx *ctx)
{
    if (ctx)
        rk_error_clear(ctx);
}

void rk_error_clear(rk_ctx *ctx)
{
    memset(&ctx->err, 0, sizeof(ctx->err));
}

int rk_error_vset(rk_ctx *ctx, int code, const char *fmt, va_list ap)
{
    if (!ctx)
        return code;
    ctx->err.code = code;
    vsnprintf(ctx->err.message, sizeof(ctx->err.message), fmt, ap);
    ctx->err.file[0] = '\0';
    ctx->err.line = 0;
    ctx->err.column = 0;
    return code;
}

int rk_error_set(rk_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rk_error_vset(ctx, code, fmt, ap);
    va_end(ap);
    return code;
}

int rk_error_set_at(rk_ctx *ctx, int code, const char *file, long line, long column,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rk_error_vset(ctx, code, fmt, ap);
    va_end(ap);
    if (ctx) {
        snprintf(ctx->err.file, sizeof(ctx->err.file), "%s", file ? file : "");
        ctx->err.line = line;
        ctx->err.column = column;
    }
    return code;
}

void rk_error_format(char *out, size_t outsz, const rk_ctx *ctx)
{
    const rk_error *e = &ctx->err;
    if (e->file[0] && e->line > 0 && e->column > 0)
        snprintf(out, outsz, "%s:%ld:%ld: %s", e->file, e->line, e->column, e->message);
    else if (e->file[0] && e->line > 0)
        snprintf(out, outsz, "%s:%ld: %s", e->file, e->line, e->message);
    else if (e->file[0])
        snprintf(out, outsz, "%s: %s", e->file, e->message);
    else
        snprintf(out, outsz, "%s", e->message[0] ? e->message : rk_strerror(e->code));
}

void rk_log(rk_ctx *ctx, rk_log_level level, const char *fmt, ...)
{
    if (!ctx || !ctx->log)
        return;
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ctx->log(ctx->user, level, msg);
}

void rk_progress(rk_ctx *ctx, const char *stage, uint64_t done, uint64_t total)
{
    if (ctx && ctx->progress)
        ctx->progress(ctx->user, stage, done, total);
}

void rk_time_iso(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
