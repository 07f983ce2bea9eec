/* Parses the options of a subcommand against its declared table: --name VALUE, --name=VALUE,
 * -x VALUE, flags, repeatable options, "--" to end options, and positional arguments. */
#include "cli.h"

#include <string.h>

#include "banned.h"

static int find_long(const cli_option *opts, const char *name, size_t len)
{
    for (int i = 0; opts[i].long_name; i++)
        if (strlen(opts[i].long_name) == len && strncmp(opts[i].long_name, name, len) == 0)
            return i;
    return -1;
}

static int find_short(const cli_option *opts, char c)
{
    for (int i = 0; opts[i].long_name; i++)
        if (opts[i].short_name && opts[i].short_name == c)
            return i;
    return -1;
}

/* Whether arg is one of the '|'-separated choices. */
static bool is_choice(const char *choices, const char *arg)
{
    size_t n = strlen(arg);
    for (const char *p = choices; p && *p;) {
        size_t k = strcspn(p, "|");
        if (k == n && n > 0 && strncmp(p, arg, n) == 0)
            return true;
        p += k + (p[k] == '|');
    }
    return false;
}

bool cli_args_parse(cli_args *out, const char *command, const cli_option *options, int argc,
                    char **argv)
{
    memset(out, 0, sizeof(*out));
    out->options = options;
    while (options[out->noptions].long_name)
        out->noptions++;
    if (out->noptions > 64) {
        fprintf(stderr, "reckon %s: too many options declared\n", command);
        return false;
    }
    bool only_positional = false;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int idx = -1;
        const char *inline_value = NULL;
        if (!only_positional && strcmp(arg, "--") == 0) {
            only_positional = true;
            continue;
        }
        if (!only_positional && arg[0] == '-' && arg[1] == '-') {
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            idx = find_long(options, name, len);
            if (idx < 0) {
                fprintf(stderr, "reckon %s: unknown option '--%.*s'; see 'reckon %s --help'\n",
                        command, (int)len, name, command);
                return false;
            }
            inline_value = eq ? eq + 1 : NULL;
        } else if (!only_positional && arg[0] == '-' && arg[1] && arg[2] == '\0') {
            idx = find_short(options, arg[1]);
            if (idx < 0) {
                fprintf(stderr, "reckon %s: unknown option '%s'; see 'reckon %s --help'\n", command,
                        arg, command);
                return false;
            }
        } else {
            if (out->npositional >= CLI_MAX_POSITIONAL) {
                fprintf(stderr, "reckon %s: too many arguments\n", command);
                return false;
            }
            out->positional[out->npositional++] = arg;
            continue;
        }
        const cli_option *o = &options[idx];
        const char *value = NULL;
        if (o->kind == CLI_FLAG) {
            if (inline_value) {
                fprintf(stderr, "reckon %s: option '--%s' takes no value\n", command, o->long_name);
                return false;
            }
        } else if (inline_value) {
            value = inline_value;
        } else if (o->kind == CLI_CHOICE) {
            value = i + 1 < argc && is_choice(o->metavar, argv[i + 1]) ? argv[++i] : "";
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            fprintf(stderr, "reckon %s: option '--%s' needs a value (%s)\n", command, o->long_name,
                    o->metavar ? o->metavar : "VALUE");
            return false;
        }
        if (out->count[idx] >= CLI_MAX_VALUES) {
            fprintf(stderr, "reckon %s: option '--%s' given too many times\n", command,
                    o->long_name);
            return false;
        }
        if ((o->kind == CLI_VALUE || o->kind == CLI_CHOICE) && out->count[idx] > 0)
            out->count[idx] = 0;
        out->values[idx][out->count[idx]++] = value;
    }
    return true;
}

static int index_of(const cli_args *a, const char *long_name)
{
    for (size_t i = 0; i < a->noptions; i++)
        if (strcmp(a->options[i].long_name, long_name) == 0)
            return (int)i;
    return -1;
}

bool cli_has(const cli_args *a, const char *long_name)
{
    int i = index_of(a, long_name);
    return i >= 0 && a->count[i] > 0;
}

const char *cli_get(const cli_args *a, const char *long_name, const char *fallback)
{
    int i = index_of(a, long_name);
    if (i < 0 || a->count[i] == 0)
        return fallback;
    return a->values[i][a->count[i] - 1];
}

size_t cli_get_all(const cli_args *a, const char *long_name, const char ***out)
{
    int i = index_of(a, long_name);
    if (i < 0) {
        *out = NULL;
        return 0;
    }
    *out = (const char **)a->values[i];
    return (size_t)a->count[i];
}

bool cli_get_int(const cli_args *a, const char *command, const char *long_name, int64_t fallback,
                 int64_t min, int64_t max, int64_t *out)
{
    const char *v = cli_get(a, long_name, NULL);
    if (!v) {
        *out = fallback;
        return true;
    }
    int64_t x;
    if (rk_parse_i64(&x, v) != RK_OK || x < min || x > max) {
        fprintf(stderr,
                "reckon %s: option '--%s' takes a whole number from %lld to %lld, not '%s'\n",
                command, long_name, (long long)min, (long long)max, v);
        return false;
    }
    *out = x;
    return true;
}
