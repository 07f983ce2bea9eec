/* Blocking: each rule puts records whose keys agree on all of its parts into one block; the
 * candidate pairs are the union over rules, each pair compared once (in the first rule, and
 * the smallest shared block, that holds it). Oversized blocks are split by the rule's extra
 * key or skipped with a warning that names them; nothing is truncated silently. */
#include "mpi.h"

#include <omp.h>

#define MAX_COMBOS   128
#define MAX_WARNINGS 50
/* The progress stage of a rule's keys put into blocks, after its records are keyed (16 s for
 * a rule of one-letter-off keys at ten million records). */
#define GROUPING "grouping keys"

static int entry_cmp(const void *x, const void *y)
{
    const link_block_entry *p = x, *q = y;
    if (p->h != q->h)
        return p->h < q->h ? -1 : 1;
    if (p->rec != q->rec)
        return p->rec < q->rec ? -1 : 1;
    return (p->combo > q->combo) - (p->combo < q->combo);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

/* Day of the month of day number d in year y, month m. */
static int day_of(int32_t d, int32_t y, int32_t m)
{
    return (int)(d - rk_link_days(y, m, 1)) + 1;
}

/* Appends to hashes[0..n) the hashes of key s with one character (UTF-8 sequence) left out,
 * each once: two keys one letter apart share one of them or one is the other (a letter
 * changed: the same letter left out of both; added or dropped: the longer without it). Keys
 * of fewer than three characters get none (too many names would share them). */
static size_t one_off_keys(const char *s, size_t len, uint64_t *hashes, const char **texts,
                           size_t n, size_t cap)
{
    char buf[128];
    size_t chars = 0;
    for (size_t j = 0; j < len; j++)
        chars += ((unsigned char)s[j] & 0xC0) != 0x80;
    if (chars < 3 || len >= sizeof(buf))
        return n;
    size_t first = n;
    for (size_t at = 0; at < len && n < cap;) {
        size_t next = at + 1;
        while (next < len && ((unsigned char)s[next] & 0xC0) == 0x80)
            next++;
        memcpy(buf, s, at);
        memcpy(buf + at, s + next, len - next);
        uint64_t h = rk_hash64(buf, len - (next - at), 0x626c6b);
        bool seen = false;
        for (size_t q = first; q < n && !seen; q++)
            seen = hashes[q] == h;
        if (!seen) { /* a doubled letter left out gives one key */
            hashes[n] = h;
            texts[n] = s; /* a block's name shows the key it came from */
            n++;
        }
        at = next;
    }
    return n;
}

/* The block keys of one part for record i: hashes and (for names of blocks) texts. */
static size_t part_keys(const rk_link_data *d, const rk_link_block_part *p, uint32_t i,
                        uint64_t *hashes, const char **texts, size_t cap, char *datebuf)
{
    const rk_link_column *col = &d->fields[p->field];
    size_t n = 0;
    if (col->type == RK_LINK_STRING) {
        for (uint32_t k = col->key_start[i]; k < col->key_start[i + 1] && n < cap; k++) {
            if (col->key_tag[k] != p->tag)
                continue;
            const char *s = col_key(col, k);
            size_t len = strlen(s);
            hashes[n] = rk_hash64(s, len, 0x626c6b);
            texts[n] = s;
            n++;
            if (p->one_off)
                n = one_off_keys(s, len, hashes, texts, n, cap);
        }
        return n;
    }
    rk_link_date dt = col->dates[i];
    if (dt.lo > dt.hi)
        return 0;
    /* Civil year and month of lo. */
    int32_t z = dt.lo + 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    int32_t m = mp < 10 ? mp + 3 : mp - 9;
    int32_t y = yoe + era * 400 + (m <= 2);
    if (p->date_unit == 3) {
        if (dt.hi != dt.lo)
            return 0;
        hashes[0] = (uint64_t)(uint32_t)dt.lo * 16 + 3;
        snprintf(datebuf, 24, "%04d-%02d-%02d", (int)(y % 10000), (int)(m % 100),
                 day_of(dt.lo, y, m) % 100);
    } else if (p->date_unit == 2) {
        if (dt.hi >= rk_link_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1))
            return 0;
        hashes[0] = (uint64_t)y * 16 + (uint64_t)m;
        snprintf(datebuf, 24, "%04d-%02d", y, m);
    } else {
        /* A range over two years (an age at a date) is in the blocks of both. */
        if (dt.hi >= rk_link_days(y + 2, 1, 1) || cap < 2)
            return 0;
        hashes[0] = (uint64_t)y * 16;
        snprintf(datebuf, 24, "%04d", y);
        texts[0] = datebuf;
        if (dt.hi >= rk_link_days(y + 1, 1, 1)) {
            hashes[1] = (uint64_t)(y + 1) * 16;
            texts[1] = datebuf;
            return 2;
        }
        return 1;
    }
    texts[0] = datebuf;
    return 1;
}

/* Appends the entries of rule r for record i (the product of its parts' keys). */
static int rule_entries(const rk_link_data *d, const rk_link_rule *rule, uint32_t i,
                        link_block_entry **v, size_t *n, size_t *cap)
{
    uint64_t hs[4][MAX_COMBOS];
    const char *ts[4][MAX_COMBOS];
    char db[4][24];
    size_t cnt[4];
    size_t total = 1;
    for (size_t p = 0; p < rule->nparts; p++) {
        cnt[p] = part_keys(d, &rule->parts[p], i, hs[p], ts[p], MAX_COMBOS, db[p]);
        total *= cnt[p];
        if (total == 0)
            return RK_OK;
    }
    if (total > MAX_COMBOS)
        total = MAX_COMBOS;
    if (rk_grow((void **)v, cap, *n + total, sizeof(link_block_entry)) != RK_OK)
        return RK_ENOMEM;
    for (size_t c = 0; c < total; c++) {
        uint64_t h = 0x6b6579;
        size_t rem = c;
        for (size_t p = 0; p < rule->nparts; p++) {
            h = mix(h, hs[p][rem % cnt[p]] + p);
            rem /= cnt[p];
        }
        (*v)[(*n)++] = (link_block_entry){h, i, (uint16_t)c, 0};
    }
    return RK_OK;
}

/* A readable name of a block: the key texts of its first entry. */
static void block_name(char *out, size_t cap, const rk_link_data *d, const rk_link_rule *rule,
                       const link_block_entry *e)
{
    uint64_t hs[MAX_COMBOS];
    const char *ts[MAX_COMBOS];
    char db[24];
    size_t rem = e->combo, len = 0;
    out[0] = '\0';
    for (size_t p = 0; p < rule->nparts && len < cap; p++) {
        size_t cnt = part_keys(d, &rule->parts[p], e->rec, hs, ts, MAX_COMBOS, db);
        if (cnt == 0)
            break;
        int w = snprintf(out + len, cap - len, "%s%s", p ? "|" : "", ts[rem % cnt]);
        if (w < 0)
            break;
        len += (size_t)w;
        rem /= cnt;
    }
}

/* Leaves the rule out (no entries, so no blocks) when its blocks hold more than its
 * max_pairs pairs a record: the entries are sorted and without repeats. */
static void left_out(rk_ctx *ctx, link_rule_blocks *rb, rk_link_block_stats *st,
                     const rk_link_data *d, const rk_link_rule *rule, bool warn)
{
    uint64_t pairs = 0;
    for (size_t i = 0; i < rb->n;) {
        size_t j = i;
        while (j < rb->n && rb->v[j].h == rb->v[i].h)
            j++;
        pairs += (uint64_t)(j - i) * (j - i - 1) / 2;
        i = j;
    }
    double per_record = d->nrecords ? (double)pairs / (double)d->nrecords : 0;
    if (per_record <= rule->max_pairs)
        return;
    memset(st, 0, sizeof(*st));
    st->left_out = pairs;
    rb->n = 0;
    if (warn)
        rk_log(ctx, RK_LOG_WARN,
               "rule '%s' left out: its blocks hold %llu pairs, %.1f a record, more than its "
               "max_pairs %g; the other rules compare what they find (docs/linkage.md, "
               "\"Blocking at scale\")",
               rule->name ? rule->name : "(unnamed)", (unsigned long long)pairs, per_record,
               rule->max_pairs);
}

/* Below this many records one thread keys a rule: a team's start costs more than it saves. */
#define KEY_PARALLEL_MIN 65536
#define KEY_THREADS_MAX  64

/* The entries of rule `rule` for every record, in record order, into rb->v (capacity *cap):
 * each thread keys a contiguous range of records into an array of its own, and the arrays
 * are joined in order, the first grown in place; so the entries are the same whatever the
 * number of threads. A one-letter-off rule keys 2 million records a second on one thread. */
static int key_records(rk_ctx *ctx, link_rule_blocks *rb, size_t *cap, const rk_link_data *d,
                       const rk_link_rule *rule)
{
    link_block_entry *part[KEY_THREADS_MAX] = {NULL};
    size_t n[KEY_THREADS_MAX] = {0}, pcap[KEY_THREADS_MAX] = {0};
    int nt = d->nrecords < KEY_PARALLEL_MIN ? 1 : RK_MIN(omp_get_max_threads(), KEY_THREADS_MAX);
    int team = 1, failed = 0;
#pragma omp parallel num_threads(nt) reduction(| : failed)
    {
        int t = omp_get_thread_num(), size = omp_get_num_threads();
        uint32_t from = (uint32_t)((uint64_t)d->nrecords * (uint64_t)t / (uint64_t)size);
        uint32_t to = (uint32_t)((uint64_t)d->nrecords * (uint64_t)(t + 1) / (uint64_t)size);
        if (t == 0)
            team = size;
        for (uint32_t i = from; i < to && !failed; i++) {
            if (t == 0 && ((i - from) & 0xffff) == 0) /* the first thread speaks for all */
                rk_progress(ctx, "keying records", (uint64_t)(i - from) * (uint64_t)size,
                            (uint64_t)d->nrecords + 1);
            failed |= rule_entries(d, rule, i, &part[t], &n[t], &pcap[t]) != RK_OK;
        }
    }
    size_t total = 0;
    for (int t = 0; t < team; t++)
        total += n[t];
    rb->v = part[0];
    rb->n = n[0];
    *cap = pcap[0];
    if (!failed && team > 1 &&
        rk_grow((void **)&rb->v, cap, total ? total : 1, sizeof(link_block_entry)) != RK_OK)
        failed = 1;
    for (int t = 1; t < team; t++) {
        if (!failed && n[t])
            memcpy(rb->v + rb->n, part[t], n[t] * sizeof(link_block_entry));
        rb->n += failed ? 0 : n[t];
        rk_free(part[t]);
    }
    rk_progress(ctx, "keying records", d->nrecords, (uint64_t)d->nrecords + 1);
    return failed ? RK_ENOMEM : RK_OK;
}

static int build_rule(rk_ctx *ctx, link_rule_blocks *rb, rk_link_block_stats *st,
                      const rk_link_data *d, const rk_link_rule *rule, size_t max_block,
                      size_t *warnings, bool warn)
{
    int rc = RK_OK;
    size_t cap = 0;
    link_block_entry *tmp = NULL;
    const char *rname = rule->name ? rule->name : "(unnamed)";
    /* Progress within the rule (a rule of one-letter-off keys takes half a minute at ten
     * million records): its records keyed, then one step for the rest, which ends the stage
     * just before the next rule's report. */
    if (key_records(ctx, rb, &cap, d, rule) != RK_OK) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    /* The entries are in (record, combination) order, which the sort by hash keeps within a
     * hash: the order of entry_cmp. */
    if (!rk_sort_by_u64_progress(ctx, rb->v, rb->n, sizeof(link_block_entry))) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    /* Split oversized blocks by the extra key; skip what is still too large. */
    for (int pass = 0; pass < 2; pass++) {
        bool changed = false;
        size_t out = 0, tcap = 0, tn = 0;
        for (size_t i = 0; i < rb->n;) {
            size_t j = i;
            while (j < rb->n && rb->v[j].h == rb->v[i].h)
                j++;
            size_t size = j - i;
            if (size <= max_block) {
                memmove(rb->v + out, rb->v + i, size * sizeof(link_block_entry));
                out += size;
            } else if (pass == 0 && rule->has_split) {
                st->split++;
                changed = true;
                for (size_t t = i; t < j; t++) {
                    uint64_t hs[MAX_COMBOS];
                    const char *ts[MAX_COMBOS];
                    char db[24];
                    size_t cnt = part_keys(d, &rule->split, rb->v[t].rec, hs, ts, MAX_COMBOS, db);
                    if (rk_grow((void **)&tmp, &tcap, tn + cnt, sizeof(link_block_entry)) !=
                        RK_OK) {
                        rc = RK_ENOMEM;
                        goto cleanup;
                    }
                    for (size_t s = 0; s < cnt; s++)
                        tmp[tn++] = (link_block_entry){mix(rb->v[t].h, hs[s] ^ 0x73706c6974ULL),
                                                       rb->v[t].rec, rb->v[t].combo, 0};
                }
            } else {
                st->skipped++;
                changed = true;
                if (warn && *warnings < MAX_WARNINGS) {
                    char name[256];
                    block_name(name, sizeof(name), d, rule, &rb->v[i]);
                    rk_log(ctx, RK_LOG_WARN,
                           "block '%s' of rule '%s' has %zu records (at most %zu); skipped, so "
                           "its pairs are compared only if another rule finds them; add a "
                           "split key to the rule or raise the block limit",
                           name, rname, size, max_block);
                }
                (*warnings)++;
            }
            i = j;
        }
        rb->n = out;
        if (tn > 0) {
            if (rk_grow((void **)&rb->v, &cap, rb->n + tn, sizeof(link_block_entry)) != RK_OK) {
                rc = RK_ENOMEM;
                goto cleanup;
            }
            memcpy(rb->v + rb->n, tmp, tn * sizeof(link_block_entry));
            rb->n += tn;
        }
        rk_free(tmp);
        tmp = NULL;
        if (!changed)
            break;
        qsort(rb->v, rb->n, sizeof(link_block_entry), entry_cmp);
    }
    /* Drop duplicate (hash, record) entries, then keep the blocks of two records or more,
     * numbered in hash order: their records, and per record its blocks' numbers (sorted, as
     * the blocks are numbered in the order of the sorted entries). A record alone in a block
     * never meets another there, so single entries are not kept (most one-letter-off keys). */
    size_t w = 0;
    for (size_t i = 0; i < rb->n; i++) {
        if ((i & 0xfffff) == 0)
            rk_progress(ctx, GROUPING, i, rb->n);
        if (w == 0 || rb->v[i].h != rb->v[w - 1].h || rb->v[i].rec != rb->v[w - 1].rec)
            rb->v[w++] = rb->v[i];
    }
    rb->n = w;
    if (rule->max_pairs > 0)
        left_out(ctx, rb, st, d, rule, warn);
    size_t nb = 0, nrec = 0;
    for (size_t i = 0; i < rb->n;) {
        size_t j = i;
        while (j < rb->n && rb->v[j].h == rb->v[i].h)
            j++;
        if (j - i >= 2)
            nb++, nrec += j - i;
        i = j;
    }
    rb->bstart = rk_malloc((nb + 1) * sizeof(uint32_t));
    rb->rec = rk_malloc((nrec + 1) * sizeof(uint32_t));
    rb->key = rk_malloc((nb + 1) * sizeof(uint64_t));
    rb->combo = rk_malloc((nb + 1) * sizeof(uint16_t));
    rb->start = rk_calloc(d->nrecords + 1, sizeof(uint32_t));
    rb->id = rk_malloc((nrec + 1) * sizeof(uint32_t));
    if (!rb->bstart || !rb->rec || !rb->key || !rb->combo || !rb->start || !rb->id) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    nb = nrec = 0;
    for (size_t i = 0, next = 0; i < rb->n;) {
        if (i >= next) {
            rk_progress(ctx, GROUPING, i, rb->n);
            next = i + 0x100000;
        }
        size_t j = i;
        while (j < rb->n && rb->v[j].h == rb->v[i].h)
            j++;
        if (j - i >= 2) {
            rb->bstart[nb] = (uint32_t)nrec;
            rb->key[nb] = rb->v[i].h;
            rb->combo[nb] = rb->v[i].combo;
            for (size_t t = i; t < j; t++) {
                rb->rec[nrec++] = rb->v[t].rec;
                rb->start[rb->v[t].rec + 1]++;
            }
            nb++;
        }
        i = j;
    }
    rb->bstart[nb] = (uint32_t)nrec;
    rb->nblocks = nb;
    for (size_t i = 0; i < d->nrecords; i++)
        rb->start[i + 1] += rb->start[i];
    {
        uint32_t *fill = rk_malloc((d->nrecords + 1) * sizeof(uint32_t));
        if (!fill) {
            rc = RK_ENOMEM;
            goto cleanup;
        }
        memcpy(fill, rb->start, (d->nrecords + 1) * sizeof(uint32_t));
        for (uint32_t k = 0; k < nb; k++)
            for (uint32_t t = rb->bstart[k]; t < rb->bstart[k + 1]; t++)
                rb->id[fill[rb->rec[t]]++] = k;
        rk_free(fill);
    }
cleanup:
    if (rb->n) /* the stage's end (a rule of no keys never began it) */
        rk_progress(ctx, GROUPING, rb->n, rb->n);
    rk_progress(ctx, "keying records", (uint64_t)d->nrecords + 1, (uint64_t)d->nrecords + 1);
    if (rc == RK_ENOMEM)
        rk_error_set(ctx, RK_ENOMEM, "out of memory building blocks of rule '%s'", rname);
    rk_free(tmp);
    rk_free(rb->v); /* the entries: only the blocks of two records or more are kept */
    rb->v = NULL;
    rb->n = 0;
    return rc;
}

/* The first block (in hash order) that records x and y share in one rule, or UINT32_MAX. */
static uint32_t shared_min(const link_rule_blocks *rb, uint32_t x, uint32_t y)
{
    uint32_t i = rb->start[x], ie = rb->start[x + 1];
    uint32_t j = rb->start[y], je = rb->start[y + 1];
    while (i < ie && j < je) {
        if (rb->id[i] == rb->id[j])
            return rb->id[i];
        if (rb->id[i] < rb->id[j])
            i++;
        else
            j++;
    }
    return UINT32_MAX;
}

/* The first rule (of the first `nrules`) in whose blocks x and y meet, or -1; *k gets the
 * first block they share in it. */
static long first_rule(const link_rule_blocks *rbs, size_t nrules, uint32_t x, uint32_t y,
                       uint32_t *k)
{
    for (size_t q = 0; q < nrules; q++)
        if ((*k = shared_min(&rbs[q], x, y)) != UINT32_MAX)
            return (long)q;
    return -1;
}

static bool mode_allows(const rk_link_data *d, uint32_t x, uint32_t y, rk_link_mode mode)
{
    bool same = d->list[x] == d->list[y];
    return same ? (mode & RK_LINK_WITHIN) != 0 : (mode & RK_LINK_ACROSS) != 0;
}

/* Whether block k of rule r compares x and y: the mode allows the pair, no earlier rule holds
 * it, and k is the first block of rule r they share. */
static bool pair_wanted(const rk_link_data *d, const link_rule_blocks *rbs, uint32_t r, uint32_t k,
                        uint32_t x, uint32_t y, rk_link_mode mode)
{
    if (!mode_allows(d, x, y, mode))
        return false;
    uint32_t first;
    return first_rule(rbs, (size_t)r + 1, x, y, &first) == (long)r && first == k;
}

/* Visits (count or fill) the wanted pairs of one block. */
static size_t block_pairs(const rk_link_data *d, const link_rule_blocks *rbs,
                          const link_block_ref *b, rk_link_mode mode, const uint8_t *touch,
                          uint32_t *pa, uint32_t *pb)
{
    const link_rule_blocks *rb = &rbs[b->rule];
    const uint32_t *rec = rb->rec;
    uint32_t begin = rb->bstart[b->block], end = rb->bstart[b->block + 1];
    size_t n = 0;
    for (uint32_t i = begin; i < end; i++)
        for (uint32_t j = i + 1; j < end; j++)
            if ((!touch || touch[rec[i]] || touch[rec[j]]) &&
                pair_wanted(d, rbs, b->rule, b->block, rec[i], rec[j], mode)) {
                if (pa) {
                    pa[n] = rec[i];
                    pb[n] = rec[j];
                }
                n++;
            }
    return n;
}

void link_blocks_free(link_blocks *a)
{
    for (size_t r = 0; a->rbs && r < a->nrules; r++) {
        link_rule_blocks *rb = &a->rbs[r];
        rk_free(rb->v);
        rk_free(rb->bstart);
        rk_free(rb->rec);
        rk_free(rb->key);
        rk_free(rb->combo);
        rk_free(rb->start);
        rk_free(rb->id);
    }
    rk_free(a->rbs);
    rk_free(a->blocks);
    memset(a, 0, sizeof(*a));
}

int link_blocks_build(rk_ctx *ctx, link_blocks *a, rk_link_block_stats *stats,
                      const rk_link_data *d, const rk_link_options *opts, bool warn, bool shared)
{
    size_t capb = 0, warnings = 0, named = 0;
    memset(a, 0, sizeof(*a));
    a->nrules = opts->nrules;
    a->mode = opts->mode;
    a->rbs = rk_calloc(opts->nrules ? opts->nrules : 1, sizeof(*a->rbs));
    rk_link_block_stats *st = stats ? stats : rk_calloc(opts->nrules + 1, sizeof(*st));
    size_t *counted = rk_calloc(opts->nrules + 1, sizeof(size_t)); /* skipped blocks a rule */
    link_rules_share sh;
    int rc = link_mpi_rules_begin(&sh, ctx, d, opts, shared);
    if (rc != RK_OK)
        goto cleanup;
    if (!a->rbs || !st || !counted) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory while blocking");
        goto cleanup;
    }
    memset(st, 0, opts->nrules * sizeof(*st));
    /* Each rule's blocks: all of them, or at a rank of an MPI run those given to it (mpi.h). */
    for (size_t r = 0; r < opts->nrules && rc == RK_OK; r++) {
        rk_ctx *with = link_mpi_rules_ctx(&sh, r);
        rk_progress(ctx, "blocking rules", r, opts->nrules);
        if (!with)
            continue;
        rc = build_rule(with, &a->rbs[r], &st[r], d, &opts->rules[r], opts->max_block, &counted[r],
                        warn);
    }
    if ((rc = link_mpi_rules_end(&sh, a->rbs, st, counted, d->nrecords, rc)) != RK_OK)
        goto cleanup;
    for (size_t r = 0; r < opts->nrules; r++) {
        const link_rule_blocks *rb = &a->rbs[r];
        warnings += counted[r];
        named += RK_MIN(counted[r], (size_t)MAX_WARNINGS);
        if (rk_grow((void **)&a->blocks, &capb, a->nblocks + rb->nblocks, sizeof(*a->blocks)) !=
            RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory while blocking");
            goto cleanup;
        }
        for (uint32_t k = 0; k < rb->nblocks; k++) {
            uint64_t size = rb->bstart[k + 1] - rb->bstart[k];
            a->blocks[a->nblocks++] = (link_block_ref){(uint32_t)r, k};
            st[r].blocks++;
            st[r].largest = RK_MAX(st[r].largest, size);
            a->max_size = RK_MAX(a->max_size, (size_t)size);
            a->bound += size * (size - 1) / 2;
        }
    }
    if (warn && warnings > named)
        rk_log(ctx, RK_LOG_WARN,
               "%zu oversized blocks were skipped in all (%zu named above, at most %d a rule)",
               warnings, named, MAX_WARNINGS);
    rk_progress(ctx, "blocking rules", opts->nrules, opts->nrules);
cleanup:
    link_mpi_rules_free(&sh);
    rk_free(counted);
    if (st != stats)
        rk_free(st);
    return rc;
}

size_t link_blocks_pairs(const link_blocks *a, const rk_link_data *d, size_t i,
                         const uint8_t *touch, uint32_t *pa, uint32_t *pb)
{
    return block_pairs(d, a->rbs, &a->blocks[i], a->mode, touch, pa, pb);
}

uint64_t link_blocks_key(const link_blocks *a, size_t i)
{
    const link_block_ref *b = &a->blocks[i];
    return a->rbs[b->rule].key[b->block];
}

long link_blocks_rule(const link_blocks *a, const rk_link_data *d, uint32_t x, uint32_t y)
{
    uint32_t k;
    if (x == y || !mode_allows(d, x, y, a->mode))
        return -1;
    return first_rule(a->rbs, a->nrules, RK_MIN(x, y), RK_MAX(x, y), &k);
}

int link_blocks_offsets(rk_ctx *ctx, size_t **out, const link_blocks *a, rk_link_block_stats *stats,
                        const rk_link_data *d)
{
    size_t *offs = rk_malloc((a->nblocks + 1) * sizeof(size_t));
    if (!offs)
        return rk_error_set(ctx, RK_ENOMEM, "out of memory while blocking");
    long nb = (long)a->nblocks;
#pragma omp parallel for schedule(dynamic, 16)
    for (long i = 0; i < nb; i++) {
        offs[i + 1] = link_blocks_pairs(a, d, (size_t)i, NULL, NULL, NULL);
        if ((i & 0x3ff) == 0 && omp_get_thread_num() == 0) /* chunks go out in order */
            rk_progress(ctx, "listing blocks", (uint64_t)i, (uint64_t)nb);
    }
    rk_progress(ctx, "listing blocks", (uint64_t)nb, (uint64_t)nb);
    offs[0] = 0;
    for (size_t i = 0; i < a->nblocks; i++) {
        if (stats)
            stats[a->blocks[i].rule].pairs += offs[i + 1];
        offs[i + 1] += offs[i];
    }
    *out = offs;
    return RK_OK;
}

int link_block_explain(rk_ctx *ctx, rk_link_rule_explain *out, const rk_link_data *d,
                       const rk_link_options *opts)
{
    link_blocks a;
    size_t *offs = NULL;
    rk_link_block_stats stats[RK_LINK_EXPLAIN_RULES];
    if (opts->nrules > RK_LINK_EXPLAIN_RULES)
        return rk_error_set(ctx, RK_EINPUT, "more than %d blocking rules", RK_LINK_EXPLAIN_RULES);
    int rc = link_blocks_build(ctx, &a, stats, d, opts, false, false);
    if (rc == RK_OK)
        rc = link_blocks_offsets(ctx, &offs, &a, stats, d);
    for (size_t r = 0; r < opts->nrules && rc == RK_OK; r++) {
        rk_link_rule_explain *e = &out[r];
        memset(e, 0, sizeof(*e));
        snprintf(e->name, sizeof(e->name), "%s",
                 opts->rules[r].name ? opts->rules[r].name : "(unnamed)");
        e->stats = stats[r];
    }
    /* The largest blocks of each rule, largest first (ties: first in hash order). */
    for (size_t i = 0; i < a.nblocks && rc == RK_OK; i++) {
        const link_block_ref *b = &a.blocks[i];
        rk_link_rule_explain *e = &out[b->rule];
        const link_rule_blocks *rb = &a.rbs[b->rule];
        uint64_t size = rb->bstart[b->block + 1] - rb->bstart[b->block];
        e->pairs_in_blocks += size * (size - 1) / 2;
        size_t at = e->nlargest;
        while (at > 0 && e->largest[at - 1].records < size)
            at--;
        if (at >= RK_LINK_EXPLAIN_LARGEST)
            continue;
        size_t keep = RK_MIN(e->nlargest + 1, (size_t)RK_LINK_EXPLAIN_LARGEST);
        memmove(&e->largest[at + 1], &e->largest[at], (keep - at - 1) * sizeof(e->largest[0]));
        e->nlargest = keep;
        rk_link_block_example *x = &e->largest[at];
        x->records = size;
        x->pairs_new = offs[i + 1] - offs[i];
        link_block_entry first = {rb->key[b->block], rb->rec[rb->bstart[b->block]],
                                  rb->combo[b->block], 0};
        block_name(x->name, sizeof(x->name), d, &opts->rules[b->rule], &first);
    }
    rk_free(offs);
    link_blocks_free(&a);
    return rc;
}
