/* Parsing a full name into roles by naming culture: the culture is the list's language or
 * is guessed from particles (bin, oğlu, del), scripts, letters and endings; the order is the
 * mapping's, a comma's ("Family, Given"), or inferred from family endings, patronymics and
 * known given names. Every token is kept; rk_name.why says which parse and why. */
#include "common.h"

#include "text/name_private.h"

static bool ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static bool known_given(const rk_text *t, const text_name_tok *k)
{
    if (k->e && k->e->lex)
        return t->lex[k->e->lex - 1].given;
    return false;
}

static int family_culture_of(const rk_text *t, const text_name_tok *k);

/* The culture a family-name ending (or the table of family names) points to, or -1;
 * computed once per cache entry. */
static int family_culture(const rk_text *t, const text_name_tok *k)
{
    if (!k->e || k->merged)
        return family_culture_of(t, k);
    text_entry *e = (text_entry *)k->e;
    if (e->fam_culture == -2)
        e->fam_culture = (int8_t)family_culture_of(t, k);
    return e->fam_culture;
}

/* Whether l writes я, ю the German way, j after a consonant before a vowel (Gjunaj = Гюнай,
 * Kjasimow): such a word's -aj is German for -ай, not the Albanian family ending (Gjonaj). */
static bool german_j(const char *l, size_t n)
{
    for (size_t i = 1; i + 1 < n; i++)
        if (l[i] == 'j' && !strchr("aeiouydjln", l[i - 1]) && strchr("aeiou", l[i + 1]) &&
            (l[i - 1] != 'g' || l[i + 1] == 'u'))
            return true;
    return false;
}

static int family_culture_of(const rk_text *t, const text_name_tok *k)
{
    /* A word that is both a known given name and a known family name (Ahmad, Hasan) says
       nothing of the order. */
    if (known_given(t, k) || k->particle)
        return -1;
    if (k->e && k->e->lex && t->lex[k->e->lex - 1].family)
        return t->lex[k->e->lex - 1].fculture;
    const char *l = k->keys.latin;
    size_t n = strlen(l);
    if (k->e && k->e->hint == RK_LANG_SR && ends(l, "ich") && n >= 5)
        return RK_CULTURE_SERBIAN;
    for (size_t i = 0; i < text_family_suffixes_len; i++) {
        const text_suffix *x = &text_family_suffixes[i];
        if (n >= x->min_len && ends(l, x->suffix) &&
            !(x->culture == RK_CULTURE_ALBANIAN && german_j(l, n)))
            return x->culture;
    }
    return -1;
}

/* Armenian patronymic in the genitive: the father's given name + i (Hovhannesi, Samveli). */
static bool armenian_genitive(const rk_text *t, const text_name_tok *k)
{
    const char *l = k->keys.latin;
    size_t n = strlen(l);
    if (k->particle || n < 4 || l[n - 1] != 'i' || known_given(t, k))
        return false;
    const text_lex *x = text_lex_find(t, l, n - 1);
    return x && x->given;
}

static bool patronymic_form(const rk_text *t, const text_name_tok *k)
{
    if (known_given(t, k) || k->particle || (k->e && k->e->hint == RK_LANG_SR))
        return false;
    if (k->e && !k->merged && k->e->patr >= 0)
        return k->e->patr == 1;
    rk_gender g;
    const char *l = k->keys.latin;
    bool p = text_patronymic_stem(l, strlen(l), &g) > 0;
    if (k->e && !k->merged)
        ((text_entry *)k->e)->patr = p ? 1 : 0;
    return p;
}

/* What each language says of a name: the culture a list kept in it decides (GENERIC: none),
 * its own script (Russian: Cyrillic; NONE for the others), and the culture that a word whose
 * letters or script give this language away (ə, ć, ñ; Armenian) votes for, with its votes. */
static const struct lang_info {
    rk_culture culture;
    rk_script script;
    rk_culture hint_culture;
    int hint_votes;
} langs[RK_LANG_COUNT] = {
    [RK_LANG_AUTO] = {RK_CULTURE_GENERIC, RK_SCRIPT_NONE, RK_CULTURE_GENERIC, 0},
    [RK_LANG_AZ] = {RK_CULTURE_AZERBAIJANI, RK_SCRIPT_NONE, RK_CULTURE_AZERBAIJANI, 2},
    [RK_LANG_RU] = {RK_CULTURE_EAST_SLAVIC, RK_SCRIPT_CYRILLIC, RK_CULTURE_GENERIC, 0},
    [RK_LANG_HY] = {RK_CULTURE_ARMENIAN, RK_SCRIPT_ARMENIAN, RK_CULTURE_ARMENIAN, 2},
    [RK_LANG_AR] = {RK_CULTURE_ARABIC, RK_SCRIPT_NONE, RK_CULTURE_GENERIC, 0},
    [RK_LANG_ES] = {RK_CULTURE_SPANISH, RK_SCRIPT_NONE, RK_CULTURE_SPANISH, 1},
    [RK_LANG_SR] = {RK_CULTURE_SERBIAN, RK_SCRIPT_NONE, RK_CULTURE_SERBIAN, 2},
    [RK_LANG_KA] = {RK_CULTURE_GEORGIAN, RK_SCRIPT_GEORGIAN, RK_CULTURE_GEORGIAN, 2},
    [RK_LANG_SQ] = {RK_CULTURE_ALBANIAN, RK_SCRIPT_NONE, RK_CULTURE_ALBANIAN, 2},
    [RK_LANG_TR] = {RK_CULTURE_GENERIC, RK_SCRIPT_NONE, RK_CULTURE_AZERBAIJANI, 2},
    [RK_LANG_EN] = {RK_CULTURE_GENERIC, RK_SCRIPT_NONE, RK_CULTURE_GENERIC, 0},
};

/* Whether the list's language says the culture of this name: not for a name written wholly
 * outside the language's own script ("Naupari Yupanqui Juan Angel" in a list kept in
 * Russian is a Spanish name, and the evidence of its words says so). */
static bool lang_decides(const rk_text *t, const text_name_parse *p)
{
    rk_lang lang = t->opts.lang;
    if (langs[lang].culture == RK_CULTURE_GENERIC)
        return false;
    rk_script own = langs[lang].script;
    if (own == RK_SCRIPT_NONE)
        return true;
    for (size_t i = 0; i < p->n; i++)
        if (p->tok[i].keys.script == own || p->tok[i].keys.script != RK_SCRIPT_LATIN)
            return true;
    return false;
}

/* Whether the name is written wholly in Latin letters in a list whose language has a script
 * of its own. */
static bool foreign_latin(const rk_text *t, const text_name_parse *p)
{
    return langs[t->opts.lang].script != RK_SCRIPT_NONE && !lang_decides(t, p);
}

static rk_culture guess_culture(const rk_text *t, const text_name_parse *p)
{
    if (lang_decides(t, p))
        return langs[t->opts.lang].culture;
    int votes[RK_CULTURE_COUNT] = {0};
    for (size_t i = 0; i < p->n; i++) {
        const text_name_tok *k = &p->tok[i];
        switch (k->particle) {
        case TX_P_FILIAL:
        case TX_P_ABD:
        case TX_P_KUNYA:
            votes[RK_CULTURE_ARABIC] += 3;
            break;
        case TX_P_ARTICLE:
            votes[RK_CULTURE_ARABIC] += (k->keys.flags & RK_TOKEN_HYPHEN) || i + 1 < p->n ? 2 : 0;
            break;
        case TX_P_OGLU:
        case TX_P_QIZI:
            votes[RK_CULTURE_AZERBAIJANI] += 4;
            break;
        case TX_P_ROMANCE:
            if (i > 0 && i + 1 < p->n)
                votes[RK_CULTURE_SPANISH] += 2;
            break;
        default:
            break;
        }
        if (k->merged)
            votes[RK_CULTURE_ARABIC] += 3;
        if (k->keys.script == RK_SCRIPT_ARABIC)
            votes[RK_CULTURE_ARABIC] += 2;
        if (k->particle)
            continue;
        int fc = family_culture(t, k);
        if (fc >= 0)
            votes[fc] += 2;
        if (patronymic_form(t, k))
            votes[RK_CULTURE_EAST_SLAVIC] += 2;
        if (known_given(t, k))
            votes[t->lex[k->e->lex - 1].culture] += 1;
        if (k->e)
            votes[langs[k->e->hint].hint_culture] += langs[k->e->hint].hint_votes;
    }
    /* Russian-style patronymics on Azerbaijani or Armenian names stay with those cultures. */
    if (votes[RK_CULTURE_EAST_SLAVIC] &&
        (votes[RK_CULTURE_AZERBAIJANI] >= 2 || votes[RK_CULTURE_ARMENIAN] >= 2)) {
        int add = votes[RK_CULTURE_EAST_SLAVIC] / 2;
        if (votes[RK_CULTURE_AZERBAIJANI] >= votes[RK_CULTURE_ARMENIAN])
            votes[RK_CULTURE_AZERBAIJANI] += add;
        else
            votes[RK_CULTURE_ARMENIAN] += add;
    }
    rk_culture best = RK_CULTURE_GENERIC;
    for (int c = 1; c < RK_CULTURE_COUNT; c++)
        if (votes[c] > votes[best])
            best = (rk_culture)c;
    return votes[best] > 0 ? best : RK_CULTURE_GENERIC;
}

/* Appends a reason to `why`: `fmt` with its one "%s" replaced by `arg` (no printf: this
 * runs for every name). */
static void because(rk_name *out, const char *fmt, const char *arg)
{
    size_t n = strlen(out->why), cap = sizeof(out->why) - 1;
    if (n && n + 2 < cap) {
        out->why[n++] = ';';
        out->why[n++] = ' ';
    }
    for (const char *f = fmt; *f && n < cap; f++) {
        if (f[0] == '%' && f[1] == 's') {
            for (const char *a = arg; *a && n < cap; a++)
                out->why[n++] = *a;
            f++;
        } else {
            out->why[n++] = *f;
        }
    }
    out->why[n] = '\0';
}

static void why_put(rk_name *out, size_t *n, const char *s)
{
    while (*s && *n + 1 < sizeof(out->why))
        out->why[(*n)++] = *s++;
    out->why[*n] = '\0';
}

/* Units: indexes of tokens that are not particles, in order, but for those whose role a
 * marker fixed (fix_relations). */
static size_t units_of(const text_name_parse *p, size_t from, size_t to, size_t *u)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        if (!p->tok[i].particle && !p->tok[i].fixed && p->tok[i].keys.latin[0])
            u[n++] = i;
    return n;
}

/* Names whose role a marker says, whatever the culture: the father's name in parentheses
 * (Krasniqi (Bajram) Agim; a second word there is the grandfather's, a word with a family-name
 * ending a second family name, as a maiden name), after s/o, d/o, son of, fils de (one word:
 * the father; after a second marker, the grandfather), and a spouse's name after w/o, wife of
 * (every word up to the next marker or parenthesis: kept as the spouse's, never compared as
 * the father's). Bin, ibn and bint chains are left to the Arabic parse. Returns true when a
 * father's name in parentheses stands between two other names (the register's order,
 * Family (Father) Given). */
static bool fix_relations(const rk_text *t, text_name_parse *p, rk_name *out)
{
    size_t father = 0, first_paren = p->n;
    uint8_t paren_group = 0;
    for (size_t i = 0; i < p->n; i++) {
        text_name_tok *k = &p->tok[i];
        if (!k->paren || k->particle || !k->keys.latin[0])
            continue;
        if (!paren_group) {
            paren_group = k->paren;
            first_paren = i;
        }
        if (k->paren != paren_group)
            continue;
        k->fixed = true;
        if (family_culture(t, k) >= 0 && !known_given(t, k)) {
            k->role = RK_ROLE_SECOND_FAMILY;
            because(out, "'%s' in parentheses has a family-name ending: a second family name",
                    k->keys.text);
        } else {
            k->role = father++ ? RK_ROLE_GRANDFATHER : RK_ROLE_PATRONYMIC;
            if (k->role == RK_ROLE_PATRONYMIC)
                because(out, "'%s' in parentheses: the father's name", k->keys.text);
        }
    }
    for (size_t i = 0; i < p->n; i++) {
        uint8_t kind = p->tok[i].particle;
        if (kind != TX_P_FATHER && kind != TX_P_SPOUSE)
            continue;
        for (size_t j = i + 1; j < p->n; j++) {
            text_name_tok *k = &p->tok[j];
            if (k->particle == TX_P_FATHER || k->particle == TX_P_SPOUSE || k->paren ||
                (p->comma > 0 && j == (size_t)p->comma))
                break;
            if (k->particle || k->fixed || !k->keys.latin[0])
                continue;
            k->fixed = true;
            if (kind == TX_P_SPOUSE) {
                k->role = RK_ROLE_SPOUSE;
                continue;
            }
            k->role = father++ ? RK_ROLE_GRANDFATHER : RK_ROLE_PATRONYMIC;
            because(out,
                    k->role == RK_ROLE_PATRONYMIC ? "'%s' after a marker: the father's name"
                                                  : "'%s' after a marker: the grandfather's",
                    k->keys.text);
            break;
        }
        if (kind == TX_P_SPOUSE)
            because(out, "%s", "the name after w/o, wife of is the spouse's, not compared");
    }
    if (first_paren == p->n)
        return false;
    size_t u[RK_NAME_MAX_TOKENS];
    size_t before = units_of(p, 0, first_paren, u), after = units_of(p, first_paren, p->n, u);
    return before >= 1 && after >= 1;
}

static bool patronymic_culture(rk_culture c)
{
    return c == RK_CULTURE_EAST_SLAVIC || c == RK_CULTURE_AZERBAIJANI || c == RK_CULTURE_ARMENIAN;
}

/* Caucasus and Slavic: [Family] Given [Patronymic] [oğlu/qızı] or Given [Patronymic] Family. */
static void parse_slavic(const rk_text *t, text_name_parse *p, rk_culture culture,
                         bool register_form, rk_name *out)
{
    size_t u[RK_NAME_MAX_TOKENS], r[RK_NAME_MAX_TOKENS];
    size_t nu = units_of(p, 0, p->n, u), nr = 0;
    int patr_last = 0, patr_mid = 0;
    for (size_t k = 0; k < nu; k++) {
        text_name_tok *tk = &p->tok[u[k]];
        size_t next = u[k] + 1;
        bool marker = next < p->n &&
                      (p->tok[next].particle == TX_P_OGLU || p->tok[next].particle == TX_P_QIZI);
        bool genitive = culture == RK_CULTURE_ARMENIAN && nu == 3 && armenian_genitive(t, tk);
        if (marker || genitive || (patronymic_form(t, tk) && nu > 1)) {
            tk->role = RK_ROLE_PATRONYMIC;
            if (marker)
                because(out, "patronymic marked by '%s'", p->tok[next].keys.text);
            else if (genitive)
                because(out, "'%s' is a father's name in the genitive", tk->keys.text);
            else
                because(out, "'%s' has a patronymic ending", tk->keys.text);
            if (k + 1 == nu)
                patr_last = 1;
            else
                patr_mid = 1;
        } else {
            r[nr++] = u[k];
        }
    }
    int ev = 0;
    if (nr >= 2) {
        text_name_tok *first = &p->tok[r[0]], *last = &p->tok[r[nr - 1]];
        if (family_culture(t, first) >= 0) {
            ev += 2;
            because(out, "'%s' has a family-name ending", first->keys.text);
        }
        if (family_culture(t, last) >= 0) {
            ev -= 2;
            because(out, "'%s' has a family-name ending", last->keys.text);
        }
        if (known_given(t, first) && !known_given(t, last)) {
            ev -= 1;
            because(out, "'%s' is a known given name", first->keys.text);
        }
        if (known_given(t, last) && !known_given(t, first)) {
            ev += 1;
            because(out, "'%s' is a known given name", last->keys.text);
        }
        ev += patr_last - 2 * patr_mid;
        if (ev == 0 && register_form) {
            ev = 1;
            because(out, "%s",
                    "the father's name in parentheses: the register's Family (Father) Given");
        }
    }
    out->order_evidence = ev;
    rk_name_order order = t->opts.order;
    if (p->comma > 0 && nr >= 2) {
        order = RK_ORDER_FAMILY_FIRST;
        out->flags |= RK_NAME_COMMA;
        because(out, "%s", "comma after the family name");
    } else if (order == RK_ORDER_AUTO) {
        if (ev > 0)
            order = RK_ORDER_FAMILY_FIRST;
        else if (ev < 0)
            order = RK_ORDER_GIVEN_FIRST;
        else {
            order =
                culture == RK_CULTURE_EAST_SLAVIC ? RK_ORDER_FAMILY_FIRST : RK_ORDER_GIVEN_FIRST;
            if (nr >= 2) {
                out->flags |= RK_NAME_ORDER_GUESSED;
                because(out, "%s", "no evidence of order: the culture's default");
            }
        }
    } else {
        because(out, "%s", "order from the mapping");
    }
    out->order = order;
    if (nr == 0)
        return;
    if (nr == 1) {
        text_name_tok *only = &p->tok[r[0]];
        only->role =
            family_culture(t, only) >= 0 || !known_given(t, only) ? RK_ROLE_FAMILY : RK_ROLE_GIVEN;
        if (only->role == RK_ROLE_FAMILY && known_given(t, only) == false && nu == 1)
            because(out, "%s", "a single name, read as the family name");
        return;
    }
    size_t fam = order == RK_ORDER_FAMILY_FIRST ? 0 : nr - 1;
    for (size_t k = 0; k < nr; k++)
        p->tok[r[k]].role = k == fam ? RK_ROLE_FAMILY : RK_ROLE_GIVEN;
    /* Three names and no patronymic found: in these cultures the third is the father's, but
     * not in a name written wholly in Latin letters in a list of another script, where the
     * culture is only a guess from the words (Arango Villa Fidel in a list kept in Russian). */
    if (nr == 3 && nu == 3 && patronymic_culture(culture) && !foreign_latin(t, p)) {
        size_t pi = order == RK_ORDER_FAMILY_FIRST ? r[2] : r[1];
        p->tok[pi].role = RK_ROLE_PATRONYMIC;
        because(out, "three names: '%s' read as the patronymic", p->tok[pi].keys.text);
    }
}

/* Arabic: Given [bin] Father [bin] Grandfather ... [al-]Family. */
static void parse_arabic(const rk_text *t, text_name_parse *p, rk_name *out)
{
    size_t u[RK_NAME_MAX_TOKENS];
    size_t from = 0, to = p->n;
    if (p->comma > 0) {
        size_t fu[RK_NAME_MAX_TOKENS];
        size_t nf = units_of(p, 0, (size_t)p->comma, fu);
        for (size_t k = 0; k < nf; k++)
            p->tok[fu[k]].role = RK_ROLE_FAMILY;
        from = (size_t)p->comma;
        out->flags |= RK_NAME_COMMA;
        out->order = RK_ORDER_FAMILY_FIRST;
        because(out, "%s", "comma after the family name");
    } else if (t->opts.order == RK_ORDER_FAMILY_FIRST) {
        size_t fu[RK_NAME_MAX_TOKENS];
        if (units_of(p, 0, p->n, fu) >= 2) {
            p->tok[fu[0]].role = RK_ROLE_FAMILY;
            from = fu[0] + 1;
        }
        out->order = RK_ORDER_FAMILY_FIRST;
        because(out, "%s", "order from the mapping");
    } else {
        out->order = RK_ORDER_GIVEN_FIRST;
    }
    size_t nu = units_of(p, from, to, u);
    bool filial = false, article_last = false;
    for (size_t i = from; i < to; i++)
        if (p->tok[i].particle == TX_P_FILIAL)
            filial = true;
    if (nu >= 2 && u[nu - 1] > 0 && p->tok[u[nu - 1] - 1].particle == TX_P_ARTICLE)
        article_last = true;
    if (filial)
        because(out, "%s", "chain of names joined by bin/ibn/bint");
    /* In a chain, a last name not joined by bin/bint is the family name (Iman bint Husam
       Salama), not the grandfather (Iman bint Husam bin Salama). */
    bool chain_end =
        filial && nu >= 3 && u[nu - 1] > 0 && p->tok[u[nu - 1] - 1].particle != TX_P_FILIAL;
    bool last_family =
        out->order != RK_ORDER_FAMILY_FIRST && (article_last || chain_end || (!filial && nu >= 2));
    if (article_last)
        because(out, "%s", "al- marks the family name");
    else if (chain_end)
        because(out, "%s", "the last name, not joined by bin/bint, is the family name");
    else if (last_family && nu == 2)
        because(out, "%s", "two names: the second read as the family name (may be the father's)");
    for (size_t k = 0; k < nu; k++) {
        text_name_tok *tk = &p->tok[u[k]];
        if (last_family && k == nu - 1 && k > 0)
            tk->role = RK_ROLE_FAMILY;
        else if (k == 0)
            tk->role = RK_ROLE_GIVEN;
        else if (k == 1)
            tk->role = RK_ROLE_PATRONYMIC;
        else
            tk->role = RK_ROLE_GRANDFATHER;
    }
    out->order_evidence = 0;
}

/* The evidence of order a known given name gives: +1 when the last unit is one (family names
 * first), -1 when the first is, 0 when both or neither are. */
static int given_evidence(const rk_text *t, const text_name_tok *first, const text_name_tok *last)
{
    return (known_given(t, last) ? 1 : 0) - (known_given(t, first) ? 1 : 0);
}

/* The order the evidence gives where the mapping leaves it open: family names first on
 * evidence for it (ev > 0), else given names first, said by why[0], why[1] or why[2] (no
 * evidence, then guessed if `can_guess`). */
static rk_name_order order_of_evidence(rk_name *out, int ev, bool can_guess,
                                       const char *const why[3])
{
    because(out, "%s", why[ev > 0 ? 0 : ev < 0 ? 1 : 2]);
    if (ev == 0 && can_guess)
        out->flags |= RK_NAME_ORDER_GUESSED;
    return ev > 0 ? RK_ORDER_FAMILY_FIRST : RK_ORDER_GIVEN_FIRST;
}

/* Spanish: Given(s) Paternal Maternal, particles joined to the name after them. */
static void parse_spanish(const rk_text *t, text_name_parse *p, rk_name *out)
{
    size_t u[RK_NAME_MAX_TOKENS];
    if (p->comma > 0) {
        size_t nf = units_of(p, 0, (size_t)p->comma, u);
        for (size_t k = 0; k < nf; k++)
            p->tok[u[k]].role = k == 0 ? RK_ROLE_FAMILY : RK_ROLE_SECOND_FAMILY;
        size_t ng = units_of(p, (size_t)p->comma, p->n, u);
        for (size_t k = 0; k < ng; k++)
            p->tok[u[k]].role = RK_ROLE_GIVEN;
        out->order = RK_ORDER_FAMILY_FIRST;
        out->flags |= RK_NAME_COMMA;
        because(out, "%s", "comma after the family names");
        return;
    }
    size_t nu = units_of(p, 0, p->n, u);
    rk_name_order order = t->opts.order;
    int ev = nu >= 2 ? given_evidence(t, &p->tok[u[0]], &p->tok[u[nu - 1]]) : 0;
    out->order_evidence = ev;
    if (order == RK_ORDER_AUTO)
        order = order_of_evidence(
            out, ev, true,
            (const char *const[]){"the last name is a known given name: family names first",
                                  "the first name is a known given name: given names first",
                                  "no evidence of order: given names first"});
    else
        because(out, "%s", "order from the mapping");
    out->order = order;
    size_t nfam = nu >= 3 ? 2 : (nu == 2 ? 1 : 0);
    if (nu == 1)
        p->tok[u[0]].role = known_given(t, &p->tok[u[0]]) ? RK_ROLE_GIVEN : RK_ROLE_FAMILY;
    for (size_t k = 0; k < nu && nu > 1; k++) {
        size_t pos = order == RK_ORDER_GIVEN_FIRST ? k : (k + nu - nfam) % nu;
        /* pos: index in given-first order */
        rk_name_role role = RK_ROLE_GIVEN;
        if (pos == nu - nfam)
            role = RK_ROLE_FAMILY;
        else if (pos > nu - nfam)
            role = RK_ROLE_SECOND_FAMILY;
        p->tok[u[k]].role = role;
    }
    if (nu >= 3)
        because(out, "%s", "two family names (paternal, maternal)");
}

/* Serbian and Albanian: Given [Father] Family. */
static void parse_given_father_family(const rk_text *t, text_name_parse *p, bool register_form,
                                      rk_name *out)
{
    size_t u[RK_NAME_MAX_TOKENS];
    size_t nu = units_of(p, 0, p->n, u);
    rk_name_order order = t->opts.order;
    int ev = 0;
    if (p->comma > 0) {
        order = RK_ORDER_FAMILY_FIRST;
        out->flags |= RK_NAME_COMMA;
        because(out, "%s", "comma after the family name");
    } else if (nu >= 2) {
        if (family_culture(t, &p->tok[u[0]]) >= 0)
            ev += 2;
        if (family_culture(t, &p->tok[u[nu - 1]]) >= 0)
            ev -= 2;
        ev += given_evidence(t, &p->tok[u[0]], &p->tok[u[nu - 1]]);
        if (ev == 0 && register_form) {
            ev = 1;
            because(out, "%s",
                    "the father's name in parentheses: the register's Family (Father) Given");
        }
    }
    out->order_evidence = ev;
    if (order == RK_ORDER_AUTO)
        order = order_of_evidence(
            out, ev, nu >= 2,
            (const char *const[]){"family-name ending first",
                                  "family-name ending or known given name places the family last",
                                  "no evidence of order: given name first"});
    out->order = order;
    for (size_t k = 0; k < nu; k++) {
        size_t pos = order == RK_ORDER_GIVEN_FIRST ? k : (k + nu - 1) % nu;
        rk_name_role role = RK_ROLE_GIVEN;
        if (nu > 1 && pos == nu - 1)
            role = RK_ROLE_FAMILY;
        else if (nu == 3 && pos == 1)
            role = RK_ROLE_PATRONYMIC;
        p->tok[u[k]].role = role;
    }
    if (nu == 1)
        p->tok[u[0]].role = known_given(t, &p->tok[u[0]]) ? RK_ROLE_GIVEN : RK_ROLE_FAMILY;
    if (nu == 3)
        because(out, "%s", "three names: the middle one is the father's");
}

/* The length of an Arabic article written joined to a Latin family name (Alahmad, Elhassan:
 * al-Ahmad, al-Hassan), to be keyed without it; 0 when there is none. In an Arabic name the
 * rest must be four letters or more or a known name (Alali, Alomar); in a name of no clear
 * culture, a known Arabic name (so Alvarez and Almeida keep their first letters). */
static size_t joined_article(const rk_text *t, const text_name_tok *k, bool arabic)
{
    const char *r = k->e->raw;
    size_t n = k->e->rawlen;
    if (k->keys.script != RK_SCRIPT_LATIN || n < 5 || n > 24 ||
        (r[0] != 'A' && r[0] != 'a' && r[0] != 'E' && r[0] != 'e') || (r[1] != 'l' && r[1] != 'L'))
        return 0;
    char rest[24];
    for (size_t i = 2; i < n; i++) {
        if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= 'A' && r[i] <= 'Z')))
            return 0;
        rest[i - 2] = (char)(r[i] | 0x20);
    }
    rest[n - 2] = '\0';
    if (arabic && n - 2 >= 4)
        return 2;
    const text_lex *lx = text_lex_find(t, rest, n - 2);
    if (!lx)
        return 0;
    if (arabic)
        return 2;
    return (lx->given && lx->culture == RK_CULTURE_ARABIC) ||
                   (lx->family && lx->fculture == RK_CULTURE_ARABIC)
               ? 2
               : 0;
}

/* The length of what may be an Arabic article joined to a Latin family name that
 * joined_article() does not strip, the name being of no clear culture: al-, el- (Elhassan,
 * Elnaggar) or an article assimilated to a doubled sun letter (Assaleh: as-Saleh, Annajjar).
 * The rest, four letters or more or a known name, gives the token's alternative key, so the
 * name meets both al-Hassan and Elhassan without losing its own key (Alvarez, Almeida). */
static size_t maybe_article(const rk_text *t, const text_name_tok *k)
{
    const char *r = k->e->raw;
    size_t n = k->e->rawlen, skip = 0;
    char c0 = (char)(r[0] | 0x20);
    if (k->keys.script != RK_SCRIPT_LATIN || n < 5 || n > 24 || (c0 != 'a' && c0 != 'e'))
        return 0;
    if ((r[1] | 0x20) == 'l')
        skip = 2;
    else if (c0 == 'a' && r[1] == r[2] && strchr("tdrzsn", r[1]))
        skip = 2;
    else
        return 0;
    char rest[24];
    for (size_t i = skip; i < n; i++) {
        if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= 'A' && r[i] <= 'Z')))
            return 0;
        rest[i - skip] = (char)(r[i] | 0x20);
    }
    rest[n - skip] = '\0';
    return n - skip >= 4 || text_lex_find(t, rest, n - skip) ? skip : 0;
}

/* In an Arabic name in Latin letters, g may be the Egyptian reading of ج, which other
 * romanizations write j (Gamal/Jamal, Naggar/Najjar, Ragab/Rajab): the word read that way
 * gives the token's alternative key when it has none. */
static int egyptian_alt(rk_text *t, text_name_tok *k, size_t skip, bool family)
{
    const char *r = k->e->raw + skip; /* past a joined article keyed without it */
    size_t n = k->e->rawlen - skip;
    char buf[32];
    bool any = false;
    if (k->keys.script != RK_SCRIPT_LATIN || k->keys.alt[0] || n >= sizeof(buf))
        return RK_OK;
    for (size_t i = 0; i < n; i++) {
        char c = r[i], lc = (char)(c | 0x20);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return RK_OK;
        bool g = lc == 'g' && !(i + 1 < n && (r[i + 1] | 0x20) == 'h');
        buf[i] = g ? 'j' : c;
        any |= g;
    }
    if (!any)
        return RK_OK;
    const text_entry *e = NULL;
    int rc = text_cache_get(t, buf, n, k->e->lang, family, &e);
    if (rc == RK_OK && strcmp(e->k.key, k->keys.key) != 0)
        k->keys.alt = e->k.key;
    return rc;
}

/* Final keys by role, gender vote, copy out. */
static int finish(rk_text *t, text_name_parse *p, rk_culture culture, rk_name *out)
{
    int votes[3] = {0};
    for (size_t i = 0; i < p->n; i++) {
        text_name_tok *k = &p->tok[i];
        size_t skip = 0;
        if (k->particle) {
            k->role = RK_ROLE_PARTICLE;
            if (k->particle == TX_P_FATHER || k->particle == TX_P_SPOUSE)
                votes[k->keys.gender] += 4;
            else if (k->particle == TX_P_QIZI ||
                     (k->particle == TX_P_FILIAL &&
                      (strcmp(k->keys.latin, "bint") == 0 || strcmp(k->keys.latin, "binti") == 0)))
                votes[RK_GENDER_FEMALE] += 4;
            else if (k->particle == TX_P_OGLU || k->particle == TX_P_FILIAL)
                votes[RK_GENDER_MALE] += 4;
        }
        if ((k->role == RK_ROLE_FAMILY || k->role == RK_ROLE_SECOND_FAMILY) && !k->merged) {
            const text_entry *e = NULL;
            skip = joined_article(t, k, culture == RK_CULTURE_ARABIC);
            int rc = text_cache_get(t, k->e->raw + skip, k->e->rawlen - skip, k->e->lang, true, &e);
            if (rc != RK_OK)
                return rc;
            unsigned fl = k->keys.flags;
            k->keys = e->k;
            k->keys.flags = fl;
            if (e->k.gender)
                votes[e->k.gender] += 2;
            size_t maybe = skip ? 0 : maybe_article(t, k);
            if (maybe && !k->keys.alt[0]) {
                rc = text_cache_get(t, k->e->raw + maybe, k->e->rawlen - maybe, k->e->lang, true,
                                    &e);
                if (rc != RK_OK)
                    return rc;
                k->keys.alt = e->k.key;
            }
        } else if (k->role == RK_ROLE_PATRONYMIC && !k->merged) {
            int rc = text_name_patronymic_keys(t, &k->keys, culture == RK_CULTURE_ARMENIAN);
            if (rc != RK_OK)
                return rc;
            if ((k->keys.flags & RK_TOKEN_STEM) && k->keys.gender)
                votes[k->keys.gender] += 5;
        } else if (k->role == RK_ROLE_GIVEN && k->keys.gender) {
            votes[k->keys.gender] += 1;
        }
        if (culture == RK_CULTURE_ARABIC && !k->merged &&
            (k->role == RK_ROLE_GIVEN || k->role == RK_ROLE_FAMILY ||
             k->role == RK_ROLE_SECOND_FAMILY)) {
            int rc = egyptian_alt(t, k, skip, k->role != RK_ROLE_GIVEN);
            if (rc != RK_OK)
                return rc;
        }
        rk_name_token *o = &out->tokens[out->ntokens++];
        o->k = k->keys;
        o->role = k->role;
        o->start = (uint16_t)RK_MIN(k->start, UINT16_MAX);
        o->len = (uint16_t)RK_MIN(k->len, UINT16_MAX);
    }
    out->culture = culture;
    out->gender = votes[RK_GENDER_MALE] > votes[RK_GENDER_FEMALE]   ? RK_GENDER_MALE
                  : votes[RK_GENDER_FEMALE] > votes[RK_GENDER_MALE] ? RK_GENDER_FEMALE
                                                                    : RK_GENDER_UNKNOWN;
    if (p->truncated)
        out->flags |= RK_NAME_TRUNCATED;
    return RK_OK;
}

static void parse_tokens(rk_text *t, text_name_parse *p, rk_culture c, rk_name *out)
{
    bool register_form = fix_relations(t, p, out);
    switch (c) {
    case RK_CULTURE_ARABIC:
        parse_arabic(t, p, out);
        break;
    case RK_CULTURE_SPANISH:
        parse_spanish(t, p, out);
        break;
    case RK_CULTURE_SERBIAN:
    case RK_CULTURE_ALBANIAN:
        parse_given_father_family(t, p, register_form, out);
        break;
    default:
        parse_slavic(t, p, c, register_form, out);
        break;
    }
}

int rk_text_name_parse(rk_name *out, rk_text *t, const char *full)
{
    if (!t)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(t->ctx, out);
    memset(out, 0, sizeof(*out));
    if (!full)
        full = "";
    size_t n = strlen(full), bad = 0;
    if (!rk_utf8_valid(full, n, &bad))
        return rk_error_set(t->ctx, RK_EINPUT, "invalid UTF-8 at byte %zu of name '%.40s'", bad,
                            full);
    if (n > UINT16_MAX)
        n = UINT16_MAX;
    text_name_parse *p = &(text_name_parse){.n = 0, .comma = -1};
    int rc = text_name_tokenize(t, full, n, p);
    if (rc == RK_OK)
        rc = text_name_merge_abd(t, p);
    if (rc == RK_OK)
        rc = text_name_merge_relations(t, p, full);
    if (rc != RK_OK)
        return rc == RK_EINPUT ? rk_error_set(t->ctx, RK_EINPUT, "name '%.40s' is unreadable", full)
                               : rc;
    if (p->n == 0) {
        out->flags |= RK_NAME_EMPTY;
        snprintf(out->why, sizeof(out->why), "no letters");
        return RK_OK;
    }
    rk_culture c = guess_culture(t, p);
    parse_tokens(t, p, c, out);
    char rest[sizeof(out->why)];
    memcpy(rest, out->why, sizeof(rest));
    size_t wn = 0;
    why_put(out, &wn, rk_text_culture_name(c));
    why_put(out, &wn, ", ");
    why_put(out, &wn, rk_text_order_name(out->order));
    if (rest[0]) {
        why_put(out, &wn, ": ");
        why_put(out, &wn, rest);
    }
    return finish(t, p, c, out);
}

static int parts_field(rk_text *t, text_name_parse *p, const char *s, rk_name_role role)
{
    if (!s || !*s)
        return RK_OK;
    size_t n = strlen(s), bad = 0, before = p->n;
    if (!rk_utf8_valid(s, n, &bad))
        return rk_error_set(t->ctx, RK_EINPUT, "invalid UTF-8 at byte %zu of name part '%.40s'",
                            bad, s);
    p->field = role;
    int rc = text_name_tokenize(t, s, RK_MIN(n, (size_t)UINT16_MAX), p);
    if (rc != RK_OK)
        return rc;
    size_t units = 0;
    for (size_t i = before; i < p->n; i++) {
        text_name_tok *k = &p->tok[i];
        if (k->particle) {
            k->role = RK_ROLE_PARTICLE;
            continue;
        }
        k->role = role;
        if (role == RK_ROLE_FAMILY && units > 0)
            k->role = RK_ROLE_SECOND_FAMILY;
        units++;
    }
    return RK_OK;
}

int rk_text_name_parts(rk_name *out, rk_text *t, const char *given, const char *family,
                       const char *patronymic)
{
    if (!t)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(t->ctx, out);
    memset(out, 0, sizeof(*out));
    text_name_parse *p = &(text_name_parse){.n = 0, .comma = -1};
    int rc = parts_field(t, p, given, RK_ROLE_GIVEN);
    if (rc == RK_OK)
        rc = parts_field(t, p, family, RK_ROLE_FAMILY);
    if (rc == RK_OK)
        rc = parts_field(t, p, patronymic, RK_ROLE_PATRONYMIC);
    if (rc == RK_OK)
        rc = text_name_merge_abd(t, p);
    if (rc != RK_OK)
        return rc;
    if (p->n == 0) {
        out->flags |= RK_NAME_EMPTY;
        snprintf(out->why, sizeof(out->why), "no letters");
        return RK_OK;
    }
    rk_culture c = guess_culture(t, p);
    out->order = RK_ORDER_AUTO;
    snprintf(out->why, sizeof(out->why), "%s: roles from the columns", rk_text_culture_name(c));
    return finish(t, p, c, out);
}
