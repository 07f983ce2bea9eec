/* A command's output file written whole or not at all: into a temporary file beside it, with
 * mode 0600 (exports and reports name victims), renamed over it only when all was written. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

int cli_output_open(FILE **out, rk_ctx *ctx, const char *path, char *tmp, size_t tmpsz)
{
    snprintf(tmp, tmpsz, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (*out)
        return RK_OK;
    int rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    return rc;
}

int cli_output_close(rk_ctx *ctx, FILE *f, const char *tmp, const char *path, int rc)
{
    if (!f)
        return rc;
    if (fclose(f) != 0 && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "%s: write error: %s", path, strerror(errno));
    if (rc == RK_OK && rename(tmp, path) != 0)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
    if (rc != RK_OK)
        unlink(tmp);
    return rc;
}
