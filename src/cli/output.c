/* A command's output file (-o PATH) written whole or not at all, and never in place of
 * something that is not a file. A new or regular file is written into a temporary file beside
 * it, with mode 0600 (exports and reports name victims), and renamed over it only when all was
 * written; a symbolic link is followed and its target treated so (the link stays); a character
 * device or FIFO (/dev/stdout, a pipe) is written through; anything else is refused. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

/* Opens o->target as it is, for a device or a FIFO. */
static int open_through(cli_output *o, rk_ctx *ctx)
{
    int fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    struct stat sb;
    if (fd >= 0 && (fstat(fd, &sb) != 0 || S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode))) {
        close(fd); /* replaced between the look and the open: refused rather than clobbered */
        return rk_error_set(ctx, RK_EIO, "%s: changed while reckon opened it; run it again",
                            o->path);
    }
    o->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (o->f)
        return RK_OK;
    int rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", o->path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Creates the temporary file beside o->target. */
static int open_beside(cli_output *o, rk_ctx *ctx)
{
    if ((size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.tmp-XXXXXX", o->target) >= sizeof(o->tmp))
        return rk_error_set(ctx, RK_EINPUT, "%s: the name is too long", o->path);
    int fd = mkstemp(o->tmp); /* mode 0600 */
    o->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (o->f)
        return RK_OK;
    int rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", o->path, strerror(errno));
    if (fd >= 0) {
        close(fd);
        unlink(o->tmp);
    }
    o->tmp[0] = '\0';
    return rc;
}

/* Whether path names the same file as project (through links too). */
static bool same_file(const char *path, const char *project)
{
    struct stat a, b;
    return project && stat(path, &a) == 0 && stat(project, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

int cli_output_open(cli_output *out, rk_ctx *ctx, const char *path, const char *project)
{
    memset(out, 0, sizeof(*out));
    out->path = path;
    snprintf(out->target, sizeof(out->target), "%s", path);
    if (same_file(path, project))
        return rk_error_set(ctx, RK_EINPUT,
                            "%s: that is the project itself; name another file to write", path);
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        if (errno != ENOENT)
            return rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", path, strerror(errno));
        return open_beside(out, ctx);
    }
    if (S_ISLNK(sb.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real || stat(real, &sb) != 0) {
            int rc = rk_error_set(ctx, RK_EINPUT,
                                  "%s: a symbolic link to nothing (%s); reckon writes through a "
                                  "link only to an existing file, so name the file itself",
                                  path, strerror(errno));
            free(real);
            return rc;
        }
        size_t n = strlen(real);
        if (n >= sizeof(out->target)) {
            free(real);
            return rk_error_set(ctx, RK_EINPUT, "%s: the link's target has too long a name", path);
        }
        memcpy(out->target, real, n + 1);
        free(real);
    }
    if (S_ISREG(sb.st_mode))
        return open_beside(out, ctx);
    if (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode))
        return open_through(out, ctx);
    if (S_ISDIR(sb.st_mode))
        return rk_error_set(ctx, RK_EINPUT, "%s: a directory; name a file to write", path);
    return rk_error_set(ctx, RK_EINPUT,
                        "%s: neither a file, a character device nor a FIFO; reckon does not "
                        "write there, so name a file",
                        path);
}

int cli_output_close(cli_output *o, rk_ctx *ctx, int rc)
{
    if (!o->f)
        return rc;
    if (fclose(o->f) != 0 && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "%s: write error: %s", o->path, strerror(errno));
    o->f = NULL;
    if (!o->tmp[0])
        return rc;
    if (rc == RK_OK && rename(o->tmp, o->target) != 0)
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot write: %s", o->path, strerror(errno));
    if (rc != RK_OK)
        unlink(o->tmp);
    o->tmp[0] = '\0';
    return rc;
}

int cli_stdout_close(const char *command, int status)
{
    bool bad = ferror(stdout) != 0;
    int err = 0;
    if (fflush(stdout) != 0)
        bad = true, err = errno;
    if (fclose(stdout) != 0 && !bad)
        bad = true, err = errno;
    if (!bad)
        return status;
    cli_progress_clear();
    fprintf(stderr, "reckon %s: cannot write to standard output: %s; check where it goes\n",
            command, err ? strerror(err) : "write error");
    return status == CLI_OK ? CLI_EUSER : status;
}
