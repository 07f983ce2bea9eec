/* Synthetic lists imported with their mapping.ini and gazetteer.csv, as README.txt says: every
 * region and place value of every list finds a region of the gazetteer, the records of one
 * true person find one region, and no region has more persons than truth_regions.csv gives. */
#include "test_project.h"

#define PEOPLE 2000

typedef struct region_count {
    char name[64];
    int64_t truth, found;
} region_count;

static void import_lists(rk_test_project *p, const char *dir)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/mapping.ini", dir);
    rk_mapping_set set;
    rk_mapping_set_init(&set);
    assert_int_equal(rk_mapping_file_read(&set, &p->ctx, path), RK_OK);
    for (size_t i = 0; i < set.count; i++) {
        rk_import_options o = RK_IMPORT_OPTIONS_INIT;
        o.mapping = &set.lists[i];
        o.lenient = true; /* as README.txt: partial and scanned dates are kept raw */
        snprintf(path, sizeof(path), "%s/%s", set.dir, set.lists[i].file);
        rk_import_result r;
        assert_int_equal(rk_import_file(&r, p->st, &o, path), RK_OK);
    }
    rk_mapping_set_release(&set);
    snprintf(path, sizeof(path), "%s/gazetteer.csv", dir);
    rk_gazetteer_options g = RK_GAZETTEER_OPTIONS_INIT;
    g.region_column = "region";
    g.place_column = "place";
    rk_gazetteer_result gr;
    assert_int_equal(rk_ingest_gazetteer(&gr, p->st, path, &g), RK_OK);
}

/* truth.csv into a table truth(record_key, person), truth_regions.csv into counts. */
static size_t read_truth(rk_test_project *p, const char *dir, region_count *counts, size_t cap)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/truth.csv", dir);
    char *truth = rk_test_slurp(path, NULL);
    rk_test_exec(p->st, "CREATE TEMP TABLE truth(record_key TEXT PRIMARY KEY, person INTEGER)");
    sqlite3_stmt *ins = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(rk_store__db(p->st), "INSERT INTO truth VALUES (?, ?)", -1, &ins, NULL),
        SQLITE_OK);
    for (char *line = strchr(truth, '\n') + 1, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        char *comma = memchr(line, ',', (size_t)(end - line));
        sqlite3_bind_text(ins, 1, line, (int)(comma - line), SQLITE_STATIC);
        sqlite3_bind_int64(ins, 2, strtoll(comma + 1, NULL, 10));
        assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    free(truth);
    snprintf(path, sizeof(path), "%s/truth_regions.csv", dir);
    char *regions = rk_test_slurp(path, NULL);
    size_t n = 0;
    for (char *line = strchr(regions, '\n') + 1, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        char *comma = memchr(line, ',', (size_t)(end - line));
        assert_true(n < cap);
        snprintf(counts[n].name, sizeof(counts[n].name), "%.*s", (int)(comma - line), line);
        counts[n].truth = strtoll(comma + 1, NULL, 10);
        counts[n++].found = 0;
    }
    free(regions);
    return n;
}

static void each_value_finds_its_true_region(void **state)
{
    (void)state;
    for (const char *const *sc = rk_synth_scenarios(); *sc; sc++) {
        rk_test_project *p = rk_test_project_new();
        char dir[600];
        snprintf(dir, sizeof(dir), "%s/lists", p->dir);
        rk_synth_options o = RK_SYNTH_OPTIONS_INIT;
        o.scenario = *sc;
        o.people = PEOPLE;
        o.lists = 5;
        o.seed = 11;
        o.out_dir = dir;
        rk_synth_summary s;
        assert_int_equal(rk_synth_run(&s, &p->ctx, &o), RK_OK);
        import_lists(p, dir);
        region_count counts[64];
        size_t nregions = read_truth(p, dir, counts, 64);
        rk_gazetteer *g = NULL;
        assert_int_equal(rk_gazetteer_open(&g, p->st), RK_OK);
        rk_gazetteer_miss *misses = NULL;
        size_t nmisses = 0;
        assert_int_equal(rk_gazetteer_misses(&misses, &nmisses, g, p->st), RK_OK);
        for (size_t i = 0; i < nmisses; i++)
            print_error("%s %s: %s:%lld region '%s' place '%s' finds no region\n", *sc,
                        misses[i].list, misses[i].file, (long long)misses[i].line, misses[i].region,
                        misses[i].place);
        assert_int_equal(nmisses, 0);
        rk_gazetteer_misses_free(misses, nmisses);
        sqlite3_stmt *q = NULL;
        assert_int_equal(
            sqlite3_prepare_v2(rk_store__db(p->st),
                               "SELECT t.person, coalesce(r.region, ''), coalesce(r.place, '')"
                               " FROM current_record r JOIN truth t USING (record_key)"
                               " ORDER BY t.person",
                               -1, &q, NULL),
            SQLITE_OK);
        int64_t person = -1, records = 0;
        const char *person_region = NULL;
        while (sqlite3_step(q) == SQLITE_ROW) {
            records++;
            const char *region = NULL;
            assert_int_equal(rk_gazetteer_region(&region, g,
                                                 (const char *)sqlite3_column_text(q, 1),
                                                 (const char *)sqlite3_column_text(q, 2)),
                             RK_OK);
            if (sqlite3_column_int64(q, 0) != person) {
                person = sqlite3_column_int64(q, 0);
                person_region = NULL;
            }
            if (!region)
                continue; /* a list without a region or place, or a value left out */
            if (person_region) {
                assert_string_equal(region, person_region);
                continue;
            }
            person_region = region;
            size_t i = 0;
            while (i < nregions && strcmp(counts[i].name, region) != 0)
                i++;
            assert_true(i < nregions);
            counts[i].found++;
        }
        sqlite3_finalize(q);
        assert_int_equal(records, s.records);
        for (size_t i = 0; i < nregions; i++) {
            assert_true(counts[i].found > 0);
            assert_true(counts[i].found <= counts[i].truth);
        }
        rk_gazetteer_free(g);
        rk_test_project_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_value_finds_its_true_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
