/* Splitting a name field into tokens and keying each one through the cache: separators are
 * any Unicode space or punctuation, hyphens join (al-Ahmad), the Arabic article ال is split
 * from its noun (except in الله), and abd-compounds become one token (Abd al-Rahman,
 * عبد الله, Abdul Rahman). Also rk_text_key and the comparison levels of two tokens. */
#include "common.h"

#include "text/name_private.h"

static const char arabic_al[] = "\xd8\xa7\xd9\x84";                    /* ال */
static const char arabic_allah[] = "\xd8\xa7\xd9\x84\xd9\x84\xd9\x87"; /* الله */

static int push(rk_text *t, text_name_parse *p, const char *s, size_t start, size_t len,
                bool hyphen)
{
    if (p->n >= RK_NAME_MAX_TOKENS) {
        p->truncated = true;
        return RK_OK;
    }
    const text_entry *e = NULL;
    int rc = text_cache_get(t, s + start, len, t->opts.lang, false, &e);
    if (rc != RK_OK)
        return rc;
    text_name_tok *k = &p->tok[p->n++];
    memset(k, 0, sizeof(*k));
    k->e = e;
    k->keys = e->k;
    k->start = start;
    k->len = len;
    if (hyphen)
        k->keys.flags |= RK_TOKEN_HYPHEN;
    k->particle = e->particle;
    /* An Arabic word romanized as "da" or "y" (دعاء) is not a Romance or Turkic particle. */
    if (k->keys.script == RK_SCRIPT_ARABIC &&
        (k->particle == TX_P_ROMANCE || k->particle == TX_P_OGLU || k->particle == TX_P_QIZI))
        k->particle = TX_P_NONE;
    k->field = p->field;
    if (p->depth > 0)
        k->paren = p->groups;
    return RK_OK;
}

int text_name_tokenize(rk_text *t, const char *s, size_t n, text_name_parse *p)
{
    size_t i = 0, start = 0;
    bool in = false, hyphen = false;
    while (i <= n) {
        size_t at = i;
        int32_t c = 0;
        bool sep = true, hy = false, comma = false;
        if (i < n) {
            if (text_decode(s, n, &i, &c) != 0)
                return RK_EINPUT;
            hy = text_is_hyphen(c);
            comma = c == ',' || c == 0x060C || c == 0xFF0C;
            sep = hy || text_is_separator(c);
        } else {
            i++;
        }
        if (!sep) {
            if (!in) {
                in = true;
                start = at;
            }
            continue;
        }
        if (in) {
            size_t len = at - start;
            const char *w = s + start;
            if (len > 6 && memcmp(w, arabic_al, 4) == 0 &&
                !(len == sizeof(arabic_allah) - 1 && memcmp(w, arabic_allah, len) == 0)) {
                int rc = push(t, p, s, start, 4, hyphen);
                if (rc == RK_OK)
                    rc = push(t, p, s, start + 4, len - 4, true);
                if (rc != RK_OK)
                    return rc;
            } else {
                int rc = push(t, p, s, start, len, hyphen);
                if (rc != RK_OK)
                    return rc;
            }
            in = false;
            hyphen = false;
        }
        if (hy && p->n > 0)
            hyphen = true;
        else if (!hy && c != 0)
            hyphen = false;
        if (comma && p->comma < 0 && p->n > 0)
            p->comma = (int)p->n;
        if ((c == '(' || c == '[' || c == 0xFF08) && p->depth++ == 0 && p->groups < UINT8_MAX)
            p->groups++;
        else if ((c == ')' || c == ']' || c == 0xFF09) && p->depth > 0)
            p->depth--;
    }
    return RK_OK;
}

/* Markers of a father's or spouse's name in two words: s/o, d/o, w/o, h/o (a slash between
 * the letters), son of, fils de, wife of, épouse de. */
static const struct relation {
    const char *first, *second;
    bool slash;
    uint8_t kind;
    rk_gender gender; /* of the person named, not of the relative */
} relations[] = {
    {"s", "o", true, TX_P_FATHER, RK_GENDER_MALE},
    {"d", "o", true, TX_P_FATHER, RK_GENDER_FEMALE},
    {"w", "o", true, TX_P_SPOUSE, RK_GENDER_FEMALE},
    {"h", "o", true, TX_P_SPOUSE, RK_GENDER_MALE},
    {"son", "of", false, TX_P_FATHER, RK_GENDER_MALE},
    {"daughter", "of", false, TX_P_FATHER, RK_GENDER_FEMALE},
    {"wife", "of", false, TX_P_SPOUSE, RK_GENDER_FEMALE},
    {"widow", "of", false, TX_P_SPOUSE, RK_GENDER_FEMALE},
    {"husband", "of", false, TX_P_SPOUSE, RK_GENDER_MALE},
    {"fils", "de", false, TX_P_FATHER, RK_GENDER_MALE},
    {"fille", "de", false, TX_P_FATHER, RK_GENDER_FEMALE},
    {"epouse", "de", false, TX_P_SPOUSE, RK_GENDER_FEMALE},
    {"veuve", "de", false, TX_P_SPOUSE, RK_GENDER_FEMALE},
};

/* Whether only spaces and at least one slash (or only spaces, when `slash` is false) lie
 * between bytes `from` and `to` of s. */
static bool joined_by(const char *s, size_t from, size_t to, bool slash)
{
    bool seen = false;
    for (size_t i = from; i < to; i++) {
        if (s[i] == '/' || s[i] == '\\')
            seen = true;
        else if (s[i] != ' ')
            return false;
    }
    return seen == slash;
}

int text_name_merge_relations(rk_text *t, text_name_parse *p, const char *s)
{
    for (size_t i = 0; i + 1 < p->n; i++) {
        const text_name_tok *a = &p->tok[i], *b = &p->tok[i + 1];
        const struct relation *r = NULL;
        const char *bl = b->keys.latin;
        bool o_of = bl[0] == 'o' && (bl[1] == '\0' || (bl[1] == 'f' && bl[2] == '\0'));
        if ((!o_of && !(bl[0] == 'd' && bl[1] == 'e' && bl[2] == '\0')) ||
            a->keys.script != RK_SCRIPT_LATIN)
            continue; /* every marker ends in o, of or de */
        for (size_t k = 0; k < RK_ARRAY_LEN(relations) && !r; k++)
            if (strcmp(a->keys.latin, relations[k].first) == 0 &&
                strcmp(b->keys.latin, relations[k].second) == 0 &&
                joined_by(s, a->start + a->len, b->start, relations[k].slash))
                r = &relations[k];
        if (!r)
            continue;
        const text_entry *e = NULL;
        size_t len = b->start + b->len - a->start;
        int rc = text_cache_get(t, s + a->start, len, RK_LANG_AUTO, false, &e);
        if (rc != RK_OK)
            return rc;
        text_name_tok m = *a;
        m.e = e;
        m.keys = e->k;
        m.keys.flags = a->keys.flags & RK_TOKEN_HYPHEN;
        m.keys.gender = r->gender;
        m.len = len;
        m.particle = r->kind;
        p->tok[i] = m;
        memmove(&p->tok[i + 1], &p->tok[i + 2], (p->n - i - 2) * sizeof(p->tok[0]));
        p->n--;
        if (p->comma > (int)i)
            p->comma--;
    }
    return RK_OK;
}

/* Merges abd + [article] + noun into one given-name token keyed as "abd<noun>". */
int text_name_merge_abd(rk_text *t, text_name_parse *p)
{
    for (size_t i = 0; i + 1 < p->n; i++) {
        if (p->tok[i].particle != TX_P_ABD)
            continue;
        size_t j = i + 1;
        if (p->tok[j].particle == TX_P_ARTICLE && j + 1 < p->n)
            j++;
        if (p->tok[j].particle != TX_P_NONE)
            continue;
        char buf[TX_TOKEN_MAX + 8];
        /* "abdal" + noun: text_abd_canon strips the article back to "abd" + noun. */
        const char *noun = p->tok[j].keys.latin;
        int len =
            snprintf(buf, sizeof(buf), "%s%s", strncmp(noun, "al", 2) == 0 ? "abd" : "abdal", noun);
        if (len <= 0 || (size_t)len >= sizeof(buf))
            continue;
        const text_entry *e = NULL;
        int rc = text_cache_get(t, buf, (size_t)len, RK_LANG_AUTO, false, &e);
        if (rc != RK_OK)
            return rc;
        text_name_tok merged = p->tok[i];
        merged.e = e;
        merged.keys = e->k;
        merged.keys.script = p->tok[j].keys.script;
        merged.keys.flags |= p->tok[j].keys.flags & (RK_TOKEN_ABJAD | RK_TOKEN_DIGITS);
        merged.keys.flags |= p->tok[i].keys.flags & RK_TOKEN_HYPHEN;
        merged.len = p->tok[j].start + p->tok[j].len - merged.start;
        merged.particle = TX_P_NONE;
        merged.role = p->tok[j].role; /* from its column (rk_text_name_parts), not "particle" */
        merged.merged = true;
        p->tok[i] = merged;
        size_t drop = j - i;
        memmove(&p->tok[i + 1], &p->tok[j + 1], (p->n - j - 1) * sizeof(p->tok[0]));
        p->n -= drop;
        if (p->comma > (int)i)
            p->comma = p->comma - (int)drop > (int)i ? p->comma - (int)drop : (int)i + 1;
    }
    return RK_OK;
}

int rk_text_key(rk_text_keys *out, rk_text *t, const char *token, rk_name_role role)
{
    if (!t)
        return RK_EINTERNAL;
    RK_ASSERT_ARG(t->ctx, token && out);
    size_t n = strlen(token), bad = 0;
    if (!rk_utf8_valid(token, n, &bad))
        return rk_error_set(t->ctx, RK_EINPUT, "invalid UTF-8 at byte %zu of a name", bad);
    bool family = role == RK_ROLE_FAMILY || role == RK_ROLE_SECOND_FAMILY;
    /* Several words that make one name (Abd al-Rahman) are merged; otherwise the words are
       keyed as one (separators dropped). */
    text_name_parse *p = &(text_name_parse){.n = 0, .comma = -1};
    int rc = text_name_tokenize(t, token, RK_MIN(n, (size_t)UINT16_MAX), p);
    if (rc == RK_OK)
        rc = text_name_merge_abd(t, p);
    if (rc != RK_OK)
        return rc == RK_EINPUT
                   ? rk_error_set(t->ctx, RK_EINPUT, "name '%.40s' is unreadable", token)
                   : rc;
    const text_entry *e = NULL;
    if (p->n == 1 && (p->tok[0].merged || !family)) {
        *out = p->tok[0].keys;
    } else {
        char buf[TX_TOKEN_MAX + 1];
        size_t m = 0;
        for (size_t i = 0; i < p->n; i++) {
            size_t len = RK_MIN(p->tok[i].len, TX_TOKEN_MAX - m);
            memcpy(buf + m, token + p->tok[i].start, len);
            m += len;
        }
        buf[m] = '\0';
        rc = text_cache_get(t, buf, m, t->opts.lang, family, &e);
        if (rc != RK_OK)
            return rc;
        *out = e->k;
    }
    if (role == RK_ROLE_PATRONYMIC)
        return text_name_patronymic_keys(t, out, false);
    return RK_OK;
}

int text_name_patronymic_keys(rk_text *t, rk_text_keys *k, bool genitive)
{
    rk_gender g = RK_GENDER_UNKNOWN;
    size_t n = strlen(k->latin);
    size_t stem = text_patronymic_stem(k->latin, n, &g);
    if (!stem && genitive && n >= 5 && k->latin[n - 1] == 'i')
        stem = n - 1;
    if (!stem)
        return RK_OK;
    const text_entry *e = NULL;
    int rc = text_cache_get(t, k->latin, stem, RK_LANG_AUTO, false, &e);
    if (rc != RK_OK)
        return rc;
    const char *text = k->text, *latin = k->latin;
    unsigned flags = k->flags;
    rk_script script = k->script;
    *k = e->k;
    k->text = text;
    k->latin = latin;
    k->script = script;
    k->flags = flags | RK_TOKEN_STEM;
    if (g != RK_GENDER_UNKNOWN)
        k->gender = g;
    return RK_OK;
}

rk_token_level rk_text_token_level(const rk_text_keys *a, const rk_text_keys *b)
{
    if (!a || !b || !a->key || !b->key || !*a->latin || !*b->latin)
        return RK_LEVEL_NONE;
    if (a->text && b->text && strcmp(a->text, b->text) == 0 && !(a->flags & RK_TOKEN_STEM) &&
        !(b->flags & RK_TOKEN_STEM))
        return RK_LEVEL_EXACT;
    if (strcmp(a->latin, b->latin) == 0)
        return RK_LEVEL_LATIN;
    bool abjad = (a->flags | b->flags) & RK_TOKEN_ABJAD;
    if (!abjad && *a->key && strcmp(a->key, b->key) == 0)
        return RK_LEVEL_SOUND;
    if (!abjad &&
        ((*a->alt && strcmp(a->alt, b->key) == 0) || (*b->alt && strcmp(b->alt, a->key) == 0) ||
         (*a->alt && *b->alt && strcmp(a->alt, b->alt) == 0)))
        return RK_LEVEL_ALT;
    if (abjad && *a->skel && strcmp(a->skel, b->skel) == 0)
        return RK_LEVEL_SKELETON;
    if (a->nick && a->nick == b->nick)
        return RK_LEVEL_NICKNAME;
    return RK_LEVEL_NONE;
}
