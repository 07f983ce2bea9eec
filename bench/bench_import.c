/* Benchmark of import: writes a CSV of N rows x 10 columns (names in three scripts, dates,
 * places), or the same rows as an .xlsx workbook (synth's writer: numbers, date cells, inline
 * strings), imports it into a fresh project, and prints rows/s and peak RSS. Run for two
 * sizes to show that memory does not grow with the file.
 *   bench_import [ROWS] [csv|xlsx] */
#include "common.h"
#include "synth/synth_private.h"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const family[] = {"Məmmədov",      "Мамедов",  "Hovhannisyan", "Оганесян",
                                     "Quispe Huamán", "Đorđević", "Aliyev",       "Հովհաննիսյան"};
static const char *const given[] = {"Elçin", "Эльчин", "Tigran", "María del Carmen",
                                    "Anar",  "Ани",    "Jovan",  "Ali"};

static int write_csv(const char *path, long rows)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fprintf(f, "id,family,given,patronymic,sex,born,age,place,region,status\n");
    rk_rng r;
    rk_rng_seed(&r, 1);
    for (long i = 1; i <= rows; i++) {
        uint64_t x = rk_rng_next(&r);
        fprintf(f, "%ld,%s,%s,%s,%s,%02d.%02d.%d,%d,\"Place %d, district\",Region %d,killed\n", i,
                family[x & 7], given[(x >> 3) & 7], (x >> 6) & 1 ? "Əli oğlu" : "",
                (x >> 7) & 1 ? "M" : "F", (int)((x >> 8) % 28) + 1, (int)((x >> 13) % 12) + 1,
                1930 + (int)((x >> 17) % 70), (int)((x >> 24) % 90), (int)((x >> 32) % 500),
                (int)((x >> 41) % 12));
    }
    return fclose(f);
}

/* The CSV's rows as an .xlsx workbook at `path`, through synth's writer. */
static int write_xlsx(rk_ctx *ctx, const char *csv, const char *path)
{
    static const synth_layout L = {
        .delimiter = ',', .col_birth = "born", .date_style = DATE_DMY, .death_style = -1};
    synth_xlsx *w = NULL;
    FILE *f = fopen(csv, "rb");
    int rc = f ? synth_xlsx_open(&w, ctx, path, &L) : RK_EIO;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (rc == RK_OK && (n = getline(&line, &cap, f)) > 0)
        rc = synth_xlsx_row(w, line, (size_t)n);
    rc = rc ? rc : synth_xlsx_close(w);
    synth_xlsx_free(w);
    free(line);
    if (f)
        fclose(f);
    return rc;
}

static int run(long rows, bool xlsx)
{
    char csv[256], proj[256], sheet[256];
    snprintf(csv, sizeof(csv), "/tmp/reckon-bench-import-%d.csv", (int)getpid());
    snprintf(sheet, sizeof(sheet), "/tmp/reckon-bench-import-%d.xlsx", (int)getpid());
    snprintf(proj, sizeof(proj), "/tmp/reckon-bench-import-%d.rkp", (int)getpid());
    if (write_csv(csv, rows) != 0) {
        fprintf(stderr, "cannot write %s\n", csv);
        return 1;
    }
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    if (xlsx && write_xlsx(&ctx, csv, sheet) != RK_OK) {
        fprintf(stderr, "cannot write %s\n", sheet);
        return 1;
    }
    rk_store *st = NULL;
    int rc = rk_store_create(&st, &ctx, proj);
    rk_mapping m;
    rk_mapping_init(&m);
    m.list = rk_strdup("bench");
    static const char *const pairs[][2] = {{"column.id", "id"},
                                           {"column.family_name", "family"},
                                           {"column.given_name", "given"},
                                           {"column.patronymic", "patronymic"},
                                           {"column.sex", "sex"},
                                           {"column.birth_date", "born"},
                                           {"column.age", "age"},
                                           {"column.place", "place"},
                                           {"column.region", "region"},
                                           {"column.violation", "status"},
                                           {"date_format.birth_date", "DD.MM.YYYY"}};
    for (size_t i = 0; i < RK_ARRAY_LEN(pairs) && rc == RK_OK; i++)
        rc = rk_mapping_put(&m, &ctx, pairs[i][0], pairs[i][1], NULL, 0);
    rk_import_options opts = RK_IMPORT_OPTIONS_INIT;
    opts.mapping = &m;
    rk_import_result res;
    struct rusage r0;
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now();
    if (rc == RK_OK)
        rc = rk_import_file(&res, st, &opts, xlsx ? sheet : csv);
    double dt = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)(ru.ru_utime.tv_sec - r0.ru_utime.tv_sec) +
                 (double)(ru.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
                 (double)(ru.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6 +
                 (double)(ru.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    if (rc != RK_OK) {
        char msg[4096];
        rk_error_format(msg, sizeof(msg), &ctx);
        fprintf(stderr, "import failed: %s\n", msg);
    } else {
        printf("import %s: %ld rows x 10 columns (%.0f MB) in %.2f s wall, %.2f s CPU: %.0f rows/s "
               "(%.0f per CPU-second); peak RSS %.0f MB\n",
               xlsx ? "xlsx" : "csv", rows, (double)res.bytes / 1e6, dt, cpu, (double)rows / dt,
               (double)rows / cpu, (double)ru.ru_maxrss / 1024.0);
    }
    rk_mapping_release(&m);
    rk_store_free(st);
    rk_ctx_release(&ctx);
    unlink(csv);
    unlink(sheet);
    unlink(proj);
    char side[300];
    snprintf(side, sizeof(side), "%s-wal", proj);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", proj);
    unlink(side);
    return rc == RK_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    int64_t rows = 1000000;
    if ((argc > 1 && rk_parse_i64(&rows, argv[1]) != RK_OK) ||
        (argc > 2 && strcmp(argv[2], "csv") != 0 && strcmp(argv[2], "xlsx") != 0)) {
        fprintf(stderr, "usage: bench_import [ROWS] [csv|xlsx]\n");
        return 2;
    }
    return run((long)rows, argc > 2 && strcmp(argv[2], "xlsx") == 0);
}
