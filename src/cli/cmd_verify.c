/* `reckon verify PROJECT`: recomputes the audit chain and the state each event recorded, and
 * with --expect checks that the chain still ends where it ended when the head was noted. */
#include "cli.h"

#include <string.h>

static const cli_option options[] = {
    {"expect", 0, CLI_VALUE, "HEAD",
     "fail unless the chain's head is HEAD (the hash `verify`, `log` or the report printed "
     "before): finds events deleted from the end"},
    {"json", 0, CLI_FLAG, NULL, "print the result as JSON"},
    {0},
};

static int run(rk_ctx *ctx, const cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error("verify", "expected one argument, the project file");
    const char *expect = cli_get(args, "expect", NULL);
    if (expect && (strlen(expect) != 64 || strspn(expect, "0123456789abcdef") != 64))
        return cli_usage_error("verify",
                               "--expect: '%s' is not a head hash (64 lowercase "
                               "hexadecimal digits, as `reckon log` prints it)",
                               expect);
    rk_store *st = NULL;
    int rc = rk_store_open(&st, ctx, args->positional[0], RK_STORE_READONLY);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    rk_verify_report rep;
    rc = rk_store_verify(&rep, st);
    rk_store_free(st);
    if (rc != RK_OK)
        return cli_fail(ctx, rc);
    bool head_ok = !expect || strcmp(expect, rep.head) == 0;
    if (cli_has(args, "json")) {
        printf("{\"intact\":%s,\"events\":%lld,\"first_bad_event\":%lld,\"table\":\"%s\","
               "\"head\":\"%s\",\"head_as_expected\":%s}\n",
               rep.first_bad ? "false" : "true", (long long)rep.events, (long long)rep.first_bad,
               rep.table, rep.head, head_ok ? "true" : "false");
    }
    if (rep.first_bad) {
        cli_progress_clear();
        fprintf(stderr,
                "%s: event %lld (%s) is bad: %s; the project was changed outside reckon after "
                "that event\n",
                args->positional[0], (long long)rep.first_bad, rep.kind[0] ? rep.kind : "?",
                rep.reason);
        return CLI_EUSER;
    }
    if (!head_ok) {
        cli_progress_clear();
        fprintf(stderr,
                "%s: the chain is intact but its head is %s, not the expected %s: events were "
                "removed from its end or added to it since that head was noted\n",
                args->positional[0], rep.head, expect);
        return CLI_EUSER;
    }
    if (!cli_has(args, "json"))
        printf("%s: intact, %lld events, head %s\n", args->positional[0], (long long)rep.events,
               rep.head);
    return CLI_OK;
}

const cli_command cli_cmd_verify = {
    .name = "verify",
    .summary = "check the audit chain and the data it vouches for",
    .usage = "verify PROJECT [--expect HEAD] [--json]",
    .description =
        "Recomputes the SHA-256 chain of events and the state each event recorded: a digest of\n"
        "every table of the project but the caches, so that a value changed, added or deleted\n"
        "outside reckon is found, naming the last event that changed the table. Prints the\n"
        "head (the last event's hash): keep it elsewhere, and --expect finds events deleted\n"
        "from the end. Exit status 0 when intact, 1 naming the first bad event.",
    .options = options,
    .run = run,
};
