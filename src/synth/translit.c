/* Text helpers of the generator: UTF-8 code points, the romanizations that produce spelling
 * variants (Russian Cyrillic in several systems, Azerbaijani Latin to English letters,
 * Spanish without accents), typing and OCR errors, and WINDOWS-1251 output. */
#include "synth_private.h"

size_t synth_decode(const char *s, uint32_t *cp, size_t cap)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len && n < cap; n++) {
        size_t k = rk_core__utf8_decode(s + i, len - i, &cp[n]);
        if (k == 0) { /* not UTF-8 (never in the generator's own text): the byte as it is */
            cp[n] = (unsigned char)s[i];
            k = 1;
        }
        i += k;
    }
    return n;
}

int synth_encode(rk_buf *b, const uint32_t *cp, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char t[4];
        if (rk_buf_append(b, t, rk_core__utf8_encode(t, cp[i])) != RK_OK)
            return RK_ENOMEM;
    }
    return RK_OK;
}

/* Latin for а..я (index c - 0x430) in five systems: BGN/PCGN-like, passport-like, German- or
 * French-influenced, and a loose scholarly one. */
static const char *const ru_latin[5][32] = {
    {"a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "y",    "k", "l", "m", "n", "o",  "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "yu", "ya"},
    {"a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "i",    "k",  "l", "m", "n", "o",  "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "",  "e", "iu", "ia"},
    {"a", "b", "w", "g", "d", "e", "j", "s",    "i",   "j",       "k", "l", "m", "n", "o",  "p",
     "r", "s", "t", "u", "f", "h", "z", "tsch", "sch", "schtsch", "",  "y", "",  "e", "ju", "ja"},
    {"a", "b", "v", "g", "d", "e", "zh", "z",  "i",  "j",   "k", "l", "m", "n", "o",  "p",
     "r", "s", "t", "u", "f", "x", "c",  "ch", "sh", "shh", "",  "y", "'", "e", "yu", "ya"},
    /* Azerbaijani Latin, as an Azerbaijani register writes Russian and Armenian names. */
    {"a", "b", "v", "q", "d", "e", "j",  "z", "i", "y",  "k", "l", "m", "n", "o",  "p",
     "r", "s", "t", "u", "f", "x", "ts", "ç", "ş", "şç", "",  "ı", "",  "e", "yu", "ya"},
};

int synth_ru_to_latin(rk_buf *out, const char *ru, int variant)
{
    uint32_t cp[SYN_MAX_CP];
    size_t n = synth_decode(ru, cp, SYN_MAX_CP);
    if (variant < 0 || variant > 4)
        variant = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        bool upper = false;
        if (c >= 0x410 && c <= 0x42F) {
            c += 0x20;
            upper = true;
        } else if (c == 0x401) {
            c = 0x451;
            upper = true;
        }
        const char *t;
        char one[2] = {0, 0};
        if (c >= 0x430 && c <= 0x44F)
            t = ru_latin[variant][c - 0x430];
        else if (c == 0x451)
            t = variant == 0 ? "yo" : "e";
        else if (c < 0x80) {
            one[0] = (char)c;
            t = one;
        } else
            t = "";
        /* Е at the start of a word is "Ye" in the BGN system (Yevgeniy). */
        if (c == 0x435 && variant == 0 && (i == 0 || cp[i - 1] == ' '))
            t = "ye";
        if (upper && (unsigned char)t[0] >= 0x80) { /* ç, ş, ı start a capitalised name */
            t = strcmp(t, "ç") == 0 ? "Ç" : strcmp(t, "ı") == 0 ? "I" : t[2] ? "Şç" : "Ş";
            upper = false;
        }
        for (size_t k = 0; t[k]; k++) {
            char ch = t[k];
            if (upper && k == 0 && ch >= 'a' && ch <= 'z')
                ch = (char)(ch - 32);
            if (rk_buf_putc(out, ch) != RK_OK)
                return RK_ENOMEM;
        }
    }
    return RK_OK;
}

int synth_az_to_english(rk_buf *out, const char *az)
{
    uint32_t cp[SYN_MAX_CP];
    size_t n = synth_decode(az, cp, SYN_MAX_CP);
    for (size_t i = 0; i < n; i++) {
        const char *t;
        char one[2] = {0, 0};
        switch (cp[i]) {
        case 0x259:
            t = "a";
            break; /* ə */
        case 0x18F:
            t = "A";
            break; /* Ə */
        case 0x15F:
            t = "sh";
            break; /* ş */
        case 0x15E:
            t = "Sh";
            break;
        case 0xE7:
            t = "ch";
            break; /* ç */
        case 0xC7:
            t = "Ch";
            break;
        case 0x11F:
            t = "gh";
            break; /* ğ */
        case 0x11E:
            t = "Gh";
            break;
        case 0x131:
            t = "i";
            break; /* ı */
        case 0x130:
            t = "I";
            break; /* İ */
        case 0xF6:
            t = "o";
            break;
        case 0xD6:
            t = "O";
            break;
        case 0xFC:
            t = "u";
            break;
        case 0xDC:
            t = "U";
            break;
        case 'x':
            t = "kh";
            break;
        case 'X':
            t = "Kh";
            break;
        case 'c':
            t = "j";
            break;
        case 'C':
            t = "J";
            break;
        case 'q':
            t = "g";
            break;
        case 'Q':
            t = "G";
            break;
        default:
            if (cp[i] < 0x80) {
                one[0] = (char)cp[i];
                t = one;
            } else
                t = "";
        }
        if (rk_buf_puts(out, t) != RK_OK)
            return RK_ENOMEM;
    }
    return RK_OK;
}

static uint32_t strip_one(uint32_t c)
{
    static const char lower[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty"; /* U+00E0..U+00FF */
    if (c >= 0xE0 && c <= 0xFF && c != 0xF7)
        return (uint32_t)lower[c - 0xE0];
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return (uint32_t)lower[c - 0xC0] - 32;
    return c;
}

int synth_strip_accents(rk_buf *out, const char *s)
{
    uint32_t cp[SYN_MAX_CP];
    size_t n = synth_decode(s, cp, SYN_MAX_CP);
    for (size_t i = 0; i < n; i++)
        cp[i] = strip_one(cp[i]);
    return synth_encode(out, cp, n);
}

void synth_upper(uint32_t *cp, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cp[i];
        if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
            (c >= 0x430 && c <= 0x44F))
            cp[i] = c - 0x20;
        else if (c >= 0x450 && c <= 0x45F)
            cp[i] = c - 0x50;
        else if (c >= 0x561 && c <= 0x586)
            cp[i] = c - 0x30;
        else if (c == 0x259)
            cp[i] = 0x18F;
        else if (c == 0x131)
            cp[i] = 'I';
        else if (c == 0x11F || c == 0x15F || c == 0x10D || c == 0x107 || c == 0x111 || c == 0x161 ||
                 c == 0x17E)
            cp[i] = c - 1; /* ğ ş č ć đ š ž */
    }
}

/* Look-alike confusions of OCR and of typists who mix keyboards. */
static const uint32_t ocr_pairs[][2] = {
    {0x417, '3'}, {0x437, '3'}, {0x431, '6'}, {0x41E, '0'}, {0x43E, '0'}, {'O', '0'},
    {'o', '0'},   {'l', '1'},   {'I', '1'},   {'S', '5'},   {'B', '8'},   {0x435, 'e'},
    {0x430, 'a'}, {0x440, 'p'}, {0x441, 'c'}, {0x43E, 'o'}, {'e', 'c'},   {0x56F, 0x56B},
};

int synth_corrupt(rk_buf *out, const char *s, rk_rng *r, double rate, bool ocr)
{
    uint32_t cp[SYN_MAX_CP + 2];
    size_t n = synth_decode(s, cp, SYN_MAX_CP);
    for (size_t i = 0; i < n; i++) {
        if (cp[i] == ' ' || rk_rng_uniform(r) >= rate)
            continue;
        if (ocr) {
            for (size_t k = 0; k < RK_ARRAY_LEN(ocr_pairs); k++)
                if (ocr_pairs[k][0] == cp[i] || ocr_pairs[k][1] == cp[i]) {
                    cp[i] = ocr_pairs[k][0] == cp[i] ? ocr_pairs[k][1] : ocr_pairs[k][0];
                    break;
                }
            continue;
        }
        switch (rk_rng_below(r, 4)) {
        case 0: /* transpose with the next letter */
            if (i + 1 < n && cp[i + 1] != ' ') {
                uint32_t t = cp[i];
                cp[i] = cp[i + 1];
                cp[i + 1] = t;
                i++;
            }
            break;
        case 1: /* drop */
            if (n > 2) {
                memmove(cp + i, cp + i + 1, (n - i - 1) * sizeof(uint32_t));
                n--;
            }
            break;
        case 2: /* double */
            if (n < SYN_MAX_CP) {
                memmove(cp + i + 1, cp + i, (n - i) * sizeof(uint32_t));
                n++;
                i++;
            }
            break;
        default: /* a neighbouring letter of the same alphabet */
            if (cp[i] >= 'a' && cp[i] < 'z')
                cp[i]++;
            else if (cp[i] >= 0x430 && cp[i] < 0x44F)
                cp[i]++;
            break;
        }
    }
    return synth_encode(out, cp, n);
}

size_t synth_to_cp1251(char *s, size_t n)
{
    size_t w = 0, i = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (i < n) {
        uint32_t c = p[i];
        size_t k = rk_core__utf8_decode(p + i, n - i, &c);
        i += k ? k : 1; /* not UTF-8 (never in the generator's own text): the byte as it is */
        unsigned char o;
        if (c < 0x80)
            o = (unsigned char)c;
        else if (c >= 0x410 && c <= 0x44F)
            o = (unsigned char)(0xC0 + (c - 0x410));
        else if (c == 0x401)
            o = 0xA8;
        else if (c == 0x451)
            o = 0xB8;
        else if (c == 0x2116)
            o = 0xB9;
        else
            o = '?';
        s[w++] = (char)o;
    }
    return w;
}

/* ---- Kosovo: Albanian and Serbian spellings of each other's names ---- */

/* A letter in lower case (Latin with the diacritics of Albanian and Serbian, Cyrillic). */
static uint32_t lower_cp(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
        (c >= 0x410 && c <= 0x42F))
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    if (c == 0x10C || c == 0x106 || c == 0x110 || c == 0x160)
        return c + 1; /* Č Ć Đ Š */
    if (c == 0x17D)
        return 0x17E; /* Ž */
    return c;
}

static bool is_letter(uint32_t c)
{
    c = lower_cp(c);
    return (c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
           (c >= 0x100 && c <= 0x17F) || (c >= 0x430 && c <= 0x45F);
}

/* One rule of a spelling conversion: what a letter or digraph (lower case) becomes. */
typedef struct spell_rule {
    const char *from, *to;
} spell_rule;

/* Converts s by rules (digraphs listed before their first letter), keeping capitals: a
 * capital source letter capitalizes the first letter it becomes (Gj -> Ђ, Ć -> Q). Letters
 * that no rule names are kept. `final_e` is what a word-final ë becomes (NULL: kept). */
static int convert(rk_buf *out, const char *s, const spell_rule *rules, size_t nrules,
                   const char *final_e)
{
    uint32_t cp[SYN_MAX_CP], low[SYN_MAX_CP], to[8];
    size_t n = synth_decode(s, cp, SYN_MAX_CP);
    for (size_t i = 0; i < n; i++)
        low[i] = lower_cp(cp[i]);
    for (size_t i = 0; i < n;) {
        bool upper = low[i] != cp[i];
        const char *repl = NULL;
        size_t used = 1;
        if (final_e && low[i] == 0xEB && i > 0 && (i + 1 == n || !is_letter(cp[i + 1])))
            repl = final_e;
        for (size_t k = 0; !repl && k < nrules; k++) {
            uint32_t from[4];
            size_t nf = synth_decode(rules[k].from, from, 4), j = 0;
            while (j < nf && i + j < n && low[i + j] == from[j])
                j++;
            if (j == nf) {
                repl = rules[k].to;
                used = nf;
            }
        }
        size_t nt = 0;
        if (repl)
            nt = synth_decode(repl, to, RK_ARRAY_LEN(to));
        else
            to[nt++] = cp[i];
        if (upper && nt > 0)
            synth_upper(to, 1);
        if (synth_encode(out, to, nt) != RK_OK)
            return RK_ENOMEM;
        i += used;
    }
    return RK_OK;
}

static const spell_rule sq_cyrillic[] = {
    {"dh", "д"}, {"gj", "ђ"}, {"ll", "л"}, {"nj", "њ"}, {"rr", "р"}, {"sh", "ш"},
    {"th", "т"}, {"xh", "џ"}, {"zh", "ж"}, {"a", "а"},  {"b", "б"},  {"c", "ц"},
    {"ç", "ч"},  {"d", "д"},  {"e", "е"},  {"ë", "е"},  {"f", "ф"},  {"g", "г"},
    {"h", "х"},  {"i", "и"},  {"j", "ј"},  {"k", "к"},  {"l", "л"},  {"m", "м"},
    {"n", "н"},  {"o", "о"},  {"p", "п"},  {"q", "ћ"},  {"r", "р"},  {"s", "с"},
    {"t", "т"},  {"u", "у"},  {"v", "в"},  {"x", "дз"}, {"y", "и"},  {"z", "з"},
};

int synth_sq_to_cyrillic(rk_buf *out, const char *sq, bool final_e)
{
    return convert(out, sq, sq_cyrillic, RK_ARRAY_LEN(sq_cyrillic), final_e ? "е" : "");
}

/* Albanian in Serbian Latin, as read back from the Cyrillic (Krasniqi -> Krasnići). */
static const spell_rule sq_serbian[] = {
    {"dh", "d"}, {"gj", "đ"}, {"ll", "l"}, {"rr", "r"}, {"sh", "š"}, {"th", "t"}, {"xh", "dž"},
    {"zh", "ž"}, {"ç", "č"},  {"ë", "e"},  {"q", "ć"},  {"x", "dz"}, {"y", "i"},
};

int synth_sq_to_sr(rk_buf *out, const char *sq)
{
    return convert(out, sq, sq_serbian, RK_ARRAY_LEN(sq_serbian), "");
}

/* Serbian Latin and Cyrillic, letter for letter (lj, nj, dž are one Cyrillic letter). */
static const spell_rule sr_cyrillic[] = {
    {"lj", "љ"}, {"nj", "њ"}, {"dž", "џ"}, {"a", "а"}, {"b", "б"}, {"c", "ц"},
    {"č", "ч"},  {"ć", "ћ"},  {"d", "д"},  {"đ", "ђ"}, {"e", "е"}, {"f", "ф"},
    {"g", "г"},  {"h", "х"},  {"i", "и"},  {"j", "ј"}, {"k", "к"}, {"l", "л"},
    {"m", "м"},  {"n", "н"},  {"o", "о"},  {"p", "п"}, {"r", "р"}, {"s", "с"},
    {"š", "ш"},  {"t", "т"},  {"u", "у"},  {"v", "в"}, {"z", "з"}, {"ž", "ж"},
};

int synth_sr_to_cyrillic(rk_buf *out, const char *sr)
{
    return convert(out, sr, sr_cyrillic, RK_ARRAY_LEN(sr_cyrillic), NULL);
}

/* A Serbian name as Albanian spells it: Đorđević -> Gjorgjeviq, Čedomir -> Çedomir. */
static const spell_rule sr_albanian[] = {
    {"dž", "xh"}, {"ć", "q"}, {"đ", "gj"}, {"č", "ç"}, {"š", "sh"}, {"ž", "zh"},
};

int synth_sr_to_albanian(rk_buf *out, const char *sr)
{
    return convert(out, sr, sr_albanian, RK_ARRAY_LEN(sr_albanian), NULL);
}

/* Plain letters, as databases and foreign lists write both: Đorđević -> Djordjevic (or
 * Dordevic), Thaçi -> Thaci, Gëzim -> Gezim. */
static const spell_rule plain_dj[] = {
    {"ć", "c"}, {"č", "c"}, {"đ", "dj"}, {"š", "s"}, {"ž", "z"}, {"ç", "c"}, {"ë", "e"},
};
static const spell_rule plain_d[] = {
    {"ć", "c"}, {"č", "c"}, {"đ", "d"}, {"š", "s"}, {"ž", "z"}, {"ç", "c"}, {"ë", "e"},
};

int synth_plain_letters(rk_buf *out, const char *s, bool dj)
{
    return dj ? convert(out, s, plain_dj, RK_ARRAY_LEN(plain_dj), NULL)
              : convert(out, s, plain_d, RK_ARRAY_LEN(plain_d), NULL);
}
