/* The set-up of a project link: fields, comparison levels and blocking rules. The defaults
 * work untuned on victim lists with the standard roles; a configuration file (docs/linkage.md,
 * read by project_config.c) changes any part of them. */
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

const char *link_setup_builtin_field(size_t i)
{
    return i < RK_ARRAY_LEN(builtin_fields) ? builtin_fields[i].name : NULL;
}

/* Index of a field by name, or -1. */
int link_setup_field_index(const link_setup *s, const char *name)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

int link_setup_add_field(link_setup *s, const char *name)
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

void link_setup_set_level(link_setup *s, rk_link_compare *c, size_t i, rk_link_level l,
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
        link_setup_set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_ALL},
                             "same names");
        link_setup_set_level(
            s, c, n++, (rk_link_level){.cmp = RK_CMP_TOKENSET, .tag = TAG_ALL, .threshold = 1.0},
            "same names, some missing");
        if (s->fields[field].source == SRC_GIVEN)
            link_setup_set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_NICK},
                                 "nickname");
        link_setup_set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_SOUND},
                             "a name in common");
        /* A word in Arabic script without its vowels has no sound key to agree on; its
         * consonants agreeing is as good as a shared name (حسام ~ Husam). */
        link_setup_set_level(
            s, c, n++, (rk_link_level){.cmp = RK_CMP_CROSS, .tag = TAG_ABJAD, .tag2 = TAG_SKEL},
            "unvocalized, same consonants");
        /* One letter added, dropped, changed or two swapped: a typing or reading error. */
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_OSA, .tag = TAG_LATIN, .threshold = 1},
                             "one letter off");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_SOUND, .threshold = 0.92},
                             "key jw>=0.92");
        link_setup_set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_SKEL},
                             "same skeleton");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_SOUND, .threshold = 0.80},
                             "key jw>=0.80");
        break;
    case SRC_PATRONYMIC:
        link_setup_set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_SOUND},
                             "same key");
        link_setup_set_level(
            s, c, n++, (rk_link_level){.cmp = RK_CMP_CROSS, .tag = TAG_ABJAD, .tag2 = TAG_SKEL},
            "unvocalized, same consonants");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_SOUND, .threshold = 0.88},
                             "key jw>=0.88");
        break;
    case SRC_BIRTH:
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 0},
                             "same day");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 31},
                             "same month");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 800},
                             "same year or age-consistent");
        /* An age without a date of death covers the births of the years of the project's
         * deaths: consistent with a date, it is weak evidence, not a disagreement. */
        link_setup_set_level(
            s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 18300},
            "consistent with an age undated");
        link_setup_set_level(
            s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 366, .max_width = 800},
            "within a year");
        link_setup_set_level(
            s, c, n++, (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 1100, .max_width = 800},
            "within three years");
        break;
    case SRC_DEATH:
        /* Dates that agree at their precision (a month against a day in it) come before
         * the near misses of two days: the model keeps each level's weight at most that of
         * the one before it, and a compatible partial date is evidence for a match where
         * two days a few days apart are evidence against one. */
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 0},
                             "same day");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 31},
                             "same month");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 0, .max_width = 366},
                             "same year");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_DATE, .threshold = 7, .max_width = 0},
                             "within a week");
        break;
    case SRC_SEX:
        link_setup_set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_VALUE},
                             "same");
        break;
    case SRC_PLACE:
    case SRC_REGION:
        link_setup_set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_VALUE},
                             "same");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_VALUE, .threshold = 0.9},
                             "jw>=0.90");
        break;
    case SRC_EXTRA: {
        /* By the kind of the values the project holds (link_setup_read_extras): codes agree
         * or differ by one typed digit; words as a person's address is written, the levels
         * of Febrl's configurations. */
        bool code = false;
        for (size_t e = 0; e < s->nextras && e < LINK_MAX_EXTRAS; e++)
            if (strcmp(s->extras[e].name, s->fields[field].name) == 0)
                code = s->extras[e].code;
        link_setup_set_level(s, c, n++, (rk_link_level){.cmp = RK_CMP_EXACT, .tag = TAG_VALUE},
                             "same");
        if (code) {
            link_setup_set_level(
                s, c, n++, (rk_link_level){.cmp = RK_CMP_OSA, .tag = TAG_VALUE, .threshold = 1},
                "edit<=1");
            break;
        }
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_VALUE, .threshold = 0.94},
                             "jw>=0.94");
        link_setup_set_level(s, c, n++,
                             (rk_link_level){.cmp = RK_CMP_JW, .tag = TAG_VALUE, .threshold = 0.88},
                             "jw>=0.88");
        break;
    }
    }
    c->nlevels = n;
}

rk_link_rule *link_setup_add_rule(link_setup *s, const char *name, size_t nparts,
                                  const rk_link_block_part *p, bool has_split,
                                  rk_link_block_part split)
{
    if (s->nrules >= RK_ARRAY_LEN(s->rules))
        return NULL;
    rk_link_rule *r = &s->rules[s->nrules];
    snprintf(s->rule_names[s->nrules], sizeof(s->rule_names[0]), "%s", name);
    *r = (rk_link_rule){
        .name = s->rule_names[s->nrules], .nparts = nparts, .has_split = has_split, .split = split};
    if (nparts)
        memcpy(r->parts, p, nparts * sizeof(*p));
    s->nrules++;
    return r;
}

/* The most pairs a record the default 'birth day' rule may compare (docs/linkage.md,
 * "Blocking at scale"). */
#define BIRTH_DAY_MAX_PAIRS 20

static void default_rules(link_setup *s)
{
    int given = link_setup_field_index(s, "given"), family = link_setup_field_index(s, "family");
    int patr = link_setup_field_index(s, "patronymic"), birth = link_setup_field_index(s, "birth");
    int place = link_setup_field_index(s, "place"), death = link_setup_field_index(s, "death");
    int sex = link_setup_field_index(s, "sex");
    s->nrules = 0;
#define PART(f, t, u) ((rk_link_block_part){.field = (size_t)(f), .tag = (t), .date_unit = (u)})
    if (family >= 0 && birth >= 0)
        link_setup_add_rule(s, "family key + birth year", 2,
                            (rk_link_block_part[]){PART(family, TAG_SOUND, 0), PART(birth, 0, 1)},
                            given >= 0, PART(given, TAG_SOUND, 0));
    if (family >= 0 && given >= 0)
        link_setup_add_rule(
            s, "family key + given key", 2,
            (rk_link_block_part[]){PART(family, TAG_SOUND, 0), PART(given, TAG_SOUND, 0)},
            birth >= 0, PART(birth, 0, 1));
    if (given >= 0 && patr >= 0)
        link_setup_add_rule(
            s, "given key + patronymic key", 2,
            (rk_link_block_part[]){PART(given, TAG_SOUND, 0), PART(patr, TAG_SOUND, 0)}, place >= 0,
            PART(place, TAG_VALUE, 0));
    if (given >= 0 && birth >= 0)
        link_setup_add_rule(s, "given key + birth year", 2,
                            (rk_link_block_part[]){PART(given, TAG_SOUND, 0), PART(birth, 0, 1)},
                            place >= 0, PART(place, TAG_VALUE, 0));
    if (family >= 0 && given >= 0)
        link_setup_add_rule(
            s, "family skeleton + given skeleton", 2,
            (rk_link_block_part[]){PART(family, TAG_SKEL, 0), PART(given, TAG_SKEL, 0)}, birth >= 0,
            PART(birth, 0, 1));
    if (family >= 0 && patr >= 0)
        link_setup_add_rule(
            s, "family key + patronymic key", 2,
            (rk_link_block_part[]){PART(family, TAG_SOUND, 0), PART(patr, TAG_SOUND, 0)},
            birth >= 0, PART(birth, 0, 1));
    /* Some 30,000 birth days: each day's block grows with the records, its pairs with their
     * square (7 pairs a record at a million records, 66 at ten million: half of all the pairs
     * then, a third of the run's time, for 0.3 points of F1): left out past
     * BIRTH_DAY_MAX_PAIRS a record. */
    if (birth >= 0) {
        rk_link_rule *r =
            link_setup_add_rule(s, "birth day", 1, (rk_link_block_part[]){PART(birth, 0, 3)},
                                sex >= 0, PART(sex, TAG_VALUE, 0));
        if (r)
            r->max_pairs = BIRTH_DAY_MAX_PAIRS;
    }
    if (family >= 0 && birth >= 0)
        link_setup_add_rule(s, "family skeleton + birth year", 2,
                            (rk_link_block_part[]){PART(family, TAG_SKEL, 0), PART(birth, 0, 1)},
                            given >= 0, PART(given, TAG_SKEL, 0));
    if (given >= 0 && death >= 0)
        link_setup_add_rule(s, "given skeleton + death day", 2,
                            (rk_link_block_part[]){PART(given, TAG_SKEL, 0), PART(death, 0, 3)},
                            family >= 0, PART(family, TAG_SKEL, 0));
    if (family >= 0 && death >= 0)
        link_setup_add_rule(s, "family key + death month", 2,
                            (rk_link_block_part[]){PART(family, TAG_SOUND, 0), PART(death, 0, 2)},
                            given >= 0, PART(given, TAG_SOUND, 0));
    /* A father's name with a date: names of the person typed wrong twice over. */
    if (patr >= 0 && death >= 0)
        link_setup_add_rule(s, "patronymic key + death day", 2,
                            (rk_link_block_part[]){PART(patr, TAG_SOUND, 0), PART(death, 0, 3)},
                            family >= 0, PART(family, TAG_SKEL, 0));
    if (patr >= 0 && birth >= 0)
        link_setup_add_rule(s, "patronymic key + birth year", 2,
                            (rk_link_block_part[]){PART(patr, TAG_SOUND, 0), PART(birth, 0, 1)},
                            family >= 0, PART(family, TAG_SKEL, 0));
    /* A name typed one letter off and nothing else to block on (no date on one side): the
     * other name's key with every key of this one that leaves out a letter. */
    if (given >= 0 && family >= 0) {
        rk_link_block_part g1 = PART(given, TAG_LATIN, 0), f1 = PART(family, TAG_LATIN, 0);
        g1.one_off = f1.one_off = true;
        link_setup_add_rule(s, "given key + family one letter off", 2,
                            (rk_link_block_part[]){PART(given, TAG_SOUND, 0), f1}, birth >= 0,
                            PART(birth, 0, 1));
        link_setup_add_rule(s, "family key + given one letter off", 2,
                            (rk_link_block_part[]){PART(family, TAG_SOUND, 0), g1}, birth >= 0,
                            PART(birth, 0, 1));
    }
#undef PART
}

void link_setup_set_fields(link_setup *s, const char *const *names, size_t n)
{
    s->nfields = 0;
    s->ncompare = 0;
    for (size_t i = 0; i < n; i++) {
        int f = link_setup_add_field(s, names[i]);
        if (f >= 0)
            default_compare(s, (size_t)f);
    }
    default_rules(s);
}

void link_setup_defaults(link_setup *s)
{
    memset(s, 0, sizeof(*s));
    static const char *const names[] = {"given", "family", "patronymic", "birth",
                                        "death", "sex",    "place"};
    link_setup_set_fields(s, names, RK_ARRAY_LEN(names));
    rk_link_options o = RK_LINK_OPTIONS_INIT;
    s->opts = o;
    s->opts.keep_floor = LINK_PAIR_FLOOR;
    s->max_pairs_per_record = LINK_MAX_PAIRS_PER_RECORD;
}

void link_setup_add_extras(link_setup *s)
{
    const char *names[RK_LINK_MAX_FIELDS];
    size_t n = 0;
    for (size_t f = 0; f < s->nfields; f++)
        names[n++] = s->fields[f].name;
    for (size_t e = 0; e < s->nextras && e < LINK_MAX_EXTRAS; e++) {
        setup_extra *x = &s->extras[e];
        x->compared = !x->too_long && n < RK_LINK_MAX_FIELDS;
        if (x->compared)
            names[n++] = x->name;
    }
    /* set_fields rewrites s->fields from names, which point into it: copies first. */
    char copy[RK_LINK_MAX_FIELDS][sizeof(s->fields[0].name)];
    for (size_t i = 0; i < n; i++) {
        snprintf(copy[i], sizeof(copy[i]), "%s", names[i]);
        names[i] = copy[i];
    }
    link_setup_set_fields(s, names, n);
}
