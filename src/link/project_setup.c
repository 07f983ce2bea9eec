/* The set-up of a project link: fields, comparison levels and blocking rules. The defaults
 * work untuned on victim lists with the standard roles; a configuration file (docs/linkage.md)
 * changes any part of them. */
#include "project_private.h"

#include <ctype.h>

static const struct {
    const char *name;
    field_source source;
    rk_link_field_type type;
} builtin_fields[] = {
    {"given", SRC_GIVEN, RK_LINK_STRING},
    {"family", SRC_FAMILY, RK_LINK_STRING},
    {"patronymic", SRC_PATRONYMIC, RK_LINK_STRING},
    {"birth", SRC_BIRTH, RK_LINK_DATE},
    {"death", SRC_DEATH, RK_LINK_DATE},
    {"sex", SRC_SEX, RK_LINK_STRING},
    {"place", SRC_PLACE, RK_LINK_STRING},
    {"region", SRC_REGION, RK_LINK_STRING},
};

static const struct {
    const char *name;
    uint8_t tag;
} tag_names[] = {
    {"sound", TAG_SOUND}, {"latin", TAG_LATIN},   {"skeleton", TAG_SKEL}, {"nick", TAG_NICK},
    {"value", TAG_VALUE}, {"vsound", TAG_VSOUND}, {"all", TAG_ALL},
};

/* Index of a field by name, or -1. */
static int setup_field_index(const link_setup *s, const char *name)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int add_field(link_setup *s, const char *name)
{
    if (s->nfields >= RK_LINK_MAX_FIELDS)
        return -1;
    setup_field *f = &s->fields[s->nfields];
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "%s", name);
    f->index = s->nfields;
    if (strncmp(name, "field:", 6) == 0 && name[6]) {
        f->source = SRC_EXTRA;
        f->type = RK_LINK_STRING;
        return (int)s->nfields++;
    }
    for (size_t i = 0; i < RK_ARRAY_LEN(builtin_fields); i++)
        if (strcmp(builtin_fields[i].name, name) == 0) {
            f->source = builtin_fields[i].source;
            f->type = builtin_fields[i].type;
            return (int)s->nfields++;
        }
    return -1;
}

static void set_level(link_setup *s, rk_link_compare *c, size_t i, rk_link_level l,
                      const char *label)
{
    size_t ci = (size_t)(c - s->compare);
    snprintf(s->level_labels[ci][i], sizeof(s->level_labels[ci][i]), "%s", label);
    l.label = s->level_labels[ci][i];
    c->levels[i] = l;
}

/* The default levels of a field, by its kind. */
static void default_compare(link_setup *s, size_t field)
{
    rk_link_compare *c = &s->compare[s->ncompare++];
    memset(c, 0, sizeof(*c));
    c->field = field;
    size_t n = 0;
    switch (s->fields[field].source) {
    case SRC_GIVEN:
    case SRC_FAMILY:
        /* Names of several words (María del Carmen; Quispe Huamán) agree fully, agree with
         * some words missing on one side, or share one word while others differ: the last
         * is weaker evidence than the first two. */
        c->tf_adjust = true;
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_ALL}, "same names");
        set_level(s, c, n++,
                  (rk_link_level){.cmp = RK_CMP_TOKENSET, .tag = TAG_ALL, .threshold = 1.0},
                  "same names, some missing");
        if (s->fields[field].source == SRC_GIVEN)
            set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_NICK}, "nickname");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_SOUND},
                  "a name in common");
        /* A word in Arabic script without its vowels has no sound key to agree on; its
         * consonants agreeing is as good as a shared name (حسام ~ Husam). */
        set_level(s, c, n++,
                  (rk_link_level){.cmp = RK_CMP_CROSS, .tag = TAG_ABJAD, .tag2 = TAG_SKEL},
                  "unvocalized, same consonants");
        /* One letter added, dropped, changed or two swapped: a typing or reading error. */
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_OSA, .tag = TAG_LATIN, .threshold = 1},
                  "one letter off");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_SOUND, .threshold = 0.92},
                  "key jw>=0.92");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_SKEL},
                  "same skeleton");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_SOUND, .threshold = 0.80},
                  "key jw>=0.80");
        break;
    case SRC_PATRONYMIC:
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_SOUND}, "same key");
        set_level(s, c, n++,
                  (rk_link_level){.cmp = RK_CMP_CROSS, .tag = TAG_ABJAD, .tag2 = TAG_SKEL},
                  "unvocalized, same consonants");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_SOUND, .threshold = 0.88},
                  "key jw>=0.88");
        break;
    case SRC_BIRTH:
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 0},
                  "same day");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 31},
                  "same month");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 800},
                  "same year or age-consistent");
        set_level(s, c, n++,
                  (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 366, .max_width = 800},
                  "within a year");
        set_level(s, c, n++,
                  (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 1100, .max_width = 800},
                  "within three years");
        break;
    case SRC_DEATH:
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 0},
                  "same day");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 7, .max_width = 0},
                  "within a week");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 31},
                  "same month");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 366},
                  "same year");
        break;
    case SRC_SEX:
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_VALUE}, "same");
        break;
    case SRC_PLACE:
    case SRC_REGION:
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_VALUE}, "same");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_VALUE, .threshold = 0.9},
                  "jw>=0.90");
        break;
    case SRC_EXTRA:
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_VALUE}, "same");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_OSA, .tag = TAG_VALUE, .threshold = 1},
                  "edit<=1");
        set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_VALUE, .threshold = 0.88},
                  "jw>=0.88");
        break;
    }
    c->nlevels = n;
}

static void add_rule(link_setup *s, const char *name, size_t nparts, const rk_link_block_part *p,
                     bool has_split, rk_link_block_part split)
{
    if (s->nrules >= RK_ARRAY_LEN(s->rules))
        return;
    rk_link_rule *r = &s->rules[s->nrules];
    snprintf(s->rule_names[s->nrules], sizeof(s->rule_names[0]), "%s", name);
    *r = (rk_link_rule){
        .name = s->rule_names[s->nrules], .nparts = nparts, .has_split = has_split, .split = split};
    if (nparts)
        memcpy(r->parts, p, nparts * sizeof(*p));
    s->nrules++;
}

static void default_rules(link_setup *s)
{
    int given = setup_field_index(s, "given"), family = setup_field_index(s, "family");
    int patr = setup_field_index(s, "patronymic"), birth = setup_field_index(s, "birth");
    int place = setup_field_index(s, "place"), death = setup_field_index(s, "death");
    int sex = setup_field_index(s, "sex");
    s->nrules = 0;
#define PART(f, t, u) ((rk_link_block_part){.field = (size_t)(f), .tag = (t), .date_unit = (u)})
    if (family >= 0 && birth >= 0)
        add_rule(s, "family key + birth year", 2,
                 (rk_link_block_part[]){PART(family, TAG_SOUND, 0), PART(birth, 0, 1)}, given >= 0,
                 PART(given, TAG_SOUND, 0));
    if (family >= 0 && given >= 0)
        add_rule(s, "family key + given key", 2,
                 (rk_link_block_part[]){PART(family, TAG_SOUND, 0), PART(given, TAG_SOUND, 0)},
                 birth >= 0, PART(birth, 0, 1));
    if (given >= 0 && patr >= 0)
        add_rule(s, "given key + patronymic key", 2,
                 (rk_link_block_part[]){PART(given, TAG_SOUND, 0), PART(patr, TAG_SOUND, 0)},
                 place >= 0, PART(place, TAG_VALUE, 0));
    if (given >= 0 && birth >= 0)
        add_rule(s, "given key + birth year", 2,
                 (rk_link_block_part[]){PART(given, TAG_SOUND, 0), PART(birth, 0, 1)}, place >= 0,
                 PART(place, TAG_VALUE, 0));
    if (family >= 0 && given >= 0)
        add_rule(s, "family skeleton + given skeleton", 2,
                 (rk_link_block_part[]){PART(family, TAG_SKEL, 0), PART(given, TAG_SKEL, 0)},
                 birth >= 0, PART(birth, 0, 1));
    if (family >= 0 && patr >= 0)
        add_rule(s, "family key + patronymic key", 2,
                 (rk_link_block_part[]){PART(family, TAG_SOUND, 0), PART(patr, TAG_SOUND, 0)},
                 birth >= 0, PART(birth, 0, 1));
    if (birth >= 0)
        add_rule(s, "birth day", 1, (rk_link_block_part[]){PART(birth, 0, 3)}, sex >= 0,
                 PART(sex, TAG_VALUE, 0));
    if (family >= 0 && birth >= 0)
        add_rule(s, "family skeleton + birth year", 2,
                 (rk_link_block_part[]){PART(family, TAG_SKEL, 0), PART(birth, 0, 1)}, given >= 0,
                 PART(given, TAG_SKEL, 0));
    if (given >= 0 && death >= 0)
        add_rule(s, "given skeleton + death day", 2,
                 (rk_link_block_part[]){PART(given, TAG_SKEL, 0), PART(death, 0, 3)}, family >= 0,
                 PART(family, TAG_SKEL, 0));
    if (family >= 0 && death >= 0)
        add_rule(s, "family key + death month", 2,
                 (rk_link_block_part[]){PART(family, TAG_SOUND, 0), PART(death, 0, 2)}, given >= 0,
                 PART(given, TAG_SOUND, 0));
#undef PART
}

static void set_fields(link_setup *s, const char *const *names, size_t n)
{
    s->nfields = 0;
    s->ncompare = 0;
    for (size_t i = 0; i < n; i++) {
        int f = add_field(s, names[i]);
        if (f >= 0)
            default_compare(s, (size_t)f);
    }
    default_rules(s);
}

void setup_defaults(link_setup *s)
{
    memset(s, 0, sizeof(*s));
    static const char *const names[] = {"given", "family", "patronymic", "birth",
                                        "death", "sex",    "place"};
    set_fields(s, names, RK_ARRAY_LEN(names));
    rk_link_options o = RK_LINK_OPTIONS_INIT;
    s->opts = o;
    s->pair_floor = 0.01;
}

/* ---- the configuration file ---- */

static char *trim(char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    char *e = p + strlen(p);
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return p;
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

#define BAD(...) rk_error_set_at(ctx, RK_EINPUT, path, line, 1, __VA_ARGS__)

/* One level: "exact [TAG]", "jw T [TAG]", "edit N [TAG]", "tokens T [TAG]", "nickname",
 * "skeleton", "date DAYS [WIDTH]". */
static int level_parse(link_setup *s, rk_link_compare *c, size_t i, char *spec, rk_ctx *ctx,
                       const char *path, long line)
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
    double num = 0;
    size_t tag_at = 1;
    if (strcmp(words[0], "exact") == 0) {
        l.cmp = RK_CMP_EXACT;
    } else if (strcmp(words[0], "nickname") == 0) {
        l.cmp = RK_CMP_EXACT;
        l.tag = TAG_NICK;
        tag_at = 9;
    } else if (strcmp(words[0], "skeleton") == 0) {
        l.cmp = RK_CMP_EXACT;
        l.tag = TAG_SKEL;
        tag_at = 9;
    } else if (strcmp(words[0], "unvocalized") == 0) {
        l.cmp = RK_CMP_CROSS;
        l.tag = TAG_ABJAD;
        l.tag2 = TAG_SKEL;
        tag_at = 9;
    } else if (strcmp(words[0], "jw") == 0 || strcmp(words[0], "edit") == 0 ||
               strcmp(words[0], "tokens") == 0 || strcmp(words[0], "date") == 0) {
        if (nw < 2 || rk_parse_double(words[1], &num) != RK_OK || num < 0)
            return BAD("level '%s' needs a number after it", words[0]);
        l.threshold = num;
        tag_at = 2;
        if (words[0][0] == 'j')
            l.cmp = RK_CMP_JW;
        else if (words[0][0] == 'e')
            l.cmp = RK_CMP_OSA;
        else if (words[0][0] == 't')
            l.cmp = RK_CMP_TOKENSET;
        else {
            l.cmp = RK_CMP_DATE;
            double w = 0;
            if (nw >= 3 && (rk_parse_double(words[2], &w) != RK_OK || w < 0))
                return BAD("date level: the width '%s' is not a number of days", words[2]);
            l.max_width = (int32_t)w;
            tag_at = 9;
        }
    } else {
        return BAD("unknown level '%s'; levels are exact, jw, edit, tokens, nickname, skeleton, "
                   "unvocalized, date",
                   words[0]);
    }
    if (tag_at < nw && tag_parse(words[tag_at], &l.tag) != RK_OK)
        return BAD("unknown key '%s'; keys are sound, latin, skeleton, nick, all, value, vsound",
                   words[tag_at]);
    char label[40];
    snprintf(label, sizeof(label), "%s%s%s", words[0], nw > 1 ? " " : "", nw > 1 ? words[1] : "");
    set_level(s, c, i, l, label);
    return RK_OK;
}

static int part_parse(const link_setup *s, const char *spec, rk_link_block_part *out, rk_ctx *ctx,
                      const char *path, long line)
{
    char buf[96];
    snprintf(buf, sizeof(buf), "%s", spec);
    char *dot = strrchr(buf, '.');
    if (!dot)
        return BAD("block part '%s' must be FIELD.KEY (family.sound, birth.year)", spec);
    *dot = '\0';
    int f = setup_field_index(s, buf);
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
    if (tag_parse(key, &out->tag) != RK_OK)
        return BAD("block part '%s': unknown key '%s'", spec, key);
    return RK_OK;
}

static int config_line(link_setup *s, rk_ctx *ctx, const char *path, long line, const char *section,
                       const char *sname, char *key, char *value, bool *rules_reset)
{
    if (strcmp(section, "link") == 0) {
        double d;
        int64_t i;
        if (strcmp(key, "fields") == 0) {
            const char *names[RK_LINK_MAX_FIELDS];
            char copy[1024];
            snprintf(copy, sizeof(copy), "%s", value);
            size_t n = 0;
            char *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                if (n >= RK_LINK_MAX_FIELDS)
                    return BAD("more than %d fields", RK_LINK_MAX_FIELDS);
                names[n++] = trim(t);
            }
            link_setup probe = *s;
            probe.nfields = 0;
            for (size_t k = 0; k < n; k++)
                if (add_field(&probe, names[k]) < 0)
                    return BAD("unknown field '%s'; fields are given, family, patronymic, birth, "
                               "death, sex, place, region and field:NAME",
                               names[k]);
            set_fields(s, names, n);
        } else if (strcmp(key, "threshold") == 0 && rk_parse_double(value, &d) == RK_OK && d > 0 &&
                   d < 1) {
            s->opts.threshold = d;
        } else if (strcmp(key, "review_low") == 0 && rk_parse_double(value, &d) == RK_OK &&
                   d >= 0 && d < 1) {
            s->opts.review_low = d;
        } else if (strcmp(key, "review_high") == 0 && rk_parse_double(value, &d) == RK_OK &&
                   d > 0 && d <= 1) {
            s->opts.review_high = d;
        } else if (strcmp(key, "cannot_link") == 0 && rk_parse_double(value, &d) == RK_OK &&
                   d >= 0 && d < 1) {
            s->opts.cannot_link_prob = d;
        } else if (strcmp(key, "bridge_min_mean") == 0 && rk_parse_double(value, &d) == RK_OK &&
                   d >= 0 && d < 1) {
            s->opts.bridge_min_mean = d;
        } else if (strcmp(key, "pair_floor") == 0 && rk_parse_double(value, &d) == RK_OK &&
                   d >= 0 && d < 1) {
            s->pair_floor = d;
        } else if (strcmp(key, "seed") == 0 && rk_parse_i64(value, &i) == RK_OK && i >= 0) {
            s->opts.seed = (uint64_t)i;
        } else if (strcmp(key, "max_block") == 0 && rk_parse_i64(value, &i) == RK_OK && i >= 2) {
            s->opts.max_block = (size_t)i;
        } else if (strcmp(key, "reference_year") == 0 && rk_parse_i64(value, &i) == RK_OK &&
                   i > 1000 && i < 2200) {
            s->reference_year = (int)i;
        } else if (strcmp(key, "unique") == 0) {
            snprintf(s->unique_lists, sizeof(s->unique_lists), "%s", value);
        } else if (strcmp(key, "mode") == 0) {
            if (strcmp(value, "both") == 0)
                s->opts.mode = RK_LINK_BOTH;
            else if (strcmp(value, "across") == 0)
                s->opts.mode = RK_LINK_ACROSS;
            else if (strcmp(value, "within") == 0)
                s->opts.mode = RK_LINK_WITHIN;
            else
                return BAD("mode '%s' is not both, across or within", value);
        } else if (strcmp(key, "u_fixed") == 0) {
            s->opts.u_fixed = strcmp(value, "yes") == 0 || strcmp(value, "true") == 0;
        } else {
            return BAD("'%s = %s' is not a setting of [link] (or its value is out of range)", key,
                       value);
        }
        return RK_OK;
    }
    if (strcmp(section, "compare") == 0) {
        int f = setup_field_index(s, sname);
        if (f < 0)
            return BAD("[compare %s]: no such field in this link (see 'fields =')", sname);
        rk_link_compare *c = NULL;
        for (size_t k = 0; k < s->ncompare; k++)
            if (s->compare[k].field == (size_t)f)
                c = &s->compare[k];
        if (!c)
            return BAD("[compare %s]: the field is not compared", sname);
        if (strcmp(key, "levels") == 0) {
            char copy[1024];
            snprintf(copy, sizeof(copy), "%s", value);
            size_t n = 0;
            char *save = NULL;
            for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
                if (n >= RK_LINK_MAX_LEVELS)
                    return BAD("more than %d levels", RK_LINK_MAX_LEVELS);
                int rc = level_parse(s, c, n, trim(t), ctx, path, line);
                if (rc != RK_OK)
                    return rc;
                n++;
            }
            c->nlevels = n;
        } else if (strcmp(key, "tf") == 0) {
            c->tf_adjust = strcmp(value, "yes") == 0 || strcmp(value, "true") == 0;
        } else {
            return BAD("'%s' is not a setting of [compare]; use levels or tf", key);
        }
        return RK_OK;
    }
    if (strcmp(section, "block") == 0) {
        if (!*rules_reset) {
            s->nrules = 0;
            *rules_reset = true;
        }
        if (s->nrules == 0 || strcmp(s->rule_names[s->nrules - 1], sname) != 0) {
            if (s->nrules >= RK_ARRAY_LEN(s->rules))
                return BAD("more than %zu blocking rules", RK_ARRAY_LEN(s->rules));
            add_rule(s, sname, 0, NULL, false, (rk_link_block_part){0});
        }
        rk_link_rule *r = &s->rules[s->nrules - 1];
        if (strcmp(key, "parts") == 0) {
            char copy[512];
            snprintf(copy, sizeof(copy), "%s", value);
            r->nparts = 0;
            char *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                if (r->nparts >= 4)
                    return BAD("a blocking rule has at most 4 parts");
                int rc = part_parse(s, trim(t), &r->parts[r->nparts], ctx, path, line);
                if (rc != RK_OK)
                    return rc;
                r->nparts++;
            }
        } else if (strcmp(key, "split") == 0) {
            int rc = part_parse(s, value, &r->split, ctx, path, line);
            if (rc != RK_OK)
                return rc;
            r->has_split = true;
        } else {
            return BAD("'%s' is not a setting of [block]; use parts or split", key);
        }
        return RK_OK;
    }
    return BAD("unknown section [%s]; sections are [link], [compare FIELD], [block NAME]", section);
}

int setup_read_config(link_setup *s, rk_ctx *ctx, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rk_error_set(ctx, errno == ENOENT ? RK_ENOTFOUND : RK_EIO,
                            "%s: cannot open the link configuration: %s", path, strerror(errno));
    char buf[2048];
    char section[32] = "", sname[64] = "";
    long line = 0;
    int rc = RK_OK;
    bool rules_reset = false;
    while (rc == RK_OK && fgets(buf, sizeof(buf), f)) {
        line++;
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
            if ((strcmp(section, "compare") == 0 || strcmp(section, "block") == 0) && !sname[0]) {
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
        rc = config_line(s, ctx, path, line, section, sname, trim(p), trim(eq + 1), &rules_reset);
    }
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

static const char *cmp_name(rk_link_cmp c)
{
    switch (c) {
    case RK_CMP_EXACT:
        return "exact";
    case RK_CMP_JW:
        return "jw";
    case RK_CMP_OSA:
        return "edit";
    case RK_CMP_TOKENSET:
        return "tokens";
    case RK_CMP_CALLBACK:
        return "callback";
    case RK_CMP_CROSS:
        return "cross";
    default:
        return "date";
    }
}

int setup_to_json(const link_setup *s, rk_buf *b)
{
    int rc = rk_buf_printf(b,
                           "{\"threshold\":%.17g,\"review_low\":%.17g,\"review_high\":%.17g,"
                           "\"pair_floor\":%.17g,\"seed\":%llu,\"max_block\":%zu,\"mode\":\"%s\","
                           "\"u_fixed\":%s,\"reference_year\":%d,\"cannot_link\":%.17g,"
                           "\"bridge_min_mean\":%.17g,\"unique\":",
                           s->opts.threshold, s->opts.review_low, s->opts.review_high,
                           s->pair_floor, (unsigned long long)s->opts.seed, s->opts.max_block,
                           s->opts.mode == RK_LINK_BOTH     ? "both"
                           : s->opts.mode == RK_LINK_ACROSS ? "across"
                                                            : "within",
                           s->opts.u_fixed ? "true" : "false", s->reference_year,
                           s->opts.cannot_link_prob, s->opts.bridge_min_mean);
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
                                    cmp_name(lv->cmp), lv->tag, lv->tag2, lv->threshold,
                                    lv->max_width);
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
            rc = rk_buf_printf(b, "%s\"%s.%u\"", p ? "," : "", s->fields[r->parts[p].field].name,
                               r->parts[p].date_unit ? (unsigned)r->parts[p].date_unit
                                                     : r->parts[p].tag);
        rc = rc ? rc : rk_buf_puts(b, "]}");
    }
    rc = rc ? rc : rk_buf_puts(b, "]}");
    return rc;
}
