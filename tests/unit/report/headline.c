/* The headline figure (src/report/headline.c, sec_headline.c), on projects whose estimates are
 * inserted by SQL: the rule's order (LCMCR, dga, log-linear; Chapman for two lists), what
 * passes a method over (a refusal, no finite interval, an unsettled sampler, a posterior cut off
 * by its bound, a stratum's unsettled sampler for a sum of strata), the words of each reason,
 * and the report that leads with the figure: combined over replicates, per category of
 * violation, stratum by stratum and at other link thresholds. */
#include "test_project.h"
#include "report/report_private.h"

typedef rk_test_project fx;

static const char *const three = "[\"ministry\",\"memorial\",\"ngo\"]";

/* One stored row. Figures that are NAN are stored as NULL. */
typedef struct row {
    int64_t id, batch;
    const char *by; /* the batch's --by, as JSON: "[\"violation\"]" */
    const char *method, *model;
    const char *stratum; /* JSON object, or NULL for the whole */
    const char *lists;
    int64_t observed;
    double e, lo, hi;
    const char *status, *reason, *result;
} row;

static void put(fx *f, row w)
{
    char e[32] = "NULL", lo[32] = "NULL", hi[32] = "NULL";
    if (isfinite(w.e))
        snprintf(e, sizeof(e), "%.17g", w.e);
    if (isfinite(w.lo))
        snprintf(lo, sizeof(lo), "%.17g", w.lo);
    if (isfinite(w.hi))
        snprintf(hi, sizeof(hi), "%.17g", w.hi);
    char *sql = sqlite3_mprintf(
        "INSERT INTO estimate(id, batch, time, run_id, method, model, stratum, lists, config,"
        " observed, estimate, lower, upper, status, reason, capture, result) VALUES (%lld, %lld,"
        " 't', 1, %Q, %Q, %Q, %Q, '{\"by\":' || %Q || '}', %lld, %s, %s, %s, %Q, %Q, '{}', %Q)",
        (long long)w.id, (long long)w.batch, w.method, w.model, w.stratum,
        w.lists ? w.lists : three, w.by ? w.by : "[]", (long long)w.observed, e, lo, hi,
        w.status ? w.status : "ok", w.reason, w.result ? w.result : "{}");
    rk_test_exec(f->st, sql);
    sqlite3_free(sql);
}

static int setup(void **state)
{
    fx *f = rk_test_project_new();
    rk_test_exec(f->st,
                 "INSERT INTO list(id, name, created) VALUES (1, 'ministry', 't'),"
                 " (2, 'memorial', 't'), (3, 'ngo', 't');"
                 "INSERT INTO link_run(id, time, reckon_version, config, model, seed, threshold,"
                 " review_low, review_high, stats) VALUES (1, 't', '0', '{}', '{}', 1, 0.9, 0.5,"
                 " 0.9, '{}');");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rk_test_project_free(*state);
    return 0;
}

/* The rule's choice for the whole population of the latest batch: the method chosen (NULL:
 * none), with the reason in why. */
static const char *choose(fx *f, char *why, size_t whysz)
{
    static char method[16];
    report_batch b;
    assert_int_equal(report_batch_load(&b, f->st, NULL), RK_OK);
    size_t lo = 0;
    while (lo < b.n && strcmp(b.rows[lo].stratum, "null") != 0)
        lo++;
    report_choice c;
    assert_int_equal(report_headline_choose(&c, &b, lo), RK_OK);
    snprintf(why, whysz, "%s", rk_buf_cstr(&c.why));
    snprintf(method, sizeof(method), "%s", c.chosen >= 0 ? b.rows[c.chosen].method : "");
    report_choice_release(&c);
    report_batch_release(&b);
    return method[0] ? method : NULL;
}

static void has(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("'%s' lacks '%s'", text, part);
}

static void test_lcmcr_first_when_its_chains_agree(void **state)
{
    fx *f = *state;
    put(f, (row){.id = 1,
                 .batch = 1,
                 .method = "loglinear",
                 .model = "[12,3] (best bic)",
                 .observed = 90,
                 .e = 110,
                 .lo = 100,
                 .hi = 125});
    put(f, (row){.id = 2,
                 .batch = 1,
                 .method = "dga",
                 .model = "[ministry,memorial][ngo]",
                 .observed = 90,
                 .e = 112,
                 .lo = 99,
                 .hi = 140});
    put(f, (row){.id = 3,
                 .batch = 1,
                 .method = "lcmcr",
                 .model = "K*=10",
                 .observed = 90,
                 .e = 120,
                 .lo = 101,
                 .hi = 160,
                 .result = "{\"rhat\":1.01,"
                           "\"ess\":900}"});
    char why[2048];
    assert_string_equal(choose(f, why, sizeof(why)), "lcmcr");
    has(why, "This is the latent-class model (LCMCR), reckon's first choice with three or more "
             "lists. It assumes people fall into groups");
    has(why, "here, up to 10 groups of people who differ in how visible they are to the lists.");
    has(why, "chains agree (split R-hat 1.01)");
}

static void test_an_unsettled_sampler_passes_to_dga(void **state)
{
    fx *f = *state;
    put(f, (row){.id = 1,
                 .batch = 1,
                 .method = "dga",
                 .model = "[ministry,memorial][ngo]",
                 .observed = 90,
                 .e = 112,
                 .lo = 99,
                 .hi = 140});
    put(f, (row){.id = 2,
                 .batch = 1,
                 .method = "lcmcr",
                 .model = "K*=10",
                 .observed = 90,
                 .e = 120,
                 .lo = 101,
                 .hi = 160,
                 .result = "{\"rhat\":1.3,\"warning\":\"chains disagree (split R-hat 1.30 > "
                           "1.1)\"}"});
    char why[2048];
    assert_string_equal(choose(f, why, sizeof(why)), "dga");
    has(why, "This is Bayesian model averaging (dga), reckon's second choice with three or more "
             "lists, because the latent-class model (LCMCR) did not settle (chains "
             "disagree (split R-hat 1.30 > 1.1)).");
    has(why, "here, the way that fits best: ministry and memorial depend on each other; ngo is "
             "independent of the others.");
}

static void test_few_effective_draws_and_a_cut_off_posterior_pass_to_loglinear(void **state)
{
    fx *f = *state;
    put(f, (row){.id = 1,
                 .batch = 1,
                 .method = "loglinear",
                 .model = "[12,3] (best bic)",
                 .observed = 90,
                 .e = 110,
                 .lo = 100,
                 .hi = 125});
    put(f, (row){.id = 2,
                 .batch = 1,
                 .method = "dga",
                 .model = "[ministry,memorial][ngo]",
                 .observed = 90,
                 .e = 112,
                 .lo = 99,
                 .hi = 140,
                 .result = "{\"sensitivity\":[{\"varies\":\"nmax\",\"baseline\":true,"
                           "\"top_tenth_mass\":0.02}]}"});
    put(f, (row){.id = 3,
                 .batch = 1,
                 .method = "lcmcr",
                 .model = "K*=10",
                 .observed = 90,
                 .e = 120,
                 .lo = 101,
                 .hi = 160,
                 .result = "{\"rhat\":1.0,\"ess\":40}"});
    char why[2048];
    assert_string_equal(choose(f, why, sizeof(why)), "loglinear");
    has(why,
        "the latent-class model (LCMCR) did not settle (an effective sample size "
        "of only 40); Bayesian model averaging (dga) has its posterior cut off by the bound on the "
        "unseen (0.02 of it in the top tenth; raise --nmax).");
    has(why, "here, the pattern that fits best by BIC: ministry and memorial depend on each "
             "other; ngo is independent of the others.");
}

static void test_two_lists_take_chapman(void **state)
{
    fx *f = *state;
    const char *two = "[\"ministry\",\"ngo\"]";
    put(f, (row){.id = 1,
                 .batch = 1,
                 .method = "chapman",
                 .lists = two,
                 .observed = 50,
                 .e = 70,
                 .lo = 60,
                 .hi = 85});
    put(f, (row){.id = 2,
                 .batch = 1,
                 .method = "lcmcr",
                 .model = "K*=10",
                 .lists = two,
                 .observed = 50,
                 .e = 90,
                 .lo = 60,
                 .hi = 300});
    char why[2048];
    assert_string_equal(choose(f, why, sizeof(why)), "chapman");
    has(why, "This is Chapman's two-list estimator, the one estimator reckon defends for two "
             "lists. It assumes the two lists are independent");
    has(why, "the true total is higher.");
}

static void test_nothing_defended_says_every_reason(void **state)
{
    fx *f = *state;
    put(f, (row){.id = 1,
                 .batch = 1,
                 .method = "loglinear",
                 .model = "[12,3] (best bic)",
                 .observed = 90,
                 .e = 110,
                 .lo = NAN,
                 .hi = NAN,
                 .status = "boundary"});
    put(f, (row){.id = 2,
                 .batch = 1,
                 .method = "lcmcr",
                 .observed = 90,
                 .e = NAN,
                 .lo = NAN,
                 .hi = NAN,
                 .status = "refused",
                 .reason = "a chain's N ran past 10^9"});
    char why[2048];
    assert_null(choose(f, why, sizeof(why)));
    assert_string_equal(why, "No estimate can be defended: the latent-class model (LCMCR) "
                             "refused: a chain's N ran past 10^9; Bayesian model averaging (dga) "
                             "was not run; the log-linear model gave no finite interval.");
}

static void test_a_sum_of_strata_inherits_an_unsettled_stratum(void **state)
{
    fx *f = *state;
    const char *by = "[\"violation\"]", *k = "{\"violation\":\"killed\"}",
               *w = "{\"violation\":\"wounded\"}";
    put(f, (row){.id = 1,
                 .batch = 1,
                 .by = by,
                 .method = "loglinear",
                 .model = "[12,3] (best bic)",
                 .stratum = k,
                 .observed = 60,
                 .e = 70,
                 .lo = 65,
                 .hi = 80});
    put(f, (row){.id = 2,
                 .batch = 1,
                 .by = by,
                 .method = "lcmcr",
                 .model = "K*=10",
                 .stratum = k,
                 .observed = 60,
                 .e = 72,
                 .lo = 66,
                 .hi = 85});
    put(f, (row){.id = 3,
                 .batch = 1,
                 .by = by,
                 .method = "loglinear",
                 .model = "[12,3] (best bic)",
                 .stratum = w,
                 .observed = 30,
                 .e = 40,
                 .lo = 35,
                 .hi = 50});
    put(f, (row){.id = 4,
                 .batch = 1,
                 .by = by,
                 .method = "lcmcr",
                 .model = "K*=10",
                 .stratum = w,
                 .observed = 30,
                 .e = 44,
                 .lo = 36,
                 .hi = 60,
                 .result = "{\"rhat\":1.5}"});
    put(f, (row){.id = 5,
                 .batch = 1,
                 .by = by,
                 .method = "loglinear",
                 .model = "sum of 2 strata by violation",
                 .observed = 90,
                 .e = 110,
                 .lo = 100,
                 .hi = 125});
    put(f, (row){.id = 6,
                 .batch = 1,
                 .by = by,
                 .method = "lcmcr",
                 .model = "sum of 2 strata by violation",
                 .observed = 90,
                 .e = 116,
                 .lo = 104,
                 .hi = 140,
                 .result = "{\"rhat\":1.02}"});
    char why[2048];
    assert_string_equal(choose(f, why, sizeof(why)), "loglinear");
    has(why, "because the latent-class model (LCMCR) did not settle in stratum violation: "
             "wounded (its chains disagree: split R-hat 1.50); Bayesian model averaging (dga) "
             "was not run.");
    has(why, "here, the sum of 2 strata by violation, each estimated on its own.");
}

/* The whole report of a project whose latest batch is by violation, combined over replicates,
 * with a refused stratum and the total at other thresholds. */
static void test_the_report_leads_with_the_headline(void **state)
{
    fx *f = *state;
    const char *by = "[\"violation\"]";
    put(f, (row){.id = 1,
                 .batch = 1,
                 .method = "loglinear",
                 .model = "[12,3] (best bic)",
                 .observed = 1400,
                 .e = 1800,
                 .lo = 1700,
                 .hi = 1950});
    put(f, (row){.id = 2,
                 .batch = 2,
                 .by = by,
                 .method = "lcmcr",
                 .model = "K*=10",
                 .stratum = "{\"violation\":\"killed\"}",
                 .observed = 1200,
                 .e = 1700,
                 .lo = 1550,
                 .hi = 1900,
                 .result = "{\"rhat\":1.01,\"replicates\":{\"linkages\":20,\"imputations\":20,"
                           "\"replicates\":20,\"rule\":\"pooled\",\"answered\":20,\"imputed\":"
                           "31,\"single\":{\"estimate\":1690,\"lower\":1580,\"upper\":1850},"
                           "\"one\":{\"estimate\":1688,\"lower\":1590,\"upper\":1830},"
                           "\"widened\":{\"imputation\":30,\"linkage\":80}}}"});
    put(f, (row){.id = 3,
                 .batch = 2,
                 .by = by,
                 .method = "none",
                 .stratum = "{\"violation\":\"wounded\"}",
                 .observed = 277,
                 .e = NAN,
                 .lo = NAN,
                 .hi = NAN,
                 .status = "refused",
                 .reason = "list 'ngo' names nobody in this stratum"});
    put(f, (row){.id = 4,
                 .batch = 2,
                 .by = by,
                 .method = "lcmcr",
                 .model = "sum of 1 strata by violation",
                 .observed = 1477,
                 .e = 2050,
                 .lo = 1890,
                 .hi = 2310,
                 .result = "{\"rhat\":1.01,\"replicates\":{\"linkages\":20,\"imputations\":20,"
                           "\"replicates\":20,\"rule\":\"pooled\",\"answered\":20,\"imputed\":"
                           "40,\"single\":{\"estimate\":2040,\"lower\":1930,\"upper\":2220},"
                           "\"one\":{\"estimate\":2041,\"lower\":1940,\"upper\":2200},"
                           "\"widened\":{\"imputation\":30,\"linkage\":130}},\"thresholds\":["
                           "{\"threshold\":0.3,\"observed\":1390,\"estimate\":1980,\"lower\":"
                           "1800,\"upper\":2250,\"status\":\"ok\"},{\"threshold\":0.9,"
                           "\"observed\":1620,\"status\":\"refused\",\"reason\":\"too few "
                           "overlaps\"}]}"});
    put(f, (row){.id = 5,
                 .batch = 2,
                 .by = by,
                 .method = "loglinear",
                 .model = "sum of 1 strata by violation",
                 .observed = 1477,
                 .e = 1900,
                 .lo = 1750,
                 .hi = 2100});
    char *html = NULL, *json = NULL;
    size_t hn = 0, jn = 0;
    FILE *h = open_memstream(&html, &hn), *j = open_memstream(&json, &jn);
    rk_report_options o = RK_REPORT_OPTIONS_INIT;
    assert_int_equal(rk_report_write(f->st, &o, h, j), RK_OK);
    fclose(h);
    fclose(j);
    has(html, "<p class=\"lead\">Between 1,890 and 2,310 victims (estimate 2,050), of whom "
              "1,477 are documented on at least one list.</p>");
    has(html, "It includes the doubt of linkage and of imputing missing values: it combines 20 "
              "replicates (20 linkages, 20 imputations; 20 answered; rule pooled); the link "
              "run&#39;s own persons alone give between 1,930 and 2,220 (estimate 2,040).");
    /* the other method as a check, in words */
    has(html, "<li><b>the log-linear model</b>: <span class=\"nw\">1,900</span> (95% interval "
              "<span class=\"nw\">1,750 to 2,100</span>). It assumes");
    /* per category, most documented first; the refused one with its reason */
    has(html, "<li>killed: between 1,550 and 1,900 victims (estimate 1,700), of whom 1,200 are "
              "documented on at least one list.");
    has(html, "wounded: 277 victims are documented on at least one list; no estimate of those "
              "no list names can be defended. <span class=\"muted\">No estimate can be "
              "defended: list &#39;ngo&#39; names nobody in this stratum.</span>");
    /* stratum by stratum: single, combined, widened; the refused stratum with its reason */
    has(html, "<td class=\"n\">1,200</td><td class=\"n\">1,690 (1,580&ndash;1,850)</td><td "
              "class=\"n\">1,700 (1,550&ndash;1,900)</td><td class=\"n\">+30</td><td "
              "class=\"n\">+80</td>");
    has(html, "<td colspan=\"4\">No estimate can be defended: list &#39;ngo&#39; names nobody in "
              "this stratum.</td>");
    /* the total at other thresholds */
    has(html, "<tr><td class=\"n\">0.30</td><td class=\"n\">1,390</td><td class=\"n\">1,980 "
              "(1,800&ndash;2,250)</td><td></td></tr>");
    has(html, "<tr><td class=\"n\">0.90</td><td class=\"n\">1,620</td><td "
              "class=\"n\">&mdash;</td><td>refused: too few overlaps</td></tr>");
    /* the earlier batch, not replicated, is no longer the headline's */
    assert_null(strstr(html, "1,800 (1,700"));
    has(json, "\"headline\":{\"batch\":2,\"by\":\"violation\",\"sentence\":\"Between 1,890 and "
              "2,310 victims (estimate 2,050), of whom 1,477 are documented on at least one "
              "list.\"");
    has(json, "\"combined\":true,\"single\":{\"estimate\":2040,\"lower\":1930,\"upper\":2220}");
    has(json, "\"widened\":{\"imputation\":30,\"linkage\":80},\"imputed\":31");
    has(json, "\"thresholds\":[{\"threshold\":0.3,\"observed\":1390");
    free(html);
    free(json);
}

/* Without replicates the combined columns are dashes; a batch of fewer lists says so. */
static void test_a_single_linkage_batch_of_fewer_lists(void **state)
{
    fx *f = *state;
    rk_test_exec(f->st, "INSERT INTO list(id, name, created) VALUES (4, 'press', 't')");
    put(f, (row){.id = 1,
                 .batch = 1,
                 .method = "lcmcr",
                 .model = "K*=10",
                 .observed = 584,
                 .e = 780,
                 .lo = 685,
                 .hi = 980});
    char *html = NULL;
    size_t hn = 0;
    FILE *h = open_memstream(&html, &hn);
    rk_report_options o = RK_REPORT_OPTIONS_INIT;
    assert_int_equal(rk_report_write(f->st, &o, h, NULL), RK_OK);
    fclose(h);
    has(html, "Between 685 and 980 victims (estimate 780), of whom 584 are documented on at "
              "least one of the 3 lists it reads.");
    has(html, "It reads 3 of the project&#39;s 4 lists (ministry, memorial and ngo): persons "
              "that only the others name are left out.");
    has(html, "<td class=\"n\">780 (685&ndash;980)</td><td class=\"n\">&mdash;</td><td "
              "class=\"n\">&mdash;</td><td class=\"n\">&mdash;</td>");
    has(html, "This batch holds no estimates of the total at other link thresholds.");
    free(html);
}

/* A stratified batch without a total: every stratum refused. */
static void test_a_batch_without_a_total_says_why(void **state)
{
    fx *f = *state;
    const char *by = "[\"region\"]";
    put(f, (row){.id = 1,
                 .batch = 1,
                 .by = by,
                 .method = "none",
                 .stratum = "{\"region\":\"\"}",
                 .observed = 37,
                 .e = NAN,
                 .lo = NAN,
                 .hi = NAN,
                 .status = "refused",
                 .reason = "only 1 of the 3 lists name persons"});
    put(f, (row){.id = 2,
                 .batch = 1,
                 .by = by,
                 .method = "none",
                 .stratum = "{\"region\":\"North\"}",
                 .observed = 177,
                 .e = NAN,
                 .lo = NAN,
                 .hi = NAN,
                 .status = "refused",
                 .reason = "list 'ngo' names nobody"});
    char *html = NULL;
    size_t hn = 0;
    FILE *h = open_memstream(&html, &hn);
    rk_report_options o = RK_REPORT_OPTIONS_INIT;
    assert_int_equal(rk_report_write(f->st, &o, h, NULL), RK_OK);
    fclose(h);
    has(html, "<p class=\"lead\">0 victims are documented on at least one list; no estimate of "
              "those no list names can be defended.</p>");
    has(html, "No estimate can be defended: the latest estimates (batch 1, by region) have no "
              "total, since no method answered in every stratum. In 2 of its 2 strata none can "
              "be defended (the table by stratum, under Estimates, gives each reason); the "
              "first, region: (no value): only 1 of the 3 lists name persons.");
    has(html, "<td><bdi>region: </bdi>(no value)</td><td>none</td><td class=\"n\">37</td><td "
              "colspan=\"4\">No estimate can be defended: only 1 of the 3 lists name "
              "persons.</td>");
    free(html);
}

static void test_no_estimates_yet(void **state)
{
    fx *f = *state;
    char *html = NULL;
    size_t hn = 0;
    FILE *h = open_memstream(&html, &hn);
    rk_report_options o = RK_REPORT_OPTIONS_INIT;
    assert_int_equal(rk_report_write(f->st, &o, h, NULL), RK_OK);
    fclose(h);
    has(html, "<p class=\"lead\">0 victims are documented on at least one list; nothing "
              "estimates yet how many no list names.</p>");
    free(html);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_lcmcr_first_when_its_chains_agree),
        T(test_an_unsettled_sampler_passes_to_dga),
        T(test_few_effective_draws_and_a_cut_off_posterior_pass_to_loglinear),
        T(test_two_lists_take_chapman),
        T(test_nothing_defended_says_every_reason),
        T(test_a_sum_of_strata_inherits_an_unsettled_stratum),
        T(test_the_report_leads_with_the_headline),
        T(test_a_single_linkage_batch_of_fewer_lists),
        T(test_a_batch_without_a_total_says_why),
        T(test_no_estimates_yet),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
