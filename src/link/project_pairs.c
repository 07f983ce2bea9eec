/* `reckon evaluate --pairs`: the pairs of records the latest link run and a truth disagree on
 * (one true person kept apart, two true persons joined), each compared again with the run's
 * set-up, blocking and model (the same code the run uses), and the reason it is apart or
 * together: never compared, scored below the threshold, kept apart by clustering, or joined
 * through a chain of other records. */
#include "link_private.h"
#include "project_private.h"
#include "store/store_internal.h"

#include <math.h>
#include <sqlite3.h>
#include <time.h>

/* What the pairs are judged with: the run's set-up and model over the project's records. */
typedef struct judge {
    rk_ctx *ctx;
    link_setup *s;
    project_records r;
    rk_link_model *model;
    float *tf[RK_LINK_MAX_FIELDS + 1];
    link_blocks blocks; /* zeroed until built */
    bool *unique;       /* per list index */
    int64_t *entity;    /* per record: its true person, or a number of its own (negative) */
    int64_t *person;    /* per record: its person in the run */
    uint32_t *members;  /* record indexes sorted by person */
    uint64_t *skey;     /* stored pairs (a << 32 | b, record indexes, a < b), sorted */
    float *sprob;
    size_t nstored;
} judge;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t pair_key(uint32_t a, uint32_t b)
{
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* The set-up the run recorded: the defaults with the mapped extras, the configuration file when
 * given, the run's threshold and seed, as `reckon link` makes it; refused when its JSON is not the
 * run's. */
static int setup_of_run(judge *j, rk_store *st, const rk_link_run_info *info,
                        const char *config_path)
{
    link_setup *s = j->s;
    int rc = link_setup_make(s, st, config_path, false);
    if (rc != RK_OK)
        return rc;
    s->opts.threshold = info->threshold;
    s->opts.seed = (uint64_t)info->seed;
    if (s->opts.review_high < s->opts.threshold)
        s->opts.review_high = s->opts.threshold;
    rk_buf json;
    rk_buf_init(&json);
    if (link_setup_to_json(s, &json) != RK_OK)
        rc = rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
    else if (strcmp(rk_buf_cstr(&json), info->config_json) != 0)
        rc = rk_error_set(j->ctx, RK_EINPUT,
                          "%s: link run %lld was made with %s set-up than %s; give the "
                          "configuration file the run used with --config FILE",
                          rk_store_path(st), (long long)info->run_id,
                          config_path ? "another" : "a configuration file or another",
                          config_path ? config_path : "the defaults");
    rk_buf_release(&json);
    return rc;
}

/* The run's scoring model from its record: m, u and the random pairs' u of every level, and
 * the priors. */
static int model_of_run(judge *j, const rk_link_run_info *info)
{
    const link_setup *s = j->s;
    rk_link_model *m = j->model;
    size_t at = 0;
    m->ncompare = s->ncompare;
    for (size_t c = 0; c < s->ncompare; c++) {
        const char *name = s->fields[s->compare[c].field].name;
        m->nlevels[c] = s->compare[c].nlevels + 1;
        for (size_t l = 0; l < m->nlevels[c]; l++, at++) {
            const rk_link_run_level *lv = at < info->nlevels ? &info->levels[at] : NULL;
            if (!lv || !lv->field || strcmp(lv->field, name) != 0 || !(lv->m > 0) || !(lv->u > 0) ||
                !(lv->u_random >= 0))
                return rk_error_set(j->ctx, RK_EINPUT,
                                    "link run %lld: its model does not hold level %zu of field "
                                    "'%s'; link again",
                                    (long long)info->run_id, l, name);
            m->m[c][l] = lv->m;
            m->u[c][l] = lv->u;
            m->u_sample[c][l] = lv->u_random;
            m->depends_on[c] = 0;
            m->lift[c] = 0;
            for (size_t d = 0; lv->depends_on && d < s->ncompare; d++)
                if (strcmp(s->fields[s->compare[d].field].name, lv->depends_on) == 0 &&
                    lv->lift > 1) {
                    m->depends_on[c] = (uint8_t)(d + 1);
                    m->lift[c] = lv->lift;
                }
        }
    }
    if (at != info->nlevels || !info->has_summary)
        return rk_error_set(j->ctx, RK_EINPUT,
                            "link run %lld: its model does not fit its set-up; link again",
                            (long long)info->run_id);
    m->lambda = info->lambda;
    m->lambda_within = info->lambda_within;
    m->lambda_across = info->lambda_across;
    return RK_OK;
}

static long record_index(const judge *j, int64_t id)
{
    const int64_t *ids = j->r.record_id;
    size_t lo = 0, hi = j->r.data.nrecords;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < j->r.data.nrecords && ids[lo] == id ? (long)lo : -1;
}

/* Persons and stored pairs of the run, as record indexes. */
static int read_run(judge *j, rk_store *st, int64_t run_id)
{
    size_t n = j->r.data.nrecords, cap = 0, cap2 = 0;
    sqlite3_stmt *q = NULL;
    int rc = RK_OK;
    j->person = rk_malloc((n + 1) * sizeof(int64_t));
    if (!j->person)
        return rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        j->person[i] = j->r.record_id[i];
    if ((rc = rk_store__prepare_int64(&q, st,
                                      "SELECT record_id, person_id FROM person WHERE run_id = ?",
                                      run_id, "cannot read persons")) != RK_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        long i = record_index(j, sqlite3_column_int64(q, 0));
        if (i >= 0)
            j->person[i] = sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    q = NULL;
    if (step != SQLITE_DONE)
        return rk_store__sqlerr(st, "cannot read persons");
    if ((rc = rk_store__prepare_int64(&q, st,
                                      "SELECT record_a, record_b, probability FROM pair WHERE"
                                      " run_id = ?",
                                      run_id, "cannot read pairs")) != RK_OK)
        return rc;
    /* Read as (key, probability) rows, then sorted by key. */
    typedef struct kp {
        uint64_t key;
        float prob;
    } kp;
    kp *v = NULL;
    size_t nv = 0;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        long a = record_index(j, sqlite3_column_int64(q, 0));
        long b = record_index(j, sqlite3_column_int64(q, 1));
        if (a < 0 || b < 0)
            continue;
        if (rk_grow((void **)&v, &cap, nv + 1, sizeof(*v)) != RK_OK) {
            rc = rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
            goto cleanup;
        }
        v[nv++] = (kp){pair_key((uint32_t)a, (uint32_t)b), (float)sqlite3_column_double(q, 2)};
    }
    if (step != SQLITE_DONE) {
        rc = rk_store__sqlerr(st, "cannot read pairs");
        goto cleanup;
    }
    if (nv > 1)
        qsort(v, nv, sizeof(*v), cmp_u64); /* the key is the first member */
    if (rk_grow((void **)&j->skey, &cap2, nv + 1, sizeof(uint64_t)) != RK_OK ||
        !(j->sprob = rk_malloc((nv + 1) * sizeof(float)))) {
        rc = rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < nv; i++) {
        j->skey[i] = v[i].key;
        j->sprob[i] = v[i].prob;
    }
    j->nstored = nv;
cleanup:
    sqlite3_finalize(q);
    rk_free(v);
    return rc;
}

/* The stored probability of a pair, or NAN when the run did not store it. */
static double stored_prob(const judge *j, uint32_t a, uint32_t b)
{
    uint64_t key = pair_key(a, b);
    const uint64_t *hit =
        j->nstored ? bsearch(&key, j->skey, j->nstored, sizeof(uint64_t), cmp_u64) : NULL;
    return hit ? (double)j->sprob[hit - j->skey] : NAN;
}

/* A reviewer's latest decision on a pair: 1 match, 0 non-match, -1 none. */
static int label_of(const judge *j, uint32_t a, uint32_t b)
{
    int got = -1;
    for (size_t k = 0; k < j->r.nlabels; k++) {
        const rk_link_label *l = &j->r.labels[k];
        if ((l->a == a && l->b == b) || (l->a == b && l->b == a))
            got = l->match ? 1 : 0;
    }
    return got;
}

/* The comparison vector and probability of a pair, as the run scores it. */
static double score(const judge *j, uint32_t a, uint32_t b, uint64_t *pattern)
{
    double tf_weight = 0;
    *pattern = link_compare(&j->r.data, &j->s->opts, a, b, (const float *const *)j->tf, j->model,
                            &tf_weight, NULL);
    link_weights w;
    link_weights_init(&w, j->model);
    return (float)link_pair_score(&w, tf_weight, *pattern, j->r.data.list[a] == j->r.data.list[b],
                                  NULL);
}

/* A record index with its group (person or entity), to sort records by group. */
typedef struct grouped {
    int64_t group;
    uint32_t i;
} grouped;

static int by_group(const void *x, const void *y)
{
    const grouped *p = x, *q = y;
    if (p->group != q->group)
        return p->group < q->group ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* The n record indexes sorted by their group. */
static void sort_by(uint32_t *out, grouped *tmp, const int64_t *group, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = (grouped){group[i], (uint32_t)i};
    qsort(tmp, n, sizeof(*tmp), by_group);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[i].i;
}

/* The records of person p: [*begin, *end) of j->members. */
static void person_range(const judge *j, int64_t p, size_t *begin, size_t *end)
{
    size_t n = j->r.data.nrecords, lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (j->person[j->members[mid]] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    *begin = lo;
    while (lo < n && j->person[j->members[lo]] == p)
        lo++;
    *end = lo;
}

/* Why clustering keeps the persons of a and b apart, though a and b scored at or above the
 * threshold: the checks of rk_link_cluster that hold between the two persons as they ended. */
static int kept_apart(const judge *j, uint32_t a, uint32_t b, rk_buf *out)
{
    const rk_link_options *o = &j->s->opts;
    size_t a0, a1, b0, b1;
    person_range(j, j->person[a], &a0, &a1);
    person_range(j, j->person[b], &b0, &b1);
    double sum = 0, low = 2, evidence = 0;
    uint32_t lx = 0, ly = 0;
    int rc = RK_OK;
    bool said = false;
    for (size_t x = a0; x < a1 && rc == RK_OK; x++)
        for (size_t y = b0; y < b1 && rc == RK_OK; y++) {
            uint32_t rx = j->members[x], ry = j->members[y];
            double p = stored_prob(j, rx, ry);
            sum += isnan(p) ? o->bridge_min_mean / 2 : p;
            evidence += isnan(p) ? 0 : link_evidence(p);
            if (!isnan(p) && p < low) {
                low = p;
                lx = rx, ly = ry;
            }
            if (label_of(j, rx, ry) == 0) {
                rc = rk_buf_printf(out, "%sa reviewer said %s and %s differ", said ? "; " : "",
                                   j->r.record_key[rx], j->r.record_key[ry]);
                said = true;
            }
            uint32_t lst = j->r.data.list[rx];
            if (j->unique && lst == j->r.data.list[ry] && j->unique[lst]) {
                rc = rk_buf_printf(out, "%slist %s, declared unique, holds %s and %s",
                                   said ? "; " : "", j->r.list_name[lst], j->r.record_key[rx],
                                   j->r.record_key[ry]);
                said = true;
            }
        }
    if (rc == RK_OK && low < o->cannot_link_prob && link_evidence_keeps_apart(evidence)) {
        rc = rk_buf_printf(out,
                           "%s%s ~ %s scored %.4f, below cannot_link %g, and the pairs between "
                           "the two persons sum to log-odds %.1f, below 0",
                           said ? "; " : "", j->r.record_key[lx], j->r.record_key[ly], low,
                           o->cannot_link_prob, evidence);
        said = true;
    }
    size_t npairs = (a1 - a0) * (b1 - b0);
    double mean = npairs ? sum / (double)npairs : 1;
    if (rc == RK_OK && npairs > 1 && mean < o->bridge_min_mean) {
        rc = rk_buf_printf(out,
                           "%sthe %zu pairs between the two persons have a mean probability "
                           "of %.3f, below bridge_min_mean %g",
                           said ? "; " : "", npairs, mean, o->bridge_min_mean);
        said = true;
    }
    if (rc == RK_OK && !said)
        rc = rk_buf_printf(out, "clustering refused a join between records of the two persons "
                                "before they were whole (no check holds between them now)");
    return rc;
}

/* How a and b came into one person: the shortest path between them over the links that join
 * (stored pairs at or above the threshold, reviewers' matches) within their person. */
static int chain(const judge *j, uint32_t a, uint32_t b, rk_buf *out)
{
    size_t p0, p1;
    person_range(j, j->person[a], &p0, &p1);
    size_t n = p1 - p0;
    long *from = rk_malloc((n + 1) * sizeof(long));
    size_t *queue = rk_malloc((n + 1) * sizeof(size_t));
    int rc = RK_OK;
    if (!from || !queue) {
        rc = rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    size_t start = 0, goal = 0, head = 0, tail = 0;
    for (size_t i = 0; i < n; i++) {
        from[i] = -2;
        if (j->members[p0 + i] == a)
            start = i;
        if (j->members[p0 + i] == b)
            goal = i;
    }
    from[start] = -1;
    queue[tail++] = start;
    while (head < tail && from[goal] == -2) {
        size_t x = queue[head++];
        for (size_t y = 0; y < n; y++) {
            if (from[y] != -2)
                continue;
            uint32_t rx = j->members[p0 + x], ry = j->members[p0 + y];
            double p = stored_prob(j, rx, ry);
            if ((!isnan(p) && p >= j->s->opts.threshold) || label_of(j, rx, ry) == 1) {
                from[y] = (long)x;
                queue[tail++] = y;
            }
        }
    }
    if (from[goal] == -2) {
        rc = rk_buf_puts(out, "joined with the rest of their person");
        goto cleanup;
    }
    /* The path from b back to a, written from a. */
    size_t len = 0;
    for (long x = (long)goal; x >= 0; x = from[x])
        queue[len++] = (size_t)x;
    rc = rk_buf_printf(out, "joined through");
    for (size_t k = len; k-- > 1 && rc == RK_OK;) {
        uint32_t rx = j->members[p0 + queue[k]], ry = j->members[p0 + queue[k - 1]];
        double p = stored_prob(j, rx, ry);
        rc = rk_buf_printf(out, "%s %s ~ %s (%s%.3f)", k == len - 1 ? "" : ",", j->r.record_key[rx],
                           j->r.record_key[ry],
                           label_of(j, rx, ry) == 1 ? "a reviewer's match, " : "", p);
    }
cleanup:
    rk_free(from);
    rk_free(queue);
    return rc;
}

/* Judges one pair: its vector, probability, whether and by which rule it was compared, and
 * why it is apart (missed) or together (false); the detail in words when `detail` is given. */
static int judge_pair(const judge *j, uint32_t a, uint32_t b, bool missed, rk_link_eval_pair *p,
                      rk_buf *detail, rk_link_eval_pairs *out)
{
    const rk_link_options *o = &j->s->opts;
    uint64_t pattern;
    p->missed = missed;
    p->probability = score(j, a, b, &pattern);
    for (size_t c = 0; c < o->ncompare; c++)
        p->level[c] = (uint8_t)pattern_level(pattern, c);
    p->rule = (int)link_blocks_rule(&j->blocks, &j->r.data, a, b);
    double sp = stored_prob(j, a, b);
    p->stored = !isnan(sp);
    if (p->stored) {
        out->stored_checked++;
        if (fabs(sp - p->probability) > 1e-5)
            out->stored_differ++;
    }
    int label = label_of(j, a, b);
    if (label == (missed ? 0 : 1))
        p->why = RK_PAIR_REVIEWER;
    else if (!missed)
        p->why = p->rule >= 0 && p->probability >= o->threshold ? RK_PAIR_JOINED : RK_PAIR_CHAIN;
    else if (p->rule < 0)
        p->why = RK_PAIR_NOT_COMPARED;
    else if (p->probability < o->threshold)
        p->why = RK_PAIR_BELOW;
    else
        p->why = RK_PAIR_KEPT_APART;
    if (!detail)
        return RK_OK;
    rk_buf_clear(detail);
    int rc = RK_OK;
    switch (p->why) {
    case RK_PAIR_REVIEWER:
        rc = rk_buf_printf(detail, "a reviewer said they %s", missed ? "differ" : "match");
        break;
    case RK_PAIR_NOT_COMPARED:
        rc = rk_buf_puts(detail,
                         j->r.data.list[a] == j->r.data.list[b] && !(o->mode & RK_LINK_WITHIN)
                             ? "never compared: the run links across lists only"
                         : j->r.data.list[a] != j->r.data.list[b] && !(o->mode & RK_LINK_ACROSS)
                             ? "never compared: the run links within lists only"
                             : "never compared: no blocking rule put them together");
        break;
    case RK_PAIR_BELOW:
        rc = rk_buf_printf(detail, "scored %.4f, below the threshold %g", p->probability,
                           o->threshold);
        break;
    case RK_PAIR_KEPT_APART:
        rc = rk_buf_printf(detail,
                           "scored %.4f, at or above the threshold, kept apart: ", p->probability);
        rc = rc ? rc : kept_apart(j, a, b, detail);
        break;
    case RK_PAIR_JOINED:
        rc = rk_buf_printf(detail, "scored %.4f, at or above the threshold %g", p->probability,
                           o->threshold);
        break;
    case RK_PAIR_CHAIN:
        rc = rk_buf_printf(detail, "%s %.4f; ",
                           p->rule < 0 ? "never compared, would score" : "scored", p->probability);
        rc = rc ? rc : chain(j, a, b, detail);
        break;
    case RK_PAIR_WHY_COUNT:
        break;
    }
    if (rc != RK_OK)
        return rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
    p->detail = rk_strdup(rk_buf_cstr(detail));
    return p->detail ? RK_OK : rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
}

/* The records of the listed pairs as imported. */
static int describe_records(rk_link_eval_pairs *out, rk_store *st)
{
    sqlite3_stmt *q = NULL;
    int rc = rk_store__prepare(
        &q, st,
        "SELECT l.name, r.record_key, r.row_number, r.line, coalesce(r.full_name,"
        " trim(coalesce(r.given_name, '') || ' ' || coalesce(r.family_name, '') || ' ' ||"
        " coalesce(r.second_family_name, '') || ' ' || coalesce(r.patronymic, ''))),"
        " coalesce(r.birth_date, CAST(r.birth_year AS TEXT), 'age ' || r.age, ''),"
        " coalesce(r.death_date, '') FROM record r JOIN list l ON l.id = r.list_id WHERE r.id = ?",
        "cannot read records");
    for (size_t i = 0; i < out->npairs && rc == RK_OK; i++)
        for (int k = 0; k < 2 && rc == RK_OK; k++) {
            rk_link_pair_record *r = &out->pairs[i].rec[k];
            sqlite3_reset(q);
            sqlite3_bind_int64(q, 1, r->id);
            if (sqlite3_step(q) != SQLITE_ROW) {
                rc = rk_store__sqlerr(st, "cannot read records");
                break;
            }
            const char *t[5] = {rk_store__text(q, 0), rk_store__text(q, 1), rk_store__text(q, 4),
                                rk_store__text(q, 5), rk_store__text(q, 6)};
            char **dst[5] = {&r->list, &r->key, &r->name, &r->birth, &r->death};
            for (int f = 0; f < 5; f++)
                if (!(*dst[f] = rk_strdup(t[f] ? t[f] : "")))
                    rc = rk_error_set(rk_store_ctx(st), RK_ENOMEM, "out of memory");
            r->row = sqlite3_column_int64(q, 2);
            r->line = sqlite3_column_int64(q, 3);
        }
    sqlite3_finalize(q);
    return rc;
}

/* Visits the pairs of one kind: missed (one entity, two persons; the records sorted by
 * entity) or false (one person, two entities; sorted by person). */
static int visit(judge *j, rk_link_eval_pairs *out, const rk_link_eval_pairs_options *opts,
                 bool missed, const uint32_t *order, rk_buf *detail)
{
    size_t n = j->r.data.nrecords, listed = 0, cap = out->npairs;
    bool list = missed ? opts->list_missed : opts->list_false;
    const int64_t *group = missed ? j->entity : j->person;
    const int64_t *other = missed ? j->person : j->entity;
    int rc = RK_OK;
    for (size_t i = 0; i < n && rc == RK_OK;) {
        size_t e = i;
        while (e < n && group[order[e]] == group[order[i]])
            e++;
        for (size_t x = i; x < e && rc == RK_OK; x++)
            for (size_t y = x + 1; y < e && rc == RK_OK; y++) {
                uint32_t a = RK_MIN(order[x], order[y]), b = RK_MAX(order[x], order[y]);
                if (other[a] == other[b])
                    continue;
                bool full = list && (opts->limit == 0 || listed < opts->limit);
                rk_link_eval_pair tmp, *p = &tmp;
                memset(&tmp, 0, sizeof(tmp));
                if (full) {
                    if (rk_grow((void **)&out->pairs, &cap, out->npairs + 1, sizeof(*p)) != RK_OK)
                        return rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
                    p = &out->pairs[out->npairs++];
                    memset(p, 0, sizeof(*p));
                    listed++;
                }
                rc = judge_pair(j, a, b, missed, p, full ? detail : NULL, out);
                p->rec[0].id = j->r.record_id[a];
                p->rec[1].id = j->r.record_id[b];
                p->person[0] = j->person[a];
                p->person[1] = j->person[b];
                if (missed) {
                    out->missed++;
                    out->missed_why[p->why]++;
                    for (size_t c = 0; c < out->nfields; c++)
                        out->missed_level[p->why][c][p->level[c] == RK_LINK_MISSING
                                                         ? RK_LINK_PAIR_MISSING_LEVEL
                                                         : p->level[c]]++;
                } else {
                    out->false_pairs++;
                    out->false_why[p->why]++;
                }
            }
        i = e;
    }
    return rc;
}

static int prepare(judge *j, rk_store *st, rk_link_eval_pairs *out,
                   const rk_link_eval_pairs_options *opts, const rk_link_run_info *info)
{
    link_setup *s = j->s;
    int rc = setup_of_run(j, st, info, opts->config_path);
    if (rc == RK_OK)
        rc = link_records_load(&j->r, st, s);
    if (rc != RK_OK)
        return rc;
    s->opts.rules = s->rules;
    s->opts.nrules = s->nrules;
    s->opts.compare = s->compare;
    s->opts.ncompare = s->ncompare;
    if ((rc = model_of_run(j, info)) != RK_OK ||
        (rc = link_tf_tables(j->ctx, j->tf, &j->r.data, &s->opts)) != RK_OK ||
        (rc = link_blocks_build(j->ctx, &j->blocks, NULL, &j->r.data, &s->opts, false, false)) !=
            RK_OK)
        return rc;
    size_t n = j->r.data.nrecords;
    if (s->unique_lists[0] && j->r.nlists) {
        if (!(j->unique = rk_calloc(j->r.nlists, sizeof(bool))))
            return rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
        for (size_t l = 0; l < j->r.nlists; l++)
            j->unique[l] = link_names_hold(s->unique_lists, j->r.list_name[l]);
    }
    out->nfields = s->ncompare;
    for (size_t c = 0; c < s->ncompare; c++) {
        snprintf(out->field[c], sizeof(out->field[c]), "%s", s->fields[s->compare[c].field].name);
        out->nlevels[c] = s->compare[c].nlevels + 1;
        for (size_t l = 0; l < out->nlevels[c]; l++)
            snprintf(out->level[c][l], sizeof(out->level[c][l]), "%s",
                     l < s->compare[c].nlevels ? s->compare[c].levels[l].label : "else");
    }
    out->nrules = s->nrules;
    for (size_t q = 0; q < s->nrules; q++)
        snprintf(out->rule[q], sizeof(out->rule[q]), "%s", s->rule_names[q]);
    j->members = rk_malloc((n + 1) * sizeof(uint32_t));
    j->entity = rk_malloc((n + 1) * sizeof(int64_t));
    if (!j->members || !j->entity)
        return rk_error_set(j->ctx, RK_ENOMEM, "out of memory");
    return read_run(j, st, info->run_id);
}

int rk_link_evaluate_pairs(rk_link_eval_pairs *out, rk_store *st,
                           const rk_link_eval_pairs_options *opts)
{
    rk_ctx *ctx = st ? rk_store_ctx(st) : NULL;
    RK_ASSERT_ARG(ctx, out && opts && opts->truth_path &&
                           opts->version == RK_LINK_EVAL_PAIRS_OPTIONS_VERSION);
    memset(out, 0, sizeof(*out));
    double t0 = now_s();
    judge j = {.ctx = ctx};
    rk_link_run_info info;
    memset(&info, 0, sizeof(info));
    link_truth_entry *truth = NULL;
    size_t ntruth = 0;
    uint32_t *order = NULL;
    grouped *tmp = NULL;
    rk_buf detail;
    rk_buf_init(&detail);
    rk_link_documented doc;
    int64_t run_id;
    int rc = rk_link_latest_run(&run_id, st);
    if (rc == RK_OK && (rc = rk_link_documented_count(&doc, st)) == RK_OK &&
        rk_link_persons_stale(&doc))
        rc = rk_error_set(ctx, RK_EINPUT,
                          "%s: records were imported or superseded after link run %lld; run "
                          "'reckon link %s' before listing its pairs",
                          rk_store_path(st), (long long)run_id, rk_store_path(st));
    if (rc != RK_OK || (rc = rk_link_run_info_read(&info, st, run_id)) != RK_OK)
        goto cleanup;
    out->run_id = run_id;
    out->threshold = info.threshold;
    j.s = rk_calloc(1, sizeof(*j.s));
    j.model = rk_calloc(1, sizeof(*j.model));
    if (!j.s || !j.model) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = link_truth_read(&truth, &ntruth, ctx, opts->truth_path, opts->key_col,
                              opts->entity_col)) != RK_OK ||
        (rc = prepare(&j, st, out, opts, &info)) != RK_OK)
        goto cleanup;
    size_t n = j.r.data.nrecords;
    for (size_t i = 0; i < n; i++) {
        const link_truth_entry *hit = link_truth_find(truth, ntruth, j.r.record_key[i]);
        j.entity[i] = hit ? hit->entity : -1 - (int64_t)i; /* not named: a person of its own */
    }
    order = rk_malloc((n + 1) * sizeof(uint32_t));
    tmp = rk_malloc((n + 1) * sizeof(grouped));
    if (!order || !tmp) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory");
        goto cleanup;
    }
    sort_by(j.members, tmp, j.person, n);
    sort_by(order, tmp, j.entity, n);
    if ((rc = visit(&j, out, opts, true, order, &detail)) != RK_OK ||
        (rc = visit(&j, out, opts, false, j.members, &detail)) != RK_OK ||
        (rc = describe_records(out, st)) != RK_OK)
        goto cleanup;
    out->seconds = now_s() - t0;
cleanup:
    if (rc != RK_OK)
        rk_link_eval_pairs_release(out);
    rk_buf_release(&detail);
    rk_link_run_info_release(&info);
    link_truth_free(truth, ntruth);
    link_records_release(&j.r);
    link_blocks_free(&j.blocks);
    for (size_t c = 0; c <= RK_LINK_MAX_FIELDS; c++)
        rk_free(j.tf[c]);
    rk_free(j.unique);
    rk_free(j.entity);
    rk_free(j.person);
    rk_free(j.members);
    rk_free(j.skey);
    rk_free(j.sprob);
    rk_free(j.model);
    rk_free(j.s);
    rk_free(order);
    rk_free(tmp);
    return rc;
}

void rk_link_eval_pairs_release(rk_link_eval_pairs *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->npairs; i++) {
        for (int k = 0; k < 2; k++) {
            rk_link_pair_record *r = &p->pairs[i].rec[k];
            rk_free(r->list);
            rk_free(r->key);
            rk_free(r->name);
            rk_free(r->birth);
            rk_free(r->death);
        }
        rk_free(p->pairs[i].detail);
    }
    rk_free(p->pairs);
    memset(p, 0, sizeof(*p));
}
