/* The lists of each scenario: their columns, scripts, date formats, noise and visibility, the
 * writing of one person as one row of a list, and the list's entry in mapping.ini. */
#include "synth_int.h"

#define KILLED_EN                                                                                  \
    {                                                                                              \
        "killed", "disappeared", "wounded", "detained"                                             \
    }

static const synth_layout caucasus[] = {
    {.name = "ministry",
     .description = "Ministry register of the dead and missing",
     .language = "az",
     .encoding = "UTF-8",
     .delimiter = ';',
     .script = SCRIPT_NATIVE,
     .name_style = NAME_FULL_FAMILY_FIRST,
     .date_style = DATE_DMY,
     .death_style = -1,
     .id_format = "%llu",
     .col_id = "No",
     .col_full = "Soyadı, adı, atasının adı",
     .col_sex = "Cinsi",
     .col_birth = "Doğum tarixi",
     .col_place = "Yaşayış yeri",
     .col_region = "Rayon",
     .col_violation = "Hadisə",
     .sex_m = "kişi",
     .sex_f = "qadın",
     .violation_words = {"həlak olub", "itkin düşüb", "yaralanıb", "saxlanılıb"},
     .typo_rate = 0.01,
     .missing = 0.08,
     .partial = 0.15,
     .duplicate = 0.02,
     .capture = {0.10, 0.35, 0.75},
     .depends_on = -1},
    {.name = "memorial",
     .description = "Memorial society card index (typed cards, scanned)",
     .language = "ru",
     .encoding = "WINDOWS-1251",
     .delimiter = ',',
     .script = SCRIPT_CYRILLIC,
     .name_style = NAME_SPLIT,
     .date_style = DATE_YEAR,
     .death_style = -1,
     .id_format = "M-%06llu",
     .col_id = "Номер",
     .col_family = "Фамилия",
     .col_given = "Имя",
     .col_patronymic = "Отчество",
     .col_sex = "Пол",
     .col_birth = "Год рождения",
     .col_region = "Район",
     .col_violation = "Судьба",
     .sex_m = "м",
     .sex_f = "ж",
     .violation_words = {"погиб", "пропал без вести", "ранен", "задержан"},
     .typo_rate = 0.015,
     .ocr = true,
     .missing = 0.12,
     .partial = 0,
     .duplicate = 0.04,
     .capture = {0.05, 0.30, 0.70},
     .depends_on = -1},
    {.name = "ngo",
     .description = "Human rights NGO case database",
     .language = "en",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_LATIN,
     .name_style = NAME_SPLIT,
     .date_style = DATE_ISO,
     .death_style = DATE_ISO,
     .id_format = "NGO-%06llu",
     .col_id = "case_id",
     .col_given = "first_name",
     .col_family = "last_name",
     .col_father = "father_name",
     .col_sex = "sex",
     .col_birth = "date_of_birth",
     .col_death = "date_of_incident",
     .col_place = "place",
     .col_region = "region",
     .col_violation = "violation",
     .col_extra = "source",
     .extra_name = "source",
     .sex_m = "M",
     .sex_f = "F",
     .violation_words = KILLED_EN,
     .typo_rate = 0.02,
     .missing = 0.15,
     .partial = 0.2,
     .duplicate = 0.03,
     .capture = {0.04, 0.25, 0.55},
     .depends_on = 1,
     .dependence = 3.0},
    {.name = "press",
     .description = "Names reported in newspapers and agency wires",
     .language = "en",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_LATIN,
     .name_style = NAME_FULL_GIVEN_FIRST,
     .date_style = DATE_AGE,
     .death_style = DATE_DMY,
     .id_format = "PR%05llu",
     .col_id = "ref",
     .col_full = "name",
     .col_birth = "age",
     .col_death = "date",
     .col_place = "location",
     .col_violation = "status",
     .violation_words = KILLED_EN,
     .typo_rate = 0.03,
     .missing = 0.2,
     .partial = 0.3,
     .duplicate = 0.06,
     .capture = {0.02, 0.12, 0.45},
     .depends_on = -1},
    {.name = "hy_registry",
     .description = "Registry of victims kept in Armenian",
     .language = "hy",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_NATIVE,
     .name_style = NAME_SPLIT,
     .date_style = DATE_YMD8,
     .death_style = -1,
     .id_format = "%llu",
     .col_id = "Հ/Հ",
     .col_family = "Ազգանուն",
     .col_given = "Անուն",
     .col_father = "Հայրանուն",
     .col_sex = "Սեռ",
     .col_birth = "Ծննդյան ամսաթիվ",
     .col_place = "Բնակավայր",
     .col_violation = "Կարգավիճակ",
     .sex_m = "արական",
     .sex_f = "իգական",
     .violation_words = {"զոհված", "անհետ կորած", "վիրավոր", "ձերբակալված"},
     .typo_rate = 0.01,
     .missing = 0.1,
     .partial = 0.1,
     .duplicate = 0.02,
     .capture = {0.06, 0.2, 0.5},
     .depends_on = 0,
     .dependence = 0.5},
};

static const synth_layout spanish[] = {
    {.name = "cvr",
     .description = "Truth commission testimonies",
     .language = "es",
     .encoding = "UTF-8",
     .delimiter = ';',
     .script = SCRIPT_NATIVE,
     .name_style = NAME_FULL_GIVEN_FIRST,
     .date_style = DATE_DMY,
     .death_style = DATE_DMY,
     .id_format = "%llu",
     .col_id = "Código",
     .col_full = "Nombre completo",
     .col_sex = "Sexo",
     .col_birth = "Fecha de nacimiento",
     .col_death = "Fecha del hecho",
     .col_place = "Lugar",
     .col_region = "Departamento",
     .col_violation = "Tipo de hecho",
     .sex_m = "Masculino",
     .sex_f = "Femenino",
     .violation_words = {"asesinato", "desaparición forzada", "herido", "detención"},
     .typo_rate = 0.01,
     .missing = 0.08,
     .partial = 0.15,
     .duplicate = 0.03,
     .capture = {0.12, 0.40, 0.80},
     .depends_on = -1},
    {.name = "ngo",
     .description = "Human rights association case files",
     .language = "es",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_LATIN,
     .name_style = NAME_SPLIT,
     .date_style = DATE_ISO,
     .death_style = DATE_ISO,
     .id_format = "APR-%05llu",
     .col_id = "id",
     .col_given = "nombres",
     .col_family = "apellido_paterno",
     .col_family2 = "apellido_materno",
     .col_sex = "sexo",
     .col_birth = "fecha_nacimiento",
     .col_death = "fecha_hecho",
     .col_place = "lugar",
     .col_region = "departamento",
     .col_violation = "hecho",
     .sex_m = "H",
     .sex_f = "M",
     .violation_words = {"asesinado", "desaparecido", "herido", "detenido"},
     .typo_rate = 0.02,
     .missing = 0.15,
     .partial = 0.2,
     .duplicate = 0.03,
     .capture = {0.05, 0.25, 0.60},
     .depends_on = 0,
     .dependence = 2.5},
    {.name = "press",
     .description = "Press archive of reported victims",
     .language = "es",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_LATIN,
     .name_style = NAME_FULL_FAMILY_FIRST,
     .upper = true,
     .date_style = DATE_AGE,
     .death_style = DATE_YMD8,
     .id_format = "P%06llu",
     .col_id = "nro",
     .col_full = "victima",
     .col_birth = "edad",
     .col_death = "fecha",
     .col_place = "lugar",
     .col_violation = "hecho",
     .violation_words = {"muerto", "desaparecido", "herido", "detenido"},
     .typo_rate = 0.03,
     .missing = 0.2,
     .partial = 0.3,
     .duplicate = 0.05,
     .capture = {0.02, 0.10, 0.40},
     .depends_on = -1},
    {.name = "parish",
     .description = "Parish and exhumation records",
     .language = "es",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_NATIVE,
     .name_style = NAME_SPLIT,
     .date_style = DATE_MDY,
     .death_style = -1,
     .id_format = "EX%04llu",
     .col_id = "caso",
     .col_given = "nombres",
     .col_family = "apellidos",
     .col_father = "padre",
     .col_sex = "sexo",
     .col_birth = "nacimiento",
     .col_place = "comunidad",
     .sex_m = "varón",
     .sex_f = "mujer",
     .typo_rate = 0.02,
     .ocr = true,
     .missing = 0.2,
     .partial = 0.35,
     .duplicate = 0.02,
     .capture = {0.08, 0.15, 0.30},
     .depends_on = -1},
};

static const synth_layout arabic[] = {
    {.name = "network",
     .description = "Documentation network (Arabic)",
     .language = "ar",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_NATIVE,
     .name_style = NAME_CHAIN,
     .date_style = DATE_AGE,
     .death_style = DATE_ISO,
     .id_format = "%llu",
     .col_id = "الرقم",
     .col_full = "الاسم الكامل",
     .col_sex = "الجنس",
     .col_birth = "العمر",
     .col_death = "تاريخ الوفاة",
     .col_place = "المدينة",
     .col_region = "المحافظة",
     .col_violation = "نوع الانتهاك",
     .sex_m = "ذكر",
     .sex_f = "أنثى",
     .violation_words = {"قتل", "اختفاء قسري", "إصابة", "اعتقال"},
     .typo_rate = 0.01,
     .missing = 0.1,
     .partial = 0.2,
     .duplicate = 0.03,
     .capture = {0.10, 0.40, 0.80},
     .depends_on = -1},
    {.name = "un_list",
     .description = "List compiled by an international body",
     .language = "en",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_LATIN,
     .name_style = NAME_SPLIT,
     .date_style = DATE_YEAR,
     .death_style = DATE_DMY,
     .id_format = "UN-%06llu",
     .col_id = "record_id",
     .col_given = "given_name",
     .col_father = "father_name",
     .col_family = "family_name",
     .col_sex = "sex",
     .col_birth = "birth_year",
     .col_death = "date_of_death",
     .col_place = "place",
     .col_region = "governorate",
     .col_violation = "violation",
     .sex_m = "male",
     .sex_f = "female",
     .violation_words = KILLED_EN,
     .typo_rate = 0.02,
     .missing = 0.15,
     .partial = 0,
     .duplicate = 0.03,
     .capture = {0.05, 0.30, 0.60},
     .depends_on = 0,
     .dependence = 2.0},
    {.name = "local",
     .description = "Local council lists (Arabic, split names)",
     .language = "ar",
     .encoding = "UTF-8",
     .delimiter = ';',
     .script = SCRIPT_NATIVE,
     .name_style = NAME_SPLIT,
     .date_style = DATE_AGE,
     .death_style = DATE_YMD8,
     .id_format = "L%05llu",
     .col_id = "الرقم",
     .col_given = "الاسم",
     .col_father = "اسم الأب",
     .col_family = "الكنية",
     .col_birth = "العمر",
     .col_death = "التاريخ",
     .col_place = "البلدة",
     .col_violation = "الحالة",
     .violation_words = {"شهيد", "مفقود", "جريح", "معتقل"},
     .typo_rate = 0.015,
     .missing = 0.15,
     .partial = 0.2,
     .duplicate = 0.04,
     .capture = {0.08, 0.20, 0.45},
     .depends_on = -1},
    {.name = "media",
     .description = "Victims named in media reports",
     .language = "en",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_LATIN,
     .name_style = NAME_CHAIN,
     .date_style = DATE_AGE,
     .death_style = DATE_ISO,
     .id_format = "MD%05llu",
     .col_id = "id",
     .col_full = "name",
     .col_birth = "age",
     .col_death = "date",
     .col_place = "location",
     .col_violation = "status",
     .violation_words = KILLED_EN,
     .typo_rate = 0.03,
     .missing = 0.25,
     .partial = 0.3,
     .duplicate = 0.06,
     .capture = {0.02, 0.10, 0.45},
     .depends_on = 2,
     .dependence = 0.6},
};

static const synth_layout mixed[] = {
    {.name = "registry",
     .description = "Official registry, each name in its own script",
     .language = NULL,
     .encoding = "UTF-8",
     .delimiter = ';',
     .script = SCRIPT_NATIVE,
     .name_style = NAME_SPLIT,
     .date_style = DATE_DMY,
     .death_style = -1,
     .id_format = "%llu",
     .col_id = "id",
     .col_given = "given",
     .col_family = "family",
     .col_father = "father",
     .col_sex = "sex",
     .col_birth = "born",
     .col_place = "place",
     .col_violation = "fate",
     .sex_m = "M",
     .sex_f = "F",
     .violation_words = KILLED_EN,
     .typo_rate = 0.01,
     .missing = 0.08,
     .partial = 0.15,
     .duplicate = 0.02,
     .capture = {0.10, 0.35, 0.75},
     .depends_on = -1},
    {.name = "press",
     .description = "Press reports in English",
     .language = "en",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_LATIN,
     .name_style = NAME_FULL_GIVEN_FIRST,
     .date_style = DATE_AGE,
     .death_style = DATE_DMY,
     .id_format = "PR%05llu",
     .col_id = "ref",
     .col_full = "name",
     .col_birth = "age",
     .col_death = "date",
     .col_place = "location",
     .col_violation = "status",
     .violation_words = KILLED_EN,
     .typo_rate = 0.03,
     .missing = 0.2,
     .partial = 0.3,
     .duplicate = 0.06,
     .capture = {0.02, 0.12, 0.45},
     .depends_on = -1},
    {.name = "cyrillic",
     .description = "A list kept in Russian",
     .language = "ru",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_CYRILLIC,
     .name_style = NAME_FULL_FAMILY_FIRST,
     .date_style = DATE_YEAR,
     .death_style = -1,
     .id_format = "R%05llu",
     .col_id = "№",
     .col_full = "ФИО",
     .col_birth = "Год рождения",
     .col_violation = "Судьба",
     .violation_words = {"погиб", "пропал без вести", "ранен", "задержан"},
     .typo_rate = 0.015,
     .ocr = true,
     .missing = 0.12,
     .duplicate = 0.04,
     .capture = {0.05, 0.30, 0.70},
     .depends_on = -1},
    {.name = "ngo",
     .description = "NGO database in English",
     .language = "en",
     .encoding = "UTF-8",
     .delimiter = ',',
     .script = SCRIPT_LATIN,
     .name_style = NAME_SPLIT,
     .date_style = DATE_ISO,
     .death_style = DATE_ISO,
     .id_format = "NGO-%06llu",
     .col_id = "case_id",
     .col_given = "first_name",
     .col_family = "last_name",
     .col_sex = "sex",
     .col_birth = "date_of_birth",
     .col_death = "date_of_incident",
     .col_place = "place",
     .col_violation = "violation",
     .sex_m = "M",
     .sex_f = "F",
     .violation_words = KILLED_EN,
     .typo_rate = 0.02,
     .missing = 0.15,
     .partial = 0.2,
     .duplicate = 0.03,
     .capture = {0.04, 0.25, 0.55},
     .depends_on = 0,
     .dependence = 3.0},
};

size_t synth_layouts(const synth_layout **out, const char *scenario)
{
    if (strcmp(scenario, "caucasus") == 0)
        return *out = caucasus, RK_ARRAY_LEN(caucasus);
    if (strcmp(scenario, "spanish") == 0)
        return *out = spanish, RK_ARRAY_LEN(spanish);
    if (strcmp(scenario, "arabic") == 0)
        return *out = arabic, RK_ARRAY_LEN(arabic);
    return *out = mixed, RK_ARRAY_LEN(mixed);
}

/* Appends one CSV field, quoted when it holds the delimiter, a quote or a line break. */
static int put_field(rk_buf *row, const synth_layout *L, const char *s, bool first)
{
    int rc = RK_OK;
    if (!first)
        rc |= rk_buf_putc(row, L->delimiter);
    if (!strchr(s, L->delimiter) && !strchr(s, '"') && !strchr(s, '\n')) {
        rc |= rk_buf_puts(row, s);
        return rc ? RK_ENOMEM : RK_OK;
    }
    rc |= rk_buf_putc(row, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            rc |= rk_buf_putc(row, '"');
        rc |= rk_buf_putc(row, *p);
    }
    rc |= rk_buf_putc(row, '"');
    return rc ? RK_ENOMEM : RK_OK;
}

int synth_write_header(rk_buf *row, const synth_layout *L)
{
    const char *cols[] = {L->col_id,        L->col_full,       L->col_given,  L->col_family,
                          L->col_family2,   L->col_patronymic, L->col_father, L->col_sex,
                          L->col_birth,     L->col_death,      L->col_place,  L->col_region,
                          L->col_violation, L->col_extra};
    bool first = true;
    for (size_t i = 0; i < RK_ARRAY_LEN(cols); i++) {
        if (!cols[i])
            continue;
        if (put_field(row, L, cols[i], first) != RK_OK)
            return RK_ENOMEM;
        first = false;
    }
    return rk_buf_putc(row, '\n');
}

/* Replaces *b by f(*b) through the scratch buffer. */
static void swap_buf(rk_buf *a, rk_buf *b)
{
    rk_buf t = *a;
    *a = *b;
    *b = t;
}

static int noisy(rk_buf *field, rk_buf *scratch, const synth_layout *L, rk_rng *r)
{
    if (field->len == 0)
        return RK_OK;
    rk_buf_clear(scratch);
    if (syn_corrupt(scratch, rk_buf_cstr(field), r, L->typo_rate, L->ocr) != RK_OK)
        return RK_ENOMEM;
    if (L->upper) {
        uint32_t cp[SYN_MAX_CP];
        size_t n = syn_decode(rk_buf_cstr(scratch), cp, SYN_MAX_CP);
        syn_upper(cp, n);
        rk_buf_clear(scratch);
        if (syn_encode(scratch, cp, n) != RK_OK)
            return RK_ENOMEM;
    }
    swap_buf(field, scratch);
    return RK_OK;
}

/* Formats a date in a style, possibly partial ("1992" or "11.1991"). */
static void format_date(char *out, size_t cap, int style, int y, int m, int d, int partial)
{
    if (partial == 1) {
        snprintf(out, cap, "%04d", y);
        return;
    }
    if (partial == 2) {
        snprintf(out, cap, "%02d.%04d", m, y);
        return;
    }
    switch (style) {
    case DATE_DMY:
        snprintf(out, cap, "%02d.%02d.%04d", d, m, y);
        break;
    case DATE_ISO:
        snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
        break;
    case DATE_YMD8:
        snprintf(out, cap, "%04d%02d%02d", y, m, d);
        break;
    case DATE_MDY:
        snprintf(out, cap, "%02d/%02d/%04d", m, d, y);
        break;
    default:
        snprintf(out, cap, "%04d", y);
        break;
    }
}

static bool missing(const synth_layout *L, rk_rng *r)
{
    return rk_rng_uniform(r) < L->missing;
}

/* Full name in the layout's order. */
static int full_name(rk_buf *out, const synth_layout *L, const synth_person *p,
                     const synth_rendered *n, rk_rng *r)
{
    const char *g = rk_buf_cstr((rk_buf *)&n->given), *f = rk_buf_cstr((rk_buf *)&n->family);
    const char *f2 = rk_buf_cstr((rk_buf *)&n->family2);
    const char *pat = rk_buf_cstr((rk_buf *)&n->patronymic);
    const char *fa = rk_buf_cstr((rk_buf *)&n->father);
    int rc = RK_OK;
    if (L->name_style == NAME_CHAIN && p->culture == CUL_AR) {
        bool native = L->script == SCRIPT_NATIVE;
        double u = rk_rng_uniform(r);
        const char *link = native     ? (p->sex == 1 ? " بن " : " بنت ")
                           : u < 0.4  ? (p->sex == 1 ? " bin " : " bint ")
                           : u < 0.55 ? (p->sex == 1 ? " ibn " : " bint ")
                                      : " ";
        if (native && u < 0.4)
            link = " ";
        rc |= rk_buf_printf(out, "%s%s%s %s", g, link, fa, f);
    } else if (L->name_style == NAME_FULL_FAMILY_FIRST) {
        rc |= rk_buf_puts(out, f);
        if (*f2)
            rc |= rk_buf_printf(out, " %s", f2);
        rc |= rk_buf_printf(out, "%s %s", L->upper ? "," : "", g);
        if (*pat && p->culture != CUL_AR)
            rc |= rk_buf_printf(out, " %s", pat);
    } else {
        rc |= rk_buf_puts(out, g);
        if (*pat && L->script == SCRIPT_CYRILLIC)
            rc |= rk_buf_printf(out, " %s", pat);
        rc |= rk_buf_printf(out, " %s", f);
        if (*f2)
            rc |= rk_buf_printf(out, " %s", f2);
    }
    return rc ? RK_ENOMEM : RK_OK;
}

int synth_write_row(rk_buf *row, const synth_layout *L, const synth_person *p, uint64_t number,
                    rk_rng *r, synth_rendered *n, char *id_out, size_t idcap)
{
    int rc = RK_OK;
    /* A register in a national script writes other people's names as it can: an Azerbaijani
     * one in Azerbaijani Latin from their Russian forms, an Armenian one in Cyrillic. */
    bool az_home = L->script == SCRIPT_NATIVE && L->language && !strcmp(L->language, "az");
    bool hy_home = L->script == SCRIPT_NATIVE && L->language && !strcmp(L->language, "hy");
    bool foreign = (az_home && (p->culture == CUL_HY || p->culture == CUL_RU)) ||
                   (hy_home && p->culture != CUL_HY);
    if (synth_render(n, p, foreign ? SCRIPT_CYRILLIC : L->script, r) != RK_OK)
        return RK_ENOMEM;
    if (foreign && az_home) {
        rk_buf *parts[] = {&n->given, &n->family, &n->patronymic, &n->father};
        for (size_t i = 0; i < RK_ARRAY_LEN(parts); i++) {
            rk_buf_clear(&n->s1);
            if (syn_ru_to_latin(&n->s1, rk_buf_cstr(parts[i]), 4) != RK_OK)
                return RK_ENOMEM;
            swap_buf(parts[i], &n->s1);
        }
    }
    /* Lists drop parts of long names: the maternal surname, the second given name. */
    if (n->family2.len && rk_rng_uniform(r) < (L->script == SCRIPT_LATIN ? 0.35 : 0.1))
        rk_buf_clear(&n->family2);
    if (p->has_given2 && rk_rng_uniform(r) < 0.25) {
        char *sp = strchr(n->given.data, ' ');
        if (sp) {
            n->given.len = (size_t)(sp - n->given.data);
            n->given.data[n->given.len] = '\0';
        }
    }
    rk_buf *parts[] = {&n->given, &n->family, &n->family2, &n->patronymic, &n->father};
    for (size_t i = 0; i < RK_ARRAY_LEN(parts); i++)
        if (noisy(parts[i], &n->s1, L, r) != RK_OK)
            return RK_ENOMEM;
    snprintf(id_out, idcap, L->id_format, (unsigned long long)number);
    rc |= put_field(row, L, id_out, true);
    if (L->col_full) {
        rk_buf_clear(&n->s2);
        rc |= full_name(&n->s2, L, p, n, r);
        rc |= put_field(row, L, rk_buf_cstr(&n->s2), false);
    }
    if (L->col_given)
        rc |= put_field(row, L, rk_buf_cstr(&n->given), false);
    if (L->col_family) {
        /* A single surname column holds both Spanish surnames when there is no second one. */
        if (!L->col_family2 && n->family2.len) {
            rk_buf_clear(&n->s2);
            rc |= rk_buf_printf(&n->s2, "%s %s", rk_buf_cstr(&n->family), rk_buf_cstr(&n->family2));
            rc |= put_field(row, L, rk_buf_cstr(&n->s2), false);
        } else
            rc |= put_field(row, L, rk_buf_cstr(&n->family), false);
    }
    if (L->col_family2)
        rc |= put_field(row, L, missing(L, r) ? "" : rk_buf_cstr(&n->family2), false);
    if (L->col_patronymic)
        rc |= put_field(row, L, missing(L, r) ? "" : rk_buf_cstr(&n->patronymic), false);
    if (L->col_father)
        rc |= put_field(row, L, missing(L, r) ? "" : rk_buf_cstr(&n->father), false);
    if (L->col_sex)
        rc |= put_field(row, L, missing(L, r) ? "" : p->sex == 1 ? L->sex_m : L->sex_f, false);
    char buf[64];
    if (L->col_birth) {
        buf[0] = '\0';
        if (!missing(L, r)) {
            int y = p->birth_y, m = p->birth_m, d = p->birth_d;
            double e = rk_rng_uniform(r);
            if (e < 0.02)
                y += rk_rng_uniform(r) < 0.5 ? 1 : -1; /* a year off */
            else if (e < 0.03 && d <= 12) {            /* day and month swapped */
                int t = d;
                d = m;
                m = t;
            }
            if (L->date_style == DATE_AGE) {
                int age = p->event_y - p->birth_y -
                          (p->event_m * 100 + p->event_d < p->birth_m * 100 + p->birth_d);
                if (rk_rng_uniform(r) < 0.1)
                    age += rk_rng_uniform(r) < 0.5 ? 1 : -1; /* ages are often rounded */
                snprintf(buf, sizeof(buf), "%d", age < 0 ? 0 : age);
            } else {
                double q = rk_rng_uniform(r);
                int partial = L->date_style == DATE_YEAR ? 1
                              : q < L->partial * 0.6     ? 1
                              : q < L->partial           ? 2
                                                         : 0;
                format_date(buf, sizeof(buf), L->date_style, y, m, d, partial);
            }
        }
        if (L->ocr && buf[0]) {
            rk_buf_clear(&n->s2);
            rc |= syn_corrupt(&n->s2, buf, r, 0.005, true);
            rc |= put_field(row, L, rk_buf_cstr(&n->s2), false);
        } else
            rc |= put_field(row, L, buf, false);
    }
    if (L->col_death) {
        buf[0] = '\0';
        /* Ages need the date they were reported at; it is never left out then. */
        if (L->date_style == DATE_AGE || !missing(L, r))
            format_date(buf, sizeof(buf), L->death_style, p->event_y, p->event_m, p->event_d,
                        rk_rng_uniform(r) < 0.05 ? 2 : 0);
        rc |= put_field(row, L, buf, false);
    }
    const synth_place *pl = &synth_culture_places(p->culture)->v[p->place];
    bool local = L->script == SCRIPT_NATIVE && L->language &&
                 (strcmp(L->language, "az") == 0 || strcmp(L->language, "ar") == 0 ||
                  strcmp(L->language, "es") == 0);
    if (L->col_place)
        rc |= put_field(row, L, missing(L, r) ? "" : local ? pl->local : pl->latin, false);
    if (L->col_region)
        rc |= put_field(row, L, missing(L, r) ? "" : local ? pl->region : pl->region_latin, false);
    if (L->col_violation)
        rc |= put_field(row, L, missing(L, r) ? "" : L->violation_words[p->violation], false);
    if (L->col_extra) {
        static const char *const sources[] = {"family", "witness", "press", "hospital"};
        rc |= put_field(row, L, sources[rk_rng_below(r, 4)], false);
    }
    rc |= rk_buf_putc(row, '\n');
    return rc ? RK_ENOMEM : RK_OK;
}

static const char *date_format_name(int style)
{
    switch (style) {
    case DATE_DMY:
        return "DD.MM.YYYY";
    case DATE_ISO:
        return "YYYY-MM-DD";
    case DATE_YMD8:
        return "YYYYMMDD";
    case DATE_MDY:
        return "MM/DD/YYYY";
    default:
        return NULL;
    }
}

int synth_write_mapping(rk_buf *out, const synth_layout *L, const char *list_name, const char *file)
{
    int rc = RK_OK;
    rc |= rk_buf_printf(out, "[list %s]\nfile = %s\ndescription = %s\n", list_name, file,
                        L->description);
    if (L->language) /* absent: names in several scripts, the importer decides per value */
        rc |= rk_buf_printf(out, "language = %s\n", L->language);
    rc |= rk_buf_printf(out, "encoding = %s\ndelimiter = %s\n", L->encoding,
                        L->delimiter == '\t'  ? "tab"
                        : L->delimiter == ';' ? ";"
                                              : ",");
    if (L->col_full)
        rc |=
            rk_buf_printf(out, "name_order = %s\n",
                          L->name_style == NAME_FULL_FAMILY_FIRST ? "family-first" : "given-first");
    rc |= rk_buf_printf(out, "column.id = %s\n", L->col_id);
    struct {
        const char *role, *col;
    } roles[] = {{"full_name", L->col_full},
                 {"given_name", L->col_given},
                 {"family_name", L->col_family},
                 {"second_family_name", L->col_family2},
                 {"patronymic", L->col_patronymic},
                 {"father_name", L->col_father},
                 {"sex", L->col_sex},
                 {"place", L->col_place},
                 {"region", L->col_region},
                 {"violation", L->col_violation}};
    for (size_t i = 0; i < RK_ARRAY_LEN(roles); i++)
        if (roles[i].col)
            rc |= rk_buf_printf(out, "column.%s = %s\n", roles[i].role, roles[i].col);
    if (L->col_birth) {
        if (L->date_style == DATE_AGE)
            rc |= rk_buf_printf(out, "column.age = %s\n", L->col_birth);
        else if (L->date_style == DATE_YEAR)
            rc |= rk_buf_printf(out, "column.birth_year = %s\n", L->col_birth);
        else
            rc |= rk_buf_printf(out, "column.birth_date = %s\ndate_format.birth_date = %s\n",
                                L->col_birth, date_format_name(L->date_style));
    }
    if (L->col_death)
        rc |= rk_buf_printf(out, "column.death_date = %s\ndate_format.death_date = %s\n",
                            L->col_death, date_format_name(L->death_style));
    if (L->col_extra)
        rc |= rk_buf_printf(out, "column.field:%s = %s\n", L->extra_name, L->col_extra);
    rc |= rk_buf_putc(out, '\n');
    return rc ? RK_ENOMEM : RK_OK;
}
