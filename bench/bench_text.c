/* Benchmark of name standardization: 1,000,000 full names generated from the name tables
 * with a fixed seed (several scripts and romanizations, family-first and given-first, with
 * patronymics and a tail of misspellings, so that about 100,000-200,000 tokens are distinct,
 * as on a real list of a million), parsed and keyed on one core. Floor: 500,000 names/s. */
#include "common.h"

#include "text/text_private.h"

#include <time.h>

#define NAMES 1000000
#define FLOOR 500000.0

static const char *const families[] = {
    "Məmmədov",   "Мамедов",   "Mammadov",      "Mamedov",     "Hüseynov",  "Гусейнов",  "Huseynov",
    "Əliyev",     "Алиев",     "Aliyev",        "Həsənov",     "Гасанов",   "Hasanov",   "Quliyev",
    "Кулиев",     "Qasımov",   "Касумов",       "Cəfərov",     "Джафаров",  "Jafarov",   "Kərimov",
    "Керимов",    "Əhmədov",   "Ахмедов",       "Иванов",      "Ivanov",    "Кузнецов",  "Смирнов",
    "Соколов",    "Петров",    "Hovhannisyan",  "Օհանյան",     "Оганесян",  "Petrosyan", "Петросян",
    "Պետրոսյան",  "Sargsyan",  "Саркисян",      "Hakobyan",    "Акопян",    "Grigoryan", "Beridze",
    "ბერიძე",     "Беридзе",   "Javakhishvili", "ჯავახიშვილი", "Kapanadze", "Đorđević",  "Ђорђевић",
    "Djordjevic", "Jovanović", "Петровић",      "Nikolić",     "Krasniqi",  "Berisha",   "Gashi",
    "Quispe",     "Huamán",    "Mamani",        "García",      "Pérez",     "Rodríguez", "López",
    "al-Ahmad",   "الأحمد",    "Haddad",        "al-Tamimi",   "Nasirov",   "Bayramov",  "Rzayev"};

static const char *const given_scripts[] = {
    "Эльчин", "Вугар", "Рашад", "Гасан", "Гусейн", "Али",       "Мамед",  "Анна", "Елена", "Иван",
    "Сергей", "Арам",  "Ашот",  "Արամ",  "Աշոտ",   "Հովհաննես", "გიორგი", "ნინო", "Јован", "Милош",
    "محمد",   "أحمد",  "حسن",   "حسين",  "فاطمة",  "زينب",      "علي",    "يوسف"};

static void mutate(char *buf, size_t *n, rk_rng *r)
{
    /* A misspelling: one ASCII letter changed, or a letter doubled. */
    size_t len = *n;
    if (len < 3)
        return;
    size_t at = 1 + rk_rng_below(r, len - 2);
    if ((unsigned char)buf[at] >= 0x80 || (unsigned char)buf[at - 1] >= 0x80)
        return;
    if (rk_rng_below(r, 2)) {
        buf[at] = (char)('a' + rk_rng_below(r, 26));
    } else if (len + 1 < 64) {
        memmove(buf + at + 1, buf + at, len - at + 1);
        *n = len + 1;
    }
}

static size_t append_token(char *out, size_t o, size_t cap, const char *tok, rk_rng *r)
{
    char buf[96];
    size_t n = strlen(tok);
    if (n >= 64)
        n = 63;
    memcpy(buf, tok, n);
    buf[n] = '\0';
    if (rk_rng_uniform(r) < 0.2)
        mutate(buf, &n, r);
    if (o && o + 1 < cap)
        out[o++] = ' ';
    if (o + n < cap) {
        memcpy(out + o, buf, n);
        o += n;
    }
    out[o] = '\0';
    return o;
}

int main(void)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_rng r;
    rk_rng_seed(&r, 20240501);
    /* Generate first (not timed): one buffer of NUL-separated names. */
    size_t cap = (size_t)NAMES * 48, used = 0;
    char *all = malloc(cap);
    if (!all)
        return 2;
    for (int i = 0; i < NAMES; i++) {
        char name[256];
        size_t o = 0;
        const char *fam = families[rk_rng_below(&r, RK_ARRAY_LEN(families))];
        const char *given = rk_rng_below(&r, 3) == 0
                                ? given_scripts[rk_rng_below(&r, RK_ARRAY_LEN(given_scripts))]
                                : text_given_names[rk_rng_below(&r, text_given_names_len)].form;
        int shape = (int)rk_rng_below(&r, 4);
        if (shape == 0) {
            o = append_token(name, o, sizeof(name), fam, &r);
            o = append_token(name, o, sizeof(name), given, &r);
        } else if (shape == 1) {
            o = append_token(name, o, sizeof(name), given, &r);
            o = append_token(name, o, sizeof(name), fam, &r);
        } else if (shape == 2) {
            o = append_token(name, o, sizeof(name), fam, &r);
            o = append_token(name, o, sizeof(name), given, &r);
            const char *father = text_given_names[rk_rng_below(&r, text_given_names_len)].form;
            o = append_token(name, o, sizeof(name), father, &r);
            o = append_token(name, o, sizeof(name), rk_rng_below(&r, 2) ? "oğlu" : "qızı", &r);
        } else {
            o = append_token(name, o, sizeof(name), given, &r);
            const char *father = text_given_names[rk_rng_below(&r, text_given_names_len)].form;
            o = append_token(name, o, sizeof(name), rk_rng_below(&r, 2) ? "bin" : "de la", &r);
            o = append_token(name, o, sizeof(name), father, &r);
            o = append_token(name, o, sizeof(name), fam, &r);
        }
        if (used + o + 1 > cap)
            break;
        memcpy(all + used, name, o + 1);
        used += o + 1;
    }
    rk_text *t = NULL;
    if (rk_text_new(&t, &ctx, NULL) != RK_OK)
        return 2;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    size_t count = 0, tokens = 0;
    for (size_t at = 0; at < used; at += strlen(all + at) + 1) {
        rk_name n;
        if (rk_text_name_parse(&n, t, all + at) != RK_OK) {
            fprintf(stderr, "bench_text: %s\n", ctx.err.message);
            return 2;
        }
        tokens += n.ntokens;
        count++;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    size_t distinct = 0;
    uint64_t lookups = 0, misses = 0;
    rk_text_cache_stats(t, &distinct, &lookups, &misses);
    double rate = (double)count / secs;
    printf("text: standardized %zu names (%zu tokens, %zu distinct strings) in %.2f s: "
           "%.0f names/s on one core (floor %.0f) %s\n",
           count, tokens, distinct, secs, rate, FLOOR, rate >= FLOOR ? "ok" : "BELOW FLOOR");
    rk_text_free(t);
    free(all);
    rk_ctx_release(&ctx);
    return rate >= FLOOR ? 0 : 1;
}
