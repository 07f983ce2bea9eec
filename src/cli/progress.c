/* The progress line on a terminal: one line on stderr rewritten in place ("\r", then the rest
 * of the line erased) showing a long step's stage, done / total, percent, rate and time left:
 *
 *     link: comparing 12,345,678 / 27,276,316 pairs  45%  1.2M/s  ETA 11 s
 *
 * The library reports a stage as words ending with the unit it counts ("comparing pairs");
 * the line appears once a stage has run PROGRESS_AFTER seconds (short steps show nothing),
 * is redrawn at most every PROGRESS_EVERY seconds (monotonic clock), and is erased when a
 * stage ends, before a message is printed, and when the command ends. The state machine and
 * the formatter take the time as an argument, so that the unit test drives them with a fake
 * clock. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

#define PROGRESS_AFTER 2.0 /* seconds a stage runs before its line appears */
#define PROGRESS_EVERY 0.1 /* seconds between two redraws at least */
#define PROGRESS_LINE  256

/* Stages can nest (clustering inside an estimate's loop over strata): each keeps its own
 * clock from its first report until it reaches its total, or until its count goes back (a
 * stage of unknown total run again, such as EM's second fit). */
#define PROGRESS_STAGES 8

typedef struct progress_stage {
    char name[96];      /* "" when the slot is free */
    double start;       /* its first report */
    uint64_t last_done; /* its last report's count */
} progress_stage;

typedef struct progress_state {
    char command[32];
    double after; /* PROGRESS_AFTER, or RECKON_PROGRESS_AFTER's seconds in the tests */
    progress_stage stages[PROGRESS_STAGES];
    double last_draw; /* when the line was last drawn */
    bool visible;     /* the line is on the terminal */
    bool drawn_once;  /* last_draw is set */
} progress_state;

static progress_state state;

/* n with thousands separators: "27,276,316". */
static void fmt_count(char *out, size_t outsz, uint64_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < len && o + 1 < outsz; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 2 < outsz)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* A byte count: "512 B", "3.4 kB", "12.3 MB", "1.5 GB" (powers of 1000, like the rate). */
static void fmt_bytes(char *out, size_t outsz, double b)
{
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
    size_t u = 0;
    while (b >= 1000.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
        b /= 1000.0;
        u++;
    }
    snprintf(out, outsz, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
}

/* A rate per second, short: "0.5", "850", "12.3k", "1.2M", "3.4G". */
static void fmt_rate(char *out, size_t outsz, double r)
{
    static const char *const units[] = {"", "k", "M", "G", "T"};
    size_t u = 0;
    while (r >= 1000.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
        r /= 1000.0;
        u++;
    }
    snprintf(out, outsz, u == 0 && r >= 10.0 ? "%.0f%s" : "%.1f%s", r, units[u]);
}

/* Time left: "11 s", "3 min 20 s", "2 h 05 min". */
static void fmt_eta(char *out, size_t outsz, double s)
{
    unsigned long long t = (unsigned long long)ceil(s);
    if (t < 60)
        snprintf(out, outsz, "%llu s", t);
    else if (t < 3600)
        snprintf(out, outsz, "%llu min %02llu s", t / 60, t % 60);
    else
        snprintf(out, outsz, "%llu h %02llu min", t / 3600, t / 60 % 60);
}

/* The line (without "\r" or erasing) for `stage` of `command`, `done` of `total` (0: unknown)
 * after `elapsed` seconds of the stage: the stage's last word is its unit; bytes are shown as
 * sizes. Percent and time left only with a total; rate and time left only once time passed. */
static void progress_format(char *out, size_t outsz, const char *command, const char *stage,
                            uint64_t done, uint64_t total, double elapsed)
{
    const char *space = strrchr(stage, ' ');
    int verb_len = space ? (int)(space - stage) : (int)strlen(stage);
    const char *unit = space ? space + 1 : "";
    bool bytes = strcmp(unit, "bytes") == 0;
    char d[48], t[48] = "", rate[48] = "", eta[48] = "";
    if (bytes) {
        fmt_bytes(d, sizeof(d), (double)done);
        if (total)
            fmt_bytes(t, sizeof(t), (double)total);
    } else {
        fmt_count(d, sizeof(d), done);
        if (total)
            fmt_count(t, sizeof(t), total);
    }
    double per_s = elapsed > 0 ? (double)done / elapsed : 0;
    if (per_s > 0) {
        char r[32];
        if (bytes) {
            fmt_bytes(r, sizeof(r), per_s);
            snprintf(rate, sizeof(rate), "  %s/s", r);
        } else {
            fmt_rate(r, sizeof(r), per_s);
            snprintf(rate, sizeof(rate), "  %s/s", r);
        }
        if (total && done < total) {
            char e[32];
            fmt_eta(e, sizeof(e), (double)(total - done) / per_s);
            snprintf(eta, sizeof(eta), "  ETA %s", e);
        }
    }
    int n = snprintf(out, outsz, "%s: %.*s %s", command, verb_len, stage, d);
    if (total && n >= 0 && (size_t)n < outsz) {
        unsigned pct = done >= total ? 100u : (unsigned)(100.0 * (double)done / (double)total);
        n += snprintf(out + n, outsz - (size_t)n, " / %s", t);
        if (n >= 0 && (size_t)n < outsz && !bytes && *unit)
            n += snprintf(out + n, outsz - (size_t)n, " %s", unit);
        if (n >= 0 && (size_t)n < outsz)
            n += snprintf(out + n, outsz - (size_t)n, "  %u%%", pct);
    } else if (n >= 0 && (size_t)n < outsz && !bytes && *unit) {
        n += snprintf(out + n, outsz - (size_t)n, " %s", unit);
    }
    if (n >= 0 && (size_t)n < outsz)
        snprintf(out + n, outsz - (size_t)n, "%s%s", rate, eta);
}

/* The clock of `stage`: its slot, started at `now` when new (in a free slot, else the oldest). */
static progress_stage *stage_of(progress_state *s, const char *stage, double now)
{
    progress_stage *pick = NULL;
    for (size_t i = 0; i < PROGRESS_STAGES; i++) {
        progress_stage *g = &s->stages[i];
        if (g->name[0] && strncmp(g->name, stage, sizeof(g->name) - 1) == 0)
            return g;
        if (!pick || (pick->name[0] && (!g->name[0] || g->start < pick->start)))
            pick = g;
    }
    snprintf(pick->name, sizeof(pick->name), "%s", stage);
    pick->start = now;
    pick->last_done = 0;
    return pick;
}

typedef enum progress_action { PROGRESS_NOTHING, PROGRESS_DRAW, PROGRESS_ERASE } progress_action;

/* What to do for a report at time `now` (seconds, monotonic); for PROGRESS_DRAW the line is in
 * `line`. A stage's line appears once it has run PROGRESS_AFTER seconds (at once when a line is
 * already showing), then at most every PROGRESS_EVERY seconds; a stage that reaches its total
 * is over: its clock stops and a line showing is erased. */
static progress_action progress_step(char *line, size_t linesz, progress_state *s,
                                     const char *stage, uint64_t done, uint64_t total, double now)
{
    progress_stage *g = stage_of(s, stage, now);
    if (done < g->last_done)
        g->start = now;
    g->last_done = done;
    if (total && done >= total) {
        g->name[0] = '\0';
        bool was = s->visible;
        s->visible = false;
        return was ? PROGRESS_ERASE : PROGRESS_NOTHING;
    }
    if (!s->visible && now - g->start < s->after)
        return PROGRESS_NOTHING;
    if (s->drawn_once && now - s->last_draw < PROGRESS_EVERY)
        return PROGRESS_NOTHING;
    progress_format(line, linesz, s->command, stage, done, total, now - g->start);
    s->visible = true;
    s->drawn_once = true;
    s->last_draw = now;
    return PROGRESS_DRAW;
}

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "\r" returns to the start of the line only if it did not wrap: the line is cut to the
 * terminal's width. "\033[K" erases what a longer line before left. */
static void progress_to_stderr(void *user, const char *stage, uint64_t done, uint64_t total)
{
    (void)user;
    char line[PROGRESS_LINE];
    progress_action a =
        progress_step(line, sizeof(line), &state, stage, done, total, monotonic_seconds());
    if (a == PROGRESS_NOTHING)
        return;
    if (a == PROGRESS_DRAW) {
        struct winsize ws;
        if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 &&
            strlen(line) > (size_t)ws.ws_col - 1)
            line[ws.ws_col - 1] = '\0';
        fprintf(stderr, "\r%s\033[K", line);
    } else {
        fputs("\r\033[K", stderr);
    }
    fflush(stderr);
}

void cli_progress_install(rk_ctx *ctx, const char *command)
{
    memset(&state, 0, sizeof(state));
    snprintf(state.command, sizeof(state.command), "%s", command);
    /* Test-only: RECKON_PROGRESS_AFTER=0 shows every stage at once (tests/cli/cases). */
    const char *after = getenv("RECKON_PROGRESS_AFTER");
    if (!after || rk_parse_double(&state.after, after) != RK_OK || !(state.after >= 0))
        state.after = PROGRESS_AFTER;
    ctx->progress = isatty(STDERR_FILENO) ? progress_to_stderr : NULL;
}

void cli_progress_clear(void)
{
    if (!state.visible)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    state.visible = false;
}
