/* Unicode clean-up of one token or field before romanization: NFC, removal of format
 * characters (zero-width joiners, bidi marks, soft hyphens), digits of any script as ASCII;
 * and the character classes the tokenizer splits on (odd spaces, stray punctuation). */
#include "common.h"

#include "text/text_private.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

bool text_is_hyphen(int32_t cp)
{
    return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63 ||
           cp == 0xFF0D;
}

bool text_is_ignorable(int32_t cp)
{
    if (cp < 0x80)
        return false;
    return u_charType(cp) == U_FORMAT_CHAR ||
           u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

bool text_is_separator(int32_t cp)
{
    if (cp < 0x80) {
        static const char seps[] = ",;/()[]{}\"._*?!:<>+=#&~\\|@$%^";
        return cp <= ' ' || cp == 0x7F || (cp != 0 && memchr(seps, (int)cp, sizeof(seps) - 1));
    }
    if (cp == 0x2019 || cp == 0x02BC || cp == 0x02BB || cp == 0x02BF || cp == 0x02BE ||
        cp == 0x02B9 || cp == 0x2018)
        return false; /* apostrophes and ayn/hamza signs are part of a name */
    if (text_is_ignorable(cp))
        return false;
    if (u_isUWhiteSpace(cp))
        return true;
    int8_t ty = u_charType(cp);
    switch (ty) {
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_CONTROL_CHAR:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_OTHER_SYMBOL:
        return true;
    default:
        return false;
    }
}

static int put_utf8(rk_buf *out, int32_t cp)
{
    char b[4];
    return rk_buf_append(out, b, rk_core__utf8_encode(b, (uint32_t)cp));
}

/* Normalizes with `norm` (NFC or NFKC), drops format characters, writes digits as ASCII. */
static int normalize_with(const UNormalizer2 *norm, const char *s, size_t n, rk_buf *out)
{
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            ascii = false;
    if (ascii) {
        int arc = rk_buf_append(out, s, n);
        rk_buf_cstr(out);
        return arc == RK_OK ? RK_OK : RK_ENOMEM;
    }
    int rc = RK_OK;
    UChar stack_a[256], stack_b[512];
    UChar *a = stack_a, *b = stack_b;
    UErrorCode err = U_ZERO_ERROR;
    int32_t alen = 0;
    if (n > 100000)
        return RK_EINPUT;
    u_strFromUTF8WithSub(a, 256, &alen, s, (int32_t)n, 0xFFFD, NULL, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
        a = rk_malloc(sizeof(UChar) * (size_t)(alen + 1));
        if (!a) {
            rc = RK_ENOMEM;
            goto cleanup;
        }
        err = U_ZERO_ERROR;
        u_strFromUTF8WithSub(a, alen + 1, &alen, s, (int32_t)n, 0xFFFD, NULL, &err);
    }
    if (U_FAILURE(err)) {
        rc = RK_EINPUT;
        goto cleanup;
    }
    err = U_ZERO_ERROR;
    int32_t blen = unorm2_normalize(norm, a, alen, b, 512, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR) {
        b = rk_malloc(sizeof(UChar) * (size_t)(blen + 1));
        if (!b) {
            rc = RK_ENOMEM;
            goto cleanup;
        }
        err = U_ZERO_ERROR;
        blen = unorm2_normalize(norm, a, alen, b, blen + 1, &err);
    }
    if (U_FAILURE(err)) {
        rc = RK_EINPUT;
        goto cleanup;
    }
    for (int32_t i = 0; i < blen;) {
        UChar32 c;
        U16_NEXT(b, i, blen, c);
        if (text_is_ignorable(c))
            continue;
        if (c >= 0x80 && u_isdigit(c) && u_charDigitValue(c) >= 0)
            c = '0' + u_charDigitValue(c);
        if (put_utf8(out, c) != RK_OK) {
            rc = RK_ENOMEM;
            goto cleanup;
        }
    }
    rk_buf_cstr(out);
cleanup:
    if (a != stack_a)
        rk_free(a);
    if (b != stack_b)
        rk_free(b);
    return rc;
}

int text_nfc_clean(rk_text *t, const char *s, size_t n, rk_buf *out)
{
    UErrorCode err = U_ZERO_ERROR;
    if (!t->nfc)
        t->nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err) || !t->nfc)
        return rk_error_set(t->ctx, RK_EINTERNAL, "ICU NFC data missing: %s", u_errorName(err));
    int rc = normalize_with(t->nfc, s, n, out);
    if (rc == RK_ENOMEM)
        return rk_error_set(t->ctx, RK_ENOMEM, "out of memory normalizing text");
    if (rc != RK_OK)
        return rk_error_set(t->ctx, rc, "text could not be normalized");
    return RK_OK;
}
