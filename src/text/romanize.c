/* Romanization of one clean token to lower-case ASCII: Latin letters through the letter
 * table (ə -> a, ş -> sh, đ -> dj) and, for Azerbaijani/Serbian/Albanian spellings, the
 * language's own values of c, x, q; Cyrillic, Armenian, Georgian and Greek through ICU's BGN
 * transforms chosen by language; Arabic through the name table, else letter by letter (an
 * "abjad" spelling). Also folds Latin/Cyrillic look-alike mixtures and OCR digits. */
#include "common.h"

#include "text/text_private.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

static const char *const translit_ids[TX_TR_COUNT] = {
    [TX_TR_RUSSIAN] = "Russian-Latin/BGN",
    [TX_TR_SERBIAN] = "Serbian-Latin/BGN",
    [TX_TR_AZERI] = "Azerbaijani-Latin/BGN",
    [TX_TR_ARMENIAN] = "Armenian-Latin/BGN",
    [TX_TR_GEORGIAN] = "Georgian-Latin/BGN",
    [TX_TR_GREEK] = "Greek-Latin/BGN",
    [TX_TR_ANY] = "Any-Latin",
};

static rk_script text_script_of(int32_t cp)
{
    if (cp < 0x80)
        return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ? RK_SCRIPT_LATIN : RK_SCRIPT_NONE;
    if (!u_isalpha(cp) && u_charType(cp) != U_NON_SPACING_MARK)
        return RK_SCRIPT_NONE;
    UErrorCode err = U_ZERO_ERROR;
    switch (uscript_getScript(cp, &err)) {
    case USCRIPT_LATIN:
        return RK_SCRIPT_LATIN;
    case USCRIPT_CYRILLIC:
        return RK_SCRIPT_CYRILLIC;
    case USCRIPT_ARMENIAN:
        return RK_SCRIPT_ARMENIAN;
    case USCRIPT_GEORGIAN:
        return RK_SCRIPT_GEORGIAN;
    case USCRIPT_ARABIC:
        return RK_SCRIPT_ARABIC;
    case USCRIPT_GREEK:
        return RK_SCRIPT_GREEK;
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
        return RK_SCRIPT_NONE;
    default:
        return RK_SCRIPT_OTHER;
    }
}

static int cmp_cp(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = ((const text_cpmap *)b)->cp;
    return (x > y) - (x < y);
}

static const char *cp_lookup(const text_cpmap *table, size_t n, int32_t cp)
{
    const text_cpmap *m = bsearch(&cp, table, n, sizeof(*table), cmp_cp);
    return m ? m->to : NULL;
}

/* Latin/Cyrillic look-alikes (lower case): a token typed with the wrong keyboard layout or
 * read by OCR mixes them (Мамедоv). */
static const int32_t lookalikes[][2] = {
    {'a', 0x0430}, {'c', 0x0441}, {'e', 0x0435}, {'i', 0x0456}, {'j', 0x0458},
    {'k', 0x043A}, {'m', 0x043C}, {'o', 0x043E}, {'p', 0x0440}, {'x', 0x0445},
    {'y', 0x0443}, {'h', 0x043D}, {'b', 0x0432}, {'t', 0x0442}, {'s', 0x0455},
};

/* Digits that OCR and typists put for letters, by the script of the rest of the token. */
static int32_t digit_as_letter(int32_t d, rk_script script)
{
    if (script == RK_SCRIPT_CYRILLIC) {
        static const int32_t cyr[10] = {0x043E, 0x0456, 0, 0x0437, 0x0447, 0, 0x0431, 0, 0x0432, 0};
        return cyr[d - '0'];
    }
    static const int32_t lat[10] = {'o', 'l', 0, 'e', 0, 's', 'b', 0, 'b', 'g'};
    return lat[d - '0'];
}

/* Has the token one of the English digraphs (ch, sh, kh, gh, zh, dj)? Then its c, x, q are
 * English, not Azerbaijani. */
static bool english_spelling(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        char a = (char)(s[i] | 0x20), b = (char)(s[i + 1] | 0x20);
        if (b == 'h' && (a == 'c' || a == 's' || a == 'k' || a == 'g' || a == 'z'))
            return true;
        if (a == 'd' && b == 'j')
            return true;
    }
    return false;
}

/* One Latin code point (already lower case) to ASCII, with the language's own values of c, x
 * and q where `native` says the token is spelt the language's way. */
static int latin_cp(rk_buf *out, int32_t c, rk_lang native)
{
    if (c < 0x80) {
        if (c >= 'a' && c <= 'z') {
            if (native == RK_LANG_AZ || native == RK_LANG_TR) {
                if (c == 'c')
                    return rk_buf_putc(out, 'j');
                if (native == RK_LANG_AZ && c == 'x')
                    return rk_buf_puts(out, "kh");
                if (native == RK_LANG_AZ && c == 'q')
                    return rk_buf_putc(out, 'g');
            } else if (native == RK_LANG_SR || native == RK_LANG_SQ) {
                if (c == 'c')
                    return rk_buf_puts(out, "ts");
            }
            return rk_buf_putc(out, (char)c);
        }
        return RK_OK; /* apostrophes, digits left over */
    }
    const char *m = cp_lookup(text_latin_letters, text_latin_letters_len, c);
    if (m)
        return rk_buf_puts(out, m);
    /* Fallback: the base letter of the canonical decomposition. */
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    UChar d[8];
    int32_t dn = U_SUCCESS(err) ? unorm2_getDecomposition(nfd, c, d, 8, &err) : 0;
    if (U_SUCCESS(err) && dn > 0 && d[0] < 0x80 && d[0] >= 'a' && d[0] <= 'z')
        return rk_buf_putc(out, (char)d[0]);
    return RK_OK;
}

/* Latin text (UTF-8) to ASCII through latin_cp; `written` when the text was written in Latin
 * letters (not a transliteration's output, whose c is ц). */
static int latin_pass(const char *s, size_t n, rk_lang native, bool written, rk_buf *out)
{
    size_t i = 0;
    while (i < n) {
        int32_t c;
        if (text_decode(s, n, &i, &c) != 0) {
            i++;
            continue;
        }
        c = u_tolower(c);
        /* Serbian Latin written without its accents: a word's final -ic is the family ending
         * -ić (Babic = Babić = Бабић), not -иц, which names hardly ever end in. */
        if (written && native == RK_LANG_SR && c == 'c' && i == n && out->len >= 3 &&
            out->data[out->len - 1] == 'i') {
            int rc = rk_buf_puts(out, "ch");
            if (rc != RK_OK)
                return rc;
            continue;
        }
        int rc = latin_cp(out, c, native);
        if (rc != RK_OK)
            return rc;
    }
    return RK_OK;
}

static int run_translit(rk_text *t, text_translit which, const char *s, size_t n, rk_buf *out)
{
    int rc = RK_OK;
    UErrorCode err = U_ZERO_ERROR;
    if (!t->translit[which]) {
        UChar id[64];
        u_uastrcpy(id, translit_ids[which]);
        t->translit[which] = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
        if (U_FAILURE(err) || !t->translit[which]) {
            t->translit[which] = NULL;
            return rk_error_set(t->ctx, RK_EINTERNAL, "ICU transform '%s' is missing: %s",
                                translit_ids[which], u_errorName(err));
        }
    }
    /* Transliteration can grow the text (щ -> shch): room for 4x. */
    int32_t cap = (int32_t)n * 4 + 16, len = 0;
    UChar *u = rk_malloc(sizeof(UChar) * (size_t)cap);
    char *u8 = NULL;
    if (!u) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    u_strFromUTF8WithSub(u, cap, &len, s, (int32_t)n, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) {
        rc = rk_error_set(t->ctx, RK_EINPUT, "text could not be read as UTF-8");
        goto cleanup;
    }
    int32_t limit = len;
    utrans_transUChars(t->translit[which], u, &len, cap, 0, &limit, &err);
    if (U_FAILURE(err)) {
        rc = rk_error_set(t->ctx, RK_EINTERNAL, "ICU transform failed: %s", u_errorName(err));
        goto cleanup;
    }
    /* Transforms may leave decomposed letters (c + combining acute): compose them. */
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    if (U_SUCCESS(err) && len < cap) {
        UChar *v = rk_malloc(sizeof(UChar) * (size_t)cap);
        if (!v) {
            rc = RK_ENOMEM;
            goto cleanup;
        }
        int32_t vlen = unorm2_normalize(nfc, u, len, v, cap, &err);
        if (U_SUCCESS(err)) {
            memcpy(u, v, sizeof(UChar) * (size_t)vlen);
            len = vlen;
        }
        rk_free(v);
        err = U_ZERO_ERROR;
    }
    int32_t n8 = 0;
    u8 = rk_malloc((size_t)len * 4 + 1);
    if (!u8) {
        rc = RK_ENOMEM;
        goto cleanup;
    }
    u_strToUTF8(u8, len * 4 + 1, &n8, u, len, &err);
    if (U_FAILURE(err)) {
        rc = rk_error_set(t->ctx, RK_EINTERNAL, "ICU conversion failed: %s", u_errorName(err));
        goto cleanup;
    }
    rc = rk_buf_append(out, u8, (size_t)n8);
cleanup:
    rk_free(u);
    rk_free(u8);
    return rc;
}

/* Arabic: the name table for common names, else letter by letter. Short vowels are not
 * written, so a letter-by-letter result is marked RK_TOKEN_ABJAD. */
static int arabic(const char *s, size_t n, rk_buf *out, unsigned *flags)
{
    char clean[TX_TOKEN_MAX + 1];
    size_t cn = 0, i = 0;
    while (i < n) {
        size_t start = i;
        int32_t c;
        if (text_decode(s, n, &i, &c) != 0) {
            i++;
            continue;
        }
        if ((c >= 0x064B && c <= 0x0652) || c == 0x0640 || c == 0x0670)
            continue; /* harakat, tatweel, superscript alef */
        if (cn + (i - start) < sizeof(clean)) {
            memcpy(clean + cn, s + start, i - start);
            cn += i - start;
        }
    }
    clean[cn] = '\0';
    for (size_t k = 0; k < text_arabic_names_len; k++)
        if (strcmp(text_arabic_names[k].from, clean) == 0)
            return rk_buf_puts(out, text_arabic_names[k].to);
    *flags |= RK_TOKEN_ABJAD;
    i = 0;
    bool first = true;
    while (i < cn) {
        int32_t c;
        if (text_decode(clean, cn, &i, &c) != 0) {
            i++;
            continue;
        }
        const char *m = NULL;
        /* waw and ya: consonants at the start and after a vowel (عواد = awad), long u and i
           after a consonant */
        bool after_vowel = out->len > 0 && strchr("aiu", rk_buf_cstr(out)[out->len - 1]);
        if (c == 0x0648)
            m = first || after_vowel ? "w" : "u";
        else if (c == 0x064A || c == 0x06CC)
            m = first || after_vowel ? "y" : "i";
        else
            m = cp_lookup(text_arabic_letters, text_arabic_letters_len, c);
        if (m && rk_buf_puts(out, m) != RK_OK)
            return RK_ENOMEM;
        first = false;
    }
    return RK_OK;
}

/* The language a Latin or Cyrillic spelling gives away by its letters. */
static rk_lang letter_hint(int32_t c)
{
    switch (c) {
    case 0x0259: /* ə */
    case 0x04D9: /* ә */
    case 0x0493: /* ғ */
    case 0x04B9: /* ҹ */
    case 0x04BB: /* һ */
    case 0x04AF: /* ү */
    case 0x04E9: /* ө */
    case 0x049D: /* ҝ */
        return RK_LANG_AZ;
    case 0x011F: /* ğ */
    case 0x0131: /* ı */
    case 0x015F: /* ş */
        return RK_LANG_TR;
    case 0x0107: /* ć */
    case 0x0111: /* đ */
    case 0x010D: /* č */
    case 0x0161: /* š */
    case 0x017E: /* ž */
    case 0x0452: /* ђ */
    case 0x045B: /* ћ */
    case 0x0458: /* ј */
    case 0x0459: /* љ */
    case 0x045A: /* њ */
    case 0x045F: /* џ */
        return RK_LANG_SR;
    case 0x00EB: /* ë */
        return RK_LANG_SQ;
    case 0x00F1: /* ñ */
    case 0x00E1: /* á */
    case 0x00ED: /* í */
    case 0x00F3: /* ó */
    case 0x00FA: /* ú */
        return RK_LANG_ES;
    default:
        return RK_LANG_AUTO;
    }
}

int text_romanize(rk_text *t, const char *s, size_t n, rk_lang lang, rk_buf *out, rk_script *script,
                  rk_lang *hint, unsigned *flags)
{
    int counts[RK_SCRIPT_OTHER + 1] = {0};
    bool digits = false;
    rk_lang h = RK_LANG_AUTO;
    size_t i = 0;
    while (i < n) {
        int32_t c;
        if (text_decode(s, n, &i, &c) != 0) {
            i++;
            continue;
        }
        if (c >= '0' && c <= '9')
            digits = true;
        counts[text_script_of(c)]++;
        rk_lang lh = letter_hint(u_tolower(c));
        if (lh != RK_LANG_AUTO && (h == RK_LANG_AUTO || lh == RK_LANG_AZ))
            h = lh;
    }
    rk_script sc = RK_SCRIPT_NONE;
    for (int k = RK_SCRIPT_LATIN; k <= RK_SCRIPT_OTHER; k++)
        if (counts[k] > counts[sc] || (sc == RK_SCRIPT_NONE && counts[k] > 0))
            sc = (rk_script)k;
    *script = sc;

    /* Look-alike letters and digits read as letters, into the token's main script. */
    char fixed[TX_TOKEN_MAX * 2 + 8];
    bool mixed = counts[RK_SCRIPT_LATIN] && counts[RK_SCRIPT_CYRILLIC];
    if ((mixed || (digits && sc != RK_SCRIPT_NONE)) &&
        (sc == RK_SCRIPT_LATIN || sc == RK_SCRIPT_CYRILLIC)) {
        rk_buf fb = {.data = NULL};
        rk_buf_init(&fb);
        i = 0;
        while (i < n) {
            int32_t c;
            if (text_decode(s, n, &i, &c) != 0) {
                i++;
                continue;
            }
            int32_t lc = u_tolower(c);
            if (c >= '0' && c <= '9' && digit_as_letter(c, sc)) {
                lc = digit_as_letter(c, sc);
                *flags |= RK_TOKEN_DIGITS;
            }
            for (size_t k = 0; mixed && k < RK_ARRAY_LEN(lookalikes); k++) {
                if (sc == RK_SCRIPT_CYRILLIC && lc == lookalikes[k][0])
                    lc = lookalikes[k][1];
                else if (sc == RK_SCRIPT_LATIN && lc == lookalikes[k][1])
                    lc = lookalikes[k][0];
            }
            char b[4];
            int32_t bl = 0;
            UBool bad = false;
            U8_APPEND(b, bl, 4, lc, bad);
            if (!bad && rk_buf_append(&fb, b, (size_t)bl) != RK_OK) {
                rk_buf_release(&fb);
                return rk_error_set(t->ctx, RK_ENOMEM, "out of memory romanizing a name");
            }
        }
        if (mixed)
            *flags |= RK_TOKEN_MIXED;
        size_t fn = RK_MIN(fb.len, sizeof(fixed) - 1);
        if (fn)
            memcpy(fixed, fb.data, fn);
        fixed[fn] = '\0';
        rk_buf_release(&fb);
        s = fixed;
        n = fn;
    }

    rk_lang native = lang;
    if (h != RK_LANG_AUTO)
        native = (h == RK_LANG_TR && lang == RK_LANG_AZ) ? RK_LANG_AZ : h;
    if (sc == RK_SCRIPT_LATIN && h == RK_LANG_AUTO && english_spelling(s, n))
        native = RK_LANG_EN;
    *hint = h;

    int rc = RK_OK;
    rk_buf tmp;
    rk_buf_init(&tmp);
    switch (sc) {
    case RK_SCRIPT_LATIN:
    case RK_SCRIPT_NONE:
        rc = latin_pass(s, n, native, true, out);
        break;
    case RK_SCRIPT_ARABIC:
        rc = arabic(s, n, out, flags);
        if (!*hint)
            *hint = RK_LANG_AR;
        break;
    default: {
        text_translit which = TX_TR_ANY;
        rk_lang after = RK_LANG_EN;
        if (sc == RK_SCRIPT_CYRILLIC) {
            which = TX_TR_RUSSIAN;
            if (h == RK_LANG_SR || (h == RK_LANG_AUTO && lang == RK_LANG_SR)) {
                which = TX_TR_SERBIAN;
                after = RK_LANG_SR;
            } else if (h == RK_LANG_AZ || (h == RK_LANG_AUTO && lang == RK_LANG_AZ)) {
                which = TX_TR_AZERI;
                after = RK_LANG_AZ;
            } else if (h == RK_LANG_AUTO) {
                *hint = RK_LANG_RU;
            }
        } else if (sc == RK_SCRIPT_ARMENIAN) {
            which = TX_TR_ARMENIAN;
            *hint = RK_LANG_HY;
        } else if (sc == RK_SCRIPT_GEORGIAN) {
            which = TX_TR_GEORGIAN;
            *hint = RK_LANG_KA;
        } else if (sc == RK_SCRIPT_GREEK) {
            which = TX_TR_GREEK;
        }
        rc = run_translit(t, which, s, n, &tmp);
        if (rc == RK_OK)
            rc = latin_pass(tmp.data ? tmp.data : "", tmp.len, after, false, out);
        break;
    }
    }
    rk_buf_release(&tmp);
    if (rc == RK_ENOMEM)
        return rk_error_set(t->ctx, RK_ENOMEM, "out of memory romanizing a name");
    if (rc == RK_OK)
        rk_buf_cstr(out);
    return rc;
}
