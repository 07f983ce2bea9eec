/* Comparison of two records: for each compared field, the first of its ordered levels that
 * some pair of keys satisfies, packed 4 bits a field into a pattern (the comparison vector).
 * Also the term-frequency tables behind the adjustment for rare exact names. */
#include "link_private.h"
#include "mpi.h"

/* The kinds of comparison level. Adding one: its value in rk_link_cmp (include/reckon/link.h),
 * its row here, and its test: a case of level_match for a STRING kind, of date_level_match for
 * a DATE kind (docs/linkage.md, "Adding a comparison level"). */
const link_level_kind link_level_kinds[RK_CMP_COUNT] = {
    [RK_CMP_EXACT] = {"exact", RK_LINK_STRING, .configurable = true},
    [RK_CMP_JW] = {"jw", RK_LINK_STRING, .configurable = true, .number = true},
    [RK_CMP_OSA] = {"edit", RK_LINK_STRING, .configurable = true, .number = true},
    [RK_CMP_TOKENSET] = {"tokens", RK_LINK_STRING, .configurable = true, .number = true},
    [RK_CMP_CALLBACK] = {"callback", RK_LINK_STRING},
    [RK_CMP_CROSS] = {"cross", RK_LINK_STRING},
    [RK_CMP_DATE] = {"date", RK_LINK_DATE, .configurable = true, .number = true},
};

static bool level_match(const rk_link_level *lv, const char *x, size_t nx, const char *y, size_t ny,
                        const rk_link_options *opts)
{
    switch (lv->cmp) {
    case RK_CMP_EXACT:
        return nx == ny && memcmp(x, y, nx) == 0;
    case RK_CMP_JW:
        return link_jw_floor(x, nx, y, ny, lv->threshold) >= lv->threshold;
    case RK_CMP_OSA: {
        int maxd = (int)lv->threshold;
        return rk_link_osa(x, nx, y, ny, maxd) <= maxd;
    }
    case RK_CMP_TOKENSET:
        return rk_link_token_set(x, nx, y, ny, lv->threshold);
    case RK_CMP_CALLBACK:
        return opts && opts->callback && opts->callback(opts->callback_user, x, y);
    case RK_CMP_CROSS: /* compare_strings tests it on whole records */
    case RK_CMP_DATE:
    case RK_CMP_COUNT:
        return false;
    }
    return false;
}

/* Whether two dates `gap` days apart, the wider of them `width` days wide, hold at a level. */
static bool date_level_match(const rk_link_level *lv, int64_t gap, int64_t width)
{
    switch (lv->cmp) {
    case RK_CMP_DATE:
        return (double)gap <= lv->threshold && width <= lv->max_width;
    default: /* a kind of STRING level: never holds on a date field */
        return false;
    }
}

/* The best Jaro-Winkler similarity between the keys of a tag of records a and b when it is
 * floor or more, else a value below floor. */
static double best_jw(const rk_link_column *col, uint8_t tag, double floor, uint32_t a0,
                      uint32_t a1, uint32_t b0, uint32_t b1)
{
    double best = 0;
    for (uint32_t i = a0; i < a1; i++) {
        if (col->key_tag[i] != tag)
            continue;
        const char *x = col_key(col, i);
        size_t nx = col_key_len(col, i);
        for (uint32_t j = b0; j < b1; j++) {
            if (col->key_tag[j] != tag)
                continue;
            double s = link_jw_floor(x, nx, col_key(col, j), col_key_len(col, j), floor);
            if (s > best) {
                best = s;
                if (best >= 1.0)
                    return best;
            }
        }
    }
    return best;
}

/* Whether a key of tag `ta` among a's keys [a0, a1) equals a key of tag `tb` among b's. */
static bool cross_match(const rk_link_column *col, uint8_t ta, uint8_t tb, uint32_t a0, uint32_t a1,
                        uint32_t b0, uint32_t b1)
{
    for (uint32_t i = a0; i < a1; i++) {
        if (col->key_tag[i] != ta)
            continue;
        size_t nx = col_key_len(col, i);
        for (uint32_t j = b0; j < b1; j++)
            if (col->key_tag[j] == tb && col_key_len(col, j) == nx &&
                memcmp(col_key(col, i), col_key(col, j), nx) == 0)
                return true;
    }
    return false;
}

/* The tags (below 64) of keys [k0, k1) of a column as bits; bit 63 also for any higher tag. */
static uint64_t tags_of(const rk_link_column *col, uint32_t k0, uint32_t k1)
{
    uint64_t m = 0;
    for (uint32_t k = k0; k < k1; k++)
        m |= (uint64_t)1 << RK_MIN(col->key_tag[k], 63);
    return m;
}

/* Whether the tag bits `m` may hold tag t (always for a tag of 63 or more). */
static inline bool may_hold(uint64_t m, uint8_t t)
{
    return (m >> RK_MIN(t, 63) & 1) != 0;
}

/* The lowest threshold of the Jaro-Winkler levels of tag `tag`: below it, the exact best
 * similarity of that tag decides no level. */
static double jw_floor_of(const rk_link_compare *cmp, uint8_t tag)
{
    double floor = HUGE_VAL;
    for (size_t l = 0; l < cmp->nlevels; l++)
        if (cmp->levels[l].cmp == RK_CMP_JW && cmp->levels[l].tag == tag)
            floor = RK_MIN(floor, cmp->levels[l].threshold);
    return floor;
}

/* Level of a STRING field; *matched_key gets a's key that agreed at level 0. The best
 * Jaro-Winkler similarity of a tag is computed once for all the levels that use it (exactly
 * only when it reaches one of them). A level of a tag that one side lacks is passed over:
 * no pair of keys could satisfy it. */
static int compare_strings(const rk_link_column *col, const rk_link_compare *cmp,
                           const rk_link_options *opts, uint32_t a, uint32_t b,
                           uint32_t *matched_key)
{
    uint32_t a0 = col->key_start[a], a1 = col->key_start[a + 1];
    uint32_t b0 = col->key_start[b], b1 = col->key_start[b + 1];
    if (a0 == a1 || b0 == b1)
        return RK_LINK_MISSING;
    uint64_t ta = tags_of(col, a0, a1), tb = tags_of(col, b0, b1);
    double jw[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
    for (size_t l = 0; l < cmp->nlevels; l++) {
        const rk_link_level *lv = &cmp->levels[l];
        if (lv->cmp == RK_CMP_CROSS) {
            if ((may_hold(ta, lv->tag) && may_hold(tb, lv->tag2) &&
                 cross_match(col, lv->tag, lv->tag2, a0, a1, b0, b1)) ||
                (may_hold(tb, lv->tag) && may_hold(ta, lv->tag2) &&
                 cross_match(col, lv->tag, lv->tag2, b0, b1, a0, a1)))
                return (int)l;
            continue;
        }
        bool both = may_hold(ta, lv->tag) && may_hold(tb, lv->tag);
        if (lv->cmp == RK_CMP_JW && lv->tag < RK_ARRAY_LEN(jw)) {
            if (jw[lv->tag] < 0) /* 0 without a pair of keys, as best_jw says then */
                jw[lv->tag] =
                    both ? best_jw(col, lv->tag, jw_floor_of(cmp, lv->tag), a0, a1, b0, b1) : 0;
            if (jw[lv->tag] >= lv->threshold)
                return (int)l;
            continue;
        }
        if (!both)
            continue;
        for (uint32_t i = a0; i < a1; i++) {
            if (col->key_tag[i] != lv->tag)
                continue;
            const char *x = col_key(col, i);
            size_t nx = col_key_len(col, i);
            for (uint32_t j = b0; j < b1; j++) {
                if (col->key_tag[j] != lv->tag)
                    continue;
                if (level_match(lv, x, nx, col_key(col, j), col_key_len(col, j), opts)) {
                    *matched_key = i;
                    return (int)l;
                }
            }
        }
    }
    return (int)cmp->nlevels;
}

static int compare_dates(const rk_link_column *col, const rk_link_compare *cmp, uint32_t a,
                         uint32_t b)
{
    rk_link_date x = col->dates[a], y = col->dates[b];
    if (x.lo > x.hi || y.lo > y.hi)
        return RK_LINK_MISSING;
    int64_t gap = (int64_t)RK_MAX(x.lo, y.lo) - (int64_t)RK_MIN(x.hi, y.hi);
    if (gap < 0)
        gap = 0;
    int64_t width = RK_MAX((int64_t)x.hi - x.lo, (int64_t)y.hi - y.lo);
    for (size_t l = 0; l < cmp->nlevels; l++) {
        if (date_level_match(&cmp->levels[l], gap, width))
            return (int)l;
    }
    return (int)cmp->nlevels;
}

/* The memo's slot of compare c's key sets x and y. */
static inline size_t memo_slot(size_t c, uint32_t x, uint32_t y, uint64_t *rest)
{
    uint64_t k = (uint64_t)c << 60 | (uint64_t)x << 30 | y;
    uint64_t h = k * 0x9e3779b97f4a7c15ULL; /* odd: one h for each k */
    *rest = h & (((uint64_t)1 << (64 - LINK_LEVEL_MEMO_BITS)) - 1);
    return (size_t)(h >> (64 - LINK_LEVEL_MEMO_BITS));
}

/* A slot holds h's low 64 - LINK_LEVEL_MEMO_BITS bits from bit 10 up, below the full mark. */
_Static_assert(LINK_LEVEL_MEMO_BITS >= 11 && LINK_LEVEL_MEMO_BITS < 64, "memo slot layout");

/* The level of compare c for records a and b, and a's key that agreed at level 0: from the
 * memo when both records' key sets have numbers and the memo holds them (a key set's level
 * with another depends on the keys alone), else compared (and remembered). */
static int field_level(const rk_link_data *data, const rk_link_options *opts, size_t c, uint32_t a,
                       uint32_t b, uint32_t *key, link_level_memo *memo)
{
    const rk_link_compare *cmp = &opts->compare[c];
    const rk_link_column *col = &data->fields[cmp->field];
    if (col->type != RK_LINK_STRING)
        return compare_dates(col, cmp, a, b);
    const uint32_t *set = memo ? memo->sets->id[c] : NULL;
    if (!set || set[a] == LINK_KEYSET_NONE || set[b] == LINK_KEYSET_NONE)
        return compare_strings(col, cmp, opts, a, b, key);
    uint64_t rest;
    size_t slot = memo_slot(c, set[a], set[b], &rest);
    uint64_t m = memo->slot[slot];
    if (m >> 63 && (m >> 10 & (((uint64_t)1 << (64 - LINK_LEVEL_MEMO_BITS)) - 1)) == rest) {
        int level = (int)(m & 15);
        if (level == 0) /* a's key is read only when it agreed (a record less to fetch) */
            *key = col->key_start[a] + (uint32_t)(m >> 4 & 63);
        return level;
    }
    int level = compare_strings(col, cmp, opts, a, b, key);
    uint64_t offset = level == 0 ? *key - col->key_start[a] : 0;
    memo->slot[slot] = (uint64_t)1 << 63 | rest << 10 | offset << 4 | (uint64_t)level;
    return level;
}

uint64_t link_compare(const rk_link_data *data, const rk_link_options *opts, uint32_t a, uint32_t b,
                      const float *const *tf, const rk_link_model *model, double *tf_weight,
                      link_level_memo *memo)
{
    uint64_t pattern = 0;
    double adj = 0;
    /* The first two tf-adjusted compares agreeing at level 0 are adjusted together. */
    size_t joint[2], nj = 0;
    double joint_u = 1, joint_adj = 0;
    for (size_t c = 0; c < opts->ncompare; c++) {
        uint32_t key = 0;
        int level = field_level(data, opts, c, a, b, &key, memo);
        if (level == 0 && tf && tf[c] && model) {
            double share = tf[c][key];
            double u0 = model->u_sample[c][0];
            if (share > 0 && u0 > 0) {
                adj += log2(u0 / share);
                if (nj < 2) {
                    joint[nj++] = c;
                    joint_u *= u0;
                    joint_adj += log2(u0 / share);
                }
            }
        }
        pattern |= (uint64_t)level << (4 * c);
    }
    if (nj == 2 && tf[LINK_TF_JOINT] && tf[LINK_TF_JOINT][a] > 0) {
        /* Replace the two separate adjustments by the one of the names together; only when
           the first two tf compares are the two that agreed (the joint table is theirs). */
        size_t f0 = SIZE_MAX, f1 = SIZE_MAX;
        for (size_t c = 0; c < opts->ncompare; c++)
            if (tf[c]) {
                if (f0 == SIZE_MAX)
                    f0 = c;
                else if (f1 == SIZE_MAX)
                    f1 = c;
            }
        /* Only ever weaker than the names' separate adjustments (names go together). */
        double together = log2(joint_u / tf[LINK_TF_JOINT][a]);
        if (joint[0] == f0 && joint[1] == f1 && together < joint_adj)
            adj += together - joint_adj;
    }
    if (tf_weight)
        *tf_weight = adj;
    return pattern;
}

/* Sorts key hashes with their key index, to count equal keys. */
typedef struct hk {
    uint64_t h;
    uint32_t k;
} hk;

/* The level-0 key of record i in a tf-adjusted compare, or UINT32_MAX. */
static uint32_t tf_key(const rk_link_column *col, uint8_t tag, size_t i)
{
    for (uint32_t k = col->key_start[i]; k < col->key_start[i + 1]; k++)
        if (col->key_tag[k] == tag)
            return k;
    return UINT32_MAX;
}

/* Given and family names are not independent (a culture's given names go with its family
 * names): the share of records holding both of a record's names, not the product of the
 * shares, says how rare the agreement on both is. */
static int tf_joint(rk_ctx *ctx, float **out, const rk_link_data *data, const rk_link_options *opts,
                    size_t c1, size_t c2)
{
    const rk_link_column *x = &data->fields[opts->compare[c1].field];
    const rk_link_column *y = &data->fields[opts->compare[c2].field];
    uint8_t tx = opts->compare[c1].levels[0].tag, ty = opts->compare[c2].levels[0].tag;
    float *share = rk_calloc(data->nrecords + 1, sizeof(float));
    hk *v = rk_malloc((data->nrecords + 1) * sizeof(*v));
    if (!share || !v) {
        rk_free(share);
        rk_free(v);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory counting name frequencies");
    }
    size_t n = 0;
    for (size_t i = 0; i < data->nrecords; i++) {
        uint32_t kx = tf_key(x, tx, i), ky = tf_key(y, ty, i);
        if (kx == UINT32_MAX || ky == UINT32_MAX)
            continue;
        uint64_t h = rk_hash64(col_key(x, kx), col_key_len(x, kx), 0x7466);
        h = rk_hash64(col_key(y, ky), col_key_len(y, ky), h);
        v[n++] = (hk){h, (uint32_t)i};
    }
    /* v is in record order: sorted by hash, each hash's records stay in order */
    uint32_t *seen =
        rk_sort_by_u64(v, n, sizeof(*v)) ? rk_calloc(data->nlists + 1, sizeof(uint32_t)) : NULL;
    if (!seen) {
        rk_free(share);
        rk_free(v);
        return rk_error_set(ctx, RK_ENOMEM, "out of memory counting name frequencies");
    }
    uint32_t mark = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i, lists = 0;
        mark++;
        for (; j < n && v[j].h == v[i].h; j++)
            if (seen[data->list[v[j].k]] != mark) {
                seen[data->list[v[j].k]] = mark;
                lists++;
            }
        /* A person is named by up to one record of each list: the records of the names
           beyond one per list are other people's, the count that says how common the names
           are (0: no other holder is known, and the shares of each name decide). */
        for (size_t t = i; t < j; t++)
            share[v[t].k] = (float)((double)(j - i - lists) / (double)n);
        i = j;
    }
    rk_free(seen);
    rk_free(v);
    *out = share;
    return RK_OK;
}

int link_tf_tables(rk_ctx *ctx, float *tf[RK_LINK_MAX_FIELDS + 1], const rk_link_data *data,
                   const rk_link_options *opts)
{
    int rc = RK_OK;
    hk *v = NULL;
    tf[LINK_TF_JOINT] = NULL;
    for (size_t c = 0; c < opts->ncompare; c++) {
        tf[c] = NULL;
        const rk_link_compare *cmp = &opts->compare[c];
        const rk_link_column *col = &data->fields[cmp->field];
        if (!cmp->tf_adjust || col->type != RK_LINK_STRING || cmp->nlevels == 0 ||
            cmp->levels[0].cmp != RK_CMP_EXACT || col->nkeys == 0)
            continue;
        uint8_t tag = cmp->levels[0].tag;
        tf[c] = rk_calloc(col->nkeys, sizeof(float));
        v = rk_malloc(col->nkeys * sizeof(*v));
        if (!tf[c] || !v) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory counting name frequencies");
            goto cleanup;
        }
        size_t n = 0, holders = 0;
        for (size_t i = 0; i < data->nrecords; i++) {
            bool has = false;
            for (uint32_t k = col->key_start[i]; k < col->key_start[i + 1]; k++) {
                if (col->key_tag[k] != tag)
                    continue;
                const char *s = col_key(col, k);
                v[n++] = (hk){rk_hash64(s, strlen(s), 0x7466), k};
                has = true;
            }
            holders += has;
        }
        if (!rk_sort_by_u64(v, n, sizeof(*v))) { /* each hash's keys stay in key order */
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory counting name frequencies");
            goto cleanup;
        }
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && v[j].h == v[i].h)
                j++;
            float share = holders ? (float)((double)(j - i) / (double)holders) : 0.0f;
            for (size_t t = i; t < j; t++)
                tf[c][v[t].k] = share;
            i = j;
        }
        rk_free(v);
        v = NULL;
    }
    size_t first[2], nf = 0;
    for (size_t c = 0; c < opts->ncompare && nf < 2; c++)
        if (tf[c])
            first[nf++] = c;
    if (nf == 2)
        rc = tf_joint(ctx, &tf[LINK_TF_JOINT], data, opts, first[0], first[1]);
cleanup:
    rk_free(v);
    return rc;
}

void link_keysets_free(link_keysets *k)
{
    for (size_t c = 0; c < RK_LINK_MAX_FIELDS; c++)
        rk_free(k->id[c]);
    memset(k, 0, sizeof(*k));
}

/* Whether records x and y hold the same keys (tags and texts, in order) in column col. */
static bool same_keys(const rk_link_column *col, uint32_t x, uint32_t y)
{
    uint32_t x0 = col->key_start[x], x1 = col->key_start[x + 1];
    uint32_t y0 = col->key_start[y], y1 = col->key_start[y + 1];
    if (x1 - x0 != y1 - y0)
        return false;
    for (uint32_t i = 0; i < x1 - x0; i++)
        if (col->key_tag[x0 + i] != col->key_tag[y0 + i] ||
            col_key_len(col, x0 + i) != col_key_len(col, y0 + i) ||
            memcmp(col_key(col, x0 + i), col_key(col, y0 + i), col_key_len(col, x0 + i)) != 0)
            return false;
    return true;
}

int link_keysets_build(rk_ctx *ctx, link_keysets *out, const rk_link_data *data,
                       const rk_link_options *opts, bool shared)
{
    memset(out, 0, sizeof(*out));
    hk *v = rk_malloc((data->nrecords + 1) * sizeof(hk));
    if (!v)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory comparing pairs");
    int rc = RK_OK;
    size_t shared_fields = 0;
    for (size_t c = 0; c < opts->ncompare && rc == RK_OK; c++) {
        const rk_link_compare *cmp = &opts->compare[c];
        const rk_link_column *col = &data->fields[cmp->field];
        bool pure = col->type == RK_LINK_STRING; /* a caller's test may not be a function */
        bool costly = false; /* exact levels alone cost less than a look-up in the memo */
        for (size_t l = 0; l < cmp->nlevels; l++) {
            pure = pure && cmp->levels[l].cmp != RK_CMP_CALLBACK;
            costly = costly || cmp->levels[l].cmp != RK_CMP_EXACT;
        }
        if (!pure || !costly)
            continue;
        uint32_t *id = rk_malloc((data->nrecords + 1) * sizeof(uint32_t));
        if (!id) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory comparing pairs");
            break;
        }
        out->id[c] = id;
        /* at the ranks of an MPI run, the fields go to the ranks in turn (mpi.h) */
        if (!link_mpi_mine(shared_fields++, shared))
            continue;
        size_t n = 0;
        for (uint32_t i = 0; i < data->nrecords; i++) {
            if ((i & 0xfffff) == 0) /* per field: 12 s for all at ten million records */
                rk_progress(ctx, "grouping names records", i, data->nrecords);
            uint32_t k0 = col->key_start[i], k1 = col->key_start[i + 1];
            id[i] = LINK_KEYSET_NONE;
            if (k0 == k1 || k1 - k0 > 64)
                continue; /* missing (no level to remember), or too many keys for an offset */
            uint64_t h = 0x6b73;
            for (uint32_t k = k0; k < k1; k++) {
                h = rk_hash64(&col->key_tag[k], 1, h);
                h = rk_hash64(col_key(col, k), col_key_len(col, k), h);
            }
            v[n++] = (hk){h, i};
        }
        if (!rk_sort_by_u64(v, n, sizeof(hk))) { /* each hash's records stay in order */
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory comparing pairs");
            break;
        }
        uint32_t next = 0;
        for (size_t i = 0; i < n && next < LINK_KEYSET_NONE; i++) {
            if (i > 0 && v[i].h == v[i - 1].h && same_keys(col, v[i - 1].k, v[i].k))
                id[v[i].k] = id[v[i - 1].k];
            else /* a new set (or one whose hash another set shares) */
                id[v[i].k] = next++;
        }
    }
    rk_progress(ctx, "grouping names records", data->nrecords, data->nrecords);
    rk_free(v);
    /* each field's sets from the rank that grouped them, to every other */
    rc = link_mpi_any_failed(ctx, shared, rc);
    for (size_t c = 0, k = 0; c < opts->ncompare && rc == RK_OK; c++)
        if (out->id[c])
            rc =
                link_mpi_send_mine(ctx, out->id[c], data->nrecords * sizeof(uint32_t), k++, shared);
    if (rc != RK_OK)
        link_keysets_free(out);
    return rc;
}
