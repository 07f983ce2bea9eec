/* Benchmark of src/link on synthetic lists from src/synth: for each scenario, 20,000 people in
 * 5 lists, read back through mapping.ini, linked within and across lists, scored against
 * truth.csv. Name keys here are a stand-in (lowercase, Latin diacritics stripped, no
 * transliteration), so names in different scripts cannot match: the F1 is a floor that the
 * text module's keys will raise. */
#include "reckon/reckon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { F_NAME, F_BIRTH, F_SEX, F_PLACE, NF };
enum { TAG_WHOLE = 0, TAG_TOKEN = 1, TAG_SOUND = 2 };

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
    if (fread(s, 1, (size_t)len, f) != (size_t)len)
        len = 0;
    s[len] = '\0';
    fclose(f);
    *n = (size_t)len;
    return s;
}

/* WINDOWS-1251 to UTF-8 (Cyrillic letters only; the rest is ASCII in these files). */
static char *cp1251_to_utf8(const char *s, size_t n, size_t *outn)
{
    char *o = malloc(2 * n + 1);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp = c < 0x80    ? c
                      : c >= 0xC0 ? 0x410 + (c - 0xC0)
                      : c == 0xA8 ? 0x401
                      : c == 0xB8 ? 0x451
                      : c == 0xB9 ? 0x2116
                                  : '?';
        if (cp < 0x80)
            o[w++] = (char)cp;
        else if (cp < 0x800) {
            o[w++] = (char)(0xC0 | (cp >> 6));
            o[w++] = (char)(0x80 | (cp & 0x3F));
        } else {
            o[w++] = (char)(0xE0 | (cp >> 12));
            o[w++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            o[w++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    o[w] = '\0';
    *outn = w;
    return o;
}

/* The fallback key: lowercase; Latin letters lose their diacritics (ə -> e, ş -> s, ñ -> n);
 * other scripts are lowercased where simple (Cyrillic) and kept. Punctuation becomes space. */
static void fold(char *out, size_t cap, const char *s)
{
    static const char latin1[] = "aaaaaaaceeeeiiiidnooooo ouuuuyty";
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p && w + 4 < cap) {
        unsigned c = *p;
        int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        c = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
        p++;
        for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++)
            c = (c << 6) | (*p++ & 0x3F);
        if (c >= 'A' && c <= 'Z')
            c += 32;
        else if (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7)
            c = (unsigned)latin1[(c | 0x20) - 0xE0];
        else if (c == 0x259 || c == 0x18F)
            c = 'e';
        else if (c == 0x131 || c == 0x130)
            c = 'i';
        else if (c >= 0x100 && c <= 0x17F) { /* Latin Extended-A: a rough base letter */
            static const char ext[] =
                "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkklllll"
                "lllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
            size_t k = c - 0x100;
            c = k < sizeof(ext) - 1 ? (unsigned)ext[k] : '?';
        } else if (c >= 0x410 && c <= 0x42F)
            c += 0x20;
        if (c == '-' || c == ',' || c == '.' || c == '\'' || c == '"')
            c = ' ';
        if (c == ' ' && (w == 0 || out[w - 1] == ' '))
            continue;
        if (c < 0x80)
            out[w++] = (char)c;
        else if (c < 0x800) {
            out[w++] = (char)(0xC0 | (c >> 6));
            out[w++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[w++] = (char)(0xE0 | (c >> 12));
            out[w++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[w++] = (char)(0x80 | (c & 0x3F));
        }
    }
    while (w > 0 && out[w - 1] == ' ')
        w--;
    out[w] = '\0';
}

static bool stop_token(const char *t, size_t n)
{
    static const char *const stop[] = {"bin", "ibn",  "bint", "al",   "el",   "de", "del", "la",
                                       "los", "oglu", "qizi", "ogly", "kyzy", "بن", "بنت"};
    for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
        if (strlen(stop[i]) == n && memcmp(stop[i], t, n) == 0)
            return true;
    return false;
}

/* Splits a CSV line (quotes allowed) in place; returns the field count. */
static size_t split_csv(char *line, char delim, char **f, size_t cap)
{
    size_t n = 0;
    char *p = line;
    while (n < cap) {
        char *w = p;
        f[n++] = w;
        if (*p == '"') {
            p++;
            while (*p) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else
                    *w++ = *p++;
            }
        }
        while (*p && *p != delim)
            *w++ = *p++;
        bool more = *p == delim;
        *w = '\0';
        if (!more)
            break;
        p++;
    }
    return n;
}

/* Parses a date in any of the mapping formats, or partial "1992" / "11.1991". */
static rk_link_date parse_date(const char *s, const char *fmt)
{
    int v[3] = {0, 0, 0}, len[3] = {0, 0, 0}, k = 0;
    char sep = 0;
    for (const char *p = s; *p && k < 3; p++) {
        if (*p >= '0' && *p <= '9') {
            v[k] = v[k] * 10 + (*p - '0');
            len[k]++;
        } else {
            sep = *p;
            k++;
        }
    }
    int parts = len[k < 3 ? k : 2] ? k + 1 : k;
    if (parts == 1 && len[0] == 4)
        return rk_link_date_ymd(v[0], 0, 0);
    if (parts == 1 && len[0] == 8)
        return rk_link_date_ymd(v[0] / 10000, v[0] / 100 % 100, v[0] % 100);
    if (parts == 2 && len[1] == 4)
        return rk_link_date_ymd(v[1], v[0], 0);
    if (parts == 3) {
        if (len[0] == 4)
            return rk_link_date_ymd(v[0], v[1], v[2]);
        if (sep == '/' || (fmt && strcmp(fmt, "MM/DD/YYYY") == 0))
            return rk_link_date_ymd(v[2], v[0], v[1]);
        return rk_link_date_ymd(v[2], v[1], v[0]);
    }
    return RK_LINK_DATE_MISSING;
}

typedef struct list_map {
    char name[64], file[128], encoding[32];
    char delim;
    char col[16][128]; /* by role index */
    char birth_fmt[16], death_fmt[16];
} list_map;

static const char *const roles[] = {
    "id",   "full_name",  "given_name", "family_name", "second_family_name",
    "sex",  "birth_date", "birth_year", "age",         "death_date",
    "place"};
enum {
    R_ID,
    R_FULL,
    R_GIVEN,
    R_FAMILY,
    R_FAMILY2,
    R_SEX,
    R_BIRTH,
    R_BYEAR,
    R_AGE,
    R_DEATH,
    R_PLACE,
    NROLES
};

static size_t read_mapping(const char *dir, list_map *maps, size_t cap)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/mapping.ini", dir);
    size_t n;
    char *s = slurp(path, &n);
    size_t k = 0;
    list_map *m = NULL;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        if (strncmp(line, "[list ", 6) == 0 && k < cap) {
            m = &maps[k++];
            memset(m, 0, sizeof(*m));
            snprintf(m->name, sizeof(m->name), "%.*s", (int)(strlen(line) - 7), line + 6);
            continue;
        }
        char *eq = strstr(line, " = ");
        if (!m || !eq)
            continue;
        *eq = '\0';
        const char *key = line, *val = eq + 3;
        if (!strcmp(key, "file"))
            snprintf(m->file, sizeof(m->file), "%s", val);
        else if (!strcmp(key, "encoding"))
            snprintf(m->encoding, sizeof(m->encoding), "%s", val);
        else if (!strcmp(key, "delimiter"))
            m->delim = !strcmp(val, "tab") ? '\t' : val[0];
        else if (!strcmp(key, "date_format.birth_date"))
            snprintf(m->birth_fmt, sizeof(m->birth_fmt), "%s", val);
        else if (!strcmp(key, "date_format.death_date"))
            snprintf(m->death_fmt, sizeof(m->death_fmt), "%s", val);
        else if (!strncmp(key, "column.", 7))
            for (size_t r = 0; r < NROLES; r++)
                if (!strcmp(key + 7, roles[r]))
                    snprintf(m->col[r], sizeof(m->col[r]), "%s", val);
    }
    free(s);
    return k;
}

/* Truth: "LIST:ID" -> person, kept as a sorted array of (hash, person). */
typedef struct tkey {
    uint64_t h;
    int64_t person;
} tkey;

static int tkey_cmp(const void *a, const void *b)
{
    const tkey *x = a, *y = b;
    return (x->h > y->h) - (x->h < y->h);
}

static void add_name_keys(rk_ctx *ctx, rk_link_data *d, const char *folded)
{
    rk_link_data_add_key(ctx, d, F_NAME, TAG_WHOLE, folded, strlen(folded));
    const char *p = folded;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 1 && !stop_token(p, n)) {
            rk_link_data_add_key(ctx, d, F_NAME, TAG_TOKEN, p, n);
            char sx[5];
            rk_link_soundex(sx, p, n);
            if (sx[0] && (unsigned char)p[0] < 0x80)
                rk_link_data_add_key(ctx, d, F_NAME, TAG_SOUND, sx, strlen(sx));
        }
        if (!e)
            break;
        p = e + 1;
    }
}

static int bench_scenario(const char *scenario)
{
    double t0 = now();
    char dir[] = "/tmp/reckon-bench-synth-XXXXXX";
    if (!mkdtemp(dir))
        return -1;
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_synth_options so = RK_SYNTH_OPTIONS_INIT;
    so.scenario = scenario;
    so.people = 20000;
    so.lists = 5;
    so.seed = 1;
    so.out_dir = dir;
    rk_synth_summary sum;
    if (rk_synth_run(&sum, &ctx, &so) != RK_OK)
        return -1;
    double t_synth = now() - t0;
    /* Truth. */
    char path[1024];
    snprintf(path, sizeof(path), "%s/truth.csv", dir);
    size_t n;
    char *truth = slurp(path, &n);
    tkey *tk = malloc((sum.records + 1) * sizeof(tkey));
    size_t ntk = 0;
    for (char *line = strtok(truth, "\n"); line; line = strtok(NULL, "\n")) {
        char *comma = strrchr(line, ',');
        if (!comma || !strcmp(line, "record_key,person_id"))
            continue;
        int64_t pid = 0;
        *comma = '\0';
        rk_parse_i64(&pid, comma + 1);
        tk[ntk++] = (tkey){rk_hash64(line, strlen(line), 1), pid};
    }
    qsort(tk, ntk, sizeof(tkey), tkey_cmp);
    free(truth);
    /* Lists. */
    list_map maps[RK_SYNTH_MAX_LISTS];
    size_t nlists = read_mapping(dir, maps, RK_SYNTH_MAX_LISTS);
    rk_link_data d;
    rk_link_data_init(&d);
    rk_link_data_add_field(NULL, &ctx, &d, "name", RK_LINK_STRING);
    rk_link_data_add_field(NULL, &ctx, &d, "birth", RK_LINK_DATE);
    rk_link_data_add_field(NULL, &ctx, &d, "sex", RK_LINK_STRING);
    rk_link_data_add_field(NULL, &ctx, &d, "place", RK_LINK_STRING);
    for (size_t li = 0; li < nlists; li++) {
        list_map *m = &maps[li];
        snprintf(path, sizeof(path), "%s/%s", dir, m->file);
        char *raw = slurp(path, &n);
        if (!strcmp(m->encoding, "WINDOWS-1251")) {
            char *u = cp1251_to_utf8(raw, n, &n);
            free(raw);
            raw = u;
        }
        char *save = NULL;
        char *line = strtok_r(raw, "\n", &save);
        char *f[32];
        size_t nh = split_csv(line, m->delim, f, 32);
        int idx[NROLES];
        for (size_t r = 0; r < NROLES; r++) {
            idx[r] = -1;
            for (size_t c = 0; c < nh; c++)
                if (m->col[r][0] && !strcmp(f[c], m->col[r]))
                    idx[r] = (int)c;
        }
        while ((line = strtok_r(NULL, "\n", &save))) {
            size_t nf = split_csv(line, m->delim, f, 32);
#define COL(r) (idx[r] >= 0 && (size_t)idx[r] < nf ? f[idx[r]] : "")
            char key[256];
            snprintf(key, sizeof(key), "%.60s:%.128s", m->name, COL(R_ID));
            tkey q = {rk_hash64(key, strlen(key), 1), 0};
            tkey *hit = bsearch(&q, tk, ntk, sizeof(tkey), tkey_cmp);
            rk_link_data_add_record(&ctx, &d, (uint32_t)li, hit ? hit->person : -1);
            char name[512], folded[512];
            if (idx[R_FULL] >= 0)
                snprintf(name, sizeof(name), "%s", COL(R_FULL));
            else
                snprintf(name, sizeof(name), "%s %s %s", COL(R_GIVEN), COL(R_FAMILY),
                         COL(R_FAMILY2));
            fold(folded, sizeof(folded), name);
            if (folded[0])
                add_name_keys(&ctx, &d, folded);
            rk_link_date bd = RK_LINK_DATE_MISSING;
            if (*COL(R_BIRTH))
                bd = parse_date(COL(R_BIRTH), m->birth_fmt);
            else if (*COL(R_BYEAR))
                bd = parse_date(COL(R_BYEAR), NULL);
            else if (*COL(R_AGE) && *COL(R_DEATH)) {
                int64_t age;
                rk_link_date ev = parse_date(COL(R_DEATH), m->death_fmt);
                if (rk_parse_i64(&age, COL(R_AGE)) == RK_OK && ev.lo <= ev.hi) {
                    /* The event as a range: the age covers its whole span. */
                    rk_link_date a = rk_link_date_from_age((int)age, 1970, 1, 1);
                    int32_t shift = ev.lo - rk_link_days(1970, 1, 1);
                    bd = (rk_link_date){a.lo + shift, a.hi + (ev.hi - ev.lo) + shift};
                }
            }
            rk_link_data_set_date(&ctx, &d, F_BIRTH, bd);
            const char *sex = COL(R_SEX);
            /* Sex codes differ by list; only the first letter of Latin codes is used here. */
            if ((sex[0] | 0x20) == 'm' || (sex[0] | 0x20) == 'f')
                rk_link_data_add_key(&ctx, &d, F_SEX, 0, sex, 1);
            fold(folded, sizeof(folded), COL(R_PLACE));
            if (folded[0])
                rk_link_data_add_key(&ctx, &d, F_PLACE, 0, folded, strlen(folded));
#undef COL
        }
        free(raw);
    }
    free(tk);
    double t_read = now() - t0 - t_synth;
    /* Linkage. */
    rk_link_compare cmp[4] = {0};
    cmp[0] = (rk_link_compare){.field = F_NAME, .nlevels = 4, .tf_adjust = false};
    cmp[0].levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_WHOLE};
    cmp[0].levels[1] = (rk_link_level){.cmp = RK_CMP_TOKENSET, .tag = TAG_WHOLE, .threshold = 0.95};
    cmp[0].levels[2] = (rk_link_level){.cmp = RK_CMP_TOKENSET, .tag = TAG_WHOLE, .threshold = 0.85};
    cmp[0].levels[3] = (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_SOUND};
    cmp[1] = (rk_link_compare){.field = F_BIRTH, .nlevels = 4};
    cmp[1].levels[0] = (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 0};
    cmp[1].levels[1] = (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 31};
    cmp[1].levels[2] = (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 800};
    cmp[1].levels[3] = (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 400, .max_width = 800};
    cmp[2] = (rk_link_compare){.field = F_SEX, .nlevels = 1};
    cmp[2].levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT};
    cmp[3] = (rk_link_compare){.field = F_PLACE, .nlevels = 1};
    cmp[3].levels[0] = (rk_link_level){.cmp = RK_CMP_EXACT};
    rk_link_rule rules[] = {
        {.name = "name token + birth year",
         .nparts = 2,
         .parts = {{F_NAME, TAG_TOKEN, 0}, {F_BIRTH, 0, 1}}},
        {.name = "name token + place",
         .nparts = 2,
         .parts = {{F_NAME, TAG_TOKEN, 0}, {F_PLACE, 0, 0}}},
        {.name = "name sound",
         .nparts = 1,
         .parts = {{F_NAME, TAG_SOUND, 0}},
         .has_split = true,
         .split = {F_NAME, TAG_SOUND, 0}},
    };
    rk_link_options o = RK_LINK_OPTIONS_INIT;
    o.mode = RK_LINK_BOTH;
    o.rules = rules;
    o.nrules = 3;
    o.compare = cmp;
    o.ncompare = 4;
    o.max_block = 300;
    o.u_fixed = getenv("BENCH_U_FIXED") != NULL;
    double t1 = now();
    rk_link_result *res = NULL;
    int rc = rk_link_run(&res, &ctx, &d, &o);
    if (rc != RK_OK) {
        char msg[2048];
        rk_error_format(msg, sizeof(msg), &ctx);
        fprintf(stderr, "bench_synth: %s\n", msg);
        return -1;
    }
    double t_link = now() - t1;
    rk_link_eval ev;
    rk_link_evaluate(&ev, &ctx, res->cluster, d.entity, d.nrecords);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("synth %-9s records %6zu  pairs %8zu  P %.4f R %.4f F1 %.4f  B3-F1 %.4f  exact "
           "%.3f  clusters %zu (true %zu)  synth %.2f s read %.2f s link %.2f s  rss %.0f MB\n",
           scenario, d.nrecords, res->npairs, ev.precision, ev.recall, ev.f1, ev.b3_f1,
           ev.exact_share, ev.clusters, ev.entities, t_synth, t_read, t_link,
           (double)ru.ru_maxrss / 1024.0);
    if (getenv("BENCH_VERBOSE"))
        for (size_t c = 0; c < res->model.ncompare; c++) {
            printf("  compare %zu:", c);
            for (size_t l = 0; l < res->model.nlevels[c]; l++)
                printf(" m=%.4f u=%.5f |", res->model.m[c][l], res->model.u[c][l]);
            printf("\n");
        }
    rk_link_result_free(res);
    rk_link_data_release(&d);
    rk_ctx_release(&ctx);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_synth: could not remove %s\n", dir);
    return 0;
}

int main(void)
{
    printf("synth: name keys are the bench's stand-in (lowercase, Latin diacritics stripped, "
           "no transliteration); names in other scripts cannot match yet\n");
    for (const char *const *s = rk_synth_scenarios(); *s; s++)
        if (bench_scenario(*s) != 0)
            return 2;
    return 0;
}
