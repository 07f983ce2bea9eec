/* Unit tests of the balkans scenario of src/synth: the spelling conversions between Albanian,
 * Serbian Latin and Serbian Cyrillic, the same bytes for the same seed, every list's mapping
 * naming columns of its header with the list's date formats, the truth naming every record in
 * order, and the lists' names in their own spellings. */
#include "test.h"

#include "synth/synth_private.h"

static void expect(int (*fn)(rk_buf *, const char *), const char *in, const char *want)
{
    rk_buf b;
    rk_buf_init(&b);
    assert_int_equal(fn(&b, in), RK_OK);
    if (strcmp(rk_buf_cstr(&b), want) != 0)
        fail_msg("'%s' became '%s', expected '%s'", in, rk_buf_cstr(&b), want);
    rk_buf_release(&b);
}

static int sq_cyr(rk_buf *b, const char *s)
{
    return synth_sq_to_cyrillic(b, s, false);
}

static int sq_cyr_e(rk_buf *b, const char *s)
{
    return synth_sq_to_cyrillic(b, s, true);
}

static int plain_dj(rk_buf *b, const char *s)
{
    return synth_plain_letters(b, s, true);
}

static int plain_d(rk_buf *b, const char *s)
{
    return synth_plain_letters(b, s, false);
}

static void albanian_names_in_cyrillic(void **state)
{
    (void)state;
    expect(sq_cyr, "Nderim Krasniqi", "Ндерим Краснићи");
    expect(sq_cyr, "Xhevdet Gjergji", "Џевдет Ђерђи");
    expect(sq_cyr, "Bytyqi", "Битићи");
    expect(sq_cyr, "Hoxha", "Хоџа");
    expect(sq_cyr, "Shkëlzen Thaçi", "Шкелзен Тачи");
    expect(sq_cyr, "Rrahim Llapashtica", "Рахим Лапаштица");
    expect(sq_cyr, "Nexhmije Zhuri", "Неџмије Жури");
    expect(sq_cyr, "Dhimitër", "Димитер"); /* ë inside a word is е */
    expect(sq_cyr, "Demë", "Дем");         /* at its end dropped, */
    expect(sq_cyr_e, "Demë", "Деме");      /* or written е */
    expect(sq_cyr_e, "GJAKOVË", "ЂАКОВЕ");
    expect(synth_sq_to_sr, "Xhevdet Krasniqi", "Dževdet Krasnići");
}

static void serbian_names_in_other_spellings(void **state)
{
    (void)state;
    expect(synth_sr_to_cyrillic, "Ljubiša Đorđević", "Љубиша Ђорђевић");
    expect(synth_sr_to_cyrillic, "Njegoš Džinić", "Његош Џинић");
    expect(synth_sr_to_albanian, "Đorđević", "Gjorgjeviq");
    expect(synth_sr_to_albanian, "Čedomir Džinić", "Çedomir Xhiniq");
    expect(synth_sr_to_albanian, "Živković Šarić", "Zhivkoviq Shariq");
    expect(plain_dj, "Đorđević", "Djordjevic");
    expect(plain_d, "Đorđević", "Dordevic");
    expect(plain_dj, "Gëzim Thaçi", "Gezim Thaci");
}

static char *slurp(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return rk_test_slurp(path, NULL);
}

static void run(const char *dir, uint64_t seed, rk_synth_summary *s)
{
    rk_ctx ctx;
    rk_ctx_init(&ctx);
    rk_synth_options o = RK_SYNTH_OPTIONS_INIT;
    o.scenario = "balkans";
    o.people = 3000;
    o.lists = 5;
    o.seed = seed;
    o.out_dir = dir;
    o.spreadsheet = "csv"; /* every list as text, to read here (two are .xlsx by default) */
    assert_int_equal(rk_synth_run(s, &ctx, &o), RK_OK);
    rk_ctx_release(&ctx);
}

static void same_seed_same_bytes(void **state)
{
    (void)state;
    char *d1 = rk_test_tmpdir(), *d2 = rk_test_tmpdir();
    rk_synth_summary s1, s2;
    run(d1, 7, &s1);
    run(d2, 7, &s2);
    assert_int_equal(s1.lists, 5);
    const char *files[] = {"mapping.ini",  "truth.csv",       "gazetteer.csv",
                           "ngo.csv",      "register.csv",    "intl.csv",
                           "database.csv", "yu_register.csv", "truth_regions.csv"};
    for (size_t i = 0; i < RK_ARRAY_LEN(files); i++) {
        char *a = slurp(d1, files[i]), *b = slurp(d2, files[i]);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    rk_test_tmpdir_remove(d1);
    rk_test_tmpdir_remove(d2);
}

/* The value of `key = ` in mapping.ini's section of a list, or NULL. */
static bool mapped(char *out, size_t cap, const char *map, const char *list, const char *key)
{
    char head[64], want[96];
    snprintf(head, sizeof(head), "[list %s]\n", list);
    const char *sec = strstr(map, head);
    assert_non_null(sec);
    const char *end = strstr(sec + 1, "\n[list ");
    snprintf(want, sizeof(want), "\n%s = ", key);
    const char *at = strstr(sec, want);
    if (!at || (end && at > end))
        return false;
    at += strlen(want);
    snprintf(out, cap, "%.*s", (int)strcspn(at, "\n"), at);
    return true;
}

static void mapping_names_the_headers_and_formats(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    rk_synth_summary s;
    run(dir, 3, &s);
    char *map = slurp(dir, "mapping.ini");
    char value[128];
    static const char *const roles[] = {"id",          "full_name", "given_name", "family_name",
                                        "father_name", "sex",       "birth_date", "birth_year",
                                        "death_date",  "place",     "region",     "violation"};
    for (unsigned i = 0; i < s.lists; i++) {
        char file[80], delim[8];
        assert_true(mapped(file, sizeof(file), map, s.list_name[i], "file"));
        assert_true(mapped(delim, sizeof(delim), map, s.list_name[i], "delimiter"));
        char *csv = slurp(dir, file);
        char header[512];
        snprintf(header, sizeof(header), "%c%.*s%c", delim[0], (int)strcspn(csv, "\n"), csv,
                 delim[0]);
        size_t found = 0;
        for (size_t r = 0; r < RK_ARRAY_LEN(roles); r++) {
            char key[64], want[160];
            snprintf(key, sizeof(key), "column.%s", roles[r]);
            if (!mapped(value, sizeof(value), map, s.list_name[i], key))
                continue;
            snprintf(want, sizeof(want), "%c%s%c", delim[0], value, delim[0]);
            if (!strstr(header, want))
                fail_msg("%s: column '%s' (%s) is not in the header %s", s.list_name[i], value,
                         roles[r], header);
            found++;
        }
        assert_true(found >= 5);
        free(csv);
    }
    struct {
        const char *list, *key, *format;
    } formats[] = {
        {"ngo", "date_format.death_date", "DD.MM.YYYY"},
        {"register", "date_format.birth_date", "DD.MM.YYYY."},
        {"register", "date_format.death_date", "DD.MM.YYYY."},
        {"intl", "date_format.birth_date", "MON D, YYYY"},
        {"intl", "date_format.death_date", "DD-MON-YYYY"},
        {"database", "date_format.death_date", "DD.MM.YYYY"},
        {"yu_register", "date_format.death_date", "DD.MM.YYYY."},
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(formats); i++) {
        assert_true(mapped(value, sizeof(value), map, formats[i].list, formats[i].key));
        assert_string_equal(value, formats[i].format);
    }
    assert_true(mapped(value, sizeof(value), map, "yu_register", "name_order"));
    assert_string_equal(value, "family-first");
    assert_true(mapped(value, sizeof(value), map, "register", "language"));
    assert_string_equal(value, "sr");
    assert_true(mapped(value, sizeof(value), map, "ngo", "language"));
    assert_string_equal(value, "sq");
    free(map);
    rk_test_tmpdir_remove(dir);
}

/* Each list's records in order: truth.csv names them in the order each list has them. */
static void truth_names_every_record(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    rk_synth_summary s;
    run(dir, 5, &s);
    char *csv[RK_SYNTH_MAX_LISTS], *at[RK_SYNTH_MAX_LISTS];
    for (unsigned i = 0; i < s.lists; i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s.csv", s.list_name[i]);
        csv[i] = slurp(dir, name);
        at[i] = strchr(csv[i], '\n') + 1; /* past the header */
    }
    char *truth = slurp(dir, "truth.csv");
    uint64_t seen = 0;
    for (char *line = strchr(truth, '\n') + 1, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        char *colon = memchr(line, ':', (size_t)(end - line));
        assert_non_null(colon);
        unsigned li = 0;
        while (li < s.lists && (strlen(s.list_name[li]) != (size_t)(colon - line) ||
                                memcmp(line, s.list_name[li], (size_t)(colon - line)) != 0))
            li++;
        assert_true(li < s.lists);
        size_t idlen = strcspn(colon + 1, ",");
        assert_true(*at[li] != '\0');
        assert_memory_equal(at[li], colon + 1, idlen); /* the row's own id, first */
        assert_true(at[li][idlen] == ',' || at[li][idlen] == ';');
        at[li] = strchr(at[li], '\n') + 1;
        seen++;
    }
    for (unsigned i = 0; i < s.lists; i++) {
        assert_int_equal(*at[i], '\0'); /* no record the truth leaves out */
        free(csv[i]);
    }
    assert_int_equal(seen, s.records);
    free(truth);
    rk_test_tmpdir_remove(dir);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)) != NULL; p++)
        n++;
    return n;
}

static void names_in_each_lists_spelling(void **state)
{
    (void)state;
    char *dir = rk_test_tmpdir();
    rk_synth_summary s;
    run(dir, 2, &s);
    char *ngo = slurp(dir, "ngo.csv"), *reg = slurp(dir, "register.csv");
    char *intl = slurp(dir, "intl.csv"), *db = slurp(dir, "database.csv");
    char *yu = slurp(dir, "yu_register.csv");
    /* The commonest family name is common (a few per cent of the Albanian list). */
    assert_true(count(ngo, ",Krasniqi,") * 40 > s.list_records[0]);
    assert_non_null(strstr(ngo, "ë"));
    assert_non_null(strstr(ngo, "q,"));            /* Serbian -ić in Albanian: -iq */
    assert_non_null(strstr(reg, ";Краснићи;"));    /* Albanian names in Cyrillic */
    assert_non_null(strstr(reg, "ић;"));           /* Serbian ones */
    assert_non_null(strstr(reg, ".;"));            /* dates with the trailing dot */
    assert_non_null(strstr(reg, ";Приштина;"));    /* places in Cyrillic */
    assert_non_null(strstr(intl, "\"Krasniqi, ")); /* Surname, Given */
    assert_non_null(strstr(intl, "-Mar-199"));     /* 28-Mar-1999 */
    for (const char *p = db; *p; p++)              /* plain letters only */
        assert_true((unsigned char)*p < 0x80);
    assert_non_null(strstr(db, "vic,")); /* Jovanovic */
    assert_non_null(strstr(yu, " ("));   /* Family (Father) Given */
    assert_non_null(strstr(yu, "ć ("));
    free(ngo);
    free(reg);
    free(intl);
    free(db);
    free(yu);
    rk_test_tmpdir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(albanian_names_in_cyrillic),
        cmocka_unit_test(serbian_names_in_other_spellings),
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(mapping_names_the_headers_and_formats),
        cmocka_unit_test(truth_names_every_record),
        cmocka_unit_test(names_in_each_lists_spelling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
