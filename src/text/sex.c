/* Standardization of the sex field from its many spellings (M/F, м/ж, kişi/qadın,
 * hombre/mujer, ذكر/أنثى, ...), and inference from a name's gendered endings where the list
 * is blank, marked as inferred. */
#include "common.h"

#include "text/text_private.h"

#include <unicode/uchar.h>

static const char *const male_words[] = {
    "m",     "male",   "man",     "masc",      "masculine", "masculino", "hombre",
    "h",     "varon",  "varón",   "м",         "муж",       "мужской",   "мужчина",
    "мужск", "kişi",   "kisi",    "erkək",     "erkek",     "oğlan",     "ذكر",
    "رجل",   "արական", "տղամարդ", "მამრობითი", "კაცი",      "mashkull",  "burrë",
    "muški", "muski",  "мушки",   "мушко",     "boy",       "niño",      "мальчик"};
static const char *const female_words[] = {
    "f",          "female",  "woman",   "fem",   "feminine", "femenino", "mujer",  "ж",
    "жен",        "женский", "женщина", "женск", "qadın",    "qadin",    "qız",    "qiz",
    "kadın",      "kadin",   "أنثى",    "انثى",  "امرأة",    "اناث",     "իգական", "կին",
    "მდედრობითი", "ქალი",    "femër",   "femer", "grua",     "ženski",   "zenski", "женски",
    "ž",          "w",       "girl",    "niña",  "девочка"};

static bool in_list(const char *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w, list[i]) == 0)
            return true;
    return false;
}

rk_sex rk_text_sex(rk_text *t, const char *field, const rk_name *name, unsigned *flags)
{
    if (flags)
        *flags = 0;
    char low[64];
    size_t o = 0;
    if (field) {
        size_t n = strlen(field), i = 0;
        while (i < n && o + 5 < sizeof(low)) {
            int32_t c;
            if (text_decode(field, n, &i, &c) != 0)
                return RK_SEX_UNKNOWN;
            if (c == '.' || c == ' ' || c == '\t' || text_is_ignorable(c))
                continue;
            c = u_tolower(c);
            UBool bad = false;
            int32_t ol = (int32_t)o;
            U8_APPEND((uint8_t *)low, ol, (int32_t)sizeof(low) - 1, c, bad);
            if (!bad)
                o = (size_t)ol;
        }
    }
    low[o] = '\0';
    if (o > 0) {
        if (in_list(low, male_words, RK_ARRAY_LEN(male_words)))
            return RK_SEX_MALE;
        if (in_list(low, female_words, RK_ARRAY_LEN(female_words)))
            return RK_SEX_FEMALE;
        return RK_SEX_UNKNOWN;
    }
    (void)t;
    if (!name || name->gender == RK_GENDER_UNKNOWN)
        return RK_SEX_UNKNOWN;
    if (flags)
        *flags |= RK_SEX_INFERRED;
    return name->gender == RK_GENDER_MALE ? RK_SEX_MALE : RK_SEX_FEMALE;
}

const char *rk_text_sex_code(rk_sex sex)
{
    return sex == RK_SEX_MALE ? "M" : sex == RK_SEX_FEMALE ? "F" : "";
}

rk_sex rk_text_sex_hm(rk_text *t, const char *field)
{
    rk_sex sex = rk_text_sex(t, field, NULL, NULL);
    if (sex != RK_SEX_MALE || !field)
        return sex;
    size_t letters = 0;
    bool m = false;
    for (const char *c = field; *c; c++) {
        if (*c == ' ' || *c == '.' || *c == '\t')
            continue;
        letters++;
        m = *c == 'm' || *c == 'M';
    }
    return letters == 1 && m ? RK_SEX_FEMALE : sex;
}
