/* `reckon serve PROJECT [--port N] [--bind ADDR]`: runs the review app until interrupted and
 * prints the URL, with a one-time login token, that opens it. */
#include "cli.h"

#include <signal.h>
#include <string.h>

static const cli_option options[] = {
    {"port", 'p', CLI_VALUE, "N", "port to listen on (default: a free port)"},
    {"bind", 0, CLI_VALUE, "ADDR", "address to listen on (default 127.0.0.1)"},
    {"threads", 0, CLI_VALUE, "N", "worker threads (default 2)"},
    {0},
};

static rk_serve *running;

static void on_signal(int sig)
{
    (void)sig;
    rk_serve_stop(running);
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("serve", "expected one argument, the project file");
    int64_t port = 0, threads = 2;
    if (!cli_get_int(args, "serve", "port", 0, 0, 65535, &port) ||
        !cli_get_int(args, "serve", "threads", 2, 1, 64, &threads))
        return CLI_EUSER;
    rk_serve_options o = RK_SERVE_OPTIONS_INIT;
    o.port = (int)port;
    o.threads = (unsigned)threads;
    o.bind = cli_get(args, "bind", NULL);
    rk_serve *s = NULL;
    int rc = rk_serve_open(&s, ctx, args->positional[0], &o);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    char url[512];
    if ((rc = rk_serve_login_url(url, sizeof(url), s)) != RK_OK) {
        rk_serve_free(s);
        return cli_fail(ctx, rc);
    }
    running = s;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    printf("reckon serve: reviewing %s on port %d\n"
           "open this link in a browser on this machine (it logs in once):\n  %s\n"
           "stop with Ctrl-C\n",
           args->positional[0], rk_serve_port(s), url);
    fflush(stdout);
    rk_serve_run(s);
    running = NULL;
    rk_serve_free(s);
    printf("reckon serve: stopped\n");
    return CLI_OK;
}

const cli_command cli_cmd_serve = {
    .name = "serve",
    .summary = "open the review app: decide uncertain pairs, browse persons, lists, estimates",
    .usage = "serve PROJECT [--port N] [--bind ADDR] [--threads N]",
    .description =
        "Runs a local web server over the project (127.0.0.1 and a free port unless told) and\n"
        "prints a link holding a one-time login token. A reviewer gives a name once per browser\n"
        "session; decisions are recorded with that name, the time and a note in the audit log,\n"
        "and take effect at once. Everything the pages need is inside reckon; nothing is loaded\n"
        "from elsewhere. See docs/review.md.",
    .options = options,
    .run = run,
};
