/* Benchmark of src/link on the Febrl data sets: dataset4a <-> dataset4b linkage (with and
 * without soc_sec_id) and dataset3 deduplication, scored against the truth in the record ids,
 * with wall time and peak memory. Targets come from fastLink's results in
 * /work/shared/reference/linkage. */
#include "reckon/reckon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum {
    F_GIVEN,
    F_SURNAME,
    F_STNUM,
    F_ADDR1,
    F_ADDR2,
    F_SUBURB,
    F_POSTCODE,
    F_STATE,
    F_DOB,
    F_SSN,
    NF
};
static const char *const field_names[NF] = {
    "given_name", "surname",  "street_number", "address_1",     "address_2",
    "suburb",     "postcode", "state",         "date_of_birth", "soc_sec_id"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    if (s && fread(s, 1, (size_t)len, f) != (size_t)len) {
        free(s);
        s = NULL;
    }
    if (s)
        s[len] = '\0';
    fclose(f);
    *n = (size_t)len;
    return s;
}

/* Entity number N of "rec-N-org" / "rec-N-dup-k". */
static int64_t rec_number(const char *s, size_t n)
{
    int64_t v = 0;
    for (size_t i = 4; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Reads one Febrl file into the data as list `list`: fields split at ", ", trimmed. */
static int load(rk_ctx *ctx, rk_link_data *d, const char *path, uint32_t list)
{
    size_t n;
    char *s = slurp(path, &n);
    if (!s) {
        fprintf(stderr, "bench_febrl: cannot read %s\n", path);
        return -1;
    }
    char *line = strchr(s, '\n'); /* skip the header */
    while (line && *line) {
        line++;
        char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        if (end > line) {
            const char *val[NF + 1];
            size_t len[NF + 1];
            size_t k = 0;
            char *p = line;
            while (k <= NF) {
                while (p < end && *p == ' ')
                    p++;
                char *q = p;
                while (q < end && *q != ',')
                    q++;
                char *e = q;
                while (e > p && (e[-1] == ' ' || e[-1] == '\r'))
                    e--;
                val[k] = p;
                len[k] = (size_t)(e - p);
                k++;
                if (q >= end)
                    break;
                p = q + 1;
            }
            if (k == NF + 1) {
                rk_link_data_add_record(ctx, d, list, rec_number(val[0], len[0]));
                for (size_t f = 0; f < NF; f++) {
                    if (len[f + 1] == 0)
                        continue;
                    rk_link_data_add_key(ctx, d, f, 0, val[f + 1], len[f + 1]);
                    if (f == F_GIVEN || f == F_SURNAME || f == F_ADDR1 || f == F_SUBURB) {
                        char sx[5];
                        rk_link_soundex(sx, val[f + 1], len[f + 1]);
                        rk_link_data_add_key(ctx, d, f, 1, sx, strlen(sx));
                    }
                }
            }
        }
        line = *end ? end : NULL;
    }
    free(s);
    return 0;
}

static void set_string_levels(rk_link_compare *c, size_t field)
{
    *c = (rk_link_compare){.field = field, .nlevels = 3};
    c->levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT, .label = "exact"};
    c->levels[1] = (rk_link_level){.cmp = RK_CMP_JW, .threshold = 0.94, .label = "jw>=0.94"};
    c->levels[2] = (rk_link_level){.cmp = RK_CMP_JW, .threshold = 0.88, .label = "jw>=0.88"};
}

static void set_code_levels(rk_link_compare *c, size_t field)
{
    *c = (rk_link_compare){.field = field, .nlevels = 2};
    c->levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT, .label = "exact"};
    c->levels[1] = (rk_link_level){.cmp = RK_CMP_OSA, .threshold = 1, .label = "edit<=1"};
}

static void set_exact(rk_link_compare *c, size_t field)
{
    *c = (rk_link_compare){.field = field, .nlevels = 1};
    c->levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT, .label = "exact"};
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static void log_quiet(void *user, rk_log_level level, const char *message)
{
    (void)user;
    if (level == RK_LOG_WARN || getenv("BENCH_VERBOSE"))
        fprintf(stderr, "  %s\n", message);
}

static int run(const char *title, const char *const *files, size_t nfiles, bool with_ssn,
               double target, double *f1_out)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    ctx.log = log_quiet;
    double t0 = now();
    rk_link_data d;
    rk_link_data_init(&d);
    int rc = 0;
    for (size_t f = 0; f < NF; f++)
        rk_link_data_add_field(NULL, &ctx, &d, field_names[f], RK_LINK_STRING);
    for (size_t i = 0; i < nfiles; i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/data/febrl/%s", RK_SHARED_DIR, files[i]);
        if (load(&ctx, &d, path, (uint32_t)i) != 0) {
            rk_link_data_release(&d);
            return -1;
        }
    }
    double t_read = now() - t0;
    rk_link_compare cmp[NF];
    size_t nc = 0;
    set_string_levels(&cmp[nc++], F_GIVEN);
    set_string_levels(&cmp[nc++], F_SURNAME);
    set_string_levels(&cmp[nc++], F_ADDR1);
    set_string_levels(&cmp[nc++], F_ADDR2);
    set_string_levels(&cmp[nc++], F_SUBURB);
    set_exact(&cmp[nc++], F_STNUM);
    set_code_levels(&cmp[nc++], F_POSTCODE);
    set_exact(&cmp[nc++], F_STATE);
    set_code_levels(&cmp[nc++], F_DOB);
    if (with_ssn)
        set_code_levels(&cmp[nc++], F_SSN);
    rk_link_rule rules[] = {
        {.name = "surname sound",
         .nparts = 1,
         .parts = {{F_SURNAME, 1, 0}},
         .has_split = true,
         .split = {F_GIVEN, 1, 0}},
        {.name = "given sound + postcode",
         .nparts = 2,
         .parts = {{F_GIVEN, 1, 0}, {F_POSTCODE, 0, 0}}},
        {.name = "date of birth", .nparts = 1, .parts = {{F_DOB, 0, 0}}},
        {.name = "given sound + suburb sound",
         .nparts = 2,
         .parts = {{F_GIVEN, 1, 0}, {F_SUBURB, 1, 0}}},
        {.name = "address sound + street number",
         .nparts = 2,
         .parts = {{F_ADDR1, 1, 0}, {F_STNUM, 0, 0}}},
        {.name = "postcode + suburb sound",
         .nparts = 2,
         .parts = {{F_POSTCODE, 0, 0}, {F_SUBURB, 1, 0}}},
        {.name = "soc_sec_id", .nparts = 1, .parts = {{F_SSN, 0, 0}}},
    };
    rk_link_options o = RK_LINK_OPTIONS_INIT;
    bool unique[2] = {true, true};
    o.mode = nfiles > 1 ? RK_LINK_ACROSS : RK_LINK_WITHIN;
    o.list_unique = nfiles > 1 ? unique : NULL;
    o.rules = rules;
    o.nrules = with_ssn ? 7 : 6;
    o.compare = cmp;
    o.ncompare = nc;
    o.max_block = 400;
    o.u_fixed = getenv("BENCH_U_FIXED") != NULL;
    const char *th = getenv("BENCH_THRESHOLD");
    if (th)
        rk_parse_double(&o.threshold, th);
    rk_link_result *res = NULL;
    rc = rk_link_run(&res, &ctx, &d, &o);
    if (rc != RK_OK) {
        char msg[4096];
        rk_error_format(msg, sizeof(msg), &ctx);
        fprintf(stderr, "bench_febrl: %s\n", msg);
        rk_link_data_release(&d);
        return -1;
    }
    rk_link_eval ev;
    rk_link_evaluate(&ev, &ctx, res->cluster, d.entity, d.nrecords);
    double wall = now() - t0;
    printf("febrl %-28s pairs %8zu  patterns %5zu  EM it %3d  lambda %.5f\n", title, res->npairs,
           res->model.npatterns, res->model.iterations, res->model.lambda);
    printf("febrl %-28s P %.6f R %.6f F1 %.6f (target %.3f: %s)  B3-F1 %.6f  exact %.4f  "
           "tp %llu fp %llu fn %llu  time %.2f s (read %.2f)  rss %.0f MB\n",
           title, ev.precision, ev.recall, ev.f1, target, ev.f1 >= target ? "met" : "MISSED",
           ev.b3_f1, ev.exact_share, (unsigned long long)ev.correct_pairs,
           (unsigned long long)(ev.found_pairs - ev.correct_pairs),
           (unsigned long long)(ev.true_pairs - ev.correct_pairs), wall, t_read, peak_rss_mb());
    if (getenv("BENCH_VERBOSE")) {
        for (size_t c = 0; c < res->model.ncompare; c++) {
            printf("  %-14s", field_names[cmp[c].field]);
            for (size_t l = 0; l < res->model.nlevels[c]; l++)
                printf(" m=%.4f u=%.5f us=%.5f |", res->model.m[c][l], res->model.u[c][l],
                       res->model.u_sample[c][l]);
            printf("\n");
        }
    }
    if (getenv("BENCH_VERBOSE")) {
        /* Missed true pairs: found by blocking? with which probability? */
        size_t found = 0, below = 0;
        for (size_t i = 0; i < res->npairs; i++) {
            if (d.entity[res->a[i]] != d.entity[res->b[i]])
                continue;
            found++;
            if (res->cluster[res->a[i]] != res->cluster[res->b[i]]) {
                below++;
                printf("  missed pair %u %u entity %lld prob %.4f weight %.2f pattern %llx\n",
                       res->a[i], res->b[i], (long long)d.entity[res->a[i]], res->prob[i],
                       res->weight[i], (unsigned long long)res->pattern[i]);
            }
        }
        if (nfiles == 2) {
            char *seen = calloc(d.nrecords, 1);
            for (size_t i = 0; i < res->npairs; i++)
                if (d.entity[res->a[i]] == d.entity[res->b[i]])
                    seen[res->a[i]] = 1;
            for (size_t i = 0; i < d.nrecords; i++)
                if (d.list[i] == 0 && !seen[i])
                    printf("  not blocked: rec-%lld\n", (long long)d.entity[i]);
            free(seen);
        }
        printf("  true pairs among candidates %zu of %llu; not clustered %zu\n", found,
               (unsigned long long)ev.true_pairs, below);
    }
    *f1_out = ev.f1;
    rk_link_result_free(res);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
    return 0;
}

int main(void)
{
    const char *const f4[] = {"dataset4a.csv", "dataset4b.csv"};
    const char *const f3[] = {"dataset3.csv"};
    double a, b, c;
    if (run("4a<->4b all fields", f4, 2, true, 1.0, &a) != 0 ||
        run("4a<->4b without soc_sec_id", f4, 2, false, 0.998, &b) != 0 ||
        run("dataset3 dedup", f3, 1, true, 0.999, &c) != 0)
        return 2;
    return (a >= 1.0 && b >= 0.998 && c >= 0.999) ? 0 : 1;
}
