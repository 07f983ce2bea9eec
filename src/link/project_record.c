/* One record's link keys and dates (the load's parse: project_load.c reads the rows): names
 * parsed and keyed by the text module (per list language and name order), dates as ranges (an
 * age becomes the birth dates consistent with it), sex, places and extras folded. */
#include "project_private.h"

#include <ctype.h>

/* "1992-04-03" with its precision as a link date range. */
static rk_link_date iso_date(const char *iso, const char *prec)
{
    if (!iso || !prec)
        return RK_LINK_DATE_MISSING;
    int64_t y = 0, m = 0, d = 0;
    char part[8];
    size_t n = strlen(iso);
    if (n >= 4) {
        memcpy(part, iso, 4);
        part[4] = '\0';
        rk_parse_i64(&y, part);
    }
    if (n >= 7 && strcmp(prec, "year") != 0) {
        memcpy(part, iso + 5, 2);
        part[2] = '\0';
        rk_parse_i64(&m, part);
    }
    if (n >= 10 && strcmp(prec, "day") == 0) {
        memcpy(part, iso + 8, 2);
        part[2] = '\0';
        rk_parse_i64(&d, part);
    }
    if (y <= 0)
        return RK_LINK_DATE_MISSING;
    return rk_link_date_ymd((int)y, (int)m, (int)d);
}

static int add_key(rk_ctx *ctx, rk_link_data *d, int field, uint8_t tag, const char *s)
{
    if (field < 0 || !s || !*s)
        return RK_OK;
    return rk_link_data_add_key(ctx, d, (size_t)field, tag, s, strlen(s));
}

static int add_token_keys(rk_ctx *ctx, rk_link_data *d, int field, const rk_text_keys *k)
{
    int rc = add_key(ctx, d, field, TAG_SOUND, k->key);
    if (rc == RK_OK && k->alt && *k->alt && strcmp(k->alt, k->key) != 0)
        rc = add_key(ctx, d, field, TAG_SOUND, k->alt);
    if (rc == RK_OK)
        rc = add_key(ctx, d, field, TAG_LATIN, k->latin);
    if (rc == RK_OK)
        rc = add_key(ctx, d, field, TAG_SKEL, k->skel);
    if (rc == RK_OK && (k->flags & RK_TOKEN_ABJAD))
        rc = add_key(ctx, d, field, TAG_ABJAD, k->skel);
    if (rc == RK_OK && k->nick) {
        char nick[16];
        snprintf(nick, sizeof(nick), "n%u", k->nick);
        rc = add_key(ctx, d, field, TAG_NICK, nick);
    }
    return rc;
}

/* The distinct sound keys of a name field's tokens (borrowed from the text module). */
typedef struct name_keys {
    const char *key[8];
    size_t n;
} name_keys;

static void name_keys_add(name_keys *k, const char *key)
{
    if (!key || !*key || k->n >= RK_ARRAY_LEN(k->key))
        return;
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->key[i], key) == 0)
            return;
    /* Insertion in sorted order: the joined key does not depend on the order of the words. */
    size_t at = k->n;
    while (at > 0 && strcmp(k->key[at - 1], key) > 0) {
        k->key[at] = k->key[at - 1];
        at--;
    }
    k->key[at] = key;
    k->n++;
}

/* The keys joined by spaces; false when there are none (or they do not fit). */
static bool name_keys_join(const name_keys *k, char *out, size_t cap)
{
    size_t len = 0;
    for (size_t i = 0; i < k->n; i++) {
        size_t n = strlen(k->key[i]);
        if (len + n + 2 > cap)
            return false;
        if (len)
            out[len++] = ' ';
        memcpy(out + len, k->key[i], n);
        len += n;
    }
    out[len] = '\0';
    return len > 0;
}

/* A folded value: lower-case, blanks squeezed (extras such as ID numbers or postcodes). */
static void fold_value(const char *s, char *out, size_t outsz)
{
    size_t n = 0;
    bool space = false;
    for (; *s && n + 1 < outsz; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '\t') {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < outsz)
            out[n++] = ' ';
        space = false;
        out[n++] = (char)(c < 0x80 ? tolower(c) : c);
    }
    out[n] = '\0';
}

/* A Russian-style parse (Family Given Patronymic) of a name whose last word has no patronymic
 * form and no particle marks it ("Rincon Tupa Javier" in a list kept in Russian) reads a
 * second family name and a given name: the last word becomes the given name and the middle
 * one a family name, as the other lists will have them. A name written family first with
 * three words or more and no patronymic form, in Latin letters in a list of another script
 * ("Cardona Auccatoma Fortunato" in a list kept in Russian) or of no known culture ("Villa
 * Tito Ruben"), is read the same way whatever culture its words suggest: a second family
 * name, then the given names, unless the second word is a known given name. */
static void unread_patronymic(rk_name *name, bool foreign)
{
    bool loose =
        (foreign && name->culture != RK_CULTURE_ARABIC && name->culture != RK_CULTURE_SPANISH) ||
        name->culture == RK_CULTURE_GENERIC;
    if ((name->culture != RK_CULTURE_EAST_SLAVIC && !loose) ||
        name->order != RK_ORDER_FAMILY_FIRST || name->ntokens < 3)
        return;
    rk_name_token *last = &name->tokens[name->ntokens - 1];
    for (size_t i = 0; i < name->ntokens; i++)
        if (name->tokens[i].role == RK_ROLE_PARTICLE ||
            (name->tokens[i].role == RK_ROLE_PATRONYMIC &&
             (name->tokens[i].k.flags & RK_TOKEN_STEM)))
            return;
    if (loose) {
        rk_name_token *second = &name->tokens[1];
        if (name->tokens[0].role != RK_ROLE_FAMILY || second->k.gender != RK_GENDER_UNKNOWN ||
            (second->role != RK_ROLE_GIVEN && second->role != RK_ROLE_PATRONYMIC))
            return;
        second->role = RK_ROLE_SECOND_FAMILY;
        for (size_t i = 2; i < name->ntokens; i++)
            name->tokens[i].role = RK_ROLE_GIVEN;
        return;
    }
    if (last->role != RK_ROLE_PATRONYMIC)
        return;
    for (size_t i = 0; i + 1 < name->ntokens; i++)
        if (name->tokens[i].role == RK_ROLE_PATRONYMIC)
            return;
    for (size_t i = 0; i + 1 < name->ntokens; i++)
        if (name->tokens[i].role == RK_ROLE_GIVEN)
            name->tokens[i].role = RK_ROLE_SECOND_FAMILY;
    last->role = RK_ROLE_GIVEN;
}

/* Whether a name is written wholly in Latin letters in a list whose language has a script of
 * its own (Russian, Armenian, Georgian). */
static bool foreign_name(const rk_name *name, const char *lang)
{
    if (!lang || (strcmp(lang, "ru") != 0 && strcmp(lang, "hy") != 0 && strcmp(lang, "ka") != 0))
        return false;
    for (size_t i = 0; i < name->ntokens; i++)
        if (name->tokens[i].k.script != RK_SCRIPT_LATIN)
            return false;
    return name->ntokens > 0;
}

int link_record_keys(rk_link_data *d, rk_ctx *ctx, rk_text *text, const link_setup *su,
                     const load_row *row, const int ref_year[2], const int *fidx)
{
    const char *const *col = row->text;
    const char *fields[RK_FIELD_COUNT] = {0};
    fields[RK_FIELD_FULL_NAME] = col[LC_FULL];
    fields[RK_FIELD_GIVEN_NAME] = col[LC_GIVEN];
    fields[RK_FIELD_FAMILY_NAME] = col[LC_FAMILY];
    fields[RK_FIELD_SECOND_FAMILY_NAME] = col[LC_SECOND];
    fields[RK_FIELD_PATRONYMIC] = col[LC_PATRONYMIC];
    rk_name name;
    int rc = rk_text_record_name(&name, text, fields);
    if (rc != RK_OK)
        return rc;
    unread_patronymic(&name, foreign_name(&name, col[LC_LANG]));
    name_keys all[3];
    memset(all, 0, sizeof(all));
    static const field_source name_src[3] = {SRC_GIVEN, SRC_FAMILY, SRC_PATRONYMIC};
    for (size_t i = 0; i < name.ntokens && rc == RK_OK; i++) {
        const rk_name_token *t = &name.tokens[i];
        int w = t->role == RK_ROLE_GIVEN           ? 0
                : t->role == RK_ROLE_FAMILY        ? 1
                : t->role == RK_ROLE_SECOND_FAMILY ? 1
                : t->role == RK_ROLE_PATRONYMIC    ? 2
                                                   : -1;
        if (w >= 0 && fidx[name_src[w]] >= 0) {
            rc = add_token_keys(ctx, d, fidx[name_src[w]], &t->k);
            name_keys_add(&all[w], t->k.key);
        }
    }
    const char *father = col[LC_FATHER];
    if (rc == RK_OK && father && fidx[SRC_PATRONYMIC] >= 0) {
        rk_text_keys k;
        if (rk_text_key(&k, text, father, RK_ROLE_GIVEN) == RK_OK) {
            rc = add_token_keys(ctx, d, fidx[SRC_PATRONYMIC], &k);
            name_keys_add(&all[2], k.key);
        }
    }
    for (size_t w = 0; w < 3 && rc == RK_OK; w++) {
        char joined[256];
        if (name_keys_join(&all[w], joined, sizeof(joined)))
            rc = add_key(ctx, d, fidx[name_src[w]], TAG_ALL, joined);
    }
    if (rc != RK_OK)
        return rc;
    /* Dates: birth from a date, a year, or an age at death. */
    rk_link_date death = iso_date(col[LC_DEATH], col[LC_DEATH_PREC]);
    rk_link_date birth = iso_date(col[LC_BIRTH], col[LC_BIRTH_PREC]);
    if (birth.lo > birth.hi && row->has_birth_year)
        birth = rk_link_date_ymd(row->birth_year, 0, 0);
    if (birth.lo > birth.hi && row->has_age) {
        int age = row->age;
        const char *dd = col[LC_DEATH];
        int64_t y = 0, m = 0, day = 0;
        if (dd && strlen(dd) >= 4) {
            char part[5] = {dd[0], dd[1], dd[2], dd[3], 0};
            rk_parse_i64(&y, part);
            if (strlen(dd) >= 7) {
                char mp[3] = {dd[5], dd[6], 0};
                rk_parse_i64(&m, mp);
            }
            if (strlen(dd) >= 10) {
                char dp[3] = {dd[8], dd[9], 0};
                rk_parse_i64(&day, dp);
            }
            if (y > 0)
                birth = rk_link_date_from_age(age, (int)y, (int)m, (int)day);
        } else if (ref_year[0] > 0) {
            rk_link_date first = rk_link_date_from_age(age, ref_year[0], 0, 0);
            rk_link_date last = rk_link_date_from_age(age, ref_year[1], 0, 0);
            if (first.lo <= first.hi && last.lo <= last.hi)
                birth = (rk_link_date){first.lo, last.hi};
        }
    }
    if (fidx[SRC_BIRTH] >= 0 && birth.lo <= birth.hi)
        rc = rk_link_data_set_date(ctx, d, (size_t)fidx[SRC_BIRTH], birth);
    if (rc == RK_OK && fidx[SRC_DEATH] >= 0 && death.lo <= death.hi)
        rc = rk_link_data_set_date(ctx, d, (size_t)fidx[SRC_DEATH], death);
    /* Sex as the list gives it (an inferred sex would count the name's evidence twice). */
    if (rc == RK_OK && fidx[SRC_SEX] >= 0 && col[LC_SEX]) {
        unsigned flags = 0;
        const char *v = col[LC_SEX];
        rk_sex sex = row->hm ? rk_text_sex_hm(text, v) : rk_text_sex(text, v, NULL, &flags);
        if (sex != RK_SEX_UNKNOWN)
            rc = add_key(ctx, d, fidx[SRC_SEX], TAG_VALUE, sex == RK_SEX_MALE ? "m" : "f");
    }
    static const struct {
        field_source src;
        int column;
    } places[] = {{SRC_PLACE, LC_PLACE}, {SRC_REGION, LC_REGION}};
    for (size_t p = 0; p < RK_ARRAY_LEN(places) && rc == RK_OK; p++) {
        const char *v = col[places[p].column];
        if (fidx[places[p].src] < 0 || !v)
            continue;
        rk_buf key;
        rk_buf_init(&key);
        if (rk_text_place_key(&key, text, v) == RK_OK && key.len)
            rc = add_key(ctx, d, fidx[places[p].src], TAG_VALUE, rk_buf_cstr(&key));
        rk_buf_release(&key);
    }
    /* Extras, from the record's extra JSON. */
    const char *extra = col[LC_EXTRA];
    for (size_t f = 0; f < su->nfields && rc == RK_OK && extra; f++) {
        if (su->fields[f].source != SRC_EXTRA)
            continue;
        /* json_extract would cost a query per field: the importer writes flat objects of
         * strings, so a direct look-up of "NAME":"value" is exact. */
        char pat[64];
        snprintf(pat, sizeof(pat), "\"%s\":\"", su->fields[f].name + 6);
        const char *p = strstr(extra, pat);
        if (!p)
            continue;
        p += strlen(pat);
        char raw[512], folded[512];
        size_t n = 0;
        for (; *p && *p != '"' && n + 1 < sizeof(raw); p++) {
            if (*p == '\\' && p[1])
                p++;
            raw[n++] = *p;
        }
        raw[n] = '\0';
        fold_value(raw, folded, sizeof(folded));
        if (!*folded)
            continue;
        rc = add_key(ctx, d, (int)f, TAG_VALUE, folded);
        char sx[5];
        rk_link_soundex(sx, folded, strlen(folded));
        if (rc == RK_OK && sx[0])
            rc = add_key(ctx, d, (int)f, TAG_VSOUND, sx);
    }
    return rc;
}
