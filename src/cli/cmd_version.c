/* `reckon version`: prints the version of reckon and of the libraries it was built with. */
#include "cli.h"

#include <unicode/uversion.h>
#include <gsl/gsl_version.h>

static const cli_option options[] = {{0}};

static int run(rk_ctx *ctx, const cli_args *args)
{
    (void)ctx;
    (void)args;
    UVersionInfo icu;
    char icu_s[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(icu);
    u_versionToString(icu, icu_s);
    printf("reckon %s\nsqlite %s\nicu %s\ngsl %s\n", RK_VERSION, rk_store_sqlite_version(), icu_s,
           GSL_VERSION);
    return CLI_OK;
}

const cli_command cli_cmd_version = {
    .name = "version",
    .summary = "print the versions of reckon and its libraries",
    .usage = "version",
    .description = "",
    .options = options,
    .run = run,
};
