/* `reckon name`: parses and standardizes names given on the command line and prints each
 * token's role, script, romanization and keys, with the parse chosen and why. */
#include "cli.h"
#include "core_internal.h"

#include <string.h>

static const cli_option options[] = {
    {"lang", 'l', CLI_VALUE, "CODE",
     "language of the names: auto, az, ru, hy, ar, es, sr, ka, sq, tr, en"},
    {"order", 'o', CLI_VALUE, "ORDER", "family-first, given-first or auto (default)"},
    {"json", 'j', CLI_FLAG, NULL, "one JSON object per name, one per line"},
    {0},
};

/* Prints s padded to `width` characters (not bytes: names are UTF-8). */
static void print_padded(const char *s, int width)
{
    int chars = 0;
    for (const char *p = s; *p; p++)
        if (!rk_core__utf8_is_cont((unsigned char)*p))
            chars++;
    printf("%s%*s", s, width > chars ? width - chars : 1, "");
}

static void print_text(const rk_name *nm, const char *input)
{
    printf("%s\n  parse: %s\n", input, nm->why);
    for (size_t i = 0; i < nm->ntokens; i++) {
        const rk_name_token *t = &nm->tokens[i];
        printf("  %-13s ", rk_text_role_name(t->role));
        print_padded(t->k.text, 18);
        printf("%-9s latin=%s key=%s", rk_text_script_name(t->k.script), t->k.latin, t->k.key);
        if (*t->k.alt)
            printf(" alt=%s", t->k.alt);
        if (t->k.flags & RK_TOKEN_ABJAD)
            printf(" skeleton=%s", t->k.skel);
        if (t->k.gender)
            printf(" %s", t->k.gender == RK_GENDER_MALE ? "male" : "female");
        if (t->k.nick)
            printf(" nick=%u", (unsigned)t->k.nick);
        printf("\n");
    }
}

static int run(rk_ctx *ctx, const cli_args *args)
{
    rk_text_options opts = RK_TEXT_OPTIONS_INIT;
    int rc = rk_text_lang_parse(&opts.lang, ctx, cli_get(args, "lang", "auto"));
    if (rc == RK_OK)
        rc = rk_text_order_parse(&opts.order, ctx, cli_get(args, "order", "auto"));
    if (rc != RK_OK)
        return cli_usage_error("name", "%s", ctx->err.message);
    if (args->npositional == 0)
        return cli_usage_error("name", "give at least one name");
    bool json = cli_has(args, "json");
    rk_text *t = NULL;
    rk_buf b;
    rk_buf_init(&b);
    rc = rk_text_new(&t, ctx, &opts);
    for (size_t i = 0; rc == RK_OK && i < args->npositional; i++) {
        rk_name nm;
        rc = rk_text_name_parse(&nm, t, args->positional[i]);
        if (rc != RK_OK)
            break;
        if (json) {
            rk_buf_clear(&b);
            rc = rk_text_name_json(&b, &nm, args->positional[i]);
            if (rc == RK_OK)
                printf("%s\n", rk_buf_cstr(&b));
        } else {
            print_text(&nm, args->positional[i]);
        }
    }
    rk_buf_release(&b);
    rk_text_free(t);
    return cli_fail(ctx, rc);
}

const cli_command cli_cmd_name = {
    .name = "name",
    .summary = "parse and standardize names, showing roles and keys",
    .usage = "name [--lang CODE] [--order family-first|given-first|auto] [--json] TEXT...",
    .description = "Splits each TEXT into tokens, gives each a role (given, family, patronymic,\n"
                   "second_family, grandfather, particle, spouse), its script, a Latin\n"
                   "romanization and the sound keys linkage blocks and compares on. See\n"
                   "docs/names.md.",
    .options = options,
    .run = run,
};
