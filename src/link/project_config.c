/* The set-up's texts: the configuration file of a project link (docs/linkage.md), read through
 * tables of sections, settings and comparison levels over the defaults of project_setup.c, and
 * the set-up as JSON, recorded with each run. */
#include "link_private.h"
#include "project_private.h"

/* The keys of a field a configuration names (docs/linkage.md), in the order errors list them. */
static const struct {
    const char *name;
    uint8_t tag;
} tag_names[] = {
    {"sound", TAG_SOUND}, {"latin", TAG_LATIN}, {"skeleton", TAG_SKEL}, {"nick", TAG_NICK},
    {"all", TAG_ALL},     {"value", TAG_VALUE}, {"vsound", TAG_VSOUND},
};

/* ---- the configuration file ---- */

/* Where a line of the configuration file is, and what its section applies to. */
typedef struct config_at {
    link_setup *s;
    rk_ctx *ctx;
    const char *path;
    long line;
    const char *sname; /* the section's name: FIELD of [compare FIELD], NAME of [block NAME] */
    void *target;      /* what the section's settings are in: the link_setup, the field's
                          rk_link_compare, the rule */
    bool rules_reset;  /* the first [block] has replaced the default rules */
} config_at;

#define BAD(...) rk_error_set_at(at->ctx, RK_EINPUT, at->path, at->line, 1, __VA_ARGS__)

static char *trim(char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    char *e = p + strlen(p);
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return p;
}

/* Splits value, copied into copy (size bytes), at `seps` into items trimmed (empty ones are
 * skipped); the first max go into items and their count into *n. Are there more than max? */
static bool split_items(char *copy, size_t size, const char *value, const char *seps, char **items,
                        size_t max, size_t *n)
{
    snprintf(copy, size, "%s", value);
    *n = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
        if (*n == max)
            return true;
        items[(*n)++] = trim(t);
    }
    return false;
}

/* Appends `word` to the list of names in buf (cap bytes), after `sep` unless it is the first:
 * the valid names an error lists. */
static void list_add(char *buf, size_t cap, const char *sep, const char *word)
{
    size_t n = strlen(buf);
    if (n + 1 < cap)
        snprintf(buf + n, cap - n, "%s%s", n ? sep : "", word);
}

static int tag_parse(const char *name, uint8_t *out)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(tag_names); i++)
        if (strcmp(tag_names[i].name, name) == 0) {
            *out = tag_names[i].tag;
            return RK_OK;
        }
    return RK_EINPUT;
}

/* ---- comparison levels ---- */

/* Words of a configuration file that stand for a level of some kind on fixed keys. */
static const struct {
    const char *word;
    rk_link_cmp cmp;
    uint8_t tag, tag2;
} level_presets[] = {
    {"nickname", RK_CMP_EXACT, TAG_NICK, 0},
    {"skeleton", RK_CMP_EXACT, TAG_SKEL, 0},
    {"unvocalized", RK_CMP_CROSS, TAG_ABJAD, TAG_SKEL},
};

/* The level a configuration file names by `word` alone, if it is a preset. */
static bool level_preset(const char *word, rk_link_level *out)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(level_presets); i++)
        if (strcmp(level_presets[i].word, word) == 0) {
            *out = (rk_link_level){.cmp = level_presets[i].cmp,
                                   .tag = level_presets[i].tag,
                                   .tag2 = level_presets[i].tag2};
            return true;
        }
    return false;
}

/* The kind of level a configuration file names by `word`, or NULL. */
static const link_level_kind *level_kind_find(const char *word, rk_link_cmp *out)
{
    for (size_t k = 0; k < RK_CMP_COUNT; k++)
        if (link_level_kinds[k].configurable && strcmp(link_level_kinds[k].name, word) == 0) {
            *out = (rk_link_cmp)k;
            return &link_level_kinds[k];
        }
    return NULL;
}

/* The levels a configuration file can name, as docs/linkage.md lists them: the kinds of
 * STRING level, the presets (all on names), then the kinds of DATE level. */
static void level_words(char *buf, size_t cap)
{
    static const rk_link_field_type types[] = {RK_LINK_STRING, RK_LINK_DATE};
    buf[0] = '\0';
    for (size_t t = 0; t < RK_ARRAY_LEN(types); t++) {
        for (size_t k = 0; k < RK_CMP_COUNT; k++)
            if (link_level_kinds[k].configurable && link_level_kinds[k].type == types[t])
                list_add(buf, cap, ", ", link_level_kinds[k].name);
        for (size_t p = 0; types[t] == RK_LINK_STRING && p < RK_ARRAY_LEN(level_presets); p++)
            list_add(buf, cap, ", ", level_presets[p].word);
    }
}

/* One level: a preset ("nickname"), or the name of a kind, then its number if it takes one
 * ("jw 0.9"), then a KEY for a kind of STRING level ("exact latin", "jw 0.9 latin") or a
 * width in days for a kind of DATE level ("date 0 31"). */
static int level_parse(const config_at *at, rk_link_compare *c, size_t i, char *spec)
{
    char *words[4] = {0};
    size_t nw = 0;
    char *save = NULL;
    for (char *tok = strtok_r(spec, " \t", &save); tok && nw < 4;
         tok = strtok_r(NULL, " \t", &save))
        words[nw++] = tok;
    if (nw == 0)
        return BAD("empty comparison level");
    rk_link_level l = {0};
    if (!level_preset(words[0], &l)) {
        const link_level_kind *kind = level_kind_find(words[0], &l.cmp);
        if (!kind) {
            char names[256];
            level_words(names, sizeof(names));
            return BAD("unknown level '%s'; levels are %s", words[0], names);
        }
        size_t next = 1;
        if (kind->number) {
            double num = 0;
            if (nw < 2 || rk_parse_double(&num, words[1]) != RK_OK || num < 0)
                return BAD("level '%s' needs a number after it", words[0]);
            /* compare.c uses the number as it is: a similarity, or a whole count of edits */
            if ((l.cmp == RK_CMP_JW || l.cmp == RK_CMP_TOKENSET) && num > 1)
                return BAD("level '%s %s': the similarity must be from 0 to 1", words[0], words[1]);
            if (l.cmp == RK_CMP_OSA && (num != floor(num) || num > LINK_MAX_EDITS))
                return BAD("level '%s %s': the number of edits must be a whole number from 0 "
                           "to %d",
                           words[0], words[1], LINK_MAX_EDITS);
            l.threshold = num;
            next = 2;
        }
        if (next < nw && kind->type == RK_LINK_DATE) {
            double w = 0;
            if (rk_parse_double(&w, words[next]) != RK_OK || w < 0)
                return BAD("%s level: the width '%s' is not a number of days", words[0],
                           words[next]);
            l.max_width = w < INT32_MAX ? (int32_t)w : INT32_MAX;
        } else if (next < nw && tag_parse(words[next], &l.tag) != RK_OK) {
            char names[128] = "";
            for (size_t t = 0; t < RK_ARRAY_LEN(tag_names); t++)
                list_add(names, sizeof(names), ", ", tag_names[t].name);
            return BAD("unknown key '%s'; keys are %s", words[next], names);
        }
    }
    char label[40];
    snprintf(label, sizeof(label), "%s%s%s", words[0], nw > 1 ? " " : "", nw > 1 ? words[1] : "");
    link_setup_set_level(at->s, c, i, l, label);
    return RK_OK;
}

static int part_parse(const config_at *at, const char *spec, rk_link_block_part *out)
{
    const link_setup *s = at->s;
    char buf[96];
    snprintf(buf, sizeof(buf), "%s", spec);
    char *dot = strrchr(buf, '.');
    if (!dot)
        return BAD("block part '%s' must be FIELD.KEY (family.sound, birth.year)", spec);
    *dot = '\0';
    int f = link_setup_field_index(s, buf);
    if (f < 0)
        return BAD("block part '%s': no field '%s' in this link's fields", spec, buf);
    *out = (rk_link_block_part){.field = (size_t)f};
    const char *key = dot + 1;
    if (s->fields[f].type == RK_LINK_DATE) {
        if (strcmp(key, "year") == 0)
            out->date_unit = 1;
        else if (strcmp(key, "month") == 0)
            out->date_unit = 2;
        else if (strcmp(key, "day") == 0)
            out->date_unit = 3;
        else
            return BAD("date block part '%s' must end in .year, .month or .day", spec);
        return RK_OK;
    }
    /* KEY~1: the keys and each key with one letter left out. */
    char kbuf[32];
    snprintf(kbuf, sizeof(kbuf), "%s", key);
    size_t kl = strlen(kbuf);
    if (kl > 2 && strcmp(kbuf + kl - 2, "~1") == 0) {
        kbuf[kl - 2] = '\0';
        out->one_off = true;
    }
    if (tag_parse(kbuf, &out->tag) != RK_OK)
        return BAD("block part '%s': unknown key '%s'", spec, kbuf);
    return RK_OK;
}

/* ---- settings ---- */

typedef enum num_type { NUM_DOUBLE, NUM_U64, NUM_SIZE, NUM_INT } num_type;
enum { OPEN_LO = 1, OPEN_HI = 2 }; /* the bound itself is out of the range */

typedef struct config_key config_key;

/* A setting `key = value` of a section. A number is parsed as `num` (a whole number unless
 * NUM_DOUBLE), checked against [lo, hi] (bounds excluded as `open` says) and stored at
 * `offset` in the section's target; `help` says what the value must be. */
struct config_key {
    const char *section;
    const char *key;
    int (*set)(const config_at *at, const config_key *k, char *value);
    const char *help;
    size_t offset;
    num_type num;
    double lo, hi;
    unsigned open;
};

static int cfg_number(const config_at *at, const config_key *k, char *value)
{
    double d = 0;
    int64_t i = 0;
    bool ok = k->num == NUM_DOUBLE ? rk_parse_double(&d, value) == RK_OK
                                   : rk_parse_i64(&i, value) == RK_OK;
    if (k->num != NUM_DOUBLE)
        d = (double)i;
    ok = ok && ((k->open & OPEN_LO) ? d > k->lo : d >= k->lo) &&
         ((k->open & OPEN_HI) ? d < k->hi : d <= k->hi);
    if (!ok)
        return BAD("'%s = %s': %s must be %s", k->key, value, k->key, k->help);
    char *p = (char *)at->target + k->offset;
    switch (k->num) {
    case NUM_DOUBLE:
        memcpy(p, &d, sizeof(d));
        break;
    case NUM_U64: {
        uint64_t u = (uint64_t)i;
        memcpy(p, &u, sizeof(u));
        break;
    }
    case NUM_SIZE: {
        size_t z = (size_t)i;
        memcpy(p, &z, sizeof(z));
        break;
    }
    case NUM_INT: {
        int n = (int)i;
        memcpy(p, &n, sizeof(n));
        break;
    }
    }
    return RK_OK;
}

/* yes or true; anything else is no. */
static int cfg_yes(const config_at *at, const config_key *k, char *value)
{
    bool yes = strcmp(value, "yes") == 0 || strcmp(value, "true") == 0;
    memcpy((char *)at->target + k->offset, &yes, sizeof(yes));
    return RK_OK;
}

static int cfg_fields(const config_at *at, const config_key *k, char *value)
{
    (void)k;
    char *names[RK_LINK_MAX_FIELDS], copy[1024];
    size_t n;
    if (split_items(copy, sizeof(copy), value, ",", names, RK_LINK_MAX_FIELDS, &n))
        return BAD("more than %d fields", RK_LINK_MAX_FIELDS);
    link_setup probe = *at->s;
    probe.nfields = 0;
    for (size_t f = 0; f < n; f++)
        if (link_setup_add_field(&probe, names[f]) < 0) {
            char valid[256] = "";
            for (size_t b = 0; link_setup_builtin_field(b); b++)
                list_add(valid, sizeof(valid), ", ", link_setup_builtin_field(b));
            return BAD("unknown field '%s'; fields are %s and field:NAME", names[f], valid);
        }
    link_setup_set_fields(at->s, (const char *const *)names, n);
    at->s->fields_set = true;
    return RK_OK;
}

static int cfg_unique(const config_at *at, const config_key *k, char *value)
{
    (void)k;
    snprintf(at->s->unique_lists, sizeof(at->s->unique_lists), "%s", value);
    return RK_OK;
}

static const struct {
    const char *name;
    rk_link_mode mode;
} mode_names[] = {{"both", RK_LINK_BOTH}, {"across", RK_LINK_ACROSS}, {"within", RK_LINK_WITHIN}};

static int cfg_mode(const config_at *at, const config_key *k, char *value)
{
    (void)k;
    char valid[64] = "";
    for (size_t i = 0; i < RK_ARRAY_LEN(mode_names); i++) {
        if (strcmp(mode_names[i].name, value) == 0) {
            at->s->opts.mode = mode_names[i].mode;
            return RK_OK;
        }
        list_add(valid, sizeof(valid), i + 1 < RK_ARRAY_LEN(mode_names) ? ", " : " or ",
                 mode_names[i].name);
    }
    return BAD("mode '%s' is not %s", value, valid);
}

static int cfg_levels(const config_at *at, const config_key *k, char *value)
{
    (void)k;
    rk_link_compare *c = at->target;
    char *specs[RK_LINK_MAX_LEVELS], copy[1024];
    size_t n;
    bool more = split_items(copy, sizeof(copy), value, ";", specs, RK_LINK_MAX_LEVELS, &n);
    for (size_t i = 0; i < n; i++) {
        int rc = level_parse(at, c, i, specs[i]);
        if (rc != RK_OK)
            return rc;
    }
    if (more)
        return BAD("more than %d levels", RK_LINK_MAX_LEVELS);
    c->nlevels = n;
    return RK_OK;
}

static int cfg_parts(const config_at *at, const config_key *k, char *value)
{
    (void)k;
    rk_link_rule *r = at->target;
    char *specs[RK_ARRAY_LEN(r->parts)], copy[512];
    size_t n;
    bool more = split_items(copy, sizeof(copy), value, ",", specs, RK_ARRAY_LEN(r->parts), &n);
    for (r->nparts = 0; r->nparts < n; r->nparts++) {
        int rc = part_parse(at, specs[r->nparts], &r->parts[r->nparts]);
        if (rc != RK_OK)
            return rc;
    }
    return more ? BAD("a blocking rule has at most 4 parts") : RK_OK;
}

static int cfg_split(const config_at *at, const config_key *k, char *value)
{
    (void)k;
    rk_link_rule *r = at->target;
    int rc = part_parse(at, value, &r->split);
    if (rc != RK_OK)
        return rc;
    r->has_split = true;
    return RK_OK;
}

#define KEY(sec, name, setter, what) .section = sec, .key = name, .set = setter, .help = what
#define LINK(member)                 .offset = offsetof(link_setup, member)
#define PROBABILITY(name, member, bounds_out, what)                                                \
    {                                                                                              \
        KEY("link", name, cfg_number, what), LINK(member), .num = NUM_DOUBLE, .lo = 0, .hi = 1,    \
                                                           .open = bounds_out                      \
    }

/* Every setting of the configuration file (docs/linkage.md), by section. */
static const config_key config_keys[] = {
    {KEY("link", "fields", cfg_fields, "comma-separated fields to compare")},
    PROBABILITY("threshold", opts.threshold, OPEN_LO | OPEN_HI,
                "a probability above 0 and below 1"),
    PROBABILITY("review_low", opts.review_low, OPEN_HI, "a probability from 0 to below 1"),
    PROBABILITY("review_high", opts.review_high, OPEN_LO, "a probability above 0, at most 1"),
    PROBABILITY("cannot_link", opts.cannot_link_prob, OPEN_HI, "a probability from 0 to below 1"),
    PROBABILITY("bridge_min_mean", opts.bridge_min_mean, OPEN_HI,
                "a probability from 0 to below 1"),
    PROBABILITY("pair_floor", opts.keep_floor, OPEN_HI, "a probability from 0 to below 1"),
    {KEY("link", "seed", cfg_number, "a whole number, 0 or more"), LINK(opts.seed), .num = NUM_U64,
     .lo = 0, .hi = (double)INT64_MAX},
    {KEY("link", "max_block", cfg_number, "a whole number, 2 or more"), LINK(opts.max_block),
     .num = NUM_SIZE, .lo = 2, .hi = (double)INT64_MAX},
    {KEY("link", "pairs_in_memory", cfg_number, "a whole number of pairs, 0 or more"),
     LINK(opts.pairs_in_memory), .num = NUM_U64, .lo = 0, .hi = (double)INT64_MAX},
    {KEY("link", "max_pairs_per_record", cfg_number, "a number of pairs per record, 1 or more"),
     LINK(max_pairs_per_record), .num = NUM_DOUBLE, .lo = 1, .hi = 1e9},
    {KEY("link", "reference_year", cfg_number, "a year after 1000 and before 2200"),
     LINK(reference_year), .num = NUM_INT, .lo = 1000, .hi = 2200, .open = OPEN_LO | OPEN_HI},
    {KEY("link", "unique", cfg_unique, "comma-separated names of lists that hold no duplicates")},
    {KEY("link", "mode", cfg_mode, "both, across or within")},
    {KEY("link", "u_fixed", cfg_yes, "yes or no"), LINK(opts.u_fixed)},
    {KEY("compare", "levels", cfg_levels, "LEVEL; LEVEL; ..., strongest first")},
    {KEY("compare", "tf", cfg_yes, "yes or no"), .offset = offsetof(rk_link_compare, tf_adjust)},
    {KEY("block", "parts", cfg_parts, "FIELD.KEY, ... (at most 4)")},
    {KEY("block", "split", cfg_split, "FIELD.KEY")},
    {KEY("block", "max_pairs", cfg_number, "a number of pairs a record, 0 (no bound) or more"),
     .offset = offsetof(rk_link_rule, max_pairs), .num = NUM_DOUBLE, .lo = 0, .hi = 1e9},
};

#undef PROBABILITY
#undef LINK
#undef KEY

/* ---- sections ---- */

static int open_link(config_at *at)
{
    at->target = at->s;
    return RK_OK;
}

static int open_compare(config_at *at)
{
    link_setup *s = at->s;
    int f = link_setup_field_index(s, at->sname);
    if (f < 0)
        return BAD("[compare %s]: no such field in this link (see 'fields =')", at->sname);
    rk_link_compare *c = NULL;
    for (size_t k = 0; k < s->ncompare; k++)
        if (s->compare[k].field == (size_t)f)
            c = &s->compare[k];
    if (!c)
        return BAD("[compare %s]: the field is not compared", at->sname);
    at->target = c;
    return RK_OK;
}

/* The first [block] replaces the default rules; the lines of one [block NAME] make one. */
static int open_block(config_at *at)
{
    link_setup *s = at->s;
    if (!at->rules_reset) {
        s->nrules = 0;
        at->rules_reset = true;
    }
    if (s->nrules == 0 || strcmp(s->rule_names[s->nrules - 1], at->sname) != 0) {
        if (s->nrules >= RK_ARRAY_LEN(s->rules))
            return BAD("more than %zu blocking rules", RK_ARRAY_LEN(s->rules));
        link_setup_add_rule(s, at->sname, 0, NULL, false, (rk_link_block_part){0});
    }
    at->target = &s->rules[s->nrules - 1];
    return RK_OK;
}

/* The sections; `arg` names what follows the section's name in its header. */
static const struct config_section {
    const char *name;
    const char *arg;
    int (*open)(config_at *at);
} config_sections[] = {
    {"link", NULL, open_link},
    {"compare", "FIELD", open_compare},
    {"block", "NAME", open_block},
};

static const struct config_section *section_find(const char *name)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(config_sections); i++)
        if (strcmp(config_sections[i].name, name) == 0)
            return &config_sections[i];
    return NULL;
}

static int config_line(config_at *at, const char *section, char *key, char *value)
{
    const struct config_section *sec = section_find(section);
    if (!sec) {
        char valid[128] = "", one[48];
        for (size_t i = 0; i < RK_ARRAY_LEN(config_sections); i++) {
            snprintf(one, sizeof(one), "[%s%s%s]", config_sections[i].name,
                     config_sections[i].arg ? " " : "",
                     config_sections[i].arg ? config_sections[i].arg : "");
            list_add(valid, sizeof(valid), ", ", one);
        }
        return BAD("unknown section [%s]; sections are %s", section, valid);
    }
    int rc = sec->open(at);
    if (rc != RK_OK)
        return rc;
    size_t last = 0;
    for (size_t i = 0; i < RK_ARRAY_LEN(config_keys); i++)
        if (strcmp(config_keys[i].section, section) == 0) {
            if (strcmp(config_keys[i].key, key) == 0)
                return config_keys[i].set(at, &config_keys[i], value);
            last = i;
        }
    char valid[256] = "";
    for (size_t i = 0; i <= last; i++)
        if (strcmp(config_keys[i].section, section) == 0)
            list_add(valid, sizeof(valid), i == last ? " or " : ", ", config_keys[i].key);
    return BAD("'%s' is not a setting of [%s]; use %s", key, section, valid);
}

/* A setting seen already in a configuration file: its section, the section's name, its key and
 * its line. A setting given twice is refused rather than the last one winning. */
typedef struct seen_key {
    char what[160];
    long line;
} seen_key;

static int check_twice(config_at *at, seen_key **seen, size_t *n, size_t *cap, const char *section,
                       const char *key)
{
    char what[160];
    snprintf(what, sizeof(what), "%s\x1f%s\x1f%s", section, at->sname, key);
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*seen)[i].what, what) == 0)
            return BAD("'%s' is given twice in [%s%s%s] (first on line %ld); keep one", key,
                       section, at->sname[0] ? " " : "", at->sname, (*seen)[i].line);
    if (rk_grow((void **)seen, cap, *n + 1, sizeof(**seen)) != RK_OK)
        return rk_error_set(at->ctx, RK_ENOMEM, "out of memory");
    snprintf((*seen)[*n].what, sizeof((*seen)[*n].what), "%s", what);
    (*seen)[(*n)++].line = at->line;
    return RK_OK;
}

int link_setup_read_config(link_setup *s, rk_ctx *ctx, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rk_error_set(ctx, errno == ENOENT ? RK_ENOTFOUND : RK_EIO,
                            "%s: cannot open the link configuration: %s", path, strerror(errno));
    char buf[2048];
    char section[32] = "", sname[64] = "";
    config_at here = {.s = s, .ctx = ctx, .path = path, .sname = sname};
    config_at *at = &here;
    seen_key *seen = NULL;
    size_t nseen = 0, seen_cap = 0;
    int rc = RK_OK;
    while (rc == RK_OK && fgets(buf, sizeof(buf), f)) {
        at->line++;
        if (!strchr(buf, '\n') && !feof(f)) {
            rc = BAD("line longer than %zu bytes", sizeof(buf) - 2);
            break;
        }
        buf[strcspn(buf, "\n")] = '\0';
        char *p = trim(buf);
        if (!*p || *p == '#')
            continue;
        if (*p == '[') {
            char *close = strchr(p, ']');
            if (!close) {
                rc = BAD("section header without ']'");
                break;
            }
            *close = '\0';
            char *inner = trim(p + 1);
            char *sp = strpbrk(inner, " \t");
            if (sp) {
                *sp = '\0';
                snprintf(sname, sizeof(sname), "%s", trim(sp + 1));
            } else {
                sname[0] = '\0';
            }
            snprintf(section, sizeof(section), "%s", inner);
            const struct config_section *sec = section_find(section);
            if (sec && sec->arg && !sname[0]) {
                rc = BAD("[%s] needs a name: [%s NAME]", section, section);
                break;
            }
            continue;
        }
        char *eq = strchr(p, '=');
        if (!eq || !section[0]) {
            rc = BAD(!section[0] ? "a setting before any [section]" : "expected 'key = value'");
            break;
        }
        *eq = '\0';
        char *key = trim(p);
        rc = check_twice(at, &seen, &nseen, &seen_cap, section, key);
        rc = rc ? rc : config_line(at, section, key, trim(eq + 1));
    }
    rk_free(seen);
    fclose(f);
    if (rc == RK_OK)
        for (size_t i = 0; i < s->nrules; i++)
            if (s->rules[i].nparts == 0) {
                rc = rk_error_set(ctx, RK_EINPUT, "%s: [block %s] has no 'parts ='", path,
                                  s->rule_names[i]);
                break;
            }
    return rc;
}

#undef BAD

static const char *mode_name(rk_link_mode mode)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(mode_names); i++)
        if (mode_names[i].mode == mode)
            return mode_names[i].name;
    return "within";
}

int link_setup_to_json(const link_setup *s, rk_buf *b)
{
    int rc = rk_buf_printf(
        b,
        "{\"threshold\":%.17g,\"review_low\":%.17g,\"review_high\":%.17g,"
        "\"pair_floor\":%.17g,\"max_pairs_per_record\":%.17g,\"seed\":%llu,\"max_"
        "block\":%zu,\"mode\":\"%s\","
        "\"u_fixed\":%s,\"reference_year\":%d,\"cannot_link\":%.17g,"
        "\"bridge_min_mean\":%.17g,\"pairs_in_memory\":%llu,\"unique\":",
        s->opts.threshold, s->opts.review_low, s->opts.review_high, s->opts.keep_floor,
        s->max_pairs_per_record, (unsigned long long)s->opts.seed, s->opts.max_block,
        mode_name(s->opts.mode), s->opts.u_fixed ? "true" : "false", s->reference_year,
        s->opts.cannot_link_prob, s->opts.bridge_min_mean,
        (unsigned long long)s->opts.pairs_in_memory);
    rc = rc ? rc : rk_buf_json_string(b, s->unique_lists, strlen(s->unique_lists));
    rc = rc ? rc : rk_buf_puts(b, ",\"fields\":[");
    for (size_t i = 0; i < s->ncompare && rc == RK_OK; i++) {
        const rk_link_compare *c = &s->compare[i];
        rc = rk_buf_printf(b, "%s{\"name\":", i ? "," : "");
        const char *nm = s->fields[c->field].name;
        rc = rc ? rc : rk_buf_json_string(b, nm, strlen(nm));
        rc = rc ? rc : rk_buf_printf(b, ",\"tf\":%s,\"levels\":[", c->tf_adjust ? "true" : "false");
        for (size_t l = 0; l < c->nlevels && rc == RK_OK; l++) {
            const rk_link_level *lv = &c->levels[l];
            rc = rk_buf_printf(b, "%s{\"label\":", l ? "," : "");
            rc = rc ? rc : rk_buf_json_string(b, lv->label, strlen(lv->label));
            rc = rc ? rc
                    : rk_buf_printf(b,
                                    ",\"cmp\":\"%s\",\"key\":%u,\"key2\":%u,\"threshold\":%.17g,"
                                    "\"max_width\":%d}",
                                    link_level_kind_of(lv->cmp)->name, lv->tag, lv->tag2,
                                    lv->threshold, lv->max_width);
        }
        rc = rc ? rc : rk_buf_puts(b, "]}");
    }
    rc = rc ? rc : rk_buf_puts(b, "],\"blocking\":[");
    for (size_t i = 0; i < s->nrules && rc == RK_OK; i++) {
        const rk_link_rule *r = &s->rules[i];
        rc = rk_buf_printf(b, "%s{\"name\":", i ? "," : "");
        rc = rc ? rc : rk_buf_json_string(b, r->name, strlen(r->name));
        rc = rc ? rc : rk_buf_puts(b, ",\"parts\":[");
        for (size_t p = 0; p < r->nparts && rc == RK_OK; p++)
            rc = rk_buf_printf(b, "%s\"%s.%u%s\"", p ? "," : "", s->fields[r->parts[p].field].name,
                               r->parts[p].date_unit ? (unsigned)r->parts[p].date_unit
                                                     : r->parts[p].tag,
                               r->parts[p].one_off ? "~1" : "");
        rc = rc ? rc : rk_buf_puts(b, "]");
        /* Only when set: set-ups recorded before there was a bound read the same. */
        if (rc == RK_OK && r->max_pairs > 0)
            rc = rk_buf_printf(b, ",\"max_pairs\":%.17g", r->max_pairs);
        rc = rc ? rc : rk_buf_puts(b, "}");
    }
    rc = rc ? rc : rk_buf_puts(b, "]}");
    return rc;
}
