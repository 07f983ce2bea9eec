/* `reckon synth` in the library: streams synthetic people through the lists of a scenario,
 * each person captured by each list according to a latent class of visibility, the person's
 * region and list dependence, and writes the lists, truth.csv, truth_regions.csv and
 * gazetteer.csv (readme.c writes mapping.ini and README.txt). Memory does not grow with the
 * number of people: people are regenerated from their id when needed. */
#include "synth_run.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const scenario_names[] = {"caucasus", "spanish", "arabic",
                                             "mixed",    "balkans", NULL};

const char *const *rk_synth_scenarios(void)
{
    return scenario_names;
}

uint64_t synth_coprime(uint64_t a, uint64_t n)
{
    for (;; a++) {
        uint64_t x = a, y = n;
        while (y) {
            uint64_t t = x % y;
            x = y;
            y = t;
        }
        if (x == 1)
            return a;
    }
}

static int write_bytes(synth_run *st, FILE *f, const char *path, char *data, size_t n, bool cp1251)
{
    if (cp1251)
        n = synth_to_cp1251(data, n);
    if (rk_fault_hit(RK_FAULT_WRITE) || fwrite(data, 1, n, f) != n)
        return rk_error_set(st->ctx, RK_EIO,
                            "%s: cannot write: %s; check the disk and the "
                            "directory's permissions",
                            path, strerror(errno ? errno : EIO));
    return RK_OK;
}

/* One CSV row of list lo (its header or a record), or that row in the list's workbook. */
static int write_row(synth_run *st, synth_list_out *lo)
{
    if (lo->xlsx)
        return synth_xlsx_row(lo->xlsx, st->row.data, st->row.len);
    return write_bytes(st, lo->f, lo->path, st->row.data, st->row.len,
                       strcmp(lo->L->encoding, "WINDOWS-1251") == 0);
}

/* Writes record number `copy` (0 first, 1 a duplicate) of person pid in list li. */
static int emit(synth_run *st, unsigned li, uint64_t pid, int copy)
{
    synth_list_out *lo = &st->lists[li];
    synth_person p;
    synth_person_make(&p, st->sc, &st->pool, st->seed, pid);
    uint64_t key[4] = {st->seed, pid, li, (uint64_t)copy};
    rk_rng r;
    rk_rng_seed(&r, rk_hash64(key, sizeof(key), 0x7265636f7264ULL));
    char id[64];
    rk_buf_clear(&st->row);
    lo->rows++;
    if (synth_write_row(&st->row, lo->L, &p, lo->rows, &r, &st->names, id, sizeof(id)) != RK_OK)
        return rk_error_set(st->ctx, RK_ENOMEM, "out of memory writing a synthetic record");
    int rc = write_row(st, lo);
    if (rc != RK_OK)
        return rc;
    rk_buf_clear(&st->truth_row);
    if (rk_buf_printf(&st->truth_row, "%s:%s,%llu\n", lo->name, id, (unsigned long long)pid) !=
        RK_OK)
        return rk_error_set(st->ctx, RK_ENOMEM, "out of memory writing the truth");
    st->sum->records++;
    st->sum->list_records[li]++;
    st->sum->duplicates += copy > 0;
    return write_bytes(st, st->truth, "truth.csv", st->truth_row.data, st->truth_row.len, false);
}

/* Writes the duplicates that are due by person pid (all of them when flush). */
static int drain(synth_run *st, unsigned li, uint64_t pid, bool flush)
{
    synth_list_out *lo = &st->lists[li];
    while (lo->qlen > 0 && (flush || lo->queue[lo->qhead].due <= pid)) {
        uint64_t dup = lo->queue[lo->qhead].pid;
        lo->qhead = (lo->qhead + 1) % SYNTH_DUP_QUEUE;
        lo->qlen--;
        int rc = emit(st, li, dup, 1);
        if (rc != RK_OK)
            return rc;
    }
    return RK_OK;
}

double synth_capture_odds(const synth_layout *L, double zone)
{
    return exp(L->tilt * (zone - 0.5));
}

const synth_place *synth_run_region(const synth_run *st, size_t i)
{
    size_t g = st->ngroups - 1;
    while (g > 0 && st->region_base[g] > i)
        g--;
    return &st->groups[g]->regions[i - st->region_base[g]];
}

static int person(synth_run *st, uint64_t pid)
{
    synth_person p;
    synth_person_make(&p, st->sc, &st->pool, st->seed, pid);
    const synth_places *g = synth_culture_places(p.culture);
    size_t gi = 0;
    while (st->groups[gi] != g)
        gi++;
    st->region_people[st->region_base[gi] + p.region]++;
    double zone = g->regions[p.region].zone;
    uint64_t key[3] = {st->seed, pid, 0x636170};
    rk_rng r;
    rk_rng_seed(&r, rk_hash64(key, sizeof(key), 0x63617074ULL));
    bool caught[RK_SYNTH_MAX_LISTS] = {0}, any = false;
    for (unsigned li = 0; li < st->k; li++) {
        synth_list_out *lo = &st->lists[li];
        double pr = lo->capture[p.klass];
        double odds = pr / (1 - pr) * synth_capture_odds(lo->L, zone);
        int dep = lo->L->depends_on;
        if (dep >= 0 && (unsigned)dep < li && caught[dep])
            odds *= lo->L->dependence;
        pr = odds / (1 + odds);
        caught[li] = rk_rng_uniform(&r) < pr;
        bool dup = rk_rng_uniform(&r) < lo->L->duplicate;
        if (!caught[li])
            continue;
        any = true;
        int rc = emit(st, li, pid, 0);
        if (rc != RK_OK)
            return rc;
        if (dup) {
            if (lo->qlen == SYNTH_DUP_QUEUE && (rc = drain(st, li, UINT64_MAX, false)) != RK_OK)
                return rc;
            lo->queue[(lo->qhead + lo->qlen) % SYNTH_DUP_QUEUE] =
                (synth_pending){pid, pid + lo->delay};
            lo->qlen++;
        }
    }
    for (unsigned li = 0; li < st->k; li++) {
        int rc = drain(st, li, pid, false);
        if (rc != RK_OK)
            return rc;
    }
    st->sum->captured += any;
    return RK_OK;
}

int synth_made_init(synth_made *m, rk_ctx *ctx, const char *dir)
{
    memset(m, 0, sizeof(*m));
    m->ctx = ctx;
    m->dir = dir;
    if (mkdir(dir, 0700) == 0)
        m->made_dir = true;
    else if (errno != EEXIST)
        return rk_error_set(ctx, RK_EIO, "%s: cannot create the directory: %s", dir,
                            strerror(errno));
    return RK_OK;
}

int synth_made_note(synth_made *m, const char *name, char *path, size_t pathsz)
{
    if (m->n == SYNTH_MADE_MAX || strlen(name) >= sizeof(m->name[0]))
        return rk_error_set(m->ctx, RK_EINTERNAL, "synth writes more files than it notes");
    if ((size_t)snprintf(path, pathsz, "%s/%s", m->dir, name) >= pathsz)
        return rk_error_set(m->ctx, RK_EINPUT, "%s: the directory's name is too long", m->dir);
    snprintf(m->name[m->n++], sizeof(m->name[0]), "%s", name);
    return RK_OK;
}

void synth_made_discard(const synth_made *m)
{
    char path[4200];
    for (unsigned i = 0; i < m->n; i++) {
        snprintf(path, sizeof(path), "%s/%s", m->dir, m->name[i]);
        unlink(path);
    }
    if (m->made_dir)
        rmdir(m->dir);
}

int synth_write_file(synth_made *m, const char *name, const rk_buf *b)
{
    char path[4096];
    int rc = synth_made_note(m, name, path, sizeof(path));
    if (rc != RK_OK)
        return rc;
    FILE *f = fopen(path, "wb");
    if (!f)
        return rk_error_set(m->ctx, RK_EIO, "%s: cannot create: %s", path, strerror(errno));
    size_t n = b->len;
    bool ok = !rk_fault_hit(RK_FAULT_WRITE) && fwrite(b->data, 1, n, f) == n;
    int err = ok ? 0 : errno;
    if (fclose(f) != 0 && ok)
        ok = false, err = errno;
    if (!ok)
        return rk_error_set(m->ctx, RK_EIO, "%s: cannot write: %s; check the disk", path,
                            strerror(err ? err : EIO));
    return RK_OK;
}

/* gazetteer.csv and truth_regions.csv, once the people are counted. */
static int write_regions(synth_run *st)
{
    rk_buf b;
    rk_buf_init(&b);
    int rc = synth_write_gazetteer(&b, st->groups, st->ngroups);
    rc = rc ? rk_error_set(st->ctx, RK_ENOMEM, "out of memory writing gazetteer.csv")
            : synth_write_file(&st->made, "gazetteer.csv", &b);
    rk_buf_clear(&b);
    if (rc == RK_OK && synth_write_truth_regions(&b, st) != RK_OK)
        rc = rk_error_set(st->ctx, RK_ENOMEM, "out of memory writing truth_regions.csv");
    if (rc == RK_OK)
        rc = synth_write_file(&st->made, "truth_regions.csv", &b);
    rk_buf_release(&b);
    return rc;
}

static void release_names(synth_rendered *n)
{
    rk_buf_release(&n->given);
    rk_buf_release(&n->family);
    rk_buf_release(&n->family2);
    rk_buf_release(&n->patronymic);
    rk_buf_release(&n->father);
    rk_buf_release(&n->s1);
    rk_buf_release(&n->s2);
}

int rk_synth_run(rk_synth_summary *out, rk_ctx *ctx, const rk_synth_options *o)
{
    RK_ASSERT_ARG(ctx, out && o);
    int rc = RK_OK;
    synth_run st = {.ctx = ctx, .sum = out};
    rk_buf_init(&st.row);
    rk_buf_init(&st.truth_row);
    memset(&st.names, 0, sizeof(st.names));
    memset(out, 0, sizeof(*out));
    if (o->version != RK_SYNTH_OPTIONS_VERSION)
        return rk_error_set(ctx, RK_EINTERNAL, "synth options version %u, expected %u", o->version,
                            RK_SYNTH_OPTIONS_VERSION);
    if (!o->scenario || !(st.sc = synth_find_scenario(o->scenario)))
        return rk_error_set(ctx, RK_EINPUT,
                            "no scenario '%s'; use caucasus, spanish, arabic, "
                            "mixed or balkans",
                            o->scenario ? o->scenario : "");
    if (o->lists < 2 || o->lists > RK_SYNTH_MAX_LISTS)
        return rk_error_set(ctx, RK_EINPUT, "%u lists asked for; use 2 to %d", o->lists,
                            RK_SYNTH_MAX_LISTS);
    if (o->people < 1 || o->people > 1000000000ULL)
        return rk_error_set(ctx, RK_EINPUT, "%llu people asked for; use 1 to 1000000000",
                            (unsigned long long)o->people);
    if (!o->out_dir || !*o->out_dir)
        return rk_error_set(ctx, RK_EINPUT, "no output directory given");
    if (o->spreadsheet && strcmp(o->spreadsheet, "xlsx") != 0 && strcmp(o->spreadsheet, "csv"))
        return rk_error_set(ctx, RK_EINPUT,
                            "spreadsheet format '%s' is not written; use csv or xlsx",
                            o->spreadsheet);
    if (o->name_pool < RK_SYNTH_POOL_AUTO || o->name_pool > RK_SYNTH_POOL_LARGE)
        return rk_error_set(ctx, RK_EINPUT, "name pool %d is not known; use RK_SYNTH_POOL_*",
                            o->name_pool);
    if ((rc = synth_made_init(&st.made, ctx, o->out_dir)) != RK_OK)
        return rc;
    synth_pool_init(&st.pool, st.sc, o->people,
                    o->name_pool == RK_SYNTH_POOL_LARGE || (o->name_pool == RK_SYNTH_POOL_AUTO &&
                                                            o->people > RK_SYNTH_POOL_AUTO_ABOVE));
    st.seed = o->seed;
    st.k = o->lists;
    st.ngroups = synth_scenario_groups(st.groups, st.sc);
    for (size_t g = 0; g < st.ngroups; g++) {
        st.region_base[g] = st.nregions;
        st.nregions += st.groups[g]->nregions;
    }
    out->people = o->people;
    out->lists = o->lists;
    st.lists = rk_calloc(o->lists, sizeof(synth_list_out));
    st.region_people = rk_calloc(st.nregions, sizeof(uint64_t));
    if (!st.lists || !st.region_people) {
        rc = rk_error_set(ctx, RK_ENOMEM, "out of memory starting synth");
        goto cleanup;
    }
    const synth_layout *layouts;
    size_t nl = synth_layouts(&layouts, o->scenario);
    for (unsigned li = 0; li < o->lists; li++) {
        synth_list_out *lo = &st.lists[li];
        lo->L = &layouts[li % nl];
        unsigned round = li / (unsigned)nl;
        if (round == 0)
            snprintf(lo->name, sizeof(lo->name), "%s", lo->L->name);
        else
            snprintf(lo->name, sizeof(lo->name), "%s_%u", lo->L->name, round + 1);
        for (int c = 0; c < 3; c++) /* later copies of a layout see fewer people */
            lo->capture[c] = lo->L->capture[c] * (round == 0 ? 1.0 : 0.7);
        lo->delay = 50 + 97 * li;
        snprintf(out->list_name[li], sizeof(out->list_name[li]), "%s", lo->name);
        bool xlsx = o->spreadsheet ? strcmp(o->spreadsheet, "xlsx") == 0 : lo->L->xlsx;
        char file[64];
        snprintf(file, sizeof(file), "%s.%s", lo->name, xlsx ? "xlsx" : "csv");
        if ((rc = synth_made_note(&st.made, file, lo->path, sizeof(lo->path))) != RK_OK)
            goto cleanup;
        if (xlsx && (rc = synth_xlsx_open(&lo->xlsx, ctx, lo->path, lo->L)) != RK_OK)
            goto cleanup;
        lo->f = xlsx ? NULL : fopen(lo->path, "wb");
        lo->iobuf = rk_malloc(1 << 16);
        if ((!lo->f && !lo->xlsx) || !lo->iobuf) {
            rc = rk_error_set(ctx, lo->f ? RK_ENOMEM : RK_EIO, "%s: cannot create: %s", lo->path,
                              strerror(errno));
            goto cleanup;
        }
        if (lo->f)
            setvbuf(lo->f, lo->iobuf, _IOFBF, 1 << 16);
        rk_buf_clear(&st.row);
        if (synth_write_header(&st.row, lo->L) != RK_OK) {
            rc = rk_error_set(ctx, RK_ENOMEM, "out of memory writing a header");
            goto cleanup;
        }
        if ((rc = write_row(&st, lo)) != RK_OK)
            goto cleanup;
    }
    char tpath[4096];
    if ((rc = synth_made_note(&st.made, "truth.csv", tpath, sizeof(tpath))) != RK_OK)
        goto cleanup;
    st.truth = fopen(tpath, "wb");
    if (!st.truth) {
        rc = rk_error_set(ctx, RK_EIO, "%s: cannot create: %s", tpath, strerror(errno));
        goto cleanup;
    }
    if ((rc = write_bytes(&st, st.truth, tpath, (char[]){"record_key,person_id\n"}, 21, false)) !=
        RK_OK)
        goto cleanup;
    for (uint64_t pid = 0; pid < o->people; pid++) {
        if ((rc = person(&st, pid)) != RK_OK)
            goto cleanup;
        if ((pid & 0xffff) == 0)
            rk_progress(ctx, "making persons", pid, o->people);
    }
    for (unsigned li = 0; li < st.k; li++)
        if ((rc = drain(&st, li, 0, true)) != RK_OK)
            goto cleanup;
    for (unsigned li = 0; li < st.k && rc == RK_OK; li++)
        if (st.lists[li].xlsx)
            rc = synth_xlsx_close(st.lists[li].xlsx);
    if (rc != RK_OK)
        goto cleanup;
    rk_progress(ctx, "making persons", o->people, o->people);
    if ((rc = write_regions(&st)) == RK_OK)
        rc = synth_write_readme_and_mapping(&st, o);
cleanup:
    if (st.lists)
        for (unsigned li = 0; li < o->lists; li++) {
            if (st.lists[li].f && fclose(st.lists[li].f) != 0 && rc == RK_OK)
                rc = rk_error_set(ctx, RK_EIO, "%s: cannot write; check the disk",
                                  st.lists[li].path);
            synth_xlsx_free(st.lists[li].xlsx);
            rk_free(st.lists[li].iobuf);
        }
    if (st.truth && fclose(st.truth) != 0 && rc == RK_OK)
        rc = rk_error_set(ctx, RK_EIO, "truth.csv: cannot write; check the disk");
    if (rc != RK_OK)
        synth_made_discard(&st.made);
    rk_free(st.lists);
    rk_free(st.region_people);
    rk_buf_release(&st.row);
    rk_buf_release(&st.truth_row);
    release_names(&st.names);
    return rc;
}
