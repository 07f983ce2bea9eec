/* `reckon log PROJECT`: the audit chain, one event a line: its id, time, kind, the digest of
 * the state it recorded and the chain's head after it. */
#include "cli.h"

static const cli_option options[] = {
    {"json", 0, CLI_FLAG, NULL, "print JSON"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("log", "expected one argument, the project file");
    rk_store *st = NULL;
    rk_event_info *ev = NULL;
    size_t n = 0;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    if (rc == RK_OK)
        rc = rk_store_events(&ev, &n, st);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    bool json = cli_has(args, "json");
    if (json)
        printf("[");
    else
        printf("%-5s %-20s %-12s %-64s %s\n", "event", "time", "kind", "digest", "head");
    for (size_t i = 0; i < n; i++) {
        const rk_event_info *e = &ev[i];
        if (json)
            printf("%s{\"event\":%lld,\"time\":\"%s\",\"kind\":\"%s\",\"digest\":%s%s%s,"
                   "\"head\":\"%s\"}",
                   i ? "," : "", (long long)e->id, e->time, e->kind,
                   e->digest[0] == '-' ? "" : "\"", e->digest[0] == '-' ? "null" : e->digest,
                   e->digest[0] == '-' ? "" : "\"", e->hash);
        else
            printf("%-5lld %-20s %-12s %-64s %s\n", (long long)e->id, e->time, e->kind, e->digest,
                   e->hash);
    }
    if (json)
        printf("]\n");
    else
        printf("head %s\n", n ? ev[n - 1].hash : "(no events)");
    rk_free(ev);
    return CLI_OK;
}

const cli_command cli_cmd_log = {
    .name = "log",
    .summary = "show the audit chain: each event's kind, state digest and head",
    .usage = "log PROJECT [--json]",
    .description =
        "Lists the events of the audit chain, oldest first: id, time, kind, the SHA-256 of the\n"
        "state the event recorded (\"-\" for events logged before schema 9) and the head of\n"
        "the chain after it, then the head. `reckon verify` checks them; `reckon verify\n"
        "--expect HEAD` checks that the chain still ends at a head noted before.",
    .options = options,
    .run = run,
};
