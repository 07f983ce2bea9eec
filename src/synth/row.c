/* Writing one person as one row of a list in the list's own layout, script and formats,
 * with its noise, and the list's entry in mapping.ini. */
#include "synth_private.h"

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
    if (synth_corrupt(scratch, rk_buf_cstr(field), r, L->typo_rate, L->ocr) != RK_OK)
        return RK_ENOMEM;
    if (L->upper) {
        uint32_t cp[SYN_MAX_CP];
        size_t n = synth_decode(rk_buf_cstr(scratch), cp, SYN_MAX_CP);
        synth_upper(cp, n);
        rk_buf_clear(scratch);
        if (synth_encode(scratch, cp, n) != RK_OK)
            return RK_ENOMEM;
    }
    swap_buf(field, scratch);
    return RK_OK;
}

static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};

/* Formats a date in a style, possibly partial ("1992" or "11.1991", "1991-11"; with the Serbian
 * trailing dot "1992." and "11.1991."; with month names "May-1999" or "May 1999"). */
static void format_date(char *out, size_t cap, int style, int y, int m, int d, int partial)
{
    const char *mon = months[(m - 1) % 12];
    if (style == DATE_DMY_DOT) {
        if (partial == 1)
            snprintf(out, cap, "%04d.", y);
        else if (partial == 2)
            snprintf(out, cap, "%02d.%04d.", m, y);
        else
            snprintf(out, cap, "%02d.%02d.%04d.", d, m, y);
        return;
    }
    if (style == DATE_DMON || style == DATE_MON_DY) {
        if (partial == 1)
            snprintf(out, cap, "%04d", y);
        else if (partial == 2)
            snprintf(out, cap, style == DATE_DMON ? "%.3s-%04d" : "%s %04d", mon, y);
        else if (style == DATE_DMON)
            snprintf(out, cap, "%02d-%.3s-%04d", d, mon, y);
        else
            snprintf(out, cap, "%s %d, %04d", mon, d, y);
        return;
    }
    if (partial == 1) {
        snprintf(out, cap, "%04d", y);
        return;
    }
    if (partial == 2) {
        /* The month and year as the list's own format writes them, so that the mapping file
         * synth writes reads them: "1991-11", "199111", "11/1991", "11.1991". */
        if (style == DATE_ISO)
            snprintf(out, cap, "%04d-%02d", y, m);
        else if (style == DATE_YMD8)
            snprintf(out, cap, "%04d%02d", y, m);
        else if (style == DATE_MDY)
            snprintf(out, cap, "%02d/%04d", m, y);
        else
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
    } else if (L->name_style == NAME_REGISTER) {
        /* The Yugoslav register: Family (Father) Given; the father left out when unknown. */
        if (*fa && rk_rng_uniform(r) >= L->missing)
            rc |= rk_buf_printf(out, "%s (%s) %s", f, fa, g);
        else
            rc |= rk_buf_printf(out, "%s %s", f, g);
    } else if (L->name_style == NAME_FULL_FAMILY_FIRST) {
        rc |= rk_buf_puts(out, f);
        if (*f2)
            rc |= rk_buf_printf(out, " %s", f2);
        rc |= rk_buf_printf(out, "%s %s", L->upper || L->comma ? "," : "", g);
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
    if (p->culture == CUL_SQ || p->culture == CUL_SR) {
        if (synth_render_balkans(n, p, L, r) != RK_OK)
            return RK_ENOMEM;
    } else if (synth_render(n, p, foreign ? SCRIPT_CYRILLIC : L->script, r) != RK_OK)
        return RK_ENOMEM;
    if (foreign && az_home) {
        rk_buf *parts[] = {&n->given, &n->family, &n->patronymic, &n->father};
        for (size_t i = 0; i < RK_ARRAY_LEN(parts); i++) {
            rk_buf_clear(&n->s1);
            if (synth_ru_to_latin(&n->s1, rk_buf_cstr(parts[i]), 4) != RK_OK)
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
            else if (e < 0.03 && d <= 12 && L->date_style != DATE_DMON &&
                     L->date_style != DATE_MON_DY) { /* day and month swapped (digits only) */
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
        /* Written as the list's format reads it, scanned or not: OCR slips stay in the names
         * and places, so that synth's lists import with synth's own mapping file. */
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
    /* A list with a region and a place column leaves out at most one of them. */
    const synth_places *g = synth_culture_places(p->culture);
    bool region_gone = L->col_region && missing(L, r);
    bool place_gone = L->col_place && missing(L, r) && !region_gone;
    if (L->col_place) {
        rk_buf_clear(&n->s2);
        if (!place_gone)
            rc |= synth_place_spell(&n->s2, &n->s1, &g->places[p->place], L, r);
        rc |= put_field(row, L, rk_buf_cstr(&n->s2), false);
    }
    if (L->col_region) {
        rk_buf_clear(&n->s2);
        if (!region_gone)
            rc |= synth_place_spell(&n->s2, &n->s1, &g->regions[p->region], L, r);
        rc |= put_field(row, L, rk_buf_cstr(&n->s2), false);
    }
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
    case DATE_DMY_DOT:
        return "DD.MM.YYYY.";
    case DATE_DMON:
        return "DD-MON-YYYY";
    case DATE_MON_DY:
        return "MON D, YYYY";
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
                          L->name_style == NAME_FULL_FAMILY_FIRST || L->name_style == NAME_REGISTER
                              ? "family-first"
                              : "given-first");
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
