/* The passphrase of `backup` and `restore`: from a file named by --passphrase-file, or asked on
 * the terminal without echo (twice when it makes a backup); never from an argument or the
 * environment, where other users and logs could see it. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "banned.h"

static int from_file(char *out, size_t *len, const char *command, const char *file)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cli_progress_clear();
        fprintf(stderr, "%s: cannot read the passphrase file: %s\n", file, strerror(errno));
        return CLI_EUSER;
    }
    size_t n = 0;
    ssize_t r = 0;
    while (n < CLI_PASS_MAX && (r = read(fd, out + n, CLI_PASS_MAX - n)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        n += (size_t)r;
    }
    int err = errno;
    close(fd);
    if (r < 0) {
        fprintf(stderr, "%s: cannot read the passphrase file: %s\n", file, strerror(err));
        return CLI_EUSER;
    }
    if (n == CLI_PASS_MAX)
        return cli_usage_error(command, "%s: the passphrase file is longer than %d bytes", file,
                               CLI_PASS_MAX - 1);
    if (n > 0 && out[n - 1] == '\n')
        n--;
    if (n > 0 && out[n - 1] == '\r')
        n--;
    if (n == 0)
        return cli_usage_error(command, "%s: the passphrase file is empty", file);
    *len = n;
    return CLI_OK;
}

/* A signal that arrives while echo is off: the terminal is set back first, then it is raised. */
static volatile sig_atomic_t caught;
static const int trapped[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static void on_signal(int sig)
{
    caught = sig;
}

/* One line read from the terminal fd with echo off; false when it could not be read. */
static bool ask(char *out, size_t *len, int tty, const char *prompt)
{
    struct termios old, quiet;
    if (tcgetattr(tty, &old) != 0)
        return false;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    struct sigaction sa = {.sa_handler = on_signal}, saved[sizeof(trapped) / sizeof(trapped[0])];
    sigemptyset(&sa.sa_mask);
    caught = 0;
    for (size_t i = 0; i < sizeof(trapped) / sizeof(trapped[0]); i++)
        sigaction(trapped[i], &sa, &saved[i]); /* no SA_RESTART: read returns at a signal */
    /* Echo off first, then the prompt: nothing typed after the prompt is ever shown. */
    bool ok = false;
    size_t n = 0;
    char c;
    ssize_t r = 0;
    if (tcsetattr(tty, TCSAFLUSH, &quiet) != 0)
        goto cleanup;
    if (write(tty, prompt, strlen(prompt)) >= 0)
        while (!caught && (r = read(tty, &c, 1)) != 0) {
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                break;
            if (c == '\n') {
                ok = true;
                break;
            }
            if (n < CLI_PASS_MAX)
                out[n] = c;
            n++;
        }
    tcsetattr(tty, TCSAFLUSH, &old);
    if (write(tty, "\n", 1) < 0)
        ok = false;
cleanup:
    for (size_t i = 0; i < sizeof(trapped) / sizeof(trapped[0]); i++)
        sigaction(trapped[i], &saved[i], NULL);
    if (caught) {
        explicit_bzero(out, CLI_PASS_MAX);
        raise(caught);
        ok = false;
    }
    *len = n;
    return ok && n <= CLI_PASS_MAX - 1;
}

static int from_terminal(char *out, size_t *len, const char *command, const char *what,
                         bool confirm)
{
    int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (tty < 0 || !isatty(tty)) {
        if (tty >= 0)
            close(tty);
        cli_progress_clear();
        fprintf(stderr,
                "reckon %s: no terminal to ask for the passphrase on; give it in a file with "
                "--passphrase-file FILE\n",
                command);
        return CLI_EUSER;
    }
    cli_progress_clear();
    char prompt[512], again[CLI_PASS_MAX];
    size_t again_len = 0;
    snprintf(prompt, sizeof(prompt), "Passphrase for %s: ", what);
    int status = CLI_OK;
    if (!ask(out, len, tty, prompt)) {
        fprintf(stderr,
                "reckon %s: no passphrase was read (interrupted, or longer than %d bytes)\n",
                command, CLI_PASS_MAX - 1);
        status = CLI_EUSER;
    } else if (*len == 0) {
        fprintf(stderr, "reckon %s: the passphrase is empty; nothing was done\n", command);
        status = CLI_EUSER;
    } else if (confirm) {
        if (!ask(again, &again_len, tty, "Again, to confirm: ") || again_len != *len ||
            memcmp(again, out, *len) != 0) {
            fprintf(stderr, "reckon %s: the two passphrases differ; nothing was written\n",
                    command);
            status = CLI_EUSER;
        }
    }
    explicit_bzero(again, sizeof(again));
    close(tty);
    return status;
}

int cli_passphrase(char out[CLI_PASS_MAX], size_t *len, const char *command, const char *file,
                   const char *what, bool confirm)
{
    *len = 0;
    int status =
        file ? from_file(out, len, command, file) : from_terminal(out, len, command, what, confirm);
    if (status != CLI_OK) {
        explicit_bzero(out, CLI_PASS_MAX);
        *len = 0;
    }
    return status;
}
