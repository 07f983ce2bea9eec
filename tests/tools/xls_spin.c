/* A stand-in for libfreexl's freexl_open, loaded with LD_PRELOAD by the cases that test the
 * .xls reader's processor-time cap (src/ingest/sheet_xls.c; tests/cli/cases/
 * import_xls_reader_time_*.test). It never returns: the reader's child spins as it would on a
 * workbook whose records send libfreexl round a loop (no such workbook is known). With
 * RK_XLS_SPIN_LIMITS set, it first writes the child's RLIMIT_CPU ("soft hard", seconds) to
 * that file and exits with status 3 instead. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

int freexl_open(const char *path, const void **handle);

int freexl_open(const char *path, const void **handle)
{
    (void)path;
    (void)handle;
    const char *out = getenv("RK_XLS_SPIN_LIMITS");
    struct rlimit lim;
    if (out && getrlimit(RLIMIT_CPU, &lim) == 0) {
        FILE *f = fopen(out, "w");
        if (f) {
            fprintf(f, "%lld %lld\n", (long long)lim.rlim_cur, (long long)lim.rlim_max);
            fclose(f);
        }
        _exit(3);
    }
    volatile uint64_t turns = 0;
    for (;;)
        turns++;
}
